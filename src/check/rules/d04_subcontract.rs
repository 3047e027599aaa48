//! D-4: 再委託.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// 委託事項ごとの⑦再委託の有無と⑧再委託の許諾方法・⑨再委託事項、及びⅢ４．「再委託先による特定個人情報
/// ファイルの適切な取扱いの確保」の回答が合っているかを検査します。「再委託しない」委託事項に⑧⑨があれば
/// エラーです。どの委託事項も再委託しないのにⅢ４．で再委託先の確保を回答している場合、又は再委託する委託事項
/// があるのに「再委託していない」と回答している場合もエラーです。
///
/// ## 根拠
/// 様式４のⅡ４．⑦⑧⑨とⅢ４．の選択肢「4） 再委託していない」。仕様 yoshiki4.md §D-4。
///
/// ## 例
/// 委託事項2の⑦が「再委託しない」なのに⑧再委託の許諾方法が書かれている（PIA-E040）。
///
/// ## 直し方
/// ⑦の回答に合わせて⑧⑨を削除するか⑦を「再委託する」にします。Ⅲ４．の回答は、再委託する委託事項があれば
/// 確保の程度（1）～3））を、なければ「再委託していない」を選びます。
///
/// ## 確度
/// 様式の選択肢の構成から導いた規則で、確認済みです。
    id: "D-4",
    title: "再委託",
    reads: ["files[]"],
    codes: [
        "PIA-E040" Error Check Stable "再委託しないのに再委託の許諾方法・再委託事項が記載されている",
        "PIA-E041" Error Check Stable "「再委託していない」と委託事項の再委託の有無が一致しない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let ov = &f.overview.entrustment;
        let base = format!("files[{i}].overview.entrustment");
        let mut any_sub = false;
        let mut all_known = true;
        for (j, item) in ov.items.iter().enumerate() {
            let sp = format!("{base}.items[{j}].subcontract");
            match item.subcontract.status {
                Some(Subcontract::No) => {
                    for key in ["permission", "matters"] {
                        let p = format!("{sp}.{key}");
                        if ctx.filled(&p) {
                            let item = ctx.item(&p);
                            ctx.report(
                                "PIA-E040",
                                &p,
                                format!(
                                    "再委託の有無が「{}」なのに「{item}」が記載されています",
                                    ctx.text(Subcontract::No)
                                ),
                                "再委託しない場合、⑧再委託の許諾方法と⑨再委託事項は空欄です。",
                            );
                        }
                    }
                }
                Some(Subcontract::Yes) => any_sub = true,
                None => all_known = false,
            }
        }
        if ov.status == Some(Entrust::Entrust) && all_known && !ov.items.is_empty() {
            let ap = format!("files[{i}].risk.entrustment.subcontractor_assurance");
            match f.risk.entrustment.subcontractor_assurance {
                Some(SubcontractorAssurance::NoSubcontract) if any_sub => ctx.report(
                    "PIA-E041",
                    &ap,
                    format!(
                        "「{}」と回答していますが、「{}」に「{}」の委託事項があります",
                        ctx.text(SubcontractorAssurance::NoSubcontract),
                        ctx.item(&base),
                        ctx.text(Subcontract::Yes)
                    ),
                    "再委託先による取扱いの確保の程度を選び、具体的な方法を記載してください。",
                ),
                Some(a) if a != SubcontractorAssurance::NoSubcontract && !any_sub => ctx.report(
                    "PIA-E041",
                    &ap,
                    format!(
                        "どの委託事項も「{}」なのに「{}」と回答しています",
                        ctx.text(Subcontract::No),
                        ctx.text(a)
                    ),
                    format!(
                        "再委託がない場合は「{}」を選びます。",
                        ctx.text(SubcontractorAssurance::NoSubcontract)
                    ),
                ),
                _ => {}
            }
        }
    }
}
