//! The 別添1 figure (`basic.attachment1.figure`): PIA-W321 when there is none (the form's
//! （備考） explains a figure), PIA-E320 when the file cannot be used. The file was read and
//! checked once by the loader ([`crate::figure::load`], the same checks `pia render` applies);
//! this rule reports that status at the item's place in the TOML.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::figure::PATH;

rule! {
    /// ## 検査内容
    /// （別添１）事務の内容の図（事務の全体図）を検査します。図がなければ警告です（PIA-W321。様式の（備考）は
    /// 図の説明で、「図中の…」のように図を参照します）。図のファイルが評価書ディレクトリの外にある、見つからない、
    /// 通常のファイルでない（FIFO 等）、大きすぎる、SVG・PNG・JPEG・PDF のいずれでもない、又は画素数が多すぎる
    /// 場合はエラーです（PIA-E320）。`pia render` と同じ検査で、PDF の出力に失敗する前に分かります。
    ///
    /// ## 根拠
    /// 様式４の（別添１）事務の内容（図と（備考））。上限値は docs/limits.md にあります。
    ///
    /// ## 例
    /// `figure = "../shared/zu.svg"`（評価書ディレクトリの外。PIA-E320）。
    ///
    /// ## 直し方
    /// 図を評価書ディレクトリの中（例: figures/jimu.svg）に置き、`basic.attachment1.figure` にその相対パスを
    /// 書きます。大きな画像は縮小するか SVG にします。
    ///
    /// ## 確度
    /// ファイルの検査は確認済みです。図がない場合は、様式が図を前提としているため警告です。
    id: "別添1",
    title: "事務の全体図",
    reads: ["basic.attachment1.figure"],
    codes: [
        "PIA-E320" Error Check Stable "別添１の図のファイルが使えない（ディレクトリの外、見つからない、大きすぎる、形式が違う 等）",
        "PIA-W321" Warning Check Stable "別添１に事務の全体図がない",
    ],
}

pub fn run(ctx: &mut Ctx) {
    match ctx.sources.figure.as_deref() {
        None => ctx.report(
            "PIA-W321",
            PATH,
            "別添１に事務の全体図がありません",
            "様式の（備考）は事務の全体図（別添１）の説明です。図のファイル（SVG・PNG・JPEG・PDF）を評価書ディレクトリに置き、basic.attachment1.figure にその相対パスを書いてください。",
        ),
        Some(Err(problem)) => {
            let item = ctx.item(PATH);
            let message = problem.message(&item);
            let help = problem.help.clone();
            ctx.report("PIA-E320", PATH, message, help);
        }
        Some(Ok(_)) => {}
    }
}
