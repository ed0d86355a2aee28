//! Scenarios as JSON: the same content as a `情景 { … }` block, for systems
//! that export meetings and documents. The JSON is turned into the scenario
//! AST (spans point at each event's object in the JSON text), so names are
//! resolved and checked exactly as for `.guize` files.
//!
//! Shape (keys in English; values as in the language):
//! `{"name", "basis": [..], "cutoff", "window": [from, to], "units": [..],
//!   "people": [{"name", "positions": [..], "areas": [..]}],
//!   "delegations": [{"date", "from", "to", "actions": [..], "kinds": [..], "period": [from, to]}],
//!   "revocations": [{"date", "from", "to"?}],
//!   "events": [{"date", "verb", "actor", "targets", "kind", "object", "convener", "chair",
//!     "present", "absent", "attendees", "place", "decided", "basis", "area", "period",
//!     "reason", "tags", "special", "approved_by", "handler", "leaves_county", "expected_count",
//!     "present_count"}],
//!   "expect": {"complies": true} | {"violated": [57], "excepted": [..], "pending": [..]}}`

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diag::{Diag, Source, code};
use crate::syntax::ast::{self, Name, Numeral, Span, Spanned};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioJson<'a> {
    name: String,
    #[serde(default)]
    basis: Vec<String>,
    cutoff: Option<String>,
    window: Option<[String; 2]>,
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    people: Vec<PersonJson>,
    #[serde(default)]
    delegations: Vec<DelegationJson>,
    #[serde(default)]
    revocations: Vec<RevocationJson>,
    #[serde(default, borrow)]
    events: Vec<&'a RawValue>,
    expect: Option<ExpectJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonJson {
    name: String,
    /// A change on that day (任免, a new 分管): from then on the person
    /// holds exactly `positions` and `areas` (none: 离任).
    date: Option<String>,
    #[serde(default)]
    positions: Vec<String>,
    #[serde(default)]
    areas: Vec<String>,
}

/// 收回 委托: {"date", "from", "to"?}.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevocationJson {
    date: String,
    from: String,
    to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DelegationJson {
    date: Option<String>,
    from: String,
    to: String,
    /// Empty: 全面工作.
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
    period: Option<[String; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventJson {
    date: String,
    verb: String,
    actor: Option<String>,
    #[serde(default)]
    targets: Vec<String>,
    kind: Option<String>,
    object: Option<String>,
    convener: Option<String>,
    chair: Option<String>,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    attendees: Vec<String>,
    place: Option<String>,
    #[serde(default)]
    decided: Vec<String>,
    basis: Option<String>,
    area: Option<String>,
    period: Option<[String; 2]>,
    reason: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    special: Option<String>,
    approved_by: Option<String>,
    #[serde(default)]
    handler: Option<String>,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    leaves_county: bool,
    expected_count: Option<u32>,
    present_count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectJson {
    #[serde(default)]
    complies: bool,
    #[serde(default)]
    violated: Vec<u32>,
    excepted: Option<Vec<u32>>,
    pending: Option<Vec<u32>>,
}

/// Parse a JSON scenario file into the scenario AST.
pub fn parse_scenario(source: &Source) -> Result<ast::Scenario, Vec<Diag>> {
    let text: &str = &source.text;
    let whole = Span::new(0, text.len());
    // Windows tools start UTF-8 files with a byte-order mark.
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let skip = text.len() - body.len();
    let doc: ScenarioJson<'_> = serde_json::from_str(body).map_err(|e| {
        let at = skip + offset_of(body, e.line(), e.column());
        vec![
            Diag::error(code::JSON_INVALID, char_span(text, at), format!("JSON 情景有误：{}", without_position(&e)))
                .label("这里")
                .help("字段见 README“JSON input”一节；日期写作 \"2023-09-25\"，名单写作 [\"王某\", \"李某\"]")
                .in_source(source),
        ]
    })?;
    let mut b = JsonBuilder {
        errors: Vec::new(),
        span: whole,
        within: Some((body, skip)),
    };
    let units = doc
        .units
        .iter()
        .map(|u| b.required_name(u, "单位名称"))
        .collect();
    let mut sc = ast::Scenario {
        name: b.name(&doc.name),
        basis: doc.basis.iter().map(|x| b.name(x)).collect(),
        cutoff: doc.cutoff.as_deref().map(|d| b.date(d)),
        window: doc.window.as_ref().map(|[a, z]| (b.date(a), b.date(z))),
        people: Vec::new(),
        units,
        unit_parents: Vec::new(),
        delegations: Vec::new(),
        revocations: Vec::new(),
        events: Vec::new(),
        expectations: Vec::new(),
        // JSON has no statements to keep in order (fmt prints only .guize).
        statements: Vec::new(),
        span: whole,
    };
    for p in &doc.people {
        sc.people.push(b.person(p));
    }
    for d in &doc.delegations {
        let d = b.delegation(d);
        sc.delegations.push(d);
    }
    for r in &doc.revocations {
        let r = b.revocation(r);
        sc.revocations.push(r);
    }
    for raw in &doc.events {
        // The event's own place in the JSON text, for every name in it.
        let at = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        b.span = Span::new(at, at + raw.get().len());
        b.within = Some((raw.get(), at));
        match serde_json::from_str::<EventJson>(raw.get()) {
            Ok(e) => {
                if let Some(ev) = b.event(&e) {
                    sc.events.push(ev);
                }
            }
            // At the place serde stopped, in the event's own text.
            Err(err) => b.errors.push(
                Diag::error(
                    code::JSON_INVALID,
                    char_span(text, at + offset_of(raw.get(), err.line(), err.column())),
                    format!("事件有误：{}", without_position(&err)),
                )
                .label("这里")
                .help("事件须有 date 和 verb；其余字段见 README“JSON input”一节"),
            ),
        }
    }
    b.span = whole;
    b.within = None;
    if let Some(x) = &doc.expect {
        let nums = |v: &[u32]| -> Vec<Numeral> {
            v.iter()
                .map(|n| Numeral {
                    value: *n,
                    spelling: n.to_string(),
                    span: whole,
                })
                .collect()
        };
        if x.complies {
            sc.expectations.push(ast::Expectation {
                ruleset: None,
                kind: ast::ExpectationKind::Complies(whole),
            });
        }
        let sets = [
            (ast::ExpectedVerdict::Violated, Some(&x.violated)),
            (ast::ExpectedVerdict::Excepted, x.excepted.as_ref()),
            (ast::ExpectedVerdict::Pending, x.pending.as_ref()),
        ];
        for (verdict, set) in sets {
            let Some(set) = set else { continue };
            if verdict == ast::ExpectedVerdict::Violated && set.is_empty() {
                continue;
            }
            sc.expectations.push(ast::Expectation {
                ruleset: None,
                kind: ast::ExpectationKind::Set {
                    verdict,
                    articles: nums(set),
                    forms: ast::Spelling(Vec::new()),
                    span: whole,
                },
            });
        }
    }
    if b.errors.is_empty() {
        Ok(sc)
    } else {
        Err(b.errors.into_iter().map(|d| d.in_source(source)).collect())
    }
}

/// One record of a JSON Lines event log (`guize audit`): exactly one of
/// `{"person": {…}}`, `{"unit": "…"}`, `{"delegation": {…}}`,
/// `{"event": {…}}`, with the same fields as in a JSON scenario.
#[derive(Debug, Clone)]
pub enum Record {
    Person(ast::PersonDecl),
    Unit(Name),
    Delegation(ast::Delegation),
    Revocation(ast::Revocation),
    Event(Box<ast::Event>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum RecordJson {
    Person(PersonJson),
    Unit(String),
    Delegation(DelegationJson),
    Revocation(RevocationJson),
    Event(Box<EventJson>),
}

/// Parse one line of a log (the source's whole text is the line).
pub fn parse_record(source: &Source) -> Result<Record, Vec<Diag>> {
    let text: &str = &source.text;
    let whole = Span::new(0, text.len());
    let rec: RecordJson = serde_json::from_str(text).map_err(|e| {
        let at = offset_of(text, e.line(), e.column());
        vec![
            Diag::error(
                code::JSON_INVALID,
                char_span(text, at),
                format!("记录有误：{}", without_position(&e)),
            )
            .label("这里")
            .help("每行一个 JSON 对象，只含 person、unit、delegation、event 之一，例如 {\"event\": {\"date\": \"2023-09-25\", \"verb\": \"签发\", …}}；字段见 README“Event logs: guize audit”一节")
            .in_source(source),
        ]
    })?;
    // A bad value is pointed at in its line (only lines with a mistake
    // come here: the search costs the lines that are read well nothing).
    let mut b = JsonBuilder {
        errors: Vec::new(),
        span: whole,
        within: Some((text, 0)),
    };
    let out = match &rec {
        RecordJson::Person(p) => Some(Record::Person(b.person(p))),
        RecordJson::Unit(u) => Some(Record::Unit(b.required_name(u, "单位名称"))),
        RecordJson::Delegation(d) => Some(Record::Delegation(b.delegation(d))),
        RecordJson::Revocation(r) => Some(Record::Revocation(b.revocation(r))),
        RecordJson::Event(e) => b.event(e).map(|e| Record::Event(Box::new(e))),
    };
    match out {
        Some(r) if b.errors.is_empty() => Ok(r),
        _ => Err(b.errors.into_iter().map(|d| d.in_source(source)).collect()),
    }
}

struct JsonBuilder<'t> {
    errors: Vec<Diag>,
    /// Where names being built are reported: the current event, or the file.
    span: Span,
    /// The JSON text being built from and its offset in the file, when each
    /// value is to be pointed at (a JSON scenario): a name or date is
    /// reported at its first occurrence there, else at `span` (a log's
    /// line, read again only when it holds a mistake).
    within: Option<(&'t str, usize)>,
}

impl JsonBuilder<'_> {
    /// Where the string value `s` is written in the JSON text being built
    /// from (its quotes included), else the current event or file.
    fn at(&self, s: &str) -> Span {
        let Some((text, base)) = self.within else {
            return self.span;
        };
        let Ok(quoted) = serde_json::to_string(s) else {
            return self.span;
        };
        match text.find(&quoted) {
            Some(i) => Span::new(base + i, base + i + quoted.len()),
            None => self.span,
        }
    }

    fn person(&mut self, p: &PersonJson) -> ast::PersonDecl {
        ast::PersonDecl {
            date: p.date.as_deref().map(|x| self.date(x)),
            name: self.required_name(&p.name, "人员姓名"),
            positions: p.positions.iter().map(|x| self.name(x)).collect(),
            areas: p.areas.iter().map(|x| self.name(x)).collect(),
            span: self.span,
        }
    }

    fn revocation(&mut self, r: &RevocationJson) -> ast::Revocation {
        ast::Revocation {
            date: self.date(&r.date),
            from: self.name(&r.from),
            to: r.to.as_deref().map(|x| self.name(x)),
            span: self.span,
        }
    }

    fn delegation(&mut self, d: &DelegationJson) -> ast::Delegation {
        let actions = d.actions.iter().filter_map(|a| self.action(a)).collect();
        ast::Delegation {
            date: d.date.as_deref().map(|x| self.date(x)),
            from: self.name(&d.from),
            to: self.name(&d.to),
            actions,
            kinds: d.kinds.iter().map(|x| self.name(x)).collect(),
            period: d.period.as_ref().map(|[a, z]| (self.date(a), self.date(z))),
            span: self.span,
        }
    }

    /// A name that must not be empty (a person's, a unit's): an empty one
    /// would declare a party no event can name.
    fn required_name(&mut self, s: &str, what: &str) -> Name {
        if s.trim().is_empty() {
            self.errors.push(
                Diag::error(code::JSON_INVALID, self.at(s), format!("{what}为空"))
                    .label("这里")
                    .help(format!("{what}须是非空的字符串，如 \"王某\"、\"县教育局\"")),
            );
        }
        self.name(s)
    }

    fn name(&self, s: &str) -> Name {
        Spanned {
            node: s.trim().to_string(),
            span: self.at(s),
        }
    }

    fn date(&mut self, s: &str) -> Spanned<NaiveDate> {
        match crate::datecalc::parse_date(s) {
            Some(d) => Spanned {
                node: d,
                span: self.at(s),
            },
            None => {
                self.errors.push(
                    Diag::error(code::SYNTAX_DATE, self.at(s), format!("“{s}”不是有效日期"))
                        .label(crate::syntax::why_not_a_date(s))
                        .help("日期写作 \"2023-09-25\"，且须是日历上存在的日子"),
                );
                Spanned {
                    node: NaiveDate::MIN,
                    span: self.span,
                }
            }
        }
    }

    fn action(&mut self, s: &str) -> Option<Spanned<ast::Action>> {
        // The verb's own check first: an empty word is no action.
        self.verb(s)?;
        let node = ast::Action::from_any_word(s);
        Some(Spanned {
            node,
            span: self.span,
        })
    }

    /// A built-in verb, or a declared one (the compiler checks the ruleset
    /// declares it, with a did-you-mean over both).
    fn verb(&mut self, w: &str) -> Option<ast::Verb> {
        if w.trim().is_empty() {
            self.errors.push(
                Diag::error(code::NAME_VERB, self.span, "事件没有动词")
                    .label("这个事件")
                    .help("事件写作 召开、签发、印发、请假、出差 等，或规则集用“行为”声明的动词"),
            );
            return None;
        }
        Some(ast::Verb::from_any_word(w))
    }

    fn event(&mut self, e: &EventJson) -> Option<ast::Event> {
        let verb = self.verb(&e.verb)?;
        let names = |b: &Self, v: &[String]| -> Vec<Name> { v.iter().map(|x| b.name(x)).collect() };
        let count = |b: &Self, n: Option<u32>| {
            n.map(|value| Numeral {
                value,
                spelling: value.to_string(),
                span: b.span,
            })
        };
        Some(ast::Event {
            words: Vec::new(),
            date: self.date(&e.date),
            verb: Spanned {
                node: verb,
                span: self.span,
            },
            actor: e.actor.as_deref().map(|x| self.name(x)),
            targets: names(self, &e.targets),
            kind: e.kind.as_deref().map(|x| self.name(x)),
            object: e.object.as_deref().map(|x| self.name(x)),
            convener: e.convener.as_deref().map(|x| self.name(x)),
            chair: e.chair.as_deref().map(|x| self.name(x)),
            present: names(self, &e.present),
            absent: names(self, &e.absent),
            attendees: names(self, &e.attendees),
            place: e.place.as_deref().map(|x| self.name(x)),
            decided: names(self, &e.decided),
            basis: e.basis.as_deref().map(|x| self.name(x)),
            area: e.area.as_deref().map(|x| self.name(x)),
            period: e.period.as_ref().map(|[a, z]| (self.date(a), self.date(z))),
            reason: e.reason.as_deref().map(|x| self.name(x)),
            tags: names(self, &e.tags),
            special: e.special.as_deref().map(|x| self.name(x)),
            approved_by: e.approved_by.as_deref().map(|x| self.name(x)),
            handler: e.handler.as_deref().map(|x| self.name(x)),
            due: e.due.as_deref().map(|d| self.date(d)),
            leaves_county: e.leaves_county,
            expected_count: count(self, e.expected_count),
            present_count: count(self, e.present_count),
            written: ast::Spelling::default(),
            span: self.span,
        })
    }
}

/// serde_json's message without its " at line L column C" (byte columns,
/// relative to the record): the diagnostic gives the place itself.
pub(crate) fn without_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let detail = match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(&msg),
        None => &msg,
    };
    in_chinese(e.classify(), detail)
}

/// serde_json's message said in Chinese; where only part of it is
/// translated, its English follows in brackets so nothing is lost.
fn in_chinese(class: serde_json::error::Category, detail: &str) -> String {
    use serde_json::error::Category;
    // `unknown field `knd`, expected one of `date`, `verb`, …`
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    for (prefix, what) in [("unknown field", "字段"), ("unknown variant", "取值")] {
        if let Some(rest) = detail.strip_prefix(prefix) {
            let names = quoted(rest);
            let Some((wanted, allowed)) = names.split_first() else {
                break;
            };
            let near = crate::compile::names::suggest(wanted, allowed.iter().map(String::as_str));
            return match near.first() {
                Some(n) => format!("未知的{what}“{wanted}”：是否指“{n}”？"),
                None if allowed.is_empty() => format!("这里不能有{what}“{wanted}”"),
                None => format!("未知的{what}“{wanted}”，可用：{}", allowed.join("、")),
            };
        }
    }
    if let Some(rest) = detail.strip_prefix("missing field")
        && let Some(name) = quoted(rest).first()
    {
        return format!("缺少字段“{name}”");
    }
    if let Some(rest) = detail.strip_prefix("duplicate field")
        && let Some(name) = quoted(rest).first()
    {
        return format!("字段“{name}”写了两次");
    }
    let said = match class {
        Category::Eof => "记录没写完就到了行尾（缺少右括号、右方括号或引号）",
        Category::Syntax => match detail {
            d if d.starts_with("expected value") => {
                "这里需要一个值（带引号的字符串、数字、列表或对象）"
            }
            d if d.starts_with("expected `,` or `}`") => "缺少逗号或右花括号 }",
            d if d.starts_with("expected `,` or `]`") => "缺少逗号或右方括号 ]",
            d if d.starts_with("expected `:`") => "缺少冒号 :",
            d if d.starts_with("key must be a string") => "键须是带双引号的字符串",
            d if d.starts_with("trailing comma") => "多了一个逗号",
            d if d.starts_with("trailing characters") => "对象结束后还有多余的字符",
            d if d.starts_with("invalid escape") || d.starts_with("control character") => {
                "字符串里有无效的转义或控制字符"
            }
            _ => "不是合法的 JSON",
        },
        Category::Data => match detail {
            d if d.starts_with("invalid type") => "类型不对",
            d if d.starts_with("invalid value") => "取值不对",
            d if d.starts_with("invalid length") => "个数不对",
            // Our own deserialisers' messages are already in Chinese.
            d => return d.to_string(),
        },
        Category::Io => "读取出错",
    };
    format!("{said}（{detail}）")
}

/// The span of the character at byte offset `at` (serde_json's columns
/// count bytes, and may fall inside a multi-byte character such as “).
pub(crate) fn char_span(text: &str, at: usize) -> Span {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let len = text
        .get(start..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(start, start + len)
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// An event record read borrowing from its line (`guize audit`'s fast
/// path): the same fields as [`EventJson`], as slices of the line. Reading
/// fails on anything the owned reader would accept only by copying (a
/// string with escapes) as well as on everything it rejects; the caller
/// then reads the line with [`parse_record`], which gives the diagnostics.
#[derive(Deserialize, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventLine<'a> {
    #[serde(borrow)]
    pub date: &'a str,
    #[serde(borrow)]
    pub verb: &'a str,
    #[serde(borrow)]
    pub actor: Option<&'a str>,
    #[serde(default, borrow)]
    pub targets: Vec<&'a str>,
    #[serde(borrow)]
    pub kind: Option<&'a str>,
    #[serde(borrow)]
    pub object: Option<&'a str>,
    #[serde(borrow)]
    pub convener: Option<&'a str>,
    #[serde(borrow)]
    pub chair: Option<&'a str>,
    #[serde(default, borrow)]
    pub present: Vec<&'a str>,
    #[serde(default, borrow)]
    pub absent: Vec<&'a str>,
    #[serde(default, borrow)]
    pub attendees: Vec<&'a str>,
    #[serde(borrow)]
    pub place: Option<&'a str>,
    #[serde(default, borrow)]
    pub decided: Vec<&'a str>,
    #[serde(borrow)]
    pub basis: Option<&'a str>,
    #[serde(borrow)]
    pub area: Option<&'a str>,
    #[serde(borrow)]
    pub period: Option<[&'a str; 2]>,
    #[serde(borrow)]
    #[allow(dead_code)]
    pub reason: Option<&'a str>,
    #[serde(default, borrow)]
    pub tags: Vec<&'a str>,
    #[serde(borrow)]
    pub special: Option<&'a str>,
    #[serde(borrow)]
    pub approved_by: Option<&'a str>,
    #[serde(default, borrow)]
    pub handler: Option<&'a str>,
    #[serde(default, borrow)]
    pub due: Option<&'a str>,
    #[serde(default)]
    pub leaves_county: bool,
    pub expected_count: Option<u32>,
    pub present_count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum EventRecordLine<'a> {
    #[serde(borrow)]
    Event(EventLine<'a>),
}

/// A log line read as an event record borrowing from the line; None when
/// it is another record, or anything [`parse_record`] should read instead.
#[cfg(test)]
pub(crate) fn event_line(text: &str) -> Option<EventLine<'_>> {
    let mut e = EventLine::default();
    event_line_into(text, &mut e).then_some(e)
}

/// [`event_line`] into `e` (the audit's, not moved: an event line is
/// hundreds of bytes); false as [`event_line`] gives None, `e` then of no
/// use.
pub(crate) fn event_line_into<'a>(text: &'a str, e: &mut EventLine<'a>) -> bool {
    if scan_fields(text, e).is_some() {
        return true;
    }
    match event_line_serde(text) {
        Some(read) => {
            *e = read;
            true
        }
        None => false,
    }
}

/// [`event_line`] by serde: every line the scanner leaves.
pub(crate) fn event_line_serde(text: &str) -> Option<EventLine<'_>> {
    match serde_json::from_str::<EventRecordLine<'_>>(text) {
        Ok(EventRecordLine::Event(e)) => Some(e),
        Err(_) => None,
    }
}

/// [`event_line`] for the lines logs are made of, read by a scanner of
/// their plain form — `{"event": {"key": value, …}}`, strings without
/// escapes or control characters, numbers of digits alone, no `null`, no
/// key twice — several times faster than serde's. None for anything else
/// (serde then reads it): where it reads a line, it reads what serde does
/// (a unit test checks it).
#[cfg(test)]
pub(crate) fn scan_event_line(text: &str) -> Option<EventLine<'_>> {
    let mut e = EventLine::default();
    scan_fields(text, &mut e)?;
    Some(e)
}

/// [`scan_event_line`] into `e`, from its default (None: `e` of no use).
fn scan_fields<'a>(text: &'a str, e: &mut EventLine<'a>) -> Option<()> {
    let mut s = Scan { text, at: 0 };
    s.byte(b'{')?;
    if s.string()? != "event" {
        return None;
    }
    s.byte(b':')?;
    s.byte(b'{')?;
    let (mut date, mut verb) = (None, None);
    // Each key once: a bit per key seen.
    let mut seen = 0u32;
    // No key: no date (serde refuses it too).
    if s.peek(b'}') {
        return None;
    }
    loop {
        let key = s.string()?;
        s.byte(b':')?;
        let (bit, ok) = match key {
            "date" => (0, s.str_into(&mut date)),
            "verb" => (1, s.str_into(&mut verb)),
            "actor" => (2, s.str_into(&mut e.actor)),
            "targets" => (3, s.list_into(&mut e.targets)),
            "kind" => (4, s.str_into(&mut e.kind)),
            "object" => (5, s.str_into(&mut e.object)),
            "convener" => (6, s.str_into(&mut e.convener)),
            "chair" => (7, s.str_into(&mut e.chair)),
            "present" => (8, s.list_into(&mut e.present)),
            "absent" => (9, s.list_into(&mut e.absent)),
            "attendees" => (10, s.list_into(&mut e.attendees)),
            "place" => (11, s.str_into(&mut e.place)),
            "decided" => (12, s.list_into(&mut e.decided)),
            "basis" => (13, s.str_into(&mut e.basis)),
            "area" => (14, s.str_into(&mut e.area)),
            "period" => (15, s.pair_into(&mut e.period)),
            "reason" => (16, s.str_into(&mut e.reason)),
            "tags" => (17, s.list_into(&mut e.tags)),
            "special" => (18, s.str_into(&mut e.special)),
            "approved_by" => (19, s.str_into(&mut e.approved_by)),
            "handler" => (20, s.str_into(&mut e.handler)),
            "due" => (21, s.str_into(&mut e.due)),
            "leaves_county" => (22, s.bool_into(&mut e.leaves_county)),
            "expected_count" => (23, s.count_into(&mut e.expected_count)),
            "present_count" => (24, s.count_into(&mut e.present_count)),
            _ => return None,
        };
        ok?;
        if seen & (1 << bit) != 0 {
            return None;
        }
        seen |= 1 << bit;
        if !s.peek(b',') {
            break;
        }
    }
    s.byte(b'}')?;
    s.byte(b'}')?;
    s.space();
    if s.at != text.len() {
        return None;
    }
    e.date = date?;
    e.verb = verb?;
    Some(())
}

/// Where the first quote, backslash or control character of `s` is:
/// eight bytes at a time (a byte-wise test of each word's bytes), then one.
fn string_end(s: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each zero byte of `v`; the lowest one is exact (a
    // borrow may mark bytes above it).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut at = 0;
    while let Some(chunk) = s.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // Bytes below 0x20: those whose value less 0x20 borrows, of the
        // bytes without the high bit.
        let hits = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = s.get(at..)?;
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|k| at + k)
}

/// The scanner's place in a line.
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    /// JSON's white space.
    fn space(&mut self) {
        let b = self.text.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(self.at) {
            self.at += 1;
        }
    }

    /// `c` after white space, taken.
    fn byte(&mut self, c: u8) -> Option<()> {
        self.space();
        if self.text.as_bytes().get(self.at) == Some(&c) {
            self.at += 1;
            return Some(());
        }
        None
    }

    /// Whether `c` comes next (after white space); taken if so.
    fn peek(&mut self, c: u8) -> bool {
        self.byte(c).is_some()
    }

    /// A string without escapes or control characters, as a slice.
    fn string(&mut self) -> Option<&'a str> {
        self.byte(b'"')?;
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let len = string_end(rest)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        // Quotes are ASCII: the slice ends on character boundaries.
        self.text.get(start..start + len)
    }

    fn str_into(&mut self, to: &mut Option<&'a str>) -> Option<()> {
        *to = Some(self.string()?);
        Some(())
    }

    /// An array of strings.
    fn list_into(&mut self, to: &mut Vec<&'a str>) -> Option<()> {
        self.byte(b'[')?;
        if self.peek(b']') {
            return Some(());
        }
        loop {
            to.push(self.string()?);
            if !self.peek(b',') {
                return self.byte(b']');
            }
        }
    }

    /// An array of two strings.
    fn pair_into(&mut self, to: &mut Option<[&'a str; 2]>) -> Option<()> {
        self.byte(b'[')?;
        let a = self.string()?;
        self.byte(b',')?;
        let z = self.string()?;
        self.byte(b']')?;
        *to = Some([a, z]);
        Some(())
    }

    fn bool_into(&mut self, to: &mut bool) -> Option<()> {
        self.space();
        let rest = self.text.as_bytes().get(self.at..)?;
        let (v, len) = if rest.starts_with(b"true") {
            (true, 4)
        } else if rest.starts_with(b"false") {
            (false, 5)
        } else {
            return None;
        };
        self.at += len;
        self.end_of_value()?;
        *to = v;
        Some(())
    }

    /// A count: digits alone, no leading zero, within u32.
    fn count_into(&mut self, to: &mut Option<u32>) -> Option<()> {
        self.space();
        let rest = self.text.as_bytes().get(self.at..)?;
        let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let digits = rest.get(..len)?;
        if len == 0 || (len > 1 && digits.first() == Some(&b'0')) {
            return None;
        }
        let n: u32 = self.text.get(self.at..self.at + len)?.parse().ok()?;
        self.at += len;
        self.end_of_value()?;
        *to = Some(n);
        Some(())
    }

    /// A literal or number must end at white space, ',' or '}' (serde
    /// reads "12.5", "1e3" or "truex" otherwise, or refuses them).
    fn end_of_value(&self) -> Option<()> {
        match self.text.as_bytes().get(self.at) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'}') => Some(()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The scanner of plain event lines against serde, on the forms that
    //! tell them apart.
    use super::{event_line_serde, scan_event_line, string_end};

    /// The word-wise search finds what a byte-wise one finds, wherever the
    /// byte sought lies among bytes of every kind.
    #[test]
    fn string_end_as_byte_by_byte() {
        let naive = |s: &[u8]| s.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        let fill = [
            "a", "王", "\u{7f}", "\u{a0}", "Ā", "!", "#", "[", "]", "\u{3000}",
        ];
        for len in 0..40 {
            for f in fill {
                let body: String = f.repeat(len);
                for end in ["\"", "\\", "\n", "\u{0}", "\u{1f}", " ", ""] {
                    for tail in ["", "\"", "x\\", "\u{1}"] {
                        let s = format!("{body}{end}{tail}");
                        assert_eq!(string_end(s.as_bytes()), naive(s.as_bytes()), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_scanner_reads_what_serde_reads_or_leaves_the_line() {
        let base = r#""date":"2023-01-03","verb":"签发""#;
        let lines = [
            format!("{{\"event\":{{{base}}}}}"),
            format!(" {{ \"event\" : {{ {base} }} }} \r"),
            format!("{{\"event\":{{{base},\"actor\":\"王1甲\",\"targets\":[]}}}}"),
            format!("{{\"event\":{{{base},\"targets\":[\"甲\", \"乙\" ]}}}}"),
            format!("{{\"event\":{{{base},\"period\":[\"2023-01-03\",\"2023-01-05\"]}}}}"),
            format!("{{\"event\":{{{base},\"period\":[\"2023-01-03\"]}}}}"),
            format!("{{\"event\":{{{base},\"leaves_county\":true}}}}"),
            format!("{{\"event\":{{{base},\"leaves_county\":truex}}}}"),
            format!("{{\"event\":{{{base},\"leaves_county\":null}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":0}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":07}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":12}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":1.5}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":1e2}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":-1}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":4294967296}}}}"),
            format!("{{\"event\":{{{base},\"expected_count\":4294967295}}}}"),
            format!("{{\"event\":{{{base},\"present_count\":\"3\"}}}}"),
            format!("{{\"event\":{{{base},\"actor\":null}}}}"),
            format!("{{\"event\":{{{base},\"actor\":\"a\\\"b\"}}}}"),
            format!("{{\"event\":{{{base},\"actor\":\"a\tb\"}}}}"),
            format!("{{\"event\":{{{base},\"actor\":\"甲\",\"actor\":\"乙\"}}}}"),
            format!("{{\"event\":{{{base},\"other\":1}}}}"),
            format!("{{\"event\":{{{base},}}}}"),
            format!("{{\"event\":{{{base}}},\"x\":1}}"),
            format!("{{\"event\":{{{base}}}}} x"),
            format!("{{\"event\":{{{base}}}"),
            format!("{{\"person\":{{{base}}}}}"),
            "{\"event\":{}}".to_string(),
            "{\"event\":{\"date\":\"2023-01-03\"}}".to_string(),
            format!("{{\"event\":{{{base},\"tags\":[\"重要\",\"重要\"],\"reason\":\"因\"}}}}"),
        ];
        let mut scanned = 0;
        for l in &lines {
            if let Some(e) = scan_event_line(l) {
                assert_eq!(Some(e), event_line_serde(l), "{l}");
                scanned += 1;
            }
        }
        assert!(scanned >= 10, "{scanned}");
    }
}

#[cfg(test)]
mod message_tests {
    //! serde_json's errors said in Chinese (the English kept in brackets
    //! where only part is translated).
    use super::without_position;

    fn said(json: &str) -> String {
        match serde_json::from_str::<super::RecordJson>(json) {
            Ok(_) => String::from("(parsed)"),
            Err(e) => without_position(&e),
        }
    }

    #[test]
    fn record_errors_in_chinese() {
        assert_eq!(
            said(r#"{"event": {"date": "2023-09-25", "verb": "签发", "knd": "通知"}}"#),
            "未知的字段“knd”：是否指“kind”？"
        );
        assert_eq!(said(r#"{"event": {"verb": "签发"}}"#), "缺少字段“date”");
        assert_eq!(
            said(r#"{"event": {"date": "2023-09-25""#),
            "记录没写完就到了行尾（缺少右括号、右方括号或引号）（EOF while parsing an object）"
        );
        assert!(said("hello").starts_with("这里需要一个值"));
        assert!(
            said(r#"{"event": {"date": 2023, "verb": "签发"}}"#)
                .starts_with("类型不对（invalid type")
        );
        // Nothing English is left bare: every message starts in Chinese.
        for bad in ["{", "[1,]", r#"{"a" 1}"#, r#"{"person": 1}"#, "{} x"] {
            let s = said(bad);
            assert!(!s.starts_with(|c: char| c.is_ascii()), "{bad}: {s}");
        }
    }
}
