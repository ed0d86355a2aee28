//! The compiled form of rulesets and scenarios.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::names::NameTable;
use std::sync::Arc;

use crate::calendar::Calendar;
use crate::diag::Source;
use crate::syntax::ast::{Action, Role, Span, TimeUnit, Verb};

#[derive(Debug, Clone)]
pub struct Ruleset {
    pub name: String,
    pub source: Source,
    pub enacted_by: Option<String>,
    pub effective: Option<NaiveDate>,
    /// 废止: the first day no longer in force (its own, or the 施行 of a
    /// later version loaded with it).
    pub repealed: Option<NaiveDate>,
    /// The ruleset's calendar: an embedded one, shared, or its own when
    /// the ruleset adds supplement files (built once, at compile time).
    pub calendar: Arc<Calendar>,
    pub positions: NameTable,
    /// For each position, every position it 属于 (transitively).
    pub position_ancestors: Vec<BTreeSet<usize>>,
    pub units: BTreeSet<String>,
    /// 单位 X 属于 Y: for each unit, every class it belongs to (transitively).
    pub unit_ancestors: BTreeMap<String, BTreeSet<String>>,
    /// 分管领导 X、Y: positions whose holders can be a 分管领导; empty:
    /// anyone given a 分管 area.
    pub area_leaders: Vec<usize>,
    /// 不沿用 情形 X、Y: 情形 that say what the act written on was (a
    /// legal review), not what its document is: they do not carry.
    /// Each with where it is declared (lint: one no rule tests).
    pub act_tags: Vec<crate::syntax::ast::Name>,
    /// 视同: verbs that are one act, for document kinds (empty: all).
    pub same_acts: Vec<(Vec<Verb>, Vec<usize>)>,
    /// 区分: verbs the text uses for different acts (only lint reads it).
    pub distinct_acts: Vec<(Vec<Verb>, Vec<usize>)>,
    /// 行为: the verbs this ruleset declares, beyond the built-in ones.
    pub verbs: Vec<&'static str>,
    pub unit_names: NameTable,
    pub meetings: Vec<MeetingKind>,
    pub meeting_names: NameTable,
    pub documents: Vec<DocumentKind>,
    pub document_names: NameTable,
    pub articles: Vec<Article>,
    pub rules: Vec<CompiledRule>,
    /// Rules indexed by the event kinds that trigger them.
    pub by_verb: BTreeMap<Verb, Vec<usize>>,
}

impl Ruleset {
    /// The verb spelled `word`: built in, or declared by this ruleset.
    pub fn verb(&self, word: &str) -> Option<Verb> {
        Verb::from_word(word).or_else(|| {
            self.verbs
                .iter()
                .find(|w| **w == word)
                .map(|w| Verb::Declared(w))
        })
    }

    pub fn article_by_number(&self, n: u32) -> Option<&Article> {
        self.articles.iter().find(|a| a.number == n)
    }

    pub fn article_of(&self, rule: &CompiledRule) -> Option<&Article> {
        self.articles.get(rule.article)
    }

    /// Does position `held` count as `wanted` (itself or through 属于)?
    pub fn position_is(&self, held: usize, wanted: usize) -> bool {
        held == wanted
            || self
                .position_ancestors
                .get(held)
                .is_some_and(|a| a.contains(&wanted))
    }

    /// Does unit `held` count as `wanted` (itself or through 属于)?
    pub fn unit_is(&self, held: &str, wanted: &str) -> bool {
        held == wanted
            || self
                .unit_ancestors
                .get(held)
                .is_some_and(|a| a.contains(wanted))
    }

    pub fn meeting_is(&self, kind: usize, wanted: usize) -> bool {
        kind == wanted
            || self
                .meetings
                .get(kind)
                .is_some_and(|m| m.ancestors.contains(&wanted))
    }

    pub fn document_is(&self, kind: usize, wanted: usize) -> bool {
        kind == wanted
            || self
                .documents
                .get(kind)
                .is_some_and(|d| d.ancestors.contains(&wanted))
    }

    /// Does an event of verb `done` (about a document of `kind`) count as
    /// `wanted`: the same verb, or one declared the same act (视同)?
    pub fn acts_as(&self, wanted: Verb, done: Verb, kind: Option<usize>) -> bool {
        wanted.matches(done)
            || self.same_acts.iter().any(|(verbs, kinds)| {
                verbs.contains(&wanted)
                    && verbs.contains(&done)
                    && (kinds.is_empty()
                        || kind.is_some_and(|k| kinds.iter().any(|w| self.document_is(k, *w))))
            })
    }

    /// May an event of verb `done` count as `wanted` for some document kind?
    pub fn may_act_as(&self, wanted: Verb, done: Verb) -> bool {
        wanted.matches(done)
            || self
                .same_acts
                .iter()
                .any(|(verbs, _)| verbs.contains(&wanted) && verbs.contains(&done))
    }

    /// Is the ruleset in force on `d` (施行 ≤ d < 废止)?
    pub fn in_force(&self, d: NaiveDate) -> bool {
        self.effective.is_none_or(|e| e <= d) && self.repealed.is_none_or(|r| d < r)
    }

    pub fn position_name(&self, id: usize) -> &str {
        self.positions.name(id)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingKind {
    pub name: String,
    pub title: Option<String>,
    /// Positions whose holders make up the meeting (组成), for quorum.
    pub members: Vec<usize>,
    /// Positions that attend without being members (列席).
    pub attendees: Vec<usize>,
    pub ancestors: BTreeSet<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentKind {
    pub name: String,
    pub ancestors: BTreeSet<usize>,
    pub flags: Vec<String>,
}

impl DocumentKind {
    /// `{ 统称 }`: a collective name for the kinds below it.
    pub fn collective(&self) -> bool {
        self.flags
            .iter()
            .any(|f| f == crate::syntax::words::COLLECTIVE)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub number: u32,
    /// As the source numbers it: 第五十七条 (shared with findings).
    pub display: Arc<str>,
    pub quotes: Vec<String>,
    /// Where each 原文 is written (the quoted text with its quote marks).
    #[serde(skip)]
    pub quote_spans: Vec<Span>,
    pub rules: Vec<usize>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompiledRule {
    pub id: usize,
    /// Index into `Ruleset::articles`.
    pub article: usize,
    /// The 原文 this rule encodes (shared with findings).
    pub quote: Option<Arc<str>>,
    /// The rule as written (shared with findings).
    pub text: Arc<str>,
    #[serde(skip)]
    pub span: Span,
    /// 原则上 / 一般, when the rule is defeasible.
    pub defeasible: Option<String>,
    /// 除 … 外 情形.
    pub exceptions: Vec<String>,
    /// 除 向 X 外: addressees the rule does not concern.
    #[serde(skip)]
    pub exempt_to: Vec<TargetSpec>,
    /// 除 经 X 批准 外: only an approval from one of these excuses.
    #[serde(skip)]
    pub approvers: Vec<Actor>,
    /// 除 另有时限 外: a recorded time limit (`时限 D`) replaces the deadline.
    pub own_deadline: bool,
    /// 除 特殊情况 外: only a recorded 特殊情况 excuses, not an approval.
    pub special_only: bool,
    /// What its findings show of it, shared by all of them.
    #[serde(skip)]
    pub texts: Arc<RuleTexts>,
    #[serde(skip)]
    pub kind: RuleKind,
    /// The rule over the kinds above its trigger's (属于), when there are
    /// any: an event recorded by one of them may or may not fall under it.
    #[serde(skip)]
    pub general: Option<Box<GeneralTrigger>>,
}

/// A rule's terms with its trigger's kinds replaced by the kinds above
/// them that it does not name (公文 规范性文件 for a rule on 州政府规范性文件),
/// and what its findings say of the kind.
#[derive(Debug, Clone)]
pub struct GeneralTrigger {
    pub kind: RuleKind,
    pub unsure: Arc<crate::check::KindUnsure>,
}

/// What a finding shows of its rule: one allocation per rule, shared by
/// every finding of it.
#[derive(Debug, Default)]
pub struct RuleTexts {
    /// As the source numbers the article: 第五十七条.
    pub article_display: Arc<str>,
    /// The 原文 the rule encodes.
    pub quote: Option<Arc<str>>,
    /// The rule as written.
    pub text: Arc<str>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub amount: u32,
    pub unit: TimeUnit,
}

impl Deadline {
    pub fn describe(&self) -> String {
        if self.amount == 0 {
            return "当日".to_string();
        }
        format!("{}{}", self.amount, super::unit_word(self.unit))
    }
}

/// How far back a personal precedent (leave, report) is looked for when the
/// rule does not say (前 N日内): 30 calendar days before the latest date it
/// may have. The same in `check` and `audit`.
pub const DEFAULT_LOOKBACK: Deadline = Deadline {
    amount: 30,
    unit: TimeUnit::Day,
};

/// How far back a personal precedent that names its occasion is looked
/// for when the rule does not say: a leave or report whose 依据 is the
/// meeting or trip, or whose 自 … 至 wholly covers it, belongs to that
/// occasion however early it was asked (the text says only 事先), so the
/// short look-back, which keeps an unnamed leave from serving a later
/// occasion, does not apply to it. A year (366 days) bounds what the
/// streaming audit keeps in view; `check` uses the same.
pub const DEFAULT_NAMED_LOOKBACK: Deadline = Deadline {
    amount: 366,
    unit: TimeUnit::Day,
};

/// The same for a precedent about the same document (审核 before 签发):
/// a document's procedure can take months, so a quarter (90 days); a rule
/// whose procedure runs longer says so (前 180日内).
pub const DEFAULT_DOCUMENT_LOOKBACK: Deadline = Deadline {
    amount: 90,
    unit: TimeUnit::Day,
};

pub use crate::check::RuleKind;
pub use crate::check::authority::AuthorityRule;
pub use crate::check::frequency::FrequencyRule;
pub use crate::check::permission::PermissionRule;
pub use crate::check::precedence::PrecedenceRule;
pub use crate::check::prohibition::ProhibitionRule;
pub use crate::check::quorum::QuorumRule;
pub use crate::check::response::ResponseRule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Position(usize),
    /// A holder of `delegate` acting under a delegation from a holder of
    /// `principal`.
    Delegated {
        principal: usize,
        delegate: usize,
        /// Only while the delegator is away.
        away: Option<Away>,
    },
    Role(Role),
    Unit(String),
}

/// 离县期间 / 外出期间: while on a recorded trip (one leaving the
/// jurisdiction for 离县, 离州, 离市), with the word as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Away {
    pub leaves: bool,
    pub word: String,
}

impl Away {
    pub fn from_word(word: &str) -> Away {
        Away {
            leaves: word != "外出",
            word: word.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSpec {
    Position(usize),
    Unit(String),
    Role(Role),
    /// 参会的 X: each holder of position X at the trigger's meeting (as a
    /// plain addressee elsewhere: a holder of X).
    Attending(usize),
}

/// Filters on an event beyond its verb.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub meeting_kinds: Vec<usize>,
    pub document_kinds: Vec<usize>,
    pub basis_meeting_kinds: Vec<usize>,
    pub targets: Vec<TargetSpec>,
    /// 向 A 或 B: one of `targets` suffices (else each is owed).
    pub targets_any: bool,
    pub tags: Vec<String>,
    pub leaves_county: bool,
    /// 跨领域: the event's 领域 names several areas.
    pub several_areas: bool,
    /// 决定印发的公文: obligations per document a meeting decided to issue.
    pub decided: bool,
    /// 出席 X: a holder of one of these positions is present (出席 or 列席).
    pub present: Vec<usize>,
    /// 分管领导缺席: the event's 领域 is led by someone in the 缺席 list of
    /// the meeting it belongs to (依据).
    pub leader_absent: bool,
    /// `须 召开 K 出席 X`, read as its breach: some X has no holder present.
    pub missing: Vec<usize>,
    /// 于 每月第N个星期X: the event falls on one of these days (or, for a
    /// 须 rule read as its breach, `off`: on none of them).
    pub schedule: Option<MonthlyDays>,
    /// 县长离县期间: the event falls while a holder of this position is
    /// away (true: on a trip leaving the jurisdiction; false: any trip).
    pub away: Option<(usize, bool)>,
    /// The meeting and document kinds are these kinds exactly, not the
    /// kinds below them (a rule's [`GeneralTrigger`]: an event recorded by
    /// the general kind itself).
    pub kinds_exact: bool,
}

/// The Nth weekdays of a month (每月第1个和第3个星期四).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyDays {
    /// Which occurrences: 1 = the first in the month, … 5.
    pub ordinals: Vec<u32>,
    pub weekday: chrono::Weekday,
    /// True: the breach is a day that is none of them (须 … 于 …).
    pub off: bool,
}

impl MonthlyDays {
    /// Is `date` one of the days?
    pub fn holds(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        date.weekday() == self.weekday && self.ordinals.contains(&(date.day0() / 7 + 1))
    }

    /// Does the event's date match the scope (on the days, or off them)?
    pub fn matches(&self, date: NaiveDate) -> bool {
        self.holds(date) != self.off
    }

    pub fn describe(&self) -> String {
        let days: Vec<String> = self.ordinals.iter().map(|n| format!("第{n}个")).collect();
        format!("每月{}{}", days.join("和"), weekday_word(self.weekday))
    }
}

/// 星期一 … 星期日.
pub fn weekday_word(w: chrono::Weekday) -> &'static str {
    match w {
        chrono::Weekday::Mon => "星期一",
        chrono::Weekday::Tue => "星期二",
        chrono::Weekday::Wed => "星期三",
        chrono::Weekday::Thu => "星期四",
        chrono::Weekday::Fri => "星期五",
        chrono::Weekday::Sat => "星期六",
        chrono::Weekday::Sun => "星期日",
    }
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub verbs: Vec<Verb>,
    pub actors: Vec<Actor>,
    pub scope: Scope,
}

impl Pattern {
    /// 先行: before a trip or an absence, and for leave and reports, the
    /// precedent is the person's own; before anything else (签发, 报送 …) it
    /// is about the same document.
    pub fn personal_precedent(trigger: &Pattern, precedent: &Pattern) -> bool {
        trigger
            .verbs
            .iter()
            .all(|v| v.is_trip() || *v == Verb::Absent)
            || precedent
                .verbs
                .iter()
                .all(|v| matches!(v, Verb::Leave | Verb::Report))
    }

    /// 响应 by answering (回复, 回应, 审批, 签批): owed by each addressee of
    /// the trigger.
    pub fn answers(&self) -> bool {
        self.verbs.iter().all(|v| {
            matches!(
                v,
                Verb::Reply | Verb::Respond | Verb::Approve | Verb::Endorse
            )
        })
    }

    /// The positions among `actors` (roles, units and delegates left out).
    pub fn positions(actors: &[Actor]) -> Vec<usize> {
        actors
            .iter()
            .filter_map(|a| match a {
                Actor::Position(p) => Some(*p),
                _ => None,
            })
            .collect()
    }
}

// ───────── scenarios ─────────

pub type PersonId = usize;

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// Shared with the findings about this person.
    pub name: Arc<str>,
    /// Held before any change (none for one first declared on a day).
    pub positions: Vec<usize>,
    pub areas: Vec<String>,
    #[serde(skip)]
    pub span: Span,
    /// Changes on a day (`2025-06-01 人员 李某 任 …`, 离任), in date order:
    /// from each, the person holds exactly its positions and areas.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Holding>,
}

/// What a person holds from a day on.
#[derive(Debug, Clone, Serialize)]
pub struct Holding {
    pub from: NaiveDate,
    pub positions: Vec<usize>,
    pub areas: Vec<String>,
    #[serde(skip)]
    pub span: Span,
}

impl Person {
    /// The positions held on `d`.
    pub fn positions_on(&self, d: NaiveDate) -> &[usize] {
        self.holding_on(d).map_or(&self.positions, |h| &h.positions)
    }

    /// The areas (分管) held on `d`.
    pub fn areas_on(&self, d: NaiveDate) -> &[String] {
        self.holding_on(d).map_or(&self.areas, |h| &h.areas)
    }

    /// The last change on or before `d`.
    fn holding_on(&self, d: NaiveDate) -> Option<&Holding> {
        if self.changes.is_empty() {
            return None;
        }
        let at = self.changes.partition_point(|h| h.from <= d);
        at.checked_sub(1).and_then(|i| self.changes.get(i))
    }

    /// Every position held at some time (declarations and changes).
    pub fn all_positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.positions
            .iter()
            .chain(self.changes.iter().flat_map(|h| &h.positions))
            .copied()
    }

    /// Does `test` hold of what the person holds on every day of [a, b]?
    pub fn throughout(&self, a: NaiveDate, b: NaiveDate, test: impl Fn(&[usize]) -> bool) -> bool {
        test(self.positions_on(a))
            && self
                .changes
                .iter()
                .filter(|h| a < h.from && h.from <= b)
                .all(|h| test(&h.positions))
    }
}

/// Who did something or was addressed: a person or a 单位.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Party {
    Person(PersonId),
    Unit(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct DelegationIr {
    pub from: PersonId,
    pub to: PersonId,
    /// Empty: 全面工作.
    #[serde(skip)]
    pub actions: Vec<Action>,
    pub meeting_kinds: Vec<usize>,
    pub document_kinds: Vec<usize>,
    /// First day it counts: the later of the day it was given and its 自
    /// date (never back-dated).
    pub start: Option<NaiveDate>,
    /// Its 至 date, when written.
    pub end: Option<NaiveDate>,
    /// The day it was given, when written.
    pub given: Option<NaiveDate>,
    /// Written without 自 … 至: it lasts for its occasion only (see
    /// `Ctx::delegation_valid`).
    pub open: bool,
    /// 收回 委托: no longer counts from this day.
    pub revoked: Option<NaiveDate>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Justification {
    /// 特殊情况 "…" text, or 经 X 批准.
    pub text: String,
    /// 经 X 批准: who approved (a person or a body such as 县政府).
    pub approver: Option<Party>,
    /// A 特殊情况 is recorded (with or without an approval).
    pub special: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventIr {
    /// Index in date order.
    pub index: usize,
    pub date: NaiveDate,
    pub verb: Verb,
    pub actor: Option<Party>,
    pub targets: Vec<Party>,
    pub meeting_kind: Option<usize>,
    pub document_kind: Option<usize>,
    pub object: Option<Arc<str>>,
    pub convener: Option<PersonId>,
    pub chair: Option<PersonId>,
    pub present: Vec<PersonId>,
    pub absent: Vec<PersonId>,
    pub attendees: Vec<PersonId>,
    pub place: Option<String>,
    pub decided: Vec<String>,
    pub basis: Option<Arc<str>>,
    /// 领域 and 情形: shared (not copied) with the later events about the
    /// same document that carry them on.
    pub area: Option<Arc<str>>,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub tags: Vec<Arc<str>>,
    /// Boxed: rare, and the event is moved through the audit's windows.
    pub justification: Option<Box<Justification>>,
    /// 承办 X: who handles the matter.
    pub handler: Option<Party>,
    /// 时限 D: the time limit this event sets for answering it.
    pub due: Option<NaiveDate>,
    pub leaves_county: bool,
    pub expected_count: Option<u32>,
    pub present_count: Option<u32>,
    /// The statement as written, for reports (shared with findings).
    pub text: Arc<str>,
    /// 1-based line of the statement in its file (a JSON Lines record's line).
    pub line: usize,
    #[serde(skip)]
    pub span: Span,
}

impl EventIr {
    /// The day the event starts (a trip's 自 date, else its date).
    pub fn start(&self) -> NaiveDate {
        self.period.map_or(self.date, |(a, _)| a)
    }

    /// The day the event ends (a meeting's or trip's 至 date, else its
    /// date): "after" a multi-day event counts from here. A leave request's
    /// 自 … 至 is the absence asked for, not the act: asking ends that day;
    /// so does a report's, the trip it tells of (the office passes on a
    /// 局长's report of his trip from the day it came, not the return).
    pub fn end(&self) -> NaiveDate {
        if matches!(self.verb, Verb::Leave | Verb::Report) {
            return self.date;
        }
        self.period.map_or(self.date, |(_, z)| z.max(self.date))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExpectedVerdict {
    Violated,
    Excepted,
    Pending,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expectations {
    /// Present when the scenario has any 预期.
    pub given: bool,
    pub violated: BTreeSet<u32>,
    pub excepted: Option<BTreeSet<u32>>,
    pub pending: Option<BTreeSet<u32>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub source: Source,
    pub basis: Vec<String>,
    pub cutoff: Option<NaiveDate>,
    pub window: Option<(NaiveDate, NaiveDate)>,
    pub people: Vec<Person>,
    pub units: BTreeSet<String>,
    /// 单位 X 属于 Y written in the scenario: the classes of its own units.
    pub unit_classes: BTreeMap<String, Vec<String>>,
    pub delegations: Vec<DelegationIr>,
    pub events: Vec<EventIr>,
    pub expectations: Expectations,
    pub span: Span,
}

impl Scenario {
    pub fn person_name(&self, id: PersonId) -> &str {
        self.people.get(id).map_or("?", |p| &*p.name)
    }

    /// A party as findings name it: the id with the shared name.
    pub fn party_ref(&self, p: &Party) -> crate::check::PartyRef {
        match p {
            Party::Person(id) => crate::check::PartyRef::Person(
                *id,
                self.people
                    .get(*id)
                    .map_or_else(|| Arc::from("?"), |p| p.name.clone()),
            ),
            Party::Unit(u) => crate::check::PartyRef::Unit(Arc::from(u.as_str())),
        }
    }

    pub fn party_name(&self, p: &Party) -> String {
        match p {
            Party::Person(id) => self.person_name(*id).to_string(),
            Party::Unit(u) => u.clone(),
        }
    }
}
