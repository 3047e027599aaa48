//! D-15: しきい値判断結果.

use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// Ⅵ１．②しきい値判断結果が、しきい値判断項目（対象人数・取扱者数・重大事故）から求めた結果と一致するか、
/// しきい値判断の対象人数がⅠ１．③対象人数と同じ区分かを検査します。全項目評価が義務付けられない場合に任意に
/// 全項目評価を実施するときは、「（任意に全項目評価を実施）」の選択肢を選びます。
///
/// ## 根拠
/// 特定個人情報保護評価指針のしきい値判断（仕様 yoshiki4.md §B.2 の表）、様式４のⅥ１．②の選択肢。§D-15。
///
/// ## 例
/// 対象人数30万人以上なのに「基礎項目評価の実施が義務付けられる（任意に全項目評価を実施）」（PIA-E150）。
///
/// ## 直し方
/// `pia threshold <評価書>` で判断結果を確認し、②又はしきい値判断項目を直します。
///
/// ## 確度
/// 確認済みです。
    id: "D-15",
    title: "しきい値判断結果",
    reads: ["procedure.basic_assessment.threshold_result"],
    codes: [
        "PIA-E150" Error Check Stable "しきい値判断結果がしきい値判断項目から求めた結果と一致しない",
        "PIA-E151" Error Check Stable "しきい値判断の対象人数がⅠ１．③対象人数と一致しない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    if let (Some(t), Some(b)) = (a.threshold.population, a.basic.affairs.target_population)
        && t != b
    {
        ctx.report(
                "PIA-E151",
                "threshold.population",
                format!("しきい値判断の対象人数（{}）が「{}」（{}）と一致しません", ctx.text(t), ctx.item("basic.affairs.target_population"), ctx.text(b)),
                "基礎項目評価書のしきい値判断項目と全項目評価書の対象人数は同じ区分です。どちらかを直してください。",
            );
    }
    if let (Some(d), Some(r)) = (
        crate::threshold::decide_for(ctx.form, &a.threshold),
        a.procedure.basic_assessment.threshold_result,
    ) {
        let expected = d.obliged.result_option();
        if expected != r {
            ctx.report(
                "PIA-E150",
                "procedure.basic_assessment.threshold_result",
                format!(
                    "しきい値判断結果が「{}」ですが、しきい値判断項目からは「{}」となります",
                    ctx.text(r),
                    ctx.text(expected)
                ),
                format!(
                    "{}、{}。全項目評価書では「{}」を選びます。",
                    d.reason,
                    d.obliged.japanese(),
                    ctx.text(expected)
                ),
            );
        }
    }
}
