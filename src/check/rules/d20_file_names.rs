//! D-20: 特定個人情報ファイル名の一致.

use crate::check::Ctx;
use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// 特定個人情報ファイル名が、Ⅰ３．、各ファイルのⅡ１．、Ⅲ１．で一致するかを検査します。
///
/// ## 根拠
/// 様式４のⅠ３．特定個人情報ファイル名、Ⅱ１．、Ⅲ１．。仕様 yoshiki4.md §D-20。
///
/// ## 例
/// Ⅰ３．に「健康保険基幹ファイル」、Ⅱ１．に「健康保険基幹情報ファイル」（PIA-E200、PIA-E201）。
///
/// ## 直し方
/// 名称を揃えます。ファイルごとに `[[files]]` を一つ記載します。
///
/// ## 確度
/// 確認済みです。
    id: "D-20",
    title: "特定個人情報ファイル名の一致",
    reads: ["files[]"],
    codes: [
        "PIA-E200" Error Check Stable "Ⅰ３．の特定個人情報ファイル名にⅡの記載がない",
        "PIA-E201" Error Check Stable "Ⅱ１．の特定個人情報ファイル名がⅠ３．にない",
        "PIA-E202" Error Check Stable "Ⅲ１．の特定個人情報ファイル名がⅡ１．と異なる",
    ],
}

pub fn run(ctx: &mut Ctx) {
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
            ctx.report(
                "PIA-E200",
                "basic.file_names",
                format!(
                    "「{}」の「{name}」について、ファイルの記載（[[files]]）がありません",
                    ctx.item("basic.file_names")
                ),
                format!(
                    "ファイルごとに [[files]] を記載し、「{}」を「{}」と同じにしてください。",
                    ctx.form.printed_path("files[0].overview.file_name", &[]),
                    ctx.item("basic.file_names")
                ),
            );
        }
    }
    for (i, f) in a.files.iter().enumerate() {
        let name = f.overview.file_name.trim();
        if !name.is_empty() && !listed.iter().any(|l| l == name) {
            ctx.report(
                "PIA-E201",
                &format!("files[{i}].overview.file_name"),
                format!(
                    "「{}」の「{name}」が「{}」にありません",
                    ctx.form.printed_path("files[0].overview.file_name", &[]),
                    ctx.item("basic.file_names")
                ),
                format!(
                    "「{}」（basic.file_names）に同じ名称を加えるか、名称を揃えてください。",
                    ctx.item("basic.file_names")
                ),
            );
        }
        let risk = f.risk.file_name.trim();
        if !risk.is_empty() && !name.is_empty() && risk != name {
            ctx.report(
                "PIA-E202",
                &format!("files[{i}].risk.file_name"),
                format!(
                    "「{}」の「{risk}」が「{}」の「{name}」と異なります",
                    ctx.form.printed_path("files[0].risk.file_name", &[]),
                    ctx.form.printed_path("files[0].overview.file_name", &[])
                ),
                "二つの特定個人情報ファイル名は同じ名称です。",
            );
        }
    }
}
