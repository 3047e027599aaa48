//! `pia status`.

use std::path::PathBuf;

use clap::ValueEnum;
use rayon::prelude::*;

use pia::model::Date;
use pia::status::{self, Entry};
use pia::write::write_atomic;

use super::{FINDINGS, INPUT, OK, fail};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// 一覧（既定）
    Human,
    /// JSON（docs/status-json.md を参照）
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// 評価書を探すディレクトリ（assessment.toml のあるディレクトリを下位まで探します。省略時はカレントディレクトリ）。
    #[arg(default_value = ".", hide_default_value = true)]
    dir: PathBuf,
    /// 出力形式: human（既定。一覧）、json。
    #[arg(long, value_enum, default_value_t = Format::Human, hide_default_value = true, hide_possible_values = true)]
    format: Format,
    /// 見直し・再実施の期限を iCalendar（.ics）ファイルに書き出します。
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
    /// 期限の判断に使う「今日」の日付（YYYY-MM-DD。省略時はシステムの日付）。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    today: Option<Date>,
}

fn opt_date(d: Option<Date>) -> String {
    d.map_or_else(|| "なし".to_string(), |d| d.to_string())
}

/// One line for people.
fn line(e: &Entry) -> String {
    let path = e.path.display();
    if !e.readable {
        return format!(
            "{path}: 読み込めません（エラー {} 件。pia check {path} で確認してください）",
            e.errors
        );
    }
    let number = e.assessment_number.map_or_else(
        || "評価書番号なし".to_string(),
        |n| format!("評価書番号 {n}"),
    );
    let title = if e.title.is_empty() {
        "（評価書名なし）".to_string()
    } else {
        format!("「{}」", e.title)
    };
    let kind = e.obliged.map_or("評価の種類未判断", status::kind_name);
    let overdue = |k: status::DueKind| {
        if e.overdue.contains(&k) {
            "【期限切れ】"
        } else {
            ""
        }
    };
    let filled = if e.filled.answered == e.filled.required {
        format!("記入 {}/{}", e.filled.answered, e.filled.required)
    } else {
        let open: Vec<String> = e
            .filled
            .parts
            .iter()
            .filter(|p| p.answered < p.required)
            .map(|p| format!("{} {}/{}", p.part, p.answered, p.required))
            .collect();
        format!(
            "記入 {}/{}（{}）",
            e.filled.answered,
            e.filled.required,
            open.join("、")
        )
    };
    format!(
        "{path}: {number} {title} ｜ {} ｜ {kind} ｜ 公表日 {} ｜ 最後の見直し {} ｜ 次の見直し {}{} ｜ 再実施の期限 {}{} ｜ エラー {}・警告 {} ｜ {filled}",
        e.stage_text,
        opt_date(e.published_on),
        opt_date(e.last_review.as_ref().and_then(|r| r.date)),
        opt_date(e.next_review_due),
        overdue(status::DueKind::Review),
        opt_date(e.reassessment_due),
        overdue(status::DueKind::Reassessment),
        e.errors,
        e.warnings,
    )
}

pub fn run(args: Args, ctx: &super::Context) -> u8 {
    if !args.dir.is_dir() {
        return fail(
            &format!("ディレクトリ `{}` がありません", args.dir.display()),
            Some("評価書（assessment.toml）を含むディレクトリを指定してください。"),
        );
    }
    let today = args.today.unwrap_or_else(Date::today);
    let dirs = status::find(&args.dir);
    if dirs.is_empty() {
        return fail(
            &format!(
                "`{}` の下に評価書（assessment.toml）が見つかりません",
                args.dir.display()
            ),
            Some("評価書のディレクトリを含むディレクトリを指定してください。"),
        );
    }
    let entries: Vec<Entry> = dirs
        .par_iter()
        .map(|d| match ctx.load(d) {
            Ok(loaded) => status::entry(d, &loaded, today),
            Err(e) => status::unreadable(d, e.diagnostics.len()),
        })
        .collect();
    match args.format {
        Format::Json => out!("{}", status::to_json(&entries, today)),
        Format::Human => {
            for e in &entries {
                outln!("{}", line(e));
            }
            let overdue: Vec<String> = entries
                .iter()
                .filter(|e| !e.overdue.is_empty())
                .map(|e| {
                    let what: Vec<String> = e
                        .overdue
                        .iter()
                        .map(|k| {
                            let due = match k {
                                status::DueKind::Review => e.next_review_due,
                                status::DueKind::Reassessment => e.reassessment_due,
                            };
                            format!("{}（期限 {}）", k.japanese(), opt_date(due))
                        })
                        .collect();
                    format!("{}: {}", e.path.display(), what.join("、"))
                })
                .collect();
            errln!(
                "評価書 {} 件（{} 時点）: 期限切れ {} 件{}",
                entries.len(),
                today,
                overdue.len(),
                if entries.iter().any(|e| !e.readable) {
                    format!(
                        "、読み込めない評価書 {} 件",
                        entries.iter().filter(|e| !e.readable).count()
                    )
                } else {
                    String::new()
                }
            );
            for o in &overdue {
                errln!("  期限切れ: {o}");
            }
        }
    }
    if let Some(path) = &args.ics {
        if let Err(e) = write_atomic(path, status::to_ics(&entries, today).as_bytes()) {
            return fail(&format!("`{}` に書き込めません: {e}", path.display()), None);
        }
        errln!("期限を書き出しました: {}", path.display());
    }
    if entries.iter().any(|e| !e.readable) {
        INPUT
    } else if entries.iter().any(|e| !e.overdue.is_empty()) {
        FINDINGS
    } else {
        OK
    }
}
