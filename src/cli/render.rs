//! `pia render`.

use std::path::PathBuf;

use clap::ValueEnum;

use pia::diag::{self, Color};
use pia::load;
use pia::render::{self, FontOptions, RenderOptions, Standard};
use pia::write::{check_output, write_atomic};

use super::{FINDINGS, INPUT, OK, fail};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StandardArg {
    /// PDF/A-2b（長期保存）
    #[value(name = "a-2b")]
    A2b,
    /// PDF/UA-1（アクセシビリティ。既定で検証します）
    #[value(name = "ua-1")]
    Ua1,
    /// 既定の PDF/UA-1 の検証を外す
    #[value(name = "no-ua-1")]
    NoUa1,
}

/// The standards of `--pdf-standard` and whether the default PDF/UA-1 is left out.
pub(super) fn standards(args: &[StandardArg]) -> (Vec<Standard>, bool) {
    let list = args
        .iter()
        .filter_map(|s| match s {
            StandardArg::A2b => Some(Standard::A2b),
            StandardArg::Ua1 => Some(Standard::Ua1),
            StandardArg::NoUa1 => None,
        })
        .collect();
    (list, args.iter().any(|s| matches!(s, StandardArg::NoUa1)))
}

#[derive(clap::Args)]
pub struct Args {
    /// 評価書のディレクトリ（assessment.toml を含む）又は TOML ファイル（省略時はカレントディレクトリ）。
    #[arg(default_value = ".", hide_default_value = true)]
    assessment: PathBuf,
    /// 出力する PDF ファイル（省略時はカレントディレクトリの「<ディレクトリ名>.pdf」）。
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// 出力の前に検査（pia check）を行い、エラーがあれば出力しません。
    #[arg(long)]
    check: bool,
    /// --check でエラーがあっても出力します（全ページに「下書き」と印字）。
    #[arg(long, requires = "check")]
    allow_errors: bool,
    /// フォントを探すディレクトリ（複数指定可。環境変数 PIA_FONT_PATH も使われます）。
    #[arg(long, value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// 使う日本語フォントのファミリー名（例: "BIZ UDGothic"）。
    #[arg(long, value_name = "名前")]
    font: Option<String>,
    /// システムのフォントを使いません（--font-path のフォントだけを使います）。
    #[arg(long)]
    no_system_fonts: bool,
    /// 準拠させる PDF の規格（複数指定可）: a-2b（PDF/A-2b、長期保存）、ua-1（PDF/UA-1、アクセシビリティ）。
    /// PDF/UA-1 は指定しなくても常に検証します（表示ソフトがファイル名でなく評価書名を表示する設定
    /// DisplayDocTitle もそのとき書き込まれます）。no-ua-1 でその検証を外せます。
    #[arg(long, value_enum, value_name = "規格", hide_possible_values = true)]
    pdf_standard: Vec<StandardArg>,
    /// この git リビジョンからの変更のうち、変更箇所（別添３）にまだ記録されていない行も印刷します（例: --since main）。
    #[arg(long, value_name = "REV")]
    since: Option<String>,
    /// 印刷する様式（省略時は評価書の様式）。全項目評価書と同時に公表する基礎項目評価書は「様式2」（又は
    /// その版 R6.10-yoshiki2）を指定すると、同じ評価書から作成します（出力の既定は「<ディレクトリ名>-<版>.pdf」）。
    #[arg(long, value_name = "様式")]
    form: Option<String>,
    /// --since で追加する行の変更日（YYYY-MM-DD。省略時は今日の日付。表紙の公表日は前回公表した版の日付のため使いません）。
    #[arg(long, value_name = "YYYY-MM-DD", requires = "since", value_parser = super::date_arg)]
    date: Option<pia::model::Date>,
}

/// `<directory name>.pdf` of the assessment, in the current directory.
pub(super) fn default_output(path: &std::path::Path) -> PathBuf {
    let (dir, main) = load::resolve(path);
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| main.file_stem().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "assessment".to_string());
    PathBuf::from(format!("{name}.pdf"))
}

/// Whether `name` names `form`: its id (「R6.10-yoshiki2」) or its kind (「様式2」, 「様式２」).
fn names_form(form: &pia::form::Form, name: &str) -> bool {
    let half = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                c => c,
            })
            .collect()
    };
    let name = half(name);
    name == form.id || name == half(&form.kind)
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
    // What looks like a 個人番号 is printed as written: said on stderr, whether or not --check.
    err!(
        "{}",
        pia::check::personal::warning_lines(
            &[("評価書", &pia::check::personal::findings(&loaded))],
            "PDF にはそのまま印字されます。公表前に削除してください。",
        )
    );
    // The form printed: the document's own, or the 基礎項目評価書 derived from it.
    let derived = match args.form.as_deref() {
        None => None,
        Some(f) if names_form(&loaded.form, f) => None,
        Some(f) => match &loaded.basic_form {
            Some(b) if names_form(b, f) => Some(b.clone()),
            _ => {
                let can = loaded.basic_form.as_ref().map_or(String::new(), |b| {
                    format!(
                        "、又は同時に公表する{}（{}、{}）",
                        pia::basic_report::report_name(b),
                        b.kind,
                        b.id
                    )
                });
                return fail(
                    &format!("この評価書からは様式「{f}」を印刷できません"),
                    Some(&format!(
                        "印刷できるのは評価書の様式（{}、{}）{can}です。",
                        loaded.form.kind, loaded.form.id
                    )),
                );
            }
        },
    };
    if let (Some(b), Some(_)) = (&derived, &args.since) {
        return fail(
            &format!("--since は --form {} と同時に使えません", b.kind),
            Some(&format!(
                "{}の変更箇所は評価書の [[basic_report.changes]] に書きます（{}の{}とは別の行です）。",
                pia::basic_report::report_name(b),
                pia::basic_report::report_name(&loaded.form),
                loaded.form.changes_name
            )),
        );
    }
    let output = args.output.clone().unwrap_or_else(|| {
        let own = default_output(&args.assessment);
        match &derived {
            Some(b) => own.with_file_name(format!(
                "{}-{}.pdf",
                own.file_stem().unwrap_or_default().to_string_lossy(),
                b.id
            )),
            None => own,
        }
    });
    // Labels recalled, not read in a published form: said once, never on the page.
    let printed = derived.clone().unwrap_or_else(|| loaded.form.clone());
    let unverified = printed.unverified().len();
    if unverified > 0 || !printed.tag_verified {
        errln!(
            "注意: {}{} の項目名のうち {unverified} 件{}は、公表された様式で確認できていません。印刷した項目名を様式と照らし、誤りがあれば {} を直してください{}。",
            printed.title,
            printed.tag,
            if printed.tag_verified {
                ""
            } else {
                "と様式の版の表示"
            },
            printed.definition_file(),
            if printed.builtin.is_some() {
                "（pia に組み込みの様式は、そのフォルダを評価書の隣の forms/ に写して直すか、--forms-dir で指定します）"
            } else {
                ""
            }
        );
    }
    // Before the (long) render: never replace an input, a device, a symlink or a read-only file.
    if let Err(e) = check_output(&output, &loaded.sources.inputs()) {
        return fail(
            &format!("`{}` に書き込めません: {e}", output.display()),
            None,
        );
    }
    let mut draft = false;
    if args.check {
        let diagnostics = pia::check::check(&loaded, &Default::default());
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        if !diagnostics.is_empty() {
            err!(
                "{}",
                diag::render_human(&diagnostics, &loaded.sources, Color::Auto)
            );
        }
        if errors > 0 {
            if !args.allow_errors {
                errln!(
                    "{}: エラーが {errors} 件あるため PDF を出力しません（下書きとして出力するには --allow-errors を付けてください）",
                    args.assessment.display()
                );
                return FINDINGS;
            }
            errln!(
                "{}: エラーが {errors} 件あります。全ページに「下書き」と印字して出力します",
                args.assessment.display()
            );
            draft = true;
        }
    }
    let mut extra_changes = Vec::new();
    if let Some(rev) = &args.since {
        let old = match pia::diff::git::load_revision_in(
            &args.assessment,
            rev,
            &ctx.catalog(&args.assessment),
        ) {
            Ok(old) => old,
            Err(e) => {
                let diagnostics = pia::check::since::rev_error_diagnostics(e, rev);
                err!(
                    "{}",
                    diag::render_human(&diagnostics, &loaded.sources, Color::Auto)
                );
                return INPUT;
            }
        };
        // Not the 公表日: it is the last publication's, and a change made since is dated after it
        // (a 事前 row dated on it is refused by `check --since`).
        let date = args.date.unwrap_or_else(pia::model::Date::today);
        extra_changes = pia::diff::pending_rows(&old, &loaded, date);
        errln!(
            "{}に未記録の変更 {} 行を加えて出力します（{rev} との比較）",
            loaded.form.changes_name,
            extra_changes.len()
        );
        if args.date.is_none() && !extra_changes.is_empty() {
            errln!(
                "  追加した行の変更日は今日の日付（{date}）です。別の日付にするには --date を指定します。公表する版は `pia release <評価書> --date <公表日>` で{}に記録します。",
                loaded.form.changes_name
            );
        }
    }
    let loaded = match &derived {
        Some(b) => pia::basic_report::derive(&loaded, b),
        None => loaded,
    };
    let (standards, without_ua) = standards(&args.pdf_standard);
    let opts = RenderOptions {
        fonts: FontOptions {
            font_paths: args.font_path.clone(),
            use_env: true,
            system_fonts: !args.no_system_fonts,
            family: args.font.clone(),
        },
        draft,
        extra_changes,
        standards,
        without_ua,
    };
    let pdf = match render::render(&loaded, &opts) {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("警告: {w}");
            }
            r.pdf
        }
        Err(e) => return fail(&e.message, e.help.as_deref()),
    };
    if let Err(e) =
        check_output(&output, &loaded.sources.inputs()).and_then(|()| write_atomic(&output, &pdf))
    {
        return fail(
            &format!("`{}` に書き込めません: {e}", output.display()),
            None,
        );
    }
    errln!("出力しました: {}", output.display());
    OK
}
