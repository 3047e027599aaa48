//! D-14: 評価実施機関の種別.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// 評価実施機関の種別（`meta.org_kind`）に応じた記載を検査します。行政機関等（健康保険組合等を含む）は全項目
/// 評価書について個人情報保護委員会の承認を受けるので、公表した評価書には表紙の承認日が必要です。地方公共
/// 団体等は第三者点検を受け、委員会の承認（表紙の承認日、Ⅵ４．）は記載しません。
///
/// ## 根拠
/// 番号法第28条第2項（行政機関等の長等による委員会の承認）、様式４の表紙「個人情報保護委員会　承認日
/// 【行政機関等のみ】」とⅥ３．Ⅵ４．。仕様 yoshiki4.md §D-14。
///
/// ## 例
/// 地方公共団体等の評価書に承認日が書かれている（PIA-E141）。
///
/// ## 直し方
/// 種別を確認し、種別に合わない欄を削除するか、必要な欄を記載します。
///
/// ## 確度
/// 確認済みです。
    id: "D-14",
    title: "評価実施機関の種別と承認・第三者点検",
    reads: ["procedure"],
    codes: [
        "PIA-E140" Error Check Stable "行政機関等なのに承認日がない",
        "PIA-E141" Error Check Stable "地方公共団体等なのに委員会の承認・承認日が記載されている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    match a.meta.org_kind {
        Some(OrgKind::Gov)
            if a.cover.ppc_approved_on.is_none() && a.cover.published_on.is_some() =>
        {
            ctx.report(
                "PIA-E140",
                "cover.ppc_approved_on",
                "行政機関等の全項目評価書ですが、表紙の個人情報保護委員会の承認日がありません",
                "行政機関等は全項目評価書について委員会の承認を受けてから公表します（番号法第28条第2項）。承認日を書いてください。",
            );
        }
        Some(OrgKind::LocalGov) => {
            let mut paths = vec!["cover.ppc_approved_on".to_string()];
            paths.push("procedure.ppc_approval.submitted_on".into());
            paths.push("procedure.ppc_approval.review".into());
            for p in paths {
                if ctx.filled(&p) {
                    let item = ctx.item(&p);
                    ctx.report(
                        "PIA-E141",
                        &p,
                        format!("地方公共団体等の評価書ですが「{item}」が記載されています"),
                        format!("個人情報保護委員会の承認は行政機関等のみです。地方公共団体等は「{}」を記載し、この項目は空欄にします。", ctx.item("procedure.third_party_review")),
                    );
                }
            }
        }
        _ => {}
    }
}
