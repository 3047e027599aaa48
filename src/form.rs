//! The form definition (様式): printed labels, ※ marks, 選択肢 and item order, read from
//! `forms/*.toml`. Everything the form prints comes from here.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::path::{Segment, concrete_parent, parent_pattern, pattern_of, split_path};

/// Source of the 令和6年10月 様式4 definition.
pub const R6_10_YOSHIKI4: &str = include_str!("../forms/r6-10-yoshiki4.toml");

/// The form definition in use (the only version so far: 令和6年10月 様式4).
pub fn current() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| Form::parse(R6_10_YOSHIKI4).expect("built-in form definition is valid"))
}

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
}

impl Node {
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
            (_, Some(t)) if self.l.starts_with("リスク") => format!("{}：　{}", self.l, t),
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
}

#[derive(Debug, Deserialize)]
struct FormFile {
    form: FormHead,
    #[serde(default)]
    choices: HashMap<String, ChoiceSet>,
    #[serde(default)]
    checks: HashMap<String, ChoiceSet>,
}

#[derive(Debug, Deserialize)]
struct FormHead {
    id: String,
    tag: String,
    title: String,
    nodes: Vec<Node>,
}

/// A 様式 version: its items in printed order and its option sets.
#[derive(Debug)]
pub struct Form {
    pub id: String,
    /// 「[令和６年10月　様式４]」.
    pub tag: String,
    pub title: String,
    pub nodes: Vec<Node>,
    pub choices: HashMap<String, ChoiceSet>,
    pub checks: HashMap<String, ChoiceSet>,
    index: HashMap<String, usize>,
}

impl Form {
    pub fn parse(src: &str) -> Result<Form, String> {
        let file: FormFile = toml::from_str(src).map_err(|e| e.to_string())?;
        let index = file
            .form
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.p.clone(), i))
            .collect();
        Ok(Form {
            id: file.form.id,
            tag: file.form.tag,
            title: file.form.title,
            nodes: file.form.nodes,
            choices: file.choices,
            checks: file.checks,
            index,
        })
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
        let pattern = pattern_of(path);
        self.index.get(&pattern).map(|&i| &self.nodes[i])
    }

    /// Nodes directly under a pattern (its children in printed order).
    /// A block `a.b[]` without a group node `a.b` counts as a child of `a`.
    pub fn children<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.nodes.iter().filter(move |n| {
            let parent = parent_pattern(&n.p);
            parent == pattern
                || (n.k == Kind::Block
                    && !self.index.contains_key(parent)
                    && parent_pattern(parent) == pattern)
        })
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
            if node.p == "files[]" {
                if let Segment::Index(n) = seg
                    && file_names.len() > 1
                {
                    let name = file_names.get(*n).cloned().unwrap_or_default();
                    file_label = Some(format!("［{name}］"));
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
        let f = current();
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
        let f = current();
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
        let f = current();
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
