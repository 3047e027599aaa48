//! D-5: 提供・移転の有無、件数、提供先・移転先、別紙.

use super::UNVERIFIED_HELP;
use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;
use crate::path::join_key;

rule! {
/// ## 検査内容
/// Ⅱ５．提供・移転の有無のチェックと、件数・提供先／移転先の記載が合っているかを検査します。「行っていない」は
/// 「提供を行っている」「移転を行っている」と同時にチェックできません。チェックした側には1以上の件数と、
/// 件数と同じ数の提供先（移転先）が必要です。提供先が別紙の一覧を参照して複数の提供先を集約している場合は、
/// 別紙の行数と件数を比べ（警告）、別紙の法令上の根拠が提供先の記載と食い違っていないか、Ⅰ６．②の（提供）に
/// 挙げた項の数と件数が合うかも確認します（警告）。
///
/// ## 根拠
/// 様式４のⅡ５．「[ ] 提供を行っている （　）件」「[ ] 移転を行っている （　）件」「[ ] 行っていない」と
/// 提供先1～・移転先1～の欄。別紙による集約と件数の数え方は記載要領で未確認です。仕様 yoshiki4.md §D-5、
/// Appendix 1。
///
/// ## 例
/// 「移転を行っている（ 1 ）件」なのに移転先が記載されていない（PIA-E052）。
/// 「提供を行っている（ 25 ）件」で提供先1が別紙１を参照するが、別紙１は26行（PIA-W051）。
///
/// ## 直し方
/// 件数を提供先・移転先の数（別紙で集約した場合はその行数）に合わせるか、提供先・移転先を追加・削除します。
///
/// ## 確度
/// 件数と提供先・移転先の数の一致は確認済みです。別紙の行数・Ⅰ６．②との比較は未確認（UNVERIFIED）のため警告です。
    id: "D-5",
    title: "提供・移転の件数と提供先・移転先",
    reads: ["files[]"],
    codes: [
        "PIA-E050" Error Check Stable "「行っていない」と提供・移転が同時にチェックされている",
        "PIA-E051" Error Check Stable "提供の件数と提供先の記載が一致しない",
        "PIA-E052" Error Check Stable "移転の件数と移転先の記載が一致しない",
        "PIA-W051" Warning Check Unverified "提供・移転の件数と別紙の行数が一致しない",
        "PIA-W053" Warning Check Unverified "別紙の法令上の根拠が提供先の記載と食い違う",
        "PIA-W054" Warning Check Unverified "提供の件数とⅠ６．②（提供）の項の数が一致しない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let pv = &f.overview.provision;
        let base = format!("files[{i}].overview.provision");
        let status_path = format!("{base}.status");
        let provide_text = ctx.check_text("provision_status", "provide");
        let transfer_text = ctx.check_text("provision_status", "transfer");
        let none_text = ctx.check_text("provision_status", "none");
        if pv.status.has("none") && (pv.status.has("provide") || pv.status.has("transfer")) {
            ctx.report(
                "PIA-E050",
                &join_key(&status_path, none_text),
                format!("「{none_text}」と「{provide_text}」「{transfer_text}」が同時にチェックされています"),
                format!("提供・移転がなければ「{none_text}」だけを、あればその件数だけを記載してください。"),
            );
        }
        if pv.status.has("none") {
            continue;
        }
        // 提供.
        let recipients: Vec<&Recipient> = pv.recipients.iter().collect();
        count_vs_blocks(
            ctx,
            &status_path,
            provide_text,
            pv.status.has("provide"),
            pv.status.count("provide"),
            recipients
                .iter()
                .map(|r| block_texts_recipient(r))
                .collect(),
            &format!("{base}.recipients"),
            "提供先",
            "PIA-E051",
        );
        let transferees: Vec<&Transferee> = pv.transferees.iter().collect();
        count_vs_blocks(
            ctx,
            &status_path,
            transfer_text,
            pv.status.has("transfer"),
            pv.status.count("transfer"),
            transferees
                .iter()
                .map(|t| block_texts_transferee(t))
                .collect(),
            &format!("{base}.transferees"),
            "移転先",
            "PIA-E052",
        );
        stale_attachment_basis(ctx, i);
        linkage_items(ctx, i);
    }
}

fn block_texts_recipient(r: &Recipient) -> Vec<String> {
    vec![
        r.name.clone(),
        r.legal_basis.clone(),
        r.purpose.clone(),
        r.info.clone(),
        r.subject_scope.clone(),
        r.timing.clone(),
    ]
}

fn block_texts_transferee(t: &Transferee) -> Vec<String> {
    vec![
        t.name.clone(),
        t.legal_basis.clone(),
        t.purpose.clone(),
        t.info.clone(),
        t.subject_scope.clone(),
        t.timing.clone(),
    ]
}

#[allow(clippy::too_many_arguments)]
fn count_vs_blocks(
    ctx: &mut Ctx,
    status_path: &str,
    option: &str,
    checked: bool,
    count: Option<u64>,
    blocks: Vec<Vec<String>>,
    blocks_path: &str,
    what: &str,
    code: &'static str,
) {
    let opt_path = join_key(status_path, option);
    // Blocks left completely empty (a template's skeleton) do not count.
    let blocks: Vec<Vec<String>> = blocks
        .into_iter()
        .enumerate()
        .filter(|(j, _)| ctx.filled(&format!("{blocks_path}[{j}]")))
        .map(|(_, b)| b)
        .collect();
    let n = blocks.len();
    if !checked {
        if n > 0 {
            ctx.report(
                code,
                &format!("{blocks_path}[0]"),
                format!("「{option}」にチェックがないのに{what}が{n}件記載されています"),
                format!("「{option}」をチェックして件数を書くか、{what}の記載を削除してください。"),
            );
        }
        return;
    }
    let count = count.unwrap_or(0);
    if count == 0 {
        ctx.report(
            code,
            &opt_path,
            format!("「{option}」の件数がありません"),
            format!("\"{option}\" = 件数 のように1以上の件数を書いてください。"),
        );
    }
    if n == 0 {
        ctx.report(
            code,
            &opt_path,
            format!("「{option}」なのに{what}が記載されていません"),
            format!("{what}ごとに{what}1、{what}2…を記載してください。"),
        );
        return;
    }
    // A block that refers to a 別紙 aggregates the recipients listed there.
    let refs: Vec<(usize, String)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(j, texts)| attachment_ref(texts).map(|id| (j, id)))
        .collect();
    if refs.is_empty() {
        if count != 0 && count as usize != n {
            ctx.report(
                code,
                &opt_path,
                format!("「{option}」の件数（{count}件）と{what}の数（{n}件）が一致しません"),
                format!(
                    "件数は{what}の数です。件数を{n}にするか、{what}の記載を見直してください。"
                ),
            );
        }
        return;
    }
    // Rows of the referenced tables plus the blocks that do not refer to one.
    let mut total = n - refs.len();
    let mut found_all = true;
    let mut names = Vec::new();
    for (_, id) in &refs {
        match ctx
            .a
            .attachments
            .iter()
            .position(|a| same_attachment_id(&a.id, id))
        {
            Some(k) => {
                total += ctx.a.attachments[k].rows.len();
                let att = &ctx.a.attachments[k];
                names.push(if att.title.trim().is_empty() {
                    att.id.clone()
                } else {
                    format!("{}「{}」", att.id, att.title.trim())
                });
            }
            None => found_all = false,
        }
    }
    if found_all && count as usize != total {
        ctx.report(
            "PIA-W051",
            &opt_path,
            format!("「{option}」の件数（{count}件）と、{what}{}が参照する{}の行数（{total}行）が一致しません", refs.iter().map(|(j, _)| (j + 1).to_string()).collect::<Vec<_>>().join("、"), names.join("、")),
            format!(
                "件数は{what}の数です。件数と別紙の一覧のどちらかを直してください。別紙で集約した{what}を別紙の行数で数えることは記載要領で確認できていません{UNVERIFIED_HELP}"
            ),
        );
    }
}

/// 「別紙１」 named in any text of a block.
fn attachment_ref(texts: &[String]) -> Option<String> {
    for t in texts {
        if let Some(pos) = t.find("別紙") {
            let rest = &t[pos + "別紙".len()..];
            let digits: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
                .collect();
            if !digits.is_empty() {
                return Some(format!("別紙{}", to_ascii_digits(&digits)));
            }
        }
    }
    None
}

fn same_attachment_id(a: &str, b: &str) -> bool {
    to_ascii_digits(&squash(a)) == to_ascii_digits(&squash(b))
}

/// Appendix 1 item 2: the 別紙 a 提供先 refers to still cites 「別表第2」 although the block's
/// 法令上の根拠 no longer does.
fn stale_attachment_basis(ctx: &mut Ctx, i: usize) {
    let f = &ctx.a.files[i];
    let mut hits = Vec::new();
    for (j, r) in f.overview.provision.recipients.iter().enumerate() {
        let Some(id) = attachment_ref(&block_texts_recipient(r)) else {
            continue;
        };
        let basis = to_ascii_digits(&r.legal_basis);
        if basis.contains("別表第2") || basis.contains("別表2") {
            continue;
        }
        let Some(k) = ctx
            .a
            .attachments
            .iter()
            .position(|a| same_attachment_id(&a.id, &id))
        else {
            continue;
        };
        let att = &ctx.a.attachments[k];
        let stale = att
            .rows
            .iter()
            .filter(|row| row.iter().any(|c| to_ascii_digits(c).contains("別表第2")))
            .count();
        if stale > 0 {
            hits.push((j, k, stale, att.rows.len(), att.id.clone()));
        }
    }
    for (j, k, stale, rows, id) in hits {
        let basis_item = ctx.item(&format!(
            "files[{i}].overview.provision.recipients[{j}].legal_basis"
        ));
        ctx.report(
            "PIA-W053",
            &format!("attachments[{k}].rows"),
            format!("{id}の{rows}行中{stale}行が法令上の根拠に「別表第2」を挙げていますが、これを参照する「{basis_item}」は別表第2を挙げていません"),
            "別表第2を根拠とする記載が改正前のまま残っていないか確認し、別紙の法令上の根拠を提供先の記載に合わせてください（別添３に変更を記録した場合は別紙も同様に変更します）。",
        );
    }
}

/// Appendix 1 item 1: the number of 提供 項 listed in Ⅰ６．② 「（提供）…の表…の項」.
fn linkage_items(ctx: &mut Ctx, i: usize) {
    let pv = &ctx.a.files[i].overview.provision;
    let Some(count) = pv.status.count("provide") else {
        return;
    };
    if ctx.a.files.len() != 1 || ctx.a.basic.info_linkage.status != Some(Linkage::Yes) {
        return;
    }
    let Some(items) = provision_item_count(&ctx.a.basic.info_linkage.legal_basis) else {
        return;
    };
    if items as u64 != count {
        let option = ctx.check_text("provision_status", "provide");
        let item = ctx.item("basic.info_linkage.legal_basis");
        ctx.report(
            "PIA-W054",
            &join_key(&format!("files[{i}].overview.provision.status"), option),
            format!("「{option}」の件数（{count}件）と、「{item}」の（提供）に挙げた表の項の数（{items}項）が一致しません"),
            format!("提供の根拠となる項と提供先の件数の対応を確認してください。一つの項に複数の提供先がある場合は差があってもかまいません{UNVERIFIED_HELP}"),
        );
    }
}

/// Counts the numbers in 「（提供）…の表2、6、13…の項」.
fn provision_item_count(text: &str) -> Option<usize> {
    let start = text.find("（提供）")?;
    let rest = &text[start..];
    let table = rest.find("の表")? + "の表".len();
    let end = rest[table..].find("の項")? + table;
    let list = to_ascii_digits(&squash(&rest[table..end]));
    let n = list
        .split(['、', ',', '，'])
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .count();
    (n > 0).then_some(n)
}
