//! `pia status`: one line per assessment found under a directory, the JSON of
//! docs/status-json.md, the iCalendar export of the due dates, and the exit code of a scheduled
//! job (1 when something is overdue).

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use support::{CITY, KANTO};

fn pia(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("pia runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// `root/` holding three assessments: `kanto` (公表日 2025-06-01, 承認日 2024-01-31), `city`
/// (公表日 2026-10-01, 第三者点検 2026-08-20) and `work/new`, a fresh skeleton at 素案.
fn three() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    support::copy_dir(&support::reference(KANTO), &root.join("kanto"));
    support::copy_dir(&support::reference(CITY), &root.join("city"));
    let new = root.join("work").join("new");
    assert!(pia(&["init", new.to_str().unwrap()], root).status.success());
    let main = new.join("assessment.toml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(&main, text.replace("stage = \"\"", "stage = \"素案\"")).unwrap();
    // Not searched: hidden directories.
    support::copy_dir(&support::reference(KANTO), &root.join(".git").join("kanto"));
    tmp
}

fn line<'a>(out: &'a str, path: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{path}: ")))
        .unwrap_or_else(|| panic!("no line for {path}:\n{out}"))
}

#[test]
fn status_lists_every_assessment_with_its_dates_and_exits_1_when_one_is_overdue() {
    let tmp = three();
    let out = pia(&["status", "--today", "2026-12-01"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = stdout(&out);
    assert_eq!(s.lines().count(), 3, "{s}");
    assert_eq!(
        line(&s, "kanto"),
        "kanto: 評価書番号 1 「関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務　全項目評価書」 ｜ 最終 ｜ 全項目評価 ｜ 公表日 2025-06-01 ｜ 最後の見直し なし ｜ 次の見直し 2026-06-01【期限切れ】 ｜ 再実施の期限 2029-01-31 ｜ エラー 0・警告 14 ｜ 記入 217/218（Ⅱ 88/89）"
    );
    let city = line(&s, "city");
    assert!(
        city.contains(
            "｜ 最終 ｜ 重点項目評価 ｜ 公表日 2026-10-01 ｜ 最後の見直し なし ｜ 次の見直し 2027-10-01 ｜ 再実施の期限 2031-08-20 ｜ エラー 0・警告 0 ｜ 記入 388/388"
        ),
        "{city}"
    );
    let new = line(&s, "work/new");
    assert!(
        new.starts_with("work/new: 評価書番号なし （評価書名なし） ｜ 素案 ｜ 評価の種類未判断 ｜ 公表日 なし ｜ 最後の見直し なし ｜ 次の見直し なし ｜ 再実施の期限 なし ｜ エラー 0・警告 178 ｜ 記入 1/170（"),
        "{new}"
    );
    // A to-do list per part: nothing of Ⅲ answered yet.
    assert!(
        new.contains("表紙 0/4、Ⅰ 0/15、Ⅱ 0/58、Ⅲ 0/71、Ⅳ 0/6、Ⅴ 0/6、Ⅵ 0/4、基礎項目評価書 0/2"),
        "{new}"
    );
    let e = stderr(&out);
    assert!(
        e.contains("評価書 3 件（2026-12-01 時点）: 期限切れ 1 件"),
        "{e}"
    );
    assert!(
        e.contains("期限切れ: kanto: 年1回の見直し（期限 2026-06-01）"),
        "{e}"
    );

    // The review recorded: nothing overdue.
    let r = pia(
        &[
            "review",
            "kanto",
            "--date",
            "2026-11-20",
            "--result",
            "変更なし",
            "--today",
            "2026-12-01",
        ],
        tmp.path(),
    );
    assert!(r.status.success(), "{}", stderr(&r));
    let out = pia(&["status", ".", "--today", "2026-12-01"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(line(&stdout(&out), "kanto").contains(
        "｜ 最後の見直し 2026-11-20 ｜ 次の見直し 2027-11-20 ｜ 再実施の期限 2029-01-31 ｜"
    ));
    // The 5-year 再実施 is overdue on its day (as PIA-W260 says: 5 years have passed).
    let out = pia(&["status", ".", "--today", "2029-01-31"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(
        "期限切れ: kanto: 年1回の見直し（期限 2027-11-20）、5年以内の再実施（期限 2029-01-31）"
    ));
    let out = pia(&["status", ".", "--today", "2027-06-01"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn status_json_has_the_documented_fields() {
    let tmp = three();
    let out = pia(
        &["status", "--format", "json", "--today", "2026-12-01"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], "2026-12-01");
    assert_eq!(v["overdue"], 1);
    assert_eq!(v["unreadable"], 0);
    let list = v["assessments"].as_array().unwrap();
    let paths: Vec<&str> = list.iter().map(|a| a["path"].as_str().unwrap()).collect();
    assert_eq!(paths, vec!["city", "kanto", "work/new"]);
    let kanto = &list[1];
    assert_eq!(kanto["readable"], true);
    assert_eq!(kanto["assessment_number"], 1);
    assert_eq!(
        kanto["title"],
        "関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務　全項目評価書"
    );
    assert_eq!(
        kanto["stage"],
        serde_json::json!({ "id": "final", "text": "最終" })
    );
    assert_eq!(
        kanto["assessment_kind"],
        serde_json::json!({ "id": "full", "text": "全項目評価" })
    );
    assert_eq!(kanto["published_on"], "2025-06-01");
    assert_eq!(kanto["last_review"], Value::Null);
    assert_eq!(kanto["next_review_due"], "2026-06-01");
    assert_eq!(
        kanto["reassessment"],
        serde_json::json!({
            "latest": "2024-01-31",
            "basis": "cover.ppc_approved_on",
            "basis_item": "個人情報保護委員会　承認日　【行政機関等のみ】",
            "due": "2029-01-31",
        })
    );
    assert_eq!(kanto["overdue"], serde_json::json!(["review"]));
    assert_eq!(kanto["errors"], 0);
    assert_eq!(kanto["warnings"], 14);
    assert_eq!(kanto["filled"]["answered"], 217);
    assert_eq!(kanto["filled"]["required"], 218);
    let parts = kanto["filled"]["parts"].as_array().unwrap();
    let ii = parts.iter().find(|p| p["part"] == "Ⅱ").unwrap();
    assert_eq!(
        ii,
        &serde_json::json!({ "part": "Ⅱ", "title": "特定個人情報ファイルの概要", "answered": 88, "required": 89 })
    );
    let names: Vec<&str> = parts.iter().map(|p| p["part"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "ツール設定",
            "しきい値判断項目",
            "表紙",
            "Ⅰ",
            "Ⅱ",
            "Ⅲ",
            "Ⅳ",
            "Ⅴ",
            "Ⅵ",
            "基礎項目評価書"
        ]
    );
    let city = &list[0];
    assert_eq!(
        city["reassessment"]["basis"],
        "procedure.third_party_review.date"
    );
    assert_eq!(city["reassessment"]["due"], "2031-08-20");
    assert_eq!(city["assessment_kind"]["id"], "focused");
    assert_eq!(city["overdue"], serde_json::json!([]));
    let new = &list[2];
    assert_eq!(new["stage"]["id"], "draft");
    assert_eq!(new["stage"]["text"], "素案");
    assert_eq!(new["published_on"], Value::Null);
    assert_eq!(new["next_review_due"], Value::Null);
    assert_eq!(new["reassessment"], Value::Null);
    assert_eq!(new["assessment_kind"], Value::Null);
    assert_eq!(new["errors"], 0);
    assert_eq!(new["filled"]["answered"], 1);
    assert_eq!(new["filled"]["required"], 170);
    // The last review, once recorded.
    let r = pia(
        &[
            "review",
            "kanto",
            "--date",
            "2026-11-20",
            "--result",
            "変更なし",
            "--reviewer",
            "企画調整課",
            "--today",
            "2026-12-01",
        ],
        tmp.path(),
    );
    assert!(r.status.success());
    let out = pia(
        &["status", "--format", "json", "--today", "2026-12-01"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["assessments"][1]["last_review"],
        serde_json::json!({ "date": "2026-11-20", "result": "変更なし", "reviewer": "企画調整課" })
    );
    assert_eq!(v["assessments"][1]["next_review_due"], "2027-11-20");
}

/// The physical lines of an iCalendar text (CRLF), and its content lines (unfolded).
fn ics_lines(ics: &str) -> (Vec<&str>, Vec<String>) {
    assert!(ics.ends_with("\r\n"));
    let physical: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
    let mut content: Vec<String> = Vec::new();
    for l in &physical {
        match l.strip_prefix(' ') {
            Some(rest) => content.last_mut().unwrap().push_str(rest),
            None => content.push(l.to_string()),
        }
    }
    (physical, content)
}

#[test]
fn ics_holds_one_event_per_due_date() {
    let tmp = three();
    let out = pia(
        &["status", "--today", "2026-12-01", "--ics", "kigen.ics"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("期限を書き出しました: kigen.ics"));
    let ics = fs::read_to_string(tmp.path().join("kigen.ics")).unwrap();
    let (physical, content) = ics_lines(&ics);
    // RFC 5545 §3.1: CRLF only, lines of at most 75 octets.
    assert!(!ics.replace("\r\n", "").contains('\n'));
    assert!(physical.iter().all(|l| l.len() <= 75), "{physical:#?}");
    assert!(
        physical.iter().any(|l| l.starts_with(' ')),
        "long lines are folded"
    );
    assert_eq!(
        &content[..5],
        &[
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//pia//pia status//JA",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
    );
    assert_eq!(content.last().unwrap(), "END:VCALENDAR");
    // Two events per published assessment (city, kanto), none for the 素案.
    let starts: Vec<&str> = content
        .iter()
        .filter_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
        .collect();
    assert_eq!(starts, vec!["20271001", "20310820", "20260601", "20290131"]);
    let ends: Vec<&str> = content
        .iter()
        .filter_map(|l| l.strip_prefix("DTEND;VALUE=DATE:"))
        .collect();
    assert_eq!(ends, vec!["20271002", "20310821", "20260602", "20290201"]);
    assert_eq!(content.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 4);
    assert_eq!(content.iter().filter(|l| *l == "END:VEVENT").count(), 4);
    assert_eq!(
        content
            .iter()
            .filter(|l| *l == "DTSTAMP:20261201T000000Z")
            .count(),
        4
    );
    assert!(content.contains(
        &"SUMMARY:年1回の見直しの期限: 関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務　全項目評価書".to_string()
    ));
    assert!(content.contains(
        &"SUMMARY:5年以内の再実施の期限: 住民基本台帳に関する事務　全項目評価書".to_string()
    ));
    let desc = content
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:評価書番号1「関東") && l.contains("直近の再実施"))
        .unwrap();
    assert!(
        desc.contains("（kanto）\\n直近の再実施（個人情報保護委員会　承認日　【行政機関等のみ】 2024-01-31）から5年。"),
        "{desc}"
    );
    // UIDs: unique, and the same in a second export.
    let uids: Vec<&String> = content.iter().filter(|l| l.starts_with("UID:")).collect();
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);
    let again = pia(
        &["status", "--today", "2026-12-01", "--ics", "again.ics"],
        tmp.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(tmp.path().join("again.ics")).unwrap(),
        ics
    );
}

#[test]
fn ics_text_is_escaped_and_folded_between_characters() {
    assert_eq!(pia::status::ics_text("a,b;c\\d\r\ne"), "a\\,b\\;c\\\\d\\ne");
    let long = format!("SUMMARY:{}", "評価書".repeat(40));
    let folded = pia::status::ics_line(&long);
    assert!(folded.ends_with("\r\n"));
    let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(physical.len() > 1);
    // Every physical line is whole characters (a &str) of at most 75 octets; a 3-byte character
    // never straddles a fold.
    assert!(physical.iter().all(|l| l.len() <= 75));
    assert_eq!(physical[0].len(), 8 + 3 * 22);
    let unfolded: String = physical
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
        .collect();
    assert_eq!(unfolded, long);
    assert_eq!(pia::status::ics_line("VERSION:2.0"), "VERSION:2.0\r\n");
}

#[test]
fn unreadable_or_missing_assessments_exit_2() {
    let tmp = three();
    fs::write(tmp.path().join("city").join("assessment.toml"), "[meta\n").unwrap();
    let out = pia(&["status", "--today", "2026-12-01"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        line(&stdout(&out), "city")
            .starts_with("city: 読み込めません（エラー 1 件。pia check city で確認してください）")
    );
    assert!(stderr(&out).contains("読み込めない評価書 1 件"));
    let v: Value = serde_json::from_str(&stdout(&pia(
        &["status", "--format", "json", "--today", "2026-12-01"],
        tmp.path(),
    )))
    .unwrap();
    assert_eq!(v["unreadable"], 1);
    assert_eq!(v["assessments"][0]["readable"], false);
    assert_eq!(v["assessments"][0]["stage"], Value::Null);

    let empty = tempfile::tempdir().unwrap();
    let out = pia(&["status"], empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("評価書（assessment.toml）が見つかりません"));
    let out = pia(&["status", "no-such-dir"], empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ディレクトリ `no-such-dir` がありません"));
}
