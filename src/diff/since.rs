//! `pia check --since <rev>`: the rules that need two revisions (spec §D-22 … D-25).
//!
//! * PIA-E226 (D-22): a new 別添3 row touching a ※ item without an exclusion must be 事前.
//!   (PIA-E220…W225 are the one-revision D-22 rules of `pia check`.)
//! * PIA-E230 (D-23): 事前 ⇒ 変更日 after the new revision's 公表日; 事後 ⇒ on or before it.
//! * PIA-E240 (D-24): every printed change between the revisions has a new 別添3 row.
//! * PIA-W250 (D-25): Ⅵ changed without any 重要な変更 (nor a rise of the しきい値判断).

use std::path::Path;

use super::classify::{covers, threshold_change};
use super::git::{RevError, load_revision};
use crate::diag::Diagnostic;
use crate::form;
use crate::load::Loaded;
use crate::model::{ChangeRow, Choice, Timing};

/// Short descriptions of the codes (for reports).
pub fn describe(code: &str) -> Option<&'static str> {
    Some(match code {
        "PIA-E226" => "D-22 ※項目の変更（除外理由なし）の行が事前になっていない",
        "PIA-E230" => "D-23 提出時期と変更日・公表日の前後が合わない",
        "PIA-E240" => "D-24 版の間の変更に対応する別添３の行がない",
        "PIA-W250" => "D-25 重要な変更がないのに Ⅵ 評価実施手続が変更されている",
        _ => return None,
    })
}

/// Loads `path` at `rev` and runs the two-revision rules against `new` (the work tree).
pub fn check_since(path: &Path, rev: &str, new: &Loaded) -> Result<Vec<Diagnostic>, RevError> {
    let old = load_revision(path, rev)?;
    Ok(check(&old, new, rev))
}

/// Indices of the rows of `new` that `old` does not have (rows are compared as a whole).
fn added_rows(old: &[ChangeRow], new: &[ChangeRow]) -> Vec<usize> {
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

/// The two-revision rules; `rev` names the old revision in messages.
pub fn check(old: &Loaded, new: &Loaded, rev: &str) -> Vec<Diagnostic> {
    let form = form::current();
    let names = new.file_names();
    let item = |p: &str| form.printed_path(p, &names);
    let mut out = Vec::new();
    let mut emit = |d: Diagnostic, path: &str| out.push(d.at(new.sources.locate(path)));
    let before = Timing::Before.text();
    let after = Timing::After.text();
    let rows = &new.assessment.changes;
    let fresh = added_rows(&old.assessment.changes, rows);
    let published = new.assessment.cover.published_on;
    let changes = super::changes(old, new);

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
                Diagnostic::error("PIA-E226", &p, item(&p), format!("別添３の行「{label}」は重要な変更の対象項目（※）の変更ですが、提出時期が「{after}」です"))
                    .with_help(format!("重要な変更は「{before}」に提出します（評価の再実施）。重要な変更に当たらない場合は、この行に exclusion（誤字脱字の修正、法令改正に伴う条項の変更 等）を書いてください。")),
                &p,
            );
        }
        // D-23
        if let (Some(d), Some(p_on), Some(t)) = (r.changed_on, published, r.timing) {
            let p = format!("changes[{j}].changed_on");
            if t == Timing::Before && d <= p_on {
                emit(
                    Diagnostic::error("PIA-E230", &p, item(&p), format!("別添３の行「{label}」は「{before}」ですが、変更日 {d} が公表日 {p_on} より後ではありません"))
                        .with_help(format!("「{before}」は変更の前に評価書を提出・公表することです。変更日が公表日以前なら提出時期は「{after}」です。")),
                    &p,
                );
            } else if t == Timing::After && d > p_on {
                emit(
                    Diagnostic::error("PIA-E230", &p, item(&p), format!("別添３の行「{label}」は「{after}」ですが、変更日 {d} が公表日 {p_on} より後です"))
                        .with_help(format!("公表日より後に行う変更は「{before}」の提出です。変更日又は公表日を確認してください。")),
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
                Diagnostic::error("PIA-E240", &c.path, c.item.clone(), format!("「{}」の変更（{} 以降）に対応する別添３の行がありません", c.item, rev))
                    .with_help(format!("`pia diff --from {rev} --record --date <変更日> <評価書>` で行を追加するか、別添３（[[changes]]）に行を書き、paths に \"{}\" を含めてください。", c.path)),
                &c.path,
            );
        }
    }

    // D-25
    let rose = threshold_change(&old.assessment, &new.assessment).rose;
    let procedure = changes
        .iter()
        .find(|c| form::pattern_of(&c.path).starts_with("procedure."));
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
    crate::check::sort(&mut out);
    out
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
