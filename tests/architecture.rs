//! The import graph of the library's top-level modules has no cycles: data flows one way
//! (load → check / render / diff), as `src/lib.rs` and `docs/architecture.md` say.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules declared in `src/lib.rs`.
fn modules() -> Vec<String> {
    let lib = std::fs::read_to_string(support::root().join("src/lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .filter_map(|l| l.strip_suffix(';'))
        .map(str::to_string)
        .collect()
}

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            rust_files(&e.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|x| x == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Code without `//` comments (doc links do not make a dependency).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// module → the other top-level modules it refers to through `crate::…`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let src = support::root().join("src");
    let mut g = BTreeMap::new();
    for m in &mods {
        let mut files = Vec::new();
        rust_files(&src.join(format!("{m}.rs")), &mut files);
        rust_files(&src.join(m), &mut files);
        let mut deps = BTreeSet::new();
        for f in files {
            let text = code(&std::fs::read_to_string(f).unwrap());
            for (pos, _) in text.match_indices("crate::") {
                let rest = &text[pos + "crate::".len()..];
                let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                    group[..group.find('}').unwrap_or(group.len())]
                        .split(',')
                        .map(|s| s.trim().split("::").next().unwrap_or("").to_string())
                        .collect()
                } else {
                    vec![
                        rest.chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect(),
                    ]
                };
                for n in names {
                    if n != *m && mods.contains(&n) {
                        deps.insert(n);
                    }
                }
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

/// A cycle through `start`, if any (depth-first search).
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == node) {
            let mut c = stack[i..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for d in g.get(node).into_iter().flatten() {
            if let Some(c) = visit(g, d, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in g.keys() {
        if let Some(c) = visit(g, n, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn module_graph_has_no_cycles() {
    let g = graph();
    let listing: String = g
        .iter()
        .map(|(m, d)| {
            format!(
                "{m} → {}\n",
                d.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        cycle(&g).is_none(),
        "import cycle {:?}\n{listing}",
        cycle(&g).unwrap()
    );
    // The rendering and diffing layers never feed back into loading or checking.
    for low in ["load", "form", "model", "source", "path"] {
        for high in ["check", "render", "diff", "report"] {
            assert!(
                !g.get(low).is_some_and(|d| d.contains(high)),
                "{low} depends on {high}\n{listing}"
            );
        }
    }
}
