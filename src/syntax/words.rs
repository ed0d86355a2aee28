//! The keywords of the language, one table per keyword class. The grammar
//! (`grammar/guize.pest`) is the authority; these tables are how Rust code
//! reads and writes the same words (the builder maps a keyword to its enum,
//! fmt prints the enum back). `tests/words.rs` checks that every keyword of
//! the grammar is in a table here and every word here is in the grammar.

use super::ast::{
    ArticleForm, ComparisonWord, CountWord, DecidedWord, Direction, ExpectedVerdict, Grouping,
    LeaveWord, ModalityWord, PeriodWord, RangeWord, Role, TargetWord, UnitWord, Verb,
};

/// Look a word up in a table.
pub fn find<T: Copy>(table: &[(T, &str)], word: &str) -> Option<T> {
    table.iter().find(|(_, w)| *w == word).map(|(t, _)| *t)
}

/// The entry whose word ends `text`, the longest if several do (每两月:
/// 两月, not 月): the word after a keyword such as 每 or 按, whatever
/// whitespace or comment lies between them.
pub fn find_last<T: Copy>(table: &[(T, &str)], text: &str) -> Option<T> {
    table
        .iter()
        .filter(|(_, w)| text.ends_with(w))
        .max_by_key(|(_, w)| w.len())
        .map(|(t, _)| *t)
}

/// The word of a table entry.
pub fn word_of<T: Copy + PartialEq>(table: &[(T, &'static str)], value: T) -> &'static str {
    table
        .iter()
        .find(|(t, _)| *t == value)
        .map_or("", |(_, w)| *w)
}

pub const MODALITY: &[(ModalityWord, &str)] = &[
    (ModalityWord::Xu, "须"),
    (ModalityWord::YingDang, "应当"),
    (ModalityWord::BuDe, "不得"),
    (ModalityWord::Ke, "可"),
];

pub const COUNT: &[(CountWord, &str)] = &[
    (CountWord::ZhiShao, "至少"),
    (CountWord::BuShaoYu, "不少于"),
    (CountWord::BuChaoGuo, "不超过"),
    (CountWord::ZhiDuo, "至多"),
    (CountWord::ZuiDuo, "最多"),
    (CountWord::ChaoGuo, "超过"),
];

pub const COMPARISON: &[(ComparisonWord, &str)] = &[
    (ComparisonWord::ChaoGuo, "超过"),
    (ComparisonWord::BuShaoYu, "不少于"),
    (ComparisonWord::DaDao, "达到"),
];

pub const TARGET: &[(TargetWord, &str)] =
    &[(TargetWord::Xiang, "向"), (TargetWord::FaWang, "发往")];

pub const LEAVE: &[(LeaveWord, &str)] = &[
    (LeaveWord::LiXian, "离县"),
    (LeaveWord::LiZhou, "离州"),
    (LeaveWord::LiShi, "离市"),
];

pub const DECIDED: &[(DecidedWord, &str)] = &[
    (DecidedWord::GongWen, "公文"),
    (DecidedWord::WenJian, "文件"),
];

pub const DIRECTION: &[(Direction, &str)] = &[
    (Direction::Up, "上行"),
    (Direction::Level, "平行"),
    (Direction::Down, "下行"),
];

pub const ROLE: &[(Role, &str)] = &[
    (Role::MeetingChair, "会议主持人"),
    (Role::MeetingConvener, "会议召集人"),
    (Role::AreaLeader, "分管领导"),
    (Role::Individual, "个人"),
    (Role::Handler, "承办单位"),
    (Role::Attendees, "参会人员"),
];

/// 按 …: how a frequency is counted.
pub const GROUPING: &[(Grouping, &str)] = &[
    (Grouping::Person, "人员"),
    (Grouping::Convener, "召集人"),
    (Grouping::Chair, "主持人"),
    (Grouping::Unit, "单位"),
];

/// 每…: the period words.
pub const PERIOD: &[(PeriodWord, &str)] = &[
    (PeriodWord::BanNian, "半年"),
    (PeriodWord::Nian, "年"),
    (PeriodWord::JiDu, "季度"),
    (PeriodWord::LiangYue, "两月"),
    (PeriodWord::LiangGeYue, "两个月"),
    (PeriodWord::ErYue, "二月"),
    (PeriodWord::Yue, "月"),
    (PeriodWord::Zhou, "周"),
];

pub const ARTICLE_HEAD: &[(ArticleForm, &str)] =
    &[(ArticleForm::Di, "第"), (ArticleForm::Bare, "条")];

/// 预期 违反 / 例外 / 待定.
pub const VERDICT: &[(ExpectedVerdict, &str)] = &[
    (ExpectedVerdict::Violated, "违反"),
    (ExpectedVerdict::Excepted, "例外"),
    (ExpectedVerdict::Pending, "待定"),
];

/// The built-in verbs (event kinds); `Verb::ALL` is this table.
pub const VERBS: &[(Verb, &str)] = &[
    (Verb::Consult, "征求意见"),
    (Verb::Convene, "召开"),
    (Verb::Leave, "请假"),
    (Verb::Trip, "外出"),
    (Verb::BusinessTrip, "出差"),
    (Verb::Visit, "出访"),
    (Verb::Study, "学习"),
    (Verb::Training, "培训"),
    (Verb::Vacation, "休假"),
    (Verb::Sign, "签发"),
    (Verb::SignOff, "签署"),
    (Verb::Endorse, "签批"),
    (Verb::Review, "审核"),
    (Verb::CoSign, "会签"),
    (Verb::Issue, "印发"),
    (Verb::Submit, "报送"),
    (Verb::File, "报备"),
    (Verb::Reply, "回复"),
    (Verb::Report, "报告"),
    (Verb::Inquiry, "咨询"),
    (Verb::Respond, "回应"),
    (Verb::Approve, "审批"),
    (Verb::Survey, "调研"),
    (Verb::Absent, "缺席"),
];

/// Actions of an authority rule besides the verbs: 召集, 主持.
pub const CONVENE: &str = "召集";
pub const CHAIR: &str = "主持";

pub const TIME_UNIT: &[(UnitWord, &str)] = &[
    (UnitWord::GongZuoRi, "工作日"),
    (UnitWord::Ri, "日"),
    (UnitWord::Tian, "天"),
];

/// The words between the ends of a range (dates, counts).
pub const RANGE: &[(RangeWord, &str)] = &[
    (RangeWord::Zhi, "至"),
    (RangeWord::Dao, "到"),
    (RangeWord::Hyphen, "-"),
    (RangeWord::FullWidthHyphen, "－"),
    (RangeWord::FullWidthTilde, "～"),
    (RangeWord::Tilde, "~"),
];

/// 视同 (one act) / 区分 (different acts): true when different.
pub const SAME_ACT: &[(bool, &str)] = &[(false, "视同"), (true, "区分")];

/// 当日 / 同日: a deadline on the trigger's own day.
pub const SAME_DAY: &[&str] = &["当日", "同日"];

/// 原则上 / 一般 before a rule: it admits exceptions.
pub const DEFEASIBLE: &[&str] = &["原则上", "一般"];

/// 离县期间 / 外出期间: the trip word of an absence.
pub const AWAY: &[&str] = &["离县", "离州", "离市", "外出"];

pub const WEEKDAY: &[(u32, &str)] = &[
    (1, "星期一"),
    (2, "星期二"),
    (3, "星期三"),
    (4, "星期四"),
    (5, "星期五"),
    (6, "星期六"),
    (7, "星期日"),
    (7, "星期天"),
];

/// 公文 { 重要 规范性 紧急 统称 }.
pub const DOCUMENT_FLAGS: &[&str] = &["重要", "规范性", "紧急", COLLECTIVE];

/// 公文 X { 统称 }: X is a collective name for the kinds below it
/// (`DocumentKind::collective`).
pub const COLLECTIVE: &str = "统称";

/// The statement keywords one by one, for code that names a statement
/// (the builder's statement spans and "written twice" errors);
/// `STATEMENT` lists them all.
pub mod stmt {
    pub const RULESET: &str = "规则集";
    pub const SCENARIO: &str = "情景";
    pub const ENACTED_BY: &str = "制定";
    pub const EFFECTIVE: &str = "施行";
    pub const REPEALED: &str = "废止";
    pub const CALENDAR: &str = "日历";
    pub const CALENDAR_FILES: &str = "补充";
    pub const POSITION: &str = "职务";
    pub const UNIT: &str = "单位";
    pub const BELONGS_TO: &str = "属于";
    pub const AREA_LEADERS: &str = "分管领导";
    pub const ACT_TAGS: &str = "不沿用";
    pub const VERB_DECL: &str = "行为";
    pub const MEETING: &str = "会议";
    pub const DOCUMENT: &str = "公文";
    pub const QUOTE: &str = "原文";
    pub const ARTICLE_DI: &str = "第";
    pub const ARTICLE_BARE: &str = "条";
    pub const TITLE: &str = "名称";
    pub const MEMBERS: &str = "组成";
    pub const ATTENDEES: &str = "列席";
    pub const FREQUENCY: &str = "频次";
    pub const MINUTES: &str = "纪要签发";
    pub const QUORUM: &str = "出席人数";
    pub const ISSUER: &str = "名义";
    pub const DIRECTION: &str = "行文方向";
    pub const BASIS: &str = "依据";
    pub const CUTOFF: &str = "截至";
    pub const WINDOW: &str = "期间";
    pub const PERSON: &str = "人员";
    pub const HOLDS: &str = "任";
    /// `2025-06-01 人员 王某 离任`: holds nothing from that day.
    pub const LEAVES_OFFICE: &str = "离任";
    pub const AREAS: &str = "分管";
    pub const EXPECTATION: &str = "预期";
}

/// Words that open a statement of a ruleset, an article, a meeting or
/// document block, or a scenario (and the items themselves).
pub const STATEMENT: &[&str] = &[
    stmt::RULESET,
    stmt::SCENARIO,
    stmt::ENACTED_BY,
    stmt::EFFECTIVE,
    stmt::REPEALED,
    stmt::CALENDAR,
    stmt::CALENDAR_FILES,
    stmt::POSITION,
    stmt::UNIT,
    stmt::BELONGS_TO,
    stmt::AREA_LEADERS,
    stmt::ACT_TAGS,
    stmt::VERB_DECL,
    stmt::MEETING,
    stmt::DOCUMENT,
    stmt::QUOTE,
    stmt::ARTICLE_DI,
    stmt::ARTICLE_BARE,
    stmt::TITLE,
    stmt::MEMBERS,
    stmt::ATTENDEES,
    stmt::FREQUENCY,
    stmt::MINUTES,
    stmt::QUORUM,
    stmt::ISSUER,
    stmt::DIRECTION,
    stmt::BASIS,
    stmt::CUTOFF,
    stmt::WINDOW,
    stmt::PERSON,
    stmt::HOLDS,
    stmt::LEAVES_OFFICE,
    stmt::AREAS,
    stmt::EXPECTATION,
];

/// Words inside rules and event patterns.
pub const RULE: &[&str] = &[
    "除",
    "另有时限",
    "外",
    "经",
    "批准",
    "情形",
    "在",
    "后",
    "前",
    "前后",
    "及时",
    "提前",
    "事先",
    "由",
    "委托的",
    "参会的",
    "跨领域",
    "期间",
    "或",
    "和",
    "召开",
    "出席",
    "人数",
    "一半",
    "半数",
    "分之",
    "每",
    "次",
    "按",
    "于",
    "每月",
    "个",
    "分管领导缺席",
    "决定印发的",
    "内",
];

/// Words of scenario statements and event attributes.
pub const SCENARIO: &[&str] = &[
    "收回",
    "委托",
    "代行",
    "全面工作",
    "自",
    "至",
    "到",
    "发往",
    "时限",
    "承办",
    "缺席",
    "地点",
    "决定印发",
    "领域",
    "事由",
    "特殊情况",
    "应到",
    "实到",
    "人",
    "符合",
    "无",
];

/// Chinese numerals (二十二, 一百零五).
pub const NUMERALS: &[&str] = &[
    "零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万",
];

/// Parts of a date written 2023年9月25日 (or 号).
pub const DATE: &[&str] = &["年", "月", "日", "号"];

/// A verb followed by one of these is part of a name (县行政审批局).
pub const NAME_SUFFIXES: &[&str] = &[
    "局", "委", "办", "会", "室", "科", "处", "组", "部", "厅", "站", "所", "院", "中心", "员",
    "稿", "书", "表", "材料", "制度",
];

/// Keywords that end a bare name (the grammar's `stop_word`, besides the
/// verbs): a name holding one is written in 「」.
pub const SEPARATOR_WORDS: &[&str] = &[
    "属于",
    "召集",
    "主持",
    "出席",
    "缺席",
    "列席",
    "地点",
    "决定印发",
    "事由",
    "特殊情况",
    "情形",
    "批准",
    "代行",
    "领域",
    "应到",
    "实到",
    "离县",
    "委托",
    "分管",
    "依据",
    "离州",
    "离市",
    "发往",
    "会议主持人",
    "会议召集人",
    "承办单位",
    "参会人员",
];

/// Every word of every table, with its table's name: what the grammar test
/// compares with the grammar's literals.
pub fn every_word() -> Vec<(&'static str, &'static str)> {
    fn words_of<T>(table: &'static [(T, &'static str)]) -> impl Iterator<Item = &'static str> {
        table.iter().map(|(_, w)| *w)
    }
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    let mut add = |class: &'static str, words: &mut dyn Iterator<Item = &'static str>| {
        out.extend(words.map(|w| (class, w)));
    };
    add("VERBS", &mut words_of(VERBS));
    add("ACTIONS", &mut [CONVENE, CHAIR].into_iter());
    add("MODALITY", &mut words_of(MODALITY));
    add("COUNT", &mut words_of(COUNT));
    add("COMPARISON", &mut words_of(COMPARISON));
    add("TARGET", &mut words_of(TARGET));
    add("LEAVE", &mut words_of(LEAVE));
    add("DECIDED", &mut words_of(DECIDED));
    add("DIRECTION", &mut words_of(DIRECTION));
    add("ROLE", &mut words_of(ROLE));
    add("GROUPING", &mut words_of(GROUPING));
    add("PERIOD", &mut words_of(PERIOD));
    add("ARTICLE_HEAD", &mut words_of(ARTICLE_HEAD));
    add("VERDICT", &mut words_of(VERDICT));
    add("TIME_UNIT", &mut words_of(TIME_UNIT));
    add("RANGE", &mut words_of(RANGE));
    add("SAME_ACT", &mut words_of(SAME_ACT));
    add("WEEKDAY", &mut words_of(WEEKDAY));
    add("DEFEASIBLE", &mut DEFEASIBLE.iter().copied());
    add("SAME_DAY", &mut SAME_DAY.iter().copied());
    add("AWAY", &mut AWAY.iter().copied());
    add("DOCUMENT_FLAGS", &mut DOCUMENT_FLAGS.iter().copied());
    add("STATEMENT", &mut STATEMENT.iter().copied());
    add("RULE", &mut RULE.iter().copied());
    add("SCENARIO", &mut SCENARIO.iter().copied());
    add("NUMERALS", &mut NUMERALS.iter().copied());
    add("DATE", &mut DATE.iter().copied());
    add("NAME_SUFFIXES", &mut NAME_SUFFIXES.iter().copied());
    add("SEPARATOR_WORDS", &mut SEPARATOR_WORDS.iter().copied());
    out
}
