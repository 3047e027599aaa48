//! The printed layout of a form, as data: the `[layout]` table of `form.toml`.
//!
//! What the printed 様式 shows besides its items — the parts in printed order and their heading
//! level, the cover's fields in order, the 項目一覧, rows the form prints with fixed text
//! (「全ての記録項目　別添２を参照。」), the marks and words around values (「[ ○ ]」, 「＜選択肢＞」,
//! 「―」 for cells that do not apply, 「（ 4 ）　件」), options per line of ＜選択肢＞ boxes and
//! check-lists, column widths of the tables of changes and of the 別紙, and the alternative
//! texts read out by assistive technology — is read from here. `render::data` turns a document
//! into the presentation with it; code never spells these words.
//!
//! Per-item attributes of the layout live on the nodes: `na` (a condition under which the form
//! prints the dash in the item's cells, e.g. Ⅵ３．第三者点検 for a 行政機関等), `inline` (the
//! item is printed inside the cell of the choice before it, as Ⅴ１．③'s 「（手数料額、納付方法：
//! ）」), `empty_ranges` (a repeated block whose range headings 「システム6～10」 are printed even
//! when no block falls in them).

use std::collections::HashMap;

use serde::Deserialize;

use super::{Form, Kind};

/// The `[layout]` table of a form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The parts in printed order.
    pub parts: Vec<PartSpec>,
    /// The cover page.
    pub cover: CoverSpec,
    /// The title of the 項目一覧 page (the list of parts after the cover); no such page when
    /// absent.
    #[serde(default)]
    pub toc: Option<String>,
    /// Rows the form prints with a fixed text.
    #[serde(default)]
    pub fixed: Vec<FixedRow>,
    /// The words and marks printed around the data.
    pub words: Words,
    /// Options per line of a ＜選択肢＞ box or a check-list, unless [`Layout::per_line`] says
    /// otherwise for a set (an option too long for its share of the line takes the whole line).
    #[serde(default = "two")]
    pub options_per_line: usize,
    /// Options per line by option set (the name under `[choices]` / `[checks]`).
    #[serde(default)]
    pub per_line: HashMap<String, usize>,
    /// The first block of a repeated block is printed alone, then headings group the next ones
    /// by this many (「システム2～5」「システム6～10」 …).
    #[serde(default = "five")]
    pub range_size: usize,
    /// Column widths of 別紙 tables by title (relative; the row number column comes first when
    /// `sheet_numbers`). Tables not listed get widths from their content.
    #[serde(default)]
    pub sheets: Vec<SheetSpec>,
    /// The 別紙 tables print a row number in an unlabelled first column.
    #[serde(default)]
    pub sheet_numbers: bool,
    /// Widths (mm) of the label columns of a part's table: the vertical label (再委託), the
    /// head label and the sub-row label; the value takes the rest of the line.
    #[serde(default = "label_columns")]
    pub label_columns: [f64; 3],
}

fn label_columns() -> [f64; 3] {
    [6.0, 20.0, 20.0]
}

fn two() -> usize {
    2
}
fn five() -> usize {
    5
}
fn one() -> u8 {
    1
}
fn yes() -> bool {
    true
}

/// What a part prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// The items of a section in label/value rows.
    #[default]
    Table,
    /// A figure (the node's `figure` item) and its notes (別添1).
    Figure,
    /// Lists of record items in columns, under their 【…】 and ＜…＞ headings (別添2).
    Records,
    /// A table of rows of a repeated block, one column per item (別添3 変更箇所).
    Changes,
    /// Tables the document defines itself (別紙): title, columns, rows, notes.
    Sheets,
}

/// One part of the printed form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartSpec {
    /// The node printed (a section, a group or a repeated block). A pattern under a repeated
    /// block (`files[].overview`) prints the part once for every element.
    pub p: String,
    #[serde(default)]
    pub kind: PartKind,
    /// Heading level of the part (1 = a part of the form: 「Ⅰ　基本情報」).
    #[serde(default = "one")]
    pub level: u8,
    /// Further nodes whose rows continue this part's table (様式２ Ⅰ ７．８．).
    #[serde(default)]
    pub with: Vec<String>,
    /// Nodes under `p` printed elsewhere (別添1 under Ⅰ).
    #[serde(default)]
    pub skip: Vec<String>,
    /// Listed in the 項目一覧.
    #[serde(default = "yes")]
    pub toc: bool,
    /// Indented in the 項目一覧 (the 別添 under their part).
    #[serde(default)]
    pub indent: bool,
    /// The labels of the part's notes are printed (別添1 「（備考）」; 別添2 prints none).
    #[serde(default = "yes")]
    pub labels: bool,
    /// Relative column widths (kind `changes`).
    #[serde(default)]
    pub widths: Vec<f64>,
    /// How many leading columns a row split over two pages prints again on the next page
    /// (kinds `changes` and `sheets`).
    #[serde(default)]
    pub repeat: usize,
}

/// The cover: items by path.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverSpec {
    /// Items printed side by side at the top, label over value (評価書番号, 評価書名); the
    /// first is narrow.
    pub pair: Vec<String>,
    /// Items printed with a full-width label over a full-width text (宣言, 特記事項).
    pub wide: Vec<String>,
    /// Label/value rows at the foot, in printed order (評価実施機関名, 承認日, 公表日).
    pub fields: Vec<String>,
}

/// A row the form prints with a fixed text, after an item (and in the same row group).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedRow {
    /// The item the row follows.
    pub after: String,
    pub label: String,
    pub text: String,
}

/// Column widths of a 別紙 table, by its title.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSpec {
    pub title: String,
    pub widths: Vec<f64>,
}

/// Words and marks of the printed form. `{}` is where the value goes; named placeholders are
/// given where a pattern takes several.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Printed on every page of a draft (「下書き」).
    pub draft: String,
    /// Cells that do not apply to the body's kind (`na` of a node): 「―」.
    pub dash: String,
    /// A checked and an unchecked box: 「[ ○ ]」, 「[ ]」.
    pub checked: String,
    pub unchecked: String,
    /// How assistive technology reads them.
    pub checked_alt: String,
    pub unchecked_alt: String,
    /// The chosen option of a single choice: 「[ {} ]」; no answer: 「[ ]」.
    pub selected: String,
    pub unselected: String,
    /// How assistive technology reads them: 「選択 {}」, 「未選択」.
    pub selected_alt: String,
    pub unselected_alt: String,
    /// The caption of the box listing a choice's options: 「＜選択肢＞」.
    pub options: String,
    /// An option's number: 「{n}{close} {text}」 (`close` is the section's 「)」 or 「）」).
    pub option: String,
    /// The text of a check-list option that carries one: 「（ {} ）」, empty: 「（ ）」.
    pub free: String,
    pub free_empty: String,
    /// A count after a choice: 「（ {} ）　件」.
    pub count: String,
    /// A range of blocks: 「{from}～{to}」 (`from` is the first block's label).
    pub range: String,
    /// An item printed inside the cell of the choice before it: 「（{label}：　{value}　）」.
    pub inline: String,
    /// The sub-heading of a group of check-list options: 「・{}」.
    pub check_group: String,
    /// Appended to the title of a document whose 事務 has ended: 「【{} 終了】」.
    pub ended: String,
    /// The title of a 別紙: 「{id}　「{title}」」.
    pub sheet_title: String,
    /// Page n of N of a table printed over several pages: 「（{n}/{total}）」.
    pub page_of: String,
    /// A record item that repeats the one above (別添2 「同」): kept in the same column.
    pub ditto: String,
    /// The alternative text of the 別添1 figure: 「{}」 is the part's heading.
    pub figure_alt: String,
    /// A file's name in headings of a part printed per file (bookmarks): 「［{}］」.
    pub file: String,
}

impl Words {
    /// `pattern` with its `{}` replaced by `value`.
    pub fn fill(pattern: &str, value: &str) -> String {
        pattern.replacen("{}", value, 1)
    }
}

impl Layout {
    /// Options per line of the option set `set`.
    pub fn per_line_of(&self, set: Option<&str>) -> usize {
        set.and_then(|s| self.per_line.get(s))
            .copied()
            .unwrap_or(self.options_per_line)
            .max(1)
    }
}

/// Whether the pattern `p` is under the pattern `parent` (`a.b`, `a[].b`, `a[]` are under `a`).
pub fn is_under(p: &str, parent: &str) -> bool {
    p.strip_prefix(parent)
        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

impl Form {
    /// Problems of the `[layout]` table (for [`Form::validate`]): every path names a node of
    /// the right kind, and every part can be printed.
    pub(super) fn layout_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let l = &self.layout_spec;
        if l.parts.is_empty() {
            out.push("[layout] に parts がありません".to_string());
        }
        let mut node = |p: &str, what: &str| -> Option<&super::Node> {
            let n = self.node(p);
            if n.is_none() {
                out.push(format!(
                    "[layout] の {what} が様式にない項目 {p} を指しています"
                ));
            }
            n
        };
        let mut shape = Vec::new();
        for part in &l.parts {
            let Some(n) = node(&part.p, "parts") else {
                continue;
            };
            let kids: Vec<Kind> = self.children(&n.p).map(|c| c.k).collect();
            let deep = |k: Kind| self.nodes.iter().any(|c| c.k == k && is_under(&c.p, &n.p));
            let ok = match part.kind {
                PartKind::Table => true,
                PartKind::Figure => kids.contains(&Kind::Figure),
                PartKind::Records => deep(Kind::Block) && deep(Kind::List),
                PartKind::Changes => {
                    n.k == Kind::Block || kids.contains(&Kind::Block) || deep(Kind::Block)
                }
                PartKind::Sheets => deep(Kind::Rows) && deep(Kind::List),
            };
            if !ok {
                shape.push(format!(
                    "[layout] の部分 {}（{:?}）を印刷できる項目がありません",
                    part.p, part.kind
                ));
            }
            if part.level == 0 || part.level > 3 {
                shape.push(format!("[layout] の部分 {} の level は 1～3 です", part.p));
            }
        }
        for part in &l.parts {
            for p in part.with.iter().chain(&part.skip) {
                node(p, "with / skip");
            }
        }
        for p in l
            .cover
            .pair
            .iter()
            .chain(&l.cover.wide)
            .chain(&l.cover.fields)
        {
            node(p, "cover");
        }
        for f in &l.fixed {
            node(&f.after, "fixed の after");
        }
        out.extend(shape);
        out
    }
}
