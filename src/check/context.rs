//! What every pattern checker needs: the scenario's events indexed, who
//! holds what, delegations, pattern matching and calendar arithmetic.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::compile::ir::*;
use crate::compile::scenario_out_of_range;
use crate::diag::Diag;

use super::PartyRef;
use super::index::{EventIndex, Positions};
use crate::syntax::ast::{Action, Role, TimeUnit, Verb};

/// The index a context reads: its own (`check`), or the audit's, kept up
/// to date across chunks.
enum IndexRef<'a> {
    Owned(Box<EventIndex>),
    Borrowed(&'a EventIndex),
}

impl std::ops::Deref for IndexRef<'_> {
    type Target = EventIndex;
    fn deref(&self) -> &EventIndex {
        match self {
            IndexRef::Owned(b) => b,
            IndexRef::Borrowed(r) => r,
        }
    }
}

/// A scope's kinds decided once per kind ([`Ctx::scope_test`]): a
/// mask per kind list (None: the scope names none), and whether the scope
/// asks more than kinds.
#[derive(Debug, Clone)]
pub struct ScopeTest {
    meeting: Option<Vec<bool>>,
    document: Option<Vec<bool>>,
    basis: Option<Vec<bool>>,
    beyond_kinds: bool,
}

impl ScopeTest {
    /// [`Ctx::in_scope`] of the scope the test was made for.
    pub fn admits(&self, ctx: &Ctx<'_>, s: &Scope, e: &EventIr) -> bool {
        // A kind outside the masks (none is): asked of the ruleset.
        fn ok(mask: &Option<Vec<bool>>, kind: Option<usize>, slow: impl Fn(usize) -> bool) -> bool {
            match mask {
                None => true,
                Some(m) => kind.is_some_and(|k| m.get(k).copied().unwrap_or_else(|| slow(k))),
            }
        }
        ok(&self.meeting, e.meeting_kind, |k| ctx.meeting_in(s, k))
            && ok(&self.document, e.document_kind, |k| ctx.document_in(s, k))
            && (self.basis.is_none()
                || ok(
                    &self.basis,
                    ctx.meeting_of(e).and_then(|m| m.meeting_kind),
                    |k| ctx.basis_kind_ok(s, k),
                ))
            && (!self.beyond_kinds || ctx.in_scope_beyond_kinds(s, e))
    }
}

pub struct Ctx<'a> {
    pub rs: &'a Ruleset,
    pub sc: &'a Scenario,
    pub cal: &'a Calendar,
    index: IndexRef<'a>,
    /// Only events dated in this range trigger findings (the audit checks a
    /// window of a log, each day's triggers once); None: every event.
    pub trigger_window: Option<(NaiveDate, NaiveDate)>,
    /// See [`crate::check::CheckOptions`].
    pub prompt_days: Option<u32>,
    /// Dates that ran off the calendar, with the event's index (checkers
    /// share the context).
    pub errors: std::cell::RefCell<Vec<(usize, Diag)>>,
    /// For a scenario's own index: the meeting each event is based on, as
    /// found the first time (see [`MeetingMemo`]); empty for the audit's.
    meeting_memo: Vec<std::cell::Cell<MeetingMemo>>,
    /// Count-only (the audit without `--all`): 符合 and 不适用 findings
    /// are counted here by rule id (complied, not applicable), not built.
    pub tally: Option<std::cell::RefCell<FxMap<usize, [usize; 2]>>>,
    /// For a scenario's own index: what its events have at all, so that a
    /// rule none of them can match is passed over without reading them.
    present: std::cell::OnceCell<Present<'a>>,
    /// Units' names as findings share them: one allocation per unit, not
    /// per finding ([`Ctx::party_ref`]).
    unit_names:
        std::cell::RefCell<std::collections::HashSet<Arc<str>, BuildHasherDefault<FxHasher>>>,
}

/// The verbs, 情形 and kinds that occur in a scenario's events (its
/// absences are copies of its meetings, so they add only 缺席).
#[derive(Debug, Default)]
struct Present<'a> {
    verbs: Vec<Verb>,
    tags: Vec<&'a str>,
    meeting_kinds: Vec<usize>,
    document_kinds: Vec<usize>,
}

impl<'a> Present<'a> {
    fn of(events: &'a [EventIr]) -> Present<'a> {
        let mut p = Present::default();
        fn add<T: PartialEq>(v: &mut Vec<T>, x: T) {
            if !v.contains(&x) {
                v.push(x);
            }
        }
        for e in events {
            add(&mut p.verbs, e.verb);
            if e.verb == Verb::Convene && !e.absent.is_empty() {
                add(&mut p.verbs, Verb::Absent);
            }
            for t in &e.tags {
                add(&mut p.tags, &**t);
            }
            if let Some(k) = e.meeting_kind {
                add(&mut p.meeting_kinds, k);
            }
            if let Some(k) = e.document_kind {
                add(&mut p.document_kinds, k);
            }
        }
        p
    }
}

/// What [`Ctx::meeting_of`] found for an event of a scenario: not asked
/// yet, none, or the meeting's position in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MeetingMemo {
    Unknown,
    None,
    At(usize),
}

impl<'a> Ctx<'a> {
    pub fn new(rs: &'a Ruleset, sc: &'a Scenario) -> Result<Ctx<'a>, Vec<Diag>> {
        let index = EventIndex::of_events(&sc.events);
        let mut ctx = Ctx::with(rs, sc, IndexRef::Owned(Box::new(index)));
        ctx.meeting_memo = vec![std::cell::Cell::new(MeetingMemo::Unknown); sc.events.len()];
        Ok(ctx)
    }

    /// A context over events already indexed (the audit's buffer).
    pub fn with_index(rs: &'a Ruleset, sc: &'a Scenario, index: &'a EventIndex) -> Ctx<'a> {
        Ctx::with(rs, sc, IndexRef::Borrowed(index))
    }

    fn with(rs: &'a Ruleset, sc: &'a Scenario, index: IndexRef<'a>) -> Ctx<'a> {
        Ctx {
            rs,
            sc,
            cal: &rs.calendar,
            index,
            trigger_window: None,
            prompt_days: None,
            errors: Default::default(),
            meeting_memo: Vec::new(),
            tally: None,
            present: std::cell::OnceCell::new(),
            unit_names: Default::default(),
        }
    }

    /// [`Scenario::party_ref`], a unit's name shared by all the findings
    /// of one check that name it.
    #[inline]
    pub fn party_ref(&self, p: &Party) -> PartyRef {
        let Party::Unit(u) = p else {
            return self.sc.party_ref(p);
        };
        let mut names = self.unit_names.borrow_mut();
        if let Some(n) = names.get(u.as_str()) {
            return PartyRef::Unit(n.clone());
        }
        let n: Arc<str> = Arc::from(u.as_str());
        names.insert(n.clone());
        PartyRef::Unit(n)
    }

    /// Can some event of the scenario match pattern `p` at all: one of its
    /// verbs, with one of its 情形 and of its kinds? False only when none
    /// can (then [`Ctx::matches`] is false for every event); always true
    /// over the audit's buffer, whose events come and go.
    pub fn may_match(&self, p: &Pattern) -> bool {
        if !matches!(self.index, IndexRef::Owned(_)) {
            return true;
        }
        let have = self.present.get_or_init(|| Present::of(&self.sc.events));
        // The cheapest tests first; 视同 only when no verb is the same.
        self.may_be_in(have, &p.scope)
            && (have
                .verbs
                .iter()
                .any(|v| p.verbs.iter().any(|w| w.matches(*v)))
                || (self.widened(&p.verbs)
                    && have
                        .verbs
                        .iter()
                        .any(|v| p.verbs.iter().any(|w| self.rs.may_act_as(*w, *v)))))
    }

    /// Can some event of the scenario be in scope `s` at all: with one of
    /// its 情形 and of its kinds? False only when none can (then
    /// [`Ctx::in_scope`] is false for every event); always true over the
    /// audit's buffer.
    pub fn may_match_scope(&self, s: &Scope) -> bool {
        if !matches!(self.index, IndexRef::Owned(_)) {
            return true;
        }
        let have = self.present.get_or_init(|| Present::of(&self.sc.events));
        self.may_be_in(have, s)
    }

    /// Can some event of the scenario be of the scope's meeting and
    /// document kinds ([`Ctx::of_kinds`])? Always true over the audit's
    /// buffer.
    pub(crate) fn may_be_of_kinds(&self, s: &Scope) -> bool {
        if !matches!(self.index, IndexRef::Owned(_)) {
            return true;
        }
        let have = self.present.get_or_init(|| Present::of(&self.sc.events));
        self.may_have_kinds(have, s)
    }

    fn may_be_in(&self, have: &Present<'_>, s: &Scope) -> bool {
        (s.tags.is_empty() || s.tags.iter().any(|t| have.tags.contains(&t.as_str())))
            && self.may_have_kinds(have, s)
    }

    fn may_have_kinds(&self, have: &Present<'_>, s: &Scope) -> bool {
        (s.meeting_kinds.is_empty() || have.meeting_kinds.iter().any(|k| self.meeting_in(s, *k)))
            && (s.document_kinds.is_empty()
                || have.document_kinds.iter().any(|k| self.document_in(s, *k)))
    }

    /// Count-only: a 符合 or 不适用 finding of `rule` is counted, not
    /// built (true); any other verdict, or a full check, is built (false).
    #[inline(always)]
    pub(crate) fn counted(&self, rule: &CompiledRule, verdict: super::Verdict) -> bool {
        let Some(tally) = &self.tally else {
            return false;
        };
        let slot = match verdict {
            super::Verdict::Complied => 0,
            super::Verdict::NotApplicable => 1,
            _ => return false,
        };
        if let Some(n) = tally.borrow_mut().entry(rule.id).or_default().get_mut(slot) {
            *n += 1;
        }
        true
    }

    /// The event at a position of the verb index.
    fn at(&self, i: usize) -> Option<&EventIr> {
        self.index.at(&self.sc.events, i)
    }

    /// Events about a document or meeting whose verb matches, in date order.
    pub fn about(&self, object: &str, verbs: &[Verb]) -> Vec<&EventIr> {
        self.listed(self.index.about(&self.sc.events, object), verbs)
    }

    /// [`Ctx::about`] into `out` (cleared first), so that one list serves
    /// many lookups.
    pub fn about_into<'s>(&'s self, object: &str, verbs: &[Verb], out: &mut Vec<&'s EventIr>) {
        out.clear();
        out.extend(
            self.index
                .about(&self.sc.events, object)
                .into_iter()
                .flat_map(Positions::iter)
                .filter_map(|i| self.at(i))
                .filter(|e| verbs.iter().any(|v| self.verb_is(*v, e))),
        );
    }

    /// Does unit `held` count as `wanted`: itself, or through 属于 in the
    /// ruleset or in the scenario (a scenario's unit placed in a class)?
    pub fn unit_is(&self, held: &str, wanted: &str) -> bool {
        self.rs.unit_is(held, wanted)
            || self
                .sc
                .unit_classes
                .get(held)
                .is_some_and(|cs| cs.iter().any(|c| self.rs.unit_is(c, wanted)))
    }

    /// Everyone at a meeting: its 出席 and 列席 lists.
    pub fn at_meeting<'e>(&self, e: &'e EventIr) -> impl Iterator<Item = PersonId> + 'e {
        e.present.iter().chain(&e.attendees).copied()
    }

    /// Is a holder of `position` at the meeting `e` (出席 or 列席)?
    pub fn attends(&self, e: &EventIr, position: usize) -> bool {
        self.at_meeting(e)
            .any(|id| self.holds(id, position, e.date).is_some())
    }

    /// 分管领导缺席: someone in the 缺席 list of the meeting `e` belongs to
    /// who leads `e`'s 领域.
    pub fn absent_area_leader(&self, e: &EventIr) -> Option<PersonId> {
        let area = e.area.as_deref()?;
        let m = self.meeting_of(e)?;
        m.absent
            .iter()
            .copied()
            .find(|p| self.leads_area(*p, area, m.date))
    }

    /// Every event about a document or meeting, whatever its verb, in date
    /// order.
    pub fn about_any(&self, object: &str) -> Vec<&EventIr> {
        self.index
            .about(&self.sc.events, object)
            .into_iter()
            .flat_map(Positions::iter)
            .filter_map(|i| self.at(i))
            .collect()
    }

    /// Every event about a document or meeting dated in [from, to],
    /// whatever its verb, in date order: found by bisection and read as
    /// wanted (no vector gathered).
    pub(crate) fn about_dated(
        &self,
        object: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &EventIr> {
        self.index
            .about(&self.sc.events, object)
            .into_iter()
            .flat_map(move |p| p.dated(from, to))
            .filter_map(|i| self.at(i))
    }

    /// Events done by a party whose verb matches, dated in [from, to], in
    /// date order: found by bisection, not by reading every event of a busy
    /// person.
    pub fn done_by_between(
        &self,
        party: &Party,
        verbs: &[Verb],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<&EventIr> {
        self.dated_iter(self.done_by_positions(party, verbs), verbs, from, to)
            .collect()
    }

    /// The list [`Ctx::done_by_between`] reads: the party's acts (or, in
    /// the audit, the person's acts of the one verb that can match).
    pub(crate) fn done_by_positions(&self, party: &Party, verbs: &[Verb]) -> Option<Positions<'_>> {
        match party {
            // A scenario's index keeps no per-verb lists: the person's acts.
            Party::Person(p) if !self.index.keeps_person_verbs() => {
                self.index.by_person(&self.sc.events, *p)
            }
            Party::Person(p) => {
                // The audit keeps a person's events per verb: when only one
                // verb can match, its list holds all the events wanted (in
                // the same order), not all the person's acts.
                let mut may = self
                    .index
                    .verbs()
                    .filter(|w| verbs.iter().any(|v| self.rs.may_act_as(*v, *w)));
                match (may.next(), may.next()) {
                    (Some(w), None) => match self.index.by_person_verb(*p, w) {
                        Some(list) => list,
                        None => self.index.by_person(&self.sc.events, *p),
                    },
                    _ => self.index.by_person(&self.sc.events, *p),
                }
            }
            Party::Unit(u) => self.index.by_unit(&self.sc.events, u),
        }
    }

    /// Does the index keep each person's acts per verb (the audit's)?
    pub(crate) fn keeps_person_verbs(&self) -> bool {
        self.index.keeps_person_verbs()
    }

    /// The events about a document or meeting, as [`Ctx::about`] reads
    /// them.
    pub(crate) fn about_positions(&self, object: &str) -> Option<Positions<'_>> {
        self.index.about(&self.sc.events, object)
    }

    /// [`Ctx::about`], only events dated in [from, to].
    pub fn about_between(
        &self,
        object: &str,
        verbs: &[Verb],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<&EventIr> {
        self.dated(self.index.about(&self.sc.events, object), verbs, from, to)
    }

    fn dated<'s>(
        &'s self,
        idx: Option<Positions<'s>>,
        verbs: &[Verb],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<&'s EventIr> {
        self.dated_iter(idx, verbs, from, to).collect()
    }

    /// The events of a list dated in [from, to] whose verb matches, in
    /// date order, read as they are wanted (no vector gathered).
    pub(crate) fn dated_iter<'s, 'v>(
        &'s self,
        idx: Option<Positions<'s>>,
        verbs: &'v [Verb],
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &'s EventIr> + use<'s, 'v, 'a> {
        idx.into_iter()
            .flat_map(move |p| p.dated(from, to))
            .filter_map(|i| self.at(i))
            .filter(|e| verbs.iter().any(|v| self.verb_is(*v, e)))
    }

    fn listed(&self, idx: Option<Positions<'_>>, verbs: &[Verb]) -> Vec<&EventIr> {
        idx.into_iter()
            .flat_map(Positions::iter)
            .filter_map(|i| self.at(i))
            .filter(|e| verbs.iter().any(|v| self.verb_is(*v, e)))
            .collect()
    }

    /// Events whose verb matches one of `verbs` (外出 matches every trip), in
    /// date order.
    pub fn with_verbs(&self, verbs: &[Verb]) -> Vec<&EventIr> {
        self.verbs_between(verbs, None)
    }

    /// Events that may trigger a finding: [`Ctx::with_verbs`] within the
    /// trigger window.
    pub fn triggering(&self, verbs: &[Verb]) -> Vec<&EventIr> {
        self.verbs_between(verbs, self.trigger_window)
    }

    fn verbs_between(
        &self,
        verbs: &[Verb],
        window: Option<(NaiveDate, NaiveDate)>,
    ) -> Vec<&EventIr> {
        let mut out: Vec<&EventIr> = Vec::new();
        let mut lists = 0;
        let mut same_act = false;
        // 视同 can widen the verbs only when one of them is declared the
        // same act as another (most rules' are not): asked once, not per
        // verb list.
        let widened = self.widened(verbs);
        for (v, positions) in self.index.of_verb(window) {
            if !verbs.iter().any(|p| p.matches(v)) {
                if !widened || !verbs.iter().any(|p| self.rs.may_act_as(*p, v)) {
                    continue;
                }
                same_act = true;
            }
            lists += 1;
            out.reserve(positions.size_hint().0);
            out.extend(positions.filter_map(|i| self.at(i)));
        }
        // Each list is sorted already; only a merge of several needs a sort.
        if lists > 1 {
            out.sort_by_key(|e| (e.date, e.index));
        }
        // 视同 for some document kinds only: the event's kind decides.
        if same_act {
            out.retain(|e| verbs.iter().any(|v| self.verb_is(*v, e)));
        }
        out
    }

    /// Is one of `verbs` declared the same act (视同) as another verb? If
    /// not, an event counts as one of them only by its own verb.
    fn widened(&self, verbs: &[Verb]) -> bool {
        self.rs
            .same_acts
            .iter()
            .any(|(vs, _)| verbs.iter().any(|p| vs.contains(p)))
    }

    /// Does event `e` count as an act of verb `v` (视同 included)?
    pub fn verb_is(&self, v: Verb, e: &EventIr) -> bool {
        self.rs.acts_as(v, e.verb, e.document_kind)
    }

    /// The meeting an event belongs to: itself for a meeting or absence,
    /// else the meeting named by its 依据.
    pub fn meeting_of<'e>(&'e self, e: &'e EventIr) -> Option<&'e EventIr> {
        match e.verb {
            Verb::Convene => Some(e),
            _ => {
                let name = if e.verb == Verb::Absent && e.convener.is_some() {
                    return Some(e);
                } else if e.verb == Verb::Absent {
                    e.object.as_ref()
                } else {
                    e.basis.as_ref()
                }?;
                // A scenario's event (not a synthetic absence, which shares
                // its meeting's index) is looked up once.
                let memo = (e.verb != Verb::Absent)
                    .then(|| self.meeting_memo.get(e.index))
                    .flatten();
                match memo.map(std::cell::Cell::get) {
                    Some(MeetingMemo::None) => return None,
                    Some(MeetingMemo::At(i)) => return self.at(i),
                    Some(MeetingMemo::Unknown) | None => {}
                }
                let found = self
                    .index
                    .meetings(name)?
                    .iter()
                    .find_map(|i| self.at(i).map(|m| (i, m)));
                if let Some(memo) = memo {
                    memo.set(found.map_or(MeetingMemo::None, |(i, _)| MeetingMemo::At(i)));
                }
                found.map(|(_, m)| m)
            }
        }
    }

    /// Who handles the matter of `e`: its own 承办, else the first one
    /// recorded on an earlier event about the same document.
    pub fn handler_of<'e>(&'e self, e: &'e EventIr) -> Option<&'e Party> {
        e.handler.as_ref().or_else(|| {
            let o = e.object.as_deref()?;
            self.index
                .about(&self.sc.events, o)?
                .iter()
                .filter_map(|i| self.at(i))
                .filter(|x| x.date <= e.date)
                .find_map(|x| x.handler.as_ref())
        })
    }

    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.sc.people.get(id)
    }

    /// The position through which `person` counts as `wanted` on `on`, if
    /// any (a person's positions may change on a day: 任, 离任).
    pub fn holds(&self, person: PersonId, wanted: usize, on: NaiveDate) -> Option<usize> {
        self.person(person)?
            .positions_on(on)
            .iter()
            .copied()
            .find(|h| self.rs.position_is(*h, wanted))
    }

    /// Can `person` be a 分管领导 on `on`: holds a position the ruleset
    /// declares (分管领导 X、Y), or any when it declares none?
    pub fn may_lead_areas(&self, person: PersonId, on: NaiveDate) -> bool {
        self.rs.area_leaders.is_empty()
            || self
                .rs
                .area_leaders
                .iter()
                .any(|p| self.holds(person, *p, on).is_some())
    }

    /// Is `person` the 分管领导 of `area` on `on` (of one of its parts, when
    /// an event's 领域 names several: any of their leaders is a 分管领导 of
    /// the matter)?
    pub fn leads_area(&self, person: PersonId, area: &str, on: NaiveDate) -> bool {
        self.may_lead_areas(person, on) && self.has_area(person, area, on)
    }

    /// Is `area` (one of its parts) among `person`'s 分管 on `on`, whatever
    /// the person's position?
    pub fn has_area(&self, person: PersonId, area: &str, on: NaiveDate) -> bool {
        self.person(person).is_some_and(|p| {
            let areas = p.areas_on(on);
            crate::syntax::ast::area_parts(area).any(|part| areas.iter().any(|a| a == part))
        })
    }

    /// Was `e` done by a 分管领导 of `area` (on its day)?
    pub fn done_by_area_leader(&self, e: &EventIr, area: &str) -> bool {
        matches!(&e.actor, Some(Party::Person(id)) if self.leads_area(*id, area, e.date))
    }

    /// Does `person` 分管 anything on `on`?
    pub fn has_areas(&self, person: PersonId, on: NaiveDate) -> bool {
        self.person(person)
            .is_some_and(|p| !p.areas_on(on).is_empty())
    }

    /// The trip `person` is on on `date` (one leaving the jurisdiction when
    /// `leaves`), if any.
    pub fn away_on(&self, person: PersonId, date: NaiveDate, leaves: bool) -> Option<&EventIr> {
        self.trips_of(person)
            .find(|t| t.start() <= date && date <= t.end() && (!leaves || t.leaves_county))
    }

    /// A person's trips, in date order.
    fn trips_of(&self, person: PersonId) -> impl Iterator<Item = &EventIr> {
        self.index
            .trips(&self.sc.events, person)
            .into_iter()
            .flat_map(Positions::iter)
            .filter_map(|i| self.at(i))
    }

    /// Is some holder of `position` away on `date`?
    pub fn position_away(&self, position: usize, date: NaiveDate, leaves: bool) -> bool {
        (0..self.sc.people.len()).any(|p| {
            self.holds(p, position, date).is_some() && self.away_on(p, date, leaves).is_some()
        })
    }

    /// Is a delegation in force on `date`? From its start (never before the
    /// day it was given) to its 至; one written without 自 … 至 lasts for
    /// its occasion: to the end of the delegator's first trip that ends on
    /// or after the day it was given, else that day only; one with neither
    /// date nor period, only while the delegator is on a recorded trip.
    pub fn delegation_valid(&self, d: &DelegationIr, date: NaiveDate) -> bool {
        if d.start.is_some_and(|s| date < s)
            || d.end.is_some_and(|x| date > x)
            || d.revoked.is_some_and(|r| date >= r)
        {
            return false;
        }
        match (d.open, d.given) {
            (true, Some(given)) => {
                date == given
                    || self
                        .trips_of(d.from)
                        .find(|t| t.end() >= given)
                        .is_some_and(|t| date <= t.end())
            }
            // Neither date nor period: only while the delegator is away.
            (true, None) => self
                .trips_of(d.from)
                .any(|t| t.start() <= date && date <= t.end()),
            (false, _) => true,
        }
    }

    /// Did `absentee` hand `meeting` to its chair (a delegation from them to
    /// the chair, valid that day, covering 主持 of its kind)? The chair.
    pub fn handed_over(&self, absentee: PersonId, meeting: &EventIr) -> Option<PersonId> {
        let chair = meeting.chair.filter(|c| *c != absentee)?;
        self.delegations_to(chair, None, Action::Chair, meeting)
            .any(|d| d.from == absentee && self.delegation_valid(d, meeting.date))
            .then_some(chair)
    }

    /// A delegation to `person`, valid on `date`, covering `action` on an
    /// event of the given kinds, from someone holding `principal` (any
    /// delegator when None).
    pub fn delegation_for<'s>(
        &'s self,
        person: PersonId,
        principal: Option<usize>,
        action: Action,
        e: &'s EventIr,
    ) -> Option<&'s DelegationIr> {
        self.delegations_to(person, principal, action, e)
            .find(|d| self.delegation_valid(d, e.date))
    }

    /// Delegations to `person` from a holder of `principal` whose scope
    /// covers `action` on `e`, whatever their dates.
    pub fn delegations_to<'s>(
        &'s self,
        person: PersonId,
        principal: Option<usize>,
        action: Action,
        e: &'s EventIr,
    ) -> impl Iterator<Item = &'s DelegationIr> + 's {
        self.sc.delegations.iter().filter(move |d| {
            d.to == person
                && principal.is_none_or(|p| self.holds(d.from, p, e.date).is_some())
                && (d.actions.is_empty() || d.actions.iter().any(|a| action_covers(*a, action)))
                && (d.meeting_kinds.is_empty()
                    || e.meeting_kind
                        .is_some_and(|k| d.meeting_kinds.iter().any(|w| self.rs.meeting_is(k, *w))))
                && (d.document_kinds.is_empty()
                    || e.document_kind.is_some_and(|k| {
                        d.document_kinds.iter().any(|w| self.rs.document_is(k, *w))
                    }))
        })
    }

    /// Does `party`, doing `e`, count as one of the actor specs (positions
    /// held that day, units, `X委托的Y` acting under a valid delegation)?
    /// Roles are decided by the pattern checkers.
    pub fn party_is(&self, party: &Party, actors: &[Actor], e: &EventIr) -> bool {
        actors.is_empty()
            || actors.iter().any(|a| match (a, party) {
                (Actor::Position(p), Party::Person(id)) => self.holds(*id, *p, e.date).is_some(),
                (
                    Actor::Delegated {
                        principal,
                        delegate,
                        away,
                    },
                    Party::Person(id),
                ) => self
                    .delegation_acted_under(
                        *id,
                        *principal,
                        *delegate,
                        away.as_ref().map(|a| a.leaves),
                        Action::Do(e.verb),
                        e,
                    )
                    .is_some(),

                (Actor::Unit(u), Party::Unit(v)) => self.unit_is(v, u),
                (Actor::Role(Role::Individual), Party::Person(_)) => true,
                _ => false,
            })
    }

    /// `X委托的Y` doing `action` on `e`: the delegation under which
    /// `person`, holding Y that day, acts for a holder of X — valid that
    /// day, covering the act (with `away`: the delegator on a trip that day;
    /// `leaves`: one leaving the jurisdiction). 权限 and a 先行 or 响应
    /// asking for the 州长's act read it alike (blind r19 克州 R19-25/28/61,
    /// 伊犁州 R19-33: the same approval was authorised by 权限 and refused by
    /// the 响应).
    pub fn delegation_acted_under<'s>(
        &'s self,
        person: PersonId,
        principal: usize,
        delegate: usize,
        away: Option<bool>,
        action: Action,
        e: &'s EventIr,
    ) -> Option<&'s DelegationIr> {
        self.holds(person, delegate, e.date)?;
        self.delegations_to(person, Some(principal), action, e)
            .find(|d| {
                self.delegation_valid(d, e.date)
                    && away.is_none_or(|leaves| self.away_on(d.from, e.date, leaves).is_some())
            })
    }

    /// Does `party` count as one of `actors` for event `e`, roles included
    /// (分管领导: 分管s e's 领域, or `context`'s; 会议主持人: chairs its meeting)?
    /// None when a 领域 needed to decide is not written.
    pub fn party_fills(
        &self,
        party: &Party,
        actors: &[Actor],
        e: &EventIr,
        context: &EventIr,
    ) -> Option<bool> {
        let area = e.area.as_ref().or(context.area.as_ref());
        // Who holds what on the day of the act.
        let on = e.date;
        let area_unknown = area.is_none()
            && actors.contains(&Actor::Role(Role::AreaLeader))
            && matches!(party, Party::Person(id) if self.may_lead_areas(*id, on) && self.has_areas(*id, on));
        let yes = self.party_is(party, actors, e)
            || actors.iter().any(|a| match (a, party) {
                (Actor::Role(Role::AreaLeader), Party::Person(id)) => {
                    area.is_some_and(|area| self.leads_area(*id, area, on))
                }
                (Actor::Role(Role::MeetingChair), Party::Person(id)) => {
                    self.meeting_of(context).and_then(|m| m.chair) == Some(*id)
                }
                (Actor::Role(Role::MeetingConvener), Party::Person(id)) => {
                    self.meeting_of(context).and_then(|m| m.convener) == Some(*id)
                }
                (Actor::Role(Role::Handler), p) => self.handler_of(context) == Some(p),
                (Actor::Role(Role::Attendees), Party::Person(id)) => self
                    .meeting_of(context)
                    .is_some_and(|m| m.present.contains(id)),
                _ => false,
            });
        if yes {
            Some(true)
        } else if area_unknown {
            None
        } else {
            Some(false)
        }
    }

    /// Does `party` answer to the target `t` of a rule on `on` (the day it
    /// was addressed)? Roles are read from `meeting` (会议主持人, 会议召集人)
    /// and from the event `about` (分管领导: a leader of its 领域).
    pub fn party_is_target(
        &self,
        party: &Party,
        t: &TargetSpec,
        meeting: Option<&EventIr>,
        about: &EventIr,
        on: NaiveDate,
    ) -> bool {
        match (t, party) {
            (TargetSpec::Role(Role::AreaLeader), Party::Person(id)) => about
                .area
                .as_deref()
                .is_some_and(|a| self.leads_area(*id, a, on)),
            (TargetSpec::Position(p) | TargetSpec::Attending(p), Party::Person(id)) => {
                self.holds(*id, *p, on).is_some()
            }
            (TargetSpec::Unit(u), Party::Unit(v)) => self.unit_is(v, u),
            (TargetSpec::Role(Role::Individual), Party::Person(_)) => true,
            (TargetSpec::Role(Role::MeetingChair), Party::Person(id)) => {
                meeting.and_then(|m| m.chair) == Some(*id)
            }
            (TargetSpec::Role(Role::MeetingConvener), Party::Person(id)) => {
                meeting.and_then(|m| m.convener) == Some(*id)
            }
            _ => false,
        }
    }

    pub fn target_name(&self, t: &TargetSpec) -> String {
        match t {
            TargetSpec::Position(p) => self.rs.position_name(*p).to_string(),
            TargetSpec::Attending(p) => format!("参会的{}", self.rs.position_name(*p)),
            TargetSpec::Unit(u) => u.clone(),
            TargetSpec::Role(r) => role_word(*r).to_string(),
        }
    }

    /// Does the event fall under a pattern's verbs, actors and scope?
    /// `with_targets`: also require the pattern's targets.
    pub fn matches(&self, p: &Pattern, e: &EventIr, with_targets: bool) -> bool {
        // The 情形 first: the cheapest test that turns most events away
        // (most have none); asked again in `in_scope`, all plain tests.
        (p.scope.tags.is_empty()
            || e.tags
                .iter()
                .any(|t| p.scope.tags.iter().any(|x| **x == **t)))
            && p.verbs.iter().any(|v| self.verb_is(*v, e))
            && e.actor
                .as_ref()
                .map_or(p.actors.is_empty(), |a| self.party_is(a, &p.actors, e))
            && self.in_scope(&p.scope, e)
            && (!with_targets
                || p.scope.targets.is_empty()
                || e.targets.iter().any(|t| {
                    p.scope
                        .targets
                        .iter()
                        .any(|s| self.party_is_target(t, s, self.meeting_of(e), e, e.date))
                }))
    }

    /// The scope's targets (向 X), when it names any: one of the event's
    /// targets must answer to one of them.
    pub fn targets_ok(&self, s: &Scope, e: &EventIr) -> bool {
        s.targets.is_empty()
            || e.targets.iter().any(|t| {
                s.targets
                    .iter()
                    .any(|x| self.party_is_target(t, x, self.meeting_of(e), e, e.date))
            })
    }

    /// Kinds, basis, 情形 and 离县 of a scope (not its targets).
    pub fn in_scope(&self, s: &Scope, e: &EventIr) -> bool {
        self.of_kinds(s, e)
            && (s.basis_meeting_kinds.is_empty()
                || self
                    .meeting_of(e)
                    .and_then(|m| m.meeting_kind)
                    .is_some_and(|k| self.basis_kind_ok(s, k)))
            && self.in_scope_beyond_kinds(s, e)
    }

    /// Is `e` of the scope's meeting and document kinds (the rest of the
    /// scope not asked)?
    pub(crate) fn of_kinds(&self, s: &Scope, e: &EventIr) -> bool {
        (s.meeting_kinds.is_empty() || e.meeting_kind.is_some_and(|k| self.meeting_in(s, k)))
            && (s.document_kinds.is_empty()
                || e.document_kind.is_some_and(|k| self.document_in(s, k)))
    }

    /// Is a meeting of kind `k` of one of the scope's kinds?
    fn meeting_in(&self, s: &Scope, k: usize) -> bool {
        kind_in(s, &s.meeting_kinds, k, |k, w| self.rs.meeting_is(k, w))
    }

    /// Is a document of kind `k` of one of the scope's kinds?
    fn document_in(&self, s: &Scope, k: usize) -> bool {
        kind_in(s, &s.document_kinds, k, |k, w| self.rs.document_is(k, w))
    }

    fn basis_kind_ok(&self, s: &Scope, k: usize) -> bool {
        s.basis_meeting_kinds
            .iter()
            .any(|w| self.rs.meeting_is(k, *w))
    }

    /// [`Ctx::in_scope`] but the kinds and basis.
    fn in_scope_beyond_kinds(&self, s: &Scope, e: &EventIr) -> bool {
        (s.tags.is_empty() || e.tags.iter().any(|t| s.tags.iter().any(|x| **x == **t)))
            && (!s.leaves_county || e.leaves_county)
            && (!s.several_areas
                || e.area
                    .as_deref()
                    .is_some_and(crate::syntax::ast::several_areas))
            && (s.present.is_empty() || s.present.iter().any(|p| self.attends(e, *p)))
            && (s.missing.is_empty() || s.missing.iter().any(|p| !self.attends(e, *p)))
            && s.schedule.as_ref().is_none_or(|d| d.matches(e.date))
            && (!s.leader_absent || self.absent_area_leader(e).is_some())
            && s.away
                .is_none_or(|(p, leaves)| self.position_away(p, e.date, leaves))
    }

    /// [`Ctx::in_scope`] for many events of one scope: which kinds it
    /// admits, decided once per kind.
    pub fn scope_test(&self, s: &Scope) -> ScopeTest {
        let mask = |wanted: &[usize], n: usize, admits: &dyn Fn(usize) -> bool| {
            (!wanted.is_empty()).then(|| (0..n).map(admits).collect::<Vec<bool>>())
        };
        let meetings = self.rs.meetings.len();
        let documents = self.rs.documents.len();
        ScopeTest {
            meeting: mask(&s.meeting_kinds, meetings, &|k| self.meeting_in(s, k)),
            document: mask(&s.document_kinds, documents, &|k| self.document_in(s, k)),
            basis: mask(&s.basis_meeting_kinds, meetings, &|k| {
                self.basis_kind_ok(s, k)
            }),
            beyond_kinds: !(s.tags.is_empty()
                && !s.leaves_county
                && s.present.is_empty()
                && s.missing.is_empty()
                && s.schedule.is_none()
                && !s.leader_absent
                && s.away.is_none()),
        }
    }

    /// `date` + deadline; a date outside the calendar becomes an error
    /// pointing at the event.
    /// Calendar days need no holiday data, so only working days can run
    /// off the calendar.
    pub fn add(&self, e: &EventIr, date: NaiveDate, d: Deadline) -> Option<NaiveDate> {
        let r = self.try_add(date, d);
        self.calendar_result(e, r)
    }

    /// [`Ctx::add`] without recording an error: the caller decides whether
    /// the verdict depends on it.
    pub fn try_add(
        &self,
        date: NaiveDate,
        d: Deadline,
    ) -> Result<NaiveDate, crate::calendar::CalendarError> {
        match d.unit {
            TimeUnit::WorkingDay => self.cal.add_working_days(date, d.amount),
            TimeUnit::Day => date
                .checked_add_days(chrono::Days::new(u64::from(d.amount)))
                .ok_or(crate::calendar::CalendarError::Overflow),
        }
    }

    /// Record that a date ran off the calendar at `e` (the finding cannot be
    /// judged).
    pub fn off_calendar(&self, e: &EventIr, err: crate::calendar::CalendarError) {
        let _ = self.calendar_result(e, Err(err));
    }

    /// Is `answer` within `d` of `from`, counted only as far as the answer
    /// (so holidays after it do not matter)? None when even that is off the
    /// calendar.
    pub fn within(&self, from: NaiveDate, answer: NaiveDate, d: Deadline) -> Option<bool> {
        match d.unit {
            TimeUnit::WorkingDay => self
                .cal
                .working_days_between(from, answer)
                .ok()
                .map(|n| n <= d.amount),
            TimeUnit::Day => Some((answer - from).num_days() <= i64::from(d.amount)),
        }
    }

    pub fn sub(&self, e: &EventIr, date: NaiveDate, d: Deadline) -> Option<NaiveDate> {
        let r = match d.unit {
            TimeUnit::WorkingDay => self.cal.sub_working_days(date, d.amount),
            TimeUnit::Day => date
                .checked_sub_days(chrono::Days::new(u64::from(d.amount)))
                .ok_or(crate::calendar::CalendarError::Overflow),
        };
        self.calendar_result(e, r)
    }

    /// `date` less `d`, as [`Ctx::sub`]; but when `date` lies in a year
    /// the calendar lacks (新疆 2026) and the year before is known, the
    /// earliest the limit can be — `d` counted back from that year's first
    /// day through known days (its unknown days can only add working days):
    /// `(limit, false)`. A precedent on or before it is early enough
    /// whatever that year's holidays (blind r21 巩留 R21-36).
    pub fn sub_or_earliest(
        &self,
        e: &EventIr,
        date: NaiveDate,
        d: Deadline,
    ) -> Option<(NaiveDate, bool)> {
        if d.unit != TimeUnit::WorkingDay {
            return self.sub(e, date, d).map(|x| (x, true));
        }
        match self.cal.sub_working_days(date, d.amount) {
            Ok(x) => Some((x, true)),
            Err(err @ crate::calendar::CalendarError::OutOfRange { .. }) => {
                // The last known day, and the n-th working day back from the
                // year's first day counting it (sub_working_days starts
                // before its date, which would be the unknown year's).
                let last = NaiveDate::from_ymd_opt(chrono::Datelike::year(&date), 1, 1)
                    .and_then(|f| f.pred_opt());
                let bound = last.and_then(|l| match self.cal.is_working_day(l).ok()? {
                    true if d.amount <= 1 => Some(l),
                    true => self.cal.sub_working_days(l, d.amount - 1).ok(),
                    false => self.cal.sub_working_days(l, d.amount).ok(),
                });
                match bound {
                    Some(b) => Some((b, false)),
                    None => self.calendar_result(e, Err(err)).map(|x| (x, true)),
                }
            }
            Err(err) => self.calendar_result(e, Err(err)).map(|x| (x, true)),
        }
    }

    /// Working days (or days) from `a` to `b`, for "逾期 N 天". A late
    /// answer on a day off counts in calendar days.
    /// How late `b` is after the deadline `a`: in working days when the
    /// rule counts them (and some lie between), else in days.
    pub fn lateness(&self, unit: TimeUnit, a: NaiveDate, b: NaiveDate) -> Lateness {
        match unit {
            TimeUnit::WorkingDay => match self.cal.working_days_between(a, b) {
                Ok(0) | Err(_) => Lateness::Days((b - a).num_days()),
                Ok(n) => Lateness::WorkingDays(n),
            },
            TimeUnit::Day => Lateness::Days((b - a).num_days()),
        }
    }

    fn calendar_result(
        &self,
        e: &EventIr,
        r: Result<NaiveDate, crate::calendar::CalendarError>,
    ) -> Option<NaiveDate> {
        match r {
            Ok(d) => Some(d),
            Err(err) => {
                let msg = format!("计算期限时{err}");
                let mut errors = self.errors.borrow_mut();
                if !errors.iter().any(|(_, d)| d.message == msg) {
                    errors.push((e.index, scenario_out_of_range(&msg, e.span)));
                }
                None
            }
        }
    }
}

/// The Fx hash (as in rustc): much faster than SipHash for the short
/// keys indexed here, and the keys come from the user's own files.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            self.add(u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            for (d, s) in word.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick the bucket, depending
        // on few input bits (titles such as 件1 … 件99999 crowd together):
        // the high bits are brought down, as rustc-hash 2 does.
        self.hash.rotate_left(26)
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Does a delegated action cover a required one? 召开 covers 召集 and 主持.
fn action_covers(granted: Action, needed: Action) -> bool {
    granted == needed
        || (granted == Action::Do(Verb::Convene)
            && matches!(needed, Action::Convene | Action::Chair))
}

/// An actor spec as written in the language (县长离县期间委托的常务副县长).
pub fn actor_name(rs: &Ruleset, a: &Actor) -> String {
    match a {
        Actor::Position(p) => rs.position_name(*p).to_string(),
        Actor::Delegated {
            principal,
            delegate,
            away,
        } => format!(
            "{}{}委托的{}",
            rs.position_name(*principal),
            away.as_ref()
                .map_or_else(String::new, |a| format!("{}期间", a.word)),
            rs.position_name(*delegate)
        ),
        Actor::Role(r) => role_word(*r).to_string(),
        Actor::Unit(u) => u.clone(),
    }
}

pub fn role_word(r: Role) -> &'static str {
    r.word()
}

/// How late an act came after its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lateness {
    WorkingDays(u32),
    Days(i64),
}

impl std::fmt::Display for Lateness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lateness::WorkingDays(n) => write!(f, "{n}个工作日"),
            Lateness::Days(n) => write!(f, "{n}日"),
        }
    }
}

/// Is kind `k` one of `wanted` (of the scope `s`): the kind itself or one
/// below it (`is`), or exactly it when the scope says so.
fn kind_in(s: &Scope, wanted: &[usize], k: usize, is: impl Fn(usize, usize) -> bool) -> bool {
    wanted
        .iter()
        .any(|w| if s.kinds_exact { k == *w } else { is(k, *w) })
}
