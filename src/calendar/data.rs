//! Parsing and validation of holiday tables: the embedded ones
//! (`rulesets/calendars/*.json`, layout described in that folder's README)
//! and supplement files an office adds (`日历 … 补充 "文件.json"`,
//! `--calendar-file`). One validator for both; every problem carries its
//! place in the JSON text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::CalendarError;
use crate::diag::{Diag, code};
use crate::json::{char_span, offset_of, without_position};
use crate::syntax::ast::Span;

/// Embedded at compile time: the library never reads these at run time.
pub(super) const NATIONAL_JSON: &str =
    include_str!("../../rulesets/calendars/cn-statutory-holidays.json");
pub(super) const XINJIANG_JSON: &str =
    include_str!("../../rulesets/calendars/xinjiang-regional-holidays.json");

/// The schema, for help lines.
pub(super) const SCHEMA: &str = r#"{"source_notes": "…", "years": {"2027": [{"date": "2027-02-06", "name": "春节", "off": true}, …]}}"#;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile<'a> {
    // Required so a truncated or wrong file is caught; not used otherwise.
    #[serde(rename = "source_notes")]
    _source_notes: String,
    #[serde(borrow)]
    years: YearList<'a>,
}

/// The `years` object with its keys in file order, duplicates kept (a map
/// would silently keep only the last of two "2027" keys).
struct YearList<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for YearList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = YearList<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of years, e.g. {\"2027\": [...]}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, &'a RawValue)> = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(YearList(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow<'a> {
    #[serde(borrow)]
    date: &'a RawValue,
    name: String,
    off: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub name: String,
    pub off: bool,
    /// The notice year it is listed under.
    pub year: i32,
    /// The row object and its date, in the JSON text.
    pub span: Span,
    pub date_span: Span,
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

/// The span of `part`, a slice of `text` (serde_json's borrowed raw values
/// point into the text they were parsed from).
fn span_in(text: &str, part: &str) -> Span {
    let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    match start.checked_add(part.len()) {
        Some(end) if end <= text.len() => Span::new(start, end),
        _ => Span::new(0, 0),
    }
}

/// The span of the key `"2027"` written before the value at `value`:
/// back over `:` and whitespace to the closing quote, then to the opening one.
fn key_span(text: &str, value: Span) -> Span {
    let before = text.get(..value.start).unwrap_or("").trim_end();
    let Some(before) = before.strip_suffix(':') else {
        return value;
    };
    let before = before.trim_end();
    let Some(inner) = before.strip_suffix('"') else {
        return value;
    };
    match inner.rfind('"') {
        Some(open) => Span::new(open, before.len()),
        None => value,
    }
}

/// Parses and checks one table. Errors carry spans into `json` and no
/// source (the caller attaches the file).
pub(super) fn parse(json: &str) -> Result<Table, Vec<Diag>> {
    let raw: RawFile<'_> = serde_json::from_str(json).map_err(|e| {
        let at = offset_of(json, e.line(), e.column());
        vec![
            Diag::error(
                code::JSON_INVALID,
                char_span(json, at),
                format!("日历数据文件不是有效的 JSON：{}", without_position(&e)),
            )
            .label("这里")
            .help(format!("格式与内置数据相同：{SCHEMA}")),
        ]
    })?;
    let mut errors = Vec::new();
    let mut years = BTreeSet::new();
    let mut year_spans: BTreeMap<i32, Span> = BTreeMap::new();
    let mut days: BTreeMap<NaiveDate, Row> = BTreeMap::new();
    for (key, value) in &raw.years.0 {
        let value_span = span_in(json, value.get());
        let kspan = key_span(json, value_span);
        let year: i32 = match key.parse() {
            Ok(y) if key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()) => y,
            _ => {
                errors.push(
                    Diag::error(
                        code::CALENDAR_BAD_YEAR,
                        kspan,
                        format!("年份键“{key}”不是四位数字"),
                    )
                    .label("年份")
                    .help("“years”的键是通知所属的年份，如 \"2027\""),
                );
                continue;
            }
        };
        if let Some(first) = year_spans.get(&year) {
            errors.push(
                Diag::error(code::CALENDAR_BAD_YEAR, kspan, format!("{year}年出现两次"))
                    .label("又写了一次")
                    .related(*first, "第一次在这里")
                    .help("同一年的日子写在同一个数组里"),
            );
            continue;
        }
        year_spans.insert(year, kspan);
        years.insert(year);
        let rows: Vec<&RawValue> = match serde_json::from_str(value.get()) {
            Ok(rows) => rows,
            Err(e) => {
                errors.push(
                    Diag::error(
                        code::JSON_INVALID,
                        value_span,
                        format!("{year}年的数据应是数组：{}", without_position(&e)),
                    )
                    .label("这里")
                    .help(format!("格式与内置数据相同：{SCHEMA}")),
                );
                continue;
            }
        };
        for raw_row in rows {
            let span = span_in(json, raw_row.get());
            if let Some(row) = check_row(json, raw_row, span, year, kspan, &days, &mut errors) {
                days.insert(row.0, row.1);
            }
        }
    }
    if raw.years.0.is_empty() {
        let at = json.find("\"years\"").unwrap_or(0);
        errors.push(
            Diag::error(
                code::CALENDAR_BAD_YEAR,
                Span::new(at, at + "\"years\"".len().min(json.len() - at)),
                "没有任何年份的数据",
            )
            .label("“years”是空的")
            .help(format!("至少写一年：{SCHEMA}")),
        );
    }
    if errors.is_empty() {
        Ok(Table { years, days })
    } else {
        Err(errors)
    }
}

/// One row, checked; None (with errors pushed) when it cannot be used.
fn check_row(
    json: &str,
    raw_row: &RawValue,
    span: Span,
    year: i32,
    year_span: Span,
    days: &BTreeMap<NaiveDate, Row>,
    errors: &mut Vec<Diag>,
) -> Option<(NaiveDate, Row)> {
    let row: RawRow<'_> = match serde_json::from_str(raw_row.get()) {
        Ok(r) => r,
        Err(e) => {
            errors.push(
                Diag::error(
                    code::JSON_INVALID,
                    span,
                    format!("这一行有误：{}", without_position(&e)),
                )
                .label("这一行")
                .help("每一行写作 {\"date\": \"2027-02-06\", \"name\": \"春节\", \"off\": true}"),
            );
            return None;
        }
    };
    let date_span = span_in(json, row.date.get());
    let written: Option<String> = serde_json::from_str(row.date.get()).ok();
    let date = written.as_deref().and_then(|s| {
        let ok_shape = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        ok_shape
            .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .flatten()
    });
    let Some(date) = date else {
        let shown = written.unwrap_or_else(|| row.date.get().to_string());
        errors.push(
            Diag::error(
                code::CALENDAR_BAD_DATE,
                date_span,
                format!("“{shown}”不是日历上存在的日子"),
            )
            .label("日期")
            .help("日期写作 \"2027-02-06\"（四位年、两位月、两位日），且须真实存在"),
        );
        return None;
    };
    // Rows are keyed by notice year; only the previous year's late
    // December (e.g. 2022-12-31 under "2023") may precede it.
    let in_notice = date.year() == year || (date.year() == year - 1 && date.month() == 12);
    if !in_notice {
        errors.push(
            Diag::error(
                code::CALENDAR_WRONG_YEAR,
                date_span,
                format!("{date} 不属于{year}年的通知"),
            )
            .label("日期")
            .related(year_span, "归在这一年之下")
            .help("把它移到所属年份的数组里（只有上一年12月的日子可以归在下一年的通知中）"),
        );
        return None;
    }
    let mut ok = true;
    let name = row.name.trim();
    if name.is_empty() {
        errors.push(
            Diag::error(code::CALENDAR_BAD_ROW, span, format!("{date} 缺少节日名称"))
                .label("这一行")
                .help("name 写通知中的节日名称，如 \"春节\""),
        );
        ok = false;
    }
    // 调休上班 only ever turns a weekend into a working day.
    if !row.off && !is_weekend(date) {
        errors.push(
            Diag::error(
                code::CALENDAR_BAD_ROW,
                span,
                format!("{date} 标为调休上班（off: false），但不是周六或周日"),
            )
            .label("这一行")
            .help("off: false 只用于通知中调为上班的周末；普通工作日不必列出"),
        );
        ok = false;
    }
    if let Some(first) = days.get(&date) {
        errors.push(
            Diag::error(
                code::CALENDAR_DUPLICATE_DAY,
                date_span,
                format!("{date} 重复出现"),
            )
            .label("又写了一次")
            .related(first.date_span, "第一次在这里")
            .help("每个日子只写一行；连休的每一天各写一行"),
        );
        ok = false;
    }
    ok.then(|| {
        (
            date,
            Row {
                name: name.to_owned(),
                off: row.off,
                year,
                span,
                date_span,
            },
        )
    })
}

/// Parses and checks one embedded file. `label` names it in the error.
pub(super) fn parse_table(label: &str, json: &str) -> Result<Table, CalendarError> {
    parse(json).map_err(|errors| {
        let msg = errors
            .first()
            .map_or_else(String::new, |d| d.message.clone());
        CalendarError::Data(format!("{label}：{msg}"))
    })
}
