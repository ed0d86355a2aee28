//! Lint: warnings about a ruleset that compiles but is probably wrong —
//! unused declarations, rules that can never trigger, contradicting or
//! overlapping rules, and rules no scenario exercises.

use std::collections::{BTreeMap, BTreeSet};

use crate::compile::ir::{Actor, CompiledRule, Pattern, RuleKind, Ruleset, Scope, TargetSpec};
use crate::diag::Diag;
use crate::suite::Coverage;
use crate::syntax::ast::{Span, Verb};

pub mod code {
    pub const UNUSED: &str = "guize::lint::unused";
    pub const UNREACHABLE: &str = "guize::lint::unreachable";
    pub const CONTRADICTION: &str = "guize::lint::contradiction";
    pub const TOO_MANY_PAIRS: &str = "guize::lint::too_many_pairs";
    pub const OVERLAP: &str = "guize::lint::overlap";
    pub const UNTESTED: &str = "guize::lint::untested";
    pub const SAME_TEXT: &str = "guize::lint::same_text";
    pub const TWO_WORDS: &str = "guize::lint::two_words";
    pub const ACTOR_KIND: &str = "guize::lint::actor_kind";
    pub const UNKNOWN_TAG: &str = "guize::lint::unknown_tag";
    pub const UNREAD_ACT: &str = "guize::lint::unread_act";
    pub const UNGROUPED: &str = "guize::lint::ungrouped";
}

/// What the test suites tell lint: which rules they exercise, and which
/// positions, units and kinds their scenarios use.
pub struct TestUse<'a> {
    pub coverage: &'a Coverage,
    pub names: &'a BTreeSet<String>,
    /// Per verb, how many scenario events are done by a person and by a unit.
    pub actor_kinds: &'a BTreeMap<Verb, (usize, usize)>,
}

/// Per verb, how many of a scenario's events a person does and a unit does
/// (names read with the scenario's 人员 and 单位 and the ruleset's 单位).
pub fn scenario_actor_kinds(
    rs: &Ruleset,
    sc: &crate::syntax::ast::Scenario,
    out: &mut BTreeMap<Verb, (usize, usize)>,
) {
    let people: BTreeSet<&str> = sc.people.iter().map(|p| p.name.node.as_str()).collect();
    for e in &sc.events {
        let Ok(e) = crate::compile::words::event(&rs.verbs, e) else {
            continue;
        };
        let Some(a) = &e.actor else { continue };
        let slot = out.entry(e.verb.node).or_insert((0, 0));
        if people.contains(a.node.as_str()) {
            slot.0 += 1;
        } else if rs.units.contains(&a.node) || sc.units.iter().any(|u| u.node == a.node) {
            slot.1 += 1;
        }
    }
}

/// Every warning for one ruleset, with the test suites' use when given.
pub fn lint(rs: &Ruleset, tests: Option<TestUse<'_>>) -> Vec<Diag> {
    let mut out = Vec::new();
    let coverage = tests.as_ref().map(|t| t.coverage);
    unused(rs, tests.as_ref().map(|t| t.names), &mut out);
    for r in &rs.rules {
        unreachable(r, &mut out);
    }
    pairs(rs, &mut out);
    two_words(rs, &mut out);
    if let Some(c) = coverage {
        untested(rs, c, &mut out);
    }
    if let Some(t) = &tests {
        for r in &rs.rules {
            actor_kind(rs, r, t.actor_kinds, &mut out);
        }
    }
    out.into_iter()
        .map(|d| d.warning().in_source(&rs.source))
        .collect()
}

fn warn(code: &'static str, span: Span, message: String, label: &str, help: &str) -> Diag {
    Diag::error(code, span, message).label(label).help(help)
}

#[derive(Default)]
struct Used {
    positions: BTreeSet<usize>,
    meetings: BTreeSet<usize>,
    documents: BTreeSet<usize>,
    units: BTreeSet<String>,
}

impl Used {
    fn actors(&mut self, actors: &[Actor]) {
        for a in actors {
            match a {
                Actor::Position(p) => {
                    self.positions.insert(*p);
                }
                Actor::Delegated {
                    principal,
                    delegate,
                    ..
                } => {
                    self.positions.insert(*principal);
                    self.positions.insert(*delegate);
                }
                Actor::Unit(u) => {
                    self.units.insert(u.clone());
                }
                Actor::Role(_) => {}
            }
        }
    }

    fn scope(&mut self, s: &Scope) {
        self.meetings
            .extend(s.meeting_kinds.iter().chain(&s.basis_meeting_kinds));
        self.documents.extend(&s.document_kinds);
        self.positions.extend(s.present.iter().chain(&s.missing));
        if let Some((p, _)) = s.away {
            self.positions.insert(p);
        }
        self.targets(&s.targets);
    }

    fn targets(&mut self, targets: &[TargetSpec]) {
        for t in targets {
            match t {
                TargetSpec::Position(p) | TargetSpec::Attending(p) => {
                    self.positions.insert(*p);
                }
                TargetSpec::Unit(u) => {
                    self.units.insert(u.clone());
                }
                TargetSpec::Role(_) => {}
            }
        }
    }

    fn pattern(&mut self, p: &Pattern) {
        self.actors(&p.actors);
        self.scope(&p.scope);
    }
}

/// Names a scenario uses: positions held, kinds and parties of events.
pub fn scenario_names(sc: &crate::syntax::ast::Scenario) -> BTreeSet<String> {
    let mut n = BTreeSet::new();
    n.extend(sc.units.iter().map(|u| u.node.clone()));
    for p in &sc.people {
        n.extend(p.positions.iter().map(|x| x.node.clone()));
    }
    for e in &sc.events {
        n.extend(e.kind.iter().map(|x| x.node.clone()));
        n.extend(e.actor.iter().map(|x| x.node.clone()));
        n.extend(e.targets.iter().map(|x| x.node.clone()));
    }
    for d in &sc.delegations {
        n.extend(d.kinds.iter().map(|x| x.node.clone()));
    }
    n
}

/// Declarations used by no rule (nor, when the suites are given, by any
/// scenario: a ruleset also gives scenarios their vocabulary).
fn unused(rs: &Ruleset, in_tests: Option<&BTreeSet<String>>, out: &mut Vec<Diag>) {
    let tested = |name: &str| in_tests.is_some_and(|t| t.contains(name));
    let mut used = Used::default();
    for r in &rs.rules {
        let facts = r.kind.pattern().lint_facts();
        for p in facts.patterns {
            used.pattern(p);
        }
        used.actors(facts.actors);
        // 除 向 专家 外 names 专家 as much as 向 专家 does.
        used.targets(&r.exempt_to);
        if let Some(s) = facts.scope {
            used.scope(s);
        }
        used.meetings.extend(facts.meetings);
    }
    for m in &rs.meetings {
        used.positions.extend(m.members.iter().chain(&m.attendees));
    }
    // A declaration counts as used when it, or anything it 属于, is used:
    // scenario people hold the specific positions.
    for (id, name) in rs.positions.names.iter().enumerate() {
        let reachable = used.positions.contains(&id)
            || rs
                .position_ancestors
                .get(id)
                .is_some_and(|a| a.iter().any(|x| used.positions.contains(x)))
            || rs
                .position_ancestors
                .iter()
                .enumerate()
                .any(|(child, anc)| anc.contains(&id) && used.positions.contains(&child));
        if !reachable && !tested(name) {
            let span = rs.positions.spans.get(id).copied().unwrap_or_default();
            out.push(warn(
                code::UNUSED,
                span,
                format!("职务“{name}”没有被任何规则用到"),
                "未使用的职务",
                "删去它，或检查是否有规则该用它而写成了别的名称",
            ));
        }
    }
    for (id, m) in rs.meetings.iter().enumerate() {
        let reachable = used.meetings.contains(&id)
            || m.ancestors.iter().any(|x| used.meetings.contains(x))
            || rs
                .meetings
                .iter()
                .enumerate()
                .any(|(c, k)| k.ancestors.contains(&id) && used.meetings.contains(&c));
        if !reachable && !tested(&m.name) {
            let span = rs.meeting_names.spans.get(id).copied().unwrap_or_default();
            out.push(warn(
                code::UNUSED,
                span,
                format!("会议种类“{}”没有被任何规则用到", m.name),
                "未使用的会议种类",
                "删去它，或为它写出召集、主持、频次等规则",
            ));
        }
    }
    for (id, d) in rs.documents.iter().enumerate() {
        if d.name == crate::compile::MINUTES {
            continue;
        }
        let reachable = used.documents.contains(&id)
            || d.ancestors.iter().any(|x| used.documents.contains(x))
            || rs
                .documents
                .iter()
                .enumerate()
                .any(|(c, k)| k.ancestors.contains(&id) && used.documents.contains(&c));
        if !reachable && !tested(&d.name) {
            let span = rs.document_names.spans.get(id).copied().unwrap_or_default();
            out.push(warn(
                code::UNUSED,
                span,
                format!("公文种类“{}”没有被任何规则用到", d.name),
                "未使用的公文种类",
                "删去它，或检查签发、印发等规则是否写错了公文种类",
            ));
        }
    }
    // 不沿用 情形 X: a misspelt X stops nothing from carrying.
    let tested_tags = tags_tested(rs);
    for t in &rs.act_tags {
        let name = t.node.trim();
        if !tested_tags.contains(name) {
            let help = match nearest(name, &tested_tags) {
                Some(near) => format!("是否想写“{near}”？不沿用 只对规则检查的情形有意义"),
                None => "检查是否写错；不沿用 只对规则检查的情形有意义".to_string(),
            };
            out.push(warn(
                code::UNUSED,
                t.span,
                format!("不沿用的情形“{name}”没有规则检查"),
                "没有规则检查这个情形",
                &help,
            ));
        }
    }
    for (id, u) in rs.unit_names.names.iter().enumerate() {
        if !used.units.contains(u) && !tested(u) {
            let span = rs.unit_names.spans.get(id).copied().unwrap_or_default();
            out.push(warn(
                code::UNUSED,
                span,
                format!("单位“{u}”没有被任何规则用到"),
                "未使用的单位",
                "情景里用到的单位可写在情景中（单位 …），规则集里只声明规则提到的单位",
            ));
        }
    }
}

fn unreachable(r: &CompiledRule, out: &mut Vec<Diag>) {
    let reason = r.kind.pattern().lint_facts().unreachable;
    if let Some(why) = reason {
        out.push(warn(
            code::UNREACHABLE,
            r.span,
            format!("这条规则永远不会被触发：{why}"),
            "没有事件能满足这个条件",
            "改写事件模式，使它能匹配情景中的事件",
        ));
    }
}

fn same_event_kind(a: &Pattern, b: &Pattern) -> bool {
    a.verbs
        .iter()
        .any(|v| b.verbs.iter().any(|w| v.matches(*w) || w.matches(*v)))
        && (a.scope.meeting_kinds.is_empty()
            || b.scope.meeting_kinds.is_empty()
            || a.scope
                .meeting_kinds
                .iter()
                .any(|k| b.scope.meeting_kinds.contains(k)))
        && (a.scope.document_kinds.is_empty()
            || b.scope.document_kinds.is_empty()
            || a.scope
                .document_kinds
                .iter()
                .any(|k| b.scope.document_kinds.contains(k)))
}

/// A prohibition with no circumstance forbids every event of its kind.
/// Does a prohibition forbid every event of its kinds (no circumstance
/// narrows it: 情形, 向, 离县, 出席, a day of the month, an absence)?
fn forbids_all(p: &Pattern) -> bool {
    let s = &p.scope;
    s.tags.is_empty()
        && s.targets.is_empty()
        && !s.leaves_county
        && !s.several_areas
        && s.present.is_empty()
        && s.missing.is_empty()
        && s.schedule.is_none()
        && s.away.is_none()
        && !s.leader_absent
}

/// Rule pairs compared at most (a few seconds): a 1 MB ruleset of 24,000
/// rules on one verb made 2.8×10⁸ pairs and took 34 s.
const MAX_PAIRS: usize = 20_000_000;

/// The verbs a rule's pairwise checks ([`pair`]) look at: two rules can
/// only clash when they share one (a trip verb counts as 出差 too, which
/// matches every trip).
fn pair_verbs(r: &CompiledRule) -> BTreeSet<Verb> {
    let verbs = r.kind.pattern().lint_facts().pair_verbs;
    verbs
        .into_iter()
        .map(|v| if v.is_trip() { Verb::Trip } else { v })
        .collect()
}

/// Contradicting and overlapping pairs, compared only among rules sharing
/// a verb; beyond [`MAX_PAIRS`] comparisons the rest is not compared, and
/// a warning says so.
fn pairs(rs: &Ruleset, out: &mut Vec<Diag>) {
    let mut by_verb: BTreeMap<Verb, Vec<usize>> = BTreeMap::new();
    let verbs: Vec<BTreeSet<Verb>> = rs.rules.iter().map(pair_verbs).collect();
    for (i, vs) in verbs.iter().enumerate() {
        for v in vs {
            by_verb.entry(*v).or_default().push(i);
        }
    }
    // Each pair once (`seen[j] == i`), in the order of the rules.
    let mut seen = vec![usize::MAX; rs.rules.len()];
    let mut compared = 0usize;
    let mut later: Vec<usize> = Vec::new();
    for (i, vs) in verbs.iter().enumerate() {
        let Some(a) = rs.rules.get(i) else { continue };
        later.clear();
        for v in vs {
            let Some(list) = by_verb.get(v) else { continue };
            // Lists are ascending: the rules after `i`.
            let from = list.partition_point(|&j| j <= i);
            for &j in list.get(from..).unwrap_or(&[]) {
                if let Some(mark) = seen.get_mut(j)
                    && *mark != i
                {
                    *mark = i;
                    later.push(j);
                }
            }
        }
        later.sort_unstable();
        for &j in &later {
            let Some(b) = rs.rules.get(j) else { continue };
            if compared >= MAX_PAIRS {
                out.push(warn(
                    code::TOO_MANY_PAIRS,
                    a.span,
                    format!("规则过多：只两两比较了前 {MAX_PAIRS} 对规则，此后的矛盾与重叠未检查"),
                    "从这条规则起未再比较",
                    "把规则集拆成较小的文件，或删去重复的规则",
                ));
                return;
            }
            compared += 1;
            if let Some(d) = pair(rs, a, b).or_else(|| pair(rs, b, a)) {
                out.push(d);
            }
        }
    }
}

/// Words the texts use for one act, which a recorder may write either way.
const TWO_WORDS: [(Verb, Verb); 2] = [(Verb::Sign, Verb::SignOff), (Verb::Approve, Verb::Endorse)];

/// (verb, document kinds) each rule names.
fn acts(r: &CompiledRule) -> Vec<(Verb, &[usize])> {
    fn of(p: &Pattern) -> Vec<(Verb, &[usize])> {
        p.verbs
            .iter()
            .map(|v| (*v, p.scope.document_kinds.as_slice()))
            .collect()
    }
    let facts = r.kind.pattern().lint_facts();
    let mut acts: Vec<(Verb, &[usize])> = facts.patterns.iter().flat_map(|p| of(p)).collect();
    acts.extend(facts.acts);
    acts
}

/// Two rules of different articles name the same kind of document with the
/// two words for one act (签署 / 签发, 审批 / 签批) and no 视同 says they are
/// one: a scenario that records one word silently escapes the rule written
/// with the other.
fn two_words(rs: &Ruleset, out: &mut Vec<Diag>) {
    let named: Vec<(&CompiledRule, Verb, usize)> = rs
        .rules
        .iter()
        .flat_map(|r| {
            acts(r)
                .into_iter()
                .flat_map(move |(v, kinds)| kinds.iter().map(move |k| (r, v, *k)))
        })
        .collect();
    let mut seen: BTreeSet<(Verb, Verb, usize)> = BTreeSet::new();
    for (a, va, ka) in &named {
        for (b, vb, kb) in &named {
            let pair = TWO_WORDS.iter().any(|(x, y)| (va, vb) == (x, y));
            let same_kind = rs.document_is(*ka, *kb) || rs.document_is(*kb, *ka);
            // Within one article the text itself uses both words: taken as
            // deliberate. Across articles it is more likely one act.
            let declared_distinct = rs.distinct_acts.iter().any(|(verbs, kinds)| {
                verbs.contains(va)
                    && verbs.contains(vb)
                    && (kinds.is_empty() || kinds.iter().any(|k| rs.document_is(*ka, *k)))
            });
            if a.article == b.article
                || declared_distinct
                || !pair
                || !same_kind
                || rs.may_act_as(*va, *vb)
                || !seen.insert((*va, *vb, *ka))
            {
                continue;
            }
            let kind = rs.documents.get(*ka).map_or("", |d| d.name.as_str());
            out.push(warn(
                code::TWO_WORDS,
                a.span,
                format!(
                    "{}对“{kind}”写“{}”，{}写“{}”：记录者写哪个，另一条就查不到",
                    article(rs, a),
                    va.word(),
                    article(rs, b),
                    vb.word()
                ),
                "两个词，可能是同一行为",
                &format!(
                    "若原文两处说的是同一行为，在规则集中声明：视同 {}、{} {kind}；若确是两种行为，在记录约定中写明何时记哪个",
                    va.word(),
                    vb.word()
                ),
            ));
        }
    }
}

fn article(rs: &Ruleset, r: &CompiledRule) -> String {
    rs.article_of(r)
        .map_or_else(String::new, |a| a.display.to_string())
}

/// "第二条与第五条", or "第二条内的两条规则" when both are in one article.
fn both(rs: &Ruleset, a: &CompiledRule, b: &CompiledRule) -> String {
    let (x, y) = (article(rs, a), article(rs, b));
    if x == y {
        format!("{x}内的两条规则")
    } else {
        format!("{x}与{y}")
    }
}

/// Contradictions and overlaps between two rules: relations between two
/// patterns' terms, so they are written here, each for the pair of kinds it
/// compares (a new pattern takes part only through a relation of its own).
fn pair(rs: &Ruleset, a: &CompiledRule, b: &CompiledRule) -> Option<Diag> {
    if let (RuleKind::Prohibition(ban), RuleKind::Frequency(freq)) = (&a.kind, &b.kind) {
        let (p, f) = (&ban.pattern, &freq.pattern);
        if freq.min > 0 && forbids_all(p) && same_event_kind(p, f) && p.actors == f.actors {
            return Some(
                warn(
                    code::CONTRADICTION,
                    b.span,
                    format!("{}互相矛盾：一条要求的事件被另一条禁止", both(rs, b, a)),
                    "这里要求至少发生",
                    "两条规则不能同时遵守：给禁止加上情形，或修改频次",
                )
                .related(a.span, "这里禁止同类事件"),
            );
        }
    }
    if let (RuleKind::Prohibition(ban), RuleKind::Authority(auth)) = (&a.kind, &b.kind) {
        let p = &ban.pattern;
        if forbids_all(p)
            && auth.actions.iter().any(|x| {
                p.verbs.iter().any(|v| match x {
                    crate::syntax::ast::Action::Do(w) => v.matches(*w),
                    _ => *v == Verb::Convene,
                })
            })
            && !p.actors.is_empty()
            && p.actors.iter().any(|x| auth.actors.contains(x))
            && (p.scope.meeting_kinds.is_empty()
                || p.scope
                    .meeting_kinds
                    .iter()
                    .any(|k| auth.scope.meeting_kinds.contains(k)))
            // A ban on 贺信 and a duty to sign 纪要 are about different
            // documents (a false contradiction once 乾安 五十九 asked a
            // 县政府领导 to sign its 纪要).
            && (p.scope.document_kinds.is_empty()
                || auth.scope.document_kinds.is_empty()
                || p.scope.document_kinds.iter().any(|k| {
                    auth.scope
                        .document_kinds
                        .iter()
                        .any(|w| rs.document_is(*k, *w) || rs.document_is(*w, *k))
                }))
        {
            return Some(
                warn(
                    code::CONTRADICTION,
                    b.span,
                    format!(
                        "{}互相矛盾：一条规定由其办理的事，另一条不准其办理",
                        both(rs, b, a)
                    ),
                    "这里规定由谁办理",
                    "“须”与“不得”作用于同一事件和同一主体，须删改其一",
                )
                .related(a.span, "这里禁止同一主体办理"),
            );
        }
    }
    if let (RuleKind::Response(x), RuleKind::Response(y)) = (&a.kind, &b.kind) {
        let (t1, d1, r1) = (&x.trigger, &x.within, &x.response);
        let (t2, d2, r2) = (&y.trigger, &y.within, &y.response);
        if d1 != d2
            && t1.verbs == t2.verbs
            && t1.scope == t2.scope
            && t1.actors == t2.actors
            && r1.verbs == r2.verbs
            && r1.scope == r2.scope
            && a.id < b.id
        {
            return Some(
                warn(
                    code::OVERLAP,
                    b.span,
                    format!(
                        "{}对同一事件规定了不同期限（{} 与 {}）",
                        both(rs, a, b),
                        d1.map_or_else(|| "及时".to_string(), |d| d.describe()),
                        d2.map_or_else(|| "及时".to_string(), |d| d.describe())
                    ),
                    "这里的期限",
                    "用“情形”区分两种情况（如 一般事项 与 紧急事项），或删去其一",
                )
                .related(a.span, "另一期限"),
            );
        }
    }
    if let (RuleKind::Frequency(x), RuleKind::Frequency(y)) = (&a.kind, &b.kind) {
        let (p1, p2) = (&x.pattern, &y.pattern);
        if x.period == y.period
            && a.id < b.id
            && p1.verbs == p2.verbs
            && p1.scope == p2.scope
            && p1.actors == p2.actors
            && (x.max.is_some_and(|m| m < y.min) || y.max.is_some_and(|m| m < x.min))
        {
            return Some(
                warn(
                    code::CONTRADICTION,
                    b.span,
                    format!("{}的次数要求不可能同时满足", both(rs, a, b)),
                    "这里的次数范围",
                    "两个次数范围没有交集：删改其一",
                )
                .related(a.span, "另一个次数范围"),
            );
        }
    }
    None
}

/// A rule whose actors are all positions (or all units) while every test
/// event of its verbs is done by a unit (or a person): it never matches.
fn actor_kind(
    rs: &Ruleset,
    r: &CompiledRule,
    kinds: &BTreeMap<Verb, (usize, usize)>,
    out: &mut Vec<Diag>,
) {
    let facts = r.kind.pattern().lint_facts();
    let Some((actors, verbs)) = facts.actor_check else {
        return;
    };
    if actors.is_empty() || verbs.is_empty() {
        return;
    }
    let positions = actors
        .iter()
        .all(|a| matches!(a, Actor::Position(_) | Actor::Delegated { .. }));
    let units = actors.iter().all(|a| matches!(a, Actor::Unit(_)));
    let (persons, by_units) = verbs.iter().fold((0, 0), |(p, u), v| {
        let (a, b) = kinds.get(v).copied().unwrap_or((0, 0));
        (p + a, u + b)
    });
    let words: Vec<&str> = verbs.iter().map(|v| v.word()).collect();
    let (wanted, done) = if positions && persons == 0 && by_units > 0 {
        ("职务", "单位")
    } else if units && by_units == 0 && persons > 0 {
        ("单位", "人员")
    } else {
        return;
    };
    out.push(warn(
        code::ACTOR_KIND,
        r.span,
        format!(
            "{}的规则要求行为人是{wanted}，但测试情景中的“{}”都由{done}所为：这条规则从不匹配",
            article(rs, r),
            words.join("、")
        ),
        "行为人的种类与事件不符",
        "职务由担任它的人员行事（人员 王某 任 县长，事件写 王某）；单位行事写单位名。让规则或情景的写法一致",
    ));
}

fn untested(rs: &Ruleset, c: &Coverage, out: &mut Vec<Diag>) {
    let missing: BTreeSet<String> = c.missing.iter().map(|(_, t)| t.clone()).collect();
    for r in &rs.rules {
        if missing.contains(&*r.text) {
            out.push(warn(
                code::UNTESTED,
                r.span,
                format!("{}的这条规则没有情景覆盖", article(rs, r)),
                "没有情景判过这条规则违反或符合",
                "在测试情景中加一个违反、一个符合的例子",
            ));
        }
    }
}

/// Every 情形 a ruleset's rules test: in a scope of any pattern, or as a
/// hard exception (除 情形 A 外).
pub fn tags_tested(rs: &Ruleset) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    for r in &rs.rules {
        out.extend(r.exceptions.iter().map(String::as_str));
        let facts = r.kind.pattern().lint_facts();
        let scopes = facts.patterns.iter().map(|p| &p.scope).chain(facts.scope);
        for s in scopes {
            out.extend(s.tags.iter().map(String::as_str));
        }
    }
    out
}

/// A scenario's 情形 that no rule of the ruleset tests: it changes no
/// verdict, so a misspelt one (重大事项 written 重大事件) silently drops
/// the rule it was meant for. Warned once per name, at its first use.
pub fn unknown_tags(rs: &Ruleset, sc: &crate::syntax::ast::Scenario) -> Vec<Diag> {
    let tested = tags_tested(rs);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in sc.events.iter().flat_map(|e| &e.tags) {
        let name = t.node.trim();
        if tested.contains(name) || !seen.insert(name) {
            continue;
        }
        out.push(unknown_tag(rs, &tested, name, t.span));
    }
    out
}

/// The warning for a 情形 no rule tests (`tested`: [`tags_tested`]), at
/// `span`: in a scenario, and in an audit log's record.
pub fn unknown_tag(rs: &Ruleset, tested: &BTreeSet<&str>, name: &str, span: Span) -> Diag {
    let help = match nearest(name, tested) {
        Some(near) => format!("是否想写“{near}”？只作记录的情形可不理会"),
        None => "检查是否写错；只作记录的情形可不理会".to_string(),
    };
    Diag::error(
        code::UNKNOWN_TAG,
        span,
        format!("“{}”没有规则检查情形“{name}”，它不影响任何结论", rs.name),
    )
    .label("没有规则检查这个情形")
    .help(help)
    .warning()
}

/// The tested 情形 fewest edits away from `name` (characters added,
/// dropped or changed), if no more than half its length; else the one
/// sharing the longest run of at least three characters with it, or all
/// of a name of two (涉及机构编制 → 夹带机构编制事项: four edits in six
/// characters, 机构编制 shared; blind r11 瓜州 R11-46, 克州 R11-11).
fn nearest<'a>(name: &str, tested: &BTreeSet<&'a str>) -> Option<&'a str> {
    let a: Vec<char> = name.chars().collect();
    let close = tested
        .iter()
        .map(|t| (edits(&a, &t.chars().collect::<Vec<_>>()), *t))
        .filter(|(d, _)| 2 * d <= a.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, t)| t);
    close.or_else(|| {
        tested
            .iter()
            .map(|t| (shared_run(&a, &t.chars().collect::<Vec<_>>()), *t))
            // Three characters shared, or all of a short name (保密 in
            // 依法需要保密).
            .filter(|(n, _)| *n >= 3 || (*n >= 2 && *n == a.len()))
            // The longest shared run; among equals the first in order.
            .fold(None, |best: Option<(usize, &str)>, (n, t)| match best {
                Some((m, _)) if m >= n => best,
                _ => Some((n, t)),
            })
            .map(|(_, t)| t)
    })
}

/// The length of the longest run of characters found in both.
fn shared_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    // Row by row of the table of common suffix lengths.
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                let n = prev.get(j).copied().unwrap_or(0) + 1;
                if let Some(c) = cur.get_mut(j + 1) {
                    *c = n;
                }
                best = best.max(n);
            }
        }
        prev = cur;
    }
    best
}

/// Levenshtein distance (names are a few characters long), one row of
/// the table at a time.
fn edits(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for ((y, diag), up) in b.iter().zip(&prev).zip(prev.iter().skip(1)) {
            let left = cur.last().copied().unwrap_or(usize::MAX - 1);
            cur.push((diag + usize::from(x != y)).min(up + 1).min(left + 1));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(a.len())
}

/// An event a 频次 rule counting per group (按 单位/人员/召集人/主持人)
/// would count but cannot place: no unit as its actor, no 召集 or 主持
/// written. It counts for no group, so the cap it was meant for is never
/// reached (a 全州性会议 recorded by its convener alone under a rule that
/// counts per department; blind r11 伊犁 R11-21). Warned at the first such
/// event of each rule (once per event and grouping).
pub fn ungrouped(ctx: &crate::check::Ctx<'_>) -> Vec<Diag> {
    use crate::check::frequency::{counted, group_member};
    use crate::syntax::ast::Grouping;
    let rs = ctx.rs;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for rule in &rs.rules {
        let Some(terms) = rule.kind.pattern().audit_needs(rule).per_period else {
            continue;
        };
        let Some(g) = terms.group else { continue };
        let pattern = &terms.pattern;
        let Some(e) = ctx
            .with_verbs(&pattern.verbs)
            .into_iter()
            .find(|e| counted(ctx, rule, pattern, e) && group_member(g, e).is_none())
        else {
            continue;
        };
        if !seen.insert((e.index, g.word())) {
            continue;
        }
        let (what, how) = match g {
            Grouping::Unit => (
                "行为单位",
                "把单位写作行为方（如“县教育局 召开 …”，不只写 召集 某人）",
            ),
            Grouping::Convener => ("召集人", "写明 召集 某人"),
            Grouping::Chair => ("主持人", "写明 主持 某人"),
            Grouping::Person => ("行为人", "写明做这件事的人"),
        };
        out.push(
            Diag::error(
                code::UNGROUPED,
                e.span,
                format!(
                    "{}按{}计数，这条事件没有写明{what}，不计入任何{}的次数",
                    rs.article_of(rule)
                        .map_or("本条", |_| rule.texts.article_display.as_ref()),
                    g.word(),
                    g.word()
                ),
            )
            .label(format!("没有{what}"))
            .help(format!("{how}；否则本条的次数上限或下限检查不到它"))
            .warning(),
        );
    }
    out
}

/// An act on a document (`签发 上行文`) that no rule reads with that verb
/// for that kind, where rules do read the kind with other verbs: most
/// likely the wrong verb for the ruleset's (乾安 六十五 says 签署), and the
/// event is silently not checked. Warned once per (verb, kind).
pub fn unread_acts(rs: &Ruleset, sc: &crate::compile::ir::Scenario) -> Vec<Diag> {
    // (verbs, document kinds: empty = any) of every pattern and act named.
    let mut read: Vec<(Vec<Verb>, &[usize])> = Vec::new();
    for r in &rs.rules {
        let facts = r.kind.pattern().lint_facts();
        // A precedent or an answer naming no kind is about the trigger's
        // document (事先 分管领导 签发: the 办公室文件 to be issued).
        let trigger_kinds: &[usize] = facts
            .patterns
            .first()
            .map_or(&[], |p| p.scope.document_kinds.as_slice());
        for (i, p) in facts.patterns.iter().enumerate() {
            let kinds = match p.scope.document_kinds.as_slice() {
                [] if i > 0 => trigger_kinds,
                own => own,
            };
            read.push((p.verbs.clone(), kinds));
        }
        for (v, kinds) in facts.acts {
            read.push((vec![v], kinds));
        }
    }
    let related = |k: usize, w: usize| rs.document_is(k, w) || rs.document_is(w, k);
    // 除 另有时限 外 reads the 时限 recorded on any event about the matter
    // (an agreed limit: 县教育局 向 县发改局 商定 "…" 时限 D), whatever its verb.
    let limits_read = rs.rules.iter().any(|r| r.own_deadline);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for e in &sc.events {
        let Some(k) = e.document_kind else { continue };
        if limits_read && e.due.is_some() {
            continue;
        }
        if !seen.insert((e.verb, k)) {
            continue;
        }
        let of_kind = |kinds: &[usize]| kinds.is_empty() || kinds.iter().any(|w| related(k, *w));
        let is_read = read.iter().any(|(vs, kinds)| {
            vs.iter().any(|v| rs.acts_as(*v, e.verb, Some(k))) && of_kind(kinds)
        });
        if is_read {
            continue;
        }
        // Other verbs the rules read for this kind (named, not wildcard).
        let mut others: Vec<&str> = read
            .iter()
            .filter(|(_, kinds)| !kinds.is_empty() && kinds.iter().any(|w| related(k, *w)))
            .flat_map(|(vs, _)| vs.iter().map(|v| v.word()))
            .collect();
        others.sort_unstable();
        others.dedup();
        if others.is_empty() {
            continue;
        }
        let kind = rs.documents.get(k).map_or("", |d| d.name.as_str());
        out.push(
            Diag::error(
                code::UNREAD_ACT,
                e.span,
                format!(
                    "“{}”没有规则检查“{} {kind}”，这条事件不影响任何结论",
                    rs.name,
                    e.verb.word()
                ),
            )
            .label("没有规则读取这个动作")
            .help(format!(
                "本规则集对{kind}检查的是：{}；动词是否写错？只作记录的事件可不理会",
                others.join("、")
            ))
            .warning(),
        );
    }
    out
}
