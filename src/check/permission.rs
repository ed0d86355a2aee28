//! 可: a permission. It is never violated and triggers nothing; it is kept
//! so that `lint`, `diff` and coverage see the article's rule.

use std::collections::BTreeMap;

use super::pattern::{AuditNeeds, CountedDeadline, LintFacts, PatternRule};
use super::{Ctx, Finding};
use crate::compile::ir::{CompiledRule, Ruleset};
use crate::generate::Gen;
use crate::syntax::ast::Verb;
use chrono::NaiveDate;

/// 可 …: no terms are checked.
#[derive(Debug, Clone, Default)]
pub struct PermissionRule;

impl PatternRule for PermissionRule {
    fn name(&self) -> &'static str {
        "许可"
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        Vec::new()
    }

    fn check(&self, _: &Ctx<'_>, _: &CompiledRule) -> Vec<Finding> {
        Vec::new()
    }

    fn audit_needs(&self, _: &CompiledRule) -> AuditNeeds<'_> {
        AuditNeeds::default()
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        None
    }

    fn diff_fields(&self, _: &Ruleset, _: &mut BTreeMap<&'static str, String>) {}

    fn lint_facts(&self) -> LintFacts<'_> {
        LintFacts::default()
    }

    fn generates_instances(&self) -> bool {
        false
    }

    fn generate(&self, _: &mut Gen<'_>, _: &CompiledRule, _: &str, _: NaiveDate, _: bool) -> usize {
        0
    }
}
