//! guize (规则): rules-as-code for the procedural rules of Chinese local
//! governments (人民政府工作规则).
//!
//! One pipeline for the CLI, the REPL and the tests:
//! [`load`] → [`syntax::parse`] → [`compile::compile_ruleset`] /
//! [`compile::compile_scenario`] → [`check::check`], with [`Project`] tying
//! files together and [`suite`] running scenarios that carry 预期.

// Diagnostics are large by design (source, spans, help) and only on the
// cold error path; boxing them everywhere would buy nothing.
#![allow(clippy::result_large_err)]

pub mod audit;
pub mod calendar;
pub mod check;
pub mod cite;
pub mod compile;
pub mod datecalc;
pub mod diag;
pub mod diff;
pub mod fmt;
pub mod fsio;
pub mod generate;
pub mod html;
pub mod json;
pub mod lint;
pub mod repl;
pub mod report;
pub mod same_text;
pub mod suite;
pub mod syntax;
pub mod textdiff;
pub mod vocab;
pub mod why;

use std::path::Path;

use compile::ir::{Ruleset, Scenario};
use diag::{Diag, Source, code};
use syntax::Piece;
use syntax::ast::{self, Span};

pub use check::{Finding, ScenarioReport, Verdict, check};

/// Read a file as UTF-8 text, with coded errors for unreadable files, for
/// anything but a regular file (a FIFO would block forever) and for files
/// over [`fsio::MAX_FILE_BYTES`].
pub fn load(path: &Path) -> Result<Source, Diag> {
    let name = path.display().to_string();
    let bytes = fsio::read_regular(path, fsio::MAX_FILE_BYTES)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = Source::new(name.clone(), text);
            Err(Diag::error(
                code::IO_UTF8,
                // The lossy text has U+FFFD where the bad bytes were.
                Span::new(at, at + '\u{FFFD}'.len_utf8()),
                format!("文件 {name} 不是 UTF-8 编码"),
            )
            .label("从这里起不是有效的 UTF-8")
            .help("用 UTF-8 保存文件（GBK/GB18030 编码的文件请先转换：iconv -f GBK -t UTF-8）")
            .in_source(&src))
        }
    }
}

/// A source file parsed: a JSON scenario or a `.guize` file.
enum Parsed {
    Json(Box<ast::Scenario>),
    Guize(ast::File),
}

fn parse_source(source: &Source) -> Result<Parsed, Vec<Diag>> {
    if source.name.ends_with(".json") {
        json::parse_scenario(source).map(|s| Parsed::Json(Box::new(s)))
    } else {
        syntax::parse(source).map(Parsed::Guize)
    }
}

/// A file parsed whole, or cut into its items because it did not parse.
enum Loaded {
    Whole(Parsed),
    Pieces(Vec<Piece>),
}

/// A parsed scenario together with the file it came from.
#[derive(Debug, Clone)]
pub struct ScenarioSource {
    pub ast: ast::Scenario,
    pub source: Source,
}

/// Everything loaded from a set of files: compiled rulesets and parsed
/// scenarios (compiled per ruleset when checked).
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub rulesets: Vec<Ruleset>,
    pub scenarios: Vec<ScenarioSource>,
    /// Holiday data added to every ruleset compiled from now on, after the
    /// ruleset's own `补充` files (`--calendar-file`).
    pub calendar_files: Vec<Source>,
}

impl Project {
    /// Read supplement files (`--calendar-file`) for every ruleset loaded
    /// after this; each is checked against the schema here, once (conflicts
    /// with a ruleset's calendar are found when the ruleset is compiled).
    pub fn add_calendar_files(&mut self, paths: &[impl AsRef<Path>]) -> Result<(), Vec<Diag>> {
        let mut errors = Vec::new();
        for p in paths {
            match calendar::read_file(p.as_ref()) {
                Ok(src) => match calendar::check_file(&src) {
                    Ok(()) => self.calendar_files.push(src),
                    Err(e) => errors.extend(e),
                },
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Parse and compile one source; rulesets are compiled, scenarios kept.
    pub fn add_source(&mut self, source: &Source) -> Result<(), Vec<Diag>> {
        let parsed = parse_source(source)?;
        self.add_parsed(parsed, source)
    }

    fn add_parsed(&mut self, parsed: Parsed, source: &Source) -> Result<(), Vec<Diag>> {
        let file = match parsed {
            Parsed::Json(ast) => {
                self.scenarios.push(ScenarioSource {
                    ast: *ast,
                    source: source.clone(),
                });
                return Ok(());
            }
            Parsed::Guize(file) => file,
        };
        let mut errors = Vec::new();
        for r in &file.rulesets {
            if let Some(prev) = self.rulesets.iter().find(|x| x.name == r.name.node) {
                errors.push(
                    Diag::error(
                        code::RULESET_DUPLICATE,
                        r.name.span,
                        format!("规则集“{}”已载入", r.name.node),
                    )
                    .label("同名规则集")
                    .help(format!(
                        "已从 {} 载入同名规则集；修订版请改名（如加“（修订稿）”）",
                        prev.source.name
                    ))
                    .in_source(source),
                );
                continue;
            }
            match compile::compile_ruleset_with(r, source, &self.calendar_files) {
                Ok(rs) => self.rulesets.push(rs),
                Err(e) => errors.extend(e),
            }
        }
        self.scenarios
            .extend(file.scenarios.into_iter().map(|ast| ScenarioSource {
                ast,
                source: source.clone(),
            }));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Load files (`.guize`), collecting every error rather than stopping at
    /// the first file.
    pub fn load_paths(&mut self, paths: &[impl AsRef<Path> + Sync]) -> Result<(), Vec<Diag>> {
        let errors: Vec<Diag> = self
            .load_each(paths)
            .into_iter()
            .filter_map(Result::err)
            .flatten()
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Load files, with each file's errors apart. Files are read and parsed
    /// in parallel, then added in order.
    pub fn load_each(&mut self, paths: &[impl AsRef<Path> + Sync]) -> Vec<Result<(), Vec<Diag>>> {
        use rayon::prelude::*;
        let parsed: Vec<Result<(Source, Parsed), Vec<Diag>>> = paths
            .par_iter()
            .map(|p| {
                let src = load(p.as_ref()).map_err(|e| vec![e])?;
                let parsed = parse_source(&src)?;
                Ok((src, parsed))
            })
            .collect();
        parsed
            .into_iter()
            .map(|item| {
                let (src, p) = item?;
                self.add_parsed(p, &src)
            })
            .collect()
    }

    /// Load files as [`Project::load_each`] does, except that a `.guize`
    /// file that does not parse whole is cut into its items
    /// ([`syntax::parse_pieces`]): the items that parse are added, and each
    /// one that does not is an error of its own, named by its head
    /// (`情景“…”`) where it has one. Per file, its errors.
    pub fn load_each_partial(
        &mut self,
        paths: &[impl AsRef<Path> + Sync],
    ) -> Vec<Vec<(Option<String>, Vec<Diag>)>> {
        use rayon::prelude::*;
        let parsed: Vec<Result<(Source, Loaded), Vec<Diag>>> = paths
            .par_iter()
            .map(|p| {
                let src = load(p.as_ref()).map_err(|e| vec![e])?;
                match parse_source(&src) {
                    Ok(parsed) => Ok((src, Loaded::Whole(parsed))),
                    Err(e) if src.name.ends_with(".json") => Err(e),
                    Err(e) => match syntax::parse_pieces(&src) {
                        Some(pieces) if pieces.len() > 1 => Ok((src, Loaded::Pieces(pieces))),
                        _ => Err(e),
                    },
                }
            })
            .collect();
        parsed
            .into_iter()
            .map(|item| match item {
                Err(e) => vec![(None, e)],
                Ok((src, Loaded::Whole(p))) => match self.add_parsed(p, &src) {
                    Ok(()) => Vec::new(),
                    Err(e) => vec![(None, e)],
                },
                Ok((src, Loaded::Pieces(pieces))) => pieces
                    .into_iter()
                    .filter_map(|piece| {
                        let result = piece
                            .parsed
                            .and_then(|file| self.add_parsed(Parsed::Guize(file), &src));
                        result.err().map(|e| (piece.title, e))
                    })
                    .collect(),
            })
            .collect()
    }

    pub fn ruleset(&self, name: &str) -> Option<&Ruleset> {
        self.rulesets.iter().find(|r| r.name == name)
    }

    /// The rulesets a scenario is checked under: its 依据 (one or more), or
    /// the only ruleset loaded.
    pub fn rulesets_for(&self, sc: &ScenarioSource) -> Result<Vec<&Ruleset>, Diag> {
        if sc.ast.basis.is_empty() {
            return match self.rulesets.as_slice() {
                [only] => Ok(vec![only]),
                _ => Err(Diag::error(
                    code::RULESET_MISSING,
                    sc.ast.name.span,
                    format!("情景“{}”没有写“依据”", sc.ast.name.node),
                )
                .label("依据哪个规则集？")
                .help("在情景中加一行“依据 规则集名称”")
                .in_source(&sc.source)),
            };
        }
        sc.ast
            .basis
            .iter()
            .map(|b| {
                self.ruleset(&b.node).ok_or_else(|| {
                    compile::names::unknown(
                        "规则集",
                        b,
                        self.rulesets.iter().map(|r| r.name.as_str()),
                        "用 guize check 规则集文件 情景文件 或 guize test 情景 --rulesets 规则集目录 指定规则集，或把规则集文件一并载入",
                    )
                    .with_code(code::RULESET_MISSING)
                    .in_source(&sc.source)
                })
            })
            .collect()
    }
}

/// Check every loaded scenario under `rs`, in parallel (scenarios are
/// independent); results in load order.
pub fn check_all(
    rs: &Ruleset,
    scenarios: &[ScenarioSource],
) -> Vec<Result<ScenarioReport, Vec<Diag>>> {
    use rayon::prelude::*;
    scenarios
        .par_iter()
        .map(|sc| check_scenario(rs, sc).map(|(_, r)| r))
        .collect()
}

/// Check every loaded scenario as `guize check` does: under each ruleset
/// its 依据 names, or under `default` when it names none. A scenario whose
/// 依据 names a ruleset that is not loaded is an error (never checked under
/// another). In parallel; results in load order, one per (scenario, ruleset).
pub fn check_by_basis(
    project: &Project,
    default: &Ruleset,
) -> Vec<Result<ScenarioReport, Vec<Diag>>> {
    check_each(project, default, false)
        .into_iter()
        .map(|r| r.map(|(report, _)| report))
        .collect()
}

/// One scenario checked under one ruleset: its report and warnings, or
/// the errors that stopped it.
pub type Warned = Result<(ScenarioReport, Vec<Diag>), Vec<Diag>>;

/// [`check_by_basis`] with each checked scenario's warnings (a 情形 no
/// rule tests, an act no rule reads), from the scenario compiled once.
pub fn check_by_basis_warned(project: &Project, default: &Ruleset) -> Vec<Warned> {
    check_each(project, default, true)
}

fn check_each(project: &Project, default: &Ruleset, warn: bool) -> Vec<Warned> {
    use rayon::prelude::*;
    let per_scenario: Vec<Vec<Warned>> = project
        .scenarios
        .par_iter()
        .map(|sc| {
            let rulesets = if sc.ast.basis.is_empty() {
                vec![default]
            } else {
                match project.rulesets_for(sc) {
                    Ok(r) => r,
                    Err(d) => return vec![Err(vec![d])],
                }
            };
            rulesets
                .into_iter()
                .map(|rs| check_scenario_with(rs, sc, warn))
                .collect()
        })
        .collect();
    per_scenario.into_iter().flatten().collect()
}

/// A scenario's warnings under one ruleset, in its file: each 情形 no rule
/// tests, each act on a document kind no rule reads with that verb, each
/// event a per-group 频次 rule cannot place; read from the context the
/// check ran in (its scenario and index).
pub fn warnings_under(sc: &ScenarioSource, ctx: &check::Ctx<'_>) -> Vec<Diag> {
    let mut out = lint::unknown_tags(ctx.rs, &sc.ast);
    out.extend(lint::unread_acts(ctx.rs, ctx.sc));
    out.extend(lint::ungrouped(ctx));
    out.into_iter().map(|d| d.in_source(&sc.source)).collect()
}

/// [`check_scenario`] and the scenario's warnings ([`warnings_under`]),
/// from one compiled scenario and one context.
pub fn check_scenario_warned(
    rs: &Ruleset,
    sc: &ScenarioSource,
) -> Result<(ScenarioReport, Vec<Diag>), Vec<Diag>> {
    let compiled = compile::compile_scenario(rs, &sc.ast, &sc.source)?;
    let ctx = check::Ctx::new(rs, &compiled)?;
    let report = check::check_in(&ctx, check::CheckOptions::default())?;
    Ok((report, warnings_under(sc, &ctx)))
}

/// [`check_scenario_warned`], or without the warnings (none, not
/// computed) when `warn` is false.
pub fn check_scenario_with(rs: &Ruleset, sc: &ScenarioSource, warn: bool) -> Warned {
    if warn {
        check_scenario_warned(rs, sc)
    } else {
        check_scenario(rs, sc).map(|(_, report)| (report, Vec::new()))
    }
}

/// Compile a scenario under a ruleset and check it.
pub fn check_scenario(
    rs: &Ruleset,
    sc: &ScenarioSource,
) -> Result<(Scenario, ScenarioReport), Vec<Diag>> {
    let compiled = compile::compile_scenario(rs, &sc.ast, &sc.source)?;
    let report = check::check(rs, &compiled)?;
    Ok((compiled, report))
}
