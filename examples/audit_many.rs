//! Audit one JSON Lines log N times (default 1) with
//! `guize::audit::audit_reader`, the log in memory and every item dropped,
//! as ../shared/bench/vs-cedar does: a fixed workload for
//! `valgrind --tool=callgrind` on the audit's library path (issue #13).
//! N = 0 reads the ruleset and the log only, to subtract.
//!
//! Run: `cargo run --release --example audit_many -- LOG.jsonl [N] [RULESET]`.

use std::path::PathBuf;

fn main() -> miette::Result<()> {
    let mut args = std::env::args().skip(1);
    let log = args
        .next()
        .ok_or_else(|| miette::miette!("usage: audit_many LOG.jsonl [N] [RULESET]"))?;
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
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
    let rs = project
        .rulesets
        .first()
        .ok_or_else(|| miette::miette!("no ruleset in {}", ruleset.display()))?;
    let bytes = std::fs::read(&log).map_err(|e| miette::miette!("{log}: {e}"))?;
    let mut items = 0usize;
    for _ in 0..n {
        let stats = guize::audit::audit_reader(
            rs,
            "bench.jsonl",
            std::hint::black_box(&bytes[..]),
            Default::default(),
            &mut |i| {
                std::hint::black_box(i);
                items += 1;
            },
        )
        .map_err(|e| miette::miette!("{e:?}"))?;
        std::hint::black_box(stats);
    }
    println!("{items}");
    Ok(())
}
