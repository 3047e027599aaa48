//! TOML paths of the assessment: the one path algebra of `pia`.
//!
//! A concrete path names one value as written: `files[0].overview.acquisition.sources."その他"`
//! (keys joined with `.`, block indexes in `[n]`, keys that are not bare TOML keys quoted). A
//! pattern names an item of the form: `files[].overview.acquisition.sources` (indexes removed).
//! Parsing, joining, parents, patterns, lookups in a JSON tree and the expansion of a pattern
//! to the concrete paths of a document are all here, once.

use serde_json::Value;

/// One step of a concrete TOML path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
    /// A quoted key (a check-list option): `sources."その他"`.
    Quoted(String),
}

/// Splits `files[0].overview.acquisition.sources."その他"`.
pub fn split_path(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut chars = path.chars().peekable();
    let mut cur = String::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(Segment::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(Segment::Key(std::mem::take(&mut cur)));
                }
                let mut num = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    num.push(d);
                }
                out.push(Segment::Index(num.parse().unwrap_or(0)));
            }
            '"' => {
                let mut q = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                q.push(e);
                            }
                        }
                        '"' => break,
                        _ => q.push(d),
                    }
                }
                out.push(Segment::Quoted(q));
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Segment::Key(cur));
    }
    out
}

/// Appends a key to a path, quoting it when it is not a bare TOML key.
pub fn join_key(path: &str, key: &str) -> String {
    let mut out = String::with_capacity(path.len() + key.len() + 3);
    out.push_str(path);
    push_key(&mut out, key);
    out
}

/// [`join_key`] in place: appends `.key` (or `key` to an empty path) to a buffer.
pub fn push_key(path: &mut String, key: &str) {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !path.is_empty() {
        path.push('.');
    }
    if bare {
        path.push_str(key);
    } else {
        path.push('"');
        for c in key.chars() {
            if c == '\\' || c == '"' {
                path.push('\\');
            }
            path.push(c);
        }
        path.push('"');
    }
}

/// Appends `[index]` to a path buffer.
pub fn push_index(path: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(path, "[{index}]");
}

/// Offsets of the `.` and `[` that separate the segments of a path (those inside a quoted key are
/// part of the key).
fn separators(path: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut quoted = false;
    let mut escaped = false;
    path.bytes().enumerate().filter(move |&(_, b)| {
        if escaped {
            escaped = false;
            return false;
        }
        match b {
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b'.' | b'[' => return !quoted,
            _ => {}
        }
        false
    })
}

/// The first index of a concrete path: (offset of `[`, offset after `]`, the index).
/// `changes[12].item` → (7, 11, 12).
pub fn first_index(path: &str) -> Option<(usize, usize, usize)> {
    let (open, _) = separators(path).find(|&(_, b)| b == b'[')?;
    let close = open + path[open..].find(']')?;
    let index = path[open + 1..close].parse().ok()?;
    Some((open, close + 1, index))
}

/// The first segment of a path (`cover` of `cover.published_on`, `"…"` of a quoted key).
pub fn first_segment(path: &str) -> &str {
    separators(path).next().map_or(path, |(i, _)| &path[..i])
}

/// `files[3].risk."x"` → `files[].risk."x"`.
pub fn pattern_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    let mut in_quote = false;
    for c in path.chars() {
        if in_quote {
            out.push(c);
            if c == '"' {
                in_quote = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_quote = true;
                out.push(c);
            }
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Parent of a pattern: `a.b[]` → `a.b`, `a.b` → `a`, `a` → ``.
pub fn parent_pattern(pattern: &str) -> &str {
    if let Some(stripped) = pattern.strip_suffix("[]") {
        return stripped;
    }
    // Do not split inside a quoted key.
    let bytes = pattern.as_bytes();
    let mut in_quote = false;
    let mut last_dot = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quote = !in_quote,
            b'.' if !in_quote => last_dot = Some(i),
            _ => {}
        }
    }
    match last_dot {
        Some(i) => &pattern[..i],
        None => "",
    }
}

/// Parent of a concrete path: `a.b[2].c` → `a.b[2]` → `a.b` → `a`.
pub fn concrete_parent(path: &str) -> &str {
    if path.ends_with(']')
        && let Some(i) = path.rfind('[')
    {
        return &path[..i];
    }
    parent_pattern(path)
}

/// The value at a concrete path (or a path relative to `root`) in a JSON tree.
pub fn lookup<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = root;
    if !path.contains(['[', '"']) {
        // Bare keys only (the common case): no segment is allocated.
        for key in path.split('.').filter(|k| !k.is_empty()) {
            cur = cur.get(key)?;
        }
        return Some(cur);
    }
    for seg in split_path(path) {
        cur = match seg {
            Segment::Key(k) | Segment::Quoted(k) => cur.get(k.as_str())?,
            Segment::Index(i) => cur.get(i)?,
        };
    }
    Some(cur)
}

/// Mutable [`lookup`].
pub fn lookup_mut<'v>(root: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut cur = root;
    if !path.contains(['[', '"']) {
        // Bare keys only (the common case): no segment is allocated.
        for key in path.split('.').filter(|k| !k.is_empty()) {
            cur = cur.get_mut(key)?;
        }
        return Some(cur);
    }
    for seg in split_path(path) {
        cur = match seg {
            Segment::Key(k) | Segment::Quoted(k) => cur.get_mut(k.as_str())?,
            Segment::Index(i) => cur.get_mut(i)?,
        };
    }
    Some(cur)
}

/// Concrete paths of a pattern in a document: `files[].x` → `files[0].x`, `files[1].x`.
pub fn expand(root: &Value, pattern: &str) -> Vec<String> {
    expand_values(root, pattern)
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// [`expand`] with the value at each path (`None` where the last key is absent), found while
/// walking: no path is parsed again, so a pattern over a long array stays linear.
pub fn expand_values<'v>(root: &'v Value, pattern: &str) -> Vec<(String, Option<&'v Value>)> {
    let mut found = vec![(String::new(), Some(root))];
    let mut rest = pattern;
    loop {
        let (head, tail) = match rest.find("[]") {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        let relative = head.strip_prefix('.').unwrap_or(head);
        let mut next = Vec::with_capacity(found.len());
        for (path, value) in found {
            let value = match value {
                Some(v) if relative.is_empty() => Some(v),
                Some(v) => lookup(v, relative),
                None => None,
            };
            let base = path + head;
            if tail.is_none() {
                next.push((base, value));
                continue;
            }
            if let Some(items) = value.and_then(Value::as_array) {
                next.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (format!("{base}[{i}]"), Some(item))),
                );
            }
        }
        found = next;
        match tail {
            Some(tail) if !tail.is_empty() => rest = tail,
            _ => return found,
        }
    }
}

/// What [`expand_values`] lists, without building the paths: `f` gets the indexes that fill the
/// pattern's `[]` (give them to [`fill`] for the path) and the value, in the same order. For
/// walks over long arrays that need a path only now and then (a finding).
pub fn for_each_value<'v>(
    root: &'v Value,
    pattern: &str,
    f: &mut dyn FnMut(&[usize], Option<&'v Value>),
) {
    fn walk<'v>(
        value: &'v Value,
        rest: &str,
        indexes: &mut Vec<usize>,
        f: &mut dyn FnMut(&[usize], Option<&'v Value>),
    ) {
        let (head, tail) = match rest.find("[]") {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        let relative = head.strip_prefix('.').unwrap_or(head);
        let value = if relative.is_empty() {
            Some(value)
        } else {
            lookup(value, relative)
        };
        let Some(tail) = tail else {
            f(indexes, value);
            return;
        };
        if let Some(items) = value.and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                indexes.push(i);
                if tail.is_empty() {
                    f(indexes, Some(item));
                } else {
                    walk(item, tail, indexes, f);
                }
                indexes.pop();
            }
        }
    }
    walk(root, pattern, &mut Vec::new(), f);
}

/// The concrete path of a pattern with its `[]` filled by `indexes` in order
/// (`files[].r[].a`, `[2, 0]` → `files[2].r[0].a`), as [`expand`] writes it.
pub fn fill(pattern: &str, indexes: &[usize]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(pattern.len() + 8 * indexes.len());
    let mut rest = pattern;
    for i in indexes {
        let Some(at) = rest.find("[]") else { break };
        let _ = write!(out, "{}[{i}]", &rest[..at]);
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// Calls `f` with every value a pattern reaches (what [`expand`] lists, without building the
/// paths): `files[].x` visits `files[0].x`, `files[1].x`, … in order. Linear in the values
/// reached, for patterns over long arrays (the rows of 別添３).
pub fn for_each_mut(root: &mut Value, pattern: &str, f: &mut dyn FnMut(&mut Value)) {
    let (head, tail) = match pattern.find("[]") {
        Some(i) => (&pattern[..i], Some(&pattern[i + 2..])),
        None => (pattern, None),
    };
    let head = head.strip_prefix('.').unwrap_or(head);
    let target = if head.is_empty() {
        Some(root)
    } else {
        lookup_mut(root, head)
    };
    let Some(target) = target else {
        return;
    };
    match tail {
        None => f(target),
        Some(tail) => {
            if let Value::Array(items) = target {
                for item in items {
                    for_each_mut(item, tail, f);
                }
            }
        }
    }
}

/// The index of the first block of `marker` in a concrete path: `files[2].x`, `files[` → 2.
pub fn index_after(path: &str, marker: &str) -> Option<usize> {
    let start = path.find(marker)? + marker.len();
    let end = path[start..].find(']')? + start;
    path[start..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_split_outside_quoted_keys() {
        assert_eq!(first_index("changes[12].item"), Some((7, 11, 12)));
        assert_eq!(first_index("a.\"x[1]\".b[3]"), Some((10, 13, 3)));
        assert_eq!(first_index("a.\"q\\\"[1]\".b[3]"), Some((12, 15, 3)));
        assert_eq!(first_index("cover.published_on"), None);
        assert_eq!(first_segment("cover.published_on"), "cover");
        assert_eq!(first_segment("changes[3].item"), "changes");
        assert_eq!(first_segment("\"a.b\".c"), "\"a.b\"");
        assert_eq!(first_segment("cover"), "cover");
        let mut buf = String::from("changes");
        push_index(&mut buf, 12);
        assert_eq!(buf, "changes[12]");
    }

    #[test]
    fn for_each_mut_visits_what_expand_lists() {
        let mut doc = json!({
            "files": [
                { "r": [ { "a": 1 }, { "a": 2 } ] },
                { "r": [] },
                { "r": [ { "a": 3 } ] }
            ],
            "s": { "その他": "x" }
        });
        for pattern in [
            "files[].r[].a",
            "files[].r",
            "files",
            "s.\"その他\"",
            "missing[].a",
            "s.x",
        ] {
            let expected: Vec<Value> = expand(&doc, pattern)
                .iter()
                .filter_map(|p| lookup(&doc, p).cloned())
                .collect();
            let mut seen = Vec::new();
            for_each_mut(&mut doc, pattern, &mut |v| seen.push(v.clone()));
            assert_eq!(seen, expected, "{pattern}");
        }
        for_each_mut(&mut doc, "files[].r[].a", &mut |v| *v = json!(0));
        assert_eq!(doc["files"][2]["r"][0]["a"], json!(0));
    }

    #[test]
    fn expand_values_lists_each_path_with_its_value() {
        let doc = json!({
            "files": [
                { "r": [ { "a": 1 }, { "a": 2 } ] },
                { "r": [] },
                { "r": [ { "a": 3 } ] }
            ],
            "s": { "その他": "x" }
        });
        let paths = |pattern: &str| expand(&doc, pattern);
        assert_eq!(
            paths("files[].r[].a"),
            ["files[0].r[0].a", "files[0].r[1].a", "files[2].r[0].a"]
        );
        assert_eq!(paths("files[]"), ["files[0]", "files[1]", "files[2]"]);
        assert_eq!(
            paths("files[].x"),
            ["files[0].x", "files[1].x", "files[2].x"]
        );
        assert_eq!(paths("s.x"), ["s.x"]);
        assert!(paths("missing[].a").is_empty());
        assert_eq!(paths(""), [""]);
        for pattern in [
            "files[].r[].a",
            "files[].r",
            "files[].r[]",
            "files[]",
            "files[].x",
            "s.\"その他\"",
            "s.x",
            "missing[].a",
            "",
        ] {
            let listed = expand_values(&doc, pattern);
            for (path, value) in &listed {
                assert_eq!(*value, lookup(&doc, path), "{pattern} {path}");
            }
            let mut visited = Vec::new();
            for_each_value(&doc, pattern, &mut |indexes, value| {
                visited.push((fill(pattern, indexes), value))
            });
            assert_eq!(visited, listed, "{pattern}");
        }
    }

    #[test]
    fn quoted_keys_survive_every_operation() {
        let p = "files[1].overview.acquisition.sources.\"その他 (a.b)\"";
        assert_eq!(
            split_path(p),
            vec![
                Segment::Key("files".into()),
                Segment::Index(1),
                Segment::Key("overview".into()),
                Segment::Key("acquisition".into()),
                Segment::Key("sources".into()),
                Segment::Quoted("その他 (a.b)".into()),
            ]
        );
        assert_eq!(
            pattern_of(p),
            "files[].overview.acquisition.sources.\"その他 (a.b)\""
        );
        assert_eq!(concrete_parent(p), "files[1].overview.acquisition.sources");
        assert_eq!(parent_pattern("a.\"x.y\""), "a");
        assert_eq!(join_key("a", "x.y"), "a.\"x.y\"");
        assert_eq!(join_key("a", "plain_key-1"), "a.plain_key-1");
        assert_eq!(join_key("", "\"q\""), "\"\\\"q\\\"\"");
        let v = json!({ "files": [{}, { "overview": { "acquisition": { "sources": { "その他 (a.b)": "x" } } } }] });
        assert_eq!(lookup(&v, p), Some(&json!("x")));
        assert_eq!(
            expand(&v, "files[].overview.acquisition.sources"),
            vec![
                "files[0].overview.acquisition.sources".to_string(),
                "files[1].overview.acquisition.sources".to_string()
            ]
        );
        assert_eq!(index_after("files[12].risk", "files["), Some(12));
    }
}
