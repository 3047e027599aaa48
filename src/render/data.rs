//! The presentation data of the PDF: everything the template prints, already worded as printed
//! (labels from the form definition, 「[ ○ ]」 check boxes, 和暦 dates), as a typed model
//! ([`Document`]) serialised to the virtual file `/data.json`. The template only lays it out.
//!
//! What is printed where is the form's data: its nodes (labels, order, ※, option sets, `na`,
//! `inline`, `empty_ranges`) and its `[layout]` (parts, cover, fixed rows, words and marks; see
//! [`crate::form::layout`]). Code here never spells a label of the form nor tests one.

use serde::Serialize;
use serde_json::Value;

use crate::form::layout::{Layout, PartKind, PartSpec, Words};
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

/// The whole printed document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub cover: Cover,
    pub toc: Option<Toc>,
    pub parts: Vec<Part>,
}

/// Document-wide settings and words.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// The form's version tag (「[令和６年10月　様式４]」), printed on the cover only.
    pub tag: String,
    /// The document title (PDF metadata, shown by viewers: `DisplayDocTitle`).
    pub title: String,
    pub author: String,
    pub font: String,
    /// The mark printed on every page of a draft.
    pub draft: Option<String>,
    /// The caption of ＜選択肢＞ boxes.
    pub options: String,
    /// Widths (mm) of the label columns of a part's table.
    pub label_columns: [f64; 3],
}

/// A heading: printed text, level (H1/H2/H3 in the tag tree) and the bookmark, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub text: String,
    pub level: u8,
    /// The text of the PDF bookmark (names the file of a part printed per file); `None` for a
    /// heading without bookmark.
    pub bookmark: Option<String>,
}

/// The cover page.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// The form's title (「特定個人情報保護評価書（全項目評価書）」).
    pub title: Heading,
    pub pair: Vec<Field>,
    pub wide: Vec<Field>,
    pub fields: Vec<Field>,
}

/// A label and its value.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: String,
    pub value: Text,
}

/// The 項目一覧 page.
#[derive(Debug, Clone, Serialize)]
pub struct Toc {
    pub heading: Heading,
    pub entries: Vec<TocEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub text: String,
    pub indent: bool,
}

/// One logical line of a text: plain, or with a hanging indent (in em) for the lines of a
/// 「・」 bullet, a 「１－①」 step, a 「※」 note … that wrap.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Line {
    Plain(String),
    Hang { s: String, h: f32 },
}

/// A text as its logical lines.
pub type Text = Vec<Line>;

/// A part of the printed form (one page group with its heading).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Part {
    /// Label/value rows.
    Table { heading: Heading, rows: Vec<Row> },
    /// 別添1: a figure and its notes.
    Figure {
        heading: Heading,
        figure: Option<String>,
        alt: String,
        notes_label: String,
        notes: Text,
    },
    /// 別添2: record items in newspaper columns.
    Records {
        heading: Heading,
        file: String,
        entries: Vec<Record>,
        notes: Text,
    },
    /// 別添3: a table of changes.
    Changes {
        heading: Heading,
        columns: Vec<String>,
        widths: Vec<f64>,
        repeat: usize,
        rows: Vec<Vec<Text>>,
    },
    /// A 別紙.
    Sheet {
        heading: Heading,
        /// Distinguishes the sheets (page n of N markers).
        key: String,
        page_of: String,
        columns: Vec<String>,
        widths: Vec<f64>,
        repeat: usize,
        rows: Vec<Vec<Text>>,
        notes: Text,
    },
}

/// One entry of a 別添2 list.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Record {
    /// A 【…】 or ＜…＞ heading.
    Heading { heading: Heading },
    /// Items kept together in one column (an item and the 「同」 items under it).
    Items { items: Vec<String> },
    /// A note under a group.
    Note { text: Text },
}

/// A row of a part's table.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Row {
    /// A numbered group (「１．…」), with the boxes the form prints in its header.
    Group { heading: Heading, boxes: Vec<Mark> },
    /// A risk (「リスク１：　…」), a block (「システム1」) or a range of blocks (「システム2～5」).
    Sub { heading: Heading },
    /// Fixed lines under a group header (Ⅲ-4: the risks the measures answer).
    Note { lines: Vec<String> },
    /// A full-width label over a full-width text.
    Wide { label: String, text: Text },
    /// A label/value row, possibly with sub-rows.
    Item(Item),
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub head: String,
    /// The head is printed vertically over its sub-rows (再委託).
    pub vertical: bool,
    /// Kept on the page of the next row (the last measure of a risk with its
    /// 「リスクへの対策は十分か」).
    pub keep: bool,
    /// The row is the heading of what follows (H2 in the tag tree): the row that names the
    /// element of a part printed per element (「１．特定個人情報ファイル名」 of each file).
    pub heading: Option<Heading>,
    pub subs: Vec<Sub>,
}

/// A sub-row: its label ("" for the head's own row) and value.
#[derive(Debug, Clone, Serialize)]
pub struct Sub {
    pub label: String,
    pub value: Cell,
}

/// A value cell.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Cell {
    Text {
        lines: Text,
    },
    Choice {
        sel: Mark,
        opts: Vec<String>,
        per_line: usize,
        /// Printed beside the selection (「（ 4 ）　件」).
        after: String,
        /// Printed under the choice, inside the cell (「（手数料額、納付方法：　）」, a note of
        /// the form).
        under: Vec<String>,
    },
    Checks {
        groups: Vec<CheckGroup>,
        per_line: usize,
    },
    /// The item does not apply to the body (「―」).
    Dash {
        s: String,
    },
}

/// A box or a selection with its text: printed `mark` then `text`, read as `alt` then `text`.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub mark: String,
    pub alt: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckGroup {
    pub title: String,
    pub items: Vec<Mark>,
}

/// Builds the document read by the template.
pub fn build(loaded: &Loaded, opts: &DataOptions) -> Document {
    let form = &*loaded.form;
    let layout = &form.layout_spec;
    let words = &layout.words;
    let a = &loaded.assessment;
    let root = form.texts_of(a);
    let b = Builder {
        form,
        layout,
        words,
        root: &root,
    };

    let file_count = root
        .get("files")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let file_names = loaded.file_names();

    let mut parts: Vec<Part> = Vec::new();
    let mut toc: Vec<TocEntry> = Vec::new();
    for spec in &layout.parts {
        let Some(node) = form.node(&spec.p) else {
            continue;
        };
        let heading_text = part_heading(node);
        if spec.toc && !toc.iter().any(|e| e.text == heading_text) {
            toc.push(TocEntry {
                text: heading_text.clone(),
                indent: spec.indent,
            });
        }
        // A part under a repeated block is printed for every element (each 特定個人情報ファイル).
        let instances: Vec<(String, Option<usize>)> = match spec.p.split_once("[].") {
            Some((array, _)) => {
                let n = crate::path::lookup(&root, array)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                (0..n)
                    .map(|i| (spec.p.replacen("[]", &format!("[{i}]"), 1), Some(i)))
                    .collect()
            }
            None => vec![(spec.p.clone(), None)],
        };
        for (at, index) in instances {
            let mut bookmark = heading_text.clone();
            if let Some(i) = index
                && file_count > 1
            {
                bookmark.push_str(&Words::fill(
                    &words.file,
                    file_names.get(i).map_or("", String::as_str),
                ));
            }
            let heading = Heading {
                text: heading_text.clone(),
                level: spec.level,
                bookmark: Some(bookmark),
            };
            let value = crate::path::lookup(&root, &at).unwrap_or(&Value::Null);
            match spec.kind {
                PartKind::Table => {
                    let mut rows = Vec::new();
                    let skip: Vec<&str> = spec.skip.iter().map(String::as_str).collect();
                    b.walk(
                        &spec.p,
                        value,
                        &at,
                        &skip,
                        &mut rows,
                        &mut String::new(),
                        false,
                    );
                    for with in &spec.with {
                        let v = crate::path::lookup(&root, with).unwrap_or(&Value::Null);
                        if let Some(n) = form.node(with) {
                            b.group_rows(n, v, with, &skip, &mut rows, &mut String::new(), false);
                        }
                    }
                    keep_with_closing_choice(&mut rows);
                    if index.is_some() {
                        name_row_as_heading(&mut rows, spec.level + 1);
                    }
                    parts.push(Part::Table { heading, rows });
                }
                PartKind::Figure => parts.push(b.figure_part(spec, node, value, heading, opts)),
                PartKind::Records => parts.push(b.records_part(spec, node, value, heading, &at)),
                PartKind::Changes => parts.push(b.changes_part(spec, node, a, heading, opts)),
                PartKind::Sheets => parts.extend(b.sheet_parts(spec, node, value)),
            }
        }
    }

    // Cover.
    let mut title = a.cover.title.clone();
    if let Some(ended) = a.meta.ended_on {
        title.push_str(&Words::fill(&words.ended, &wareki::format(ended)));
    }
    let field = |p: &String| -> Field {
        let value = match form.node(p) {
            Some(n) => {
                let v = b.plain(n, crate::path::lookup(&root, p));
                // The 評価書名 carries the 終了 mark of an ended 事務.
                if !v.is_empty() && v == a.cover.title {
                    text_lines(&title)
                } else {
                    text_lines(&v)
                }
            }
            None => Vec::new(),
        };
        Field {
            label: form.label(p).to_string(),
            value,
        }
    };
    let cover = Cover {
        title: Heading {
            text: form.title.clone(),
            level: 1,
            bookmark: Some(form.title.clone()),
        },
        pair: layout.cover.pair.iter().map(field).collect(),
        wide: layout.cover.wide.iter().map(field).collect(),
        fields: layout.cover.fields.iter().map(field).collect(),
    };

    Document {
        meta: Meta {
            tag: form.tag.clone(),
            // PDF/UA-1 needs a title: the form's own when the 評価書名 is not written yet.
            title: if title.trim().is_empty() {
                form.title.clone()
            } else {
                title.clone()
            },
            author: a.cover.organization_name.clone(),
            font: opts.font.to_string(),
            draft: opts.draft.then(|| words.draft.clone()),
            options: words.options.clone(),
            label_columns: layout.label_columns,
        },
        cover,
        toc: layout.toc.as_ref().map(|t| Toc {
            heading: Heading {
                text: t.clone(),
                level: 1,
                bookmark: Some(t.clone()),
            },
            entries: toc,
        }),
        parts,
    }
}

/// 「Ⅲ　… ※（７．リスク１⑨を除く。）」, 「Ⅳ　その他のリスク対策 ※」, 「（別添１） 事務の内容」.
fn part_heading(n: &Node) -> String {
    let h = n.heading();
    if n.m && n.k == Kind::Section {
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

fn strip_star(s: &str) -> &str {
    s.strip_suffix("　※").unwrap_or(s)
}

/// A part printed per element (each 特定個人情報ファイル) opens with the row that names the element;
/// that row is the element's heading (tagged H2 under the part's H1), titled by its label and value.
fn name_row_as_heading(rows: &mut [Row], level: u8) {
    if let Some(Row::Item(it)) = rows.first_mut()
        && let [sub] = it.subs.as_slice()
        && let Cell::Text { lines } = &sub.value
    {
        let value: Vec<&str> = lines
            .iter()
            .map(|l| match l {
                Line::Plain(s) | Line::Hang { s, .. } => s.as_str(),
            })
            .collect();
        it.heading = Some(Heading {
            text: format!("{}　{}", strip_star(&it.head), value.join(" ")),
            level,
            bookmark: None,
        });
    }
}

/// The row before an item that closes a run of items with a choice (a risk's
/// 「リスクへの対策は十分か」, followed by the next heading or the end) stays on its page.
fn keep_with_closing_choice(rows: &mut [Row]) {
    for i in 1..rows.len() {
        let closing = match &rows[i] {
            Row::Item(it) => {
                it.subs.len() == 1
                    && matches!(it.subs[0].value, Cell::Choice { .. })
                    && !matches!(rows.get(i + 1), Some(Row::Item(_)))
            }
            _ => false,
        };
        if closing && let Row::Item(prev) = &mut rows[i - 1] {
            prev.keep = true;
        }
    }
}

/// The logical lines of a text, with hanging indents for the lines that start with a marker.
pub fn text_lines(s: &str) -> Text {
    if s.is_empty() {
        return Vec::new();
    }
    s.split('\n')
        .map(|l| {
            let l = l.trim_end_matches('\r');
            match hang_of(l) {
                Some(h) if h > 0.0 => Line::Hang {
                    s: l.to_string(),
                    h,
                },
                _ => Line::Plain(l.to_string()),
            }
        })
        .collect()
}

/// Width (in em) of a line's leading indent and list marker: wrapped lines of 「・…」,
/// 「１－① …」, 「※…」, 「(1)…」, 「①…」 continue under the text after the marker. `None` for a
/// line without marker.
fn hang_of(line: &str) -> Option<f32> {
    fn width(c: char) -> f32 {
        if c.is_ascii() || ('\u{ff61}'..='\u{ff9f}').contains(&c) {
            0.5
        } else {
            1.0
        }
    }
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{3000}') {
        i += 1;
    }
    let start = i;
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let circled = |c: char| ('①'..='⑳').contains(&c);
    let roman = |c: char| ('ⅰ'..='ⅻ').contains(&c) || ('Ⅰ'..='Ⅻ').contains(&c);
    let first = *chars.get(i)?;
    if matches!(
        first,
        '・' | '●' | '○' | '〇' | '■' | '□' | '◆' | '◇' | '※' | '＊' | '*'
    ) {
        i += 1;
        // 「※1」「※１」: the note's number belongs to the marker.
        while first == '※' && i < chars.len() && digit(chars[i]) {
            i += 1;
        }
    } else if circled(first) {
        i += 1;
    } else if matches!(first, '(' | '（') {
        // (1) （２） (ⅰ) （※1）
        let mut j = i + 1;
        while j < chars.len() && (digit(chars[j]) || roman(chars[j]) || chars[j] == '※') {
            j += 1;
        }
        if j == i + 1 || j >= chars.len() || !matches!(chars[j], ')' | '）') || j - i > 5 {
            return None;
        }
        i = j + 1;
    } else if digit(first) {
        // 「１－①」「3－⑥」「３ー④’」 steps, 「1.」「１．」 numbers.
        let mut j = i;
        while j < chars.len() && digit(chars[j]) {
            j += 1;
        }
        match chars.get(j) {
            Some('－' | 'ー' | '-' | '‐') if chars.get(j + 1).copied().is_some_and(circled) => {
                j += 2;
                while j < chars.len() && matches!(chars[j], '’' | '\'' | '′') {
                    j += 1;
                }
            }
            Some('.' | '．') if j - i <= 2 => j += 1,
            _ => return None,
        }
        i = j;
    } else {
        return None;
    }
    // The spaces after the marker.
    while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{3000}') {
        i += 1;
    }
    if i >= chars.len() {
        return None;
    }
    let _ = start;
    Some(chars[..i].iter().map(|&c| width(c)).sum())
}

struct Builder<'f> {
    form: &'f Form,
    layout: &'f Layout,
    words: &'f Words,
    /// The document with option texts (conditions are evaluated on it).
    root: &'f Value,
}

impl<'f> Builder<'f> {
    /// Nodes whose nearest ancestor node is `pattern` (so `…entrustment.items[]` is a child of
    /// `…entrustment` although `…entrustment.items` is no node), in printed order.
    fn children(&self, pattern: &str) -> Vec<&'f Node> {
        self.form.children(pattern).collect()
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

    /// Concrete path of a child at relative path `rel` of the concrete path `at`.
    fn join(at: &str, rel: &str) -> String {
        if at.is_empty() {
            rel.to_string()
        } else if rel.is_empty() || rel.starts_with('[') {
            format!("{at}{rel}")
        } else {
            format!("{at}.{rel}")
        }
    }

    fn na(&self, path: &str) -> bool {
        self.form.not_applicable(self.root, path)
    }

    /// The rows of a group node that is not walked as a child (a part's `with`).
    #[allow(clippy::too_many_arguments)]
    fn group_rows(
        &self,
        node: &Node,
        value: &Value,
        at: &str,
        skip: &[&str],
        rows: &mut Vec<Row>,
        last_group: &mut String,
        na: bool,
    ) {
        self.walk(&node.p, value, at, skip, rows, last_group, na);
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        pattern: &str,
        value: &Value,
        at: &str,
        skip: &[&str],
        rows: &mut Vec<Row>,
        last_group: &mut String,
        na: bool,
    ) {
        let children = self.children(pattern);
        let mut i = 0;
        while i < children.len() {
            let node = children[i];
            i += 1;
            if node.tool || node.unprinted || skip.contains(&node.p.as_str()) {
                continue;
            }
            let rel = self.rel(pattern, node);
            let path = Self::join(at, rel);
            let na = na || self.na(&path);
            match node.k {
                Kind::Section => {}
                Kind::Group if node.joined.is_some() => {
                    // One row holding the names of the group's blocks, joined (様式２ ③).
                    let v = self.at(value, rel).unwrap_or(&Value::Null);
                    let sep = node.joined.as_deref().unwrap_or_default();
                    let names: Vec<String> = self
                        .children(&node.p)
                        .into_iter()
                        .filter(|c| c.k == Kind::Block)
                        .flat_map(|block| {
                            let r = self.rel(&node.p, block).trim_end_matches("[]");
                            let arr = if r.is_empty() { Some(v) } else { self.at(v, r) }
                                .and_then(Value::as_array)
                                .cloned()
                                .unwrap_or_default();
                            arr.into_iter()
                                .map(|el| self.form.block_name(&block.p, &el))
                                .collect::<Vec<_>>()
                        })
                        .filter(|n| !n.is_empty())
                        .collect();
                    let cell = if na {
                        self.dash()
                    } else {
                        Cell::Text {
                            lines: text_lines(&names.join(sep)),
                        }
                    };
                    rows.push(Row::Item(Item {
                        head: star(node),
                        vertical: false,
                        keep: false,
                        heading: None,
                        subs: vec![Sub {
                            label: String::new(),
                            value: cell,
                        }],
                    }));
                }
                Kind::Group => {
                    let v = self.at(value, rel).unwrap_or(&Value::Null);
                    if node.hide {
                        if node.l == *last_group || node.inpath {
                            // The same printed group continued (Ⅱ ３．入手・使用), or a group
                            // without a header of its own (様式２ Ⅰ（続き）).
                            self.walk(&node.p, v, &path, skip, rows, last_group, na);
                        } else {
                            self.vertical(node, v, &path, skip, rows, last_group, na);
                        }
                        continue;
                    }
                    if node.risk {
                        rows.push(Row::Sub {
                            heading: Heading {
                                text: node.heading(),
                                level: 3,
                                bookmark: None,
                            },
                        });
                    } else {
                        *last_group = node.l.clone();
                        // Stand-alone boxes printed in the group header.
                        let boxes: Vec<Mark> = self
                            .children(&node.p)
                            .into_iter()
                            .filter(|c| {
                                c.k == Kind::Check && c.c.is_none() && !c.tool && !c.unprinted
                            })
                            .map(|c| {
                                let on = self
                                    .at(v, self.rel(&node.p, c))
                                    .and_then(Value::as_bool)
                                    .unwrap_or(false);
                                self.check_mark(on, c.l.clone())
                            })
                            .collect();
                        let text = if node.m {
                            format!("{}　※", node.heading())
                        } else {
                            node.heading()
                        };
                        rows.push(Row::Group {
                            heading: Heading {
                                text,
                                level: 2,
                                bookmark: None,
                            },
                            boxes,
                        });
                        if !node.risks.is_empty() {
                            // The risks the measures below answer, printed without numbers.
                            rows.push(Row::Note {
                                lines: node.risks.clone(),
                            });
                        }
                    }
                    self.walk(&node.p, v, &path, skip, rows, last_group, na);
                }
                Kind::Block => self.blocks(node, value, rel, &path, skip, rows, last_group, na),
                Kind::Check if node.c.is_some() => {
                    // A yes/no item printed as a choice: the set's first option is yes.
                    let on = self.at(value, rel).and_then(Value::as_bool);
                    let sel = on.and_then(|on| {
                        self.form
                            .options_of(node)
                            .and_then(|s| s.options.get(if on { 0 } else { 1 }))
                            .map(|o| o.text.clone())
                    });
                    let cell = if na {
                        self.dash()
                    } else {
                        self.choice_cell(node, sel.as_deref())
                    };
                    self.push_leaf(node, cell, rows);
                }
                Kind::Check | Kind::Figure | Kind::Rows => {}
                Kind::Count if i >= 2 && children[i - 2].k == Kind::Choice => {
                    // 「[ 委託する ]　（ 4 ）　件」: the count joins the choice before it.
                    let n = self
                        .at(value, rel)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    if let Some(Row::Item(it)) = rows.last_mut()
                        && let Some(Sub {
                            value: Cell::Choice { after, .. },
                            ..
                        }) = it.subs.last_mut()
                    {
                        *after = Words::fill(&self.words.count, &n);
                    }
                }
                _ if node.inline => {
                    let v = self.plain(node, self.at(value, rel));
                    let text = self
                        .words
                        .inline
                        .replace("{label}", &node.l)
                        .replace("{value}", &v);
                    match rows.last_mut() {
                        Some(Row::Item(it))
                            if matches!(
                                it.subs.last(),
                                Some(Sub {
                                    value: Cell::Choice { .. },
                                    ..
                                })
                            ) =>
                        {
                            if let Some(Sub {
                                value: Cell::Choice { under, .. },
                                ..
                            }) = it.subs.last_mut()
                            {
                                under.push(text);
                            }
                        }
                        _ => self.push_leaf(
                            node,
                            Cell::Text {
                                lines: text_lines(&text),
                            },
                            rows,
                        ),
                    }
                }
                _ => {
                    let v = self.at(value, rel);
                    let cell = if na { self.dash() } else { self.value(node, v) };
                    if node.wide {
                        let text = match cell {
                            Cell::Text { lines } => lines,
                            Cell::Dash { s } => text_lines(&s),
                            _ => Vec::new(),
                        };
                        rows.push(Row::Wide {
                            label: star(node),
                            text,
                        });
                        continue;
                    }
                    self.push_leaf(node, cell, rows);
                }
            }
            // Rows the form prints with a fixed text after this item.
            for fixed in self.layout.fixed.iter().filter(|f| f.after == node.p) {
                let cell = Cell::Text {
                    lines: text_lines(&fixed.text),
                };
                let sub = Sub {
                    label: fixed.label.clone(),
                    value: cell,
                };
                match (&node.pl, rows.last_mut()) {
                    (Some(_), Some(Row::Item(it))) => it.subs.push(sub),
                    _ => rows.push(Row::Item(Item {
                        head: fixed.label.clone(),
                        vertical: false,
                        keep: false,
                        heading: None,
                        subs: vec![Sub {
                            label: String::new(),
                            value: sub.value,
                        }],
                    })),
                }
            }
        }
    }

    /// A hidden group with a label printed vertically over its rows (再委託 ⑦⑧⑨).
    #[allow(clippy::too_many_arguments)]
    fn vertical(
        &self,
        node: &Node,
        v: &Value,
        path: &str,
        skip: &[&str],
        rows: &mut Vec<Row>,
        last_group: &mut String,
        na: bool,
    ) {
        let mut inner = Vec::new();
        self.walk(&node.p, v, path, skip, &mut inner, last_group, na);
        let mut subs = Vec::new();
        for r in inner {
            match r {
                Row::Item(it) => {
                    for sub in it.subs {
                        let label = if sub.label.is_empty() {
                            it.head.clone()
                        } else {
                            format!("{} {}", it.head, sub.label)
                        };
                        subs.push(Sub {
                            label,
                            value: sub.value,
                        });
                    }
                }
                other => rows.push(other),
            }
        }
        if !subs.is_empty() {
            rows.push(Row::Item(Item {
                head: node.l.clone(),
                vertical: true,
                keep: false,
                heading: None,
                subs,
            }));
        }
    }

    /// A repeated block: its elements under their headings, with the range headings of the form.
    #[allow(clippy::too_many_arguments)]
    fn blocks(
        &self,
        node: &Node,
        value: &Value,
        rel: &str,
        path: &str,
        skip: &[&str],
        rows: &mut Vec<Row>,
        last_group: &mut String,
        na: bool,
    ) {
        let base = rel.strip_suffix("[]").unwrap_or(rel);
        let mut arr = if base.is_empty() {
            Some(value)
        } else {
            self.at(value, base)
        }
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
        if arr.is_empty() && node.max.is_some() {
            // The form prints the first block even when unused (移転先1 with empty cells).
            arr.push(Value::Null);
        }
        let path_base = path.strip_suffix("[]").unwrap_or(path);
        let name_node = self
            .children(&node.p)
            .into_iter()
            .find(|c| c.in_heading && !node.hide);
        let label = |n: usize| node.l.replace("{n}", &n.to_string());
        let size = self.layout.range_size.max(1);
        // The first block of a range (2, then 2 + size, …) and the range's last number.
        let range_at = |n: usize| -> Option<usize> {
            (node.max.is_some() && n >= 2 && (n == 2 || (n > size && (n - 1).is_multiple_of(size))))
                .then(|| {
                    let end = if n == 2 { size } else { n + size - 1 };
                    node.max.map_or(end, |m| end.min(m))
                })
        };
        let range_row = |n: usize, end: usize| Row::Sub {
            heading: Heading {
                text: self
                    .words
                    .range
                    .replace("{from}", &label(n))
                    .replace("{to}", &end.to_string()),
                level: 3,
                bookmark: None,
            },
        };
        for (k, el) in arr.iter().enumerate() {
            let n = k + 1;
            if let Some(end) = range_at(n) {
                rows.push(range_row(n, end));
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
            if !node.hide {
                rows.push(Row::Sub {
                    heading: Heading {
                        text,
                        level: 3,
                        bookmark: None,
                    },
                });
            }
            let skip_name: Vec<&str> = skip
                .iter()
                .copied()
                .chain(name_node.map(|c| c.p.as_str()))
                .collect();
            let el_path = format!("{path_base}[{k}]");
            self.walk(&node.p, el, &el_path, &skip_name, rows, last_group, na);
        }
        if node.empty_ranges
            && let Some(max) = node.max
        {
            // The ranges after the last block, printed empty (「システム6～10」…).
            let mut n = arr.len() + 1;
            while n <= max {
                if let Some(end) = range_at(n) {
                    rows.push(range_row(n, end));
                    n = end + 1;
                } else {
                    n += 1;
                }
            }
        }
    }

    /// Adds a leaf's row: a sub-row of the item its `pl` names, or a row of its own.
    fn push_leaf(&self, node: &Node, cell: Cell, rows: &mut Vec<Row>) {
        let sub = Sub {
            label: star(node),
            value: cell,
        };
        match &node.pl {
            Some(pl) => {
                if let Some(Row::Item(it)) = rows.last_mut()
                    && !it.vertical
                    && (it.head == *pl
                        || it.head.starts_with(pl.as_str())
                        || strip_star(&it.head) == pl)
                {
                    it.subs.push(sub);
                    return;
                }
                rows.push(Row::Item(Item {
                    head: pl.clone(),
                    vertical: false,
                    keep: false,
                    heading: None,
                    subs: vec![sub],
                }));
            }
            None => rows.push(Row::Item(Item {
                head: star(node),
                vertical: false,
                keep: false,
                heading: None,
                subs: vec![Sub {
                    label: String::new(),
                    value: sub.value,
                }],
            })),
        }
    }

    fn dash(&self) -> Cell {
        Cell::Dash {
            s: self.words.dash.clone(),
        }
    }

    fn check_mark(&self, on: bool, text: String) -> Mark {
        let w = self.words;
        Mark {
            mark: if on { &w.checked } else { &w.unchecked }.clone(),
            alt: if on { &w.checked_alt } else { &w.unchecked_alt }.clone(),
            text,
        }
    }

    fn choice_cell(&self, node: &Node, sel: Option<&str>) -> Cell {
        let w = self.words;
        let sel = match sel {
            Some(s) if !s.is_empty() => Mark {
                mark: Words::fill(&w.selected, s),
                alt: Words::fill(&w.selected_alt, s),
                text: String::new(),
            },
            _ => Mark {
                mark: w.unselected.clone(),
                alt: w.unselected_alt.clone(),
                text: String::new(),
            },
        };
        let close = self.form.numbering(&node.p);
        let opts: Vec<String> = self
            .form
            .options_of(node)
            .map(|set| {
                set.options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        w.option
                            .replace("{n}", &(i + 1).to_string())
                            .replace("{close}", close)
                            .replace("{text}", &o.text)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Cell::Choice {
            sel,
            opts,
            per_line: self.layout.per_line_of(node.c.as_deref()),
            after: String::new(),
            under: node.after.iter().cloned().collect(),
        }
    }

    /// A value cell.
    fn value(&self, node: &Node, v: Option<&Value>) -> Cell {
        match node.k {
            Kind::Choice => self.choice_cell(node, v.and_then(Value::as_str)),
            Kind::Checks => {
                let map = v.and_then(Value::as_object).cloned().unwrap_or_default();
                let mut groups: Vec<CheckGroup> = Vec::new();
                let mut current: Option<String> = None;
                let mut items: Vec<Mark> = Vec::new();
                let title = |t: Option<&str>| {
                    t.map(|t| Words::fill(&self.words.check_group, t))
                        .unwrap_or_default()
                };
                if let Some(set) = self.form.options_of(node) {
                    for o in &set.options {
                        if o.group != current {
                            if !items.is_empty() || current.is_some() {
                                groups.push(CheckGroup {
                                    title: title(current.as_deref()),
                                    items: std::mem::take(&mut items),
                                });
                            }
                            current = o.group.clone();
                        }
                        items.push(self.check_item(o, map.get(&o.text)));
                    }
                }
                groups.push(CheckGroup {
                    title: title(current.as_deref()),
                    items,
                });
                Cell::Checks {
                    groups,
                    per_line: self.layout.per_line_of(node.c.as_deref()),
                }
            }
            _ => Cell::Text {
                lines: text_lines(&self.plain(node, v)),
            },
        }
    }

    /// 「[ ○ ] その他 （ … ）」, 「[ ○ ] 提供を行っている （ 25 ） 件」, 「[ ] 紙」.
    fn check_item(&self, o: &form::ChoiceOption, v: Option<&Value>) -> Mark {
        let on = match v {
            Some(Value::Bool(b)) => *b,
            Some(Value::Null) | None => false,
            Some(_) => true,
        };
        let mut s = o.text.clone();
        if o.free || o.count {
            let inner = match v {
                Some(Value::String(t)) => t.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            s.push(' ');
            if inner.is_empty() {
                s.push_str(&self.words.free_empty);
            } else {
                s.push_str(&Words::fill(&self.words.free, &inner));
            }
            if let Some(unit) = &o.unit {
                s.push_str(&format!(" {unit}"));
            }
        }
        self.check_mark(on, s)
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
                        self.words.checked.clone()
                    } else {
                        String::new()
                    }
                }
                _ => String::new(),
            },
        }
    }

    /// The child of `node` of kind `k` (the first one).
    fn child_of_kind(&self, node: &Node, k: Kind) -> Option<&'f Node> {
        self.form
            .nodes
            .iter()
            .find(|c| c.k == k && crate::form::layout::is_under(&c.p, &node.p))
    }

    fn figure_part(
        &self,
        spec: &PartSpec,
        node: &Node,
        value: &Value,
        heading: Heading,
        opts: &DataOptions,
    ) -> Part {
        let notes_node = self
            .children(&node.p)
            .into_iter()
            .find(|c| c.k == Kind::Text);
        let notes = notes_node
            .and_then(|n| self.at(value, self.rel(&node.p, n)))
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut notes_label = match notes_node {
            Some(n) if spec.labels => n.l.clone(),
            _ => String::new(),
        };
        // Authors who copied the 「（備考）」 line into the text do not get it twice.
        if !notes_label.is_empty() && notes.trim_start().starts_with(&notes_label) {
            notes_label.clear();
        }
        Part::Figure {
            alt: Words::fill(&self.words.figure_alt, &heading.text),
            heading,
            figure: opts.figure.map(str::to_string),
            notes_label,
            notes: text_lines(notes),
        }
    }

    /// 別添2: one vertical list per file, each 【…】 heading once, ＜…＞ headings inline, an
    /// item and the 「同」 items under it kept together.
    fn records_part(
        &self,
        spec: &PartSpec,
        node: &Node,
        value: &Value,
        heading: Heading,
        at: &str,
    ) -> Part {
        let block = self.child_of_kind(node, Kind::Block);
        let mut entries = Vec::new();
        if let Some(block) = block {
            let rel = self.rel(&node.p, block).trim_end_matches("[]");
            let groups = self
                .at(value, rel)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let kids: Vec<&Node> = self.children(&block.p);
            let name_nodes: Vec<&Node> = block
                .names
                .iter()
                .filter_map(|n| self.form.node(&format!("{}.{n}", block.p)))
                .collect();
            let items_node = kids.iter().find(|c| c.k == Kind::List);
            let note_node = kids.iter().find(|c| c.k == Kind::Text);
            let mut last: Vec<String> = vec![String::new(); name_nodes.len()];
            for g in &groups {
                for (level, n) in name_nodes.iter().enumerate() {
                    let text = self
                        .at(g, self.rel(&block.p, n))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .trim();
                    if text.is_empty() {
                        last[level].clear();
                        continue;
                    }
                    // A heading is printed when it changes (each 【…】 once); a deeper one
                    // again under a new upper one.
                    if last[level] == text {
                        continue;
                    }
                    last[level] = text.to_string();
                    for deeper in last.iter_mut().skip(level + 1) {
                        deeper.clear();
                    }
                    entries.push(Record::Heading {
                        heading: Heading {
                            text: bracketed(&n.l, text),
                            level: (spec.level + 1 + level as u8).min(6),
                            bookmark: None,
                        },
                    });
                }
                let items: Vec<String> = items_node
                    .and_then(|n| self.at(g, self.rel(&block.p, n)))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let mut run: Vec<String> = Vec::new();
                for item in items {
                    let ditto = !self.words.ditto.is_empty()
                        && item.trim_start().starts_with(&self.words.ditto);
                    if !ditto && !run.is_empty() {
                        entries.push(Record::Items {
                            items: std::mem::take(&mut run),
                        });
                    }
                    run.push(item);
                }
                if !run.is_empty() {
                    entries.push(Record::Items { items: run });
                }
                if let Some(note) = note_node
                    .and_then(|n| self.at(g, self.rel(&block.p, n)))
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                {
                    entries.push(Record::Note {
                        text: text_lines(note),
                    });
                }
            }
        }
        // The part's own notes (the note item directly under the part).
        let notes = self
            .children(&node.p)
            .into_iter()
            .find(|c| c.k == Kind::Text)
            .and_then(|n| self.at(value, self.rel(&node.p, n)))
            .and_then(Value::as_str)
            .unwrap_or("");
        // The file the list belongs to: the name of the block holding the part.
        let file = at
            .rfind('[')
            .and_then(|i| at[i..].find(']').map(|j| &at[..i + j + 1]))
            .and_then(|block_path| {
                let v = crate::path::lookup(self.root, block_path)?;
                Some(
                    self.form
                        .block_name(&crate::path::pattern_of(block_path), v),
                )
            })
            .unwrap_or_default();
        Part::Records {
            heading,
            file,
            entries,
            notes: text_lines(notes),
        }
    }

    fn changes_part(
        &self,
        spec: &PartSpec,
        node: &Node,
        a: &crate::model::Assessment,
        heading: Heading,
        opts: &DataOptions,
    ) -> Part {
        let block = if node.k == Kind::Block {
            Some(node)
        } else {
            self.child_of_kind(node, Kind::Block)
        };
        let Some(block) = block else {
            return Part::Changes {
                heading,
                columns: Vec::new(),
                widths: Vec::new(),
                repeat: 0,
                rows: Vec::new(),
            };
        };
        let columns: Vec<&Node> = self
            .children(&block.p)
            .into_iter()
            .filter(|n| !n.tool)
            .collect();
        let array = block.p.trim_end_matches("[]");
        // The recorded rows and the pending ones, as the form words them.
        let mut all = serde_json::to_value(a).unwrap_or(Value::Null);
        if let Some(Value::Array(rows)) = crate::path::lookup_mut(&mut all, array) {
            rows.extend(
                opts.extra_changes
                    .iter()
                    .map(|c| serde_json::to_value(c).unwrap_or(Value::Null)),
            );
        }
        self.form.to_texts(&mut all);
        let prefix = format!("{}.", block.p);
        let rows: Vec<Vec<Text>> = crate::path::lookup(&all, array)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|row| {
                columns
                    .iter()
                    .map(|n| {
                        let rel = n.p.strip_prefix(&prefix).unwrap_or(&n.p);
                        text_lines(&self.plain(n, self.at(row, rel)))
                    })
                    .collect()
            })
            .collect();
        Part::Changes {
            heading,
            columns: columns.iter().map(|n| n.l.clone()).collect(),
            widths: spec.widths.clone(),
            repeat: spec.repeat,
            rows,
        }
    }

    /// The 別紙: one part each, titled by the form's pattern, with the widths of `[layout]` or
    /// from their content.
    fn sheet_parts(&self, spec: &PartSpec, node: &Node, value: &Value) -> Vec<Part> {
        let Some(block) = self.child_of_kind(node, Kind::Block) else {
            return Vec::new();
        };
        let kids = self.children(&block.p);
        let text_of = |el: &Value, n: Option<&&Node>| -> String {
            n.and_then(|n| self.at(el, self.rel(&block.p, n)))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let names: Vec<&Node> = block
            .names
            .iter()
            .filter_map(|n| self.form.node(&format!("{}.{n}", block.p)))
            .collect();
        let columns_node = kids.iter().find(|c| c.k == Kind::List);
        let rows_node = kids.iter().find(|c| c.k == Kind::Rows);
        let notes_node = kids.iter().find(|c| c.k == Kind::Text);
        let rel = self.rel(&node.p, block).trim_end_matches("[]");
        let sheets = if rel.is_empty() {
            Some(value)
        } else {
            self.at(value, rel)
        }
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
        let numbers = self.layout.sheet_numbers;
        sheets
            .iter()
            .enumerate()
            .map(|(k, el)| {
                let id = names
                    .first()
                    .map(|n| text_of(el, Some(n)))
                    .unwrap_or_default();
                let title = names
                    .get(1)
                    .map(|n| text_of(el, Some(n)))
                    .unwrap_or_default();
                let text = if title.is_empty() {
                    id.clone()
                } else {
                    self.words
                        .sheet_title
                        .replace("{id}", &id)
                        .replace("{title}", &title)
                        .trim()
                        .to_string()
                };
                let columns: Vec<String> = columns_node
                    .and_then(|n| self.at(el, self.rel(&block.p, n)))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let width = columns.len().max(1);
                let data: Vec<Vec<String>> = rows_node
                    .and_then(|n| self.at(el, self.rel(&block.p, n)))
                    .and_then(Value::as_array)
                    .map(|rows| {
                        rows.iter()
                            .map(|r| {
                                let cells: Vec<String> = r
                                    .as_array()
                                    .map(|c| {
                                        c.iter()
                                            .map(|x| x.as_str().unwrap_or("").to_string())
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                (0..width)
                                    .map(|i| cells.get(i).cloned().unwrap_or_default())
                                    .collect()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mut widths = self
                    .layout
                    .sheets
                    .iter()
                    .find(|s| s.title == title)
                    .map(|s| s.widths.clone())
                    .filter(|w| w.len() == width + usize::from(numbers))
                    .unwrap_or_else(|| content_widths(&columns, &data, numbers));
                if widths.is_empty() {
                    widths = vec![1.0; width + usize::from(numbers)];
                }
                let mut head = columns.clone();
                let rows: Vec<Vec<Text>> = data
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut cells: Vec<Text> = Vec::new();
                        if numbers {
                            cells.push(text_lines(&(i + 1).to_string()));
                        }
                        cells.extend(r.iter().map(|c| text_lines(c)));
                        cells
                    })
                    .collect();
                if numbers {
                    head.insert(0, String::new());
                }
                Part::Sheet {
                    heading: Heading {
                        bookmark: Some(text.clone()),
                        text,
                        level: spec.level,
                    },
                    key: format!("sheet-{k}"),
                    page_of: self.words.page_of.clone(),
                    columns: head,
                    widths,
                    repeat: spec.repeat + usize::from(numbers && spec.repeat > 0),
                    rows,
                    notes: text_lines(&text_of(el, notes_node)),
                }
            })
            .collect()
    }
}

/// A value in the brackets its label is printed with (「【{}】」, 「＜{}＞」).
fn bracketed(label: &str, text: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next_back()) {
        (Some(open @ ('【' | '＜' | '［' | '「')), Some(close @ ('】' | '＞' | '］' | '」'))) =>
        {
            format!("{open}{text}{close}")
        }
        _ => text.to_string(),
    }
}

/// Relative column widths from the content: the square root of each column's longest line
/// (a long column gets more room, not all of it), a narrow column for row numbers.
fn content_widths(columns: &[String], rows: &[Vec<String>], numbers: bool) -> Vec<f64> {
    let longest = |i: usize| -> f64 {
        let lines = rows
            .iter()
            .filter_map(|r| r.get(i))
            .chain(columns.get(i))
            .flat_map(|c| c.split('\n'))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1);
        (lines.max(4) as f64).sqrt()
    };
    let mut out: Vec<f64> = Vec::new();
    if numbers {
        out.push(1.2);
    }
    out.extend((0..columns.len()).map(longest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(dir: &str) -> Loaded {
        crate::load::load(std::path::Path::new(&format!(
            "{}/assessments/{dir}",
            env!("CARGO_MANIFEST_DIR")
        )))
        .expect("reference assessment loads")
    }

    fn data(loaded: &Loaded) -> Value {
        serde_json::to_value(build(
            loaded,
            &DataOptions {
                font: "X",
                draft: false,
                figure: None,
                extra_changes: &[],
            },
        ))
        .unwrap()
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
        let data = data(&load("kanto-it-kenpo"));
        let mut text = String::new();
        all_text(&data, &mut text);
        for needle in [
            "Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※（７．リスク１⑨を除く。）",
            "Ⅳ　その他のリスク対策 ※",
            "[ 十分である ]",
            "1） 特に力を入れている",
            "（ 4 ）　件",
            "提供を行っている （ 25 ） 件",
            "移転を行っている （ ） 件",
            "・識別情報",
            "リスク１：　目的外の入手が行われるリスク",
            "令和7年6月1日",
            "システム2～5",
            "システム6～10",
            "システム16～20",
            "②事務の内容　※",
            "全ての記録項目",
            "別添２を参照。",
            "別紙１　「特定個人情報の提供先一覧」",
            "（手数料額、納付方法：",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
        // Ⅲ-4 lists its risks without numbers.
        assert!(text.contains("\n委託先による特定個人情報の不正な提供に関するリスク\n"));
        assert!(!text.contains("リスク２：　委託先"));
    }

    #[test]
    fn hanging_indents() {
        assert_eq!(hang_of("・届出書"), Some(1.0));
        assert_eq!(hang_of("　・届出書"), Some(2.0));
        assert_eq!(hang_of("１－①　当組合は"), Some(4.0));
        assert_eq!(hang_of("3－⑥ 当組合は"), Some(3.0));
        assert_eq!(hang_of("(1)被保険者"), Some(1.5));
        assert_eq!(hang_of("（２）届出"), Some(3.0));
        assert_eq!(hang_of("※1 注記"), Some(2.0));
        assert_eq!(hang_of("当組合は"), None);
        assert_eq!(hang_of("2019年"), None);
        assert_eq!(hang_of("(注意)"), None);
        assert_eq!(hang_of("・"), None);
    }

    #[test]
    fn dash_where_the_item_does_not_apply() {
        // A 行政機関等: Ⅵ３．第三者点検 prints 「―」; a 地方公共団体等 prints its answers.
        for (dir, dash) in [("kanto-it-kenpo", true), ("kitakasumi-city", false)] {
            let loaded = load(dir);
            let doc = build(
                &loaded,
                &DataOptions {
                    font: "X",
                    draft: false,
                    figure: None,
                    extra_changes: &[],
                },
            );
            let group = loaded.form.node("procedure.third_party_review").unwrap();
            let rows = doc
                .parts
                .iter()
                .find_map(|p| match p {
                    Part::Table { rows, .. }
                        if rows.iter().any(
                            |r| matches!(r, Row::Group { heading, .. } if heading.text == group.l),
                        ) =>
                    {
                        Some(rows)
                    }
                    _ => None,
                })
                .unwrap();
            let at = rows
                .iter()
                .position(|r| matches!(r, Row::Group { heading, .. } if heading.text == group.l))
                .unwrap();
            let first = match &rows[at + 1] {
                Row::Item(it) => &it.subs[0].value,
                other => panic!("{other:?}"),
            };
            assert_eq!(matches!(first, Cell::Dash { .. }), dash, "{dir}");
        }
    }
}
