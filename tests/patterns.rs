//! Checker tests, one group per pattern (响应 先行 权限 频次 人数 禁止): a
//! small inline ruleset and scenario each, run through `Project::add_source`
//! and `check_scenario`, asserting verdicts, the dates in the findings and
//! the authorisation path. Every expected date was worked out by hand from
//! the rule text and rulesets/calendars/*.json; the arithmetic is in comments.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use guize::diag::{Diag, Source, code};
use guize::{Finding, Project, ScenarioReport, Verdict, check_scenario};

// ───────── helpers ─────────

const NATIONAL: &str = "中国法定节假日";
const XINJIANG: &str = "中国法定节假日+新疆";

/// The shared declarations plus the given articles, as ruleset `name`.
fn ruleset_named(name: &str, calendar: &str, articles: &str) -> String {
    format!(
        "规则集 {name} {{\n\
           制定 测试县人民政府\n\
           施行 2022-06-17\n\
           日历 {calendar}\n\
           职务 县长、副县长、办公室主任、党组成员\n\
           职务 常务副县长 属于 副县长\n\
           单位 市委、市政府、县委、县财政局、县教育局、县发改局\n\
           会议 常务会议 {{ 组成 县长、副县长 }}\n\
           会议 全体会议\n\
           会议 专题会议\n\
           会议 县长办公会议 属于 常务会议\n\
           公文 县政府文件 {{ 名义 县政府 行文方向 下行 }}\n\
           公文 规范性文件 属于 县政府文件\n\
           {articles}\n\
         }}\n"
    )
}

fn ruleset(articles: &str) -> String {
    ruleset_named("测试规则", NATIONAL, articles)
}

/// A scenario checked under 测试规则.
fn scenario(body: &str) -> String {
    format!("情景 测试情景 {{\n依据 测试规则\n{body}\n}}\n")
}

fn show(diags: &[Diag]) -> String {
    diags
        .iter()
        .map(|d| format!("{} [{}]", d.one_line(), d.help))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Check every scenario of `text` under each of its rulesets; where the
/// scenario carries 预期, the verdicts must also match it.
fn try_check_all(text: &str) -> Result<Vec<ScenarioReport>, Vec<Diag>> {
    let mut p = Project::default();
    p.add_source(&Source::new("test.guize", text))?;
    let mut out = Vec::new();
    for sc in &p.scenarios {
        for rs in p.rulesets_for(sc).map_err(|d| vec![d])? {
            let (compiled, report) = check_scenario(rs, sc)?;
            if compiled.expectations.given {
                let diffs = guize::suite::compare(&compiled.expectations, &report, rs);
                assert!(
                    diffs.is_empty(),
                    "预期 under {}: {diffs:?}\n{}",
                    rs.name,
                    dump(&report)
                );
            }
            out.push(report);
        }
    }
    Ok(out)
}

fn check_all(text: &str) -> Vec<ScenarioReport> {
    try_check_all(text).unwrap_or_else(|e| panic!("{}\n--- input ---\n{text}", show(&e)))
}

/// The report of the only scenario under the only ruleset.
fn check(text: &str) -> ScenarioReport {
    let mut all = check_all(text);
    assert_eq!(all.len(), 1);
    all.pop().unwrap()
}

fn check_err(text: &str) -> Vec<Diag> {
    match try_check_all(text) {
        Ok(r) => panic!(
            "expected an error, got {}",
            r.iter().map(dump).collect::<String>()
        ),
        Err(e) => e,
    }
}

fn dump(r: &ScenarioReport) -> String {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "  第{}条 {} {} {:?} path={:?} :: {}\n",
                f.article,
                f.pattern,
                f.verdict.word(),
                f.dates
                    .iter()
                    .map(|d| format!("{}={}", d.role.word(), d.date))
                    .collect::<Vec<_>>(),
                f.path,
                f.explanation()
            )
        })
        .collect()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Findings of one article, in report order.
fn of(r: &ScenarioReport, article: u32) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.article == article).collect()
}

fn verdicts(r: &ScenarioReport, article: u32) -> Vec<Verdict> {
    of(r, article).iter().map(|f| f.verdict).collect()
}

/// The only finding of an article.
fn only(r: &ScenarioReport, article: u32) -> &Finding {
    let fs = of(r, article);
    assert_eq!(fs.len(), 1, "第{article}条:\n{}", dump(r));
    fs[0]
}

/// A finding of an article whose events include one on `date`.
fn on<'r>(r: &'r ScenarioReport, article: u32, date: &str) -> &'r Finding {
    let fs: Vec<&Finding> = of(r, article)
        .into_iter()
        .filter(|f| f.events.iter().any(|e| e.date == d(date)))
        .collect();
    assert_eq!(fs.len(), 1, "第{article}条 on {date}:\n{}", dump(r));
    fs[0]
}

/// The date noted under `label` (期限, 应不晚于, 周期起, …).
fn note(f: &Finding, label: &str) -> NaiveDate {
    f.dates
        .iter()
        .find(|x| x.role.word() == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", f.dates))
        .date
}

fn assert_verdict(f: &Finding, v: Verdict) {
    assert_eq!(f.verdict, v, "{} {}", f.article_display(), f.explanation());
}

// ═════════════════════════ 响应 ═════════════════════════

const RESPONSE: &str = "\
第五十七条 {
  原文 \"常务会议讨论通过决定印发的文件，原则上须在会议结束后7个工作日内印发。\"
  原则上 须 在 召开 常务会议 后 7个工作日内 印发 决定印发的公文
}
第五十八条 {
  原文 \"全体会议决定印发的文件，须在会议结束后七个工作日内印发。\"
  须 在 召开 全体会议 后 七个工作日内 印发 决定印发的公文
}
第五十九条 {
  原文 \"专题会议纪要在会议结束后3日内签发。\"
  须 在 召开 专题会议 后 3日内 签发 纪要
}
第六十条 {
  原文 \"征求意见的，被征求意见单位应在5个工作日内回复。\"
  须 在 县发改局 征求意见 后 5个工作日内 回复
}";

const PEOPLE: &str = "\
人员 王某 任 县长
人员 李某 任 常务副县长 分管 财政
人员 赵某 任 副县长 分管 教育
人员 钱某 任 副县长
人员 孙某 任 办公室主任";

#[test]
fn response_working_days_across_national_day_holiday() {
    // DESIGN example. Meeting Mon 2023-09-25; 7 working days, the meeting
    // day not counted: 09-26 (1), 09-27 (2), 09-28 (3); 09-29 … 10-06 are the
    // 中秋节、国庆节 holiday; Sat 10-07 (4) and Sun 10-08 (5) are 调休 working
    // days; 10-09 (6), 10-10 (7). Deadline 2023-10-10.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次常务会议\" 召集 王某 主持 王某 决定印发 \"关于甲的通知\"、\"关于乙的通知\"\n\
             2023-10-10 印发 \"关于甲的通知\"\n\
             2023-10-11 印发 \"关于乙的通知\"\n\
             预期 违反 第五十七条"
            ))),
    );
    let fs = of(&r, 57);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    // Issued on the last day: 符合.
    let ok = on(&r, 57, "2023-10-10");
    assert_verdict(ok, Verdict::Complied);
    assert_eq!(note(ok, "期限"), d("2023-10-10"));
    assert_eq!(ok.pattern, "响应");
    assert!(
        ok.explanation().contains("2023-10-10"),
        "{}",
        ok.explanation()
    );
    // The day after: 违反, one working day late (10-11 is a Wednesday).
    let late = on(&r, 57, "2023-10-11");
    assert_verdict(late, Verdict::Violated);
    assert_eq!(note(late, "期限"), d("2023-10-10"));
    assert!(
        late.explanation().contains("2023-10-11"),
        "{}",
        late.explanation()
    );
    assert!(
        late.explanation().contains("逾期1个工作日"),
        "{}",
        late.explanation()
    );
    assert_eq!(late.article_display(), "第五十七条");
    assert!(late.quote().unwrap().contains("7个工作日内"));
    assert_eq!(late.events[0].date, d("2023-09-25"));
}

#[test]
fn response_not_issued_is_violated() {
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"关于甲的通知\"\n\
             2023-12-01 印发 \"另一个文件\""
            ))),
    );
    let f = only(&r, 57);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "期限"), d("2023-10-10"));
    assert!(f.explanation().contains("未见"), "{}", f.explanation());
}

#[test]
fn response_calendar_days_boundary() {
    // 3日内 counts calendar days: Wed 2023-11-01 + 3 = Sat 2023-11-04 (a
    // weekend day still counts). Signed 11-04: 符合; 11-05: 违反.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-01 召开 专题会议 \"专题一\" 主持 李某\n\
             2023-11-01 召开 专题会议 \"专题二\" 主持 李某\n\
             2023-11-04 李某 签发 纪要 \"专题一纪要\" 依据 \"专题一\"\n\
             2023-11-05 李某 签发 纪要 \"专题二纪要\" 依据 \"专题二\""
            ))),
    );
    let ok = on(&r, 59, "2023-11-04");
    assert_verdict(ok, Verdict::Complied);
    assert_eq!(note(ok, "期限"), d("2023-11-04"));
    let late = on(&r, 59, "2023-11-05");
    assert_verdict(late, Verdict::Violated);
    assert_eq!(note(late, "期限"), d("2023-11-04"));
    assert!(
        late.explanation().contains("逾期1日"),
        "{}",
        late.explanation()
    );
}

#[test]
fn response_one_obligation_per_recipient() {
    // Consultation Mon 2023-11-06; 5 working days: 11-07 (1), 11-08 (2),
    // 11-09 (3), 11-10 (4), Mon 11-13 (5). 县财政局 replies 11-13: 符合;
    // 县教育局 replies 11-14: 违反.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-06 县发改局 征求意见 \"某稿\" 发往 县财政局、县教育局\n\
             2023-11-13 县财政局 回复 \"某稿\"\n\
             2023-11-14 县教育局 回复 \"某稿\""
            ))),
    );
    let fs = of(&r, 60);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    let ok = on(&r, 60, "2023-11-13");
    assert_verdict(ok, Verdict::Complied);
    assert!(
        ok.explanation().contains("县财政局"),
        "{}",
        ok.explanation()
    );
    assert_eq!(note(ok, "期限"), d("2023-11-13"));
    let late = on(&r, 60, "2023-11-14");
    assert_verdict(late, Verdict::Violated);
    assert!(
        late.explanation().contains("县教育局"),
        "{}",
        late.explanation()
    );
}

#[test]
fn response_xinjiang_calendar_differs_from_national_across_gurbanjie() {
    // Meeting Mon 2023-06-26, issued Thu 2023-07-06, 7 working days.
    // National (端午 06-22…24 already over): 06-27 (1), 06-28 (2), 06-29 (3),
    //   06-30 (4), 07-03 (5), 07-04 (6), 07-05 (7) → deadline 07-05: 违反.
    // 中国法定节假日+新疆: 古尔邦节 06-28, 06-29, 06-30 off: 06-27 (1),
    //   07-03 (2), 07-04 (3), 07-05 (4), 07-06 (5), 07-07 (6), Mon 07-10 (7)
    //   → deadline 07-10: 符合.
    let text = ruleset_named("全国规则", NATIONAL, RESPONSE)
        + &ruleset_named("新疆规则", XINJIANG, RESPONSE)
        + &format!(
            "情景 古尔邦节 {{\n\
               依据 全国规则、新疆规则\n\
               {PEOPLE}\n\
               2023-06-26 召开 常务会议 \"第5次\" 决定印发 \"关于丙的通知\"\n\
               2023-07-06 印发 \"关于丙的通知\"\n\
               预期 依据 全国规则 违反 五十七\n\
               预期 依据 新疆规则 符合\n\
             }}"
        );
    let reports = check_all(&text);
    assert_eq!(reports.len(), 2);
    let national = reports.iter().find(|r| r.ruleset == "全国规则").unwrap();
    let xinjiang = reports.iter().find(|r| r.ruleset == "新疆规则").unwrap();
    let n = only(national, 57);
    assert_verdict(n, Verdict::Violated);
    assert_eq!(note(n, "期限"), d("2023-07-05"));
    assert!(
        n.explanation().contains("逾期1个工作日"),
        "{}",
        n.explanation()
    );
    let x = only(xinjiang, 57);
    assert_verdict(x, Verdict::Complied);
    assert_eq!(note(x, "期限"), d("2023-07-10"));
}

#[test]
fn response_xinjiang_deadline_boundary() {
    // Same meeting under 中国法定节假日+新疆: deadline Mon 2023-07-10 (see
    // above). Issued 07-10: 符合; Tue 07-11: 违反.
    let text = ruleset_named("新疆规则", XINJIANG, RESPONSE)
        + "情景 新疆边界 {\n\
             依据 新疆规则\n\
             人员 王某 任 县长\n\
             2023-06-26 召开 常务会议 \"第5次\" 决定印发 \"甲\"、\"乙\"\n\
             2023-07-10 印发 \"甲\"\n\
             2023-07-11 印发 \"乙\"\n\
           }";
    let r = check(&text);
    let ok = on(&r, 57, "2023-07-10");
    assert_verdict(ok, Verdict::Complied);
    assert_eq!(note(ok, "期限"), d("2023-07-10"));
    let late = on(&r, 57, "2023-07-11");
    assert_verdict(late, Verdict::Violated);
    assert_eq!(note(late, "期限"), d("2023-07-10"));
}

#[test]
fn response_cutoff_before_deadline_is_pending() {
    // Deadline 2023-10-10 (DESIGN example). 截至 10-09 < 10-10: 待定.
    let body = |cutoff: &str| {
        scenario(&format!(
            "截至 {cutoff}\n{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"关于甲的通知\""
        ))
    };
    let r = check(&(ruleset(RESPONSE) + &body("2023-10-09")));
    let f = only(&r, 57);
    assert_verdict(f, Verdict::Pending);
    assert_eq!(note(f, "截至"), d("2023-10-09"));
    assert_eq!(note(f, "期限"), d("2023-10-10"));
    // 截至 10-10: the whole deadline day is observed and nothing was issued
    // (docs: 待定 only when 截至 is before the deadline): 违反.
    let r = check(&(ruleset(RESPONSE) + &body("2023-10-10")));
    assert_verdict(only(&r, 57), Verdict::Violated);
    // 截至 10-11, after the deadline: 违反.
    let r = check(&(ruleset(RESPONSE) + &body("2023-10-11")));
    let f = only(&r, 57);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "期限"), d("2023-10-10"));
}

#[test]
fn response_defeasible_with_special_circumstances_or_approval_is_excepted() {
    // Deadline 2023-10-10; both issued 10-11 (late). 第五十七条 is 原则上.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"甲\"、\"乙\"\n\
             2023-10-11 印发 \"甲\" 特殊情况 \"防汛紧急部署\"\n\
             2023-10-11 印发 \"乙\" 经 王某 批准\n\
             预期 例外 五十七\n\
             预期 符合"
            ))),
    );
    let fs = of(&r, 57);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    for f in fs {
        assert_verdict(f, Verdict::Excepted);
        assert_eq!(note(f, "期限"), d("2023-10-10"));
    }
    let ex: Vec<String> = of(&r, 57).iter().map(|f| f.explanation()).collect();
    assert!(ex.iter().any(|e| e.contains("防汛紧急部署")), "{ex:?}");
    assert!(ex.iter().any(|e| e.contains("经王某批准")), "{ex:?}");
}

/// An excuse belongs to the party in breach (issue #11, class 12): a
/// 特殊情况 recorded on the meeting does not excuse whoever issues its
/// document late; the same note on the late issue does.
#[test]
fn response_special_circumstances_on_the_trigger_do_not_excuse_the_late_party() {
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"甲\" 特殊情况 \"节后集中印发\"\n\
             2023-10-12 印发 \"甲\""
            ))),
    );
    let f = only(&r, 57);
    assert_verdict(f, Verdict::Violated);
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"甲\"\n\
             2023-10-12 印发 \"甲\" 特殊情况 \"节后集中印发\""
            ))),
    );
    assert_verdict(only(&r, 57), Verdict::Excepted);
}

#[test]
fn response_non_defeasible_with_special_circumstances_stays_violated() {
    // 第五十八条 has no 原则上. 全体会议 Mon 2023-09-25: deadline 10-10 as above.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-25 召开 全体会议 \"第2次全体会议\" 决定印发 \"丁\"\n\
             2023-10-11 印发 \"丁\" 特殊情况 \"防汛紧急部署\"\n\
             预期 违反 五十八"
            ))),
    );
    let f = only(&r, 58);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "期限"), d("2023-10-10"));
}

#[test]
fn response_issued_before_the_meeting_does_not_count() {
    // Earliest answer on or after the meeting's date counts; an issue dated
    // before the meeting is not an answer.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-20 印发 \"关于甲的通知\"\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"关于甲的通知\""
            ))),
    );
    let f = only(&r, 57);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(f.events.len(), 1);
}

#[test]
fn response_meeting_kind_hierarchy() {
    // 县长办公会议 属于 常务会议: rules about 常务会议 cover it. Issued on the
    // meeting day itself: 符合.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-06 召开 县长办公会议 \"第3次县长办公会议\" 决定印发 \"戊\"\n\
             2023-11-06 印发 \"戊\""
            ))),
    );
    let f = only(&r, 57);
    assert_verdict(f, Verdict::Complied);
    // Mon 11-06 + 7 working days = 11-07 … 11-10 (4), 11-13 … 11-15 (7).
    assert_eq!(note(f, "期限"), d("2023-11-15"));
}

#[test]
fn permission_is_never_a_finding() {
    let r = check(
        &(ruleset(
            "第九十条 {\n原文 \"副县长可签发县政府文件。\"\n可 由 副县长 签发 县政府文件\n}",
        ) + &scenario(&format!(
            "{PEOPLE}\n2023-10-10 孙某 签发 县政府文件 \"测政发〔2023〕9号\"\n预期 符合"
        ))),
    );
    assert!(of(&r, 90).is_empty(), "{}", dump(&r));
}

// ═════════════════════════ 先行 ═════════════════════════

const PRECEDENCE: &str = "\
第七十七条 {
  原文 \"副县长出差、出访，离开本县休假、学习，应事先向县长请假。\"
  应当 在 副县长 外出 离县 前 事先 向 县长 请假
}
第七十八条 {
  原文 \"县长离县，除参加重要会议外，须提前3天向县委报告。\"
  除 情形 参加重要会议 外 须 在 县长 外出 离县 前 提前3天 向 县委 报告
}";

#[test]
fn precedence_three_days_ahead_boundary() {
    // Trip starts Fri 2023-11-10; 提前3天: 11-10 − 3 = Tue 11-07.
    // Reported 11-07: 符合.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-07 王某 向 县委 报告 \"赴省城开会\"\n\
             2023-11-10 王某 出差 离县 自 2023-11-10 至 2023-11-12\n\
             预期 符合"
            ))),
    );
    let f = only(&r, 78);
    assert_verdict(f, Verdict::Complied);
    assert_eq!(f.pattern, "先行");
    assert_eq!(note(f, "应不晚于"), d("2023-11-07"));
    // Reported 11-08 (T−2): 违反, later than 11-07.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-08 王某 向 县委 报告 \"赴省城开会\"\n\
             2023-11-10 王某 出差 离县 自 2023-11-10 至 2023-11-12"
            ))),
    );
    let f = only(&r, 78);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "应不晚于"), d("2023-11-07"));
    assert!(
        f.explanation().contains("2023-11-08"),
        "{}",
        f.explanation()
    );
}

#[test]
fn precedence_lead_counts_from_the_trip_start_not_the_record_date() {
    // Recorded 11-01 but the trip runs 自 2023-11-10: start 11-10, limit 11-07.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-06 王某 向 县委 报告 \"赴省城开会\"\n\
             2023-11-01 王某 出访 离县 自 2023-11-10 至 2023-11-12"
            ))),
    );
    let f = only(&r, 78);
    assert_verdict(f, Verdict::Complied);
    assert_eq!(note(f, "应不晚于"), d("2023-11-07"));
}

#[test]
fn precedence_report_to_wrong_target_or_missing_is_violated() {
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-01 王某 向 市委 报告 \"赴省城开会\"\n\
             2023-11-10 王某 出差 离县 自 2023-11-10 至 2023-11-12"
            ))),
    );
    let f = only(&r, 78);
    assert_verdict(f, Verdict::Violated);
    assert!(f.explanation().contains("未见"), "{}", f.explanation());
}

#[test]
fn precedence_hard_exception_is_not_applicable() {
    // 除 情形 参加重要会议 外: no report at all, but the trip records the 情形.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-10 王某 出差 离县 自 2023-11-10 至 2023-11-12 情形 参加重要会议\n\
             2023-11-20 王某 出差 离县 自 2023-11-20 至 2023-11-21 情形 招商引资"
            ))),
    );
    let exempt = on(&r, 78, "2023-11-10");
    assert_verdict(exempt, Verdict::NotApplicable);
    assert!(
        exempt.explanation().contains("参加重要会议"),
        "{}",
        exempt.explanation()
    );
    // Another 情形 is not the exception.
    assert_verdict(on(&r, 78, "2023-11-20"), Verdict::Violated);
}

#[test]
fn precedence_beforehand_same_day_vs_day_after() {
    // 事先: on or before the trip's start. 李某 (常务副县长, 属于 副县长)
    // leaves 11-10; leave asked 11-10: 符合.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-10 李某 向 王某 请假 自 2023-11-10 至 2023-11-12 事由 \"出差\"\n\
             2023-11-10 李某 出差 离县 自 2023-11-10 至 2023-11-12"
            ))),
    );
    let f = only(&r, 77);
    assert_verdict(f, Verdict::Complied);
    assert_eq!(note(f, "应不晚于"), d("2023-11-10"));
    assert_eq!(f.events.len(), 2);
    // Asked 11-11, the day after the start: 违反.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-11 李某 向 王某 请假 自 2023-11-10 至 2023-11-12 事由 \"出差\"\n\
             2023-11-10 李某 出差 离县 自 2023-11-10 至 2023-11-12"
            ))),
    );
    let f = only(&r, 77);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "应不晚于"), d("2023-11-10"));
}

/// The one 第七十七条 finding about the trip whose line starts with
/// `trip` (its trigger), with verdict `v`, whose explanation contains
/// `says`.
#[track_caller]
fn trip_finding(r: &ScenarioReport, trip: &str, v: Verdict, says: &str) {
    let found: Vec<&Finding> = of(r, 77)
        .into_iter()
        .filter(|f| f.events.first().is_some_and(|e| e.text.starts_with(trip)))
        .collect();
    assert_eq!(found.len(), 1, "{trip}: {}", dump(r));
    assert_verdict(found[0], v);
    assert!(
        found[0].explanation().contains(says),
        "{}",
        found[0].explanation()
    );
}

#[test]
fn precedence_leave_must_cover_the_trip_and_be_addressed_to_the_county_head() {
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-01 赵某 向 王某 请假 自 2023-11-13 至 2023-11-14\n\
             2023-11-10 赵某 出差 离县 自 2023-11-10 至 2023-11-12\n\
             2023-11-01 钱某 向 赵某 请假 自 2023-11-10 至 2023-11-12\n\
             2023-11-10 钱某 学习 离县 自 2023-11-10 至 2023-11-12\n\
             2023-11-15 钱某 调研 \"不离县的调研\""
            ))),
    );
    // 赵某: the leave covers 11-13…14, not the trip's start 11-10; the
    // finding says what it found, not only "未见".
    trip_finding(
        &r,
        "2023-11-10 赵某",
        Verdict::Violated,
        "未见向县长请假（见 2023-11-01 的请假，但所写期间 2023-11-13 至 2023-11-14 未覆盖本次）",
    );
    // 钱某 asked 赵某 (a 副县长), not a 县长.
    trip_finding(
        &r,
        "2023-11-10 钱某",
        Verdict::Violated,
        "（见 2023-11-01 的请假，但是向赵某提出的）",
    );
    // 调研 is not a trip, and 县长 王某 is not a 副县长: no other findings.
    assert_eq!(of(&r, 77).len(), 2);
}

/// How early a leave may be asked (the look-back): one naming its trip (by
/// its period or 依据) counts however early within a year; one naming
/// nothing counts within 30 days (so it cannot serve a trip long after);
/// a leave found that does not count is named with the reason.
#[test]
fn precedence_a_leave_naming_its_trip_counts_from_further_back() {
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-01 赵某 向 王某 请假 自 2023-11-10 至 2023-11-12\n\
             2023-11-10 赵某 出差 离县 自 2023-11-10 至 2023-11-12\n\
             2023-09-20 钱某 向 王某 请假\n\
             2023-11-10 钱某 学习 离县 自 2023-11-10 至 2023-11-12\n\
             2023-10-20 李某 向 王某 请假 依据 \"省里的培训\"\n\
             2023-11-10 李某 出差 离县 \"市里的会\" 自 2023-11-10 至 2023-11-12"
            ))),
    );
    // 赵某: 70 days ahead, naming the trip's period: 符合.
    trip_finding(&r, "2023-11-10 赵某", Verdict::Complied, "已于 2023-09-01");
    // 钱某: 51 days ahead, naming nothing: the limit is 11-10, 30 days
    // back is 10-11, and 09-20 is before it.
    trip_finding(
        &r,
        "2023-11-10 钱某",
        Verdict::Violated,
        "（见 2023-09-20 的请假，但未写明依据或期间，且早于回溯的30日）",
    );
    // 李某: the leave names another occasion.
    trip_finding(
        &r,
        "2023-11-10 李某",
        Verdict::Violated,
        "（见 2023-10-20 的请假，但所依据的是“省里的培训”）",
    );
}

#[test]
fn precedence_trip_within_the_county_is_not_covered() {
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-11-10 李某 出差 自 2023-11-10 至 2023-11-12"
            ))),
    );
    assert!(of(&r, 77).is_empty(), "{}", dump(&r));
}

#[test]
fn precedence_working_days_ahead_across_holiday() {
    // Issued Mon 2023-10-09; 提前 3个工作日, the issue day not counted,
    // counting back: Sun 10-08 (调休 working day, 1), Sat 10-07 (调休, 2),
    // 10-06 … 09-29 holiday, Thu 09-28 (3). Limit 2023-09-28.
    let rules = "第八十条 {\n\
                   原文 \"规范性文件印发前3个工作日须经审核。\"\n\
                   须 在 印发 规范性文件 前 提前 3个工作日 审核 规范性文件\n\
                 }";
    let r = check(
        &(ruleset(rules)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-28 孙某 审核 规范性文件 \"测政规〔2023〕1号\"\n\
             2023-10-09 印发 \"测政规〔2023〕1号\"\n\
             2023-10-07 孙某 审核 规范性文件 \"测政规〔2023〕2号\"\n\
             2023-10-09 印发 \"测政规〔2023〕2号\""
            ))),
    );
    let fs = of(&r, 80);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    let ok = fs
        .iter()
        .find(|f| f.events.iter().any(|e| e.date == d("2023-09-28")))
        .unwrap();
    assert_verdict(ok, Verdict::Complied);
    assert_eq!(note(ok, "应不晚于"), d("2023-09-28"));
    let late = fs
        .iter()
        .find(|f| f.events.iter().any(|e| e.date == d("2023-10-07")))
        .unwrap();
    assert_verdict(late, Verdict::Violated);
    assert_eq!(note(late, "应不晚于"), d("2023-09-28"));
}

#[test]
fn precedence_absence_needs_leave_from_the_chair() {
    let rules = "第八十一条 {\n\
                   原文 \"不能出席会议的，应事先向会议主持人请假。\"\n\
                   须 在 缺席 常务会议 前 事先 向 会议主持人 请假\n\
                 }";
    let r = check(
        &(ruleset(rules)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-09 赵某 向 王某 请假 事由 \"下乡\"\n\
             2023-10-10 召开 常务会议 \"第14次\" 召集 王某 主持 王某 缺席 赵某、钱某\n\
             2023-10-20 召开 常务会议 \"第15次\" 缺席 赵某\n\
             2023-10-27 钱某 向 王某 请假 事由 \"调研\"\n\
             2023-10-30 召开 常务会议 \"第16次\" 缺席 钱某"
            ))),
    );
    let fs = of(&r, 81);
    assert_eq!(fs.len(), 4, "{}", dump(&r));
    let zhao = fs
        .iter()
        .find(|f| f.events[0].date == d("2023-10-10") && f.explanation().contains("赵某"))
        .unwrap();
    assert_verdict(zhao, Verdict::Complied);
    let qian = fs
        .iter()
        .find(|f| f.events[0].date == d("2023-10-10") && f.explanation().contains("钱某"))
        .unwrap();
    assert_verdict(qian, Verdict::Violated);
    // No 主持 written for 第15次, and 赵某 asked no one after his leave for
    // 第14次: whoever chaired, no leave was asked of him.
    let later = fs
        .iter()
        .find(|f| f.events[0].date == d("2023-10-20"))
        .unwrap();
    assert_verdict(later, Verdict::Violated);
    // No 主持 written for 第16次, but 钱某 asked 王某, who may have chaired it.
    let asked = fs
        .iter()
        .find(|f| f.events[0].date == d("2023-10-30"))
        .unwrap();
    assert_verdict(asked, Verdict::Pending);
}

// ═════════════════════════ 权限 ═════════════════════════

const AUTHORITY: &str = "\
第十条 {
  原文 \"常务会议由县长或县长委托负责常务工作的副县长召集和主持。\"
  须 由 县长 或 县长委托的常务副县长 召集、主持 常务会议
}
第十一条 {
  原文 \"县政府文件由副县长以上领导签发。\"
  须 由 副县长 签发 县政府文件
}
第十二条 {
  原文 \"会议纪要由会议主持人签发。\"
  须 由 会议主持人 签发 纪要 依据 常务会议
}
第十三条 {
  原文 \"规范性文件由分管领导签批。\"
  须 由 分管领导 签批 规范性文件
}
第十四条 {
  原文 \"县政府全体会议由县长召集和主持。\"
  原则上 须 由 县长 召集 全体会议
}";

#[test]
fn authority_via_position() {
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 召开 常务会议 \"第14次\" 召集 王某 主持 王某\n\
             预期 符合"
            ))),
    );
    let fs = of(&r, 10);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    for f in fs {
        assert_verdict(f, Verdict::Complied);
        assert_eq!(f.pattern, "权限");
        assert_eq!(
            f.path.as_ref().map(ToString::to_string).as_deref(),
            Some("任县长")
        );
    }
}

#[test]
fn authority_via_belongs_to() {
    // 李某 任 常务副县长, and 常务副县长 属于 副县长.
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 李某 签发 县政府文件 \"测政发〔2023〕1号\"\n\
             2023-10-11 孙某 签发 县政府文件 \"测政发〔2023〕2号\"\n\
             2023-10-12 赵某 签发 规范性文件 \"测政规〔2023〕1号\""
            ))),
    );
    let f = on(&r, 11, "2023-10-10");
    assert_verdict(f, Verdict::Complied);
    let path = f.path.as_ref().unwrap().to_string();
    assert!(
        path.contains("常务副县长") && path.contains("属于") && path.contains("副县长"),
        "{path}"
    );
    // 办公室主任 is not a 副县长.
    let f = on(&r, 11, "2023-10-11");
    assert_verdict(f, Verdict::Violated);
    assert!(f.path.is_none());
    assert!(
        f.explanation().contains("办公室主任"),
        "{}",
        f.explanation()
    );
    // A 规范性文件 属于 县政府文件, so the rule covers it too.
    assert_verdict(on(&r, 11, "2023-10-12"), Verdict::Complied);
}

#[test]
fn authority_via_delegation_valid_that_day() {
    // 委托 自 2023-10-01 至 2023-10-31: both ends inclusive.
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-28 王某 委托 李某 代行 召集、主持 常务会议 自 2023-10-01 至 2023-10-31\n\
             2023-10-01 召开 常务会议 \"第14次\" 召集 李某 主持 李某\n\
             2023-10-31 召开 常务会议 \"第15次\" 召集 李某 主持 李某\n\
             预期 符合"
            ))),
    );
    for date in ["2023-10-01", "2023-10-31"] {
        let fs: Vec<&Finding> = of(&r, 10)
            .into_iter()
            .filter(|f| f.events[0].date == d(date))
            .collect();
        assert_eq!(fs.len(), 2, "{date}: {}", dump(&r));
        for f in fs {
            assert_verdict(f, Verdict::Complied);
            let path = f.path.as_ref().unwrap().to_string();
            assert!(path.contains("委托") && path.contains("王某"), "{path}");
        }
    }
}

#[test]
fn authority_expired_or_not_yet_valid_delegation_is_violated() {
    // The delegation ran 10-01 … 10-31; meetings on 09-30 and 11-01 fall
    // outside it.
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-28 王某 委托 李某 代行 召集、主持 常务会议 自 2023-10-01 至 2023-10-31\n\
             2023-09-30 召开 常务会议 \"第13次\" 召集 李某 主持 李某\n\
             2023-11-01 召开 常务会议 \"第16次\" 召集 李某 主持 李某\n\
             预期 违反 第十条"
            ))),
    );
    let fs = of(&r, 10);
    assert_eq!(fs.len(), 4, "{}", dump(&r));
    for f in fs {
        assert_verdict(f, Verdict::Violated);
        assert!(f.path.is_none());
        assert!(f.explanation().contains("委托"), "{}", f.explanation());
    }
}

#[test]
fn authority_delegation_from_an_accepted_position_and_whole_work() {
    // 赵某 (副县长) is not 县长 and not 常务副县长, but acts under a delegation
    // from 县长 王某 valid that day; 全面工作 covers everything.
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             王某 委托 赵某 代行 全面工作 自 2023-12-01 至 2023-12-10\n\
             2023-12-05 召开 全体会议 \"第3次全体会议\" 召集 赵某\n\
             2023-12-11 召开 全体会议 \"第4次全体会议\" 召集 赵某"
            ))),
    );
    let f = on(&r, 14, "2023-12-05");
    assert_verdict(f, Verdict::Complied);
    let path = f.path.as_ref().unwrap().to_string();
    assert!(path.contains("委托") && path.contains("王某"), "{path}");
    assert_verdict(on(&r, 14, "2023-12-11"), Verdict::Violated);
}

#[test]
fn authority_delegation_of_another_action_does_not_cover() {
    // Delegated 主持 only; 李某 also convenes.
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             王某 委托 李某 代行 主持 常务会议 自 2023-10-01 至 2023-10-31\n\
             2023-10-10 召开 常务会议 \"第14次\" 召集 李某 主持 李某"
            ))),
    );
    let mut v = verdicts(&r, 10);
    v.sort();
    assert_eq!(v, [Verdict::Violated, Verdict::Complied], "{}", dump(&r));
    let chair = of(&r, 10)
        .into_iter()
        .find(|f| f.verdict == Verdict::Complied)
        .unwrap();
    assert!(
        chair.explanation().contains("主持"),
        "{}",
        chair.explanation()
    );
}

#[test]
fn authority_delegation_with_date_only_and_kind_scope() {
    // Dated 09-30 with no period: valid from 09-30 on. Scope 常务会议 does
    // not cover a 全体会议.
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-09-30 王某 委托 李某 代行 召集、主持 常务会议\n\
             2023-09-29 召开 常务会议 \"第12次\" 召集 李某 主持 李某\n\
             2023-09-30 召开 常务会议 \"第13次\" 召集 李某 主持 李某\n\
             2023-10-30 召开 全体会议 \"第2次全体会议\" 召集 李某"
            ))),
    );
    let before: Vec<Verdict> = of(&r, 10)
        .iter()
        .filter(|f| f.events[0].date == d("2023-09-29"))
        .map(|f| f.verdict)
        .collect();
    assert_eq!(
        before,
        [Verdict::Violated, Verdict::Violated],
        "{}",
        dump(&r)
    );
    let from: Vec<Verdict> = of(&r, 10)
        .iter()
        .filter(|f| f.events[0].date == d("2023-09-30"))
        .map(|f| f.verdict)
        .collect();
    assert_eq!(from, [Verdict::Complied, Verdict::Complied], "{}", dump(&r));
    assert_verdict(on(&r, 14, "2023-10-30"), Verdict::Violated);
}

#[test]
fn authority_missing_convener_is_pending() {
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 召开 常务会议 \"第14次\" 主持 王某"
            ))),
    );
    let mut v = verdicts(&r, 10);
    v.sort();
    assert_eq!(v, [Verdict::Pending, Verdict::Complied], "{}", dump(&r));
}

#[test]
fn authority_meeting_chair_role_for_minutes() {
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 召开 常务会议 \"第14次\" 召集 王某 主持 王某\n\
             2023-10-12 王某 签发 纪要 \"第14次纪要\" 依据 \"第14次\"\n\
             2023-10-20 召开 常务会议 \"第15次\" 召集 王某 主持 王某\n\
             2023-10-23 李某 签发 纪要 \"第15次纪要\" 依据 \"第15次\""
            ))),
    );
    let f = on(&r, 12, "2023-10-12");
    assert_verdict(f, Verdict::Complied);
    assert!(
        f.path
            .as_ref()
            .map(ToString::to_string)
            .as_deref()
            .unwrap()
            .contains("会议主持人"),
        "{:?}",
        f.path
    );
    // 李某 did not chair 第15次.
    let f = on(&r, 12, "2023-10-23");
    assert_verdict(f, Verdict::Violated);
}

#[test]
fn authority_area_leader_with_and_without_area() {
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 李某 签批 规范性文件 \"测政规〔2023〕1号\" 领域 财政\n\
             2023-10-11 赵某 签批 规范性文件 \"测政规〔2023〕2号\" 领域 财政\n\
             2023-10-12 李某 签批 规范性文件 \"测政规〔2023〕3号\""
            ))),
    );
    // 李某 分管 财政.
    let f = on(&r, 13, "2023-10-10");
    assert_verdict(f, Verdict::Complied);
    assert_eq!(
        f.path.as_ref().map(ToString::to_string).as_deref(),
        Some("分管财政")
    );
    // 赵某 分管 教育, not 财政.
    assert_verdict(on(&r, 13, "2023-10-11"), Verdict::Violated);
    // No 领域 written: cannot tell.
    let f = on(&r, 13, "2023-10-12");
    assert_verdict(f, Verdict::Pending);
    assert!(f.explanation().contains("领域"), "{}", f.explanation());
}

#[test]
fn authority_defeasible_excused_by_approval() {
    let r = check(
        &(ruleset(AUTHORITY)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-12-05 召开 全体会议 \"第3次全体会议\" 召集 赵某 经 王某 批准\n\
             预期 例外 十四\n\
             预期 符合"
            ))),
    );
    assert_verdict(only(&r, 14), Verdict::Excepted);
}

// ═════════════════════════ 频次 ═════════════════════════

const FREQ_AT_LEAST: &str = "\
第二十条 {
  原文 \"常务会议一般每月召开两次。\"
  一般 须 召开 常务会议 每月 至少 2 次
}";

const FREQ_BETWEEN: &str = "\
第二十一条 {
  原文 \"全体会议每月召开一至两次。\"
  须 召开 全体会议 每月 1 至 2 次
}";

const FREQ_PER_PERSON: &str = "\
第二十二条 {
  原文 \"副县长每月至少下基层调研一次。\"
  须 副县长 调研 每月 至少 1 次 按 人员
}";

const FREQ_MUST_NOT: &str = "\
第二十三条 {
  原文 \"专题会议每年不得超过1次。\"
  不得 召开 专题会议 每年 超过 1 次
}";

#[test]
fn frequency_too_few_in_a_complete_month_is_violated() {
    // 期间 covers all of September; one 常务会议 < 2.
    let r = check(
        &(ruleset(FREQ_AT_LEAST)
            + &scenario(&format!(
                "期间 2023-09-01 至 2023-09-30\n{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\"\n\
             预期 违反 二十"
            ))),
    );
    let f = only(&r, 20);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(f.pattern, "频次");
    assert_eq!(note(f, "周期起"), d("2023-09-01"));
    assert_eq!(note(f, "周期止"), d("2023-09-30"));
    assert!(
        f.explanation().contains("2023年9月") && f.explanation().contains('1'),
        "{}",
        f.explanation()
    );
}

#[test]
fn frequency_partial_month_is_pending() {
    // 期间 09-01 … 10-15: September is complete (2 meetings: 符合), October
    // only half observed (1 meeting so far: 待定).
    let r = check(
        &(ruleset(FREQ_AT_LEAST)
            + &scenario(&format!(
                "期间 2023-09-01 至 2023-10-15\n{PEOPLE}\n\
             2023-09-05 召开 常务会议 \"第12次\"\n\
             2023-09-25 召开 常务会议 \"第13次\"\n\
             2023-10-10 召开 常务会议 \"第14次\"\n\
             预期 待定 二十"
            ))),
    );
    let fs = of(&r, 20);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    let sep = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-09-01"))
        .unwrap();
    assert_verdict(sep, Verdict::Complied);
    let oct = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-10-01"))
        .unwrap();
    assert_verdict(oct, Verdict::Pending);
    assert_eq!(note(oct, "周期止"), d("2023-10-31"));
}

#[test]
fn frequency_window_from_events_and_cutoff() {
    // No 期间: the window runs from the first event (09-05) to 截至 (10-31),
    // so September is partial (待定 with 1); October is inside it, but with
    // no 期间 the events are a sample, not the record: too few is 待定 too.
    let r = check(
        &(ruleset(FREQ_AT_LEAST)
            + &scenario(&format!(
                "截至 2023-10-31\n{PEOPLE}\n\
             2023-09-05 召开 常务会议 \"第12次\"\n\
             2023-10-10 召开 常务会议 \"第14次\""
            ))),
    );
    let fs = of(&r, 20);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    let sep = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-09-01"))
        .unwrap();
    assert_verdict(sep, Verdict::Pending);
    assert!(
        sep.explanation().contains("记录未覆盖整个周期"),
        "{}",
        dump(&r)
    );
    let oct = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-10-01"))
        .unwrap();
    assert_verdict(oct, Verdict::Pending);
    assert!(oct.explanation().contains("情景未写明期间"), "{}", dump(&r));
    // With 期间 09-05 至 10-31 the scenario is the record: October, wholly
    // inside it with one meeting of two, is violated.
    let r = check(
        &(ruleset(FREQ_AT_LEAST)
            + &scenario(&format!(
                "期间 2023-09-05 至 2023-10-31\n{PEOPLE}\n\
             2023-09-05 召开 常务会议 \"第12次\"\n\
             2023-10-10 召开 常务会议 \"第14次\""
            ))),
    );
    let oct = of(&r, 20)
        .into_iter()
        .find(|f| note(f, "周期起") == d("2023-10-01"))
        .unwrap();
    assert_verdict(oct, Verdict::Violated);
}

#[test]
fn frequency_too_many_is_violated() {
    // 全体会议 1 至 2 次 per month; three in September.
    let r = check(
        &(ruleset(FREQ_BETWEEN)
            + &scenario(&format!(
                "期间 2023-09-01 至 2023-09-30\n{PEOPLE}\n\
             2023-09-04 召开 全体会议 \"甲\"\n\
             2023-09-11 召开 全体会议 \"乙\"\n\
             2023-09-18 召开 全体会议 \"丙\"\n\
             2023-09-05 召开 常务会议 \"第12次\"\n\
             2023-09-25 召开 常务会议 \"第13次\"\n\
             预期 违反 二十一"
            ))),
    );
    let f = only(&r, 21);
    assert_verdict(f, Verdict::Violated);
    assert!(f.explanation().contains('3'), "{}", f.explanation());
    assert_eq!(f.events.len(), 3);
    // Too many shows even in a partial period: two months, the second partial.
    let r = check(
        &(ruleset(FREQ_BETWEEN)
            + &scenario(&format!(
                "期间 2023-09-01 至 2023-10-10\n{PEOPLE}\n\
             2023-09-04 召开 全体会议 \"甲\"\n\
             2023-10-02 召开 全体会议 \"乙\"\n\
             2023-10-03 召开 全体会议 \"丙\"\n\
             2023-10-04 召开 全体会议 \"丁\""
            ))),
    );
    let fs = of(&r, 21);
    let sep = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-09-01"))
        .unwrap();
    assert_verdict(sep, Verdict::Complied);
    let oct = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-10-01"))
        .unwrap();
    assert_verdict(oct, Verdict::Violated);
}

#[test]
fn frequency_must_not_more_than_once_a_year() {
    // 不得 … 每年 超过 1 次 = at most 1 in 2023.
    let r = check(
        &(ruleset(FREQ_MUST_NOT)
            + &scenario(&format!(
                "期间 2023-01-01 至 2023-12-31\n{PEOPLE}\n\
             2023-03-01 召开 专题会议 \"甲\"\n\
             2023-09-01 召开 专题会议 \"乙\""
            ))),
    );
    let f = only(&r, 23);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "周期起"), d("2023-01-01"));
    assert_eq!(note(f, "周期止"), d("2023-12-31"));
    let r = check(
        &(ruleset(FREQ_MUST_NOT)
            + &scenario(&format!(
                "期间 2023-01-01 至 2023-12-31\n{PEOPLE}\n\
             2023-03-01 召开 专题会议 \"甲\""
            ))),
    );
    assert_verdict(only(&r, 23), Verdict::Complied);
}

#[test]
fn frequency_week_quarter_half_year_periods() {
    // Weeks start on Monday: Mon 2023-10-02 … Sun 10-08 holds the meeting of
    // Sun 10-08 (1: 符合); 10-09 … 10-15 has none (违反).
    let weekly = "第二十四条 {\n原文 \"常务会议每周召开。\"\n须 召开 常务会议 每周 至少 1 次\n}";
    let r = check(
        &(ruleset(weekly)
            + &scenario(&format!(
                "期间 2023-10-02 至 2023-10-15\n{PEOPLE}\n2023-10-08 召开 常务会议 \"第14次\""
            ))),
    );
    let fs = of(&r, 24);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    assert_verdict(
        fs.iter()
            .find(|f| note(f, "周期起") == d("2023-10-02"))
            .unwrap(),
        Verdict::Complied,
    );
    let w2 = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-10-09"))
        .unwrap();
    assert_verdict(w2, Verdict::Violated);
    assert_eq!(note(w2, "周期止"), d("2023-10-15"));

    // Quarters: Q3 (07-01 … 09-30) has the meeting of 09-30; Q4 none.
    let quarterly =
        "第二十五条 {\n原文 \"全体会议每季度召开。\"\n须 召开 全体会议 每季度 至少 1 次\n}";
    let r = check(
        &(ruleset(quarterly)
            + &scenario(&format!(
                "期间 2023-07-01 至 2023-12-31\n{PEOPLE}\n2023-09-30 召开 全体会议 \"第2次\""
            ))),
    );
    let fs = of(&r, 25);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    let q3 = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-07-01"))
        .unwrap();
    assert_verdict(q3, Verdict::Complied);
    assert_eq!(note(q3, "周期止"), d("2023-09-30"));
    let q4 = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-10-01"))
        .unwrap();
    assert_verdict(q4, Verdict::Violated);
    assert_eq!(note(q4, "周期止"), d("2023-12-31"));

    // Half years: 2023 下半年 (07-01 … 12-31) with two 专题会议, at most 1.
    let half =
        "第二十六条 {\n原文 \"专题会议每半年不超过一次。\"\n须 召开 专题会议 每半年 不超过 1 次\n}";
    let r = check(
        &(ruleset(half)
            + &scenario(&format!(
                "期间 2023-01-01 至 2023-12-31\n{PEOPLE}\n\
             2023-03-01 召开 专题会议 \"甲\"\n\
             2023-07-01 召开 专题会议 \"乙\"\n\
             2023-12-31 召开 专题会议 \"丙\""
            ))),
    );
    let fs = of(&r, 26);
    assert_eq!(fs.len(), 2, "{}", dump(&r));
    let h1 = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-01-01"))
        .unwrap();
    assert_verdict(h1, Verdict::Complied);
    assert_eq!(note(h1, "周期止"), d("2023-06-30"));
    let h2 = fs
        .iter()
        .find(|f| note(f, "周期起") == d("2023-07-01"))
        .unwrap();
    assert_verdict(h2, Verdict::Violated);
    assert_eq!(h2.events.len(), 2);
}

#[test]
fn frequency_per_person() {
    // 按 人员: one count per 副县长 (李某 through 属于, 赵某, 钱某); 王某 is
    // 县长 and not counted.
    let r = check(
        &(ruleset(FREQ_PER_PERSON)
            + &scenario(&format!(
                "期间 2023-09-01 至 2023-09-30\n{PEOPLE}\n\
             2023-09-10 李某 调研 \"乡镇甲\"\n\
             2023-09-12 钱某 调研 \"乡镇乙\"\n\
             2023-09-20 钱某 调研 \"乡镇丙\"\n\
             2023-09-21 王某 调研 \"乡镇丁\""
            ))),
    );
    let fs = of(&r, 22);
    assert_eq!(fs.len(), 3, "{}", dump(&r));
    let who = |name: &str| {
        let m: Vec<&&Finding> = fs
            .iter()
            .filter(|f| f.explanation().contains(name))
            .collect();
        assert_eq!(m.len(), 1, "{name}: {}", dump(&r));
        m[0].verdict
    };
    assert_eq!(who("李某"), Verdict::Complied);
    assert_eq!(who("钱某"), Verdict::Complied);
    assert_eq!(who("赵某"), Verdict::Violated);
    assert!(!fs.iter().any(|f| f.explanation().contains("王某")));
}

#[test]
fn frequency_absences_counted_per_person_from_meeting_lists() {
    // Each name in a meeting's 缺席 list is one 缺席 event. 李某 misses two
    // 常务会议 in 2023 (more than 1: 违反), 赵某 one (符合), 钱某 none.
    let rules = "第二十七条 {\n\
                   原文 \"副县长每年缺席常务会议不得超过1次。\"\n\
                   不得 副县长 缺席 常务会议 每年 超过 1 次 按 人员\n\
                 }";
    let r = check(
        &(ruleset(rules)
            + &scenario(&format!(
                "期间 2023-01-01 至 2023-12-31\n{PEOPLE}\n\
             2023-03-01 召开 常务会议 \"第3次\" 缺席 李某\n\
             2023-04-03 召开 常务会议 \"第4次\" 缺席 李某、赵某\n\
             预期 违反 二十七"
            ))),
    );
    let fs = of(&r, 27);
    assert_eq!(fs.len(), 3, "{}", dump(&r));
    let who = |name: &str| fs.iter().find(|f| f.explanation().contains(name)).unwrap();
    assert_verdict(who("李某"), Verdict::Violated);
    assert_eq!(who("李某").events.len(), 2);
    assert_verdict(who("赵某"), Verdict::Complied);
    assert_verdict(who("钱某"), Verdict::Complied);
}

#[test]
fn frequency_defeasible_excused() {
    // 一般: a month with too few meetings but a recorded 特殊情况.
    let r = check(
        &(ruleset(FREQ_AT_LEAST)
            + &scenario(&format!(
                "期间 2023-09-01 至 2023-09-30\n{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 特殊情况 \"汛期\""
            ))),
    );
    assert_verdict(only(&r, 20), Verdict::Excepted);
}

// ═════════════════════════ 人数 ═════════════════════════

const QUORUM: &str = "\
第三十条 {
  原文 \"常务会议须有半数以上组成人员出席方能召开。\"
  须 召开 常务会议 出席 超过 一半
}
第三十一条 {
  原文 \"全体会议须有三分之二以上组成人员出席。\"
  须 召开 全体会议 出席 不少于 三分之二
}";

#[test]
fn quorum_exactly_half_is_not_more_than_half() {
    // 应到 4, 实到 2: 2/4 is exactly half, not 超过 一半: 违反. 实到 3: 符合.
    let r = check(
        &(ruleset(QUORUM)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 召开 常务会议 \"第14次\" 应到 4 人 实到 2 人\n\
             2023-10-20 召开 常务会议 \"第15次\" 应到 4 实到 3"
            ))),
    );
    let f = on(&r, 30, "2023-10-10");
    assert_verdict(f, Verdict::Violated);
    assert_eq!(f.pattern, "人数");
    assert!(
        f.explanation().contains("出席成员2人") && f.explanation().contains("应到4人"),
        "{}",
        f.explanation()
    );
    assert_verdict(on(&r, 30, "2023-10-20"), Verdict::Complied);
}

#[test]
fn quorum_from_members_and_present_list() {
    // 常务会议 组成 县长、副县长: 王某, 李某 (常务副县长 属于 副县长), 赵某,
    // 钱某 = 4 due (孙某, 办公室主任, is not a member). Present 2: 违反; 3: 符合.
    let r = check(
        &(ruleset(QUORUM)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 召开 常务会议 \"第14次\" 出席 王某、李某\n\
             2023-10-20 召开 常务会议 \"第15次\" 出席 王某、李某、赵某 列席 孙某\n\
             2023-10-25 召开 常务会议 \"第16次\" 出席 王某、李某、孙某"
            ))),
    );
    let f = on(&r, 30, "2023-10-10");
    assert_verdict(f, Verdict::Violated);
    assert!(
        f.explanation().contains("出席成员2人") && f.explanation().contains("应到4人"),
        "{}",
        f.explanation()
    );
    let f = on(&r, 30, "2023-10-20");
    assert_verdict(f, Verdict::Complied);
    assert!(
        f.explanation().contains("出席成员3人"),
        "{}",
        f.explanation()
    );
    // Membership (issue #11, class 6): 孙某 (办公室主任) written in 出席 is
    // not a member: 2 members of 4 is not more than half, 违反.
    let f = on(&r, 30, "2023-10-25");
    assert_verdict(f, Verdict::Violated);
    assert!(
        f.explanation().contains("出席成员2人") && f.explanation().contains("另有1名非组成人员"),
        "{}",
        f.explanation()
    );
}

#[test]
fn quorum_two_thirds_boundary_and_unknown_due() {
    // 不少于 三分之二 of 6: 4 is exactly 2/3: 符合; 3: 违反. 全体会议 has no
    // 组成, so without 应到 the due number is unknown: 待定.
    let r = check(
        &(ruleset(QUORUM)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-10 召开 全体会议 \"甲\" 应到 6 实到 4\n\
             2023-10-11 召开 全体会议 \"乙\" 应到 6 实到 3\n\
             2023-10-12 召开 全体会议 \"丙\" 出席 王某、李某"
            ))),
    );
    assert_verdict(on(&r, 31, "2023-10-10"), Verdict::Complied);
    assert_verdict(on(&r, 31, "2023-10-11"), Verdict::Violated);
    assert_verdict(on(&r, 31, "2023-10-12"), Verdict::Pending);
}

// ═════════════════════════ 禁止 ═════════════════════════

const PROHIBITION: &str = "\
第四十条 {
  原文 \"不得在风景名胜区、高级宾馆召开会议。\"
  不得 召开 专题会议 情形 风景名胜区、高级宾馆
}
第四十一条 {
  原文 \"县政府文件不得报送领导个人。\"
  不得 向 个人 报送 县政府文件
}
第四十二条 {
  原文 \"汛期副县长原则上不得离县。\"
  原则上 不得 副县长 外出 离县 情形 汛期
}";

#[test]
fn prohibition_with_and_without_forbidden_circumstance() {
    let r = check(
        &(ruleset(PROHIBITION)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-22 召开 专题会议 \"甲\" 主持 李某 地点 \"某宾馆\" 情形 高级宾馆\n\
             2023-10-23 召开 专题会议 \"乙\" 主持 李某 地点 \"县政府三楼\"\n\
             2023-10-24 召开 常务会议 \"第15次\" 情形 高级宾馆\n\
             预期 违反 四十"
            ))),
    );
    let f = on(&r, 40, "2023-10-22");
    assert_verdict(f, Verdict::Violated);
    assert_eq!(f.pattern, "禁止");
    assert!(f.explanation().contains("高级宾馆"), "{}", f.explanation());
    assert_verdict(on(&r, 40, "2023-10-23"), Verdict::Complied);
    // A 常务会议 is not a 专题会议: no finding.
    assert_eq!(of(&r, 40).len(), 2, "{}", dump(&r));
}

#[test]
fn prohibition_to_an_individual() {
    let r = check(
        &(ruleset(PROHIBITION)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-22 县发改局 向 王某 报送 县政府文件 \"甲\"\n\
             2023-10-23 县发改局 向 县委 报送 县政府文件 \"乙\""
            ))),
    );
    assert_verdict(on(&r, 41, "2023-10-22"), Verdict::Violated);
    assert_verdict(on(&r, 41, "2023-10-23"), Verdict::Complied);
}

#[test]
fn prohibition_leaving_county_defeasible() {
    let r = check(
        &(ruleset(PROHIBITION)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-07-10 李某 出差 离县 自 2023-07-10 至 2023-07-12 情形 汛期\n\
             2023-07-15 赵某 出差 自 2023-07-15 至 2023-07-16 情形 汛期\n\
             2023-07-20 钱某 出访 离县 自 2023-07-20 至 2023-07-22\n\
             2023-07-25 钱某 出差 离县 自 2023-07-25 至 2023-07-26 情形 汛期 特殊情况 \"抢险物资协调\""
            ))),
    );
    assert_verdict(on(&r, 42, "2023-07-10"), Verdict::Violated);
    // Within the county, or not in the 汛期: 符合.
    assert_verdict(on(&r, 42, "2023-07-15"), Verdict::Complied);
    assert_verdict(on(&r, 42, "2023-07-20"), Verdict::Complied);
    // 原则上 + 特殊情况: 例外.
    assert_verdict(on(&r, 42, "2023-07-25"), Verdict::Excepted);
}

#[test]
fn prohibition_hard_exception_is_not_applicable() {
    let rules = "第四十三条 {\n\
                   原文 \"除接待上级检查外，不得在高级宾馆召开会议。\"\n\
                   除 情形 接待上级检查 外 不得 召开 专题会议 情形 高级宾馆\n\
                 }";
    let r = check(
        &(ruleset(rules)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-22 召开 专题会议 \"甲\" 情形 高级宾馆、接待上级检查\n\
             2023-10-23 召开 专题会议 \"乙\" 情形 高级宾馆\n\
             预期 违反 四十三"
            ))),
    );
    assert_verdict(on(&r, 43, "2023-10-22"), Verdict::NotApplicable);
    assert_verdict(on(&r, 43, "2023-10-23"), Verdict::Violated);
}

// ═════════════════════════ calendar range ═════════════════════════

#[test]
fn working_day_count_in_an_uncovered_year_is_an_error() {
    // The national calendar covers 2020 … 2026; a 7-working-day deadline
    // from a meeting on 2027-01-05 needs 2027's holidays.
    let e = check_err(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n2027-01-05 召开 常务会议 \"第1次\" 决定印发 \"甲\""
            ))),
    );
    assert_eq!(e[0].code, code::CALENDAR_OUT_OF_RANGE, "{}", show(&e));
    assert!(e[0].message.contains("2027-01-05"), "{}", e[0].message);
}

#[test]
fn calendar_day_deadline_works_in_any_year() {
    // 3日内 needs no holiday data. Tue 2027-01-05 + 3 = Fri 2027-01-08:
    // signed 01-08 符合. Mon 2031-03-03 + 3 = Thu 2031-03-06: signed
    // 03-07 违反, 逾期1日.
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2027-01-05 召开 专题会议 \"专题一\" 主持 李某\n\
             2027-01-08 李某 签发 纪要 \"专题一纪要\" 依据 \"专题一\"\n\
             2031-03-03 召开 专题会议 \"专题二\" 主持 李某\n\
             2031-03-07 李某 签发 纪要 \"专题二纪要\" 依据 \"专题二\""
            ))),
    );
    let ok = on(&r, 59, "2027-01-08");
    assert_verdict(ok, Verdict::Complied);
    assert_eq!(note(ok, "期限"), d("2027-01-08"));
    let late = on(&r, 59, "2031-03-07");
    assert_verdict(late, Verdict::Violated);
    assert_eq!(note(late, "期限"), d("2031-03-06"));
    assert!(
        late.explanation().contains("逾期1日"),
        "{}",
        late.explanation()
    );
}

#[test]
fn days_ahead_work_in_any_year() {
    // 提前3天 counts calendar days back: trip from Mon 2028-05-01, limit
    // 2028-05-01 − 3 = Fri 2028-04-28. Reported 04-28: 符合.
    let r = check(
        &(ruleset(PRECEDENCE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2028-04-28 王某 向 县委 报告 \"赴省城开会\"\n\
             2028-05-01 王某 出差 离县 自 2028-05-01 至 2028-05-03"
            ))),
    );
    let f = only(&r, 78);
    assert_verdict(f, Verdict::Complied);
    assert_eq!(note(f, "应不晚于"), d("2028-04-28"));
}

#[test]
fn events_in_uncovered_years_without_working_day_counts_are_checked() {
    // A 常务会议 in 2027 without 决定印发 triggers no working-day count:
    // only 第五十七条's authority part applies (a 权限 rule has no deadline).
    let rules = "第五十七条 {\n\
                   原文 \"县政府常务会议由县长召集和主持。\"\n\
                   须 由 县长 召集、主持 常务会议\n\
                 }";
    let r = check(
        &(ruleset(rules)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2027-01-05 召开 常务会议 \"第1次\" 召集 王某 主持 王某\n\
             2030-06-03 召开 常务会议 \"第2次\" 召集 李某 主持 李某"
            ))),
    );
    // One finding for 召集 and one for 主持 on each date.
    let on_date = |date: &str| -> Vec<Verdict> {
        of(&r, 57)
            .into_iter()
            .filter(|f| f.events.iter().any(|e| e.date == d(date)))
            .map(|f| f.verdict)
            .collect()
    };
    assert_eq!(
        on_date("2027-01-05"),
        [Verdict::Complied; 2],
        "{}",
        dump(&r)
    );
    assert_eq!(
        on_date("2030-06-03"),
        [Verdict::Violated; 2],
        "{}",
        dump(&r)
    );
}

#[test]
fn deadline_outside_the_calendar_is_an_error() {
    // Fri 2026-12-25 + 7 working days: 12-28 (1) … 12-31 (4), then 2027,
    // which no calendar covers.
    let text = ruleset(RESPONSE)
        + &scenario(&format!(
            "{PEOPLE}\n2026-12-25 召开 常务会议 \"第1次\" 决定印发 \"甲\""
        ));
    let e = check_err(&text);
    assert_eq!(e[0].code, code::CALENDAR_OUT_OF_RANGE, "{}", show(&e));
    assert!(e[0].message.contains("2027"), "{}", e[0].message);
}

#[test]
fn xinjiang_year_without_regional_data_is_an_error() {
    // The Xinjiang calendar covers 2022, 2023 and 2025 only.
    let text = ruleset_named("新疆规则", XINJIANG, RESPONSE)
        + "情景 二〇二四 {\n\
             依据 新疆规则\n\
             2024-06-17 召开 常务会议 \"第1次\" 决定印发 \"甲\"\n\
           }";
    let e = check_err(&text);
    assert_eq!(e[0].code, code::CALENDAR_OUT_OF_RANGE, "{}", show(&e));
}

#[test]
fn supplement_file_adds_a_year_to_the_ruleset_calendar() {
    // The shipped example adds (fictional) Xinjiang 2024 days: Sat 06-15
    // 调休上班, 06-16 … 06-18 off. Meeting Wed 2024-06-12; 7 working days:
    // 06-13 (1), 06-14 (2), Sat 06-15 (3), 06-16/17/18 off, 06-19 (4),
    // 06-20 (5), 06-21 (6), 06-22/23 weekend, Mon 06-24 (7).
    let calendar = "中国法定节假日+新疆 补充 \"rulesets/calendars/xinjiang-2024.example.json\"";
    let text = ruleset_named("新疆规则", calendar, RESPONSE)
        + "情景 二〇二四 {\n\
             依据 新疆规则\n\
             2024-06-12 召开 常务会议 \"第1次\" 决定印发 \"甲\"、\"乙\"\n\
             2024-06-24 印发 \"甲\"\n\
             2024-06-25 印发 \"乙\"\n\
           }";
    let r = check(&text);
    let ok = on(&r, 57, "2024-06-24");
    assert_verdict(ok, Verdict::Complied);
    assert_eq!(note(ok, "期限"), d("2024-06-24"));
    let late = on(&r, 57, "2024-06-25");
    assert_verdict(late, Verdict::Violated);
    assert_eq!(note(late, "期限"), d("2024-06-24"));
}

// ═════════════════════════ suite ═════════════════════════

#[test]
fn suite_runs_scenarios_with_expectations() {
    let dir = std::env::temp_dir().join(format!("guize-patterns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("response.guize");
    let text = ruleset(RESPONSE)
        + &scenario(&format!(
            "{PEOPLE}\n\
             2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"甲\"\n\
             2023-10-11 印发 \"甲\"\n\
             预期 违反 五十七"
        ))
        + "情景 预期写错 {\n依据 测试规则\n2023-09-25 召开 常务会议 \"第13次\" 决定印发 \"甲\"\n2023-10-10 印发 \"甲\"\n预期 违反 五十七\n}\n";
    std::fs::write(&file, text).unwrap();
    let run = guize::suite::run(std::slice::from_ref(&file), &[]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.cases.len(), 2);
    assert_eq!(run.passed(), 1);
    assert_eq!(run.failed(), 1);
    let failed = run
        .cases
        .iter()
        .find(|c| !matches!(c.outcome, guize::suite::Outcome::Passed))
        .unwrap();
    assert_eq!(failed.scenario, "预期写错");
}

// ───────── 及时: a response with no number of days ─────────

const PROMPTLY: &str = r#"规则集 及时规则 {
  日历 中国法定节假日
  单位 县人大常委会、县司法局
  公文 规范性文件
  条 一 {
    原文 "规范性文件印发后及时报县人大常委会备案。"
    须 在 印发 规范性文件 后 及时 向 县人大常委会 报备
  }
}
"#;

fn promptly(events: &str, cutoff: Option<&str>) -> Vec<(guize::Verdict, String)> {
    let mut p = guize::Project::default();
    let cutoff = cutoff.map_or_else(String::new, |c| format!("截至 {c}\n"));
    let text = format!("{PROMPTLY}情景 甲 {{\n依据 及时规则\n{cutoff}{events}\n}}\n");
    p.add_source(&guize::diag::Source::new("promptly.guize", text))
        .unwrap();
    let (_, r) = guize::check_scenario(&p.rulesets[0], &p.scenarios[0]).unwrap();
    r.findings
        .iter()
        .map(|f| (f.verdict, f.explanation().clone()))
        .collect()
}

#[test]
fn promptly_answered_months_later_complies() {
    // No number of days: any 报备 to the right body after the 印发 complies.
    let f = promptly(
        "2023-03-01 县司法局 印发 规范性文件 \"甲\"\n2023-09-01 县司法局 向 县人大常委会 报备 \"甲\"",
        None,
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, guize::Verdict::Complied, "{}", f[0].1);
}

#[test]
fn promptly_missing_is_pending_before_cutoff_and_violated_without() {
    let issued = "2023-03-01 县司法局 印发 规范性文件 \"甲\"";
    let f = promptly(issued, Some("2023-03-10"));
    assert_eq!(f[0].0, guize::Verdict::Pending, "{}", f[0].1);
    assert!(f[0].1.contains("无从判定逾期"), "{}", f[0].1);
    // No 截至: the record is complete, and the 报备 never came.
    let f = promptly(issued, None);
    assert_eq!(f[0].0, guize::Verdict::Violated, "{}", f[0].1);
}

#[test]
fn promptly_to_the_wrong_body_is_no_answer() {
    let f = promptly(
        "2023-03-01 县司法局 印发 规范性文件 \"甲\"\n2023-03-02 县司法局 向 县司法局 报备 \"甲\"",
        None,
    );
    assert_eq!(f[0].0, guize::Verdict::Violated, "{}", f[0].1);
}

/// Who answers (issue #11, class 7): a reply from another party is not the
/// reply owed, and the finding says whose it was rather than "未见回复".
/// 征求意见 Mon 2023-10-16 to 县教育局; 5 working days: 10-17 … 10-23.
#[test]
fn response_from_the_wrong_party_is_named() {
    let r = check(
        &(ruleset(RESPONSE)
            + &scenario(&format!(
                "{PEOPLE}\n\
             2023-10-16 县发改局 征求意见 \"某方案\" 发往 县教育局\n\
             2023-10-18 县财政局 回复 \"某方案\"\n\
             预期 违反 六十"
            ))),
    );
    let f = only(&r, 60);
    assert_verdict(f, Verdict::Violated);
    assert_eq!(note(f, "期限"), d("2023-10-23"));
    assert!(
        f.explanation().contains("只见县财政局于 2023-10-18 回复")
            && f.explanation().contains("应由县教育局回复"),
        "{}",
        f.explanation()
    );
}

/// A delegation valid only while the 县长 is away *out of the county*: on
/// a day he is on a trip inside it, the finding says so rather than
/// “并未外出” (blind r17 伊犁州 R17-07: the 州长 was in 昭苏县); with no trip
/// at all it says he was not away.
#[test]
fn delegation_while_away_names_an_in_county_trip() {
    let rs = ruleset(
        "条 十 {\n 原文 “常务会议由县长召集”\n 须 由 县长 或 县长离县期间委托的常务副县长 召集 常务会议\n }",
    );
    let meeting = "人员 王某 任 县长\n人员 李某 任 常务副县长\n\
                   2025-04-25 王某 委托 李某 代行 召集 常务会议 自 2025-04-28 至 2025-04-30\n\
                   2025-04-29 召开 常务会议 \"第12次常务会议\" 召集 李某";
    let inside = check(&format!(
        "{rs}{}",
        scenario(&format!(
            "2025-04-28 王某 出差 自 2025-04-28 至 2025-04-30 事由 \"赴某乡调研\"\n{meeting}"
        ))
    ));
    let f = only(&inside, 10);
    assert_verdict(f, Verdict::Violated);
    assert!(
        f.explanation().contains("当日的外出没有离开本辖区"),
        "{}",
        f.explanation()
    );
    let none = check(&format!("{rs}{}", scenario(meeting)));
    let f = only(&none, 10);
    assert_verdict(f, Verdict::Violated);
    assert!(
        f.explanation().contains("当日并未离开本辖区外出"),
        "{}",
        f.explanation()
    );
    let out = check(&format!(
        "{rs}{}",
        scenario(&format!(
            "2025-04-28 王某 出差 离县 自 2025-04-28 至 2025-04-30\n{meeting}"
        ))
    ));
    assert_verdict(only(&out, 10), Verdict::Complied);
}
