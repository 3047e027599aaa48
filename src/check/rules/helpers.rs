//! Small helpers shared by the rules.

use serde_json::Value;

use crate::check::{Ctx, lookup};
use crate::model::*;

/// Concrete paths of the filled leaves of file `i` whose pattern starts with `prefix`.
pub fn filled_leaves(ctx: &Ctx, prefix: &str, i: usize, exclude: &[&str]) -> Vec<String> {
    ctx.form
        .nodes
        .iter()
        .filter(|n| {
            n.k.is_leaf()
                && n.p.starts_with(prefix)
                && !exclude.contains(&n.p.as_str())
                && !n.p["files[]".len()..].contains("[]")
        })
        .map(|n| n.p.replacen("files[]", &format!("files[{i}]"), 1))
        .filter(|p| ctx.filled(p))
        .collect()
}

/// The text at a path ("" when absent or not text).
pub fn lookup_str(ctx: &Ctx, path: &str) -> String {
    lookup(&ctx.json, path)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// 「なし」 and its variants.
pub fn is_nashi(s: &str) -> bool {
    let t = squash(s);
    let t = t.trim_end_matches(['。', '.']);
    matches!(
        t,
        "なし" | "無し" | "特になし" | "特に無し" | "―" | "－" | "-" | "ー"
    )
}

/// Removes every kind of white space (full-width included).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Full-width digits to ASCII.
pub fn to_ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// [lower, upper) of a 事務 band.
pub fn pop_affair_range(p: PopAffair) -> (u64, Option<u64>) {
    match p {
        PopAffair::Lt1k => (0, Some(1_000)),
        PopAffair::K1To10k => (1_000, Some(10_000)),
        PopAffair::K10To100k => (10_000, Some(100_000)),
        PopAffair::K100To300k => (100_000, Some(300_000)),
        PopAffair::Ge300k => (300_000, None),
    }
}

/// [lower, upper) of a file band.
pub fn pop_file_range(p: PopFile) -> (u64, Option<u64>) {
    match p {
        PopFile::Lt10k => (0, Some(10_000)),
        PopFile::K10To100k => (10_000, Some(100_000)),
        PopFile::K100To1m => (100_000, Some(1_000_000)),
        PopFile::M1To10m => (1_000_000, Some(10_000_000)),
        PopFile::Ge10m => (10_000_000, None),
    }
}

/// [lower, upper) of a staff band.
pub fn staff_range(s: Staff) -> (u64, Option<u64>) {
    match s {
        Staff::Lt10 => (0, Some(10)),
        Staff::P10To50 => (10, Some(50)),
        Staff::P50To100 => (50, Some(100)),
        Staff::P100To500 => (100, Some(500)),
        Staff::P500To1000 => (500, Some(1_000)),
        Staff::Ge1000 => (1_000, None),
    }
}

/// A date in 和暦 as the form prints it: 「令和7年6月1日」 (元年 printed as 1年).
pub fn wareki(d: Date) -> String {
    crate::wareki::format(d)
}

/// The printed item of a date, naming the end of a period (「…②実施日・期間の終了日」).
pub fn date_item(ctx: &Ctx, path: &str) -> String {
    let item = ctx.item(path);
    match path.rsplit('.').next() {
        Some("start") => format!("{item}の開始日"),
        Some("end") => format!("{item}の終了日"),
        _ => item,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wareki_dates() {
        assert_eq!(wareki(Date::new(2025, 6, 1).unwrap()), "令和7年6月1日");
        assert_eq!(wareki(Date::new(2019, 6, 3).unwrap()), "令和1年6月3日");
        assert_eq!(wareki(Date::new(2016, 10, 3).unwrap()), "平成28年10月3日");
    }

    #[test]
    fn nashi() {
        assert!(is_nashi("なし"));
        assert!(is_nashi(" なし。"));
        assert!(!is_nashi("なし崩し"));
    }
}
