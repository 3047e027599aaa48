//! Fonts for the PDF: the system's fonts (unless disabled), `--font-path` directories and
//! `PIA_FONT_PATH`, and the choice of the Japanese Gothic family the form is printed in.

use std::path::PathBuf;

use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{self as kit, FontPath, FontStore};

use super::RenderError;

/// Japanese Gothic families, most preferred first.
pub const PREFERRED: &[&str] = &[
    "BIZ UDGothic",
    "BIZ UDPGothic",
    "IPAexGothic",
    "IPAGothic",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "Yu Gothic",
    "YuGothic",
    "Meiryo",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "TakaoGothic",
    "VL Gothic",
];

/// Characters a family must have to print the form (checked so that no PDF with tofu is written).
const PROBE: &str = "評価書特定個人情報ファイル";

/// Where fonts come from.
#[derive(Debug, Clone)]
pub struct FontOptions {
    /// Extra directories (`--font-path`), searched recursively.
    pub font_paths: Vec<PathBuf>,
    /// Also read `PIA_FONT_PATH` (a path list).
    pub use_env: bool,
    /// Scan the system's font directories.
    pub system_fonts: bool,
    /// A family name to use instead of the preference list (`--font`).
    pub family: Option<String>,
}

impl Default for FontOptions {
    fn default() -> Self {
        FontOptions {
            font_paths: Vec::new(),
            use_env: true,
            system_fonts: true,
            family: None,
        }
    }
}

/// The loaded fonts and the chosen family.
pub struct Fonts {
    pub store: FontStore,
    pub family: String,
    /// Every loaded face, for the glyph-coverage check.
    pub infos: Vec<FontInfo>,
}

impl Fonts {
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }
}

fn covers(info: &FontInfo) -> bool {
    PROBE.chars().all(|c| info.coverage.contains(c as u32))
}

const INSTALL_HELP: &str = "日本語フォントをインストールしてください（Debian/Ubuntu: `sudo apt-get install fonts-morisawa-bizud-gothic`、又は `bash scripts/setup-debian.sh`）。フォントのあるディレクトリを --font-path 又は環境変数 PIA_FONT_PATH で指定することもできます。";

/// Discovers the fonts and chooses the Japanese family.
pub fn load(opts: &FontOptions) -> Result<Fonts, RenderError> {
    let mut entries: Vec<(FontPath, FontInfo)> = Vec::new();
    let mut dirs = opts.font_paths.clone();
    if opts.use_env
        && let Some(env) = std::env::var_os("PIA_FONT_PATH")
    {
        dirs.extend(std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()));
    }
    for dir in &dirs {
        if !dir.is_dir() {
            return Err(RenderError::input(
                format!(
                    "フォントのディレクトリ `{}` が見つかりません",
                    dir.display()
                ),
                Some(
                    "--font-path 又は PIA_FONT_PATH に既存のディレクトリを指定してください。"
                        .into(),
                ),
            ));
        }
        entries.extend(kit::scan(dir));
    }
    if opts.system_fonts {
        entries.extend(kit::system());
    }
    // A stable order, whatever order the directories were read in (byte-identical output).
    entries.sort_by(|a, b| {
        (&a.1.family, &a.0.path, a.0.index).cmp(&(&b.1.family, &b.0.path, b.0.index))
    });

    let japanese: Vec<&FontInfo> = entries
        .iter()
        .map(|(_, i)| i)
        .filter(|i| covers(i))
        .collect();
    let family = match &opts.family {
        Some(wanted) => {
            let found = entries
                .iter()
                .find(|(_, i)| i.family.eq_ignore_ascii_case(wanted));
            match found {
                Some((_, info)) if covers(info) => info.family.clone(),
                Some(_) => {
                    return Err(RenderError::input(
                        format!("フォント「{wanted}」には日本語の文字（「評価書」等）がありません"),
                        Some(available_help(&japanese)),
                    ));
                }
                None => {
                    return Err(RenderError::input(
                        format!("フォント「{wanted}」が見つかりません"),
                        Some(available_help(&japanese)),
                    ));
                }
            }
        }
        None => {
            let preferred = PREFERRED.iter().find_map(|p| {
                japanese
                    .iter()
                    .find(|i| i.family.eq_ignore_ascii_case(p))
                    .map(|i| i.family.clone())
            });
            match preferred.or_else(|| japanese.first().map(|i| i.family.clone())) {
                Some(f) => f,
                None => {
                    return Err(RenderError::input(
                        "日本語フォントが見つかりません。評価書を PDF にするには日本語のゴシック体フォントが必要です".to_string(),
                        Some(INSTALL_HELP.to_string()),
                    ));
                }
            }
        }
    };
    let infos = entries.iter().map(|(_, i)| i.clone()).collect();
    let mut store = FontStore::new();
    store.extend(entries);
    Ok(Fonts {
        store,
        family,
        infos,
    })
}

fn available_help(japanese: &[&FontInfo]) -> String {
    let mut names: Vec<&str> = japanese.iter().map(|i| i.family.as_str()).collect();
    names.dedup();
    if names.is_empty() {
        INSTALL_HELP.to_string()
    } else {
        format!("使える日本語フォント: {}", names.join("、"))
    }
}

impl Fonts {
    /// Whether some loaded face has a glyph for `c` (typst falls back to any face that has it).
    pub fn has_glyph(&self, c: char) -> bool {
        self.infos.iter().any(|i| i.coverage.contains(c as u32))
    }
}
