//! Shared by the fuzz targets: the cheap invariants every target checks on
//! the diagnostics it gets back.
#![allow(dead_code)]

use guize::diag::Diag;
use guize::syntax::ast::Span;

/// A span must lie inside `text` and start and end on char boundaries;
/// miette (and `Source::slice`) rely on both.
fn span_ok(span: Span, text: &str) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// Every diagnostic that names its file has its primary and related spans
/// inside that file, on char boundaries. Diagnostics without a file (e.g.
/// "no ruleset loaded") carry no source to point into and are not checked.
pub fn check_spans(diags: &[Diag]) {
    for d in diags {
        let Some(src) = &d.file else { continue };
        let text: &str = &src.text;
        if !span_ok(d.span, text) {
            panic!(
                "diagnostic {} has primary span {}..{} outside {} bytes of {:?} (or not on a char boundary): {}",
                d.code,
                d.span.start,
                d.span.end,
                text.len(),
                src.name,
                d.message
            );
        }
        for (s, label) in &d.related {
            if !span_ok(*s, text) {
                panic!(
                    "diagnostic {} has related span {}..{} ({label}) outside {} bytes of {:?} (or not on a char boundary): {}",
                    d.code,
                    s.start,
                    s.end,
                    text.len(),
                    src.name,
                    d.message
                );
            }
        }
    }
}

/// Check spans, then render as the CLI does (miette, no colour).
pub fn check_and_render(diags: &[Diag]) -> String {
    check_spans(diags);
    guize::diag::render(diags, false)
}
