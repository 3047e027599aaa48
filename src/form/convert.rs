//! Choice values between the two spellings of a document: option TEXTS, as written in the TOML
//! and read by every generic walk (completeness, diff, render, paths such as
//! `sources."その他"`), and option IDS, as the typed model holds them (stable across a label
//! change of the form).

use serde_json::Value;

use super::{Form, Kind};
use crate::path::for_each_mut;

#[derive(Clone, Copy)]
enum Direction {
    ToIds,
    ToTexts,
}

impl Form {
    /// Option texts → option ids, in place (choices, and the keys of check-lists). Values that
    /// are not options of the form are left as they are (the loader reports them first).
    pub fn to_ids(&self, doc: &mut Value) {
        self.convert(doc, Direction::ToIds);
    }

    /// Option ids → option texts, in place: the document as written in the TOML.
    pub fn to_texts(&self, doc: &mut Value) {
        self.convert(doc, Direction::ToTexts);
    }

    /// The typed model as the form prints it: a JSON tree with option texts.
    pub fn texts_of(&self, model: &crate::model::Assessment) -> Value {
        let mut v = serde_json::to_value(model).unwrap_or(Value::Null);
        self.to_texts(&mut v);
        v
    }

    fn convert(&self, doc: &mut Value, dir: Direction) {
        for node in self
            .nodes
            .iter()
            .filter(|n| matches!(n.k, Kind::Choice | Kind::Checks))
        {
            let Some(set) = self.options_of(node) else {
                continue;
            };
            let map = |s: &str| -> Option<String> {
                match dir {
                    Direction::ToIds => set.by_text(s).map(|o| o.id.clone()),
                    Direction::ToTexts => set.option(s).map(|o| o.text.clone()),
                }
            };
            for_each_mut(doc, &node.p, &mut |v| {
                match (node.k, v) {
                    (Kind::Choice, Value::String(s)) => {
                        if let Some(m) = map(s) {
                            *s = m;
                        }
                    }
                    (Kind::Checks, Value::Object(m)) => {
                        // Keys renamed, and in the form's order of the options.
                        let mut entries: Vec<(String, Value)> = std::mem::take(m)
                            .into_iter()
                            .map(|(k, val)| (map(&k).unwrap_or(k), val))
                            .collect();
                        let rank = |k: &str| {
                            set.options
                                .iter()
                                .position(|o| o.id == k || o.text == k)
                                .unwrap_or(usize::MAX)
                        };
                        entries.sort_by_key(|(k, _)| rank(k));
                        m.extend(entries);
                    }
                    _ => {}
                }
            });
        }
    }
}
