//! 和暦 for the renderer: the one converter of `pia` ([`crate::wareki`]).

pub use crate::wareki::{format, period};
