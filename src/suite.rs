//! Scenario test suites: run every scenario that carries 预期 and compare the
//! verdicts with it (`guize test`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{ScenarioReport, Verdict};
use crate::compile::ir::Expectations;
use crate::diag::{Diag, code};
use crate::syntax::ast::Span;
use crate::{Project, check_scenario};

#[derive(Debug, Clone)]
pub enum Outcome {
    Passed,
    /// Expected and actual differ; one line per difference.
    Failed(Vec<String>),
    /// The scenario (or its file) could not be checked.
    Error(Vec<Diag>),
}

#[derive(Debug, Clone)]
pub struct TestCase {
    pub file: String,
    pub scenario: String,
    pub ruleset: Option<String>,
    pub outcome: Outcome,
    pub report: Option<ScenarioReport>,
}

#[derive(Debug, Clone, Default)]
pub struct TestRun {
    pub cases: Vec<TestCase>,
    /// Scenarios without 预期, not run as tests.
    pub skipped: usize,
    /// Per loaded ruleset: which rules the scenarios exercised.
    pub coverage: Vec<Coverage>,
}

/// Rules of one ruleset exercised (violated, excepted or complied) by at
/// least one scenario, and of those the ones some scenario breaches
/// (违反 or 例外): a rule only ever complied with is exercised, but nothing
/// shows that a breach of it would be caught. Permissions (可) cannot be
/// exercised and are not counted.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub ruleset: String,
    pub total: usize,
    pub exercised: usize,
    /// Rules some scenario finds 违反 or 例外.
    pub breached: usize,
    /// (article as written, rule text) of every rule no scenario exercised.
    pub missing: Vec<(String, String)>,
    /// (article as written, rule text) of every rule exercised only by
    /// findings of 符合.
    pub complied_only: Vec<(String, String)>,
}

impl Coverage {
    /// Percent of the rules exercised; None when there are none to count.
    pub fn percent(&self) -> Option<f64> {
        self.ratio(self.exercised)
    }

    /// Percent of the rules some scenario breaches; None when there are none.
    pub fn breached_percent(&self) -> Option<f64> {
        self.ratio(self.breached)
    }

    fn ratio(&self, n: usize) -> Option<f64> {
        (self.total > 0).then(|| 100.0 * n as f64 / self.total as f64)
    }
}

impl TestRun {
    pub fn passed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Passed))
            .count()
    }

    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// Every `.guize` and `.scenario.json` file under the given files and
/// directories, sorted (other JSON, such as calendar data, is not a scenario).
/// Symbolic links to directories are not followed inside a walk (a link
/// such as `self -> .` would repeat the tree, or never end), and no
/// directory is walked twice. A directory that cannot be read (no
/// permission, removed during the walk) is a coded error
/// (`guize::io::read`), never a silent skip: its tests would otherwise
/// count as none.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diag>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = Visited::default();
    for p in paths {
        // A path named explicitly is taken whatever its name or kind (a
        // FIFO, a missing file): loading reports what is wrong with it.
        if p.is_dir() {
            walk(p, &mut out, &mut errors, &mut seen);
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    (out, errors)
}

/// `guize::io::read` for a directory (or one of its entries) the walk
/// cannot read.
fn unreadable_dir(dir: &Path, e: &std::io::Error) -> Diag {
    Diag::error(
        code::IO_READ,
        Span::default(),
        format!("无法读取目录 {}：{e}", dir.display()),
    )
    .help("检查该目录是否存在且可读（需要读取与进入权限）；其中的文件不会被跳过而不报告")
}

/// Directories already walked, by (device, inode) where there is one.
#[derive(Default)]
struct Visited(BTreeSet<(u64, u64)>);

impl Visited {
    /// True the first time a directory is seen.
    fn first_time(&mut self, dir: &Path) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            match std::fs::metadata(dir) {
                Ok(m) => self.0.insert((m.dev(), m.ino())),
                Err(_) => true,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            true
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<Diag>, seen: &mut Visited) {
    if !seen.first_time(dir) {
        return;
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(unreadable_dir(dir, &e));
            return;
        }
    };
    for entry in rd {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(unreadable_dir(dir, &e));
                continue;
            }
        };
        let p = entry.path();
        // The entry's own type: a symbolic link is not followed here.
        let t = match entry.file_type() {
            Ok(t) => t,
            Err(e) => {
                errors.push(unreadable_dir(&p, &e));
                continue;
            }
        };
        if t.is_dir() {
            walk(&p, out, errors, seen);
        } else if t.is_symlink() && p.is_dir() {
            // A linked directory is skipped (name it explicitly to walk it).
        } else if p.extension().is_some_and(|e| e == "guize")
            || p.to_string_lossy().ends_with(".scenario.json")
        {
            out.push(p);
        }
    }
}

/// Paths given as suites (`--tests`, `--suites`) must exist: a misspelt
/// directory would otherwise pass vacuously.
pub fn require_paths(paths: &[PathBuf], option: &str) -> Result<(), Vec<Diag>> {
    let missing: Vec<Diag> = paths
        .iter()
        .filter(|p| std::fs::metadata(p).is_err())
        .map(|p| {
            Diag::error(
                crate::diag::code::IO_READ,
                crate::syntax::ast::Span::default(),
                format!("{option} 给出的 {} 不存在", p.display()),
            )
            .help("检查路径是否拼写正确；不存在的目录里没有情景，会让检查空跑通过")
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing)
    }
}

/// Run the scenarios in `paths`; rulesets come from `ruleset_paths` and from
/// the test files themselves.
pub fn run(paths: &[PathBuf], ruleset_paths: &[PathBuf]) -> TestRun {
    run_with_calendar_files(paths, ruleset_paths, &[])
}

/// [`run`], with supplement holiday files (`--calendar-file`) added to
/// every ruleset's calendar.
pub fn run_with_calendar_files(
    paths: &[PathBuf],
    ruleset_paths: &[PathBuf],
    calendar_files: &[PathBuf],
) -> TestRun {
    let mut run = TestRun::default();
    let mut project = Project::default();
    if let Err(errors) = project.add_calendar_files(calendar_files) {
        run.cases.push(TestCase {
            file: "<日历数据>".into(),
            scenario: "载入日历数据文件".into(),
            ruleset: None,
            outcome: Outcome::Error(errors),
            report: None,
        });
    }
    let (test_files, walk_errors) = collect_files(paths);
    let (mut ruleset_files, ruleset_walk_errors) = collect_files(ruleset_paths);
    for (what, errors) in [("测试", walk_errors), ("规则集", ruleset_walk_errors)] {
        if !errors.is_empty() {
            run.cases.push(TestCase {
                file: format!("<{what}目录>"),
                scenario: "遍历目录".into(),
                ruleset: None,
                outcome: Outcome::Error(errors),
                report: None,
            });
        }
    }
    ruleset_files.retain(|f| !test_files.contains(f));
    if let Err(errors) = project.load_paths(&ruleset_files) {
        run.cases.push(TestCase {
            file: "<规则集>".into(),
            scenario: "载入规则集".into(),
            ruleset: None,
            outcome: Outcome::Error(errors),
            report: None,
        });
    }
    // A file with one bad scenario still runs the others: the bad one is
    // an error of its own.
    for (f, failures) in test_files
        .iter()
        .zip(project.load_each_partial(&test_files))
    {
        for (item, errors) in failures {
            run.cases.push(TestCase {
                file: f.display().to_string(),
                scenario: item.unwrap_or_else(|| "载入文件".into()),
                ruleset: None,
                outcome: Outcome::Error(errors),
                report: None,
            });
        }
    }
    run.skipped = project
        .scenarios
        .iter()
        .filter(|sc| sc.ast.expectations.is_empty())
        .count();
    // Scenarios are independent: check them in parallel, report in order.
    let cases: Vec<Vec<TestCase>> = project
        .scenarios
        .par_iter()
        .filter(|sc| !sc.ast.expectations.is_empty())
        .map(|sc| cases_of(&project, sc))
        .collect();
    run.cases.extend(cases.into_iter().flatten());
    // Only rulesets some scenario is checked under: a loaded draft with no
    // suite of its own is not "0% covered", it is not under test.
    run.coverage = project
        .rulesets
        .iter()
        .filter(|rs| {
            run.cases
                .iter()
                .any(|c| c.ruleset.as_deref() == Some(rs.name.as_str()))
        })
        .map(|rs| coverage(rs, &run.cases))
        .collect();
    run
}

/// The test cases of one scenario: one per ruleset it is checked under.
fn cases_of(project: &Project, sc: &crate::ScenarioSource) -> Vec<TestCase> {
    let file = sc.source.name.to_string();
    let scenario = sc.ast.name.node.clone();
    let rulesets = match project.rulesets_for(sc) {
        Ok(r) => r,
        Err(d) => {
            return vec![TestCase {
                file,
                scenario,
                ruleset: None,
                outcome: Outcome::Error(vec![d]),
                report: None,
            }];
        }
    };
    // A cross-jurisdiction scenario is a test under each ruleset.
    rulesets
        .into_iter()
        .map(|rs| {
            let mut case = TestCase {
                file: file.clone(),
                scenario: scenario.clone(),
                ruleset: Some(rs.name.clone()),
                outcome: Outcome::Passed,
                report: None,
            };
            match check_scenario(rs, sc) {
                Err(e) => case.outcome = Outcome::Error(e),
                Ok((compiled, report)) => {
                    if !compiled.expectations.given {
                        case.outcome =
                            Outcome::Failed(vec![format!("没有依据“{}”的预期", rs.name)]);
                    } else {
                        let diffs = compare(&compiled.expectations, &report, rs);
                        if !diffs.is_empty() {
                            case.outcome = Outcome::Failed(diffs);
                        }
                    }
                    case.report = Some(report);
                }
            }
            case
        })
        .collect()
}

fn coverage(rs: &crate::compile::ir::Ruleset, cases: &[TestCase]) -> Coverage {
    use crate::compile::ir::RuleKind;
    let mut hit = BTreeSet::new();
    let mut breached = BTreeSet::new();
    for c in cases {
        let Some(r) = &c.report else { continue };
        if r.ruleset != rs.name {
            continue;
        }
        for f in &r.findings {
            match f.verdict {
                Verdict::Violated | Verdict::Excepted => {
                    hit.insert(f.rule);
                    breached.insert(f.rule);
                }
                Verdict::Complied => {
                    hit.insert(f.rule);
                }
                Verdict::NotApplicable | Verdict::Pending => {}
            }
        }
    }
    let checkable: Vec<_> = rs
        .rules
        .iter()
        .filter(|r| !matches!(r.kind, RuleKind::Permission(_)))
        .collect();
    let listed = |keep: &dyn Fn(usize) -> bool| -> Vec<(String, String)> {
        checkable
            .iter()
            .filter(|r| keep(r.id))
            .map(|r| {
                let article = rs
                    .article_of(r)
                    .map_or_else(String::new, |a| a.display.to_string());
                (article, r.text.to_string())
            })
            .collect()
    };
    Coverage {
        ruleset: rs.name.clone(),
        total: checkable.len(),
        exercised: checkable.iter().filter(|r| hit.contains(&r.id)).count(),
        breached: checkable
            .iter()
            .filter(|r| breached.contains(&r.id))
            .count(),
        missing: listed(&|id| !hit.contains(&id)),
        complied_only: listed(&|id| hit.contains(&id) && !breached.contains(&id)),
    }
}

/// Differences between 预期 and the actual verdicts, one line each;
/// articles named as `rs` writes them.
pub fn compare(
    ex: &Expectations,
    report: &ScenarioReport,
    rs: &crate::compile::ir::Ruleset,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cmp = |what: &str, expected: &BTreeSet<u32>, actual: BTreeSet<u32>| {
        if *expected != actual {
            out.push(format!(
                "{what}：预期 {}，实际 {}",
                show(expected, rs),
                show(&actual, rs)
            ));
        }
    };
    cmp(
        "违反",
        &ex.violated,
        report.articles_with(Verdict::Violated),
    );
    if let Some(e) = &ex.excepted {
        cmp("例外", e, report.articles_with(Verdict::Excepted));
    }
    if let Some(p) = &ex.pending {
        cmp("待定", p, report.articles_with(Verdict::Pending));
    }
    out
}

/// 第五十七条、第六十一条: each article as the ruleset writes its number
/// (第57条 for an article written `条 57`, or one the ruleset lacks).
pub fn show(set: &BTreeSet<u32>, rs: &crate::compile::ir::Ruleset) -> String {
    if set.is_empty() {
        "无".to_string()
    } else {
        set.iter()
            .map(|&n| {
                rs.article_by_number(n)
                    .map_or_else(|| format!("第{n}条"), |a| a.display.to_string())
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}
