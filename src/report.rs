//! Machine-readable outputs of `pia check`: JSON (documented in `docs/check-json.md`, schema in
//! `schema/check-output.schema.json`), GitHub Actions annotations and SARIF 2.1.0.
//!
//! Every text goes through [`Diagnostic::for_output`] (個人番号-like numbers masked, bounded
//! length) and every target name through [`clean`].

use std::fmt::Write;

use serde::Serialize;
use serde_json::{Value, json};

use crate::diag::{Diagnostic, MAX_NAME_CHARS, Severity, clean};

/// The outcome of checking one assessment.
#[derive(Debug, Clone)]
pub struct Report {
    /// The assessment as given on the command line.
    pub target: String,
    /// false when it could not be read or parsed (exit code 2).
    pub readable: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

#[derive(Serialize)]
struct JsonDiagnostic {
    code: &'static str,
    severity: Severity,
    item: String,
    path: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    help: Option<String>,
}

fn json_diag(d: &Diagnostic) -> JsonDiagnostic {
    let d = d.for_output();
    JsonDiagnostic {
        code: d.code,
        severity: d.severity,
        file: d
            .position
            .as_ref()
            .map(|p| p.file.display().to_string().replace('\\', "/")),
        line: d.position.as_ref().map(|p| p.line),
        column: d.position.as_ref().map(|p| p.column),
        item: d.item,
        path: d.path,
        message: d.message,
        help: d.help,
    }
}

/// `--format json`: stable output, version 1.
pub fn to_json(reports: &[Report]) -> String {
    let assessments: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "target": clean(&r.target, MAX_NAME_CHARS),
                "status": if !r.readable { "unreadable" } else if r.errors() > 0 { "error" } else if r.warnings() > 0 { "warning" } else { "ok" },
                "errors": r.errors(),
                "warnings": r.warnings(),
                "diagnostics": r.diagnostics.iter().map(json_diag).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = json!({
        "version": 1,
        "tool": "pia",
        "errors": reports.iter().map(Report::errors).sum::<usize>(),
        "warnings": reports.iter().map(Report::warnings).sum::<usize>(),
        "assessments": assessments,
    });
    let mut s = serde_json::to_string_pretty(&v).expect("report serialises");
    s.push('\n');
    s
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Rows of the step summary per assessment (GitHub limits a step summary to 1 MiB).
pub const SUMMARY_MAX_ROWS: usize = 300;

/// `--format github`: at most 10 workflow annotations (errors first), and the list as a
/// Markdown table for the step summary (at most [`SUMMARY_MAX_ROWS`] rows per assessment).
/// Returns (annotations for stdout, summary).
pub fn to_github(reports: &[Report]) -> (String, String) {
    let mut all: Vec<&Diagnostic> = reports.iter().flat_map(|r| r.diagnostics.iter()).collect();
    all.sort_by_key(|d| d.severity);
    let mut out = String::new();
    for d in all.iter().take(10) {
        let d = d.for_output();
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(p) = &d.position {
            props.push(format!(
                "file={}",
                escape_property(&p.file.display().to_string())
            ));
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.column));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", d.code, d.item))
        ));
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str(&format!("\n対処: {h}"));
        }
        let _ = writeln!(out, "::{kind} {}::{}", props.join(","), escape_data(&msg));
    }
    if all.len() > 10 {
        let _ = writeln!(
            out,
            "::notice title=pia check::ほか {} 件はジョブのサマリーに一覧があります",
            all.len() - 10
        );
    }
    let mut summary = String::from("## pia check\n\n");
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
    for r in reports {
        let _ = writeln!(summary, "### {}\n", cell(&clean(&r.target, MAX_NAME_CHARS)));
        if !r.readable {
            let _ = writeln!(summary, "読み込めませんでした。\n");
        }
        let _ = writeln!(
            summary,
            "エラー {} 件、警告 {} 件\n",
            r.errors(),
            r.warnings()
        );
        if r.diagnostics.is_empty() {
            continue;
        }
        let _ = writeln!(
            summary,
            "| 種別 | コード | 項目 | 場所 | 内容 |\n|---|---|---|---|---|"
        );
        for d in r.diagnostics.iter().take(SUMMARY_MAX_ROWS) {
            let d = d.for_output();
            let _ = writeln!(
                summary,
                "| {} | {} | {} | {} | {} |",
                d.severity.japanese(),
                d.code,
                cell(&d.item),
                cell(&d.location()),
                cell(&match &d.help {
                    Some(h) => format!("{}<br>対処: {h}", d.message),
                    None => d.message.clone(),
                })
            );
        }
        if r.diagnostics.len() > SUMMARY_MAX_ROWS {
            let _ = writeln!(
                summary,
                "| | | | | ほか {} 件（全件は --format json で確認できます） |",
                r.diagnostics.len() - SUMMARY_MAX_ROWS
            );
        }
        summary.push('\n');
    }
    (out, summary)
}

/// `--format sarif`: SARIF 2.1.0.
pub fn to_sarif(reports: &[Report]) -> String {
    let mut rules: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| d.code))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter())
        .map(|d| {
            let d = d.for_output();
            let mut text = format!("{}（{}）", d.message, d.item);
            if let Some(h) = &d.help {
                text.push_str(&format!("\n対処: {h}"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rules.iter().position(|r| *r == d.code).unwrap_or(0),
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "properties": { "item": d.item, "path": d.path },
            });
            if let Some(p) = &d.position {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": p.file.display().to_string().replace('\\', "/") },
                        "region": { "startLine": p.line, "startColumn": p.column }
                    }
                }]);
            }
            result
        })
        .collect();
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pia",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({ "id": r, "shortDescription": { "text": crate::check::describe(r) } })).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&v).expect("sarif serialises");
    s.push('\n');
    s
}
