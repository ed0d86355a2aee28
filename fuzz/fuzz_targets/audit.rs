//! Event logs → `audit::audit_reader` under 乾安 2022, and JSON scenarios →
//! `Project::add_source` + `check_scenario`. The first byte picks the mode:
//! raw bytes as a JSON scenario file (`*.scenario.json`), raw bytes as a log
//! (malformed JSON, bad UTF-8, anything), or a
//! structured log written from the bytes with 乾安's vocabulary (people,
//! units, delegations, events with every field, dates mostly moving
//! forward through 2023 and now and then going back or out of the
//! calendar), audited with small, fuzzed windows so that chunks settle,
//! periods close and events are evicted often. Invariants: no panic;
//! records read = checked + rejected; every diagnostic points inside its
//! line, on char boundaries; the summary's counts equal the findings seen.
#![no_main]

mod common;

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use guize::Project;
use guize::audit::{AuditItem, AuditOptions, audit_reader};
use guize::compile::ir::Ruleset;
use guize::diag::Source;
use libfuzzer_sys::fuzz_target;

const QIANAN: &str = include_str!("../../rulesets/qianan-2022.guize");
const PEOPLE: &[&str] = &["王某", "李某", "钱某", "周某", "冯某", "赵某"];
const UNITS: &[&str] = &["县教育局", "县财政局", "网民", "县政务服务中心", "县政府办公室"];
const VERBS: &[&str] = &[
    "召开", "请假", "出差", "出访", "学习", "培训", "休假", "签发", "签署", "签批", "审核",
    "会签", "印发", "报送", "报备", "征求意见", "回复", "报告", "咨询", "回应", "审批", "调研",
    "缺席", "开会",
];
const TAGS: &[&str] = &["简单问题", "特急事项", "重要", "合法性审查", "代表县政府"];
const OBJECTS: &[&str] = &["会1", "会2", "文1", "文2", "留言1", "请示1"];

fn ruleset() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| {
        let mut p = Project::default();
        p.add_source(&Source::new("qianan-2022.guize", QIANAN))
            .unwrap_or_else(|e| panic!("乾安 compiles: {e:?}"));
        p.rulesets.remove(0)
    })
}

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn pick<'v>(&mut self, xs: &[&'v str]) -> &'v str {
        xs[usize::from(self.byte()) % xs.len()]
    }

    fn list(&mut self, xs: &[&str]) -> String {
        let n = usize::from(self.byte() % 3);
        let items: Vec<String> = (0..n).map(|_| format!("\"{}\"", self.pick(xs))).collect();
        format!("[{}]", items.join(", "))
    }
}

/// A log written from the bytes with 乾安's vocabulary.
fn structured(b: &mut Bytes<'_>, rs: &Ruleset) -> String {
    let positions: Vec<&str> = rs.positions.names.iter().map(String::as_str).collect();
    let meetings: Vec<&str> = rs.meetings.iter().map(|m| m.name.as_str()).collect();
    let documents: Vec<&str> = rs.documents.iter().map(|d| d.name.as_str()).collect();
    let mut out = String::new();
    let mut day = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or_default();
    while !b.0.is_empty() {
        let op = b.byte();
        let line = match op % 16 {
            0 => format!(
                r#"{{"person": {{"name": "{}", "positions": {}, "areas": ["教育"]}}}}"#,
                b.pick(PEOPLE),
                b.list(&positions)
            ),
            1 => format!(r#"{{"unit": "{}"}}"#, b.pick(UNITS)),
            2 => format!(
                r#"{{"delegation": {{"from": "{}", "to": "{}", "period": ["{day}", "{}"]}}}}"#,
                b.pick(PEOPLE),
                b.pick(PEOPLE),
                day.checked_add_days(Days::new(u64::from(b.byte() % 20))).unwrap_or(day)
            ),
            3 => {
                // The date moves: mostly forward, sometimes back or far.
                let step = b.byte();
                day = match step % 8 {
                    0 => day.checked_sub_days(Days::new(u64::from(step % 5))).unwrap_or(day),
                    1 => day.checked_add_days(Days::new(u64::from(step) * 3)).unwrap_or(day),
                    _ => day.checked_add_days(Days::new(u64::from(step % 4))).unwrap_or(day),
                };
                continue;
            }
            4 => String::from_utf8_lossy(&[b.byte(), b.byte(), b.byte()]).into_owned(),
            _ => {
                let verb = b.pick(VERBS);
                let mut e = format!(r#"{{"date": "{day}", "verb": "{verb}""#);
                let flags = b.byte();
                if flags & 1 != 0 {
                    let who = if flags & 2 != 0 { b.pick(UNITS) } else { b.pick(PEOPLE) };
                    let _ = write!(e, r#", "actor": "{who}""#);
                }
                if verb == "召开" || flags & 4 != 0 {
                    let _ = write!(e, r#", "kind": "{}""#, b.pick(&meetings));
                } else if flags & 8 != 0 {
                    let _ = write!(e, r#", "kind": "{}""#, b.pick(&documents));
                }
                let _ = write!(e, r#", "object": "{}""#, b.pick(OBJECTS));
                if flags & 16 != 0 {
                    let _ = write!(
                        e,
                        r#", "convener": "{}", "chair": "{}", "present": {}, "absent": {}"#,
                        b.pick(PEOPLE),
                        b.pick(PEOPLE),
                        b.list(PEOPLE),
                        b.list(PEOPLE)
                    );
                }
                if flags & 32 != 0 {
                    let _ = write!(e, r#", "targets": {}, "tags": {}"#, b.list(UNITS), b.list(TAGS));
                }
                if flags & 64 != 0 {
                    let end = day.checked_add_days(Days::new(u64::from(b.byte() % 6))).unwrap_or(day);
                    let _ = write!(e, r#", "period": ["{day}", "{end}"], "leaves_county": true"#);
                }
                if flags & 128 != 0 {
                    let _ = write!(
                        e,
                        r#", "special": "原因", "expected_count": {}, "present_count": {}, "decided": ["文1"], "basis": "会1", "area": "教育""#,
                        b.byte() % 12,
                        b.byte() % 12
                    );
                }
                e.push('}');
                format!(r#"{{"event": {e}}}"#)
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Bytes as a JSON scenario, loaded and checked as `guize check` does.
fn json_scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut project = Project::default();
    project.rulesets.push(ruleset().clone());
    let source = Source::new("<fuzz>.scenario.json", text);
    if let Err(diags) = project.add_source(&source) {
        common::check_and_render(&diags);
        return;
    }
    for sc in &project.scenarios {
        match project.rulesets_for(sc) {
            Ok(rulesets) => {
                for rs in rulesets {
                    if let Err(diags) = guize::check_scenario(rs, sc) {
                        common::check_spans(&diags);
                    }
                }
            }
            Err(d) => common::check_spans(&[d]),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let rs = ruleset();
    let mut b = Bytes(data);
    let mode = b.byte();
    let opts = AuditOptions {
        cutoff: None,
        lookback_days: u32::from(b.byte() % 40),
        prompt_days: u32::from(b.byte() % 40),
        chunk_days: u32::from(b.byte() % 15),
        cite: usize::from(b.byte() % 4),
        reorder_days: u32::from(b.byte() % 10),
        count_only: mode & 4 != 0,
    };
    if mode % 3 == 2 {
        json_scenario(b.0);
        return;
    }
    let log: Vec<u8> = if mode % 3 == 0 {
        b.0.to_vec()
    } else {
        structured(&mut b, rs).into_bytes()
    };
    if std::env::var_os("GUIZE_FUZZ_PRINT").is_some() {
        eprintln!("{}", String::from_utf8_lossy(&log));
    }
    let mut verdicts = 0usize;
    // Every diagnostic's spans are checked, but only the first few are
    // rendered: under coverage instrumentation miette's line wrapping
    // was 85% of this target's time, and the other targets render the
    // same diagnostics anyway.
    let mut rendered = 0usize;
    let result = audit_reader(rs, "log.jsonl", &log[..], opts, &mut |item| match item {
        AuditItem::Finding { .. } => verdicts += 1,
        AuditItem::Rejected { diags, .. }
        | AuditItem::Unchecked { diags }
        | AuditItem::Warning { diags, .. } => {
            if rendered < 4 {
                rendered += 1;
                common::check_and_render(&diags);
            } else {
                common::check_spans(&diags);
            }
        }
    });
    match result {
        Ok(stats) => {
            assert_eq!(stats.read, stats.checked + stats.rejected, "{stats:?}");
            let counted: usize = stats
                .by_article
                .values()
                .map(|c| {
                    c.violated
                        + c.excepted
                        + c.pending
                        + if opts.count_only {
                            0
                        } else {
                            c.complied + c.not_applicable
                        }
                })
                .sum();
            assert_eq!(counted, verdicts, "summary counts differ from findings");
        }
        Err(d) => {
            common::check_and_render(&[d]);
        }
    }
});
