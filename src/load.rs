//! Loading: TOML files → [`Assessment`], with the position of every item.
//!
//! The loader walks the parsed TOML against the form definition, so every type error, unknown
//! key and value outside its 選択肢 is reported in Japanese with the item as the form prints
//! it and its line and column. Several files (`include`) merge into one assessment: tables are
//! merged key by key, arrays of tables are concatenated in include order, and an item defined
//! twice is an error.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;
use std::sync::Arc;

use crate::form::{self, Catalog, ChoiceSet, Form, Kind, Node};
use crate::guard::ReadError;
use crate::limits::{
    MAX_COUNT, MAX_INCLUDES, MAX_TOML_BYTES, MAX_TOTAL_TOML_BYTES, bytes_ja, elide,
};
use crate::model::Assessment;
use crate::path::{join_key, push_key};
pub use crate::provider::{Fetched, FileProvider, FsProvider, fnv1a64, safe_relative};
use crate::source::Sources;

/// The name of the main file of an assessment directory.
pub const MAIN_FILE: &str = "assessment.toml";

/// A loaded assessment: its 様式, the typed values and where each was written.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The 様式 the assessment names (`meta.form_version`); every label, ※ and 選択肢 of the
    /// document comes from it.
    pub form: Arc<Form>,
    /// The form of the 基礎項目評価書 derived from this document (the form's `basic_report`),
    /// when the catalog has it.
    pub basic_form: Option<Arc<Form>>,
    pub assessment: Assessment,
    pub sources: Sources,
    /// The assessment directory (figures and included files are read from inside it).
    pub dir: PathBuf,
}

impl Loaded {
    pub fn file_names(&self) -> Vec<String> {
        self.assessment
            .files
            .iter()
            .map(|f| f.overview.file_name.clone())
            .collect()
    }
}

/// Loading failed: the diagnostics say why (exit code 2).
#[derive(Debug, Clone)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.diagnostics.first() {
            Some(d) if self.diagnostics.len() == 1 => {
                write!(f, "評価書を読み込めません: [{}] {}", d.code, d.message)
            }
            Some(d) => write!(
                f,
                "評価書を読み込めません（{} 件。最初: [{}] {}）",
                self.diagnostics.len(),
                d.code,
                d.message
            ),
            None => f.write_str("評価書を読み込めません"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Splits a user-given path into the assessment directory and the main file name.
pub fn resolve(path: &Path) -> (PathBuf, PathBuf) {
    if path.is_dir() {
        (path.to_path_buf(), PathBuf::from(MAIN_FILE))
    } else {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let file = path
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(MAIN_FILE));
        (dir, file)
    }
}

/// Loads an assessment from a directory (its `assessment.toml`) or a single TOML file, with the
/// forms [`Catalog::discover`] finds for it.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    load_in(path, &Catalog::discover(path, None))
}

/// [`load`] with the forms of `catalog`.
pub fn load_in(path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    let (dir, main) = resolve(path);
    let provider = FsProvider::new(dir.clone());
    let (assessment, sources, form) = load_with_catalog(&provider, &main, catalog)?;
    Ok(Loaded {
        basic_form: catalog.companion(&form),
        form,
        assessment,
        sources,
        dir,
    })
}

/// Loads an assessment through a [`FileProvider`] with the built-in forms.
pub fn load_with(
    provider: &dyn FileProvider,
    main: &Path,
) -> Result<(Assessment, Sources), LoadError> {
    load_with_catalog(provider, main, &Catalog::builtin()).map(|(a, s, _)| (a, s))
}

/// Loads an assessment through a [`FileProvider`], starting at `main` (relative to its
/// directory): the main file names the 様式 (`meta.form_version`, default
/// [`form::DEFAULT_ID`]), which `catalog` provides; every file is walked against it.
pub fn load_with_catalog(
    provider: &dyn FileProvider,
    main: &Path,
    catalog: &Catalog,
) -> Result<(Assessment, Sources, Arc<Form>), LoadError> {
    let mut loader = Loader {
        catalog,
        form: None,
        sources: Sources::default(),
        diags: Vec::new(),
        identities: HashSet::new(),
        blank: HashSet::new(),
        total_bytes: 0,
        fatal: false,
    };
    let mut root = Map::new();
    // Only the main file includes files (an `include` elsewhere is an error and not followed);
    // a path named twice (or naming the main file) is loaded once.
    let includes = loader.load_file(provider, main, &mut root, true);
    if !loader.fatal {
        let mut seen: HashSet<PathBuf> = HashSet::from([main.to_path_buf()]);
        let includes: Vec<PathBuf> = includes
            .into_iter()
            .filter(|rel| seen.insert(rel.clone()))
            .collect();
        loader.load_includes(provider, &includes, &mut root);
    }
    let form = match (&loader.form, loader.diags.is_empty()) {
        (Some(f), true) => f.clone(),
        _ => {
            return Err(LoadError {
                diagnostics: loader.diags,
                sources: loader.sources,
            });
        }
    };
    let mut root = Value::Object(root);
    form.to_ids(&mut root);
    match serde_json::from_value::<Assessment>(root) {
        Ok(a) => {
            let mut sources = loader.sources;
            // The 別添1 figure, read and checked once (bounded, inside the directory): its
            // status for `pia check` (PIA-E320/W321) and a digest, so that `pia diff` sees a
            // changed drawing whose path stayed the same.
            let figure = crate::figure::given(&a)
                .map(|given| crate::figure::load(provider, given).map(|(info, _)| info));
            sources.figure_digest = match &figure {
                Some(Ok(info)) => Some(info.digest),
                Some(Err(p)) => p.digest,
                None => None,
            };
            sources.figure = figure.map(Box::new);
            Ok((a, sources, form))
        }
        Err(e) => {
            let d = Diagnostic::error(
                "PIA-L009",
                "",
                "",
                format!("評価書を読み込めません: {}", elide(&e.to_string())),
            )
            .with_help(
                "この誤りは本来 pia が検出すべきものです。入力の TOML を添えて報告してください。",
            );
            Err(LoadError {
                diagnostics: vec![d],
                sources: loader.sources,
            })
        }
    }
}

struct Loader<'c> {
    catalog: &'c Catalog,
    /// The 様式 named by the main file (chosen when the main file is parsed).
    form: Option<Arc<Form>>,
    sources: Sources,
    diags: Vec<Diagnostic>,
    /// Identities of the files loaded (an include reached twice, e.g. through a symlink, is
    /// loaded once).
    identities: HashSet<PathBuf>,
    /// Items written blank, by path (for PIA-L005 across files).
    blank: HashSet<String>,
    total_bytes: u64,
    /// A file could not be read or parsed: stop loading.
    fatal: bool,
}

impl Loader<'_> {
    /// Reads, parses and walks one file into `root`; returns the files it includes.
    fn load_file(
        &mut self,
        provider: &dyn FileProvider,
        rel: &Path,
        root: &mut Map<String, Value>,
        is_main: bool,
    ) -> Vec<PathBuf> {
        let read = read_ahead(provider, rel);
        let Some(file) = self.admit(provider, rel, &read, is_main) else {
            return Vec::new();
        };
        let Ahead::Read { text: Ok(text), .. } = &read else {
            return Vec::new();
        };
        self.walk_file(file, DeTable::parse(text), root, is_main)
    }

    /// Loads the included files (`rels`, in include order) into `root`. A provider that can be
    /// read from several threads has the files read, decoded and parsed ahead of the walk (read
    /// on the threads available, parsed on a thread of its own while the previous file is
    /// walked); everything observable happens in include order, as [`Loader::load_file`] does
    /// it file after file: which file is read once, the limits, the diagnostics and where
    /// loading stops.
    fn load_includes(
        &mut self,
        provider: &dyn FileProvider,
        rels: &[PathBuf],
        root: &mut Map<String, Value>,
    ) {
        let ahead = match provider.concurrent() {
            Some(p) if rels.len() > 1 => read_all_ahead(p, rels),
            _ => Vec::new(),
        };
        let n = ahead.len();
        if n > 0 {
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel(2);
                let reads = &ahead;
                scope.spawn(move || {
                    for read in reads {
                        let parsed = match read {
                            Ahead::Read { text: Ok(t), .. } => Some(DeTable::parse(t)),
                            _ => None,
                        };
                        if tx.send(parsed).is_err() {
                            break; // loading stopped
                        }
                    }
                });
                for (rel, read) in rels.iter().zip(&ahead) {
                    let parsed = rx.recv().ok().flatten();
                    let Some(file) = self.admit(provider, rel, read, false) else {
                        if self.fatal {
                            break;
                        }
                        continue;
                    };
                    if let Some(parsed) = parsed {
                        self.walk_file(file, parsed, root, false);
                    }
                    if self.fatal {
                        break;
                    }
                }
            });
        }
        if self.fatal {
            return;
        }
        for rel in &rels[n..] {
            self.load_file(provider, rel, root, false);
            // A syntax error or unreadable file stops here: later files could only add noise.
            if self.fatal {
                return;
            }
        }
    }

    /// Checks a file read (once per identity, within the limits, UTF-8) and adds it to the
    /// sources: its index, or `None` when it is not walked (read already under another name,
    /// or a fatal error, reported).
    fn admit(
        &mut self,
        provider: &dyn FileProvider,
        rel: &Path,
        read: &Ahead,
        is_main: bool,
    ) -> Option<usize> {
        let shown = provider.display_path(rel);
        let what = format!("ファイル `{}` ", shown.display());
        let (identity, len, text) = match read {
            Ahead::Failed(e) => {
                let help = match e {
                    ReadError::NotFound if is_main => format!(
                        "評価書のディレクトリ（{MAIN_FILE} を含む）又は TOML ファイルを指定してください。"
                    ),
                    ReadError::NotFound => {
                        "include に書いたパスを確認してください（評価書ディレクトリからの相対パス）。"
                            .to_string()
                    }
                    other => other.help().to_string(),
                };
                self.diags
                    .push(Diagnostic::error("PIA-L007", "", "", e.message(&what)).with_help(help));
                self.fatal = true;
                return None;
            }
            Ahead::Read {
                identity,
                len,
                text,
            } => (identity, *len, text),
        };
        if !self.identities.insert(identity.clone()) {
            return None; // the same file under another name: loaded once
        }
        self.total_bytes += len;
        if self.total_bytes > MAX_TOTAL_TOML_BYTES {
            self.diags.push(
                Diagnostic::error(
                    "PIA-L007",
                    "",
                    "",
                    format!(
                        "評価書のファイルの合計が大きすぎるため、{what}以降を読み込みません（上限 {}）",
                        bytes_ja(MAX_TOTAL_TOML_BYTES)
                    ),
                )
                .with_help("上限は docs/limits.md を参照してください。"),
            );
            self.fatal = true;
            return None;
        }
        let text = match text {
            Ok(t) => t,
            Err(why) => {
                self.diags.push(
                    Diagnostic::error("PIA-L008", "", "", format!("{what}{why}"))
                        .with_help(UTF8_HELP),
                );
                self.fatal = true;
                return None;
            }
        };
        // The sources keep their own copy: the parsed table borrows the text read.
        Some(
            self.sources
                .add_fetched(shown, text.clone(), identity.clone()),
        )
    }

    /// Walks a parsed file (source `file`) into `root`; returns the files it includes.
    fn walk_file(
        &mut self,
        file: usize,
        parsed: Result<Spanned<DeTable<'_>>, toml::de::Error>,
        root: &mut Map<String, Value>,
        is_main: bool,
    ) -> Vec<PathBuf> {
        let table = match parsed {
            Ok(t) => t,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let detail = e.message().trim().replace('\n', " / ");
                self.diags.push(
                    Diagnostic::error("PIA-L001", "", "", format!("TOML の構文エラーです（{detail}）"))
                        .with_help("TOML の書き方を確認してください。文字列は \"…\" で囲み、複数行の文章は \"\"\"…\"\"\" で囲みます。同じキーを二度書くこともできません。")
                        .at(Some(self.sources.position(file, span))),
                );
                self.fatal = true;
                return Vec::new();
            }
        };
        if is_main {
            match self.choose_form(file, table.get_ref()) {
                Some(f) => self.form = Some(f),
                None => {
                    self.fatal = true;
                    return Vec::new();
                }
            }
        }
        let Some(form) = self.form.clone() else {
            return Vec::new();
        };
        let mut includes = Vec::new();
        if let Some(inc) = table.get_ref().get("include") {
            includes = self.includes(file, inc, is_main);
        }
        let mut walker = Walker {
            form: &form,
            file,
            sources: &mut self.sources,
            diags: &mut self.diags,
            blank: &mut self.blank,
        };
        walker.table(table.get_ref(), "", "", root);
        includes
    }

    /// The 様式 named by `meta.form_version` of the main file (the default 様式 when it names
    /// none); PIA-L010 when the catalog has no such form or the form folder is wrong.
    fn choose_form(&mut self, file: usize, table: &DeTable) -> Option<Arc<Form>> {
        let version = table
            .get("meta")
            .and_then(|m| m.get_ref().as_table())
            .and_then(|m| m.get("form_version"));
        let Some(version) = version else {
            return Some(self.catalog.default_form());
        };
        let Some(id) = version.get_ref().as_str().map(str::trim) else {
            self.diags.push(
                Diagnostic::error(
                    "PIA-L003",
                    "meta.form_version",
                    "様式の版",
                    "meta.form_version には様式の名前を文字列で書いてください",
                )
                .with_help(format!("例: form_version = \"{}\"", form::DEFAULT_ID))
                .at(Some(self.sources.position(file, version.span()))),
            );
            return None;
        };
        if id.is_empty() {
            return Some(self.catalog.default_form());
        }
        match self.catalog.find(id) {
            Ok(f) => Some(f),
            Err(e) => {
                self.diags.push(
                    Diagnostic::error("PIA-L010", "meta.form_version", "様式の版", e.to_string())
                        .with_help(e.help())
                        .at(Some(self.sources.position(file, version.span()))),
                );
                None
            }
        }
    }

    fn includes(&mut self, file: usize, value: &Spanned<DeValue>, is_main: bool) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let bad_type = |this: &mut Self, span| {
            this.diags.push(
                Diagnostic::error(
                    "PIA-L003",
                    "include",
                    "include",
                    "include には読み込むファイルのパスを文字列の配列で書いてください",
                )
                .with_help("例: include = [\"file-kikan.toml\", \"changes.toml\"]")
                .at(Some(this.sources.position(file, span))),
            );
        };
        let Some(items) = value.get_ref().as_array() else {
            bad_type(self, value.span());
            return out;
        };
        if !is_main {
            self.diags.push(
                Diagnostic::error(
                    "PIA-L006",
                    "include",
                    "include",
                    "include は評価書のメインファイル（assessment.toml）にだけ書けます",
                )
                .at(Some(self.sources.position(file, value.span()))),
            );
            return out;
        }
        if items.len() > MAX_INCLUDES {
            self.diags.push(
                Diagnostic::error(
                    "PIA-L006",
                    "include",
                    "include",
                    format!(
                        "include のファイルが多すぎます（{} 件。上限 {MAX_INCLUDES} 件）",
                        items.len()
                    ),
                )
                .with_help("ファイルをまとめてください（上限は docs/limits.md を参照）。")
                .at(Some(self.sources.position(file, value.span()))),
            );
            return out;
        }
        for item in items.iter() {
            let Some(s) = item.get_ref().as_str() else {
                bad_type(self, item.span());
                continue;
            };
            match safe_relative(s) {
                Some(p) => out.push(p),
                None => self.diags.push(
                    Diagnostic::error("PIA-L006", "include", "include", format!("`{}` は評価書ディレクトリの外を指しています", elide(s)))
                        .with_help("include には評価書ディレクトリの中のファイルを相対パスで書いてください（絶対パスや `..` は使えません）。")
                        .at(Some(self.sources.position(file, item.span()))),
                ),
            }
        }
        out
    }
}

/// A file as read (and decoded) for the loader, before the loader's checks in include order.
enum Ahead {
    Failed(ReadError),
    Read {
        identity: PathBuf,
        len: u64,
        /// The UTF-8 text, or why it is not (see [`decode_utf8`]).
        text: Result<String, String>,
    },
}

fn read_ahead(provider: &dyn FileProvider, rel: &Path) -> Ahead {
    match provider.fetch(rel, MAX_TOML_BYTES) {
        Err(e) => Ahead::Failed(e),
        Ok(f) => Ahead::Read {
            identity: f.identity,
            len: f.bytes.len() as u64,
            text: decode_utf8(f.bytes),
        },
    }
}

/// Reads the first files of `rels` on the threads available, in order, while what is held stays
/// within [`MAX_TOTAL_TOML_BYTES`] (more could only be refused): the files read before the first
/// one left unread. The loader reads the rest one after the other.
fn read_all_ahead(provider: &(dyn FileProvider + Sync), rels: &[PathBuf]) -> Vec<Ahead> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    let held = AtomicU64::new(0);
    let reads: Vec<Option<Ahead>> = rels
        .par_iter()
        .map(|rel| {
            if held.load(Ordering::Relaxed) > MAX_TOTAL_TOML_BYTES {
                return None;
            }
            let read = read_ahead(provider, rel);
            if let Ahead::Read { len, .. } = &read {
                held.fetch_add(*len, Ordering::Relaxed);
            }
            Some(read)
        })
        .collect();
    reads.into_iter().map_while(|r| r).collect()
}

const UTF8_HELP: &str = "pia は文字コードが UTF-8 の TOML だけを読み込みます。テキストエディタで文字コードに「UTF-8」を選んで保存し直してください（例: メモ帳の「名前を付けて保存」で文字コード「UTF-8」を選ぶ。コマンドでは `iconv -f CP932 -t UTF-8 元のファイル > 新しいファイル`）。";

/// The text of a TOML file: UTF-8 (a leading byte-order mark is dropped), or why not, in
/// Japanese (naming the likely encoding: Windows editors often save Shift_JIS).
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let line = bytes[..bad].iter().filter(|b| **b == b'\n').count() + 1;
            // Text before the first bad byte that is already non-ASCII UTF-8 means a damaged
            // UTF-8 file, not another encoding.
            let utf8_before = bytes[..bad].iter().any(|b| !b.is_ascii());
            let guess = if utf8_before {
                None
            } else {
                guess_encoding(bytes)
            };
            Err(match guess {
                Some(enc) => format!(
                    "の文字コードが UTF-8 ではありません（{enc} で保存されているようです。{line} 行目から UTF-8 として読めません）"
                ),
                None => format!(
                    "に UTF-8 として正しくないバイトがあります（{line} 行目）。文字コードが UTF-8 ではないか、ファイルが壊れています"
                ),
            })
        }
    }
}

/// A plausible name for the encoding of non-UTF-8 bytes.
fn guess_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16");
    }
    if is_shift_jis(bytes) {
        return Some("Shift_JIS");
    }
    if is_euc_jp(bytes) {
        return Some("EUC-JP");
    }
    None
}

/// Whether the bytes are well-formed Shift_JIS (CP932) with at least one double-byte character.
fn is_shift_jis(bytes: &[u8]) -> bool {
    let (mut i, mut double) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F | 0xA1..=0xDF => i += 1,
            0x81..=0x9F | 0xE0..=0xFC => match bytes.get(i + 1) {
                Some(0x40..=0x7E | 0x80..=0xFC) => {
                    i += 2;
                    double += 1;
                }
                _ => return false,
            },
            _ => return false,
        }
    }
    double > 0
}

/// Whether the bytes are well-formed EUC-JP with at least one multi-byte character.
fn is_euc_jp(bytes: &[u8]) -> bool {
    let (mut i, mut multi) = (0, 0);
    let hi = |b: Option<&u8>| matches!(b, Some(0xA1..=0xFE));
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            0x8E if matches!(bytes.get(i + 1), Some(0xA1..=0xDF)) => {
                i += 2;
                multi += 1;
            }
            0x8F if hi(bytes.get(i + 1)) && hi(bytes.get(i + 2)) => {
                i += 3;
                multi += 1;
            }
            0xA1..=0xFE if hi(bytes.get(i + 1)) => {
                i += 2;
                multi += 1;
            }
            _ => return false,
        }
    }
    multi > 0
}

/// A TOML string as the model holds it: CRLF line ends become LF (a Windows checkout with
/// `core.autocrlf` must not change any value; TOML lets parsers normalise newlines).
fn normalise(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n")
    } else {
        s.to_string()
    }
}

struct Walker<'a> {
    form: &'a Form,
    file: usize,
    sources: &'a mut Sources,
    diags: &'a mut Vec<Diagnostic>,
    /// Items written that hold no value in the document (see [`Walker::value`]).
    blank: &'a mut HashSet<String>,
}

/// The type of a TOML value, in Japanese.
fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "文字列",
        DeValue::Integer(_) => "整数",
        DeValue::Float(_) => "小数",
        DeValue::Boolean(_) => "真偽値",
        DeValue::Datetime(_) => "日時",
        DeValue::Array(_) => "配列",
        DeValue::Table(_) => "表",
    }
}

fn item_name(form: &Form, path: &str) -> String {
    form.printed_path(path, &[])
}

impl Walker<'_> {
    fn pos(&self, span: std::ops::Range<usize>) -> Option<crate::source::Position> {
        Some(self.sources.position(self.file, span))
    }

    /// Walks a table whose node pattern is `pattern` ("" = the document root).
    fn table(&mut self, table: &DeTable, pattern: &str, path: &str, out: &mut Map<String, Value>) {
        let form = self.form;
        // One buffer for the children's patterns (this runs for every key of every row).
        let mut child_pattern = String::with_capacity(pattern.len() + 32);
        // … and for their paths.
        let mut child_path = String::with_capacity(path.len() + 32);
        for (key, value) in table.iter() {
            let k = key.get_ref().as_ref();
            child_path.clear();
            child_path.push_str(path);
            push_key(&mut child_path, k);
            let child_path = child_path.as_str();
            child_pattern.clear();
            child_pattern.push_str(pattern);
            push_key(&mut child_pattern, k);
            if pattern.is_empty() {
                self.sources.note_top_key(self.file, child_path);
            }
            if pattern.is_empty() && k == "include" {
                let list: Vec<Value> = value
                    .get_ref()
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| {
                                v.get_ref().as_str().map(|s| Value::String(s.to_string()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.entry("include")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(Value::Array(acc)) = out.get_mut("include") {
                    acc.extend(list);
                }
                continue;
            }
            let bare = child_pattern.len();
            child_pattern.push_str("[]");
            if let Some(node) = form.node_of_pattern(&child_pattern) {
                self.array_of_tables(node, value, &child_pattern, child_path, k, out);
                continue;
            }
            child_pattern.truncate(bare);
            let Some(node) = form.node_of_pattern(&child_pattern) else {
                self.unknown_key(pattern, path, k, key.span());
                continue;
            };
            if node.computed {
                let item = item_name(self.form, child_path);
                self.diags.push(
                    Diagnostic::error(
                        "PIA-L011",
                        child_path,
                        item.clone(),
                        format!("「{item}」は pia が計算して印刷する項目のため、評価書には書けません"),
                    )
                    .with_help("この行を削除してください。値は他の項目（しきい値判断項目 等）から求めます。")
                    .at(self.pos(key.span())),
                );
                continue;
            }
            self.value(node, key, value, &child_pattern, child_path, k, out);
        }
    }

    fn unknown_key(&mut self, pattern: &str, path: &str, key: &str, span: std::ops::Range<usize>) {
        let mut candidates: Vec<String> = self
            .form
            .children(pattern)
            .map(|n| {
                n.p.rsplit('.')
                    .next()
                    .unwrap_or(&n.p)
                    .trim_end_matches("[]")
                    .to_string()
            })
            .collect();
        if pattern.is_empty() {
            candidates.push("include".to_string());
        }
        candidates.dedup();
        let place = if path.is_empty() {
            "評価書の最上位".to_string()
        } else {
            format!("「{}」", item_name(self.form, path))
        };
        let help = match suggest(key, candidates.iter().map(String::as_str)) {
            Some(s) => format!("`{s}` の誤りではありませんか？"),
            None => format!("使えるキー: {}", candidates.join(", ")),
        };
        self.diags.push(
            Diagnostic::error(
                "PIA-L002",
                join_key(path, &elide(key)),
                item_name(self.form, path),
                format!("{place} に不明なキー `{}` があります", elide(key)),
            )
            .with_help(help)
            .at(self.pos(span)),
        );
    }

    fn type_error(
        &mut self,
        node: &Node,
        path: &str,
        value: &Spanned<DeValue>,
        extra: Option<String>,
    ) {
        let item = item_name(self.form, path);
        let mut d = Diagnostic::error(
            "PIA-L003",
            path,
            item.clone(),
            format!(
                "「{item}」には{}を書いてください（{}が書かれています）",
                node.k.expected(),
                type_name(value.get_ref())
            ),
        );
        if let Some(h) = extra {
            d = d.with_help(h);
        } else if let Some(n) = &node.n {
            d = d.with_help(n.clone());
        }
        self.diags.push(d.at(self.pos(value.span())));
    }

    /// Whether an item may be read: `false` (and PIA-L005) when another file wrote it first
    /// (`written`: it is in the merged table, or was written blank); the second definition is
    /// not read.
    fn first_definition(
        &mut self,
        path: &str,
        key_span: std::ops::Range<usize>,
        written: bool,
    ) -> bool {
        if !written {
            return true;
        }
        let item = item_name(self.form, path);
        let mut d = Diagnostic::error(
            "PIA-L005",
            path,
            item.clone(),
            format!("「{item}」が複数のファイルで定義されています"),
        )
        .at(self.pos(key_span));
        match self.sources.locate_key(path) {
            Some(first_pos) => {
                d = d
                    .with_help(format!(
                        "一方を削除してください（先の定義: {}:{}:{}）",
                        first_pos.file.display(),
                        first_pos.line,
                        first_pos.column
                    ))
                    .with_related(first_pos, "先の定義");
            }
            None => d = d.with_help("一方を削除してください。"),
        }
        self.diags.push(d);
        false
    }

    fn array_of_tables(
        &mut self,
        node: &Node,
        value: &Spanned<DeValue>,
        pattern: &str,
        path: &str,
        k: &str,
        out: &mut Map<String, Value>,
    ) {
        let Some(items) = value.get_ref().as_array() else {
            self.type_error(
                node,
                path,
                value,
                Some(format!("[[{path}]] の形で表を並べて書いてください。")),
            );
            return;
        };
        out.entry(k).or_insert_with(|| Value::Array(Vec::new()));
        let start = match out.get(k) {
            Some(Value::Array(a)) => a.len(),
            _ => {
                self.type_error(node, path, value, None);
                return;
            }
        };
        self.sources.note_run(path, self.file, start, items.len());
        let mut converted = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let elem_path = format!("{path}[{}]", start + i);
            let Some(t) = item.get_ref().as_table() else {
                self.type_error(
                    node,
                    &elem_path,
                    item,
                    Some(format!("[[{path}]] の形で表を書いてください。")),
                );
                continue;
            };
            let mut m = Map::with_capacity(t.len());
            self.table(t, pattern, &elem_path, &mut m);
            converted.push(Value::Object(m));
        }
        if let Some(Value::Array(acc)) = out.get_mut(k) {
            acc.extend(converted);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        node: &Node,
        key: &Spanned<std::borrow::Cow<str>>,
        value: &Spanned<DeValue>,
        pattern: &str,
        path: &str,
        k: &str,
        out: &mut Map<String, Value>,
    ) {
        let v = value.get_ref();
        match node.k {
            Kind::Section | Kind::Group | Kind::Block => {
                let Some(t) = v.as_table() else {
                    self.type_error(node, path, value, None);
                    return;
                };
                let entry = out.entry(k).or_insert_with(|| Value::Object(Map::new()));
                let Value::Object(m) = entry else { return };
                let mut m = std::mem::take(m);
                self.table(t, pattern, path, &mut m);
                out.insert(k.to_string(), Value::Object(m));
                return;
            }
            _ => {}
        }
        let written = out.contains_key(k) || self.blank.contains(path);
        if !self.first_definition(path, key.span(), written) {
            return;
        }
        let converted = match node.k {
            Kind::Text | Kind::Line | Kind::Figure => match v {
                DeValue::String(s) => Some(Value::String(normalise(s))),
                _ => {
                    self.type_error(
                        node,
                        path,
                        value,
                        Some("文章は \"…\" 又は複数行の \"\"\"…\"\"\" で囲んで書きます。".into()),
                    );
                    None
                }
            },
            Kind::Choice => self.choice(node, path, value),
            Kind::Checks => self.checks(node, path, value),
            Kind::Check => match v {
                DeValue::Boolean(b) => Some(Value::Bool(*b)),
                _ => {
                    self.type_error(
                        node,
                        path,
                        value,
                        Some("チェックする場合は true、しない場合は false と書きます。".into()),
                    );
                    None
                }
            },
            Kind::Date => self.date(node, path, value),
            Kind::Period => self.period(node, path, value),
            Kind::Count => match v {
                DeValue::Integer(i) => self.count(node, path, value, i, MAX_COUNT),
                DeValue::String(s) if s.trim().is_empty() => None,
                _ => {
                    self.type_error(
                        node,
                        path,
                        value,
                        Some("件数や番号は引用符を付けずに整数で書きます（例: 4）。".into()),
                    );
                    None
                }
            },
            Kind::List => self.string_list(node, path, value),
            Kind::Rows => match v.as_array() {
                Some(rows) => {
                    let mut out_rows = Vec::new();
                    for (i, row) in rows.iter().enumerate() {
                        let row_path = format!("{path}[{i}]");
                        match self.string_list(node, &row_path, row) {
                            Some(r) => out_rows.push(r),
                            None => return,
                        }
                    }
                    Some(Value::Array(out_rows))
                }
                None => {
                    self.type_error(node, path, value, None);
                    None
                }
            },
            Kind::Section | Kind::Group | Kind::Block => unreachable!("handled above"),
        };
        match converted {
            Some(c) => {
                out.insert(k.to_string(), c);
            }
            // Written but holding nothing (a blank 件数 …): a second definition is still one.
            None => {
                self.blank.insert(path.to_string());
            }
        }
    }

    /// A 件数/番号: an integer from 0 to `max` (the largest value of the model's type), else a
    /// located PIA-L003 that states the range.
    fn count(
        &mut self,
        node: &Node,
        path: &str,
        value: &Spanned<DeValue>,
        i: &toml::de::DeInteger,
        max: u64,
    ) -> Option<Value> {
        match i128::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if (0..=i128::from(max)).contains(&n) => Some(Value::from(n as u64)),
            Ok(n) if n < 0 => {
                self.type_error(
                    node,
                    path,
                    value,
                    Some("件数や番号は 0 以上の整数で書きます。".into()),
                );
                None
            }
            _ => {
                let item = item_name(self.form, path);
                let written = elide(i.as_str());
                self.diags.push(
                    Diagnostic::error(
                        "PIA-L003",
                        path,
                        item.clone(),
                        format!(
                            "「{item}」の値 {written} は大きすぎます（書ける値は 0 から {max} までです）"
                        ),
                    )
                    .with_help("件数や番号の桁を確認してください。")
                    .at(self.pos(value.span())),
                );
                None
            }
        }
    }

    fn string_list(&mut self, node: &Node, path: &str, value: &Spanned<DeValue>) -> Option<Value> {
        let Some(items) = value.get_ref().as_array() else {
            self.type_error(
                node,
                path,
                value,
                Some("[\"…\", \"…\"] の形で書きます。".into()),
            );
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Value::String(normalise(s))),
                _ => {
                    let elem = format!("{path}[{i}]");
                    let item_label = item_name(self.form, path);
                    self.diags.push(
                        Diagnostic::error("PIA-L003", elem, item_label.clone(), format!("「{item_label}」の要素には文字列を書いてください（{}が書かれています）", type_name(item.get_ref())))
                            .at(self.pos(item.span())),
                    );
                    return None;
                }
            }
        }
        Some(Value::Array(out))
    }

    fn choice(&mut self, node: &Node, path: &str, value: &Spanned<DeValue>) -> Option<Value> {
        let set = self.form.options_of(node)?;
        let DeValue::String(s) = value.get_ref() else {
            self.type_error(
                node,
                path,
                value,
                Some(format!(
                    "選択肢: {}",
                    set.numbered(self.form.numbering(path))
                )),
            );
            return None;
        };
        if s.trim().is_empty() {
            return None; // unanswered: reported by `pia check`
        }
        if set.by_text(s).is_some() {
            return Some(Value::String(normalise(s)));
        }
        self.bad_option(node, path, s, set, value.span());
        None
    }

    fn bad_option(
        &mut self,
        _node: &Node,
        path: &str,
        given: &str,
        set: &ChoiceSet,
        span: std::ops::Range<usize>,
    ) {
        let item = item_name(self.form, path);
        let numbering = self.form.numbering(path);
        // 「2） 十分である」: the user copied the number too.
        let stripped = strip_number(given);
        let shown = elide(given);
        let help = if set.by_text(stripped).is_some() {
            format!("番号を付けずに選択肢の文言だけを書きます: \"{stripped}\"")
        } else if let Some(s) = suggest(given, set.options.iter().map(|o| o.text.as_str())) {
            format!(
                "\"{s}\" の誤りではありませんか？ 選択肢: {}",
                set.numbered(numbering)
            )
        } else {
            format!("選択肢: {}", set.numbered(numbering))
        };
        self.diags.push(
            Diagnostic::error(
                "PIA-L004",
                path,
                item.clone(),
                format!("「{shown}」は「{item}」の選択肢にありません"),
            )
            .with_help(help)
            .at(self.pos(span)),
        );
    }

    fn checks(&mut self, node: &Node, path: &str, value: &Spanned<DeValue>) -> Option<Value> {
        let set = self.form.options_of(node)?;
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(
                node,
                path,
                value,
                Some(format!(
                    "チェックした選択肢の文言をキーにして書きます（例: {{ \"{}\" = true }}）。",
                    set.options[0].text
                )),
            );
            return None;
        };
        let mut out = Map::new();
        for (key, v) in table.iter() {
            let text = key.get_ref().as_ref();
            let Some(opt) = set.by_text(text) else {
                let opt_path = join_key(path, &elide(text));
                self.bad_option(node, &opt_path, text, set, key.span());
                continue;
            };
            let opt_path = join_key(path, text);
            let item = item_name(self.form, &opt_path);
            let converted = match v.get_ref() {
                DeValue::Boolean(b) if !opt.count => Some(Value::Bool(*b)),
                DeValue::String(s) if opt.free => Some(Value::String(normalise(s))),
                DeValue::Integer(i) if opt.count => {
                    self.count(node, &opt_path, v, i, i64::MAX as u64)
                }
                other => {
                    let expected = if opt.count {
                        "件数（0 以上の整数）"
                    } else if opt.free {
                        "（　）に入る文字列（又は true）"
                    } else {
                        "true（チェックする）又は false"
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "PIA-L003",
                            opt_path.clone(),
                            item.clone(),
                            format!(
                                "「{item}」には{expected}を書いてください（{}が書かれています）",
                                type_name(other)
                            ),
                        )
                        .with_help(if opt.free {
                            format!("例: \"{text}\" = \"…\"")
                        } else if opt.count {
                            format!("例: \"{text}\" = 3")
                        } else {
                            format!("例: \"{text}\" = true")
                        })
                        .at(self.pos(v.span())),
                    );
                    None
                }
            };
            if let Some(c) = converted {
                out.insert(text.to_string(), c);
            }
        }
        Some(Value::Object(out))
    }

    fn date(&mut self, node: &Node, path: &str, value: &Spanned<DeValue>) -> Option<Value> {
        match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                let d = dt.date?;
                Some(Value::String(format!(
                    "{:04}-{:02}-{:02}",
                    d.year, d.month, d.day
                )))
            }
            DeValue::String(s) if s.trim().is_empty() => None,
            // A quoted date is a date too (editors' schemas cannot tell a TOML date from a
            // string, so pia and the JSON Schema accept the same spellings).
            DeValue::String(s) if s.trim().parse::<crate::model::Date>().is_ok() => {
                Some(Value::String(s.trim().to_string()))
            }
            DeValue::String(_) => {
                self.type_error(
                    node,
                    path,
                    value,
                    Some("日付は西暦で YYYY-MM-DD と書きます（例: 2025-06-01。引用符は付けても付けなくてもかまいません）。和暦への変換は pia が行います。".to_string()),
                );
                None
            }
            _ => {
                self.type_error(
                    node,
                    path,
                    value,
                    Some("日付は西暦で YYYY-MM-DD と書きます（時刻は付けません）。".into()),
                );
                None
            }
        }
    }

    fn period(&mut self, node: &Node, path: &str, value: &Spanned<DeValue>) -> Option<Value> {
        let Some(t) = value.get_ref().as_table() else {
            self.type_error(
                node,
                path,
                value,
                Some("例: period = { start = 2023-12-15, end = 2024-01-14 }".into()),
            );
            return None;
        };
        let mut out = Map::new();
        for (key, v) in t.iter() {
            let k = key.get_ref().as_ref();
            let p = join_key(path, k);
            if k != "start" && k != "end" {
                let help = match suggest(k, ["start", "end"].into_iter()) {
                    Some(s) => format!("`{s}` の誤りではありませんか？"),
                    None => "使えるキー: start, end".to_string(),
                };
                let item = item_name(self.form, path);
                self.diags.push(
                    Diagnostic::error(
                        "PIA-L002",
                        join_key(path, &elide(k)),
                        item.clone(),
                        format!("「{item}」に不明なキー `{}` があります", elide(k)),
                    )
                    .with_help(help)
                    .at(self.pos(key.span())),
                );
                continue;
            }
            if let Some(d) = self.date(node, &p, v) {
                out.insert(k.to_string(), d);
            }
        }
        Some(Value::Object(out))
    }
}

fn strip_number(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    let t = t.trim_start_matches([')', '）', '.', '．', ' ', '　']);
    if t.len() == s.len() { s } else { t }
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn suggest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distance is quadratic: a value far longer than any key or 選択肢 is no typo of one.
    if given.len() > 4 * crate::limits::MAX_QUOTED_CHARS * 3 {
        return None;
    }
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(given, c);
        let contains = !given.is_empty() && (c.contains(given) || given.contains(c));
        let score = if contains { score.max(0.7) } else { score };
        if score >= 0.6 && best.is_none_or(|(_, b)| score > b) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}
