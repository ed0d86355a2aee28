//! A REPL session: loaded rulesets, the scenario being typed, and the
//! commands. Every command returns its output as text, so the interactive
//! loop, piped input and tests print the same thing. No checking logic here:
//! everything goes through the library pipeline.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use std::sync::Arc;

use crate::calendar::{Calendar, CalendarId};
use crate::check::{ScenarioReport, Verdict};
use crate::compile::ir::Ruleset;
use crate::diag::{Diag, Source, render};
use crate::syntax::StatementKind;
use crate::syntax::ast::Span;
use crate::{Project, datecalc, diff, report, syntax, why};

use super::command::{Command, CommandName, is_command};
use super::declarations::TypedDeclarations;

/// Name of the scenario typed at the prompt.
const SCENARIO_NAME: &str = "交互情景";

/// With piped input, a scenario is checked after each statement up to this
/// many statements; beyond, when its statement count is a power of two,
/// before a command and at the end of the input. Checking the whole
/// scenario per line made n piped lines cost n² (1,000 lines: 13 s).
pub const CHECK_EACH_LINE_UP_TO: usize = 256;

/// One statement of the current scenario: its text as written (no
/// comments) and which statement the parser read it as.
#[derive(Debug, Clone)]
struct Statement {
    text: String,
    kind: StatementKind,
}

impl Statement {
    fn read(source: &Source, statement: &syntax::ScenarioStatement) -> Statement {
        Statement {
            text: source.slice(statement.span).to_string(),
            kind: statement.kind,
        }
    }
}

/// What the loop should do after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Continue,
    Quit,
}

#[derive(Default)]
pub struct Session {
    project: Project,
    /// Files loaded, with their modification time when read.
    files: Vec<(PathBuf, Option<SystemTime>)>,
    active: Option<String>,
    /// Declarations typed at the prompt, per ruleset, held apart from its
    /// file's text.
    typed_decls: Vec<TypedDeclarations>,
    /// Statements of the current scenario, as typed.
    statements: Vec<Statement>,
    /// The name of a 情景 typed whole; else 交互情景.
    name: Option<String>,
    /// Verdicts after the last change, to report what a new event changed.
    last: Option<ScenarioReport>,
    color: bool,
    /// Piped input: large scenarios are checked in batches
    /// ([`CHECK_EACH_LINE_UP_TO`]).
    check_in_batches: bool,
    /// Statements at the end of `lines` read but not yet checked.
    unchecked: usize,
    /// The batching note was shown for the current scenario.
    batching_noted: bool,
    /// The note that a record without 截至 is taken as complete was shown
    /// for the current scenario (reviewer trial #14, stop 35).
    cutoff_noted: std::cell::Cell<bool>,
    /// An error was shown: piped input then exits with 2, so a script
    /// with a mistake does not pass for a clean run.
    error_shown: std::cell::Cell<bool>,
}

impl Session {
    pub fn new(color: bool) -> Session {
        Session {
            color,
            ..Session::default()
        }
    }

    /// Check large scenarios in batches rather than after every line
    /// (piped input, where nobody reads between lines).
    pub fn check_in_batches(&mut self) {
        self.check_in_batches = true;
    }

    /// At the end of the input: check the statements read since the last
    /// check, and say what they changed.
    pub fn finish(&mut self) -> String {
        self.check_unchecked()
    }

    pub fn ruleset(&self) -> Option<&Ruleset> {
        let name = self.active.as_ref()?;
        self.project.ruleset(name)
    }

    /// The current ruleset's articles: number and display (第五十七条),
    /// for completing `:why` and `:rules`.
    pub fn articles(&self) -> Vec<(u32, String)> {
        self.ruleset()
            .map(|rs| {
                rs.articles
                    .iter()
                    .map(|a| (a.number, a.display.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Names for completion: positions, meeting and document kinds, units,
    /// people of the current scenario, article numbers.
    pub fn vocabulary(&self) -> Vec<String> {
        let mut v: BTreeSet<String> = BTreeSet::new();
        if let Some(rs) = self.ruleset() {
            v.extend(rs.positions.names.iter().cloned());
            v.extend(rs.meeting_names.names.iter().cloned());
            v.extend(rs.document_names.names.iter().cloned());
            v.extend(rs.units.iter().cloned());
            v.extend(rs.articles.iter().map(|a| a.display.to_string()));
        }
        // The people of the current scenario, as the parser reads them (a
        // change on a day starts with its date: 2025-06-01 人员 李某 任 …).
        if let Some(rs) = self.ruleset()
            && self
                .statements
                .iter()
                .any(|st| st.kind == StatementKind::Person)
        {
            let src = Source::new("<情景>", self.scenario_source(rs));
            let mut p = Project::default();
            if p.add_source(&src).is_ok() {
                for sc in &p.scenarios {
                    v.extend(sc.ast.people.iter().map(|x| x.name.node.clone()));
                }
            }
        }
        v.into_iter().collect()
    }

    /// Supplement holiday files (`--calendar-file`) for every ruleset
    /// loaded from now on; Err: the rendered diagnostics.
    pub fn add_calendar_files(&mut self, paths: &[PathBuf]) -> Result<(), String> {
        self.project
            .add_calendar_files(paths)
            .map_err(|e| self.render(&e))
    }

    /// An empty project with the session's supplement files.
    fn fresh_project(&self) -> Project {
        Project {
            calendar_files: self.project.calendar_files.clone(),
            ..Project::default()
        }
    }

    fn render(&self, d: &[Diag]) -> String {
        if d.iter().any(|d| d.severity == miette::Severity::Error) {
            self.error_shown.set(true);
        }
        render(d, self.color)
    }

    /// Has an error been shown (a diagnostic of severity error)?
    pub fn error_shown(&self) -> bool {
        self.error_shown.get()
    }

    /// Diagnostics of the current scenario (`<情景>`, the text the session
    /// assembles) that point into the statements from `first` on, which
    /// were typed as `typed` (their spans in `input`), moved to where they
    /// were typed: the drafter sees the line they typed, not the
    /// assembled scenario around it. Others are left where they are.
    fn at_typed(
        &self,
        errors: Vec<Diag>,
        first: usize,
        typed: &[Span],
        input: &Source,
    ) -> Vec<Diag> {
        let Some(rs) = self.ruleset() else {
            return errors;
        };
        let starts = self.scenario_source_with_starts(rs).1;
        let typed_at = |at: usize| {
            typed.iter().enumerate().find_map(|(k, sp)| {
                let start = *starts.get(first + k)?;
                let within = at >= start && at <= start + (sp.end - sp.start);
                within.then(|| sp.start + (at - start))
            })
        };
        let moved = |sp: Span| Some(Span::new(typed_at(sp.start)?, typed_at(sp.end)?));
        errors
            .into_iter()
            .map(|d| {
                let related: Option<Vec<(Span, String)>> = d
                    .related
                    .iter()
                    .map(|(sp, l)| Some((moved(*sp)?, l.clone())))
                    .collect();
                match (moved(d.span), related) {
                    (Some(span), Some(related)) => {
                        let mut d = d;
                        d.span = span;
                        d.related = related;
                        d.reattach(input)
                    }
                    _ => d,
                }
            })
            .collect()
    }

    /// Of the assembled scenario's warnings, those about the statements
    /// from `first` on, shown where they were typed as `typed`.
    fn typed_warnings(
        &self,
        warnings: Vec<Diag>,
        first: usize,
        typed: &[Span],
        input: &Source,
    ) -> Vec<Diag> {
        let Some(from) = self
            .ruleset()
            .and_then(|rs| self.scenario_source_with_starts(rs).1.get(first).copied())
        else {
            return Vec::new();
        };
        let mine = warnings
            .into_iter()
            .filter(|d| d.span.start >= from)
            .collect();
        self.at_typed(mine, first, typed, input)
    }

    /// Evaluate one complete input (a command or a language fragment).
    pub fn eval(&mut self, input: &str) -> (String, Next) {
        let t = input.trim();
        if t.is_empty() {
            return (String::new(), Next::Continue);
        }
        if is_command(t) {
            // A command sees the scenario checked, as typed so far.
            let checked = self.check_unchecked();
            let (out, next) = match Command::parse(t) {
                Ok(command) => self.run_command(command),
                Err(d) => (self.render(&[d]), Next::Continue),
            };
            return (checked + &out, next);
        }
        (self.fragment(t), Next::Continue)
    }

    /// Run a parsed command.
    pub fn run_command(&mut self, command: Command) -> (String, Next) {
        let out = match command {
            Command::Quit => return (String::new(), Next::Quit),
            Command::Help => help(),
            Command::Load(paths) => self.load_all(&paths),
            Command::Reload => self.reload(),
            Command::Use(name) => self.use_ruleset(name.as_deref().unwrap_or("")),
            Command::Rules(article) => self.rules(article.as_deref().unwrap_or("")),
            Command::Vocab => match self.ruleset() {
                Some(rs) => crate::vocab::vocabulary(rs).human(),
                None => "还没有当前规则集：先 :load 规则集文件\n".into(),
            },
            Command::Scenario => self.scenario_text(),
            Command::Check => self.check(true),
            Command::Why(article) => self.why(article.as_deref().unwrap_or("")),
            Command::Date(expr) => self.date(expr.as_deref().unwrap_or("")),
            Command::Workday(date) => self.workday(date.as_deref().unwrap_or("")),
            Command::Reset => {
                self.statements.clear();
                self.name = None;
                self.last = None;
                self.batching_noted = false;
                self.cutoff_noted.set(false);
                "已清空当前情景\n".to_string()
            }
            Command::Diff(file) => self.diff(file.as_deref().unwrap_or("")),
            Command::Save(file) => self.save(file.as_deref().unwrap_or("")),
        };
        (out, Next::Continue)
    }

    // ───────── loading ─────────

    /// Load one file (a ruleset given on the command line).
    pub fn load(&mut self, path: &str) -> String {
        self.load_all(&[path.to_string()])
    }

    fn load_all(&mut self, paths: &[String]) -> String {
        if paths.is_empty() {
            return "用法：:load 文件…\n".into();
        }
        let mut out = String::new();
        for p in paths {
            out.push_str(&self.load_path(Path::new(p)));
        }
        out
    }

    fn load_path(&mut self, path: &Path) -> String {
        let before = self.project.rulesets.len();
        let before_sc = self.project.scenarios.len();
        if let Err(e) = self.project.load_paths(&[path]) {
            return self.render(&e);
        }
        let mtime = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        self.files.retain(|(p, _)| p != path);
        self.files.push((path.to_path_buf(), mtime));
        let mut out = String::new();
        for rs in self.project.rulesets.iter().skip(before) {
            let _ = writeln!(
                out,
                "已载入规则集“{}”：{} 条，{} 条规则，日历 {}{}",
                rs.name,
                rs.articles.len(),
                rs.rules.len(),
                rs.calendar.display_name(),
                if rs.calendar.files().is_empty() {
                    String::new()
                } else {
                    format!("（补充 {}）", rs.calendar.files().join("、"))
                }
            );
        }
        let new_sc = self.project.scenarios.len() - before_sc;
        if new_sc > 0 {
            let _ = writeln!(out, "已载入 {new_sc} 个情景（用于 :diff）");
        }
        if self.active.is_none()
            && let Some(rs) = self.project.rulesets.get(before)
        {
            self.active = Some(rs.name.clone());
            let _ = writeln!(out, "当前规则集：{}", rs.name);
        }
        out
    }

    fn reload(&mut self) -> String {
        if self.files.is_empty() {
            return "还没有载入文件\n".into();
        }
        let old_rulesets = self.project.rulesets.clone();
        let before = self.last.clone().or_else(|| self.run().ok());
        let files: Vec<PathBuf> = self.files.iter().map(|(p, _)| p.clone()).collect();
        let changed: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(p, t)| std::fs::metadata(p).and_then(|m| m.modified()).ok() != *t)
            .map(|(p, _)| p.clone())
            .collect();
        let mut fresh = self.fresh_project();
        if let Err(e) = fresh.load_paths(&files) {
            return format!("{}重新载入失败，仍使用原来的版本\n", self.render(&e));
        }
        self.project = fresh;
        // Declarations typed at the prompt stay in force, in the ruleset
        // they were typed for (one that is gone takes them with it).
        for typed in std::mem::take(&mut self.typed_decls) {
            let Some(rs) = self.project.ruleset(&typed.ruleset) else {
                continue;
            };
            let mut again = TypedDeclarations::new(rs);
            for text in &typed.texts {
                if let Ok(compiled) = again.compile_with(text, &self.project.calendar_files) {
                    again.push(text);
                    self.replace_ruleset(compiled);
                }
            }
            self.typed_decls.push(again);
        }
        self.files = files
            .into_iter()
            .map(|p| {
                let t = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
                (p, t)
            })
            .collect();
        let mut out = String::new();
        if changed.is_empty() {
            out.push_str("文件均未改动\n");
        } else {
            for p in &changed {
                let _ = writeln!(out, "已重新读取 {}", p.display());
            }
        }
        for old in &old_rulesets {
            if let Some(new) = self.project.ruleset(&old.name) {
                let s = diff::structural(old, new);
                for a in &s.articles {
                    let line = match a {
                        diff::ArticleChange::Added { new } => format!("  新增 {}", new.display),
                        diff::ArticleChange::Removed { old } => format!("  删除 {}", old.display),
                        diff::ArticleChange::Modified { old, new, .. }
                            if old.number != new.number =>
                        {
                            format!("  重编号 {} → {}", old.display, new.display)
                        }
                        diff::ArticleChange::Modified { new, .. } => {
                            format!("  修改 {}", new.display)
                        }
                    };
                    let _ = writeln!(out, "{}：{line}", old.name);
                }
            }
        }
        if !self.statements.is_empty() {
            match self.run() {
                Ok(after) => {
                    let (b, a) = (
                        before
                            .as_ref()
                            .map(ScenarioReport::violated)
                            .unwrap_or_default(),
                        after.violated(),
                    );
                    if b == a {
                        let _ = writeln!(
                            out,
                            "当前情景的结论不变：{}",
                            report::summary(&after).trim_start_matches("结论：")
                        );
                    } else {
                        let names = |r: Option<&ScenarioReport>, set: &BTreeSet<u32>| -> String {
                            if set.is_empty() {
                                return "无".into();
                            }
                            set.iter()
                                .map(|n| {
                                    r.and_then(|r| r.findings.iter().find(|f| f.article == *n))
                                        .map_or_else(
                                            || format!("第{n}条"),
                                            |f| f.article_display().to_string(),
                                        )
                                })
                                .collect::<Vec<_>>()
                                .join("、")
                        };
                        let _ = writeln!(
                            out,
                            "当前情景的结论改变：违反 {} → {}",
                            names(before.as_ref(), &b),
                            names(Some(&after), &a)
                        );
                    }
                    self.last = Some(after);
                }
                Err(e) => out.push_str(&self.render(&e)),
            }
        }
        out
    }

    fn use_ruleset(&mut self, name: &str) -> String {
        if self.project.ruleset(name).is_some() {
            self.active = Some(name.to_string());
            self.last = None;
            return format!("当前规则集：{name}\n");
        }
        let near = crate::compile::names::suggest(
            name,
            self.project.rulesets.iter().map(|r| r.name.as_str()),
        );
        match near.first() {
            Some(n) => format!("没有载入规则集“{name}”。是否指“{n}”？\n"),
            None => format!("没有载入规则集“{name}”\n"),
        }
    }

    // ───────── the language at the prompt ─────────

    fn fragment(&mut self, t: &str) -> String {
        let input = Source::new("<输入>", t);
        let statements = match syntax::read_fragment(&input) {
            Ok(syntax::Fragment::Statements(statements)) => statements,
            Ok(syntax::Fragment::Items(scenarios)) => {
                let checked = self.check_unchecked();
                return checked + &self.whole_item(t, scenarios.first().map(Vec::as_slice));
            }
            Ok(syntax::Fragment::Declarations) => {
                // Statements read so far are checked under the ruleset as
                // it was when they were read.
                let checked = self.check_unchecked();
                return checked + &self.add_declaration(t);
            }
            Err(e) => return self.render(&e),
        };
        // Only comments: nothing to add.
        if statements.is_empty() {
            return String::new();
        }
        let before = self.statements.len();
        self.statements
            .extend(statements.iter().map(|st| Statement::read(&input, st)));
        if self.check_in_batches && self.statements.len() > CHECK_EACH_LINE_UP_TO {
            self.unchecked += self.statements.len() - before;
            let mut out = String::new();
            if !self.batching_noted {
                self.batching_noted = true;
                let _ = writeln!(
                    out,
                    "（情景已超过 {CHECK_EACH_LINE_UP_TO} 条语句：此后不再逐行检查，在语句数达到 {}、{}……时、执行命令前和输入结束时检查并报告变化）",
                    CHECK_EACH_LINE_UP_TO * 2,
                    CHECK_EACH_LINE_UP_TO * 4
                );
            }
            if (before + 1..=self.statements.len()).any(usize::is_power_of_two) {
                out.push_str(&self.check_unchecked());
            }
            return out;
        }
        match self.run_warned(true) {
            Ok((r, warnings)) => {
                let typed: Vec<Span> = statements.iter().map(|st| st.span).collect();
                let warnings = self.typed_warnings(warnings, before, &typed, &input);
                let mut out = if warnings.is_empty() {
                    String::new()
                } else {
                    self.render(&warnings)
                };
                out.push_str(&self.changes(&r));
                self.last = Some(r);
                out
            }
            Err(e) => {
                let typed: Vec<Span> = statements.iter().map(|st| st.span).collect();
                let e = self.at_typed(e, before, &typed, &input);
                self.statements.truncate(before);
                format!("{}（未加入）\n", self.render(&e))
            }
        }
    }

    /// A whole ruleset or scenario typed at the prompt; `statements`: those
    /// of its (first) scenario, as the parser found them.
    fn whole_item(&mut self, t: &str, statements: Option<&[syntax::ScenarioStatement]>) -> String {
        let src = Source::new("<输入>", t);
        let file = match syntax::parse(&src) {
            Ok(f) => f,
            Err(e) => return self.render(&e),
        };
        let mut out = String::new();
        if !file.rulesets.is_empty() {
            let before = self.project.rulesets.len();
            if let Err(e) = self.project.add_source(&src) {
                return self.render(&e);
            }
            for rs in self.project.rulesets.iter().skip(before) {
                let _ = writeln!(out, "已载入规则集“{}”", rs.name);
                if self.active.is_none() {
                    self.active = Some(rs.name.clone());
                }
            }
        }
        if let Some(sc) = file.scenarios.first() {
            let previous = (self.statements.clone(), self.active.clone());
            let previous_name = self.name.replace(sc.name.node.clone());
            // Its statements become the current scenario (依据 picks the
            // ruleset instead).
            let typed: Vec<&syntax::ScenarioStatement> = statements
                .unwrap_or_default()
                .iter()
                .filter(|st| st.kind != StatementKind::Basis)
                .collect();
            self.statements = typed.iter().map(|st| Statement::read(&src, st)).collect();
            if let Some(b) = sc.basis.first() {
                if self.project.ruleset(&b.node).is_some() {
                    self.active = Some(b.node.clone());
                } else {
                    let names = self.project.rulesets.iter().map(|r| r.name.as_str());
                    let d = crate::compile::names::unknown("规则集", b, names, "先用 :load 载入它")
                        .with_code(crate::diag::code::RULESET_MISSING)
                        .in_source(&src);
                    (self.statements, self.active) = previous;
                    self.name = previous_name;
                    return self.render(&[d]);
                }
            }
            // Check it now, so a bad name shows at once, not at :check.
            if let Err(e) = self.run() {
                let spans: Vec<Span> = typed.iter().map(|st| st.span).collect();
                let e = self.at_typed(e, 0, &spans, &src);
                (self.statements, self.active) = previous;
                self.name = previous_name;
                return format!("{}（情景未载入）\n", self.render(&e));
            }
            let _ = writeln!(
                out,
                "当前情景：{}（{} 行）",
                sc.name.node,
                self.statements.len()
            );
            self.last = None;
        }
        out
    }

    fn add_declaration(&mut self, t: &str) -> String {
        let Some(rs) = self.ruleset() else {
            return "还没有当前规则集：先 :load 规则集文件\n".into();
        };
        let name = rs.name.clone();
        let index = match self.typed_decls.iter().position(|d| d.ruleset == name) {
            Some(i) => i,
            None => {
                self.typed_decls.push(TypedDeclarations::new(rs));
                self.typed_decls.len() - 1
            }
        };
        let Some(typed) = self.typed_decls.get_mut(index) else {
            return "还没有当前规则集：先 :load 规则集文件\n".into();
        };
        match typed.compile_with(t, &self.project.calendar_files) {
            Ok(compiled) => {
                typed.push(t);
                self.replace_ruleset(compiled);
                format!("已加入规则集“{name}”\n")
            }
            Err(e) => format!("{}（未加入）\n", self.render(&e)),
        }
    }

    /// Put a recompiled ruleset in the place of the one of its name.
    fn replace_ruleset(&mut self, compiled: Ruleset) {
        if let Some(slot) = self
            .project
            .rulesets
            .iter_mut()
            .find(|r| r.name == compiled.name)
        {
            *slot = compiled;
        }
    }

    /// The current scenario as source text.
    fn scenario_source(&self, rs: &Ruleset) -> String {
        self.scenario_source_with_starts(rs).0
    }

    /// The current scenario as source text, with the byte offset where
    /// each statement starts in it.
    fn scenario_source_with_starts(&self, rs: &Ruleset) -> (String, Vec<usize>) {
        let name = self.name.as_deref().unwrap_or(SCENARIO_NAME);
        let mut s = format!("情景 {name} {{\n  依据 {}\n", rs.name);
        let mut starts = Vec::with_capacity(self.statements.len());
        for st in &self.statements {
            s.push_str("  ");
            starts.push(s.len());
            s.push_str(&st.text);
            s.push('\n');
        }
        s.push_str("}\n");
        (s, starts)
    }

    /// Check the statements read since the last check. Those that do not
    /// resolve are dropped, each with its diagnostics and （未加入）, as a
    /// single line would be; then what changed, as after one line.
    fn check_unchecked(&mut self) -> String {
        let mut out = String::new();
        while self.unchecked > 0 {
            let first_unchecked = self.statements.len().saturating_sub(self.unchecked);
            let errors = match self.run() {
                Ok(r) => {
                    out.push_str(&self.changes(&r));
                    self.last = Some(r);
                    break;
                }
                Err(errors) => errors,
            };
            let starts = self
                .ruleset()
                .map(|rs| self.scenario_source_with_starts(rs).1)
                .unwrap_or_default();
            // The statement each diagnostic points into, if one read since.
            let at_fault: BTreeSet<usize> = errors
                .iter()
                .filter_map(|d| {
                    let after = starts.partition_point(|s| *s <= d.span.start);
                    after.checked_sub(1)
                })
                .filter(|i| *i >= first_unchecked)
                .collect();
            out.push_str(&self.render(&errors));
            if at_fault.is_empty() {
                // No one statement's fault: none of them is added.
                let _ = writeln!(out, "（以上 {} 条语句均未加入）", self.unchecked);
                self.statements.truncate(first_unchecked);
                break;
            }
            let _ = writeln!(out, "（未加入）");
            // One pass, however many are dropped.
            let mut index = 0;
            self.statements.retain(|_| {
                let keep = !at_fault.contains(&index);
                index += 1;
                keep
            });
            self.unchecked = self.unchecked.saturating_sub(at_fault.len());
        }
        self.unchecked = 0;
        out
    }

    fn run(&self) -> Result<ScenarioReport, Vec<Diag>> {
        self.run_warned(false).map(|(r, _)| r)
    }

    /// Check the assembled scenario; with `warn`, also its warnings (from
    /// the scenario compiled once, for the check).
    fn run_warned(&self, warn: bool) -> crate::Warned {
        let Some(rs) = self.ruleset() else {
            return Err(vec![
                Diag::error(
                    crate::diag::code::RULESET_MISSING,
                    Default::default(),
                    "还没有当前规则集",
                )
                .help("先用 :load 载入规则集文件"),
            ]);
        };
        let src = Source::new("<情景>", self.scenario_source(rs));
        let mut p = Project::default();
        p.add_source(&src)?;
        let sc = p.scenarios.first().ok_or_else(Vec::new)?;
        crate::check_scenario_with(rs, sc, warn)
    }

    /// What changed since the last check, after a new statement.
    fn changes(&self, now: &ScenarioReport) -> String {
        // A finding is new unless the same rule gave the same verdict about
        // the same events (as written: their indices shift as events come)
        // with the same dates before.
        let key = |f: &crate::check::Finding| {
            let events: Vec<std::sync::Arc<str>> =
                f.events.iter().map(|e| e.text.clone()).collect();
            let dates: Vec<_> = f.dates.iter().map(|d| (d.role, d.date)).collect();
            (
                f.rule,
                f.verdict,
                events,
                dates,
                f.party.as_ref().map(crate::check::PartyRef::party),
            )
        };
        let before: BTreeSet<_> = self
            .last
            .as_ref()
            .map(|r| r.findings.iter().map(key).collect())
            .unwrap_or_default();
        let mut out = String::new();
        let mut unanswered = false;
        for f in &now.findings {
            if !before.contains(&key(f)) && f.verdict != Verdict::NotApplicable {
                let _ = writeln!(out, "{}", report::finding_line(f));
                // A response with only its trigger cited: none was found.
                unanswered |=
                    f.verdict == Verdict::Violated && f.pattern == "响应" && f.events.len() == 1;
            }
        }
        let _ = writeln!(out, "{}", report::summary(now));
        // Typing event by event, the answer not typed yet reads as never
        // given: say once how to keep the record open.
        if unanswered && now.cutoff.is_none() && !self.cutoff_noted.replace(true) {
            let _ = writeln!(
                out,
                "提示：情景没有写“截至”，记录视为已完整——还没录入的后续行为都算“未见”。还要接着录入的，先输入 截至 某日（如 截至 2025-12-31）：期限未到的为待定。"
            );
        }
        out
    }

    // ───────── showing ─────────

    fn rules(&self, arg: &str) -> String {
        let Some(rs) = self.ruleset() else {
            return "还没有当前规则集：先 :load 规则集文件\n".into();
        };
        let mut out = String::new();
        if arg.is_empty() {
            let _ = writeln!(out, "{}（{} 条）", rs.name, rs.articles.len());
            for a in &rs.articles {
                let first = a.quotes.first().map(String::as_str).unwrap_or("");
                let short: String = first.chars().take(40).collect();
                let more = if first.chars().count() > 40 {
                    "…"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  {}  {} 条规则  “{short}{more}”",
                    a.display,
                    a.rules.len()
                );
            }
            return out;
        }
        let Some(n) = article_number(arg) else {
            return format!("“{arg}”不是条号（如 五十七、第五十七条 或 57）\n");
        };
        let Some(a) = rs.article_by_number(n) else {
            return format!("{}中没有第{}条\n", rs.name, crate::syntax::to_chinese(n));
        };
        let _ = writeln!(out, "{}", a.display);
        // Each 原文 with the rules that encode it, as the ruleset file
        // reads; a sentence with none is shown as 未编码 by its absence.
        let rules: Vec<&crate::compile::ir::CompiledRule> =
            a.rules.iter().filter_map(|i| rs.rules.get(*i)).collect();
        let line = |out: &mut String, r: &crate::compile::ir::CompiledRule| {
            let _ = writeln!(
                out,
                "    [{}] {}",
                r.kind.pattern_name(),
                r.text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        };
        for q in &a.quotes {
            let _ = writeln!(out, "  原文：“{q}”");
            for r in rules
                .iter()
                .filter(|r| r.quote.as_deref() == Some(q.as_str()))
            {
                line(&mut out, r);
            }
        }
        let untied: Vec<_> = rules
            .iter()
            .filter(|r| {
                !r.quote
                    .as_deref()
                    .is_some_and(|q| a.quotes.iter().any(|x| x == q))
            })
            .collect();
        if !untied.is_empty() {
            let _ = writeln!(out, "  （未对应原文的规则）");
            for r in untied {
                line(&mut out, r);
            }
        }
        out
    }

    fn scenario_text(&self) -> String {
        match self.ruleset() {
            Some(rs) if !self.statements.is_empty() => self.scenario_source(rs),
            _ => "当前情景为空：输入事件，如 2023-09-25 召开 常务会议 \"第1次\" 召集 王某 主持 王某\n".into(),
        }
    }

    fn check(&mut self, verbose: bool) -> String {
        match self.run() {
            Ok(r) => {
                let out = report::human(&r, verbose);
                self.last = Some(r);
                out
            }
            Err(e) => self.render(&e),
        }
    }

    fn why(&mut self, arg: &str) -> String {
        let Some(n) = article_number(arg) else {
            return "用法：:why 条号（如 :why 五十七）\n".into();
        };
        let Some(rs) = self.ruleset() else {
            return "还没有当前规则集：先 :load 规则集文件\n".into();
        };
        match self.run() {
            Ok(r) => {
                let mut out = why::explain(rs, &r, n).join("\n");
                out.push('\n');
                out
            }
            Err(e) => self.render(&e),
        }
    }

    /// The current ruleset's calendar (with its supplement files), else
    /// the national one with the session's `--calendar-file`s.
    fn calendar(&self) -> Result<Arc<Calendar>, Vec<Diag>> {
        if let Some(r) = self.ruleset() {
            return Ok(Arc::clone(&r.calendar));
        }
        let base = Calendar::shared(CalendarId::National).map_err(|e| {
            vec![Diag::error(
                crate::diag::code::CALENDAR_DATA,
                Default::default(),
                e.to_string(),
            )]
        })?;
        if self.project.calendar_files.is_empty() {
            Ok(base)
        } else {
            base.with_files(&self.project.calendar_files).map(Arc::new)
        }
    }

    fn date(&self, arg: &str) -> String {
        if arg.is_empty() {
            return "用法：:date 2023-09-25 +7工作日（也可 +30日、-3天）\n".into();
        }
        let cal = match self.calendar() {
            Ok(c) => c,
            Err(e) => return self.render(&e),
        };
        match datecalc::evaluate_in(arg, &cal) {
            Ok(a) => format!("{}\n", a.result),
            Err(d) => self.render(&[d]),
        }
    }

    fn workday(&self, arg: &str) -> String {
        if arg.is_empty() {
            return "用法：:workday 2023-10-07\n".into();
        }
        let cal = match self.calendar() {
            Ok(c) => c,
            Err(e) => return self.render(&e),
        };
        match datecalc::workday_in(arg, &cal) {
            Ok(s) => format!("{}\n", s.explain()),
            Err(d) => self.render(&[d]),
        }
    }

    fn diff(&mut self, arg: &str) -> String {
        let Some(old) = self.ruleset().cloned() else {
            return "还没有当前规则集：先 :load 规则集文件\n".into();
        };
        if arg.is_empty() {
            return "用法：:diff 修订稿文件\n".into();
        }
        let mut revised = self.fresh_project();
        if let Err(e) = revised.load_paths(&[arg]) {
            return self.render(&e);
        }
        let Some(new) = revised.rulesets.first() else {
            return format!("{arg} 中没有规则集\n");
        };
        let mut scenarios: Vec<crate::ScenarioSource> = self
            .project
            .scenarios
            .iter()
            .filter(|s| s.ast.basis.iter().any(|b| b.node == old.name))
            .cloned()
            .collect();
        if !self.statements.is_empty() {
            let src = Source::new("<情景>", self.scenario_source(&old));
            let mut p = Project::default();
            if p.add_source(&src).is_ok() {
                scenarios.extend(p.scenarios);
            }
        }
        report::diff(&diff::diff(&old, new, &scenarios))
    }

    fn save(&mut self, arg: &str) -> String {
        let Some(rs) = self.ruleset() else {
            return "还没有当前规则集：先 :load 规则集文件\n".into();
        };
        if arg.is_empty() {
            return "用法：:save 文件\n".into();
        }
        if self.statements.is_empty() {
            return "当前情景为空，没有写出\n".into();
        }
        let mut text = self.scenario_source(rs);
        if !self
            .statements
            .iter()
            .any(|st| st.kind == StatementKind::Expectation)
        {
            // guize test needs 预期: record the current verdicts for review.
            let expect = match self.run() {
                Ok(r) if r.violated().is_empty() => "预期 符合".to_string(),
                Ok(r) => format!(
                    "预期 违反 {}",
                    r.violated()
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                Err(e) => return self.render(&e),
            };
            let at = text.rfind('}').unwrap_or(text.len());
            text.insert_str(
                at,
                &format!("  // 预期按保存时的结论写入，请逐条核对\n  {expect}\n"),
            );
        }
        match crate::fsio::write_atomic(std::path::Path::new(arg), text.as_bytes()) {
            Ok(()) => format!(
                "已写出 {arg}（运行：guize test {arg} --rulesets {}）\n",
                rs.source.name
            ),
            Err(e) => format!("guize::io::write: 无法写入 {arg}：{e}\n"),
        }
    }
}

fn help() -> String {
    let mut out = String::from("输入语言片段（事件、人员、委托、职务、条…）或命令：\n");
    for c in CommandName::ALL {
        let _ = writeln!(
            out,
            "  {}{}{}",
            pad(c.english(), 11),
            pad(c.chinese(), 9),
            c.summary()
        );
    }
    out.push_str(
        "未写完的块（“{”或引号未闭合）会在下一行继续。Ctrl-C 取消当前输入，Ctrl-D 退出。\n",
    );
    out
}

/// `s` padded with spaces to `width` terminal columns (CJK counts two).
fn pad(s: &str, width: usize) -> String {
    let w: usize = s
        .chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w).max(1)))
}

/// 五十七 / 第五十七条 / 57 → 57.
pub fn article_number(s: &str) -> Option<u32> {
    syntax::parse_article_ref(&Source::new("<条号>", s.trim())).ok()
}

/// Is the input unfinished? Then the prompt continues on the next line.
/// Commands (`:…`) are one line; anything else is unfinished when the
/// parser stops at the end of it ([`syntax::typed_input`]).
pub fn unfinished(input: &str) -> bool {
    !is_command(input) && syntax::typed_input(input).needs_more
}
