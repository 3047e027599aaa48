//! `pia release`.

use std::path::PathBuf;

use pia::diag::{self, Color};
use pia::model::Date;
use pia::release::{self, Options};
use pia::render::{self, FontOptions, RenderOptions};
use pia::wareki;
use pia::write::{check_output, write_atomic};

use super::render::{StandardArg, default_output};
use super::{FINDINGS, INPUT, OK, fail};

#[derive(clap::Args)]
pub struct Args {
    /// 評価書のディレクトリ（assessment.toml を含む）又は TOML ファイル（省略時はカレントディレクトリ）。
    #[arg(default_value = ".", hide_default_value = true)]
    assessment: PathBuf,
    /// 新しい版の公表日（YYYY-MM-DD）。表紙の公表日に書き、事後の変更の変更日にも使います。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    date: Date,
    /// 事後の変更の変更日（YYYY-MM-DD。公表日以前。省略時は公表日）。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    changed_on: Option<Date>,
    /// 事前の変更（重要な変更等）の変更日（YYYY-MM-DD。公表日より後）。事前の変更があるときに必要です。
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    prior_changed_on: Option<Date>,
    /// 前回公表した版の git リビジョン（省略時はタグ pia/<ディレクトリ>/<公表日>、又は公表日を変更した最後のコミット）。
    #[arg(long, value_name = "REV")]
    from: Option<String>,
    /// 何をするかを表示するだけで、ファイルを書き換えません。
    #[arg(long)]
    dry_run: bool,
    /// 書き換えた評価書をコミットし、タグ pia/<ディレクトリ>/<公表日> を付けます。
    #[arg(long, conflicts_with = "dry_run")]
    commit: bool,
    /// 出力する PDF ファイル（省略時はカレントディレクトリの「<ディレクトリ名>.pdf」）。
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// PDF を出力しません。
    #[arg(long, conflicts_with = "output")]
    no_pdf: bool,
    /// フォントを探すディレクトリ（複数指定可。環境変数 PIA_FONT_PATH も使われます）。
    #[arg(long, value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// 使う日本語フォントのファミリー名（例: "BIZ UDGothic"）。
    #[arg(long, value_name = "名前")]
    font: Option<String>,
    /// システムのフォントを使いません（--font-path のフォントだけを使います）。
    #[arg(long)]
    no_system_fonts: bool,
    /// 準拠させる PDF の規格（複数指定可）: a-2b（PDF/A-2b、長期保存）、ua-1（PDF/UA-1、アクセシビリティ。既定で検証）、no-ua-1（既定の PDF/UA-1 の検証を外す）。
    #[arg(long, value_enum, value_name = "規格", hide_possible_values = true)]
    pdf_standard: Vec<StandardArg>,
}

fn day(d: Date) -> String {
    format!("{d}（{}）", wareki::format(d))
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
    let catalog = ctx.catalog(&args.assessment);
    let opts = Options {
        date: args.date,
        changed_on: args.changed_on,
        prior_changed_on: args.prior_changed_on,
        from: args.from.clone(),
    };
    let plan = match release::plan(&args.assessment, &loaded, &catalog, &opts) {
        Ok(p) => p,
        Err(e) => {
            if !e.diagnostics.is_empty() {
                err!(
                    "{}",
                    diag::render_human(&e.diagnostics, &loaded.sources, Color::Auto)
                );
            }
            return fail(&e.message, e.help.as_deref());
        }
    };
    let output = (!args.no_pdf).then(|| {
        args.output
            .clone()
            .unwrap_or_else(|| default_output(&args.assessment))
    });
    if let Some(out) = &output
        && let Err(e) = check_output(out, &loaded.sources.inputs())
    {
        return fail(&format!("`{}` に書き込めません: {e}", out.display()), None);
    }

    // The plan.
    let form = &*loaded.form;
    outln!("公表: {}", args.assessment.display());
    match &plan.base {
        Some(b) => outln!(
            "  前回の公表: {}（{}）",
            b.published_on
                .map(day)
                .unwrap_or_else(|| "公表日なし".into()),
            b.found
        ),
        None => outln!(
            "  前回の公表: なし（初めての公表です。{}に加える行はありません）",
            form.changes_name
        ),
    }
    if plan.rows.is_empty() && plan.recorded == 0 && plan.base.is_some() {
        outln!(
            "  {}: 前回の公表から記載の変更はありません（公表日だけが変わります）",
            form.changes_name
        );
    } else if plan.rows.is_empty() {
        outln!(
            "  {}: 追加する行はありません{}",
            form.changes_name,
            if plan.recorded > 0 {
                format!("（記録済み {} 行）", plan.recorded)
            } else {
                String::new()
            }
        );
    } else {
        outln!(
            "  {}に追加する行: {} 行{}",
            form.changes_name,
            plan.rows.len(),
            if plan.recorded > 0 {
                format!("（記録済みの {} 行は省略）", plan.recorded)
            } else {
                String::new()
            }
        );
        for r in &plan.rows {
            outln!(
                "    {} {} {}",
                r.changed_on.map(|d| d.to_string()).unwrap_or_default(),
                r.timing.map(|t| form.text(t)).unwrap_or_default(),
                r.item
            );
        }
    }
    for (file, path) in &plan.consumed {
        outln!(
            "  使った申告を削除: {}（path = \"{path}\"）",
            file.display()
        );
    }
    match plan.published_before {
        Some(p) if p == plan.published_on => {
            outln!("  公表日: {}（設定済み）", day(plan.published_on))
        }
        Some(p) => outln!(
            "  公表日: {} → {}（{}）",
            day(p),
            day(plan.published_on),
            plan.published_file.display()
        ),
        None => outln!(
            "  公表日: {}（{}）",
            day(plan.published_on),
            plan.published_file.display()
        ),
    }
    let since = plan
        .base
        .as_ref()
        .map(|b| format!("、--since {}", b.short()))
        .unwrap_or_default();
    outln!(
        "  検査（公表日時点{since}）: エラー {} 件、警告 {} 件",
        plan.errors(),
        plan.warnings()
    );
    if plan.errors() > 0 {
        let errors: Vec<_> = plan
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        err!(
            "{}",
            diag::render_human(&errors, &plan.released.sources, Color::Auto)
        );
        errln!(
            "{}: 公表する版の検査でエラーが {} 件あるため、公表しません（ファイルは書き換えていません。行番号は公表する版のものです）",
            args.assessment.display(),
            plan.errors()
        );
        return FINDINGS;
    }
    if plan.warnings() > 0 {
        outln!(
            "  （警告の内容は `pia check {}{}` で確認できます）",
            args.assessment.display(),
            plan.base
                .as_ref()
                .map(|b| format!(" --since {}", b.short()))
                .unwrap_or_default()
        );
    }
    if args.dry_run {
        if let Some(out) = &output {
            outln!("  PDF: {}（--dry-run のため出力しません）", out.display());
        }
        outln!(
            "--dry-run: ファイルは書き換えていません{}",
            if plan.is_noop() {
                "（評価書は公表済みの状態です）"
            } else {
                ""
            }
        );
        return OK;
    }

    // The PDF of the released version, before anything is written.
    let mut pdf_changed = false;
    let mut pdf = None;
    if let Some(out) = &output {
        let (standards, without_ua) = super::render::standards(&args.pdf_standard);
        let opts = RenderOptions {
            fonts: FontOptions {
                font_paths: args.font_path.clone(),
                use_env: true,
                system_fonts: !args.no_system_fonts,
                family: args.font.clone(),
            },
            draft: false,
            extra_changes: Vec::new(),
            standards,
            without_ua,
        };
        match render::render(&plan.released, &opts) {
            Ok(r) => {
                for w in &r.warnings {
                    errln!("警告: {w}");
                }
                pdf_changed = std::fs::read(out).ok().as_deref() != Some(r.pdf.as_slice());
                pdf = Some(r.pdf);
            }
            Err(e) => {
                errln!("PDF を出力できないため、公表しません（ファイルは書き換えていません）");
                return fail(&e.message, e.help.as_deref());
            }
        }
    }
    if let Err(e) = release::apply(&plan) {
        return fail(&e, None);
    }
    if let (Some(out), Some(bytes)) = (&output, &pdf) {
        if pdf_changed {
            if let Err(e) =
                check_output(out, &loaded.sources.inputs()).and_then(|()| write_atomic(out, bytes))
            {
                return fail(&format!("`{}` に書き込めません: {e}", out.display()), None);
            }
            outln!("  PDF: {}", out.display());
        } else {
            outln!("  PDF: {}（内容は同じです）", out.display());
        }
    }
    let tag_hint = release::tag_name(
        &release::repository(&loaded.dir)
            .map(|(_, p)| p)
            .unwrap_or_default(),
        plan.published_on,
    );
    if plan.is_noop() {
        outln!(
            "変更はありません: 評価書は公表日 {} の版として記録済みです",
            plan.published_on
        );
    } else {
        outln!(
            "書き換えました: {}",
            plan.files
                .iter()
                .map(|f| f.path.display().to_string())
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    if args.commit {
        let message = format!(
            "pia release: {} 公表日 {}",
            args.assessment.display(),
            plan.published_on
        );
        match release::commit_and_tag(&loaded.dir, plan.published_on, &message) {
            Ok((true, tag)) => outln!("コミットし、タグ {tag} を付けました"),
            Ok((false, tag)) => outln!("コミットする変更はありません（タグ {tag}）"),
            Err(e) => return fail(&e, None),
        }
    } else if !plan.is_noop() {
        outln!(
            "次の手順: 変更をコミットし、タグ {tag_hint} を付けます（--commit で自動化できます）"
        );
    }
    OK
}
