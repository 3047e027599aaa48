//! Subcommand implementations: argument handling and output only; the work is in the library.

#[macro_use]
pub mod io;

pub mod check;
pub mod diff;
pub mod render;
pub mod threshold;

use std::path::Path;

use pia::schema::{self, Draft};
use pia::write::write_atomic;

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

pub fn schema(draft07: bool, output: Option<std::path::PathBuf>) -> u8 {
    let text = schema::to_string(if draft07 {
        Draft::Draft07
    } else {
        Draft::Draft2020
    });
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

pub fn init(dir: &Path, force: bool) -> u8 {
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
    let skeleton = pia::init::skeleton(&format!("./{schema_name}"));
    let schema_text = schema::to_string(Draft::Draft07);
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
