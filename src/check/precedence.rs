//! 先行: a trigger must be preceded by a matching event (a leave request, a
//! report, a review), on or before the trigger's start, or at least the
//! lead time before it, addressed to each required target.

use super::pattern::{
    AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule, calendar_span, impossible,
    pattern_text, with_trips,
};
use super::{Ctx, DateRole, Draft, Finding, PartyRef, Reason, Verdict};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::compile::ir::{
    Actor, CompiledRule, Deadline, EventIr, Party, Pattern, PersonId, Ruleset, TargetSpec,
};
use crate::generate::{Gen, Made};
use crate::syntax::ast::{Role, Verb, area_parts, several_areas};
use serde_json::{Value, json};

/// Does a personal precedent (leave, report) belong to the occasion `t`?
/// One that names a meeting or trip (依据 "…") belongs to that one; one with
/// a period (自 … 至) to what that period covers; one with neither to the
/// next occasion of its person after it (not to every later one).
fn belongs<'e>(
    ctx: &'e Ctx<'_>,
    occasions: &std::cell::OnceCell<Occasions<'e>>,
    trigger: &Pattern,
    p: &EventIr,
    t: &EventIr,
) -> bool {
    if let Some(named) = names_occasion(ctx, p, t) {
        return named;
    }
    // An earlier occasion of the same person after the precedent takes it.
    // The occasions are listed only when a precedent needs them.
    let occasions = occasions.get_or_init(|| occasions_of(ctx, trigger));
    let Some(list) = t.actor.as_ref().and_then(|a| occasions.get(a)) else {
        return true;
    };
    let from = list.partition_point(|(s, _)| *s < p.date);
    !list
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|(s, _)| *s < t.start())
        .any(|(_, i)| *i != t.index)
}

/// Does precedent `p` name occasion `t` (its 依据 is `t` or `t`'s
/// meeting, or its period covers `t`)? None: it names no occasion.
fn names_occasion(ctx: &Ctx<'_>, p: &EventIr, t: &EventIr) -> Option<bool> {
    if let Some(named) = p.basis.as_deref() {
        let meeting = ctx.meeting_of(t).and_then(|m| m.object.as_deref());
        return Some(t.object.as_deref() == Some(named) || meeting == Some(named));
    }
    p.period.map(|(a, b)| a <= t.start() && t.end() <= b)
}

/// Every occasion of the rule's trigger (all events, not only the trigger
/// window), per person, by start date: (start, event index).
type Occasions<'e> = super::FxMap<&'e Party, Vec<(NaiveDate, usize)>>;

fn occasions_of<'e>(ctx: &'e Ctx<'_>, trigger: &Pattern) -> Occasions<'e> {
    let mut out: Occasions<'e> = Occasions::default();
    for x in ctx.with_verbs(&trigger.verbs) {
        if let Some(a) = &x.actor
            && ctx.matches(trigger, x, true)
        {
            out.entry(a).or_default().push((x.start(), x.index));
        }
    }
    for v in out.values_mut() {
        v.sort_unstable();
    }
    out
}

/// 在 T 前 提前D P: the rule's terms.
#[derive(Debug, Clone)]
pub struct PrecedenceRule {
    pub trigger: Pattern,
    /// None: on or before the trigger's date (事先).
    pub lead: Option<Deadline>,
    /// Precedents count only this far before the latest date they may
    /// have (前 N日内; default [`DEFAULT_LOOKBACK`](crate::compile::ir::DEFAULT_LOOKBACK)).
    pub lookback: Deadline,
    /// How far back a personal precedent naming its occasion (依据, or a
    /// period covering it) counts (default
    /// [`DEFAULT_NAMED_LOOKBACK`](crate::compile::ir::DEFAULT_NAMED_LOOKBACK);
    /// `lookback` when the rule writes 前 N日内).
    pub named_lookback: Deadline,
    pub precedent: Pattern,
}

impl PatternRule for PrecedenceRule {
    fn name(&self) -> &'static str {
        "先行"
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        with_trips(&self.trigger.verbs)
    }

    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
        check(ctx, rule, self)
    }

    fn audit_needs(&self, _: &CompiledRule) -> AuditNeeds<'_> {
        let lead = self.lead.map_or(0, |d| calendar_span(d.unit, d.amount));
        let days = calendar_span(self.lookback.unit, self.lookback.amount) + lead;
        let named = calendar_span(self.named_lookback.unit, self.named_lookback.amount) + lead;
        let mut keep = vec![(self.precedent.verbs.as_slice(), days)];
        // A personal precedent naming no occasion goes to its person's next
        // occasion: earlier occasions must stay in view too.
        if Pattern::personal_precedent(&self.trigger, &self.precedent) {
            keep.push((self.trigger.verbs.as_slice(), days));
        }
        AuditNeeds {
            keep,
            keep_named: vec![(self.precedent.verbs.as_slice(), named)],
            ..AuditNeeds::default()
        }
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        self.lead.map(|deadline| CountedDeadline {
            deadline,
            forward: false,
        })
    }

    fn diff_fields(&self, rs: &Ruleset, m: &mut BTreeMap<&'static str, String>) {
        m.insert("触发", pattern_text(rs, &self.trigger));
        m.insert(
            "提前",
            self.lead
                .map_or_else(|| "事先".to_string(), |d| d.describe()),
        );
        m.insert("回溯", self.lookback.describe());
        m.insert("回溯（写明场合）", self.named_lookback.describe());
        m.insert("先行", pattern_text(rs, &self.precedent));
    }

    fn lint_facts(&self) -> LintFacts<'_> {
        let (trigger, precedent) = (&self.trigger, &self.precedent);
        LintFacts {
            patterns: vec![trigger, precedent],
            actor_check: Some((precedent.actors.as_slice(), precedent.verbs.clone())),
            unreachable: impossible(trigger, true).or_else(|| impossible(precedent, true)),
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
        let (trigger, lead) = (&self.trigger, self.lead);
        // The actor as the 权限 rules allow; the precedent is the same
        // person's when it is personal (leave before a trip).
        let mut t = g.event(trigger, object, None);
        let who = t
            .get("actor")
            .and_then(Value::as_str)
            .and_then(|a| g.person(a));
        let start = lead.map_or(d, |l| g.add_days(d, l.unit, l.amount));
        let start = g.lead_room(rule.id, &t, start);
        if let Some(o) = t.as_object_mut()
            && trigger.verbs.iter().any(|v| v.is_trip())
        {
            let end = start
                .checked_add_days(chrono::Days::new(2))
                .unwrap_or(start);
            o.insert("period".into(), json!([start.to_string(), end.to_string()]));
        }
        let mut made = 0;
        if faulty {
            g.faults += 1;
        } else {
            let limit = lead.map_or(start, |l| g.sub_days(start, l.unit, l.amount));
            made += g.precede(&t, trigger, &self.precedent, object, who, limit.max(d), 1);
        }
        made += g.siblings(rule.id, &t, start, 0);
        g.emit(start, t);
        made + 1
    }

    fn meet(&self, g: &mut Gen<'_>, m: &Made<'_>) -> usize {
        if !g.could_trigger(&self.trigger, m.event) {
            return 0;
        }
        let limit = self
            .lead
            .map_or(m.at, |l| g.sub_days(m.at, l.unit, l.amount));
        g.precede(
            m.event,
            &self.trigger,
            &self.precedent,
            m.object,
            m.actor,
            limit,
            m.depth + 1,
        )
    }

    fn lead(&self, g: &Gen<'_>, t: &Value) -> Option<Deadline> {
        self.lead.filter(|_| g.could_trigger(&self.trigger, t))
    }
}

/// How long a rule's list of personal precedents may be before it is split
/// per actor (measured: below this, splitting costs more than it saves).
const SPLIT_PER_ACTOR_ABOVE: usize = 64;

fn check(ctx: &Ctx<'_>, rule: &CompiledRule, terms: &PrecedenceRule) -> Vec<Finding> {
    let PrecedenceRule {
        trigger,
        lead,
        lookback,
        named_lookback,
        precedent,
    } = terms;
    let rs = ctx.rs;
    let personal = Pattern::personal_precedent(trigger, precedent);
    let mut out = Vec::new();
    let triggers = super::triggers(ctx, rule, trigger, &mut out);
    // No occasion (most rules on most scenarios): nothing more to build.
    if triggers.is_empty() {
        return out;
    }
    let verbs: Arc<str> = Arc::from(super::pattern::verbs_text(&precedent.verbs));
    let reason = |outcome: Outcome| {
        Reason::Pattern(PatternFacts::Precedence(Box::new(Precedents {
            verbs: verbs.clone(),
            outcome,
        })))
    };
    // One finding per trigger: sized once, not grown by copying findings.
    out.reserve(triggers.len());
    // Listed when first needed (a personal precedent naming neither its
    // occasion nor a period): most rules and precedents never ask.
    let occasions: std::cell::OnceCell<Occasions<'_>> = std::cell::OnceCell::new();
    // A scenario's personal precedents: the rule's verb lists, read once,
    // rather than a per-person index built for them (the audit keeps one).
    let precedent_list: Option<Vec<&EventIr>> =
        (personal && !ctx.keeps_person_verbs()).then(|| ctx.with_verbs(&precedent.verbs));
    // A long list (a dense scenario) split per actor once, in the same
    // order, so that a trigger walks its own actor's window, not everyone's
    // (the others' would be turned away below); a short one is cheaper to
    // walk than to split.
    let by_actor: Option<super::FxMap<&Party, Vec<&EventIr>>> = precedent_list
        .as_ref()
        .filter(|list| list.len() > SPLIT_PER_ACTOR_ABOVE)
        .map(|list| {
            let mut by: super::FxMap<&Party, Vec<&EventIr>> = super::FxMap::default();
            for &e in list {
                if let Some(a) = &e.actor {
                    by.entry(a).or_default().push(e);
                }
            }
            by
        });
    // The precedents of the person (or about the document) of `t` dated
    // from `from` to `last`, in date order.
    let gather = |t: &EventIr, from: NaiveDate, last: NaiveDate, out: &mut Vec<_>| match (
        &precedent_list,
        &t.actor,
    ) {
        (Some(all), Some(actor)) => {
            let list: &[&EventIr] = match &by_actor {
                Some(by) => by.get(actor).map_or(&[], Vec::as_slice),
                None => all,
            };
            let start = list.partition_point(|e| e.date < from);
            out.extend(
                list.get(start..)
                    .unwrap_or_default()
                    .iter()
                    .copied()
                    .take_while(|e| e.date <= last),
            );
        }
        _ => {
            let pool = match (personal, &t.actor, &t.object) {
                (true, Some(a), _) => ctx.done_by_positions(a, &precedent.verbs),
                (false, _, Some(o)) => ctx.about_positions(o),
                _ => None,
            };
            out.extend(ctx.dated_iter(pool, &precedent.verbs, from, last));
        }
    };
    // The trigger's own person's precedent (personal), or one about its
    // document — its own title, or one naming it as its 依据 (议题和文件
    // 送达 依据 "第22次常务会议": a reviewer's papers for the meeting were
    // “未见送达”, as a 响应's answer may name its matter); not the trigger.
    let related = |p: &EventIr, t: &EventIr| {
        p.index != t.index
            && if personal {
                p.actor.is_some() && p.actor == t.actor
            } else {
                t.object.is_some() && (p.object == t.object || p.basis == t.object)
            }
    };
    // 县司法局 审核: the precedent's own actor is not one the rule names
    // (one undecidable is kept, and noted below).
    let wrong_actor = |p: &EventIr, t: &EventIr| {
        !personal
            && !precedent.actors.is_empty()
            && p.actor
                .as_ref()
                .is_none_or(|a| ctx.party_fills(a, &precedent.actors, p, t) == Some(false))
    };
    // When no precedent counts (a breach, so looked for only then): the
    // latest of `near` (gathered up to the limit) that does not, and why.
    let seen_instead = |t: &EventIr, earliest: NaiveDate, by: By<'_>, near: &[&EventIr]| {
        near.iter().rev().find_map(|p| {
            if !related(p, t) || !by.did(ctx, p) || !ctx.in_scope(&precedent.scope, p) {
                return None;
            }
            let why = if personal && !belongs(ctx, &occasions, trigger, p, t) {
                match (&p.basis, p.period) {
                    (Some(b), _) => NotCounted::OtherBasis(b.clone()),
                    (None, Some((a, b))) => NotCounted::OtherPeriod(a, b),
                    (None, None) => NotCounted::TakenEarlier,
                }
            } else if p.date < earliest && names_occasion(ctx, p, t).is_none() {
                NotCounted::BeyondLookback(*lookback)
            } else if wrong_actor(p, t) {
                NotCounted::OtherActor(
                    ctx.party_ref(p.actor.as_ref()?).shared_name(),
                    // Who the rule asks for (a reviewer could not tell).
                    Arc::from(super::actors_text(ctx.rs, &precedent.actors)),
                )
            } else {
                NotCounted::OtherAddressee(
                    p.targets
                        .iter()
                        .map(|x| ctx.party_ref(x).shared_name())
                        .collect(),
                )
            };
            Some(Seen {
                on: p.date,
                verb: p.verb,
                why,
            })
        })
    };
    // Per-trigger lists, kept across triggers: cleared, not reallocated.
    let mut candidates: Vec<&EventIr> = Vec::new();
    let mut near: Vec<&EventIr> = Vec::new();
    let mut reqs: Vec<Req<'_>> = Vec::new();
    let mut each: Vec<By<'_>> = Vec::new();
    let mut addressed: Vec<&EventIr> = Vec::new();
    let mut used: Vec<&EventIr> = Vec::new();
    let mut refs: Vec<&EventIr> = Vec::new();
    // The rule's targets (the same for every trigger). 向 参会人员: each
    // person at the meeting (出席 or 列席) is owed; 向 参会的 X: each holder
    // of X at it (“送达政府领导”).
    let targets = &precedent.scope.targets;
    let to_attendees = targets.contains(&TargetSpec::Role(Role::Attendees));
    let to_some_attending = targets
        .iter()
        .any(|x| matches!(x, TargetSpec::Attending(_)));
    let attending = |id: PersonId, on: NaiveDate| {
        targets.iter().any(|x| match x {
            TargetSpec::Attending(p) => ctx.holds(id, *p, on).is_some(),
            _ => false,
        })
    };
    for &t in &triggers {
        // Whoever handed this meeting to its chair is not a participant
        // asking the chair for leave: no leave is owed to one's own
        // delegate (blind r12 巩留 R12-33, 伊犁州 R12-53, r14 巩留 R14-10:
        // three readers; the texts' leave goes “报会议主持人审批”).
        if t.verb == Verb::Absent
            && let (Some(Party::Person(p)), Some(m)) = (&t.actor, ctx.meeting_of(t))
            && let Some(chair) = ctx.handed_over(*p, m)
        {
            if !ctx.counted(rule, Verdict::NotApplicable) {
                let chair = ctx.party_ref(&Party::Person(chair)).shared_name();
                out.push(
                    Draft::because(rule, Verdict::NotApplicable, Reason::HandedOver { chair })
                        .event(t)
                        .finish(rs),
                );
            }
            continue;
        }
        let start = t.start();
        // Off the calendar (a year without its holidays): the earliest the
        // limit can be, and judged only where that decides.
        let limit = match lead {
            None => Some((start, true)),
            Some(d) => ctx.sub_or_earliest(t, start, *d),
        };
        let Some((limit, exact)) = limit else {
            continue;
        };
        // The look-back: older precedents belong to other occasions,
        // unless they name this one (依据, or a period covering it), which
        // count from further back.
        let Some(earliest) = ctx.sub(t, limit, *lookback) else {
            continue;
        };
        let earliest_named = if personal {
            ctx.sub(t, limit, *named_lookback)
                .map_or(earliest, |d| d.min(earliest))
        } else {
            earliest
        };
        let meeting = ctx.meeting_of(t);
        // The same person's, or about the same document.
        let last = t.period.map_or(t.date, |(_, end)| end);
        candidates.clear();
        gather(t, earliest_named, last, &mut candidates);
        // Cheap field tests first; scope and party tests last (all are
        // plain tests, so the order does not change what is kept). The
        // window above already holds dates to [earliest, last]; precedents
        // after the start are kept only to say "too late".
        candidates.retain(|p| {
            // Before the short look-back only one naming this occasion.
            (p.date >= earliest || names_occasion(ctx, p, t) == Some(true))
                && related(p, t)
                && ctx.in_scope(&precedent.scope, p)
                && !wrong_actor(p, t)
                && (!personal || belongs(ctx, &occasions, trigger, p, t))
        });
        // 向 A、B: each is owed; 向 A 或 B: one requirement, any of them.
        reqs.clear();
        if targets.is_empty() {
            reqs.push(Req::Any);
        } else if precedent.scope.targets_any {
            reqs.push(Req::Specs(targets.as_slice()));
        } else {
            reqs.extend(
                targets
                    .chunks(1)
                    .filter(|c| {
                        !matches!(
                            c.first(),
                            Some(TargetSpec::Role(Role::Attendees) | TargetSpec::Attending(_))
                        )
                    })
                    .map(Req::Specs),
            );
        }
        if (to_attendees || to_some_attending)
            && !precedent.scope.targets_any
            && let Some(m) = meeting
        {
            // 参会的 X: its chair attends too, listed or not.
            let chair = m.chair.filter(|_| to_some_attending);
            let mut people: Vec<PersonId> = ctx
                .at_meeting(m)
                .chain(chair)
                .filter(|id| to_attendees || attending(*id, m.date))
                .collect();
            people.sort_unstable();
            people.dedup();
            reqs.extend(people.into_iter().map(Req::Person));
        }
        // 参会人员: each person present at the meeting owes the act; 分管领导
        // of a matter in several 领域 (领域 教育、财政: a joint document):
        // a leader of each (相关分管领导…审核, blind r17 巩留 R17-40).
        each.clear();
        let areas = || t.area.as_deref().map(area_parts).into_iter().flatten();
        if precedent.actors.contains(&Actor::Role(Role::Attendees)) {
            if let Some(m) = meeting {
                each.extend(m.present.iter().copied().map(By::Person));
            }
        } else if precedent.actors.contains(&Actor::Role(Role::AreaLeader))
            && t.area.as_deref().is_some_and(several_areas)
        {
            each.extend(areas().map(By::AreaLeader));
        } else {
            each.push(By::Anyone);
        }
        let mut problems = Vec::new();
        used.clear();
        let mut pending = None;
        // Nobody owed because nobody's attendance is written: not known.
        let attendance_unknown =
            meeting.is_none_or(|m| m.present.is_empty() && m.attendees.is_empty());
        if each.is_empty()
            || (to_attendees && reqs.is_empty())
            || (to_some_attending && attendance_unknown)
        {
            pending = Some(Outcome::NoAttendance);
        }
        let requirements = each.iter().flat_map(|w| reqs.iter().map(move |r| (*r, *w)));
        for (req, by) in requirements {
            // Who owes it to whom, named only when a finding says so.
            let label = || Addressing {
                by: match by {
                    By::Anyone => None,
                    By::Person(b) => Some(ctx.party_ref(&Party::Person(b)).shared_name()),
                    By::AreaLeader(a) => Some(Arc::from(format!("分管{a}的领导"))),
                },
                to: match req {
                    Req::Any => Vec::new(),
                    Req::Specs(r) => r.iter().map(|x| Arc::from(ctx.target_name(x))).collect(),
                    Req::Person(id) => vec![ctx.party_ref(&Party::Person(id)).shared_name()],
                },
            };
            // Owed to a role whose holder is not written (the chair of a
            // meeting that names none, the 分管领导 of no 领域): undecided
            // when an act in time went to someone who may hold it, unless
            // another addressee of 向 A 或 B has it in time; with no act in
            // time to anyone, a breach whoever holds it.
            let unknown = |x: &TargetSpec| match x {
                TargetSpec::Role(Role::AreaLeader) => {
                    t.area.is_none().then_some(Outcome::NoArea { on: None })
                }
                TargetSpec::Role(_) => meeting
                    .and_then(|m| m.chair)
                    .is_none()
                    .then(|| Outcome::NoChair(label())),
                _ => None,
            };
            let role_unknown = match req {
                Req::Specs(r) => r.iter().find_map(unknown),
                _ => None,
            };
            addressed.clear();
            addressed.extend(
                candidates
                    .iter()
                    .copied()
                    .filter(|p| match req {
                        Req::Any => true,
                        Req::Specs(r) => p.targets.iter().any(|x| {
                            r.iter()
                                .any(|w| ctx.party_is_target(x, w, meeting, t, p.date))
                        }),
                        Req::Person(id) => p.targets.contains(&Party::Person(id)),
                    })
                    .filter(|p| by.did(ctx, p)),
            );
            let maybe_to_holder = || {
                candidates
                    .iter()
                    .any(|p| p.date <= limit && !p.targets.is_empty() && by.did(ctx, p))
            };
            match addressed.iter().find(|p| p.date <= limit) {
                None if role_unknown.is_some() && maybe_to_holder() => {
                    pending = role_unknown.clone();
                }
                Some(p) => {
                    let undecided = !personal
                        && !precedent.actors.is_empty()
                        && p.actor
                            .as_ref()
                            .is_some_and(|a| ctx.party_fills(a, &precedent.actors, p, t).is_none());
                    if undecided {
                        pending = Some(Outcome::NoArea { on: Some(p.date) });
                    }
                    used.push(*p)
                }
                None => match addressed.first() {
                    // After the earliest the limit can be, before the
                    // trigger: the year's holidays would decide.
                    Some(p) if !exact && p.date < start => {
                        pending = Some(Outcome::OffCalendar {
                            on: p.date,
                            earliest: limit,
                        });
                        used.push(*p);
                    }
                    Some(p) => {
                        problems.push(Problem::Late {
                            label: label(),
                            on: p.date,
                            limit,
                        });
                        used.push(*p);
                    }
                    None => {
                        // What was found instead, looked for only now (a
                        // breach is rare): the latest precedent up to the
                        // limit that does not count, and why.
                        near.clear();
                        gather(t, earliest_named, limit, &mut near);
                        let seen = seen_instead(t, earliest, by, &near);
                        problems.push(Problem::Missing {
                            label: label(),
                            seen,
                        })
                    }
                },
            }
        }
        let occasion = || Occasion {
            who: t.actor.as_ref().map(|a| ctx.party_ref(a)),
            verb: t.verb,
            object: t.actor.is_none().then(|| t.object.clone()).flatten(),
            start,
            lead: *lead,
        };
        let mut draft = if !problems.is_empty() {
            Draft::because(
                rule,
                Verdict::Violated,
                reason(Outcome::Breached {
                    occasion: occasion(),
                    problems,
                }),
            )
        } else if let Some(outcome) = pending {
            Draft::because(rule, Verdict::Pending, reason(outcome))
        } else if ctx.counted(rule, Verdict::Complied) {
            continue;
        } else {
            Draft::because(
                rule,
                Verdict::Complied,
                reason(Outcome::InTime {
                    occasion: occasion(),
                    on: used.iter().map(|p| p.date).collect(),
                    limit,
                }),
            )
        }
        .event(t);
        for p in &used {
            draft = draft.event(p);
        }
        // The trigger's actor is in breach: their own records count (their
        // leave or report), not another party's review of the document.
        refs.clear();
        refs.push(t);
        if personal {
            refs.extend(used.iter().copied());
        }
        // Who the finding is about: the absentee (a 缺席 is the meeting
        // taken as that person's act, and shares the meeting's event), or
        // the one unit the rule names to act (县政府办公室 送达); else the
        // trigger's actor, read from its event.
        let about = match precedent.actors.as_slice() {
            _ if t.verb == Verb::Absent => t.actor.as_ref().map(|p| ctx.party_ref(p)),
            [Actor::Unit(u)] => Some(ctx.party_ref(&Party::Unit(u.clone()))),
            _ => None,
        };
        out.push(
            draft
                .party(about)
                .date(DateRole::Limit, limit)
                .counted_from(start)
                .excuse_if_justified(ctx, &refs)
                .finish(rs),
        );
    }
    out
}

/// Who must have done the precedent: anyone the rule accepts, this
/// person (each 参会人员), or a leader of this 领域 (each of a matter's
/// several).
#[derive(Clone, Copy)]
enum By<'a> {
    Anyone,
    Person(PersonId),
    AreaLeader(&'a str),
}

impl By<'_> {
    fn did(self, ctx: &Ctx<'_>, p: &EventIr) -> bool {
        match self {
            By::Anyone => true,
            By::Person(b) => p.actor == Some(Party::Person(b)),
            By::AreaLeader(area) => ctx.done_by_area_leader(p, area),
        }
    }
}

/// One thing a precedent must satisfy: any event, one addressed to one of
/// these targets, or one addressed to this person (each 参会人员).
#[derive(Clone, Copy)]
enum Req<'a> {
    Any,
    Specs(&'a [TargetSpec]),
    Person(PersonId),
}

/// What a 先行 finding found, as facts ([`PatternFacts::Precedence`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precedents {
    /// The precedent verbs, as the rule joins them (请假或报告).
    pub verbs: Arc<str>,
    pub outcome: Outcome,
}

/// The occasion a precedent was owed for: who did what, from which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    pub who: Option<PartyRef>,
    pub verb: Verb,
    /// What the trigger was about, named when no actor is written (a
    /// meeting: 召开“第22次常务会议”, not “行为人召开”).
    pub object: Option<Arc<str>>,
    /// The trigger's first day, from which the lead is counted.
    pub start: NaiveDate,
    /// None: 事先.
    pub lead: Option<Deadline>,
}

/// Who owed the precedent (each 参会人员) and to whom (向 A 或 B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressing {
    pub by: Option<Arc<str>>,
    /// Any of these; empty: to no one in particular.
    pub to: Vec<Arc<str>>,
}

/// How the precedents were judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 参会人员: no meeting, or no attendance list, to read them from.
    NoAttendance,
    /// Owed to the meeting's chair, who is not written.
    NoChair(Addressing),
    /// A precedent by a 分管领导 whose event names no 领域 (on its day),
    /// or one owed to the 分管领导 of a trigger naming none (None).
    NoArea { on: Option<NaiveDate> },
    /// A precedent after the earliest the limit can be, where the limit
    /// falls in a year the calendar lacks.
    OffCalendar { on: NaiveDate, earliest: NaiveDate },
    /// Some requirement not met.
    Breached {
        occasion: Occasion,
        problems: Vec<Problem>,
    },
    /// Every requirement met, by precedents on these days.
    InTime {
        occasion: Occasion,
        on: Vec<NaiveDate>,
        limit: NaiveDate,
    },
}

/// One requirement not met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Done, but after the limit.
    Late {
        label: Addressing,
        on: NaiveDate,
        limit: NaiveDate,
    },
    /// None counts; `seen`: the nearest one that does not, and why (a
    /// finding says what it found, not "未见" when an act exists).
    Missing {
        label: Addressing,
        seen: Option<Seen>,
    },
}

/// A precedent found that does not count for the occasion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub on: NaiveDate,
    pub verb: Verb,
    pub why: NotCounted,
}

/// Why a precedent found does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotCounted {
    /// It names another occasion (依据 another meeting or trip).
    OtherBasis(Arc<str>),
    /// Its period does not cover the occasion.
    OtherPeriod(NaiveDate, NaiveDate),
    /// It names no occasion and lies before the look-back.
    BeyondLookback(Deadline),
    /// It names no occasion and an earlier occasion of the person takes it.
    TakenEarlier,
    /// It was addressed to others than the rule asks.
    OtherAddressee(Vec<Arc<str>>),
    /// Its actor is not one the rule accepts (who did it, whom the rule
    /// asks for).
    OtherActor(Arc<str>, Arc<str>),
}

impl fmt::Display for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "见 {} 的{}，但", self.on, self.verb.word())?;
        match &self.why {
            NotCounted::OtherBasis(b) => write!(f, "所依据的是“{b}”"),
            NotCounted::OtherPeriod(a, b) => write!(f, "所写期间 {a} 至 {b} 未覆盖本次"),
            NotCounted::BeyondLookback(d) => {
                write!(f, "未写明依据或期间，且早于回溯的{}", d.describe())
            }
            NotCounted::TakenEarlier => f.write_str("未写明依据或期间，归于此前的另一次"),
            NotCounted::OtherAddressee(to) if to.is_empty() => f.write_str("未写明向谁提出"),
            NotCounted::OtherAddressee(to) => write!(f, "是向{}提出的", to.join("、")),
            NotCounted::OtherActor(a, wanted) => {
                write!(f, "由{a}作出，不是本条所要求的{wanted}")
            }
        }
    }
}

impl fmt::Display for Addressing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(b) = &self.by {
            f.write_str(b)?;
        }
        if !self.to.is_empty() {
            write!(f, "向{}", self.to.join("或"))?;
        }
        Ok(())
    }
}

impl fmt::Display for Occasion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.who, &self.object) {
            (Some(w), _) => write!(f, "{}{}", w.name(), self.verb.word())?,
            (None, Some(o)) => write!(f, "{}“{o}”", self.verb.word())?,
            (None, None) => write!(f, "行为人{}", self.verb.word())?,
        }
        write!(f, "（{}）", self.start)
    }
}

impl fmt::Display for Precedents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verbs = &self.verbs;
        match &self.outcome {
            Outcome::NoAttendance => write!(
                f,
                "未找到所依据的会议或其出席名单，无法判断参会人员是否{verbs}"
            ),
            Outcome::NoChair(label) => {
                write!(f, "会议未写明主持人，无法判断是否{label}{verbs}")
            }
            Outcome::NoArea { on: Some(on) } => write!(
                f,
                "{on}{verbs}的事件未写明领域，无法判断是否由分管领导{verbs}"
            ),
            Outcome::NoArea { on: None } => {
                write!(f, "事件未写明领域，无法判断谁是分管领导、是否已向其{verbs}")
            }
            Outcome::OffCalendar { on, earliest } => write!(
                f,
                "{on}{verbs}：应提前的期限落在日历未收节假日的年份，最早在 {earliest}；{on} 晚于它，是否足够提前取决于该年的节假日安排"
            ),
            Outcome::Breached { occasion, problems } => {
                write!(f, "{occasion}须")?;
                match occasion.lead {
                    None => f.write_str("事先")?,
                    Some(d) => write!(f, "提前{}", d.describe())?,
                }
                write!(f, "{verbs}：")?;
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("；")?;
                    }
                    match p {
                        Problem::Late { label, on, limit } => {
                            write!(f, "{label}{verbs}在 {on}，晚于应提前的 {limit}")?
                        }
                        Problem::Missing { label, seen: None } => write!(f, "未见{label}{verbs}")?,
                        Problem::Missing {
                            label,
                            seen: Some(seen),
                        } => write!(f, "未见{label}{verbs}（{seen}）")?,
                    }
                }
                Ok(())
            }
            Outcome::InTime {
                occasion,
                on,
                limit,
            } => {
                write!(f, "{occasion}：已于 ")?;
                for (i, d) in on.iter().enumerate() {
                    if i > 0 {
                        f.write_str("、")?;
                    }
                    write!(f, "{d}")?;
                }
                write!(f, " {verbs}，不晚于 {limit}")
            }
        }
    }
}
