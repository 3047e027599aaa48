//! Every limit `pia` applies to its input, in one place (documented in `docs/limits.md`).
//!
//! Assessments arrive through pull requests and `pia` runs in CI, so no input may make it read
//! without bound, decode an image of unbounded size, scan without bound or quote a value without
//! bound. Each limit is far above what a real 評価書 needs (the reference assessment: 4 TOML files,
//! 290 KB in total).

use std::time::Duration;

const MIB: u64 = 1024 * 1024;

/// Bytes of one TOML file (main file or include). The reference's largest file is 131 KB.
pub const MAX_TOML_BYTES: u64 = 8 * MIB;

/// Bytes of all TOML files of one assessment together.
pub const MAX_TOTAL_TOML_BYTES: u64 = 64 * MIB;

/// Entries in `include` (files of one assessment besides the main file).
pub const MAX_INCLUDES: usize = 50_000;

/// Bytes of the 別添1 figure file (SVG, PNG, JPEG or PDF).
pub const MAX_FIGURE_BYTES: u64 = 32 * MIB;

/// Width or height in pixels of a raster image (the figure, or an image embedded in an SVG figure).
pub const MAX_IMAGE_DIMENSION: u32 = 20_000;

/// Pixels (width × height) of a raster image: A4 scanned at 600 dpi (4,961 × 7,016 = 34.8 M)
/// fits; decoded as 16-bit RGBA this is at most 288 MB.
pub const MAX_IMAGE_PIXELS: u64 = 36_000_000;

/// Bytes of one font file found in a font directory (`--font-path`, `PIA_FONT_PATH`). The
/// largest common Japanese collection (Source Han Sans, all weights and regions) is ~120 MB.
pub const MAX_FONT_FILE_BYTES: u64 = 256 * MIB;

/// Faces in one font collection (`.ttc`/`.otc`); the header's count is checked before parsing.
pub const MAX_COLLECTION_FACES: u32 = 256;

/// Font files examined in the font directories of one run.
pub const MAX_FONT_FILES: usize = 10_000;

/// Directory depth searched below each font directory.
pub const MAX_FONT_DIR_DEPTH: usize = 16;

/// Characters of a user value quoted in a loader message; longer values are cut with 「…」.
pub const MAX_QUOTED_CHARS: usize = 60;

/// Largest value of a 件数/番号 item (`cover.assessment_number`, `…entrustment.count`):
/// the model holds them as `u32`.
pub const MAX_COUNT: u64 = u32::MAX as u64;

/// A temporary output file (`.pia-XXXXXX.tmp`) older than this was left by a killed run and is
/// removed by the next write into the same directory.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// How long `pia diff --record` waits for another `--record` on the same directory.
pub const RECORD_LOCK_WAIT: Duration = Duration::from_secs(120);

/// A size in the units the messages use (「8 MiB」, 「512 KiB」, 「100 バイト」).
pub fn bytes_ja(n: u64) -> String {
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} バイト")
    }
}

/// A user value for a message: at most [`MAX_QUOTED_CHARS`] characters, cut with 「…」.
pub fn elide(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED_CHARS) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elide_cuts_long_values_only() {
        assert_eq!(elide("短い値"), "短い値");
        let long = "あ".repeat(1_000_000);
        let e = elide(&long);
        assert_eq!(e.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(e.ends_with('…'));
        let exact = "x".repeat(MAX_QUOTED_CHARS);
        assert_eq!(elide(&exact), exact);
    }

    #[test]
    fn sizes_in_japanese() {
        assert_eq!(bytes_ja(8 * MIB), "8 MiB");
        assert_eq!(bytes_ja(512 * 1024), "512 KiB");
        assert_eq!(bytes_ja(100), "100 バイト");
    }
}
