//! What a pattern is to every tool: one trait, implemented once per pattern
//! module (响应 `response`, 先行 `precedence`, 权限 `authority`, 频次
//! `frequency`, 人数 `quorum`, 禁止 `prohibition`, 可 `permission`), each
//! for its own rule type, the data of one [`RuleKind`] variant.
//! [`RuleKind::pattern`] is the one dispatch: an exhaustive match, so a new
//! variant does not compile until it names its module.
//!
//! A new pattern provides (see docs/patterns.md):
//! - the grammar and the compiler's arm building its rule type;
//! - one module with the rule type, its typed reason (rendered by its
//!   `Display`, called only from
//!   [`Finding::explanation`](super::Finding::explanation)) and this trait;
//! - here: a variant of [`RuleKind`] and its arm in [`RuleKind::pattern`],
//!   and a variant of [`PatternFacts`] and its arm in its `Display`.
//!
//! Left out of the trait because no pattern has content of its own there:
//! the renderers (human, JSON, JUnit, HTML) show any finding alike (each
//! reason renders itself); the pairwise contradictions of `lint` are
//! relations between two patterns and stay in `lint.rs`; the audit's
//! streaming of 频次 periods is the audit's, given the terms by
//! [`AuditNeeds::per_period`].

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde_json::Value;

use super::{Ctx, Finding, authority, frequency, precedence, prohibition, quorum, response};
use crate::compile::ir::{
    Actor, AuthorityRule, CompiledRule, Deadline, FrequencyRule, Pattern, PermissionRule,
    PrecedenceRule, ProhibitionRule, QuorumRule, ResponseRule, Ruleset, Scope,
};
use crate::generate::{Gen, Made, Slots};
use crate::syntax::ast::{TimeUnit, Verb};

/// One pattern's part in every tool.
pub trait PatternRule {
    /// The pattern name of DESIGN §3 (响应 …) as findings show it.
    fn name(&self) -> &'static str;

    /// Event kinds that can trigger a finding of the rule.
    fn trigger_verbs(&self) -> Vec<Verb>;

    /// Every finding of the rule in the scenario (or the audit's window).
    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding>;

    /// What the streaming audit must keep in view for the rule.
    fn audit_needs(&self, rule: &CompiledRule) -> AuditNeeds<'_>;

    /// The deadline a finding's date was counted with, which `:why` and
    /// the HTML timeline recount day by day.
    fn counted_deadline(&self) -> Option<CountedDeadline>;

    /// The rule's terms by name, compared field by field by `diff`.
    fn diff_fields(&self, rs: &Ruleset, out: &mut BTreeMap<&'static str, String>);

    /// What `lint` reads of the rule.
    fn lint_facts(&self) -> LintFacts<'_>;

    /// `gen`: does the generator pick the rule for instances of its own?
    fn generates_instances(&self) -> bool;

    /// `gen`: one instance of the rule about `object` from `d` (breached
    /// when `faulty`); the events made.
    fn generate(
        &self,
        g: &mut Gen<'_>,
        rule: &CompiledRule,
        object: &str,
        d: NaiveDate,
        faulty: bool,
    ) -> usize;

    /// `gen`, optional: meet the rule on time for an event made for
    /// another rule, when the event falls under it; the events made.
    fn meet(&self, _g: &mut Gen<'_>, _made: &Made<'_>) -> usize {
        0
    }

    /// `gen`, optional: the lead the rule needs before an event like `t`.
    fn lead(&self, _g: &Gen<'_>, _t: &Value) -> Option<Deadline> {
        None
    }

    /// `gen`, optional: on day `d` (of the log's `days`), the events the
    /// rule asks of a period starting then.
    fn periodic(&self, _g: &mut Gen<'_>, _d: NaiveDate, _days: &[NaiveDate]) -> usize {
        0
    }

    /// `gen`, optional: narrow who may fill the slots of the event `ev`.
    fn allow(&self, _g: &Gen<'_>, _ev: &Value, _allowed: &mut Slots) {}
}

/// A rule's pattern and its terms: each variant's data is the rule type
/// of its pattern module, which implements [`PatternRule`] (dispatch:
/// [`RuleKind::pattern`]).
#[derive(Debug, Clone)]
pub enum RuleKind {
    Response(ResponseRule),
    Precedence(PrecedenceRule),
    Authority(AuthorityRule),
    Frequency(FrequencyRule),
    Quorum(QuorumRule),
    Prohibition(ProhibitionRule),
    /// 可: a permission, never violated.
    Permission(PermissionRule),
}

/// What a pattern's checker found ([`Reason::Pattern`](super::Reason)):
/// each pattern's own typed reason, defined in its module and put into
/// words by its `Display`, called only from
/// [`Finding::explanation`](super::Finding::explanation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternFacts {
    /// 权限 undecidable (held and not held are [`Reason::Authorised`](super::Reason) and
    /// [`Reason::Unauthorised`](super::Reason)).
    AuthorityUndecided(Box<authority::Undecided>),
    Response(Box<response::Answer>),
    Precedence(Box<precedence::Precedents>),
    Frequency(frequency::Count),
    Quorum(quorum::Attendance),
    Prohibition(prohibition::Circumstances),
}

impl fmt::Display for PatternFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternFacts::AuthorityUndecided(x) => x.fmt(f),
            PatternFacts::Response(x) => x.fmt(f),
            PatternFacts::Precedence(x) => x.fmt(f),
            PatternFacts::Frequency(x) => x.fmt(f),
            PatternFacts::Quorum(x) => x.fmt(f),
            PatternFacts::Prohibition(x) => x.fmt(f),
        }
    }
}

impl RuleKind {
    /// The rule's pattern: the one match on the kinds of rule.
    pub fn pattern(&self) -> &dyn PatternRule {
        match self {
            RuleKind::Response(r) => r,
            RuleKind::Precedence(r) => r,
            RuleKind::Authority(r) => r,
            RuleKind::Frequency(r) => r,
            RuleKind::Quorum(r) => r,
            RuleKind::Prohibition(r) => r,
            RuleKind::Permission(r) => r,
        }
    }

    /// The scope of the events that trigger the rule, for the patterns
    /// judging one event at a time (a 频次 or 人数 rule counts, a 可 rule
    /// never finds fault).
    pub fn trigger_scope_mut(&mut self) -> Option<&mut Scope> {
        match self {
            RuleKind::Response(r) => Some(&mut r.trigger.scope),
            RuleKind::Precedence(r) => Some(&mut r.trigger.scope),
            RuleKind::Authority(r) => Some(&mut r.scope),
            RuleKind::Prohibition(r) => Some(&mut r.pattern.scope),
            RuleKind::Frequency(_) | RuleKind::Quorum(_) | RuleKind::Permission(_) => None,
        }
    }

    /// The scope of what answers or precedes a trigger (响应's R, 先行's
    /// P), when the rule has one.
    pub fn answer_scope_mut(&mut self) -> Option<&mut Scope> {
        match self {
            RuleKind::Response(r) => Some(&mut r.response.scope),
            RuleKind::Precedence(r) => Some(&mut r.precedent.scope),
            _ => None,
        }
    }

    /// The pattern name of DESIGN §3.
    pub fn pattern_name(&self) -> &'static str {
        self.pattern().name()
    }

    /// Event kinds that can trigger a finding of this rule.
    pub fn trigger_verbs(&self) -> Vec<Verb> {
        self.pattern().trigger_verbs()
    }
}

/// A deadline counted from a trigger: forward (响应: after its last day) or
/// back (先行: before its first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedDeadline {
    pub deadline: Deadline,
    pub forward: bool,
}

/// What the audit keeps for a rule beyond the chunk it checks.
#[derive(Debug, Default)]
pub struct AuditNeeds<'r> {
    /// Events of these verbs stay this many calendar days behind the
    /// settled chunk (precedents within the look-back, earlier occasions).
    pub keep: Vec<(&'r [Verb], u64)>,
    /// Events of these verbs that name an occasion (依据, or 自 … 至)
    /// stay this many days: a leave naming its trip counts from further
    /// back than one that names nothing (先行).
    pub keep_named: Vec<(&'r [Verb], u64)>,
    /// How long after a trigger its answer may come.
    pub ahead: Ahead,
    /// Counted period by period as the log streams, with these terms
    /// (频次), not checked chunk by chunk.
    pub per_period: Option<&'r FrequencyRule>,
}

/// How far after a trigger the audit must see before settling it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Ahead {
    #[default]
    Nothing,
    WorkingDays(u32),
    Days(u32),
    /// 及时: the audit's `prompt_days`.
    Prompt,
}

/// Calendar days that `amount` of `unit` can span at most: working days
/// with weekends and the longest holiday (8 days) in between.
pub fn calendar_span(unit: TimeUnit, amount: u32) -> u64 {
    let n = u64::from(amount);
    match unit {
        TimeUnit::Day => n,
        TimeUnit::WorkingDay => n * 7 / 5 + 16,
    }
}

/// What `lint` reads of a rule.
#[derive(Debug, Default)]
pub struct LintFacts<'r> {
    /// The event patterns the rule names, the triggering one first: their
    /// declarations are used, their (verb, document kind) acts named.
    pub patterns: Vec<&'r Pattern>,
    /// Who may act and on what, beyond the patterns (权限).
    pub actors: &'r [Actor],
    pub scope: Option<&'r Scope>,
    /// Meeting kinds named (人数).
    pub meetings: &'r [usize],
    /// (verb, document kinds) named beyond the patterns (权限's acts).
    pub acts: Vec<(Verb, &'r [usize])>,
    /// Who must do which acts, for the check that test events are done by
    /// the kind of actor (职务 or 单位) the rule names.
    pub actor_check: Option<(&'r [Actor], Vec<Verb>)>,
    /// The verbs two rules must share to clash (lint's pairwise checks).
    pub pair_verbs: Vec<Verb>,
    /// Why no event can ever trigger the rule, when none can.
    pub unreachable: Option<&'static str>,
}

/// Filters of `p` that no event can satisfy (as a trigger: `decided` is
/// for the response side only).
pub fn impossible(p: &Pattern, as_trigger: bool) -> Option<&'static str> {
    if p.scope.leaves_county && !p.verbs.iter().any(|v| v.is_trip()) {
        return Some("只有外出事件记录“离县”");
    }
    if as_trigger && p.scope.decided {
        return Some("“决定印发的公文”只能用在响应一方");
    }
    if !p.scope.basis_meeting_kinds.is_empty() && p.verbs.iter().all(|v| *v == Verb::Convene) {
        return Some("会议本身没有“依据”会议");
    }
    None
}

/// `vs`, with 出差 standing for every kind of trip.
pub fn with_trips(vs: &[Verb]) -> Vec<Verb> {
    let mut out = Vec::new();
    for v in vs {
        out.push(*v);
        if *v == Verb::Trip {
            out.extend(
                Verb::ALL
                    .iter()
                    .map(|(x, _)| *x)
                    .filter(|x| x.is_trip() && *x != Verb::Trip),
            );
        }
    }
    out
}

/// A pattern as `diff` shows it: verbs, who, and the filters by name.
pub fn pattern_text(rs: &Ruleset, p: &Pattern) -> String {
    crate::diff::pattern_text(rs, p)
}

/// Verbs as a finding names them (请假或报告).
pub fn verbs_text(verbs: &[Verb]) -> String {
    verbs
        .iter()
        .map(|v| v.word())
        .collect::<Vec<_>>()
        .join("或")
}

/// Actors as `diff` shows them (县长或副县长).
pub fn actors_text(rs: &Ruleset, actors: &[Actor]) -> String {
    actors
        .iter()
        .map(|a| super::actor_name(rs, a))
        .collect::<Vec<_>>()
        .join("或")
}
