//! Reading a scenario of 10⁵ events (parse + compile against 乾安's
//! ruleset) written one event per line, all on one source line (joined by
//! `；`), and as a compact one-line JSON scenario (what exporters write).
//! Goal (issue #14): the one-line forms within 1.5× of one per line.
//! Run: `cargo bench --bench one_line`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use divan::Bencher;
use guize::compile::ir::Ruleset;
use guize::diag::Source;

fn main() {
    divan::main();
}

const EVENTS: usize = 100_000;

fn qianan() -> Ruleset {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rulesets/qianan-2022.guize");
    let src = guize::load(std::path::Path::new(path)).unwrap();
    let file = guize::syntax::parse(&src).unwrap();
    guize::compile::compile_ruleset(&file.rulesets[0], &src).unwrap()
}

/// The `k`-th event: a date in 2023 and one of three kinds, as the words
/// of a `.guize` event and as the fields of a JSON one.
fn event(k: usize) -> (String, String) {
    let day =
        chrono::NaiveDate::from_ymd_opt(2023, 1, 2).unwrap() + chrono::Days::new((k % 360) as u64);
    match k % 3 {
        0 => (
            format!("{day} 王某 签发 \"乾政发〔2023〕{k}号\" 领域 教育"),
            format!(
                r#"{{"date":"{day}","verb":"签发","actor":"王某","object":"乾政发〔2023〕{k}号","area":"教育"}}"#
            ),
        ),
        1 => (
            format!("{day} 县教育局 征求意见 \"稿{k}\" 发往 县财政局、县人社局"),
            format!(
                r#"{{"date":"{day}","verb":"征求意见","actor":"县教育局","object":"稿{k}","targets":["县财政局","县人社局"]}}"#
            ),
        ),
        _ => (
            format!("{day} 县财政局 回复 \"稿{}\"", k - 1),
            format!(
                r#"{{"date":"{day}","verb":"回复","actor":"县财政局","object":"稿{}"}}"#,
                k - 1
            ),
        ),
    }
}

const HEAD: &str = "情景 一行十万事件 {\n  依据 乾安县人民政府工作规则\n  人员 王某 任 县长\n  单位 县教育局、县财政局、县人社局\n";

/// The scenario as `.guize` text, events joined by `sep`.
fn guize_text(sep: &str) -> String {
    let mut s = String::from(HEAD);
    s.push_str("  ");
    for k in 0..EVENTS {
        if k > 0 {
            s.push_str(sep);
        }
        s.push_str(&event(k).0);
    }
    s.push_str("\n}\n");
    s
}

/// The scenario as compact JSON: one line.
fn json_text() -> String {
    let mut s = String::from(
        r#"{"name":"一行十万事件","basis":["乾安县人民政府工作规则"],"people":[{"name":"王某","positions":["县长"]}],"units":["县教育局","县财政局","县人社局"],"events":["#,
    );
    for k in 0..EVENTS {
        if k > 0 {
            s.push(',');
        }
        let _ = write!(s, "{}", event(k).1);
    }
    s.push_str("]}");
    s
}

fn read_guize(rs: &Ruleset, src: &Source) -> usize {
    let mut file = guize::syntax::parse(src).unwrap();
    let ast = file.scenarios.pop().unwrap();
    guize::compile::compile_scenario(rs, &ast, src)
        .unwrap()
        .events
        .len()
}

fn read_json(rs: &Ruleset, src: &Source) -> usize {
    let ast = guize::json::parse_scenario(src).unwrap();
    guize::compile::compile_scenario(rs, &ast, src)
        .unwrap()
        .events
        .len()
}

#[divan::bench_group(sample_count = 3, sample_size = 1)]
mod read_100k_events {
    use super::*;

    #[divan::bench]
    fn one_per_line(bencher: Bencher) {
        let rs = qianan();
        let src = Source::new("<一行一事件>", guize_text("\n  "));
        assert_eq!(read_guize(&rs, &src), EVENTS);
        bencher.bench_local(|| read_guize(&rs, divan::black_box(&src)));
    }

    #[divan::bench]
    fn one_line(bencher: Bencher) {
        let rs = qianan();
        let text = guize_text("；");
        assert_eq!(text.lines().count(), 6, "all events on one line");
        let src = Source::new("<一行>", text);
        assert_eq!(read_guize(&rs, &src), EVENTS);
        bencher.bench_local(|| read_guize(&rs, divan::black_box(&src)));
    }

    #[divan::bench]
    fn compact_json(bencher: Bencher) {
        let rs = qianan();
        let text = json_text();
        assert_eq!(text.lines().count(), 1);
        let src = Source::new("<一行.json>", text);
        assert_eq!(read_json(&rs, &src), EVENTS);
        bencher.bench_local(|| read_json(&rs, divan::black_box(&src)));
    }
}
