//! The publication cycle: stages (素案 / 案（意見聴取） / 最終), `pia release`, `pia review`,
//! `render --since` dates, and the walkthrough `docs/cycle.md`, whose commands and edits this
//! file reads from the document and runs in order (so the document cannot drift).
#![cfg(feature = "render")]

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pia::check::{self, Options};
use pia::model::Date;
use support::{Copy, KANTO, Repo, git};

fn pia(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("pia runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn codes(dir: &Path, today: &str) -> Vec<(String, pia::diag::Severity, String)> {
    let loaded = pia::load::load(dir).unwrap();
    check::check(
        &loaded,
        &Options {
            today: Some(date(today)),
            ..Default::default()
        },
    )
    .into_iter()
    .map(|d| (d.code.to_string(), d.severity, d.path))
    .collect()
}

fn errors(diags: &[(String, pia::diag::Severity, String)]) -> Vec<(String, String)> {
    diags
        .iter()
        .filter(|d| d.1 == pia::diag::Severity::Error)
        .map(|d| (d.0.clone(), d.2.clone()))
        .collect()
}

// ---------------------------------------------------------------- stages

/// A 案 of the reference without what a 案 does not have yet.
fn consultation() -> Copy {
    let c = Copy::of(KANTO);
    c.replace(
        "assessment.toml",
        "[meta]\n",
        "[meta]\nstage = \"案（意見聴取）\"\n",
    );
    c.replace(
        "assessment.toml",
        "ppc_approved_on = 2024-01-31     # 令和6年1月31日\npublished_on = 2025-06-01        # 令和7年6月1日\n",
        "",
    );
    c.replace("assessment.toml", "main_opinions = \"意見なし。\"\n", "");
    c.replace("assessment.toml", "reflection = \"意見なし。\"\n", "");
    c.replace(
        "assessment.toml",
        "submitted_on = 2024-01-29         # 令和6年1月29日\n",
        "",
    );
    c
}

#[test]
fn a_consultation_passes_at_its_stage_and_fails_at_final() {
    let c = consultation();
    // 別添3 rows dated after a 公表日 are no concern of a 案 (it has none).
    let at_stage = codes(&c.dir, "2024-01-10");
    assert_eq!(errors(&at_stage), vec![], "{at_stage:#?}");
    let out = pia(
        &["check", c.dir.to_str().unwrap(), "--today", "2024-01-10"],
        Path::new("."),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("エラー 0 件"));

    // The same document at 最終: every item left out is asked for.
    c.replace(
        "assessment.toml",
        "stage = \"案（意見聴取）\"",
        "stage = \"最終\"",
    );
    let at_final = errors(&codes(&c.dir, "2024-01-10"));
    for path in [
        "cover.published_on",
        "procedure.public_comment.main_opinions",
        "procedure.public_comment.reflection",
        "procedure.ppc_approval.submitted_on",
    ] {
        assert!(
            at_final.contains(&("PIA-E010".to_string(), path.to_string())),
            "{path}: {at_final:#?}"
        );
    }
    let out = pia(
        &["check", c.dir.to_str().unwrap(), "--today", "2024-01-10"],
        Path::new("."),
    );
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("error[PIA-E010]: 「公表日」が未記入です"), "{t}");
    assert!(
        t.contains("「Ⅵ ２．国民・住民等からの意見の聴取 ④主な意見の内容」が未記入です"),
        "{t}"
    );
    // A missing stage is 最終.
    c.replace("assessment.toml", "stage = \"最終\"\n", "");
    assert_eq!(errors(&codes(&c.dir, "2024-01-10")), at_final);
}

#[test]
fn a_consultation_of_a_reassessment_ignores_the_previous_round() {
    // The previous 公表日, 承認日 and Ⅵ４. stay in the TOML; the new 意見聴取 is after them.
    let c = Copy::of(KANTO);
    c.replace(
        "assessment.toml",
        "[meta]\n",
        "[meta]\nstage = \"案（意見聴取）\"\n",
    );
    c.replace(
        "assessment.toml",
        "period = { start = 2023-12-15, end = 2024-01-14 }",
        "period = { start = 2026-03-01, end = 2026-03-31 }",
    );
    c.replace(
        "assessment.toml",
        "date = 2024-01-29                 # 令和6年1月29日",
        "date = 2026-02-20",
    );
    let at_stage = codes(&c.dir, "2026-03-10");
    assert_eq!(errors(&at_stage), vec![], "{at_stage:#?}");
    // No finding at all on an item the 案 leaves out.
    assert!(!at_stage.iter().any(|d| d.2 == "cover.published_on"));
    c.replace(
        "assessment.toml",
        "stage = \"案（意見聴取）\"",
        "stage = \"最終\"",
    );
    let at_final = errors(&codes(&c.dir, "2026-03-10"));
    assert!(
        at_final.contains(&("PIA-E130".to_string(), "cover.published_on".to_string())),
        "{at_final:#?}"
    );
    assert!(
        at_final.contains(&(
            "PIA-E130".to_string(),
            "procedure.ppc_approval.submitted_on".to_string()
        )),
        "{at_final:#?}"
    );
}

#[test]
fn before_the_final_version_check_since_does_not_ask_for_attachment3_rows() {
    let r = Repo::with(KANTO);
    let file = r.dir().join("file-kikan.toml");
    fs::write(
        &file,
        read(&file).replacen(
            "・不正アクセス防止のため、ファイアウォールの設置\n",
            "・不正アクセス防止のため、ファイアウォールの設置\n・多要素認証を導入\n",
            1,
        ),
    )
    .unwrap();
    let main = r.dir().join("assessment.toml");
    let at_final = read(&main);
    // 最終: the ※ change needs its row (PIA-E240) and a 再実施 (PIA-E251).
    let out = pia(
        &["check", "a", "--since", "HEAD", "--today", "2026-03-10"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("[PIA-E240]") && text(&out).contains("[PIA-E251]"));
    // The 案 of its 再実施: the row is recorded at publication; the 再実施 is under way.
    fs::write(
        &main,
        at_final
            .replacen("[meta]\n", "[meta]\nstage = \"案（意見聴取）\"\n", 1)
            .replacen(
                "period = { start = 2023-12-15, end = 2024-01-14 }",
                "period = { start = 2026-03-01, end = 2026-03-31 }",
                1,
            )
            .replacen(
                "date = 2024-01-29                 # 令和6年1月29日",
                "date = 2026-02-20",
                1,
            ),
    )
    .unwrap();
    let out = pia(
        &["check", "a", "--since", "HEAD", "--today", "2026-03-10"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("PIA-E240"), "{}", text(&out));
}

#[test]
fn a_consultation_whose_comment_period_is_over_is_told_to_move_on() {
    let c = consultation();
    let d = codes(&c.dir, "2024-01-20");
    let w: Vec<_> = d.iter().filter(|d| d.0 == "PIA-W330").collect();
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(w[0].2, "procedure.public_comment.period.end");
    assert!(
        !codes(&c.dir, "2024-01-14")
            .iter()
            .any(|d| d.0 == "PIA-W330")
    );
    let out = pia(
        &["check", c.dir.to_str().unwrap(), "--today", "2024-01-20"],
        Path::new("."),
    );
    assert!(
        text(&out).contains("段階が「案（意見聴取）」ですが、「Ⅵ ２．国民・住民等からの意見の聴取 ②実施日・期間」の終了日（令和6年1月14日）を過ぎています"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_draft_reports_its_gaps_as_warnings_and_leaves_out_what_a_consultation_leaves_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    assert!(
        pia(&["init", dir.to_str().unwrap()], Path::new("."))
            .status
            .success()
    );
    let main = dir.join("assessment.toml");
    let skeleton = fs::read_to_string(&main).unwrap();
    fs::write(&main, skeleton.replace("stage = \"\"", "stage = \"素案\"")).unwrap();
    let d = codes(&dir, "2025-07-01");
    assert_eq!(errors(&d), vec![], "{d:#?}");
    // The gaps are there, as warnings, under their own codes …
    assert!(
        d.iter().any(|d| d.0 == "PIA-E010"
            && d.1 == pia::diag::Severity::Warning
            && d.2 == "cover.title")
    );
    // … except for what a 案 does not have yet.
    assert!(!d.iter().any(|d| d.2 == "cover.published_on"));
    assert!(
        !d.iter()
            .any(|d| d.2 == "procedure.public_comment.main_opinions")
    );
    let out = pia(&["check", dir.to_str().unwrap()], Path::new("."));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("warning[PIA-E010]: 「評価書名」が未記入です"));
    // The assessment's own configuration still wins: an error it asks for stays an error.
    fs::write(
        &main,
        fs::read_to_string(&main).unwrap().replace(
            "[meta]\n",
            "[meta.check]\nerror = [\"PIA-E010\"]\n\n[meta]\n",
        ),
    )
    .unwrap();
    let out = pia(&["check", dir.to_str().unwrap()], Path::new("."));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn stage_view_clears_only_what_the_stage_leaves_out() {
    let c = Copy::of(KANTO);
    c.replace(
        "assessment.toml",
        "[meta]\n",
        "[meta]\nstage = \"案（意見聴取）\"\n",
    );
    let loaded = pia::load::load(&c.dir).unwrap();
    let absent = pia::stage::absent_items(&loaded);
    assert_eq!(
        absent,
        vec![
            "cover.ppc_approved_on",
            "cover.published_on",
            "procedure.public_comment.main_opinions",
            "procedure.public_comment.reflection",
            // (Ⅵ３．第三者点検 is absent for a 行政機関等 whatever the stage.)
            "procedure.ppc_approval.submitted_on",
            "procedure.ppc_approval.review",
        ]
    );
    let view = pia::stage::view(&loaded).unwrap();
    let (a, v) = (&loaded.assessment, &view.assessment);
    assert_eq!(v.cover.published_on, None);
    assert_eq!(v.cover.ppc_approved_on, None);
    assert_eq!(v.procedure.ppc_approval.review, "");
    assert_eq!(v.procedure.public_comment.main_opinions, "");
    // Everything else is the document as loaded.
    let mut same = v.clone();
    same.cover = a.cover.clone();
    same.procedure = a.procedure.clone();
    assert_eq!(&same, a);
    assert_eq!(
        v.procedure.public_comment.period,
        a.procedure.public_comment.period
    );
    // A 最終 document is left as it is.
    let final_ = pia::load::load(&support::reference(KANTO)).unwrap();
    assert!(pia::stage::view(&final_).is_none());
    assert!(pia::stage::absent_items(&final_).is_empty());
}

// ---------------------------------------------------------------- release

/// A repository holding the reference in `a/` (commit "base", 公表日 2025-06-01) with a 事後
/// change of Ⅰ５． declared in `[[pending]]`.
fn repo_with_posterior_change() -> Repo {
    let r = Repo::with(KANTO);
    let main = r.dir().join("assessment.toml");
    let text = fs::read_to_string(&main).unwrap();
    let text = text.replacen(
        "　番号法別表第１の主務省令で定める事務を定める命令  第2条",
        "　番号法別表の主務省令で定める事務を定める命令  第2条",
        1,
    );
    fs::write(
        &main,
        format!(
            "{text}\n[[pending]]\npath = \"basic.number_use.legal_basis\"\nexclusion = \"法令改正に伴う条項の変更\"\nreason = \"番号法改正により事後に変更\"\n"
        ),
    )
    .unwrap();
    r
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

#[test]
fn release_records_rows_moves_the_date_removes_notes_and_a_second_run_changes_nothing() {
    let r = repo_with_posterior_change();
    let main = r.dir().join("assessment.toml");
    let changes = r.dir().join("changes.toml");
    let (main_before, changes_before) = (read(&main), read(&changes));

    // --dry-run: the plan, nothing written.
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--changed-on",
            "2025-09-20",
            "--dry-run",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("前回の公表: 2025-06-01（令和7年6月1日）（公表日を 2025-06-01 にしたコミット"),
        "{t}"
    );
    assert!(t.contains("別添３に追加する行: 1 行"), "{t}");
    assert!(
        t.contains("2025-09-20 事後 Ⅰ ５．個人番号の利用 法令上の根拠"),
        "{t}"
    );
    assert!(
        t.contains(
            "使った申告を削除: a/assessment.toml（path = \"basic.number_use.legal_basis\"）"
        ),
        "{t}"
    );
    assert!(t.contains("公表日: 2025-06-01（令和7年6月1日） → 2025-10-01（令和7年10月1日）（a/assessment.toml）"), "{t}");
    assert!(t.contains("検査（公表日時点、--since "), "{t}");
    assert!(t.contains("--dry-run: ファイルは書き換えていません"), "{t}");
    assert_eq!(read(&main), main_before);
    assert_eq!(read(&changes), changes_before);

    // Before: check --since asks for the row (the situation release resolves).
    let before = pia(
        &["check", "a", "--since", "HEAD", "--today", "2025-10-02"],
        &r.root,
    );
    assert_eq!(before.status.code(), Some(1));
    assert!(text(&before).contains("PIA-E240"));

    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--changed-on",
            "2025-09-20",
            "--no-pdf",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("次の手順: 変更をコミットし、タグ pia/a/2025-10-01 を付けます"));
    // 公表日: that line (its 和暦 comment updated) and the note are the only changes of the main file.
    let main_after = read(&main);
    let expected = main_before
        .replace(
            "published_on = 2025-06-01        # 令和7年6月1日",
            "published_on = 2025-10-01        # 令和7年10月1日",
        )
        .replace(
            "\n[[pending]]\npath = \"basic.number_use.legal_basis\"\nexclusion = \"法令改正に伴う条項の変更\"\nreason = \"番号法改正により事後に変更\"\n",
            "",
        );
    assert_eq!(main_after, expected);
    // 別添3: the old text byte for byte, then one row.
    let changes_after = read(&changes);
    assert!(changes_after.starts_with(&changes_before));
    let added = &changes_after[changes_before.len()..];
    assert_eq!(
        added,
        "\n[[changes]]\nchanged_on = 2025-09-20\nitem = \"Ⅰ ５．個人番号の利用 法令上の根拠\"\nbefore = \"　番号法別表第１の主務省令で定める事務を定める命令  第2条\"\nafter = \"　番号法別表の主務省令で定める事務を定める命令  第2条\"\ntiming = \"事後\"\ntiming_reason = \"番号法改正により事後に変更\"\nexclusion = \"法令改正に伴う条項の変更\"\npaths = [\"basic.number_use.legal_basis\"]\n"
    );
    let loaded = pia::load::load(&r.dir()).unwrap();
    assert_eq!(
        loaded.assessment.cover.published_on,
        Some(date("2025-10-01"))
    );
    assert!(loaded.assessment.pending.is_empty());
    // check --since now accepts the version.
    let after = pia(
        &["check", "a", "--since", "HEAD", "--today", "2025-10-02"],
        &r.root,
    );
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));

    // A second run: nothing to do, nothing written.
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--changed-on",
            "2025-09-20",
            "--no-pdf",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("別添３: 追加する行はありません（記録済み 1 行）"),
        "{t}"
    );
    assert!(
        t.contains("公表日: 2025-10-01（令和7年10月1日）（設定済み）"),
        "{t}"
    );
    assert!(
        t.contains("変更はありません: 評価書は公表日 2025-10-01 の版として記録済みです"),
        "{t}"
    );
    assert_eq!(read(&main), main_after);
    assert_eq!(read(&changes), changes_after);

    // --commit: one commit of a/ and the tag; then the tag is the base, and nothing changes.
    fs::write(r.root.join("elsewhere.txt"), "not part of the release").unwrap();
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--commit",
            "--no-pdf",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("コミットし、タグ pia/a/2025-10-01 を付けました"));
    assert_eq!(git(&r.root, &["tag", "--list"]).trim(), "pia/a/2025-10-01");
    assert_eq!(
        git(&r.root, &["status", "--porcelain"]).trim(),
        "?? elsewhere.txt"
    );
    let out = pia(
        &["release", "a", "--date", "2025-10-01", "--no-pdf"],
        &r.root,
    );
    let t = text(&out);
    assert!(t.contains("（タグ pia/a/2025-10-01）"), "{t}");
    assert!(t.contains("変更はありません"), "{t}");
}

#[test]
fn release_writes_the_pdf_once_and_says_when_it_is_the_same() {
    let r = repo_with_posterior_change();
    let out = pia(
        &["release", "a", "--date", "2025-10-01", "-o", "a.pdf"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let pdf = fs::read(r.root.join("a.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let out = pia(
        &["release", "a", "--date", "2025-10-01", "-o", "a.pdf"],
        &r.root,
    );
    assert!(
        text(&out).contains("PDF: a.pdf（内容は同じです）"),
        "{}",
        text(&out)
    );
    assert_eq!(fs::read(r.root.join("a.pdf")).unwrap(), pdf);
    // The PDF is the released version: the same bytes as `pia render` of the work tree now.
    let again = pia(&["render", "a", "-o", "b.pdf"], &r.root);
    assert!(again.status.success());
    assert_eq!(fs::read(r.root.join("b.pdf")).unwrap(), pdf);
}

#[test]
fn release_refuses_on_check_errors_and_writes_nothing() {
    let r = Repo::with(KANTO);
    // A 重要な変更 (※) without a 再実施 in Ⅵ: PIA-E251.
    let file = r.dir().join("file-kikan.toml");
    let before = read(&file).replacen(
        "・不正アクセス防止のため、ファイアウォールの設置\n",
        "・不正アクセス防止のため、ファイアウォールの設置\n・多要素認証を導入\n",
        1,
    );
    fs::write(&file, &before).unwrap();
    let main_before = read(&r.dir().join("assessment.toml"));
    // The 事前 row needs its 変更日.
    let out = pia(
        &["release", "a", "--date", "2025-10-01", "--no-pdf"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("事前に提出する変更があります（「Ⅲ ７．特定個人情報の保管・消去 リスク１ ⑥技術的対策 具体的な対策の内容」）"), "{}", text(&out));
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--prior-changed-on",
            "2025-11-01",
            "-o",
            "x.pdf",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("error[PIA-E251]"), "{t}");
    assert!(
        t.contains("公表しません（ファイルは書き換えていません"),
        "{t}"
    );
    assert_eq!(read(&file), before);
    assert_eq!(read(&r.dir().join("assessment.toml")), main_before);
    assert!(!r.root.join("x.pdf").exists());
    // Dates that contradict 事前/事後 are refused before anything is computed.
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--changed-on",
            "2025-10-02",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("事後の変更の変更日（2025-10-02）が公表日（2025-10-01）より後です")
    );
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--prior-changed-on",
            "2025-10-01",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2));
    // A 公表日 before the last one.
    let out = pia(
        &["release", "a", "--date", "2025-05-01", "--no-pdf"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("新しい公表日（2025-05-01）が前回の公表日（2025-06-01"));
}

#[test]
fn release_refuses_a_document_that_is_not_final_or_not_in_git() {
    let r = Repo::with(KANTO);
    let main = r.dir().join("assessment.toml");
    fs::write(
        &main,
        read(&main).replacen("[meta]\n", "[meta]\nstage = \"案（意見聴取）\"\n", 1),
    )
    .unwrap();
    let out = pia(&["release", "a", "--date", "2025-10-01"], &r.root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains(
            "評価書の段階が「案（意見聴取）」です。公表できるのは「最終」の評価書だけです"
        ),
        "{}",
        text(&out)
    );
    // HEAD holds an assessment pia cannot read: no guessing of the base.
    let good = read(&main).replacen("stage = \"案（意見聴取）\"\n", "", 1);
    fs::write(&main, good.replacen("[cover]\n", "[cover\n", 1)).unwrap();
    r.commit("broken");
    fs::write(&main, &good).unwrap();
    let out = pia(
        &["release", "a", "--date", "2025-10-01", "--no-pdf"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("HEAD の評価書を読み込めないため、前回公表した版を探せません"),
        "{}",
        text(&out)
    );
    // … unless the base is named.
    let base = git(&r.root, &["rev-parse", "HEAD~1"]);
    let out = pia(
        &[
            "release",
            "a",
            "--date",
            "2025-10-01",
            "--no-pdf",
            "--dry-run",
            "--from",
            base.trim(),
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let c = Copy::of(KANTO);
    let out = pia(
        &[
            "release",
            c.dir.to_str().unwrap(),
            "--date",
            "2025-10-01",
            "--no-pdf",
        ],
        Path::new("/"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("は git リポジトリの中にありません"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_base_is_the_commit_that_set_the_published_date() {
    let r = Repo::with(KANTO);
    let catalog = pia::form::Catalog::builtin();
    let base = pia::release::find_base(&r.dir(), &catalog)
        .unwrap()
        .unwrap();
    let root = git(&r.root, &["rev-parse", "HEAD"]);
    assert_eq!(base.commit, root.trim());
    assert_eq!(base.published_on, Some(date("2025-06-01")));
    // Later commits that do not move the 公表日 are unpublished work: the base stays.
    let main = r.dir().join("assessment.toml");
    fs::write(
        &main,
        read(&main).replace("other_orgs = \"なし\"", "other_orgs = \"なし。\""),
    )
    .unwrap();
    r.commit("work");
    let again = pia::release::find_base(&r.dir(), &catalog)
        .unwrap()
        .unwrap();
    assert_eq!(again.commit, root.trim());
    assert!(
        again
            .found
            .starts_with("公表日を 2025-06-01 にしたコミット")
    );
    // A commit that moves it is the new base …
    fs::write(
        &main,
        read(&main).replace("published_on = 2025-06-01", "published_on = 2025-07-01"),
    )
    .unwrap();
    r.commit("published");
    let moved = git(&r.root, &["rev-parse", "HEAD"]);
    let base = pia::release::find_base(&r.dir(), &catalog)
        .unwrap()
        .unwrap();
    assert_eq!(base.commit, moved.trim());
    // … and a tag of that 公表日 is taken first.
    git(&r.root, &["tag", "pia/a/2025-07-01", root.trim()]);
    let tagged = pia::release::find_base(&r.dir(), &catalog)
        .unwrap()
        .unwrap();
    assert_eq!(tagged.commit, root.trim());
    assert_eq!(tagged.found, "タグ pia/a/2025-07-01");
}

#[test]
fn setting_the_published_date_keeps_every_other_byte() {
    let d = date("2025-10-01");
    let old = Some(date("2025-06-01"));
    // In place, the comment kept (its 和暦 updated), CRLF kept.
    let src = "[cover]\r\ntitle = \"x\"  # 題\r\npublished_on = 2025-06-01   # 令和7年6月1日 公表\r\n\r\n[basic]\r\nother_orgs = \"なし\"\r\n";
    assert_eq!(
        pia::release::set_published_on(src, old, d).unwrap(),
        src.replace(
            "2025-06-01   # 令和7年6月1日",
            "2025-10-01   # 令和7年10月1日"
        )
    );
    // A comment that is not the old date's 和暦 is kept as it is.
    let src = "[cover]\npublished_on = \"\" # 公表日\n";
    assert_eq!(
        pia::release::set_published_on(src, None, d).unwrap(),
        "[cover]\npublished_on = 2025-10-01 # 公表日\n"
    );
    // The value and nothing else: a comment naming another date stays.
    let src = "[cover]\npublished_on = 2025-06-01 # 前回は令和6年6月1日\n";
    assert_eq!(
        pia::release::set_published_on(src, old, d).unwrap(),
        "[cover]\npublished_on = 2025-10-01 # 前回は令和6年6月1日\n"
    );
    // Missing: added to [cover] (CRLF files stay CRLF).
    let src = "[cover]\r\ntitle = \"x\"\r\n";
    assert_eq!(
        pia::release::set_published_on(src, None, d).unwrap(),
        "[cover]\r\ntitle = \"x\"\r\npublished_on = 2025-10-01\r\n"
    );
    let src = "[cover]\ntitle = \"x\"\n\n[basic]\nother_orgs = \"なし\"\n";
    assert_eq!(
        pia::release::set_published_on(src, None, d).unwrap(),
        "[cover]\ntitle = \"x\"\npublished_on = 2025-10-01\n\n[basic]\nother_orgs = \"なし\"\n"
    );
    // An inline [cover].
    let src = "cover = { title = \"x\", published_on = 2025-06-01 }\n";
    assert_eq!(
        pia::release::set_published_on(src, old, d).unwrap(),
        "cover = { title = \"x\", published_on = 2025-10-01 }\n"
    );
}

// ---------------------------------------------------------------- review

#[test]
fn a_recorded_review_clears_the_overdue_warning() {
    let r = Repo::with(KANTO);
    let dir = r.dir();
    let w261 = |today: &str| {
        codes(&dir, today)
            .into_iter()
            .filter(|d| d.0 == "PIA-W261")
            .map(|d| d.2)
            .collect::<Vec<_>>()
    };
    assert_eq!(w261("2026-07-01"), vec!["cover.published_on".to_string()]);
    let main = dir.join("assessment.toml");
    let before = read(&main);
    let out = pia(
        &[
            "review",
            "a",
            "--date",
            "2026-06-20",
            "--result",
            "変更なし",
            "--reviewer",
            "企画調整課",
            "--today",
            "2026-07-01",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("見直しを記録しました: a/assessment.toml（令和8年6月20日、結果「変更なし」）"),
        "{t}"
    );
    assert!(
        t.contains("次の見直しの期限: 令和9年6月20日（2027-06-20）"),
        "{t}"
    );
    let after = read(&main);
    assert_eq!(
        after,
        format!(
            "{before}\n[[meta.reviews]]\ndate = 2026-06-20\nresult = \"変更なし\"\nreviewer = \"企画調整課\"\n"
        )
    );
    // Cleared; due again a year after the review.
    assert!(w261("2026-07-01").is_empty());
    assert!(w261("2027-06-20").is_empty());
    assert_eq!(w261("2027-06-21"), vec!["meta.reviews[0].date".to_string()]);
    let out = pia(&["check", "a", "--today", "2027-06-21"], &r.root);
    assert!(
        text(&out).contains("最後の見直し（見直しの記録1、令和8年6月20日）から1年以上経過しています（期限 令和9年6月20日、確認日 令和9年6月21日）"),
        "{}",
        text(&out)
    );
    // The 5-year 再実施 still counts from the 承認日 (令和6年1月31日), not from the review.
    assert!(
        codes(&dir, "2028-07-31")
            .iter()
            .any(|d| d.0 == "PIA-W260" && d.2 == "cover.ppc_approved_on")
    );
    // The same review twice: recorded once.
    let out = pia(
        &[
            "review",
            "a",
            "--date",
            "2026-06-20",
            "--result",
            "変更なし",
            "--today",
            "2026-07-01",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).contains("は記録済みです"));
    assert_eq!(read(&main), after);
    // A second review goes after the first.
    let out = pia(
        &[
            "review",
            "a",
            "--date",
            "2027-06-01",
            "--result",
            "委託先の変更（別添３に記録）",
            "--today",
            "2027-06-02",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let loaded = pia::load::load(&dir).unwrap();
    assert_eq!(loaded.assessment.meta.reviews.len(), 2);
    assert_eq!(
        loaded.assessment.meta.reviews[1].result,
        "委託先の変更（別添３に記録）"
    );
    assert_eq!(
        pia::review::review_due(&loaded.assessment),
        Some(date("2028-06-01"))
    );
    // Refused: a future date, no result.
    let out = pia(
        &[
            "review",
            "a",
            "--date",
            "2027-07-01",
            "--result",
            "変更なし",
            "--today",
            "2027-06-02",
        ],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("見直しの実施日（2027-07-01）が今日（2027-06-02）より後です"));
    let out = pia(
        &["review", "a", "--result", " ", "--today", "2027-06-02"],
        &r.root,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn review_records_are_checked() {
    let c = Copy::of(KANTO);
    c.replace(
        "assessment.toml",
        "[threshold]\n",
        "[[meta.reviews]]\ndate = 2026-05-01\n\n[[meta.reviews]]\ndate = 2027-01-01\nresult = \"変更なし\"\n\n[threshold]\n",
    );
    let d = codes(&c.dir, "2026-07-01");
    assert!(
        d.iter()
            .any(|d| d.0 == "PIA-E262" && d.2 == "meta.reviews[0].result"),
        "{d:#?}"
    );
    assert!(
        d.iter()
            .any(|d| d.0 == "PIA-W263" && d.2 == "meta.reviews[1].date"),
        "{d:#?}"
    );
    let out = pia(
        &["check", c.dir.to_str().unwrap(), "--today", "2026-07-01"],
        Path::new("."),
    );
    let t = text(&out);
    assert!(t.contains("見直しの記録1に見直しの結果がありません"), "{t}");
    assert!(
        t.contains("見直しの記録2の実施日（令和9年1月1日）が確認日（令和8年7月1日）より後です"),
        "{t}"
    );
    // A review before the 公表日 was of an earlier version: the next review counts from the 公表日.
    let c = Copy::of(KANTO);
    c.replace(
        "assessment.toml",
        "[threshold]\n",
        "[[meta.reviews]]\ndate = 2025-05-01\nresult = \"変更なし\"\n\n[threshold]\n",
    );
    let loaded = pia::load::load(&c.dir).unwrap();
    assert_eq!(
        pia::review::review_due(&loaded.assessment),
        Some(date("2026-06-01"))
    );
}

// ---------------------------------------------------------------- render --since

#[test]
fn render_since_without_a_date_dates_the_pending_rows_today() {
    let r = repo_with_posterior_change();
    let out = pia(&["render", "a", "--since", "HEAD", "-o", "x.pdf"], &r.root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let today = Date(jiff::Zoned::now().date());
    let t = text(&out);
    assert!(t.contains("未記録の変更 1 行"), "{t}");
    assert!(
        t.contains(&format!("追加した行の変更日は今日の日付（{today}）です")),
        "{t}"
    );
    // With --date, that date (and no note).
    let out = pia(
        &[
            "render",
            "a",
            "--since",
            "HEAD",
            "--date",
            "2025-09-01",
            "-o",
            "y.pdf",
        ],
        &r.root,
    );
    assert!(out.status.success());
    assert!(!text(&out).contains("今日の日付"));
}

// ---------------------------------------------------------------- docs/cycle.md

/// A fenced block of the document.
struct Block {
    info: String,
    lines: Vec<String>,
    /// 1-based line of the opening fence.
    at: usize,
}

fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in doc.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("```") {
            match open.take() {
                Some(b) => out.push(b),
                None => {
                    open = Some(Block {
                        info: rest.trim().to_string(),
                        lines: Vec::new(),
                        at: i + 1,
                    })
                }
            }
        } else if let Some(b) = &mut open {
            b.lines.push(line.to_string());
        }
    }
    assert!(open.is_none(), "docs/cycle.md: a fence is not closed");
    out
}

/// Applies a `diff` block: `+++ path`, then hunks separated by `@@`; each hunk's context and `-`
/// lines must occur exactly once in the file and are replaced by its context and `+` lines; a
/// hunk of `+` lines only is appended to the file.
fn apply_diff(cwd: &Path, b: &Block) {
    let path = b
        .lines
        .iter()
        .find_map(|l| l.strip_prefix("+++ "))
        .unwrap_or_else(|| panic!("docs/cycle.md:{}: diff without +++ line", b.at));
    let file = cwd.join(path.trim());
    let mut text = fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("docs/cycle.md:{}: {}: {e}", b.at, file.display()));
    let mut hunks: Vec<Vec<&String>> = vec![Vec::new()];
    for l in b
        .lines
        .iter()
        .filter(|l| !l.starts_with("--- ") && !l.starts_with("+++ "))
    {
        if l.starts_with("@@") {
            hunks.push(Vec::new());
        } else {
            hunks.last_mut().unwrap().push(l);
        }
    }
    for hunk in hunks.into_iter().filter(|h| !h.is_empty()) {
        let (mut old, mut new) = (String::new(), String::new());
        for l in &hunk {
            let (tag, body) = l.split_at(l.char_indices().nth(1).map_or(l.len(), |(i, _)| i));
            match tag {
                " " => {
                    old.push_str(body);
                    old.push('\n');
                    new.push_str(body);
                    new.push('\n');
                }
                "-" => {
                    old.push_str(body);
                    old.push('\n');
                }
                "+" => {
                    new.push_str(body);
                    new.push('\n');
                }
                "" => {
                    // An empty line of the block is an empty context line.
                    old.push('\n');
                    new.push('\n');
                }
                _ => panic!("docs/cycle.md:{}: diff line {l:?}", b.at),
            }
        }
        if old.is_empty() {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&new);
            continue;
        }
        let n = text.matches(&old).count();
        assert_eq!(
            n,
            1,
            "docs/cycle.md:{}: {} holds {n} copies of\n{old}",
            b.at,
            file.display()
        );
        text = text.replacen(&old, &new, 1);
    }
    fs::write(&file, text).unwrap();
}

/// (command, expected exit code, codes the output must contain) of an `sh` line.
fn command(line: &str) -> (String, i32, Vec<String>) {
    let (cmd, comment) = match line.find("  # ") {
        Some(i) => (&line[..i], &line[i + 4..]),
        None => (line, ""),
    };
    let code = comment
        .strip_prefix("終了コード ")
        .and_then(|r| r.chars().next())
        .and_then(|c| c.to_digit(10))
        .map_or(0, |d| d as i32);
    let codes = comment
        .match_indices("PIA-")
        .map(|(i, _)| comment[i..i + 8].to_string())
        .collect();
    (cmd.trim().to_string(), code, codes)
}

#[test]
fn the_walkthrough_runs_as_written() {
    let doc = fs::read_to_string(support::root().join("docs/cycle.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // The walkthrough starts at the top of a pia checkout: it copies assessments/kanto-it-kenpo.
    support::copy_dir(
        &support::reference(KANTO),
        &tmp.path().join("assessments").join(KANTO),
    );
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_pia"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cwd = tmp.path().to_path_buf();
    // The commands of the last `sh` block and their output.
    let mut last: Option<(String, String)> = None;
    let mut previous = String::new();
    let mut ran = 0;
    for b in blocks(&doc) {
        match b.info.as_str() {
            "sh" => {
                last = None;
                for line in b.lines.iter().filter(|l| !l.trim().is_empty()) {
                    let (cmd, expected, codes) = command(line);
                    if let Some(dir) = cmd.strip_prefix("cd ") {
                        cwd = cwd.join(dir.trim());
                        continue;
                    }
                    let out = Command::new("sh")
                        .arg("-c")
                        .arg(&cmd)
                        .current_dir(&cwd)
                        .env("PATH", &path)
                        .env("HOME", tmp.path())
                        .env("GIT_CONFIG_NOSYSTEM", "1")
                        .env("GIT_AUTHOR_NAME", "pia")
                        .env("GIT_AUTHOR_EMAIL", "pia@example.invalid")
                        .env("GIT_COMMITTER_NAME", "pia")
                        .env("GIT_COMMITTER_EMAIL", "pia@example.invalid")
                        .env("NO_COLOR", "1")
                        .env_remove("GITHUB_STEP_SUMMARY")
                        .env_remove("PIA_FORMS_DIR")
                        .output()
                        .unwrap();
                    let output = text(&out);
                    assert_eq!(
                        out.status.code(),
                        Some(expected),
                        "docs/cycle.md:{}: `{cmd}`\n{output}",
                        b.at
                    );
                    for c in &codes {
                        assert!(
                            output.contains(&format!("[{c}]")),
                            "docs/cycle.md:{}: `{cmd}` does not report {c}\n{output}",
                            b.at
                        );
                    }
                    ran += 1;
                    last = Some(match last.take() {
                        None => (cmd, output),
                        Some((c, o)) => (format!("{c}; {cmd}"), format!("{o}{output}")),
                    });
                }
            }
            "diff" => apply_diff(&cwd, &b),
            "text" if previous == "sh" => {
                let (cmd, output) = last.as_ref().expect("a command before the output");
                for l in b.lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
                    assert!(
                        output.contains(l),
                        "docs/cycle.md:{}: the output of `{cmd}` lacks\n{l}\n---\n{output}",
                        b.at
                    );
                }
            }
            _ => {}
        }
        previous = b.info.clone();
    }
    assert!(ran >= 25, "only {ran} commands");
    // The end state: three publications, each tagged, the 別添3 rows of the 事後 and 重要な変更.
    let cycle = tmp.path().join("cycle");
    assert_eq!(
        git(&cycle, &["tag", "--list"]).lines().collect::<Vec<_>>(),
        vec![
            "pia/kanto/2025-11-01",
            "pia/kanto/2027-01-15",
            "pia/kanto/2027-05-01"
        ]
    );
    let loaded = pia::load::load(&cycle.join("kanto")).unwrap();
    let a = &loaded.assessment;
    assert_eq!(a.cover.published_on, Some(date("2027-05-01")));
    assert_eq!(a.changes.len(), 2);
    assert_eq!(a.changes[0].changed_on, Some(date("2027-01-04")));
    assert_eq!(a.changes[1].changed_on, Some(date("2027-06-01")));
    assert!(a.pending.is_empty());
    assert_eq!(a.meta.reviews.len(), 1);
    let ics = fs::read_to_string(cycle.join("kigen.ics")).unwrap();
    assert!(ics.contains("DTSTART;VALUE=DATE:20280501\r\n"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20320420\r\n"), "{ics}");
}
