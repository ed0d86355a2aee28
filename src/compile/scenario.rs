//! Scenario resolution against one compiled ruleset: people, units,
//! delegations and events get ids; every name is checked.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use super::ir::*;
use super::names::{NameTable, Titles, title_key, unknown};
use super::words;
use crate::diag::{Diag, Source, code};
use crate::syntax::ast::{self, Action, Name, Span, Verb};

/// Resolve a scenario against a ruleset. Names the ruleset does not know
/// (positions, meeting and document kinds) are errors with suggestions.
pub fn compile_scenario(
    rs: &Ruleset,
    sc: &ast::Scenario,
    source: &Source,
) -> Result<Scenario, Vec<Diag>> {
    let mut r = Resolver {
        rs,
        errors: Vec::new(),
        people: NameTable::default(),
        how_to_declare: DECLARE_IN_SCENARIO,
        titles: Default::default(),
    };
    let out = r.scenario(sc, source);
    if r.errors.is_empty() {
        Ok(out)
    } else {
        Err(r.errors.into_iter().map(|d| d.in_source(source)).collect())
    }
}

/// A log's records resolved one at a time (`guize audit`): people, units
/// and delegations accumulate in `base`; each event is resolved against the
/// records before it. A record with an error changes nothing.
pub struct LogResolver<'a> {
    r: Resolver<'a>,
    /// People, units and delegations so far; no events.
    pub base: Scenario,
    /// The log line of each person's declaration.
    person_lines: Vec<usize>,
}

impl<'a> LogResolver<'a> {
    pub fn new(rs: &'a Ruleset, name: &str) -> LogResolver<'a> {
        LogResolver {
            r: Resolver {
                rs,
                errors: Vec::new(),
                people: NameTable::default(),
                how_to_declare: DECLARE_IN_LOG,
                titles: Default::default(),
            },
            base: Scenario {
                name: name.to_string(),
                source: Source::new(name, ""),
                basis: vec![rs.name.clone()],
                cutoff: None,
                window: None,
                people: Vec::new(),
                units: rs.units.clone(),
                unit_classes: std::collections::BTreeMap::new(),
                delegations: Vec::new(),
                events: Vec::new(),
                expectations: Expectations {
                    given: false,
                    violated: BTreeSet::new(),
                    excepted: None,
                    pending: None,
                    span: Span::default(),
                },
                span: Span::default(),
            },
            person_lines: Vec::new(),
        }
    }

    fn take_errors(&mut self, source: &Source) -> Result<(), Vec<Diag>> {
        if self.r.errors.is_empty() {
            Ok(())
        } else {
            Err(std::mem::take(&mut self.r.errors)
                .into_iter()
                .map(|d| d.in_source(source))
                .collect())
        }
    }

    /// A person record of a log: a declaration, or a change on a day (of
    /// a person declared before or not). The person's id.
    pub fn person(&mut self, p: &ast::PersonDecl, source: &Source) -> Result<PersonId, Vec<Diag>> {
        // A name that is a unit cannot be a person too: every event naming
        // it would be read as one of them by a guess.
        if self.base.units.contains(&p.name.node) {
            return Err(vec![person_is_unit(&p.name, None).in_source(source)]);
        }
        if p.date.is_some() {
            let known = self.base.people.len();
            let mut people = std::mem::take(&mut self.base.people);
            self.r.person_change(&mut people, p);
            self.base.people = people;
            self.take_errors(source)?;
            if self.base.people.len() > known {
                self.person_lines.push(source.line(0));
            }
            return self
                .r
                .people
                .get(&p.name.node)
                .ok_or_else(|| vec![internal("人员变动后找不到此人", source)]);
        }
        // The first declaration is on another line (another source): say
        // which, rather than point into this one.
        if let Some(first) = self.r.people.get(&p.name.node) {
            let line = self.person_lines.get(first).copied().unwrap_or(0);
            return Err(vec![
                Diag::error(
                    code::NAME_DUPLICATE,
                    p.name.span,
                    format!("人员“{}”重复声明（第一次在第{line}行）", p.name.node),
                )
                .label("又声明了一次")
                .help("每人只声明一次；一人兼任多个职务时写在同一条记录的 positions 中")
                .in_source(source),
            ]);
        }
        // Positions first: a rejected record must not take the name.
        for n in &p.positions {
            self.r.position(n);
        }
        self.take_errors(source)?;
        let person = self.r.person_decl(p);
        self.take_errors(source)?;
        match person {
            Some(person) => {
                self.base.people.push(person);
                self.person_lines.push(source.line(0));
                Ok(self.base.people.len() - 1)
            }
            None => Err(vec![internal("人员未能声明，也未报错", source)]),
        }
    }

    pub fn revocation(&mut self, r: &ast::Revocation, source: &Source) -> Result<(), Vec<Diag>> {
        let mut delegations = std::mem::take(&mut self.base.delegations);
        self.r.revoke(r, &mut delegations);
        self.base.delegations = delegations;
        self.take_errors(source)
    }

    pub fn unit(&mut self, name: &Name, source: &Source) -> Result<(), Vec<Diag>> {
        if self.r.people.get(&name.node).is_some() {
            return Err(vec![person_is_unit(name, None).in_source(source)]);
        }
        self.base.units.insert(name.node.clone());
        Ok(())
    }

    pub fn delegation(&mut self, d: &ast::Delegation, source: &Source) -> Result<(), Vec<Diag>> {
        let d = self.r.delegation(d);
        self.take_errors(source)?;
        self.base.delegations.extend(d);
        Ok(())
    }

    /// Resolve an event (its index and line are the caller's to set).
    pub fn event(&mut self, e: &ast::Event, source: &Source) -> Result<EventIr, Vec<Diag>> {
        let units = std::mem::take(&mut self.base.units);
        let ev = self.r.event(e, &units, source);
        self.base.units = units;
        self.take_errors(source)?;
        ev.ok_or_else(Vec::new)
    }
}

impl LogResolver<'_> {
    /// How many titles the log's events share (the audit bounds it).
    pub fn titles_len(&self) -> usize {
        self.r.titles.borrow().len()
    }

    /// Forget the titles no event holds any more.
    pub fn prune_titles(&mut self) {
        self.r.titles.get_mut().prune();
    }

    /// An event read borrowing from its log line, resolved straight from
    /// the line's slices when it holds no mistake: the same event
    /// [`LogResolver::event`] makes of the record (names trimmed, titles
    /// keyed, the line as its text), without the syntax tree between.
    /// None at the first thing that would be an error (or anything
    /// unusual): the caller then reads the record the ordinary way, which
    /// reports it.
    pub(crate) fn event_line(
        &self,
        e: &crate::json::EventLine<'_>,
        text: &str,
        line: usize,
    ) -> Option<EventIr> {
        let r = &self.r;
        let rs = r.rs;
        let units = &self.base.units;
        let person = |n: &str| r.people.get(trim(n));
        let party = |n: &str| -> Option<Party> {
            let n = trim(n);
            match r.people.get(n) {
                Some(id) => Some(Party::Person(id)),
                None if units.contains(n) => Some(Party::Unit(n.to_string())),
                None => None,
            }
        };
        let date = |s: &str| crate::datecalc::parse_date(s);
        // Most lists are absent: no collecting through Option then.
        let people = |v: &[&str]| -> Option<Vec<PersonId>> {
            match v {
                [] => Some(Vec::new()),
                _ => v.iter().map(|n| person(n)).collect(),
            }
        };
        if trim(e.verb).is_empty() {
            return None;
        }
        let verb = Verb::from_any_word(e.verb);
        if let Verb::Declared(w) = verb
            && !rs.verbs.contains(&w)
        {
            return None;
        }
        let day = date(e.date)?;
        // meeting_facts: attendance consistent, counts sensible.
        if e.present
            .iter()
            .any(|p| e.absent.iter().any(|a| trim(a) == trim(p)))
        {
            return None;
        }
        if let Some(due) = e.expected_count
            && (due == 0 || e.present_count.is_some_and(|p| p > due))
        {
            return None;
        }
        let actor = match e.actor {
            Some(n) => Some(party(n)?),
            None => None,
        };
        let targets: Vec<Party> = match e.targets.as_slice() {
            [] => Vec::new(),
            v => v.iter().map(|n| party(n)).collect::<Option<_>>()?,
        };
        let (mut meeting_kind, mut document_kind) = (None, None);
        match (e.kind.map(trim), verb) {
            (Some(k), Verb::Convene | Verb::Absent) => {
                meeting_kind = Some(rs.meeting_names.get(k)?)
            }
            (None, Verb::Convene) => return None,
            (Some(_), v) if v.is_trip() || v == Verb::Leave => return None,
            (Some(k), Verb::Declared(_))
                if rs.document_names.get(k).is_none() && rs.meeting_names.get(k).is_some() =>
            {
                meeting_kind = rs.meeting_names.get(k)
            }
            (Some(k), _) => document_kind = Some(rs.document_names.get(k)?),
            (None, _) => {}
        }
        let period = match e.period {
            Some([a, z]) => {
                let (a, z) = (date(a)?, date(z)?);
                if z < a {
                    return None;
                }
                Some((a, z))
            }
            None => None,
        };
        let approver = match e.approved_by {
            Some(p) => Some(party(p)?),
            None => None,
        };
        let special = e.special.is_some();
        let written = match (e.special.map(trim), e.approved_by.map(trim)) {
            (Some(t), Some(p)) => Some(format!("特殊情况：{t}，经{p}批准")),
            (Some(t), None) => Some(format!("特殊情况：{t}")),
            (None, Some(p)) => Some(format!("经{p}批准")),
            (None, None) => None,
        };
        let justification = written.map(|words| {
            Box::new(Justification {
                text: words,
                approver,
                special,
                span: Span::new(0, text.len()),
            })
        });
        let handler = match e.handler {
            Some(n) => Some(party(n)?),
            None => None,
        };
        let convener = match e.convener {
            Some(n) => Some(person(n)?),
            None => None,
        };
        let chair = match e.chair {
            Some(n) => Some(person(n)?),
            None => None,
        };
        let due = match e.due {
            Some(d) => Some(date(d)?),
            None => None,
        };
        Some(EventIr {
            index: 0,
            date: day,
            verb,
            actor,
            targets,
            meeting_kind,
            document_kind,
            object: e.object.map(|o| r.titles.borrow_mut().get(trim(o))),
            convener,
            chair,
            present: people(&e.present)?,
            absent: people(&e.absent)?,
            attendees: people(&e.attendees)?,
            place: e.place.map(|p| trim(p).to_string()),
            decided: e.decided.iter().map(|d| title_key(trim(d))).collect(),
            basis: e.basis.map(|b| r.titles.borrow_mut().get(trim(b))),
            area: e.area.map(|a| r.titles.borrow_mut().word(trim(a))),
            period,
            tags: {
                let mut words = r.titles.borrow_mut();
                e.tags.iter().map(|t| words.word(trim(t))).collect()
            },
            justification,
            handler,
            due,
            leaves_county: e.leaves_county,
            expected_count: e.expected_count,
            present_count: e.present_count,
            text: one_spaced(text),
            line,
            span: Span::new(0, text.len()),
        })
    }
}

/// A document's facts written once — its 领域, its 情形 (特急, 资金安排, …)
/// and its 依据 (the meeting a 纪要 records) — apply to every later event
/// about it, as its kind does. Events in date order; meetings, trips and
/// leave have no document facts. A 情形 the ruleset declares 不沿用 (合法性审查:
/// what one review was) stays on the event that records it.
#[derive(Debug, Default)]
pub struct DocumentFacts {
    by_title: crate::check::FxMap<Arc<str>, Facts>,
}

/// A document's 领域, 情形 and 依据, shared with its events.
type Facts = (Option<Arc<str>>, Vec<Arc<str>>, Option<Arc<str>>);

impl DocumentFacts {
    pub fn carry(&mut self, e: &mut EventIr, act_tags: &[crate::syntax::ast::Name]) {
        let of_document = |t: &Arc<str>| !act_tags.iter().any(|a| a.node.trim() == t.as_ref());
        if matches!(e.verb, Verb::Convene | Verb::Absent | Verb::Leave) || e.verb.is_trip() {
            return;
        }
        let Some(title) = &e.object else { return };
        // One lookup for a document known already.
        if let Some((area, tags, basis)) = self.by_title.get_mut(title.as_ref()) {
            match (&e.area, &area) {
                (None, Some(a)) => e.area = Some(a.clone()),
                (Some(a), None) => *area = Some(a.clone()),
                _ => {}
            }
            match (&e.basis, &basis) {
                (None, Some(b)) => e.basis = Some(b.clone()),
                (Some(b), None) => *basis = Some(b.clone()),
                _ => {}
            }
            if e.tags.is_empty() {
                // Most later events name no 情形: they take the document's
                // as they are (one allocation, not a push per tag).
                e.tags = tags.clone();
                return;
            }
            for t in tags.iter() {
                if !e.tags.contains(t) {
                    e.tags.push(t.clone());
                }
            }
            for t in &e.tags {
                if !tags.contains(t) && of_document(t) {
                    tags.push(t.clone());
                }
            }
            return;
        }
        // A new document: it takes the event's own facts, if any.
        if e.area.is_none() && e.tags.is_empty() && e.basis.is_none() {
            return;
        }
        let mut tags: Vec<Arc<str>> = Vec::with_capacity(e.tags.len());
        for t in &e.tags {
            if !tags.contains(t) && of_document(t) {
                tags.push(t.clone());
            }
        }
        self.by_title
            .insert(title.clone(), (e.area.clone(), tags, e.basis.clone()));
    }

    /// Forget documents no longer mentioned (the audit's bounded memory).
    pub fn retain(&mut self, live: impl Fn(&str) -> bool) {
        self.by_title.retain(|k, _| live(k));
    }

    pub fn len(&self) -> usize {
        self.by_title.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_title.is_empty()
    }
}

type DatePair = (ast::Spanned<NaiveDate>, ast::Spanned<NaiveDate>);

struct Resolver<'a> {
    rs: &'a Ruleset,
    errors: Vec<Diag>,
    people: NameTable,
    /// How an unknown person or unit is declared where the input comes
    /// from (a scenario's 人员 line, a log's `person` record).
    how_to_declare: &'static str,
    /// The titles read so far, shared by the events naming them (a cell:
    /// the audit's fast reading of a line borrows the resolver).
    titles: std::cell::RefCell<Titles>,
}

/// A name declared both as a person and as a unit (the unit's declaration
/// when it is in the same file).
fn person_is_unit(name: &Name, unit_at: Option<Span>) -> Diag {
    let d = Diag::error(
        code::NAME_DUPLICATE,
        name.span,
        format!("“{}”已声明为单位，不能又声明为人员", name.node),
    )
    .label("与单位同名的人员");
    let d = match unit_at {
        Some(at) => d.related(at, "单位声明在这里"),
        None => d,
    };
    d.help("人员和单位不能同名：事件里写到这个名字时无法判断指谁；请给人员或单位换一个名称")
}

const DECLARE_IN_SCENARIO: &str = "用“人员 姓名 任 职务”或“单位 名称”声明";
const DECLARE_IN_LOG: &str = "在用到之前的一行记录里声明：{\"person\": {\"name\": …, \"positions\": […]}} 或 {\"unit\": \"名称\"}";

impl Resolver<'_> {
    fn scenario(&mut self, sc: &ast::Scenario, source: &Source) -> Scenario {
        let mut units: BTreeSet<String> = self.rs.units.clone();
        units.extend(sc.units.iter().map(|u| u.node.clone()));
        // 单位 X 属于 Y: the class must be a unit the ruleset (or the
        // scenario) declares.
        let mut unit_classes: std::collections::BTreeMap<String, Vec<String>> =
            std::collections::BTreeMap::new();
        for (u, ps) in &sc.unit_parents {
            for p in ps {
                if units.contains(&p.node) {
                    unit_classes
                        .entry(u.node.clone())
                        .or_default()
                        .push(p.node.clone());
                } else {
                    self.errors.push(unknown(
                        "单位",
                        p,
                        units.iter().map(String::as_str),
                        "“属于”后写规则集中声明的单位类别（如 县政府部门）",
                    ));
                }
            }
        }

        for p in &sc.people {
            if units.contains(&p.name.node) {
                let declared = sc.units.iter().find(|u| u.node == p.name.node);
                self.errors
                    .push(person_is_unit(&p.name, declared.map(|u| u.span)));
            }
        }
        // What each holds before any change first; then the changes, in
        // date order (a change may come before the declaration it changes).
        let mut people: Vec<Person> = sc
            .people
            .iter()
            .filter(|p| !units.contains(&p.name.node) && p.date.is_none())
            .filter_map(|p| self.person_decl(p))
            .collect();
        let mut changes: Vec<&ast::PersonDecl> = sc
            .people
            .iter()
            .filter(|p| !units.contains(&p.name.node) && p.date.is_some())
            .collect();
        changes.sort_by_key(|p| p.date.as_ref().map(|d| d.node));
        for p in changes {
            self.person_change(&mut people, p);
        }
        let mut delegations: Vec<DelegationIr> = sc
            .delegations
            .iter()
            .filter_map(|d| self.delegation(d))
            .collect();
        for r in &sc.revocations {
            self.revoke(r, &mut delegations);
        }

        // An event may be dated in any year: only a working-day count that
        // needs a year the calendar lacks is an error (raised by the checker
        // at the event whose deadline needs it).
        let mut events: Vec<EventIr> = Vec::new();
        for e in &sc.events {
            // 截至 closes the record: nothing can happen after it.
            if let Some(c) = &sc.cutoff
                && e.date.node > c.node
            {
                self.errors.push(
                    Diag::error(
                        code::SCENARIO_PERIOD,
                        e.date.span,
                        format!("事件日期 {} 晚于截至日期 {}", e.date.node, c.node),
                    )
                    .label("截至之后的事件")
                    .related(c.span, "情景截至于此")
                    .help("“截至”是情景记录的最后一天：推后截至日期，或删去这个事件"),
                );
            }
            if let Some(ev) = self.event(e, &units, source) {
                events.push(ev);
            }
        }
        // Kinds known from one mention of a document or meeting apply to all.
        let mut doc_kind: HashMap<Arc<str>, usize> = HashMap::new();
        let mut meeting_of: HashMap<Arc<str>, usize> = HashMap::new();
        for e in &events {
            if let (Some(o), Some(k)) = (&e.object, e.document_kind) {
                doc_kind.entry(o.clone()).or_insert(k);
            }
            if let (Some(o), Some(k), Verb::Convene) = (&e.object, e.meeting_kind, e.verb) {
                meeting_of.entry(o.clone()).or_insert(k);
            }
        }
        for e in &mut events {
            if e.document_kind.is_none() {
                e.document_kind = e.object.as_ref().and_then(|o| doc_kind.get(o).copied());
            }
            if e.meeting_kind.is_none() && e.verb == Verb::Absent {
                e.meeting_kind = e.object.as_ref().and_then(|o| meeting_of.get(o).copied());
            }
        }
        events.sort_by_key(|e| e.date);
        let mut facts = DocumentFacts::default();
        for (i, e) in events.iter_mut().enumerate() {
            e.index = i;
            facts.carry(e, &self.rs.act_tags);
        }

        let cutoff = sc.cutoff.as_ref().map(|d| d.node);
        let window = sc
            .window
            .as_ref()
            .and_then(|w| self.period_written(w, "期间 开始日期 至 结束日期"));
        Scenario {
            name: sc.name.node.clone(),
            source: source.clone(),
            basis: sc.basis.iter().map(|b| b.node.clone()).collect(),
            cutoff,
            window,
            people,
            units,
            unit_classes,
            delegations,
            events,
            expectations: self.expectations(sc),
            span: sc.span,
        }
    }

    /// `D 人员 姓名 任 …` (or 离任): from D the person holds exactly this;
    /// a person not declared before holds nothing until D.
    fn person_change(&mut self, people: &mut Vec<Person>, p: &ast::PersonDecl) {
        let Some(date) = &p.date else {
            return;
        };
        let positions: Vec<usize> = p
            .positions
            .iter()
            .filter_map(|n| self.position(n))
            .collect();
        let holding = Holding {
            from: date.node,
            positions,
            areas: p.areas.iter().map(|a| a.node.clone()).collect(),
            span: p.span,
        };
        // Declared before (Err: its id) or new from this day.
        let (Ok(id) | Err(id)) = self.people.insert(&p.name.node, p.name.span);
        match people.get_mut(id) {
            Some(person) => {
                if let Some(same) = person.changes.iter().find(|h| h.from == date.node) {
                    self.errors.push(
                        Diag::error(
                            code::NAME_DUPLICATE,
                            date.span,
                            format!("人员“{}”在 {} 有两次任职变动", p.name.node, date.node),
                        )
                        .label("同一天又一次变动")
                        .related(same.span, "这一天的第一次变动")
                        .help("同一天的职务和分管写在同一行：2025-06-01 人员 李某 任 副县长、党组成员 分管 农业、水利"),
                    );
                    return;
                }
                let at = person.changes.partition_point(|h| h.from < date.node);
                person.changes.insert(at, holding);
            }
            None => people.push(Person {
                name: Arc::from(p.name.node.as_str()),
                positions: Vec::new(),
                areas: Vec::new(),
                span: p.span,
                changes: vec![holding],
            }),
        }
    }

    /// 人员 姓名 任 职务: a new person (a second declaration is an error).
    fn person_decl(&mut self, p: &ast::PersonDecl) -> Option<Person> {
        if p.positions.is_empty() {
            // 离任 with no day (or a log's person with no positions): from
            // when, and holding what before?
            self.errors.push(
                Diag::error(
                    code::SCENARIO_PERSON,
                    p.span,
                    format!("人员“{}”没有写职务，也没有写日期", p.name.node),
                )
                .label("不知从何时起、担任什么")
                .help("离任写在变动的那一天：2025-06-01 人员 李某 离任；此前的职务另写一行：人员 李某 任 副县长"),
            );
            return None;
        }
        if let Err(first) = self.people.insert(&p.name.node, p.name.span) {
            let s = self.people.spans.get(first).copied().unwrap_or_default();
            self.errors.push(
                Diag::error(
                    code::NAME_DUPLICATE,
                    p.name.span,
                    format!("人员“{}”重复声明", p.name.node),
                )
                .label("又声明了一次")
                .related(s, "第一次声明在这里")
                .help("一人兼任多个职务时写在同一行：人员 李某 任 副县长、党组成员"),
            );
            return None;
        }
        let positions = p
            .positions
            .iter()
            .filter_map(|n| self.position(n))
            .collect();
        Some(Person {
            name: Arc::from(p.name.node.as_str()),
            positions,
            areas: p.areas.iter().map(|a| a.node.clone()).collect(),
            span: p.span,
            changes: Vec::new(),
        })
    }

    fn delegation(&mut self, d: &ast::Delegation) -> Option<DelegationIr> {
        let (Some(from), Some(to)) = (self.person(&d.from), self.person(&d.to)) else {
            return None;
        };
        for a in &d.actions {
            if let Action::Do(v) = a.node
                && let Err(e) = words::check_declared(
                    &self.rs.verbs,
                    &ast::Spanned {
                        node: v,
                        span: a.span,
                    },
                )
            {
                self.errors.push(e);
                return None;
            }
        }
        let period = d.period.as_ref().and_then(|p| self.period(p));
        let given = d.date.as_ref().map(|x| x.node);
        // Never back-dated: a delegation counts from the day it is given.
        let start = match (period, given) {
            (Some(p), Some(g)) => Some(p.0.max(g)),
            (Some(p), None) => Some(p.0),
            (None, g) => g,
        };
        let (mut meeting_kinds, mut document_kinds) = (Vec::new(), Vec::new());
        let meeting_scope = d.actions.iter().all(|a| {
            matches!(
                a.node,
                Action::Convene | Action::Chair | Action::Do(Verb::Convene)
            )
        });
        for k in &d.kinds {
            if meeting_scope {
                if let Some(id) = self.meeting_kind(k) {
                    meeting_kinds.push(id);
                }
            } else if let Some(id) = self.document_kind(k) {
                document_kinds.push(id);
            }
        }
        Some(DelegationIr {
            from,
            to,
            actions: d.actions.iter().map(|a| a.node).collect(),
            meeting_kinds,
            document_kinds,
            start,
            end: period.map(|p| p.1),
            given,
            open: d.period.is_none(),
            revoked: None,
            span: d.span,
        })
    }

    /// 收回 委托: every delegation from that person given on or before the
    /// day (to that person, when named) no longer counts from that day.
    fn revoke(&mut self, r: &ast::Revocation, delegations: &mut [DelegationIr]) {
        let Some(from) = self.person(&r.from) else {
            return;
        };
        let to = match &r.to {
            Some(n) => match self.person(n) {
                Some(t) => Some(t),
                None => return,
            },
            None => None,
        };
        let day = r.date.node;
        for d in delegations.iter_mut().filter(|d| {
            d.from == from && to.is_none_or(|t| d.to == t) && d.given.is_none_or(|g| g <= day)
        }) {
            d.revoked = Some(d.revoked.map_or(day, |x| x.min(day)));
        }
    }

    fn expectations(&mut self, sc: &ast::Scenario) -> Expectations {
        // Only the 预期 for this ruleset (unqualified ones apply to every 依据).
        let mine: Vec<&ast::ExpectationKind> = sc
            .expectations
            .iter()
            .filter(|e| e.ruleset.as_ref().is_none_or(|r| r.node == self.rs.name))
            .map(|e| &e.kind)
            .collect();
        for e in &sc.expectations {
            if let Some(r) = &e.ruleset
                && !sc.basis.iter().any(|b| b.node == r.node)
            {
                {
                    self.errors.push(
                        super::names::unknown(
                            "依据",
                            r,
                            sc.basis.iter().map(|b| b.node.as_str()),
                            "“预期 依据 X”中的 X 须是本情景“依据”列出的规则集",
                        )
                        .with_code(code::RULESET_MISSING),
                    );
                }
            }
        }
        let mut ex = Expectations {
            given: !mine.is_empty(),
            violated: BTreeSet::new(),
            excepted: None,
            pending: None,
            span: Span::default(),
        };
        let mut complies: Option<Span> = None;
        let mut violated_span: Option<Span> = None;
        for e in mine {
            match e {
                ast::ExpectationKind::Complies(s) => {
                    complies = Some(*s);
                    ex.span = *s;
                }
                ast::ExpectationKind::Set {
                    verdict,
                    articles,
                    span,
                    ..
                } => {
                    ex.span = *span;
                    let mut set = BTreeSet::new();
                    for a in articles {
                        if self.rs.article_by_number(a.value).is_none() {
                            let near = super::names::suggest(
                                &a.spelling,
                                self.rs.articles.iter().map(|x| &*x.display),
                            );
                            self.errors.push(
                                Diag::error(
                                    code::EXPECT_ARTICLE,
                                    a.span,
                                    format!("规则集“{}”中没有第{}条", self.rs.name, a.spelling),
                                )
                                .label("预期中引用的条不存在")
                                .help(match near.first() {
                                    Some(n) => format!("是否指{n}？"),
                                    None => "检查条号是否写错".to_string(),
                                }),
                            );
                        }
                        set.insert(a.value);
                    }
                    match verdict {
                        ast::ExpectedVerdict::Violated => {
                            violated_span = Some(*span);
                            ex.violated.extend(set)
                        }
                        ast::ExpectedVerdict::Excepted => {
                            ex.excepted.get_or_insert_with(BTreeSet::new).extend(set)
                        }
                        ast::ExpectedVerdict::Pending => {
                            ex.pending.get_or_insert_with(BTreeSet::new).extend(set)
                        }
                    }
                }
            }
        }
        if let (Some(c), Some(v)) = (complies, violated_span) {
            self.errors.push(
                Diag::error(code::EXPECT_CONFLICT, c, "预期既写了“符合”又写了“违反”")
                    .label("预期符合")
                    .related(v, "预期违反")
                    .help("“符合”表示没有任何违反；二者只留其一"),
            );
        }
        ex
    }

    fn position(&mut self, n: &Name) -> Option<usize> {
        match self.rs.positions.get(&n.node) {
            Some(id) => Some(id),
            None => {
                let d = unknown(
                    "职务",
                    n,
                    self.rs.positions.names.iter().map(String::as_str),
                    &format!("规则集“{}”没有这个职务", self.rs.name),
                );
                self.errors.push(d);
                None
            }
        }
    }

    fn person(&mut self, n: &Name) -> Option<PersonId> {
        match self.people.get(&n.node) {
            Some(id) => Some(id),
            None => {
                let mut d = unknown("人员", n, self.people.near(&n.node), self.how_to_declare);
                if d.help.starts_with("是否指") {
                    d.help = format!("{}若是新的，{}", d.help, self.how_to_declare);
                }
                self.errors.push(d);
                None
            }
        }
    }

    fn party(&mut self, n: &Name, units: &BTreeSet<String>) -> Option<Party> {
        if let Some(id) = self.people.get(&n.node) {
            return Some(Party::Person(id));
        }
        if units.contains(&n.node) {
            return Some(Party::Unit(n.node.clone()));
        }
        // Indexed in a large log: not every name compared.
        let cands: Vec<&str> = self
            .people
            .near(&n.node)
            .into_iter()
            .chain(super::names::near_in_set(&n.node, units))
            .collect();
        let mut d = unknown("人员或单位", n, cands, self.how_to_declare);
        // A near name may be a typo, or a new unit meant: say both (a
        // reviewer's 县发改局 was offered only “县司法局”).
        if d.help.starts_with("是否指") {
            d.help = format!("{}若是新的，{}", d.help, self.how_to_declare);
        }
        // 向 县长 请假: a position where a person or unit is wanted (the
        // commonest slip; the nearest name is no help there).
        if self.rs.positions.get(&n.node).is_some() {
            d = d.help(format!(
                "“{0}”是职务，不是人员或单位：请写担任{0}的人（先声明 人员 某人 任 {0}，再写 向 某人）",
                n.node
            ));
        }
        self.errors.push(d);
        None
    }

    fn meeting_kind(&mut self, n: &Name) -> Option<usize> {
        match self.rs.meeting_names.get(&n.node) {
            Some(id) => Some(id),
            None => {
                let d = unknown(
                    "会议种类",
                    n,
                    self.rs.meeting_names.names.iter().map(String::as_str),
                    &format!("规则集“{}”没有声明这种会议", self.rs.name),
                );
                self.errors.push(d);
                None
            }
        }
    }

    fn document_kind(&mut self, n: &Name) -> Option<usize> {
        match self.rs.document_names.get(&n.node) {
            Some(id) => Some(id),
            None => {
                let d = unknown(
                    "公文种类",
                    n,
                    self.rs.document_names.names.iter().map(String::as_str),
                    &format!("规则集“{}”没有声明这种公文", self.rs.name),
                );
                self.errors.push(d);
                None
            }
        }
    }

    fn period(&mut self, p: &DatePair) -> Option<(NaiveDate, NaiveDate)> {
        self.period_written(p, "自 开始日期 至 结束日期")
    }

    fn period_written(&mut self, p: &DatePair, form: &str) -> Option<(NaiveDate, NaiveDate)> {
        if p.1.node < p.0.node {
            self.errors.push(
                Diag::error(
                    code::SCENARIO_PERIOD,
                    p.1.span,
                    format!("结束日期 {} 早于开始日期 {}", p.1.node, p.0.node),
                )
                .label("这个日期在开始之前")
                .related(p.0.span, "开始日期")
                .help(format!("写作“{form}”，先写开始日期")),
            );
            return None;
        }
        Some((p.0.node, p.1.node))
    }

    fn people_list(&mut self, names: &[Name]) -> Vec<PersonId> {
        names.iter().filter_map(|n| self.person(n)).collect()
    }

    /// A meeting's attendance must be consistent.
    fn meeting_facts(&mut self, e: &ast::Event) {
        if let Some(p) = e
            .present
            .iter()
            .find(|p| e.absent.iter().any(|a| a.node == p.node))
        {
            self.errors.push(
                Diag::error(
                    code::SCENARIO_EVENT,
                    p.span,
                    format!("{}既出席又缺席", p.node),
                )
                .label("同一人同时写在“出席”和“缺席”中")
                .help("删去其中一处"),
            );
        }
        if let Some(due) = &e.expected_count {
            if due.value == 0 {
                self.errors.push(
                    Diag::error(code::UNIT_INVALID, due.span, "应到人数不能为零")
                        .label("应到 0 人")
                        .help("写实际应到会的人数"),
                );
            } else if let Some(present) = e.present_count.as_ref().filter(|p| p.value > due.value) {
                self.errors.push(
                    Diag::error(
                        code::SCENARIO_EVENT,
                        present.span,
                        format!("实到 {} 人多于应到 {} 人", present.value, due.value),
                    )
                    .label("实到人数超过应到人数")
                    .related(due.span, "应到人数")
                    .help("核对人数：列席人员不计入应到、实到"),
                );
            }
        }
    }

    fn event(
        &mut self,
        e: &ast::Event,
        units: &BTreeSet<String>,
        source: &Source,
    ) -> Option<EventIr> {
        let resolved = words::event(&self.rs.verbs, e)
            .and_then(|e| words::check_declared(&self.rs.verbs, &e.verb).map(|()| e));
        let e: &ast::Event = match &resolved {
            Ok(e) => e,
            Err(d) => {
                self.errors.push(d.clone());
                return None;
            }
        };
        let verb = e.verb.node;
        self.meeting_facts(e);
        let actor = match &e.actor {
            Some(n) => Some(self.party(n, units)?),
            None => None,
        };
        let targets: Vec<Party> = e
            .targets
            .iter()
            .filter_map(|n| self.party(n, units))
            .collect();
        let (mut meeting_kind, mut document_kind) = (None, None);
        match (&e.kind, verb) {
            (Some(k), Verb::Convene | Verb::Absent) => meeting_kind = Some(self.meeting_kind(k)?),
            (None, Verb::Convene) => {
                self.errors.push(
                    Diag::error(code::SCENARIO_EVENT, e.verb.span, "“召开”须写明会议种类")
                        .label("召开什么会议？")
                        .help(format!(
                            "例如：召开 {} \"第3次会议\"",
                            self.rs
                                .meeting_names
                                .names
                                .first()
                                .map_or("常务会议", String::as_str)
                        )),
                );
                return None;
            }
            (Some(k), v) if v.is_trip() || v == Verb::Leave => {
                self.errors.push(
                    Diag::error(code::NAME_KIND, k.span, format!("“{}”不能作为{}的种类", k.node, v.word()))
                        .label("外出和请假没有种类")
                        .help("外出写作：李某 出差 离县 自 2023-10-01 至 2023-10-03；请假写作：李某 向 王某 请假 自 … 至 …"),
                );
                return None;
            }
            // A declared verb may be about a meeting (列席 常务会议).
            (Some(k), Verb::Declared(_))
                if self.rs.document_names.get(&k.node).is_none()
                    && self.rs.meeting_names.get(&k.node).is_some() =>
            {
                meeting_kind = Some(self.meeting_kind(k)?)
            }
            (Some(k), _) => document_kind = Some(self.document_kind(k)?),
            (None, _) => {}
        }
        let period = e.period.as_ref().and_then(|p| self.period(p));
        // An approval (经 X 批准, by a person or a body) is kept even with a
        // 特殊情况: a rule may accept only the approval.
        let approver = match &e.approved_by {
            Some(p) => Some(self.party(p, units)?),
            None => None,
        };
        let justification = match (&e.special, &e.approved_by) {
            (Some(t), Some(p)) => Some(Justification {
                text: format!("特殊情况：{}，经{}批准", t.node, p.node),
                approver,
                special: true,
                span: t.span,
            }),
            (Some(t), None) => Some(Justification {
                text: format!("特殊情况：{}", t.node),
                approver: None,
                special: true,
                span: t.span,
            }),
            (None, Some(p)) => Some(Justification {
                text: format!("经{}批准", p.node),
                approver,
                special: false,
                span: p.span,
            }),
            (None, None) => None,
        };
        let handler = match &e.handler {
            Some(n) => Some(self.party(n, units)?),
            None => None,
        };
        let convener = match &e.convener {
            Some(n) => Some(self.person(n)?),
            None => None,
        };
        let chair = match &e.chair {
            Some(n) => Some(self.person(n)?),
            None => None,
        };
        Some(EventIr {
            index: 0,
            date: e.date.node,
            verb,
            actor,
            targets,
            meeting_kind,
            document_kind,
            // Titles compared as written up to width and spacing.
            object: e
                .object
                .as_ref()
                .map(|o| self.titles.borrow_mut().get(&o.node)),
            convener,
            chair,
            present: self.people_list(&e.present),
            absent: self.people_list(&e.absent),
            attendees: self.people_list(&e.attendees),
            place: e.place.as_ref().map(|p| p.node.clone()),
            decided: e.decided.iter().map(|d| title_key(&d.node)).collect(),
            basis: e
                .basis
                .as_ref()
                .map(|b| self.titles.borrow_mut().get(&b.node)),
            area: e
                .area
                .as_ref()
                .map(|a| self.titles.borrow_mut().word(&a.node)),
            period,
            tags: {
                let mut words = self.titles.borrow_mut();
                e.tags.iter().map(|t| words.word(&t.node)).collect()
            },
            justification: justification.map(Box::new),
            handler,
            due: e.due.as_ref().map(|d| d.node),
            leaves_county: e.leaves_county,
            expected_count: e.expected_count.as_ref().map(|n| n.value),
            present_count: e.present_count.as_ref().map(|n| n.value),
            text: one_spaced(source.slice(e.span)),
            line: source.line(e.span.start),
            span: e.span,
        })
    }
}

pub(crate) fn out_of_range(message: &str, span: Span) -> Diag {
    Diag::error(code::CALENDAR_OUT_OF_RANGE, span, message.to_string())
        .label("从这个事件起算的工作日期限需要日历没有的年份")
        .help("guize 只按已公布的节假日安排计算工作日，超出范围不做猜测（以“日”计的期限不受影响）；新公布的节假日安排可用 日历 … 补充 \"文件.json\" 或 --calendar-file 加入")
}

/// A statement's text with each run of white space one space, shared. Most
/// are so already (a log's records always): then it is copied once, as is.
/// `str::trim`, for the fast reader of event lines: most names neither
/// begin with a byte that can start white space nor end with one that can
/// end it, and are taken as they are without decoding their characters.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    // Lead bytes of white space: ASCII, U+0085 and U+00A0 (C2), U+1680
    // (E1), U+2000…U+205F (E2), U+3000 (E3).
    let may_start = |c: u8| c <= b' ' || matches!(c, 0xC2 | 0xE1..=0xE3);
    // Last bytes of white space: ASCII, and those of U+0085, U+00A0,
    // U+1680, U+2000…U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
    let may_end = |c: u8| c <= b' ' || matches!(c, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF);
    match (b.first(), b.last()) {
        (Some(&a), Some(&z)) if !may_start(a) && !may_end(z) => s,
        _ => s.trim(),
    }
}

fn one_spaced(text: &str) -> Arc<str> {
    if is_one_spaced(text) {
        return Arc::from(text);
    }
    Arc::from(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Is every run of white space in `text` one ASCII space, with none at
/// either end? A scan of the bytes: only the lead bytes of the non-ASCII
/// white space characters (U+0085, U+00A0, U+1680, U+2000…U+3000) need
/// their character decoded.
fn is_one_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most texts hold no byte that could start white space at all: a pass
    // the compiler vectorises says so.
    let suspect = |b: u8| b <= b' ' || b == 0xC2 || (0xE1..=0xE3).contains(&b);
    if !bytes.iter().fold(false, |any, &b| any | suspect(b)) {
        return true;
    }
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if space => return false,
            b' ' => {
                space = true;
                continue;
            }
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => return false,
            0xC2 | 0xE1 | 0xE2 | 0xE3
                if text
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_whitespace) =>
            {
                return false;
            }
            _ => {}
        }
        space = false;
    }
    true
}

/// A state the resolver should never reach, said as a bug (not a silent
/// default).
fn internal(what: &str, source: &Source) -> Diag {
    Diag::error(code::INTERNAL, Span::new(0, 0), format!("内部错误：{what}"))
        .label("此处")
        .help("这是 guize 的缺陷，请连同这一行报告给维护者")
        .in_source(source)
}

#[cfg(test)]
mod tests {
    use super::{is_one_spaced, trim};

    #[test]
    fn one_spaced_as_by_chars() {
        let by_chars = |text: &str| {
            !text.starts_with(char::is_whitespace)
                && !text.ends_with(char::is_whitespace)
                && !text.contains(|c: char| c.is_whitespace() && c != ' ')
                && !text.as_bytes().windows(2).any(|w| w == b"  ")
        };
        for t in [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\u{3000}b",
            "\u{3000}",
            "a\u{a0}b",
            "a\u{85}",
            "a\u{2028}b",
            "“关于”会议",
            "{\"event\":{\"date\":\"2023-01-03\",\"verb\":\"签发\"}}",
            "a\u{1680}",
            "\u{2009}x",
            "a\u{202f}b\u{205f}",
            "a\u{200b}b",
            "a \u{3000}b",
        ] {
            assert_eq!(is_one_spaced(t), by_chars(t), "{t:?}");
        }
    }

    /// Every character `str::trim` removes, at either end, alone or around
    /// a name: the fast `trim` agrees.
    #[test]
    fn trim_as_str_trim() {
        let spaces = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace());
        let mut texts: Vec<String> = vec![
            String::new(),
            "王1甲".into(),
            "县\u{3000}长".into(),
            "abc".into(),
        ];
        for c in spaces {
            for t in ["", "王1甲", "一", "a"] {
                texts.extend([format!("{c}{t}"), format!("{t}{c}"), format!("{c}{t}{c}")]);
            }
        }
        // Names ending in a byte that white space also ends with.
        texts.extend(["一".into(), "会".into(), "长".into(), "\u{2000}".into()]);
        for t in &texts {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
    }
}
