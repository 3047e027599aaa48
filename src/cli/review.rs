//! `pia review`.

use std::path::PathBuf;

use pia::diag::{self, Color};
use pia::model::{Date, Review};
use pia::review;
use pia::wareki;

use super::{INPUT, OK, fail};

#[derive(clap::Args)]
pub struct Args {
    /// 評価書のディレクトリ（assessment.toml を含む）又は TOML ファイル（省略時はカレントディレクトリ）。
    #[arg(default_value = ".", hide_default_value = true)]
    assessment: PathBuf,
    /// 見直しを行った日（YYYY-MM-DD。省略時は今日）。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    date: Option<Date>,
    /// 見直しの結果: 「変更なし」、又は変更した内容。
    #[arg(long, value_name = "結果")]
    result: String,
    /// 見直しを行った部署又は役職（任意）。
    #[arg(long, value_name = "実施者")]
    reviewer: Option<String>,
    /// 「今日」の日付（YYYY-MM-DD。省略時はシステムの日付）。これより後の実施日は記録しません。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    today: Option<Date>,
}

pub fn run(args: Args, ctx: &super::Context) -> u8 {
    let loaded = match ctx.load(&args.assessment) {
        Ok(l) => l,
        Err(e) => {
            err!(
                "{}",
                diag::render_human(&e.diagnostics, &e.sources, Color::Auto)
            );
            errln!("{}: 読み込めませんでした", args.assessment.display());
            return INPUT;
        }
    };
    let today = args.today.unwrap_or_else(Date::today);
    let date = args.date.unwrap_or(today);
    let result = args.result.trim();
    if result.is_empty() {
        return fail(
            "--result に見直しの結果を書いてください",
            Some("例: --result \"変更なし\"、又は --result \"委託先の変更（別添３に記録）\""),
        );
    }
    if date > today {
        return fail(
            &format!("見直しの実施日（{date}）が今日（{today}）より後です"),
            Some("見直しは行った後に記録します。"),
        );
    }
    let a = &loaded.assessment;
    let Some(published) = a.cover.published_on else {
        return fail(
            "この評価書には公表日がありません。年1回の見直しは公表した評価書について行います",
            Some("公表するときは `pia release <評価書> --date <公表日>` を使います。"),
        );
    };
    let entry = Review {
        date: Some(date),
        result: result.to_string(),
        reviewer: args.reviewer.as_deref().unwrap_or("").trim().to_string(),
    };
    let recorded = match review::record(&loaded, &entry) {
        Ok(r) => r,
        Err(e) => return fail(&e, None),
    };
    if recorded.added {
        errln!(
            "見直しを記録しました: {}（{}、結果「{}」）",
            recorded.file.display(),
            wareki::format(date),
            entry.result
        );
    } else {
        errln!(
            "同じ見直し（{}、結果「{}」）は記録済みです: {}",
            wareki::format(date),
            entry.result,
            recorded.file.display()
        );
    }
    if date < published {
        errln!(
            "  注意: 実施日が公表日（{}）より前のため、次の見直しの期限は公表日から数えます",
            wareki::format(published)
        );
    }
    // The next review as `pia status` shows it, from the file as written.
    let due = match ctx.load(&args.assessment) {
        Ok(l) => review::review_due(&l.assessment),
        Err(_) => None,
    };
    if let Some(due) = due {
        errln!("  次の見直しの期限: {}（{due}）", wareki::format(due));
    }
    OK
}
