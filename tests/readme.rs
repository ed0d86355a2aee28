//! The README's language tour is real: it parses, and gives the verdict and
//! deadline the README states.

use guize::diag::Source;
use guize::{Project, Verdict, check_scenario};

#[test]
fn readme_tour_checks_as_documented() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("规则集 乾安县人民政府工作规则 {")
        .expect("tour in README");
    let end = start + readme[start..].find("```").expect("end of code block");
    let mut project = Project::default();
    project
        .add_source(&Source::new("README.md", &readme[start..end]))
        .unwrap_or_else(|e| panic!("{}", guize::diag::render(&e, false)));
    let rs = &project.rulesets[0];
    let (_, report) = check_scenario(rs, &project.scenarios[0]).expect("checks");
    let violated: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Violated)
        .collect();
    assert_eq!(violated.len(), 1);
    assert_eq!(violated[0].article_display(), "第五十七条");
    // 9-26..28 = 1..3; 9-29..10-06 off; 10-07, 10-08 调休 = 4, 5; 10-09, 10-10 = 6, 7.
    assert_eq!(violated[0].dates[0].date.to_string(), "2023-10-10");
    assert!(
        readme.contains(&violated[0].explanation()),
        "README quotes the explanation verbatim"
    );
}
