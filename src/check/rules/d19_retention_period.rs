//! D-19: 保管期間「定められていない」.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅱ６．②保管期間が「定められていない」場合に、その妥当性に定めていない理由の説明（「なし」や短すぎる記載では
/// ない）があるかを検査します。
///
/// ## 根拠
/// 様式４のⅡ６．②の選択肢「定められていない」と「その妥当性」。仕様 yoshiki4.md §D-19。
///
/// ## 例
/// 保管期間が「定められていない」で、その妥当性が「なし」（PIA-W190）。
///
/// ## 直し方
/// 期間を定めていない理由と、不要になった情報の消去の方法を記載します。
///
/// ## 確度
/// 記載の趣旨から導いた規則で、警告です。
    id: "D-19",
    title: "保管期間を定めていない理由",
    reads: ["files[]"],
    codes: [
        "PIA-W190" Warning Check Stable "保管期間が「定められていない」理由の説明がない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let r = &f.overview.retention;
        if r.period != Some(RetentionPeriod::Undefined) {
            continue;
        }
        let t = r.period_rationale.trim();
        if t.is_empty() {
            continue; // D-1 reports the missing text
        }
        if is_nashi(t) || t.chars().count() < 15 {
            let p = format!("files[{i}].overview.retention.period_rationale");
            ctx.report(
                "PIA-W190",
                &p,
                format!("保管期間が「{}」ですが、その妥当性に定めていない理由の説明がありません", ctx.text(RetentionPeriod::Undefined)),
                "保管期間を定めていない理由と、不要になった情報をどのように消去するかを記載してください。",
            );
        }
    }
}
