//! The loader and the checker never panic: every prefix-truncated or corrupted version of the
//! reference assessment either loads or gives diagnostics.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use pia::load::{self, FileProvider, Loaded};

struct Mem(HashMap<PathBuf, String>);

impl FileProvider for Mem {
    fn read(&self, rel: &Path) -> io::Result<String> {
        self.0
            .get(rel)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "absent"))
    }
    fn display_path(&self, rel: &Path) -> PathBuf {
        rel.to_path_buf()
    }
}

fn sample_files() -> HashMap<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assessments/kanto-it-kenpo");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            (
                PathBuf::from(p.file_name().unwrap()),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn run(files: HashMap<PathBuf, String>) {
    let mem = Mem(files);
    let catalog = pia::form::Catalog::builtin();
    match load::load_with_catalog(&mem, Path::new("assessment.toml"), &catalog) {
        Ok((assessment, sources, form)) => {
            let loaded = Loaded {
                basic_form: catalog.companion(&form),
                form,
                assessment,
                sources,
                dir: PathBuf::from("."),
            };
            let diags = pia::check::check(&loaded, &Default::default());
            // Rendering the diagnostics must not panic either.
            let _ = pia::diag::render_human(&diags, &loaded.sources, pia::diag::Color::Never);
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty());
            let _ = pia::diag::render_human(&e.diagnostics, &e.sources, pia::diag::Color::Never);
        }
    }
}

#[test]
fn truncated_files_never_panic() {
    let files = sample_files();
    for (name, text) in &files {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let step = (boundaries.len() / 60).max(1);
        for &cut in boundaries.iter().step_by(step) {
            let mut f = files.clone();
            f.insert(name.clone(), text[..cut].to_string());
            run(f);
        }
    }
}

#[test]
fn corrupted_values_never_panic() {
    let files = sample_files();
    let replacements: &[(&str, &str)] = &[
        ("\"十分である\"", "42"),
        ("\"十分である\"", "[1, 2]"),
        ("= true", "= \"yes\""),
        ("= 2024-01-31", "= 2024-01-31T10:00:00Z"),
        ("= 2016-10-03", "= \"\""),
        ("count = 4", "count = -4"),
        ("[[changes]]", "[changes]"),
        ("[[files]]", "[files]"),
        ("include = [", "include = [42, \"../x.toml\", "),
        ("\"提供を行っている\" = 25", "\"提供を行っている\" = true"),
        (
            "\"本人又は本人の代理人\" = true",
            "\"本人又は本人の代理人\" = 3",
        ),
    ];
    for (name, text) in &files {
        for (from, to) in replacements {
            if text.contains(from) {
                let mut f = files.clone();
                f.insert(name.clone(), text.replacen(from, to, 1));
                run(f);
            }
        }
    }
}
