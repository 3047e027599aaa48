//! The presentation data of the PDF: everything the template prints, already worded as printed
//! (labels from the form definition, 「[ ○ ]」 check boxes, 和暦 dates). The template only lays
//! it out; it reaches typst as the virtual file `/data.json`, never as markup.

use serde_json::{Value, json};

use crate::form::{self, Form, Kind, Node};
use crate::load::Loaded;
use crate::model::{Date, Period};

use super::wareki;

/// Inputs of the presentation besides the assessment.
pub struct DataOptions<'a> {
    pub font: &'a str,
    pub draft: bool,
    /// Virtual path of the 別添1 figure (`/figure.svg`), when there is one.
    pub figure: Option<&'a str>,
    pub extra_changes: &'a [crate::model::ChangeRow],
}

/// Builds the JSON document read by the template.
pub fn build(loaded: &Loaded, opts: &DataOptions) -> Value {
    let form = &*loaded.form;
    let a = &loaded.assessment;
    let root = form.texts_of(a);
    let b = Builder { form };

    let mut parts: Vec<Value> = Vec::new();
    let mut toc: Vec<String> = Vec::new();

    // Ⅰ and 別添1.
    if let Some(section) = form.node("basic") {
        let heading = section_heading(section);
        toc.push(section.heading());
        let rows = b.rows_of(
            "basic",
            root.get("basic").unwrap_or(&Value::Null),
            &["basic.attachment1"],
        );
        parts.push(json!({ "kind": "table", "heading": heading, "rows": rows }));
    }
    if let Some(att1) = form.node("basic.attachment1") {
        toc.push(att1.l.clone());
        let mut notes_label = form
            .node("basic.attachment1.notes")
            .map(|n| n.l.clone())
            .unwrap_or_default();
        // Authors who copied the 「（備考）」 line into the text do not get it twice.
        if a.basic
            .attachment1
            .notes
            .trim_start()
            .starts_with(&notes_label)
        {
            notes_label.clear();
        }
        parts.push(json!({
            "kind": "att1",
            "heading": att1.l,
            "figure": opts.figure,
            "notes_label": notes_label,
            "notes": a.basic.attachment1.notes,
        }));
    }

    // Ⅱ, 別添2 and Ⅲ for every file.
    let files = root
        .get("files")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let file_parts = |pattern: &str, key: &str| -> (Option<String>, Vec<Value>) {
        let Some(section) = form.node(pattern) else {
            return (None, Vec::new());
        };
        let heading = section_heading(section);
        let parts = files
            .iter()
            .map(|f| {
                let rows = b.rows_of(pattern, f.get(key).unwrap_or(&Value::Null), &[]);
                json!({ "kind": "table", "heading": heading, "rows": rows })
            })
            .collect();
        (Some(section.heading()), parts)
    };
    let (h2, p2) = file_parts("files[].overview", "overview");
    toc.extend(h2);
    parts.extend(p2);
    if let Some(att2) = form.node("files[].attachment2") {
        toc.push(att2.l.clone());
        let notes_label = form
            .node("files[].attachment2.notes")
            .map(|n| n.l.clone())
            .unwrap_or_default();
        for f in &a.files {
            let groups: Vec<Value> = f
                .attachment2
                .groups
                .iter()
                .map(|g| {
                    json!({
                        "file": if g.file.is_empty() { String::new() } else { format!("【{}】", g.file) },
                        "table": if g.table.is_empty() { String::new() } else { format!("＜{}＞", g.table) },
                        "items": g.items,
                        "notes": g.notes,
                    })
                })
                .collect();
            parts.push(json!({
                "kind": "att2",
                "heading": att2.l,
                "file": f.overview.file_name,
                "groups": groups,
                "notes_label": notes_label,
                "notes": f.attachment2.notes,
            }));
        }
    }
    let (h3, p3) = file_parts("files[].risk", "risk");
    toc.extend(h3);
    parts.extend(p3);

    // Ⅳ–Ⅵ.
    for key in ["other_risk", "disclosure", "procedure"] {
        if let Some(section) = form.node(key) {
            toc.push(section.heading());
            let rows = b.rows_of(key, root.get(key).unwrap_or(&Value::Null), &[]);
            parts.push(
                json!({ "kind": "table", "heading": section_heading(section), "rows": rows }),
            );
        }
    }

    // 別添3.
    if let Some(changes) = form.node("changes") {
        toc.push(changes.l.clone());
        let columns: Vec<&Node> = b.children("changes[]").filter(|n| !n.tool).collect();
        // The recorded rows and the pending ones, as the form words them.
        let mut all = json!({ "changes": a
            .changes
            .iter()
            .chain(opts.extra_changes.iter())
            .map(|c| serde_json::to_value(c).unwrap_or(Value::Null))
            .collect::<Vec<_>>() });
        form.to_texts(&mut all);
        let rows: Vec<Vec<String>> = all["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| {
                columns
                    .iter()
                    .map(|n| b.plain(n, b.at(row, &n.p["changes[].".len()..])))
                    .collect()
            })
            .collect();
        parts.push(json!({
            "kind": "changes",
            "heading": changes.l,
            "columns": columns.iter().map(|n| n.l.clone()).collect::<Vec<_>>(),
            "rows": rows,
        }));
    }

    // 別紙.
    for att in &a.attachments {
        let heading = [att.id.as_str(), att.title.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("　");
        parts.push(json!({
            "kind": "sheet",
            "heading": heading,
            "columns": att.columns,
            "rows": att.rows,
            "notes": att.notes,
        }));
    }

    // Cover.
    let label = |p: &str| form.node(p).map(|n| n.l.clone()).unwrap_or_default();
    let mut title = a.cover.title.clone();
    if let Some(ended) = a.meta.ended_on {
        title.push_str(&format!("【{} 終了】", wareki::format(ended)));
    }
    let cover = json!({
        "number_label": label("cover.assessment_number"),
        "number": a.cover.assessment_number.map(|n| n.to_string()).unwrap_or_default(),
        "title_label": label("cover.title"),
        "title": title,
        "declaration_label": label("cover.declaration"),
        "declaration": a.cover.declaration,
        "notes_label": label("cover.special_notes"),
        "notes": a.cover.special_notes,
        "org_label": label("cover.organization_name"),
        "org": a.cover.organization_name,
        "published_label": label("cover.published_on"),
        "published": a.cover.published_on.map(wareki::format).unwrap_or_default(),
        "approved_label": label("cover.ppc_approved_on"),
        "approved": a.cover.ppc_approved_on.map(wareki::format).unwrap_or_default(),
    });

    json!({
        "tag": form.tag,
        "form_title": form.title,
        "toc_label": "項目一覧",
        "draft": opts.draft,
        "draft_label": "下書き",
        "font": opts.font,
        "doc_title": title,
        "doc_author": a.cover.organization_name,
        "cover": cover,
        "toc": toc,
        "parts": parts,
    })
}

/// 「Ⅲ　… ※（７．リスク１⑨を除く。）」, 「Ⅳ　その他のリスク対策 ※」.
fn section_heading(n: &Node) -> String {
    let h = n.heading();
    if n.m {
        format!("{h} {}", n.ms.as_deref().unwrap_or("※"))
    } else {
        h
    }
}

fn star(n: &Node) -> String {
    if n.m {
        format!("{}　※", n.l)
    } else {
        n.l.clone()
    }
}

/// One label/value row of a table, possibly with sub-rows under a common head label.
struct Item {
    head: String,
    vertical: bool,
    /// (sub label — "" for the head's own row —, value)
    subs: Vec<(String, Value)>,
}

enum Row {
    Item(Item),
    Other(Value),
}

impl Row {
    fn into_json(self) -> Value {
        match self {
            Row::Other(v) => v,
            Row::Item(i) => json!({
                "t": "item",
                "head": i.head,
                "vertical": i.vertical,
                "subs": i.subs.into_iter().map(|(l, v)| json!({ "label": l, "value": v })).collect::<Vec<_>>(),
            }),
        }
    }
}

struct Builder<'f> {
    form: &'f Form,
}

impl<'f> Builder<'f> {
    /// Nodes whose nearest ancestor node is `pattern` (so `…entrustment.items[]` is a child of
    /// `…entrustment` although `…entrustment.items` is no node), in printed order.
    fn children<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'f Node> + 'a {
        let form = self.form;
        form.nodes.iter().filter(move |n| {
            let mut p = crate::path::parent_pattern(&n.p);
            loop {
                if p == pattern {
                    return true;
                }
                if p.is_empty() || form.node(p).is_some() {
                    return false;
                }
                p = crate::path::parent_pattern(p);
            }
        })
    }

    /// The value at a dotted relative path.
    fn at<'v>(&self, value: &'v Value, rel: &str) -> Option<&'v Value> {
        let mut v = value;
        for key in rel.split('.') {
            v = v.get(key)?;
        }
        (!v.is_null()).then_some(v)
    }

    fn rel<'n>(&self, parent: &str, node: &'n Node) -> &'n str {
        let rest = node.p.strip_prefix(parent).unwrap_or(&node.p);
        rest.strip_prefix('.').unwrap_or(rest)
    }

    fn rows_of(&self, pattern: &str, value: &Value, skip: &[&str]) -> Vec<Value> {
        let mut rows = Vec::new();
        let mut last_group = String::new();
        self.walk(pattern, value, skip, &mut rows, &mut last_group);
        rows.into_iter().map(Row::into_json).collect()
    }

    fn walk(
        &self,
        pattern: &str,
        value: &Value,
        skip: &[&str],
        rows: &mut Vec<Row>,
        last_group: &mut String,
    ) {
        let children: Vec<&Node> = self.children(pattern).collect();
        let mut i = 0;
        while i < children.len() {
            let node = children[i];
            i += 1;
            if node.tool || node.unprinted || skip.contains(&node.p.as_str()) {
                continue;
            }
            let rel = self.rel(pattern, node);
            match node.k {
                Kind::Section => {}
                Kind::Group => {
                    let v = self.at(value, rel).unwrap_or(&Value::Null);
                    if node.hide {
                        if node.l == *last_group {
                            // The same printed group continued (Ⅱ ３．入手・使用).
                            self.walk(&node.p, v, skip, rows, last_group);
                        } else {
                            // A vertical label over its rows (再委託 ⑦⑧⑨).
                            let mut inner = Vec::new();
                            self.walk(&node.p, v, skip, &mut inner, last_group);
                            let mut subs = Vec::new();
                            for r in inner {
                                match r {
                                    Row::Item(it) => {
                                        for (l, val) in it.subs {
                                            let label = if l.is_empty() {
                                                it.head.clone()
                                            } else {
                                                format!("{} {l}", it.head)
                                            };
                                            subs.push((label, val));
                                        }
                                    }
                                    Row::Other(o) => rows.push(Row::Other(o)),
                                }
                            }
                            if !subs.is_empty() {
                                rows.push(Row::Item(Item {
                                    head: node.l.clone(),
                                    vertical: true,
                                    subs,
                                }));
                            }
                        }
                        continue;
                    }
                    if node.l.starts_with("リスク") {
                        rows.push(Row::Other(json!({ "t": "risk", "text": node.heading() })));
                    } else {
                        *last_group = node.l.clone();
                        // Stand-alone boxes printed in the group header.
                        let boxes: Vec<String> = self
                            .children(&node.p)
                            .filter(|c| c.k == Kind::Check)
                            .map(|c| {
                                let on = self
                                    .at(v, self.rel(&node.p, c))
                                    .and_then(Value::as_bool)
                                    .unwrap_or(false);
                                format!("{} {}", check_box(on), c.l)
                            })
                            .collect();
                        let text = if node.m {
                            format!("{}　※", node.heading())
                        } else {
                            node.heading()
                        };
                        rows.push(Row::Other(
                            json!({ "t": "group", "text": text, "boxes": boxes }),
                        ));
                        if !node.risks.is_empty() {
                            let lines: Vec<String> = node
                                .risks
                                .iter()
                                .enumerate()
                                .map(|(k, r)| format!("リスク{}：　{r}", fullwidth(k + 1)))
                                .collect();
                            rows.push(Row::Other(json!({ "t": "note", "text": lines.join("\n") })));
                        }
                    }
                    self.walk(&node.p, v, skip, rows, last_group);
                }
                Kind::Block => {
                    let mut arr = rel
                        .strip_suffix("[]")
                        .and_then(|r| {
                            if r.is_empty() {
                                Some(value)
                            } else {
                                self.at(value, r)
                            }
                        })
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if arr.is_empty() && node.max.is_some() {
                        // The form prints the first block even when unused (移転先1 with empty cells).
                        arr.push(Value::Null);
                    }
                    let name_node = self
                        .children(&node.p)
                        .find(|c| c.k == Kind::Line && c.l == "名称");
                    let label = |n: usize| node.l.replace("{n}", &n.to_string());
                    for (k, el) in arr.iter().enumerate() {
                        let n = k + 1;
                        if node.max.is_some() && n >= 2 && (n == 2 || (n - 1) % 5 == 0) {
                            let end = if n == 2 { 5 } else { n + 4 };
                            rows.push(Row::Other(
                                json!({ "t": "range", "text": format!("{}～{end}", label(n)) }),
                            ));
                        }
                        let name = name_node
                            .and_then(|c| self.at(el, self.rel(&node.p, c)))
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        let text = if name.is_empty() {
                            label(n)
                        } else {
                            format!("{} {name}", label(n))
                        };
                        rows.push(Row::Other(json!({ "t": "block", "text": text })));
                        let skip_name: Vec<&str> = skip
                            .iter()
                            .copied()
                            .chain(name_node.map(|c| c.p.as_str()))
                            .collect();
                        self.walk(&node.p, el, &skip_name, rows, last_group);
                    }
                }
                Kind::Check | Kind::Figure | Kind::Rows => {}
                Kind::Count if i >= 2 && children[i - 2].k == Kind::Choice => {
                    // 「[ 委託する ]　（ 4 ）　件」: the count joins the choice before it.
                    let n = self
                        .at(value, rel)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    if let Some(Row::Item(it)) = rows.last_mut()
                        && let Some((_, Value::Object(m))) = it.subs.last_mut()
                    {
                        m.insert("after".into(), json!(format!("（ {n} ）　件")));
                    }
                }
                _ => {
                    let v = self.at(value, rel);
                    let cell = self.value(node, v);
                    if node.wide {
                        let text = cell.get("s").cloned().unwrap_or(json!(""));
                        rows.push(Row::Other(
                            json!({ "t": "wide", "label": star(node), "text": text }),
                        ));
                        continue;
                    }
                    match &node.pl {
                        Some(pl) => {
                            let sub = (star(node), cell);
                            let joined = match rows.last_mut() {
                                Some(Row::Item(it))
                                    if !it.vertical
                                        && (it.head == *pl
                                            || it.head.starts_with(pl.as_str())
                                            || strip_star(&it.head) == pl) =>
                                {
                                    it.subs.push(sub.clone());
                                    true
                                }
                                _ => false,
                            };
                            if !joined {
                                rows.push(Row::Item(Item {
                                    head: pl.clone(),
                                    vertical: false,
                                    subs: vec![sub],
                                }));
                            }
                        }
                        None => rows.push(Row::Item(Item {
                            head: star(node),
                            vertical: false,
                            subs: vec![(String::new(), cell)],
                        })),
                    }
                }
            }
        }
    }

    /// A value cell: `{k: text, s}`, `{k: choice, sel, opts, after}` or `{k: checks, groups}`.
    fn value(&self, node: &Node, v: Option<&Value>) -> Value {
        match node.k {
            Kind::Choice => {
                let sel = match v.and_then(Value::as_str) {
                    Some(s) if !s.is_empty() => format!("[ {s} ]"),
                    _ => "[ ]".to_string(),
                };
                let close = self.form.numbering(&node.p);
                let opts: Vec<String> = self
                    .form
                    .options_of(node)
                    .map(|set| {
                        set.options
                            .iter()
                            .enumerate()
                            .map(|(i, o)| format!("{}{close} {}", i + 1, o.text))
                            .collect()
                    })
                    .unwrap_or_default();
                json!({ "k": "choice", "sel": sel, "opts": opts, "after": "" })
            }
            Kind::Checks => {
                let map = v.and_then(Value::as_object).cloned().unwrap_or_default();
                let mut groups: Vec<Value> = Vec::new();
                let mut current: Option<String> = None;
                let mut items: Vec<String> = Vec::new();
                if let Some(set) = self.form.options_of(node) {
                    for o in &set.options {
                        if o.group != current {
                            if !items.is_empty() || current.is_some() {
                                groups.push(group_json(
                                    current.as_deref(),
                                    std::mem::take(&mut items),
                                ));
                            }
                            current = o.group.clone();
                        }
                        items.push(check_item(o, map.get(&o.text)));
                    }
                }
                groups.push(group_json(current.as_deref(), items));
                json!({ "k": "checks", "groups": groups })
            }
            _ => json!({ "k": "text", "s": self.plain(node, v) }),
        }
    }

    /// A value as plain printed text.
    fn plain(&self, node: &Node, v: Option<&Value>) -> String {
        let Some(v) = v else { return String::new() };
        match node.k {
            Kind::Date => v
                .as_str()
                .and_then(|s| s.parse::<Date>().ok())
                .map(wareki::format)
                .unwrap_or_default(),
            Kind::Period => serde_json::from_value::<Period>(v.clone())
                .map(|p| wareki::period(&p))
                .unwrap_or_default(),
            Kind::List => v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
            _ => match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => {
                    if *b {
                        "○".into()
                    } else {
                        String::new()
                    }
                }
                _ => String::new(),
            },
        }
    }
}

fn strip_star(s: &str) -> &str {
    s.strip_suffix("　※").unwrap_or(s)
}

fn group_json(title: Option<&str>, items: Vec<String>) -> Value {
    json!({ "title": title.map(|t| format!("・{t}")).unwrap_or_default(), "items": items })
}

fn check_box(on: bool) -> &'static str {
    if on { "[ ○ ]" } else { "[ ]" }
}

/// 「[ ○ ] その他 （ … ）」, 「[ ○ ] 提供を行っている （ 25 ） 件」, 「[ ] 紙」.
fn check_item(o: &form::ChoiceOption, v: Option<&Value>) -> String {
    let on = match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Null) | None => false,
        Some(_) => true,
    };
    let mut s = format!("{} {}", check_box(on), o.text);
    if o.free || o.count {
        let inner = match v {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        if inner.is_empty() {
            s.push_str(" （ ）");
        } else {
            s.push_str(&format!(" （ {inner} ）"));
        }
        if let Some(unit) = &o.unit {
            s.push_str(&format!(" {unit}"));
        }
    }
    s
}

/// 1 → 「１」 (risk numbers are printed in full-width digits).
fn fullwidth(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Value {
        let loaded = crate::load::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assessments/kanto-it-kenpo"
        )))
        .expect("reference assessment loads");
        build(
            &loaded,
            &DataOptions {
                font: "X",
                draft: false,
                figure: None,
                extra_changes: &[],
            },
        )
    }

    fn all_text(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|x| all_text(x, out)),
            Value::Object(m) => m.values().for_each(|x| all_text(x, out)),
            _ => {}
        }
    }

    #[test]
    fn printed_wording() {
        let data = reference();
        let mut text = String::new();
        all_text(&data, &mut text);
        for needle in [
            "Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※（７．リスク１⑨を除く。）",
            "Ⅳ　その他のリスク対策 ※",
            "[ 十分である ]",
            "1） 特に力を入れている",
            "（ 4 ）　件",
            "[ ○ ] 提供を行っている （ 25 ） 件",
            "[ ] 移転を行っている （ ） 件",
            "・識別情報",
            "リスク１：　目的外の入手が行われるリスク",
            "令和7年6月1日",
            "システム2～5",
            "②事務の内容　※",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
    }
}
