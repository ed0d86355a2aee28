//! Date arithmetic for `guize date` and the REPL: `2023-09-25 +7工作日`,
//! `+30日`, `-3天`, and whether a day is a working day.

use chrono::NaiveDate;

use crate::calendar::{Calendar, CalendarId, DayStatus};
use crate::diag::{Diag, Source, code};
use crate::syntax::ast::Span;
use crate::syntax::parse_numeral;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateAnswer {
    pub start: NaiveDate,
    pub offset: i64,
    pub working_days: bool,
    pub result: NaiveDate,
}

/// Parse and evaluate `DATE [+|-]N(工作日|日|天)` on an embedded calendar.
/// Errors point into `expr`.
pub fn evaluate(expr: &str, calendar: CalendarId) -> Result<DateAnswer, Diag> {
    let cal = Calendar::get(calendar).map_err(|e| {
        Diag::error(code::CALENDAR_DATA, Span::default(), e.to_string()).help("内置日历无法加载")
    })?;
    evaluate_in(expr, cal)
}

/// [`evaluate`] on a given calendar (e.g. one with supplement files).
pub fn evaluate_in(expr: &str, cal: &Calendar) -> Result<DateAnswer, Diag> {
    let src = Source::new("<日期表达式>", expr);
    let fail = |span: Span, msg: String, help: &str| {
        Diag::error(code::DATE_EXPR, span, msg)
            .label("这里")
            .help(help.to_string())
            .in_source(&src)
    };
    let trimmed_start = expr.len() - expr.trim_start().len();
    let body = expr.trim();
    // The offset's sign is the last + or - after the date itself.
    let (date_part, rest) = match body.rfind(['+', '-', '＋', '－']).filter(|i| *i >= 8) {
        Some(i) => body.split_at(i),
        None => (body, ""),
    };
    let date_span = Span::new(trimmed_start, trimmed_start + date_part.trim_end().len());
    let start = parse_date(date_part.trim()).ok_or_else(|| {
        fail(
            date_span,
            format!("“{}”不是有效日期", date_part.trim()),
            "日期写作 2023-09-25，且须是日历上存在的日子",
        )
    })?;
    let offset_at = trimmed_start + date_part.len();
    let rest_span = Span::new(offset_at, expr.len());
    let rest = rest.trim();
    if rest.is_empty() {
        // A date on its own needs no holiday data.
        return Ok(DateAnswer {
            start,
            offset: 0,
            working_days: false,
            result: start,
        });
    }
    let negative = rest.starts_with(['-', '－']);
    let rest = rest.trim_start_matches(['+', '-', '＋', '－']).trim();
    let (num, unit) = split_unit(rest).ok_or_else(|| {
        fail(
            rest_span,
            format!("无法理解“{rest}”"),
            "写作 +7工作日、+30日 或 -3天",
        )
    })?;
    let n = parse_numeral(num.trim()).map_err(|why| fail(rest_span, why, "数字写作 7 或 七"))?;
    let working = unit == "工作日";
    let result = if working {
        if negative {
            cal.sub_working_days(start, n)
        } else {
            cal.add_working_days(start, n)
        }
    } else {
        cal.add_days(
            start,
            if negative {
                -i64::from(n)
            } else {
                i64::from(n)
            },
        )
    }
    .map_err(|e| out_of_range(&src, date_span, &e.to_string()))?;
    Ok(DateAnswer {
        start,
        offset: if negative {
            -i64::from(n)
        } else {
            i64::from(n)
        },
        working_days: working,
        result,
    })
}

/// Is `date` a working day on an embedded calendar, and why.
pub fn workday(date: &str, calendar: CalendarId) -> Result<DayStatus, Diag> {
    let cal = Calendar::get(calendar).map_err(|e| {
        Diag::error(code::CALENDAR_DATA, Span::default(), e.to_string()).help("内置日历无法加载")
    })?;
    workday_in(date, cal)
}

/// [`workday`] on a given calendar.
pub fn workday_in(date: &str, cal: &Calendar) -> Result<DayStatus, Diag> {
    let src = Source::new("<日期>", date);
    let span = Span::new(0, date.len());
    let d = parse_date(date.trim()).ok_or_else(|| {
        Diag::error(code::DATE_EXPR, span, format!("“{date}”不是有效日期"))
            .label("这里")
            .help("日期写作 2023-10-07，且须是日历上存在的日子")
            .in_source(&src)
    })?;
    cal.status(d)
        .map_err(|e| out_of_range(&src, span, &e.to_string()))
}

fn out_of_range(src: &Source, span: Span, msg: &str) -> Diag {
    Diag::error(code::CALENDAR_OUT_OF_RANGE, span, msg.to_string())
        .label("不在日历范围内")
        .help("guize 只按已公布的节假日安排计算工作日，超出范围的日期不做猜测；新公布的安排可用 --calendar-file 加入")
        .in_source(src)
}

fn split_unit(s: &str) -> Option<(&str, &'static str)> {
    for unit in ["个工作日", "工作日", "日", "天"] {
        if let Some(num) = s.strip_suffix(unit) {
            let num = num.trim_end_matches('个');
            return Some((
                num,
                if unit.ends_with("工作日") {
                    "工作日"
                } else {
                    "日"
                },
            ));
        }
    }
    None
}

/// 2023-09-25, 2023/9/25, 2023.9.25 or 2023年9月25日（号）: the grammar's date rule.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::syntax::parse_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_example() {
        let a = evaluate("2023-09-25 +7工作日", CalendarId::National).unwrap();
        assert_eq!(a.result.to_string(), "2023-10-10");
        let b = evaluate("2023-09-25 +30日", CalendarId::National).unwrap();
        assert_eq!(b.result.to_string(), "2023-10-25");
        // 2023-10-10 − 3 calendar days = 2023-10-07.
        let c = evaluate("2023-10-10 -3天", CalendarId::National).unwrap();
        assert_eq!(c.result.to_string(), "2023-10-07");
        let d = evaluate("2023-09-25 +七个工作日", CalendarId::National).unwrap();
        assert_eq!(d.result.to_string(), "2023-10-10");
    }

    #[test]
    fn bad_expressions_are_coded() {
        for bad in ["2023-02-30 +1日", "2023-09-25 +7周", "2023-09-25 +二二日"] {
            let e = evaluate(bad, CalendarId::National).unwrap_err();
            assert_eq!(e.code, code::DATE_EXPR, "{bad}");
        }
        let e = evaluate("2027-01-04 +1工作日", CalendarId::National).unwrap_err();
        assert_eq!(e.code, code::CALENDAR_OUT_OF_RANGE);
        assert!(e.message.contains("2020年至2026年"), "{}", e.message);
        // Calendar days need no holiday data: 2027-01-04 + 1 = 2027-01-05.
        let a = evaluate("2027-01-04 +1日", CalendarId::National).unwrap();
        assert_eq!(a.result.to_string(), "2027-01-05");
    }
}
