//! The form is a value: an assessment names its 様式 and is read, checked and printed with that
//! form's labels and 選択肢. A body can use a form folder of its own (`--forms-dir`); two forms
//! are used in one process.
#![cfg(feature = "render")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use pia::check::{Options, check};
use pia::form::Catalog;
use pia::load::load_in;
use support::{Copy, KANTO, copy_dir};

const LABEL: (&str, &str) = ("①事務の名称", "①事務の名前");
const OPTION: (&str, &str) = ("十分である", "十分に対策している");
const ID: &str = "TEST-yoshiki4-modified";

/// A forms directory holding a copy of the built-in 様式4 with one label and one option text
/// changed, under another id.
fn modified_forms() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("forms/custom");
    copy_dir(&support::root().join("forms/r6-10-yoshiki4"), &folder);
    let p = folder.join("form.toml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replacen("id = \"R6.10-yoshiki4\"", &format!("id = \"{ID}\""), 1)
        .replacen(
            &format!("l = \"{}\"", LABEL.0),
            &format!("l = \"{}\"", LABEL.1),
            1,
        )
        .replacen(
            &format!("text = \"{}\"", OPTION.0),
            &format!("text = \"{}\"", OPTION.1),
            1,
        );
    assert!(text.contains(LABEL.1) && text.contains(OPTION.1) && text.contains(ID));
    std::fs::write(&p, text).unwrap();
    let dir = tmp.path().join("forms");
    (tmp, dir)
}

/// The reference rewritten for the modified form: its id, and the changed option's new text.
fn modified_assessment() -> Copy {
    let c = Copy::of(KANTO);
    c.replace(
        "assessment.toml",
        "form_version = \"R6.10-yoshiki4\"",
        &format!("form_version = \"{ID}\""),
    );
    for f in ["assessment.toml", "file-kikan.toml"] {
        let t = c
            .read(f)
            .replace(&format!("\"{}\"", OPTION.0), &format!("\"{}\"", OPTION.1));
        c.write(f, &t);
    }
    // One missing item in each, to see the printed item in a finding.
    c.replace(
        "assessment.toml",
        "name = \"適用、給付及び徴収関係事務\"",
        "",
    );
    c
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-raw", p.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).replace([' ', '\u{3000}'], "")
}

#[test]
fn two_forms_in_one_process_each_with_its_own_labels() {
    let (_tmp, forms) = modified_forms();
    let catalog = Catalog {
        dirs: vec![forms.clone()],
    };
    let original = Copy::of(KANTO);
    original.replace(
        "assessment.toml",
        "name = \"適用、給付及び徴収関係事務\"",
        "",
    );
    let modified = modified_assessment();

    let a = load_in(&original.dir, &catalog).unwrap();
    let b = load_in(&modified.dir, &catalog).unwrap();
    assert_eq!(a.form.id, "R6.10-yoshiki4");
    assert_eq!(b.form.id, ID);
    assert!(b.form.origin.contains("custom"), "{}", b.form.origin);
    // The same answer, held as the same option id, printed in each form's words.
    let adequacy = |l: &pia::load::Loaded| {
        l.form
            .text(l.assessment.files[0].risk.acquisition.r1.adequacy.unwrap())
            .to_string()
    };
    assert_eq!(adequacy(&a), OPTION.0);
    assert_eq!(adequacy(&b), OPTION.1);

    // check: each finding names the item with its own form's label.
    let opts = Options {
        today: Some("2025-07-01".parse().unwrap()),
        ..Options::default()
    };
    let item = |diags: &[pia::diag::Diagnostic], path: &str| {
        diags
            .iter()
            .find(|d| d.path == path)
            .map(|d| d.item.clone())
            .unwrap_or_default()
    };
    let da = check(&a, &opts);
    let db = check(&b, &opts);
    assert_eq!(
        item(&da, "basic.affairs.name"),
        format!("Ⅰ １．特定個人情報ファイルを取り扱う事務 {}", LABEL.0)
    );
    assert_eq!(
        item(&db, "basic.affairs.name"),
        format!("Ⅰ １．特定個人情報ファイルを取り扱う事務 {}", LABEL.1)
    );
    // The new option text is an answer of the modified form, not of the built-in one.
    assert!(!db.iter().any(|d| d.code.starts_with("PIA-L")), "{db:?}");
    let wrong = Copy::of(KANTO);
    wrong.replace(
        "file-kikan.toml",
        &format!("adequacy = \"{}\"", OPTION.0),
        &format!("adequacy = \"{}\"", OPTION.1),
    );
    let err = load_in(&wrong.dir, &catalog).unwrap_err();
    assert_eq!(err.diagnostics[0].code, "PIA-L004");

    // render: each PDF prints its own form's label and option.
    let ro = pia::render::RenderOptions::default();
    let ta = pdftotext(&pia::render::render_pdf(&a, &ro).unwrap());
    let tb = pdftotext(&pia::render::render_pdf(&b, &ro).unwrap());
    assert!(ta.contains(LABEL.0) && !ta.contains(LABEL.1));
    assert!(tb.contains(LABEL.1) && !tb.contains(LABEL.0));
    assert!(
        tb.contains(&format!("[{}]", OPTION.1)),
        "choice printed in the new words"
    );
    assert!(!ta.contains(OPTION.1));
}

fn pia(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PIA_FORMS_DIR")
        .output()
        .unwrap()
}

#[test]
fn forms_dir_option_and_forms_beside_the_assessments() {
    let (tmp, forms) = modified_forms();
    let modified = modified_assessment();
    let dir = modified.dir.to_str().unwrap();
    // Unknown without the folder: a located Japanese error naming the available forms.
    let out = pia(&["check", dir], tmp.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("PIA-L010") && err.contains(ID) && err.contains("R6.10-yoshiki4"),
        "{err}"
    );
    assert!(err.contains("assessment.toml:"), "{err}");
    // With --forms-dir it loads; the finding names the item.
    let out = pia(
        &[
            "--forms-dir",
            forms.to_str().unwrap(),
            "check",
            dir,
            "--today",
            "2025-07-01",
        ],
        tmp.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(LABEL.1), "{err}");
    assert!(!err.contains("PIA-L"), "{err}");
    // A `forms/` folder beside the assessments is found without the option.
    let repo = tempfile::tempdir().unwrap();
    copy_dir(&forms, &repo.path().join("forms"));
    copy_dir(&modified.dir, &repo.path().join("assessments-x"));
    let out = pia(
        &["check", "assessments-x", "--today", "2025-07-01"],
        repo.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("PIA-L"), "{err}");
    // `pia schema --form` and `pia init --form` use it too.
    let out = pia(
        &[
            "--forms-dir",
            forms.to_str().unwrap(),
            "schema",
            "--form",
            ID,
        ],
        tmp.path(),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(OPTION.1));
}

#[test]
fn a_broken_form_folder_is_refused_with_every_problem_named() {
    let (tmp, forms) = modified_forms();
    let p = forms.join("custom/form.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    // A duplicated item, a choice set that does not exist, a condition on a missing item.
    let text = text
        .replacen(
            "{ p = \"cover.title\",",
            "{ p = \"cover.title\", k = \"line\", l = \"x\" },\n  { p = \"cover.title\",",
            1,
        )
        .replacen("c = \"adequacy\"", "c = \"no_such_set\"", 1)
        .replacen(
            "absent_when = \"status = none\"",
            "absent_when = \"no_such_item = none\"",
            1,
        );
    std::fs::write(&p, text).unwrap();
    let modified = modified_assessment();
    let out = pia(
        &[
            "--forms-dir",
            forms.to_str().unwrap(),
            "check",
            modified.dir.to_str().unwrap(),
        ],
        tmp.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("PIA-L010"), "{err}");
    assert!(
        err.contains("項目 cover.title が二度定義されています"),
        "{err}"
    );
    assert!(err.contains("no_such_set"), "{err}");
    assert!(err.contains("no_such_item"), "{err}");
}
