//! Working-day calendar tests. Every expected date was worked out by hand
//! from rulesets/calendars/*.json; the arithmetic is in the comments.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::Datelike;
use guize::calendar::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn national() -> &'static Calendar {
    Calendar::get(CalendarId::National).unwrap()
}

fn xinjiang() -> &'static Calendar {
    Calendar::get(CalendarId::Xinjiang).unwrap()
}

fn holiday(name: &str) -> DayKind {
    DayKind::Holiday {
        name: name.to_owned(),
    }
}

fn adjusted(name: &str) -> DayKind {
    DayKind::AdjustedWorkday {
        name: name.to_owned(),
    }
}

fn regional(name: &str) -> DayKind {
    DayKind::RegionalHoliday {
        name: name.to_owned(),
    }
}

fn assert_day(cal: &Calendar, date: &str, working: bool, kind: DayKind) {
    let st = cal.status(d(date)).unwrap();
    assert_eq!(st.date, d(date));
    assert_eq!((st.working, &st.kind), (working, &kind), "{date}");
    assert_eq!(cal.is_working_day(d(date)).unwrap(), working, "{date}");
}

const NATIONAL_COVERED: &str = "2020年至2026年";
const XINJIANG_COVERED: &str = "新疆地区节假日仅覆盖2022年、2023年、2025年";

fn out_of_range(date: &str, calendar: &'static str, covered: &str) -> CalendarError {
    CalendarError::OutOfRange {
        date: d(date),
        calendar,
        covered: covered.to_owned(),
    }
}

#[test]
fn embedded_data_parses() {
    let n = Calendar::get(CalendarId::National).unwrap();
    let x = Calendar::get(CalendarId::Xinjiang).unwrap();
    assert_eq!(n.id(), CalendarId::National);
    assert_eq!(x.id(), CalendarId::Xinjiang);
    // Cached: the same instance every time.
    assert!(std::ptr::eq(n, national()));
}

#[test]
fn calendar_names() {
    for (name, id) in [
        ("中国法定节假日", CalendarId::National),
        ("全国", CalendarId::National),
        ("national", CalendarId::National),
        ("中国法定节假日+新疆", CalendarId::Xinjiang),
        ("新疆", CalendarId::Xinjiang),
        ("新疆维吾尔自治区", CalendarId::Xinjiang),
        ("xinjiang", CalendarId::Xinjiang),
    ] {
        assert_eq!(CalendarId::from_name(name), Some(id), "{name}");
        assert!(CalendarId::ALL_NAMES.contains(&name), "{name}");
    }
    assert_eq!(CalendarId::ALL_NAMES.len(), 7);
    assert_eq!(CalendarId::from_name("上海"), None);
    assert_eq!(CalendarId::National.display_name(), "中国法定节假日");
    assert_eq!(CalendarId::Xinjiang.display_name(), "中国法定节假日+新疆");
}

/// At least one 调休上班 weekend and one day off per notice year 2020–2026.
#[test]
fn adjusted_workdays_and_holidays_each_year() {
    let cal = national();
    let cases = [
        // 2020
        ("2020-01-19", true, adjusted("春节")),   // Sun
        ("2020-06-28", true, adjusted("端午节")), // Sun
        ("2020-10-01", false, holiday("国庆节、中秋节")), // Thu
        // 2021
        ("2021-02-07", true, adjusted("春节")),   // Sun
        ("2021-09-18", true, adjusted("中秋节")), // Sat
        ("2021-10-09", true, adjusted("国庆节")), // Sat
        ("2021-02-11", false, holiday("春节")),   // Thu
        // 2022
        ("2022-01-29", true, adjusted("春节")),   // Sat
        ("2022-01-30", true, adjusted("春节")),   // Sun
        ("2022-10-08", true, adjusted("国庆节")), // Sat
        ("2022-10-03", false, holiday("国庆节")), // Mon
        // 2023
        ("2023-01-28", true, adjusted("春节")),   // Sat
        ("2023-04-23", true, adjusted("劳动节")), // Sun
        ("2023-10-07", true, adjusted("中秋节、国庆节")), // Sat
        ("2023-01-23", false, holiday("春节")),   // Mon
        // 2024
        ("2024-02-04", true, adjusted("春节")),   // Sun
        ("2024-10-12", true, adjusted("国庆节")), // Sat
        ("2024-02-12", false, holiday("春节")),   // Mon
        // 2025
        ("2025-01-26", true, adjusted("春节")), // Sun
        ("2025-09-28", true, adjusted("国庆节、中秋节")), // Sun
        ("2025-10-11", true, adjusted("国庆节、中秋节")), // Sat
        ("2025-10-08", false, holiday("国庆节、中秋节")), // Wed
        // 2026
        ("2026-01-04", true, adjusted("元旦")),   // Sun
        ("2026-02-14", true, adjusted("春节")),   // Sat
        ("2026-02-28", true, adjusted("春节")),   // Sat
        ("2026-09-20", true, adjusted("国庆节")), // Sun
        ("2026-10-10", true, adjusted("国庆节")), // Sat
        ("2026-02-23", false, holiday("春节")),   // Mon
    ];
    for (date, working, kind) in cases {
        assert_day(cal, date, working, kind);
    }
}

#[test]
fn spring_festival_2020_extension() {
    let cal = national();
    // Amended notice: off 01-24..02-02, back to work Mon 02-03.
    assert_day(cal, "2020-01-31", false, holiday("春节")); // Fri
    assert_day(cal, "2020-02-01", false, holiday("春节")); // Sat, working in the original notice
    assert_day(cal, "2020-02-02", false, holiday("春节")); // Sun
    assert_day(cal, "2020-02-03", true, DayKind::Weekday); // Mon, ordinary weekday
    // Thu 01-23 + 1 working day: 01-24..02-02 all off -> Mon 02-03.
    assert_eq!(
        cal.add_working_days(d("2020-01-23"), 1).unwrap(),
        d("2020-02-03")
    );
}

#[test]
fn cross_year_new_year_2023() {
    let cal = national();
    // 2022-12-31 (Sat) is listed under "2023": 元旦 12-31..01-02.
    assert_day(cal, "2022-12-31", false, holiday("元旦"));
    assert_day(cal, "2023-01-02", false, holiday("元旦")); // Mon
    // Fri 2022-12-30 + 1: 12-31, 01-01, 01-02 off -> Tue 2023-01-03.
    assert_eq!(
        cal.add_working_days(d("2022-12-30"), 1).unwrap(),
        d("2023-01-03")
    );
    assert_eq!(
        cal.working_days_between(d("2022-12-30"), d("2023-01-03"))
            .unwrap(),
        1
    );
}

#[test]
fn design_example_national_day_2023() {
    let cal = national();
    // Mon 09-25 +7: 09-26,27,28 = 1..3; 09-29..10-06 off (8 days);
    // 10-07 Sat, 10-08 Sun 调休上班 = 4,5; 10-09 Mon = 6, 10-10 Tue = 7.
    assert_eq!(
        cal.add_working_days(d("2023-09-25"), 7).unwrap(),
        d("2023-10-10")
    );
    // +8 -> 10-11 Wed.
    assert_eq!(
        cal.add_working_days(d("2023-09-25"), 8).unwrap(),
        d("2023-10-11")
    );
    // 3 working days + 8 days off + 4 working days = 15 days traced.
    let trace = cal.working_day_trace(d("2023-09-25"), 7).unwrap();
    let ords: Vec<Option<u32>> = trace.iter().map(|(_, o)| *o).collect();
    let mut expected = vec![Some(1), Some(2), Some(3)];
    expected.extend([None; 8]);
    expected.extend([Some(4), Some(5), Some(6), Some(7)]);
    assert_eq!(ords, expected);
    assert_eq!(trace.first().unwrap().0.date, d("2023-09-26"));
    assert_eq!(trace.last().unwrap().0.date, d("2023-10-10"));
    assert_eq!(
        trace.get(11).unwrap().0.kind,
        adjusted("中秋节、国庆节") // 10-07
    );
    assert!(trace.iter().all(|(st, o)| st.working == o.is_some()));
    assert_eq!(
        cal.working_days_between(d("2023-09-25"), d("2023-10-10"))
            .unwrap(),
        7
    );
}

#[test]
fn sub_working_days() {
    let cal = national();
    // Tue 10-10 -7: 10-09 (1), 10-08 (2), 10-07 (3), 10-06..09-29 off,
    // 09-28 (4), 09-27 (5), 09-26 (6), 09-25 (7).
    assert_eq!(
        cal.sub_working_days(d("2023-10-10"), 7).unwrap(),
        d("2023-09-25")
    );
    // Mon 10-09 -1 -> Sun 10-08 (调休上班).
    assert_eq!(
        cal.sub_working_days(d("2023-10-09"), 1).unwrap(),
        d("2023-10-08")
    );
    // Sat 10-07 -1: 10-06..09-29 off -> Thu 09-28.
    assert_eq!(
        cal.sub_working_days(d("2023-10-07"), 1).unwrap(),
        d("2023-09-28")
    );
    // Backward trace from 10-07, n=-3: 10-06..09-29 (8 off), 09-28 (1), 09-27 (2), 09-26 (3).
    let trace = cal.working_day_trace(d("2023-10-07"), -3).unwrap();
    assert_eq!(trace.len(), 11);
    assert_eq!(trace.first().unwrap().0.date, d("2023-10-06"));
    assert_eq!(
        trace.last().unwrap(),
        &(cal.status(d("2023-09-26")).unwrap(), Some(3))
    );
}

#[test]
fn zero_working_days() {
    let cal = national();
    assert_eq!(
        cal.add_working_days(d("2023-10-01"), 0).unwrap(),
        d("2023-10-01")
    );
    assert_eq!(
        cal.sub_working_days(d("2023-10-01"), 0).unwrap(),
        d("2023-10-01")
    );
    assert!(
        cal.working_day_trace(d("2023-10-01"), 0)
            .unwrap()
            .is_empty()
    );
    // n=0 is still coverage-checked.
    assert_eq!(
        cal.add_working_days(d("2027-01-01"), 0),
        Err(out_of_range(
            "2027-01-01",
            "中国法定节假日",
            NATIONAL_COVERED
        ))
    );
    // b <= a -> 0.
    assert_eq!(
        cal.working_days_between(d("2023-10-10"), d("2023-09-25"))
            .unwrap(),
        0
    );
    assert_eq!(
        cal.working_days_between(d("2023-10-10"), d("2023-10-10"))
            .unwrap(),
        0
    );
}

#[test]
fn calendar_days() {
    let cal = national();
    // 09-25 + 30: September has 30 days, 25 + 30 - 30 = October 25.
    assert_eq!(cal.add_days(d("2023-09-25"), 30).unwrap(), d("2023-10-25"));
    assert_eq!(cal.add_days(d("2023-10-25"), -30).unwrap(), d("2023-09-25"));
    // Calendar days need no holiday data: any year works, on every calendar.
    // 2026-12-31 + 1 = 2027-01-01; 2020-01-01 − 1 = 2019-12-31;
    // 2035-02-27 + 2 = 2035-03-01 (2035 is not a leap year).
    assert_eq!(cal.add_days(d("2026-12-31"), 1).unwrap(), d("2027-01-01"));
    assert_eq!(cal.add_days(d("2020-01-01"), -1).unwrap(), d("2019-12-31"));
    assert_eq!(cal.add_days(d("2035-02-27"), 2).unwrap(), d("2035-03-01"));
    // Xinjiang has no regional data for 2024: 2024-06-10 + 3 = 2024-06-13.
    assert_eq!(
        xinjiang().add_days(d("2024-06-10"), 3).unwrap(),
        d("2024-06-13")
    );
    // Huge offsets are an error, not a panic.
    assert!(cal.add_days(d("2023-01-01"), i64::MAX).is_err());
    assert!(cal.add_days(d("2023-01-01"), i64::MIN).is_err());
}

#[test]
fn out_of_range_both_ends() {
    let cal = national();
    assert_eq!(
        cal.status(d("2019-12-31")),
        Err(out_of_range(
            "2019-12-31",
            "中国法定节假日",
            NATIONAL_COVERED
        ))
    );
    assert_eq!(
        cal.is_working_day(d("2027-01-01")),
        Err(out_of_range(
            "2027-01-01",
            "中国法定节假日",
            NATIONAL_COVERED
        ))
    );
    assert!(cal.covers(d("2020-01-01")).is_ok());
    assert!(cal.covers(d("2026-12-31")).is_ok());
    // Fri 2026-12-25 + 4: 12-28 Mon (1), 29 (2), 30 (3), 31 Thu (4).
    assert_eq!(
        cal.add_working_days(d("2026-12-25"), 4).unwrap(),
        d("2026-12-31")
    );
    // + 10 walks into 2027-01-01, which has no data.
    let err = cal.add_working_days(d("2026-12-25"), 10).unwrap_err();
    assert_eq!(
        err,
        out_of_range("2027-01-01", "中国法定节假日", NATIONAL_COVERED)
    );
    assert_eq!(
        err.to_string(),
        "日期 2027-01-01 超出日历“中国法定节假日”的覆盖范围（2020年至2026年）"
    );
    assert!(cal.working_day_trace(d("2026-12-25"), 10).is_err());
    // Fri 2020-01-03 - 3: 01-02 (1), 01-01 元旦 off, 2019-12-31 uncovered.
    assert_eq!(
        cal.sub_working_days(d("2020-01-03"), 3),
        Err(out_of_range(
            "2019-12-31",
            "中国法定节假日",
            NATIONAL_COVERED
        ))
    );
    assert!(
        cal.working_days_between(d("2019-12-31"), d("2020-01-03"))
            .is_err()
    );
    assert!(cal.add_working_days(d("2023-01-01"), u32::MAX).is_err());
    assert!(cal.working_day_trace(d("2023-01-01"), i64::MIN).is_err());
}

#[test]
fn xinjiang_regional_days() {
    let (n, x) = (national(), xinjiang());
    // 2022: 肉孜节 05-05 (Thu, after the national 劳动节 04-30..05-04).
    assert_day(n, "2022-05-05", true, DayKind::Weekday);
    assert_day(x, "2022-05-05", false, regional("肉孜节"));
    // Fri 04-29 + 1: 04-30..05-04 off -> national Thu 05-05; Xinjiang 05-05 off -> Fri 05-06.
    assert_eq!(
        n.add_working_days(d("2022-04-29"), 1).unwrap(),
        d("2022-05-05")
    );
    assert_eq!(
        x.add_working_days(d("2022-04-29"), 1).unwrap(),
        d("2022-05-06")
    );
    // 2022: 古尔邦节 07-09 (Sat) .. 07-13 (Wed).
    assert_day(n, "2022-07-09", false, DayKind::Weekend);
    assert_day(x, "2022-07-09", false, regional("古尔邦节"));
    assert_day(n, "2022-07-11", true, DayKind::Weekday); // Mon
    assert_day(x, "2022-07-11", false, regional("古尔邦节"));

    // 2023: 肉孜节 04-21 (Fri). Mon 04-17 .. Mon 04-24:
    // national: 18,19,20,21 (4), 22 Sat off, 23 Sun 劳动节调休上班 (5), 24 (6) = 6;
    // Xinjiang: 21 off -> 5. One less.
    assert_day(x, "2023-04-21", false, regional("肉孜节"));
    assert_eq!(
        n.working_days_between(d("2023-04-17"), d("2023-04-24"))
            .unwrap(),
        6
    );
    assert_eq!(
        x.working_days_between(d("2023-04-17"), d("2023-04-24"))
            .unwrap(),
        5
    );
    // Thu 04-20 + 1: national Fri 04-21; Xinjiang skips 21, 22 -> Sun 04-23 (调休上班 still applies).
    assert_eq!(
        n.add_working_days(d("2023-04-20"), 1).unwrap(),
        d("2023-04-21")
    );
    assert_eq!(
        x.add_working_days(d("2023-04-20"), 1).unwrap(),
        d("2023-04-23")
    );
    assert_day(x, "2023-04-23", true, adjusted("劳动节"));
    // 2023: 古尔邦节 06-28 (Wed) .. 06-30 (Fri). Tue 06-27 + 1:
    // national Wed 06-28; Xinjiang 28..30 off, 07-01/02 weekend -> Mon 07-03.
    assert_day(n, "2023-06-28", true, DayKind::Weekday);
    assert_day(x, "2023-06-28", false, regional("古尔邦节"));
    assert_eq!(
        n.add_working_days(d("2023-06-27"), 1).unwrap(),
        d("2023-06-28")
    );
    assert_eq!(
        x.add_working_days(d("2023-06-27"), 1).unwrap(),
        d("2023-07-03")
    );

    // 2025: 肉孜节 03-29 (Sat) .. 03-31 (Mon). Fri 03-28 .. Tue 04-01:
    // national 03-31, 04-01 = 2; Xinjiang only 04-01 = 1.
    assert_day(n, "2025-03-31", true, DayKind::Weekday);
    assert_day(x, "2025-03-31", false, regional("肉孜节"));
    assert_eq!(
        n.working_days_between(d("2025-03-28"), d("2025-04-01"))
            .unwrap(),
        2
    );
    assert_eq!(
        x.working_days_between(d("2025-03-28"), d("2025-04-01"))
            .unwrap(),
        1
    );
    // 2025: 古尔邦节 06-06 (Fri) .. 06-10 (Tue). Thu 06-05 + 1: national Fri 06-06;
    // Xinjiang 06-06..06-10 off -> Wed 06-11.
    assert_day(x, "2025-06-10", false, regional("古尔邦节"));
    assert_eq!(
        n.add_working_days(d("2025-06-05"), 1).unwrap(),
        d("2025-06-06")
    );
    assert_eq!(
        x.add_working_days(d("2025-06-05"), 1).unwrap(),
        d("2025-06-11")
    );

    // National rows still apply in Xinjiang.
    assert_day(x, "2022-12-31", false, holiday("元旦"));
    assert_day(x, "2023-10-07", true, adjusted("中秋节、国庆节"));
    assert_eq!(
        x.add_working_days(d("2023-09-25"), 7).unwrap(),
        d("2023-10-10")
    );
}

#[test]
fn xinjiang_out_of_range() {
    let (n, x) = (national(), xinjiang());
    let xj = "中国法定节假日+新疆";
    assert_eq!(
        x.status(d("2024-06-10")),
        Err(out_of_range("2024-06-10", xj, XINJIANG_COVERED))
    );
    assert_eq!(
        x.status(d("2024-06-10")).unwrap_err().to_string(),
        "日期 2024-06-10 超出日历“中国法定节假日+新疆”的覆盖范围（新疆地区节假日仅覆盖2022年、2023年、2025年）"
    );
    for date in ["2021-06-01", "2026-06-01", "2019-12-31", "2027-01-01"] {
        assert_eq!(
            x.covers(d(date)),
            Err(out_of_range(date, xj, XINJIANG_COVERED))
        );
    }
    // Fri 2023-12-29 + 2: national 12-30/31 weekend, 01-01 元旦, 01-02 (1), 01-03 (2);
    // Xinjiang stops at 2024-01-01 (no regional data for 2024).
    assert_eq!(
        n.add_working_days(d("2023-12-29"), 2).unwrap(),
        d("2024-01-03")
    );
    assert_eq!(
        x.add_working_days(d("2023-12-29"), 2),
        Err(out_of_range("2024-01-01", xj, XINJIANG_COVERED))
    );
    // 2023 -> 2025 through 2024 is not covered either.
    assert!(
        x.working_days_between(d("2023-12-01"), d("2025-01-10"))
            .is_err()
    );
}

#[test]
fn adjoining_weekend_2024_is_ordinary() {
    let cal = national();
    // 端午节 2024-06-10 (Mon) "与周末连休": only the Monday is listed.
    assert_day(cal, "2024-06-08", false, DayKind::Weekend);
    assert_day(cal, "2024-06-09", false, DayKind::Weekend);
    assert_day(cal, "2024-06-10", false, holiday("端午节"));
    // 元旦 2024-01-01 (Mon) likewise; 2023-12-30/31 are ordinary weekend days.
    assert_day(cal, "2023-12-30", false, DayKind::Weekend);
    assert_day(cal, "2024-01-01", false, holiday("元旦"));
    // Fri 06-07 + 1: 08, 09 weekend, 10 off -> Tue 06-11.
    assert_eq!(
        cal.add_working_days(d("2024-06-07"), 1).unwrap(),
        d("2024-06-11")
    );
    assert_eq!(
        cal.status(d("2024-06-08")).unwrap().explain(),
        "2024-06-08 星期六 休息（周末）"
    );
}

#[test]
fn explain_strings() {
    let (n, x) = (national(), xinjiang());
    let explain = |cal: &Calendar, s: &str| cal.status(d(s)).unwrap().explain();
    assert_eq!(
        explain(n, "2023-10-07"),
        "2023-10-07 星期六 工作日（中秋节、国庆节调休上班）"
    );
    assert_eq!(
        explain(n, "2023-10-02"),
        "2023-10-02 星期一 休息（中秋节、国庆节放假）"
    );
    assert_eq!(explain(n, "2023-09-26"), "2023-09-26 星期二 工作日");
    assert_eq!(
        explain(n, "2023-09-30"),
        "2023-09-30 星期六 休息（中秋节、国庆节放假）"
    );
    assert_eq!(
        explain(n, "2023-10-01"),
        "2023-10-01 星期日 休息（中秋节、国庆节放假）"
    );
    assert_eq!(explain(n, "2023-09-23"), "2023-09-23 星期六 休息（周末）");
    assert_eq!(
        explain(x, "2023-06-28"),
        "2023-06-28 星期三 休息（新疆古尔邦节放假）"
    );
    // All seven weekday names: Mon 2023-09-25 .. Sun 2023-10-01.
    let names: Vec<String> = (25..=30)
        .map(|day| format!("2023-09-{day}"))
        .chain(["2023-10-01".to_owned()])
        .map(|s| explain(n, &s).split(' ').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "星期一",
            "星期二",
            "星期三",
            "星期四",
            "星期五",
            "星期六",
            "星期日"
        ]
    );
}

#[test]
fn serializes_for_json_output() {
    let st = national().status(d("2023-10-07")).unwrap();
    assert_eq!(
        serde_json::to_string(&st).unwrap(),
        r#"{"date":"2023-10-07","working":true,"kind":{"AdjustedWorkday":{"name":"中秋节、国庆节"}}}"#
    );
    let err = national().status(d("2027-01-01")).unwrap_err();
    assert_eq!(
        serde_json::to_string(&err).unwrap(),
        r#"{"OutOfRange":{"date":"2027-01-01","calendar":"中国法定节假日","covered":"2020年至2026年"}}"#
    );
}

/// Consistency over every covered date: add/sub/between agree with each other.
#[test]
fn arithmetic_is_self_consistent() {
    for cal in [national(), xinjiang()] {
        let mut date = d("2020-01-01");
        while date <= d("2026-12-31") {
            if cal.covers(date).is_ok() {
                for k in [1u32, 5, 15] {
                    let Ok(r) = cal.add_working_days(date, k) else {
                        continue;
                    };
                    assert!(cal.is_working_day(r).unwrap());
                    assert_eq!(cal.working_days_between(date, r).unwrap(), k);
                    // Walking back lands on `date` or the last working day before it.
                    let s = match cal.sub_working_days(r, k) {
                        Ok(s) => s,
                        // Only possible when no working day precedes `date`
                        // inside its covered year (e.g. 2020-01-01 元旦).
                        Err(CalendarError::OutOfRange { .. }) => {
                            let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap();
                            assert!(!cal.is_working_day(jan1).unwrap(), "{date}");
                            assert_eq!(cal.working_days_between(jan1, date).unwrap(), 0);
                            continue;
                        }
                        Err(e) => panic!("{date}: {e}"),
                    };
                    assert!(s <= date);
                    assert_eq!(cal.working_days_between(s, date).unwrap(), 0);
                    let trace = cal.working_day_trace(date, i64::from(k)).unwrap();
                    assert_eq!(trace.last().unwrap().0.date, r);
                }
            }
            date = date.succ_opt().unwrap();
        }
    }
}

// ═════════════════════ supplement files (补充, --calendar-file) ═════════════════════

use guize::diag::{Diag, Source, code};

/// A supplement file named `name` holding `years` (the inside of "years").
fn file(name: &str, years: &str) -> Source {
    Source::new(
        name,
        format!("{{\"source_notes\": \"测试\", \"years\": {{{years}}}}}"),
    )
}

/// A national 2027 notice, made up for the tests: 元旦 01-01 (Fri) to
/// 01-03, 春节 02-06 (Sat) to 02-12 (Fri) with Sun 01-31 a working day.
fn cn_2027() -> Source {
    file(
        "cn-2027.json",
        r#""2027": [
            {"date": "2027-01-01", "name": "元旦", "off": true},
            {"date": "2027-01-02", "name": "元旦", "off": true},
            {"date": "2027-01-03", "name": "元旦", "off": true},
            {"date": "2027-01-31", "name": "春节", "off": false},
            {"date": "2027-02-06", "name": "春节", "off": true},
            {"date": "2027-02-07", "name": "春节", "off": true},
            {"date": "2027-02-08", "name": "春节", "off": true},
            {"date": "2027-02-09", "name": "春节", "off": true},
            {"date": "2027-02-10", "name": "春节", "off": true},
            {"date": "2027-02-11", "name": "春节", "off": true},
            {"date": "2027-02-12", "name": "春节", "off": true}
        ]"#,
    )
}

/// The diagnostics of applying `files` to `cal` (which must fail).
fn refused(cal: &Calendar, files: &[Source]) -> Vec<Diag> {
    match cal.with_files(files) {
        Ok(_) => panic!("expected the files to be refused"),
        Err(e) => e,
    }
}

/// The one diagnostic, its code, and the text its span points at.
fn only_diag(diags: &[Diag]) -> (&'static str, String, &Diag) {
    assert_eq!(
        diags.len(),
        1,
        "{:?}",
        diags.iter().map(Diag::one_line).collect::<Vec<_>>()
    );
    let d = &diags[0];
    let file = d.file.as_ref().expect("diagnostic names its file");
    (d.code, file.slice(d.span).to_owned(), d)
}

#[test]
fn supplement_adds_a_year() {
    let cal = national().with_files(&[cn_2027()]).unwrap();
    assert!(cal.covers(d("2027-06-01")).is_ok());
    assert!(cal.covers(d("2028-01-01")).is_err());
    assert_eq!(cal.files(), ["cn-2027.json"]);
    assert_day(&cal, "2027-02-08", false, holiday("春节"));
    assert_day(&cal, "2027-01-31", true, adjusted("春节"));
    assert_day(&cal, "2027-02-15", true, DayKind::Weekday);
    // Thu 2026-12-31 + 2: 2027-01-01 … 01-03 off, Mon 01-04 (1), Tue 01-05 (2).
    assert_eq!(
        cal.add_working_days(d("2026-12-31"), 2).unwrap(),
        d("2027-01-05")
    );
    // Fri 2027-01-29 + 6: Sun 01-31 调休 (1), 02-01 … 02-05 (2–6) → Fri 02-05.
    assert_eq!(
        cal.add_working_days(d("2027-01-29"), 6).unwrap(),
        d("2027-02-05")
    );
    // Fri 02-05 + 1: 02-06 … 02-12 off, 02-13/14 weekend → Mon 02-15.
    assert_eq!(
        cal.add_working_days(d("2027-02-05"), 1).unwrap(),
        d("2027-02-15")
    );
    // The embedded calendar itself is unchanged.
    assert!(national().covers(d("2027-06-01")).is_err());
    let err = cal.status(d("2028-01-03")).unwrap_err().to_string();
    assert!(
        err.contains("2020年至2027年，含补充文件 cn-2027.json"),
        "{err}"
    );
}

#[test]
fn example_file_extends_xinjiang_to_2024() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rulesets/calendars/xinjiang-2024.example.json"
    ))
    .unwrap();
    let src = Source::new("xinjiang-2024.example.json", text);
    check_file(&src).unwrap();
    let cal = xinjiang().with_files(&[src]).unwrap();
    // National 2024 rows are there already; the file adds the regional ones.
    assert_day(&cal, "2024-06-10", false, holiday("端午节"));
    assert_day(&cal, "2024-04-10", false, regional("肉孜节（示例）"));
    assert_day(&cal, "2024-06-15", true, adjusted("古尔邦节（示例）"));
    assert_day(&cal, "2024-06-17", false, regional("古尔邦节（示例）"));
    // Fri 06-14 + 2: Sat 06-15 调休 (1), 06-16 … 06-18 off, Wed 06-19 (2).
    assert_eq!(
        cal.add_working_days(d("2024-06-14"), 2).unwrap(),
        d("2024-06-19")
    );
    // Without the file, 2024 is not covered for Xinjiang.
    assert!(xinjiang().add_working_days(d("2024-06-14"), 2).is_err());
    // 2026 still is not.
    assert!(cal.covers(d("2026-03-02")).is_err());
}

#[test]
fn repeating_an_embedded_year_unchanged_is_fine() {
    // 2024-10-01 … 10-07 国庆节 and Sat 10-12 调休 are embedded national rows.
    let same = file(
        "cn-2024.json",
        r#""2024": [
            {"date": "2024-10-01", "name": "国庆节", "off": true},
            {"date": "2024-10-12", "name": "国庆节", "off": false}
        ]"#,
    );
    let cal = national().with_files(&[same]).unwrap();
    assert_day(&cal, "2024-10-01", false, holiday("国庆节"));
    assert_day(&cal, "2024-10-12", true, adjusted("国庆节"));
}

#[test]
fn supplement_validation_errors_are_coded_and_placed() {
    let cases: &[(&str, &str, &str)] = &[
        // 2027-02-29: 2027 is not a leap year.
        (
            r#""2027": [{"date": "2027-02-29", "name": "x", "off": true}]"#,
            code::CALENDAR_BAD_DATE,
            "\"2027-02-29\"",
        ),
        (
            r#""2027": [{"date": "2027-3-1", "name": "x", "off": true}]"#,
            code::CALENDAR_BAD_DATE,
            "\"2027-3-1\"",
        ),
        // Listed under 2027 but dated in May 2026.
        (
            r#""2027": [{"date": "2026-05-01", "name": "x", "off": true}]"#,
            code::CALENDAR_WRONG_YEAR,
            "\"2026-05-01\"",
        ),
        (
            r#""2027": [{"date": "2027-01-01", "name": "a", "off": true},
                        {"date": "2027-01-01", "name": "b", "off": true}]"#,
            code::CALENDAR_DUPLICATE_DAY,
            "\"2027-01-01\"",
        ),
        // Mon 2027-01-04 cannot be a 调休 working day.
        (
            r#""2027": [{"date": "2027-01-04", "name": "x", "off": false}]"#,
            code::CALENDAR_BAD_ROW,
            r#"{"date": "2027-01-04", "name": "x", "off": false}"#,
        ),
        (r#""27": []"#, code::CALENDAR_BAD_YEAR, "\"27\""),
        (
            r#""2027": [{"date": "2027-01-01", "name": "x", "of": true}]"#,
            code::JSON_INVALID,
            r#"{"date": "2027-01-01", "name": "x", "of": true}"#,
        ),
        // Sat 2024-10-05 is inside the embedded 国庆节 break.
        (
            r#""2024": [{"date": "2024-10-05", "name": "国庆节", "off": false}]"#,
            code::CALENDAR_CONFLICT,
            r#"{"date": "2024-10-05", "name": "国庆节", "off": false}"#,
        ),
        // Sat 2024-10-12 is an embedded 调休 working day.
        (
            r#""2024": [{"date": "2024-10-12", "name": "x", "off": true}]"#,
            code::CALENDAR_CONFLICT,
            r#"{"date": "2024-10-12", "name": "x", "off": true}"#,
        ),
        // Fri 2024-03-08 is an ordinary day of the embedded year 2024.
        (
            r#""2024": [{"date": "2024-03-08", "name": "妇女节", "off": true}]"#,
            code::CALENDAR_EMBEDDED_YEAR,
            r#"{"date": "2024-03-08", "name": "妇女节", "off": true}"#,
        ),
    ];
    for (years, want, at) in cases {
        let src = file("bad.json", years);
        let diags = refused(national(), &[src]);
        let (got, text, d) = only_diag(&diags);
        assert_eq!(
            (got, text.as_str()),
            (*want, *at),
            "{years}: {}",
            d.one_line()
        );
        assert!(!d.help.is_empty(), "{years}");
        assert!(d.location().starts_with("bad.json:"), "{}", d.location());
    }
    // Not JSON at all: placed at the character where parsing stopped.
    let src = Source::new(
        "bad.json",
        "{\"source_notes\": \"x\",\n \"years\": {\"2027\": [}\n}",
    );
    let diags = refused(national(), &[src]);
    let (got, text, d) = only_diag(&diags);
    assert_eq!((got, text.as_str()), (code::JSON_INVALID, "}"));
    // Line 2 is ` "years": {"2027": [}`: the } is its 21st character.
    assert_eq!(d.location(), "bad.json:2:21");
    // Several problems in one file are all reported.
    let src = file(
        "bad.json",
        r#""2027": [{"date": "2027-02-30", "name": "x", "off": true},
                    {"date": "2026-05-01", "name": "x", "off": true}]"#,
    );
    let codes: Vec<&str> = refused(national(), &[src]).iter().map(|d| d.code).collect();
    assert_eq!(codes, [code::CALENDAR_BAD_DATE, code::CALENDAR_WRONG_YEAR]);
}

#[test]
fn a_second_file_may_not_contradict_the_first() {
    // cn-2027 makes Sat 2027-02-06 a 春节 day off; the second file says working.
    let other = file(
        "other-2027.json",
        r#""2027": [{"date": "2027-02-06", "name": "春节", "off": false}]"#,
    );
    let diags = refused(national(), &[cn_2027(), other]);
    let (got, _, d) = only_diag(&diags);
    assert_eq!(got, code::CALENDAR_CONFLICT);
    assert!(d.message.contains("cn-2027.json"), "{}", d.message);
    assert!(
        d.location().starts_with("other-2027.json:"),
        "{}",
        d.location()
    );
    // Adding to 2027 once it is covered by the first file is refused too.
    let more = file(
        "more-2027.json",
        r#""2027": [{"date": "2027-03-08", "name": "x", "off": true}]"#,
    );
    let diags = refused(national(), &[cn_2027(), more]);
    let (got, _, d) = only_diag(&diags);
    assert_eq!(got, code::CALENDAR_EMBEDDED_YEAR);
    assert!(d.message.contains("cn-2027.json"), "{}", d.message);
}

#[test]
fn rulesets_without_files_share_the_embedded_calendar() {
    let text = "规则集 甲 {\n  日历 中国法定节假日\n}\n\
                规则集 乙 {\n  日历 中国法定节假日 补充 \"rulesets/calendars/xinjiang-2024.example.json\"\n}\n\
                规则集 丙 {\n  日历 新疆 补充 \"rulesets/calendars/xinjiang-2024.example.json\"\n}\n";
    // Paths are relative to the ruleset file's directory: here the crate root.
    let src = Source::new(concat!(env!("CARGO_MANIFEST_DIR"), "/x.guize"), text);
    let mut p = guize::Project::default();
    // 乙: national 2024 is embedded, and the example adds Wed 2024-04-10.
    let e = p.add_source(&src).unwrap_err();
    // One diagnostic for the year, at its first new day.
    let (got, text, diag) = only_diag(&e);
    assert_eq!(got, code::CALENDAR_EMBEDDED_YEAR);
    assert!(text.contains("2024-04-10"), "{text}");
    assert!(diag.message.contains("还有 4 个"), "{}", diag.message);
    let shared = Calendar::shared(CalendarId::National).unwrap();
    let a = p.ruleset("甲").unwrap();
    assert!(std::sync::Arc::ptr_eq(&a.calendar, &shared));
    let c = p.ruleset("丙").unwrap();
    assert!(c.calendar.covers(d("2024-04-10")).is_ok());
    assert_eq!(c.calendar.files().len(), 1);
}

#[test]
fn missing_supplement_file_points_at_the_path() {
    let text = "规则集 甲 {\n  日历 中国法定节假日 补充 \"no-such-dir/cn-2027.json\"\n}\n";
    let src = Source::new("/tmp/guize-test.guize", text);
    let mut p = guize::Project::default();
    let e = p.add_source(&src).unwrap_err();
    let (got, at, d) = only_diag(&e);
    assert_eq!(got, code::IO_READ);
    assert_eq!(at, "\"no-such-dir/cn-2027.json\"");
    assert!(
        d.message.contains("/tmp/no-such-dir/cn-2027.json"),
        "{}",
        d.message
    );
    assert!(d.help.contains("相对于规则集文件"), "{}", d.help);
}
