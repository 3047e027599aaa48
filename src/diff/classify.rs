//! 事前/事後 classification (spec §C.6), the しきい値判断 before and after, and what a
//! 再実施 needs (spec §B.4, §C.1).

use serde::Serialize;

use super::tree::RawChange;
use super::{Change, Timing};
use crate::diag::Diagnostic;
use crate::form::{Form, Kind};
use crate::load::Loaded;
use crate::model::{Assessment, ChangeRow, Date, Exclusion, OrgKind, PendingNote};
use crate::path::pattern_of;
use crate::threshold::{self, Obliged};

/// Reason printed for a 重要な変更.
pub const REASON_IMPORTANT: &str = "重要な変更";
/// Reason printed for a change to an item the form does not mark ※.
pub const REASON_NOT_STAR: &str = "重要な変更の対象項目ではない";
/// Reason for a non-※ change that the author files 事前 without writing why.
pub const REASON_VOLUNTARY_PRIOR: &str = "重要な変更の対象項目ではないが、事前に提出";
/// Reason for changes that record the procedure itself (no 別添3 row).
pub const REASON_PROCEDURE: &str = "評価実施手続の記録（別添３の対象外）";

/// Items whose change records the assessment procedure itself and needs no 別添3 row (D-24).
pub fn is_procedural(path: &str) -> bool {
    let p = pattern_of(path);
    p == "cover.published_on"
        || p == "cover.ppc_approved_on"
        || p == "procedure"
        || p.starts_with("procedure.")
}

/// Whether a `[[pending]]` path covers a changed path: the same path, or an ancestor of it
/// (`basic.number_use` covers `basic.number_use.legal_basis`); written with or without block
/// indexes (`files[].risk` covers `files[0].risk.use.r1.adequacy`).
pub fn covers(note_path: &str, path: &str) -> bool {
    let note = note_path.trim();
    if note.is_empty() {
        return false;
    }
    let prefix = |p: &str| {
        p == note || p.starts_with(&format!("{note}.")) || p.starts_with(&format!("{note}["))
    };
    prefix(path) || prefix(&pattern_of(path))
}

/// Whether a note's path covers a whole section or a whole 特定個人情報ファイル, which an exclusion
/// may not do (exclusions must name items).
///
/// Precisely: the form node the path names (block indexes ignored) is a `section` node (表紙,
/// Ⅰ…Ⅵ, Ⅱ or Ⅲ of a file, the tool-only tables), or holds one: the whole document (an empty
/// path), `files` and `files[n]` (Ⅱ and Ⅲ of every file, or of one file). Groups
/// (「２．特定個人情報の入手」, 「リスク１」) and items may carry an exclusion.
pub fn covers_whole_section(form: &Form, note_path: &str) -> bool {
    let pattern = pattern_of(note_path.trim());
    form.nodes.iter().any(|n| {
        n.k == Kind::Section
            && (pattern.is_empty()
                || n.p == pattern
                || n.p.starts_with(&format!("{pattern}."))
                || n.p.starts_with(&format!("{pattern}[")))
    })
}

/// Whether a note was used for a 別添3 row: it covers one of the row's paths and the row carries
/// its exclusion, and its reason and timing when the note gives them.
pub fn note_used_by(note: &PendingNote, row: &ChangeRow) -> bool {
    row.paths.iter().any(|p| covers(&note.path, p))
        && row.exclusion == note.exclusion
        && (note.reason.trim().is_empty() || row.timing_reason.trim() == note.reason.trim())
        && (note.timing.is_none() || row.timing == note.timing)
}

/// Indices of the rows of `new` that `old` does not have (rows are compared as a whole).
pub fn added_rows(old: &[ChangeRow], new: &[ChangeRow]) -> Vec<usize> {
    let mut used = vec![false; old.len()];
    let mut out = Vec::new();
    for (j, r) in new.iter().enumerate() {
        match (0..old.len()).find(|&i| !used[i] && old[i] == *r) {
            Some(i) => used[i] = true,
            None => out.push(j),
        }
    }
    out
}

/// What becomes of a `[[pending]]` note of the new revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteState {
    /// Applies to the changes between the two revisions.
    Live,
    /// Already in the old revision and used there for the old revision's 別添3 row `row`: it
    /// belongs to changes recorded before and does not apply to these.
    Stale { row: usize },
    /// An exclusion over a whole section or file ([`covers_whole_section`]): refused, not applied.
    WholeSection,
}

/// The state of each note of `new`, given the old revision.
pub fn note_states(form: &Form, old: &Assessment, new: &Assessment) -> Vec<NoteState> {
    new.pending
        .iter()
        .map(|n| {
            if n.exclusion.is_some() && covers_whole_section(form, &n.path) {
                return NoteState::WholeSection;
            }
            if old.pending.contains(n)
                && let Some(row) = old.changes.iter().position(|r| note_used_by(n, r))
            {
                return NoteState::Stale { row };
            }
            NoteState::Live
        })
        .collect()
}

/// Where a declaration comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `[[pending]]` note of the new revision (index).
    Note(usize),
    /// 別添3 row added since the old revision (index in the new revision's rows).
    Row(usize),
}

/// What the author declared about the changes under a path: a live `[[pending]]` note, or a 別添3
/// row added since the old revision (once `--record` has written the rows and consumed the notes,
/// the rows carry the exclusions, timings and reasons).
#[derive(Debug, Clone)]
pub struct Declaration {
    pub note: PendingNote,
    pub origin: Origin,
}

/// The declarations that apply between two revisions: the live notes of `new` (in order), then
/// one per path of each 別添3 row added since `old`.
pub fn declarations(old: &Assessment, new: &Assessment, states: &[NoteState]) -> Vec<Declaration> {
    let mut out: Vec<Declaration> = new
        .pending
        .iter()
        .enumerate()
        .filter(|(k, _)| states.get(*k) == Some(&NoteState::Live))
        .map(|(k, n)| Declaration {
            note: n.clone(),
            origin: Origin::Note(k),
        })
        .collect();
    for j in added_rows(&old.changes, &new.changes) {
        let r = &new.changes[j];
        for p in &r.paths {
            out.push(Declaration {
                note: PendingNote {
                    path: p.clone(),
                    exclusion: r.exclusion,
                    timing: r.timing,
                    reason: r.timing_reason.clone(),
                },
                origin: Origin::Row(j),
            });
        }
    }
    out
}

/// The most specific declaration for a path: notes that cover it, rows written for exactly that
/// path; the longest path wins, on a tie the first (notes before rows).
fn declaration_for<'a>(decls: &'a [Declaration], path: &str) -> Option<&'a Declaration> {
    decls
        .iter()
        .filter(|d| match d.origin {
            Origin::Note(_) => covers(&d.note.path, path),
            // A row speaks for the change it records, not for others below its path (the row of
            // a new order of 提供先 is not the row of a change inside 提供先1).
            Origin::Row(_) => d.note.path.trim() == path,
        })
        .fold(None, |best: Option<&Declaration>, d| match best {
            Some(b) if b.note.path.trim().len() >= d.note.path.trim().len() => Some(b),
            _ => Some(d),
        })
}

/// Classifies raw changes with the declarations that apply ([`declarations`]).
pub fn classify(form: &Form, raw: Vec<RawChange>, decls: &[Declaration]) -> Vec<Change> {
    raw.into_iter()
        .map(|r| {
            let decl =
                declaration_for(decls, &r.path).or_else(|| declaration_for(decls, &r.old_path));
            let procedural = is_procedural(&r.path);
            let (important, timing, reason, exclusion) =
                decide(form, r.star, procedural, decl.map(|d| &d.note));
            let note = match decl.map(|d| d.origin) {
                Some(Origin::Note(k)) if !procedural => Some(k),
                _ => None,
            };
            Change {
                item: r.item,
                path: r.path,
                old_path: r.old_path,
                kind: r.kind,
                before: r.before,
                after: r.after,
                star: r.star,
                important,
                timing,
                reason,
                exclusion,
                exclusion_text: exclusion.map(|e| form.text(e).to_string()),
                row: !procedural,
                excerpt: r.excerpt,
                note,
            }
        })
        .collect()
}

fn decide(
    form: &Form,
    star: bool,
    procedural: bool,
    note: Option<&PendingNote>,
) -> (bool, Timing, String, Option<Exclusion>) {
    let note_timing = note.and_then(|n| n.timing).map(|t| match t {
        crate::model::Timing::Before => Timing::Prior,
        crate::model::Timing::After => Timing::Posterior,
    });
    let note_reason = note
        .map(|n| n.reason.trim().to_string())
        .filter(|r| !r.is_empty());
    if procedural {
        return (false, Timing::Posterior, REASON_PROCEDURE.to_string(), None);
    }
    if star {
        if let Some(ex) = note.and_then(|n| n.exclusion) {
            let reason = note_reason.unwrap_or_else(|| form.text(ex).to_string());
            return (
                false,
                note_timing.unwrap_or(Timing::Posterior),
                reason,
                Some(ex),
            );
        }
        return (
            true,
            Timing::Prior,
            note_reason.unwrap_or_else(|| REASON_IMPORTANT.to_string()),
            None,
        );
    }
    let exclusion = note.and_then(|n| n.exclusion);
    match note_timing {
        Some(Timing::Prior) => (
            false,
            Timing::Prior,
            note_reason.unwrap_or_else(|| REASON_VOLUNTARY_PRIOR.to_string()),
            exclusion,
        ),
        _ => (
            false,
            Timing::Posterior,
            note_reason.unwrap_or_else(|| REASON_NOT_STAR.to_string()),
            exclusion,
        ),
    }
}

// ---------------------------------------------------------------- notes

/// 「未提出の変更の申告 1」.
fn note_item(form: &Form, k: usize) -> String {
    form.printed_path(&format!("pending[{k}]"), &[])
}

/// What a note path covers, as the form prints it: the document, a section heading, the files.
fn scope_name(form: &Form, path: &str, file_names: &[String]) -> String {
    let pattern = pattern_of(path.trim());
    if pattern.is_empty() {
        return form.title.clone();
    }
    if pattern == "files[]" && path.trim() != "files[]" {
        return super::tree::block_item(form, path.trim(), file_names);
    }
    match form.node(&pattern) {
        Some(n) if n.k == Kind::Section => n.heading(),
        Some(n) if n.hide => form
            .node(crate::path::parent_pattern(&n.p))
            .filter(|g| !g.l.is_empty() && n.p.ends_with("[]"))
            .map_or_else(|| n.l.clone(), |g| g.l.clone()),
        _ => form.printed_path(path.trim(), file_names),
    }
}

/// Diagnostics about the `[[pending]]` notes of `new` compared with `old` (`from` names the old
/// revision): refused notes, which `pia diff` must not accept (PIA-E228: an exclusion over a
/// whole section or file; PIA-E227: a note no change uses), and stale notes (PIA-W229).
pub fn note_diagnostics(
    new: &Loaded,
    changes: &[Change],
    states: &[NoteState],
    old: &Loaded,
    from: &str,
) -> super::NoteReport {
    let names = new.file_names();
    let mut report = super::NoteReport::default();
    for (k, n) in new.assessment.pending.iter().enumerate() {
        let at = format!("pending[{k}].path");
        let item = note_item(&new.form, k);
        let path = n.path.trim();
        let pos = new.sources.locate(&at);
        match states.get(k).copied().unwrap_or(NoteState::Live) {
            NoteState::WholeSection => {
                report
                    .refused
                    .push(whole_section(&new.form, k, n, &names).at(pos));
            }
            NoteState::Stale { row } => {
                let r = &old.assessment.changes[row];
                let row_item = r.item.trim().replace('\n', " ");
                report.stale.push(
                    Diagnostic::warning(
                        "PIA-W229",
                        &at,
                        item.clone(),
                        format!("「{item}」（path = \"{path}\"）は {from} の版にもあり、その版の別添３の行「{row_item}」の記録に使われた申告です。この版の変更には適用しません"),
                    )
                    .with_help("記録済みの変更の申告は削除してください（`pia diff --record` は記録に使った申告を削除します）。新しい変更について申告する場合は、その変更の説明（reason）を書いてください。")
                    .at(pos),
                );
            }
            NoteState::Live => {
                if changes.iter().any(|c| c.note == Some(k)) {
                    continue;
                }
                let shadowed = changes.iter().find(|c| {
                    covers(path, &c.path) || (!c.old_path.is_empty() && covers(path, &c.old_path))
                });
                let message = match shadowed {
                    Some(c) if !is_procedural(&c.path) => format!(
                        "「{item}」（path = \"{path}\"）は使われていません。当たる変更「{}」には、より詳しいパスの申告又は別添３の行が使われています",
                        c.item
                    ),
                    Some(c) => format!(
                        "「{item}」（path = \"{path}\"）は使われていません。当たる変更「{}」は評価実施手続の記録で、申告の対象ではありません",
                        c.item
                    ),
                    None => format!(
                        "「{item}」（path = \"{path}\"）は、{from} からの変更のどれにも当たりません"
                    ),
                };
                report.refused.push(
                    Diagnostic::error("PIA-E227", &at, item.clone(), message)
                        .with_help("path が変更した項目（又はそれを含む見出し）の TOML パスか確認してください（pia diff --format json の path）。既に別添３に記録した変更の申告なら削除してください。")
                        .at(pos),
                );
            }
        }
    }
    report
}

/// PIA-E228 for note `k` (an exclusion over a whole section or file), without position.
fn whole_section(form: &Form, k: usize, n: &PendingNote, names: &[String]) -> Diagnostic {
    let item = note_item(form, k);
    let path = n.path.trim();
    let scope = scope_name(form, path, names);
    let ex = n.exclusion.map(|e| form.text(e)).unwrap_or_default();
    Diagnostic::error(
        "PIA-E228",
        format!("pending[{k}].path"),
        item.clone(),
        format!("「{item}」（path = \"{path}\"）は「{scope}」全体を重要な変更に当たらない（{ex}）としています。除外は項目ごとに申告してください"),
    )
    .with_help("exclusion を付ける申告の path には、変更した項目（例: files[0].risk.acquisition.r1.non_target_measures）又はその項目を含む見出し（例: files[0].risk.acquisition.r1）を書いてください。節や特定個人情報ファイル全体への除外は、重要な変更を見落とす原因になるため受け付けません。")
}

/// The note diagnostics that need only one revision (for `pia check` without `--since`):
/// PIA-E228 for exclusions over a whole section or file.
pub fn single_revision_note_diagnostics(new: &Loaded) -> Vec<Diagnostic> {
    let names = new.file_names();
    new.assessment
        .pending
        .iter()
        .enumerate()
        .filter(|(_, n)| n.exclusion.is_some() && covers_whole_section(&new.form, &n.path))
        .map(|(k, n)| {
            whole_section(&new.form, k, n, &names)
                .at(new.sources.locate(&format!("pending[{k}].path")))
        })
        .collect()
}

// ---------------------------------------------------------------- しきい値判断

/// One side of the しきい値判断.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decided {
    /// `none` / `basic` / `basic_and_focused` / `basic_and_full`.
    pub obliged: &'static str,
    pub text: &'static str,
    pub reason: String,
}

/// The しきい値判断 of both revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThresholdChange {
    /// None when `[threshold]` is incomplete in that revision.
    pub before: Option<Decided>,
    pub after: Option<Decided>,
    /// The new revision obliges a higher assessment (⇒ 再実施, spec §C.1).
    pub rose: bool,
}

fn obliged_id(o: Obliged) -> &'static str {
    match o {
        Obliged::None => "none",
        Obliged::Basic => "basic",
        Obliged::BasicAndFocused => "basic_and_focused",
        Obliged::BasicAndFull => "basic_and_full",
    }
}

/// The しきい値判断 of both revisions (each worded by its own form).
pub fn threshold_change(old: &Loaded, new: &Loaded) -> ThresholdChange {
    let a = threshold::decide_for(&old.form, &old.assessment.threshold);
    let b = threshold::decide_for(&new.form, &new.assessment.threshold);
    let rose = matches!((&a, &b), (Some(a), Some(b)) if b.obliged > a.obliged);
    let side = |d: Option<threshold::Decision>| {
        d.map(|d| Decided {
            obliged: obliged_id(d.obliged),
            text: d.obliged.japanese(),
            reason: d.reason,
        })
    };
    ThresholdChange {
        before: side(a),
        after: side(b),
        rose,
    }
}

// ---------------------------------------------------------------- 再実施

/// One step of a 再実施 and whether the new revision shows it done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The items as the form prints them (「Ⅵ １．基礎項目評価」).
    pub name: String,
    /// TOML paths of the dates that show the step.
    pub paths: Vec<String>,
    /// The new revision's dates are newer than the old revision's.
    pub done: bool,
}

/// What a 再実施 needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reassessment {
    pub required: bool,
    /// Why (Japanese sentences).
    pub reasons: Vec<String>,
    /// 評価実施機関の種別 of the new revision (「行政機関等」「地方公共団体等」), "" when unknown.
    pub org_kind: String,
    pub steps: Vec<Step>,
}

fn newer(old: Option<Date>, new: Option<Date>) -> bool {
    match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n > o,
    }
}

pub fn reassessment(
    form: &Form,
    changes: &[Change],
    threshold: &ThresholdChange,
    old: &Assessment,
    new: &Assessment,
) -> Reassessment {
    let important: Vec<&Change> = changes.iter().filter(|c| c.important).collect();
    let mut reasons = Vec::new();
    if !important.is_empty() {
        reasons.push(format!(
            "重要な変更が{}件あります（例: {}）",
            important.len(),
            important[0].item
        ));
    }
    if let (true, Some(a), Some(b)) = (threshold.rose, &threshold.before, &threshold.after) {
        reasons.push(format!(
            "しきい値判断の結果が上がりました（{} → {}）",
            a.text, b.text
        ));
    }
    let required = !reasons.is_empty();
    let kind = new.meta.org_kind.or(old.meta.org_kind);
    let name = |paths: &[&str]| {
        paths
            .iter()
            .map(|p| form.printed_path(p, &[]))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut steps = Vec::new();
    if required {
        let (op, np) = (&old.procedure, &new.procedure);
        steps.push(Step {
            name: name(&["procedure.basic_assessment"]),
            paths: vec!["procedure.basic_assessment.date".into()],
            done: newer(op.basic_assessment.date, np.basic_assessment.date),
        });
        let end = |p: &crate::model::Procedure| {
            p.public_comment
                .period
                .end
                .or(p.public_comment.period.start)
        };
        steps.push(Step {
            name: name(&["procedure.public_comment"]),
            paths: vec!["procedure.public_comment.period".into()],
            done: newer(end(op), end(np)),
        });
        match kind {
            Some(OrgKind::LocalGov) => steps.push(Step {
                name: name(&["procedure.third_party_review"]),
                paths: vec!["procedure.third_party_review.date".into()],
                done: newer(op.third_party_review.date, np.third_party_review.date),
            }),
            _ => steps.push(Step {
                name: name(&["procedure.ppc_approval", "cover.ppc_approved_on"]),
                paths: vec![
                    "procedure.ppc_approval.submitted_on".into(),
                    "cover.ppc_approved_on".into(),
                ],
                done: newer(op.ppc_approval.submitted_on, np.ppc_approval.submitted_on)
                    && newer(old.cover.ppc_approved_on, new.cover.ppc_approved_on),
            }),
        }
    }
    Reassessment {
        required,
        reasons,
        org_kind: kind.map(|k| form.text(k).to_string()).unwrap_or_default(),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_paths_cover_descendants() {
        let _form = crate::form::Catalog::builtin().default_form();
        assert!(covers("basic.number_use", "basic.number_use.legal_basis"));
        assert!(covers("files[].risk", "files[0].risk.use.r1.adequacy"));
        assert!(covers("files[0].risk.use", "files[0].risk.use.r1.adequacy"));
        assert!(!covers("basic.number", "basic.number_use.legal_basis"));
        assert!(!covers("files[1].risk", "files[0].risk.use"));
    }

    #[test]
    fn whole_sections_and_files() {
        let form = crate::form::Catalog::builtin().default_form();
        for p in [
            "",
            "basic",
            "cover",
            "files",
            "files[]",
            "files[1]",
            "files[].risk",
            "files[0].overview",
            "procedure",
            " other_risk ",
        ] {
            assert!(covers_whole_section(&form, p), "{p:?}");
        }
        for p in [
            "basic.number_use",
            "files[0].risk.acquisition",
            "files[].risk.acquisition.r1",
            "files[0].overview.entrustment.items[1]",
            "files[0].risk.use.r1.adequacy",
        ] {
            assert!(!covers_whole_section(&form, p), "{p:?}");
        }
    }

    fn row(paths: &[&str], exclusion: Option<Exclusion>, reason: &str) -> ChangeRow {
        ChangeRow {
            paths: paths.iter().map(|p| p.to_string()).collect(),
            exclusion,
            timing_reason: reason.to_string(),
            timing: Some(crate::model::Timing::After),
            ..ChangeRow::default()
        }
    }

    #[test]
    fn notes_used_by_rows_and_stale_notes() {
        let form = crate::form::Catalog::builtin().default_form();
        let note = PendingNote {
            path: "files[0].risk.acquisition.r1".into(),
            exclusion: Some(Exclusion::LawAmendment),
            timing: None,
            reason: "条ずれ".into(),
        };
        let path = "files[0].risk.acquisition.r1.non_target_measures";
        assert!(note_used_by(
            &note,
            &row(&[path], Some(Exclusion::LawAmendment), "条ずれ")
        ));
        // Another exclusion, another reason, another item: not this note's row.
        assert!(!note_used_by(
            &note,
            &row(&[path], Some(Exclusion::Formal), "条ずれ")
        ));
        assert!(!note_used_by(
            &note,
            &row(&[path], Some(Exclusion::LawAmendment), "別")
        ));
        assert!(!note_used_by(
            &note,
            &row(
                &["files[0].risk.use.r1.adequacy"],
                Some(Exclusion::LawAmendment),
                "条ずれ"
            )
        ));

        let mut old = Assessment::default();
        let mut new = Assessment {
            pending: vec![note.clone()],
            ..Assessment::default()
        };
        // New in this revision: live.
        assert_eq!(note_states(&form, &old, &new), vec![NoteState::Live]);
        // In the old revision too, but not used there: still live.
        old.pending = vec![note.clone()];
        assert_eq!(note_states(&form, &old, &new), vec![NoteState::Live]);
        // Used for the old revision's 別添3: stale.
        old.changes = vec![
            row(&["basic.systems[0].name"], None, "x"),
            row(&[path], Some(Exclusion::LawAmendment), "条ずれ"),
        ];
        assert_eq!(
            note_states(&form, &old, &new),
            vec![NoteState::Stale { row: 1 }]
        );
        // An exclusion over a section is refused whatever the history.
        new.pending[0].path = "files[].risk".into();
        assert_eq!(
            note_states(&form, &old, &new),
            vec![NoteState::WholeSection]
        );
        // Only live notes and rows added since `old` declare anything.
        new.pending[0].path = note.path.clone();
        new.changes = old.changes.clone();
        new.changes
            .push(row(&["basic.systems[0].connections"], None, "接続"));
        let decls = declarations(&old, &new, &note_states(&form, &old, &new));
        assert_eq!(decls.len(), 1);
        assert_eq!(decls[0].origin, Origin::Row(2));
        assert_eq!(decls[0].note.reason, "接続");
    }

    #[test]
    fn classification() {
        let form = crate::form::Catalog::builtin().default_form();
        let ex = PendingNote {
            path: "x".into(),
            exclusion: Some(Exclusion::LawAmendment),
            timing: None,
            reason: String::new(),
        };
        assert_eq!(decide(&form, true, false, None).1, Timing::Prior);
        let (imp, t, reason, _) = decide(&form, true, false, Some(&ex));
        assert!(!imp);
        assert_eq!(t, Timing::Posterior);
        assert_eq!(reason, form.text(Exclusion::LawAmendment));
        let (imp, t, reason, _) = decide(&form, false, false, None);
        assert!(!imp);
        assert_eq!(t, Timing::Posterior);
        assert_eq!(reason, REASON_NOT_STAR);
        let prior = PendingNote {
            path: "x".into(),
            exclusion: None,
            timing: Some(crate::model::Timing::Before),
            reason: "再実施に伴う変更".into(),
        };
        assert_eq!(decide(&form, false, false, Some(&prior)).1, Timing::Prior);
        assert!(is_procedural("procedure.public_comment.period"));
        assert!(is_procedural("cover.published_on"));
        assert!(!is_procedural("cover.title"));
    }
}
