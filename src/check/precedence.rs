//! 先行: a trigger must be preceded by a matching event (a leave request, a
//! report, a review), on or before the trigger's start, or at least the
//! lead time before it, addressed to each required target.

use super::{Ctx, DateRole, Draft, Finding, Verdict};
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::compile::ir::{
    Actor, CompiledRule, EventIr, Party, Pattern, PersonId, RuleKind, TargetSpec,
};
use crate::syntax::ast::Role;

/// Does a personal precedent (leave, report) belong to the occasion `t`?
/// One that names a meeting or trip (依据 "…") belongs to that one; one with
/// a period (自 … 至) to what that period covers; one with neither to the
/// next occasion of its person after it (not to every later one).
fn belongs(ctx: &Ctx<'_>, occasions: &Occasions<'_>, p: &EventIr, t: &EventIr) -> bool {
    if let Some(named) = p.basis.as_deref() {
        let meeting = ctx.meeting_of(t).and_then(|m| m.object.as_deref());
        return t.object.as_deref() == Some(named) || meeting == Some(named);
    }
    if let Some((a, b)) = p.period {
        return a <= t.start() && t.end() <= b;
    }
    // An earlier occasion of the same person after the precedent takes it.
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

/// Every occasion of the rule's trigger (all events, not only the trigger
/// window), per person, by start date: (start, event index).
type Occasions<'e> = HashMap<&'e Party, Vec<(NaiveDate, usize)>>;

fn occasions<'e>(ctx: &'e Ctx<'_>, trigger: &Pattern) -> Occasions<'e> {
    let mut out: Occasions<'e> = HashMap::new();
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

pub(super) fn check(ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
    let RuleKind::Precedence {
        trigger,
        lead,
        lookback,
        precedent,
    } = &rule.kind
    else {
        return Vec::new();
    };
    let rs = ctx.rs;
    let verb_word = precedent
        .verbs
        .iter()
        .map(|v| v.word())
        .collect::<Vec<_>>()
        .join("或");
    let personal = Pattern::personal_precedent(trigger, precedent);
    let mut out = Vec::new();
    let triggers = super::triggers(ctx, rule, trigger, &mut out);
    let occasions = if personal && !triggers.is_empty() {
        occasions(ctx, trigger)
    } else {
        HashMap::new()
    };
    for &t in &triggers {
        let start = t.start();
        let limit = match lead {
            None => Some(start),
            Some(d) => ctx.sub(t, start, *d),
        };
        let Some(limit) = limit else { continue };
        // The look-back: older precedents belong to other occasions.
        let Some(earliest) = ctx.sub(t, limit, *lookback) else {
            continue;
        };
        let who = t
            .actor
            .as_ref()
            .map_or_else(|| "行为人".to_string(), |a| ctx.sc.party_name(a));
        let meeting = ctx.meeting_of(t);
        // The same person's, or about the same document.
        let last = t.period.map_or(t.date, |(_, end)| end);
        let pool = match (personal, &t.actor, &t.object) {
            (true, Some(a), _) => ctx.done_by_between(a, &precedent.verbs, earliest, last),
            (false, _, Some(o)) => ctx.about_between(o, &precedent.verbs, earliest, last),
            _ => Vec::new(),
        };
        let candidates: Vec<&EventIr> = pool
            .iter()
            .filter(|p| ctx.in_scope(&precedent.scope, p))
            // Precedents after the start are kept only to say "too late".
            .filter(|p| p.index != t.index && p.date <= t.period.map_or(t.date, |(_, end)| end))
            .filter(|p| p.date >= earliest)
            // 县司法局 审核: the precedent's own actor, when the rule names one
            // (kept when undecidable; noted below).
            .filter(|p| {
                personal
                    || precedent.actors.is_empty()
                    || p.actor
                        .as_ref()
                        .is_some_and(|a| ctx.party_fills(a, &precedent.actors, p, t) != Some(false))
            })
            .filter(|p| {
                if personal {
                    p.actor.is_some() && p.actor == t.actor
                } else {
                    p.object.is_some() && p.object == t.object
                }
            })
            .filter(|p| !personal || belongs(ctx, &occasions, p, t))
            .copied()
            .collect();
        // 向 A、B: each is owed; 向 A 或 B: one requirement, any of them;
        // 向 参会人员: each person at the meeting (出席 or 列席) is owed.
        let targets = &precedent.scope.targets;
        let to_attendees = targets.contains(&TargetSpec::Role(Role::Attendees));
        let mut requirements: Vec<Req<'_>> = if targets.is_empty() {
            vec![Req::Any]
        } else if precedent.scope.targets_any {
            vec![Req::Specs(targets.as_slice())]
        } else {
            targets
                .chunks(1)
                .filter(|c| c.first() != Some(&TargetSpec::Role(Role::Attendees)))
                .map(Req::Specs)
                .collect()
        };
        if to_attendees
            && !precedent.scope.targets_any
            && let Some(m) = meeting
        {
            let mut people: Vec<PersonId> = ctx.at_meeting(m).collect();
            people.sort_unstable();
            people.dedup();
            requirements.extend(people.into_iter().map(Req::Person));
        }
        // 参会人员: each person present at the meeting owes the act.
        let each: Vec<Option<usize>> = if precedent.actors.contains(&Actor::Role(Role::Attendees)) {
            match meeting {
                Some(m) => m.present.iter().copied().map(Some).collect(),
                None => Vec::new(),
            }
        } else {
            vec![None]
        };
        let mut problems = Vec::new();
        let mut used = Vec::new();
        let mut pending = None;
        if each.is_empty() || (to_attendees && requirements.is_empty()) {
            pending = Some(format!(
                "未找到所依据的会议或其出席名单，无法判断参会人员是否{verb_word}"
            ));
        }
        let requirements: Vec<(Req<'_>, Option<usize>)> = each
            .iter()
            .flat_map(|w| requirements.iter().map(move |r| (*r, *w)))
            .collect();
        for (req, by) in requirements {
            let mut label = match req {
                Req::Any => String::new(),
                Req::Specs(r) => {
                    let names: Vec<String> = r.iter().map(|x| ctx.target_name(x)).collect();
                    format!("向{}", names.join("或"))
                }
                Req::Person(id) => format!("向{}", ctx.sc.person_name(id)),
            };
            if let Some(b) = by {
                label = format!("{}{label}", ctx.sc.person_name(b));
            }
            if let Req::Specs(r) = req
                && r.iter().all(|x| matches!(x, TargetSpec::Role(_)))
                && meeting.and_then(|m| m.chair).is_none()
            {
                pending = Some(format!("会议未写明主持人，无法判断是否{label}{verb_word}"));
                continue;
            }
            let addressed: Vec<&EventIr> = candidates
                .iter()
                .copied()
                .filter(|p| match req {
                    Req::Any => true,
                    Req::Specs(r) => p
                        .targets
                        .iter()
                        .any(|x| r.iter().any(|w| ctx.party_is_target(x, w, meeting))),
                    Req::Person(id) => p.targets.contains(&Party::Person(id)),
                })
                .filter(|p| by.is_none_or(|b| p.actor == Some(Party::Person(b))))
                .collect();
            match addressed.iter().find(|p| p.date <= limit) {
                Some(p) => {
                    let undecided = !personal
                        && !precedent.actors.is_empty()
                        && p.actor
                            .as_ref()
                            .is_some_and(|a| ctx.party_fills(a, &precedent.actors, p, t).is_none());
                    if undecided {
                        pending = Some(format!(
                            "{}{verb_word}的事件未写明领域，无法判断是否由分管领导{verb_word}",
                            p.date
                        ));
                    }
                    used.push(*p)
                }
                None => match addressed.first() {
                    Some(p) => {
                        problems.push(format!(
                            "{label}{verb_word}在 {}，晚于应提前的 {limit}",
                            p.date
                        ));
                        used.push(*p);
                    }
                    None => problems.push(format!("未见{label}{verb_word}")),
                },
            }
        }
        let what = format!("{who}{}（{}）", t.verb.word(), start);
        let when = match lead {
            None => "事先".to_string(),
            Some(d) => format!("提前{}", d.describe()),
        };
        let mut draft = if !problems.is_empty() {
            Draft::new(
                rule,
                Verdict::Violated,
                format!("{what}须{when}{verb_word}：{}", problems.join("；")),
            )
        } else if let Some(reason) = pending {
            Draft::new(rule, Verdict::Pending, reason)
        } else {
            Draft::new(
                rule,
                Verdict::Complied,
                format!(
                    "{what}：已于 {} {verb_word}，不晚于 {limit}",
                    used.iter()
                        .map(|p| p.date.to_string())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
        }
        .event(t);
        for p in &used {
            draft = draft.event(p);
        }
        // The trigger's actor is in breach: their own records count (their
        // leave or report), not another party's review of the document.
        let mut refs: Vec<&EventIr> = vec![t];
        if personal {
            refs.extend(used.iter().copied());
        }
        out.push(
            draft
                .date(DateRole::Limit, limit)
                .counted_from(start)
                .excuse_if_justified(ctx, &refs)
                .finish(rs),
        );
    }
    out
}

/// One thing a precedent must satisfy: any event, one addressed to one of
/// these targets, or one addressed to this person (each 参会人员).
#[derive(Clone, Copy)]
enum Req<'a> {
    Any,
    Specs(&'a [TargetSpec]),
    Person(PersonId),
}
