//! `guize fmt`: canonical formatting. Every shipped file formats to text that
//! parses to the same AST, keeps every comment, and formats to itself; the
//! unit tests pin the layout of each construct.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use guize::diag::{Diag, Source};
use guize::fmt::format_source;
use guize::syntax::parse;

// ───────── helpers ─────────

fn show(diags: &[Diag]) -> String {
    diags
        .iter()
        .map(Diag::one_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Comments as a plain lexer sees them (independent of the formatter's own
/// scanner): `//`, `#` to the end of the line, `/* … */`, outside "…", “…”
/// (nested) and 「…」.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    while let Some(c) = at(i) {
        match c {
            '"' => {
                i += 1;
                while at(i).is_some_and(|c| c != '"' && c != '\n') {
                    i += 1;
                }
                i += 1;
            }
            '「' => {
                i += 1;
                while at(i).is_some_and(|c| c != '」' && c != '\n') {
                    i += 1;
                }
                i += 1;
            }
            '“' => {
                let mut depth = 0;
                while let Some(c) = at(i) {
                    i += 1;
                    if c == '“' {
                        depth += 1;
                    } else if c == '”' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
            }
            '#' | '/' if c == '#' || at(i + 1) == Some('/') => {
                let start = byte(i);
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
                out.push(text[start..byte(i)].trim_end().to_string());
            }
            '/' if at(i + 1) == Some('*') => {
                let start = byte(i);
                i += 2;
                while at(i).is_some() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                    i += 1;
                }
                i += 2;
                out.push(text[start..byte(i).min(text.len())].to_string());
            }
            _ => i += 1,
        }
    }
    out.sort();
    out
}

/// Format, and check everything `guize fmt` promises: same AST, same
/// comments, idempotent.
fn fmt_checked(name: &str, text: &str) -> String {
    let src = Source::new(name, text);
    let before = parse(&src).unwrap_or_else(|e| panic!("{name} does not parse:\n{}", show(&e)));
    let out = format_source(&src).unwrap_or_else(|e| panic!("{name}: fmt failed:\n{}", show(&e)));
    let again = Source::new(name, out.clone());
    let after = parse(&again).unwrap_or_else(|e| {
        panic!(
            "{name}: formatted text does not parse:\n{}\n--- formatted ---\n{out}",
            show(&e)
        )
    });
    assert!(
        before == after,
        "{name}: AST changed by formatting\n--- formatted ---\n{out}"
    );
    assert_eq!(
        comments(text),
        comments(&out),
        "{name}: comments lost or duplicated\n--- formatted ---\n{out}"
    );
    let twice = format_source(&again)
        .unwrap_or_else(|e| panic!("{name}: second fmt failed:\n{}", show(&e)));
    assert_eq!(out, twice, "{name}: formatting is not idempotent");
    assert!(
        out.ends_with('\n') && !out.ends_with("\n\n"),
        "{name}: file end"
    );
    for line in out.lines() {
        assert_eq!(line, line.trim_end(), "{name}: trailing whitespace");
    }
    out
}

fn fmt(text: &str) -> String {
    fmt_checked("test.guize", text)
}

/// Wrap statements in a ruleset with one article.
fn in_article(body: &str) -> String {
    format!("规则集 R {{\n  第一条 {{\n    原文 \"x\"\n{body}\n  }}\n}}\n")
}

/// The formatted article body (the lines after 原文).
fn article_body(body: &str) -> String {
    let out = fmt(&in_article(body));
    let lines: Vec<&str> = out.lines().collect();
    let start = lines.iter().position(|l| l.contains("原文")).unwrap() + 1;
    let end = lines.len() - 2;
    lines[start..end]
        .iter()
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Wrap statements in a scenario.
fn in_scenario(body: &str) -> String {
    format!("情景 S {{\n  依据 R\n{body}\n}}\n")
}

/// The formatted scenario body (the lines after 依据).
fn scenario_body(body: &str) -> String {
    let out = fmt(&in_scenario(body));
    let lines: Vec<&str> = out.lines().collect();
    lines[2..lines.len() - 1]
        .iter()
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n")
}

fn guize_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            guize_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "guize") {
            out.push(p);
        }
    }
}

// ───────── every shipped file ─────────

#[test]
fn shipped_files_format_faithfully() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["rulesets", "examples", "tests/scenarios"] {
        guize_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(!files.is_empty(), "no .guize files found");
    let mut checked = 0;
    for path in &files {
        // Other helpers may be writing these files right now: a file that
        // cannot be read or does not parse is not the formatter's to judge.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.display().to_string();
        if parse(&Source::new(name.clone(), text.clone())).is_err() {
            eprintln!("skipped (does not parse): {name}");
            continue;
        }
        fmt_checked(&name, &text);
        checked += 1;
    }
    assert!(checked > 0, "no shipped file parsed");
}

/// Byte offsets of whitespace runs outside quoted text and comments (the
/// places a comment may be written), and of the line ends among them.
fn gaps(text: &str) -> (Vec<usize>, Vec<usize>) {
    let mut runs = Vec::new();
    let mut line_ends = Vec::new();
    let mut quote: Option<char> = None;
    let mut depth = 0;
    let mut in_line_comment = false;
    let mut in_block_comment = false;
    let mut prev = '\0';
    let mut prev_ws = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, c)| c);
        let ws = matches!(c, ' ' | '\t' | '\n' | '\u{3000}');
        if in_line_comment {
            if c == '\n' {
                in_line_comment = false;
            }
        } else if in_block_comment {
            if prev == '*' && c == '/' {
                in_block_comment = false;
            }
        } else if let Some(q) = quote {
            if q == '”' && c == '“' {
                depth += 1;
            } else if c == q || (c == '\n' && q != '”') {
                if q == '”' && depth > 0 {
                    depth -= 1;
                } else {
                    quote = None;
                }
            }
        } else {
            match c {
                '"' => quote = Some('"'),
                '「' => quote = Some('」'),
                '“' => quote = Some('”'),
                '#' => in_line_comment = true,
                '/' if next == Some('/') => in_line_comment = true,
                '/' if next == Some('*') => in_block_comment = true,
                _ if ws && !prev_ws => runs.push(i),
                _ => {}
            }
            if c == '\n' && !in_line_comment {
                line_ends.push(i);
            }
        }
        prev = c;
        prev_ws = ws && quote.is_none() && !in_line_comment && !in_block_comment;
    }
    (runs, line_ends)
}

/// Insert `make(k)` at each offset (given in increasing order).
fn insert_at(text: &str, at: &[usize], make: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (k, &i) in at.iter().enumerate() {
        out.push_str(&text[last..i]);
        out.push_str(&make(k));
        last = i;
    }
    out.push_str(&text[last..]);
    out
}

/// Every shipped file with a comment in every gap between tokens (where
/// that still parses the same): each comment is kept, once, and the result
/// is stable.
#[test]
fn comments_anywhere_in_shipped_files() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["rulesets", "examples", "tests/scenarios"] {
        guize_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut checked = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(original) = parse(&Source::new(name.clone(), text.clone())) else {
            continue;
        };
        let (runs, line_ends) = gaps(&text);
        let variants = [
            insert_at(&text, &runs, |k| format!(" /*b{k}*/")),
            insert_at(&text, &line_ends, |k| format!(" //l{k}")),
            insert_at(&text, &line_ends, |k| format!("\n# o{k}")),
        ];
        for v in variants {
            // A comment inside a word-level construct (条 二十二, lookaheads)
            // may change the reading: only same-AST variants are fair.
            match parse(&Source::new(name.clone(), v.clone())) {
                Ok(f) if f == original => {
                    fmt_checked(&name, &v);
                    checked += 1;
                }
                _ => eprintln!("variant skipped: {name}"),
            }
        }
    }
    eprintln!("{checked} variants checked");
    assert!(checked > 0, "no variant parsed");
}

// ───────── layout ─────────

#[test]
fn no_space_input_is_spaced() {
    let out = fmt("规则集 R{职务常务副县长属于副县长\n职务县长、副县长}");
    assert_eq!(
        out,
        "规则集 R {\n  职务 常务副县长 属于 副县长\n  职务 县长、副县长\n}\n"
    );
    let out = fmt("情景 S{依据 R\n人员王某任县长\n人员李某任常务副县长分管财政}");
    assert!(out.contains("\n  人员 王某 任 县长\n"), "{out}");
    assert!(
        out.contains("\n  人员 李某 任 常务副县长 分管 财政\n"),
        "{out}"
    );
}

#[test]
fn full_width_punctuation_is_normalised() {
    let out =
        fmt("规则集 R｛\n  职务：县长，副县长；\n  单位：县委,县政府。\n  施行：2022年6月17日\n｝");
    assert_eq!(
        out,
        "规则集 R {\n  职务 县长、副县长\n  单位 县委、县政府\n  施行 2022-06-17\n}\n"
    );
}

#[test]
fn calendar_supplement_files_keep_their_paths() {
    let out = fmt("规则集 R {\n  日历：中国法定节假日+新疆补充“calendars/a.json”,\"b.json\"\n}");
    assert_eq!(
        out,
        "规则集 R {\n  日历 中国法定节假日+新疆 补充 \"calendars/a.json\"、\"b.json\"\n}\n"
    );
}

#[test]
fn names_that_need_quotes_stay_quoted() {
    let out = fmt("规则集 R {\n  职务 「办公室分管副主任」 属于 「办公室 副主任」\n}");
    assert!(
        out.contains("职务 「办公室分管副主任」 属于 「办公室 副主任」"),
        "{out}"
    );
    // Quoted without need: written bare.
    let out = fmt("规则集 R {\n  职务 「县长」\n}");
    assert!(out.contains("  职务 县长\n"), "{out}");
    // A name that would be cut by the 外 of 除 … 外 / a verb / 任.
    let body = article_body("    除 情形 「县外」、「审批事项」 外 不得 召开 常务会议");
    assert_eq!(body, "除 情形 「县外」、「审批事项」 外 不得 召开 常务会议");
    let out = fmt("情景 S {\n  依据 R\n  人员 「王任」 任 县长\n}");
    assert!(out.contains("人员 王任 任 县长"), "{out}");
}

#[test]
fn article_headers_keep_their_form() {
    let out = fmt(
        "规则集 R {\n第二十二条{原文 \"a\"}\n条 二十三 {原文 \"b\"}\n条24{原文 \"c\"}\n条　25 {原文 \"d\"}\n}",
    );
    assert_eq!(
        out,
        "规则集 R {\n  第二十二条 {\n    原文 “a”\n  }\n\n  条 二十三 {\n    原文 “b”\n  }\n\n  条24 {\n    原文 “c”\n  }\n\n  条 25 {\n    原文 “d”\n  }\n}\n"
    );
}

#[test]
fn blank_lines_between_top_level_items_and_articles() {
    let out = fmt(
        "规则集 R {\n  职务 县长\n  第一条 { 原文 \"a\" }\n  第二条 { 原文 \"b\" }\n}\n情景 S {\n  依据 R\n\n\n  人员 王某 任 县长\n}",
    );
    assert_eq!(
        out,
        "规则集 R {\n  职务 县长\n\n  第一条 {\n    原文 “a”\n  }\n\n  第二条 {\n    原文 “b”\n  }\n}\n\n情景 S {\n  依据 R\n\n  人员 王某 任 县长\n}\n"
    );
}

#[test]
fn quotes_pick_a_delimiter_that_reads_back() {
    let body = article_body(
        "    原文 \"普通\"\n    原文 “含“嵌套”引号”\n    原文 \"只有左引号“\"\n    原文 「含\"和“」",
    );
    assert_eq!(
        body,
        "原文 “普通”\n原文 “含“嵌套”引号”\n原文 \"只有左引号“\"\n原文 「含\"和“」"
    );
    // Other texts prefer "…".
    let body = scenario_body("  2023-09-25 印发 “通知” 事由 「出差」");
    assert_eq!(body, "2023-09-25 印发 \"通知\" 事由 \"出差\"");
}

#[test]
fn declarations() {
    let out = fmt(concat!(
        "规则集 「乾安县 工作规则」 {\n",
        "  制定 \"乾安县人民政府\"\n",
        "  施行 2022/6/17\n",
        "  日历 中国法定节假日 + 新疆\n",
        "  会议 常务会议 属于 会议{名称 \"县政府常务会议\"  组成 县长、副县长  列席 办公室主任}\n",
        "  会议 专题会议 {}\n",
        "  公文 县政府文件 { 名义 县政府  行文方向 下行 重要 }\n",
        "  公文 规范性文件 属于 县政府文件\n",
        "}\n",
    ));
    assert_eq!(
        out,
        concat!(
            "规则集 「乾安县 工作规则」 {\n",
            "  制定 \"乾安县人民政府\"\n",
            "  施行 2022-06-17\n",
            "  日历 中国法定节假日+新疆\n",
            "  会议 常务会议 属于 「会议」 { 名称 \"县政府常务会议\" 组成 县长、副县长 列席 办公室主任 }\n",
            "  会议 专题会议\n",
            "  公文 县政府文件 { 名义 县政府 行文方向 下行 重要 }\n",
            "  公文 规范性文件 属于 县政府文件\n",
            "}\n",
        )
    );
}

// ───────── rules ─────────

#[test]
fn each_rule_body_kind() {
    let body = article_body(concat!(
        "原则上须在召开常务会议后七个工作日内印发决定印发的公文\n",
        "应当 在 副县长 外出 离县 前 事先 向 县长 请假\n",
        "除 情形 参加重要会议 外 须 在 县长 外出 离县 前 提前3天 向 市委、市政府 报告\n",
        "须 在 报送 前 审核\n",
        "须 由 县长 或 县长委托的常务副县长 召集和主持 常务会议\n",
        "可 由 分管领导 签发 纪要 依据 专题会议 情形 重大事项\n",
        "一般 须 召开 常务会议 每月 1至2 次\n",
        "不得 召开 全县性会议 每年 超过 一 次 按 召集人\n",
        "须 召开 常务会议 出席 人数 超过 三分之二\n",
        "须 召开 全体会议 出席 达到 半数\n",
        "不得 召开 全县性会议 情形 风景名胜区、高级宾馆\n",
        "不得 报送 向 县政府领导",
    ));
    assert_eq!(
        body,
        concat!(
            "原则上 须 在 召开 常务会议 后 七个工作日内 印发 决定印发的公文\n",
            "应当 在 副县长 外出 离县 前 事先 向 县长 请假\n",
            "除 情形 参加重要会议 外 须 在 县长 外出 离县 前 提前 3天 向 市委、市政府 报告\n",
            "须 在 报送 前 审核\n",
            "须 由 县长 或 县长委托的常务副县长 召集、主持 常务会议\n",
            "可 由 分管领导 签发 纪要 依据 专题会议 情形 重大事项\n",
            "一般 须 召开 常务会议 每月 1 至 2 次\n",
            "不得 召开 全县性会议 每年 超过 一 次 按 召集人\n",
            "须 召开 常务会议 出席 超过 三分之二\n",
            "须 召开 全体会议 出席 达到 半数\n",
            "不得 召开 全县性会议 情形 风景名胜区、高级宾馆\n",
            "不得 报送 向 县政府领导",
        )
    );
}

/// A duration keeps 个, 日 or 天, and 内 as written (fmt printed 3天 as
/// 3日 and added 个 and 内).
#[test]
fn durations_as_written() {
    let text = concat!(
        "原则上 须 在 召开 常务会议 后 7工作日 印发 决定印发的公文\n",
        "须 在 县长 外出 离县 前 30天内 提前 3天 向 县委 报告",
    );
    assert_eq!(article_body(text), text);
}

#[test]
fn count_and_defeasible_words_as_written() {
    let body = article_body(concat!(
        "须 调研 每年 不少于 两 次\n",
        "须 调研 每季度 至少 1 次\n",
        "不得 召开 全县性会议 每年 至多 1 次\n",
        "不得 召开 全县性会议 每半年 不超过 1 次\n",
        "须 召开 党组会议 每周 2 次 按 人员\n",
        "除 情形 交办事项 外 一般 不得 向 县政府领导 报送",
    ));
    assert_eq!(
        body,
        concat!(
            "须 调研 每年 不少于 两 次\n",
            "须 调研 每季度 至少 1 次\n",
            "不得 召开 全县性会议 每年 至多 1 次\n",
            "不得 召开 全县性会议 每半年 不超过 1 次\n",
            "须 召开 党组会议 每周 2 次 按 人员\n",
            "除 情形 交办事项 外 一般 不得 向 县政府领导 报送",
        )
    );
}

#[test]
fn meeting_blocks_in_articles_keep_the_attribute_form() {
    let body = article_body(concat!(
        "会议 常务会议 { 召集 一般 县长 或 县长委托的常务副县长 主持 县长 频次 原则上 每月 1 至 2 次 ",
        "纪要签发 县长 出席人数 超过 一半 }\n",
        "会议 全体会议 { 频次 一般 每年 至少 2 次 }",
    ));
    assert_eq!(
        body,
        concat!(
            "会议 常务会议 {\n",
            "召集 一般 县长 或 县长委托的常务副县长\n",
            "主持 县长\n",
            "频次 原则上 每月 1 至 2 次\n",
            "纪要签发 县长\n",
            "出席人数 超过 一半\n",
            "}\n",
            "会议 全体会议 { 频次 一般 每年 至少 2 次 }",
        )
    );
}

// ───────── scenarios ─────────

#[test]
fn each_event_attribute() {
    let body = scenario_body(concat!(
        "  截至 2023年12月31日\n",
        "  期间 2023-09-01 到 2023-9-30\n",
        "  单位 县财政局、县教育局\n",
        "  2023-09-30 王某 委托 李某 代行 召集、主持 常务会议 自 2023-10-01 至 2023-10-31\n",
        "  王某 委托 李某 代行 全面工作\n",
        "  2023-09-25 召开 常务会议 \"第13次\" 召集 王某 主持 王某 出席 王某、李某 缺席 赵某 列席 钱某 ",
        "地点 \"某宾馆\" 决定印发 \"甲\"、\"乙\" 情形 高级宾馆 应到 9人 实到 七\n",
        "  2023-09-20 赵某 向 王某 请假 自 2023-09-25 至 2023-09-27 事由 \"出差\"\n",
        "  2023-09-25 赵某 出差 离县 自 2023-09-25 至 2023-09-27 经 王某 批准\n",
        "  2023-10-05 签发 县政府文件 \"乾政发5号\" 由 王某 领域 财政\n",
        "  2023-10-05 县发改局 征求意见 \"某稿\" 发往 县财政局、县教育局\n",
        "  2023-10-05 县发改局 发往 县财政局 征求意见 \"某稿2\"\n",
        "  2023-10-12 县财政局 回复 \"某稿\"\n",
        "  2023-10-20 王某 签发 纪要 \"纪要\" 依据 \"第13次\" 特殊情况 \"防汛\"\n",
        "  2023-10-22 召开 专题会议 \"x\" 主持 李某 地点 宾馆",
    ));
    assert_eq!(
        body,
        concat!(
            "截至 2023-12-31\n",
            "期间 2023-09-01 至 2023-09-30\n",
            "单位 县财政局、县教育局\n",
            "2023-09-30 王某 委托 李某 代行 召集、主持 常务会议 自 2023-10-01 至 2023-10-31\n",
            "王某 委托 李某 代行 全面工作\n",
            "2023-09-25 召开 常务会议 \"第13次\" 召集 王某 主持 王某 出席 王某、李某 缺席 赵某 列席 钱某 ",
            "地点 \"某宾馆\" 决定印发 \"甲\"、\"乙\" 情形 高级宾馆 应到 9 实到 七\n",
            "2023-09-20 赵某 向 王某 请假 自 2023-09-25 至 2023-09-27 事由 \"出差\"\n",
            "2023-09-25 赵某 出差 离县 自 2023-09-25 至 2023-09-27 经 王某 批准\n",
            "2023-10-05 王某 签发 县政府文件 \"乾政发5号\" 领域 财政\n",
            "2023-10-05 县发改局 征求意见 \"某稿\" 发往 县财政局、县教育局\n",
            "2023-10-05 县发改局 发往 县财政局 征求意见 \"某稿2\"\n",
            "2023-10-12 县财政局 回复 \"某稿\"\n",
            "2023-10-20 王某 签发 纪要 \"纪要\" 依据 \"第13次\" 特殊情况 \"防汛\"\n",
            "2023-10-22 召开 专题会议 \"x\" 主持 李某 地点 宾馆",
        )
    );
}

#[test]
fn expectations_with_and_without_basis() {
    let out = fmt(concat!(
        "情景 S {\n",
        "  依据 甲规则，乙规则\n",
        "  预期：违反 第五十七条、六十一\n",
        "  预期 依据 乙规则 待定 第二十二条\n",
        "  预期 例外 无\n",
        "  预期 依据 甲规则 符合\n",
        "  预期 符合\n",
        "}",
    ));
    assert_eq!(
        out,
        concat!(
            "情景 S {\n",
            "  依据 甲规则、乙规则\n",
            "  预期 违反 第五十七条、六十一\n",
            "  预期 依据 乙规则 待定 第二十二条\n",
            "  预期 例外 无\n",
            "  预期 依据 甲规则 符合\n",
            "  预期 符合\n",
            "}\n",
        )
    );
}

// ───────── comments ─────────

#[test]
fn comments_in_each_position() {
    let text = concat!(
        "// file header\n",
        "\n",
        "# second header\n",
        "规则集 R { // after the brace\n",
        "  职务 县长      // trailing\n",
        "  职务 副县长 /* block */\n",
        "      // own line, odd indentation\n",
        "  职务 常务副县长\n",
        "  /* before a\n",
        "     multi-line */ 单位 县委\n",
        "  第一条 {\n",
        "    原文 \"a // not a comment # nor this\" // real\n",
        "    须 由 /* inside */ 县长 签发 县政府文件\n",
        "    // before the closing brace\n",
        "  } // after the closing brace\n",
        "}\n",
        "// end of file\n",
    );
    let out = fmt(text);
    assert_eq!(
        out,
        concat!(
            "// file header\n",
            "\n",
            "# second header\n",
            "规则集 R { // after the brace\n",
            "  职务 县长   // trailing\n",
            "  职务 副县长 /* block */\n",
            "  // own line, odd indentation\n",
            "  职务 常务副县长\n",
            "  /* before a\n",
            "     multi-line */\n",
            "  单位 县委\n",
            "\n",
            "  第一条 {\n",
            "    原文 “a // not a comment # nor this” // real\n",
            "    须 由 县长 签发 县政府文件             /* inside */\n",
            "    // before the closing brace\n",
            "  } // after the closing brace\n",
            "}\n",
            "// end of file\n",
        )
    );
}

#[test]
fn comments_inside_meeting_blocks_and_scenarios() {
    let out = fmt(concat!(
        "规则集 R {\n",
        "  会议 常务会议 { 组成 县长 // members\n",
        "    列席 主任 }\n",
        "  会议 全体会议 { 组成 县长 } // trailing after an inline block\n",
        "}\n",
        "情景 S {\n",
        "  依据 R // basis\n",
        "  人员 王某 任 县长\n",
        "\n",
        "  // the meeting\n",
        "  2023-09-25 召开 常务会议 \"x\" // first line\n",
        "     出席 王某 // second line\n",
        "  预期 符合 /* a */ /* b */\n",
        "  // last words\n",
        "}\n",
    ));
    assert_eq!(
        out,
        concat!(
            "规则集 R {\n",
            "  会议 常务会议 {\n",
            "    组成 县长 // members\n",
            "    列席 主任\n",
            "  }\n",
            "  会议 全体会议 { 组成 县长 } // trailing after an inline block\n",
            "}\n",
            "\n",
            "情景 S {\n",
            "  依据 R // basis\n",
            "  人员 王某 任 县长\n",
            "\n",
            "  // the meeting\n",
            "  // first line\n",
            "  2023-09-25 召开 常务会议 \"x\" 出席 王某 // second line\n",
            "  预期 符合                              /* a */ /* b */\n",
            "  // last words\n",
            "}\n",
        )
    );
}

#[test]
fn trailing_comments_line_up() {
    let out = fmt(concat!(
        "规则集 R {\n",
        "  职务 县长 // a\n",
        "  职务 常务副县长 属于 副县长 // b\n",
        "  职务 办公室主任\n",
        "  职务 x // c\n",
        "}\n",
    ));
    assert_eq!(
        out,
        concat!(
            "规则集 R {\n",
            "  职务 县长                   // a\n",
            "  职务 常务副县长 属于 副县长 // b\n",
            "  职务 办公室主任\n",
            "  职务 x // c\n",
            "}\n",
        )
    );
}

#[test]
fn comment_markers_in_titles_and_names_are_not_comments() {
    let out = fmt("规则集 C#规则 {\n  职务 「a//b」\n}\n情景 S {\n  依据 C#规则\n}");
    assert_eq!(
        out,
        "规则集 C#规则 {\n  职务 「a//b」\n}\n\n情景 S {\n  依据 C#规则\n}\n"
    );
}

// ───────── errors ─────────

#[test]
fn a_file_that_does_not_parse_gives_the_parser_diagnostics() {
    let src = Source::new("bad.guize", "规则集 R { 职务 }");
    let err = format_source(&src).unwrap_err();
    let expected = parse(&src).unwrap_err();
    assert_eq!(show(&err), show(&expected));
    assert!(!err.is_empty());
}

/// Every bad-input file that still parses (its error comes later: names,
/// units, rules) formats faithfully and to a fixed point — the fmt fuzz
/// target's invariant over the corpus that exercises the most syntax. (A
/// unit class printed on the wrong 单位 statement was found this way.)
#[test]
fn parsed_bad_inputs_format_faithfully() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input");
    let mut formatted = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "guize") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let source = guize::diag::Source::new(path.display().to_string(), text);
        if guize::syntax::parse(&source).is_err() {
            continue;
        }
        let out = guize::fmt::format_source(&source)
            .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        let again = guize::diag::Source::new("again", out.clone());
        let twice = guize::fmt::format_source(&again)
            .unwrap_or_else(|d| panic!("{} (second pass): {d:?}", path.display()));
        assert_eq!(out, twice, "{}: not a fixed point", path.display());
        formatted += 1;
    }
    assert!(formatted > 50, "only {formatted} bad inputs parse");
}
