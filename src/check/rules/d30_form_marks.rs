//! D-30: 様式定義の※.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::form::Kind;

rule! {
/// ## 検査内容
/// 様式定義の※（重要な変更の対象）の印字を検査します。※のある見出しは「※」を、除外のある見出しは
/// 「※（７．リスク１⑨を除く。）」のような注記を印字し、除外される項目には※が付かないことを確かめます。
/// 様式定義を変えた場合（`--forms-dir`）に誤りを見つけるための規則です。
///
/// ## 根拠
/// 様式４の見出し「Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策　※（７．リスク１⑨を除く。）」
/// 「Ⅳ　その他のリスク対策 ※」。仕様 yoshiki4.md §D-30。
///
/// ## 例
/// 様式定義でⅢ７．リスク１⑨に除外（`x = true`）がない（PIA-E300）。
///
/// ## 直し方
/// 様式定義の `m`（※）、`x`（除外）、`ms`（見出しの注記）を様式に合わせます。
///
/// ## 確度
/// 確認済みです。
    id: "D-30",
    title: "様式定義の※の印字",
    codes: [
        "PIA-E300" Error Check Stable "様式定義の※の表示が様式と異なる",
    ],
}

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

pub fn run(ctx: &mut Ctx) {
    let headings = star_headings(ctx.form);
    let expected = [
        ("files[].risk", "※（７．リスク１⑨を除く。）"),
        ("other_risk", "Ⅳ　その他のリスク対策 ※"),
    ];
    for (p, text) in expected {
        let ok = headings.iter().any(|(hp, h)| hp == p && h.contains(text));
        if !ok {
            let form_id = ctx.form.id.clone();
            ctx.report(
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
        ctx.report(
            "PIA-E300",
            "meta.form_version",
            "様式定義でⅢ７．リスク１⑨が※の対象外になっていません",
            "「※（７．リスク１⑨を除く。）」のとおり、⑨には x = true を設定してください。",
        );
    }
}
