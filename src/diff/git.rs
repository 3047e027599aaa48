//! Reading an assessment as it was at a git revision, through the `git` command.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::guard::ReadError;
use crate::limits::{MAX_FIGURE_BYTES, MAX_TOML_BYTES};
use crate::load::{self, Fetched, FileProvider, LoadError, Loaded, MAIN_FILE};

/// Why a revision could not be read.
#[derive(Debug, Clone)]
pub enum RevError {
    /// git, the repository or the revision is not usable: message and help, in Japanese.
    Git { message: String, help: String },
    /// The files were found but do not load (TOML or type errors). Boxed: a load error carries
    /// the sources read so far.
    Load(Box<LoadError>),
}

impl std::fmt::Display for RevError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RevError::Git { message, .. } => f.write_str(message),
            RevError::Load(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RevError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RevError::Git { .. } => None,
            RevError::Load(e) => Some(e.as_ref()),
        }
    }
}

impl RevError {
    fn git(message: impl Into<String>, help: impl Into<String>) -> RevError {
        RevError::Git {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Reads files of one assessment directory at one revision. One `git cat-file --batch` process
/// serves every file of the revision (a process per file would cost more than the diff itself).
/// The tree's entries (`git ls-tree`, read once) give each file's mode and size before its
/// content is requested: symbolic links (mode 120000) are refused, like any path leaving the
/// directory, and blobs over the limit are never read.
pub struct GitProvider {
    /// Top directory of the work tree.
    pub root: PathBuf,
    pub rev: String,
    /// The assessment directory relative to `root`, with `/` separators ("" = the top).
    pub prefix: String,
    batch: RefCell<Option<Batch>>,
    /// Path from the top → (mode, size) of every blob under `prefix` at `rev`.
    entries: RefCell<Option<HashMap<String, (u32, u64)>>>,
}

/// Mode of a symbolic link in a git tree.
const MODE_SYMLINK: u32 = 0o120000;
/// Mode of a submodule (a commit) in a git tree.
const MODE_GITLINK: u32 = 0o160000;

struct Batch {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Batch {
    fn drop(&mut self) {
        drop(self.stdin.take()); // EOF ends `git cat-file --batch`
        let _ = self.child.wait();
    }
}

fn not_found(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, what.into())
}

impl GitProvider {
    pub fn new(root: PathBuf, rev: &str, prefix: String) -> GitProvider {
        GitProvider {
            root,
            rev: rev.to_string(),
            prefix,
            batch: RefCell::new(None),
            entries: RefCell::new(None),
        }
    }

    /// `<prefix>/<rel>`: the path from the top of the work tree.
    fn full_path(&self, rel: &Path) -> String {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if self.prefix.is_empty() {
            rel
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }

    /// Mode and size of the blob at `rel`, from one `git ls-tree -r -l` of the directory.
    fn entry(&self, rel: &Path) -> io::Result<Option<(u32, u64)>> {
        let mut slot = self.entries.borrow_mut();
        if slot.is_none() {
            let mut cmd = Command::new("git");
            cmd.arg("--literal-pathspecs")
                .arg("-C")
                .arg(&self.root)
                .args(["ls-tree", "-r", "-l", "-z", "--full-tree", &self.rev]);
            if !self.prefix.is_empty() {
                cmd.arg("--").arg(format!("{}/", self.prefix));
            }
            let out = cmd.stderr(Stdio::null()).output()?;
            if !out.status.success() {
                return Err(io::Error::other("git ls-tree"));
            }
            let mut map = HashMap::new();
            for record in out.stdout.split(|b| *b == 0) {
                // `<mode> SP <type> SP <object> SP+ <size> TAB <path>`
                let Some(tab) = record.iter().position(|b| *b == b'\t') else {
                    continue;
                };
                let head = String::from_utf8_lossy(&record[..tab]);
                let path = String::from_utf8_lossy(&record[tab + 1..]).into_owned();
                let fields: Vec<&str> = head.split_whitespace().collect();
                if let [mode, _kind, _object, size] = fields.as_slice() {
                    let mode = u32::from_str_radix(mode, 8).unwrap_or(0);
                    let size = size.parse::<u64>().unwrap_or(0);
                    map.insert(path, (mode, size));
                }
            }
            *slot = Some(map);
        }
        Ok(slot
            .as_ref()
            .and_then(|m| m.get(&self.full_path(rel)).copied()))
    }

    /// `<rev>:<prefix>/<rel>`.
    pub fn object(&self, rel: &Path) -> String {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if self.prefix.is_empty() {
            format!("{}:{rel}", self.rev)
        } else {
            format!("{}:{}/{rel}", self.rev, self.prefix)
        }
    }

    /// The bytes of a blob of at most `limit` bytes, or NotFound.
    fn cat(&self, object: &str, limit: u64) -> io::Result<Vec<u8>> {
        if object.contains('\n') {
            return Err(not_found(object));
        }
        let mut slot = self.batch.borrow_mut();
        if slot.is_none() {
            let mut child = Command::new("git")
                .arg("-C")
                .arg(&self.root)
                .args(["cat-file", "--batch"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()?;
            let stdin = child.stdin.take();
            let stdout = child
                .stdout
                .take()
                .ok_or_else(|| io::Error::other("git cat-file: no stdout"))?;
            *slot = Some(Batch {
                child,
                stdin,
                stdout: BufReader::new(stdout),
            });
        }
        let Some(batch) = slot.as_mut() else {
            return Err(io::Error::other("git cat-file"));
        };
        let stdin = batch
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("git cat-file: closed"))?;
        writeln!(stdin, "{object}")?;
        stdin.flush()?;
        let mut header = String::new();
        batch.stdout.read_line(&mut header)?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        let (kind, size) = match fields.as_slice() {
            [_, kind, size] => match size.parse::<usize>() {
                Ok(n) => (*kind, n),
                Err(_) => return Err(io::Error::other(format!("git cat-file: {}", header.trim()))),
            },
            _ => return Err(not_found(header.trim().to_string())),
        };
        if size as u64 > limit {
            // Never buffer it: stop this `git cat-file` (it is mid-way through the blob).
            if let Some(mut b) = slot.take() {
                let _ = b.child.kill();
            }
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!("{object}: {size} bytes"),
            ));
        }
        let mut body = vec![0; size + 1]; // the content and a newline
        batch.stdout.read_exact(&mut body)?;
        body.pop();
        if kind != "blob" {
            return Err(not_found(format!("{object} は {kind} です")));
        }
        Ok(body)
    }
}

impl FileProvider for GitProvider {
    fn read(&self, rel: &Path) -> io::Result<String> {
        let f = self
            .fetch(rel, MAX_TOML_BYTES)
            .map_err(|e| io::Error::other(e.message(&format!("`{}` ", self.object(rel)))))?;
        String::from_utf8(f.bytes)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "UTF-8 ではありません"))
    }
    fn read_bytes(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.fetch(rel, MAX_FIGURE_BYTES)
            .map(|f| f.bytes)
            .map_err(|e| io::Error::other(e.message(&format!("`{}` ", self.object(rel)))))
    }
    fn display_path(&self, rel: &Path) -> PathBuf {
        PathBuf::from(self.object(rel))
    }
    fn fetch(&self, rel: &Path, limit: u64) -> Result<Fetched, ReadError> {
        match self.entry(rel)? {
            None => Err(ReadError::NotFound),
            Some((MODE_SYMLINK, _)) => Err(ReadError::Symlink),
            Some((MODE_GITLINK, _)) => Err(ReadError::NotRegular("サブモジュール")),
            Some((_, size)) if size > limit => Err(ReadError::TooLarge { limit }),
            Some(_) => {
                let object = self.object(rel);
                let bytes = self.cat(&object, limit).map_err(|e| {
                    if e.kind() == io::ErrorKind::FileTooLarge {
                        ReadError::TooLarge { limit }
                    } else {
                        ReadError::from(e)
                    }
                })?;
                Ok(Fetched {
                    identity: PathBuf::from(object),
                    bytes,
                })
            }
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, RevError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            RevError::git(
                format!("git を実行できません（{e}）"),
                "git をインストールし、PATH に含めてください。",
            )
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout)
            .trim_end_matches(['\n', '\r'])
            .to_string())
    } else {
        Err(RevError::git(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
            "",
        ))
    }
}

/// The assessment directory and main file name of a command-line path.
fn split(path: &Path) -> (PathBuf, PathBuf) {
    let is_file = path.is_file() || path.extension().is_some_and(|e| e == "toml");
    if is_file {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        (
            dir,
            path.file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(MAIN_FILE)),
        )
    } else {
        (path.to_path_buf(), PathBuf::from(MAIN_FILE))
    }
}

/// Loads the assessment at `path` (a directory or TOML file of the work tree) as it was at `rev`,
/// with the forms [`crate::form::Catalog::discover`] finds for it.
pub fn load_revision(path: &Path, rev: &str) -> Result<Loaded, RevError> {
    load_revision_in(path, rev, &crate::form::Catalog::discover(path, None))
}

/// [`load_revision`] with the forms of `catalog`.
pub fn load_revision_in(
    path: &Path,
    rev: &str,
    catalog: &crate::form::Catalog,
) -> Result<Loaded, RevError> {
    let (dir, main) = split(path);
    if !dir.is_dir() {
        return Err(RevError::git(
            format!("ディレクトリ `{}` がありません", dir.display()),
            "作業ツリーにある評価書のディレクトリを指定してください（過去の版は --from で指定します）。",
        ));
    }
    let not_repo = || {
        RevError::git(
            format!("`{}` は git リポジトリの中にありません", dir.display()),
            "git で管理している評価書のディレクトリを指定するか、二つの版のパスを指定してください（pia diff 旧 新）。",
        )
    };
    let unknown = || {
        RevError::git(
            format!("リビジョン `{rev}` が見つかりません"),
            "コミット、ブランチ、タグ（例: HEAD~1、main、v2025）を指定してください。`git log --oneline` で確認できます。",
        )
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(unknown());
    }
    // One call for the work tree's top, the directory's prefix in it and the revision's commit.
    let verify = format!("{rev}^{{commit}}");
    let (root, prefix) = match git(
        &dir,
        &[
            "rev-parse",
            "--show-toplevel",
            "--show-prefix",
            "--verify",
            "--quiet",
            &verify,
        ],
    ) {
        Ok(out) => match out.lines().collect::<Vec<_>>().as_slice() {
            [root, prefix, _commit] => (
                PathBuf::from(root),
                prefix.trim_end_matches('/').to_string(),
            ),
            [root, _commit] => (PathBuf::from(root), String::new()),
            _ => return Err(unknown()),
        },
        // Tell "not a repository" from "no such revision".
        Err(_) => {
            return Err(if git(&dir, &["rev-parse", "--show-toplevel"]).is_ok() {
                unknown()
            } else {
                not_repo()
            });
        }
    };
    let provider = GitProvider::new(root, rev, prefix);
    let object = provider.object(&main);
    if !matches!(provider.entry(&main), Ok(Some(_))) {
        return Err(RevError::git(
            format!(
                "評価書 `{}` はリビジョン `{rev}` にありません",
                Path::new(&object[rev.len() + 1..]).display()
            ),
            "評価書がそのリビジョンで既にコミットされていたか確認してください（`git log -- <パス>`）。",
        ));
    }
    let (assessment, sources, form) = load::load_with_catalog(&provider, &main, catalog)
        .map_err(|e| RevError::Load(Box::new(e)))?;
    Ok(Loaded {
        basic_form: catalog.companion(&form),
        form,
        assessment,
        sources,
        dir,
    })
}
