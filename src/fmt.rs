//! `guize fmt`: canonical formatting of `.guize` files.
//!
//! The file is parsed and printed back from its AST, so the layout is
//! canonical: two spaces per block level, one statement per line, single
//! spaces between tokens, lists joined with `、`, dates in ISO form, numbers
//! spelled as written. Items keep their source order (a block's items are
//! sorted by where they start).
//!
//! Comments are not in the AST. They are found in the source text, outside
//! the parser's own quoted texts, names and titles, and re-attached: a
//! comment on its own line goes before the next statement (at its
//! indentation), a comment after code stays at the end of that statement's
//! line, a comment before a `}` stays before it. Blank lines between
//! statements are kept (at most one); top-level items and articles are always
//! separated by one.
//!
//! Every result is checked before it is returned: it must parse to an AST
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
    ActorSpec, Article, Comparison, CountRange, Delegation, Direction, DocumentDecl, Duration,
    Event, EventPattern, Expectation, ExpectationKind, ExpectedVerdict, File, Filters, Lead,
    MeetingDecl, Modality, Name, Numeral, PersonDecl, Role, Rule, RuleBody, Ruleset, Scenario,
    Span, Spanned, Target, TimeUnit,
};
use crate::syntax::{GuizeParser, Rule as Pr, parse, parse_numeral, parse_rule};

/// Code of the diagnostic given when a file cannot be formatted faithfully
/// (a formatter bug: the file is left as it is).
pub const INTERNAL: &str = "guize::fmt::internal";

/// Widest a meeting or document block may be (in columns, CJK = 2) to stay
/// on one line.
const INLINE_WIDTH: usize = 100;

/// Format one file's text canonically. Errors (a file that does not parse) are the parser's diagnostics.
pub fn format_source(source: &Source) -> Result<String, Vec<Diag>> {
    let file = parse(source)?;
    let lex = Lex::new(source)?;
    let mut why = String::new();
    for quote_all in [false, true] {
        let printer = Printer {
            src: &source.text,
            lex: &lex,
            quote_all,
            bare: RefCell::default(),
        };
        let out = printer.file(&file);
        match verify(source, &file, &lex, &out) {
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
fn verify(source: &Source, file: &File, lex: &Lex<'_>, out: &str) -> Result<(), String> {
    let again = Source::new(source.name.to_string(), out.to_string());
    let reparsed = parse(&again).map_err(|d| {
        let first = d.first().map(Diag::one_line).unwrap_or_default();
        format!("结果无法解析（{first}）")
    })?;
    if &reparsed != file {
        return Err("结果的语法树与原文不同".into());
    }
    let lex2 = Lex::new(&again).map_err(|_| String::from("结果无法解析"))?;
    let mut before: Vec<&str> = lex.comments.iter().map(|c| c.text.as_str()).collect();
    let mut after: Vec<&str> = lex2.comments.iter().map(|c| c.text.as_str()).collect();
    before.sort_unstable();
    after.sort_unstable();
    if before != after {
        return Err("注释有遗漏或重复".into());
    }
    Ok(())
}

// ───────── lexical: comments and code positions ─────────

/// The grammar's whitespace.
fn is_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\r' | '\n' | '\u{FEFF}' | '\u{A0}'
    )
}

struct Comment {
    start: usize,
    end: usize,
    /// As written (a line comment without trailing whitespace).
    text: String,
}

impl Comment {
    fn is_one_line_block(&self) -> bool {
        self.text.starts_with("/*") && !self.text.contains('\n')
    }
}

/// Where the comments are, and which bytes are code (not whitespace, not a
/// comment).
struct Lex<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    code: Vec<bool>,
    /// Quoted texts, names and titles as the parser read them: comment
    /// markers inside them are not comments.
    opaque: Vec<(usize, usize)>,
}

impl<'a> Lex<'a> {
    fn new(source: &'a Source) -> Result<Lex<'a>, Vec<Diag>> {
        let text: &str = &source.text;
        let pairs = parse_rule(source, Pr::file)?;
        let mut opaque: Vec<(usize, usize)> = pairs
            .clone()
            .flatten()
            .filter(|p| {
                matches!(
                    p.as_rule(),
                    Pr::text | Pr::title | Pr::name | Pr::person_name
                )
            })
            .map(|p| (p.as_span().start(), p.as_span().end()))
            .collect();
        opaque.sort_unstable();
        // The comments are the grammar's: fmt has no comment reader of its own.
        let comments: Vec<Comment> = pairs
            .flatten()
            .filter(|p| p.as_rule() == Pr::comment)
            .map(|p| {
                let raw = p.as_str();
                let body = if raw.starts_with("/*") {
                    raw
                } else {
                    raw.trim_end_matches(is_ws)
                };
                let start = p.as_span().start();
                Comment {
                    start,
                    end: start + body.len(),
                    text: body.to_string(),
                }
            })
            .collect();
        let mut code: Vec<bool> = text
            .char_indices()
            .flat_map(|(_, c)| std::iter::repeat_n(!is_ws(c), c.len_utf8()))
            .collect();
        for c in &comments {
            for x in code.iter_mut().take(c.end).skip(c.start) {
                *x = false;
            }
        }
        // Spaces inside quoted texts and names are part of them.
        for &(a, b) in &opaque {
            for x in code.iter_mut().take(b).skip(a) {
                *x = true;
            }
        }
        Ok(Lex {
            text,
            comments,
            code,
            opaque,
        })
    }

    fn is_code(&self, i: usize) -> bool {
        self.code.get(i).copied().unwrap_or(false)
    }

    fn in_opaque(&self, i: usize) -> bool {
        let n = self.opaque.partition_point(|&(s, _)| s <= i);
        n.checked_sub(1)
            .and_then(|j| self.opaque.get(j))
            .is_some_and(|&(_, e)| i < e)
    }

    /// End of a token the parser read at `start` (a title's span from the
    /// AST may stop short of it).
    fn token_end(&self, start: usize, end: usize) -> usize {
        let n = self.opaque.partition_point(|&(s, _)| s <= start);
        let whole = n
            .checked_sub(1)
            .and_then(|j| self.opaque.get(j))
            .filter(|&&(_, e)| start < e)
            .map_or(end, |&(_, e)| e);
        whole.max(end)
    }

    /// The last code byte before `pos`.
    fn last_code_before(&self, pos: usize) -> Option<usize> {
        (0..pos.min(self.code.len()))
            .rev()
            .find(|&i| self.is_code(i))
    }

    /// End of the last code character in `start..end` (spans from the parser
    /// may run over whitespace and comments after a statement).
    fn code_end(&self, start: usize, end: usize) -> usize {
        self.last_code_before(end)
            .filter(|&i| i >= start)
            .map_or(end, |i| i + 1)
    }

    /// The first code byte at or after `pos`.
    fn skip_forward(&self, mut pos: usize) -> usize {
        while pos < self.code.len() && !self.is_code(pos) {
            pos += 1;
        }
        pos
    }

    /// Back from `pos` over whitespace and comments.
    fn skip_back(&self, mut pos: usize) -> usize {
        while pos > 0 && !self.is_code(pos - 1) {
            pos -= 1;
        }
        pos
    }

    fn line_start(&self, pos: usize) -> usize {
        self.text
            .get(..pos)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    }

    /// The code characters of a span (no whitespace, no comments).
    fn code_text(&self, span: Span) -> String {
        self.text
            .get(span.start..span.end)
            .unwrap_or("")
            .char_indices()
            .filter(|(i, _)| self.is_code(span.start + i))
            .map(|(_, c)| c)
            .collect()
    }

    /// Does `a..b` hold an empty line (outside any comment)?
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

    /// Is everything of code in `a..b` a list separator?
    fn only_commas(&self, a: usize, b: usize) -> bool {
        self.text.get(a..b).is_some_and(|gap| {
            gap.char_indices()
                .all(|(i, c)| !self.is_code(a + i) || matches!(c, ',' | '，' | '、'))
        })
    }

    /// Where the statement whose first value is at `pos` starts: back over
    /// an optional colon to its keyword.
    fn keyword_start(&self, pos: usize, keywords: &[&str]) -> usize {
        let mut i = self.skip_back(pos);
        let before = |i: usize| self.text.get(..i).unwrap_or("");
        for colon in [":", "："] {
            if before(i).ends_with(colon) {
                i = self.skip_back(i - colon.len());
                break;
            }
        }
        keywords
            .iter()
            .find(|k| before(i).ends_with(*k))
            .map_or(pos, |k| i - k.len())
    }

    /// Position of the `{` after a block's header, if there is one.
    fn open_brace(&self, header_end: usize) -> Option<usize> {
        let i = self.skip_forward(header_end);
        let rest = self.text.get(i..)?;
        (rest.starts_with('{') || rest.starts_with('｛')).then_some(i)
    }

    /// Position of the `}` ending at `end`.
    fn close_brace(&self, end: usize) -> usize {
        let before = self.text.get(..end).unwrap_or("");
        if before.ends_with('}') {
            end - 1
        } else if before.ends_with('｝') {
            end - '｝'.len_utf8()
        } else {
            end
        }
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
    node.leading.push(id);
    true
}

/// Comment after code at `p` on the same line: at the end of the line that
/// prints that code.
fn attach_trailing(nodes: &mut [Node], p: usize, id: usize) -> bool {
    let Some(node) = nodes.iter_mut().rev().find(|n| n.start <= p) else {
        return false;
    };
    if let Some(b) = &mut node.block {
        if p >= b.close {
            b.close_trailing.push(id);
            return true;
        }
        if p > b.open && attach_trailing(&mut b.children, p, id) {
            return true;
        }
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
}

struct Printer<'a> {
    src: &'a str,
    lex: &'a Lex<'a>,
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
        for (id, c) in self.lex.comments.iter().enumerate() {
            let line = self.lex.line_start(c.start);
            let placed = match self.lex.last_code_before(c.start) {
                Some(p) if p >= line => attach_trailing(&mut nodes, p, id),
                _ => false,
            };
            if !placed && !attach_own(&mut nodes, c.start, id) {
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
                    .lex
                    .blank_between(self.last_pos(last), self.comment(first).start)
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
            start: 0,
            end: 0,
            text: String::new(),
        };
        self.lex.comments.get(id).unwrap_or(&NONE)
    }

    /// Where a node's printed material ends in the source (code or comment).
    fn last_pos(&self, n: &Node) -> usize {
        let mut last = n.end;
        let mut ids: Vec<usize> = n.trailing.clone();
        if let Some(b) = &n.block {
            ids.extend(&b.close_trailing);
        }
        for id in ids {
            last = last.max(self.comment(id).end);
        }
        last
    }

    fn first_pos(&self, n: &Node) -> usize {
        n.leading
            .first()
            .map_or(n.start, |&id| self.comment(id).start.min(n.start))
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
                && self.lex.blank_between(p, c.start)
            {
                out.push(OutLine::blank());
            }
            out.push(OutLine {
                code: format!("{}{}", "  ".repeat(depth), c.text),
                comment: String::new(),
            });
            prev = Some(c.end);
        }
    }

    /// Split a line's trailing comments: those that can stay at its end (the
    /// last, and one-line `/* */` before it) and those printed before it.
    fn split_trailing(&self, ids: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let mut keep = ids.len();
        while keep > 0 {
            let Some(&id) = ids.get(keep - 1) else { break };
            if keep < ids.len() && !self.comment(id).is_one_line_block() {
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
            && self.lex.blank_between(self.comment(last).end, n.start)
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
                    _ => self.lex.blank_between(self.last_pos(p), self.first_pos(c)),
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
                .lex
                .blank_between(self.last_pos(p), self.comment(first).start)
        {
            out.push(OutLine::blank());
        }
        self.comment_lines(out, &b.before_close, depth + 1, true);
        self.comment_lines(out, &moved, depth + 1, false);
        self.line(out, depth, "}", &kept);
    }

    // ───────── nodes ─────────

    fn leaf(&self, start: usize, end: usize, head: String) -> Node {
        Node {
            start,
            end: self.lex.code_end(start, end),
            head,
            kind: Kind::Item,
            block: None,
            leading: Vec::new(),
            trailing: Vec::new(),
        }
    }

    /// A statement with an optional `{ … }` block after its header.
    fn braced(
        &self,
        span: Span,
        header_end: usize,
        head: String,
        mut children: Vec<Node>,
        style: Style,
    ) -> Node {
        let mut node = self.leaf(span.start, span.end, head);
        if let Some(open) = self.lex.open_brace(header_end) {
            children.sort_by_key(|n| n.start);
            node.block = Some(Block {
                open,
                close: self.lex.close_brace(node.end),
                style,
                children,
                before_close: Vec::new(),
                close_trailing: Vec::new(),
            });
        }
        node
    }

    fn ruleset(&self, rs: &Ruleset) -> Node {
        let mut kids = Vec::new();
        if let Some(e) = &rs.enacted_by {
            let start = self.lex.keyword_start(e.span.start, &["制定"]);
            kids.push(self.leaf(start, e.span.end, format!("制定 {}", self.text_or_name(e))));
        }
        if let Some(d) = &rs.effective {
            let start = self.lex.keyword_start(d.span.start, &["施行"]);
            kids.push(self.leaf(start, d.span.end, format!("施行 {}", date(d))));
        }
        if let Some(d) = &rs.repealed {
            let start = self.lex.keyword_start(d.span.start, &["废止"]);
            kids.push(self.leaf(start, d.span.end, format!("废止 {}", date(d))));
        }
        if let (Some(first), Some(last)) = (rs.calendars.first(), rs.calendars.last()) {
            let start = self.lex.keyword_start(first.span.start, &["日历"]);
            let names: Vec<String> = rs.calendars.iter().map(|n| self.name(n)).collect();
            let mut line = format!("日历 {}", names.join("+"));
            let mut end = last.span.end;
            if let Some(f) = rs.calendar_files.last() {
                let files: Vec<String> = rs
                    .calendar_files
                    .iter()
                    .map(|f| self.quoted(&f.node, false))
                    .collect();
                line = format!("{line} 补充 {}", files.join("、"));
                end = f.span.end;
            }
            kids.push(self.leaf(start, end, line));
        }
        for p in &rs.positions {
            let mut head = format!("职务 {}", self.names(&p.names));
            if !p.parents.is_empty() {
                head = format!("{head} 属于 {}", self.names(&p.parents));
            }
            kids.push(self.leaf(p.span.start, p.span.end, head));
        }
        kids.extend(self.unit_nodes(&rs.units, &rs.unit_parents));
        if let (Some(first), Some(last)) = (rs.verb_decls.first(), rs.verb_decls.last()) {
            let start = self.lex.keyword_start(first.span.start, &["行为"]);
            kids.push(self.leaf(
                start,
                last.span.end,
                format!("行为 {}", self.names(&rs.verb_decls)),
            ));
        }
        for s in &rs.same_acts {
            let verbs: Vec<&str> = s.verbs.iter().map(|v| v.node.word()).collect();
            let word = if s.distinct { "区分" } else { "视同" };
            let mut line = format!("{word} {}", verbs.join("、"));
            if !s.kinds.is_empty() {
                line = format!("{line} {}", self.names(&s.kinds));
            }
            kids.push(self.leaf(s.span.start, s.span.end, line));
        }
        if let (Some(first), Some(last)) = (rs.area_leaders.first(), rs.area_leaders.last()) {
            let start = self.lex.keyword_start(first.span.start, &["分管领导"]);
            kids.push(self.leaf(
                start,
                last.span.end,
                format!("分管领导 {}", self.names(&rs.area_leaders)),
            ));
        }
        for m in &rs.meetings {
            kids.push(self.meeting(m));
        }
        for d in &rs.documents {
            kids.push(self.document(d));
        }
        for a in &rs.articles {
            kids.push(self.article(a));
        }
        let head = format!("规则集 {}", self.title(&rs.name.node));
        let header_end = self.lex.token_end(rs.name.span.start, rs.name.span.end);
        self.braced(rs.span, header_end, head, kids, Style::Ruleset)
    }

    /// 单位 statements: the AST keeps one flat list; names separated only by
    /// commas were written in one statement.
    fn unit_nodes(&self, units: &[Name], parents: &[(Name, Vec<Name>)]) -> Vec<Node> {
        let mut groups: Vec<&[Name]> = Vec::new();
        let mut begin = 0;
        for (i, pair) in units.windows(2).enumerate() {
            if let [a, b] = pair
                && !self.lex.only_commas(a.span.end, b.span.start)
            {
                groups.extend(units.get(begin..=i));
                begin = i + 1;
            }
        }
        groups.extend(units.get(begin..).filter(|g| !g.is_empty()));
        groups
            .into_iter()
            .filter_map(|g| {
                let (first, last) = (g.first()?, g.last()?);
                let start = self.lex.keyword_start(first.span.start, &["单位"]);
                // 单位 A、B 属于 C: the classes follow the statement's last name.
                let classes = parents
                    .iter()
                    .find(|(u, _)| u.span.start == last.span.start && u.node == last.node)
                    .map(|(_, ps)| ps.as_slice())
                    .unwrap_or_default();
                let mut text = format!("单位 {}", self.names(g));
                let mut end = last.span.end;
                if let Some(p) = classes.last() {
                    text = format!("{text} 属于 {}", self.names(classes));
                    end = p.span.end;
                }
                Some(self.leaf(start, end, text))
            })
            .collect()
    }

    fn meeting(&self, m: &MeetingDecl) -> Node {
        let mut head = format!("会议 {}", self.name(&m.name));
        if let Some(p) = &m.parent {
            head = format!("{head} 属于 {}", self.name(p));
        }
        let header_end = m.parent.as_ref().map_or(m.name.span.end, |p| p.span.end);
        let mut kids = Vec::new();
        if let Some(t) = &m.title {
            let start = self.lex.keyword_start(t.span.start, &["名称"]);
            kids.push(self.leaf(
                start,
                t.span.end,
                format!("名称 {}", self.quoted(&t.node, false)),
            ));
        }
        for (list, keyword) in [(&m.members, "组成"), (&m.attendees, "列席")] {
            if let (Some(first), Some(last)) = (list.first(), list.last()) {
                let start = self.lex.keyword_start(first.span.start, &[keyword]);
                kids.push(self.leaf(
                    start,
                    last.span.end,
                    format!("{keyword} {}", self.names(list)),
                ));
            }
        }
        for r in &m.rules {
            kids.push(self.leaf(r.span.start, r.span.end, self.meeting_attr(r)));
        }
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
                    Some(crate::syntax::ast::Action::Convene) => "召集",
                    Some(crate::syntax::ast::Action::Chair) => "主持",
                    _ => "纪要签发",
                };
                format!("{keyword} {def}{}", self.actors(actors))
            }
            RuleBody::Frequency { period, count, .. } => {
                format!("频次 {def}{} {} 次", period.node.word(), self.count(count))
            }
            RuleBody::Quorum {
                comparison,
                fraction,
                ..
            } => format!(
                "出席人数 {} {}",
                self.comparison(comparison),
                self.fraction(fraction)
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
        let mut kids = Vec::new();
        if let Some(i) = &d.issuer {
            let start = self.lex.keyword_start(i.span.start, &["名义"]);
            kids.push(self.leaf(start, i.span.end, format!("名义 {}", self.name(i))));
        }
        if let Some(dir) = d.direction {
            let word = match dir {
                Direction::Up => "上行",
                Direction::Level => "平行",
                Direction::Down => "下行",
            };
            let (start, end) = self.find_direction(d.span, header_end);
            kids.push(self.leaf(start, end, format!("行文方向 {word}")));
        }
        for f in &d.flags {
            kids.push(self.leaf(f.span.start, f.span.end, f.node.clone()));
        }
        self.braced(d.span, header_end, head, kids, Style::Attrs)
    }

    /// The AST keeps no position for 行文方向: find the last one written in
    /// the block.
    fn find_direction(&self, span: Span, header_end: usize) -> (usize, usize) {
        const KEYWORD: &str = "行文方向";
        let block = self.src.get(header_end..span.end).unwrap_or("");
        let found = block
            .rmatch_indices(KEYWORD)
            .map(|(i, _)| header_end + i)
            .find(|&i| self.lex.is_code(i) && !self.lex.in_opaque(i));
        let Some(start) = found else {
            return (header_end, header_end);
        };
        let mut end = self.lex.skip_forward(start + KEYWORD.len());
        for colon in [":", "："] {
            if self.src.get(end..).is_some_and(|r| r.starts_with(colon)) {
                end = self.lex.skip_forward(end + colon.len());
            }
        }
        if ["上行", "平行", "下行"]
            .iter()
            .any(|w| self.src.get(end..).is_some_and(|r| r.starts_with(w)))
        {
            end += "上行".len();
        }
        (start, end)
    }

    fn article(&self, a: &Article) -> Node {
        let mut kids = Vec::new();
        for q in &a.quotes {
            let start = self.lex.keyword_start(q.span.start, &["原文"]);
            kids.push(self.leaf(
                start,
                q.span.end,
                format!("原文 {}", self.quoted(&q.node, true)),
            ));
        }
        for r in &a.rules {
            kids.push(self.leaf(r.span.start, r.span.end, self.rule(r)));
        }
        for m in &a.meetings {
            kids.push(self.meeting(m));
        }
        // The header ends with the number, or with 条 after it.
        let mut header_end = self.lex.skip_forward(a.number.span.end);
        if self
            .src
            .get(header_end..)
            .is_some_and(|r| r.starts_with('条'))
        {
            header_end += '条'.len_utf8();
        } else {
            header_end = a.number.span.end;
        }
        let mut node = self.braced(a.span, header_end, a.heading.clone(), kids, Style::Lines);
        node.kind = Kind::Article;
        node
    }

    fn scenario(&self, sc: &Scenario) -> Node {
        let mut kids = Vec::new();
        if let (Some(first), Some(last)) = (sc.basis.first(), sc.basis.last()) {
            let start = self.lex.keyword_start(first.span.start, &["依据"]);
            let titles: Vec<String> = sc.basis.iter().map(|t| self.title(&t.node)).collect();
            let end = self.lex.token_end(last.span.start, last.span.end);
            kids.push(self.leaf(start, end, format!("依据 {}", titles.join("、"))));
        }
        if let Some(d) = &sc.cutoff {
            let start = self.lex.keyword_start(d.span.start, &["截至"]);
            kids.push(self.leaf(start, d.span.end, format!("截至 {}", date(d))));
        }
        if let Some((a, b)) = &sc.window {
            let start = self.lex.keyword_start(a.span.start, &["期间"]);
            kids.push(self.leaf(
                start,
                b.span.end,
                format!("期间 {} 至 {}", date(a), date(b)),
            ));
        }
        for p in &sc.people {
            kids.push(self.leaf(p.span.start, p.span.end, self.person(p)));
        }
        kids.extend(self.unit_nodes(&sc.units, &sc.unit_parents));
        for d in &sc.delegations {
            kids.push(self.leaf(d.span.start, d.span.end, self.delegation(d)));
        }
        for r in &sc.revocations {
            let to =
                r.to.as_ref()
                    .map_or_else(String::new, |n| format!(" {}", self.name(n)));
            let line = format!("{} {} 收回 委托{to}", date(&r.date), self.name(&r.from));
            kids.push(self.leaf(r.span.start, r.span.end, line));
        }
        for e in &sc.events {
            kids.push(self.leaf(e.span.start, e.span.end, self.event(e)));
        }
        for x in &sc.expectations {
            let span = match &x.kind {
                ExpectationKind::Complies(s) => *s,
                ExpectationKind::Set { span, .. } => *span,
            };
            kids.push(self.leaf(span.start, span.end, self.expectation(x)));
        }
        let head = format!("情景 {}", self.title(&sc.name.node));
        let header_end = self.lex.token_end(sc.name.span.start, sc.name.span.end);
        self.braced(sc.span, header_end, head, kids, Style::Lines)
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
        if !r.exceptions.is_empty() {
            let names: Vec<String> = r
                .exceptions
                .iter()
                .map(|n| self.name_in(&n.node, NameCtx::Exception))
                .collect();
            parts.push(format!("除 情形 {} 外", names.join("、")));
        }
        if !r.approvers.is_empty() {
            parts.push(format!("除 经 {} 批准 外", self.actors(&r.approvers)));
        }
        if r.own_deadline.is_some() {
            parts.push("除 另有时限 外".to_string());
        }
        if let Some(d) = &r.defeasible
            && late
        {
            parts.push(d.node.clone());
        }
        parts.push(self.modality(&r.modality).to_string());
        parts.push(self.body(&r.body, r.span));
        parts.join(" ")
    }

    fn modality(&self, m: &Spanned<Modality>) -> &'static str {
        let written = self.lex.code_text(m.span);
        match m.node {
            Modality::Must if written == "应当" => "应当",
            Modality::Must => "须",
            Modality::MustNot => "不得",
            Modality::May => "可",
        }
    }

    /// A rule's body; `region` is the rule's span.
    fn body(&self, body: &RuleBody, region: Span) -> String {
        match body {
            RuleBody::Response {
                trigger,
                within,
                response,
            } => format!(
                "在 {} 后 {} {}",
                self.pattern(trigger),
                within.as_ref().map_or_else(
                    || "及时".to_string(),
                    |d| match d.amount.value {
                        0 => duration(d),
                        _ => format!("{}内", duration(d)),
                    }
                ),
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
                    .map_or_else(String::new, |d| format!("{}内 ", duration(d)));
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
                period,
                count,
                group,
            } => {
                let mut s = format!(
                    "{} {} {} 次",
                    self.pattern(pattern),
                    period.node.word(),
                    self.count(count)
                );
                if let Some(g) = group {
                    s.push_str(&format!(" 按 {}", g.node.word()));
                }
                s
            }
            RuleBody::Quorum {
                meetings,
                comparison,
                fraction,
            } => format!(
                "召开 {} 出席 {} {}",
                self.names(meetings),
                self.comparison(comparison),
                self.fraction(fraction)
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
        if let Some(first) = f.kinds.first() {
            parts.push((first.span.start, self.names(&f.kinds)));
        }
        if f.leaves_county {
            let at = self.keyword_at(region, "离县");
            parts.push((at, "离县".into()));
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
            let at = self.keyword_at(region, "分管领导缺席");
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
            let at = self.keyword_at(region, "决定印发的");
            parts.push((at, "决定印发的公文".into()));
        }
        parts.sort_by_key(|(at, _)| *at);
        parts.into_iter().map(|(_, p)| p).collect()
    }

    /// Where a keyword the AST keeps no position for was written in
    /// `region` (keywords never occur inside bare names); else its end.
    fn keyword_at(&self, region: Span, keyword: &str) -> usize {
        self.src
            .get(region.start..region.end)
            .unwrap_or("")
            .match_indices(keyword)
            .map(|(i, _)| region.start + i)
            .find(|&i| self.lex.is_code(i) && !self.lex.in_opaque(i))
            .unwrap_or(region.end)
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

    /// Count words as written (至少 / 不少于, …), numbers in their spelling.
    fn count(&self, c: &Spanned<CountRange>) -> String {
        let written = self.lex.code_text(c.span);
        let spellings = numerals_in(&written);
        let spell = |i: usize, v: u32| {
            spellings
                .get(i)
                .filter(|s| parse_numeral(s) == Ok(v))
                .cloned()
                .unwrap_or_else(|| v.to_string())
        };
        match c.node {
            CountRange::Between(a, b) => format!("{} 至 {}", spell(0, a), spell(1, b)),
            CountRange::AtLeast(a) => {
                let word = if written.starts_with("不少于") {
                    "不少于"
                } else {
                    "至少"
                };
                format!("{word} {}", spell(0, a))
            }
            CountRange::AtMost(a) => {
                let word = ["至多", "最多"]
                    .into_iter()
                    .find(|w| written.starts_with(w))
                    .unwrap_or("不超过");
                format!("{word} {}", spell(0, a))
            }
            CountRange::MoreThan(a) => format!("超过 {}", spell(0, a)),
            CountRange::Exactly(a) => spell(0, a),
        }
    }

    fn comparison(&self, c: &Spanned<Comparison>) -> &'static str {
        let written = self.lex.code_text(c.span);
        match c.node {
            Comparison::MoreThan => "超过",
            Comparison::AtLeast if written == "达到" => "达到",
            Comparison::AtLeast => "不少于",
        }
    }

    /// A fraction as written (一半, 三分之二, 2/3) when that reads back the
    /// same, else `n/d`.
    fn fraction(&self, f: &Spanned<(u32, u32)>) -> String {
        let written = self.lex.code_text(f.span);
        let (n, d) = f.node;
        let num = |s: &str| parse_numeral(s).ok();
        let same = match written.as_str() {
            "一半" | "半数" => (n, d) == (1, 2),
            w => {
                if let Some((a, b)) = w.split_once("分之") {
                    num(a) == Some(d) && num(b) == Some(n)
                } else if let Some((a, b)) = w.split_once('/') {
                    num(a) == Some(n) && num(b) == Some(d)
                } else {
                    false
                }
            }
        };
        if same {
            written
        } else if (n, d) == (1, 2) {
            "一半".into()
        } else {
            format!("{n}/{d}")
        }
    }

    // ───────── scenarios ─────────

    fn person(&self, p: &PersonDecl) -> String {
        let mut s = format!(
            "人员 {} 任 {}",
            self.name_in(&p.name.node, NameCtx::Person),
            self.names(&p.positions)
        );
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
            parts.push((first.span.start, format!("向 {}", self.names(&e.targets))));
        }
        parts.sort_by_key(|(at, _)| *at);
        parts.into_iter().map(|(_, s)| s).collect()
    }

    /// Were the targets starting at `at` written with 发往 (not 向)?
    fn sent_at(&self, at: usize) -> bool {
        let before = self.lex.skip_back(at);
        self.src.get(..before).is_some_and(|s| s.ends_with("发往"))
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
                let keyword = if self.sent_at(t.span.start) {
                    "发往"
                } else {
                    "向"
                };
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
        let sent = first_target.is_some_and(|t| self.sent_at(t));
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
            attr(x.span.start, "地点", self.text_or_name(x));
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
            attr(x.span.start, "领域", self.name(x));
        }
        if let Some((a, b)) = &e.period {
            attr(a.span.start, "自", format!("{} 至 {}", date(a), date(b)));
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
            // The AST keeps no position for 离县: find it (离县 never
            // occurs inside a bare name).
            attr(self.keyword_at(e.span, "离县"), "离县", String::new());
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
                verdict, articles, ..
            } => {
                let word = match verdict {
                    ExpectedVerdict::Violated => "违反",
                    ExpectedVerdict::Excepted => "例外",
                    ExpectedVerdict::Pending => "待定",
                };
                if articles.is_empty() {
                    // 预期 例外 无: no article has this verdict.
                    return format!("{s} {word} 无");
                }
                let refs: Vec<String> = articles.iter().map(|n| self.article_ref(n)).collect();
                format!("{s} {word} {}", refs.join("、"))
            }
        }
    }

    /// 第五十七条 or 五十七, as written.
    fn article_ref(&self, n: &Numeral) -> String {
        let before = self.src.get(..n.span.start).unwrap_or("");
        let after = self.src.get(n.span.end..).unwrap_or("");
        if before.ends_with('第') && after.starts_with('条') {
            format!("第{}条", n.spelling)
        } else {
            n.spelling.clone()
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
    fn text_or_name(&self, n: &Name) -> String {
        let written = self.src.get(n.span.start..).unwrap_or("");
        let was_quoted = written.starts_with(['"', '“', '「']);
        if !was_quoted && !self.quote_all && self.bare_ok(&n.node, NameCtx::Plain) {
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

const CN_DIGITS: &str = "零〇一二两三四五六七八九十百千";

fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || CN_DIGITS.contains(c)
}

/// The numbers written in a piece of code text, in order.
fn numerals_in(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if is_numeral_char(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn bare_reads_back(n: &str, ctx: NameCtx) -> bool {
    if n.is_empty() || n.starts_with("个人") {
        // 个人 is a role wherever a name may stand.
        return false;
    }
    // Separator words that depend on what follows: never end a bare name
    // with one.
    if ['前', '后', '自', '至', '到', '每']
        .iter()
        .any(|c| n.ends_with(*c))
        || (ctx == NameCtx::Exception && n.ends_with('外'))
    {
        return false;
    }
    // A kind filter may not start with a duration (三日会 would read as 三日).
    let rest = n.trim_start_matches(|c| CN_DIGITS.contains(c));
    if rest.len() < n.len() {
        let rest = rest.strip_prefix('个').unwrap_or(rest);
        if ["工作日", "日", "天"].iter().any(|u| rest.starts_with(u)) {
            return false;
        }
    }
    // Read it back followed by what follows it in the printed statement.
    let (entry, inner, follow) = match ctx {
        NameCtx::Plain => (Pr::name, Pr::bare_name, " "),
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
        Target::Name(n) => n.span.start,
        Target::Role(r) => r.span.start,
    }
}

fn role(r: Role) -> &'static str {
    match r {
        Role::MeetingChair => "会议主持人",
        Role::MeetingConvener => "会议召集人",
        Role::AreaLeader => "分管领导",
        Role::Individual => "个人",
        Role::Handler => "承办单位",
        Role::Attendees => "参会人员",
    }
}

fn date(d: &Spanned<NaiveDate>) -> String {
    let d = d.node;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn duration(d: &Duration) -> String {
    if d.amount.value == 0 && matches!(d.amount.spelling.as_str(), "当日" | "同日") {
        return d.amount.spelling.clone();
    }
    match d.unit {
        TimeUnit::WorkingDay => format!("{}个工作日", d.amount.spelling),
        TimeUnit::Day => format!("{}日", d.amount.spelling),
    }
}
