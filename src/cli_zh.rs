//! The command line in Chinese: clap's help and argument errors are
//! English, and a drafter who mistypes `--rulesets` should not have to
//! read "unexpected argument". The commands are declared with clap's
//! derive in main.rs; here their help flags and templates are put into
//! Chinese, and clap's errors are rendered from their typed context.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

/// Parse the process arguments into `T`, or exit: help and version on
/// stdout (exit 0), a Chinese error on stderr (exit 2, as clap's own).
pub fn parse<T: CommandFactory + FromArgMatches>() -> T {
    // `guize help [COMMAND]` (clap's help subcommand, disabled for its
    // English) is read as `guize [COMMAND] --help`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let parsed = localize(T::command(), true)
        .try_get_matches_from(args)
        .and_then(|m| T::from_arg_matches(&m));
    match parsed {
        Ok(t) => t,
        Err(e) => stop(&e),
    }
}

/// Help flags, the version flag and the help layout in Chinese, for the
/// command and every subcommand.
fn localize(cmd: Command, top: bool) -> Command {
    let has_positionals = cmd.get_positionals().next().is_some();
    let has_subcommands = cmd.get_subcommands().next().is_some();
    let mut template = String::from("{about-with-newline}\n用法：{usage}\n");
    if has_subcommands {
        template.push_str("\n子命令：\n{subcommands}\n");
    }
    if has_positionals {
        template.push_str("\n参数：\n{positionals}\n");
    }
    template.push_str("\n选项：\n{options}{after-help}");
    let cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template(template)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    // clap writes "Possible values" and "[default: …]" in English: the
    // values and the default go into the argument's own help instead.
    let mut cmd = cmd.mut_args(|a| {
        if !a.get_action().takes_values() {
            return a;
        }
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(h) => format!("{}（{h}）", v.get_name()),
                None => v.get_name().to_string(),
            })
            .collect();
        let default: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        if values.is_empty() && default.is_empty() {
            return a;
        }
        let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        if !values.is_empty() {
            help = join(&help, &format!("可用的值：{}", values.join("、")));
        }
        if !default.is_empty() {
            help = join(&help, &format!("默认 {}", default.join("、")));
        }
        a.hide_possible_values(true)
            .hide_default_value(true)
            .help(help)
    });
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names
        .iter()
        .fold(cmd, |c, n| c.mut_subcommand(n, |s| localize(s, false)))
}

/// Print what clap found wrong, in Chinese, and exit (help and version:
/// what was asked for).
fn stop(e: &clap::Error) -> ! {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            std::process::exit(0);
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            std::process::exit(2);
        }
        _ => {}
    }
    eprint!("{}", message(e));
    std::process::exit(2);
}

/// The error's text: what is wrong, a suggestion when clap has one, the
/// usage line, and where to read more.
fn message(e: &clap::Error) -> String {
    let get = |k: ContextKind| e.get(k).map(text);
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        // `--events -3`: clap reads a negative number as a flag.
        ErrorKind::UnknownArgument if arg.parse::<f64>().is_ok() => {
            format!("不认识的参数“{arg}”：这里的值不能是负数")
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有“{sub}”这个子命令")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::InvalidValue => format!("{arg} 的值不能是“{value}”"),
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            // std's number errors are English ("invalid digit found").
            Some(why) if why.is::<std::num::ParseIntError>() => {
                format!("{arg} 的值“{value}”不是（范围内的）非负整数")
            }
            Some(why) if why.is::<std::num::ParseFloatError>() => {
                format!("{arg} 的值“{value}”不是数")
            }
            Some(why) => format!("{arg} 的值“{value}”无效：{why}"),
            None => format!("{arg} 的值“{value}”无效"),
        },
        ErrorKind::NoEquals => format!("{arg} 须写作 {arg}=值"),
        ErrorKind::TooManyValues => format!("{arg} 给的值太多：“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 给的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} 不能与 {other} 同时使用")
        }
        // Kinds the commands cannot produce, or clap's own failures: its
        // English text rather than nothing.
        _ => format!("参数有误：{}", e.render().to_string().trim_end()),
    };
    let mut out = format!("错误：{what}\n");
    let suggested = get(ContextKind::SuggestedSubcommand)
        .or_else(|| get(ContextKind::SuggestedArg))
        .or_else(|| get(ContextKind::SuggestedValue));
    if let Some(s) = suggested {
        out.push_str(&format!("  提示：是不是要写“{s}”？\n"));
    }
    if let Some(valid) = get(ContextKind::ValidValue) {
        out.push_str(&format!("  可用的值：{valid}\n"));
    }
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str("\n更多说明：加 --help\n");
    out
}

/// A context value as plain text (lists joined with 、).
fn text(v: &ContextValue) -> String {
    match v {
        ContextValue::Strings(list) => list.join("、"),
        ContextValue::StyledStrs(list) => list
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

/// `a；b`, or `b` alone when there is no `a`.
fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}；{b}")
    }
}
