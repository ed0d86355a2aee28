//! 禁止: no event may match. Events of the same kind that stay clear of the
//! forbidden circumstance are recorded as 符合.

use super::{Ctx, Draft, Finding, Verdict};
use crate::compile::ir::{CompiledRule, EventIr, RuleKind, Scope};

pub(super) fn check(ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
    let RuleKind::Prohibition { pattern } = &rule.kind else {
        return Vec::new();
    };
    let rs = ctx.rs;
    // The event kind the rule is about, without the forbidden circumstance.
    let base = Scope {
        meeting_kinds: pattern.scope.meeting_kinds.clone(),
        document_kinds: pattern.scope.document_kinds.clone(),
        ..Scope::default()
    };
    let events: Vec<&EventIr> = ctx
        .triggering(&pattern.verbs)
        .into_iter()
        .filter(|e| {
            ctx.in_scope(&base, e)
                && e.actor.as_ref().map_or(pattern.actors.is_empty(), |a| {
                    ctx.party_is(a, &pattern.actors)
                })
        })
        .collect();
    let mut out = Vec::new();
    for e in &events {
        if let Some(f) = super::not_applicable(ctx, rule, e) {
            out.push(f);
            continue;
        }
        let draft = if ctx.matches(pattern, e, true) {
            let why = describe(ctx, e, &pattern.scope);
            Draft::new(
                rule,
                Verdict::Violated,
                if pattern.scope.missing.is_empty()
                    && pattern.scope.schedule.as_ref().is_none_or(|d| !d.off)
                {
                    format!("{}：{why}，为本条所禁止", e.verb.word())
                } else {
                    format!("{}：{why}，不合本条要求", e.verb.word())
                },
            )
            .excuse_if_justified(ctx, &[e])
        } else {
            Draft::new(
                rule,
                Verdict::Complied,
                match (&pattern.scope.schedule, pattern.scope.missing.is_empty()) {
                    // 须 … 于 每月第N个星期X / 须 … 出席 X: say what was met.
                    (Some(d), _) if d.off => {
                        format!("{}：{} 是{}", e.verb.word(), e.date, d.describe())
                    }
                    (_, false) => format!("{}：所须人员已出席或列席", e.verb.word()),
                    _ => format!("{}未涉及本条禁止的情形", e.verb.word()),
                },
            )
        };
        out.push(draft.event(e).finish(rs));
    }
    out
}

fn describe(ctx: &Ctx<'_>, e: &EventIr, s: &Scope) -> String {
    let mut parts = Vec::new();
    let tags: Vec<&str> = e
        .tags
        .iter()
        .filter(|t| s.tags.contains(t))
        .map(String::as_str)
        .collect();
    if !tags.is_empty() {
        parts.push(format!("情形为{}", tags.join("、")));
    }
    if s.leaves_county {
        parts.push("离县".to_string());
    }
    let missing: Vec<&str> = s
        .missing
        .iter()
        .filter(|p| !ctx.attends(e, **p))
        .map(|p| ctx.rs.position_name(*p))
        .collect();
    if s.leader_absent
        && let (Some(p), Some(area), Some(m)) = (
            ctx.absent_area_leader(e),
            e.area.as_deref(),
            ctx.meeting_of(e),
        )
    {
        parts.push(format!(
            "“{area}”的分管领导{}缺席{}",
            ctx.sc.person_name(p),
            m.object
                .as_deref()
                .map_or(String::new(), |o| format!("“{o}”"))
        ));
    }
    if let Some(d) = &s.schedule {
        let day = crate::compile::ir::weekday_word(chrono::Datelike::weekday(&e.date));
        parts.push(if d.off {
            format!("{}（{day}）不是{}", e.date, d.describe())
        } else {
            format!("{}是{}", e.date, d.describe())
        });
    }
    if !missing.is_empty() {
        parts.push(format!("出席、列席名单中未见{}", missing.join("、")));
    }
    if !s.present.is_empty() {
        let who: Vec<String> = ctx
            .at_meeting(e)
            .filter(|id| s.present.iter().any(|p| ctx.holds(*id, *p).is_some()))
            .map(|id| ctx.sc.person_name(id).to_string())
            .collect();
        let positions: Vec<&str> = s.present.iter().map(|p| ctx.rs.position_name(*p)).collect();
        parts.push(format!(
            "{}（{}）出席",
            who.join("、"),
            positions.join("、")
        ));
    }
    if !s.targets.is_empty() {
        let to: Vec<String> = e.targets.iter().map(|t| ctx.sc.party_name(t)).collect();
        parts.push(format!("对象为{}", to.join("、")));
    }
    if let Some(place) = &e.place {
        parts.push(format!("地点{place}"));
    }
    if parts.is_empty() {
        "事件本身".to_string()
    } else {
        parts.join("，")
    }
}
