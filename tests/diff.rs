//! `pia diff` and `pia check --since` against a temporary git repository holding the reference
//! assessment (assessments/kanto-it-kenpo): commit it, change it, compare.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const III_R1: &str =
    "Ⅲ ２．特定個人情報の入手 リスク１ 対象者以外の情報の入手を防止するための措置の内容";
const III_OLD: &str = "・機関誌や当組合Ｗｅｂ等で、個人番号の記載が必要な届出書";
const III_NEW: &str = "・機関誌や当組合Ｗｅｂ及びＳＮＳ等で、個人番号の記載が必要な届出書";
const SYSTEM1_CONNECT: &str = "Ⅰ ２．特定個人情報ファイルを取り扱う事務において使用するシステム システム1 ③他のシステムとの接続";
const CONNECT_OLD: &str = "connections = { \"その他\" = \"中間サーバー等、レセプトシステム、";
const CONNECT_NEW: &str =
    "connections = { \"税務システム\" = true, \"その他\" = \"中間サーバー等、レセプトシステム、";

struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Repo {
    /// A repository whose first commit holds the reference assessment in `a/`.
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("assessments/kanto-it-kenpo"),
            &root.join("a"),
        );
        git(&root, &["init", "-q"]);
        git(&root, &["config", "user.name", "pia test"]);
        git(&root, &["config", "user.email", "pia@example.com"]);
        git(&root, &["config", "commit.gpgsign", "false"]);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "reference"]);
        Repo { _tmp: tmp, root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Replaces the first occurrence of `from` (which must exist) in `a/<file>`.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let p = self.path(&format!("a/{file}"));
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    fn append(&self, file: &str, text: &str) {
        let p = self.path(&format!("a/{file}"));
        let mut s = fs::read_to_string(&p).unwrap();
        s.push_str(text);
        fs::write(&p, s).unwrap();
    }

    fn commit(&self, msg: &str) {
        git(&self.root, &["add", "-A"]);
        git(&self.root, &["commit", "-q", "-m", msg]);
    }

    fn pia(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pia"))
            .current_dir(&self.root)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("pia runs")
    }

    /// `pia diff --format json` with `args`; asserts the exit code.
    fn diff_json(&self, args: &[&str], code: i32) -> Value {
        let mut all = vec!["diff", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.pia(&all);
        assert_eq!(
            out.status.code(),
            Some(code),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON output")
    }
}

fn changes(v: &Value) -> &Vec<Value> {
    v["changes"].as_array().expect("changes[]")
}

fn change<'a>(v: &'a Value, item: &str) -> &'a Value {
    changes(v)
        .iter()
        .find(|c| c["item"] == item)
        .unwrap_or_else(|| panic!("no change for {item}: {v:#}"))
}

#[test]
fn star_text_change_in_iii_is_prior_and_important() {
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    assert_eq!(v["version"], 1);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    let c = change(&v, III_R1);
    assert_eq!(
        c["path"],
        "files[0].risk.acquisition.r1.non_target_measures"
    );
    assert_eq!(c["kind"], "changed");
    assert_eq!(c["important"], true);
    assert_eq!(c["timing"], "事前");
    assert_eq!(c["reason"], "重要な変更");
    assert!(c["before"].as_str().unwrap().contains(III_OLD));
    assert!(c["after"].as_str().unwrap().contains(III_NEW));
    // The excerpt shows the changed line with its context, the added words marked.
    let lines = c["excerpt"].as_array().unwrap();
    let plus = lines.iter().find(|l| l["tag"] == "+").expect("a + line");
    let marked: Vec<&str> = plus["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["mark"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, vec!["及びＳＮＳ"]);
    assert!(lines.iter().any(|l| l["tag"] == " "), "context lines");
    assert_eq!(v["prior_required"], true);
    assert_eq!(v["reassessment"]["required"], true);
    assert_eq!(v["reassessment"]["org_kind"], "行政機関等");
    let steps: Vec<&str> = v["reassessment"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(steps[0], "Ⅵ １．基礎項目評価");
    assert_eq!(steps[1], "Ⅵ ２．国民・住民等からの意見の聴取");
    assert!(
        steps[2].starts_with("Ⅵ ４．個人情報保護委員会の承認"),
        "{steps:?}"
    );
    assert!(
        v["reassessment"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["done"] == false)
    );
}

#[test]
fn declared_law_amendment_exclusion_makes_it_posterior() {
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    r.append(
        "assessment.toml",
        "\n[[pending]]\npath = \"files[0].risk.acquisition.r1\"\nexclusion = \"法令改正に伴う条項の変更\"\nreason = \"番号法の改正に伴う記載の変更で、取扱いに変更はないため事後に提出\"\n",
    );
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    let c = change(&v, III_R1);
    assert_eq!(c["important"], false);
    assert_eq!(c["star"], true);
    assert_eq!(c["timing"], "事後");
    assert_eq!(c["exclusion"], "法令改正に伴う条項の変更");
    assert_eq!(
        c["reason"],
        "番号法の改正に伴う記載の変更で、取扱いに変更はないため事後に提出"
    );
    assert_eq!(v["reassessment"]["required"], false);

    // Without a written reason the exclusion's label is the reason.
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    r.append(
        "assessment.toml",
        "\n[[pending]]\npath = \"files[].risk\"\nexclusion = \"法令改正に伴う条項の変更\"\n",
    );
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    assert_eq!(change(&v, III_R1)["reason"], "法令改正に伴う条項の変更");
    assert_eq!(change(&v, III_R1)["timing"], "事後");
}

#[test]
fn system_connection_change_is_posterior_and_not_important() {
    let r = Repo::new();
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    r.commit("税務システムと接続");
    let v = r.diff_json(
        &["--from", "HEAD~1", "--to", "HEAD", "a", "--fail-on-prior"],
        0,
    );
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    let c = change(&v, SYSTEM1_CONNECT);
    assert_eq!(c["path"], "basic.systems[0].connections");
    assert_eq!(c["important"], false);
    assert_eq!(c["timing"], "事後");
    assert_eq!(c["reason"], "重要な変更の対象項目ではない");
    assert_eq!(c["before"], "[ ] 税務システム");
    assert_eq!(c["after"], "[ ○ ] 税務システム");
    assert_eq!(v["prior_required"], false);

    // A pending note can file it 事前 (a change tied to a 再実施).
    r.append("assessment.toml", "\n[[pending]]\npath = \"basic.systems\"\ntiming = \"事前\"\nreason = \"サーバー間接続開始に係る事項のため事前に変更\"\n");
    let v = r.diff_json(&["--from", "HEAD~1", "a", "--fail-on-prior"], 1);
    let c = change(&v, SYSTEM1_CONNECT);
    assert_eq!(c["timing"], "事前");
    assert_eq!(c["important"], false);
    assert_eq!(c["reason"], "サーバー間接続開始に係る事項のため事前に変更");
}

/// The text of `file-kikan.toml` with its 委託事項 blocks in a new order (indexes into the original order).
fn reorder_entrustment(text: &str, order: &[usize]) -> String {
    let start = text.find("# 委託事項1").unwrap();
    let end = text.find("[files.overview.provision]").unwrap();
    let blocks: Vec<String> = text[start..end]
        .split("# 委託事項")
        .skip(1)
        .map(|b| format!("# 委託事項{b}"))
        .collect();
    assert_eq!(blocks.len(), 4);
    let mut out = text[..start].to_string();
    for &i in order {
        out.push_str(&blocks[i]);
    }
    out.push_str(&text[end..]);
    out
}

#[test]
fn reordered_entrustment_items_are_no_change() {
    let r = Repo::new();
    let text = r.read("a/file-kikan.toml");
    fs::write(
        r.path("a/file-kikan.toml"),
        reorder_entrustment(&text, &[3, 1, 0, 2]),
    )
    .unwrap();
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_eq!(changes(&v).len(), 0, "{v:#}");
    assert_eq!(v["prior_required"], false);
    assert_eq!(v["reassessment"]["required"], false);
}

#[test]
fn added_entrustment_item_is_one_addition_with_its_content() {
    let r = Repo::new();
    r.edit(
        "file-kikan.toml",
        "[files.overview.provision]",
        r#"# 委託事項5
[[files.overview.entrustment.items]]
title = "届出書の電子化（パンチ入力）業務"
content = "紙の届出書の記載内容の電子データ化"
scope = "特定個人情報ファイルの一部"
subject_count = "10万人以上100万人未満"
subject_scope = "届出書を紙で提出した加入者"
scope_rationale = "入力作業の効率化のため。"
handler_count = "10人以上50人未満"
transfer_methods = { "紙" = true }
name_disclosure = "当組合への問合せ又は開示請求"
contractor_name = "株式会社パンチ入力サービス"
[files.overview.entrustment.items.subcontract]
status = "再委託しない"

[files.overview.provision]"#,
    );
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 1);
    let added: Vec<&Value> = changes(&v)
        .iter()
        .filter(|c| c["kind"] == "added")
        .collect();
    assert_eq!(added.len(), 1, "{v:#}");
    let c = added[0];
    assert_eq!(
        c["item"],
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項5"
    );
    assert_eq!(c["path"], "files[0].overview.entrustment.items[4]");
    assert_eq!(c["before"], "");
    let after = c["after"].as_str().unwrap();
    assert!(
        after.contains("名称：届出書の電子化（パンチ入力）業務"),
        "{after}"
    );
    assert!(
        after.contains("⑥委託先名：株式会社パンチ入力サービス"),
        "{after}"
    );
    assert!(after.contains("⑦再委託の有無：再委託しない"), "{after}");
    assert!(
        after.contains("④委託先への特定個人情報ファイルの提供方法：[ ○ ] 紙"),
        "{after}"
    );
    // The block carries ※ items (対象となる本人の範囲, ⑦再委託の有無): a 重要な変更.
    assert_eq!(c["important"], true);
    assert_eq!(c["timing"], "事前");
    // Nothing else changed: the existing 委託事項 matched by title.
    assert_eq!(changes(&v).len(), 1);
}

#[test]
fn population_band_rise_requires_reassessment() {
    let r = Repo::new();
    // Old revision: 10万人以上30万人未満 with 500人未満 and no incident → 重点項目評価.
    r.edit(
        "assessment.toml",
        "population = \"30万人以上\"",
        "population = \"10万人以上30万人未満\"",
    );
    r.edit(
        "assessment.toml",
        "target_population = \"30万人以上\"",
        "target_population = \"10万人以上30万人未満\"",
    );
    r.commit("10万人以上30万人未満");
    // New revision: 30万人以上 → 全項目評価.
    r.edit(
        "assessment.toml",
        "population = \"10万人以上30万人未満\"",
        "population = \"30万人以上\"",
    );
    r.edit(
        "assessment.toml",
        "target_population = \"10万人以上30万人未満\"",
        "target_population = \"30万人以上\"",
    );
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 1);
    assert_eq!(v["threshold"]["before"]["obliged"], "basic_and_focused");
    assert_eq!(v["threshold"]["after"]["obliged"], "basic_and_full");
    assert_eq!(v["threshold"]["rose"], true);
    assert_eq!(v["reassessment"]["required"], true);
    assert!(
        v["reassessment"]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("しきい値判断の結果が上がりました")
    );
    // Ⅰ-1③ itself is not ※: the 再実施 comes from the threshold, not from the item.
    let c = change(&v, "Ⅰ １．特定個人情報ファイルを取り扱う事務 ③対象人数");
    assert_eq!(c["important"], false);
    assert_eq!(c["before"], "10万人以上30万人未満");
    assert_eq!(c["after"], "30万人以上");
    assert_eq!(v["summary"]["important"], 0);
    assert_eq!(v["prior_required"], true);

    // The reverse (a fall) needs no 再実施.
    let v = r.diff_json(
        &["--from", "HEAD~1", "--to", "HEAD", "a", "--fail-on-prior"],
        0,
    );
    assert_eq!(v["threshold"]["rose"], false);
    assert_eq!(v["reassessment"]["required"], false);
}

#[test]
fn unreadable_revisions_exit_2_with_japanese_messages() {
    let r = Repo::new();
    let out = r.pia(&["diff", "--from", "no-such-rev", "a"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("リビジョン `no-such-rev` が見つかりません"),
        "{err}"
    );

    // An assessment that did not exist at that revision.
    copy_dir(&r.path("a"), &r.path("b"));
    let out = r.pia(&["diff", "--from", "HEAD", "b"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("評価書 `b/assessment.toml` はリビジョン `HEAD` にありません"),
        "{err}"
    );

    // Not a git repository.
    let plain = tempfile::tempdir().unwrap();
    copy_dir(&r.path("a"), &plain.path().join("a"));
    let out = Command::new(env!("CARGO_BIN_EXE_pia"))
        .current_dir(plain.path())
        .args(["diff", "--from", "HEAD", "a"])
        .env("GIT_CEILING_DIRECTORIES", plain.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("git リポジトリの中にありません"), "{err}");

    // Usage: one path without --from.
    let out = r.pia(&["diff", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("比較する版を指定してください"));

    // A revision whose TOML does not load: the loader's diagnostic names the file at that revision.
    let broken = Repo::new();
    broken.edit("assessment.toml", "[cover]", "[cover");
    broken.commit("broken");
    broken.edit("assessment.toml", "[cover", "[cover]");
    let out = broken.pia(&["diff", "--from", "HEAD", "a"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HEAD:a/assessment.toml"), "{err}");
    assert!(
        err.contains("リビジョン `HEAD` の評価書 `a` を読み込めません"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    // check --since with an unknown revision.
    let out = r.pia(&["check", "--since", "no-such-rev", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("リビジョン `no-such-rev` が見つかりません")
    );
}

#[test]
fn two_directories_compare_like_revisions() {
    let r = Repo::new();
    copy_dir(&r.path("a"), &r.path("b"));
    fs::write(
        r.path("b/file-kikan.toml"),
        r.read("b/file-kikan.toml").replacen(III_OLD, III_NEW, 1),
    )
    .unwrap();
    let v = r.diff_json(&["a", "b"], 0);
    assert_eq!(changes(&v).len(), 1);
    assert_eq!(change(&v, III_R1)["timing"], "事前");
    let out = r.pia(&["diff", "a", "b", "--fail-on-prior"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn record_twice_adds_rows_once_and_keeps_the_file() {
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    let original = r.read("a/changes.toml");
    let rows_before = pia::load::load(&r.path("a"))
        .unwrap()
        .assessment
        .changes
        .len();

    let out = r.pia(&[
        "diff",
        "--from",
        "HEAD",
        "a",
        "--record",
        "--date",
        "2025-07-01",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("別添３に 2 行を追加しました"));
    let once = r.read("a/changes.toml");
    assert!(
        once.starts_with(&original),
        "the existing text is kept byte for byte"
    );
    assert_eq!(once[original.len()..].matches("[[changes]]").count(), 2);

    let out = r.pia(&[
        "diff",
        "--from",
        "HEAD",
        "a",
        "--record",
        "--date",
        "2025-07-01",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("追加する行はありません"));
    assert_eq!(
        r.read("a/changes.toml"),
        once,
        "second run leaves the file byte-identical"
    );

    // The rows load back with their printed item, texts, timing and paths.
    let loaded = pia::load::load(&r.path("a")).unwrap();
    let rows = &loaded.assessment.changes;
    assert_eq!(rows.len(), rows_before + 2);
    let connect = &rows[rows_before];
    assert_eq!(connect.item, SYSTEM1_CONNECT);
    assert_eq!(connect.before, "[ ] 税務システム");
    assert_eq!(connect.after, "[ ○ ] 税務システム");
    assert_eq!(connect.timing_reason, "重要な変更の対象項目ではない");
    assert_eq!(
        connect.paths,
        vec!["basic.systems[0].connections".to_string()]
    );
    assert_eq!(connect.changed_on.unwrap().to_string(), "2025-07-01");
    let iii = &rows[rows_before + 1];
    assert_eq!(iii.item, III_R1);
    assert_eq!(iii.timing.map(pia::model::Choice::text), Some("事前"));
    // Only the changed line goes to 別添3, not the whole text.
    assert!(
        iii.before.starts_with(III_OLD) && !iii.before.contains('\n'),
        "{}",
        iii.before
    );
    assert!(
        iii.after.starts_with(III_NEW) && !iii.after.contains('\n'),
        "{}",
        iii.after
    );

    // pending_rows: nothing left to record.
    let old = pia::diff::git::load_revision(&r.path("a"), "HEAD").unwrap();
    let date = "2025-07-01".parse().unwrap();
    assert!(pia::diff::pending_rows(&old, &loaded, date).is_empty());
}

#[test]
fn rows_and_pending_rows_from_the_library() {
    let r = Repo::new();
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    r.edit(
        "assessment.toml",
        "published_on = 2025-06-01",
        "published_on = 2025-08-01",
    );
    let old = pia::diff::git::load_revision(&r.path("a"), "HEAD").unwrap();
    let new = pia::load::load(&r.path("a")).unwrap();
    let changes = pia::diff::changes(&old, &new);
    assert_eq!(changes.len(), 2);
    // 公表日 records the procedure: listed, but no 別添3 row (D-24).
    let published = changes
        .iter()
        .find(|c| c.path == "cover.published_on")
        .unwrap();
    assert!(!published.row);
    assert_eq!(published.before, "令和7年6月1日");
    assert_eq!(published.after, "令和7年8月1日");
    let date = "2025-07-15".parse().unwrap();
    let rows = pia::diff::rows(&changes, date);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].item, SYSTEM1_CONNECT);
    assert_eq!(
        rows[0].paths,
        vec!["basic.systems[0].connections".to_string()]
    );
    assert_eq!(pia::diff::pending_rows(&old, &new, date), rows);
}

fn check_codes(r: &Repo, since: &str) -> Vec<(String, String)> {
    let out = r.pia(&["check", "--format", "json", "--since", since, "a"]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["assessments"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .filter(|(c, _)| ["PIA-E226", "PIA-E230", "PIA-E240", "PIA-W250"].contains(&c.as_str()))
        .collect()
}

#[test]
fn check_since_two_revision_rules() {
    let r = Repo::new();
    // D-24: a printed change without a 別添3 row.
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    assert_eq!(
        check_codes(&r, "HEAD"),
        vec![(
            "PIA-E240".to_string(),
            "basic.systems[0].connections".to_string()
        )]
    );

    // Recorded 事後 on or before the 公表日: clean.
    let out = r.pia(&[
        "diff",
        "--from",
        "HEAD",
        "a",
        "--record",
        "--date",
        "2025-05-20",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(check_codes(&r, "HEAD"), vec![]);

    // D-23: 事後 dated after the 公表日.
    r.edit(
        "changes.toml",
        "changed_on = 2025-05-20",
        "changed_on = 2025-07-01",
    );
    let codes = check_codes(&r, "HEAD");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].0, "PIA-E230");

    // D-22: a ※ change recorded 事後 without an exclusion.
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    r.append(
        "changes.toml",
        "\n[[changes]]\nchanged_on = 2025-05-20\nitem = \"Ⅲ ２．特定個人情報の入手 リスク１\"\nbefore = \"a\"\nafter = \"b\"\ntiming = \"事後\"\ntiming_reason = \"記載の整備\"\npaths = [\"files[0].risk.acquisition.r1.non_target_measures\"]\n",
    );
    let codes = check_codes(&r, "HEAD");
    assert!(
        codes
            .iter()
            .any(|(c, p)| c == "PIA-E226" && p.ends_with(".timing")),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|(c, _)| c == "PIA-E240"),
        "the row covers the change: {codes:?}"
    );

    // D-25: Ⅵ changed without any 重要な変更.
    let r = Repo::new();
    r.edit("assessment.toml", "date = 2024-01-29", "date = 2025-05-01");
    let codes = check_codes(&r, "HEAD");
    assert_eq!(
        codes,
        vec![(
            "PIA-W250".to_string(),
            "procedure.basic_assessment.date".to_string()
        )]
    );
}

#[test]
fn markdown_and_human_outputs_are_deterministic() {
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    let md1 = r.pia(&["diff", "--from", "HEAD", "a", "--format", "markdown"]);
    let md2 = r.pia(&["diff", "--from", "HEAD", "a", "--format", "markdown"]);
    assert_eq!(md1.stdout, md2.stdout);
    let md = String::from_utf8(md1.stdout).unwrap();
    assert!(
        md.contains("| # | 項目 | 種別 | 提出時期 | 提出時期に係る説明 |"),
        "{md}"
    );
    assert!(
        md.contains(&format!(
            "| 2 | {III_R1} | 変更 | **事前** ※ | 重要な変更 |"
        )),
        "{md}"
    );
    assert!(
        md.contains("+ ・機関誌や当組合Ｗｅｂ{+及びＳＮＳ+}等で"),
        "{md}"
    );
    assert!(md.contains("評価の再実施が必要です"), "{md}");
    let human = String::from_utf8(r.pia(&["diff", "--from", "HEAD", "a"]).stdout).unwrap();
    assert!(
        human.contains("変更 2 件（重要な変更 1 件、事前 1 件、事後 1 件）"),
        "{human}"
    );
    assert!(human.contains(SYSTEM1_CONNECT), "{human}");
    assert!(human.contains("[未] Ⅵ １．基礎項目評価"), "{human}");
}

#[test]
fn record_without_changes_file_goes_to_assessment_toml() {
    let r = Repo::new();
    r.edit(
        "assessment.toml",
        "include = [\"file-kikan.toml\", \"attachments.toml\", \"changes.toml\"]",
        "include = [\"file-kikan.toml\", \"attachments.toml\"]",
    );
    fs::remove_file(r.path("a/changes.toml")).unwrap();
    r.commit("別添３なし");
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    let original = r.read("a/assessment.toml");
    let out = r.pia(&[
        "diff",
        "--from",
        "HEAD",
        "a",
        "--record",
        "--date",
        "2025-05-20",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = r.read("a/assessment.toml");
    assert!(text.starts_with(&original));
    let loaded = pia::load::load(&r.path("a")).unwrap();
    assert_eq!(loaded.assessment.changes.len(), 1);
    assert_eq!(loaded.assessment.changes[0].item, SYSTEM1_CONNECT);
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed: bash scripts/setup-debian.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn render_since_prints_the_pending_rows_in_attachment3() {
    let r = Repo::new();
    r.edit(
        "file-kikan.toml",
        "[files.risk.acquisition.r2]\n",
        "[files.risk.acquisition.r2]\n# test\n",
    );
    let marker = "窓口一本化追記";
    let text = r.read("a/file-kikan.toml");
    let start = text.find("[files.risk.acquisition.r2]").unwrap();
    let measures =
        start + text[start..].find("measures = \"\"\"\n").unwrap() + "measures = \"\"\"\n".len();
    let mut edited = text.clone();
    edited.insert_str(measures, &format!("・{marker}。\n"));
    fs::write(r.path("a/file-kikan.toml"), edited).unwrap();

    let with = r.path("with.pdf");
    let out = r.pia(&[
        "render",
        "a",
        "--since",
        "HEAD",
        "-o",
        with.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("未記録の変更 1 行"));
    let without = r.path("without.pdf");
    let out = r.pia(&["render", "a", "-o", without.to_str().unwrap()]);
    assert!(out.status.success());

    let with = pdf_text(&with);
    let without = pdf_text(&without);
    assert_eq!(
        without.matches(marker).count(),
        1,
        "only in Ⅲ without --since"
    );
    assert_eq!(
        with.matches(marker).count(),
        2,
        "in Ⅲ and in the new 別添3 row"
    );
    // The new row comes after the recorded ones (the last recorded row is of 令和7年5月7日) and
    // carries the 公表日 as 変更日, the item as printed and 事前 (a ※ item).
    let last_recorded = with.rfind("令和7年5月7日").unwrap();
    let row = &with[last_recorded..];
    let at = row
        .find("令和7年6月1日")
        .expect("new row dated with the 公表日");
    let tail = &row[at..];
    assert!(tail.contains(marker));
    assert!(tail.contains("リスク２"), "{tail}");
    assert!(tail.contains("事前"));
    assert!(tail.contains("重要な変更"));

    // An unknown revision is refused with exit 2.
    let out = r.pia(&[
        "render",
        "a",
        "--since",
        "no-such-rev",
        "-o",
        r.path("x.pdf").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!r.path("x.pdf").exists());
}

/// A redrawn 別添1 figure whose file name stays the same is one change of the figure item.
#[test]
fn changed_figure_file_with_the_same_path_is_a_change() {
    let r = Repo::new();
    let svg = |label: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"50\"><text x=\"10\" y=\"30\">{label}</text></svg>"
        )
    };
    fs::write(r.path("a/zu.svg"), svg("v1")).unwrap();
    r.edit(
        "assessment.toml",
        "[basic.attachment1]\n",
        "[basic.attachment1]\nfigure = \"zu.svg\"\n",
    );
    r.commit("figure");
    // Same file, same content: no change.
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    assert!(changes(&v).is_empty(), "{v:#}");
    // Redrawn under the same name.
    fs::write(r.path("a/zu.svg"), svg("v2")).unwrap();
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    let all = changes(&v);
    assert_eq!(all.len(), 1, "{v:#}");
    let c = &all[0];
    assert_eq!(c["path"], "basic.attachment1.figure");
    assert_eq!(c["item"], "Ⅰ （別添１） 事務の内容 事務の内容（図）");
    assert_eq!(c["kind"], "changed");
    assert_eq!(c["timing"], "事後");
    assert!(c["after"].as_str().unwrap().contains("図の内容を変更"));
}
