//! `pia render`: model → PDF through an embedded typst.
//!
//! The assessment reaches the template only as data: [`data::build`] turns the model and the
//! form definition into the presentation JSON (every label, check box and 和暦 date worded as
//! printed), served to typst as the virtual file `/data.json`. User text is never turned into
//! typst markup, so nothing a user writes can change the layout.

pub mod data;
pub mod fonts;
pub mod wareki;
pub mod world;

use std::fmt;

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::load::{FsProvider, Loaded};
use crate::model::ChangeRow;

pub use fonts::FontOptions;

/// PDF standards that can be requested (`--pdf-standard`). Every render is validated against
/// PDF/UA-1 unless [`RenderOptions::without_ua`] is set: the validator is what makes typst write
/// the accessibility parts a viewer needs (`/ViewerPreferences << /DisplayDocTitle true >>`), and it
/// refuses a document that breaks the rules (a figure without alternative text, a missing title).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// PDF/A-2b.
    A2b,
    /// PDF/UA-1 (on by default; listing it changes nothing).
    Ua1,
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub fonts: FontOptions,
    /// Print 「下書き」 on every page (rendering despite check errors).
    pub draft: bool,
    /// Rows appended to 別添3 after the recorded ones (filled by `pia diff`).
    pub extra_changes: Vec<ChangeRow>,
    pub standards: Vec<Standard>,
    /// Leave out the default PDF/UA-1 validation (`--pdf-standard no-ua-1`). The PDF is still
    /// tagged and bookmarked, but viewers show the file name instead of the title.
    pub without_ua: bool,
}

/// Rendering failed. The message is Japanese and meant for the user (exit code 2).
#[derive(Debug, Clone)]
pub struct RenderError {
    pub message: String,
    pub help: Option<String>,
}

impl RenderError {
    pub fn input(message: impl Into<String>, help: Option<String>) -> Self {
        RenderError {
            message: message.into(),
            help,
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.help {
            write!(f, "（対処: {h}）")?;
        }
        Ok(())
    }
}

impl std::error::Error for RenderError {}

/// A rendered PDF and what the user should know about it (fonts skipped, …), in Japanese.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub warnings: Vec<String>,
}

/// Renders the 全項目評価書 as PDF bytes. The same input gives byte-identical output.
pub fn render_pdf(loaded: &Loaded, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    render(loaded, opts).map(|r| r.pdf)
}

/// Renders the 全項目評価書, with the warnings of the run (see [`Rendered`]).
pub fn render(loaded: &Loaded, opts: &RenderOptions) -> Result<Rendered, RenderError> {
    // A 基礎項目評価書 on its own prints its computed items (しきい値判断結果, the kind of report)
    // as a derived one does.
    let standalone;
    let loaded = if crate::basic_report::is_standalone(loaded) {
        standalone = crate::basic_report::derive(loaded, &loaded.form);
        &standalone
    } else {
        loaded
    };
    let figure = figure(loaded)?;
    let fonts = fonts::load(&opts.fonts)?;
    let warnings = fonts.warnings.clone();
    check_glyphs(loaded, &opts.extra_changes, &fonts)?;
    let data = data::build(
        loaded,
        &data::DataOptions {
            font: &fonts.family,
            draft: opts.draft,
            figure: figure.as_ref().map(|(p, _)| p.as_str()),
            extra_changes: &opts.extra_changes,
        },
    );
    let json = serde_json::to_vec(&data)
        .map_err(|e| RenderError::input(format!("内部エラー: {e}"), None))?;

    let when = document_time(loaded)?;
    let today = when
        .and_then(|(y, m, d, ..)| Datetime::from_ymd(y, m, d))
        .unwrap_or_else(|| Datetime::from_ymd(2000, 1, 1).expect("valid date"));
    let world = world::PiaWorld::new(&fonts, &loaded.form.layout, json, figure, today);
    let document: PagedDocument = typst::compile(&world).output.map_err(|diags| {
        let details: Vec<String> = diags
            .iter()
            .map(|d| describe_at(d, &world, &loaded.form.layout))
            .collect();
        let about_figure = diags.iter().any(|d| {
            let m = d.message.to_lowercase();
            m.contains("image") || m.contains("svg") || m.contains("pdf") || m.contains("decode")
        });
        let help = if about_figure {
            "別添1の図（basic.attachment1.figure）のファイルが壊れていないか、SVG・PNG・JPEG・PDF のいずれかであるかを確認してください。"
        } else {
            "評価書の内容による問題ではない可能性があります。pia の不具合として、入力を添えて報告してください。"
        };
        RenderError::input(format!("PDF の組版に失敗しました（{}）", details.join(" / ")), Some(help.to_string()))
    })?;

    let a = &loaded.assessment;
    let ident = format!(
        "pia:{}:{}",
        a.cover
            .assessment_number
            .map(|n| n.to_string())
            .unwrap_or_default(),
        a.cover.title
    );
    let timestamp = when
        .and_then(|(y, m, d, h, mi, s)| Datetime::from_ymd_hms(y, m, d, h, mi, s))
        .map(Timestamp::new_utc);
    let ua = !opts.without_ua;
    let mut list: Vec<PdfStandard> = opts
        .standards
        .iter()
        .filter(|s| **s != Standard::Ua1)
        .map(|s| match s {
            Standard::A2b => PdfStandard::A_2b,
            Standard::Ua1 => PdfStandard::Ua_1,
        })
        .collect();
    if ua || opts.standards.contains(&Standard::Ua1) {
        list.push(PdfStandard::Ua_1);
    }
    if list.contains(&PdfStandard::A_2b) && timestamp.is_none() {
        return Err(RenderError::input(
            "PDF/A には文書の日付が必要ですが、公表日（cover.published_on）が記入されていません",
            Some("公表日を記入するか、環境変数 SOURCE_DATE_EPOCH に日時（UNIX 時刻）を設定してください。".into()),
        ));
    }
    let standards = PdfStandards::new(&list).map_err(|e| {
        RenderError::input(
            format!("指定した PDF の規格を同時に満たせません（{}）", e.message()),
            None,
        )
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some(format!(
            "pia {} (typst 0.15.1)",
            env!("CARGO_PKG_VERSION")
        ))),
        timestamp,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|diags| {
        let details: Vec<String> = diags.iter().map(describe).collect();
        let only_default_ua = ua && opts.standards.is_empty();
        if only_default_ua {
            RenderError::input(
                format!(
                    "PDF/UA-1（アクセシビリティ）の要件を満たす PDF を作れません（{}）",
                    details.join(" / ")
                ),
                Some("pia はすべての PDF を PDF/UA-1 として検証します（表示ソフトが評価書名を表示し、読み上げソフトが正しく読めるように）。様式のレイアウト（layout.typ）で画像に代替テキスト（alt）があるか、別添1の図の形式、フォントを確認してください。検証を外して出力するには --pdf-standard no-ua-1 を指定します。".into()),
            )
        } else {
            RenderError::input(
                format!("PDF を書き出せません（{}）", details.join(" / ")),
                Some("--pdf-standard を指定した場合は、その規格の要件（フォントの埋め込み、図の形式等）を満たしているか確認してください（PDF/UA-1 は既定で検証します。外すには --pdf-standard no-ua-1）。".into()),
            )
        }
    })?;
    Ok(Rendered { pdf, warnings })
}

/// A typst diagnostic in one line, marked as coming from typst.
fn describe(d: &typst::diag::SourceDiagnostic) -> String {
    let mut s = format!("typst: {}", d.message);
    for h in &d.hints {
        s.push_str(&format!("; {}", h.v));
    }
    s
}

/// A diagnostic of the layout template with its line in `layout.typ` (for form authors).
fn describe_at(d: &typst::diag::SourceDiagnostic, world: &world::PiaWorld, layout: &str) -> String {
    use typst::WorldExt;
    let mut s = describe(d);
    if let Some(range) = world.range(d.span) {
        let line = layout[..range.start.min(layout.len())]
            .matches('\n')
            .count()
            + 1;
        s.push_str(&format!(" (layout.typ:{line})"));
    }
    s
}

/// (year, month, day, hour, minute, second) in UTC.
type DocTime = (i32, u8, u8, u8, u8, u8);

/// The document's date: SOURCE_DATE_EPOCH when set, else the 公表日 at midnight.
fn document_time(loaded: &Loaded) -> Result<Option<DocTime>, RenderError> {
    if let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let text = epoch.to_string_lossy().trim().to_string();
        let secs: i64 = text.parse().map_err(|_| {
            RenderError::input(
                format!(
                    "環境変数 SOURCE_DATE_EPOCH の値「{text}」は UNIX 時刻（秒）ではありません"
                ),
                None,
            )
        })?;
        let ts = jiff::Timestamp::from_second(secs).map_err(|e| {
            RenderError::input(
                format!("環境変数 SOURCE_DATE_EPOCH の値が範囲外です（{e}）"),
                None,
            )
        })?;
        let z = ts.to_zoned(jiff::tz::TimeZone::UTC);
        return Ok(Some((
            z.year() as i32,
            z.month() as u8,
            z.day() as u8,
            z.hour() as u8,
            z.minute() as u8,
            z.second() as u8,
        )));
    }
    Ok(loaded
        .assessment
        .cover
        .published_on
        .map(|d| (d.year() as i32, d.month() as u8, d.day() as u8, 0, 0, 0)))
}

/// The 別添1 figure: (virtual path, bytes), read and checked by [`crate::figure::load`] (inside
/// the assessment directory, a regular file of bounded size, a known format, raster sizes
/// checked from the headers) — the same checks `pia check` reports as PIA-E320.
fn figure(loaded: &Loaded) -> Result<Option<(String, Vec<u8>)>, RenderError> {
    let Some(given) = crate::figure::given(&loaded.assessment) else {
        return Ok(None);
    };
    let provider = FsProvider::new(loaded.dir.clone());
    match crate::figure::load(&provider, given) {
        Ok((info, bytes)) => Ok(Some((format!("/figure.{}", info.format.ext()), bytes))),
        Err(problem) => {
            let item = loaded.form.printed_path(crate::figure::PATH, &[]);
            let at = loaded
                .sources
                .locate(crate::figure::PATH)
                .map(|p| format!("（{}:{}:{}）", p.file.display(), p.line, p.column))
                .unwrap_or_default();
            Err(RenderError::input(
                format!("{}{at}", problem.message(&item)),
                Some(problem.help),
            ))
        }
    }
}

/// Refuses to render text that no loaded font can print (it would come out as empty boxes):
/// names the item and the character.
fn check_glyphs(
    loaded: &Loaded,
    extra: &[crate::model::ChangeRow],
    fonts: &fonts::Fonts,
) -> Result<(), RenderError> {
    let mut value = serde_json::to_value(&loaded.assessment).unwrap_or_default();
    if let serde_json::Value::Object(m) = &mut value
        && let Some(serde_json::Value::Array(rows)) = m.get_mut("changes")
    {
        rows.extend(extra.iter().filter_map(|r| serde_json::to_value(r).ok()));
    }
    // Each distinct character is looked up in the fonts once (a long 評価書 has about 100,000
    // characters, a few thousand of them distinct).
    let mut known: rustc_hash::FxHashMap<char, bool> = rustc_hash::FxHashMap::default();
    let mut lacks = |c: char| *known.entry(c).or_insert_with(|| !fonts.has_glyph(c));
    let missing = find_missing(&value, &mut String::new(), &mut lacks);
    match missing {
        None => Ok(()),
        Some((path, c)) => {
            let item = loaded.form.printed_path(&path, &loaded.file_names());
            let at = loaded
                .sources
                .locate(&path)
                .map(|p| format!("（{}:{}:{}）", p.file.display(), p.line, p.column))
                .unwrap_or_default();
            Err(RenderError::input(
                format!(
                    "「{item}」{at}の文字「{c}」（U+{:04X}）を印刷できるフォントがありません",
                    c as u32
                ),
                Some("その文字を含むフォントを --font-path で追加するか、常用の字体に置き換えてください（PDF に空白の四角が印刷されるのを防ぐため、出力を中止しました）。".into()),
            ))
        }
    }
}

/// The first printed character that `lacks` a glyph, with the path of its item (`path` is a
/// buffer, restored).
fn find_missing(
    v: &serde_json::Value,
    path: &mut String,
    lacks: &mut impl FnMut(char) -> bool,
) -> Option<(String, char)> {
    match v {
        serde_json::Value::String(s) => s
            .chars()
            .find(|c| !c.is_control() && !c.is_whitespace() && lacks(*c))
            .map(|c| (path.clone(), c)),
        serde_json::Value::Array(a) => a.iter().enumerate().find_map(|(i, x)| {
            let len = path.len();
            crate::path::push_index(path, i);
            let found = find_missing(x, path, lacks);
            path.truncate(len);
            found
        }),
        serde_json::Value::Object(m) => m
            .iter()
            // Tool-only fields are never printed.
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "paths" | "revision" | "include" | "pending" | "id" | "meta" | "threshold"
                )
            })
            .find_map(|(k, x)| {
                let len = path.len();
                crate::path::push_key(path, k);
                let found = find_missing(x, path, lacks);
                path.truncate(len);
                found
            }),
        _ => None,
    }
}
