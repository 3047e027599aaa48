//! `pia init`: a new assessment skeleton with every item present and empty, each commented
//! with its label as printed on the form.

use std::fmt::Write;

use crate::form::{Form, Kind, Node};

/// Blocks that a new assessment starts without (history and free attachments).
const SKIPPED: &[&str] = &["changes[]", "pending[]", "attachments[]"];

/// The skeleton `assessment.toml` of `form`. `schema_ref` is the path written in the `#:schema`
/// line.
pub fn skeleton(form: &Form, schema_ref: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "#:schema {schema_ref}");
    let _ = writeln!(out, "# {}{}", form.title, form.tag);
    let starred = form.nodes.iter().any(|n| n.m);
    let _ = writeln!(
        out,
        "# 各項目の上のコメントは様式に印刷される項目名です。{}",
        if starred {
            "「※」は重要な変更の対象項目です。"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "# 選択肢は番号を付けずに文言だけを書きます（例: adequacy = \"十分である\"）。"
    );
    let _ = writeln!(
        out,
        "# チェック項目は選択肢の文言をキーに書きます（例: methods = {{ \"紙\" = true, \"その他\" = \"…\" }}）。"
    );
    let _ = writeln!(
        out,
        "# 日付は引用符なしで書きます（例: published_on = 2025-06-01）。空欄の \"\" は未記入として pia check が指摘します。"
    );
    let _ = writeln!(
        out,
        "# 長い評価書は include で複数のファイルに分けられます（例: include = [\"file-1.toml\", \"changes.toml\"]）。"
    );
    emit_table(form, &mut out, "", "", false);
    let _ = writeln!(out);
    if let Some(group) = form.node("changes") {
        let _ = writeln!(
            out,
            "# {}は、版を重ねるごとに [[changes]] の行を追加します（pia diff --record で自動追加できます）。",
            group.l
        );
    }
    if form.node("attachments[]").is_some() {
        let _ = writeln!(
            out,
            "# 別紙（表）は [[attachments]] に id, title, columns, rows, notes を書きます。"
        );
    }
    out
}

fn key_of(node: &Node) -> &str {
    let p = node.p.trim_end_matches("[]");
    p.rsplit('.').next().unwrap_or(p)
}

fn toml_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Emits the leaves of the table at `pattern`, then its sub-tables.
fn emit_table(form: &Form, out: &mut String, pattern: &str, path: &str, _in_array: bool) {
    let children: Vec<&Node> = form.children(pattern).collect();
    for node in children.iter().filter(|n| n.k.is_leaf()) {
        emit_leaf(form, out, node);
    }
    for node in children.iter().filter(|n| !n.k.is_leaf()) {
        if node.tool || SKIPPED.contains(&node.p.as_str()) || !writable(form, &node.p) {
            continue;
        }
        let key = key_of(node);
        if node.k == Kind::Block {
            // `x[]` under a group node `x` is emitted by that group; a block without one is
            // emitted here.
            let group = node.p.trim_end_matches("[]");
            if form.node(group).is_none() {
                let child_path = toml_path(path, key);
                let _ = writeln!(out);
                comment_group(out, node);
                let _ = writeln!(out, "[[{child_path}]]");
                emit_table(form, out, &node.p, &child_path, true);
            }
            continue;
        }
        let array = form.node(&format!("{}[]", node.p));
        let child_path = toml_path(path, key);
        let _ = writeln!(out);
        comment_group(out, node);
        match array {
            Some(block) if !SKIPPED.contains(&block.p.as_str()) => {
                comment_group(out, block);
                let _ = writeln!(out, "[[{child_path}]]");
                emit_table(form, out, &block.p, &child_path, true);
            }
            Some(_) => {}
            None => {
                let _ = writeln!(out, "[{child_path}]");
                emit_table(form, out, &node.p, &child_path, false);
            }
        }
    }
}

/// Whether the group at `pattern` holds an item the author writes (not only computed ones).
fn writable(form: &Form, pattern: &str) -> bool {
    let prefix = format!("{pattern}.");
    let array = format!("{pattern}[]");
    form.nodes.iter().any(|n| {
        (n.p.starts_with(&prefix) || n.p.starts_with(&array)) && n.k.is_leaf() && !n.computed
    })
}

fn comment_group(out: &mut String, node: &Node) {
    if node.hide && node.k != Kind::Block {
        if let Some(n) = &node.n {
            let _ = writeln!(out, "# {n}");
        }
        return;
    }
    let mut label = match node.k {
        Kind::Section => node.heading(),
        Kind::Block => node.l.replace("{n}", "1").replace(
            "［{name}］",
            "特定個人情報ファイル（ファイルごとに [[files]] を繰り返します）",
        ),
        _ => node.heading(),
    };
    if node.m {
        if let Some(ms) = &node.ms {
            label = format!("{label} {ms}");
        } else if node.k != Kind::Section || !label.contains('※') {
            label.push_str(" ※");
        }
    }
    let _ = writeln!(out, "# {label}");
}

fn emit_leaf(form: &Form, out: &mut String, node: &Node) {
    // Computed items are never written (the loader refuses them).
    if node.tool || node.computed || node.p == "meta.ended_on" {
        return;
    }
    let key = key_of(node);
    let star = if node.m { " ※" } else { "" };
    let _ = writeln!(out, "# {}{star}", node.full_label());
    if let Some(set) = form.options_of(node) {
        if node.k == Kind::Check {
            // A yes/no item the form prints as two options: true is the first.
            let close = form.numbering(&node.p);
            let first = set.options.first().map_or("", |o| o.text.as_str());
            let _ = writeln!(
                out,
                "#   ＜選択肢＞ {}（true が「{first}」）",
                set.numbered(close)
            );
        } else if node.k == Kind::Choice {
            let close = form.numbering(&node.p);
            let _ = writeln!(out, "#   ＜選択肢＞ {}", set.numbered(close));
        } else {
            let opts: Vec<String> = set
                .options
                .iter()
                .map(|o| {
                    if o.free {
                        format!("{}（　）", o.text)
                    } else if o.count {
                        format!("{}（件数）", o.text)
                    } else {
                        o.text.clone()
                    }
                })
                .collect();
            let _ = writeln!(out, "#   ＜チェック項目＞ {}", opts.join(" / "));
        }
    }
    let value = match node.k {
        Kind::Text | Kind::Line | Kind::Figure | Kind::Choice | Kind::Date | Kind::Count => {
            "\"\"".to_string()
        }
        Kind::Checks => "{}".to_string(),
        Kind::Check => "false".to_string(),
        Kind::Period => "{ start = \"\", end = \"\" }".to_string(),
        Kind::List | Kind::Rows => "[]".to_string(),
        Kind::Section | Kind::Group | Kind::Block => return,
    };
    let value = if node.p == "meta.form_version" {
        format!("\"{}\"", form.id)
    } else if let Some(start) = &node.start {
        toml_string(start)
    } else {
        value
    };
    let _ = writeln!(out, "{key} = {value}");
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
