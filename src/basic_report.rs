//! The 基礎項目評価書 (様式2) of a document.
//!
//! Beside a 全項目評価書 the 基礎項目評価書 repeats its facts: [`derive`] makes the 様式2 document
//! from the same TOML. What it computes is data of the 様式2 form (`derive` and `from` on its
//! nodes):
//!
//! - `weakest`: the weakest answer (the last option of the set: 「課題が残されている」) among the
//!   `from` items of every file (an item absent from a file, e.g. a risk of a side that does not
//!   connect, does not count);
//! - `all`: a box checked in every file (「委託しない」 only when no file entrusts);
//! - `copy`: the `from` item (Ⅳ 教育・啓発);
//! - `audit`: 自己点検 / 内部監査 from the 全項目評価書's Ⅳ １．自己点検 and 監査 when done at
//!   least 「十分に」 (UNVERIFIED: 様式4 does not tell internal from external audits);
//! - `threshold_result`, `report_kind`, `full_report`: from the しきい値判断 and the kind of the
//!   document;
//! - `priority`: the answer of the measure chosen as the most important (Ⅳ-11): the item the
//!   chosen option names (`item` of the option), an answer of another set read at the same
//!   position (教育・啓発: 「十分に行っている」 is 「十分である」);
//! - `title`, `published_on`: the 全項目評価書's, named as the 基礎項目評価書;
//! - `replace`: the `from` value in place of what the document holds at this path (the
//!   基礎項目評価書's own 変更箇所 rows, `[[basic_report.changes]]`, in place of the 全項目評価書's
//!   別添3).
//!
//! An answer written in the assessment always wins over a derived one of the rules that read the
//! 全項目評価書's answers ([`OVERRIDABLE`]); the other rules decide their value themselves. A
//! standalone 基礎項目評価書 (a document of the 様式2 form) has no files to derive from: its
//! answers are its own, and only the computed items are filled.

use std::sync::Arc;

use serde_json::Value;

use crate::form::{Form, Kind, Node};
use crate::load::Loaded;
use crate::model::{Assessment, Choice, ThresholdResult};
use crate::path::{expand, lookup};
use crate::threshold::{self, Obliged};

/// The rules whose derived answer yields to one the author wrote at the same path.
pub const OVERRIDABLE: &[&str] = &["weakest", "all", "copy", "audit", "priority"];

/// The name of the report a form prints: the part of its title in 「（…）」 (「全項目評価書」).
pub fn report_name(form: &Form) -> &str {
    form.title
        .split_once('（')
        .and_then(|(_, r)| r.split_once('）'))
        .map_or(form.title.as_str(), |(name, _)| name)
}

/// Whether a document is a 基礎項目評価書 on its own (its form prints the 基礎項目評価書).
pub fn is_standalone(doc: &Loaded) -> bool {
    doc.basic_form.is_none() && doc.form.kind == "様式2"
}

/// The 基礎項目評価書 of `doc` printed with `form2`: every item `form2` derives and `doc` does
/// not answer itself is filled; the cover carries the 基礎項目評価書's 評価書名 and 公表日.
pub fn derive(doc: &Loaded, form2: &Arc<Form>) -> Loaded {
    let standalone = doc.form.kind == form2.kind;
    // The document with option ids (the typed model's own spelling), to read and write, and as
    // its form prints it (to evaluate its conditions).
    let mut v = serde_json::to_value(&doc.assessment).unwrap_or(Value::Null);
    let source = v.clone();
    let texts = doc.form.texts_of(&doc.assessment);
    for node in form2.nodes.iter().filter(|n| n.derive.is_some()) {
        let Some(rule) = node.derive.as_deref() else {
            continue;
        };
        let read = Read {
            doc,
            source: &source,
            texts: &texts,
        };
        let derived = match rule {
            // Reads the answers derived so far (the measure's own answer).
            "priority" => {
                let current = Read {
                    doc,
                    source: &v,
                    texts: &texts,
                };
                derived(form2, &current, node, rule, standalone)
            }
            _ => derived(form2, &read, node, rule, standalone),
        };
        if let Some(value) = derived {
            let path = node.p.trim_end_matches("[]");
            let written = lookup(&source, path).is_some_and(|x| !is_empty(x));
            let yields = OVERRIDABLE.contains(&rule) && !node.computed;
            if !(written && yields)
                && let Some(slot) = slot(&mut v, path)
            {
                *slot = value;
            }
        }
    }
    let assessment: Assessment =
        serde_json::from_value(v).unwrap_or_else(|_| doc.assessment.clone());
    Loaded {
        form: form2.clone(),
        // A report derived from a 全項目評価書 names its own form as its 基礎項目評価書, so that it is
        // never taken for a standalone one (whose computed items come from the しきい値判断 alone)
        // and derived again.
        basic_form: (!standalone).then(|| form2.clone()),
        assessment,
        sources: doc.sources.clone(),
        dir: doc.dir.clone(),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// The place of a (block-free) path in the JSON tree, creating the tables on the way.
fn slot<'v>(root: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let keys: Vec<&str> = path.split('.').collect();
    let mut cur = root;
    for (i, key) in keys.iter().enumerate() {
        let map = cur.as_object_mut()?;
        cur = map.entry(key.to_string()).or_insert(Value::Null);
        if cur.is_null() && i + 1 < keys.len() {
            *cur = Value::Object(serde_json::Map::new());
        }
    }
    Some(cur)
}

/// What a derivation reads: the document with option ids, and as its form prints it.
struct Read<'a> {
    doc: &'a Loaded,
    source: &'a Value,
    texts: &'a Value,
}

/// The derived value of `node` (option ids), if the rule yields one.
fn derived(form2: &Form, read: &Read, node: &Node, rule: &str, standalone: bool) -> Option<Value> {
    let (doc, source) = (read.doc, read.source);
    let values = |pattern: &str| -> Vec<Value> {
        expand(source, pattern)
            .iter()
            .filter(|p| !doc.form.is_absent(read.texts, p))
            .filter_map(|p| lookup(source, p).cloned())
            .filter(|x| !is_empty(x))
            .collect()
    };
    match rule {
        "weakest" => {
            let set = form2.options_of(node)?;
            node.from
                .iter()
                .flat_map(|p| values(p))
                .filter_map(|x| x.as_str().and_then(|id| set.index_of(id)))
                .max()
                .map(|i| Value::String(set.options[i].id.clone()))
        }
        "all" => {
            let found: Vec<bool> = node
                .from
                .iter()
                .flat_map(|p| expand(source, p))
                .map(|p| lookup(source, &p) == Some(&Value::Bool(true)))
                .collect();
            (!found.is_empty()).then(|| Value::Bool(found.iter().all(|b| *b)))
        }
        "copy" => node.from.first().and_then(|p| lookup(source, p)).cloned(),
        "audit" => {
            let done = |p: &str| {
                lookup(source, p)
                    .and_then(Value::as_str)
                    .is_some_and(|id| id == "especially" || id == "sufficient")
            };
            let mut m = serde_json::Map::new();
            if done("other_risk.audit.self_check") {
                m.insert("self_check".into(), Value::Bool(true));
            }
            if done("other_risk.audit.audit") {
                m.insert("internal".into(), Value::Bool(true));
            }
            (!standalone && !m.is_empty()).then_some(Value::Object(m))
        }
        "threshold_result" => {
            let d = threshold::decide_for(&doc.form, &doc.assessment.threshold)?;
            let r: ThresholdResult = d.obliged.result_option();
            Some(Value::String(r.id().to_string()))
        }
        "report_kind" => Some(Value::String(report_kind(doc, standalone).to_string())),
        "full_report" => Some(Value::Bool(report_kind(doc, standalone) != "basic")),
        "priority" => {
            // The chosen measure names the item whose answer is repeated (【再掲】).
            let from = node.from.first()?;
            let measure_node = form2.node(from)?;
            let chosen = lookup(source, from)?.as_str()?;
            let item = form2
                .options_of(measure_node)?
                .option(chosen)?
                .item
                .as_deref()?;
            let answer = lookup(source, item)?.as_str()?;
            let answer_set = form2.options_of(form2.node(item)?)?;
            let own_set = form2.options_of(node)?;
            // The same position in this item's set (a 「十分に行っている」 is a 「十分である」).
            let i = answer_set.index_of(answer)?;
            own_set.options.get(i).map(|o| Value::String(o.id.clone()))
        }
        "title" => {
            let own = doc.assessment.basic_report.title.trim();
            if !own.is_empty() || standalone {
                return (!own.is_empty()).then(|| Value::String(own.to_string()));
            }
            let title = doc.assessment.cover.title.trim();
            let (from, to) = (report_name(&doc.form), report_name(form2));
            Some(Value::String(if title.contains(from) {
                title.replacen(from, to, 1)
            } else {
                format!("{title}　{to}")
            }))
        }
        "published_on" => doc
            .assessment
            .basic_report
            .published_on
            .map(|d| Value::String(d.to_string())),
        // Standalone, the document's own rows are the report's.
        "replace" if standalone => None,
        "replace" => Some(
            node.from
                .first()
                .and_then(|p| lookup(source, p))
                .cloned()
                .unwrap_or(Value::Array(Vec::new())),
        ),
        _ => None,
    }
}

/// The kind of report the body submits (Ⅳ-1): the kind of the document it is derived from, or
/// for a standalone 基礎項目評価書 what the しきい値判断 obliges.
fn report_kind(doc: &Loaded, standalone: bool) -> &'static str {
    if !standalone {
        return match doc.form.kind.as_str() {
            "様式3" => "focused",
            _ => "full",
        };
    }
    match threshold::decide_for(&doc.form, &doc.assessment.threshold).map(|d| d.obliged) {
        Some(Obliged::BasicAndFull) => "full",
        Some(Obliged::BasicAndFocused) => "focused",
        _ => "basic",
    }
}

/// The answers written in `[basic_report]` that are better than what the 全項目評価書 says
/// (「十分である」 where a Ⅲ answer is 「課題が残されている」, 「委託しない」 while a file entrusts),
/// for `check`'s consistency rule.
pub fn overrides_weaker_sources(doc: &Loaded, form2: &Arc<Form>) -> Vec<Override> {
    // The answers compared here never come from the table of changes: a long 別添３ is left out.
    let slim = doc.assessment.without_changes();
    let written = serde_json::to_value(&slim).unwrap_or(Value::Null);
    let mut blank = slim;
    blank.basic_report = Default::default();
    blank.basic_report.risk.manual_work = doc.assessment.basic_report.risk.manual_work.clone();
    let base = Loaded {
        form: doc.form.clone(),
        basic_form: None,
        assessment: blank,
        sources: Default::default(),
        dir: doc.dir.clone(),
    };
    let derived = derive(&base, form2);
    let derived = serde_json::to_value(&derived.assessment).unwrap_or(Value::Null);
    let mut out = Vec::new();
    for node in form2
        .nodes
        .iter()
        .filter(|n| matches!(n.derive.as_deref(), Some("weakest" | "all")))
    {
        let (Some(w), Some(d)) = (lookup(&written, &node.p), lookup(&derived, &node.p)) else {
            continue;
        };
        if is_empty(w) || is_empty(d) || w == d {
            continue;
        }
        let better = match node.k {
            Kind::Choice => form2.options_of(node).is_some_and(|set| {
                let rank = |x: &Value| x.as_str().and_then(|id| set.index_of(id));
                rank(w) < rank(d)
            }),
            // 「委託しない」 written while some file entrusts.
            _ => w == &Value::Bool(true),
        };
        if better {
            let text = |x: &Value| match x {
                Value::String(id) => form2
                    .options_of(node)
                    .and_then(|s| s.option(id))
                    .map_or_else(|| id.clone(), |o| o.text.clone()),
                Value::Bool(true) => "印あり".to_string(),
                _ => "印なし".to_string(),
            };
            out.push(Override {
                path: node.p.clone(),
                written: text(w),
                derived: text(d),
                from: node.from.clone(),
            });
        }
    }
    out
}

/// A derived answer the author replaced by a better one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub path: String,
    pub written: String,
    pub derived: String,
    /// The 全項目評価書's items the derived answer comes from (patterns).
    pub from: Vec<String>,
}
