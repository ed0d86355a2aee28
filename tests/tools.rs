//! Golden tests of `guize diff` and `guize lint` through the real binary, and
//! the CI guarantee that every shipped ruleset is lint-clean.

mod common;

use common::*;

#[test]
fn diff_qianan_draft() {
    // The draft changes 五十七 (7 → 5 个工作日; 每月 2 → 1 次), renumbers 六十一
    // as 六十, drops 七十一 and adds 八十八; three of the four fixture scenarios
    // change verdict (worked out in the fixture's comments), so exit 1.
    let run = golden(
        "diff/qianan-draft",
        &[
            "diff",
            "rulesets/qianan-2022.guize",
            "rulesets/qianan-2022-draft.guize",
            "tests/golden/diff/qianan-scenarios.guize",
        ],
        1,
    );
    assert!(run.stdout.contains("期限：7个工作日 → 5个工作日"));
    assert!(run.stdout.contains("重编号 第六十一条 → 第六十条"));
    assert!(run.stdout.contains("删除 第七十一条"));
    assert!(run.stdout.contains("新增 第八十八条"));
    assert!(run.stdout.contains("期限 2023-10-10 → 期限 2023-10-08"));
    assert!(run.stdout.contains("结论：3 个情景的结论改变"));
    assert!(
        !run.stdout.contains("缺席全体会议未请假"),
        "unchanged scenario listed"
    );
}

#[test]
fn diff_qianan_draft_json() {
    let run = guize(&[
        "diff",
        "rulesets/qianan-2022.guize",
        "rulesets/qianan-2022-draft.guize",
        "tests/golden/diff/qianan-scenarios.guize",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(v["scenarios_checked"], 4);
    assert_eq!(v["changed"].as_array().map(Vec::len), Some(3));
    let articles = v["structural"]["articles"].as_array().expect("articles");
    assert!(
        articles
            .iter()
            .any(|a| a["change"] == "新增" && a["new"]["number"] == 88)
    );
    assert!(
        articles
            .iter()
            .any(|a| a["change"] == "删除" && a["old"]["number"] == 71)
    );
}

#[test]
fn diff_same_ruleset_changes_nothing() {
    let run = guize(&[
        "diff",
        "rulesets/qianan-2022.guize",
        "rulesets/qianan-2022.guize",
        "tests/golden/diff/qianan-scenarios.guize",
    ]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.stdout.contains("条文与规则无差异"));
    assert!(run.stdout.contains("所有情景的结论不变"));
}

#[test]
fn diff_yili_gongliu_structure() {
    // 巩留 copies 伊犁州's rules; the county changes the 常务会议 schedule
    // (2–3 → 1–2 a month) and the notice before a department's county-wide
    // meeting (10 → 5 个工作日).
    let run = golden(
        "diff/yili-gongliu",
        &[
            "diff",
            "rulesets/yili-2023.guize",
            "rulesets/gongliu-2023.guize",
            "--suites",
            "tests/golden/diff/none",
        ],
        0,
    );
    assert!(
        run.stdout.contains("次数：2至3次 → 1至2次"),
        "{}",
        run.stdout
    );
}

#[test]
fn lint_reports_each_kind() {
    let run = golden(
        "lint/warnings",
        &[
            "lint",
            "tests/golden/lint/warnings.guize",
            "--tests",
            "tests/golden/lint/tests.guize",
            "--deny-warnings",
        ],
        1,
    );
    for code in [
        "guize::lint::unused",
        "guize::lint::unreachable",
        "guize::lint::overlap",
        "guize::lint::contradiction",
        "guize::lint::untested",
    ] {
        assert!(run.stderr.contains(code), "missing {code}");
    }
    assert!(run.stdout.contains("8 个警告"));
    assert!(
        run.stderr.contains("不沿用的情形“合法审查”没有规则检查"),
        "{}",
        run.describe()
    );
}

/// Every shipped ruleset is lint-clean: against its own test suite, and the
/// draft (which has no suite of its own) on its own.
#[test]
fn shipped_rulesets_are_lint_clean() {
    let dir = std::path::Path::new(ROOT).join("rulesets");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("rulesets/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "guize") {
            continue;
        }
        let rel = format!(
            "rulesets/{}",
            path.file_name().expect("name").to_string_lossy()
        );
        let args: Vec<&str> = if rel.ends_with("-draft.guize") {
            vec!["lint", &rel, "--deny-warnings"]
        } else {
            vec![
                "lint",
                &rel,
                "--tests",
                "tests/scenarios",
                "--deny-warnings",
            ]
        };
        let run = guize(&args);
        assert_eq!(run.code, 0, "{}", run.describe());
        assert!(run.stdout.contains("0 个警告"), "{}", run.describe());
        checked += 1;
    }
    assert!(
        checked >= 6,
        "expected the five rulesets and the draft, found {checked}"
    );
}

/// Every shipped ruleset, example and scenario file is in `guize fmt` form.
#[test]
fn shipped_files_are_formatted() {
    let run = guize(&["fmt", "--check", "rulesets", "examples", "tests/scenarios"]);
    assert_eq!(
        run.code,
        0,
        "run `guize fmt rulesets examples tests/scenarios`:\n{}",
        run.describe()
    );
    assert!(run.stdout.is_empty(), "{}", run.describe());
}

/// `guize fmt` on a file written without spaces, with full-width punctuation
/// and comments everywhere: `--check` reports it, formatting gives the
/// golden text, and formatting again changes nothing.
#[test]
fn fmt_messy_file() {
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt-golden");
    std::fs::create_dir_all(&tmp).expect("tmp dir");
    let file = tmp.join("messy.guize");
    std::fs::copy(
        std::path::Path::new(ROOT).join("tests/golden/fmt/messy.guize"),
        &file,
    )
    .expect("copy");
    let path = file.display().to_string();
    let check = guize(&["fmt", "--check", &path]);
    assert_eq!(check.code, 1, "{}", check.describe());
    assert!(check.stdout.contains("需要格式化"), "{}", check.describe());
    let run = guize(&["fmt", &path]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let formatted = std::fs::read_to_string(&file).expect("formatted file");
    assert_golden("fmt/messy.formatted.guize", &formatted);
    let again = guize(&["fmt", "--check", &path]);
    assert_eq!(
        again.code,
        0,
        "formatting twice changed the file:\n{}",
        again.describe()
    );
    for comment in ["// 未格式化的规则集", "// 行尾注释", "/* 块注释 */"] {
        assert!(formatted.contains(comment), "lost {comment}");
    }
}

/// `diff` does not count a scenario that cannot be checked under one
/// version as a change of verdict (issue #15): it says so apart, and the
/// exit code is 0 when no verdict changes.
#[test]
fn diff_counts_unchecked_scenarios_apart() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-unchecked");
    std::fs::create_dir_all(&dir).unwrap();
    let rules = |name: &str, positions: &str| {
        format!(
            "规则集 {name} {{\n 施行 2023-01-01\n 日历 中国法定节假日\n 职务 {positions}\n 会议 常务会议\n\
             条 一 {{ 原文 \"常务会议由县长召集。\" 须 由 县长 召集 常务会议 }}\n}}\n"
        )
    };
    let old = dir.join("old.guize");
    let new = dir.join("new.guize");
    let sc = dir.join("sc.guize");
    std::fs::write(&old, rules("差异测试", "县长")).unwrap();
    std::fs::write(&new, rules("差异测试（修订）", "县长、副县长")).unwrap();
    // Uses 副县长, which only the new version declares.
    std::fs::write(
        &sc,
        "情景 只有新版认识的职务 {\n 人员 王某 任 县长\n 人员 李某 任 副县长\n 2023-03-01 召开 常务会议 \"第1次\" 召集 王某\n}\n",
    )
    .unwrap();
    let run = guize(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        sc.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        run.stdout
            .contains("结论：0 个情景的结论改变；另有 1 个情景在某一版本下无法检查"),
        "{}",
        run.describe()
    );
}

/// A changed declaration is a structural difference (issue #17): removing
/// `职务 常务副县长 属于 副县长` changes who may act, so diff must say so.
#[test]
fn diff_reports_declarations() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-decl");
    std::fs::create_dir_all(&dir).unwrap();
    let rules = |name: &str, decl: &str| {
        format!(
            "规则集 {name} {{\n 施行 2023-01-01\n 日历 中国法定节假日\n 职务 县长、副县长、常务副县长\n {decl}\n 会议 常务会议\n\
             条 一 {{ 原文 \"常务会议由副县长召集。\" 须 由 副县长 召集 常务会议 }}\n}}\n"
        )
    };
    let old = dir.join("old.guize");
    let new = dir.join("new.guize");
    std::fs::write(&old, rules("声明测试", "职务 常务副县长 属于 副县长")).unwrap();
    std::fs::write(&new, rules("声明测试（修订）", "")).unwrap();
    let run = guize(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert!(
        run.stdout.contains("删除声明 职务 常务副县长 属于 副县长")
            && run.stdout.contains("新增声明 职务 常务副县长\n"),
        "{}",
        run.describe()
    );
}
