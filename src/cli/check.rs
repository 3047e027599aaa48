//! `pia check`.

use std::path::PathBuf;

use clap::ValueEnum;
use rayon::prelude::*;

use pia::check::{self, Options};
use pia::diag::{self, Color};
use pia::load::MAIN_FILE;
use pia::report::{self, Report};

use super::{FINDINGS, INPUT, OK};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// 人が読む形式（端末では色付き、ソース行と位置の印付き）
    Human,
    /// JSON（安定した形式。docs/check-json.md を参照）
    Json,
    /// GitHub Actions のアノテーション（重要な10件）とジョブのサマリー
    Github,
    /// SARIF 2.1.0（GitHub code scanning 等）
    Sarif,
}

#[derive(clap::Args)]
pub struct Args {
    /// 評価書のディレクトリ、TOML ファイル、又は評価書のディレクトリを含むディレクトリ（複数可。省略時はカレントディレクトリ）。
    #[arg(default_value = ".", hide_default_value = true)]
    paths: Vec<PathBuf>,
    /// 出力形式: human（既定。人が読む形式）、json、github（GitHub Actions）、sarif。
    #[arg(long, value_enum, default_value_t = Format::Human, hide_default_value = true, hide_possible_values = true)]
    format: Format,
    /// 警告がある場合も失敗（終了コード 1）とします。
    #[arg(long)]
    deny_warnings: bool,
    /// 個人番号等と思われる記載（PIA-W310、PIA-W311）をエラーとして報告します（公表前の最終確認用。コードは変わりません）。
    #[arg(long)]
    strict: bool,
    /// 指定したコードだけを報告します（カンマ区切り。PIA-W05 のような前方一致も可）。
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    select: Vec<String>,
    /// 指定したコードを報告しません（カンマ区切り。前方一致も可）。評価書ごとの設定は [meta.check] に書きます。
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// 色付け: auto（既定。端末のときだけ）、always、never。
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, hide_default_value = true, hide_possible_values = true)]
    color: ColorArg,
    /// 5年経過・1年ごとの見直しの判断に使う「今日」の日付（YYYY-MM-DD。省略時はシステムの日付）。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    today: Option<pia::model::Date>,
    /// この git リビジョンからの変更と別添３の整合（D-22～D-25）も検査します（例: --since main）。
    #[arg(long, value_name = "REV")]
    since: Option<String>,
    /// コードの意味・根拠・直し方を表示します（例: --explain PIA-E071）。評価書は検査しません。
    #[arg(long, value_name = "CODE")]
    explain: Option<String>,
    /// 全てのコードの一覧（Markdown の表）を表示します。評価書は検査しません。
    #[arg(long)]
    list_codes: bool,
}

pub use super::ColorArg;

/// Expands the command-line paths into assessments: a directory holding `assessment.toml` is
/// one assessment; any other directory contributes each sub-directory that holds one.
fn targets(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() && !p.join(MAIN_FILE).exists() {
            let mut subs: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|d| d.join(MAIN_FILE).is_file())
                        .collect()
                })
                .unwrap_or_default();
            subs.sort();
            if subs.is_empty() {
                out.push(p.clone()); // reported as "not found" by the loader
            } else {
                out.extend(subs);
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

pub fn run(args: Args, ctx: &super::Context) -> u8 {
    if let Some(code) = &args.explain {
        let code = code.trim().to_ascii_uppercase();
        return match check::registry::explain(&code) {
            Some(text) => {
                out!("{text}");
                OK
            }
            None => super::fail(
                &format!("コード {code} は登録されていません"),
                Some("`pia check --list-codes` でコードの一覧を表示できます。"),
            ),
        };
    }
    if args.list_codes {
        out!("{}", check::registry::markdown_table());
        return OK;
    }
    let opts = Options {
        strict: args.strict,
        today: args.today,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let targets = targets(&args.paths);
    let results: Vec<(Report, pia::source::Sources)> = targets
        .par_iter()
        .map(|t| {
            let target = t.display().to_string();
            match ctx.load(t) {
                Ok(loaded) => {
                    let mut diagnostics = if args.since.is_some() {
                        check::findings(&loaded, &opts)
                    } else {
                        check::check(&loaded, &opts)
                    };
                    if let Some(rev) = &args.since {
                        match pia::check::since::check_since(t, rev, &loaded, &ctx.catalog(t)) {
                            Ok(more) => {
                                diagnostics = check::policy(
                                    diagnostics.into_iter().chain(more).collect(),
                                    &loaded,
                                    &opts,
                                )
                            }
                            Err(e) => {
                                let diagnostics = pia::check::since::rev_error_diagnostics(e, rev);
                                return (
                                    Report {
                                        target,
                                        readable: false,
                                        diagnostics,
                                    },
                                    loaded.sources,
                                );
                            }
                        }
                        check::sort(&mut diagnostics);
                    }
                    (
                        Report {
                            target,
                            readable: true,
                            diagnostics,
                        },
                        loaded.sources,
                    )
                }
                Err(e) => (
                    Report {
                        target,
                        readable: false,
                        diagnostics: e.diagnostics,
                    },
                    e.sources,
                ),
            }
        })
        .collect();
    let color = match args.color {
        ColorArg::Auto => Color::Auto,
        ColorArg::Always => Color::Always,
        ColorArg::Never => Color::Never,
    };
    let reports: Vec<Report> = results.iter().map(|(r, _)| r.clone()).collect();
    match args.format {
        Format::Human => {
            for (r, sources) in &results {
                err!("{}", diag::render_human(&r.diagnostics, sources, color));
                let status = if !r.readable {
                    "読み込めませんでした".to_string()
                } else if r.diagnostics.is_empty() {
                    "問題はありません".to_string()
                } else {
                    format!("エラー {} 件、警告 {} 件", r.errors(), r.warnings())
                };
                errln!("{}: {status}", diag::clean(&r.target, diag::MAX_NAME_CHARS));
            }
        }
        Format::Json => out!("{}", report::to_json(&reports)),
        Format::Sarif => out!("{}", report::to_sarif(&reports)),
        Format::Github => {
            let (annotations, summary) = report::to_github(&reports);
            out!("{annotations}");
            match std::env::var_os("GITHUB_STEP_SUMMARY") {
                Some(path) => {
                    use std::io::Write;
                    let written = std::fs::OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(&path)
                        .and_then(|mut f| f.write_all(summary.as_bytes()));
                    if let Err(e) = written {
                        errln!("警告: ジョブのサマリーに書き込めません: {e}");
                    }
                }
                None => out!("{summary}"),
            }
        }
    }
    // The process ends after this: the positions of every written item (hundreds of thousands
    // for a long 別添３) are left to the OS instead of being freed one by one.
    std::mem::forget(results);
    if reports.iter().any(|r| !r.readable) {
        INPUT
    } else if reports.iter().any(|r| r.errors() > 0)
        || (args.deny_warnings && reports.iter().any(|r| r.warnings() > 0))
    {
        FINDINGS
    } else {
        OK
    }
}
