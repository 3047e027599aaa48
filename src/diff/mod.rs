//! `pia diff`: two revisions of an assessment → item-level changes → 事前/事後 → 別添3 rows.
//!
//! The comparison is driven by the form definition ([`crate::form`]): both models are serialised
//! to JSON and walked item by item in printed order ([`tree`]). Repeated blocks are matched by a
//! stable key (file name, system name, 委託事項 id/title, 提供先 id/name, …), then by content, so
//! a renamed block is one change of its name item; a new order of numbered blocks (システム,
//! 委託事項, 提供先, 移転先) is one change of the list. Each change is classified per spec §C.6
//! ([`classify`]) with the author's declarations: the `[[pending]]` notes that apply (not stale,
//! not refused) and the 別添3 rows added since the old revision. Changes are rendered for people
//! ([`output`]) and can be appended to 別添3 ([`record`], which consumes the notes it used).
//! `pia check --since` runs the two-revision rules (`check::since`).

pub mod classify;
pub mod git;
pub mod output;
pub mod record;
pub mod text;
pub mod tree;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::model::Exclusion;

pub use classify::{NoteState, Reassessment, Step, ThresholdChange};
pub use record::{pending_rows, rows};
pub use text::{Line, Piece};

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The item was filled in both revisions and differs.
    Changed,
    /// The item (or repeated block) is new.
    Added,
    /// The item (or repeated block) was removed.
    Removed,
}

impl ChangeKind {
    pub fn japanese(self) -> &'static str {
        match self {
            ChangeKind::Changed => "変更",
            ChangeKind::Added => "追加",
            ChangeKind::Removed => "削除",
        }
    }
}

/// 提出時期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Timing {
    #[serde(rename = "事前")]
    Prior,
    #[serde(rename = "事後")]
    Posterior,
}

impl Timing {
    /// 「事前」「事後」: the values of the JSON output (docs/diff-json.md) and of the human and
    /// Markdown listings.
    pub fn japanese(self) -> &'static str {
        match self {
            Timing::Prior => "事前",
            Timing::Posterior => "事後",
        }
    }
    pub fn model(self) -> crate::model::Timing {
        match self {
            Timing::Prior => crate::model::Timing::Before,
            Timing::Posterior => crate::model::Timing::After,
        }
    }
}

/// One changed item between two revisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The item as the form prints it, with the new revision's block numbers.
    pub item: String,
    /// TOML path in the new revision (in the old revision for removed items).
    pub path: String,
    /// TOML path in the old revision ("" for added items).
    pub old_path: String,
    pub kind: ChangeKind,
    /// Printed text before the change ("" when added).
    pub before: String,
    /// Printed text after the change ("" when removed).
    pub after: String,
    /// The form marks the item ※ (a candidate 重要な変更).
    pub star: bool,
    /// 重要な変更: ※ and no exclusion declared.
    pub important: bool,
    pub timing: Timing,
    /// 提出時期に係る説明.
    pub reason: String,
    /// The exclusion declared in `[[pending]]`, if any.
    #[serde(skip)]
    pub exclusion: Option<Exclusion>,
    /// The exclusion as the form words it (「法令改正に伴う条項の変更」), for the outputs.
    #[serde(rename = "exclusion")]
    pub exclusion_text: Option<String>,
    /// Whether the change needs a 別添3 row (false for 公表日, 承認日 and Ⅵ, which record the
    /// procedure itself: D-24).
    pub row: bool,
    /// Changed lines with a little context, changed characters marked.
    pub excerpt: Vec<Line>,
    /// The `[[pending]]` note (index in the new revision) that classified the change.
    #[serde(skip)]
    pub note: Option<usize>,
}

/// The comparison of two revisions.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// How the old revision was named on the command line.
    pub from: String,
    /// How the new revision was named on the command line.
    pub to: String,
    pub changes: Vec<Change>,
    pub threshold: ThresholdChange,
    pub reassessment: Reassessment,
    /// Refused and stale `[[pending]]` notes (not part of the JSON output).
    #[serde(skip)]
    pub notes: NoteReport,
    /// How the new revision's form names its table of changes (「別添３」), for messages.
    #[serde(skip)]
    pub changes_name: String,
}

/// What is wrong with the `[[pending]]` notes of the new revision.
#[derive(Debug, Clone, Default)]
pub struct NoteReport {
    /// Notes `pia diff` must refuse (exit 2): PIA-E227 (no change uses the note), PIA-E228 (an
    /// exclusion over a whole section or file). Refused notes are never applied.
    pub refused: Vec<Diagnostic>,
    /// Stale notes (PIA-W229): in the old revision already and used for its 別添3; not applied.
    pub stale: Vec<Diagnostic>,
}

impl Report {
    /// Whether anything must be submitted before the change takes effect (a 重要な変更, a
    /// voluntary 事前 submission, or a rise of the しきい値判断).
    pub fn prior_required(&self) -> bool {
        self.changes.iter().any(|c| c.timing == Timing::Prior) || self.threshold.rose
    }
    pub fn important_count(&self) -> usize {
        self.changes.iter().filter(|c| c.important).count()
    }
    pub fn prior_count(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.timing == Timing::Prior)
            .count()
    }
}

/// Compares two loaded revisions.
pub fn compare(old: &Loaded, new: &Loaded, from: &str, to: &str) -> Report {
    let (changes, states) = classified(old, new);
    let notes = classify::note_diagnostics(new, &changes, &states, old, from);
    let threshold = classify::threshold_change(old, new);
    let reassessment = classify::reassessment(
        &new.form,
        &changes,
        &threshold,
        &old.assessment,
        &new.assessment,
    );
    Report {
        from: from.to_string(),
        to: to.to_string(),
        changes,
        threshold,
        reassessment,
        notes,
        changes_name: new.form.changes_name.clone(),
    }
}

/// The changes only (no threshold or procedure analysis).
pub fn changes(old: &Loaded, new: &Loaded) -> Vec<Change> {
    classified(old, new).0
}

/// The classified changes and the state of each `[[pending]]` note of `new`.
pub(crate) fn classified(old: &Loaded, new: &Loaded) -> (Vec<Change>, Vec<classify::NoteState>) {
    let states = classify::note_states(&new.form, &old.assessment, &new.assessment);
    let decls = classify::declarations(&old.assessment, &new.assessment, &states);
    (
        classify::classify(&new.form, raw_changes(old, new), &decls),
        states,
    )
}

/// The item-level changes, plus a changed 別添1 figure file whose path stayed the same.
fn raw_changes(old: &Loaded, new: &Loaded) -> Vec<tree::RawChange> {
    let mut raw = tree::diff(old, new);
    let (of, nf) = (
        &old.assessment.basic.attachment1.figure,
        &new.assessment.basic.attachment1.figure,
    );
    if !nf.is_empty()
        && of == nf
        && let (Some(a), Some(b)) = (old.sources.figure_digest, new.sources.figure_digest)
        && a != b
    {
        let path = "basic.attachment1.figure";
        // In printed order: after the other changes of the cover and Ⅰ.
        let at = raw
            .iter()
            .rposition(|c| c.path.starts_with("cover.") || c.path.starts_with("basic."))
            .map_or(0, |i| i + 1);
        raw.insert(
            at,
            tree::RawChange {
                item: new.form.printed_path(path, &[]),
                path: path.to_string(),
                old_path: path.to_string(),
                kind: ChangeKind::Changed,
                before: format!("図「{of}」"),
                after: format!("図「{nf}」（図の内容を変更）"),
                star: new.form.is_star(path),
                excerpt: Vec::new(),
            },
        );
    }
    raw
}
