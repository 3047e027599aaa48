//! Subcommand implementations: argument handling and output only; the work is in the library.

#[macro_use]
pub mod io;

pub mod check;
pub mod diff;
#[cfg(feature = "render")]
pub mod release;
#[cfg(feature = "render")]
pub mod render;
pub mod review;
pub mod status;
pub mod threshold;

use std::path::{Path, PathBuf};

use pia::form::Catalog;
use pia::load::{LoadError, Loaded};
use pia::schema::{self, Draft};
use pia::write::write_atomic;

/// What every subcommand shares: where its forms come from.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `--forms-dir`: a folder of form folders searched before the built-in forms.
    pub forms_dir: Option<PathBuf>,
}

impl Context {
    /// The forms for an assessment at `path` ([`Catalog::discover`]).
    pub fn catalog(&self, path: &Path) -> Catalog {
        Catalog::discover(path, self.forms_dir.as_deref())
    }

    /// Loads an assessment with [`Context::catalog`].
    pub fn load(&self, path: &Path) -> Result<Loaded, LoadError> {
        pia::load::load_in(path, &self.catalog(path))
    }
}

/// The one parser of dates given on the command line (`--today`, `--date`): `YYYY-MM-DD`, with
/// a Japanese error naming the expected form.
pub fn date_arg(s: &str) -> Result<pia::model::Date, String> {
    s.trim().parse()
}

/// `--color`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: findings (errors; with --deny-warnings also warnings).
pub const FINDINGS: u8 = 1;
/// Exit code: the input could not be read, or the command line is wrong.
pub const INPUT: u8 = 2;

pub fn fail(message: &str, help: Option<&str>) -> u8 {
    errln!("エラー: {message}");
    if let Some(h) = help {
        errln!("  対処: {h}");
    }
    INPUT
}

/// The form named by `--form` (default: the newest built-in 様式4).
fn named_form(ctx: &Context, id: Option<&str>) -> Result<std::sync::Arc<pia::form::Form>, u8> {
    let catalog = ctx.catalog(Path::new("."));
    match id {
        None => Ok(catalog.default_form()),
        Some(id) => catalog
            .find(id)
            .map_err(|e| fail(&e.to_string(), Some(&e.help()))),
    }
}

pub fn schema(ctx: &Context, form: Option<&str>, draft07: bool, output: Option<PathBuf>) -> u8 {
    let form = match named_form(ctx, form) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let text = schema::to_string(
        &form,
        if draft07 {
            Draft::Draft07
        } else {
            Draft::Draft2020
        },
    );
    match output {
        None => {
            out!("{text}");
            OK
        }
        Some(path) => match write_atomic(&path, text.as_bytes()) {
            Ok(()) => OK,
            Err(e) => fail(&format!("`{}` に書き込めません: {e}", path.display()), None),
        },
    }
}

/// The root of the repository holding `dir` (git), else the directory above `dir`.
fn repository_root(dir: &Path) -> PathBuf {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(parent)
        .args(["rev-parse", "--show-toplevel"])
        .output();
    match out {
        Ok(o) if o.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_string())
        }
        _ => parent.to_path_buf(),
    }
}

/// `path` relative to `from` (both made absolute), with `/` separators for the `#:schema` line.
fn relative(from: &Path, path: &Path) -> String {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .components()
            .collect::<Vec<_>>()
            .into_iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
    };
    let (f, p) = (abs(from), abs(path));
    let common = f.iter().zip(&p).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(p[common..].iter().cloned());
    parts.join("/")
}

/// `pia init`: the skeleton `assessment.toml`, and the form's draft-07 JSON Schema written once
/// per repository (`schema/<form id>.draft07.schema.json` at the repository root, refreshed when
/// it is stale), which the skeleton's `#:schema` line refers to.
pub fn init(ctx: &Context, form: Option<&str>, dir: &Path, force: bool) -> u8 {
    let form = match named_form(ctx, form) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let main = dir.join(pia::load::MAIN_FILE);
    if main.exists() && !force {
        return fail(
            &format!("`{}` は既に存在します", main.display()),
            Some("別のディレクトリを指定するか、上書きする場合は --force を付けてください。"),
        );
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(
            &format!("ディレクトリ `{}` を作成できません: {e}", dir.display()),
            None,
        );
    }
    let schema_path = repository_root(dir)
        .join("schema")
        .join(schema::file_name(&form, Draft::Draft07));
    let schema_text = schema::to_string(&form, Draft::Draft07);
    let schema_state = match std::fs::read_to_string(&schema_path) {
        Ok(t) if t == schema_text => None,
        Ok(_) => Some("更新しました"),
        Err(_) => Some("作成しました"),
    };
    if let Some(what) = schema_state {
        if let Some(d) = schema_path.parent()
            && let Err(e) = std::fs::create_dir_all(d)
        {
            return fail(
                &format!("ディレクトリ `{}` を作成できません: {e}", d.display()),
                None,
            );
        }
        if let Err(e) = write_atomic(&schema_path, schema_text.as_bytes()) {
            return fail(
                &format!("`{}` に書き込めません: {e}", schema_path.display()),
                None,
            );
        }
        errln!("JSON Schema を{what}: {}", schema_path.display());
    }
    let skeleton = pia::init::skeleton(&form, &relative(dir, &schema_path));
    if let Err(e) = write_atomic(&main, skeleton.as_bytes()) {
        return fail(&format!("`{}` に書き込めません: {e}", main.display()), None);
    }
    errln!("作成しました: {}", main.display());
    errln!(
        "次の手順: 各項目を記入し、`pia check {}` で検査します。",
        dir.display()
    );
    OK
}
