//! Scenarios given as JSON go through the same pipeline as `.guize` ones.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use guize::diag::{Source, code};
use guize::{Project, check_scenario};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn qianan() -> Project {
    let mut p = Project::default();
    p.load_paths(&[format!("{ROOT}/rulesets/qianan-2022.guize")])
        .unwrap_or_else(|e| panic!("{}", guize::diag::render(&e, false)));
    p
}

fn verdicts(p: &Project, sc: &guize::ScenarioSource) -> Vec<(u32, String, String)> {
    let (_, r) = check_scenario(&p.rulesets[0], sc)
        .unwrap_or_else(|e| panic!("{}", guize::diag::render(&e, false)));
    r.findings
        .iter()
        .map(|f| {
            (
                f.article,
                f.verdict.word().to_string(),
                f.explanation().clone(),
            )
        })
        .collect()
}

/// The JSON fixture and the same scenario written in the language give the
/// same findings: 7个工作日 after 2023-09-25 is 2023-10-10, issued 10-11.
#[test]
fn json_and_guize_agree() {
    let mut p = qianan();
    p.load_paths(&[format!("{ROOT}/tests/golden/json/late-issue.scenario.json")])
        .unwrap();
    p.add_source(&Source::new(
        "same.guize",
        r#"情景 常务会议后逾期印发 {
  依据 乾安县人民政府工作规则
  期间 2023-09-25 至 2023-09-25
  人员 王某 任 县长
  2023-09-25 召开 常务会议 "第13次常务会议" 召集 王某 主持 王某 出席 王某 决定印发 "关于秋粮收购的通知"
  2023-10-11 王某 印发 "关于秋粮收购的通知"
}"#,
    ))
    .unwrap();
    let (json, text) = (&p.scenarios[0], &p.scenarios[1]);
    assert_eq!(verdicts(&p, json), verdicts(&p, text));
    assert!(
        verdicts(&p, json)
            .iter()
            .any(|(a, v, e)| *a == 57 && v == "违反" && e.contains("超过期限 2023-10-10"))
    );
}

fn json_errors(text: &str) -> Vec<guize::diag::Diag> {
    let mut p = qianan();
    let src = Source::new("bad.scenario.json", text);
    if let Err(e) = p.add_source(&src) {
        return e;
    }
    let sc = &p.scenarios[0];
    match check_scenario(&p.rulesets[0], sc) {
        Err(e) => e,
        Ok(_) => panic!("expected an error for {text}"),
    }
}

#[test]
fn malformed_json_points_at_the_place() {
    let text = "{\n  \"name\": \"x\",\n  \"events\": [ { \"date\": \"2023-09-25\" \"verb\": \"召开\" } ]\n}";
    let e = json_errors(text);
    assert_eq!(e[0].code, code::JSON_INVALID);
    // Line 3: `  "events": [ { "date": "2023-09-25" "verb": …`: the value
    // "2023-09-25" ends at column 36, a space, then `"verb"` opens at column
    // 38 with no comma before it — that is where it points.
    assert_eq!(e[0].location(), "bad.scenario.json:3:38");
}

#[test]
fn unknown_field_is_an_error() {
    let e = json_errors(r#"{"name": "x", "evnets": []}"#);
    assert_eq!(e[0].code, code::JSON_INVALID);
    assert!(e[0].message.contains("evnets"), "{}", e[0].message);
}

/// An unknown name is pointed at where it is written (its quotes
/// included), not at its whole event (it was the event's object before).
#[test]
fn unknown_names_point_at_their_value() {
    let text = r#"{"name": "x", "basis": ["乾安县人民政府工作规则"],
 "people": [{"name": "王某", "positions": ["县长"]}],
 "events": [{"date": "2023-09-25", "verb": "召开", "kind": "常务会仪", "object": "第1次"}]}"#;
    let e = json_errors(text);
    assert_eq!(e[0].code, code::NAME_UNKNOWN);
    assert!(e[0].help.contains("常务会议"), "{}", e[0].help);
    let src = &text[e[0].span.start..e[0].span.end];
    assert_eq!(src, "\"常务会仪\"");
}

#[test]
fn unknown_verb_and_bad_date() {
    // 开会 is neither built in nor declared by 乾安 (行为 …): the error says
    // so and offers the nearest verb.
    let e = json_errors(r#"{"name": "x", "events": [{"date": "2023-09-25", "verb": "开会"}]}"#);
    assert_eq!(e[0].code, code::NAME_VERB);
    assert!(e[0].message.contains("开会"), "{}", e[0].message);
    let e = json_errors(
        r#"{"name": "x", "events": [{"date": "2023-02-30", "verb": "召开", "kind": "常务会议"}]}"#,
    );
    assert_eq!(e[0].code, code::SYNTAX_DATE);
}

/// A field serde refuses inside an event is pointed at where serde stopped
/// (after the key), not at the whole event.
#[test]
fn unknown_event_field_points_at_the_key() {
    let text = "{\"name\": \"x\", \"events\": [\n  {\"date\": \"2023-09-25\", \"knd\": \"常务会议\", \"verb\": \"召开\"}]}";
    let e = json_errors(text);
    assert_eq!(e[0].code, code::JSON_INVALID);
    assert!(e[0].message.contains("knd"), "{}", e[0].message);
    // Line 2: `  {"date": "2023-09-25", "knd"`: two spaces, `{` at 3, `"date"` 4–9, `:` 10,
    // the date 12–23, `,` 24, `"knd"` 26–30: serde stops at its closing quote.
    assert_eq!(e[0].location(), "bad.scenario.json:2:30");
}
