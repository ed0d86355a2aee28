//! The timeline of one scenario (SVG): a day strip shaded from the
//! ruleset's calendar, the scenario's events, and one mark per finding —
//! a bar from trigger to deadline for 响应 and 先行, the period for 频次,
//! the day of the event for the others — with the answers marked.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use maud::{Markup, html};

use crate::calendar::{Calendar, DayKind, DayStatus};
use crate::check::{Finding, ScenarioReport};
use crate::compile::ir::{EventIr, Ruleset, Scenario};
use crate::syntax::ast::TimeUnit;

use super::{DateRole, date_with, num, verdict_class, weekday_short};

/// Longest span drawn day by day (about three years).
const MAX_DAYS: i64 = 1100;

/// How a finding is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// 响应: from the trigger to the deadline (due at the end).
    Response,
    /// 先行: from the latest day the precedent may come to the trigger
    /// (due at the start).
    Precedence,
    /// 频次: the period counted.
    Period,
    /// The day of the triggering event.
    Point,
}

/// One finding placed in time.
pub(crate) struct Mark<'a> {
    pub finding: &'a Finding,
    /// The element id of the finding's card.
    pub id: String,
    pub shape: Shape,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    /// The day it falls due (响应: the deadline; 先行: the limit).
    pub due: Option<NaiveDate>,
    /// Answers (响应) or precedents (先行) found.
    pub answers: Vec<NaiveDate>,
    pub count: Option<Count>,
}

/// The day-by-day count behind a deadline (what `:why` prints).
pub(crate) struct Count {
    /// Counted from this day (not itself counted).
    pub from: NaiveDate,
    pub forward: bool,
    /// 7个工作日, 3日.
    pub amount: String,
    pub calendar: &'static str,
    /// Each day stepped on, with its ordinal when it counts.
    pub days: Vec<(DayStatus, Option<u32>)>,
}

/// The compiled event a finding's event refers to.
fn event_of(sc: Option<&Scenario>, index: usize) -> Option<&EventIr> {
    let sc = sc?;
    sc.events
        .get(index)
        .filter(|e| e.index == index)
        .or_else(|| sc.events.iter().find(|e| e.index == index))
}

/// Every day from `from` (exclusive) that `n` days or working days
/// reach, forward or back, as the checkers count them.
fn count_for(rs: &Ruleset, f: &Finding, sc: Option<&Scenario>, due: NaiveDate) -> Option<Count> {
    let rule = rs.rules.get(f.rule)?;
    let trigger = f.events.first()?;
    let ev = event_of(sc, trigger.index);
    let counted = rule.kind.pattern().counted_deadline()?;
    let (d, forward) = (counted.deadline, counted.forward);
    // After a trigger: from its last day; before it: from its first.
    let from = if forward {
        ev.map_or(trigger.date, EventIr::end)
    } else {
        ev.map_or(trigger.date, EventIr::start)
    };
    let cal: &Calendar = &rs.calendar;
    let days = match d.unit {
        TimeUnit::WorkingDay => {
            let n = i64::from(d.amount);
            cal.working_day_trace(from, if forward { n } else { -n })
                .ok()?
        }
        TimeUnit::Day => {
            let mut out = Vec::new();
            for k in 1..=d.amount {
                let day = if forward {
                    from.checked_add_days(Days::new(u64::from(k)))
                } else {
                    from.checked_sub_days(Days::new(u64::from(k)))
                }?;
                let status = cal.status(day).unwrap_or_else(|_| plain_status(day));
                out.push((status, Some(k)));
            }
            out
        }
    };
    // Shown only when it reproduces the checker's date.
    if days.last().map(|(s, _)| s.date) != Some(due) {
        return None;
    }
    Some(Count {
        from,
        forward,
        amount: d.describe(),
        calendar: cal.display_name(),
        days,
    })
}

/// A day the calendar does not cover, as weekday/weekend only (for
/// calendar-day counts, which need no holiday data).
fn plain_status(day: NaiveDate) -> DayStatus {
    let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
    DayStatus {
        date: day,
        working: !weekend,
        kind: if weekend {
            DayKind::Weekend
        } else {
            DayKind::Weekday
        },
    }
}

/// Place every finding of a report in time. `prefix` makes element ids
/// unique across scenarios.
pub(crate) fn marks<'a>(
    report: &'a ScenarioReport,
    rs: Option<&Ruleset>,
    sc: Option<&Scenario>,
    prefix: &str,
) -> Vec<Mark<'a>> {
    report
        .findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let id = format!("{prefix}-f{i}");
            let trigger = f.events.first();
            let answers: Vec<NaiveDate> = f.events.iter().skip(1).map(|e| e.date).collect();
            let ev = trigger.and_then(|t| event_of(sc, t.index));
            let count = |due| rs.and_then(|rs| count_for(rs, f, sc, due));
            if let (Some(due), Some(t)) = (date_with(f, DateRole::Deadline), trigger) {
                let from = ev.map_or(t.date, EventIr::end);
                return Some(Mark {
                    finding: f,
                    id,
                    shape: Shape::Response,
                    start: t.date.min(due),
                    end: due.max(from),
                    due: Some(due),
                    answers,
                    count: count(due),
                });
            }
            if let (Some(due), Some(t)) = (date_with(f, DateRole::Limit), trigger) {
                let start = ev.map_or(t.date, EventIr::start);
                return Some(Mark {
                    finding: f,
                    id,
                    shape: Shape::Precedence,
                    start: due.min(start),
                    end: start.max(due),
                    due: Some(due),
                    answers,
                    count: count(due),
                });
            }
            if let (Some(a), Some(z)) = (
                date_with(f, DateRole::PeriodStart),
                date_with(f, DateRole::PeriodEnd),
            ) {
                return Some(Mark {
                    finding: f,
                    id,
                    shape: Shape::Period,
                    start: a.min(z),
                    end: z.max(a),
                    due: None,
                    answers: Vec::new(),
                    count: None,
                });
            }
            // A 及时 response still open at 截至: up to that day.
            let day = trigger
                .map(|t| t.date)
                .or_else(|| f.dates.first().map(|d| d.date))?;
            let end = date_with(f, DateRole::Cutoff)
                .filter(|c| *c > day)
                .unwrap_or(day);
            Some(Mark {
                finding: f,
                id,
                shape: Shape::Point,
                start: day,
                end: if answers.is_empty() { end } else { day },
                due: None,
                answers,
                count: None,
            })
        })
        .collect()
}

/// The days a timeline shows: the scenario's events and period, and
/// every deadline, limit and answer (not the whole 频次 periods), widened
/// to whole weeks (Monday to Sunday).
fn range(
    marks: &[Mark<'_>],
    sc: Option<&Scenario>,
    report: &ScenarioReport,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut days: Vec<NaiveDate> = Vec::new();
    if let Some(sc) = sc {
        for e in &sc.events {
            days.push(e.start());
            days.push(e.end());
        }
        if let Some((a, z)) = sc.window {
            days.extend([a, z]);
        }
    }
    days.extend(report.cutoff);
    for m in marks {
        if m.shape != Shape::Period {
            days.extend([m.start, m.end]);
            days.extend(m.answers.iter().copied());
        }
    }
    if days.is_empty() {
        // Only periods: show them.
        for m in marks {
            days.extend([m.start, m.end]);
        }
    }
    let lo = *days.iter().min()?;
    let hi = *days.iter().max()?;
    let lo = lo.checked_sub_days(Days::new(u64::from(lo.weekday().num_days_from_monday())))?;
    let hi = hi.checked_add_days(Days::new(u64::from(
        6 - hi.weekday().num_days_from_monday(),
    )))?;
    Some((lo, hi))
}

// Geometry, in SVG user units (the drawing scales to the page width).
const WIDTH: f64 = 1120.0;
const LABEL: f64 = 178.0;
const RIGHT: f64 = 6.0;
const HEADER: f64 = 60.0;
const ROW: f64 = 20.0;

struct Geo {
    lo: NaiveDate,
    days: i64,
    dw: f64,
}

impl Geo {
    fn x(&self, d: NaiveDate) -> f64 {
        let i = (d - self.lo).num_days().clamp(0, self.days);
        LABEL + i as f64 * self.dw
    }
    /// Right edge of a day.
    fn x_end(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.dw
    }
    fn mid(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.dw / 2.0
    }
}

/// CSS class of a day in the strip.
fn day_class(kind: Option<&DayKind>) -> &'static str {
    match kind {
        None => "day unknown",
        Some(DayKind::Weekday) => "day work",
        Some(DayKind::Weekend) => "day weekend",
        Some(DayKind::Holiday { .. }) => "day holiday",
        Some(DayKind::AdjustedWorkday { .. }) => "day adjusted",
        Some(DayKind::RegionalHoliday { .. }) => "day regional",
    }
}

/// The hover text of a mark: article, 原文, rule, dates, the count.
pub(crate) fn mark_title(m: &Mark<'_>) -> String {
    let f = m.finding;
    let mut lines = vec![format!(
        "{} · {} · {}",
        f.article_display(),
        f.pattern,
        f.verdict.word()
    )];
    if let Some(q) = &f.quote() {
        lines.push(format!("原文：{q}"));
    }
    lines.push(format!("规则：{}", f.rule_text()));
    for (k, e) in f.events.iter().enumerate() {
        let role = if k == 0 { "触发" } else { "相关" };
        lines.push(format!("{role} {}（第{}行）：{}", e.date, e.line, e.text));
    }
    for d in &f.dates {
        lines.push(format!("{}：{}", d.role.word(), d.date));
    }
    lines.push(format!("说明：{}", f.explanation()));
    if let Some(c) = &m.count {
        let steps: Vec<String> = c
            .days
            .iter()
            .map(|(s, o)| match o {
                Some(o) => format!("{} 第{o}日", s.date.format("%m-%d")),
                None => format!("{} 不计", s.date.format("%m-%d")),
            })
            .collect();
        lines.push(format!(
            "逐日（{}，自 {} 起）：{}",
            c.amount,
            c.from,
            steps.join("，")
        ));
    }
    lines.join("\n")
}

/// The SVG timeline, or a note when there is nothing to place or the
/// span is too long to draw day by day.
pub(crate) fn timeline(
    marks: &[Mark<'_>],
    rs: Option<&Ruleset>,
    sc: Option<&Scenario>,
    report: &ScenarioReport,
) -> Markup {
    let Some((lo, hi)) = range(marks, sc, report) else {
        return html! { p.note { "没有可画在时间轴上的日期。" } };
    };
    let days = (hi - lo).num_days() + 1;
    if days > MAX_DAYS {
        return html! { p.note { "时间跨度超过三年，不逐日绘制时间轴；结论见下。" } };
    }
    let geo = Geo {
        lo,
        days,
        dw: (WIDTH - LABEL - RIGHT) / days as f64,
    };
    let cal = rs.map(|r| &*r.calendar);
    let all_days: Vec<NaiveDate> = lo.iter_days().take(days as usize).collect();
    let status: Vec<(NaiveDate, Option<DayStatus>)> = all_days
        .iter()
        .map(|d| (*d, cal.and_then(|c| c.status(*d).ok())))
        .collect();

    // Events, stacked per day.
    let mut per_day: BTreeMap<NaiveDate, Vec<&EventIr>> = BTreeMap::new();
    if let Some(sc) = sc {
        for e in &sc.events {
            per_day.entry(e.date).or_default().push(e);
        }
    }
    let stack = per_day.values().map(Vec::len).max().unwrap_or(0).max(1);
    let ev_top = HEADER + 4.0;
    let ev_height = stack as f64 * 9.0 + 10.0;

    // Lanes: one group per article; marks that overlap go on new lanes.
    let mut by_article: BTreeMap<u32, Vec<&Mark<'_>>> = BTreeMap::new();
    for m in marks {
        by_article.entry(m.finding.article).or_default().push(m);
    }
    struct Lane<'m, 'a> {
        label: Option<(&'a str, String)>,
        marks: Vec<&'m Mark<'a>>,
        last: NaiveDate,
        band: usize,
    }
    let mut lanes: Vec<Lane<'_, '_>> = Vec::new();
    for (band, group) in by_article.values_mut().enumerate() {
        group.sort_by_key(|m| (m.start, m.end));
        let first = lanes.len();
        for m in group.iter().copied() {
            let (vs, ve) = (m.start.max(lo), m.end.min(hi));
            match lanes
                .iter_mut()
                .skip(first)
                .find(|l| l.last < vs && !l.marks.is_empty())
            {
                Some(l) => {
                    l.marks.push(m);
                    l.last = ve;
                }
                None => lanes.push(Lane {
                    label: None,
                    marks: vec![m],
                    last: ve,
                    band,
                }),
            }
        }
        if let (Some(lane), Some(m)) = (lanes.get_mut(first), group.first()) {
            let mut patterns: Vec<&str> = group.iter().map(|m| m.finding.pattern).collect();
            patterns.dedup();
            patterns.sort_unstable();
            patterns.dedup();
            lane.label = Some((m.finding.article_display(), patterns.join("·")));
        }
    }
    let rows_top = ev_top + ev_height + 6.0;
    let height = rows_top + lanes.len() as f64 * ROW + 16.0;
    let small = geo.dw < 15.0;
    let bottom = height - 12.0;

    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (num(WIDTH)) " " (num(height)) }
            role="img" aria-label={ "时间轴 " (lo) " 至 " (hi) } {
            // The day strip.
            @for (d, s) in &status {
                rect class=(day_class(s.as_ref().map(|s| &s.kind))) data-date=(d)
                    x=(num(geo.x(*d))) y=(num(HEADER - 30.0)) width=(num(geo.dw)) height=(num(bottom - HEADER + 30.0)) {
                    title { (s.as_ref().map_or_else(|| format!("{d} 不在日历“{}”覆盖范围内", cal.map_or("", Calendar::display_name)), DayStatus::explain)) }
                }
            }
            // Article bands over the strip, translucent.
            @for (i, lane) in lanes.iter().enumerate() {
                @if lane.band % 2 == 1 {
                    rect.band x="0" y=(num(rows_top + i as f64 * ROW)) width=(num(WIDTH)) height=(num(ROW)) {}
                }
            }
            // Month boundaries and labels.
            @for d in all_days.iter().filter(|d| d.day() == 1 || **d == lo) {
                line.month x1=(num(geo.x(*d))) x2=(num(geo.x(*d))) y1="2" y2=(num(bottom)) {}
                text.month x=(num(geo.x(*d) + 3.0)) y="12" { (d.year()) "年" (d.month()) "月" }
            }
            // Day numbers, weekdays, 休/班.
            @for (d, s) in &status {
                @let monday = d.weekday() == chrono::Weekday::Mon;
                @if !small || monday {
                    text.dnum x=(num(geo.mid(*d))) y="28" { (d.day()) }
                }
                @if !small {
                    text.wday x=(num(geo.mid(*d))) y="41" { (weekday_short(*d)) }
                }
                @match s.as_ref().map(|s| &s.kind) {
                    Some(DayKind::Holiday { .. }) | Some(DayKind::RegionalHoliday { .. }) => {
                        text.tag.off x=(num(geo.mid(*d))) y="54" { "休" }
                    }
                    Some(DayKind::AdjustedWorkday { .. }) => {
                        text.tag.on x=(num(geo.mid(*d))) y="54" { "班" }
                    }
                    _ => {}
                }
            }
            line.rule x1="0" x2=(num(WIDTH)) y1=(num(HEADER)) y2=(num(HEADER)) {}
            // The scenario's events.
            text.lane x="4" y=(num(ev_top + 12.0)) { "事件" }
            @for (d, evs) in &per_day {
                @if *d >= lo && *d <= hi {
                    @for (k, e) in evs.iter().enumerate() {
                        @let y = ev_top + 8.0 + k as f64 * 9.0;
                        @match e.period {
                            Some((a, z)) if z > a => {
                                rect.span x=(num(geo.x(a.max(lo)) + 1.0)) y=(num(y - 2.5)) width=(num((geo.x_end(z.min(hi)) - geo.x(a.max(lo)) - 2.0).max(1.0))) height="5" rx="2.5" {
                                    title { (e.date) "（第" (e.line) "行）" (e.text) }
                                }
                            }
                            _ => {
                                circle.event cx=(num(geo.mid(*d))) cy=(num(y)) r="3.2" {
                                    title { (e.date) "（第" (e.line) "行）" (e.text) }
                                }
                            }
                        }
                    }
                }
            }
            line.rule x1="0" x2=(num(WIDTH)) y1=(num(rows_top - 3.0)) y2=(num(rows_top - 3.0)) {}
            // 截至.
            @if let Some(c) = report.cutoff.filter(|c| *c >= lo && *c <= hi) {
                line.cutoff x1=(num(geo.x_end(c))) x2=(num(geo.x_end(c))) y1=(num(HEADER)) y2=(num(bottom)) {}
                text.cutoff x=(num(geo.x_end(c) - 3.0)) y=(num(height - 2.0)) { "截至 " (c.format("%m-%d")) }
            }
            // One row per lane.
            @for (i, lane) in lanes.iter().enumerate() {
                @let y = rows_top + i as f64 * ROW;
                @if let Some((article, patterns)) = &lane.label {
                    text.article x="4" y=(num(y + 14.0)) { (article) }
                    text.pattern x="74" y=(num(y + 14.0)) { (patterns) }
                }
                @for m in &lane.marks {
                    (mark(m, &geo, y, lo, hi))
                }
            }
        }
    }
}

/// The patterns every timeline paints with, once per page (ids are
/// unique in a document; a pattern inside a hidden drawing paints nothing).
pub(crate) fn patterns() -> Markup {
    html! {
        svg.defs xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true" {
            defs {
                pattern #hatch width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    line x1="0" y1="0" x2="0" y2="6" stroke="#b0b7bf" stroke-width="2" {}
                }
                pattern #pend width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="6" height="6" fill="#dfe4fb" {}
                    line x1="0" y1="0" x2="0" y2="6" stroke="#7b8ce0" stroke-width="3" {}
                }
            }
        }
    }
}

/// One finding's mark, linked to its card.
fn mark(m: &Mark<'_>, geo: &Geo, y: f64, lo: NaiveDate, hi: NaiveDate) -> Markup {
    let f = m.finding;
    let (a, z) = (m.start.max(lo), m.end.min(hi));
    let (x0, x1) = (geo.x(a), geo.x_end(z));
    let thin = m.shape == Shape::Period;
    let (by, bh) = if thin {
        (y + 7.0, 6.0)
    } else {
        (y + 4.0, 12.0)
    };
    let show_ordinals = geo.dw >= 15.0;
    html! {
        a href={ "#" (m.id) } {
            g class={ "ob " (verdict_class(f.verdict)) } data-bar=(f.verdict.word()) data-article=(f.article) {
                title { (mark_title(m)) }
                rect.bar x=(num(x0 + 1.0)) y=(num(by)) width=(num((x1 - x0 - 2.0).max(2.0))) height=(num(bh)) rx="2" {}
                // Clipped periods: arrows at the cut ends.
                @if m.start < lo {
                    path.clip d={ "M" (num(x0 + 1.0)) " " (num(by + bh / 2.0)) " l5 -5 v10 z" } {}
                }
                @if m.end > hi {
                    path.clip d={ "M" (num(x1 - 1.0)) " " (num(by + bh / 2.0)) " l-5 -5 v10 z" } {}
                }
                // The day it falls due: a heavy edge.
                @match (m.shape, m.due) {
                    (Shape::Response, Some(d)) if d >= lo && d <= hi => {
                        line.due x1=(num(geo.x_end(d) - 1.0)) x2=(num(geo.x_end(d) - 1.0)) y1=(num(y + 1.0)) y2=(num(y + ROW - 1.0)) {}
                    }
                    (Shape::Precedence, Some(d)) if d >= lo && d <= hi => {
                        line.due x1=(num(geo.x(d) + 1.0)) x2=(num(geo.x(d) + 1.0)) y1=(num(y + 1.0)) y2=(num(y + ROW - 1.0)) {}
                    }
                    _ => {}
                }
                // The trigger; for a count, every event counted.
                @match m.shape {
                    Shape::Point => {}
                    Shape::Period => {
                        @for e in f.events.iter().filter(|e| e.date >= lo && e.date <= hi) {
                            circle.trigger cx=(num(geo.mid(e.date))) cy=(num(by + bh / 2.0)) r="2.6" {}
                        }
                    }
                    _ => {
                        @if let Some(t) = f.events.first().filter(|t| t.date >= lo && t.date <= hi) {
                            circle.trigger cx=(num(geo.mid(t.date))) cy=(num(y + 10.0)) r="3" {}
                        }
                    }
                }
                // The working days counted, numbered.
                @if show_ordinals {
                    @if let Some(c) = &m.count {
                        @for (s, o) in &c.days {
                            @if let Some(o) = o {
                                @if s.date >= lo && s.date <= hi {
                                    text.ord x=(num(geo.mid(s.date))) y=(num(y + 13.5)) { (o) }
                                }
                            }
                        }
                    }
                }
                // Answers (响应) and precedents (先行); one past the deadline
                // is joined to it by a dashed line.
                @for d in m.answers.iter().filter(|d| **d >= lo && **d <= hi) {
                    @if let (Shape::Response, Some(due)) = (m.shape, m.due) {
                        @if *d > due {
                            line.late x1=(num(geo.x_end(due))) x2=(num(geo.mid(*d))) y1=(num(y + 10.0)) y2=(num(y + 10.0)) {}
                        }
                    }
                    @let (cx, cy) = (geo.mid(*d), y + 10.0);
                    path.answer d={ "M" (num(cx)) " " (num(cy - 6.0)) " l5 6 l-5 6 l-5 -6 z" } {}
                }
            }
        }
    }
}
