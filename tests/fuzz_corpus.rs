//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) and any committed reproducers
//! (`fuzz/artifacts/<target>/`) through the code the cargo-fuzz targets run, so that `cargo
//! test` guards against regressions without nightly. See docs/fuzzing.md.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "artifacts"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir).join(target)) {
            out.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file()),
            );
        }
    }
    out.sort();
    out
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let files = inputs(target);
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| run(&data)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {} panics: {msg}", f.display());
        }
    }
    files.len()
}

#[test]
fn load_check_corpus() {
    let n = replay("load_check", harness::load_check);
    assert!(n >= 5, "only {n} inputs for load_check");
}

#[test]
fn includes_corpus() {
    let n = replay("includes", harness::includes);
    assert!(n >= 3, "only {n} inputs for includes");
}

#[test]
fn diff_corpus() {
    let n = replay("diff", harness::diff);
    assert!(n >= 3, "only {n} inputs for diff");
}
