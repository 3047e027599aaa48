//! Output of `pia diff`: a terminal listing, Markdown (for pull-request comments, from
//! `templates/diff.md.j2`) and JSON (stable, `docs/diff-json.md`).
//!
//! Every output starts from [`redacted`]: a 個人番号-like number in any text of the report is
//! replaced by its mask (「＊＊＊＊＊＊＊＊＊＊＊＊」) before anything is printed, and the printed
//! text is passed through [`personal::redact`] once more.

use serde::Serialize;
use serde_json::Value;

use super::text::{self, Line, width};
use super::{Change, Report, Timing};
use crate::personal;

/// Lines of an added or removed block shown by the terminal and Markdown outputs.
const MAX_BLOCK_LINES: usize = 12;

/// Version of the JSON output format.
pub const JSON_VERSION: u32 = 1;

const TEMPLATE: &str = include_str!("../../templates/diff.md.j2");

#[derive(Serialize)]
struct Summary {
    changes: usize,
    important: usize,
    prior: usize,
    posterior: usize,
    rows: usize,
}

#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    from: &'a str,
    to: &'a str,
    summary: Summary,
    prior_required: bool,
    changes: &'a [Change],
    threshold: &'a super::ThresholdChange,
    reassessment: &'a super::Reassessment,
}

fn json_value(r: &Report) -> Json<'_> {
    Json {
        version: JSON_VERSION,
        from: &r.from,
        to: &r.to,
        summary: Summary {
            changes: r.changes.len(),
            important: r.important_count(),
            prior: r.prior_count(),
            posterior: r
                .changes
                .iter()
                .filter(|c| c.timing == Timing::Posterior)
                .count(),
            rows: r.changes.iter().filter(|c| c.row).count(),
        },
        prior_required: r.prior_required(),
        changes: &r.changes,
        threshold: &r.threshold,
        reassessment: &r.reassessment,
    }
}

fn redact_string(s: &mut String) -> bool {
    match personal::redact(s) {
        std::borrow::Cow::Borrowed(_) => false,
        std::borrow::Cow::Owned(r) => {
            *s = r;
            true
        }
    }
}

/// The report with every 個人番号-like number masked: texts, item names, paths, reasons,
/// procedure steps. A change whose before/after text held one gets its excerpt recomputed from
/// the masked texts, so the character marks cannot split a number. Rows recorded in 別添３
/// (`--record`) are made from this report too.
pub fn redacted(r: &Report) -> Report {
    let mut r = r.clone();
    redact_string(&mut r.from);
    redact_string(&mut r.to);
    for c in &mut r.changes {
        redact_string(&mut c.item);
        redact_string(&mut c.path);
        redact_string(&mut c.old_path);
        redact_string(&mut c.reason);
        let before = redact_string(&mut c.before);
        let after = redact_string(&mut c.after);
        if (before || after) && !c.excerpt.is_empty() {
            c.excerpt = text::excerpt(&c.before, &c.after);
        }
        for l in &mut c.excerpt {
            for p in &mut l.pieces {
                redact_string(&mut p.text);
            }
        }
    }
    for d in [&mut r.threshold.before, &mut r.threshold.after]
        .into_iter()
        .flatten()
    {
        redact_string(&mut d.reason);
    }
    let ra = &mut r.reassessment;
    for s in &mut ra.reasons {
        redact_string(s);
    }
    redact_string(&mut ra.org_kind);
    for step in &mut ra.steps {
        redact_string(&mut step.name);
        for p in &mut step.paths {
            redact_string(p);
        }
    }
    r
}

/// Masks every string of a JSON value.
fn redact_value(v: &mut Value) {
    match v {
        Value::String(s) => {
            redact_string(s);
        }
        Value::Array(a) => a.iter_mut().for_each(redact_value),
        Value::Object(m) => m.values_mut().for_each(redact_value),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The JSON document (pretty-printed, with a final newline).
pub fn to_json(r: &Report) -> String {
    let r = redacted(r);
    let mut v = serde_json::to_value(json_value(&r)).unwrap_or(Value::Null);
    redact_value(&mut v);
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// Marks as git's word-diff does: 「[-旧-]」「{+新+}」.
fn marked_plain(line: &Line) -> String {
    line.pieces
        .iter()
        .map(|p| match (p.mark, line.tag) {
            (true, "-") => format!("[-{}-]", p.text),
            (true, _) => format!("{{+{}+}}", p.text),
            _ => p.text.clone(),
        })
        .collect()
}

fn marked_ansi(line: &Line) -> String {
    let (base, mark) = match line.tag {
        "-" => ("\x1b[31m", "\x1b[7;31m"),
        "+" => ("\x1b[32m", "\x1b[7;32m"),
        _ => ("\x1b[2m", "\x1b[2m"),
    };
    let mut s = String::from(base);
    for p in &line.pieces {
        if p.mark {
            s.push_str(&format!("{mark}{}\x1b[0m{base}", p.text));
        } else {
            s.push_str(&p.text);
        }
    }
    s.push_str("\x1b[0m");
    s
}

/// Lines of before/after for display: the excerpt when there is one, else the texts.
fn display_lines(c: &Change) -> Vec<Line> {
    if !c.excerpt.is_empty() {
        return c.excerpt.clone();
    }
    let mut out = Vec::new();
    let plain = |tag: &'static str, s: &str| Line {
        tag,
        pieces: vec![super::text::Piece {
            text: s.to_string(),
            mark: false,
        }],
    };
    for (tag, text) in [("-", &c.before), ("+", &c.after)] {
        let lines: Vec<&str> = text.lines().collect();
        for l in lines.iter().take(MAX_BLOCK_LINES) {
            out.push(plain(tag, l));
        }
        if lines.len() > MAX_BLOCK_LINES {
            out.push(plain(
                tag,
                &format!(
                    "（以下 {} 行省略。全文は --format json の before/after）",
                    lines.len() - MAX_BLOCK_LINES
                ),
            ));
        }
    }
    out
}

fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// The terminal listing.
pub fn to_human(r: &Report, color: bool) -> String {
    let r = redacted(r);
    personal::redact(&human(&r, color)).into_owned()
}

fn human(r: &Report, color: bool) -> String {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut o = String::new();
    o.push_str(&bold(&format!("pia diff: {} → {}", r.from, r.to)));
    o.push('\n');
    if r.changes.is_empty() {
        o.push_str("変更はありません。\n");
    } else {
        o.push_str(&format!(
            "変更 {} 件（重要な変更 {} 件、事前 {} 件、事後 {} 件）\n\n",
            r.changes.len(),
            r.important_count(),
            r.prior_count(),
            r.changes.len() - r.prior_count()
        ));
        let num_w = r.changes.len().to_string().len();
        o.push_str(&format!(
            "{}  {}  {}  {}\n",
            pad("#", num_w),
            pad("提出時期", 8),
            pad("種別", 4),
            "項目"
        ));
        for (i, c) in r.changes.iter().enumerate() {
            let timing = format!(
                "{}{}",
                c.timing.japanese(),
                if c.important { " ※" } else { "" }
            );
            let timing = pad(&timing, 8);
            let timing = if color && c.timing == Timing::Prior {
                format!("\x1b[1;33m{timing}\x1b[0m")
            } else {
                timing
            };
            o.push_str(&format!(
                "{}  {}  {}  {}\n",
                pad(&(i + 1).to_string(), num_w),
                timing,
                pad(c.kind.japanese(), 4),
                c.item
            ));
            let indent = " ".repeat(num_w + 2);
            o.push_str(&format!("{indent}理由: {}\n", c.reason));
            o.push_str(&format!("{indent}TOML: {}\n", c.path));
            if !c.row {
                o.push_str(&format!("{indent}（{}の行は不要）\n", r.changes_name));
            }
            for l in display_lines(c) {
                if l.tag == "…" {
                    o.push_str(&format!("{indent}⋮\n"));
                    continue;
                }
                let text = if color {
                    marked_ansi(&l)
                } else {
                    marked_plain(&l)
                };
                o.push_str(&format!("{indent}{} {text}\n", l.tag));
            }
            o.push('\n');
        }
    }
    o.push_str(&threshold_line(r));
    o.push('\n');
    let ra = &r.reassessment;
    if ra.required {
        o.push_str(&bold("評価の再実施が必要です（事前に提出）。"));
        o.push('\n');
        for reason in &ra.reasons {
            o.push_str(&format!("  理由: {reason}\n"));
        }
        let kind = if ra.org_kind.is_empty() {
            "評価実施機関".to_string()
        } else {
            ra.org_kind.clone()
        };
        o.push_str(&format!("  {kind}の手続（新しい版の記載）:\n"));
        for s in &ra.steps {
            let mark = if s.done { "済" } else { "未" };
            o.push_str(&format!("    [{mark}] {}\n", s.name));
        }
    } else if r.changes.is_empty() {
        o.push_str("評価の再実施は不要です。\n");
    } else {
        o.push_str("重要な変更はありません（評価書の修正として事後に提出できます）。\n");
    }
    o
}

fn threshold_line(r: &Report) -> String {
    let t = &r.threshold;
    match (&t.before, &t.after) {
        (Some(a), Some(b)) if a.obliged == b.obliged => {
            format!("しきい値判断: 変化なし（{}）", b.text)
        }
        (Some(a), Some(b)) => format!(
            "しきい値判断: {} → {}{}",
            a.text,
            b.text,
            if t.rose {
                "（上がりました: 再実施が必要）"
            } else {
                ""
            }
        ),
        (None, Some(b)) => format!("しきい値判断: {}（旧版は未記入）", b.text),
        (Some(a), None) => format!("しきい値判断: {}（新版は未記入）", a.text),
        (None, None) => "しきい値判断: 未記入（[threshold] を記入してください）".to_string(),
    }
}

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('`', "\\`")
        .replace('\n', "<br>")
}

/// Markdown for a pull-request comment.
pub fn to_markdown(r: &Report) -> Result<String, String> {
    let r = redacted(r);
    markdown(&r).map(|s| personal::redact(&s).into_owned())
}

fn markdown(r: &Report) -> Result<String, String> {
    let mut env = minijinja::Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| e.to_string())?;
    env.set_syntax(syntax);
    env.add_filter("cell", |s: String| cell(&s));
    env.add_template("diff.md", TEMPLATE)
        .map_err(|e| e.to_string())?;
    let tmpl = env.get_template("diff.md").map_err(|e| e.to_string())?;
    #[derive(Serialize)]
    struct Item<'a> {
        n: usize,
        change: &'a Change,
        timing: &'static str,
        kind: &'static str,
        lines: Vec<String>,
    }
    let items: Vec<Item> = r
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| Item {
            n: i + 1,
            change: c,
            timing: c.timing.japanese(),
            kind: c.kind.japanese(),
            lines: display_lines(c)
                .iter()
                .map(|l| {
                    if l.tag == "…" {
                        "@@ …".to_string()
                    } else {
                        format!("{} {}", l.tag, marked_plain(l).replace("```", "ʼʼʼ"))
                    }
                })
                .collect(),
        })
        .collect();
    let ctx = serde_json::json!({
        "report": json_value(r),
        "items": items,
        "threshold_line": threshold_line(r),
    });
    tmpl.render(minijinja::value::Serde(&ctx))
        .map_err(|e| e.to_string())
}
