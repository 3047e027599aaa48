//! `pia render`: the PDF of the reference assessment, read back with pdftotext.
#![cfg(feature = "render")]

use std::path::{Path, PathBuf};
use std::process::Command;

use pia::form::Kind;
use pia::load::{self, Loaded};
use pia::render::{RenderOptions, Standard, render_pdf};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assessments/kanto-it-kenpo");

fn reference() -> Loaded {
    load::load(Path::new(REFERENCE)).expect("the reference assessment loads")
}

fn pdftotext(pdf: &[u8], mode: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args([mode, path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed: bash scripts/setup-debian.sh");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Text without any whitespace (table cells wrap their text anywhere).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn render_text(loaded: &Loaded) -> (Vec<u8>, String) {
    let pdf = render_pdf(loaded, &RenderOptions::default()).expect("renders");
    let text = pdftotext(&pdf, "-raw");
    (pdf, text)
}

#[test]
fn reference_prints_every_label_in_order_and_values() {
    let loaded = reference();
    let (pdf, raw) = render_text(&loaded);
    assert!(pdf.starts_with(b"%PDF-"));
    let text = squeeze(&raw);
    let form = pia::form::Catalog::builtin().default_form();

    // Cover.
    for p in [
        "cover.assessment_number",
        "cover.title",
        "cover.declaration",
        "cover.special_notes",
        "cover.organization_name",
        "cover.published_on",
        "cover.ppc_approved_on",
    ] {
        let l = squeeze(&form.node(p).unwrap().l);
        assert!(text.contains(&l), "cover label {l} missing");
    }
    assert!(text.contains(&squeeze(&form.tag)), "form tag");

    // Ⅰ–Ⅵ and 別添3: every printed label, in the form's order.
    let printed = [
        "basic",
        "files[].overview",
        "files[].risk",
        "other_risk",
        "disclosure",
        "procedure",
        "changes[].",
    ];
    let mut pos = 0;
    let mut checked = 0;
    for node in &form.nodes {
        if !printed.iter().any(|p| node.p.starts_with(p)) {
            continue;
        }
        if node.tool
            || node.hide
            || node.unprinted
            || node.p.starts_with("basic_report")
            || node.l == "名称"
            || matches!(
                node.k,
                Kind::Block | Kind::Count | Kind::Figure | Kind::Rows
            )
        {
            continue;
        }
        let label = match node.k {
            Kind::Section | Kind::Group => node.heading(),
            _ => node.l.clone(),
        };
        let label = squeeze(&label);
        match text[pos..].find(&label) {
            Some(i) => pos += i + label.len(),
            None => {
                let before = text[..pos].rfind(&label).is_some();
                panic!(
                    "label 「{label}」 ({}) not found after the previous one (found earlier: {before})",
                    node.p
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 200, "only {checked} labels checked");

    // Section headings with their ※ as the form prints them.
    for h in [
        "Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※（７．リスク１⑨を除く。）",
        "Ⅳ　その他のリスク対策 ※",
        "②事務の内容　※",
    ] {
        assert!(text.contains(&squeeze(h)), "{h}");
    }

    // Values from every part.
    let a = &loaded.assessment;
    let first = a.changes.first().unwrap();
    let last = a.changes.last().unwrap();
    for v in [
        "関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務　全項目評価書",
        "令和7年6月1日",
        "令和6年1月31日",
        "適用、給付及び徴収関係事務",
        "社会保険診療報酬支払基金",
        "[ 十分である ]",
        "＜選択肢＞",
        "1） 特に力を入れている 2） 十分である 3） 課題が残されている",
        "[ ○ ] 提供を行っている （ 25 ） 件",
        "[ ] 移転を行っている （ ） 件",
        "[ 委託する ]",
        "（ 4 ）　件",
        "・識別情報",
        "・連絡先等情報",
        "・業務関係情報",
        "リスク１：　目的外の入手が行われるリスク",
        "委託事項2～5",
        "移転先1",
        "令和1年6月3日",
        "別紙１　特定個人情報の提供先一覧",
        "日本私立学校振興・共済事業団",
        &first.item,
        &first.after,
        &last.item,
        &last.after,
    ] {
        assert!(text.contains(&squeeze(v)), "value 「{v}」 missing");
    }
    // 別添3 comes after Ⅵ, the 別紙 after 別添3.
    let vi = text
        .find(&squeeze(&form.node("procedure").unwrap().heading()))
        .unwrap();
    let changes_at = text
        .rfind(&squeeze(&form.node("changes").unwrap().l))
        .unwrap();
    let sheet = text.rfind("別紙１特定個人情報の提供先一覧").unwrap();
    assert!(vi < changes_at && changes_at < sheet);
}

#[test]
fn typst_syntax_in_user_text_is_printed_literally() {
    let nasty = "#let x = 1 *bold* _em_ $x^2$ [ ] \\ @ref <label> // comment #import \"x\" `raw` = 見出し #{panic()}";
    let mut loaded = reference();
    loaded.assessment.cover.special_notes = nasty.to_string();
    loaded.assessment.basic.affairs.name = format!("事務{nasty}");
    loaded.assessment.changes[0].item = format!("項目{nasty}");
    loaded.assessment.attachments[0].rows[0][0] = format!("別紙{nasty}");
    let (_, raw) = render_text(&loaded);
    let text = squeeze(&raw);
    for prefix in ["", "事務", "項目", "別紙"] {
        let want = squeeze(&format!("{prefix}{nasty}"));
        assert!(
            text.contains(&want),
            "「{prefix}{nasty}」 not printed literally"
        );
    }
}

#[test]
fn renders_are_byte_identical() {
    let loaded = reference();
    let a = render_pdf(&loaded, &RenderOptions::default()).unwrap();
    let b = render_pdf(&loaded, &RenderOptions::default()).unwrap();
    assert!(a == b, "two renders in one process differ");
    // And across processes (no hash seeds or clocks leak in).
    let dir = tempfile::tempdir().unwrap();
    let outs: Vec<PathBuf> = (0..2)
        .map(|i| dir.path().join(format!("{i}.pdf")))
        .collect();
    for out in &outs {
        let st = Command::new(env!("CARGO_BIN_EXE_pia"))
            .args(["render", REFERENCE, "-o"])
            .arg(out)
            .env_remove("SOURCE_DATE_EPOCH")
            .status()
            .unwrap();
        assert!(st.success());
    }
    let x = std::fs::read(&outs[0]).unwrap();
    let y = std::fs::read(&outs[1]).unwrap();
    assert!(x == y, "two CLI renders differ");
    assert!(x == a, "CLI and library renders differ");
    let info = pdfinfo(&x);
    assert!(
        info.contains("Title:") && info.contains("全項目評価書"),
        "{info}"
    );
    assert!(info.contains("関東ITソフトウェア健康保険組合"), "{info}");
    assert!(info.contains("2025"), "timestamp from 公表日: {info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
}

fn pdfinfo(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn no_japanese_font_is_a_clear_error() {
    let fonts = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(["render", REFERENCE, "--no-system-fonts", "--font-path"])
        .arg(fonts.path())
        .arg("-o")
        .arg(&out)
        .env_remove("PIA_FONT_PATH")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("日本語フォントが見つかりません"), "{err}");
    assert!(err.contains("fonts-morisawa-bizud-gothic"), "{err}");
    assert!(!out.exists(), "no PDF may be written");
}

#[test]
fn unknown_font_family_is_refused() {
    let mut opts = RenderOptions::default();
    opts.fonts.family = Some("No Such Font Family".into());
    let e = render_pdf(&reference(), &opts).unwrap_err();
    assert!(
        e.message
            .contains("「No Such Font Family」が見つかりません"),
        "{}",
        e.message
    );
    assert!(e.help.unwrap_or_default().contains("BIZ UD"));
}

/// A copy of the reference assessment's TOML files with its 別添1 figure line replaced (the
/// reference's own figures/ is not copied).
fn copy_with_figure(figure: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a");
    std::fs::create_dir(&target).unwrap();
    for f in std::fs::read_dir(REFERENCE).unwrap() {
        let f = f.unwrap().path();
        if f.is_dir() {
            continue;
        }
        let mut text = std::fs::read_to_string(&f).unwrap();
        if f.file_name().unwrap() == "assessment.toml" {
            assert!(text.contains("figure = \"figures/jimu-zentai.svg\"\n"));
            text = text.replace(
                "figure = \"figures/jimu-zentai.svg\"\n",
                &format!("figure = \"{}\"\n", figure.replace('\\', "\\\\")),
            );
        }
        std::fs::write(target.join(f.file_name().unwrap()), text).unwrap();
    }
    dir
}

fn run_render(dir: &Path) -> (Option<i32>, String, PathBuf) {
    let out = dir.join("out.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_pia"))
        .arg("render")
        .arg(dir.join("a"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        out,
    )
}

#[test]
fn figure_outside_the_assessment_is_refused() {
    for bad in ["../secret.png", "/etc/hostname", "figs/../../x.png"] {
        let dir = copy_with_figure(bad);
        let (code, err, out) = run_render(dir.path());
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(err.contains("評価書ディレクトリの外"), "{bad}: {err}");
        assert!(!out.exists());
    }
}

#[cfg(unix)]
#[test]
fn figure_symlink_escaping_the_assessment_is_refused() {
    let dir = copy_with_figure("fig.svg");
    let outside = dir.path().join("outside.svg");
    std::fs::write(&outside, SVG).unwrap();
    std::os::unix::fs::symlink(&outside, dir.path().join("a/fig.svg")).unwrap();
    let (code, err, out) = run_render(dir.path());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("シンボリックリンク"), "{err}");
    assert!(!out.exists());
}

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect x="10" y="10" width="180" height="80" fill="none" stroke="black"/></svg>"#;

#[test]
fn figure_inside_the_assessment_is_printed() {
    let dir = copy_with_figure("figs/jimu.svg");
    std::fs::create_dir(dir.path().join("a/figs")).unwrap();
    std::fs::write(dir.path().join("a/figs/jimu.svg"), SVG).unwrap();
    let (code, err, out) = run_render(dir.path());
    assert_eq!(code, Some(0), "{err}");
    let pdf = std::fs::read(&out).unwrap();
    let text = squeeze(&pdftotext(&pdf, "-raw"));
    assert!(text.contains("（別添１）事務の内容"));

    // A broken figure is a Japanese error naming the item, not a raw typst message.
    std::fs::write(dir.path().join("a/figs/jimu.svg"), "not an svg").unwrap();
    std::fs::remove_file(&out).unwrap();
    let (code, err, out) = run_render(dir.path());
    assert_eq!(code, Some(2), "{err}");
    // Refused before typst sees it, by the same figure check as `pia check`.
    assert!(
        err.contains("「Ⅰ （別添１） 事務の内容 事務の内容（図）」の図のファイル `figs/jimu.svg` の形式は使えません"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn draft_mark_on_every_page() {
    let opts = RenderOptions {
        draft: true,
        ..Default::default()
    };
    let pdf = render_pdf(&reference(), &opts).unwrap();
    let pages = pdftotext(&pdf, "-raw");
    let pages: Vec<&str> = pages
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 40);
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("下書き"), "page {} has no 下書き mark", i + 1);
    }
}

#[test]
fn check_errors_stop_the_render_unless_allowed() {
    let dir = copy_with_figure("");
    // Break the assessment: drop the 評価書名.
    let main = dir.path().join("a/assessment.toml");
    let text = std::fs::read_to_string(&main).unwrap();
    let text = text.replace("title = \"関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務　全項目評価書\"", "");
    std::fs::write(&main, text).unwrap();
    let out = dir.path().join("out.pdf");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pia"))
            .arg("render")
            .arg(dir.path().join("a"))
            .args(["--check", "-o"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("評価書名"));
    assert!(!out.exists());
    let o = run(&["--allow-errors"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = pdftotext(&std::fs::read(&out).unwrap(), "-raw");
    assert!(text.contains("下書き"));
}

#[test]
fn extra_changes_follow_the_recorded_rows() {
    let loaded = reference();
    let row = pia::model::ChangeRow {
        changed_on: pia::model::Date::new(2026, 4, 1),
        item: "追加した行の項目ＸＹＺ".into(),
        before: "前".into(),
        after: "後の記載ＸＹＺ".into(),
        timing: Some(pia::model::Timing::After),
        ..Default::default()
    };
    let opts = RenderOptions {
        extra_changes: vec![row],
        ..Default::default()
    };
    let pdf = render_pdf(&loaded, &opts).unwrap();
    let text = squeeze(&pdftotext(&pdf, "-raw"));
    let last = squeeze(&loaded.assessment.changes.last().unwrap().after);
    let extra = text
        .find("令和8年4月1日追加した行の項目ＸＹＺ")
        .expect("extra row printed");
    assert!(text.find(&last).unwrap() < extra);
}

#[test]
fn default_output_is_named_after_the_directory() {
    let dir = copy_with_figure("");
    let o = Command::new(env!("CARGO_BIN_EXE_pia"))
        .current_dir(dir.path())
        .args(["render", "a"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(dir.path().join("a.pdf").is_file());
}

/// The directory holding an installed Japanese font (BIZ UDGothic or IPAexGothic), via fontconfig.
fn japanese_font_dir() -> Option<PathBuf> {
    for family in ["BIZ UDGothic", "IPAexGothic"] {
        let out = Command::new("fc-match")
            .args(["-f", "%{family}\n%{file}", family])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let (Some(fam), Some(file)) = (lines.next(), lines.next()) else {
            continue;
        };
        if fam.contains(family) {
            return Path::new(file).parent().map(Path::to_path_buf);
        }
    }
    None
}

#[test]
fn fonts_from_font_path_and_env_only() {
    let Some(fonts) = japanese_font_dir() else {
        panic!("no Japanese font installed: bash scripts/setup-debian.sh");
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    // --font-path
    let o = Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(["render", REFERENCE, "--no-system-fonts", "--font-path"])
        .arg(&fonts)
        .arg("-o")
        .arg(&out)
        .env_remove("PIA_FONT_PATH")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = squeeze(&pdftotext(&std::fs::read(&out).unwrap(), "-raw"));
    assert!(text.contains("評価書番号"));
    std::fs::remove_file(&out).unwrap();
    // PIA_FONT_PATH
    let o = Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(["render", REFERENCE, "--no-system-fonts", "-o"])
        .arg(&out)
        .env("PIA_FONT_PATH", &fonts)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.is_file());
}

#[test]
fn pdf_standards_on_request() {
    let loaded = reference();
    for standards in [
        vec![Standard::A2b],
        vec![Standard::Ua1],
        vec![Standard::A2b, Standard::Ua1],
    ] {
        let opts = RenderOptions {
            standards: standards.clone(),
            ..Default::default()
        };
        let pdf = render_pdf(&loaded, &opts).unwrap_or_else(|e| panic!("{standards:?}: {e}"));
        let head = String::from_utf8_lossy(&pdf);
        if standards.contains(&Standard::A2b) {
            assert!(head.contains("pdfaid:part"), "PDF/A identification missing");
        }
        if standards.contains(&Standard::Ua1) {
            assert!(
                head.contains("pdfuaid:part"),
                "PDF/UA identification missing"
            );
        }
    }
    // PDF/A needs a date: without 公表日 it is a clear error.
    let mut undated = reference();
    undated.assessment.cover.published_on = None;
    let opts = RenderOptions {
        standards: vec![Standard::A2b],
        ..Default::default()
    };
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        let e = render_pdf(&undated, &opts).unwrap_err();
        assert!(e.message.contains("公表日"), "{}", e.message);
    }
}

#[test]
fn unused_blocks_are_printed_with_empty_cells() {
    let mut loaded = reference();
    let f = &mut loaded.assessment.files[0];
    f.overview.entrustment.status = Some(pia::model::Entrust::None);
    f.overview.entrustment.count = None;
    f.overview.entrustment.items.clear();
    f.risk.entrustment = pia::model::RiskEntrustment {
        not_entrusted: true,
        ..Default::default()
    };
    let (_, raw) = render_text(&loaded);
    let text = squeeze(&raw);
    let form = pia::form::Catalog::builtin().default_form();
    let at = |s: &str| {
        text.find(&squeeze(s))
            .unwrap_or_else(|| panic!("「{s}」 missing"))
    };
    // Ⅱ-4: 委託事項1 with its labels, no contractor.
    let group = at(&form.node("files[].overview.entrustment").unwrap().l);
    let item1 = at("委託事項1");
    let content = at(&form
        .node("files[].overview.entrustment.items[].content")
        .unwrap()
        .l);
    assert!(group < item1 && item1 < content);
    assert!(
        !text.contains("日本生産性本部"),
        "the removed 委託先 is not printed"
    );
    // Ⅲ-4: the stand-alone box is checked.
    assert!(text.contains(&squeeze("[ ○ ] 委託しない")));
    assert!(text.contains(&squeeze("[ 委託しない ]")));
}

/// A character no loaded font can print (here 𠮷, absent from BIZ UD and IPAex) stops the render
/// with the item and the character named, instead of printing an empty box.
#[test]
fn characters_without_a_glyph_are_refused() {
    let mut loaded = reference();
    loaded.assessment.basic.other_orgs = "\u{E000}（私用領域の文字）".to_string();
    let err = render_pdf(&loaded, &RenderOptions::default()).unwrap_err();
    assert!(
        err.message.contains("「Ⅰ ８．他の評価実施機関」"),
        "{}",
        err.message
    );
    assert!(err.message.contains("U+E000"), "{}", err.message);
    assert!(err.message.contains("印刷できるフォントがありません"));
}
