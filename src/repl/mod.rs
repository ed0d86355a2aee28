//! `guize repl`: a thin rustyline layer over [`session::Session`] —
//! completion, hints, multi-line input, history. With piped stdin it reads
//! lines without prompts, so scripts and tests drive the same session.

pub mod command;
pub mod declarations;
pub mod session;

use std::borrow::Cow;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::{Highlighter, MatchingBracketHighlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Config, Context, Editor, Helper};

pub use session::{Next, Session, unfinished};

/// Words completion offers that are not keywords of their own: the
/// grammar writes 离县期间 as 离县 ~ 期间, but a drafter types it as one.
const COMPOUNDS: &[&str] = &["离县期间", "外出期间"];

/// Completion's keywords: every keyword table of [`crate::syntax::words`]
/// except those of numerals, dates and name endings (parts of words, not
/// words), then the compounds; each once.
fn keywords() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let parts = ["NUMERALS", "DATE", "NAME_SUFFIXES"];
    let words = crate::syntax::words::every_word()
        .into_iter()
        .filter(|(class, _)| !parts.contains(class))
        // Range signs (-, ～) are punctuation, not words to complete.
        .filter(|(_, w)| w.chars().any(char::is_alphabetic))
        .map(|(_, w)| w)
        .chain(COMPOUNDS.iter().copied());
    for w in words {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

struct GuizeHelper {
    words: Vec<String>,
    /// The current ruleset's articles (number, 第五十七条): `:why` and
    /// `:rules` complete them from 五, 五十, 5 or 第.
    articles: Vec<(u32, String)>,
    keywords: Vec<&'static str>,
    hinter: HistoryHinter,
    brackets: MatchingBracketHighlighter,
}

impl Completer for GuizeHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = line.get(..pos).unwrap_or(line);
        // A command: the whole first word, colon included.
        if (head.starts_with(':') || head.starts_with('：')) && !head.contains(char::is_whitespace)
        {
            let out = command::CommandName::ALL
                .into_iter()
                .flat_map(|c| [c.english(), c.chinese()])
                .filter(|c| {
                    c.starts_with(head)
                        || c.trim_start_matches(':')
                            .starts_with(head.trim_start_matches([':', '：']))
                })
                .map(|c| Pair {
                    display: c.to_string(),
                    replacement: c.to_string(),
                })
                .collect();
            return Ok((0, out));
        }
        // `:why 五` / `:rules 5`: an article, by its numeral, its digits
        // or its display.
        let article_command = [command::CommandName::Why, command::CommandName::Rules]
            .into_iter()
            .flat_map(|c| [c.english(), c.chinese()])
            .find_map(|c| {
                head.strip_prefix(c)
                    .filter(|rest| rest.starts_with(char::is_whitespace))
                    .map(|rest| rest.trim_start())
            });
        if let Some(word) = article_command {
            let start = head.len() - word.len();
            let out = self
                .articles
                .iter()
                .filter_map(|(n, display)| {
                    let numeral = crate::syntax::to_chinese(*n);
                    let digits = n.to_string();
                    [numeral.clone(), digits, display.clone()]
                        .into_iter()
                        .find(|c| c.starts_with(word) && c != word)
                        .map(|c| Pair {
                            display: if c == *display {
                                c.clone()
                            } else {
                                format!("{c}（{display}）")
                            },
                            replacement: c,
                        })
                })
                .collect();
            return Ok((start, out));
        }
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || "，,、：:（）(){}｛｝\"“”「」".contains(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = head.get(start..).unwrap_or("");
        let mut out: Vec<Pair> = Vec::new();
        let mut offer = |cand: &str| {
            if cand.starts_with(word) && cand != word && !out.iter().any(|p| p.replacement == cand)
            {
                out.push(Pair {
                    display: cand.to_string(),
                    replacement: cand.to_string(),
                });
            }
        };
        for w in &self.words {
            offer(w);
        }
        for k in &self.keywords {
            offer(k);
        }
        Ok((start, out))
    }
}

impl Hinter for GuizeHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for GuizeHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        self.brackets.highlight(line, pos)
    }
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
    }
    fn highlight_char(&self, line: &str, pos: usize, kind: rustyline::highlight::CmdKind) -> bool {
        self.brackets.highlight_char(line, pos, kind)
    }
}

impl Validator for GuizeHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if unfinished(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for GuizeHelper {}

/// Where history is kept: $XDG_DATA_HOME/guize or ~/.local/share/guize.
fn history_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    let dir = base.join("guize");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history.txt"))
}

/// The text to evaluate for a complete input: a command as typed, else
/// the input with quoted text broken over lines joined.
fn complete_text(input: &str) -> String {
    if command::is_command(input) {
        input.to_string()
    } else {
        crate::syntax::typed_input(input).text
    }
}

/// Inside an open block, a line that is whole statements or declarations
/// on its own leaves the block open: no need to parse the block again
/// (which made a block of n lines cost n parses of it). The price: such a
/// line that does not belong where it stands (a scenario statement inside
/// a 规则集) is reported when the block closes, with the whole block.
fn keeps_block_open(line: &str) -> bool {
    use crate::diag::Source;
    let line = Source::new("<输入>", line);
    crate::syntax::check_fragment(&line, true).is_ok()
        || crate::syntax::check_fragment(&line, false).is_ok()
}

/// Run the REPL. Returns the process exit code.
pub fn run(rulesets: &[PathBuf]) -> i32 {
    run_with(rulesets, &[])
}

/// [`run`], with supplement holiday files (`--calendar-file`) for every
/// ruleset loaded and for `:date`/`:workday` without a ruleset.
pub fn run_with(rulesets: &[PathBuf], calendar_files: &[PathBuf]) -> i32 {
    let interactive = std::io::stdin().is_terminal();
    let mut session = Session::new(interactive && std::env::var_os("NO_COLOR").is_none());
    if !interactive {
        session.check_in_batches();
    }
    if let Err(e) = session.add_calendar_files(calendar_files) {
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), "{e}");
        return 2;
    }
    for r in rulesets {
        if let Err(code) = show(&session.load(&r.display().to_string())) {
            return code;
        }
    }
    if interactive {
        interactive_loop(&mut session)
    } else {
        piped_loop(&mut session)
    }
}

/// Write the session's output. Err(exit code) when stdout failed: 0 for a
/// closed pipe (the reader is gone), 2 with guize::io::write otherwise.
fn show(text: &str) -> Result<(), i32> {
    match crate::fsio::write_stdout(text) {
        Ok(()) => Ok(()),
        Err(e) => match crate::fsio::stdout_failure(&e) {
            None => Err(0),
            Some(d) => {
                crate::fsio::write_stderr(&format!("{}\n", d.one_line()));
                Err(2)
            }
        },
    }
}

fn piped_loop(session: &mut Session) -> i32 {
    let mut stdin = std::io::stdin().lock();
    let mut buffer = String::new();
    let mut bytes = Vec::new();
    let mut status = 0;
    let mut line_number = 0;
    loop {
        bytes.clear();
        match stdin.read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => line_number += 1,
            Err(e) => {
                crate::fsio::write_stderr(&format!(
                    "{}: <标准输入>:{}: 读取输入出错：{e}\n",
                    crate::diag::code::IO_READ,
                    line_number + 1
                ));
                return 2;
            }
        }
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        let line = match std::str::from_utf8(&bytes) {
            Ok(line) => line,
            // The bad line is consumed: say so, and go on with the next.
            Err(e) => {
                let d = not_utf8(line_number, &bytes, e.valid_up_to());
                crate::fsio::write_stderr(&crate::diag::render(&[d], false));
                status = 2;
                continue;
            }
        };
        let block_open = !buffer.is_empty();
        if block_open {
            buffer.push('\n');
        }
        buffer.push_str(line);
        if block_open && keeps_block_open(line) {
            continue;
        }
        let text = if command::is_command(&buffer) {
            buffer.clone()
        } else {
            let typed = crate::syntax::typed_input(&buffer);
            if typed.needs_more {
                continue;
            }
            typed.text
        };
        let (text, next) = session.eval(&text);
        buffer.clear();
        if let Err(code) = show(&text) {
            return code;
        }
        if next == Next::Quit {
            return if session.error_shown() { 2 } else { status };
        }
    }
    if let Err(code) = show(&session.finish()) {
        return code;
    }
    if session.error_shown() {
        status = 2;
    }
    if !buffer.trim().is_empty() {
        let msg = format!(
            "输入在未闭合的块中结束（缺少“}}”或右引号），已忽略：{}\n",
            buffer.trim()
        );
        return show(&msg).map_or_else(|c| c, |()| 2);
    }
    status
}

/// `guize::io::not_utf8` for piped line `line` (1-based), pointing at its
/// first bad byte: the line is skipped, the rest of the input still runs.
fn not_utf8(line: usize, bytes: &[u8], valid_up_to: usize) -> crate::diag::Diag {
    use crate::diag::{Diag, Source, code};
    // The lossy text has U+FFFD where the bad bytes were.
    let text = String::from_utf8_lossy(bytes).into_owned();
    let at = valid_up_to.min(text.len());
    let source = Source::line_of("<标准输入>", text, line);
    Diag::error(
        code::IO_UTF8,
        crate::syntax::ast::Span::new(at, at + '\u{FFFD}'.len_utf8()),
        format!("标准输入第 {line} 行不是 UTF-8 编码，已跳过这一行"),
    )
    .label("从这里起不是有效的 UTF-8")
    .help("用 UTF-8 编码输入（GBK/GB18030 的文本请先转换：iconv -f GBK -t UTF-8）；其余各行照常执行，结束时以状态 2 退出")
    .in_source(&source)
}

fn interactive_loop(session: &mut Session) -> i32 {
    let config = Config::builder().auto_add_history(true).build();
    let Ok(mut editor) =
        Editor::<GuizeHelper, rustyline::history::DefaultHistory>::with_config(config)
    else {
        crate::fsio::write_stderr("无法初始化终端；请用管道输入命令\n");
        return 2;
    };
    let history = history_path();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    if let Err(code) = show("guize 交互环境。输入 :help 查看命令，Ctrl-D 退出。\n") {
        return code;
    }
    loop {
        editor.set_helper(Some(GuizeHelper {
            words: session.vocabulary(),
            articles: session.articles(),
            keywords: keywords(),
            hinter: HistoryHinter::new(),
            brackets: MatchingBracketHighlighter::new(),
        }));
        let prompt = match session.ruleset() {
            Some(rs) => format!("{}> ", rs.name),
            None => "guize> ".to_string(),
        };
        match editor.readline(&prompt) {
            Ok(line) => {
                let (text, next) = session.eval(&complete_text(&line));
                if let Err(code) = show(&text) {
                    return code;
                }
                if next == Next::Quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                crate::fsio::write_stderr(&format!("读取输入出错：{e}\n"));
                break;
            }
        }
    }
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::keywords;

    #[test]
    fn why_and_rules_complete_articles_by_numeral_digits_or_display() {
        use rustyline::completion::Completer as _;
        let helper = super::GuizeHelper {
            words: vec!["七十七".into()],
            articles: vec![(57, "第五十七条".into()), (77, "第七十七条".into())],
            keywords: Vec::new(),
            hinter: rustyline::hint::HistoryHinter::new(),
            brackets: rustyline::highlight::MatchingBracketHighlighter::new(),
        };
        let history = rustyline::history::DefaultHistory::new();
        let ctx = rustyline::Context::new(&history);
        let offers = |line: &str| -> Vec<String> {
            let (start, pairs) = helper.complete(line, line.len(), &ctx).unwrap_or_default();
            assert_eq!(
                start,
                line.trim_end_matches(|c: char| !c.is_whitespace()).len()
            );
            pairs.into_iter().map(|p| p.replacement).collect()
        };
        assert_eq!(offers(":why 七"), ["七十七"]);
        assert_eq!(offers(":why 5"), ["57"]);
        assert_eq!(offers(":rules 第"), ["第五十七条", "第七十七条"]);
        assert_eq!(offers(":为何 五"), ["五十七"]);
    }

    #[test]
    fn completion_offers_the_grammar_keywords_once() {
        let k = keywords();
        for w in [
            "征求意见",
            "原则上",
            "会议主持人",
            "预期",
            "工作日",
            "离县期间",
        ] {
            assert!(k.contains(&w), "{w}");
        }
        // Not words: numerals, name endings, range signs.
        for w in ["二十", "局", "-", "～"] {
            assert!(!k.contains(&w), "{w}");
        }
        let mut sorted = k.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), k.len());
    }
}
