//! Fonts for the PDF: the system's fonts (unless disabled), `--font-path` directories and
//! `PIA_FONT_PATH`, and the choice of the Japanese Gothic family the form is printed in.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{self as kit, FontPath, FontStore};

use super::RenderError;
use crate::guard;
use crate::limits::{
    MAX_COLLECTION_FACES, MAX_FONT_DIR_DEPTH, MAX_FONT_FILE_BYTES, MAX_FONT_FILES, bytes_ja,
};

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
    /// Font files skipped while scanning the font directories, in Japanese.
    pub warnings: Vec<String>,
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
    let mut scan = Scan::default();
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
        entries.extend(scan_dir(dir, &mut scan));
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
        warnings: scan.warnings,
    })
}

/// State of one scan of the font directories.
#[derive(Default)]
struct Scan {
    /// Resolved directories and files already seen (symlink loops, the same file twice).
    seen: HashSet<PathBuf>,
    files: usize,
    warnings: Vec<String>,
}

/// The faces of the font files below `dir` (`.ttf`, `.otf`, `.ttc`, `.otc`), recursively.
///
/// Bounded and linear: at most [`MAX_FONT_FILES`] files and [`MAX_FONT_DIR_DEPTH`] levels; each
/// file is a regular file (opened non-blocking) of at most [`MAX_FONT_FILE_BYTES`], and a
/// collection's header (face count, offset table) is checked before any face is parsed, so a
/// 12-byte `.ttc` that claims 2³² faces costs one read. Skipped files are reported as warnings.
fn scan_dir(dir: &Path, scan: &mut Scan) -> Vec<(FontPath, FontInfo)> {
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(real) = std::fs::canonicalize(&d) else {
            continue;
        };
        if !scan.seen.insert(real) {
            continue;
        }
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut names: Vec<PathBuf> = read.flatten().map(|e| e.path()).collect();
        names.sort();
        for path in names {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if depth < MAX_FONT_DIR_DEPTH {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            let is_font = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            });
            if !is_font {
                continue;
            }
            if scan.files >= MAX_FONT_FILES {
                scan.warnings.push(format!(
                    "フォントのディレクトリ `{}` 以下のファイルが多すぎるため、{MAX_FONT_FILES} 個目以降を読み込みません",
                    dir.display()
                ));
                return out;
            }
            scan.files += 1;
            match font_faces(&path, &mut scan.seen) {
                Ok(faces) => out.extend(faces),
                Err(why) => scan.warnings.push(format!(
                    "フォント `{}` を読み込みません（{why}）",
                    path.display()
                )),
            }
        }
    }
    out
}

/// The faces of one font file, or why it is skipped.
fn font_faces(
    path: &Path,
    seen: &mut HashSet<PathBuf>,
) -> Result<Vec<(FontPath, FontInfo)>, String> {
    let real = std::fs::canonicalize(path).map_err(|e| guard::io_ja(&e))?;
    if !seen.insert(real.clone()) {
        return Ok(Vec::new()); // the same file through another path
    }
    let data = guard::read_regular(&real, MAX_FONT_FILE_BYTES).map_err(|e| match e {
        guard::ReadError::TooLarge { limit } => {
            format!("ファイルが大きすぎます。上限 {}", bytes_ja(limit))
        }
        guard::ReadError::NotRegular(kind) => format!("通常のファイルではありません: {kind}"),
        other => other.message("ファイル"),
    })?;
    let count = collection_faces(&data)?;
    let faces: Vec<(FontPath, FontInfo)> = (0..count)
        .filter_map(|index| {
            FontInfo::new(&data, index).map(|info| {
                (
                    FontPath {
                        path: real.clone(),
                        index,
                    },
                    info,
                )
            })
        })
        .collect();
    if faces.is_empty() {
        return Err("フォントとして読み取れません".into());
    }
    Ok(faces)
}

/// Number of faces of a font file: 1 for a single font; for a collection (`ttcf`), the count
/// from its header once the header is known to be sound (count within
/// [`MAX_COLLECTION_FACES`], every face offset inside the file).
fn collection_faces(data: &[u8]) -> Result<u32, String> {
    if !data.starts_with(b"ttcf") {
        return Ok(1);
    }
    let be32 = |at: usize| -> Option<u32> {
        data.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = be32(8).ok_or("フォントコレクションの見出しが途中で切れています")?;
    if count == 0 || count > MAX_COLLECTION_FACES {
        return Err(format!(
            "フォントコレクションの書体数 {count} が正しくないか多すぎます。上限 {MAX_COLLECTION_FACES}"
        ));
    }
    for i in 0..count as usize {
        let offset = be32(12 + 4 * i).ok_or("フォントコレクションの見出しが途中で切れています")?;
        if offset as usize >= data.len() {
            return Err("フォントコレクションの書体の位置がファイルの外を指しています".into());
        }
    }
    Ok(count)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_header_is_checked_before_parsing() {
        let mut bomb = b"ttcf\x00\x01\x00\x00".to_vec();
        bomb.extend_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(bomb.len(), 12);
        let e = collection_faces(&bomb).unwrap_err();
        assert!(e.contains("4294967295"), "{e}");
        let mut two = b"ttcf\x00\x01\x00\x00\x00\x00\x00\x02".to_vec();
        two.extend_from_slice(&20u32.to_be_bytes());
        two.extend_from_slice(&999u32.to_be_bytes());
        two.resize(40, 0);
        assert!(collection_faces(&two).unwrap_err().contains("ファイルの外"));
        assert_eq!(collection_faces(b"\x00\x01\x00\x00rest").unwrap(), 1);
    }
}
