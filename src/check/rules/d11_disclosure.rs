//! D-11: Ⅴ 開示請求の手数料とファイル簿.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅴ１．③手数料等が「無料」なのに（手数料額、納付方法：　）が書かれていないか、④個人情報ファイル簿の公表が
/// 「行っていない」のに個人情報ファイル名・公表場所が書かれていないかを検査します（「有料」「行っている」の
/// 場合にそれらが必要なことは D-1 が検査します）。
///
/// ## 根拠
/// 様式４のⅤ１．③④。仕様 yoshiki4.md §D-11。
///
/// ## 例
/// ③が「無料」なのに「1件300円」と書かれている（PIA-E110）。
///
/// ## 直し方
/// 回答に合わせて記載を削除するか、回答を直します。
///
/// ## 確度
/// 確認済みです。
    id: "D-11",
    title: "開示請求の手数料と個人情報ファイル簿",
    reads: ["disclosure.request.fee"],
    codes: [
        "PIA-E110" Error Check Stable "無料なのに手数料額、納付方法が記載されている",
        "PIA-E111" Error Check Stable "個人情報ファイル簿を公表していないのにファイル名・公表場所が記載されている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let r = &ctx.a.disclosure.request;
    if r.fee == Some(Fee::Free) && !r.fee_detail.trim().is_empty() {
        ctx.report(
            "PIA-E110",
            "disclosure.request.fee_detail",
            format!(
                "手数料等が「{}」なのに手数料額、納付方法が記載されています",
                ctx.text(Fee::Free)
            ),
            "無料の場合、（手数料額、納付方法：　）は空欄です。",
        );
    }
    if r.register_published == Some(Register::NotPublished) {
        for key in ["register_file_name", "register_place"] {
            let p = format!("disclosure.request.{key}");
            if ctx.filled(&p) {
                let item = ctx.item(&p);
                ctx.report(
                    "PIA-E111",
                    &p,
                    format!(
                        "個人情報ファイル簿の公表が「{}」なのに「{item}」が記載されています",
                        ctx.text(Register::NotPublished)
                    ),
                    "公表していない場合、個人情報ファイル名と公表場所は空欄です。",
                );
            }
        }
    }
}
