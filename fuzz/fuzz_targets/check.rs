//! Structured scenarios: the fuzz bytes drive a generator that writes a
//! scenario (as text) from a fixed vocabulary — the positions, units,
//! meeting and document kinds, 情形 and articles of three shipped rulesets
//! (examples/demo.guize's 测试规则, 乾安 2022, 伊犁 2023 on the Xinjiang
//! calendar), people, verbs, dates in 2020–2026 and some outside, and every
//! event attribute — plus now and then a wrong name. The text is parsed,
//! resolved (`Project::rulesets_for`) and checked (`check_scenario`) against
//! the rulesets compiled once; reports, 预期 comparison and `why` are
//! rendered. Diagnostics must point inside their file (they are not
//! rendered here: parse_compile covers rendering, and it would cost a fifth
//! of this target's time).
#![no_main]

mod common;

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate};
use guize::compile::ir::Ruleset;
use guize::diag::Source;
use guize::{Project, ScenarioSource};
use libfuzzer_sys::fuzz_target;

const DEMO: &str = include_str!("../../examples/demo.guize");
const QIANAN: &str = include_str!("../../rulesets/qianan-2022.guize");
const YILI: &str = include_str!("../../rulesets/yili-2023.guize");

const PEOPLE: &[&str] = &["王某", "李某", "赵某", "钱某", "孙某", "周某", "「吴 某」"];
const EXTRA_UNITS: &[&str] = &["县财政局", "县教育局", "县发改局", "网民"];
const DOMAINS: &[&str] = &["财政", "教育", "发展改革", "卫生健康", "农业", "政务服务"];
const EXTRA_TAGS: &[&str] = &["风景名胜区", "高级宾馆", "参加重要会议", "特急事项", "简单问题"];
const OBJECTS: &[&str] = &["会1", "会2", "文1", "文2", "文3", "纪要1", "某稿"];
const VERBS: &[&str] = &[
    "召开", "请假", "外出", "出差", "出访", "学习", "培训", "休假", "签发", "签署", "签批",
    "审核", "会签", "印发", "报送", "报备", "征求意见", "回复", "报告", "咨询", "回应", "审批",
    "调研", "缺席",
];
const MEETING_ACTIONS: &[&str] = &["召集", "主持"];
const DOCUMENT_ACTIONS: &[&str] = &["签发", "审批", "签批", "审核", "印发"];
/// Names no ruleset declares (or declares in another ruleset only).
const WRONG: &[&str] = &["县长助理", "常委会议", "县政府文", "州长", "「」", "测试"];

struct Vocab {
    name: String,
    positions: Vec<String>,
    /// The ruleset's units and a few more; a scenario declares those it uses.
    units: Vec<String>,
    meetings: Vec<String>,
    documents: Vec<String>,
    tags: Vec<String>,
    articles: Vec<(u32, String)>,
}

struct World {
    project: Project,
    vocab: Vec<Vocab>,
}

/// Words that end a bare name (grammar `stop_word`): a declared name holding
/// one is written in corner quotes, as in the ruleset.
const STOP: &[&str] = &[
    "属于", "召集", "主持", "出席", "缺席", "列席", "地点", "决定印发", "事由", "特殊情况", "情形",
    "批准", "代行", "领域", "应到", "实到", "离县", "委托", "分管", "依据", "或", "任",
];

fn written(name: &str) -> String {
    if STOP.iter().chain(VERBS).any(|w| name.contains(w)) {
        format!("「{name}」")
    } else {
        name.to_string()
    }
}

fn written_all<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    names.into_iter().map(|n| written(n)).collect()
}

fn vocab(rs: &Ruleset) -> Vocab {
    let mut tags: Vec<String> = EXTRA_TAGS.iter().map(|s| s.to_string()).collect();
    for r in &rs.rules {
        for (i, _) in r.text.match_indices("情形") {
            let after = r.text[i + "情形".len()..].trim_start();
            let word = after.split_whitespace().next().unwrap_or("");
            for t in word.split('、') {
                let t = t.trim_end_matches(['。', '；', '，']).trim_matches(['「', '」']);
                let t = written(t);
                if !t.is_empty() && !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
    }
    let extra_units: Vec<String> = EXTRA_UNITS.iter().map(|s| s.to_string()).collect();
    let mut documents = written_all(&rs.document_names.names);
    if !documents.iter().any(|d| d == "纪要") {
        documents.push("纪要".into());
    }
    Vocab {
        name: rs.name.clone(),
        positions: written_all(&rs.positions.names),
        units: written_all(rs.units.iter().chain(&extra_units)),
        meetings: written_all(&rs.meeting_names.names),
        documents,
        tags,
        articles: rs
            .articles
            .iter()
            .map(|a| (a.number, a.display.to_string()))
            .collect(),
    }
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut project = Project::default();
        for (name, text) in [
            ("examples/demo.guize", DEMO),
            ("rulesets/qianan-2022.guize", QIANAN),
            ("rulesets/yili-2023.guize", YILI),
        ] {
            let src = Source::new(name, text);
            if let Err(e) = project.add_source(&src) {
                panic!("shipped ruleset {name} does not compile: {e:?}");
            }
        }
        project.scenarios.clear();
        let vocab = project.rulesets.iter().map(vocab).collect();
        World { project, vocab }
    })
}

/// Reads the fuzz input as a stream of choices; past the end every choice
/// is 0, so generation always terminates.
struct Gen<'a> {
    data: &'a [u8],
    at: usize,
    /// How many of PEOPLE the scenario declared (the first ones).
    declared: usize,
}

impl Gen<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.byte() as usize % n }
    }
    /// True with probability about k/256. The window is shifted so that the
    /// bytes fuzzers love (0x00, 0xff, and 0 past the end) are not the rare
    /// choices: for k < 166 both are false, for k ≥ 167 both are true.
    fn chance(&mut self, k: u8) -> bool {
        self.byte().wrapping_sub(0x5a) < k
    }
    fn pick<'s, S: AsRef<str>>(&mut self, xs: &'s [S]) -> &'s str {
        xs.get(self.below(xs.len())).map_or("", |s| s.as_ref())
    }
    /// A name from `xs`, or (rarely) one no ruleset knows.
    fn name<'s, S: AsRef<str>>(&mut self, xs: &'s [S]) -> &'s str {
        if self.chance(2) {
            self.pick(WRONG)
        } else {
            self.pick(xs)
        }
    }
    /// One to `max` names, distinct unless (rarely) a repeat is chosen.
    fn list<S: AsRef<str>>(&mut self, xs: &[S], max: usize) -> String {
        let n = 1 + self.below(max);
        let repeats = self.chance(8);
        let mut out: Vec<&str> = Vec::new();
        for _ in 0..n {
            let x = self.name(xs);
            if repeats || !out.contains(&x) {
                out.push(x);
            }
        }
        out.join("、")
    }
    /// Mostly a declared person; now and then anyone, or a stranger.
    fn person(&mut self) -> &'static str {
        if self.chance(2) {
            "无名氏"
        } else if self.chance(3) {
            self.pick(PEOPLE)
        } else {
            let n = self.declared.clamp(1, PEOPLE.len());
            self.pick(&PEOPLE[..n])
        }
    }
    fn people(&mut self, max: usize) -> String {
        let n = 1 + self.below(max);
        (0..n).map(|_| self.person()).collect::<Vec<_>>().join("、")
    }
    fn object(&mut self) -> String {
        format!("\"{}\"", self.pick(OBJECTS))
    }
    /// 自/期间 A 至 B: mostly B on or after A.
    fn period(&mut self, base: NaiveDate) -> (String, String) {
        if self.chance(8) {
            return (self.date(base), self.date(base));
        }
        let off = u64::from(self.byte()) / 2;
        let a = base.checked_add_days(Days::new(off)).unwrap_or(base);
        let b = a
            .checked_add_days(Days::new(u64::from(self.byte()) / 8))
            .unwrap_or(a);
        (a.format("%Y-%m-%d").to_string(), b.format("%Y-%m-%d").to_string())
    }

    /// A date within 127 days after `base` (usually), or anywhere in
    /// 2018–2028 (rarely: most such years are outside the calendars).
    fn date(&mut self, base: NaiveDate) -> String {
        let d = if self.chance(3) {
            let y = 2018 + self.below(11) as i32;
            let m = 1 + self.below(12) as u32;
            let day = 1 + self.below(31) as u32;
            match NaiveDate::from_ymd_opt(y, m, day) {
                Some(d) => d,
                // An impossible date, written out as is.
                None => return format!("{y}-{m:02}-{day:02}"),
            }
        } else {
            let off = u64::from(self.byte()) / 2;
            base.checked_add_days(Days::new(off)).unwrap_or(base)
        };
        if self.chance(40) {
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        } else {
            d.format("%Y-%m-%d").to_string()
        }
    }
}

fn scenario(g: &mut Gen, world: &World) -> String {
    let vs = &world.vocab;
    let v = &vs[g.below(vs.len())];
    // Base date: mostly a year both calendars cover (the Xinjiang overlay
    // has 2022, 2023, 2025), sometimes 2019–2027 (some outside them).
    let year = if g.chance(240) { [2022, 2023, 2025][g.below(3)] } else { 2019 + g.below(9) } as i32;
    let base = NaiveDate::from_ymd_opt(year, 1 + g.below(12) as u32, 1 + g.below(28) as u32)
        .unwrap_or_default();
    let mut s = String::from("情景 模糊情景 {\n");
    match g.below(16) {
        0 => {}
        1 => {
            // Two rulesets: mostly two different ones.
            let mut other = &vs[g.below(vs.len())];
            if other.name == v.name && g.chance(240) {
                other = &vs[(vs.iter().position(|x| x.name == v.name).unwrap_or(0) + 1) % vs.len()];
            }
            let _ = writeln!(s, "  依据 {}、{}", v.name, other.name);
        }
        2 => s.push_str("  依据 不存在的规则集\n"),
        _ => {
            let _ = writeln!(s, "  依据 {}", v.name);
        }
    }
    if g.chance(80) {
        // Mostly after every event (a later event is an error).
        let cutoff = if g.chance(200) {
            base.checked_add_days(Days::new(128 + g.below(200) as u64))
                .unwrap_or(base)
                .format("%Y-%m-%d")
                .to_string()
        } else {
            g.date(base)
        };
        let _ = writeln!(s, "  截至 {cutoff}");
    }
    if g.chance(60) {
        let (a, b) = g.period(base);
        let _ = writeln!(s, "  期间 {a} 至 {b}");
    }
    g.declared = 1 + g.below(5);
    for i in 0..g.declared {
        // Mostly distinct people, in order; now and then any of them.
        let who = if g.chance(4) { g.pick(PEOPLE) } else { PEOPLE[i] };
        let _ = write!(s, "  人员 {who} 任 {}", g.list(&v.positions, 2));
        if g.chance(100) {
            let _ = write!(s, " 分管 {}", g.list(DOMAINS, 2));
        }
        s.push('\n');
    }
    // Units used in events must be declared: mostly all of them.
    if g.chance(230) {
        let _ = writeln!(s, "  单位 {}", v.units.join("、"));
    } else if g.chance(128) {
        let _ = writeln!(s, "  单位 {}", g.list(&v.units, 3));
    }
    for _ in 0..g.below(3) {
        s.push_str("  ");
        if g.chance(200) {
            let _ = write!(s, "{} ", g.date(base));
        }
        let _ = write!(s, "{} 委托 {} 代行 ", g.person(), g.person());
        if g.chance(80) {
            s.push_str("全面工作");
        } else {
            // Meeting actions with a meeting kind, document actions with a
            // document kind (or no kind); rarely mixed.
            let (actions, kinds) = if g.chance(128) {
                (MEETING_ACTIONS, &v.meetings)
            } else {
                (DOCUMENT_ACTIONS, &v.documents)
            };
            let mixed = g.chance(4);
            s.push_str(&g.list(if mixed { DOCUMENT_ACTIONS } else { actions }, 2));
            if g.chance(200) {
                let _ = write!(s, " {}", g.name(kinds));
            }
        }
        if g.chance(200) {
            let (a, b) = g.period(base);
            let _ = write!(s, " 自 {a} 至 {b}");
        }
        s.push('\n');
    }
    let mut events = 0;
    while !g.done() && events < 24 {
        events += 1;
        event(g, v, base, &mut s);
    }
    for _ in 0..g.below(3) {
        s.push_str("  预期 ");
        if g.chance(30) {
            let _ = write!(s, "依据 {} ", vs[g.below(vs.len())].name);
        }
        match g.below(4) {
            0 => s.push_str("符合"),
            k => {
                s.push_str(["违反", "例外", "待定"][k - 1]);
                if g.chance(40) {
                    s.push_str(" 无");
                } else {
                    let n = 1 + g.below(3);
                    let arts: Vec<String> = (0..n)
                        .map(|_| match v.articles.get(g.below(v.articles.len() + 1)) {
                            Some((num, _)) if g.chance(128) => num.to_string(),
                            Some((_, display)) => display.clone(),
                            None => "九百九十九".to_string(),
                        })
                        .collect();
                    let _ = write!(s, " {}", arts.join("、"));
                }
            }
        }
        s.push('\n');
    }
    s.push_str("}\n");
    s
}

fn event(g: &mut Gen, v: &Vocab, base: NaiveDate, s: &mut String) {
    let _ = write!(s, "  {}", g.date(base));
    let verb = g.pick(VERBS);
    let actor = g.below(4);
    match actor {
        0 => {}
        1 => {
            let _ = write!(s, " {}", g.name(&v.units));
        }
        _ => {
            let _ = write!(s, " {}", g.person());
        }
    }
    if g.chance(50) {
        let to = if g.chance(128) { "向" } else { "发往" };
        let targets = if g.chance(128) { g.people(2) } else { g.list(&v.units, 2) };
        let _ = write!(s, " {to} {targets}");
    }
    let _ = write!(s, " {verb}");
    // The kind that fits the verb, mostly; now and then any kind or none.
    let document_verb = matches!(
        verb,
        "签发" | "签署" | "签批" | "审核" | "会签" | "印发" | "报送" | "报备" | "征求意见" | "回复" | "审批"
    );
    match (verb, g.below(16)) {
        ("召开", _) | ("缺席", 3..) => {
            let _ = write!(s, " {}", g.name(&v.meetings));
        }
        (_, 0) => {}
        (_, 1) => {
            let _ = write!(s, " {}", g.name(&v.meetings));
        }
        (_, 2) => {
            let _ = write!(s, " {}", g.name(&v.documents));
        }
        _ if document_verb => {
            let _ = write!(s, " {}", g.name(&v.documents));
        }
        _ => {}
    }
    if g.chance(200) {
        let _ = write!(s, " {}", g.object());
    }
    // Each attribute at most once (mostly: a repeat is an error).
    let mut used = 0u32;
    for _ in 0..g.below(6) {
        let mut a = g.below(19);
        if used & (1 << a) != 0 && g.chance(250) {
            continue;
        }
        if a == 7 && actor != 0 && g.chance(250) {
            a = 15; // 由 P after an actor is an error; 离县 instead
        }
        used |= 1 << a;
        s.push(' ');
        match a {
            0 => {
                let _ = write!(s, "召集 {}", g.person());
            }
            1 => {
                let _ = write!(s, "主持 {}", g.person());
            }
            2 => {
                let _ = write!(s, "出席 {}", g.people(4));
            }
            3 => {
                let _ = write!(s, "缺席 {}", g.people(2));
            }
            4 => {
                let _ = write!(s, "列席 {}", g.people(2));
            }
            5 => s.push_str("地点 \"某宾馆\""),
            6 => {
                let (a, b) = (g.object(), g.object());
                let _ = write!(s, "决定印发 {a}、{b}");
            }
            7 => {
                let _ = write!(s, "由 {}", g.person());
            }
            8 => {
                let _ = write!(s, "依据 {}", g.object());
            }
            9 => {
                let _ = write!(s, "领域 {}", g.pick(DOMAINS));
            }
            10 => {
                let (a, b) = g.period(base);
                let _ = write!(s, "自 {a} 至 {b}");
            }
            11 => s.push_str("事由 \"出差\""),
            12 => {
                let _ = write!(s, "情形 {}", g.list(&v.tags, 2));
            }
            13 => s.push_str("特殊情况 \"防汛\""),
            14 => {
                let _ = write!(s, "经 {} 批准", g.person());
            }
            15 => s.push_str("离县"),
            16 => {
                let _ = write!(s, "应到 {}", g.below(12));
            }
            17 => {
                let _ = write!(s, "实到 {}", g.below(12));
            }
            _ => {
                let to = if g.chance(128) { "向" } else { "发往" };
                let _ = write!(s, "{to} {}", g.list(&v.units, 2));
            }
        }
    }
    s.push('\n');
}

fn run(world: &World, text: String) {
    let source = Source::new("<fuzz-check>.guize", text);
    let file = match guize::syntax::parse(&source) {
        Ok(f) => f,
        Err(diags) => {
            if print() {
                eprintln!("=> parse: {:?}", diags.iter().map(|d| d.one_line()).collect::<Vec<_>>());
            }
            common::check_spans(&diags);
            return;
        }
    };
    for ast in file.scenarios {
        let sc = ScenarioSource {
            ast,
            source: source.clone(),
        };
        let rulesets = match world.project.rulesets_for(&sc) {
            Ok(r) => r,
            Err(d) => {
                if print() {
                    eprintln!("=> basis: {}", d.one_line());
                }
                common::check_spans(&[d]);
                continue;
            }
        };
        for rs in rulesets {
            let result = guize::check_scenario(rs, &sc);
            if print() {
                match &result {
                    Ok((_, r)) => eprintln!("=> {}: {} findings", rs.name, r.findings.len()),
                    Err(e) => eprintln!("=> {}: {:?}", rs.name, e.iter().map(|d| d.one_line()).collect::<Vec<_>>()),
                }
            }
            match result {
                Ok((compiled, report)) => {
                    let _ = guize::suite::compare(&compiled.expectations, &report, rs);
                    let _ = guize::report::human(&report, true);
                    let _ = guize::report::summary(&report);
                    let _ = guize::report::json(std::slice::from_ref(&report));
                    for n in report.violated().into_iter().chain(
                        rs.articles.first().map(|a| a.number),
                    ) {
                        let _ = guize::why::explain(rs, &report, n);
                    }
                }
                Err(diags) => {
                    common::check_spans(&diags);
                }
            }
        }
    }
}

/// GUIZE_FUZZ_PRINT=1 prints each generated scenario to stderr (to read a
/// crash input: `GUIZE_FUZZ_PRINT=1 cargo fuzz run check FILE`).
fn print() -> bool {
    static P: OnceLock<bool> = OnceLock::new();
    *P.get_or_init(|| std::env::var_os("GUIZE_FUZZ_PRINT").is_some())
}

fuzz_target!(|data: &[u8]| {
    let world = world();
    let mut g = Gen {
        data,
        at: 0,
        declared: 0,
    };
    let text = scenario(&mut g, world);
    if print() {
        eprintln!("{text}");
    }
    run(world, text);
});
