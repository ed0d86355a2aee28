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
    } = &r.body
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!(verbs(trigger), [Verb::Convene]);
    assert_eq!(names(&trigger.filters.kinds), ["全体会议", "常务会议"]);
    assert!(trigger.actor.is_empty());
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
    assert_eq!((within.amount.value, within.unit), (3, TimeUnit::Day));
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

#[test]
fn precedence_body_with_each_lead() {
    let (s, r) = rule("应当 在 副县长 外出 离县 前 事先 向 县长 请假");
    let RuleBody::Precedence {
        trigger,
        lead,
        precedent,
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
