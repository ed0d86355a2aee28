//! The `guize` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use guize::calendar::{Calendar, CalendarId};
use guize::diag::{Diag, render};
use guize::suite::Outcome;
use guize::{Project, datecalc, report, suite};

mod cli_zh;

#[derive(Parser)]
#[command(
    name = "guize",
    version,
    about = "规则：人民政府工作规则的规则即代码工具"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// 一页自含的 HTML，仅 check
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum AuditFormat {
    Human,
    Jsonl,
    /// 一页自含的 HTML
    Html,
}

#[derive(Subcommand)]
enum Command {
    /// 按规则集检查情景：退出码 0 无违反，1 有违反，2 输入有误
    Check {
        /// 规则集文件
        ruleset: PathBuf,
        /// 情景文件（可多个）；不给情景时只编译规则集并报告其条数
        scenarios: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// 也列出“符合”“不适用”的结论
        #[arg(long, short)]
        verbose: bool,
        /// 只列出这些结论（如 --only 违反 或 --only 违反,待定）；“结论”一行仍计全部。只用于 human 格式
        #[arg(long, value_name = "结论", value_delimiter = ',', value_parser = parse_verdict)]
        only: Vec<guize::Verdict>,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
    /// 运行带“预期”的情景；最后一行为 “N passed, N failed”
    Test {
        /// 情景文件或目录
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 规则集文件或目录（默认：当前目录下的 rulesets/，如果有的话）
        #[arg(long = "rulesets")]
        rulesets: Vec<PathBuf>,
        /// 写出 JUnit XML
        #[arg(long)]
        junit: Option<PathBuf>,
        /// 报告每个规则集中没有情景覆盖到的条和规则
        #[arg(long)]
        coverage: bool,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
    /// 交互环境：载入规则集，输入事件，立即看到结论，:why 追问，:diff 比较修订稿
    Repl {
        /// 启动时载入的规则集文件
        rulesets: Vec<PathBuf>,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
    /// 比较两个规则集：条文与规则的结构差异，以及情景结论的变化（有变化时退出码 1）
    Diff {
        /// 现行（或参照）规则集文件
        old: PathBuf,
        /// 修订稿（或另一地）规则集文件
        new: PathBuf,
        /// 情景文件；不给时用 --suites 下依据旧规则集的全部情景
        scenarios: Vec<PathBuf>,
        /// 情景目录（默认 tests/scenarios）
        #[arg(long)]
        suites: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: DiffFormat,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
    /// 检查规则集中可能的问题：未用的声明、永不触发的规则、矛盾或重叠的规则、未被测试的规则
    Lint {
        #[arg(required = true)]
        rulesets: Vec<PathBuf>,
        /// 测试情景（文件或目录），用于报告未被覆盖的规则
        #[arg(long)]
        tests: Vec<PathBuf>,
        /// 有警告时退出码为 1（用于 CI）
        #[arg(long)]
        deny_warnings: bool,
    },
    /// 规范格式化规则集与情景文件（保留注释）；--check 只检查不改写，有需要改写的文件时退出码 1
    Fmt {
        /// 文件或目录
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long)]
        check: bool,
    },
    /// 审计事件日志（JSON Lines，按日期排序）：逐行读入、流式检查，输出摘要或 JSONL 结论
    Audit {
        /// 规则集文件
        ruleset: PathBuf,
        /// 事件日志（.jsonl；“-”为标准输入）
        log: PathBuf,
        /// human：摘要与违反清单；jsonl：每行一个结论、拒收记录，最后一行为摘要；html：一页自含的报告（含违反日历）
        #[arg(long, value_enum, default_value = "human")]
        format: AuditFormat,
        /// 日志记录的最后一天（默认：最后一个事件的日期）；此后才到期的义务为“待定”
        #[arg(long)]
        cutoff: Option<String>,
        /// 事先、依据会议向前查找的天数
        #[arg(long, default_value_t = 31)]
        lookback: u32,
        /// “及时”的响应向后查找的天数
        #[arg(long, default_value_t = 31)]
        prompt_days: u32,
        /// 重排窗口：比日志已到日期早这么多天以内的事件照常接收
        #[arg(long, default_value_t = 7)]
        reorder_days: u32,
        /// 也输出“符合”“不适用”的结论
        #[arg(long)]
        all: bool,
        /// 只列出这些结论（如 --only 违反）；摘要仍计全部（human、jsonl、html 都按此筛选）
        #[arg(long, value_name = "结论", value_delimiter = ',', value_parser = parse_verdict)]
        only: Vec<guize::Verdict>,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
    /// 生成模拟的一年事件日志（JSON Lines），供基准测试与审计演示
    Gen {
        /// 规则集文件
        #[arg(long)]
        ruleset: PathBuf,
        /// 事件条数
        #[arg(long, default_value_t = 10_000)]
        events: usize,
        /// 随机种子：同一种子生成同一日志
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 年份（默认：日历覆盖、全年都在施行期内的第一年，如施行于 2022 年年中则为 2023 年）
        #[arg(long)]
        year: Option<i32>,
        /// 故意违反的比例（0–1）
        #[arg(long, default_value_t = 0.1)]
        fault_rate: f64,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
    /// 核对原文：规则集的每句“原文”须逐字见于原文本（换行、分页与全角/半角标点不计），并列出原文本中未被引用的条；退出码 0 全部见于原文本，1 有不符，2 输入有误
    Cite {
        /// 规则集文件
        ruleset: PathBuf,
        /// 原文本（公布的规则全文，UTF-8 纯文本）
        source: PathBuf,
    },
    /// 列出规则集的记录用词：职务、单位、会议与公文种类、另加的行为，以及规则读取的每个情形和读取它的条
    Vocab {
        /// 规则集文件
        ruleset: PathBuf,
        /// human：分节列出；json：同样内容的 JSON
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
    /// 日期运算：guize date 2023-09-25 +7工作日；guize date --workday 2023-10-07
    Date {
        /// 日期，如 2023-09-25（也可与偏移连写：2023-09-25+7工作日）
        date: Option<String>,
        /// 偏移，如 +7工作日、+30日、-3天
        #[arg(allow_hyphen_values = true)]
        offset: Option<String>,
        /// 查询某日是否为工作日
        #[arg(long)]
        workday: Option<String>,
        /// 日历：中国法定节假日 或 中国法定节假日+新疆
        #[arg(long, default_value = "中国法定节假日")]
        calendar: String,
        /// 日历数据补充文件（JSON，格式同内置数据）：加入新公布的节假日安排，可多次给出
        #[arg(long = "calendar-file", value_name = "FILE")]
        calendar_file: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli: Cli = cli_zh::parse();
    match cli.command {
        Command::Check {
            ruleset,
            scenarios,
            format,
            verbose,
            only,
            calendar_file,
        } => cmd_check(ruleset, scenarios, format, verbose, &only, &calendar_file),
        Command::Test {
            paths,
            rulesets,
            junit,
            coverage,
            calendar_file,
        } => cmd_test(&paths, &rulesets, junit, coverage, &calendar_file),
        Command::Date {
            date,
            offset,
            workday,
            calendar,
            calendar_file,
        } => {
            let expr: Vec<String> = date.into_iter().chain(offset).collect();
            cmd_date(&expr, workday.as_deref(), &calendar, &calendar_file)
        }
        Command::Diff {
            old,
            new,
            scenarios,
            suites,
            format,
            calendar_file,
        } => cmd_diff(
            &old,
            &new,
            &scenarios,
            suites.as_deref(),
            format,
            &calendar_file,
        ),
        Command::Lint {
            rulesets,
            tests,
            deny_warnings,
        } => cmd_lint(&rulesets, &tests, deny_warnings),
        Command::Fmt { paths, check } => cmd_fmt(&paths, check),
        Command::Audit {
            ruleset,
            log,
            format,
            cutoff,
            lookback,
            prompt_days,
            reorder_days,
            all,
            only,
            calendar_file,
        } => {
            // 符合 and 不适用 are built only when shown (--all, or asked
            // for by --only); otherwise only counted.
            let opts = guize::audit::AuditOptions {
                lookback_days: lookback,
                prompt_days,
                reorder_days,
                count_only: !all && !report::Listing::new(all, &only).lists_quiet(),
                ..Default::default()
            };
            cmd_audit(
                &ruleset,
                &log,
                format,
                cutoff.as_deref(),
                opts,
                Shown { all, only },
                &calendar_file,
            )
        }
        Command::Gen {
            ruleset,
            events,
            seed,
            year,
            fault_rate,
            calendar_file,
        } => cmd_gen(
            &ruleset,
            &calendar_file,
            guize::generate::GenOptions {
                events,
                seed,
                year,
                fault_rate,
            },
        ),
        Command::Cite { ruleset, source } => cmd_cite(&ruleset, &source),
        Command::Vocab { ruleset, format } => cmd_vocab(&ruleset, format),
        Command::Repl {
            rulesets,
            calendar_file,
        } => ExitCode::from(
            u8::try_from(guize::repl::run_with(&rulesets, &calendar_file)).unwrap_or(2),
        ),
    }
}

/// Print a line to stdout; every write is checked ([`emit`]).
macro_rules! out {
    ($($t:tt)*) => {{
        let mut line = format!($($t)*);
        line.push('\n');
        emit(&line);
    }};
}

/// Print a line to stderr (failures ignored: nowhere left to report them).
macro_rules! err {
    ($($t:tt)*) => {{
        let mut line = format!($($t)*);
        line.push('\n');
        guize::fsio::write_stderr(&line);
    }};
}

/// Write to stdout. A closed pipe (`| head`) ends the program quietly
/// (exit 0); any other failure (`> /dev/full`) is guize::io::write, exit 2:
/// output is never lost without a word.
fn emit(text: &str) {
    if let Err(e) = guize::fsio::write_stdout(text) {
        stdout_failed(&e);
    }
}

/// Write a text as one line: its trailing newlines made one, without a
/// copy of it.
fn emit_line(mut text: String) {
    text.truncate(text.trim_end_matches('\n').len());
    text.push('\n');
    emit(&text);
}

/// Flush a buffered stdout; a failure ends the program as [`emit`]'s does.
fn flush_or_exit(w: &mut impl std::io::Write) {
    if let Err(e) = w.flush() {
        stdout_failed(&e);
    }
}

fn stdout_failed(e: &std::io::Error) -> ! {
    match guize::fsio::stdout_failure(e) {
        None => std::process::exit(0),
        Some(d) => {
            let _ = fail(&[d]);
            std::process::exit(2)
        }
    }
}

/// A file given to the wrong command, told by its extension (`.jsonl` to
/// `check`, `.guize` to `audit`): one clear error instead of one per line.
fn wrong_command(path: &std::path::Path, ext: &str, message: &str, help: &str) -> Option<Diag> {
    let has = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
        // A FIFO or a directory so named is refused by the reader itself.
        && path.is_file();
    has.then(|| {
        Diag::error(
            guize::diag::code::WRONG_COMMAND,
            Default::default(),
            format!("{}：{message}", path.display()),
        )
        .help(help)
    })
}

fn fail(diags: &[Diag]) -> ExitCode {
    err!("{}", render(diags, color()).trim_end_matches('\n'));
    ExitCode::from(2)
}

fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// A project whose rulesets get the `--calendar-file`s.
fn project(calendar_files: &[PathBuf]) -> Result<Project, Vec<Diag>> {
    let mut p = Project::default();
    p.add_calendar_files(calendar_files)?;
    Ok(p)
}

/// The single ruleset in a file.
fn load_ruleset(
    path: &std::path::Path,
    calendar_files: &[PathBuf],
) -> Result<guize::compile::ir::Ruleset, Vec<Diag>> {
    let mut p = project(calendar_files)?;
    p.load_paths(&[path])?;
    p.rulesets.into_iter().next().ok_or_else(|| {
        vec![
            Diag::error(
                guize::diag::code::RULESET_MISSING,
                Default::default(),
                format!("{} 中没有规则集", path.display()),
            )
            .help("应是含“规则集 … { … }”的文件"),
        ]
    })
}

fn cmd_diff(
    old: &std::path::Path,
    new: &std::path::Path,
    scenarios: &[PathBuf],
    suites: Option<&std::path::Path>,
    format: DiffFormat,
    calendar_files: &[PathBuf],
) -> ExitCode {
    // An explicit --suites must exist; the default may be absent.
    let suites = match suites {
        Some(s) => {
            if let Err(e) = suite::require_paths(&[s.to_path_buf()], "--suites") {
                return fail(&e);
            }
            s.to_path_buf()
        }
        None => PathBuf::from("tests/scenarios"),
    };
    let (o, n) = match (
        load_ruleset(old, calendar_files),
        load_ruleset(new, calendar_files),
    ) {
        (Ok(o), Ok(n)) => (o, n),
        (a, b) => {
            let mut e = a.err().unwrap_or_default();
            e.extend(b.err().unwrap_or_default());
            return fail(&e);
        }
    };
    let mut scen = Project::default();
    let given = !scenarios.is_empty();
    let files = if given {
        scenarios.to_vec()
    } else {
        let (files, errors) = suite::collect_files(&[suites]);
        if !errors.is_empty() {
            return fail(&errors);
        }
        files
    };
    // Suites may hold other rulesets' files with errors; only given files must load.
    if let Err(e) = scen.load_paths(&files)
        && given
    {
        return fail(&e);
    }
    let chosen: Vec<_> = scen
        .scenarios
        .into_iter()
        .filter(|s| given || s.ast.basis.iter().any(|b| b.node == o.name))
        .collect();
    let d = guize::diff::diff(&o, &n, &chosen);
    match format {
        DiffFormat::Json => out!("{}", serde_json::to_string_pretty(&d).unwrap_or_default()),
        DiffFormat::Human => out!("{}", report::diff(&d).trim_end_matches('\n')),
    }
    if d.verdicts_changed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_lint(rulesets: &[PathBuf], tests: &[PathBuf], deny: bool) -> ExitCode {
    if let Err(e) = suite::require_paths(tests, "--tests") {
        return fail(&e);
    }
    // Every test file must load: one that does not would silently count
    // as no tests at all.
    let (test_files, walk_errors) = suite::collect_files(tests);
    if !walk_errors.is_empty() {
        return fail(&walk_errors);
    }
    let mut scen = Project::default();
    if let Err(e) = scen.load_paths(&test_files) {
        return fail(&e);
    }
    let mut warnings = Vec::new();
    let mut loaded = Vec::new();
    for path in rulesets {
        let rs = match load_ruleset(path, &[]) {
            Ok(rs) => rs,
            Err(e) => return fail(&e),
        };
        loaded.push(rs.clone());
        let coverage = if tests.is_empty() {
            None
        } else {
            suite::run(tests, std::slice::from_ref(path))
                .coverage
                .into_iter()
                .find(|c| c.ruleset == rs.name)
        };
        // Names the suites' scenarios under this ruleset use.
        let mut names = std::collections::BTreeSet::new();
        let mut actor_kinds = std::collections::BTreeMap::new();
        for sc in scen
            .scenarios
            .iter()
            .filter(|s| s.ast.basis.iter().any(|b| b.node == rs.name))
        {
            names.extend(guize::lint::scenario_names(&sc.ast));
            guize::lint::scenario_actor_kinds(&rs, &sc.ast, &mut actor_kinds);
        }
        let uses = coverage.as_ref().map(|c| guize::lint::TestUse {
            coverage: c,
            names: &names,
            actor_kinds: &actor_kinds,
        });
        warnings.extend(guize::lint::lint(&rs, uses));
    }
    // Several rulesets: the same sentence must be encoded the same way.
    let all: Vec<&guize::compile::ir::Ruleset> = loaded.iter().collect();
    warnings.extend(guize::same_text::lint(&all));
    err!("{}", render(&warnings, color()).trim_end_matches('\n'));
    out!("{} 个警告", warnings.len());
    if deny && !warnings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_fmt(paths: &[PathBuf], check: bool) -> ExitCode {
    let mut errors = Vec::new();
    let mut unformatted = 0;
    let (files, walk_errors) = suite::collect_files(paths);
    errors.extend(walk_errors);
    for path in files {
        let source = match guize::load(&path) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match guize::fmt::format_source(&source) {
            Err(e) => errors.extend(e),
            Ok(text) if text == *source.text => {}
            Ok(text) if check => {
                unformatted += 1;
                out!("需要格式化：{}", path.display());
                // What would change, as a unified diff.
                let shown = path.display().to_string();
                out!(
                    "{}",
                    guize::textdiff::unified(&shown, &source.text, &text).trim_end_matches('\n')
                );
            }
            Ok(text) => {
                // Atomic: a failed write leaves the original whole.
                if let Err(e) = guize::fsio::write_atomic(&path, text.as_bytes()) {
                    errors.push(guize::fsio::write_error(&path, &e));
                    return fail(&errors);
                }
                out!("已格式化：{}", path.display());
            }
        }
    }
    if !errors.is_empty() {
        return fail(&errors);
    }
    if unformatted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--only 违反`: a verdict by its word.
fn parse_verdict(w: &str) -> Result<guize::Verdict, String> {
    guize::Verdict::from_word(w)
        .ok_or_else(|| format!("“{w}”不是结论：可写 违反、例外、待定、符合、不适用"))
}

fn cmd_check(
    ruleset: PathBuf,
    scenarios: Vec<PathBuf>,
    format: Format,
    verbose: bool,
    only: &[guize::Verdict],
    calendar_files: &[PathBuf],
) -> ExitCode {
    // One project: the ruleset file first, then the scenario files (which
    // may hold rulesets too); each scenario is judged under its 依据.
    let mut project = match project(calendar_files) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    if let Err(e) = project.load_paths(std::slice::from_ref(&ruleset)) {
        return fail(&e);
    }
    let Some(default) = project.rulesets.first().map(|r| r.name.clone()) else {
        let d = Diag::error(
            guize::diag::code::RULESET_MISSING,
            Default::default(),
            format!("{} 中没有规则集", ruleset.display()),
        )
        .help("第一个参数应是含“规则集 … { … }”的文件");
        return fail(&[d]);
    };
    // No scenario: the ruleset compiles — say what it holds.
    if scenarios.is_empty() {
        for rs in &project.rulesets {
            let quotes: usize = rs.articles.iter().map(|a| a.quotes.len()).sum();
            out!(
                "规则集“{}”编译通过：{} 条，{} 处原文，{} 条规则",
                rs.name,
                rs.articles.len(),
                quotes,
                rs.rules.len()
            );
        }
        return ExitCode::SUCCESS;
    }
    // The ruleset file's own scenarios are checked only when it is also
    // given as a scenario file (`guize check a.guize a.guize`); it is not
    // loaded twice.
    let same_file = |p: &PathBuf| {
        p == &ruleset
            || matches!(
                (std::fs::canonicalize(p), std::fs::canonicalize(&ruleset)),
                (Ok(a), Ok(b)) if a == b
            )
    };
    if !scenarios.iter().any(same_file) {
        project.scenarios.clear();
    }
    let others: Vec<PathBuf> = scenarios.into_iter().filter(|p| !same_file(p)).collect();
    let logs: Vec<Diag> = others
        .iter()
        .filter_map(|p| {
            wrong_command(
                p,
                "jsonl",
                "这是 JSON Lines 事件日志，不是情景文件",
                "事件日志请用 guize audit 规则集文件 日志.jsonl；JSON 情景的扩展名是 .json",
            )
        })
        .collect();
    if !logs.is_empty() {
        return fail(&logs);
    }
    if let Err(e) = project.load_paths(&others) {
        return fail(&e);
    }
    let Some(rs) = project.ruleset(&default) else {
        return ExitCode::from(2);
    };
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for result in guize::check_by_basis_warned(&project, rs) {
        match result {
            Ok((r, w)) => {
                reports.push(r);
                warnings.extend(w);
            }
            Err(e) => errors.extend(e),
        }
    }
    // A scenario that cannot be judged (a deadline past the calendar) is
    // reported, and the others are still judged and shown (blind r18 巩留
    // R18-23: one such scenario hid a whole file's reports); exit 2.
    if !errors.is_empty() {
        let code = fail(&errors);
        if reports.is_empty() {
            return code;
        }
    }
    if !warnings.is_empty() {
        err!("{}", render(&warnings, color()).trim_end_matches('\n'));
    }
    // Files were given to be checked and none holds a 情景 (a ruleset given
    // twice, a log meant for `guize audit`): an error, not a silent 符合.
    if reports.is_empty() {
        let d = Diag::error(
            guize::diag::code::SCENARIO_MISSING,
            Default::default(),
            "给出的文件中没有情景，没有检查任何内容",
        )
        .help(
            "情景文件应含“情景 … { … }”；只编译规则集请不给情景文件：guize check 规则集文件；\
             JSON Lines 事件日志请用 guize audit",
        );
        return fail(&[d]);
    }
    match format {
        // Written as built, not copied into a line first (a report can
        // run to tens of megabytes).
        Format::Json => emit_line(report::json(&reports)),
        Format::Html => emit(&guize::html::check_report(&project, &reports)),
        Format::Human => {
            for r in &reports {
                emit_line(report::human_listed(r, report::Listing::new(verbose, only)));
            }
        }
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if reports.iter().any(|r| !r.violated().is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_test(
    paths: &[PathBuf],
    rulesets: &[PathBuf],
    junit: Option<PathBuf>,
    coverage: bool,
    calendar_files: &[PathBuf],
) -> ExitCode {
    // Without --rulesets: the project's rulesets/ when there is one (a file
    // that holds its own ruleset needs none; a missing default is no error).
    let default = [PathBuf::from("rulesets")];
    let rulesets = match rulesets {
        [] if default.iter().all(|d| d.is_dir()) => &default[..],
        r => r,
    };
    let run = suite::run_with_calendar_files(paths, rulesets, calendar_files);
    for c in &run.cases {
        let rs = c.ruleset.as_deref().unwrap_or("?");
        match &c.outcome {
            Outcome::Passed => out!("通过  {} · {}（{}）", c.file, c.scenario, rs),
            Outcome::Failed(lines) => {
                out!("失败  {} · {}（{}）", c.file, c.scenario, rs);
                for l in lines {
                    out!("      {l}");
                }
            }
            Outcome::Error(diags) => {
                out!("出错  {} · {}", c.file, c.scenario);
                err!("{}", render(diags, color()).trim_end_matches('\n'));
            }
        }
    }
    if let Some(path) = junit
        && let Err(e) = guize::fsio::write_atomic(&path, report::junit(&run).as_bytes())
    {
        return fail(&[guize::fsio::write_error(&path, &e)]);
    }
    if coverage {
        out!("{}", report::coverage(&run).trim_end_matches('\n'));
    }
    out!(
        "通过 {}，未通过 {}（共 {} 个情景）",
        run.passed(),
        run.failed(),
        run.cases.len()
    );
    if run.cases.is_empty() {
        // Exit 1 as before, now with the reason.
        err!(
            "没有带“预期”的情景，没有测试任何内容：在情景中写 预期 符合 或 预期 违反 …（只看结论请用 guize check）"
        );
    }
    if run.failed() == 0 && !run.cases.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn cmd_vocab(ruleset: &std::path::Path, format: DiffFormat) -> ExitCode {
    let rs = match load_ruleset(ruleset, &[]) {
        Ok(rs) => rs,
        Err(e) => return fail(&e),
    };
    let v = guize::vocab::vocabulary(&rs);
    match format {
        DiffFormat::Human => out!("{}", v.human().trim_end_matches('\n')),
        DiffFormat::Json => match serde_json::to_string_pretty(&v) {
            Ok(s) => out!("{s}"),
            Err(e) => {
                err!("内部错误：词表无法写成 JSON：{e}");
                return ExitCode::from(2);
            }
        },
    }
    ExitCode::SUCCESS
}

fn cmd_cite(ruleset: &std::path::Path, source: &std::path::Path) -> ExitCode {
    let (rs, text) = match (load_ruleset(ruleset, &[]), guize::load(source)) {
        (Ok(rs), Ok(text)) => (rs, text),
        (a, b) => {
            let mut e = a.err().unwrap_or_default();
            e.extend(b.err());
            return fail(&e);
        }
    };
    let report = guize::cite::cite(&rs, &text);
    if !report.diags.is_empty() {
        err!("{}", render(&report.diags, color()).trim_end_matches('\n'));
    }
    out!("{}", report.human().trim_end_matches('\n'));
    if report.mismatches() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn cmd_date(
    expr: &[String],
    workday: Option<&str>,
    calendar: &str,
    calendar_files: &[PathBuf],
) -> ExitCode {
    let Some(id) = CalendarId::from_name(calendar) else {
        err!(
            "guize::calendar::unknown: 未知的日历“{calendar}”\n  help: 可用的日历：{}",
            CalendarId::ALL_NAMES.join("、")
        );
        return ExitCode::from(2);
    };
    let base = match Calendar::shared(id) {
        Ok(c) => c,
        Err(e) => {
            err!("guize::calendar::data: {e}");
            return ExitCode::from(2);
        }
    };
    let cal = if calendar_files.is_empty() {
        base
    } else {
        let files = match project(calendar_files) {
            Ok(p) => p.calendar_files,
            Err(e) => return fail(&e),
        };
        match base.with_files(&files) {
            Ok(c) => std::sync::Arc::new(c),
            Err(e) => return fail(&e),
        }
    };
    if let Some(day) = workday {
        return match datecalc::workday_in(day, &cal) {
            Ok(s) => {
                out!("{}", s.explain());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d]),
        };
    }
    let joined = expr.join(" ");
    match datecalc::evaluate_in(&joined, &cal) {
        Ok(a) => {
            out!("{}", a.result);
            ExitCode::SUCCESS
        }
        Err(d) => fail(&[d]),
    }
}

/// Which of the audit's findings are listed: `--all` (every format),
/// `--only 违反,…` (human only; see [`report::Listing`]).
struct Shown {
    all: bool,
    only: Vec<guize::Verdict>,
}

fn cmd_audit(
    ruleset: &std::path::Path,
    log: &std::path::Path,
    format: AuditFormat,
    cutoff: Option<&str>,
    opts: guize::audit::AuditOptions,
    shown: Shown,
    calendar_files: &[PathBuf],
) -> ExitCode {
    let all = shown.all;
    if let Some(d) = wrong_command(
        log,
        "guize",
        "这是规则集或情景文件，不是 JSON Lines 事件日志",
        "情景请用 guize check 规则集文件 情景文件；guize audit 读每行一个 JSON 对象的日志",
    ) {
        return fail(&[d]);
    }
    let versions = match load_versions(ruleset, calendar_files) {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    if versions.len() > 1 && log.as_os_str() == "-" {
        let d = Diag::error(
            guize::diag::code::IO_NOT_FILE,
            Default::default(),
            "规则集文件中有多个版本时，日志须是文件（每个版本各读一遍），不能是标准输入",
        )
        .help("把日志保存为文件再审计");
        return fail(&[d]);
    }
    // Each version judges the events dated in its own force (施行 … 废止):
    // together, every event is judged by the version in force on its date.
    let mut worst = 0u8;
    // --only may name 符合 or 不适用: the page lists what the filter let through.
    let mut page = guize::html::AuditReport::new(all || !shown.only.is_empty());
    for rs in &versions {
        if versions.len() > 1 {
            match format {
                AuditFormat::Html => {}
                AuditFormat::Jsonl => out!(
                    "{}",
                    serde_json::json!({"type": "version", "ruleset": rs.name,
                        "effective": rs.effective, "repealed": rs.repealed})
                ),
                AuditFormat::Human => out!(
                    "—— 版本：{}（{}）——",
                    rs.name,
                    guize::report::force_text(rs)
                ),
            }
        }
        // 0 no 违反, 1 some 违反, 2 rejected records or bad input.
        worst = worst.max(audit_one(rs, log, format, cutoff, opts, &shown, &mut page));
    }
    if let AuditFormat::Html = format {
        emit(&page.render());
    }
    ExitCode::from(worst)
}

/// The rulesets of a file: one, or successive versions of one
/// jurisdiction's rules (the same 制定, each 废止 on or before the next
/// 施行). Several unrelated rulesets are an error: which one?
fn load_versions(
    path: &std::path::Path,
    calendar_files: &[PathBuf],
) -> Result<Vec<guize::compile::ir::Ruleset>, Vec<Diag>> {
    let mut p = project(calendar_files)?;
    p.load_paths(&[path])?;
    let mut all = p.rulesets;
    if all.len() <= 1 {
        return match all.pop() {
            Some(rs) => Ok(vec![rs]),
            None => Err(vec![
                Diag::error(
                    guize::diag::code::RULESET_MISSING,
                    Default::default(),
                    format!("{} 中没有规则集", path.display()),
                )
                .help("应是含“规则集 … { … }”的文件"),
            ]),
        };
    }
    all.sort_by_key(|r| r.effective);
    let chained = all.windows(2).all(|w| match w {
        [a, b] => {
            a.enacted_by.is_some()
                && a.enacted_by == b.enacted_by
                && matches!((a.repealed, b.effective), (Some(end), Some(start)) if end <= start)
        }
        _ => true,
    });
    if chained {
        return Ok(all);
    }
    let names: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
    Err(vec![
        Diag::error(
            guize::diag::code::RULESET_AMBIGUOUS,
            Default::default(),
            format!(
                "{} 中有 {} 个规则集（{}），不是同一机关先后施行的版本，不知审计依据哪一个",
                path.display(),
                all.len(),
                names.join("、")
            ),
        )
        .help("审计一个规则集：把它单独存为一个文件；同一规则的先后版本须有相同的“制定”，且旧版的“废止”不晚于新版的“施行”"),
    ])
}

fn audit_one(
    rs: &guize::compile::ir::Ruleset,
    log: &std::path::Path,
    format: AuditFormat,
    cutoff: Option<&str>,
    mut opts: guize::audit::AuditOptions,
    shown: &Shown,
    page: &mut guize::html::AuditReport,
) -> u8 {
    let all = shown.all;
    use guize::audit::AuditItem;
    use std::io::Write as _;
    let fail = |e: &[Diag]| {
        let _ = fail(e);
        2
    };
    if let Some(c) = cutoff {
        match datecalc::parse_date(c) {
            Some(d) => {
                // A cutoff the calendar cannot count to leaves every
                // deadline near it unjudged.
                if let Err(e) = rs.calendar.covers(d) {
                    let d = Diag::error(
                        guize::diag::code::CALENDAR_OUT_OF_RANGE,
                        Default::default(),
                        format!(
                            "--cutoff 的“{c}”不在日历“{}”之内：{e}",
                            rs.calendar.display_name()
                        ),
                    )
                    .help("截至日期须在日历覆盖的年份内");
                    return fail(&[d]);
                }
                opts.cutoff = Some(d)
            }
            None => {
                let d = Diag::error(
                    guize::diag::code::SYNTAX_DATE,
                    Default::default(),
                    format!("--cutoff 的“{c}”不是有效日期"),
                )
                .help("日期写作 2023-12-31，且须是日历上存在的日子");
                return fail(&[d]);
            }
        }
    }
    let name = log.display().to_string();
    let reader: Box<dyn std::io::Read> = if name == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        // A regular file only: a FIFO or a device would block or never end.
        match guize::fsio::open_regular(log) {
            Ok((f, _)) => Box::new(f),
            Err(d) => return fail(&[d]),
        }
    };
    let progress = progress_bar(log);
    let reader: Box<dyn std::io::Read> = match &progress {
        Some(p) => Box::new(p.wrap_read(reader)),
        None => reader,
    };
    let reader = std::io::BufReader::with_capacity(1 << 16, reader);
    if let AuditFormat::Html = format {
        page.begin(rs, &name);
    }
    // Findings go through one buffer on the locked stdout, flushed before
    // anything goes to stderr (the two stay in order when they are one
    // file), before the summary and before an error.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut line = Vec::new();
    // The first finding goes out at once, as it did unbuffered: a reader
    // that wants no more (`| head -1`) has closed the pipe by the next
    // flush, which then ends the audit quietly, as before.
    let mut first = true;
    let mut first_out = |w: &mut std::io::BufWriter<std::io::StdoutLock<'_>>| {
        if std::mem::take(&mut first) {
            flush_or_exit(w);
        }
    };
    let mut echo = report::RejectionEcho::default();
    let mut echo_lines = |item: &AuditItem| match item {
        AuditItem::Rejected { line, diags } => echo.lines(Some(*line), diags),
        AuditItem::Unchecked { diags } => echo.lines(None, diags),
        AuditItem::Warning { line, diags } => echo.lines(Some(*line), diags),
        AuditItem::Finding { .. } => Vec::new(),
    };
    // --only in every format (it was read by the human one alone, and
    // the others printed every verdict without a word).
    let listing = report::Listing::new(all, &shown.only);
    let listed = |item: &AuditItem| match item {
        AuditItem::Finding { finding, .. } => listing.shows(finding.verdict),
        _ => true,
    };
    // With --only, what it names is listed, 符合 and 不适用 included.
    let all_listed = all || !shown.only.is_empty();
    let mut emit = |item: AuditItem| match format {
        AuditFormat::Html => {
            for l in echo_lines(&item) {
                err!("{l}");
            }
            if listed(&item) {
                page.item(item);
            }
        }
        AuditFormat::Jsonl => {
            line.clear();
            if !listed(&item) {
                return;
            }
            report::audit_jsonl_into(&item, all_listed, &mut line);
            if let Err(e) = stdout.write_all(&line) {
                stdout_failed(&e);
            }
            if !line.is_empty() {
                first_out(&mut stdout);
            }
        }
        AuditFormat::Human => match &item {
            AuditItem::Finding { finding, offender } => {
                let show = report::Listing::new(all, &shown.only).shows(finding.verdict);
                if show
                    && let Err(e) = report::write_audit_finding_line(
                        &mut stdout,
                        finding,
                        offender.as_ref().map(|p| p.name()),
                    )
                {
                    stdout_failed(&e);
                }
                if show {
                    first_out(&mut stdout);
                }
            }
            AuditItem::Rejected { .. }
            | AuditItem::Unchecked { .. }
            | AuditItem::Warning { .. } => {
                flush_or_exit(&mut stdout);
                for l in echo_lines(&item) {
                    err!("{l}");
                }
            }
        },
    };
    let result = guize::audit::audit_reader(rs, &name, reader, opts, &mut emit);
    flush_or_exit(&mut stdout);
    for l in echo.summary() {
        err!("{l}");
    }
    let stats = match result {
        Ok(s) => s,
        Err(d) => return fail(&[d]),
    };
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    match format {
        AuditFormat::Html => page.finish(stats.clone()),
        AuditFormat::Jsonl => out!("{}", report::audit_summary_json(&stats)),
        AuditFormat::Human => out!(
            "{}",
            report::audit_summary(&stats, &rs.name, &name).trim_end_matches('\n')
        ),
    }
    if stats.rejected > 0 {
        2
    } else if stats.total(guize::Verdict::Violated) > 0 {
        1
    } else {
        0
    }
}

/// A progress bar over the log's bytes, when stderr is a terminal.
fn progress_bar(log: &std::path::Path) -> Option<indicatif::ProgressBar> {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let len = std::fs::metadata(log).ok()?.len();
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} 剩余 {eta}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Writes the generated log through, auditing each line as it is
/// completed (`guize gen`'s count of the breaches the log really holds).
struct AuditingWriter<'r, W: std::io::Write> {
    out: W,
    audit: guize::audit::Audit<'r>,
    /// The line being written (the generator writes whole lines; a part
    /// waits here for its end).
    line: Vec<u8>,
    number: usize,
}

impl<W: std::io::Write> AuditingWriter<'_, W> {
    fn finish(mut self) -> guize::audit::AuditStats {
        if !self.line.is_empty() {
            self.number += 1;
            self.audit.bytes(self.number, &self.line, &mut |_| {});
        }
        self.audit.finish(&mut |_| {})
    }
}

impl<W: std::io::Write> std::io::Write for AuditingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        let mut rest = buf.get(..n).unwrap_or_default();
        while let Some(end) = rest.iter().position(|b| *b == b'\n') {
            let (head, tail) = rest.split_at(end);
            self.line.extend_from_slice(head);
            self.number += 1;
            self.audit.bytes(self.number, &self.line, &mut |_| {});
            self.line.clear();
            rest = tail.get(1..).unwrap_or_default();
        }
        self.line.extend_from_slice(rest);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn cmd_gen(
    ruleset: &std::path::Path,
    calendar_files: &[PathBuf],
    opts: guize::generate::GenOptions,
) -> ExitCode {
    let rs = match load_ruleset(ruleset, calendar_files) {
        Ok(rs) => rs,
        Err(e) => return fail(&e),
    };
    if let Err(d) = guize::generate::validate(&rs, &opts) {
        return fail(&[d]);
    }
    let stdout = std::io::stdout();
    // The log is audited as it is written (line by line, nothing kept):
    // the generator builds compliant surroundings for some rules only, so
    // the faults it injects are not all the breaches the log holds.
    let mut w = AuditingWriter {
        out: std::io::BufWriter::new(stdout.lock()),
        audit: guize::audit::Audit::new(&rs, "gen", guize::audit::AuditOptions::default()),
        line: Vec::new(),
        number: 0,
    };
    match guize::generate::generate(&rs, opts, &mut w) {
        Ok(stats) => {
            use std::io::Write as _;
            if let Err(e) = w.out.flush() {
                stdout_failed(&e);
            }
            let audited = w.finish();
            // No events (`--events 0`): no date range to name.
            let range = match (stats.first, stats.last) {
                (Some(a), Some(z)) => format!("，{a} 至 {z}"),
                _ => String::new(),
            };
            let violated = audited.total(guize::Verdict::Violated);
            err!(
                "已生成 {} 条事件（{} 条记录{range}），故意违反 {} 处；按本规则集审计，日志中共有违反 {violated} 处{}",
                stats.events,
                stats.records,
                stats.faults,
                if violated > stats.faults {
                    "（生成器只为部分规则构造合规的前后事件，其余的违反不是故意注入的；逐条见 guize audit）"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        // A closed pipe (`| head`) ends output quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => stdout_failed(&e),
    }
}
