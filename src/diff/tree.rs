//! The structural diff: both models as JSON, walked along the form definition.
//!
//! Repeated blocks are matched by a stable key rather than by position (see [`block_keys`]);
//! an added or removed block is one change that carries the block's content. 別添3
//! (`changes[]`), the author's notes (`pending[]`) and the tool-only tables (`meta`,
//! `threshold`) are not items of the form and are not compared.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::ChangeKind;
use super::text::{self, Line};
use crate::form::{self, Form, Kind, Node};
use crate::model::Assessment;

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

/// The children of every node pattern ("" = the document root), in printed order. A block
/// `a.b[]` whose array key `a.b` has no node of its own is a child of `a`.
fn children_map(form: &'static Form) -> &'static HashMap<String, Vec<usize>> {
    static MAP: OnceLock<HashMap<String, Vec<usize>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in form.nodes.iter().enumerate() {
            map.entry(container(form, &n.p).to_string())
                .or_default()
                .push(i);
        }
        map
    })
}

fn container<'p>(form: &Form, pattern: &'p str) -> &'p str {
    let mut q = form::parent_pattern(pattern);
    while !q.is_empty() && form.node(q).is_none() {
        q = form::parent_pattern(q);
    }
    q
}

/// All changes from `old` to `new`, in the form's printed order.
pub fn diff(old: &Assessment, new: &Assessment) -> Vec<RawChange> {
    let form = form::current();
    let old_json = serde_json::to_value(old).unwrap_or(Value::Null);
    let new_json = serde_json::to_value(new).unwrap_or(Value::Null);
    let mut w = Walker {
        form,
        children: children_map(form),
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
        out: Vec::new(),
    };
    w.walk("", Some(&old_json), Some(&new_json), "", "");
    w.out
}

struct Walker {
    form: &'static Form,
    children: &'static HashMap<String, Vec<usize>>,
    old_files: Vec<String>,
    new_files: Vec<String>,
    out: Vec<RawChange>,
}

fn get<'v>(v: Option<&'v Value>, rel: &str) -> Option<&'v Value> {
    let mut cur = v?;
    for k in rel.split('.').filter(|k| !k.is_empty()) {
        cur = cur.get(k)?;
    }
    Some(cur)
}

fn join(base: &str, rel: &str) -> String {
    match (base.is_empty(), rel.is_empty()) {
        (_, true) => base.to_string(),
        (true, false) => rel.to_string(),
        (false, false) => format!("{base}.{rel}"),
    }
}

impl Walker {
    fn walk(
        &mut self,
        pattern: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        old_path: &str,
        new_path: &str,
    ) {
        let Some(kids) = self.children.get(pattern) else {
            return;
        };
        for &i in kids {
            let node: &'static Node = &self.form.nodes[i];
            if node.tool || (pattern.is_empty() && NOT_COMPARED.contains(&node.p.as_str())) {
                continue;
            }
            let rel = node.p[pattern.len()..].trim_start_matches('.');
            if let Some(key) = rel.strip_suffix("[]") {
                let oa = get(old, key).and_then(Value::as_array);
                let na = get(new, key).and_then(Value::as_array);
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
        self.form.printed_path(path, names)
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
        node: &'static Node,
        old: &[Value],
        new: &[Value],
        old_base: &str,
        new_base: &str,
    ) {
        let keys = |v: &Value| block_keys(&node.p, v);
        for (o, n) in match_blocks(old, new, keys) {
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
        let Some(kids) = self.children.get(pattern) else {
            return;
        };
        for &i in kids {
            let node = &self.form.nodes[i];
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

fn text_at(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The keys a block is matched by, most specific first; "" = this level does not apply.
/// Blocks without a natural key are matched by position.
pub fn block_keys(pattern: &str, v: &Value) -> Vec<String> {
    let with_id = |name: String| {
        let id = text_at(v, "id");
        vec![
            if id.is_empty() {
                String::new()
            } else {
                format!("id:{id}")
            },
            name,
        ]
    };
    if pattern == "files[]" {
        vec![text_at(&v["overview"], "file_name")]
    } else if pattern == "basic.systems[]" {
        vec![text_at(v, "name")]
    } else if pattern.ends_with("entrustment.items[]") {
        let mut k = with_id(text_at(v, "title"));
        k.push(format!(
            "{}\u{1f}{}",
            text_at(v, "title"),
            text_at(v, "contractor_name")
        ));
        k
    } else if pattern.ends_with("recipients[]") || pattern.ends_with("transferees[]") {
        with_id(text_at(v, "name"))
    } else if pattern.ends_with("attachment2.groups[]") {
        vec![format!(
            "{}\u{1f}{}",
            text_at(v, "file"),
            text_at(v, "table")
        )]
    } else if pattern == "attachments[]" {
        vec![text_at(v, "id"), text_at(v, "title")]
    } else {
        Vec::new()
    }
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
