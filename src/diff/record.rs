//! 別添3 rows from the history: one row per changed item, and `pia diff --record`, which appends
//! them to the file that holds `[[changes]]` without touching the rest of it.

use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::{Change, ChangeKind, Timing};
use crate::load::Loaded;
use crate::model::{ChangeRow, Choice, Date};
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
    rows(&changes, date)
        .into_iter()
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
}

fn row_table(r: &ChangeRow) -> Table {
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
        t["timing"] = value(timing.text());
    }
    t["timing_reason"] = value(r.timing_reason.as_str());
    if let Some(ex) = r.exclusion {
        t["exclusion"] = value(ex.text());
    }
    if !r.revision.is_empty() {
        t["revision"] = value(r.revision.as_str());
    }
    t["paths"] = value(Array::from_iter(r.paths.iter().map(String::as_str)));
    t
}

/// Appends `rows` to the 別添3 file of `new` (read from disk), skipping rows whose
/// (変更日, paths, 変更後の記載) already exist. The existing text is kept byte for byte: new
/// `[[changes]]` tables are appended at the end (or, for an inline `changes = [...]`, pushed
/// into that array), and the file is written atomically.
pub fn record(new: &Loaded, rows: Vec<ChangeRow>) -> Result<Recorded, String> {
    let file = changes_file(new).ok_or_else(|| "評価書のファイルが見つかりません".to_string())?;
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
        });
    }
    // A symlinked 別添3 file would be replaced by a copy: refused (see docs/limits.md).
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "`{}` はシンボリックリンクのため、別添３の行を追記しません（リンクをファイルに置き換えるおそれがあるため）。リンク先のファイルを include に書いてください",
            file.display()
        ));
    }
    // Concurrent `--record` runs serialise here; each re-reads the file under the lock, so no
    // run's rows are lost.
    let _lock = lock_beside(&file)?;
    let bytes = crate::guard::read_regular(&file, crate::limits::MAX_TOML_BYTES)
        .map_err(|e| e.message(&format!("`{}` ", file.display())))?;
    let text = crate::load::decode_utf8(bytes).map_err(|e| format!("`{}` {e}", file.display()))?;
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
        });
    }
    let out = match doc.get_mut("changes") {
        Some(Item::Value(toml_edit::Value::Array(arr))) => {
            for r in &unique {
                arr.push(row_table(r).into_inline_table());
            }
            line_ends(&doc.to_string(), crlf)
        }
        Some(Item::ArrayOfTables(_)) | None => {
            let mut aot = ArrayOfTables::new();
            for r in &unique {
                aot.push(row_table(r));
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
    })
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
fn lock_beside(file: &Path) -> Result<std::fs::File, String> {
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
