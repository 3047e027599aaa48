//! Diagnostics: one finding of the loader or the checker, with its code, the item as the form
//! prints it, the TOML path and the place in the source.

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::source::{Position, Sources};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn japanese(self) -> &'static str {
        match self {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `PIA-E012` (checks) or `PIA-L002` (loading).
    pub code: &'static str,
    pub severity: Severity,
    /// The item as the form prints it (「Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か」).
    pub item: String,
    /// TOML key path (`files[0].risk.acquisition.r1.adequacy`).
    pub path: String,
    pub message: String,
    /// What to write.
    pub help: Option<String>,
    pub position: Option<Position>,
    /// Further places (e.g. the first definition of a duplicate key).
    pub related: Vec<(Position, String)>,
    /// Do not show the source line (it holds what looks like personal data).
    pub hide_source: bool,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        path: impl Into<String>,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            item: item.into(),
            path: path.into(),
            message: message.into(),
            help: None,
            position: None,
            related: Vec::new(),
            hide_source: false,
        }
    }
    pub fn error(
        code: &'static str,
        path: impl Into<String>,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, Severity::Error, path, item, message)
    }
    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, Severity::Warning, path, item, message)
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }
    pub fn with_related(mut self, position: Position, note: impl Into<String>) -> Self {
        self.related.push((position, note.into()));
        self
    }
    /// Keeps the source line out of human-readable output.
    pub fn without_source(mut self) -> Self {
        self.hide_source = true;
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// `file:line:col` or "" when the item has no place in the source.
    pub fn location(&self) -> String {
        match &self.position {
            Some(p) => format!("{}:{}:{}", p.file.display(), p.line, p.column),
            None => String::new(),
        }
    }
}

/// How to colour human-readable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Renders diagnostics in the style of rustc: header with code, the source line and a marker,
/// then the help line. Colour only on a terminal (or when forced).
pub fn render_human(diags: &[Diagnostic], sources: &Sources, color: Color) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = sources
        .files
        .iter()
        .map(|f| files.add(f.path.display().to_string(), f.text.as_str()))
        .collect();
    let config = term::Config::default();
    let use_color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut buffer = termcolor::Buffer::no_color();
    if use_color {
        buffer = termcolor::Buffer::ansi();
    }
    for d in diags {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::new(CsSeverity::Error),
            Severity::Warning => CsDiagnostic::new(CsSeverity::Warning),
        }
        .with_code(d.code)
        .with_message(&d.message);
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        if d.hide_source {
            notes.push(format!(
                "場所: {}（該当箇所の表示は省略しています）",
                d.location()
            ));
        } else if let Some(p) = &d.position {
            let span = if p.span.is_empty() {
                p.span.start..p.span.start
            } else {
                p.span.clone()
            };
            labels.push(Label::primary(ids[p.file_index], span).with_message(&d.item));
        }
        for (p, note) in &d.related {
            labels.push(Label::secondary(ids[p.file_index], p.span.clone()).with_message(note));
        }
        cs = cs.with_labels(labels);
        if d.position.is_none() && !d.item.is_empty() {
            notes.push(format!("項目: {}", d.item));
        }
        if !d.path.is_empty() {
            notes.push(format!("TOML: {}", d.path));
        }
        if let Some(h) = &d.help {
            notes.push(format!("対処: {h}"));
        }
        cs = cs.with_notes(notes);
        if term::emit_to_write_style(&mut buffer, &config, &files, &cs).is_err() {
            // Fall back to a single line when the span no longer fits the file.
            buffer_push_line(&mut buffer, d);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn buffer_push_line(buffer: &mut termcolor::Buffer, d: &Diagnostic) {
    use std::io::Write;
    let _ = writeln!(
        buffer,
        "{}[{}]: {} ({})",
        d.severity.japanese(),
        d.code,
        d.message,
        d.location()
    );
}

/// One line per diagnostic: `file:line:col: エラー[CODE]: message`.
pub fn render_short(d: &Diagnostic) -> String {
    let loc = d.location();
    let prefix = if loc.is_empty() {
        String::new()
    } else {
        format!("{loc}: ")
    };
    format!(
        "{prefix}{}[{}]: {}",
        d.severity.japanese(),
        d.code,
        d.message
    )
}
