//! `pia check`: model → diagnostics (spec §D).
//!
//! Codes are stable: `PIA-E###` for errors and `PIA-W###` for warnings, where the first two
//! digits are the rule number of spec §D (D-1 → `PIA-E010`, `PIA-E011`; D-12 → `PIA-W120`).
//! Loading errors use `PIA-L###`.

mod completeness;
pub mod figure;
pub mod personal;
mod rules;

use serde_json::Value;

use crate::diag::{Diagnostic, Severity};
use crate::form::{self, Form};
use crate::load::Loaded;
use crate::model::{Assessment, Date};
use crate::source::Sources;

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Accidental personal data is an error instead of a warning.
    pub strict: bool,
    /// "Today" for the 5-year and yearly-review rules (default: the system date).
    pub today: Option<Date>,
}

/// Runs every rule; diagnostics are sorted by file, line and column.
pub fn check(loaded: &Loaded, opts: &Options) -> Vec<Diagnostic> {
    let mut ctx = Ctx::new(&loaded.assessment, &loaded.sources, opts);
    completeness::run(&mut ctx);
    rules::run(&mut ctx);
    personal::run(&mut ctx);
    figure::run(&mut ctx);
    let mut out = ctx.out;
    sort(&mut out);
    out
}

/// Stable order: by file, line, column, then code.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let ka = a
            .position
            .as_ref()
            .map(|p| (p.file_index, p.line, p.column));
        let kb = b
            .position
            .as_ref()
            .map(|p| (p.file_index, p.line, p.column));
        ka.cmp(&kb)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// What the rules see: the model, its JSON form (for generic walks), where items are written,
/// and the output.
pub struct Ctx<'a> {
    pub a: &'a Assessment,
    pub json: Value,
    pub sources: &'a Sources,
    pub form: &'static Form,
    pub file_names: Vec<String>,
    pub opts: &'a Options,
    pub out: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(a: &'a Assessment, sources: &'a Sources, opts: &'a Options) -> Self {
        Ctx {
            a,
            json: serde_json::to_value(a).unwrap_or(Value::Null),
            sources,
            form: form::current(),
            file_names: a
                .files
                .iter()
                .map(|f| f.overview.file_name.clone())
                .collect(),
            opts,
            out: Vec::new(),
        }
    }

    /// The item as the form prints it.
    pub fn item(&self, path: &str) -> String {
        self.form.printed_path(path, &self.file_names)
    }

    /// The label the form prints for an item or check box (by pattern), e.g. 「委託しない」.
    pub fn label(&self, pattern: &str) -> &'static str {
        self.form.node(pattern).map_or("", |n| n.l.as_str())
    }

    /// Emits a diagnostic at `path` (its value, or the table that should hold it).
    pub fn emit(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let item = self.item(path);
        let help: String = help.into();
        let mut d =
            Diagnostic::new(code, severity, path, item, message).at(self.sources.locate(path));
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.out.push(d);
    }

    pub fn error(
        &mut self,
        code: &'static str,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.emit(code, Severity::Error, path, message, help);
    }

    pub fn warning(
        &mut self,
        code: &'static str,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.emit(code, Severity::Warning, path, message, help);
    }

    /// Whether an item holds something (non-blank text, a choice, a check, a date …).
    pub fn filled(&self, path: &str) -> bool {
        is_filled(lookup(&self.json, path))
    }
}

/// The value at a concrete TOML path in the model's JSON.
pub fn lookup<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = root;
    for seg in form::split_path(path) {
        cur = match seg {
            form::Segment::Key(k) | form::Segment::Quoted(k) => cur.get(k.as_str())?,
            form::Segment::Index(i) => cur.get(i)?,
        };
    }
    Some(cur)
}

/// Blank text, no choice, an empty check-list or period are "not filled". `false` check boxes
/// are answers.
pub fn is_filled(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => m.values().any(|v| is_filled(Some(v))),
        Some(Value::Bool(_)) | Some(Value::Number(_)) => true,
    }
}

/// Text that stands for "not written yet".
pub fn placeholder(text: &str) -> Option<&'static str> {
    const WORDS: &[&str] = &[
        "TODO",
        "TBD",
        "FIXME",
        "未記入",
        "検討中",
        "要確認",
        "記入中",
        "作成中",
        "後日記入",
        "＊＊＊",
        "***",
        "〇〇",
        "○○",
        "●●",
        "××",
        "ＸＸ",
        "XXX",
        "xxx",
        "…",
    ];
    let t = text.trim();
    let upper = t.to_uppercase();
    WORDS.iter().copied().find(|w| {
        let w_up = w.to_uppercase();
        // A placeholder standing alone, or marking an unfinished part of a longer text.
        upper == w_up || (upper.contains(&w_up) && (w.chars().count() >= 2 && !matches!(*w, "…")))
    })
}

/// A one-line description of a code (for SARIF rule metadata and documentation).
pub fn describe(code: &str) -> &'static str {
    match code {
        "PIA-E010" => "D-1 未記入・未回答の項目",
        "PIA-E011" => "D-1 仮の記載（TODO、検討中など）",
        "PIA-E020" => "D-2 チェックした（　）の内容がない",
        "PIA-W310" | "PIA-E310" => "個人番号と思われる記載",
        "PIA-W311" | "PIA-E311" => "基礎年金番号と思われる記載",
        c if c.starts_with("PIA-L") => "評価書の読み込みエラー",
        c => crate::diff::since::describe(c).unwrap_or_else(|| rules::describe(c)),
    }
}
