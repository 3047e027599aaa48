//! A 個人番号 written anywhere in an assessment never appears in any output of `pia check` or
//! `pia diff` (it is replaced by 「＊＊＊＊＊＊＊＊＊＊＊＊」), W310 recognises every usual way of
//! writing one, `pia diff` warns naming the items, and `personal::findings` (for `pia render`)
//! lists them.
//!
//! The numbers are computed here (check digit included); no fixture holds one.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pia::check::personal::{findings, warning_lines};
use pia::personal::Kind;

use support::KANTO_DIR as REF;
const MASK: &str = "＊＊＊＊＊＊＊＊＊＊＊＊";

/// The 個人番号 check digit, computed independently of the crate: Σ P×Q over the first 11
/// digits from the right (Q = n + 1 for n ≤ 6, n − 5 above), 11 − (Σ mod 11), 0 when ≤ 1.
fn with_check_digit(first11: &str) -> String {
    let d: Vec<u32> = first11.chars().map(|c| c.to_digit(10).unwrap()).collect();
    assert_eq!(d.len(), 11);
    let sum: u32 = (1..=11u32)
        .map(|n| d[11 - n as usize] * if n <= 6 { n + 1 } else { n - 5 })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    format!("{first11}{check}")
}

/// A 個人番号 unlikely to occur by accident in any output.
fn number() -> String {
    let n = with_check_digit("73108249561");
    assert!(pia::personal::is_valid_my_number(&n));
    n
}

fn groups(n: &str) -> (&str, &str, &str) {
    (&n[..4], &n[4..8], &n[8..])
}

fn full_width(n: &str) -> String {
    n.chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect()
}

/// Copies the reference into `dir/name`, replacing `from` by `to` in `file`.
fn copy_ref(dir: &Path, name: &str, edits: &[(&str, &str, &str)]) -> PathBuf {
    let target = dir.join(name);
    support::copy_dir(Path::new(REF), &target);
    for entry in std::fs::read_dir(REF).unwrap() {
        let p = entry.unwrap().path();
        if !p.is_file() {
            continue;
        }
        let file = p.file_name().unwrap().to_string_lossy().to_string();
        let mut text = std::fs::read_to_string(&p).unwrap();
        for (f, from, to) in edits {
            if *f == file {
                assert!(text.contains(from), "{file}: {from}");
                text = text.replacen(from, to, 1);
            }
        }
        std::fs::write(target.join(&file), text).unwrap();
    }
    target
}

fn pia(args: &[&str], cwd: &Path, summary: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pia"));
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    if let Some(s) = summary {
        cmd.env("GITHUB_STEP_SUMMARY", s);
    }
    cmd.output().expect("pia runs")
}

/// Asserts that no spelling of `n` is in `text`: not as is, not in full-width digits, and not
/// once every non-digit character is taken out (so no separator can hide it either).
fn assert_hidden(text: &str, n: &str, what: &str) {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            c => c,
        })
        .collect();
    assert!(!ascii.contains(n), "{what} shows the number:\n{text}");
    let (a, b, c) = groups(n);
    for part in [format!("{a}{b}"), format!("{b}{c}")] {
        assert!(
            !ascii.contains(&part),
            "{what} shows 8 of its digits:\n{text}"
        );
    }
    // Separators of every kind taken out: the digits of each line in a row.
    for line in ascii.lines() {
        let digits: String = line
            .chars()
            .filter(|c| c.is_ascii_digit() || pia::personal::is_separator(*c))
            .filter(char::is_ascii_digit)
            .collect();
        assert!(
            !digits.contains(n),
            "{what} shows the number with separators:\n{line}"
        );
    }
    let all_digits: String = ascii
        .chars()
        .filter(|c| c.is_ascii_digit() || pia::personal::is_separator(*c))
        .filter(char::is_ascii_digit)
        .collect();
    assert!(
        !all_digits.contains(n),
        "{what} shows the number across lines"
    );
}

/// Runs `pia check` in every format (GitHub with and without a step-summary file) and returns
/// (format, stdout + stderr + summary) for each.
fn check_all_formats(dir: &Path, target: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for format in ["human", "json", "github", "sarif"] {
        let o = pia(
            &[
                "check",
                "--color",
                "never",
                "--today",
                "2025-07-01",
                "--format",
                format,
                target.to_str().unwrap(),
            ],
            dir,
            None,
        );
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        out.push((format.to_string(), text));
    }
    let summary = dir.join("summary.md");
    let o = pia(
        &[
            "check",
            "--today",
            "2025-07-01",
            "--format",
            "github",
            target.to_str().unwrap(),
        ],
        dir,
        Some(&summary),
    );
    let text = format!(
        "{}{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
        std::fs::read_to_string(&summary).unwrap_or_default()
    );
    out.push(("github + step summary".to_string(), text));
    out
}

/// One path of a diagnostic that used to quote the value: the code is reported, the quoted
/// value shows the mask, and no format shows the digits.
fn assert_check_hides(name: &str, edits: &[(&str, &str, &str)], code: &str, item: &str) {
    let n = number();
    let dir = tempfile::tempdir().unwrap();
    let target = copy_ref(dir.path(), name, edits);
    for (format, text) in check_all_formats(dir.path(), &target) {
        assert!(
            text.contains(code),
            "{name}/{format}: {code} missing:\n{text}"
        );
        assert!(
            text.contains(item),
            "{name}/{format}: item missing:\n{text}"
        );
        assert_hidden(&text, &n, &format!("{name}/{format}"));
    }
    // The JSON message quotes the value with the mask in place of the digits.
    let o = pia(
        &[
            "check",
            "--today",
            "2025-07-01",
            "--format",
            "json",
            target.to_str().unwrap(),
        ],
        dir.path(),
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["assessments"][0]["diagnostics"].as_array().unwrap();
    let quoting: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == code)
        .filter(|d| format!("{}{}{}", d["message"], d["help"], d["path"]).contains(MASK))
        .collect();
    assert!(!quoting.is_empty(), "{name}: no {code} shows the mask: {v}");
}

/// (a) In a 別添３ item cell: W225 quotes the item.
#[test]
fn attachment3_item_w225() {
    let n = number();
    let (a, b, c) = groups(&n);
    assert_check_hides(
        "w225",
        &[(
            "changes.toml",
            "item = \"評価書全般\"",
            &format!("item = \"不明な項目 {a}-{b}-{c}\""),
        )],
        "PIA-W225",
        "（別添３）",
    );
}

/// (b) In a 特定個人情報ファイル名: E200 quotes it.
#[test]
fn file_name_e200() {
    let n = number();
    assert_check_hides(
        "e200",
        &[(
            "assessment.toml",
            "file_names = [\"健康保険基幹情報ファイル\"]",
            &format!("file_names = [\"健康保険基幹情報ファイル\", \"ファイル{n}\"]"),
        )],
        "PIA-E200",
        "Ⅰ ３．特定個人情報ファイル名",
    );
}

/// (c) As a value outside the 選択肢: L004 quotes it.
#[test]
fn invalid_choice_l004() {
    let n = full_width(&number());
    assert_check_hides(
        "l004",
        &[(
            "file-kikan.toml",
            "file_kind = \"システム用ファイル\"",
            &format!("file_kind = \"{n}\""),
        )],
        "PIA-L004",
        "①ファイルの種類",
    );
}

/// (d) As an unknown key: L002 quotes the key and its TOML path.
#[test]
fn unknown_key_l002() {
    let n = number();
    assert_check_hides(
        "l002",
        &[(
            "assessment.toml",
            "other_orgs = \"なし\"",
            &format!("other_orgs = \"なし\"\nno{n} = 1"),
        )],
        "PIA-L002",
        "Ⅰ",
    );
}

/// (e) As a count: W051/W054 quote the count, and W310 reports it (the integer is scanned too).
#[test]
fn count_field() {
    let n = number();
    assert_check_hides(
        "count",
        &[(
            "file-kikan.toml",
            "status = { \"提供を行っている\" = 25 }",
            &format!("status = {{ \"提供を行っている\" = {n} }}"),
        )],
        "PIA-W051",
        "提供を行っている",
    );
    let dir = tempfile::tempdir().unwrap();
    let target = copy_ref(
        dir.path(),
        "count310",
        &[(
            "file-kikan.toml",
            "status = { \"提供を行っている\" = 25 }",
            &format!("status = {{ \"提供を行っている\" = {n} }}"),
        )],
    );
    let loaded = pia::load::load(&target).unwrap();
    let diags = pia::check::check(&loaded, &Default::default());
    assert!(
        diags.iter().any(|d| d.code == "PIA-W310"
            && d.path == "files[0].overview.provision.status.\"提供を行っている\""),
        "{diags:?}"
    );
}

/// (e') A 12-digit 評価書番号 overflows the model: the loader's internal error quotes it.
#[test]
fn count_overflow_is_a_located_error_without_the_digits() {
    let n = number();
    assert_check_hides(
        "l003",
        &[(
            "assessment.toml",
            "assessment_number = 1",
            &format!("assessment_number = {n}"),
        )],
        "PIA-L003",
        "大きすぎます",
    );
}

/// The source line of a diagnostic near the number shows the mask, not the digits (the number
/// runs over a line break of a multi-line text and the marked place is a placeholder next to it).
#[test]
fn source_lines_are_masked() {
    let n = number();
    let dir = tempfile::tempdir().unwrap();
    let target = copy_ref(
        dir.path(),
        "src",
        &[(
            "assessment.toml",
            "other_orgs = \"なし\"",
            &format!("other_orgs = \"\"\"TODO {}\n{}\"\"\"", &n[..6], &n[6..]),
        )],
    );
    for (format, text) in check_all_formats(dir.path(), &target) {
        assert!(text.contains("PIA-E011"), "{format}: {text}");
        assert_hidden(&text, &n, &format);
        if format == "human" {
            assert!(
                text.contains("other_orgs = \"\"\"TODO ＊＊＊＊＊＊"),
                "the source line is shown masked:\n{text}"
            );
        }
    }
}

/// W310 recognises the number with every usual separator between 4-digit groups, in
/// half-width and full-width digits.
#[test]
fn w310_detects_every_separator() {
    let n = number();
    let (a, b, c) = groups(&n);
    // (TOML spelling of the separator, what it is)
    let seps = [
        ("-", "hyphen-minus"),
        ("ー", "katakana prolonged sound mark"),
        ("−", "minus sign"),
        ("－", "full-width hyphen-minus"),
        ("‐", "hyphen"),
        ("–", "en dash"),
        ("—", "em dash"),
        ("―", "horizontal bar"),
        (" ", "space"),
        ("\\u00A0", "no-break space"),
        ("　", "ideographic space"),
        ("\\t", "tab"),
        ("\\n", "line feed"),
        ("\\r\\n", "CR LF"),
        (" - ", "spaced hyphen"),
        ("", "no separator"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, (sep, what)) in seps.iter().enumerate() {
        for (digits, width) in [((a, b, c), "half"), ((a, b, c), "full")] {
            let (a, b, c) = digits;
            let (a, b, c) = if width == "full" {
                (full_width(a), full_width(b), full_width(c))
            } else {
                (a.to_string(), b.to_string(), c.to_string())
            };
            let target = copy_ref(
                dir.path(),
                &format!("s{i}{width}"),
                &[(
                    "assessment.toml",
                    "other_orgs = \"なし\"",
                    &format!("other_orgs = \"なし（{a}{sep}{b}{sep}{c}）\""),
                )],
            );
            let loaded = pia::load::load(&target).unwrap();
            let diags = pia::check::check(&loaded, &Default::default());
            let w310: Vec<_> = diags.iter().filter(|d| d.code == "PIA-W310").collect();
            assert_eq!(w310.len(), 1, "{what} ({width}-width): {diags:?}");
            assert_eq!(w310[0].path, "basic.other_orgs");
            assert_eq!(
                w310[0].message,
                "「Ⅰ ８．他の評価実施機関」に個人番号（検査用数字が一致する12桁の数字）と思われる記載があります"
            );
            let text = pia::personal::redact(&loaded.assessment.basic.other_orgs);
            assert_eq!(text, format!("なし（{MASK}）"), "{what} ({width}-width)");
        }
    }
    // A wrong check digit is not a 個人番号.
    let wrong = format!("{}{}", &n[..11], (n.as_bytes()[11] - b'0' + 1) % 10);
    assert!(!pia::personal::contains_my_number(&wrong));
}

/// `pia diff` in every format: the number never shows, the outputs carry the mask, and stderr
/// warns naming the item. `--record` writes the 別添３ row with the mask.
#[test]
fn diff_hides_and_warns() {
    let n = number();
    let (a, b, c) = groups(&n);
    let dir = tempfile::tempdir().unwrap();
    let old = copy_ref(dir.path(), "old", &[]);
    let new_edit = [(
        "assessment.toml",
        "other_orgs = \"なし\"",
        &*format!("other_orgs = \"なし（{a}ー{b}ー{c}）\""),
    )];
    let new = copy_ref(dir.path(), "new", &new_edit);
    for format in ["human", "markdown", "json"] {
        let o = pia(
            &[
                "diff",
                "--color",
                "never",
                "--format",
                format,
                old.to_str().unwrap(),
                new.to_str().unwrap(),
            ],
            dir.path(),
            None,
        );
        assert_eq!(o.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stdout.contains(MASK), "{format}: {stdout}");
        assert!(
            stdout.contains("Ⅰ ８．他の評価実施機関"),
            "{format}: {stdout}"
        );
        assert!(
            stderr.contains(&format!(
                "警告[PIA-W310]: 新版（{}）の「Ⅰ ８．他の評価実施機関」に個人番号",
                new.display()
            )),
            "{format}: {stderr}"
        );
        assert!(stderr.contains("TOML: basic.other_orgs"), "{stderr}");
        assert!(
            !stderr.contains("旧版"),
            "the old revision has none: {stderr}"
        );
        assert_hidden(&format!("{stdout}{stderr}"), &n, &format!("diff {format}"));
    }
    // The reverse comparison (the number removed) warns about the old revision.
    let o = pia(
        &["diff", new.to_str().unwrap(), old.to_str().unwrap()],
        dir.path(),
        None,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("警告[PIA-W310]: 旧版（"), "{stderr}");
    assert_hidden(
        &format!("{}{stderr}", String::from_utf8_lossy(&o.stdout)),
        &n,
        "diff reversed",
    );
    // --record: the 別添３ row holds the mask.
    let o = pia(
        &[
            "diff",
            "--record",
            "--date",
            "2025-07-01",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
        ],
        dir.path(),
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let changes = std::fs::read_to_string(new.join("changes.toml")).unwrap();
    assert!(
        changes.contains(&format!("after = \"なし（{MASK}）\"")),
        "{}",
        &changes[changes.len().saturating_sub(600)..]
    );
    assert_hidden(&changes, &n, "recorded 別添３");
}

/// `personal::findings` (for `pia render`) lists each item that holds a number, by its printed
/// name and TOML path, and its warning lines do not show the digits.
#[test]
fn findings_for_render() {
    let n = number();
    let (a, b, c) = groups(&n);
    let dir = tempfile::tempdir().unwrap();
    let target = copy_ref(
        dir.path(),
        "r",
        &[
            (
                "assessment.toml",
                "other_orgs = \"なし\"",
                &format!("other_orgs = \"なし（{a}\u{3000}{b}\u{3000}{c}）\""),
            ),
            (
                "file-kikan.toml",
                "departments = \"適用一課、適用二課、給付課、徴収課、審査課\"",
                "departments = \"適用一課（担当 1234-567890）\"",
            ),
        ],
    );
    let loaded = pia::load::load(&target).unwrap();
    let found = findings(&loaded);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].path, "basic.other_orgs");
    assert_eq!(found[0].item, "Ⅰ ８．他の評価実施機関");
    assert_eq!(found[0].kind, Kind::MyNumber);
    assert_eq!(found[1].path, "files[0].overview.use.departments");
    assert!(
        found[1].item.starts_with("Ⅱ ３．特定個人情報の入手・使用"),
        "{}",
        found[1].item
    );
    assert_eq!(found[1].kind, Kind::Pension);
    let lines = warning_lines(&[("評価書", &found)], "PDF にはそのまま印字されます。");
    assert!(lines.starts_with(
        "警告[PIA-W310]: 評価書の「Ⅰ ８．他の評価実施機関」に個人番号（検査用数字が一致する12桁の数字）と思われる記載があります（TOML: basic.other_orgs）\n"
    ), "{lines}");
    assert!(
        lines.contains("警告[PIA-W311]: 評価書の「Ⅱ ３．"),
        "{lines}"
    );
    assert!(
        lines.ends_with("PDF にはそのまま印字されます。\n"),
        "{lines}"
    );
    assert_hidden(&lines, &n, "warning lines");
    assert!(!lines.contains("567890"));
}

/// A 1 MB value in a choice, an unknown key and a 別添３ item produces a few KB of output in
/// every format, not megabytes.
#[test]
fn huge_values_are_not_amplified() {
    let big = "あ".repeat(350_000);
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "choice",
            ("file-kikan.toml", "file_kind = \"システム用ファイル\""),
            format!("file_kind = \"{big}\""),
            "PIA-L004",
        ),
        (
            "key",
            ("assessment.toml", "other_orgs = \"なし\""),
            format!("other_orgs = \"なし\"\n\"{big}\" = 1"),
            "PIA-L002",
        ),
        (
            "item",
            ("changes.toml", "item = \"評価書全般\""),
            format!("item = \"{big}\""),
            "PIA-W225",
        ),
    ];
    for (name, (file, from), to, code) in &cases {
        let target = copy_ref(dir.path(), name, &[(file, from, to)]);
        for (format, text) in check_all_formats(dir.path(), &target) {
            assert!(text.contains(code), "{name}/{format}");
            // Elided where it is quoted: by the loader (「…」 after 60 characters) or by the
            // output layer (「…（N文字省略）…」).
            assert!(text.contains('…'), "{name}/{format}: no elision");
            assert!(
                text.len() < 64 * 1024,
                "{name}/{format}: {} bytes of output for a 1 MB value",
                text.len()
            );
        }
    }
}

/// Many findings of one code: the human output shows the first 300 and counts the rest.
#[test]
fn human_output_caps_each_code() {
    let keys: String = (0..1000).map(|i| format!("unknown{i} = 1\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    let target = copy_ref(
        dir.path(),
        "many",
        &[(
            "assessment.toml",
            "other_orgs = \"なし\"",
            &format!("other_orgs = \"なし\"\n{keys}"),
        )],
    );
    let o = pia(
        &["check", "--color", "never", target.to_str().unwrap()],
        dir.path(),
        None,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.matches("error[PIA-L002]").count(), 300);
    assert!(
        stderr.contains("注: PIA-L002 はほかに 700 件あります（同じコードは 300 件まで表示します。全件は --format json で確認できます）"),
        "{}",
        &stderr[stderr.len().saturating_sub(400)..]
    );
    let json = pia(
        &["check", "--format", "json", target.to_str().unwrap()],
        dir.path(),
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["errors"], 1000);
}
