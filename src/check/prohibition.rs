//! 禁止: no event may match. Events of the same kind that stay clear of the
//! forbidden circumstance are recorded as 符合.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::pattern::{
    AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule, impossible, pattern_text,
    with_trips,
};
use super::{Ctx, Draft, Finding, Reason, Verdict};
use crate::compile::ir::{
    CompiledRule, EventIr, MonthlyDays, Party, Pattern, Ruleset, Scope, weekday_word,
};
use crate::generate::Gen;
use crate::syntax::ast::Verb;
use serde_json::json;

/// 不得 … : the events the rule forbids (须 … 出席 X and 须 … 于 每月…
/// compile to the ban on their breach).
#[derive(Debug, Clone)]
pub struct ProhibitionRule {
    pub pattern: Pattern,
}

impl PatternRule for ProhibitionRule {
    fn name(&self) -> &'static str {
        let scope = &self.pattern.scope;
        if !scope.missing.is_empty() {
            // 须 召开 K 出席 X: checked as a ban on a meeting without X.
            "出席"
        } else if scope.schedule.as_ref().is_some_and(|d| d.off) {
            "日程"
        } else {
            "禁止"
        }
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        with_trips(&self.pattern.verbs)
    }

    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
        check(ctx, rule, &self.pattern)
    }

    fn audit_needs(&self, _: &CompiledRule) -> AuditNeeds<'_> {
        AuditNeeds::default()
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        None
    }

    fn diff_fields(&self, rs: &Ruleset, m: &mut BTreeMap<&'static str, String>) {
        m.insert("禁止", pattern_text(rs, &self.pattern));
    }

    fn lint_facts(&self) -> LintFacts<'_> {
        let p = &self.pattern;
        LintFacts {
            patterns: vec![p],
            actor_check: Some((p.actors.as_slice(), p.verbs.clone())),
            pair_verbs: p.verbs.clone(),
            unreachable: impossible(p, true),
            ..LintFacts::default()
        }
    }

    fn generates_instances(&self) -> bool {
        true
    }

    fn generate(
        &self,
        g: &mut Gen<'_>,
        rule: &CompiledRule,
        object: &str,
        d: NaiveDate,
        faulty: bool,
    ) -> usize {
        let pattern = &self.pattern;
        let mut e = g.event(pattern, object, None);
        let circumstance = !pattern.scope.tags.is_empty()
            || pattern.scope.leaves_county
            || !pattern.scope.targets.is_empty();
        if faulty {
            g.faults += 1;
        } else if !circumstance {
            // The event itself is forbidden: only its 除…外 case may
            // happen, else nothing.
            let Some(ok) = rule.exceptions.first() else {
                return 0;
            };
            if let Some(o) = e.as_object_mut() {
                o.insert("tags".into(), json!([ok]));
            }
        } else if let Some(o) = e.as_object_mut() {
            o.remove("tags");
            o.remove("leaves_county");
            o.remove("targets");
        }
        g.emit_with_siblings(d, e)
    }
}

fn check(ctx: &Ctx<'_>, rule: &CompiledRule, pattern: &Pattern) -> Vec<Finding> {
    let rs = ctx.rs;
    // No event of the scenario is of the rule's kinds: nothing to read.
    if !ctx.may_be_of_kinds(&pattern.scope) {
        return Vec::new();
    }
    // The event kind the rule is about, without the forbidden circumstance.
    let events: Vec<&EventIr> = ctx
        .triggering(&pattern.verbs)
        .into_iter()
        .filter(|e| {
            ctx.of_kinds(&pattern.scope, e)
                && e.actor.as_ref().map_or(pattern.actors.is_empty(), |a| {
                    ctx.party_is(a, &pattern.actors, e)
                })
        })
        .collect();
    // The days the rule names, shared by its findings.
    let schedule = pattern.scope.schedule.clone().map(Arc::new);
    // One finding per event: sized once, not grown by copying findings.
    let mut out = Vec::with_capacity(events.len());
    for e in &events {
        if super::not_applicable(ctx, rule, e, &mut out) {
            continue;
        }
        let verb = e.verb;
        let draft = if ctx.matches(pattern, e, true) {
            let banned = pattern.scope.missing.is_empty()
                && pattern.scope.schedule.as_ref().is_none_or(|d| !d.off);
            let facts = circumstances(ctx, e, &pattern.scope, schedule.as_ref());
            Draft::because(
                rule,
                Verdict::Violated,
                Reason::Pattern(PatternFacts::Prohibition(Circumstances {
                    verb,
                    outcome: Outcome::Breach { banned, facts },
                })),
            )
            .excuse_if_justified(ctx, &[e])
        } else if ctx.counted(rule, Verdict::Complied) {
            continue;
        } else {
            // 须 … 于 每月第N个星期X / 须 … 出席 X: say what was met.
            let outcome = match (&schedule, pattern.scope.missing.is_empty()) {
                (Some(d), _) if d.off => Outcome::OnSchedule {
                    date: e.date,
                    days: d.clone(),
                },
                (_, false) => Outcome::Attended,
                _ => Outcome::Clear,
            };
            Draft::because(
                rule,
                Verdict::Complied,
                Reason::Pattern(PatternFacts::Prohibition(Circumstances { verb, outcome })),
            )
        };
        out.push(draft.event(e).finish(rs));
    }
    out
}

/// What the event did that the rule forbids (or failed that it requires).
fn circumstances(
    ctx: &Ctx<'_>,
    e: &EventIr,
    s: &Scope,
    schedule: Option<&Arc<MonthlyDays>>,
) -> Vec<Fact> {
    let mut parts = Vec::new();
    let tags: Vec<Box<str>> = e
        .tags
        .iter()
        .filter(|t| s.tags.iter().any(|x| **x == ***t))
        .map(|t| Box::from(&**t))
        .collect();
    if !tags.is_empty() {
        parts.push(Fact::Tags(tags));
    }
    if s.leaves_county {
        parts.push(Fact::LeavesCounty);
    }
    // 依据 K: the meeting the event belongs to (不得 决定 … 依据 县长办公会议).
    if !s.basis_meeting_kinds.is_empty()
        && let Some(m) = e.basis.as_deref()
    {
        parts.push(Fact::Basis(Box::from(m)));
    }
    let missing: Vec<Arc<str>> = s
        .missing
        .iter()
        .filter(|p| !ctx.attends(e, **p))
        .map(|p| ctx.rs.positions.shared_name(*p))
        .collect();
    if s.leader_absent
        && let (Some(p), Some(area), Some(m)) = (
            ctx.absent_area_leader(e),
            e.area.as_deref(),
            ctx.meeting_of(e),
        )
    {
        parts.push(Fact::AbsentLeader {
            area: area.into(),
            leader: ctx.party_ref(&Party::Person(p)).shared_name(),
            meeting: m.object.as_deref().map(Box::from),
        });
    }
    if let Some(d) = schedule {
        parts.push(Fact::Schedule {
            date: e.date,
            days: d.clone(),
        });
    }
    if !missing.is_empty() {
        parts.push(Fact::Missing(missing));
    }
    if !s.present.is_empty() {
        let who: Vec<Arc<str>> = ctx
            .at_meeting(e)
            .filter(|id| {
                s.present
                    .iter()
                    .any(|p| ctx.holds(*id, *p, e.date).is_some())
            })
            .map(|id| ctx.party_ref(&Party::Person(id)).shared_name())
            .collect();
        let positions: Vec<Arc<str>> = s
            .present
            .iter()
            .map(|p| ctx.rs.positions.shared_name(*p))
            .collect();
        parts.push(Fact::Present { who, positions });
    }
    if !s.targets.is_empty() {
        parts.push(Fact::Targets(
            e.targets
                .iter()
                .map(|t| ctx.party_ref(t).shared_name())
                .collect(),
        ));
    }
    if let Some(place) = &e.place {
        parts.push(Fact::Place(place.as_str().into()));
    }
    parts
}

/// What a 禁止 finding found ([`PatternFacts::Prohibition`]); 出席 and 日程 rules
/// (须 … 出席 X, 须 … 于 每月…) are checked as bans on their breach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circumstances {
    /// The event's verb.
    pub verb: Verb,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 须 … 于 每月…: the event is on one of the days.
    OnSchedule {
        date: NaiveDate,
        days: Arc<MonthlyDays>,
    },
    /// 须 … 出席 X: everyone required attended.
    Attended,
    /// None of the forbidden circumstances.
    Clear,
    /// The event matches: forbidden (`banned`), or it misses what a 须
    /// rule requires; with what it did (none: the event itself).
    Breach { banned: bool, facts: Vec<Fact> },
}

/// One circumstance of a breach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The forbidden 情形 the event records.
    Tags(Vec<Box<str>>),
    LeavesCounty,
    /// The meeting the event belongs to, when the rule names its kinds.
    Basis(Box<str>),
    /// 分管领导缺席: the area's leader absent from the meeting.
    AbsentLeader {
        area: Box<str>,
        leader: Arc<str>,
        meeting: Option<Box<str>>,
    },
    /// The event's date against the rule's days (on them, or off them
    /// when the rule requires them).
    Schedule {
        date: NaiveDate,
        days: Arc<MonthlyDays>,
    },
    /// Positions with no holder present.
    Missing(Vec<Arc<str>>),
    /// Who of the forbidden positions attended.
    Present {
        who: Vec<Arc<str>>,
        positions: Vec<Arc<str>>,
    },
    /// Whom the event was addressed to.
    Targets(Vec<Arc<str>>),
    Place(Box<str>),
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Tags(t) => write!(f, "情形为{}", t.join("、")),
            Fact::LeavesCounty => f.write_str("离县"),
            Fact::Basis(m) => write!(f, "依据“{m}”"),
            Fact::AbsentLeader {
                area,
                leader,
                meeting,
            } => {
                write!(f, "“{area}”的分管领导{leader}缺席")?;
                match meeting {
                    Some(m) => write!(f, "“{m}”"),
                    None => Ok(()),
                }
            }
            Fact::Schedule { date, days } => {
                if days.off {
                    let day = weekday_word(date.weekday());
                    write!(f, "{date}（{day}）不是{}", days.describe())
                } else {
                    write!(f, "{date}是{}", days.describe())
                }
            }
            Fact::Missing(p) => write!(f, "出席、列席名单中未见{}", p.join("、")),
            Fact::Present { who, positions } => {
                write!(f, "{}（{}）出席", who.join("、"), positions.join("、"))
            }
            Fact::Targets(t) => write!(f, "对象为{}", t.join("、")),
            Fact::Place(p) => write!(f, "地点{p}"),
        }
    }
}

impl fmt::Display for Circumstances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = self.verb.word();
        match &self.outcome {
            Outcome::OnSchedule { date, days } => {
                write!(f, "{verb}：{date} 是{}", days.describe())
            }
            Outcome::Attended => write!(f, "{verb}：所须人员已出席或列席"),
            Outcome::Clear => write!(f, "{verb}未涉及本条禁止的情形"),
            Outcome::Breach { banned, facts } => {
                write!(f, "{verb}：")?;
                if facts.is_empty() {
                    f.write_str("事件本身")?;
                }
                for (i, x) in facts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("，")?;
                    }
                    write!(f, "{x}")?;
                }
                if *banned {
                    f.write_str("，为本条所禁止")
                } else {
                    f.write_str("，不合本条要求")
                }
            }
        }
    }
}
