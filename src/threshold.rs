//! しきい値判断 (spec §B): which assessment the 指針 obliges, from 対象人数, 取扱者数 and 重大事故.

use crate::form::Form;
use crate::model::{Handlers, PopAffair, ThresholdResult};

/// The obliged assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Obliged {
    /// 特定個人情報保護評価の実施が義務付けられない.
    None,
    /// 基礎項目評価.
    Basic,
    /// 基礎項目評価及び重点項目評価.
    BasicAndFocused,
    /// 基礎項目評価及び全項目評価.
    BasicAndFull,
}

impl Obliged {
    pub fn japanese(self) -> &'static str {
        match self {
            Obliged::None => "特定個人情報保護評価の実施は義務付けられません",
            Obliged::Basic => "基礎項目評価の実施が義務付けられます",
            Obliged::BasicAndFocused => "基礎項目評価及び重点項目評価の実施が義務付けられます",
            Obliged::BasicAndFull => "基礎項目評価及び全項目評価の実施が義務付けられます",
        }
    }
    /// The Ⅵ-1② option a 全項目評価書 must show for this result.
    pub fn result_option(self) -> ThresholdResult {
        match self {
            Obliged::BasicAndFull => ThresholdResult::Full,
            Obliged::BasicAndFocused => ThresholdResult::Focused,
            Obliged::Basic => ThresholdResult::Basic,
            Obliged::None => ThresholdResult::None,
        }
    }
}

/// The inputs of the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    pub population: PopAffair,
    pub handlers_ge_500: bool,
    pub incident_1y: bool,
}

/// The decision and its reason in Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub obliged: Obliged,
    pub reason: String,
}

/// Spec §B.2. The 1万人以上10万人未満 rows are the author's reading of the 指針 (UNVERIFIED).
/// `form` words the 対象人数 band in the reason.
pub fn decide(form: &Form, i: Inputs) -> Decision {
    use PopAffair::*;
    let pop = form.text(i.population);
    let handlers = if i.handlers_ge_500 {
        "取扱者数が500人以上"
    } else {
        "取扱者数が500人未満"
    };
    let incident = if i.incident_1y {
        "過去1年以内に特定個人情報に関する重大事故あり"
    } else {
        "過去1年以内の特定個人情報に関する重大事故なし"
    };
    let (obliged, reason) = match i.population {
        Lt1k => (
            Obliged::None,
            format!("対象人数が{pop}のため（取扱者数・重大事故にかかわらず）"),
        ),
        K1To10k => (
            Obliged::Basic,
            format!("対象人数が{pop}のため（取扱者数・重大事故にかかわらず）"),
        ),
        K10To100k if i.handlers_ge_500 || i.incident_1y => (
            Obliged::BasicAndFocused,
            format!(
                "対象人数が{pop}で、{}のため",
                if i.handlers_ge_500 {
                    handlers
                } else {
                    incident
                }
            ),
        ),
        K10To100k => (
            Obliged::Basic,
            format!("対象人数が{pop}で、{handlers}、かつ{incident}のため"),
        ),
        K100To300k if i.handlers_ge_500 || i.incident_1y => (
            Obliged::BasicAndFull,
            format!(
                "対象人数が{pop}で、{}のため",
                if i.handlers_ge_500 {
                    handlers
                } else {
                    incident
                }
            ),
        ),
        K100To300k => (
            Obliged::BasicAndFocused,
            format!("対象人数が{pop}で、{handlers}、かつ{incident}のため"),
        ),
        Ge300k => (
            Obliged::BasicAndFull,
            format!("対象人数が{pop}のため（取扱者数・重大事故にかかわらず）"),
        ),
    };
    Decision { obliged, reason }
}

/// The decision for an assessment's `[threshold]`, if it is filled in.
pub fn decide_for(form: &Form, t: &crate::model::Threshold) -> Option<Decision> {
    Some(decide(
        form,
        Inputs {
            population: t.population?,
            handlers_ge_500: t.handlers? == Handlers::Ge500,
            incident_1y: t.serious_incident_1y?,
        },
    ))
}

/// Band of a head count (for `pia threshold --population N`).
pub fn population_band(n: u64) -> PopAffair {
    match n {
        0..1_000 => PopAffair::Lt1k,
        1_000..10_000 => PopAffair::K1To10k,
        10_000..100_000 => PopAffair::K10To100k,
        100_000..300_000 => PopAffair::K100To300k,
        _ => PopAffair::Ge300k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PopAffair::*;

    fn d(p: PopAffair, h: bool, i: bool) -> Obliged {
        let form = crate::form::Catalog::builtin().default_form();
        decide(
            &form,
            Inputs {
                population: p,
                handlers_ge_500: h,
                incident_1y: i,
            },
        )
        .obliged
    }

    // One test per row of the §B.2 table.
    #[test]
    fn row_lt_1k_any() {
        for (h, i) in [(false, false), (true, true), (true, false), (false, true)] {
            assert_eq!(d(Lt1k, h, i), Obliged::None);
        }
    }
    #[test]
    fn row_1k_10k_any() {
        for (h, i) in [(false, false), (true, true)] {
            assert_eq!(d(K1To10k, h, i), Obliged::Basic);
        }
    }
    #[test]
    fn row_10k_100k_small_no_incident() {
        assert_eq!(d(K10To100k, false, false), Obliged::Basic);
    }
    #[test]
    fn row_10k_100k_handlers_500() {
        assert_eq!(d(K10To100k, true, false), Obliged::BasicAndFocused);
    }
    #[test]
    fn row_10k_100k_incident() {
        assert_eq!(d(K10To100k, false, true), Obliged::BasicAndFocused);
    }
    #[test]
    fn row_100k_300k_small_no_incident() {
        assert_eq!(d(K100To300k, false, false), Obliged::BasicAndFocused);
    }
    #[test]
    fn row_100k_300k_handlers_500() {
        assert_eq!(d(K100To300k, true, false), Obliged::BasicAndFull);
    }
    #[test]
    fn row_100k_300k_incident() {
        assert_eq!(d(K100To300k, false, true), Obliged::BasicAndFull);
    }
    #[test]
    fn row_ge_300k_any() {
        for (h, i) in [(false, false), (true, true)] {
            assert_eq!(d(Ge300k, h, i), Obliged::BasicAndFull);
        }
        assert_eq!(Obliged::BasicAndFull.result_option(), ThresholdResult::Full);
    }
    #[test]
    fn bands() {
        assert_eq!(population_band(999), Lt1k);
        assert_eq!(population_band(1000), K1To10k);
        assert_eq!(population_band(150_000), K100To300k);
        assert_eq!(population_band(300_000), Ge300k);
    }
}
