//! The scenario's events indexed by verb, by document or meeting, by actor
//! and by trip. `check` builds one for a whole scenario; the audit keeps one
//! up to date as its log goes on: it adds each event once when it enters the
//! buffer and forgets the oldest when they leave, instead of rebuilding the
//! index over the whole buffer for every chunk it checks.
//!
//! A position is an event's `index` (its place in date order), or
//! [`ABSENCE`] | n for the n-th synthetic 缺席 event (one per person in a
//! meeting's 缺席 list). Every list is in (date, index) order.

use std::collections::VecDeque;

use crate::check::context::FxMap;
use crate::compile::ir::{EventIr, Party, PersonId};
use crate::syntax::ast::Verb;

/// Marks the position of a synthetic 缺席 event.
const ABSENCE: usize = 1 << (usize::BITS - 1);

/// Event positions under one key. Most documents are named by one event or
/// two: the first position is kept inline, so indexing 10⁴ distinct
/// documents does not allocate 10⁴ lists.
#[derive(Debug, Clone, Default)]
pub(crate) enum Positions {
    #[default]
    Empty,
    One(usize),
    Many(VecDeque<usize>),
}

impl Positions {
    fn push(&mut self, i: usize) {
        *self = match std::mem::take(self) {
            Positions::Empty => Positions::One(i),
            Positions::One(a) => Positions::Many(VecDeque::from([a, i])),
            Positions::Many(mut v) => {
                v.push_back(i);
                Positions::Many(v)
            }
        };
    }

    /// Forget `i`, the oldest position (the audit forgets in order);
    /// true when nothing is left.
    fn forget(&mut self, i: usize) -> bool {
        match self {
            Positions::One(a) if *a == i => *self = Positions::Empty,
            Positions::Many(v) => match v.iter().position(|x| *x == i) {
                Some(0) => {
                    v.pop_front();
                }
                Some(k) => {
                    v.remove(k);
                }
                None => {}
            },
            _ => {}
        }
        self.is_empty()
    }

    fn is_empty(&self) -> bool {
        match self {
            Positions::Empty => true,
            Positions::One(_) => false,
            Positions::Many(v) => v.is_empty(),
        }
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        let (one, many) = match self {
            Positions::Empty => (None, None),
            Positions::One(a) => (Some(*a), None),
            Positions::Many(v) => (None, Some(v.iter().copied())),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }

    /// Sort by a key (only `check`, whose absences come after every event).
    fn sort_by_key<K: Ord>(&mut self, key: impl FnMut(&usize) -> K) {
        if let Positions::Many(v) = self {
            v.make_contiguous().sort_by_key(key);
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
    pub(crate) by_verb: FxMap<Verb, VecDeque<usize>>,
    /// Meetings (召开) by name; the first one kept is "the" meeting.
    meetings: FxMap<Box<str>, Positions>,
    by_object: FxMap<Box<str>, Positions>,
    by_person: FxMap<PersonId, Positions>,
    by_unit: FxMap<Box<str>, Positions>,
    trips: FxMap<PersonId, Positions>,
}

impl EventIndex {
    /// The index of a whole scenario's events (in date order, `index` =
    /// place).
    pub fn of_events(events: &[EventIr]) -> EventIndex {
        let mut ix = EventIndex::default();
        for e in events {
            ix.add_event(e);
        }
        for e in events {
            ix.add_absences(e);
        }
        // Absences interleave with the events: sort the lists they joined.
        if !ix.absences.is_empty() {
            let key = |i: &usize| ix_key(events, &ix.absences, *i);
            let mut by_verb = std::mem::take(&mut ix.by_verb);
            for list in by_verb.values_mut() {
                if list.back().is_some_and(|i| i & ABSENCE != 0) {
                    list.make_contiguous().sort_by_key(key);
                }
            }
            let mut by_object = std::mem::take(&mut ix.by_object);
            let mut by_person = std::mem::take(&mut ix.by_person);
            for list in by_object.values_mut().chain(by_person.values_mut()) {
                if list.iter().next_back().is_some_and(|i| i & ABSENCE != 0) {
                    list.sort_by_key(key);
                }
            }
            ix.by_verb = by_verb;
            ix.by_object = by_object;
            ix.by_person = by_person;
        }
        ix
    }

    /// Add an event at the end (dated on or after every event added so
    /// far), with its 缺席 list.
    pub fn push(&mut self, e: &EventIr) {
        self.add_event(e);
        self.add_absences(e);
    }

    fn add_event(&mut self, e: &EventIr) {
        let i = e.index;
        self.by_verb.entry(e.verb).or_default().push_back(i);
        if let Some(o) = e.object.as_deref() {
            push_at(&mut self.by_object, o, i);
            if e.verb == Verb::Convene {
                push_at(&mut self.meetings, o, i);
            }
        }
        // An event that names a document or meeting as its 依据 is about
        // it too (解读材料 依据 "乾政发〔2023〕5号", 纪要 依据 "第13次").
        if let Some(b) = e.basis.as_deref()
            && e.object.as_deref() != Some(b)
        {
            push_at(&mut self.by_object, b, i);
        }
        match &e.actor {
            Some(Party::Person(p)) => {
                self.by_person.entry(*p).or_default().push(i);
                if e.verb.is_trip() {
                    self.trips.entry(*p).or_default().push(i);
                }
            }
            Some(Party::Unit(u)) => push_at(&mut self.by_unit, u, i),
            None => {}
        }
    }

    /// One 缺席 event per person in a meeting's 缺席 list: the meeting as
    /// if that person's act.
    fn add_absences(&mut self, e: &EventIr) {
        if e.verb != Verb::Convene {
            return;
        }
        for p in &e.absent {
            let i = ABSENCE | (self.absence_base + self.absences.len());
            let mut a = e.clone();
            a.verb = Verb::Absent;
            a.actor = Some(Party::Person(*p));
            a.absent = vec![*p];
            a.decided = Vec::new();
            self.by_verb.entry(a.verb).or_default().push_back(i);
            if let Some(o) = e.object.as_deref() {
                push_at(&mut self.by_object, o, i);
            }
            self.by_person.entry(*p).or_default().push(i);
            self.absences.push_back(a);
        }
    }

    /// Forget the oldest event (the audit's buffer drops it next), with its
    /// 缺席 events.
    pub fn forget(&mut self, e: &EventIr) {
        let i = e.index;
        if let Some(list) = self.by_verb.get_mut(&e.verb) {
            if list.front() == Some(&i) {
                list.pop_front();
            } else if let Some(k) = list.iter().position(|x| *x == i) {
                list.remove(k);
            }
        }
        if let Some(o) = e.object.as_deref() {
            forget(&mut self.by_object, o, i);
            if e.verb == Verb::Convene {
                forget(&mut self.meetings, o, i);
            }
        }
        if let Some(b) = e.basis.as_deref()
            && e.object.as_deref() != Some(b)
        {
            forget(&mut self.by_object, b, i);
        }
        match &e.actor {
            Some(Party::Person(p)) => {
                forget_key(&mut self.by_person, *p, i);
                if e.verb.is_trip() {
                    forget_key(&mut self.trips, *p, i);
                }
            }
            Some(Party::Unit(u)) => forget(&mut self.by_unit, u, i),
            None => {}
        }
        if e.verb != Verb::Convene {
            return;
        }
        for p in &e.absent {
            if self.absences.front().is_none_or(|a| a.index != i) {
                break;
            }
            let k = ABSENCE | self.absence_base;
            self.absences.pop_front();
            self.absence_base += 1;
            if let Some(list) = self.by_verb.get_mut(&Verb::Absent)
                && let Some(at) = list.iter().position(|x| *x == k)
            {
                list.remove(at);
            }
            if let Some(o) = e.object.as_deref() {
                forget(&mut self.by_object, o, k);
            }
            forget_key(&mut self.by_person, *p, k);
        }
    }

    /// The event at a position: a real one from `events` (the scenario's,
    /// or the audit's buffer, whose indices run on without gaps).
    pub fn at<'e>(&'e self, events: &'e [EventIr], i: usize) -> Option<&'e EventIr> {
        if i & ABSENCE != 0 {
            return self
                .absences
                .get((i & !ABSENCE).checked_sub(self.absence_base)?);
        }
        let first = events.first()?.index;
        match events.get(i.checked_sub(first)?) {
            Some(e) if e.index == i => Some(e),
            // Not contiguous (cannot happen for a scenario or the audit's
            // buffer): look it up.
            _ => {
                let at = events.partition_point(|e| e.index < i);
                events.get(at).filter(|e| e.index == i)
            }
        }
    }

    pub(crate) fn about(&self, object: &str) -> Option<&Positions> {
        self.by_object.get(object)
    }

    pub(crate) fn by_person(&self, p: PersonId) -> Option<&Positions> {
        self.by_person.get(&p)
    }

    pub(crate) fn by_unit(&self, u: &str) -> Option<&Positions> {
        self.by_unit.get(u)
    }

    pub(crate) fn trips(&self, p: PersonId) -> Option<&Positions> {
        self.trips.get(&p)
    }

    /// The first meeting kept of that name.
    pub(crate) fn meeting(&self, name: &str) -> Option<usize> {
        self.meetings.get(name)?.iter().next()
    }

    pub fn is_empty(&self) -> bool {
        self.by_verb.values().all(VecDeque::is_empty)
    }
}

fn ix_key(
    events: &[EventIr],
    absences: &VecDeque<EventIr>,
    i: usize,
) -> Option<(chrono::NaiveDate, usize)> {
    let e = if i & ABSENCE != 0 {
        absences.get(i & !ABSENCE)
    } else {
        events.get(i)
    };
    e.map(|e| (e.date, e.index))
}

/// Push a position under a name key; the key is copied only when new.
fn push_at(map: &mut FxMap<Box<str>, Positions>, key: &str, i: usize) {
    match map.get_mut(key) {
        Some(p) => p.push(i),
        None => {
            let mut p = Positions::Empty;
            p.push(i);
            map.insert(Box::from(key), p);
        }
    }
}

fn forget(map: &mut FxMap<Box<str>, Positions>, key: &str, i: usize) {
    if let Some(p) = map.get_mut(key)
        && p.forget(i)
    {
        map.remove(key);
    }
}

fn forget_key(map: &mut FxMap<PersonId, Positions>, key: PersonId, i: usize) {
    if let Some(p) = map.get_mut(&key)
        && p.forget(i)
    {
        map.remove(&key);
    }
}
