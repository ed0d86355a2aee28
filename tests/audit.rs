//! The streaming audit: hand-worked logs with exact verdicts, the rules of
//! the record count, and equivalence with checking the whole log at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use guize::audit::{AuditItem, AuditOptions, AuditStats, audit_reader};
use guize::compile::ir::Ruleset;
use guize::generate::{GenOptions, generate};
use guize::{Project, Verdict, check_scenario};

fn ruleset(slug: &str) -> Ruleset {
    let mut p = Project::default();
    p.load_paths(&[format!("{}/rulesets/{slug}.guize", common::ROOT)])
        .expect("shipped ruleset loads");
    p.rulesets.remove(0)
}

/// Options that pass every finding, 符合 and 不适用 too (the default
/// only counts those).
fn every() -> AuditOptions {
    AuditOptions {
        count_only: false,
        ..AuditOptions::default()
    }
}

struct Audited {
    stats: AuditStats,
    findings: Vec<(guize::Finding, Option<String>)>,
    rejected: Vec<(usize, Vec<&'static str>)>,
    warnings: Vec<(usize, Vec<&'static str>)>,
}

fn audit(rs: &Ruleset, log: &str, opts: AuditOptions) -> Audited {
    let mut findings = Vec::new();
    let mut rejected = Vec::new();
    let mut warnings = Vec::new();
    let stats = audit_reader(
        rs,
        "log.jsonl",
        log.as_bytes(),
        opts,
        &mut |item| match item {
            AuditItem::Finding { finding, offender } => {
                findings.push((*finding, offender.map(|p| p.name().to_string())))
            }
            AuditItem::Rejected { line, diags } => {
                rejected.push((line, diags.iter().map(|d| d.code).collect()))
            }
            AuditItem::Unchecked { diags } => panic!("unchecked: {diags:?}"),
            AuditItem::Warning { line, diags } => {
                warnings.push((line, diags.iter().map(|d| d.code).collect()))
            }
        },
    )
    .unwrap();
    Audited {
        stats,
        findings,
        rejected,
        warnings,
    }
}

fn verdicts(a: &Audited, article: u32) -> Vec<Verdict> {
    a.findings
        .iter()
        .filter(|(f, _)| f.article == article)
        .map(|(f, _)| f.verdict)
        .collect()
}

const PEOPLE: &str = r#"{"person": {"name": "王县长", "positions": ["县长"]}}
{"person": {"name": "李副县长", "positions": ["副县长"], "areas": ["财政"]}}
{"unit": "县财政局"}
"#;

/// 乾安 第十三条: 县长召集 … 县长办公会议 (权限). Two meetings: one
/// convened by the 县长 (符合), one by a 副县长 with no delegation (违反).
#[test]
fn authority_per_event_with_line_numbers() {
    let rs = ruleset("qianan-2022");
    let log = format!(
        "{PEOPLE}{}\n{}\n",
        r#"{"event": {"date": "2022-07-01", "verb": "召开", "kind": "县长办公会议", "object": "会1", "convener": "王县长", "chair": "王县长"}}"#,
        r#"{"event": {"date": "2022-07-04", "verb": "召开", "kind": "县长办公会议", "object": "会2", "convener": "李副县长", "chair": "王县长"}}"#
    );
    let a = audit(&rs, &log, every());
    assert_eq!((a.stats.read, a.stats.checked, a.stats.rejected), (5, 5, 0));
    let v: Vec<_> = a
        .findings
        .iter()
        .filter(|(f, _)| f.pattern == "权限" && f.article == 13)
        .map(|(f, o)| (f.verdict, f.events[0].line, o.clone()))
        .collect();
    assert!(
        v.contains(&(Verdict::Complied, 4, Some("王县长".into()))),
        "{v:?}"
    );
    assert!(
        v.contains(&(Verdict::Violated, 5, Some("李副县长".into()))),
        "{v:?}"
    );
    assert_eq!(
        a.stats.offenders.named().collect::<Vec<_>>(),
        [("李副县长".to_string(), 1)],
        "{:?}",
        a.stats
    );
}

/// A malformed line, an unknown person, an out-of-order date and a line
/// that is not UTF-8 are each rejected with their line; the rest is checked.
#[test]
fn rejections_are_counted_with_their_lines() {
    let rs = ruleset("qianan-2022");
    let mut log = PEOPLE.as_bytes().to_vec();
    log.extend_from_slice(
        r#"{"event": {"date": "2022-03-05", "verb": "签发", "actor": "王县长", "kind": "县政府文件", "object": "文1"}}
{"event": {"date": "2022-03-05", "verb": "签发", "actor": "王县长", "kind": "县政府文件", "object": "文1a"}}
{"event": {"date": "2022-03-05", "verb": "签发", "actor": "王县长", "kind": "县政府文件", "object": "文1b"}}
{"event": {"date": "2022-03-06", "verb": "签发", "actor": "王县长""#
            .as_bytes(),
    );
    log.extend_from_slice(b"\n");
    log.extend_from_slice(
        r#"{"event": {"date": "2022-03-06", "verb": "签发", "actor": "赵某", "kind": "县政府文件", "object": "文2"}}
{"event": {"date": "2022-02-20", "verb": "签发", "actor": "王县长", "kind": "县政府文件", "object": "文3"}}
"#
        .as_bytes(),
    );
    log.extend_from_slice(b"{\"unit\": \"\xff\xfe\"}\n\n");
    log.extend_from_slice(r#"{"event": {"date": "2022-02-30", "verb": "签发"}}"#.as_bytes());
    let mut rejected = Vec::new();
    let stats = audit_reader(&rs, "log.jsonl", &log[..], every(), &mut |item| {
        if let AuditItem::Rejected { line, diags } = item {
            rejected.push((line, diags[0].code, diags[0].location()));
        }
    })
    .unwrap();
    assert_eq!(
        rejected.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(),
        vec![
            (7, "guize::json::invalid"),
            (8, "guize::name::unknown"),
            (9, "guize::audit::out_of_order"),
            (10, "guize::io::not_utf8"),
            (12, "guize::syntax::bad_date"),
        ]
    );
    // The location names the log line, not the line within the record.
    assert!(rejected[1].2.starts_with("log.jsonl:8:"), "{rejected:?}");
    // Line 11 is blank: not a record.
    assert_eq!((stats.read, stats.checked, stats.rejected), (11, 6, 5));
    assert_eq!(stats.read, stats.checked + stats.rejected);
}

/// A record written twice (the same line, character for character) is
/// refused with the line it repeats, not counted twice: a reviewer's export
/// that repeated one 常务会议 made it satisfy “每月2次” (trial, stop 35). A
/// 情形 no rule tests is warned of once, with the nearest one, and the
/// record is still checked.
#[test]
fn a_repeated_line_is_refused_and_an_unknown_tag_warned() {
    let rs = ruleset("qianan-2022");
    let ask = |n: u32, tag: &str| {
        format!(
            r#"{{"event": {{"date": "2023-09-27", "verb": "咨询", "actor": "网民", "targets": ["县政务服务中心"], "object": "留言{n}", "tags": ["{tag}"]}}}}"#
        )
    };
    let log = [
        r#"{"unit": "网民"}"#.to_string(),
        r#"{"unit": "县政务服务中心"}"#.to_string(),
        ask(1, "简单问题"),
        ask(1, "简单问题"),
        ask(2, "简单问题目"),
        ask(3, "简单问题目"),
    ]
    .join("\n");
    let a = audit(&rs, &log, every());
    assert_eq!(
        a.rejected,
        vec![(4, vec![guize::diag::code::AUDIT_DUPLICATE])]
    );
    assert_eq!(
        a.warnings,
        vec![(5, vec![guize::lint::code::UNKNOWN_TAG])],
        "once per name"
    );
    assert_eq!((a.stats.read, a.stats.checked, a.stats.rejected), (6, 5, 1));
    // 留言1 is one 咨询, judged once.
    let about_one = a
        .findings
        .iter()
        .filter(|(f, _)| f.events.first().is_some_and(|e| e.line == 3 || e.line == 4))
        .count();
    assert!(about_one >= 1);
    assert!(
        a.findings
            .iter()
            .all(|(f, _)| f.events.first().is_none_or(|e| e.line != 4)),
        "the repeated line is judged nowhere"
    );
}

/// A 频次 rule whose acts the log never records: its 违反 may say only
/// that the export left them out (a reviewer's month with no 调研 gave 24
/// weekly 第八十一条 breaches and nothing else to read); the summary says
/// so, once per article. One 调研 in the log and the note is gone.
#[test]
fn a_rule_whose_acts_the_log_never_records_is_noted() {
    let rs = ruleset("qianan-2022");
    let ask = |date: &str, n: u32| {
        format!(
            r#"{{"event": {{"date": "{date}", "verb": "咨询", "actor": "网民", "targets": ["县政务服务中心"], "object": "留言{n}", "tags": ["简单问题"]}}}}"#
        )
    };
    let mut log = vec![
        r#"{"person": {"name": "王某", "positions": ["县长"]}}"#.to_string(),
        r#"{"unit": "网民"}"#.to_string(),
        r#"{"unit": "县政务服务中心"}"#.to_string(),
        ask("2023-09-04", 1),
        ask("2023-09-20", 2),
    ];
    let a = audit(&rs, &log.join("\n"), every());
    let notes: Vec<(&str, &str)> = a
        .stats
        .never_recorded
        .iter()
        .map(|n| (n.article.as_str(), n.acts.as_str()))
        .collect();
    assert_eq!(notes, [("第八十一条", "调研")]);
    assert!(a.stats.never_recorded[0].violated > 0);
    let summary = guize::report::audit_summary(&a.stats, "乾安", "log.jsonl");
    assert!(
        summary.contains("提示：日志中没有一条“调研”记录；第八十一条"),
        "{summary}"
    );
    log.insert(
        4,
        r#"{"event": {"date": "2023-09-05", "verb": "调研", "actor": "王某"}}"#.to_string(),
    );
    let a = audit(&rs, &log.join("\n"), every());
    assert!(a.stats.never_recorded.is_empty());
}

/// 乾安 第四十条: 简单咨询 5 个工作日内回应, across the 2023 国庆 holiday.
/// 9-27 留言: 9-28 = 1; 9-29..10-06 off; 10-07, 10-08 调休 = 2, 3; 10-09,
/// 10-10 = 4, 5 → due 10-10. 留言1 answered 10-10: 符合. 留言2 answered
/// 10-11: 违反 (late). 留言3 never answered: 违反 once the log is past its
/// deadline. 留言4 on 12-20 (due 12-27) is still open when the log ends on
/// 12-22: 待定.
#[test]
fn response_deadlines_across_national_day() {
    let rs = ruleset("qianan-2022");
    let ev = |date: &str, verb: &str, actor: &str, extra: &str| {
        format!(r#"{{"event": {{"date": "{date}", "verb": "{verb}", "actor": "{actor}"{extra}}}}}"#)
    };
    let ask = |date: &str, n: u32| {
        ev(
            date,
            "咨询",
            "网民",
            &format!(
                r#", "targets": ["县政务服务中心"], "object": "留言{n}", "tags": ["简单问题"]"#
            ),
        )
    };
    let answer = |date: &str, n: u32| {
        ev(
            date,
            "回应",
            "县政务服务中心",
            &format!(r#", "object": "留言{n}""#),
        )
    };
    let log = [
        r#"{"unit": "网民"}"#.to_string(),
        r#"{"unit": "县政务服务中心"}"#.to_string(),
        ask("2023-09-27", 1),
        ask("2023-09-27", 2),
        ask("2023-09-27", 3),
        answer("2023-10-10", 1),
        answer("2023-10-11", 2),
        ask("2023-12-20", 4),
        ev("2023-12-22", "调研", "县政务服务中心", ""),
    ]
    .join("\n");
    let a = audit(&rs, &log, every());
    assert_eq!(a.rejected, vec![]);
    let forty: Vec<_> = a
        .findings
        .iter()
        .filter(|(f, _)| f.article == 40)
        .map(|(f, _)| (f.events[0].line, f.verdict))
        .collect();
    assert_eq!(
        forty,
        vec![
            (3, Verdict::Complied),
            (4, Verdict::Violated),
            (5, Verdict::Violated),
            (8, Verdict::Pending),
        ]
    );
    let due = a
        .findings
        .iter()
        .find(|(f, _)| f.article == 40)
        .and_then(|(f, _)| {
            f.dates
                .iter()
                .find(|d| d.role == guize::check::DateRole::Deadline)
        })
        .map(|d| d.date.to_string());
    assert_eq!(due.as_deref(), Some("2023-10-10"));
    assert_eq!(
        a.stats.cutoff.map(|d| d.to_string()).as_deref(),
        Some("2023-12-22")
    );
    assert_eq!(verdicts(&a, 40).len(), 4);
}

/// 频次 per person (乾安 第八十一条 每周学习): a week with the study held is
/// 符合, a full week without it 违反, the partly observed first week 待定.
#[test]
fn frequency_periods_close_as_the_log_streams() {
    let rs = ruleset("qianan-2022");
    let make = |n: usize| {
        let mut s = Vec::new();
        generate(
            &rs,
            GenOptions {
                events: n,
                seed: 7,
                year: Some(2022),
                fault_rate: 0.2,
            },
            &mut s,
        )
        .unwrap();
        String::from_utf8(s).unwrap()
    };
    let log = make(3000);
    let a = audit(&rs, &log, every());
    let week: Vec<_> = a
        .findings
        .iter()
        .filter(|(f, _)| f.pattern == "频次")
        .collect();
    assert!(!week.is_empty());
    // Every period judged once per group: no duplicates.
    let mut seen = std::collections::BTreeSet::new();
    for (f, who) in &week {
        let start = f
            .dates
            .iter()
            .find(|d| d.role == guize::check::DateRole::PeriodStart)
            .unwrap()
            .date;
        assert!(
            seen.insert((f.rule, start, who.clone())),
            "judged twice: {}",
            f.explanation()
        );
    }
}

/// Log → one JSON scenario with the same records, checked at once.
fn as_scenario(rs: &Ruleset, log: &str, cutoff: &str) -> String {
    let mut people = Vec::new();
    let mut units = Vec::new();
    let mut delegations = Vec::new();
    let mut events = Vec::new();
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (k, x) = v.as_object().unwrap().iter().next().unwrap();
        match k.as_str() {
            "person" => people.push(x.clone()),
            "unit" => units.push(x.clone()),
            "delegation" => delegations.push(x.clone()),
            "event" => events.push(x.clone()),
            _ => unreachable!(),
        }
    }
    // A log is the record of its days: the scenario says so with its 期间,
    // from the first event to the cutoff.
    let first = events
        .iter()
        .filter_map(|e| e["date"].as_str())
        .min()
        .unwrap()
        .to_string();
    serde_json::json!({
        "name": "整份日志", "basis": [rs.name], "cutoff": cutoff,
        "window": [first, cutoff],
        "people": people, "units": units, "delegations": delegations, "events": events
    })
    .to_string()
}

type Key = (u32, usize, Verdict, chrono::NaiveDate);

/// (article, rule, verdict, first event's or period's date) → count.
fn tally<'a>(fs: impl Iterator<Item = &'a guize::Finding>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for f in fs {
        let when = f
            .events
            .first()
            .map(|e| e.date)
            .or_else(|| f.dates.first().map(|d| d.date))
            .unwrap();
        *m.entry((f.article, f.rule, f.verdict, when)).or_default() += 1;
    }
    m
}

/// The audit of a generated log gives the same verdicts, rule by rule and
/// day by day, as checking the whole log as one scenario, for every shipped
/// ruleset (the generator keeps precedents and 及时 responses within the
/// audit's look-back and horizon).
#[test]
fn audit_equals_checking_the_whole_log() {
    for slug in [
        "qianan-2022",
        "guazhou-2020",
        "yili-2023",
        "gongliu-2023",
        "kezhou-2023",
    ] {
        let rs = ruleset(slug);
        let mut log = Vec::new();
        let g = generate(
            &rs,
            GenOptions {
                events: 1500,
                seed: 11,
                year: None,
                fault_rate: 0.15,
            },
            &mut log,
        )
        .unwrap();
        let log = String::from_utf8(log).unwrap();
        let a = audit(&rs, &log, every());
        assert_eq!(a.rejected, vec![], "{slug}: generated records rejected");
        assert_eq!(a.warnings, vec![], "{slug}: generated records warned of");
        assert_eq!(a.stats.events, g.events);
        let cutoff = a.stats.cutoff.unwrap().to_string();
        let src = guize::diag::Source::new("whole.scenario.json", as_scenario(&rs, &log, &cutoff));
        let mut p = Project::default();
        p.add_source(&src).unwrap();
        let (_, whole) = check_scenario(&rs, &p.scenarios[0]).unwrap();
        let ours = tally(a.findings.iter().map(|(f, _)| f));
        let theirs = tally(whole.findings.iter());
        // The one allowed difference: a precedent (先行) older than the
        // audit's 31-day look-back, found by the whole-log check only.
        let beyond_lookback = |k: &Key| {
            let olds: Vec<_> = whole
                .findings
                .iter()
                .filter(|f| (f.article, f.rule, f.verdict) == (k.0, k.1, k.2))
                .filter(|f| f.events.first().map(|e| e.date) == Some(k.3))
                .collect();
            !olds.is_empty()
                && olds.iter().all(|f| {
                    f.pattern == "先行"
                        && f.verdict == Verdict::Complied
                        && f.events[1..].iter().all(|p| (k.3 - p.date).num_days() > 31)
                })
        };
        let mut explained = 0;
        let mut diff = Vec::new();
        for k in ours.keys().chain(theirs.keys()) {
            let (x, y) = (ours.get(k).copied(), theirs.get(k).copied());
            if x == y {
                continue;
            }
            if k.2 == Verdict::Complied && beyond_lookback(k) {
                explained += 1;
            } else if k.2 != Verdict::Complied
                && beyond_lookback(&(k.0, k.1, Verdict::Complied, k.3))
            {
                // The audit's 违反 for the same trigger.
            } else {
                diff.push((*k, x, y));
            }
        }
        assert!(
            diff.is_empty(),
            "{slug}: audit ≠ check: {:?}",
            &diff[..diff.len().min(10)]
        );
        assert!(
            explained * 50 < whole.findings.len(),
            "{slug}: {explained} look-back differences of {}",
            whole.findings.len()
        );
        assert!(
            a.stats.total(Verdict::Violated) > 0,
            "{slug}: faults were injected"
        );
        // Memory: events are let go, not all held. Not a tight bound: the
        // generated log spans about 8 months and a review is looked for 90
        // days back, so every ruleset's audit holds 40–51% of it at its
        // peak (stop 35: 625–758 of 1,500; a new 乾安 rule moved 736 to 758
        // across the old `events / 2`). Flatness in the log's length is
        // `memory_is_flat_in_the_length_of_the_log`'s.
        assert!(
            a.stats.peak_buffer < g.events * 3 / 5,
            "{slug}: peak {} of {}",
            a.stats.peak_buffer,
            g.events
        );
    }
}

/// Twice the log over the same days holds about twice the events (density),
/// but a log twice as long at the same density holds no more: memory grows
/// with the window, not with the log.
#[test]
fn memory_is_flat_in_the_length_of_the_log() {
    let rs = ruleset("qianan-2022");
    let peak = |events: usize, year: i32| {
        let mut log = Vec::new();
        generate(
            &rs,
            GenOptions {
                events,
                seed: 5,
                year: Some(year),
                fault_rate: 0.1,
            },
            &mut log,
        )
        .unwrap();
        let log = String::from_utf8(log).unwrap();
        audit(&rs, &log, every()).stats.peak_buffer
    };
    let one_year = peak(4000, 2022);
    // Two years at the same density: the 2022 log followed by 2023's.
    let mut two = Vec::new();
    for y in [2022, 2023] {
        let mut log = Vec::new();
        generate(
            &rs,
            GenOptions {
                events: 4000,
                seed: 5,
                year: Some(y),
                fault_rate: 0.1,
            },
            &mut log,
        )
        .unwrap();
        let log = String::from_utf8(log).unwrap();
        // People are declared once.
        let lines: Vec<&str> = log
            .lines()
            .filter(|l| y == 2022 || !l.starts_with("{\"person\""))
            .collect();
        two.push(lines.join("\n"));
    }
    let a = audit(&rs, &two.join("\n"), every());
    assert_eq!(a.rejected, vec![]);
    assert!(
        a.stats.peak_buffer <= one_year + one_year / 5,
        "two years hold {} events at peak, one year {one_year}",
        a.stats.peak_buffer
    );
}

/// A log exported on Windows: byte-order mark, CRLF line ends.
#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let rs = ruleset("qianan-2022");
    let log = format!("\u{FEFF}{}", PEOPLE.replace('\n', "\r\n"));
    let a = audit(&rs, &log, every());
    assert_eq!(a.rejected, vec![]);
    assert_eq!((a.stats.read, a.stats.checked), (3, 3));
}

/// A generated log of `events` events (20% faults) for `rs`.
fn generated_log(rs: &Ruleset, events: usize, seed: u64) -> String {
    let mut log = Vec::new();
    generate(
        rs,
        GenOptions {
            events,
            seed,
            year: None,
            fault_rate: 0.2,
        },
        &mut log,
    )
    .unwrap();
    String::from_utf8(log).unwrap()
}

/// Where chunks begin and end is an implementation detail: the verdicts of
/// a log, rule by rule and day by day, are the same whatever the chunk size
/// (look-back and 及时 are measured from each trigger, not from the chunk).
/// Short windows (2 days) make them matter: the generated precedents and
/// 及时 answers come up to a few days from their triggers.
#[test]
fn verdicts_do_not_depend_on_the_chunk_size() {
    for slug in ["qianan-2022", "kezhou-2023"] {
        let rs = ruleset(slug);
        let log = generated_log(&rs, 1200, 4);
        let run = |chunk_days| {
            let a = audit(
                &rs,
                &log,
                AuditOptions {
                    chunk_days,
                    lookback_days: 2,
                    prompt_days: 2,
                    ..every()
                },
            );
            tally(a.findings.iter().map(|(f, _)| f))
        };
        let base = run(14);
        for chunk in [1, 5, 30] {
            let other = run(chunk);
            let diff: Vec<_> = base
                .keys()
                .chain(other.keys())
                .filter(|k| base.get(k) != other.get(k))
                .take(5)
                .map(|k| (k, base.get(k), other.get(k)))
                .collect();
            assert!(diff.is_empty(), "{slug}: chunk 14 vs {chunk}: {diff:?}");
        }
    }
}

/// Count-only (the CLI without `--all`): the same summary, and the same
/// findings other than 符合 and 不适用 in the same order, as an audit
/// that builds every finding.
#[test]
fn count_only_counts_what_it_does_not_build() {
    for slug in ["qianan-2022", "kezhou-2023"] {
        let rs = ruleset(slug);
        let log = generated_log(&rs, 1500, 7);
        let full = audit(&rs, &log, every());
        let counted = audit(&rs, &log, AuditOptions::default());
        assert_eq!(
            serde_json::to_string(&full.stats).unwrap(),
            serde_json::to_string(&counted.stats).unwrap(),
            "{slug}"
        );
        let shown = |a: &Audited| -> Vec<String> {
            a.findings
                .iter()
                .filter(|(f, _)| !matches!(f.verdict, Verdict::Complied | Verdict::NotApplicable))
                .map(|(f, o)| format!("{} {o:?}", serde_json::to_string(f).unwrap()))
                .collect()
        };
        assert!(
            counted
                .findings
                .iter()
                .all(|(f, _)| !matches!(f.verdict, Verdict::Complied | Verdict::NotApplicable)),
            "{slug}"
        );
        assert_eq!(shown(&full), shown(&counted), "{slug}");
        assert!(full.stats.total(Verdict::Complied) > 0, "{slug}");
    }
}

/// A generated 乾安 log, line by line.
fn generated_lines(rs: &Ruleset, events: usize, seed: u64) -> Vec<String> {
    let mut log = Vec::new();
    generate(
        rs,
        GenOptions {
            events,
            seed,
            year: Some(2022),
            fault_rate: 0.15,
        },
        &mut log,
    )
    .unwrap();
    String::from_utf8(log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn event_date(line: &str) -> Option<chrono::NaiveDate> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    v["event"]["date"].as_str()?.parse().ok()
}

fn with_date(line: &str, date: chrono::NaiveDate) -> String {
    let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["event"]["date"] = serde_json::Value::String(date.to_string());
    v.to_string()
}

/// Real exports are not perfectly sorted: a log whose days come in a
/// shuffled order within the reorder window (each pair of neighbouring
/// days swapped) is taken whole, and gets the verdicts of the sorted log.
#[test]
fn events_out_of_order_within_the_window_are_taken() {
    let rs = ruleset("qianan-2022");
    let lines = generated_lines(&rs, 1500, 11);
    // Runs of event lines, grouped by day; neighbouring days swapped.
    let mut shuffled = Vec::new();
    let mut i = 0;
    let mut swaps = 0;
    while i < lines.len() {
        let Some(d) = event_date(&lines[i]) else {
            shuffled.push(lines[i].clone());
            i += 1;
            continue;
        };
        let day_end = |from: usize, d| {
            (from..lines.len())
                .find(|&k| event_date(&lines[k]) != Some(d))
                .unwrap_or(lines.len())
        };
        let j = day_end(i, d);
        match lines.get(j).and_then(|l| event_date(l)) {
            Some(d2) if (d2 - d).num_days() <= 7 => {
                let k = day_end(j, d2);
                shuffled.extend_from_slice(&lines[j..k]);
                shuffled.extend_from_slice(&lines[i..j]);
                swaps += 1;
                i = k;
            }
            _ => {
                shuffled.extend_from_slice(&lines[i..j]);
                i = j;
            }
        }
    }
    assert!(swaps > 50, "only {swaps} days swapped");
    assert_ne!(shuffled, lines);
    let sorted = audit(&rs, &(lines.join("\n") + "\n"), every());
    let mixed = audit(&rs, &(shuffled.join("\n") + "\n"), every());
    assert!(mixed.rejected.is_empty(), "{:?}", mixed.rejected);
    assert_eq!(mixed.stats.read, sorted.stats.read);
    assert_eq!(mixed.stats.checked, sorted.stats.checked);
    assert_eq!(
        tally(mixed.findings.iter().map(|(f, _)| f)),
        tally(sorted.findings.iter().map(|(f, _)| f))
    );
}

/// One mis-dated record — far ahead (a wrong year or month) or far behind —
/// is rejected and named; every record after it is taken (a single late
/// date made every following correct record "out of order").
#[test]
fn a_single_mis_dated_record_is_the_one_rejected() {
    let rs = ruleset("qianan-2022");
    let mut lines = generated_lines(&rs, 1500, 3);
    let events: Vec<usize> = (0..lines.len())
        .filter(|&k| event_date(&lines[k]).is_some())
        .collect();
    let ahead = events[events.len() / 3];
    let behind = events[2 * events.len() / 3];
    let d = event_date(&lines[ahead]).unwrap();
    lines[ahead] = with_date(&lines[ahead], d + chrono::Days::new(200));
    let d = event_date(&lines[behind]).unwrap();
    lines[behind] = with_date(&lines[behind], d - chrono::Days::new(60));
    let a = audit(&rs, &(lines.join("\n") + "\n"), every());
    assert_eq!(
        a.rejected,
        vec![
            (ahead + 1, vec!["guize::audit::out_of_order"]),
            (behind + 1, vec!["guize::audit::out_of_order"]),
        ]
    );
    assert_eq!(a.stats.read, lines.len());
    assert_eq!(a.stats.checked, lines.len() - 2);
    assert_eq!(a.stats.read, a.stats.checked + a.stats.rejected);
}

/// A person's own 特殊情况 in a week excuses his too few there in the
/// audit as in `check` (tests/scenarios/fidelity/shortfall-excuse.guize):
/// the week of 09-15, all of it on training, is 例外; recorded without the
/// 特殊情况 it is 违反.
#[test]
fn a_persons_own_special_circumstance_excuses_a_short_week() {
    let mut p = Project::default();
    p.load_paths(&[format!(
        "{}/tests/scenarios/fidelity/shortfall-excuse.guize",
        common::ROOT
    )])
    .unwrap();
    let rs = p.rulesets.remove(0);
    let log = |training: &str| {
        format!(
            r#"{{"person": {{"name": "王某", "positions": ["县长"]}}}}
{{"event": {{"date": "2025-09-08", "verb": "调研", "actor": "王某", "object": "起"}}}}
{{"event": {{"date": "2025-09-15", "verb": "培训", "actor": "王某", "leaves_county": true, "period": ["2025-09-15", "2025-09-19"]{training}}}}}
{{"event": {{"date": "2025-09-22", "verb": "调研", "actor": "王某", "object": "秋收"}}}}
{{"event": {{"date": "2025-09-28", "verb": "调研", "actor": "王某", "object": "止"}}}}
"#
        )
    };
    let week = |a: &Audited| -> Vec<Verdict> {
        a.findings
            .iter()
            .filter(|(f, _)| {
                f.article == 81
                    && f.dates.first().map(|d| d.date.to_string()) == Some("2025-09-15".into())
            })
            .map(|(f, _)| f.verdict)
            .collect()
    };
    let excused = audit(&rs, &log(r#", "special": "参加省委党校培训班""#), every());
    assert_eq!(week(&excused), vec![Verdict::Excepted]);
    let bare = audit(&rs, &log(""), every());
    assert_eq!(week(&bare), vec![Verdict::Violated]);
}

/// A change of position in a log (`"date"` on a person record): 李某 is
/// 县长 from 2022-07-04 (乾安 第十三条, 县长 召集 县长办公会议). His meeting of
/// 07-01 is 违反, that of 07-05 符合. The same change written after the
/// log's events of 07-05 reached the checker is refused (line 7), not
/// applied to half the log.
#[test]
fn a_change_of_position_applies_from_its_day_and_a_late_one_is_refused() {
    let rs = ruleset("qianan-2022");
    let meeting = |day: &str, n: u32| {
        format!(
            r#"{{"event": {{"date": "2022-07-{day}", "verb": "召开", "kind": "县长办公会议", "object": "会{n}", "convener": "李某", "chair": "李某"}}}}"#
        )
    };
    let log = format!(
        "{}\n{}\n{}\n{}\n",
        r#"{"person": {"name": "李某", "positions": ["副县长"], "areas": ["财政"]}}"#,
        r#"{"person": {"name": "李某", "date": "2022-07-04", "positions": ["县长"]}}"#,
        meeting("01", 1),
        meeting("05", 2),
    );
    let a = audit(&rs, &log, every());
    assert_eq!(a.rejected, []);
    let v: Vec<_> = a
        .findings
        .iter()
        .filter(|(f, _)| f.pattern == "权限" && f.article == 13)
        .map(|(f, _)| (f.verdict, f.events[0].line))
        .collect();
    assert!(v.contains(&(Verdict::Violated, 3)), "{v:?}");
    assert!(v.contains(&(Verdict::Complied, 4)), "{v:?}");

    // The change after events dated after it, once they reached the buffer
    // (the reorder window is passed by three later events).
    let late = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        r#"{"person": {"name": "李某", "positions": ["副县长"], "areas": ["财政"]}}"#,
        meeting("01", 1),
        meeting("05", 5),
        meeting("20", 2),
        meeting("21", 3),
        meeting("22", 4),
        r#"{"person": {"name": "李某", "date": "2022-07-04", "positions": ["县长"]}}"#,
    );
    let a = audit(&rs, &late, every());
    assert_eq!(a.rejected, [(7, vec!["guize::audit::out_of_order"])]);
}
