//! Synthetic event logs for benchmarks and tests (`guize gen`): a year of
//! a government's business under a ruleset, as JSON Lines records that
//! `guize audit` reads, deterministic for a seed.
//!
//! Each step instantiates one rule: its trigger (a meeting, a document, a
//! trip) and, for 响应 and 先行, what it asks for, done on time; with the
//! fault rate the obligation is broken instead (the response is late or
//! missing, the precedent missing, the actor without authority, the
//! forbidden circumstance present, the meeting short of its quorum). The
//! count of such injected faults is reported; the audit's violations are
//! more, since a generated event can fall under rules other than the one it
//! was made for.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::rc::Rc;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};

use crate::calendar::Calendar;
use crate::compile::ir::{Actor, Pattern, Ruleset, TargetSpec};
use crate::syntax::ast::{Role, TimeUnit, Verb};

#[derive(Debug, Clone, Copy)]
pub struct GenOptions {
    /// Events to write (records for people and units come on top).
    pub events: usize,
    pub seed: u64,
    /// The year; None: the first year the calendar covers that is wholly
    /// in force, else the 施行 year if covered, else the first covered.
    pub year: Option<i32>,
    /// Share of rule instances generated broken, 0.0–1.0.
    pub fault_rate: f64,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            events: 10_000,
            seed: 1,
            year: None,
            fault_rate: 0.1,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct GenStats {
    pub events: usize,
    pub records: usize,
    /// Rule instances generated broken.
    pub faults: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// xorshift64*: small, fast and the same on every platform.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        // 53 random bits as a fraction in [0, 1).
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        xs.get(self.below(xs.len()))
    }
}

pub(crate) struct Person {
    pub(crate) name: String,
    positions: Vec<usize>,
    area: String,
}

/// Holders (or, with `true`, non-holders) of a set of positions.
type PeopleKey = (bool, Vec<usize>);

/// The generator's state while it writes a log: patterns make their
/// events through it (see [`PatternRule::generate`](crate::check::PatternRule::generate)).
pub struct Gen<'r> {
    rs: &'r Ruleset,
    year: i32,
    /// The day being generated: nothing may be dated before it (lines
    /// before it are written already).
    today: NaiveDate,
    cal: Option<&'r Calendar>,
    pub(crate) rng: Rng,
    pub(crate) people: Vec<Person>,
    /// Holders of each position.
    holders: Vec<Vec<usize>>,
    /// Each person's index by name.
    by_name: HashMap<String, usize>,
    /// `holding` and `outsider`'s people per set of positions (the people
    /// are fixed once written; a scan per event made `gen` quadratic, as
    /// a bigger log has more people).
    holding_cache: RefCell<HashMap<PeopleKey, Rc<[usize]>>>,
    /// Lines waiting for their date.
    pending: BTreeMap<NaiveDate, Vec<Value>>,
    serial: usize,
    /// Faults injected so far.
    pub(crate) faults: usize,
    /// The share of rule instances generated broken (`--fault-rate`).
    pub(crate) fault_rate: f64,
}

/// Who may fill an event's slots (actor, convener, chair), as the 权限
/// rules that apply to it say; None: anyone.
pub type Slots = [Option<Vec<String>>; 3];

/// An event made for one rule that other rules may fall under: where and
/// by whom, so that each can be met on time ([`PatternRule::meet`](crate::check::PatternRule::meet)).
pub struct Made<'a> {
    pub event: &'a Value,
    /// The document or matter it is about.
    pub object: &'a str,
    /// Its actor, when a generated person.
    pub actor: Option<usize>,
    /// The day it is dated.
    pub at: NaiveDate,
    /// How many steps down from a rule's own instance.
    pub depth: u8,
}

/// Refuse options that cannot give the log asked for: a fault rate outside
/// 0–1, a year the ruleset's calendar does not cover.
pub fn validate(rs: &Ruleset, opts: &GenOptions) -> Result<(), crate::diag::Diag> {
    use crate::diag::{Diag, code};
    if !(0.0..=1.0).contains(&opts.fault_rate) {
        return Err(Diag::error(
            code::UNIT_INVALID,
            Default::default(),
            format!("--fault-rate {} 不在 0 到 1 之间", opts.fault_rate),
        )
        .help("写作小数，如 0.1 表示一成"));
    }
    if let Some(y) = opts.year {
        let cal: &Calendar = &rs.calendar;
        let covered = NaiveDate::from_ymd_opt(y, 1, 1)
            .zip(NaiveDate::from_ymd_opt(y, 12, 31))
            .is_some_and(|(a, z)| cal.covers(a).is_ok() && cal.covers(z).is_ok());
        if !covered {
            return Err(Diag::error(
                code::CALENDAR_OUT_OF_RANGE,
                Default::default(),
                format!("日历“{}”不覆盖 {y} 年", rs.calendar.display_name()),
            )
            .help("换一个日历覆盖的年份，或不写 --year（默认取施行年份或日历覆盖的第一年）"));
        }
    }
    Ok(())
}

/// Write a generated log to `w`.
pub fn generate(rs: &Ruleset, opts: GenOptions, w: &mut dyn Write) -> io::Result<GenStats> {
    let cal: Option<&Calendar> = Some(&rs.calendar);
    let covered = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .zip(NaiveDate::from_ymd_opt(y, 12, 31))
            .is_some_and(|(a, z)| cal.is_none_or(|c| c.covers(a).is_ok() && c.covers(z).is_ok()))
    };
    let year = opts
        .year
        // The first covered year wholly in force (events before 施行 are
        // not judged), else the year it came into force.
        .or_else(|| {
            let from = rs.effective?;
            (from.year()..=from.year() + 5)
                .find(|y| {
                    covered(*y) && NaiveDate::from_ymd_opt(*y, 1, 1).is_some_and(|d| d >= from)
                })
                .or_else(|| Some(from.year()).filter(|y| covered(*y)))
        })
        .or_else(|| (2020..=2030).find(|y| covered(*y)))
        .unwrap_or(2023);
    let mut g = Gen {
        rs,
        year,
        today: NaiveDate::MIN,
        cal,
        rng: Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        people: Vec::new(),
        holders: vec![Vec::new(); rs.positions.names.len()],
        by_name: HashMap::new(),
        holding_cache: RefCell::new(HashMap::new()),
        pending: BTreeMap::new(),
        serial: 0,
        faults: 0,
        fault_rate: opts.fault_rate,
    };
    let mut stats = GenStats::default();
    // Two holders per position (one for the highest posts); a bigger log is
    // a bigger government: one more holder per 20,000 events.
    let extra = opts.events / 20_000;
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    for (pos, name) in rs.positions.names.iter().enumerate() {
        let n = if pos < 2 { 1 } else { 2 + extra };
        for k in 0..n {
            let id = g.people.len();
            let surname = SURNAMES.get(id % SURNAMES.len()).copied().unwrap_or("王");
            let person = Person {
                name: format!(
                    "{surname}{}{}",
                    id + 1,
                    ["甲", "乙", "丙"].get(k).copied().unwrap_or("丙")
                ),
                positions: vec![pos],
                area: format!("领域{}", id % 7 + 1),
            };
            let rec = json!({"person": {"name": person.name, "positions": [name], "areas": [person.area]}});
            writeln!(w, "{rec}")?;
            stats.records += 1;
            if let Some(h) = g.holders.get_mut(pos) {
                h.push(id);
            }
            g.by_name.insert(person.name.clone(), id);
            g.people.push(person);
        }
    }
    let rules: Vec<usize> = rs
        .rules
        .iter()
        .filter(|r| r.kind.pattern().generates_instances())
        .map(|r| r.id)
        .collect();
    let days: Vec<NaiveDate> = (0..366)
        .filter_map(|i| NaiveDate::from_ymd_opt(year, 1, 1)?.checked_add_days(Days::new(i)))
        .filter(|d| d.year() == year)
        .filter(|d| g.cal.is_none_or(|c| c.is_working_day(*d).unwrap_or(false)))
        // Leave room for deadlines before the year ends.
        .take_while(|d| d.month() < 12 || d.day() < 10)
        .collect();
    let per_day = opts.events.div_ceil(days.len().max(1)).max(1);
    let mut written = 0;
    'days: for d in &days {
        // Lines due before today go out first (the log is in date order).
        let due: Vec<NaiveDate> = g.pending.range(..*d).map(|(k, _)| *k).collect();
        for k in due {
            for v in g.pending.remove(&k).unwrap_or_default() {
                if written >= opts.events {
                    break 'days;
                }
                writeln!(w, "{v}")?;
                written += 1;
                stats.first.get_or_insert(k);
                stats.last = Some(k);
            }
        }
        g.today = *d;
        let mut today = g.periodic(*d, &days);
        while today < per_day && written + g.pending_len() < opts.events {
            let Some(rule) = g.rng.pick(&rules).copied() else {
                break;
            };
            let faulty = g.rng.chance(opts.fault_rate);
            today += g.instance(rule, *d, faulty);
        }
    }
    for (k, vs) in std::mem::take(&mut g.pending) {
        for v in vs {
            if written >= opts.events {
                break;
            }
            writeln!(w, "{v}")?;
            written += 1;
            stats.first.get_or_insert(k);
            stats.last = Some(k);
        }
    }
    stats.events = written;
    stats.records += written;
    stats.faults = g.faults;
    Ok(stats)
}

impl<'r> Gen<'r> {
    fn pending_len(&self) -> usize {
        self.pending.values().map(Vec::len).sum()
    }

    pub(crate) fn emit(&mut self, d: NaiveDate, mut ev: Value) {
        // A precedent a lead would put in the past comes today (late).
        let d = d.max(self.today);
        // Past the year (a late answer in December): not recorded, so the
        // log stays inside the calendar.
        if d.year() != self.year {
            return;
        }
        if let Some(o) = ev.as_object_mut() {
            o.insert("date".into(), json!(d.to_string()));
        }
        // Two rules wanting the same act of the same day write it once:
        // the audit refuses a repeated line (guize::audit::duplicate).
        let line = json!({ "event": ev });
        let day = self.pending.entry(d).or_default();
        if !day.contains(&line) {
            day.push(line);
        }
    }

    /// The ruleset the log is written for.
    pub(crate) fn ruleset(&self) -> &'r Ruleset {
        self.rs
    }

    pub(crate) fn next_serial(&mut self) -> usize {
        self.serial += 1;
        self.serial
    }

    /// Someone holding one of the positions, or anyone.
    pub(crate) fn holder(&mut self, positions: &[usize]) -> Option<usize> {
        // As picking from the holders listed one position after another,
        // without listing them.
        let total: usize = positions
            .iter()
            .map(|p| self.holders.get(*p).map_or(0, Vec::len))
            .sum();
        if total == 0 {
            let n = self.people.len();
            let i = self.rng.below(n);
            return (i < n).then_some(i);
        }
        let mut i = self.rng.below(total);
        for p in positions {
            let hs = self.holders.get(*p).map_or(&[][..], Vec::as_slice);
            match hs.get(i) {
                Some(h) => return Some(*h),
                None => i -= hs.len(),
            }
        }
        None
    }

    /// The people holding one of the positions (or one that 属于 them),
    /// or with `outside`, those holding none; in the order declared.
    fn people_by(&self, outside: bool, positions: &[usize]) -> Rc<[usize]> {
        let key = (outside, positions.to_vec());
        if let Some(found) = self.holding_cache.borrow().get(&key) {
            return Rc::clone(found);
        }
        let rs = self.rs;
        let found: Rc<[usize]> = (0..self.people.len())
            .filter(|i| {
                self.people.get(*i).is_some_and(|p| {
                    outside
                        != p.positions
                            .iter()
                            .any(|h| positions.iter().any(|w| rs.position_is(*h, *w)))
                })
            })
            .collect();
        self.holding_cache
            .borrow_mut()
            .insert(key, Rc::clone(&found));
        found
    }

    /// Everyone holding one of the positions, or one that 属于 them.
    pub(crate) fn holding(&self, positions: &[usize]) -> Rc<[usize]> {
        self.people_by(false, positions)
    }

    /// Someone holding none of the positions.
    pub(crate) fn outsider(&mut self, positions: &[usize]) -> Option<usize> {
        let out = self.people_by(true, positions);
        self.rng.pick(&out).copied()
    }

    /// A person's index by name.
    pub(crate) fn person(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub(crate) fn name(&self, p: usize) -> String {
        self.people
            .get(p)
            .map_or_else(String::new, |x| x.name.clone())
    }

    pub(crate) fn add_days(&self, d: NaiveDate, unit: TimeUnit, n: u32) -> NaiveDate {
        self.shift(d, unit, n, true)
    }

    pub(crate) fn sub_days(&self, d: NaiveDate, unit: TimeUnit, n: u32) -> NaiveDate {
        self.shift(d, unit, n, false)
    }

    /// `d` moved `n` working days or days forward or back (unchanged when
    /// that leaves the calendar).
    fn shift(&self, d: NaiveDate, unit: TimeUnit, n: u32, forward: bool) -> NaiveDate {
        let days = Days::new(u64::from(n));
        let moved = match (unit, forward) {
            (TimeUnit::WorkingDay, true) => self.cal.and_then(|c| c.add_working_days(d, n).ok()),
            (TimeUnit::WorkingDay, false) => self.cal.and_then(|c| c.sub_working_days(d, n).ok()),
            (TimeUnit::Day, true) => d.checked_add_days(days),
            (TimeUnit::Day, false) => d.checked_sub_days(days),
        };
        moved.unwrap_or(d)
    }

    /// An event matching a pattern (verbs, actor, kinds, targets, 情形).
    pub(crate) fn event(&mut self, p: &Pattern, object: &str, actor: Option<usize>) -> Value {
        let rs = self.rs;
        let forced = actor.is_some();
        let verb = self.rng.pick(&p.verbs).copied().unwrap_or(Verb::Sign);
        let verb = if verb == Verb::Trip {
            Verb::BusinessTrip
        } else {
            verb
        };
        let mut area = None;
        let actor: Option<String> = match actor {
            Some(a) => Some(self.name(a)),
            None => match self.rng.pick(&p.actors).cloned() {
                Some(Actor::Position(pos)) => self.holder(&[pos]).map(|a| self.name(a)),
                Some(Actor::Delegated { principal, .. }) => {
                    self.holder(&[principal]).map(|a| self.name(a))
                }
                Some(Actor::Unit(u)) => Some(u),
                Some(Actor::Role(Role::AreaLeader)) => self.holder(&[]).map(|a| {
                    area = self.people.get(a).map(|x| x.area.clone());
                    self.name(a)
                }),
                Some(Actor::Role(_)) | None => self.holder(&[]).map(|a| self.name(a)),
            },
        };
        let mut ev = json!({ "verb": verb.word(), "object": object });
        let o = ev.as_object_mut();
        let Some(o) = o else { return ev };
        if let Some(a) = actor {
            o.insert("actor".into(), json!(a));
        }
        if let Some(a) = area {
            o.insert("area".into(), json!(a));
        }
        let meeting = p
            .scope
            .meeting_kinds
            .first()
            .copied()
            .or_else(|| (verb == Verb::Convene).then_some(0));
        if verb == Verb::Convene || verb == Verb::Absent {
            if let Some(m) = meeting.and_then(|k| rs.meetings.get(k)) {
                o.insert("kind".into(), json!(m.name));
            }
        } else if let Some(k) = p
            .scope
            .document_kinds
            .first()
            .and_then(|k| rs.documents.get(*k))
        {
            o.insert("kind".into(), json!(k.name));
        }
        let mut targets = Vec::new();
        for t in &p.scope.targets {
            match t {
                TargetSpec::Position(pos) | TargetSpec::Attending(pos) => {
                    if let Some(h) = self.holder(&[*pos]) {
                        targets.push(self.name(h));
                    }
                }
                TargetSpec::Unit(u) => targets.push(u.clone()),
                TargetSpec::Role(_) => {}
            }
        }
        if !targets.is_empty() {
            o.insert("targets".into(), json!(targets));
        }
        if !p.scope.tags.is_empty() {
            o.insert("tags".into(), json!(p.scope.tags));
        }
        if p.scope.leaves_county {
            o.insert("leaves_county".into(), json!(true));
        }
        self.authorised(&mut ev, forced);
        ev
    }

    /// Who may do what, as the 权限 rules say: the actor (unless `forced`),
    /// the convener and the chair of a generated event are chosen among the
    /// holders every applicable rule accepts; a meeting gets a quorum.
    fn authorised(&mut self, ev: &mut Value, forced: bool) {
        let rs = self.rs;
        // Names each slot (actor, convener, chair) may take.
        let mut allowed: Slots = [None, None, None];
        for rule in &rs.rules {
            rule.kind.pattern().allow(self, ev, &mut allowed);
        }
        let [actor, convener, chair] = allowed;
        let picks = [
            (actor.filter(|_| !forced), "actor"),
            (convener, "convener"),
            (chair, "chair"),
        ];
        for (who, key) in picks {
            if let Some(name) = who.and_then(|w| self.rng.pick(&w).cloned())
                && let Some(o) = ev.as_object_mut()
            {
                o.insert(key.into(), json!(name));
            }
        }
        if let Some(o) = ev.as_object_mut()
            && o.get("verb").and_then(Value::as_str) == Some("召开")
            && !o.contains_key("expected_count")
        {
            o.insert("expected_count".into(), json!(20));
            o.insert("present_count".into(), json!(15));
        }
    }

    /// 频次 rules: on the first working day of each period, what the period
    /// asks for (at least `min` events per person counted), or nothing
    /// for an injected fault.
    fn periodic(&mut self, d: NaiveDate, days: &[NaiveDate]) -> usize {
        let rs = self.rs;
        let mut made = 0;
        for rule in &rs.rules {
            made += rule.kind.pattern().periodic(self, d, days);
        }
        made
    }

    /// Could a generated event fall under this trigger pattern? Verb, kind,
    /// 情形 and 离县 are compared; actors and targets are not (a rule met
    /// needlessly does no harm).
    pub(crate) fn could_trigger(&self, p: &Pattern, t: &Value) -> bool {
        let rs = self.rs;
        let verb = t
            .get("verb")
            .and_then(Value::as_str)
            .and_then(Verb::from_word);
        let kind = t.get("kind").and_then(Value::as_str);
        let tags: Vec<&str> = t
            .get("tags")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let leaves = t.get("leaves_county").and_then(Value::as_bool) == Some(true);
        let Some(verb) = verb else { return false };
        let doc = kind.and_then(|k| rs.document_names.get(k));
        let meeting = kind.and_then(|k| rs.meeting_names.get(k));
        p.verbs.iter().any(|v| v.matches(verb))
            && (p.scope.document_kinds.is_empty()
                || doc
                    .is_some_and(|k| p.scope.document_kinds.iter().any(|w| rs.document_is(k, *w))))
            && (p.scope.meeting_kinds.is_empty()
                || meeting
                    .is_some_and(|k| p.scope.meeting_kinds.iter().any(|w| rs.meeting_is(k, *w))))
            && (p.scope.tags.is_empty() || tags.iter().any(|t| p.scope.tags.iter().any(|x| x == t)))
            && (!p.scope.leaves_county || leaves)
            && p.scope.basis_meeting_kinds.is_empty()
    }

    /// The trigger's date moved so that every 先行 rule it falls under can
    /// have its precedent on or after `d` (the log is written in order).
    pub(crate) fn lead_room(&self, chosen: usize, t: &Value, d: NaiveDate) -> NaiveDate {
        let mut at = d;
        for rule in &self.rs.rules {
            if rule.id != chosen
                && let Some(l) = rule.kind.pattern().lead(self, t)
            {
                at = at.max(self.add_days(d, l.unit, l.amount));
            }
        }
        at
    }

    /// The other 响应 and 先行 rules a generated trigger falls under, met on
    /// time, so that violations come from injected faults rather than from
    /// rules the step was not made for. Returns the events made.
    pub(crate) fn siblings(&mut self, chosen: usize, t: &Value, at: NaiveDate, depth: u8) -> usize {
        // What a response or precedent itself triggers, one level down.
        if depth > 1 {
            return 0;
        }
        let rs = self.rs;
        let object = t
            .get("object")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let actor = t.get("actor").cloned();
        let who = actor
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|a| self.person(a));
        let made_for = Made {
            event: t,
            object: &object,
            actor: who,
            at,
            depth,
        };
        let mut made = 0;
        for rule in &rs.rules {
            if rule.id == chosen {
                continue;
            }
            made += rule.kind.pattern().meet(self, &made_for);
        }
        made
    }

    /// The response(s) a trigger asks for, on `when`: a reply comes from
    /// each addressee (回复 to 征求意见 sent to two bureaus), any other
    /// response from the trigger's actor unless the rule names who.
    pub(crate) fn respond(
        &mut self,
        response: &Pattern,
        t: &Value,
        object: &str,
        when: NaiveDate,
        depth: u8,
    ) -> usize {
        let replying = response.answers();
        let targets: Vec<Value> = t
            .get("targets")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let who: Vec<Option<Value>> = if replying && !targets.is_empty() {
            targets.into_iter().map(Some).collect()
        } else if response.actors.is_empty() {
            vec![t.get("actor").cloned()]
        } else {
            vec![None]
        };
        let mut made = 0;
        for a in who {
            let mut r = self.event(response, object, None);
            self.same_document(t, &mut r);
            if let (Some(o), Some(a)) = (r.as_object_mut(), a) {
                o.insert("actor".into(), a);
            }
            made += 1 + self.siblings(usize::MAX, &r, when, depth);
            self.emit(when, r);
        }
        made
    }

    /// A response or precedent about the trigger's document is about a
    /// document of the same kind (the checker learns kinds the same way).
    fn same_document(&self, t: &Value, e: &mut Value) {
        let kind = t
            .get("kind")
            .and_then(Value::as_str)
            .filter(|k| self.rs.document_names.get(k).is_some());
        if let (Some(k), Some(o)) = (kind, e.as_object_mut())
            && !o.contains_key("kind")
            && o.get("verb").and_then(Value::as_str) != Some("召开")
        {
            o.insert("kind".into(), json!(k));
        }
    }

    /// The precedent a trigger asks for: the same person's (leave, a
    /// report, before a trip), else by whom the rule names.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn precede(
        &mut self,
        t: &Value,
        trigger: &Pattern,
        precedent: &Pattern,
        object: &str,
        who: Option<usize>,
        at: NaiveDate,
        depth: u8,
    ) -> usize {
        let by = if Pattern::personal_precedent(trigger, precedent) {
            who
        } else {
            None
        };
        let mut pre = self.event(precedent, object, by);
        self.same_document(t, &mut pre);
        let made = 1 + self.siblings(usize::MAX, &pre, at, depth);
        self.emit(at, pre);
        made
    }

    /// Emit an event no rule instance was made for (a 频次 event, an
    /// authority or quorum instance), with what the 先行 and 响应 rules it
    /// falls under ask, moved later when a lead needs room. Returns the
    /// events made.
    pub(crate) fn emit_with_siblings(&mut self, d: NaiveDate, e: Value) -> usize {
        let at = self.lead_room(usize::MAX, &e, d);
        let made = self.siblings(usize::MAX, &e, at, 0);
        self.emit(at, e);
        made + 1
    }

    /// One instance of a rule from `d`; returns the events made.
    fn instance(&mut self, rule: usize, d: NaiveDate, faulty: bool) -> usize {
        let rs = self.rs;
        let Some(rule) = rs.rules.get(rule) else {
            return 0;
        };
        let n = self.next_serial();
        let object = format!("件{n}");
        rule.kind.pattern().generate(self, rule, &object, d, faulty)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Who holds what is worked out once per set of positions, not by a
    /// scan of every person per event (a 10⁶-event log has 50 times the
    /// people of a 20,000-event one: `gen` took ~3 minutes, now ~23 s).
    #[test]
    fn holders_are_looked_up_not_scanned() {
        let mut project = crate::Project::default();
        let text = include_str!("../rulesets/qianan-2022.guize");
        project
            .add_source(&crate::diag::Source::new("qianan.guize", text))
            .unwrap();
        let rs = project.rulesets.first().unwrap();
        let mut g = Gen {
            rs,
            year: 2023,
            today: NaiveDate::MIN,
            cal: None,
            rng: Rng(1),
            people: Vec::new(),
            holders: vec![Vec::new(); rs.positions.names.len()],
            by_name: HashMap::new(),
            holding_cache: RefCell::new(HashMap::new()),
            pending: BTreeMap::new(),
            serial: 0,
            faults: 0,
            fault_rate: 0.1,
        };
        for id in 0..5_000 {
            let pos = id % rs.positions.names.len();
            let name = format!("人{id}");
            g.by_name.insert(name.clone(), id);
            g.holders.get_mut(pos).unwrap().push(id);
            g.people.push(Person {
                name,
                positions: vec![pos],
                area: String::new(),
            });
        }
        let a = g.holding(&[2]);
        let b = g.holding(&[2]);
        assert!(Rc::ptr_eq(&a, &b), "the second lookup scanned again");
        assert!(a.contains(&2));
        assert_eq!(g.person("人4999"), Some(4_999));
        // A holder is one of the position's holders, picked without
        // listing them all.
        let h = g.holder(&[2, 3]).unwrap();
        assert!(h % rs.positions.names.len() == 2 || h % rs.positions.names.len() == 3);
        assert!(!g.outsider(&[2]).is_some_and(|p| a.contains(&p)));
    }
}
