//! `pia diff`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use pia::check::personal;
use pia::diag::{self, Color};
use pia::diff::git::{RevError, load_revision_in};
use pia::diff::{self, output, record};
use pia::load::Loaded;
use pia::model::Date;

use super::{FINDINGS, OK, fail};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// 端末向けの一覧（既定）
    Human,
    /// Markdown（プルリクエストのコメント用）
    Markdown,
    /// JSON（安定した形式。docs/diff-json.md を参照）
    Json,
}

pub use super::ColorArg;

#[derive(clap::Args)]
pub struct Args {
    /// 評価書（--from を使うとき一つ）、又は比較する二つの版のパス（旧 新）。
    #[arg(value_name = "PATH", num_args = 1..=2)]
    paths: Vec<PathBuf>,
    /// 比較元の git リビジョン（例: HEAD~1、main、タグ）。
    #[arg(long, value_name = "REV")]
    from: Option<String>,
    /// 比較先の git リビジョン（省略時は作業ツリー）。
    #[arg(long, value_name = "REV", requires = "from")]
    to: Option<String>,
    /// 出力形式: human（既定。端末向けの一覧）、markdown（プルリクエストのコメント用）、json。
    #[arg(long, value_enum, default_value_t = Format::Human, hide_default_value = true, hide_possible_values = true)]
    format: Format,
    /// 事前の提出が必要な変更（重要な変更、しきい値判断の上昇、事前と申告した変更）があれば終了コード 1 にします。
    #[arg(long)]
    fail_on_prior: bool,
    /// 変更を変更箇所（全項目評価書の別添３。[[changes]] のあるファイル）に行として追記します（同じ行は二度追加しません）。
    #[arg(long, requires = "date")]
    record: bool,
    /// 変更箇所（別添３）に記録する変更日（YYYY-MM-DD）。
    #[arg(long, value_parser = super::date_arg, value_name = "YYYY-MM-DD")]
    date: Option<Date>,
    /// 色付け: auto（既定。端末のときだけ）、always、never。
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, hide_default_value = true, hide_possible_values = true)]
    color: ColorArg,
}

fn load_side(
    ctx: &super::Context,
    path: &Path,
    rev: Option<&str>,
    color: Color,
) -> Result<(Loaded, String), u8> {
    match rev {
        Some(rev) => match load_revision_in(path, rev, &ctx.catalog(path)) {
            Ok(l) => Ok((l, rev.to_string())),
            Err(RevError::Git { message, help }) => {
                Err(fail(&message, (!help.is_empty()).then_some(help.as_str())))
            }
            Err(RevError::Load(e)) => {
                err!("{}", diag::render_human(&e.diagnostics, &e.sources, color));
                Err(fail(
                    &format!(
                        "リビジョン `{}` の評価書 `{}` を読み込めません",
                        diag::clean(rev, diag::MAX_NAME_CHARS),
                        diag::clean(&path.display().to_string(), diag::MAX_NAME_CHARS)
                    ),
                    None,
                ))
            }
        },
        None => match ctx.load(path) {
            Ok(l) => Ok((l, path.display().to_string())),
            Err(e) => {
                err!("{}", diag::render_human(&e.diagnostics, &e.sources, color));
                Err(fail(
                    &format!(
                        "評価書 `{}` を読み込めません",
                        diag::clean(&path.display().to_string(), diag::MAX_NAME_CHARS)
                    ),
                    None,
                ))
            }
        },
    }
}

pub fn run(args: Args, ctx: &super::Context) -> u8 {
    let color = match args.color {
        ColorArg::Auto => Color::Auto,
        ColorArg::Always => Color::Always,
        ColorArg::Never => Color::Never,
    };
    let date = args.date;
    let (old, new) = match (&args.from, args.paths.as_slice()) {
        (Some(from), [path]) => {
            let old = match load_side(ctx, path, Some(from), color) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let new = match load_side(ctx, path, args.to.as_deref(), color) {
                Ok((l, label)) if args.to.is_none() => (l, format!("作業ツリー（{label}）")),
                Ok(x) => x,
                Err(code) => return code,
            };
            (old, new)
        }
        (Some(_), _) => {
            return fail(
                "--from を使うときは評価書のパスを一つだけ指定してください",
                Some("例: pia diff --from HEAD~1 assessments/kanto-it-kenpo"),
            );
        }
        (None, [old, new]) => {
            let o = match load_side(ctx, old, None, color) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let n = match load_side(ctx, new, None, color) {
                Ok(x) => x,
                Err(code) => return code,
            };
            (o, n)
        }
        (None, _) => {
            return fail(
                "比較する版を指定してください",
                Some(
                    "git の版と比べるときは pia diff --from <リビジョン> <評価書>、二つのディレクトリを比べるときは pia diff <旧> <新> と指定します。",
                ),
            );
        }
    };
    let (old, from_label) = old;
    let (new, to_label) = new;
    let report = diff::compare(&old, &new, &from_label, &to_label);
    // Personal data in either revision: named on stderr, masked in every output and in the
    // rows recorded in 別添３.
    let (old_found, new_found) = (personal::findings(&old), personal::findings(&new));
    err!(
        "{}",
        personal::warning_lines(
            &[
                (&format!("旧版（{from_label}）"), &old_found),
                (&format!("新版（{to_label}）"), &new_found),
            ],
            &format!(
                "pia diff の出力（--record で{}に書く行を含む）では「＊＊＊＊＊＊＊＊＊＊＊＊」に置き換えています。",
                new.form.changes_name
            ),
        )
    );
    if !report.notes.stale.is_empty() {
        err!(
            "{}",
            diag::render_human(&report.notes.stale, &new.sources, color)
        );
    }
    if !report.notes.refused.is_empty() {
        err!(
            "{}",
            diag::render_human(&report.notes.refused, &new.sources, color)
        );
        return fail(
            "未提出の変更の申告（[[pending]]）に誤りがあるため、比較できません",
            Some("申告を直すか削除してから、もう一度実行してください。"),
        );
    }

    if args.record {
        if args.to.is_some() {
            return fail(
                "--record は作業ツリーの評価書にだけ書き込めます",
                Some("--to を外してください（新しい版 = 作業ツリー）。"),
            );
        }
        let Some(date) = date else {
            return fail("--record には --date が必要です", None);
        };
        let rows = diff::rows(&output::redacted(&report).changes, date);
        let recorded = record::record(&new, rows);
        match &recorded {
            Ok(r) if r.added == 0 => errln!(
                "{}に追加する行はありません（記録済み {} 行）: {}",
                new.form.changes_name,
                r.skipped,
                r.file.display()
            ),
            Ok(r) => errln!(
                "{}に {} 行を追加しました: {}{}",
                new.form.changes_name,
                r.added,
                r.file.display(),
                if r.skipped > 0 {
                    format!("（記録済み {} 行は省略）", r.skipped)
                } else {
                    String::new()
                }
            ),
            Err(e) => return fail(&e.to_string(), None),
        }
        if let Ok(r) = &recorded {
            for (file, path) in &r.consumed {
                errln!(
                    "使った申告を削除しました: {}（path = \"{path}\"）",
                    file.display()
                );
            }
        }
    }

    match args.format {
        Format::Json => out!("{}", output::to_json(&report)),
        Format::Markdown => match output::to_markdown(&report) {
            Ok(s) => out!("{s}"),
            Err(e) => return fail(&format!("Markdown を出力できません: {e}"), None),
        },
        Format::Human => {
            let use_color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            out!("{}", output::to_human(&report, use_color));
        }
    }
    if args.fail_on_prior && report.prior_required() {
        FINDINGS
    } else {
        OK
    }
}
