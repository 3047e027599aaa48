//! What looks like personal data in a text: a 12-digit run that passes the 個人番号 check digit,
//! or the 基礎年金番号 shape, in half- or full-width digits with the usual separators between
//! groups. One scanner ([`find`]) serves the rule that reports such data (PIA-W310/W311) and
//! the masking of every output ([`redact`]), so no code path prints the digits. A leaf module:
//! diagnostics and reports depend on it, it depends on nothing of `pia`.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

/// What the scanner found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 12 digits whose last digit is the 個人番号 check digit.
    MyNumber,
    /// The 基礎年金番号 shape: 4 digits, a separator, 6 digits.
    Pension,
}

impl Kind {
    /// How messages name it.
    pub fn japanese(self) -> &'static str {
        match self {
            Kind::MyNumber => "個人番号（検査用数字が一致する12桁の数字）",
            Kind::Pension => "基礎年金番号の形式の番号",
        }
    }
    /// What replaces it in output.
    pub fn mask(self) -> &'static str {
        match self {
            Kind::MyNumber => MY_NUMBER_MASK,
            Kind::Pension => PENSION_MASK,
        }
    }
}

/// Replaces a 個人番号 in every output.
pub const MY_NUMBER_MASK: &str = "＊＊＊＊＊＊＊＊＊＊＊＊";
/// Replaces a number of the 基礎年金番号 shape in every output.
pub const PENSION_MASK: &str = "＊＊＊＊＊＊＊＊＊＊";

/// One number found in a text: its byte range (first to last digit) and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub range: Range<usize>,
    pub kind: Kind,
}

/// Longest run of separator characters still read as "between two digit groups" (「 - 」,
/// 「\r\n」 and a line break followed by an indent count; a blank paragraph does not).
const MAX_SEPARATOR_CHARS: usize = 4;

/// Value of a half- or full-width decimal digit.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// Characters people put between the digit groups of a number: hyphens and dashes of every kind
/// (including 「ー」 and 「−」), spaces of every width (also non-breaking and zero-width), tabs and
/// line breaks.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        // hyphens, dashes, minus signs, prolonged sound marks
        '-' | '\u{00AD}' | '\u{02D7}' | '\u{2010}'..='\u{2015}' | '\u{2043}' | '\u{2212}'
            | '\u{2E3A}' | '\u{2E3B}' | '\u{30FC}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
            | '\u{FF70}' | '\u{2500}' | '\u{2501}'
            // spaces and invisible separators
            | ' ' | '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200D}' | '\u{202F}' | '\u{205F}'
            | '\u{2060}' | '\u{3000}' | '\u{FEFF}'
            // tabs and line breaks
            | '\t' | '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// A maximal run of digits.
struct Group {
    range: Range<usize>,
    /// Index of its first digit in [`Sequence::digits`].
    first: usize,
    len: usize,
}

/// Digit groups joined by short runs of separators.
#[derive(Default)]
struct Sequence {
    groups: Vec<Group>,
    digits: Vec<u8>,
}

impl Sequence {
    fn push_digit(&mut self, at: usize, c: char, d: u8, new_group: bool) {
        if new_group || self.groups.is_empty() {
            self.groups.push(Group {
                range: at..at,
                first: self.digits.len(),
                len: 0,
            });
        }
        let g = self.groups.last_mut().expect("a group was pushed");
        g.range.end = at + c.len_utf8();
        g.len += 1;
        self.digits.push(d);
    }

    /// Evaluates the sequence and empties it.
    ///
    /// First a group of exactly 12 digits, or three groups of 4 (「1234 5678 9018」, also inside
    /// a longer sequence), whose check digit matches. The stretches between those are then read
    /// as a whole, exactly as they read once the numbers found are masked: 12 digits in any
    /// grouping with a matching check digit (「123-456-789-018」), or the 基礎年金番号 shape 4-6.
    /// So [`redact`] leaves nothing that [`find`] would report.
    fn flush(&mut self, out: &mut Vec<Match>) {
        let groups = std::mem::take(&mut self.groups);
        let digits = std::mem::take(&mut self.digits);
        if groups.is_empty() {
            return;
        }
        let my_number = |first: usize| check_digit_ok(&digits[first..first + 12]);
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < groups.len() {
            let g = &groups[i];
            if g.len == 12 && my_number(g.first) {
                found.push((i, i + 1));
            } else if i + 2 < groups.len()
                && g.len == 4
                && groups[i + 1].len == 4
                && groups[i + 2].len == 4
                && my_number(g.first)
            {
                found.push((i, i + 3));
                i += 3;
                continue;
            }
            i += 1;
        }
        let mut stretch_start = 0;
        for (a, b) in found.iter().copied().chain([(groups.len(), groups.len())]) {
            let stretch = &groups[stretch_start..a];
            if let (Some(first), Some(last)) = (stretch.first(), stretch.last()) {
                let count: usize = stretch.iter().map(|g| g.len).sum();
                let range = first.range.start..last.range.end;
                if count == 12 && stretch.len() > 1 && my_number(first.first) {
                    out.push(Match {
                        range,
                        kind: Kind::MyNumber,
                    });
                } else if stretch.len() == 2 && first.len == 4 && last.len == 6 {
                    out.push(Match {
                        range,
                        kind: Kind::Pension,
                    });
                }
            }
            if a < groups.len() {
                out.push(Match {
                    range: groups[a].range.start..groups[b - 1].range.end,
                    kind: Kind::MyNumber,
                });
            }
            stretch_start = b;
        }
    }
}

/// Every 個人番号 and 基礎年金番号-shaped number in a text, in order, not overlapping. Linear
/// in the length of the text.
pub fn find(s: &str) -> Vec<Match> {
    let mut out = Vec::new();
    let mut seq = Sequence::default();
    // Separator characters seen since the last digit (None: no digit yet in this sequence).
    let mut gap: Option<usize> = None;
    for (at, c) in s.char_indices() {
        if let Some(d) = digit(c) {
            let new_group = gap.is_some_and(|n| n > 0);
            seq.push_digit(at, c, d, new_group);
            gap = Some(0);
        } else if is_separator(c) && gap.is_some() {
            let n = gap.unwrap_or(0) + 1;
            if n > MAX_SEPARATOR_CHARS {
                seq.flush(&mut out);
                gap = None;
            } else {
                gap = Some(n);
            }
        } else {
            seq.flush(&mut out);
            gap = None;
        }
    }
    seq.flush(&mut out);
    out
}

/// The text with every number [`find`] reports replaced by a fixed mask; borrowed when there is
/// nothing to hide.
pub fn redact(s: &str) -> Cow<'_, str> {
    let found = find(s);
    if found.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for m in found {
        out.push_str(&s[at..m.range.start]);
        out.push_str(m.kind.mask());
        at = m.range.end;
    }
    out.push_str(&s[at..]);
    Cow::Owned(out)
}

/// The text with every digit inside a found number replaced by 「＊」 and everything else kept
/// (line breaks and columns stay where they were): for source lines shown with a marker.
pub fn mask_digits(s: &str, found: &[Match]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut next = found.iter().peekable();
    for (at, c) in s.char_indices() {
        while next.peek().is_some_and(|m| m.range.end <= at) {
            next.next();
        }
        let inside = next.peek().is_some_and(|m| m.range.start <= at);
        if inside && digit(c).is_some() {
            out.push('＊');
        } else {
            out.push(c);
        }
    }
    out
}

/// [`mask_digits`] with `found`, then again with whatever the masked text still shows, until
/// nothing is left (for a window cut out of a longer text, whose ends may have cut a number).
pub fn mask_all(s: &str, found: &[Match]) -> String {
    let mut out = mask_digits(s, found);
    loop {
        let more = find(&out);
        if more.is_empty() {
            return out;
        }
        out = mask_digits(&out, &more);
    }
}

/// A 12-digit number (plain, 4-4-4, or 12 digits with separators) whose last digit is the
/// 個人番号 check digit.
pub fn contains_my_number(s: &str) -> bool {
    find(s).iter().any(|m| m.kind == Kind::MyNumber)
}

/// 基礎年金番号: 4 digits, a separator, 6 digits.
pub fn contains_pension_number(s: &str) -> bool {
    find(s).iter().any(|m| m.kind == Kind::Pension)
}

/// Check digit of the 個人番号 (番号法施行令 / 総務省令: weights 2–7, 2–6 from the right).
pub fn is_valid_my_number(digits: &str) -> bool {
    let d: Vec<u8> = digits.chars().filter_map(digit).collect();
    d.len() == 12 && check_digit_ok(&d)
}

fn check_digit_ok(d: &[u8]) -> bool {
    if d.len() != 12 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = (1..=11)
        .map(|n| {
            let p = u32::from(d[11 - n]);
            let q = if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
            p * q
        })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == u32::from(d[11])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 123456789018: Σ P×Q = 212, 212 mod 11 = 3 → check digit 11 − 3 = 8.
    const N: &str = "123456789018";

    #[test]
    fn check_digit() {
        assert!(is_valid_my_number(N));
        assert!(!is_valid_my_number("123456789013"));
        assert!(contains_my_number("番号は１２３４５６７８９０１８です"));
        assert!(contains_my_number("1234 5678 9018"));
        assert!(!contains_my_number("1234567890185")); // 13 digits (法人番号 length)
        assert!(!contains_my_number("令和7年6月1日"));
        assert!(!contains_my_number("000000000000"));
        assert!(contains_pension_number("基礎年金番号 1234-567890"));
        assert!(!contains_pension_number("電話 03-1234-5678"));
    }

    #[test]
    fn separators() {
        for sep in [
            "-", "ー", "−", "－", "‐", "–", "—", "―", "ｰ", " ", "\u{00A0}", "　", "\t", "\n",
            "\r\n", " - ", "\u{200B}", "\n　",
        ] {
            let s = format!("番号{}{sep}{}{sep}{}です", &N[..4], &N[4..8], &N[8..]);
            let found = find(&s);
            assert_eq!(found.len(), 1, "{sep:?}");
            assert_eq!(found[0].kind, Kind::MyNumber);
            assert_eq!(redact(&s), "番号＊＊＊＊＊＊＊＊＊＊＊＊です", "{sep:?}");
        }
        // Other groupings of exactly 12 digits.
        assert!(contains_my_number("123-456-789-018"));
        // 4-4-4 inside a longer sequence.
        assert_eq!(
            redact("No. 1 1234 5678 9018"),
            "No. 1 ＊＊＊＊＊＊＊＊＊＊＊＊"
        );
        // A paragraph break is not a separator.
        assert!(!contains_my_number("1234\n\n\n\n\n5678 9018"));
        assert_eq!(
            redact("基礎年金番号は1234ー567890"),
            "基礎年金番号は＊＊＊＊＊＊＊＊＊＊"
        );
    }

    #[test]
    fn mask_keeps_columns() {
        let s = format!("a = \"{}\n{}\"", &N[..6], &N[6..]);
        let found = find(&s);
        let masked = mask_digits(&s, &found);
        assert_eq!(masked, "a = \"＊＊＊＊＊＊\n＊＊＊＊＊＊\"");
        assert_eq!(masked.chars().count(), s.chars().count());
    }

    #[test]
    fn redact_is_final() {
        for s in [
            format!("1234 567890 {N}"),
            format!("{} {} {} 123456 789018", &N[..4], &N[4..8], &N[8..]),
            format!("1 {N} 2"),
            "1234-567890-1234-567890".to_string(),
        ] {
            let r = redact(&s);
            assert!(find(&r).is_empty(), "{s} → {r}");
        }
        assert_eq!(
            redact(&format!("1234 567890 {N}")),
            format!("{PENSION_MASK} {MY_NUMBER_MASK}")
        );
    }

    #[test]
    fn redact_leaves_other_text() {
        assert!(matches!(redact("第19条第7号"), Cow::Borrowed(_)));
        let twice = redact(&format!("{N} と {N}")).into_owned();
        assert_eq!(twice, format!("{MY_NUMBER_MASK} と {MY_NUMBER_MASK}"));
        assert!(find(&twice).is_empty());
    }
}
