//! Grammar tests: every construct of the guize language, parsed through the
//! public API (`Source::new` + `syntax::parse`) and checked on the AST.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use guize::diag::{Diag, Source, code};
use guize::syntax::ast::*;
use guize::syntax::parse;

// ───────── helpers ─────────

fn src(text: &str) -> Source {
    Source::new("test.guize", text)
}

fn show(diags: &[Diag]) -> String {
    diags
        .iter()
        .map(|d| format!("{} [{}]", d.one_line(), d.help))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parse and panic with the diagnostics on failure.
fn parse_ok(text: &str) -> (Source, File) {
    let s = src(text);
    match parse(&s) {
        Ok(f) => (s, f),
        Err(e) => panic!("parse failed:\n{}\n--- input ---\n{text}", show(&e)),
    }
}

fn parse_err(text: &str) -> Vec<Diag> {
    match parse(&src(text)) {
        Ok(f) => panic!("expected a parse error, got {f:#?}"),
        Err(e) => e,
    }
}

/// A ruleset with the given body.
fn ruleset(body: &str) -> (Source, Ruleset) {
    let (s, f) = parse_ok(&format!("规则集 测试规则 {{\n{body}\n}}\n"));
    assert_eq!(f.rulesets.len(), 1);
    (s, f.rulesets.into_iter().next().unwrap())
}

/// One article (with one 原文) holding the given rule lines.
fn article(rules: &str) -> (Source, Article) {
    let (s, rs) = ruleset(&format!("第一条 {{\n原文 \"某条文\"\n{rules}\n}}"));
    assert_eq!(rs.articles.len(), 1);
    (s, rs.articles.into_iter().next().unwrap())
}

/// The single rule of an article body.
fn rule(text: &str) -> (Source, Rule) {
    let (s, a) = article(text);
    assert_eq!(
        a.rules.len(),
        1,
        "expected one rule from {text:?}: {:#?}",
        a.rules
    );
    (s, a.rules.into_iter().next().unwrap())
}

/// A scenario with the given body.
fn scenario(body: &str) -> (Source, Scenario) {
    let (s, f) = parse_ok(&format!("情景 测试情景 {{\n{body}\n}}\n"));
    assert_eq!(f.scenarios.len(), 1);
    (s, f.scenarios.into_iter().next().unwrap())
}

/// The single event of a scenario body.
fn event(line: &str) -> (Source, Event) {
    let (s, sc) = scenario(line);
    assert_eq!(
        sc.events.len(),
        1,
        "expected one event from {line:?}: {:#?}",
        sc.events
    );
    (s, sc.events.into_iter().next().unwrap())
}

fn names(ns: &[Name]) -> Vec<&str> {
    ns.iter().map(|n| n.node.as_str()).collect()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A name's span slices back to exactly the name in the source.
fn assert_span(s: &Source, n: &Name) {
    assert_eq!(s.slice(n.span), n.node, "span of {:?}", n.node);
}

fn position_actors(a: &[ActorSpec]) -> Vec<String> {
    a.iter()
        .map(|x| match x {
            ActorSpec::Position(n) => n.node.clone(),
            ActorSpec::Delegated {
                principal,
                delegate,
                ..
            } => format!("{}委托的{}", principal.node, delegate.node),
            ActorSpec::Role(r) => format!("{:?}", r.node),
        })
        .collect()
}

fn target_names(t: &[Target]) -> Vec<String> {
    t.iter()
        .map(|x| match x {
            Target::Name(n) => n.node.clone(),
            Target::Role(r) => format!("{:?}", r.node),
            Target::Attending(n) => format!("参会的{}", n.node),
        })
        .collect()
}

fn verbs(p: &EventPattern) -> Vec<Verb> {
    p.verbs.iter().map(|v| v.node).collect()
}

// ───────── ruleset header ─────────

#[test]
fn ruleset_header_enacted_effective_calendar() {
    let (s, rs) = ruleset("制定 乾安县人民政府\n施行 2022-06-17\n日历 中国法定节假日");
    assert_eq!(rs.name.node, "测试规则");
    assert_span(&s, &rs.name);
    let by = rs.enacted_by.as_ref().unwrap();
    assert_eq!(by.node, "乾安县人民政府");
    assert_span(&s, by);
    let eff = rs.effective.as_ref().unwrap();
    assert_eq!(eff.node, date("2022-06-17"));
    assert_eq!(s.slice(eff.span), "2022-06-17");
    assert_eq!(names(&rs.calendars), ["中国法定节假日"]);
    assert_span(&s, &rs.calendars[0]);
    assert!(rs.articles.is_empty() && rs.positions.is_empty());
}

#[test]
fn ruleset_header_with_colons_text_and_chinese_date() {
    // Optional colon (full-width and ASCII), 制定 as quoted text, 年月日 date.
    let (_, rs) = ruleset("制定：\"瓜州县人民政府\"\n施行: 2020年8月5日\n日历：中国法定节假日");
    assert_eq!(rs.enacted_by.unwrap().node, "瓜州县人民政府");
    assert_eq!(rs.effective.unwrap().node, date("2020-08-05"));
    assert_eq!(names(&rs.calendars), ["中国法定节假日"]);
}

#[test]
fn calendar_with_plus() {
    let (s, rs) = ruleset("日历 中国法定节假日+新疆");
    assert_eq!(names(&rs.calendars), ["中国法定节假日", "新疆"]);
    for c in &rs.calendars {
        assert_span(&s, c);
    }
    // Spaces around + are fine too.
    let (_, rs) = ruleset("日历 中国法定节假日 + 新疆");
    assert_eq!(names(&rs.calendars), ["中国法定节假日", "新疆"]);
}

#[test]
fn calendar_with_supplement_files() {
    let (s, rs) = ruleset(
        "日历 中国法定节假日+新疆 补充 \"calendars/xj-2026.json\"、“calendars/cn-2027.json”",
    );
    assert_eq!(names(&rs.calendars), ["中国法定节假日", "新疆"]);
    assert_eq!(
        names(&rs.calendar_files),
        ["calendars/xj-2026.json", "calendars/cn-2027.json"]
    );
    assert_eq!(
        s.slice(rs.calendar_files[0].span),
        "\"calendars/xj-2026.json\""
    );
    assert_eq!(
        s.slice(rs.calendar_files[1].span),
        "“calendars/cn-2027.json”"
    );
    // 补充 right after the name, and with a colon.
    let (_, rs) = ruleset("日历 新疆补充：\"a.json\"");
    assert_eq!(names(&rs.calendars), ["新疆"]);
    assert_eq!(names(&rs.calendar_files), ["a.json"]);
    // Without a quoted path 补充 is part of a name, as before.
    let (_, rs) = ruleset("日历 新疆补充");
    assert_eq!(names(&rs.calendars), ["新疆补充"]);
    assert!(rs.calendar_files.is_empty());
}

#[test]
fn ruleset_title_runs_to_space_or_brace_and_may_be_quoted() {
    // Full-width and ASCII parentheses are allowed inside a title.
    let (_, f) = parse_ok("规则集 乾安县人民政府工作规则（修订稿）{ 日历 中国法定节假日 }");
    assert_eq!(f.rulesets[0].name.node, "乾安县人民政府工作规则（修订稿）");
    let (_, f) = parse_ok("规则集 某规则(2023) { }");
    assert_eq!(f.rulesets[0].name.node, "某规则(2023)");
    let (s, f) = parse_ok("规则集 「带 空格 的规则」 { }");
    assert_eq!(f.rulesets[0].name.node, "带 空格 的规则");
    assert_eq!(s.slice(f.rulesets[0].name.span), "「带 空格 的规则」");
}

/// A heading's words run to its brace on the same line (blind writers
/// wrote `情景 R12-01 国庆 常务会议 {` in three rounds and met a bare
/// “无法理解“情景””); after `依据` a title still ends at a space.
#[test]
fn heading_with_spaces_runs_to_the_brace() {
    let (s, f) = parse_ok("情景 R15-01 国庆　常务会议  { 依据 甲 }\n规则集 某 规则 {\n}");
    assert_eq!(f.scenarios[0].name.node, "R15-01 国庆　常务会议");
    assert_eq!(s.slice(f.scenarios[0].name.span), "R15-01 国庆　常务会议");
    assert_eq!(names(&f.scenarios[0].basis), ["甲"]);
    assert_eq!(f.rulesets[0].name.node, "某 规则");
    // The brace on the next line: the heading is the first line's words.
    let (_, f) = parse_ok("情景 甲 乙\n{ 依据 丙 }");
    assert_eq!(f.scenarios[0].name.node, "甲 乙");
    // `依据 甲 乙` is still two things, not one title.
    assert!(!parse_err("情景 丙 { 依据 甲 乙 }").is_empty());
}

// ───────── 职务, 单位 ─────────

#[test]
fn position_lists_and_belongs_to() {
    let (s, rs) = ruleset(
        "职务 县长、副县长、县政府领导\n\
         职务 常务副县长 属于 副县长\n\
         职务 县长助理, 秘书长 属于 县政府领导，党组成员",
    );
    assert_eq!(rs.positions.len(), 3);
    assert_eq!(
        names(&rs.positions[0].names),
        ["县长", "副县长", "县政府领导"]
    );
    assert!(rs.positions[0].parents.is_empty());
    assert_eq!(names(&rs.positions[1].names), ["常务副县长"]);
    assert_eq!(names(&rs.positions[1].parents), ["副县长"]);
    assert_eq!(names(&rs.positions[2].names), ["县长助理", "秘书长"]);
    assert_eq!(names(&rs.positions[2].parents), ["县政府领导", "党组成员"]);
    for p in &rs.positions {
        for n in p.names.iter().chain(&p.parents) {
            assert_span(&s, n);
        }
    }
}

#[test]
fn units() {
    let (s, rs) = ruleset("单位 市委、市政府、县委\n单位：县财政局");
    assert_eq!(names(&rs.units), ["市委", "市政府", "县委", "县财政局"]);
    for u in &rs.units {
        assert_span(&s, u);
    }
}

// ───────── 会议 ─────────

#[test]
fn meeting_block_members_attendees_title() {
    let (s, rs) = ruleset(
        "会议 常务会议 { 组成 县长、副县长  列席 办公室主任、县长助理  名称 \"县政府常务会议\" }\n\
         会议 全体会议\n\
         会议 党组扩大会议 属于 常务会议 { 组成：县长 }",
    );
    assert_eq!(rs.meetings.len(), 3);
    let m = &rs.meetings[0];
    assert_eq!(m.name.node, "常务会议");
    assert_span(&s, &m.name);
    assert_eq!(names(&m.members), ["县长", "副县长"]);
    assert_eq!(names(&m.attendees), ["办公室主任", "县长助理"]);
    assert_eq!(m.title.as_ref().unwrap().node, "县政府常务会议");
    assert!(m.parent.is_none() && m.rules.is_empty());
    let bare = &rs.meetings[1];
    assert_eq!(bare.name.node, "全体会议");
    assert!(bare.members.is_empty() && bare.title.is_none());
    let child = &rs.meetings[2];
    assert_eq!(child.name.node, "党组扩大会议");
    assert_eq!(child.parent.as_ref().unwrap().node, "常务会议");
    assert_eq!(names(&child.members), ["县长"]);
}

#[test]
fn meeting_block_inside_article_becomes_rules() {
    let (s, rs) = ruleset(
        "第十条 {\n\
           原文 \"常务会议由县长召集和主持，一般每月召开一至两次。\"\n\
           会议 常务会议 {\n\
             组成 县长、副县长\n\
             召集 县长\n\
             主持 县长 或 县长委托的常务副县长\n\
             频次 一般 每月 1 至 2 次\n\
             纪要签发 原则上 会议主持人\n\
             出席人数 超过 一半\n\
           }\n\
         }",
    );
    let a = &rs.articles[0];
    assert!(a.rules.is_empty());
    assert_eq!(a.meetings.len(), 1);
    let m = &a.meetings[0];
    assert_eq!(names(&m.members), ["县长", "副县长"]);
    assert_eq!(m.rules.len(), 5);
    for r in &m.rules {
        assert_eq!(r.modality.node, Modality::Must);
        assert_eq!(r.quote, Some(0), "tied to the article's 原文");
    }
    // 召集 县长
    match &m.rules[0].body {
        RuleBody::Authority {
            actors,
            actions,
            filters,
        } => {
            assert_eq!(position_actors(actors), ["县长"]);
            assert_eq!(actions[0].node, Action::Convene);
            assert_eq!(names(&filters.kinds), ["常务会议"]);
        }
        b => panic!("{b:?}"),
    }
    assert!(m.rules[0].defeasible.is_none());
    // 主持 县长 或 县长委托的常务副县长
    match &m.rules[1].body {
        RuleBody::Authority {
            actors, actions, ..
        } => {
            assert_eq!(position_actors(actors), ["县长", "县长委托的常务副县长"]);
            assert_eq!(actions[0].node, Action::Chair);
        }
        b => panic!("{b:?}"),
    }
    // 频次 一般 每月 1 至 2 次: a defeasible frequency rule on 召开 常务会议
    let r = &m.rules[2];
    assert_eq!(r.defeasible.as_ref().unwrap().node, "一般");
    match &r.body {
        RuleBody::Frequency {
            pattern,
            period,
            count,
            group,
            ..
        } => {
            assert_eq!(verbs(pattern), [Verb::Convene]);
            assert_eq!(names(&pattern.filters.kinds), ["常务会议"]);
            assert_eq!(period.node, Period::Month);
            assert_eq!(count.node, CountRange::Between(1, 2));
            assert!(group.is_none());
        }
        b => panic!("{b:?}"),
    }
    // 纪要签发 原则上 会议主持人: 签发 纪要 依据 常务会议, by the chair
    let r = &m.rules[3];
    assert_eq!(r.defeasible.as_ref().unwrap().node, "原则上");
    match &r.body {
        RuleBody::Authority {
            actors,
            actions,
            filters,
        } => {
            assert!(matches!(&actors[..], [ActorSpec::Role(x)] if x.node == Role::MeetingChair));
            assert_eq!(actions[0].node, Action::Do(Verb::Sign));
            assert_eq!(names(&filters.kinds), ["纪要"]);
            assert_eq!(names(&filters.basis), ["常务会议"]);
        }
        b => panic!("{b:?}"),
    }
    // 出席人数 超过 一半
    match &m.rules[4].body {
        RuleBody::Quorum {
            meetings,
            comparison,
            fraction,
            ..
        } => {
            assert_eq!(names(meetings), ["常务会议"]);
            assert_eq!(comparison.node, Comparison::MoreThan);
            assert_eq!(fraction.node, (1, 2));
        }
        b => panic!("{b:?}"),
    }
    assert_span(&s, &m.name);
}

// ───────── 公文 ─────────

#[test]
fn document_blocks() {
    let (s, rs) = ruleset(
        "公文 县政府文件 { 名义 县政府  行文方向 下行 }\n\
         公文 规范性文件 属于 县政府文件 { 规范性 重要 }\n\
         公文 请示 { 名义：县政府办公室 行文方向：上行 紧急 }\n\
         公文 函 { 行文方向 平行 }\n\
         公文 简报",
    );
    let d = &rs.documents;
    assert_eq!(d.len(), 5);
    assert_eq!(d[0].name.node, "县政府文件");
    assert_span(&s, &d[0].name);
    assert_eq!(d[0].issuer.as_ref().unwrap().node, "县政府");
    assert_eq!(d[0].direction, Some(Direction::Down));
    assert!(d[0].parent.is_none() && d[0].flags.is_empty());
    assert_eq!(d[1].parent.as_ref().unwrap().node, "县政府文件");
    assert_eq!(names(&d[1].flags), ["规范性", "重要"]);
    assert_eq!(d[2].issuer.as_ref().unwrap().node, "县政府办公室");
    assert_eq!(d[2].direction, Some(Direction::Up));
    assert_eq!(names(&d[2].flags), ["紧急"]);
    assert_eq!(d[3].direction, Some(Direction::Level));
    assert_eq!(d[4].name.node, "简报");
    assert!(d[4].issuer.is_none() && d[4].direction.is_none());
}

// ───────── articles ─────────

#[test]
fn article_headers_both_forms_and_numerals() {
    let (s, rs) = ruleset(
        "条 二十二 { 原文 \"甲\" }\n\
         第二十三条 { 原文 \"乙\" }\n\
         条 24 { 原文 \"丙\" }\n\
         第25条 { 原文 \"丁\" }\n\
         第一百零五条 { 原文 \"戊\" }\n\
         条 十 { 原文 \"己\" }\n\
         条 ２７ { 原文 \"庚\" }",
    );
    let got: Vec<(u32, &str, &str)> = rs
        .articles
        .iter()
        .map(|a| {
            (
                a.number.value,
                a.number.spelling.as_str(),
                a.heading.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (22, "二十二", "条 二十二"),
            (23, "二十三", "第二十三条"),
            (24, "24", "条 24"),
            (25, "25", "第25条"),
            (105, "一百零五", "第一百零五条"),
            (10, "十", "条 十"),
            (27, "２７", "条 ２７"),
        ]
    );
    for a in &rs.articles {
        assert_eq!(s.slice(a.number.span), a.number.spelling);
    }
}

#[test]
fn bad_numeral_is_an_error() {
    let e = parse_err("规则集 甲 { 第二十二二条 { 原文 \"x\" } }");
    assert_eq!(e[0].code, code::SYNTAX_NUMERAL);
    let s = src("规则集 甲 { 第二十二二条 { 原文 \"x\" } }");
    assert_eq!(s.slice(e[0].span), "二十二二");
}

#[test]
fn quotes_in_each_style() {
    let (s, a) = article(
        "原文 “县长主持县政府全面工作。”\n\
         原文 “坚持“三重一大”集体决策制度”\n\
         原文 「副县长协助县长工作」\n\
         原文：\"ASCII 引号\"",
    );
    let q = names(&a.quotes);
    assert_eq!(
        q,
        [
            "某条文",
            "县长主持县政府全面工作。",
            "坚持“三重一大”集体决策制度",
            "副县长协助县长工作",
            "ASCII 引号",
        ]
    );
    // A text's span covers its quotes.
    assert_eq!(s.slice(a.quotes[2].span), "“坚持“三重一大”集体决策制度”");
    assert_eq!(s.slice(a.quotes[3].span), "「副县长协助县长工作」");
}

#[test]
fn rule_is_tied_to_nearest_quote_before_it() {
    let (_, rs) = ruleset(
        "第五条 {\n\
           原文 \"一\"\n\
           须 由 县长 签发 县政府文件\n\
           原文 \"二\"\n\
           须 由 副县长 签发 纪要\n\
           不得 召开 专题会议 情形 高级宾馆\n\
         }",
    );
    let a = &rs.articles[0];
    let q: Vec<Option<usize>> = a.rules.iter().map(|r| r.quote).collect();
    assert_eq!(q, [Some(0), Some(1), Some(1)]);
}

#[test]
fn unterminated_quote_is_an_error() {
    let e = parse_err("规则集 甲 { 第一条 { 原文 \"没有右引号\n } }");
    assert_eq!(e[0].code, code::SYNTAX_UNTERMINATED);
}

// ───────── rules: modality, defeasibility, exceptions ─────────

#[test]
fn each_modality() {
    for (word, m) in [
        ("须", Modality::Must),
        ("应当", Modality::Must),
        ("可", Modality::May),
    ] {
        let (s, r) = rule(&format!("{word} 由 县长 签发 县政府文件"));
        assert_eq!(r.modality.node, m, "{word}");
        assert_eq!(s.slice(r.modality.span), word);
        assert!(matches!(r.body, RuleBody::Authority { .. }));
    }
    let (s, r) = rule("不得 召开 专题会议 情形 高级宾馆");
    assert_eq!(r.modality.node, Modality::MustNot);
    assert_eq!(s.slice(r.modality.span), "不得");
    assert!(matches!(r.body, RuleBody::Prohibition { .. }));
}

#[test]
fn defeasible_words() {
    for word in ["原则上", "一般"] {
        let (s, r) = rule(&format!("{word} 须 召开 常务会议 每月 至少 2 次"));
        let d = r.defeasible.as_ref().unwrap();
        assert_eq!(d.node, word);
        assert_eq!(s.slice(d.span), word);
        assert!(r.exceptions.is_empty());
    }
    let (_, r) = rule("须 召开 常务会议 每月 至少 2 次");
    assert!(r.defeasible.is_none());
}

/// 在 T 前后 R: a response that may precede its trigger (巩留 二十三).
#[test]
fn either_side_response() {
    let (_, r) = rule("须 在 签发 纪要 依据 专题会议 情形 重大事项 前后 县长 审批");
    let RuleBody::Response {
        within,
        either_side,
        response,
        ..
    } = &r.body
    else {
        panic!("{:?}", r.body);
    };
    assert!(*either_side);
    assert!(within.is_none());
    assert_eq!(verbs(response), [Verb::Approve]);
    // 前 alone is still a 先行.
    let (_, r) = rule("须 在 签发 纪要 前 县长 审批");
    assert!(matches!(r.body, RuleBody::Precedence { .. }));
}

/// 除 向 A、B 外: addressees apart from the 情形 exceptions (伊犁 二十九).
#[test]
fn exempt_addressees() {
    let (s, r) = rule(
        "除 情形 「公开征求意见」 外 除 向 专家、社会公众 外 除 另有时限 外 须 在 征求意见、会签 后 7个工作日内 回复",
    );
    assert_eq!(names(&r.exempt_to), ["专家", "社会公众"]);
    assert_eq!(names(&r.exceptions), ["公开征求意见"]);
    assert!(r.own_deadline.is_some());
    for e in &r.exempt_to {
        assert_span(&s, e);
    }
    // 向 is not read as a 情形 name.
    let (_, r) = rule("除 向 专家 外 须 在 征求意见 后 7个工作日内 回复");
    assert!(r.exceptions.is_empty());
    assert_eq!(names(&r.exempt_to), ["专家"]);
}

#[test]
fn hard_exception() {
    let (s, r) =
        rule("除 情形 参加重要会议、紧急公务 外 须 在 县长 外出 离县 前 提前3天 向 县委 报告");
    assert_eq!(names(&r.exceptions), ["参加重要会议", "紧急公务"]);
    for e in &r.exceptions {
        assert_span(&s, e);
    }
    assert!(r.defeasible.is_none());
    assert!(matches!(r.body, RuleBody::Precedence { .. }));
    // Without 情形, with a comma, and combined with 原则上 on either side.
    let (_, r) = rule("除 参加重要会议 外， 原则上 须 在 县长 外出 前 事先 向 县委 报告");
    assert_eq!(names(&r.exceptions), ["参加重要会议"]);
    assert_eq!(r.defeasible.unwrap().node, "原则上");
    let (_, r) = rule("一般 除 情形 防汛 外 须 在 县长 外出 前 事先 向 县委 报告");
    assert_eq!(names(&r.exceptions), ["防汛"]);
    assert_eq!(r.defeasible.unwrap().node, "一般");
}

// ───────── bodies ─────────

#[test]
fn response_body() {
    let (s, r) = rule("原则上 须 在 召开 全体会议、常务会议 后 7个工作日内 印发 决定印发的公文");
    let RuleBody::Response {
        trigger,
        within,
        response,
        either_side: false,
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(verbs(trigger), [Verb::Convene]);
    assert_eq!(names(&trigger.filters.kinds), ["全体会议", "常务会议"]);
    assert!(trigger.actor.is_empty());
    let within = within.as_ref().expect("a number of days");
    assert_eq!(within.amount.value, 7);
    assert_eq!(within.unit, TimeUnit::WorkingDay);
    assert_eq!(s.slice(within.span), "7个工作日内");
    assert_eq!(verbs(response), [Verb::Issue]);
    assert!(response.filters.decided);
    assert!(response.filters.kinds.is_empty());
    assert_eq!(s.slice(trigger.span), "召开 全体会议、常务会议");

    // Minutes after a meeting; replies after a consultation with actor and verb alternatives.
    let (_, r) = rule("须 在 召开 常务会议 后 3日内 签发 纪要");
    let RuleBody::Response {
        response, within, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(names(&response.filters.kinds), ["纪要"]);
    let within = within.as_ref().expect("a number of days");
    assert_eq!((within.amount.value, within.unit), (3, TimeUnit::Day));
    // 及时: no number of days, also written without spaces.
    for text in ["须 在 印发 纪要 后 及时 报备", "须在印发纪要后及时报备"] {
        let (_, r) = rule(text);
        let RuleBody::Response {
            within, response, ..
        } = &r.body
        else {
            panic!("{text}: {:?}", r.body)
        };
        assert!(within.is_none(), "{text}");
        assert_eq!(verbs(response), [Verb::File], "{text}");
    }
    let (_, r) = rule("须 在 县发改局 征求意见 后 5个工作日内 回复或回应");
    let RuleBody::Response {
        trigger, response, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(position_actors(&trigger.actor), ["县发改局"]);
    assert_eq!(verbs(trigger), [Verb::Consult]);
    assert_eq!(verbs(response), [Verb::Reply, Verb::Respond]);
}

#[test]
fn durations() {
    for (text, amount, unit, spelling) in [
        ("7个工作日", 7, TimeUnit::WorkingDay, "7"),
        ("七个工作日", 7, TimeUnit::WorkingDay, "七"),
        ("7个工作日内", 7, TimeUnit::WorkingDay, "7"),
        ("十五个工作日内", 15, TimeUnit::WorkingDay, "十五"),
        ("30日", 30, TimeUnit::Day, "30"),
        ("30日内", 30, TimeUnit::Day, "30"),
        ("三十日内", 30, TimeUnit::Day, "三十"),
        ("3天", 3, TimeUnit::Day, "3"),
        ("3天内", 3, TimeUnit::Day, "3"),
        ("7 个工作日 内", 7, TimeUnit::WorkingDay, "7"),
    ] {
        let (s, r) = rule(&format!("须 在 召开 常务会议 后 {text} 签发 纪要"));
        let RuleBody::Response { within, .. } = &r.body else {
            panic!("{text}: {:?}", r.body)
        };
        let within = within.as_ref().expect("a number of days");
        assert_eq!(
            (
                within.amount.value,
                within.unit,
                within.amount.spelling.as_str()
            ),
            (amount, unit, spelling),
            "{text}"
        );
        assert_eq!(s.slice(within.span), text, "{text}");
    }
}

/// `向 参会的 X`: each holder of X at the meeting, a target of its own
/// (written with or without a space after 参会的), next to a pattern's
/// delegate actor `X离州期间委托的Y`.
#[test]
fn attending_target_and_delegate_actor_in_patterns() {
    for text in [
        "应当 在 召开 常务会议 前 事先 向 参会的 县政府领导 印发 会议文件",
        "应当 在 召开 常务会议 前 事先 向 参会的县政府领导 印发 会议文件",
    ] {
        let (_, r) = rule(text);
        let RuleBody::Precedence { precedent, .. } = &r.body else {
            panic!("{text}: {:?}", r.body)
        };
        assert_eq!(
            target_names(&precedent.filters.targets),
            ["参会的县政府领导"],
            "{text}"
        );
    }
    let (_, r) = rule("应当 在 报送 请示 后 及时 州长、州长离州期间委托的常务副州长 审批");
    let RuleBody::Response { response, .. } = &r.body else {
        panic!("{:?}", r.body)
    };
    assert_eq!(
        position_actors(&response.actor),
        ["州长", "州长委托的常务副州长"]
    );
}

#[test]
fn precedence_body_with_each_lead() {
    let (s, r) = rule("应当 在 副县长 外出 离县 前 事先 向 县长 请假");
    let RuleBody::Precedence {
        trigger,
        lead,
        precedent,
        ..
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(position_actors(&trigger.actor), ["副县长"]);
    assert_eq!(verbs(trigger), [Verb::Trip]);
    assert!(trigger.filters.leaves_county);
    let Lead::Beforehand(sp) = lead else {
        panic!("{lead:?}")
    };
    assert_eq!(s.slice(*sp), "事先");
    assert_eq!(verbs(precedent), [Verb::Leave]);
    assert_eq!(target_names(&precedent.filters.targets), ["县长"]);
    assert!(precedent.actor.is_empty());

    let (_, r) = rule("须 在 县长 外出 离县 前 提前3天 向 市委、市政府、县委 报告");
    let RuleBody::Precedence {
        lead, precedent, ..
    } = &r.body
    else {
        panic!()
    };
    let Lead::AtLeast(d) = lead else {
        panic!("{lead:?}")
    };
    assert_eq!((d.amount.value, d.unit), (3, TimeUnit::Day));
    assert_eq!(
        target_names(&precedent.filters.targets),
        ["市委", "市政府", "县委"]
    );
    assert_eq!(verbs(precedent), [Verb::Report]);

    // 提前 三个工作日, and no lead at all.
    let (_, r) = rule("须 在 印发 规范性文件 前 提前 三个工作日 审核 规范性文件");
    let RuleBody::Precedence { lead, trigger, .. } = &r.body else {
        panic!()
    };
    assert!(
        matches!(lead, Lead::AtLeast(d) if d.amount.value == 3 && d.unit == TimeUnit::WorkingDay)
    );
    assert_eq!(names(&trigger.filters.kinds), ["规范性文件"]);
    let (_, r) = rule("须 在 印发 规范性文件 前 会签 规范性文件");
    let RuleBody::Precedence {
        lead, precedent, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(*lead, Lead::None);
    assert_eq!(verbs(precedent), [Verb::CoSign]);

    // A chair as target.
    let (_, r) = rule("须 在 缺席 常务会议 前 事先 向 会议主持人 请假");
    let RuleBody::Precedence {
        trigger, precedent, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(verbs(trigger), [Verb::Absent]);
    assert_eq!(target_names(&precedent.filters.targets), ["MeetingChair"]);
}

#[test]
fn authority_body_alternatives_delegation_roles() {
    let (s, r) = rule("须 由 县长 或 县长委托的常务副县长 召集、主持 常务会议");
    let RuleBody::Authority {
        actors,
        actions,
        filters,
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(position_actors(actors), ["县长", "县长委托的常务副县长"]);
    let ActorSpec::Delegated {
        principal,
        delegate,
        ..
    } = &actors[1]
    else {
        panic!()
    };
    assert_span(&s, principal);
    assert_span(&s, delegate);
    assert_eq!(
        actions.iter().map(|a| a.node).collect::<Vec<_>>(),
        [Action::Convene, Action::Chair]
    );
    assert_eq!(names(&filters.kinds), ["常务会议"]);

    // 、 as alternative, 和 between actions.
    let (_, r) = rule("须 由 县长、副县长 召集和主持 全体会议");
    let RuleBody::Authority {
        actors, actions, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(position_actors(actors), ["县长", "副县长"]);
    assert_eq!(actions.len(), 2);

    // Roles.
    for (word, role) in [
        ("会议主持人", Role::MeetingChair),
        ("会议召集人", Role::MeetingConvener),
        ("分管领导", Role::AreaLeader),
        ("个人", Role::Individual),
    ] {
        let (s, r) = rule(&format!("须 由 {word} 签发 纪要 依据 常务会议"));
        let RuleBody::Authority {
            actors,
            actions,
            filters,
        } = &r.body
        else {
            panic!()
        };
        let [ActorSpec::Role(x)] = &actors[..] else {
            panic!("{word}: {actors:?}")
        };
        assert_eq!(x.node, role);
        assert_eq!(s.slice(x.span), word);
        assert_eq!(actions[0].node, Action::Do(Verb::Sign));
        assert_eq!(names(&filters.kinds), ["纪要"]);
        assert_eq!(names(&filters.basis), ["常务会议"]);
    }

    // Role mixed with a position, and filters 情形.
    let (_, r) = rule("须 由 县长 或 分管领导 签发 县政府文件 情形 重大事项");
    let RuleBody::Authority {
        actors, filters, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(position_actors(actors), ["县长", "AreaLeader"]);
    assert_eq!(names(&filters.tags), ["重大事项"]);
}
#[test]
fn frequency_count_forms() {
    for (text, want) in [
        ("2", CountRange::Exactly(2)),
        ("二", CountRange::Exactly(2)),
        ("1 至 2", CountRange::Between(1, 2)),
        ("1到2", CountRange::Between(1, 2)),
        ("一至两", CountRange::Between(1, 2)),
        ("至少 2", CountRange::AtLeast(2)),
        ("不少于 2", CountRange::AtLeast(2)),
        ("不超过 3", CountRange::AtMost(3)),
        ("超过 1", CountRange::MoreThan(1)),
    ] {
        let (s, r) = rule(&format!("须 召开 常务会议 每月 {text} 次"));
        let RuleBody::Frequency {
            pattern,
            count,
            period,
            group,
            ..
        } = &r.body
        else {
            panic!("{text}: {:?}", r.body)
        };
        assert_eq!(count.node, want, "{text}");
        assert_eq!(s.slice(count.span), text, "{text}");
        assert_eq!(period.node, Period::Month);
        assert_eq!(verbs(pattern), [Verb::Convene]);
        assert_eq!(names(&pattern.filters.kinds), ["常务会议"]);
        assert!(group.is_none());
    }
}

#[test]
fn frequency_periods_and_grouping() {
    for (word, want) in [
        ("每周", Period::Week),
        ("每月", Period::Month),
        ("每季度", Period::Quarter),
        ("每半年", Period::HalfYear),
        ("每年", Period::Year),
    ] {
        let (s, r) = rule(&format!("须 召开 常务会议 {word} 至少 1 次"));
        let RuleBody::Frequency { period, .. } = &r.body else {
            panic!("{word}")
        };
        assert_eq!(period.node, want, "{word}");
        assert_eq!(s.slice(period.span), word);
    }
    for (word, want) in [
        ("人员", Grouping::Person),
        ("召集人", Grouping::Convener),
        ("主持人", Grouping::Chair),
    ] {
        let (_, r) = rule(&format!("须 副县长 调研 每月 至少 2 次 按 {word}"));
        let RuleBody::Frequency { pattern, group, .. } = &r.body else {
            panic!("{word}")
        };
        assert_eq!(group.as_ref().unwrap().node, want, "{word}");
        assert_eq!(position_actors(&pattern.actor), ["副县长"]);
        assert_eq!(verbs(pattern), [Verb::Survey]);
    }
    // 不得 … 每年 超过 1 次
    let (_, r) = rule("不得 召开 全体会议 每年 超过 1 次");
    assert_eq!(r.modality.node, Modality::MustNot);
    let RuleBody::Frequency { count, period, .. } = &r.body else {
        panic!()
    };
    assert_eq!(
        (count.node, period.node),
        (CountRange::MoreThan(1), Period::Year)
    );
}

#[test]
fn quorum_forms() {
    for (text, cmp, frac) in [
        ("超过 一半", Comparison::MoreThan, (1, 2)),
        ("超过 半数", Comparison::MoreThan, (1, 2)),
        ("不少于 三分之二", Comparison::AtLeast, (2, 3)),
        ("不少于 2/3", Comparison::AtLeast, (2, 3)),
        ("达到 四分之三", Comparison::AtLeast, (3, 4)),
    ] {
        let (s, r) = rule(&format!("须 召开 全体会议、常务会议 出席 {text}"));
        let RuleBody::Quorum {
            meetings,
            comparison,
            fraction,
            ..
        } = &r.body
        else {
            panic!("{text}: {:?}", r.body)
        };
        assert_eq!(names(meetings), ["全体会议", "常务会议"]);
        assert_eq!((comparison.node, fraction.node), (cmp, frac), "{text}");
        let frac_text = text.split_whitespace().nth(1).unwrap();
        assert_eq!(s.slice(fraction.span), frac_text);
    }
    // 出席人数 also reads.
    let (_, r) = rule("须 召开 常务会议 出席人数 超过 一半");
    assert!(matches!(r.body, RuleBody::Quorum { .. }));
}

#[test]
fn prohibition_forms() {
    let (s, r) = rule("不得 召开 专题会议 情形 风景名胜区、高级宾馆");
    let RuleBody::Prohibition { pattern } = &r.body else {
        panic!("{:?}", r.body)
    };
    assert_eq!(verbs(pattern), [Verb::Convene]);
    assert_eq!(names(&pattern.filters.kinds), ["专题会议"]);
    assert_eq!(names(&pattern.filters.tags), ["风景名胜区", "高级宾馆"]);
    for t in &pattern.filters.tags {
        assert_span(&s, t);
    }

    let (_, r) = rule("不得 向 个人 报送 县政府文件");
    let RuleBody::Prohibition { pattern } = &r.body else {
        panic!()
    };
    assert_eq!(target_names(&pattern.filters.targets), ["Individual"]);
    assert_eq!(verbs(pattern), [Verb::Submit]);
    assert_eq!(names(&pattern.filters.kinds), ["县政府文件"]);

    let (_, r) = rule("不得 副县长 外出 离县 情形 汛期");
    let RuleBody::Prohibition { pattern } = &r.body else {
        panic!()
    };
    assert_eq!(position_actors(&pattern.actor), ["副县长"]);
    assert_eq!(verbs(pattern), [Verb::Trip]);
    assert!(pattern.filters.leaves_county);
    assert_eq!(names(&pattern.filters.tags), ["汛期"]);

    // Verb alternatives with 、 and 或.
    let (_, r) = rule("不得 出差、出访或休假 离县");
    let RuleBody::Prohibition { pattern } = &r.body else {
        panic!()
    };
    assert_eq!(
        verbs(pattern),
        [Verb::BusinessTrip, Verb::Visit, Verb::Vacation]
    );
}

#[test]
fn every_verb_parses_in_a_pattern_and_an_event() {
    for (v, word) in Verb::ALL {
        let (_, r) = rule(&format!("不得 {word} 情形 某事"));
        let RuleBody::Prohibition { pattern } = &r.body else {
            panic!("{word}")
        };
        assert_eq!(verbs(pattern), [*v], "{word}");
        let (s, e) = event(&format!("2023-09-25 王某 {word} \"某事\""));
        assert_eq!(e.verb.node, *v, "{word}");
        assert_eq!(s.slice(e.verb.span), *word);
        assert_eq!(e.actor.unwrap().node, "王某", "{word}");
    }
}

// ───────── scenarios ─────────

#[test]
fn scenario_header_people_units() {
    let (s, sc) = scenario(
        "依据 乾安县人民政府工作规则（修订稿）\n\
         截至 2023-12-31\n\
         期间 2023-09-01 至 2023-09-30\n\
         人员 王某 任 县长\n\
         人员 李某 任 常务副县长、党组成员 分管 财政、教育\n\
         单位 县财政局、县教育局",
    );
    assert_eq!(sc.name.node, "测试情景");
    assert_eq!(names(&sc.basis), ["乾安县人民政府工作规则（修订稿）"]);
    assert_span(&s, &sc.basis[0]);
    assert_eq!(sc.cutoff.as_ref().unwrap().node, date("2023-12-31"));
    let (a, b) = sc.window.as_ref().unwrap();
    assert_eq!((a.node, b.node), (date("2023-09-01"), date("2023-09-30")));
    assert_eq!(sc.people.len(), 2);
    assert_eq!(sc.people[0].name.node, "王某");
    assert_span(&s, &sc.people[0].name);
    assert_eq!(names(&sc.people[0].positions), ["县长"]);
    assert!(sc.people[0].areas.is_empty());
    assert_eq!(names(&sc.people[1].positions), ["常务副县长", "党组成员"]);
    assert_eq!(names(&sc.people[1].areas), ["财政", "教育"]);
    for n in sc.people[1].positions.iter().chain(&sc.people[1].areas) {
        assert_span(&s, n);
    }
    assert_eq!(names(&sc.units), ["县财政局", "县教育局"]);

    // 期间 … 到 …, 截至 in 年月日.
    let (_, sc) = scenario("截至 2023年12月31日\n期间 2023-01-01 到 2023-06-30");
    assert_eq!(sc.cutoff.unwrap().node, date("2023-12-31"));
    assert_eq!(sc.window.unwrap().1.node, date("2023-06-30"));
}

#[test]
fn delegations_with_and_without_date_and_period() {
    let (s, sc) = scenario(
        "2023-09-30 王某 委托 李某 代行 召集、主持 常务会议 自 2023-10-01 至 2023-10-31\n\
         王某 委托 李某 代行 全面工作\n\
         2023-11-01 王某 委托 赵某 代行 签发 县政府文件\n\
         王某 委托 钱某 代行 主持 全体会议 自 2023-12-01 至 2023-12-05",
    );
    let d = &sc.delegations;
    assert_eq!(d.len(), 4);
    assert!(sc.events.is_empty());

    assert_eq!(d[0].date.as_ref().unwrap().node, date("2023-09-30"));
    assert_eq!(
        (d[0].from.node.as_str(), d[0].to.node.as_str()),
        ("王某", "李某")
    );
    assert_span(&s, &d[0].from);
    assert_span(&s, &d[0].to);
    assert_eq!(
        d[0].actions.iter().map(|a| a.node).collect::<Vec<_>>(),
        [Action::Convene, Action::Chair]
    );
    assert_eq!(names(&d[0].kinds), ["常务会议"]);
    let (a, b) = d[0].period.as_ref().unwrap();
    assert_eq!((a.node, b.node), (date("2023-10-01"), date("2023-10-31")));

    // 全面工作: empty actions, no date, no period.
    assert!(d[1].date.is_none() && d[1].period.is_none());
    assert!(d[1].actions.is_empty() && d[1].kinds.is_empty());
    assert!(s.slice(d[1].span).ends_with("全面工作"));

    assert_eq!(d[2].date.as_ref().unwrap().node, date("2023-11-01"));
    assert_eq!(d[2].actions[0].node, Action::Do(Verb::Sign));
    assert_eq!(names(&d[2].kinds), ["县政府文件"]);
    assert!(d[2].period.is_none());

    assert!(d[3].date.is_none());
    assert_eq!(d[3].actions[0].node, Action::Chair);
    assert_eq!(d[3].period.as_ref().unwrap().1.node, date("2023-12-05"));
}

#[test]
fn meeting_event_attributes() {
    let (s, e) = event(
        "2023-09-25 召开 常务会议 \"第13次常务会议\" 召集 王某 主持 李某 出席 王某、李某 缺席 赵某 \
         列席 钱某、孙某 地点 \"县政府三楼会议室\" 决定印发 \"关于甲的通知\"、\"关于乙的通知\" 应到 5 人 实到 4人",
    );
    assert_eq!(e.date.node, date("2023-09-25"));
    assert_eq!(s.slice(e.date.span), "2023-09-25");
    assert_eq!(e.verb.node, Verb::Convene);
    assert!(e.actor.is_none());
    assert_eq!(e.kind.as_ref().unwrap().node, "常务会议");
    assert_span(&s, e.kind.as_ref().unwrap());
    assert_eq!(e.object.as_ref().unwrap().node, "第13次常务会议");
    assert_eq!(
        s.slice(e.object.as_ref().unwrap().span),
        "\"第13次常务会议\""
    );
    assert_eq!(e.convener.as_ref().unwrap().node, "王某");
    assert_eq!(e.chair.as_ref().unwrap().node, "李某");
    assert_span(&s, e.chair.as_ref().unwrap());
    assert_eq!(names(&e.present), ["王某", "李某"]);
    assert_eq!(names(&e.absent), ["赵某"]);
    assert_eq!(names(&e.attendees), ["钱某", "孙某"]);
    assert_eq!(e.place.as_ref().unwrap().node, "县政府三楼会议室");
    assert_eq!(names(&e.decided), ["关于甲的通知", "关于乙的通知"]);
    assert_eq!(e.expected_count.as_ref().unwrap().value, 5);
    assert_eq!(e.present_count.as_ref().unwrap().value, 4);
    assert!(s.slice(e.span).starts_with("2023-09-25") && s.slice(e.span).ends_with("实到 4人"));

    // 地点 as a bare name, 情形 list, Chinese numerals for 应到/实到.
    let (_, e) = event(
        "2023-10-22 召开 专题会议 \"x\" 主持 李某 地点 某宾馆 情形 高级宾馆、风景名胜区 应到 九 实到 五",
    );
    assert_eq!(e.place.unwrap().node, "某宾馆");
    assert_eq!(names(&e.tags), ["高级宾馆", "风景名胜区"]);
    assert_eq!(e.expected_count.unwrap().value, 9);
    assert_eq!(e.present_count.unwrap().value, 5);
}

#[test]
fn leave_trip_and_document_event_attributes() {
    let (s, e) = event("2023-09-20 赵某 向 王某 请假 自 2023-09-25 至 2023-09-27 事由 \"出差\"");
    assert_eq!(e.actor.as_ref().unwrap().node, "赵某");
    assert_span(&s, e.actor.as_ref().unwrap());
    assert_eq!(names(&e.targets), ["王某"]);
    assert_eq!(e.verb.node, Verb::Leave);
    let (a, b) = e.period.as_ref().unwrap();
    assert_eq!((a.node, b.node), (date("2023-09-25"), date("2023-09-27")));
    assert_eq!(e.reason.as_ref().unwrap().node, "出差");

    let (_, e) = event("2023-09-25 赵某 出差 离县 自 2023-09-25 到 2023-09-27");
    assert_eq!(e.verb.node, Verb::BusinessTrip);
    assert!(e.leaves_county);
    assert!(e.kind.is_none());
    assert_eq!(e.period.unwrap().1.node, date("2023-09-27"));

    let (_, e) = event("2023-10-05 王某 签发 县政府文件 \"乾政发〔2023〕5号\" 领域 财政");
    assert_eq!(e.verb.node, Verb::Sign);
    assert_eq!(e.kind.unwrap().node, "县政府文件");
    assert_eq!(e.object.unwrap().node, "乾政发〔2023〕5号");
    assert_eq!(e.area.unwrap().node, "财政");

    // 发往 after the object; 向 before the verb.
    let (_, e) = event("2023-10-05 县发改局 征求意见 \"某稿\" 发往 县财政局、县教育局");
    assert_eq!(e.actor.unwrap().node, "县发改局");
    assert_eq!(e.verb.node, Verb::Consult);
    assert_eq!(names(&e.targets), ["县财政局", "县教育局"]);
    let (_, e) = event("2023-10-05 县发改局 发往 县财政局 征求意见 \"某稿\"");
    assert_eq!(names(&e.targets), ["县财政局"]);
    let (_, e) = event("2023-10-06 县长 向 市委、市政府 报告 \"某事\"");
    assert_eq!(names(&e.targets), ["市委", "市政府"]);

    // Minutes with 依据.
    let (_, e) = event("2023-10-20 王某 签发 纪要 \"第13次常务会议纪要\" 依据 \"第13次常务会议\"");
    assert_eq!(e.kind.unwrap().node, "纪要");
    assert_eq!(e.basis.unwrap().node, "第13次常务会议");

    // 由 (actor after the verb), 特殊情况, 经 … 批准.
    let (s, e) = event("2023-10-21 印发 \"某文\" 由 县发改局 特殊情况 \"防汛紧急部署\"");
    assert_eq!(e.actor.as_ref().unwrap().node, "县发改局");
    assert_span(&s, e.actor.as_ref().unwrap());
    assert_eq!(e.special.unwrap().node, "防汛紧急部署");
    assert!(e.approved_by.is_none());
    let (s, e) = event("2023-10-21 县发改局 印发 \"某文\" 经 王某 批准");
    let ap = e.approved_by.as_ref().unwrap();
    assert_eq!(ap.node, "王某");
    assert_span(&s, ap);
    assert!(e.special.is_none());

    // Absence as its own event, with a meeting kind.
    let (_, e) = event("2023-09-25 赵某 缺席 常务会议 \"第13次常务会议\"");
    assert_eq!(e.verb.node, Verb::Absent);
    assert_eq!(e.kind.unwrap().node, "常务会议");
}

#[test]
fn actor_written_twice_is_an_error() {
    let e = parse_err("情景 甲 { 2023-10-21 县发改局 印发 \"某文\" 由 县财政局 }");
    assert_eq!(e[0].code, code::SCENARIO_EVENT);
}

#[test]
fn dates_in_each_form() {
    for text in [
        "2023-09-25",
        "2023年9月25日",
        "2023年09月25号",
        "2023/9/25",
        "2023.09.25",
    ] {
        let (s, e) = event(&format!("{text} 王某 签发 \"x\""));
        assert_eq!(e.date.node, date("2023-09-25"), "{text}");
        assert_eq!(s.slice(e.date.span), text);
    }
    let e = parse_err("情景 甲 { 2023-02-30 王某 签发 \"x\" }");
    assert_eq!(e[0].code, code::SYNTAX_DATE);
    assert!(e[0].label.contains("28"), "{}", e[0].label);
}

#[test]
fn expectations() {
    let (s, sc) = scenario(
        "预期 违反 第五十七条、六十一\n\
         预期 例外 57\n\
         预期：待定 五十七，第62条\n\
         预期 符合",
    );
    let ex = &sc.expectations;
    assert_eq!(ex.len(), 4);
    assert!(ex.iter().all(|e| e.ruleset.is_none()));
    let ExpectationKind::Set {
        verdict, articles, ..
    } = &ex[0].kind
    else {
        panic!("{:?}", ex[0])
    };
    assert_eq!(*verdict, ExpectedVerdict::Violated);
    let got: Vec<(u32, &str)> = articles
        .iter()
        .map(|a| (a.value, a.spelling.as_str()))
        .collect();
    assert_eq!(got, [(57, "五十七"), (61, "六十一")]);
    assert_eq!(s.slice(articles[0].span), "五十七");
    let ExpectationKind::Set {
        verdict, articles, ..
    } = &ex[1].kind
    else {
        panic!()
    };
    assert_eq!(
        (*verdict, articles[0].value),
        (ExpectedVerdict::Excepted, 57)
    );
    let ExpectationKind::Set {
        verdict, articles, ..
    } = &ex[2].kind
    else {
        panic!()
    };
    assert_eq!(*verdict, ExpectedVerdict::Pending);
    assert_eq!(
        articles.iter().map(|a| a.value).collect::<Vec<_>>(),
        [57, 62]
    );
    let ExpectationKind::Complies(sp) = &ex[3].kind else {
        panic!()
    };
    assert_eq!(s.slice(*sp), "预期 符合");
}

#[test]
fn several_rulesets_and_qualified_expectations() {
    let (s, sc) = scenario(
        "依据 乾安县人民政府工作规则、瓜州县人民政府工作规则\n\
         预期 依据 瓜州县人民政府工作规则 违反 第二十二条\n\
         预期 依据 乾安县人民政府工作规则 符合",
    );
    assert_eq!(
        names(&sc.basis),
        ["乾安县人民政府工作规则", "瓜州县人民政府工作规则"]
    );
    for b in &sc.basis {
        assert_span(&s, b);
    }
    let e = &sc.expectations[0];
    assert_eq!(e.ruleset.as_ref().unwrap().node, "瓜州县人民政府工作规则");
    let ExpectationKind::Set {
        verdict, articles, ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (*verdict, articles[0].value),
        (ExpectedVerdict::Violated, 22)
    );
    let e = &sc.expectations[1];
    assert_eq!(e.ruleset.as_ref().unwrap().node, "乾安县人民政府工作规则");
    assert!(matches!(e.kind, ExpectationKind::Complies(_)));
}

// ───────── lexical ─────────

#[test]
fn comments_of_each_kind() {
    let (s, f) = parse_ok(
        "// 文件开头的注释\n\
         # 井号注释\n\
         /* 块注释\n   跨行 */\n\
         规则集 甲 { // 行尾注释\n\
           职务 县长 /* 行内块注释 */ 、副县长 # 行尾井号\n\
           第一条 {\n\
             原文 \"x // 引号内不是注释\"\n\
             须 由 县长 签发 纪要 // 说明\n\
           }\n\
         }\n\
         情景 乙 {\n\
           人员 王某 任 县长 # 说明\n\
           2023-10-05 王某 签发 纪要 \"x\" // 事件后的注释\n\
         }",
    );
    let rs = &f.rulesets[0];
    assert_eq!(names(&rs.positions[0].names), ["县长", "副县长"]);
    assert_eq!(rs.articles[0].quotes[0].node, "x // 引号内不是注释");
    assert_eq!(rs.articles[0].rules.len(), 1);
    let sc = &f.scenarios[0];
    assert_eq!(sc.people[0].name.node, "王某");
    assert_eq!(sc.events[0].object.as_ref().unwrap().node, "x");
    assert_eq!(
        s.slice(rs.articles[0].quotes[0].span),
        "\"x // 引号内不是注释\""
    );
}

/// A comment at the end of a statement's line must not be part of the
/// statement's span (the report quotes the event from its span).
#[test]

fn trailing_comment_not_in_statement_span() {
    let (s, r) = rule("须 由 县长 签发 纪要 // 说明");
    assert_eq!(s.slice(r.span), "须 由 县长 签发 纪要");
    let (s, sc) = scenario(
        "人员 王某 任 县长 // 说明\n\
         2023-10-05 王某 签发 纪要 \"x\" // 事件后的注释\n\
         2023-10-06 王某 签发 纪要 \"y\" # 井号注释",
    );
    assert_eq!(s.slice(sc.people[0].span), "人员 王某 任 县长");
    assert_eq!(
        s.slice(sc.events[0].span),
        "2023-10-05 王某 签发 纪要 \"x\""
    );
    assert_eq!(
        s.slice(sc.events[1].span),
        "2023-10-06 王某 签发 纪要 \"y\""
    );
}

/// 依据 is a title running to whitespace, so a statement end written right
/// after it (依据：甲；) becomes part of the ruleset name.
#[test]

fn basis_title_stops_at_statement_end() {
    let (_, sc) = scenario("依据：甲；\n人员 王某 任 县长");
    assert_eq!(names(&sc.basis), ["甲"]);
    let (_, sc) = scenario("依据 甲; 人员 王某 任 县长");
    assert_eq!(names(&sc.basis), ["甲"]);
    assert_eq!(sc.people.len(), 1);
}

#[test]
fn full_width_and_ascii_punctuation() {
    let full = "规则集 甲 ｛\n\
                  日历：中国法定节假日；\n\
                  职务：县长，副县长、常务副县长；\n\
                  单位：县委，县财政局。\n\
                  会议 常务会议｛组成：县长，副县长；列席：常务副县长；｝\n\
                  第一条｛原文：“县长签发。”；须 由 县长 签发 纪要。｝\n\
                ｝\n\
                情景 乙｛依据：甲\n人员：王某 任 县长，副县长；截至：2023-12-31；｝";
    let (_, f) = parse_ok(full);
    let rs = &f.rulesets[0];
    assert_eq!(names(&rs.calendars), ["中国法定节假日"]);
    assert_eq!(
        names(&rs.positions[0].names),
        ["县长", "副县长", "常务副县长"]
    );
    assert_eq!(names(&rs.units), ["县委", "县财政局"]);
    assert_eq!(names(&rs.meetings[0].members), ["县长", "副县长"]);
    assert_eq!(names(&rs.meetings[0].attendees), ["常务副县长"]);
    assert_eq!(rs.articles[0].quotes[0].node, "县长签发。");
    assert_eq!(rs.articles[0].rules.len(), 1);
    let sc = &f.scenarios[0];
    assert_eq!(names(&sc.basis), ["甲"]);
    assert_eq!(names(&sc.people[0].positions), ["县长", "副县长"]);
    assert_eq!(sc.cutoff.as_ref().unwrap().node, date("2023-12-31"));

    let (_, g) = parse_ok(
        "规则集 甲 {\n\
           日历: 中国法定节假日;\n\
           职务: 县长,副县长、常务副县长;\n\
           单位: 县委,县财政局;\n\
           会议 常务会议{组成: 县长,副县长; 列席: 常务副县长;}\n\
           第一条{原文: \"县长签发。\"; 须 由 县长 签发 纪要;}\n\
         }\n\
         情景 乙{依据: 甲\n人员: 王某 任 县长,副县长; 截至: 2023-12-31;}",
    );
    // Same AST (spans never take part in equality).
    assert_eq!(f, g);
}

#[test]
fn ideographic_space_and_crlf_are_whitespace() {
    let (_, rs) = ruleset("职务\u{3000}县长、副县长\r\n单位 县委\r\n");
    assert_eq!(names(&rs.positions[0].names), ["县长", "副县长"]);
    assert_eq!(names(&rs.units), ["县委"]);
}

// ───────── Chinese without spaces ─────────

#[test]
fn no_spaces_position_belongs() {
    let (s, rs) = ruleset("职务县长、副县长\n职务常务副县长属于副县长");
    assert_eq!(names(&rs.positions[0].names), ["县长", "副县长"]);
    assert_eq!(names(&rs.positions[1].names), ["常务副县长"]);
    assert_eq!(names(&rs.positions[1].parents), ["副县长"]);
    assert_span(&s, &rs.positions[1].names[0]);
    assert_span(&s, &rs.positions[1].parents[0]);
}

#[test]
fn no_spaces_person() {
    let (s, sc) = scenario("人员王某任县长\n人员李某任常务副县长、党组成员分管财政、教育");
    assert_eq!(sc.people[0].name.node, "王某");
    assert_span(&s, &sc.people[0].name);
    assert_eq!(names(&sc.people[0].positions), ["县长"]);
    assert_eq!(sc.people[1].name.node, "李某");
    assert_eq!(names(&sc.people[1].positions), ["常务副县长", "党组成员"]);
    assert_eq!(names(&sc.people[1].areas), ["财政", "教育"]);
}

#[test]
fn no_spaces_authority() {
    let (s, r) = rule("须由县长或县长委托的常务副县长召集、主持常务会议");
    let RuleBody::Authority {
        actors,
        actions,
        filters,
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(position_actors(actors), ["县长", "县长委托的常务副县长"]);
    assert_eq!(
        actions.iter().map(|a| a.node).collect::<Vec<_>>(),
        [Action::Convene, Action::Chair]
    );
    assert_eq!(names(&filters.kinds), ["常务会议"]);
    let ActorSpec::Position(first) = &actors[0] else {
        panic!()
    };
    assert_span(&s, first);
    assert_eq!(first.span.start + "县长".len(), first.span.end);
}

#[test]
fn no_spaces_other_bodies() {
    let (_, r) = rule("原则上须在召开常务会议后7个工作日内印发决定印发的公文");
    let RuleBody::Response {
        trigger,
        within,
        response,
        either_side: false,
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(names(&trigger.filters.kinds), ["常务会议"]);
    let within = within.as_ref().expect("a number of days");
    assert_eq!(
        (within.amount.value, within.unit),
        (7, TimeUnit::WorkingDay)
    );
    assert!(response.filters.decided);
    assert_eq!(r.defeasible.unwrap().node, "原则上");

    let (_, r) = rule("须在召开常务会议后七个工作日内签发纪要");
    let RuleBody::Response {
        within, response, ..
    } = &r.body
    else {
        panic!()
    };
    assert_eq!(within.as_ref().map(|w| w.amount.value), Some(7));
    assert_eq!(names(&response.filters.kinds), ["纪要"]);

    let (_, r) = rule("应当在副县长外出离县前事先向 县长请假");
    let RuleBody::Precedence {
        trigger,
        lead,
        precedent,
        ..
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(position_actors(&trigger.actor), ["副县长"]);
    assert!(trigger.filters.leaves_county);
    assert!(matches!(lead, Lead::Beforehand(_)));
    assert_eq!(target_names(&precedent.filters.targets), ["县长"]);

    let (_, r) = rule("除情形参加重要会议外须在县长外出离县前提前3天向 县委报告");
    assert_eq!(names(&r.exceptions), ["参加重要会议"]);
    let RuleBody::Precedence {
        lead, precedent, ..
    } = &r.body
    else {
        panic!()
    };
    assert!(matches!(lead, Lead::AtLeast(d) if d.amount.value == 3));
    assert_eq!(target_names(&precedent.filters.targets), ["县委"]);

    let (_, r) = rule("一般须召开常务会议每月至少2次");
    let RuleBody::Frequency {
        pattern,
        period,
        count,
        ..
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(names(&pattern.filters.kinds), ["常务会议"]);
    assert_eq!(
        (period.node, count.node),
        (Period::Month, CountRange::AtLeast(2))
    );

    let (_, r) = rule("须副县长调研每季度1至2次按人员");
    let RuleBody::Frequency {
        pattern,
        period,
        count,
        group,
        ..
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(position_actors(&pattern.actor), ["副县长"]);
    assert_eq!(
        (period.node, count.node),
        (Period::Quarter, CountRange::Between(1, 2))
    );
    assert_eq!(group.as_ref().unwrap().node, Grouping::Person);

    let (_, r) = rule("须召开常务会议出席超过一半");
    let RuleBody::Quorum {
        meetings, fraction, ..
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(names(meetings), ["常务会议"]);
    assert_eq!(fraction.node, (1, 2));

    let (_, r) = rule("不得召开专题会议情形风景名胜区、高级宾馆");
    let RuleBody::Prohibition { pattern } = &r.body else {
        panic!("{:?}", r.body)
    };
    assert_eq!(names(&pattern.filters.kinds), ["专题会议"]);
    assert_eq!(names(&pattern.filters.tags), ["风景名胜区", "高级宾馆"]);

    let (_, r) = rule("须由会议主持人签发纪要依据常务会议");
    let RuleBody::Authority {
        actors, filters, ..
    } = &r.body
    else {
        panic!()
    };
    assert!(matches!(&actors[..], [ActorSpec::Role(x)] if x.node == Role::MeetingChair));
    assert_eq!(names(&filters.kinds), ["纪要"]);
    assert_eq!(names(&filters.basis), ["常务会议"]);
}

#[test]
fn no_spaces_meeting_event() {
    let (s, e) = event("2023-09-25召开常务会议\"第1次\"召集王某主持王某");
    assert_eq!(e.date.node, date("2023-09-25"));
    assert_eq!(e.verb.node, Verb::Convene);
    assert_eq!(e.kind.as_ref().unwrap().node, "常务会议");
    assert_span(&s, e.kind.as_ref().unwrap());
    assert_eq!(e.object.as_ref().unwrap().node, "第1次");
    let (c, h) = (e.convener.as_ref().unwrap(), e.chair.as_ref().unwrap());
    assert_eq!((c.node.as_str(), h.node.as_str()), ("王某", "王某"));
    assert_span(&s, c);
    assert_span(&s, h);
    assert!(c.span.end < h.span.start);

    let (_, e) =
        event("2023-09-25召开常务会议\"第2次\"出席王某、李某缺席赵某决定印发\"关于甲的通知\"");
    assert_eq!(names(&e.present), ["王某", "李某"]);
    assert_eq!(names(&e.absent), ["赵某"]);
    assert_eq!(names(&e.decided), ["关于甲的通知"]);
}

#[test]
fn no_spaces_other_scenario_statements() {
    let (_, sc) = scenario(
        "依据 甲\n\
         2023-09-30王某委托李某代行召集、主持常务会议自2023-10-01至2023-10-31\n\
         2023-09-25赵某出差离县自2023-09-25至2023-09-27\n\
         2023-10-05王某签发县政府文件\"乾政发〔2023〕5号\"领域财政\n\
         预期违反五十七",
    );
    let d = &sc.delegations[0];
    assert_eq!((d.from.node.as_str(), d.to.node.as_str()), ("王某", "李某"));
    assert_eq!(names(&d.kinds), ["常务会议"]);
    assert_eq!(d.period.as_ref().unwrap().0.node, date("2023-10-01"));
    let e = &sc.events[0];
    assert_eq!(e.actor.as_ref().unwrap().node, "赵某");
    assert_eq!(e.verb.node, Verb::BusinessTrip);
    assert!(e.leaves_county);
    assert_eq!(e.period.as_ref().unwrap().1.node, date("2023-09-27"));
    let e = &sc.events[1];
    assert_eq!(e.actor.as_ref().unwrap().node, "王某");
    assert_eq!(e.kind.as_ref().unwrap().node, "县政府文件");
    assert_eq!(e.area.as_ref().unwrap().node, "财政");
    let ExpectationKind::Set {
        verdict, articles, ..
    } = &sc.expectations[0].kind
    else {
        panic!()
    };
    assert_eq!(
        (*verdict, articles[0].value),
        (ExpectedVerdict::Violated, 57)
    );
}

// ───────── documented limitations ─────────

/// `向县长` with no space is one name (the documented limitation); with a
/// space it is a target.
#[test]
fn xiang_without_space_is_one_name() {
    let (s, r) = rule("应当 在 副县长 外出 离县 前 事先 向县长 请假");
    let RuleBody::Precedence { precedent, .. } = &r.body else {
        panic!("{:?}", r.body)
    };
    assert_eq!(position_actors(&precedent.actor), ["向县长"]);
    assert!(precedent.filters.targets.is_empty());
    let ActorSpec::Position(n) = &precedent.actor[0] else {
        panic!()
    };
    assert_span(&s, n);

    let (_, r) = rule("应当 在 副县长 外出 离县 前 事先 向 县长 请假");
    let RuleBody::Precedence { precedent, .. } = &r.body else {
        panic!()
    };
    assert!(precedent.actor.is_empty());
    assert_eq!(target_names(&precedent.filters.targets), ["县长"]);
}

/// The compiler then reports the unknown position “向县长” and suggests the
/// space.
#[test]
fn xiang_without_space_compiler_suggests_space() {
    let text = "规则集 甲 {\n\
                  日历 中国法定节假日\n\
                  职务 县长、副县长\n\
                  第一条 { 原文 \"x\" 应当 在 副县长 外出 离县 前 事先 向县长 请假 }\n\
                }";
    let s = src(text);
    let f = parse(&s).unwrap();
    let errs = guize::compile::compile_ruleset(&f.rulesets[0], &s).unwrap_err();
    assert_eq!(errs.len(), 1, "{}", show(&errs));
    let d = &errs[0];
    assert_eq!(d.code, code::NAME_UNKNOWN);
    assert_eq!(s.slice(d.span), "向县长");
    assert!(d.help.contains("加空格"), "{}", d.help);
    assert!(d.help.contains("向 县长"), "{}", d.help);
}

/// In an event, 向 directly after the actor is read as the keyword even
/// without a space after it (the event rule tries 向 before a name).
#[test]
fn xiang_in_event_after_actor() {
    let (_, e) = event("2023-09-20 赵某 向王某 请假");
    assert_eq!(e.actor.unwrap().node, "赵某");
    assert_eq!(names(&e.targets), ["王某"]);
}

/// A name containing a separator word is written in corner quotes.
#[test]
fn corner_quoted_name_with_separator_word() {
    let (s, rs) = ruleset("职务 「办公室分管副主任」、县长\n职务 「属于某某的职务」 属于 县长");
    let n = &rs.positions[0].names[0];
    assert_eq!(n.node, "办公室分管副主任");
    assert_eq!(s.slice(n.span), "「办公室分管副主任」");
    assert_eq!(rs.positions[0].names[1].node, "县长");
    assert_eq!(rs.positions[1].names[0].node, "属于某某的职务");
    assert_eq!(names(&rs.positions[1].parents), ["县长"]);

    // Used in a rule and in a scenario.
    let (_, r) = rule("须 由 「办公室分管副主任」 审核 县政府文件");
    let RuleBody::Authority { actors, .. } = &r.body else {
        panic!()
    };
    assert_eq!(position_actors(actors), ["办公室分管副主任"]);
    let (_, sc) = scenario("人员 「欧阳 某」 任 「办公室分管副主任」 分管 「召集事务」");
    assert_eq!(sc.people[0].name.node, "欧阳 某");
    assert_eq!(names(&sc.people[0].positions), ["办公室分管副主任"]);
    assert_eq!(names(&sc.people[0].areas), ["召集事务"]);

    // Bare, the same name splits at 分管 and the ruleset does not parse;
    // the help points to 「」.
    let e = parse_err("规则集 甲 { 职务 办公室分管副主任 }");
    assert_eq!(e[0].code, code::SYNTAX_UNEXPECTED);
    assert!(e[0].help.contains("「"), "{}", e[0].help);
}

/// Verbs are separator words too, so common names that contain one (工作报告,
/// 县行政审批局, 理论学习会议) must be quoted; so must a 情形 containing 情形,
/// and a name ending in 外 before a space.
#[test]
fn names_containing_verbs_or_keywords_need_corner_quotes() {
    // A name that ends in a verb cannot be told from name + verb: quote it.
    for bare in [
        "规则集 甲 { 公文 工作报告 }",
        "情景 乙 { 2023-10-10 召开 专题会议 \"x\" 情形 紧急咨询 }",
    ] {
        let e = parse_err(bare);
        assert_eq!(e[0].code, code::SYNTAX_UNEXPECTED, "{bare}");
    }
    let (_, rs) =
        ruleset("公文 「工作报告」\n单位 「县行政审批局」\n会议 「理论学习会议」\n职务 「驻外」");
    assert_eq!(rs.documents[0].name.node, "工作报告");
    assert_eq!(names(&rs.units), ["县行政审批局"]);
    assert_eq!(rs.meetings[0].name.node, "理论学习会议");
    assert_eq!(names(&rs.positions[0].names), ["驻外"]);
    let (_, e) = event("2023-10-10 召开 专题会议 \"x\" 情形 「紧急情形」");
    assert_eq!(names(&e.tags), ["紧急情形"]);
    // A verb or keyword inside a name is fine when it is not a separator:
    // 县委副书记 (书记), 常务会议 (会议); a verb followed by a name suffix
    // (审批局, 学习会议) is part of the name; 外 ends a name only in 除 … 外.
    let (_, rs) = ruleset("职务 县委副书记、县长");
    assert_eq!(names(&rs.positions[0].names), ["县委副书记", "县长"]);
    let (_, rs) = ruleset("单位 县行政审批局\n会议 理论学习会议\n职务 驻外");
    assert_eq!(names(&rs.units), ["县行政审批局"]);
    assert_eq!(rs.meetings[0].name.node, "理论学习会议");
    assert_eq!(names(&rs.positions[0].names), ["驻外"]);
    let (_, r) = rule("除 情形 驻外 外 须 由 县长 签发 纪要");
    assert_eq!(names(&r.exceptions), ["驻外"]);
}

#[test]
fn empty_file_is_an_error() {
    let e = parse_err("// 只有注释\n");
    assert_eq!(e[0].code, code::SYNTAX_EMPTY);
}

#[test]
fn rulesets_and_scenarios_in_any_order() {
    let (_, f) = parse_ok("情景 一 { }\n规则集 甲 { }\n情景 二 { }\n规则集 乙 { }");
    assert_eq!(
        f.rulesets
            .iter()
            .map(|r| r.name.node.as_str())
            .collect::<Vec<_>>(),
        ["甲", "乙"]
    );
    assert_eq!(
        f.scenarios
            .iter()
            .map(|r| r.name.node.as_str())
            .collect::<Vec<_>>(),
        ["一", "二"]
    );
}

#[test]
fn demo_example_parses() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/demo.guize"))
        .unwrap();
    let (_, f) = parse_ok(&text);
    assert_eq!(f.rulesets.len(), 1);
    assert_eq!(f.scenarios.len(), 1);
    let a: Vec<u32> = f.rulesets[0]
        .articles
        .iter()
        .map(|a| a.number.value)
        .collect();
    assert_eq!(a, [57, 77, 62]);
}

#[test]
fn single_valued_statements_may_not_repeat() {
    // A second 施行, 截至 or 召集 would silently replace the first: an error instead.
    for (text, keyword) in [
        ("规则集 甲 { 施行 2023-01-01\n施行 2023-02-01 }", "施行"),
        ("情景 乙 { 截至 2023-01-01\n截至 2023-02-01 }", "截至"),
        ("情景 乙 { 依据 甲\n依据 丙 }", "依据"),
        (
            "情景 乙 { 2023-10-10 召开 常务会议 \"x\" 召集 王某 召集 李某 }",
            "召集",
        ),
        (
            "情景 乙 { 2023-10-10 王某 出差 自 2023-10-10 至 2023-10-11 自 2023-10-12 至 2023-10-13 }",
            "自…至",
        ),
    ] {
        let e = parse_err(text);
        assert_eq!(e[0].code, code::SYNTAX_DUPLICATE, "{text}");
        assert!(e[0].message.contains(keyword), "{}", e[0].message);
    }
    // Lists accumulate instead: two 组成 lines are one list.
    let (_, rs) = ruleset("职务 县长、副县长\n会议 常务会议 { 组成 县长\n组成 副县长 }");
    assert_eq!(names(&rs.meetings[0].members), ["县长", "副县长"]);
}

#[test]
fn hash_inside_a_title_is_not_a_comment() {
    let (src, f) = parse_ok("规则集 C#规则 { 日历 中国法定节假日 } # 注释");
    let name = &f.rulesets[0].name;
    assert_eq!(name.node, "C#规则");
    assert_eq!(&src.text[name.span.start..name.span.end], "C#规则");
}
