//! Loading: TOML files → [`Assessment`], with the position of every item.
//!
//! The loader walks the parsed TOML against the form definition, so every type error, unknown
//! key and value outside its 選択肢 is reported in Japanese with the item as the form prints
//! it and its line and column. Several files (`include`) merge into one assessment: tables are
//! merged key by key, arrays of tables are concatenated in include order, and an item defined
//! twice is an error.

use std::io;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;
use crate::form::{self, ChoiceSet, Form, Kind, Node, join_key};
use crate::model::Assessment;
use crate::source::{Loc, Sources};

/// The name of the main file of an assessment directory.
pub const MAIN_FILE: &str = "assessment.toml";

/// A loaded assessment.
#[derive(Debug, Clone)]
pub struct Loaded {
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

/// Where the loader reads files from: the file system, or a git revision.
pub trait FileProvider {
    /// Reads a file given relative to the assessment directory.
    fn read(&self, rel: &Path) -> io::Result<String>;
    /// Reads a binary file (the 別添1 figure) given relative to the assessment directory.
    fn read_bytes(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.read(rel).map(String::into_bytes)
    }
    /// How to show the file in messages.
    fn display_path(&self, rel: &Path) -> PathBuf;
}

/// Reads from a directory on disk.
pub struct FsProvider {
    pub dir: PathBuf,
}

impl FileProvider for FsProvider {
    fn read(&self, rel: &Path) -> io::Result<String> {
        std::fs::read_to_string(self.dir.join(rel))
    }
    fn read_bytes(&self, rel: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.dir.join(rel))
    }
    fn display_path(&self, rel: &Path) -> PathBuf {
        if self.dir.as_os_str().is_empty() || self.dir == Path::new(".") {
            rel.to_path_buf()
        } else {
            self.dir.join(rel)
        }
    }
}

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

/// Loads an assessment from a directory (its `assessment.toml`) or a single TOML file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let (dir, main) = resolve(path);
    let provider = FsProvider { dir: dir.clone() };
    let (assessment, sources) = load_with(&provider, &main)?;
    Ok(Loaded {
        assessment,
        sources,
        dir,
    })
}

/// Loads an assessment through a [`FileProvider`], starting at `main` (relative to its directory).
pub fn load_with(
    provider: &dyn FileProvider,
    main: &Path,
) -> Result<(Assessment, Sources), LoadError> {
    let mut loader = Loader {
        form: form::current(),
        sources: Sources::default(),
        diags: Vec::new(),
    };
    let mut root = Map::new();
    let mut queue: Vec<PathBuf> = vec![main.to_path_buf()];
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < queue.len() {
        let rel = queue[i].clone();
        i += 1;
        if seen.contains(&rel) {
            continue;
        }
        seen.push(rel.clone());
        let includes = loader.load_file(provider, &rel, &mut root, i == 1);
        queue.extend(includes);
        // A syntax error in one file stops here: later files could only add noise.
        if loader
            .diags
            .iter()
            .any(|d| d.code == "PIA-L001" || d.code == "PIA-L007")
        {
            break;
        }
    }
    if !loader.diags.is_empty() {
        return Err(LoadError {
            diagnostics: loader.diags,
            sources: loader.sources,
        });
    }
    match serde_json::from_value::<Assessment>(Value::Object(root)) {
        Ok(a) => {
            let mut sources = loader.sources;
            // A digest of the 別添1 figure, so that `pia diff` sees a changed drawing whose
            // path stayed the same. Unreadable figures are reported by `pia render`.
            sources.figure_digest = safe_relative(&a.basic.attachment1.figure)
                .and_then(|rel| provider.read_bytes(&rel).ok())
                .map(|bytes| fnv1a64(&bytes));
            Ok((a, sources))
        }
        Err(e) => {
            let d = Diagnostic::error("PIA-L009", "", "", format!("評価書を読み込めません: {e}"))
                .with_help("この誤りは本来 pia が検出すべきものです。入力の TOML を添えて報告してください。");
            Err(LoadError {
                diagnostics: vec![d],
                sources: loader.sources,
            })
        }
    }
}

struct Loader<'f> {
    form: &'f Form,
    sources: Sources,
    diags: Vec<Diagnostic>,
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
        let shown = provider.display_path(rel);
        let text = match provider.read(rel) {
            Ok(t) => t,
            Err(e) => {
                let what = if e.kind() == io::ErrorKind::NotFound {
                    "見つかりません".to_string()
                } else {
                    format!("読み込めません（{e}）")
                };
                let help = if is_main {
                    format!(
                        "評価書のディレクトリ（{MAIN_FILE} を含む）又は TOML ファイルを指定してください。"
                    )
                } else {
                    "include に書いたパスを確認してください（評価書ディレクトリからの相対パス）。"
                        .to_string()
                };
                self.diags.push(
                    Diagnostic::error(
                        "PIA-L007",
                        "",
                        "",
                        format!("ファイル `{}` が{what}", shown.display()),
                    )
                    .with_help(help),
                );
                return Vec::new();
            }
        };
        let file = self.sources.add_file(shown, text);
        // Parse from a copy so the walker can borrow `self` mutably.
        let text = self.sources.files[file].text.clone();
        let table = match DeTable::parse(&text) {
            Ok(t) => t,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let detail = e.message().trim().replace('\n', " / ");
                self.diags.push(
                    Diagnostic::error("PIA-L001", "", "", format!("TOML の構文エラーです（{detail}）"))
                        .with_help("TOML の書き方を確認してください。文字列は \"…\" で囲み、複数行の文章は \"\"\"…\"\"\" で囲みます。同じキーを二度書くこともできません。")
                        .at(Some(self.sources.position(file, span))),
                );
                return Vec::new();
            }
        };
        let mut includes = Vec::new();
        if let Some(inc) = table.get_ref().get("include") {
            includes = self.includes(file, inc, is_main);
        }
        let mut walker = Walker {
            form: self.form,
            file,
            sources: &mut self.sources,
            diags: &mut self.diags,
        };
        walker.table(table.get_ref(), "", "", root);
        includes
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
        for item in items.iter() {
            let Some(s) = item.get_ref().as_str() else {
                bad_type(self, item.span());
                continue;
            };
            match safe_relative(s) {
                Some(p) => out.push(p),
                None => self.diags.push(
                    Diagnostic::error("PIA-L006", "include", "include", format!("`{s}` は評価書ディレクトリの外を指しています"))
                        .with_help("include には評価書ディレクトリの中のファイルを相対パスで書いてください（絶対パスや `..` は使えません）。")
                        .at(Some(self.sources.position(file, item.span()))),
                ),
            }
        }
        out
    }
}

/// FNV-1a, 64 bits: a stable digest for change detection (not for security).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h: u64, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A relative path that stays inside its base directory (no root, no `..`).
pub fn safe_relative(s: &str) -> Option<PathBuf> {
    let p = Path::new(s);
    if s.is_empty() || p.is_absolute() || s.starts_with('/') || s.starts_with('\\') {
        return None;
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

struct Walker<'a> {
    form: &'a Form,
    file: usize,
    sources: &'a mut Sources,
    diags: &'a mut Vec<Diagnostic>,
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

    fn record(&mut self, path: &str, key: std::ops::Range<usize>, value: std::ops::Range<usize>) {
        self.sources.spans.entry(path.to_string()).or_insert(Loc {
            file: self.file,
            key,
            value,
        });
    }

    /// Walks a table whose node pattern is `pattern` ("" = the document root).
    fn table(&mut self, table: &DeTable, pattern: &str, path: &str, out: &mut Map<String, Value>) {
        for (key, value) in table.iter() {
            let k = key.get_ref().as_ref();
            let child_path = join_key(path, k);
            let child_pattern = join_key(pattern, k);
            if pattern.is_empty() && k == "include" {
                self.record(&child_path, key.span(), value.span());
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
            let array_pattern = format!("{child_pattern}[]");
            if let Some(node) = self.form.node(&array_pattern) {
                self.array_of_tables(node, key, value, &array_pattern, &child_path, k, out);
                continue;
            }
            let Some(node) = self.form.node(&child_pattern) else {
                self.unknown_key(pattern, path, k, key.span());
                continue;
            };
            self.value(node, key, value, &child_pattern, &child_path, k, out);
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
                join_key(path, key),
                item_name(self.form, path),
                format!("{place} に不明なキー `{key}` があります"),
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

    fn duplicate(&mut self, path: &str, key_span: std::ops::Range<usize>) -> bool {
        let Some(first) = self.sources.spans.get(path).cloned() else {
            return false;
        };
        if first.file == self.file {
            return false; // the TOML parser already rejects duplicates inside one file
        }
        let item = item_name(self.form, path);
        let first_pos = self.sources.position(first.file, first.key.clone());
        self.diags.push(
            Diagnostic::error(
                "PIA-L005",
                path,
                item.clone(),
                format!("「{item}」が複数のファイルで定義されています"),
            )
            .with_help(format!(
                "一方を削除してください（先の定義: {}:{}:{}）",
                first_pos.file.display(),
                first_pos.line,
                first_pos.column
            ))
            .at(self.pos(key_span))
            .with_related(first_pos, "先の定義"),
        );
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn array_of_tables(
        &mut self,
        node: &Node,
        key: &Spanned<std::borrow::Cow<str>>,
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
        self.record(path, key.span(), value.span());
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
            self.record(&elem_path, item.span(), item.span());
            let mut m = Map::new();
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
                self.record(path, key.span(), value.span());
                let entry = out.entry(k).or_insert_with(|| Value::Object(Map::new()));
                let Value::Object(m) = entry else { return };
                let mut m = std::mem::take(m);
                self.table(t, pattern, path, &mut m);
                out.insert(k.to_string(), Value::Object(m));
                return;
            }
            _ => {}
        }
        if self.duplicate(path, key.span()) {
            return;
        }
        self.record(path, key.span(), value.span());
        let converted = match node.k {
            Kind::Text | Kind::Line | Kind::Figure => match v {
                DeValue::String(s) => Some(Value::String(s.to_string())),
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
                DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) if n >= 0 => Some(Value::from(n)),
                    _ => {
                        self.type_error(
                            node,
                            path,
                            value,
                            Some("件数や番号は 0 以上の整数で書きます。".into()),
                        );
                        None
                    }
                },
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
                        self.record(&row_path, row.span(), row.span());
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
        if let Some(c) = converted {
            out.insert(k.to_string(), c);
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
                DeValue::String(s) => out.push(Value::String(s.to_string())),
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
                    numbered(set, node_numbering(self.form, path))
                )),
            );
            return None;
        };
        if s.trim().is_empty() {
            return None; // unanswered: reported by `pia check`
        }
        if set.by_text(s).is_some() {
            return Some(Value::String(s.to_string()));
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
        let numbering = node_numbering(self.form, path);
        // 「2） 十分である」: the user copied the number too.
        let stripped = strip_number(given);
        let help = if set.by_text(stripped).is_some() {
            format!("番号を付けずに選択肢の文言だけを書きます: \"{stripped}\"")
        } else if let Some(s) = suggest(given, set.options.iter().map(|o| o.text.as_str())) {
            format!(
                "\"{s}\" の誤りではありませんか？ 選択肢: {}",
                numbered(set, numbering)
            )
        } else {
            format!("選択肢: {}", numbered(set, numbering))
        };
        self.diags.push(
            Diagnostic::error(
                "PIA-L004",
                path,
                item.clone(),
                format!("「{given}」は「{item}」の選択肢にありません"),
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
            let opt_path = join_key(path, text);
            let Some(opt) = set.by_text(text) else {
                self.bad_option(node, &opt_path, text, set, key.span());
                continue;
            };
            self.record(&opt_path, key.span(), v.span());
            let item = item_name(self.form, &opt_path);
            let converted = match v.get_ref() {
                DeValue::Boolean(b) if !opt.count => Some(Value::Bool(*b)),
                DeValue::String(s) if opt.free => Some(Value::String(s.to_string())),
                DeValue::Integer(i) if opt.count => i64::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .filter(|n| *n >= 0)
                    .map(Value::from),
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
            DeValue::String(s) => {
                let help = if s.parse::<crate::model::Date>().is_ok() {
                    format!("日付は引用符を付けずに書きます: {s}")
                } else {
                    "日付は西暦で YYYY-MM-DD と引用符を付けずに書きます（例: 2025-06-01）。和暦への変換は pia が行います。".to_string()
                };
                self.type_error(node, path, value, Some(help));
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
                        p,
                        item.clone(),
                        format!("「{item}」に不明なキー `{k}` があります"),
                    )
                    .with_help(help)
                    .at(self.pos(key.span())),
                );
                continue;
            }
            self.record(&p, key.span(), v.span());
            if let Some(d) = self.date(node, &p, v) {
                out.insert(k.to_string(), d);
            }
        }
        Some(Value::Object(out))
    }
}

/// Numbering style of the section that holds a path (「1)」 or 「1）」).
pub fn node_numbering(form: &Form, path: &str) -> &'static str {
    let pattern = form::pattern_of(path);
    let mut p = pattern.as_str();
    loop {
        if let Some(n) = form.node(p)
            && let Some(num) = &n.num
        {
            return if num.contains('）') { "）" } else { ")" };
        }
        if p.is_empty() {
            return "）";
        }
        p = form::parent_pattern(p);
    }
}

/// 「1） 特に力を入れている　2） 十分である …」
pub fn numbered(set: &ChoiceSet, close: &str) -> String {
    set.options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}{close} {}", i + 1, o.text))
        .collect::<Vec<_>>()
        .join("　")
}

fn strip_number(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    let t = t.trim_start_matches([')', '）', '.', '．', ' ', '　']);
    if t.len() == s.len() { s } else { t }
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn suggest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
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
