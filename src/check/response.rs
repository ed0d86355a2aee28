//! 响应: every trigger T must be followed by a matching R within the deadline.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use super::context::Lateness;
use super::pattern::{
    Ahead, AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule, calendar_span,
    impossible, pattern_text, with_trips,
};
use super::{Ctx, DateRole, Draft, Finding, PartyRef, Reason, Verdict};
use crate::compile::MINUTES;
use crate::compile::ir::{
    Actor, CompiledRule, DEFAULT_DOCUMENT_LOOKBACK, Deadline, EventIr, Party, Pattern, Ruleset,
    TargetSpec,
};
use crate::generate::{Gen, Made};
use crate::syntax::ast::{Role, TimeUnit, Verb};

/// One thing owed after a trigger: borrowed from the trigger and the
/// rule, not copied (only `what` goes into the finding).
struct Obligation<'e> {
    /// What must be responded to: a document, a request.
    object: Option<&'e str>,
    /// Minutes of this meeting.
    minutes_of: Option<&'e str>,
    /// Who must respond (a recipient of the trigger).
    responder: Option<&'e Party>,
    /// To whom the response must go (向 X), when the rule names several:
    /// each is owed separately (分别).
    to: Option<&'e crate::compile::ir::TargetSpec>,
    what: What<'e>,
}

/// What is owed, borrowed from the scenario: made an [`Owed`] only for a
/// finding that is built.
#[derive(Clone, Copy)]
enum What<'e> {
    Decided(&'e str),
    Minutes(Option<&'e str>),
    Handler(&'e Party, Option<&'e str>),
    Addressee(&'e Party, Option<&'e str>),
    Object(Option<&'e str>),
    /// The 分管领导 of one area of the matter.
    AreaLeader(&'e str, Option<&'e str>),
}

impl What<'_> {
    fn owed(self, ctx: &Ctx<'_>) -> Owed {
        match self {
            What::Decided(d) => Owed::Decided(d.into()),
            What::Minutes(m) => Owed::Minutes(m.map(Arc::from)),
            What::Handler(p, o) => Owed::Handler {
                party: ctx.party_ref(p),
                object: o.map(Arc::from),
            },
            What::Addressee(p, o) => Owed::Addressee {
                party: ctx.party_ref(p),
                object: o.map(Arc::from),
            },
            What::Object(o) => Owed::Object(o.map(Arc::from)),
            What::AreaLeader(a, o) => Owed::AreaLeader {
                area: Arc::from(a),
                object: o.map(Arc::from),
            },
        }
    }
}

/// The events recording the party in breach of a response: the late
/// response itself, and the trigger only when it is that party's own act
/// (the same actor, or an obligation owed by the trigger's actor). A note
/// on a meeting excuses nobody's late document.
/// How long before a trip the office's notice of it (在 外出 前后 …) may
/// come and still be about it.
const TRIP_NOTICE_DAYS: u64 = 31;

fn breacher<'e>(t: &'e EventIr, r: Option<&'e EventIr>, ob: &Obligation<'_>) -> Vec<&'e EventIr> {
    let who = r.and_then(|r| r.actor.as_ref()).or(ob.responder);
    let own = ob.responder.is_none() && ob.object.is_none() && ob.minutes_of.is_none();
    let mut out: Vec<&EventIr> = r.into_iter().collect();
    if (who.is_some() && who == t.actor.as_ref()) || (who.is_none() && own) {
        out.push(t);
    }
    out
}

/// 在 T 后 D内 R: the rule's terms.
#[derive(Debug, Clone)]
pub struct ResponseRule {
    pub trigger: Pattern,
    /// None: 及时 — the response must come, with no deadline.
    pub within: Option<Deadline>,
    pub response: Pattern,
    /// 在 T 前后 R: an answer before the trigger counts too (no deadline).
    pub either_side: bool,
}

impl PatternRule for ResponseRule {
    fn name(&self) -> &'static str {
        "响应"
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        with_trips(&self.trigger.verbs)
    }

    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
        check(ctx, rule, self)
    }

    fn audit_needs(&self, rule: &CompiledRule) -> AuditNeeds<'_> {
        let ahead = match self.within {
            // 除 另有时限 外: a recorded limit may reach further.
            Some(d) if rule.own_deadline => Ahead::Days(
                u32::try_from(calendar_span(d.unit, d.amount) + RECORDED_LIMIT_REACH)
                    .unwrap_or(u32::MAX),
            ),
            Some(d) if d.unit == TimeUnit::WorkingDay => Ahead::WorkingDays(d.amount),
            Some(d) => Ahead::Days(d.amount),
            None => Ahead::Prompt,
        };
        // 前后: an answer may precede the trigger, by as long as a review
        // may precede the act it is for.
        let keep = if self.either_side {
            vec![(
                self.response.verbs.as_slice(),
                calendar_span(
                    DEFAULT_DOCUMENT_LOOKBACK.unit,
                    DEFAULT_DOCUMENT_LOOKBACK.amount,
                ),
            )]
        } else {
            Vec::new()
        };
        AuditNeeds {
            ahead,
            keep,
            ..AuditNeeds::default()
        }
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        self.within.map(|deadline| CountedDeadline {
            deadline,
            forward: true,
        })
    }

    fn diff_fields(&self, rs: &Ruleset, m: &mut BTreeMap<&'static str, String>) {
        m.insert("触发", pattern_text(rs, &self.trigger));
        m.insert(
            "期限",
            match (self.either_side, self.within) {
                (true, _) => "前后皆可".to_string(),
                (false, None) => "及时".to_string(),
                (false, Some(d)) => d.describe(),
            },
        );
        m.insert("响应", pattern_text(rs, &self.response));
    }

    fn lint_facts(&self) -> LintFacts<'_> {
        let (trigger, response) = (&self.trigger, &self.response);
        LintFacts {
            patterns: vec![trigger, response],
            actor_check: Some((response.actors.as_slice(), response.verbs.clone())),
            pair_verbs: trigger.verbs.clone(),
            unreachable: impossible(trigger, true).or_else(|| {
                (response.scope.decided && !trigger.verbs.contains(&Verb::Convene))
                    .then_some("“决定印发的公文”须由“召开”会议触发")
                    .or_else(|| impossible(response, false))
            }),
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
        let t = g.event(&self.trigger, object, None);
        // Late enough that every other rule's lead can be met.
        let d = g.lead_room(rule.id, &t, d);
        let mut made = g.siblings(rule.id, &t, d, 0);
        let t_copy = t.clone();
        g.emit(d, t);
        made += 1;
        let late = faulty && g.rng.chance(0.5);
        if faulty && !late {
            g.faults += 1;
            return made;
        }
        let due = self.within.map_or(g.add_days(d, TimeUnit::Day, 5), |w| {
            g.add_days(d, w.unit, w.amount)
        });
        let when = if late {
            g.faults += 1;
            due.checked_add_days(chrono::Days::new(3)).unwrap_or(due)
        } else {
            let span = (due - d).num_days().max(0);
            let k = g.rng.below(usize::try_from(span).unwrap_or(0) + 1);
            d.checked_add_days(chrono::Days::new(k as u64)).unwrap_or(d)
        };
        made + g.respond(&self.response, &t_copy, object, when, 1)
    }

    fn meet(&self, g: &mut Gen<'_>, m: &Made<'_>) -> usize {
        if !g.could_trigger(&self.trigger, m.event) {
            return 0;
        }
        let due = self.within.map_or(g.add_days(m.at, TimeUnit::Day, 5), |w| {
            g.add_days(m.at, w.unit, w.amount)
        });
        g.respond(&self.response, m.event, m.object, due, m.depth + 1)
    }
}

fn check(ctx: &Ctx<'_>, rule: &CompiledRule, terms: &ResponseRule) -> Vec<Finding> {
    let ResponseRule {
        trigger,
        within,
        response,
        ..
    } = terms;
    let rs = ctx.rs;
    let minutes_id = rs.document_names.get(MINUTES);
    let wants_minutes = minutes_id.is_some_and(|m| response.scope.document_kinds.contains(&m));
    let replying = response.answers();
    let mut out = Vec::new();
    let triggers = super::triggers(ctx, rule, trigger, &mut out);
    // No trigger (most rules on most scenarios): nothing more to build.
    if triggers.is_empty() {
        return out;
    }
    // Joined only when a finding is built.
    let verbs: std::cell::OnceCell<Arc<str>> = std::cell::OnceCell::new();
    // Mostly one finding per trigger: sized once, not grown by copying.
    out.reserve(triggers.len());
    // Its addressee is tested against the trigger (分管领导: of the
    // trigger's 领域), below.
    let fits = |r: &EventIr| ctx.in_scope(&response.scope, r);
    // Responses to no named document or meeting: every candidate, once.
    let mut all: Option<Vec<&EventIr>> = None;
    // The candidates about an obligation's document: one list, refilled.
    let mut about: Vec<&EventIr> = Vec::new();
    // A trigger's obligations (and, 向 A、B, each one per target): lists
    // kept across triggers, cleared, not reallocated.
    let mut obligations: Vec<Obligation> = Vec::new();
    let mut each: Vec<Obligation> = Vec::new();
    let mut per_area: Vec<Obligation> = Vec::new();
    // 待定: whose answer is owed, or to whom, is not written.
    let undecided = |t: &EventIr, why: Answer| {
        Draft::because(
            rule,
            Verdict::Pending,
            Reason::Pattern(PatternFacts::Response(Box::new(why))),
        )
        .event(t)
        .finish(rs)
    };
    for &t in &triggers {
        obligations.clear();
        if response.scope.decided {
            obligations.extend(t.decided.iter().map(|d| Obligation {
                object: Some(d.as_str()),
                minutes_of: None,
                responder: None,
                to: None,
                what: What::Decided(d.as_str()),
            }));
        } else if wants_minutes && t.verb == Verb::Convene {
            obligations.push(Obligation {
                object: None,
                minutes_of: t.object.as_deref(),
                responder: None,
                to: None,
                what: What::Minutes(t.object.as_deref()),
            });
        } else if replying && response.actors.contains(&Actor::Role(Role::Handler)) {
            // 承办单位 回复: owed by whoever handles it, not the addressee.
            match ctx.handler_of(t) {
                Some(h) => obligations.push(Obligation {
                    object: t.object.as_deref(),
                    minutes_of: None,
                    responder: Some(h),
                    to: None,
                    what: What::Handler(h, t.object.as_deref()),
                }),
                None => {
                    out.push(undecided(t, Answer::NoHandler));
                    continue;
                }
            }
        } else if replying && !t.targets.is_empty() && response.actors.is_empty() {
            // An answer owed by each addressee — unless the rule names who
            // answers (重大事项报县长审批: a 请示 sent to the office is
            // answered by the 县长, not the office; blind r18 瓜州 R18-45).
            // 除 向 X 外: those addressees owe no answer.
            let owing = t
                .targets
                .iter()
                .filter(|r| !super::exempt_addressee(ctx, rule, r, t));
            obligations.extend(owing.map(|r| Obligation {
                object: t.object.as_deref(),
                minutes_of: None,
                responder: Some(r),
                to: None,
                what: What::Addressee(r, t.object.as_deref()),
            }));
        } else {
            obligations.push(Obligation {
                object: t.object.as_deref(),
                minutes_of: None,
                responder: None,
                to: None,
                what: What::Object(t.object.as_deref()),
            });
        }
        if obligations.is_empty() {
            continue;
        }
        // 及时: no number of days, so no date to miss.
        // After a multi-day meeting or trip: from its last day. A deadline
        // past the calendar's years is decided below, if it can be.
        let deadline = within.map(|d| ctx.try_add(t.end(), d));
        // 向 A、B: the response is owed to each of them.
        let owed: &[Obligation] = if response.scope.targets.len() > 1 && !response.scope.targets_any
        {
            each.clear();
            for ob in &obligations {
                for x in &response.scope.targets {
                    each.push(Obligation {
                        object: ob.object,
                        minutes_of: ob.minutes_of,
                        responder: ob.responder,
                        to: Some(x),
                        what: ob.what,
                    });
                }
            }
            &each
        } else {
            &obligations
        };
        // 分管领导 answering a matter in several 领域: the leader of each
        // owes his own (分管领导分别分批; blind r19 瓜州 R19-56, r20 R20-65).
        let parts = || {
            t.area
                .as_deref()
                .map(crate::syntax::ast::area_parts)
                .into_iter()
                .flatten()
        };
        let owed: &[Obligation] = if response.actors.contains(&Actor::Role(Role::AreaLeader))
            && t.area
                .as_deref()
                .is_some_and(crate::syntax::ast::several_areas)
        {
            per_area.clear();
            for ob in owed {
                for part in parts() {
                    per_area.push(Obligation {
                        what: What::AreaLeader(part, t.object.as_deref()),
                        ..*ob
                    });
                }
            }
            &per_area
        } else {
            owed
        };
        let meeting = ctx.meeting_of(t);
        // 及时, or 前后 (the same, an answer on either side of the trigger).
        let prompt = |p: Prompt| {
            if terms.either_side && t.verb.is_trip() {
                Outcome::TripNotice(p)
            } else if terms.either_side {
                Outcome::EitherSide(p)
            } else {
                Outcome::Prompt(p)
            }
        };
        for ob in owed {
            // "向国务院报备" reads before the verb.
            // Built only for a finding that is built.
            let owing = |outcome: Outcome| {
                let act = Act {
                    verbs: verbs
                        .get_or_init(|| Arc::from(super::pattern::verbs_text(&response.verbs)))
                        .clone(),
                    to: ob
                        .to
                        .or(match response.scope.targets.as_slice() {
                            [only] => Some(only),
                            _ => None,
                        })
                        .map(|x| Arc::from(ctx.target_name(x))),
                };
                Reason::Pattern(PatternFacts::Response(Box::new(Answer::Owed(Owing {
                    from: t.end(),
                    act,
                    what: ob.what.owed(ctx),
                    outcome,
                }))))
            };
            // Most obligations name their document (or, for minutes, the
            // meeting the minutes are about): look there only.
            let pool: &[&EventIr] = match ob.object {
                Some(o) => {
                    ctx.about_into(o, &response.verbs, &mut about);
                    &about
                }
                None => all.get_or_insert_with(|| ctx.with_verbs(&response.verbs)),
            };
            // 及时 in an audit: looked for a number of days only.
            let horizon = match (within, ctx.prompt_days) {
                (None, Some(n)) => t.end().checked_add_days(chrono::Days::new(u64::from(n))),
                _ => None,
            };
            // After a trip, the answer comes on or after the return (返程后:
            // a report written on the road is not one); after a meeting, from
            // its first day (what it decided may be published at once).
            // 前后: any day, the trigger's own event excepted.
            // 前后 a trip (由办公室通报其他领导同志): told while it is ahead or
            // under way — from a month before it to its last day; a report
            // after the return, or weeks before, is about another trip
            // (blind r18 克州 R18-32).
            let trip_notice = terms.either_side && t.verb.is_trip();
            let after = if trip_notice {
                t.start()
                    .checked_sub_days(chrono::Days::new(TRIP_NOTICE_DAYS))
                    .unwrap_or(NaiveDate::MIN)
            } else if terms.either_side {
                NaiveDate::MIN
            } else if t.verb.is_trip() {
                t.end()
            } else {
                t.date
            };
            let until = if trip_notice { t.end() } else { NaiveDate::MAX };
            // Every test of an answer but its addressee. Cheap field tests
            // first; scope and party tests last.
            let answers = |r: &EventIr| {
                r.date >= after
                    && r.date <= until
                    && r.index != t.index
                    && horizon.is_none_or(|h| r.date <= h)
                    // About the trigger's object: the same title, or one that
                    // names it as its 依据 (解读材料 依据 "乾政发〔2023〕5号").
                    && (ob.object.is_none()
                        || r.object.as_deref() == ob.object
                        || r.basis.as_deref() == ob.object)
                    && (ob.minutes_of.is_none() || r.basis.as_deref() == ob.minutes_of)
                    && (ob.responder.is_none() || r.actor.as_ref() == ob.responder)
                    // Each area's own leader (分管领导分别分批).
                    && match ob.what {
                        What::AreaLeader(area, _) => ctx.done_by_area_leader(r, area),
                        _ => true,
                    }
                    // With no object to tie them, the answer is the trigger's
                    // own actor's — unless the rule names who answers
                    // (由县政府办公室通报).
                    && (ob.object.is_some()
                        || ob.minutes_of.is_some()
                        || !response.actors.is_empty()
                        || r.actor == t.actor)
                    && fits(r)
                    // 县某局 报送: the responder named by the rule.
                    && (response.actors.is_empty()
                        || r.actor.as_ref().is_some_and(|a| {
                            ctx.party_fills(a, &response.actors, r, t) != Some(false)
                        }))
            };
            let found = pool
                .iter()
                .filter(|r| answers(r))
                .filter(|r| {
                    // The one away is not among those told of his trip
                    // (其他领导同志; blind r18 克州 R18-56).
                    let to = |x| {
                        r.targets.iter().any(|p| {
                            !(trip_notice && t.actor.as_ref() == Some(p))
                                && ctx.party_is_target(p, x, meeting, t, r.date)
                        })
                    };
                    match ob.to {
                        Some(x) => to(x),
                        None => {
                            response.scope.targets.is_empty()
                                || response.scope.targets.iter().any(to)
                        }
                    }
                })
                .min_by_key(|r| (r.date, r.index))
                .copied();
            // 向 分管领导 of a trigger with no 领域: an answer to anyone may
            // have gone to the one who leads it, so undecided; with none at
            // all, judged as missing whoever leads it.
            if found.is_none()
                && t.area.is_none()
                && ob
                    .to
                    .map_or(&response.scope.targets[..], std::slice::from_ref)
                    .contains(&TargetSpec::Role(Role::AreaLeader))
                && pool.iter().any(|r| !r.targets.is_empty() && answers(r))
            {
                out.push(undecided(t, Answer::NoArea));
                continue;
            }
            // An answer that exists but from another party: say so, never
            // "未见" (见县住建局回复，但应由县教育局回复).
            // Looked for only for a finding that says something is missing.
            let missing = || match (&found, ob.responder) {
                (None, Some(owed)) => pool
                    .iter()
                    .find(|r| {
                        r.date >= t.date
                            && r.index != t.index
                            && r.object.as_deref() == ob.object
                            && r.actor.as_ref().is_some_and(|a| a != owed)
                    })
                    .and_then(|r| r.actor.as_ref().map(|a| (r.date, a)))
                    .map_or(Missing::Nothing, |(on, by)| {
                        Missing::OtherParty(Box::new(OtherParty {
                            by: ctx.party_ref(by),
                            on,
                            owed: ctx.party_ref(owed),
                        }))
                    }),
                // 县长 审批: an act about the matter by someone the rule
                // does not name (a 副县长's 审批) — say so, never “未见”.
                (None, None) if !response.actors.is_empty() => pool
                    .iter()
                    .find(|r| {
                        (terms.either_side || r.date >= t.date)
                            && r.index != t.index
                            && ob.object.is_some()
                            && r.object.as_deref() == ob.object
                            && r.actor.as_ref().is_some_and(|a| {
                                ctx.party_fills(a, &response.actors, r, t) == Some(false)
                            })
                    })
                    .and_then(|r| r.actor.as_ref().map(|a| (r.date, a)))
                    .map_or(Missing::Nothing, |(on, by)| {
                        Missing::NotNamed(Box::new(NotNamed {
                            by: ctx.party_ref(by),
                            on,
                            wanted: Arc::from(super::actors_text(ctx.rs, &response.actors)),
                        }))
                    }),
                _ => Missing::Nothing,
            };
            let (deadline, within) = match (deadline.clone(), within) {
                (Some(Ok(x)), Some(d)) => (x, *d),
                (Some(Err(err)), Some(d)) => {
                    // The deadline runs off the calendar: an answer counted
                    // within the days the calendar knows complies whatever
                    // comes after; otherwise the verdict depends on it —
                    // unless the record stops (截至) within the days the
                    // calendar knows, before the deadline could fall.
                    let open_at = ctx
                        .sc
                        .cutoff
                        .filter(|c| ctx.within(t.end(), *c, *d) == Some(true));
                    match (found, open_at) {
                        (Some(r), _) if ctx.within(t.end(), r.date, *d) == Some(true) => {
                            if ctx.counted(rule, Verdict::Complied) {
                                continue;
                            }
                            out.push(
                                Draft::because(
                                    rule,
                                    Verdict::Complied,
                                    owing(Outcome::InTimeOffCalendar {
                                        within: *d,
                                        answered: r.date,
                                    }),
                                )
                                .event(t)
                                .event(r)
                                .finish(rs),
                            );
                        }
                        // Nothing answered by a 截至 that falls before the
                        // deadline could: 待定 whatever the year the calendar
                        // lacks holds (blind r18 巩留 R18-23: 2025-12-23 + 7
                        // working days, 截至 12-30, Xinjiang's 2026 unknown).
                        (None, Some(cutoff)) => {
                            out.push(
                                Draft::because(
                                    rule,
                                    Verdict::Pending,
                                    owing(Outcome::OpenOffCalendar { within: *d, cutoff }),
                                )
                                .event(t)
                                .date(DateRole::Cutoff, cutoff)
                                .finish(rs),
                            );
                        }
                        _ => ctx.off_calendar(t, err),
                    }
                    continue;
                }
                _ => {
                    // 及时: no number of days, so no date to miss.
                    let draft = match (&found, ctx.sc.cutoff) {
                        (None, c) if horizon.is_some_and(|h| c.is_none_or(|c| h <= c)) => {
                            Draft::because(
                                rule,
                                Verdict::Pending,
                                owing(prompt(Prompt::NotSeenWithin {
                                    until: horizon.unwrap_or(t.date),
                                    days: ctx.prompt_days.unwrap_or(0),
                                })),
                            )
                            .event(t)
                        }
                        // Count-only: counted, not built.
                        (Some(_), _) if ctx.counted(rule, Verdict::Complied) => continue,
                        (Some(r), _) => Draft::because(
                            rule,
                            Verdict::Complied,
                            owing(prompt(Prompt::Answered(r.date))),
                        )
                        .event(t)
                        .event(r),
                        (None, Some(c)) => Draft::because(
                            rule,
                            Verdict::Pending,
                            owing(prompt(Prompt::NotYet { cutoff: c })),
                        )
                        .event(t)
                        .date(DateRole::Cutoff, c),
                        (None, None) => Draft::because(
                            rule,
                            Verdict::Violated,
                            owing(prompt(Prompt::Missing(missing()))),
                        )
                        .event(t)
                        .excuse_if_justified(ctx, &breacher(t, None, ob)),
                    };
                    let owed_by = ob.responder.map(|r| ctx.party_ref(r));
                    out.push(draft.party(owed_by).finish(rs));
                    continue;
                }
            };
            // 除 另有时限 外: a time limit recorded by the rule's own deadline
            // (on the trigger, or agreed on an event about the same matter)
            // governs instead.
            let own = rule
                .own_deadline
                .then(|| recorded_limit(ctx, t, ob.object, ob.responder, deadline))
                .flatten();
            // The audit looks no further than the reach: an answer not seen by
            // then, under a limit beyond it, cannot be judged there.
            let reach = deadline
                .checked_add_days(chrono::Days::new(RECORDED_LIMIT_REACH))
                .unwrap_or(deadline);
            if let Some((limit, by)) = own
                && ctx.prompt_days.is_some()
                && limit > reach
                && found.is_none_or(|r| r.date > reach)
            {
                out.push(
                    Draft::because(
                        rule,
                        Verdict::Pending,
                        owing(Outcome::BeyondReach {
                            limit,
                            set: SetLimit {
                                on: by.date,
                                by: by.verb,
                            },
                            reach,
                        }),
                    )
                    .event(t)
                    .event(by)
                    .finish(rs),
                );
                continue;
            }
            let deadline = own.map_or(deadline, |(d, _)| d);
            let own_set = own.map(|(_, by)| SetLimit {
                on: by.date,
                by: by.verb,
            });
            let dated = |result: ByDeadline| {
                owing(Outcome::Deadline {
                    within,
                    own: own_set,
                    deadline,
                    result,
                })
            };
            let mut draft = match &found {
                // Count-only: counted, not built.
                Some(r) if r.date <= deadline && ctx.counted(rule, Verdict::Complied) => continue,
                Some(r) if r.date <= deadline => {
                    Draft::because(rule, Verdict::Complied, dated(ByDeadline::InTime(r.date)))
                        .event(t)
                        .event(r)
                }
                Some(r) => Draft::because(
                    rule,
                    Verdict::Violated,
                    dated(ByDeadline::Late {
                        answered: r.date,
                        by: ctx.lateness(within.unit, deadline, r.date),
                    }),
                )
                .event(t)
                .event(r)
                // The late party's own record: a note on the trigger by
                // someone else (a meeting postponed) excuses nothing.
                .excuse_if_justified(ctx, &breacher(t, Some(r), ob)),
                None => match ctx.sc.cutoff {
                    Some(c) if c < deadline => Draft::because(
                        rule,
                        Verdict::Pending,
                        dated(ByDeadline::NotYet { cutoff: c }),
                    )
                    .event(t)
                    .date(DateRole::Cutoff, c),
                    _ => Draft::because(
                        rule,
                        Verdict::Violated,
                        dated(ByDeadline::Missing(missing())),
                    )
                    .event(t)
                    .excuse_if_justified(ctx, &breacher(t, None, ob)),
                },
            };
            let owed_by = ob.responder.map(|r| ctx.party_ref(r));
            // The rule's own deadline counts from the trigger's last day; a
            // recorded time limit is a date, not counted.
            if own.is_none() {
                draft = draft.counted_from(t.end());
            }
            out.push(
                draft
                    .date(DateRole::Deadline, deadline)
                    .party(owed_by)
                    .finish(rs),
            );
        }
    }
    out
}

/// How far past the rule's own deadline the audit keeps looking for an
/// answer under a recorded time limit; an answer still missing then under a
/// later limit is 待定 in the audit (the whole-log check sees it all).
pub const RECORDED_LIMIT_REACH: u64 = 14;

/// The time limit recorded (`时限 D`) on the trigger or on the latest event
/// about the same matter dated between the trigger and the rule's deadline,
/// with the event that set it.
fn recorded_limit<'c>(
    ctx: &'c Ctx<'_>,
    t: &'c EventIr,
    object: Option<&str>,
    responder: Option<&Party>,
    by: NaiveDate,
) -> Option<(NaiveDate, &'c EventIr)> {
    let mut best: Option<&EventIr> = t.due.map(|_| t);
    // A limit agreed later binds only the party it was agreed with (by it,
    // or with it): 县人社局's 商定 does not extend 县财政局's reply.
    let with_responder = |e: &EventIr| {
        responder.is_none_or(|r| e.actor.as_ref() == Some(r) || e.targets.contains(r))
    };
    if let Some(o) = object {
        // Only the events dated between: found by bisection.
        for e in ctx.about_dated(o, t.date, by) {
            if e.due.is_some()
                && with_responder(e)
                && best.is_none_or(|b| (e.date, e.index) > (b.date, b.index))
            {
                best = Some(e);
            }
        }
    }
    let e = best?;
    Some((e.due?, e))
}

/// What a 响应 finding found, as facts ([`PatternFacts::Response`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 承办单位 回复, but the trigger names no 承办: whose answer is owed
    /// is unknown.
    NoHandler,
    /// 向 分管领导, but the trigger names no 领域: who is owed is unknown.
    NoArea,
    /// One obligation judged.
    Owed(Owing),
}

/// An obligation after a trigger and how it was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owing {
    /// The trigger's last day, from which the rule counts.
    pub from: NaiveDate,
    pub act: Act,
    pub what: Owed,
    pub outcome: Outcome,
}

/// The act owed: the rule's verbs, and to whom when it names one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act {
    /// The response verbs, as the rule joins them (回复或答复).
    pub verbs: Arc<str>,
    pub to: Option<Arc<str>>,
}

/// What is owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owed {
    /// A document the meeting decided to issue (决定印发).
    Decided(Arc<str>),
    /// The minutes of the meeting (named, when it is).
    Minutes(Option<Arc<str>>),
    /// The 承办单位's answer about the matter.
    Handler {
        party: PartyRef,
        object: Option<Arc<str>>,
    },
    /// An addressee's answer about the matter.
    Addressee {
        party: PartyRef,
        object: Option<Arc<str>>,
    },
    /// The matter itself (named, when it is).
    Object(Option<Arc<str>>),
    /// The 分管领导 of one of the matter's areas, about it.
    AreaLeader {
        area: Arc<str>,
        object: Option<Arc<str>>,
    },
}

/// How the obligation was met, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The deadline runs off the calendar, but the answer came within the
    /// days the calendar knows.
    InTimeOffCalendar {
        within: Deadline,
        answered: NaiveDate,
    },
    /// The deadline runs off the calendar, but the record stops (截至)
    /// within the days the calendar knows, before it could fall.
    OpenOffCalendar { within: Deadline, cutoff: NaiveDate },
    /// 及时: no number of days.
    Prompt(Prompt),
    /// 前后: no number of days, and the answer may precede the trigger.
    EitherSide(Prompt),
    /// 前后 a trip: told from a month before it to its last day.
    TripNotice(Prompt),
    /// Under a recorded time limit beyond what the audit looks at.
    BeyondReach {
        limit: NaiveDate,
        set: SetLimit,
        reach: NaiveDate,
    },
    /// Judged against the deadline (the rule's, or a recorded limit).
    Deadline {
        within: Deadline,
        /// 除 另有时限 外: the event that set the deadline, when one did.
        own: Option<SetLimit>,
        deadline: NaiveDate,
        result: ByDeadline,
    },
}

/// The event that recorded a time limit (时限 D).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetLimit {
    pub on: NaiveDate,
    pub by: Verb,
}

/// A 及时 obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Not seen within the days the audit looks ahead.
    NotSeenWithin {
        until: NaiveDate,
        days: u32,
    },
    Answered(NaiveDate),
    /// Not yet by 截至.
    NotYet {
        cutoff: NaiveDate,
    },
    Missing(Missing),
}

/// An obligation with a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByDeadline {
    InTime(NaiveDate),
    Late {
        answered: NaiveDate,
        by: Lateness,
    },
    /// Not yet by 截至, before the deadline.
    NotYet {
        cutoff: NaiveDate,
    },
    Missing(Missing),
}

/// No answer: none at all, or one by another party than the one owing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Nothing,
    OtherParty(Box<OtherParty>),
    /// Done by someone the rule does not name as the one to do it.
    NotNamed(Box<NotNamed>),
}

/// An act by `by` on `on`, where the rule wants one of `wanted`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotNamed {
    pub by: PartyRef,
    pub on: NaiveDate,
    pub wanted: Arc<str>,
}

/// An answer by `by` on `on`, where `owed` owed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherParty {
    pub by: PartyRef,
    pub on: NaiveDate,
    pub owed: PartyRef,
}

impl fmt::Display for Act {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(to) = &self.to {
            write!(f, "向{to}")?;
        }
        f.write_str(&self.verbs)
    }
}

impl fmt::Display for Owed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owed::Decided(d) => write!(f, "“{d}”"),
            Owed::Minutes(m) => write!(f, "“{}”的纪要", m.as_deref().unwrap_or("该会议")),
            Owed::Handler { party, object } => write!(
                f,
                "承办单位{party}对“{}”",
                object.as_deref().unwrap_or("该事项")
            ),
            Owed::Addressee { party, object } => {
                write!(f, "{party}对“{}”", object.as_deref().unwrap_or("该事项"))
            }
            Owed::AreaLeader { area, object } => write!(
                f,
                "分管{area}的领导对“{}”",
                object.as_deref().unwrap_or("该事项")
            ),
            Owed::Object(Some(o)) => write!(f, "“{o}”"),
            Owed::Object(None) => f.write_str("该事项"),
        }
    }
}

/// "未见…", or who answered instead of whom.
struct MissingText<'a>(&'a Missing, &'a Act);

impl fmt::Display for MissingText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let act = self.1;
        match self.0 {
            Missing::Nothing => write!(f, "未见{act}"),
            Missing::OtherParty(o) => {
                write!(f, "只见{}于 {} {act}，但应由{}{act}", o.by, o.on, o.owed)
            }
            Missing::NotNamed(o) => {
                write!(f, "只见{}于 {} {act}，但应由{}{act}", o.by, o.on, o.wanted)
            }
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = match self {
            Answer::NoHandler => {
                return f.write_str("事件未写明承办单位（承办 X），无法判断应由谁答复");
            }
            Answer::NoArea => {
                return f.write_str("事件未写明领域，无法判断谁是分管领导、是否已向其办理");
            }
            Answer::Owed(o) => o,
        };
        let (from, act, what) = (o.from, &o.act, &o.what);
        match &o.outcome {
            Outcome::InTimeOffCalendar { within, answered } => write!(
                f,
                "{from}后{}内{act}{what}：{answered}已{act}，在期限之内（期限本身超出日历范围，但不影响结论）",
                within.describe()
            ),
            Outcome::OpenOffCalendar { within, cutoff } => write!(
                f,
                "{from}后{}内{act}{what}：截至 {cutoff} 尚未{act}；期限超出日历范围，但截至日尚在期限之内，尚无定论",
                within.describe()
            ),
            Outcome::Prompt(p) | Outcome::EitherSide(p) | Outcome::TripNotice(p) => {
                if matches!(o.outcome, Outcome::EitherSide(_)) {
                    write!(f, "须{act}{what}（{from} 之前或之后均可）：")?;
                } else if matches!(o.outcome, Outcome::TripNotice(_)) {
                    write!(
                        f,
                        "须在外出之前或途中{act}{what}（外出前{TRIP_NOTICE_DAYS}日内至 {from} 外出结束）："
                    )?;
                } else {
                    write!(f, "{from}后须及时{act}{what}：")?;
                }
                match p {
                    Prompt::NotSeenWithin { until, days } => write!(
                        f,
                        "至 {until} 未见{act}（审计只向后查找{days}日）；本条未规定天数，无从判定逾期"
                    ),
                    Prompt::Answered(d) => write!(f, "{d}已{act}"),
                    Prompt::NotYet { cutoff } => {
                        write!(f, "截至 {cutoff} 尚未{act}；本条未规定天数，无从判定逾期")
                    }
                    Prompt::Missing(m) => write!(f, "情景记录中始终{}", MissingText(m, act)),
                }
            }
            Outcome::BeyondReach { limit, set, reach } => write!(
                f,
                "{from}后{act}{what}：依{}{}记录的时限 {limit}，至 {reach} 未见{act}（审计只向后查找到本条期限后{RECORDED_LIMIT_REACH}日）",
                set.on,
                set.by.word()
            ),
            Outcome::Deadline {
                within,
                own,
                deadline,
                result,
            } => {
                if within.amount == 0 {
                    write!(f, "{from}当日{act}{what}")?;
                } else {
                    write!(f, "{from}后{}内{act}{what}", within.describe())?;
                }
                if let Some(set) = own {
                    write!(f, "（依{}{}记录的时限 {deadline}）", set.on, set.by.word())?;
                }
                match result {
                    ByDeadline::InTime(d) => write!(f, "：{d}已{act}，未超过期限 {deadline}"),
                    ByDeadline::Late { answered, by } => {
                        write!(f, "：{answered}才{act}，超过期限 {deadline}（逾期{by}）")
                    }
                    ByDeadline::NotYet { cutoff } => {
                        write!(f, "：截至 {cutoff} 尚未{act}，期限 {deadline} 未到")
                    }
                    ByDeadline::Missing(m) => {
                        write!(f, "：至期限 {deadline} {}", MissingText(m, act))
                    }
                }
            }
        }
    }
}
