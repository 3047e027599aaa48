//! Reading files that come from an assessment (and so possibly from a pull request): the one
//! place that opens them.
//!
//! A file is read only if its resolved path (symlinks followed) stays inside the canonical
//! assessment directory, the opened handle is a regular file (opened non-blocking, so a FIFO never
//! blocks), and it is no larger than a limit (checked on the handle and enforced while reading).

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::limits::bytes_ja;

/// Why a file was not read. [`ReadError::message`] words it in Japanese.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    /// The resolved path leaves the assessment directory (a symlink pointing outside).
    Outside,
    /// A symbolic link where symlinks are refused (git revisions, files to be replaced).
    Symlink,
    /// A directory, FIFO, device or socket (the Japanese name of the kind).
    NotRegular(&'static str),
    TooLarge {
        limit: u64,
    },
    Io(io::Error),
}

impl ReadError {
    /// 「ファイル `x` が見つかりません」: `what` names the file (「ファイル `x`」).
    pub fn message(&self, what: &str) -> String {
        match self {
            ReadError::NotFound => format!("{what}が見つかりません"),
            ReadError::Outside => format!(
                "{what}はシンボリックリンク等で評価書ディレクトリの外を指しているため、読み込みません"
            ),
            ReadError::Symlink => {
                format!("{what}はシンボリックリンクのため、読み込みません")
            }
            ReadError::NotRegular(kind) => {
                format!("{what}は通常のファイルではない（{kind}）ため、読み込みません")
            }
            ReadError::TooLarge { limit } => format!(
                "{what}が大きすぎるため、読み込みません（上限 {}）",
                bytes_ja(*limit)
            ),
            ReadError::Io(e) => format!("{what}を読み込めません（{}）", io_ja(e)),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::NotFound => "評価書ディレクトリからの相対パスを確認してください。",
            ReadError::Outside => {
                "ファイルそのものを評価書ディレクトリの中に置いてください（評価書ディレクトリの外を指すシンボリックリンクは読み込みません）。"
            }
            ReadError::Symlink => {
                "シンボリックリンクではなく、ファイルそのものを評価書ディレクトリの中に置いてください（git の版の中のシンボリックリンクは、どこを指していても読み込みません）。"
            }
            ReadError::NotRegular(_) => {
                "評価書ディレクトリの中の通常のファイルを指定してください。"
            }
            ReadError::TooLarge { .. } => {
                "ファイルを分けるか、内容を確認してください（上限は docs/limits.md を参照）。"
            }
            ReadError::Io(_) => "ファイルの権限と状態を確認してください。",
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::NotFound)
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            io::ErrorKind::IsADirectory => ReadError::NotRegular("ディレクトリ"),
            _ => ReadError::Io(e),
        }
    }
}

/// An I/O error in Japanese where the kind is common; else the system's text.
pub fn io_ja(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "見つかりません".into(),
        io::ErrorKind::PermissionDenied => "権限がありません".into(),
        io::ErrorKind::AlreadyExists => "既に存在します".into(),
        io::ErrorKind::IsADirectory => "ディレクトリです".into(),
        io::ErrorKind::NotADirectory => "パスの途中がディレクトリではありません".into(),
        io::ErrorKind::ReadOnlyFilesystem => "読み取り専用のファイルシステムです".into(),
        io::ErrorKind::StorageFull => "ディスクの空きがありません".into(),
        io::ErrorKind::InvalidData => "データが正しくありません".into(),
        _ => e.to_string(),
    }
}

/// The Japanese name of a non-regular file type.
pub fn kind_ja(ft: &fs::FileType) -> &'static str {
    if ft.is_dir() {
        return "ディレクトリ";
    }
    if ft.is_symlink() {
        return "シンボリックリンク";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "名前付きパイプ（FIFO）";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "デバイス";
        }
        if ft.is_socket() {
            return "ソケット";
        }
    }
    "特殊なファイル"
}

/// The canonical form of a directory (symlinks resolved).
pub fn canonical_dir(dir: &Path) -> Result<PathBuf, ReadError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let real = fs::canonicalize(dir)?;
    if !fs::metadata(&real)?.is_dir() {
        return Err(ReadError::NotRegular("ディレクトリではないパス"));
    }
    Ok(real)
}

/// Resolves `rel` inside the canonical directory `root`: the resolved path, which is inside
/// `root`, or why not. `rel` must already be a safe relative path (no root, no `..`); symlinks
/// in it are followed and must not lead out of `root`.
pub fn resolve_inside(root: &Path, rel: &Path) -> Result<PathBuf, ReadError> {
    let real = fs::canonicalize(root.join(rel))?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(ReadError::Outside)
    }
}

/// Opens `path` for reading without following a final symlink and without blocking (a FIFO
/// would otherwise wait for a writer), and checks on the handle that it is a regular file.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
            .open(path)
            .map_err(|e| {
                // O_NOFOLLOW on a symlink fails with ELOOP.
                if e.raw_os_error() == Some(libc::ELOOP) {
                    ReadError::Symlink
                } else {
                    ReadError::from(e)
                }
            })?
    };
    #[cfg(not(unix))]
    let file = {
        let meta = fs::symlink_metadata(path)?;
        if meta.file_type().is_symlink() {
            return Err(ReadError::Symlink);
        }
        if !meta.is_file() {
            return Err(ReadError::NotRegular(kind_ja(&meta.file_type())));
        }
        File::open(path)?
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_ja(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most `limit` bytes (see [`open_regular`]).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    read_limited(file, len, limit)
}

/// Reads at most `limit` bytes from an opened file whose size was `len`; a file that grows past
/// the limit while being read is refused too.
pub fn read_limited(file: File, len: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    if len > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut buf = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(buf)
}

/// Reads `rel` from inside the canonical directory `root` (containment, file type and size).
pub fn read_inside(root: &Path, rel: &Path, limit: u64) -> Result<(PathBuf, Vec<u8>), ReadError> {
    let real = resolve_inside(root, rel)?;
    let bytes = read_regular(&real, limit)?;
    Ok((real, bytes))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn fifo_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("pipe.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let root = canonical_dir(tmp.path()).unwrap();
        match read_inside(&root, Path::new("pipe.toml"), 100) {
            Err(ReadError::NotRegular(kind)) => assert_eq!(kind, "名前付きパイプ（FIFO）"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn symlink_outside_is_refused_and_limit_enforced() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "SECRET").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), tmp.path().join("a.toml"))
            .unwrap();
        fs::write(tmp.path().join("big.toml"), vec![b'x'; 101]).unwrap();
        let root = canonical_dir(tmp.path()).unwrap();
        assert!(matches!(
            read_inside(&root, Path::new("a.toml"), 100),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            read_inside(&root, Path::new("big.toml"), 100),
            Err(ReadError::TooLarge { limit: 100 })
        ));
        assert_eq!(
            read_inside(&root, Path::new("big.toml"), 101)
                .unwrap()
                .1
                .len(),
            101
        );
    }
}
