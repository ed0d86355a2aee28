//! `guize cite`: is every 原文 of a ruleset a verbatim passage of the
//! official text, and which articles of that text does no 原文 quote?
//!
//! Verbatim means equal after a normalisation that forgives only what
//! typesetting does to a text, never a word:
//!
//! - a run of whitespace that contains a line break (a line end, a page
//!   break `\n\n` in mid-sentence, the indentation around it) is nothing;
//!   any other run of whitespace (a space inside a line) is one space;
//! - full-width and half-width forms are one character: `，` `,`, `：` `:`,
//!   `；` `;`, `（）` `()`, `１` `1`, … (the whole U+FF01–U+FF5E block), and
//!   the quotation marks `“”` `"`, `‘’` `'`.
//!
//! The ruleset is loaded, parsed and compiled by the library's pipeline;
//! the 原文 and their places come from the compiled articles.

use crate::compile::ir::Ruleset;
use crate::diag::{Diag, Source, code};
use crate::syntax::ast::Span;
use crate::syntax::{parse_numeral, to_chinese};

/// A 原文 longer than this (in characters) gets no nearest passage (the
/// search is quadratic); it is still looked up verbatim.
const MAX_NEAREST: usize = 2_000;

/// The nearest-passage search costs (text length × quote length) cells;
/// over one `cite` run at most this many (a few seconds). Quotes missing
/// from a text too long for the rest are reported without a nearest
/// passage: a 1 MB text and a hundred missing quotes took 100 s.
const NEAREST_BUDGET: usize = 40_000_000;
/// Characters of unchanged context kept on each side of a difference.
const DIFF_CONTEXT: usize = 6;

/// The official text, normalised, with the way back to its bytes.
struct Normalised {
    /// Normalised characters (the matching keys).
    keys: Vec<char>,
    /// For each key, the character as written (a space for a collapsed run).
    shown: Vec<char>,
    /// For each key, the byte range it came from in the original text.
    bytes: Vec<(usize, usize)>,
}

/// One character's matching key: full-width forms and quotation marks
/// folded to their ASCII counterparts.
fn key(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '“' | '”' | '„' | '〝' | '〞' => '"',
        '‘' | '’' => '\'',
        _ => c,
    }
}

fn normalise(text: &str) -> Normalised {
    let mut n = Normalised {
        keys: Vec::new(),
        shown: Vec::new(),
        bytes: Vec::new(),
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            let mut end = i + c.len_utf8();
            let mut line_break = c == '\n' || c == '\r';
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_whitespace() {
                    break;
                }
                line_break |= d == '\n' || d == '\r';
                end = j + d.len_utf8();
                chars.next();
            }
            // Whitespace at either end of the text is dropped too.
            if !line_break && i > 0 && end < text.len() {
                n.keys.push(' ');
                n.shown.push(' ');
                n.bytes.push((i, end));
            }
        } else {
            n.keys.push(key(c));
            n.shown.push(c);
            n.bytes.push((i, i + c.len_utf8()));
        }
    }
    n
}

/// An article of the official text: its heading and its extent.
#[derive(Debug, Clone)]
pub struct SourceArticle {
    pub number: u32,
    /// False when the heading's numeral is missing or cut short in the text
    /// (`、`, `二十、` for 二十二) and the number was inferred from the order.
    pub certain: bool,
    /// The heading as the text writes it (`五十七、`, `第五条`, `、`).
    pub heading: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// Byte range in the text, from the heading to the next heading.
    pub start: usize,
    pub end: usize,
}

impl SourceArticle {
    /// 第五十七条, or 第十五条（推定） when the number was inferred.
    pub fn display(&self) -> String {
        article_name(self.number, self.certain)
    }
}

fn is_numeral_char(c: char) -> bool {
    "零〇一二三四五六七八九十百".contains(c)
}

/// How a line opens as an article heading: the numeral as written (maybe
/// empty or cut short), the heading's length in bytes, and whether the
/// heading has a marker (`第…条`, `、`) or is a bare numeral.
fn heading_of(line: &str) -> Option<(&str, usize, bool)> {
    let body = line.trim_start();
    let lead = line.len() - body.len();
    if let Some(rest) = body.strip_prefix('第') {
        let digits = rest.len() - rest.trim_start_matches(is_numeral_char).len();
        let numeral = rest.get(..digits)?;
        let after = rest.get(digits..)?;
        return (digits > 0 && after.starts_with('条')).then_some((
            numeral,
            lead + '第'.len_utf8() + digits + '条'.len_utf8(),
            true,
        ));
    }
    let digits = body.len() - body.trim_start_matches(is_numeral_char).len();
    let numeral = body.get(..digits)?;
    let after = body.get(digits..)?;
    if after.starts_with('、') {
        return Some((numeral, lead + digits + '、'.len_utf8(), true));
    }
    // A numeral whose 、 was lost (四十提请…): only a tens numeral, and only
    // where the order expects it (checked by the caller).
    let bare = numeral.chars().count() >= 2
        && numeral.contains('十')
        && after
            .chars()
            .next()
            .is_some_and(|c| !"条章节款项个日天年月次名人岁余多".contains(c) && !c.is_ascii());
    bare.then_some((numeral, lead + digits, false))
}

/// The articles of an official text, in order. Headings are `第X条` or
/// `X、` at the start of a line. A heading whose numeral is missing or cut
/// short takes the next number (marked not certain); a bare tens numeral
/// (`四十` with its 、 lost) counts only where it fits the order; a numeral
/// that goes back (a list restarting at 一、) is not a heading.
pub fn source_articles(text: &str) -> Vec<SourceArticle> {
    let mut out: Vec<SourceArticle> = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let Some((written, len, marked)) = heading_of(line) else {
            continue;
        };
        let expected = out.last().map_or(1, |a| a.number + 1);
        let fits = to_chinese(expected).starts_with(written);
        let (number, certain) = match parse_numeral(written) {
            Ok(n) if n == expected => (n, true),
            _ if fits && marked => (expected, false),
            _ if fits && !written.is_empty() => (expected, false),
            Ok(n) if n > expected && marked => (n, true),
            _ => continue,
        };
        if let Some(prev) = out.last_mut() {
            prev.end = start;
        }
        out.push(SourceArticle {
            number,
            certain,
            heading: line.get(..len).unwrap_or("").trim().to_string(),
            line: index + 1,
            start,
            end: text.len(),
        });
    }
    out
}

/// Article numbers the order skips (a heading lost from the text).
pub fn missing_numbers(articles: &[SourceArticle]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut next = 1;
    for a in articles {
        out.extend(next..a.number);
        next = a.number + 1;
    }
    out
}

/// One 原文 and where the official text has it.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The article of the ruleset, as the ruleset writes it.
    pub article: String,
    pub article_number: u32,
    pub text: String,
    /// The quoted words in the ruleset file (inside the quote marks).
    pub span: Span,
    /// Byte range of the passage in the official text, when found.
    pub found: Option<(usize, usize)>,
}

/// The result of `guize cite`.
#[derive(Debug, Clone)]
pub struct CiteReport {
    pub ruleset: String,
    pub quotes: Vec<Quote>,
    pub articles: Vec<SourceArticle>,
    /// Indexes into `articles` that no 原文 quotes.
    pub uncovered: Vec<usize>,
    /// One diagnostic per 原文 not found (errors), and per 原文 found only
    /// in another article than the ruleset's (warnings).
    pub diags: Vec<Diag>,
}

impl CiteReport {
    pub fn mismatches(&self) -> usize {
        self.quotes.iter().filter(|q| q.found.is_none()).count()
    }

    /// `N 条原文 全部见于原文本；原文本 K 条中 J 条未被引用`.
    pub fn summary(&self) -> String {
        let n = self.quotes.len();
        let first = match self.mismatches() {
            0 => format!("{n} 条原文 全部见于原文本"),
            m => format!("{n} 条原文中 {m} 处不符"),
        };
        let second = if self.articles.is_empty() {
            "原文本中没有找到条文编号（第X条 或 X、），未统计引用".to_string()
        } else {
            format!(
                "原文本 {} 条中 {} 条未被引用",
                self.articles.len(),
                self.uncovered.len()
            )
        };
        format!("{first}；{second}")
    }

    /// The human report (stdout): unquoted articles, lost headings, summary.
    pub fn human(&self) -> String {
        let mut out = String::new();
        if !self.uncovered.is_empty() {
            let listed: Vec<&SourceArticle> = self
                .uncovered
                .iter()
                .filter_map(|&i| self.articles.get(i))
                .collect();
            out.push_str(&format!(
                "未被引用的条：{}\n",
                ranges(listed.iter().map(|a| (a.number, a.certain)))
            ));
        }
        let missing = missing_numbers(&self.articles);
        // A text that starts past 第一条 is an excerpt: say so once, not
        // every article before it.
        let first = self.articles.first().map_or(1, |a| a.number);
        let (before, gaps): (Vec<u32>, Vec<u32>) = missing.iter().partition(|n| **n < first);
        if !before.is_empty() {
            out.push_str(&format!(
                "原文本从第{}条开始（摘录）：此前的条不计\n",
                to_chinese(first)
            ));
        }
        if !gaps.is_empty() {
            out.push_str(&format!(
                "原文本中找不到条首（编号缺失，条文并入前一条计）：{}\n",
                ranges(gaps.iter().map(|n| (*n, true)))
            ));
        }
        if self.articles.iter().any(|a| !a.certain) {
            out.push_str("（推定）：原文本此处的条号缺失或残缺，按顺序推定\n");
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

/// 第一条至第九条、第十一条、第三条至第五条（推定）: runs of consecutive
/// numbers (equally certain) as ranges.
/// 第五十七条, or 第十五条（推定） when the number was inferred.
fn article_name(n: u32, certain: bool) -> String {
    if certain {
        format!("第{}条", to_chinese(n))
    } else {
        format!("第{}条（推定）", to_chinese(n))
    }
}

/// Articles by number and certainty, consecutive ones (of the same
/// certainty) joined: 第三条、第五条至第九条.
fn ranges(articles: impl IntoIterator<Item = (u32, bool)>) -> String {
    let mut runs: Vec<(u32, u32, bool)> = Vec::new();
    for (n, certain) in articles {
        match runs.last_mut() {
            Some((_, last, c)) if *last + 1 == n && *c == certain => *last = n,
            _ => runs.push((n, n, certain)),
        }
    }
    runs.iter()
        .map(|&(first, last, certain)| {
            if first == last {
                article_name(first, certain)
            } else if first + 1 == last {
                format!(
                    "{}、{}",
                    article_name(first, certain),
                    article_name(last, certain)
                )
            } else {
                let mark = if certain { "" } else { "（推定）" };
                format!("第{}条至第{}条{mark}", to_chinese(first), to_chinese(last))
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Check every 原文 of `rs` against the official text `official`.
pub fn cite(rs: &Ruleset, official: &Source) -> CiteReport {
    let norm = normalise(&official.text);
    let articles = source_articles(&official.text);
    let mut quotes = Vec::new();
    let mut diags = Vec::new();
    let mut covered = vec![false; articles.len()];
    let mut budget = NEAREST_BUDGET;
    for a in &rs.articles {
        for (i, text) in a.quotes.iter().enumerate() {
            let span = a
                .quote_spans
                .get(i)
                .map_or(a.span, |s| inside_quotes(&rs.source, *s));
            let qn = normalise(text);
            let hits = find_all(&norm.keys, &qn.keys);
            let in_article = |&(s, _): &(usize, usize)| {
                article_at(&articles, byte_start(&norm, s)).is_some_and(|x| x.number == a.number)
            };
            let chosen = hits
                .iter()
                .find(|h| in_article(h))
                .or_else(|| hits.first())
                .copied();
            let found = chosen.map(|(s, e)| byte_range(&norm, s, e));
            match (chosen, found) {
                (Some(h), Some((start, end))) => {
                    for (k, x) in articles.iter().enumerate() {
                        if x.start < end
                            && start < x.end
                            && let Some(c) = covered.get_mut(k)
                        {
                            *c = true;
                        }
                    }
                    if !in_article(&h)
                        && let Some(d) = other_article(a, span, &articles, start, official)
                    {
                        diags.push(d.in_source(&rs.source));
                    }
                }
                _ => diags.push(
                    not_found(
                        &a.display,
                        span,
                        &qn,
                        &norm,
                        &articles,
                        official,
                        &mut budget,
                    )
                    .in_source(&rs.source),
                ),
            }
            quotes.push(Quote {
                article: a.display.to_string(),
                article_number: a.number,
                text: text.clone(),
                span,
                found,
            });
        }
    }
    let uncovered = covered
        .iter()
        .enumerate()
        .filter(|(_, c)| !**c)
        .map(|(i, _)| i)
        .collect();
    CiteReport {
        ruleset: rs.name.clone(),
        quotes,
        articles,
        uncovered,
        diags,
    }
}

/// The quoted words of a `"…"` / `“…”` / `「…」` span, without the marks.
fn inside_quotes(source: &Source, span: Span) -> Span {
    let text = source.slice(span);
    let open = text.chars().next().map_or(0, char::len_utf8);
    let close = text.chars().next_back().map_or(0, char::len_utf8);
    if text.len() >= open + close && open > 0 {
        Span::new(span.start + open, span.end - close)
    } else {
        span
    }
}

/// Every place `needle` occurs in `hay`, as key ranges.
fn find_all(hay: &[char], needle: &[char]) -> Vec<(usize, usize)> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| (i, i + needle.len()))
        .collect()
}

fn byte_start(norm: &Normalised, key: usize) -> usize {
    norm.bytes.get(key).map_or(0, |b| b.0)
}

/// The original bytes of keys `s..e`.
fn byte_range(norm: &Normalised, s: usize, e: usize) -> (usize, usize) {
    let start = byte_start(norm, s);
    let end = e
        .checked_sub(1)
        .and_then(|last| norm.bytes.get(last))
        .map_or(start, |b| b.1);
    (start, end)
}

fn article_at(articles: &[SourceArticle], byte: usize) -> Option<&SourceArticle> {
    articles.iter().find(|a| a.start <= byte && byte < a.end)
}

fn where_in(official: &Source, articles: &[SourceArticle], byte: usize) -> String {
    let line = official.line(byte);
    match article_at(articles, byte) {
        Some(a) if a.certain => format!("原文本第 {line} 行（{}）", a.display()),
        Some(a) => format!("原文本第 {line} 行（推定为第{}条）", to_chinese(a.number)),
        None => format!("原文本第 {line} 行（条文之前）"),
    }
}

/// A 原文 found, but only outside the article the ruleset puts it in: a
/// warning, and only when both articles' numbers are certain in the text.
fn other_article(
    a: &crate::compile::ir::Article,
    span: Span,
    articles: &[SourceArticle],
    at: usize,
    official: &Source,
) -> Option<Diag> {
    let there = article_at(articles, at)?;
    let own = articles.iter().find(|x| x.number == a.number);
    if !there.certain || own.is_some_and(|x| !x.certain) {
        return None;
    }
    Some(
        Diag::error(
            code::CITE_OTHER_ARTICLE,
            span,
            format!("{}的原文见于原文本的{}", a.display, there.display()),
        )
        .label(format!("原文本在{}", there.display()))
        .help(format!(
            "{}；条号应与原文本一致（修订稿改了条号的，可不理会此警告）",
            where_in(official, articles, at)
        ))
        .warning(),
    )
}

/// The diagnostic for a 原文 the text does not have: the nearest passage
/// and a character diff, or word that nothing is near.
fn not_found(
    article: &str,
    span: Span,
    quote: &Normalised,
    norm: &Normalised,
    articles: &[SourceArticle],
    official: &Source,
    budget: &mut usize,
) -> Diag {
    let q = &quote.keys;
    let base = Diag::error(
        code::CITE_NOT_IN_SOURCE,
        span,
        format!("{article}的原文不见于原文本"),
    );
    let cells = norm.keys.len().saturating_mul(q.len());
    if cells > *budget {
        return base
            .label("原文本中没有这段文字")
            .help("原文须逐字引用原文本（只有换行、分页与全角/半角标点不计）；原文本过长，未再查找相近的段落");
    }
    *budget -= cells;
    let near = nearest(&norm.keys, q).filter(|(_, _, dist)| *dist * 2 <= q.len());
    let Some((s, e, _)) = near else {
        return base
            .label("原文本中没有这段文字，也没有相近的段落")
            .help("原文须逐字引用原文本（只有换行、分页与全角/半角标点不计）；检查是否引错了文件，或把原文本中的原句复制过来");
    };
    let passage: String = norm.shown.get(s..e).unwrap_or(&[]).iter().collect();
    let marked = char_diff(
        (q, &quote.shown),
        norm.keys.get(s..e).unwrap_or(&[]),
        norm.shown.get(s..e).unwrap_or(&[]),
    );
    base.label(format!("差异（-原文 +原文本）：{marked}"))
        .help(format!(
            "{}最接近：“{passage}”；原文须逐字引用（换行、分页、全角/半角标点不计）",
            where_in(official, articles, byte_start(norm, s))
        ))
}

/// The passage of `hay` nearest to `q` (edit distance, free start and end
/// in `hay`): (start, end, distance) in keys.
fn nearest(hay: &[char], q: &[char]) -> Option<(usize, usize, usize)> {
    if q.is_empty() || q.len() > MAX_NEAREST || hay.is_empty() {
        return None;
    }
    // Columns over q; for each cell the distance and the hay index where
    // its alignment starts.
    let m = q.len();
    let mut prev: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut cur = prev.clone();
    let mut best: Option<(usize, usize, usize)> = None;
    for (j, &h) in hay.iter().enumerate() {
        if let Some(c) = cur.first_mut() {
            *c = (0, j + 1);
        }
        for i in 1..=m {
            let same = q.get(i - 1) == Some(&h);
            let diag = prev.get(i - 1).map(|&(d, s)| (d + usize::from(!same), s));
            let up = prev.get(i).map(|&(d, s)| (d + 1, s));
            let left = cur.get(i - 1).map(|&(d, s)| (d + 1, s));
            let cell = [diag, up, left]
                .into_iter()
                .flatten()
                .min_by_key(|&(d, s)| (d, std::cmp::Reverse(s)));
            if let (Some(slot), Some(cell)) = (cur.get_mut(i), cell) {
                *slot = cell;
            }
        }
        if let Some(&(d, s)) = cur.get(m)
            && best.is_none_or(|(_, _, bd)| d < bd)
        {
            best = Some((s, j + 1, d));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    best
}

/// `会议结束后[-一个星期][+ 7 个工作日]内印发`: the quote against the
/// passage, unchanged stretches longer than the context shortened to `…`.
fn char_diff((q, q_shown): (&[char], &[char]), keys: &[char], shown: &[char]) -> String {
    let (n, m) = (q.len(), keys.len());
    // LCS table over keys.
    let mut t = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let v = if q.get(i) == keys.get(j) {
                t.get(i + 1).and_then(|r| r.get(j + 1)).map_or(0, |v| v + 1)
            } else {
                let a = t.get(i + 1).and_then(|r| r.get(j)).copied().unwrap_or(0);
                let b = t.get(i).and_then(|r| r.get(j + 1)).copied().unwrap_or(0);
                a.max(b)
            };
            if let Some(c) = t.get_mut(i).and_then(|r| r.get_mut(j)) {
                *c = v;
            }
        }
    }
    let at = |i: usize, j: usize| t.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    // Ops: ' ' same (shown as in the passage), '-' quote only, '+' passage only.
    let mut ops: Vec<(char, char)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && q.get(i) == keys.get(j) {
            ops.push((' ', shown.get(j).copied().unwrap_or(' ')));
            i += 1;
            j += 1;
        } else if i < n && (j == m || at(i + 1, j) >= at(i, j + 1)) {
            ops.push(('-', q_shown.get(i).copied().unwrap_or(' ')));
            i += 1;
        } else {
            ops.push(('+', shown.get(j).copied().unwrap_or(' ')));
            j += 1;
        }
    }
    render_ops(&ops)
}

fn render_ops(ops: &[(char, char)]) -> String {
    let mut out = String::new();
    let mut k = 0;
    while k < ops.len() {
        let kind = ops.get(k).map_or(' ', |o| o.0);
        let run_end = ops
            .iter()
            .skip(k)
            .position(|o| o.0 != kind)
            .map_or(ops.len(), |p| k + p);
        let run: String = ops
            .get(k..run_end)
            .unwrap_or(&[])
            .iter()
            .map(|o| o.1)
            .collect();
        match kind {
            ' ' => {
                let chars: Vec<char> = run.chars().collect();
                let first = k == 0;
                let last = run_end == ops.len();
                let keep_head = if first { 0 } else { DIFF_CONTEXT };
                let keep_tail = if last { 0 } else { DIFF_CONTEXT };
                if chars.len() > keep_head + keep_tail + 1 {
                    out.extend(chars.iter().take(keep_head));
                    out.push('…');
                    out.extend(chars.iter().skip(chars.len() - keep_tail));
                } else {
                    out.push_str(&run);
                }
            }
            '-' => out.push_str(&format!("[-{run}]")),
            _ => out.push_str(&format!("[+{run}]")),
        }
        k = run_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_breaks_and_widths_are_forgiven() {
        let n = normalise("加强决\n\n策监督，会议结束后 7 个工作日\n  内印发");
        let q = normalise("加强决策监督,会议结束后 7 个工作日内印发").keys;
        assert_eq!(find_all(&n.keys, &q).len(), 1);
        // A space inside a line is not forgiven.
        let q = normalise("会议结束后7个工作日内").keys;
        assert!(find_all(&n.keys, &q).is_empty());
    }

    #[test]
    fn headings_with_lost_numerals_are_inferred() {
        let text = "通知\n一、甲\n二、乙\n、丙\n二十一、丁\n二十、戊\n四十己\n";
        let a = source_articles(text);
        let nums: Vec<(u32, bool)> = a.iter().map(|x| (x.number, x.certain)).collect();
        assert_eq!(
            nums,
            vec![(1, true), (2, true), (3, false), (21, true), (22, false)]
        );
        assert_eq!(missing_numbers(&a), (4..21).collect::<Vec<_>>());
    }

    #[test]
    fn diff_marks_the_wrong_character() {
        let q: Vec<char> = "会议结束后七个工作日内印发".chars().collect();
        let p: Vec<char> = "会议结束后7个工作日内印发".chars().collect();
        assert_eq!(
            char_diff((&q, &q), &p, &p),
            "会议结束后[-七][+7]个工作日内印发"
        );
    }
}
