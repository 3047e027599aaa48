//! The stage of the document (`meta.stage`): a 案 whose 意見聴取 is over (PIA-W330). What a 案 or
//! 素案 may leave empty is form data (`absent_when` on `/meta.stage`), applied by `check::policy`
//! (see `crate::stage`).

use super::helpers::wareki;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::{Date, Stage};

rule! {
/// ## 検査内容
/// 評価書の段階（`meta.stage`）を検査します。段階が「案（意見聴取）」で、Ⅵ２．②実施日・期間の終了日が基準日
/// （`--today`、省略時はシステムの日付）より前なら、意見聴取が終わったことを知らせる警告を出します（PIA-W330）。
/// なお、段階ごとに記載しない項目は様式の定義（`absent_when = "/meta.stage = consultation"`）にあり、検査は
/// それを問いません。案では公表日、承認日、Ⅵ２．④主な意見の内容・⑤評価書への反映、Ⅵ３．第三者点検、
/// Ⅵ４．委員会の承認を記載しません（再実施の案に前回の値が残っていても検査しません）。素案は案と同じ項目を
/// 記載せず、未記入・仮の記載（PIA-E010、PIA-E011）を警告として報告します。案と素案では、`pia check --since` は
/// 別添３の行の記録漏れ（PIA-E240）と公表日との前後（PIA-E230）を検査しません（公表するときに `pia release` が
/// 記録します）。段階がなければ最終です。
///
/// ## 根拠
/// 番号法第28条（評価書を公示し広く意見を求め、必要な見直しを行った後に承認を受け、公表）。意見聴取の結果は
/// Ⅵ２．④⑤に記載します。仕様 yoshiki4.md §B.4、§C.1。
///
/// ## 例
/// `stage = "案（意見聴取）"` で、意見聴取の期間が令和8年2月5日まで、基準日が令和8年3月1日（PIA-W330）。
///
/// ## 直し方
/// 意見を④⑤に記載し、第三者点検（地方公共団体等）又は委員会の承認（行政機関等）を経て、`stage = "最終"` に
/// して `pia release <評価書> --date <公表日>` で公表します。期間を延長した場合は②を直します。
///
/// ## 確度
/// 手続の順序は法令に基づき確認済みです。段階の更新を促すもののため警告です。
    id: "段階",
    title: "評価書の段階",
    reads: ["procedure.public_comment"],
    codes: [
        "PIA-W330" Warning Check Stable "案（意見聴取）の意見聴取の期間が終わっている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    if ctx.a.meta.stage() != Stage::Consultation {
        return;
    }
    let today = ctx.opts.today.unwrap_or_else(Date::today);
    let period = &ctx.a.procedure.public_comment.period;
    let Some(end) = period.end else { return };
    if end >= today {
        return;
    }
    let stage = crate::stage::text(ctx.form, Stage::Consultation).to_string();
    let last = crate::stage::text(ctx.form, Stage::Final).to_string();
    let item = ctx.item("procedure.public_comment.period");
    let opinions = ctx.item("procedure.public_comment.main_opinions");
    let reflection = ctx.item("procedure.public_comment.reflection");
    ctx.report(
        "PIA-W330",
        "procedure.public_comment.period.end",
        format!(
            "段階が「{stage}」ですが、「{item}」の終了日（{}）を過ぎています（確認日 {}）",
            wareki(end),
            wareki(today)
        ),
        format!(
            "意見を「{opinions}」「{reflection}」に記載し、第三者点検又は委員会の承認を経て、meta.stage を「{last}」にして `pia release <評価書> --date <公表日>` で公表します。期間を延長した場合は期間を直してください。"
        ),
    );
}
