//! Arbitrary bytes → (if UTF-8) `Project::add_source`: parse the whole file
//! and compile its rulesets. Diagnostics must point inside the input (on
//! char boundaries) and render; compiled rulesets are linted; scenarios in
//! the same file are checked under their rulesets, as `guize check FILE`
//! does.
#![no_main]

mod common;

use guize::Project;
use guize::diag::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source::new("<fuzz>.guize", text);
    let mut project = Project::default();
    if let Err(diags) = project.add_source(&source) {
        common::check_and_render(&diags);
    }
    for rs in &project.rulesets {
        common::check_spans(&guize::lint::lint(rs, None));
    }
    for sc in &project.scenarios {
        match project.rulesets_for(sc) {
            Ok(rulesets) => {
                for rs in rulesets {
                    if let Err(diags) = guize::check_scenario(rs, sc) {
                        common::check_and_render(&diags);
                    }
                }
            }
            Err(d) => {
                common::check_and_render(&[d]);
            }
        }
    }
});
