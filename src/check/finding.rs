//! A finding as data: the verdict, the rule (by id, with its shared texts),
//! the events, typed dates, the authorising path as typed steps, the party
//! it is about as an id, and a typed reason. Prose is made only when a
//! finding is shown ([`Finding::explanation`], `Display` of [`AuthPath`]),
//! so a finding that is only counted costs no formatting and no copies:
//! the texts it carries are shared (`Arc<str>`), not cloned.

use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::Verdict;
use crate::compile::ir::{EventIr, Party, RuleTexts};
use crate::syntax::ast::Span;

/// An event a finding refers to.
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    pub index: usize,
    pub date: NaiveDate,
    /// The statement as written in the scenario (shared with the event).
    pub text: Arc<str>,
    /// 1-based line in the scenario file.
    pub line: usize,
    #[serde(skip)]
    pub span: Span,
}

impl EventRef {
    pub fn of(e: &EventIr) -> EventRef {
        EventRef {
            index: e.index,
            date: e.date,
            text: e.text.clone(),
            line: e.line,
            span: e.span,
        }
    }
}

/// The events of a finding: most cite one (the trigger), kept inline so a
/// finding that is only counted costs no allocation for it. Reads as a
/// slice (`first`, `iter`, `len`, indexing) and serialises and prints as
/// one.
#[derive(Clone, Default)]
pub struct EventRefs(EventsInner);

#[derive(Clone, Default)]
enum EventsInner {
    #[default]
    None,
    One(EventRef),
    Many(Vec<EventRef>),
}

impl EventRefs {
    pub fn new() -> EventRefs {
        EventRefs::default()
    }

    pub fn push(&mut self, r: EventRef) {
        match &mut self.0 {
            EventsInner::None => self.0 = EventsInner::One(r),
            EventsInner::Many(v) => v.push(r),
            EventsInner::One(_) => {
                let EventsInner::One(first) = std::mem::take(&mut self.0) else {
                    return;
                };
                self.0 = EventsInner::Many(vec![first, r]);
            }
        }
    }

    pub fn as_slice(&self) -> &[EventRef] {
        match &self.0 {
            EventsInner::None => &[],
            EventsInner::One(e) => std::slice::from_ref(e),
            EventsInner::Many(v) => v,
        }
    }
}

impl std::ops::Deref for EventRefs {
    type Target = [EventRef];
    fn deref(&self) -> &[EventRef] {
        self.as_slice()
    }
}

impl From<Vec<EventRef>> for EventRefs {
    fn from(v: Vec<EventRef>) -> Self {
        if v.is_empty() {
            return EventRefs::new();
        }
        EventRefs(EventsInner::Many(v))
    }
}

impl<'a> IntoIterator for &'a EventRefs {
    type Item = &'a EventRef;
    type IntoIter = std::slice::Iter<'a, EventRef>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl fmt::Debug for EventRefs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for EventRefs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// What a computed date of a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateRole {
    /// The last day a response may come (响应): 期限.
    Deadline,
    /// The last day a precedent may come (先行): 应不晚于.
    Limit,
    /// The scenario's or log's 截至.
    Cutoff,
    /// A counting period's first day (频次): 周期起.
    PeriodStart,
    /// A counting period's last day: 周期止.
    PeriodEnd,
}

impl DateRole {
    /// How reports label it.
    pub fn word(self) -> &'static str {
        match self {
            DateRole::Deadline => "期限",
            DateRole::Limit => "应不晚于",
            DateRole::Cutoff => "截至",
            DateRole::PeriodStart => "周期起",
            DateRole::PeriodEnd => "周期止",
        }
    }

    /// The stable name in JSON.
    pub fn key(self) -> &'static str {
        match self {
            DateRole::Deadline => "deadline",
            DateRole::Limit => "limit",
            DateRole::Cutoff => "cutoff",
            DateRole::PeriodStart => "period_start",
            DateRole::PeriodEnd => "period_end",
        }
    }
}

/// A computed date with what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateNote {
    pub role: DateRole,
    pub date: NaiveDate,
}

impl Serialize for DateNote {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("DateNote", 3)?;
        st.serialize_field("label", self.role.word())?;
        st.serialize_field("role", self.role.key())?;
        st.serialize_field("date", &self.date)?;
        st.end()
    }
}

/// Whom a finding is about: a person by id (with the declared name) or a
/// 单位 (whose name is its id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartyRef {
    Person(usize, Arc<str>),
    Unit(Arc<str>),
}

impl PartyRef {
    pub fn name(&self) -> &str {
        match self {
            PartyRef::Person(_, n) | PartyRef::Unit(n) => n,
        }
    }

    /// The name, shared (no copy).
    pub fn shared_name(&self) -> Arc<str> {
        match self {
            PartyRef::Person(_, n) | PartyRef::Unit(n) => n.clone(),
        }
    }

    /// The party as the scenario resolves it.
    pub fn party(&self) -> Party {
        match self {
            PartyRef::Person(id, _) => Party::Person(*id),
            PartyRef::Unit(n) => Party::Unit(n.to_string()),
        }
    }

    pub fn is_unit(&self) -> bool {
        matches!(self, PartyRef::Unit(_))
    }
}

impl fmt::Display for PartyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How an actor was authorised (权限): one typed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthPath {
    /// A 单位 acting for an accepted unit: 由X办理.
    Unit(Arc<str>),
    /// Holds an accepted position, directly or through 属于.
    Position {
        held: usize,
        held_name: Arc<str>,
        /// The accepted position `held` counts as, when not itself.
        via: Option<(usize, Arc<str>)>,
    },
    /// Acting under a delegation valid that day.
    Delegation {
        /// The delegator.
        from_person: usize,
        from: Arc<str>,
        /// The delegator's accepted position.
        position_name: Arc<str>,
        /// The rule wants the delegator away, and they were.
        while_away: bool,
    },
    /// 承办单位 of the matter.
    Handler,
    /// The meeting's 主持人 or 召集人 (the role's word).
    MeetingRole(&'static str),
    /// 分管 the event's area.
    AreaLeader(Arc<str>),
    /// 本人.
    Individual,
    /// Present at the meeting.
    Attendee,
}

impl fmt::Display for AuthPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthPath::Unit(u) => write!(f, "由{u}办理"),
            AuthPath::Position { held_name, via, .. } => match via {
                None => write!(f, "任{held_name}"),
                Some((_, p)) => write!(f, "任{held_name}（{held_name}属于{p}）"),
            },
            AuthPath::Delegation {
                from,
                position_name,
                while_away,
                ..
            } => {
                write!(f, "受{from}（{position_name}）委托")?;
                if *while_away {
                    f.write_str("，委托人当日外出")?;
                }
                Ok(())
            }
            AuthPath::Handler => f.write_str("是承办单位"),
            AuthPath::MeetingRole(r) => write!(f, "是该会议的{r}"),
            AuthPath::AreaLeader(a) => write!(f, "分管{a}"),
            AuthPath::Individual => f.write_str("本人"),
            AuthPath::Attendee => f.write_str("是该会议的参会人员"),
        }
    }
}

impl AuthPath {
    /// The step's kind, stable in JSON.
    pub fn key(&self) -> &'static str {
        match self {
            AuthPath::Unit(_) => "unit",
            AuthPath::Position { .. } => "position",
            AuthPath::Delegation { .. } => "delegation",
            AuthPath::Handler => "handler",
            AuthPath::MeetingRole(_) => "meeting_role",
            AuthPath::AreaLeader(_) => "area_leader",
            AuthPath::Individual => "individual",
            AuthPath::Attendee => "attendee",
        }
    }
}

/// Why a ruleset does not apply on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfForce {
    /// Dated before 施行.
    NotYet {
        date: NaiveDate,
        effective: NaiveDate,
    },
    /// Dated on or after 废止.
    Repealed {
        date: NaiveDate,
        repealed: NaiveDate,
    },
}

/// Why the verdict is what it is, as facts: each pattern's checker records
/// what it found (dates, counts, parties, events) in its own typed reason,
/// and only [`Finding::explanation`] puts it into words. Reasons of
/// findings that are normally only counted (符合, 不适用) are small and
/// cost no formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// 权限 held: the party did the act along the finding's path.
    Authorised { act: &'static str },
    /// The ruleset is not in force on the event's date.
    OutOfForce(OutOfForce),
    /// 除 … 外: the event records an excepted 情形.
    Excluded { tag: Arc<str> },
    /// 除 向 X 外: the event is addressed only to parties the rule does
    /// not concern (`to`: those the rule names).
    ExemptAddressees { to: Arc<str> },
    /// An absence from a meeting the absentee handed to its chair (a
    /// delegation to `chair`, valid that day, covering 主持): no leave is
    /// owed to one's own delegate.
    HandedOver { chair: Arc<str> },
    /// 权限 not held: the facts, put into words only when shown (the
    /// checker decides without formatting).
    /// Shared by the findings with the same facts.
    Unauthorised(Arc<Unauthorised>),
    /// What a pattern's checker found, in its own typed reason (see
    /// [`PatternFacts`](super::pattern::PatternFacts)).
    Pattern(super::pattern::PatternFacts),
}

/// How a justification recorded by the party in breach was weighed: the
/// verdict is 例外 when it was accepted, else it stays 违反 and says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excuse {
    /// 除 经 X 批准 外: an approval by X is recorded.
    Approved { record: Box<str> },
    /// 除 经 X 批准 外: something is recorded, but not an approval by X.
    NotApproved {
        record: Box<str>,
        approvers: Box<str>,
    },
    /// 原则上 / 一般 (the word as written): any recorded justification.
    Defeasible { word: Box<str>, record: Box<str> },
}

impl fmt::Display for Excuse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Excuse::Approved { record } => write!(f, "；已记录{record}，本条认可，作例外处理"),
            Excuse::NotApproved { record, approvers } => {
                write!(f, "；虽记录{record}，但本条只认可经{approvers}批准")
            }
            Excuse::Defeasible { word, record } => {
                write!(f, "；本条“{word}”如此，已记录{record}，作例外处理")
            }
        }
    }
}

/// Who did an act they may not do, what they hold, and why nothing else
/// authorises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unauthorised {
    pub name: Arc<str>,
    pub held: Held,
    pub act: &'static str,
    /// Who may, as the rule says (县长或分管副县长).
    pub accepted: Arc<str>,
    pub why: Unauthorisation,
}

/// What the actor of an unauthorised act holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// Shared by the findings about the same person.
    Positions(Arc<[Arc<str>]>),
    Unit,
}

/// Why no other path authorises the act: facts, put into words by its
/// `Display` only when the finding is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unauthorisation {
    /// No delegation valid that day.
    NoDelegation,
    /// 分管 the area, but holds no position that can be a 分管领导
    /// (`leaders`, as the ruleset lists them).
    NotALeader { area: Box<str>, leaders: Box<str> },
    /// The delegation was revoked on `on`.
    Revoked { from: Arc<str>, on: NaiveDate },
    /// The delegation starts only on `start`, after the event.
    NotYet { from: Arc<str>, start: NaiveDate },
    /// A delegation without a period (given on `given`) covers that day or
    /// the delegator's trip then, not `date`.
    OccasionOver {
        from: Arc<str>,
        given: NaiveDate,
        date: NaiveDate,
    },
    /// The delegation's period was over that day.
    Expired { from: Arc<str> },
    /// The rule accepts only the delegate it names (`principal`委托的`delegate`).
    OnlyNamedDelegate {
        from: Arc<str>,
        principal: Arc<str>,
        delegate: Arc<str>,
    },
    /// The rule accepts the delegation only while the delegator is away
    /// (`leaving`: on a trip out of the jurisdiction); `inside`: he was on
    /// a trip that day, but one that did not leave it.
    NotAway {
        from: Arc<str>,
        leaving: bool,
        inside: bool,
    },
    /// A valid delegation, but the rule accepts only `accepted`.
    NotAccepted { from: Arc<str>, accepted: Arc<str> },
}

impl fmt::Display for Unauthorisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unauthorisation::NoDelegation => f.write_str("当日也无有效委托"),
            Unauthorisation::NotALeader { area, leaders } => {
                write!(f, "虽分管{area}，但不任可作分管领导的职务（{leaders}）")
            }
            Unauthorisation::Revoked { from, on } => write!(f, "{from}的委托已于 {on} 收回"),
            Unauthorisation::NotYet { from, start } => {
                write!(f, "{from}的委托自 {start} 起才有效，晚于事件日期")
            }
            Unauthorisation::OccasionOver { from, given, date } => write!(
                f,
                "{from}于 {given} 的委托未写期限，只及于当日或其当次外出，{date} 已不在其内"
            ),
            Unauthorisation::Expired { from } => write!(f, "{from}的委托当日已过期限"),
            Unauthorisation::OnlyNamedDelegate {
                from,
                principal,
                delegate,
            } => write!(f, "虽受{from}委托，但本条只认可{principal}委托的{delegate}"),
            // An in-county trip is not “not away” (blind r17 伊犁州 R17-07).
            Unauthorisation::NotAway {
                from,
                leaving: true,
                inside: true,
            } => write!(
                f,
                "虽受{from}委托，但{from}当日的外出没有离开本辖区（外出未记 离县），本条只在其离开本辖区的外出期间认可委托"
            ),
            Unauthorisation::NotAway {
                from,
                leaving: true,
                inside: false,
            } => write!(
                f,
                "虽受{from}委托，但{from}当日并未离开本辖区外出（无离县外出记录），本条只在其离开本辖区的外出期间认可委托"
            ),
            Unauthorisation::NotAway { from, .. } => write!(
                f,
                "虽受{from}委托，但{from}当日并未外出（无外出记录），本条只在其外出期间认可委托"
            ),
            Unauthorisation::NotAccepted { from, accepted } => {
                write!(f, "虽受{from}委托，但本条只认可{accepted}")
            }
        }
    }
}

/// The computed dates of a finding: at most two almost always (a
/// deadline; a period's start and end), kept inline so that a finding
/// costs no allocation for them. Reads as a slice (`first`, `iter`,
/// indexing) and prints and serialises as one.
#[derive(Clone, Default)]
pub struct Dates(DatesInner);

#[derive(Clone, Default)]
enum DatesInner {
    #[default]
    None,
    One(DateNote),
    Two([DateNote; 2]),
    Many(Vec<DateNote>),
}

impl Dates {
    pub fn new() -> Dates {
        Dates::default()
    }

    pub fn push(&mut self, d: DateNote) {
        self.0 = match std::mem::take(&mut self.0) {
            DatesInner::None => DatesInner::One(d),
            DatesInner::One(a) => DatesInner::Two([a, d]),
            DatesInner::Two([a, b]) => DatesInner::Many(vec![a, b, d]),
            DatesInner::Many(mut v) => {
                v.push(d);
                DatesInner::Many(v)
            }
        };
    }

    pub fn as_slice(&self) -> &[DateNote] {
        match &self.0 {
            DatesInner::None => &[],
            DatesInner::One(d) => std::slice::from_ref(d),
            DatesInner::Two(ds) => ds,
            DatesInner::Many(v) => v,
        }
    }
}

impl From<Vec<DateNote>> for Dates {
    fn from(v: Vec<DateNote>) -> Self {
        let mut d = Dates::new();
        for x in v {
            d.push(x);
        }
        d
    }
}

impl std::ops::Deref for Dates {
    type Target = [DateNote];
    fn deref(&self) -> &[DateNote] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Dates {
    type Item = &'a DateNote;
    type IntoIter = std::slice::Iter<'a, DateNote>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl fmt::Debug for Dates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Dates {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// One verdict of one rule on one triggering event (or period).
#[derive(Debug, Clone)]
pub struct Finding {
    pub article: u32,
    /// Index of the rule in the ruleset.
    pub rule: usize,
    /// The rule's texts (article as numbered, 原文, rule as written),
    /// shared with the ruleset.
    pub texts: Arc<RuleTexts>,
    /// 响应, 先行, 权限, 频次, 人数, 禁止, 出席, 日程.
    pub pattern: &'static str,
    pub verdict: Verdict,
    pub events: EventRefs,
    pub dates: Dates,
    pub reason: Reason,
    /// For authority: how the actor was authorised.
    pub path: Option<Arc<AuthPath>>,
    /// Whom the finding is about when it is not the trigger's actor: the
    /// one who owed a response, whose authority was checked.
    pub party: Option<PartyRef>,
    /// The day a deadline was counted from (响应: the trigger's last day;
    /// 先行: its first), when the rule has one.
    pub counted_from: Option<NaiveDate>,
    /// A recorded justification, accepted (例外) or refused.
    pub excuse: Option<Box<Excuse>>,
    /// The event was recorded by a kind more general than the rule's (公文
    /// 规范性文件 where the rule names 州政府规范性文件): 待定, and what the
    /// rule would say if the event is of its kind.
    pub kind_unsure: Option<Arc<KindUnsure>>,
}

/// An event recorded by a kind above the rule's (属于): whether the rule
/// applies is not known; `if_applies` is the verdict it would give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindUnsure {
    /// The kinds the event may have been recorded by (规范性文件).
    pub recorded: Arc<str>,
    /// The kinds the rule names (州政府规范性文件、决定).
    pub wanted: Arc<str>,
    /// The verdict if the event is of the rule's kind (违反 or 待定; 例外
    /// when excused).
    pub if_applies: super::Verdict,
}

impl Finding {
    /// The article as the source numbers it: 第五十七条.
    pub fn article_display(&self) -> &str {
        &self.texts.article_display
    }

    /// The 原文 the rule encodes.
    pub fn quote(&self) -> Option<&str> {
        self.texts.quote.as_deref()
    }

    /// The rule as written.
    pub fn rule_text(&self) -> &str {
        &self.texts.text
    }

    /// Where the rule is written.
    pub fn rule_span(&self) -> Span {
        self.texts.span
    }

    /// The one-line Chinese explanation: the only place a finding's facts
    /// become prose (each pattern's reason renders itself).
    pub fn explanation(&self) -> String {
        let mut text = String::new();
        if let Some(k) = &self.kind_unsure {
            let _ = write!(
                text,
                "公文种类只记作统称“{recorded}”，未写明是否为本条所指的{wanted}；如是则{verdict}：",
                recorded = k.recorded,
                wanted = k.wanted,
                verdict = k.if_applies.word(),
            );
        }
        text += &match &self.reason {
            Reason::Authorised { act } => {
                let who = self.party.as_ref().map_or("", PartyRef::name);
                match &self.path {
                    Some(path) => format!("{who}{act}，{path}"),
                    None => format!("{who}{act}"),
                }
            }
            Reason::OutOfForce(OutOfForce::NotYet { date, effective }) => {
                format!("事件日期 {date} 早于本规则集施行日期 {effective}，规则尚未施行")
            }
            Reason::OutOfForce(OutOfForce::Repealed { date, repealed }) => {
                format!("本规则集自 {repealed} 起废止，{date} 的事件不再适用")
            }
            Reason::Excluded { tag } => format!("事件记有情形“{tag}”，本条规定除外"),
            Reason::ExemptAddressees { to } => {
                format!("事件只发往{to}，本条规定除外")
            }
            Reason::HandedOver { chair } => {
                format!("缺席者已委托{chair}主持本次会议，不必向受托人请假")
            }
            Reason::Unauthorised(u) => {
                let held = match &u.held {
                    Held::Positions(p) if p.is_empty() => "任无职务".to_string(),
                    Held::Positions(p) => format!("任{}", p.join("、")),
                    Held::Unit => "是单位".to_string(),
                };
                let why = &u.why;
                let (name, act, accepted) = (&u.name, u.act, &u.accepted);
                format!("{name}（{held}）{act}，须由{accepted}{act}，{why}")
            }
            Reason::Pattern(facts) => facts.to_string(),
        };
        if let Some(e) = &self.excuse {
            let _ = write!(text, "{e}");
        }
        text
    }

    /// The first date of the finding with `role`.
    pub fn date(&self, role: DateRole) -> Option<NaiveDate> {
        self.dates.iter().find(|d| d.role == role).map(|d| d.date)
    }

    /// When the finding happened, for ordering: its first event, else its
    /// first computed date (a period with no events).
    pub fn when(&self) -> Option<NaiveDate> {
        self.events
            .first()
            .map(|e| e.date)
            .or_else(|| self.dates.first().map(|d| d.date))
    }
}

/// The JSON shape of a finding (documented in the README): the fields of
/// the first version, plus the typed ones (`counted_from`, `path_steps`,
/// `party_kind`, each date's `role`).
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 17)?;
        st.serialize_field("article", &self.article)?;
        st.serialize_field("article_display", self.article_display())?;
        st.serialize_field("quote", &self.quote())?;
        st.serialize_field("rule", &self.rule)?;
        st.serialize_field("rule_text", self.rule_text())?;
        st.serialize_field("pattern", self.pattern)?;
        st.serialize_field("verdict", &self.verdict)?;
        st.serialize_field("events", &self.events)?;
        st.serialize_field("dates", &self.dates)?;
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("path", &self.path.as_ref().map(ToString::to_string))?;
        if let Some(p) = &self.path {
            st.serialize_field("path_steps", &[p.key()])?;
        }
        if let Some(p) = &self.party {
            st.serialize_field("party", p.name())?;
            st.serialize_field("party_kind", if p.is_unit() { "unit" } else { "person" })?;
        }
        if let Some(d) = self.counted_from {
            st.serialize_field("counted_from", &d)?;
        }
        if let Some(k) = &self.kind_unsure {
            st.serialize_field(
                "kind_unsure",
                &serde_json::json!({
                    "recorded": &*k.recorded,
                    "wanted": &*k.wanted,
                    "if_applies": k.if_applies,
                }),
            )?;
        }
        st.end()
    }
}
