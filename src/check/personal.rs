//! Accidental personal data: a published 評価書 must never carry a real 個人番号 or similar
//! identifier. Messages never print the matched digits.

use serde_json::Value;

use super::Ctx;
use crate::path::join_key;

pub fn run(ctx: &mut Ctx) {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    walk(&ctx.json, "", &mut found);
    for (path, kind) in found {
        let item = ctx.item(&path);
        let (code, what) = match kind {
            "mynumber" => ("PIA-W310", "個人番号（検査用数字が一致する12桁の数字）"),
            _ => ("PIA-W311", "基礎年金番号の形式の番号"),
        };
        ctx.report(
            code,
            &path,
            format!("「{item}」に{what}と思われる記載があります"),
            "公表される評価書に実在の個人の番号を載せてはいけません。架空の例示であれば「0000…」のように明らかに架空と分かる表記にしてください（該当箇所は表示しません）。",
        );
        // The source line would show the digits: keep it out of the output.
        if let Some(d) = ctx.out.last_mut() {
            d.hide_source = true;
        }
    }
}

fn walk(v: &Value, path: &str, out: &mut Vec<(String, &'static str)>) {
    match v {
        Value::String(s) => {
            if contains_my_number(s) {
                out.push((path.to_string(), "mynumber"));
            } else if contains_pension_number(s) {
                out.push((path.to_string(), "pension"));
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                walk(x, &join_key(path, k), out);
            }
        }
        _ => {}
    }
}

/// Digits of a text with full-width digits folded; separators (space, hyphen) inside a number
/// are kept as boundaries of digit groups.
fn digit_runs(s: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    let mut pending_sep = false;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        };
        match d {
            Some(d) => {
                if pending_sep {
                    cur.push('-');
                    pending_sep = false;
                }
                cur.push(d);
            }
            None if matches!(c, ' ' | '-' | '－' | '‐' | '　')
                && !cur.is_empty()
                && !pending_sep =>
            {
                pending_sep = true
            }
            None => {
                if !cur.is_empty() {
                    runs.push(std::mem::take(&mut cur));
                }
                pending_sep = false;
            }
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

/// A 12-digit number (written plain or as 4-4-4) whose last digit is the 個人番号 check digit.
pub fn contains_my_number(s: &str) -> bool {
    digit_runs(s).iter().any(|run| {
        let groups: Vec<&str> = run.split('-').collect();
        let digits: String = groups.concat();
        let shape_ok =
            groups.len() == 1 || groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [4, 4, 4];
        shape_ok && digits.len() == 12 && is_valid_my_number(&digits)
    })
}

/// Check digit of the 個人番号 (番号法施行令 / 総務省令: weights 2–7, 2–6 from the right).
pub fn is_valid_my_number(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 12 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = (1..=11)
        .map(|n| {
            let p = d[11 - n];
            let q = if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
            p * q
        })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == d[11]
}

/// 基礎年金番号: 4 digits, hyphen, 6 digits.
pub fn contains_pension_number(s: &str) -> bool {
    digit_runs(s).iter().any(|run| {
        let groups: Vec<&str> = run.split('-').collect();
        groups.len() == 2 && groups[0].len() == 4 && groups[1].len() == 6
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit() {
        // 12345678901: Σ P×Q = 212, 212 mod 11 = 3 → check digit 11 − 3 = 8.
        assert!(is_valid_my_number("123456789018"));
        assert!(!is_valid_my_number("123456789013"));
        assert!(contains_my_number("番号は１２３４５６７８９０１８です"));
        assert!(contains_my_number("1234 5678 9018"));
        assert!(!contains_my_number("1234567890135")); // 13 digits (法人番号 length)
        assert!(!contains_my_number("令和7年6月1日"));
        assert!(!contains_my_number("000000000000"));
        assert!(contains_pension_number("基礎年金番号 1234-567890"));
        assert!(!contains_pension_number("電話 03-1234-5678"));
    }
}
