//! D-17: 取扱者数.

use super::UNVERIFIED_HELP;
use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// しきい値判断項目の取扱者数（500人以上／500人未満）を、Ⅱ３．⑦使用者数と委託先の取扱者数の区分から求めた
/// 範囲と比べます。区分の下限だけで500人以上になるのに「500人未満」ならエラー、上限を合計しても500人未満なのに
/// 「500人以上」なら警告です。
///
/// ## 根拠
/// しきい値判断の取扱者数の定義（評価実施機関の従業者及び委託先の従業者のうちファイルを取り扱う者）。数え方の
/// 細部（再委託先を含めるか等）は未確認です。仕様 yoshiki4.md §B.3、§D-17。
///
/// ## 例
/// 使用者数が「1,000人以上」なのに取扱者数が「500人未満」（PIA-E170）。
///
/// ## 直し方
/// 取扱者数の区分、又は使用者数・委託先の取扱者数の区分を見直します。しきい値判断の結果も変わります。
///
/// ## 確度
/// 下限による判定は確認済み、上限による判定は未確認（UNVERIFIED）のため警告です。
    id: "D-17",
    title: "しきい値判断の取扱者数",
    reads: ["files[]"],
    codes: [
        "PIA-E170" Error Check Stable "取扱者数が500人以上となるのに「500人未満」",
        "PIA-W171" Warning Check Unverified "取扱者数が500人未満となるのに「500人以上」",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    // Bounds of the 取扱者数 from 使用者数 and the 委託先 取扱者数.
    let Some(h) = a.threshold.handlers else {
        return;
    };
    let mut lower = 0u64;
    let mut upper: Option<u64> = Some(0); // largest possible number (inclusive)
    let mut any = false;
    for f in &a.files {
        let mut staff: Vec<Staff> = f.overview.use_.user_count.into_iter().collect();
        if f.overview.entrustment.status == Some(Entrust::Entrust) {
            staff.extend(
                f.overview
                    .entrustment
                    .items
                    .iter()
                    .filter_map(|i| i.handler_count),
            );
        }
        for s in staff {
            any = true;
            let (lo, hi) = staff_range(s);
            lower = lower.max(lo);
            upper = match (upper, hi) {
                (Some(u), Some(h)) => Some(u + h - 1),
                _ => None,
            };
        }
    }
    if !any {
        return;
    }
    let ge = ctx.text(Handlers::Ge500);
    let lt = ctx.text(Handlers::Lt500);
    if lower >= 500 && h == Handlers::Lt500 {
        ctx.report(
            "PIA-E170",
            "threshold.handlers",
            format!("取扱者数が「{lt}」ですが、使用者数又は委託先の取扱者数だけで{lower}人以上になります"),
            format!("取扱者数は評価実施機関と委託先の従業者のうちファイルを取り扱う者の数です。「{ge}」としてください。"),
        );
    }
    if let Some(u) = upper
        && u < 500
        && h == Handlers::Ge500
    {
        ctx.report(
                "PIA-W171",
                "threshold.handlers",
                format!("取扱者数が「{ge}」ですが、使用者数と委託先の取扱者数を合計しても最大{u}人です"),
                format!("使用者数・委託先の取扱者数の区分か、取扱者数（「{lt}」）を確認してください。取扱者数の数え方（再委託先の従業者を含めるか等）は記載要領で確認できていません{UNVERIFIED_HELP}"),
            );
    }
}
