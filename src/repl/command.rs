//! The REPL's commands as a type: an input line starting with `:` (or `：`)
//! is parsed once into a [`Command`]; the session matches on the variant,
//! never on command text. An unknown command is a coded diagnostic.

use crate::diag::{Diag, Source, code};
use crate::syntax::ast::Span;

/// A command's name, independent of how it was spelled (`:check`, `:检查`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandName {
    Load,
    Reload,
    Use,
    Rules,
    Vocab,
    Scenario,
    Check,
    Why,
    Date,
    Workday,
    Reset,
    Diff,
    Save,
    Help,
    Quit,
}

impl CommandName {
    /// Every command, in the order :help lists them.
    pub const ALL: [CommandName; 15] = [
        CommandName::Load,
        CommandName::Reload,
        CommandName::Use,
        CommandName::Rules,
        CommandName::Vocab,
        CommandName::Scenario,
        CommandName::Check,
        CommandName::Why,
        CommandName::Date,
        CommandName::Workday,
        CommandName::Reset,
        CommandName::Diff,
        CommandName::Save,
        CommandName::Help,
        CommandName::Quit,
    ];

    /// The English spelling, with its colon.
    pub fn english(self) -> &'static str {
        match self {
            CommandName::Load => ":load",
            CommandName::Reload => ":reload",
            CommandName::Use => ":use",
            CommandName::Rules => ":rules",
            CommandName::Vocab => ":vocab",
            CommandName::Scenario => ":scenario",
            CommandName::Check => ":check",
            CommandName::Why => ":why",
            CommandName::Date => ":date",
            CommandName::Workday => ":workday",
            CommandName::Reset => ":reset",
            CommandName::Diff => ":diff",
            CommandName::Save => ":save",
            CommandName::Help => ":help",
            CommandName::Quit => ":quit",
        }
    }

    /// The Chinese spelling, with its colon.
    pub fn chinese(self) -> &'static str {
        match self {
            CommandName::Load => ":载入",
            CommandName::Reload => ":重载",
            CommandName::Use => ":用",
            CommandName::Rules => ":规则",
            CommandName::Vocab => ":词表",
            CommandName::Scenario => ":情景",
            CommandName::Check => ":检查",
            CommandName::Why => ":为何",
            CommandName::Date => ":日期",
            CommandName::Workday => ":工作日",
            CommandName::Reset => ":重置",
            CommandName::Diff => ":比较",
            CommandName::Save => ":保存",
            CommandName::Help => ":帮助",
            CommandName::Quit => ":退出",
        }
    }

    /// Arguments and what the command does, for :help.
    pub fn summary(self) -> &'static str {
        match self {
            CommandName::Load => "FILE…  载入规则集或情景文件",
            CommandName::Reload => "重新读取已改动的文件，保留当前情景，报告变化",
            CommandName::Use => "NAME  切换当前规则集",
            CommandName::Rules => "[条号]  列出各条，或显示一条的原文和规则",
            CommandName::Vocab => "记录用词：职务、单位、种类，规则读取的每个情形及读取它的条",
            CommandName::Scenario => "显示当前情景",
            CommandName::Check => "检查当前情景",
            CommandName::Why => "条号  逐步说明该条的结论：触发、期限推算、响应",
            CommandName::Date => "2023-09-25 +7工作日  日期运算（按当前规则集的日历）",
            CommandName::Workday => "DATE  是否工作日，为什么",
            CommandName::Reset => "清空当前情景",
            CommandName::Diff => "FILE  载入修订稿，比较所有情景在两版下的结论",
            CommandName::Save => "FILE  把当前情景写成 guize test 可运行的文件",
            CommandName::Help => "本说明",
            CommandName::Quit => "退出（也可按 Ctrl-D）",
        }
    }

    /// Short spellings accepted besides the two listed ones.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            CommandName::Quit => &["q", "exit"],
            CommandName::Help => &["h", "?"],
            CommandName::Why => &["为什么"],
            _ => &[],
        }
    }

    /// The command a word (without its colon) names.
    fn from_word(word: &str) -> Option<CommandName> {
        CommandName::ALL.into_iter().find(|c| {
            c.english().trim_start_matches(':') == word
                || c.chinese().trim_start_matches(':') == word
                || c.aliases().contains(&word)
        })
    }
}

/// One command with its arguments. A required argument that was not given
/// is `None`: the command answers with its usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Files to load (empty: none given).
    Load(Vec<String>),
    Reload,
    /// The ruleset to make current.
    Use(Option<String>),
    /// One article (五十七, 第五十七条, 57), or all.
    Rules(Option<String>),
    Vocab,
    Scenario,
    Check,
    /// The article to explain.
    Why(Option<String>),
    /// A date expression (`2023-09-25 +7工作日`).
    Date(Option<String>),
    /// A date to classify.
    Workday(Option<String>),
    Reset,
    /// The revised ruleset file.
    Diff(Option<String>),
    /// The file to write the scenario to.
    Save(Option<String>),
    Help,
    Quit,
}

/// Does this input start a command (rather than a language fragment)?
pub fn is_command(input: &str) -> bool {
    let t = input.trim_start();
    t.starts_with(':') || t.starts_with('：')
}

impl Command {
    /// Parse a command line (`:why 57`, `：检查`). Err: an unknown command,
    /// with the nearest one when there is one.
    pub fn parse(line: &str) -> Result<Command, Diag> {
        let trimmed = line.trim();
        let body = trimmed.trim_start_matches([':', '：']);
        let (word, rest) = match body.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (body, ""),
        };
        let arg = (!rest.is_empty()).then(|| rest.to_string());
        let Some(name) = CommandName::from_word(word) else {
            return Err(unknown(trimmed, word));
        };
        Ok(match name {
            CommandName::Load => Command::Load(rest.split_whitespace().map(String::from).collect()),
            CommandName::Reload => Command::Reload,
            CommandName::Use => Command::Use(arg),
            CommandName::Rules => Command::Rules(arg),
            CommandName::Vocab => Command::Vocab,
            CommandName::Scenario => Command::Scenario,
            CommandName::Check => Command::Check,
            CommandName::Why => Command::Why(arg),
            CommandName::Date => Command::Date(arg),
            CommandName::Workday => Command::Workday(arg),
            CommandName::Reset => Command::Reset,
            CommandName::Diff => Command::Diff(arg),
            CommandName::Save => Command::Save(arg),
            CommandName::Help => Command::Help,
            CommandName::Quit => Command::Quit,
        })
    }
}

/// `guize::repl::unknown_command`, pointing at the command word in the
/// typed line, with the nearest command's name in the help.
fn unknown(line: &str, word: &str) -> Diag {
    let names = CommandName::ALL.into_iter().flat_map(|c| {
        [
            c.english().trim_start_matches(':'),
            c.chinese().trim_start_matches(':'),
        ]
    });
    let near = crate::compile::names::suggest(word, names);
    let help = match near.first() {
        Some(n) => format!("是否指“:{n}”？输入 :help 查看全部命令"),
        None => "输入 :help 查看全部命令".to_string(),
    };
    // The colon is one character, half- or full-width.
    let colon = line.chars().next().map_or(0, char::len_utf8);
    let span = Span::new(colon.min(line.len()), (colon + word.len()).min(line.len()));
    Diag::error(
        code::REPL_UNKNOWN_COMMAND,
        span,
        format!("未知命令“:{word}”"),
    )
    .label("没有这个命令")
    .help(help)
    .in_source(&Source::new("<输入>", line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_parse_to_one_command() {
        for line in [":check", "：检查", " :检查 "] {
            assert_eq!(Command::parse(line).ok(), Some(Command::Check));
        }
        assert_eq!(Command::parse(":q").ok(), Some(Command::Quit));
        assert_eq!(
            Command::parse(":为什么 57").ok(),
            Some(Command::Why(Some("57".into())))
        );
        assert_eq!(
            Command::parse(":load a.guize  b.guize").ok(),
            Some(Command::Load(vec!["a.guize".into(), "b.guize".into()]))
        );
        assert_eq!(Command::parse(":rules").ok(), Some(Command::Rules(None)));
    }

    #[test]
    fn an_unknown_command_is_coded_and_suggests() {
        let d = Command::parse(":chek").err();
        assert_eq!(d.as_ref().map(|d| d.code), Some(code::REPL_UNKNOWN_COMMAND));
        assert_eq!(
            d.as_ref().map(|d| d.help.as_str()),
            Some("是否指“:check”？输入 :help 查看全部命令")
        );
        assert_eq!(d.map(|d| d.span), Some(Span::new(1, 5)));
    }
}
