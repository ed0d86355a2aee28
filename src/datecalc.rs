//! Date arithmetic for `guize date` and the REPL: `2023-09-25 +7工作日`,
//! `+30日`, `-3天`, and whether a day is a working day.

use chrono::NaiveDate;

use crate::calendar::{Calendar, CalendarId, DayStatus};
use crate::diag::{Diag, Source, code};
use crate::syntax;
use crate::syntax::ast::{Span, TimeUnit};

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
    let parsed = syntax::parse_date_expr(&src).map_err(|ds| date_expr_error(ds, &src))?;
    let start = parsed.date.node;
    let Some(offset) = parsed.offset else {
        // A date on its own needs no holiday data.
        return Ok(DateAnswer {
            start,
            offset: 0,
            working_days: false,
            result: start,
        });
    };
    let n = offset.duration.amount.value;
    let signed = if offset.backwards {
        -i64::from(n)
    } else {
        i64::from(n)
    };
    let working_days = offset.duration.unit == TimeUnit::WorkingDay;
    let result = match (working_days, offset.backwards) {
        (true, true) => cal.sub_working_days(start, n),
        (true, false) => cal.add_working_days(start, n),
        (false, _) => cal.add_days(start, signed),
    }
    .map_err(|e| out_of_range(&src, parsed.date.span, &e.to_string()))?;
    Ok(DateAnswer {
        start,
        offset: signed,
        working_days,
        result,
    })
}

/// The grammar's diagnostic for a date expression, under the date
/// expression's code; a bare "cannot read" gets the expression's form as
/// help (a bad date or numeral keeps its own).
fn date_expr_error(diags: Vec<Diag>, src: &Source) -> Diag {
    let first = diags.into_iter().next().unwrap_or_else(|| {
        Diag::error(
            code::DATE_EXPR,
            Span::new(0, src.text.len()),
            "无法理解日期表达式",
        )
        .label("这里")
    });
    let generic = first.code == code::SYNTAX_UNEXPECTED;
    let mut d = first.with_code(code::DATE_EXPR);
    // Cut short (`2023-09-25 +7`): an empty span at the end shows no label,
    // so mark the last character, after which something is missing.
    if d.span.start == d.span.end
        && let Some(last) = src.text.get(..d.span.start).and_then(|t| t.chars().last())
    {
        d.span = Span::new(d.span.start - last.len_utf8(), d.span.end);
    }
    if generic {
        d = d.help("写作 2023-09-25 +7工作日、+30日 或 -3天（日期也可写 2023年9月25日）");
    }
    d.reattach(src)
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

    /// Where the hand reader that was here (`split_unit`) and the grammar's
    /// `duration` disagreed, the grammar now decides.
    #[test]
    fn durations_read_as_the_language_reads_them() {
        let at = |e: &str| evaluate(e, CalendarId::National).map(|a| a.result.to_string());
        // 内 and spaces inside a duration, as in a rule: were errors.
        assert_eq!(at("2023-09-25 +7个工作日内").unwrap(), "2023-10-10");
        assert_eq!(at("2023-09-25 + 7 个 工作日").unwrap(), "2023-10-10");
        assert_eq!(at("2023年9月25日－3天").unwrap(), "2023-09-22");
        // 个 twice: was read as one 个; the language has no such duration.
        let e = evaluate("2023-09-25 +7个个日", CalendarId::National).unwrap_err();
        assert_eq!(e.code, code::DATE_EXPR);
        assert!(!e.help.is_empty());
        // The span points into the expression, at what cannot be read.
        let e = evaluate("2023-09-25 +7周", CalendarId::National).unwrap_err();
        assert_eq!(e.span.start, "2023-09-25 +7".len(), "{e:?}");
    }
}
