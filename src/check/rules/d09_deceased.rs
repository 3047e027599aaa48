//! D-9: ⑩死者の個人番号.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅲ７．リスク１ ⑩死者の個人番号が「保管していない」のに具体的な保管方法が書かれていないかを検査します
/// （「保管している」場合に保管方法が必要なことは D-1 が検査します）。
///
/// ## 根拠
/// 様式４のⅢ７．リスク１⑩と「具体的な保管方法」。仕様 yoshiki4.md §D-9。
///
/// ## 例
/// ⑩が「保管していない」なのに「具体的な保管方法」が記載されている（PIA-E090）。
///
/// ## 直し方
/// 保管方法を削除するか、⑩を「保管している」にします。
///
/// ## 確度
/// 確認済みです。
    id: "D-9",
    title: "死者の個人番号の保管",
    reads: ["files[]"],
    codes: [
        "PIA-E090" Error Check Stable "死者の個人番号を保管していないのに保管方法が記載されている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let r1 = &f.risk.retention.r1;
        let base = format!("files[{i}].risk.retention.r1");
        if r1.deceased_numbers == Some(Deceased::NotKept) {
            let p = format!("{base}.deceased_numbers_method");
            if ctx.filled(&p) {
                ctx.report(
                    "PIA-E090",
                    &p,
                    format!("⑩死者の個人番号が「{}」なのに具体的な保管方法が記載されています", ctx.text(Deceased::NotKept)),
                    "保管していない場合、具体的な保管方法は空欄です。保管している場合は⑩を見直してください。",
                );
            }
        }
    }
}
