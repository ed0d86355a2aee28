//! The bad-input corpus: every file in `tests/bad-input/` is a small
//! malformed input (a drafter's plausible mistake, or hostile bytes) that
//! must be refused with a specific stable diagnostic code.
//!
//! Each file states its expected code in its first line,
//! `// 预期错误 guize::syntax::bad_numeral`, or — when the file cannot carry
//! a comment (invalid UTF-8, empty, whitespace only) — in a sidecar
//! `NAME.expect` holding just the code.
//!
//! Every file goes through the public pipeline exactly as `guize test` runs
//! it: `Project::load_paths`, then for each scenario `Project::rulesets_for`
//! and `check_scenario`. The test then checks that
//! (a) some diagnostic carries the expected code,
//! (b) `diag::render` does not panic and mentions that code,
//! (c) every span lies within its file and on a char boundary.
//! Each file runs under `catch_unwind`, so a panic is reported with the
//! file's name and the rest of the corpus still runs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use guize::diag::{Diag, render};
use guize::{Project, check_scenario};

/// Files the tool currently handles wrongly (no error, a different code, a
/// bad span, or a panic). They are skipped, but must still fail: fixing the
/// tool makes this test fail until the file is removed from this list.
/// The second line of each file says what the drafter got wrong.
const KNOWN_BUGS: &[&str] = &[];

/// The corpus must not shrink below this.
const MIN_ENTRIES: usize = 100;

/// The stable codes are the string constants in `guize::diag::code`.
const DIAG_SOURCE: &str = include_str!("../src/diag.rs");

/// First-line marker of the expected code.
const MARKER: &str = "预期错误";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input")
}

/// Every input file (sidecar `.expect` files excluded), sorted by name.
fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/bad-input/ exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "expect"))
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The expected code: from `NAME.expect` if present, else from the first
/// line `// 预期错误 CODE` (or `# 预期错误 CODE`).
fn expected_code(path: &Path) -> Result<String, String> {
    let mut sidecar = path.as_os_str().to_owned();
    sidecar.push(".expect");
    let sidecar = PathBuf::from(sidecar);
    if sidecar.is_file() {
        let text = std::fs::read_to_string(&sidecar).map_err(|e| format!("{e}"))?;
        let code = text.trim();
        if code.starts_with("guize::") && !code.contains(char::is_whitespace) {
            return Ok(code.to_string());
        }
        return Err(format!("{} 不是诊断代码", sidecar.display()));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{e}"))?;
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let rest = first
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .strip_prefix("//")
        .or_else(|| first.trim_start().strip_prefix('#'))
        .map(str::trim_start)
        .and_then(|l| l.strip_prefix(MARKER))
        .map(str::trim);
    match rest {
        Some(code) if code.starts_with("guize::") && !code.contains(char::is_whitespace) => {
            Ok(code.to_string())
        }
        _ => Err(format!(
            "第一行应为“// {MARKER} guize::…”，或另有 {}.expect",
            file_name(path)
        )),
    }
}

/// Load one file and check every scenario in it under its rulesets, as
/// `guize test` does; every diagnostic along the way is collected.
fn diagnose(path: &Path) -> Vec<Diag> {
    if path.extension().is_some_and(|x| x == "jsonl") {
        return audit_log(path);
    }
    let mut project = Project::default();
    let mut diags = Vec::new();
    if let Err(e) = project.load_paths(&[path]) {
        diags.extend(e);
    }
    for sc in &project.scenarios {
        match project.rulesets_for(sc) {
            Err(d) => diags.push(d),
            Ok(rulesets) => {
                for rs in rulesets {
                    if let Err(e) = check_scenario(rs, sc) {
                        diags.extend(e);
                    }
                }
            }
        }
    }
    diags
}

/// An event log (`.jsonl`) is audited under 乾安, as `guize audit` does;
/// the diagnostics of rejected and unjudged records are collected.
fn audit_log(path: &Path) -> Vec<Diag> {
    use guize::audit::{AuditItem, AuditOptions, audit_reader};
    let mut project = Project::default();
    project
        .load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("rulesets/qianan-2022.guize")])
        .expect("乾安 loads");
    let rs = &project.rulesets[0];
    let bytes = std::fs::read(path).unwrap();
    let mut diags = Vec::new();
    let name = path.display().to_string();
    let result = audit_reader(
        rs,
        &name,
        &bytes[..],
        AuditOptions::default(),
        &mut |item| match item {
            AuditItem::Rejected { diags: d, .. }
            | AuditItem::Unchecked { diags: d }
            | AuditItem::Warning { diags: d, .. } => diags.extend(d),
            AuditItem::Finding { .. } => {}
        },
    );
    if let Err(d) = result {
        diags.push(d);
    }
    diags
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<非字符串 panic>".to_string())
}

/// Span problems of one diagnostic, checked against the text it points into
/// (its own file, else the loaded file's text).
fn span_problems(d: &Diag, fallback: &str) -> Vec<String> {
    let text: &str = d.file.as_ref().map_or(fallback, |s| &s.text);
    let mut out = Vec::new();
    let spans = std::iter::once(("主", d.span)).chain(d.related.iter().map(|(s, _)| ("副", *s)));
    for (which, s) in spans {
        let ok = s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end);
        if !ok {
            out.push(format!(
                "{which}标注 {}..{} 越界或不在字符边界（文本 {} 字节）: {}",
                s.start,
                s.end,
                text.len(),
                d.code
            ));
        }
    }
    out
}

/// What went wrong with one file, or `None` when it met every expectation.
fn failure(path: &Path, expected: &str) -> Option<String> {
    let diags = match catch_unwind(AssertUnwindSafe(|| diagnose(path))) {
        Ok(d) => d,
        Err(p) => return Some(format!("panic: {}", panic_message(&*p))),
    };
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    if diags.is_empty() {
        return Some(format!("没有报错（预期 {expected}）"));
    }
    let mut problems = Vec::new();
    if !codes.contains(&expected) {
        problems.push(format!("代码不符：预期 {expected}，实际 {codes:?}"));
    }
    match catch_unwind(AssertUnwindSafe(|| render(&diags, false))) {
        Ok(text) => {
            if !text.contains(expected) && codes.contains(&expected) {
                problems.push(format!("渲染结果没有提到 {expected}"));
            }
        }
        Err(p) => problems.push(format!("render panic: {}", panic_message(&*p))),
    }
    let raw = std::fs::read(path).unwrap_or_default();
    let fallback = String::from_utf8_lossy(&raw);
    for d in &diags {
        problems.extend(span_problems(d, &fallback));
    }
    if problems.is_empty() {
        None
    } else {
        Some(problems.join("；"))
    }
}

#[test]
fn bad_input_corpus() {
    let files = corpus();
    assert!(
        files.len() >= MIN_ENTRIES,
        "tests/bad-input/ 只有 {} 个文件，至少应有 {MIN_ENTRIES} 个",
        files.len()
    );
    let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
    for k in KNOWN_BUGS {
        assert!(
            names.iter().any(|n| n == k),
            "KNOWN_BUGS 中的 {k} 不在 tests/bad-input/ 中"
        );
    }
    let verbose = std::env::var_os("BAD_INPUT_VERBOSE").is_some();

    // Silence the default hook while files run: panics are collected and
    // reported below with their file names.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for (path, name) in files.iter().zip(&names) {
        let outcome = match expected_code(path) {
            // A misspelt code would make a known bug look permanently unfixed.
            Ok(code) if !DIAG_SOURCE.contains(&format!("\"{code}\"")) => {
                Some(format!("{code} 不是 guize::diag::code 中的诊断代码"))
            }
            Ok(code) => failure(path, &code),
            Err(e) => Some(e),
        };
        if verbose {
            let lines: Vec<String> = catch_unwind(AssertUnwindSafe(|| diagnose(path)))
                .map(|d| d.iter().map(Diag::one_line).collect())
                .unwrap_or_else(|_| vec!["<panic>".to_string()]);
            eprintln!("{name}: {}", outcome.as_deref().unwrap_or("ok"));
            for l in lines {
                eprintln!("    {l}");
            }
        }
        let known = KNOWN_BUGS.contains(&name.as_str());
        match (outcome, known) {
            (Some(why), false) => failures.push(format!("{name}: {why}")),
            (None, true) => fixed.push(name.clone()),
            _ => {}
        }
    }
    std::panic::set_hook(hook);

    let mut msg = String::new();
    if !failures.is_empty() {
        let _ = writeln!(msg, "{} 个坏输入没有按预期报错：", failures.len());
        for f in &failures {
            let _ = writeln!(msg, "  {f}");
        }
    }
    if !fixed.is_empty() {
        let _ = writeln!(
            msg,
            "以下文件已按预期报错，请从 KNOWN_BUGS 中删去：{}",
            fixed.join("、")
        );
    }
    assert!(msg.is_empty(), "{msg}");
}
