//! Source files of an assessment and the map from TOML paths to their place in them.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::figure::{FigureInfo, FigureProblem};
use crate::path::{concrete_parent, first_index, first_segment};

/// One TOML file read for an assessment.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given or found (relative paths stay relative, for readable messages).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// What the file is, whatever path reached it: the resolved path on disk, or the object name
    /// in git (see [`crate::load::Fetched`]).
    pub identity: PathBuf,
    /// The top-level keys the file writes, as path segments (`cover`, `"…"`).
    top_keys: Vec<String>,
    /// Where each item of the file is written, by its path in this file: made when a location
    /// in the file is first asked for (most files of a long 別添３ are never asked).
    spans: OnceLock<FxHashMap<String, Loc>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let identity = path.clone();
        SourceFile::with_identity(path, text, identity)
    }

    pub fn with_identity(path: PathBuf, text: String, identity: PathBuf) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
            identity,
            top_keys: Vec::new(),
            spans: OnceLock::new(),
        }
    }

    /// The positions of the items of this file (source `index`), by their path in the file.
    fn spans(&self, index: usize) -> &FxHashMap<String, Loc> {
        self.spans.get_or_init(|| {
            let mut out = FxHashMap::default();
            if let Ok(table) = DeTable::parse(&self.text) {
                let mut path = String::new();
                record_table(index, table.get_ref(), &mut path, &mut out);
            }
            out
        })
    }

    /// 1-based line and column of a byte offset; columns count characters, not bytes.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count();
        (line + 1, col + 1)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Where a TOML item was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Sources::files`].
    pub file: usize,
    /// Span of the key (or the table header that introduced a table).
    pub key: Range<usize>,
    /// Span of the value.
    pub value: Range<usize>,
}

/// A location resolved to file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub file_index: usize,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// The files of one assessment and where every item is written in them.
///
/// Positions are found when asked for: the loader notes only which file each element of an array
/// of tables came from ([`Sources::note_run`]) and which top-level keys each file writes
/// ([`Sources::note_top_key`]); a file is read for positions the first time one of its items is
/// located ([`Sources::loc`]). A long 別添３ is then loaded without a position for each of its
/// cells, and only the files that hold a finding are read twice.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// Concrete path of an array of tables (`changes`, `files[0].entrustment.entrustees`) → the
    /// files its elements came from, in load order.
    runs: FxHashMap<String, Vec<Run>>,
    /// Digest of the 別添1 figure file, when it could be read.
    pub figure_digest: Option<u64>,
    /// The 別添1 figure as read and checked when loading (`None` when no figure is written).
    /// Boxed: it is rarely looked at and keeps load errors small.
    pub figure: Option<Box<Result<FigureInfo, FigureProblem>>>,
}

/// Elements `start..start + len` of an array of tables, written in file `file`.
#[derive(Debug, Clone)]
struct Run {
    file: usize,
    start: usize,
    len: usize,
}

impl Sources {
    pub fn add_file(&mut self, path: PathBuf, text: String) -> usize {
        self.files.push(SourceFile::new(path, text));
        self.files.len() - 1
    }

    /// Adds a file read through a provider, with its identity.
    pub fn add_fetched(&mut self, path: PathBuf, text: String, identity: PathBuf) -> usize {
        self.files
            .push(SourceFile::with_identity(path, text, identity));
        self.files.len() - 1
    }

    /// Notes that file `file` writes the top-level key `segment` (as a path segment).
    pub fn note_top_key(&mut self, file: usize, segment: &str) {
        let keys = &mut self.files[file].top_keys;
        if !keys.iter().any(|k| k == segment) {
            keys.push(segment.to_string());
        }
    }

    /// Notes that elements `start..start + len` of the array of tables at `array` (a concrete
    /// path) were written in file `file`.
    pub fn note_run(&mut self, array: &str, file: usize, start: usize, len: usize) {
        let run = Run { file, start, len };
        match self.runs.get_mut(array) {
            Some(runs) => runs.push(run),
            None => {
                self.runs.insert(array.to_string(), vec![run]);
            }
        }
    }

    /// What every file read is, whatever path reached it (resolved path on disk, object name in
    /// git): the TOML files in load order, then the figure if it passed its checks. An output
    /// may not replace any of them.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self.files.iter().map(|f| f.identity.clone()).collect();
        if let Some(Ok(info)) = self.figure.as_deref() {
            out.push(info.identity.clone());
        }
        out
    }

    pub fn position(&self, file: usize, span: Range<usize>) -> Position {
        let f = &self.files[file];
        let (line, column) = f.line_col(span.start);
        Position {
            file: f.path.clone(),
            line,
            column,
            file_index: file,
            span,
        }
    }

    /// Where the item at a concrete path is written (the first file that writes it), if it is.
    pub fn loc(&self, path: &str) -> Option<&Loc> {
        if let Some((open, close, i)) = first_index(path) {
            // Everything inside an element of an array of tables is in the file of the element,
            // where the element has its own index.
            let array = &path[..open];
            let runs = self.runs.get(array)?;
            let k = runs.partition_point(|r| r.start + r.len <= i);
            let run = runs.get(k).filter(|r| r.start <= i)?;
            let local: Cow<str> = if run.start == 0 {
                path.into()
            } else {
                format!("{array}[{}]{}", i - run.start, &path[close..]).into()
            };
            return self.files[run.file].spans(run.file).get(local.as_ref());
        }
        if let Some(runs) = self.runs.get(path) {
            let f = runs[0].file;
            return self.files[f].spans(f).get(path);
        }
        let top = first_segment(path);
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.top_keys.iter().any(|k| k == top))
            .find_map(|(i, f)| f.spans(i).get(path))
    }

    /// Position of the item's value if it was written, else of its nearest written ancestor
    /// (a missing answer points at the table that should hold it).
    pub fn locate(&self, path: &str) -> Option<Position> {
        if let Some(loc) = self.loc(path) {
            return Some(self.position(loc.file, loc.value.clone()));
        }
        self.locate_parent(path)
    }

    /// Position of the key of an item (for unknown or duplicate keys).
    pub fn locate_key(&self, path: &str) -> Option<Position> {
        if let Some(loc) = self.loc(path) {
            return Some(self.position(loc.file, loc.key.clone()));
        }
        self.locate_parent(path)
    }

    fn locate_parent(&self, path: &str) -> Option<Position> {
        let mut p = concrete_parent(path);
        loop {
            if let Some(loc) = self.loc(p) {
                return Some(self.position(loc.file, loc.key.clone()));
            }
            if p.is_empty() {
                break;
            }
            p = concrete_parent(p);
        }
        // Nothing written at all: the start of the main file.
        (!self.files.is_empty()).then(|| self.position(0, 0..0))
    }

    /// The file that holds a path (or its nearest ancestor), for writers such as `--record`.
    pub fn file_of(&self, path: &str) -> Option<&Path> {
        let mut p = path;
        loop {
            if let Some(loc) = self.loc(p) {
                return Some(&self.files[loc.file].path);
            }
            if p.is_empty() {
                return None;
            }
            p = concrete_parent(p);
        }
    }
}

/// Records the position of every key of a parsed table under `path` (a buffer, restored), as
/// the loader reads them: tables, values, the keys of inline tables, and the elements of arrays
/// that are tables or arrays (array elements that are values have the position of their array).
fn record_table(file: usize, table: &DeTable, path: &mut String, out: &mut FxHashMap<String, Loc>) {
    for (key, value) in table.iter() {
        let len = path.len();
        crate::path::push_key(path, key.get_ref());
        out.entry(path.clone()).or_insert(Loc {
            file,
            key: key.span(),
            value: value.span(),
        });
        record_value(file, value, path, out);
        path.truncate(len);
    }
}

fn record_value(
    file: usize,
    value: &Spanned<DeValue>,
    path: &mut String,
    out: &mut FxHashMap<String, Loc>,
) {
    match value.get_ref() {
        DeValue::Table(t) => record_table(file, t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if !matches!(item.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
                    continue;
                }
                let len = path.len();
                crate::path::push_index(path, i);
                out.insert(
                    path.clone(),
                    Loc {
                        file,
                        key: item.span(),
                        value: item.span(),
                    },
                );
                record_value(file, item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Sources;
    use std::path::PathBuf;

    /// An element of an array of tables is found in the file that wrote it, at its index in that
    /// file; a table written by two files is found in the first.
    #[test]
    fn items_are_located_in_the_file_that_wrote_them() {
        let mut s = Sources::default();
        let a = s.add_file(
            PathBuf::from("a.toml"),
            "[cover]\ntitle = \"x\"\n\n[[changes]]\nitem = \"一\"\n".into(),
        );
        let b = s.add_file(
            PathBuf::from("b.toml"),
            "[cover]\nname = \"y\"\n\n[[changes]]\nitem = \"二\"\n\n[[changes]]\nitem = \"三\"\n"
                .into(),
        );
        for f in [a, b] {
            s.note_top_key(f, "cover");
            s.note_top_key(f, "changes");
        }
        s.note_run("changes", a, 0, 1);
        s.note_run("changes", b, 1, 2);
        let at = |p: &str| s.locate(p).map(|p| (p.file, p.line, p.column));
        assert_eq!(at("changes[0].item"), Some(("a.toml".into(), 5, 8)));
        assert_eq!(at("changes[2].item"), Some(("b.toml".into(), 8, 8)));
        assert_eq!(at("changes[1]"), Some(("b.toml".into(), 4, 1)));
        assert_eq!(at("cover.name"), Some(("b.toml".into(), 2, 8)));
        assert_eq!(at("cover"), Some(("a.toml".into(), 1, 1)));
        // Not written: the nearest written ancestor (its key).
        assert_eq!(at("changes[2].before"), Some(("b.toml".into(), 7, 1)));
        assert_eq!(
            s.file_of("changes[2].after"),
            Some(std::path::Path::new("b.toml"))
        );
        assert!(s.loc("changes[3]").is_none());
    }
}
