//! D-21: 繰り返し記載する欄の数.

use super::UNVERIFIED_HELP;
use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// 繰り返し記載する欄の数を検査します。Ⅰ２．のシステムは様式の見出し（「システム16～20」）のとおり20まで
/// です。委託事項・提供先・移転先が20を超える場合は警告です。
///
/// ## 根拠
/// 様式４のⅠ２．の見出し。委託事項等の上限は記載要領で未確認です。仕様 yoshiki4.md §D-21。
///
/// ## 例
/// システムが21件ある（PIA-E210）。
///
/// ## 直し方
/// 関連するシステムをまとめるか、別紙の一覧を参照する書き方にします。
///
/// ## 確度
/// システムの上限は確認済み、委託事項等の上限は未確認（UNVERIFIED）のため警告です。
    id: "D-21",
    title: "システム・委託事項・提供先・移転先の数",
    codes: [
        "PIA-E210" Error Check Stable "システムの数が様式の上限を超えている",
        "PIA-W211" Warning Check Unverified "委託事項・提供先・移転先の数が20を超えている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let max = ctx
        .form
        .node("basic.systems[]")
        .and_then(|n| n.max)
        .unwrap_or(20);
    let n = ctx.a.basic.systems.len();
    if n > max {
        ctx.report(
            "PIA-E210",
            &format!("basic.systems[{max}]"),
            format!("システムが{n}件あります。様式に記載できるのはシステム{max}までです"),
            "関連するシステムをまとめて記載してください。",
        );
    }
    for (i, f) in ctx.a.files.iter().enumerate() {
        let ov = &f.overview;
        for (key, what, n) in [
            ("entrustment.items", "委託事項", ov.entrustment.items.len()),
            (
                "provision.recipients",
                "提供先",
                ov.provision.recipients.len(),
            ),
            (
                "provision.transferees",
                "移転先",
                ov.provision.transferees.len(),
            ),
        ] {
            if n > 20 {
                ctx.report(
                    "PIA-W211",
                    &format!("files[{i}].overview.{key}[20]"),
                    format!("{what}が{n}件あります（様式の見出しは{what}20までの想定です）"),
                    format!("{what}をまとめるか、別紙の一覧を参照する書き方を検討してください。記載できる数の上限は記載要領で確認できていません{UNVERIFIED_HELP}"),
                );
            }
        }
    }
}
