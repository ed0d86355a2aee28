//! Snapshot tests of rendered diagnostics: for each kind of bad input, the
//! stable `code`, the exact text the primary span points at, and the whole
//! rendered message (no colour) as a reviewed insta snapshot. The input is
//! recorded in each snapshot's `description`, so a `.snap` file can be read on
//! its own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use guize::diag::{Diag, Source, code, render};
use guize::{Project, check_scenario};

/// File name shown in every rendered diagnostic.
const FILE: &str = "bad.guize";

/// A small valid ruleset; scenario cases are checked under it.
const RULESET: &str = r#"规则集 测试规则 {
  制定 测试县人民政府
  施行 2022-06-17
  日历 中国法定节假日
  职务 县长、副县长
  职务 常务副县长 属于 副县长
  单位 市委、县委
  会议 常务会议 { 组成 县长、副县长 }
  公文 县政府文件 { 名义 县政府 行文方向 下行 }
  第五十七条 {
    原文 "县政府常务会议由县长召集和主持。"
    须 由 县长 或 县长委托的常务副县长 召集、主持 常务会议
    原文 "决定印发的文件，原则上须在会议结束后 7 个工作日内印发。"
    原则上 须 在 召开 常务会议 后 7个工作日内 印发 决定印发的公文
  }
}
"#;

/// A ruleset with the usual declarations and the given body (articles or
/// further declarations), for ruleset-level errors.
fn ruleset(body: &str) -> String {
    format!(
        "规则集 测试规则 {{\n  日历 中国法定节假日\n  职务 县长、副县长\n  单位 市委、县委\n  \
         会议 常务会议 {{ 组成 县长、副县长 }}\n  公文 县政府文件\n{body}\n}}\n"
    )
}

/// `RULESET` followed by a scenario with two people and the given lines.
fn scenario(lines: &str) -> String {
    format!(
        "{RULESET}\n情景 测试情景 {{\n  依据 测试规则\n  人员 王某 任 县长\n  \
         人员 李某 任 常务副县长\n{lines}\n}}\n"
    )
}

/// Run the whole public pipeline on one file and collect every diagnostic:
/// parse and compile rulesets, then resolve and check each scenario under
/// its rulesets (`Project::rulesets_for`).
fn diagnose(text: &str) -> Vec<Diag> {
    let src = Source::new(FILE, text);
    let mut project = Project::default();
    if let Err(e) = project.add_source(&src) {
        return e;
    }
    let mut out = Vec::new();
    for sc in &project.scenarios {
        match project.rulesets_for(sc) {
            Err(d) => out.push(d),
            Ok(rulesets) => {
                for rs in rulesets {
                    if let Err(e) = check_scenario(rs, sc) {
                        out.extend(e);
                    }
                }
            }
        }
    }
    out
}

fn one_lines(diags: &[Diag]) -> String {
    diags
        .iter()
        .map(Diag::one_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text a span of a diagnostic points at (in the diagnostic's own file).
fn slice(d: &Diag, span: guize::syntax::ast::Span) -> String {
    let src = d
        .file
        .as_ref()
        .unwrap_or_else(|| panic!("diagnostic has no source file: {}", d.one_line()));
    src.text
        .get(span.start..span.end)
        .unwrap_or_else(|| panic!("span {span:?} is not on a char boundary or out of range"))
        .to_string()
}

/// Expect exactly one diagnostic with `code` whose primary span is exactly
/// `at`; snapshot its rendering (the input goes in the description).
#[track_caller]
fn expect(snapshot: &str, input: &str, code: &str, at: &str) -> Diag {
    expect_in(snapshot, input, &diagnose(input), code, at)
}

#[track_caller]
fn expect_in(snapshot: &str, input: &str, diags: &[Diag], code: &str, at: &str) -> Diag {
    assert_eq!(
        diags.len(),
        1,
        "expected exactly one diagnostic ({code}), got:\n{}",
        one_lines(diags)
    );
    let d = diags[0].clone();
    assert_eq!(d.code, code, "wrong code:\n{}", d.one_line());
    assert_eq!(
        slice(&d, d.span),
        at,
        "primary span points at the wrong text:\n{}",
        d.one_line()
    );
    let rendered = render(diags, false);
    assert!(
        rendered.contains(code),
        "rendering does not show the code:\n{rendered}"
    );
    insta::with_settings!({
        description => input,
        omit_expression => true,
        prepend_module_to_snapshot => true,
    }, {
        insta::assert_snapshot!(snapshot, rendered);
    });
    d
}

// ───────────────────────── syntax ─────────────────────────

#[test]
fn unexpected_token_in_rule() {
    let input = ruleset(
        "  第五十七条 {\n    原文 \"会议结束后7个工作日内印发。\"\n    \
         须 在 召开 常务会议 后 7个星期内 印发 决定印发的公文\n  }",
    );
    let d = expect(
        "unexpected_token_in_rule",
        &input,
        code::SYNTAX_UNEXPECTED,
        "星",
    );
    assert!(d.message.contains("星期内"), "{}", d.message);
    assert!(d.label.contains("工作日"), "{}", d.label);
}

#[test]
fn unterminated_quote() {
    let input = ruleset("  第五十七条 {\n    原文 \"县政府常务会议由县长召集\n  }");
    let d = expect(
        "unterminated_quote",
        &input,
        code::SYNTAX_UNTERMINATED,
        "\"",
    );
    assert!(
        d.help.contains('"'),
        "help should say which quote: {}",
        d.help
    );
}

#[test]
fn malformed_numeral() {
    let input = ruleset(
        "  第二十二二条 {\n    原文 \"县长主持常务会议。\"\n    须 由 县长 主持 常务会议\n  }",
    );
    let d = expect(
        "malformed_numeral",
        &input,
        code::SYNTAX_NUMERAL,
        "二十二二",
    );
    assert!(d.message.contains("二十二二"), "{}", d.message);
}

#[test]
fn impossible_date() {
    let input = scenario("  2023-02-30 召开 常务会议 \"第1次\" 主持 王某");
    let d = expect("impossible_date", &input, code::SYNTAX_DATE, "2023-02-30");
    assert!(d.label.contains("2023年2月只有28天"), "{}", d.label);
}

#[test]
fn month_thirteen() {
    let input = RULESET.replace("施行 2022-06-17", "施行 2023-13-01");
    let d = expect("month_thirteen", &input, code::SYNTAX_DATE, "2023-13-01");
    assert!(d.label.contains("没有13月"), "{}", d.label);
}

#[test]
fn deep_nesting_quotes() {
    let input = format!("情景 深 {{\n  2023-09-25 印发 {}\n}}\n", "“".repeat(70));
    let d = expect("deep_nesting_quotes", &input, code::SYNTAX_TOO_DEEP, "“");
    // The 65th opening mark (the brace of 情景 is the first) crosses 64.
    let col = input[..d.span.start].chars().filter(|c| *c == '“').count();
    assert_eq!(col, 63);
}

#[test]
fn deep_nesting_braces() {
    let input = format!("规则集 深 {}", "{".repeat(70));
    let d = expect("deep_nesting_braces", &input, code::SYNTAX_TOO_DEEP, "{");
    assert_eq!(d.span.start, "规则集 深 ".len() + 64);
}

#[test]
fn empty_file() {
    let d = expect("empty_file", "", code::SYNTAX_EMPTY, "");
    assert_eq!(d.span.start, 0);
}

#[test]
fn comment_only_file() {
    let input = "// 只有注释\n";
    expect("comment_only_file", input, code::SYNTAX_EMPTY, input);
}

// ───────────────────────── names ─────────────────────────

#[test]
fn unknown_position_did_you_mean() {
    let input = ruleset(
        "  第五十七条 {\n    原文 \"副县长主持专题会议。\"\n    须 由 付县长 主持 常务会议\n  }",
    );
    let d = expect(
        "unknown_position_did_you_mean",
        &input,
        code::NAME_UNKNOWN,
        "付县长",
    );
    assert!(d.help.contains("“副县长”"), "{}", d.help);
}

#[test]
fn unknown_position_in_scenario() {
    let input = scenario("  人员 赵某 任 付县长");
    let d = expect(
        "unknown_position_in_scenario",
        &input,
        code::NAME_UNKNOWN,
        "付县长",
    );
    assert!(d.help.contains("“副县长”"), "{}", d.help);
}

#[test]
fn unknown_meeting_kind() {
    let input = scenario("  2023-09-25 召开 常委会议 \"第1次\" 主持 王某");
    let d = expect(
        "unknown_meeting_kind",
        &input,
        code::NAME_UNKNOWN,
        "常委会议",
    );
    assert!(d.message.contains("会议种类"), "{}", d.message);
    assert!(d.help.contains("“常务会议”"), "{}", d.help);
}

#[test]
fn unknown_document_kind() {
    let input = scenario("  2023-10-05 王某 签发 县府文件 \"测政发〔2023〕5号\"");
    let d = expect(
        "unknown_document_kind",
        &input,
        code::NAME_UNKNOWN,
        "县府文件",
    );
    assert!(d.message.contains("公文种类"), "{}", d.message);
    assert!(d.help.contains("“县政府文件”"), "{}", d.help);
}

#[test]
fn unknown_person_in_event() {
    let input = scenario("  2023-09-25 召开 常务会议 \"第1次\" 召集 王某 主持 张某");
    let d = expect(
        "unknown_person_in_event",
        &input,
        code::NAME_UNKNOWN,
        "张某",
    );
    assert!(d.message.contains("人员"), "{}", d.message);
}

#[test]
fn unknown_unit_in_event() {
    let input = scenario("  2023-10-05 王某 向 县财政局 报告 \"某事\"");
    let d = expect(
        "unknown_unit_in_event",
        &input,
        code::NAME_UNKNOWN,
        "县财政局",
    );
    assert!(d.message.contains("单位"), "{}", d.message);
}

#[test]
fn unknown_target_in_rule() {
    let input = ruleset(
        "  第七十七条 {\n    原文 \"县长离县，应提前向省委报告。\"\n    \
         须 在 县长 外出 离县 前 提前3天 向 省委 报告\n  }",
    );
    let d = expect("unknown_target_in_rule", &input, code::NAME_UNKNOWN, "省委");
    assert!(d.message.contains("职务或单位"), "{}", d.message);
    assert!(d.help.contains("“市委”"), "{}", d.help);
}

#[test]
fn missing_space_after_xiang() {
    let input = ruleset(
        "  第七十七条 {\n    原文 \"副县长离县，应事先向县长请假。\"\n    \
         应当 在 副县长 外出 离县 前 事先 向县长 请假\n  }",
    );
    let d = expect(
        "missing_space_after_xiang",
        &input,
        code::NAME_UNKNOWN,
        "向县长",
    );
    assert!(d.help.contains("向 县长"), "{}", d.help);
}

#[test]
fn duplicate_position() {
    let input = RULESET.replace("职务 县长、副县长", "职务 县长、副县长、县长");
    let diags = diagnose(&input);
    let d = expect_in(
        "duplicate_position",
        &input,
        &diags,
        code::NAME_DUPLICATE,
        "县长",
    );
    let first = input.find("县长").unwrap();
    assert!(d.span.start > first, "primary label must be on the repeat");
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].0.start, first);
    assert_eq!(slice(&d, d.related[0].0), "县长");
}

#[test]
fn duplicate_person() {
    let input = scenario("  人员 王某 任 副县长");
    let d = expect("duplicate_person", &input, code::NAME_DUPLICATE, "王某");
    assert_eq!(d.related.len(), 1);
    assert_eq!(slice(&d, d.related[0].0), "王某");
}

#[test]
fn minutes_is_builtin() {
    let input = ruleset("  公文 纪要");
    expect("minutes_is_builtin", &input, code::NAME_DUPLICATE, "纪要");
}

#[test]
fn position_cycle() {
    let input = ruleset("  职务 甲 属于 乙\n  职务 乙 属于 甲");
    let diags = diagnose(&input);
    assert!(
        diags.iter().all(|d| d.code == code::NAME_KIND),
        "{}",
        one_lines(&diags)
    );
    // One diagnostic per position on the cycle.
    assert_eq!(diags.len(), 2, "{}", one_lines(&diags));
    assert_eq!(slice(&diags[0], diags[0].span), "甲");
    assert_eq!(slice(&diags[1], diags[1].span), "乙");
    insta::with_settings!({description => &input, omit_expression => true}, {
        insta::assert_snapshot!("position_cycle", render(&diags, false));
    });
}

#[test]
fn trip_with_kind() {
    let input = scenario("  2023-09-25 李某 出差 常务会议 离县 自 2023-09-25 至 2023-09-27");
    expect("trip_with_kind", &input, code::NAME_KIND, "常务会议");
}

// ───────────────────────── articles and rules ─────────────────────────

#[test]
fn duplicate_article() {
    let input = ruleset(
        "  第五十七条 {\n    原文 \"县长主持常务会议。\"\n    须 由 县长 主持 常务会议\n  }\n  \
         条 57 {\n    原文 \"县长召集常务会议。\"\n    须 由 县长 召集 常务会议\n  }",
    );
    let d = expect("duplicate_article", &input, code::ARTICLE_DUPLICATE, "57");
    assert_eq!(d.related.len(), 1);
    assert_eq!(slice(&d, d.related[0].0), "五十七");
    assert!(d.related[0].1.contains("第一次"), "{}", d.related[0].1);
}

#[test]
fn article_without_quote() {
    let input = ruleset("  第五十七条 {\n    须 由 县长 主持 常务会议\n  }");
    let d = expect(
        "article_without_quote",
        &input,
        code::ARTICLE_NO_QUOTE,
        "五十七",
    );
    assert!(d.message.contains("第五十七条"), "{}", d.message);
}

#[test]
fn must_not_with_deadline() {
    let input = ruleset(
        "  第五十七条 {\n    原文 \"会议结束后7个工作日内印发。\"\n    \
         不得 在 召开 常务会议 后 7个工作日内 印发 决定印发的公文\n  }",
    );
    let d = expect("must_not_with_deadline", &input, code::RULE_INVALID, "不得");
    assert!(d.message.contains("在 … 后 … 内"), "{}", d.message);
}

#[test]
fn must_without_requirement() {
    let input =
        ruleset("  第五十七条 {\n    原文 \"县长召开常务会议。\"\n    须 召开 常务会议\n  }");
    expect("must_without_requirement", &input, code::RULE_INVALID, "须");
}

#[test]
fn frequency_min_above_max() {
    let input = ruleset(
        "  第五十八条 {\n    原文 \"常务会议每月召开一至三次。\"\n    \
         须 召开 常务会议 每月 3 至 1 次\n  }",
    );
    let d = expect(
        "frequency_min_above_max",
        &input,
        code::RULE_INVALID,
        "3 至 1",
    );
    assert!(
        d.message.contains("3") && d.message.contains("1"),
        "{}",
        d.message
    );
}

#[test]
fn must_not_frequency_at_least() {
    let input = ruleset(
        "  第六十二条 {\n    原文 \"每年不得超过1次。\"\n    \
         不得 召开 常务会议 每年 至少 2 次\n  }",
    );
    expect(
        "must_not_frequency_at_least",
        &input,
        code::RULE_INVALID,
        "至少 2",
    );
}

#[test]
fn zero_day_deadline() {
    let input = ruleset(
        "  第五十七条 {\n    原文 \"会议结束后及时印发。\"\n    \
         须 在 召开 常务会议 后 0个工作日内 印发 决定印发的公文\n  }",
    );
    expect(
        "zero_day_deadline",
        &input,
        code::UNIT_INVALID,
        "0个工作日内",
    );
}

#[test]
fn fraction_above_one() {
    let input = ruleset(
        "  第五十九条 {\n    原文 \"出席人数须超过半数。\"\n    须 召开 常务会议 出席 超过 3/2\n  }",
    );
    expect("fraction_above_one", &input, code::UNIT_INVALID, "3/2");
}

#[test]
fn meeting_rule_outside_article() {
    let input = RULESET.replace(
        "会议 常务会议 { 组成 县长、副县长 }",
        "会议 常务会议 { 组成 县长、副县长  主持 县长 }",
    );
    let d = expect(
        "meeting_rule_outside_article",
        &input,
        code::RULE_OUTSIDE_ARTICLE,
        "主持 县长",
    );
    assert!(d.help.contains("会议 常务会议"), "{}", d.help);
}

// ───────────────────────── calendars ─────────────────────────

#[test]
fn unknown_calendar_did_you_mean() {
    let input = RULESET.replace("日历 中国法定节假日", "日历 中国法定假日");
    let d = expect(
        "unknown_calendar_did_you_mean",
        &input,
        code::CALENDAR_UNKNOWN,
        "中国法定假日",
    );
    assert!(d.help.contains("“中国法定节假日”"), "{}", d.help);
}

#[test]
fn ruleset_without_calendar() {
    let input = RULESET.replace("  日历 中国法定节假日\n", "");
    let d = expect(
        "ruleset_without_calendar",
        &input,
        code::CALENDAR_UNKNOWN,
        "测试规则",
    );
    assert!(d.help.contains("日历 中国法定节假日"), "{}", d.help);
}

#[test]
fn working_days_outside_calendar() {
    // The 7-working-day deadline is counted from 2027-01-04, which the
    // national data (2020–2026) does not cover.
    let input = scenario(
        "  2027-01-04 召开 常务会议 \"第1次\" 召集 王某 主持 王某 决定印发 \"关于甲的通知\"",
    );
    let d = expect(
        "working_days_outside_calendar",
        &input,
        code::CALENDAR_OUT_OF_RANGE,
        "2027-01-04 召开 常务会议 \"第1次\" 召集 王某 主持 王某 决定印发 \"关于甲的通知\"",
    );
    assert!(d.message.contains("2027-01-04"), "{}", d.message);
    assert!(d.message.contains("2020年至2026年"), "{}", d.message);
}

#[test]
fn event_date_outside_calendar_without_working_days_is_fine() {
    // No 决定印发: nothing is counted in working days, so 2027 is no problem.
    let input = scenario("  2027-01-04 召开 常务会议 \"第1次\" 召集 王某 主持 王某");
    assert!(
        diagnose(&input).is_empty(),
        "{}",
        one_lines(&diagnose(&input))
    );
}

#[test]
fn xinjiang_year_not_covered() {
    let input = RULESET.replace("日历 中国法定节假日", "日历 中国法定节假日+新疆")
        + "\n情景 新疆二〇二四 {\n  依据 测试规则\n  人员 王某 任 县长\n  \
           2024-03-04 召开 常务会议 \"第1次\" 召集 王某 主持 王某 决定印发 \"甲\"\n}\n";
    let d = expect(
        "xinjiang_year_not_covered",
        &input,
        code::CALENDAR_OUT_OF_RANGE,
        "2024-03-04 召开 常务会议 \"第1次\" 召集 王某 主持 王某 决定印发 \"甲\"",
    );
    assert!(
        d.message.contains("2022年、2023年、2025年"),
        "{}",
        d.message
    );
}

// ───────────────────────── scenarios ─────────────────────────

#[test]
fn convene_without_meeting_kind() {
    let input = scenario("  2023-09-25 召开 \"第1次\" 召集 王某 主持 王某");
    expect(
        "convene_without_meeting_kind",
        &input,
        code::SCENARIO_EVENT,
        "召开",
    );
}

#[test]
fn period_end_before_start() {
    let input =
        scenario("  2023-09-20 李某 向 王某 请假 自 2023-09-27 至 2023-09-25 事由 \"出差\"");
    let d = expect(
        "period_end_before_start",
        &input,
        code::SCENARIO_PERIOD,
        "2023-09-25",
    );
    // The primary span is the end date (the second 2023-09-25 on the line
    // is not there: the 事件 date is 09-20), the related one the start.
    assert_eq!(d.related.len(), 1);
    assert_eq!(slice(&d, d.related[0].0), "2023-09-27");
}

#[test]
fn window_end_before_start() {
    let input = scenario("  期间 2023-09-30 至 2023-09-01");
    expect(
        "window_end_before_start",
        &input,
        code::SCENARIO_PERIOD,
        "2023-09-01",
    );
}

#[test]
fn actor_written_twice() {
    let input = scenario("  2023-10-05 王某 签发 县政府文件 \"测政发〔2023〕5号\" 由 李某");
    expect("actor_written_twice", &input, code::SCENARIO_EVENT, "李某");
}

#[test]
fn expectation_unknown_article() {
    let input = scenario("  预期 违反 五十八");
    let d = expect(
        "expectation_unknown_article",
        &input,
        code::EXPECT_ARTICLE,
        "五十八",
    );
    assert!(d.help.contains("第五十七条"), "{}", d.help);
}

#[test]
fn expectation_conflict() {
    let input = scenario("  预期 符合\n  预期 违反 五十七");
    let d = expect(
        "expectation_conflict",
        &input,
        code::EXPECT_CONFLICT,
        "预期 符合",
    );
    assert_eq!(d.related.len(), 1);
    assert_eq!(slice(&d, d.related[0].0), "预期 违反 五十七");
}

// ───────────────────────── rulesets in a project ─────────────────────────

#[test]
fn scenario_basis_unknown_ruleset() {
    let input = scenario("").replace("依据 测试规则", "依据 测试规则集");
    let src = Source::new(FILE, input.as_str());
    let mut project = Project::default();
    project.add_source(&src).unwrap();
    assert_eq!(project.scenarios.len(), 1);
    let err = project.rulesets_for(&project.scenarios[0]).unwrap_err();
    let d = expect_in(
        "scenario_basis_unknown_ruleset",
        &input,
        std::slice::from_ref(&err),
        code::RULESET_MISSING,
        "测试规则集",
    );
    assert!(d.help.contains("“测试规则”"), "{}", d.help);
}

#[test]
fn scenario_without_basis_among_two_rulesets() {
    let input = format!(
        "{RULESET}\n{}\n情景 无依据 {{\n  人员 王某 任 县长\n}}\n",
        RULESET.replace("规则集 测试规则", "规则集 测试规则（修订稿）")
    );
    expect(
        "scenario_without_basis_among_two_rulesets",
        &input,
        code::RULESET_MISSING,
        "无依据",
    );
}

#[test]
fn duplicate_ruleset_across_files() {
    let mut project = Project::default();
    project
        .add_source(&Source::new("first.guize", RULESET))
        .unwrap();
    let diags = project.add_source(&Source::new(FILE, RULESET)).unwrap_err();
    let d = expect_in(
        "duplicate_ruleset_across_files",
        RULESET,
        &diags,
        code::RULESET_DUPLICATE,
        "测试规则",
    );
    assert!(d.help.contains("first.guize"), "{}", d.help);
}

// ───────────────────────── files ─────────────────────────

#[test]
fn file_not_utf8() {
    // GBK for 规则集 (bytes that are not valid UTF-8), after two ASCII bytes.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnostics");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gbk.guize");
    std::fs::write(&path, b"//\xb9\xe6\xd4\xf2\xbc\xaf\n").unwrap();
    let d = guize::load(&path).unwrap_err();
    assert_eq!(d.code, code::IO_UTF8);
    assert_eq!(d.span.start, 2);
    // The path is machine-specific: snapshot with a stable name.
    let shown =
        render(std::slice::from_ref(&d), false).replace(&path.display().to_string(), "gbk.guize");
    insta::with_settings!({description => "GBK bytes: //规则集", omit_expression => true}, {
        insta::assert_snapshot!("file_not_utf8", shown);
    });
}

#[test]
fn file_missing() {
    let d = guize::load(std::path::Path::new("tests/no/such/file.guize")).unwrap_err();
    assert_eq!(d.code, code::IO_READ);
    assert!(
        d.message.contains("tests/no/such/file.guize"),
        "{}",
        d.message
    );
    assert!(d.file.is_none());
}

#[test]
fn unclosed_brace_at_end_of_file() {
    let input = "规则集 测试规则 {\n  日历 中国法定节假日\n  职务 县长\n";
    let d = expect(
        "unclosed_brace_at_end_of_file",
        input,
        code::SYNTAX_UNEXPECTED,
        "",
    );
    assert_eq!(d.span.start, input.len());
    assert!(d.message.contains("文件意外结束"), "{}", d.message);
    assert!(d.help.contains('}'), "{}", d.help);
}

// ───────────────────────── rendering ─────────────────────────

/// The `file:line:col` in the rendered header should be the same place as
/// `Diag::location()` (columns in characters, as editors count them).
#[test]
fn rendered_header_column_counts_characters() {
    let input = scenario("  2023-09-25 召开 常务会议 \"第1次\" 召集 王某 主持 张某");
    let diags = diagnose(&input);
    assert_eq!(diags.len(), 1, "{}", one_lines(&diags));
    let loc = diags[0].location();
    assert_eq!(loc, "bad.guize:22:37");
    let rendered = render(&diags, false);
    assert!(
        rendered.contains(&format!("[{loc}]")),
        "header should show {loc}:\n{rendered}"
    );
}
