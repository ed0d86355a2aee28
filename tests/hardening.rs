//! Regressions of the hostile-input campaign (issue 17), through the real
//! binary: nothing lost (atomic rewrites, checked writes), nothing judged
//! under the wrong ruleset, nothing that hangs (non-regular files, symlink
//! loops). No test here depends on timing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hardening")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run the binary through `sh -c` (for ulimit, redirections, traps).
fn guize_sh(script: &str) -> Run {
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("GUIZE", env!("CARGO_BIN_EXE_guize"))
        .env("NO_COLOR", "1")
        .current_dir(ROOT)
        .output()
        .expect("run sh");
    Run {
        args: vec![script.to_string()],
        code: out.status.code().expect("sh was killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run a command within 200 MB of address space, under a generous
/// timeout (300 s; a guard against hangs, not a speed target). glibc
/// reserves 64 MB of address space per thread arena, untouched; one arena
/// (`MALLOC_ARENA_MAX=1`) makes the limit measure the memory used rather
/// than how many rayon threads ran.
fn bounded(script: &str) -> Run {
    guize_sh(&format!(
        "export MALLOC_ARENA_MAX=1; ulimit -v 200000; timeout 300 {script}"
    ))
}

/// 乾安's rules with every line's indentation removed: valid, unformatted,
/// and longer than a few kilobytes.
fn unformatted_ruleset() -> String {
    let text = std::fs::read_to_string(Path::new(ROOT).join("rulesets/qianan-2022.guize")).unwrap();
    text.lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ───────────────────────── fmt rewrites atomically ─────────────────────────

/// A write that fails half way (here: the file-size limit, as a full disk
/// or a quota would) leaves the original byte for byte, and no temporary
/// file behind; the error is coded and the exit code 2.
#[test]
fn fmt_failed_write_leaves_the_original() {
    let dir = scratch("fmt-efbig");
    let file = dir.join("rules.guize");
    let original = unformatted_ruleset();
    assert!(original.len() > 20_000);
    std::fs::write(&file, &original).unwrap();
    // SIGXFSZ ignored: the write fails with EFBIG instead of killing guize.
    let run = guize_sh(&format!(
        "trap '' XFSZ; ulimit -f 8; exec \"$GUIZE\" fmt '{}'",
        file.display()
    ));
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("guize::io::write"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("原文件未被改动"), "{}", run.describe());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert_eq!(names_in(&dir), vec!["rules.guize".to_string()]);
}

/// The rewritten file keeps its permissions, and a symbolic link stays a
/// link to the (now formatted) file.
#[cfg(unix)]
#[test]
fn fmt_keeps_mode_and_links() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("fmt-mode");
    let file = dir.join("rules.guize");
    std::fs::write(&file, unformatted_ruleset()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.guize");
    std::os::unix::fs::symlink("rules.guize", &link).unwrap();
    let run = guize(&["fmt", &link.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let check = guize(&["fmt", "--check", &file.display().to_string()]);
    assert_eq!(check.code, 0, "{}", check.describe());
    assert_eq!(
        names_in(&dir),
        vec!["link.guize".to_string(), "rules.guize".to_string()]
    );
}

// ───────────────────────── check honours 依据 ─────────────────────────

const BASIS: &str = "tests/golden/fixtures/basis";

/// Two rulesets loaded: each scenario is judged under the one its 依据
/// names (乙's 3 working days are missed, 甲's 7 are not); a scenario
/// without 依据 under the ruleset given first. `guize test` agrees.
#[test]
fn check_judges_each_scenario_under_its_basis() {
    let run = golden(
        "hardening/check_basis",
        &[
            "check",
            &format!("{BASIS}/rules.guize"),
            &format!("{BASIS}/scenarios.guize"),
        ],
        1,
    );
    let blocks: Vec<&str> = run.stdout.split("情景").collect();
    let verdict_of = |name: &str| {
        blocks
            .iter()
            .find(|b| b.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported:\n{}", run.describe()))
            .to_string()
    };
    assert!(
        verdict_of("依据乙县").contains("结论：违反"),
        "{}",
        run.describe()
    );
    assert!(
        verdict_of("依据甲县").contains("结论：符合"),
        "{}",
        run.describe()
    );
    assert!(
        verdict_of("未写依据").contains("结论：符合"),
        "{}",
        run.describe()
    );
}

/// The rulesets may come from the scenario files too: the 依据 is found
/// there rather than the first argument's ruleset being used.
#[test]
fn check_finds_the_basis_in_any_file_given() {
    let run = guize(&[
        "check",
        "examples/demo.guize",
        &format!("{BASIS}/rules.guize"),
        &format!("{BASIS}/scenarios.guize"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let pairs: Vec<(String, String, String)> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["scenario"].as_str().unwrap().to_string(),
                r["ruleset"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        pairs.contains(&("依据乙县".into(), "乙县规则".into(), "违反".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("依据甲县".into(), "甲县规则".into(), "符合".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.iter().any(|p| p.0 == "未写依据" && p.1 == "测试规则"),
        "{pairs:?}"
    );
}

/// A 依据 naming a ruleset not loaded is a coded error, exit 2; the
/// scenario is not checked under the ruleset that is loaded.
#[test]
fn check_refuses_an_unknown_basis() {
    let run = golden(
        "hardening/check_unknown_basis",
        &[
            "check",
            &format!("{BASIS}/rules.guize"),
            &format!("{BASIS}/unknown-basis.guize"),
        ],
        2,
    );
    assert!(
        run.stderr.contains("guize::ruleset::missing"),
        "{}",
        run.describe()
    );
    assert!(run.stdout.is_empty(), "{}", run.describe());
}

// ───────────────────────── every stdout write checked ─────────────────────────

/// Output that cannot be written is a coded error and exit 2, never a
/// silent success: `> /dev/full` for every command that prints.
#[test]
fn a_full_disk_on_stdout_is_an_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        "check examples/demo.guize examples/demo.guize",
        "check examples/demo.guize examples/demo.guize --format json",
        "date 2023-09-25 +7工作日",
        "date --workday 2023-10-07",
        "audit rulesets/qianan-2022.guize examples/qianan-2023-09.events.jsonl",
        "audit rulesets/qianan-2022.guize examples/qianan-2023-09.events.jsonl --format jsonl",
        "test tests/golden/fixtures/suite --rulesets tests/golden/fixtures/suite/rules.guize",
        "lint examples/demo.guize",
        "diff examples/demo.guize examples/demo.guize examples/demo.guize",
        "gen --ruleset rulesets/qianan-2022.guize --events 100",
        "repl examples/demo.guize",
    ] {
        let run = guize_sh(&format!("\"$GUIZE\" {args} > /dev/full < /dev/null"));
        assert_eq!(run.code, 2, "guize {args}:\n{}", run.describe());
        assert!(
            run.stderr.contains("guize::io::write"),
            "guize {args}:\n{}",
            run.describe()
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    }
}

/// A closed pipe (`| head`) ends the output quietly: exit 0, no error, no
/// panic.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        "audit rulesets/qianan-2022.guize examples/qianan-2023-09.events.jsonl --format jsonl --all",
        "check examples/demo.guize examples/demo.guize -v",
        "gen --ruleset rulesets/qianan-2022.guize --events 20000",
    ] {
        // The reader exits at once; guize's own exit code goes to stderr.
        let run = guize_sh(&format!(
            "{{ \"$GUIZE\" {args} 2>&1; echo \"rc=$?\" >&2; }} | true"
        ));
        // Exit 0 when the pipe closed first; when the output was all
        // written before, the command's own verdict (1: violations found)
        // — never 2 (an error) and never a panic.
        assert!(
            run.stderr.contains("rc=0") || run.stderr.contains("rc=1"),
            "guize {args}:\n{}",
            run.describe()
        );
    }
}

/// A piped REPL line that is not UTF-8 is reported and skipped; the lines
/// after it still run (they were silently dropped, exit 0).
#[test]
fn repl_skips_a_line_that_is_not_utf8() {
    let dir = scratch("repl-utf8");
    let input = dir.join("input");
    let mut bytes = b"\xff\xfe bad\n".to_vec();
    bytes.extend_from_slice(":date 2023-09-25 +7工作日\n".as_bytes());
    std::fs::write(&input, bytes).unwrap();
    let run = guize_sh(&format!(
        "\"$GUIZE\" repl examples/demo.guize < '{}'",
        input.display()
    ));
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("guize::io::not_utf8"),
        "{}",
        run.describe()
    );
    assert!(run.stdout.contains("2023-10-10"), "{}", run.describe());
}

// ───────────────────────── regular files only ─────────────────────────

/// A FIFO, a directory or a device given as a file is a coded error at
/// once; reading one blocked forever (a FIFO with no writer) or never
/// ended (`/dev/zero`). `timeout` only guards the test run against the
/// old hang; no result depends on timing.
#[cfg(unix)]
#[test]
fn non_regular_files_are_refused() {
    let dir = scratch("fifo");
    let fifo = dir.join("rules.guize");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.display().to_string();
    for (args, code) in [
        (format!("check {fifo} examples/demo.guize"), 2),
        (format!("check examples/demo.guize {fifo}"), 2),
        ("check examples examples/demo.guize".to_string(), 2),
        (format!("fmt {fifo}"), 2),
        (format!("fmt --check {fifo}"), 2),
        (format!("lint {fifo}"), 2),
        (format!("audit rulesets/qianan-2022.guize {fifo}"), 2),
        ("audit rulesets/qianan-2022.guize /dev/zero".to_string(), 2),
        ("audit rulesets/qianan-2022.guize tests".to_string(), 2),
        (format!("test {fifo} --rulesets examples/demo.guize"), 1),
        // The refusal is an error shown: piped (here empty) input exits 2.
        (format!("repl {fifo}"), 2),
    ] {
        let run = guize_sh(&format!(
            "timeout 60 \"$GUIZE\" {args} < /dev/null 2>&1; echo \"rc=$?\""
        ));
        assert!(
            run.stdout.contains(&format!("rc={code}")),
            "guize {args}:\n{}",
            run.describe()
        );
        assert!(
            run.stdout.contains("guize::io::not_a_file"),
            "guize {args}:\n{}",
            run.describe()
        );
    }
}

/// A `.guize` file over the size limit (64 MiB; here a sparse file) is a
/// coded error, not a read of the whole of it.
#[test]
fn oversized_files_are_refused() {
    let dir = scratch("huge");
    let file = dir.join("huge.guize");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len((64 << 20) + 1).unwrap();
    let run = guize(&["check", "examples/demo.guize", &file.display().to_string()]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("guize::io::too_large"),
        "{}",
        run.describe()
    );
}

// ───────────────────────── directory walks ─────────────────────────

/// A copy of the golden suite (2 scenarios pass, 1 fails) with links back
/// into itself: `self -> .` and `loop/up -> ..`.
#[cfg(unix)]
fn suite_with_loops(name: &str) -> PathBuf {
    let dir = scratch(name);
    for f in ["pass.guize", "fail.guize", "rules.guize"] {
        std::fs::copy(Path::new(ROOT).join(SUITE_DIR).join(f), dir.join(f)).unwrap();
    }
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::fs::create_dir(dir.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("loop/up")).unwrap();
    dir
}

const SUITE_DIR: &str = "tests/golden/fixtures/suite";

/// Walks do not follow linked directories: the suite runs once (one `self`
/// link made "33 passed" into "1353 passed", two links never finished).
#[cfg(unix)]
#[test]
fn walks_do_not_follow_directory_links() {
    let dir = suite_with_loops("walk-loops");
    let d = dir.display().to_string();
    let plain = guize(&[
        "test",
        &format!("{ROOT}/{SUITE_DIR}"),
        "--rulesets",
        &format!("{ROOT}/{SUITE_DIR}/rules.guize"),
    ]);
    let looped = guize_sh(&format!(
        "timeout 120 \"$GUIZE\" test '{d}' --rulesets '{d}/rules.guize'"
    ));
    assert_eq!(looped.code, plain.code, "{}", looped.describe());
    let last = |r: &Run| r.stdout.lines().last().unwrap_or("").to_string();
    assert_eq!(last(&looped), last(&plain), "{}", looped.describe());
    // Each file is listed once (rules.guize is not in canonical form).
    let fmt = guize_sh(&format!("timeout 120 \"$GUIZE\" fmt --check '{d}'"));
    assert_eq!(fmt.code, 1, "{}", fmt.describe());
    // (Each listed file is followed by its diff.)
    let listed = fmt
        .stdout
        .lines()
        .filter(|l| l.starts_with("需要格式化："))
        .count();
    assert_eq!(listed, 1, "{}", fmt.describe());
    assert!(!fmt.stdout.contains("self"), "{}", fmt.describe());
    let lint = guize_sh(&format!(
        "timeout 120 \"$GUIZE\" lint '{d}/rules.guize' --tests '{d}'"
    ));
    assert!(lint.code == 0, "{}", lint.describe());
    let diff = guize_sh(&format!(
        "timeout 120 \"$GUIZE\" diff '{d}/rules.guize' '{d}/rules.guize' --suites '{d}'"
    ));
    assert_eq!(diff.code, 0, "{}", diff.describe());
}

/// A missing `--tests` or `--suites` path is an error, not a vacuous pass.
#[test]
fn missing_suite_paths_are_errors() {
    let lint = guize(&[
        "lint",
        "examples/demo.guize",
        "--tests",
        "/nonexistent/tests",
    ]);
    assert_eq!(lint.code, 2, "{}", lint.describe());
    assert!(
        lint.stderr.contains("guize::io::read"),
        "{}",
        lint.describe()
    );
    let diff = guize(&[
        "diff",
        "examples/demo.guize",
        "examples/demo.guize",
        "--suites",
        "/nonexistent/suites",
    ]);
    assert_eq!(diff.code, 2, "{}", diff.describe());
    assert!(
        diff.stderr.contains("guize::io::read"),
        "{}",
        diff.describe()
    );
}

/// A file under `--tests` that does not parse is reported (it was skipped
/// without a word, and its rules counted as untested).
#[test]
fn lint_reports_a_test_file_that_does_not_parse() {
    let dir = scratch("lint-bad-test");
    std::fs::write(
        dir.join("broken.guize"),
        "情景 坏 {\n  依据 测试规则\n  2023-13-01 召开\n",
    )
    .unwrap();
    let run = guize(&[
        "lint",
        "examples/demo.guize",
        "--tests",
        &dir.display().to_string(),
    ]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("broken.guize"), "{}", run.describe());
}

// ───────────────────────── bounded reading ─────────────────────────

/// A log line over 1 MiB is rejected with its own code without being held
/// whole; the audit goes on at the next line and the accounting holds.
#[test]
fn an_overlong_log_line_is_rejected_and_skipped() {
    let dir = scratch("long-line");
    let log = dir.join("log.jsonl");
    let mut text = String::from("{\"person\": {\"name\": \"王某\", \"positions\": [\"县长\"]}}\n");
    text.push_str(&format!("{{\"unit\": \"{}\"}}\n", "县".repeat(400_000)));
    text.push_str(
        "{\"event\": {\"date\": \"2023-03-01\", \"verb\": \"签发\", \"actor\": \"王某\", \"object\": \"文1\"}}\n",
    );
    std::fs::write(&log, text).unwrap();
    let run = guize(&[
        "audit",
        "rulesets/qianan-2022.guize",
        &log.display().to_string(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stdout.contains("guize::audit::line_too_long"),
        "{}",
        run.describe()
    );
    let summary = run.stdout.lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(summary).unwrap();
    assert_eq!(v["read"], 3, "{summary}");
    assert_eq!(v["checked"], 2, "{summary}");
    assert_eq!(v["rejected"], 1, "{summary}");
    assert!(run.stdout.len() < 100_000, "the long line was echoed");
}

/// At most 50 diagnostics per file are rendered, then a count of the rest;
/// a long source line is shown as a window around the span (10,000 errors
/// each re-printing a whole line wrote hundreds of megabytes).
#[test]
fn diagnostics_are_capped_and_long_lines_windowed() {
    let dir = scratch("diag-cap");
    let many = dir.join("many.guize");
    let mut text = String::from("情景 多错 {\n  依据 测试规则\n");
    for i in 0..200 {
        text.push_str(&format!("  人员 某{i} 任 不存在的职务{i}\n"));
    }
    text.push_str("}\n");
    std::fs::write(&many, text).unwrap();
    let run = guize(&["check", "examples/demo.guize", &many.display().to_string()]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert_eq!(run.stderr.matches("guize::name::unknown").count(), 50);
    assert!(
        run.stderr.contains("还有 150 处错误未列出"),
        "{}",
        run.stderr
    );

    let long = dir.join("long.guize");
    std::fs::write(
        &long,
        format!(
            "情景 长行 {{ 依据 测试规则 人员 王某 任 县长 2023-09-25 王某 签发 \"{}\" 未知词 }}\n",
            "文".repeat(100_000)
        ),
    )
    .unwrap();
    let run = guize(&["check", "examples/demo.guize", &long.display().to_string()]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("guize::syntax::unexpected"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("未知词"), "{}", run.describe());
    assert!(run.stderr.contains(":1:"), "{}", run.describe());
    assert!(
        run.stderr.len() < 5_000,
        "{} bytes of diagnostics",
        run.stderr.len()
    );
}

// ───────────────────────── output validity ─────────────────────────

/// JUnit XML stays well-formed when a scenario's name holds characters XML
/// 1.0 does not allow (U+FFFF, U+FFFE, control characters): they are
/// replaced by U+FFFD.
#[test]
fn junit_replaces_characters_xml_forbids() {
    let dir = scratch("junit");
    let sc = dir.join("odd.scenario.json");
    std::fs::write(
        &sc,
        r#"{"name": "甲\uFFFF乙\uFFFE丙\u0001丁\u001b", "basis": ["测试规则"],
            "people": [{"name": "王某", "positions": ["县长"]}],
            "events": [], "expect": {"complies": true}}"#,
    )
    .unwrap();
    let xml = dir.join("junit.xml");
    let run = guize(&[
        "test",
        &sc.display().to_string(),
        "--rulesets",
        "examples/demo.guize",
        "--junit",
        &xml.display().to_string(),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.describe());
    let text = std::fs::read_to_string(&xml).unwrap();
    assert!(
        text.contains("甲\u{FFFD}乙\u{FFFD}丙\u{FFFD}丁\u{FFFD}"),
        "{text}"
    );
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    assert!(text.chars().all(allowed), "{text:?}");
}

/// A JSON scenario saved with a byte-order mark (as Windows tools do) is
/// read like one without.
#[test]
fn json_scenario_with_a_byte_order_mark_is_accepted() {
    let dir = scratch("json-bom");
    let sc = dir.join("bom.scenario.json");
    std::fs::write(
        &sc,
        "\u{FEFF}{\"name\": \"带BOM\", \"basis\": [\"测试规则\"], \"people\": [{\"name\": \"王某\", \"positions\": [\"县长\"]}], \"events\": []}\n",
    )
    .unwrap();
    let run = guize(&["check", "examples/demo.guize", &sc.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.stdout.contains("带BOM"), "{}", run.describe());
}

/// `--cutoff` outside the ruleset's calendar is refused before the audit.
#[test]
fn audit_cutoff_outside_the_calendar_is_refused() {
    let run = guize(&[
        "audit",
        "rulesets/qianan-2022.guize",
        "examples/qianan-2023-09.events.jsonl",
        "--cutoff",
        "2031-12-31",
    ]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("guize::calendar::out_of_range"),
        "{}",
        run.describe()
    );
}

// ───────────────────────── did-you-mean on large tables ─────────────────────────

/// With a large table (a log declaring 10⁵ people), suggestions come from
/// the names sharing the wanted name's first character, so an unknown
/// name costs a scan, not an edit distance per declared name; small tables
/// are searched whole.
#[test]
fn did_you_mean_on_a_large_table_is_restricted_to_the_first_character() {
    use guize::compile::names::suggest;
    let mut names: Vec<String> = (0..100_000).map(|i| format!("李{i}")).collect();
    names.push("张伟明".to_string());
    names.push("伟明".to_string());
    let near = suggest("张伟", names.iter().map(String::as_str));
    assert_eq!(near, vec!["张伟明"]);
    let small = ["伟明", "赵六"];
    assert_eq!(suggest("张伟明", small), vec!["伟明"]);
}

// ───────────────────────── 频次 per person, many periods ─────────────────────────

/// A weekly 按 人员 rule over seven years and 10,000 副县长 (a 309 KB
/// file): one finding per (person, week) was 3.6 million findings held at
/// once, and `check` aborted. Beyond 10,000 (group, period) findings a
/// group's run of weeks with the same count and verdict is one finding.
fn weekly_rule_for_many(people: usize) -> String {
    let mut text = String::from(
        "规则集 测试 {\n  制定 测试县人民政府\n  施行 2020-01-01\n  日历 中国法定节假日\n  职务 副县长\n  条 一 {\n    原文 “副县长每周调研不少于1次。”\n    须 副县长 调研 每周 至少 1 次 按 人员\n  }\n}\n情景 七年 {\n  依据 测试\n  期间 2020-01-01 至 2026-12-31\n",
    );
    for i in 0..people {
        text.push_str(&format!("  人员 甲{i} 任 副县长\n"));
    }
    text.push_str(
        "  2020-01-02 甲0 调研\n  2023-05-10 甲1 调研 \"长调研\" 自 2023-05-10 至 2023-06-30\n}\n",
    );
    text
}

#[test]
fn frequency_per_person_over_years_is_bounded() {
    let dir = scratch("frequency-runs");
    let file = dir.join("weekly.guize");
    std::fs::write(&file, weekly_rule_for_many(10_000)).unwrap();
    let f = file.display();
    // Within 200 MB (the old run aborted with 2 GB).
    let run = bounded(&format!("\"$GUIZE\" check {f} {f} --format json"));
    assert_eq!(run.code, 1, "{}", &run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = v["reports"][0]["findings"].as_array().unwrap();
    // Per person: the first week (待定, partly before the window or 符合),
    // one run of 违反, the last week (待定); 甲1's multi-day 调研 breaks
    // its run into the weeks before, the weeks it covers, and after.
    assert!(findings.len() < 40_000, "{} findings", findings.len());
    let explanation = |who: &str| -> Vec<String> {
        findings
            .iter()
            .map(|f| f["explanation"].as_str().unwrap().to_string())
            .filter(|e| e.starts_with(&format!("{who}在")))
            .collect()
    };
    let two = explanation("甲2");
    assert!(
        two.iter().any(|e| e
            == "甲2在2020-01-06起的一周至2026-12-21起的一周（共364个周期）每个周期仅0次，须每周至少1次"),
        "{two:#?}"
    );
    let one = explanation("甲1");
    assert!(
        one.iter().any(|e| e
            == "甲1在2023-05-08起的一周至2023-06-26起的一周（共8个周期）每个周期1次，符合每周至少1次"),
        "{one:#?}"
    );
    assert_eq!(one.len(), 5, "{one:#?}");
}

/// An audit log declaring `n` people `{prefix}0`, `{prefix}1`, … each
/// holding `position`, one record a line.
fn people_log(prefix: &str, position: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"person\": {{\"name\": \"{prefix}{i}\", \"positions\": [\"{position}\"]}}}}\n"
            )
        })
        .collect()
}

/// The audit's last periods up to a distant `--cutoff` are emitted as they
/// are judged, merged into runs when many (they were gathered first: 10⁴
/// people and four years of weeks took 676 MB).
#[test]
fn audit_periods_up_to_a_distant_cutoff_are_bounded() {
    let dir = scratch("frequency-cutoff");
    let log = dir.join("log.jsonl");
    let mut text = people_log("甲", "副县长", 10_000);
    text.push_str(
        "{\"event\": {\"date\": \"2023-01-03\", \"verb\": \"调研\", \"actor\": \"甲0\"}}\n",
    );
    std::fs::write(&log, text).unwrap();
    let run = bounded(&format!(
        "\"$GUIZE\" audit rulesets/qianan-2022.guize {} --cutoff 2026-12-31 --format jsonl",
        log.display()
    ));
    assert_eq!(run.code, 1, "{}", &run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() < 100_000, "{} lines", lines.len());
    assert!(
        run.stdout.contains(
            "甲5在2023-01-09起的一周至2026-12-21起的一周（共207个周期）每个周期仅0次，须每周至少1次"
        ),
        "{}",
        run.stdout.chars().take(2000).collect::<String>()
    );
    let summary: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(summary["read"], 10_001, "{summary}");
    assert_eq!(summary["checked"], 10_001, "{summary}");
}

/// A last record dated 9999 (a typo for 2023) after 10,000 people: the
/// gap of 8,000 years was settled fourteen days at a time, each closing
/// 10,000 people's weeks (over a minute and a gigabyte of output from a
/// 570 KB log). Empty chunks are now settled at once and a group's run
/// of empty periods is pushed in bulk: one finding per person for the
/// gap, whatever its length.
#[test]
fn audit_gap_of_centuries_is_bounded() {
    let dir = scratch("audit-gap");
    let log = dir.join("log.jsonl");
    let mut text = people_log("人", "县长", 10_000);
    for (date, object) in [("2023-01-02", "会1"), ("9999-12-31", "会2")] {
        text.push_str(&format!(
            "{{\"event\": {{\"date\": \"{date}\", \"verb\": \"召开\", \"kind\": \"常务会议\", \"object\": \"{object}\", \"convener\": \"人1\", \"chair\": \"人1\"}}}}\n"
        ));
    }
    assert!(text.len() < 1_048_576);
    std::fs::write(&log, text).unwrap();
    let run = bounded(&format!(
        "\"$GUIZE\" audit rulesets/qianan-2022.guize {} --format jsonl",
        log.display()
    ));
    assert_eq!(run.code, 1, "{}", &run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() < 100_000, "{} lines", lines.len());
    // The first chunk (2023-01-02 to 01-15) closes two weeks; the gap
    // closes the weeks from 2023-01-16 to the one starting 9999-11-15:
    // (9999-11-15 − 2023-01-16) / 7 + 1 = 416,212 weeks.
    assert!(
        run.stdout.contains(
            "人5在2023-01-16起的一周至9999-11-15起的一周（共416212个周期）每个周期仅0次，须每周至少1次"
        ),
        "{}",
        run.stdout.chars().take(2000).collect::<String>()
    );
    let summary: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(summary["read"], 10_002, "{summary}");
    assert_eq!(summary["checked"], 10_002, "{summary}");
}

/// A weekly rule over 51 years of 期间: `check` judged the first 2,000
/// weeks (to 2058-04-28) and silently not the rest, the 2069 event's
/// week among them. Now the scenario is refused with a coded error that
/// says how many periods there are and what to do.
#[test]
fn frequency_beyond_the_period_cap_is_an_error_not_a_silent_cut() {
    let dir = scratch("frequency-cap");
    let file = dir.join("long.guize");
    std::fs::write(
        &file,
        "规则集 测试 {\n  制定 测试县人民政府\n  施行 2020-01-01\n  日历 中国法定节假日\n  职务 副县长\n  条 一 {\n    原文 “副县长每周调研不少于1次。”\n    须 副县长 调研 每周 至少 1 次 按 人员\n  }\n}\n情景 长 {\n  依据 测试\n  期间 2020-01-01 至 2070-12-31\n  人员 甲 任 副县长\n  2020-01-02 甲 调研\n  2069-05-10 甲 调研\n}\n",
    )
    .unwrap();
    let f = file.display();
    let run = bounded(&format!("\"$GUIZE\" check {f} {f}"));
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("guize::scenario::period"),
        "{}",
        run.stderr
    );
    // 2019-12-30 (the Monday of 2020-01-01's week) to 2070-12-31:
    // 18,629 days / 7 → weeks 0 ..= 2,661, i.e. 2,662 weeks.
    assert!(
        run.stderr.contains("每周计共 2662 个周期，超过上限 2000"),
        "{}",
        run.stderr
    );
}

/// A large name table answers did-you-mean from an index of its names
/// with one character deleted: an unknown name costs a few lookups and at
/// most 256 comparisons, not one per declared name (a log declaring 10⁵
/// people spent ~36 ms per unknown name: 2,000 took 74 s, now 0.7 s).
#[test]
fn did_you_mean_on_a_large_table_is_indexed() {
    use guize::compile::names::{INDEX_CANDIDATES, NameTable, suggest};
    use guize::syntax::ast::Span;
    let mut people = NameTable::default();
    for i in 0..100_000 {
        people.insert(&format!("李{i}"), Span::default()).unwrap();
    }
    let near = people.near("李1999x");
    assert!(near.len() <= INDEX_CANDIDATES, "{}", near.len());
    assert_eq!(suggest("李1999x", near)[0], "李1999");
    // Names declared after the index was built are found too.
    people.insert("张伟明", Span::default()).unwrap();
    assert_eq!(suggest("张伟", people.near("张伟")), vec!["张伟明"]);
    assert_eq!(suggest("张卫明", people.near("张卫明")), vec!["张伟明"]);
    // One key shared by 20,000 names (李 and any character): capped.
    let mut crowd = NameTable::default();
    for c in (0x4E00u32..0x4E00 + 20_000).filter_map(char::from_u32) {
        crowd.insert(&format!("李{c}"), Span::default()).unwrap();
    }
    assert!(crowd.near("李X").len() <= INDEX_CANDIDATES);
    // A small table is searched whole.
    let mut small = NameTable::default();
    small.insert("伟明", Span::default()).unwrap();
    small.insert("赵六", Span::default()).unwrap();
    assert_eq!(suggest("张伟明", small.near("张伟明")), vec!["伟明"]);
}

/// Through the binary: a log (1 MB) whose 12,000 people are declared and
/// 3,000 events name people never declared; each is rejected with a
/// suggestion.
#[test]
fn unknown_names_in_a_large_log_are_suggested_quickly() {
    let dir = scratch("unknown-names");
    let log = dir.join("log.jsonl");
    let mut text = String::new();
    for i in 0..12_000 {
        text.push_str(&format!(
            "{{\"person\": {{\"name\": \"李{i}\", \"positions\": [\"县长\"]}}}}\n"
        ));
    }
    for i in 0..3_000 {
        text.push_str(&format!(
            "{{\"event\": {{\"date\": \"2023-03-01\", \"verb\": \"调研\", \"actor\": \"李{i}x\"}}}}\n"
        ));
    }
    assert!(text.len() <= 1_048_576, "{}", text.len());
    std::fs::write(&log, text).unwrap();
    let run = bounded(&format!(
        "\"$GUIZE\" audit rulesets/qianan-2022.guize {} --format jsonl",
        log.display()
    ));
    assert_eq!(run.code, 2, "{}", &run.stderr);
    let rejected = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"rejected\""))
        .count();
    assert_eq!(rejected, 3_000);
    assert!(
        run.stdout.contains("是否指“李2999”"),
        "{}",
        run.stdout.chars().take(2000).collect::<String>()
    );
}

// ───────────────────────── 1 MB hostile inputs within bounds ─────────────────────────

/// No input of at most 1 MB makes a command abort, hang or use more than
/// 200 MB: each runs under [`bounded`] and must end with its own exit code
/// (0, 1 or 2), never a timeout (124), an abort (134) or a kill, and with
/// no allocation failure or panic on stderr.
#[test]
fn hostile_inputs_of_a_megabyte_stay_within_bounds() {
    let dir = scratch("bounds");
    let head = "规则集 测试 {\n  制定 测试县人民政府\n  施行 2020-01-01\n  日历 中国法定节假日\n  职务 副县长\n";
    // A 10,000-deep 属于 chain (guize::name::hierarchy_too_large).
    let mut chain = head.to_string();
    for i in 0..10_000 {
        let parent = if i == 0 {
            "副县长".to_string()
        } else {
            format!("层级{}", i - 1)
        };
        chain.push_str(&format!("  职务 层级{i} 属于 {parent}\n"));
    }
    chain.push_str("}\n");
    // A megabyte of errors (37,000 impossible dates).
    let mut errors = format!("{head}}}\n情景 错 {{\n  依据 测试\n");
    while errors.len() < 1_000_000 {
        errors.push_str("  2023-13-45 某某 调研\n");
    }
    errors.push_str("}\n");
    // 15,000 multi-day events each covering 84 months, under a monthly
    // maximum: 84 findings, each citing at most 100 of them (all were
    // cited: 135 MB of output, 259 MB of memory).
    let mut multi = format!(
        "{head}  条 一 {{\n    原文 “每月调研不超过1次。”\n    须 调研 每月 不超过 1 次\n  }}\n}}\n情景 多日 {{\n  依据 测试\n  期间 2020-01-01 至 2026-12-31\n  人员 甲 任 副县长\n"
    );
    let mut i = 0;
    while multi.len() < 1_000_000 {
        multi.push_str(&format!(
            "  2020-01-01 甲 调研 \"题{i}\" 自 2020-01-01 至 2026-12-31\n"
        ));
        i += 1;
    }
    multi.push_str("}\n");
    let files = [
        ("chain.guize", chain),
        ("multi-day.guize", multi),
        ("errors.guize", errors),
        ("long.guize", format!("规则集 {}\n", "长".repeat(330_000))),
        ("weekly.guize", weekly_rule_for_many(10_000)),
        (
            "long.jsonl",
            format!("{{\"unit\": \"{}\"}}", "县".repeat(340_000)),
        ),
        (
            "repl-long.txt",
            format!("人员 {} 任 县长\n:check\n", "王".repeat(330_000)),
        ),
        (
            "repl-events.txt",
            std::iter::once("人员 王某 任 县长".to_string())
                .chain((0..200).map(|i| format!("2023-03-{:02} 王某 签发 \"文{i}\"", i % 28 + 1)))
                .chain(std::iter::once(":check".to_string()))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    for (name, text) in &files {
        assert!(text.len() <= 1_048_576, "{name}: {}", text.len());
        std::fs::write(dir.join(name), text).unwrap();
    }
    let d = dir.display();
    let commands = [
        format!("check {d}/chain.guize"),
        format!("lint {d}/chain.guize"),
        format!("fmt --check {d}/chain.guize"),
        format!("check {d}/errors.guize"),
        format!("test {d}/errors.guize"),
        format!("fmt --check {d}/errors.guize"),
        format!("check {d}/long.guize"),
        format!("fmt --check {d}/long.guize"),
        format!("check {d}/weekly.guize {d}/weekly.guize"),
        format!("check {d}/multi-day.guize {d}/multi-day.guize --format json"),
        format!("test {d}/multi-day.guize"),
        format!("lint {d}/weekly.guize"),
        format!("test {d}/weekly.guize"),
        format!("fmt --check {d}/weekly.guize"),
        format!("audit rulesets/qianan-2022.guize {d}/long.jsonl"),
        format!("cite rulesets/qianan-2022.guize {d}/errors.guize"),
        format!("repl rulesets/qianan-2022.guize < {d}/repl-long.txt"),
        format!("repl rulesets/qianan-2022.guize < {d}/repl-events.txt"),
    ];
    for c in &commands {
        let run = bounded(&format!("\"$GUIZE\" {c} > /dev/null"));
        assert!(
            (0..=2).contains(&run.code),
            "{c}: exit {}\n{}",
            run.code,
            run.stderr.chars().take(3000).collect::<String>()
        );
        for bad in ["memory allocation", "panicked", "Aborted"] {
            assert!(!run.stderr.contains(bad), "{c}: {bad}\n{}", run.stderr);
        }
    }
}

/// `cite` against a 1 MB text that holds none of the 109 quotes: the
/// nearest-passage search (text × quote per missing quote: 100 s here)
/// runs within a budget; the quotes after it say the text was too long
/// to look for a near passage, and every quote is still reported.
#[test]
fn cite_nearest_search_is_budgeted() {
    let dir = scratch("cite-budget");
    let text = dir.join("text.txt");
    let mut body = String::new();
    while body.len() < 1_000_000 {
        body.push_str("  2023-13-45 某某 调研\n");
    }
    std::fs::write(&text, body).unwrap();
    let run = bounded(&format!(
        "\"$GUIZE\" cite rulesets/qianan-2022.guize {}",
        text.display()
    ));
    assert_eq!(
        run.code,
        1,
        "{}",
        run.stderr.chars().take(2000).collect::<String>()
    );
    assert!(
        run.stdout.contains("109 条原文中 109 处不符"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("原文本过长，未再查找相近的段落"),
        "{}",
        run.stderr.chars().take(2000).collect::<String>()
    );
}

/// `lint` compares rules in pairs only when they share a verb, and at most
/// 2×10⁷ pairs: 24,000 rules on one verb in 1 MB (2.8×10⁸ pairs, 34 s)
/// end with `guize::lint::too_many_pairs` naming the rule where the
/// comparison stopped.
#[test]
fn lint_pair_comparisons_are_capped() {
    let dir = scratch("lint-pairs");
    let file = dir.join("dense.guize");
    let mut text = String::from(
        "规则集 大 {\n  制定 测试县人民政府\n  施行 2020-01-01\n  日历 中国法定节假日\n  职务 县长\n  条 1 {\n    原文 “县长每月调研。”\n",
    );
    let mut i = 0;
    while text.len() < 1_000_000 {
        text.push_str(&format!("    须 县长 调研 每月 至少 {} 次\n", i % 9 + 1));
        i += 1;
    }
    text.push_str("  }\n}\n");
    std::fs::write(&file, text).unwrap();
    let run = bounded(&format!("\"$GUIZE\" lint {}", file.display()));
    assert_eq!(
        run.code,
        0,
        "{}",
        run.stderr.chars().take(2000).collect::<String>()
    );
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("guize::lint::too_many_pairs"), "{all}");
    assert!(all.contains("只两两比较了前 20000000 对规则"), "{all}");
}
