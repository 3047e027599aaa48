//! D-6: Ⅲ５．「提供・移転しない」.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// Ⅲ５．「提供・移転しない」の印が、Ⅱ５．の提供・移転と合っているかを検査します。Ⅲ５．は委託や情報提供
/// ネットワークシステムを通じた提供を除くので、提供・移転を行っていないか、移転先がなく全ての提供先が情報提供
/// ネットワークシステムだけで提供している場合に「提供・移転しない」に印を付け、Ⅲ５．の他の項目を空欄にします。
///
/// ## 根拠
/// 様式４のⅢ５．見出し「特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）」と
/// チェック欄「提供・移転しない」。仕様 yoshiki4.md §D-6。
///
/// ## 例
/// 提供先の⑥提供方法が「情報提供ネットワークシステム」だけなのに「提供・移転しない」に印がない（PIA-E060）。
///
/// ## 直し方
/// 印を付けてⅢ５．の項目を削除するか、印を外してⅢ５．のリスク対策を記載します。
///
/// ## 確度
/// 様式の見出しと欄の構成から導いた規則で、確認済みです。
    id: "D-6",
    title: "Ⅲ５．「提供・移転しない」",
    reads: ["files[]"],
    codes: [
        "PIA-E060" Error Check Stable "Ⅲ５．「提供・移転しない」の印がⅡ５．と一致しない",
        "PIA-E061" Error Check Stable "「提供・移転しない」なのにⅢ５．の項目が記載されている",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let none_label = ctx.label("files[].risk.provision.none");
    for (i, f) in ctx.a.files.iter().enumerate() {
        let pv = &f.overview.provision;
        let none_path = format!("files[{i}].risk.provision.none");
        let only_network = pv.status.has("none")
            || (pv.transferees.is_empty()
                && !pv.status.has("transfer")
                && pv
                    .recipients
                    .iter()
                    .all(|r| r.methods.has("network") && r.methods.entries.len() == 1));
        let network = ctx.check_text("provide_methods", "network");
        if f.risk.provision.none && !only_network {
            ctx.report(
                "PIA-E060",
                &none_path,
                format!("「{none_label}」に印がありますが、「{}」に「{network}」以外の方法による提供又は移転があります", ctx.item(&format!("files[{i}].overview.provision"))),
                format!("「{network}」以外による提供・移転がある場合は印を外し、「{}」のリスク対策を記載してください。", ctx.item(&format!("files[{i}].risk.provision"))),
            );
        } else if !f.risk.provision.none && only_network {
            ctx.report(
                "PIA-E060",
                &none_path,
                format!("「{}」の提供・移転は「{network}」によるものだけですが、「{none_label}」に印がありません", ctx.item(&format!("files[{i}].overview.provision"))),
                format!("「{}」は委託や情報提供ネットワークシステムを通じた提供を除きます。「{none_label}」に印を付け（none = true）、その他の項目は空欄にしてください。", ctx.item(&format!("files[{i}].risk.provision"))),
            );
        }
        if f.risk.provision.none {
            for p in filled_leaves(
                ctx,
                "files[].risk.provision.",
                i,
                &["files[].risk.provision.none"],
            ) {
                let item = ctx.item(&p);
                ctx.report(
                    "PIA-E061",
                    &p,
                    format!("「{none_label}」に印があるのに「{item}」が記載されています"),
                    format!("「{none_label}」の場合、この項目は空欄です。"),
                );
            }
        }
    }
}
