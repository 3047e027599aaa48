//! Where the files of an assessment are read from: a directory on disk ([`FsProvider`], which
//! keeps every read inside the directory and bounded, see [`crate::guard`]) or a git revision
//! (`crate::diff::git`). The loader and the 別添1 figure reader both read through a provider.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use crate::guard::{self, ReadError};
use crate::limits::{MAX_FIGURE_BYTES, MAX_TOML_BYTES};

/// A file read for the loader.
#[derive(Debug)]
pub struct Fetched {
    /// What the file is, whatever path reached it: the resolved path on disk, or the object name
    /// in git. Files are loaded once per identity, and outputs may not overwrite one.
    pub identity: PathBuf,
    pub bytes: Vec<u8>,
}

/// Where the loader reads files from: the file system, or a git revision.
pub trait FileProvider {
    /// Reads a file given relative to the assessment directory.
    fn read(&self, rel: &Path) -> io::Result<String>;
    /// Reads a binary file (the 別添1 figure) given relative to the assessment directory.
    fn read_bytes(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.read(rel).map(String::into_bytes)
    }
    /// How to show the file in messages.
    fn display_path(&self, rel: &Path) -> PathBuf;
    /// The provider as one that may be read from several threads at once (the loader then reads
    /// the included files ahead), or `None`.
    fn concurrent(&self) -> Option<&(dyn FileProvider + Sync)> {
        None
    }
    /// Reads a file for the loader: at most `limit` bytes, with its identity. Providers that
    /// read untrusted trees override this with their own containment checks (the default, for
    /// in-memory providers, only enforces the limit).
    fn fetch(&self, rel: &Path, limit: u64) -> Result<Fetched, ReadError> {
        let bytes = self.read_bytes(rel).map_err(ReadError::from)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge { limit });
        }
        Ok(Fetched {
            identity: rel.to_path_buf(),
            bytes,
        })
    }
}

/// Reads from a directory on disk: only regular files whose resolved path stays inside the
/// directory, of bounded size ([`guard::read_inside`]).
pub struct FsProvider {
    pub dir: PathBuf,
    root: OnceLock<PathBuf>,
}

impl FsProvider {
    pub fn new(dir: PathBuf) -> FsProvider {
        FsProvider {
            dir,
            root: OnceLock::new(),
        }
    }

    /// The canonical assessment directory.
    pub fn root(&self) -> Result<&Path, ReadError> {
        if let Some(r) = self.root.get() {
            return Ok(r);
        }
        let r = guard::canonical_dir(&self.dir)?;
        Ok(self.root.get_or_init(|| r))
    }
}

fn io_of(e: ReadError, shown: &Path) -> io::Error {
    match e {
        ReadError::NotFound => io::Error::new(io::ErrorKind::NotFound, "not found"),
        ReadError::Io(e) => e,
        other => io::Error::other(other.message(&format!("ファイル `{}` ", shown.display()))),
    }
}

impl FileProvider for FsProvider {
    fn read(&self, rel: &Path) -> io::Result<String> {
        let f = self
            .fetch(rel, MAX_TOML_BYTES)
            .map_err(|e| io_of(e, &self.display_path(rel)))?;
        String::from_utf8(f.bytes)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "UTF-8 ではありません"))
    }
    fn read_bytes(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.fetch(rel, MAX_FIGURE_BYTES)
            .map(|f| f.bytes)
            .map_err(|e| io_of(e, &self.display_path(rel)))
    }
    fn display_path(&self, rel: &Path) -> PathBuf {
        if self.dir.as_os_str().is_empty() || self.dir == Path::new(".") {
            rel.to_path_buf()
        } else {
            self.dir.join(rel)
        }
    }
    fn fetch(&self, rel: &Path, limit: u64) -> Result<Fetched, ReadError> {
        let (identity, bytes) = guard::read_inside(self.root()?, rel, limit)?;
        Ok(Fetched { identity, bytes })
    }
    fn concurrent(&self) -> Option<&(dyn FileProvider + Sync)> {
        Some(self)
    }
}

/// FNV-1a, 64 bits: a stable digest for change detection (not for security).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h: u64, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A relative path that stays inside its base directory (no root, no `..`).
pub fn safe_relative(s: &str) -> Option<PathBuf> {
    let p = Path::new(s);
    if s.is_empty() || p.is_absolute() || s.starts_with('/') || s.starts_with('\\') {
        return None;
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}
