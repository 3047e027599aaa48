//! D-29: 評価書番号.

use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// 表紙の評価書番号が1以上の整数かを検査します。
///
/// ## 根拠
/// 評価書番号は特定個人情報保護評価計画管理書の評価書番号と同じ番号。仕様 yoshiki4.md §D-29。
///
/// ## 例
/// `assessment_number = 0`（PIA-W290）。
///
/// ## 直し方
/// 計画管理書の評価書番号を書きます。
///
/// ## 確度
/// 警告です。版の間で番号が変わらないことは `pia diff` で確認できます。
    id: "D-29",
    title: "評価書番号",
    codes: [
        "PIA-W290" Warning Check Stable "評価書番号が正の整数でない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    if ctx.a.cover.assessment_number == Some(0) {
        ctx.report(
            "PIA-W290",
            "cover.assessment_number",
            "評価書番号が0です",
            "評価書番号は特定個人情報保護評価計画管理書の評価書番号（1以上の整数）と同じ番号です。",
        );
    }
}
