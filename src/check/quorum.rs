//! 人数: attendance of a meeting relative to those due (应到).

use std::collections::BTreeMap;
use std::fmt;

use super::pattern::{AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule};
use super::{Ctx, Draft, Finding, Reason, Verdict};
use crate::compile::ir::{CompiledRule, EventIr, Ruleset};
use crate::generate::Gen;
use crate::syntax::ast::Verb;
use chrono::NaiveDate;
use serde_json::json;

/// 召开 K 出席 超过 一半: the rule's terms.
#[derive(Debug, Clone)]
pub struct QuorumRule {
    pub meetings: Vec<usize>,
    /// 超过 (strict) or 不少于.
    pub strict: bool,
    pub num: u32,
    pub den: u32,
}

impl PatternRule for QuorumRule {
    fn name(&self) -> &'static str {
        "人数"
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        vec![Verb::Convene]
    }

    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
        check(ctx, rule, self)
    }

    fn audit_needs(&self, _: &CompiledRule) -> AuditNeeds<'_> {
        AuditNeeds::default()
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        None
    }

    fn diff_fields(&self, _: &Ruleset, m: &mut BTreeMap<&'static str, String>) {
        let (num, den) = (self.num, self.den);
        m.insert(
            "比例",
            format!(
                "{}{den}分之{num}",
                if self.strict { "超过" } else { "不少于" }
            ),
        );
    }

    fn lint_facts(&self) -> LintFacts<'_> {
        LintFacts {
            meetings: &self.meetings,
            ..LintFacts::default()
        }
    }

    fn generates_instances(&self) -> bool {
        true
    }

    fn generate(
        &self,
        g: &mut Gen<'_>,
        _: &CompiledRule,
        object: &str,
        d: NaiveDate,
        faulty: bool,
    ) -> usize {
        let Some(m) = self
            .meetings
            .first()
            .and_then(|k| g.ruleset().meetings.get(*k))
        else {
            return 0;
        };
        let due = 20u32;
        let present = if faulty {
            g.faults += 1;
            8
        } else {
            15
        };
        let chair = g.holder(&[]).map(|p| g.name(p));
        g.emit_with_siblings(
            d,
            json!({"verb": "召开", "kind": m.name, "object": object, "chair": chair,
                   "convener": chair, "expected_count": due, "present_count": present}),
        )
    }
}

fn check(ctx: &Ctx<'_>, rule: &CompiledRule, terms: &QuorumRule) -> Vec<Finding> {
    let QuorumRule {
        meetings,
        strict,
        num,
        den,
    } = terms;
    let rs = ctx.rs;
    let events: Vec<&EventIr> = ctx
        .triggering(&[Verb::Convene])
        .into_iter()
        .filter(|e| {
            e.meeting_kind
                .is_some_and(|k| meetings.iter().any(|w| rs.meeting_is(k, *w)))
        })
        .collect();
    let mut out = Vec::new();
    for e in &events {
        if super::not_applicable(ctx, rule, e, &mut out) {
            continue;
        }
        let due = e.expected_count.or_else(|| members_due(ctx, e));
        // Only members count toward the quorum: 列席 and other non-members
        // written in 出席 do not (实到 N is taken as written).
        let (present, others) = match e.present_count {
            Some(n) => (n, 0),
            None => {
                let members = e.present.iter().filter(|p| is_member(ctx, e, **p)).count();
                (
                    u32::try_from(members).unwrap_or(u32::MAX),
                    e.present.len() - members,
                )
            }
        };
        // No 出席 list and no 实到 N: attendance was not recorded, which is
        // not an attendance of nobody (待定, never 违反 on a gap).
        let recorded = e.present_count.is_some() || !e.present.is_empty();
        let draft = match due {
            None | Some(0) => Draft::because(
                rule,
                Verdict::Pending,
                Reason::Pattern(PatternFacts::Quorum(Attendance::NoneDue)),
            ),
            Some(_) if !recorded => Draft::because(
                rule,
                Verdict::Pending,
                Reason::Pattern(PatternFacts::Quorum(Attendance::NotRecorded)),
            ),
            Some(due) => {
                let (lhs, rhs) = (
                    u64::from(present) * u64::from(*den),
                    u64::from(*num) * u64::from(due),
                );
                let ok = if *strict { lhs > rhs } else { lhs >= rhs };
                let counted = Reason::Pattern(PatternFacts::Quorum(Attendance::Counted(Counted {
                    present,
                    others,
                    due,
                    strict: *strict,
                    num: *num,
                    den: *den,
                })));
                if ok {
                    if ctx.counted(rule, Verdict::Complied) {
                        continue;
                    }
                    Draft::because(rule, Verdict::Complied, counted)
                } else {
                    Draft::because(rule, Verdict::Violated, counted).excuse_if_justified(ctx, &[e])
                }
            }
        };
        out.push(draft.event(e).finish(rs));
    }
    out
}

/// Is `person` a member of `e`'s meeting (holds one of its kind's 组成
/// positions)? Anyone is, when the kind declares no members.
fn is_member(ctx: &Ctx<'_>, e: &EventIr, person: usize) -> bool {
    match e.meeting_kind.and_then(|k| ctx.rs.meetings.get(k)) {
        Some(kind) if !kind.members.is_empty() => kind
            .members
            .iter()
            .any(|m| ctx.holds(person, *m, e.date).is_some()),
        _ => true,
    }
}

/// Holders of the meeting kind's 组成 positions, when declared.
fn members_due(ctx: &Ctx<'_>, e: &EventIr) -> Option<u32> {
    let kind = ctx.rs.meetings.get(e.meeting_kind?)?;
    if kind.members.is_empty() {
        return None;
    }
    let n = (0..ctx.sc.people.len())
        .filter(|p| {
            kind.members
                .iter()
                .any(|m| ctx.holds(*p, *m, e.date).is_some())
        })
        .count();
    u32::try_from(n).ok()
}

/// What a 人数 finding found ([`PatternFacts::Quorum`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    /// Neither 应到 N nor the kind's 组成 gives who is due.
    NoneDue,
    /// Neither an 出席 list nor 实到 N is recorded: attendance unknown, not
    /// nobody (an 出席 list cannot be written empty).
    NotRecorded,
    Counted(Counted),
}

/// The members present against those due, and the rule's share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub present: u32,
    /// Non-members written in 出席, not counted.
    pub others: usize,
    pub due: u32,
    /// 超过 (strict) or 不少于 the share num/den.
    pub strict: bool,
    pub num: u32,
    pub den: u32,
}

impl fmt::Display for Attendance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = match self {
            Attendance::NoneDue => {
                return f.write_str("会议未写“应到 N 人”，会议种类也未声明组成，无法确定应到人数");
            }
            Attendance::NotRecorded => {
                return f.write_str("会议未写出席名单，也未写“实到 N 人”，无法确定出席人数");
            }
            Attendance::Counted(c) => c,
        };
        write!(f, "出席成员{}人", c.present)?;
        if c.others > 0 {
            write!(f, "（另有{}名非组成人员出席，不计入）", c.others)?;
        }
        let need = if c.strict { "超过" } else { "不少于" };
        write!(f, "，应到{}人，须{need}", c.due)?;
        if (c.num, c.den) == (1, 2) {
            f.write_str("一半")
        } else {
            write!(f, "{}分之{}", c.den, c.num)
        }
    }
}
