//! Loader errors: each test breaks the reference assessment in one place and checks the code,
//! the Japanese message and the line:column of the finding.

use std::path::Path;

use pia::diag::Diagnostic;

mod support;

use support::KANTO_DIR as REF;

struct Broken {
    _dir: tempfile::TempDir,
    text: String,
    diags: Vec<Diagnostic>,
}

/// Copies the reference, replaces `from` with `to` (or appends `to` when `from` is empty) in
/// `file`, and loads it; loading must fail.
fn broken(file: &str, from: &str, to: &str) -> Broken {
    broken_in(&[(file, from, to)])
}

/// [`broken`] with edits in several files; `text` is that of the last file edited.
fn broken_in(edits: &[(&str, &str, &str)]) -> Broken {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("kanto-it-kenpo");
    std::fs::create_dir(&target).unwrap();
    let mut text = String::new();
    for entry in std::fs::read_dir(REF).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            // figures/ (the 別添1 figure)
            support::copy_dir(&p, &target.join(&name));
            continue;
        }
        let mut t = std::fs::read_to_string(&p).unwrap();
        for &(file, from, to) in edits.iter().filter(|(f, _, _)| *f == name) {
            if from.is_empty() {
                t.push_str(to);
            } else {
                assert!(t.contains(from), "{file} does not contain {from:?}");
                t = t.replacen(from, to, 1);
            }
            text = t.clone();
        }
        std::fs::write(target.join(&name), t).unwrap();
    }
    let err = match pia::load::load(&target) {
        Ok(_) => panic!("the broken assessment loads"),
        Err(e) => e,
    };
    Broken {
        _dir: dir,
        text,
        diags: err.diagnostics,
    }
}

impl Broken {
    /// 1-based line and column (in characters) of the first occurrence of `needle` (plus
    /// `offset` characters).
    fn at(&self, needle: &str, offset: usize) -> (usize, usize) {
        let pos = self
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?}"));
        let line = self.text[..pos].matches('\n').count() + 1;
        let start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        (line, self.text[start..pos].chars().count() + 1 + offset)
    }
    fn only(&self, code: &str) -> &Diagnostic {
        let found: Vec<&Diagnostic> = self.diags.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "{:#?}", self.diags);
        found[0]
    }
    fn assert_at(&self, d: &Diagnostic, file: &str, (line, column): (usize, usize)) {
        let p = d.position.as_ref().expect("position");
        assert_eq!(
            Path::new(&p.file).file_name().unwrap().to_string_lossy(),
            file
        );
        assert_eq!((p.line, p.column), (line, column), "{d:#?}");
    }
}

#[test]
fn syntax_error() {
    let b = broken(
        "assessment.toml",
        "assessment_number = 1",
        "assessment_number = = 1",
    );
    let d = b.only("PIA-L001");
    assert!(
        d.message.starts_with("TOML の構文エラーです（"),
        "{}",
        d.message
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("TOML の書き方を確認してください")
    );
    let (line, _) = b.at("assessment_number = = 1", 0);
    assert_eq!(d.position.as_ref().unwrap().line, line);
    assert!(d.is_error());
}

#[test]
fn wrong_type() {
    let b = broken(
        "assessment.toml",
        "assessment_number = 1",
        "assessment_number = \"一\"",
    );
    let d = b.only("PIA-L003");
    assert_eq!(
        d.message,
        "「評価書番号」には0 以上の整数を書いてください（文字列が書かれています）"
    );
    assert_eq!(d.path, "cover.assessment_number");
    b.assert_at(d, "assessment.toml", b.at("\"一\"", 0));
}

#[test]
fn unknown_key_with_suggestion() {
    let b = broken(
        "assessment.toml",
        "notes = \"当組合の機関誌",
        "note = \"当組合の機関誌",
    );
    let d = b.only("PIA-L002");
    assert_eq!(
        d.message,
        "「Ⅴ １．特定個人情報の開示・訂正・利用停止請求」 に不明なキー `note` があります"
    );
    assert_eq!(d.help.as_deref(), Some("`notes` の誤りではありませんか？"));
    assert_eq!(d.path, "disclosure.request.note");
    b.assert_at(d, "assessment.toml", b.at("note = ", 0));
}

#[test]
fn value_outside_the_options() {
    let b = broken("assessment.toml", "fee = \"無料\"", "fee = \"タダ\"");
    let d = b.only("PIA-L004");
    assert_eq!(
        d.message,
        "「タダ」は「Ⅴ １．特定個人情報の開示・訂正・利用停止請求 ③手数料等」の選択肢にありません"
    );
    assert_eq!(d.help.as_deref(), Some("選択肢: 1) 有料　2) 無料"));
    b.assert_at(d, "assessment.toml", b.at("\"タダ\"", 0));
}

#[test]
fn value_with_its_number() {
    let b = broken(
        "file-kikan.toml",
        "adequacy = \"十分である\"",
        "adequacy = \"2） 十分である\"",
    );
    let d = b.only("PIA-L004");
    assert_eq!(
        d.help.as_deref(),
        Some("番号を付けずに選択肢の文言だけを書きます: \"十分である\"")
    );
    b.assert_at(d, "file-kikan.toml", b.at("\"2） 十分である\"", 0));
}

/// An item written blank in one file (it holds no value in the document) is still defined
/// there: a second definition in another file is PIA-L005, pointing at the blank one.
#[test]
fn duplicate_key_across_files_when_the_first_is_blank() {
    let b = broken_in(&[
        (
            "assessment.toml",
            "assessment_number = 1",
            "assessment_number = \"\"",
        ),
        ("attachments.toml", "", "\n[cover]\nassessment_number = 2\n"),
    ]);
    let d = b.only("PIA-L005");
    assert_eq!(d.path, "cover.assessment_number");
    b.assert_at(d, "attachments.toml", b.at("assessment_number = 2", 0));
    assert_eq!(d.related.len(), 1);
    assert!(
        d.related[0].0.file.ends_with("assessment.toml"),
        "{:?}",
        d.related[0].0
    );
}

#[test]
fn duplicate_key_across_included_files() {
    let b = broken(
        "attachments.toml",
        "",
        "\n[disclosure.request]\nfee = \"無料\"\n",
    );
    let d = b.only("PIA-L005");
    assert_eq!(
        d.message,
        "「Ⅴ １．特定個人情報の開示・訂正・利用停止請求 ③手数料等」が複数のファイルで定義されています"
    );
    b.assert_at(d, "attachments.toml", b.at("fee = \"無料\"", 0));
    // The first definition, in assessment.toml.
    let main = std::fs::read_to_string(Path::new(REF).join("assessment.toml")).unwrap();
    let pos = main.find("fee = \"無料\"").unwrap();
    let line = main[..pos].matches('\n').count() + 1;
    let help = d.help.as_deref().unwrap();
    assert!(
        help.starts_with("一方を削除してください（先の定義: ")
            && help.ends_with(&format!("assessment.toml:{line}:1）")),
        "{help}"
    );
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].0.line, line);
}
