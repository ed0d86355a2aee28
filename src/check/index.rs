//! The scenario's events indexed by verb, by document or meeting, by actor
//! and by trip. `check` builds one for a whole scenario; the audit keeps one
//! up to date as its log goes on: it adds each event once when it enters the
//! buffer, instead of rebuilding the index over the whole buffer for every
//! chunk it checks. Events that leave the buffer are skipped where they are
//! met ([`EventIndex::at`] no longer finds them) and pruned from the lists
//! once they are as many as the events kept.
//!
//! A position is an event's `index` (its place in date order), or
//! [`ABSENCE`] | n for the n-th synthetic 缺席 event (one per person in a
//! meeting's 缺席 list). Every list is in (date, index) order and keeps each
//! entry's date, so a date range is found by bisection even over entries
//! whose events have left.

use std::collections::VecDeque;

use chrono::NaiveDate;

use crate::check::context::FxMap;
use crate::compile::ir::{EventIr, Party, PersonId};
use crate::syntax::ast::Verb;

/// Marks the position of a synthetic 缺席 event.
const ABSENCE: usize = 1 << (usize::BITS - 1);

/// A position and its event's date.
type Entry = (usize, NaiveDate);

/// Event positions under one key. Most documents are named by one event or
/// two: the first is kept inline, so indexing 10⁴ distinct documents does
/// not allocate 10⁴ lists.
#[derive(Debug, Clone, Default)]
pub(crate) enum Positions {
    #[default]
    Empty,
    One(Entry),
    Many(VecDeque<Entry>),
}

impl Positions {
    fn push(&mut self, x: Entry) {
        match self {
            Positions::Empty => *self = Positions::One(x),
            Positions::One(a) => *self = Positions::Many(VecDeque::from([*a, x])),
            Positions::Many(v) => v.push_back(x),
        }
    }

    /// Keep the entries `live` holds for; true when none is left.
    fn retain(&mut self, live: impl Fn(usize) -> bool) -> bool {
        match self {
            Positions::One((a, _)) if !live(*a) => *self = Positions::Empty,
            Positions::Many(v) => v.retain(|(i, _)| live(*i)),
            _ => {}
        }
        match self {
            Positions::Empty => true,
            Positions::One(_) => false,
            Positions::Many(v) => v.is_empty(),
        }
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        let (one, many) = match self {
            Positions::Empty => (None, None),
            Positions::One((a, _)) => (Some(*a), None),
            Positions::Many(v) => (None, Some(v.iter().map(|(i, _)| *i))),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }

    /// The positions of events dated in [from, to].
    pub(crate) fn dated(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = usize> + '_ {
        let (one, many) = match self {
            Positions::Empty => (None, None),
            Positions::One((a, d)) => (Some(*a).filter(|_| from <= *d && *d <= to), None),
            Positions::Many(v) => {
                let (a, z) = dated_range(v, from, to);
                (None, Some(v.range(a..z).map(|(i, _)| *i)))
            }
        };
        one.into_iter().chain(many.into_iter().flatten())
    }

    /// Sort by (date, index) (only `check`, whose absences come last).
    fn sort(&mut self, key: impl Fn(usize) -> usize) {
        if let Positions::Many(v) = self {
            v.make_contiguous().sort_by_key(|(i, d)| (*d, key(*i)));
        }
    }

    fn last(&self) -> Option<usize> {
        self.iter().next_back()
    }
}

/// Where the entries dated [from, to] lie in a list in date order.
fn dated_range(v: &VecDeque<Entry>, from: NaiveDate, to: NaiveDate) -> (usize, usize) {
    let a = v.partition_point(|(_, d)| *d < from);
    let z = v.partition_point(|(_, d)| *d <= to).max(a);
    (a, z)
}

/// Event positions by actor, and trips by person.
#[derive(Debug, Default)]
struct Parties {
    by_person: FxMap<PersonId, Positions>,
    by_unit: FxMap<Box<str>, Positions>,
    trips: FxMap<PersonId, Positions>,
}

impl Parties {
    fn add_event(&mut self, e: &EventIr, x: Entry) {
        match &e.actor {
            Some(Party::Person(p)) => {
                self.by_person.entry(*p).or_default().push(x);
                if e.verb.is_trip() {
                    self.trips.entry(*p).or_default().push(x);
                }
            }
            Some(Party::Unit(u)) => push_at(&mut self.by_unit, u, x),
            None => {}
        }
    }
}

/// The index. It owns the synthetic 缺席 events; the real ones stay in the
/// scenario (or the audit's buffer), looked up by [`EventIndex::at`].
#[derive(Debug, Default)]
pub struct EventIndex {
    absences: VecDeque<EventIr>,
    /// The number of the first absence kept.
    absence_base: usize,
    by_verb: FxMap<Verb, VecDeque<Entry>>,
    /// Meetings (召开) by name; the first one kept is "the" meeting.
    meetings: FxMap<Box<str>, Positions>,
    /// Built on first use for a scenario (a check of authority alone never
    /// asks: most events name a document of their own); from the start for
    /// the audit.
    by_object: std::cell::OnceCell<FxMap<Box<str>, Positions>>,
    /// The audit's only (kept up to date by [`EventIndex::push`]): a
    /// person's events per verb, so that a busy person's precedents of one
    /// verb are found without reading all their acts.
    by_person_verb: FxMap<(PersonId, Verb), Positions>,
    /// Built by [`EventIndex::push`] (the audit's), not for a scenario.
    incremental: bool,
    /// By actor and trips: built on first use for a scenario (authority
    /// never asks), from the start for the audit.
    parties: std::cell::OnceCell<Parties>,
    /// Entries whose events have left since the last pruning.
    stale: usize,
    /// Where the events of the audit's buffer were after events last left
    /// (its older part has gaps): looked up here, not over the events.
    kept: Kept,
}

/// The audit's buffer as it was after events last left: where each index
/// lies.
#[derive(Debug, Default)]
struct Kept {
    /// The indices, in order (bisected when too sparse for `place`).
    indices: Vec<usize>,
    /// The index of the first event.
    first: usize,
    /// 1 + the position of the event of index `first + k` at k, 0 for one
    /// gone: a lookup without a search. Empty when too sparse.
    place: Vec<u32>,
}

impl Kept {
    fn set(&mut self, events: &[EventIr]) {
        self.indices.clear();
        self.indices.extend(events.iter().map(|e| e.index));
        self.place.clear();
        self.first = events.first().map_or(0, |e| e.index);
        let span = events
            .last()
            .map_or(0, |e| e.index.saturating_sub(self.first) + 1);
        // At most a few entries per event (the gaps are the events of the
        // verbs not kept behind the settled chunk).
        if span > 4 * events.len() + 4096 || u32::try_from(events.len()).is_err() {
            return;
        }
        self.place.resize(span, 0);
        for (k, e) in (1u32..).zip(events) {
            if let Some(p) = self.place.get_mut(e.index.saturating_sub(self.first)) {
                *p = k;
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The position of the event of index `i`, if there.
    fn find(&self, i: usize) -> Option<usize> {
        if self.place.is_empty() {
            return self.indices.binary_search(&i).ok();
        }
        let p = *self.place.get(i.checked_sub(self.first)?)?;
        usize::try_from(p).ok()?.checked_sub(1)
    }
}

impl EventIndex {
    /// The index of a whole scenario's events (in date order, `index` =
    /// place).
    pub fn of_events(events: &[EventIr]) -> EventIndex {
        let mut ix = EventIndex::default();
        // `add_event` without the lists built on first use, the verb's
        // list found among the few verbs without hashing each event's.
        // Vectors while they grow (moved into the map's VecDeques without
        // copying), and the absences counted on the way.
        let mut lists: Vec<(Verb, Vec<Entry>)> = Vec::new();
        let mut absences = 0;
        for e in events {
            let x = (e.index, e.date);
            match lists.iter_mut().find(|(v, _)| *v == e.verb) {
                Some((_, list)) => list.push(x),
                None => lists.push((e.verb, vec![x])),
            }
            if e.verb == Verb::Convene {
                absences += e.absent.len();
                if let Some(o) = e.object.as_deref() {
                    push_at(&mut ix.meetings, o, x);
                }
            }
        }
        // Inserted one by one, in order of first use, as `add_event` would:
        // the map's order (that of lists merged later) is the same.
        for (v, list) in lists {
            ix.by_verb.insert(v, VecDeque::from(list));
        }
        ix.absences.reserve(absences);
        for e in events {
            ix.add_absences(e, false);
        }
        // Absences interleave with the events (they share their meeting's
        // date and index, and come after it): sort the lists they joined.
        if !ix.absences.is_empty() {
            let mut by_verb = std::mem::take(&mut ix.by_verb);
            let key = |i: usize| ix.event_index(i);
            for list in by_verb.values_mut() {
                if list.back().is_some_and(|(i, _)| i & ABSENCE != 0) {
                    list.make_contiguous().sort_by_key(|(i, d)| (*d, key(*i)));
                }
            }
            ix.by_verb = by_verb;
        }
        ix
    }

    /// The per-party lists of a whole scenario (with the absences, in date
    /// order).
    fn parties_of(&self, events: &[EventIr]) -> Parties {
        let mut m = Parties::default();
        for e in events {
            m.add_event(e, (e.index, e.date));
        }
        if self.absences.is_empty() {
            return m;
        }
        for (k, a) in self.absences.iter().enumerate() {
            if let Some(Party::Person(p)) = a.actor {
                m.by_person
                    .entry(p)
                    .or_default()
                    .push((ABSENCE | (self.absence_base + k), a.date));
            }
        }
        let key = |i: usize| self.event_index(i);
        for list in m.by_person.values_mut() {
            if list.last().is_some_and(|i| i & ABSENCE != 0) {
                list.sort(key);
            }
        }
        m
    }

    /// Add an event at the end (dated on or after every event added so
    /// far), with its 缺席 list.
    pub fn push(&mut self, e: &EventIr) {
        self.incremental = true;
        self.by_object.get_or_init(FxMap::default);
        self.parties.get_or_init(Parties::default);
        self.add_event(e, true);
        self.add_absences(e, true);
    }

    fn add_event(&mut self, e: &EventIr, objects: bool) {
        let x = (e.index, e.date);
        self.by_verb.entry(e.verb).or_default().push_back(x);
        if let Some(o) = e.object.as_deref()
            && e.verb == Verb::Convene
        {
            push_at(&mut self.meetings, o, x);
        }
        if objects {
            if let Some(m) = self.by_object.get_mut() {
                add_objects(m, e, x);
            }
            if let Some(m) = self.parties.get_mut() {
                m.add_event(e, x);
            }
            if let Some(Party::Person(p)) = &e.actor {
                self.by_person_verb.entry((*p, e.verb)).or_default().push(x);
            }
        }
    }

    /// One 缺席 event per person in a meeting's 缺席 list: the meeting as
    /// if that person's act.
    fn add_absences(&mut self, e: &EventIr, objects: bool) {
        if e.verb != Verb::Convene {
            return;
        }
        for p in &e.absent {
            let x = (ABSENCE | (self.absence_base + self.absences.len()), e.date);
            let mut a = e.clone();
            a.verb = Verb::Absent;
            a.actor = Some(Party::Person(*p));
            a.absent = vec![*p];
            a.decided = Vec::new();
            self.by_verb.entry(a.verb).or_default().push_back(x);
            if objects
                && let Some(o) = e.object.as_deref()
                && let Some(m) = self.by_object.get_mut()
            {
                push_at(m, o, x);
            }
            if objects {
                if let Some(m) = self.parties.get_mut() {
                    m.by_person.entry(*p).or_default().push(x);
                }
                self.by_person_verb
                    .entry((*p, Verb::Absent))
                    .or_default()
                    .push(x);
            }
            self.absences.push_back(a);
        }
    }

    /// `gone` events have left `events` (the audit's buffer): drop the
    /// absences of meetings no longer there, and prune the lists once the
    /// entries left behind are as many as the events kept.
    pub fn left(&mut self, events: &[EventIr], gone: usize) {
        while let Some(a) = self.absences.front()
            && events.binary_search_by_key(&a.index, |e| e.index).is_err()
        {
            self.absences.pop_front();
            self.absence_base += 1;
            self.stale += 3;
        }
        self.stale += 3 * gone;
        self.kept.set(events);
        if self.stale <= 3 * events.len() + 4096 {
            return;
        }
        self.stale = 0;
        // Which positions are still there, as a bit per index from the
        // oldest event kept: one pass over the buffer, then each entry of
        // every list tested without a search.
        let first = events.first().map_or(0, |e| e.index);
        let span = events.last().map_or(0, |e| e.index.saturating_sub(first));
        let mut bits = vec![0u64; span / 64 + 1];
        for e in events {
            let k = e.index.saturating_sub(first);
            if let Some(w) = bits.get_mut(k / 64) {
                *w |= 1 << (k % 64);
            }
        }
        let absences = self.absence_base..self.absence_base + self.absences.len();
        let live = |i: usize| {
            if i & ABSENCE != 0 {
                return absences.contains(&(i & !ABSENCE));
            }
            i.checked_sub(first)
                .and_then(|k| bits.get(k / 64).map(|w| w >> (k % 64) & 1 == 1))
                .unwrap_or(false)
        };
        let mut by_verb = std::mem::take(&mut self.by_verb);
        by_verb.retain(|_, v| {
            v.retain(|(i, _)| live(*i));
            !v.is_empty()
        });
        let mut parties = self.parties.take().unwrap_or_default();
        let mut named = [
            std::mem::take(&mut self.meetings),
            self.by_object.take().unwrap_or_default(),
            std::mem::take(&mut parties.by_unit),
        ];
        for m in &mut named {
            m.retain(|_, p| !p.retain(live));
        }
        let mut people = [
            std::mem::take(&mut parties.by_person),
            std::mem::take(&mut parties.trips),
        ];
        for m in &mut people {
            m.retain(|_, p| !p.retain(live));
        }
        self.by_person_verb.retain(|_, p| !p.retain(live));
        let [meetings, by_object, by_unit] = named;
        let [by_person, trips] = people;
        self.by_verb = by_verb;
        self.meetings = meetings;
        self.by_object = std::cell::OnceCell::from(by_object);
        self.parties = std::cell::OnceCell::from(Parties {
            by_person,
            by_unit,
            trips,
        });
    }

    /// The event at a position: a real one from `events` (the scenario's,
    /// or the audit's buffer: in index order, without gaps after its
    /// oldest part), None for one that has left.
    pub fn at<'e>(&'e self, events: &'e [EventIr], i: usize) -> Option<&'e EventIr> {
        lookup(&self.absences, self.absence_base, &self.kept, events, i)
    }

    /// Positions of a verb's events dated in [from, to] (every one without
    /// a range).
    pub(crate) fn of_verb(
        &self,
        range: Option<(NaiveDate, NaiveDate)>,
    ) -> impl Iterator<Item = (Verb, impl Iterator<Item = usize> + '_)> + '_ {
        self.by_verb.iter().map(move |(v, list)| {
            let (a, z) = match range {
                Some((from, to)) => dated_range(list, from, to),
                None => (0, list.len()),
            };
            (*v, list.range(a..z).map(|(i, _)| *i))
        })
    }

    /// The `index` of the event at a position: an absence's is its
    /// meeting's (it sorts right after the meeting).
    fn event_index(&self, i: usize) -> usize {
        if i & ABSENCE == 0 {
            return i;
        }
        self.absences
            .get((i & !ABSENCE).saturating_sub(self.absence_base))
            .map_or(i, |a| a.index)
    }

    /// Events about a document or meeting: named by it or by its 依据.
    pub(crate) fn about(&self, events: &[EventIr], object: &str) -> Option<&Positions> {
        self.by_object
            .get_or_init(|| self.objects_of(events))
            .get(object)
    }

    /// The document and meeting lists of a whole scenario (with the
    /// absences, in date order).
    fn objects_of(&self, events: &[EventIr]) -> FxMap<Box<str>, Positions> {
        let mut m = FxMap::default();
        m.reserve(events.len());
        for e in events {
            add_objects(&mut m, e, (e.index, e.date));
        }
        if self.absences.is_empty() {
            return m;
        }
        for (k, a) in self.absences.iter().enumerate() {
            if let Some(o) = a.object.as_deref() {
                push_at(&mut m, o, (ABSENCE | (self.absence_base + k), a.date));
            }
        }
        let key = |i: usize| self.event_index(i);
        for list in m.values_mut() {
            if list.last().is_some_and(|i| i & ABSENCE != 0) {
                list.sort(key);
            }
        }
        m
    }

    fn parties(&self, events: &[EventIr]) -> &Parties {
        self.parties.get_or_init(|| self.parties_of(events))
    }

    /// A person's events of one verb, where kept (the audit's index: None
    /// for a scenario's), and the verbs of the events indexed.
    pub(crate) fn by_person_verb(&self, p: PersonId, verb: Verb) -> Option<Option<&Positions>> {
        if !self.incremental {
            return None;
        }
        Some(self.by_person_verb.get(&(p, verb)))
    }

    /// Are a person's events kept per verb ([`EventIndex::by_person_verb`]
    /// answers)? The audit's index only.
    pub(crate) fn keeps_person_verbs(&self) -> bool {
        self.incremental
    }

    /// The verbs of the events indexed (and perhaps of some that left).
    pub(crate) fn verbs(&self) -> impl Iterator<Item = Verb> + '_ {
        self.by_verb.keys().copied()
    }

    pub(crate) fn by_person(&self, events: &[EventIr], p: PersonId) -> Option<&Positions> {
        self.parties(events).by_person.get(&p)
    }

    pub(crate) fn by_unit(&self, events: &[EventIr], u: &str) -> Option<&Positions> {
        self.parties(events).by_unit.get(u)
    }

    pub(crate) fn trips(&self, events: &[EventIr], p: PersonId) -> Option<&Positions> {
        self.parties(events).trips.get(&p)
    }

    /// The meetings of that name, oldest first.
    pub(crate) fn meetings(&self, name: &str) -> Option<&Positions> {
        self.meetings.get(name)
    }
}

/// [`EventIndex::at`], on the index's absences.
fn lookup<'e>(
    absences: &'e VecDeque<EventIr>,
    absence_base: usize,
    kept: &Kept,
    events: &'e [EventIr],
    i: usize,
) -> Option<&'e EventIr> {
    if i & ABSENCE != 0 {
        return absences.get((i & !ABSENCE).checked_sub(absence_base)?);
    }
    // A scenario's events are at their index.
    if let Some(e) = events.get(i)
        && e.index == i
    {
        return Some(e);
    }
    let last = events.last()?;
    let back = last.index.checked_sub(i)?;
    match events
        .len()
        .checked_sub(back + 1)
        .and_then(|k| events.get(k))
    {
        Some(e) if e.index == i => Some(e),
        // In the older part of the audit's buffer, where only some
        // verbs are kept: look it up (the events after `kept` have no gaps,
        // so one not found from the end is in `kept`'s part).
        _ if !kept.is_empty() => kept.find(i).and_then(|k| events.get(k)),
        _ => events
            .binary_search_by_key(&i, |e| e.index)
            .ok()
            .and_then(|k| events.get(k)),
    }
}

/// An event under its document or meeting and under its 依据: an event
/// that names one as its 依据 is about it too (解读材料 依据
/// "乾政发〔2023〕5号", 纪要 依据 "第13次").
fn add_objects(m: &mut FxMap<Box<str>, Positions>, e: &EventIr, x: Entry) {
    if let Some(o) = e.object.as_deref() {
        push_at(m, o, x);
    }
    if let Some(b) = e.basis.as_deref()
        && e.object.as_deref() != Some(b)
    {
        push_at(m, b, x);
    }
}

/// Push a position under a name key; the key is copied only when new.
fn push_at(map: &mut FxMap<Box<str>, Positions>, key: &str, x: Entry) {
    match map.get_mut(key) {
        Some(p) => p.push(x),
        None => {
            let mut p = Positions::Empty;
            p.push(x);
            map.insert(Box::from(key), p);
        }
    }
}
