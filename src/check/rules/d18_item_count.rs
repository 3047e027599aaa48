//! D-18: 記録される項目の区分と別添２.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅱ２．④記録される項目の区分（10項目未満 … 100項目以上）と、別添２に記載した記録項目の数を比べます。
///
/// ## 根拠
/// 様式４のⅡ２．④と（別添２）特定個人情報ファイル記録項目。仕様 yoshiki4.md §D-18。
///
/// ## 例
/// ④が「10項目未満」なのに別添２に161項目ある（PIA-W180）。
///
/// ## 直し方
/// 区分か別添２の記載を見直します。別添２で項目をまとめて書いた場合は区分に合わせて数えます。
///
/// ## 確度
/// 別添２の書き方が自由なため、警告です。
    id: "D-18",
    title: "記録される項目の数",
    reads: ["files[]"],
    codes: [
        "PIA-W180" Warning Check Stable "記録される項目の区分と別添２の項目数が一致しない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let Some(band) = f.overview.basic.item_count else {
            continue;
        };
        if f.attachment2.groups.is_empty() {
            continue;
        }
        let n = f.attachment2.item_total();
        let (lo, hi) = match band {
            ItemCount::Lt10 => (0, Some(10)),
            ItemCount::I10To50 => (10, Some(50)),
            ItemCount::I50To100 => (50, Some(100)),
            ItemCount::Ge100 => (100, None),
        };
        if n < lo || hi.is_some_and(|h| n >= h) {
            let p = format!("files[{i}].overview.basic.item_count");
            let item = ctx.item(&p);
            ctx.report(
                "PIA-W180",
                &p,
                format!("「{item}」が「{}」ですが、別添２に記載した記録項目は{n}項目です", ctx.text(band)),
                "記録される項目の区分と別添２の記録項目の数を確認してください（別添２に項目をまとめて書いた場合は区分に合わせて数えます）。",
            );
        }
    }
}
