//! Arbitrary bytes → (if UTF-8 and it parses) `fmt::format_source`: the
//! formatter prints from the tree and re-parses to prove itself, so on a file
//! that parses it must never give up (`guize::fmt::internal` is a formatter
//! bug) and its output must be a fixed point (formatting it again changes
//! nothing).
#![no_main]

mod common;

use guize::diag::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source::new("<fuzz>.guize", text);
    if guize::syntax::parse(&source).is_err() {
        return;
    }
    match guize::fmt::format_source(&source) {
        Ok(out) => {
            let again = Source::new("<fuzz>.guize", out.as_str());
            match guize::fmt::format_source(&again) {
                Ok(twice) => assert_eq!(out, twice, "fmt is not idempotent"),
                Err(d) => panic!("formatted text does not format again: {d:?}"),
            }
        }
        Err(diags) => {
            assert!(
                diags.iter().all(|d| d.code != guize::fmt::INTERNAL),
                "fmt gave up on a file that parses: {diags:?}"
            );
            common::check_and_render(&diags);
        }
    }
});
