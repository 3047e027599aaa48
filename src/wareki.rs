//! 和暦 (Japanese era) dates as the published 評価書 write them: 「令和7年6月1日」, 「令和1年6月3日」
//! (the first year is written 1, never 元年), 「平成28年10月3日」. Digits are half-width, no padding.
//! The one converter of `pia`: the renderer, the checker's messages and the diff all call it.

use crate::model::{Date, Period};

/// Eras from the newest back: (name, first day (y, m, d)) in the Gregorian calendar.
pub const ERAS: &[(&str, (i16, i8, i8))] = &[
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
    ("大正", (1912, 7, 30)),
    ("明治", (1868, 1, 25)),
];

/// The era and the year in it, or `None` before 明治.
pub fn era(date: Date) -> Option<(&'static str, i16)> {
    let key = (date.year(), date.month(), date.day());
    ERAS.iter()
        .find(|(_, start)| key >= *start)
        .map(|(name, start)| (*name, date.year() - start.0 + 1))
}

/// 「令和7年6月1日」. Dates before 明治 are written in the Western calendar (「1867年1月1日」).
pub fn format(date: Date) -> String {
    match era(date) {
        Some((name, year)) => format!("{name}{year}年{}月{}日", date.month(), date.day()),
        None => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
    }
}

/// 「令和5年12月15日～令和6年1月14日（計31日間）」; one side missing prints what is known.
pub fn period(p: &Period) -> String {
    match (p.start, p.end) {
        (None, None) => String::new(),
        (Some(s), None) => format!("{}～", format(s)),
        (None, Some(e)) => format!("～{}", format(e)),
        (Some(s), Some(e)) => match p.days() {
            Some(n) => format!("{}～{}（計{n}日間）", format(s), format(e)),
            None => format!("{}～{}", format(s), format(e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn every_era_boundary() {
        // The last day of each era and the first day of the next.
        assert_eq!(format(d(1868, 1, 24)), "1868年1月24日");
        assert_eq!(format(d(1868, 1, 25)), "明治1年1月25日");
        assert_eq!(format(d(1912, 7, 29)), "明治45年7月29日");
        assert_eq!(format(d(1912, 7, 30)), "大正1年7月30日");
        assert_eq!(format(d(1926, 12, 24)), "大正15年12月24日");
        assert_eq!(format(d(1926, 12, 25)), "昭和1年12月25日");
        assert_eq!(format(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(format(d(1989, 1, 8)), "平成1年1月8日");
        assert_eq!(format(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(format(d(2019, 5, 1)), "令和1年5月1日");
    }

    #[test]
    fn first_and_second_years() {
        assert_eq!(format(d(1868, 12, 31)), "明治1年12月31日");
        assert_eq!(format(d(1869, 1, 1)), "明治2年1月1日");
        assert_eq!(format(d(1912, 12, 31)), "大正1年12月31日");
        assert_eq!(format(d(1913, 1, 1)), "大正2年1月1日");
        assert_eq!(format(d(1926, 12, 31)), "昭和1年12月31日");
        assert_eq!(format(d(1927, 1, 1)), "昭和2年1月1日");
        assert_eq!(format(d(1989, 12, 31)), "平成1年12月31日");
        assert_eq!(format(d(1990, 1, 1)), "平成2年1月1日");
        assert_eq!(format(d(2019, 12, 31)), "令和1年12月31日");
        assert_eq!(format(d(2020, 1, 1)), "令和2年1月1日");
    }

    #[test]
    fn no_negative_or_zero_years() {
        // The old converters printed 「昭和-1925年」 and 「昭和0年」 for early dates.
        for (y, m, day) in [
            (1, 1, 1),
            (1800, 6, 15),
            (1925, 1, 1),
            (1926, 1, 1),
            (1900, 2, 28),
        ] {
            let s = format(d(y, m, day));
            assert!(!s.contains('-'), "{s}");
            assert!(
                ERAS.iter().all(|(e, _)| !s.contains(&format!("{e}0年"))),
                "{s}"
            );
        }
        assert_eq!(format(d(1925, 1, 1)), "大正14年1月1日");
        assert_eq!(format(d(1900, 2, 28)), "明治33年2月28日");
        assert_eq!(format(d(1800, 6, 15)), "1800年6月15日");
        assert_eq!(era(d(1867, 12, 31)), None);
    }

    #[test]
    fn seed_dates() {
        assert_eq!(format(d(2025, 6, 1)), "令和7年6月1日");
        assert_eq!(format(d(2016, 10, 3)), "平成28年10月3日");
        assert_eq!(format(d(2024, 1, 31)), "令和6年1月31日");
        assert_eq!(format(d(2019, 6, 3)), "令和1年6月3日");
    }

    #[test]
    fn periods() {
        let p = Period {
            start: Some(d(2023, 12, 15)),
            end: Some(d(2024, 1, 14)),
        };
        assert_eq!(period(&p), "令和5年12月15日～令和6年1月14日（計31日間）");
        assert_eq!(period(&Period::default()), "");
        let half = Period {
            start: Some(d(2023, 12, 15)),
            end: None,
        };
        assert_eq!(period(&half), "令和5年12月15日～");
    }
}
