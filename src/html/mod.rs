//! `--format html`: one self-contained page (inline CSS and SVG, a few
//! lines of inline script, no network) for people to read and print.
//!
//! Built with maud: markup is checked at compile time and every value put
//! into it is escaped (text and attributes alike); only this module's own
//! stylesheet and script go in unescaped. Everything drawn comes from the
//! typed findings, the compiled scenario and the ruleset's calendar.
//!
//! - [`check_report`]: per scenario a timeline (day strip, events, one
//!   mark per finding, deadlines and answers), the findings with their
//!   day-by-day count, and a table per article.
//! - [`AuditReport`]: per ruleset version the summary per article, the
//!   worst offenders, a heat-map of 违反 per day and every finding shown.
//!
//! Nothing here reads prose: a finding's dates carry a typed [`DateRole`].

mod audit;
mod check;
mod timeline;

use chrono::{Datelike, NaiveDate, Weekday};
use maud::{DOCTYPE, Markup, PreEscaped, html};

pub(crate) use crate::check::DateRole;
use crate::check::{Finding, Verdict};

pub use audit::AuditReport;
pub use check::check_report;

/// The stylesheet every page carries.
const STYLE: &str = include_str!("style.css");
/// Opens the finding a link points to (it may sit in a closed
/// `<details>`), and every `<details>` before printing.
const SCRIPT: &str = include_str!("report.js");

/// The verdicts in the order reports list them.
pub(crate) const VERDICTS: [Verdict; 5] = [
    Verdict::Violated,
    Verdict::Excepted,
    Verdict::Pending,
    Verdict::Complied,
    Verdict::NotApplicable,
];

/// CSS class of a verdict (ASCII: class names stay simple selectors).
pub(crate) fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Violated => "v-vio",
        Verdict::Excepted => "v-exc",
        Verdict::Pending => "v-pen",
        Verdict::Complied => "v-ok",
        Verdict::NotApplicable => "v-na",
    }
}

/// The first date of a finding with `role`.
pub(crate) fn date_with(f: &Finding, role: DateRole) -> Option<NaiveDate> {
    f.date(role)
}

/// The day a finding is placed on in lists and the audit's heat-map: the
/// day it fell due when it has a deadline (响应), a period's last day for
/// a count (频次), the day of its triggering event otherwise.
pub(crate) fn finding_day(f: &Finding) -> Option<NaiveDate> {
    date_with(f, DateRole::Deadline)
        .or_else(|| date_with(f, DateRole::PeriodEnd))
        .or_else(|| f.events.first().map(|e| e.date))
        .or_else(|| f.dates.first().map(|d| d.date))
}

pub(crate) fn weekday_short(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "一",
        Weekday::Tue => "二",
        Weekday::Wed => "三",
        Weekday::Thu => "四",
        Weekday::Fri => "五",
        Weekday::Sat => "六",
        Weekday::Sun => "日",
    }
}

/// A number for an SVG attribute: at most one decimal.
pub(crate) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Badges with the count of each verdict (zeros left out, except 违反).
pub(crate) fn verdict_counts(count: impl Fn(Verdict) -> usize) -> Markup {
    html! {
        span.counts {
            @for v in VERDICTS {
                @let n = count(v);
                @if n > 0 || v == Verdict::Violated {
                    span class={ "badge " (verdict_class(v)) } { (v.word()) " " (n) }
                }
            }
        }
    }
}

/// The legend of verdict colours.
pub(crate) fn verdict_legend() -> Markup {
    html! {
        span.legend {
            @for v in VERDICTS {
                span.key { span class={ "swatch " (verdict_class(v)) } {} (v.word()) }
            }
        }
    }
}

/// A whole page around `body`.
pub(crate) fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "guize " (env!("CARGO_PKG_VERSION")) };
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (body)
                footer {
                    "由 guize " (env!("CARGO_PKG_VERSION")) " 生成。结论依据规则集文本与日历数据逐条计算；原文以规则集所录为准。"
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(3.25), "3.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.96), "13");
    }
}
