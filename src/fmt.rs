//! `guize fmt`: canonical formatting of `.guize` files.
//!
//! The file is parsed and printed back from its syntax tree alone, so the
//! layout is canonical: two spaces per block level, one statement per line,
//! single spaces between tokens, lists joined with `、`, dates in ISO form,
//! numbers and synonymous keywords (应当 / 须, 至少 / 不少于, 向 / 发往, …)
//! spelled as written. Statements keep their source order (each block lists
//! its statements in order, with their spans).
//!
//! Comments are in the tree too (text and span) and are placed by span: a
//! comment on its own line goes before the next statement (at its
//! indentation), a comment after code stays at the end of that statement's
//! line, a comment before a `}` stays before it. Blank lines between
//! statements are kept (at most one); top-level items and articles are always
//! separated by one.
//!
//! Every result is checked before it is returned: it must parse to a tree
//! equal to the original's and carry the same comments. A name printed bare
//! that would read differently is caught there, and the file is printed again
//! with every name in 「」; if that fails too the file is reported, never
//! rewritten.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use pest::Parser as _;

use crate::diag::{Diag, Source};
use crate::syntax::ast::{
    self, ActorSpec, Article, ArticleForm, Comment, CountWord, Delegation, DocumentDecl, Duration,
    Event, EventPattern, ExceptionForm, Expectation, ExpectationKind, File, Filters, FractionForm,
    Lead, MeetingDecl, Name, Numeral, PersonDecl, Quoting, RangeWord, Rule, RuleBody, Ruleset,
    Scenario, Span, Spanned, Statement, Stmt, Target, TargetWord,
};
use crate::syntax::words;
use crate::syntax::{GuizeParser, Rule as Pr, parse};

/// Code of the diagnostic given when a file cannot be formatted faithfully
/// (a formatter bug: the file is left as it is).
pub const INTERNAL: &str = "guize::fmt::internal";

/// Widest a meeting or document block may be (in columns, CJK = 2) to stay
/// on one line.
const INLINE_WIDTH: usize = 100;

/// Format one file's text canonically. Errors (a file that does not parse) are the parser's diagnostics.
pub fn format_source(source: &Source) -> Result<String, Vec<Diag>> {
    let file = parse(source)?;
    let mut why = String::new();
    for quote_all in [false, true] {
        let printer = Printer {
            layout: Layout {
                text: &source.text,
                comments: &file.comments.0,
            },
            quote_all,
            bare: RefCell::default(),
        };
        let out = printer.file(&file);
        match verify(source, &file, &out) {
            Ok(()) => return Ok(out),
            Err(w) => why = w,
        }
    }
    Err(vec![
        Diag::error(
            INTERNAL,
            Span::default(),
            format!("无法格式化此文件：{why}"),
        )
        .label("文件未被修改")
        .help("这是格式化工具的缺陷，请报告并附上此文件")
        .in_source(source),
    ])
}

/// The formatted text must mean the same and keep every comment.
fn verify(source: &Source, file: &File, out: &str) -> Result<(), String> {
    let again = Source::new(source.name.to_string(), out.to_string());
    let reparsed = parse(&again).map_err(|d| {
        let first = d.first().map(Diag::one_line).unwrap_or_default();
        format!("结果无法解析（{first}）")
    })?;
    if &reparsed != file {
        return Err("结果的语法树与原文不同".into());
    }
    let mut before: Vec<&str> = file.comments.0.iter().map(|c| c.text.as_str()).collect();
    let mut after: Vec<&str> = reparsed
        .comments
        .0
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    before.sort_unstable();
    after.sort_unstable();
    if before != after {
        return Err("注释有遗漏或重复".into());
    }
    Ok(())
}

// ───────── layout: lines, blank lines and comments by span ─────────

/// The grammar's whitespace.
fn is_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\r' | '\n' | '\u{FEFF}' | '\u{A0}'
    )
}

fn is_one_line_block(c: &Comment) -> bool {
    c.text.starts_with("/*") && !c.text.contains('\n')
}

/// Where lines start and end, and where the tree's comments lie: what fmt
/// needs of the source besides the tree (it never reads the language from
/// the text).
struct Layout<'a> {
    text: &'a str,
    comments: &'a [Comment],
}

impl Layout<'_> {
    fn line_start(&self, pos: usize) -> usize {
        self.text
            .get(..pos)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    }

    /// Where the last character before `pos` that is neither whitespace nor
    /// in a comment starts.
    fn last_code_before(&self, pos: usize) -> Option<usize> {
        let mut i = pos;
        loop {
            let before = self.text.get(..i)?;
            let trimmed = before.trim_end_matches(is_ws).len();
            // The comments are in source order: the one ending here, if any.
            let n = self.comments.partition_point(|c| c.span.end <= trimmed);
            match n.checked_sub(1).and_then(|k| self.comments.get(k)) {
                Some(c) if c.span.end == trimmed && c.span.start < trimmed => i = c.span.start,
                _ => {
                    let last = before.get(..trimmed)?.chars().next_back()?;
                    return Some(trimmed - last.len_utf8());
                }
            }
        }
    }

    /// Does `a..b` hold an empty line?
    fn blank_between(&self, a: usize, b: usize) -> bool {
        let Some(gap) = self.text.get(a..b) else {
            return false;
        };
        let mut seen_newline = false;
        let mut only_ws = false;
        for c in gap.chars() {
            if c == '\n' {
                if seen_newline && only_ws {
                    return true;
                }
                seen_newline = true;
                only_ws = true;
            } else if !is_ws(c) {
                only_ws = false;
            }
        }
        false
    }

    /// Where the closing brace ending a block at `end` starts.
    /// The `{` opening a block whose header ends at `from` (blanks and
    /// comments may lie between): a comment before it goes before the
    /// header, one after it at the end of the header's line.
    fn open_brace(&self, from: usize) -> Option<usize> {
        let mut i = from;
        loop {
            let rest = self.text.get(i..)?;
            let code = rest.trim_start_matches(is_ws);
            i += rest.len() - code.len();
            let k = self.comments.partition_point(|c| c.span.start < i);
            match self.comments.get(k) {
                Some(c) if c.span.start == i && c.span.end > i => i = c.span.end,
                _ => return code.starts_with(['{', '｛']).then_some(i),
            }
        }
    }

    fn close_brace(&self, end: usize) -> usize {
        self.text
            .get(..end)
            .and_then(|t| t.chars().next_back())
            .map_or(end, |c| end - c.len_utf8())
    }
}

// ───────── the layout tree ─────────

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Item,
    Article,
}

/// How a block's items are separated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Ruleset body: a blank line around articles, others as in the source.
    Ruleset,
    /// Article or scenario body: blank lines as in the source.
    Lines,
    /// Meeting or document attributes: one line if short and uncommented.
    Attrs,
    /// A meeting block with rule-like attributes: one per line.
    Rules,
}

/// One printed statement: a line, or a header with a block.
struct Node {
    start: usize,
    end: usize,
    head: String,
    kind: Kind,
    block: Option<Block>,
    leading: Vec<usize>,
    trailing: Vec<usize>,
}

struct Block {
    open: usize,
    close: usize,
    style: Style,
    children: Vec<Node>,
    before_close: Vec<usize>,
    close_trailing: Vec<usize>,
}

impl Node {
    fn has_comments(&self) -> bool {
        !self.leading.is_empty()
            || !self.trailing.is_empty()
            || self.block.as_ref().is_some_and(|b| {
                !b.before_close.is_empty()
                    || !b.close_trailing.is_empty()
                    || b.children.iter().any(Node::has_comments)
            })
    }
}

/// Own-line comment at `c`: before the statement it precedes or lies in,
/// or before the `}` of the block it is in.
fn attach_own(nodes: &mut [Node], c: usize, id: usize) -> bool {
    let Some(node) = nodes.iter_mut().find(|n| n.end > c) else {
        return false;
    };
    if node.start <= c
        && let Some(b) = &mut node.block
        && c > b.open
    {
        if !attach_own(&mut b.children, c, id) {
            b.before_close.push(id);
        }
        return true;
    }
    // Inside a statement written over several lines, after a comment that
    // ends one of its lines: it must print after that one, so it joins the
    // statement's trailing comments (all but the last print before it).
    if node.start < c && !node.trailing.is_empty() {
        node.trailing.push(id);
    } else {
        node.leading.push(id);
    }
    true
}

/// Comment after code at `p` on the same line: at the end of the line that
/// prints that code. Not when the last comment on its own line (ending at
/// `after`) lies after that code (`// a` then `; // b`: the `;` is not
/// printed, so `// b` would come before `// a`); then it is placed as a
/// comment on its own line too.
fn attach_trailing(nodes: &mut [Node], p: usize, id: usize, after: usize) -> bool {
    let Some(node) = nodes.iter_mut().rev().find(|n| n.start <= p) else {
        return false;
    };
    let code_end = match &mut node.block {
        Some(b) if p >= b.close => {
            if b.close < after {
                return false;
            }
            b.close_trailing.push(id);
            return true;
        }
        Some(b) if p > b.open && b.children.iter().any(|n| n.start <= p) => {
            return attach_trailing(&mut b.children, p, id, after);
        }
        Some(b) => b.open,
        None => node.end,
    };
    if code_end < after {
        return false;
    }
    node.trailing.push(id);
    true
}

/// One printed line: code (with its indentation) and its trailing comments.
struct OutLine {
    code: String,
    comment: String,
}

impl OutLine {
    fn blank() -> OutLine {
        OutLine {
            code: String::new(),
            comment: String::new(),
        }
    }

    fn indent(&self) -> usize {
        self.code.len() - self.code.trim_start_matches(' ').len()
    }

    /// A one-line trailing comment, which may be aligned with its
    /// neighbours'.
    fn alignable(&self) -> bool {
        !self.comment.is_empty() && !self.comment.contains('\n')
    }
}

/// Join the lines; trailing comments of consecutive lines at the same
/// indentation line up one space after the widest code.
fn join_lines(lines: Vec<OutLine>) -> String {
    let mut out = String::new();
    let mut i = 0;
    while let Some(first) = lines.get(i) {
        let mut j = i + 1;
        if first.alignable() {
            while lines
                .get(j)
                .is_some_and(|l| l.alignable() && l.indent() == first.indent())
            {
                j += 1;
            }
        }
        let run = lines.get(i..j).unwrap_or(&[]);
        let width = run
            .iter()
            .map(|l| display_width(&l.code))
            .max()
            .unwrap_or(0);
        for l in run {
            out.push_str(&l.code);
            if !l.comment.is_empty() {
                let pad = if l.alignable() {
                    width - display_width(&l.code) + 1
                } else {
                    1
                };
                out.push_str(&" ".repeat(pad));
                out.push_str(&l.comment);
            }
            out.push('\n');
        }
        i = j;
    }
    out
}

fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

// ───────── printing ─────────

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum NameCtx {
    Plain,
    /// 人员 X 任 …: the name also ends before 任.
    Person,
    /// 除 X 外: the name also ends before that 外.
    Exception,
    /// 制定 X, last on its line: the next ruleset statement never starts
    /// with what makes 前, 后, 自, 至, 到 or 每 a separator (a date, a number,
    /// a verb, 年 …), so a name may end with one.
    EnactedBy,
}

struct Printer<'a> {
    layout: Layout<'a>,
    /// Write every name in 「」 (the fallback when bare names misread).
    quote_all: bool,
    bare: RefCell<HashMap<(String, NameCtx), bool>>,
}

impl Printer<'_> {
    fn file(&self, file: &File) -> String {
        let mut nodes: Vec<Node> = file
            .rulesets
            .iter()
            .map(|r| self.ruleset(r))
            .chain(file.scenarios.iter().map(|s| self.scenario(s)))
            .collect();
        nodes.sort_by_key(|n| n.start);
        let mut end_of_file = Vec::new();
        let mut after = 0;
        for (id, c) in self.layout.comments.iter().enumerate() {
            let line = self.layout.line_start(c.span.start);
            let placed = match self.layout.last_code_before(c.span.start) {
                Some(p) if p >= line => attach_trailing(&mut nodes, p, id, after),
                _ => false,
            };
            if !placed {
                after = c.span.end;
            }
            if !placed && !attach_own(&mut nodes, c.span.start, id) {
                end_of_file.push(id);
            }
        }
        let mut out = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            if i > 0 {
                out.push(OutLine::blank());
            }
            self.render(&mut out, n, 0);
        }
        if let Some(&first) = end_of_file.first() {
            if let Some(last) = nodes.last()
                && self
                    .layout
                    .blank_between(self.last_pos(last), self.comment(first).span.start)
            {
                out.push(OutLine::blank());
            }
            self.comment_lines(&mut out, &end_of_file, 0, true);
        }
        join_lines(out)
    }

    fn comment(&self, id: usize) -> &Comment {
        // ids come from enumerating `comments`, so this always finds one.
        static NONE: Comment = Comment {
            text: String::new(),
            span: Span { start: 0, end: 0 },
        };
        self.layout.comments.get(id).unwrap_or(&NONE)
    }

    /// Where a node's printed material ends in the source (code or comment).
    fn last_pos(&self, n: &Node) -> usize {
        let mut last = n.end;
        let mut ids: Vec<usize> = n.trailing.clone();
        if let Some(b) = &n.block {
            ids.extend(&b.close_trailing);
        }
        for id in ids {
            last = last.max(self.comment(id).span.end);
        }
        last
    }

    fn first_pos(&self, n: &Node) -> usize {
        n.leading
            .first()
            .map_or(n.start, |&id| self.comment(id).span.start.min(n.start))
    }

    fn comment_lines(
        &self,
        out: &mut Vec<OutLine>,
        ids: &[usize],
        depth: usize,
        keep_blanks: bool,
    ) {
        let mut prev: Option<usize> = None;
        for &id in ids {
            let c = self.comment(id);
            if keep_blanks
                && let Some(p) = prev
                && self.layout.blank_between(p, c.span.start)
            {
                out.push(OutLine::blank());
            }
            out.push(OutLine {
                code: format!("{}{}", "  ".repeat(depth), c.text),
                comment: String::new(),
            });
            prev = Some(c.span.end);
        }
    }

    /// Split a line's trailing comments: those that can stay at its end (the
    /// last, and one-line `/* */` before it) and those printed before it.
    fn split_trailing(&self, ids: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let mut keep = ids.len();
        while keep > 0 {
            let Some(&id) = ids.get(keep - 1) else { break };
            if keep < ids.len() && !is_one_line_block(self.comment(id)) {
                break;
            }
            keep -= 1;
        }
        let (moved, kept) = ids.split_at(keep.min(ids.len()));
        (moved.to_vec(), kept.to_vec())
    }

    fn line(&self, out: &mut Vec<OutLine>, depth: usize, text: &str, trailing: &[usize]) {
        let comments: Vec<&str> = trailing
            .iter()
            .map(|&id| self.comment(id).text.as_str())
            .collect();
        out.push(OutLine {
            code: format!("{}{text}", "  ".repeat(depth)),
            comment: comments.join(" "),
        });
    }

    fn render(&self, out: &mut Vec<OutLine>, n: &Node, depth: usize) {
        self.comment_lines(out, &n.leading, depth, true);
        if let Some(&last) = n.leading.last()
            && self
                .layout
                .blank_between(self.comment(last).span.end, n.start)
        {
            out.push(OutLine::blank());
        }
        let Some(b) = &n.block else {
            let (moved, kept) = self.split_trailing(&n.trailing);
            self.comment_lines(out, &moved, depth, false);
            self.line(out, depth, &n.head, &kept);
            return;
        };
        if b.children.is_empty() && b.before_close.is_empty() {
            let mut all = n.trailing.clone();
            all.extend(&b.close_trailing);
            let (moved, kept) = self.split_trailing(&all);
            self.comment_lines(out, &moved, depth, false);
            let text = if matches!(b.style, Style::Attrs | Style::Rules) {
                n.head.clone()
            } else {
                format!("{} {{}}", n.head)
            };
            self.line(out, depth, &text, &kept);
            return;
        }
        // Facts may share a line; a rule-like attribute only when alone.
        let may_inline = match b.style {
            Style::Attrs => true,
            Style::Rules => b.children.len() == 1,
            _ => false,
        };
        if may_inline
            && n.trailing.is_empty()
            && b.before_close.is_empty()
            && !b.children.iter().any(Node::has_comments)
        {
            let parts: Vec<&str> = b.children.iter().map(|c| c.head.as_str()).collect();
            let text = format!("{} {{ {} }}", n.head, parts.join(" "));
            if depth * 2 + display_width(&text) <= INLINE_WIDTH {
                let (moved, kept) = self.split_trailing(&b.close_trailing);
                self.comment_lines(out, &moved, depth, false);
                self.line(out, depth, &text, &kept);
                return;
            }
        }
        let (moved, kept) = self.split_trailing(&n.trailing);
        self.comment_lines(out, &moved, depth, false);
        self.line(out, depth, &format!("{} {{", n.head), &kept);
        let mut prev: Option<&Node> = None;
        for c in &b.children {
            if let Some(p) = prev {
                let blank = match b.style {
                    Style::Attrs | Style::Rules => false,
                    Style::Ruleset if p.kind == Kind::Article || c.kind == Kind::Article => true,
                    _ => self
                        .layout
                        .blank_between(self.last_pos(p), self.first_pos(c)),
                };
                if blank {
                    out.push(OutLine::blank());
                }
            }
            self.render(out, c, depth + 1);
            prev = Some(c);
        }
        let (moved, kept) = self.split_trailing(&b.close_trailing);
        if let (Some(p), Some(&first)) = (prev, b.before_close.first())
            && !matches!(b.style, Style::Attrs | Style::Rules)
            && self
                .layout
                .blank_between(self.last_pos(p), self.comment(first).span.start)
        {
            out.push(OutLine::blank());
        }
        self.comment_lines(out, &b.before_close, depth + 1, true);
        self.comment_lines(out, &moved, depth + 1, false);
        self.line(out, depth, "}", &kept);
    }

    // ───────── nodes ─────────

    fn leaf(&self, span: Span, head: String) -> Node {
        Node {
            start: span.start,
            end: span.end,
            head,
            kind: Kind::Item,
            block: None,
            leading: Vec::new(),
            trailing: Vec::new(),
        }
    }

    /// A statement with a `{ … }` block after its header (which ends at
    /// `header_end`); a meeting or document written without one prints as
    /// its header alone, as an empty block would.
    fn braced(
        &self,
        span: Span,
        header_end: usize,
        head: String,
        children: Vec<Node>,
        style: Style,
    ) -> Node {
        let mut node = self.leaf(span, head);
        node.block = Some(Block {
            open: self.layout.open_brace(header_end).unwrap_or(header_end),
            close: self.layout.close_brace(span.end).max(header_end),
            style,
            children,
            before_close: Vec::new(),
            close_trailing: Vec::new(),
        });
        node
    }

    fn ruleset(&self, rs: &Ruleset) -> Node {
        let kids = rs
            .statements
            .iter()
            .filter_map(|st| self.ruleset_statement(rs, st))
            .collect();
        let head = format!("规则集 {}", self.title(&rs.name.node));
        self.braced(rs.span, rs.name.span.end, head, kids, Style::Ruleset)
    }

    fn ruleset_statement(&self, rs: &Ruleset, st: &Statement) -> Option<Node> {
        let span = st.span;
        let line = match st.what {
            Stmt::EnactedBy => {
                let e = rs.enacted_by.as_ref()?;
                format!(
                    "制定 {}",
                    self.text_or_name(e, rs.enacted_by_quoting.0, NameCtx::EnactedBy)
                )
            }
            Stmt::Effective => format!("施行 {}", date(rs.effective.as_ref()?)),
            Stmt::Repealed => format!("废止 {}", date(rs.repealed.as_ref()?)),
            Stmt::Calendar => {
                let names: Vec<String> = rs.calendars.iter().map(|n| self.name(n)).collect();
                let mut line = format!("日历 {}", names.join("+"));
                if !rs.calendar_files.is_empty() {
                    let files: Vec<String> = rs
                        .calendar_files
                        .iter()
                        .map(|f| self.quoted(&f.node, false))
                        .collect();
                    line = format!("{line} 补充 {}", files.join("、"));
                }
                line
            }
            Stmt::Position(i) => {
                let p = rs.positions.get(i)?;
                let mut head = format!("职务 {}", self.names(&p.names));
                if !p.parents.is_empty() {
                    head = format!("{head} 属于 {}", self.names(&p.parents));
                }
                head
            }
            Stmt::Units { first, count } => {
                self.units_line(rs.units.get(first..first + count)?, &rs.unit_parents)
            }
            Stmt::VerbDecls { first, count } => {
                format!(
                    "行为 {}",
                    self.names(rs.verb_decls.get(first..first + count)?)
                )
            }
            Stmt::SameAct(i) => {
                let s = rs.same_acts.get(i)?;
                let verbs: Vec<&str> = s.verbs.iter().map(|v| v.node.word()).collect();
                let word = if s.distinct { "区分" } else { "视同" };
                let mut line = format!("{word} {}", verbs.join("、"));
                if !s.kinds.is_empty() {
                    line = format!("{line} {}", self.names(&s.kinds));
                }
                line
            }
            Stmt::AreaLeaders { first, count } => format!(
                "分管领导 {}",
                self.names(rs.area_leaders.get(first..first + count)?)
            ),
            Stmt::ActTags { first, count } => format!(
                "不沿用 情形 {}",
                self.names(rs.act_tags.get(first..first + count)?)
            ),
            Stmt::Meeting(i) => return Some(self.meeting(rs.meetings.get(i)?)),
            Stmt::Document(i) => return Some(self.document(rs.documents.get(i)?)),
            Stmt::Article(i) => return Some(self.article(rs.articles.get(i)?)),
            _ => return None,
        };
        Some(self.leaf(span, line))
    }

    /// `单位 A、B [属于 C]`: the classes were recorded for each unit of the
    /// statement; the last one's are the statement's.
    fn units_line(&self, units: &[Name], parents: &[(Name, Vec<Name>)]) -> String {
        let classes = units
            .last()
            .and_then(|last| {
                parents
                    .iter()
                    .find(|(u, _)| u.span.start == last.span.start && u.node == last.node)
            })
            .map(|(_, ps)| ps.as_slice())
            .unwrap_or_default();
        let mut text = format!("单位 {}", self.names(units));
        if !classes.is_empty() {
            text = format!("{text} 属于 {}", self.names(classes));
        }
        text
    }

    fn meeting(&self, m: &MeetingDecl) -> Node {
        let mut head = format!("会议 {}", self.name(&m.name));
        if let Some(p) = &m.parent {
            head = format!("{head} 属于 {}", self.name(p));
        }
        let header_end = m.parent.as_ref().map_or(m.name.span.end, |p| p.span.end);
        let kids = m
            .statements
            .iter()
            .filter_map(|st| {
                let line = match st.what {
                    Stmt::Title => format!("名称 {}", self.quoted(&m.title.as_ref()?.node, false)),
                    Stmt::Members { first, count } => {
                        format!("组成 {}", self.names(m.members.get(first..first + count)?))
                    }
                    Stmt::Attendees { first, count } => {
                        format!(
                            "列席 {}",
                            self.names(m.attendees.get(first..first + count)?)
                        )
                    }
                    Stmt::MeetingRule(i) => self.meeting_attr(m.rules.get(i)?),
                    _ => return None,
                };
                Some(self.leaf(st.span, line))
            })
            .collect();
        // Rule-like attributes are rules: one per line.
        let style = if m.rules.is_empty() {
            Style::Attrs
        } else {
            Style::Rules
        };
        self.braced(m.span, header_end, head, kids, style)
    }

    /// A meeting block's rule-like attribute, in its attribute form.
    fn meeting_attr(&self, r: &Rule) -> String {
        let def = r
            .defeasible
            .as_ref()
            .map(|d| format!("{} ", d.node))
            .unwrap_or_default();
        match &r.body {
            RuleBody::Authority {
                actors, actions, ..
            } => {
                let keyword = match actions.first().map(|a| a.node) {
                    Some(ast::Action::Convene) => "召集",
                    Some(ast::Action::Chair) => "主持",
                    _ => "纪要签发",
                };
                format!("{keyword} {def}{}", self.actors(actors))
            }
            RuleBody::Frequency {
                period_word,
                count_spelling,
                ..
            } => {
                format!(
                    "频次 {def}每{} {} 次",
                    words::word_of(words::PERIOD, period_word.0),
                    count(&count_spelling.0)
                )
            }
            RuleBody::Quorum {
                comparison_word,
                fraction_form,
                ..
            } => format!(
                "出席人数 {} {}",
                words::word_of(words::COMPARISON, comparison_word.0),
                fraction(&fraction_form.0)
            ),
            _ => self.rule(r),
        }
    }

    fn document(&self, d: &DocumentDecl) -> Node {
        let mut head = format!("公文 {}", self.name(&d.name));
        if let Some(p) = &d.parent {
            head = format!("{head} 属于 {}", self.name(p));
        }
        let header_end = d.parent.as_ref().map_or(d.name.span.end, |p| p.span.end);
        let kids = d
            .statements
            .iter()
            .filter_map(|st| {
                let line = match st.what {
                    Stmt::Issuer => format!("名义 {}", self.name(d.issuer.as_ref()?)),
                    Stmt::Direction => format!(
                        "行文方向 {}",
                        words::word_of(words::DIRECTION, d.direction?)
                    ),
                    Stmt::Flag(i) => d.flags.get(i)?.node.clone(),
                    _ => return None,
                };
                Some(self.leaf(st.span, line))
            })
            .collect();
        self.braced(d.span, header_end, head, kids, Style::Attrs)
    }

    fn article(&self, a: &Article) -> Node {
        let kids = a
            .statements
            .iter()
            .filter_map(|st| match st.what {
                Stmt::Quote(i) => {
                    let q = a.quotes.get(i)?;
                    Some(self.leaf(st.span, format!("原文 {}", self.quoted(&q.node, true))))
                }
                Stmt::Rule(i) => Some(self.leaf(st.span, self.rule(a.rules.get(i)?))),
                Stmt::Meeting(i) => Some(self.meeting(a.meetings.get(i)?)),
                _ => None,
            })
            .collect();
        // The header ends with the number, or with the 条 after it.
        let header_end = match a.form.0 {
            ArticleForm::Di => a.number.span.end + '条'.len_utf8(),
            ArticleForm::Bare => a.number.span.end,
        };
        let mut node = self.braced(a.span, header_end, a.heading.clone(), kids, Style::Lines);
        node.kind = Kind::Article;
        node
    }

    fn scenario(&self, sc: &Scenario) -> Node {
        let kids = sc
            .statements
            .iter()
            .filter_map(|st| self.scenario_statement(sc, st))
            .collect();
        let head = format!("情景 {}", self.title(&sc.name.node));
        self.braced(sc.span, sc.name.span.end, head, kids, Style::Lines)
    }

    fn scenario_statement(&self, sc: &Scenario, st: &Statement) -> Option<Node> {
        let line = match st.what {
            Stmt::Basis => {
                let titles: Vec<String> = sc.basis.iter().map(|t| self.title(&t.node)).collect();
                format!("依据 {}", titles.join("、"))
            }
            Stmt::Cutoff => format!("截至 {}", date(sc.cutoff.as_ref()?)),
            Stmt::Window => {
                let (a, b) = sc.window.as_ref()?;
                format!("期间 {} 至 {}", date(a), date(b))
            }
            Stmt::Person(i) => self.person(sc.people.get(i)?),
            Stmt::Units { first, count } => {
                self.units_line(sc.units.get(first..first + count)?, &sc.unit_parents)
            }
            Stmt::Delegation(i) => self.delegation(sc.delegations.get(i)?),
            Stmt::Revocation(i) => {
                let r = sc.revocations.get(i)?;
                let to =
                    r.to.as_ref()
                        .map_or_else(String::new, |n| format!(" {}", self.name(n)));
                format!("{} {} 收回 委托{to}", date(&r.date), self.name(&r.from))
            }
            Stmt::Event(i) => self.event(sc.events.get(i)?),
            Stmt::Expectation(i) => self.expectation(sc.expectations.get(i)?),
            _ => return None,
        };
        Some(self.leaf(st.span, line))
    }

    // ───────── rules ─────────

    fn rule(&self, r: &Rule) -> String {
        let mut parts = Vec::new();
        // 原则上 / 一般 before or after 除 … 外, as written.
        let late = match (&r.defeasible, r.exceptions.first()) {
            (Some(d), Some(x)) => d.span.start > x.span.start,
            _ => false,
        };
        if let Some(d) = &r.defeasible
            && !late
        {
            parts.push(d.node.clone());
        }
        // Names inside 除 … 外, where a bare name also ends before 外.
        let excepted = |ns: &[Name]| {
            ns.iter()
                .map(|n| self.name_in(&n.node, NameCtx::Exception))
                .collect::<Vec<_>>()
                .join("、")
        };
        if !r.exceptions.is_empty() {
            let tag = match r.exception_form.0 {
                ExceptionForm::QingXing => "情形 ",
                ExceptionForm::Bare => "",
            };
            parts.push(format!("除 {tag}{} 外", excepted(&r.exceptions)));
        }
        if !r.exempt_to.is_empty() {
            parts.push(format!("除 向 {} 外", excepted(&r.exempt_to)));
        }
        if !r.approvers.is_empty() {
            parts.push(format!("除 经 {} 批准 外", self.actors(&r.approvers)));
        }
        if r.own_deadline.is_some() {
            parts.push("除 另有时限 外".to_string());
        }
        if r.special_only.is_some() {
            parts.push("除 特殊情况 外".to_string());
        }
        if let Some(d) = &r.defeasible
            && late
        {
            parts.push(d.node.clone());
        }
        parts.push(words::word_of(words::MODALITY, r.modality_word.0).to_string());
        parts.push(self.body(&r.body, r.span));
        parts.join(" ")
    }

    /// A rule's body; `region` is the rule's span.
    fn body(&self, body: &RuleBody, region: Span) -> String {
        match body {
            RuleBody::Response {
                trigger,
                response,
                either_side: true,
                ..
            } => format!(
                "在 {} 前后 {}",
                self.pattern(trigger),
                self.pattern(response)
            ),
            RuleBody::Response {
                trigger,
                within,
                response,
                either_side: false,
            } => format!(
                "在 {} 后 {} {}",
                self.pattern(trigger),
                within.as_ref().map_or_else(|| "及时".to_string(), duration),
                self.pattern(response)
            ),
            RuleBody::Precedence {
                trigger,
                lookback,
                lead,
                precedent,
            } => {
                let lookback = lookback
                    .as_ref()
                    .map_or_else(String::new, |d| format!("{} ", duration(d)));
                let lead = match lead {
                    Lead::None => String::new(),
                    Lead::Beforehand(_) => "事先 ".into(),
                    Lead::AtLeast(d) => format!("提前 {} ", duration(d)),
                };
                format!(
                    "在 {} 前 {lookback}{lead}{}",
                    self.pattern(trigger),
                    self.pattern(precedent)
                )
            }
            RuleBody::Authority {
                actors,
                actions,
                filters,
            } => {
                let mut parts = vec!["由".to_string(), self.actors(actors)];
                let words: Vec<&str> = actions.iter().map(|a| a.node.word()).collect();
                parts.push(words.join("、"));
                parts.extend(self.filters(filters, true, region));
                parts.join(" ")
            }
            RuleBody::Frequency {
                pattern,
                period_word,
                count_spelling,
                group,
                ..
            } => {
                let mut s = format!(
                    "{} 每{} {} 次",
                    self.pattern(pattern),
                    words::word_of(words::PERIOD, period_word.0),
                    count(&count_spelling.0)
                );
                if let Some(g) = group {
                    s.push_str(&format!(" 按 {}", g.node.word()));
                }
                s
            }
            RuleBody::Quorum {
                meetings,
                comparison_word,
                fraction_form,
                ..
            } => format!(
                "召开 {} 出席 {} {}",
                self.names(meetings),
                words::word_of(words::COMPARISON, comparison_word.0),
                fraction(&fraction_form.0)
            ),
            RuleBody::Prohibition { pattern } => self.pattern(pattern),
        }
    }

    /// `[actor] [向 targets] verb[、verb] [filters]`
    fn pattern(&self, p: &EventPattern) -> String {
        if !p.words.is_empty() {
            return self.word_pattern(p);
        }
        let mut parts = Vec::new();
        if !p.actor.is_empty() {
            let actors: Vec<String> = p.actor.iter().map(|a| self.actor(a)).collect();
            parts.push(actors.join("、"));
        }
        // 向 X before or after the verb, as written.
        let target_at = p.filters.targets.first().map(target_start);
        let pre = match (target_at, p.verbs.first()) {
            (Some(t), Some(v)) => t < v.span.start,
            _ => true,
        };
        if pre && !p.filters.targets.is_empty() {
            parts.push(format!("向 {}", self.targets_of(&p.filters)));
        }
        let verbs: Vec<&str> = p.verbs.iter().map(|v| v.node.word()).collect();
        parts.push(verbs.join("、"));
        parts.extend(self.filters(&p.filters, !pre, p.span));
        parts.join(" ")
    }

    /// A pattern written with a declared verb: roles, word groups and
    /// targets in the order written, then the filters.
    fn word_pattern(&self, p: &EventPattern) -> String {
        let mut parts: Vec<(usize, String)> = Vec::new();
        for a in &p.actor {
            if let ActorSpec::Role(r) = a {
                parts.push((r.span.start, role(r.node).to_string()));
            }
        }
        let words_end = p
            .words
            .last()
            .and_then(|g| g.last())
            .map_or(0, |n| n.span.end);
        for g in &p.words {
            if let Some(first) = g.first() {
                parts.push((first.span.start, self.names(g)));
            }
        }
        let head_targets = p
            .filters
            .targets
            .first()
            .is_some_and(|t| target_start(t) < words_end);
        if head_targets && let Some(first) = p.filters.targets.first() {
            parts.push((
                target_start(first),
                format!("向 {}", self.targets_of(&p.filters)),
            ));
        }
        parts.sort_by_key(|(at, _)| *at);
        let mut out: Vec<String> = parts.into_iter().map(|(_, s)| s).collect();
        out.extend(self.filters(&p.filters, !head_targets, p.span));
        out.join(" ")
    }

    /// A pattern's filters, in the order they were written in `region`.
    fn filters(&self, f: &Filters, with_targets: bool, region: Span) -> Vec<String> {
        let mut parts: Vec<(usize, String)> = Vec::new();
        if let Some(at) = f.several_areas {
            parts.push((at.start, "跨领域".into()));
        }
        if let Some(first) = f.kinds.first() {
            parts.push((first.span.start, self.names(&f.kinds)));
        }
        if f.leaves_county {
            let (at, word) = f
                .written
                .0
                .leaves_county
                .as_ref()
                .map_or((region.end, Default::default()), |w| (w.span.start, w.node));
            parts.push((at, words::word_of(words::LEAVE, word).into()));
        }
        if let Some((who, word)) = &f.away {
            parts.push((
                who.span.start,
                format!("{}{}期间", self.name(who), word.node),
            ));
        }
        if let Some(first) = f.tags.first() {
            parts.push((first.span.start, format!("情形 {}", self.names(&f.tags))));
        }
        if let Some(first) = f.basis.first() {
            parts.push((first.span.start, format!("依据 {}", self.names(&f.basis))));
        }
        if f.leader_absent {
            let at = f.written.0.leader_absent.map_or(region.end, |s| s.start);
            parts.push((at, "分管领导缺席".into()));
        }
        if let Some(s) = &f.schedule {
            let days: Vec<String> = s
                .ordinals
                .iter()
                .map(|n| format!("第{}个", n.spelling))
                .collect();
            parts.push((
                s.span.start,
                format!("于 每月{}{}", days.join("和"), s.weekday.node),
            ));
        }
        if let Some(first) = f.present.first() {
            parts.push((first.span.start, format!("出席 {}", self.names(&f.present))));
        }
        if with_targets && let Some(first) = f.targets.first() {
            parts.push((target_start(first), format!("向 {}", self.targets_of(f))));
        }
        if f.decided {
            let (at, word) = f
                .written
                .0
                .decided
                .as_ref()
                .map_or((region.end, Default::default()), |w| (w.span.start, w.node));
            parts.push((
                at,
                format!("决定印发的{}", words::word_of(words::DECIDED, word)),
            ));
        }
        parts.sort_by_key(|(at, _)| *at);
        parts.into_iter().map(|(_, p)| p).collect()
    }

    /// A pattern's targets: 、 when each is owed, 或 when one suffices.
    fn targets_of(&self, f: &Filters) -> String {
        if f.targets_any {
            self.targets(&f.targets).replace('、', " 或 ")
        } else {
            self.targets(&f.targets)
        }
    }

    fn targets(&self, targets: &[Target]) -> String {
        let parts: Vec<String> = targets
            .iter()
            .map(|t| match t {
                Target::Name(n) => self.name(n),
                Target::Role(r) => role(r.node).to_string(),
                Target::Attending(n) => format!("参会的 {}", self.name(n)),
            })
            .collect();
        parts.join("、")
    }

    /// Alternatives (authority, 召集/主持/纪要签发): joined with 或.
    fn actors(&self, actors: &[ActorSpec]) -> String {
        let parts: Vec<String> = actors.iter().map(|a| self.actor(a)).collect();
        parts.join(" 或 ")
    }

    fn actor(&self, a: &ActorSpec) -> String {
        match a {
            ActorSpec::Position(n) => self.name(n),
            ActorSpec::Delegated {
                principal,
                delegate,
                away,
            } => format!(
                "{}{}委托的{}",
                self.name(principal),
                away.as_ref()
                    .map_or_else(String::new, |w| format!("{}期间", w.node)),
                self.name(delegate)
            ),
            ActorSpec::Role(r) => role(r.node).to_string(),
        }
    }

    fn person(&self, p: &PersonDecl) -> String {
        let day = p
            .date
            .as_ref()
            .map_or_else(String::new, |d| format!("{} ", date(d)));
        let name = self.name_in(&p.name.node, NameCtx::Person);
        if p.positions.is_empty() && p.areas.is_empty() {
            return format!("{day}人员 {name} 离任");
        }
        let mut s = format!("{day}人员 {name} 任 {}", self.names(&p.positions));
        if !p.areas.is_empty() {
            s = format!("{s} 分管 {}", self.names(&p.areas));
        }
        s
    }

    fn delegation(&self, d: &Delegation) -> String {
        let mut parts = Vec::new();
        if let Some(dt) = &d.date {
            parts.push(date(dt));
        }
        parts.push(self.name(&d.from));
        parts.push("委托".into());
        parts.push(self.name(&d.to));
        parts.push("代行".into());
        if d.actions.is_empty() {
            parts.push("全面工作".into());
        } else {
            let words: Vec<&str> = d.actions.iter().map(|a| a.node.word()).collect();
            parts.push(words.join("、"));
            if !d.kinds.is_empty() {
                parts.push(self.names(&d.kinds));
            }
        }
        if let Some((a, b)) = &d.period {
            parts.push(format!("自 {} 至 {}", date(a), date(b)));
        }
        parts.join(" ")
    }

    /// `DATE [actor] [向 targets] VERB [kind] ["object"] attributes…`, the
    /// attributes in the order they were written.
    /// An event written with a declared verb: its word groups and targets
    /// in the order written (the grammar reads them as one run).
    fn event_words(&self, e: &Event) -> Vec<String> {
        let mut parts: Vec<(usize, String)> = Vec::new();
        for g in &e.words {
            if let Some(first) = g.first() {
                parts.push((first.span.start, self.names(g)));
            }
        }
        if let Some(first) = e.targets.first()
            && first.span.start < self.words_end(e)
        {
            let keyword = words::word_of(words::TARGET, e.written.0.target_word);
            parts.push((
                first.span.start,
                format!("{keyword} {}", self.names(&e.targets)),
            ));
        }
        parts.sort_by_key(|(at, _)| *at);
        parts.into_iter().map(|(_, s)| s).collect()
    }

    /// Where an event's word run ends (its last word group).
    fn words_end(&self, e: &Event) -> usize {
        e.words
            .last()
            .and_then(|g| g.last())
            .map_or(0, |n| n.span.end)
    }

    fn event(&self, e: &Event) -> String {
        let mut parts = vec![date(&e.date)];
        if !e.words.is_empty() {
            parts.extend(self.event_words(e));
            if let Some(o) = &e.object {
                parts.push(self.quoted(&o.node, false));
            }
            // 向/发往 X written after the word run stays there, keyword and all.
            let late = e
                .targets
                .first()
                .filter(|t| t.span.start >= self.words_end(e));
            let late = late.map(|t| {
                let keyword = words::word_of(words::TARGET, e.written.0.target_word);
                (
                    t.span.start,
                    format!("{keyword} {}", self.names(&e.targets)),
                )
            });
            parts.extend(self.event_attrs(e, late));
            return parts.join(" ");
        }
        if let Some(a) = &e.actor {
            parts.push(self.name(a));
        }
        // Targets keep their keyword (向 / 发往) and place (before or after the
        // verb) where that reads back: 发往 before the verb needs an actor
        // (else it reads as one), after it a kind or object (else it reads
        // as the kind).
        let first_target = e.targets.first().map(|t| t.span.start);
        let sent = first_target.is_some() && e.written.0.target_word == TargetWord::FaWang;
        let before_verb = first_target.is_some_and(|t| t < e.verb.span.start);
        let (keyword, pre) = match (sent, before_verb) {
            (true, true) if e.actor.is_some() => ("发往", true),
            (true, false) if e.kind.is_some() || e.object.is_some() => ("发往", false),
            (true, _) => ("向", true),
            (false, pre) => ("向", pre),
        };
        let targets =
            (!e.targets.is_empty()).then(|| format!("{keyword} {}", self.names(&e.targets)));
        if pre && let Some(t) = &targets {
            parts.push(t.clone());
        }
        parts.push(e.verb.node.word().into());
        if let Some(k) = &e.kind {
            parts.push(self.name(k));
        }
        if let Some(o) = &e.object {
            parts.push(self.quoted(&o.node, false));
        }
        let late_target = match (pre, first_target, &targets) {
            (false, Some(at), Some(t)) => Some((at, t.clone())),
            _ => None,
        };
        parts.extend(self.event_attrs(e, late_target));
        parts.join(" ")
    }

    /// An event's attributes in the order written (`late_target`: 向 X
    /// written after the verb, which reads back only there).
    fn event_attrs(&self, e: &Event, late_target: Option<(usize, String)>) -> Vec<String> {
        let mut attrs: Vec<(usize, String)> = Vec::new();
        let mut attr = |at: usize, keyword: &str, value: String| {
            let text = if value.is_empty() {
                keyword.to_string()
            } else {
                format!("{keyword} {value}")
            };
            attrs.push((at, text));
        };
        if let Some((at, t)) = late_target {
            attr(at, &t, String::new());
        }
        if let Some(x) = &e.convener {
            attr(x.span.start, "召集", self.name(x));
        }
        if let Some(x) = &e.chair {
            attr(x.span.start, "主持", self.name(x));
        }
        for (keyword, list) in [
            ("出席", &e.present),
            ("缺席", &e.absent),
            ("列席", &e.attendees),
        ] {
            if let Some(first) = list.first() {
                attr(first.span.start, keyword, self.names(list));
            }
        }
        if let Some(x) = &e.place {
            attr(
                x.span.start,
                "地点",
                self.text_or_name(x, e.written.0.place, NameCtx::Plain),
            );
        }
        if let Some(first) = e.decided.first() {
            let texts: Vec<String> = e
                .decided
                .iter()
                .map(|t| self.quoted(&t.node, false))
                .collect();
            attr(first.span.start, "决定印发", texts.join("、"));
        }
        if let Some(x) = &e.basis {
            attr(x.span.start, "依据", self.quoted(&x.node, false));
        }
        if let Some(x) = &e.area {
            // 领域 教育、财政: each part as a name of its own.
            let parts: Vec<String> = crate::syntax::ast::area_parts(&x.node)
                .map(|a| self.name_in(a, NameCtx::Plain))
                .collect();
            attr(x.span.start, "领域", parts.join("、"));
        }
        if let Some((a, b)) = &e.period {
            let word = words::word_of(words::RANGE, e.written.0.period);
            attr(
                a.span.start,
                "自",
                format!("{} {word} {}", date(a), date(b)),
            );
        }
        if let Some(x) = &e.reason {
            attr(x.span.start, "事由", self.quoted(&x.node, false));
        }
        if let Some(first) = e.tags.first() {
            attr(first.span.start, "情形", self.names(&e.tags));
        }
        if let Some(x) = &e.special {
            attr(x.span.start, "特殊情况", self.quoted(&x.node, false));
        }
        if let Some(x) = &e.approved_by {
            attr(x.span.start, "经", format!("{} 批准", self.name(x)));
        }
        if let Some(x) = &e.handler {
            attr(x.span.start, "承办", self.name(x));
        }
        if let Some(d) = &e.due {
            attr(d.span.start, "时限", date(d));
        }
        if let Some(n) = &e.expected_count {
            attr(n.span.start, "应到", n.spelling.clone());
        }
        if let Some(n) = &e.present_count {
            attr(n.span.start, "实到", n.spelling.clone());
        }
        if e.leaves_county {
            let (at, word) = e
                .written
                .0
                .leaves_county
                .as_ref()
                .map_or((e.span.end, Default::default()), |w| (w.span.start, w.node));
            attr(at, words::word_of(words::LEAVE, word), String::new());
        }
        attrs.sort_by_key(|(at, _)| *at);
        attrs.into_iter().map(|(_, a)| a).collect()
    }

    fn expectation(&self, x: &Expectation) -> String {
        let mut s = String::from("预期");
        if let Some(r) = &x.ruleset {
            s = format!("{s} 依据 {}", self.title(&r.node));
        }
        match &x.kind {
            ExpectationKind::Complies(_) => format!("{s} 符合"),
            ExpectationKind::Set {
                verdict,
                articles,
                forms,
                ..
            } => {
                let word = words::word_of(words::VERDICT, *verdict);
                if articles.is_empty() {
                    // 预期 例外 无: no article has this verdict.
                    return format!("{s} {word} 无");
                }
                let refs: Vec<String> = articles
                    .iter()
                    .enumerate()
                    .map(|(i, n)| article_ref(n, forms.0.get(i).copied().unwrap_or_default()))
                    .collect();
                format!("{s} {word} {}", refs.join("、"))
            }
        }
    }

    // ───────── names and texts ─────────

    fn names(&self, names: &[Name]) -> String {
        let parts: Vec<String> = names.iter().map(|n| self.name(n)).collect();
        parts.join("、")
    }

    fn name(&self, n: &Name) -> String {
        self.name_in(&n.node, NameCtx::Plain)
    }

    /// A name bare when it reads back as itself, else in 「」.
    fn name_in(&self, n: &str, ctx: NameCtx) -> String {
        if !self.quote_all && self.bare_ok(n, ctx) {
            n.to_string()
        } else if n.is_empty() {
            // 「 」 reads back as the empty name (names are trimmed).
            "「 」".into()
        } else if n.contains('」') || n.contains('\n') {
            n.to_string()
        } else {
            format!("「{n}」")
        }
    }

    /// A value that may be a name or a quoted text (制定, 地点): quoted if
    /// it was written quoted or must be.
    fn text_or_name(&self, n: &Name, written: Quoting, ctx: NameCtx) -> String {
        if written == Quoting::Bare && !self.quote_all && self.bare_ok(&n.node, ctx) {
            n.node.clone()
        } else {
            self.quoted(&n.node, false)
        }
    }

    /// Would `n`, written bare and followed by a space, read back as `n`?
    fn bare_ok(&self, n: &str, ctx: NameCtx) -> bool {
        let key = (n.to_string(), ctx);
        if let Some(&ok) = self.bare.borrow().get(&key) {
            return ok;
        }
        let ok = bare_reads_back(n, ctx);
        self.bare.borrow_mut().insert(key, ok);
        ok
    }

    /// Titles of rulesets and scenarios run to the next space, brace or comma.
    fn title(&self, t: &str) -> String {
        let bare = !t.is_empty()
            && !t.starts_with('「')
            && !t.contains("//")
            && !t.chars().any(|c| is_ws(c) || "{｛、，,；;。".contains(c));
        if bare && !self.quote_all {
            return t.to_string();
        }
        if !t.is_empty() && !t.contains('」') && !t.contains('\n') && t.trim() == t {
            format!("「{t}」")
        } else {
            t.to_string()
        }
    }

    /// Quoted text in a delimiter that reads back as the same text.
    fn quoted(&self, s: &str, prefer_cn: bool) -> String {
        let ascii = !s.contains('"') && !s.contains('\n');
        let cn = balanced_cn_quotes(s);
        if (prefer_cn || !ascii) && cn {
            format!("“{s}”")
        } else if ascii {
            format!("\"{s}\"")
        } else {
            format!("「{s}」")
        }
    }
}

/// “…” may hold nested “…” but no stray “ or ”.
fn balanced_cn_quotes(s: &str) -> bool {
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '“' => depth += 1,
            '”' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// 第五十七条 or 五十七, as written.
fn article_ref(n: &Numeral, form: ArticleForm) -> String {
    match form {
        ArticleForm::Di => format!("第{}条", n.spelling),
        ArticleForm::Bare => n.spelling.clone(),
    }
}

/// A count's words and numbers as written (至少 / 不少于, 二 / 2, …).
fn count(c: &ast::CountSpelling) -> String {
    let number = |i: usize| c.numbers.get(i).map_or("", String::as_str);
    match c.word {
        // 2 至 3, but 1-2 (a sign is written between the numbers).
        CountWord::Range => match c.range {
            RangeWord::Zhi | RangeWord::Dao => format!(
                "{} {} {}",
                number(0),
                words::word_of(words::RANGE, c.range),
                number(1)
            ),
            sign => format!(
                "{}{}{}",
                number(0),
                words::word_of(words::RANGE, sign),
                number(1)
            ),
        },
        CountWord::Exact => number(0).to_string(),
        w => format!("{} {}", words::word_of(words::COUNT, w), number(0)),
    }
}

/// A fraction as written: 一半, 半数, 三分之二, 2/3.
fn fraction(f: &FractionForm) -> String {
    match f {
        FractionForm::YiBan => "一半".into(),
        FractionForm::BanShu => "半数".into(),
        FractionForm::FenZhi {
            denominator,
            numerator,
        } => format!("{denominator}分之{numerator}"),
        FractionForm::Slash {
            numerator,
            denominator,
        } => format!("{numerator}/{denominator}"),
    }
}

fn bare_reads_back(n: &str, ctx: NameCtx) -> bool {
    if n.is_empty() || n.starts_with("个人") {
        // 个人 is a role wherever a name may stand.
        return false;
    }
    // Separator words that depend on what follows: never end a bare name
    // with one.
    if (ctx != NameCtx::EnactedBy
        && ['前', '后', '自', '至', '到', '每']
            .iter()
            .any(|c| n.ends_with(*c)))
        || (ctx == NameCtx::Exception && n.ends_with('外'))
    {
        return false;
    }
    // A kind filter may not start with a duration (三日会 would read as
    // 三日): the grammar's `duration` says whether one starts it.
    if GuizeParser::parse(Pr::duration, n).is_ok() {
        return false;
    }
    // Read it back followed by what follows it in the printed statement.
    let (entry, inner, follow) = match ctx {
        NameCtx::Plain | NameCtx::EnactedBy => (Pr::name, Pr::bare_name, " "),
        NameCtx::Person => (Pr::person_name, Pr::person_bare, " 任"),
        NameCtx::Exception => (Pr::exception_name, Pr::exception_bare, " 外"),
    };
    let input = format!("{n}{follow}");
    let Ok(mut pairs) = GuizeParser::parse(entry, &input) else {
        return false;
    };
    pairs.next().is_some_and(|p| {
        p.as_str() == n && p.into_inner().next().is_some_and(|q| q.as_rule() == inner)
    })
}

fn target_start(t: &Target) -> usize {
    match t {
        Target::Name(n) | Target::Attending(n) => n.span.start,
        Target::Role(r) => r.span.start,
    }
}

fn role(r: ast::Role) -> &'static str {
    r.word()
}

fn date(d: &Spanned<NaiveDate>) -> String {
    let d = d.node;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn duration(d: &Duration) -> String {
    // 当日 / 同日: the builder spells the zero-day deadline with its word.
    if d.amount.value == 0 && words::SAME_DAY.contains(&d.amount.spelling.as_str()) {
        return d.amount.spelling.clone();
    }
    // As written: 个, the unit's word (日 / 天) and 内 each as they were.
    let w = d.written.0;
    format!(
        "{}{}{}{}",
        d.amount.spelling,
        if w.ge { "个" } else { "" },
        words::word_of(words::TIME_UNIT, w.unit),
        if w.nei { "内" } else { "" }
    )
}
