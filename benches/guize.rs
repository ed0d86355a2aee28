//! Benchmarks of the guize pipeline (run: `cargo bench --bench guize`).
//!
//! Targets (see docs/performance.md): parse+compile of all five enacted
//! rulesets < 10 ms; checking a 100-event scenario < 20 µs.
//!
//! Everything that is not the measured step (reading files, parsing and
//! resolving scenarios, building REPL sessions) happens outside the timed
//! closures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::PathBuf;

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use guize::calendar::{Calendar, CalendarId, NaiveDate};
use guize::compile::ir::{Ruleset, Scenario};
use guize::diag::Source;
use guize::repl::session::Session;
use guize::{Project, ScenarioSource};

fn main() {
    // `GUIZE_BENCH_DUMP=100 cargo bench --bench guize` prints the generated
    // 100-event scenario (also 20, 1000, 10000) instead of benchmarking, so
    // it can be run with `guize check`.
    if let Ok(n) = std::env::var("GUIZE_BENCH_DUMP") {
        let n: usize = n.parse().expect("GUIZE_BENCH_DUMP=20|100|1000|10000");
        let (from, to) = period(n);
        print!("{}", scenario_text(n, from, to));
        return;
    }
    divan::main();
}

// ───────── inputs ─────────

/// The five enacted rulesets (the 修订稿 is a demo draft of 乾安).
const ENACTED: [&str; 5] = [
    "qianan-2022.guize",
    "guazhou-2020.guize",
    "gongliu-2023.guize",
    "kezhou-2023.guize",
    "yili-2023.guize",
];

fn ruleset_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("rulesets")
        .join(file)
}

fn source(file: &str) -> Source {
    guize::load(&ruleset_path(file)).unwrap()
}

fn parse_and_compile(src: &Source) -> Vec<Ruleset> {
    let file = guize::syntax::parse(src).unwrap();
    file.rulesets
        .iter()
        .map(|r| guize::compile::compile_ruleset(r, src).unwrap())
        .collect()
}

fn qianan() -> Ruleset {
    parse_and_compile(&source("qianan-2022.guize"))
        .pop()
        .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Events per block of the generator (see `scenario_text`).
const BLOCK: usize = 10;
/// Days from a block's first event to its last.
const BLOCK_SPAN: i64 = 14;

/// The 乾安 people and units the generated scenarios use.
const CAST: &str = "  人员 王某 任 县长、党组书记
  人员 李某 任 常务副县长、副书记 分管 发展改革、财政
  人员 钱某 任 副县长、党组成员 分管 教育、卫生
  人员 孙某 任 副县长、党组成员 分管 农业、水利
  人员 周某 任 「办公室分管副主任」
  单位 县教育局、县财政局、县人社局、县卫健局、县农业农村局
";

/// A scenario of `n` events (a multiple of 10) under 乾安县人民政府工作规则,
/// in blocks of ten spread evenly over `from`..=`to` (every event inside):
/// a vice county head asks the county head for leave and goes on a trip, a
/// 常务会议 he misses decides to issue a 县政府文件, which the vice head in
/// charge reviews, the county head signs (with 领域) and the office issues
/// (every 4th late, every 8th late with 特殊情况); a bureau asks two others
/// for comments and they reply (every 3rd reply late); the 常务副县长 does
/// field research. Findings are a realistic mix of 符合, 违反, 例外, 待定.
fn scenario_text(n: usize, from: NaiveDate, to: NaiveDate) -> String {
    assert!(n.is_multiple_of(BLOCK), "n must be a multiple of {BLOCK}");
    let blocks = n / BLOCK;
    let last_start = to - chrono::Days::new(BLOCK_SPAN as u64);
    let span = (last_start - from).num_days();
    let mut s = String::with_capacity(n * 120 + 1024);
    let _ = writeln!(s, "情景 基准{n}事件 {{");
    s.push_str("  依据 乾安县人民政府工作规则\n");
    let _ = writeln!(s, "  期间 {from} 至 {to}");
    let _ = writeln!(s, "  截至 {to}");
    s.push_str(CAST);
    for k in 0..blocks {
        let offset = if blocks > 1 {
            span * k as i64 / (blocks as i64 - 1)
        } else {
            0
        };
        let d = from + chrono::Days::new(offset as u64);
        let day = |n: u64| d + chrono::Days::new(n);
        let no = k + 1;
        let (away, away_area, reviewer, area) = if k % 2 == 0 {
            ("钱某", "教育", "孙某", "农业")
        } else {
            ("孙某", "农业", "钱某", "教育")
        };
        let doc = format!("乾政发〔{}〕{no}号", d.format("%Y"));
        let draft = format!("征求意见稿{no}");
        let _ = writeln!(
            s,
            "  {d} {away} 向 王某 请假 自 {d} 至 {} 事由 \"赴市里参加{away_area}工作会议\"",
            day(1)
        );
        let _ = writeln!(s, "  {d} {away} 出差 离县 自 {d} 至 {}", day(1));
        let _ = writeln!(
            s,
            "  {d} 召开 常务会议 \"第{no}次常务会议\" 召集 王某 主持 王某 出席 王某、李某、{reviewer} 缺席 {away} 决定印发 \"{doc}\""
        );
        let _ = writeln!(s, "  {} {reviewer} 审核 县政府文件 \"{doc}\"", day(1));
        let _ = writeln!(s, "  {} 王某 签发 \"{doc}\" 领域 {area}", day(2));
        match k % 8 {
            3 => {
                let _ = writeln!(
                    s,
                    "  {} 县政府办公室 印发 \"{doc}\"",
                    day(BLOCK_SPAN as u64)
                );
            }
            7 => {
                let _ = writeln!(
                    s,
                    "  {} 县政府办公室 印发 \"{doc}\" 特殊情况 \"待市政府配套文件下发后同步印发\"",
                    day(BLOCK_SPAN as u64)
                );
            }
            _ => {
                let _ = writeln!(s, "  {} 县政府办公室 印发 \"{doc}\"", day(3));
            }
        }
        let _ = writeln!(
            s,
            "  {} 县教育局 征求意见 \"{draft}\" 发往 县财政局、县人社局",
            day(1)
        );
        let _ = writeln!(s, "  {} 县财政局 回复 \"{draft}\"", day(4));
        let late = if k % 3 == 2 { BLOCK_SPAN as u64 } else { 8 };
        let _ = writeln!(s, "  {} 县人社局 回复 \"{draft}\"", day(late));
        let _ = writeln!(s, "  {} 李某 调研 \"基层调研{no}\"", day(2));
    }
    s.push_str("}\n");
    s
}

/// Parse and resolve a generated scenario under `rs` (outside timing).
fn scenario_of(
    rs: &Ruleset,
    n: usize,
    from: NaiveDate,
    to: NaiveDate,
) -> (ScenarioSource, Scenario) {
    let src = Source::new(format!("<基准{n}>"), scenario_text(n, from, to));
    let mut file = guize::syntax::parse(&src).unwrap();
    let ast = file.scenarios.pop().unwrap();
    let compiled = guize::compile::compile_scenario(rs, &ast, &src).unwrap();
    assert_eq!(compiled.events.len(), n, "generator event count");
    (ScenarioSource { ast, source: src }, compiled)
}

/// The period of a generated scenario of `n` events: 20 over 9-18 … 10-20
/// 2023; 100 over September–October 2023, across 中秋/国庆 (9-29 … 10-06)
/// and the 调休 working days 10-07, 10-08; 1,000 over 2023; 10,000 over
/// 2020-01 … 2026-11 (deadlines must stay inside the calendar's 2020–2026).
fn period(n: usize) -> (NaiveDate, NaiveDate) {
    match n {
        0..=20 => (date(2023, 9, 18), date(2023, 10, 20)),
        21..=100 => (date(2023, 9, 1), date(2023, 10, 31)),
        101..=1_000 => (date(2023, 1, 1), date(2023, 12, 20)),
        _ => (date(2020, 1, 1), date(2026, 11, 30)),
    }
}

fn scenario_100(rs: &Ruleset) -> (ScenarioSource, Scenario) {
    let (from, to) = period(100);
    scenario_of(rs, 100, from, to)
}

// ───────── 1. parse + compile rulesets ─────────

#[divan::bench_group(max_time = 3)]
mod compile {
    use super::*;

    /// `syntax::parse` + `compile::compile_ruleset` of one ruleset file
    /// (text already in memory).
    #[divan::bench(args = [
        "qianan-2022.guize",
        "qianan-2022-draft.guize",
        "guazhou-2020.guize",
        "gongliu-2023.guize",
        "kezhou-2023.guize",
        "yili-2023.guize",
    ])]
    fn ruleset(bencher: Bencher, file: &str) {
        let src = source(file);
        bencher.bench(|| parse_and_compile(black_box(&src)));
    }

    /// All five enacted rulesets, parse + compile (target < 10 ms).
    #[divan::bench]
    fn all_five(bencher: Bencher) {
        let srcs: Vec<Source> = ENACTED.iter().map(|f| source(f)).collect();
        bencher.bench(|| {
            srcs.iter()
                .map(|s| parse_and_compile(black_box(s)))
                .collect::<Vec<_>>()
        });
    }
}

// ───────── 2. check a 100-event scenario ─────────

#[divan::bench_group(max_time = 3)]
mod check_100 {
    use super::*;

    /// `check::check` only: scenario parsed and resolved beforehand
    /// (target < 20 µs).
    #[divan::bench]
    fn check(bencher: Bencher) {
        let rs = qianan();
        let (_, compiled) = scenario_100(&rs);
        bencher.bench(|| guize::check::check(black_box(&rs), black_box(&compiled)).unwrap());
    }

    /// `compile::compile_scenario` (name resolution) + `check::check`, i.e.
    /// `guize::check_scenario` on an already parsed scenario.
    #[divan::bench]
    fn compile_and_check(bencher: Bencher) {
        let rs = qianan();
        let (sc, _) = scenario_100(&rs);
        bencher.bench(|| guize::check_scenario(black_box(&rs), black_box(&sc)).unwrap());
    }

    /// Parse the scenario text too: what `guize check` does per scenario
    /// once the ruleset is compiled.
    #[divan::bench]
    fn parse_compile_check(bencher: Bencher) {
        let rs = qianan();
        let (sc, _) = scenario_100(&rs);
        let src = sc.source;
        bencher.bench(|| {
            let mut file = guize::syntax::parse(black_box(&src)).unwrap();
            let ast = file.scenarios.pop().unwrap();
            let compiled = guize::compile::compile_scenario(&rs, &ast, &src).unwrap();
            guize::check::check(&rs, &compiled).unwrap()
        });
    }
}

// ───────── 3. how checking scales ─────────

#[divan::bench_group(max_time = 5, sample_count = 20)]
mod scaling {
    use super::*;

    /// `check::check` of 100 (Sept–Oct 2023), 1,000 (2023) and 10,000
    /// (2020-01 … 2026-11) events from the same generator (see `period`).
    #[divan::bench(args = [100, 1_000, 10_000])]
    fn check(bencher: Bencher, n: usize) {
        let rs = qianan();
        let (from, to) = period(n);
        let (_, compiled) = scenario_of(&rs, n, from, to);
        bencher
            .counter(ItemsCount::new(n))
            .bench(|| guize::check::check(black_box(&rs), black_box(&compiled)).unwrap());
    }
}

// ───────── 4. the REPL ─────────

#[divan::bench_group(max_time = 3)]
mod repl {
    use super::*;

    /// `Project::load_paths` of rulesets/qianan-2022.guize from disk: read,
    /// parse, compile (the bulk of `:reload`).
    #[divan::bench]
    fn reload_qianan(bencher: Bencher) {
        let path = ruleset_path("qianan-2022.guize");
        bencher.bench(|| {
            let mut p = Project::default();
            p.load_paths(&[black_box(&path)]).unwrap();
            p
        });
    }

    /// One typed event line at the prompt with a 20-event scenario loaded:
    /// `Session::eval` re-renders the scenario, parses, resolves, checks and
    /// diffs the findings (what a drafter waits for after pressing Enter).
    #[divan::bench]
    fn eval_event_line(bencher: Bencher) {
        let path = ruleset_path("qianan-2022.guize");
        let load = format!(":load {}", path.display());
        let (from, to) = period(20);
        let text = scenario_text(20, from, to);
        let line = "2023-10-09 王某 签发 县政府文件 \"乾政发〔2023〕99号\" 领域 教育";
        let session = || {
            let mut s = Session::new(false);
            let out = s.eval(&load).0;
            assert!(out.contains("已载入规则集"), "{out}");
            let out = s.eval(&text).0;
            assert!(out.contains("当前情景"), "{out}");
            s
        };
        // The line must be accepted, else we would time an error path.
        let out = session().eval(line).0;
        assert!(out.contains("结论"), "{out}");
        bencher
            .with_inputs(session)
            .bench_local_refs(|s| s.eval(black_box(line)));
    }
}

// ───────── 5. working-day arithmetic ─────────

/// `Calendar::add_working_days(date, 7)` on the national calendar for every
/// day of 2020-01-01 … 2026-12-15 (counter: dates per second).
#[divan::bench(max_time = 3)]
fn add_7_working_days(bencher: Bencher) {
    let cal = Calendar::get(CalendarId::National).unwrap();
    let dates: Vec<NaiveDate> = date(2020, 1, 1)
        .iter_days()
        .take_while(|d| *d <= date(2026, 12, 15))
        .collect();
    bencher.counter(ItemsCount::new(dates.len())).bench(|| {
        dates
            .iter()
            .map(|d| cal.add_working_days(black_box(*d), 7).unwrap())
            .max()
    });
}

// ───────── audit (guize audit) ─────────

/// `audit::audit_reader` over generated 乾安 logs of one year (`guize gen`,
/// seed 1, 10% injected faults), read from memory: JSON parsing,
/// resolution, the sliding-window check, 频次 counting and building the
/// 违反/例外/待定 findings (the default options: 符合 and 不适用 are counted;
/// the sink drops what is built). Target: ≥ 1M events/s single-threaded.
/// The counter gives events/s; peak memory is measured with the binary
/// (see docs/performance.md), as divan cannot see a peak.
#[divan::bench_group(sample_count = 3, sample_size = 1)]
mod audit {
    use super::*;
    use guize::audit::{AuditOptions, audit_reader};
    use guize::generate::{GenOptions, generate};

    #[divan::bench(args = [10_000, 100_000, 1_000_000])]
    fn qianan_year(bencher: Bencher, events: usize) {
        let rs = qianan();
        let mut log = Vec::new();
        generate(
            &rs,
            GenOptions {
                events,
                seed: 1,
                year: Some(2023),
                fault_rate: 0.1,
            },
            &mut log,
        )
        .unwrap();
        bencher.counter(ItemsCount::new(events)).bench(|| {
            let stats = audit_reader(
                &rs,
                "bench.jsonl",
                &log[..],
                AuditOptions::default(),
                &mut |i| {
                    black_box(i);
                },
            )
            .unwrap();
            assert_eq!(stats.rejected, 0);
            stats
        });
    }
}

// ───────── 7. authority decisions (the vs-cedar comparison) ─────────

/// The signing-authority scenario of `../shared/bench/vs-cedar` (same
/// ruleset, copied to `benches/data/authority.guize`, same event mix): `n`
/// 签发 events, each one decision (directly, as chair, as 分管 leader, or
/// under a dated delegation).
fn authority_scenario(n: usize) -> String {
    const PEOPLE: [(&str, &str, &str); 3] = [
        ("王某", "县长", ""),
        ("李某", "常务副县长", "交通"),
        ("赵某", "副县长", "教育"),
    ];
    const DOCS: [(&str, &str); 3] = [("常务", "交通"), ("专题", "教育"), ("下行文", "教育")];
    let day = |off: usize| date(2022, 1, 1) + chrono::Days::new(off as u64);
    let mut s = String::from("情景 签发基准 {\n  依据 基准县人民政府工作规则\n  截至 2023-12-31\n");
    for (p, pos, area) in PEOPLE {
        let area = if area.is_empty() {
            String::new()
        } else {
            format!(" 分管 {area}")
        };
        writeln!(s, "  人员 {p} 任 {pos}{area}").unwrap();
    }
    writeln!(
        s,
        "  2022-01-01 王某 委托 李某 代行 签发 纪要 自 {} 至 {}",
        day(100),
        day(200)
    )
    .unwrap();
    s += "  2022-01-01 召开 常务会议 \"常1\" 召集 王某 主持 王某\n";
    s += "  2022-01-01 召开 专题会议 \"专1\" 召集 赵某 主持 赵某\n";
    for i in 0..n {
        let p = PEOPLE[i % 3].0;
        let d = day(i % 700);
        match DOCS[(i / 3) % 3] {
            ("常务", _) => writeln!(s, "  {d} {p} 签发 纪要 \"常纪{i}\" 依据 \"常1\""),
            ("专题", _) => writeln!(s, "  {d} {p} 签发 纪要 \"专纪{i}\" 依据 \"专1\""),
            (_, area) => writeln!(s, "  {d} {p} 签发 下行文 \"文{i}\" 领域 {area}"),
        }
        .unwrap();
    }
    s + "}\n"
}

#[divan::bench_group(max_time = 3)]
mod authority {
    use super::*;

    /// `check::check` of `n` signing decisions, per decision (Cedar's
    /// `is_authorized` takes ~7–10 µs per decision on this machine; the
    /// goal is a tenth of that).
    #[divan::bench(args = [2_000, 20_000])]
    fn check(bencher: Bencher, n: usize) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/data/authority.guize");
        let mut project = Project::default();
        project.add_source(&guize::load(&path).unwrap()).unwrap();
        let src = Source::new("authority.guize", authority_scenario(n));
        project.add_source(&src).unwrap();
        let rs = &project.rulesets[0];
        let sc = guize::compile::compile_scenario(rs, &project.scenarios[0].ast, &src).unwrap();
        let report = guize::check::check(rs, &sc).unwrap();
        assert_eq!(report.findings.len(), n, "one finding per decision");
        bencher
            .counter(ItemsCount::new(n))
            .bench(|| guize::check::check(black_box(rs), black_box(&sc)).unwrap());
    }
}
