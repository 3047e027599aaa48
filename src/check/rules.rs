//! The consistency rules of spec §D (D-3 … D-30 that need one revision).
//!
//! Codes: the first two digits are the rule number (D-5 → `PIA-E050`, `PIA-W051` …). Rules whose
//! source the spec marks UNVERIFIED are warnings and say so in their help.

use serde_json::Value;

use super::Ctx;
use crate::form::{Kind, join_key};
use crate::model::*;

mod changes;
mod helpers;

use helpers::*;

pub fn run(ctx: &mut Ctx) {
    entrustment(ctx); // D-3, D-4
    provision(ctx); // D-5, D-6
    network(ctx); // D-7
    retention(ctx); // D-8, D-9
    negative_answers(ctx); // D-10
    issues_remain(ctx); // D-10 (課題が残されている)
    disclosure(ctx); // D-11
    public_comment(ctx); // D-12
    date_order(ctx); // D-13
    org_kind(ctx); // D-14
    threshold(ctx); // D-15, D-17
    bands(ctx); // D-16
    item_count(ctx); // D-18
    retention_period(ctx); // D-19
    file_names(ctx); // D-20
    repetition(ctx); // D-21
    changes::run(ctx); // D-22
    review_dates(ctx); // D-26
    ended(ctx); // D-27
    number(ctx); // D-29
    form_marks(ctx); // D-30
}

const UNVERIFIED_HELP: &str = "（UNVERIFIED: 記載要領で未確認のため警告としています）";

pub fn describe(code: &str) -> &'static str {
    match code {
        "PIA-E030" => "D-3 委託の有無と委託事項・件数が一致しない",
        "PIA-E031" => "D-3 Ⅲ４．「委託しない」の印がⅡ４．委託の有無と一致しない",
        "PIA-E032" => "D-3 委託しないのにⅢ４．の項目が記載されている",
        "PIA-E040" => "D-4 再委託しないのに再委託の許諾方法・再委託事項が記載されている",
        "PIA-E041" => "D-4 「再委託していない」と委託事項の再委託の有無が一致しない",
        "PIA-E050" => "D-5 「行っていない」と提供・移転が同時にチェックされている",
        "PIA-E051" => "D-5 提供の件数と提供先の記載が一致しない",
        "PIA-E052" => "D-5 移転の件数と移転先の記載が一致しない",
        "PIA-W051" => "D-5 提供・移転の件数と別紙の行数が一致しない",
        "PIA-W053" => "D-5 別紙の法令上の根拠が提供先の記載と食い違う",
        "PIA-W054" => "D-5 提供の件数とⅠ６．②（提供）の項の数が一致しない",
        "PIA-E060" => "D-6 Ⅲ５．「提供・移転しない」の印がⅡ５．と一致しない",
        "PIA-E061" => "D-6 「提供・移転しない」なのにⅢ５．の項目が記載されている",
        "PIA-W070" => "D-7 「接続しない」なのに対応するリスクが記載されている",
        "PIA-E071" => "D-7 情報連携の実施の有無と「接続しない」の印が一致しない",
        "PIA-E072" => "D-7 情報提供ネットワークシステムを使うのに「接続しない」",
        "PIA-W073" => "D-7 情報提供ネットワークシステムに接続するシステムがない",
        "PIA-E080" => "D-8 重大事故「発生なし」なのにその内容・再発防止策が記載されている",
        "PIA-E081" => "D-8 しきい値判断の重大事故とⅢ７．⑨が一致しない",
        "PIA-E090" => "D-9 死者の個人番号を保管していないのに保管方法が記載されている",
        "PIA-W100" => "D-10 否定の回答について、その他の措置の内容に説明がない",
        "PIA-W101" => "D-10 「課題が残されている」のに今後の対応が記載されていない",
        "PIA-E110" => "D-11 無料なのに手数料額、納付方法が記載されている",
        "PIA-E111" => {
            "D-11 個人情報ファイル簿を公表していないのにファイル名・公表場所が記載されている"
        }
        "PIA-W120" => "D-12 意見聴取の期間が30日未満で短縮の理由がない",
        "PIA-E121" => "D-12 意見聴取の期間の終了日が開始日より前",
        "PIA-E122" => "D-12 意見聴取の期間の開始日・終了日の一方しかない",
        "PIA-E130" => "D-13 評価実施手続の日付の順序が誤っている",
        "PIA-W131" => "D-13 保有開始日が使用開始日より後",
        "PIA-E140" => "D-14 行政機関等なのに承認日がない",
        "PIA-E141" => "D-14 地方公共団体等なのに委員会の承認・承認日が記載されている",
        "PIA-E150" => "D-15 しきい値判断結果がしきい値判断項目から求めた結果と一致しない",
        "PIA-E151" => "D-15 しきい値判断の対象人数がⅠ１．③対象人数と一致しない",
        "PIA-E160" => "D-16 対象となる本人の数の区分が矛盾している",
        "PIA-W161" => "D-16 ファイル全体を委託するのに対象となる本人の数の区分が異なる",
        "PIA-E170" => "D-17 取扱者数が500人以上となるのに「500人未満」",
        "PIA-W171" => "D-17 取扱者数が500人未満となるのに「500人以上」",
        "PIA-W180" => "D-18 記録される項目の区分と別添２の項目数が一致しない",
        "PIA-W190" => "D-19 保管期間が「定められていない」理由の説明がない",
        "PIA-E200" => "D-20 Ⅰ３．の特定個人情報ファイル名にⅡの記載がない",
        "PIA-E201" => "D-20 Ⅱ１．の特定個人情報ファイル名がⅠ３．にない",
        "PIA-E202" => "D-20 Ⅲ１．の特定個人情報ファイル名がⅡ１．と異なる",
        "PIA-E210" => "D-21 システムの数が様式の上限（20）を超えている",
        "PIA-W211" => "D-21 委託事項・提供先・移転先の数が20を超えている",
        "PIA-E220" => "D-22 別添３の行に記載のない欄がある（変更後の記載がない等）",
        "PIA-E221" => "D-22 「同」「同上」が指す前の行がない",
        "PIA-W222" => "D-22 「重要な変更」とする行の提出時期が事後",
        "PIA-W223" => "D-22 別添３の行が重複している",
        "PIA-W224" => "D-22 提出時期に係る説明が空欄",
        "PIA-W225" => "D-22 別添３の項目が評価書の項目を指していない",
        "PIA-E231" => "D-23 事後の行の変更日が公表日より後",
        "PIA-W260" => "D-26 直近の再実施から5年が近い（経過した）",
        "PIA-W261" => "D-26 公表から1年以上見直しが行われていない",
        "PIA-E270" => "D-27 事務を終了したのに評価書名に【終了】の記載がない",
        "PIA-W271" => "D-27 評価書名の終了日と事務の終了日が一致しない",
        "PIA-W290" => "D-29 評価書番号が正の整数でない",
        "PIA-E300" => "D-30 様式定義の※の表示が様式と異なる",
        _ => "pia の検査規則",
    }
}

// ---------------------------------------------------------------- D-3, D-4

fn entrustment(ctx: &mut Ctx) {
    let not_entrusted = ctx.label("files[].risk.entrustment.not_entrusted");
    for (i, f) in ctx.a.files.iter().enumerate() {
        let ov = &f.overview.entrustment;
        let base = format!("files[{i}].overview.entrustment");
        let status_path = format!("{base}.status");
        let n = ov.items.len();
        match ov.status {
            Some(Entrust::None) => {
                if n > 0 {
                    ctx.error(
                        "PIA-E030",
                        &format!("{base}.items[0]"),
                        format!("委託の有無が「{}」なのに委託事項が{n}件記載されています", Entrust::None.text()),
                        format!("委託する場合は委託の有無を「{}」に、委託しない場合は委託事項（[[files.overview.entrustment.items]]）を削除してください。", Entrust::Entrust.text()),
                    );
                }
                if ov.count.is_some() {
                    ctx.error(
                        "PIA-E030",
                        &format!("{base}.count"),
                        format!(
                            "委託の有無が「{}」なのに件数が記載されています",
                            Entrust::None.text()
                        ),
                        "委託しない場合、件数（count）は書きません。",
                    );
                }
                if !f.risk.entrustment.not_entrusted {
                    ctx.error(
                        "PIA-E031",
                        &format!("files[{i}].risk.entrustment.not_entrusted"),
                        format!(
                            "「{}」が「{}」なのに、「{}」に印がありません",
                            ctx.item(&status_path),
                            Entrust::None.text(),
                            ctx.item(&format!("files[{i}].risk.entrustment.not_entrusted")),
                        ),
                        "Ⅲ４．の not_entrusted を true にしてください。",
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
                        ctx.error(
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
                    ctx.error(
                        "PIA-E030",
                        &status_path,
                        format!(
                            "委託の有無が「{}」なのに委託事項が記載されていません",
                            Entrust::Entrust.text()
                        ),
                        "委託事項ごとに [[files.overview.entrustment.items]] を記載してください。",
                    );
                }
                match ov.count {
                    Some(c) if c as usize != n && n > 0 => ctx.error(
                        "PIA-E030",
                        &format!("{base}.count"),
                        format!("委託の件数（{c}件）と委託事項の数（{n}件）が一致しません"),
                        format!("「（ {n} ）件」と委託事項の数に合わせるか、委託事項を見直してください。"),
                    ),
                    Some(0) => ctx.error("PIA-E030", &format!("{base}.count"), "委託する場合、件数は1件以上です", "委託事項の数を書いてください。"),
                    _ => {}
                }
                if f.risk.entrustment.not_entrusted {
                    ctx.error(
                        "PIA-E031",
                        &format!("files[{i}].risk.entrustment.not_entrusted"),
                        format!(
                            "「{}」が「{}」なのに、「{}」に印があります",
                            ctx.item(&status_path),
                            Entrust::Entrust.text(),
                            ctx.item(&format!("files[{i}].risk.entrustment.not_entrusted")),
                        ),
                        "Ⅲ４．の not_entrusted を false にし、委託のリスク対策を記載してください。",
                    );
                }
            }
            None => {}
        }

        // D-4 再委託.
        let mut any_sub = false;
        let mut all_known = true;
        for (j, item) in ov.items.iter().enumerate() {
            let sp = format!("{base}.items[{j}].subcontract");
            match item.subcontract.status {
                Some(Subcontract::No) => {
                    for key in ["permission", "matters"] {
                        let p = format!("{sp}.{key}");
                        if ctx.filled(&p) {
                            let item = ctx.item(&p);
                            ctx.error(
                                "PIA-E040",
                                &p,
                                format!(
                                    "再委託の有無が「{}」なのに「{item}」が記載されています",
                                    Subcontract::No.text()
                                ),
                                "再委託しない場合、⑧再委託の許諾方法と⑨再委託事項は空欄です。",
                            );
                        }
                    }
                }
                Some(Subcontract::Yes) => any_sub = true,
                None => all_known = false,
            }
        }
        if ov.status == Some(Entrust::Entrust) && all_known && !ov.items.is_empty() {
            let ap = format!("files[{i}].risk.entrustment.subcontractor_assurance");
            match f.risk.entrustment.subcontractor_assurance {
                Some(SubcontractorAssurance::NoSubcontract) if any_sub => ctx.error(
                    "PIA-E041",
                    &ap,
                    format!(
                        "「{}」と回答していますが、Ⅱ４．に「{}」の委託事項があります",
                        SubcontractorAssurance::NoSubcontract.text(),
                        Subcontract::Yes.text()
                    ),
                    "再委託先による取扱いの確保の程度を選び、具体的な方法を記載してください。",
                ),
                Some(a) if a != SubcontractorAssurance::NoSubcontract && !any_sub => ctx.error(
                    "PIA-E041",
                    &ap,
                    format!(
                        "どの委託事項も「{}」なのに「{}」と回答しています",
                        Subcontract::No.text(),
                        a.text()
                    ),
                    format!(
                        "再委託がない場合は「{}」を選びます。",
                        SubcontractorAssurance::NoSubcontract.text()
                    ),
                ),
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------- D-5, D-6

fn provision(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let pv = &f.overview.provision;
        let base = format!("files[{i}].overview.provision");
        let status_path = format!("{base}.status");
        let provide_text = check_text("provision_status", "provide");
        let transfer_text = check_text("provision_status", "transfer");
        let none_text = check_text("provision_status", "none");
        if pv.status.has("none") && (pv.status.has("provide") || pv.status.has("transfer")) {
            ctx.error(
                "PIA-E050",
                &join_key(&status_path, &none_text),
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
            &provide_text,
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
            &transfer_text,
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
    provision_risk(ctx);
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
            ctx.error(
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
        ctx.error(
            code,
            &opt_path,
            format!("「{option}」の件数がありません"),
            format!("\"{option}\" = 件数 のように1以上の件数を書いてください。"),
        );
    }
    if n == 0 {
        ctx.error(
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
            ctx.error(
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
        ctx.warning(
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
        ctx.warning(
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
        let option = check_text("provision_status", "provide");
        let item = ctx.item("basic.info_linkage.legal_basis");
        ctx.warning(
            "PIA-W054",
            &join_key(&format!("files[{i}].overview.provision.status"), &option),
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

/// D-6.
fn provision_risk(ctx: &mut Ctx) {
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
        let network = check_text("provide_methods", "network");
        if f.risk.provision.none && !only_network {
            ctx.error(
                "PIA-E060",
                &none_path,
                format!("「{none_label}」に印がありますが、「{}」に「{network}」以外の方法による提供又は移転があります", ctx.item(&format!("files[{i}].overview.provision"))),
                "情報提供ネットワークシステム以外による提供・移転がある場合は印を外し、Ⅲ５．のリスク対策を記載してください。",
            );
        } else if !f.risk.provision.none && only_network {
            ctx.error(
                "PIA-E060",
                &none_path,
                format!("「{}」の提供・移転は「{network}」によるものだけですが、「{none_label}」に印がありません", ctx.item(&format!("files[{i}].overview.provision"))),
                "Ⅲ５．は委託や情報提供ネットワークシステムを通じた提供を除きます。none = true とし、Ⅲ５．の各項目は空欄にしてください。",
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
                ctx.error(
                    "PIA-E061",
                    &p,
                    format!("「{none_label}」に印があるのに「{item}」が記載されています"),
                    format!("「{none_label}」の場合、この項目は空欄です。"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------- D-7

fn network(ctx: &mut Ctx) {
    let no_acquire = ctx.label("files[].risk.network.no_acquire");
    let no_provide = ctx.label("files[].risk.network.no_provide");
    let linkage = ctx.a.basic.info_linkage.status;
    let any_connected = ctx
        .a
        .basic
        .systems
        .iter()
        .any(|s| s.connections.has("network"));
    let nws = check_text("connect", "network");
    if linkage == Some(Linkage::Yes) && !any_connected && !ctx.a.basic.systems.is_empty() {
        ctx.warning(
            "PIA-W073",
            "basic.info_linkage.status",
            format!("情報連携を「{}」としていますが、Ⅰ２．のどのシステムも③他のシステムとの接続に「{nws}」がありません", Linkage::Yes.text()),
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
                    ctx.warning(
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
                    ctx.error(
                        "PIA-E071",
                        &format!("{base}.{key}"),
                        format!("「{}」が「{}」なのに「{label}」に印がありません", ctx.item("basic.info_linkage.status"), Linkage::No.text()),
                        format!("情報連携を実施しない場合、「{no_acquire}」「{no_provide}」の両方に印を付けます。"),
                    );
                }
            }
        }
        let acq_nws = f.overview.acquisition.methods.has("network");
        if acq_nws && nw.no_acquire {
            let item = ctx.item(&format!("files[{i}].overview.acquisition.methods"));
            ctx.error(
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
            ctx.error(
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
        ctx.error(
            "PIA-E071",
            "basic.info_linkage.status",
            format!(
                "「{item}」が「{}」なのに、{which}のⅢ６．で「{no_acquire}」「{no_provide}」の両方に印があります",
                Linkage::Yes.text()
            ),
            "情報提供ネットワークシステムを通じて入手又は提供するファイルの、その側の印を外してリスク対策を記載するか、情報連携を実施しないのであれば①を見直してください。",
        );
    }
}

// ---------------------------------------------------------------- D-8, D-9

fn retention(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let r1 = &f.risk.retention.r1;
        let base = format!("files[{i}].risk.retention.r1");
        if r1.serious_incident == Some(Incident::None) {
            for key in ["serious_incident_detail", "recurrence_prevention"] {
                let p = format!("{base}.{key}");
                if ctx.filled(&p) {
                    let item = ctx.item(&p);
                    ctx.error(
                        "PIA-E080",
                        &p,
                        format!(
                            "⑨が「{}」なのに「{item}」が記載されています",
                            Incident::None.text()
                        ),
                        "重大事故が発生していない場合、その内容と再発防止策の内容は空欄です。",
                    );
                }
            }
        }
        if ctx.a.threshold.serious_incident_1y == Some(true)
            && r1.serious_incident == Some(Incident::None)
        {
            ctx.error(
                "PIA-E081",
                &format!("{base}.serious_incident"),
                format!("しきい値判断で過去1年以内に特定個人情報に関する重大事故ありとしているのに、⑨が「{}」です", Incident::None.text()),
                format!("⑨は過去３年以内の個人情報に関する重大事故を問うので、1年以内の特定個人情報に関する重大事故があれば「{}」です。", Incident::Occurred.text()),
            );
        }
        if r1.deceased_numbers == Some(Deceased::NotKept) {
            let p = format!("{base}.deceased_numbers_method");
            if ctx.filled(&p) {
                ctx.error(
                    "PIA-E090",
                    &p,
                    format!("⑩死者の個人番号が「{}」なのに具体的な保管方法が記載されています", Deceased::NotKept.text()),
                    "保管していない場合、具体的な保管方法は空欄です。保管している場合は⑩を見直してください。",
                );
            }
        }
    }
}

// ---------------------------------------------------------------- D-10

fn negative_answers(ctx: &mut Ctx) {
    // Every choice of Ⅲ answered with an option the form marks `negative`, in a risk whose
    // その他の措置の内容 does not explain it.
    let form = ctx.form;
    for node in form
        .nodes
        .iter()
        .filter(|n| n.k == Kind::Choice && n.p.starts_with("files[].risk."))
    {
        let Some(set) = form.options_of(node) else {
            continue;
        };
        let other_pattern = format!("{}.other_measures", crate::form::parent_pattern(&node.p));
        if form.node(&other_pattern).is_none() {
            continue;
        }
        for path in super::completeness::expand(&ctx.json, &node.p) {
            let answer = lookup_str(ctx, &path);
            if !set.by_text(&answer).is_some_and(|o| o.negative)
                || super::completeness::exempt(ctx.a, &path)
            {
                continue;
            }
            let other = format!("{}.other_measures", crate::source::concrete_parent(&path));
            let text = lookup_str(ctx, &other);
            if !text.trim().is_empty() && !is_nashi(&text) {
                continue;
            }
            let item = ctx.item(&path);
            let other_item = ctx.item(&other);
            ctx.warning(
                "PIA-W100",
                &path,
                format!("「{item}」が「{answer}」ですが、「{other_item}」にその理由や代わりの措置の説明がありません"),
                format!("否定の回答とした理由、代わりに講じている措置や今後の対応を「{}」に記載してください。", form.node(&other_pattern).map_or("", |n| n.l.as_str())),
            );
        }
    }
}

const PLAN_WORDS: &[&str] = &[
    "予定",
    "今後",
    "対応する",
    "対応を行う",
    "検討し",
    "までに",
    "計画",
    "改善する",
    "見直す",
    "見直しを行う",
    "導入する",
];

/// 「課題が残されている」 needs a plan in the measures of the same risk.
fn issues_remain(ctx: &mut Ctx) {
    let patterns: Vec<String> = ctx
        .form
        .nodes
        .iter()
        .filter(|n| n.k == Kind::Choice && n.c.as_deref() == Some("adequacy"))
        .map(|n| n.p.clone())
        .collect();
    let issues = Adequacy::IssuesRemain.text();
    for pat in patterns {
        for path in super::completeness::expand(&ctx.json, &pat) {
            if super::lookup(&ctx.json, &path).and_then(Value::as_str) != Some(issues) {
                continue;
            }
            let parent = crate::source::concrete_parent(&path).to_string();
            let mut texts = String::new();
            let parent_pattern = crate::form::pattern_of(&parent);
            if let Some(Value::Object(m)) = super::lookup(&ctx.json, &parent) {
                for (k, v) in m {
                    // The full-width rows of a section (its その他のリスク) are not the risk's own.
                    let wide = ctx
                        .form
                        .node(&join_key(&parent_pattern, k))
                        .is_some_and(|n| n.wide);
                    if let (Some(s), false) = (v.as_str(), wide) {
                        texts.push_str(s);
                    }
                }
            }
            // Only the risk's own texts count: a plan written for another risk, or in the section's
            // 「…におけるその他のリスク及びそのリスクに対する措置」, does not answer this one.
            if PLAN_WORDS.iter().any(|w| texts.contains(w)) {
                continue;
            }
            let item = ctx.item(&path);
            ctx.warning(
                "PIA-W101",
                &path,
                format!("「{item}」が「{issues}」ですが、措置の内容に残された課題への今後の対応が記載されていません"),
                "課題が残されている場合は、課題の内容と、いつまでにどのように対応するか（予定・今後の対応）を措置の内容に記載してください。",
            );
        }
    }
}

// ---------------------------------------------------------------- D-11

fn disclosure(ctx: &mut Ctx) {
    let r = &ctx.a.disclosure.request;
    if r.fee == Some(Fee::Free) && !r.fee_detail.trim().is_empty() {
        ctx.error(
            "PIA-E110",
            "disclosure.request.fee_detail",
            format!(
                "手数料等が「{}」なのに手数料額、納付方法が記載されています",
                Fee::Free.text()
            ),
            "無料の場合、（手数料額、納付方法：　）は空欄です。",
        );
    }
    if r.register_published == Some(Register::NotPublished) {
        for key in ["register_file_name", "register_place"] {
            let p = format!("disclosure.request.{key}");
            if ctx.filled(&p) {
                let item = ctx.item(&p);
                ctx.error(
                    "PIA-E111",
                    &p,
                    format!(
                        "個人情報ファイル簿の公表が「{}」なのに「{item}」が記載されています",
                        Register::NotPublished.text()
                    ),
                    "公表していない場合、個人情報ファイル名と公表場所は空欄です。",
                );
            }
        }
    }
}

// ---------------------------------------------------------------- D-12

fn public_comment(ctx: &mut Ctx) {
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
            ctx.error(
                "PIA-E122",
                &format!("{period}.{present}"),
                format!("「{item}」に{}だけが書かれています（「{wanted}」がありません）", given.trim_start_matches(&item)),
                format!("期間は {{ start = 開始日, end = 終了日 }} の両方を書きます（{} のみでは「～」の片側が空欄で印刷されます）。", s.or(e).map(wareki).unwrap_or_default()),
            );
            return;
        }
    };
    if end < start {
        ctx.error(
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
        ctx.warning(
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

// ---------------------------------------------------------------- D-13

fn date_order(ctx: &mut Ctx) {
    let a = ctx.a;
    let pr = &a.procedure;
    let pc = &pr.public_comment.period;
    const END: &str = "procedure.public_comment.period.end";
    const BASIC: &str = "procedure.basic_assessment.date";
    const PUBLISHED: &str = "cover.published_on";
    // (earlier date, its path, later date, its path, strictly later). The chain of the latest
    // 再実施: 意見聴取 → 第三者点検 (地方公共団体等) or 委員会への提出 → 承認 (行政機関等) → 公表, with
    // the 基礎項目評価 done by the review or submission at the latest. (The seed dates its
    // 基礎項目評価 on the day of submission, after the 意見聴取, so no order is required between
    // the 基礎項目評価 and the 意見聴取.)
    type Order<'p> = (Option<Date>, &'p str, Option<Date>, &'p str, bool);
    let mut checks: Vec<Order> = Vec::new();
    let review: Option<(Option<Date>, &str)> = match a.meta.org_kind {
        Some(OrgKind::LocalGov) => Some((
            pr.third_party_review.date,
            "procedure.third_party_review.date",
        )),
        Some(OrgKind::Gov) => Some((
            pr.ppc_approval.submitted_on,
            "procedure.ppc_approval.submitted_on",
        )),
        None => None,
    };
    if let Some((date, path)) = review {
        checks.push((pc.end, END, date, path, true));
        checks.push((pr.basic_assessment.date, BASIC, date, path, false));
        match a.meta.org_kind {
            Some(OrgKind::Gov) => {
                checks.push((
                    date,
                    path,
                    a.cover.ppc_approved_on,
                    "cover.ppc_approved_on",
                    false,
                ));
                checks.push((
                    a.cover.ppc_approved_on,
                    "cover.ppc_approved_on",
                    a.cover.published_on,
                    PUBLISHED,
                    false,
                ));
            }
            _ => checks.push((date, path, a.cover.published_on, PUBLISHED, false)),
        }
    }
    // Whatever the kind of body: nothing of the procedure after the publication.
    checks.push((pc.end, END, a.cover.published_on, PUBLISHED, false));
    checks.push((
        pr.basic_assessment.date,
        BASIC,
        a.cover.published_on,
        PUBLISHED,
        false,
    ));
    let mut reported: Vec<&str> = Vec::new();
    for (first, first_path, second, second_path, strict) in checks {
        let (Some(x), Some(y)) = (first, second) else {
            continue;
        };
        let bad = if strict { x >= y } else { x > y };
        // One finding per later date: the first broken link explains it.
        if !bad || reported.contains(&second_path) {
            continue;
        }
        reported.push(second_path);
        let fi = date_item(ctx, first_path);
        let si = date_item(ctx, second_path);
        let order = if strict {
            "より後"
        } else {
            "と同じか後"
        };
        ctx.error(
            "PIA-E130",
            second_path,
            format!(
                "「{si}」（{}）が「{fi}」（{}）{}になっています",
                wareki(y),
                wareki(x),
                if strict { "と同じか前" } else { "より前" }
            ),
            format!("評価実施手続は 意見聴取 → 第三者点検又は委員会への提出 → 承認 → 公表 の順です。「{si}」は「{fi}」{order}の日付です。"),
        );
    }
    for (i, f) in a.files.iter().enumerate() {
        if let (Some(h), Some(u)) = (f.overview.basic.holding_start, f.overview.use_.start)
            && h > u
        {
            let hp = format!("files[{i}].overview.basic.holding_start");
            let up = format!("files[{i}].overview.use.start");
            let hi = ctx.item(&hp);
            let ui = ctx.item(&up);
            ctx.warning(
                "PIA-W131",
                &hp,
                format!(
                    "「{hi}」（{}）が「{ui}」（{}）より後です",
                    wareki(h),
                    wareki(u)
                ),
                "保有を開始する前に使用を開始することはできません。日付を確認してください。",
            );
        }
    }
}

/// The printed item of a date, naming the end of a period (「…②実施日・期間の終了日」).
fn date_item(ctx: &Ctx, path: &str) -> String {
    let item = ctx.item(path);
    match path.rsplit('.').next() {
        Some("start") => format!("{item}の開始日"),
        Some("end") => format!("{item}の終了日"),
        _ => item,
    }
}

// ---------------------------------------------------------------- D-14

fn org_kind(ctx: &mut Ctx) {
    let a = ctx.a;
    match a.meta.org_kind {
        Some(OrgKind::Gov)
            if a.cover.ppc_approved_on.is_none() && a.cover.published_on.is_some() =>
        {
            ctx.error(
                "PIA-E140",
                "cover.ppc_approved_on",
                "行政機関等の全項目評価書ですが、表紙の個人情報保護委員会の承認日がありません",
                "行政機関等は全項目評価書について委員会の承認を受けてから公表します（番号法第28条第2項）。承認日を書いてください。",
            );
        }
        Some(OrgKind::LocalGov) => {
            let mut paths = vec!["cover.ppc_approved_on".to_string()];
            paths.push("procedure.ppc_approval.submitted_on".into());
            paths.push("procedure.ppc_approval.review".into());
            for p in paths {
                if ctx.filled(&p) {
                    let item = ctx.item(&p);
                    ctx.error(
                        "PIA-E141",
                        &p,
                        format!("地方公共団体等の評価書ですが「{item}」が記載されています"),
                        "個人情報保護委員会の承認は行政機関等のみです。地方公共団体等は第三者点検（Ⅵ３．）を記載し、この項目は空欄にします。",
                    );
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- D-15, D-17

fn threshold(ctx: &mut Ctx) {
    let a = ctx.a;
    if let (Some(t), Some(b)) = (a.threshold.population, a.basic.affairs.target_population)
        && t != b
    {
        ctx.error(
                "PIA-E151",
                "threshold.population",
                format!("しきい値判断の対象人数（{}）がⅠ１．③対象人数（{}）と一致しません", t.text(), b.text()),
                "基礎項目評価書のしきい値判断項目と全項目評価書の対象人数は同じ区分です。どちらかを直してください。",
            );
    }
    if let (Some(d), Some(r)) = (
        crate::threshold::decide_for(&a.threshold),
        a.procedure.basic_assessment.threshold_result,
    ) {
        let expected = d.obliged.result_option();
        if expected != r {
            ctx.error(
                "PIA-E150",
                "procedure.basic_assessment.threshold_result",
                format!(
                    "しきい値判断結果が「{}」ですが、しきい値判断項目からは「{}」となります",
                    r.text(),
                    expected.text()
                ),
                format!(
                    "{}、{}。全項目評価書では「{}」を選びます。",
                    d.reason,
                    d.obliged.japanese(),
                    expected.text()
                ),
            );
        }
    }
    // D-17: bounds of the 取扱者数 from 使用者数 and the 委託先 取扱者数.
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
    let ge = Handlers::Ge500.text();
    let lt = Handlers::Lt500.text();
    if lower >= 500 && h == Handlers::Lt500 {
        ctx.error(
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
        ctx.warning(
                "PIA-W171",
                "threshold.handlers",
                format!("取扱者数が「{ge}」ですが、使用者数と委託先の取扱者数を合計しても最大{u}人です"),
                format!("使用者数・委託先の取扱者数の区分か、取扱者数（「{lt}」）を確認してください。取扱者数の数え方（再委託先の従業者を含めるか等）は記載要領で確認できていません{UNVERIFIED_HELP}"),
            );
    }
}

// ---------------------------------------------------------------- D-16

fn bands(ctx: &mut Ctx) {
    let a = ctx.a;
    let files: Vec<(usize, PopFile)> = a
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.overview.basic.subject_count.map(|b| (i, b)))
        .collect();
    if let Some(affair) = a.basic.affairs.target_population {
        let (alo, ahi) = pop_affair_range(affair);
        for &(i, b) in &files {
            let (flo, _) = pop_file_range(b);
            if ahi.is_some_and(|h| flo >= h) {
                let p = format!("files[{i}].overview.basic.subject_count");
                let item = ctx.item(&p);
                ctx.error(
                    "PIA-E160",
                    &p,
                    format!("「{item}」（{}）が事務全体の対象人数（Ⅰ１．③ {}）を超えています", b.text(), affair.text()),
                    "ファイルの対象となる本人の数は、事務全体の対象人数を超えません。どちらかの区分を見直してください。",
                );
            }
        }
        if files.len() == a.files.len() && !files.is_empty() {
            let sum: Option<u64> = files.iter().try_fold(0u64, |acc, &(_, b)| {
                pop_file_range(b).1.map(|h| acc + h - 1)
            });
            if let Some(s) = sum
                && alo > s
            {
                let item = ctx.item("basic.affairs.target_population");
                ctx.error(
                        "PIA-E160",
                        "basic.affairs.target_population",
                        format!("「{item}」が「{}」ですが、各ファイルの対象となる本人の数を合計しても最大{s}人です", affair.text()),
                        "事務全体の対象人数とⅡ２．②対象となる本人の数の区分を見直してください。",
                    );
            }
        }
    }
    for (i, f) in a.files.iter().enumerate() {
        let Some(fb) = f.overview.basic.subject_count else {
            continue;
        };
        let (flo, fhi) = pop_file_range(fb);
        let _ = flo;
        let file_item = ctx.item(&format!("files[{i}].overview.basic.subject_count"));
        let mut subs: Vec<(String, PopFile, bool)> = Vec::new();
        if f.overview.entrustment.status != Some(Entrust::None) {
            for (j, it) in f.overview.entrustment.items.iter().enumerate() {
                if let Some(b) = it.subject_count {
                    subs.push((
                        format!("files[{i}].overview.entrustment.items[{j}].subject_count"),
                        b,
                        it.scope == Some(EntrustScope::Whole),
                    ));
                }
            }
        }
        for (j, r) in f.overview.provision.recipients.iter().enumerate() {
            if let Some(b) = r.subject_count {
                subs.push((
                    format!("files[{i}].overview.provision.recipients[{j}].subject_count"),
                    b,
                    false,
                ));
            }
        }
        for (j, t) in f.overview.provision.transferees.iter().enumerate() {
            if let Some(b) = t.subject_count {
                subs.push((
                    format!("files[{i}].overview.provision.transferees[{j}].subject_count"),
                    b,
                    false,
                ));
            }
        }
        for (p, b, whole) in subs {
            let (lo, _) = pop_file_range(b);
            let item = ctx.item(&p);
            if fhi.is_some_and(|h| lo >= h) {
                ctx.error(
                    "PIA-E160",
                    &p,
                    format!("「{item}」（{}）が「{file_item}」（{}）を超えています", b.text(), fb.text()),
                    "委託・提供・移転する情報の本人の数は、ファイルの対象となる本人の数を超えません。区分を見直してください。",
                );
            } else if whole && b != fb {
                ctx.warning(
                    "PIA-W161",
                    &p,
                    format!("ファイルの全体を委託していますが、「{item}」（{}）が「{file_item}」（{}）と異なります", b.text(), fb.text()),
                    "②取扱いを委託する特定個人情報ファイルの範囲が全体であれば、対象となる本人の数は通常ファイルと同じ区分です。",
                );
            }
        }
    }
}

// ---------------------------------------------------------------- D-18, D-19

fn item_count(ctx: &mut Ctx) {
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
            ctx.warning(
                "PIA-W180",
                &p,
                format!("「{item}」が「{}」ですが、別添２に記載した記録項目は{n}項目です", band.text()),
                "記録される項目の区分と別添２の記録項目の数を確認してください（別添２に項目をまとめて書いた場合は区分に合わせて数えます）。",
            );
        }
    }
}

fn retention_period(ctx: &mut Ctx) {
    for (i, f) in ctx.a.files.iter().enumerate() {
        let r = &f.overview.retention;
        if r.period != Some(RetentionPeriod::Undefined) {
            continue;
        }
        let t = r.period_rationale.trim();
        if t.is_empty() {
            continue; // D-1 reports the missing text
        }
        if is_nashi(t) || t.chars().count() < 15 {
            let p = format!("files[{i}].overview.retention.period_rationale");
            ctx.warning(
                "PIA-W190",
                &p,
                format!("保管期間が「{}」ですが、その妥当性に定めていない理由の説明がありません", RetentionPeriod::Undefined.text()),
                "保管期間を定めていない理由と、不要になった情報をどのように消去するかを記載してください。",
            );
        }
    }
}

// ---------------------------------------------------------------- D-20, D-21

fn file_names(ctx: &mut Ctx) {
    let a = ctx.a;
    let listed: Vec<String> = a
        .basic
        .file_names
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let overview: Vec<String> = a
        .files
        .iter()
        .map(|f| f.overview.file_name.trim().to_string())
        .collect();
    for name in &listed {
        if !name.is_empty() && !overview.contains(name) {
            ctx.error(
                "PIA-E200",
                "basic.file_names",
                format!("Ⅰ３．の特定個人情報ファイル名「{name}」について、Ⅱ・Ⅲ（[[files]]）の記載がありません"),
                "ファイルごとに [[files]] を記載し、Ⅱ１．の特定個人情報ファイル名をⅠ３．と同じにしてください。",
            );
        }
    }
    for (i, f) in a.files.iter().enumerate() {
        let name = f.overview.file_name.trim();
        if !name.is_empty() && !listed.iter().any(|l| l == name) {
            ctx.error(
                "PIA-E201",
                &format!("files[{i}].overview.file_name"),
                format!("Ⅱ１．の特定個人情報ファイル名「{name}」がⅠ３．特定個人情報ファイル名にありません"),
                "Ⅰ３．（basic.file_names）に同じ名称を加えるか、名称を揃えてください。",
            );
        }
        let risk = f.risk.file_name.trim();
        if !risk.is_empty() && !name.is_empty() && risk != name {
            ctx.error(
                "PIA-E202",
                &format!("files[{i}].risk.file_name"),
                format!("Ⅲ１．の特定個人情報ファイル名「{risk}」がⅡ１．の「{name}」と異なります"),
                "Ⅲ１．はⅡ１．と同じファイル名です。",
            );
        }
    }
}

fn repetition(ctx: &mut Ctx) {
    let max = ctx
        .form
        .node("basic.systems[]")
        .and_then(|n| n.max)
        .unwrap_or(20);
    let n = ctx.a.basic.systems.len();
    if n > max {
        ctx.error(
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
                ctx.warning(
                    "PIA-W211",
                    &format!("files[{i}].overview.{key}[20]"),
                    format!("{what}が{n}件あります（様式の見出しは{what}20までの想定です）"),
                    format!("{what}をまとめるか、別紙の一覧を参照する書き方を検討してください。記載できる数の上限は記載要領で確認できていません{UNVERIFIED_HELP}"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------- D-26, D-27, D-29

fn review_dates(ctx: &mut Ctx) {
    let a = ctx.a;
    let today = ctx
        .opts
        .today
        .unwrap_or_else(|| Date(jiff::Zoned::now().date()));
    // The latest 再実施: its approval (行政機関等), its 第三者点検 (地方公共団体等), else its 基礎項目評価.
    let (latest, latest_path) = match a.meta.org_kind {
        Some(OrgKind::Gov) => match (
            a.cover.ppc_approved_on,
            a.procedure.ppc_approval.submitted_on,
        ) {
            (Some(d), _) => (Some(d), "cover.ppc_approved_on"),
            (None, Some(d)) => (Some(d), "procedure.ppc_approval.submitted_on"),
            _ => (
                a.procedure.basic_assessment.date,
                "procedure.basic_assessment.date",
            ),
        },
        Some(OrgKind::LocalGov) if a.procedure.third_party_review.date.is_some() => (
            a.procedure.third_party_review.date,
            "procedure.third_party_review.date",
        ),
        _ => (
            a.procedure.basic_assessment.date,
            "procedure.basic_assessment.date",
        ),
    };
    if let Some(l) = latest {
        let five = l.plus_months(60);
        let warn = l.plus_months(54);
        let item = ctx.item(latest_path);
        if today >= five {
            ctx.warning(
                "PIA-W260",
                latest_path,
                format!("直近の評価の再実施（{item} {}）から5年が経過しています（{}に経過）", wareki(l), wareki(five)),
                "評価書の公表から5年を経過する前に評価を再実施するよう努めることとされています（規則第15条、努力義務）。速やかに再実施を計画してください。",
            );
        } else if today >= warn {
            ctx.warning(
                "PIA-W260",
                latest_path,
                format!("直近の評価の再実施（{item} {}）から4年6か月を過ぎました。{}に5年を経過します", wareki(l), wareki(five)),
                "5年を経過する前に評価を再実施するよう努めることとされています（規則第15条、努力義務）。再実施の準備を始めてください。",
            );
        }
    }
    if let Some(p) = a.cover.published_on {
        let due = p.plus_months(12);
        if today > due {
            ctx.warning(
                "PIA-W261",
                "cover.published_on",
                format!("公表日（{}）から1年以上経過しています（確認日 {}）", wareki(p), wareki(today)),
                "少なくとも1年に1回は評価書の記載事項を見直すよう努めることとされています。見直した結果、変更があれば評価書を修正して公表してください。",
            );
        }
    }
}

fn ended(ctx: &mut Ctx) {
    let Some(end) = ctx.a.meta.ended_on else {
        return;
    };
    let title = ctx.a.cover.title.trim();
    let tail_ok = title.ends_with("終了】");
    if !tail_ok {
        ctx.error(
            "PIA-E270",
            "cover.title",
            format!(
                "事務の終了日（{}）が設定されていますが、評価書名の末尾に【…終了】がありません",
                wareki(end)
            ),
            format!(
                "評価書名の末尾に「【{} 終了】」を付け、終了後も3年間は公表を続けてください。",
                wareki(end)
            ),
        );
        return;
    }
    let expected = format!("【{} 終了】", wareki(end));
    if !squash(title).ends_with(&squash(&expected)) {
        ctx.warning(
            "PIA-W271",
            "cover.title",
            format!(
                "評価書名の終了日が事務の終了日（{}）と一致しません",
                wareki(end)
            ),
            format!("評価書名の末尾は「{expected}」です。"),
        );
    }
}

fn number(ctx: &mut Ctx) {
    if ctx.a.cover.assessment_number == Some(0) {
        ctx.warning(
            "PIA-W290",
            "cover.assessment_number",
            "評価書番号が0です",
            "評価書番号は特定個人情報保護評価計画管理書の評価書番号（1以上の整数）と同じ番号です。",
        );
    }
}

// ---------------------------------------------------------------- D-30

/// The headings the form in use prints with their ※ (spec §A.5, §A.6).
pub fn star_headings(form: &crate::form::Form) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in form.nodes.iter().filter(|n| n.k == Kind::Section && n.m) {
        let heading = match &n.ms {
            Some(ms) => format!("{} {ms}", n.heading()),
            None => format!("{} ※", n.heading()),
        };
        out.push((n.p.clone(), heading));
    }
    out
}

fn form_marks(ctx: &mut Ctx) {
    let headings = star_headings(ctx.form);
    let expected = [
        ("files[].risk", "※（７．リスク１⑨を除く。）"),
        ("other_risk", "Ⅳ　その他のリスク対策 ※"),
    ];
    for (p, text) in expected {
        let ok = headings.iter().any(|(hp, h)| hp == p && h.contains(text));
        if !ok {
            let form_id = ctx.form.id.clone();
            ctx.error(
                "PIA-E300",
                "meta.form_version",
                format!("様式定義（{form_id}）の見出しに「{text}」が印字されません"),
                "様式定義（forms/*.toml）の※の設定（m / ms）を様式に合わせて直してください。",
            );
        }
    }
    let excluded = ctx
        .form
        .node("files[].risk.retention.r1.serious_incident")
        .is_some_and(|n| n.x);
    if !excluded
        || ctx
            .form
            .is_star("files[0].risk.retention.r1.serious_incident")
    {
        ctx.error(
            "PIA-E300",
            "meta.form_version",
            "様式定義でⅢ７．リスク１⑨が※の対象外になっていません",
            "「※（７．リスク１⑨を除く。）」のとおり、⑨には x = true を設定してください。",
        );
    }
}
