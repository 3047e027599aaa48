//! D-8: ⑨重大事故.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅲ７．リスク１ ⑨過去３年以内の個人情報に関する重大事故の回答を検査します。「発生なし」ならその内容と
/// 再発防止策の内容は空欄です。しきい値判断項目で過去1年以内に特定個人情報に関する重大事故があった
/// （`threshold.serious_incident_1y = true`）のに⑨が「発生なし」ならエラーです。「発生あり」の場合に
/// その内容・再発防止策が必要なことは、記載の要否の規則（D-1）が検査します。
///
/// ## 根拠
/// 様式４のⅢ７．リスク１⑨「その内容」「再発防止策の内容」、しきい値判断の重大事故の定義。仕様 yoshiki4.md §D-8。
///
/// ## 例
/// ⑨が「発生なし」なのに「その内容」に事故の記載がある（PIA-E080）。
///
/// ## 直し方
/// ⑨の回答に合わせて、その内容と再発防止策を削除するか⑨を「発生あり」にします。
///
/// ## 確度
/// 確認済みです。
    id: "D-8",
    title: "重大事故の発生",
    reads: ["files[]"],
    codes: [
        "PIA-E080" Error Check Stable "重大事故「発生なし」なのにその内容・再発防止策が記載されている",
        "PIA-E081" Error Check Stable "しきい値判断の重大事故とⅢ７．⑨が一致しない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let r1 = &f.risk.retention.r1;
        let base = format!("files[{i}].risk.retention.r1");
        if r1.serious_incident == Some(Incident::None) {
            for key in ["serious_incident_detail", "recurrence_prevention"] {
                let p = format!("{base}.{key}");
                if ctx.filled(&p) {
                    let item = ctx.item(&p);
                    ctx.report(
                        "PIA-E080",
                        &p,
                        format!(
                            "⑨が「{}」なのに「{item}」が記載されています",
                            ctx.text(Incident::None)
                        ),
                        "重大事故が発生していない場合、その内容と再発防止策の内容は空欄です。",
                    );
                }
            }
        }
        if ctx.a.threshold.serious_incident_1y == Some(true)
            && r1.serious_incident == Some(Incident::None)
        {
            ctx.report(
                "PIA-E081",
                &format!("{base}.serious_incident"),
                format!("しきい値判断で過去1年以内に特定個人情報に関する重大事故ありとしているのに、⑨が「{}」です", ctx.text(Incident::None)),
                format!("⑨は過去３年以内の個人情報に関する重大事故を問うので、1年以内の特定個人情報に関する重大事故があれば「{}」です。", ctx.text(Incident::Occurred)),
            );
        }
    }
}
