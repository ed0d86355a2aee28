//! Streaming audit of an event log (`guize audit`): JSON Lines records
//! (people, units, delegations, events in date order) checked against one
//! ruleset with memory bounded by a window of days, not by the log.
//!
//! How: events are kept in a date-ordered buffer. Triggers are settled a
//! chunk of days at a time, once the log has moved past every date their
//! deadlines can reach; the ordinary checker runs on the buffer with a
//! trigger window ([`CheckOptions`]), so the audit and `guize check` share
//! every rule's semantics. Behind the settled chunk only what can still be
//! a precedent or a meeting referred to is kept, for a look-back of days.
//! 频次 is counted as the log streams by, per (rule, period, person), and
//! each period is judged when it ends.
//!
//! A precedent (事先) counts only within its rule's look-back (前 N日内,
//! default 30 days), in the audit as in `check`; the buffer keeps the
//! longest look-back (at least `lookback_days`) plus the longest lead.
//!
//! Where the audit differs from checking the whole log as one scenario
//! (bounded by options, measured from each trigger so that chunk
//! boundaries do not matter): a 及时 response only
//! within `prompt_days` of its trigger, and none by then is 待定; a meeting
//! named by 依据 must still be held in the buffer; a late response past the
//! deadline horizon is reported as missing (违反 either way).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::check::frequency::{self, Tally};
use crate::check::{
    Ahead, CheckOptions, Ctx, EventIndex, Finding, FxMap, PartyRef, Verdict, calendar_span,
};
use crate::compile::ir::{CompiledRule, EventIr, FrequencyRule, Party, Ruleset};
use crate::compile::{DocumentFacts, LogResolver};
use crate::diag::{Diag, Source, code};
use crate::json::{Record, parse_record};
use crate::syntax::ast::{Grouping, Span, TimeUnit, Verb};

/// How far the audit looks; see the module notes.
#[derive(Debug, Clone, Copy)]
pub struct AuditOptions {
    /// The last day the log records; None: the date of its last event.
    pub cutoff: Option<NaiveDate>,
    /// Days of events kept for meetings named by 依据 (precedents keep
    /// their rules' own look-back when longer).
    pub lookback_days: u32,
    /// Days a 及时 response is looked for.
    pub prompt_days: u32,
    /// Days of triggers settled at a time.
    pub chunk_days: u32,
    /// Events cited per 频次 finding (the count is always exact).
    pub cite: usize,
    /// The reorder window: an event may come up to this many days behind
    /// the date the log has reached and still be taken in its place.
    pub reorder_days: u32,
    /// Count 符合 and 不适用 findings without building them or passing
    /// them to `out` (what is shown without `--all`): the summary is the
    /// same, and building them was much of the audit's cost. On by
    /// default, as the audit reports 违反/例外/待定 and counts the rest;
    /// set it false to receive every finding.
    pub count_only: bool,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            cutoff: None,
            lookback_days: 31,
            prompt_days: 31,
            chunk_days: 14,
            cite: 10,
            reorder_days: 7,
            count_only: true,
        }
    }
}

/// What the audit reports as it goes.
#[derive(Debug)]
pub enum AuditItem {
    /// A finding, with who it is about (the trigger's actor, or the person
    /// counted by a 频次 rule).
    Finding {
        finding: Box<Finding>,
        offender: Option<PartyRef>,
    },
    /// A record not taken: its line and why.
    Rejected { line: usize, diags: Vec<Diag> },
    /// A record taken whose deadline could not be computed (calendar).
    Unchecked { diags: Vec<Diag> },
    /// A record taken, with something that changes no verdict and is
    /// likely a slip (a 情形 no rule tests: 重大事项目 for 重大事项).
    Warning { line: usize, diags: Vec<Diag> },
}

/// What became of a record taken.
enum Taken {
    Checked,
    /// An event dated after `--cutoff`: outside the audit.
    AfterCutoff,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditStats {
    /// Non-blank lines read; always `checked + rejected + after_cutoff`
    /// (once the audit is finished: an event taken may still be rejected
    /// as mis-dated).
    pub read: usize,
    pub checked: usize,
    pub rejected: usize,
    /// Events dated after `--cutoff`: outside the audit, neither checked
    /// nor rejected (the first one's line in `first_after_cutoff`).
    pub after_cutoff: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_after_cutoff: Option<usize>,
    pub events: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub cutoff: Option<NaiveDate>,
    /// Findings per article number and verdict.
    pub by_article: BTreeMap<u32, ArticleCounts>,
    /// Violations per person or unit.
    pub offenders: Offenders,
    /// Records whose deadlines ran off the calendar.
    pub unchecked: usize,
    /// The most events held at once (the buffer and the reorder window):
    /// the audit's memory, in events.
    pub peak_buffer: usize,
    /// 频次 rules asking for acts of which the log holds none at all: their
    /// 违反 may say only that the export left such records out (a year of
    /// weekly 调研 breaches from a log with no 调研 in it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub never_recorded: Vec<NeverRecorded>,
}

/// A 频次 rule whose acts the log never records.
#[derive(Debug, Clone, Serialize)]
pub struct NeverRecorded {
    pub article: String,
    /// The acts counted, as the rule writes them (调研).
    pub acts: String,
    pub violated: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleCounts {
    pub display: String,
    #[serde(rename = "违反")]
    pub violated: usize,
    #[serde(rename = "例外")]
    pub excepted: usize,
    #[serde(rename = "待定")]
    pub pending: usize,
    #[serde(rename = "符合")]
    pub complied: usize,
    #[serde(rename = "不适用")]
    pub not_applicable: usize,
}

impl AuditStats {
    pub fn total(&self, v: Verdict) -> usize {
        self.by_article.values().map(|c| c.get(v)).sum()
    }

    /// The people and units with most violations, most first.
    pub fn worst(&self, n: usize) -> Vec<(String, usize)> {
        let mut all: Vec<(String, usize)> = self.offenders.named().collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

/// Violations per party, keyed by person or unit (a unit and a person of
/// the same name are two offenders; the unit is shown as “X（单位）”).
#[derive(Debug, Clone, Default)]
pub struct Offenders(BTreeMap<PartyRef, usize>);

impl Offenders {
    fn add(&mut self, p: &PartyRef) {
        *self.0.entry(p.clone()).or_default() += 1;
    }

    /// Each offender's display name and count.
    pub fn named(&self) -> impl Iterator<Item = (String, usize)> + '_ {
        let people: BTreeSet<&str> = self
            .0
            .keys()
            .filter(|p| !p.is_unit())
            .map(PartyRef::name)
            .collect();
        self.0.iter().map(move |(p, n)| {
            let name = p.name();
            let shared = p.is_unit() && people.contains(name);
            let shown = if shared {
                format!("{name}（单位）")
            } else {
                name.to_string()
            };
            (shown, *n)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Offenders {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.named())
    }
}

impl ArticleCounts {
    pub fn get(&self, v: Verdict) -> usize {
        match v {
            Verdict::Violated => self.violated,
            Verdict::Excepted => self.excepted,
            Verdict::Pending => self.pending,
            Verdict::Complied => self.complied,
            Verdict::NotApplicable => self.not_applicable,
        }
    }

    fn add(&mut self, v: Verdict) {
        let n = match v {
            Verdict::Violated => &mut self.violated,
            Verdict::Excepted => &mut self.excepted,
            Verdict::Pending => &mut self.pending,
            Verdict::Complied => &mut self.complied,
            Verdict::NotApplicable => &mut self.not_applicable,
        };
        *n += 1;
    }
}

/// A 频次 rule's running counts.
struct FrequencyState<'r> {
    rule: &'r CompiledRule,
    terms: &'r FrequencyRule,
    /// Start of the first period not yet judged.
    next_period: Option<NaiveDate>,
    /// Groups known so far (None: the rule does not group).
    groups: BTreeSet<Option<Party>>,
    tallies: BTreeMap<(NaiveDate, Option<Party>), Tally>,
}

/// Distinct unknown 情形 warned of in one audit: beyond, a log of
/// free-text tags would bury its findings under warnings.
const MAX_TAG_WARNINGS: usize = 100;

/// The audit of one log under one ruleset. Feed lines with [`Audit::line`],
/// then call [`Audit::finish`].
pub struct Audit<'r> {
    rs: &'r Ruleset,
    cal: &'r Calendar,
    opts: AuditOptions,
    file: String,
    /// `log.base.events` is the buffer: every event from the oldest a
    /// trigger still to be settled may look back to, in date order, with
    /// indices that run on without gaps.
    log: LogResolver<'r>,
    /// The buffer's events indexed, kept up to date as events enter and
    /// leave it (not rebuilt per chunk).
    index: EventIndex,
    next_index: usize,
    /// Events taken but not yet released into the buffer, in (date,
    /// arrival) order: the reorder window and any unconfirmed jump ahead.
    held: std::collections::VecDeque<Held>,
    /// The dates of the last [`CONFIRM`] events taken.
    recent: std::collections::VecDeque<NaiveDate>,
    /// The date the log has reached: the earliest of [`CONFIRM`]
    /// consecutive events, at its latest (one event dated far ahead does
    /// not move it). Events before it less the reorder window are refused;
    /// events before that are released to the buffer.
    reached: Option<NaiveDate>,
    /// The event lines of the days still inside the reorder window, by a
    /// hash of the line (its number, and the text to rule out a collision):
    /// an exact repeat of one is refused, not counted twice (an export
    /// that wrote a record twice made one 常务会议 satisfy “每月2次”).
    seen_lines: crate::check::FxMap<u64, (usize, Arc<str>)>,
    /// The same lines in date order, to let them go with their days.
    seen_order: std::collections::VecDeque<(NaiveDate, u64)>,
    /// The 情形 the rules test; one the log records that is not among
    /// them is warned of once (as `check` does), up to [`MAX_TAG_WARNINGS`].
    tags_tested: BTreeSet<&'r str>,
    tags_warned: BTreeSet<Arc<str>>,
    /// The verbs of the events read (a few dozen at most).
    verbs_seen: Vec<Verb>,
    /// Triggers dated before this are settled.
    settled_before: Option<NaiveDate>,
    /// Verbs worth keeping behind the settled chunk, with for how many
    /// days.
    keep: BTreeMap<Verb, u64>,
    /// The same for events naming their occasion (依据, 自 … 至): a
    /// precedent naming its trip counts from further back.
    keep_named: BTreeMap<Verb, u64>,
    /// Longest deadlines, for the horizon: working days, days, 及时.
    longest: (u32, u32, bool),
    /// The longest multi-day event so far (days from its date to its 至):
    /// deadlines after it count from its last day.
    max_span: u64,
    /// Kinds learnt from one mention of a document or meeting.
    document_kinds: FxMap<std::sync::Arc<str>, usize>,
    meeting_kinds: FxMap<std::sync::Arc<str>, usize>,
    /// 领域 and 情形 learnt from earlier mentions of a document.
    facts: DocumentFacts,
    /// Units declared by the log itself.
    log_units: BTreeSet<String>,
    frequency: Vec<FrequencyState<'r>>,
    pub stats: AuditStats,
}

impl<'r> Audit<'r> {
    pub fn new(rs: &'r Ruleset, file: &str, opts: AuditOptions) -> Audit<'r> {
        // Days kept behind the settled chunk, per verb: meetings (named by
        // 依据) for `lookback_days`; a precedent verb for its rules' own
        // look-back (older ones do not count in `check` either) plus lead.
        let mut keep: BTreeMap<Verb, u64> = BTreeMap::from([(Verb::Convene, 0)]);
        // The same for events naming their occasion (a leave naming its trip).
        let mut keep_named: BTreeMap<Verb, u64> = BTreeMap::new();
        let keep_for = |keep: &mut BTreeMap<Verb, u64>, verbs: &[Verb], days: u64| {
            for v in verbs {
                let all: Vec<Verb> = if *v == Verb::Trip {
                    Verb::ALL
                        .iter()
                        .map(|(x, _)| *x)
                        .filter(|x| x.is_trip())
                        .collect()
                } else {
                    vec![*v]
                };
                for x in all {
                    let d = keep.entry(x).or_insert(0);
                    *d = (*d).max(days);
                }
            }
        };
        let mut longest = (0, 0, false);
        let mut freq = Vec::new();
        for rule in &rs.rules {
            let needs = rule.kind.pattern().audit_needs(rule);
            for (verbs, days) in needs.keep {
                keep_for(&mut keep, verbs, days);
            }
            for (verbs, days) in needs.keep_named {
                keep_for(&mut keep_named, verbs, days);
            }
            match needs.ahead {
                Ahead::Nothing => {}
                Ahead::WorkingDays(n) => longest.0 = longest.0.max(n),
                Ahead::Days(n) => longest.1 = longest.1.max(n),
                Ahead::Prompt => longest.2 = true,
            }
            if let Some(terms) = needs.per_period {
                freq.push(FrequencyState {
                    rule,
                    terms,
                    next_period: None,
                    groups: if terms.group.is_none() {
                        BTreeSet::from([None])
                    } else {
                        BTreeSet::new()
                    },
                    tallies: BTreeMap::new(),
                });
            }
        }
        // 视同: an act kept under one verb is kept under the others too.
        for map in [&mut keep, &mut keep_named] {
            for (class, _) in &rs.same_acts {
                if let Some(d) = class.iter().filter_map(|v| map.get(v).copied()).max() {
                    for v in class {
                        let k = map.entry(*v).or_insert(0);
                        *k = (*k).max(d);
                    }
                }
            }
        }
        Audit {
            rs,
            cal: &rs.calendar,
            opts,
            file: file.to_string(),
            log: LogResolver::new(rs, file),
            index: EventIndex::default(),
            next_index: 0,
            held: std::collections::VecDeque::new(),
            recent: std::collections::VecDeque::new(),
            reached: None,
            seen_lines: Default::default(),
            seen_order: Default::default(),
            tags_tested: crate::lint::tags_tested(rs),
            tags_warned: BTreeSet::new(),
            verbs_seen: Vec::new(),
            settled_before: None,
            keep: keep
                .into_iter()
                .map(|(v, d)| (v, d.max(u64::from(opts.lookback_days))))
                .collect(),
            keep_named: keep_named
                .into_iter()
                .map(|(v, d)| (v, d.max(u64::from(opts.lookback_days))))
                .collect(),
            longest,
            max_span: 0,
            document_kinds: FxMap::default(),
            meeting_kinds: FxMap::default(),
            facts: DocumentFacts::default(),
            log_units: BTreeSet::new(),
            frequency: freq,
            stats: AuditStats::default(),
        }
    }

    /// Take one line of the log (1-based `line`); blank lines are skipped.
    pub fn line(&mut self, line: usize, text: &str, out: &mut dyn FnMut(AuditItem)) {
        if text.trim().is_empty() {
            return;
        }
        self.stats.read += 1;
        match self.record(line, text, out) {
            Ok(Taken::Checked) => self.stats.checked += 1,
            Ok(Taken::AfterCutoff) => {}
            Err(diags) => {
                self.stats.rejected += 1;
                out(AuditItem::Rejected { line, diags });
            }
        }
    }

    /// Take one line of the log as read (1-based `line`, without its
    /// newline): a "\r" before the newline and a byte-order mark on the
    /// first line are dropped; a line that is not UTF-8 is rejected.
    pub fn bytes(&mut self, line: usize, bytes: &[u8], out: &mut dyn FnMut(AuditItem)) {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        // Windows tools start UTF-8 files with a byte-order mark.
        let bytes = match line {
            1 => bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes),
            _ => bytes,
        };
        // simdutf8: validates CJK text several times faster than std, which
        // goes byte by byte outside ASCII; on an error std finds where.
        match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => self.line(line, text, out),
            Err(_) => self.bad_line(line, bytes, out),
        }
    }

    /// A line that is not UTF-8: rejected, counted.
    pub fn bad_line(&mut self, line: usize, bytes: &[u8], out: &mut dyn FnMut(AuditItem)) {
        self.stats.read += 1;
        self.stats.rejected += 1;
        let text = String::from_utf8_lossy(bytes).into_owned();
        let at = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let src = self.line_source(line, &text);
        let d = Diag::error(
            code::IO_UTF8,
            Span::new(at, (at + '\u{FFFD}'.len_utf8()).min(text.len())),
            format!("第{line}行不是 UTF-8 编码"),
        )
        .label("从这里起不是有效的 UTF-8")
        .help("用 UTF-8 导出日志（GBK 请先转换：iconv -f GBK -t UTF-8）")
        .in_source(&src);
        out(AuditItem::Rejected {
            line,
            diags: vec![d],
        });
    }

    /// A line longer than [`MAX_LINE_BYTES`] (`bytes` long): rejected,
    /// counted, not held.
    pub fn long_line(&mut self, line: usize, bytes: usize, out: &mut dyn FnMut(AuditItem)) {
        self.stats.read += 1;
        self.stats.rejected += 1;
        let src = self.line_source(line, "");
        let d = Diag::error(
            code::AUDIT_LINE_TOO_LONG,
            Span::default(),
            format!(
                "第{line}行长 {bytes} 字节，超过每行 {} MiB 的上限",
                MAX_LINE_BYTES >> 20
            ),
        )
        .label("过长的行")
        .help("日志每行一条记录；这样长的行多半是缺了换行符或给错了文件，已跳到下一行继续")
        .in_source(&src);
        out(AuditItem::Rejected {
            line,
            diags: vec![d],
        });
    }

    fn line_source(&self, line: usize, text: &str) -> Source {
        Source::line_of(self.file.as_str(), text, line)
    }

    fn record(
        &mut self,
        line: usize,
        text: &str,
        out: &mut dyn FnMut(AuditItem),
    ) -> Result<Taken, Vec<Diag>> {
        // Most lines are events without a mistake: read and resolve them
        // straight from the line. Anything else is read the ordinary way
        // below, which reports what is wrong.
        let mut e = crate::json::EventLine::default();
        if crate::json::event_line_into(text, &mut e)
            && let Some(ev) = self.log.event_line(&e, text, line)
        {
            return self.take_event(ev, Span::new(0, text.len()), line, text, out);
        }
        let src = self.line_source(line, text);
        match parse_record(&src)? {
            Record::Person(p) => {
                // A change of position dated on or before an event already
                // in the buffer may alter findings already given: refused,
                // not applied to half the log.
                if let (Some(d), Some(last)) = (&p.date, self.stats.last)
                    && d.node <= last
                {
                    return Err(vec![
                        Diag::error(
                            code::AUDIT_ORDER,
                            d.span,
                            format!("任职变动日期 {} 不晚于日志已检查到的 {last}", d.node),
                        )
                        .label("变动来得太晚")
                        .help("人员记录（含带日期的任职变动）请放在日志开头，或至少放在变动日期的事件之前：此前的结论已按原职务作出，这一条未采用")
                        .in_source(&src),
                    ]);
                }
                let id = self.log.person(&p, &src)?;
                self.new_person(id, out);
            }
            Record::Unit(u) => {
                // Twice in the log is a mistake; a unit the ruleset already
                // declares may be listed again (exports list them all).
                if !self.log_units.insert(u.node.clone()) {
                    return Err(vec![
                        Diag::error(
                            code::NAME_DUPLICATE,
                            Span::new(0, text.len()),
                            format!("单位“{}”重复声明", u.node),
                        )
                        .label("再次声明")
                        .help("每个单位只声明一次：删去这一行")
                        .in_source(&src),
                    ]);
                }
                self.log.unit(&u, &src)?
            }
            Record::Delegation(d) => self.log.delegation(&d, &src)?,
            Record::Revocation(r) => self.log.revocation(&r, &src)?,
            Record::Event(e) => {
                let ev = self.log.event(&e, &src)?;
                return self.take_event(ev, e.date.span, line, text, out);
            }
        }
        Ok(Taken::Checked)
    }

    /// An event read: refused when out of order or after the cutoff, else
    /// held in the reorder window.
    fn take_event(
        &mut self,
        mut ev: EventIr,
        date_span: Span,
        line: usize,
        text: &str,
        out: &mut dyn FnMut(AuditItem),
    ) -> Result<Taken, Vec<Diag>> {
        let window = u64::from(self.opts.reorder_days);
        if let Some(reached) = self.reached
            && ev.date < minus(reached, window)
        {
            let behind = (reached - ev.date).num_days();
            return Err(vec![
                Diag::error(
                    code::AUDIT_ORDER,
                    date_span,
                    format!(
                        "事件日期 {} 比日志已到的日期 {reached} 早 {behind} 天，超出重排窗口（{window} 天）",
                        ev.date
                    ),
                )
                .label("日期倒退过多")
                .help(format!("日志大致按日期排序即可：比已到日期早 {window} 天以内的记录照常接收（--reorder-days）；更早的请核对日期，或先排序再审计，例如 jq -c -s 'sort_by(.event.date // \"\")[]'"))
                .in_source(&self.line_source(line, text)),
            ]);
        }
        // After `--cutoff`: outside the audit, not a bad record (a reviewer
        // auditing September out of a quarter's export; reviewer trial #6,
        // stop 35). Counted apart and named once at the end, not checked.
        if let Some(c) = self.opts.cutoff
            && ev.date > c
        {
            self.stats.after_cutoff += 1;
            self.stats.first_after_cutoff.get_or_insert(line);
            return Ok(Taken::AfterCutoff);
        }
        // The same line again (same date, same text): a repeated record.
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::check::FxHasher::default();
            ev.text.hash(&mut h);
            h.finish()
        };
        if let Some(&(first, _)) = self
            .seen_lines
            .get(&hash)
            .filter(|(_, seen)| **seen == *ev.text)
        {
            return Err(vec![
                Diag::error(
                    code::AUDIT_DUPLICATE,
                    Span::new(0, text.len()),
                    format!("第{line}行与第{first}行完全相同：同一记录出现两次"),
                )
                .label("重复的记录")
                .help("导出时多写了一次：删去重复的一行（已拒收，只按一条记录检查）；确是两件同样的事，在其中一条写明 事由 或 依据 加以区分")
                .in_source(&self.line_source(line, text)),
            ]);
        }
        // Held events dated more than the window after this one:
        // either they jumped ahead or this one jumped back; the
        // fewer are taken to be wrong (this one when as many).
        let ahead_at = self.held_until(plus(ev.date, window));
        if let Some(first) = self.held.get(ahead_at)
            && self.held.len() - ahead_at > ahead_at
        {
            let before = (first.ev.date - ev.date).num_days();
            return Err(vec![
                Diag::error(
                    code::AUDIT_ORDER,
                    date_span,
                    format!(
                        "事件日期 {} 比前面第{}行的 {} 早 {before} 天，超出重排窗口（{window} 天）",
                        ev.date, first.ev.line, first.ev.date
                    ),
                )
                .label("日期倒退过多")
                .help(format!("日志大致按日期排序即可：早 {window} 天以内的记录照常接收（--reorder-days）；更早的请核对日期，或先排序再审计"))
                .in_source(&self.line_source(line, text)),
            ]);
        }
        if let std::collections::hash_map::Entry::Vacant(v) = self.seen_lines.entry(hash) {
            v.insert((line, ev.text.clone()));
            self.seen_order.push_back((ev.date, hash));
        }
        self.warn_unknown_tags(&ev, line, text, out);
        ev.line = line;
        self.hold(ev, date_span, out);
        Ok(Taken::Checked)
    }

    /// A 情形 no rule tests, the first time the log records it: a
    /// misspelt one (重大事项目) silently drops the rule meant for it.
    fn warn_unknown_tags(
        &mut self,
        ev: &EventIr,
        line: usize,
        text: &str,
        out: &mut dyn FnMut(AuditItem),
    ) {
        for t in &ev.tags {
            if self.tags_tested.contains(&**t)
                || self.tags_warned.len() >= MAX_TAG_WARNINGS
                || !self.tags_warned.insert(t.clone())
            {
                continue;
            }
            let quoted = format!("\"{t}\"");
            let span = text.find(&quoted).map_or(Span::new(0, text.len()), |at| {
                Span::new(at, at + quoted.len())
            });
            let d = crate::lint::unknown_tag(self.rs, &self.tags_tested, t, span)
                .in_source(&self.line_source(line, text));
            out(AuditItem::Warning {
                line,
                diags: vec![d],
            });
        }
    }

    /// Take an event into the reorder window. Events held that are dated
    /// more than the window after it (fewer than those not: see `record`)
    /// jumped ahead (a typo in the date: the log goes on from the earlier
    /// dates) and are rejected; then the
    /// date reached moves on, and events behind it less the window, which
    /// no later record can precede any more, go to the buffer in date order.
    fn hold(&mut self, ev: EventIr, date_span: Span, out: &mut dyn FnMut(AuditItem)) {
        let window = u64::from(self.opts.reorder_days);
        let (date, line) = (ev.date, ev.line);
        let ahead = plus(date, window);
        let keep = self.held_until(ahead);
        // Nearly always none, and nearly always at the end: no split, and
        // a push rather than an insert.
        if keep < self.held.len() {
            for h in self.held.split_off(keep) {
                self.reject_jumped(h, line, date, out);
            }
        }
        let at = self.held_until(date);
        if at == self.held.len() {
            self.held.push_back(Held { ev, date_span });
        } else {
            self.held.insert(at, Held { ev, date_span });
        }
        self.recent.push_back(date);
        if self.recent.len() > CONFIRM {
            self.recent.pop_front();
        }
        if self.recent.len() == CONFIRM
            && let Some(&low) = self.recent.iter().min()
            && self.reached.is_none_or(|r| r < low)
        {
            self.reached = Some(low);
        }
        self.stats.peak_buffer = self
            .stats
            .peak_buffer
            .max(self.log.base.events.len() + self.held.len());
        if let Some(reached) = self.reached {
            // Lines of days before the window cannot be repeated in place
            // (dropped a day at a time: a split per event rebuilt the map).
            let keep_from = minus(reached, window + 1);
            while let Some(&(d, h)) = self.seen_order.front()
                && d < keep_from
            {
                self.seen_order.pop_front();
                self.seen_lines.remove(&h);
            }
            self.release(minus(reached, window), out);
        }
    }

    /// Release the held events dated before `before` to the buffer.
    fn release(&mut self, before: NaiveDate, out: &mut dyn FnMut(AuditItem)) {
        let n = match self.held.front() {
            Some(h) if h.ev.date < before => self.held.partition_point(|h| h.ev.date < before),
            _ => 0,
        };
        self.release_first(n, out);
    }

    /// How many held events are dated on or before `d` (all of them, in
    /// a log in date order: no search then).
    fn held_until(&self, d: NaiveDate) -> usize {
        match self.held.back() {
            Some(h) if h.ev.date > d => self.held.partition_point(|h| h.ev.date <= d),
            _ => self.held.len(),
        }
    }

    /// Release the first `n` held events (in date order, each day's in the
    /// order they came) to the buffer; they get their indices now.
    fn release_first(&mut self, n: usize, out: &mut dyn FnMut(AuditItem)) {
        for _ in 0..n {
            let Some(h) = self.held.pop_front() else {
                break;
            };
            let mut ev = h.ev;
            ev.index = self.next_index;
            self.next_index += 1;
            self.push(ev, out);
        }
    }

    /// An event held, found dated far after the events that follow it.
    fn reject_jumped(
        &mut self,
        h: Held,
        by_line: usize,
        by_date: NaiveDate,
        out: &mut dyn FnMut(AuditItem),
    ) {
        self.stats.checked = self.stats.checked.saturating_sub(1);
        self.stats.rejected += 1;
        let window = self.opts.reorder_days;
        let src = self.line_source(h.ev.line, &h.ev.text);
        let ahead = (h.ev.date - by_date).num_days();
        let d = Diag::error(
            code::AUDIT_ORDER,
            h.date_span,
            format!(
                "事件日期 {} 比其后第{by_line}行的 {by_date} 晚 {ahead} 天，超出重排窗口（{window} 天）：这一条的日期多半有误",
                h.ev.date
            ),
        )
        .label("日期跳前")
        .help("其后的记录接着更早的日期：核对这一条的日期；它未被检查")
        .in_source(&src);
        out(AuditItem::Rejected {
            line: h.ev.line,
            diags: vec![d],
        });
    }

    fn push(&mut self, mut ev: EventIr, out: &mut dyn FnMut(AuditItem)) {
        // Events arrive in date order: a document's 领域 and 情形 carry on.
        self.facts.carry(&mut ev, &self.rs.act_tags);
        self.stats.events += 1;
        if !self.verbs_seen.contains(&ev.verb) {
            self.verbs_seen.push(ev.verb);
        }
        if self.stats.first.is_none() {
            self.stats.first = Some(ev.date);
            self.settled_before = Some(ev.date);
        }
        if self.stats.last.is_some_and(|l| l < ev.date) {
            // Every event dated before this one is in: settle what we can.
            self.settle(ev.date, out);
        }
        self.stats.last = Some(ev.date);
        // Kinds known from one mention apply to every mention: this one
        // takes a kind already known, or makes its own known to the earlier
        // mentions still in the buffer.
        if let Some(o) = &ev.object {
            match (ev.document_kind, self.document_kinds.get(o)) {
                (None, Some(k)) => ev.document_kind = Some(*k),
                (Some(k), None) => {
                    self.document_kinds.insert(o.clone(), k);
                    self.back_fill(o, |e| {
                        if e.document_kind.is_none() {
                            e.document_kind = Some(k);
                        }
                    });
                }
                _ => {}
            }
            if ev.verb == Verb::Absent && ev.meeting_kind.is_none() {
                ev.meeting_kind = self.meeting_kinds.get(o).copied();
            }
            if let (Some(k), Verb::Convene) = (ev.meeting_kind, ev.verb)
                && !self.meeting_kinds.contains_key(o)
            {
                self.meeting_kinds.insert(o.clone(), k);
                self.back_fill(o, |e| {
                    if e.verb == Verb::Absent && e.meeting_kind.is_none() {
                        e.meeting_kind = Some(k);
                    }
                });
            }
        }
        self.max_span = self
            .max_span
            .max(u64::try_from((ev.end() - ev.date).num_days()).unwrap_or(0));
        self.index.push(&ev);
        self.log.base.events.push(ev);
        self.stats.peak_buffer = self
            .stats
            .peak_buffer
            .max(self.log.base.events.len() + self.held.len());
    }

    /// The last date a trigger dated `d` may need to see.
    fn horizon(&self, d: NaiveDate) -> NaiveDate {
        let (wd, days, prompt) = self.longest;
        let d = plus(d, self.max_span);
        let by_wd = if wd == 0 {
            d
        } else {
            self.cal
                .add_working_days(d, wd)
                .ok()
                .unwrap_or_else(|| plus(d, calendar_span(TimeUnit::WorkingDay, wd)))
        };
        let mut h = by_wd.max(plus(d, u64::from(days)));
        if prompt {
            h = h.max(plus(d, u64::from(self.opts.prompt_days)));
        }
        h
    }

    /// Settle every chunk whose horizon lies before `complete_before`.
    fn settle(&mut self, complete_before: NaiveDate, out: &mut dyn FnMut(AuditItem)) {
        while let Some(cs) = self.settled_before {
            let ce = plus(cs, u64::from(self.opts.chunk_days.max(1)) - 1);
            if self.horizon(ce) >= complete_before {
                break;
            }
            // The record is complete up to the day before: a 及时 response
            // not seen by then is 待定, as in a scenario with 截至.
            let seen_to = complete_before.pred_opt().unwrap_or(complete_before);
            let ce = if self.has_events(cs, ce) {
                self.check_chunk(cs, ce, seen_to, out);
                ce
            } else {
                // Nothing can trigger (a holiday, a gap in the log): only
                // periods may end, and a gap of years is closed at once.
                let ce = self.empty_until(cs, complete_before);
                self.close_periods(ce, false, out);
                ce
            };
            self.settled_before = Some(plus(ce, 1));
            self.evict(plus(ce, 1));
        }
    }

    /// The end of the last of the chunks from `cs` on that hold no event
    /// and may be settled before `complete_before` (the first of them is
    /// known to qualify): found by bisection, so a gap of centuries costs
    /// a few horizon computations, not one per chunk.
    fn empty_until(&self, cs: NaiveDate, complete_before: NaiveDate) -> NaiveDate {
        let chunk = u64::from(self.opts.chunk_days.max(1));
        let end_of = |k: u64| {
            let days = k.checked_mul(chunk)?.checked_sub(1)?;
            cs.checked_add_days(Days::new(days))
        };
        let ev = &self.log.base.events;
        let next = ev.get(ev.partition_point(|e| e.date < cs)).map(|e| e.date);
        // Whole chunks before the next event (at least the first).
        let before_next = next.map_or(u64::MAX, |d| {
            u64::try_from((d - cs).num_days()).unwrap_or(0) / chunk
        });
        let ok = |k: u64| {
            k <= before_next && end_of(k).is_some_and(|e| self.horizon(e) < complete_before)
        };
        // ok(1) holds and ok is monotone (a later chunk's horizon is later);
        // past the last date there is no end, so the doubling stops.
        let (mut good, mut bad) = (1u64, 2u64);
        while ok(bad) {
            good = bad;
            bad = bad.saturating_mul(2);
        }
        while bad - good > 1 {
            let mid = good + (bad - good) / 2;
            if ok(mid) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        end_of(good).unwrap_or(cs)
    }

    /// Does the buffer hold an event dated in [cs, ce]?
    fn has_events(&self, cs: NaiveDate, ce: NaiveDate) -> bool {
        let ev = &self.log.base.events;
        let at = ev.partition_point(|e| e.date < cs);
        ev.get(at).is_some_and(|e| e.date <= ce)
    }

    /// Check the triggers dated [cs, ce] against the buffer.
    fn check_chunk(
        &mut self,
        cs: NaiveDate,
        ce: NaiveDate,
        cutoff: NaiveDate,
        out: &mut dyn FnMut(AuditItem),
    ) {
        self.log.base.cutoff = Some(cutoff);
        let opts = CheckOptions {
            trigger_window: Some((cs, ce)),
            skip_frequency: true,
            keep_going: true,
            prompt_days: Some(self.opts.prompt_days),
        };
        // One context serves the check and the 频次 counts.
        let mut freq = std::mem::take(&mut self.frequency);
        let (result, new_groups, tally) = {
            let mut ctx = Ctx::with_index(self.rs, &self.log.base, &self.index);
            ctx.trigger_window = Some((cs, ce));
            ctx.prompt_days = opts.prompt_days;
            if self.opts.count_only {
                ctx.tally = Some(Default::default());
            }
            let report = crate::check::check_in(&ctx, opts);
            let groups = count_frequency(&ctx, &mut freq, self.opts.cite);
            (report, groups, ctx.tally.take())
        };
        self.frequency = freq;
        match result {
            Ok(report) => {
                if let Some(tally) = tally {
                    self.add_tally(tally.into_inner());
                }
                if !report.problems.is_empty() {
                    self.stats.unchecked += report.problems.len();
                    let diags = report
                        .problems
                        .into_iter()
                        .map(|(i, d)| self.at_event_line(i, d))
                        .collect();
                    out(AuditItem::Unchecked { diags });
                }
                for f in report.findings {
                    let offender = self.offender(&f);
                    self.emit(f, offender, out);
                }
            }
            Err(diags) => {
                self.stats.unchecked += diags.len();
                out(AuditItem::Unchecked { diags });
            }
        }
        for (i, g) in new_groups {
            self.add_group(i, g, out);
        }
        self.close_periods(ce, false, out);
    }

    /// Who a finding is about: the party the checker names (who owed the
    /// response, whose authority was checked), else the trigger's actor.
    /// Apply `fill` to the buffer's earlier events about `object`.
    fn back_fill(&mut self, object: &str, fill: impl Fn(&mut EventIr)) {
        let at: Vec<usize> = match self.index.about(&self.log.base.events, object) {
            Some(at) => at.iter().collect(),
            None => return,
        };
        let events = &mut self.log.base.events;
        for i in at {
            if let Ok(k) = events.binary_search_by_key(&i, |e| e.index)
                && let Some(e) = events.get_mut(k)
            {
                fill(e);
            }
        }
    }

    fn offender(&self, f: &Finding) -> Option<PartyRef> {
        if let Some(p) = &f.party {
            return Some(p.clone());
        }
        let e = self.event_by_index(f.events.first()?.index)?;
        e.actor.as_ref().map(|p| self.log.base.party_ref(p))
    }

    /// A diagnostic about an event, placed on the event's log line.
    fn at_event_line(&self, index: usize, mut d: Diag) -> Diag {
        match self.event_by_index(index) {
            Some(e) => {
                let src = Source::line_of(self.file.as_str(), &*e.text, e.line);
                d.span = Span::new(0, src.text.len());
                d.file = None;
                d.in_source(&src)
            }
            None => d,
        }
    }

    fn event_by_index(&self, index: usize) -> Option<&EventIr> {
        let ev = &self.log.base.events;
        let at = ev.partition_point(|e| e.index < index);
        ev.get(at).filter(|e| e.index == index)
    }

    fn emit(&mut self, f: Finding, offender: Option<PartyRef>, out: &mut dyn FnMut(AuditItem)) {
        let counts = self.stats.by_article.entry(f.article).or_default();
        if counts.display.is_empty() {
            counts.display = f.article_display().to_string();
        }
        counts.add(f.verdict);
        if self.opts.count_only && f.verdict.is_quiet() {
            return;
        }
        if f.verdict == Verdict::Violated
            && let Some(o) = &offender
        {
            self.stats.offenders.add(o);
        }
        out(AuditItem::Finding {
            finding: Box::new(f),
            offender,
        });
    }

    /// Count the 符合 and 不适用 findings the checkers counted (by rule id)
    /// and did not build, as [`Audit::emit`] counts those built.
    fn add_tally(&mut self, tally: FxMap<usize, [usize; 2]>) {
        let rs = self.rs;
        for (id, [complied, not_applicable]) in tally {
            // Ids are the rules' own: one not found is counted nowhere, as
            // a finding of it could not have been made.
            let Some(rule) = rs.rules.iter().find(|r| r.id == id) else {
                continue;
            };
            let article = rs.article_of(rule).map_or(0, |a| a.number);
            let counts = self.stats.by_article.entry(article).or_default();
            if counts.display.is_empty() {
                counts.display = rule.texts.article_display.to_string();
            }
            counts.complied += complied;
            counts.not_applicable += not_applicable;
        }
    }

    /// Drop what the settled triggers no longer need: behind `from`, keep
    /// only possible precedents and meetings within the look-back.
    fn evict(&mut self, from: NaiveDate) {
        let keep = &self.keep;
        let events = &mut self.log.base.events;
        let before = events.len();
        // Only the events dated before `from` may go (the buffer is in date
        // order): in one pass (retain visits the events in order), those
        // kept among them move forward once each, not swapped (an event is
        // hundreds of bytes), and the rest of the buffer moves once.
        let old = events.partition_point(|e| e.date < from);
        // Each verb kept, with the earliest date kept (None: all).
        let cuts: Vec<(Verb, Option<NaiveDate>)> = keep
            .iter()
            .map(|(v, d)| (*v, from.checked_sub_days(Days::new(*d))))
            .collect();
        let named_cuts: Vec<(Verb, Option<NaiveDate>)> = self
            .keep_named
            .iter()
            .map(|(v, d)| (*v, from.checked_sub_days(Days::new(*d))))
            .collect();
        let within = |cuts: &[(Verb, Option<NaiveDate>)], e: &EventIr| {
            cuts.iter()
                .find(|(v, _)| *v == e.verb)
                .is_some_and(|(_, k)| k.is_none_or(|k| e.date >= k))
        };
        let kept = |e: &EventIr| {
            within(&cuts, e)
                || ((e.basis.is_some() || e.period.is_some()) && within(&named_cuts, e))
        };
        let mut at = 0;
        events.retain(|e| {
            at += 1;
            at > old || kept(e)
        });
        let gone = before - self.log.base.events.len();
        self.index.left(&self.log.base.events, gone);
        let buffer = &self.log.base.events;
        if buffer.is_empty() {
            // Nothing left can be mentioned again with a kind to share.
            self.document_kinds.clear();
            self.meeting_kinds.clear();
            self.facts = DocumentFacts::default();
        } else if self.document_kinds.len().max(self.facts.len()) > 4 * buffer.len() + 1024 {
            let live: BTreeSet<&str> = buffer.iter().filter_map(|e| e.object.as_deref()).collect();
            self.document_kinds.retain(|k, _| live.contains(k.as_ref()));
            self.meeting_kinds.retain(|k, _| live.contains(k.as_ref()));
            self.facts.retain(|k| live.contains(k));
        }
        // Titles no event or map holds any more leave the shared table.
        if self.log.titles_len() > 4 * self.log.base.events.len() + 1024 {
            self.log.prune_titles();
        }
    }

    /// Is the group a person whose positions change on some day (and so
    /// owes only some periods: frequency::owed)?
    fn changes_positions(&self, g: Option<&Party>) -> bool {
        matches!(g, Some(Party::Person(id))
            if self.log.base.people.get(*id).is_some_and(|x| !x.changes.is_empty()))
    }

    /// A person declared, or changed on a day: every 频次 rule counting
    /// such holders gets them (once: a group already counted is kept).
    fn new_person(&mut self, p: crate::compile::ir::PersonId, out: &mut dyn FnMut(AuditItem)) {
        let ctx = Ctx::with_index(self.rs, &self.log.base, &self.index);
        let mut add = Vec::new();
        for (i, st) in self.frequency.iter().enumerate() {
            let pattern = &st.terms.pattern;
            if st.terms.group == Some(Grouping::Person)
                && !pattern.actors.is_empty()
                && frequency::listed(&ctx, pattern, p)
            {
                add.push(i);
            }
        }
        drop(ctx);
        for i in add {
            self.add_group(i, Some(Party::Person(p)), out);
        }
    }

    /// A group first seen: it counted zero in every period already judged
    /// (as when the whole log is checked at once).
    fn add_group(&mut self, i: usize, g: Option<Party>, out: &mut dyn FnMut(AuditItem)) {
        let rs = self.rs;
        let first = self.stats.first;
        let Some(st) = self.frequency.get_mut(i) else {
            return;
        };
        if !st.groups.insert(g.clone()) {
            return;
        }
        let groups = st.groups.len();
        let (rule, terms) = (st.rule, st.terms);
        let period = &terms.period;
        let (Some(first), Some(until)) = (first, st.next_period) else {
            return;
        };
        let who = g
            .as_ref()
            .map_or_else(String::new, |p| self.log.base.party_name(p));
        // Only periods while the ruleset is in force (as `check` does).
        let Some((first, last)) = frequency::in_force_part(rs, first, until) else {
            return;
        };
        let party = g.as_ref().map(|p| self.log.base.party_ref(p));
        // The periods already judged: from the one holding `first` to the
        // last starting before `until` (and while in force).
        let p0 = frequency::period_start(*period, first);
        let pl = frequency::period_start(*period, last.min(until.pred_opt().unwrap_or(until)));
        if pl < p0 || p0 >= until {
            return;
        }
        let n = frequency::period_number(*period, pl) - frequency::period_number(*period, p0) + 1;
        let n = usize::try_from(n).unwrap_or(0);
        // How much of the period the log shows: a log is the record of its
        // days, so a period inside them is seen whole.
        let seen = |p: NaiveDate| {
            frequency::Seen::whole_if(
                p >= first && frequency::period_end(*period, p).is_some_and(|e| e <= last),
            )
        };
        // A person whose positions change owes only the periods he holds
        // one of the rule's throughout (frequency::owed): period by period.
        if self.changes_positions(g.as_ref()) || n.saturating_mul(groups) <= frequency::MAX_LISTED {
            // Few: one finding per period, emitted as judged.
            let mut p = p0;
            while p <= pl {
                let tally = Tally {
                    not_owed: !frequency::owed_from(
                        rs,
                        &self.log.base.people,
                        terms,
                        g.as_ref(),
                        p,
                    ),
                    ..Tally::default()
                };
                if let Some(f) = frequency::period_finding(rs, rule, terms, &who, p, seen(p), tally)
                {
                    self.emit(f, party.clone(), out);
                }
                match frequency::period_end(*period, p).and_then(|e| e.succ_opt()) {
                    Some(next) => p = next,
                    None => break,
                }
            }
            return;
        }
        // Many: one finding per run (as in `check`). The group counted
        // nothing in any of them, and only the first and the last period
        // can be partly observed, so the run is built from three pushes
        // whatever the number of periods (a log spanning centuries).
        let mut runs = frequency::Runs::default();
        let mut found = Vec::new();
        found.extend(runs.push_empty(rs, rule, terms, &who, p0, p0, 1, seen(p0)));
        if n >= 3
            && let Some(p1) = frequency::period_end(*period, p0).and_then(|e| e.succ_opt())
            && let Some(before_last) = pl.pred_opt()
        {
            let pm = frequency::period_start(*period, before_last);
            found.extend(runs.push_empty(rs, rule, terms, &who, p1, pm, n - 2, seen(p1)));
        }
        if n >= 2 {
            found.extend(runs.push_empty(rs, rule, terms, &who, pl, pl, 1, seen(pl)));
        }
        found.extend(runs.finish(rs, rule, terms, &who));
        for f in found {
            self.emit(f, party.clone(), out);
        }
    }

    /// Judge the periods that end by `until` (all periods starting by it,
    /// at the end of the log). Findings are emitted as judged, not
    /// gathered: up to a distant `--cutoff`, periods × groups can be
    /// millions. Beyond [`frequency::MAX_LISTED`] of them at once, a
    /// group's run of periods with the same count and verdict is one
    /// finding, as in `check`.
    fn close_periods(&mut self, until: NaiveDate, at_end: bool, out: &mut dyn FnMut(AuditItem)) {
        let rs = self.rs;
        let Some(first) = self.stats.first else {
            return;
        };
        let mut states = std::mem::take(&mut self.frequency);
        for st in &mut states {
            let (rule, terms) = (st.rule, st.terms);
            let period = &terms.period;
            // Only periods while the ruleset is in force (as `check` does).
            let Some((first, last)) = frequency::in_force_part(rs, first, until) else {
                continue;
            };
            let mut p = *st
                .next_period
                .get_or_insert_with(|| frequency::period_start(*period, first));
            // The periods closing: (start, how much of it the log shows).
            let mut closing = Vec::new();
            while let Some(pe) = frequency::period_end(*period, p) {
                let closes = if at_end { p <= until } else { pe <= until };
                if !closes || p > last {
                    break;
                }
                closing.push((
                    p,
                    frequency::Seen::whole_if(p >= first && pe <= until && pe <= last),
                ));
                let Some(next) = pe.succ_opt() else { break };
                p = next;
                st.next_period = Some(p);
            }
            if closing.len().saturating_mul(st.groups.len()) > frequency::MAX_LISTED {
                // Each group's tallies among the closing periods, by the
                // period's place; the periods between are pushed in bulk,
                // so a gap of years costs per group what one period does.
                let after = st.tallies.split_off(&(p, None));
                let mut tallied: BTreeMap<Option<Party>, Vec<(usize, Tally)>> = BTreeMap::new();
                for ((tp, g), tally) in std::mem::replace(&mut st.tallies, after) {
                    match closing.binary_search_by_key(&tp, |c| c.0) {
                        Ok(i) => tallied.entry(g).or_default().push((i, tally)),
                        Err(_) => {
                            st.tallies.insert((tp, g), tally);
                        }
                    }
                }
                // Where `seen` changes (at the first and the last
                // period at most): a bulk push needs it alike throughout.
                let mut bounds: Vec<usize> = (1..closing.len())
                    .filter(|&i| closing.get(i).map(|c| c.1) != closing.get(i - 1).map(|c| c.1))
                    .collect();
                bounds.push(closing.len());
                for g in &st.groups {
                    let who = g
                        .as_ref()
                        .map_or_else(String::new, |x| self.log.base.party_name(x));
                    let party = g.as_ref().map(|x| self.log.base.party_ref(x));
                    let mut runs = frequency::Runs::default();
                    let mut found = Vec::new();
                    let mut at = 0;
                    let counts = tallied.remove(g).unwrap_or_default();
                    // A person whose positions change: period by period,
                    // those he does not hold throughout not judged for too
                    // few (frequency::owed).
                    if self.changes_positions(g.as_ref()) {
                        let mut counts = counts.into_iter().peekable();
                        for (i, (p, seen)) in closing.iter().enumerate() {
                            let mut tally = counts
                                .next_if(|(k, _)| *k == i)
                                .map(|(_, t)| t)
                                .unwrap_or_default();
                            tally.not_owed = !frequency::owed_from(
                                rs,
                                &self.log.base.people,
                                terms,
                                g.as_ref(),
                                *p,
                            );
                            found.extend(runs.push(rs, rule, terms, &who, *p, *seen, tally));
                        }
                        found.extend(runs.finish(rs, rule, terms, &who));
                        for f in found {
                            self.emit(f, party.clone(), out);
                        }
                        continue;
                    }
                    for (i, tally) in counts
                        .into_iter()
                        .map(|(i, t)| (i, Some(t)))
                        .chain(std::iter::once((closing.len(), None)))
                    {
                        // The empty periods [at, i), segment by segment.
                        while at < i {
                            let end = bounds
                                .get(bounds.partition_point(|&b| b <= at))
                                .map_or(i, |&b| b.min(i));
                            if let (Some(a), Some(b)) = (closing.get(at), closing.get(end - 1)) {
                                found.extend(runs.push_empty(
                                    rs,
                                    rule,
                                    terms,
                                    &who,
                                    a.0,
                                    b.0,
                                    end - at,
                                    a.1,
                                ));
                            }
                            at = end;
                        }
                        if let (Some(t), Some(c)) = (tally, closing.get(i)) {
                            found.extend(runs.push(rs, rule, terms, &who, c.0, c.1, t));
                            at = i + 1;
                        }
                    }
                    found.extend(runs.finish(rs, rule, terms, &who));
                    for f in found {
                        self.emit(f, party.clone(), out);
                    }
                }
                continue;
            }
            for (p, seen) in closing {
                for g in &st.groups {
                    let mut tally = st.tallies.remove(&(p, g.clone())).unwrap_or_default();
                    tally.not_owed =
                        !frequency::owed_from(rs, &self.log.base.people, terms, g.as_ref(), p);
                    let who = g
                        .as_ref()
                        .map_or_else(String::new, |x| self.log.base.party_name(x));
                    if let Some(f) =
                        frequency::period_finding(rs, rule, terms, &who, p, seen, tally)
                    {
                        let party = g.as_ref().map(|x| self.log.base.party_ref(x));
                        self.emit(f, party, out);
                    }
                }
            }
        }
        self.frequency = states;
    }

    /// Settle everything left: the log ends at the cutoff (default: its last
    /// event's date); obligations still open then are 待定.
    pub fn finish(mut self, out: &mut dyn FnMut(AuditItem)) -> AuditStats {
        // Nothing can come before the events still held: release them all.
        self.release_first(self.held.len(), out);
        let end = self.opts.cutoff.or(self.stats.last);
        self.stats.cutoff = end;
        if let (Some(cs), Some(end)) = (self.settled_before, end) {
            let last = self.stats.last.unwrap_or(end).max(end);
            if cs <= last {
                self.check_chunk(cs, last, end, out);
            }
            self.close_periods(end, true, out);
        }
        for st in &self.frequency {
            let verbs = &st.terms.pattern.verbs;
            let seen = self.verbs_seen.iter().any(|s| {
                verbs
                    .iter()
                    .any(|v| v == s || (*v == Verb::Trip && s.is_trip()))
            });
            if st.terms.min == 0 || seen {
                continue;
            }
            let Some(a) = self.rs.articles.get(st.rule.article) else {
                continue;
            };
            let article = a.display.to_string();
            let violated = self
                .stats
                .by_article
                .get(&a.number)
                .map_or(0, |c| c.violated);
            let acts = crate::check::verbs_text(verbs);
            // Two rules of one article about the same acts: one note.
            let known = self
                .stats
                .never_recorded
                .iter()
                .any(|n| n.article == article && n.acts == acts);
            if violated > 0 && !known {
                self.stats.never_recorded.push(NeverRecorded {
                    article,
                    acts,
                    violated,
                });
            }
        }
        self.stats
    }
}

/// Count the triggering window's events for every 频次 rule; returns the
/// groups seen for the first time, as (rule state, group).
fn count_frequency(
    ctx: &Ctx<'_>,
    states: &mut [FrequencyState<'_>],
    cite: usize,
) -> Vec<(usize, Option<Party>)> {
    let mut new_groups = Vec::new();
    for (i, st) in states.iter_mut().enumerate() {
        let rule = st.rule;
        let FrequencyRule {
            pattern,
            period,
            group,
            ..
        } = st.terms;
        for e in ctx.triggering(&pattern.verbs) {
            if !frequency::counted(ctx, rule, pattern, e) {
                continue;
            }
            let g = match group {
                None => None,
                Some(g) => match frequency::group_member(*g, e) {
                    Some(p) => Some(p),
                    None => continue,
                },
            };
            if let (Some(Grouping::Person), Some(Party::Person(p))) = (group, &g)
                && !pattern.actors.is_empty()
                && !frequency::listed(ctx, pattern, *p)
            {
                continue;
            }
            if !st.groups.contains(&g) && !new_groups.contains(&(i, g.clone())) {
                new_groups.push((i, g.clone()));
            }
            // A multi-day event counts in every period it covers (towards
            // the most, only in the first; a meeting only in the first: see
            // frequency::tally_in).
            let start = e.start().min(e.date);
            // A meeting counts once, where it opens.
            let last = if frequency::counts_once(e) {
                start
            } else {
                e.end()
            };
            for (k, p) in frequency::period_starts(*period, start, last).enumerate() {
                st.tallies
                    .entry((p, g.clone()))
                    .or_default()
                    .add(e, cite, k == 0);
            }
        }
        // A person's own act recording a 特殊情况 excuses his too few in
        // the periods it covers (as frequency::away_in in `check`).
        if frequency::excuses_absence(rule, st.terms)
            && let Some((cs, ce)) = ctx.trigger_window
        {
            let evs = &ctx.sc.events;
            let from = evs.partition_point(|e| e.date < cs);
            for e in evs.get(from..).unwrap_or_default() {
                if e.date > ce {
                    break;
                }
                let Some(Party::Person(who)) = &e.actor else {
                    continue;
                };
                if frequency::special_of(e).is_none()
                    || (!pattern.actors.is_empty() && !frequency::listed(ctx, pattern, *who))
                {
                    continue;
                }
                let g = Some(Party::Person(*who));
                for p in frequency::period_starts(*period, e.start().min(e.date), e.end()) {
                    st.tallies.entry((p, g.clone())).or_default().note_away(e);
                }
            }
        }
    }
    new_groups
}

/// Consecutive events whose earliest date the log is taken to have reached.
const CONFIRM: usize = 3;

/// An event in the reorder window, with where its date is on its line.
struct Held {
    ev: EventIr,
    date_span: Span,
}

fn minus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap_or(d)
}

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

/// The longest record (line) taken: 1 MiB. A longer line is rejected
/// (guize::audit::line_too_long) without being held in memory, and reading
/// goes on at the next newline.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Read one line (through its newline) into `buf`, holding at most `max`
/// bytes of it: returns the bytes consumed and whether the line was longer
/// (then `buf` is empty and the rest of the line was skipped).
fn read_line_bounded(
    reader: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let newline = available.iter().position(|&b| b == b'\n');
        let (chunk, done) = match newline {
            Some(i) => (available.split_at(i + 1).0, true),
            None => (available, false),
        };
        if !too_long {
            // "\r\n" does not count against the limit.
            if buf.len() + chunk.len() > max + 2 {
                too_long = true;
                buf.clear();
                buf.shrink_to(max);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let n = chunk.len();
        reader.consume(n);
        consumed += n;
        if done {
            return Ok((consumed, too_long));
        }
    }
}

/// Audit a whole log read from `reader` (named `file` in messages),
/// passing each item to `out` as it is found.
pub fn audit_reader(
    rs: &Ruleset,
    file: &str,
    mut reader: impl std::io::BufRead,
    opts: AuditOptions,
    out: &mut dyn FnMut(AuditItem),
) -> Result<AuditStats, Diag> {
    let mut audit = Audit::new(rs, file, opts);
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        // A whole line in the reader's buffer is read from there, not
        // copied; a line running past the buffer (or too long, or a read
        // error) is read the careful way below.
        let whole = match reader.fill_buf() {
            Ok(available) => match memchr::memchr(b'\n', available) {
                Some(i) if i <= MAX_LINE_BYTES + 1 => {
                    line += 1;
                    audit.bytes(line, available.get(..i).unwrap_or_default(), out);
                    Some(i + 1)
                }
                _ => None,
            },
            Err(_) => None,
        };
        if let Some(n) = whole {
            reader.consume(n);
            continue;
        }
        buf.clear();
        let (n, too_long) =
            read_line_bounded(&mut reader, &mut buf, MAX_LINE_BYTES).map_err(|e| {
                Diag::error(
                    code::IO_READ,
                    Span::default(),
                    format!("读取 {file} 第{}行时出错：{e}", line + 1),
                )
                .help("检查文件是否完整、可读")
            })?;
        if n == 0 {
            break;
        }
        line += 1;
        if too_long {
            audit.long_line(line, n, out);
            continue;
        }
        audit.bytes(line, buf.strip_suffix(b"\n").unwrap_or(&buf), out);
    }
    if audit.stats.read == 0 {
        return Err(Diag::error(
            code::AUDIT_EMPTY,
            Span::default(),
            format!("{file} 中没有任何记录"),
        )
        .help("日志每行一个 JSON 对象（person、unit、delegation 或 event）；检查是否给错了文件"));
    }
    // Every event after the cutoff: a mistyped --cutoff (2022 for 2023)
    // would otherwise report a clean audit of nothing.
    if audit.stats.after_cutoff > 0 && audit.stats.events == 0 && audit.held.is_empty() {
        let cutoff = audit.opts.cutoff.map(|c| c.to_string()).unwrap_or_default();
        return Err(Diag::error(
            code::AUDIT_ALL_AFTER_CUTOFF,
            Span::default(),
            format!(
                "{file} 的 {} 条事件都晚于截至日期 {cutoff}，没有一条可以审计",
                audit.stats.after_cutoff
            ),
        )
        .help("“--cutoff”是审计到哪一天为止：核对日期（年份是否写错），或去掉 --cutoff 审计到日志的最后一天"));
    }
    Ok(audit.finish(out))
}

#[cfg(test)]
mod tests {
    //! The audit reads most event lines twice as fast by a second reader
    //! (`json::event_line` + `LogResolver::event_line`) that skips the
    //! syntax tree. It must make the very event the ordinary reader makes
    //! wherever it takes a line, and take no line the ordinary reader
    //! refuses (that one then reports it): checked here on generated logs
    //! and on each of their event lines broken in the ways records go wrong.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::generate::{GenOptions, generate};
    use serde_json::{Value, json};

    fn ruleset(slug: &str) -> Ruleset {
        let mut p = crate::Project::default();
        p.load_paths(&[format!(
            "{}/rulesets/{slug}.guize",
            env!("CARGO_MANIFEST_DIR")
        )])
        .expect("shipped ruleset loads");
        p.rulesets.remove(0)
    }

    /// The ways an event record goes wrong, or is merely unusual.
    fn variants(event: &Value) -> Vec<Value> {
        let with = |key: &str, v: Value| {
            let mut e = event.clone();
            e[key] = v;
            e
        };
        let without = |key: &str| {
            let mut e = event.clone();
            if let Some(m) = e.as_object_mut() {
                m.remove(key);
            }
            e
        };
        let someone = event["actor"].clone();
        vec![
            with("actor", json!("无此人")),
            with("actor", json!(" 无此人 ")),
            with("targets", json!(["无此单位"])),
            with("verb", json!("飞行")),
            with("verb", json!(" ")),
            with("date", json!("2023-02-30")),
            with("date", json!("2023年9月25日")),
            with("kind", json!("无此会议")),
            without("kind"),
            with("period", json!(["2023-03-05", "2023-03-01"])),
            with("period", json!(["2023-03-01", "2023-03-05"])),
            with("present", json!([someone.clone()])),
            with("absent", json!([someone.clone()])),
            with("convener", json!("无此人")),
            with("chair", someone.clone()),
            with("handler", json!("无此单位")),
            with("approved_by", someone.clone()),
            with("special", json!("例会顺延")),
            with("expected_count", json!(0)),
            with("present_count", json!(99)),
            with("expected_count", json!(5)),
            with("object", json!(" 关于（2023）第１号 文件 ")),
            with("decided", json!(["关于(2023)[3]号"])),
            with("tags", json!(["重要", "重要"])),
            with("area", json!(" 领域1 ")),
            with("due", json!("2023-13-01")),
            with("leaves_county", json!(true)),
            with("object", json!("带\\\"转义\\\"的标题")),
            with("unknown_field", json!(1)),
        ]
    }

    /// The event each reader makes of `text`, as debug text (None: the
    /// fast one does not take it; Err: the ordinary one refuses it).
    fn readings(
        a: &mut Audit<'_>,
        line: usize,
        text: &str,
    ) -> Option<(String, Result<String, ()>)> {
        let e = crate::json::event_line(text)?;
        let fast = a.log.event_line(&e, text, line)?;
        let src = a.line_source(line, text);
        let slow = match parse_record(&src) {
            Ok(Record::Event(e)) => a.log.event(&e, &src).map_err(drop),
            _ => Err(()),
        };
        // Spans inside the line point at what a diagnostic would show;
        // nothing reads a justification's.
        let show = |mut ev: EventIr| {
            if let Some(j) = ev.justification.as_mut() {
                j.span = Span::default();
            }
            format!("{ev:?}")
        };
        Some((show(fast), slow.map(show)))
    }

    #[test]
    fn the_fast_reading_of_event_lines_agrees_with_the_ordinary_one() {
        for slug in ["qianan-2022", "kezhou-2023"] {
            let rs = ruleset(slug);
            let mut log = Vec::new();
            let opts = GenOptions {
                events: 400,
                seed: 5,
                year: None,
                fault_rate: 0.2,
            };
            generate(&rs, opts, &mut log).unwrap();
            let log = String::from_utf8(log).unwrap();
            let mut a = Audit::new(&rs, "t.jsonl", AuditOptions::default());
            let (mut taken, mut left, mut scanned) = (0, 0, 0);
            for (i, text) in log.lines().enumerate() {
                let line = i + 1;
                let record: Value = serde_json::from_str(text).unwrap();
                let mut lines = vec![text.to_string()];
                if let Some(ev) = record.get("event") {
                    lines.extend(
                        variants(ev)
                            .iter()
                            .map(|v| json!({ "event": v }).to_string()),
                    );
                }
                for l in &lines {
                    // The scanner reads what serde reads, where it reads.
                    if let Some(e) = crate::json::scan_event_line(l) {
                        assert_eq!(Some(e), crate::json::event_line_serde(l), "{slug}: {l}");
                        scanned += 1;
                    }
                    match readings(&mut a, line, l) {
                        Some((fast, Ok(slow))) => {
                            assert_eq!(fast, slow, "{slug} line {line}: {l}");
                            taken += 1;
                        }
                        Some((fast, Err(()))) => {
                            panic!("{slug} line {line}: taken by the fast reader only: {l}\n{fast}")
                        }
                        None => left += 1,
                    }
                }
                // People and units enter the resolver as the audit reads
                // them.
                a.line(line, text, &mut |_| {});
            }
            assert!(
                taken > 1000 && left > 1000 && scanned > 1000,
                "{slug}: {taken} taken, {left} left, {scanned} scanned"
            );
        }
    }
}
