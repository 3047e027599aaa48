//! D-27: 事務の終了.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// 事務を終了した場合（`meta.ended_on`）、評価書名の末尾に「【令和○年○月○日 終了】」が付いているか、
/// その日付が事務の終了日と一致するかを検査します。
///
/// ## 根拠
/// 事務を終了した評価書は評価書名に終了の旨を付け、終了後3年間公表を続けること。仕様 yoshiki4.md §D-27。
///
/// ## 例
/// `ended_on = 2025-06-30` なのに評価書名に【…終了】がない（PIA-E270）。
///
/// ## 直し方
/// 評価書名の末尾に「【令和7年6月30日 終了】」のように付けます。
///
/// ## 確度
/// 評価書名の記載は確認済みです。3年間の公表の継続は一つの版からは検査できません。
    id: "D-27",
    title: "事務を終了した評価書",
    codes: [
        "PIA-E270" Error Check Stable "事務を終了したのに評価書名に【終了】の記載がない",
        "PIA-W271" Warning Check Stable "評価書名の終了日と事務の終了日が一致しない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let Some(end) = ctx.a.meta.ended_on else {
        return;
    };
    let title = ctx.a.cover.title.trim();
    let tail_ok = title.ends_with("終了】");
    if !tail_ok {
        ctx.report(
            "PIA-E270",
            "cover.title",
            format!(
                "事務の終了日（{}）が設定されていますが、評価書名の末尾に【…終了】がありません",
                wareki(end)
            ),
            format!(
                "評価書名の末尾に「【{} 終了】」を付け、終了後も3年間は公表を続けてください。",
                wareki(end)
            ),
        );
        return;
    }
    let expected = format!("【{} 終了】", wareki(end));
    if !squash(title).ends_with(&squash(&expected)) {
        ctx.report(
            "PIA-W271",
            "cover.title",
            format!(
                "評価書名の終了日が事務の終了日（{}）と一致しません",
                wareki(end)
            ),
            format!("評価書名の末尾は「{expected}」です。"),
        );
    }
}
