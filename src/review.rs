//! The dates of the cycle after publication: the yearly review (見直し, at least once a year
//! after the 公表日 or the last review) and the 5-year 再実施 (counted from the latest 再実施),
//! and `pia review`, which records a review as `[[meta.reviews]]`.
//!
//! `pia check` (D-26: PIA-W260, PIA-W261) and `pia status` read the same dates from here.

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::load::Loaded;
use crate::model::{Assessment, Date, OrgKind, Review};
use crate::write::write_atomic;

/// Months from the latest 再実施 to the 5-year limit.
pub const REASSESSMENT_MONTHS: i32 = 60;
/// Months from the latest 再実施 after which `check` starts to warn (4 years 6 months).
pub const REASSESSMENT_WARN_MONTHS: i32 = 54;
/// Months from the 公表日 or the last review to the next review.
pub const REVIEW_MONTHS: i32 = 12;

/// The latest 再実施 and the item that dates it: the approval (行政機関等), the 第三者点検
/// (地方公共団体等), else the 基礎項目評価.
pub fn latest_reassessment(a: &Assessment) -> Option<(Date, &'static str)> {
    let basic = a
        .procedure
        .basic_assessment
        .date
        .map(|d| (d, "procedure.basic_assessment.date"));
    match a.meta.org_kind {
        Some(OrgKind::Gov) => a
            .cover
            .ppc_approved_on
            .map(|d| (d, "cover.ppc_approved_on"))
            .or_else(|| {
                a.procedure
                    .ppc_approval
                    .submitted_on
                    .map(|d| (d, "procedure.ppc_approval.submitted_on"))
            })
            .or(basic),
        Some(OrgKind::LocalGov) => a
            .procedure
            .third_party_review
            .date
            .map(|d| (d, "procedure.third_party_review.date"))
            .or(basic),
        None => basic,
    }
}

/// The day by which the next 再実施 is due (5 years after the latest one).
pub fn reassessment_due(a: &Assessment) -> Option<Date> {
    latest_reassessment(a).map(|(d, _)| d.plus_months(REASSESSMENT_MONTHS))
}

/// What the yearly review counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewBasis {
    /// The 公表日 (no review since).
    Published(Date),
    /// The last recorded review (`meta.reviews[index]`), on or after the 公表日.
    Reviewed { date: Date, index: usize },
}

impl ReviewBasis {
    pub fn date(self) -> Date {
        match self {
            ReviewBasis::Published(d) | ReviewBasis::Reviewed { date: d, .. } => d,
        }
    }
    /// The TOML path of the date.
    pub fn path(self) -> String {
        match self {
            ReviewBasis::Published(_) => "cover.published_on".to_string(),
            ReviewBasis::Reviewed { index, .. } => format!("meta.reviews[{index}].date"),
        }
    }
}

/// The index of the last review (latest date; the last written among equal dates).
pub fn last_review_index(a: &Assessment) -> Option<usize> {
    let mut best: Option<(usize, Date)> = None;
    for (i, r) in a.meta.reviews.iter().enumerate() {
        if let Some(d) = r.date
            && best.is_none_or(|(_, b)| d >= b)
        {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

/// What the next yearly review counts from: the later of the 公表日 and the last review (a
/// review before the 公表日 was of an earlier version). `None` before the first publication.
pub fn review_basis(a: &Assessment) -> Option<ReviewBasis> {
    let published = a.cover.published_on?;
    let reviewed = last_review_index(a).and_then(|i| {
        let date = a.meta.reviews[i].date?;
        (date >= published).then_some(ReviewBasis::Reviewed { date, index: i })
    });
    Some(reviewed.unwrap_or(ReviewBasis::Published(published)))
}

/// The day by which the next yearly review is due (1 year after [`review_basis`]).
pub fn review_due(a: &Assessment) -> Option<Date> {
    review_basis(a).map(|b| b.date().plus_months(REVIEW_MONTHS))
}

/// What `pia review` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub file: PathBuf,
    /// false: the same review (date and result) was recorded already; nothing was written.
    pub added: bool,
}

/// The file that holds the assessment's reviews (else its `[meta]`, else its main file).
pub fn reviews_file(loaded: &Loaded) -> Option<PathBuf> {
    loaded
        .sources
        .file_of("meta.reviews[0]")
        .or_else(|| loaded.sources.file_of("meta"))
        .map(Path::to_path_buf)
        .or_else(|| loaded.sources.files.first().map(|f| f.path.clone()))
}

/// Appends `review` as a `[[meta.reviews]]` table to [`reviews_file`], keeping every existing
/// byte of the file: the table goes at the end (or, for an inline `reviews = [...]` in `[meta]`,
/// into that array). Written atomically, under the lock of `pia diff --record`; the file is
/// re-read under the lock. A review with the same date and result is not added twice.
pub fn record(loaded: &Loaded, review: &Review) -> Result<Recorded, String> {
    let file =
        reviews_file(loaded).ok_or_else(|| "評価書のファイルが見つかりません".to_string())?;
    let _lock = crate::diff::record::lock_beside(&file)?;
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "`{}` はシンボリックリンクのため書き換えません（リンクをファイルに置き換えるおそれがあるため）",
            file.display()
        ));
    }
    let text = crate::guard::read_regular(&file, crate::limits::MAX_TOML_BYTES)
        .map_err(|e| e.message(&format!("`{}` ", file.display())))
        .and_then(|b| {
            crate::load::decode_utf8(b).map_err(|e| format!("`{}` {e}", file.display()))
        })?;
    let doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("`{}` を TOML として読み込めません: {e}", file.display()))?;
    let same = |d: Option<String>, r: Option<String>| {
        d == review.date.map(|d| d.to_string()) && r.as_deref() == Some(review.result.as_str())
    };
    let crlf = text.contains("\r\n");
    let existing = doc.get("meta").and_then(|m| m.get("reviews"));
    let out = match existing {
        Some(Item::ArrayOfTables(aot)) => {
            if aot.iter().any(|t| {
                same(
                    t.get("date")
                        .and_then(Item::as_value)
                        .and_then(|v| v.as_datetime())
                        .map(|d| d.to_string()),
                    t.get("result").and_then(Item::as_str).map(str::to_string),
                )
            }) {
                return Ok(Recorded { file, added: false });
            }
            append_table(&text, review, crlf)
        }
        Some(Item::Value(toml_edit::Value::Array(arr))) => {
            if arr.iter().filter_map(|v| v.as_inline_table()).any(|t| {
                same(
                    t.get("date")
                        .and_then(|v| v.as_datetime())
                        .map(|d| d.to_string()),
                    t.get("result").and_then(|v| v.as_str()).map(str::to_string),
                )
            }) {
                return Ok(Recorded { file, added: false });
            }
            let mut doc = doc;
            if let Some(Item::Value(toml_edit::Value::Array(arr))) =
                doc.get_mut("meta").and_then(|m| m.get_mut("reviews"))
            {
                arr.push(review_table(review).into_inline_table());
            }
            let s = doc.to_string();
            let lf = s.replace("\r\n", "\n");
            if crlf { lf.replace('\n', "\r\n") } else { lf }
        }
        None => append_table(&text, review, crlf),
        Some(_) => {
            return Err(format!(
                "`{}` の meta.reviews が表の配列（[[meta.reviews]]）ではありません",
                file.display()
            ));
        }
    };
    out.parse::<DocumentMut>().map_err(|e| {
        format!(
            "`{}` に [[meta.reviews]] を追記できません（[meta] がインライン表で書かれている等）: {e}",
            file.display()
        )
    })?;
    write_atomic(&file, out.as_bytes())
        .map_err(|e| format!("`{}` に書き込めません: {e}", file.display()))?;
    Ok(Recorded { file, added: true })
}

fn review_table(r: &Review) -> Table {
    let mut t = Table::new();
    if let Some(dt) = r
        .date
        .and_then(|d| d.to_string().parse::<toml_edit::Datetime>().ok())
    {
        t["date"] = value(dt);
    }
    t["result"] = value(r.result.as_str());
    if !r.reviewer.is_empty() {
        t["reviewer"] = value(r.reviewer.as_str());
    }
    t
}

/// `text` with a `[[meta.reviews]]` table appended (in the file's own line ends).
fn append_table(text: &str, r: &Review, crlf: bool) -> String {
    let mut aot = ArrayOfTables::new();
    aot.push(review_table(r));
    let mut meta = Table::new();
    meta.set_implicit(true);
    meta.insert("reviews", Item::ArrayOfTables(aot));
    let mut add = DocumentMut::new();
    add["meta"] = Item::Table(meta);
    let mut tail = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        tail.push('\n');
    }
    if !text.is_empty() {
        tail.push('\n');
    }
    tail.push_str(&add.to_string());
    let tail = tail.replace("\r\n", "\n");
    let tail = if crlf {
        tail.replace('\n', "\r\n")
    } else {
        tail
    };
    format!("{text}{tail}")
}
