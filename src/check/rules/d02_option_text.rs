//! D-2: check-list options printed with 「（　）」 carry their text.

use serde_json::Value;

use crate::check::registry::rule;
use crate::check::{Ctx, lookup};
use crate::form::{Kind, Node};
use crate::path::expand;
use crate::path::join_key;

rule! {
/// ## 検査内容
/// チェック項目のうち「その他（　）」のように（　）に内容を書く選択肢をチェックした場合に、その内容が書かれて
/// いるかを検査します。
///
/// ## 根拠
/// 様式４の「[ ] その他 （　　）」の欄。仕様 yoshiki4.md §D-2。
///
/// ## 例
/// `"その他" = true`（PIA-E020）。
///
/// ## 直し方
/// `"その他" = "公金受取口座情報"` のように内容を書きます。チェックしない場合は行を削除します。
///
/// ## 確度
/// 確認済みです。
    id: "D-2",
    title: "チェックした（　）の内容",
    codes: [
        "PIA-E020" Error Check Stable "チェックした（　）の内容がない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let nodes: Vec<&Node> = ctx
        .form
        .nodes
        .iter()
        .filter(|n| n.k == Kind::Checks && !n.tool)
        .collect();
    for node in nodes {
        for path in expand(&ctx.json, &node.p) {
            let value = lookup(&ctx.json, &path).cloned();
            check_list_texts(ctx, node, &path, value.as_ref());
        }
    }
}

/// D-2: checked 「（　）」 options carry their text.
fn check_list_texts(ctx: &mut Ctx, node: &Node, path: &str, value: Option<&Value>) {
    let Some(set) = ctx.form.options_of(node) else {
        return;
    };
    let Some(Value::Object(m)) = value else {
        return;
    };
    for (text, v) in m {
        let Some(opt) = set.by_text(text) else {
            continue;
        };
        if opt.free && matches!(v, Value::Bool(true)) {
            let p = join_key(path, text);
            let item = ctx.item(&p);
            ctx.report(
                "PIA-E020",
                &p,
                format!("「{item}」がチェックされていますが（　）の内容がありません"),
                format!("\"{text}\" = \"…\" のように（　）に入る内容を書いてください。"),
            );
        }
        if opt.free
            && let Value::String(s) = v
            && s.trim().is_empty()
        {
            let p = join_key(path, text);
            let item = ctx.item(&p);
            ctx.report(
                "PIA-E020",
                &p,
                format!("「{item}」の（　）の内容が空です"),
                "チェックしない場合はこの行を削除し、する場合は内容を書いてください。",
            );
        }
    }
}
