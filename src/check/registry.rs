//! The rule registry: every code `pia` reports (loading, one-revision and two-revision rules),
//! its default level, how sure its source is, and the Japanese explanation of the rule that
//! emits it (`pia check --explain PIA-E071`).
//!
//! Each rule lives in its own file and declares itself with [`rule!`]: a doc comment in fixed
//! sections (検査内容, 根拠, 例, 直し方, 確度), the spec rule it implements, and its codes. The
//! doc comment is both the developer documentation and the text `--explain` prints.

use crate::diag::Severity;

/// How sure the rule's source is (spec confidence markers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Read from the law, the PPC's texts or the form itself.
    Stable,
    /// Not verified against the 記載要領: reported as a warning until checked.
    Unverified,
}

impl Status {
    pub fn japanese(self) -> &'static str {
        match self {
            Status::Stable => "確認済み",
            Status::Unverified => "未確認（UNVERIFIED）",
        }
    }
}

/// When a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// While loading the TOML files.
    Load,
    /// `pia check` on one revision.
    Check,
    /// `pia check --since <rev>`: two revisions.
    Since,
}

/// One code.
#[derive(Debug)]
pub struct Code {
    /// `PIA-E071`.
    pub code: &'static str,
    /// Level by default (`--strict` and the assessment's `[meta.check]` may raise or lower it).
    pub level: Severity,
    /// When it is reported.
    pub stage: Stage,
    pub status: Status,
    /// One line: what the finding means.
    pub title: &'static str,
    /// Raised to エラー by `pia check --strict` (accidental personal data).
    pub strict: bool,
}

/// One rule (or a small family of rules sharing one explanation).
#[derive(Debug)]
pub struct Rule {
    /// The spec rule (「D-7」) or the family (「L」 for loading).
    pub id: &'static str,
    /// Short Japanese title.
    pub title: &'static str,
    /// The explanation in fixed sections (`## 検査内容` … `## 確度`).
    pub doc: &'static str,
    pub codes: &'static [Code],
    /// Items (patterns) of the form the rule reads: a rule whose items a form does not have (the
    /// 基礎項目評価書 has no 特定個人情報ファイル, no 評価実施手続) does not run on its documents.
    /// Empty: the rule is generic over the form.
    pub reads: &'static [&'static str],
}

impl Rule {
    /// Whether the rule applies to documents of `form` (it has every item the rule reads).
    pub fn applies_to(&self, form: &crate::form::Form) -> bool {
        self.reads.iter().all(|p| form.node(p).is_some())
    }
}

/// The sections every rule explanation has, in this order.
pub const SECTIONS: [&str; 5] = ["検査内容", "根拠", "例", "直し方", "確度"];

/// Declares the rule of a file and defines `pub static RULE`:
///
/// ```text
/// rule! {
///     /// ## 検査内容 … (the explanation, in the fixed sections)
///     id: "D-7",
///     title: "情報提供ネットワークシステムとの接続",
///     reads: ["files[]", "basic.info_linkage.status"], // optional: the form items it needs
///     codes: [
///         "PIA-E071" Error Check Stable "情報連携の実施の有無と「接続しない」の印が一致しない",
///         "PIA-W310" Warning Check Stable "個人番号と思われる記載" strict,
///     ],
/// }
/// ```
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        id: $id:literal,
        title: $title:literal,
        $(reads: [ $($read:literal),* $(,)? ],)?
        codes: [ $( $code:literal $level:ident $stage:ident $status:ident $ctitle:literal $($flag:ident)? ),* $(,)? ] $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static RULE: $crate::check::registry::Rule = $crate::check::registry::Rule {
            id: $id,
            title: $title,
            doc: concat!($($doc, "\n"),*),
            reads: &[$($($read),*)?],
            codes: &[$(
                $crate::check::registry::Code {
                    code: $code,
                    level: $crate::diag::Severity::$level,
                    stage: $crate::check::registry::Stage::$stage,
                    status: $crate::check::registry::Status::$status,
                    title: $ctitle,
                    strict: $crate::check::registry::flag!($($flag)?),
                }
            ),*],
        };
    };
}
/// `strict` after a code's title: `--strict` raises it to エラー.
macro_rules! flag {
    () => {
        false
    };
    (strict) => {
        true
    };
}
pub(crate) use flag;
pub(crate) use rule;

/// Every rule: loading first, then the rules of spec §D in order.
pub fn rules() -> &'static [&'static Rule] {
    super::rules::ALL
}

/// The registered code and the rule that owns it.
pub fn lookup(code: &str) -> Option<(&'static Rule, &'static Code)> {
    rules()
        .iter()
        .find_map(|r| r.codes.iter().find(|c| c.code == code).map(|c| (*r, c)))
}

/// Every registered code, in registry order.
pub fn codes() -> impl Iterator<Item = (&'static Rule, &'static Code)> {
    rules()
        .iter()
        .flat_map(|r| r.codes.iter().map(move |c| (*r, c)))
}

/// One line describing a code (SARIF rule metadata, the docs' code table).
pub fn describe(code: &str) -> &'static str {
    lookup(code).map_or("pia の検査規則", |(_, c)| c.title)
}

/// The explanation printed by `pia check --explain CODE`.
pub fn explain(code: &str) -> Option<String> {
    let (rule, c) = lookup(code)?;
    let mut out = format!(
        "{}: {}\n\n規則: {} {}（{}）\n既定の重大度: {}　確度: {}\n",
        c.code,
        c.title,
        rule.id,
        rule.title,
        match c.stage {
            Stage::Load => "読み込み時",
            Stage::Check => "pia check",
            Stage::Since => "pia check --since",
        },
        c.level.japanese(),
        c.status.japanese(),
    );
    if c.strict {
        out.push_str("--strict を指定するとエラーになります。\n");
    }
    let others: Vec<&str> = rule
        .codes
        .iter()
        .filter(|o| o.code != c.code)
        .map(|o| o.code)
        .collect();
    if !others.is_empty() {
        out.push_str(&format!("同じ規則のコード: {}\n", others.join(", ")));
    }
    out.push('\n');
    out.push_str(&doc_text(rule.doc));
    Some(out)
}

/// The doc comment as plain text: the leading space rustdoc keeps is removed and the source's
/// hard wraps inside a paragraph or a 「・」 item are joined (a terminal wraps Japanese anywhere).
pub fn doc_text(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut open = false; // the last line may continue
    for raw in doc.lines() {
        let line = raw.strip_prefix(' ').unwrap_or(raw);
        let continued = line.starts_with("  ") && !line.trim().is_empty();
        let text = line.trim();
        let starts_block = text.is_empty() || text.starts_with("## ") || text.starts_with('・');
        if open && (continued || !starts_block) {
            let prev_ascii = out
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let next_ascii = text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if prev_ascii && next_ascii {
                out.push(' ');
            }
            out.push_str(text);
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(text);
        }
        open = !text.is_empty() && !text.starts_with("## ");
    }
    out.trim_end().to_string() + "\n"
}

/// The code table of `docs/check-json.md` (Markdown), generated from the registry.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Code | Level | Rule | Status | Meaning |\n|---|---|---|---|---|\n");
    for (rule, c) in codes() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c.code,
            c.level.japanese(),
            rule.id,
            c.status.japanese(),
            c.title
        ));
    }
    out
}
