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
    reads: ["files[]", "basic.systems[].connections"],
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
            format!("情報連携を「{}」としていますが、「{}」のどのシステムも「{}」に「{nws}」がありません", ctx.text(Linkage::Yes), ctx.item("basic.systems"), ctx.label("basic.systems[].connections")),
            format!("委託先のシステム（中間サーバー等）を通じて接続する場合も、そのシステムを「{}」に記載して接続先を示すか確認してください{UNVERIFIED_HELP}", ctx.item("basic.systems")),
        );
    }
    for (i, f) in ctx.a.files.iter().enumerate() {
        let nw = &f.risk.network;
        let base = format!("files[{i}].risk.network");
        for (key, _) in nw.risks() {
            let n: u32 = key[1..].parse().unwrap_or(0);
            let (checked, label, box_key) = if n <= 4 {
                (nw.no_acquire, no_acquire, "no_acquire")
            } else {
                (nw.no_provide, no_provide, "no_provide")
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
                            risks_of(ctx, i, box_key)
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
                format!(
                    "印を外し、「{}」のリスク対策を記載してください。",
                    risks_of(ctx, i, "no_acquire")
                ),
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
                format!(
                    "印を外し、「{}」のリスク対策を記載してください。",
                    risks_of(ctx, i, "no_provide")
                ),
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
                "「{item}」が「{}」なのに、{which}の「{}」で「{no_acquire}」「{no_provide}」の両方に印があります",
                ctx.text(Linkage::Yes),
                ctx.form.printed_path("files[0].risk.network", &[])
            ),
            "情報提供ネットワークシステムを通じて入手又は提供するファイルの、その側の印を外してリスク対策を記載するか、情報連携を実施しないのであれば①を見直してください。",
        );
    }
}

/// The risks a 「接続しない」 box leaves empty, as the form names them: the groups whose
/// `absent_when` is that box (「リスク１、リスク２、リスク３、リスク４」).
fn risks_of(ctx: &Ctx, file: usize, box_key: &str) -> String {
    let base = format!("files[{file}].risk.network");
    let labels: Vec<String> = ctx
        .form
        .children("files[].risk.network")
        .filter(|n| n.k == crate::form::Kind::Group)
        .filter(|n| {
            let at = n.p.replace("files[]", &format!("files[{file}]"));
            let mut only_this = (*ctx.json).clone();
            // The group is absent when this box alone is checked.
            if let Some(t) = crate::path::lookup_mut(&mut only_this, &base)
                && let Some(m) = t.as_object_mut()
            {
                m.insert("no_acquire".into(), (box_key == "no_acquire").into());
                m.insert("no_provide".into(), (box_key == "no_provide").into());
            }
            ctx.form.is_absent(&only_this, &at)
        })
        .map(|n| n.l.clone())
        .collect();
    labels.join("、")
}
