//! JSON Schema of the assessment TOML, for editors (Taplo / Even Better TOML, VS Code).
//!
//! The structure (tables, arrays, keys) comes from the Rust model through `schemars`, so the
//! schema cannot drift from what the loader accepts; titles, descriptions and the allowed
//! values of every item come from the form definition.

use schemars::generate::SchemaSettings;
use schemars::{Schema, json_schema};
use serde_json::{Map, Value, json};

use crate::form::{Form, Kind, Node};
use crate::model::Assessment;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draft {
    /// JSON Schema 2020-12 (`schema/R6.10-yoshiki4.schema.json`).
    Draft2020,
    /// Draft-07, read by Taplo / Even Better TOML (`schema/R6.10-yoshiki4.draft07.schema.json`).
    Draft07,
}

/// The file name of the schema of `form` in a draft: `schema/<form id>.schema.json` (2020-12) and
/// `schema/<form id>.draft07.schema.json` (draft-07, read by Taplo and Tombi).
pub fn file_name(form: &Form, draft: Draft) -> String {
    match draft {
        Draft::Draft2020 => format!("{}.schema.json", form.id),
        Draft::Draft07 => format!("{}.draft07.schema.json", form.id),
    }
}

/// The schema of `form` as pretty JSON text with a final newline (what `pia schema` prints).
pub fn to_string(form: &Form, draft: Draft) -> String {
    let mut s = serde_json::to_string_pretty(&generate(form, draft)).expect("schema serialises");
    s.push('\n');
    s
}

/// The schema of the assessments that use `form`.
pub fn generate(form: &Form, draft: Draft) -> Value {
    let settings = match draft {
        Draft::Draft2020 => SchemaSettings::draft2020_12(),
        Draft::Draft07 => SchemaSettings::draft07(),
    }
    .with(|s| s.inline_subschemas = true);
    let schema = settings.into_generator().root_schema_for::<Assessment>();
    let mut value = schema.to_value();
    if let Value::Object(root) = &mut value {
        root.insert("title".into(), json!(format!("{}{}", form.title, form.tag)));
        root.insert(
            "description".into(),
            json!(format!(
                "{}{}を TOML で記述するためのスキーマ（pia）。項目の説明は様式の印刷どおりの名称です。",
                form.title, form.tag
            )),
        );
        decorate_object(form, root, "");
        if let Some(Value::Object(props)) = root.get_mut("properties")
            && let Some(Value::Object(inc)) = props.get_mut("include")
        {
            inc.insert("title".into(), json!("読み込むファイル"));
            inc.insert(
                    "description".into(),
                    json!("この評価書を構成する他の TOML ファイル（評価書ディレクトリからの相対パス）。表は項目ごとに、表の配列は順に結合されます。"),
                );
        }
    }
    value
}

fn decorate_object(form: &Form, obj: &mut Map<String, Value>, pattern: &str) {
    let Some(Value::Object(props)) = obj.get_mut("properties") else {
        return;
    };
    // Keys of the model this form does not have (another form's items) or that pia computes:
    // the loader refuses them, so the schema does not offer them.
    let dropped: Vec<String> = props
        .keys()
        .filter(|key| {
            let child = if pattern.is_empty() {
                key.to_string()
            } else {
                format!("{pattern}.{key}")
            };
            let node = form
                .node(&format!("{child}[]"))
                .or_else(|| form.node(&child));
            !(pattern.is_empty() && key.as_str() == "include") && node.is_none_or(|n| n.computed)
        })
        .cloned()
        .collect();
    for key in &dropped {
        props.remove(key);
    }
    if let Some(default) = obj.get_mut("default") {
        prune_default(form, default, pattern);
    }
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|k| k.as_str().is_none_or(|k| !dropped.iter().any(|d| d == k)));
    }
    let Some(Value::Object(props)) = obj.get_mut("properties") else {
        return;
    };
    for (key, sub) in props.iter_mut() {
        let child = if pattern.is_empty() {
            key.clone()
        } else {
            format!("{pattern}.{key}")
        };
        let Value::Object(sub) = sub else { continue };
        let array_pattern = format!("{child}[]");
        if let Some(node) = form.node(&array_pattern) {
            annotate(sub, form, node, &array_pattern);
            if let Some(Value::Object(items)) = sub.get_mut("items") {
                annotate(items, form, node, &array_pattern);
                decorate_object(form, items, &array_pattern);
            }
            continue;
        }
        let Some(node) = form.node(&child) else {
            continue;
        };
        if node.k.is_leaf() {
            let replacement = leaf_schema(form, node);
            *sub = replacement;
            annotate(sub, form, node, &child);
        } else {
            annotate(sub, form, node, &child);
            decorate_object(form, sub, &child);
        }
    }
}

/// Removes from a default value the keys the form does not have, at any depth.
fn prune_default(form: &Form, value: &mut Value, pattern: &str) {
    let Value::Object(map) = value else { return };
    map.retain(|key, _| {
        let child = if pattern.is_empty() {
            key.clone()
        } else {
            format!("{pattern}.{key}")
        };
        form.node(&format!("{child}[]"))
            .or_else(|| form.node(&child))
            .is_some_and(|n| !n.computed)
    });
    for (key, sub) in map.iter_mut() {
        let child = if pattern.is_empty() {
            key.clone()
        } else {
            format!("{pattern}.{key}")
        };
        prune_default(form, sub, &child);
    }
}

/// A block number no printed label contains (see [`annotate`]).
const SENTINEL: usize = 987_654_321;

fn annotate(obj: &mut Map<String, Value>, form: &Form, node: &Node, pattern: &str) {
    let title = match node.k {
        Kind::Section => node.heading(),
        // A block printed by its name (「［{name}］」, a file): the group it belongs to.
        Kind::Block if node.l.contains("{name}") => form
            .node(crate::path::parent_pattern(pattern))
            .map_or_else(|| node.l.replace("{name}", ""), |g| g.l.clone()),
        _ => node.full_label().replace("{n}", ""),
    };
    obj.insert("title".into(), json!(title));
    // Descriptions come from the form only (the model's doc comments are for developers).
    obj.remove("description");
    let mut desc = Vec::new();
    // A block's number as 「n」 (「システムn」): printed at an index no label contains.
    let printed = form
        .printed_path(&pattern.replace("[]", &format!("[{}]", SENTINEL - 1)), &[])
        .replace(&SENTINEL.to_string(), "n");
    if !node.hide && !node.tool && printed != title {
        desc.push(format!("様式の項目: {printed}"));
    }
    if node.k.is_leaf() && !node.tool && form.is_star(pattern) {
        desc.push("※ 重要な変更の対象項目（変更は事前の再評価が必要になり得ます）".to_string());
    }
    if let Some(n) = &node.n {
        desc.push(n.clone());
    }
    if node.tool {
        desc.push("（ツール用。評価書には印刷されません）".to_string());
    }
    if let Some(set) = form.options_of(node)
        && node.k == Kind::Choice
    {
        let close = if form.numbering(pattern) == ")" {
            ")"
        } else {
            "）"
        };
        desc.push(format!("＜選択肢＞ {}", set.numbered(close)));
    }
    if !desc.is_empty() {
        obj.insert("description".into(), json!(desc.join("\n")));
    }
}

/// A calendar date as `pia` reads it: a TOML date (`2025-06-01`), the same date quoted
/// (`"2025-06-01"`: editors that read TOML dates as strings cannot tell them apart, so both are
/// accepted by pia and by the schema), or `""` for an item not yet written. The pattern admits
/// valid dates only (days per month and 29 February of leap years), so no spelling is accepted
/// by the schema and refused by pia or the reverse.
fn date_schema() -> Map<String, Value> {
    const DATE: &str = "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$";
    let v = json!({ "anyOf": [
        { "type": "string", "format": "date" },
        { "type": "string", "pattern": DATE },
        { "const": "" }
    ] });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The schema of one leaf, from its kind in the form definition.
fn leaf_schema(form: &Form, node: &Node) -> Map<String, Value> {
    let v = match node.k {
        Kind::Text | Kind::Line | Kind::Figure => json!({ "type": "string" }),
        Kind::Choice => {
            let mut texts: Vec<Value> = form
                .options_of(node)
                .map(|s| s.options.iter().map(|o| json!(o.text)).collect())
                .unwrap_or_default();
            texts.push(json!(""));
            json!({ "type": "string", "enum": texts })
        }
        Kind::Checks => {
            let set = node.c.as_deref().unwrap_or_default();
            checks_schema(form, set).to_value()
        }
        Kind::Check => json!({ "type": "boolean" }),
        Kind::Date => Value::Object(date_schema()),
        Kind::Period => {
            let mut start = date_schema();
            start.insert("title".into(), json!("開始日"));
            let mut end = date_schema();
            end.insert("title".into(), json!("終了日"));
            json!({
                "type": "object",
                "properties": { "start": start, "end": end },
                "additionalProperties": false
            })
        }
        Kind::Count => json!({ "anyOf": [ { "type": "integer", "minimum": 0 }, { "const": "" } ] }),
        Kind::List => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::Rows => {
            json!({ "type": "array", "items": { "type": "array", "items": { "type": "string" } } })
        }
        Kind::Section | Kind::Group | Kind::Block => json!({ "type": "object" }),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Schema of a check-list: the option texts as keys.
pub fn checks_schema(form: &Form, set: &str) -> Schema {
    let Some(options) = form.check_set(set) else {
        return json_schema!({ "type": "object" });
    };
    let mut props = Map::new();
    for o in &options.options {
        let (ty, desc) = if o.count {
            (
                json!({ "type": "integer", "minimum": 0 }),
                "件数を書きます。",
            )
        } else if o.free {
            (
                json!({ "type": ["string", "boolean"] }),
                "（　）に入る内容を書きます。",
            )
        } else {
            (json!({ "type": "boolean" }), "チェックする場合 true。")
        };
        let mut m = match ty {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        m.insert("title".into(), json!(o.text));
        let mut d = desc.to_string();
        if let Some(g) = &o.group {
            d = format!("・{g}　{d}");
        }
        m.insert("description".into(), json!(d));
        props.insert(o.text.clone(), Value::Object(m));
    }
    let v = json!({ "type": "object", "properties": props, "additionalProperties": false });
    Schema::try_from(v).unwrap_or_else(|_| json_schema!({ "type": "object" }))
}

/// Removes `null`s (absent items) from a serialised model, giving the JSON that a TOML file
/// with the same content converts to.
pub fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
