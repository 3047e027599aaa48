//! D-1 (every item answered), generic over the form definition: every leaf of the form must hold
//! a value unless it is optional or a conditional rule makes it absent ([`exempt`]).

use serde_json::Value;

use crate::check::registry::rule;
use crate::check::{Ctx, is_filled, lookup, placeholder};
use crate::form::{Kind, Node};

rule! {
/// ## 検査内容
/// 様式の全ての項目が記載されているかを検査します（PIA-E010）。条件によって記載しない項目（委託しない場合の
/// Ⅲ４．、「接続しない」側のⅢ６．のリスク、「行っていない」場合の具体的な管理方法 等）は、様式定義の
/// `when` と条件の規則で除かれます。「TODO」「検討中」「○○」のような仮の記載はエラーです（PIA-E011）。
/// 別紙を参照して集約した提供先・移転先の欄の未記入は警告です（PIA-W012）。空欄でも印刷できるが記載が求め
/// られる項目（「…におけるその他のリスク及びそのリスクに対する措置」、様式定義の `advised = true`）の空欄は
/// 警告です（PIA-W013）。該当がない項目には「なし」と書きます。
///
/// 評価書の段階（`meta.stage`）が「案」のときは、意見聴取の後に決まる項目（公表日、承認日、Ⅵ２．④⑤、Ⅵ３．、
/// Ⅵ４．）を求めません。「素案」のときは、未記入と仮の記載を警告として示します（作成中の版を CI で止めないため）。
///
/// ## 根拠
/// 評価書の審査の観点「様式で求められる全ての項目について検討し、記載しているか」、記載要領（特記事項等は
/// 「なし」又は空欄）。仕様 yoshiki4.md §D-1。
///
/// ## 例
/// Ⅰ７．②所属長の役職名が空欄（PIA-E010）。Ⅱ３．⑧情報の統計分析が「TODO」（PIA-E011）。
///
/// ## 直し方
/// 項目を記載します。`pia init` のひな形のコメントに各項目の名称と書き方があります。
///
/// ## 確度
/// 未記入と仮の記載は確認済みです。集約した提供先の書き方と、その他のリスクの空欄の扱いは未確認（UNVERIFIED）の
/// ため警告です。
    id: "D-1",
    title: "全ての項目の記載",
    codes: [
        "PIA-E010" Error Check Stable "未記入・未回答の項目",
        "PIA-E011" Error Check Stable "仮の記載（TODO、検討中など）",
        "PIA-W012" Warning Check Unverified "別紙を参照する集約した提供先・移転先の項目が未記入",
        "PIA-W013" Warning Check Unverified "空欄でもよいが記載が求められる項目（その他のリスク等）が空欄",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let nodes: Vec<&Node> = ctx
        .form
        .nodes
        .iter()
        .filter(|n| n.k.is_leaf() && !n.tool && !n.computed)
        .collect();
    // The paths that may need a finding, with what D-1 needs of their values, node by node. The
    // items under the same array (the columns of 別添３ …) are read row by row, each row once
    // for all of them (a long 別添３ has 100,000 rows); a path is written out only for a value
    // that is empty or holds a placeholder.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        let prefix = node.p.rfind("[]").map_or("", |i| &node.p[..i + 2]);
        match groups.iter_mut().find(|(p, _)| *p == prefix) {
            Some((_, members)) => members.push(n),
            None => groups.push((prefix, vec![n])),
        }
    }
    type Found = Vec<(String, bool, Option<&'static str>)>;
    let mut found: Vec<Found> = vec![Vec::new(); nodes.len()];
    for (prefix, members) in &groups {
        crate::path::for_each_value(&ctx.json, prefix, &mut |indexes, element| {
            for &n in members {
                let pattern = &nodes[n].p;
                let rest = &pattern[prefix.len()..];
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                let value = match element {
                    Some(v) if rest.is_empty() => Some(v),
                    Some(v) => lookup(v, rest),
                    None => None,
                };
                let filled = is_filled(value);
                let word = value.and_then(Value::as_str).and_then(placeholder);
                if !filled || word.is_some() {
                    found[n].push((crate::path::fill(pattern, indexes), filled, word));
                }
            }
        });
    }
    for (node, found) in nodes.into_iter().zip(found) {
        for (path, filled, word) in found {
            if !filled {
                let required = ctx.form.required_by_sibling(node, &path, |p| {
                    lookup(&ctx.json, p).and_then(Value::as_str)
                });
                if !required || exempt(ctx, &path) || node.k == Kind::Check {
                    continue;
                }
                if node.opt {
                    if node.advised {
                        let item = ctx.item(&path);
                        ctx.report(
                            "PIA-W013",
                            &path,
                            format!("「{item}」が空欄です"),
                            "様式はこの項目の記載を求めています。該当がなければ「なし」と書きます。空欄が認められるかは記載要領で確認できていない（UNVERIFIED）ため、警告としています。",
                        );
                    }
                    continue;
                }
                let item = ctx.item(&path);
                let (what, help) = missing_help(ctx, node);
                if refers_to_attachment(ctx, &path) {
                    ctx.report(
                        "PIA-W012",
                        &path,
                        format!("「{item}」が{what}です（別紙を参照する集約した提供先・移転先）"),
                        format!("{help}集約した提供先の記載方法は記載要領で確認できていない（UNVERIFIED）ため、警告としています。"),
                    );
                } else {
                    ctx.report("PIA-E010", &path, format!("「{item}」が{what}です"), help);
                }
                continue;
            }
            if let Some(word) = word {
                let item = ctx.item(&path);
                ctx.report(
                    "PIA-E011",
                    &path,
                    format!("「{item}」に仮の記載（{word}）が残っています"),
                    "公表する評価書です。確定した内容に書き換えてください。",
                );
            }
        }
    }
}

fn missing_help(ctx: &Ctx, node: &Node) -> (&'static str, String) {
    match node.k {
        Kind::Choice => {
            let set = ctx.form.options_of(node);
            let close = ctx.form.numbering(&node.p);
            (
                "未回答",
                set.map(|s| format!("選択肢から一つ選んで書きます: {}", s.numbered(close)))
                    .unwrap_or_default(),
            )
        }
        Kind::Checks => (
            "未回答",
            "該当する選択肢を一つ以上チェックしてください。".to_string(),
        ),
        Kind::Date | Kind::Period => (
            "未記入",
            node.n
                .clone()
                .unwrap_or_else(|| "日付を YYYY-MM-DD で書きます。".into()),
        ),
        _ => (
            "未記入",
            node.n.clone().unwrap_or_else(|| {
                "該当がない場合も空欄にせず、その旨（例:「なし」）を記載してください。".into()
            }),
        ),
    }
}

/// Whether the form leaves an item out of D-1: absent by a condition of the form
/// (`absent_when`: 委託しない, 接続しない, 提供・移転しない, the kind of body …), or in rows with
/// rules of their own (`unchecked`: 別添3, 別紙, notes).
pub fn exempt(ctx: &Ctx, path: &str) -> bool {
    let mut p = crate::path::pattern_of(path);
    loop {
        if ctx.form.node(&p).is_some_and(|n| n.unchecked) {
            return true;
        }
        if p.is_empty() {
            break;
        }
        p = crate::path::parent_pattern(&p).to_string();
    }
    ctx.form.is_absent(&ctx.json, path)
}

/// Whether `path` lies in a 提供先/移転先 block whose texts refer to a 別紙 table (the block
/// aggregates several recipients, as the seed's 提供先1 does).
fn refers_to_attachment(ctx: &Ctx, path: &str) -> bool {
    let Some(end) = path
        .find("recipients[")
        .or_else(|| path.find("transferees["))
    else {
        return false;
    };
    let Some(close) = path[end..].find(']') else {
        return false;
    };
    let block = &path[..end + close + 1];
    match lookup(&ctx.json, block) {
        Some(Value::Object(m)) => m
            .values()
            .any(|v| v.as_str().is_some_and(|s| s.contains("別紙"))),
        _ => false,
    }
}
