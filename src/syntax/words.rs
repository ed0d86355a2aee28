//! The keywords of the language, one table per keyword class. The grammar
//! (`grammar/guize.pest`) is the authority; these tables are how Rust code
//! reads and writes the same words (the builder maps a keyword to its enum,
//! fmt prints the enum back). `tests/words.rs` checks that every keyword of
//! the grammar is in a table here and every word here is in the grammar.

use super::ast::{
    ArticleForm, ComparisonWord, CountWord, DecidedWord, Direction, ExpectedVerdict, Grouping,
    LeaveWord, ModalityWord, Period, Role, TargetWord,
};

/// Look a word up in a table.
pub fn find<T: Copy>(table: &[(T, &str)], word: &str) -> Option<T> {
    table.iter().find(|(_, w)| *w == word).map(|(t, _)| *t)
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

/// 每…: the spellings of each period (the first is the one printed).
pub const PERIOD: &[(Period, &str)] = &[
    (Period::HalfYear, "半年"),
    (Period::Year, "年"),
    (Period::Quarter, "季度"),
    (Period::TwoMonths, "两月"),
    (Period::TwoMonths, "两个月"),
    (Period::TwoMonths, "二月"),
    (Period::Month, "月"),
    (Period::Week, "周"),
];

pub const ARTICLE_HEAD: &[(ArticleForm, &str)] =
    &[(ArticleForm::Di, "第"), (ArticleForm::Bare, "条")];

/// 预期 违反 / 例外 / 待定.
pub const VERDICT: &[(ExpectedVerdict, &str)] = &[
    (ExpectedVerdict::Violated, "违反"),
    (ExpectedVerdict::Excepted, "例外"),
    (ExpectedVerdict::Pending, "待定"),
];
