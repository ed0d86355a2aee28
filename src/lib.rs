//! guize (规则): rules-as-code for the procedural rules of Chinese local
//! governments. Pipeline: `syntax::parse` → `compile` → `check`.

pub mod calendar;
pub mod diag;
pub mod syntax;
