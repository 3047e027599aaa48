//! The consistency rules of `pia check` (spec §D): each test breaks one thing in the reference
//! assessment and asserts the code, the printed item and the line of the finding.

use std::collections::HashMap;
use std::path::Path;

use pia::check::{Options, check};
use pia::diag::{Diagnostic, Severity};
use pia::model::Date;

mod support;

use support::KANTO_DIR as REF;
const MAIN: &str = "assessment.toml";
const FILE: &str = "file-kikan.toml";
const CHANGES: &str = "changes.toml";
const ATTACH: &str = "attachments.toml";

/// One text edit of a file of the assessment.
enum Edit<'a> {
    /// Replace the first occurrence.
    One(&'a str, &'a str, &'a str),
    /// Replace the n-th occurrence (0-based).
    Nth(&'a str, &'a str, &'a str, usize),
    /// Replace every occurrence.
    All(&'a str, &'a str, &'a str),
    /// Append text at the end.
    Append(&'a str, String),
    /// Replace the value after `key = ` (a one-line or a multi-line string) with another value.
    Value(&'a str, &'a str, &'a str),
}

struct Fx {
    _dir: tempfile::TempDir,
    texts: HashMap<String, String>,
    diags: Vec<Diagnostic>,
}

fn today(y: i16, m: i8, d: i8) -> Options {
    Options {
        strict: false,
        today: Some(Date::new(y, m, d).unwrap()),
        ..Default::default()
    }
}

/// A "today" at which neither the yearly review nor the 5-year rule is due for the seed.
fn opts() -> Options {
    today(2025, 7, 1)
}

fn run(edits: &[Edit], opts: &Options) -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("kanto-it-kenpo");
    std::fs::create_dir(&target).unwrap();
    let mut texts = HashMap::new();
    for entry in std::fs::read_dir(REF).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            texts.insert(name, std::fs::read_to_string(&p).unwrap());
        } else if p.is_dir() {
            // figures/ (the 別添1 figure)
            support::copy_dir(&p, &target.join(p.file_name().unwrap()));
        }
    }
    for e in edits {
        match e {
            Edit::One(f, from, to) => {
                let t = texts.get_mut(*f).unwrap();
                assert!(t.contains(from), "{f} does not contain {from:?}");
                *t = t.replacen(from, to, 1);
            }
            Edit::Nth(f, from, to, n) => {
                let t = texts.get_mut(*f).unwrap();
                let pos = t
                    .match_indices(from)
                    .nth(*n)
                    .unwrap_or_else(|| panic!("{f}: no occurrence {n} of {from:?}"))
                    .0;
                t.replace_range(pos..pos + from.len(), to);
            }
            Edit::All(f, from, to) => {
                let t = texts.get_mut(*f).unwrap();
                assert!(t.contains(from), "{f} does not contain {from:?}");
                *t = t.replace(from, to);
            }
            Edit::Append(f, s) => texts.get_mut(*f).unwrap().push_str(s),
            Edit::Value(f, key, value) => {
                let t = texts.get_mut(*f).unwrap();
                let start = t.find(key).unwrap_or_else(|| panic!("{f}: no {key:?}")) + key.len();
                let end = if t[start..].starts_with("\"\"\"") {
                    start + 3 + t[start + 3..].find("\"\"\"").unwrap() + 3
                } else {
                    start + t[start..].find('\n').unwrap()
                };
                t.replace_range(start..end, value);
            }
        }
    }
    for (name, text) in &texts {
        std::fs::write(target.join(name), text).unwrap();
    }
    let loaded = pia::load::load(&target)
        .unwrap_or_else(|e| panic!("fixture does not load: {:?}", e.diagnostics));
    let diags = check(&loaded, opts);
    Fx {
        _dir: dir,
        texts,
        diags,
    }
}

impl Fx {
    /// 1-based line of the n-th occurrence of `needle` in a file of the fixture.
    fn line_nth(&self, file: &str, needle: &str, n: usize) -> usize {
        let t = &self.texts[file];
        let pos = t
            .match_indices(needle)
            .nth(n)
            .unwrap_or_else(|| panic!("{file}: no {needle:?}"))
            .0;
        t[..pos].matches('\n').count() + 1
    }
    fn line(&self, file: &str, needle: &str) -> usize {
        self.line_nth(file, needle, 0)
    }
    fn list(&self) -> String {
        self.diags
            .iter()
            .map(|d| format!("{} {} {} | {}\n", d.code, d.path, d.location(), d.message))
            .collect()
    }
    fn get(&self, code: &str, path: &str) -> &Diagnostic {
        self.diags
            .iter()
            .find(|d| d.code == code && d.path == path)
            .unwrap_or_elem(|| panic!("no {code} at {path}; found:\n{}", self.list()))
    }
    fn has(&self, code: &str) -> bool {
        self.diags.iter().any(|d| d.code == code)
    }
    /// Asserts a finding: code, TOML path, printed item, file and line.
    fn assert(&self, code: &str, path: &str, item: &str, file: &str, line: usize) -> &Diagnostic {
        let d = self.get(code, path);
        assert_eq!(d.item, item, "item of {code}");
        let pos = d.position.as_ref().expect("position");
        assert_eq!(
            pos.file.file_name().unwrap().to_string_lossy(),
            file,
            "file of {code}"
        );
        assert_eq!(pos.line, line, "line of {code}: {}", self.list());
        let expected = if code.starts_with("PIA-E") {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert_eq!(d.severity, expected);
        d
    }
}

trait OrElem<T> {
    fn unwrap_or_elem(self, f: impl FnOnce() -> T) -> T;
}
impl<T> OrElem<T> for Option<T> {
    fn unwrap_or_elem(self, f: impl FnOnce() -> T) -> T {
        match self {
            Some(v) => v,
            None => f(),
        }
    }
}

fn errors(fx: &Fx) -> Vec<String> {
    fx.diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {} {}", d.code, d.path, d.message))
        .collect()
}

// ---------------------------------------------------------------- the reference

#[test]
fn reference_has_no_error_and_reports_the_seed_inconsistencies() {
    let fx = run(&[], &opts());
    assert!(errors(&fx).is_empty(), "{}", fx.list());
    let mut codes: Vec<&str> = fx.diags.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes,
        [
            "PIA-W012", "PIA-W051", "PIA-W053", "PIA-W054", "PIA-W222", "PIA-W223", "PIA-W224",
            "PIA-W225"
        ],
        "{}",
        fx.list()
    );

    // Appendix 1 item 1: 25件 vs 26 rows of 別紙１ (and 24 提供 項 in Ⅰ６．②).
    let status = "files[0].overview.provision.status.\"提供を行っている\"";
    let item = "Ⅱ ５．特定個人情報の提供・移転（委託に伴うものを除く。） 提供・移転の有無 提供を行っている";
    let line = fx.line(FILE, "status = { \"提供を行っている\" = 25 }");
    let d = fx.assert("PIA-W051", status, item, FILE, line);
    assert!(
        d.message.contains("25件") && d.message.contains("26行") && d.message.contains("別紙１"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap().contains("UNVERIFIED"));
    let d = fx.assert("PIA-W054", status, item, FILE, line);
    assert!(d.message.contains("24項"), "{}", d.message);
    // Item 2: 別紙１ still cites 別表第2.
    let d = fx.assert(
        "PIA-W053",
        "attachments[0].rows",
        "別紙1 行",
        ATTACH,
        fx.line(ATTACH, "rows = ["),
    );
    assert!(
        d.message.contains("26行中26行") && d.message.contains("別表第2"),
        "{}",
        d.message
    );
    // Item 3: 「…重要な変更」 filed 事後 (令和4年11月1日 Ⅰ６．②).
    let line = fx.line(
        CHANGES,
        "timing_reason = \"公金受取口座情報取得のための重要な変更\"",
    ) - 1;
    let d = fx.assert(
        "PIA-W222",
        "changes[38].timing",
        "（別添３） 変更箇所 39行目 提出時期",
        CHANGES,
        line,
    );
    assert!(d.message.contains("令和4年11月1日"), "{}", d.message);
    // Item 4: the 暗号化処理 row twice.
    let line = fx.line(
        CHANGES,
        "リスク１：特定個人情報の漏えい・滅失・毀損リスク\n　⑥技術的対策\"\"\"",
    ) - 2;
    let d = fx.assert(
        "PIA-W223",
        "changes[55].item",
        "（別添３） 変更箇所 56行目 項目",
        CHANGES,
        line,
    );
    assert!(d.message.contains("48行目"), "{}", d.message);
    // Item 5: 「（別表２）」.
    let d = fx.assert(
        "PIA-W225",
        "changes[94].item",
        "（別添３） 変更箇所 95行目 項目",
        CHANGES,
        fx.line(CHANGES, "item = \"（別表２）"),
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("（別添２）特定個人情報ファイル記録項目")
    );
    // Item 6: empty 提出時期に係る説明 (six 令和4年11月1日 rows).
    let empty: Vec<&Diagnostic> = fx.diags.iter().filter(|d| d.code == "PIA-W224").collect();
    assert_eq!(empty.len(), 6, "{}", fx.list());
    assert_eq!(empty[0].path, "changes[47].timing_reason");
    assert_eq!(
        empty[0].position.as_ref().unwrap().line,
        fx.line(CHANGES, "timing_reason = \"\"")
    );
    assert!(empty[0].help.as_deref().unwrap().contains("UNVERIFIED"));
}

// ---------------------------------------------------------------- D-3, D-4

#[test]
fn d3_entrustment_count_vs_blocks() {
    let fx = run(&[Edit::One(FILE, "count = 4", "count = 3")], &opts());
    let d = fx.assert(
        "PIA-E030",
        "files[0].overview.entrustment.count",
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項の件数",
        FILE,
        fx.line(FILE, "count = 3"),
    );
    assert!(d.message.contains("3件") && d.message.contains("4件"));
}

#[test]
fn d3_not_entrusted_box() {
    let fx = run(
        &[Edit::One(
            FILE,
            "not_entrusted = false",
            "not_entrusted = true",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E031",
        "files[0].risk.entrustment.not_entrusted",
        "Ⅲ ４．特定個人情報ファイルの取扱いの委託 委託しない",
        FILE,
        fx.line(FILE, "not_entrusted = true"),
    );
}

#[test]
fn d3_not_entrusted_with_measures() {
    let fx = run(
        &[Edit::One(
            FILE,
            "status = \"委託する\"\ncount = 4",
            "status = \"委託しない\"\ncount = 4",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E030",
        "files[0].overview.entrustment.count",
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項の件数",
        FILE,
        fx.line(FILE, "count = 4"),
    );
    fx.assert(
        "PIA-E031",
        "files[0].risk.entrustment.not_entrusted",
        "Ⅲ ４．特定個人情報ファイルの取扱いの委託 委託しない",
        FILE,
        fx.line(FILE, "not_entrusted = false"),
    );
}

#[test]
fn d4_subcontract_texts_when_not_subcontracting() {
    let fx = run(
        &[Edit::One(
            FILE,
            "status = \"再委託しない\"",
            "status = \"再委託しない\"\nmatters = \"保守業務\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E040",
        "files[0].overview.entrustment.items[0].subcontract.matters",
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項1 ⑨再委託事項",
        FILE,
        fx.line(FILE, "matters = \"保守業務\""),
    );
}

#[test]
fn d4_no_subcontract_answer_vs_blocks() {
    let fx = run(
        &[Edit::One(
            FILE,
            "subcontractor_assurance = \"十分に行っている\"",
            "subcontractor_assurance = \"再委託していない\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E041",
        "files[0].risk.entrustment.subcontractor_assurance",
        "Ⅲ ４．特定個人情報ファイルの取扱いの委託 再委託先による特定個人情報ファイルの適切な取扱いの確保",
        FILE,
        fx.line(FILE, "subcontractor_assurance = \"再委託していない\""),
    );
}

// ---------------------------------------------------------------- D-5, D-6

#[test]
fn d5_none_with_provision() {
    let fx = run(
        &[Edit::One(
            FILE,
            "{ \"提供を行っている\" = 25 }",
            "{ \"提供を行っている\" = 25, \"行っていない\" = true }",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E050",
        "files[0].overview.provision.status.\"行っていない\"",
        "Ⅱ ５．特定個人情報の提供・移転（委託に伴うものを除く。） 提供・移転の有無 行っていない",
        FILE,
        fx.line(FILE, "status = { \"提供を行っている\""),
    );
}

#[test]
fn d5_count_vs_blocks_without_attachment() {
    let fx = run(
        &[Edit::All(
            FILE,
            "別紙１「特定個人情報の提供先一覧」を参照",
            "各提供先の一覧は省略",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-E051",
        "files[0].overview.provision.status.\"提供を行っている\"",
        "Ⅱ ５．特定個人情報の提供・移転（委託に伴うものを除く。） 提供・移転の有無 提供を行っている",
        FILE,
        fx.line(FILE, "status = { \"提供を行っている\" = 25 }"),
    );
    assert!(
        d.message.contains("25件") && d.message.contains("1件"),
        "{}",
        d.message
    );
    assert!(!fx.has("PIA-W051"));
}

#[test]
fn d5_count_matches_attachment() {
    let fx = run(
        &[Edit::One(
            FILE,
            "\"提供を行っている\" = 25",
            "\"提供を行っている\" = 26",
        )],
        &opts(),
    );
    assert!(!fx.has("PIA-W051"), "{}", fx.list());
    assert!(!fx.has("PIA-E051"));
}

#[test]
fn d6_provision_none_with_other_method() {
    let fx = run(
        &[Edit::One(
            FILE,
            "methods = { \"情報提供ネットワークシステム\" = true }",
            "methods = { \"情報提供ネットワークシステム\" = true, \"専用線\" = true }",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E060",
        "files[0].risk.provision.none",
        "Ⅲ ５．特定個人情報の提供・移転 提供・移転しない",
        FILE,
        fx.line(FILE, "none = true"),
    );
}

#[test]
fn d6_provision_none_with_fields() {
    let fx = run(
        &[Edit::One(
            FILE,
            "none = true",
            "none = true\nother_risks = \"なし\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E061",
        "files[0].risk.provision.other_risks",
        "Ⅲ ５．特定個人情報の提供・移転 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）におけるその他のリスク及びそのリスクに対する措置",
        FILE,
        fx.line(FILE, "other_risks = \"なし\"\n\n[files.risk.network]"),
    );
}

// ---------------------------------------------------------------- D-7

#[test]
fn d7_no_acquire_with_risks() {
    let fx = run(
        &[Edit::One(FILE, "no_acquire = false", "no_acquire = true")],
        &opts(),
    );
    let r1 = fx.line(FILE, "[files.risk.network.r1]") + 1;
    let d = fx.assert(
        "PIA-W070",
        "files[0].risk.network.r1.measures",
        "Ⅲ ６．情報提供ネットワークシステムとの接続 リスク１ リスクに対する措置の内容",
        FILE,
        r1,
    );
    assert!(d.help.as_deref().unwrap().contains("UNVERIFIED"));
    // Ⅱ３．② 入手方法 lists the network.
    fx.assert(
        "PIA-E072",
        "files[0].risk.network.no_acquire",
        "Ⅲ ６．情報提供ネットワークシステムとの接続 接続しない（入手）",
        FILE,
        fx.line(FILE, "no_acquire = true"),
    );
}

#[test]
fn d7_linkage_not_done_needs_both_boxes() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "status = \"実施する\"",
            "status = \"実施しない\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E071",
        "files[0].risk.network.no_provide",
        "Ⅲ ６．情報提供ネットワークシステムとの接続 接続しない（提供）",
        FILE,
        fx.line(FILE, "no_provide = false"),
    );
}

#[test]
fn d7_no_system_connected() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "connections = { \"情報提供ネットワークシステム\" = true, ",
            "connections = { ",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W073",
        "basic.info_linkage.status",
        "Ⅰ ６．情報提供ネットワークシステムによる情報連携 ①実施の有無",
        MAIN,
        fx.line(MAIN, "status = \"実施する\""),
    );
    assert!(d.help.as_deref().unwrap().contains("UNVERIFIED"));
}

// ---------------------------------------------------------------- D-8, D-9

#[test]
fn d8_incident_detail_without_incident() {
    let fx = run(
        &[Edit::One(
            FILE,
            "serious_incident = \"発生なし\"",
            "serious_incident = \"発生なし\"\nserious_incident_detail = \"書類の誤送付\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E080",
        "files[0].risk.retention.r1.serious_incident_detail",
        "Ⅲ ７．特定個人情報の保管・消去 リスク１ ⑨過去３年以内に、評価実施機関において、個人情報に関する重大事故が発生したか その内容",
        FILE,
        fx.line(FILE, "serious_incident_detail"),
    );
}

#[test]
fn d8_threshold_incident_implies_occurred() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "serious_incident_1y = false",
            "serious_incident_1y = true",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E081",
        "files[0].risk.retention.r1.serious_incident",
        "Ⅲ ７．特定個人情報の保管・消去 リスク１ ⑨過去３年以内に、評価実施機関において、個人情報に関する重大事故が発生したか",
        FILE,
        fx.line(FILE, "serious_incident = \"発生なし\""),
    );
}

#[test]
fn d9_deceased_method_when_not_kept() {
    let fx = run(
        &[Edit::One(
            FILE,
            "deceased_numbers = \"保管している\"",
            "deceased_numbers = \"保管していない\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E090",
        "files[0].risk.retention.r1.deceased_numbers_method",
        "Ⅲ ７．特定個人情報の保管・消去 リスク１ ⑩死者の個人番号 具体的な保管方法",
        FILE,
        fx.line(FILE, "deceased_numbers_method"),
    );
}

// ---------------------------------------------------------------- D-10

#[test]
fn d10_negative_answer_needs_explanation() {
    let fx = run(
        &[Edit::One(
            FILE,
            "user_auth = \"行っている\"",
            "user_auth = \"行っていない\"",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W100",
        "files[0].risk.use.r2.user_auth",
        "Ⅲ ３．特定個人情報の使用 リスク２ ユーザ認証の管理",
        FILE,
        fx.line(FILE, "user_auth = \"行っていない\""),
    );
    assert!(d.message.contains("その他の措置の内容"), "{}", d.message);
    // The detail text is no longer required (E part of D-10, via exempt): no error.
    assert!(errors(&fx).is_empty(), "{}", fx.list());
}

#[test]
fn d10_negative_answer_explained() {
    let fx = run(
        &[
            Edit::One(
                FILE,
                "user_auth = \"行っている\"",
                "user_auth = \"行っていない\"",
            ),
            Edit::Nth(
                FILE,
                "other_measures = \"なし\"\nadequacy = \"十分である\"\n\n[files.risk.use.r3]",
                "other_measures = \"共用端末のため、入退室管理で代替している。\"\nadequacy = \"十分である\"\n\n[files.risk.use.r3]",
                0,
            ),
        ],
        &opts(),
    );
    assert!(!fx.has("PIA-W100"), "{}", fx.list());
}

#[test]
fn d10_issues_remain_without_plan() {
    let fx = run(
        &[Edit::Nth(
            FILE,
            "adequacy = \"十分である\"",
            "adequacy = \"課題が残されている\"",
            0,
        )],
        &opts(),
    );
    fx.assert(
        "PIA-W101",
        "files[0].risk.acquisition.r1.adequacy",
        "Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か",
        FILE,
        fx.line(FILE, "adequacy = \"課題が残されている\""),
    );
}

#[test]
fn d10_issues_remain_with_plan() {
    let fx = run(
        &[
            Edit::Nth(
                FILE,
                "adequacy = \"十分である\"",
                "adequacy = \"課題が残されている\"",
                0,
            ),
            Edit::Nth(
                FILE,
                "other_measures = \"なし\"",
                "other_measures = \"令和8年3月までに入手元の確認手順を見直す予定である。\"",
                0,
            ),
        ],
        &opts(),
    );
    assert!(!fx.has("PIA-W101"), "{}", fx.list());
}

// ---------------------------------------------------------------- D-11

#[test]
fn d11_fee_detail_when_free() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "fee = \"無料\"",
            "fee = \"無料\"\nfee_detail = \"1件300円\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E110",
        "disclosure.request.fee_detail",
        "Ⅴ １．特定個人情報の開示・訂正・利用停止請求 ③手数料等 手数料額、納付方法",
        MAIN,
        fx.line(MAIN, "fee_detail = "),
    );
}

#[test]
fn d11_paid_needs_fee_detail() {
    let fx = run(
        &[Edit::One(MAIN, "fee = \"無料\"", "fee = \"有料\"")],
        &opts(),
    );
    fx.assert(
        "PIA-E010",
        "disclosure.request.fee_detail",
        "Ⅴ １．特定個人情報の開示・訂正・利用停止請求 ③手数料等 手数料額、納付方法",
        MAIN,
        fx.line(MAIN, "[disclosure.request]"),
    );
}

#[test]
fn d11_register_published_needs_place() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "register_published = \"行っていない\"",
            "register_published = \"行っている\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E010",
        "disclosure.request.register_place",
        "Ⅴ １．特定個人情報の開示・訂正・利用停止請求 ④個人情報ファイル簿の公表 公表場所",
        MAIN,
        fx.line(MAIN, "[disclosure.request]"),
    );
}

// ---------------------------------------------------------------- D-12 … D-15

#[test]
fn d12_short_comment_period() {
    let fx = run(
        &[Edit::One(MAIN, "start = 2023-12-15", "start = 2023-12-20")],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W120",
        "procedure.public_comment.shortening_reason",
        "Ⅵ ２．国民・住民等からの意見の聴取 ③期間を短縮する特段の理由",
        MAIN,
        fx.line(MAIN, "shortening_reason"),
    );
    assert!(d.message.contains("26日間"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("UNVERIFIED"));
}

#[test]
fn d12_period_reversed() {
    let fx = run(
        &[Edit::One(MAIN, "end = 2024-01-14", "end = 2023-11-14")],
        &opts(),
    );
    fx.assert(
        "PIA-E121",
        "procedure.public_comment.period.end",
        "Ⅵ ２．国民・住民等からの意見の聴取 ②実施日・期間",
        MAIN,
        fx.line(MAIN, "period = {"),
    );
}

#[test]
fn d13_submission_after_approval() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "submitted_on = 2024-01-29",
            "submitted_on = 2024-02-05",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-E130",
        "cover.ppc_approved_on",
        "個人情報保護委員会　承認日　【行政機関等のみ】",
        MAIN,
        fx.line(MAIN, "ppc_approved_on = "),
    );
    assert!(
        d.message.contains("令和6年1月31日") && d.message.contains("令和6年2月5日"),
        "{}",
        d.message
    );
}

#[test]
fn d13_holding_after_use() {
    let fx = run(
        &[Edit::One(
            FILE,
            "holding_start = 2016-10-03",
            "holding_start = 2016-11-03",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-W131",
        "files[0].overview.basic.holding_start",
        "Ⅱ ２．基本情報 ⑤保有開始日",
        FILE,
        fx.line(FILE, "holding_start"),
    );
}

#[test]
fn d14_gov_needs_approval_date() {
    let fx = run(
        &[Edit::One(MAIN, "ppc_approved_on = 2024-01-31", "")],
        &opts(),
    );
    fx.assert(
        "PIA-E140",
        "cover.ppc_approved_on",
        "個人情報保護委員会　承認日　【行政機関等のみ】",
        MAIN,
        fx.line(MAIN, "[cover]"),
    );
}

#[test]
fn d14_local_gov_without_approval() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "org_kind = \"行政機関等\"",
            "org_kind = \"地方公共団体等\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E141",
        "cover.ppc_approved_on",
        "個人情報保護委員会　承認日　【行政機関等のみ】",
        MAIN,
        fx.line(MAIN, "ppc_approved_on = "),
    );
    fx.assert(
        "PIA-E141",
        "procedure.ppc_approval.submitted_on",
        "Ⅵ ４．個人情報保護委員会の承認　【行政機関等のみ】 ①提出日",
        MAIN,
        fx.line(MAIN, "submitted_on = "),
    );
}

#[test]
fn d15_threshold_result_vs_computed() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "threshold_result = \"基礎項目評価及び全項目評価の実施が義務付けられる\"",
            "threshold_result = \"基礎項目評価の実施が義務付けられる（任意に全項目評価を実施）\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E150",
        "procedure.basic_assessment.threshold_result",
        "Ⅵ １．基礎項目評価 ②しきい値判断結果",
        MAIN,
        fx.line(MAIN, "threshold_result = "),
    );
}

#[test]
fn d15_threshold_population_vs_affair() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "population = \"30万人以上\"",
            "population = \"10万人以上30万人未満\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E151",
        "threshold.population",
        "対象人数",
        MAIN,
        fx.line(MAIN, "population = "),
    );
    // 10万人以上30万人未満, 500人未満, no incident ⇒ 重点項目評価: Ⅵ-1② no longer matches either.
    let d = fx.get("PIA-E150", "procedure.basic_assessment.threshold_result");
    assert!(
        d.message.contains(
            "基礎項目評価及び重点項目評価の実施が義務付けられる（任意に全項目評価を実施）"
        ),
        "{}",
        d.message
    );
}

// ---------------------------------------------------------------- D-16 … D-21

#[test]
fn d16_file_band_below_entrusted_band() {
    let fx = run(
        &[Edit::One(
            FILE,
            "subject_count = \"10万人以上100万人未満\"",
            "subject_count = \"1万人未満\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E160",
        "files[0].overview.entrustment.items[0].subject_count",
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項1 ②取扱いを委託する特定個人情報ファイルの範囲 対象となる本人の数",
        FILE,
        fx.line_nth(FILE, "subject_count = \"10万人以上100万人未満\"", 0),
    );
    fx.assert(
        "PIA-E160",
        "basic.affairs.target_population",
        "Ⅰ １．特定個人情報ファイルを取り扱う事務 ③対象人数",
        MAIN,
        fx.line(MAIN, "target_population = "),
    );
}

#[test]
fn d16_whole_file_other_band() {
    let fx = run(
        &[Edit::Nth(
            FILE,
            "subject_count = \"10万人以上100万人未満\"",
            "subject_count = \"1万人以上10万人未満\"",
            1,
        )],
        &opts(),
    );
    fx.assert(
        "PIA-W161",
        "files[0].overview.entrustment.items[0].subject_count",
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項1 ②取扱いを委託する特定個人情報ファイルの範囲 対象となる本人の数",
        FILE,
        fx.line(FILE, "subject_count = \"1万人以上10万人未満\""),
    );
}

#[test]
fn d17_handlers_at_least_500() {
    let fx = run(
        &[Edit::One(
            FILE,
            "user_count = \"50人以上100人未満\"",
            "user_count = \"500人以上1,000人未満\"",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-E170",
        "threshold.handlers",
        "取扱者数",
        MAIN,
        fx.line(MAIN, "handlers = "),
    );
    assert!(d.message.contains("500人以上になります"), "{}", d.message);
}

#[test]
fn d17_handlers_below_500() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "handlers = \"500人未満\"",
            "handlers = \"500人以上\"",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W171",
        "threshold.handlers",
        "取扱者数",
        MAIN,
        fx.line(MAIN, "handlers = "),
    );
    // 使用者数 99 + 委託先 49 + 3 × 99.
    assert!(d.message.contains("最大445人"), "{}", d.message);
}

#[test]
fn d18_item_count_vs_attachment2() {
    let fx = run(
        &[Edit::One(
            FILE,
            "item_count = \"100項目以上\"",
            "item_count = \"50項目以上100項目未満\"",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W180",
        "files[0].overview.basic.item_count",
        "Ⅱ ２．基本情報 ④記録される項目",
        FILE,
        fx.line(FILE, "item_count"),
    );
    assert!(d.message.contains("161項目"), "{}", d.message);
}

#[test]
fn d19_undefined_retention_needs_reason() {
    let fx = run(
        &[
            Edit::One(
                FILE,
                "period = \"20年以上\"",
                "period = \"定められていない\"",
            ),
            Edit::Value(FILE, "period_rationale = ", "\"なし\""),
        ],
        &opts(),
    );
    fx.assert(
        "PIA-W190",
        "files[0].overview.retention.period_rationale",
        "Ⅱ ６．特定個人情報の保管・消去 ②保管期間 その妥当性",
        FILE,
        fx.line(FILE, "period_rationale = \"なし\""),
    );
    // The seed's long explanation is accepted.
    assert!(
        !run(
            &[Edit::One(
                FILE,
                "period = \"20年以上\"",
                "period = \"定められていない\""
            )],
            &opts()
        )
        .has("PIA-W190")
    );
}

#[test]
fn d20_file_names() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "file_names = [\"健康保険基幹情報ファイル\"]",
            "file_names = [\"健康保険基幹ファイル\"]",
        )],
        &opts(),
    );
    let line = fx.line(MAIN, "file_names = ");
    fx.assert(
        "PIA-E200",
        "basic.file_names",
        "Ⅰ ３．特定個人情報ファイル名",
        MAIN,
        line,
    );
    fx.assert(
        "PIA-E201",
        "files[0].overview.file_name",
        "Ⅱ １．特定個人情報ファイル名",
        FILE,
        fx.line(FILE, "file_name = "),
    );
}

#[test]
fn d20_risk_file_name() {
    let fx = run(
        &[Edit::Nth(
            FILE,
            "file_name = \"健康保険基幹情報ファイル\"",
            "file_name = \"健康保険基幹情報\"",
            1,
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E202",
        "files[0].risk.file_name",
        "Ⅲ １．特定個人情報ファイル名",
        FILE,
        fx.line(FILE, "file_name = \"健康保険基幹情報\""),
    );
}

#[test]
fn d21_too_many_systems() {
    let extra: String = (4..=21).map(|n| format!("\n[[basic.systems]]\nname = \"追加システム{n}\"\nfunctions = \"検証用\"\nconnections = {{ \"庁内連携システム\" = true }}\n")).collect();
    let fx = run(&[Edit::Append(MAIN, extra)], &opts());
    fx.assert(
        "PIA-E210",
        "basic.systems[20]",
        "Ⅰ ２．特定個人情報ファイルを取り扱う事務において使用するシステム システム21",
        MAIN,
        fx.line(MAIN, "name = \"追加システム21\"") - 1,
    );
}

#[test]
fn d21_many_entrusted_items() {
    let extra: String = (5..=21)
        .map(|n| format!("\n[[files.overview.entrustment.items]]\ntitle = \"追加委託{n}\"\ncontent = \"検証用\"\nscope = \"特定個人情報ファイルの一部\"\nsubject_count = \"1万人未満\"\nsubject_scope = \"検証用\"\nscope_rationale = \"検証用\"\nhandler_count = \"10人未満\"\ntransfer_methods = {{ \"紙\" = true }}\nname_disclosure = \"検証用\"\ncontractor_name = \"検証用\"\nsubcontract = {{ status = \"再委託しない\" }}\n"))
        .collect();
    let fx = run(
        &[
            Edit::Append(FILE, extra),
            Edit::One(FILE, "count = 4", "count = 21"),
        ],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W211",
        "files[0].overview.entrustment.items[20]",
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項21",
        FILE,
        fx.line(FILE, "title = \"追加委託21\"") - 1,
    );
    assert!(d.help.as_deref().unwrap().contains("UNVERIFIED"));
    assert!(!fx.has("PIA-E030"), "{}", fx.list());
}

// ---------------------------------------------------------------- D-22

#[test]
fn d22_missing_timing() {
    let fx = run(
        &[Edit::One(
            CHANGES,
            "timing = \"事後\"\ntiming_reason = \"重要な変更に当たらない形式的な変更\"",
            "timing_reason = \"重要な変更に当たらない形式的な変更\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E220",
        "changes[0].timing",
        "（別添３） 変更箇所 1行目 提出時期",
        CHANGES,
        fx.line(CHANGES, "[[changes]]"),
    );
}

#[test]
fn d22_same_as_above_on_first_row() {
    let fx = run(
        &[Edit::One(
            CHANGES,
            "timing_reason = \"重要な変更に当たらない形式的な変更\"",
            "timing_reason = \"同上\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E221",
        "changes[0].timing_reason",
        "（別添３） 変更箇所 1行目 提出時期に係る説明",
        CHANGES,
        fx.line(CHANGES, "timing_reason = \"同上\""),
    );
}

#[test]
fn d22_important_but_after() {
    let fx = run(
        &[Edit::One(
            CHANGES,
            "timing = \"事前\"\ntiming_reason = \"重要な変更\"",
            "timing = \"事後\"\ntiming_reason = \"重要な変更\"",
        )],
        &opts(),
    );
    let line = fx.line(
        CHANGES,
        "timing = \"事後\"\ntiming_reason = \"重要な変更\"\n",
    );
    let d = fx
        .diags
        .iter()
        .find(|d| d.code == "PIA-W222" && d.position.as_ref().unwrap().line == line)
        .unwrap_or_else(|| panic!("{}", fx.list()));
    assert_eq!(d.item, "（別添３） 変更箇所 17行目 提出時期");
}

#[test]
fn d22_duplicate_row() {
    // A copy of an existing row appended at the end of 別添3.
    let text = std::fs::read_to_string(Path::new(REF).join(CHANGES)).unwrap();
    let rows = text.matches("[[changes]]").count();
    let start = text.find("[[changes]]\nchanged_on = 2022-11-01\nitem = \"\"\"\nⅢ-３．特定個人情報の使用\nリスク4").unwrap();
    let end = start + text[start..].find("timing_reason").unwrap();
    let end = end + text[end..].find('\n').unwrap() + 1;
    let copy = format!("\n{}", &text[start..end]);
    let fx = run(&[Edit::Append(CHANGES, copy)], &opts());
    let d = fx.assert(
        "PIA-W223",
        &format!("changes[{rows}].item"),
        &format!("（別添３） 変更箇所 {}行目 項目", rows + 1),
        CHANGES,
        fx.line_nth(CHANGES, "Ⅲ-３．特定個人情報の使用\nリスク4", 1) - 1,
    );
    assert!(d.message.contains("同じ変更"), "{}", d.message);
}

#[test]
fn d22_unknown_item() {
    let fx = run(
        &[Edit::One(
            CHANGES,
            "item = \"評価書全般\"",
            "item = \"表紙の宣言文\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-W225",
        "changes[0].item",
        "（別添３） 変更箇所 1行目 項目",
        CHANGES,
        fx.line(CHANGES, "item = \"表紙の宣言文\""),
    );
}

// ---------------------------------------------------------------- D-26 … D-30

#[test]
fn d26_yearly_review() {
    let fx = run(&[], &today(2026, 6, 2));
    let d = fx.assert(
        "PIA-W261",
        "cover.published_on",
        "公表日",
        MAIN,
        fx.line(MAIN, "published_on = "),
    );
    assert!(d.message.contains("令和7年6月1日"), "{}", d.message);
    assert!(!run(&[], &today(2026, 6, 1)).has("PIA-W261"));
}

#[test]
fn d26_five_years() {
    let line_of = |fx: &Fx| fx.line(MAIN, "ppc_approved_on = ");
    let soon = run(&[], &today(2028, 8, 1));
    let d = soon.assert(
        "PIA-W260",
        "cover.ppc_approved_on",
        "個人情報保護委員会　承認日　【行政機関等のみ】",
        MAIN,
        line_of(&soon),
    );
    assert!(
        d.message.contains("令和11年1月31日に5年を経過"),
        "{}",
        d.message
    );
    let late = run(&[], &today(2029, 2, 1));
    let d = late.assert(
        "PIA-W260",
        "cover.ppc_approved_on",
        "個人情報保護委員会　承認日　【行政機関等のみ】",
        MAIN,
        line_of(&late),
    );
    assert!(d.message.contains("5年が経過しています"), "{}", d.message);
    // Never an error (effort duty).
    assert!(errors(&late).is_empty());
    assert!(!run(&[], &today(2028, 7, 30)).has("PIA-W260"));
}

#[test]
fn d27_ended_affair() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "org_kind = \"行政機関等\"",
            "org_kind = \"行政機関等\"\nended_on = 2025-03-31",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-E270",
        "cover.title",
        "評価書名",
        MAIN,
        fx.line(MAIN, "title = "),
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("【令和7年3月31日 終了】")
    );
    let ok = run(
        &[
            Edit::One(
                MAIN,
                "org_kind = \"行政機関等\"",
                "org_kind = \"行政機関等\"\nended_on = 2025-03-31",
            ),
            Edit::One(
                MAIN,
                "関係事務　全項目評価書\"",
                "関係事務　全項目評価書【令和7年3月31日 終了】\"",
            ),
        ],
        &opts(),
    );
    assert!(!ok.has("PIA-E270") && !ok.has("PIA-W271"), "{}", ok.list());
}

#[test]
fn d28_purpose_change_validity_required() {
    let fx = run(
        &[Edit::One(
            FILE,
            "purpose_change_validity = \"使用目的の変更なし\"",
            "purpose_change_validity = \"\"",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-E010",
        "files[0].overview.use.purpose_change_validity",
        "Ⅱ ３．特定個人情報の入手・使用 ⑥使用目的 変更の妥当性",
        FILE,
        fx.line(FILE, "purpose_change_validity"),
    );
}

#[test]
fn d29_assessment_number() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "assessment_number = 1",
            "assessment_number = 0",
        )],
        &opts(),
    );
    fx.assert(
        "PIA-W290",
        "cover.assessment_number",
        "評価書番号",
        MAIN,
        fx.line(MAIN, "assessment_number"),
    );
}

/// D-30: the ※ marks of spec §A.11 are in the form definition, and the headings print them.
#[test]
fn d30_star_marks_of_the_form() {
    let f = pia::form::Catalog::builtin().default_form();
    let star = [
        "basic.affairs.description",
        "basic.number_use.legal_basis",
        "basic.info_linkage.status",
        "basic.info_linkage.legal_basis",
        "files[0].overview.basic.file_kind",
        "files[0].overview.basic.subject_scope",
        "files[0].overview.basic.main_items",
        "files[0].overview.acquisition.sources",
        "files[0].overview.use.purpose",
        "files[0].overview.use.departments",
        "files[0].overview.use.method",
        "files[0].overview.use.matching",
        "files[0].overview.use.statistics",
        "files[0].overview.use.decisions",
        "files[0].overview.entrustment.status",
        "files[0].overview.entrustment.items[0].subject_scope",
        "files[0].overview.entrustment.items[0].subcontract.status",
        "files[0].overview.retention.location",
        "files[0].risk.file_name",
        "files[0].risk.acquisition.r1.adequacy",
        "files[0].risk.entrustment.not_entrusted",
        "files[0].risk.provision.none",
        "files[0].risk.network.no_acquire",
        "files[0].risk.network.no_provide",
        "files[0].risk.retention.r1.technical_detail",
        "files[0].risk.retention.r3.adequacy",
        "other_risk.audit.self_check",
        "other_risk.training.detail",
        "other_risk.other",
    ];
    for p in star {
        assert!(f.is_star(p), "{p} should be ※");
    }
    let not_star = [
        "cover.published_on",
        "basic.affairs.name",
        "basic.affairs.target_population",
        "basic.systems[0].connections",
        "basic.file_names",
        "basic.reasons.necessity",
        "basic.department.head_title",
        "basic.other_orgs",
        "basic.attachment1.notes",
        "files[0].overview.acquisition.methods",
        "files[0].overview.use.user_count",
        "files[0].overview.entrustment.items[0].content",
        "files[0].overview.entrustment.items[0].contractor_name",
        "files[0].overview.provision.recipients[0].legal_basis",
        "files[0].overview.retention.period",
        "files[0].overview.retention.erasure",
        "files[0].attachment2.groups",
        "files[0].risk.retention.r1.serious_incident",
        "files[0].risk.retention.r1.serious_incident_detail",
        "files[0].risk.retention.r1.recurrence_prevention",
        "disclosure.request.fee",
        "procedure.basic_assessment.threshold_result",
        "changes[0].item",
    ];
    for p in not_star {
        assert!(!f.is_star(p), "{p} should not be ※");
    }
    let risk = f.node("files[].risk").unwrap();
    assert!(risk.m);
    assert_eq!(
        format!("{} {}", risk.heading(), risk.ms.as_deref().unwrap()),
        "Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※（７．リスク１⑨を除く。）"
    );
    let other = f.node("other_risk").unwrap();
    assert!(other.m && other.ms.is_none());
    assert_eq!(format!("{} ※", other.heading()), "Ⅳ　その他のリスク対策 ※");
    // And the check of the form in use finds nothing to report.
    assert!(!run(&[], &opts()).has("PIA-E300"));
}

#[test]
fn d6_network_only_needs_the_box() {
    let fx = run(&[Edit::One(FILE, "none = true", "none = false")], &opts());
    let d = fx.assert(
        "PIA-E060",
        "files[0].risk.provision.none",
        "Ⅲ ５．特定個人情報の提供・移転 提供・移転しない",
        FILE,
        fx.line(FILE, "none = false"),
    );
    assert!(
        d.message.contains("情報提供ネットワークシステム"),
        "{}",
        d.message
    );
}

// ---------------------------------------------------------------- fixes found on other bodies' assessments

#[test]
fn d7_yes_with_every_file_unconnected_is_an_error_of_the_affair() {
    let fx = run(
        &[
            Edit::One(FILE, "no_acquire = false", "no_acquire = true"),
            Edit::One(FILE, "no_provide = false", "no_provide = true"),
        ],
        &opts(),
    );
    let d = fx.assert(
        "PIA-E071",
        "basic.info_linkage.status",
        "Ⅰ ６．情報提供ネットワークシステムによる情報連携 ①実施の有無",
        MAIN,
        fx.line(MAIN, "status = \"実施する\""),
    );
    assert!(d.message.contains("接続しない（入手）") && d.message.contains("接続しない（提供）"));
    // Exactly one finding for the affair, not one per file.
    assert_eq!(fx.diags.iter().filter(|d| d.code == "PIA-E071").count(), 1);
}

#[test]
fn d12_one_end_of_the_period_is_an_error() {
    let fx = run(
        &[Edit::One(
            MAIN,
            "period = { start = 2023-12-15, end = 2024-01-14 }",
            "period = { end = 2024-01-14 }",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-E122",
        "procedure.public_comment.period.end",
        "Ⅵ ２．国民・住民等からの意見の聴取 ②実施日・期間",
        MAIN,
        fx.line(MAIN, "period = {"),
    );
    assert!(d.message.contains("開始日"), "{}", d.message);
    assert!(!fx.has("PIA-E010"), "{}", fx.list());
}

#[test]
fn d12_not_shortened_is_not_a_reason() {
    // 26 days, and ③ says the period was not shortened: the reason is missing.
    let fx = run(
        &[Edit::One(MAIN, "start = 2023-12-15", "start = 2023-12-20")],
        &opts(),
    );
    assert!(fx.has("PIA-W120"), "{}", fx.list());
    for text in [
        "短縮していない。",
        "該当なし",
        "期間の短縮は行っていません。",
    ] {
        let fx = run(
            &[
                Edit::One(MAIN, "start = 2023-12-15", "start = 2023-12-20"),
                Edit::Value(MAIN, "shortening_reason = ", &format!("\"{text}\"")),
            ],
            &opts(),
        );
        assert!(fx.has("PIA-W120"), "{text}: {}", fx.list());
    }
    let fx = run(
        &[
            Edit::One(MAIN, "start = 2023-12-15", "start = 2023-12-20"),
            Edit::Value(
                MAIN,
                "shortening_reason = ",
                "\"法改正の施行日までに評価を終える必要があったため、期間を短縮した。\"",
            ),
        ],
        &opts(),
    );
    assert!(!fx.has("PIA-W120"), "{}", fx.list());
}

#[test]
fn d10_plan_in_the_sections_other_risks_does_not_count() {
    let fx = run(
        &[
            Edit::Nth(
                FILE,
                "adequacy = \"十分である\"",
                "adequacy = \"課題が残されている\"",
                0,
            ),
            Edit::One(
                FILE,
                "[files.risk.acquisition]\nother_risks = \"\"\"\n",
                "[files.risk.acquisition]\nother_risks = \"\"\"\n令和8年3月までに入手元の確認手順を見直す予定である。\n",
            ),
        ],
        &opts(),
    );
    fx.assert(
        "PIA-W101",
        "files[0].risk.acquisition.r1.adequacy",
        "Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か",
        FILE,
        fx.line(FILE, "adequacy = \"課題が残されている\""),
    );
}

#[test]
fn d1_empty_other_risks_is_a_warning() {
    let fx = run(
        &[Edit::Value(
            FILE,
            "[files.risk.acquisition]\nother_risks = ",
            "\"\"",
        )],
        &opts(),
    );
    let d = fx.assert(
        "PIA-W013",
        "files[0].risk.acquisition.other_risks",
        "Ⅲ ２．特定個人情報の入手 特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）におけるその他のリスク及びそのリスクに対する措置",
        FILE,
        fx.line(FILE, "[files.risk.acquisition]") + 1,
    );
    assert!(d.help.as_deref().unwrap().contains("UNVERIFIED"));
    assert!(!fx.has("PIA-E010"), "{}", fx.list());
}

#[test]
fn d22_before_without_after_is_an_error() {
    let fx = run(
        &[Edit::Value(
            CHANGES,
            "item = \"（別表２）特定個人情報ファイル記録項目\"\nbefore = \"\"\"\n【適用ファイル】\n証交付年月日-回収年月日\n証有効開始年月日-終了年月日\n証券面 記載氏名-カナ氏名\n証回収理由\n\n郵便番号\n住所\"\"\"\nafter = ",
            "\"\"",
        )],
        &opts(),
    );
    let d = fx.get("PIA-E220", "changes[94].after");
    assert!(d.message.contains("変更前の記載だけ"), "{}", d.message);
}

#[test]
fn d23_posterior_row_after_publication_is_an_error() {
    let fx = run(
        &[Edit::Nth(
            CHANGES,
            "changed_on = 2025-05-07",
            "changed_on = 2025-06-02",
            10,
        )],
        &opts(),
    );
    let d = fx.get("PIA-E231", "changes[94].changed_on");
    assert!(
        d.message.contains("令和7年6月2日") && d.message.contains("令和7年6月1日"),
        "{}",
        d.message
    );
    assert!(!fx.has("PIA-E230"));
}

#[test]
fn d22_identical_rows_always_warn() {
    // A short row (below the near-duplicate heuristic's length) repeated verbatim.
    let row = "\n[[changes]]\nchanged_on = 2025-05-07\nitem = \"Ⅴ\"\nbefore = \"\"\nafter = \"追記\"\ntiming = \"事後\"\ntiming_reason = \"記載の整理\"\n";
    let fx = run(&[Edit::Append(CHANGES, format!("{row}{row}"))], &opts());
    let d = fx.get("PIA-W223", "changes[96].item");
    assert!(d.message.contains("97行目は96行目"), "{}", d.message);
}
