//! `pia`: 特定個人情報保護評価書（全項目評価書・様式4） as code.
//!
//! Data flows one way: [`load`] (TOML → [`load::Loaded`]: the document's [`form`], the typed
//! [`model::Assessment`] and the [`source::Sources`] with every span) → `check` (diagnostics) /
//! `render` (presentation → typst → PDF) / `diff` (two documents → changes → 別添3 rows). The 様式
//! — labels, ※ marks, 選択肢, numbering, conditions — is data: a form folder each document carries.
//! `tests/architecture.rs` keeps the import graph free of cycles; `docs/architecture.md` draws it.

pub mod basic_report;
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
pub mod personal;
pub mod provider;
#[cfg(feature = "render")]
pub mod release;
#[cfg(feature = "render")]
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
