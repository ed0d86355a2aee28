//! Revision impact: what a revised (or a peer's) ruleset changes, in its text
//! and rules (structural) and in the verdicts of scenarios (behavioural).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::check::{ScenarioReport, Verdict};
use crate::compile::ir::{CompiledRule, Pattern, Ruleset, TargetSpec};
use crate::diag::Diag;
use crate::{ScenarioSource, check_scenario};

#[derive(Debug, Clone, Serialize)]
pub struct ArticleInfo {
    pub number: u32,
    pub display: String,
    pub quotes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "change")]
pub enum RuleChange {
    #[serde(rename = "新增")]
    Added { text: String },
    #[serde(rename = "删除")]
    Removed { text: String },
    #[serde(rename = "修改")]
    Changed {
        old_text: String,
        new_text: String,
        fields: Vec<FieldChange>,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "change")]
pub enum ArticleChange {
    #[serde(rename = "新增")]
    Added { new: ArticleInfo },
    #[serde(rename = "删除")]
    Removed { old: ArticleInfo },
    /// Matched by content (or number); `renumbered` when the numbers differ.
    #[serde(rename = "修改")]
    Modified {
        old: ArticleInfo,
        new: ArticleInfo,
        renumbered: bool,
        quote_changed: bool,
        rules: Vec<RuleChange>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct StructuralDiff {
    pub old: String,
    pub new: String,
    /// Declarations (施行, 职务 … 属于, 会议 组成, 分管领导, 不沿用, 视同 …) only in
    /// the old version (删除) or only in the new (新增): they change
    /// verdicts as much as rules do.
    pub declarations: Vec<DeclarationChange>,
    pub articles: Vec<ArticleChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeclarationChange {
    /// 新增 or 删除.
    pub change: &'static str,
    pub text: String,
}

/// Every declaration of a ruleset as a line of text (names spelled out,
/// lists sorted), for comparison.
fn declarations(rs: &Ruleset) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let names = |ids: &mut dyn Iterator<Item = &usize>,
                 table: &crate::compile::names::NameTable| {
        let mut v: Vec<&str> = ids.map(|i| table.name(*i)).collect();
        v.sort_unstable();
        v.join("、")
    };
    if let Some(d) = rs.effective {
        out.insert(format!("施行 {d}"));
    }
    if let Some(d) = rs.repealed {
        out.insert(format!("废止 {d}"));
    }
    out.insert(format!("日历 {}", rs.calendar.display_name()));
    for (id, name) in rs.positions.names.iter().enumerate() {
        let above = rs
            .position_ancestors
            .get(id)
            .map(|a| names(&mut a.iter(), &rs.positions))
            .unwrap_or_default();
        out.insert(if above.is_empty() {
            format!("职务 {name}")
        } else {
            format!("职务 {name} 属于 {above}")
        });
    }
    for u in &rs.units {
        out.insert(format!("单位 {u}"));
    }
    for m in &rs.meetings {
        let mut line = format!("会议 {}", m.name);
        let above = names(&mut m.ancestors.iter(), &rs.meeting_names);
        if !above.is_empty() {
            line.push_str(&format!(" 属于 {above}"));
        }
        let members = names(&mut m.members.iter(), &rs.positions);
        if !members.is_empty() {
            line.push_str(&format!(" 组成 {members}"));
        }
        let attendees = names(&mut m.attendees.iter(), &rs.positions);
        if !attendees.is_empty() {
            line.push_str(&format!(" 列席 {attendees}"));
        }
        out.insert(line);
    }
    for d in &rs.documents {
        let mut line = format!("公文 {}", d.name);
        let above = names(&mut d.ancestors.iter(), &rs.document_names);
        if !above.is_empty() {
            line.push_str(&format!(" 属于 {above}"));
        }
        if !d.flags.is_empty() {
            line.push_str(&format!(" {{ {} }}", d.flags.join(" ")));
        }
        out.insert(line);
    }
    if !rs.area_leaders.is_empty() {
        out.insert(format!(
            "分管领导 {}",
            names(&mut rs.area_leaders.iter(), &rs.positions)
        ));
    }
    for v in &rs.verbs {
        out.insert(format!("行为 {v}"));
    }
    for t in &rs.act_tags {
        out.insert(format!("不沿用 情形 {}", t.node));
    }
    for (word, acts) in [("视同", &rs.same_acts), ("区分", &rs.distinct_acts)] {
        for (verbs, kinds) in acts {
            let v: Vec<&str> = verbs.iter().map(|x| x.word()).collect();
            let k = names(&mut kinds.iter(), &rs.document_names);
            out.insert(
                format!("{word} {} {k}", v.join("、"))
                    .trim_end()
                    .to_string(),
            );
        }
    }
    out
}

/// One article whose verdicts differ in a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleDelta {
    pub old_article: Option<String>,
    pub new_article: Option<String>,
    pub old_verdicts: Vec<String>,
    pub new_verdicts: Vec<String>,
    /// Computed dates (期限 …) under each version.
    pub old_dates: Vec<String>,
    pub new_dates: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioDelta {
    pub scenario: String,
    pub file: String,
    pub old_violated: Vec<String>,
    pub new_violated: Vec<String>,
    pub articles: Vec<ArticleDelta>,
    /// Set when the scenario cannot be checked under one of the versions.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub structural: StructuralDiff,
    pub scenarios_checked: usize,
    pub changed: Vec<ScenarioDelta>,
}

impl Diff {
    /// Some scenario's verdict changes (one that cannot be checked under
    /// one of the versions is not a change of verdict: see `unchecked`).
    pub fn verdicts_changed(&self) -> bool {
        self.changed.iter().any(|c| c.error.is_none())
    }

    /// Scenarios that changed verdict, and those that could not be checked
    /// under the old or the new version.
    pub fn counts(&self) -> (usize, usize) {
        let unchecked = self.changed.iter().filter(|c| c.error.is_some()).count();
        (self.changed.len() - unchecked, unchecked)
    }
}

/// Compare two rulesets, and the verdicts of `scenarios` under each.
pub fn diff(old: &Ruleset, new: &Ruleset, scenarios: &[ScenarioSource]) -> Diff {
    let structural = structural(old, new);
    // Old article number → new number, for articles matched by content.
    let mut renumber: BTreeMap<u32, u32> = BTreeMap::new();
    for a in &structural.articles {
        if let ArticleChange::Modified { old, new, .. } = a {
            renumber.insert(old.number, new.number);
        }
    }
    let mut changed = Vec::new();
    for sc in scenarios {
        if let Some(d) = behavioural(old, new, &renumber, sc) {
            changed.push(d);
        }
    }
    Diff {
        structural,
        scenarios_checked: scenarios.len(),
        changed,
    }
}

fn info(rs: &Ruleset, i: usize) -> Option<ArticleInfo> {
    let a = rs.articles.get(i)?;
    Some(ArticleInfo {
        number: a.number,
        display: a.display.to_string(),
        quotes: a.quotes.clone(),
    })
}

fn joined(rs: &Ruleset, i: usize) -> String {
    rs.articles
        .get(i)
        .map(|a| a.quotes.join(""))
        .unwrap_or_default()
}

/// Articles matched by identical 原文, then by number, then by similar
/// 原文; rules within matched articles compared field by field.
pub fn structural(old: &Ruleset, new: &Ruleset) -> StructuralDiff {
    let (n_old, n_new) = (old.articles.len(), new.articles.len());
    let mut pair_of_old: Vec<Option<usize>> = vec![None; n_old];
    let mut taken = vec![false; n_new];
    let claim =
        |pair_of_old: &mut Vec<Option<usize>>, taken: &mut Vec<bool>, i: usize, j: usize| {
            if let (Some(slot), Some(t)) = (pair_of_old.get_mut(i), taken.get_mut(j)) {
                *slot = Some(j);
                *t = true;
            }
        };
    for i in 0..n_old {
        let q = joined(old, i);
        if let Some(j) =
            (0..n_new).find(|j| !taken.get(*j).copied().unwrap_or(true) && joined(new, *j) == q)
        {
            claim(&mut pair_of_old, &mut taken, i, j);
        }
    }
    for i in 0..n_old {
        if pair_of_old.get(i).copied().flatten().is_some() {
            continue;
        }
        let num = old.articles.get(i).map(|a| a.number);
        if let Some(j) = (0..n_new).find(|j| {
            !taken.get(*j).copied().unwrap_or(true) && new.articles.get(*j).map(|a| a.number) == num
        }) {
            claim(&mut pair_of_old, &mut taken, i, j);
        }
    }
    for i in 0..n_old {
        if pair_of_old.get(i).copied().flatten().is_some() {
            continue;
        }
        let q = joined(old, i);
        let best = (0..n_new)
            .filter(|j| !taken.get(*j).copied().unwrap_or(true))
            .map(|j| (strsim::normalized_levenshtein(&q, &joined(new, j)), j))
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, j)) = best {
            claim(&mut pair_of_old, &mut taken, i, j);
        }
    }
    let mut articles = Vec::new();
    for (i, pair) in pair_of_old.iter().enumerate() {
        let Some(o) = info(old, i) else { continue };
        match pair {
            None => articles.push(ArticleChange::Removed { old: o }),
            Some(j) => {
                let Some(n) = info(new, *j) else { continue };
                let rules = rule_changes(old, i, new, *j);
                let renumbered = o.number != n.number;
                let quote_changed = o.quotes != n.quotes;
                if renumbered || quote_changed || !rules.is_empty() {
                    articles.push(ArticleChange::Modified {
                        old: o,
                        new: n,
                        renumbered,
                        quote_changed,
                        rules,
                    });
                }
            }
        }
    }
    for (j, t) in taken.iter().enumerate() {
        if !t && let Some(n) = info(new, j) {
            articles.push(ArticleChange::Added { new: n });
        }
    }
    let (dold, dnew) = (declarations(old), declarations(new));
    let declarations = dold
        .difference(&dnew)
        .map(|t| DeclarationChange {
            change: "删除",
            text: t.clone(),
        })
        .chain(dnew.difference(&dold).map(|t| DeclarationChange {
            change: "新增",
            text: t.clone(),
        }))
        .collect();
    StructuralDiff {
        old: old.name.clone(),
        new: new.name.clone(),
        declarations,
        articles,
    }
}

fn rules_of(rs: &Ruleset, article: usize) -> Vec<&CompiledRule> {
    rs.articles
        .get(article)
        .map(|a| a.rules.iter().filter_map(|r| rs.rules.get(*r)).collect())
        .unwrap_or_default()
}

fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rule_changes(old: &Ruleset, i: usize, new: &Ruleset, j: usize) -> Vec<RuleChange> {
    let (ro, rn) = (rules_of(old, i), rules_of(new, j));
    let mut used = vec![false; rn.len()];
    let mut out = Vec::new();
    let mut unmatched_old = Vec::new();
    for r in &ro {
        let t = normalized(&r.text);
        match rn
            .iter()
            .enumerate()
            .find(|(k, x)| !used.get(*k).copied().unwrap_or(true) && normalized(&x.text) == t)
        {
            Some((k, _)) => {
                if let Some(u) = used.get_mut(k) {
                    *u = true;
                }
            }
            None => unmatched_old.push(*r),
        }
    }
    for r in unmatched_old {
        // The unused rule of the same pattern that agrees on most fields; a
        // pair must agree on at least half of them, else it is a removal
        // and an addition.
        let a = summary(old, r);
        let best = rn
            .iter()
            .enumerate()
            .filter(|(k, x)| {
                !used.get(*k).copied().unwrap_or(true)
                    && x.kind.pattern_name() == r.kind.pattern_name()
            })
            .map(|(k, x)| {
                let b = summary(new, x);
                let same = a.iter().filter(|(f, v)| b.get(*f) == Some(*v)).count();
                (same, k, x, b)
            })
            .max_by_key(|(same, k, ..)| (*same, std::cmp::Reverse(*k)));
        match best {
            Some((same, k, x, b)) if 2 * same >= a.len() => {
                if let Some(u) = used.get_mut(k) {
                    *u = true;
                }
                let fields: Vec<FieldChange> = a
                    .iter()
                    .filter_map(|(f, v)| {
                        let nv = b.get(f).cloned().unwrap_or_default();
                        (nv != *v).then(|| FieldChange {
                            field: (*f).to_string(),
                            old: v.clone(),
                            new: nv,
                        })
                    })
                    .collect();
                // Same meaning written differently (a 会议 block attribute vs
                // a rule line): not a change.
                if !fields.is_empty() {
                    out.push(RuleChange::Changed {
                        old_text: normalized(&r.text),
                        new_text: normalized(&x.text),
                        fields,
                    });
                }
            }
            _ => out.push(RuleChange::Removed {
                text: normalized(&r.text),
            }),
        }
    }
    for (k, x) in rn.iter().enumerate() {
        if !used.get(k).copied().unwrap_or(true) {
            out.push(RuleChange::Added {
                text: normalized(&x.text),
            });
        }
    }
    out
}

/// An addressee's name as the rule writes it.
fn target_text(rs: &Ruleset, t: &TargetSpec) -> String {
    match t {
        TargetSpec::Position(x) => rs.position_name(*x).to_string(),
        TargetSpec::Attending(x) => format!("参会的{}", rs.position_name(*x)),
        TargetSpec::Unit(u) => u.clone(),
        TargetSpec::Role(r) => crate::check::role_name(*r).to_string(),
    }
}

/// A rule's comparable fields, with names spelled out (so rules written
/// in different forms but meaning the same compare equal).
pub fn summary(rs: &Ruleset, r: &CompiledRule) -> BTreeMap<&'static str, String> {
    let mut m = BTreeMap::new();
    m.insert("模式", r.kind.pattern_name().to_string());
    m.insert(
        "可例外",
        r.defeasible.clone().unwrap_or_else(|| "否".into()),
    );
    m.insert("除外情形", r.exceptions.join("、"));
    if !r.approvers.is_empty() {
        m.insert("须经批准", crate::check::actors_text(rs, &r.approvers));
    }
    if !r.exempt_to.is_empty() {
        let to: Vec<String> = r.exempt_to.iter().map(|t| target_text(rs, t)).collect();
        m.insert("除外对象", to.join("、"));
    }
    r.kind.pattern().diff_fields(rs, &mut m);
    m
}

pub(crate) fn pattern_text(rs: &Ruleset, p: &Pattern) -> String {
    let mut parts = Vec::new();
    if !p.actors.is_empty() {
        parts.push(crate::check::actors_text(rs, &p.actors));
    }
    if !p.scope.targets.is_empty() {
        let t: Vec<String> = p.scope.targets.iter().map(|t| target_text(rs, t)).collect();
        // 向 A 或 B (any one) against 向 A、B (each): a change between them
        // is a change of the rule.
        let join = if p.scope.targets_any { "或" } else { "、" };
        parts.push(format!("向{}", t.join(join)));
    }
    parts.push(
        p.verbs
            .iter()
            .map(|v| v.word())
            .collect::<Vec<_>>()
            .join("、"),
    );
    let kinds: Vec<&str> = p
        .scope
        .meeting_kinds
        .iter()
        .map(|k| rs.meeting_names.name(*k))
        .chain(
            p.scope
                .document_kinds
                .iter()
                .map(|k| rs.document_names.name(*k)),
        )
        .collect();
    if !kinds.is_empty() {
        parts.push(kinds.join("、"));
    }
    if !p.scope.tags.is_empty() {
        parts.push(format!("情形{}", p.scope.tags.join("、")));
    }
    if p.scope.leaves_county {
        parts.push("离县".into());
    }
    if p.scope.several_areas {
        parts.push("跨领域".into());
    }
    parts.join(" ")
}

/// Verdict differences of one scenario between the two versions.
fn behavioural(
    old: &Ruleset,
    new: &Ruleset,
    renumber: &BTreeMap<u32, u32>,
    sc: &ScenarioSource,
) -> Option<ScenarioDelta> {
    // 预期 belongs to one version; the comparison looks at verdicts only.
    let mut bare = sc.clone();
    bare.ast.expectations.clear();
    let run = |rs: &Ruleset| -> Result<ScenarioReport, Vec<Diag>> {
        check_scenario(rs, &bare).map(|(_, r)| r)
    };
    let (ro, rn) = (run(old), run(new));
    let mut delta = ScenarioDelta {
        scenario: sc.ast.name.node.clone(),
        file: sc.source.name.to_string(),
        old_violated: Vec::new(),
        new_violated: Vec::new(),
        articles: Vec::new(),
        error: None,
    };
    let (ro, rn) = match (ro, rn) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) => {
            delta.error = Some(format!(
                "旧版本下无法检查：{}",
                e.first().map_or(String::new(), |d| d.one_line())
            ));
            return Some(delta);
        }
        (_, Err(e)) => {
            delta.error = Some(format!(
                "新版本下无法检查：{}",
                e.first().map_or(String::new(), |d| d.one_line())
            ));
            return Some(delta);
        }
    };
    // A finding's place: its article in the new numbering, and the rule's
    // position within the article, so renumbered and reworded articles line up.
    let place = |rs: &Ruleset, f: &crate::check::Finding, map: bool| -> (u32, usize) {
        let number = if map {
            renumber.get(&f.article).copied().unwrap_or(f.article)
        } else {
            f.article
        };
        let ordinal = rs
            .article_by_number(f.article)
            .and_then(|a| a.rules.iter().position(|r| *r == f.rule))
            .unwrap_or(usize::MAX);
        (number, ordinal)
    };
    let by_article = |rs: &Ruleset, r: &ScenarioReport, map: bool| {
        // Per place: the article as numbered, its verdicts, its dates.
        type Verdicts = (Option<String>, Vec<Verdict>, Vec<String>);
        let mut m: BTreeMap<(u32, usize), Verdicts> = BTreeMap::new();
        for f in &r.findings {
            if matches!(f.verdict, Verdict::NotApplicable) {
                continue;
            }
            let e = m.entry(place(rs, f, map)).or_default();
            e.0.get_or_insert_with(|| f.article_display().to_string());
            e.1.push(f.verdict);
            e.2.extend(
                f.dates
                    .iter()
                    .map(|d| format!("{} {}", d.role.word(), d.date)),
            );
        }
        m
    };
    let (mo, mn) = (by_article(old, &ro, true), by_article(new, &rn, false));
    let keys: BTreeSet<&(u32, usize)> = mo.keys().chain(mn.keys()).collect();
    for k in keys {
        let (ao, vo, dvo) = mo.get(k).cloned().unwrap_or_default();
        let (an, vn, dvn) = mn.get(k).cloned().unwrap_or_default();
        let words = |v: &[Verdict]| -> Vec<String> {
            let mut w: Vec<String> = v.iter().map(|x| x.word().to_string()).collect();
            w.sort();
            w
        };
        if words(&vo) != words(&vn) {
            delta.articles.push(ArticleDelta {
                old_article: ao,
                new_article: an,
                old_verdicts: words(&vo),
                new_verdicts: words(&vn),
                old_dates: dvo,
                new_dates: dvn,
            });
        }
    }
    let violated = |r: &ScenarioReport| -> Vec<String> {
        let mut v: Vec<(u32, String)> = r
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Violated)
            .map(|f| (f.article, f.article_display().to_string()))
            .collect();
        v.sort();
        v.dedup();
        v.into_iter().map(|(_, d)| d).collect()
    };
    delta.old_violated = violated(&ro);
    delta.new_violated = violated(&rn);
    if delta.articles.is_empty() {
        return None;
    }
    Some(delta)
}
