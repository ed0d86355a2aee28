//! 频次: the number of matching events per calendar period (and per person,
//! convener or chair) must lie within [min, max]. Periods only partly inside
//! the scenario's window cannot show too few events: those are 待定.

use chrono::{Datelike, Days, NaiveDate};

use super::{Ctx, Draft, Finding, Verdict};
use crate::compile::ir::{Actor, CompiledRule, EventIr, Party, PersonId, RuleKind};
use crate::syntax::ast::{Grouping, Period};

/// More periods than this in one scenario is a mistake in the window.
const MAX_PERIODS: usize = 2000;

pub(super) fn check(ctx: &mut Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
    let RuleKind::Frequency {
        pattern,
        period,
        min,
        max,
        group,
    } = &rule.kind
    else {
        return Vec::new();
    };
    let rs = ctx.rs;
    let matching: Vec<EventIr> = ctx
        .with_verbs(&pattern.verbs)
        .into_iter()
        .filter(|e| ctx.matches(pattern, e, true))
        // 除 情形 … 外: excepted events are not counted.
        .filter(|e| super::hard_exception(rule, e).is_none())
        .cloned()
        .collect();
    let Some((start, end)) = window(ctx) else {
        return Vec::new();
    };
    // Groups: (label, events of that group).
    let groups: Vec<(String, Vec<&EventIr>)> = match group {
        None => vec![(String::new(), matching.iter().collect())],
        Some(Grouping::Person) => {
            let people: Vec<PersonId> = (0..ctx.sc.people.len())
                .filter(|p| {
                    if pattern.actors.is_empty() {
                        matching.iter().any(|e| e.actor == Some(Party::Person(*p)))
                    } else {
                        ctx.party_is(&Party::Person(*p), &pattern.actors)
                            && !pattern.actors.iter().all(|a| matches!(a, Actor::Role(_)))
                    }
                })
                .collect();
            people
                .into_iter()
                .map(|p| {
                    (
                        ctx.sc.person_name(p).to_string(),
                        matching
                            .iter()
                            .filter(|e| e.actor == Some(Party::Person(p)))
                            .collect(),
                    )
                })
                .collect()
        }
        Some(g @ (Grouping::Convener | Grouping::Chair)) => {
            let key = |e: &EventIr| {
                if *g == Grouping::Convener {
                    e.convener
                } else {
                    e.chair
                }
            };
            let mut ids: Vec<PersonId> = matching.iter().filter_map(key).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter()
                .map(|p| {
                    (
                        ctx.sc.person_name(p).to_string(),
                        matching.iter().filter(|e| key(e) == Some(p)).collect(),
                    )
                })
                .collect()
        }
    };
    let range = match max {
        Some(m) if m == min => format!("{min}次"),
        Some(m) if *min == 0 => format!("不超过{m}次"),
        Some(m) => format!("{min}至{m}次"),
        None => format!("至少{min}次"),
    };
    let mut out = Vec::new();
    let mut p = period_start(*period, start);
    let mut n = 0;
    while p <= end && n < MAX_PERIODS {
        n += 1;
        let Some(pe) = period_end(*period, p) else {
            break;
        };
        let complete = p >= start && pe <= end;
        let label = period_label(*period, p);
        for (who, evs) in &groups {
            let inside: Vec<&EventIr> = evs
                .iter()
                .filter(|e| p <= e.date && e.date <= pe)
                .copied()
                .collect();
            let count = u32::try_from(inside.len()).unwrap_or(u32::MAX);
            let subject = if who.is_empty() {
                label.clone()
            } else {
                format!("{who}在{label}")
            };
            let mut draft = if max.is_some_and(|m| count > m) {
                Draft::new(
                    rule,
                    Verdict::Violated,
                    format!("{subject}共{count}次，须{}{range}", period.word()),
                )
                .excuse_if_justified(&inside)
            } else if count < *min && complete {
                Draft::new(
                    rule,
                    Verdict::Violated,
                    format!("{subject}仅{count}次，须{}{range}", period.word()),
                )
                .excuse_if_justified(&inside)
            } else if count < *min {
                Draft::new(
                    rule,
                    Verdict::Pending,
                    format!(
                        "{subject}目前{count}次，须{}{range}；情景未覆盖整个周期（{p} 至 {pe}），尚无定论",
                        period.word()
                    ),
                )
            } else {
                Draft::new(
                    rule,
                    Verdict::Complied,
                    format!("{subject}共{count}次，符合{}{range}", period.word()),
                )
            };
            for e in &inside {
                draft = draft.event(ctx, e);
            }
            out.push(draft.date("周期起", p).date("周期止", pe).finish(rs));
        }
        let Some(next) = pe.checked_add_days(Days::new(1)) else {
            break;
        };
        p = next;
    }
    out
}

/// The scenario's observed window: 期间, else first event to 截至 or the
/// last event.
fn window(ctx: &Ctx<'_>) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(w) = ctx.sc.window {
        return Some(w);
    }
    let first = ctx.sc.events.iter().map(|e| e.date).min()?;
    let last = ctx
        .sc
        .cutoff
        .or_else(|| ctx.sc.events.iter().map(|e| e.date).max())?;
    Some((first, last.max(first)))
}

pub(crate) fn period_start(p: Period, d: NaiveDate) -> NaiveDate {
    let first_of = |m: u32| NaiveDate::from_ymd_opt(d.year(), m, 1).unwrap_or(d);
    match p {
        Period::Week => d
            .checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
            .unwrap_or(d),
        Period::Month => first_of(d.month()),
        Period::Quarter => first_of((d.month() - 1) / 3 * 3 + 1),
        Period::HalfYear => first_of(if d.month() <= 6 { 1 } else { 7 }),
        Period::Year => first_of(1),
    }
}

fn period_end(p: Period, start: NaiveDate) -> Option<NaiveDate> {
    let months = match p {
        Period::Week => return start.checked_add_days(Days::new(6)),
        Period::Month => 1,
        Period::Quarter => 3,
        Period::HalfYear => 6,
        Period::Year => 12,
    };
    start
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()
}

fn period_label(p: Period, s: NaiveDate) -> String {
    match p {
        Period::Week => format!("{s}起的一周"),
        Period::Month => format!("{}年{}月", s.year(), s.month()),
        Period::Quarter => format!("{}年第{}季度", s.year(), (s.month() - 1) / 3 + 1),
        Period::HalfYear => format!(
            "{}年{}",
            s.year(),
            if s.month() <= 6 {
                "上半年"
            } else {
                "下半年"
            }
        ),
        Period::Year => format!("{}年", s.year()),
    }
}
