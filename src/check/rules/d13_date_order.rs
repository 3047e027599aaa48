//! D-13: 評価実施手続の日付の順序.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// 直近の評価（再実施）の手続の日付の順序を検査します。
/// ・地方公共団体等: 意見聴取の終了日 ＜ 第三者点検の実施日 ≦ 公表日、基礎項目評価の実施日 ≦ 第三者点検の実施日。
/// ・行政機関等: 意見聴取の終了日 ＜ 委員会への提出日 ≦ 承認日 ≦ 公表日、基礎項目評価の実施日 ≦ 提出日。
/// ・どちらも: 意見聴取の終了日と基礎項目評価の実施日は公表日以前です。
/// また、ファイルの⑤保有開始日が⑨使用開始日より後なら警告です。
/// 基礎項目評価と意見聴取の前後は検査しません。公表されている評価書（seed 002）は基礎項目評価の実施日を
/// 委員会への提出日とし、意見聴取の後の日付を記載しているためです。
///
/// ## 根拠
/// 番号法第28条（公示し意見を求め、必要な見直しを行い、承認を受け、公表）、地方公共団体等の第三者点検。
/// 仕様 yoshiki4.md §D-13。
///
/// ## 例
/// 委員会への提出日（令和6年2月5日）が承認日（令和6年1月31日）より後（PIA-E130）。
///
/// ## 直し方
/// 日付を確認して直します。再実施をした場合は、Ⅵ の日付を全て再実施の日付にします。
///
/// ## 確度
/// 手続の順序は法令に基づき確認済みです。保有開始日と使用開始日の前後は警告です。
    id: "D-13",
    title: "評価実施手続の日付の順序",
    reads: ["procedure"],
    codes: [
        "PIA-E130" Error Check Stable "評価実施手続の日付の順序が誤っている",
        "PIA-W131" Warning Check Stable "保有開始日が使用開始日より後",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    let pr = &a.procedure;
    let pc = &pr.public_comment.period;
    const END: &str = "procedure.public_comment.period.end";
    const BASIC: &str = "procedure.basic_assessment.date";
    const PUBLISHED: &str = "cover.published_on";
    // (earlier date, its path, later date, its path, strictly later). The chain of the latest
    // 再実施: 意見聴取 → 第三者点検 (地方公共団体等) or 委員会への提出 → 承認 (行政機関等) → 公表, with
    // the 基礎項目評価 done by the review or submission at the latest. (The seed dates its
    // 基礎項目評価 on the day of submission, after the 意見聴取, so no order is required between
    // the 基礎項目評価 and the 意見聴取.)
    type Order<'p> = (Option<Date>, &'p str, Option<Date>, &'p str, bool);
    let mut checks: Vec<Order> = Vec::new();
    let review: Option<(Option<Date>, &str)> = match a.meta.org_kind {
        Some(OrgKind::LocalGov) => Some((
            pr.third_party_review.date,
            "procedure.third_party_review.date",
        )),
        Some(OrgKind::Gov) => Some((
            pr.ppc_approval.submitted_on,
            "procedure.ppc_approval.submitted_on",
        )),
        None => None,
    };
    if let Some((date, path)) = review {
        checks.push((pc.end, END, date, path, true));
        checks.push((pr.basic_assessment.date, BASIC, date, path, false));
        match a.meta.org_kind {
            Some(OrgKind::Gov) => {
                checks.push((
                    date,
                    path,
                    a.cover.ppc_approved_on,
                    "cover.ppc_approved_on",
                    false,
                ));
                checks.push((
                    a.cover.ppc_approved_on,
                    "cover.ppc_approved_on",
                    a.cover.published_on,
                    PUBLISHED,
                    false,
                ));
            }
            _ => checks.push((date, path, a.cover.published_on, PUBLISHED, false)),
        }
    }
    // Whatever the kind of body: nothing of the procedure after the publication.
    checks.push((pc.end, END, a.cover.published_on, PUBLISHED, false));
    checks.push((
        pr.basic_assessment.date,
        BASIC,
        a.cover.published_on,
        PUBLISHED,
        false,
    ));
    let mut reported: Vec<&str> = Vec::new();
    for (first, first_path, second, second_path, strict) in checks {
        let (Some(x), Some(y)) = (first, second) else {
            continue;
        };
        let bad = if strict { x >= y } else { x > y };
        // One finding per later date: the first broken link explains it.
        if !bad || reported.contains(&second_path) {
            continue;
        }
        reported.push(second_path);
        let fi = date_item(ctx, first_path);
        let si = date_item(ctx, second_path);
        let order = if strict {
            "より後"
        } else {
            "と同じか後"
        };
        ctx.report(
            "PIA-E130",
            second_path,
            format!(
                "「{si}」（{}）が「{fi}」（{}）{}になっています",
                wareki(y),
                wareki(x),
                if strict { "と同じか前" } else { "より前" }
            ),
            format!("評価実施手続は 意見聴取 → 第三者点検又は委員会への提出 → 承認 → 公表 の順です。「{si}」は「{fi}」{order}の日付です。"),
        );
    }
    for (i, f) in a.files.iter().enumerate() {
        if let (Some(h), Some(u)) = (f.overview.basic.holding_start, f.overview.use_.start)
            && h > u
        {
            let hp = format!("files[{i}].overview.basic.holding_start");
            let up = format!("files[{i}].overview.use.start");
            let hi = ctx.item(&hp);
            let ui = ctx.item(&up);
            ctx.report(
                "PIA-W131",
                &hp,
                format!(
                    "「{hi}」（{}）が「{ui}」（{}）より後です",
                    wareki(h),
                    wareki(u)
                ),
                "保有を開始する前に使用を開始することはできません。日付を確認してください。",
            );
        }
    }
}
