//! Source files of an assessment and the map from TOML paths to their place in them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::figure::{FigureInfo, FigureProblem};
use crate::path::concrete_parent;

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
        }
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

/// The files of one assessment and the position of every item written in them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// Concrete TOML path (`files[0].risk.acquisition.r1.adequacy`) → location.
    /// A fast hash: a long 別添３ records hundreds of thousands of paths.
    pub spans: rustc_hash::FxHashMap<String, Loc>,
    /// Digest of the 別添1 figure file, when it could be read.
    pub figure_digest: Option<u64>,
    /// The 別添1 figure as read and checked when loading (`None` when no figure is written).
    /// Boxed: it is rarely looked at and keeps load errors small.
    pub figure: Option<Box<Result<FigureInfo, FigureProblem>>>,
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

    /// Position of the item's value if it was written, else of its nearest written ancestor
    /// (a missing answer points at the table that should hold it).
    pub fn locate(&self, path: &str) -> Option<Position> {
        if let Some(loc) = self.spans.get(path) {
            return Some(self.position(loc.file, loc.value.clone()));
        }
        self.locate_parent(path)
    }

    /// Position of the key of an item (for unknown or duplicate keys).
    pub fn locate_key(&self, path: &str) -> Option<Position> {
        if let Some(loc) = self.spans.get(path) {
            return Some(self.position(loc.file, loc.key.clone()));
        }
        self.locate_parent(path)
    }

    fn locate_parent(&self, path: &str) -> Option<Position> {
        let mut p = concrete_parent(path);
        loop {
            if let Some(loc) = self.spans.get(p) {
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
            if let Some(loc) = self.spans.get(p) {
                return Some(&self.files[loc.file].path);
            }
            if p.is_empty() {
                return None;
            }
            p = concrete_parent(p);
        }
    }
}
