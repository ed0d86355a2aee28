//! Parse + compile the five enacted rulesets N times (default 10): a fixed
//! workload for `valgrind --tool=callgrind` (issue #14), whose instruction
//! counts do not depend on what else the machine is doing.

use std::path::PathBuf;

const ENACTED: [&str; 5] = [
    "qianan-2022.guize",
    "guazhou-2020.guize",
    "gongliu-2023.guize",
    "kezhou-2023.guize",
    "yili-2023.guize",
];

fn main() -> miette::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rulesets");
    let mut sources = Vec::new();
    for f in ENACTED {
        sources.push(guize::load(&dir.join(f)).map_err(|e| miette::miette!("{e:?}"))?);
    }
    let mut rules = 0;
    for _ in 0..n {
        for src in &sources {
            let file = guize::syntax::parse(src).map_err(|e| miette::miette!("{e:?}"))?;
            for r in &file.rulesets {
                let c = guize::compile::compile_ruleset(r, src)
                    .map_err(|e| miette::miette!("{e:?}"))?;
                std::hint::black_box(c);
                rules += 1;
            }
        }
    }
    println!("{rules}");
    Ok(())
}
