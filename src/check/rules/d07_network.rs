//! D-7: 情報提供ネットワークシステムとの接続.

use super::UNVERIFIED_HELP;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// Ⅲ６．情報提供ネットワークシステムとの接続の「接続しない（入手）」「接続しない（提供）」の印を、Ⅰ６．①
/// 実施の有無、Ⅱ３．②入手方法、Ⅱ５．の提供方法と照らし合わせます。
/// ・Ⅰ６．①が「実施しない」なら、各ファイルで両方の印が必要です。
/// ・Ⅰ６．①が「実施する」は事務についての回答です。少なくとも一つのファイルがどちらかの側で接続していなければ
///   なりません（情報連携に使わないファイルが両方に印を付けるのは正しい記載です）。
/// ・入手方法・提供方法に「情報提供ネットワークシステム」があるファイルは、その側に印を付けられません。
/// ・印を付けた側のリスク（入手はリスク１～４、提供はリスク５～７）は空欄です（警告）。
/// ・「実施する」なのにⅠ２．のどのシステムも情報提供ネットワークシステムに接続していない場合は警告です。
///
/// ## 根拠
/// 様式４のⅠ６．①、Ⅲ６．冒頭のチェック欄。仕様 yoshiki4.md §D-7。リスクを空欄にする扱いは未確認です。
///
/// ## 例
/// Ⅰ６．①が「実施する」で、唯一のファイルが「接続しない（入手）」「接続しない（提供）」の両方に印を付けている
/// （PIA-E071）。
///
/// ## 直し方
/// 情報提供ネットワークシステムを通じて入手・提供するファイルのその側の印を外してリスク対策を記載するか、
/// 情報連携を行わないのであればⅠ６．①を見直します。
///
/// ## 確度
/// 印と実施の有無・入手方法・提供方法の対応は確認済みです。印を付けた側のリスクを空欄とする扱いと、接続する
/// システムの有無は未確認（UNVERIFIED）のため警告です。
    id: "D-7",
    title: "情報提供ネットワークシステムとの接続",
    codes: [
        "PIA-W070" Warning Check Unverified "「接続しない」なのに対応するリスクが記載されている",
        "PIA-E071" Error Check Stable "情報連携の実施の有無と「接続しない」の印が一致しない",
        "PIA-E072" Error Check Stable "情報提供ネットワークシステムを使うのに「接続しない」",
        "PIA-W073" Warning Check Unverified "情報提供ネットワークシステムに接続するシステムがない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let no_acquire = ctx.label("files[].risk.network.no_acquire");
    let no_provide = ctx.label("files[].risk.network.no_provide");
    let linkage = ctx.a.basic.info_linkage.status;
    let any_connected = ctx
        .a
        .basic
        .systems
        .iter()
        .any(|s| s.connections.has("network"));
    let nws = ctx.check_text("connect", "network");
    if linkage == Some(Linkage::Yes) && !any_connected && !ctx.a.basic.systems.is_empty() {
        ctx.report(
            "PIA-W073",
            "basic.info_linkage.status",
            format!("情報連携を「{}」としていますが、Ⅰ２．のどのシステムも③他のシステムとの接続に「{nws}」がありません", ctx.text(Linkage::Yes)),
            format!("委託先のシステム（中間サーバー等）を通じて接続する場合も、そのシステムをⅠ２．に記載して接続先を示すか確認してください{UNVERIFIED_HELP}"),
        );
    }
    for (i, f) in ctx.a.files.iter().enumerate() {
        let nw = &f.risk.network;
        let base = format!("files[{i}].risk.network");
        for (key, _) in nw.risks() {
            let n: u32 = key[1..].parse().unwrap_or(0);
            let (checked, label) = if n <= 4 {
                (nw.no_acquire, no_acquire)
            } else {
                (nw.no_provide, no_provide)
            };
            if !checked {
                continue;
            }
            for leaf in ["measures", "adequacy"] {
                let p = format!("{base}.{key}.{leaf}");
                if ctx.filled(&p) {
                    let item = ctx.item(&p);
                    ctx.report(
                        "PIA-W070",
                        &p,
                        format!("「{label}」に印があるのに「{item}」が記載されています"),
                        format!(
                            "「{label}」の場合、対応するリスク（{}）は空欄です{UNVERIFIED_HELP}",
                            if n <= 4 {
                                "リスク１～４"
                            } else {
                                "リスク５～７"
                            }
                        ),
                    );
                }
            }
        }
        if linkage == Some(Linkage::No) {
            for (flag, key, label) in [
                (nw.no_acquire, "no_acquire", no_acquire),
                (nw.no_provide, "no_provide", no_provide),
            ] {
                if !flag {
                    ctx.report(
                        "PIA-E071",
                        &format!("{base}.{key}"),
                        format!("「{}」が「{}」なのに「{label}」に印がありません", ctx.item("basic.info_linkage.status"), ctx.text(Linkage::No)),
                        format!("情報連携を実施しない場合、「{no_acquire}」「{no_provide}」の両方に印を付けます。"),
                    );
                }
            }
        }
        let acq_nws = f.overview.acquisition.methods.has("network");
        if acq_nws && nw.no_acquire {
            let item = ctx.item(&format!("files[{i}].overview.acquisition.methods"));
            ctx.report(
                "PIA-E072",
                &format!("{base}.no_acquire"),
                format!("「{item}」に「{nws}」があるのに「{no_acquire}」に印があります"),
                "印を外し、Ⅲ６．リスク１～４を記載してください。",
            );
        }
        let prov_nws = f
            .overview
            .provision
            .recipients
            .iter()
            .position(|r| r.methods.has("network"));
        if let Some(j) = prov_nws
            && nw.no_provide
        {
            ctx.report(
                "PIA-E072",
                &format!("{base}.no_provide"),
                format!(
                    "「{}」に「{nws}」があるのに「{no_provide}」に印があります",
                    ctx.item(&format!(
                        "files[{i}].overview.provision.recipients[{j}].methods"
                    ))
                ),
                "印を外し、Ⅲ６．リスク５～７を記載してください。",
            );
        }
    }
    // 実施する is an answer about the 事務: some file must connect on some side. A single file
    // that checks both boxes (e.g. a file kept apart from the information linkage) is valid.
    let files = &ctx.a.files;
    if linkage == Some(Linkage::Yes)
        && !files.is_empty()
        && files
            .iter()
            .all(|f| f.risk.network.no_acquire && f.risk.network.no_provide)
    {
        let item = ctx.item("basic.info_linkage.status");
        let which = if files.len() == 1 {
            "特定個人情報ファイル"
        } else {
            "全ての特定個人情報ファイル"
        };
        ctx.report(
            "PIA-E071",
            "basic.info_linkage.status",
            format!(
                "「{item}」が「{}」なのに、{which}のⅢ６．で「{no_acquire}」「{no_provide}」の両方に印があります",
                ctx.text(Linkage::Yes)
            ),
            "情報提供ネットワークシステムを通じて入手又は提供するファイルの、その側の印を外してリスク対策を記載するか、情報連携を実施しないのであれば①を見直してください。",
        );
    }
}
