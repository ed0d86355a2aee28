//! The same sentence in two seeds is encoded the same way (issue #11): for
//! every pair of articles in two shipped rulesets quoting the same sentence
//! (see `guize::same_text`), the rules tied to it mean the same, or one of
//! the two says why in a comment holding “编码不同”. `guize lint` with
//! several rulesets reports the same as warnings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use guize::Project;

const SHIPPED: [&str; 5] = [
    "gongliu-2023",
    "guazhou-2020",
    "kezhou-2023",
    "qianan-2022",
    "yili-2023",
];

#[test]
fn the_same_sentence_is_encoded_the_same_way() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut p = Project::default();
    let paths: Vec<PathBuf> = SHIPPED
        .iter()
        .map(|s| root.join(format!("rulesets/{s}.guize")))
        .collect();
    p.load_paths(&paths).unwrap();
    let all: Vec<_> = p.rulesets.iter().collect();
    let (pairs, differ) = guize::same_text::compare(&all);
    assert!(pairs > 50, "only {pairs} pairs of the same sentence found");
    let shown: Vec<String> = differ
        .iter()
        .map(|d| {
            let (ra, rb) = (all[d.a.0], all[d.b.0]);
            format!(
                "{} {} ↔ {} {}\n    原文：{}\n    {:?}\n    {:?}",
                ra.name,
                ra.articles[d.a.1].display,
                rb.name,
                rb.articles[d.b.1].display,
                d.quote,
                d.rules_a,
                d.rules_b
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {pairs} pairs of the same sentence are encoded differently, with no “编码不同” comment:\n{}",
        differ.len(),
        shown.join("\n")
    );
}
