//! The fixed workloads of the profiling examples (`check_many`,
//! `alloc_count`, `audit_many`): a file, a repeat count and a ruleset from
//! the command line, read once.

// Each example uses part of this module.
#![allow(dead_code)]

use std::path::PathBuf;

/// `FILE [N] [RULESET]` from the command line: N defaults to `default_n`,
/// RULESET to rulesets/qianan-2022.guize; the project holds the ruleset.
pub fn args_and_ruleset(
    usage: &str,
    default_n: usize,
) -> miette::Result<(String, usize, PathBuf, guize::Project)> {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .ok_or_else(|| miette::miette!("usage: {usage}"))?;
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_n);
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
    Ok((file, n, ruleset, project))
}

/// `LOG.jsonl [N] [RULESET]`: the log's bytes, N and the ruleset.
pub fn log_and_ruleset(
    usage: &str,
    default_n: usize,
) -> miette::Result<(Vec<u8>, usize, guize::compile::ir::Ruleset)> {
    let (log, n, ruleset, project) = args_and_ruleset(usage, default_n)?;
    let rs = project
        .rulesets
        .into_iter()
        .next()
        .ok_or_else(|| miette::miette!("no ruleset in {}", ruleset.display()))?;
    let bytes = std::fs::read(&log).map_err(|e| miette::miette!("{log}: {e}"))?;
    Ok((bytes, n, rs))
}

/// One audit of the log in memory, as vs-cedar calls it (every item
/// dropped): the number of items it gave.
pub fn audit_once(rs: &guize::compile::ir::Ruleset, bytes: &[u8]) -> miette::Result<usize> {
    let mut items = 0usize;
    let stats = guize::audit::audit_reader(
        rs,
        "bench.jsonl",
        std::hint::black_box(bytes),
        Default::default(),
        &mut |i| {
            std::hint::black_box(i);
            items += 1;
        },
    )
    .map_err(|e| miette::miette!("{e:?}"))?;
    std::hint::black_box(stats);
    Ok(items)
}

/// Reads `SCENARIO.guize [N] [RULESET]`, compiles the scenario and calls
/// `run(ruleset, scenario, n)`.
pub fn with_workload(
    usage: &str,
    default_n: usize,
    run: impl FnOnce(
        &guize::compile::ir::Ruleset,
        &guize::compile::ir::Scenario,
        usize,
    ) -> miette::Result<()>,
) -> miette::Result<()> {
    let (scenario, n, _, mut project) = args_and_ruleset(usage, default_n)?;
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
    run(rs, &compiled, n)
}
