//! Check one scenario file against the rulesets it names N times (default
//! 1000): a fixed workload for `valgrind --tool=callgrind` or `perf` on the
//! checker alone (issue #13), e.g. on the scenario printed by
//! `GUIZE_BENCH_DUMP=100 cargo bench --bench guize`, under
//! rulesets/qianan-2022.guize or the RULESET given.
//!
//! Run: `cargo run --release --example check_many -- SCENARIO.guize [N] [RULESET]`.

use std::path::PathBuf;

fn main() -> miette::Result<()> {
    let mut args = std::env::args().skip(1);
    let scenario = args
        .next()
        .ok_or_else(|| miette::miette!("usage: check_many SCENARIO.guize [N]"))?;
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let ruleset = args.next().map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("rulesets")
                .join("qianan-2022.guize")
        },
        PathBuf::from,
    );
    let mut project = guize::Project::default();
    let src = guize::load(&ruleset).map_err(|e| miette::miette!("{e:?}"))?;
    project
        .add_source(&src)
        .map_err(|e| miette::miette!("{e:?}"))?;
    let sc_src =
        guize::load(std::path::Path::new(&scenario)).map_err(|e| miette::miette!("{e:?}"))?;
    project
        .add_source(&sc_src)
        .map_err(|e| miette::miette!("{e:?}"))?;
    let sc = project
        .scenarios
        .first()
        .ok_or_else(|| miette::miette!("no scenario in {scenario}"))?;
    let rs = project
        .rulesets_for(sc)
        .map_err(|e| miette::miette!("{e:?}"))?
        .first()
        .copied()
        .ok_or_else(|| miette::miette!("no ruleset for {scenario}"))?;
    let compiled = guize::compile::compile_scenario(rs, &sc.ast, &sc.source)
        .map_err(|e| miette::miette!("{e:?}"))?;
    let mut findings = 0;
    for _ in 0..n {
        let r = guize::check::check(std::hint::black_box(rs), std::hint::black_box(&compiled))
            .map_err(|e| miette::miette!("{e:?}"))?;
        findings += r.findings.len();
    }
    println!("{findings}");
    Ok(())
}
