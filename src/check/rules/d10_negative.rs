//! D-10: 否定の回答と「課題が残されている」.

use serde_json::Value;

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::form::Kind;
use crate::model::*;
use crate::path::join_key;

rule! {
/// ## 検査内容
/// Ⅲの否定の回答（「行っていない」「記録を残していない」「定めていない」「十分に行っていない」等）に、その
/// リスクの「その他の措置の内容」で理由や代わりの措置が説明されているかを検査します（PIA-W100）。また
/// 「リスクへの対策は十分か」が「課題が残されている」の場合、そのリスク自身の記載（措置の内容、その他の措置の
/// 内容）に、残された課題と今後の対応（いつまでに、どのように）が書かれているかを検査します（PIA-W101）。
/// 他のリスクや「…におけるその他のリスク及びそのリスクに対する措置」に書いた計画は、そのリスクの回答になりません。
///
/// ## 根拠
/// 様式４のⅢの各リスクの選択肢と「その他の措置の内容」欄。仕様 yoshiki4.md §D-10。どの回答を否定とみなすかは
/// 様式定義の `negative = true` で決まります。
///
/// ## 例
/// Ⅲ３．リスク２ ユーザ認証の管理が「行っていない」で、その他の措置の内容が「なし」（PIA-W100）。
///
/// ## 直し方
/// 否定の回答とした理由と代わりの措置、又は課題と対応予定（「令和8年度中に二要素認証を導入する予定」等）を
/// そのリスクの欄に記載します。
///
/// ## 確度
/// 説明を求める扱いは記載の趣旨から導いたもので、警告です。計画の有無は語句（予定、今後、までに 等）で判定します。
    id: "D-10",
    title: "否定の回答と残された課題の説明",
    reads: ["files[]"],
    codes: [
        "PIA-W100" Warning Check Stable "否定の回答について、その他の措置の内容に説明がない",
        "PIA-W101" Warning Check Stable "「課題が残されている」のにそのリスクの記載に今後の対応がない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    negative_answers(ctx);
    issues_remain(ctx);
}

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
        let other_pattern = format!("{}.other_measures", crate::path::parent_pattern(&node.p));
        if form.node(&other_pattern).is_none() {
            continue;
        }
        for path in crate::path::expand(&ctx.json, &node.p) {
            let answer = lookup_str(ctx, &path);
            if !set.by_text(&answer).is_some_and(|o| o.negative)
                || super::d01_completeness::exempt(ctx, &path)
            {
                continue;
            }
            let other = format!("{}.other_measures", crate::path::concrete_parent(&path));
            let text = lookup_str(ctx, &other);
            if !text.trim().is_empty() && !is_nashi(&text) {
                continue;
            }
            let item = ctx.item(&path);
            let other_item = ctx.item(&other);
            ctx.report(
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
    let issues = ctx.text(Adequacy::IssuesRemain);
    for pat in patterns {
        for path in crate::path::expand(&ctx.json, &pat) {
            if crate::path::lookup(&ctx.json, &path).and_then(Value::as_str) != Some(issues) {
                continue;
            }
            let parent = crate::path::concrete_parent(&path).to_string();
            let mut texts = String::new();
            let parent_pattern = crate::path::pattern_of(&parent);
            if let Some(Value::Object(m)) = crate::path::lookup(&ctx.json, &parent) {
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
            ctx.report(
                "PIA-W101",
                &path,
                format!("「{item}」が「{issues}」ですが、措置の内容に残された課題への今後の対応が記載されていません"),
                "課題が残されている場合は、課題の内容と、いつまでにどのように対応するか（予定・今後の対応）を措置の内容に記載してください。",
            );
        }
    }
}
