//! 事前/事後 classification (spec §C.6), the しきい値判断 before and after, and what a
//! 再実施 needs (spec §B.4, §C.1).

use serde::Serialize;

use super::tree::RawChange;
use super::{Change, Timing};
use crate::form::{self, pattern_of};
use crate::model::{Assessment, Choice, Date, Exclusion, OrgKind, PendingNote};
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

/// The most specific note that covers a path (the longest note path wins; on a tie the first).
pub fn note_for<'a>(notes: &'a [PendingNote], path: &str) -> Option<&'a PendingNote> {
    notes
        .iter()
        .filter(|n| covers(&n.path, path))
        .fold(None, |best: Option<&PendingNote>, n| match best {
            Some(b) if b.path.trim().len() >= n.path.trim().len() => Some(b),
            _ => Some(n),
        })
}

/// Classifies raw changes with the new revision's `[[pending]]` notes.
pub fn classify(raw: Vec<RawChange>, new: &Assessment) -> Vec<Change> {
    raw.into_iter()
        .map(|r| {
            let note =
                note_for(&new.pending, &r.path).or_else(|| note_for(&new.pending, &r.old_path));
            let procedural = is_procedural(&r.path);
            let (important, timing, reason, exclusion) = decide(r.star, procedural, note);
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
                row: !procedural,
                excerpt: r.excerpt,
            }
        })
        .collect()
}

fn decide(
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
            let reason = note_reason.unwrap_or_else(|| ex.text().to_string());
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

pub fn threshold_change(old: &Assessment, new: &Assessment) -> ThresholdChange {
    let a = threshold::decide_for(&old.threshold);
    let b = threshold::decide_for(&new.threshold);
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
    changes: &[Change],
    threshold: &ThresholdChange,
    old: &Assessment,
    new: &Assessment,
) -> Reassessment {
    let form = form::current();
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
        org_kind: kind.map(|k| k.text().to_string()).unwrap_or_default(),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_paths_cover_descendants() {
        assert!(covers("basic.number_use", "basic.number_use.legal_basis"));
        assert!(covers("files[].risk", "files[0].risk.use.r1.adequacy"));
        assert!(covers("files[0].risk.use", "files[0].risk.use.r1.adequacy"));
        assert!(!covers("basic.number", "basic.number_use.legal_basis"));
        assert!(!covers("files[1].risk", "files[0].risk.use"));
    }

    #[test]
    fn classification() {
        let ex = PendingNote {
            path: "x".into(),
            exclusion: Some(Exclusion::LawAmendment),
            timing: None,
            reason: String::new(),
        };
        assert_eq!(decide(true, false, None).1, Timing::Prior);
        let (imp, t, reason, _) = decide(true, false, Some(&ex));
        assert!(!imp);
        assert_eq!(t, Timing::Posterior);
        assert_eq!(reason, Exclusion::LawAmendment.text());
        let (imp, t, reason, _) = decide(false, false, None);
        assert!(!imp);
        assert_eq!(t, Timing::Posterior);
        assert_eq!(reason, REASON_NOT_STAR);
        let prior = PendingNote {
            path: "x".into(),
            exclusion: None,
            timing: Some(crate::model::Timing::Before),
            reason: "再実施に伴う変更".into(),
        };
        assert_eq!(decide(false, false, Some(&prior)).1, Timing::Prior);
        assert!(is_procedural("procedure.public_comment.period"));
        assert!(is_procedural("cover.published_on"));
        assert!(!is_procedural("cover.title"));
    }
}
