//! The form (様式) as a value: its items in printed order, printed labels, ※ marks, 選択肢 and
//! numbering, and its layout template. Every assessment names its 様式 (`meta.form_version`);
//! the loader picks that form from a [`Catalog`] (the forms built into `pia`, plus form folders a
//! body supplies) and the loaded document carries it, so two 様式 can be used in one run.
//!
//! A form is a folder of data: `forms/<name>/form.toml` (this module reads it) and
//! `forms/<name>/layout.typ` (the typst template `pia render` fills). Code never spells a form
//! label: it asks the document's form.

mod catalog;
mod condition;
mod convert;
pub mod layout;

use std::collections::HashMap;

/// Pattern → index of its node. A fast hash: the loader looks up the pattern of every key it
/// reads (the keys of the map are the form's, fixed before any assessment is read).
type NodeIndex = rustc_hash::FxHashMap<String, usize>;

use serde::Deserialize;

use crate::path::{Segment, concrete_parent, parent_pattern, pattern_of, split_path};

pub use catalog::{BUILTIN, Catalog, DEFAULT_ID, FormError};
pub use condition::Condition;
pub use layout::Layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Section,
    Group,
    Block,
    Text,
    Line,
    Choice,
    Checks,
    Check,
    Date,
    Period,
    Count,
    List,
    /// Rows of a table: an array of arrays of strings.
    Rows,
    Figure,
}

impl Kind {
    /// Kinds that hold a value (as opposed to groups of items).
    pub fn is_leaf(self) -> bool {
        !matches!(self, Kind::Section | Kind::Group | Kind::Block)
    }
    /// What a user must write, in Japanese, for type errors.
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Section | Kind::Group => "表（テーブル）",
            Kind::Block => "表の配列（[[…]]）",
            Kind::Text | Kind::Line | Kind::Figure => "文字列",
            Kind::Choice => "選択肢の文言（文字列）",
            Kind::Checks => "選択肢の文言をキーとする表",
            Kind::Check => "true 又は false",
            Kind::Date => "日付（例: 2025-06-01、引用符なし）",
            Kind::Period => "{ start = 開始日, end = 終了日 }",
            Kind::Count => "0 以上の整数",
            Kind::List => "文字列の配列",
            Kind::Rows => "文字列の配列の配列",
        }
    }
}

fn condition<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Condition>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    s.map(|s| Condition::parse(&s).map_err(serde::de::Error::custom))
        .transpose()
}

/// The nearest ancestor of `pattern` that has a node ("" = the root).
fn container<'p>(index: &NodeIndex, pattern: &'p str) -> &'p str {
    let mut q = parent_pattern(pattern);
    while !q.is_empty() && !index.contains_key(q) {
        q = parent_pattern(q);
    }
    q
}

/// One item or group of the form.
#[derive(Debug, Clone, Deserialize)]
pub struct Node {
    /// TOML path pattern, e.g. `files[].risk.acquisition.r1.adequacy`.
    pub p: String,
    pub k: Kind,
    /// Label as printed.
    pub l: String,
    /// Title printed after the label (sections, risk headings).
    #[serde(default)]
    pub t: Option<String>,
    /// Choice or check-list set.
    #[serde(default)]
    pub c: Option<String>,
    /// The form prints 「※」 here.
    #[serde(default)]
    pub m: bool,
    /// Explicitly not ※ inside a ※ group.
    #[serde(default)]
    pub x: bool,
    /// Printed label of the row this sub-row belongs to.
    #[serde(default)]
    pub pl: Option<String>,
    #[serde(default)]
    pub hide: bool,
    /// Named in the printed path although `hide` (it continues a printed group header).
    #[serde(default)]
    pub inpath: bool,
    #[serde(default)]
    pub opt: bool,
    /// Optional, but the form expects an answer: left empty, `check` warns.
    #[serde(default)]
    pub advised: bool,
    /// Required only for an answer of a sibling choice: `key=option_id` or `key!=option_id`.
    #[serde(default)]
    pub when: Option<String>,
    /// When the item (or the group, with everything in it) is absent from the assessment:
    /// see [`Condition`].
    #[serde(default, rename = "absent_when", deserialize_with = "condition")]
    pub absent: Option<Condition>,
    /// Rows checked by rules of their own (別添3, 別紙, notes): D-1 does not ask for their items.
    #[serde(default)]
    pub unchecked: bool,
    /// Blocks: the items that name a block, as a reader knows it (relative paths, e.g. `title`).
    #[serde(default)]
    pub names: Vec<String>,
    /// Blocks: further items that repeat the name elsewhere (left out of rename similarity).
    #[serde(default)]
    pub name_copies: Vec<String>,
    /// Blocks: how blocks of two revisions are matched, most specific level first; each level is
    /// a list of items whose values together form the key (empty values: the level does not
    /// apply). Blocks without keys are matched by position.
    #[serde(default)]
    pub keys: Vec<Vec<String>>,
    /// Blocks: the form prints their position as a number (「提供先1」), so a new order of them
    /// is a change of the printed form.
    #[serde(default)]
    pub ordered: bool,
    /// Groups printed as a risk heading 「リスク１：　…」.
    #[serde(default)]
    pub risk: bool,
    /// How the value is derived for a report made from another form's document (a
    /// 基礎項目評価書 from a 全項目評価書): see `crate::basic_report`.
    #[serde(default)]
    pub derive: Option<String>,
    /// The items (patterns) the derivation reads.
    #[serde(default)]
    pub from: Vec<String>,
    /// Computed by pia, never written in the TOML.
    #[serde(default)]
    pub computed: bool,
    /// An item of the document this form does not print (another report does: the
    /// 基礎項目評価書's ②事務の概要 kept with a 全項目評価書). Asked for like any item.
    #[serde(default)]
    pub unprinted: bool,
    /// A group printed as one row holding its blocks' names joined with this separator
    /// (様式2 「③システムの名称」): compared and printed as that one row.
    #[serde(default)]
    pub joined: Option<String>,
    /// Text the form prints under the item's value.
    #[serde(default)]
    pub after: Option<String>,
    /// `false`: the label is recalled, not read in a published form (the form's own `verified`
    /// when absent).
    #[serde(default)]
    pub verified: Option<bool>,
    /// The value a new assessment (`pia init`) starts with, as written in the TOML (an option's
    /// text for a choice). Empty when absent.
    #[serde(default)]
    pub start: Option<String>,
    /// Tool-only item (not printed).
    #[serde(default)]
    pub tool: bool,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub num: Option<String>,
    /// Text that follows the ※ of a section heading.
    #[serde(default)]
    pub ms: Option<String>,
    #[serde(default)]
    pub max: Option<usize>,
    /// Full-width text row.
    #[serde(default)]
    pub wide: bool,
    /// Ⅲ-6: "acquire" (リスク１～４) or "provide" (リスク５～７).
    #[serde(default)]
    pub side: Option<String>,
    /// Ⅲ-4: the fixed risk headings printed at the top of the block.
    #[serde(default)]
    pub risks: Vec<String>,
    /// When the form prints the dash of `[layout.words]` in the item's cells (a group: in
    /// every cell inside it) because the item does not apply to the body: see [`Condition`].
    #[serde(default, deserialize_with = "condition")]
    pub na: Option<Condition>,
    /// Printed inside the cell of the choice before it (「（手数料額、納付方法：　）」), not as a
    /// row of its own.
    #[serde(default)]
    pub inline: bool,
    /// Printed after the number in the heading of its block (「委託事項1 基幹システム導入…」),
    /// not as a row.
    #[serde(default)]
    pub in_heading: bool,
    /// Blocks: the range headings (「システム6～10」) are printed up to `max` even when no
    /// block falls in them.
    #[serde(default)]
    pub empty_ranges: bool,
}

impl Node {
    /// A hidden node that prints nothing of its own.
    fn computed_hidden(&self) -> bool {
        self.hide && !self.inpath
    }

    /// Label with its sub-row parent, as a reader finds it on the form: 「⑤物理的対策 具体的な対策の内容」.
    pub fn full_label(&self) -> String {
        match &self.pl {
            Some(pl) => format!("{pl} {}", self.l),
            None => self.l.clone(),
        }
    }
    /// Printed heading of a section or risk group: 「リスク１：　目的外の入手が行われるリスク」.
    pub fn heading(&self) -> String {
        match (self.k, &self.t) {
            (Kind::Section, Some(t)) => format!("{}　{}", self.l, t),
            (_, Some(t)) if self.risk => format!("{}：　{}", self.l, t),
            (_, Some(t)) => format!("{} {}", self.l, t),
            _ => self.l.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChoiceOption {
    pub id: String,
    pub text: String,
    /// Check-lists: the option prints 「（　）」 and carries text.
    #[serde(default)]
    pub free: bool,
    /// Check-lists: the parenthesis holds a count.
    #[serde(default)]
    pub count: bool,
    #[serde(default)]
    pub unit: Option<String>,
    /// Check-lists: the printed sub-heading (・識別情報 …).
    #[serde(default)]
    pub group: Option<String>,
    /// A negative answer (行っていない, 定めていない, 十分に行っていない …) that should be explained.
    #[serde(default)]
    pub negative: bool,
    /// The item of the form whose answer this option names (様式2 Ⅳ-11: the measure chosen as
    /// the most important, whose 「…十分か」 answer is repeated as 【再掲】).
    #[serde(default)]
    pub item: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChoiceSet {
    pub options: Vec<ChoiceOption>,
    /// false for tool-only sets that the form never prints.
    #[serde(default = "yes")]
    pub printed: bool,
}

fn yes() -> bool {
    true
}

impl ChoiceSet {
    pub fn option(&self, id: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.id == id)
    }
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }
    pub fn by_text(&self, text: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.text == text)
    }
    pub fn texts(&self) -> Vec<&str> {
        self.options.iter().map(|o| o.text.as_str()).collect()
    }
    /// The options with their numbers as the form prints them: 「1） 特に力を入れている　2） 十分である …」
    /// (`close` is the section's numbering: 「)」 or 「）」, see [`Form::numbering`]).
    pub fn numbered(&self, close: &str) -> String {
        self.options
            .iter()
            .enumerate()
            .map(|(i, o)| format!("{}{close} {}", i + 1, o.text))
            .collect::<Vec<_>>()
            .join("　")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFile {
    form: FormHead,
    #[serde(default)]
    choices: HashMap<String, ChoiceSet>,
    #[serde(default)]
    checks: HashMap<String, ChoiceSet>,
    /// The printed layout (see [`layout`]).
    layout: Layout,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormHead {
    id: String,
    /// 「様式4」, 「様式2」 (which report the form prints).
    #[serde(default = "kind4")]
    kind: String,
    tag: String,
    title: String,
    /// `false` when the labels are recalled rather than read in a published form (nodes may
    /// say otherwise).
    #[serde(default = "yes")]
    verified: bool,
    /// `false` when the version tag itself is recalled.
    #[serde(default = "yes")]
    tag_verified: bool,
    /// The form of the 基礎項目評価書 derived from documents of this form.
    #[serde(default)]
    basic_report: Option<String>,
    /// How messages name the table of changes (「別添３」).
    changes_name: String,
    nodes: Vec<Node>,
}

fn kind4() -> String {
    "様式4".to_string()
}

/// A 様式 version: its items in printed order, its option sets and its layout template.
#[derive(Debug)]
pub struct Form {
    /// `meta.form_version` of the assessments that use it (「R6.10-yoshiki4」).
    pub id: String,
    /// 「様式4」, 「様式2」.
    pub kind: String,
    /// 「[令和６年10月　様式４]」.
    pub tag: String,
    pub title: String,
    /// Whether the labels were read in a published form, unless a node says otherwise (see
    /// [`Form::unverified`]).
    pub verified: bool,
    /// Whether the version tag was read in a published form.
    pub tag_verified: bool,
    /// The id of the form of the 基礎項目評価書 derived from documents of this form.
    pub basic_report: Option<String>,
    /// How messages name the table of changes (「別添３」, 「別添」).
    pub changes_name: String,
    pub nodes: Vec<Node>,
    pub choices: HashMap<String, ChoiceSet>,
    pub checks: HashMap<String, ChoiceSet>,
    /// The typst template of the printed form (`layout.typ`).
    pub layout: String,
    /// The printed layout as data (`[layout]` of `form.toml`), read by the renderer.
    pub layout_spec: Layout,
    /// Where the form was read from (「pia に組み込みの様式」 or the folder), for messages.
    pub origin: String,
    /// The folder name of a form built into pia (`r6-10-yoshiki2`); `None` for a form read from
    /// a folder (its `origin`).
    pub builtin: Option<String>,
    index: NodeIndex,
    /// Pattern → indexes of its child nodes in printed order ("" = the document root).
    children: HashMap<String, Vec<usize>>,
}

impl Form {
    /// Reads a form from the text of its `form.toml` and `layout.typ`, and validates it
    /// ([`Form::validate`]).
    pub fn parse(src: &str, layout: &str, origin: &str) -> Result<Form, FormError> {
        let file: FormFile = toml::from_str(src).map_err(|e| FormError::Invalid {
            origin: origin.to_string(),
            problems: vec![format!(
                "form.toml を読み込めません: {}",
                e.message().trim()
            )],
        })?;
        let index: NodeIndex = file
            .form
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.p.clone(), i))
            .collect();
        let mut children: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in file.form.nodes.iter().enumerate() {
            children
                .entry(container(&index, &n.p).to_string())
                .or_default()
                .push(i);
        }
        let form = Form {
            id: file.form.id,
            kind: file.form.kind,
            tag: file.form.tag,
            title: file.form.title,
            verified: file.form.verified,
            tag_verified: file.form.tag_verified,
            basic_report: file.form.basic_report,
            changes_name: file.form.changes_name,
            nodes: file.form.nodes,
            choices: file.choices,
            checks: file.checks,
            layout: layout.to_string(),
            layout_spec: file.layout,
            origin: origin.to_string(),
            builtin: None,
            index,
            children,
        };
        let problems = form.validate();
        if problems.is_empty() {
            Ok(form)
        } else {
            Err(FormError::Invalid {
                origin: origin.to_string(),
                problems,
            })
        }
    }

    /// What is wrong with a form definition (in Japanese), so that a body's own form folder
    /// fails on load with every problem named rather than later with a wrong document.
    pub fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.id.trim().is_empty() {
            out.push("[form] の id がありません".to_string());
        }
        let mut seen = std::collections::HashSet::new();
        for n in &self.nodes {
            if !seen.insert(n.p.as_str()) {
                out.push(format!("項目 {} が二度定義されています", n.p));
            }
            if matches!(n.k, Kind::Choice | Kind::Checks) {
                match &n.c {
                    None => out.push(format!("項目 {}（{}）に選択肢（c）がありません", n.p, n.l)),
                    Some(c) if self.options_of(n).is_none() => out.push(format!(
                        "項目 {}（{}）の選択肢 {c} が [choices] / [checks] にありません",
                        n.p, n.l
                    )),
                    _ => {}
                }
            }
            if let (Some(start), Some(set)) = (&n.start, self.options_of(n))
                && n.k == Kind::Choice
                && !set.options.iter().any(|o| &o.text == start)
            {
                out.push(format!(
                    "項目 {}（{}）の start（{start}）が選択肢にありません",
                    n.p, n.l
                ));
            }
            for o in self.options_of(n).map_or(&[][..], |set| &set.options) {
                if let Some(item) = &o.item
                    && self.node(item).is_none()
                {
                    out.push(format!(
                        "項目 {}（{}）の選択肢「{}」の item（{item}）が様式にありません",
                        n.p, n.l, o.text
                    ));
                }
            }
            if n.p != pattern_of(&n.p) {
                out.push(format!(
                    "項目 {} のパスに番号があります（[] で書きます）",
                    n.p
                ));
            }
            if n.k == Kind::Block && !n.p.ends_with("[]") {
                out.push(format!("繰り返しの項目 {} のパスは [] で終わります", n.p));
            }
            if let Some(cond) = &n.when {
                let key = cond.split(['!', '=']).next().unwrap_or("");
                let sibling = match parent_pattern(&n.p) {
                    "" => key.to_string(),
                    p => format!("{p}.{key}"),
                };
                if self.node(&sibling).is_none_or(|s| s.k != Kind::Choice) {
                    out.push(format!(
                        "項目 {} の when（{cond}）が選択肢の項目を指していません",
                        n.p
                    ));
                }
            }
        }
        out.extend(self.condition_problems());
        out.extend(self.layout_problems());
        for (kind, sets) in [("choices", &self.choices), ("checks", &self.checks)] {
            let mut names: Vec<&String> = sets.keys().collect();
            names.sort();
            for name in names {
                let set = &sets[name];
                let mut ids = std::collections::HashSet::new();
                let mut texts = std::collections::HashSet::new();
                for o in &set.options {
                    if !ids.insert(o.id.as_str()) {
                        out.push(format!(
                            "[{kind}.{name}] の選択肢の id {} が重複しています",
                            o.id
                        ));
                    }
                    if !texts.insert(o.text.as_str()) {
                        out.push(format!(
                            "[{kind}.{name}] の選択肢「{}」が重複しています",
                            o.text
                        ));
                    }
                }
            }
        }
        out
    }

    pub fn choice_set(&self, set: &str) -> Option<&ChoiceSet> {
        self.choices.get(set)
    }
    pub fn check_set(&self, set: &str) -> Option<&ChoiceSet> {
        self.checks.get(set)
    }
    /// The option set of a choice or check-list node.
    pub fn options_of(&self, node: &Node) -> Option<&ChoiceSet> {
        let set = node.c.as_deref()?;
        match node.k {
            Kind::Checks => self.check_set(set),
            _ => self.choice_set(set),
        }
    }

    /// The node for a path pattern (`files[].overview.file_name`) or concrete path
    /// (`files[0].overview.file_name`).
    pub fn node(&self, path: &str) -> Option<&Node> {
        self.node_of_pattern(&pattern_of(path))
    }

    /// [`Form::node`] of a pattern (`files[].x`, no indices), without converting it.
    pub fn node_of_pattern(&self, pattern: &str) -> Option<&Node> {
        self.index.get(pattern).map(|&i| &self.nodes[i])
    }

    /// Nodes directly under a pattern ("" = the document root), in printed order: the nodes
    /// whose nearest ancestor with a node of its own is `pattern` (a block `a.b[]` without a
    /// group node `a.b` is a child of `a`).
    pub fn children<'a>(&'a self, pattern: &str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children
            .get(pattern)
            .into_iter()
            .flatten()
            .map(|&i| &self.nodes[i])
    }

    /// The printed text of an option of a single choice (「十分である」).
    pub fn text<C: crate::model::Choice>(&self, c: C) -> &str {
        self.option_text(C::SET, c.id())
    }

    /// The printed text of option `id` of choice set `set` (the id itself when the form lacks it,
    /// which [`Form::validate`] and the model's tests rule out for built-in forms).
    pub fn option_text<'a>(&'a self, set: &str, id: &'a str) -> &'a str {
        self.choice_set(set)
            .and_then(|s| s.option(id))
            .map_or(id, |o| o.text.as_str())
    }

    /// The printed text of option `id` of check-list set `set`.
    pub fn check_text<'a>(&'a self, set: &str, id: &'a str) -> &'a str {
        self.check_set(set)
            .and_then(|s| s.option(id))
            .map_or(id, |o| o.text.as_str())
    }

    /// How the section that holds a path numbers its options: 「)」 (half width) or 「）」.
    pub fn numbering(&self, path: &str) -> &'static str {
        let pattern = pattern_of(path);
        let mut p = pattern.as_str();
        loop {
            if let Some(n) = self.node(p)
                && let Some(num) = &n.num
            {
                return if num.contains('）') { "）" } else { ")" };
            }
            if p.is_empty() {
                return "）";
            }
            p = parent_pattern(p);
        }
    }

    /// The name of a block as a reader knows it, from its `names` items: each value in the
    /// brackets its label is printed with (「【適用ファイル】＜加入者情報項目＞」), or joined with a
    /// space (「別紙１ 特定個人情報の提供先一覧」); empty values are left out.
    pub fn block_name(&self, pattern: &str, v: &serde_json::Value) -> String {
        let Some(node) = self.node(pattern) else {
            return String::new();
        };
        let mut out = String::new();
        for rel in &node.names {
            let text = crate::path::lookup(v, rel)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .trim();
            if text.is_empty() {
                continue;
            }
            let label = self.label(&format!("{pattern}.{rel}"));
            let mut chars = label.chars();
            match (chars.next(), chars.next_back()) {
                (
                    Some(open @ ('【' | '＜' | '［' | '「')),
                    Some(close @ ('】' | '＞' | '］' | '」')),
                ) => {
                    out.push(open);
                    out.push_str(text);
                    out.push(close);
                }
                _ => {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(text);
                }
            }
        }
        out
    }

    /// The keys a block is matched by, most specific first ("" = the level does not apply):
    /// the values of each level's items of [`Node::keys`], joined.
    pub fn block_keys(&self, pattern: &str, v: &serde_json::Value) -> Vec<String> {
        let Some(node) = self.node(pattern) else {
            return Vec::new();
        };
        node.keys
            .iter()
            .map(|level| {
                let parts: Vec<String> = level
                    .iter()
                    .map(|rel| {
                        crate::path::lookup(v, rel)
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or_default()
                            .trim()
                            .to_string()
                    })
                    .collect();
                if parts.iter().all(String::is_empty) {
                    String::new()
                } else {
                    parts.join("\u{1f}")
                }
            })
            .collect()
    }

    /// The printed items whose label is recalled rather than read in a published form (a
    /// node's `verified`, else the form's).
    pub fn unverified(&self) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| !n.tool && !n.computed_hidden() && !self.is_verified(n))
            .collect()
    }

    /// The form definition a user edits to correct a label: the folder's `form.toml`, or for a
    /// built-in form the file to copy (with its folder) beside the assessments.
    pub fn definition_file(&self) -> String {
        match &self.builtin {
            Some(name) => format!("forms/{name}/form.toml"),
            None => format!("{}/form.toml", self.origin),
        }
    }

    /// A node's label is verified unless it, or a node above it, says `verified = false` (the
    /// form's `verified` when none says anything).
    pub fn is_verified(&self, node: &Node) -> bool {
        let mut p = node.p.as_str();
        loop {
            if let Some(v) = self.node(p).and_then(|n| n.verified) {
                return v;
            }
            if p.is_empty() {
                return self.verified;
            }
            p = parent_pattern(p);
        }
    }

    /// The label of a node (by pattern or concrete path), "" when the form has no such node.
    pub fn label(&self, path: &str) -> &str {
        self.node(path).map_or("", |n| n.l.as_str())
    }

    /// For a node with `when`: whether the sibling choice it depends on (in the same table as the
    /// concrete `path`) makes the item required. `value` reads a concrete path of the document.
    pub fn required_by_sibling<'v>(
        &self,
        node: &Node,
        path: &str,
        value: impl Fn(&str) -> Option<&'v str>,
    ) -> bool {
        let Some(cond) = &node.when else { return true };
        let (key, negate, id) = match cond.split_once("!=") {
            Some((k, id)) => (k, true, id),
            None => match cond.split_once('=') {
                Some((k, id)) => (k, false, id),
                None => return true,
            },
        };
        let table = concrete_parent(path);
        let sibling = if table.is_empty() {
            key.to_string()
        } else {
            format!("{table}.{key}")
        };
        let text = self
            .node(&sibling)
            .and_then(|n| self.options_of(n))
            .and_then(|set| set.option(id))
            .map(|o| o.text.as_str());
        let answered = value(&sibling);
        match negate {
            false => answered.is_some() && answered == text,
            true => answered != text,
        }
    }

    /// Whether a change to this item is a candidate 重要な変更 (the form marks it ※, itself or
    /// through its section or group, and does not exclude it).
    pub fn is_star(&self, path: &str) -> bool {
        let mut pattern = pattern_of(path);
        // A check-list option or a deeper part of a leaf counts as the leaf itself.
        while !pattern.is_empty() && !self.index.contains_key(&pattern) {
            pattern = parent_pattern(&pattern).to_string();
        }
        loop {
            if let Some(node) = self.node(&pattern) {
                if node.x {
                    return false;
                }
                if node.m {
                    return true;
                }
            }
            if pattern.is_empty() {
                return false;
            }
            pattern = parent_pattern(&pattern).to_string();
        }
    }

    /// The item as the form prints it: 「Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か」.
    ///
    /// `file_names` are the names of the assessment's 特定個人情報ファイル: with more than one,
    /// Ⅱ and Ⅲ paths name the file (「Ⅱ［…ファイル］ ２．基本情報 …」).
    pub fn printed_path(&self, path: &str, file_names: &[String]) -> String {
        let segments = split_path(path);
        let mut parts: Vec<String> = Vec::new();
        let mut concrete = String::new();
        let mut file_label: Option<String> = None;
        for (i, seg) in segments.iter().enumerate() {
            match seg {
                Segment::Key(k) => {
                    if !concrete.is_empty() {
                        concrete.push('.');
                    }
                    concrete.push_str(k);
                }
                Segment::Index(n) => {
                    concrete.push_str(&format!("[{n}]"));
                }
                Segment::Quoted(option) => {
                    parts.push(option.clone());
                    continue;
                }
            }
            // Only name a node once per segment; blocks are named at their index segment.
            let is_index = matches!(seg, Segment::Index(_));
            let next_is_index = matches!(segments.get(i + 1), Some(Segment::Index(_)));
            if next_is_index {
                // The group that holds a repeated block is printed before the block's heading
                // (「２．…使用するシステム システム1」).
                if let Some(group) = self
                    .node(&concrete)
                    .filter(|n| !n.hide && matches!(n.k, Kind::Group | Kind::Section))
                {
                    parts.push(group.full_label());
                }
                continue;
            }
            let Some(node) = self.node(&concrete) else {
                continue;
            };
            // A block named by its name (「［{name}］」, a 特定個人情報ファイル): named in the next
            // section's heading, and only when there are several.
            if node.k == Kind::Block && node.l.contains("{name}") {
                if let Segment::Index(n) = seg {
                    let name = file_names.get(*n).cloned().unwrap_or_default();
                    let label = node.l.replace("{name}", &name);
                    if i + 1 == segments.len() {
                        // The block itself: its group's label and its name.
                        let group = self
                            .node(parent_pattern(&node.p))
                            .map_or("", |g| g.l.as_str());
                        return format!("{group}{label}");
                    }
                    if file_names.len() > 1 {
                        file_label = Some(label);
                    }
                }
                continue;
            }
            if node.hide && !node.inpath {
                continue;
            }
            let label = if is_index {
                let n = match seg {
                    Segment::Index(n) => *n + 1,
                    _ => 0,
                };
                node.l.replace("{n}", &n.to_string())
            } else {
                node.full_label()
            };
            if node.k == Kind::Section
                && let Some(f) = file_label.take()
            {
                parts.push(format!("{label}{f}"));
                continue;
            }
            parts.push(label);
        }
        if parts.is_empty() {
            // A hidden section itself (表紙, しきい値判断項目): its own label.
            return self
                .node(&concrete)
                .map_or_else(|| path.to_string(), |n| n.l.clone());
        }
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_paths() {
        let f = &*Catalog::builtin().default_form();
        // A file block itself is named by its name, never by the label's template.
        assert_eq!(
            f.printed_path("files[1]", &["A".into(), "B".into()]),
            "特定個人情報ファイル［B］"
        );
        assert_eq!(
            f.printed_path("files[0].risk.acquisition.r1.adequacy", &[]),
            "Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か"
        );
        assert_eq!(
            f.printed_path("files[0].risk.retention.r1.technical", &[]),
            "Ⅲ ７．特定個人情報の保管・消去 リスク１ ⑥技術的対策"
        );
        assert_eq!(
            f.printed_path(
                "files[0].overview.entrustment.items[1].subcontract.status",
                &[]
            ),
            "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項2 ⑦再委託の有無"
        );
        assert_eq!(
            f.printed_path("basic.systems[0].connections.\"その他\"", &[]),
            "Ⅰ ２．特定個人情報ファイルを取り扱う事務において使用するシステム システム1 ③他のシステムとの接続 その他"
        );
        assert_eq!(f.printed_path("cover.published_on", &[]), "公表日");
        let two = vec!["A".to_string(), "B".to_string()];
        assert_eq!(
            f.printed_path("files[1].overview.basic.file_kind", &two),
            "Ⅱ［B］ ２．基本情報 ①ファイルの種類"
        );
    }

    #[test]
    fn detail_items_depend_on_their_sibling_answer() {
        let f = &*Catalog::builtin().default_form();
        let node = f.node("files[].risk.use.r2.user_auth_detail").unwrap();
        let path = "files[0].risk.use.r2.user_auth_detail";
        let answer = |v: Option<&'static str>| {
            move |p: &str| {
                (p == "files[0].risk.use.r2.user_auth")
                    .then_some(v)
                    .flatten()
            }
        };
        assert!(f.required_by_sibling(node, path, answer(Some("行っている"))));
        assert!(!f.required_by_sibling(node, path, answer(Some("行っていない"))));
        assert!(!f.required_by_sibling(node, path, answer(None)));
        let node = f
            .node("files[].risk.entrustment.subcontractor_assurance_detail")
            .unwrap();
        let path = "files[0].risk.entrustment.subcontractor_assurance_detail";
        let answer = |v: &'static str| {
            move |p: &str| (p == "files[0].risk.entrustment.subcontractor_assurance").then_some(v)
        };
        assert!(f.required_by_sibling(node, path, answer("十分に行っている")));
        assert!(!f.required_by_sibling(node, path, answer("再委託していない")));
        // Items without `when` are always required.
        assert!(f.required_by_sibling(f.node("cover.title").unwrap(), "cover.title", |_| None));
    }

    #[test]
    fn stars() {
        let f = &*Catalog::builtin().default_form();
        assert!(f.is_star("files[0].risk.acquisition.r1.adequacy"));
        assert!(!f.is_star("files[0].risk.retention.r1.serious_incident"));
        assert!(f.is_star("files[0].risk.retention.r1.technical_detail"));
        assert!(f.is_star("basic.number_use.legal_basis"));
        assert!(f.is_star("basic.info_linkage.status"));
        assert!(!f.is_star("basic.systems[0].connections"));
        assert!(!f.is_star("basic.systems[0].connections.\"その他\""));
        assert!(f.is_star("files[0].overview.acquisition.sources.\"その他\""));
        assert!(!f.is_star("files[0].overview.acquisition.methods"));
        assert!(f.is_star("other_risk.audit.self_check"));
        assert!(f.is_star("files[0].overview.entrustment.items[2].subcontract.status"));
        assert!(!f.is_star("files[0].overview.entrustment.items[2].contractor_name"));
    }
}
