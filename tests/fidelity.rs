//! Fidelity (issue #11): the suites under tests/scenarios/fidelity hold one
//! violating and one complying scenario per class of semantics (in force,
//! multi-day meetings, delegation, occasions of precedents, 分管领导,
//! quorum membership, excuses, approvals, titles, document facts, calendar
//! edges). `guize test` checks their 预期; here every scenario is also
//! turned into an event log and audited: `check` and `audit` must give the
//! same verdicts, finding for finding.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use guize::audit::{AuditItem, AuditOptions, audit_reader};
use guize::syntax::ast;
use guize::{Project, Verdict, check_scenario};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn names(ns: &[ast::Name]) -> Vec<String> {
    ns.iter().map(|n| n.node.clone()).collect()
}

/// The scenario as JSON Lines records, events in date order.
fn as_log(sc: &ast::Scenario, verbs: &[&'static str]) -> String {
    let mut lines: Vec<Value> = Vec::new();
    // What each holds first, then the changes on a day (in any order: the
    // audit sorts a person's changes by date).
    for p in sc.people.iter().filter(|p| p.date.is_none()) {
        lines.push(json!({"person": {"name": p.name.node, "positions": names(&p.positions), "areas": names(&p.areas)}}));
    }
    for p in sc.people.iter().filter(|p| p.date.is_some()) {
        let date = p.date.as_ref().map(|d| d.node.to_string());
        lines.push(json!({"person": {"name": p.name.node, "date": date, "positions": names(&p.positions), "areas": names(&p.areas)}}));
    }
    for u in &sc.units {
        lines.push(json!({"unit": u.node}));
    }
    for d in &sc.delegations {
        let mut o = json!({
            "from": d.from.node, "to": d.to.node,
            "actions": d.actions.iter().map(|a| a.node.word()).collect::<Vec<_>>(),
            "kinds": names(&d.kinds),
        });
        if let Some(x) = &d.date {
            o["date"] = json!(x.node.to_string());
        }
        if let Some((a, z)) = &d.period {
            o["period"] = json!([a.node.to_string(), z.node.to_string()]);
        }
        lines.push(json!({ "delegation": o }));
    }
    for r in &sc.revocations {
        let mut o = json!({"date": r.date.node.to_string(), "from": r.from.node});
        if let Some(t) = &r.to {
            o["to"] = json!(t.node);
        }
        lines.push(json!({ "revocation": o }));
    }
    let mut events: Vec<&ast::Event> = sc.events.iter().collect();
    events.sort_by_key(|e| e.date.node);
    for e in events {
        // An event written with a declared verb (行为) is read as the
        // compiler reads it.
        let e = &*guize::compile::words::event(verbs, e).unwrap();
        let mut o = json!({"date": e.date.node.to_string(), "verb": e.verb.node.word()});
        let opt = |o: &mut Value, k: &str, v: &Option<ast::Name>| {
            if let Some(v) = v {
                o[k] = json!(v.node);
            }
        };
        opt(&mut o, "actor", &e.actor);
        opt(&mut o, "kind", &e.kind);
        opt(&mut o, "object", &e.object);
        opt(&mut o, "convener", &e.convener);
        opt(&mut o, "chair", &e.chair);
        opt(&mut o, "place", &e.place);
        opt(&mut o, "basis", &e.basis);
        opt(&mut o, "area", &e.area);
        opt(&mut o, "reason", &e.reason);
        opt(&mut o, "special", &e.special);
        opt(&mut o, "approved_by", &e.approved_by);
        opt(&mut o, "handler", &e.handler);
        for (k, v) in [
            ("targets", &e.targets),
            ("present", &e.present),
            ("absent", &e.absent),
            ("attendees", &e.attendees),
            ("decided", &e.decided),
            ("tags", &e.tags),
        ] {
            if !v.is_empty() {
                o[k] = json!(names(v));
            }
        }
        if let Some((a, z)) = &e.period {
            o["period"] = json!([a.node.to_string(), z.node.to_string()]);
        }
        if e.leaves_county {
            o["leaves_county"] = json!(true);
        }
        if let Some(n) = &e.expected_count {
            o["expected_count"] = json!(n.value);
        }
        if let Some(n) = &e.present_count {
            o["present_count"] = json!(n.value);
        }
        lines.push(json!({ "event": o }));
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

type Tally = BTreeMap<(u32, Verdict), usize>;

/// Verdicts per article. A log has no 期间: where the scenario sets one, a
/// 频次 rule observes other periods in the audit (the log's own first and
/// last day), so 频次 findings are left out of the comparison there (the
/// audit's own 频次 tests are in tests/audit.rs).
fn tally<'f>(fs: impl Iterator<Item = &'f guize::Finding>, window: bool) -> Tally {
    let mut t = Tally::new();
    for f in fs.filter(|f| !window || f.pattern != "频次") {
        *t.entry((f.article, f.verdict)).or_default() += 1;
    }
    t
}

#[test]
fn check_and_audit_agree_on_every_fidelity_scenario() {
    let dir = root().join("tests/scenarios/fidelity");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "guize"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "fidelity suites missing");
    let mut checked = 0;
    for file in files {
        let mut p = Project::default();
        p.load_paths(std::slice::from_ref(&file)).unwrap();
        for sc in &p.scenarios {
            for rs in p.rulesets_for(sc).unwrap() {
                let (compiled, report) = check_scenario(rs, sc).unwrap();
                let cutoff = compiled
                    .cutoff
                    .or_else(|| compiled.events.iter().map(|e| e.date).max());
                let opts = AuditOptions {
                    cutoff,
                    count_only: false,
                    ..AuditOptions::default()
                };
                let log = as_log(&sc.ast, &rs.verbs);
                let mut found = Vec::new();
                audit_reader(
                    rs,
                    "log.jsonl",
                    log.as_bytes(),
                    opts,
                    &mut |item| match item {
                        AuditItem::Finding { finding, .. } => found.push(*finding),
                        AuditItem::Rejected { line, diags } => {
                            panic!(
                                "{}: line {line} rejected: {diags:?}\n{log}",
                                sc.ast.name.node
                            )
                        }
                        AuditItem::Unchecked { diags } => {
                            panic!("{}: unchecked {diags:?}", sc.ast.name.node)
                        }
                        // A 情形 no rule tests: warned, judged as check judges it.
                        AuditItem::Warning { .. } => {}
                    },
                )
                .unwrap();
                let window = compiled.window.is_some();
                let (ours, theirs) = (
                    tally(report.findings.iter(), window),
                    tally(found.iter(), window),
                );
                assert_eq!(
                    ours, theirs,
                    "{}: check (left) and audit (right) differ\n{log}",
                    sc.ast.name.node
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} scenarios");
}

/// The audit counts 按 单位 per department and a multi-day event in every
/// period it covers, as `check` does (the scenarios above set 期间, so their
/// 频次 findings are compared here, on a log of the same events).
#[test]
fn audit_counts_per_unit_and_across_periods() {
    let file = root().join("tests/scenarios/fidelity/counting-and-alternatives.guize");
    let mut p = Project::default();
    p.load_paths(std::slice::from_ref(&file)).unwrap();
    let rs = &p.rulesets[0];
    let log = r#"{"person": {"name": "王某", "positions": ["县长"]}}
{"person": {"name": "甲某", "positions": ["副县长"]}}
{"event": {"date": "2023-01-02", "verb": "签发", "actor": "王某", "kind": "县政府文件", "object": "起"}}
{"event": {"date": "2023-03-01", "verb": "召开", "actor": "县教育局", "kind": "全县性会议", "object": "甲会", "convener": "甲某"}}
{"event": {"date": "2023-03-24", "verb": "调研", "actor": "王某", "object": "乡村振兴", "period": ["2023-03-24", "2023-03-27"]}}
{"event": {"date": "2023-03-28", "verb": "调研", "actor": "王某", "object": "教育"}}
{"event": {"date": "2023-03-29", "verb": "调研", "actor": "王某", "object": "卫生"}}
{"event": {"date": "2023-03-30", "verb": "调研", "actor": "王某", "object": "农业"}}
{"event": {"date": "2023-09-01", "verb": "召开", "actor": "县教育局", "kind": "全县性会议", "object": "乙会", "convener": "王某"}}
{"event": {"date": "2023-09-05", "verb": "召开", "actor": "县卫健局", "kind": "全县性会议", "object": "丙会", "convener": "甲某"}}
{"event": {"date": "2023-12-29", "verb": "签发", "actor": "王某", "kind": "县政府文件", "object": "止"}}
"#;
    let mut found = Vec::new();
    audit_reader(
        rs,
        "log.jsonl",
        log.as_bytes(),
        AuditOptions::default(),
        &mut |item| {
            if let AuditItem::Finding { finding, offender } = item {
                found.push((*finding, offender));
            }
        },
    )
    .unwrap();
    let violated = |article: u32| -> Vec<(String, Option<String>)> {
        found
            .iter()
            .filter(|(f, _)| f.article == article && f.verdict == Verdict::Violated)
            .map(|(f, o)| {
                (
                    f.dates
                        .first()
                        .map(|d| d.date.to_string())
                        .unwrap_or_default(),
                    o.as_ref().map(|p| p.name().to_string()),
                )
            })
            .collect()
    };
    // 县教育局: two in 2023 (different conveners) → 违反; 县卫健局: one.
    assert_eq!(
        violated(44),
        vec![("2023-01-01".to_string(), Some("县教育局".to_string()))]
    );
    // Week of Mon 03-27: the 03-24…03-27 调研 counts towards the most in
    // the week of 03-20, where it starts; 03-28, 03-29 and 03-30 = 3 > 2.
    assert_eq!(
        violated(81),
        vec![("2023-03-27".to_string(), Some("王某".to_string()))]
    );
}

/// Acts the text treats as one (issue #11, class 18): two articles naming
/// the same document kind with 签署 and 签发 are linted, unless the ruleset
/// says they are one act (视同) or two (区分).
#[test]
fn lint_warns_of_two_words_for_one_act() {
    let lint = |decl: &str| -> Vec<&'static str> {
        let text = format!(
            "规则集 词语测试 {{\n 施行 2023-01-01\n 日历 中国法定节假日\n 职务 县长\n 公文 县政府文件\n {decl}\n\
             条 一 {{ 原文 \"县政府文件由县长签署。\" 须 由 县长 签署 县政府文件 }}\n\
             条 二 {{ 原文 \"县政府文件签发后三日内印发。\" 须 在 签发 县政府文件 后 3日内 印发 }}\n}}\n"
        );
        let mut p = Project::default();
        p.add_source(&guize::diag::Source::new("w.guize", text))
            .unwrap();
        guize::lint::lint(&p.rulesets[0], None)
            .iter()
            .map(|d| d.code)
            .filter(|c| *c == guize::lint::code::TWO_WORDS)
            .collect()
    };
    assert_eq!(lint("").len(), 1);
    assert!(lint("视同 签发、签署 县政府文件").is_empty());
    assert!(lint("区分 签发、签署").is_empty());
}
