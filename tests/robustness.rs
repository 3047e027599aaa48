//! Hostile input and real-world files: every guard against what a pull request can bring (symlinks
//! out of the directory, FIFOs, devices, image bombs, malformed fonts, huge values, outputs that
//! would replace inputs, concurrent `--record`, Windows line ends and encodings). One test per
//! guarded behaviour; each asserts the code, the Japanese message and what must not happen.
#![cfg(unix)]

mod support;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pia::diag::Diagnostic;
use pia::load::{self, Loaded};
use support::{copy_dir, git};

use support::KANTO_DIR as REF;
const FIGURE_ITEM: &str = "Ⅰ （別添１） 事務の内容 事務の内容（図）";
const SECRET: &str = "PIA_TEST_SECRET_4f1d";

// ------------------------------------------------------------------------------------ helpers

/// A copy of the reference assessment in `<tmp>/a`.
struct Copy {
    tmp: tempfile::TempDir,
}

impl Copy {
    fn new() -> Copy {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(Path::new(REF), &tmp.path().join("a"));
        Copy { tmp }
    }
    fn root(&self) -> &Path {
        self.tmp.path()
    }
    fn dir(&self) -> PathBuf {
        self.tmp.path().join("a")
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir().join(rel)
    }
    fn edit(&self, file: &str, from: &str, to: &str) {
        let p = self.path(file);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }
    /// Adds `name` to the front of the main file's include list.
    fn include(&self, name: &str) {
        self.edit(
            "assessment.toml",
            "include = [",
            &format!("include = [\"{name}\", "),
        );
    }
    /// Writes `figure = "<rel>"` into [basic.attachment1] (in place of the reference's figure).
    fn figure(&self, rel: &str) {
        self.edit(
            "assessment.toml",
            "figure = \"figures/jimu-zentai.svg\"\n",
            &format!("figure = \"{rel}\"\n"),
        );
    }
    fn load_err(&self) -> Vec<Diagnostic> {
        match load::load(&self.dir()) {
            Ok(_) => panic!("loads"),
            Err(e) => e.diagnostics,
        }
    }
    fn check(&self) -> Vec<Diagnostic> {
        let loaded = load::load(&self.dir()).expect("loads");
        pia::check::check(&loaded, &Default::default())
    }
}

fn pia(dir: &Path, args: &[&str]) -> Output {
    run_with_timeout(
        Command::new(env!("CARGO_BIN_EXE_pia"))
            .current_dir(dir)
            .args(args)
            .env("NO_COLOR", "1"),
        Duration::from_secs(120),
    )
}

/// Runs a command; fails the test (after killing it) if it does not finish in time.
fn run_with_timeout(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// A git repository whose first commit holds the copy (in `a/`).
fn repo(c: &Copy) {
    let root = c.root();
    git(root, &["init", "-q"]);
    git(root, &["config", "user.name", "pia test"]);
    git(root, &["config", "user.email", "pia@example.com"]);
    git(root, &["config", "commit.gpgsign", "false"]);
    git(root, &["config", "core.autocrlf", "false"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "reference"]);
}

/// A PNG whose header claims `w`×`h` pixels (valid signature, IHDR, an empty IDAT, IEND).
fn png_header(w: u32, h: u32) -> Vec<u8> {
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
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc32(&[kind, data].concat()).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() {
                T[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

fn one<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{code} in {:?}", codes(diags));
    found[0]
}

// ------------------------------------------------------------- 1. reads stay inside the directory

#[test]
fn include_symlink_outside_is_refused_without_echo() {
    let c = Copy::new();
    let outside = c.root().join("outside.toml");
    // Not TOML: a parse error would print this line.
    fs::write(
        &outside,
        format!("{SECRET}: the first line of a secret file\n"),
    )
    .unwrap();
    symlink(&outside, c.path("evil.toml")).unwrap();
    c.include("evil.toml");

    let diags = c.load_err();
    let d = one(&diags, "PIA-L007");
    assert!(d.message.contains("ファイル `"), "{}", d.message);
    assert!(d.message.contains("evil.toml"), "{}", d.message);
    assert!(
        d.message.contains("評価書ディレクトリの外を指している"),
        "{}",
        d.message
    );

    for args in [
        vec!["check", "a"],
        vec!["check", "--format", "json", "a"],
        vec!["render", "a", "-o", "out.pdf"],
    ] {
        let out = pia(c.root(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert!(all.contains("PIA-L007"), "{args:?}: {all}");
        assert!(
            !all.contains(SECRET),
            "{args:?} echoes the outside file: {all}"
        );
    }
    assert!(!c.root().join("out.pdf").exists());
}

#[test]
fn main_file_symlink_outside_is_refused() {
    let c = Copy::new();
    let outside = c.root().join("elsewhere.toml");
    fs::write(&outside, format!("{SECRET} = 1\n")).unwrap();
    fs::remove_file(c.path("assessment.toml")).unwrap();
    symlink(&outside, c.path("assessment.toml")).unwrap();
    let diags = c.load_err();
    let d = one(&diags, "PIA-L007");
    assert!(d.message.contains("外を指している"), "{}", d.message);
    assert!(c.load_err().iter().all(|d| !d.message.contains(SECRET)));
}

#[test]
fn include_symlink_alias_loaded_once() {
    let c = Copy::new();
    symlink("changes.toml", c.path("alias.toml")).unwrap();
    c.include("alias.toml");
    // `./changes.toml` is the same path written differently.
    c.include("./changes.toml");
    let loaded = load::load(&c.dir()).expect("an alias of an included file is not a duplicate");
    let reference = load::load(Path::new(REF)).unwrap();
    assert_eq!(loaded.sources.files.len(), reference.sources.files.len());
    assert_eq!(
        loaded.assessment.changes.len(),
        reference.assessment.changes.len()
    );
    let mut inputs = loaded.sources.inputs();
    inputs.sort();
    inputs.dedup();
    assert_eq!(inputs.len(), loaded.sources.inputs().len());
    let real = fs::canonicalize(c.path("changes.toml")).unwrap();
    assert_eq!(
        loaded
            .sources
            .inputs()
            .iter()
            .filter(|p| **p == real)
            .count(),
        1
    );
}

#[test]
fn fifo_include_does_not_hang() {
    let c = Copy::new();
    mkfifo(&c.path("pipe.toml"));
    c.include("pipe.toml");
    // Nobody ever writes to the FIFO: opening it blocking would wait forever.
    let out = pia(c.root(), &["check", "a"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("PIA-L007"), "{err}");
    assert!(
        err.contains("pipe.toml` は通常のファイルではない（名前付きパイプ（FIFO））"),
        "{err}"
    );
}

#[test]
fn dev_zero_symlink_is_refused() {
    let c = Copy::new();
    symlink("/dev/zero", c.path("zero.toml")).unwrap();
    c.include("zero.toml");
    let out = pia(c.root(), &["check", "a"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("PIA-L007"), "{err}");
    assert!(
        err.contains("zero.toml` はシンボリックリンク等で評価書ディレクトリの外を指している"),
        "{err}"
    );
}

#[test]
fn include_directory_and_oversized_file_are_refused() {
    let c = Copy::new();
    fs::create_dir(c.path("sub.toml")).unwrap();
    c.include("sub.toml");
    let d = c.load_err();
    assert!(
        one(&d, "PIA-L007")
            .message
            .contains("通常のファイルではない（ディレクトリ）"),
        "{:?}",
        d
    );

    let c = Copy::new();
    // Sparse: the size is checked on the handle, nothing is read.
    let big = fs::File::create(c.path("big.toml")).unwrap();
    big.set_len(pia::limits::MAX_TOML_BYTES + 1).unwrap();
    c.include("big.toml");
    let d = c.load_err();
    let msg = &one(&d, "PIA-L007").message;
    assert!(
        msg.contains("big.toml` が大きすぎるため、読み込みません（上限 8 MiB）"),
        "{msg}"
    );
}

#[test]
fn too_many_includes_is_one_located_error() {
    let c = Copy::new();
    let names: Vec<String> = (0..=pia::limits::MAX_INCLUDES)
        .map(|i| format!("\"x{i}.toml\""))
        .collect();
    c.edit(
        "assessment.toml",
        "include = [",
        &format!("include = [{}, ", names.join(", ")),
    );
    let d = c.load_err();
    let e = one(&d, "PIA-L006");
    assert!(
        e.message
            .contains("include のファイルが多すぎます（50004 件。上限 50000 件）"),
        "{}",
        e.message
    );
    assert_eq!(e.position.as_ref().unwrap().line, 5);
}

#[test]
fn twenty_thousand_includes_load_linearly() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 20_000;
    let mut main = String::from("include = [");
    for i in 0..n {
        let name = format!("c{i:05}.toml");
        main.push_str(&format!("\"{name}\","));
        fs::write(
            tmp.path().join(&name),
            format!("[[changes]]\nitem = \"行{i}\"\n"),
        )
        .unwrap();
    }
    main.push_str("]\n");
    fs::write(tmp.path().join("assessment.toml"), main).unwrap();
    let loaded = load::load(tmp.path()).expect("loads");
    assert_eq!(loaded.sources.files.len(), n + 1);
    assert_eq!(loaded.assessment.changes.len(), n);
    assert_eq!(loaded.assessment.changes[0].item, "行0");
    assert_eq!(
        loaded.assessment.changes[n - 1].item,
        format!("行{}", n - 1)
    );
}

// --------------------------------------------------------------------------- 2. images

#[test]
fn png_bomb_header_is_refused_before_decoding() {
    let c = Copy::new();
    let bomb = png_header(0x7FFF_FFFF, 0x7FFF_FFFF);
    assert!(bomb.len() < 80);
    fs::write(c.path("bomb.png"), &bomb).unwrap();
    c.figure("bomb.png");

    let out = pia(c.root(), &["render", "a", "-o", "out.pdf"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "「{FIGURE_ITEM}」の図のファイル `bomb.png` の画像が大きすぎます（2147483647×2147483647 画素。上限は縦横それぞれ 20000 画素、合計 36000000 画素）（a/assessment.toml:"
        )),
        "{err}"
    );
    assert!(!c.root().join("out.pdf").exists());

    let diags = c.check();
    let d = one(&diags, "PIA-E320");
    assert_eq!(d.path, "basic.attachment1.figure");
    assert_eq!(d.item, FIGURE_ITEM);
    assert!(d.message.contains("2147483647×2147483647"), "{}", d.message);
}

#[test]
fn svg_embedding_a_png_bomb_is_refused() {
    let c = Copy::new();
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\"><image width=\"100\" height=\"100\" href=\"data:image/png;base64,{}\"/></svg>",
        base64(&png_header(40_000, 40_000))
    );
    fs::write(c.path("figure.svg"), svg).unwrap();
    c.figure("figure.svg");
    let diags = c.check();
    let d = one(&diags, "PIA-E320");
    assert!(
        d.message.contains(
            "の図のファイル `figure.svg` に埋め込まれた画像が大きすぎます（40000×40000 画素"
        ),
        "{}",
        d.message
    );
    let out = pia(c.root(), &["render", "a", "-o", "out.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("埋め込まれた画像が大きすぎます"));
}

// --------------------------------------------------------------------- figure check (PIA-E320/W321)

/// The 1-based line of the copy's `assessment.toml` that starts with `start`.
fn line_of(c: &Copy, start: &str) -> usize {
    let text = fs::read_to_string(c.dir().join("assessment.toml")).unwrap();
    1 + text
        .lines()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?}"))
}

#[test]
fn figure_absent_is_warning_w321() {
    let c = Copy::new();
    // Without the reference's figure line.
    c.edit(
        "assessment.toml",
        "figure = \"figures/jimu-zentai.svg\"\n",
        "",
    );
    let diags = c.check();
    let d = one(&diags, "PIA-W321");
    assert_eq!(d.message, "別添１に事務の全体図がありません");
    assert_eq!(d.item, FIGURE_ITEM);
    assert!(!d.is_error());
    // Located at the table that should hold it.
    let p = d.position.as_ref().unwrap();
    assert!(p.file.ends_with("assessment.toml"));
    assert_eq!(p.line, line_of(&c, "[basic.attachment1]"));
    assert!(!codes(&diags).contains(&"PIA-E320"));
}

#[test]
fn figure_valid_svg_passes_and_is_an_input() {
    let c = Copy::new();
    fs::create_dir_all(c.path("figures")).unwrap();
    fs::write(
        c.path("figures/jimu.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .unwrap();
    c.figure("figures/jimu.svg");
    let loaded = load::load(&c.dir()).unwrap();
    let real = fs::canonicalize(c.path("figures/jimu.svg")).unwrap();
    assert_eq!(loaded.sources.inputs().last(), Some(&real));
    let info = loaded.sources.figure.as_deref().unwrap().clone().unwrap();
    assert_eq!(info.format, pia::figure::Format::Svg);
    let diags = pia::check::check(&loaded, &Default::default());
    assert!(!codes(&diags).contains(&"PIA-E320"));
    assert!(!codes(&diags).contains(&"PIA-W321"));
}

/// (figure file set-up, written path, expected part of the PIA-E320 message)
fn figure_error(setup: impl FnOnce(&Copy), written: &str, expected: &str) {
    let c = Copy::new();
    setup(&c);
    c.figure(written);
    let diags = c.check();
    let d = one(&diags, "PIA-E320");
    assert!(d.is_error());
    assert_eq!(d.path, "basic.attachment1.figure");
    assert!(
        d.message.starts_with(&format!("「{FIGURE_ITEM}」の")),
        "{}",
        d.message
    );
    assert!(d.message.contains(expected), "{}", d.message);
    assert!(d.help.as_ref().is_some_and(|h| !h.is_empty()));
    let p = d.position.as_ref().unwrap();
    assert_eq!(
        (p.line, p.column),
        (line_of(&c, "figure = "), 10),
        "the value of figure = …"
    );
}

#[test]
fn figure_missing_is_e320() {
    figure_error(
        |_| {},
        "figures/none.png",
        "図のファイル `figures/none.png` が見つかりません",
    );
}

#[test]
fn figure_outside_paths_are_e320() {
    figure_error(
        |_| {},
        "../outside.png",
        "図のファイルのパス「../outside.png」は使えません",
    );
    figure_error(
        |_| {},
        "/etc/passwd",
        "図のファイルのパス「/etc/passwd」は使えません",
    );
    figure_error(
        |c| {
            fs::write(c.root().join("secret.png"), png_header(10, 10)).unwrap();
            symlink(c.root().join("secret.png"), c.path("fig.png")).unwrap();
        },
        "fig.png",
        "図のファイル `fig.png` はシンボリックリンク等で評価書ディレクトリの外を指している",
    );
}

#[test]
fn figure_fifo_is_e320_without_hanging() {
    figure_error(
        |c| mkfifo(&c.path("fig.png")),
        "fig.png",
        "図のファイル `fig.png` は通常のファイルではない（名前付きパイプ（FIFO））",
    );
}

#[test]
fn figure_too_large_is_e320() {
    figure_error(
        |c| {
            let f = fs::File::create(c.path("huge.pdf")).unwrap();
            f.set_len(pia::limits::MAX_FIGURE_BYTES + 1).unwrap();
        },
        "huge.pdf",
        "図のファイル `huge.pdf` が大きすぎるため、読み込みません（上限 32 MiB）",
    );
}

#[test]
fn figure_of_unknown_format_is_e320() {
    figure_error(
        |c| fs::write(c.path("fig.png"), "not an image at all").unwrap(),
        "fig.png",
        "図のファイル `fig.png` の形式は使えません（SVG・PNG・JPEG・PDF のいずれでもありません）",
    );
}

#[test]
fn figure_with_oversized_dimensions_is_e320() {
    figure_error(
        |c| fs::write(c.path("wide.png"), png_header(30_000, 10)).unwrap(),
        "wide.png",
        "図のファイル `wide.png` の画像が大きすぎます（30000×10 画素",
    );
}

#[test]
fn figure_codes_are_registered() {
    assert!(pia::check::registry::describe("PIA-E320").contains("別添１の図"));
    assert_eq!(
        pia::check::registry::describe("PIA-W321"),
        "別添１に事務の全体図がない"
    );
    assert!(
        pia::check::registry::explain("PIA-E320")
            .unwrap()
            .contains("## 直し方")
    );
}

// ----------------------------------------------------------------------------- 3. outputs

#[test]
fn render_output_refuses_input_toml() {
    let c = Copy::new();
    fs::write(
        c.path("fig.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>",
    )
    .unwrap();
    c.figure("fig.svg");
    fs::hard_link(c.path("changes.toml"), c.root().join("hardlink.pdf")).unwrap();
    for target in [
        "a/assessment.toml",
        "a/changes.toml",
        "a/../a/file-kikan.toml",
        "a/fig.svg",
        "hardlink.pdf",
    ] {
        let path = c.root().join(target);
        let before = fs::read(&path).unwrap();
        let out = pia(c.root(), &["render", "a", "-o", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "`{target}` に書き込めません: 評価書の入力ファイル（TOML 又は別添1の図）です"
            )),
            "{target}: {err}"
        );
        assert_eq!(fs::read(&path).unwrap(), before, "{target} unchanged");
    }
}

#[test]
fn render_output_refuses_symlink_and_device() {
    let c = Copy::new();
    let target = c.root().join("target.pdf");
    fs::write(&target, "keep").unwrap();
    symlink(&target, c.root().join("link.pdf")).unwrap();
    let out = pia(c.root(), &["render", "a", "-o", "link.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`link.pdf` に書き込めません: シンボリックリンクです"),
        "{}",
        stderr(&out)
    );
    assert!(
        fs::symlink_metadata(c.root().join("link.pdf"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep");

    let out = pia(c.root(), &["render", "a", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("`/dev/null` に書き込めません: 通常のファイルではありません（デバイス）"),
        "{}",
        stderr(&out)
    );
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(
            fs::symlink_metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    mkfifo(&c.root().join("pipe.pdf"));
    let out = pia(c.root(), &["render", "a", "-o", "pipe.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("名前付きパイプ（FIFO）"),
        "{}",
        stderr(&out)
    );

    let out = pia(c.root(), &["render", "a", "-o", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("通常のファイルではありません（ディレクトリ）"));
}

#[test]
fn render_output_refuses_readonly() {
    let c = Copy::new();
    let ro = c.root().join("published.pdf");
    fs::write(&ro, "published").unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
    let out = pia(c.root(), &["render", "a", "-o", "published.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`published.pdf` に書き込めません: 読み取り専用のファイルです"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&ro).unwrap(), "published");
}

#[test]
fn stale_temp_files_are_removed_by_the_next_write() {
    let tmp = tempfile::tempdir().unwrap();
    let stale = tmp.path().join(".pia-k9Xq2Z.tmp");
    fs::write(&stale, "half a PDF").unwrap();
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - Duration::from_secs(2 * 3600))
        .unwrap();
    pia::write::write_atomic(&tmp.path().join("out.pdf"), b"%PDF-").unwrap();
    assert!(!stale.exists());
    let left: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["out.pdf"]);
}

// ------------------------------------------------------------------------------- --record

const III_OLD: &str = "・機関誌や当組合Ｗｅｂ等で、個人番号の記載が必要な届出書";
const III_NEW: &str = "・機関誌や当組合Ｗｅｂ及びＳＮＳ等で、個人番号の記載が必要な届出書";

#[test]
fn concurrent_record_keeps_all_rows() {
    let c = Copy::new();
    repo(&c);
    c.edit("file-kikan.toml", III_OLD, III_NEW);
    let before = load::load(&c.dir()).unwrap().assessment.changes.len();
    let runs = 8;
    let children: Vec<_> = (1..=runs)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_pia"))
                .current_dir(c.root())
                .args(["diff", "--from", "HEAD", "a", "--record", "--date"])
                .arg(format!("2025-07-{i:02}"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("別添３に 1 行を追加しました"),
            "{}",
            stderr(&out)
        );
    }
    let after = load::load(&c.dir()).unwrap().assessment.changes;
    assert_eq!(after.len(), before + runs);
    for i in 1..=runs {
        let date: pia::model::Date = format!("2025-07-{i:02}").parse().unwrap();
        let rows: Vec<_> = after
            .iter()
            .filter(|r| r.changed_on == Some(date) && r.after.contains("ＳＮＳ"))
            .collect();
        assert_eq!(rows.len(), 1, "row of {date:?}");
    }
    // No lock file or temporary file is left in the directory.
    let names: Vec<String> = fs::read_dir(c.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn record_refuses_symlinked_changes() {
    let c = Copy::new();
    repo(&c);
    // The work tree's changes.toml becomes a symlink to a file inside the directory (it loads:
    // it stays inside), and --record must not replace the link by a copy.
    fs::create_dir(c.path("sub")).unwrap();
    fs::rename(c.path("changes.toml"), c.path("sub/changes.toml")).unwrap();
    symlink("sub/changes.toml", c.path("changes.toml")).unwrap();
    c.edit("file-kikan.toml", III_OLD, III_NEW);
    let target_before = fs::read(c.path("sub/changes.toml")).unwrap();
    let out = pia(
        c.root(),
        &[
            "diff",
            "--from",
            "HEAD",
            "a",
            "--record",
            "--date",
            "2025-07-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`a/changes.toml` はシンボリックリンクのため書き換えません"),
        "{}",
        stderr(&out)
    );
    assert!(
        fs::symlink_metadata(c.path("changes.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(c.path("sub/changes.toml")).unwrap(), target_before);
}

// -------------------------------------------------------------------------------- 5. CRLF

fn to_crlf(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let t = fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
            fs::write(&p, t).unwrap();
        }
    }
}

#[test]
fn crlf_checkout_diffs_as_no_change() {
    let c = Copy::new();
    repo(&c);
    to_crlf(&c.dir());
    assert!(
        fs::read_to_string(c.path("file-kikan.toml"))
            .unwrap()
            .contains("\r\n")
    );
    let out = pia(
        c.root(),
        &[
            "diff",
            "--from",
            "HEAD",
            "a",
            "--format",
            "json",
            "--fail-on-prior",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 0, "{v}");

    // Two directories: LF against CRLF.
    let out = pia(
        c.root(),
        &["diff", REF, "a", "--format", "json", "--fail-on-prior"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 0);

    // The model holds LF only.
    let loaded = load::load(&c.dir()).unwrap();
    let json = serde_json::to_string(&loaded.assessment).unwrap();
    assert!(!json.contains("\\r"));
}

#[test]
fn record_on_crlf_file_is_idempotent_and_keeps_crlf() {
    let c = Copy::new();
    repo(&c);
    c.edit("file-kikan.toml", III_OLD, III_NEW);
    to_crlf(&c.dir());
    let args = [
        "diff",
        "--from",
        "HEAD",
        "a",
        "--record",
        "--date",
        "2025-07-01",
    ];
    let original = fs::read(c.path("changes.toml")).unwrap();
    let out = pia(c.root(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("別添３に 1 行を追加しました"),
        "{}",
        stderr(&out)
    );
    let once = fs::read(c.path("changes.toml")).unwrap();
    assert!(once.starts_with(&original));
    let text = String::from_utf8(once.clone()).unwrap();
    assert!(text.len() > original.len());
    let lone_lf = text
        .match_indices('\n')
        .filter(|(i, _)| *i == 0 || text.as_bytes()[i - 1] != b'\r')
        .count();
    assert_eq!(lone_lf, 0, "every line ends in CRLF");

    let out = pia(c.root(), &args);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("追加する行はありません"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(c.path("changes.toml")).unwrap(), once);
}

// ------------------------------------------------------------------------------ 4. git

#[test]
fn git_symlink_entry_is_refused() {
    let c = Copy::new();
    symlink("/etc/passwd", c.path("evil.toml")).unwrap();
    c.include("evil.toml");
    repo(&c);
    // The work tree's side is refused as outside; the revision's side as a symlink entry.
    let provider = pia::diff::git::load_revision(&c.dir(), "HEAD");
    let Err(pia::diff::git::RevError::Load(e)) = provider else {
        panic!("loads");
    };
    let d = one(&e.diagnostics, "PIA-L007");
    assert_eq!(
        d.message,
        "ファイル `HEAD:a/evil.toml` はシンボリックリンクのため、読み込みません"
    );
    let out = pia(c.root(), &["diff", "--from", "HEAD", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("root:"), "{}", stderr(&out));
}

#[test]
fn git_oversized_blob_is_refused() {
    let c = Copy::new();
    let mut big = String::from("# padding\n");
    while (big.len() as u64) <= pia::limits::MAX_TOML_BYTES {
        big.push_str(&"#".repeat(1023));
        big.push('\n');
    }
    fs::write(c.path("big.toml"), big).unwrap();
    c.include("big.toml");
    repo(&c);
    let Err(pia::diff::git::RevError::Load(e)) = pia::diff::git::load_revision(&c.dir(), "HEAD")
    else {
        panic!("loads");
    };
    assert_eq!(
        one(&e.diagnostics, "PIA-L007").message,
        "ファイル `HEAD:a/big.toml` が大きすぎるため、読み込みません（上限 8 MiB）"
    );
}

// ------------------------------------------------------------------------------- 7. smaller

#[test]
fn wareki_all_eras() {
    let d = |s: &str| s.parse::<pia::model::Date>().unwrap();
    let cases = [
        ("1867-12-31", "1867年12月31日"),
        ("1868-01-24", "1868年1月24日"),
        ("1868-01-25", "明治1年1月25日"),
        ("1912-07-29", "明治45年7月29日"),
        ("1912-07-30", "大正1年7月30日"),
        ("1925-06-01", "大正14年6月1日"),
        ("1926-12-24", "大正15年12月24日"),
        ("1926-12-25", "昭和1年12月25日"),
        ("1989-01-07", "昭和64年1月7日"),
        ("1989-01-08", "平成1年1月8日"),
        ("2019-04-30", "平成31年4月30日"),
        ("2019-05-01", "令和1年5月1日"),
        ("2025-06-01", "令和7年6月1日"),
    ];
    for (date, expected) in cases {
        // One converter behind every caller.
        assert_eq!(pia::wareki::format(d(date)), expected, "{date}");
        assert_eq!(pia::wareki::format(d(date)), expected, "{date}");
        assert_eq!(pia::diff::text::wareki(d(date)), expected, "{date}");
    }
}

#[test]
fn check_prints_taisho_dates_not_negative_showa() {
    let c = Copy::new();
    // D-30: the 再実施 date after the 公表日 … a date before 1926 appears in a message.
    c.edit(
        "assessment.toml",
        "published_on = ",
        "published_on = 1920-04-01\nold_published_on = ",
    );
    let text = fs::read_to_string(c.dir().join("assessment.toml")).unwrap();
    let text = text.replacen("old_published_on = ", "# ", 1);
    fs::write(c.path("assessment.toml"), text).unwrap();
    let loaded = load::load(&c.dir()).expect("loads");
    let diags = pia::check::check(&loaded, &Default::default());
    let all: String = diags.iter().map(|d| format!("{}\n", d.message)).collect();
    assert!(!all.contains("昭和-"), "{all}");
    assert!(all.contains("大正9年4月1日"), "{all}");
}

#[test]
fn count_over_u32_is_a_located_error() {
    let c = Copy::new();
    let text = fs::read_to_string(c.dir().join("assessment.toml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("assessment_number = "))
        .unwrap()
        + 1;
    let old = text.lines().nth(line - 1).unwrap().to_string();
    c.edit("assessment.toml", &old, "assessment_number = 4294967296");
    let d = c.load_err();
    let e = one(&d, "PIA-L003");
    assert_eq!(e.path, "cover.assessment_number");
    assert_eq!(
        e.message,
        "「評価書番号」の値 4294967296 は大きすぎます（書ける値は 0 から 4294967295 までです）"
    );
    let p = e.position.as_ref().unwrap();
    assert_eq!((p.line, p.column), (line, 21));
    assert!(!codes(&d).contains(&"PIA-L009"));

    let c = Copy::new();
    c.edit("assessment.toml", &old, "assessment_number = 4294967295");
    assert_eq!(
        load::load(&c.dir())
            .unwrap()
            .assessment
            .cover
            .assessment_number,
        Some(u32::MAX)
    );

    let c = Copy::new();
    c.edit(
        "assessment.toml",
        &old,
        "assessment_number = 99999999999999999999999",
    );
    let d = c.load_err();
    assert!(one(&d, "PIA-L003").message.contains("大きすぎます"));
}

#[test]
fn shift_jis_file_gets_japanese_error() {
    let c = Copy::new();
    // 「評価書 タイトル」 in Shift_JIS (CP932).
    let mut sjis = b"[cover]\ntitle = \"".to_vec();
    sjis.extend_from_slice(b"\x95]\x89\xbf\x8f\x91 \x83^\x83C\x83g\x83\x8b");
    sjis.extend_from_slice(b"\"\n");
    fs::write(c.path("sjis.toml"), &sjis).unwrap();
    c.include("sjis.toml");
    let d = c.load_err();
    let e = one(&d, "PIA-L008");
    assert!(
        e.message.contains(
            "sjis.toml` の文字コードが UTF-8 ではありません（Shift_JIS で保存されているようです。2 行目から UTF-8 として読めません）"
        ),
        "{}",
        e.message
    );
    let help = e.help.as_deref().unwrap();
    assert!(
        help.contains("UTF-8") && help.contains("iconv -f CP932 -t UTF-8"),
        "{help}"
    );
    let out = pia(c.root(), &["check", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("stream did not contain valid UTF-8"));
    assert!(!stderr(&out).contains("include に書いたパス"));
}

#[test]
fn utf8_bom_is_accepted() {
    let c = Copy::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(c.path("attachments.toml")).unwrap());
    fs::write(c.path("attachments.toml"), bytes).unwrap();
    let loaded = load::load(&c.dir()).expect("a UTF-8 BOM is accepted");
    let reference = load::load(Path::new(REF)).unwrap();
    assert_eq!(
        serde_json::to_value(&loaded.assessment).unwrap(),
        serde_json::to_value(&reference.assessment).unwrap()
    );
}

#[test]
fn long_values_are_elided_in_loader_messages() {
    let c = Copy::new();
    let text = fs::read_to_string(c.path("file-kikan.toml")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("adequacy = \""))
        .unwrap()
        .to_string();
    let long = "長".repeat(1_000_000);
    c.edit("file-kikan.toml", &line, &format!("adequacy = \"{long}\""));
    let d = c.load_err();
    let e = one(&d, "PIA-L004");
    assert!(e.message.chars().count() < 200, "{} chars", e.message.len());
    assert!(
        e.message
            .starts_with(&format!("「{}…」は「", "長".repeat(60))),
        "{}",
        &e.message[..200]
    );
    assert!(e.help.as_deref().unwrap().chars().count() < 1_000);
}

#[cfg(feature = "render")]
#[test]
fn malformed_ttc_is_skipped_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    // 12 bytes: a collection header claiming 2³² − 1 faces.
    let mut bomb = b"ttcf\x00\x01\x00\x00".to_vec();
    bomb.extend_from_slice(&u32::MAX.to_be_bytes());
    fs::write(tmp.path().join("bomb.ttc"), &bomb).unwrap();
    fs::write(tmp.path().join("junk.ttf"), b"not a font").unwrap();
    mkfifo(&tmp.path().join("pipe.otf"));
    let opts = pia::render::FontOptions {
        font_paths: vec![tmp.path().to_path_buf()],
        use_env: false,
        system_fonts: true,
        family: None,
    };
    let start = Instant::now();
    let fonts = match pia::render::fonts::load(&opts) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let elapsed = start.elapsed();
    let warnings = fonts.warnings.join("\n");
    assert!(
        warnings.contains("bomb.ttc` を読み込みません（フォントコレクションの書体数 4294967295 が正しくないか多すぎます。上限 256）"),
        "{warnings}"
    );
    assert!(
        warnings.contains("junk.ttf` を読み込みません（フォントとして読み取れません）"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "pipe.otf` を読み込みません（通常のファイルではありません: 名前付きパイプ（FIFO））"
        ),
        "{warnings}"
    );
    // Before: 170 s for the 12-byte file. Generous bound for a shared machine.
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

#[test]
fn loaded_is_usable_after_guarded_load() {
    // The reference loads as before: 4 TOML files and the 別添1 figure, every input resolved
    // inside its directory.
    let loaded: Loaded = load::load(Path::new(REF)).unwrap();
    let root = fs::canonicalize(REF).unwrap();
    assert_eq!(loaded.sources.inputs().len(), 5);
    assert!(loaded.sources.inputs().iter().all(|p| p.starts_with(&root)));
    assert_eq!(
        loaded.sources.inputs().last(),
        Some(&root.join("figures/jimu-zentai.svg"))
    );
    let figure = loaded.sources.figure.as_deref().unwrap().clone().unwrap();
    assert_eq!(figure.format, pia::figure::Format::Svg);
}

#[test]
fn total_toml_size_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    // Nine includes just under the per-file limit: 9 × 8 MiB > 64 MiB in total.
    let line = format!("#{}\n", "x".repeat(1022));
    let per_file = (pia::limits::MAX_TOML_BYTES as usize / line.len()) - 1;
    let body = line.repeat(per_file);
    let mut main = String::from("include = [");
    for i in 0..9 {
        fs::write(tmp.path().join(format!("p{i}.toml")), &body).unwrap();
        main.push_str(&format!("\"p{i}.toml\","));
    }
    main.push_str("]\n");
    fs::write(tmp.path().join("assessment.toml"), main).unwrap();
    let e = load::load(tmp.path()).unwrap_err().diagnostics;
    let d = one(&e, "PIA-L007");
    assert!(
        d.message
            .contains("評価書のファイルの合計が大きすぎるため、ファイル `")
            && d.message
                .contains("p8.toml` 以降を読み込みません（上限 64 MiB）"),
        "{}",
        d.message
    );
}
