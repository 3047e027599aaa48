//! The 別添1 figure (`basic.attachment1.figure`): read, identified by its bytes and size-checked
//! before anything decodes it. One implementation for the loader (digest and the status `pia
//! check` reports as PIA-E320), and `pia render` (the bytes typst lays out).
//!
//! Raster images (PNG, JPEG, and rasters embedded in an SVG as `data:` URLs) are checked from
//! their headers only: width, height and pixel count against [`crate::limits`]. An SVG is parsed
//! with the same parser typst uses (usvg) so that every embedded image is seen; typst itself only
//! serves the figure, the data and the template to the document (see `render::world`), so an SVG
//! cannot make it read any other file.

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::guard::ReadError;
use crate::limits::{MAX_FIGURE_BYTES, MAX_IMAGE_DIMENSION, MAX_IMAGE_PIXELS, elide};
use crate::provider::{FileProvider, fnv1a64, safe_relative};

/// The TOML path of the figure.
pub const PATH: &str = "basic.attachment1.figure";

/// Formats the figure may have (identified by the content, not the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Jpeg,
    Pdf,
}

impl Format {
    /// The extension of the virtual file typst reads (`/figure.<ext>`).
    pub fn ext(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Pdf => "pdf",
        }
    }
}

/// A figure that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureInfo {
    /// The path as written, made safe (relative, inside the directory).
    pub rel: PathBuf,
    /// Resolved path (file system) or object name (git): to refuse it as an output.
    pub identity: PathBuf,
    pub format: Format,
    /// Width and height in pixels (PNG, JPEG).
    pub pixels: Option<(u32, u32)>,
    pub len: u64,
    /// FNV-1a of the bytes (a redrawn figure under the same name is a change for `pia diff`).
    pub digest: u64,
}

/// Why the figure cannot be used: a Japanese sentence about the file (the caller names the item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureProblem {
    /// 「図のファイル `x.png` が見つかりません」.
    pub reason: String,
    pub help: String,
    /// FNV-1a of the bytes, when they could be read (so `pia diff` still sees a change).
    pub digest: Option<u64>,
}

impl FigureProblem {
    fn new(reason: String, help: impl Into<String>) -> FigureProblem {
        FigureProblem {
            reason,
            help: help.into(),
            digest: None,
        }
    }

    /// 「「Ⅰ （別添１） 事務の内容 事務の内容（図）」の図のファイル `x.png` が見つかりません」.
    pub fn message(&self, item: &str) -> String {
        format!("「{item}」の{}", self.reason)
    }
}

/// The figure as written in the assessment (`None` when no figure is written).
pub fn given(a: &crate::model::Assessment) -> Option<&str> {
    let s = a.basic.attachment1.figure.trim();
    (!s.is_empty()).then_some(s)
}

/// Reads and checks the figure through the loader's provider.
pub fn load(
    provider: &dyn FileProvider,
    given: &str,
) -> Result<(FigureInfo, Vec<u8>), FigureProblem> {
    let shown = elide(given);
    let Some(rel) = safe_relative(given) else {
        return Err(FigureProblem::new(
            format!(
                "図のファイルのパス「{shown}」は使えません（評価書ディレクトリの外を指しています）"
            ),
            "図のファイルを評価書ディレクトリの中に置き、そこからの相対パス（例: figures/jimu.svg）を書いてください（絶対パスや .. は使えません）。",
        ));
    };
    let what = format!("図のファイル `{shown}` ");
    let fetched = provider
        .fetch(&rel, MAX_FIGURE_BYTES)
        .map_err(|e: ReadError| {
            let help = match e {
                ReadError::TooLarge { .. } => {
                    "図を縮小するか、解像度を下げてください（上限は docs/limits.md を参照）。"
                }
                _ => e.help(),
            };
            FigureProblem::new(e.message(&what), help)
        })?;
    let bytes = fetched.bytes;
    let (format, pixels) = inspect(&bytes).map_err(|reason| FigureProblem {
        digest: Some(fnv1a64(&bytes)),
        ..FigureProblem::new(format!("{what}{reason}"), reason_help(&reason))
    })?;
    let info = FigureInfo {
        rel,
        identity: fetched.identity,
        format,
        pixels,
        len: bytes.len() as u64,
        digest: fnv1a64(&bytes),
    };
    Ok((info, bytes))
}

fn reason_help(reason: &str) -> &'static str {
    if reason.contains("形式") {
        "SVG、PNG、JPEG 又は PDF のファイルを指定してください（拡張子ではなく内容で判定します）。"
    } else if reason.contains("画素") {
        "図を縮小するか、解像度を下げて保存し直してください（上限は docs/limits.md を参照）。"
    } else {
        "図のファイルが壊れていないか確認し、保存し直してください。"
    }
}

/// The format of the bytes, if it is one the figure may have.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Format::Jpeg);
    }
    if bytes.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &text[start..text.len().min(start + 64 * 1024)];
    if head.first() == Some(&b'<') && head.windows(4).any(|w| w == b"<svg") {
        return Some(Format::Svg);
    }
    None
}

/// Identifies the figure and checks what decoding it would cost: the format, and for raster
/// images the size in pixels. The error is a Japanese predicate (「の形式は…」).
pub fn inspect(bytes: &[u8]) -> Result<(Format, Option<(u32, u32)>), String> {
    match sniff(bytes) {
        None => Err("の形式は使えません（SVG・PNG・JPEG・PDF のいずれでもありません）".into()),
        Some(f @ (Format::Png | Format::Jpeg)) => {
            let dims = raster_dimensions(bytes)?;
            Ok((f, Some(dims)))
        }
        Some(Format::Pdf) => Ok((Format::Pdf, None)),
        Some(Format::Svg) => {
            check_svg(bytes)?;
            Ok((Format::Svg, None))
        }
    }
}

/// Width and height from the header of a raster image, within the limits.
pub fn raster_dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
    checked_dimensions(bytes).map_err(|e| format!("の画像{e}"))
}

/// The size a raster image's header states, checked against the limits; nothing is decoded.
/// The error is a predicate for 「画像」 (「が大きすぎます（…）」).
fn checked_dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
    // PNG: IHDR directly follows the signature; its size is checked first, so that a header no
    // decoder would accept (2³¹ × 2³¹) is still reported by its size.
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        let be32 = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        if bytes.len() >= 24 {
            check_pixels(be32(16), be32(20))?;
        }
    }
    // The decoders' allocation limits are lifted for this header-only call (the limits of this
    // module apply instead); into_dimensions reads the header and stops.
    let dims = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map(|mut r| {
            r.no_limits();
            r
        })
        .ok()
        .and_then(|r| r.into_dimensions().ok());
    let Some((w, h)) = dims else {
        return Err(
            "の見出し（ヘッダー）を読み取れません（壊れているか、対応していない形式です）".into(),
        );
    };
    check_pixels(w, h)?;
    Ok((w, h))
}

fn check_pixels(w: u32, h: u32) -> Result<(), String> {
    let pixels = u64::from(w) * u64::from(h);
    if w == 0 || h == 0 {
        return Err(format!("の大きさ（{w}×{h} 画素）が正しくありません"));
    }
    if w > MAX_IMAGE_DIMENSION || h > MAX_IMAGE_DIMENSION || pixels > MAX_IMAGE_PIXELS {
        return Err(format!(
            "が大きすぎます（{w}×{h} 画素。上限は縦横それぞれ {MAX_IMAGE_DIMENSION} 画素、合計 {MAX_IMAGE_PIXELS} 画素）"
        ));
    }
    Ok(())
}

/// Parses an SVG as typst will (usvg), checking the header of every embedded raster image
/// before anything decodes it. Linked (non-`data:`) images are not resolved here; typst resolves
/// them only against the files it serves, none of which is on disk.
fn check_svg(bytes: &[u8]) -> Result<(), String> {
    let problem: Mutex<Option<String>> = Mutex::new(None);
    let default = usvg::ImageHrefResolver::default_data_resolver();
    let opts = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|mime, data, opts| {
                if image::guess_format(&data).is_ok()
                    && let Err(e) = checked_dimensions(&data)
                {
                    let e = format!("に埋め込まれた画像{e}");
                    let mut slot = problem.lock().unwrap_or_else(|p| p.into_inner());
                    slot.get_or_insert(e);
                    return None;
                }
                default(mime, data, opts)
            }),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let parsed = usvg::Tree::from_data(bytes, &opts).map(drop);
    drop(opts);
    if let Some(p) = problem.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(p);
    }
    parsed.map_err(|e| {
        let why = match e {
            usvg::Error::NotAnUtf8Str => "UTF-8 ではありません".to_string(),
            usvg::Error::MalformedGZip => "圧縮が壊れています".to_string(),
            usvg::Error::ElementsLimitReached => "要素が多すぎます（上限 1,000,000）".to_string(),
            usvg::Error::InvalidSize => {
                "幅・高さ（width、height 又は viewBox）がありません".to_string()
            }
            usvg::Error::ParsingFailed(x) => format!("XML として正しくありません: {x}"),
        };
        format!("を SVG として読み込めません（{why}）")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(w: u32, h: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&[kind, data].concat());
            out.extend_from_slice(&crc.to_be_bytes());
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        // An empty zlib stream: decoders read the header up to the first IDAT.
        chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        );
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(&png_header(1, 1)), Some(Format::Png));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Format::Jpeg));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Format::Pdf));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(Format::Svg)
        );
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"hello"), None);
    }

    #[test]
    fn huge_png_header_is_refused_small_one_passes() {
        let e = inspect(&png_header(0x7FFF_FFFF, 0x7FFF_FFFF)).unwrap_err();
        assert!(e.contains("2147483647×2147483647 画素"), "{e}");
        assert_eq!(
            inspect(&png_header(640, 480)).unwrap(),
            (Format::Png, Some((640, 480)))
        );
        let e = inspect(&png_header(20_000, 2_000)).unwrap_err();
        assert!(e.contains("20000×2000"), "{e}");
    }

    #[test]
    fn svg_with_embedded_bomb_is_refused() {
        use std::fmt::Write;
        let png = png_header(40_000, 40_000);
        let mut b64 = String::new();
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for c in png.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    b64.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    b64.push('=');
                }
            }
        }
        let mut svg = String::new();
        write!(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><image width=\"10\" height=\"10\" href=\"data:image/png;base64,{b64}\"/></svg>").unwrap();
        let e = inspect(svg.as_bytes()).unwrap_err();
        assert!(
            e.contains("埋め込まれた画像") && e.contains("40000×40000"),
            "{e}"
        );
        let ok = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg>";
        assert_eq!(inspect(ok.as_bytes()).unwrap(), (Format::Svg, None));
        let broken = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect";
        assert!(
            inspect(broken.as_bytes())
                .unwrap_err()
                .contains("SVG として読み込めません")
        );
    }
}
