//! `guize repl`: a thin rustyline layer over [`session::Session`] —
//! completion, hints, multi-line input, history. With piped stdin it reads
//! lines without prompts, so scripts and tests drive the same session.

pub mod session;

use std::borrow::Cow;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::{Highlighter, MatchingBracketHighlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Config, Context, Editor, Helper};

pub use session::{Next, Session, unfinished};

/// Language keywords offered by completion.
const KEYWORDS: &[&str] = &[
    "规则集",
    "情景",
    "依据",
    "截至",
    "期间",
    "人员",
    "任",
    "分管",
    "单位",
    "委托",
    "代行",
    "全面工作",
    "召开",
    "召集",
    "主持",
    "出席",
    "缺席",
    "列席",
    "地点",
    "决定印发",
    "请假",
    "外出",
    "出差",
    "出访",
    "学习",
    "培训",
    "休假",
    "离县",
    "签发",
    "签署",
    "签批",
    "审核",
    "会签",
    "印发",
    "报送",
    "报备",
    "征求意见",
    "回复",
    "报告",
    "咨询",
    "回应",
    "审批",
    "调研",
    "事由",
    "情形",
    "特殊情况",
    "经",
    "批准",
    "领域",
    "应到",
    "实到",
    "预期",
    "符合",
    "违反",
    "例外",
    "待定",
    "职务",
    "属于",
    "会议",
    "公文",
    "条",
    "原文",
    "须",
    "应当",
    "不得",
    "可",
    "原则上",
    "一般",
    "除",
    "外",
    "工作日",
];

struct GuizeHelper {
    words: Vec<String>,
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
            let out = session::COMMANDS
                .iter()
                .flat_map(|(en, zh, _)| [*en, *zh])
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
        for k in KEYWORDS {
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

/// Newlines typed inside quotes join the text (quoted text is one line).
fn join_lines(input: &str) -> String {
    let mut quotes = crate::syntax::Quotes::default();
    input
        .chars()
        .filter(|c| {
            let inside = quotes.open();
            quotes.plain(*c);
            !(inside && quotes.open() && matches!(c, '\n' | '\r'))
        })
        .collect()
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
    let mut out = std::io::stdout();
    if let Err(e) = session.add_calendar_files(calendar_files) {
        eprint!("{e}");
        return 2;
    }
    for r in rulesets {
        let _ = write!(out, "{}", session.load(&r.display().to_string()));
    }
    if interactive {
        interactive_loop(&mut session)
    } else {
        piped_loop(&mut session)
    }
}

fn piped_loop(session: &mut Session) -> i32 {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let mut buffer = String::new();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(&line);
        if unfinished(&buffer) {
            continue;
        }
        let (text, next) = session.eval(&join_lines(&buffer));
        buffer.clear();
        if write!(out, "{text}").is_err() || next == Next::Quit {
            return 0;
        }
    }
    if !buffer.trim().is_empty() {
        let _ = writeln!(
            out,
            "输入在未闭合的块中结束（缺少“}}”或右引号），已忽略：{}",
            buffer.trim()
        );
        return 2;
    }
    0
}

fn interactive_loop(session: &mut Session) -> i32 {
    let config = Config::builder().auto_add_history(true).build();
    let Ok(mut editor) =
        Editor::<GuizeHelper, rustyline::history::DefaultHistory>::with_config(config)
    else {
        eprintln!("无法初始化终端；请用管道输入命令");
        return 2;
    };
    let history = history_path();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!("guize 交互环境。输入 :help 查看命令，Ctrl-D 退出。");
    loop {
        editor.set_helper(Some(GuizeHelper {
            words: session.vocabulary(),
            hinter: HistoryHinter::new(),
            brackets: MatchingBracketHighlighter::new(),
        }));
        let prompt = match session.ruleset() {
            Some(rs) => format!("{}> ", rs.name),
            None => "guize> ".to_string(),
        };
        match editor.readline(&prompt) {
            Ok(line) => {
                let (text, next) = session.eval(&join_lines(&line));
                print!("{text}");
                let _ = std::io::stdout().flush();
                if next == Next::Quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("读取输入出错：{e}");
                break;
            }
        }
    }
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    0
}
