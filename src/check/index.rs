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
use std::sync::Arc;

use chrono::NaiveDate;

use crate::check::context::FxMap;
use crate::compile::ir::{EventIr, Party, PersonId};
use crate::syntax::ast::Verb;

/// Marks the position of a synthetic 缺席 event.
const ABSENCE: usize = 1 << (usize::BITS - 1);

/// A position and its event's date.
type Entry = (usize, NaiveDate);

/// Event positions under one key as the audit keeps them. Most documents
/// are named by one event, two or three: the first two are kept inline, so
/// indexing 10⁴ distinct documents does not allocate 10⁴ lists.
#[derive(Debug, Clone, Default)]
enum List {
    #[default]
    Empty,
    One(Entry),
    /// Two entries, in order: no larger than a `Many` (measured: a
    /// third of the audit's lists hold two).
    Two([Entry; 2]),
    Many(VecDeque<Entry>),
}

impl List {
    fn push(&mut self, x: Entry) {
        match self {
            List::Empty => *self = List::One(x),
            List::One(a) => *self = List::Two([*a, x]),
            List::Two([a, b]) => {
                // Room for four: a document named a fourth time would
                // otherwise grow its list at once (a copy and a free).
                let mut v = VecDeque::with_capacity(4);
                v.extend([*a, *b, x]);
                *self = List::Many(v);
            }
            List::Many(v) => v.push_back(x),
        }
    }

    /// Keep the entries `live` holds for; true when none is left.
    fn retain(&mut self, live: impl Fn(usize) -> bool) -> bool {
        match self {
            List::One((a, _)) if !live(*a) => *self = List::Empty,
            List::Two([a, b]) => match (live(a.0), live(b.0)) {
                (true, true) => {}
                (true, false) => *self = List::One(*a),
                (false, true) => *self = List::One(*b),
                (false, false) => *self = List::Empty,
            },
            List::Many(v) => v.retain(|(i, _)| live(*i)),
            _ => {}
        }
        match self {
            List::Empty => true,
            List::One(_) | List::Two(_) => false,
            List::Many(v) => v.is_empty(),
        }
    }

    /// Sort by (date, index) (only `check`, whose absences come last).
    fn sort(&mut self, key: impl Fn(usize) -> usize) {
        match self {
            List::Two(v) => v.sort_by_key(|(i, d)| (*d, key(*i))),
            List::Many(v) => v.make_contiguous().sort_by_key(|(i, d)| (*d, key(*i))),
            _ => {}
        }
    }

    fn view(&self) -> Positions<'_> {
        match self {
            List::Empty => Positions::Slice(&[]),
            List::One(a) => Positions::Slice(std::slice::from_ref(a)),
            List::Two(v) => Positions::Slice(v),
            List::Many(v) => Positions::Deque(v),
        }
    }
}

/// Event positions under one key, as read: a part of a scenario's flat
/// list, or one of the audit's lists.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Positions<'a> {
    Slice(&'a [Entry]),
    Deque(&'a VecDeque<Entry>),
}

impl<'a> Positions<'a> {
    fn entries(self) -> impl DoubleEndedIterator<Item = &'a Entry> + 'a {
        let (slice, deque) = match self {
            Positions::Slice(s) => (Some(s.iter()), None),
            Positions::Deque(v) => (None, Some(v.iter())),
        };
        slice
            .into_iter()
            .flatten()
            .chain(deque.into_iter().flatten())
    }

    pub(crate) fn iter(self) -> impl DoubleEndedIterator<Item = usize> + 'a {
        self.entries().map(|(i, _)| *i)
    }

    /// The positions of events dated in [from, to].
    pub(crate) fn dated(self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = usize> + 'a {
        let (slice, deque) = match self {
            Positions::Slice(s) => {
                let a = s.partition_point(|(_, d)| *d < from);
                let z = s.partition_point(|(_, d)| *d <= to).max(a);
                (s.get(a..z).map(<[Entry]>::iter), None)
            }
            Positions::Deque(v) => {
                let (a, z) = dated_range(v, from, to);
                (None, Some(v.range(a..z)))
            }
        };
        slice
            .into_iter()
            .flatten()
            .chain(deque.into_iter().flatten())
            .map(|(i, _)| *i)
    }
}

/// Lists under many keys in one vector, each key's a range of it (a
/// scenario's: built once, never grown), in the order the entries were
/// added.
#[derive(Debug)]
struct Flat<K> {
    ids: FxMap<K, u32>,
    /// Each key's (start, end) in `entries`, by id.
    ranges: Vec<(u32, u32)>,
    entries: Vec<Entry>,
}

impl<K: std::hash::Hash + Eq> Flat<K> {
    /// From (key id, entry) pairs, the ids numbered from 0 in `ids`.
    fn of(ids: FxMap<K, u32>, pairs: &[(u32, Entry)]) -> Option<Flat<K>> {
        let mut ranges = vec![(0u32, 0u32); ids.len()];
        for (k, _) in pairs {
            ranges.get_mut(usize::try_from(*k).ok()?)?.1 += 1;
        }
        let mut at = 0u32;
        for r in &mut ranges {
            let n = r.1;
            *r = (at, at);
            at = at.checked_add(n)?;
        }
        let mut entries = vec![(0, NaiveDate::MIN); pairs.len()];
        for (k, x) in pairs {
            let r = ranges.get_mut(usize::try_from(*k).ok()?)?;
            *entries.get_mut(usize::try_from(r.1).ok()?)? = *x;
            r.1 += 1;
        }
        Some(Flat {
            ids,
            ranges,
            entries,
        })
    }

    fn get<Q>(&self, k: &Q) -> Option<Positions<'_>>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let id = usize::try_from(*self.ids.get(k)?).ok()?;
        let (a, z) = *self.ranges.get(id)?;
        let (a, z) = (usize::try_from(a).ok()?, usize::try_from(z).ok()?);
        self.entries.get(a..z).map(Positions::Slice)
    }
}

/// Names numbered as they come, by key ([`name_key`]).
struct NameIds<'e> {
    ids: FxMap<u64, u32>,
    names: Vec<&'e str>,
}

impl<'e> NameIds<'e> {
    fn with_capacity(n: usize) -> NameIds<'e> {
        let mut ids = FxMap::default();
        ids.reserve(n);
        NameIds {
            ids,
            names: Vec::with_capacity(n),
        }
    }

    /// The name's number; None when another name has its key.
    fn id(&mut self, name: &'e str) -> Option<u32> {
        let next = u32::try_from(self.names.len()).ok()?;
        match self.ids.entry(name_key(name)) {
            std::collections::hash_map::Entry::Occupied(o) => {
                let k = *o.get();
                (self.names.get(usize::try_from(k).ok()?).copied() == Some(name)).then_some(k)
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(next);
                self.names.push(name);
                Some(next)
            }
        }
    }
}

/// A name's key in a scenario's flat lists: its hash, mixed so that the
/// whole 64 bits differ between names (件1 … 件99999).
fn name_key(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::check::context::FxHasher::default();
    h.write(name.as_bytes());
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
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
    by_person: FxMap<PersonId, List>,
    by_unit: FxMap<Box<str>, List>,
    trips: FxMap<PersonId, List>,
}

/// A scenario's event positions by actor, and trips by person, in flat
/// lists (units, few, as the audit keeps them).
#[derive(Debug)]
struct FlatParties {
    by_person: Flat<PersonId>,
    /// By the name's key (checked against the first event's actor), or
    /// by name when two names share a key.
    by_unit: Result<Flat<u64>, FxMap<Box<str>, List>>,
    trips: Flat<PersonId>,
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
    meetings: FxMap<Arc<str>, List>,
    /// The audit's, from the start; a scenario's only when two of its
    /// names share a key of `flat_objects`.
    by_object: std::cell::OnceCell<FxMap<Arc<str>, List>>,
    /// A scenario's, built on first use (a check of authority alone never
    /// asks: most events name a document of their own): the lists by the
    /// name's key (None: two names share one).
    flat_objects: std::cell::OnceCell<Option<Flat<u64>>>,
    /// The audit's only (kept up to date by [`EventIndex::push`]): a
    /// person's events per verb, so that a busy person's precedents of one
    /// verb are found without reading all their acts.
    by_person_verb: FxMap<(PersonId, Verb), List>,
    /// Built by [`EventIndex::push`] (the audit's), not for a scenario.
    incremental: bool,
    /// By actor and trips: the audit's, from the start.
    parties: std::cell::OnceCell<Parties>,
    /// A scenario's, built on first use (authority never asks).
    flat_parties: std::cell::OnceCell<FlatParties>,
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
        // Each verb's events counted first, so that its list is sized
        // once, and the absences on the way.
        let mut counts: Vec<(Verb, usize)> = Vec::new();
        let mut absences = 0;
        for e in events {
            match counts.iter_mut().find(|(v, _)| *v == e.verb) {
                Some((_, n)) => *n += 1,
                None => counts.push((e.verb, 1)),
            }
            if e.verb == Verb::Convene {
                absences += e.absent.len();
            }
        }
        let mut lists: Vec<(Verb, VecDeque<Entry>)> = counts
            .iter()
            .map(|(v, n)| (*v, VecDeque::with_capacity(*n)))
            .collect();
        for e in events {
            let x = (e.index, e.date);
            if let Some((_, list)) = lists.iter_mut().find(|(v, _)| *v == e.verb) {
                list.push_back(x);
            }
            if e.verb == Verb::Convene
                && let Some(o) = &e.object
            {
                push_title(&mut ix.meetings, o, x);
            }
        }
        // Inserted one by one, in order of first use, as `add_event` would:
        // the map's order (that of lists merged later) is the same.
        for (v, list) in lists {
            ix.by_verb.insert(v, list);
        }
        if absences > 0 && !ix.by_verb.contains_key(&Verb::Absent) {
            ix.by_verb
                .insert(Verb::Absent, VecDeque::with_capacity(absences));
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

    /// The per-party lists of a whole scenario, each in date order: an
    /// absence right after its meeting, as it is numbered.
    fn parties_of(&self, events: &[EventIr]) -> FlatParties {
        let mut people: FxMap<PersonId, u32> = FxMap::default();
        let mut travellers: FxMap<PersonId, u32> = FxMap::default();
        let mut acts: Vec<(u32, Entry)> = Vec::with_capacity(events.len() + self.absences.len());
        let mut trips: Vec<(u32, Entry)> = Vec::new();
        let mut units = NameIds::with_capacity(0);
        let mut unit_acts: Vec<(u32, Entry)> = Vec::new();
        let mut shared_key = false;
        let id = |ids: &mut FxMap<PersonId, u32>, p: PersonId| {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            *ids.entry(p).or_insert(next)
        };
        let mut absence = self.absence_base;
        for e in events {
            let x = (e.index, e.date);
            match &e.actor {
                Some(Party::Person(p)) => {
                    acts.push((id(&mut people, *p), x));
                    if e.verb.is_trip() {
                        trips.push((id(&mut travellers, *p), x));
                    }
                }
                Some(Party::Unit(u)) => match units.id(u) {
                    Some(k) => unit_acts.push((k, x)),
                    None => shared_key = true,
                },
                None => {}
            }
            if e.verb == Verb::Convene {
                for p in &e.absent {
                    acts.push((id(&mut people, *p), (ABSENCE | absence, e.date)));
                    absence += 1;
                }
            }
        }
        let empty = || Flat {
            ids: FxMap::default(),
            ranges: Vec::new(),
            entries: Vec::new(),
        };
        let by_unit = match Flat::of(units.ids, &unit_acts) {
            Some(flat) if !shared_key => Ok(flat),
            _ => {
                let mut m = FxMap::default();
                for e in events {
                    if let Some(Party::Unit(u)) = &e.actor {
                        push_at(&mut m, u, (e.index, e.date));
                    }
                }
                Err(m)
            }
        };
        FlatParties {
            by_person: Flat::of(people, &acts).unwrap_or_else(empty),
            by_unit,
            trips: Flat::of(travellers, &trips).unwrap_or_else(empty),
        }
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
        if let Some(o) = &e.object
            && e.verb == Verb::Convene
        {
            push_title(&mut self.meetings, o, x);
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
            // The meeting as the person's act: a copy but for these four
            // (its 缺席 list and decisions not copied to be dropped).
            let a = EventIr {
                index: e.index,
                date: e.date,
                verb: Verb::Absent,
                actor: Some(Party::Person(*p)),
                targets: e.targets.clone(),
                meeting_kind: e.meeting_kind,
                document_kind: e.document_kind,
                object: e.object.clone(),
                convener: e.convener,
                chair: e.chair,
                present: e.present.clone(),
                absent: vec![*p],
                attendees: e.attendees.clone(),
                place: e.place.clone(),
                decided: Vec::new(),
                basis: e.basis.clone(),
                area: e.area.clone(),
                period: e.period,
                tags: e.tags.clone(),
                justification: e.justification.clone(),
                handler: e.handler.clone(),
                due: e.due,
                leaves_county: e.leaves_county,
                expected_count: e.expected_count,
                present_count: e.present_count,
                text: e.text.clone(),
                line: e.line,
                span: e.span,
            };
            self.by_verb.entry(a.verb).or_default().push_back(x);
            if objects
                && let Some(o) = &e.object
                && let Some(m) = self.by_object.get_mut()
            {
                push_title(m, o, x);
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
        let mut titled = [
            std::mem::take(&mut self.meetings),
            self.by_object.take().unwrap_or_default(),
        ];
        for m in &mut titled {
            m.retain(|_, p| !p.retain(live));
        }
        let mut by_unit = std::mem::take(&mut parties.by_unit);
        by_unit.retain(|_, p| !p.retain(live));
        let mut people = [
            std::mem::take(&mut parties.by_person),
            std::mem::take(&mut parties.trips),
        ];
        for m in &mut people {
            m.retain(|_, p| !p.retain(live));
        }
        self.by_person_verb.retain(|_, p| !p.retain(live));
        let [meetings, by_object] = titled;
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
    pub(crate) fn about(&self, events: &[EventIr], object: &str) -> Option<Positions<'_>> {
        if !self.incremental
            && let Some(flat) = self
                .flat_objects
                .get_or_init(|| self.flat_objects_of(events))
        {
            // The key is the name's hash: the list is the name's if its
            // first event names it (two names of the scenario never share
            // a key, else `flat` would be None).
            let found = flat.get(&name_key(object))?;
            let first = found.iter().next()?;
            let e = self.at(events, first)?;
            return (e.object.as_deref() == Some(object) || e.basis.as_deref() == Some(object))
                .then_some(found);
        }
        self.by_object
            .get_or_init(|| self.objects_of(events))
            .get(object)
            .map(List::view)
    }

    /// The document and meeting lists of a whole scenario, each in date
    /// order (an absence right after its meeting, as it is numbered); None
    /// when two names share a key.
    fn flat_objects_of(&self, events: &[EventIr]) -> Option<Flat<u64>> {
        let mut ids = NameIds::with_capacity(events.len());
        let mut pairs: Vec<(u32, Entry)> = Vec::with_capacity(events.len() + self.absences.len());
        let mut absence = self.absence_base;
        for e in events {
            let x = (e.index, e.date);
            if let Some(o) = e.object.as_deref() {
                pairs.push((ids.id(o)?, x));
            }
            if let Some(b) = e.basis.as_deref()
                && e.object.as_deref() != Some(b)
            {
                pairs.push((ids.id(b)?, x));
            }
            if e.verb == Verb::Convene {
                for _ in &e.absent {
                    if let Some(o) = e.object.as_deref() {
                        pairs.push((ids.id(o)?, (ABSENCE | absence, e.date)));
                    }
                    absence += 1;
                }
            }
        }
        Flat::of(ids.ids, &pairs)
    }

    /// The document and meeting lists of a whole scenario (with the
    /// absences, in date order), by name.
    fn objects_of(&self, events: &[EventIr]) -> FxMap<Arc<str>, List> {
        let mut m = FxMap::default();
        m.reserve(events.len());
        for e in events {
            add_objects(&mut m, e, (e.index, e.date));
        }
        if self.absences.is_empty() {
            return m;
        }
        for (k, a) in self.absences.iter().enumerate() {
            if let Some(o) = &a.object {
                push_title(&mut m, o, (ABSENCE | (self.absence_base + k), a.date));
            }
        }
        let key = |i: usize| self.event_index(i);
        for list in m.values_mut() {
            if list
                .view()
                .iter()
                .next_back()
                .is_some_and(|i| i & ABSENCE != 0)
            {
                list.sort(key);
            }
        }
        m
    }

    fn flat_parties(&self, events: &[EventIr]) -> &FlatParties {
        self.flat_parties.get_or_init(|| self.parties_of(events))
    }

    /// A person's events of one verb, where kept (the audit's index: None
    /// for a scenario's), and the verbs of the events indexed.
    pub(crate) fn by_person_verb(&self, p: PersonId, verb: Verb) -> Option<Option<Positions<'_>>> {
        if !self.incremental {
            return None;
        }
        Some(self.by_person_verb.get(&(p, verb)).map(List::view))
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

    pub(crate) fn by_person(&self, events: &[EventIr], p: PersonId) -> Option<Positions<'_>> {
        match self.parties.get() {
            Some(m) => m.by_person.get(&p).map(List::view),
            None => self.flat_parties(events).by_person.get(&p),
        }
    }

    pub(crate) fn by_unit(&self, events: &[EventIr], u: &str) -> Option<Positions<'_>> {
        let flat = match self.parties.get() {
            Some(m) => return m.by_unit.get(u).map(List::view),
            None => match &self.flat_parties(events).by_unit {
                Ok(flat) => flat,
                Err(m) => return m.get(u).map(List::view),
            },
        };
        // The list is the unit's if its first event is the unit's act.
        let found = flat.get(&name_key(u))?;
        let e = self.at(events, found.iter().next()?)?;
        matches!(&e.actor, Some(Party::Unit(v)) if v == u).then_some(found)
    }

    pub(crate) fn trips(&self, events: &[EventIr], p: PersonId) -> Option<Positions<'_>> {
        match self.parties.get() {
            Some(m) => m.trips.get(&p).map(List::view),
            None => self.flat_parties(events).trips.get(&p),
        }
    }

    /// The meetings of that name, oldest first.
    pub(crate) fn meetings(&self, name: &str) -> Option<Positions<'_>> {
        self.meetings.get(name).map(List::view)
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
fn add_objects(m: &mut FxMap<Arc<str>, List>, e: &EventIr, x: Entry) {
    if let Some(o) = &e.object {
        push_title(m, o, x);
    }
    if let Some(b) = &e.basis
        && e.object.as_ref() != Some(b)
    {
        push_title(m, b, x);
    }
}

/// Push a position under a title (shared with the events: the key costs
/// no copy).
fn push_title(map: &mut FxMap<Arc<str>, List>, key: &Arc<str>, x: Entry) {
    push_keyed(map, key, || key.clone(), x);
}

/// Push a position under a name key; the key is copied only when new.
fn push_at(map: &mut FxMap<Box<str>, List>, key: &str, x: Entry) {
    push_keyed(map, key, || Box::from(key), x);
}

/// Push a position under `key`, the map's own key made by `owned` only
/// when the key is new.
fn push_keyed<K: std::borrow::Borrow<str> + std::hash::Hash + Eq>(
    map: &mut FxMap<K, List>,
    key: &str,
    owned: impl FnOnce() -> K,
    x: Entry,
) {
    match map.get_mut(key) {
        Some(p) => p.push(x),
        None => {
            let mut p = List::Empty;
            p.push(x);
            map.insert(owned(), p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 9, d).unwrap_or_default()
    }

    /// Each key's entries, in the order added, under its own range.
    #[test]
    fn flat_lists_keep_each_keys_entries_in_order() {
        let mut names = NameIds::with_capacity(4);
        let added = [("件1", 0), ("件2", 1), ("件1", 2), ("件3", 3), ("件1", 4)];
        let mut pairs = Vec::new();
        for (name, i) in added {
            let k = names.id(name);
            assert!(k.is_some(), "{name}");
            pairs.push((k.unwrap_or_default(), (i, day(1 + i as u32))));
        }
        let flat = Flat::of(names.ids, &pairs);
        assert!(flat.is_some());
        let Some(flat) = flat else { return };
        let of = |n: &str| -> Vec<usize> {
            flat.get(&name_key(n))
                .map(|p| p.iter().collect())
                .unwrap_or_default()
        };
        assert_eq!(of("件1"), vec![0, 2, 4]);
        assert_eq!(of("件2"), vec![1]);
        assert_eq!(of("件3"), vec![3]);
        assert!(of("件4").is_empty());
        let dated: Vec<usize> = flat
            .get(&name_key("件1"))
            .map(|p| p.dated(day(2), day(4)).collect())
            .unwrap_or_default();
        assert_eq!(dated, vec![2]);
    }

    /// Two names with one key: the second is refused (the caller then
    /// keeps its lists by name).
    #[test]
    fn a_shared_key_is_refused() {
        let mut names = NameIds::with_capacity(2);
        assert_eq!(names.id("甲"), Some(0));
        // Another name under 甲's key, as a collision would put it.
        names.names.clear();
        names.names.push("乙");
        assert_eq!(names.id("甲"), None);
        // Generated titles all have keys of their own.
        let mut keys: Vec<u64> = (1..100_000).map(|n| name_key(&format!("件{n}"))).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 99_999);
    }
}
