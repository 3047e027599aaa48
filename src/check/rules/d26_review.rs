//! D-26: 5年経過前の再実施と年1回の見直し.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// 直近の評価の再実施（行政機関等は承認日、地方公共団体等は第三者点検の実施日、それ以外は基礎項目評価の
/// 実施日）から4年6か月を過ぎると、5年を経過する前の再実施を促す警告を出します。公表日から1年を過ぎると、
/// 年1回の見直しを促す警告を出します。基準日は `--today`（省略時はシステムの日付）です。
///
/// ## 根拠
/// 規則第15条等に基づく5年経過前の再実施（努力義務）、少なくとも1年に1回の見直し（努力義務）。
/// 仕様 yoshiki4.md §C.1、§D-26。
///
/// ## 例
/// 承認日が令和2年1月31日で、基準日が令和7年7月1日（PIA-W260）。
///
/// ## 直し方
/// 再実施又は見直しを計画し、実施して公表します。
///
/// ## 確度
/// 努力義務のため、常に警告です。
    id: "D-26",
    title: "再実施と見直しの時期",
    codes: [
        "PIA-W260" Warning Check Stable "直近の再実施から5年が近い（経過した）",
        "PIA-W261" Warning Check Stable "公表から1年以上見直しが行われていない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    let today = ctx
        .opts
        .today
        .unwrap_or_else(|| Date(jiff::Zoned::now().date()));
    // The latest 再実施: its approval (行政機関等), its 第三者点検 (地方公共団体等), else its 基礎項目評価.
    let (latest, latest_path) = match a.meta.org_kind {
        Some(OrgKind::Gov) => match (
            a.cover.ppc_approved_on,
            a.procedure.ppc_approval.submitted_on,
        ) {
            (Some(d), _) => (Some(d), "cover.ppc_approved_on"),
            (None, Some(d)) => (Some(d), "procedure.ppc_approval.submitted_on"),
            _ => (
                a.procedure.basic_assessment.date,
                "procedure.basic_assessment.date",
            ),
        },
        Some(OrgKind::LocalGov) if a.procedure.third_party_review.date.is_some() => (
            a.procedure.third_party_review.date,
            "procedure.third_party_review.date",
        ),
        _ => (
            a.procedure.basic_assessment.date,
            "procedure.basic_assessment.date",
        ),
    };
    if let Some(l) = latest {
        let five = l.plus_months(60);
        let warn = l.plus_months(54);
        let item = ctx.item(latest_path);
        if today >= five {
            ctx.report(
                "PIA-W260",
                latest_path,
                format!("直近の評価の再実施（{item} {}）から5年が経過しています（{}に経過）", wareki(l), wareki(five)),
                "評価書の公表から5年を経過する前に評価を再実施するよう努めることとされています（規則第15条、努力義務）。速やかに再実施を計画してください。",
            );
        } else if today >= warn {
            ctx.report(
                "PIA-W260",
                latest_path,
                format!("直近の評価の再実施（{item} {}）から4年6か月を過ぎました。{}に5年を経過します", wareki(l), wareki(five)),
                "5年を経過する前に評価を再実施するよう努めることとされています（規則第15条、努力義務）。再実施の準備を始めてください。",
            );
        }
    }
    if let Some(p) = a.cover.published_on {
        let due = p.plus_months(12);
        if today > due {
            ctx.report(
                "PIA-W261",
                "cover.published_on",
                format!("公表日（{}）から1年以上経過しています（確認日 {}）", wareki(p), wareki(today)),
                "少なくとも1年に1回は評価書の記載事項を見直すよう努めることとされています。見直した結果、変更があれば評価書を修正して公表してください。",
            );
        }
    }
}
