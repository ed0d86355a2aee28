//! Parsing: source text → AST (`ast`), with precise, coded diagnostics.

pub mod ast;
mod build;
mod numeral;
pub mod words;

use pest::Parser as _;
use pest_derive::Parser;

use crate::diag::{Diag, Source, code};
use ast::{File, Span};

pub(crate) use build::why_not_a_date;
pub use numeral::{parse_numeral, to_chinese};

#[derive(Parser)]
#[grammar = "../grammar/guize.pest"]
pub(crate) struct GuizeParser;

/// Most nested “…” or {…} a file may have; deeper input is refused before
/// pest sees it, so hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 64;
/// Upper bound on pest's rule calls for one file (runaway backtracking):
/// at least this many, and more for a longer file, so a large honest file
/// (10⁵ events take ≈ 540 calls each) is read, while backtracking that
/// grows faster than the input still stops.
const CALL_LIMIT: usize = 50_000_000;
const CALLS_PER_BYTE: usize = 64;

/// Set pest's call limit for parsing `text`.
fn limit_calls(text: &str) {
    let limit = CALL_LIMIT.max(text.len().saturating_mul(CALLS_PER_BYTE));
    pest::set_call_limit(std::num::NonZeroUsize::new(limit));
}

/// Parse one file (rulesets and scenarios).
pub fn parse(source: &Source) -> Result<File, Vec<Diag>> {
    parse_rule(source, Rule::file).and_then(|pairs| build::file(pairs, source))
}

/// Check that `source` is a valid fragment of scenario statements (events,
/// 人员, 委托, 预期 …) or of ruleset items (职务, 会议, 条 …).
pub fn check_fragment(source: &Source, scenario: bool) -> Result<(), Vec<Diag>> {
    let entry = if scenario {
        Rule::scenario_fragment
    } else {
        Rule::ruleset_fragment
    };
    parse_rule(source, entry).map(|_| ())
}

/// Typed text, as the grammar reads it whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// Scenario statements (events, 人员, 委托 …), in source order; none
    /// when the text is only comments or blank.
    Statements(Vec<ScenarioStatement>),
    /// Whole rulesets and scenarios; per scenario, its statements.
    Items(Vec<Vec<ScenarioStatement>>),
    /// Ruleset declarations (职务, 会议, 条 …).
    Declarations,
}

/// One statement of a scenario as written (comments and separators left
/// out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioStatement {
    pub span: Span,
    pub kind: StatementKind,
}

/// Which statement of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// 依据: names the rulesets the scenario is checked under, states no
    /// fact.
    Basis,
    /// 截至
    Cutoff,
    /// 期间
    Window,
    /// 人员
    Person,
    /// 单位
    Unit,
    /// … 委托 … 代行
    Delegation,
    /// … 收回 委托
    Revocation,
    /// A dated event.
    Event,
    /// 预期
    Expectation,
}

impl StatementKind {
    fn of(grammar_rule: Rule) -> Option<StatementKind> {
        Some(match grammar_rule {
            Rule::basis => StatementKind::Basis,
            Rule::cutoff => StatementKind::Cutoff,
            Rule::window => StatementKind::Window,
            Rule::person | Rule::person_change => StatementKind::Person,
            Rule::unit_decl => StatementKind::Unit,
            Rule::delegation => StatementKind::Delegation,
            Rule::revocation => StatementKind::Revocation,
            Rule::event => StatementKind::Event,
            Rule::expectation => StatementKind::Expectation,
            _ => return None,
        })
    }
}

/// Read typed text as scenario statements, whole items (a file) or
/// ruleset declarations, whichever parses it whole (a line that is both a
/// statement and a declaration, `单位 …`, is a statement). When none does:
/// the diagnostic of the reading that got furthest.
pub fn read_fragment(source: &Source) -> Result<Fragment, Vec<Diag>> {
    use pest::error::InputLocation;
    let text: &str = &source.text;
    if let Some(d) = too_deep(text) {
        return Err(vec![d.in_source(source)]);
    }
    limit_calls(text);
    let mut furthest: Option<(usize, pest::error::Error<Rule>)> = None;
    let mut note = |e: pest::error::Error<Rule>| {
        let at = match e.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((a, _)) => a,
        };
        if furthest.as_ref().is_none_or(|(best, _)| at > *best) {
            furthest = Some((at, e));
        }
    };
    match GuizeParser::parse(Rule::scenario_fragment, text) {
        Ok(pairs) => {
            let items = pairs.flat_map(|p| p.into_inner());
            return Ok(Fragment::Statements(statements(items)));
        }
        Err(e) => note(e),
    }
    match GuizeParser::parse(Rule::file, text) {
        Ok(pairs) => {
            let scenarios = pairs
                .flat_map(|p| p.into_inner())
                .filter(|p| p.as_rule() == Rule::scenario)
                .map(|sc| statements(sc.into_inner()))
                .collect();
            return Ok(Fragment::Items(scenarios));
        }
        Err(e) => note(e),
    }
    match GuizeParser::parse(Rule::ruleset_fragment, text) {
        Ok(_) => return Ok(Fragment::Declarations),
        Err(e) => note(e),
    }
    Err(furthest
        .map(|(_, e)| vec![pest_error(&e, source)])
        .unwrap_or_default())
}

/// The statements among a scenario's (or fragment's) inner pairs.
fn statements<'a>(
    pairs: impl Iterator<Item = pest::iterators::Pair<'a, Rule>>,
) -> Vec<ScenarioStatement> {
    pairs
        .filter_map(|p| StatementKind::of(p.as_rule()).map(|kind| (p, kind)))
        .map(|(p, kind)| {
            let start = p.as_span().start();
            let written = p.as_str();
            // pest's span of a statement runs on over the blanks and
            // comments skipped looking for an optional part it lacks: cut
            // them off (the grammar's comments, as recorded in the pairs).
            let comments: Vec<(usize, usize)> = p
                .clone()
                .into_inner()
                .flatten()
                .filter(|q| q.as_rule() == Rule::comment_recorded)
                .map(|q| {
                    let (from, to) = (q.as_span().start(), q.as_span().end());
                    (from.saturating_sub(start), to.saturating_sub(start))
                })
                .collect();
            let mut end = written.len();
            loop {
                end = written.get(..end).unwrap_or("").trim_end().len();
                match comments.iter().find(|(_, e)| *e == end) {
                    Some((s, _)) => end = *s,
                    None => break,
                }
            }
            ScenarioStatement {
                span: Span::new(start, start + end),
                kind,
            }
        })
        .collect()
}

/// One top-level item (规则集 or 情景) of a file that does not parse whole,
/// with the comments and blank lines before it.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Byte range in the file.
    pub start: usize,
    pub end: usize,
    /// `情景“名称”` or `规则集“名称”` as the item's head reads, when it does.
    pub title: Option<String>,
    /// The item parsed on its own (spans are the file's).
    pub parsed: Result<File, Vec<Diag>>,
}

/// Cut a file into its top-level items and parse each on its own, so one
/// bad scenario leaves the others usable. Items are found by the grammar's
/// own entry points: `file_item` parses one item from a position and says
/// where it ends; after an item that does not parse, the next item starts
/// at the first later line opening with 情景 or 规则集 from which
/// `file_item` parses. Each item is then parsed with [`parse`] over the file
/// with everything else blanked out (bytes and lines keep their places, so
/// diagnostics point into the file as it is). None when the file is too
/// deeply nested to be parsed at all.
pub fn parse_pieces(source: &Source) -> Option<Vec<Piece>> {
    let text: &str = &source.text;
    if too_deep(text).is_some() {
        return None;
    }
    limit_calls(text);
    let parses_at = |entry: Rule, at: usize| -> Option<usize> {
        let rest = text.get(at..)?;
        let mut pairs = GuizeParser::parse(entry, rest).ok()?;
        pairs.next().map(|p| at + p.as_span().end())
    };
    // Where an item may start: the keyword opening a line.
    let heads: Vec<usize> = text
        .split_inclusive('\n')
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len();
            let body = line.trim_start();
            let at = start + (line.len() - body.len());
            Some((body.starts_with("情景") || body.starts_with("规则集")).then_some(at))
        })
        .flatten()
        .collect();
    let mut ranges = Vec::new();
    let mut pos = 0;
    while pos < text.len() && parses_at(Rule::file_rest, pos).is_none() {
        let end = match parses_at(Rule::file_item, pos) {
            Some(end) if end > pos => end,
            _ => heads
                .iter()
                .copied()
                .filter(|&h| h > pos)
                .find(|&h| parses_at(Rule::file_item, h).is_some())
                .unwrap_or(text.len()),
        };
        ranges.push((pos, end));
        pos = end;
    }
    let pieces = ranges
        .into_iter()
        .map(|(start, end)| {
            let blanked = blank_outside(text, start, end);
            let piece = Source::new(source.name.to_string(), blanked);
            let parsed =
                parse(&piece).map_err(|ds| ds.into_iter().map(|d| d.reattach(source)).collect());
            let title = heads
                .iter()
                .copied()
                .find(|&h| start <= h && h < end)
                .and_then(|h| item_title(text, h));
            Piece {
                start,
                end,
                title,
                parsed,
            }
        })
        .collect();
    Some(pieces)
}

/// `情景“名称”` / `规则集“名称”` from an item's head at `at`.
fn item_title(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let head = GuizeParser::parse(Rule::item_head, rest).ok()?.next()?;
    let mut kind = "";
    let mut name = None;
    for p in head.into_inner() {
        match p.as_rule() {
            Rule::item_kind_scenario => kind = "情景",
            Rule::item_kind_ruleset => kind = "规则集",
            Rule::heading => name = Some(p.as_str().trim_matches(['「', '」']).to_string()),
            _ => {}
        }
    }
    name.map(|n| format!("{kind}“{n}”"))
}

/// The text with every character outside `start..end` replaced by spaces
/// of the same byte length (line breaks kept).
fn blank_outside(text: &str, start: usize, end: usize) -> String {
    text.char_indices()
        .flat_map(|(i, c)| {
            let keep = (start..end).contains(&i) || c == '\n';
            let (c, n) = if keep { (c, 1) } else { (' ', c.len_utf8()) };
            std::iter::repeat_n(c, n)
        })
        .collect()
}

/// Parse with a chosen entry rule.
/// A date written alone (`2023-09-25`, `2023/9/25`, `2023年9月25日`), read by
/// the grammar's own `date` rule — the one reader of dates for files, JSON,
/// audit records and the command line. None when it is not a date of that
/// shape or does not exist (2023-02-30).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    // The form exporters write (2023-09-25), which `date_iso` accepts, read
    // without starting the parser: a tenth of the audit's time otherwise.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |ds: &[u8]| ds.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
        return chrono::NaiveDate::from_ymd_opt(
            i32::try_from(n(&[y0, y1, y2, y3])).ok()?,
            n(&[m0, m1]),
            n(&[d0, d1]),
        );
    }
    GuizeParser::parse(Rule::date_only, s).ok()?;
    let mut nums = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(str::parse::<u32>);
    let (y, m, d) = (nums.next()?.ok()?, nums.next()?.ok()?, nums.next()?.ok()?);
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A duration written alone (`7个工作日`, `30日内`, `三天`), read by the
/// grammar's own `duration` rule.
pub fn parse_duration(source: &Source) -> Result<ast::Duration, Vec<Diag>> {
    parse_rule(source, Rule::duration_only).and_then(|pairs| build::duration_only(pairs, source))
}

/// A date expression (`2023-09-25 +7工作日`, `2023年9月25日 -3天`, or a date
/// alone), read by the grammar: its `date` and `duration` rules, the ones
/// files are read with.
pub fn parse_date_expr(source: &Source) -> Result<ast::DateExpr, Vec<Diag>> {
    parse_rule(source, Rule::date_expr).and_then(|pairs| build::date_expr(pairs, source))
}

/// An article named alone (`第五十七条`, `五十七`, `57`), read by the
/// grammar's `article_ref`, as 预期 names articles.
pub fn parse_article_ref(source: &Source) -> Result<u32, Vec<Diag>> {
    parse_rule(source, Rule::article_ref_only)
        .and_then(|pairs| build::article_ref_only(pairs, source))
}

/// Text typed at the REPL prompt, as the parser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedInput {
    /// The input with every line break inside quoted text removed (quoted
    /// text is one line; a pasted title broken over lines is joined).
    pub text: String,
    /// The parser stopped only because the input ended (an open block, a
    /// statement or quoted text cut short): read another line.
    pub needs_more: bool,
}

/// Read typed input the way nickel's REPL does: it is incomplete when the
/// parse stops at its end, not when braces are unbalanced, so `// {` is a
/// comment (the grammar's own comments, no second reader) and a `}` in
/// quotes closes nothing. Where the parse stops at a line break inside
/// quoted text, that break is joined and the parse tried again. Tried as a
/// file, a scenario fragment and a ruleset fragment, as the REPL accepts
/// each.
pub fn typed_input(input: &str) -> TypedInput {
    let mut text = input.to_string();
    loop {
        let end = text.trim_end().len();
        if end == 0 || too_deep(&text).is_some() {
            break;
        }
        let Some(stop) = parse_stop(&text) else {
            break;
        };
        if stop >= end {
            return TypedInput {
                text,
                needs_more: true,
            };
        }
        match quote_open_at(&text, stop) {
            Some(OpenQuote::Broken(line_break)) => text.replace_range(line_break, ""),
            Some(OpenQuote::AtEnd) => {
                return TypedInput {
                    text,
                    needs_more: true,
                };
            }
            None => break,
        }
    }
    TypedInput {
        text,
        needs_more: false,
    }
}

/// Where the parse of typed input stops: the furthest point reached as a
/// file, a scenario fragment or a ruleset fragment. None when one parses.
fn parse_stop(text: &str) -> Option<usize> {
    use pest::error::InputLocation;
    limit_calls(text);
    let mut furthest = 0;
    for entry in [Rule::file, Rule::scenario_fragment, Rule::ruleset_fragment] {
        match GuizeParser::parse(entry, text) {
            Ok(_) => return None,
            Err(e) => {
                let at = match e.location {
                    InputLocation::Pos(p) => p,
                    InputLocation::Span((a, _)) => a,
                };
                furthest = furthest.max(at);
            }
        }
    }
    Some(furthest)
}

/// Quoted text opened where the parse stopped and still open at the end of
/// its line (quoted text cannot hold a line break).
enum OpenQuote {
    /// Cut by this line break: join the lines.
    Broken(std::ops::Range<usize>),
    /// Still open at the end of the input: read more.
    AtEnd,
}

/// pest reports an unterminated quote where the quote opens (its text
/// rules are atomic), so look there: the stop is at a quote mark whose
/// text runs to the end of the line. Only the parser's stop is looked at,
/// so a quote in a comment never counts.
fn quote_open_at(text: &str, stop: usize) -> Option<OpenQuote> {
    let rest = text.get(stop..)?;
    if !rest.starts_with(['"', '“', '「']) {
        return None;
    }
    let mut quotes = Quotes::default();
    for (i, c) in rest.char_indices() {
        if c == '\n' && quotes.open() {
            let at = stop + i;
            let from = if text.get(..at).is_some_and(|t| t.ends_with('\r')) {
                at - 1
            } else {
                at
            };
            return Some(OpenQuote::Broken(from..at + 1));
        }
        quotes.plain(c);
        if !quotes.open() {
            return None;
        }
    }
    quotes.open().then_some(OpenQuote::AtEnd)
}

pub(crate) fn parse_rule(
    source: &Source,
    entry: Rule,
) -> Result<pest::iterators::Pairs<'_, Rule>, Vec<Diag>> {
    let text: &str = &source.text;
    if let Some(d) = too_deep(text) {
        return Err(vec![d.in_source(source)]);
    }
    limit_calls(text);
    GuizeParser::parse(entry, text).map_err(|e| vec![pest_error(&e, source)])
}

fn too_deep(text: &str) -> Option<Diag> {
    // By bytes, not chars (this scan runs on every parse): `{` `}` are one
    // byte, ｛ ｝ “ ” three (EF BD 9B/9D, E2 80 9C/9D), and no other
    // character's UTF-8 starts with those three bytes.
    // Only bytes `{` `}` EF E2 can open or close, so the scan jumps from
    // one to the next (memchr) instead of visiting every byte.
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut braces = memchr::memchr3_iter(b'{', b'}', 0xEF, bytes).peekable();
    let mut quotes = memchr::memchr_iter(0xE2, bytes).peekable();
    loop {
        let i = match (braces.peek(), quotes.peek()) {
            (Some(&a), Some(&q)) if q < a => quotes.next(),
            (Some(_), _) => braces.next(),
            (None, _) => quotes.next(),
        };
        let Some(i) = i else { break };
        let Some(&b) = bytes.get(i) else { break };
        let width = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'{', _, _) => 1,
            (0xEF, Some(0xBD), Some(0x9B)) | (0xE2, Some(0x80), Some(0x9C)) => 3,
            (b'}', _, _) | (0xEF, Some(0xBD), Some(0x9D)) | (0xE2, Some(0x80), Some(0x9D)) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            _ => continue,
        };
        depth += 1;
        if depth > MAX_NESTING {
            return Some(
                Diag::error(
                    code::SYNTAX_TOO_DEEP,
                    Span::new(i, i + width),
                    format!("嵌套层数超过 {MAX_NESTING} 层"),
                )
                .label("从这里起嵌套过深")
                .help("检查是否漏写了右括号（}）或右引号（”）；规则文件不需要这么深的嵌套"),
            );
        }
    }
    None
}

/// Convert a pest error into a coded diagnostic. pest reports byte offsets;
/// we keep them as bytes (miette's spans are bytes too), and never use
/// pest's own line/column rendering.
fn pest_error(e: &pest::error::Error<Rule>, source: &Source) -> Diag {
    use pest::error::{ErrorVariant, InputLocation};
    let text: &str = &source.text;
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((a, b)) => (a, b),
    };
    let start = start.min(text.len());
    // Point at the whole offending character (or word), not an empty span.
    let end = if end > start {
        end
    } else {
        text.get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(start, |c| start + c.len_utf8())
    };
    let span = Span::new(start, end);
    let found = text.get(start..).map(found_token).unwrap_or_default();
    if let Some(d) = unterminated(text, start) {
        return d.in_source(source);
    }
    let (expected, unexpected) = match &e.variant {
        ErrorVariant::ParsingError {
            positives,
            negatives,
        } => (describe(positives), describe(negatives)),
        ErrorVariant::CustomError { message } => {
            if message.contains("call limit") {
                return Diag::error(code::SYNTAX_TOO_DEEP, span, "输入过于复杂，解析中止")
                    .label("解析到这里时超过了步数上限")
                    .help("把过长的语句拆开，或检查是否有大量重复的内容")
                    .in_source(source);
            }
            (message.clone(), String::new())
        }
    };
    if let Some(d) = statement_error(text, start, &expected) {
        return d.in_source(source);
    }
    // A control character prints as nothing: "cannot read “”" would show
    // the user no culprit. Name it by its code point.
    if let Some(c) = text.get(start..).and_then(|rest| rest.chars().next())
        && c.is_control()
        && !matches!(c, '\t' | '\r' | '\n')
    {
        return Diag::error(
            code::SYNTAX_UNEXPECTED,
            span,
            format!("此处有不可见的控制字符（U+{:04X}）", u32::from(c)),
        )
        .label("控制字符")
        .help("删去这个字符：文件中除制表符和换行外不能有控制字符")
        .in_source(source);
    }
    // Typed input (the REPL) is named like "<输入>", not a file.
    let typed = source.name.starts_with('<');
    let message = if start >= text.len() {
        if typed {
            "输入没有写完"
        } else {
            "文件意外结束"
        }
        .to_string()
    } else if found.is_empty() {
        "此处不应出现空白".to_string()
    } else {
        format!("无法理解“{found}”")
    };
    let label = if expected.is_empty() {
        "这里".to_string()
    } else {
        format!("此处应为：{expected}")
    };
    let mut help = String::from("对照语言说明检查这一行");
    if !unexpected.is_empty() {
        help = format!("此处不能出现：{unexpected}");
    } else if start >= text.len() {
        help = if typed {
            format!("语句没有写完：这里还需要{expected}")
        } else {
            "检查是否漏写了右括号（}）".into()
        };
    } else if let Some(word) = separator_at(&found) {
        // A bare name stops before a keyword: say which, and give the name
        // as it was meant, in corner quotes.
        let before = name_before(text, start);
        let rest: String = found.chars().take_while(|c| is_name_char(*c)).collect();
        // `任 副县长, 分管 教育`: a list separator just before the keyword
        // asked for another name; most likely the keyword starts the next
        // part and the separator is the slip.
        let separator = text
            .get(..start)
            .and_then(|t| t.trim_end().chars().next_back())
            .filter(|c| matches!(c, ',' | '，' | '、'));
        help = if let Some(sep) = separator.filter(|_| before.is_empty()) {
            format!(
                "“{word}”是关键字：它前面的“{sep}”表示名单还有下一项；若“{word}”开始下一部分，请删去这个“{sep}”；若它是名称的一部分，请用「」括起：「{rest}」"
            )
        } else if before.is_empty() {
            format!("“{word}”是关键字，不能直接作名称；作名称时请用「」括起：「{rest}」")
        } else {
            format!(
                "“{word}”是关键字，名称写到这里就断开了；含关键字的名称请用「」括起：「{before}{rest}」"
            )
        };
    } else if let Some(word) = SEPARATOR_WORDS.iter().find(|w| found.contains(*w)) {
        help = format!(
            "“{word}”是关键字：名称中含关键字时会在此断开；含关键字的名称请用「」括起，如「办公室分管副主任」"
        );
    } else if !expected.is_empty() {
        help = format!("这里需要{expected}");
    }
    let mut diag = Diag::error(code::SYNTAX_UNEXPECTED, span, message)
        .label(label)
        .help(help);
    if start >= text.len()
        && let Some(open) = unclosed_brace(text)
    {
        // ｛ is three bytes: the label covers the whole character.
        let width = text
            .get(open..)
            .and_then(|t| t.chars().next())
            .map_or(1, char::len_utf8);
        diag = diag.related(Span::new(open, open + width), "这个“{”没有闭合");
    }
    diag.in_source(source)
}

/// Statement keywords and the form each takes (for "this statement is
/// malformed" errors).
const STATEMENT_FORMS: &[(&str, &str)] = &[
    (
        "人员",
        "人员 王某 任 副县长 分管 财政；任免、分工调整前写日期：2025-06-01 人员 王某 任 县长，2025-06-01 人员 王某 离任",
    ),
    ("预期", "预期 违反 五十七"),
    ("职务", "职务 常务副县长 属于 副县长"),
    ("单位", "单位 县教育局 属于 县政府部门"),
    ("依据", "依据 规则集名称"),
    ("截至", "截至 2023-10-31"),
    ("行为", "行为 督查、公布"),
    ("情景", "情景 「甲、乙两会」 {"),
    ("规则集", "规则集 「某县人民政府工作规则（2023）」 {"),
];

/// The parse failed at a statement's own keyword (人员, 预期 …), which is
/// also what was expected there: the statement went wrong further on. Point
/// at a character on its line that cuts a name short (`#` starts a comment;
/// a byte-order mark, NUL or other control character is no name
/// character), else say the statement is malformed and show its form —
/// never "cannot read 人员 — expected 人员".
fn statement_error(text: &str, at: usize, expected: &str) -> Option<Diag> {
    let rest = text.get(at..)?;
    let (kw, form) = STATEMENT_FORMS.iter().find(|(k, _)| {
        rest.starts_with(k)
            && (expected.contains(&format!("“{k}”"))
                    // A top-level heading that stopped short: pest names
                    // nothing it expected there.
                    || (expected.is_empty() && matches!(*k, "情景" | "规则集")))
    })?;
    let line = rest.split('\n').next().unwrap_or(rest);
    for (i, c) in line.char_indices() {
        let why = match c {
            '#' => "“#”开始了注释，名称在这里断开",
            '\u{FEFF}' => "名称中有不可见的字节顺序标记（U+FEFF）",
            c if c.is_control() && c != '\t' && c != '\r' => "名称中有不可见的控制字符",
            // A heading runs to its brace, but list punctuation ends a
            // bare one (情景 甲、乙 {; blind r21 巩留).
            '、' | '，' | ',' | '；' | ';' | '。'
                if matches!(*kw, "情景" | "规则集")
                    && line.get(..i).is_some_and(|h| !h.contains(['{', '｛'])) =>
            {
                "标题中的标点把标题断开了：含标点的标题请用「」括起"
            }
            _ => continue,
        };
        let span = Span::new(at + i, at + i + c.len_utf8());
        return Some(
            Diag::error(
                code::SYNTAX_UNEXPECTED,
                span,
                format!("“{kw}”语句中有不能出现在名称里的字符"),
            )
            .label(why)
            .help(format!(
                "删去这个字符；确需写入名称的，用「」括起。此语句的写法如：{form}"
            )),
        );
    }
    let end = at + kw.len();
    Some(
        Diag::error(
            code::SYNTAX_UNEXPECTED,
            Span::new(at, end),
            format!("“{kw}”语句写法有误"),
        )
        .label("这一语句没能读完")
        .help(format!("写法如：{form}")),
    )
}

/// The token a syntax error shows: quoted text whole (up to its closing
/// quote), else up to the next space; at most a few words, never cut
/// without saying so.
fn found_token(rest: &str) -> String {
    const MAX: usize = 24;
    let mut chars = rest.chars();
    let close = match chars.next() {
        Some('"') => Some('"'),
        Some('“') => Some('”'),
        Some('「') => Some('」'),
        _ => None,
    };
    let token: String = match close {
        Some(c) => {
            let mut t = String::new();
            for (i, ch) in rest.chars().enumerate() {
                if ch == '\n' {
                    break;
                }
                t.push(ch);
                if i > 0 && ch == c {
                    return shorten(&t, MAX);
                }
            }
            t
        }
        None => rest.chars().take_while(|c| !c.is_whitespace()).collect(),
    };
    shorten(&token, MAX)
}

fn shorten(t: &str, max: usize) -> String {
    if t.chars().count() > max {
        let mut s: String = t.chars().take(max).collect();
        s.push('…');
        s
    } else {
        t.to_string()
    }
}

/// The keyword (a separator word or a built-in verb) the token starts
/// with, if any: where a bare name was cut.
fn separator_at(found: &str) -> Option<&'static str> {
    let verbs = ast::Verb::ALL.iter().map(|(_, w)| *w);
    SEPARATOR_WORDS
        .iter()
        .copied()
        .chain(verbs)
        .filter(|w| found.starts_with(w))
        .max_by_key(|w| w.len())
}

/// The bare-name characters written right before `at` (no space between).
fn name_before(text: &str, at: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    let mut out: Vec<char> = head
        .chars()
        .rev()
        .take_while(|c| is_name_char(*c))
        .collect();
    out.reverse();
    out.into_iter().collect()
}

/// A character a bare name may hold (the grammar's `name_char`).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || "_·•×〇－-".contains(c)
}

use words::SEPARATOR_WORDS;

/// Tracks whether a walk through text is inside quoted text ("…", “…”,
/// 「…」), for the scans that must skip it (braces, comments, line joins).
#[derive(Debug, Default, Clone, Copy)]
pub struct Quotes {
    close: Option<char>,
}

impl Quotes {
    /// Feed the next character; true when it is plain text outside quotes
    /// (not inside, and not a quote mark itself).
    pub fn plain(&mut self, c: char) -> bool {
        match (self.close, c) {
            (Some(close), _) if c == close => self.close = None,
            (Some(_), _) => {}
            (None, '"') => self.close = Some('"'),
            (None, '「') => self.close = Some('」'),
            (None, '“') => self.close = Some('”'),
            (None, _) => return true,
        }
        false
    }

    /// Inside quoted text now?
    pub fn open(&self) -> bool {
        self.close.is_some()
    }
}

/// Byte offset of the last `{` never closed, skipping quoted text.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut stack = Vec::new();
    let mut quotes = Quotes::default();
    for (i, c) in text.char_indices() {
        match c {
            _ if !quotes.plain(c) => {}
            '{' | '｛' => stack.push(i),
            '}' | '｝' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

/// If an opening quote before `pos` on the same line never closes, say so.
fn unterminated(text: &str, pos: usize) -> Option<Diag> {
    let line_start = text.get(..pos)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(pos..)?.find('\n').map_or(text.len(), |i| pos + i);
    let line = text.get(line_start..line_end)?;
    let mut quotes = Quotes::default();
    let mut opened: Option<(usize, char)> = None;
    for (i, c) in line.char_indices() {
        let was_open = quotes.open();
        quotes.plain(c);
        if !was_open && quotes.open() {
            opened = Some((i, c));
        }
    }
    if !quotes.open() {
        return None;
    }
    let (i, open_char) = opened?;
    let close = match open_char {
        '「' => '」',
        '“' => '”',
        _ => '"',
    };
    let at = line_start + i;
    Some(
        Diag::error(
            code::SYNTAX_UNTERMINATED,
            Span::new(at, at + open_char.len_utf8()),
            "引号没有闭合",
        )
        .label("这个引号在本行内没有对应的右引号")
        .help(format!("在文字结尾补上“{close}”；引号内的文字不能跨行")),
    )
}

/// Chinese names for grammar rules, for "expected …" lists.
fn describe(rules: &[Rule]) -> String {
    // Where a verb was wanted, that is the expectation to name: the other
    // alternatives (a run of words with a declared verb, the next
    // statement) are what pest also tried at the same place.
    if rules
        .iter()
        .any(|r| matches!(r, Rule::verb | Rule::verb_alts))
    {
        return rule_word(Rule::verb).into_owned();
    }
    let mut found: Vec<std::borrow::Cow<'static, str>> = Vec::new();
    for r in rules {
        let w = rule_word(*r);
        if !w.is_empty() && !found.contains(&w) {
            found.push(w);
        }
    }
    found.join("、")
}

/// “甲”“乙”或“丙”: the words of a keyword table, as a choice.
fn either(table: impl Iterator<Item = &'static str>) -> String {
    let quoted: Vec<String> = table.map(|w| format!("“{w}”")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}或{last}", rest.concat()),
        None => String::new(),
    }
}

fn words_of<T>(table: &'static [(T, &'static str)]) -> impl Iterator<Item = &'static str> {
    table.iter().map(|(_, w)| *w)
}

/// What a grammar rule is, in words, for "expected …" lists; keyword
/// choices are spelled from their `words` tables.
fn rule_word(r: Rule) -> std::borrow::Cow<'static, str> {
    let choice = match r {
        Rule::modality => Some(either(words_of(words::MODALITY))),
        Rule::defeasible => Some(either(words::DEFEASIBLE.iter().copied())),
        Rule::comparison => Some(either(words_of(words::COMPARISON))),
        Rule::expect_verdict => Some(either(words_of(words::VERDICT))),
        _ => None,
    };
    if let Some(words) = choice {
        return words.into();
    }
    let word = match r {
        // `p_named` is what `p_away` was: a filter starting with a name.
        Rule::name
        | Rule::bare_name
        | Rule::name_list
        | Rule::person_name
        | Rule::person_bare
        | Rule::p_named => "名称",
        Rule::text | Rule::text_list => "引号中的文字",
        Rule::number | Rule::arabic | Rule::cn_num => "数字",
        Rule::date | Rule::date_iso | Rule::date_cn => "日期（如 2023-09-25）",
        Rule::duration => "期限（如 7个工作日）",
        Rule::time_unit => "单位（工作日、日、天）",
        Rule::ruleset => "“规则集”",
        Rule::scenario => "“情景”",
        Rule::article | Rule::article_head => "条（如 第二十二条）",
        Rule::quote => "“原文”",
        Rule::rule => "规则（须、应当、不得、可）",
        Rule::verb | Rule::verb_alts => "事件（如 召开、签发、请假）",
        Rule::event => "事件（以日期开头）",
        Rule::event_pattern => "事件模式",
        Rule::action | Rule::action_list => "行为（召集、主持、签发…）",
        Rule::actor_alts | Rule::actor_alt => "职务或角色",
        Rule::period => "周期（每年、每月…）",
        Rule::count_range => "次数",
        Rule::fraction => "比例（如 一半、三分之二）",
        Rule::expectation => "“预期”",
        Rule::article_ref => "条号",
        Rule::EOI => "文件结尾",
        Rule::position_decl => "“职务”",
        Rule::meeting_decl => "“会议”",
        Rule::document_decl => "“公文”",
        Rule::person => "“人员”",
        Rule::person_change => "任职变动（日期 人员 …）",
        Rule::delegation => "委托",
        Rule::lead => "“提前”或“事先”",
        Rule::scope => "代行范围",
        Rule::direction => "上行、平行或下行",
        _ => "",
    };
    word.into()
}

#[cfg(test)]
mod recovery_tests {
    use super::*;

    /// The tree carries every comment the grammar reads, with its span, in
    /// source order; `#` inside quoted text is no comment, and a trailing
    /// comment does not stretch the statement's span.
    #[test]
    fn parse_keeps_comments_with_spans() {
        let text =
            "// 头\n情景 甲 { /* 块 */\n  人员 王某 任 「县长#」 # 尾\n  预期 符合\n}\n# 末\n";
        let src = Source::new("t.guize", text);
        let file = parse(&src).unwrap_or_else(|_| File {
            rulesets: Vec::new(),
            scenarios: Vec::new(),
            comments: ast::Comments::default(),
        });
        let texts: Vec<&str> = file.comments.0.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["// 头", "/* 块 */", "# 尾", "# 末"]);
        for c in &file.comments.0 {
            assert_eq!(src.slice(c.span), c.text);
        }
        let person_end = file
            .scenarios
            .first()
            .and_then(|s| s.people.first())
            .map(|p| src.slice(Span::new(0, p.span.end)).ends_with("「县长#」"));
        assert_eq!(person_end, Some(true));
    }

    /// `safe_char` lets a name run on without the stop-word look-ahead:
    /// no literal of `stop_word`'s groups or `verb` may start with one of its
    /// characters, and ordinary name characters are in it.
    #[test]
    fn safe_chars_start_no_separator_word() {
        let grammar = include_str!("../../grammar/guize.pest");
        let body = |rule: &str| -> String {
            let from = [format!("\n{rule} = _{{"), format!("\n{rule} = {{")]
                .iter()
                .find_map(|head| grammar.find(head.as_str()).map(|i| i + head.len()))
                .unwrap_or(grammar.len());
            let rest = grammar.get(from..).unwrap_or("");
            // The rule ends at the first line that is `}` or ends in ` }`.
            let end = rest
                .lines()
                .scan(0, |at, l| {
                    *at += l.len() + 1;
                    Some((*at, l))
                })
                .find(|(_, l)| l.trim() == "}" || l.trim_end().ends_with(" }"))
                .map_or(rest.len(), |(at, _)| at);
            rest.get(..end).unwrap_or("").to_string()
        };
        let safe = |c: char| GuizeParser::parse(Rule::safe_char_alone, &c.to_string()).is_ok();
        let mut firsts = Vec::new();
        // `stop_word`'s words are in one rule per group (stop_4e …).
        let groups: Vec<&str> = grammar
            .lines()
            .filter_map(|l| l.strip_suffix(" = _{"))
            .filter(|r| r.starts_with("stop_") && *r != "stop_word")
            .collect();
        assert_eq!(groups.len(), 6, "{groups:?}");
        for rule in groups.into_iter().chain(["verb"]) {
            let text = body(rule);
            assert!(text.contains('"'), "rule {rule} not found");
            let lines = text.lines().map(|l| l.split("//").next().unwrap_or(""));
            for l in lines {
                firsts.extend(
                    l.split('"')
                        .skip(1)
                        .step_by(2)
                        .filter_map(|w| w.chars().next()),
                );
            }
        }
        assert!(firsts.len() > 50, "{firsts:?}");
        for c in firsts {
            assert!(!safe(c), "{c} starts a separator word");
        }
        for c in "县政府办公室人民常务副长乾安瓜州A7·－".chars() {
            assert!(safe(c), "{c}");
        }
        // Likewise a name starting in `name_start_hot` skips the
        // `name_start_word` look-ahead: no word of it starts there.
        let hot = |c: char| GuizeParser::parse(Rule::name_start_hot_alone, &c.to_string()).is_ok();
        let text = body("name_start_word");
        let starts: Vec<char> = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .flat_map(|l| {
                l.split('"')
                    .skip(1)
                    .step_by(2)
                    .filter_map(|w| w.chars().next())
            })
            .collect();
        assert!(starts.len() > 40, "{starts:?}");
        for c in starts {
            assert!(!hot(c), "{c} starts a word of name_start_word");
        }
        for c in "县常副乾".chars() {
            assert!(hot(c), "{c}");
        }
    }

    /// `stop_word` is grouped by the first character of its words: every
    /// verb and separator word must still end a bare name where it starts.
    #[test]
    fn every_verb_and_separator_word_is_a_stop_word() {
        let verbs = words::VERBS.iter().map(|(_, w)| *w);
        for w in verbs.chain(SEPARATOR_WORDS.iter().copied()) {
            assert!(
                GuizeParser::parse(Rule::stop_word_alone, w).is_ok(),
                "{w} is not in its group of stop_word"
            );
        }
    }

    /// The call limit grows with the file: 10⁵ events (≈ 540 pest calls
    /// each, past the fixed floor) are read, on one line as on many.
    #[test]
    fn a_large_honest_file_is_not_too_complex() {
        for sep in ["\n  ", "；"] {
            let events: Vec<String> = (0..100_000)
                .map(|k| format!("2023-01-02 县教育局 征求意见 \"稿{k}\" 发往 县财政局、县人社局"))
                .collect();
            let text = format!("情景 甲 {{\n  {}\n}}\n", events.join(sep));
            let parsed = parse(&Source::new("big.guize", text));
            let count = parsed.map(|f| f.scenarios.iter().map(|s| s.events.len()).sum::<usize>());
            assert_eq!(count.map_err(|e| e.len()), Ok(100_000), "separator {sep:?}");
        }
    }

    /// Durations and date expressions alone are read by the language's
    /// own rules: what a rule accepts (内, 个, spaces, Chinese numerals).
    #[test]
    fn fragments_read_durations_and_date_expressions() {
        let d = |t: &str| parse_duration(&Source::new("<期限>", t)).map_err(|e| e.len());
        let seven = d("七个工作日内").map(|d| (d.amount.value, d.unit));
        assert_eq!(seven, Ok((7, ast::TimeUnit::WorkingDay)));
        assert_eq!(d("30 天").map(|d| d.amount.value), Ok(30));
        assert!(d("7周").is_err());
        let code_of = |r: Result<(), Vec<Diag>>| r.err().and_then(|e| e.first().map(|e| e.code));
        let numeral = code_of(parse_duration(&Source::new("<期限>", "二二日")).map(|_| ()));
        assert_eq!(numeral, Some(code::SYNTAX_NUMERAL));
        let e = |t: &str| parse_date_expr(&Source::new("<日期表达式>", t)).map_err(|e| e.len());
        let back = e("2023年9月25日 －3天").map(|x| x.offset.map(|o| o.backwards));
        assert_eq!(back, Ok(Some(true)));
        assert_eq!(e(" 2023/9/25 ").map(|x| x.offset), Ok(None));
        let bad_date =
            code_of(parse_date_expr(&Source::new("<日期表达式>", "2023-02-30 +1日")).map(|_| ()));
        assert_eq!(bad_date, Some(code::SYNTAX_DATE));
    }

    /// Typed input needs more only where the parse stops at its end: a
    /// brace in a comment opens nothing, an open block or statement or
    /// quoted text waits, a quote broken over lines is joined.
    #[test]
    fn typed_input_needs_more_only_at_the_end() {
        let needs = |t: &str| typed_input(t).needs_more;
        assert!(!needs("// {"));
        assert!(!needs("// 他说“"));
        assert!(!needs("人员 王某 任 县长 # {"));
        assert!(needs("情景 甲 {"));
        assert!(needs("情景 甲 {\n  // }\n  人员 王某 任 县长"));
        assert!(!needs("情景 甲 {\n  人员 王某 任 县长\n}"));
        assert!(needs("2023-09-25 印发 \"第13次"));
        assert!(!needs("人员 王某 ）"));
        let joined = typed_input("2023-09-25 印发 \"示政发〔2023〕\n10号\"");
        assert_eq!(
            joined,
            TypedInput {
                text: "2023-09-25 印发 \"示政发〔2023〕10号\"".into(),
                needs_more: false
            }
        );
        let comment = typed_input("// 他说“\n人员 王某 任 县长");
        assert_eq!(comment.text, "// 他说“\n人员 王某 任 县长");
    }

    /// Typed statements come apart at their own ends: no trailing
    /// blanks or comments, separators left out; a declaration and a whole
    /// scenario are told apart by the parser, not by their first word.
    #[test]
    fn read_fragment_finds_statements() {
        let text =
            "人员 王某 任 县长 // 注释\n  人员 李某 任 副县长；2023-09-25 印发 \"通知\"   # 尾\n";
        let src = Source::new("<输入>", text);
        let found: Vec<&str> = match read_fragment(&src) {
            Ok(Fragment::Statements(st)) => st.iter().map(|s| src.slice(s.span)).collect(),
            _ => Vec::new(),
        };
        assert_eq!(
            found,
            vec![
                "人员 王某 任 县长",
                "人员 李某 任 副县长",
                "2023-09-25 印发 \"通知\""
            ]
        );
        let decl = Source::new("<输入>", "职务 县委书记");
        assert_eq!(read_fragment(&decl).ok(), Some(Fragment::Declarations));
        let only_comment = Source::new("<输入>", "// { 注释");
        assert_eq!(
            read_fragment(&only_comment).ok(),
            Some(Fragment::Statements(Vec::new()))
        );
        let whole = Source::new("<输入>", "情景 甲 {\n  依据 乙\n  人员 王某 任 县长\n}");
        let statements = match read_fragment(&whole) {
            Ok(Fragment::Items(mut sc)) => sc.pop().unwrap_or_default(),
            _ => Vec::new(),
        };
        let kinds: Vec<StatementKind> = statements.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![StatementKind::Basis, StatementKind::Person]);
    }

    #[test]
    fn pieces_isolate_the_bad_item_and_keep_offsets() {
        let text = "// 头\n情景 甲 {\n  预期 符合\n}\n\n情景 乙 {\n  ~~\n}\n垃圾\n情景 丙 {\n  预期 符合\n}\n";
        let src = Source::new("t.guize", text);
        assert!(parse(&src).is_err());
        let pieces = parse_pieces(&src).unwrap_or_default();
        let titles: Vec<Option<&str>> = pieces.iter().map(|p| p.title.as_deref()).collect();
        assert_eq!(
            titles,
            vec![Some("情景“甲”"), Some("情景“乙”"), Some("情景“丙”")]
        );
        let ok: Vec<bool> = pieces.iter().map(|p| p.parsed.is_ok()).collect();
        assert_eq!(ok, vec![true, false, true]);
        // The error of 乙 (which swallowed the garbage after it) is at its
        // own line of the file.
        let line = pieces
            .get(1)
            .and_then(|p| p.parsed.as_ref().err())
            .and_then(|d| d.first())
            .map(|d| src.line_col(d.span.start).0);
        assert_eq!(line, Some(7));
        // 丙's spans are the file's.
        let name = pieces
            .get(2)
            .and_then(|p| p.parsed.as_ref().ok())
            .and_then(|f| f.scenarios.first())
            .map(|s| src.slice(s.name.span).to_string());
        assert_eq!(name.as_deref(), Some("丙"));
    }
}
