//! "Why": the steps that led to an article's verdicts in a scenario — the
//! trigger, the deadline computation day by day (holidays and 调休 named),
//! and the response found or missing. Used by the REPL's `:why`.

use crate::calendar::Calendar;
use crate::check::{CountedDeadline, DateRole, Finding, ScenarioReport};
use crate::compile::ir::Ruleset;
use crate::syntax::ast::TimeUnit;

/// Lines explaining every finding of `article` (its number) in `report`.
pub fn explain(rs: &Ruleset, report: &ScenarioReport, article: u32) -> Vec<String> {
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.article == article)
        .collect();
    let mut out = Vec::new();
    let Some(a) = rs.article_by_number(article) else {
        out.push(format!(
            "规则集“{}”中没有第{}条",
            rs.name,
            crate::syntax::to_chinese(article)
        ));
        return out;
    };
    if findings.is_empty() {
        out.push(format!("{}：本情景中没有事件触发这一条的规则", a.display));
        return out;
    }
    for (i, f) in findings.iter().enumerate() {
        out.push(format!(
            "{}. {} {} [{}]",
            i + 1,
            f.verdict.word(),
            f.article_display(),
            f.pattern
        ));
        out.push(format!("   规则：{}", f.rule_text()));
        if let Some(q) = &f.quote() {
            out.push(format!("   原文：“{q}”"));
        }
        for (k, e) in f.events.iter().enumerate() {
            let role = if k == 0 { "触发" } else { "相关" };
            out.push(format!("   {role}事件（第{}行）：{}", e.line, e.text));
        }
        if let Some(rule) = rs.rules.get(f.rule) {
            out.extend(deadline_steps(
                rs,
                rule.kind.pattern().counted_deadline(),
                f,
            ));
        }
        if let Some(rule) = rs.rules.get(f.rule)
            && f.verdict == crate::check::Verdict::Violated
            && let crate::check::RuleKind::Precedence(terms) = &rule.kind
        {
            out.push(precedent_search(rs, terms, f));
        }
        if let Some(p) = &f.path {
            out.push(format!("   依据：{p}"));
        }
        out.push(format!("   结论：{}", f.explanation()));
    }
    out
}

/// What a 先行 rule looked for and how far back (a drafter asked what
/// "未见请假" had searched): the act, by the date it was due, within the
/// look-back (further back for one naming its occasion).
fn precedent_search(
    rs: &Ruleset,
    terms: &crate::check::precedence::PrecedenceRule,
    f: &Finding,
) -> String {
    let due = f
        .dates
        .iter()
        .find(|x| x.role == DateRole::Limit)
        .map(|x| x.date)
        .or(f.counted_from)
        .or_else(|| f.events.first().map(|e| e.date));
    let when = due.map_or_else(String::new, |d| format!("{d} 或之前、"));
    let named = if terms.named_lookback == terms.lookback {
        String::new()
    } else {
        format!(
            "；写明依据或期间的，{}以内",
            terms.named_lookback.describe()
        )
    };
    format!(
        "   查找：{when}{}以内的“{}”{named}",
        terms.lookback.describe(),
        crate::check::pattern_text(rs, &terms.precedent)
    )
}

fn deadline_steps(rs: &Ruleset, d: Option<CountedDeadline>, f: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    let (Some(counted), Some(trigger)) = (d, f.events.first()) else {
        return out;
    };
    let (d, forward) = (counted.deadline, counted.forward);
    let Some(target) = f
        .dates
        .iter()
        .find(|x| matches!(x.role, DateRole::Deadline | DateRole::Limit))
    else {
        return out;
    };
    let cal: &Calendar = &rs.calendar;
    // The day the checker counted from (a multi-day trigger's last day for
    // a response, its first for a precedent), as the finding records it.
    let from = f.counted_from.unwrap_or(trigger.date);
    out.push(format!(
        "   计算：自 {from} 起{}{}（{}，当日不计）",
        if forward { "后" } else { "前" },
        d.describe(),
        rs.calendar.display_name()
    ));
    if d.unit == TimeUnit::WorkingDay {
        let n = i64::from(d.amount);
        if let Ok(trace) = cal.working_day_trace(from, if forward { n } else { -n }) {
            for (status, ordinal) in trace {
                let mark = ordinal.map_or_else(|| "  —".to_string(), |o| format!("{o:>3}"));
                out.push(format!("     {mark}  {}", status.explain()));
            }
        }
    }
    out.push(format!("   {}：{}", target.role.word(), target.date));
    out
}
