//! Shared by the golden tests: run the real `guize` binary and compare its
//! transcript (command, exit code, stdout, stderr) with a golden file under
//! `tests/golden/`. Regenerate with `GUIZE_BLESS=1`, then review the diff.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What one run of the binary produced.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The golden-file form: the command, the exit code, both streams.
    pub fn transcript(&self) -> String {
        format!(
            "$ guize {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
            self.args.join(" "),
            self.code,
            with_newline(&self.stdout),
            with_newline(&self.stderr),
        )
    }

    pub fn describe(&self) -> String {
        format!(
            "guize {} (exit {})\n--- stdout\n{}--- stderr\n{}",
            self.args.join(" "),
            self.code,
            with_newline(&self.stdout),
            with_newline(&self.stderr)
        )
    }
}

pub fn with_newline(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n[no newline at end]\n")
    }
}

pub fn guize(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_guize"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .output()
        .expect("run the guize binary");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: out.status.code().expect("guize was killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

pub fn golden_path(file: &str) -> PathBuf {
    Path::new(ROOT).join("tests/golden").join(file)
}

pub fn blessing() -> bool {
    std::env::var_os("GUIZE_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compare `actual` with the golden file `tests/golden/<file>`, or write it
/// when blessing.
#[track_caller]
pub fn assert_golden(file: &str, actual: &str) {
    let path = golden_path(file);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read golden file {}: {e}\nrun with GUIZE_BLESS=1 to create it; actual output:\n{actual}",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from golden file {}\n(- golden, + actual; rerun with GUIZE_BLESS=1 to accept)\n{}",
            path.display(),
            diff(&expected, actual)
        );
    }
}

/// Run, check the exit code, compare with the golden transcript.
#[track_caller]
pub fn golden(name: &str, args: &[&str], code: i32) -> Run {
    let run = guize(args);
    assert_eq!(run.code, code, "unexpected exit code:\n{}", run.describe());
    assert_golden(&format!("{name}.txt"), &run.transcript());
    run
}

/// A line diff (longest common subsequence), marking each line with
/// ` ` (same), `-` (golden only) or `+` (actual only); unchanged runs longer
/// than six lines are elided. Whitespace-only differences are made visible.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let show = |l: &str| {
        let body = l.strip_suffix('\n').unwrap_or(l);
        let mut s = body.replace('\t', "→");
        if body.ends_with(' ') {
            s.push('⏎');
        }
        if !l.ends_with('\n') {
            s.push_str("  [no newline at end]");
        }
        s
    };
    let mut lines: Vec<(char, String)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            lines.push((' ', show(a[i])));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', show(a[i])));
            i += 1;
        } else {
            lines.push(('+', show(b[j])));
            j += 1;
        }
    }
    let changed: Vec<bool> = lines.iter().map(|(c, _)| *c != ' ').collect();
    let near = |k: usize| {
        let lo = k.saturating_sub(3);
        let hi = (k + 3).min(changed.len() - 1);
        changed[lo..=hi].iter().any(|c| *c)
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (c, l)) in lines.iter().enumerate() {
        if near(k) {
            if skipped {
                out.push_str("  …\n");
                skipped = false;
            }
            out.push(*c);
            out.push(' ');
            out.push_str(l);
            out.push('\n');
        } else {
            skipped = true;
        }
    }
    if skipped {
        out.push_str("  …\n");
    }
    out
}

/// Run the binary with `stdin` as standard input (for the REPL).
pub fn guize_with_input(args: &[&str], stdin: &str, env: &[(&str, &Path)]) -> Run {
    use std::io::Write as _;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guize"));
    cmd.args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run the guize binary");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for guize");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: out.status.code().expect("guize was killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}
