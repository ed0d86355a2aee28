//! Output at the edges: human text, JSON (stable shape, see README) and
//! JUnit XML. Nothing here decides a verdict.

use std::fmt::Write as _;

use serde::Serialize;

use crate::audit::{AuditItem, AuditStats};
use crate::check::{Finding, ScenarioReport, Verdict};
use crate::suite::{Outcome, TestRun};

/// Version of the JSON shape; bump on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// Which findings a report lists; its 结论 line or summary counts them
/// all. `check -v` / `audit --all` list every one, `--only 违反,待定` those.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    /// 违反, 例外 and 待定.
    Default,
    All,
    Only(&'a [Verdict]),
}

impl<'a> Listing<'a> {
    /// From the flags: `--only` when given, else `-v`/`--all`.
    pub fn new(all: bool, only: &'a [Verdict]) -> Listing<'a> {
        match (only.is_empty(), all) {
            (false, _) => Listing::Only(only),
            (true, true) => Listing::All,
            (true, false) => Listing::Default,
        }
    }

    pub fn shows(self, v: Verdict) -> bool {
        match self {
            Listing::Default => !v.is_quiet(),
            Listing::All => true,
            Listing::Only(only) => only.contains(&v),
        }
    }

    /// Does it list a 符合 or 不适用 (which the audit otherwise only counts)?
    pub fn lists_quiet(self) -> bool {
        Verdict::ALL
            .into_iter()
            .any(|v| v.is_quiet() && self.shows(v))
    }
}

/// Human-readable report of one scenario.
pub fn human(r: &ScenarioReport, verbose: bool) -> String {
    human_listed(r, Listing::new(verbose, &[]))
}

/// [`human`] listing the findings `listing` shows (`check --only 违反`).
pub fn human_listed(r: &ScenarioReport, listing: Listing<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "情景“{}”（{}），依据“{}”",
        r.scenario, r.file, r.ruleset
    );
    if let Some(c) = r.cutoff {
        let _ = writeln!(out, "  截至 {c}");
    }
    for f in &r.findings {
        if !listing.shows(f.verdict) {
            continue;
        }
        let _ = writeln!(out, "{}", finding_line(f));
        if f.verdict.is_quiet() {
            continue;
        }
        let _ = writeln!(out, "      规则：{}", f.rule_text());
        if let Some(q) = &f.quote() {
            let _ = writeln!(out, "      原文：“{q}”");
        }
        for d in &f.dates {
            let _ = writeln!(out, "      {}：{}", d.role.word(), d.date);
        }
        for e in &f.events {
            let _ = writeln!(out, "      事件：{}:{}  {}", r.file, e.line, e.text);
        }
    }
    let _ = writeln!(out, "  {}", summary(r));
    out
}

/// One finding on one line: `  违反 第五十七条 [响应] …`.
pub fn finding_line(f: &Finding) -> String {
    format!(
        "  {} {} [{}] {}",
        f.verdict.word(),
        f.article_display(),
        f.pattern,
        f.explanation()
    )
}

/// 结论 line: the violated articles and counts per verdict.
pub fn summary(r: &ScenarioReport) -> String {
    let mut violated: Vec<(u32, &str)> = r
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Violated)
        .map(|f| (f.article, f.article_display()))
        .collect();
    violated.sort_unstable();
    violated.dedup();
    // Nothing judged (no event triggered a rule): not a 符合, which would
    // claim the record was checked and found in order.
    let head = if r.findings.is_empty() {
        "结论：无结论，没有事件触发任何规则".to_string()
    } else if violated.is_empty() {
        "结论：符合".to_string()
    } else {
        let names: Vec<&str> = violated.iter().map(|(_, d)| *d).collect();
        format!("结论：违反 {}", names.join("、"))
    };
    format!(
        "{head}（违反 {}，例外 {}，待定 {}，符合 {}，不适用 {}）",
        r.count(Verdict::Violated),
        r.count(Verdict::Excepted),
        r.count(Verdict::Pending),
        r.count(Verdict::Complied),
        r.count(Verdict::NotApplicable)
    )
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    reports: Vec<JsonScenario<'a>>,
}

#[derive(Serialize)]
struct JsonScenario<'a> {
    scenario: &'a str,
    ruleset: &'a str,
    file: &'a str,
    cutoff: Option<chrono::NaiveDate>,
    /// "违反" when any finding is 违反, else "符合".
    verdict: &'static str,
    violated: Vec<u32>,
    findings: &'a [Finding],
}

/// JSON for `guize check --format json`.
pub fn json(reports: &[ScenarioReport]) -> String {
    let doc = JsonReport {
        version: JSON_VERSION,
        reports: reports
            .iter()
            .map(|r| {
                let violated: Vec<u32> = r.violated().into_iter().collect();
                JsonScenario {
                    scenario: &r.scenario,
                    ruleset: &r.ruleset,
                    file: &r.file,
                    cutoff: r.cutoff,
                    verdict: if violated.is_empty() {
                        "符合"
                    } else {
                        "违反"
                    },
                    violated,
                    findings: &r.findings,
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// JUnit XML for `guize test --junit FILE`.
pub fn junit(run: &TestRun) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"guize\" tests=\"{}\" failures=\"{}\">",
        run.cases.len(),
        run.failed()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"guize\" tests=\"{}\" failures=\"{}\">",
        run.cases.len(),
        run.failed()
    );
    for c in &run.cases {
        let class = xml(&format!(
            "{}::{}",
            c.file,
            c.ruleset.as_deref().unwrap_or("")
        ));
        let _ = write!(
            out,
            "    <testcase classname=\"{class}\" name=\"{}\"",
            xml(&c.scenario)
        );
        match &c.outcome {
            Outcome::Passed => out.push_str("/>\n"),
            Outcome::Failed(lines) => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml(lines.first().map_or("", String::as_str)),
                    xml(&lines.join("\n"))
                );
            }
            Outcome::Error(diags) => {
                let text: Vec<String> = diags.iter().map(|d| d.one_line()).collect();
                let _ = writeln!(
                    out,
                    ">\n      <error message=\"{}\">{}</error>\n    </testcase>",
                    xml(text.first().map_or("", String::as_str)),
                    xml(&text.join("\n"))
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // Not allowed anywhere in XML 1.0 (control characters,
            // U+FFFE, U+FFFF): replaced, so the report stays well-formed.
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Coverage table for `guize test --coverage`.
pub fn coverage(run: &TestRun) -> String {
    let mut out = String::from(
        "覆盖率（触及：被情景判为违反、例外或符合；见违反：有情景判为违反或例外）：\n",
    );
    for c in &run.coverage {
        let (Some(touched), Some(breached)) = (c.percent(), c.breached_percent()) else {
            let _ = writeln!(
                out,
                "  {}：没有可检查的规则（“可”字许可不计），无覆盖率可言",
                c.ruleset
            );
            continue;
        };
        let _ = writeln!(
            out,
            "  {}：{} 条规则，触及 {}（{touched:.1}%），见违反 {}（{breached:.1}%）",
            c.ruleset, c.total, c.exercised, c.breached
        );
        for (article, rule) in &c.missing {
            let _ = writeln!(out, "    未覆盖 {article}：{rule}");
        }
        for (article, rule) in &c.complied_only {
            let _ = writeln!(
                out,
                "    只见符合 {article}：{rule}（没有情景违反它，违反能否查出未经检验）"
            );
        }
    }
    out
}

/// Human rendering of `guize diff`.
pub fn diff(d: &crate::diff::Diff) -> String {
    use crate::diff::{ArticleChange, RuleChange};
    let mut out = String::new();
    let s = &d.structural;
    let _ = writeln!(out, "结构差异：{} → {}", s.old, s.new);
    if s.articles.is_empty() && s.declarations.is_empty() {
        let _ = writeln!(out, "  声明、条文与规则无差异");
    }
    for c in &s.declarations {
        let _ = writeln!(out, "  {}声明 {}", c.change, c.text);
    }
    for a in &s.articles {
        match a {
            ArticleChange::Added { new } => {
                let _ = writeln!(out, "  新增 {}", new.display);
                for q in &new.quotes {
                    let _ = writeln!(out, "      新原文：“{q}”");
                }
            }
            ArticleChange::Removed { old } => {
                let _ = writeln!(out, "  删除 {}", old.display);
                for q in &old.quotes {
                    let _ = writeln!(out, "      旧原文：“{q}”");
                }
            }
            ArticleChange::Modified {
                old,
                new,
                renumbered,
                quote_changed,
                rules,
            } => {
                if *renumbered {
                    let _ = writeln!(out, "  重编号 {} → {}", old.display, new.display);
                } else {
                    let _ = writeln!(out, "  修改 {}", new.display);
                }
                for r in rules {
                    match r {
                        RuleChange::Added { text } => {
                            let _ = writeln!(out, "      新增规则：{text}");
                        }
                        RuleChange::Removed { text } => {
                            let _ = writeln!(out, "      删除规则：{text}");
                        }
                        RuleChange::Changed {
                            old_text,
                            new_text,
                            fields,
                        } => {
                            let _ = writeln!(out, "      规则：{old_text}");
                            let _ = writeln!(out, "        改为：{new_text}");
                            for f in fields {
                                let _ = writeln!(out, "        {}：{} → {}", f.field, f.old, f.new);
                            }
                        }
                    }
                }
                if *quote_changed {
                    // Only the sentences that differ, side by side.
                    for q in old.quotes.iter().filter(|q| !new.quotes.contains(q)) {
                        let _ = writeln!(out, "      旧原文：“{q}”");
                    }
                    for q in new.quotes.iter().filter(|q| !old.quotes.contains(q)) {
                        let _ = writeln!(out, "      新原文：“{q}”");
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "行为差异（检查了 {} 个情景）：", d.scenarios_checked);
    if d.scenarios_checked == 0 {
        // Nothing run is not "nothing changed".
        let _ = writeln!(
            out,
            "  没有依据旧规则集的情景，结论是否改变未经检查（在命令行给出情景文件，或用 --suites 指定情景目录）"
        );
    } else if d.changed.is_empty() {
        let _ = writeln!(out, "  所有情景的结论不变");
    }
    for c in &d.changed {
        let _ = writeln!(out, "  情景“{}”（{}）", c.scenario, c.file);
        if let Some(e) = &c.error {
            let _ = writeln!(out, "      {e}");
            continue;
        }
        let list = |v: &[String]| {
            if v.is_empty() {
                "无".to_string()
            } else {
                v.join("、")
            }
        };
        let _ = writeln!(
            out,
            "      违反：{} → {}",
            list(&c.old_violated),
            list(&c.new_violated)
        );
        for a in &c.articles {
            let name = match (&a.old_article, &a.new_article) {
                (Some(o), Some(n)) if o != n => format!("{o}→{n}"),
                (Some(o), _) => o.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "      {name}：{} → {}",
                list(&a.old_verdicts),
                list(&a.new_verdicts)
            );
            if a.old_dates != a.new_dates {
                let _ = writeln!(
                    out,
                    "        日期：{} → {}",
                    list(&a.old_dates),
                    list(&a.new_dates)
                );
            }
        }
    }
    let (changed, unchecked) = d.counts();
    if unchecked > 0 {
        let _ = writeln!(
            out,
            "结论：{changed} 个情景的结论改变；另有 {unchecked} 个情景在某一版本下无法检查（见上，不计为结论改变）"
        );
    } else {
        let _ = writeln!(out, "结论：{changed} 个情景的结论改变");
    }
    out
}

// ───────── audit (guize audit) ─────────

/// One finding of an audit as a JSON line; 符合 and 不适用 only with `all`.
#[derive(Serialize)]
struct AuditFindingLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    offender: Option<&'a str>,
    #[serde(flatten)]
    finding: &'a Finding,
}

#[derive(Serialize)]
struct AuditErrorLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    line: Option<usize>,
    errors: Vec<JsonDiag<'a>>,
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'a str,
    location: String,
    message: &'a str,
    /// What is wrong at the place (2025年9月只有30天，没有31日): the human
    /// line prints it after the message; without it the reason was lost.
    #[serde(skip_serializing_if = "str::is_empty")]
    label: &'a str,
    help: &'a str,
}

/// Does an audit finding belong in the output? Problems always do.
pub fn audit_shows(f: &Finding, all: bool) -> bool {
    Listing::new(all, &[]).shows(f.verdict)
}

/// An audit item as one JSON line (None: a finding `all` leaves out).
pub fn audit_jsonl(item: &AuditItem, all: bool) -> Option<String> {
    let mut buf = Vec::new();
    audit_jsonl_into(item, all, &mut buf);
    buf.pop()?;
    String::from_utf8(buf).ok()
}

/// [`audit_jsonl`] appended to `buf` with its newline (nothing when
/// `all` leaves the finding out, or when it cannot be written): the
/// audit's output reuses one buffer instead of a string per line.
pub fn audit_jsonl_into(item: &AuditItem, all: bool, buf: &mut Vec<u8>) {
    fn diags(ds: &[crate::diag::Diag]) -> Vec<JsonDiag<'_>> {
        ds.iter()
            .map(|d| JsonDiag {
                code: d.code,
                location: d.location(),
                message: &d.message,
                label: d.place_label(),
                help: &d.help,
            })
            .collect()
    }
    let start = buf.len();
    let written = match item {
        AuditItem::Finding { finding, offender } => {
            if !audit_shows(finding, all) {
                return;
            }
            serde_json::to_writer(
                &mut *buf,
                &AuditFindingLine {
                    kind: "finding",
                    offender: offender.as_ref().map(|p| p.name()),
                    finding,
                },
            )
        }
        AuditItem::Rejected { line, diags: d } => serde_json::to_writer(
            &mut *buf,
            &AuditErrorLine {
                kind: "rejected",
                line: Some(*line),
                errors: diags(d),
            },
        ),
        AuditItem::Unchecked { diags: d } => serde_json::to_writer(
            &mut *buf,
            &AuditErrorLine {
                kind: "unchecked",
                line: None,
                errors: diags(d),
            },
        ),
        AuditItem::Warning { line, diags: d } => serde_json::to_writer(
            &mut *buf,
            &AuditErrorLine {
                kind: "warning",
                line: Some(*line),
                errors: diags(d),
            },
        ),
    };
    match written {
        Ok(()) => buf.push(b'\n'),
        Err(_) => buf.truncate(start),
    }
}

/// A finding of an audit as one human line, with the log line it cites.
pub fn audit_finding_line(f: &Finding, offender: Option<&str>) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_audit_finding_line(&mut buf, f, offender);
    buf.pop();
    String::from_utf8(buf).unwrap_or_default()
}

/// [`audit_finding_line`] and its newline written to `w` piece by piece
/// (no string built per finding).
pub fn write_audit_finding_line(
    w: &mut impl std::io::Write,
    f: &Finding,
    offender: Option<&str>,
) -> std::io::Result<()> {
    if let Some(e) = f.events.first() {
        write!(w, "第{}行 ", e.line)?;
    }
    write!(
        w,
        "{} {} [{}]",
        f.verdict.word(),
        f.article_display(),
        f.pattern
    )?;
    if let Some(o) = offender {
        write!(w, "（{o}）")?;
    }
    writeln!(w, " {}", f.explanation())
}

/// How many records rejected for one reason the audit's stderr shows in
/// full before it only counts them.
pub const ECHO_PER_CODE: usize = 10;

/// The audit's rejected and unchecked records on stderr: the first
/// [`ECHO_PER_CODE`] of each error code in full, the rest counted and named
/// once at the end (a log wholly after `--cutoff` gives ten lines and a
/// count, not a line per record). Nothing is lost: the summary counts every
/// record and `--format jsonl` lists each one.
#[derive(Debug, Default)]
pub struct RejectionEcho {
    /// Per code: how many seen, and the first line not shown.
    seen: std::collections::BTreeMap<&'static str, (usize, Option<usize>)>,
}

impl RejectionEcho {
    /// The lines to show now for one record's errors (at `line`, when it
    /// has one).
    pub fn lines(&mut self, line: Option<usize>, diags: &[crate::diag::Diag]) -> Vec<String> {
        let mut out = Vec::new();
        for d in diags {
            let (n, first_hidden) = self.seen.entry(d.code).or_default();
            *n += 1;
            if *n <= ECHO_PER_CODE {
                out.push(d.one_line_with_help());
            } else if first_hidden.is_none() {
                *first_hidden = Some(line.unwrap_or(0));
            }
        }
        out
    }

    /// One line per code with records not shown.
    pub fn summary(&self) -> Vec<String> {
        self.seen
            .iter()
            .filter(|(_, (n, _))| *n > ECHO_PER_CODE)
            .map(|(code, (n, first))| {
                let from = match first {
                    Some(l) if *l > 0 => format!("（第{l}行起）"),
                    _ => String::new(),
                };
                format!(
                    "{code}: 另有 {} 条记录同此{from}，未逐条列出\n  帮助：摘要计入了每一条；--format jsonl 逐条列出",
                    n - ECHO_PER_CODE
                )
            })
            .collect()
    }
}

/// 读入 N 条 = 检查 C 条 + 拒收 R 条, with the records after `--cutoff`
/// when there are any (they are neither: outside the audit).
pub fn audit_records(stats: &AuditStats) -> String {
    let mut s = format!(
        "读入 {} 条 = 检查 {} 条 + 拒收 {} 条",
        stats.read, stats.checked, stats.rejected
    );
    if stats.after_cutoff > 0 {
        let cutoff = stats.cutoff.map(|c| c.to_string()).unwrap_or_default();
        s.push_str(&format!(
            " + 截至之后 {} 条（晚于 {cutoff}，未检查{}）",
            stats.after_cutoff,
            stats
                .first_after_cutoff
                .map(|l| format!("，第{l}行起"))
                .unwrap_or_default()
        ));
    }
    s
}

/// The audit's summary: records, verdicts per article, worst offenders.
pub fn audit_summary(stats: &AuditStats, ruleset: &str, file: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "审计 {file}（依据 {ruleset}）");
    let _ = writeln!(s, "记录：{}", audit_records(stats));
    match (stats.first, stats.last) {
        (Some(a), Some(z)) => {
            let _ = writeln!(
                s,
                "事件：{} 条，{a} 至 {z}；截至 {}",
                stats.events,
                stats
                    .cutoff
                    .map_or_else(|| z.to_string(), |c| c.to_string())
            );
        }
        _ => {
            let _ = writeln!(s, "事件：0 条");
        }
    }
    let verdicts = [
        Verdict::Violated,
        Verdict::Excepted,
        Verdict::Pending,
        Verdict::Complied,
        Verdict::NotApplicable,
    ];
    let totals: Vec<String> = verdicts
        .iter()
        .map(|v| format!("{} {}", v.word(), stats.total(*v)))
        .collect();
    let _ = writeln!(s, "结论：{}", totals.join("，"));
    if stats.unchecked > 0 {
        let _ = writeln!(
            s,
            "无法判定：{} 处（期限超出日历范围，见上方错误）",
            stats.unchecked
        );
    }
    let shown: Vec<_> = stats
        .by_article
        .iter()
        .filter(|(_, c)| c.violated + c.excepted + c.pending > 0)
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(s, "按条（有违反、例外或待定的条）：");
        for (_, c) in shown {
            let _ = writeln!(
                s,
                "  {}  违反 {}  例外 {}  待定 {}  符合 {}",
                c.display, c.violated, c.excepted, c.pending, c.complied
            );
        }
    }
    for n in &stats.never_recorded {
        let _ = writeln!(
            s,
            "提示：日志中没有一条“{}”记录；{}的 {} 处违反，可能只说明导出时未含这类记录",
            n.acts, n.article, n.violated
        );
    }
    let worst = stats.worst(10);
    if !worst.is_empty() {
        let _ = writeln!(s, "违反最多：");
        for (who, n) in worst {
            let _ = writeln!(s, "  {who}  {n}");
        }
    }
    let _ = writeln!(s, "内存：同时保留的事件最多 {} 条", stats.peak_buffer);
    s
}

/// The audit's summary as the last JSON line.
pub fn audit_summary_json(stats: &AuditStats) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(flatten)]
        stats: &'a AuditStats,
    }
    serde_json::to_string(&Line {
        kind: "summary",
        stats,
    })
    .unwrap_or_default()
}

/// A ruleset's force as a reader says it: 施行 2023-11-29 起，2025-01-01 废止.
pub fn force_text(rs: &crate::compile::ir::Ruleset) -> String {
    match (rs.effective, rs.repealed) {
        (Some(a), Some(z)) => format!("{a} 起施行，{z} 起废止"),
        (Some(a), None) => format!("{a} 起施行"),
        (None, Some(z)) => format!("{z} 起废止"),
        (None, None) => "未写施行日期".to_string(),
    }
}
