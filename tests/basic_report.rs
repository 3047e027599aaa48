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

/// The printed 基礎項目評価書: both references derive it from their 全項目評価書, the town prints its
/// standalone one; the labels of the spec (shared/spec/yoshiki2.md) in its order, the computed
/// しきい値判断結果 and the derived Ⅳ answers on the page, an override printed instead of the derived
/// answer, and the notice about unverified labels once on stderr, never on the page.
#[cfg(feature = "render")]
mod printed {
    use super::*;

    /// The labels of the 様式2 as shared/spec/yoshiki2.md lists them, in order (numbers left out:
    /// the spec writes them half-width, the form full-width).
    const SPEC_LABELS: &[&str] = &[
        // Cover.
        "評価書番号",
        "評価書名",
        "個人のプライバシー等の権利利益の保護の宣言",
        "特記事項",
        "評価実施機関名",
        "公表日",
        // Ⅰ
        "関連情報",
        "特定個人情報ファイルを取り扱う事務",
        "事務の名称",
        "事務の概要",
        "システムの名称",
        "特定個人情報ファイル名",
        "個人番号の利用",
        "法令上の根拠",
        "情報提供ネットワークシステムによる情報連携",
        "実施の有無",
        "法令上の根拠",
        "評価実施機関における担当部署",
        "部署",
        "所属長の役職名",
        "他の評価実施機関",
        "特定個人情報の開示・訂正・利用停止請求",
        "請求先",
        "特定個人情報ファイルの取扱いに関する問合せ",
        "連絡先",
        // Ⅱ (the group labels １．対象人数 ２．取扱者数 ３．重大事故 span their rows and are drawn
        // after them: GROUPS_DRAWN_AFTER)
        "しきい値判断項目",
        "評価対象の事務の対象人数は何人か",
        "1,000人未満（任意実施）",
        "1,000人以上1万人未満",
        "1万人以上10万人未満",
        "10万人以上30万人未満",
        "30万人以上",
        "いつ時点の計数か",
        "特定個人情報ファイル取扱者数は500人以上か",
        "500人以上",
        "500人未満",
        "いつ時点の計数か",
        "過去1年以内に、評価実施機関において特定個人情報に関する重大事故が発生したか",
        "発生あり",
        "発生なし",
        // Ⅲ
        "しきい値判断結果",
        "しきい値判断結果",
        "基礎項目評価及び全項目評価の実施が義務付けられる",
        "基礎項目評価及び重点項目評価の実施が義務付けられる",
        "基礎項目評価の実施が義務付けられる",
        "特定個人情報保護評価の実施が義務付けられない",
        // Ⅳ
        "リスク対策",
        "提出する特定個人情報保護評価書の種類",
        "基礎項目評価書及び重点項目評価書",
        "基礎項目評価書及び全項目評価書",
        "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
        "目的外の入手が行われるリスクへの対策は十分か",
        "特に力を入れている",
        "十分である",
        "課題が残されている",
        "特定個人情報の使用",
        "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策は十分か",
        "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスクへの対策は十分か",
        "特定個人情報ファイルの取扱いの委託",
        "委託しない",
        "委託先における不正な使用等のリスクへの対策は十分か",
        "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
        "提供・移転しない",
        "不正な提供・移転が行われるリスクへの対策は十分か",
        "情報提供ネットワークシステムとの接続",
        "接続しない（入手）",
        "接続しない（提供）",
        "目的外の入手が行われるリスクへの対策は十分か",
        "不正な提供が行われるリスクへの対策は十分か",
        "特定個人情報の保管・消去",
        "特定個人情報の漏えい・滅失・毀損リスクへの対策は十分か",
        "人手を介在させる作業",
        "人手を介在させる作業はない",
        "人為的ミスが発生するリスクへの対策は十分か",
        "判断の根拠",
        "監査",
        "実施の有無",
        "自己点検",
        "内部監査",
        "外部監査",
        "従業者に対する教育・啓発",
        "従業者に対する教育・啓発",
        "特に力を入れて行っている",
        "十分に行っている",
        "十分に行っていない",
        "最も優先度が高いと考えられる対策",
        "全項目評価又は重点項目評価を実施する",
        "最も優先度が高いと考えられる対策",
        "当該対策は十分か【再掲】",
        "判断の根拠",
        // （別添）
        "変更箇所",
        "変更日",
        "項目",
        "変更前の記載",
        "変更後の記載",
        "提出時期",
        "提出時期に係る説明",
    ];

    /// Labels of Ⅱ that span the rows of their group: pdftotext reads them after those rows (the
    /// tagged reading order keeps them first). Each is found between the part's heading and Ⅲ.
    const GROUPS_DRAWN_AFTER: &[&str] = &["１．対象人数", "２．取扱者数", "３．重大事故"];

    struct Printed {
        /// pdftotext -raw of the PDF, without whitespace.
        text: String,
        stderr: String,
    }

    /// Renders `dir` (`--form 様式2` when `derived`) and reads the PDF back.
    fn render(dir: &Path, derived: bool) -> Printed {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("basic.pdf");
        let mut args = vec!["render"];
        if derived {
            args.extend(["--form", "様式2"]);
        }
        let dir_s = dir.to_str().unwrap();
        let out_s = out.to_str().unwrap();
        args.extend([dir_s, "-o", out_s]);
        let o = pia(&args, tmp.path());
        assert!(o.status.success(), "{}", stderr(&o));
        let text = Command::new("pdftotext")
            .args(["-raw", out_s, "-"])
            .output()
            .expect("pdftotext (poppler-utils) is installed: bash scripts/setup-debian.sh");
        assert!(text.status.success());
        Printed {
            text: String::from_utf8(text.stdout)
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
            stderr: stderr(&o),
        }
    }

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Every label of the spec, each found after the previous one.
    fn assert_spec_labels_in_order(name: &str, p: &Printed) {
        let mut pos = 0;
        for label in SPEC_LABELS {
            let l = squeeze(label);
            match p.text[pos..].find(&l) {
                Some(i) => pos += i + l.len(),
                None => panic!(
                    "{name}: 「{label}」 not found after the previous label (found earlier: {})",
                    p.text[..pos].contains(&l)
                ),
            }
        }
        let part2 = p.text.rfind("Ⅱしきい値判断項目").unwrap();
        let part3 = p.text.rfind("Ⅲしきい値判断結果").unwrap();
        for label in GROUPS_DRAWN_AFTER {
            assert!(
                p.text[part2..part3].contains(&squeeze(label)),
                "{name}: 「{label}」 not in Ⅱ"
            );
        }
    }

    /// The printed choice 「[ 選択肢 ]」 of `label`, the first after the heading `after` in the body
    /// (after the 項目一覧, whose last entry is the （別添）).
    fn answer_after(p: &Printed, after: &str, label: &str) -> String {
        let toc_end = p.text.find("（別添）変更箇所").unwrap();
        let from = toc_end
            + p.text[toc_end..]
                .find(&squeeze(after))
                .unwrap_or_else(|| panic!("{after}"));
        let at = from
            + p.text[from..]
                .find(&squeeze(label))
                .unwrap_or_else(|| panic!("「{label}」 after 「{after}」"));
        let rest = &p.text[at + squeeze(label).len()..];
        let open = rest.find('[').unwrap();
        let close = rest[open..].find(']').unwrap();
        rest[open + 1..open + close].to_string()
    }

    /// The Ⅳ answers derived by the form's rules, each printed after its label.
    fn assert_derived_answers(name: &str, dir: &Path, p: &Printed) {
        let v = derived(dir);
        let form = Catalog::builtin().find("R6.10-yoshiki2").unwrap();
        let mut checked = 0;
        for node in &form.nodes {
            let Some(set) = node.c.as_deref() else {
                continue;
            };
            if !node.p.starts_with("basic_report.risk.") || node.derive.is_none() {
                continue;
            }
            let Some(id) = at(&v, &node.p).as_str() else {
                continue; // absent (e.g. 委託しない): printed empty
            };
            let group = node.p.rsplit_once('.').unwrap().0;
            let heading = &form.node(group).unwrap().l;
            let expected = form.option_text(set, id);
            assert_eq!(
                answer_after(p, heading, &node.l),
                squeeze(expected),
                "{name}: {} ({})",
                node.l,
                node.p
            );
            checked += 1;
        }
        assert!(
            checked >= 5,
            "{name}: only {checked} derived answers checked"
        );
    }

    fn threshold_result(dir: &Path) -> String {
        let loaded = pia::load::load(dir).unwrap();
        let form2 = Catalog::builtin().find("R6.10-yoshiki2").unwrap();
        let result = pia::threshold::decide_for(&loaded.form, &loaded.assessment.threshold)
            .unwrap()
            .obliged
            .result_option();
        form2
            .option_text("threshold_result", pia::model::Choice::id(result))
            .to_string()
    }

    fn assert_notice_once(name: &str, p: &Printed) {
        assert_eq!(
            p.stderr.matches("注意:").count(),
            1,
            "{name}: one notice expected:\n{}",
            p.stderr
        );
        assert!(
            p.stderr.contains("forms/r6-10-yoshiki2/form.toml"),
            "{name}: the notice names the form file:\n{}",
            p.stderr
        );
        assert!(
            !p.text.contains("注意:"),
            "{name}: the notice is not printed"
        );
    }

    #[test]
    fn both_references_print_their_derived_basic_report() {
        for r in [KANTO, CITY] {
            let dir = support::reference(r);
            let p = render(&dir, true);
            assert_spec_labels_in_order(r, &p);
            assert_eq!(
                answer_after(&p, "Ⅲ しきい値判断結果", "しきい値判断結果"),
                squeeze(&threshold_result(&dir)),
                "{r}: しきい値判断結果"
            );
            assert_eq!(
                answer_after(&p, "Ⅳ リスク対策", "提出する特定個人情報保護評価書の種類"),
                "基礎項目評価書及び全項目評価書"
            );
            assert_derived_answers(r, &dir, &p);
            assert_notice_once(r, &p);
            // The cover prints the 基礎項目評価書's own name.
            let title = derived(&dir)["cover"]["title"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(title.ends_with("基礎項目評価書"), "{title}");
            assert!(p.text.contains(&squeeze(&title)), "{r}: {title}");
        }
    }

    #[test]
    fn an_override_is_printed_instead_of_the_derived_answer() {
        let c = Copy::of(CITY);
        let heading = "特定個人情報の保管・消去";
        let label = "特定個人情報の漏えい・滅失・毀損リスクへの対策は十分か";
        assert_eq!(
            answer_after(&render(&c.dir, true), heading, label),
            "課題が残されている"
        );
        let text = c.read("assessment.toml")
            + "\n[basic_report.risk.retention]\nadequacy = \"特に力を入れている\"\n";
        c.write("assessment.toml", &text);
        assert_eq!(
            answer_after(&render(&c.dir, true), heading, label),
            "特に力を入れている"
        );
    }

    #[test]
    fn the_standalone_town_report_prints() {
        let dir = support::reference(TOWN);
        let p = render(&dir, false);
        assert_spec_labels_in_order(TOWN, &p);
        assert_eq!(
            answer_after(&p, "Ⅲ しきい値判断結果", "しきい値判断結果"),
            "基礎項目評価の実施が義務付けられる"
        );
        assert_eq!(
            answer_after(&p, "Ⅳ リスク対策", "提出する特定個人情報保護評価書の種類"),
            "基礎項目評価書"
        );
        assert_notice_once(TOWN, &p);
    }
}
