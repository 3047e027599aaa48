//! `pia check` as a program: exit codes, output formats, the JSON schema of `--format json` and
//! SARIF 2.1.0 validity.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod support;

use support::KANTO_DIR as REF;
const FORMATS: [&str; 4] = ["human", "json", "github", "sarif"];

fn pia(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .output()
        .expect("pia runs")
}

/// Copies the reference into `dir/name`, replacing `from` by `to` in `file` (if `from` is given).
fn copy_ref(dir: &Path, name: &str, edit: Option<(&str, &str, &str)>) -> PathBuf {
    let target = dir.join(name);
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(REF).unwrap() {
        let p = entry.unwrap().path();
        let file = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            // figures/ (the 別添1 figure)
            support::copy_dir(&p, &target.join(&file));
            continue;
        }
        let mut text = std::fs::read_to_string(&p).unwrap();
        if let Some((f, from, to)) = edit
            && f == file
        {
            assert!(text.contains(from));
            text = text.replacen(from, to, 1);
        }
        std::fs::write(target.join(&file), text).unwrap();
    }
    target
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The official SARIF schema writes the `language` pattern with a stray `]`
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which the validator's meta-schema check rejects
/// as a regex; it is replaced by the intended pattern in memory (the file is kept as published).
const SARIF_LANGUAGE_PATTERN: (&str, &str) = (
    "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
    "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
);

fn schema(path: &str) -> jsonschema::Validator {
    let mut text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    if path.contains("sarif") {
        assert!(text.contains(SARIF_LANGUAGE_PATTERN.0));
        text = text.replace(SARIF_LANGUAGE_PATTERN.0, SARIF_LANGUAGE_PATTERN.1);
    }
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn assert_valid(validator: &jsonschema::Validator, v: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not validate:\n{}",
        errors.join("\n")
    );
}

/// Line of the `[files.risk.acquisition.r1]` table (a missing answer points at its table).
fn r1_line() -> usize {
    let text = std::fs::read_to_string(Path::new(REF).join("file-kikan.toml")).unwrap();
    let pos = text.find("[files.risk.acquisition.r1]").unwrap();
    text[..pos].matches('\n').count() + 1
}

const ADEQUACY: (&str, &str, &str) = (
    "file-kikan.toml",
    "other_measures = \"なし\"\nadequacy = \"十分である\"",
    "other_measures = \"なし\"",
);
const ITEM: &str = "Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か";

#[test]
fn reference_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let target = copy_ref(dir.path(), "kanto-it-kenpo", None);
    let out = pia(&["check", target.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("kanto-it-kenpo: エラー 0 件、警告"),
        "{stderr}"
    );
    assert!(stderr.contains("warning[PIA-W051]"), "{stderr}");
    // --deny-warnings turns the seed's warnings into a failure.
    let out = pia(
        &["check", "--deny-warnings", target.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn missing_adequacy_exits_1_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    copy_ref(dir.path(), "broken", Some(ADEQUACY));
    let line = r1_line();
    let check_schema = schema("schema/check-output.schema.json");
    let sarif_schema = schema("tests/schemas/sarif-schema-2.1.0.json");
    for format in FORMATS {
        let out = pia(&["check", "--format", format, "broken"], dir.path());
        assert_eq!(
            out.status.code(),
            Some(1),
            "format {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match format {
            "human" => {
                assert!(
                    stderr.contains(&format!("error[PIA-E010]: 「{ITEM}」が未回答です")),
                    "{stderr}"
                );
                assert!(
                    stderr.contains(&format!("broken/file-kikan.toml:{line}:")),
                    "{stderr}"
                );
                assert!(
                    stderr.contains("TOML: files[0].risk.acquisition.r1.adequacy"),
                    "{stderr}"
                );
                assert!(stderr.contains("broken: エラー 1 件"), "{stderr}");
            }
            "json" => {
                let v = json(&out);
                assert_valid(&check_schema, &v, "JSON output");
                assert_eq!(v["errors"], 1);
                let a = &v["assessments"][0];
                assert_eq!(a["status"], "error");
                let d = a["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|d| d["code"] == "PIA-E010")
                    .unwrap();
                assert_eq!(d["item"], ITEM);
                assert_eq!(d["path"], "files[0].risk.acquisition.r1.adequacy");
                assert_eq!(d["severity"], "error");
                assert_eq!(d["file"], "broken/file-kikan.toml");
                assert_eq!(d["line"], line);
            }
            "github" => {
                let first = stdout.lines().next().unwrap();
                assert!(
                    first.starts_with(&format!(
                        "::error file=broken/file-kikan.toml,line={line},col="
                    )),
                    "{stdout}"
                );
                assert!(first.contains("title=PIA-E010 "), "{first}");
                assert!(stdout.contains("## pia check"), "{stdout}");
            }
            "sarif" => {
                let v = json(&out);
                assert_valid(&sarif_schema, &v, "SARIF output");
                let results = v["runs"][0]["results"].as_array().unwrap();
                let r = results.iter().find(|r| r["ruleId"] == "PIA-E010").unwrap();
                assert_eq!(r["level"], "error");
                assert_eq!(
                    r["locations"][0]["physicalLocation"]["region"]["startLine"],
                    line
                );
                assert_eq!(r["properties"]["item"], ITEM);
                let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
                assert!(rules.iter().any(|r| {
                    r["id"] == "PIA-W051"
                        && r["shortDescription"]["text"]
                            .as_str()
                            .unwrap()
                            .starts_with("D-5 ")
                }));
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn reference_json_and_sarif_validate() {
    let check_schema = schema("schema/check-output.schema.json");
    let sarif_schema = schema("tests/schemas/sarif-schema-2.1.0.json");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = pia(
        &["check", "--format", "json", "assessments/kanto-it-kenpo"],
        dir,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_valid(&check_schema, &v, "JSON output");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["assessments"][0]["status"], "warning");
    let out = pia(
        &["check", "--format", "sarif", "assessments/kanto-it-kenpo"],
        dir,
    );
    let mut v = json(&out);
    assert_valid(&sarif_schema, &v, "SARIF output");
    // The schemas do bite: a wrong level or a missing member is rejected.
    v["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!sarif_schema.is_valid(&v));
    let mut j = json(&pia(
        &["check", "--format", "json", "assessments/kanto-it-kenpo"],
        dir,
    ));
    j["assessments"][0]["diagnostics"][0]
        .as_object_mut()
        .unwrap()
        .remove("item");
    assert!(!check_schema.is_valid(&j));
}

#[test]
fn unreadable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    copy_ref(
        dir.path(),
        "syntax",
        Some((
            "assessment.toml",
            "assessment_number = 1",
            "assessment_number = = 1",
        )),
    );
    let check_schema = schema("schema/check-output.schema.json");
    for format in FORMATS {
        let out = pia(&["check", "--format", format, "syntax"], dir.path());
        assert_eq!(out.status.code(), Some(2), "format {format}");
    }
    let out = pia(&["check", "--format", "json", "syntax"], dir.path());
    let v = json(&out);
    assert_valid(&check_schema, &v, "JSON output");
    assert_eq!(v["assessments"][0]["status"], "unreadable");
    assert_eq!(v["assessments"][0]["diagnostics"][0]["code"], "PIA-L001");
    // A directory that does not exist.
    let out = pia(&["check", "no-such-assessment"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("見つかりません"));
}

#[test]
fn several_assessments_are_reported_separately() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("all");
    copy_ref(&parent, "a-ok", None);
    copy_ref(&parent, "b-broken", Some(ADEQUACY));
    let out = pia(&["check", "--format", "json", "all"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_valid(
        &schema("schema/check-output.schema.json"),
        &v,
        "JSON output",
    );
    let a = v["assessments"].as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert!(a[0]["target"].as_str().unwrap().ends_with("a-ok"));
    assert_eq!(a[0]["status"], "warning");
    assert_eq!(a[0]["errors"], 0);
    assert!(a[1]["target"].as_str().unwrap().ends_with("b-broken"));
    assert_eq!(a[1]["status"], "error");
    assert_eq!(a[1]["errors"], 1);
    assert_eq!(v["errors"], 1);
    // Human output: one summary line per assessment.
    let out = pia(&["check", "all/a-ok", "all/b-broken"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("all/a-ok: エラー 0 件"), "{stderr}");
    assert!(stderr.contains("all/b-broken: エラー 1 件"), "{stderr}");
    // An unreadable one among them wins: exit code 2.
    copy_ref(
        &parent,
        "c-syntax",
        Some((
            "assessment.toml",
            "assessment_number = 1",
            "assessment_number = = 1",
        )),
    );
    let out = pia(&["check", "all"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

/// A real-looking 個人番号 in a text is reported (warning; error with --strict) without ever
/// printing its digits.
#[test]
fn accidental_my_number_is_reported_without_its_digits() {
    let dir = tempfile::tempdir().unwrap();
    // 123456789018: the check digit matches (Σ P×Q = 212, 212 mod 11 = 3, 11 − 3 = 8).
    let a = copy_ref(
        dir.path(),
        "a",
        Some((
            "assessment.toml",
            "other_orgs = \"なし\"",
            "other_orgs = \"なし（例: 1234 5678 9018）\"",
        )),
    );
    // --strict raises the level, never the code.
    for (strict, code, exit) in [
        (false, "warning[PIA-W310]", 0),
        (true, "error[PIA-W310]", 1),
    ] {
        let mut args = vec!["check", "--color", "never", "--today", "2025-07-01"];
        if strict {
            args.push("--strict");
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pia"))
            .args(&args)
            .arg(&a)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(exit), "{stderr}");
        assert!(stderr.contains(code), "{stderr}");
        assert!(
            stderr.contains("「Ⅰ ８．他の評価実施機関」に個人番号"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("9018"),
            "digits must not be printed: {stderr}"
        );
        let json = std::process::Command::new(env!("CARGO_BIN_EXE_pia"))
            .args(&args)
            .args(["--format", "json"])
            .arg(&a)
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&json.stdout).contains("9018"));
    }
}

/// `pia threshold` with numbers and with an assessment (§B.2).
#[test]
fn threshold_command() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pia"))
            .arg("threshold")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--population", "500"],
            "特定個人情報保護評価の実施は義務付けられません",
            "4) 特定個人情報保護評価の実施が義務付けられない",
        ),
        (
            &["--population", "5000", "--handlers", "900", "--incident"],
            "基礎項目評価の実施が義務付けられます",
            "3) ",
        ),
        (
            &["--population", "50000", "--handlers", "100"],
            "基礎項目評価の実施が義務付けられます",
            "3) ",
        ),
        (
            &["--population", "50000", "--handlers", "500"],
            "基礎項目評価及び重点項目評価の実施が義務付けられます",
            "2) ",
        ),
        (
            &["--population", "50000", "--incident"],
            "基礎項目評価及び重点項目評価の実施が義務付けられます",
            "2) ",
        ),
        (
            &["--population", "150000", "--handlers", "100"],
            "基礎項目評価及び重点項目評価の実施が義務付けられます",
            "2) ",
        ),
        (
            &["--population", "150000", "--handlers", "600", "--incident"],
            "基礎項目評価及び全項目評価の実施が義務付けられます",
            "1) 基礎項目評価及び全項目評価の実施が義務付けられる",
        ),
        (
            &["--population", "150000", "--incident"],
            "基礎項目評価及び全項目評価の実施が義務付けられます",
            "1) ",
        ),
        (
            &["--population", "300000"],
            "基礎項目評価及び全項目評価の実施が義務付けられます",
            "1) ",
        ),
    ];
    for (args, decision, option) in cases {
        let out = run(args);
        assert!(
            out.contains(&format!("しきい値判断: {decision}")),
            "{args:?}: {out}"
        );
        assert!(out.contains(option), "{args:?}: {out}");
    }
    let out = run(&[REF]);
    assert!(
        out.contains("しきい値判断: 基礎項目評価及び全項目評価の実施が義務付けられます"),
        "{out}"
    );
    assert!(out.contains("対象人数が30万人以上のため"), "{out}");
}
