//! Round-trip property over every `.guize` file in the repository and the
//! fuzz corpus: parse → fmt → parse gives the same tree and the same
//! comments, and fmt is idempotent. Files that do not parse (bad-input
//! fixtures, corpus entries that are not guize) are skipped, not judged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use guize::diag::{Diag, Source};
use guize::fmt::format_source;
use guize::syntax::ast::File;
use guize::syntax::parse;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Directories never walked: build output and version control.
const SKIP_DIRS: &[&str] = &["target", ".git", "node_modules"];

/// Fuzz corpus directories: their files have no extension.
// Only what the repository keeps: a local fuzz corpus (git-ignored) grows
// without bound and holds what no one has triaged yet; its findings enter
// `fuzz/regressions` when fixed.
const CORPUS_DIRS: &[&str] = &["fuzz/regressions"];

fn walk(dir: &Path, all_files: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            if !SKIP_DIRS.iter().any(|s| name == *s) {
                walk(&p, all_files, out);
            }
        } else if all_files || p.extension().is_some_and(|x| x == "guize") {
            out.push(p);
        }
    }
}

fn inputs() -> Vec<PathBuf> {
    let root = PathBuf::from(ROOT);
    let mut files = Vec::new();
    walk(&root, false, &mut files);
    for dir in CORPUS_DIRS {
        walk(&root.join(dir), true, &mut files);
    }
    files.sort();
    files.dedup();
    files
}

fn show(diags: &[Diag]) -> String {
    diags
        .iter()
        .map(Diag::one_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn comment_texts(f: &File) -> Vec<String> {
    f.comments.0.iter().map(|c| c.text.clone()).collect()
}

/// What is wrong with formatting `text`, if anything.
fn check(name: &str, text: &str, original: &File) -> Result<(), String> {
    let src = Source::new(name, text);
    let once = format_source(&src).map_err(|d| format!("fmt failed:\n{}", show(&d)))?;
    let again_src = Source::new(name, once.as_str());
    let again = parse(&again_src).map_err(|d| {
        format!(
            "formatted text does not parse:\n{}\n--- formatted ---\n{once}",
            show(&d)
        )
    })?;
    if &again != original {
        return Err(format!("tree changed by fmt\n--- formatted ---\n{once}"));
    }
    // Tree equality ignores which synonym was written (应当 / 须 …): the
    // whole tree without its spans must be the same too.
    let (want, got) = (without_spans(original), without_spans(&again));
    if want != got {
        let at = want
            .char_indices()
            .zip(got.chars())
            .find(|((_, a), b)| a != b)
            .map_or(0, |((i, _), _)| i);
        let from = want.floor_char_boundary(at.saturating_sub(200));
        return Err(format!(
            "spelling changed by fmt near: {}\n--- formatted ---\n{once}",
            &want[from..want.ceil_char_boundary(at + 100).min(want.len())]
        ));
    }
    let (before, after) = (comment_texts(original), comment_texts(&again));
    if before != after {
        return Err(format!(
            "comments differ\n  before: {before:?}\n  after:  {after:?}\n--- formatted ---\n{once}"
        ));
    }
    let twice =
        format_source(&again_src).map_err(|d| format!("second fmt failed:\n{}", show(&d)))?;
    if twice != once {
        return Err(format!(
            "fmt is not idempotent\n--- once ---\n{once}--- twice ---\n{twice}"
        ));
    }
    // Layout is canonical: the same text with lines unindented or ended by
    // CRLF formats to the same result (when it still reads the same).
    for variant in [unindented(&once), crlf(&once)] {
        let v_src = Source::new(name, variant.as_str());
        match parse(&v_src) {
            Ok(v) if &v == original && comment_texts(&v) == before => {
                let out = format_source(&v_src)
                    .map_err(|d| format!("fmt of a layout variant failed:\n{}", show(&d)))?;
                if out != once {
                    return Err(format!(
                        "layout variant formats differently\n--- variant ---\n{variant}--- got ---\n{out}--- want ---\n{once}"
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The tree's debug form with every `Span { start: …, end: … }` removed.
fn without_spans(f: &File) -> String {
    let text = format!("{f:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find('}').map_or(after.len(), |j| j + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Line starts that are not inside a block comment of the file.
fn free_line_starts(text: &str, file: &File) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts.retain(|&at| {
        at < text.len()
            && !file
                .comments
                .0
                .iter()
                .any(|c| c.span.start < at && at < c.span.end)
    });
    starts
}

/// Two variants of `text`: ` /*eK*/` before each line end, `# oK` lines
/// before each line (never inside a block comment).
fn commented(text: &str, file: &File) -> Vec<String> {
    let starts = free_line_starts(text, file);
    let mut trailing = String::new();
    let mut own = String::new();
    let mut last = 0;
    for (k, &at) in starts.iter().enumerate() {
        let line = &text[last..at];
        if let Some(body) = line.strip_suffix('\n') {
            let body = body.strip_suffix('\r').unwrap_or(body);
            trailing.push_str(body);
            trailing.push_str(&format!(" /*e{k}*/"));
            trailing.push_str(&line[body.len()..]);
        } else {
            trailing.push_str(line);
        }
        own.push_str(line);
        own.push_str(&format!("# o{k}\n"));
        last = at;
    }
    trailing.push_str(&text[last..]);
    own.push_str(&text[last..]);
    vec![trailing, own]
}

fn unindented(text: &str) -> String {
    text.lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect()
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn every_guize_file_round_trips() {
    let files = inputs();
    let mut checked = 0;
    let mut skipped = 0;
    let mut variants = 0;
    let mut failures = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            skipped += 1;
            continue;
        };
        let name = path
            .strip_prefix(ROOT)
            .unwrap_or(path)
            .display()
            .to_string();
        let Ok(original) = parse(&Source::new(name.as_str(), text.as_str())) else {
            skipped += 1;
            continue;
        };
        checked += 1;
        if let Err(why) = check(&name, &text, &original) {
            failures.push(format!("{name}: {why}"));
            continue;
        }
        // The same file with a comment at the end of every line and on a
        // line of its own before every line: where it still reads the same,
        // fmt keeps each comment, in order.
        for variant in commented(&text, &original) {
            let v_src = Source::new(name.as_str(), variant.as_str());
            if let Ok(v) = parse(&v_src)
                && v == original
            {
                variants += 1;
                if let Err(why) = check(&name, &variant, &v) {
                    failures.push(format!("{name} (with comments): {why}"));
                    break;
                }
            }
        }
    }
    eprintln!(
        "round trip: {checked} files checked, {skipped} skipped, {variants} commented variants"
    );
    assert!(checked >= 50, "too few files parsed: {checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked} files fail:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The check above sees synonyms: two files that differ only in which
/// synonym they write are equal trees but different shapes.
#[test]
fn synonyms_are_equal_trees_but_kept_apart() {
    let file = |modality: &str, target: &str, at_least: &str| {
        let text = format!(
            "规则集 R {{\n  条 一 {{\n    原文 \"x\"\n    {modality} 召开 常务会议 每月 {at_least} 2 次\n  }}\n}}\n情景 S {{\n  依据 R\n  2023-09-25 王某 {target} 县长 报送 请示 \"a\"\n}}\n"
        );
        parse(&Source::new("s.guize", text.as_str())).unwrap()
    };
    let a = file("须", "向", "至少");
    for b in [
        file("应当", "向", "至少"),
        file("须", "发往", "至少"),
        file("须", "向", "不少于"),
    ] {
        assert_eq!(a, b);
        assert_ne!(without_spans(&a), without_spans(&b));
    }
    assert_eq!(without_spans(&a), without_spans(&file("须", "向", "至少")));
}

/// Each block lists its statements in source order, each with its span and
/// its keyword's span.
#[test]
fn statements_keep_order_span_and_keyword() {
    use guize::syntax::ast::Stmt;
    let text = "规则集 R {\n  职务 县长\n  施行：2022-06-17\n  分管领导 副县长\n  职务 副县长\n  分管领导 党组成员\n  条 一 {\n    原文 \"x\"\n    原则上 应当 召开 常务会议 每月 至少 2 次\n  }\n}\n情景 S {\n  依据 R\n  人员 王某 任 县长\n  2023-09-25 王某 发往 县委 报送 请示 \"a\"\n  预期 符合\n}\n";
    let src = Source::new("s.guize", text);
    let file = parse(&src).unwrap();
    let rs = &file.rulesets[0];
    let keywords: Vec<&str> = rs.statements.iter().map(|s| src.slice(s.keyword)).collect();
    assert_eq!(
        keywords,
        ["职务", "施行", "分管领导", "职务", "分管领导", "条"]
    );
    let spans: Vec<&str> = rs.statements.iter().map(|s| src.slice(s.span)).collect();
    assert_eq!(spans[1], "施行：2022-06-17");
    assert_eq!(spans[4], "分管领导 党组成员");
    assert_eq!(
        rs.statements[4].what,
        Stmt::AreaLeaders { first: 1, count: 1 }
    );
    let article = &rs.articles[0];
    let rule = &article.statements[1];
    assert_eq!(rule.what, Stmt::Rule(0));
    assert_eq!(src.slice(rule.keyword), "应当");
    assert!(src.slice(rule.span).starts_with("原则上"));
    let sc = &file.scenarios[0];
    let keywords: Vec<&str> = sc.statements.iter().map(|s| src.slice(s.keyword)).collect();
    assert_eq!(keywords, ["依据", "人员", "2023-09-25", "预期"]);
    // fmt keeps the two 分管领导 statements apart and 应当 / 发往 as written.
    let out = format_source(&src).unwrap();
    assert!(
        out.contains("  分管领导 副县长\n  职务 副县长\n  分管领导 党组成员\n"),
        "{out}"
    );
    assert!(out.contains("原则上 应当 召开"), "{out}");
    assert!(out.contains("发往 县委"), "{out}");
}

/// Synonyms and optional keywords print back as written.
#[test]
fn fmt_keeps_the_words_written() {
    let text = "规则集 R {\n  条 一 {\n    原文 \"x\"\n    除 参加重要会议 外 须 召开 常务会议 每两个月 1-2 次\n    除 情形 紧急事项 外 须 召开 全体会议 每二月 至少 1 次\n    须 召开 全体会议 出席 达到 三分之二\n  }\n}\n情景 S {\n  依据 R\n  2023-09-20 赵某 出差 离州 自 2023-09-25 到 2023-09-27\n  预期 违反 第一条\n}\n";
    let out = format_source(&Source::new("w.guize", text)).unwrap();
    for written in [
        "除 参加重要会议 外 须 召开 常务会议 每两个月 1-2 次",
        "除 情形 紧急事项 外 须 召开 全体会议 每二月 至少 1 次",
        "出席 达到 三分之二",
        "离州 自 2023-09-25 到 2023-09-27",
        "预期 违反 第一条",
    ] {
        assert!(out.contains(written), "{written} not kept:\n{out}");
    }
}
