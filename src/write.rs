//! Writing output files: checked, then written atomically.
//!
//! An output path is refused when it is a symbolic link, not a regular file (a device such as
//! `/dev/null`, a FIFO, a directory), read-only, or — for commands that know their inputs — one of
//! the files the assessment was loaded from (compared by resolved path and by file identity, so
//! hard links count too). The bytes go to a temporary file `.pia-XXXXXX.tmp` beside the output,
//! which is then renamed over it, so a failed run never leaves a half-written output. The
//! temporary file is removed on every error, and on SIGINT, SIGTERM and SIGHUP (an
//! async-signal-safe `unlink` in the handler). After `kill -9` it stays; the next write into the
//! same directory removes `.pia-*.tmp` files older than [`STALE_TEMP_AGE`], and the loader never
//! reads them.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::guard::{io_ja, kind_ja};
use crate::limits::STALE_TEMP_AGE;

/// Why an output path is refused (Japanese, for 「`x` に書き込めません: …」).
fn refused(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, message.into())
}

/// Checks that `path` may be replaced: it does not exist yet, or it is a writable regular file
/// (not a symlink, device, FIFO or directory).
pub fn check_replaceable(path: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let ft = meta.file_type();
    if ft.is_symlink() {
        return Err(refused(
            "シンボリックリンクです（リンク先を置き換えないよう、書き込みません）。リンク先のパスを直接指定してください",
        ));
    }
    if !ft.is_file() {
        return Err(refused(format!(
            "通常のファイルではありません（{}）。出力先には通常のファイルのパスを指定してください",
            kind_ja(&ft)
        )));
    }
    if meta.permissions().readonly() {
        return Err(refused(
            "読み取り専用のファイルです（上書きしません）。書き込みを許可するか、別のパスを指定してください",
        ));
    }
    Ok(())
}

/// Checks that `path` is none of `inputs` (resolved paths of the files an assessment was loaded
/// from, and its figure), and that it may be replaced ([`check_replaceable`]).
pub fn check_output(path: &Path, inputs: &[PathBuf]) -> io::Result<()> {
    check_replaceable(path)?;
    let resolved = resolve_output(path);
    let same_file = |input: &Path| {
        if resolved.as_deref() == Some(input) {
            return true;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let (Ok(a), Ok(b)) = (fs::metadata(path), fs::metadata(input)) {
                return a.dev() == b.dev() && a.ino() == b.ino();
            }
        }
        false
    };
    if inputs.iter().any(|i| same_file(i)) {
        return Err(refused(
            "評価書の入力ファイル（TOML 又は別添1の図）です。入力を上書きしないよう、書き込みません。出力先には別のパスを指定してください",
        ));
    }
    Ok(())
}

/// The resolved path an output would have: its directory resolved, plus its file name.
fn resolve_output(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(dir).ok()?.join(name))
}

/// Writes `bytes` to `path` atomically, after [`check_replaceable`]. Errors are in Japanese.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    check_replaceable(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    remove_stale_temps(dir);
    let tmp = tempfile::Builder::new()
        .prefix(".pia-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(ja)?;
    let guard = signal::register(tmp.path());
    let result = fill_and_persist(tmp, path, bytes);
    drop(guard);
    result
}

fn fill_and_persist(mut tmp: tempfile::NamedTempFile, path: &Path, bytes: &[u8]) -> io::Result<()> {
    tmp.write_all(bytes).map_err(ja)?;
    tmp.as_file().sync_all().map_err(ja)?;
    // Temporary files are created 0600; an output file (a PDF to publish) keeps the mode of the
    // file it replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))
            .map_err(ja)?;
    }
    // Checked again just before the rename: the path may have changed during a long render.
    check_replaceable(path)?;
    tmp.persist(path).map_err(|e| ja(e.error))?;
    Ok(())
}

/// An I/O error with its text in Japanese where the kind is common.
fn ja(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), io_ja(&e))
}

/// Whether a file name is one of ours: `.pia-` + 6 random characters + `.tmp`.
pub fn is_temp_name(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    name.strip_prefix(".pia-")
        .and_then(|r| r.strip_suffix(".tmp"))
        .is_some_and(|mid| mid.len() == 6 && mid.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Removes temporary files left in `dir` by killed runs (older than [`STALE_TEMP_AGE`], so a
/// concurrent run's file is never touched). Returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        if !is_temp_name(&e.file_name()) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if meta.is_file() && old && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Removing the temporary file when the process is interrupted.
mod signal {
    use std::path::Path;

    /// Unregisters the path when dropped.
    pub struct Registered(#[allow(dead_code)] Option<usize>);

    #[cfg(unix)]
    mod imp {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        use std::path::Path;
        use std::sync::Once;
        use std::sync::atomic::{AtomicPtr, Ordering};

        const SLOTS: usize = 8;
        /// Paths of live temporary files (leaked C strings: a handler may read one at any
        /// time, so they are never freed; a few dozen bytes per write).
        static TEMPS: [AtomicPtr<libc::c_char>; SLOTS] =
            [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
        static INSTALL: Once = Once::new();
        const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

        extern "C" fn on_signal(sig: libc::c_int) {
            for slot in &TEMPS {
                let p = slot.load(Ordering::SeqCst);
                if !p.is_null() {
                    // SAFETY: `p` is a leaked, NUL-terminated string; unlink is
                    // async-signal-safe.
                    unsafe { libc::unlink(p) };
                }
            }
            // The disposition was reset (SA_RESETHAND): die of the same signal.
            // SAFETY: raise is async-signal-safe.
            unsafe { libc::raise(sig) };
        }

        fn install() {
            for sig in SIGNALS {
                // SAFETY: plain sigaction calls with zeroed, then filled structures; the
                // handler only uses async-signal-safe functions. A signal the process ignores
                // (nohup, background jobs) stays ignored.
                unsafe {
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
                        || old.sa_sigaction == libc::SIG_IGN
                    {
                        continue;
                    }
                    let mut act: libc::sigaction = std::mem::zeroed();
                    act.sa_sigaction = on_signal as *const () as libc::sighandler_t;
                    act.sa_flags = libc::SA_RESETHAND;
                    libc::sigemptyset(&mut act.sa_mask);
                    libc::sigaction(sig, &act, std::ptr::null_mut());
                }
            }
        }

        pub fn register(path: &Path) -> Option<usize> {
            INSTALL.call_once(install);
            let c = CString::new(path.as_os_str().as_bytes()).ok()?;
            let p = c.into_raw();
            for (i, slot) in TEMPS.iter().enumerate() {
                if slot
                    .compare_exchange(std::ptr::null_mut(), p, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    return Some(i);
                }
            }
            None
        }

        pub fn unregister(i: usize) {
            TEMPS[i].store(std::ptr::null_mut(), Ordering::SeqCst);
        }
    }

    pub fn register(path: &Path) -> Registered {
        #[cfg(unix)]
        {
            Registered(imp::register(path))
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            Registered(None)
        }
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            #[cfg(unix)]
            if let Some(i) = self.0 {
                imp::unregister(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        assert!(is_temp_name(OsStr::new(".pia-a1B2c3.tmp")));
        assert!(!is_temp_name(OsStr::new(".pia-a1B2c3.toml")));
        assert!(!is_temp_name(OsStr::new("pia-a1B2c3.tmp")));
        assert!(!is_temp_name(OsStr::new(".pia-toolong1.tmp")));
    }

    #[test]
    fn stale_temps_are_removed_fresh_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join(".pia-OLD123.tmp");
        let fresh = tmp.path().join(".pia-NEW123.tmp");
        let other = tmp.path().join("keep.tmp");
        for p in [&old, &fresh, &other] {
            fs::write(p, "x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        assert_eq!(remove_stale_temps(tmp.path()), 1);
        assert!(!old.exists() && fresh.exists() && other.exists());
    }

    #[test]
    fn writes_replace_regular_files_only() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out.pdf");
        write_atomic(&out, b"one").unwrap();
        write_atomic(&out, b"two").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"two");
        let e = write_atomic(tmp.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("ディレクトリ"), "{e}");
        // No temporary file is left behind by either run.
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .filter(|e| is_temp_name(&e.file_name()))
            .collect();
        assert!(left.is_empty());
    }
}
