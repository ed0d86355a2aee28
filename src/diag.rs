//! Diagnostics: every user-facing error or warning is a `Diag`, a miette
//! `Diagnostic` with a stable code, a labelled span and a Chinese help line.
//! Errors are data: the source text is attached where the file is known and
//! rendering happens only at the edges (CLI, REPL, tests).

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, NamedSource, Severity, SourceCode,
    SourceSpan, SpanContents,
};

use crate::syntax::ast::Span;

/// One loaded source file, shared by every diagnostic that points into it.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: Arc<str>,
    pub text: Arc<str>,
    /// Byte offset of each line's start, for line/column lookups that do not
    /// rescan the file (findings cite many events).
    line_starts: Arc<[usize]>,
    /// Lines before the text in its file (a log line read on its own).
    line_offset: usize,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text: String = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name: Arc::from(name.into()),
            text: Arc::from(text),
            line_starts,
            line_offset: 0,
        }
    }

    /// One line of a larger file (line `line`, 1-based), e.g. a log record.
    pub fn line_of(name: impl Into<String>, text: impl Into<String>, line: usize) -> Source {
        let mut s = Source::new(name, text);
        s.line_offset = line.saturating_sub(1);
        s
    }

    /// The source text of a span, or "" when out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line of a byte offset: a binary search over the line
    /// starts, independent of the line's length (many events on one long
    /// line cost a search each, not a scan from the line's start).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|s| *s <= offset).max(1) + self.line_offset
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        // The last line starting at or before the offset.
        let line = self.line_starts.partition_point(|s| *s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |l| l.chars().count())
            + 1;
        (line + self.line_offset, col)
    }
}

/// Stable diagnostic codes. Tests and users match on these; never rename one.
pub mod code {
    pub const SYNTAX_UNEXPECTED: &str = "guize::syntax::unexpected";
    pub const SYNTAX_UNTERMINATED: &str = "guize::syntax::unterminated_text";
    pub const SYNTAX_NUMERAL: &str = "guize::syntax::bad_numeral";
    pub const SYNTAX_DATE: &str = "guize::syntax::bad_date";
    pub const SYNTAX_TOO_DEEP: &str = "guize::syntax::too_complex";
    pub const SYNTAX_EMPTY: &str = "guize::syntax::empty";
    pub const SYNTAX_DUPLICATE: &str = "guize::syntax::duplicate_statement";
    pub const NAME_UNKNOWN: &str = "guize::name::unknown";
    pub const NAME_DUPLICATE: &str = "guize::name::duplicate";
    pub const NAME_KIND: &str = "guize::name::wrong_kind";
    pub const NAME_VERB: &str = "guize::name::unknown_verb";
    /// A 属于 hierarchy whose transitive closure exceeds the bound.
    pub const NAME_HIERARCHY: &str = "guize::name::hierarchy_too_large";
    pub const ARTICLE_DUPLICATE: &str = "guize::article::duplicate";
    pub const ARTICLE_NO_QUOTE: &str = "guize::article::no_quote";
    pub const RULE_INVALID: &str = "guize::rule::invalid";
    pub const RULE_OUTSIDE_ARTICLE: &str = "guize::rule::outside_article";
    pub const UNIT_INVALID: &str = "guize::unit::invalid";
    pub const CALENDAR_UNKNOWN: &str = "guize::calendar::unknown";
    pub const CALENDAR_OUT_OF_RANGE: &str = "guize::calendar::out_of_range";
    pub const CALENDAR_DATA: &str = "guize::calendar::data";
    /// Calendar data files (`日历 … 补充 "x.json"`, `--calendar-file`).
    pub const CALENDAR_BAD_YEAR: &str = "guize::calendar::bad_year";
    pub const CALENDAR_WRONG_YEAR: &str = "guize::calendar::wrong_year";
    pub const CALENDAR_BAD_DATE: &str = "guize::calendar::bad_date";
    pub const CALENDAR_BAD_ROW: &str = "guize::calendar::bad_row";
    pub const CALENDAR_DUPLICATE_DAY: &str = "guize::calendar::duplicate_day";
    pub const CALENDAR_CONFLICT: &str = "guize::calendar::conflict";
    pub const CALENDAR_EMBEDDED_YEAR: &str = "guize::calendar::embedded_year";
    pub const RULESET_MISSING: &str = "guize::ruleset::missing";
    pub const RULESET_DUPLICATE: &str = "guize::ruleset::duplicate";
    pub const RULESET_PERIOD: &str = "guize::ruleset::period";
    pub const RULESET_AMBIGUOUS: &str = "guize::ruleset::ambiguous";
    /// A file given to the wrong command (`.jsonl` to `check`, `.guize` to `audit`).
    pub const WRONG_COMMAND: &str = "guize::io::wrong_command";
    /// `guize check RULESET FILE…`: none of the files given holds a 情景.
    pub const SCENARIO_MISSING: &str = "guize::scenario::missing";
    pub const SCENARIO_EVENT: &str = "guize::scenario::event";
    pub const SCENARIO_PERIOD: &str = "guize::scenario::period";
    pub const SCENARIO_PERSON: &str = "guize::scenario::person";
    /// A state the program should never reach: a bug, reported as one.
    pub const INTERNAL: &str = "guize::internal";
    pub const EXPECT_ARTICLE: &str = "guize::expect::unknown_article";
    pub const EXPECT_CONFLICT: &str = "guize::expect::conflict";
    pub const DATE_EXPR: &str = "guize::date::bad_expression";
    /// A REPL command that does not exist (`:chek`).
    pub const REPL_UNKNOWN_COMMAND: &str = "guize::repl::unknown_command";
    pub const IO_READ: &str = "guize::io::read";
    pub const IO_UTF8: &str = "guize::io::not_utf8";
    pub const IO_WRITE: &str = "guize::io::write";
    pub const IO_NOT_FILE: &str = "guize::io::not_a_file";
    pub const IO_TOO_LARGE: &str = "guize::io::too_large";
    pub const JSON_INVALID: &str = "guize::json::invalid";
    pub const AUDIT_ORDER: &str = "guize::audit::out_of_order";
    pub const AUDIT_EMPTY: &str = "guize::audit::empty";
    /// `--cutoff` before every event of the log: nothing would be audited.
    pub const AUDIT_ALL_AFTER_CUTOFF: &str = "guize::audit::all_after_cutoff";
    pub const AUDIT_LINE_TOO_LONG: &str = "guize::audit::line_too_long";
    /// An event line the log already holds, character for character.
    pub const AUDIT_DUPLICATE: &str = "guize::audit::duplicate";
    /// `guize cite`: a 原文 that is not a verbatim passage of the official text.
    pub const CITE_NOT_IN_SOURCE: &str = "guize::cite::not_in_source";
    /// `guize cite` (warning): a 原文 found only in another article.
    pub const CITE_OTHER_ARTICLE: &str = "guize::cite::other_article";
}

/// A diagnostic: code, message, primary label, help, and the file it is in.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Diag {
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: String,
    /// Secondary labels in the same file (e.g. the first of two duplicates).
    pub related: Vec<(Span, String)>,
    pub severity: Severity,
    pub file: Option<Source>,
    /// The file under the name `file:line:col` (columns in characters, as
    /// editors count them; miette's own header counts bytes).
    named: Option<Arc<NamedSource<Excerpt>>>,
}

impl Diag {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diag {
        Diag {
            code,
            message: message.into(),
            span,
            label: String::new(),
            help: String::new(),
            related: Vec::new(),
            severity: Severity::Error,
            file: None,
            named: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diag {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diag {
        self.help = help.into();
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diag {
        self.related.push((span, label.into()));
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Diag {
        self.code = code;
        self
    }

    pub fn warning(mut self) -> Diag {
        self.severity = Severity::Warning;
        self
    }

    pub fn in_source(mut self, source: &Source) -> Diag {
        if self.file.is_none() {
            let (l, c) = source.line_col(self.span.start);
            self.named = Some(Arc::new(NamedSource::new(
                format!("{}:{l}:{c}", source.name),
                Excerpt {
                    text: Arc::clone(&source.text),
                    line_offset: 0,
                },
            )));
            self.file = Some(source.clone());
        }
        self
    }

    /// The same diagnostic in another source with the same byte offsets
    /// (a file whose other parts were blanked out to parse one item).
    pub fn reattach(mut self, source: &Source) -> Diag {
        self.file = None;
        self.named = None;
        self.in_source(source)
    }

    /// File, line and column of the primary span, e.g. `a.guize:3:5`.
    pub fn location(&self) -> String {
        match &self.file {
            Some(src) => {
                let (l, c) = src.line_col(self.span.start);
                format!("{}:{l}:{c}", src.name)
            }
            None => String::from("<输入>"),
        }
    }

    /// The label when it says what is wrong at the place (2023年2月只有28天，
    /// 没有30日); empty for a bare pointer (这里), which adds nothing away
    /// from the source.
    pub fn place_label(&self) -> &str {
        match self.label.as_str() {
            "这里" => "",
            label => label,
        }
    }

    /// A one-line plain rendering: `code: file:line:col: message`.
    pub fn one_line(&self) -> String {
        match self.place_label() {
            "" => format!("{}: {}: {}", self.code, self.location(), self.message),
            label => format!(
                "{}: {}: {}：{label}",
                self.code,
                self.location(),
                self.message
            ),
        }
    }

    /// [`Diag::one_line`] and, when there is one, the help on the next
    /// line (the audit's rejected records on stderr).
    pub fn one_line_with_help(&self) -> String {
        if self.help.is_empty() {
            self.one_line()
        } else {
            format!("{}\n  帮助：{}", self.one_line(), self.help)
        }
    }
}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.help.is_empty() {
            None
        } else {
            Some(Box::new(&self.help))
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.named.as_ref().map(|s| &**s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.file.as_ref()?;
        let primary = LabeledSpan::new_primary_with_span(
            (!self.label.is_empty()).then(|| self.label.clone()),
            self.span,
        );
        let rest = self
            .related
            .iter()
            .map(|(s, l)| LabeledSpan::new_with_span(Some(l.clone()), *s));
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

/// The text miette shows: a whole file, or a window of one long line
/// (numbered as in its file).
#[derive(Debug)]
struct Excerpt {
    text: Arc<str>,
    /// Lines of the file before the excerpt's first line.
    line_offset: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line() + self.line_offset,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Diagnostics rendered per file at most; the rest are counted.
pub const MAX_PER_FILE: usize = 50;

/// A source line longer than this (in bytes) is shown as a window around
/// the span, not whole.
const LONG_LINE: usize = 300;

/// Characters shown either side of the span in a window; the span itself
/// is shown up to `WINDOW_SPAN` bytes.
const WINDOW_CHARS: usize = 60;
const WINDOW_SPAN: usize = 240;

/// Byte range of the line holding `at`.
fn line_range(text: &str, at: usize) -> (usize, usize) {
    let start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i);
    (start, end)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// When the primary span's line (or a line miette would show around it)
/// is long, a copy of `d` that shows only a window of the primary line.
fn windowed(d: &Diag) -> Option<Diag> {
    let src = d.file.as_ref()?;
    let text: &str = &src.text;
    let start = floor_boundary(text, d.span.start);
    let (ls, le) = line_range(text, start);
    let prev = if ls == 0 {
        (0, 0)
    } else {
        line_range(text, ls - 1)
    };
    let next = if le >= text.len() {
        (le, le)
    } else {
        line_range(text, le + 1)
    };
    if [(ls, le), prev, next]
        .iter()
        .all(|(a, b)| b - a <= LONG_LINE)
    {
        return None;
    }
    let before = text.get(ls..start)?;
    let ws = before
        .char_indices()
        .rev()
        .nth(WINDOW_CHARS - 1)
        .map_or(ls, |(i, _)| ls + i);
    let span_end = floor_boundary(text, d.span.end.clamp(start, le).min(start + WINDOW_SPAN));
    let after = text.get(span_end..le)?;
    let we = after
        .char_indices()
        .nth(WINDOW_CHARS)
        .map_or(le, |(i, _)| span_end + i);
    let prefix = if ws > ls { "…" } else { "" };
    let suffix = if we < le { "…" } else { "" };
    let excerpt = format!("{prefix}{}{suffix}", text.get(ws..we)?);
    let shift = |i: usize| i - ws + prefix.len();
    let mut w = d.clone();
    w.span = Span::new(shift(start), shift(span_end));
    w.related = d
        .related
        .iter()
        .filter(|(s, _)| ws <= s.start && s.end <= we && s.start <= s.end)
        .map(|(s, l)| (Span::new(shift(s.start), shift(s.end)), l.clone()))
        .collect();
    let (line, col) = src.line_col(start);
    w.named = Some(Arc::new(NamedSource::new(
        format!("{}:{line}:{col}", src.name),
        Excerpt {
            text: Arc::from(excerpt),
            line_offset: line.saturating_sub(1),
        },
    )));
    Some(w)
}

/// Render diagnostics as miette's graphical report (no colour: stable for
/// golden files), with the file name in the header. At most
/// [`MAX_PER_FILE`] per file are shown ("还有 N 处错误未列出"), and a long
/// source line is shown as a window around the span.
pub fn render(diags: &[Diag], color: bool) -> String {
    let mut out = String::new();
    let mut shown: std::collections::HashMap<Option<&str>, usize> = Default::default();
    let mut hidden: Vec<(Option<&str>, usize)> = Vec::new();
    for d in diags {
        let file = d.file.as_ref().map(|f| &*f.name);
        let n = shown.entry(file).or_default();
        if *n >= MAX_PER_FILE {
            match hidden.iter_mut().find(|(f, _)| *f == file) {
                Some((_, k)) => *k += 1,
                None => hidden.push((file, 1)),
            }
            continue;
        }
        *n += 1;
        let window = windowed(d);
        let d = window.as_ref().unwrap_or(d);
        let handler = if color {
            miette::GraphicalReportHandler::new()
        } else {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        }
        .with_width(100)
        .without_primary_span_start();
        if handler.render_report(&mut out, d).is_err() {
            out.push_str(&d.one_line());
        }
        out.push('\n');
    }
    for (file, n) in hidden {
        let file = file.unwrap_or("<输入>");
        out.push_str(&format!(
            "{file}：还有 {n} 处错误未列出（每个文件只列出前 {MAX_PER_FILE} 处）\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Source;

    #[test]
    fn line_col_counts_characters() {
        let s = Source::new("a", "甲乙\n丙 x\n\n末");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (1, 2)); // 乙 (甲 is 3 bytes)
        assert_eq!(s.line_col(6), (1, 3)); // the newline itself
        assert_eq!(s.line_col(7), (2, 1)); // 丙
        assert_eq!(s.line_col(11), (2, 3)); // x, after 丙 and a space
        assert_eq!(s.line_col(13), (3, 1)); // the empty line
        assert_eq!(s.line_col(14), (4, 1)); // 末
        assert_eq!(s.line_col(999), (4, 2)); // past the end: clamped
        for offset in [0, 3, 6, 7, 11, 13, 14, 999] {
            assert_eq!(s.line(offset), s.line_col(offset).0, "offset {offset}");
        }
    }
}
