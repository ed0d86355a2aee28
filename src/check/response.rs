//! 响应: every trigger T must be followed by a matching R within the deadline.

use chrono::NaiveDate;

use super::{Ctx, DateRole, Draft, Finding, Verdict};
use crate::compile::MINUTES;
use crate::compile::ir::{Actor, CompiledRule, EventIr, Party, RuleKind};
use crate::syntax::ast::{Role, Verb};

/// One thing owed after a trigger.
struct Obligation {
    /// What must be responded to: a document, a request.
    object: Option<String>,
    /// Minutes of this meeting.
    minutes_of: Option<String>,
    /// Who must respond (a recipient of the trigger).
    responder: Option<Party>,
    /// To whom the response must go (向 X), when the rule names several:
    /// each is owed separately (分别).
    to: Option<crate::compile::ir::TargetSpec>,
    what: String,
}

/// The events recording the party in breach of a response: the late
/// response itself, and the trigger only when it is that party's own act
/// (the same actor, or an obligation owed by the trigger's actor). A note
/// on a meeting excuses nobody's late document.
fn breacher<'e>(t: &'e EventIr, r: Option<&'e EventIr>, ob: &Obligation) -> Vec<&'e EventIr> {
    let who = r.and_then(|r| r.actor.as_ref()).or(ob.responder.as_ref());
    let own = ob.responder.is_none() && ob.object.is_none() && ob.minutes_of.is_none();
    let mut out: Vec<&EventIr> = r.into_iter().collect();
    if (who.is_some() && who == t.actor.as_ref()) || (who.is_none() && own) {
        out.push(t);
    }
    out
}

pub(super) fn check(ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
    let RuleKind::Response {
        trigger,
        within,
        response,
    } = &rule.kind
    else {
        return Vec::new();
    };
    let rs = ctx.rs;
    let minutes_id = rs.document_names.get(MINUTES);
    let wants_minutes = minutes_id.is_some_and(|m| response.scope.document_kinds.contains(&m));
    let replying = response.answers();
    let verb_word = response
        .verbs
        .iter()
        .map(|v| v.word())
        .collect::<Vec<_>>()
        .join("或");

    let mut out = Vec::new();
    let triggers = super::triggers(ctx, rule, trigger, &mut out);
    let fits = |r: &EventIr| ctx.in_scope(&response.scope, r) && ctx.targets_ok(&response.scope, r);
    // Responses to no named document or meeting: every candidate, once.
    let mut all: Option<Vec<&EventIr>> = None;
    for &t in &triggers {
        let obligations: Vec<Obligation> = if response.scope.decided {
            t.decided
                .iter()
                .map(|d| Obligation {
                    object: Some(d.clone()),
                    minutes_of: None,
                    responder: None,
                    to: None,
                    what: format!("“{d}”"),
                })
                .collect()
        } else if wants_minutes && t.verb == Verb::Convene {
            vec![Obligation {
                object: None,
                minutes_of: t.object.clone(),
                responder: None,
                to: None,
                what: format!("“{}”的纪要", t.object.as_deref().unwrap_or("该会议")),
            }]
        } else if replying && response.actors.contains(&Actor::Role(Role::Handler)) {
            // 承办单位 回复: owed by whoever handles it, not the addressee.
            match ctx.handler_of(t) {
                Some(h) => vec![Obligation {
                    object: t.object.clone(),
                    minutes_of: None,
                    responder: Some(h.clone()),
                    to: None,
                    what: format!(
                        "承办单位{}对“{}”",
                        ctx.sc.party_name(h),
                        t.object.as_deref().unwrap_or("该事项")
                    ),
                }],
                None => {
                    out.push(
                        Draft::new(
                            rule,
                            Verdict::Pending,
                            "事件未写明承办单位（承办 X），无法判断应由谁答复",
                        )
                        .event(t)
                        .finish(rs),
                    );
                    continue;
                }
            }
        } else if replying && !t.targets.is_empty() {
            t.targets
                .iter()
                .map(|r| Obligation {
                    object: t.object.clone(),
                    minutes_of: None,
                    responder: Some(r.clone()),
                    to: None,
                    what: format!(
                        "{}对“{}”",
                        ctx.sc.party_name(r),
                        t.object.as_deref().unwrap_or("该事项")
                    ),
                })
                .collect()
        } else {
            vec![Obligation {
                object: t.object.clone(),
                minutes_of: None,
                responder: None,
                to: None,
                what: t
                    .object
                    .as_ref()
                    .map_or_else(|| "该事项".to_string(), |o| format!("“{o}”")),
            }]
        };
        if obligations.is_empty() {
            continue;
        }
        // 及时: no number of days, so no date to miss.
        // After a multi-day meeting or trip: from its last day. A deadline
        // past the calendar's years is decided below, if it can be.
        let deadline = within.map(|d| ctx.try_add(t.end(), d));
        // 向 A、B: the response is owed to each of them.
        let obligations: Vec<Obligation> =
            if response.scope.targets.len() > 1 && !response.scope.targets_any {
                let mut each = Vec::new();
                for ob in &obligations {
                    for x in &response.scope.targets {
                        each.push(Obligation {
                            object: ob.object.clone(),
                            minutes_of: ob.minutes_of.clone(),
                            responder: ob.responder.clone(),
                            to: Some(x.clone()),
                            what: ob.what.clone(),
                        });
                    }
                }
                each
            } else {
                obligations
            };
        let meeting = ctx.meeting_of(t);
        for ob in obligations {
            // "向国务院报备" reads before the verb.
            let verb_word = match ob.to.as_ref().or(match response.scope.targets.as_slice() {
                [only] => Some(only),
                _ => None,
            }) {
                Some(x) => format!("向{}{verb_word}", ctx.target_name(x)),
                None => verb_word.clone(),
            };
            // Most obligations name their document (or, for minutes, the
            // meeting the minutes are about): look there only.
            let about;
            let pool: &[&EventIr] = match &ob.object {
                Some(o) => {
                    about = ctx.about(o, &response.verbs);
                    &about
                }
                None => all.get_or_insert_with(|| ctx.with_verbs(&response.verbs)),
            };
            // 及时 in an audit: looked for a number of days only.
            let horizon = match (within, ctx.prompt_days) {
                (None, Some(n)) => t.end().checked_add_days(chrono::Days::new(u64::from(n))),
                _ => None,
            };
            let found = pool
                .iter()
                .filter(|r| r.date >= t.date && r.index != t.index)
                .filter(|r| horizon.is_none_or(|h| r.date <= h))
                .filter(|r| fits(r))
                .filter(|r| {
                    ob.to.as_ref().is_none_or(|x| {
                        r.targets.iter().any(|p| ctx.party_is_target(p, x, meeting))
                    })
                })
                // 县某局 报送: the responder named by the rule.
                .filter(|r| {
                    response.actors.is_empty()
                        || r.actor.as_ref().is_some_and(|a| {
                            ctx.party_fills(a, &response.actors, r, t) != Some(false)
                        })
                })
                // About the trigger's object: the same title, or one that names
                // it as its 依据 (解读材料 依据 "乾政发〔2023〕5号").
                .filter(|r| ob.object.is_none() || r.object == ob.object || r.basis == ob.object)
                .filter(|r| ob.minutes_of.is_none() || r.basis == ob.minutes_of)
                .filter(|r| ob.responder.is_none() || r.actor == ob.responder)
                // With no object to tie them, the answer is the trigger's own
                // actor's — unless the rule names who answers (由县政府办公室通报).
                .filter(|r| {
                    ob.object.is_some()
                        || ob.minutes_of.is_some()
                        || !response.actors.is_empty()
                        || r.actor == t.actor
                })
                .min_by_key(|r| (r.date, r.index))
                .copied();
            // An answer that exists but from another party: say so, never
            // "未见" (见县住建局回复，但应由县教育局回复).
            // Built only for a finding that says something is missing.
            let missing = || match (&found, &ob.responder) {
                (None, Some(owed)) => pool
                    .iter()
                    .find(|r| {
                        r.date >= t.date
                            && r.index != t.index
                            && r.object == ob.object
                            && r.actor.as_ref().is_some_and(|a| a != owed)
                    })
                    .and_then(|r| r.actor.as_ref().map(|a| (r.date, a)))
                    .map_or_else(
                        || format!("未见{verb_word}"),
                        |(d, a)| {
                            format!(
                                "只见{}于 {d} {verb_word}，但应由{}{verb_word}",
                                ctx.sc.party_name(a),
                                ctx.sc.party_name(owed)
                            )
                        },
                    ),
                _ => format!("未见{verb_word}"),
            };
            let deadline = match (deadline.clone(), within) {
                (Some(Ok(x)), _) => Some(x),
                (Some(Err(err)), Some(d)) => {
                    // The deadline runs off the calendar: an answer counted
                    // within the days the calendar knows complies whatever
                    // comes after; otherwise the verdict depends on it.
                    match found {
                        Some(r) if ctx.within(t.end(), r.date, *d) == Some(true) => {
                            out.push(
                                Draft::new(
                                    rule,
                                    Verdict::Complied,
                                    format!(
                                        "{}后{}内{verb_word}{}：{}已{verb_word}，在期限之内（期限本身超出日历范围，但不影响结论）",
                                        t.end(),
                                        d.describe(),
                                        ob.what,
                                        r.date
                                    ),
                                )
                                .event(t)
                                .event(r)
                                .finish(rs),
                            );
                        }
                        _ => ctx.off_calendar(t, err),
                    }
                    continue;
                }
                _ => None,
            };
            let Some(deadline) = deadline else {
                let base = format!("{}后须及时{verb_word}{}", t.end(), ob.what);
                let draft = match (&found, ctx.sc.cutoff) {
                    (None, c) if horizon.is_some_and(|h| c.is_none_or(|c| h <= c)) => Draft::new(
                        rule,
                        Verdict::Pending,
                        format!(
                            "{base}：至 {} 未见{verb_word}（审计只向后查找{}日）；本条未规定天数，无从判定逾期",
                            horizon.unwrap_or(t.date),
                            ctx.prompt_days.unwrap_or(0)
                        ),
                    )
                    .event(t),
                    (Some(r), _) => Draft::new(
                        rule,
                        Verdict::Complied,
                        format!("{base}：{}已{verb_word}", r.date),
                    )
                    .event(t)
                    .event(r),
                    (None, Some(c)) => Draft::new(
                        rule,
                        Verdict::Pending,
                        format!("{base}：截至 {c} 尚未{verb_word}；本条未规定天数，无从判定逾期"),
                    )
                    .event(t)
                    .date(DateRole::Cutoff, c),
                    (None, None) => Draft::new(
                        rule,
                        Verdict::Violated,
                        format!("{base}：情景记录中始终{}", missing()),
                    )
                    .event(t)
                    .excuse_if_justified(ctx, &breacher(t, None, &ob)),
                };
                let owed_by = ob.responder.as_ref().map(|r| ctx.sc.party_ref(r));
                out.push(draft.party(owed_by).finish(rs));
                continue;
            };
            // 除 另有时限 外: a time limit recorded by the rule's own deadline
            // (on the trigger, or agreed on an event about the same matter)
            // governs instead.
            let own = rule
                .own_deadline
                .then(|| recorded_limit(ctx, t, ob.object.as_deref(), deadline))
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
                    Draft::new(
                        rule,
                        Verdict::Pending,
                        format!(
                            "{}后{verb_word}{}：依{}{}记录的时限 {limit}，至 {reach} 未见{verb_word}（审计只向后查找到本条期限后{RECORDED_LIMIT_REACH}日）",
                            t.end(),
                            ob.what,
                            by.date,
                            by.verb.word()
                        ),
                    )
                    .event(t)
                    .event(by)
                    .finish(rs),
                );
                continue;
            }
            let deadline = own.map_or(deadline, |(d, _)| d);
            let base = match within {
                Some(d) if d.amount == 0 => format!("{}当日{}{}", t.end(), verb_word, ob.what),
                _ => format!(
                    "{}后{}内{}{}",
                    t.end(),
                    within.map_or_else(String::new, |d| d.describe()),
                    verb_word,
                    ob.what
                ),
            };
            let base = match own {
                Some((d, by)) => format!("{base}（依{}{}记录的时限 {d}）", by.date, by.verb.word()),
                None => base,
            };
            let mut draft = match &found {
                Some(r) if r.date <= deadline => Draft::new(
                    rule,
                    Verdict::Complied,
                    format!("{base}：{}已{verb_word}，未超过期限 {deadline}", r.date),
                )
                .event(t)
                .event(r),
                Some(r) => Draft::new(
                    rule,
                    Verdict::Violated,
                    format!(
                        "{base}：{}才{verb_word}，超过期限 {deadline}（逾期{}）",
                        r.date,
                        ctx.late_by(
                            within.map_or(crate::syntax::ast::TimeUnit::Day, |d| d.unit),
                            deadline,
                            r.date
                        )
                    ),
                )
                .event(t)
                .event(r)
                // The late party's own record: a note on the trigger by
                // someone else (a meeting postponed) excuses nothing.
                .excuse_if_justified(ctx, &breacher(t, Some(r), &ob)),
                None => match ctx.sc.cutoff {
                    Some(c) if c < deadline => Draft::new(
                        rule,
                        Verdict::Pending,
                        format!("{base}：截至 {c} 尚未{verb_word}，期限 {deadline} 未到"),
                    )
                    .event(t)
                    .date(DateRole::Cutoff, c),
                    _ => Draft::new(
                        rule,
                        Verdict::Violated,
                        format!("{base}：至期限 {deadline} {}", missing()),
                    )
                    .event(t)
                    .excuse_if_justified(ctx, &breacher(t, None, &ob)),
                },
            };
            let owed_by = ob.responder.as_ref().map(|r| ctx.sc.party_ref(r));
            // The rule's own deadline counts from the trigger's last day; a
            // recorded time limit is a date, not counted.
            if own.is_none() && within.is_some() {
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
    by: NaiveDate,
) -> Option<(NaiveDate, &'c EventIr)> {
    let mut best: Option<&EventIr> = t.due.map(|_| t);
    if let Some(o) = object {
        for e in ctx.about_any(o) {
            if e.due.is_some()
                && e.date >= t.date
                && e.date <= by
                && best.is_none_or(|b| (e.date, e.index) > (b.date, b.index))
            {
                best = Some(e);
            }
        }
    }
    let e = best?;
    Some((e.due?, e))
}
