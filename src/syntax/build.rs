//! pest pairs → AST. Numerals and dates are checked here, so every later
//! stage sees only valid values.

use chrono::NaiveDate;
use pest::iterators::{Pair, Pairs};

use super::Rule;
use super::ast::*;
use super::numeral::parse_numeral;
use super::words;
use super::words::stmt;
use crate::diag::{Diag, Source, code};

type P<'a> = Pair<'a, Rule>;

struct Builder {
    // Interior: keyword look-ups report from `&self` methods.
    errors: std::cell::RefCell<Vec<Diag>>,
}

pub(super) fn file(mut pairs: Pairs<'_, Rule>, source: &Source) -> Result<File, Vec<Diag>> {
    let mut b = Builder {
        errors: Default::default(),
    };
    let mut out = File {
        rulesets: Vec::new(),
        scenarios: Vec::new(),
        comments: Comments(comments(&pairs)),
    };
    if let Some(file) = pairs.next() {
        for p in file.kids() {
            match p.as_rule() {
                Rule::ruleset => out.rulesets.push(b.ruleset(p)),
                Rule::scenario => out.scenarios.push(b.scenario(p)),
                _ => {}
            }
        }
    }
    if out.rulesets.is_empty() && out.scenarios.is_empty() && b.errors.borrow().is_empty() {
        let end = source.text.len();
        b.errors.borrow_mut().push(
            Diag::error(
                code::SYNTAX_EMPTY,
                Span::new(0, end),
                "文件中没有规则集或情景",
            )
            .label("空文件")
            .help("以“规则集 名称 { … }”或“情景 名称 { … }”开始"),
        );
    }
    if b.errors.borrow().is_empty() {
        Ok(out)
    } else {
        Err(b
            .errors
            .into_inner()
            .into_iter()
            .map(|d| d.in_source(source))
            .collect())
    }
}

/// A `duration_only` parse → its duration (numeral checked).
pub(super) fn duration_only(
    pairs: Pairs<'_, Rule>,
    source: &Source,
) -> Result<Duration, Vec<Diag>> {
    let mut b = Builder {
        errors: Default::default(),
    };
    let duration = pairs
        .flatten()
        .find(|p| p.as_rule() == Rule::duration)
        .map(|p| b.duration(p));
    b.finish(duration, source)
}

/// An `article_ref_only` parse → the article's number (numeral checked).
pub(super) fn article_ref_only(pairs: Pairs<'_, Rule>, source: &Source) -> Result<u32, Vec<Diag>> {
    let mut b = Builder {
        errors: Default::default(),
    };
    let number = pairs
        .flatten()
        .find(|p| p.as_rule() == Rule::number)
        .map(|p| b.numeral(p).value);
    b.finish(number, source)
}

/// A `date_expr` parse → the date and its signed offset (date and numeral
/// checked).
pub(super) fn date_expr(pairs: Pairs<'_, Rule>, source: &Source) -> Result<DateExpr, Vec<Diag>> {
    let mut b = Builder {
        errors: Default::default(),
    };
    let mut date = None;
    let mut backwards = false;
    let mut duration = None;
    for p in pairs.flatten() {
        match p.as_rule() {
            Rule::date => date = Some(b.date(p)),
            Rule::offset_minus => backwards = true,
            Rule::duration => duration = Some(b.duration(p)),
            _ => {}
        }
    }
    let expr = date.map(|date| DateExpr {
        date,
        offset: duration.map(|duration| Offset {
            backwards,
            duration,
        }),
    });
    b.finish(expr, source)
}

impl Builder {
    /// The table entry of a keyword the grammar matched at `p`. Grammar
    /// and tables hold the same words (tests/words.rs), so a miss is an
    /// internal error, reported — never read as some default word.
    fn keyword<T: Copy>(&self, found: Option<T>, p: &P<'_>, fallback: T) -> T {
        found.unwrap_or_else(|| {
            self.errors.borrow_mut().push(
                Diag::error(
                    code::SYNTAX_UNEXPECTED,
                    span(p),
                    format!("内部错误：关键字“{}”不在词表中", p.as_str()),
                )
                .label("这个关键字")
                .help("这是 guize 的缺陷（语法与 syntax::words 的词表不一致），请报告这段输入"),
            );
            fallback
        })
    }

    /// The value, or the errors met building it. None without errors is
    /// a parse the grammar gave without the rule it promises: internal.
    fn finish<T>(self, value: Option<T>, source: &Source) -> Result<T, Vec<Diag>> {
        match value {
            Some(v) if self.errors.borrow().is_empty() => Ok(v),
            _ if !self.errors.borrow().is_empty() => Err(self
                .errors
                .into_inner()
                .into_iter()
                .map(|d| d.in_source(source))
                .collect()),
            _ => Err(vec![
                Diag::error(
                    code::SYNTAX_UNEXPECTED,
                    Span::new(0, source.text.len()),
                    "内部错误：语法分析结果不完整",
                )
                .label("这段输入")
                .help("这是 guize 的缺陷，请报告这段输入"),
            ]),
        }
    }
}

/// The pair's span without trailing whitespace or comments (pest includes
/// them when an optional tail fails to match). The comments are the
/// grammar's own `comment` pairs inside the pair.
fn span(p: &P<'_>) -> Span {
    let s = p.as_span();
    let text = s.as_str();
    let at = s.start();
    let trimmed = |upto: usize| at + text.get(..upto - at).map_or(0, |t| t.trim_end().len());
    let mut end = trimmed(s.end());
    // Only a comment the text ends with is cut off: a block comment ends
    // in `*/`, a line comment starts on the last line. Most spans have
    // neither, and need no walk over the pair's whole subtree (which made
    // spans of nested pairs cost their depth times their size).
    let kept = text.get(..end - at).unwrap_or("");
    // No comment marker at all (most pairs): nothing to look for, and no
    // backward search for the last line.
    if memchr::memchr2(b'/', b'#', kept.as_bytes()).is_none() {
        return Span::new(at, end);
    }
    let last_line = kept
        .rfind('\n')
        .map_or(kept, |i| kept.get(i + 1..).unwrap_or(""));
    if !kept.ends_with("*/") && memchr::memchr2(b'/', b'#', last_line.as_bytes()).is_none() {
        return Span::new(at, end);
    }
    let comments: Vec<(usize, usize)> = p
        .clone()
        .into_inner()
        .flatten()
        .filter(|q| q.as_rule() == Rule::comment)
        .map(|q| (q.as_span().start(), trimmed(q.as_span().end())))
        .collect();
    for &(start, comment_end) in comments.iter().rev() {
        if comment_end != end {
            break;
        }
        end = trimmed(start);
    }
    Span::new(at, end)
}

/// A pair's children without the comments the grammar yields between them
/// (comments are collected once, for the whole file, in [`comments`]).
trait Kids<'a> {
    fn kids(self) -> std::iter::Filter<Pairs<'a, Rule>, fn(&P<'a>) -> bool>;
}

impl<'a> Kids<'a> for P<'a> {
    fn kids(self) -> std::iter::Filter<Pairs<'a, Rule>, fn(&P<'a>) -> bool> {
        self.into_inner().filter(not_comment)
    }
}

fn not_comment(p: &P<'_>) -> bool {
    p.as_rule() != Rule::comment_recorded
}

/// Every comment of the parse, in source order.
fn comments(pairs: &Pairs<'_, Rule>) -> Vec<Comment> {
    // A comment starts with / or #: a pair whose text holds neither has
    // none inside, and its subtree is not walked (walking every pair of
    // the file was most of this). Pre-order, as `flatten` gives them.
    fn walk(p: P<'_>, out: &mut Vec<Comment>) {
        if p.as_rule() == Rule::comment {
            let text = p.as_str().trim_end();
            let start = p.as_span().start();
            out.push(Comment {
                text: text.to_string(),
                span: Span::new(start, start + text.len()),
            });
        } else if memchr::memchr2(b'/', b'#', p.as_str().as_bytes()).is_some() {
            for q in p.into_inner() {
                walk(q, out);
            }
        }
    }
    let mut out = Vec::new();
    for p in pairs.clone() {
        walk(p, &mut out);
    }
    out
}

/// A statement whose keyword `keyword` opens its span.
fn statement(what: Stmt, span: Span, keyword: &str) -> Statement {
    Statement {
        what,
        span,
        keyword: Span::new(span.start, span.start + keyword.len()),
    }
}

/// 制定 / 地点 values: quoted text or 「name」, or a bare name.
fn quoting(p: &P<'_>) -> Quoting {
    if p.as_rule() == Rule::text || p.as_str().starts_with('「') {
        Quoting::Quoted
    } else {
        Quoting::Bare
    }
}

fn first_inner<'a>(p: &P<'a>) -> Option<P<'a>> {
    p.clone().kids().next()
}

impl Builder {
    /// The leading name of a statement, or an empty one at `sp` (the
    /// grammar always gives one; this only avoids a panic path).
    fn first_name(&self, p: Option<P<'_>>, sp: Span) -> Name {
        p.map(|n| self.name(n)).unwrap_or_else(|| Spanned {
            node: String::new(),
            span: sp,
        })
    }

    /// A statement that may appear once: a second one is an error, never a
    /// silent overwrite.
    fn once<T>(&mut self, slot: &mut Option<T>, value: Option<T>, keyword: &str, at: Span) {
        if value.is_none() {
            return;
        }
        if slot.is_some() {
            self.errors.borrow_mut().push(
                Diag::error(code::SYNTAX_DUPLICATE, at, format!("“{keyword}”写了两次"))
                    .label("又写了一次")
                    .help(format!(
                        "“{keyword}”只能写一次：删去多余的一处，或把两处合并"
                    )),
            );
            return;
        }
        *slot = value;
    }

    /// A filter that holds one value, written a second time in the same
    /// pattern: an error, never a silent overwrite (two 离县期间 with two
    /// people kept only the last) nor a duplicate fmt cannot place.
    fn repeated_filter(&self, keyword: &str, at: Span, first: Option<Span>) {
        self.repeated(keyword, at, first, "模式");
    }

    fn repeated(&self, keyword: &str, at: Span, first: Option<Span>, place: &str) {
        let mut diag = Diag::error(
            code::SYNTAX_DUPLICATE,
            at,
            format!("“{keyword}”在同一{place}中写了两次"),
        )
        .label("又写了一次")
        .help(format!(
            "“{keyword}”在一个{place}中只能写一次：删去多余的一处"
        ));
        if let Some(first) = first {
            diag = diag.related(first, "第一次写在这里");
        }
        self.errors.borrow_mut().push(diag);
    }

    fn name(&self, p: P<'_>) -> Name {
        // name = 「corner」 | bare; person_name likewise.
        let sp = span(&p);
        let text = match p.as_rule() {
            Rule::name | Rule::person_name | Rule::title | Rule::heading | Rule::exception_name => {
                match first_inner(&p) {
                    Some(inner) => inner.as_str(),
                    None => p.as_str(),
                }
            }
            _ => p.as_str(),
        };
        Spanned {
            node: text.trim().to_string(),
            span: sp,
        }
    }

    fn names(&self, p: P<'_>) -> Vec<Name> {
        p.kids()
            .filter(|q| q.as_rule() == Rule::name)
            .map(|q| self.name(q))
            .collect()
    }

    fn text(&self, p: P<'_>) -> Name {
        let sp = span(&p);
        let inner = first_inner(&p)
            .map(|q| q.as_str().to_string())
            .unwrap_or_default();
        Spanned {
            node: inner,
            span: sp,
        }
    }

    fn text_or_name(&self, p: P<'_>) -> Name {
        match p.as_rule() {
            Rule::text => self.text(p),
            _ => self.name(p),
        }
    }

    fn numeral(&mut self, p: P<'_>) -> Numeral {
        let sp = span(&p);
        let spelling = p.as_str().to_string();
        let value = match parse_numeral(&spelling) {
            Ok(v) => v,
            Err(why) => {
                self.errors.borrow_mut().push(
                    Diag::error(
                        code::SYNTAX_NUMERAL,
                        sp,
                        format!("数字写法有误：{spelling}"),
                    )
                    .label(why)
                    .help("中文数字按“二十二”“一百零五”的写法，或直接写阿拉伯数字"),
                );
                0
            }
        };
        Numeral {
            value,
            spelling,
            span: sp,
        }
    }

    fn date(&mut self, p: P<'_>) -> Spanned<NaiveDate> {
        let sp = span(&p);
        let s = p.as_str();
        let parsed = match date_digits(s).as_slice() {
            [y, m, d] => i32::try_from(*y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, *m, *d)),
            _ => None,
        };
        match parsed {
            Some(date) => Spanned {
                node: date,
                span: sp,
            },
            None => {
                let why = why_not_a_date(s);
                self.errors.borrow_mut().push(
                    Diag::error(code::SYNTAX_DATE, sp, format!("“{s}”不是有效日期"))
                        .label(why)
                        .help("日期写作 2023-09-25 或 2023年9月25日，且须是日历上存在的日子"),
                );
                Spanned {
                    node: NaiveDate::MIN,
                    span: sp,
                }
            }
        }
    }

    // ───────── rulesets ─────────

    fn ruleset(&mut self, p: P<'_>) -> Ruleset {
        let sp = span(&p);
        let mut inner = p.kids();
        let name = self.first_name(inner.next(), sp);
        let mut rs = Ruleset {
            name,
            enacted_by: None,
            enacted_by_quoting: Spelling(Quoting::Bare),
            effective: None,
            repealed: None,
            calendars: Vec::new(),
            area_leaders: Vec::new(),
            act_tags: Vec::new(),
            same_acts: Vec::new(),
            unit_parents: Vec::new(),
            verb_decls: Vec::new(),
            calendar_files: Vec::new(),
            positions: Vec::new(),
            units: Vec::new(),
            meetings: Vec::new(),
            documents: Vec::new(),
            articles: Vec::new(),
            statements: Vec::new(),
            span: sp,
        };
        for item in inner {
            let isp = span(&item);
            let what = match item.as_rule() {
                Rule::enacted_by => Some((Stmt::EnactedBy, stmt::ENACTED_BY)),
                Rule::effective => Some((Stmt::Effective, stmt::EFFECTIVE)),
                Rule::repealed => Some((Stmt::Repealed, stmt::REPEALED)),
                Rule::calendar_decl => Some((Stmt::Calendar, stmt::CALENDAR)),
                Rule::position_decl => Some((Stmt::Position(rs.positions.len()), stmt::POSITION)),
                Rule::unit_decl => {
                    let first = rs.units.len();
                    let count = self.unit_names(item.clone()).len();
                    Some((Stmt::Units { first, count }, stmt::UNIT))
                }
                Rule::same_act => {
                    let found =
                        first_inner(&item).and_then(|w| words::find(words::SAME_ACT, w.as_str()));
                    let written = self.keyword(found, &item, false);
                    let word = words::word_of(words::SAME_ACT, written);
                    Some((Stmt::SameAct(rs.same_acts.len()), word))
                }
                Rule::verb_decl => {
                    let first = rs.verb_decls.len();
                    let count = item.clone().kids().count();
                    Some((Stmt::VerbDecls { first, count }, stmt::VERB_DECL))
                }
                Rule::area_leaders => {
                    let first = rs.area_leaders.len();
                    let count = item.clone().kids().map(|l| self.names(l).len()).sum();
                    Some((Stmt::AreaLeaders { first, count }, stmt::AREA_LEADERS))
                }
                Rule::act_tags => {
                    let first = rs.act_tags.len();
                    let count = item.clone().kids().map(|l| self.names(l).len()).sum();
                    Some((Stmt::ActTags { first, count }, stmt::ACT_TAGS))
                }
                Rule::meeting_decl => Some((Stmt::Meeting(rs.meetings.len()), stmt::MEETING)),
                Rule::document_decl => Some((Stmt::Document(rs.documents.len()), stmt::DOCUMENT)),
                Rule::article => {
                    let head = if item.as_str().starts_with('第') {
                        stmt::ARTICLE_DI
                    } else {
                        stmt::ARTICLE_BARE
                    };
                    Some((Stmt::Article(rs.articles.len()), head))
                }
                _ => None,
            };
            if let Some((what, keyword)) = what {
                rs.statements.push(statement(what, isp, keyword));
            }
            match item.as_rule() {
                Rule::enacted_by => {
                    if let Some(v) = first_inner(&item) {
                        rs.enacted_by_quoting = Spelling(quoting(&v));
                        let v = Some(self.text_or_name(v));
                        self.once(&mut rs.enacted_by, v, stmt::ENACTED_BY, isp);
                    }
                }
                Rule::effective => {
                    if let Some(v) = first_inner(&item) {
                        let v = Some(self.date(v));
                        self.once(&mut rs.effective, v, stmt::EFFECTIVE, isp);
                    }
                }
                Rule::repealed => {
                    if let Some(v) = first_inner(&item) {
                        let v = Some(self.date(v));
                        self.once(&mut rs.repealed, v, stmt::REPEALED, isp);
                    }
                }
                Rule::calendar_decl => {
                    if !rs.calendars.is_empty() {
                        self.once(&mut Some(()), Some(()), stmt::CALENDAR, isp);
                    }
                    rs.calendars.clear();
                    rs.calendar_files.clear();
                    for part in item.kids() {
                        if part.as_rule() == Rule::calendar_files {
                            let texts = part.kids().flat_map(|l| l.kids());
                            rs.calendar_files.extend(texts.map(|t| self.text(t)));
                        } else {
                            rs.calendars.push(self.name(part));
                        }
                    }
                }
                Rule::position_decl => rs.positions.push(self.position(item)),
                Rule::unit_decl => self.unit_decl(item, &mut rs.units, &mut rs.unit_parents),
                Rule::same_act => {
                    let mut verbs = Vec::new();
                    let mut kinds = Vec::new();
                    let mut distinct = false;
                    for x in item.kids() {
                        match x.as_rule() {
                            Rule::same_act_word => {
                                distinct = self.keyword(
                                    words::find(words::SAME_ACT, x.as_str()),
                                    &x,
                                    false,
                                )
                            }
                            Rule::verb => {
                                if let Some(node) = Verb::from_word(x.as_str()) {
                                    verbs.push(Spanned {
                                        node,
                                        span: span(&x),
                                    });
                                }
                            }
                            Rule::name_list => kinds.extend(self.names(x)),
                            _ => {}
                        }
                    }
                    rs.same_acts.push(SameAct {
                        distinct,
                        verbs,
                        kinds,
                        span: isp,
                    });
                }
                Rule::verb_decl => {
                    for w in item.kids() {
                        rs.verb_decls.push(match first_inner(&w) {
                            Some(n) if n.as_rule() == Rule::name => self.name(n),
                            _ => Spanned {
                                node: w.as_str().to_string(),
                                span: span(&w),
                            },
                        });
                    }
                }
                Rule::area_leaders => {
                    rs.area_leaders
                        .extend(item.kids().flat_map(|l| self.names(l)));
                }
                Rule::act_tags => {
                    rs.act_tags.extend(item.kids().flat_map(|l| self.names(l)));
                }
                Rule::meeting_decl => rs.meetings.push(self.meeting(item)),
                Rule::document_decl => rs.documents.push(self.document(item)),
                Rule::article => rs.articles.push(self.article(item)),
                Rule::stray_rule => self.errors.borrow_mut().push(
                    Diag::error(code::RULE_OUTSIDE_ARTICLE, isp, "规则须写在条内")
                        .label("这条规则不属于任何一条")
                        .help(
                            "把它写进规定它的条：条 五十七 { 原文 \"…\"  须 … }，结论才能指向条文",
                        ),
                ),
                _ => {}
            }
        }
        rs
    }

    fn unit_names(&self, p: P<'_>) -> Vec<Name> {
        p.kids()
            .filter(|q| q.as_rule() == Rule::name_list)
            .flat_map(|q| self.names(q))
            .collect()
    }

    /// `单位 A、B [属于 C]`: the units, and each one's classes when given
    /// (the same statement in a ruleset and in a scenario).
    fn unit_decl(&self, p: P<'_>, units: &mut Vec<Name>, classes: &mut Vec<(Name, Vec<Name>)>) {
        let names = self.unit_names(p.clone());
        if let Some(parent) = p.kids().find(|q| q.as_rule() == Rule::unit_parent) {
            let parents: Vec<Name> = parent.kids().flat_map(|l| self.names(l)).collect();
            classes.extend(names.iter().map(|n| (n.clone(), parents.clone())));
        }
        units.extend(names);
    }

    fn position(&self, p: P<'_>) -> PositionDecl {
        let sp = span(&p);
        let mut lists = p.kids().filter(|q| q.as_rule() == Rule::name_list);
        let names = lists.next().map(|q| self.names(q)).unwrap_or_default();
        let parents = lists.next().map(|q| self.names(q)).unwrap_or_default();
        PositionDecl {
            names,
            parents,
            span: sp,
        }
    }

    fn meeting(&mut self, p: P<'_>) -> MeetingDecl {
        let sp = span(&p);
        let mut inner = p.kids();
        let name = self.first_name(inner.next(), sp);
        let mut m = MeetingDecl {
            name: name.clone(),
            parent: None,
            title: None,
            members: Vec::new(),
            attendees: Vec::new(),
            rules: Vec::new(),
            statements: Vec::new(),
            span: sp,
        };
        let kind_filter = Filters {
            kinds: vec![name.clone()],
            ..Filters::default()
        };
        for a in inner {
            let asp = span(&a);
            let next_rule = Stmt::MeetingRule(m.rules.len());
            let what = match a.as_rule() {
                Rule::m_title => Some((Stmt::Title, stmt::TITLE)),
                Rule::m_members => {
                    let count = first_inner(&a).map_or(0, |l| self.names(l).len());
                    let first = m.members.len();
                    Some((Stmt::Members { first, count }, stmt::MEMBERS))
                }
                Rule::m_attendees => {
                    let count = first_inner(&a).map_or(0, |l| self.names(l).len());
                    let first = m.attendees.len();
                    Some((Stmt::Attendees { first, count }, stmt::ATTENDEES))
                }
                Rule::m_convener => Some((next_rule, words::CONVENE)),
                Rule::m_chair => Some((next_rule, words::CHAIR)),
                Rule::m_minutes => Some((next_rule, stmt::MINUTES)),
                Rule::m_frequency => Some((next_rule, stmt::FREQUENCY)),
                Rule::m_quorum => Some((next_rule, stmt::QUORUM)),
                _ => None,
            };
            if let Some((what, keyword)) = what {
                m.statements.push(statement(what, asp, keyword));
            }
            match a.as_rule() {
                Rule::name => m.parent = Some(self.name(a)),
                Rule::m_title => {
                    let v = first_inner(&a).map(|t| self.text(t));
                    self.once(&mut m.title, v, stmt::TITLE, asp);
                }
                Rule::m_members => m
                    .members
                    .extend(first_inner(&a).map(|l| self.names(l)).unwrap_or_default()),
                Rule::m_attendees => m
                    .attendees
                    .extend(first_inner(&a).map(|l| self.names(l)).unwrap_or_default()),
                Rule::m_convener | Rule::m_chair | Rule::m_minutes => {
                    let (action, filters) = match a.as_rule() {
                        Rule::m_convener => (Action::Convene, kind_filter.clone()),
                        Rule::m_chair => (Action::Chair, kind_filter.clone()),
                        _ => (
                            Action::Do(Verb::Sign),
                            Filters {
                                kinds: vec![Spanned {
                                    node: "纪要".into(),
                                    span: asp,
                                }],
                                basis: vec![name.clone()],
                                ..Filters::default()
                            },
                        ),
                    };
                    let mut defeasible = None;
                    let mut actors = Vec::new();
                    for q in a.kids() {
                        match q.as_rule() {
                            Rule::defeasible => defeasible = Some(self.name(q)),
                            Rule::actor_alts => actors = self.actor_alts(q),
                            _ => {}
                        }
                    }
                    m.rules.push(Rule_ {
                        defeasible,
                        exceptions: Vec::new(),
                        exempt_to: Vec::new(),
                        approvers: Vec::new(),
                        own_deadline: None,
                        special_only: None,
                        modality: Spanned {
                            node: Modality::Must,
                            span: asp,
                        },
                        modality_word: Spelling(ModalityWord::Xu),
                        exception_form: Spelling(ExceptionForm::QingXing),
                        body: RuleBody::Authority {
                            actors,
                            actions: vec![Spanned {
                                node: action,
                                span: asp,
                            }],
                            filters,
                        },
                        quote: None,
                        span: asp,
                    });
                }
                Rule::m_frequency => {
                    let mut defeasible = None;
                    let mut period = None;
                    let mut count = None;
                    for q in a.kids() {
                        match q.as_rule() {
                            Rule::defeasible => defeasible = Some(self.name(q)),
                            Rule::period => period = Some(self.period(q)),
                            Rule::count_range => count = Some(self.count_range(q)),
                            _ => {}
                        }
                    }
                    if let (Some((period, period_word)), Some((count, count_spelling))) =
                        (period, count)
                    {
                        m.rules.push(Rule_ {
                            defeasible,
                            exceptions: Vec::new(),
                            exempt_to: Vec::new(),
                            approvers: Vec::new(),
                            own_deadline: None,
                            special_only: None,
                            modality: Spanned {
                                node: Modality::Must,
                                span: asp,
                            },
                            modality_word: Spelling(ModalityWord::Xu),
                            exception_form: Spelling(ExceptionForm::QingXing),
                            body: RuleBody::Frequency {
                                pattern: EventPattern {
                                    actor: Vec::new(),
                                    verbs: vec![Spanned {
                                        node: Verb::Convene,
                                        span: asp,
                                    }],
                                    filters: kind_filter.clone(),
                                    words: Vec::new(),
                                    span: asp,
                                },
                                period,
                                period_word: Spelling(period_word),
                                count,
                                count_spelling: Spelling(count_spelling),
                                group: None,
                            },
                            quote: None,
                            span: asp,
                        });
                    }
                }
                Rule::m_quorum => {
                    let mut it = a.kids();
                    let comparison = it.next().map(|q| self.comparison(q));
                    let fraction = it.next().map(|q| self.fraction(q));
                    if let (Some((comparison, comparison_word)), Some((fraction, fraction_form))) =
                        (comparison, fraction)
                    {
                        m.rules.push(Rule_ {
                            defeasible: None,
                            exceptions: Vec::new(),
                            exempt_to: Vec::new(),
                            approvers: Vec::new(),
                            own_deadline: None,
                            special_only: None,
                            modality: Spanned {
                                node: Modality::Must,
                                span: asp,
                            },
                            modality_word: Spelling(ModalityWord::Xu),
                            exception_form: Spelling(ExceptionForm::QingXing),
                            body: RuleBody::Quorum {
                                meetings: vec![name.clone()],
                                comparison,
                                comparison_word: Spelling(comparison_word),
                                fraction,
                                fraction_form: Spelling(fraction_form),
                            },
                            quote: None,
                            span: asp,
                        });
                    }
                }
                _ => {}
            }
        }
        m
    }

    fn document(&mut self, p: P<'_>) -> DocumentDecl {
        let sp = span(&p);
        let mut inner = p.kids();
        let name = self.first_name(inner.next(), sp);
        let mut d = DocumentDecl {
            name,
            parent: None,
            issuer: None,
            direction: None,
            flags: Vec::new(),
            statements: Vec::new(),
            span: sp,
        };
        for a in inner {
            let asp = span(&a);
            let what = match a.as_rule() {
                Rule::d_issuer => Some((Stmt::Issuer, stmt::ISSUER)),
                Rule::d_direction => Some((Stmt::Direction, stmt::DIRECTION)),
                Rule::d_flag => Some((Stmt::Flag(d.flags.len()), a.as_str())),
                _ => None,
            };
            if let Some((what, keyword)) = what {
                d.statements.push(statement(what, asp, keyword));
            }
            match a.as_rule() {
                Rule::name => d.parent = Some(self.name(a)),
                Rule::d_issuer => {
                    let v = first_inner(&a).map(|n| self.name(n));
                    let at = span(&a);
                    self.once(&mut d.issuer, v, stmt::ISSUER, at);
                }
                Rule::d_direction => {
                    d.direction = first_inner(&a).map(|x| {
                        self.keyword(
                            words::find(words::DIRECTION, x.as_str()),
                            &x,
                            Direction::Down,
                        )
                    })
                }
                Rule::d_flag => d.flags.push(Spanned {
                    node: a.as_str().to_string(),
                    span: span(&a),
                }),
                _ => {}
            }
        }
        d
    }

    fn article(&mut self, p: P<'_>) -> Article {
        let sp = span(&p);
        let mut inner = p.kids();
        let (number, heading) = match inner.next() {
            Some(head) => {
                let heading = head
                    .as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let num = head
                    .kids()
                    .find(|q| q.as_rule() == Rule::number)
                    .map(|q| self.numeral(q));
                (num, heading)
            }
            None => (None, String::new()),
        };
        if let Some(n) = number
            .as_ref()
            .filter(|n| parse_numeral(&n.spelling) == Ok(0))
        {
            self.errors.borrow_mut().push(
                Diag::error(
                    code::SYNTAX_NUMERAL,
                    n.span,
                    format!("条号不能为{}", n.spelling),
                )
                .label("条号须从一开始")
                .help("按来源文件的编号写条号，如 条 二十二 或 第二十二条"),
            );
        }
        let number = number.unwrap_or(Numeral {
            value: 0,
            spelling: String::new(),
            span: sp,
        });
        let form = if heading.starts_with('第') {
            ArticleForm::Di
        } else {
            ArticleForm::Bare
        };
        let mut a = Article {
            number,
            heading,
            form: Spelling(form),
            quotes: Vec::new(),
            rules: Vec::new(),
            meetings: Vec::new(),
            statements: Vec::new(),
            span: sp,
        };
        for item in inner {
            let isp = span(&item);
            match item.as_rule() {
                Rule::quote => {
                    a.statements
                        .push(statement(Stmt::Quote(a.quotes.len()), isp, stmt::QUOTE))
                }
                Rule::rule => a.statements.push(Statement {
                    what: Stmt::Rule(a.rules.len()),
                    span: isp,
                    // A rule's keyword is its modality (须, 不得 …).
                    keyword: item
                        .clone()
                        .kids()
                        .find(|q| q.as_rule() == Rule::modality)
                        .map_or(Span::new(isp.start, isp.start), |q| span(&q)),
                }),
                Rule::meeting_decl => a.statements.push(statement(
                    Stmt::Meeting(a.meetings.len()),
                    isp,
                    stmt::MEETING,
                )),
                _ => {}
            }
            match item.as_rule() {
                Rule::quote => {
                    if let Some(t) = first_inner(&item) {
                        a.quotes.push(self.text(t));
                    }
                }
                Rule::rule => {
                    let mut r = self.rule(item);
                    r.quote = a.quotes.len().checked_sub(1);
                    a.rules.push(r);
                }
                Rule::meeting_decl => {
                    let mut m = self.meeting(item);
                    for r in &mut m.rules {
                        r.quote = a.quotes.len().checked_sub(1);
                    }
                    a.meetings.push(m);
                }
                _ => {}
            }
        }
        a
    }

    // ───────── rules ─────────

    fn rule(&mut self, p: P<'_>) -> Rule_ {
        let sp = span(&p);
        let mut defeasible = None;
        let mut exceptions = Vec::new();
        let mut exempt_to = Vec::new();
        let mut approvers = Vec::new();
        let mut own_deadline = None;
        let mut special_only = None;
        let mut modality = Spanned {
            node: Modality::Must,
            span: sp,
        };
        let mut modality_word = ModalityWord::Xu;
        let mut exception_form = None;
        let mut body = None;
        for q in p.kids() {
            match q.as_rule() {
                Rule::defeasible => defeasible = Some(self.name(q)),
                Rule::own_deadline => own_deadline = Some(span(&q)),
                Rule::special_only => special_only = Some(span(&q)),
                Rule::approval => {
                    for x in q.kids() {
                        if x.as_rule() == Rule::actor_alts {
                            approvers.extend(self.actor_alts(x));
                        }
                    }
                }
                Rule::exempt_to => exempt_to.extend(
                    q.kids()
                        .filter(|x| x.as_rule() == Rule::exception_name)
                        .map(|x| self.name(x)),
                ),
                Rule::exception => {
                    if exception_form.is_none()
                        && let Some(first) = q.clone().kids().next()
                    {
                        // 除 情形 X 外: 情形 between 除 and the first name.
                        let head = text_between(&q, q.as_span().start(), first.as_span().start());
                        exception_form = Some(if head.contains("情形") {
                            ExceptionForm::QingXing
                        } else {
                            ExceptionForm::Bare
                        });
                    }
                    exceptions.extend(
                        q.kids()
                            .filter(|x| x.as_rule() == Rule::exception_name)
                            .map(|x| self.name(x)),
                    )
                }
                Rule::modality => {
                    modality_word = self.keyword(
                        words::find(words::MODALITY, q.as_str()),
                        &q,
                        ModalityWord::default(),
                    );
                    modality = Spanned {
                        node: match modality_word {
                            ModalityWord::Xu | ModalityWord::YingDang => Modality::Must,
                            ModalityWord::BuDe => Modality::MustNot,
                            ModalityWord::Ke => Modality::May,
                        },
                        span: span(&q),
                    }
                }
                // 在 <trigger> 后 … / 在 <trigger> 前 …: the tail says which.
                Rule::timed => {
                    let mut it = q.kids();
                    let trigger = it.next().map(|x| self.event_pattern(x));
                    if let (Some(trigger), Some(tail)) = (trigger, it.next()) {
                        body = match tail.as_rule() {
                            Rule::response => self.response(trigger, tail),
                            Rule::either_side => tail.kids().next().map(|x| RuleBody::Response {
                                trigger,
                                within: None,
                                response: self.event_pattern(x),
                                either_side: true,
                            }),
                            Rule::precedence => self.precedence(trigger, tail),
                            _ => None,
                        };
                    }
                }
                Rule::authority => {
                    let mut actors = Vec::new();
                    let mut actions = Vec::new();
                    let mut filters = Filters::default();
                    for x in q.kids() {
                        match x.as_rule() {
                            Rule::actor_alts => actors = self.actor_alts(x),
                            Rule::action_list => actions = self.actions(x),
                            Rule::word_actions => actions = self.word_actions(x),
                            _ => self.filter(x, &mut filters),
                        }
                    }
                    body = Some(RuleBody::Authority {
                        actors,
                        actions,
                        filters,
                    });
                }
                Rule::quorum => {
                    let mut meetings = Vec::new();
                    let mut comparison = None;
                    let mut fraction = None;
                    for x in q.kids() {
                        match x.as_rule() {
                            Rule::name_list => meetings = self.names(x),
                            Rule::comparison => comparison = Some(self.comparison(x)),
                            Rule::fraction => fraction = Some(self.fraction(x)),
                            _ => {}
                        }
                    }
                    if let (Some((comparison, comparison_word)), Some((fraction, fraction_form))) =
                        (comparison, fraction)
                    {
                        body = Some(RuleBody::Quorum {
                            meetings,
                            comparison,
                            comparison_word: Spelling(comparison_word),
                            fraction,
                            fraction_form: Spelling(fraction_form),
                        });
                    }
                }
                // <pattern> [每月 至少 2 次]: 频次 with the tail, else 禁止.
                Rule::pattern_rule => {
                    let mut it = q.kids();
                    if let Some(pattern) = it.next().map(|x| self.event_pattern(x)) {
                        body = match it.next() {
                            Some(tail) => self.frequency(pattern, tail),
                            None => Some(RuleBody::Prohibition { pattern }),
                        };
                    }
                }
                _ => {}
            }
        }
        Rule_ {
            defeasible,
            exceptions,
            exempt_to,
            approvers,
            own_deadline,
            special_only,
            modality,
            modality_word: Spelling(modality_word),
            exception_form: Spelling(exception_form.unwrap_or_default()),
            body: body.unwrap_or(RuleBody::Prohibition {
                pattern: EventPattern {
                    actor: Vec::new(),
                    verbs: Vec::new(),
                    filters: Filters::default(),
                    words: Vec::new(),
                    span: sp,
                },
            }),
            quote: None,
            span: sp,
        }
    }

    fn duration(&mut self, p: P<'_>) -> Duration {
        let sp = span(&p);
        let mut amount = None;
        let mut written = DurationSpelling::default();
        let mut number_end = p.as_span().start();
        for q in p.clone().kids() {
            match q.as_rule() {
                Rule::number => {
                    number_end = q.as_span().end();
                    amount = Some(self.numeral(q));
                }
                Rule::time_unit => {
                    let found = words::find(words::TIME_UNIT, q.as_str());
                    written.unit = self.keyword(found, &q, UnitWord::Ri);
                    // 个 and 内 are literals of `duration`, not pairs: the
                    // pair's own text around its unit (comments left out).
                    written.ge = text_between(&p, number_end, q.as_span().start()).contains('个');
                    written.nei =
                        text_between(&p, q.as_span().end(), p.as_span().end()).contains('内');
                }
                _ => {}
            }
        }
        Duration {
            amount: amount.unwrap_or(Numeral {
                value: 0,
                spelling: String::new(),
                span: sp,
            }),
            unit: written.unit.unit(),
            written: Spelling(written),
            span: sp,
        }
    }

    /// 离县期间 → the word (离县, 离州, 离市, 外出) with its span.
    fn away(&self, p: P<'_>) -> Option<Spanned<String>> {
        let w = first_inner(&p)?;
        Some(Spanned {
            node: w.as_str().to_string(),
            span: span(&w),
        })
    }

    fn role(&self, p: &P<'_>) -> Spanned<Role> {
        let r = self.keyword(words::find(words::ROLE, p.as_str()), p, Role::Individual);
        Spanned {
            node: r,
            span: span(p),
        }
    }

    fn actor_alts(&self, p: P<'_>) -> Vec<ActorSpec> {
        p.kids()
            .filter_map(|alt| first_inner(&alt))
            .filter_map(|x| self.actor(x))
            .collect()
    }

    /// One actor of a 权限 rule or of a pattern: a position, a role, or
    /// `X[离县期间]委托的Y`.
    fn actor(&self, x: P<'_>) -> Option<ActorSpec> {
        match x.as_rule() {
            // A name alone, or a name, 委托的 and a name.
            Rule::named_actor if x.clone().kids().nth(1).is_none() => {
                first_inner(&x).map(|n| ActorSpec::Position(self.name(n)))
            }
            Rule::delegated_actor | Rule::named_actor => {
                let mut names = Vec::new();
                let mut away = None;
                for y in x.kids() {
                    match y.as_rule() {
                        Rule::away => away = self.away(y),
                        _ => names.push(self.name(y)),
                    }
                }
                let mut names = names.into_iter();
                match (names.next(), names.next()) {
                    (Some(a), Some(b)) => Some(ActorSpec::Delegated {
                        principal: a,
                        delegate: b,
                        away,
                    }),
                    _ => None,
                }
            }
            Rule::role => Some(ActorSpec::Role(self.role(&x))),
            Rule::name => Some(ActorSpec::Position(self.name(x))),
            _ => None,
        }
    }

    fn actions(&self, p: P<'_>) -> Vec<Spanned<Action>> {
        p.kids()
            .filter(|a| a.as_rule() == Rule::action)
            .map(|a| {
                let sp = span(&a);
                let word = a.as_str();
                Spanned {
                    node: Action::from_any_word(word),
                    span: sp,
                }
            })
            .collect()
    }

    /// Declared verbs as actions (`由 县长 督查`, `代行 督查`); the compiler
    /// checks they are declared.
    fn word_actions(&self, p: P<'_>) -> Vec<Spanned<Action>> {
        self.names(p)
            .into_iter()
            .map(|n| Spanned {
                node: Action::Do(Verb::from_any_word(&n.node)),
                span: n.span,
            })
            .collect()
    }

    fn verbs(&self, p: P<'_>) -> Vec<Spanned<Verb>> {
        p.kids()
            .filter(|v| v.as_rule() == Rule::verb)
            .filter_map(|v| {
                Verb::from_word(v.as_str()).map(|node| Spanned {
                    node,
                    span: span(&v),
                })
            })
            .collect()
    }

    fn targets(&self, p: P<'_>) -> Vec<Target> {
        p.kids()
            .flat_map(|l| l.kids())
            .filter_map(|t| {
                let x = first_inner(&t)?;
                Some(match x.as_rule() {
                    Rule::role => Target::Role(self.role(&x)),
                    Rule::attending => Target::Attending(self.name(first_inner(&x)?)),
                    _ => Target::Name(self.name(x)),
                })
            })
            .collect()
    }

    fn filter(&self, x: P<'_>, f: &mut Filters) {
        match x.as_rule() {
            Rule::p_several_areas => {
                if let Some(first) = f.several_areas {
                    return self.repeated_filter(x.as_str(), span(&x), Some(first));
                }
                f.several_areas = Some(span(&x));
            }
            Rule::p_leaves_county => {
                if f.leaves_county {
                    let first = f.written.0.leaves_county.as_ref().map(|w| w.span);
                    return self.repeated_filter(x.as_str(), span(&x), first);
                }
                f.leaves_county = true;
                f.written.0.leaves_county = Some(Spanned {
                    node: self.keyword(
                        words::find(words::LEAVE, x.as_str()),
                        &x,
                        LeaveWord::default(),
                    ),
                    span: span(&x),
                });
            }
            Rule::p_away => self.away_filter(x, f),
            // A name and 期间 is `p_away`; names alone are `p_kinds`.
            Rule::p_named => {
                if x.clone().kids().any(|k| k.as_rule() == Rule::away) {
                    self.away_filter(x, f)
                } else {
                    f.kinds.extend(x.kids().map(|n| self.name(n)))
                }
            }
            Rule::p_tags => f.tags.extend(x.kids().flat_map(|l| self.names(l))),
            Rule::p_basis => f.basis.extend(x.kids().flat_map(|l| self.names(l))),
            Rule::pattern_target => {
                f.targets_any |= first_inner(&x).is_some_and(|t| t.as_rule() == Rule::target_any);
                f.targets.extend(self.targets(x));
            }
            Rule::p_decided => {
                if f.decided {
                    let first = f.written.0.decided.as_ref().map(|w| w.span);
                    return self.repeated_filter(x.as_str(), span(&x), first);
                }
                f.decided = true;
                let word = words::DECIDED
                    .iter()
                    .find(|(_, w)| x.as_str().ends_with(w))
                    .map_or(DecidedWord::GongWen, |(d, _)| *d);
                f.written.0.decided = Some(Spanned {
                    node: word,
                    span: span(&x),
                });
            }
            Rule::p_leader_absent => {
                if f.leader_absent {
                    let first = f.written.0.leader_absent;
                    return self.repeated_filter(x.as_str(), span(&x), first);
                }
                f.leader_absent = true;
                f.written.0.leader_absent = Some(span(&x));
            }
            Rule::p_present => f.present.extend(x.kids().flat_map(|l| self.names(l))),
            Rule::p_schedule => {
                let sp = span(&x);
                if let Some(first) = &f.schedule {
                    return self.repeated_filter("于 每月", sp, Some(first.span));
                }
                let mut ordinals = Vec::new();
                let mut weekday = None;
                for y in x.kids() {
                    match y.as_rule() {
                        Rule::nth_day => {
                            // A misspelt numeral reads as 0, which the
                            // compiler rejects as no week of a month.
                            if let Some(n) = first_inner(&y) {
                                let spelling = n.as_str().to_string();
                                ordinals.push(Numeral {
                                    value: parse_numeral(&spelling).unwrap_or(0),
                                    spelling,
                                    span: span(&n),
                                });
                            }
                        }
                        Rule::weekday => {
                            weekday = Some(Spanned {
                                node: y.as_str().to_string(),
                                span: span(&y),
                            })
                        }
                        _ => {}
                    }
                }
                if let Some(weekday) = weekday {
                    f.schedule = Some(Schedule {
                        ordinals,
                        weekday,
                        span: sp,
                    });
                }
            }
            Rule::p_kinds => f.kinds.extend(x.kids().flat_map(|l| self.names(l))),
            _ => {}
        }
    }

    /// 县长离县期间: who and which absence (a second one is an error).
    fn away_filter(&self, x: P<'_>, f: &mut Filters) {
        if let Some((who, word)) = &f.away {
            let first = Span::new(who.span.start, word.span.end);
            return self.repeated_filter("期间", span(&x), Some(first));
        }
        let mut it = x.kids();
        if let (Some(n), Some(a)) = (it.next(), it.next()) {
            let who = self.name(n);
            f.away = self.away(a).map(|w| (who, w));
        }
    }

    /// The tail `后 <within> <response>` of 在 <trigger> 后 ….
    fn response(&mut self, trigger: EventPattern, tail: P<'_>) -> Option<RuleBody> {
        let mut it = tail.kids();
        let within = it.next().map(|x| match x.as_rule() {
            Rule::promptly => None,
            // 当日: a deadline of 0 days, spelled as written.
            Rule::same_day => Some(Duration {
                amount: Numeral {
                    value: 0,
                    spelling: x.as_str().to_string(),
                    span: span(&x),
                },
                unit: TimeUnit::Day,
                written: Spelling::default(),
                span: span(&x),
            }),
            _ => Some(self.duration(x)),
        });
        let response = it.next().map(|x| self.event_pattern(x));
        match (within, response) {
            (Some(within), Some(response)) => Some(RuleBody::Response {
                trigger,
                within,
                response,
                either_side: false,
            }),
            _ => None,
        }
    }

    /// The tail `前 [lookback] [lead] <precedent>` of 在 <trigger> 前 ….
    fn precedence(&mut self, trigger: EventPattern, tail: P<'_>) -> Option<RuleBody> {
        let mut lead = Lead::None;
        let mut lookback = None;
        let mut precedent = None;
        for x in tail.kids() {
            match x.as_rule() {
                Rule::event_pattern => precedent = Some(self.event_pattern(x)),
                Rule::lookback => {
                    lookback = first_inner(&x).map(|d| self.duration(d));
                }
                Rule::lead => {
                    let lsp = span(&x);
                    lead = match first_inner(&x) {
                        Some(d) => Lead::AtLeast(self.duration(d)),
                        None => Lead::Beforehand(lsp),
                    }
                }
                _ => {}
            }
        }
        precedent.map(|precedent| RuleBody::Precedence {
            trigger,
            lookback,
            lead,
            precedent,
        })
    }

    /// The tail `每月 至少 2 次 [按 人员]` of a 频次 rule on `pattern`.
    fn frequency(&mut self, pattern: EventPattern, tail: P<'_>) -> Option<RuleBody> {
        let mut period = None;
        let mut count = None;
        let mut group = None;
        for x in tail.kids() {
            match x.as_rule() {
                Rule::period => period = Some(self.period(x)),
                Rule::count_range => count = Some(self.count_range(x)),
                Rule::group_by => {
                    let gsp = span(&x);
                    let g = self.keyword(
                        words::find_last(words::GROUPING, x.as_str()),
                        &x,
                        Grouping::Person,
                    );
                    group = Some(Spanned { node: g, span: gsp });
                }
                _ => {}
            }
        }
        let (Some((period, period_word)), Some((count, count_spelling))) = (period, count) else {
            return None;
        };
        Some(RuleBody::Frequency {
            pattern,
            period,
            period_word: Spelling(period_word),
            count,
            count_spelling: Spelling(count_spelling),
            group,
        })
    }

    fn event_pattern(&self, p: P<'_>) -> EventPattern {
        let sp = span(&p);
        let mut pat = EventPattern {
            actor: Vec::new(),
            verbs: Vec::new(),
            filters: Filters::default(),
            words: Vec::new(),
            span: sp,
        };
        for x in p.kids() {
            match x.as_rule() {
                Rule::pattern_actor => {
                    pat.actor.extend(x.kids().filter_map(|a| self.actor(a)));
                }
                Rule::verb_alts => pat.verbs = self.verbs(x),
                Rule::word_head => {
                    for w in x.kids() {
                        match w.as_rule() {
                            Rule::role => pat.actor.push(ActorSpec::Role(self.role(&w))),
                            Rule::word_group => pat.words.push(self.names(w)),
                            _ => self.filter(w, &mut pat.filters),
                        }
                    }
                }
                _ => self.filter(x, &mut pat.filters),
            }
        }
        pat
    }

    fn period(&self, p: P<'_>) -> (Spanned<Period>, PeriodWord) {
        let word = self.keyword(
            words::find_last(words::PERIOD, p.as_str()),
            &p,
            PeriodWord::default(),
        );
        let node = word.period();
        (
            Spanned {
                node,
                span: span(&p),
            },
            word,
        )
    }

    /// A count and how it was written (its word, its numbers' spellings).
    fn count_range(&mut self, p: P<'_>) -> (Spanned<CountRange>, CountSpelling) {
        let sp = span(&p);
        let Some(kind) = first_inner(&p) else {
            let node = CountRange::AtLeast(0);
            return (Spanned { node, span: sp }, CountSpelling::default());
        };
        let which = kind.as_rule();
        let text = kind.as_str();
        let word = match which {
            Rule::count_between => CountWord::Range,
            Rule::count_exact => CountWord::Exact,
            _ => words::COUNT
                .iter()
                .find(|(_, w)| text.starts_with(w))
                .map_or(CountWord::Exact, |(c, _)| *c),
        };
        let range =
            range_word(&kind).map_or(RangeWord::Zhi, |w| self.keyword(w, &kind, RangeWord::Zhi));
        let numerals: Vec<Numeral> = kind
            .kids()
            .filter(|q| q.as_rule() == Rule::number)
            .map(|q| self.numeral(q))
            .collect();
        let nums: Vec<u32> = numerals.iter().map(|n| n.value).collect();
        let spelling = CountSpelling {
            word,
            range,
            numbers: numerals.into_iter().map(|n| n.spelling).collect(),
        };
        let n = |i: usize| nums.get(i).copied().unwrap_or(0);
        let node = match which {
            Rule::count_between => CountRange::Between(n(0), n(1)),
            Rule::count_at_least => CountRange::AtLeast(n(0)),
            Rule::count_at_most => CountRange::AtMost(n(0)),
            Rule::count_more_than => CountRange::MoreThan(n(0)),
            _ => CountRange::Exactly(n(0)),
        };
        (Spanned { node, span: sp }, spelling)
    }

    fn comparison(&self, p: P<'_>) -> (Spanned<Comparison>, ComparisonWord) {
        let word = self.keyword(
            words::find(words::COMPARISON, p.as_str()),
            &p,
            ComparisonWord::default(),
        );
        let node = match word {
            ComparisonWord::ChaoGuo => Comparison::MoreThan,
            ComparisonWord::BuShaoYu | ComparisonWord::DaDao => Comparison::AtLeast,
        };
        let sp = span(&p);
        (Spanned { node, span: sp }, word)
    }

    fn fraction(&mut self, p: P<'_>) -> (Spanned<(u32, u32)>, FractionForm) {
        let sp = span(&p);
        let s = p.as_str();
        let nums: Vec<Numeral> = p
            .kids()
            .filter(|q| q.as_rule() == Rule::number)
            .map(|q| self.numeral(q))
            .collect();
        let (node, form) = match nums.as_slice() {
            // N分之M: denominator first.
            [d, n] if s.contains("分之") => (
                (n.value, d.value),
                FractionForm::FenZhi {
                    denominator: d.spelling.clone(),
                    numerator: n.spelling.clone(),
                },
            ),
            [n, d] => (
                (n.value, d.value),
                FractionForm::Slash {
                    numerator: n.spelling.clone(),
                    denominator: d.spelling.clone(),
                },
            ),
            _ if s == "半数" => ((1, 2), FractionForm::BanShu),
            _ => ((1, 2), FractionForm::YiBan),
        };
        (Spanned { node, span: sp }, form)
    }

    // ───────── scenarios ─────────

    fn scenario(&mut self, p: P<'_>) -> Scenario {
        let sp = span(&p);
        let mut inner = p.kids();
        let name = self.first_name(inner.next(), sp);
        let mut sc = Scenario {
            name,
            basis: Vec::new(),
            cutoff: None,
            window: None,
            people: Vec::new(),
            units: Vec::new(),
            unit_parents: Vec::new(),
            delegations: Vec::new(),
            revocations: Vec::new(),
            events: Vec::new(),
            expectations: Vec::new(),
            statements: Vec::new(),
            span: sp,
        };
        for item in inner {
            let isp = span(&item);
            let what = match item.as_rule() {
                Rule::basis => Some((Stmt::Basis, stmt::BASIS)),
                Rule::cutoff => Some((Stmt::Cutoff, stmt::CUTOFF)),
                Rule::window => Some((Stmt::Window, stmt::WINDOW)),
                Rule::person | Rule::person_change => {
                    Some((Stmt::Person(sc.people.len()), stmt::PERSON))
                }
                Rule::unit_decl => {
                    let first = sc.units.len();
                    let count = self.unit_names(item.clone()).len();
                    Some((Stmt::Units { first, count }, stmt::UNIT))
                }
                Rule::expectation => {
                    Some((Stmt::Expectation(sc.expectations.len()), stmt::EXPECTATION))
                }
                // Statements that open with a date: the date is their keyword.
                Rule::delegation => Some((Stmt::Delegation(sc.delegations.len()), "")),
                Rule::revocation => Some((Stmt::Revocation(sc.revocations.len()), "")),
                Rule::event => Some((Stmt::Event(sc.events.len()), "")),
                _ => None,
            };
            if let Some((what, keyword)) = what {
                let mut st = statement(what, isp, keyword);
                if keyword.is_empty()
                    && let Some(first) = first_inner(&item)
                {
                    st.keyword = span(&first);
                }
                sc.statements.push(st);
            }
            match item.as_rule() {
                Rule::basis => {
                    if !sc.basis.is_empty() {
                        self.once(&mut Some(()), Some(()), stmt::BASIS, isp);
                    }
                    sc.basis = item.kids().map(|n| self.name(n)).collect();
                    for (i, b) in sc.basis.iter().enumerate() {
                        if let Some(first) = sc.basis.iter().take(i).find(|x| x.node == b.node) {
                            self.errors.borrow_mut().push(
                                Diag::error(
                                    code::NAME_DUPLICATE,
                                    b.span,
                                    format!("“{}”在依据中写了两次", b.node),
                                )
                                .label("重复的规则集")
                                .related(first.span, "第一次在这里")
                                .help("每个规则集只写一次"),
                            );
                        }
                    }
                }
                Rule::cutoff => {
                    let v = first_inner(&item).map(|d| self.date(d));
                    self.once(&mut sc.cutoff, v, stmt::CUTOFF, isp);
                }
                Rule::window => {
                    let mut it = item.kids();
                    if let (Some(a), Some(b)) = (it.next(), it.next()) {
                        let v = Some((self.date(a), self.date(b)));
                        self.once(&mut sc.window, v, stmt::WINDOW, isp);
                    }
                }
                Rule::person | Rule::person_change => sc.people.push(self.person(item)),
                Rule::unit_decl => self.unit_decl(item, &mut sc.units, &mut sc.unit_parents),
                Rule::delegation => sc.delegations.push(self.delegation(item)),
                Rule::revocation => {
                    let sp = span(&item);
                    let mut it = item.kids();
                    if let (Some(d), Some(from)) = (it.next(), it.next()) {
                        let date = self.date(d);
                        let from = self.name(from);
                        let to = it.next().map(|n| self.name(n));
                        sc.revocations.push(Revocation {
                            date,
                            from,
                            to,
                            span: sp,
                        });
                    }
                }
                Rule::event => sc.events.push(self.event(item)),
                Rule::expectation => {
                    if let Some(e) = self.expectation(item) {
                        sc.expectations.push(e)
                    }
                }
                _ => {}
            }
        }
        sc
    }

    fn person(&mut self, p: P<'_>) -> PersonDecl {
        let sp = span(&p);
        let mut inner = p.kids().peekable();
        let date = inner
            .next_if(|x| x.as_rule() == Rule::date)
            .map(|x| self.date(x));
        let name = self.first_name(inner.next(), sp);
        // 离任 (silent in the tree, and only after a date): no positions,
        // no areas.
        let positions = inner.next().map(|l| self.names(l)).unwrap_or_default();
        let areas = inner.next().map(|l| self.names(l)).unwrap_or_default();
        PersonDecl {
            date,
            name,
            positions,
            areas,
            span: sp,
        }
    }

    fn delegation(&mut self, p: P<'_>) -> Delegation {
        let sp = span(&p);
        let mut d = Delegation {
            date: None,
            from: Spanned {
                node: String::new(),
                span: sp,
            },
            to: Spanned {
                node: String::new(),
                span: sp,
            },
            actions: Vec::new(),
            kinds: Vec::new(),
            period: None,
            span: sp,
        };
        let mut names = 0;
        for x in p.kids() {
            match x.as_rule() {
                Rule::date => d.date = Some(self.date(x)),
                Rule::name if names == 0 => {
                    d.from = self.name(x);
                    names += 1;
                }
                Rule::name => d.to = self.name(x),
                Rule::scope => {
                    for s in x.kids() {
                        match s.as_rule() {
                            Rule::action_list => d.actions = self.actions(s),
                            Rule::word_actions => d.actions = self.word_actions(s),
                            Rule::p_kinds => {
                                d.kinds = s.kids().flat_map(|l| self.names(l)).collect()
                            }
                            _ => {}
                        }
                    }
                }
                Rule::a_period => d.period = self.period_dates(x),
                _ => {}
            }
        }
        d
    }

    fn period_dates(&mut self, p: P<'_>) -> Option<(Spanned<NaiveDate>, Spanned<NaiveDate>)> {
        let mut it = p.kids();
        let (a, b) = (it.next()?, it.next()?);
        Some((self.date(a), self.date(b)))
    }

    fn event(&mut self, p: P<'_>) -> Event {
        let sp = span(&p);
        let mut e = Event {
            date: Spanned {
                node: NaiveDate::MIN,
                span: sp,
            },
            verb: Spanned {
                node: Verb::Report,
                span: sp,
            },
            words: Vec::new(),
            actor: None,
            targets: Vec::new(),
            kind: None,
            object: None,
            convener: None,
            chair: None,
            present: Vec::new(),
            absent: Vec::new(),
            attendees: Vec::new(),
            place: None,
            decided: Vec::new(),
            basis: None,
            area: None,
            period: None,
            reason: None,
            tags: Vec::new(),
            special: None,
            approved_by: None,
            handler: None,
            due: None,
            leaves_county: false,
            expected_count: None,
            present_count: None,
            written: Spelling(EventSpelling::default()),
            span: sp,
        };
        for x in p.kids() {
            let xsp = span(&x);
            let inner_name = |b: &Self, x: &P<'_>| first_inner(x).map(|n| b.name(n));
            let inner_names =
                |b: &Self, x: &P<'_>| first_inner(x).map(|n| b.names(n)).unwrap_or_default();
            match x.as_rule() {
                Rule::date => e.date = self.date(x),
                Rule::verb => {
                    if let Some(v) = Verb::from_word(x.as_str()) {
                        e.verb = Spanned {
                            node: v,
                            span: span(&x),
                        }
                    }
                }
                Rule::event_actor => e.actor = inner_name(self, &x),
                Rule::event_words => {
                    for w in x.kids() {
                        match w.as_rule() {
                            Rule::word_group => e.words.push(self.names(w)),
                            _ => {
                                e.written.0.target_word =
                                    self.keyword(target_word(&w), &w, TargetWord::Xiang);
                                e.targets.extend(inner_names(self, &w))
                            }
                        }
                    }
                }
                Rule::a_by => {
                    if let Some(n) = inner_name(self, &x) {
                        if let Some(prev) = &e.actor {
                            self.errors.borrow_mut().push(
                                Diag::error(code::SCENARIO_EVENT, n.span, "事件的行为人写了两次")
                                    .label("这里又写了一个行为人")
                                    .related(prev.span, "前面已写明行为人")
                                    .help("一个事件只有一个行为人：保留事件前的名字或“由 …”之一"),
                            );
                        }
                        e.actor = Some(n);
                    }
                }
                Rule::event_target => {
                    e.written.0.target_word = self.keyword(target_word(&x), &x, TargetWord::Xiang);
                    e.targets.extend(inner_names(self, &x))
                }
                Rule::event_kind => e.kind = inner_name(self, &x),
                Rule::event_object => {
                    let v = first_inner(&x).map(|t| self.text(t));
                    self.once(&mut e.object, v, "标题", xsp);
                }
                Rule::a_convener => {
                    let v = inner_name(self, &x);
                    self.once(&mut e.convener, v, "召集", xsp);
                }
                Rule::a_chair => {
                    let v = inner_name(self, &x);
                    self.once(&mut e.chair, v, "主持", xsp);
                }
                Rule::a_present => e.present.extend(inner_names(self, &x)),
                Rule::a_absent => e.absent.extend(inner_names(self, &x)),
                Rule::a_attendees => e.attendees.extend(inner_names(self, &x)),
                Rule::a_place => {
                    if let Some(t) = first_inner(&x) {
                        e.written.0.place = quoting(&t);
                    }
                    let v = first_inner(&x).map(|t| self.text_or_name(t));
                    self.once(&mut e.place, v, "地点", xsp);
                }
                Rule::a_decided => {
                    if let Some(l) = first_inner(&x) {
                        e.decided.extend(l.kids().map(|t| self.text(t)));
                    }
                }
                Rule::a_basis => {
                    let v = first_inner(&x).map(|t| self.text(t));
                    self.once(&mut e.basis, v, "依据", xsp);
                }
                // 领域 A、B: a matter in several areas (a joint document) is
                // held as one name, its parts joined by “、” as written
                // (crate::compile::ir::area_parts reads them back).
                Rule::a_area => {
                    let v = first_inner(&x).map(|l| {
                        let parts = self.names(l);
                        let at = match (parts.first(), parts.last()) {
                            (Some(a), Some(z)) => Span::new(a.span.start, z.span.end),
                            _ => xsp,
                        };
                        Spanned {
                            node: parts
                                .iter()
                                .map(|n| n.node.as_str())
                                .collect::<Vec<_>>()
                                .join(AREA_JOIN),
                            span: at,
                        }
                    });
                    self.once(&mut e.area, v, "领域", xsp);
                }
                Rule::a_period => {
                    e.written.0.period = range_word(&x)
                        .map_or(RangeWord::Zhi, |w| self.keyword(w, &x, RangeWord::Zhi));
                    let v = self.period_dates(x);
                    self.once(&mut e.period, v, "自…至", xsp);
                }
                Rule::a_reason => {
                    let v = first_inner(&x).map(|t| self.text(t));
                    self.once(&mut e.reason, v, "事由", xsp);
                }
                Rule::a_tags => e.tags.extend(inner_names(self, &x)),
                Rule::a_special => {
                    let v = first_inner(&x).map(|t| self.text(t));
                    self.once(&mut e.special, v, "特殊情况", xsp);
                }
                Rule::a_approved => {
                    let v = inner_name(self, &x);
                    self.once(&mut e.approved_by, v, "经…批准", xsp);
                }
                Rule::a_due => {
                    let v = first_inner(&x).map(|d| self.date(d));
                    self.once(&mut e.due, v, "时限", xsp);
                }
                Rule::a_handler => {
                    let v = inner_name(self, &x);
                    self.once(&mut e.handler, v, "承办", xsp);
                }
                Rule::a_leaves_county => {
                    if e.leaves_county {
                        let first = e.written.0.leaves_county.as_ref().map(|w| w.span);
                        self.repeated(x.as_str(), xsp, first, "事件");
                        continue;
                    }
                    e.leaves_county = true;
                    e.written.0.leaves_county = Some(Spanned {
                        node: self.keyword(
                            words::find(words::LEAVE, x.as_str()),
                            &x,
                            LeaveWord::default(),
                        ),
                        span: xsp,
                    });
                }
                Rule::a_expected => {
                    let v = first_inner(&x).map(|n| self.numeral(n));
                    self.once(&mut e.expected_count, v, "应到", xsp);
                }
                Rule::a_present_count => {
                    let v = first_inner(&x).map(|n| self.numeral(n));
                    self.once(&mut e.present_count, v, "实到", xsp);
                }
                _ => {}
            }
        }
        e
    }

    fn expectation(&mut self, p: P<'_>) -> Option<Expectation> {
        let sp = span(&p);
        let mut inner = p.kids();
        let mut x = inner.next()?;
        let mut ruleset = None;
        if x.as_rule() == Rule::expect_basis {
            ruleset = first_inner(&x).map(|t| self.name(t));
            x = inner.next()?;
        }
        let kind = self.expectation_kind(x, sp)?;
        Some(Expectation { ruleset, kind })
    }

    fn expectation_kind(&mut self, x: P<'_>, sp: Span) -> Option<ExpectationKind> {
        match x.as_rule() {
            Rule::expect_ok => Some(ExpectationKind::Complies(sp)),
            _ => {
                let mut verdict = ExpectedVerdict::Violated;
                let mut articles = Vec::new();
                let mut forms = Vec::new();
                for q in x.kids() {
                    match q.as_rule() {
                        Rule::expect_verdict => {
                            verdict = self.keyword(
                                words::find(words::VERDICT, q.as_str()),
                                &q,
                                ExpectedVerdict::Violated,
                            )
                        }
                        Rule::article_ref => {
                            if let Some(n) = q.clone().kids().find(|n| n.as_rule() == Rule::number)
                            {
                                forms.push(if q.as_str().starts_with('第') {
                                    ArticleForm::Di
                                } else {
                                    ArticleForm::Bare
                                });
                                articles.push(self.numeral(n));
                            }
                        }
                        _ => {}
                    }
                }
                Some(ExpectationKind::Set {
                    verdict,
                    articles,
                    forms: Spelling(forms),
                    span: sp,
                })
            }
        }
    }
}

type Rule_ = super::ast::Rule;

/// The range word (至, 到, -, …) between the two values of a pair: the
/// text between its first and second child.
/// None for a pair with one value (a count that is no range).
fn range_word(p: &P<'_>) -> Option<Option<RangeWord>> {
    let mut kids = p.clone().kids();
    let (Some(a), Some(b)) = (kids.next(), kids.next()) else {
        return None;
    };
    let between = text_between(p, a.as_span().end(), b.as_span().start());
    let word = between.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    Some(words::find(words::RANGE, word))
}

/// The keywords a pair holds between `from` and `to` (byte offsets in the
/// file): its text there without the comments in it.
fn text_between(p: &P<'_>, from: usize, to: usize) -> String {
    let base = p.as_span().start();
    let comments: Vec<(usize, usize)> = p
        .clone()
        .into_inner()
        .flatten()
        .filter(|q| q.as_rule() == Rule::comment)
        .map(|q| (q.as_span().start(), q.as_span().end()))
        .collect();
    p.as_str()
        .get(from.saturating_sub(base)..to.saturating_sub(base))
        .unwrap_or("")
        .char_indices()
        .filter(|(i, _)| !comments.iter().any(|&(s, e)| (s..e).contains(&(from + i))))
        .map(|(_, c)| c)
        .collect()
}

/// 向 or 发往 at the start of an `event_target`.
fn target_word(p: &P<'_>) -> Option<TargetWord> {
    words::TARGET
        .iter()
        .find(|(_, w)| p.as_str().starts_with(w))
        .map(|(t, _)| *t)
}

/// The numbers of a date as written (2023-02-30, 2023年2月30日: [2023, 2, 30]).
fn date_digits(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .filter_map(|x| x.parse().ok())
        .collect()
}

/// Why `s` (digits split by anything else: 2023-02-30, 2023年2月30日) is no
/// date: 没有13月, 2023年2月只有28天，没有30日. One wording for scenarios, JSON
/// scenarios and logs.
pub(crate) fn why_not_a_date(s: &str) -> String {
    match date_digits(s).as_slice() {
        [_, m, _] if *m == 0 || *m > 12 => format!("没有{m}月"),
        [y, m, d] => format!("{y}年{m}月只有{}天，没有{d}日", days_in_month(*y, *m)),
        _ => "无法识别的日期".into(),
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    let y = i32::try_from(y).unwrap_or(2000);
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    match (next, NaiveDate::from_ymd_opt(y, m, 1)) {
        (Some(n), Some(f)) => u32::try_from((n - f).num_days()).unwrap_or(31),
        _ => 31,
    }
}
