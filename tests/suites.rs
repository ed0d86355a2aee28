//! Runs every scenario suite under tests/scenarios and the examples against
//! the shipped rulesets, exactly as `guize test` does.

use std::path::PathBuf;

use guize::suite::{self, Outcome};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_and_report(paths: &[PathBuf]) -> (usize, usize) {
    let run = suite::run(paths, &[root().join("rulesets")]);
    let mut failures = String::new();
    for c in &run.cases {
        match &c.outcome {
            Outcome::Passed => {}
            Outcome::Failed(lines) => {
                failures.push_str(&format!(
                    "失败 {} · {}\n  {}\n",
                    c.file,
                    c.scenario,
                    lines.join("\n  ")
                ));
            }
            Outcome::Error(diags) => {
                failures.push_str(&format!(
                    "出错 {} · {}\n{}",
                    c.file,
                    c.scenario,
                    guize::diag::render(diags, false)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
    (run.passed(), run.failed())
}

#[test]
fn scenario_suites_pass() {
    let (passed, failed) = run_and_report(&[root().join("tests/scenarios")]);
    assert_eq!(failed, 0);
    assert!(
        passed > 0,
        "no scenario with 预期 found under tests/scenarios"
    );
}

#[test]
fn examples_pass_their_expectations() {
    let (passed, _) = run_and_report(&[
        root().join("examples"),
        root().join("docs/指南"),
        root().join("docs/trials"),
    ]);
    assert!(passed > 0, "no example with 预期");
}
