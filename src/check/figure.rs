//! The 別添1 figure (`basic.attachment1.figure`): PIA-W321 when there is none (the form's
//! （備考） explains a figure), PIA-E320 when the file cannot be used. The file was read and
//! checked once by the loader ([`crate::figure::load`], the same checks `pia render` applies);
//! this rule reports that status at the item's place in the TOML.

use super::Ctx;
use crate::figure::PATH;

pub fn run(ctx: &mut Ctx) {
    match ctx.sources.figure.as_deref() {
        None => ctx.warning(
            "PIA-W321",
            PATH,
            "別添１に事務の全体図がありません",
            "様式の（備考）は事務の全体図（別添１）の説明です。図のファイル（SVG・PNG・JPEG・PDF）を評価書ディレクトリに置き、basic.attachment1.figure にその相対パスを書いてください。",
        ),
        Some(Err(problem)) => {
            let item = ctx.item(PATH);
            let message = problem.message(&item);
            let help = problem.help.clone();
            ctx.error("PIA-E320", PATH, message, help);
        }
        Some(Ok(_)) => {}
    }
}

/// One-line descriptions of the codes of this rule (for SARIF rule metadata and documentation).
pub fn describe(code: &str) -> Option<&'static str> {
    match code {
        "PIA-E320" => Some(
            "別添１の図のファイルが使えない（評価書ディレクトリの外、見つからない、通常のファイルでない、大きすぎる、SVG・PNG・JPEG・PDF でない、画素数が多すぎる）",
        ),
        "PIA-W321" => Some("別添１に事務の全体図がない"),
        _ => None,
    }
}
