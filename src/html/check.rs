//! The page of `guize check --format html`.

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::calendar::DayKind;
use crate::check::{Finding, ScenarioReport, Verdict};
use crate::compile::ir::{Ruleset, Scenario};
use crate::{Project, compile};

use super::timeline::{self, Mark};
use super::{VERDICTS, page, verdict_class, verdict_counts, verdict_legend, weekday_short};

/// The whole report of `guize check … --format html`. The scenarios are
/// compiled again (from `project`) for their events; a scenario that no
/// longer compiles is drawn from its findings alone.
pub fn check_report(project: &Project, reports: &[ScenarioReport]) -> String {
    let violated: usize = reports.iter().map(|r| r.count(Verdict::Violated)).sum();
    let body = html! {
        (timeline::patterns())
        header {
            h1 { "规则检查报告" }
            p.sub {
                (reports.len()) " 个情景 · "
                @if violated == 0 { "无违反" } @else { "违反 " (violated) " 处" }
            }
        }
        @if reports.is_empty() {
            p.note { "没有可检查的情景。" }
        }
        @if reports.len() > 1 {
            nav.toc {
                ol {
                    @for (i, r) in reports.iter().enumerate() {
                        li {
                            a href={ "#s" (i) } { (r.scenario) }
                            " "
                            (verdict_counts(|v| r.count(v)))
                        }
                    }
                }
            }
        }
        @for (i, r) in reports.iter().enumerate() {
            @let rs = project.ruleset(&r.ruleset);
            @let sc = rs.and_then(|rs| compiled(project, rs, r));
            (scenario(i, r, rs, sc.as_ref()))
        }
    };
    let title = match reports {
        [one] => format!("规则检查报告 · {}", one.scenario),
        _ => "规则检查报告".to_string(),
    };
    page(&title, body)
}

/// The scenario of a report, compiled under its ruleset.
fn compiled(project: &Project, rs: &Ruleset, r: &ScenarioReport) -> Option<Scenario> {
    let src = project
        .scenarios
        .iter()
        .find(|s| *s.source.name == *r.file && s.ast.name.node == r.scenario)?;
    compile::compile_scenario(rs, &src.ast, &src.source).ok()
}

fn scenario(i: usize, r: &ScenarioReport, rs: Option<&Ruleset>, sc: Option<&Scenario>) -> Markup {
    let prefix = format!("s{i}");
    let marks = timeline::marks(r, rs, sc, &prefix);
    let (mut loud, quiet): (Vec<&Mark<'_>>, Vec<&Mark<'_>>) = marks.iter().partition(|m| {
        matches!(
            m.finding.verdict,
            Verdict::Violated | Verdict::Excepted | Verdict::Pending
        )
    });
    // Most serious first, then by article; stable, so in date order within.
    loud.sort_by_key(|m| (m.finding.verdict, m.finding.article));
    let violated: Vec<&str> = {
        let mut v: Vec<(u32, &str)> = r
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Violated)
            .map(|f| (f.article, f.article_display()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v.into_iter().map(|(_, d)| d).collect()
    };
    html! {
        section.scenario id=(prefix) {
            h2 { "情景：" (r.scenario) }
            dl.facts {
                dt { "依据" } dd { (r.ruleset) }
                dt { "文件" } dd { code { (r.file) } }
                @if let Some((a, z)) = sc.and_then(|s| s.window) {
                    dt { "期间" } dd { (a) " 至 " (z) }
                }
                @if let Some(c) = r.cutoff {
                    dt { "截至" } dd { (c) "（期限在此之后的义务为待定）" }
                }
                @if let Some(rs) = rs {
                    dt { "日历" } dd { (rs.calendar.display_name()) }
                }
                dt { "结论" }
                dd {
                    @if violated.is_empty() {
                        strong.ok-text { "未见违反" }
                    } @else {
                        strong.vio-text { "违反 " (violated.join("、")) }
                    }
                    " "
                    (verdict_counts(|v| r.count(v)))
                }
            }
            h3 { "时间轴" }
            div.legend-row {
                (verdict_legend())
                span.legend {
                    span.key { span.swatch.day-weekend {} "周末" }
                    span.key { span.swatch.day-holiday {} "法定节假日（休）" }
                    span.key { span.swatch.day-regional {} "新疆假日（休）" }
                    span.key { span.swatch.day-adjusted { "班" } "调休上班" }
                    span.key { span.sym { "●" } "事件" }
                    span.key { span.sym { "◆" } "回应 / 事先" }
                    span.key { span.sym { "▎" } "期限" }
                }
            }
            figure.timeline-box {
                (timeline::timeline(&marks, rs, sc, r))
                figcaption {
                    "每条结论一个标记：响应为触发事件至期限（条内数字为计入的工作日），先行为应不晚于之日至事件，频次为统计周期，其余为事件当日。"
                    "悬停看摘要，点击看原文与逐日计数。"
                }
            }
            h3 { "结论" }
            @if loud.is_empty() {
                p.note { "没有违反、例外或待定的结论。" }
            }
            @for m in &loud {
                (card(m, &r.file))
            }
            @if !quiet.is_empty() {
                details.quiet {
                    summary { "符合与不适用的结论（" (quiet.len()) " 条）" }
                    @for m in &quiet {
                        (card(m, &r.file))
                    }
                }
            }
            h3 { "按条汇总" }
            (article_table(r, rs))
        }
    }
}

/// A finding in full: verdict, article, 原文, rule, events, dates,
/// explanation and the day-by-day count.
fn card(m: &Mark<'_>, file: &str) -> Markup {
    let f: &Finding = m.finding;
    html! {
        article class={ "finding " (verdict_class(f.verdict)) } id=(m.id) data-verdict=(f.verdict.word()) {
            div.head {
                span class={ "badge " (verdict_class(f.verdict)) } { (f.verdict.word()) }
                " "
                strong.art { (f.article_display()) }
                " "
                span.pat { "[" (f.pattern) "]" }
                @if let Some(p) = &f.party {
                    " " span.party { "当事方：" (p) }
                }
            }
            @if let Some(q) = &f.quote() {
                blockquote.quote { (q) }
            }
            p.expl { (f.explanation()) }
            dl.detail {
                dt { "规则" } dd { code { (f.rule_text()) } }
                @for (k, e) in f.events.iter().enumerate() {
                    dt { @if k == 0 { "触发" } @else { "相关" } }
                    dd {
                        // The statement as written usually starts with its date.
                        @if !e.text.starts_with(&e.date.to_string()) { (e.date) " " }
                        code { (e.text) }
                        " " span.muted { (file) ":" (e.line) }
                    }
                }
                @for d in &f.dates {
                    dt { (d.role.word()) } dd { (d.date) }
                }
                @if let Some(p) = &f.path {
                    dt { "依据" } dd { (p) }
                }
            }
            @if let Some(c) = &m.count {
                div.count {
                    div.count-head {
                        "逐日计数：自 " (c.from) " 起" @if c.forward { "向后" } @else { "向前" }
                        " " (c.amount) "（" (c.calendar) "，当日不计）"
                    }
                    ol.days {
                        @for (s, o) in &c.days {
                            @let cls = match &s.kind {
                                DayKind::Weekday => "d work",
                                DayKind::Weekend => "d weekend",
                                DayKind::Holiday { .. } => "d holiday",
                                DayKind::AdjustedWorkday { .. } => "d adjusted",
                                DayKind::RegionalHoliday { .. } => "d regional",
                            };
                            li class={ (cls) @if o.is_some() { " counted" } } title=(s.explain()) {
                                span.dd { (s.date.format("%m-%d")) " " (weekday_short(s.date)) }
                                span.dn {
                                    @match o {
                                        Some(o) => { "第" (o) "日" }
                                        None => { "不计" }
                                    }
                                }
                                @match &s.kind {
                                    DayKind::Holiday { name } => { span.why { (name) } }
                                    DayKind::RegionalHoliday { name } => { span.why { "新疆" (name) } }
                                    DayKind::AdjustedWorkday { name } => { span.why { (name) "调休" } }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Verdict counts and 原文 per article.
fn article_table(r: &ScenarioReport, rs: Option<&Ruleset>) -> Markup {
    let mut by: BTreeMap<u32, Vec<&Finding>> = BTreeMap::new();
    for f in &r.findings {
        by.entry(f.article).or_default().push(f);
    }
    html! {
        table.articles {
            thead {
                tr {
                    th { "条" }
                    th { "原文" }
                    @for v in VERDICTS {
                        th class={ "n " (verdict_class(v)) } { (v.word()) }
                    }
                }
            }
            tbody {
                @for (n, fs) in &by {
                    @let display = fs.first().map_or("", |f| f.article_display());
                    @let quotes = quotes_of(*n, fs, rs);
                    tr {
                        th.art { (display) }
                        td.quote {
                            @for q in &quotes { p { (q) } }
                        }
                        @for v in VERDICTS {
                            @let c = fs.iter().filter(|f| f.verdict == v).count();
                            td class={ "n " @if c > 0 { (verdict_class(v)) " hit" } } { @if c > 0 { (c) } @else { "·" } }
                        }
                    }
                }
            }
        }
    }
}

/// The 原文 of an article's findings, each once, in the ruleset's order
/// when it is known.
fn quotes_of<'a>(article: u32, fs: &[&'a Finding], rs: Option<&'a Ruleset>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let found = fs.iter().filter_map(|f| f.quote());
    let ordered: Vec<&str> = match rs.and_then(|rs| rs.article_by_number(article)) {
        Some(a) => {
            let mine: Vec<&str> = found.collect();
            a.quotes
                .iter()
                .map(String::as_str)
                .filter(|q| mine.contains(q))
                .chain(mine.iter().copied())
                .collect()
        }
        None => found.collect(),
    };
    for q in ordered {
        if !seen.contains(&q) {
            seen.push(q);
        }
    }
    seen
}
