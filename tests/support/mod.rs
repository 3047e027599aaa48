//! Shared test support: the reference assessments, copying one into a temporary directory with
//! text edits, and temporary git repositories.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `assessments/<name>`.
pub fn reference(name: &str) -> PathBuf {
    root().join("assessments").join(name)
}

/// The first reference: a 健康保険組合 (行政機関等), one file.
pub const KANTO: &str = "kanto-it-kenpo";
/// Its directory.
pub const KANTO_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assessments/kanto-it-kenpo");
/// The second reference: a city (地方公共団体等), two files.
pub const CITY: &str = "kitakasumi-city";
/// The fictional town's standalone 基礎項目評価書 (様式２).
pub const TOWN: &str = "sumikawa-town";

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A copy of a reference assessment in a temporary directory.
pub struct Copy {
    _tmp: tempfile::TempDir,
    /// The assessment directory (named like the reference).
    pub dir: PathBuf,
}

impl Copy {
    pub fn of(name: &str) -> Copy {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        copy_dir(&reference(name), &dir);
        Copy { _tmp: tmp, dir }
    }

    pub fn read(&self, file: &str) -> String {
        fs::read_to_string(self.dir.join(file)).unwrap()
    }

    pub fn write(&self, file: &str, text: &str) {
        fs::write(self.dir.join(file), text).unwrap();
    }

    /// Replaces the `nth` (0-based) occurrence of `from` in `file`; panics when there is none,
    /// so a fixture never silently stops testing anything.
    pub fn replace_nth(&self, file: &str, from: &str, to: &str, nth: usize) {
        let text = self.read(file);
        let pos = text
            .match_indices(from)
            .nth(nth)
            .unwrap_or_else(|| panic!("{file}: no occurrence {nth} of {from:?}"))
            .0;
        let mut out = text.clone();
        out.replace_range(pos..pos + from.len(), to);
        self.write(file, &out);
    }

    pub fn replace(&self, file: &str, from: &str, to: &str) {
        self.replace_nth(file, from, to, 0);
    }
}

/// Runs git in `dir`, asserting success.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temporary git repository with an identity and one commit holding `name` as `a/`.
pub struct Repo {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Repo {
    pub fn with(name: &str) -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        copy_dir(&reference(name), &root.join("a"));
        git(&root, &["init", "-q"]);
        git(&root, &["config", "user.email", "test@example.invalid"]);
        git(&root, &["config", "user.name", "test"]);
        git(&root, &["config", "core.autocrlf", "false"]);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "base"]);
        Repo { _tmp: tmp, root }
    }

    pub fn dir(&self) -> PathBuf {
        self.root.join("a")
    }

    pub fn commit(&self, message: &str) {
        git(&self.root, &["add", "-A"]);
        git(&self.root, &["commit", "-q", "-m", message]);
    }
}

/// A 12-digit number that passes the 個人番号 check digit, built from 11 digits (so that no test
/// file carries such a number literally).
pub fn my_number(first11: &str) -> String {
    assert_eq!(first11.len(), 11);
    let digits: Vec<u32> = first11.chars().map(|c| c.to_digit(10).unwrap()).collect();
    // P_n is the n-th digit from the right (n = 1 … 11); Q_n = n + 1 (n ≤ 6), n − 5 (n ≥ 7).
    let sum: u32 = (1..=11)
        .map(|n| {
            let p = digits[11 - n];
            let q = if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
            p * q
        })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    format!("{first11}{check}")
}
