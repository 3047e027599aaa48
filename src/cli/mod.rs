//! Subcommand implementations: argument handling and output only; the work is in the library.

#[macro_use]
pub mod io;

pub mod check;
pub mod diff;
pub mod release;
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
    let schema_name = "assessment.schema.json";
    let skeleton = pia::init::skeleton(&form, &format!("./{schema_name}"));
    let schema_text = schema::to_string(&form, Draft::Draft07);
    for (path, text) in [
        (main.clone(), skeleton),
        (dir.join(schema_name), schema_text),
    ] {
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            return fail(&format!("`{}` に書き込めません: {e}", path.display()), None);
        }
    }
    errln!(
        "作成しました: {}（JSON Schema: {}）",
        main.display(),
        dir.join(schema_name).display()
    );
    errln!(
        "次の手順: 各項目を記入し、`pia check {}` で検査します。",
        dir.display()
    );
    OK
}
