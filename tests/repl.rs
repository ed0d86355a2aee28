//! Golden tests of `guize repl` with piped input: each script
//! `tests/golden/repl/<name>.txt` is fed line by line to the real binary,
//! and the exit code, stdout and stderr are compared with
//! `tests/golden/repl/<name>.out`. Regenerate with
//! `GUIZE_BLESS=1 cargo test --release --test repl`, then review the diff.
//!
//! The binary runs in the crate root with `NO_COLOR=1`, and with `HOME` and
//! `XDG_DATA_HOME` in a fresh temporary directory (so no history file is
//! touched; the tests check that piped mode writes nothing there). Rulesets
//! are the fixtures under `tests/golden/repl/`, not `rulesets/`, so edits
//! there do not change these goldens.
//!
//! Scripts are REPL input, except lines starting with `@@ `, which the test
//! harness performs itself:
//!
//! - `@@ copy SRC DST` (only before the first input line): copy a file
//!   before the REPL starts;
//! - `@@ wait TEXT`: wait until stdout (after the previous wait) shows TEXT;
//! - `@@ edit FILE: OLD => NEW`: replace OLD by NEW in FILE and move its
//!   modification time forward, as an editor saving the file would.
//!
//! `$TMP` in scripts and arguments is the temporary directory; in outputs it
//! is written back as `$TMP`.
//!
//! Tests marked `#[ignore = "BUG: …"]` state what the REPL should do and
//! currently does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const DIR: &str = "tests/golden/repl";
const FIXTURE: &str = "tests/golden/repl/fixture.guize";

/// How long a script may take before the test gives up.
const TIMEOUT: Duration = Duration::from_secs(60);

// ───────────────────────── harness ─────────────────────────

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "guize-repl-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home")).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn tmp(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One run of a script through `guize repl`.
struct Run {
    name: String,
    /// Arguments as written in the test (with `$TMP`).
    args: Vec<String>,
    code: i32,
    stdout: String,
    stderr: String,
    /// Kept alive so that files the script wrote can be inspected.
    dir: TempDir,
}

impl Run {
    /// The golden-file form: the command, the exit code, both streams.
    fn transcript(&self) -> String {
        let mut cmd = String::from("guize repl");
        for a in &self.args {
            cmd.push(' ');
            cmd.push_str(a);
        }
        format!(
            "$ {cmd} < {DIR}/{}.txt\nexit: {}\n--- stdout\n{}--- stderr\n{}",
            self.name,
            self.code,
            with_newline(&self.stdout),
            with_newline(&self.stderr),
        )
    }

    /// `$TMP/…` as a real path.
    fn tmp_path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

fn with_newline(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n[no newline at end]\n")
    }
}

fn script_path(name: &str) -> PathBuf {
    Path::new(ROOT).join(DIR).join(format!("{name}.txt"))
}

/// Read a pipe to the end in a thread, into a shared buffer.
fn collect(
    mut r: impl Read + Send + 'static,
) -> (Arc<Mutex<Vec<u8>>>, std::thread::JoinHandle<()>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = Arc::clone(&buf);
    let h = std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        loop {
            match r.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => b.lock().unwrap().extend_from_slice(&chunk[..n]),
            }
        }
    });
    (buf, h)
}

/// `@@ edit FILE: OLD => NEW`.
fn edit(spec: &str) {
    let (file, change) = spec
        .split_once(": ")
        .unwrap_or_else(|| panic!("`@@ edit FILE: OLD => NEW`, got `{spec}`"));
    let (old, new) = change
        .split_once(" => ")
        .unwrap_or_else(|| panic!("`@@ edit FILE: OLD => NEW`, got `{spec}`"));
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(old), "@@ edit: `{old}` not in {file}");
    std::fs::write(file, text.replacen(old, new, 1)).unwrap();
    // Coarse file-system clocks must still see a change.
    std::fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(5))
        .unwrap();
}

/// Files anywhere under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Pipe `tests/golden/repl/<name>.txt` through `guize repl ARGS`.
fn run_script(name: &str, args: &[&str]) -> Run {
    let dir = TempDir::new(name);
    let tmp = dir.tmp();
    let script = std::fs::read_to_string(script_path(name))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", script_path(name).display()));
    let script = script.replace("$TMP", &tmp);
    let mut lines = script.lines().peekable();
    while let Some(l) = lines.peek() {
        let Some(spec) = l.strip_prefix("@@ copy ") else {
            break;
        };
        let (src, dst) = spec.split_once(' ').expect("`@@ copy SRC DST`");
        std::fs::copy(Path::new(ROOT).join(src), dst).unwrap();
        lines.next();
    }
    let home = dir.path().join("home");
    let mut child = Command::new(env!("CARGO_BIN_EXE_guize"))
        .arg("repl")
        .args(args.iter().map(|a| a.replace("$TMP", &tmp)))
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the guize binary");
    let (out, out_h) = collect(child.stdout.take().unwrap());
    let (err, err_h) = collect(child.stderr.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    let start = Instant::now();
    let mut seen = 0usize;
    for l in lines {
        if let Some(text) = l.strip_prefix("@@ wait ") {
            loop {
                let now = String::from_utf8_lossy(&out.lock().unwrap()).to_string();
                if let Some(i) = now.get(seen..).and_then(|s| s.find(text)) {
                    seen += i + text.len();
                    break;
                }
                if start.elapsed() > TIMEOUT {
                    let _ = child.kill();
                    panic!("{name}: timed out waiting for `{text}`; stdout so far:\n{now}");
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        } else if let Some(spec) = l.strip_prefix("@@ edit ") {
            edit(spec);
        } else if l.starts_with("@@ ") {
            panic!("{name}: unknown harness directive `{l}`");
        } else {
            // The REPL may already have quit: later lines go nowhere.
            let _ = writeln!(stdin, "{l}");
            let _ = stdin.flush();
        }
    }
    drop(stdin);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{name}: guize repl did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    out_h.join().unwrap();
    err_h.join().unwrap();
    let text = |b: &Arc<Mutex<Vec<u8>>>| {
        String::from_utf8(b.lock().unwrap().clone())
            .expect("output is UTF-8")
            .replace(&tmp, "$TMP")
    };
    let history = files_under(&home);
    assert!(
        history.is_empty(),
        "{name}: piped mode must not write history, found {history:?}"
    );
    Run {
        name: name.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        code: status.code().expect("guize was killed by a signal"),
        stdout: text(&out),
        stderr: text(&err),
        dir,
    }
}

/// Compare with `tests/golden/repl/<file>` (the shared golden harness).
#[track_caller]
fn assert_golden(file: &str, actual: &str) {
    common::assert_golden(&format!("repl/{file}"), actual);
}

/// Run a script, check the exit code, compare with `<name>.out`.
#[track_caller]
fn golden(name: &str, args: &[&str], code: i32) -> Run {
    let run = run_script(name, args);
    assert_eq!(
        run.code,
        code,
        "{name}: unexpected exit code\n{}",
        run.transcript()
    );
    assert_golden(&format!("{name}.out"), &run.transcript());
    run
}

/// Assert that `haystack` contains `needle`, showing the whole output if not.
#[track_caller]
fn assert_has(run: &Run, needle: &str) {
    assert!(
        run.stdout.contains(needle),
        "{}: expected stdout to contain\n  {needle}\nstdout:\n{}",
        run.name,
        run.stdout
    );
}

#[track_caller]
fn assert_lacks(run: &Run, needle: &str) {
    assert!(
        !run.stdout.contains(needle),
        "{}: expected stdout not to contain\n  {needle}\nstdout:\n{}",
        run.name,
        run.stdout
    );
}

/// The stdout text after the first line containing `marker`.
fn after<'a>(run: &'a Run, marker: &str) -> &'a str {
    let i = run
        .stdout
        .find(marker)
        .unwrap_or_else(|| panic!("{}: `{marker}` not in stdout:\n{}", run.name, run.stdout));
    &run.stdout[i..]
}

/// `guize ARGS` in the crate root: (exit code, stdout + stderr).
fn guize(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guize"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the guize binary");
    (
        out.status.code().expect("guize was killed by a signal"),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

// ───────────────────────── loading, rules, events ─────────────────────────

/// `:rules` before anything is loaded; `:载入` the fixture; `:rules` and
/// `:rules N` (五十七 / 第60条 / 77); then people and events, each followed
/// at once by the verdicts it adds or changes: the 7-working-day deadline
/// (2023-10-10) is first 违反 (no 印发 yet), then 符合 after 印发 on
/// 2023-10-09; 第七十七条 is 违反 when the trip is typed and 符合 once the
/// leave request (2023-10-19, before the trip's start 2023-10-23) follows.
/// `:scenario`, `:check` and `:检查` show the same scenario.
#[test]
fn load_rules_events() {
    golden("load_rules_events", &[], 0);
}

/// `:help` and `:帮助`.
#[test]
fn help() {
    let run = golden("help", &[FIXTURE], 0);
    for (en, zh) in [(":check", ":检查"), (":why", ":为何"), (":quit", ":退出")] {
        assert_has(&run, en);
        assert_has(&run, zh);
    }
}

// ───────────────────────── :why ─────────────────────────

/// `:why 五十七` on the response rule: a meeting on 2023-09-25 decides two
/// documents. The trace counts working days across 中秋节、国庆节 2023:
/// 09-26..28 are days 1–3, 09-29..10-06 are off, the 调休 Saturday 10-07 and
/// Sunday 10-08 are days 4 and 5, 10-09 and 10-10 days 6 and 7. So “通知甲”
/// issued 2023-10-10 is 符合 (on the deadline) and “通知乙” issued 2023-10-11
/// is 违反, one working day late. `:为何 77` (no trigger) and `:why` without
/// an article.
#[test]
fn why_deadline() {
    let run = golden("why_deadline", &[FIXTURE], 0);
    assert_has(
        &run,
        "4  2023-10-07 星期六 工作日（中秋节、国庆节调休上班）",
    );
    assert_has(&run, "7  2023-10-10 星期二 工作日");
    assert_has(&run, "超过期限 2023-10-10（逾期1个工作日）");
}

/// `:why` on authority rules. 第六十条 (县长 或 分管领导 签发): 李某 分管 财政 →
/// 符合; 张某 分管 教育 signing a 财政 document → 违反; 王某 as 县长 → 符合;
/// no 领域 → 待定. 第五十七条 (县长 或 县长委托的常务副县长 召集、主持): 李某
/// under 王某's delegation for October → 符合 with the delegation as the
/// path; on 2023-11-02, after it expired → 违反.
#[test]
fn why_authority() {
    let run = golden("why_authority", &[FIXTURE], 0);
    assert_has(&run, "依据：受王某（县长）委托");
    assert_has(&run, "依据：分管财政");
}

/// `:why` on a missing precedent (第七十七条, 事先 向 县长 请假): besides "未见",
/// what was looked for and how far back — by the trip's first day
/// (2023-11-06), within the 30-day look-back (a new user asked what
/// "未见请假" had searched).
#[test]
fn why_precedent() {
    let run = golden("why_precedent", &[FIXTURE], 0);
    assert_has(&run, "查找：2023-11-06 或之前、30日以内的“向县长 请假”");
    assert_has(&run, "未见向县长请假");
}

// ───────────────────────── dates ─────────────────────────

/// `:date` / `:日期` and `:workday` / `:工作日` on the 2023 国庆 holiday:
/// 09-25 +7工作日 = 10-10 (the DESIGN example), +5工作日 = 10-08 (a 调休
/// Sunday), 09-28 +1工作日 = 10-07 (调休 Saturday), +30日 = 10-25,
/// 10-10 −3天 = 10-07; 10-07 and 10-08 are 调休 working days, 10-02 a
/// holiday, 10-14 an ordinary weekend, 10-09 an ordinary working day; bad
/// expressions are diagnostics.
#[test]
fn dates() {
    let run = golden("dates", &[FIXTURE], 2);
    let first: Vec<&str> = run.stdout.lines().skip(2).take(5).collect();
    assert_eq!(
        first,
        [
            "2023-10-10",
            "2023-10-08",
            "2023-10-07",
            "2023-10-25",
            "2023-10-07"
        ]
    );
}

// ───────────────────────── multi-line input ─────────────────────────

/// A 情景 block typed over six lines becomes the current scenario (its
/// 依据 selects the ruleset); an event whose quoted text is broken over two
/// lines is joined (“示政发〔2023〕10号”); a whole 规则集 typed over ten lines
/// is loaded, `:use` with a near name suggests the full one, and under its
/// Xinjiang calendar 2023-04-21 (肉孜节) is a holiday, so 04-20 +1工作日 is
/// 04-23 (a 劳动节 调休 Sunday); back under 示例规则 it is an ordinary Friday.
#[test]
fn multiline() {
    let run = golden("multiline", &[FIXTURE], 0);
    assert_has(&run, "当前情景：国庆前后（4 行）");
    assert_has(&run, "\"示政发〔2023〕10号\" 领域 财政");
}

/// An unclosed block at the end of input is reported and gives exit 2.
#[test]
fn unfinished_block() {
    golden("unfinished_block", &[FIXTURE], 2);
}

/// So does an unclosed quote.
#[test]
fn unfinished_quote() {
    golden("unfinished_quote", &[FIXTURE], 2);
}

// ───────────────────────── errors ─────────────────────────

/// Errors do not end the session: an unknown position (县常 → did you mean
/// 县长), an unknown person (王谋 → 王某), a syntax error pointing at the
/// column in the typed line, unknown commands with suggestions, a missing
/// article, a missing file, a ruleset name with a suggestion, a line that
/// is not the language. Rejected lines are not added: the scenario shown at
/// the end has only the three good lines, and `:check` still works.
#[test]
fn errors() {
    let run = golden("errors", &[FIXTURE], 2);
    assert_eq!(run.stdout.matches("（未加入）").count(), 2);
    assert_has(&run, "╭─[<输入>:1:15]");
    assert_has(&run, "是否指“:check”？");
}

// ───────────────────────── :reset ─────────────────────────

/// `:reset` and `:重置` clear the scenario; new events after a reset are
/// checked on their own (李某, 常务副县长 without delegation → 违反).
#[test]
fn reset() {
    golden("reset", &[FIXTURE], 0);
}

// ───────────────────────── declarations ─────────────────────────

/// A position unknown at first, then declared at the prompt (职务) and used;
/// an article typed as a block (条 九十) joins the ruleset and is checked.
#[test]
fn declarations() {
    let run = golden("declarations", &[FIXTURE], 2);
    assert_eq!(run.stdout.matches("已加入规则集“示例规则”").count(), 2);
}

// ───────────────────────── :save ─────────────────────────

/// `:save` of an empty scenario writes nothing; a scenario with a late
/// 印发 is saved with `预期 违反 57`, an on-time one (`:保存`) with
/// `预期 符合`; `:save` without a file prints usage. The saved files are
/// part of the golden, and `guize test` passes on both.
#[test]
fn save() {
    let run = run_script("save", &[FIXTURE]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.tmp_path("empty.guize").exists());
    let mut transcript = run.transcript();
    for f in ["late.guize", "on-time.guize"] {
        let text = std::fs::read_to_string(run.tmp_path(f)).unwrap();
        transcript.push_str(&format!("--- $TMP/{f}\n{}", with_newline(&text)));
    }
    let late = run.tmp_path("late.guize").display().to_string();
    let on_time = run.tmp_path("on-time.guize").display().to_string();
    let (code, out) = guize(&["test", "--rulesets", FIXTURE, &late, &on_time]);
    let out = out.replace(&run.dir.tmp(), "$TMP");
    transcript.push_str(&format!(
        "$ guize test --rulesets {FIXTURE} $TMP/late.guize $TMP/on-time.guize\nexit: {code}\n{}",
        with_newline(&out)
    ));
    assert_golden("save.out", &transcript);
    assert_eq!(code, 0, "guize test failed on the saved files:\n{out}");
    assert!(out.ends_with("通过 2，未通过 0（共 2 个情景）\n"), "{out}");
}

// ───────────────────────── :diff ─────────────────────────

/// `:diff` without a file, with a missing file, and `:比较` against the same
/// ruleset: nothing changes.
#[test]
fn diff_same() {
    let run = golden("diff_same", &[FIXTURE], 2);
    assert_has(&run, "所有情景的结论不变");
}

/// `:diff` against the revision 7 → 5 工作日: the structural part shows the
/// changed deadline, and of the three scenarios (two loaded, one typed) only
/// the one issued on the 6th working day (2023-10-09: 符合 under 7, 违反
/// under 5, deadline 2023-10-08) is listed; the one issued on the 3rd
/// working day and the typed one (2023-10-08, on the new deadline) keep
/// their verdict.
#[test]
fn diff_revision() {
    let run = golden("diff_revision", &[FIXTURE], 0);
    assert_has(&run, "期限：7个工作日 → 5个工作日");
    let changed = after(&run, "情景“第6个工作日印发”");
    assert!(changed.contains("违反：无 → 第五十七条"), "{}", run.stdout);
    assert!(
        changed.contains("期限 2023-10-10 → 期限 2023-10-08"),
        "{}",
        run.stdout
    );
    assert_lacks(&run, "情景“第3个工作日印发”");
    assert_lacks(&run, "情景“交互情景”");
    assert_has(&run, "结论：1 个情景的结论改变");
}

// ───────────────────────── :reload ─────────────────────────

/// `:reload` with nothing changed; then the copied ruleset is edited to
/// 5 工作日: `:reload` names the file and the modified article, keeps the
/// scenario, and its verdict changes (2023-10-09 is now one working day
/// after the deadline 2023-10-08); a broken edit keeps the previous version.
#[test]
fn reload() {
    let run = run_script("reload", &["$TMP/rules.guize"]);
    // The broken edit is an error shown: piped input exits with 2.
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert_has(&run, "文件均未改动");
    let second = after(&run, "已重新读取 $TMP/rules.guize");
    assert!(
        second.contains("示例规则：  修改 第五十七条"),
        "{}",
        run.stdout
    );
    assert!(second.contains("当前情景的结论改变"), "{}", run.stdout);
    assert!(
        second.contains("  2023-10-09 印发 \"通知\"\n}"),
        "scenario kept:\n{}",
        run.stdout
    );
    assert!(second.contains("5  2023-10-08 星期日"), "{}", run.stdout);
    assert!(second.contains("期限：2023-10-08"), "{}", run.stdout);
    let broken = after(&run, "重新载入失败，仍使用原来的版本");
    assert!(
        broken.contains("超过期限 2023-10-08（逾期1个工作日）"),
        "{}",
        run.stdout
    );
}

/// The same `:reload`, as a golden. The golden file is written by hand with
/// the two report lines as they should read.
#[test]
fn reload_golden() {
    golden("reload", &["$TMP/rules.guize"], 2);
}

// ───────────────────────── :quit ─────────────────────────

/// `:quit` ends the session at once: the line after it is not run.
#[test]
fn quit() {
    let run = golden("quit", &[FIXTURE], 0);
    assert_lacks(&run, "2023-10-08");
}

/// So does `:退出`.
#[test]
fn quit_zh() {
    let run = golden("quit_zh", &[FIXTURE], 0);
    assert_lacks(&run, "情景“交互情景”");
}

// ───────────────────────── bugs ─────────────────────────

/// A second meeting convened and chaired by the same 县长 gets two new
/// 符合 findings; they should be listed like the first meeting's.
#[test]
fn new_event_with_same_wording_shows_its_verdicts() {
    let run = run_script("bug_new_event_same_wording", &[FIXTURE]);
    let second = after(&run, "符合 2，不适用 0）");
    assert!(
        second.contains("  符合 第五十七条 [权限] 王某召集，任县长"),
        "{}",
        run.stdout
    );
}

/// A 职务 typed at the prompt when the ruleset's file also holds a scenario
/// (examples/demo.guize).
#[test]
fn declaration_into_file_with_scenario() {
    let run = run_script(
        "bug_declaration_into_file_with_scenario",
        &["examples/demo.guize"],
    );
    assert_has(&run, "已加入规则集“测试规则”");
    assert_lacks(&run, "guize::");
}

/// Declarations typed at the prompt should survive `:reload` (they are kept
/// in Session::typed_decls, which is never read).
#[test]
fn reload_keeps_typed_declarations() {
    let run = run_script("bug_reload_keeps_typed_declarations", &["$TMP/rules.guize"]);
    assert_lacks(&run, "未知的职务");
}

/// A typed 情景 block should be checked at once, as single lines are: an
/// unknown 依据 and an unknown position should be reported when typed.
#[test]
fn typed_scenario_block_is_checked() {
    let run = run_script("bug_typed_scenario_checked", &[FIXTURE]);
    assert_has(&run, "没有这个规则集");
    assert_has(&run, "未知的职务“县常”");
}

/// An incomplete line at the prompt should not talk about a file or braces.
#[test]
fn incomplete_line_message() {
    let run = run_script("bug_incomplete_line", &[FIXTURE]);
    assert_lacks(&run, "文件意外结束");
    assert_lacks(&run, "右括号");
}

/// `:date` and `:workday` without an argument should print their usage,
/// as :why, :diff and :save do.
#[test]
fn date_without_argument_gives_usage() {
    let run = run_script("bug_date_without_argument", &[FIXTURE]);
    assert_eq!(run.stdout.matches("用法").count(), 2, "{}", run.stdout);
}

/// `:save` prints the command that runs the saved file; that exact command
/// should pass.
#[test]
fn save_message_command_runs() {
    let run = run_script("bug_save_message", &[FIXTURE]);
    let command = run
        .stdout
        .split("运行：guize ")
        .nth(1)
        .and_then(|rest| rest.split('）').next())
        .unwrap_or_else(|| panic!("no command in {}", run.stdout));
    let tmp = run.tmp_path("").display().to_string();
    let command = command.replace("$TMP/", &tmp);
    let args: Vec<&str> = command.split_whitespace().collect();
    let (code, out) = guize(&args);
    assert_eq!(code, 0, "{out}");
}

/// Incomplete means the parser stopped at the end of the input (as nickel's
/// REPL): `// {` is a comment and is evaluated at once (no waiting for a
/// `}`); a block typed over several lines is read to its closing brace.
#[test]
fn a_comment_brace_opens_no_block() {
    let run = golden("comment_brace", &[FIXTURE], 0);
    assert!(!run.stdout.contains("输入没有写完"), "{}", run.transcript());
}

// ───────────────────────── raw piped input ─────────────────────────

/// Pipe raw bytes through `guize repl ARGS` (no script): (exit code,
/// stdout, stderr). Input is written from a thread, so a large output
/// cannot block the child while it waits for the rest of its input.
fn pipe_bytes(args: &[&str], input: Vec<u8>, timeout: Duration) -> (i32, String, String) {
    let dir = TempDir::new("pipe");
    let home = dir.path().join("home");
    let mut child = Command::new(env!("CARGO_BIN_EXE_guize"))
        .arg("repl")
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the guize binary");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let (out, out_h) = collect(child.stdout.take().unwrap());
    let (err, err_h) = collect(child.stderr.take().unwrap());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            panic!("guize repl did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    writer.join().unwrap();
    out_h.join().unwrap();
    err_h.join().unwrap();
    let text = |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).to_string();
    (
        status.code().expect("guize was killed by a signal"),
        text(&out),
        text(&err),
    )
}

/// A piped line that is not UTF-8 is `guize::io::not_utf8` naming its line
/// number; it is skipped, every line after it still runs (they were
/// dropped, with exit 0), and the exit code is 2 at the end.
#[test]
fn a_line_that_is_not_utf8_is_named_skipped_and_fails_the_run() {
    let mut input = "人员 王某 任 县长\n".as_bytes().to_vec();
    input.extend_from_slice(b"2023-09-25 \xd5\xd9\xbf\xaa \xff\n");
    input.extend_from_slice(":date 2023-09-25 +7工作日\n:scenario\n".as_bytes());
    let (code, stdout, stderr) = pipe_bytes(&[FIXTURE], input, TIMEOUT);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("guize::io::not_utf8"), "{stderr}");
    assert!(
        stderr.contains("标准输入第 2 行不是 UTF-8 编码"),
        "{stderr}"
    );
    assert!(stderr.contains("<标准输入>:2:12"), "{stderr}");
    assert!(stdout.contains("2023-10-10"), "{stdout}");
    assert!(stdout.contains("  人员 王某 任 县长\n}"), "{stdout}");
}

/// `n` event lines (with the two people they name) and a final `:check`.
fn many_events(n: usize) -> String {
    let mut s = String::from("人员 王某 任 县长\n人员 李某 任 常务副县长 分管 财政\n");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
    for i in 0..n {
        let day = start + chrono::Duration::days(((i * 7 / 20) % 700) as i64);
        if i % 2 == 0 {
            s.push_str(&format!(
                "{day} 召开 常务会议 \"第{i}次常务会议\" 召集 王某 主持 王某\n"
            ));
        } else {
            s.push_str(&format!(
                "{day} 李某 签发 县政府文件 \"示政发〔2023〕{i}号\" 领域 财政\n"
            ));
        }
    }
    s.push_str(":check\n");
    s
}

/// Piped lines cost about the same each, however long the scenario: it
/// is checked per line only up to 256 statements, then in batches. 5,000
/// piped event lines took minutes (the whole scenario parsed and checked
/// per line, ~13 s for 1,000); the bound is generous and no result depends
/// on timing. Every line still counts: the final check has all 7,500
/// findings.
#[test]
fn five_thousand_piped_lines_are_not_quadratic() {
    let input = many_events(5_000);
    let (code, stdout, stderr) =
        pipe_bytes(&[FIXTURE], input.into_bytes(), Duration::from_secs(90));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("此后不再逐行检查"), "{stdout}");
    assert!(
        stdout.contains("结论：符合（违反 0，例外 0，待定 0，符合 7500，不适用 0）"),
        "{}",
        stdout
            .get(stdout.len().saturating_sub(2000)..)
            .unwrap_or(&stdout)
    );
}

/// A block of many lines is read once, not parsed again per line: a
/// 3,000-line 情景 typed whole loads within a generous bound.
#[test]
fn a_long_typed_block_is_not_reparsed_per_line() {
    let events = many_events(3_000);
    let body: String = events
        .lines()
        .filter(|l| !l.starts_with(':'))
        .map(|l| format!("  {l}\n"))
        .collect();
    let input = format!("情景 长 {{\n  依据 示例规则\n{body}}}\n:check\n");
    let (code, stdout, stderr) =
        pipe_bytes(&[FIXTURE], input.into_bytes(), Duration::from_secs(90));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("当前情景：长（3002 行）"), "{stdout}");
    assert!(stdout.contains("符合 4500，"), "{stdout}");
}

/// Statements read in a batch that do not resolve are dropped with their
/// diagnostics and （未加入）, as a single line is; the rest are kept.
#[test]
fn a_bad_statement_in_a_batch_is_not_added() {
    let mut input = many_events(300).replace(":check\n", "");
    input.push_str("2023-12-01 王谋 印发 \"通知\"\n:scenario\n");
    let (code, stdout, stderr) =
        pipe_bytes(&[FIXTURE], input.into_bytes(), Duration::from_secs(90));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.contains("未知的人员或单位“王谋”"), "{stdout}");
    assert!(stdout.contains("（未加入）"), "{stdout}");
    let scenario = stdout.split("情景 交互情景 {").nth(1).unwrap_or_default();
    assert!(!scenario.contains("王谋"), "{scenario}");
    assert!(scenario.contains("示政发〔2023〕299号"), "{scenario}");
}

/// Declarations typed at the prompt are held as parsed items, read after
/// the file (its text is never edited): an error in one points at what was
/// typed, a second 施行 is a duplicate of the file's, and the accepted ones
/// stay in force.
#[test]
fn typed_declarations_are_items_of_their_own() {
    let input = "施行 2023-01-01\n\
                 条 九十一 {\n  原文 \"书记签发。\"\n  须 由 书记 签发 县政府文件\n}\n\
                 职务 县委书记\n\
                 人员 周某 任 县委书记\n\
                 :rules\n";
    let (code, stdout, stderr) = pipe_bytes(&[FIXTURE], input.as_bytes().to_vec(), TIMEOUT);
    // The second 施行 is an error shown: exit 2.
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.contains("guize::syntax::duplicate_statement"),
        "{stdout}"
    );
    assert!(stdout.contains("“施行”写了两次"), "{stdout}");
    assert!(stdout.contains("规则集中已有"), "{stdout}");
    // The unknown position is shown in the typed block, not in the file.
    assert!(stdout.contains("规则集 交互输入 {"), "{stdout}");
    assert!(stdout.contains("须 由 书记 签发 县政府文件"), "{stdout}");
    assert_eq!(stdout.matches("（未加入）").count(), 2, "{stdout}");
    assert_eq!(
        stdout.matches("已加入规则集“示例规则”").count(),
        1,
        "{stdout}"
    );
    assert!(stdout.contains("示例规则（3 条）"), "{stdout}");
    assert!(!stdout.contains("未知的职务“县委书记”"), "{stdout}");
}

/// A quote mark inside a comment opens nothing: the next line is read on
/// its own (the REPL scanned quotes without knowing comments, and waited).
#[test]
fn a_quote_in_a_comment_opens_nothing() {
    let input = "// 他说“\n人员 王某 任 县长\n:scenario\n";
    let (code, stdout, stderr) = pipe_bytes(&[FIXTURE], input.as_bytes().to_vec(), TIMEOUT);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("  人员 王某 任 县长\n}"), "{stdout}");
    assert!(!stdout.contains("他说"), "{stdout}");
}

/// `:why` and `:条` name an article as 预期 does (the grammar's
/// `article_ref`): 第五十七条, 五十七 or 57; anything else is no article.
#[test]
fn article_numbers_are_read_by_the_grammar() {
    use guize::repl::session::article_number;
    assert_eq!(article_number("五十七"), Some(57));
    assert_eq!(article_number("第五十七条"), Some(57));
    assert_eq!(article_number(" 57 "), Some(57));
    assert_eq!(article_number("第一百零五条"), Some(105));
    for bad in [
        "",
        "第",
        "五十七条款",
        "第五十七",
        "57 58",
        "甲",
        "第五十七条 x",
    ] {
        assert_eq!(article_number(bad), None, "{bad:?}");
    }
}

/// Piped input is a script: a clean one exits 0; one whose lines show an
/// error exits 2 (the session goes on to the end), so a script with a
/// mistake does not pass for a clean run. An event naming an unknown
/// person is shown at the line typed (`<输入>:1:12`), not inside the
/// scenario the session assembles (`<情景>:5:…`, with its `}`).
#[test]
fn piped_errors_exit_2_and_point_at_the_typed_line() {
    let good = "人员 王某 任 县长\n\
                2023-09-25 召开 常务会议 \"第13次常务会议\" 召集 王某 主持 王某\n\
                :check\n";
    let (code, stdout, stderr) = pipe_bytes(&[FIXTURE], good.as_bytes().to_vec(), TIMEOUT);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains('×'), "{stdout}");

    let bad = format!("{good}2023-10-09 王谋 印发 \"通知\"\n:check\n");
    let (code, stdout, stderr) = pipe_bytes(&[FIXTURE], bad.into_bytes(), TIMEOUT);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.contains("未知的人员或单位“王谋”"), "{stdout}");
    assert!(stdout.contains("╭─[<输入>:1:12]"), "{stdout}");
    assert!(!stdout.contains("<情景>:"), "{stdout}");
    // The session went on: the :check after the error still ran.
    assert!(stdout.contains("情景“交互情景”"), "{stdout}");
}

/// A typed event with a 情形 no rule tests, or an act no rule reads, is
/// added with a warning at the line typed (exit code unchanged: a warning
/// is not an error); spelt as the ruleset reads them, no warning.
#[test]
fn typed_warnings() {
    let run = golden("typed_warnings", &[], 0);
    let first = after(&run, "情形“重大事件”");
    assert!(first.contains("“签发 上行文”"), "{}", run.stdout);
    assert!(first.contains("是否想写“重大事项”"), "{}", run.stdout);
    assert!(first.contains("<输入>:1:"), "{}", run.stdout);
    // The second event (签署, 重大事项): judged by 六十五, no warning.
    let second = after(&run, "待定 6，符合 0");
    assert!(!second.contains("guize::lint"), "{}", run.stdout);
    assert!(second.contains("违反 第六十五条"), "{}", run.stdout);
}

/// :词表 / :vocab: the current ruleset's names and the 情形 its rules
/// read — with a typed article, its 情形 and article too.
#[test]
fn vocab_lists_typed_rules_too() {
    let run = golden("vocab", &[], 0);
    let before = after(&run, "当前规则集：示例规则");
    assert!(before.contains("情形：没有规则读取情形"), "{}", run.stdout);
    let typed = after(&run, "已加入规则集");
    assert!(typed.contains("  重大事项 — 第八十条"), "{}", run.stdout);
    assert!(
        typed.contains("  常务副县长（属于 副县长）"),
        "{}",
        run.stdout
    );
}
