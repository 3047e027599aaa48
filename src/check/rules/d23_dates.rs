//! D-23: 提出時期 and the dates (one revision; the two-revision part is in `check::since`).

use super::helpers::wareki;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// 提出時期と日付の関係を検査します。「事後」の行は公表の時点で既に行った変更なので、変更日はその版の公表日
/// 以前です（一つの版で検査します）。`pia check --since <版>` では、追加された行が「事前」なら変更日は公表日より
/// 後、「事後」なら公表日以前であることを検査します。
///
/// ## 根拠
/// 事前・事後の定義（変更の前に提出・公表するか、後か）。仕様 yoshiki4.md §C.4、§D-23。
///
/// ## 例
/// 公表日が令和7年6月1日の版に、変更日が令和7年6月2日の「事後」の行がある（PIA-E231）。
///
/// ## 直し方
/// 変更日を確認します。公表より後に行う変更であれば提出時期を「事前」にします。
///
/// ## 確度
/// 定義から導いた規則で、確認済みです。
    id: "D-23",
    title: "提出時期と変更日・公表日",
    codes: [
        "PIA-E231" Error Check Stable "事後の行の変更日が公表日より後",
        "PIA-E230" Error Since Stable "提出時期と変更日・公表日の前後が合わない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let rows = ctx.a.changes.clone();
    for (k, row) in rows.iter().enumerate() {
        let base = format!("changes[{k}]");
        let n = k + 1;
        // D-23 within one revision: a 事後 row records a change already made when this revision
        // was published, so it cannot be dated after the 公表日.
        if let (Some(Timing::After), Some(d), Some(published)) =
            (row.timing, row.changed_on, ctx.a.cover.published_on)
            && d > published
        {
            let item = ctx.item("cover.published_on");
            let cn = &ctx.form.changes_name;
            ctx.report(
                "PIA-E231",
                &format!("{base}.changed_on"),
                format!(
                    "{cn}の{n}行目は「{}」ですが、変更日（{}）が「{item}」（{}）より後です",
                    ctx.text(Timing::After),
                    wareki(d),
                    wareki(published)
                ),
                format!(
                    "「{}」の行は公表の時点で既に行った変更です。変更日を確認するか、公表より後に行う変更であれば提出時期を「{}」にしてください。",
                    ctx.text(Timing::After),
                    ctx.text(Timing::Before)
                ),
            );
        }
    }
}
