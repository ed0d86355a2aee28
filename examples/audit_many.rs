//! Audit one JSON Lines log N times (default 1) with
//! `guize::audit::audit_reader`, the log in memory and every item dropped,
//! as ../shared/bench/vs-cedar does: a fixed workload for
//! `valgrind --tool=callgrind` on the audit's library path (issue #13).
//! N = 0 reads the ruleset and the log only, to subtract.
//!
//! Run: `cargo run --release --example audit_many -- LOG.jsonl [N] [RULESET]`.

mod workload;

fn main() -> miette::Result<()> {
    let (bytes, n, rs) = workload::log_and_ruleset("audit_many LOG.jsonl [N] [RULESET]", 1)?;
    let rs = &rs;
    let mut items = 0usize;
    for _ in 0..n {
        items += workload::audit_once(rs, &bytes)?;
    }
    println!("{items}");
    Ok(())
}
