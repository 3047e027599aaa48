//! `pia check --since <rev>`: the rules that need two revisions (spec §D-22 … D-25).
//!
//! * PIA-E226 (D-22): a new 別添3 row touching a ※ item without an exclusion must be 事前.
//!   (PIA-E220…W225 are the one-revision D-22 rules of `pia check`.)
//! * PIA-E230 (D-23): 事前 ⇒ 変更日 after the new revision's 公表日; 事後 ⇒ on or before it.
//! * PIA-E240 (D-24): every printed change between the revisions has a new 別添3 row.
//! * PIA-W250 (D-25): Ⅵ changed without any 重要な変更 (nor a rise of the しきい値判断).
//! * PIA-E251 (§C.6): a 重要な変更 (or a rise of the しきい値判断) while the new revision shows
//!   no step of a 再実施 in Ⅵ.
//! * PIA-E280 (D-28): Ⅱ ３．⑥使用目的 changed, but its 「変更の妥当性」 does not explain it.
//! * PIA-E227 / PIA-E228 / PIA-W229: `[[pending]]` notes that no change uses, exclusions over a
//!   whole section or file, notes already used for the old revision's 別添3.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::diff::classify::{
    self, added_rows, covers, note_diagnostics, reassessment, threshold_change,
};
use crate::diff::git::{RevError, load_revision_in};
use crate::diff::{Change, ChangeKind};
use crate::load::Loaded;
use crate::model::Timing;

/// Loads `path` at `rev` and runs the two-revision rules against `new` (the work tree).
pub fn check_since(
    path: &Path,
    rev: &str,
    new: &Loaded,
    catalog: &crate::form::Catalog,
) -> Result<Vec<Diagnostic>, RevError> {
    let old = load_revision_in(path, rev, catalog)?;
    Ok(check(&old, new, rev))
}

/// The two-revision rules; `rev` names the old revision in messages.
pub fn check(old: &Loaded, new: &Loaded, rev: &str) -> Vec<Diagnostic> {
    let form = &*new.form;
    let cn = &form.changes_name;
    let names = new.file_names();
    let item = |p: &str| form.printed_path(p, &names);
    let mut out: Vec<Diagnostic> = Vec::new();
    let before = form.text(Timing::Before);
    let after = form.text(Timing::After);
    let rows = &new.assessment.changes;
    let fresh = added_rows(&old.assessment.changes, rows);
    let published = new.assessment.cover.published_on;
    let (changes, states) = crate::diff::classified(old, new);
    let notes = note_diagnostics(new, &changes, &states, old, rev);
    out.extend(notes.refused);
    out.extend(notes.stale);
    let mut emit = |d: Diagnostic, path: &str| out.push(d.at(new.sources.locate(path)));

    for &j in &fresh {
        let r = &rows[j];
        let label = if r.item.trim().is_empty() {
            format!("{}行目", j + 1)
        } else {
            r.item.trim().replace('\n', " ")
        };
        // Rows written by hand may lack `paths`: then the printed item names the change.
        let star = if r.paths.is_empty() {
            changes.iter().any(|c| c.star && c.item == r.item.trim())
        } else {
            r.paths.iter().any(|p| form.is_star(p))
        };
        // D-22
        if star && r.exclusion.is_none() && r.timing == Some(Timing::After) {
            let p = format!("changes[{j}].timing");
            emit(
                Diagnostic::error("PIA-E226", &p, item(&p), format!("{cn}の行「{label}」は重要な変更の対象項目（※）の変更ですが、提出時期が「{after}」です"))
                    .with_help(format!("重要な変更は「{before}」に提出します（評価の再実施）。重要な変更に当たらない場合は、この行に exclusion（誤字脱字の修正、法令改正に伴う条項の変更 等）を書いてください。")),
                &p,
            );
        }
        // D-23
        if let (Some(d), Some(p_on), Some(t)) = (r.changed_on, published, r.timing) {
            let p = format!("changes[{j}].changed_on");
            if t == Timing::Before && d <= p_on {
                emit(
                    Diagnostic::error("PIA-E230", &p, item(&p), format!("{cn}の行「{label}」は「{before}」ですが、変更日 {d} が公表日 {p_on} より後ではありません"))
                        .with_help(format!("「{before}」は変更の前に評価書を提出・公表することです。変更日が公表日以前なら提出時期は「{after}」です。新しい版を公表するときは `pia release --date <公表日>` が公表日と{cn}の行をまとめて設定します。")),
                    &p,
                );
            } else if t == Timing::After && d > p_on {
                emit(
                    Diagnostic::error("PIA-E230", &p, item(&p), format!("{cn}の行「{label}」は「{after}」ですが、変更日 {d} が公表日 {p_on} より後です"))
                        .with_help(format!("公表日より後に行う変更は「{before}」の提出です。変更日又は公表日を確認してください（`pia release --date <公表日>` は公表日と{cn}の行をまとめて設定します）。")),
                    &p,
                );
            }
        }
    }

    // D-24
    for c in changes.iter().filter(|c| c.row) {
        let recorded = fresh.iter().any(|&j| {
            let r = &rows[j];
            r.paths
                .iter()
                .any(|p| p == &c.path || covers(p, &c.path) || covers(&c.path, p))
                || (!c.old_path.is_empty() && r.paths.iter().any(|p| covers(p, &c.old_path)))
                || r.item.trim() == c.item
        });
        if !recorded {
            emit(
                Diagnostic::error("PIA-E240", &c.path, c.item.clone(), format!("「{}」の変更（{} 以降）に対応する{cn}の行がありません", c.item, rev))
                    .with_help(format!("公表する版なら `pia release --date <公表日> <評価書>` が前回公表した版からの変更を{cn}に記録します。行だけを加えるなら `pia diff --from {rev} --record --date <変更日> <評価書>` を実行するか、{cn}（[[changes]]）に行を書き、paths に \"{}\" を含めてください。", c.path)),
                &c.path,
            );
        }
    }

    // D-25
    let rose = threshold_change(old, new).rose;
    let procedure = changes
        .iter()
        .find(|c| crate::path::pattern_of(&c.path).starts_with("procedure."));
    if let (false, false, Some(c)) = (rose, changes.iter().any(|c| c.important), procedure) {
        let heading = form
            .node("procedure")
            .map(|n| n.heading())
            .unwrap_or_default();
        emit(
            Diagnostic::warning("PIA-W250", &c.path, c.item.clone(), format!("重要な変更がないのに「{}」が変更されています（{} 以降）", c.item, rev))
                .with_help(format!("評価書の修正（重要な変更を伴わない変更）では、{heading}は直近の再実施の記載のまま残します。")),
            &c.path,
        );
    }

    // §C.6: a 重要な変更 needs a 再実施, which Ⅵ of the new revision records.
    let threshold = threshold_change(old, new);
    let ra = reassessment(form, &changes, &threshold, &old.assessment, &new.assessment);
    if ra.required && !ra.steps.iter().any(|s| s.done) {
        let important: Vec<&Change> = changes.iter().filter(|c| c.important).collect();
        let mut causes = Vec::new();
        if let Some(c) = important.first() {
            causes.push(match important.len() {
                1 => format!("重要な変更「{}」", c.item),
                n => format!("重要な変更「{}」ほか{}件", c.item, n - 1),
            });
        }
        if let (true, Some(a), Some(b)) = (threshold.rose, &threshold.before, &threshold.after) {
            causes.push(format!(
                "しきい値判断の結果の上昇（{} → {}）",
                a.text, b.text
            ));
        }
        let path = important
            .first()
            .map_or("procedure.basic_assessment.date", |c| c.path.as_str());
        let steps = ra
            .steps
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("、");
        let heading = form
            .node("procedure")
            .map(|n| n.heading())
            .unwrap_or_default();
        let kind = if ra.org_kind.is_empty() {
            "評価実施機関".to_string()
        } else {
            ra.org_kind.clone()
        };
        emit(
            Diagnostic::error(
                "PIA-E251",
                path,
                important.first().map_or_else(|| item(path), |c| c.item.clone()),
                format!(
                    "{}があるのに、{rev} 以降の評価の再実施が「{heading}」に記載されていません（{steps} のいずれも更新されていません）",
                    causes.join("と"),
                ),
            )
            .with_help(format!(
                "重要な変更は、評価を再実施して変更の前に（{before}）提出します。{kind}の再実施では {steps} を行い、その日付を記載します。重要な変更に当たらない場合は、[[pending]] に exclusion（誤字脱字の修正、法令改正に伴う条項の変更 等）と理由を書いてください。"
            )),
            path,
        );
    }

    // D-28: a changed 使用目的 needs its 変更の妥当性 explained in this revision.
    for c in changes.iter().filter(|c| {
        c.kind == ChangeKind::Changed
            && crate::path::pattern_of(&c.path) == "files[].overview.use.purpose"
    }) {
        if let Some((p, d)) = purpose_validity(old, new, c, rev) {
            emit(d, &p);
        }
    }
    super::sort(&mut out);
    out
}

/// Texts that say 「no change」 rather than explain one: compared after removing blanks,
/// punctuation and a leading 「使用目的の」/「使用目的に」/「使用目的は」.
const NO_CHANGE: &[&str] = &[
    "変更なし",
    "変更無し",
    "変更はない",
    "変更は無い",
    "変更はなし",
    "変更はありません",
    "変更しない",
    "変更していない",
    "変更なく",
    "なし",
    "無し",
    "該当なし",
    "特になし",
    "―",
    "－",
    "-",
];

/// Whether a 変更の妥当性 text only says that nothing changed.
pub fn says_no_change(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '．' | '.' | '、' | '，' | ','))
        .collect();
    let t = ["使用目的の", "使用目的に", "使用目的は"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(&t);
    NO_CHANGE.contains(&t)
}

/// PIA-E280 for a changed 使用目的 `c`: its file's 変更の妥当性 is empty, says 「変更なし」, or
/// is the old revision's text.
fn purpose_validity(
    old: &Loaded,
    new: &Loaded,
    c: &Change,
    rev: &str,
) -> Option<(String, Diagnostic)> {
    let form = &*new.form;
    let validity = |path: &str| path.replacen(".use.purpose", ".use.purpose_change_validity", 1);
    let path = validity(&c.path);
    let index = |p: &str| {
        p.strip_prefix("files[")
            .and_then(|r| r.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
    };
    let now = index(&c.path)
        .and_then(|j| new.assessment.files.get(j))
        .map(|f| f.overview.use_.purpose_change_validity.trim().to_string())
        .unwrap_or_default();
    let then = index(&c.old_path)
        .and_then(|i| old.assessment.files.get(i))
        .map(|f| f.overview.use_.purpose_change_validity.trim().to_string())
        .unwrap_or_default();
    let label = form.printed_path(&path, &new.file_names());
    let purpose = &c.item;
    let message = if now.is_empty() {
        format!("「{purpose}」が変更されていますが（{rev} 以降）、「{label}」が空欄です")
    } else if says_no_change(&now) {
        format!("「{purpose}」が変更されていますが（{rev} 以降）、「{label}」が「{now}」のままです")
    } else if now == then {
        format!(
            "「{purpose}」が変更されていますが（{rev} 以降）、「{label}」が更新されていません（{rev} の版と同じ記載です）"
        )
    } else {
        return None;
    };
    Some((
        path.clone(),
        Diagnostic::error("PIA-E280", &path, label, message).with_help(
            "使用目的を変更した場合は、「変更の妥当性」に変更の内容とその妥当性を書いてください（D-28）。",
        ),
    ))
}

/// The note diagnostics of `pia check` without `--since` (one revision only): PIA-E228.
/// Stale notes (PIA-W229) and unused notes (PIA-E227) need the old revision: they come with
/// `--since` from [`check`].
pub fn note_diagnostics_single(new: &Loaded) -> Vec<Diagnostic> {
    classify::single_revision_note_diagnostics(new)
}

/// Diagnostics for an old revision that could not be read (no positions: they would point into
/// the revision's files, which are not part of the work tree's sources).
pub fn rev_error_diagnostics(e: RevError, rev: &str) -> Vec<Diagnostic> {
    match e {
        RevError::Git { message, help } => {
            let d = Diagnostic::error("PIA-L020", "", "", message);
            vec![if help.is_empty() {
                d
            } else {
                d.with_help(help)
            }]
        }
        RevError::Load(le) => le
            .diagnostics
            .into_iter()
            .map(|mut d| {
                let at = d.location();
                d.message = format!(
                    "リビジョン `{rev}` の評価書: {}{}",
                    d.message,
                    if at.is_empty() {
                        String::new()
                    } else {
                        format!("（{at}）")
                    }
                );
                d.position = None;
                d.related.clear();
                d
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_that_say_no_change() {
        for t in [
            "使用目的の変更なし",
            "使用目的の変更なし。",
            "変更なし",
            " 変更はありません。",
            "使用目的に変更はない",
            "なし",
            "―",
        ] {
            assert!(says_no_change(t), "{t:?}");
        }
        for t in [
            "公金受取口座情報の利用を追加した。法令に基づく利用であり妥当である。",
            "使用目的の変更なし。ただし、令和7年度から保健事業に利用する。",
            "",
        ] {
            assert!(!says_no_change(t), "{t:?}");
        }
    }
}
