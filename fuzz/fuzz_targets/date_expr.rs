//! Arbitrary strings → `datecalc::evaluate` (`2023-09-25 +7工作日`) and
//! `datecalc::workday`, on both built-in calendars; also `parse_date` and
//! the REPL's `article_number`. Errors must point inside the input.
#![no_main]

mod common;

use guize::calendar::CalendarId;
use guize::datecalc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Byte 0 picks the calendar; the rest is the expression. Invalid UTF-8
    // is read lossily so every input is used.
    let (cal, rest) = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => (CalendarId::Xinjiang, rest),
        Some((_, rest)) => (CalendarId::National, rest),
        None => (CalendarId::National, data),
    };
    let expr = String::from_utf8_lossy(rest);
    match datecalc::evaluate(&expr, cal) {
        Ok(a) => {
            let _ = a.result.to_string();
        }
        Err(d) => {
            common::check_and_render(&[d]);
        }
    }
    match datecalc::workday(&expr, cal) {
        Ok(s) => {
            let _ = s.explain();
        }
        Err(d) => {
            common::check_and_render(&[d]);
        }
    }
    let _ = datecalc::parse_date(&expr);
    let _ = guize::repl::session::article_number(&expr);
});
