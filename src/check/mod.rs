//! Checking: compiled ruleset × resolved scenario → findings, one per
//! (rule, triggering event), each with the article, its 原文, the events and
//! dates involved and a one-line Chinese explanation. One module per pattern.

pub mod authority;
mod context;
mod finding;
pub mod frequency;
mod index;
mod pattern;
pub mod permission;
pub mod precedence;
pub mod prohibition;
pub mod quorum;
pub mod response;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::compile::ir::{CompiledRule, EventIr, GeneralTrigger, Ruleset, Scenario};
use crate::diag::Diag;
pub use context::{Ctx, actor_name, role_word as role_name};
pub use context::{FxHasher, FxMap};
pub use finding::{
    AuthPath, DateNote, DateRole, Dates, EventRef, EventRefs, Excuse, Finding, KindUnsure,
    OutOfForce, PartyRef, Reason,
};
pub use index::EventIndex;
pub use pattern::{
    Ahead, AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule, RuleKind,
    actors_text, calendar_span, impossible, pattern_text, verbs_text,
};
pub use response::RECORDED_LIMIT_REACH;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Verdict {
    #[serde(rename = "违反")]
    Violated,
    #[serde(rename = "例外")]
    Excepted,
    #[serde(rename = "待定")]
    Pending,
    #[serde(rename = "符合")]
    Complied,
    #[serde(rename = "不适用")]
    NotApplicable,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Violated => "违反",
            Verdict::Excepted => "例外",
            Verdict::Pending => "待定",
            Verdict::Complied => "符合",
            Verdict::NotApplicable => "不适用",
        }
    }

    pub const ALL: [Verdict; 5] = [
        Verdict::Violated,
        Verdict::Excepted,
        Verdict::Pending,
        Verdict::Complied,
        Verdict::NotApplicable,
    ];

    /// 符合 and 不适用: listed only when asked for (check -v, audit --all),
    /// counted always.
    pub fn is_quiet(self) -> bool {
        matches!(self, Verdict::Complied | Verdict::NotApplicable)
    }

    /// The verdict a word names (违反, 例外, 待定, 符合, 不适用).
    pub fn from_word(w: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.word() == w.trim())
    }
}

/// All findings of one scenario under one ruleset.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    pub scenario: String,
    pub ruleset: String,
    pub file: String,
    pub cutoff: Option<NaiveDate>,
    pub findings: Vec<Finding>,
    /// With [`CheckOptions::keep_going`]: triggers that could not be
    /// judged, with the event's index.
    #[serde(skip)]
    pub problems: Vec<(usize, Diag)>,
}

impl ScenarioReport {
    pub fn articles_with(&self, v: Verdict) -> BTreeSet<u32> {
        self.findings
            .iter()
            .filter(|f| f.verdict == v)
            .map(|f| f.article)
            .collect()
    }

    pub fn violated(&self) -> BTreeSet<u32> {
        self.articles_with(Verdict::Violated)
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.findings.iter().filter(|f| f.verdict == v).count()
    }
}

/// What to check beyond the default of every rule on every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Only events dated in this range trigger findings; the others are
    /// there as responses and precedents (the audit's sliding window).
    pub trigger_window: Option<(NaiveDate, NaiveDate)>,
    /// Leave 频次 rules out (the audit counts them as the log streams by).
    pub skip_frequency: bool,
    /// Report dates that ran off the calendar in [`ScenarioReport::problems`]
    /// and keep every other finding, instead of failing the whole check.
    pub keep_going: bool,
    /// A 及时 response counts only within this many days of its trigger;
    /// None: any later one.
    pub prompt_days: Option<u32>,
}

/// Check a scenario against a ruleset. Errors (a computed date outside the
/// calendar) point into the scenario.
pub fn check(rs: &Ruleset, sc: &Scenario) -> Result<ScenarioReport, Vec<Diag>> {
    check_with(rs, sc, CheckOptions::default())
}

/// [`check`] with options.
pub fn check_with(
    rs: &Ruleset,
    sc: &Scenario,
    opts: CheckOptions,
) -> Result<ScenarioReport, Vec<Diag>> {
    let mut ctx = Ctx::new(rs, sc)?;
    ctx.trigger_window = opts.trigger_window;
    ctx.prompt_days = opts.prompt_days;
    check_in(&ctx, opts)
}

/// [`check_with`] on a context already built (the audit reuses it).
pub fn check_in(ctx: &Ctx<'_>, opts: CheckOptions) -> Result<ScenarioReport, Vec<Diag>> {
    let (rs, sc) = (ctx.rs, ctx.sc);
    let mut outs: Vec<Vec<Finding>> = Vec::with_capacity(rs.rules.len());
    for rule in &rs.rules {
        let pattern = rule.kind.pattern();
        // The audit counts periods itself, as the log streams by.
        if opts.skip_frequency && pattern.audit_needs(rule).per_period.is_some() {
            continue;
        }
        let out = pattern.check(ctx, rule);
        if !out.is_empty() {
            outs.push(out);
        }
        if let Some(general) = &rule.general {
            let out = kind_unsure(ctx, rule, general);
            if !out.is_empty() {
                outs.push(out);
            }
        }
    }
    let mut problems = Vec::new();
    if opts.keep_going {
        problems = ctx.errors.take();
    }
    let errors = ctx.errors.take();
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|(_, d)| d.in_source(&sc.source))
            .collect());
    }
    let findings = in_date_order(outs);
    Ok(ScenarioReport {
        scenario: sc.name.clone(),
        ruleset: rs.name.clone(),
        file: sc.source.name.to_string(),
        cutoff: sc.cutoff,
        findings,
        problems,
    })
}

/// The events recorded by a kind above the rule's (`rule.general`): the
/// rule checked on them as if they were of its kind; where it would not
/// comply, 待定 with what it would say. Where it would comply (or not
/// apply) nothing is said: whichever kind the event is, nothing is wrong.
fn kind_unsure(ctx: &Ctx<'_>, rule: &CompiledRule, general: &GeneralTrigger) -> Vec<Finding> {
    // Count-only (the audit): what complies under the wider kinds is not
    // the rule's 符合 and must not be counted as such.
    let counted = ctx
        .tally
        .as_ref()
        .map(|t| t.borrow().get(&rule.id).copied());
    let mut out = general.kind.pattern().check(ctx, rule);
    if let Some(t) = &ctx.tally {
        let mut t = t.borrow_mut();
        match counted.flatten() {
            Some(n) => {
                t.insert(rule.id, n);
            }
            None => {
                t.remove(&rule.id);
            }
        }
    }
    out.retain(|f| !f.verdict.is_quiet());
    for f in &mut out {
        f.kind_unsure = Some(Arc::new(KindUnsure {
            if_applies: f.verdict,
            ..(*general.unsure).clone()
        }));
        f.verdict = Verdict::Pending;
    }
    out
}

/// Order of findings: a finding's first event, else its first computed
/// date (a period with no events); then article and rule.
type OrderKey = (Option<NaiveDate>, u32, usize);

fn order_key(f: &Finding) -> OrderKey {
    (f.when(), f.article, f.rule)
}

/// [`order_key`] packed into one integer that orders alike, with room in
/// its low 32 bits for a run's number: the merge compares one `u128`
/// instead of a tuple. None when a part does not fit (then the findings
/// are sorted by [`order_key`] instead).
fn packed_key(f: &Finding) -> Option<u128> {
    // None before every date; a date as its year (offset to be unsigned,
    // chrono's years fit in 19 bits) and day of the year: no division.
    let day = match f.when() {
        None => 0,
        Some(d) => {
            let year = u32::try_from(d.year().checked_add(1 << 18)?).ok()?;
            (year.checked_mul(512)? | d.ordinal()).checked_add(1)?
        }
    };
    let rule = u32::try_from(f.rule).ok()?;
    Some((u128::from(day) << 96) | (u128::from(f.article) << 64) | (u128::from(rule) << 32))
}

/// The rules' findings in date order, as a stable sort of them one rule
/// after another would put them: findings of one rule on one day stay in
/// event order. Each rule's come in runs already in order (mostly one):
/// the runs are merged through their heads' packed keys (the run's
/// number breaks ties, as a stable sort), each finding moved once into a
/// vector sized once.
fn in_date_order(outs: Vec<Vec<Finding>>) -> Vec<Finding> {
    let total: usize = outs.iter().map(Vec::len).sum();
    // Each rule's findings cut where they leave order.
    let mut runs: Vec<std::vec::IntoIter<Finding>> = Vec::with_capacity(outs.len());
    let mut packable = true;
    for mut out in outs {
        let mut cuts: Vec<usize> = Vec::new();
        let mut last: Option<u128> = None;
        for (i, f) in out.iter().enumerate() {
            let Some(k) = packed_key(f) else {
                packable = false;
                break;
            };
            if last.is_some_and(|l| l > k) {
                cuts.push(i);
            }
            last = Some(k);
        }
        let mut tails = Vec::with_capacity(cuts.len());
        for c in cuts.iter().rev() {
            tails.push(out.split_off(*c));
        }
        runs.push(out.into_iter());
        runs.extend(tails.into_iter().rev().map(Vec::into_iter));
    }
    if runs.len() <= 1 {
        return runs.pop().map(Iterator::collect).unwrap_or_default();
    }
    let head = |i: usize, run: &std::vec::IntoIter<Finding>| -> Option<u128> {
        let k = packed_key(run.as_slice().first()?)?;
        Some(k | u128::from(u32::try_from(i).ok()?))
    };
    if !packable || u32::try_from(runs.len()).is_err() {
        // Keys too large to pack (never in practice): a stable sort.
        let mut all: Vec<Finding> = runs.into_iter().flatten().collect();
        all.sort_by_key(order_key);
        return all;
    }
    use std::cmp::Reverse;
    use std::collections::binary_heap::{BinaryHeap, PeekMut};
    let mut heads: BinaryHeap<Reverse<u128>> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| head(i, r).map(Reverse))
        .collect();
    let mut findings = Vec::with_capacity(total);
    while let Some(mut top) = heads.peek_mut() {
        // The run's number is the key's low 32 bits.
        let i = (top.0 & u128::from(u32::MAX)) as usize;
        let Some(run) = runs.get_mut(i) else {
            PeekMut::pop(top);
            continue;
        };
        if let Some(f) = run.next() {
            findings.push(f);
        }
        match head(i, run) {
            Some(k) => top.0 = k,
            None => {
                PeekMut::pop(top);
            }
        }
    }
    findings
}

/// A finding under construction.
pub(crate) struct Draft<'r> {
    rule: &'r CompiledRule,
    verdict: Verdict,
    events: EventRefs,
    dates: Dates,
    reason: Reason,
    path: Option<Arc<AuthPath>>,
    party: Option<PartyRef>,
    counted_from: Option<NaiveDate>,
    excuse: Option<Box<Excuse>>,
}

impl<'r> Draft<'r> {
    /// A draft with a typed reason.
    #[inline(always)]
    pub(crate) fn because(rule: &'r CompiledRule, verdict: Verdict, reason: Reason) -> Self {
        Draft {
            rule,
            verdict,
            events: EventRefs::new(),
            dates: Dates::new(),
            reason,
            path: None,
            party: None,
            counted_from: None,
            excuse: None,
        }
    }

    #[inline(always)]
    pub(crate) fn event(self, e: &EventIr) -> Self {
        self.event_ref(EventRef::of(e))
    }

    #[inline(always)]
    pub(crate) fn event_ref(mut self, r: EventRef) -> Self {
        if !self
            .events
            .iter()
            .any(|x| x.index == r.index && x.span.start == r.span.start)
        {
            self.events.push(r);
        }
        self
    }

    /// [`Draft::event_ref`] of each, the vector taken over as the
    /// finding's list when nothing needs dropping.
    pub(crate) fn event_refs(mut self, refs: Vec<EventRef>) -> Self {
        let same = |x: &EventRef, r: &EventRef| x.index == r.index && x.span.start == r.span.start;
        let repeats = refs
            .iter()
            .enumerate()
            .any(|(i, r)| refs.iter().take(i).any(|x| same(x, r)));
        if !self.events.is_empty() || repeats {
            for r in refs {
                self = self.event_ref(r);
            }
            return self;
        }
        self.events = EventRefs::from(refs);
        self
    }

    #[inline]
    pub(crate) fn date(mut self, role: DateRole, date: NaiveDate) -> Self {
        self.dates.push(DateNote { role, date });
        self
    }

    #[inline(always)]
    pub(crate) fn party(mut self, party: Option<PartyRef>) -> Self {
        self.party = party;
        self
    }

    #[inline(always)]
    pub(crate) fn path(mut self, path: Arc<AuthPath>) -> Self {
        self.path = Some(path);
        self
    }

    /// The day the rule's deadline was counted from.
    #[inline]
    pub(crate) fn counted_from(mut self, date: NaiveDate) -> Self {
        self.counted_from = Some(date);
        self
    }

    /// A violation excused by a justification recorded on `events` (those
    /// of the party in breach) becomes 例外: under 除 经 X 批准 外 only an
    /// approval from X; under 原则上/一般 any 特殊情况 or approval.
    #[inline]
    pub(crate) fn excuse_if_justified(self, ctx: &Ctx<'_>, events: &[&EventIr]) -> Self {
        // Nothing to weigh (most rules): the draft as it is.
        if self.verdict != Verdict::Violated
            || (self.rule.approvers.is_empty() && self.rule.defeasible.is_none())
        {
            return self;
        }
        self.weigh_justification(ctx, events)
    }

    fn weigh_justification(mut self, ctx: &Ctx<'_>, events: &[&EventIr]) -> Self {
        let approvers = &self.rule.approvers;
        if approvers.is_empty() {
            let special_only = self.rule.special_only;
            let j = events
                .iter()
                .find_map(|e| e.justification.as_ref())
                .filter(|j| !special_only || j.special)
                .map(|j| j.text.as_str());
            return self.excuse_with(j);
        }
        let mut recorded = events
            .iter()
            .filter_map(|e| e.justification.as_ref().map(|j| (*e, j)));
        // The approver may be named by role (经 分管领导 批准): read it with
        // the event's facts (its 领域, its meeting).
        match recorded.clone().find(|(e, j)| {
            j.approver
                .as_ref()
                .is_some_and(|a| ctx.party_fills(a, approvers, e, e) == Some(true))
        }) {
            Some((_, j)) => {
                self.verdict = Verdict::Excepted;
                self.excuse = Some(Box::new(Excuse::Approved {
                    record: j.text.as_str().into(),
                }));
            }
            None => {
                if let Some((_, j)) = recorded.next() {
                    self.excuse = Some(Box::new(Excuse::NotApproved {
                        record: j.text.as_str().into(),
                        approvers: pattern::actors_text(ctx.rs, approvers).into_boxed_str(),
                    }));
                }
            }
        }
        self
    }

    /// [`Draft::excuse_if_justified`] given the justification itself (a
    /// rule that names its approvers is not excused by text alone).
    #[inline]
    pub(crate) fn excuse_with(mut self, justification: Option<&str>) -> Self {
        if self.verdict != Verdict::Violated || !self.rule.approvers.is_empty() {
            return self;
        }
        let Some(word) = &self.rule.defeasible else {
            return self;
        };
        if let Some(j) = justification {
            self.verdict = Verdict::Excepted;
            self.excuse = Some(Box::new(Excuse::Defeasible {
                word: word.as_str().into(),
                record: j.into(),
            }));
        }
        self
    }

    #[inline(always)]
    pub(crate) fn finish(self, rs: &Ruleset) -> Finding {
        let article = rs.article_of(self.rule);
        Finding {
            article: article.map_or(0, |a| a.number),
            rule: self.rule.id,
            texts: self.rule.texts.clone(),
            pattern: self.rule.kind.pattern_name(),
            verdict: self.verdict,
            events: self.events,
            dates: self.dates,
            reason: self.reason,
            path: self.path,
            party: self.party,
            counted_from: self.counted_from,
            excuse: self.excuse,
            kind_unsure: None,
        }
    }
}

/// The events matching a trigger pattern to which the rule applies; those
/// excepted by 除 … 外 get a 不适用 finding in `out` instead.
pub(crate) fn triggers<'c>(
    ctx: &'c Ctx<'_>,
    rule: &CompiledRule,
    pattern: &crate::compile::ir::Pattern,
    out: &mut Vec<Finding>,
) -> Vec<&'c EventIr> {
    if !ctx.may_match(pattern) {
        return Vec::new();
    }
    // Filtered in place: the list is already ours.
    let mut applicable = ctx.triggering(&pattern.verbs);
    applicable.retain(|e| ctx.matches(pattern, e, true) && !not_applicable(ctx, rule, e, out));
    applicable
}

/// Is the rule out of `e`'s reach: dated outside the ruleset's force
/// (施行 … 废止), or excepted by 除 … 外? If so, its 不适用 finding goes to
/// `out` (unless only counted).
pub(crate) fn not_applicable(
    ctx: &Ctx<'_>,
    rule: &CompiledRule,
    e: &EventIr,
    out: &mut Vec<Finding>,
) -> bool {
    let why = out_of_force(ctx.rs, e.date);
    let tag = if why.is_some() {
        None
    } else {
        hard_exception(rule, e)
    };
    let only_exempt = why.is_none() && tag.is_none() && addressed_only_to_exempt(ctx, rule, e);
    if why.is_none() && tag.is_none() && !only_exempt {
        return false;
    }
    // Count-only: counted, not built.
    if ctx.counted(rule, Verdict::NotApplicable) {
        return true;
    }
    let reason = match (why, tag) {
        (Some(why), _) => Reason::OutOfForce(why),
        (None, Some(tag)) => Reason::Excluded {
            tag: Arc::from(tag),
        },
        (None, None) => Reason::ExemptAddressees {
            to: Arc::from(
                rule.exempt_to
                    .iter()
                    .map(|t| ctx.target_name(t))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
        },
    };
    out.push(
        Draft::because(rule, Verdict::NotApplicable, reason)
            .event(e)
            .finish(ctx.rs),
    );
    true
}

/// Why a ruleset does not apply on `d`, if it does not.
pub(crate) fn out_of_force(rs: &Ruleset, d: NaiveDate) -> Option<OutOfForce> {
    match (rs.effective, rs.repealed) {
        (Some(from), _) if d < from => Some(OutOfForce::NotYet {
            date: d,
            effective: from,
        }),
        (_, Some(until)) if d >= until => Some(OutOfForce::Repealed {
            date: d,
            repealed: until,
        }),
        _ => None,
    }
}

/// 除 向 X 外: is `party` one of the addressees the rule does not concern?
pub(crate) fn exempt_addressee(
    ctx: &Ctx<'_>,
    rule: &CompiledRule,
    party: &crate::compile::ir::Party,
    e: &EventIr,
) -> bool {
    rule.exempt_to
        .iter()
        .any(|x| ctx.party_is_target(party, x, None, e, e.date))
}

/// 除 向 X 外: the event is addressed, and only to such addressees.
fn addressed_only_to_exempt(ctx: &Ctx<'_>, rule: &CompiledRule, e: &EventIr) -> bool {
    !rule.exempt_to.is_empty()
        && !e.targets.is_empty()
        && e.targets.iter().all(|t| exempt_addressee(ctx, rule, t, e))
}

/// 除 … 外: the rule does not apply to an event recording one of its 情形.
pub(crate) fn hard_exception<'a>(rule: &CompiledRule, e: &'a EventIr) -> Option<&'a str> {
    e.tags
        .iter()
        .find(|t| rule.exceptions.iter().any(|x| **x == ***t))
        .map(|t| &**t)
}
