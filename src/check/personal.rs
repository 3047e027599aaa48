//! PIA-W310/W311: what looks like a 個人番号 or 基礎年金番号 in the assessment (the scanner is
//! [`crate::personal`]), and the findings `render` and `diff` warn about.

use serde::Serialize;
use serde_json::Value;

use super::Ctx;
use crate::form::Form;
use crate::load::Loaded;
use crate::path::push_key;
use crate::personal::{Kind, find, redact};

/// One item holding what looks like personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// TOML path of the value.
    pub path: String,
    /// The item as the form prints it (itself redacted: it may name a file).
    pub item: String,
    pub kind: Kind,
}

impl Finding {
    /// 「「Ⅰ ８．他の評価実施機関」に個人番号（…）と思われる記載があります」
    pub fn message(&self) -> String {
        format!(
            "「{}」に{}と思われる記載があります",
            self.item,
            self.kind.japanese()
        )
    }
}

/// Walks the model's JSON (as `check::Ctx` holds it): every text, and every integer written as
/// a count, with its TOML path (built in one buffer; written out only for a finding).
fn walk(v: &Value, path: &mut String, out: &mut Vec<(String, Kind)>) {
    let mut scan = |s: &str, path: &str| {
        let found = find(s);
        let kind = if found.iter().any(|m| m.kind == Kind::MyNumber) {
            Some(Kind::MyNumber)
        } else {
            found.first().map(|m| m.kind)
        };
        if let Some(kind) = kind {
            out.push((path.to_string(), kind));
        }
    };
    match v {
        Value::String(s) => scan(s, path),
        Value::Number(n) => scan(&n.to_string(), path),
        Value::Array(a) => {
            let len = path.len();
            for (i, x) in a.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(path, "[{i}]");
                walk(x, path, out);
                path.truncate(len);
            }
        }
        Value::Object(m) => {
            let len = path.len();
            for (k, x) in m {
                push_key(path, k);
                walk(x, path, out);
                path.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

/// The items of a model's JSON that hold what looks like a 個人番号 or 基礎年金番号.
pub fn findings_in(form: &Form, json: &Value, file_names: &[String]) -> Vec<Finding> {
    let mut found = Vec::new();
    walk(json, &mut String::new(), &mut found);
    found
        .into_iter()
        .map(|(path, kind)| Finding {
            item: redact(&form.printed_path(&path, file_names)).into_owned(),
            path,
            kind,
        })
        .collect()
}

/// The items of a loaded assessment that hold what looks like a 個人番号 or 基礎年金番号, for
/// `render` and `diff` (which warn, naming the items).
pub fn findings(loaded: &Loaded) -> Vec<Finding> {
    let json = loaded.form.texts_of(&loaded.assessment);
    findings_in(&loaded.form, &json, &loaded.file_names())
}

/// Warning lines for stderr ("" when nothing was found): one per finding,
/// 「警告[PIA-W310]: {document}の「…」に個人番号（…）と思われる記載があります（TOML: …）」, then one
/// line of advice ending in `shown` (what this command does with the number). `groups` pairs
/// how a document is named (「評価書」, 「新版（…）」) with its findings.
pub fn warning_lines(groups: &[(&str, &[Finding])], shown: &str) -> String {
    let mut out = String::new();
    for (what, findings) in groups {
        for f in *findings {
            let code = match f.kind {
                Kind::MyNumber => "PIA-W310",
                Kind::Pension => "PIA-W311",
            };
            out.push_str(&format!(
                "警告[{code}]: {}の「{}」に{}と思われる記載があります（TOML: {}）\n",
                redact(what),
                f.item,
                f.kind.japanese(),
                redact(&f.path)
            ));
        }
    }
    if !out.is_empty() {
        out.push_str(&format!(
            "  対処: 公表される評価書に実在の個人の番号を載せてはいけません。{shown}\n"
        ));
    }
    out
}

/// W310/W311 (`--strict` raises their level through the registry's `strict` flag; the codes
/// never change).
pub fn run(ctx: &mut Ctx) {
    let found = findings_in(ctx.form, &ctx.json, &ctx.file_names);
    for f in found {
        let code = match f.kind {
            Kind::MyNumber => "PIA-W310",
            Kind::Pension => "PIA-W311",
        };
        ctx.report(
            code,
            &f.path,
            f.message(),
            "公表される評価書に実在の個人の番号を載せてはいけません。架空の例示であれば「0000…」のように明らかに架空と分かる表記にしてください（該当箇所は表示しません）。",
        );
        // The source line would show the digits: keep it out of the output.
        if let Some(d) = ctx.out.last_mut() {
            d.hide_source = true;
        }
    }
}
