//! `pia diff` and `pia check --since` against a temporary git repository holding a reference
//! assessment (assessments/kanto-it-kenpo): commit it, change it, compare.
//!
//! The fixture helpers take the assessment directory as a parameter ([`Repo::with`]) and edit
//! items by their TOML path ([`Repo::set`], [`Repo::swap`]), so the same scenarios can run on
//! another reference assessment.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::copy_dir;
use support::git;

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

/// The reference assessment the scenarios run on.
const REFERENCE: &str = "assessments/kanto-it-kenpo";

impl Repo {
    /// A repository whose first commit holds the reference assessment in `a/`.
    fn new() -> Repo {
        Repo::with(REFERENCE)
    }

    /// A repository whose first commit holds the assessment `dir` (relative to the crate) in `a/`.
    fn with(dir: &str) -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
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

    /// The work tree's assessment, loaded.
    fn load(&self) -> pia::load::Loaded {
        pia::load::load(&self.path("a")).expect("the work tree's assessment loads")
    }

    /// The old revision `rev`, loaded.
    fn load_rev(&self, rev: &str) -> pia::load::Loaded {
        pia::diff::git::load_revision(&self.path("a"), rev).expect("the revision loads")
    }

    /// Replaces the value written at the TOML `path` with `toml` (a TOML value: `"\"text\""`,
    /// `2025-06-20`, `["a", "b"]`), wherever the assessment's files write it.
    fn set(&self, path: &str, toml: &str) {
        self.set_all(&[(path, toml)]);
    }

    /// [`Repo::set`] for several paths at once (values may move between places).
    fn set_all(&self, edits: &[(&str, &str)]) {
        let loaded = self.load();
        let mut by_file: Vec<(PathBuf, std::ops::Range<usize>, String)> = edits
            .iter()
            .map(|(path, toml)| {
                let loc = loaded
                    .sources
                    .loc(path)
                    .unwrap_or_else(|| panic!("{path} is not written"));
                (
                    loaded.sources.files[loc.file].path.clone(),
                    loc.value.clone(),
                    toml.to_string(),
                )
            })
            .collect();
        by_file.sort_by(|a, b| (&a.0, b.1.start).cmp(&(&b.0, a.1.start)));
        for (file, span, toml) in by_file {
            let mut text = fs::read_to_string(&file).unwrap();
            text.replace_range(span, &toml);
            fs::write(&file, text).unwrap();
        }
    }

    /// The TOML text of the value at `path`.
    fn toml_at(&self, path: &str) -> String {
        let loaded = self.load();
        let loc = loaded.sources.loc(path).expect("written");
        loaded.sources.files[loc.file].text[loc.value.clone()].to_string()
    }

    /// The assessment file (under `a/`) that writes `path`.
    fn file_of(&self, path: &str) -> String {
        let loaded = self.load();
        let file = loaded.sources.file_of(path).expect("written").to_path_buf();
        file.strip_prefix(self.path("a"))
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }

    /// Swaps the values of the items `keys` between blocks `a` and `b` (TOML paths of two blocks
    /// of one list, each writing every key): the blocks trade places.
    fn swap(&self, a: &str, b: &str, keys: &[&str]) {
        let mut edits = Vec::new();
        for k in keys {
            let (pa, pb) = (format!("{a}.{k}"), format!("{b}.{k}"));
            edits.push((pa.clone(), self.toml_at(&pb)));
            edits.push((pb, self.toml_at(&pa)));
        }
        let edits: Vec<(&str, &str)> = edits
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        self.set_all(&edits);
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

/// The built-in 令和6年10月 様式4.
fn form4() -> std::sync::Arc<pia::form::Form> {
    pia::form::Catalog::builtin().default_form()
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

    // Without a written reason the exclusion's label is the reason; a path without block
    // indexes covers the item in every file.
    let r = Repo::new();
    r.edit("file-kikan.toml", III_OLD, III_NEW);
    r.append(
        "assessment.toml",
        "\n[[pending]]\npath = \"files[].risk.acquisition\"\nexclusion = \"法令改正に伴う条項の変更\"\n",
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

/// A new order of the 委託事項 changes their printed numbers: one change of the list, not ※.
#[test]
fn reordered_entrustment_items_are_one_change_of_the_list() {
    let r = Repo::new();
    let titles: Vec<String> = r.load().assessment.files[0]
        .overview
        .entrustment
        .items
        .iter()
        .map(|i| i.title.clone())
        .collect();
    let text = r.read("a/file-kikan.toml");
    fs::write(
        r.path("a/file-kikan.toml"),
        reorder_entrustment(&text, &[3, 1, 0, 2]),
    )
    .unwrap();
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    let c = &changes(&v)[0];
    assert_eq!(
        c["item"],
        "Ⅱ ４．特定個人情報ファイルの取扱いの委託 委託事項"
    );
    assert_eq!(c["path"], "files[0].overview.entrustment.items");
    assert_eq!(c["star"], false);
    assert_eq!(c["important"], false);
    assert_eq!(c["timing"], "事後");
    assert_eq!(c["reason"], "重要な変更の対象項目ではない");
    let list = |order: &[usize]| {
        order
            .iter()
            .enumerate()
            .map(|(n, &i)| format!("委託事項{}：{}", n + 1, titles[i]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(c["before"], list(&[0, 1, 2, 3]));
    assert_eq!(c["after"], list(&[3, 1, 0, 2]));
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
    assert_eq!(
        iii.timing.map(|t| form4().text(t).to_string()),
        Some("事前".to_string())
    );
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
        .filter(|(c, _)| {
            [
                "PIA-E226", "PIA-E227", "PIA-E228", "PIA-W229", "PIA-E230", "PIA-E240", "PIA-W250",
                "PIA-E251", "PIA-E280",
            ]
            .contains(&c.as_str())
        })
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
        "--date",
        "2025-07-01",
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
    // carries the --date as 変更日 (without --date: today, tests/cycle.rs), the item as printed and
    // 事前 (a ※ item).
    let last_recorded = with.rfind("令和7年5月7日").unwrap();
    let row = &with[last_recorded..];
    let at = row
        .find("令和7年7月1日")
        .expect("new row dated with the --date");
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
        "figure = \"figures/jimu-zentai.svg\"\n",
        "figure = \"zu.svg\"\n",
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

// ---------------------------------------------------------------- renames, reorders, files

const ENTRUST: &str = "Ⅱ ４．特定個人情報ファイルの取扱いの委託";
const PROVISION: &str = "Ⅱ ５．特定個人情報の提供・移転（委託に伴うものを除く。）";
const SYSTEMS: &str = "Ⅰ ２．特定個人情報ファイルを取り扱う事務において使用するシステム";
const NOT_STAR: &str = "重要な変更の対象項目ではない";

/// Asserts the fields of a change that is neither ※ nor 重要 (事後, 重要な変更の対象項目ではない).
fn assert_non_star(c: &Value, item: &str, path: &str, kind: &str) {
    assert_eq!(c["item"], item, "{c:#}");
    assert_eq!(c["path"], path, "{c:#}");
    assert_eq!(c["kind"], kind, "{c:#}");
    assert_eq!(c["star"], false, "{c:#}");
    assert_eq!(c["important"], false, "{c:#}");
    assert_eq!(c["timing"], "事後", "{c:#}");
    assert_eq!(c["reason"], NOT_STAR, "{c:#}");
    assert_eq!(c["row"], true, "{c:#}");
}

/// `a` renamed to `b` is exactly one change: the name item, changed in place, not ※.
fn assert_one_rename(v: &Value, item: &str, path: &str, before: &str, after: &str) {
    assert_eq!(changes(v).len(), 1, "{v:#}");
    let c = &changes(v)[0];
    assert_non_star(c, item, path, "changed");
    assert_eq!(c["old_path"], path);
    assert_eq!(c["before"], before);
    assert_eq!(c["after"], after);
    assert_eq!(v["prior_required"], false);
    assert_eq!(v["reassessment"]["required"], false);
}

#[test]
fn renamed_entrustment_is_one_non_star_change() {
    let r = Repo::new();
    let path = "files[0].overview.entrustment.items[0].title";
    let old = r.load().assessment.files[0].overview.entrustment.items[0]
        .title
        .clone();
    // A wholly new name: nothing of the old name is left.
    r.set(path, "\"情報システムの運用支援業務\"");
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_one_rename(
        &v,
        &format!("{ENTRUST} 委託事項1 名称"),
        path,
        &old,
        "情報システムの運用支援業務",
    );
    // The same rename with one more item edited (⑥委託先名) is still the same block.
    r.set(
        "files[0].overview.entrustment.items[0].contractor_name",
        "\"公益財団法人日本生産性本部\"",
    );
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    let items: Vec<&str> = changes(&v)
        .iter()
        .map(|c| c["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        vec![
            format!("{ENTRUST} 委託事項1 名称"),
            format!("{ENTRUST} 委託事項1 ⑥委託先名"),
        ]
    );
    assert!(changes(&v).iter().all(|c| c["kind"] == "changed"));
}

#[test]
fn renamed_recipient_is_one_non_star_change() {
    let r = Repo::new();
    let path = "files[0].overview.provision.recipients[0].name";
    let old = r.load().assessment.files[0].overview.provision.recipients[0]
        .name
        .clone();
    r.set(path, "\"別紙１に掲げる情報照会者\"");
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_one_rename(
        &v,
        &format!("{PROVISION} 提供先1 名称"),
        path,
        &old,
        "別紙１に掲げる情報照会者",
    );
}

#[test]
fn renamed_system_is_one_non_star_change() {
    let r = Repo::new();
    let path = "basic.systems[1].name";
    let old = r.load().assessment.basic.systems[1].name.clone();
    r.set(path, "\"医療保険者等向け中間サーバー\"");
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_one_rename(
        &v,
        &format!("{SYSTEMS} システム2 ①システムの名称"),
        path,
        &old,
        "医療保険者等向け中間サーバー",
    );
}

/// The file names of the work tree with file `i` renamed, as a TOML array.
fn file_names_with(r: &Repo, i: usize, name: &str) -> String {
    let mut names = r.load().assessment.basic.file_names;
    names[i] = name.to_string();
    format!(
        "[{}]",
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[test]
fn renamed_file_is_one_change_and_keeps_item_pairs() {
    let r = Repo::new();
    let old = r.load().file_names()[0].clone();
    let new = "健康保険適用・給付情報ファイル";
    // Ⅰ ３, Ⅱ １ and Ⅲ １ all carry the name (D-20); a ※ edit in Ⅲ of the same file.
    r.set_all(&[
        ("basic.file_names", &file_names_with(&r, 0, new)),
        ("files[0].overview.file_name", &format!("\"{new}\"")),
        ("files[0].risk.file_name", &format!("\"{new}\"")),
    ]);
    r.edit(&r.file_of("files[0].risk.acquisition.r1"), III_OLD, III_NEW);
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    let all = changes(&v);
    assert_eq!(all.len(), 2, "{v:#}");
    // One change of the name: Ⅱ １ (not ※); Ⅰ ３ and Ⅲ １ are copies of it.
    let c = &all[0];
    assert_non_star(
        c,
        "Ⅱ １．特定個人情報ファイル名",
        "files[0].overview.file_name",
        "changed",
    );
    assert_eq!(c["before"], old);
    assert_eq!(c["after"], new);
    // The Ⅲ item is compared with the same item of the old file, not added with a new file.
    let c = &all[1];
    assert_eq!(c["item"], III_R1);
    assert_eq!(c["kind"], "changed");
    assert_eq!(
        c["path"],
        "files[0].risk.acquisition.r1.non_target_measures"
    );
    assert_eq!(
        c["old_path"],
        "files[0].risk.acquisition.r1.non_target_measures"
    );
    assert_eq!(c["important"], true);
    assert_eq!(c["timing"], "事前");
    assert!(!all.iter().any(|c| c["kind"] != "changed"), "{v:#}");
    assert_eq!(v["summary"]["important"], 1);

    // Without the ※ edit: the rename alone needs no 再実施.
    r.edit(&r.file_of("files[0].risk.acquisition.r1"), III_NEW, III_OLD);
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    assert_eq!(v["reassessment"]["required"], false);
}

/// Adds a second 提供先 after the first one (same items, another name), in the file that writes
/// the first one.
fn add_recipient(r: &Repo, name: &str) {
    let file = r.file_of("files[0].overview.provision.recipients[0]");
    let keys = [
        "legal_basis",
        "purpose",
        "info",
        "subject_count",
        "subject_scope",
        "methods",
        "timing",
    ];
    let mut block = format!("\n[[files.overview.provision.recipients]]\nname = \"{name}\"\n");
    for k in keys {
        let v = r.toml_at(&format!("files[0].overview.provision.recipients[0].{k}"));
        block.push_str(&format!("{k} = {v}\n"));
    }
    r.append(&file, &block);
}

const RECIPIENT_KEYS: &[&str] = &[
    "name",
    "legal_basis",
    "purpose",
    "info",
    "subject_count",
    "subject_scope",
    "methods",
    "timing",
];

#[test]
fn reorder_of_recipients_is_one_change_in_listing_and_record() {
    let r = Repo::new();
    let first = r.load().assessment.files[0].overview.provision.recipients[0]
        .name
        .clone();
    let second = "地方公共団体情報システム機構";
    add_recipient(&r, second);
    r.commit("提供先2");
    let base = "files[0].overview.provision.recipients";
    r.swap(&format!("{base}[0]"), &format!("{base}[1]"), RECIPIENT_KEYS);
    let loaded = r.load();
    assert_eq!(
        loaded.assessment.files[0].overview.provision.recipients[0].name,
        second
    );

    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    let c = &changes(&v)[0];
    assert_non_star(c, &format!("{PROVISION} 提供先"), base, "changed");
    assert_eq!(c["old_path"], base);
    assert_eq!(c["before"], format!("提供先1：{first}\n提供先2：{second}"));
    assert_eq!(c["after"], format!("提供先1：{second}\n提供先2：{first}"));

    // The listing shows it.
    let human = String::from_utf8(r.pia(&["diff", "--from", "HEAD", "a"]).stdout).unwrap();
    assert!(
        human.contains(&format!("事後      変更  {PROVISION} 提供先\n")),
        "{human}"
    );
    assert!(human.contains(&format!("TOML: {base}\n")), "{human}");
    let md = String::from_utf8(
        r.pia(&["diff", "--from", "HEAD", "a", "--format", "markdown"])
            .stdout,
    )
    .unwrap();
    assert!(
        md.contains(&format!(
            "| 1 | {PROVISION} 提供先 | 変更 | 事後 | {NOT_STAR} |"
        )),
        "{md}"
    );

    // 別添3 gets one row for it, and check --since sees the change recorded.
    let before = r.load().assessment.changes.len();
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
    let rows = r.load().assessment.changes;
    assert_eq!(rows.len(), before + 1);
    let row = &rows[before];
    assert_eq!(row.item, format!("{PROVISION} 提供先"));
    assert_eq!(row.paths, vec![base.to_string()]);
    assert_eq!(row.before, format!("提供先1：{first}\n提供先2：{second}"));
    assert_eq!(row.after, format!("提供先1：{second}\n提供先2：{first}"));
    assert_eq!(
        row.timing.map(|t| form4().text(t).to_string()),
        Some("事後".to_string())
    );
    assert_eq!(row.timing_reason, NOT_STAR);
    assert_eq!(check_codes(&r, "HEAD"), vec![]);
}

/// Every string of a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn added_file_named_by_its_name_everywhere() {
    let r = Repo::new();
    let old_name = r.load().file_names()[0].clone();
    let new_name = "任意継続被保険者情報ファイル";
    // A second file: a copy of the first under a new name, included and listed in Ⅰ ３.
    let source = r.file_of("files[0].overview.file_name");
    let text = r.read(&format!("a/{source}"));
    let copy = text.replace(
        &format!("file_name = \"{old_name}\""),
        &format!("file_name = \"{new_name}\""),
    );
    assert_eq!(copy.matches(new_name).count(), 2, "Ⅱ １ and Ⅲ １");
    fs::write(r.path("a/file-nini.toml"), copy).unwrap();
    let include = r.toml_at("include");
    r.set_all(&[
        (
            "include",
            &include.replacen('[', "[\"file-nini.toml\", ", 1).replacen(
                "[\"file-nini.toml\", ",
                &format!("[\"{source}\", \"file-nini.toml\", "),
                1,
            ),
        ),
        (
            "basic.file_names",
            &format!("[\"{old_name}\", \"{new_name}\"]"),
        ),
    ]);
    assert_eq!(
        r.load().file_names(),
        vec![old_name.clone(), new_name.to_string()]
    );

    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    let added: Vec<&Value> = changes(&v)
        .iter()
        .filter(|c| c["kind"] == "added")
        .collect();
    assert_eq!(added.len(), 1, "{v:#}");
    let c = added[0];
    assert_eq!(c["item"], format!("特定個人情報ファイル［{new_name}］"));
    assert_eq!(c["path"], "files[1]");
    assert_eq!(c["star"], true);
    assert_eq!(c["important"], true);
    assert_eq!(c["timing"], "事前");
    assert!(
        c["after"]
            .as_str()
            .unwrap()
            .starts_with(&format!("１．特定個人情報ファイル名：{new_name}\n")),
        "{c:#}"
    );
    // Nothing else but Ⅰ ３ changed: the first file keeps its items.
    assert_eq!(changes(&v).len(), 2, "{v:#}");
    assert_eq!(changes(&v)[0]["path"], "basic.file_names");

    // No template text in any output.
    let mut all = Vec::new();
    strings(&v, &mut all);
    assert!(all.iter().any(|s| s.contains(new_name)));
    for s in &all {
        assert!(
            !s.contains('{') && !s.contains('}'),
            "JSON string with a template: {s}"
        );
    }
    let human = String::from_utf8(r.pia(&["diff", "--from", "HEAD", "a"]).stdout).unwrap();
    assert!(
        human.contains(&format!("特定個人情報ファイル［{new_name}］")),
        "{human}"
    );
    assert!(!human.contains('{'), "{human}");
    let md = String::from_utf8(
        r.pia(&["diff", "--from", "HEAD", "a", "--format", "markdown"])
            .stdout,
    )
    .unwrap();
    assert!(
        md.contains(&format!("特定個人情報ファイル［{new_name}］")),
        "{md}"
    );
    assert!(!md.contains('{'), "{md}");
    // The recorded rows.
    let changes_file = r.file_of("changes");
    let original = r.read(&format!("a/{changes_file}"));
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
    let text = r.read(&format!("a/{changes_file}"));
    let appended = &text[original.len()..];
    assert!(
        appended.contains(&format!("item = \"特定個人情報ファイル［{new_name}］\"")),
        "{appended}"
    );
    assert!(!appended.contains('{'), "{appended}");
    let rows = r.load().assessment.changes;
    let row = rows
        .iter()
        .find(|row| row.paths == vec!["files[1]".to_string()])
        .unwrap();
    assert_eq!(row.item, format!("特定個人情報ファイル［{new_name}］"));
}

#[test]
fn subject_scope_necessity_star_decision() {
    // Decided: the ※ of ③対象となる本人の範囲 does not cover its sub-row 「その必要性」.
    let form = pia::form::Catalog::builtin().default_form();
    let path = "files[0].overview.basic.subject_scope_necessity";
    assert!(!form.is_star(path));
    assert!(form.is_star("files[0].overview.basic.subject_scope"));
    let note = form.node(path).unwrap().n.clone().unwrap();
    assert!(
        note.contains("重要な変更の対象（※）ではありません"),
        "{note}"
    );

    let r = Repo::new();
    r.set(path, "\"当組合の事務を行う上で、加入者の資格や給付に関する情報を記録・管理する必要があるため。\"");
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    assert_non_star(
        &changes(&v)[0],
        "Ⅱ ２．基本情報 ③対象となる本人の範囲 その必要性",
        path,
        "changed",
    );
    // ③ itself stays ※.
    r.set(
        "files[0].overview.basic.subject_scope",
        "\"当組合の加入者で、個人番号を有する者。\"",
    );
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 1);
    let c = change(&v, "Ⅱ ２．基本情報 ③対象となる本人の範囲");
    assert_eq!(c["star"], true);
    assert_eq!(c["important"], true);
    assert_eq!(c["timing"], "事前");
    assert_eq!(c["reason"], "重要な変更");
}

// ---------------------------------------------------------------- [[pending]] notes

const NT: &str = "files[0].risk.acquisition.r1.non_target_measures";
const LAW: &str = "法令改正に伴う条項の変更";

fn note(path: &str, extra: &str) -> String {
    format!("\n[[pending]]\npath = \"{path}\"\n{extra}")
}

/// Every diagnostic of `pia check --since <since> --format json` (code, path, message, file, line).
fn check_diags(r: &Repo, since: &str) -> Vec<Value> {
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
        .clone()
}

fn diag<'a>(diags: &'a [Value], code: &str, path: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code && d["path"] == path)
        .unwrap_or_else(|| panic!("no {code} at {path}: {diags:#?}"))
}

/// 1-based line of the first occurrence of `needle` in `a/<file>`.
fn line_of(r: &Repo, file: &str, needle: &str) -> usize {
    let text = r.read(&format!("a/{file}"));
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {file}"));
    text[..at].matches('\n').count() + 1
}

/// `pia::diff::compare` of HEAD and the work tree.
fn compare_head(r: &Repo) -> pia::diff::Report {
    pia::diff::compare(&r.load_rev("HEAD"), &r.load(), "HEAD", "作業ツリー")
}

#[test]
fn stale_note_is_not_applied() {
    let r = Repo::new();
    let file = r.file_of(NT);
    let reason = "番号法改正に伴う条ずれの修正のため事後に提出";
    // Revision 1: a ※ change excluded by a note, recorded in 別添3 — the note left behind.
    r.edit(&file, III_OLD, III_NEW);
    r.append(
        "assessment.toml",
        &note(
            NT,
            &format!("exclusion = \"{LAW}\"\nreason = \"{reason}\"\n"),
        ),
    );
    r.append(
        &r.file_of("changes"),
        &format!("\n[[changes]]\nchanged_on = 2025-05-20\nitem = \"{III_R1}\"\nbefore = \"{III_OLD}\"\nafter = \"{III_NEW}\"\ntiming = \"事後\"\ntiming_reason = \"{reason}\"\nexclusion = \"{LAW}\"\npaths = [\"{NT}\"]\n"),
    );
    r.commit("条ずれの修正（申告が残った）");
    // Revision 2: a new change of the same item.
    r.edit(
        &file,
        "情報登録を行わず、速やかに削除する。",
        "情報登録を行わず、速やかに完全に削除する。",
    );
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    let c = change(&v, III_R1);
    assert_eq!(c["path"], NT);
    assert_eq!(c["important"], true);
    assert_eq!(c["timing"], "事前");
    assert_eq!(c["reason"], "重要な変更");
    assert_eq!(c["exclusion"], Value::Null);
    assert_eq!(v["reassessment"]["required"], true);

    // The library reports the note as stale, not refused.
    let report = compare_head(&r);
    assert!(
        report.notes.refused.is_empty(),
        "{:?}",
        report.notes.refused
    );
    assert_eq!(report.notes.stale.len(), 1);
    let d = &report.notes.stale[0];
    assert_eq!(d.code, "PIA-W229");
    assert_eq!(d.path, "pending[0].path");
    assert_eq!(d.item, "未提出の変更の申告 1");
    assert_eq!(
        d.message,
        format!(
            "「未提出の変更の申告 1」（path = \"{NT}\"）は HEAD の版にもあり、その版の別添３の行「{III_R1}」の記録に使われた申告です。この版の変更には適用しません"
        )
    );
    let pos = d.position.as_ref().unwrap();
    assert!(pos.file.ends_with("a/assessment.toml"), "{pos:?}");
    assert_eq!(
        pos.line,
        line_of(&r, "assessment.toml", &format!("path = \"{NT}\""))
    );
    assert_eq!(pos.column, 8);
    // check --since warns about it (and the 重要な変更 has no 別添3 row and no 再実施).
    let diags = check_diags(&r, "HEAD");
    let w = diag(&diags, "PIA-W229", "pending[0].path");
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["message"], d.message);
    assert!(w["file"].as_str().unwrap().ends_with("assessment.toml"));
    diag(&diags, "PIA-E240", NT);
    diag(&diags, "PIA-E251", NT);
    assert!(!diags.iter().any(|d| d["code"] == "PIA-E227"), "{diags:#?}");

    // A note written anew for this change (its own reason) applies.
    r.edit(
        "assessment.toml",
        &format!("reason = \"{reason}\""),
        "reason = \"用語の修正のみで取扱いに変更はないため事後に提出\"",
    );
    let v = r.diff_json(&["--from", "HEAD", "a"], 0);
    let c = change(&v, III_R1);
    assert_eq!(c["important"], false);
    assert_eq!(c["timing"], "事後");
    assert_eq!(
        c["reason"],
        "用語の修正のみで取扱いに変更はないため事後に提出"
    );
    assert!(compare_head(&r).notes.stale.is_empty());
}

#[test]
fn record_consumes_used_notes() {
    let r = Repo::new();
    let changes_file = r.file_of("changes");
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    let main_before = r.read("a/assessment.toml");
    let changes_before = r.read(&format!("a/{changes_file}"));
    // One note in the main file, one in the 別添3 file.
    let r1 = "番号法の改正に伴う記載の変更で、取扱いに変更はないため事後に提出";
    let r2 = "税務システムとの接続（既存の連携の記載漏れ）を追記";
    r.append(
        "assessment.toml",
        &note(NT, &format!("exclusion = \"{LAW}\"\nreason = \"{r1}\"\n")),
    );
    r.append(
        &changes_file,
        &note(
            "basic.systems[0].connections",
            &format!("reason = \"{r2}\"\n"),
        ),
    );
    assert_eq!(r.load().assessment.pending.len(), 2);
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    assert_eq!(change(&v, III_R1)["reason"], r1);
    assert_eq!(change(&v, SYSTEM1_CONNECT)["reason"], r2);
    assert!(compare_head(&r).notes.refused.is_empty());

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
    assert!(String::from_utf8_lossy(&out.stderr).contains("別添３に 2 行を追加しました"));
    // Both notes are gone; the rest of each file is byte for byte what it was.
    assert_eq!(r.read("a/assessment.toml"), main_before);
    let text = r.read(&format!("a/{changes_file}"));
    assert!(
        text.starts_with(&changes_before),
        "the 別添3 file keeps its text"
    );
    assert!(
        !text.contains("[[pending]]"),
        "{}",
        &text[changes_before.len()..]
    );
    let loaded = r.load();
    assert!(loaded.assessment.pending.is_empty());
    let rows = &loaded.assessment.changes;
    let iii = rows
        .iter()
        .find(|row| row.paths == vec![NT.to_string()])
        .unwrap();
    assert_eq!(
        iii.exclusion.map(|t| form4().text(t).to_string()),
        Some(LAW.to_string())
    );
    assert_eq!(iii.timing_reason, r1);
    assert_eq!(
        iii.timing.map(|t| form4().text(t).to_string()),
        Some("事後".to_string())
    );

    // The recorded rows now carry the classification: the same diff, nothing refused, and
    // check --since finds nothing to fix.
    let v = r.diff_json(&["--from", "HEAD", "a", "--fail-on-prior"], 0);
    let c = change(&v, III_R1);
    assert_eq!(c["important"], false);
    assert_eq!(c["timing"], "事後");
    assert_eq!(c["exclusion"], LAW);
    assert_eq!(c["reason"], r1);
    assert_eq!(change(&v, SYSTEM1_CONNECT)["reason"], r2);
    assert!(compare_head(&r).notes.refused.is_empty());
    assert_eq!(check_codes(&r, "HEAD"), vec![]);
    // Recording again adds nothing and removes nothing.
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
    assert_eq!(r.read("a/assessment.toml"), main_before);
    assert_eq!(r.read(&format!("a/{changes_file}")), text);
}

#[test]
fn record_consumes_inline_notes() {
    let r = Repo::new();
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
    let before = r.read("a/assessment.toml");
    let include = r.toml_at("include");
    let second = "basic.systems[0].connections";
    r.edit(
        "assessment.toml",
        &format!("include = {include}\n"),
        &format!("include = {include}\npending = [\n  {{ path = \"{NT}\", exclusion = \"{LAW}\", reason = \"条ずれ\" }},\n  {{ path = \"{second}\", timing = \"事前\", reason = \"未使用\" }},\n]\n"),
    );
    assert_eq!(r.load().assessment.pending.len(), 2);
    // A note that no change uses is refused: nothing is recorded, nothing consumed.
    let changes_before = r.read(&format!("a/{}", r.file_of("changes")));
    let with_notes = r.read("a/assessment.toml");
    let out = r.pia(&[
        "diff",
        "--from",
        "HEAD",
        "a",
        "--record",
        "--date",
        "2025-05-20",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("PIA-E227") && stderr.contains(second),
        "{stderr}"
    );
    assert_eq!(r.read("a/assessment.toml"), with_notes);
    assert_eq!(
        r.read(&format!("a/{}", r.file_of("changes"))),
        changes_before
    );
    // Without the unused note, the used one is consumed and the file is as before.
    r.edit(
        "assessment.toml",
        &format!("  {{ path = \"{second}\", timing = \"事前\", reason = \"未使用\" }},\n"),
        "",
    );
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("使った申告を削除しました"));
    assert!(r.load().assessment.pending.is_empty());
    assert_eq!(r.read("a/assessment.toml"), before);
    // The last one used: the key goes.
    let r = Repo::new();
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
    let before = r.read("a/assessment.toml");
    r.edit(
        "assessment.toml",
        &format!("include = {include}\n"),
        &format!("include = {include}\npending = [{{ path = \"{NT}\", exclusion = \"{LAW}\" }}]\n"),
    );
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
    assert_eq!(r.read("a/assessment.toml"), before);
}

#[test]
fn record_consumes_notes_in_a_crlf_file() {
    let r = Repo::new();
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
    let crlf = r.read("a/assessment.toml").replace('\n', "\r\n");
    fs::write(r.path("a/assessment.toml"), &crlf).unwrap();
    r.append(
        "assessment.toml",
        &note(NT, &format!("exclusion = \"{LAW}\"\n")).replace('\n', "\r\n"),
    );
    assert_eq!(r.load().assessment.pending.len(), 1);
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
    assert!(r.load().assessment.pending.is_empty());
    assert_eq!(r.read("a/assessment.toml"), crlf, "CRLF kept, note removed");
}

#[test]
fn note_matching_nothing_is_refused() {
    let r = Repo::new();
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    // Nothing changed in Ⅲ ３ リスク１; the second path has a typo.
    r.append(
        "assessment.toml",
        &note(
            "files[0].risk.use.r1",
            "exclusion = \"記載の整備\"\nreason = \"運用実態に合わせた修正\"\n",
        ),
    );
    r.append(
        "assessment.toml",
        &note(
            "basic.systems[0].conections",
            "timing = \"事前\"\nreason = \"サーバー間接続開始に係る事項のため事前に変更\"\n",
        ),
    );
    let report = compare_head(&r);
    let got: Vec<(&str, &str, &str)> = report
        .notes
        .refused
        .iter()
        .map(|d| (d.code, d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "PIA-E227",
                "pending[0].path",
                "「未提出の変更の申告 1」（path = \"files[0].risk.use.r1\"）は、HEAD からの変更のどれにも当たりません"
            ),
            (
                "PIA-E227",
                "pending[1].path",
                "「未提出の変更の申告 2」（path = \"basic.systems[0].conections\"）は、HEAD からの変更のどれにも当たりません"
            ),
        ]
    );
    let pos = report.notes.refused[1].position.as_ref().unwrap();
    assert!(pos.file.ends_with("a/assessment.toml"));
    assert_eq!(
        pos.line,
        line_of(
            &r,
            "assessment.toml",
            "path = \"basic.systems[0].conections\""
        )
    );
    // Not applied: the change keeps its own classification.
    let c = report
        .changes
        .iter()
        .find(|c| c.path == "basic.systems[0].connections")
        .unwrap();
    assert_eq!(c.timing, pia::diff::Timing::Posterior);
    assert_eq!(c.reason, "重要な変更の対象項目ではない");
    // check --since: errors at the notes.
    let out = r.pia(&["check", "--format", "json", "--since", "HEAD", "a"]);
    assert_eq!(out.status.code(), Some(1));
    let diags = check_diags(&r, "HEAD");
    for k in 0..2 {
        let d = diag(&diags, "PIA-E227", &format!("pending[{k}].path"));
        assert_eq!(d["severity"], "error");
        assert_eq!(d["message"], report.notes.refused[k].message);
    }

    // A note that covers a change but is outdone by a more specific one is refused too.
    let r = Repo::new();
    r.edit("assessment.toml", CONNECT_OLD, CONNECT_NEW);
    r.append(
        "assessment.toml",
        &note("basic.systems", "timing = \"事前\"\nreason = \"A\"\n"),
    );
    r.append(
        "assessment.toml",
        &note(
            "basic.systems[0].connections",
            "timing = \"事前\"\nreason = \"B\"\n",
        ),
    );
    let report = compare_head(&r);
    assert_eq!(report.notes.refused.len(), 1);
    assert_eq!(report.notes.refused[0].path, "pending[0].path");
    assert_eq!(
        report.notes.refused[0].message,
        format!(
            "「未提出の変更の申告 1」（path = \"basic.systems\"）は使われていません。当たる変更「{SYSTEM1_CONNECT}」には、より詳しいパスの申告又は別添３の行が使われています"
        )
    );
    assert_eq!(report.changes[0].reason, "B");
}

#[test]
fn exclusion_on_whole_section_is_refused() {
    let r = Repo::new();
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
    for path in ["files[].risk", "basic", "files[0]", "files"] {
        r.append(
            "assessment.toml",
            &note(path, &format!("exclusion = \"{LAW}\"\n")),
        );
    }
    // A note without exclusion over a section is allowed (it cannot lower a ※ change).
    r.append(
        "assessment.toml",
        &note(
            "files[].risk",
            "reason = \"サーバー間接続開始のため重要な変更\"\n",
        ),
    );
    let report = compare_head(&r);
    let scope = [
        (
            "files[].risk",
            "Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
        ),
        ("basic", "Ⅰ　基本情報"),
        (
            "files[0]",
            "特定個人情報ファイル［健康保険基幹情報ファイル］",
        ),
        ("files", "特定個人情報ファイル"),
    ];
    let expected: Vec<(String, String)> = scope
        .iter()
        .enumerate()
        .map(|(k, (path, name))| {
            (
                format!("pending[{k}].path"),
                format!("「未提出の変更の申告 {}」（path = \"{path}\"）は「{name}」全体を重要な変更に当たらない（{LAW}）としています。除外は項目ごとに申告してください", k + 1),
            )
        })
        .collect();
    let got: Vec<(String, String)> = report
        .notes
        .refused
        .iter()
        .map(|d| {
            assert_eq!(d.code, "PIA-E228");
            (d.path.clone(), d.message.clone())
        })
        .collect();
    assert_eq!(got, expected);
    // None of them lowers the ※ change; the section note without exclusion gives its reason.
    let c = report.changes.iter().find(|c| c.path == NT).unwrap();
    assert!(c.important);
    assert_eq!(c.timing, pia::diff::Timing::Prior);
    assert_eq!(c.exclusion, None);
    assert_eq!(c.reason, "サーバー間接続開始のため重要な変更");
    // One revision is enough to see them (for `pia check`), and check --since reports them.
    let single: Vec<String> = pia::check::since::note_diagnostics_single(&r.load())
        .iter()
        .map(|d| format!("{} {}", d.code, d.path))
        .collect();
    assert_eq!(
        single,
        (0..4)
            .map(|k| format!("PIA-E228 pending[{k}].path"))
            .collect::<Vec<_>>()
    );
    let diags = check_diags(&r, "HEAD");
    for k in 0..4 {
        assert_eq!(
            diag(&diags, "PIA-E228", &format!("pending[{k}].path"))["severity"],
            "error"
        );
    }
    // Group- and item-level exclusions are accepted.
    assert!(!pia::diff::classify::covers_whole_section(
        &form4(),
        "files[0].risk.acquisition.r1"
    ));
    assert!(!pia::diff::classify::covers_whole_section(
        &form4(),
        "files[].risk.acquisition"
    ));
    assert!(!pia::diff::classify::covers_whole_section(&form4(), NT));
    assert!(pia::diff::classify::covers_whole_section(&form4(), ""));
    assert!(pia::diff::classify::covers_whole_section(
        &form4(),
        "other_risk"
    ));
    assert!(pia::diff::classify::covers_whole_section(&form4(), "cover"));
}

// ---------------------------------------------------------------- check --since: 再実施, D-28

#[test]
fn important_change_without_reassessment_is_error() {
    let r = Repo::new();
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
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
    let diags = check_diags(&r, "HEAD");
    let d = diag(&diags, "PIA-E251", NT);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["item"], III_R1);
    assert_eq!(
        d["message"],
        format!(
            "重要な変更「{III_R1}」があるのに、HEAD 以降の評価の再実施が「Ⅵ　評価実施手続」に記載されていません（Ⅵ １．基礎項目評価、Ⅵ ２．国民・住民等からの意見の聴取、Ⅵ ４．個人情報保護委員会の承認　【行政機関等のみ】、個人情報保護委員会　承認日　【行政機関等のみ】 のいずれも更新されていません）"
        )
    );
    assert_eq!(
        d["line"].as_u64().unwrap() as usize,
        line_of(&r, &r.file_of(NT), "non_target_measures = ")
    );
    // The rows are in order (事前, after the 公表日): E251 is the only finding.
    assert_eq!(
        check_codes(&r, "HEAD"),
        vec![("PIA-E251".to_string(), NT.to_string())]
    );
    // A new 基礎項目評価 shows the 再実施 under way.
    r.set("procedure.basic_assessment.date", "2025-06-20");
    assert_eq!(check_codes(&r, "HEAD"), vec![]);

    // 地方公共団体等: the 第三者点検 counts.
    let r = Repo::new();
    r.set("meta.org_kind", "\"地方公共団体等\"");
    r.commit("地方公共団体等");
    r.edit(&r.file_of(NT), III_OLD, III_NEW);
    let diags = check_diags(&r, "HEAD");
    let d = diag(&diags, "PIA-E251", NT);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .ends_with("（Ⅵ １．基礎項目評価、Ⅵ ２．国民・住民等からの意見の聴取、Ⅵ ３．第三者点検 のいずれも更新されていません）"),
        "{d:#}"
    );
    r.append(
        "assessment.toml",
        "\n[procedure.third_party_review]\ndate = 2025-06-10\n",
    );
    assert!(
        !check_diags(&r, "HEAD")
            .iter()
            .any(|d| d["code"] == "PIA-E251")
    );
}

#[test]
fn purpose_change_needs_validity() {
    let r = Repo::new();
    let purpose = "files[0].overview.use.purpose";
    let validity = "files[0].overview.use.purpose_change_validity";
    let text = r.load().assessment.files[0].overview.use_.purpose.clone();
    r.set(
        purpose,
        &format!("'''\n{text}\nまた、被保険者が希望した場合に限り、公金受取口座情報を給付金等の支給に使用する。'''"),
    );
    let item = "Ⅱ ３．特定個人情報の入手・使用 ⑥使用目的";
    let label = "Ⅱ ３．特定個人情報の入手・使用 ⑥使用目的 変更の妥当性";
    let e280 = |r: &Repo| -> Option<Value> {
        check_diags(r, "HEAD")
            .into_iter()
            .find(|d| d["code"] == "PIA-E280")
    };
    // The reference says 「使用目的の変更なし」.
    let d = e280(&r).expect("E280");
    assert_eq!(d["path"], validity);
    assert_eq!(d["item"], label);
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["message"],
        format!(
            "「{item}」が変更されていますが（HEAD 以降）、「{label}」が「使用目的の変更なし」のままです"
        )
    );
    // Empty.
    r.set(validity, "\"\"");
    assert_eq!(
        e280(&r).expect("E280")["message"],
        format!("「{item}」が変更されていますが（HEAD 以降）、「{label}」が空欄です")
    );
    // Explained: no error.
    let why = "公金受取口座登録法の施行に伴い、被保険者が希望した場合に限り公金受取口座情報を給付金等の支給に使用することとした。";
    r.set(validity, &format!("\"{why}\""));
    assert_eq!(e280(&r), None);
    r.commit("公金受取口座");
    // The next change of ⑥ with the old explanation left as it was.
    r.edit(
        &r.file_of(purpose),
        "給付金等の支給に使用する。'''",
        "給付金等の支給及び還付金の返還に使用する。'''",
    );
    assert_eq!(
        e280(&r).expect("E280")["message"],
        format!(
            "「{item}」が変更されていますが（HEAD 以降）、「{label}」が更新されていません（HEAD の版と同じ記載です）"
        )
    );
}
