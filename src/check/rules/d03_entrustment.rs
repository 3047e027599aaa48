//! D-3: 委託の有無、委託事項、件数と Ⅲ４．「委託しない」.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅱ４．委託の有無と、委託事項の記載・「（　）件」の件数・Ⅲ４．「委託しない」の印が互いに合っているかを
/// 特定個人情報ファイルごとに検査します。委託しない場合は委託事項も件数もなく、Ⅲ４．は「委託しない」に印を
/// 付けて他の項目を空欄にします。委託する場合は委託事項が1件以上あり、件数はその数と一致し、「委託しない」に
/// 印はありません。
///
/// ## 根拠
/// 様式４のⅡ４．「委託の有無」「（　）件」と委託事項1～の欄、Ⅲ４．冒頭のチェック欄「委託しない」。
/// 仕様 yoshiki4.md §D-3。
///
/// ## 例
/// 委託の有無が「委託する」で「（ 4 ）件」なのに委託事項が3件しかない（PIA-E030）。
/// 委託の有無が「委託しない」なのにⅢ４．に「委託しない」の印がない（PIA-E031）。
///
/// ## 直し方
/// 件数を委託事項の数に合わせるか、委託事項を追加・削除します。委託しない場合は
/// `[files.risk.entrustment]` の `not_entrusted = true` とし、Ⅲ４．の他の項目を削除します。
///
/// ## 確度
/// 様式の欄の構成から導いた規則で、確認済みです。
    id: "D-3",
    title: "委託の有無と委託事項",
    reads: ["files[]"],
    codes: [
        "PIA-E030" Error Check Stable "委託の有無と委託事項・件数が一致しない",
        "PIA-E031" Error Check Stable "Ⅲ４．「委託しない」の印がⅡ４．委託の有無と一致しない",
        "PIA-E032" Error Check Stable "委託しないのにⅢ４．の項目が記載されている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let not_entrusted = ctx.label("files[].risk.entrustment.not_entrusted");
    for (i, f) in ctx.a.files.iter().enumerate() {
        let ov = &f.overview.entrustment;
        let base = format!("files[{i}].overview.entrustment");
        let status_path = format!("{base}.status");
        let n = ov.items.len();
        match ov.status {
            Some(Entrust::None) => {
                if n > 0 {
                    ctx.report(
                        "PIA-E030",
                        &format!("{base}.items[0]"),
                        format!("委託の有無が「{}」なのに委託事項が{n}件記載されています", ctx.text(Entrust::None)),
                        format!("委託する場合は委託の有無を「{}」に、委託しない場合は委託事項（[[files.overview.entrustment.items]]）を削除してください。", ctx.text(Entrust::Entrust)),
                    );
                }
                if ov.count.is_some() {
                    ctx.report(
                        "PIA-E030",
                        &format!("{base}.count"),
                        format!(
                            "委託の有無が「{}」なのに件数が記載されています",
                            ctx.text(Entrust::None)
                        ),
                        "委託しない場合、件数（count）は書きません。",
                    );
                }
                if !f.risk.entrustment.not_entrusted {
                    ctx.report(
                        "PIA-E031",
                        &format!("files[{i}].risk.entrustment.not_entrusted"),
                        format!(
                            "「{}」が「{}」なのに、「{}」に印がありません",
                            ctx.item(&status_path),
                            ctx.text(Entrust::None),
                            ctx.item(&format!("files[{i}].risk.entrustment.not_entrusted")),
                        ),
                        format!(
                            "「{}」に印を付け（not_entrusted = true）、その他の項目は空欄にしてください。",
                            ctx.item(&format!("files[{i}].risk.entrustment.not_entrusted"))
                        ),
                    );
                } else {
                    let filled = filled_leaves(
                        ctx,
                        "files[].risk.entrustment.",
                        i,
                        &["files[].risk.entrustment.not_entrusted"],
                    );
                    for p in filled {
                        let item = ctx.item(&p);
                        ctx.report(
                            "PIA-E032",
                            &p,
                            format!("「{not_entrusted}」に印があるのに「{item}」が記載されています"),
                            format!("「{not_entrusted}」の場合、この項目は空欄です。この記載を削除するか、委託の有無を見直してください。"),
                        );
                    }
                }
            }
            Some(Entrust::Entrust) => {
                if n == 0 {
                    ctx.report(
                        "PIA-E030",
                        &status_path,
                        format!(
                            "委託の有無が「{}」なのに委託事項が記載されていません",
                            ctx.text(Entrust::Entrust)
                        ),
                        "委託事項ごとに [[files.overview.entrustment.items]] を記載してください。",
                    );
                }
                match ov.count {
                    Some(c) if c as usize != n && n > 0 => ctx.report(
                        "PIA-E030",
                        &format!("{base}.count"),
                        format!("委託の件数（{c}件）と委託事項の数（{n}件）が一致しません"),
                        format!("「（ {n} ）件」と委託事項の数に合わせるか、委託事項を見直してください。"),
                    ),
                    Some(0) => ctx.report("PIA-E030", &format!("{base}.count"), "委託する場合、件数は1件以上です", "委託事項の数を書いてください。"),
                    _ => {}
                }
                if f.risk.entrustment.not_entrusted {
                    ctx.report(
                        "PIA-E031",
                        &format!("files[{i}].risk.entrustment.not_entrusted"),
                        format!(
                            "「{}」が「{}」なのに、「{}」に印があります",
                            ctx.item(&status_path),
                            ctx.text(Entrust::Entrust),
                            ctx.item(&format!("files[{i}].risk.entrustment.not_entrusted")),
                        ),
                        format!(
                            "「{}」の印を外し（not_entrusted = false）、「{}」のリスク対策を記載してください。",
                            ctx.item(&format!("files[{i}].risk.entrustment.not_entrusted")),
                            ctx.item(&format!("files[{i}].risk.entrustment"))
                        ),
                    );
                }
            }
            None => {}
        }
    }
}
