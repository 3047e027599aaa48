//! The 基礎項目評価書 (様式２): derived from a 全項目評価書's TOML (the documented rule: the weakest
//! answer across files and risks, an answer written in `[basic_report]` wins), and standalone for a
//! body obliged only to 基礎項目評価 (the town reference): check, threshold, schema, init, diff.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use pia::form::Catalog;
use serde_json::{Value, json};
use support::{CITY, Copy, KANTO, Repo, TOWN};

fn pia(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("pia runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The derived 基礎項目評価書 of a loaded 全項目評価書, as option ids.
fn derived(dir: &Path) -> Value {
    let loaded = pia::load::load(dir).unwrap();
    let form2 = loaded
        .basic_form
        .clone()
        .expect("様式4 names its 基礎項目評価書 form");
    let d = pia::basic_report::derive(&loaded, &form2);
    assert_eq!(d.form.id, "R6.10-yoshiki2");
    serde_json::to_value(&d.assessment).unwrap()
}

fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, k| &v[k])
}

#[test]
fn city_answers_follow_the_weakest_answer_across_files_and_risks() {
    let v = derived(&support::reference(CITY));
    // Ⅲ ７．リスク１ of the 住民基本台帳ファイル is 「課題が残されている」: the weakest answer wins
    // over the other file's 「十分である」.
    assert_eq!(
        at(&v, "basic_report.risk.retention.adequacy"),
        "issues_remain"
    );
    // Both files entrust and provide: no 「委託しない」 / 「提供・移転しない」.
    assert_eq!(at(&v, "basic_report.risk.entrustment.none"), false);
    assert_eq!(
        at(&v, "basic_report.risk.entrustment.adequacy"),
        "sufficient"
    );
    assert_eq!(at(&v, "basic_report.risk.provision.none"), false);
    // 「接続しない（入手）」 in both files; 「接続しない（提供）」 in one only.
    assert_eq!(at(&v, "basic_report.risk.network.no_acquire"), true);
    assert_eq!(at(&v, "basic_report.risk.network.no_provide"), false);
    assert_eq!(at(&v, "basic_report.risk.network.acquire"), &Value::Null);
    // The provide side: only the connecting file counts (「特に力を入れている」); the other
    // file's provide risks are absent, not weaker.
    assert_eq!(at(&v, "basic_report.risk.network.provide"), "especially");
    // Ⅳ-9 from the 全項目評価書's Ⅳ １．自己点検 and 監査, Ⅳ-10 its Ⅳ ２.
    assert_eq!(
        at(&v, "basic_report.risk.audit.done"),
        &json!({ "self_check": true, "internal": true })
    );
    assert_eq!(at(&v, "basic_report.risk.training.level"), "especially");
    // Computed: Ⅲ from the しきい値判断 items, Ⅳ-1 and Ⅳ-11 from the kind of report.
    let loaded = pia::load::load(&support::reference(CITY)).unwrap();
    let expected = pia::threshold::decide_for(&loaded.form, &loaded.assessment.threshold)
        .unwrap()
        .obliged
        .result_option();
    assert_eq!(
        at(&v, "basic_report.threshold.result"),
        pia::model::Choice::id(expected)
    );
    assert_eq!(at(&v, "basic_report.risk.report_kind"), "full");
    assert_eq!(at(&v, "basic_report.risk.priority.full_report"), true);
    // Written only for the 基礎項目評価書, kept: Ⅳ-8 and ②事務の概要.
    assert_eq!(
        at(&v, "basic_report.risk.manual_work.adequacy"),
        "sufficient"
    );
    assert!(
        !at(&v, "basic.affairs.summary")
            .as_str()
            .unwrap()
            .trim()
            .is_empty()
    );
    // The cover names the 基礎項目評価書; its 変更箇所 are its own rows, not the 別添３.
    let title = at(&v, "cover.title").as_str().unwrap();
    assert!(title.ends_with("基礎項目評価書"), "{title}");
    assert!(!title.contains("全項目評価書"), "{title}");
    assert_eq!(at(&v, "changes"), &json!([]));
}

#[test]
fn kanto_answers_are_derived_from_its_one_file() {
    let v = derived(&support::reference(KANTO));
    let loaded = pia::load::load(&support::reference(KANTO)).unwrap();
    let file = serde_json::to_value(&loaded.assessment.files[0]).unwrap();
    // One file: each answer is that file's.
    for (basic, full) in [
        (
            "basic_report.risk.acquisition.adequacy",
            "risk.acquisition.r1.adequacy",
        ),
        ("basic_report.risk.use.linking", "risk.use.r1.adequacy"),
        ("basic_report.risk.use.unauthorized", "risk.use.r2.adequacy"),
        (
            "basic_report.risk.retention.adequacy",
            "risk.retention.r1.adequacy",
        ),
    ] {
        assert_eq!(at(&v, basic), at(&file, full), "{basic}");
        assert!(at(&v, basic).is_string(), "{basic}");
    }
    assert_eq!(at(&v, "basic_report.risk.report_kind"), "full");
    assert_eq!(
        at(&v, "cover.title"),
        "関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務　基礎項目評価書"
    );
}

#[test]
fn an_answer_written_in_the_assessment_wins_and_a_better_one_is_a_warning() {
    let c = Copy::of(CITY);
    let text = c.read("assessment.toml")
        + "\n[basic_report.risk.retention]\nadequacy = \"特に力を入れている\"\n";
    c.write("assessment.toml", &text);
    let v = derived(&c.dir);
    assert_eq!(at(&v, "basic_report.risk.retention.adequacy"), "especially");
    // Better than the 全項目評価書's 「課題が残されている」: the two reports disagree.
    let o = pia(&["check", "--format", "json"], &c.dir);
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = report["assessments"][0]["diagnostics"].as_array().unwrap();
    let w: Vec<&Value> = diags.iter().filter(|d| d["code"] == "PIA-W401").collect();
    assert_eq!(w.len(), 1, "{diags:#?}");
    assert_eq!(w[0]["path"], "basic_report.risk.retention.adequacy");
    assert_eq!(
        w[0]["message"],
        "「基礎項目評価書 Ⅳ　リスク対策 ７．特定個人情報の保管・消去 特定個人情報の漏えい・滅失・毀損リスクへの対策は十分か」を「特に力を入れている」としていますが、全項目評価書の回答からは「課題が残されている」となります"
    );
    // A weaker answer than the derived one is the author's to give: no warning.
    let c = Copy::of(CITY);
    let text = c.read("assessment.toml")
        + "\n[basic_report.risk.acquisition]\nadequacy = \"課題が残されている\"\n";
    c.write("assessment.toml", &text);
    assert_eq!(
        at(&derived(&c.dir), "basic_report.risk.acquisition.adequacy"),
        "issues_remain"
    );
    let o = pia(&["check"], &c.dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("PIA-W401"), "{}", stderr(&o));
}

#[test]
fn the_town_passes_check_and_its_threshold_is_printed_where_its_form_prints_it() {
    let o = pia(&["check", TOWN], &support::root().join("assessments"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "sumikawa-town: 問題はありません\n");
    let t = pia(&["threshold", TOWN], &support::root().join("assessments"));
    assert!(t.status.success());
    assert_eq!(
        stdout(&t),
        "しきい値判断: 基礎項目評価の実施が義務付けられます\n\
         理由: 対象人数が1,000人以上1万人未満のため（取扱者数・重大事故にかかわらず）\n\
         入力: 対象人数 1,000人以上1万人未満、取扱者数 500人未満、重大事故なし\n\
         基礎項目評価書の Ⅲ しきい値判断結果: 3) 基礎項目評価の実施が義務付けられる\n"
    );
}

#[test]
fn a_standalone_report_obliged_to_a_full_assessment_names_the_missing_report() {
    let c = Copy::of(TOWN);
    c.replace(
        "assessment.toml",
        "population = \"1,000人以上1万人未満\"",
        "population = \"10万人以上30万人未満\"",
    );
    c.replace(
        "assessment.toml",
        "handlers = \"500人未満\"",
        "handlers = \"500人以上\"",
    );
    let o = pia(&["check", "--format", "json"], &c.dir);
    assert_eq!(o.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = report["assessments"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "PIA-E402");
    assert_eq!(
        diags[0]["message"],
        "しきい値判断では基礎項目評価及び全項目評価の実施が義務付けられますが、この評価書は基礎項目評価書だけです（全項目評価書がありません）"
    );
}

#[test]
fn computed_items_cannot_be_written() {
    let c = Copy::of(TOWN);
    let text =
        c.read("assessment.toml") + "\n[basic_report.risk]\nreport_kind = \"基礎項目評価書\"\n";
    c.write("assessment.toml", &text);
    let o = pia(&["check"], &c.dir);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("error[PIA-L011]: 「Ⅳ １．提出する特定個人情報保護評価書の種類」は pia が計算して印刷する項目のため、評価書には書けません"),
        "{e}"
    );
}

#[test]
fn init_makes_a_skeleton_with_only_the_basic_reports_items() {
    let tmp = tempfile::tempdir().unwrap();
    let o = pia(&["init", "--form", "R6.10-yoshiki2", "new"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(tmp.path().join("new/assessment.toml")).unwrap();
    assert!(text.starts_with("#:schema ../schema/R6.10-yoshiki2.draft07.schema.json\n"));
    assert!(
        tmp.path()
            .join("schema/R6.10-yoshiki2.draft07.schema.json")
            .is_file()
    );
    assert!(text.contains("form_version = \"R6.10-yoshiki2\""));
    // 様式２ items, in the form's order; no 全項目評価書 item, no computed item.
    let order = [
        "# Ⅰ　関連情報",
        "# ２．特定個人情報ファイル名",
        "# ②事務の概要",
        "# ７．特定個人情報の開示・訂正・利用停止請求",
        "# Ⅱ　しきい値判断項目",
        "# ８．人手を介在させる作業",
        "# １１．最も優先度が高いと考えられる対策",
    ];
    let mut from = 0;
    for label in order {
        let at = text[from..]
            .find(label)
            .unwrap_or_else(|| panic!("{label} missing or out of order"));
        from += at;
    }
    for absent in [
        "[[files]]",
        "[procedure",
        "[other_risk",
        "report_kind",
        "full_report",
        "[basic_report.threshold]",
        "※",
    ] {
        assert!(!text.contains(absent), "{absent}");
    }
    // It loads; every item is reported empty, as a 素案 (warnings).
    let o = pia(&["check", "new"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("warning[PIA-E010]: 「Ⅳ ８．人手を介在させる作業 判断の根拠」が未記入です"),
        "{e}"
    );
    assert!(!e.contains("error["), "{e}");
}

#[test]
fn the_town_diffs_between_git_revisions_and_records_its_own_rows() {
    let r = Repo::with(TOWN);
    let dir = r.dir();
    support::copy_dir(&support::root().join("schema"), &r.root.join("schema"));
    let file = dir.join("assessment.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replace(
            "name = \"中間サーバー\"",
            "name = \"中間サーバー・プラットフォーム\"",
        )
        .replace(
            "unauthorized = \"特に力を入れている\"",
            "unauthorized = \"十分である\"",
        );
    std::fs::write(&file, text).unwrap();
    let o = pia(
        &["diff", "--from", "HEAD", "a", "--format", "json"],
        &r.root,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:#?}");
    // The systems are one printed row of names: one change of that row.
    assert_eq!(
        changes[0]["item"],
        "Ⅰ １．特定個人情報ファイルを取り扱う事務 ③システムの名称"
    );
    assert_eq!(changes[0]["kind"], "changed");
    assert_eq!(
        changes[0]["before"],
        "児童手当システム、団体内統合宛名システム、中間サーバー"
    );
    assert_eq!(
        changes[0]["after"],
        "児童手当システム、団体内統合宛名システム、中間サーバー・プラットフォーム"
    );
    assert_eq!(changes[1]["path"], "basic_report.risk.use.unauthorized");
    // No item of a 基礎項目評価書 is ※: both are 事後.
    assert!(changes.iter().all(|c| c["timing"] == "事後"));
    assert_eq!(report["prior_required"], false);
    // Recorded in the town's own （別添） 変更箇所.
    let o = pia(
        &[
            "diff",
            "--from",
            "HEAD",
            "a",
            "--record",
            "--date",
            "2026-11-20",
        ],
        &r.root,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("別添に 2 行を追加しました: a/assessment.toml"),
        "{}",
        stderr(&o)
    );
    let loaded = pia::load::load(&dir).unwrap();
    let rows = &loaded.assessment.changes;
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[2].item,
        "Ⅰ １．特定個人情報ファイルを取り扱う事務 ③システムの名称"
    );
    assert_eq!(rows[2].paths, vec!["basic.systems".to_string()]);
    // A second record adds nothing.
    let o = pia(
        &[
            "diff",
            "--from",
            "HEAD",
            "a",
            "--record",
            "--date",
            "2026-11-20",
        ],
        &r.root,
    );
    assert!(
        stderr(&o).contains("別添に追加する行はありません（記録済み 2 行）"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_basic_form_keeps_unverified_labels_as_data() {
    let form = Catalog::builtin().find("R6.10-yoshiki2").unwrap();
    let unverified = form.unverified();
    // The spec's [MEM] labels: Ⅱ ２．・３．, Ⅲ, Ⅳ and the （別添）, and the version tag.
    for label in [
        "特定個人情報ファイル取扱者数は500人以上か",
        "しきい値判断結果",
        "目的外の入手が行われるリスクへの対策は十分か",
        "（別添） 変更箇所",
    ] {
        assert!(
            unverified.iter().any(|n| n.l.contains(label)),
            "{label} not among {unverified:?}"
        );
    }
    // The [SRC] labels of Ⅰ are verified.
    assert!(!unverified.iter().any(|n| n.l.contains("②事務の概要")));
    assert!(!form.tag_verified);
}
