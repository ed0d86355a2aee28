//! 频次: the number of matching events per calendar period (and per person,
//! convener or chair) must lie within [min, max]. Periods only partly inside
//! the scenario's window cannot show too few events: those are 待定.

use chrono::{Datelike, Days, NaiveDate};

use std::fmt;
use std::sync::Arc;

use std::collections::BTreeMap;

use super::pattern::{
    AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule, impossible, pattern_text,
    with_trips,
};
use super::{Ctx, DateRole, Draft, EventRef, Finding, Reason, Verdict};
use crate::compile::ir::{Actor, CompiledRule, EventIr, Party, Pattern, Person, PersonId, Ruleset};
use crate::generate::Gen;
use crate::syntax::ast::{Grouping, Period, Verb};
use serde_json::json;

/// More periods than this in one scenario's window is refused (a coded
/// error), so the period-by-period loops of `check` stay bounded.
const MAX_PERIODS: usize = 2000;

/// 每月 至少 N 次 …: the rule's terms.
#[derive(Debug, Clone)]
pub struct FrequencyRule {
    pub pattern: Pattern,
    pub period: Period,
    pub min: u32,
    pub max: Option<u32>,
    pub group: Option<Grouping>,
}

impl PatternRule for FrequencyRule {
    fn name(&self) -> &'static str {
        "频次"
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        with_trips(&self.pattern.verbs)
    }

    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
        check(ctx, rule, self)
    }

    fn audit_needs(&self, _: &CompiledRule) -> AuditNeeds<'_> {
        AuditNeeds {
            per_period: Some(self),
            ..AuditNeeds::default()
        }
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        None
    }

    fn diff_fields(&self, rs: &Ruleset, m: &mut BTreeMap<&'static str, String>) {
        let min = self.min;
        m.insert("事件", pattern_text(rs, &self.pattern));
        m.insert("周期", self.period.word().to_string());
        // 按 单位 / 按 召集人: a change of what is counted is a change.
        m.insert(
            "计数",
            self.group
                .map_or_else(|| "合计".to_string(), |g| format!("按 {}", g.word())),
        );
        m.insert(
            "次数",
            match self.max {
                Some(x) => format!("{min}至{x}次"),
                None => format!("至少{min}次"),
            },
        );
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
        // Made period by period instead (`periodic`).
        false
    }

    fn generate(&self, _: &mut Gen<'_>, _: &CompiledRule, _: &str, _: NaiveDate, _: bool) -> usize {
        0
    }

    /// On the first working day of each period, what the period asks for
    /// (at least `min` events per person counted), or nothing for an
    /// injected fault.
    fn periodic(&self, g: &mut Gen<'_>, d: NaiveDate, days: &[NaiveDate]) -> usize {
        let FrequencyRule {
            pattern,
            period,
            min,
            group,
            ..
        } = self;
        let start = period_start(*period, d);
        // First working day of the period in this log.
        if days.iter().find(|x| **x >= start) != Some(&d) {
            return 0;
        }
        let who: Vec<Option<usize>> = match group {
            None => vec![None],
            Some(_) => {
                let positions = Pattern::positions(&pattern.actors);
                g.holding(&positions).iter().copied().map(Some).collect()
            }
        };
        let mut made = 0;
        for w in who {
            // A missed period in one of 50 when faults are injected, none
            // at --fault-rate 0 (the draw is made either way: a log of a
            // given seed and rate stays the same).
            if g.rng.chance(0.02) && g.fault_rate > 0.0 {
                g.faults += 1;
                continue;
            }
            for _ in 0..(*min).clamp(1, 3) {
                let n = g.next_serial();
                let mut e = g.event(pattern, &format!("例{n}"), w);
                if let (Some(o), Some(p)) = (e.as_object_mut(), w) {
                    let name = g.name(p);
                    match group {
                        Some(Grouping::Convener) => {
                            o.insert("convener".into(), json!(name));
                        }
                        Some(Grouping::Chair) => {
                            o.insert("chair".into(), json!(name));
                        }
                        Some(Grouping::Person | Grouping::Unit) | None => {}
                    }
                }
                made += g.emit_with_siblings(d, e);
            }
        }
        made
    }
}

fn check(ctx: &Ctx<'_>, rule: &CompiledRule, terms: &FrequencyRule) -> Vec<Finding> {
    let FrequencyRule {
        pattern,
        period,
        group,
        ..
    } = terms;
    let rs = ctx.rs;
    // Counting starts from none when no event can match.
    let matching: Vec<&EventIr> = if ctx.may_match(pattern) {
        ctx.with_verbs(&pattern.verbs)
            .into_iter()
            .filter(|e| counted(ctx, rule, pattern, e))
            .collect()
    } else {
        Vec::new()
    };
    let Some((start, end)) = window(ctx) else {
        return Vec::new();
    };
    let declared = ctx.sc.window.is_some();
    // A longer window is refused, not judged in part (it used to be cut at
    // the cap without a word).
    let total = period_number(*period, end) - period_number(*period, start) + 1;
    if total > MAX_PERIODS as i64 {
        let message = format!(
            "情景从 {start} 至 {end} {}计共 {total} 个周期，超过上限 {MAX_PERIODS}：{}无法逐期判定",
            period.word(),
            rule_label(rs, rule)
        );
        let mut errors = ctx.errors.borrow_mut();
        if !errors.iter().any(|(_, d)| d.message == message) {
            errors.push((
                0,
                crate::diag::Diag::error(crate::diag::code::SCENARIO_PERIOD, ctx.sc.span, message)
                    .label("期间过长的情景")
                    .help("缩短情景的“期间”（或“截至”），或把它分成几个情景分别检查"),
            ));
        }
        return Vec::new();
    }
    // Groups: (label, events of that group); a label shared by the
    // group's findings.
    let groups: Vec<Group<'_>> = match group {
        None => vec![(None, matching, None)],
        Some(g) => {
            let ids: Vec<Party> = if *g == Grouping::Person && !pattern.actors.is_empty() {
                (0..ctx.sc.people.len())
                    .filter(|p| listed(ctx, pattern, *p))
                    .map(Party::Person)
                    .collect()
            } else {
                let mut ids: Vec<Party> = matching
                    .iter()
                    .filter_map(|e| group_member(*g, e))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            };
            // Each group's events, in one pass over the events.
            let mut by_party: std::collections::BTreeMap<Party, Vec<&EventIr>> =
                std::collections::BTreeMap::new();
            for e in &matching {
                if let Some(p) = group_member(*g, e) {
                    by_party.entry(p).or_default().push(e);
                }
            }
            ids.into_iter()
                .map(|p| {
                    let evs = by_party.remove(&p).unwrap_or_default();
                    let name = ctx.sc.party_name(&p);
                    ((!name.is_empty()).then(|| Arc::from(name)), evs, Some(p))
                })
                .collect()
        }
    };
    // Each person's own acts recording a 特殊情况 (excuses for too few).
    let aways: Vec<Vec<&EventIr>> = if excuses_absence(rule, terms) {
        let mut by_party: std::collections::BTreeMap<&Party, Vec<&EventIr>> = Default::default();
        for e in ctx.sc.events.iter().filter(|e| special_of(e).is_some()) {
            if let Some(p @ Party::Person(_)) = &e.actor {
                by_party.entry(p).or_default().push(e);
            }
        }
        groups
            .iter()
            .map(|(_, _, p)| {
                p.as_ref()
                    .and_then(|p| by_party.get(p).cloned())
                    .unwrap_or_default()
            })
            .collect()
    } else {
        Vec::new()
    };
    // Small enough to list period by period; beyond, a group's run of
    // periods with the same events (none, mostly) and verdict is one
    // finding, so that a weekly 按 人员 rule over years and 10⁴ people
    // gives one finding per person, not one per person and week.
    // At most MAX_PERIODS (checked above), so the loops below are bounded.
    let periods = usize::try_from(total).unwrap_or(MAX_PERIODS);
    if periods.saturating_mul(groups.len()) > MAX_LISTED {
        return runs(
            rs,
            &ctx.sc.people,
            rule,
            terms,
            &groups,
            &aways,
            (start, end),
            declared,
        );
    }
    // One finding per group and period (unless only counted): sized once,
    // not grown by copying findings.
    let mut out = Vec::with_capacity(if ctx.tally.is_none() {
        periods.saturating_mul(groups.len())
    } else {
        0
    });
    let mut p = period_start(*period, start);
    while p <= end {
        let Some(pe) = period_end(*period, p) else {
            break;
        };
        let seen = Seen::of(p, pe, (start, end), declared);
        for (i, (who, evs, party)) in groups.iter().enumerate() {
            let mut tally = tally_in(evs, p, pe);
            away_in(aways.get(i), p, pe, &mut tally);
            tally.not_owed = !owed(rs, &ctx.sc.people, pattern, party.as_ref(), p, pe);
            out.extend(period_finding(rs, rule, terms, who, p, seen, tally));
        }
        let Some(next) = pe.checked_add_days(Days::new(1)) else {
            break;
        };
        p = next;
    }
    out
}

/// The starts of the periods from the one holding `from` through the one
/// holding `to`.
pub(crate) fn period_starts(
    period: Period,
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(period_start(period, from)), move |p| {
        period_end(period, *p).and_then(|e| e.succ_opt())
    })
    .take_while(move |p| *p <= to)
}

/// The 特殊情况 an event records, if any.
pub(crate) fn special_of(e: &EventIr) -> Option<&str> {
    e.justification
        .as_ref()
        .filter(|j| j.special)
        .map(|j| j.text.as_str())
}

/// Does a rule take a person's own 特殊情况 in a period as the excuse for
/// too few there? A defeasible (一般、原则上) count per person.
pub(crate) fn excuses_absence(rule: &CompiledRule, terms: &FrequencyRule) -> bool {
    rule.defeasible.is_some() && terms.group == Some(Grouping::Person)
}

/// Is `e` counted once, in the period it starts in (a meeting convened),
/// rather than in every period it covers?
pub(crate) fn counts_once(e: &EventIr) -> bool {
    e.verb == Verb::Convene
}

/// A finding cites at most this many of the events it counts (its count
/// is exact): 15,000 multi-day events each covering 84 months made 84
/// findings citing all of them, 135 MB of output from a 1 MB file.
pub(crate) const MAX_CITED: usize = 100;

/// More (group, period) findings than this for one rule are merged into
/// runs (see [`runs`]).
pub(crate) const MAX_LISTED: usize = 10_000;

/// A group's events counted in the period [p, pe]. A meeting counts once,
/// in the period it is convened (opens) in: a 全体会议 from 12-31 to 01-02
/// was held once (blind r18 伊犁州 R18-03 and r13 乾安 R13-44 found it
/// counted in two years, “2025年共3次”; r13 R13-43, a meeting across two
/// half-years, one for each). Another multi-day event (a six-day 调研: days
/// spent at the grassroots) counts towards the least in every period it
/// covers, and towards the most only in the one it starts in.
fn tally_in(evs: &[&EventIr], p: NaiveDate, pe: NaiveDate) -> Tally {
    let mut tally = Tally::default();
    for e in evs {
        let start = e.start().min(e.date);
        if start <= pe && e.end() >= p && (start >= p || !counts_once(e)) {
            tally.add(e, MAX_CITED, start >= p);
        }
    }
    tally
}

/// One group's label, the events counted for it, and who it is (None:
/// not grouped).
type Group<'e> = (Option<Arc<str>>, Vec<&'e EventIr>, Option<Party>);

/// The first 特殊情况 among a person's own acts (`aways`) in [p, pe].
fn away_in(aways: Option<&Vec<&EventIr>>, p: NaiveDate, pe: NaiveDate, tally: &mut Tally) {
    for e in aways.into_iter().flatten() {
        if e.start().min(e.date) <= pe && e.end() >= p {
            tally.note_away(e);
        }
    }
}

/// Group by group, consecutive periods with the same events counted (the
/// same indices: none, or one multi-day event) and the same verdict
/// become one finding over the run; the verdicts are those of the
/// periods one by one.
#[allow(clippy::too_many_arguments)]
fn runs(
    rs: &Ruleset,
    people: &[Person],
    rule: &CompiledRule,
    terms: &FrequencyRule,
    groups: &[Group<'_>],
    aways: &[Vec<&EventIr>],
    (start, end): (NaiveDate, NaiveDate),
    declared: bool,
) -> Vec<Finding> {
    let period = terms.period;
    let mut out = Vec::new();
    for (i, (who, evs, party)) in groups.iter().enumerate() {
        let mut run = Runs::default();
        let mut p = period_start(period, start);
        while p <= end {
            let Some(pe) = period_end(period, p) else {
                break;
            };
            let seen = Seen::of(p, pe, (start, end), declared);
            let mut tally = tally_in(evs, p, pe);
            away_in(aways.get(i), p, pe, &mut tally);
            tally.not_owed = !owed(rs, people, &terms.pattern, party.as_ref(), p, pe);
            out.extend(run.push(rs, rule, terms, who, p, seen, tally));
            let Some(next) = pe.checked_add_days(Days::new(1)) else {
                break;
            };
            p = next;
        }
        out.extend(run.finish(rs, rule, terms, who));
    }
    out
}

/// A group's label as findings take it: shared when the caller holds it
/// shared (`check`), copied from a `&str` otherwise (the audit's); ""
/// and None are no group.
pub(crate) trait GroupName {
    fn shared(&self) -> Option<Arc<str>>;
}

impl GroupName for str {
    fn shared(&self) -> Option<Arc<str>> {
        (!self.is_empty()).then(|| Arc::from(self))
    }
}

impl GroupName for String {
    fn shared(&self) -> Option<Arc<str>> {
        self.as_str().shared()
    }
}

impl GroupName for Option<Arc<str>> {
    fn shared(&self) -> Option<Arc<str>> {
        self.clone()
    }
}

/// How much of a period the scenario shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Wholly inside a window the record vouches for (a 期间, an audit's
    /// log): too few events there is a breach.
    Whole,
    /// Partly outside the window.
    Part,
    /// Inside a scenario with no 期间: its events are a sample, not the
    /// record of the period, so too few proves nothing.
    Sample,
}

impl Seen {
    /// The period `p ..= pe` against the window, written (期间) or not.
    fn of(
        p: NaiveDate,
        pe: NaiveDate,
        (start, end): (NaiveDate, NaiveDate),
        declared: bool,
    ) -> Seen {
        match (p >= start && pe <= end, declared) {
            (true, true) => Seen::Whole,
            (true, false) => Seen::Sample,
            (false, _) => Seen::Part,
        }
    }

    pub(crate) fn whole_if(whole: bool) -> Seen {
        if whole { Seen::Whole } else { Seen::Part }
    }
}

/// One group's periods, fed in order, merged into runs: consecutive
/// periods with the same count and events counted (none, mostly), the
/// same completeness and the same verdict give one finding (`check` over
/// many periods and groups, and the audit's last periods up to its
/// `--cutoff`).
#[derive(Default)]
pub(crate) struct Runs {
    open: Option<Run>,
}

struct Run {
    first: NaiveDate,
    last: NaiveDate,
    periods: usize,
    seen: Seen,
    verdict: Verdict,
    events: Vec<usize>,
    tally: Tally,
}

impl Runs {
    /// The next period (starting `p`); the finding of the run it ends, if
    /// any.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        rs: &Ruleset,
        rule: &CompiledRule,
        terms: &FrequencyRule,
        who: &(impl GroupName + ?Sized),
        p: NaiveDate,
        seen: Seen,
        tally: Tally,
    ) -> Option<Finding> {
        // Not judged: the run ends here.
        if unowed_shortfall(terms, &tally) {
            return self.finish(rs, rule, terms, who);
        }
        let events: Vec<usize> = tally.events.iter().map(|e| e.index).collect();
        let verdict = verdict_of(terms, &tally, seen);
        if let Some(r) = &mut self.open
            && r.seen == seen
            && r.verdict == verdict
            && r.tally.count == tally.count
            && r.tally.away.is_some() == tally.away.is_some()
            // Only a rule with a most tells periods apart by it.
            && (terms.max.is_none() || r.tally.started == tally.started)
            && r.events == events
        {
            r.last = p;
            r.periods += 1;
            return None;
        }
        let done = self.finish(rs, rule, terms, who);
        self.open = Some(Run {
            first: p,
            last: p,
            periods: 1,
            seen,
            verdict,
            events,
            tally,
        });
        done
    }

    /// `n` consecutive periods with nothing counted, the first starting
    /// `first` and the last `last`, all `seen` alike: the same as
    /// pushing each of them, in time independent of `n` (the audit's
    /// periods across a gap of years).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_empty(
        &mut self,
        rs: &Ruleset,
        rule: &CompiledRule,
        terms: &FrequencyRule,
        who: &(impl GroupName + ?Sized),
        first: NaiveDate,
        last: NaiveDate,
        n: usize,
        seen: Seen,
    ) -> Option<Finding> {
        if n == 0 {
            return None;
        }
        let done = self.push(rs, rule, terms, who, first, seen, Tally::default());
        // The open run is now this kind of period: the rest extend it.
        if let Some(r) = &mut self.open {
            r.last = last;
            r.periods = r.periods.saturating_add(n - 1);
        }
        done
    }

    /// The finding of the run still open.
    pub(crate) fn finish(
        &mut self,
        rs: &Ruleset,
        rule: &CompiledRule,
        terms: &FrequencyRule,
        who: &(impl GroupName + ?Sized),
    ) -> Option<Finding> {
        let r = self.open.take()?;
        let run = Periods {
            first: r.first,
            last: r.last,
            count: r.periods,
        };
        run_finding(rs, rule, terms, who, run, r.seen, r.tally)
    }
}

/// The verdict [`period_finding`] gives a count.
fn verdict_of(terms: &FrequencyRule, tally: &Tally, seen: Seen) -> Verdict {
    let (min, count) = (terms.min, tally.count);
    if terms.max.is_some_and(|m| tally.started > m) || (count < min && seen == Seen::Whole) {
        Verdict::Violated
    } else if count < min {
        Verdict::Pending
    } else {
        Verdict::Complied
    }
}

/// Does the event count towards the rule? 除 情形 … 外: excepted events
/// are not counted.
pub(crate) fn counted(ctx: &Ctx<'_>, rule: &CompiledRule, pattern: &Pattern, e: &EventIr) -> bool {
    ctx.rs.in_force(e.date)
        && ctx.matches(pattern, e, true)
        && super::hard_exception(rule, e).is_none()
}

/// 每人: when the rule names who (县长、副县长), everyone holding such a
/// position (at any time: positions may change on a day) is counted, with
/// or without events.
pub(crate) fn listed(ctx: &Ctx<'_>, pattern: &Pattern, p: PersonId) -> bool {
    !pattern.actors.iter().all(|a| matches!(a, Actor::Role(_)))
        && ctx.person(p).is_some_and(|person| {
            person
                .all_positions()
                .any(|h| holds_actor(ctx.rs, h, &pattern.actors))
        })
}

/// Does position `held` answer to one of `actors` (a position, or the
/// delegate's position of `X委托的Y`)?
fn holds_actor(rs: &Ruleset, held: usize, actors: &[Actor]) -> bool {
    actors.iter().any(|a| match a {
        Actor::Position(w) | Actor::Delegated { delegate: w, .. } => rs.position_is(held, *w),
        _ => false,
    })
}

/// Does `who` owe the count for the period [p, pe]? A person counted for
/// the positions the rule names owes it only for a period throughout which
/// he holds one: one appointed, or gone, within it is not judged on a part
/// of it (too few there says nothing; too many is still too many). A
/// person whose positions never change, and any other group, owes every
/// period.
pub(crate) fn owed(
    rs: &Ruleset,
    people: &[Person],
    pattern: &Pattern,
    who: Option<&Party>,
    p: NaiveDate,
    pe: NaiveDate,
) -> bool {
    let Some(Party::Person(id)) = who else {
        return true;
    };
    match people.get(*id) {
        Some(person) if !person.changes.is_empty() && !pattern.actors.is_empty() => person
            .throughout(p, pe, |held| {
                held.iter().any(|h| holds_actor(rs, *h, &pattern.actors))
            }),
        _ => true,
    }
}

/// [`owed`] for the period of `terms` starting `p` (the audit's, which
/// knows periods by their start).
pub(crate) fn owed_from(
    rs: &Ruleset,
    people: &[Person],
    terms: &FrequencyRule,
    who: Option<&Party>,
    p: NaiveDate,
) -> bool {
    period_end(terms.period, p).is_some_and(|pe| owed(rs, people, &terms.pattern, who, p, pe))
}

/// A period not owed (see [`owed`]) whose count is too few and not too
/// many: nothing to say about it.
fn unowed_shortfall(terms: &FrequencyRule, tally: &Tally) -> bool {
    tally.not_owed && tally.count < terms.min && terms.max.is_none_or(|m| tally.started <= m)
}

/// Whom an event counts for under a grouping (其 召集/主持/本人/本单位).
pub(crate) fn group_member(g: Grouping, e: &EventIr) -> Option<Party> {
    match g {
        Grouping::Person => match e.actor {
            Some(Party::Person(p)) => Some(Party::Person(p)),
            _ => None,
        },
        Grouping::Unit => match &e.actor {
            Some(Party::Unit(u)) => Some(Party::Unit(u.clone())),
            _ => None,
        },
        Grouping::Convener => e.convener.map(Party::Person),
        Grouping::Chair => e.chair.map(Party::Person),
    }
}

/// The events of one group in one period, as counted so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    /// Events in the period (towards the least).
    pub count: u32,
    /// Those that start in it (towards the most).
    pub started: u32,
    /// The events cited (the audit keeps only the first few).
    pub events: Vec<EventRef>,
    /// The first recorded justification among them.
    pub justification: Option<String>,
    /// The first that records a 特殊情况 (除 特殊情况 外 accepts no other).
    pub special: Option<String>,
    /// A 特殊情况 recorded on another act of the group's person in the
    /// period (a week away on training): the excuse for too few, which has
    /// no counted event to carry it (blind r18 乾安 R18-32).
    pub away: Option<String>,
    /// The group does not owe the period (a person not in post all through
    /// it: [`owed`]): too few there is not judged.
    pub not_owed: bool,
}

impl Tally {
    /// Note `e`'s 特殊情况 as an excuse for too few, if it records one.
    pub(crate) fn note_away(&mut self, e: &EventIr) {
        if self.away.is_none() {
            self.away = special_of(e).map(str::to_string);
        }
    }

    /// Count an event (`starts_here`: it starts in this period), citing it
    /// while fewer than `cite` are cited.
    pub(crate) fn add(&mut self, e: &EventIr, cite: usize, starts_here: bool) {
        self.count = self.count.saturating_add(1);
        if starts_here {
            self.started = self.started.saturating_add(1);
        }
        if self.events.len() < cite {
            self.events.push(EventRef::of(e));
        }
        if self.justification.is_none() {
            self.justification = e.justification.as_ref().map(|j| j.text.clone());
        }
        if self.special.is_none() {
            self.special = special_of(e).map(str::to_string);
        }
    }
}

/// The finding for one group (`who`, "" when ungrouped) in the period
/// starting `p`, as much of it as was `seen`.
pub(crate) fn period_finding(
    rs: &Ruleset,
    rule: &CompiledRule,
    terms: &FrequencyRule,
    who: &(impl GroupName + ?Sized),
    p: NaiveDate,
    seen: Seen,
    tally: Tally,
) -> Option<Finding> {
    if unowed_shortfall(terms, &tally) {
        return None;
    }
    let one = Periods {
        first: p,
        last: p,
        count: 1,
    };
    run_finding(rs, rule, terms, who, one, seen, tally)
}

/// A run of consecutive periods: the first's and the last's starts.
#[derive(Clone, Copy)]
struct Periods {
    first: NaiveDate,
    last: NaiveDate,
    count: usize,
}

/// The finding for one group in the `periods` periods from the one
/// starting `p` to the one starting `last`, each with the count of
/// `tally` (one period: [`period_finding`]).
fn run_finding(
    rs: &Ruleset,
    rule: &CompiledRule,
    terms: &FrequencyRule,
    who: &(impl GroupName + ?Sized),
    run: Periods,
    seen: Seen,
    tally: Tally,
) -> Option<Finding> {
    let FrequencyRule {
        period, min, max, ..
    } = terms;
    let (p, last, periods) = (run.first, run.last, run.count);
    let pe = period_end(*period, last)?;
    let (mut count, started) = (tally.count, tally.started);
    let justification = if rule.special_only {
        tally.special.as_deref()
    } else {
        tally.justification.as_deref()
    };
    // Too few: the person's own 特殊情况 that period, when nothing counted
    // carries one.
    let justification = match justification {
        None if count < *min => tally.away.as_deref(),
        j => j,
    };
    let (verdict, judged) = if max.is_some_and(|m| started > m) {
        // Too many: those convened in the period, as counted.
        count = started;
        (Verdict::Violated, Judged::Over)
    } else if count < *min {
        match seen {
            Seen::Whole => (Verdict::Violated, Judged::Under),
            Seen::Part => (Verdict::Pending, Judged::Incomplete { end: pe }),
            Seen::Sample => (Verdict::Pending, Judged::Sample { end: pe }),
        }
    } else {
        (Verdict::Complied, Judged::Within)
    };
    let facts = Count {
        who: who.shared(),
        period: *period,
        first: p,
        last,
        periods,
        count,
        min: *min,
        max: *max,
        judged,
    };
    let draft = Draft::because(
        rule,
        verdict,
        Reason::Pattern(PatternFacts::Frequency(facts)),
    )
    .excuse_with(justification)
    .event_refs(tally.events);
    Some(
        draft
            .date(DateRole::PeriodStart, p)
            .date(DateRole::PeriodEnd, pe)
            .finish(rs),
    )
}

/// What a 频次 finding counted ([`PatternFacts::Frequency`]): one group's events
/// in one period, or in each of a run of periods with the same count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The group (按 人员/单位/召集人/主持人); None: all events.
    pub who: Option<Arc<str>>,
    pub period: Period,
    /// The first period's start.
    pub first: NaiveDate,
    /// The last period's start (the same as `first` for one period).
    pub last: NaiveDate,
    pub periods: usize,
    pub count: u32,
    pub min: u32,
    pub max: Option<u32>,
    pub judged: Judged,
}

/// The count against the rule's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    Over,
    /// Too few in a period wholly observed.
    Under,
    /// Too few so far in a period not wholly observed (ending `end`).
    Incomplete {
        end: NaiveDate,
    },
    /// Too few in a scenario with no 期间: not shown to be the record.
    Sample {
        end: NaiveDate,
    },
    Within,
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (min, count) = (self.min, self.count);
        let range = match self.max {
            Some(m) if m == min => format!("{min}次"),
            Some(m) if min == 0 => format!("不超过{m}次"),
            Some(m) => format!("{min}至{m}次"),
            None => format!("至少{min}次"),
        };
        if let Some(w) = &self.who {
            write!(f, "{w}在")?;
        }
        f.write_str(&period_label(self.period, self.first))?;
        if self.periods > 1 {
            write!(
                f,
                "至{}（共{}个周期）每个周期",
                period_label(self.period, self.last),
                self.periods
            )?;
        }
        // "共" for one period's total, not for each of a run.
        let total = if self.periods > 1 { "" } else { "共" };
        let every = self.period.word();
        match self.judged {
            Judged::Over => write!(f, "{total}{count}次，须{every}{range}"),
            Judged::Under => write!(f, "仅{count}次，须{every}{range}"),
            Judged::Incomplete { end } => write!(
                f,
                "目前{count}次，须{every}{range}；记录未覆盖整个周期（{} 至 {end}），尚无定论",
                self.first
            ),
            Judged::Sample { end } => write!(
                f,
                "记录中{count}次，须{every}{range}；情景未写明期间，不能断定 {} 至 {end} 的记录完整，尚无定论（写“期间 A 至 B”即按完整记录判定）",
                self.first
            ),
            Judged::Within => write!(f, "{total}{count}次，符合{every}{range}"),
        }
    }
}

/// The scenario's observed window: 期间, else first event to 截至 or the
/// last event.
/// Only the part in force counts: a period partly before 施行 (or after
/// 废止) is not wholly observed.
/// "第五十七条" for a message (empty when the rule has no article).
fn rule_label(rs: &Ruleset, rule: &CompiledRule) -> String {
    rs.article_of(rule)
        .map_or_else(String::new, |a| format!("{}的频次规则", a.display))
}

fn window(ctx: &Ctx<'_>) -> Option<(NaiveDate, NaiveDate)> {
    let (first, last) = match ctx.sc.window {
        Some(w) => w,
        None => {
            let first = ctx.sc.events.iter().map(|e| e.date).min()?;
            let last = ctx
                .sc
                .cutoff
                .or_else(|| ctx.sc.events.iter().map(|e| e.date).max())?;
            (first, last.max(first))
        }
    };
    in_force_part(ctx.rs, first, last)
}

/// The days of `first ..= last` on which the ruleset is in force.
pub(crate) fn in_force_part(
    rs: &Ruleset,
    first: NaiveDate,
    last: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let first = rs.effective.map_or(first, |e| first.max(e));
    let last = match rs.repealed.and_then(|r| r.pred_opt()) {
        Some(r) => last.min(r),
        None => last,
    };
    (first <= last).then_some((first, last))
}

pub(crate) fn period_start(p: Period, d: NaiveDate) -> NaiveDate {
    let first_of = |m: u32| NaiveDate::from_ymd_opt(d.year(), m, 1).unwrap_or(d);
    match p {
        Period::Week => d
            .checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
            .unwrap_or(d),
        Period::Month => first_of(d.month()),
        Period::TwoMonths => first_of((d.month() - 1) / 2 * 2 + 1),
        Period::Quarter => first_of((d.month() - 1) / 3 * 3 + 1),
        Period::HalfYear => first_of(if d.month() <= 6 { 1 } else { 7 }),
        Period::Year => first_of(1),
    }
}

/// The period holding `d` as a number: consecutive periods have
/// consecutive numbers, so the periods from `a` to `b` are
/// `period_number(b) - period_number(a) + 1` without walking them.
pub(crate) fn period_number(p: Period, d: NaiveDate) -> i64 {
    let months = i64::from(d.year()) * 12 + i64::from(d.month0());
    match p {
        // Days since 0001-01-01 (a Monday), in weeks.
        Period::Week => i64::from(d.num_days_from_ce() - 1).div_euclid(7),
        Period::Month => months,
        Period::TwoMonths => months.div_euclid(2),
        Period::Quarter => months.div_euclid(3),
        Period::HalfYear => months.div_euclid(6),
        Period::Year => i64::from(d.year()),
    }
}

pub(crate) fn period_end(p: Period, start: NaiveDate) -> Option<NaiveDate> {
    let months = match p {
        Period::Week => return start.checked_add_days(Days::new(6)),
        Period::Month => 1,
        Period::TwoMonths => 2,
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
        Period::TwoMonths => format!("{}年{}—{}月", s.year(), s.month(), s.month() + 1),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// Consecutive periods have consecutive numbers, for every kind of
    /// period and across year ends.
    #[test]
    fn period_numbers_count_periods() {
        for period in [
            Period::Week,
            Period::Month,
            Period::TwoMonths,
            Period::Quarter,
            Period::HalfYear,
            Period::Year,
        ] {
            let mut p = period_start(period, d(2019, 12, 30));
            let first = period_number(period, p);
            for k in 0..200 {
                assert_eq!(period_number(period, p), first + k, "{period:?} {p}");
                // Any day of the period has its number.
                let end = period_end(period, p).unwrap_or(p);
                assert_eq!(period_number(period, end), first + k, "{period:?} {end}");
                p = end.succ_opt().unwrap_or(end);
            }
        }
        // 2023-01-02 is a Monday: it and the Sunday before are in
        // consecutive weeks.
        assert_eq!(
            period_number(Period::Week, d(2023, 1, 2)) - period_number(Period::Week, d(2023, 1, 1)),
            1
        );
    }
}
