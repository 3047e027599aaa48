//! Conditions written in the form data: when an item (or a whole group) is absent from an
//! assessment, so that `pia check` does not ask for it (「委託しない」 ⇒ Ⅲ４．is empty, 「接続しない
//! （入手）」 ⇒ リスク１～４ are empty, 行政機関等 ⇒ no 第三者点検 …).
//!
//! Syntax of `absent_when` (terms joined with ` & `, all must hold):
//! - `path` — a check box that is `true`;
//! - `path = option_id` / `path != option_id` — a single choice (by the option's id);
//! - `path has option_id` — a check-list with that option checked.
//!
//! `path` is relative to the table that holds the item (`status`, `provision.none`), may climb
//! with `../` (`../overview.entrustment.status` from `files[0].risk`), or start at the document
//! root with `/` (`/meta.org_kind`).

use serde_json::Value;

use super::{Form, Kind};
use crate::path::{concrete_parent, join_key, lookup, pattern_of};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    True,
    Eq(String),
    Ne(String),
    Has(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    /// Levels to climb from the holding table (`None` = from the document root).
    up: Option<usize>,
    path: String,
    op: Op,
}

/// A parsed `absent_when`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    terms: Vec<Term>,
}

impl Condition {
    pub fn parse(src: &str) -> Result<Condition, String> {
        let mut terms = Vec::new();
        for raw in src.split('&') {
            let t = raw.trim();
            let (path, op) = if let Some((p, v)) = t.split_once("!=") {
                (p.trim(), Op::Ne(v.trim().to_string()))
            } else if let Some((p, v)) = t.split_once('=') {
                (p.trim(), Op::Eq(v.trim().to_string()))
            } else if let Some((p, v)) = t.split_once(" has ") {
                (p.trim(), Op::Has(v.trim().to_string()))
            } else {
                (t, Op::True)
            };
            let (up, path) = if let Some(p) = path.strip_prefix('/') {
                (None, p)
            } else {
                let mut up = 0;
                let mut p = path;
                while let Some(rest) = p.strip_prefix("../") {
                    up += 1;
                    p = rest;
                }
                (Some(up), p)
            };
            if path.is_empty() || matches!(&op, Op::Eq(v) | Op::Ne(v) | Op::Has(v) if v.is_empty())
            {
                return Err(format!("条件「{src}」を読み取れません"));
            }
            terms.push(Term {
                up,
                path: path.to_string(),
                op,
            });
        }
        Ok(Condition { terms })
    }

    /// The concrete path of each term, for the item at `at` (a concrete path).
    fn targets<'a>(&'a self, at: &'a str) -> impl Iterator<Item = (String, &'a Term)> + 'a {
        self.terms.iter().map(move |t| {
            let full = match t.up {
                None => t.path.clone(),
                Some(up) => {
                    // The table that holds the item (for an element of an array of tables, the
                    // table that holds the array).
                    let mut base = concrete_parent(at);
                    if at.ends_with(']') {
                        base = concrete_parent(base);
                    }
                    for _ in 0..up {
                        base = concrete_parent(base);
                    }
                    if base.is_empty() {
                        t.path.clone()
                    } else {
                        format!("{base}.{}", t.path)
                    }
                }
            };
            (full, t)
        })
    }
}

impl Form {
    /// Whether the item at a concrete path is absent from the document because its own node or
    /// an enclosing one says so (`absent_when`); `doc` holds option texts.
    pub fn is_absent(&self, doc: &Value, path: &str) -> bool {
        let mut p = path;
        loop {
            if let Some(cond) = self.node(p).and_then(|n| n.absent.as_ref())
                && self.holds(cond, doc, p)
            {
                return true;
            }
            if p.is_empty() {
                return false;
            }
            p = concrete_parent(p);
        }
    }

    /// Whether the form prints the dash in the cells of the item at a concrete path because
    /// its own node or an enclosing one does not apply to the body (`na`); `doc` holds option
    /// texts.
    pub fn not_applicable(&self, doc: &Value, path: &str) -> bool {
        let mut p = path;
        loop {
            if let Some(cond) = self.node(p).and_then(|n| n.na.as_ref())
                && self.holds(cond, doc, p)
            {
                return true;
            }
            if p.is_empty() {
                return false;
            }
            p = concrete_parent(p);
        }
    }

    fn holds(&self, cond: &Condition, doc: &Value, at: &str) -> bool {
        cond.targets(at).all(|(full, term)| {
            let v = lookup(doc, &full);
            let option = |id: &str| {
                self.node(&full)
                    .and_then(|n| self.options_of(n))
                    .and_then(|s| s.option(id))
                    .map(|o| o.text.clone())
            };
            match &term.op {
                Op::True => v == Some(&Value::Bool(true)),
                Op::Eq(id) => {
                    option(id).is_some_and(|text| v.and_then(Value::as_str) == Some(text.as_str()))
                }
                Op::Ne(id) => {
                    option(id).is_none_or(|text| v.and_then(Value::as_str) != Some(text.as_str()))
                }
                Op::Has(id) => option(id).is_some_and(|text| {
                    lookup(doc, &join_key(&full, &text))
                        .is_some_and(|x| !matches!(x, Value::Bool(false) | Value::Null))
                }),
            }
        })
    }

    /// Problems of the `absent_when` conditions (for [`Form::validate`]): every path must name
    /// an item of the right kind, every option id an option of it.
    pub(super) fn condition_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for n in &self.nodes {
            for cond in n.absent.iter().chain(&n.na) {
                // A concrete stand-in for the node (block indexes as 0).
                let at = n.p.replace("[]", "[0]");
                for (full, term) in cond.targets(&at) {
                    let Some(target) = self.node(&pattern_of(&full)) else {
                        out.push(format!(
                            "項目 {} の absent_when / na が様式にない項目 {full} を指しています",
                            n.p
                        ));
                        continue;
                    };
                    let ok = match &term.op {
                        Op::True => target.k == Kind::Check,
                        Op::Eq(id) | Op::Ne(id) => {
                            target.k == Kind::Choice
                                && self
                                    .options_of(target)
                                    .is_some_and(|s| s.option(id).is_some())
                        }
                        Op::Has(id) => {
                            target.k == Kind::Checks
                                && self
                                    .options_of(target)
                                    .is_some_and(|s| s.option(id).is_some())
                        }
                    };
                    if !ok {
                        out.push(format!(
                        "項目 {} の absent_when / na（{full}）の種類か選択肢の id が項目 {} と合いません",
                        n.p, target.p
                    ));
                    }
                }
            }
        }
        out
    }
}
