//! `pia check`: model → diagnostics (spec §D).
//!
//! Codes are stable: `PIA-E###` for errors and `PIA-W###` for warnings, where the first two
//! digits are the rule number of spec §D (D-1 → `PIA-E010`, `PIA-E011`; D-12 → `PIA-W120`).
//! Loading errors use `PIA-L###`.

pub mod personal;
pub mod registry;
pub mod rules;
pub mod since;

use serde_json::Value;

use crate::diag::{Diagnostic, Severity};
use crate::form::Form;
use crate::load::Loaded;
use crate::model::{Assessment, Date};
use crate::source::Sources;

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Raise the codes registered as `strict` (accidental personal data) to エラー.
    pub strict: bool,
    /// "Today" for the 5-year and yearly-review rules (default: the system date).
    pub today: Option<Date>,
    /// Report only codes matching one of these (code or prefix, e.g. `PIA-W05`); empty = all.
    pub select: Vec<String>,
    /// Do not report codes matching one of these.
    pub ignore: Vec<String>,
}

/// Runs every rule, then applies the levels and selections ([`policy`]); diagnostics are sorted
/// by file, line and column.
pub fn check(loaded: &Loaded, opts: &Options) -> Vec<Diagnostic> {
    policy(findings(loaded, opts), loaded, opts)
}

/// The one-revision findings at their registered levels, before [`policy`] (to combine them with
/// the two-revision findings of `--since`).
pub fn findings(loaded: &Loaded, opts: &Options) -> Vec<Diagnostic> {
    // A 素案 or 案 is checked as it stands at its stage (crate::stage).
    let staged = crate::stage::view(loaded);
    let loaded = staged.as_ref().unwrap_or(loaded);
    // The printed document is made by `rules::run`, beside the rules that do not read it.
    let mut ctx = Ctx::with_json(loaded, opts, Value::Null);
    rules::run(&mut ctx);
    personal::run(&mut ctx);
    // `[[pending]]` notes that need no second revision (exclusions over a whole section).
    ctx.out.extend(since::note_diagnostics_single(loaded));
    ctx.out
}

/// Whether a selector (a whole code or a prefix such as `PIA-W05`) matches a code.
fn matches(selector: &str, code: &str) -> bool {
    let s = selector.trim();
    !s.is_empty() && code.starts_with(&s.to_ascii_uppercase())
}

/// Levels and selections: the stage (nothing is reported on an item the stage leaves out, nor
/// the 別添3 rows a 素案 or 案 records when it is published: [`crate::stage::DEFERRED_UNTIL_FINAL`];
/// a 素案 reports its gaps as warnings: [`crate::stage::LOWERED_AT_DRAFT`]), `--strict`, the assessment's `[meta.check]` (select,
/// ignore, error, warning, acknowledge) and the command line's `--select`/`--ignore`. Reports configuration
/// that refers to no registered code, and acknowledgements that match nothing (PIA-W001,
/// PIA-W002). Loading errors are never filtered.
pub fn policy(diags: Vec<Diagnostic>, loaded: &Loaded, opts: &Options) -> Vec<Diagnostic> {
    let cfg = &loaded.assessment.meta.check;
    let mut out = Vec::with_capacity(diags.len());
    let mut used = vec![false; cfg.acknowledge.len()];
    // The same finding from two sources (one-revision and `--since` note checks) once.
    let mut seen = std::collections::HashSet::new();
    let stage = crate::stage::of(&loaded.assessment);
    let draft = stage == crate::model::Stage::Draft;
    let left_out = crate::stage::absent_items(loaded);
    for mut d in diags {
        if !seen.insert((d.code, d.path.clone(), d.message.clone())) {
            continue;
        }
        let code = d.code;
        let registered = registry::lookup(code);
        if registered.is_some_and(|(_, c)| c.stage == registry::Stage::Load) {
            out.push(d);
            continue;
        }
        // An item the document's stage leaves out (公表日 of a 案 …) is not asked for.
        if left_out.contains(&d.path)
            || (stage != crate::model::Stage::Final
                && crate::stage::DEFERRED_UNTIL_FINAL.contains(&code))
        {
            continue;
        }
        if let Some((_, c)) = registered {
            d.severity = c.level;
            if opts.strict && c.strict {
                d.severity = Severity::Error;
            }
            if draft && crate::stage::LOWERED_AT_DRAFT.contains(&code) {
                d.severity = Severity::Warning;
            }
        }
        if cfg.error.iter().any(|s| matches(s, code)) {
            d.severity = Severity::Error;
        } else if cfg.warning.iter().any(|s| matches(s, code)) {
            d.severity = Severity::Warning;
        }
        let selected = |list: &[String]| list.is_empty() || list.iter().any(|s| matches(s, code));
        if !selected(&cfg.select)
            || !selected(&opts.select)
            || cfg.ignore.iter().any(|s| matches(s, code))
            || opts.ignore.iter().any(|s| matches(s, code))
        {
            continue;
        }
        let ack = cfg.acknowledge.iter().position(|a| {
            matches(&a.code, code)
                && !a.reason.trim().is_empty()
                && (a.path.trim().is_empty() || a.path.trim() == d.path)
        });
        if let Some(k) = ack {
            used[k] = true;
            continue;
        }
        out.push(d);
    }
    // The configuration itself (read from the model: no JSON view of the document needed).
    let mut ctx = Ctx::with_json(loaded, opts, Value::Null);
    rules::config::run(&mut ctx, &used);
    out.extend(ctx.out);
    sort(&mut out);
    out
}

/// Stable order: by file, line, column, then code.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let ka = a
            .position
            .as_ref()
            .map(|p| (p.file_index, p.line, p.column));
        let kb = b
            .position
            .as_ref()
            .map(|p| (p.file_index, p.line, p.column));
        ka.cmp(&kb)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// What the rules see: the model, its JSON form (for generic walks), where items are written,
/// and the output.
pub struct Ctx<'a> {
    /// The document as loaded (its form, the companion 基礎項目評価書 form).
    pub loaded: &'a Loaded,
    pub a: &'a Assessment,
    /// The document as the form prints it (option texts), for generic walks; shared by the
    /// contexts of rules that run in parallel.
    pub json: std::sync::Arc<Value>,
    pub sources: &'a Sources,
    /// The document's 様式.
    pub form: &'a Form,
    pub file_names: Vec<String>,
    pub opts: &'a Options,
    pub out: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(loaded: &'a Loaded, opts: &'a Options) -> Self {
        Self::with_json(loaded, opts, loaded.form.texts_of(&loaded.assessment))
    }

    /// A context whose `json` is given (`Value::Null` for rules that read only the model).
    fn with_json(loaded: &'a Loaded, opts: &'a Options, json: Value) -> Self {
        let a = &loaded.assessment;
        Ctx {
            loaded,
            a,
            json: std::sync::Arc::new(json),
            sources: &loaded.sources,
            form: &loaded.form,
            file_names: a
                .files
                .iter()
                .map(|f| f.overview.file_name.clone())
                .collect(),
            opts,
            out: Vec::new(),
        }
    }

    /// A context on the same document with no findings yet (for a rule run on another thread).
    pub fn fork(&self) -> Self {
        Ctx {
            loaded: self.loaded,
            a: self.a,
            json: self.json.clone(),
            sources: self.sources,
            form: self.form,
            file_names: self.file_names.clone(),
            opts: self.opts,
            out: Vec::new(),
        }
    }

    /// The item as the form prints it.
    pub fn item(&self, path: &str) -> String {
        self.form.printed_path(path, &self.file_names)
    }

    /// The label the form prints for an item or check box (by pattern), e.g. 「委託しない」.
    pub fn label(&self, pattern: &str) -> &'a str {
        self.form.label(pattern)
    }

    /// The printed text of a choice's option (「十分である」).
    pub fn text<C: crate::model::Choice>(&self, c: C) -> &'a str {
        self.form.text(c)
    }

    /// The printed text of option `id` of check-list set `set` (「情報提供ネットワークシステム」).
    pub fn check_text(&self, set: &str, id: &'a str) -> &'a str {
        self.form.check_text(set, id)
    }

    /// Reports a finding of a registered code at `path` (its value, or the table that should hold
    /// it), at the code's registered level ([`policy`] applies the configured levels).
    pub fn report(
        &mut self,
        code: &'static str,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let severity = registry::lookup(code).map_or(Severity::Error, |(_, c)| c.level);
        debug_assert!(registry::lookup(code).is_some(), "{code} is not registered");
        self.emit(code, severity, path, message, help);
    }

    fn emit(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let item = self.item(path);
        let help: String = help.into();
        let mut d =
            Diagnostic::new(code, severity, path, item, message).at(self.sources.locate(path));
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.out.push(d);
    }

    /// Whether an item holds something (non-blank text, a choice, a check, a date …).
    pub fn filled(&self, path: &str) -> bool {
        is_filled(lookup(&self.json, path))
    }
}

pub use crate::path::lookup;

/// Blank text, no choice, an empty check-list or period are "not filled". `false` check boxes
/// are answers.
pub fn is_filled(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => m.values().any(|v| is_filled(Some(v))),
        Some(Value::Bool(_)) | Some(Value::Number(_)) => true,
    }
}

/// The words of [`placeholder`].
// Written as `to_uppercase` gives them, so a text is upper-cased once and compared as is.
const PLACEHOLDER_WORDS: &[&str] = &[
    "TODO",
    "TBD",
    "FIXME",
    "未記入",
    "検討中",
    "要確認",
    "記入中",
    "作成中",
    "後日記入",
    "＊＊＊",
    "***",
    "〇〇",
    "○○",
    "●●",
    "××",
    "ＸＸ",
    "XXX",
    "…",
];

/// Text that stands for "not written yet".
pub fn placeholder(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t == "…" {
        return Some("…");
    }
    if !may_hold_a_word(t) {
        return None;
    }
    // Upper-cased only when that changes something (most texts are Japanese): no allocation.
    let upper: std::borrow::Cow<str> = if t.chars().any(changes_case) {
        t.to_uppercase().into()
    } else {
        t.into()
    };
    PLACEHOLDER_WORDS.iter().copied().find(|w| {
        // A placeholder standing alone, or marking an unfinished part of a longer text.
        upper == *w || (*w != "…" && w.chars().count() >= 2 && upper.contains(w))
    })
}

/// Whether a trimmed text may hold one of the [`placeholder`] words of two or more characters:
/// each is found inside the upper-cased text, so its first two characters are there side by
/// side. One pass looks for such a pair, without upper-casing the text nor searching it word by
/// word (a long 別添３ has hundreds of thousands of texts). A character other than ASCII that
/// upper-casing changes leaves the answer to the full search (`true`).
fn may_hold_a_word(t: &str) -> bool {
    let mut prev = None;
    for c in t.chars() {
        let u = if c.is_ascii() {
            c.to_ascii_uppercase()
        } else if caseless(c) || !changes_case(c) {
            c
        } else {
            return true;
        };
        if let Some(p) = prev
            && matches!(
                (p, u),
                ('T', 'O' | 'B')
                    | ('F', 'I')
                    | ('未', '記')
                    | ('検', '討')
                    | ('要', '確')
                    | ('記', '入')
                    | ('作', '成')
                    | ('後', '日')
                    | ('＊', '＊')
                    | ('*', '*')
                    | ('〇', '〇')
                    | ('○', '○')
                    | ('●', '●')
                    | ('×', '×')
                    | ('Ｘ', 'Ｘ')
                    | ('X', 'X')
            )
        {
            return true;
        }
        prev = Some(u);
    }
    false
}

fn changes_case(c: char) -> bool {
    let mut u = c.to_uppercase();
    u.next() != Some(c) || u.next().is_some()
}

/// Characters that no case mapping changes, known without looking them up: CJK symbols and
/// punctuation, kana and the CJK ideographs up to the Yi and Vai syllables (U+3000–U+A63F;
/// `caseless_range_has_no_case` below checks it).
fn caseless(c: char) -> bool {
    ('\u{3000}'..='\u{A63F}').contains(&c)
}

/// A one-line description of a code with its rule (「D-5 提供・移転の件数と別紙の行数が一致しない」),
/// for SARIF rule metadata.
pub fn describe(code: &str) -> String {
    match registry::lookup(code) {
        Some((rule, c)) if rule.id.starts_with("D-") => format!("{} {}", rule.id, c.title),
        Some((_, c)) => c.title.to_string(),
        None => "pia の検査規則".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{PLACEHOLDER_WORDS, may_hold_a_word, placeholder};

    /// The quick pre-check knows the first two characters of every word: a word added to the
    /// list without its pair would never be found inside a text.
    #[test]
    fn the_pre_check_lets_every_word_through() {
        for w in PLACEHOLDER_WORDS.iter().filter(|w| w.chars().count() >= 2) {
            assert!(may_hold_a_word(w), "{w}");
            assert!(may_hold_a_word(&format!("記載は{w}です")), "{w}");
        }
    }

    #[test]
    fn placeholders_are_found_in_any_case_alone_or_inside_a_text() {
        assert_eq!(placeholder("xxx"), Some("XXX"));
        assert_eq!(placeholder("  todo "), Some("TODO"));
        assert_eq!(placeholder("委託先：〇〇株式会社"), Some("〇〇"));
        assert_eq!(placeholder("…"), Some("…"));
        // A single 「…」 inside a sentence is punctuation, not a placeholder.
        assert_eq!(placeholder("入手する情報は住所、氏名…等である"), None);
        assert_eq!(placeholder("健康保険組合事務基幹システム"), None);
        // Found through upper-casing only (full-width, ligature), and after other text.
        assert_eq!(placeholder("委託先：ｘｘ"), Some("ＸＸ"));
        assert_eq!(placeholder("ｔｂｄ"), None);
        assert_eq!(placeholder("設定は後日記入"), Some("後日記入"));
        assert_eq!(placeholder("aﬀtodo"), Some("TODO"));
        // Every word is found alone, in lower case, and inside a text.
        for &w in PLACEHOLDER_WORDS.iter().filter(|w| **w != "…") {
            assert_eq!(placeholder(w), Some(w));
            assert_eq!(placeholder(&w.to_lowercase()), Some(w));
            assert_eq!(
                placeholder(&format!("変更の記載は{}です", w.to_lowercase())),
                Some(w)
            );
        }
        assert_eq!(placeholder("変更前の記載 30000"), None);
        assert_eq!(placeholder("変更後の記載"), None);
    }

    #[test]
    fn caseless_range_has_no_case() {
        for c in ('\u{3000}'..='\u{A63F}').filter(|c| super::caseless(*c)) {
            let mut u = c.to_uppercase();
            assert!(u.next() == Some(c) && u.next().is_none(), "{c:?}");
        }
    }
}
