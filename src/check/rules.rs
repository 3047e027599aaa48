//! The consistency rules of spec §D (D-3 … D-30 that need one revision).

use super::Ctx;

pub fn run(_ctx: &mut Ctx) {}

pub fn describe(_code: &str) -> &'static str {
    "pia の検査規則"
}
