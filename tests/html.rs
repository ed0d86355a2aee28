//! `--format html` without a browser: hostile text (a 原文, a person's
//! name, an object, a scenario's name containing `<script>`, quotes and
//! `&`) comes out as text, never as markup; the page is self-contained;
//! every finding gets exactly one mark. The browser test is
//! tests/html_browser.rs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use guize::check::{
    AuthPath, DateNote, DateRole, EventRef, Finding, PartyRef, Reason, ScenarioReport, Verdict,
};
use guize::compile::ir::RuleTexts;
use guize::syntax::ast::Span;

const NAME: &str = r#"<script>王某</script>&"'"#;

/// A ruleset whose 原文 is hostile, and a scenario whose name, person and
/// document titles are: one 违反 (印发 late) and one 符合 (召集 by 县长).
fn hostile_guize() -> String {
    format!(
        r#"规则集 敌意测试规则 {{
  制定 测试县人民政府
  施行 2022-06-17
  日历 中国法定节假日

  职务 县长
  会议 常务会议 {{ 组成 县长 }}

  条 五十七 {{
    原文 “<script>alert("原文")</script> & 'x' 会议结束后 7 个工作日内印发”
    须 在 召开 常务会议 后 7个工作日内 印发 决定印发的公文
    原文 “常务会议由县长召集<b>和</b>主持”
    须 由 县长 召集 常务会议
  }}
}}

情景 「<img src=x onerror=alert(1)>」 {{
  依据 敌意测试规则
  人员 「{NAME}」 任 县长
  2023-09-25 召开 常务会议 "第13次<b>会议</b>" 召集 「{NAME}」 主持 「{NAME}」 决定印发 "关于<script>x</script>&的通知"
  2023-10-11 印发 "关于<script>x</script>&的通知"
}}
"#
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(common::ROOT).join("target/html-test");
    std::fs::create_dir_all(&dir).expect("target dir");
    dir.join(name)
}

/// What must hold of any page with hostile input in it.
fn assert_escaped(html: &str) {
    // Our own script is the only one, and no hostile tag got through.
    assert_eq!(html.matches("<script").count(), 1, "one <script>, ours");
    for raw in ["<script>王某", "<script>alert", "<script>x", "<b>", "<img"] {
        assert!(!html.contains(raw), "raw markup {raw:?} in the page");
    }
    assert!(
        html.contains("&lt;script&gt;"),
        "hostile text shown as text"
    );
    // No network: nothing is loaded from anywhere.
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url(http"] {
        assert!(!html.contains(external), "external resource {external:?}");
    }
}

#[test]
fn check_report_escapes_hostile_rule_text_and_names() {
    let path = scratch("hostile.guize");
    std::fs::write(&path, hostile_guize()).expect("write");
    let p = path.to_str().expect("utf-8 path");
    let run = common::guize(&["check", p, p, "--format", "html"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let html = &run.stdout;
    assert_escaped(html);
    // The 原文 and the name, escaped, in text and in attributes.
    assert!(
        html.contains("&lt;script&gt;alert(\"原文\")&lt;/script&gt; &amp; 'x'")
            || html.contains("&lt;script&gt;alert(&quot;原文&quot;)&lt;/script&gt; &amp; 'x'"),
        "原文 escaped"
    );
    assert!(
        html.contains("&lt;script&gt;王某&lt;/script&gt;&amp;"),
        "name escaped"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "scenario name escaped"
    );
    // One 违反 mark, one 符合 mark.
    assert_eq!(html.matches(r#"data-bar="违反""#).count(), 1);
    assert_eq!(html.matches(r#"data-bar="符合""#).count(), 1);
}

#[test]
fn audit_report_escapes_hostile_names_from_the_log() {
    let rs = scratch("hostile-rules.guize");
    let guize = hostile_guize();
    let rules = &guize[..guize.find("情景").expect("scenario")];
    std::fs::write(&rs, rules).expect("write");
    let name = serde_json::to_string(NAME).expect("json");
    let log = [
        format!(r#"{{"person":{{"name":{name},"positions":["县长"]}}}}"#),
        format!(
            r#"{{"event":{{"date":"2023-09-25","verb":"召开","kind":"常务会议","object":"第13次<b>会议</b>","actor":{name},"convener":{name},"chair":{name},"decided":["关于<script>x</script>&的通知"]}}}}"#
        ),
        r#"{"event":{"date":"2023-10-11","verb":"印发","object":"关于<script>x</script>&的通知"}}"#
            .to_string(),
        // A rejected record: its message quotes what it could not read.
        r#"{"event":{"date":"2023-10-12","verb":"<script>乱写</script>"}}"#.to_string(),
    ]
    .join("\n");
    let log_path = scratch("hostile.jsonl");
    std::fs::write(&log_path, log).expect("write");
    let run = common::guize(&[
        "audit",
        rs.to_str().expect("utf-8"),
        log_path.to_str().expect("utf-8"),
        "--format",
        "html",
    ]);
    // 2: a record was rejected.
    assert_eq!(run.code, 2, "{}", run.describe());
    let html = &run.stdout;
    assert_escaped(html);
    assert!(
        html.contains("&lt;script&gt;王某&lt;/script&gt;&amp;"),
        "offender escaped"
    );
    assert_eq!(
        html.matches(r#"data-row="违反""#).count(),
        1,
        "one 违反 row"
    );
    assert!(
        html.contains("拒收的记录（1 条）"),
        "the rejected record listed"
    );
}

/// Every text field of a finding, hostile, through the library.
#[test]
fn every_field_of_a_finding_is_escaped() {
    let evil = |what: &str| format!("<i>{what}</i>\"'&amp;");
    let date = chrono::NaiveDate::from_ymd_opt(2023, 9, 25).expect("date");
    let finding = Finding {
        article: 1,
        rule: 999,
        texts: std::sync::Arc::new(RuleTexts {
            article_display: evil("第一条").into(),
            quote: Some(evil("原文").into()),
            text: evil("规则").into(),
            span: Span::default(),
        }),
        pattern: "响应",
        verdict: Verdict::Violated,
        events: vec![EventRef {
            index: 0,
            date,
            text: evil("事件").into(),
            line: 3,
            span: Span::default(),
        }]
        .into(),
        // A date's label is typed (DateRole), not text.
        dates: vec![DateNote {
            role: DateRole::Deadline,
            date,
        }]
        .into(),
        reason: Reason::Excluded {
            tag: evil("说明").into(),
        },
        path: Some(std::sync::Arc::new(AuthPath::AreaLeader(
            evil("依据").into(),
        ))),
        party: Some(PartyRef::Unit(evil("当事方").into())),
        counted_from: None,
        excuse: None,
        kind_unsure: Some(std::sync::Arc::new(guize::check::KindUnsure {
            recorded: evil("统称").into(),
            wanted: evil("种类").into(),
            if_applies: Verdict::Violated,
        })),
    };
    let report = ScenarioReport {
        scenario: evil("情景"),
        ruleset: evil("规则集"),
        file: evil("文件"),
        cutoff: None,
        findings: vec![finding],
        problems: Vec::new(),
    };
    let html = guize::html::check_report(&guize::Project::default(), &[report]);
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<i>"), "no raw <i>");
    for what in [
        "第一条",
        "原文",
        "规则",
        "事件",
        "说明",
        "依据",
        "当事方",
        "统称",
        "种类",
        "情景",
        "规则集",
        "文件",
    ] {
        assert!(
            html.contains(&format!("&lt;i&gt;{what}&lt;/i&gt;")),
            "{what} shown escaped"
        );
    }
    // `&amp;` in the data is shown as the five characters, not as `&`.
    assert!(html.contains("&amp;amp;"));
    // A mark for the one finding although the rule is unknown.
    assert_eq!(html.matches(r#"data-bar="违反""#).count(), 1);
}

/// Many scenarios on one page: every element id is unique (the timelines
/// share one set of patterns; a duplicate id would paint from a drawing
/// that may be hidden), and every scenario gets its section and marks.
#[test]
fn ids_are_unique_across_scenarios() {
    let run = common::guize(&[
        "check",
        "rulesets/yili-2023.guize",
        "tests/scenarios/yili-2023/deadlines.guize",
        "--format",
        "html",
    ]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let html = &run.stdout;
    let ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(i, _)| {
            let rest = &html[i + 5..];
            &rest[..rest.find('"').expect("end of id")]
        })
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    assert!(unique.contains("pend") && unique.contains("hatch"));
    let json = common::guize(&[
        "check",
        "rulesets/yili-2023.guize",
        "tests/scenarios/yili-2023/deadlines.guize",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let reports = doc["reports"].as_array().expect("reports");
    assert!(reports.len() > 10);
    assert_eq!(
        html.matches("<section class=\"scenario\"").count(),
        reports.len()
    );
    let findings: usize = reports
        .iter()
        .map(|r| r["findings"].as_array().expect("findings").len())
        .sum();
    assert_eq!(html.matches("data-bar=").count(), findings);
    // 新疆's 肉孜节 (2025-03-29 … 03-31 in this calendar) is shaded as a
    // regional day.
    assert!(html.contains(r#"class="day regional" data-date="2025-03-31""#));
}
