//! Visual regression (issue 11, point 5): selected pages of the reference renders, rasterised at a
//! low resolution in grey (`pdftoppm -r 40 -gray`), compared with the images committed in
//! `tests/visual/` within a tolerance, so that a layout change is seen in review.
//!
//! On a difference the actual page and a difference image (dark where pixels differ) are written to
//! `target/visual-diff/` and named in the message. After an intended change of the layout,
//! `scripts/update-visual.sh` regenerates the references (it runs this test with
//! `PIA_UPDATE_VISUAL=1`); look at them before committing.
#![cfg(feature = "render")]

use std::path::{Path, PathBuf};
use std::process::Command;

use image::GrayImage;
use pia::load::{self, Loaded};
use pia::render::{RenderOptions, render_pdf};

mod support;

/// Resolution of the comparison (dots per inch): an A4 page is 331 × 468 pixels.
const DPI: &str = "40";
/// Mean absolute difference (0–255) over the page above which the page has changed. Renders are
/// byte-identical, so the tolerance only absorbs rasteriser differences (another poppler); a line of
/// text moved by a few points exceeds it (see the second test).
const MAX_MEAN: f64 = 0.25;
/// Share of pixels differing by more than [`PIXEL_STEP`] above which the page has changed.
const MAX_SHARE: f64 = 0.0015;
const PIXEL_STEP: u8 = 64;

/// Which document a page is taken from.
#[derive(Clone, Copy, PartialEq)]
enum Doc {
    /// The 全項目評価書 (様式４) of a reference assessment.
    Full(&'static str),
    /// The 基礎項目評価書 (様式２) derived from it (`pia render --form 様式2`).
    Basic(&'static str),
}

/// The pages compared: (reference image name, document, page number from 1).
const PAGES: &[(&str, Doc, u32)] = &[
    ("kanto-cover", Doc::Full(support::KANTO), 1),
    ("kanto-2-overview", Doc::Full(support::KANTO), 10),
    ("kanto-3-risks", Doc::Full(support::KANTO), 21),
    ("kanto-attachment-2", Doc::Full(support::KANTO), 18),
    ("kanto-attachment-3", Doc::Full(support::KANTO), 45),
    ("kanto-sheet-1", Doc::Full(support::KANTO), 66),
    ("city-3-boxes", Doc::Full(support::CITY), 32),
    ("kanto-yoshiki2-4", Doc::Basic(support::KANTO), 6),
];

fn render(doc: Doc) -> Vec<u8> {
    let (Doc::Full(name) | Doc::Basic(name)) = doc;
    let loaded: Loaded = load::load(&support::reference(name)).expect("reference loads");
    let loaded = match doc {
        Doc::Full(_) => loaded,
        Doc::Basic(_) => {
            let form = pia::form::Catalog::builtin()
                .find("R6.10-yoshiki2")
                .expect("様式2");
            pia::basic_report::derive(&loaded, &form)
        }
    };
    render_pdf(&loaded, &RenderOptions::default()).expect("renders")
}

/// One page of a PDF as a grey image.
fn rasterise(pdf: &Path, page: u32, dir: &Path) -> GrayImage {
    let prefix = dir.join(format!("p{page}"));
    let p = page.to_string();
    let out = Command::new("pdftoppm")
        .args([
            "-r",
            DPI,
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
        ])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed: bash scripts/setup-debian.sh");
    assert!(
        out.status.success(),
        "pdftoppm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut img = image::open(prefix.with_extension("png"))
        .expect("pdftoppm wrote a PNG")
        .to_luma8();
    // 16 grey levels: anti-aliasing noise goes, the references stay small.
    for p in img.pixels_mut() {
        p.0[0] = (p.0[0] >> 4) * 17;
    }
    img
}

/// Writes a grey image as a PNG, compressed as far as the encoder goes.
fn save(img: &GrayImage, path: &Path) {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap();
}

/// (mean absolute difference, share of pixels differing by more than PIXEL_STEP, difference image).
fn compare(actual: &GrayImage, expected: &GrayImage) -> (f64, f64, GrayImage) {
    let (w, h) = actual.dimensions();
    let mut diff = GrayImage::new(w, h);
    let mut sum = 0u64;
    let mut differing = 0u64;
    for (x, y, a) in actual.enumerate_pixels() {
        let e = expected.get_pixel(x, y);
        let d = a.0[0].abs_diff(e.0[0]);
        sum += u64::from(d);
        if d > PIXEL_STEP {
            differing += 1;
        }
        diff.put_pixel(x, y, image::Luma([255 - d.saturating_mul(4)]));
    }
    let n = f64::from(w) * f64::from(h);
    (sum as f64 / n, differing as f64 / n, diff)
}

fn references() -> PathBuf {
    support::root().join("tests/visual")
}

#[test]
fn pages_look_like_their_references() {
    let update = std::env::var_os("PIA_UPDATE_VISUAL").is_some();
    let out_dir = support::root().join("target/visual-diff");
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut rendered: Vec<(Doc, PathBuf)> = Vec::new();
    for &(name, doc, page) in PAGES {
        let pdf = match rendered.iter().find(|(d, _)| *d == doc) {
            Some((_, p)) => p.clone(),
            None => {
                let path = tmp.path().join(format!("{}.pdf", rendered.len()));
                std::fs::write(&path, render(doc)).unwrap();
                rendered.push((doc, path.clone()));
                path
            }
        };
        let actual = rasterise(&pdf, page, tmp.path());
        let reference = references().join(format!("{name}.png"));
        if update {
            std::fs::create_dir_all(references()).unwrap();
            save(&actual, &reference);
            continue;
        }
        let expected = match image::open(&reference) {
            Ok(i) => i.to_luma8(),
            Err(e) => {
                failures.push(format!(
                    "{name}: no reference image {} ({e}); run scripts/update-visual.sh",
                    reference.display()
                ));
                continue;
            }
        };
        let problem = if actual.dimensions() != expected.dimensions() {
            Some(format!(
                "size {:?}, reference {:?}",
                actual.dimensions(),
                expected.dimensions()
            ))
        } else {
            let (mean, share, diff) = compare(&actual, &expected);
            (mean > MAX_MEAN || share > MAX_SHARE).then(|| {
                std::fs::create_dir_all(&out_dir).unwrap();
                save(&diff, &out_dir.join(format!("{name}-diff.png")));
                format!(
                    "mean difference {mean:.2} (at most {MAX_MEAN}), {:.2} % of pixels differ (at most {:.2} %)",
                    share * 100.0,
                    MAX_SHARE * 100.0
                )
            })
        };
        if let Some(p) = problem {
            std::fs::create_dir_all(&out_dir).unwrap();
            let actual_path = out_dir.join(format!("{name}-actual.png"));
            save(&actual, &actual_path);
            failures.push(format!(
                "{name} (page {page}): {p}; actual {}, difference {}, reference {}",
                actual_path.display(),
                out_dir.join(format!("{name}-diff.png")).display(),
                reference.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "pages differ from their references (if the change is intended, run scripts/update-visual.sh and review the images):\n{}",
        failures.join("\n")
    );
}

/// A change is seen: a page compared with another page fails, and the same page passes.
#[test]
fn the_comparison_sees_a_changed_page() {
    let cover = image::open(references().join("kanto-cover.png"))
        .expect("reference images are committed (scripts/update-visual.sh)")
        .to_luma8();
    let overview = image::open(references().join("kanto-2-overview.png"))
        .unwrap()
        .to_luma8();
    let (mean, share, _) = compare(&cover, &cover);
    assert_eq!((mean, share), (0.0, 0.0));
    let (mean, share, _) = compare(&cover, &overview);
    assert!(mean > MAX_MEAN && share > MAX_SHARE, "{mean} {share}");
    // One moved line of text is enough.
    let mut shifted = cover.clone();
    let (w, h) = cover.dimensions();
    for y in 120..140.min(h) {
        for x in 0..w {
            let from = if x >= 8 {
                *cover.get_pixel(x - 8, y)
            } else {
                image::Luma([255])
            };
            shifted.put_pixel(x, y, from);
        }
    }
    let (mean, share, _) = compare(&shifted, &cover);
    assert!(mean > MAX_MEAN || share > MAX_SHARE, "{mean} {share}");
}
