//! The page of `guize audit --format html`: filled as the audit streams
//! (it keeps the findings it shows — 违反, 例外 and 待定, or all with
//! `--all` — and the rejected records; not the events), drawn at the end.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use crate::audit::{AuditItem, AuditStats};
use crate::calendar::{Calendar, DayKind};
use crate::check::{Finding, PartyRef, Verdict};
use crate::compile::ir::Ruleset;

use super::{VERDICTS, finding_day, num, page, verdict_class, verdict_counts, verdict_legend};

/// One ruleset version's part of the audit.
struct Section {
    ruleset: String,
    force: String,
    calendar: Arc<Calendar>,
    /// (number, display, 原文) of every article.
    articles: Vec<(u32, String, Vec<String>)>,
    file: String,
    findings: Vec<(Finding, Option<PartyRef>)>,
    /// Per rejected line: each reason (message：label) with its help.
    rejected: Vec<(usize, Vec<(String, String)>)>,
    unchecked: Vec<String>,
    /// (line, warning) of records taken with a likely slip.
    warnings: Vec<(usize, String)>,
    stats: Option<AuditStats>,
}

/// The audit report, collected as the audit runs: [`AuditReport::begin`]
/// per ruleset version, [`AuditReport::item`] per item, [`AuditReport::finish`]
/// with the summary, then [`AuditReport::render`].
#[derive(Default)]
pub struct AuditReport {
    sections: Vec<Section>,
    /// Also keep 符合 and 不适用 (`--all`).
    all: bool,
}

impl AuditReport {
    pub fn new(all: bool) -> AuditReport {
        AuditReport {
            sections: Vec::new(),
            all,
        }
    }

    /// Start the part of a ruleset (version) auditing `file`.
    pub fn begin(&mut self, rs: &Ruleset, file: &str) {
        self.sections.push(Section {
            ruleset: rs.name.clone(),
            force: crate::report::force_text(rs),
            calendar: Arc::clone(&rs.calendar),
            articles: rs
                .articles
                .iter()
                .map(|a| (a.number, a.display.to_string(), a.quotes.clone()))
                .collect(),
            file: file.to_string(),
            findings: Vec::new(),
            rejected: Vec::new(),
            unchecked: Vec::new(),
            warnings: Vec::new(),
            stats: None,
        });
    }

    /// An item of the audit begun last.
    pub fn item(&mut self, item: AuditItem) {
        let all = self.all;
        let Some(s) = self.sections.last_mut() else {
            return;
        };
        match item {
            AuditItem::Finding { finding, offender } => {
                if crate::report::audit_shows(&finding, all) {
                    s.findings.push((*finding, offender));
                }
            }
            // The reason as the human line gives it (message：label), and
            // the help (是否指“钱某”？) a reviewer printing the page needs.
            AuditItem::Rejected { line, diags } => s.rejected.push((
                line,
                diags
                    .iter()
                    .map(|d| {
                        let reason = match d.place_label() {
                            "" => d.message.clone(),
                            label => format!("{}：{label}", d.message),
                        };
                        (reason, d.help.clone())
                    })
                    .collect(),
            )),
            AuditItem::Unchecked { diags } => {
                s.unchecked.extend(diags.iter().map(|d| d.one_line()));
            }
            AuditItem::Warning { line, diags } => s.warnings.extend(
                diags
                    .iter()
                    .map(|d| (line, format!("{}（{}）", d.message, d.help))),
            ),
        }
    }

    /// The summary of the audit begun last.
    pub fn finish(&mut self, stats: AuditStats) {
        if let Some(s) = self.sections.last_mut() {
            s.stats = Some(stats);
        }
    }

    pub fn render(&self) -> String {
        let title = match self.sections.first() {
            Some(s) => format!("审计报告 · {}", s.file),
            None => "审计报告".to_string(),
        };
        let body = html! {
            header {
                h1 { "审计报告" }
                @if let Some(s) = self.sections.first() {
                    p.sub { "日志 " code { (s.file) } }
                }
            }
            @for (i, s) in self.sections.iter().enumerate() {
                (section(i, s, self.sections.len() > 1))
            }
        };
        page(&title, body)
    }
}

fn section(i: usize, s: &Section, versions: bool) -> Markup {
    let prefix = format!("a{i}");
    let mut findings: Vec<(Option<NaiveDate>, &Finding, Option<&str>)> = s
        .findings
        .iter()
        .map(|(f, o)| (finding_day(f), f, o.as_ref().map(|p| p.name())))
        .collect();
    findings.sort_by_key(|(d, f, _)| (*d, f.events.first().map(|e| e.line), f.article));
    let count = |v: Verdict| s.stats.as_ref().map_or(0, |st| st.total(v));
    html! {
        section.audit id=(prefix) {
            @if versions {
                h2 { "版本：" (s.ruleset) "（" (s.force) "）" }
            } @else {
                h2 { "依据：" (s.ruleset) }
            }
            @if let Some(st) = &s.stats {
                dl.facts {
                    dt { "记录" } dd { (crate::report::audit_records(st)) }
                    dt { "事件" }
                    dd {
                        (st.events) " 条"
                        @if let (Some(a), Some(z)) = (st.first, st.last) {
                            "，" (a) " 至 " (z)
                        }
                        @if let Some(c) = st.cutoff { "；截至 " (c) }
                    }
                    dt { "日历" } dd { (s.calendar.display_name()) }
                    dt { "结论" } dd { (verdict_counts(count)) }
                    @if st.unchecked > 0 {
                        dt { "无法判定" } dd { (st.unchecked) " 处（期限超出日历范围）" }
                    }
                }
            }
            div.cols {
                div.col {
                    h3 { "按条汇总" }
                    (article_summary(s))
                }
                div.col.narrow {
                    h3 { "违反最多" }
                    (offenders(s))
                }
            }
            h3 { "违反日历" }
            p.note { "每格一日，颜色越深违反越多；响应类按期限日计，其余按事件日（频次按周期末日）。点击有违反的日子跳到当日的结论。" }
            (heatmap(&prefix, s, &findings))
            h3 { "结论清单（" (findings.len()) " 条）" }
            div.legend-row { (verdict_legend()) }
            @if findings.is_empty() {
                p.note { "没有需要列出的结论。" }
            } @else {
                table.findings {
                    thead {
                        tr { th { "日期" } th { "日志行" } th { "结论" } th { "条" } th { "当事方" } th { "说明" } }
                    }
                    tbody {
                        @for (k, (day, f, who)) in findings.iter().enumerate() {
                            @let first_of_day = k == 0 || findings.get(k - 1).map(|p| p.0) != Some(*day);
                            tr class=(verdict_class(f.verdict)) id={ (prefix) "-f" (k) }
                                data-day=[first_of_day.then(|| day.map(|d| d.to_string())).flatten()]
                                data-row=(f.verdict.word()) {
                                td.date {
                                    @if first_of_day {
                                        @if let Some(d) = day { span id={ (prefix) "-d" (d) } {} }
                                    }
                                    (day.map_or_else(String::new, |d| d.to_string()))
                                }
                                td.line {
                                    @for (j, e) in f.events.iter().take(SHOWN_LINES).enumerate() {
                                        @if j > 0 { br; }
                                        code title=(e.text) { (s.file) ":" (e.line) }
                                    }
                                    @if f.events.len() > SHOWN_LINES {
                                        br; span.muted { "等 " (f.events.len()) " 行" }
                                    }
                                }
                                td { span class={ "badge " (verdict_class(f.verdict)) } { (f.verdict.word()) } }
                                td.art { (f.article_display()) br; span.pat { (f.pattern) } }
                                td { (who.or(f.party.as_ref().map(|p| p.name())).unwrap_or("")) }
                                td.expl { (f.explanation()) }
                            }
                        }
                    }
                }
            }
            @if !s.rejected.is_empty() {
                h3 { "拒收的记录（" (s.rejected.len()) " 条）" }
                table.rejected {
                    thead { tr { th { "日志行" } th { "原因" } th { "帮助" } } }
                    tbody {
                        @for (line, msgs) in &s.rejected {
                            tr {
                                td.line { code { (s.file) ":" (line) } }
                                td { @for (m, _) in msgs { p { (m) } } }
                                td { @for (_, h) in msgs { p { (h) } } }
                            }
                        }
                    }
                }
            }
            @if !s.unchecked.is_empty() {
                h3 { "无法判定" }
                ul { @for u in &s.unchecked { li { code { (u) } } } }
            }
            @if !s.warnings.is_empty() {
                h3 { "警告（记录已检查，但可能记错）" }
                ul { @for (line, w) in &s.warnings { li { "第" (line) "行：" (w) } } }
            }
        }
    }
}

/// Counts per article with the 原文 (articles with no finding left out).
fn article_summary(s: &Section) -> Markup {
    let Some(st) = &s.stats else {
        return html! {};
    };
    let rows: Vec<_> = st
        .by_article
        .iter()
        .filter(|(_, c)| VERDICTS.iter().any(|v| c.get(*v) > 0))
        .collect();
    let most = rows
        .iter()
        .map(|(_, c)| c.violated)
        .max()
        .unwrap_or(0)
        .max(1);
    html! {
        @if rows.is_empty() {
            p.note { "没有结论。" }
        } @else {
            table.articles {
                thead {
                    tr {
                        th { "条" } th { "原文" }
                        @for v in VERDICTS { th class={ "n " (verdict_class(v)) } { (v.word()) } }
                    }
                }
                tbody {
                    @for (n, c) in &rows {
                        @let (first, rest) = quotes_of(s, **n);
                        tr {
                            th.art { (c.display) }
                            td.quote {
                                @for q in &first { p { (q) } }
                                @if !rest.is_empty() {
                                    details.more {
                                        summary { @if first.is_empty() { "原文（" } @else { "其余原文（" } (rest.len()) " 句）" }
                                        @for q in &rest { p { (q) } }
                                    }
                                }
                                @if c.violated > 0 {
                                    div.meter { span.v-vio style={ "width:" (num(c.violated as f64 * 100.0 / most as f64)) "%" } {} }
                                }
                            }
                            @for v in VERDICTS {
                                @let k = c.get(v);
                                td class={ "n " @if k > 0 { (verdict_class(v)) " hit" } } { @if k > 0 { (k) } @else { "·" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An article's 原文: the sentences of the findings listed (those of a
/// 违反 first), at most [`SHOWN_QUOTES`]; then the rest of the article.
fn quotes_of(s: &Section, article: u32) -> (Vec<&str>, Vec<&str>) {
    let mut listed: Vec<(Verdict, &str)> = s
        .findings
        .iter()
        .filter(|(f, _)| f.article == article)
        .filter_map(|(f, _)| f.quote().map(|q| (f.verdict, q)))
        .collect();
    listed.sort();
    let mut first: Vec<&str> = Vec::new();
    for (_, q) in listed {
        if !first.contains(&q) {
            first.push(q);
        }
    }
    let all = s
        .articles
        .iter()
        .find(|(k, _, _)| *k == article)
        .map(|(_, _, q)| q.as_slice())
        .unwrap_or(&[]);
    let mut rest: Vec<&str> = first.split_off(first.len().min(SHOWN_QUOTES));
    for q in all {
        if !first.contains(&q.as_str()) && !rest.contains(&q.as_str()) {
            rest.push(q);
        }
    }
    (first, rest)
}

fn offenders(s: &Section) -> Markup {
    let Some(st) = &s.stats else {
        return html! {};
    };
    let worst = st.worst(10);
    let most = worst.first().map_or(1, |(_, n)| (*n).max(1));
    html! {
        @if worst.is_empty() {
            p.note { "没有违反。" }
        } @else {
            table.offenders {
                tbody {
                    @for (who, n) in &worst {
                        tr {
                            td.who { (who) }
                            td.bar { div.meter { span.v-vio style={ "width:" (num(*n as f64 * 100.0 / most as f64)) "%" } {} } }
                            td.n { (n) }
                        }
                    }
                }
            }
        }
    }
}

/// Log lines listed per finding (a 频次 finding cites several).
const SHOWN_LINES: usize = 3;
/// 原文 sentences shown per article before the rest is folded.
const SHOWN_QUOTES: usize = 2;

const CELL: f64 = 15.0;
const MONTH_W: f64 = CELL * 7.0 + 14.0;
const MONTH_H: f64 = CELL * 6.0 + 30.0;

/// 违反 per day as twelve month calendars per year of the log.
fn heatmap(
    prefix: &str,
    s: &Section,
    findings: &[(Option<NaiveDate>, &Finding, Option<&str>)],
) -> Markup {
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (d, f, _) in findings {
        if let (Some(d), Verdict::Violated) = (d, f.verdict) {
            *per_day.entry(*d).or_default() += 1;
        }
    }
    let years: Vec<i32> = {
        let st = s.stats.as_ref();
        let mut ys: Vec<i32> = per_day.keys().map(Datelike::year).collect();
        ys.extend(st.and_then(|st| st.first).map(|d| d.year()));
        ys.extend(st.and_then(|st| st.last).map(|d| d.year()));
        ys.sort_unstable();
        ys.dedup();
        ys
    };
    let most = per_day.values().copied().max().unwrap_or(0);
    let level = |n: usize| -> usize {
        if n == 0 || most == 0 {
            0
        } else {
            // 1..=5, proportional to the busiest day.
            (n * 5).div_ceil(most).clamp(1, 5)
        }
    };
    html! {
        @if years.is_empty() {
            p.note { "日志中没有日期。" }
        }
        @for y in years.iter().copied().take(5) {
            svg.heatmap xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (num(MONTH_W * 6.0)) " " (num(MONTH_H * 2.0 + 4.0)) }
                role="img" aria-label={ (y) "年每日违反数" } data-year=(y) {
                @for m in 1..=12u32 {
                    @if let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) {
                        @let ox = f64::from((m - 1) % 6) * MONTH_W;
                        @let oy = f64::from((m - 1) / 6) * MONTH_H;
                        text.mlabel x=(num(ox + 2.0)) y=(num(oy + 12.0)) { (y) "年" (m) "月" }
                        @for (k, w) in ["一", "二", "三", "四", "五", "六", "日"].iter().enumerate() {
                            text.wlabel x=(num(ox + k as f64 * CELL + CELL / 2.0)) y=(num(oy + 25.0)) { (w) }
                        }
                        @for d in first.iter_days().take_while(|d| d.month() == m) {
                            @let col = d.weekday().num_days_from_monday();
                            @let row = (d.day() - 1 + first.weekday().num_days_from_monday()) / 7;
                            @let x = ox + f64::from(col) * CELL;
                            @let yy = oy + 28.0 + f64::from(row) * CELL;
                            @let n = per_day.get(&d).copied().unwrap_or(0);
                            @let kind = s.calendar.status(d).ok().map(|st| st.kind);
                            @let off = matches!(kind, Some(DayKind::Weekend | DayKind::Holiday { .. } | DayKind::RegionalHoliday { .. }));
                            @let cls = format!("hm l{}{}", level(n), if off { " off" } else { "" });
                            @let tip = format!("{d} {}违反 {n} 处", kind.as_ref().map_or(String::new(), |k| match k {
                                DayKind::Holiday { name } => format!("（{name}放假）"),
                                DayKind::RegionalHoliday { name } => format!("（新疆{name}放假）"),
                                DayKind::AdjustedWorkday { name } => format!("（{name}调休上班）"),
                                DayKind::Weekend => "（周末）".to_string(),
                                DayKind::Weekday => String::new(),
                            }));
                            @if n > 0 {
                                a href={ "#" (prefix) "-d" (d) } {
                                    rect class=(cls) data-date=(d) data-count=(n) x=(num(x + 0.5)) y=(num(yy + 0.5)) width=(num(CELL - 1.0)) height=(num(CELL - 1.0)) rx="2" {
                                        title { (tip) }
                                    }
                                }
                            } @else {
                                rect class=(cls) data-date=(d) data-count="0" x=(num(x + 0.5)) y=(num(yy + 0.5)) width=(num(CELL - 1.0)) height=(num(CELL - 1.0)) rx="2" {
                                    title { (tip) }
                                }
                            }
                            @if matches!(kind, Some(DayKind::Holiday { .. } | DayKind::RegionalHoliday { .. })) {
                                circle.hol cx=(num(x + CELL - 3.5)) cy=(num(yy + 3.5)) r="1.6" {}
                            }
                            @if matches!(kind, Some(DayKind::AdjustedWorkday { .. })) {
                                text.ban x=(num(x + CELL / 2.0)) y=(num(yy + CELL - 4.0)) { "班" }
                            }
                        }
                    }
                }
            }
        }
        div.legend-row {
            span.legend {
                "违反：" span.key { span.swatch.hm.l0 {} "0" }
                @for l in 1..=5usize {
                    span.key { span class={ "swatch hm l" (l) } {} }
                }
                "最多 " (most) " 处/日"
                span.key { span.sym.red { "•" } "法定或新疆假日" }
                span.key { span.sym { "班" } "调休上班" }
            }
        }
    }
}
