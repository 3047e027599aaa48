//! Printed text of item values and the line/character diff of long texts.
//!
//! Character marks are computed on grapheme clusters with `similar`, then widened to whole runs
//! of one script (kanji, hiragana, katakana, ASCII letters and digits) so that a changed word is
//! marked as a word: 「保守・点検」→「保守・点検・監視」 marks 「監視」, and 「第19条第7号」→
//! 「第19条第8号」 marks 「7」/「8」.

use std::ops::Range;

use serde::Serialize;
use serde_json::Value;
use similar::{Algorithm, DiffTag, capture_diff_slices, group_diff_ops};
use unicode_segmentation::UnicodeSegmentation;

use crate::form::{ChoiceSet, Form, Kind, Node};
use crate::model::Date;

/// A run of text, marked when it is the changed part of its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

/// One line of an excerpt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// "-" (old), "+" (new), " " (context) or "…" (lines left out).
    pub tag: &'static str,
    pub pieces: Vec<Piece>,
}

impl Line {
    fn plain(tag: &'static str, text: &str) -> Line {
        Line {
            tag,
            pieces: if text.is_empty() {
                Vec::new()
            } else {
                vec![Piece {
                    text: text.to_string(),
                    mark: false,
                }]
            },
        }
    }
    /// The line's text without marks.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// Lines of context shown around a changed line.
pub const CONTEXT: usize = 1;

/// Whether a value is "nothing written" (absent, blank text, no choice, empty list or table).
pub fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.iter().all(|x| is_empty(Some(x))),
        Some(Value::Object(m)) => m.values().all(|x| is_empty(Some(x))),
        Some(Value::Bool(_)) | Some(Value::Number(_)) => false,
    }
}

/// Whether two values are the same for the reader (an absent and a blank item are equal).
pub fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (is_empty(a), is_empty(b)) {
        (true, true) => true,
        (false, false) => a == b,
        _ => false,
    }
}

/// 和暦 as printed: 「令和7年6月1日」 (the form writes 「令和1年」, not 「令和元年」).
pub fn wareki(d: Date) -> String {
    crate::wareki::format(d)
}

fn date_text(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s
            .parse::<Date>()
            .map(wareki)
            .unwrap_or_else(|_| s.to_string()),
        None => String::new(),
    }
}

/// 「[ ○ ] その他 （ … ）」, 「[ ○ ] 提供を行っている （ 25 ） 件」, 「[ ] 紙」.
fn check_option(set: &ChoiceSet, text: &str, v: Option<&Value>) -> String {
    let opt = set.by_text(text);
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => format!("[ ] {text}"),
        Some(Value::String(s)) => format!("[ ○ ] {text} （ {s} ）"),
        Some(Value::Number(n)) => {
            let unit = opt.and_then(|o| o.unit.as_deref()).unwrap_or("");
            format!("[ ○ ] {text} （ {n} ） {unit}")
                .trim_end()
                .to_string()
        }
        Some(_) => format!("[ ○ ] {text}"),
    }
}

fn checked(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null) | Some(Value::Bool(false)))
}

/// The printed text of a value of this node.
pub fn render(form: &Form, node: &Node, v: Option<&Value>) -> String {
    let Some(v) = v.filter(|v| !is_empty(Some(v))) else {
        return String::new();
    };
    match node.k {
        Kind::Checks => {
            let Some(set) = form.options_of(node) else {
                return v.to_string();
            };
            set.options
                .iter()
                .filter(|o| checked(v.get(o.text.as_str())))
                .map(|o| check_option(set, &o.text, v.get(o.text.as_str())))
                .collect::<Vec<_>>()
                .join("　")
        }
        Kind::Check => {
            if v.as_bool() == Some(true) {
                format!("[ ○ ] {}", node.l)
            } else {
                format!("[ ] {}", node.l)
            }
        }
        Kind::Date => date_text(v),
        Kind::Period => {
            let start = v.get("start").map(date_text).unwrap_or_default();
            let end = v.get("end").map(date_text).unwrap_or_default();
            let days = match (
                v.get("start").and_then(Value::as_str),
                v.get("end").and_then(Value::as_str),
            ) {
                (Some(s), Some(e)) => match (s.parse::<Date>(), e.parse::<Date>()) {
                    (Ok(s), Ok(e)) if e >= s => format!("（計{}日間）", s.days_until(e) + 1),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            format!("{start}～{end}{days}")
        }
        Kind::List => v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Kind::Rows => v
            .as_array()
            .map(|rows| rows.iter().map(row_text).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default(),
        _ => match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

/// One table row as a line: cells separated by 「｜」.
pub fn row_text(row: &Value) -> String {
    row.as_array()
        .map(|cells| {
            cells
                .iter()
                .map(|c| c.as_str().unwrap_or_default().replace('\n', " "))
                .collect::<Vec<_>>()
                .join("｜")
        })
        .unwrap_or_default()
}

/// Before/after of a check-list, naming only the options whose state or text changed (as the
/// seed's 別添3 does): 「[ ] フラッシュメモリ」→「[ ○ ] フラッシュメモリ」.
pub fn render_checks_change(
    form: &Form,
    node: &Node,
    old: Option<&Value>,
    new: Option<&Value>,
) -> (String, String) {
    let Some(set) = form.options_of(node) else {
        return (render(form, node, old), render(form, node, new));
    };
    let mut before = Vec::new();
    let mut after = Vec::new();
    for o in &set.options {
        let a = old
            .and_then(|v| v.get(o.text.as_str()))
            .filter(|v| checked(Some(v)));
        let b = new
            .and_then(|v| v.get(o.text.as_str()))
            .filter(|v| checked(Some(v)));
        if a == b {
            continue;
        }
        before.push(check_option(set, &o.text, a));
        after.push(check_option(set, &o.text, b));
    }
    (before.join("　"), after.join("　"))
}

// ---------------------------------------------------------------- excerpts

fn split_lines(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Changed lines of `before` → `after` with [`CONTEXT`] lines around them; paired changed lines
/// carry character marks. Empty when nothing differs.
pub fn excerpt(before: &str, after: &str) -> Vec<Line> {
    let old = split_lines(before);
    let new = split_lines(after);
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    let groups = group_diff_ops(ops, CONTEXT);
    let mut out = Vec::new();
    let last_old = old.len();
    for (gi, group) in groups.iter().enumerate() {
        let first_old = group.first().map(|op| op.old_range().start).unwrap_or(0);
        if gi > 0 || first_old > 0 {
            out.push(Line::plain("…", ""));
        }
        for op in group {
            match op.tag() {
                DiffTag::Equal => {
                    for l in &old[op.old_range()] {
                        out.push(Line::plain(" ", l));
                    }
                }
                DiffTag::Delete => {
                    for l in &old[op.old_range()] {
                        out.push(Line::plain("-", l));
                    }
                }
                DiffTag::Insert => {
                    for l in &new[op.new_range()] {
                        out.push(Line::plain("+", l));
                    }
                }
                DiffTag::Replace => {
                    let o = &old[op.old_range()];
                    let n = &new[op.new_range()];
                    let mut minus = Vec::new();
                    let mut plus = Vec::new();
                    for (i, l) in o.iter().enumerate() {
                        match n.get(i) {
                            Some(r) => {
                                let (a, b) = inline_marks(l, r);
                                minus.push(Line {
                                    tag: "-",
                                    pieces: pieces(l, &a),
                                });
                                plus.push(Line {
                                    tag: "+",
                                    pieces: pieces(r, &b),
                                });
                            }
                            None => minus.push(Line::plain("-", l)),
                        }
                    }
                    for r in n.iter().skip(o.len()) {
                        plus.push(Line::plain("+", r));
                    }
                    out.extend(minus);
                    out.extend(plus);
                }
            }
        }
        let end_old = group.last().map(|op| op.old_range().end).unwrap_or(0);
        if gi + 1 == groups.len() && end_old < last_old {
            out.push(Line::plain("…", ""));
        }
    }
    out
}

/// The old and new lines of an excerpt only (no context), joined; for 別添3 cells.
pub fn changed_lines(lines: &[Line], tag: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut gap = false;
    for l in lines {
        if l.tag == tag {
            if gap && !out.is_empty() {
                out.push("…".to_string());
            }
            gap = false;
            out.push(l.text());
        } else if l.tag == " " || l.tag == "…" {
            gap = true;
        }
    }
    out.join("\n")
}

fn pieces(line: &str, marks: &[Range<usize>]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in marks {
        if r.start > at {
            out.push(Piece {
                text: line[at..r.start].to_string(),
                mark: false,
            });
        }
        if r.end > r.start {
            out.push(Piece {
                text: line[r.clone()].to_string(),
                mark: true,
            });
        }
        at = r.end;
    }
    if at < line.len() {
        out.push(Piece {
            text: line[at..].to_string(),
            mark: false,
        });
    }
    out
}

/// Script class used to widen marks to natural word boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Alnum,
    Other,
}

fn script(g: &str) -> Script {
    let Some(c) = g.chars().next() else {
        return Script::Other;
    };
    match c {
        '々'
        | '〆'
        | 'ヶ'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}' => Script::Kanji,
        '\u{3041}'..='\u{309F}' => Script::Hiragana,
        'ー' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
            Script::Katakana
        }
        'a'..='z' | 'A'..='Z' | '0'..='9' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' | '０'..='９' => {
            Script::Alnum
        }
        _ => Script::Other,
    }
}

/// Byte ranges of the changed parts of two lines, widened to whole script runs.
pub fn inline_marks(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let og: Vec<(usize, &str)> = old.grapheme_indices(true).collect();
    let ng: Vec<(usize, &str)> = new.grapheme_indices(true).collect();
    let ot: Vec<&str> = og.iter().map(|(_, g)| *g).collect();
    let nt: Vec<&str> = ng.iter().map(|(_, g)| *g).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &ot, &nt);
    let mut om = Vec::new();
    let mut nm = Vec::new();
    for op in &ops {
        let (tag, or, nr) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {}
            DiffTag::Delete => om.push(or),
            DiffTag::Insert => nm.push(nr),
            DiffTag::Replace => {
                om.push(or);
                nm.push(nr);
            }
        }
    }
    // A pure insertion leaves no mark on the other side: mark the run it was inserted into
    // there only when widening would otherwise lose the change entirely (not needed: the other
    // side simply shows no mark).
    (widen(&og, old.len(), om), widen(&ng, new.len(), nm))
}

/// Widens grapheme ranges to script runs and converts them to merged byte ranges.
fn widen(graphemes: &[(usize, &str)], len: usize, ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let byte = |i: usize| graphemes.get(i).map(|(b, _)| *b).unwrap_or(len);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        if r.is_empty() {
            continue;
        }
        let mut start = r.start;
        let first = script(graphemes[start].1);
        if first != Script::Other {
            while start > 0 && script(graphemes[start - 1].1) == first {
                start -= 1;
            }
        }
        let mut end = r.end;
        let last = script(graphemes[end - 1].1);
        if last != Script::Other {
            while end < graphemes.len() && script(graphemes[end].1) == last {
                end += 1;
            }
        }
        let br = byte(start)..byte(end);
        match out.last_mut() {
            Some(prev) if prev.end >= br.start => prev.end = prev.end.max(br.end),
            _ => out.push(br),
        }
    }
    out
}

/// Display width of a string on a terminal (East Asian wide characters count 2).
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0..=0x1F | 0x7F => 0,
            0xFF61..=0xFF9F => 1,
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(line: &Line) -> String {
        line.pieces
            .iter()
            .map(|p| {
                if p.mark {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn marks_widen_to_script_runs() {
        let lines = excerpt("番号法 第19条第7号による", "番号法 第19条第8号による");
        let got: Vec<String> = lines
            .iter()
            .map(|l| format!("{}{}", l.tag, marked(l)))
            .collect();
        assert_eq!(
            got,
            vec!["-番号法 第19条第[7]号による", "+番号法 第19条第[8]号による"]
        );
        let lines = excerpt("保守・点検を行う", "保守・監視を行う");
        let got: Vec<String> = lines
            .iter()
            .map(|l| format!("{}{}", l.tag, marked(l)))
            .collect();
        assert_eq!(got, vec!["-保守・[点検]を行う", "+保守・[監視]を行う"]);
        let lines = excerpt("ファイルをコピーする", "ファイルをメールする");
        assert_eq!(marked(&lines[1]), "ファイルを[メール]する");
    }

    #[test]
    fn context_and_gaps() {
        let old = "a\nb\nc\nd\ne\nf";
        let new = "a\nb\nc\nD\ne\nf";
        let lines = excerpt(old, new);
        let tags: Vec<&str> = lines.iter().map(|l| l.tag).collect();
        assert_eq!(tags, vec!["…", " ", "-", "+", " ", "…"]);
        assert_eq!(changed_lines(&lines, "-"), "d");
        assert_eq!(changed_lines(&lines, "+"), "D");
    }

    #[test]
    fn wareki_dates() {
        assert_eq!(wareki(Date::new(2025, 6, 1).unwrap()), "令和7年6月1日");
        assert_eq!(wareki(Date::new(2019, 6, 3).unwrap()), "令和1年6月3日");
        assert_eq!(wareki(Date::new(2016, 10, 3).unwrap()), "平成28年10月3日");
    }
}
