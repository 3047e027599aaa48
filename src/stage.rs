//! The stage of an assessment in its publication cycle (`meta.stage`): 素案 → 案（意見聴取） →
//! 最終 (the published form; a document that names no stage is 最終).
//!
//! What a 案 does not have yet is form data: the items marked `absent_when = "/meta.stage =
//! consultation"` (公表日, 承認日, Ⅵ２．④⑤, Ⅵ３．, Ⅵ４．). A 素案 is a 案 in progress: it leaves
//! out what a 案 leaves out, and its gaps (PIA-E010, PIA-E011) are reported as warnings
//! ([`LOWERED_AT_DRAFT`]). Before the 最終 version, `check --since` does not ask for 別添3 rows
//! ([`DEFERRED_UNTIL_FINAL`]): `pia release` records them. `check::policy` applies all three.
//!
//! A 案 of a 再実施 still carries the previous round's 公表日, 承認日 and Ⅵ in its TOML: they are
//! not part of the 案 (the form leaves them out), so [`view`] clears them before the rules run,
//! and a new 意見聴取 period after the old 公表日 is no 日付の順序 error.

use serde_json::Value;

use crate::form::Form;
use crate::load::Loaded;
use crate::model::{Assessment, Choice, Stage};
use crate::path::{Segment, concrete_parent, expand, lookup_mut, split_path};

/// Codes reported as warnings in a 素案 (completeness: 未記入, 仮の記載).
pub const LOWERED_AT_DRAFT: &[&str] = &["PIA-E010", "PIA-E011"];

/// Two-revision codes not reported before the 最終 version: a 素案 or 案 has no 公表日 to date
/// 別添3 rows against (PIA-E230), and its rows are recorded when it is published
/// (`pia release`), so none is missing yet (PIA-E240).
pub const DEFERRED_UNTIL_FINAL: &[&str] = &["PIA-E230", "PIA-E240"];

/// The stage of a document (`None` in the TOML is 最終).
pub fn of(a: &Assessment) -> Stage {
    a.meta.stage()
}

/// The stage as the form words it (「案（意見聴取）」).
pub fn text(form: &Form, stage: Stage) -> &str {
    form.option_text(Stage::SET, stage.id())
}

/// The stage whose absent items a document at `stage` leaves out: a 素案 leaves out what a 案
/// leaves out.
fn as_checked(stage: Stage) -> Stage {
    match stage {
        Stage::Draft => Stage::Consultation,
        s => s,
    }
}

/// The document `doc` (option texts) with its `meta.stage` set to `stage` (`None` removes it).
fn with_stage(form: &Form, doc: &Value, stage: Option<Stage>) -> Value {
    let mut d = doc.clone();
    if let Some(meta) = d.get_mut("meta").and_then(Value::as_object_mut) {
        match stage {
            Some(s) => {
                meta.insert("stage".into(), Value::String(text(form, s).to_string()));
            }
            None => {
                meta.remove("stage");
            }
        }
    }
    d
}

/// Concrete paths of the items `loaded` holds that its stage leaves out (filled or not), in the
/// form's order: absent at the stage the document is checked as, present in a 最終 version.
pub fn absent_items(loaded: &Loaded) -> Vec<String> {
    let stage = of(&loaded.assessment);
    if stage == Stage::Final {
        return Vec::new();
    }
    let form = &*loaded.form;
    let doc = form.texts_of(&loaded.assessment);
    let staged = with_stage(form, &doc, Some(as_checked(stage)));
    let final_ = with_stage(form, &doc, None);
    let mut out = Vec::new();
    for node in form.nodes.iter().filter(|n| n.k.is_leaf()) {
        for path in expand(&doc, &node.p) {
            if form.is_absent(&staged, &path) && !form.is_absent(&final_, &path) {
                out.push(path);
            }
        }
    }
    out
}

/// Whether the item at a concrete path is left out of the document at its stage.
pub fn is_absent_at_stage(loaded: &Loaded, path: &str) -> bool {
    let stage = of(&loaded.assessment);
    if stage == Stage::Final {
        return false;
    }
    let form = &*loaded.form;
    let doc = form.texts_of(&loaded.assessment);
    form.is_absent(&with_stage(form, &doc, Some(as_checked(stage))), path)
        && !form.is_absent(&with_stage(form, &doc, None), path)
}

/// The document as it stands at its stage, for the rules: the items its stage leaves out
/// ([`absent_items`]) are cleared. `None` for a 最終 document, or when there is nothing to clear.
/// (A rule may still report such an item as missing — D-1 sees a 素案 as a 素案 —: `check::policy`
/// drops findings on them.)
pub fn view(loaded: &Loaded) -> Option<Loaded> {
    let stage = of(&loaded.assessment);
    if stage == Stage::Final {
        return None;
    }
    let absent = absent_items(loaded);
    if absent.is_empty() {
        return None;
    }
    let form = &*loaded.form;
    let mut doc = form.texts_of(&loaded.assessment);
    for path in &absent {
        remove(&mut doc, path);
    }
    form.to_ids(&mut doc);
    strip_nulls(&mut doc);
    let assessment: Assessment = serde_json::from_value(doc).ok()?;
    Some(Loaded {
        form: loaded.form.clone(),
        assessment,
        sources: loaded.sources.clone(),
        dir: loaded.dir.clone(),
        basic_form: loaded.basic_form.clone(),
    })
}

/// Removes the value at a concrete path (its key from the table that holds it).
fn remove(doc: &mut Value, path: &str) {
    let Some(last) = split_path(path).pop() else {
        return;
    };
    let key = match last {
        Segment::Key(k) | Segment::Quoted(k) => k,
        Segment::Index(_) => return,
    };
    if let Some(Value::Object(table)) = lookup_mut(doc, concrete_parent(path)) {
        table.remove(&key);
    }
}

/// Removes `null`s (absent optional values) so that the model's defaults apply.
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
