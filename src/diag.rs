//! Diagnostics: one finding of the loader or the checker, with its code, the item as the form
//! prints it, the TOML path and the place in the source.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::ops::Range;
use std::path::PathBuf;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::personal::{self, Match};
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
    /// The diagnostic as every output shows it: each text with 個人番号-like numbers masked
    /// ([`personal::redact`]) and cut to a bounded length ([`clean`]); file names likewise.
    pub fn for_output(&self) -> Diagnostic {
        Diagnostic {
            code: self.code,
            severity: self.severity,
            item: clean(&self.item, MAX_NAME_CHARS),
            path: clean(&self.path, MAX_NAME_CHARS),
            message: clean(&self.message, MAX_TEXT_CHARS),
            help: self.help.as_deref().map(|h| clean(h, MAX_TEXT_CHARS)),
            position: self.position.as_ref().map(clean_position),
            related: self
                .related
                .iter()
                .map(|(p, n)| (clean_position(p), clean(n, MAX_TEXT_CHARS)))
                .collect(),
            hide_source: self.hide_source,
        }
    }
    /// `file:line:col` or "" when the item has no place in the source.
    pub fn location(&self) -> String {
        match &self.position {
            Some(p) => format!("{}:{}:{}", p.file.display(), p.line, p.column),
            None => String::new(),
        }
    }
}

/// Longest message, help or note shown (characters); longer ones keep their beginning and end.
pub const MAX_TEXT_CHARS: usize = 400;
/// Longest item name, TOML path or file name shown (characters).
pub const MAX_NAME_CHARS: usize = 200;
/// Diagnostics of one code shown by the human-readable output; the rest are counted.
pub const MAX_PER_CODE: usize = 300;
/// Characters of a source line shown before the marked place, and in all.
const SNIPPET_BEFORE: usize = 40;
const SNIPPET_WIDTH: usize = 160;

/// A user-derived text as outputs show it: 個人番号-like numbers masked, control characters
/// (other than line breaks and tabs) replaced by 「�」, and at most `max` characters (the
/// middle of a longer text is replaced by 「…（N文字省略）…」).
pub fn clean(s: &str, max: usize) -> String {
    let redacted = personal::redact(s);
    let printable = |c: char| {
        if c.is_control() && c != '\n' && c != '\t' {
            '\u{FFFD}'
        } else {
            c
        }
    };
    let n = redacted.chars().count();
    if n <= max {
        return redacted.chars().map(printable).collect();
    }
    let head = max * 2 / 3;
    let tail = max.saturating_sub(head);
    let mut out: String = redacted.chars().take(head).map(printable).collect();
    out.push_str(&format!("…（{}文字省略）…", n - head - tail));
    out.extend(redacted.chars().skip(n - tail).map(printable));
    // The cut ends may have made a new 12-digit run out of a longer one.
    personal::redact(&out).into_owned()
}

fn clean_position(p: &Position) -> Position {
    Position {
        file: PathBuf::from(clean(&p.file.display().to_string(), MAX_NAME_CHARS)),
        ..p.clone()
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
///
/// Everything shown passes [`Diagnostic::for_output`]; source lines are cut to a window around
/// the marked place with the digits of 個人番号-like numbers masked, and at most
/// [`MAX_PER_CODE`] diagnostics of one code are shown (a closing note counts the rest).
pub fn render_human(diags: &[Diagnostic], sources: &Sources, color: Color) -> String {
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
    let mut scans = Scans::new(sources);
    let mut shown: HashMap<&'static str, usize> = HashMap::new();
    let mut left_out: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diags {
        let count = shown.entry(d.code).or_default();
        if *count >= MAX_PER_CODE {
            *left_out.entry(d.code).or_default() += 1;
            continue;
        }
        *count += 1;
        let c = d.for_output();
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::new(CsSeverity::Error),
            Severity::Warning => CsDiagnostic::new(CsSeverity::Warning),
        }
        .with_code(d.code)
        .with_message(&c.message);
        let mut wanted: Vec<(&Position, bool, &str)> = Vec::new();
        let mut notes = Vec::new();
        if d.hide_source {
            notes.push(format!(
                "場所: {}（該当箇所の表示は省略しています）",
                c.location()
            ));
            for (p, note) in &c.related {
                notes.push(format!(
                    "{note}: {}:{}:{}",
                    p.file.display(),
                    p.line,
                    p.column
                ));
            }
        } else {
            if let Some(p) = &d.position {
                wanted.push((p, true, &c.item));
            }
            for ((p, _), (_, note)) in d.related.iter().zip(&c.related) {
                wanted.push((p, false, note));
            }
        }
        let snippet = Snippet::build(sources, &mut scans, &wanted);
        let labels = snippet
            .labels
            .iter()
            .map(|(file, range, primary, message)| {
                if *primary {
                    Label::primary(*file, range.clone()).with_message(*message)
                } else {
                    Label::secondary(*file, range.clone()).with_message(*message)
                }
            })
            .collect();
        cs = cs.with_labels(labels);
        if d.position.is_none() && !c.item.is_empty() {
            notes.push(format!("項目: {}", c.item));
        }
        if !c.path.is_empty() {
            notes.push(format!("TOML: {}", c.path));
        }
        if let Some(h) = &c.help {
            notes.push(format!("対処: {h}"));
        }
        cs = cs.with_notes(notes);
        if term::emit_to_write_style(&mut buffer, &config, &snippet, &cs).is_err() {
            // Fall back to a single line when the span no longer fits the file.
            buffer_push_line(&mut buffer, &c);
        }
    }
    for (code, n) in left_out {
        use std::io::Write;
        let _ = writeln!(
            buffer,
            "注: {code} はほかに {n} 件あります（同じコードは {MAX_PER_CODE} 件まで表示します。全件は --format json で確認できます）"
        );
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn buffer_push_line(buffer: &mut termcolor::Buffer, c: &Diagnostic) {
    use std::io::Write;
    let _ = writeln!(
        buffer,
        "{}[{}]: {} ({})",
        c.severity.japanese(),
        c.code,
        c.message,
        c.location()
    );
}

/// 個人番号-like numbers of each source file, found once per output (a number may run over a
/// line break, so single lines are not enough).
struct Scans<'s> {
    sources: &'s Sources,
    found: Vec<Option<Vec<Match>>>,
}

impl<'s> Scans<'s> {
    fn new(sources: &'s Sources) -> Self {
        Scans {
            sources,
            found: vec![None; sources.files.len()],
        }
    }
    /// The numbers of a file that overlap `range`.
    fn within(&mut self, file: usize, range: Range<usize>) -> Vec<Match> {
        let Some(slot) = self.found.get_mut(file) else {
            return Vec::new();
        };
        let all = slot.get_or_insert_with(|| personal::find(&self.sources.files[file].text));
        let first = all.partition_point(|m| m.range.end <= range.start);
        all[first..]
            .iter()
            .take_while(|m| m.range.start < range.end)
            .cloned()
            .collect()
    }
}

/// One shown source line: a window of the real line.
struct SnippetLine {
    /// Real 1-based line number.
    number: usize,
    /// Real 0-based column (characters) of the first shown character.
    column: usize,
    /// Bytes of the 「…」 in front of a window that does not start the line.
    lead: usize,
}

/// One file of a [`Snippet`]: the shown lines only.
struct SnippetFile {
    source: usize,
    name: String,
    text: String,
    starts: Vec<usize>,
    /// Per entry of `starts`: the real line, or None for the blank lines that make codespan
    /// print a break 「·」 between lines that are not adjacent.
    lines: Vec<Option<SnippetLine>>,
}

/// What codespan sees of the sources for one diagnostic: per file, only the lines holding a
/// label, each cut to a window of [`SNIPPET_WIDTH`] characters with the digits of 個人番号-like
/// numbers masked. Line and column numbers are the real ones.
struct Snippet<'m> {
    files: Vec<SnippetFile>,
    /// (file id, range in the snippet text, primary, message)
    labels: Vec<(usize, Range<usize>, bool, &'m str)>,
}

fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl<'m> Snippet<'m> {
    fn build(
        sources: &Sources,
        scans: &mut Scans,
        wanted: &[(&Position, bool, &'m str)],
    ) -> Snippet<'m> {
        let mut snippet = Snippet {
            files: Vec::new(),
            labels: Vec::new(),
        };
        // Lines to show: (file, real line) → earliest label start on it.
        let mut per_line: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        for (p, _, _) in wanted {
            let Some(file) = sources.files.get(p.file_index) else {
                continue;
            };
            let start = floor_boundary(&file.text, p.span.start);
            let e = per_line
                .entry((p.file_index, p.line))
                .or_insert((start, p.column));
            if start < e.0 {
                *e = (start, p.column);
            }
        }
        // Window of each line: byte range in the source, and the mapping of label offsets.
        let mut windows: HashMap<(usize, usize), (Range<usize>, usize, usize)> = HashMap::new();
        for (&(fi, line), &(start, column)) in &per_line {
            let text = &sources.files[fi].text;
            let mut from = start;
            let mut before = 0;
            for (i, ch) in text[..start].char_indices().rev() {
                if ch == '\n' || before == SNIPPET_BEFORE {
                    break;
                }
                from = i;
                before += 1;
            }
            let mut to = from;
            for (i, ch) in text[from..].char_indices().take(SNIPPET_WIDTH) {
                if ch == '\n' {
                    break;
                }
                to = from + i + ch.len_utf8();
            }
            let real_column = column.saturating_sub(1).saturating_sub(before);
            let file_id = match snippet.files.iter().position(|f| f.source == fi) {
                Some(id) => id,
                None => {
                    snippet.files.push(SnippetFile {
                        source: fi,
                        name: clean(
                            &sources.files[fi].path.display().to_string(),
                            MAX_NAME_CHARS,
                        ),
                        text: String::new(),
                        starts: Vec::new(),
                        lines: Vec::new(),
                    });
                    snippet.files.len() - 1
                }
            };
            let f = &mut snippet.files[file_id];
            if let Some(Some(prev)) = f.lines.last()
                && prev.number + 1 != line
            {
                for _ in 0..2 {
                    f.starts.push(f.text.len());
                    f.lines.push(None);
                    f.text.push('\n');
                }
            }
            let line_start = f.text.len();
            f.starts.push(line_start);
            let cut_left = from > 0 && !text[..from].ends_with('\n');
            let cut_right = to < text.len() && !text[to..].starts_with(['\n', '\r']);
            let lead = if cut_left { "…".len() } else { 0 };
            if cut_left {
                f.text.push('…');
            }
            let raw = text[from..to].trim_end_matches('\r');
            let mut found = scans.within(fi, from..to);
            for m in &mut found {
                m.range = m.range.start.saturating_sub(from)..m.range.end.saturating_sub(from);
            }
            found.extend(personal::find(raw));
            found.sort_by_key(|m| m.range.start);
            let masked = personal::mask_all(raw, &found);
            f.text.extend(masked.chars().map(|c| {
                if c.is_control() && c != '\t' {
                    '\u{FFFD}'
                } else {
                    c
                }
            }));
            if cut_right {
                f.text.push('…');
            }
            f.text.push('\n');
            f.lines.push(Some(SnippetLine {
                number: line,
                column: real_column,
                lead,
            }));
            windows.insert((fi, line), (from..to, file_id, line_start + lead));
        }
        for (p, primary, message) in wanted {
            let Some((window, file_id, base)) = windows.get(&(p.file_index, p.line)) else {
                continue;
            };
            let text = &sources.files[p.file_index].text;
            // Offsets of the label in the snippet: the masked text keeps the characters, so
            // count characters and re-measure them in the snippet line.
            let f = &snippet.files[*file_id];
            let to_snippet = |offset: usize| -> usize {
                let offset = floor_boundary(text, offset.clamp(window.start, window.end));
                let chars = text[window.start..offset].chars().count();
                let line = &f.text[*base..];
                base + line
                    .char_indices()
                    .nth(chars)
                    .map_or(line.len(), |(i, _)| i)
                    .min(line.find('\n').unwrap_or(line.len()))
            };
            let start = to_snippet(p.span.start);
            let end = to_snippet(p.span.end.max(p.span.start)).max(start);
            snippet
                .labels
                .push((*file_id, start..end, *primary, message));
        }
        snippet
    }

    fn file(&self, id: usize) -> Result<&SnippetFile, FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for Snippet<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.file(id)?.name)
    }
    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.file(id)?.text)
    }
    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.file(id)?;
        Ok(f.starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }
    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, FilesError> {
        let f = self.file(id)?;
        // Break lines borrow the number after the previous real line.
        let mut i = line_index.min(f.lines.len().saturating_sub(1));
        let mut extra = 0;
        loop {
            match f.lines.get(i) {
                Some(Some(l)) => return Ok(l.number + extra),
                Some(None) if i > 0 => {
                    i -= 1;
                    extra += 1;
                }
                _ => return Ok(line_index + 1),
            }
        }
    }
    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let f = self.file(id)?;
        let Some(Some(l)) = f.lines.get(line_index) else {
            return Ok(1);
        };
        let start = f.starts[line_index] + l.lead;
        let end = floor_boundary(&f.text, byte_index.max(start));
        Ok(l.column + f.text[start..end].chars().count() + 1)
    }
    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.file(id)?;
        let start = *f.starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: f.starts.len().saturating_sub(1),
        })?;
        let end = f
            .starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(f.text.len());
        Ok(start..end)
    }
}

/// One line per diagnostic: `file:line:col: エラー[CODE]: message`.
pub fn render_short(d: &Diagnostic) -> String {
    let c = d.for_output();
    let loc = c.location();
    let prefix = if loc.is_empty() {
        String::new()
    } else {
        format!("{loc}: ")
    };
    format!(
        "{prefix}{}[{}]: {}",
        c.severity.japanese(),
        c.code,
        c.message
    )
}
