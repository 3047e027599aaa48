//! The structural diff: both models as JSON, walked along the form definition.
//!
//! Repeated blocks are matched by a stable key rather than by position (the form's `keys` of the block, [`Form::block_keys`]).
//! Blocks left unmatched on both sides are then paired by content ([`similarity`]): a block
//! whose name changed but whose other items stayed (almost) the same is that block renamed, and
//! is compared item by item, so a rename is one change of its name item. Only what is left is an
//! added or removed block: one change that carries the block's content. A new order of numbered
//! blocks (`ordered` in the form) is one change of the list. 別添3 (`changes[]`), the author's notes
//! (`pending[]`) and the tool-only tables (`meta`, `threshold`) are not items of the form and are
//! not compared.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::ChangeKind;
use super::text::{self, Line};
use crate::form::{Form, Kind, Node};
use crate::load::Loaded;

/// A change before classification.
#[derive(Debug, Clone)]
pub struct RawChange {
    pub item: String,
    pub path: String,
    pub old_path: String,
    pub kind: ChangeKind,
    pub before: String,
    pub after: String,
    pub star: bool,
    pub excerpt: Vec<Line>,
}

/// Top-level tables that are not items of the printed form.
const NOT_COMPARED: &[&str] = &["meta", "threshold", "changes", "pending"];

/// All changes from `old` to `new`, in the form's printed order.
///
/// The walk follows the new revision's form; each revision's values are read as its own form
/// prints them (option texts), so a 様式 change of an option's wording shows as a change.
pub fn diff(old: &Loaded, new: &Loaded) -> Vec<RawChange> {
    let form = &*new.form;
    let old_json = old.form.texts_of(&old.assessment);
    let new_json = new.form.texts_of(&new.assessment);
    let (old, new) = (&old.assessment, &new.assessment);
    let mut w = Walker {
        form,
        old_files: old
            .files
            .iter()
            .map(|f| f.overview.file_name.clone())
            .collect(),
        new_files: new
            .files
            .iter()
            .map(|f| f.overview.file_name.clone())
            .collect(),
        renamed_files: Vec::new(),
        out: Vec::new(),
    };
    w.walk("", Some(&old_json), Some(&new_json), "", "");
    fold_file_renames(&mut w.out, &w.renamed_files);
    w.out
}

/// A renamed 特定個人情報ファイル also changes its name in Ⅰ ３ and Ⅲ １, which repeat Ⅱ １ (D-20):
/// those copies are part of the one change of Ⅱ １ and are not reported again (Ⅲ １ lies in the
/// ※ section Ⅲ, but repeating a new file name there changes no handling of the file).
fn fold_file_renames(out: &mut Vec<RawChange>, renamed: &[(usize, String, String)]) {
    if renamed.is_empty() {
        return;
    }
    out.retain(|c| {
        if c.kind != ChangeKind::Changed {
            return true;
        }
        if c.path == "basic.file_names" {
            let before: Vec<String> = c
                .before
                .lines()
                .map(|name| {
                    let name = name.trim();
                    renamed
                        .iter()
                        .find(|(_, o, _)| o == name)
                        .map_or(name.to_string(), |(_, _, n)| n.clone())
                })
                .collect();
            let after: Vec<String> = c.after.lines().map(|l| l.trim().to_string()).collect();
            return before != after;
        }
        !renamed.iter().any(|(j, o, n)| {
            c.path == format!("files[{j}].risk.file_name")
                && c.before.trim() == o
                && c.after.trim() == n
        })
    });
}

struct Walker<'f> {
    form: &'f Form,
    old_files: Vec<String>,
    new_files: Vec<String>,
    /// Files paired by content whose name changed: (new index, old name, new name).
    renamed_files: Vec<(usize, String, String)>,
    out: Vec<RawChange>,
}

fn get<'v>(v: Option<&'v Value>, rel: &str) -> Option<&'v Value> {
    crate::path::lookup(v?, rel)
}

fn join(base: &str, rel: &str) -> String {
    match (base.is_empty(), rel.is_empty()) {
        (_, true) => base.to_string(),
        (true, false) => rel.to_string(),
        (false, false) => format!("{base}.{rel}"),
    }
}

impl<'f> Walker<'f> {
    fn walk(
        &mut self,
        pattern: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        old_path: &str,
        new_path: &str,
    ) {
        let form = self.form;
        for node in form.children(pattern) {
            if node.tool || (pattern.is_empty() && NOT_COMPARED.contains(&node.p.as_str())) {
                continue;
            }
            let rel = node.p[pattern.len()..].trim_start_matches('.');
            if let Some(key) = rel.strip_suffix("[]") {
                let oa = get(old, key).and_then(Value::as_array);
                let na = get(new, key).and_then(Value::as_array);
                // Blocks printed as one row of their names (様式2 「③システムの名称」): that row.
                if let Some(group) = form.node(node.p.trim_end_matches("[]"))
                    && let Some(sep) = &group.joined
                {
                    let text = |a: Option<&Vec<Value>>| -> String {
                        a.map(|a| {
                            a.iter()
                                .map(|b| form.block_name(&node.p, b))
                                .filter(|n| !n.trim().is_empty())
                                .collect::<Vec<_>>()
                                .join(sep)
                        })
                        .unwrap_or_default()
                    };
                    let (before, after) = (text(oa), text(na));
                    if before != after {
                        let path = join(new_path, key);
                        self.out.push(RawChange {
                            item: form.printed_path(&group.p, &[]),
                            old_path: join(old_path, key),
                            kind: match (before.is_empty(), after.is_empty()) {
                                (true, _) => ChangeKind::Added,
                                (_, true) => ChangeKind::Removed,
                                _ => ChangeKind::Changed,
                            },
                            star: form.is_star(&group.p),
                            excerpt: text::excerpt(&before, &after),
                            before,
                            after,
                            path,
                        });
                    }
                    continue;
                }
                self.blocks(
                    node,
                    oa.map(Vec::as_slice).unwrap_or(&[]),
                    na.map(Vec::as_slice).unwrap_or(&[]),
                    &join(old_path, key),
                    &join(new_path, key),
                );
                continue;
            }
            let ov = get(old, rel);
            let nv = get(new, rel);
            let (op, np) = (join(old_path, rel), join(new_path, rel));
            match node.k {
                Kind::Section | Kind::Group | Kind::Block => self.walk(&node.p, ov, nv, &op, &np),
                Kind::Rows => self.rows(node, ov, nv, &op, &np),
                _ => self.leaf(node, ov, nv, &op, &np),
            }
        }
    }

    fn item(&self, path: &str, removed: bool) -> String {
        let names = if removed {
            &self.old_files
        } else {
            &self.new_files
        };
        block_item(self.form, path, names)
    }

    fn leaf(
        &mut self,
        node: &Node,
        ov: Option<&Value>,
        nv: Option<&Value>,
        old_path: &str,
        new_path: &str,
    ) {
        if text::same(ov, nv) {
            return;
        }
        let kind = match (text::is_empty(ov), text::is_empty(nv)) {
            (true, _) => ChangeKind::Added,
            (_, true) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        let (before, after) = if node.k == Kind::Checks {
            text::render_checks_change(self.form, node, ov, nv)
        } else {
            (
                text::render(self.form, node, ov),
                text::render(self.form, node, nv),
            )
        };
        let excerpt = if kind == ChangeKind::Changed
            && matches!(node.k, Kind::Text | Kind::Line | Kind::List)
        {
            text::excerpt(&before, &after)
        } else {
            Vec::new()
        };
        let removed = kind == ChangeKind::Removed && nv.is_none();
        let path = if removed { old_path } else { new_path };
        self.out.push(RawChange {
            item: self.item(path, removed),
            path: path.to_string(),
            old_path: old_path.to_string(),
            kind,
            before,
            after,
            star: self.form.is_star(path),
            excerpt,
        });
    }

    /// Table rows (別紙), matched by their first cell.
    fn rows(
        &mut self,
        node: &Node,
        ov: Option<&Value>,
        nv: Option<&Value>,
        old_path: &str,
        new_path: &str,
    ) {
        let empty = Vec::new();
        let old_rows = ov.and_then(Value::as_array).unwrap_or(&empty);
        let new_rows = nv.and_then(Value::as_array).unwrap_or(&empty);
        let key = |r: &Value| {
            vec![
                r.get(0)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ]
        };
        let pairs = match_blocks(old_rows, new_rows, |r| key(r));
        let base_item = self.item(new_path, false);
        let base_item_old = self.item(old_path, true);
        for (o, n) in pairs {
            let (before, after) = (
                o.map(|i| text::row_text(&old_rows[i])).unwrap_or_default(),
                n.map(|j| text::row_text(&new_rows[j])).unwrap_or_default(),
            );
            if before == after {
                continue;
            }
            let first = n
                .or(o)
                .map(|i| {
                    if n.is_some() {
                        &new_rows[i]
                    } else {
                        &old_rows[i]
                    }
                })
                .and_then(|r| r.get(0))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let (path, item) = match n {
                Some(j) => (
                    format!("{new_path}[{j}]"),
                    format!("{base_item} 「{}」", first.trim()),
                ),
                None => (
                    format!("{old_path}[{}]", o.unwrap_or(0)),
                    format!("{base_item_old} 「{}」", first.trim()),
                ),
            };
            let kind = match (o, n) {
                (Some(_), Some(_)) => ChangeKind::Changed,
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Removed,
            };
            let excerpt = if kind == ChangeKind::Changed {
                text::excerpt(&before, &after)
            } else {
                Vec::new()
            };
            self.out.push(RawChange {
                item,
                star: self.form.is_star(&path),
                path,
                old_path: o.map(|i| format!("{old_path}[{i}]")).unwrap_or_default(),
                kind,
                before,
                after,
                excerpt,
            });
        }
        let _ = node;
    }

    fn blocks(
        &mut self,
        node: &'f Node,
        old: &[Value],
        new: &[Value],
        old_base: &str,
        new_base: &str,
    ) {
        let form = self.form;
        let keys = |v: &Value| form.block_keys(&node.p, v);
        let pairs = pair_similar(self.form, &node.p, old, new, match_blocks(old, new, keys));
        if node.p == "files[]" {
            for &(o, n) in &pairs {
                if let (Some(i), Some(j)) = (o, n) {
                    let (a, b) = (
                        form.block_name(&node.p, &old[i]),
                        form.block_name(&node.p, &new[j]),
                    );
                    if a != b {
                        self.renamed_files.push((j, a, b));
                    }
                }
            }
        }
        if node.ordered && reordered(&pairs) {
            self.reorder(node, old, new, old_base, new_base);
        }
        for (o, n) in pairs {
            match (o, n) {
                (Some(i), Some(j)) => {
                    let op = format!("{old_base}[{i}]");
                    let np = format!("{new_base}[{j}]");
                    self.walk(&node.p, Some(&old[i]), Some(&new[j]), &op, &np);
                }
                (None, Some(j)) => {
                    if text::is_empty(Some(&new[j])) {
                        continue;
                    }
                    let path = format!("{new_base}[{j}]");
                    let (content, star) = self.content(&node.p, &new[j], &path);
                    self.out.push(RawChange {
                        item: self.item(&path, false),
                        path,
                        old_path: String::new(),
                        kind: ChangeKind::Added,
                        before: String::new(),
                        after: content,
                        star,
                        excerpt: Vec::new(),
                    });
                }
                (Some(i), None) => {
                    if text::is_empty(Some(&old[i])) {
                        continue;
                    }
                    let path = format!("{old_base}[{i}]");
                    let (content, star) = self.content(&node.p, &old[i], &path);
                    self.out.push(RawChange {
                        item: self.item(&path, true),
                        path: path.clone(),
                        old_path: path,
                        kind: ChangeKind::Removed,
                        before: content,
                        after: String::new(),
                        star,
                        excerpt: Vec::new(),
                    });
                }
                (None, None) => {}
            }
        }
    }

    /// One change for a new order of numbered blocks: 項目 = the list as printed
    /// (「Ⅱ ５．特定個人情報の提供・移転（委託に伴うものを除く。） 提供先」), before/after = the
    /// blocks in their order, one 「提供先1：名称」 line each. A new order changes no item of the
    /// blocks, so the change is not ※ whatever the section.
    fn reorder(
        &mut self,
        node: &'f Node,
        old: &[Value],
        new: &[Value],
        old_base: &str,
        new_base: &str,
    ) {
        let list = |blocks: &[Value]| {
            blocks
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let name = self.form.block_name(&node.p, b);
                    format!(
                        "{}：{}",
                        node.l.replace("{n}", &(i + 1).to_string()),
                        if name.is_empty() {
                            "（名称なし）"
                        } else {
                            &name
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (before, after) = (list(old), list(new));
        let label = node.l.replace("{n}", "");
        let item = format!(
            "{} {}",
            self.form.printed_path(new_base, &self.new_files),
            label.trim()
        );
        self.out.push(RawChange {
            item: item.trim().to_string(),
            path: new_base.to_string(),
            old_path: old_base.to_string(),
            kind: ChangeKind::Changed,
            excerpt: text::excerpt(&before, &after),
            before,
            after,
            star: false,
        });
    }

    /// The filled items of a block as 「label：value」 lines, and whether any of them is ※.
    fn content(&self, pattern: &str, v: &Value, path: &str) -> (String, bool) {
        let mut lines = Vec::new();
        let mut star = false;
        self.collect(pattern, Some(v), path, &mut lines, &mut star);
        (lines.join("\n"), star)
    }

    fn collect(
        &self,
        pattern: &str,
        v: Option<&Value>,
        path: &str,
        lines: &mut Vec<String>,
        star: &mut bool,
    ) {
        for node in self.form.children(pattern) {
            if node.tool {
                continue;
            }
            let rel = node.p[pattern.len()..].trim_start_matches('.');
            if let Some(key) = rel.strip_suffix("[]") {
                let arr = get(v, key)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for (j, e) in arr.iter().enumerate() {
                    let p = format!("{}[{j}]", join(path, key));
                    if !text::is_empty(Some(e)) {
                        lines.push(format!(
                            "【{}】",
                            node.l.replace("{n}", &(j + 1).to_string())
                        ));
                    }
                    self.collect(&node.p, Some(e), &p, lines, star);
                }
                continue;
            }
            let cv = get(v, rel);
            let p = join(path, rel);
            match node.k {
                Kind::Section | Kind::Group | Kind::Block => {
                    self.collect(&node.p, cv, &p, lines, star)
                }
                _ => {
                    if text::is_empty(cv)
                        || (node.k == Kind::Check && cv.and_then(Value::as_bool) != Some(true))
                    {
                        continue;
                    }
                    *star |= self.form.is_star(&p);
                    let value = text::render(self.form, node, cv);
                    if node.k == Kind::Check {
                        lines.push(value);
                    } else if value.contains('\n') {
                        lines.push(format!("{}：\n{value}", node.full_label()));
                    } else {
                        lines.push(format!("{}：{value}", node.full_label()));
                    }
                }
            }
        }
    }
}

/// The item as the form prints it; a whole 特定個人情報ファイル (`files[n]`, which the form prints
/// only through its name) is 「特定個人情報ファイル［name］」, from the labels of `files` and
/// `files[]`.
pub fn block_item(form: &Form, path: &str, file_names: &[String]) -> String {
    if let Some(n) = path
        .strip_prefix("files[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        let group = form.node("files").map(|g| g.l.as_str()).unwrap_or_default();
        let block = form
            .node("files[]")
            .map(|b| b.l.as_str())
            .unwrap_or_default();
        let name = file_names.get(n).map(String::as_str).unwrap_or_default();
        return format!("{group}{}", block.replace("{name}", name));
    }
    form.printed_path(path, file_names)
}

/// Whether the blocks matched on both sides come in another order.
fn reordered(pairs: &[(Option<usize>, Option<usize>)]) -> bool {
    let olds: Vec<usize> = pairs.iter().filter_map(|&(o, n)| n.and(o)).collect();
    olds.windows(2).any(|w| w[0] > w[1])
}

// ---------------------------------------------------------------- renamed blocks

/// Similarity from which two unmatched blocks are one block changed in place (renamed).
///
/// The similarity of two blocks is the mean, over the items filled in either except the items
/// that name the block (the block's `names` and `name_copies` in the form: a rename changes them by definition), of: 1 for an item
/// written the same, the character similarity of the two texts for an item written differently
/// (normalised Levenshtein up to [`LONG_TEXT`] characters, the share of equal lines above), 0 for
/// an item filled on one side only or a different choice, number or check. In the reference
/// assessment, 委託事項1 with a new 名称 scores 1, and with a new 名称 and a new ⑥委託先名 0.95,
/// while 委託事項2, 3 and 4 — different 委託事項 to the same 委託先 with the same standard
/// clauses — score 0.85 to 0.87 against each other, and the systems less than 0.1.
pub const RENAME_THRESHOLD: f64 = 0.9;

/// Texts longer than this (in characters) are compared line by line.
pub const LONG_TEXT: usize = 400;

/// How alike two blocks are (see [`RENAME_THRESHOLD`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Mean per-item score in 0..=1.
    pub score: f64,
    /// Items written the same on both sides.
    pub equal: usize,
    /// Items filled on at least one side and not written the same.
    pub differ: usize,
}

impl Similarity {
    /// The two blocks are one block changed in place.
    pub fn same_block(&self) -> bool {
        self.score >= RENAME_THRESHOLD
    }
}

/// The filled items of a block as (relative path, printed text), without tool-only items (`id`)
/// and the items that name the block.
fn leaves(form: &Form, pattern: &str, v: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    flatten(form, pattern, v, "", &mut out);
    if let Some(node) = form.node(pattern) {
        for k in node.names.iter().chain(&node.name_copies) {
            out.remove(k);
        }
    }
    out
}

fn flatten(form: &Form, pattern: &str, v: &Value, rel: &str, out: &mut BTreeMap<String, String>) {
    if text::is_empty(Some(v)) {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{pattern}.{k}");
                if form.node(&p).is_some_and(|n| n.tool) {
                    continue;
                }
                let r = if rel.is_empty() {
                    k.clone()
                } else {
                    format!("{rel}.{k}")
                };
                if x.as_array().is_some_and(|a| a.iter().any(Value::is_object)) {
                    for (i, e) in x.as_array().into_iter().flatten().enumerate() {
                        flatten(form, &format!("{p}[]"), e, &format!("{r}[{i}]"), out);
                    }
                } else {
                    flatten(form, &p, x, &r, out);
                }
            }
        }
        Value::Array(a) => {
            let lines: Vec<String> = a
                .iter()
                .map(|x| match x {
                    Value::String(s) => s.trim().to_string(),
                    Value::Array(_) => text::row_text(x),
                    other => other.to_string(),
                })
                .collect();
            out.insert(rel.to_string(), lines.join("\n"));
        }
        Value::String(s) => {
            out.insert(rel.to_string(), s.trim().to_string());
        }
        other => {
            out.insert(rel.to_string(), other.to_string());
        }
    }
}

/// Character similarity of two texts in 0..=1.
fn text_similarity(a: &str, b: &str) -> f64 {
    if a.chars().count() <= LONG_TEXT && b.chars().count() <= LONG_TEXT {
        strsim::normalized_levenshtein(a, b)
    } else {
        f64::from(similar::TextDiff::from_lines(a, b).ratio())
    }
}

/// How alike two blocks of the pattern are.
pub fn similarity(form: &Form, pattern: &str, a: &Value, b: &Value) -> Similarity {
    compare_leaves(&leaves(form, pattern, a), &leaves(form, pattern, b))
}

fn compare_leaves(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Similarity {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let (mut sum, mut equal, mut differ) = (0.0, 0, 0);
    for k in &keys {
        match (a.get(*k), b.get(*k)) {
            (Some(x), Some(y)) if x == y => {
                sum += 1.0;
                equal += 1;
            }
            (Some(x), Some(y)) => {
                // Choices, numbers and checks are equal or not; texts may be close.
                sum += text_similarity(x, y);
                differ += 1;
            }
            _ => differ += 1,
        }
    }
    Similarity {
        score: if keys.is_empty() {
            0.0
        } else {
            sum / keys.len() as f64
        },
        equal,
        differ,
    }
}

/// Pairs the blocks left unmatched on both sides by [`match_blocks`] when they are one block
/// changed in place ([`Similarity::same_block`]): best pairs first (ties: the closer positions,
/// then the earlier ones), each block at most once. Same order of the result as `match_blocks`.
pub fn pair_similar(
    form: &Form,
    pattern: &str,
    old: &[Value],
    new: &[Value],
    pairs: Vec<(Option<usize>, Option<usize>)>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let removed: Vec<usize> = pairs
        .iter()
        .filter_map(|&(o, n)| if n.is_none() { o } else { None })
        .filter(|&i| !text::is_empty(Some(&old[i])))
        .collect();
    let added: Vec<usize> = pairs
        .iter()
        .filter_map(|&(o, n)| if o.is_none() { n } else { None })
        .filter(|&j| !text::is_empty(Some(&new[j])))
        .collect();
    if removed.is_empty() || added.is_empty() {
        return pairs;
    }
    let ol: Vec<_> = removed
        .iter()
        .map(|&i| leaves(form, pattern, &old[i]))
        .collect();
    let nl: Vec<_> = added
        .iter()
        .map(|&j| leaves(form, pattern, &new[j]))
        .collect();
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (a, &i) in removed.iter().enumerate() {
        for (b, &j) in added.iter().enumerate() {
            let s = compare_leaves(&ol[a], &nl[b]);
            if s.same_block() {
                candidates.push((s.score, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(x.1.abs_diff(x.2).cmp(&y.1.abs_diff(y.2)))
            .then(x.1.cmp(&y.1))
            .then(x.2.cmp(&y.2))
    });
    let mut n2o: HashMap<usize, usize> = HashMap::new();
    let mut taken_old: Vec<usize> = Vec::new();
    for (_, i, j) in candidates {
        if taken_old.contains(&i) || n2o.contains_key(&j) {
            continue;
        }
        taken_old.push(i);
        n2o.insert(j, i);
    }
    pairs
        .into_iter()
        .filter_map(|(o, n)| match (o, n) {
            (None, Some(j)) => Some((n2o.get(&j).copied(), Some(j))),
            (Some(i), None) if taken_old.contains(&i) => None,
            other => Some(other),
        })
        .collect()
}

/// Pairs old and new elements: level by level, elements whose key at that level is non-empty
/// and unique on both sides are matched; then equal primary keys in order of occurrence;
/// elements without any key are matched by position. Result in new order (matched and added),
/// then the removed ones in old order.
pub fn match_blocks<T>(
    old: &[T],
    new: &[T],
    keys: impl Fn(&T) -> Vec<String>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let ok: Vec<Vec<String>> = old.iter().map(&keys).collect();
    let nk: Vec<Vec<String>> = new.iter().map(&keys).collect();
    let mut o2n: Vec<Option<usize>> = vec![None; old.len()];
    let mut n2o: Vec<Option<usize>> = vec![None; new.len()];
    let levels = ok.iter().chain(nk.iter()).map(Vec::len).max().unwrap_or(0);
    if levels == 0 {
        for i in 0..old.len().min(new.len()) {
            o2n[i] = Some(i);
            n2o[i] = Some(i);
        }
    }
    let key_at = |k: &Vec<String>, l: usize| k.get(l).cloned().unwrap_or_default();
    for level in 0..levels {
        let mut ocount: HashMap<String, usize> = HashMap::new();
        let mut ncount: HashMap<String, usize> = HashMap::new();
        for (i, k) in ok.iter().enumerate() {
            if o2n[i].is_none() {
                *ocount.entry(key_at(k, level)).or_default() += 1;
            }
        }
        for (j, k) in nk.iter().enumerate() {
            if n2o[j].is_none() {
                *ncount.entry(key_at(k, level)).or_default() += 1;
            }
        }
        for (i, k) in ok.iter().enumerate() {
            let key = key_at(k, level);
            if o2n[i].is_some()
                || key.is_empty()
                || ocount.get(&key) != Some(&1)
                || ncount.get(&key) != Some(&1)
            {
                continue;
            }
            if let Some(j) =
                (0..new.len()).find(|&j| n2o[j].is_none() && key_at(&nk[j], level) == key)
            {
                o2n[i] = Some(j);
                n2o[j] = Some(i);
            }
        }
    }
    // Duplicated keys: pair them in order of occurrence.
    for level in 0..levels {
        for i in 0..old.len() {
            let key = key_at(&ok[i], level);
            if o2n[i].is_some() || key.is_empty() {
                continue;
            }
            if let Some(j) =
                (0..new.len()).find(|&j| n2o[j].is_none() && key_at(&nk[j], level) == key)
            {
                o2n[i] = Some(j);
                n2o[j] = Some(i);
            }
        }
    }
    let mut out: Vec<(Option<usize>, Option<usize>)> =
        (0..new.len()).map(|j| (n2o[j], Some(j))).collect();
    out.extend(
        (0..old.len())
            .filter(|&i| o2n[i].is_none())
            .map(|i| (Some(i), None)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_by_key_ignores_order() {
        let old = vec!["a", "b", "c"];
        let new = vec!["c", "a", "d"];
        let pairs = match_blocks(&old, &new, |s| vec![s.to_string()]);
        assert_eq!(
            pairs,
            vec![
                (Some(2), Some(0)),
                (Some(0), Some(1)),
                (None, Some(2)),
                (Some(1), None)
            ]
        );
    }

    fn reference_loaded() -> crate::load::Loaded {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assessments/kanto-it-kenpo");
        crate::load::load(&dir).expect("reference assessment loads")
    }

    fn reference() -> Value {
        let loaded = reference_loaded();
        loaded.form.texts_of(&loaded.assessment)
    }

    fn reference_form() -> std::sync::Arc<Form> {
        reference_loaded().form
    }

    #[test]
    fn similarity_tells_renamed_blocks_from_other_blocks() {
        let form = &*reference_form();
        let v = reference();
        let pattern = "files[].overview.entrustment.items[]";
        let items = v["files"][0]["overview"]["entrustment"]["items"]
            .as_array()
            .unwrap();
        for i in 0..items.len() {
            for j in i + 1..items.len() {
                let s = similarity(form, pattern, &items[i], &items[j]);
                assert!(
                    !s.same_block(),
                    "委託事項{} / 委託事項{}: {s:?}",
                    i + 1,
                    j + 1
                );
            }
        }
        // A new 名称 only: the name is not compared, everything else is equal.
        let mut renamed = items[1].clone();
        renamed["title"] = "情報システムの運用支援業務".into();
        let s = similarity(form, pattern, &items[1], &renamed);
        assert_eq!((s.equal, s.differ), (12, 0), "{s:?}");
        assert!(s.score == 1.0 && s.same_block(), "{s:?}");
        // A new 名称 and an edited ①委託内容 are still the same block.
        renamed["content"] =
            format!("{}（令和7年度から）", items[1]["content"].as_str().unwrap()).into();
        let s = similarity(form, pattern, &items[1], &renamed);
        assert_eq!((s.equal, s.differ), (11, 1), "{s:?}");
        assert!(s.same_block(), "{s:?}");
        // The tool-only id is not compared.
        renamed["id"] = "x".into();
        assert_eq!(similarity(form, pattern, &items[1], &renamed).differ, 1);
        // Systems: nothing alike.
        let systems = v["basic"]["systems"].as_array().unwrap();
        let s = similarity(form, "basic.systems[]", &systems[0], &systems[1]);
        assert!(s.score < 0.1 && !s.same_block(), "{s:?}");
    }

    #[test]
    fn unmatched_blocks_pair_best_first() {
        let form = &*reference_form();
        let v = reference();
        let pattern = "files[].overview.entrustment.items[]";
        let items = v["files"][0]["overview"]["entrustment"]["items"]
            .as_array()
            .unwrap();
        // 委託事項2 removed, 委託事項3 renamed: the renamed one pairs with 3, 2 stays removed.
        let mut three = items[2].clone();
        three["title"] = "情報照会・提供事務（中間サーバー等）".into();
        let old = vec![items[0].clone(), items[1].clone(), items[2].clone()];
        let new = vec![items[0].clone(), three];
        let keys = |b: &Value| form.block_keys(pattern, b);
        let pairs = pair_similar(form, pattern, &old, &new, match_blocks(&old, &new, keys));
        assert_eq!(
            pairs,
            vec![(Some(0), Some(0)), (Some(2), Some(1)), (Some(1), None)]
        );
        assert!(!reordered(&pairs));
        let swapped = vec![items[2].clone(), items[0].clone()];
        let pairs = pair_similar(
            form,
            pattern,
            &old,
            &swapped,
            match_blocks(&old, &swapped, keys),
        );
        assert!(reordered(&pairs), "{pairs:?}");
    }

    #[test]
    fn duplicates_pair_in_order() {
        let old = vec!["a", "a"];
        let new = vec!["a", "a", "a"];
        let pairs = match_blocks(&old, &new, |s| vec![s.to_string()]);
        assert_eq!(
            pairs,
            vec![(Some(0), Some(0)), (Some(1), Some(1)), (None, Some(2))]
        );
    }
}
