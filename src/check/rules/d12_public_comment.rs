//! D-12: Ⅵ２．意見聴取の期間.

use super::UNVERIFIED_HELP;
use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// Ⅵ２．国民・住民等からの意見の聴取 ②実施日・期間を検査します。開始日と終了日の両方が必要で（片方だけでは
/// 「～令和7年10月15日」のように印刷されます）、終了日は開始日以後です。期間（両端を含む日数）が30日未満の
/// 場合、③期間を短縮する特段の理由が必要です。空欄、「なし」、「短縮はなし」のように短縮していない旨の記載は
/// 理由になりません。
///
/// ## 根拠
/// 様式４のⅥ２．②「（計N日間）」、③期間を短縮する特段の理由。意見聴取を原則30日以上とする運用は未確認です。
/// 仕様 yoshiki4.md §D-12。
///
/// ## 例
/// 期間が26日間で、③が「期間短縮はなし。」（PIA-W120）。`period = { end = 2025-10-15 }` だけ（PIA-E122）。
///
/// ## 直し方
/// `period = { start = 開始日, end = 終了日 }` と両端を書きます。30日未満なら短縮した理由を③に書きます。
///
/// ## 確度
/// 日付の規則は確認済みです。30日の基準は未確認（UNVERIFIED）のため、短縮理由の欠落は警告です。
    id: "D-12",
    title: "意見聴取の期間",
    reads: ["procedure.public_comment"],
    codes: [
        "PIA-W120" Warning Check Unverified "意見聴取の期間が30日未満で短縮の理由がない",
        "PIA-E121" Error Check Stable "意見聴取の期間の終了日が開始日より前",
        "PIA-E122" Error Check Stable "意見聴取の期間の開始日・終了日の一方しかない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let pc = &ctx.a.procedure.public_comment;
    let period = "procedure.public_comment.period";
    let (start, end) = match (pc.period.start, pc.period.end) {
        (Some(s), Some(e)) => (s, e),
        (None, None) => return,
        (s, e) => {
            // One end alone would print 「～令和7年10月15日」.
            let (missing, present) = if s.is_none() {
                ("start", "end")
            } else {
                ("end", "start")
            };
            let item = ctx.item(period);
            let given = date_item(ctx, &format!("{period}.{present}"));
            let wanted = date_item(ctx, &format!("{period}.{missing}"));
            ctx.report(
                "PIA-E122",
                &format!("{period}.{present}"),
                format!("「{item}」に{}だけが書かれています（「{wanted}」がありません）", given.trim_start_matches(&item)),
                format!("期間は {{ start = 開始日, end = 終了日 }} の両方を書きます（{} のみでは「～」の片側が空欄で印刷されます）。", s.or(e).map(wareki).unwrap_or_default()),
            );
            return;
        }
    };
    if end < start {
        ctx.report(
            "PIA-E121",
            "procedure.public_comment.period.end",
            format!(
                "意見聴取の終了日（{}）が開始日（{}）より前です",
                wareki(end),
                wareki(start)
            ),
            "開始日と終了日を確認してください。",
        );
        return;
    }
    let days = pc.period.days().unwrap_or(0);
    if days < 30 && !states_shortening_reason(&pc.shortening_reason) {
        let item = ctx.item("procedure.public_comment.shortening_reason");
        ctx.report(
            "PIA-W120",
            "procedure.public_comment.shortening_reason",
            format!("意見聴取の期間が{days}日間（30日未満）ですが、「{item}」に期間を短縮した理由が記載されていません"),
            format!("意見聴取は原則30日以上です。期間を短縮した特段の理由を記載してください（「短縮はなし」のように短縮していない旨の記載は理由になりません）{UNVERIFIED_HELP}"),
        );
    }
}

/// Whether a ③期間を短縮する特段の理由 text gives a reason, rather than being empty, 「なし」 or a
/// sentence saying that the period was not shortened (「期間短縮はなし。」「短縮していない」).
fn states_shortening_reason(text: &str) -> bool {
    const NEGATIONS: &[&str] = &["なし", "無し", "ない", "ません", "せず", "なかった"];
    let t = squash(text);
    if t.is_empty() || is_nashi(&t) || t.starts_with("該当なし") || t.starts_with("該当無し")
    {
        return false;
    }
    let mut rest = t.as_str();
    while let Some(pos) = rest.find("短縮") {
        let after: String = rest[pos + "短縮".len()..].chars().take(8).collect();
        // 「短縮はなし」「短縮していない」「短縮は行っていません」「短縮しなかった」.
        let window: String = after
            .split(['。', '、', '，', '．'])
            .next()
            .unwrap_or("")
            .to_string();
        if NEGATIONS.iter().any(|n| window.contains(n)) {
            return false;
        }
        rest = &rest[pos + "短縮".len()..];
    }
    true
}
