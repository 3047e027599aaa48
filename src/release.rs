//! `pia release`: publishing a new version of an assessment in one step.
//!
//! From the last published revision (found in git: the tag `pia/<dir>/<公表日>` that
//! `pia release --commit` creates, else the last commit that changed `cover.published_on`) to
//! the work tree, the changes are classified and recorded as 別添3 rows
//! ([`crate::diff::record::record`], which also removes the `[[pending]]` notes the rows used),
//! and `cover.published_on` is set to the new 公表日 (toml_edit: every other byte of the file
//! stays). Nothing is written until the result passes `pia check` and the two-revision rules of
//! `pia check --since <base>`: the release is prepared in a temporary copy of the assessment
//! directory ([`plan`]), checked and rendered there, and only then copied back, file by file
//! and atomically, under the lock of `pia diff --record` ([`apply`]). A second run finds the
//! rows recorded, the 公表日 set and the notes gone, and changes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use toml_edit::{DocumentMut, Item};

use crate::check::{self, Options as CheckOptions};
use crate::diag::Diagnostic;
use crate::diff::{self, Timing, record};
use crate::form::Catalog;
use crate::load::{self, Loaded};
use crate::model::{ChangeRow, Date, Stage};
use crate::write::write_atomic;

/// What to publish.
#[derive(Debug, Clone)]
pub struct Options {
    /// The new 公表日.
    pub date: Date,
    /// 変更日 of the 事後 rows (default: the 公表日; not after it).
    pub changed_on: Option<Date>,
    /// 変更日 of the 事前 rows (after the 公表日; required when there are any).
    pub prior_changed_on: Option<Date>,
    /// The last published revision, when not found from git.
    pub from: Option<String>,
}

/// Why a release cannot be prepared (Japanese; exit code 2), with the diagnostics that say
/// why when there are some (refused `[[pending]]` notes).
#[derive(Debug, Clone)]
pub struct ReleaseError {
    pub message: String,
    pub help: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ReleaseError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> ReleaseError {
        let help: String = help.into();
        ReleaseError {
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
            diagnostics: Vec::new(),
        }
    }
}

/// The last published revision.
#[derive(Debug, Clone)]
pub struct Base {
    /// Full commit id.
    pub commit: String,
    /// How it was found, for people: 「タグ pia/a/2025-06-01」「公表日を 2025-06-01 にしたコミット 1a2b3c4」.
    pub found: String,
    /// Its 公表日.
    pub published_on: Option<Date>,
}

impl Base {
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }
}

/// A file the release rewrites: its bytes as read when the plan was made, and as released.
#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: PathBuf,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// A prepared release: what it adds and changes, and the assessment as released.
pub struct Plan {
    pub base: Option<Base>,
    /// 別添3 rows to add (with their 変更日).
    pub rows: Vec<ChangeRow>,
    /// Changes since the base already recorded in 別添3 (by `pia diff --record` or an earlier run).
    pub recorded: usize,
    /// `[[pending]]` notes the rows use, removed from their files: (file, note path).
    pub consumed: Vec<(PathBuf, String)>,
    /// The 公表日 before and after, and the file that holds it.
    pub published_before: Option<Date>,
    pub published_on: Date,
    pub published_file: PathBuf,
    /// The files that change (empty: already released).
    pub files: Vec<FileChange>,
    /// The assessment as released (loaded from the prepared copy; its file names are those of
    /// the work tree).
    pub released: Loaded,
    /// `pia check` (and `--since <base>`) on the released assessment, after the levels.
    pub diagnostics: Vec<Diagnostic>,
    /// The prepared copy (removed when the plan is dropped).
    _copy: tempfile::TempDir,
}

impl Plan {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
    /// Whether the release changes nothing (a second run).
    pub fn is_noop(&self) -> bool {
        self.files.is_empty()
    }
}

/// The tag `pia release --commit` creates: `pia/<directory in the repository>/<公表日>`.
pub fn tag_name(prefix: &str, date: Date) -> String {
    let p = prefix.trim_matches('/');
    if p.is_empty() {
        format!("pia/{date}")
    } else {
        format!("pia/{p}/{date}")
    }
}

/// Runs git in `dir`: stdout (trimmed) or the error in Japanese.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            format!("git を実行できません（{e}）。git をインストールし、PATH に含めてください")
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout)
            .trim_end_matches(['\n', '\r'])
            .to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// The top of the work tree and the assessment directory's path in it (`a/b`, "" at the top).
pub fn repository(dir: &Path) -> Result<(PathBuf, String), ReleaseError> {
    let out = git(dir, &["rev-parse", "--show-toplevel", "--show-prefix"]).map_err(|_| {
        ReleaseError::new(
            format!("`{}` は git リポジトリの中にありません", dir.display()),
            "pia release は git の履歴から前回公表した版を探します。評価書を git で管理してください（git init、git add、git commit）。",
        )
    })?;
    let mut lines = out.lines();
    let root = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines.next().unwrap_or_default().trim_end_matches('/');
    Ok((root, prefix.to_string()))
}

fn published_at(path: &Path, rev: &str, catalog: &Catalog) -> Option<Date> {
    diff::git::load_revision_in(path, rev, catalog)
        .ok()
        .and_then(|l| l.assessment.cover.published_on)
}

/// The last published revision of the assessment at `path`: the tag `pia/<dir>/<公表日 of HEAD>`,
/// else the last commit (reachable from HEAD) that changed `cover.published_on`. `None` when
/// HEAD has no published version (a first publication).
pub fn find_base(path: &Path, catalog: &Catalog) -> Result<Option<Base>, ReleaseError> {
    let (dir, _) = load::resolve(path);
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let (_, prefix) = repository(&dir)?;
    if git(&dir, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).is_err() {
        return Ok(None); // no commit yet
    }
    let head = match diff::git::load_revision_in(path, "HEAD", catalog) {
        Ok(l) => l.assessment.cover.published_on,
        // Not in HEAD yet: a first publication.
        Err(diff::git::RevError::Git { .. }) => None,
        Err(e @ diff::git::RevError::Load(_)) => {
            let mut err = ReleaseError::new(
                "HEAD の評価書を読み込めないため、前回公表した版を探せません",
                "HEAD の評価書を直してコミットするか、前回公表した版を --from で指定してください。",
            );
            err.diagnostics = check::since::rev_error_diagnostics(e, "HEAD");
            return Err(err);
        }
    };
    let Some(head) = head else {
        return Ok(None);
    };
    let tag = tag_name(&prefix, head);
    if let Ok(commit) = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/tags/{tag}^{{commit}}"),
        ],
    ) {
        return Ok(Some(Base {
            commit,
            found: format!("タグ {tag}"),
            published_on: Some(head),
        }));
    }
    let log = git(
        &dir,
        &["log", "--format=%H", "-G", "published_on", "--", "."],
    )
    .map_err(|e| ReleaseError::new(format!("git log を実行できません: {e}"), ""))?;
    for commit in log.lines().map(str::trim).filter(|c| !c.is_empty()) {
        let here = published_at(path, commit, catalog);
        let parent = published_at(path, &format!("{commit}^"), catalog);
        if here.is_some() && here != parent {
            return Ok(Some(Base {
                commit: commit.to_string(),
                found: format!(
                    "公表日を {} にしたコミット {}",
                    here.map(|d| d.to_string()).unwrap_or_default(),
                    &commit[..commit.len().min(7)]
                ),
                published_on: here,
            }));
        }
    }
    Ok(None)
}

/// The revision named on the command line as a base.
pub fn named_base(path: &Path, rev: &str, catalog: &Catalog) -> Result<Base, ReleaseError> {
    let (dir, _) = load::resolve(path);
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    repository(&dir)?;
    let commit = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        ReleaseError::new(
            format!("リビジョン `{rev}` が見つかりません"),
            "コミット、ブランチ、タグ（例: HEAD~1、pia/assessments/a/2025-06-01）を指定してください。",
        )
    })?;
    Ok(Base {
        found: format!("--from {rev}"),
        published_on: published_at(path, &commit, catalog),
        commit,
    })
}

/// Copies a directory tree (dot entries left out; symbolic links copied as links).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(e.file_name());
        let ft = e.file_type()?;
        if ft.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else if ft.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(e.path())?, &target)?;
        } else if ft.is_file() {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// Sets `cover.published_on` in a TOML text. An existing value is replaced where it stands (its
/// place found with toml_edit's spans; a 和暦 comment of the old date on its line updated), so
/// every other byte stays; a missing key is added to `[cover]` with toml_edit.
pub fn set_published_on(text: &str, old: Option<Date>, date: Date) -> Result<String, String> {
    let parsed =
        toml_edit::Document::parse(text).map_err(|e| format!("TOML として読み込めません: {e}"))?;
    let span = parsed
        .get("cover")
        .and_then(|c| c.get("published_on"))
        .and_then(Item::span);
    if let Some(span) = span {
        let line_end = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i);
        let mut rest = text[span.end..line_end].to_string();
        if let Some(old) = old {
            let w = crate::wareki::format(old);
            if let Some(i) = rest.find('#')
                && rest[i..].contains(&w)
            {
                let comment = rest[i..].replacen(&w, &crate::wareki::format(date), 1);
                rest = format!("{}{comment}", &rest[..i]);
            }
        }
        return Ok(format!(
            "{}{date}{rest}{}",
            &text[..span.start],
            &text[line_end..]
        ));
    }
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("TOML として読み込めません: {e}"))?;
    let dt: toml_edit::Datetime = date
        .to_string()
        .parse()
        .map_err(|e| format!("日付を書けません: {e}"))?;
    match doc.get_mut("cover") {
        Some(Item::Table(t)) => {
            t.insert("published_on", Item::Value(toml_edit::Value::from(dt)));
        }
        Some(Item::Value(toml_edit::Value::InlineTable(t))) => {
            t.insert("published_on", toml_edit::Value::from(dt));
        }
        None => {
            let mut t = toml_edit::Table::new();
            t.insert("published_on", Item::Value(toml_edit::Value::from(dt)));
            doc.insert("cover", Item::Table(t));
        }
        Some(_) => return Err("cover が表ではありません".to_string()),
    }
    let out = doc.to_string();
    // toml_edit writes "\n": a file written with CRLF throughout stays so.
    Ok(
        if text.contains("\r\n") && text.matches('\n').count() == text.matches("\r\n").count() {
            out.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            out
        },
    )
}

/// Whether a new row records a change already recorded since the base (same paths, or the same
/// printed item, and the same 変更後の記載), whatever its date.
fn already_recorded(fresh: &[&ChangeRow], r: &ChangeRow) -> bool {
    fresh.iter().any(|e| {
        e.after.replace("\r\n", "\n") == r.after
            && ((!e.paths.is_empty() && e.paths == r.paths) || e.item.trim() == r.item)
    })
}

/// Prepares a release of `loaded` (the work tree at `path`) in a temporary copy: rows,
/// consumed notes, 公表日, then `pia check` with the rules of `--since <base>`. Nothing in
/// the work tree is written.
pub fn plan(
    path: &Path,
    loaded: &Loaded,
    catalog: &Catalog,
    opts: &Options,
) -> Result<Plan, ReleaseError> {
    let form = &*loaded.form;
    let stage = loaded.assessment.meta.stage();
    if stage != Stage::Final {
        return Err(ReleaseError::new(
            format!(
                "評価書の段階が「{}」です。公表できるのは「{}」の評価書だけです",
                crate::stage::text(form, stage),
                crate::stage::text(form, Stage::Final)
            ),
            format!(
                "意見聴取の結果（Ⅵ２．④⑤）、第三者点検又は委員会の承認（Ⅵ３．・Ⅵ４．、承認日）を記載し、[meta] の stage を \"{}\" にしてから実行してください。",
                crate::stage::text(form, Stage::Final)
            ),
        ));
    }
    let changed_on = opts.changed_on.unwrap_or(opts.date);
    if changed_on > opts.date {
        return Err(ReleaseError::new(
            format!(
                "事後の変更の変更日（{changed_on}）が公表日（{}）より後です",
                opts.date
            ),
            "事後の変更は公表の時点で既に行った変更です。--changed-on には公表日以前の日付を指定してください（公表より後に行う変更は事前です）。",
        ));
    }
    if let Some(p) = opts.prior_changed_on
        && p <= opts.date
    {
        return Err(ReleaseError::new(
            format!(
                "事前の変更の変更日（{p}）が公表日（{}）より後ではありません",
                opts.date
            ),
            "事前の変更は、評価書を公表した後に行う変更です。--prior-changed-on には公表日より後の日付（変更を行う日）を指定してください。",
        ));
    }
    let base = match &opts.from {
        Some(rev) => Some(named_base(path, rev, catalog)?),
        None => find_base(path, catalog)?,
    };
    if let Some(b) = &base
        && b.published_on.is_some_and(|p| p > opts.date)
    {
        return Err(ReleaseError::new(
            format!(
                "新しい公表日（{}）が前回の公表日（{}、{}）より前です",
                opts.date,
                b.published_on.map(|d| d.to_string()).unwrap_or_default(),
                b.found
            ),
            "--date に新しい版を公表する日を指定してください。",
        ));
    }

    // The rows: the changes since the base that 別添3 does not record yet.
    let mut rows = Vec::new();
    let mut recorded = 0;
    let old = match &base {
        Some(b) => Some(
            diff::git::load_revision_in(path, &b.commit, catalog).map_err(|e| {
                let mut err = ReleaseError::new(
                    format!("前回公表した版（{}）を読み込めません", b.found),
                    "--from で別のリビジョンを指定してください。",
                );
                err.diagnostics = check::since::rev_error_diagnostics(e, &b.commit);
                err
            })?,
        ),
        None => None,
    };
    if let (Some(old), Some(b)) = (&old, &base) {
        let report = diff::compare(old, loaded, b.short(), "作業ツリー");
        if !report.notes.refused.is_empty() {
            let mut err = ReleaseError::new(
                "未提出の変更の申告（[[pending]]）に誤りがあるため、公表できません",
                "申告を直すか削除してから、もう一度実行してください。",
            );
            err.diagnostics = report.notes.refused.clone();
            return Err(err);
        }
        let fresh: Vec<&ChangeRow> =
            diff::classify::added_rows(&old.assessment.changes, &loaded.assessment.changes)
                .into_iter()
                .map(|j| &loaded.assessment.changes[j])
                .collect();
        let prior: Vec<&str> = report
            .changes
            .iter()
            .filter(|c| c.row && c.timing == Timing::Prior)
            .map(|c| c.item.as_str())
            .collect();
        for mut r in diff::rows(&report.changes, changed_on) {
            if already_recorded(&fresh, &r) {
                recorded += 1;
                continue;
            }
            if record::is_prior(&r) {
                let Some(p) = opts.prior_changed_on else {
                    return Err(ReleaseError::new(
                        format!(
                            "事前に提出する変更があります（「{}」{}）。その変更日を指定してください",
                            prior.first().copied().unwrap_or_default(),
                            if prior.len() > 1 {
                                format!("ほか{}件", prior.len() - 1)
                            } else {
                                String::new()
                            }
                        ),
                        "事前の変更は公表の後に行います。--prior-changed-on <変更日>（公表日より後）を指定してください。重要な変更に当たらない場合は [[pending]] に exclusion と理由を書きます。",
                    ));
                };
                r.changed_on = Some(p);
            }
            r.revision = String::new();
            rows.push(r);
        }
    }

    // The prepared copy.
    let copy = tempfile::Builder::new()
        .prefix("pia-release-")
        .tempdir()
        .map_err(|e| ReleaseError::new(format!("一時ディレクトリを作成できません: {e}"), ""))?;
    let real_dir = if loaded.dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        loaded.dir.clone()
    };
    let work = copy.path().join("a");
    copy_tree(&real_dir, &work).map_err(|e| {
        ReleaseError::new(
            format!(
                "`{}` を一時ディレクトリに複製できません: {e}",
                real_dir.display()
            ),
            "",
        )
    })?;
    let (_, main) = load::resolve(path);
    // The copy as loaded (its own paths: record() writes there), and the same files named as
    // in the work tree (for messages).
    let load_copy = || -> Result<Loaded, ReleaseError> {
        load::load_in(&work.join(&main), catalog).map_err(|e| {
            let mut err = ReleaseError::new("公表する版を読み込めません（pia の不具合です）", "");
            err.diagnostics = e.diagnostics;
            err
        })
    };
    let in_copy = |p: &Path| work.join(p.strip_prefix(&real_dir).unwrap_or(p));
    let staged = load_copy()?;
    let mut consumed = Vec::new();
    if !rows.is_empty() {
        // Messages name the work tree's files, not the copy's.
        let done = record::record(&staged, rows.clone()).map_err(|e| {
            ReleaseError::new(
                e.0.replace(&work.display().to_string(), &real_dir.display().to_string()),
                "",
            )
        })?;
        consumed = done
            .consumed
            .into_iter()
            .map(|(f, p)| (real_dir.join(f.strip_prefix(&work).unwrap_or(&f)), p))
            .collect();
    }
    // 公表日.
    let published_before = loaded.assessment.cover.published_on;
    let holder = loaded
        .sources
        .file_of("cover.published_on")
        .map(Path::to_path_buf)
        .or_else(|| loaded.sources.files.first().map(|f| f.path.clone()))
        .ok_or_else(|| ReleaseError::new("評価書のファイルが見つかりません", ""))?;
    if published_before != Some(opts.date) {
        let file = in_copy(&holder);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            ReleaseError::new(format!("`{}` を読めません: {e}", holder.display()), "")
        })?;
        let out = set_published_on(&text, published_before, opts.date).map_err(|e| {
            ReleaseError::new(
                format!("`{}` の公表日を書き換えられません: {e}", holder.display()),
                "",
            )
        })?;
        std::fs::write(&file, out)
            .map_err(|e| ReleaseError::new(format!("一時ファイルに書き込めません: {e}"), ""))?;
    }
    let mut released = load_copy()?;
    for f in &mut released.sources.files {
        if let Ok(rel) = f.path.strip_prefix(&work) {
            f.path = real_dir.join(rel);
        }
    }

    // What changes, file by file (bytes as read now: apply() refuses if they change meanwhile).
    let mut files = Vec::new();
    for f in &loaded.sources.files {
        let before = std::fs::read(&f.path).map_err(|e| {
            ReleaseError::new(format!("`{}` を読めません: {e}", f.path.display()), "")
        })?;
        let after = std::fs::read(in_copy(&f.path))
            .map_err(|e| ReleaseError::new(format!("一時ファイルを読めません: {e}"), ""))?;
        if before != after {
            files.push(FileChange {
                path: f.path.clone(),
                before,
                after,
            });
        }
    }

    // The checks, as of the 公表日.
    let check_opts = CheckOptions {
        today: Some(opts.date),
        ..Default::default()
    };
    let mut diagnostics = check::findings(&released, &check_opts);
    if let (Some(old), Some(b)) = (&old, &base) {
        diagnostics.extend(check::since::check(old, &released, b.short()));
    }
    let diagnostics = check::policy(diagnostics, &released, &check_opts);

    Ok(Plan {
        base,
        rows,
        recorded,
        consumed,
        published_before,
        published_on: opts.date,
        published_file: holder,
        files,
        released,
        diagnostics,
        _copy: copy,
    })
}

/// Writes the plan's files into the work tree, atomically one by one, under the lock of
/// `pia diff --record`. Refused (nothing written) when a file changed since the plan was made.
pub fn apply(plan: &Plan) -> Result<(), String> {
    let Some(first) = plan.files.first() else {
        return Ok(());
    };
    let _lock = record::lock_beside(&first.path)?;
    for f in &plan.files {
        let now = std::fs::read(&f.path)
            .map_err(|e| format!("`{}` を読めません: {e}", f.path.display()))?;
        if now != f.before {
            return Err(format!(
                "`{}` が実行中に変更されたため、書き込みませんでした。もう一度実行してください",
                f.path.display()
            ));
        }
    }
    for f in &plan.files {
        write_atomic(&f.path, &f.after)
            .map_err(|e| format!("`{}` に書き込めません: {e}", f.path.display()))?;
    }
    Ok(())
}

/// Commits the assessment directory (and nothing else) and tags the commit
/// [`tag_name`]. Returns (commit made, tag made or already there).
pub fn commit_and_tag(dir: &Path, date: Date, message: &str) -> Result<(bool, String), String> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let (_, prefix) = repository(dir).map_err(|e| e.message)?;
    git(dir, &["add", "-A", "--", "."]).map_err(|e| format!("git add に失敗しました: {e}"))?;
    let staged = git(dir, &["diff", "--cached", "--quiet", "--", "."]).is_err();
    if staged {
        git(dir, &["commit", "-q", "-m", message, "--", "."])
            .map_err(|e| format!("git commit に失敗しました: {e}"))?;
    }
    let tag = tag_name(&prefix, date);
    let head = git(dir, &["rev-parse", "HEAD"]).map_err(|e| format!("git rev-parse: {e}"))?;
    match git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/tags/{tag}^{{commit}}"),
        ],
    ) {
        Ok(at) if at == head => {}
        Ok(_) => {
            return Err(format!(
                "タグ {tag} は別のコミットを指しています。公表日が同じ版を二度公表しようとしていないか確認してください"
            ));
        }
        Err(_) => {
            git(dir, &["check-ref-format", &format!("refs/tags/{tag}")]).map_err(|_| {
                format!("タグ名 {tag} は git のタグに使えません（ディレクトリ名に空白や記号が含まれる等）")
            })?;
            git(dir, &["tag", &tag]).map_err(|e| format!("git tag に失敗しました: {e}"))?;
        }
    }
    Ok((staged, tag))
}
