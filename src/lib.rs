//! `pia`: 特定個人情報保護評価書（全項目評価書・様式4） as code.
//!
//! Data flows one way: [`load`] (TOML → [`model::Assessment`] with [`source::Sources`]) →
//! `check` (model → diagnostics) → `render` (model → PDF) and `diff` (two models → changes →
//! 別添3 rows). The form's labels, ※ marks and 選択肢 are data ([`form`]).

pub mod check;
pub mod diag;
pub mod diff;
pub mod figure;
pub mod form;
pub mod guard;
pub mod init;
pub mod limits;
pub mod load;
pub mod model;
pub mod path;
pub mod provider;
pub mod release;
pub mod render;
pub mod report;
pub mod review;
pub mod schema;
pub mod source;
pub mod stage;
pub mod status;
pub mod threshold;
pub mod wareki;
pub mod write;
