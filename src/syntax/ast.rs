//! The abstract syntax of guize files. Every node carries the byte span of
//! its source; spans never take part in equality, so `format → parse` can be
//! compared with the original AST.

use chrono::NaiveDate;
use serde::Serialize;

/// A byte range in one source file. Equal to every other span, so ASTs compare
/// by content only.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}
impl Eq for Span {}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> miette::SourceSpan {
        (s.start, s.len()).into()
    }
}

/// Which of synonymous keywords was written (应当 or 须, 向 or 发往, …):
/// kept so that fmt prints it back, but equal to every other spelling, like
/// [`Span`], so trees compare by meaning.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Spelling<W>(pub W);

impl<W> PartialEq for Spelling<W> {
    fn eq(&self, _: &Spelling<W>) -> bool {
        true
    }
}
impl<W> Eq for Spelling<W> {}

/// One statement of a block, in source order: what it is (an index into
/// the block's lists), its span and its keyword's span. fmt prints a block
/// statement by statement from this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub what: Stmt,
    pub span: Span,
    pub keyword: Span,
}

impl Statement {
    /// The same ruleset statement appended after `base`'s items (the REPL
    /// adds typed items to a file's ruleset): list indices shifted past
    /// what `base` already holds.
    pub fn after(self, base: &Ruleset) -> Statement {
        let what = match self.what {
            Stmt::Position(i) => Stmt::Position(i + base.positions.len()),
            Stmt::Units { first, count } => Stmt::Units {
                first: first + base.units.len(),
                count,
            },
            Stmt::VerbDecls { first, count } => Stmt::VerbDecls {
                first: first + base.verb_decls.len(),
                count,
            },
            Stmt::SameAct(i) => Stmt::SameAct(i + base.same_acts.len()),
            Stmt::AreaLeaders { first, count } => Stmt::AreaLeaders {
                first: first + base.area_leaders.len(),
                count,
            },
            Stmt::ActTags { first, count } => Stmt::ActTags {
                first: first + base.act_tags.len(),
                count,
            },
            Stmt::Meeting(i) => Stmt::Meeting(i + base.meetings.len()),
            Stmt::Document(i) => Stmt::Document(i + base.documents.len()),
            Stmt::Article(i) => Stmt::Article(i + base.articles.len()),
            // Once-only statements and those of other blocks index nothing
            // of the ruleset's lists.
            other => other,
        };
        Statement { what, ..self }
    }
}

/// What a statement is. `first..first + count` ranges index the block's
/// flat lists (a list may gather several statements: 分管领导 A … 分管领导 B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stmt {
    // ruleset
    EnactedBy,
    Effective,
    Repealed,
    Calendar,
    Position(usize),
    Units { first: usize, count: usize },
    VerbDecls { first: usize, count: usize },
    SameAct(usize),
    AreaLeaders { first: usize, count: usize },
    ActTags { first: usize, count: usize },
    Meeting(usize),
    Document(usize),
    Article(usize),
    // article
    Quote(usize),
    Rule(usize),
    // meeting
    Title,
    Members { first: usize, count: usize },
    Attendees { first: usize, count: usize },
    MeetingRule(usize),
    // document
    Issuer,
    Direction,
    Flag(usize),
    // scenario
    Basis,
    Cutoff,
    Window,
    Person(usize),
    Delegation(usize),
    Revocation(usize),
    Event(usize),
    Expectation(usize),
}

/// 须 / 应当 / 不得 / 可.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ModalityWord {
    #[default]
    Xu,
    YingDang,
    BuDe,
    Ke,
}

/// The words of a count: 至少 / 不少于, 不超过 / 至多 / 最多, 超过, or none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum CountWord {
    ZhiShao,
    BuShaoYu,
    BuChaoGuo,
    ZhiDuo,
    ZuiDuo,
    ChaoGuo,
    /// `2 至 3`, `1-2` (see `CountSpelling::range`).
    Range,
    /// A bare number.
    #[default]
    Exact,
}

/// A count as written: its word and its numbers' spellings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CountSpelling {
    pub word: CountWord,
    /// `1-2 次`: the word between the numbers of a range.
    pub range: RangeWord,
    pub numbers: Vec<String>,
}

/// 超过 / 不少于 / 达到.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ComparisonWord {
    ChaoGuo,
    #[default]
    BuShaoYu,
    DaDao,
}

/// A fraction as written: 一半, 半数, 三分之二 (denominator first), 2/3.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub enum FractionForm {
    #[default]
    YiBan,
    BanShu,
    FenZhi {
        denominator: String,
        numerator: String,
    },
    Slash {
        numerator: String,
        denominator: String,
    },
}

/// 除 情形 X 外 or 除 X 外.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ExceptionForm {
    #[default]
    QingXing,
    Bare,
}

/// The period words after 每 (每两个月 and 每二月 are 每两月).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum PeriodWord {
    BanNian,
    Nian,
    JiDu,
    LiangYue,
    LiangGeYue,
    ErYue,
    #[default]
    Yue,
    Zhou,
}

impl PeriodWord {
    pub fn period(self) -> Period {
        match self {
            PeriodWord::BanNian => Period::HalfYear,
            PeriodWord::Nian => Period::Year,
            PeriodWord::JiDu => Period::Quarter,
            PeriodWord::LiangYue | PeriodWord::LiangGeYue | PeriodWord::ErYue => Period::TwoMonths,
            PeriodWord::Yue => Period::Month,
            PeriodWord::Zhou => Period::Week,
        }
    }
}

/// 向 / 发往 before an event's targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum TargetWord {
    #[default]
    Xiang,
    FaWang,
}

/// 离县 / 离州 / 离市 (leaving the jurisdiction).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum LeaveWord {
    #[default]
    LiXian,
    LiZhou,
    LiShi,
}

/// 决定印发的公文 / 决定印发的文件.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum DecidedWord {
    #[default]
    GongWen,
    WenJian,
}

/// An article reference or heading: 第二十二条 or 条 二十二 / bare 二十二.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ArticleForm {
    /// 第…条
    #[default]
    Di,
    /// 条 … (a heading) or the bare number (a reference).
    Bare,
}

/// A value that may be a name or a quoted text (制定, 地点): how it was
/// written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Quoting {
    #[default]
    Bare,
    Quoted,
}

/// A value with the span it was written at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

pub type Name = Spanned<String>;

/// How the parts of an event's 领域 are joined when it has several
/// (`领域 教育、财政`: a joint document): one name, as written, so that a
/// document's 领域 carries on and prints as one value.
pub const AREA_JOIN: &str = "、";

/// The parts of an event's 领域 (one, or several joined by [`AREA_JOIN`];
/// a log's `"area": "教育、财政"` reads the same).
pub fn area_parts(area: &str) -> impl Iterator<Item = &str> {
    area.split(AREA_JOIN)
        .map(str::trim)
        .filter(|a| !a.is_empty())
}

/// Does a 领域 name two or more areas (a matter of several departments)?
pub fn several_areas(area: &str) -> bool {
    area_parts(area).nth(1).is_some()
}

/// A number as written (二十二, 22) and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Numeral {
    pub value: u32,
    pub spelling: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct File {
    pub rulesets: Vec<Ruleset>,
    pub scenarios: Vec<Scenario>,
    /// The file's comments in source order, as the grammar reads them. Not
    /// part of equality: the tree compares by content, comments separately.
    #[serde(skip)]
    pub comments: Comments,
}

/// One comment (`// …`, `# …`, `/* … */`) with its markers, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// A file's comments; equal to any other list so that trees compare by
/// their statements (compare `.0` to compare comments).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Comments(pub Vec<Comment>);

impl PartialEq for Comments {
    fn eq(&self, _: &Comments) -> bool {
        true
    }
}
impl Eq for Comments {}

// ───────── rulesets ─────────

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ruleset {
    pub name: Name,
    pub enacted_by: Option<Name>,
    pub enacted_by_quoting: Spelling<Quoting>,
    pub effective: Option<Spanned<NaiveDate>>,
    /// 废止: the first day no longer in force.
    pub repealed: Option<Spanned<NaiveDate>>,
    pub calendars: Vec<Name>,
    /// 分管领导 X、Y: the positions whose holders can be a 分管领导.
    pub area_leaders: Vec<Name>,
    /// 不沿用 情形 X、Y: 情形 of the act written on, not of its document.
    pub act_tags: Vec<Name>,
    /// 视同 签发、签署 [kinds]: verbs that are one act (for those kinds).
    pub same_acts: Vec<SameAct>,
    /// 单位 X、Y 属于 Z: each unit with the classes it belongs to.
    pub unit_parents: Vec<(Name, Vec<Name>)>,
    /// 行为 督查、送达: the verbs this ruleset adds to the built-in ones.
    pub verb_decls: Vec<Name>,
    /// `补充 "a.json"、…` after the calendar: supplement files as written
    /// (span: the quoted path).
    pub calendar_files: Vec<Name>,
    pub positions: Vec<PositionDecl>,
    pub units: Vec<Name>,
    pub meetings: Vec<MeetingDecl>,
    pub documents: Vec<DocumentDecl>,
    pub articles: Vec<Article>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

/// Interns a declared verb's word. The set only grows with the distinct
/// words declared in this process (a few dozen in practice).
pub fn intern(word: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::{Mutex, OnceLock};
    static WORDS: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut set = WORDS
        .get_or_init(|| Mutex::new(BTreeSet::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(w) = set.get(word) {
        return w;
    }
    let w: &'static str = Box::leak(word.to_owned().into_boxed_str());
    set.insert(w);
    w
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SameAct {
    /// 区分: the verbs are different acts (the opposite of 视同).
    pub distinct: bool,
    pub verbs: Vec<Spanned<Verb>>,
    /// Document kinds it holds for; empty: all.
    pub kinds: Vec<Name>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionDecl {
    pub names: Vec<Name>,
    pub parents: Vec<Name>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingDecl {
    pub name: Name,
    pub parent: Option<Name>,
    pub title: Option<Name>,
    pub members: Vec<Name>,
    pub attendees: Vec<Name>,
    /// Rule-like attributes (召集, 主持, 频次, 纪要签发, 出席人数), only valid
    /// inside an article, where they become that article's rules.
    pub rules: Vec<Rule>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    Up,
    Level,
    Down,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentDecl {
    pub name: Name,
    pub parent: Option<Name>,
    pub issuer: Option<Name>,
    pub direction: Option<Direction>,
    pub flags: Vec<Name>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub number: Numeral,
    /// The header as written: 第二十二条 or 条 二十二.
    pub heading: String,
    pub form: Spelling<ArticleForm>,
    pub quotes: Vec<Name>,
    pub rules: Vec<Rule>,
    pub meetings: Vec<MeetingDecl>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

// ───────── rules ─────────

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Modality {
    /// 须 / 应当
    Must,
    /// 不得
    MustNot,
    /// 可
    May,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// 原则上 / 一般, as written.
    pub defeasible: Option<Name>,
    /// 除 … 外: 情形 that make the rule not apply.
    pub exceptions: Vec<Name>,
    /// 除 向 X、Y 外: addressees the rule does not concern (an event sent
    /// only to them is out of its reach; they owe no answer).
    pub exempt_to: Vec<Name>,
    /// 除 经 X 批准 外: the approvers whose recorded approval excuses a
    /// violation (the only excuse the rule then accepts).
    pub approvers: Vec<ActorSpec>,
    /// 除 另有时限 外: a time limit recorded on the events (`时限 D`)
    /// replaces the rule's deadline.
    pub own_deadline: Option<Span>,
    /// 除 特殊情况 外: only a recorded 特殊情况 excuses (not an approval).
    pub special_only: Option<Span>,
    pub modality: Spanned<Modality>,
    pub modality_word: Spelling<ModalityWord>,
    /// 除 情形 X 外 or 除 X 外 (the first such clause).
    pub exception_form: Spelling<ExceptionForm>,
    pub body: RuleBody,
    /// Index into the article's `quotes` of the 原文 this rule encodes.
    pub quote: Option<usize>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RuleBody {
    Response {
        trigger: EventPattern,
        /// None: 及时 (no number of days).
        within: Option<Duration>,
        response: EventPattern,
        /// 在 T 前后 R: R may come before T too (no deadline, as 及时).
        either_side: bool,
    },
    Precedence {
        trigger: EventPattern,
        /// 前 60日内: how far back precedents are looked for.
        lookback: Option<Duration>,
        lead: Lead,
        precedent: EventPattern,
    },
    Authority {
        actors: Vec<ActorSpec>,
        actions: Vec<Spanned<Action>>,
        filters: Filters,
    },
    Frequency {
        pattern: EventPattern,
        period: Spanned<Period>,
        period_word: Spelling<PeriodWord>,
        count: Spanned<CountRange>,
        count_spelling: Spelling<CountSpelling>,
        group: Option<Spanned<Grouping>>,
    },
    Quorum {
        meetings: Vec<Name>,
        comparison: Spanned<Comparison>,
        comparison_word: Spelling<ComparisonWord>,
        fraction: Spanned<(u32, u32)>,
        fraction_form: Spelling<FractionForm>,
    },
    Prohibition {
        pattern: EventPattern,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimeUnit {
    WorkingDay,
    Day,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duration {
    pub amount: Numeral,
    /// 日 and 天 are one unit (the word written is in `written`).
    pub unit: TimeUnit,
    pub written: Spelling<DurationSpelling>,
    pub span: Span,
}

/// How a duration was written: 7个工作日内 / 7工作日 / 3天 …
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DurationSpelling {
    pub unit: UnitWord,
    /// 个 before the unit.
    pub ge: bool,
    /// 内 after it.
    pub nei: bool,
}

/// The unit's word: 工作日, 日 or 天.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum UnitWord {
    GongZuoRi,
    #[default]
    Ri,
    Tian,
}

impl UnitWord {
    pub fn unit(self) -> TimeUnit {
        match self {
            UnitWord::GongZuoRi => TimeUnit::WorkingDay,
            UnitWord::Ri | UnitWord::Tian => TimeUnit::Day,
        }
    }
}

/// `2023-09-25 +7工作日`: a date, and an offset from it (none for a date
/// alone). Read by the grammar's `date_expr` ([`crate::syntax::parse_date_expr`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateExpr {
    pub date: Spanned<chrono::NaiveDate>,
    pub offset: Option<Offset>,
}

/// `+7工作日` / `-3天`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offset {
    /// Written - or －.
    pub backwards: bool,
    pub duration: Duration,
}

/// The word between the two ends of a range: 至, 到, -, －, ～, ~.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum RangeWord {
    #[default]
    Zhi,
    Dao,
    Hyphen,
    FullWidthHyphen,
    FullWidthTilde,
    Tilde,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Lead {
    /// No lead given: on or before the trigger's date.
    None,
    /// 事先: on or before the trigger's date.
    Beforehand(Span),
    /// 提前 N 天: at least N before.
    AtLeast(Duration),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ActorSpec {
    Position(Name),
    /// 县长委托的常务副县长: a holder of `delegate` acting under a delegation
    /// from a holder of `principal`.
    Delegated {
        principal: Name,
        delegate: Name,
        /// 县长离县期间委托的…: only while the principal is away.
        away: Option<Spanned<String>>,
    },
    Role(Spanned<Role>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    /// 会议主持人: the chair of the meeting the event belongs to.
    MeetingChair,
    /// 会议召集人
    MeetingConvener,
    /// 分管领导: whoever 分管 the document's 领域.
    AreaLeader,
    /// 个人: any person (as opposed to a 单位).
    Individual,
    /// 承办单位: the party assigned to handle the trigger (承办 X).
    Handler,
    /// 参会人员: each person present at the trigger's meeting.
    Attendees,
}

impl Role {
    /// 会议主持人, 分管领导, …: the role's keyword.
    pub fn word(self) -> &'static str {
        super::words::word_of(super::words::ROLE, self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Verb {
    Convene, // 召开
    Leave,   // 请假
    Trip,    // 外出 (any trip)
    BusinessTrip,
    Visit,
    Study,
    Training,
    Vacation,
    Sign,    // 签发
    SignOff, // 签署
    Endorse, // 签批
    Review,  // 审核
    CoSign,  // 会签
    Issue,   // 印发
    Submit,  // 报送
    File,    // 报备
    Consult, // 征求意见
    Reply,   // 回复
    Report,  // 报告
    Inquiry, // 咨询
    Respond, // 回应
    Approve, // 审批
    Survey,  // 调研
    Absent,  // 缺席
    /// A verb the ruleset declares (`行为 督查、送达`): no meaning beyond
    /// its word; interned, so the type stays `Copy`.
    Declared(&'static str),
}

impl Verb {
    /// The built-in verbs and their words (the table is in `words`).
    pub const ALL: &'static [(Verb, &'static str)] = super::words::VERBS;

    pub fn from_word(word: &str) -> Option<Verb> {
        Verb::ALL.iter().find(|(_, w)| *w == word).map(|(v, _)| *v)
    }

    pub fn word(self) -> &'static str {
        if let Verb::Declared(w) = self {
            return w;
        }
        Verb::ALL
            .iter()
            .find(|(v, _)| *v == self)
            .map(|(_, w)| *w)
            .unwrap_or("?")
    }

    /// A built-in verb, or else the declared verb spelled `word` (whether
    /// the ruleset declares it is the compiler's question).
    pub fn from_any_word(word: &str) -> Verb {
        Verb::from_word(word).unwrap_or_else(|| Verb::Declared(intern(word)))
    }

    pub fn is_trip(self) -> bool {
        matches!(
            self,
            Verb::Trip
                | Verb::BusinessTrip
                | Verb::Visit
                | Verb::Study
                | Verb::Training
                | Verb::Vacation
        )
    }

    /// Does a pattern verb match an event verb? 外出 matches every trip.
    pub fn matches(self, event: Verb) -> bool {
        self == event || (self == Verb::Trip && event.is_trip())
    }
}

/// What an authority rule constrains: who convenes, who chairs, or who does
/// the event itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    Convene, // 召集
    Chair,   // 主持
    Do(Verb),
}

impl Action {
    /// 召集, 主持, or a verb (built-in or declared: any other word may be
    /// one a ruleset declares, which the compiler checks).
    pub fn from_any_word(word: &str) -> Action {
        if word == super::words::CONVENE {
            Action::Convene
        } else if word == super::words::CHAIR {
            Action::Chair
        } else {
            Action::Do(Verb::from_any_word(word))
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Action::Convene => super::words::CONVENE,
            Action::Chair => super::words::CHAIR,
            Action::Do(v) => v.word(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Filters {
    /// Meeting or document kinds (resolved by the compiler).
    pub kinds: Vec<Name>,
    pub leaves_county: bool,
    /// 跨领域, where written: the event's 领域 names several areas.
    pub several_areas: Option<Span>,
    pub tags: Vec<Name>,
    /// 依据 <meeting kinds>: the event belongs to a meeting of these kinds.
    pub basis: Vec<Name>,
    pub targets: Vec<Target>,
    /// 向 A 或 B: one of the targets suffices (向 A、B: each is owed).
    pub targets_any: bool,
    /// 决定印发的公文
    pub decided: bool,
    /// 出席 X: a holder of one of these positions is at the meeting.
    pub present: Vec<Name>,
    /// 分管领导缺席: the event's 领域 is led by someone absent from its meeting.
    pub leader_absent: bool,
    /// 于 每月第1个和第3个星期四: the ordinals and the weekday as written.
    pub schedule: Option<Schedule>,
    /// 县长离县期间: a holder of the position is away (the word: 离县,
    /// 离州, 离市 or 外出).
    pub away: Option<(Name, Spanned<String>)>,
    /// Where the keyword-only filters were written and with which word.
    pub written: Spelling<FilterSpelling>,
}

/// The filters that are a keyword alone (离县, 分管领导缺席, 决定印发的公文):
/// their word and place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FilterSpelling {
    pub leaves_county: Option<Spanned<LeaveWord>>,
    pub leader_absent: Option<Span>,
    pub decided: Option<Spanned<DecidedWord>>,
}

/// 每月第N个星期X.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub ordinals: Vec<Numeral>,
    /// The weekday's word (星期四) and its number from Monday = 1.
    pub weekday: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Target {
    Name(Name),
    Role(Spanned<Role>),
    /// 参会的 X: each holder of position X at the trigger's meeting.
    Attending(Name),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventPattern {
    pub actor: Vec<ActorSpec>,
    pub verbs: Vec<Spanned<Verb>>,
    pub filters: Filters,
    /// Written without a built-in verb: the bare word groups in order
    /// (`督查 县教育局`, `办公室 送达 会议材料`). Which group is the verb (a
    /// declared 行为), which the actor and which the kinds only the ruleset's
    /// vocabulary tells: the compiler assigns them (`compile::words`).
    pub words: Vec<Vec<Name>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Period {
    Week,
    Month,
    /// 每两月: Jan–Feb, Mar–Apr, …
    TwoMonths,
    Quarter,
    HalfYear,
    Year,
}

impl Period {
    pub fn word(self) -> &'static str {
        match self {
            Period::Week => "每周",
            Period::Month => "每月",
            Period::TwoMonths => "每两月",
            Period::Quarter => "每季度",
            Period::HalfYear => "每半年",
            Period::Year => "每年",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CountRange {
    Between(u32, u32),
    AtLeast(u32),
    AtMost(u32),
    MoreThan(u32),
    Exactly(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Grouping {
    Person,
    Convener,
    Chair,
    /// 按 单位: the unit that is the event's actor (per department).
    Unit,
}

impl Grouping {
    /// 人员 / 召集人 / 主持人 / 单位, as written after 按.
    pub fn word(self) -> &'static str {
        super::words::word_of(super::words::GROUPING, self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    MoreThan,
    AtLeast,
}

// ───────── scenarios ─────────

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub name: Name,
    /// 依据: the rulesets it is checked under (several: cross-jurisdiction).
    pub basis: Vec<Name>,
    pub cutoff: Option<Spanned<NaiveDate>>,
    pub window: Option<(Spanned<NaiveDate>, Spanned<NaiveDate>)>,
    pub people: Vec<PersonDecl>,
    pub units: Vec<Name>,
    /// 单位 X 属于 Y in a scenario: a unit of this case placed in a class the
    /// ruleset declares.
    pub unit_parents: Vec<(Name, Vec<Name>)>,
    pub delegations: Vec<Delegation>,
    /// 收回 委托: delegations ended on a day.
    pub revocations: Vec<Revocation>,
    pub events: Vec<Event>,
    pub expectations: Vec<Expectation>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonDecl {
    /// A change on a day (`2025-06-01 人员 李某 任 …`): from that day the
    /// person holds exactly these positions and areas (none: 离任). None:
    /// what the person holds before any change.
    pub date: Option<Spanned<NaiveDate>>,
    pub name: Name,
    pub positions: Vec<Name>,
    pub areas: Vec<Name>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revocation {
    pub date: Spanned<NaiveDate>,
    pub from: Name,
    /// None: every delegation from `from`.
    pub to: Option<Name>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delegation {
    pub date: Option<Spanned<NaiveDate>>,
    pub from: Name,
    pub to: Name,
    /// Empty: 全面工作 (everything the delegator may do).
    pub actions: Vec<Spanned<Action>>,
    pub kinds: Vec<Name>,
    pub period: Option<(Spanned<NaiveDate>, Spanned<NaiveDate>)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub date: Spanned<NaiveDate>,
    pub verb: Spanned<Verb>,
    /// Written without a built-in verb: the bare word groups before the
    /// object, in order; the compiler finds the declared verb among them
    /// and reads the group before it as the actor, the one after as the
    /// kind (`compile::words`).
    pub words: Vec<Vec<Name>>,
    pub actor: Option<Name>,
    pub targets: Vec<Name>,
    pub kind: Option<Name>,
    pub object: Option<Name>,
    pub convener: Option<Name>,
    pub chair: Option<Name>,
    pub present: Vec<Name>,
    pub absent: Vec<Name>,
    pub attendees: Vec<Name>,
    pub place: Option<Name>,
    pub decided: Vec<Name>,
    pub basis: Option<Name>,
    pub area: Option<Name>,
    pub period: Option<(Spanned<NaiveDate>, Spanned<NaiveDate>)>,
    pub reason: Option<Name>,
    pub tags: Vec<Name>,
    pub special: Option<Name>,
    pub approved_by: Option<Name>,
    /// 承办 X: who handles the matter (answers a letter to a mailbox).
    pub handler: Option<Name>,
    /// 时限 D: the time limit the event sets for answering it.
    pub due: Option<Spanned<NaiveDate>>,
    pub leaves_county: bool,
    pub expected_count: Option<Numeral>,
    pub present_count: Option<Numeral>,
    /// Synonyms and keyword-only attributes as written.
    pub written: Spelling<EventSpelling>,
    pub span: Span,
}

/// How an event was written where the grammar offers a choice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventSpelling {
    pub target_word: TargetWord,
    /// 离县 / 离州 / 离市 and where.
    pub leaves_county: Option<Spanned<LeaveWord>>,
    pub place: Quoting,
    /// 自 D1 至 D2 or 自 D1 到 D2.
    pub period: RangeWord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExpectedVerdict {
    Violated,
    Excepted,
    Pending,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// 预期 依据 X …: applies only when checked under ruleset X.
    pub ruleset: Option<Name>,
    pub kind: ExpectationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ExpectationKind {
    Complies(Span),
    Set {
        verdict: ExpectedVerdict,
        articles: Vec<Numeral>,
        /// 第五十七条 or 五十七, per article as written.
        forms: Spelling<Vec<ArticleForm>>,
        span: Span,
    },
}
