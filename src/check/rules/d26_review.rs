//! D-26: 5年経過前の再実施と年1回の見直し.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;
use crate::review;

rule! {
/// ## 検査内容
/// 直近の評価の再実施（行政機関等は承認日、地方公共団体等は第三者点検の実施日、それ以外は基礎項目評価の
/// 実施日）から4年6か月を過ぎると、5年を経過する前の再実施を促す警告を出します（PIA-W260。年1回の見直しの
/// 記録では延びません）。公表日又は最後の見直し（`[[meta.reviews]]` の実施日のうち公表日以後で最も新しいもの）
/// から1年を過ぎると、年1回の見直しを促す警告を出します（PIA-W261）。見直しの記録には実施日と結果が必要で
/// （PIA-E262）、実施日が基準日より後の記録は警告です（PIA-W263）。基準日は `--today`（省略時はシステムの日付）
/// です。
///
/// ## 根拠
/// 規則第15条等に基づく5年経過前の再実施（努力義務）、少なくとも1年に1回の見直し（努力義務）。
/// 仕様 yoshiki4.md §C.1、§D-26。
///
/// ## 例
/// 承認日が令和2年1月31日で、基準日が令和7年7月1日（PIA-W260）。公表日が令和7年6月1日で見直しの記録がなく、
/// 基準日が令和8年7月1日（PIA-W261）。`[[meta.reviews]]` に result がない（PIA-E262）。
///
/// ## 直し方
/// 再実施又は見直しを計画し、実施します。見直しをしたら `pia review <評価書> --date <実施日> --result "変更なし"`
/// で記録します（変更した場合は変更の内容を書き、評価書を修正して `pia release` で公表します）。
///
/// ## 確度
/// 再実施と見直しは努力義務のため警告です。見直しの記録の欠落（実施日・結果）は記録として読めないためエラーです。
    id: "D-26",
    title: "再実施と見直しの時期",
    codes: [
        "PIA-W260" Warning Check Stable "直近の再実施から5年が近い（経過した）",
        "PIA-W261" Warning Check Stable "公表又は最後の見直しから1年以上見直しが行われていない",
        "PIA-E262" Error Check Stable "見直しの記録に実施日又は結果がない",
        "PIA-W263" Warning Check Stable "見直しの記録の実施日が基準日より後",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    let today = ctx.opts.today.unwrap_or_else(Date::today);
    if let Some((l, latest_path)) = review::latest_reassessment(a) {
        let five = l.plus_months(review::REASSESSMENT_MONTHS);
        let warn = l.plus_months(review::REASSESSMENT_WARN_MONTHS);
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
    for (i, r) in a.meta.reviews.iter().enumerate() {
        let base = format!("meta.reviews[{i}]");
        let n = i + 1;
        let mut missing = Vec::new();
        if r.date.is_none() {
            missing.push(("date", ctx.label("meta.reviews[].date")));
        }
        if r.result.trim().is_empty() {
            missing.push(("result", ctx.label("meta.reviews[].result")));
        }
        if let Some((key, _)) = missing.first() {
            let names: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
            ctx.report(
                "PIA-E262",
                &format!("{base}.{key}"),
                format!("見直しの記録{n}に{}がありません", names.join("と")),
                "見直しの記録には実施日（date = YYYY-MM-DD）と結果（result = \"変更なし\" 又は変更した内容）を書きます。`pia review <評価書> --date <実施日> --result \"…\"` で追加できます。",
            );
        }
        if let Some(d) = r.date
            && d > today
        {
            ctx.report(
                "PIA-W263",
                &format!("{base}.date"),
                format!("見直しの記録{n}の実施日（{}）が確認日（{}）より後です", wareki(d), wareki(today)),
                "見直しは行った後に記録します。実施日を確認してください（予定日を書くと、年1回の見直しの期限が正しく判断できません）。",
            );
        }
    }
    if let Some(basis) = review::review_basis(a) {
        let due = basis.date().plus_months(review::REVIEW_MONTHS);
        if today > due {
            let since = match basis {
                review::ReviewBasis::Published(p) => format!("公表日（{}）", wareki(p)),
                review::ReviewBasis::Reviewed { date, index } => {
                    format!(
                        "最後の見直し（見直しの記録{}、{}）",
                        index + 1,
                        wareki(date)
                    )
                }
            };
            ctx.report(
                "PIA-W261",
                &basis.path(),
                format!("{since}から1年以上経過しています（期限 {}、確認日 {}）", wareki(due), wareki(today)),
                "少なくとも1年に1回は評価書の記載事項を見直すよう努めることとされています。見直したら `pia review <評価書> --date <実施日> --result \"変更なし\"` で記録します。変更があれば評価書を修正して `pia release` で公表してください。",
            );
        }
    }
}
