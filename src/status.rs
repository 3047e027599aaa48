//! `pia status`: where every assessment of a repository stands in its cycle — stage, kind of
//! assessment, 公表日, last and next yearly review, the 5-year 再実施, findings, and how much
//! of the form is filled in — as one line each, as JSON (`docs/status-json.md`) or as an
//! iCalendar file of the due dates (RFC 5545).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::check::{self, Ctx, Options, is_filled, lookup, placeholder};
use crate::form::Kind;
use crate::load::{Loaded, MAIN_FILE};
use crate::model::{Choice, Date, Review, Stage};
use crate::review;
use crate::threshold::{self, Obliged};

/// Directories never searched for assessments.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];
/// How deep [`find`] looks below the directory it is given.
const MAX_DEPTH: usize = 16;

/// Every directory under `root` (itself included) that holds an `assessment.toml`, sorted;
/// hidden directories, `target` and symbolic links are not entered.
pub fn find(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        if dir.join(MAIN_FILE).is_file() {
            out.push(dir.to_path_buf());
        }
        if depth >= MAX_DEPTH {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut subs: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_str())
            })
            .map(|e| e.path())
            .collect();
        subs.sort();
        for s in subs {
            walk(&s, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(root, 0, &mut out);
    // `kanto` rather than `./kanto`.
    for p in &mut out {
        if let Ok(rel) = p.strip_prefix(".")
            && !rel.as_os_str().is_empty()
        {
            *p = rel.to_path_buf();
        }
    }
    out
}

/// Items answered and required in one part of the form (表紙, Ⅰ … Ⅵ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// 「Ⅰ」, or the label of an unnumbered part (「表紙」).
    pub part: String,
    /// 「基本情報」 ("" for an unnumbered part).
    pub title: String,
    pub answered: usize,
    pub required: usize,
}

/// How much of the form is filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filled {
    pub answered: usize,
    pub required: usize,
    pub parts: Vec<Part>,
}

/// What is due and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// The yearly review (見直し).
    Review,
    /// The 再実施 within 5 years.
    Reassessment,
}

impl DueKind {
    pub fn id(self) -> &'static str {
        match self {
            DueKind::Review => "review",
            DueKind::Reassessment => "reassessment",
        }
    }
    pub fn japanese(self) -> &'static str {
        match self {
            DueKind::Review => "年1回の見直し",
            DueKind::Reassessment => "5年以内の再実施",
        }
    }
}

/// One assessment's place in the cycle.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The directory (as found).
    pub path: PathBuf,
    pub readable: bool,
    pub assessment_number: Option<u32>,
    pub title: String,
    pub stage: Stage,
    /// The stage as the form words it.
    pub stage_text: String,
    /// The obliged assessment from the しきい値判断 (`None` when `[threshold]` is incomplete).
    pub obliged: Option<Obliged>,
    pub published_on: Option<Date>,
    pub last_review: Option<Review>,
    pub next_review_due: Option<Date>,
    /// The latest 再実施, the TOML path of the item that dates it and that item as printed.
    pub reassessment: Option<(Date, String, String)>,
    pub reassessment_due: Option<Date>,
    pub errors: usize,
    pub warnings: usize,
    pub filled: Filled,
    /// What is past its due date on `today`.
    pub overdue: Vec<DueKind>,
}

impl Entry {
    /// The due dates, in date order.
    pub fn dues(&self) -> Vec<(DueKind, Date)> {
        let mut v: Vec<(DueKind, Date)> = [
            self.next_review_due.map(|d| (DueKind::Review, d)),
            self.reassessment_due.map(|d| (DueKind::Reassessment, d)),
        ]
        .into_iter()
        .flatten()
        .collect();
        v.sort_by_key(|(_, d)| *d);
        v
    }
}

/// Short name of an obliged assessment (「全項目評価」).
pub fn kind_name(o: Obliged) -> &'static str {
    match o {
        Obliged::BasicAndFull => "全項目評価",
        Obliged::BasicAndFocused => "重点項目評価",
        Obliged::Basic => "基礎項目評価",
        Obliged::None => "評価の義務なし",
    }
}

/// The entry of an assessment that could not be read.
pub fn unreadable(path: &Path, errors: usize) -> Entry {
    Entry {
        path: path.to_path_buf(),
        readable: false,
        assessment_number: None,
        title: String::new(),
        stage: Stage::Final,
        stage_text: String::new(),
        obliged: None,
        published_on: None,
        last_review: None,
        next_review_due: None,
        reassessment: None,
        reassessment_due: None,
        errors,
        warnings: 0,
        filled: Filled::default(),
        overdue: Vec::new(),
    }
}

/// The entry of a loaded assessment on `today`.
pub fn entry(path: &Path, loaded: &Loaded, today: Date) -> Entry {
    let opts = Options {
        today: Some(today),
        ..Default::default()
    };
    let diagnostics = check::check(loaded, &opts);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    // The document as it stands at its stage (a 案 has no 公表日 yet).
    let staged = crate::stage::view(loaded);
    let at_stage = staged.as_ref().unwrap_or(loaded);
    let a = &at_stage.assessment;
    let stage = a.meta.stage();
    let next_review_due = review::review_due(a);
    let reassessment = review::latest_reassessment(a)
        .map(|(d, p)| (d, p.to_string(), loaded.form.printed_path(p, &[])));
    let reassessment_due = review::reassessment_due(a);
    let mut overdue = Vec::new();
    if next_review_due.is_some_and(|d| today > d) {
        overdue.push(DueKind::Review);
    }
    if reassessment_due.is_some_and(|d| today >= d) {
        overdue.push(DueKind::Reassessment);
    }
    Entry {
        path: path.to_path_buf(),
        readable: true,
        assessment_number: a.cover.assessment_number,
        title: a.cover.title.trim().to_string(),
        stage,
        stage_text: crate::stage::text(&loaded.form, stage).to_string(),
        obliged: threshold::decide_for(&loaded.form, &a.threshold).map(|d| d.obliged),
        published_on: a.cover.published_on,
        last_review: review::last_review_index(a).map(|i| a.meta.reviews[i].clone()),
        next_review_due,
        reassessment,
        reassessment_due,
        errors,
        warnings: diagnostics.len() - errors,
        filled: filled(loaded),
        overdue,
    }
}

/// Items answered / items required, per part: the leaves D-1 asks for at the document's stage
/// (not optional, not left out by a condition or by the stage, not tool-only), answered when
/// they hold something other than a placeholder (「TODO」, 「検討中」 …).
pub fn filled(loaded: &Loaded) -> Filled {
    let left_out = crate::stage::absent_items(loaded);
    let staged = crate::stage::view(loaded);
    let at_stage = staged.as_ref().unwrap_or(loaded);
    let opts = Options::default();
    let ctx = Ctx::new(at_stage, &opts);
    let form = ctx.form;
    let mut parts: Vec<Part> = Vec::new();
    for node in form
        .nodes
        .iter()
        .filter(|n| n.k.is_leaf() && !n.tool && !n.computed && !n.opt && n.k != Kind::Check)
    {
        // The part: the nearest section above the item.
        let mut p = node.p.as_str();
        let section = loop {
            p = crate::path::parent_pattern(p);
            match form.node(p) {
                Some(n) if n.k == Kind::Section => break Some(n),
                _ if p.is_empty() => break None,
                _ => {}
            }
        };
        let Some(section) = section else { continue };
        for path in crate::path::expand(&ctx.json, &node.p) {
            if left_out.contains(&path)
                || crate::check::rules::d01_completeness::exempt(&ctx, &path)
                || !form.required_by_sibling(node, &path, |q| {
                    lookup(&ctx.json, q).and_then(Value::as_str)
                })
            {
                continue;
            }
            let value = lookup(&ctx.json, &path);
            let answered = is_filled(value)
                && value
                    .and_then(Value::as_str)
                    .is_none_or(|s| placeholder(s).is_none());
            let (part, title) = (section.l.clone(), section.t.clone().unwrap_or_default());
            let slot = match parts.iter().position(|x| x.part == part) {
                Some(i) => &mut parts[i],
                None => {
                    parts.push(Part {
                        part,
                        title,
                        answered: 0,
                        required: 0,
                    });
                    parts.last_mut().expect("just pushed")
                }
            };
            slot.required += 1;
            if answered {
                slot.answered += 1;
            }
        }
    }
    Filled {
        answered: parts.iter().map(|p| p.answered).sum(),
        required: parts.iter().map(|p| p.required).sum(),
        parts,
    }
}

fn date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

/// The JSON output (`docs/status-json.md`).
pub fn to_json(entries: &[Entry], today: Date) -> String {
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "path": e.path.display().to_string(),
                "readable": e.readable,
                "assessment_number": e.assessment_number,
                "title": e.title,
                "stage": if e.readable { json!({ "id": e.stage.id(), "text": e.stage_text }) } else { Value::Null },
                "assessment_kind": e.obliged.map_or(Value::Null, |o| json!({
                    "id": o.result_option().id(),
                    "text": kind_name(o),
                })),
                "published_on": date(e.published_on),
                "last_review": e.last_review.as_ref().map_or(Value::Null, |r| json!({
                    "date": date(r.date),
                    "result": r.result,
                    "reviewer": r.reviewer,
                })),
                "next_review_due": date(e.next_review_due),
                "reassessment": e.reassessment.as_ref().map_or(Value::Null, |(d, p, item)| json!({
                    "latest": d.to_string(),
                    "basis": p,
                    "basis_item": item,
                    "due": date(e.reassessment_due),
                })),
                "overdue": e.overdue.iter().map(|k| k.id()).collect::<Vec<_>>(),
                "errors": e.errors,
                "warnings": e.warnings,
                "filled": {
                    "answered": e.filled.answered,
                    "required": e.filled.required,
                    "parts": e.filled.parts.iter().map(|p| json!({
                        "part": p.part,
                        "title": p.title,
                        "answered": p.answered,
                        "required": p.required,
                    })).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    let out = json!({
        "version": 1,
        "today": today.to_string(),
        "assessments": list,
        "overdue": entries.iter().filter(|e| !e.overdue.is_empty()).count(),
        "unreadable": entries.iter().filter(|e| !e.readable).count(),
    });
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

/// Escapes an iCalendar TEXT value (RFC 5545 §3.3.11).
pub fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1),
/// with CRLF line ends.
pub fn ics_line(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0; // octets on the current physical line
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// A stable identifier for an assessment's events (the same path gives the same UID).
fn uid(e: &Entry, kind: DueKind) -> String {
    let digest = crate::provider::fnv1a64(e.path.display().to_string().as_bytes());
    format!("{}-{digest:016x}@pia", kind.id())
}

/// The due dates as an iCalendar file (RFC 5545): one all-day event per due date (the yearly
/// review, the 5-year 再実施) of each readable assessment. `DTSTAMP` is `today` (so the same
/// input gives the same bytes).
pub fn to_ics(entries: &[Entry], today: Date) -> String {
    let stamp = format!(
        "{:04}{:02}{:02}T000000Z",
        today.year(),
        today.month(),
        today.day()
    );
    let day = |d: Date| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//pia//pia status//JA".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", ics_text("特定個人情報保護評価の期限")),
    ];
    for e in entries.iter().filter(|e| e.readable) {
        let name = match e.assessment_number {
            Some(n) => format!("評価書番号{n}「{}」", e.title),
            None => format!("「{}」", e.title),
        };
        for (kind, due) in e.dues() {
            let (summary, what) = match kind {
                DueKind::Review => (
                    format!("{}の期限: {}", kind.japanese(), e.title),
                    format!(
                        "{}から1年。見直したら pia review {} --date <実施日> --result \"変更なし\" で記録します。",
                        match (&e.last_review, e.published_on) {
                            (Some(r), Some(p)) if r.date.is_some_and(|d| d >= p) => format!(
                                "最後の見直し（{}）",
                                r.date.map(|d| d.to_string()).unwrap_or_default()
                            ),
                            (_, Some(p)) => format!("公表日（{p}）"),
                            _ => String::new(),
                        },
                        e.path.display()
                    ),
                ),
                DueKind::Reassessment => (
                    format!("{}の期限: {}", kind.japanese(), e.title),
                    format!(
                        "直近の再実施（{}）から5年。期限の前に評価を再実施するよう努めます（規則第15条）。",
                        e.reassessment
                            .as_ref()
                            .map(|(d, _, item)| format!("{item} {d}"))
                            .unwrap_or_default()
                    ),
                ),
            };
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}", uid(e, kind)));
            lines.push(format!("DTSTAMP:{stamp}"));
            lines.push(format!("DTSTART;VALUE=DATE:{}", day(due)));
            lines.push(format!(
                "DTEND;VALUE=DATE:{}",
                day(Date(due.0.tomorrow().unwrap_or(due.0)))
            ));
            lines.push(format!("SUMMARY:{}", ics_text(&summary)));
            lines.push(format!(
                "DESCRIPTION:{}",
                ics_text(&format!("{name}（{}）\n{what}", e.path.display()))
            ));
            lines.push("TRANSP:TRANSPARENT".into());
            lines.push("END:VEVENT".into());
        }
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| ics_line(l)).collect()
}
