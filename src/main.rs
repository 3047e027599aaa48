//! The `pia` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Parser, Subcommand};

#[macro_use]
mod cli;

// Many small allocations (one string per item of every 別添３ row): see docs/benchmarks.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROOT_HELP: &str = "{about-with-newline}\n使い方: {usage}\n\nコマンド:\n{subcommands}\n\nオプション:\n{options}\n{after-help}\n";
const SUB_HELP: &str = "{about-with-newline}\n使い方: {usage}\n\n引数:\n{positionals}\n\nオプション:\n{options}\n{after-help}";
const SUB_HELP_NO_ARGS: &str =
    "{about-with-newline}\n使い方: {usage}\n\nオプション:\n{options}\n{after-help}";

/// 特定個人情報保護評価書（全項目評価書・様式４）を TOML で記述し、検査・PDF 出力・差分を行います。
#[derive(Parser)]
#[command(name = "pia", version, about, long_about = None, propagate_version = true)]
#[command(help_template = ROOT_HELP, disable_help_flag = true, disable_version_flag = true, disable_help_subcommand = true)]
#[command(
    after_help = "終了コード: 0 = 問題なし / 1 = エラーあり（check・release）・事前提出が必要（diff --fail-on-prior）・期限切れあり（status） / 2 = 入力を読み込めない・使い方の誤り"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// ヘルプを表示します。
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// バージョンを表示します。
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
    /// 様式のフォルダ（form.toml と layout.typ）を置いたディレクトリ。pia に組み込みの様式より先に探します（環境変数 PIA_FORMS_DIR でも指定できます）。
    #[arg(long, value_name = "DIR", global = true)]
    forms_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// 評価書を検査します（未記入・選択肢・しきい値判断・整合性）。CI のゲートに使えます。
    #[command(help_template = SUB_HELP)]
    Check(cli::check::Args),
    /// 評価書を PDF（様式４のレイアウト、別添３を含む）に出力します。
    #[command(help_template = SUB_HELP)]
    #[cfg(feature = "render")]
    Render(cli::render::Args),
    /// 二つの版の間の変更を項目ごとに一覧し、事前・事後を判定します（別添３の行を作ります）。
    #[command(help_template = SUB_HELP)]
    Diff(cli::diff::Args),
    /// 新しい版を公表します: 前回公表した版からの変更を別添３に記録し、公表日を設定し、検査して PDF を出力します。
    #[cfg(feature = "render")]
    #[command(help_template = SUB_HELP)]
    Release(cli::release::Args),
    /// 年1回の見直しを記録します（[[meta.reviews]] に実施日と結果を追記します）。
    #[command(help_template = SUB_HELP)]
    Review(cli::review::Args),
    /// ディレクトリの下の評価書ごとに、段階・公表日・見直しと再実施の期限・記入状況を一覧します。
    #[command(help_template = SUB_HELP)]
    Status(cli::status::Args),
    /// しきい値判断を行い、義務付けられる評価を表示します。
    #[command(help_template = SUB_HELP)]
    Threshold(cli::threshold::Args),
    /// JSON Schema を出力します（エディタでの入力補完・検査用）。
    #[command(help_template = SUB_HELP_NO_ARGS)]
    Schema {
        /// 様式（meta.form_version の値。省略時は R6.10-yoshiki4）。
        #[arg(long, value_name = "様式")]
        form: Option<String>,
        /// Taplo / Even Better TOML 向けの draft-07 版を出力します。
        #[arg(long)]
        draft07: bool,
        /// 出力先ファイル（省略時は標準出力）。
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// 新しい評価書のひな形を作成します（全項目が空欄で、様式の項目名がコメントされています）。
    #[command(help_template = SUB_HELP)]
    Init {
        /// 作成するディレクトリ。
        dir: PathBuf,
        /// 様式（meta.form_version の値。省略時は R6.10-yoshiki4）。
        #[arg(long, value_name = "様式")]
        form: Option<String>,
        /// 既存のファイルを上書きします。
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(usage_error(e)),
    };
    let ctx = cli::Context {
        forms_dir: cli.forms_dir,
    };
    let code = match cli.command {
        Command::Check(args) => cli::check::run(args, &ctx),
        #[cfg(feature = "render")]
        Command::Render(args) => cli::render::run(args, &ctx),
        Command::Diff(args) => cli::diff::run(args, &ctx),
        #[cfg(feature = "render")]
        Command::Release(args) => cli::release::run(args, &ctx),
        Command::Review(args) => cli::review::run(args, &ctx),
        Command::Status(args) => cli::status::run(args, &ctx),
        Command::Threshold(args) => cli::threshold::run(args, &ctx),
        Command::Schema {
            form,
            draft07,
            output,
        } => cli::schema(&ctx, form.as_deref(), draft07, output),
        Command::Init { dir, form, force } => cli::init(&ctx, form.as_deref(), &dir, force),
    };
    ExitCode::from(code)
}

/// Prints a command-line error in Japanese (help and version requests print as they are).
fn usage_error(e: clap::Error) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            return 2;
        }
        _ => {}
    }
    let ctx = |k: ContextKind| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let arg = ctx(ContextKind::InvalidArg);
    let message = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = ctx(ContextKind::InvalidValue);
            let detail = std::error::Error::source(&e)
                .map(|s| format!("（{s}）"))
                .unwrap_or_default();
            let valid = ctx(ContextKind::ValidValue);
            let valid = if valid.is_empty() {
                String::new()
            } else {
                format!("。指定できる値: {valid}")
            };
            format!("{arg} の値「{value}」が正しくありません{detail}{valid}")
        }
        ErrorKind::UnknownArgument => {
            let suggestion = ctx(ContextKind::SuggestedArg);
            let suggestion = if suggestion.is_empty() {
                String::new()
            } else {
                format!("（{suggestion} の誤りではありませんか？）")
            };
            format!("不明なオプション {arg} です{suggestion}")
        }
        ErrorKind::InvalidSubcommand => {
            let suggestion = ctx(ContextKind::SuggestedSubcommand);
            let suggestion = if suggestion.is_empty() {
                String::new()
            } else {
                format!("（{suggestion} の誤りではありませんか？）")
            };
            format!(
                "不明なコマンド {} です{suggestion}",
                ctx(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("必須の引数 {arg} が指定されていません"),
        ErrorKind::ArgumentConflict => format!(
            "{arg} と {} は同時に指定できません",
            ctx(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} の値の数が正しくありません")
        }
        ErrorKind::NoEquals => format!("{arg} には = で値を指定してください"),
        _ => "コマンドラインの指定が正しくありません".to_string(),
    };
    let usage = ctx(ContextKind::Usage);
    errln!("エラー: {message}");
    if !usage.is_empty() {
        errln!("  {}", usage.trim().replace("Usage:", "使い方:"));
    }
    errln!("  詳しくは pia --help 又は pia <コマンド> --help を参照してください。");
    2
}
