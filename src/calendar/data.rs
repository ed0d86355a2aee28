//! Parsing and validation of the embedded holiday tables
//! (`rulesets/calendars/*.json`, layout described in that folder's README).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use super::CalendarError;

/// Embedded at compile time: the library never reads files at run time.
pub(super) const NATIONAL_JSON: &str =
    include_str!("../../rulesets/calendars/cn-statutory-holidays.json");
pub(super) const XINJIANG_JSON: &str =
    include_str!("../../rulesets/calendars/xinjiang-regional-holidays.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    // Required so a truncated or wrong file is caught; not used otherwise.
    #[serde(rename = "source_notes")]
    _source_notes: String,
    years: BTreeMap<String, Vec<RawRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    date: NaiveDate,
    name: String,
    off: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub name: String,
    pub off: bool,
}

/// One validated file: the notice years it holds and one row per listed date.
#[derive(Debug)]
pub(super) struct Table {
    pub years: BTreeSet<i32>,
    pub days: BTreeMap<NaiveDate, Row>,
}

pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses and checks one file. `label` names the file in error messages.
pub(super) fn parse_table(label: &str, json: &str) -> Result<Table, CalendarError> {
    let bad = |msg: String| CalendarError::Data(format!("{label}：{msg}"));
    let raw: RawFile = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    let mut years = BTreeSet::new();
    let mut days = BTreeMap::new();
    for (key, rows) in raw.years {
        let year: i32 = match key.parse() {
            Ok(y) if key.len() == 4 => y,
            _ => return Err(bad(format!("年份键“{key}”不是四位数字"))),
        };
        years.insert(year);
        for row in rows {
            let date = row.date;
            // Rows are keyed by notice year; only the previous year's late
            // December (e.g. 2022-12-31 under "2023") may precede it.
            let in_notice = date.year() == year || (date.year() == year - 1 && date.month() == 12);
            if !in_notice {
                return Err(bad(format!("{date} 不属于{year}年的通知")));
            }
            let name = row.name.trim();
            if name.is_empty() {
                return Err(bad(format!("{date} 缺少节日名称")));
            }
            // 调休上班 only ever turns a weekend into a working day.
            if !row.off && !is_weekend(date) {
                return Err(bad(format!("{date} 标为调休上班，但不是周六或周日")));
            }
            let new = Row {
                name: name.to_owned(),
                off: row.off,
            };
            if days.insert(date, new).is_some() {
                return Err(bad(format!("{date} 重复出现")));
            }
        }
    }
    if years.is_empty() {
        return Err(bad("没有任何年份的数据".to_owned()));
    }
    Ok(Table { years, days })
}
