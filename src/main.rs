//! The `pia` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

/// 特定個人情報保護評価書（全項目評価書・様式４）を TOML で記述し、検査・PDF 出力・差分を行います。
#[derive(Parser)]
#[command(name = "pia", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "終了コード: 0 = 問題なし / 1 = エラーあり（check）・事前提出が必要（diff --fail-on-prior） / 2 = 入力を読み込めない・使い方の誤り"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 評価書を検査します（未記入・選択肢・しきい値判断・整合性）。CI のゲートに使えます。
    Check(cli::check::Args),
    /// 評価書を PDF（様式４のレイアウト、別添３を含む）に出力します。
    Render(cli::render::Args),
    /// 二つの版の間の変更を項目ごとに一覧し、事前・事後を判定します（別添３の行を作ります）。
    Diff(cli::diff::Args),
    /// しきい値判断を行い、義務付けられる評価を表示します。
    Threshold(cli::threshold::Args),
    /// JSON Schema を出力します（エディタでの入力補完・検査用）。
    Schema {
        /// Taplo / Even Better TOML 向けの draft-07 版を出力します。
        #[arg(long)]
        draft07: bool,
        /// 出力先ファイル（省略時は標準出力）。
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// 新しい評価書のひな形を作成します（全項目が空欄で、様式の項目名がコメントされています）。
    Init {
        /// 作成するディレクトリ。
        dir: PathBuf,
        /// 既存のファイルを上書きします。
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => cli::check::run(args),
        Command::Render(args) => cli::render::run(args),
        Command::Diff(args) => cli::diff::run(args),
        Command::Threshold(args) => cli::threshold::run(args),
        Command::Schema { draft07, output } => cli::schema(draft07, output),
        Command::Init { dir, force } => cli::init(&dir, force),
    };
    ExitCode::from(code)
}
