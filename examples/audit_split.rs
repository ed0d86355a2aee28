//! Where the audit's time goes, in one process (issue #13): for one JSON
//! Lines log, best of N rounds each, interleaved so that the shared
//! machine's load falls on all four alike:
//!
//! 1. `parse`: each line into `serde_json::Value` (the floor vs-cedar
//!    compares the audit with);
//! 2. `ingest`: `audit_reader` under the same ruleset with its rules taken
//!    out — reading, resolving names, carrying document facts, indexing,
//!    holding and evicting events, and no checking;
//! 3. `audit`: `audit_reader` under the whole ruleset;
//! 4. `check`: audit − ingest.
//!
//! Run: `cargo run --release --example audit_split -- LOG.jsonl [N] [RULESET]`
//! (a log: `guize gen --ruleset rulesets/qianan-2022.guize --events 100000 --year 2023`).

mod workload;

use std::time::Instant;

fn main() -> miette::Result<()> {
    let (bytes, n, rs) = workload::log_and_ruleset("audit_split LOG.jsonl [N] [RULESET]", 5)?;
    let rs = &rs;
    let mut bare = rs.clone();
    bare.rules.clear();
    let lines = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count()
        .max(1);
    let audit = |rs: &guize::compile::ir::Ruleset| -> miette::Result<f64> {
        let t = Instant::now();
        workload::audit_once(rs, &bytes)?;
        Ok(t.elapsed().as_nanos() as f64 / lines as f64)
    };
    let (mut parse, mut ingest, mut whole) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..n.max(1) {
        let t = Instant::now();
        let mut fields = 0usize;
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let v: serde_json::Value =
                serde_json::from_slice(line).map_err(|e| miette::miette!("{e}"))?;
            fields += v.as_object().map_or(0, serde_json::Map::len);
        }
        std::hint::black_box(fields);
        parse = parse.min(t.elapsed().as_nanos() as f64 / lines as f64);
        ingest = ingest.min(audit(&bare)?);
        whole = whole.min(audit(rs)?);
    }
    println!("lines {lines}, best of {n} rounds, ns per line:");
    println!("  parse into Value  {parse:8.0}");
    println!(
        "  ingest (no rules) {ingest:8.0}   {:.2} x parse",
        ingest / parse
    );
    println!(
        "  audit             {whole:8.0}   {:.2} x parse",
        whole / parse
    );
    println!(
        "  check = audit - ingest {:8.0}   {:.2} x parse",
        whole - ingest,
        (whole - ingest) / parse
    );
    Ok(())
}
