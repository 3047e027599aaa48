//! The 基礎項目評価書 (様式2) beside the other reports: its answers against the 全項目評価書's, and a
//! standalone one whose しきい値判断 obliges another report.

use crate::basic_report::{is_standalone, overrides_weaker_sources, report_name};
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::{Choice, ReportKind};
use crate::threshold::{self, Obliged};

rule! {
/// ## 検査内容
/// 全項目評価書と同時に公表する基礎項目評価書のⅣ リスク対策は、全項目評価書のⅢ（ファイル・リスクごとの
/// 「…十分か」）から求めます（ファイル・リスクのうち最も弱い回答。`pia render --form 様式2`）。評価書の
/// `[basic_report.risk]` に回答を書くと、求めた回答に代わって印刷されます。その回答が全項目評価書の回答より良い
/// とき（Ⅲで「課題が残されている」としたリスクを基礎項目評価書で「十分である」とする、委託しているファイルが
/// あるのに「委託しない」とする 等）は、二つの評価書が食い違うため警告です（PIA-W401）。
///
/// 基礎項目評価書だけの評価書（様式２の評価書）で、しきい値判断（Ⅱ）の結果が重点項目評価又は全項目評価の
/// 実施を義務付けるときは、義務付けられた評価書がないためエラーです（PIA-E402）。
///
/// しきい値判断項目は評価書に一度だけ書きます（`[threshold]`）。基礎項目評価書のⅡ・Ⅲと全項目評価書の
/// Ⅵ １．②は同じ記載から印刷・検査されます。
///
/// ## 根拠
/// 特定個人情報保護評価指針 第６の２（しきい値判断）、第７（基礎項目評価書と重点項目評価書・全項目評価書の
/// 提出）。仕様 yoshiki2.md「From the 様式4 data」「Bodies obliged only to 基礎項目評価」。
///
/// ## 例
/// 全項目評価書のファイル１のⅢ ３．リスク１が「課題が残されている」で、`[basic_report.risk.use]
/// linking = "十分である"`（PIA-W401）。様式２の評価書で対象人数が「30万人以上」（PIA-E402）。
///
/// ## 直し方
/// PIA-W401: 書いた回答を削除して全項目評価書から求めた回答を使うか、全項目評価書のⅢの回答を見直します。
/// PIA-E402: 義務付けられた評価書（様式４の全項目評価書 等）を作成し、基礎項目評価書はその評価書から作成します。
/// しきい値判断項目が誤っている場合はそれを直します。
///
/// ## 確度
/// しきい値判断と提出する評価書の関係は確認済みです。基礎項目評価書のⅣの項目と全項目評価書のⅢの対応は
/// 様式２の項目名が未確認（[MEM]）のため、食い違いは警告としています。
    id: "基礎",
    title: "基礎項目評価書と他の評価書",
    codes: [
        "PIA-W401" Warning Check Unverified "基礎項目評価書に書いた回答が全項目評価書の回答より良い",
        "PIA-E402" Error Check Stable "しきい値判断で義務付けられる重点項目評価書・全項目評価書がない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    if is_standalone(ctx.loaded) {
        obliged_report(ctx);
    } else if let Some(form2) = ctx.loaded.basic_form.clone() {
        for o in overrides_weaker_sources(ctx.loaded, &form2) {
            let sources: Vec<String> = o
                .from
                .iter()
                .map(|p| ctx.form.printed_path(p, &[]))
                .collect();
            ctx.report(
                "PIA-W401",
                &o.path,
                format!(
                    "「{}」を「{}」としていますが、{}の回答からは「{}」となります",
                    ctx.item(&o.path),
                    o.written,
                    report_name(ctx.form),
                    o.derived
                ),
                format!(
                    "{}（{}）を確認してください。基礎項目評価書の回答は、この行を削除すると{}の回答から求められます。",
                    report_name(ctx.form),
                    sources.join("、"),
                    report_name(ctx.form)
                ),
            );
        }
    }
}

/// A standalone 基礎項目評価書 whose しきい値判断 obliges a 重点項目評価 or 全項目評価.
fn obliged_report(ctx: &mut Ctx) {
    let Some(d) = threshold::decide_for(ctx.form, &ctx.a.threshold) else {
        return;
    };
    let kind = match d.obliged {
        Obliged::BasicAndFull => ReportKind::Full,
        Obliged::BasicAndFocused => ReportKind::Focused,
        Obliged::Basic | Obliged::None => return,
    };
    let Some(set) = ctx.form.choices.get(ReportKind::SET) else {
        return;
    };
    let submitted = set.option(kind.id()).map_or("", |o| o.text.as_str());
    let own = report_name(ctx.form);
    // 「基礎項目評価書及び全項目評価書」 without this report: the one that is missing.
    let missing = submitted
        .strip_prefix(own)
        .map(|rest| rest.trim_start_matches('及'))
        .map(|rest| rest.trim_start_matches('び'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(submitted);
    ctx.report(
        "PIA-E402",
        "threshold.population",
        format!(
            "しきい値判断では{}が、この評価書は{own}だけです（{missing}がありません）",
            d.obliged.japanese(),
        ),
        format!(
            "{}。{missing}を作成してください。{own}は、その評価書と同じ TOML から `pia render --form 様式2` で作成できます。しきい値判断項目が誤っている場合はそれを直してください。",
            d.reason.trim_end_matches('。')
        ),
    );
}
