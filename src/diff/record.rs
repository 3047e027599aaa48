//! 別添3 rows from the history: one row per changed item, and `pia diff --record`, which appends
//! them to the file that holds `[[changes]]` without touching the rest of it.

use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::classify::note_used_by;
use super::{Change, ChangeKind, Timing};
use crate::load::Loaded;
use crate::model::{ChangeRow, Date};
use crate::write::write_atomic;

/// 変更後の記載 of a removed item (the column may not stay empty).
pub const REMOVED: &str = "（削除）";

fn cell(c: &Change, tag: &str) -> String {
    if c.kind == ChangeKind::Changed && !c.excerpt.is_empty() {
        super::text::changed_lines(&c.excerpt, tag)
    } else if tag == "-" {
        c.before.clone()
    } else {
        c.after.clone()
    }
}

/// One 別添3 row per changed item that needs one (not 公表日, 承認日, Ⅵ): 項目 = the printed
/// path, 変更前/変更後 = the changed lines, 提出時期 and its explanation from the
/// classification, `paths` = the item's TOML path.
pub fn rows(changes: &[Change], changed_on: Date) -> Vec<ChangeRow> {
    changes
        .iter()
        .filter(|c| c.row)
        .map(|c| {
            let after = if c.kind == ChangeKind::Removed {
                REMOVED.to_string()
            } else {
                cell(c, "+")
            };
            ChangeRow {
                changed_on: Some(changed_on),
                item: c.item.clone(),
                before: cell(c, "-"),
                after,
                timing: Some(c.timing.model()),
                timing_reason: c.reason.clone(),
                exclusion: c.exclusion,
                revision: String::new(),
                paths: vec![c.path.clone()],
            }
        })
        .collect()
}

/// Rows for the changes from `old` to `new` that `new`'s 別添3 does not record yet (same paths
/// and 変更後の記載), dated `date`: what `pia render --since` previews.
pub fn pending_rows(old: &Loaded, new: &Loaded, date: Date) -> Vec<ChangeRow> {
    let changes = super::changes(old, new);
    let mask = |s: &mut String| {
        if let std::borrow::Cow::Owned(m) = crate::personal::redact(s) {
            *s = m;
        }
    };
    rows(&changes, date)
        .into_iter()
        // Rows printed in 別添3: what looks like a 個人番号 is masked as in every output.
        .map(|mut r| {
            mask(&mut r.item);
            mask(&mut r.before);
            mask(&mut r.after);
            r
        })
        .filter(|r| {
            !new.assessment
                .changes
                .iter()
                .any(|e| e.paths == r.paths && e.after == r.after)
        })
        .collect()
}

/// The file that holds the assessment's `[[changes]]` (else its main file).
pub fn changes_file(new: &Loaded) -> Option<PathBuf> {
    new.sources
        .file_of("changes")
        .map(Path::to_path_buf)
        .or_else(|| new.sources.files.first().map(|f| f.path.clone()))
}

/// Result of `--record`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub file: PathBuf,
    /// Rows appended (rows already present are skipped).
    pub added: usize,
    pub skipped: usize,
    /// `[[pending]]` notes used for the rows and removed from their files: (file, note path).
    pub consumed: Vec<(PathBuf, String)>,
}

fn row_table(form: &crate::form::Form, r: &ChangeRow) -> Table {
    let mut t = Table::new();
    if let Some(dt) = r
        .changed_on
        .and_then(|d| d.to_string().parse::<toml_edit::Datetime>().ok())
    {
        t["changed_on"] = value(dt);
    }
    t["item"] = value(r.item.as_str());
    t["before"] = value(r.before.as_str());
    t["after"] = value(r.after.as_str());
    if let Some(timing) = r.timing {
        t["timing"] = value(form.text(timing));
    }
    t["timing_reason"] = value(r.timing_reason.as_str());
    if let Some(ex) = r.exclusion {
        t["exclusion"] = value(form.text(ex));
    }
    if !r.revision.is_empty() {
        t["revision"] = value(r.revision.as_str());
    }
    t["paths"] = value(Array::from_iter(r.paths.iter().map(String::as_str)));
    t
}

/// Appends `rows` to the 別添3 file of `new` (see [`append_rows`]), then removes from their files
/// the `[[pending]]` notes used for the rows ([`consume_notes`]): once recorded, the rows carry
/// the exclusions and reasons, and a note left behind would apply to later changes.
///
/// Concurrent `--record` runs on one assessment serialise on a lock held for both steps; each
/// re-reads the files under the lock, so no run's rows are lost and no note is removed twice.
pub fn record(new: &Loaded, rows: Vec<ChangeRow>) -> Result<Recorded, RecordError> {
    let file = changes_file(new)
        .ok_or_else(|| RecordError("評価書のファイルが見つかりません".to_string()))?;
    let _lock = lock_beside(&file).map_err(RecordError)?;
    let used = used_notes(new, &rows);
    let mut recorded = append_rows(new, &file, rows).map_err(RecordError)?;
    recorded.consumed = consume(new, &used).map_err(RecordError)?;
    Ok(recorded)
}

/// Recording failed: why, in Japanese (exit code 2). Nothing was written, or the rows were
/// written and the notes could not be removed (the message says which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError(pub String);

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RecordError {}

/// A file to rewrite, read under the lock: refused when it is a symlink (it would be replaced by
/// a copy) and read with the loader's bounds.
fn read_for_rewrite(file: &Path) -> Result<String, String> {
    if std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "`{}` はシンボリックリンクのため書き換えません（リンクをファイルに置き換えるおそれがあるため）。リンク先のファイルを include に書いてください",
            file.display()
        ));
    }
    let bytes = crate::guard::read_regular(file, crate::limits::MAX_TOML_BYTES)
        .map_err(|e| e.message(&format!("`{}` ", file.display())))?;
    crate::load::decode_utf8(bytes).map_err(|e| format!("`{}` {e}", file.display()))
}

/// Appends `rows` to the 別添3 file of `new` (`file`, re-read from disk under the caller's lock),
/// skipping rows whose (変更日, paths, 変更後の記載) already exist. The existing text is kept
/// byte for byte: new `[[changes]]` tables are appended at the end (or, for an inline
/// `changes = [...]`, pushed into that array), and the file is written atomically.
fn append_rows(new: &Loaded, file: &Path, rows: Vec<ChangeRow>) -> Result<Recorded, String> {
    let file = file.to_path_buf();
    let (fresh, skipped): (Vec<ChangeRow>, Vec<ChangeRow>) = rows.into_iter().partition(|r| {
        !new.assessment
            .changes
            .iter()
            .any(|e| e.changed_on == r.changed_on && e.paths == r.paths && e.after == r.after)
    });
    // Also drop duplicates within the batch itself.
    let mut unique: Vec<ChangeRow> = Vec::new();
    for r in fresh {
        if !unique
            .iter()
            .any(|u| u.changed_on == r.changed_on && u.paths == r.paths && u.after == r.after)
        {
            unique.push(r);
        }
    }
    if unique.is_empty() {
        return Ok(Recorded {
            file,
            added: 0,
            skipped: skipped.len(),
            consumed: Vec::new(),
        });
    }
    // A symlinked 別添3 file would be replaced by a copy: refused (see docs/limits.md).
    let text = read_for_rewrite(&file)?;
    let crlf = text.contains("\r\n");
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("`{}` を TOML として読み込めません: {e}", file.display()))?;
    // Rows another run recorded after `new` was loaded.
    let present = recorded(&doc);
    let before = unique.len();
    unique.retain(|r| {
        !present.iter().any(|(d, p, a)| {
            *d == r.changed_on && *p == r.paths && *a == r.after.replace("\r\n", "\n")
        })
    });
    let skipped = skipped.len() + (before - unique.len());
    if unique.is_empty() {
        return Ok(Recorded {
            file,
            added: 0,
            skipped,
            consumed: Vec::new(),
        });
    }
    let out = match doc.get_mut("changes") {
        Some(Item::Value(toml_edit::Value::Array(arr))) => {
            for r in &unique {
                arr.push(row_table(&new.form, r).into_inline_table());
            }
            line_ends(&doc.to_string(), crlf)
        }
        Some(Item::ArrayOfTables(_)) | None => {
            let mut aot = ArrayOfTables::new();
            for r in &unique {
                aot.push(row_table(&new.form, r));
            }
            let mut add = DocumentMut::new();
            add["changes"] = Item::ArrayOfTables(aot);
            let mut tail = String::new();
            if !text.is_empty() && !text.ends_with('\n') {
                tail.push('\n');
            }
            if !text.is_empty() {
                tail.push('\n');
            }
            tail.push_str(&add.to_string());
            // The appended rows take the file's own line ends.
            format!("{text}{}", line_ends(&tail, crlf))
        }
        Some(_) => {
            return Err(format!(
                "`{}` の changes が表の配列（[[changes]]）ではありません",
                file.display()
            ));
        }
    };
    out.parse::<DocumentMut>().map_err(|e| {
        format!(
            "追記後の `{}` が TOML として正しくありません（pia の不具合です）: {e}",
            file.display()
        )
    })?;
    write_atomic(&file, out.as_bytes())
        .map_err(|e| format!("`{}` に書き込めません: {e}", file.display()))?;
    Ok(Recorded {
        file,
        added: unique.len(),
        skipped,
        consumed: Vec::new(),
    })
}

/// Indices of the `[[pending]]` notes of `new` used for `rows`: for each row, the note with the
/// longest path among those it agrees with ([`note_used_by`]: covers the row's path, same
/// exclusion, and the note's reason and timing when it gives them).
pub fn used_notes(new: &Loaded, rows: &[ChangeRow]) -> Vec<usize> {
    let notes = &new.assessment.pending;
    let mut used: Vec<usize> = rows
        .iter()
        .filter_map(|r| {
            (0..notes.len())
                .filter(|&k| note_used_by(&notes[k], r))
                .fold(None, |best: Option<usize>, k| match best {
                    Some(b) if notes[b].path.trim().len() >= notes[k].path.trim().len() => Some(b),
                    _ => Some(k),
                })
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    used
}

/// Removes the `[[pending]]` notes `used` (indices into `new`'s notes) from the files that hold
/// them, with toml_edit: every other byte of each file stays as it was; each file is written
/// atomically. A note is found by its place among the notes of its file and must still carry
/// the same `path` (else the file changed since it was loaded: nothing is removed from it).
pub fn consume_notes(new: &Loaded, used: &[usize]) -> Result<Vec<(PathBuf, String)>, RecordError> {
    consume(new, used).map_err(RecordError)
}

fn consume(new: &Loaded, used: &[usize]) -> Result<Vec<(PathBuf, String)>, String> {
    // (file index in the sources, index among that file's notes, note index)
    let mut places: Vec<(usize, usize, usize)> = Vec::new();
    for &k in used {
        let Some(loc) = new.sources.loc(&format!("pending[{k}]")) else {
            continue;
        };
        let local = (0..k)
            .filter(|m| {
                new.sources
                    .loc(&format!("pending[{m}]"))
                    .is_some_and(|l| l.file == loc.file)
            })
            .count();
        places.push((loc.file, local, k));
    }
    let mut consumed = Vec::new();
    let mut files: Vec<usize> = places.iter().map(|p| p.0).collect();
    files.sort_unstable();
    files.dedup();
    for f in files {
        let file = new.sources.files[f].path.clone();
        let text = read_for_rewrite(&file)?;
        let mut doc: DocumentMut = text
            .parse()
            .map_err(|e| format!("`{}` を TOML として読み込めません: {e}", file.display()))?;
        let mut here: Vec<(usize, usize)> = places
            .iter()
            .filter(|p| p.0 == f)
            .map(|p| (p.1, p.2))
            .collect();
        here.sort_unstable_by_key(|p| std::cmp::Reverse(p.0)); // remove from the end
        let stale = || {
            format!(
                "`{}` の [[pending]] が読み込み後に変更されたため、使った申告を削除できません",
                file.display()
            )
        };
        let path_of = |t: Option<&str>| t.map(str::trim).unwrap_or_default().to_string();
        match doc.get_mut("pending") {
            Some(Item::ArrayOfTables(aot)) => {
                for &(local, k) in &here {
                    let want = new.assessment.pending[k].path.trim();
                    let found = path_of(
                        aot.get(local)
                            .and_then(|t| t.get("path"))
                            .and_then(Item::as_str),
                    );
                    if found != want {
                        return Err(stale());
                    }
                    aot.remove(local);
                    consumed.push((file.clone(), want.to_string()));
                }
            }
            Some(Item::Value(toml_edit::Value::Array(arr))) => {
                for &(local, k) in &here {
                    let want = new.assessment.pending[k].path.trim();
                    let found = path_of(
                        arr.get(local)
                            .and_then(toml_edit::Value::as_inline_table)
                            .and_then(|t| t.get("path"))
                            .and_then(toml_edit::Value::as_str),
                    );
                    if found != want {
                        return Err(stale());
                    }
                    arr.remove(local);
                    consumed.push((file.clone(), want.to_string()));
                }
            }
            _ => return Err(stale()),
        }
        // `pending = []` left empty: the key goes too.
        if let Some(Item::Value(toml_edit::Value::Array(a))) = doc.get("pending")
            && a.is_empty()
        {
            doc.remove("pending");
        }
        let mut out = doc.to_string();
        // toml_edit writes "\n" between items: a file written with CRLF throughout stays so.
        if text.contains("\r\n") && text.matches('\n').count() == text.matches("\r\n").count() {
            out = out.replace("\r\n", "\n").replace('\n', "\r\n");
        }
        write_atomic(&file, out.as_bytes())
            .map_err(|e| format!("`{}` に書き込めません: {e}", file.display()))?;
    }
    consumed.sort();
    Ok(consumed)
}

/// `text` with CRLF line ends when `crlf` (a file checked out on Windows keeps them).
fn line_ends(text: &str, crlf: bool) -> String {
    let lf = text.replace("\r\n", "\n");
    if crlf { lf.replace('\n', "\r\n") } else { lf }
}

/// (変更日, paths, 変更後の記載) of the rows already in the file's `changes`.
fn recorded(doc: &DocumentMut) -> Vec<(Option<Date>, Vec<String>, String)> {
    fn key(get: &dyn Fn(&str) -> Option<toml_edit::Value>) -> (Option<Date>, Vec<String>, String) {
        let date = get("changed_on")
            .and_then(|v| v.as_datetime().map(|d| d.to_string()))
            .and_then(|s| s.parse::<Date>().ok());
        let paths = get("paths")
            .and_then(|v| {
                v.as_array().map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
            })
            .unwrap_or_default();
        let after = get("after")
            .and_then(|v| v.as_str().map(|s| s.replace("\r\n", "\n")))
            .unwrap_or_default();
        (date, paths, after)
    }
    match doc.get("changes") {
        Some(Item::ArrayOfTables(aot)) => aot
            .iter()
            .map(|t| key(&|k| t.get(k).and_then(|i| i.as_value().cloned())))
            .collect(),
        Some(Item::Value(toml_edit::Value::Array(arr))) => arr
            .iter()
            .filter_map(|v| v.as_inline_table())
            .map(|t| key(&|k| t.get(k).cloned()))
            .collect(),
        _ => Vec::new(),
    }
}

/// An exclusive lock that serialises `--record` runs on one directory: on the directory itself
/// (Unix; no file is left behind), else on `.pia-record.lock` beside the file. Waits at most
/// [`crate::limits::RECORD_LOCK_WAIT`].
pub fn lock_beside(file: &Path) -> Result<std::fs::File, String> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    #[cfg(unix)]
    let lock = std::fs::File::open(dir);
    #[cfg(not(unix))]
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".pia-record.lock"));
    let lock = lock.map_err(|e| {
        format!(
            "`{}` を排他制御のために開けません（{}）",
            dir.display(),
            crate::guard::io_ja(&e)
        )
    })?;
    let start = std::time::Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(lock),
            Err(std::fs::TryLockError::WouldBlock)
                if start.elapsed() < crate::limits::RECORD_LOCK_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(format!(
                    "`{}` では別の pia diff --record が {} 秒以上実行中のため、書き込みませんでした",
                    dir.display(),
                    crate::limits::RECORD_LOCK_WAIT.as_secs()
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(format!(
                    "`{}` を排他制御できません（{}）",
                    dir.display(),
                    crate::guard::io_ja(&e)
                ));
            }
        }
    }
}

/// Whether a row is 事前.
pub fn is_prior(r: &ChangeRow) -> bool {
    r.timing == Some(Timing::Prior.model())
}
