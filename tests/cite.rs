//! `guize cite` through the real binary: every shipped ruleset's 原文 are
//! verbatim passages of its official text (rulesets/sources/), and golden
//! transcripts of a small good and bad example.

mod common;

use common::*;

/// Each shipped ruleset and its official text.
const SHIPPED: [&str; 5] = [
    "qianan-2022",
    "guazhou-2020",
    "yili-2023",
    "gongliu-2023",
    "kezhou-2023",
];

#[test]
fn every_shipped_quote_is_in_its_source() {
    for slug in SHIPPED {
        let ruleset = format!("rulesets/{slug}.guize");
        let source = format!("rulesets/sources/{slug}.txt");
        let run = guize(&["cite", &ruleset, &source]);
        assert_eq!(run.code, 0, "{}", run.describe());
        assert!(
            run.stderr.is_empty(),
            "no diagnostic, not even a warning:\n{}",
            run.describe()
        );
        let last = run.stdout.lines().last().unwrap_or("");
        assert!(
            last.contains("条原文 全部见于原文本") && !last.starts_with("0 条"),
            "{slug}: {last}"
        );
    }
}

#[test]
fn the_draft_differs_from_the_text_exactly_where_it_says() {
    // The draft's header: 五十七 changes 7 → 5 个工作日 and 每月 2 → 1 次,
    // 六十一 is renumbered 六十, 八十八 is new. Those are the only 原文 not
    // in the published text; the renumbered ones are found in 六十一 (warnings).
    let run = guize(&[
        "cite",
        "rulesets/qianan-2022-draft.guize",
        "rulesets/sources/qianan-2022.txt",
    ]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("的原文不见于原文本"))
        .collect();
    assert_eq!(errors.len(), 3, "{}", run.describe());
    assert_eq!(
        errors.iter().filter(|l| l.contains("第五十七条")).count(),
        2
    );
    assert!(errors.iter().any(|l| l.contains("第八十八条")));
    assert!(run.stderr.contains("[-5][+7]"), "{}", run.describe());
    assert_eq!(
        run.stderr.matches("guize::cite::other_article").count(),
        4,
        "the four 原文 of the renumbered 六十:\n{}",
        run.describe()
    );
    assert!(run.stdout.contains("3 处不符"));
}

#[test]
fn cite_good_example() {
    // Across a page break, with ASCII commas for the text's full-width ones;
    // 三's heading lost its numeral and is inferred.
    let run = golden(
        "cite/good",
        &[
            "cite",
            "tests/golden/cite/good.guize",
            "tests/golden/cite/source.txt",
        ],
        0,
    );
    assert!(
        run.stdout
            .contains("3 条原文 全部见于原文本；原文本 5 条中 3 条未被引用")
    );
    assert!(run.stdout.contains("未被引用的条：第一条、第四条、第五条"));
}

#[test]
fn cite_bad_example() {
    // One 原文 has 签发 for the text's 印发; one is nowhere in the text.
    let run = golden(
        "cite/bad",
        &[
            "cite",
            "tests/golden/cite/bad.guize",
            "tests/golden/cite/source.txt",
        ],
        1,
    );
    assert_eq!(run.stderr.matches("guize::cite::not_in_source").count(), 2);
    assert!(run.stderr.contains("[-签][+印]"));
    assert!(run.stderr.contains("没有相近的段落"));
    assert!(run.stdout.contains("3 条原文中 2 处不符"));
    // 三 is quoted only wrongly: it is not covered.
    assert!(run.stdout.contains("第三条（推定）"));
}

#[test]
fn cite_missing_source_is_bad_input() {
    let run = golden(
        "cite/missing-source",
        &[
            "cite",
            "tests/golden/cite/good.guize",
            "tests/golden/cite/no-such-source.txt",
        ],
        2,
    );
    assert!(run.stderr.contains("guize::io::read"));
}
