//! The CI recipes (ci/github/pia.yml, ci/gitlab/pia.gitlab-ci.yml) run, not just read: temporary
//! git repositories shaped like an assessments repository (the scripts of ci/scripts/ copied in,
//! a base branch `main`, a pull-request branch), in which the shell of the workflow steps — taken
//! out of the workflow files themselves — and the scripts run against the pia built for the
//! tests, on PATH as the workflows have it.
//!
//! Two pull requests: one that ADDS an assessment (its first pull request: nothing to compare
//! with) and one that EDITS an existing one (a Ⅲ text, then its 別添３ row). The GitHub REST
//! API and the GitLab notes API are played by small fake `gh` and `curl` programs that keep the
//! comments in a JSON file, so that "updated, not duplicated" is asserted on what was stored.

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::{copy_dir, git, root};

const REFERENCE: &str = "kanto-it-kenpo";
const III_R1: &str =
    "Ⅲ ２．特定個人情報の入手 リスク１ 対象者以外の情報の入手を防止するための措置の内容";
const III_PATH: &str = "files[0].risk.acquisition.r1.non_target_measures";
const III_OLD: &str = "・機関誌や当組合Ｗｅｂ等で、個人番号の記載が必要な届出書";
const III_NEW: &str = "・機関誌や当組合Ｗｅｂ及びＳＮＳ等で、個人番号の記載が必要な届出書";
const MARKER: &str = "<!-- pia-diff -->";

/// The 別添３ row of the Ⅲ change: 事後, excluded from 重要な変更 as risk-reducing.
fn iii_row() -> String {
    format!(
        "\n[[changes]]\nchanged_on = 2025-05-20\nitem = \"{III_R1}\"\nbefore = \"{III_OLD}の種類、様式、記載説明を明示して周知する。\"\nafter = \"{III_NEW}の種類、様式、記載説明を明示して周知する。\"\ntiming = \"事後\"\ntiming_reason = \"周知の手段を加える、リスクを明らかに軽減する変更のため\"\nexclusion = \"リスクを明らかに軽減する変更\"\npaths = [\"{III_PATH}\"]\n"
    )
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write_exe(path: &Path, body: &str) {
    fs::write(path, body).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Workflow files: the text of one job, the shell and env of one step.

/// The lines of job `job` (a key at two spaces under `jobs:`) up to the next job.
fn job_section(yaml: &str, job: &str) -> String {
    let head = format!("  {job}:");
    let mut lines = yaml.lines().skip_while(|l| *l != head);
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no job {job} in the workflow"));
    let mut out = vec![first];
    for l in lines {
        let indent = l.len() - l.trim_start().len();
        if !l.trim().is_empty() && indent <= 2 {
            break;
        }
        out.push(l);
    }
    out.join("\n")
}

/// A step of a job: its `run:` shell (a block or one line) and its plain `env:` entries.
struct Step {
    run: String,
    env: Vec<(String, String)>,
}

fn step(job: &str, name: &str) -> Step {
    let lines: Vec<&str> = job.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step 「{name}」 in:\n{job}"));
    let dash = lines[start].len() - lines[start].trim_start().len();
    let key_indent = dash + 2;
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        let indent = l.len() - l.trim_start().len();
        if !l.trim().is_empty() && indent <= dash {
            break;
        }
        end += 1;
    }
    let body = &lines[start + 1..end];
    let mut run = None;
    let mut env = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let l = body[i];
        let indent = l.len() - l.trim_start().len();
        let t = l.trim();
        if indent == key_indent && t == "run: |" {
            let mut block = Vec::new();
            i += 1;
            while i < body.len() {
                let b = body[i];
                let bi = b.len() - b.trim_start().len();
                if !b.trim().is_empty() && bi <= key_indent {
                    break;
                }
                block.push(b.get(key_indent + 2..).unwrap_or(""));
                i += 1;
            }
            run = Some(block.join("\n"));
            continue;
        }
        if indent == key_indent
            && let Some(cmd) = t.strip_prefix("run: ")
        {
            run = Some(cmd.to_string());
        }
        if indent == key_indent && t == "env:" {
            i += 1;
            while i < body.len() && body[i].len() - body[i].trim_start().len() > key_indent {
                let (k, v) = body[i].trim().split_once(": ").expect("KEY: value");
                if !v.contains("${{") {
                    env.push((k.to_string(), v.trim_matches('"').to_string()));
                }
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    Step {
        run: run.unwrap_or_else(|| panic!("step 「{name}」 has no run:")),
        env,
    }
}

/// The `script:` items of a GitLab job, as one bash script (the runner runs them in one shell).
fn gitlab_script(yaml: &str, job: &str) -> Vec<String> {
    let head = format!("{job}:");
    let lines: Vec<&str> = yaml
        .lines()
        .skip_while(|l| *l != head)
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .collect();
    let start = lines
        .iter()
        .position(|l| *l == "  script:")
        .unwrap_or_else(|| panic!("no script: in {job}"));
    let mut items = Vec::new();
    let mut i = start + 1;
    while i < lines.len() && (lines[i].starts_with("    ") || lines[i].is_empty()) {
        let l = lines[i];
        if let Some(item) = l.strip_prefix("    - ") {
            if item == "|" {
                let mut block = Vec::new();
                i += 1;
                while i < lines.len() && (lines[i].starts_with("      ") || lines[i].is_empty()) {
                    block.push(lines[i].get(6..).unwrap_or(""));
                    i += 1;
                }
                items.push(block.join("\n"));
                continue;
            }
            items.push(item.to_string());
        }
        i += 1;
    }
    items
}

fn github_workflow() -> String {
    read(&root().join("ci/github/pia.yml"))
}

fn gitlab_pipeline() -> String {
    read(&root().join("ci/gitlab/pia.gitlab-ci.yml"))
}

// ---------------------------------------------------------------------------------------------
// An assessments repository.

struct Pr {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    /// A `pia` link to the binary under test (and the fake gh / curl): first on PATH.
    bin: PathBuf,
    /// Files the step runs leave: $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, the fake API's store.
    work: PathBuf,
}

impl Pr {
    /// `main` holds the scripts and the assessments `names` (copies of the reference); the
    /// work tree is on the branch `pr`, made from it.
    fn new(names: &[&str]) -> Pr {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let bin = tmp.path().join("bin");
        let work = tmp.path().join("work");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&bin).unwrap();
        fs::create_dir_all(&work).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_pia"), bin.join("pia")).unwrap();
        git(&root, &["init", "-q", "-b", "main"]);
        git(&root, &["config", "user.email", "test@example.invalid"]);
        git(&root, &["config", "user.name", "test"]);
        git(&root, &["config", "core.autocrlf", "false"]);
        git(&root, &["config", "commit.gpgsign", "false"]);
        copy_dir(
            &support::root().join("ci/scripts"),
            &root.join("ci/scripts"),
        );
        fs::write(root.join("README.md"), "評価書のリポジトリ\n").unwrap();
        let pr = Pr {
            _tmp: tmp,
            root,
            bin,
            work,
        };
        for n in names {
            pr.add(n);
        }
        pr.commit("base");
        git(&pr.root, &["checkout", "-q", "-b", "pr"]);
        pr
    }

    /// Puts the fake `gh` and `curl` first on PATH.
    fn fake_apis(&self) {
        write_exe(&self.bin.join("gh"), FAKE_GH);
        write_exe(&self.bin.join("curl"), FAKE_CURL);
    }

    /// assessments/<name>: a copy of the reference.
    fn add(&self, name: &str) {
        copy_dir(
            &support::reference(REFERENCE),
            &self.root.join("assessments").join(name),
        );
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Replaces the first `from` (which must be there) in the file `rel`.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let t = read(&self.path(rel));
        assert!(t.contains(from), "{rel} does not contain {from:?}");
        fs::write(self.path(rel), t.replacen(from, to, 1)).unwrap();
    }

    fn append(&self, rel: &str, more: &str) {
        let mut t = read(&self.path(rel));
        t.push_str(more);
        fs::write(self.path(rel), t).unwrap();
    }

    fn commit(&self, message: &str) {
        git(&self.root, &["add", "-A"]);
        git(&self.root, &["commit", "-q", "-m", message]);
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        c.current_dir(&self.root)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("FAKE_API_STORE", &self.work)
            .env("GITHUB_OUTPUT", self.work.join("github_output"))
            .env("GITHUB_STEP_SUMMARY", self.work.join("step_summary.md"))
            .env_remove("PIA")
            .env_remove("PIA_FORMAT")
            .env_remove("PIA_SARIF")
            .env_remove("PIA_JSON")
            .env_remove("GH_TOKEN")
            .env_remove("GITHUB_TOKEN");
        // What a CI running these tests may have set for its own pipeline.
        for v in [
            "CI_MERGE_REQUEST_TARGET_BRANCH_SHA",
            "CI_MERGE_REQUEST_DIFF_BASE_SHA",
            "PIA_GIT_URL",
            "PIA_REF",
            "PIA_VERSION",
            "PIA_RELEASE_REPO",
            "PIA_RELEASE_URL",
            "PIA_TARGET",
            "PIA_ROOT",
            "PIA_GITLAB_TOKEN",
        ] {
            c.env_remove(v);
        }
        c
    }

    /// Runs a workflow step's shell as GitHub Actions runs a `run:` without `shell:` (bash -e),
    /// with the workflow's BASE and the step's env.
    fn run_step(&self, step: &Step, base: &str, extra: &[(&str, &str)]) -> Output {
        let mut c = self.command("bash");
        c.args(["--noprofile", "--norc", "-e", "-c", &step.run])
            .env("BASE", base)
            .env("GITHUB_REPOSITORY", "kenpo/assessments");
        for (k, v) in &step.env {
            c.env(k, v);
        }
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().expect("bash runs")
    }

    /// Runs a script directly, with PIA naming the binary (the variable the scripts honour).
    fn script(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.command("bash");
        c.arg(format!("ci/scripts/{name}"))
            .args(args)
            .env("PIA", env!("CARGO_BIN_EXE_pia"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("bash runs")
    }

    fn comments(&self) -> Vec<Value> {
        let p = self.work.join("comments.json");
        if !p.exists() {
            return Vec::new();
        }
        serde_json::from_str::<Value>(&read(&p))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn api_log(&self) -> Vec<String> {
        let p = self.work.join("api.log");
        if !p.exists() {
            return Vec::new();
        }
        read(&p).lines().map(str::to_string).collect()
    }
}

/// `gh api` as github-comment.sh calls it, over comments kept in $FAKE_API_STORE/comments.json.
const FAKE_GH: &str = r#"#!/usr/bin/env bash
set -euo pipefail
store="$FAKE_API_STORE"
[ -f "$store/comments.json" ] || echo '[]' > "$store/comments.json"
[ "$1" = api ] || { echo "fake gh: only api" >&2; exit 1; }
shift
method=GET; input=""; filter=""; url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --jq) filter="$2"; shift 2 ;;
    --paginate|--silent) shift ;;
    -*) echo "fake gh: unknown option $1" >&2; exit 1 ;;
    *) url="$1"; shift ;;
  esac
done
[ -n "${GH_TOKEN:-}" ] || { echo "fake gh: no GH_TOKEN" >&2; exit 4; }
echo "$method $url" >> "$store/api.log"
case "$method" in
  GET) if [ -n "$filter" ]; then jq -r "$filter" "$store/comments.json"; else cat "$store/comments.json"; fi ;;
  POST)
    id=$(( $(jq length "$store/comments.json") + 100 ))
    jq --argjson id "$id" --slurpfile b "$input" \
      '. + [{id: $id, user: {login: "github-actions[bot]", type: "Bot"}, body: $b[0].body}]' \
      "$store/comments.json" > "$store/next.json"
    mv "$store/next.json" "$store/comments.json" ;;
  PATCH)
    id="${url##*/}"
    jq --argjson id "$id" --slurpfile b "$input" 'map(if .id == $id then .body = $b[0].body else . end)' \
      "$store/comments.json" > "$store/next.json"
    mv "$store/next.json" "$store/comments.json" ;;
esac
"#;

/// `curl` as gitlab-note.sh calls it (the GitLab notes API), over $FAKE_API_STORE/comments.json.
const FAKE_CURL: &str = r#"#!/usr/bin/env bash
set -euo pipefail
store="$FAKE_API_STORE"
[ -f "$store/comments.json" ] || echo '[]' > "$store/comments.json"
printf '%s\n' "$*" >> "$store/argv.log"
method=GET; data=""; url=""; headers=""
while [ $# -gt 0 ]; do
  case "$1" in
    -X) method="$2"; shift 2 ;;
    -H) headers="$headers$2"$'\n'; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    -fsS) shift ;;
    -*) echo "fake curl: unknown option $1" >&2; exit 2 ;;
    *) url="$1"; shift ;;
  esac
done
for h in $headers; do
  case "$h" in @*) cat "${h#@}" >> "$store/headers.log" ;; esac
done
echo "$method ${url%%\?*}" >> "$store/api.log"
case "$method" in
  GET)
    case "$url" in *page=1\&*) cat "$store/comments.json" ;; *) echo '[]' ;; esac ;;
  POST)
    id=$(( $(jq length "$store/comments.json") + 100 ))
    jq --argjson id "$id" --slurpfile b "${data#@}" '. + [{id: $id, system: false, body: $b[0].body}]' \
      "$store/comments.json" > "$store/next.json"
    mv "$store/next.json" "$store/comments.json"; echo '{}' ;;
  PUT)
    id="${url##*/}"
    jq --argjson id "$id" --slurpfile b "${data#@}" 'map(if .id == $id then .body = $b[0].body else . end)' \
      "$store/comments.json" > "$store/next.json"
    mv "$store/next.json" "$store/comments.json"; echo '{}' ;;
esac
"#;

fn assert_code(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}\n--- stdout\n{}\n--- stderr\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// Whether a Japanese font is installed (fontconfig): rendering needs one. CI installs them
/// (scripts/setup-debian.sh); a machine without them skips only the PDF assertions.
fn japanese_font() -> bool {
    Command::new("fc-list")
        .args([":lang=ja", "family"])
        .output()
        .map(|o| o.status.success() && !o.stdout.is_empty())
        .unwrap_or(false)
}

/// The text of a PDF, lines joined (a phrase may wrap).
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed: bash scripts/setup-debian.sh");
    assert!(out.status.success());
    text(&out.stdout).replace('\n', "")
}

/// SARIF 2.1.0 with one run whose every result's ruleIndex names its ruleId.
fn assert_sarif(sarif: &Value) -> Vec<&Value> {
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run");
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let results = runs[0]["results"].as_array().unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "{r:#}");
    }
    results.iter().collect()
}

// ---------------------------------------------------------------------------------------------
// (a) The pull request ADDS an assessment.

#[test]
fn new_assessment_first_pull_request() {
    let pr = Pr::new(&["kanto-it-kenpo"]);
    pr.add("minami-kenpo");
    pr.edit(
        "assessments/minami-kenpo/assessment.toml",
        "title = \"関東ＩＴソフトウェア健康保険組合における",
        "title = \"南関東ＩＴソフトウェア健康保険組合における",
    );
    pr.commit("南関東の評価書を追加");

    let wf = github_workflow();
    let check_job = job_section(&wf, "check");

    // The changed assessments: the new one only.
    let out = pr.run_step(&step(&check_job, "変更された評価書"), "main", &[]);
    assert_code(&out, 0, "changed assessments");
    assert_eq!(
        read(&pr.path("pia-changed.txt")),
        "assessments/minami-kenpo\n"
    );
    assert!(read(&pr.work.join("github_output")).contains("count=1\n"));

    // The old recipe's failure: --since of a path that the base does not have.
    let raw = pr
        .command(env!("CARGO_BIN_EXE_pia"))
        .args(["check", "--since", "main", "assessments/minami-kenpo"])
        .output()
        .unwrap();
    assert_code(&raw, 2, "pia check --since of a new assessment");
    assert!(
        text(&raw.stderr).contains("PIA-L020"),
        "{}",
        text(&raw.stderr)
    );

    // The workflow's check step: passes, says why it skipped --since, annotates, writes SARIF.
    let out = pr.run_step(
        &step(&check_job, "pia check（アノテーションと SARIF）"),
        "main",
        &[],
    );
    assert_code(&out, 0, "check of a new assessment");
    let log = text(&out.stderr);
    assert!(
        log.contains("新しい評価書です（main にありません）: assessments/minami-kenpo — 最初のプルリクエストのため --since を付けずに検査します"),
        "{log}"
    );
    assert!(!log.contains("PIA-L020"), "{log}");
    let annotations = text(&out.stdout);
    assert!(
        annotations.contains("::warning file=assessments/minami-kenpo/assessment.toml,line=35,col=16,title=PIA-W261 公表日::"),
        "{annotations}"
    );
    assert!(!annotations.contains("::error"), "{annotations}");
    let summary = read(&pr.work.join("step_summary.md"));
    assert!(
        summary.contains("### assessments/minami-kenpo"),
        "{summary}"
    );
    let sarif: Value = serde_json::from_str(&read(&pr.path("pia.sarif"))).unwrap();
    let results = assert_sarif(&sarif);
    assert!(!results.is_empty());
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("assessments/minami-kenpo/"), "{uri}");
        assert_eq!(r["level"], "warning", "{r:#}");
    }
    // The script called directly (PIA naming the binary): the same verdict.
    let direct = pr.script("check.sh", &["main", "assessments/minami-kenpo"], &[]);
    assert_code(&direct, 0, "check.sh of a new assessment");
    assert!(text(&direct.stderr).contains("--since を付けずに検査します"));

    // Options after `--` reach pia: with --deny-warnings the warnings fail the check.
    let strict = pr.script(
        "check.sh",
        &["main", "assessments/minami-kenpo", "--", "--deny-warnings"],
        &[],
    );
    assert_code(&strict, 1, "check.sh -- --deny-warnings");

    // The comment names the new assessment, without a diff table.
    let out = pr.run_step(
        &step(&check_job, "pia diff（プルリクエストのコメント）"),
        "main",
        &[],
    );
    assert_code(&out, 0, "diff comment");
    let body = read(&pr.path("pia-diff.md"));
    assert!(
        body.starts_with(&format!("{MARKER}\n# pia: 評価書の変更（比較元 `main`）\n")),
        "{body}"
    );
    assert!(
        body.contains("## 新しい評価書: `assessments/minami-kenpo`"),
        "{body}"
    );
    assert!(
        body.contains("`pia check` は `--since` を付けずに実行しました"),
        "{body}"
    );
    assert!(!body.contains("| # | 項目 |"), "{body}");

    // The PDF of the new assessment.
    let render_job = job_section(&wf, "render");
    let out = pr.run_step(&step(&render_job, "変更された評価書"), "main", &[]);
    assert_code(&out, 0, "changed assessments (render job)");
    if !japanese_font() {
        eprintln!("no Japanese font installed: the PDF assertions are skipped");
        return;
    }
    let out = pr.run_step(&step(&render_job, "pia render"), "main", &[]);
    assert_code(&out, 0, "render");
    let pdf = pr.path("pia-pdf/minami-kenpo.pdf");
    assert!(read_bytes(&pdf).starts_with(b"%PDF-"));
    assert!(
        pdf_text(&pdf)
            .contains("南関東ＩＴソフトウェア健康保険組合における適用、給付及び徴収関係事務"),
        "the PDF is the new assessment's"
    );
    assert_eq!(
        fs::read_dir(pr.path("pia-pdf")).unwrap().count(),
        1,
        "only the changed assessment is rendered"
    );
}

fn read_bytes(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

// ---------------------------------------------------------------------------------------------
// (b) The pull request EDITS an existing assessment.

#[test]
fn edited_assessment_needs_its_attachment3_row() {
    let pr = Pr::new(&["kanto-it-kenpo", "sonota-kenpo"]);
    pr.fake_apis();
    let file = "assessments/kanto-it-kenpo/file-kikan.toml";
    pr.edit(file, III_OLD, III_NEW);
    pr.commit("Ⅲ の記載を変更（別添３の行なし）");

    let wf = github_workflow();
    let check_job = job_section(&wf, "check");
    let out = pr.run_step(&step(&check_job, "変更された評価書"), "main", &[]);
    assert_code(&out, 0, "changed assessments");
    assert_eq!(
        read(&pr.path("pia-changed.txt")),
        "assessments/kanto-it-kenpo\n",
        "the untouched assessment is not listed"
    );

    // Without its 別添３ row: check --since fails with PIA-E240 on the changed item.
    let check = step(&check_job, "pia check（アノテーションと SARIF）");
    let out = pr.run_step(&check, "main", &[]);
    assert_code(&out, 1, "check --since without the 別添３ row");
    let log = text(&out.stderr);
    assert!(
        log.contains("pia check --since main: assessments/kanto-it-kenpo"),
        "{log}"
    );
    let annotations = text(&out.stdout);
    let e240 = annotations
        .lines()
        .find(|l| l.contains("title=PIA-E240"))
        .unwrap_or_else(|| panic!("no PIA-E240 annotation:\n{annotations}"));
    assert!(
        e240.starts_with(&format!(
            "::error file={file},line=583,col=23,title=PIA-E240 {III_R1}::「{III_R1}」の変更（main 以降）に対応する別添３の行がありません"
        )),
        "{e240}"
    );
    let sarif: Value = serde_json::from_str(&read(&pr.path("pia.sarif"))).unwrap();
    let results = assert_sarif(&sarif);
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "PIA-E240")
        .expect("PIA-E240 in the SARIF log");
    assert_eq!(r["level"], "error");
    assert_eq!(r["properties"]["path"], III_PATH);
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        file
    );

    // The comment: the changed item, 事前 (a ※ item, no exclusion yet).
    let diff = step(&check_job, "pia diff（プルリクエストのコメント）");
    let post = step(&check_job, "コメントを投稿・更新");
    let out = pr.run_step(&diff, "main", &[]);
    assert_code(&out, 0, "diff comment");
    let body = read(&pr.path("pia-diff.md"));
    assert!(body.starts_with(MARKER), "{body}");
    assert!(
        body.contains("## 評価書の変更（main → 作業ツリー（assessments/kanto-it-kenpo））"),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "| 1 | {III_R1} | 変更 | **事前** ※ | 重要な変更 |"
        )),
        "{body}"
    );
    assert!(body.contains("Ｗｅｂ{+及びＳＮＳ+}等で"), "{body}");
    assert!(!body.contains("sonota-kenpo"), "{body}");

    // Posted once, next to a reviewer's comment that is left alone.
    fs::write(
        pr.work.join("comments.json"),
        r#"[{"id": 1, "user": {"login": "reviewer", "type": "User"}, "body": "確認します"}]"#,
    )
    .unwrap();
    let number = "${{ github.event.pull_request.number }}";
    assert!(post.run.contains(number), "{}", post.run);
    let post = Step {
        run: post.run.replace(number, "7"),
        env: post.env,
    };
    let out = pr.run_step(&post, "main", &[("GH_TOKEN", "token")]);
    assert_code(&out, 0, "post the comment");
    assert_eq!(
        pr.api_log(),
        [
            "GET repos/kenpo/assessments/issues/7/comments?per_page=100",
            "POST repos/kenpo/assessments/issues/7/comments"
        ]
    );
    let comments = pr.comments();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[1]["body"].as_str().unwrap(), body);

    // The next push adds the 別添３ row: the check passes, the comment is updated in place.
    pr.append("assessments/kanto-it-kenpo/changes.toml", &iii_row());
    pr.commit("別添３に行を追加");
    let out = pr.run_step(&check, "main", &[]);
    assert_code(&out, 0, "check --since with the 別添３ row");
    assert!(!text(&out.stdout).contains("PIA-E240"));
    let out = pr.run_step(&diff, "main", &[]);
    assert_code(&out, 0, "diff comment");
    let body2 = read(&pr.path("pia-diff.md"));
    assert!(
        body2.contains(&format!(
            "| 1 | {III_R1} | 変更 | 事後 | 周知の手段を加える、リスクを明らかに軽減する変更のため |"
        )),
        "{body2}"
    );
    let out = pr.run_step(&post, "main", &[("GH_TOKEN", "token")]);
    assert_code(&out, 0, "update the comment");
    assert_eq!(
        pr.api_log()[2..],
        [
            "GET repos/kenpo/assessments/issues/7/comments?per_page=100",
            "PATCH repos/kenpo/assessments/issues/comments/101"
        ]
    );
    let comments = pr.comments();
    assert_eq!(comments.len(), 2, "updated, not duplicated");
    assert_eq!(comments[0]["body"], "確認します");
    assert_eq!(comments[1]["body"].as_str().unwrap(), body2);

    // The PDF prints the edited text.
    if !japanese_font() {
        eprintln!("no Japanese font installed: the PDF assertions are skipped");
        return;
    }
    let render_job = job_section(&wf, "render");
    assert_code(
        &pr.run_step(&step(&render_job, "変更された評価書"), "main", &[]),
        0,
        "changed assessments (render job)",
    );
    let out = pr.run_step(&step(&render_job, "pia render"), "main", &[]);
    assert_code(&out, 0, "render");
    let pdf = pr.path("pia-pdf/kanto-it-kenpo.pdf");
    assert!(read_bytes(&pdf).starts_with(b"%PDF-"));
    assert!(
        pdf_text(&pdf).contains("Ｗｅｂ及びＳＮＳ等で"),
        "the edited text"
    );
    assert!(!pr.path("pia-pdf/sonota-kenpo.pdf").exists());
}

// ---------------------------------------------------------------------------------------------
// The base moved on after the pull request started; GitHub checks out a merge commit.

#[test]
fn base_that_moved_on_and_the_merge_checkout() {
    let pr = Pr::new(&["kanto-it-kenpo", "sonota-kenpo"]);
    pr.edit(
        "assessments/kanto-it-kenpo/file-kikan.toml",
        III_OLD,
        III_NEW,
    );
    pr.append("assessments/kanto-it-kenpo/changes.toml", &iii_row());
    pr.commit("Ⅲ の記載を変更");
    // Meanwhile on main: another assessment changes.
    git(&pr.root, &["checkout", "-q", "main"]);
    pr.edit(
        "assessments/sonota-kenpo/assessment.toml",
        "date = 2024-01-29",
        "date = 2025-05-01",
    );
    pr.commit("main でその他の評価書を変更");
    git(&pr.root, &["checkout", "-q", "pr"]);

    // The branch's head against the moved base: the merge base is what it is compared with.
    let changed = pr.script("changed-assessments.sh", &["main", "HEAD"], &[]);
    assert_code(&changed, 0, "changed assessments");
    assert_eq!(text(&changed.stdout), "assessments/kanto-it-kenpo\n");
    let fork = git(&pr.root, &["merge-base", "main", "HEAD"]);
    let out = pr.script("check.sh", &["main", "assessments/kanto-it-kenpo"], &[]);
    assert_code(&out, 0, "check against the merge base");
    assert!(
        text(&out.stderr).contains(&format!("比較元: {}（main との分岐点）", fork.trim())),
        "{}",
        text(&out.stderr)
    );
    let out = pr.script(
        "diff-comment.sh",
        &["main", "assessments/kanto-it-kenpo"],
        &[],
    );
    assert_code(&out, 0, "diff comment");
    let body = text(&out.stdout);
    assert!(
        body.contains(&format!(
            "# pia: 評価書の変更（比較元 `{}（main との分岐点）`）",
            &fork.trim()[..7]
        )),
        "{body}"
    );
    assert!(
        body.contains("変更 **1** 件"),
        "only the branch's change: {body}"
    );

    // GitHub's checkout of a pull request: the merge of the branch into the base's tip.
    git(&pr.root, &["checkout", "-q", "--detach", "main"]);
    git(&pr.root, &["merge", "-q", "--no-ff", "--no-edit", "pr"]);
    let changed = pr.script("changed-assessments.sh", &["main", "HEAD"], &[]);
    assert_eq!(text(&changed.stdout), "assessments/kanto-it-kenpo\n");
    let out = pr.script("check.sh", &["main", "assessments/kanto-it-kenpo"], &[]);
    assert_code(&out, 0, "check of the merge");
    assert!(
        text(&out.stderr).contains("比較元: main\n"),
        "{}",
        text(&out.stderr)
    );

    // A deleted assessment is reported, not listed.
    git(&pr.root, &["checkout", "-q", "pr"]);
    fs::remove_dir_all(pr.path("assessments/kanto-it-kenpo")).unwrap();
    pr.commit("評価書を削除");
    let changed = pr.script("changed-assessments.sh", &["main", "HEAD"], &[]);
    assert_code(&changed, 0, "changed assessments after a deletion");
    assert_eq!(text(&changed.stdout), "");
    assert!(
        text(&changed.stderr)
            .contains("削除された評価書です（検査しません）: assessments/kanto-it-kenpo"),
        "{}",
        text(&changed.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// The base cannot read the assessment (a pull request repairs it); SARIF keeps a location for
// every result, or GitHub refuses the whole file.

#[test]
fn unreadable_base_and_results_without_a_place() {
    let pr = Pr::new(&[]);
    git(&pr.root, &["checkout", "-q", "main"]);
    pr.add("kanto-it-kenpo");
    pr.append(
        "assessments/kanto-it-kenpo/changes.toml",
        "\nchanged_on = = 2025-05-20\n",
    );
    pr.commit("壊れた別添３");
    git(&pr.root, &["checkout", "-q", "-B", "pr"]);
    let broken = read(&pr.path("assessments/kanto-it-kenpo/changes.toml"));
    fs::write(
        pr.path("assessments/kanto-it-kenpo/changes.toml"),
        broken.replace("\nchanged_on = = 2025-05-20\n", ""),
    )
    .unwrap();
    pr.commit("別添３を直す");

    let raw = pr
        .command(env!("CARGO_BIN_EXE_pia"))
        .args(["check", "--since", "main", "assessments/kanto-it-kenpo"])
        .output()
        .unwrap();
    assert_code(&raw, 2, "--since against an unreadable base");
    let out = pr.script(
        "check.sh",
        &["main", "assessments/kanto-it-kenpo"],
        &[("PIA_SARIF", "pia.sarif")],
    );
    assert_code(&out, 0, "the repair passes");
    assert!(
        text(&out.stderr).contains(
            "main の版を読み込めない評価書です: assessments/kanto-it-kenpo — 比べられないため --since を付けずに検査します"
        ),
        "{}",
        text(&out.stderr)
    );
    let out = pr.script(
        "diff-comment.sh",
        &["main", "assessments/kanto-it-kenpo"],
        &[],
    );
    assert_code(&out, 0, "diff comment");
    assert!(
        text(&out.stdout).contains("## `assessments/kanto-it-kenpo`: 比較元の版を読み込めません"),
        "{}",
        text(&out.stdout)
    );

    // pia's SARIF has no location for an assessment that cannot be found at all; check.sh
    // gives the result its assessment.toml.
    let raw = pr
        .command(env!("CARGO_BIN_EXE_pia"))
        .args(["check", "--format", "sarif", "assessments/none"])
        .output()
        .unwrap();
    let raw: Value = serde_json::from_slice(&raw.stdout).unwrap();
    assert!(raw["runs"][0]["results"][0].get("locations").is_none());
    let out = pr.script(
        "check.sh",
        &["", "assessments/kanto-it-kenpo", "assessments/none"],
        &[("PIA_SARIF", "pia.sarif")],
    );
    assert_code(&out, 2, "a missing assessment");
    let sarif: Value = serde_json::from_str(&read(&pr.path("pia.sarif"))).unwrap();
    let results = assert_sarif(&sarif);
    for r in &results {
        assert!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string(),
            "{r:#}"
        );
    }
    let missing = results
        .iter()
        .find(|r| r["ruleId"] == "PIA-L007")
        .expect("PIA-L007");
    assert_eq!(
        missing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "assessments/none/assessment.toml"
    );
    assert_eq!(
        missing["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert!(
        results.iter().any(|r| r["ruleId"] == "PIA-W261"
            && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 35),
        "the other assessment's results keep their places"
    );
}

// ---------------------------------------------------------------------------------------------
// A push to the default branch: every assessment, no --since.

#[test]
fn default_branch_checks_every_assessment() {
    let pr = Pr::new(&["kanto-it-kenpo", "sonota-kenpo"]);
    git(&pr.root, &["checkout", "-q", "main"]);
    let check_job = job_section(&github_workflow(), "check");
    let out = pr.run_step(&step(&check_job, "変更された評価書"), "", &[]);
    assert_code(&out, 0, "every assessment");
    assert_eq!(
        read(&pr.path("pia-changed.txt")),
        "assessments/kanto-it-kenpo\nassessments/sonota-kenpo\n"
    );
    assert!(read(&pr.work.join("github_output")).contains("count=2\n"));
    let out = pr.run_step(
        &step(&check_job, "pia check（アノテーションと SARIF）"),
        "",
        &[],
    );
    assert_code(&out, 0, "check of every assessment");
    assert!(
        text(&out.stderr).contains("比較元の指定がないため、--since を付けずに検査します"),
        "{}",
        text(&out.stderr)
    );
    let sarif: Value = serde_json::from_str(&read(&pr.path("pia.sarif"))).unwrap();
    let uris: std::collections::BTreeSet<String> = assert_sarif(&sarif)
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            uri.split('/').take(2).collect::<Vec<_>>().join("/")
        })
        .collect();
    assert_eq!(
        uris.into_iter().collect::<Vec<_>>(),
        ["assessments/kanto-it-kenpo", "assessments/sonota-kenpo"]
    );
}

// ---------------------------------------------------------------------------------------------
// GitLab: the pia-check job's script, run as the runner runs it (one bash, -e, pipefail).

#[test]
fn gitlab_merge_request_job() {
    let pr = Pr::new(&["kanto-it-kenpo"]);
    pr.fake_apis();
    pr.edit(
        "assessments/kanto-it-kenpo/file-kikan.toml",
        III_OLD,
        III_NEW,
    );
    pr.commit("Ⅲ の記載を変更（別添３の行なし）");
    let base = git(&pr.root, &["merge-base", "main", "HEAD"])
        .trim()
        .to_string();

    let yaml = gitlab_pipeline();
    let items = gitlab_script(&yaml, "pia-check");
    // apt-get (jq) is the image's business; everything else runs.
    assert!(items[0].starts_with("apt-get update"), "{items:?}");
    let script = format!("set -eo pipefail\n{}\n", items[1..].join("\n"));
    let root_dir = pr.work.join("pia-root");
    fs::create_dir_all(root_dir.join("bin")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_pia"), root_dir.join("bin/pia")).unwrap();
    let run = |pr: &Pr| {
        pr.command("bash")
            .args(["--noprofile", "--norc", "-c", &script])
            .env("PIA_ROOT", &root_dir)
            .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", &base)
            .env("CI_API_V4_URL", "https://gitlab.example.invalid/api/v4")
            .env("CI_PROJECT_ID", "42")
            .env("CI_MERGE_REQUEST_IID", "5")
            .env("PIA_GITLAB_TOKEN", "glpat-secret")
            .output()
            .unwrap()
    };
    let out = run(&pr);
    assert_code(&out, 1, "the GitLab job fails on PIA-E240");
    assert!(
        text(&out.stderr).contains("error[PIA-E240]"),
        "{}",
        text(&out.stderr)
    );

    // The Code Quality report: the finding, where it is, and a stable, unique fingerprint.
    let report: Value =
        serde_json::from_str(&read(&pr.path("gl-code-quality-report.json"))).unwrap();
    let issues = report.as_array().unwrap();
    let e240 = issues
        .iter()
        .find(|i| i["check_name"] == "PIA-E240")
        .expect("PIA-E240 in the Code Quality report");
    assert_eq!(e240["severity"], "major");
    assert_eq!(
        e240["location"]["path"],
        "assessments/kanto-it-kenpo/file-kikan.toml"
    );
    assert_eq!(e240["location"]["lines"]["begin"], 583);
    assert!(
        e240["description"]
            .as_str()
            .unwrap()
            .starts_with(&format!("PIA-E240 「{III_R1}」の変更")),
        "{e240:#}"
    );
    let fingerprints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "unique fingerprints");
    assert!(
        fingerprints
            .iter()
            .all(|f| f.len() == 32 && f.chars().all(|c| c.is_ascii_hexdigit()))
    );
    assert!(issues.iter().any(|i| i["severity"] == "minor"));
    let check: Value = serde_json::from_str(&read(&pr.path("pia-check.json"))).unwrap();
    let total = check["errors"].as_u64().unwrap() + check["warnings"].as_u64().unwrap();
    assert_eq!(issues.len() as u64, total, "one issue per diagnostic");

    // The note: posted once with the token in a header file (never on the command line) …
    let notes = pr.comments();
    assert_eq!(notes.len(), 1);
    let body = notes[0]["body"].as_str().unwrap();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(
        body.contains(&format!(
            "| 1 | {III_R1} | 変更 | **事前** ※ | 重要な変更 |"
        )),
        "{body}"
    );
    assert!(read(&pr.work.join("headers.log")).contains("PRIVATE-TOKEN: glpat-secret\n"));
    assert!(!read(&pr.work.join("argv.log")).contains("glpat-secret"));
    // … and updated by the next pipeline.
    let fingerprint = e240["fingerprint"].clone();
    pr.append("assessments/kanto-it-kenpo/changes.toml", &iii_row());
    pr.commit("別添３に行を追加");
    let out = run(&pr);
    assert_code(&out, 0, "the GitLab job with the 別添３ row");
    let notes = pr.comments();
    assert_eq!(notes.len(), 1, "updated, not duplicated");
    assert!(notes[0]["body"].as_str().unwrap().contains("| 事後 |"));
    let log = pr.api_log();
    assert_eq!(
        log.last().unwrap(),
        "PUT https://gitlab.example.invalid/api/v4/projects/42/merge_requests/5/notes/100"
    );
    let report: Value =
        serde_json::from_str(&read(&pr.path("gl-code-quality-report.json"))).unwrap();
    assert!(
        !report
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["fingerprint"] == fingerprint),
        "the fixed finding is gone"
    );
}

// ---------------------------------------------------------------------------------------------
// Installing pia once: the cache key, a cache hit, a source build, a release binary.

#[test]
fn install_pia_once() {
    let pr = Pr::new(&[]);
    git(&pr.root, &["checkout", "-q", "main"]);
    let src = git(&pr.root, &["rev-parse", "main"]).trim().to_string();
    let pia_root = pr.work.join("pia-root");
    let url = pr.root.to_str().unwrap().to_string();
    let env = |extra: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
        let mut v = vec![("PIA_ROOT", pia_root.to_str().unwrap().to_string())];
        v.extend_from_slice(extra);
        v
    };
    let run = |vars: Vec<(&'static str, String)>, args: &[&str]| {
        let mut c = pr.command("bash");
        c.arg("ci/scripts/install-pia.sh").args(args);
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().unwrap()
    };

    // The key names the commit a branch or tag points to.
    let out = run(
        env(&[("PIA_GIT_URL", url.clone()), ("PIA_REF", "main".into())]),
        &["--resolve"],
    );
    assert_code(&out, 0, "resolve");
    assert_eq!(text(&out.stdout), format!("git-{src}\n"));
    git(&pr.root, &["tag", "-a", "v0.1.0", "-m", "v0.1.0"]);
    let out = run(
        env(&[("PIA_GIT_URL", url.clone()), ("PIA_REF", "v0.1.0".into())]),
        &["--resolve"],
    );
    assert_eq!(text(&out.stdout), format!("git-{src}\n"), "the peeled tag");
    let out = run(
        env(&[
            ("PIA_GIT_URL", url.clone()),
            ("PIA_REF", "no-such-branch".into()),
        ]),
        &["--resolve"],
    );
    assert_code(&out, 2, "unknown ref");
    assert!(text(&out.stderr).contains("「no-such-branch」（ブランチ・タグ）がありません"));

    // A source build: cargo install, pinned to the commit, locked, into PIA_ROOT.
    let fake_cargo = pr.work.join("cargo");
    write_exe(
        &fake_cargo,
        &format!(
            "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"$FAKE_API_STORE/cargo.log\"\nroot=\"\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=\"$2\"; shift; done\nmkdir -p \"$root/bin\" && cp {} \"$root/bin/pia\"\n",
            env!("CARGO_BIN_EXE_pia")
        ),
    );
    let source = env(&[
        ("PIA_GIT_URL", url.clone()),
        ("PIA_REF", "main".into()),
        ("CARGO", fake_cargo.to_str().unwrap().into()),
    ]);
    let out = run(source.clone(), &[]);
    assert_code(&out, 0, "source install");
    assert_eq!(
        read(&pr.work.join("cargo.log")),
        format!(
            "install --locked --force --root {} --git {url} --rev {src} pia\n",
            pia_root.display()
        )
    );
    assert_eq!(
        read(&pia_root.join(".pia-installed")),
        format!("git-{src}\n")
    );
    // The cache restored: nothing is built again.
    let out = run(source.clone(), &[]);
    assert_code(&out, 0, "cache hit");
    assert!(
        text(&out.stderr).contains(&format!(
            "インストール済みの pia を使います（git-{src}）: pia "
        )),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(read(&pr.work.join("cargo.log")).lines().count(), 1);
    // The branch moved: installed again.
    fs::write(pr.path("README.md"), "変更\n").unwrap();
    pr.commit("move main");
    let out = run(source, &[]);
    assert_code(&out, 0, "reinstall");
    assert_eq!(read(&pr.work.join("cargo.log")).lines().count(), 2);

    // A release binary, packed by package-release.sh as the release workflow does, checked
    // against SHA256SUMS.
    let releases = pr.work.join("releases");
    let out = pr.script(
        "package-release.sh",
        &[
            "v0.1.0",
            "x86_64-unknown-linux-gnu",
            env!("CARGO_BIN_EXE_pia"),
            releases.join("v0.1.0").to_str().unwrap(),
        ],
        &[],
    );
    assert_code(&out, 0, "package");
    let sums = Command::new("sha256sum")
        .arg("pia-v0.1.0-x86_64-unknown-linux-gnu.tar.gz")
        .current_dir(releases.join("v0.1.0"))
        .output()
        .unwrap();
    fs::write(releases.join("v0.1.0/SHA256SUMS"), &sums.stdout).unwrap();
    let release_root = pr.work.join("release-root");
    let release = |root: &Path| {
        vec![
            ("PIA_ROOT", root.to_str().unwrap().to_string()),
            ("PIA_VERSION", "v0.1.0".to_string()),
            ("PIA_RELEASE_URL", format!("file://{}", releases.display())),
        ]
    };
    let out = run(release(&release_root), &["--resolve"]);
    assert_eq!(
        text(&out.stdout),
        "release-v0.1.0-x86_64-unknown-linux-gnu\n"
    );
    let out = run(release(&release_root), &[]);
    assert_code(&out, 0, "release install");
    let installed = release_root.join("bin/pia");
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(
        text(&version.stdout).trim(),
        format!("pia {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        read_bytes(&installed),
        read_bytes(Path::new(env!("CARGO_BIN_EXE_pia")))
    );
    // A tampered archive is refused.
    let tampered = pr.work.join("tampered-root");
    fs::write(
        releases.join("v0.1.0/SHA256SUMS"),
        format!(
            "{}  pia-v0.1.0-x86_64-unknown-linux-gnu.tar.gz\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let out = run(release(&tampered), &[]);
    assert_code(&out, 2, "checksum mismatch");
    assert!(
        text(&out.stderr).contains("チェックサムが SHA256SUMS と一致しません"),
        "{}",
        text(&out.stderr)
    );
    assert!(!tampered.join("bin/pia").exists());
}

// ---------------------------------------------------------------------------------------------
// The comment body over GitHub's limit is cut at a line.

#[test]
fn long_comment_is_cut_under_the_limit() {
    let pr = Pr::new(&[]);
    pr.fake_apis();
    let mut body = format!("{MARKER}\n");
    for i in 0..3000 {
        body.push_str(&format!("| {i} | 特定個人情報ファイルの変更箇所の説明 |\n"));
    }
    assert!(body.len() > 65536);
    fs::write(pr.path("body.md"), &body).unwrap();
    let out = pr.script(
        "github-comment.sh",
        &["3", "body.md"],
        &[
            ("GH_TOKEN", "t"),
            ("GITHUB_REPOSITORY", "kenpo/assessments"),
        ],
    );
    assert_code(&out, 0, "post a long comment");
    let posted = pr.comments()[0]["body"].as_str().unwrap().to_string();
    assert!(
        posted.chars().count() <= 65536,
        "{}",
        posted.chars().count()
    );
    assert!(posted.starts_with(MARKER));
    assert!(posted.ends_with("全文はジョブのアーティファクト pia-diff にあります。）\n"));
    let kept = posted.split("\n\n---\n\n").next().unwrap();
    assert!(
        body.starts_with(kept) && kept.ends_with('|'),
        "cut at a line end"
    );

    // A body that is not diff-comment.sh's is refused.
    fs::write(pr.path("other.md"), "hello\n").unwrap();
    let out = pr.script(
        "github-comment.sh",
        &["3", "other.md"],
        &[
            ("GH_TOKEN", "t"),
            ("GITHUB_REPOSITORY", "kenpo/assessments"),
        ],
    );
    assert_code(&out, 2, "no marker");
    assert!(text(&out.stderr).contains("本文の1行目が <!-- pia-diff --> ではありません"));
}

// ---------------------------------------------------------------------------------------------
// The recipe files: each script they call exists, each script is called, the permissions.

/// `ci/scripts/<name>.sh` mentioned in `text`.
fn scripts_named(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .match_indices("ci/scripts/")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            let end = rest.find(".sh")?;
            let name = &rest[..end];
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
                .then(|| format!("{name}.sh"))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn recipe_files_call_the_scripts_and_declare_permissions() {
    let dir = root().join("ci/scripts");
    let mut on_disk: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let gh = github_workflow();
    let gl = gitlab_pipeline();
    let release = read(&root().join("ci/github/release.yml"));
    let docs = read(&root().join("docs/ci.md"));
    // Every script a recipe or the documentation names exists (a rename breaks this test) …
    for (what, text) in [
        ("pia.yml", &gh),
        ("pia.gitlab-ci.yml", &gl),
        ("release.yml", &release),
        ("docs/ci.md", &docs),
    ] {
        for s in scripts_named(text) {
            assert!(
                on_disk.contains(&s),
                "{what} calls ci/scripts/{s}, which is missing"
            );
        }
    }
    // … and every script is called by a recipe (lib.sh is sourced by all of them).
    let called: Vec<String> = [&gh, &gl, &release]
        .iter()
        .flat_map(|t| scripts_named(t))
        .collect();
    for s in &on_disk {
        if s == "lib.sh" {
            continue;
        }
        assert!(called.contains(s), "no recipe calls ci/scripts/{s}");
        let body = read(&dir.join(s));
        assert!(body.starts_with("#!/usr/bin/env bash\n"), "{s}");
        assert!(body.contains("\nset -euo pipefail\n"), "{s}");
        assert!(body.contains("\n. \"$(dirname \"$0\")/lib.sh\"\n"), "{s}");
        assert!(!body.contains("eval "), "{s}");
        let syntax = Command::new("bash")
            .arg("-n")
            .arg(dir.join(s))
            .output()
            .unwrap();
        assert_code(&syntax, 0, s);
    }

    // GitHub: the jobs, what each calls, the permissions each needs.
    let install = job_section(&gh, "install");
    let check = job_section(&gh, "check");
    let render = job_section(&gh, "render");
    assert!(install.contains("bash ci/scripts/install-pia.sh --resolve"));
    assert!(
        install
            .lines()
            .any(|l| l.trim() == "run: bash ci/scripts/install-pia.sh")
    );
    assert!(install.contains("uses: actions/cache@v5"));
    assert!(install.contains("path: ~/.pia"));
    for job in [&check, &render] {
        assert!(job.contains("needs: install"));
        assert!(job.contains("fetch-depth: 0"));
        assert!(job.contains("key: ${{ needs.install.outputs.key }}"));
        assert!(job.contains("fail-on-cache-miss: true"));
    }
    for line in [
        "contents: read",
        "security-events: write",
        "pull-requests: write",
        "actions: read",
        "uses: github/codeql-action/upload-sarif@v4",
        "sarif_file: pia.sarif",
        "PIA_SARIF: pia.sarif",
        "PIA_FORMAT: github",
        "GH_TOKEN: ${{ github.token }}",
        "uses: actions/upload-artifact@v6",
    ] {
        assert!(check.contains(line), "check job: {line}");
    }
    assert!(render.contains("contents: read"));
    assert!(!render.contains("write"), "the render job writes nothing");
    assert!(render.contains("bash ci/scripts/render.sh pia-pdf \"${dirs[@]}\""));
    assert!(render.contains("name: pia-pdf"));
    // Fonts only where pia renders.
    let fonts = "fonts-morisawa-bizud-gothic fonts-ipaexfont-gothic";
    assert!(render.contains(fonts));
    assert!(!check.contains("fonts-") && !install.contains("fonts-"));
    assert!(gh.contains("permissions: {}"), "no default token rights");

    // GitLab: the same scripts, the Code Quality report, the PDF, the token.
    let gl_render = gl.split("\npia-render:\n").nth(1).expect("pia-render job");
    let gl_check = gl
        .split("\npia-check:\n")
        .nth(1)
        .unwrap()
        .split("\npia-render:\n")
        .next()
        .unwrap();
    for line in [
        "bash ci/scripts/changed-assessments.sh \"$BASE\" HEAD > pia-changed.txt",
        "PIA_JSON=pia-check.json bash ci/scripts/check.sh \"$BASE\" \"${dirs[@]}\"",
        "bash ci/scripts/codequality.sh pia-check.json > gl-code-quality-report.json",
        "bash ci/scripts/diff-comment.sh \"$BASE\" \"${dirs[@]}\" > pia-diff.md",
        "bash ci/scripts/gitlab-note.sh pia-diff.md",
        "codequality: gl-code-quality-report.json",
        "GIT_DEPTH: \"0\"",
        "needs: [pia-install]",
    ] {
        assert!(gl_check.contains(line), "pia-check job: {line}");
    }
    assert!(gl_render.contains(fonts));
    assert!(!gl_check.contains("fonts-"));
    assert!(gl_render.contains("bash ci/scripts/render.sh pia-pdf \"${dirs[@]}\""));
    assert!(gl_render.contains("- pia-pdf/"));
    assert!(gl.contains("PIA_GITLAB_TOKEN"));

    // The release: every target, tag trigger, write permission only where the release is made;
    // the project's own workflow is this file.
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(target), "{target}");
    }
    assert!(release.contains("tags: [\"v*\"]"));
    assert_eq!(release.matches("contents: write").count(), 1);
    assert!(job_section(&release, "release").contains("contents: write"));
    assert!(release.contains("bash ci/scripts/package-release.sh"));
    assert_eq!(
        read(&root().join(".github/workflows/release.yml")),
        release,
        ".github/workflows/release.yml is ci/github/release.yml"
    );
}
