//! Check one scenario file against the rulesets it names N times (default
//! 1000): a fixed workload for `valgrind --tool=callgrind` or `perf` on the
//! checker alone (issue #13), e.g. on the scenario printed by
//! `GUIZE_BENCH_DUMP=100 cargo bench --bench guize`, under
//! rulesets/qianan-2022.guize or the RULESET given.
//!
//! Run: `cargo run --release --example check_many -- SCENARIO.guize [N] [RULESET]`.

mod workload;

fn main() -> miette::Result<()> {
    workload::with_workload(
        "check_many SCENARIO.guize [N] [RULESET]",
        1000,
        |rs, compiled, n| {
            let mut findings = 0;
            for _ in 0..n {
                let r =
                    guize::check::check(std::hint::black_box(rs), std::hint::black_box(compiled))
                        .map_err(|e| miette::miette!("{e:?}"))?;
                findings += r.findings.len();
            }
            println!("{findings}");
            Ok(())
        },
    )
}
