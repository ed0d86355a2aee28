//! Arbitrary text → `syntax::check_fragment` (scenario and ruleset entry
//! rules) for every line, and a REPL session (`repl::Session::eval`) fed the
//! text line by line, joining lines while a brace or quote is open, as the
//! interactive loop does. The session starts with the REPL tests' fixture
//! ruleset (示例规则, active) and examples/demo.guize's 测试规则 loaded.
//! Commands that touch files (:load :reload :diff :save and their Chinese
//! names) are skipped; every other command runs.
#![no_main]

mod common;

use guize::diag::Source;
use guize::repl::{Next, Session, unfinished};
use libfuzzer_sys::fuzz_target;

const DEMO: &str = include_str!("../../examples/demo.guize");
const FIXTURE: &str = include_str!("../../tests/golden/repl/fixture.guize");

/// At most this many inputs are evaluated per run (each scenario line
/// re-checks the whole scenario).
const MAX_EVALS: usize = 48;

/// The ruleset block only, as typed at the prompt: no leading comments (a
/// typed ruleset must start with 规则集) and no scenario after it.
fn ruleset_block(file: &'static str) -> &'static str {
    let ruleset = file.find("规则集").map_or(file, |i| &file[i..]);
    ruleset.find("\n情景").map_or(ruleset, |i| &ruleset[..i])
}

fn touches_files(input: &str) -> bool {
    let t = input.trim();
    if !(t.starts_with(':') || t.starts_with('：')) {
        return false;
    }
    let t = t.trim_start_matches([':', '：']);
    let cmd = t.split_once(char::is_whitespace).map_or(t, |(c, _)| c);
    matches!(
        cmd,
        "load" | "载入" | "reload" | "重载" | "diff" | "比较" | "save" | "保存"
    )
}

fn fragment(text: &str) {
    for t in [text, text.trim()] {
        let src = Source::new("<输入>", t);
        for scenario in [true, false] {
            if let Err(diags) = guize::syntax::check_fragment(&src, scenario) {
                common::check_spans(&diags);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The whole input as one fragment, then line by line.
    fragment(text);

    let mut session = Session::new(false);
    let _ = session.eval(ruleset_block(FIXTURE));
    let _ = session.eval(ruleset_block(DEMO));
    // A harness check, not a finding: without a ruleset nothing is checked.
    assert!(session.ruleset().is_some(), "the fixture ruleset did not load");
    let mut pending = String::new();
    let mut evals = 0;
    for line in text.lines() {
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line);
        if unfinished(&pending) {
            continue;
        }
        let input = std::mem::take(&mut pending);
        fragment(&input);
        if touches_files(&input) {
            continue;
        }
        evals += 1;
        if evals > MAX_EVALS {
            break;
        }
        let (_, next) = session.eval(&input);
        if next == Next::Quit {
            break;
        }
    }
    // Whatever is left open, as at end of input.
    if !pending.is_empty() && !touches_files(&pending) && evals <= MAX_EVALS {
        let _ = session.eval(&pending);
    }
    let _ = session.vocabulary();
});
