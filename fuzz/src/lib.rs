//! What the fuzz targets run. `tests/fuzz_corpus.rs` includes this file, so `cargo test`
//! replays the committed corpus through the same code without nightly or libFuzzer.
//!
//! Input formats (plain text, so that corpus files can be read and written by hand):
//! - `load_check`: the bytes are `assessment.toml`.
//! - `includes`: a file set. Text before the first line starting with `=== ` is
//!   `assessment.toml`; each `=== <name>` line starts a file called `<name>` (which the main
//!   file can `include`).
//! - `diff`: two file sets, the old revision before a line `=== new ===` and the new one after.
//!
//! Placeholders stand for personal numbers, so that no committed input holds one: `<MYNUMBER>`
//! (12 digits with a valid check digit, computed here), `<MYNUMBER_HYPHEN>` (4-4-4 with `-`),
//! `<MYNUMBER_NL>` (4-4-4 over line breaks), `<MYNUMBER_FW>` (full-width digits, 「ー」) and
//! `<PENSION>` (the 基礎年金番号 shape).
//!
//! Besides "no panic", every run checks what the outputs promise: no 個人番号-like number in
//! any output, output bounded per diagnostic, JSON and SARIF that parse.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use pia::check::{self, personal};
use pia::diag::{self, Color};
use pia::diff::{self, output};
use pia::load::{self, FileProvider, Loaded};
use pia::report::{self, Report};
use serde_json::Value;

/// The main file of every file set.
pub const MAIN: &str = "assessment.toml";
/// Starts a file of a file set: `=== name`.
pub const FILE_MARK: &str = "=== ";
/// Separates the old and the new revision of a `diff` input.
pub const NEW_MARK: &str = "=== new ===";
/// Bytes of human-readable output one diagnostic may take at most (its texts are capped by
/// `pia::diag`; this bound is what makes output linear in the number of findings).
pub const BYTES_PER_DIAGNOSTIC: usize = 16 * 1024;

/// A 12-digit number whose last digit is the 個人番号 check digit (11 digits chosen here).
pub fn my_number() -> String {
    let first = "73108249561";
    let d: Vec<u32> = first.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = (1..=11u32)
        .map(|n| d[11 - n as usize] * if n <= 6 { n + 1 } else { n - 5 })
        .sum();
    let r = sum % 11;
    format!("{first}{}", if r <= 1 { 0 } else { 11 - r })
}

/// The input with its placeholders replaced by personal numbers (see the module comment).
pub fn expand(data: &[u8]) -> Vec<u8> {
    let n = my_number();
    let (a, b, c) = (&n[..4], &n[4..8], &n[8..]);
    let full: String = format!("{a}ー{b}ー{c}")
        .chars()
        .map(|ch| match ch.to_digit(10) {
            Some(v) => char::from_u32('０' as u32 + v).unwrap_or(ch),
            None => ch,
        })
        .collect();
    let subs: [(&[u8], String); 5] = [
        (b"<MYNUMBER_HYPHEN>", format!("{a}-{b}-{c}")),
        (b"<MYNUMBER_NL>", format!("{a}\n{b}\n{c}")),
        (b"<MYNUMBER_FW>", full),
        (b"<MYNUMBER>", n.clone()),
        (b"<PENSION>", format!("{a}-{}", &n[4..10])),
    ];
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    'outer: while i < data.len() {
        if data[i] == b'<' {
            for (from, to) in &subs {
                if data[i..].starts_with(from) {
                    out.extend_from_slice(to.as_bytes());
                    i += from.len();
                    continue 'outer;
                }
            }
        }
        out.push(data[i]);
        i += 1;
    }
    out
}

/// Files in memory, as the loader reads them from a directory or a git revision.
#[derive(Debug, Default, Clone)]
pub struct MemFiles(pub HashMap<PathBuf, Vec<u8>>);

impl FileProvider for MemFiles {
    fn read(&self, rel: &Path) -> io::Result<String> {
        let bytes = self
            .0
            .get(rel)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "absent"))?;
        String::from_utf8(bytes.clone())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8"))
    }
    fn read_bytes(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.0
            .get(rel)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "absent"))
    }
    fn display_path(&self, rel: &Path) -> PathBuf {
        rel.to_path_buf()
    }
}

/// Splits `data` at lines starting with `=== `: the first part is `assessment.toml`.
pub fn file_set(data: &[u8]) -> MemFiles {
    let mut files = HashMap::new();
    let mut name = PathBuf::from(MAIN);
    let mut current: Vec<u8> = Vec::new();
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(FILE_MARK.as_bytes()) {
            files.entry(name).or_insert(std::mem::take(&mut current));
            let n = String::from_utf8_lossy(rest);
            name = PathBuf::from(n.trim_end_matches(['\n', '\r']));
        } else {
            current.extend_from_slice(line);
        }
    }
    files.entry(name).or_insert(current);
    MemFiles(files)
}

fn options() -> check::Options {
    check::Options {
        today: Some("2025-07-01".parse().expect("a date")),
        ..check::Options::default()
    }
}

/// Loads a file set; on failure renders the loader's diagnostics and returns None.
fn load(files: &MemFiles) -> Option<Loaded> {
    let catalog = pia::form::Catalog::builtin();
    match load::load_with_catalog(files, Path::new(MAIN), &catalog) {
        Ok((assessment, sources, form)) => Some(Loaded {
            basic_form: catalog.companion(&form),
            form,
            assessment,
            sources,
            dir: PathBuf::from("."),
        }),
        Err(e) => {
            assert!(
                !e.diagnostics.is_empty(),
                "a load error without diagnostics"
            );
            check_outputs(&e.diagnostics, &e.sources, false);
            None
        }
    }
}

/// The text a terminal shows: `text` without its ANSI escape sequences (CSI `ESC [ … final`).
/// Colour codes are not characters a reader sees, and they must not make two separate digit runs
/// look like one number, or split one number into a harmless-looking pair.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            // Parameter and intermediate bytes, then one final byte in @..~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Panics when a text, as a terminal shows it, shows a 個人番号 or 基礎年金番号-like number.
pub fn assert_no_personal_number(what: &str, text: &str) {
    let text = &visible(text);
    let found = pia::personal::find(text);
    if let Some(m) = found.first() {
        let from = m.range.start.saturating_sub(40);
        let from = (0..=from)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let to = (m.range.end + 40).min(text.len());
        let to = (to..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        panic!(
            "{what} shows a {:?} at bytes {:?}: …{}…",
            m.kind,
            m.range,
            &text[from..to]
        );
    }
}

/// Every output format of `pia check` for these diagnostics: no personal number, bounded
/// size, parseable JSON and SARIF.
pub fn check_outputs(diags: &[diag::Diagnostic], sources: &pia::source::Sources, readable: bool) {
    let human = diag::render_human(diags, sources, Color::Never);
    let colored = diag::render_human(diags, sources, Color::Always);
    let bound = BYTES_PER_DIAGNOSTIC * diags.len() + 1024;
    assert!(
        human.len() <= bound,
        "human output of {} diagnostics is {} bytes",
        diags.len(),
        human.len()
    );
    let reports = [Report {
        target: "fuzz".to_string(),
        readable,
        diagnostics: diags.to_vec(),
    }];
    let json = report::to_json(&reports);
    let (annotations, summary) = report::to_github(&reports);
    let sarif = report::to_sarif(&reports);
    assert!(
        json.len() <= bound,
        "JSON output of {} diagnostics is {} bytes",
        diags.len(),
        json.len()
    );
    for (what, text) in [
        ("check human", &human),
        ("check human (colour)", &colored),
        ("check json", &json),
        ("check github annotations", &annotations),
        ("check github summary", &summary),
        ("check sarif", &sarif),
    ] {
        assert_no_personal_number(what, text);
    }
    for d in diags {
        assert_no_personal_number("render_short", &diag::render_short(d));
    }
    for (what, text) in [("check json", &json), ("check sarif", &sarif)] {
        assert_json_clean(what, text);
    }
}

/// The text parses as JSON and none of its strings shows a personal number (escaped line
/// breaks hide separators from a scan of the raw text).
pub fn assert_json_clean(what: &str, text: &str) {
    fn walk(what: &str, v: &Value) {
        match v {
            Value::String(s) => assert_no_personal_number(what, s),
            Value::Array(a) => a.iter().for_each(|x| walk(what, x)),
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                assert_no_personal_number(what, k);
                walk(what, x)
            }),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => walk(what, &v),
        Err(e) => panic!("{what} output does not parse: {e}"),
    }
}

/// Loads, checks and prints the findings of a loaded assessment.
fn check_loaded(loaded: &Loaded) {
    let diags = check::check(loaded, &options());
    check_outputs(&diags, &loaded.sources, true);
    let findings = personal::findings(loaded);
    let lines = personal::warning_lines(&[("評価書", &findings)], "");
    assert_no_personal_number("findings", &lines);
}

/// Target `load_check`: the bytes as `assessment.toml` → load → check → every output.
pub fn load_check(data: &[u8]) {
    let mut files = MemFiles::default();
    files.0.insert(PathBuf::from(MAIN), expand(data));
    if let Some(loaded) = load(&files) {
        check_loaded(&loaded);
    }
}

/// Target `includes`: a file set (main file with `include`) → load → check → every output.
pub fn includes(data: &[u8]) {
    if let Some(loaded) = load(&file_set(&expand(data))) {
        check_loaded(&loaded);
    }
}

/// Target `diff`: two file sets → load both → compare → every output format of `pia diff`
/// and the rows `--record` would write.
pub fn diff(data: &[u8]) {
    let data = &expand(data)[..];
    let mark = format!("\n{NEW_MARK}\n");
    let (old, new) = match find_bytes(data, mark.as_bytes()) {
        Some(i) => (&data[..i + 1], &data[i + mark.len()..]),
        None => (data, data),
    };
    let (Some(old), Some(new)) = (load(&file_set(old)), load(&file_set(new))) else {
        return;
    };
    let report = diff::compare(&old, &new, "old", "new");
    let human = output::to_human(&report, false);
    let colored = output::to_human(&report, true);
    let markdown = match output::to_markdown(&report) {
        Ok(m) => m,
        Err(e) => panic!("markdown template failed: {e}"),
    };
    let json = output::to_json(&report);
    assert_json_clean("diff json", &json);
    let date = "2025-07-01".parse().expect("a date");
    let rows = diff::rows(&output::redacted(&report).changes, date);
    let rows = serde_json::to_string(&rows).unwrap_or_default();
    assert_json_clean("diff rows", &rows);
    let findings = personal::warning_lines(
        &[
            ("旧版", &personal::findings(&old)),
            ("新版", &personal::findings(&new)),
        ],
        "",
    );
    for (what, text) in [
        ("diff human", &human),
        ("diff human (colour)", &colored),
        ("diff markdown", &markdown),
        ("diff json", &json),
        ("diff rows", &rows),
        ("diff findings", &findings),
    ] {
        assert_no_personal_number(what, text);
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
