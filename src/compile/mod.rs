//! Compilation: AST → IR. Resolves every name (with did-you-mean), checks
//! numbering and units, and indexes rules by the event kinds that trigger
//! them, so checking never re-reads source text.

pub mod ir;
pub mod names;
mod scenario;
pub mod words;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::calendar::{Calendar, CalendarId};
use crate::check::{KindUnsure, Verdict};
use crate::diag::{Diag, Source, code};
use crate::syntax::ast::{self, Modality, Name, RuleBody, Span, TimeUnit, Verb};
use ir::*;
use names::{NameTable, unknown};

pub(crate) use scenario::out_of_range as scenario_out_of_range;
pub use scenario::{DocumentFacts, LogResolver, compile_scenario};

/// Compile one ruleset from its AST. Supplement files it names
/// (`日历 … 补充 "x.json"`) are read relative to the directory of `source`.
pub fn compile_ruleset(ast: &ast::Ruleset, source: &Source) -> Result<Ruleset, Vec<Diag>> {
    compile_ruleset_with(ast, source, &[])
}

/// [`compile_ruleset`], with further supplement files (`--calendar-file`)
/// added after the ruleset's own.
pub fn compile_ruleset_with(
    ast: &ast::Ruleset,
    source: &Source,
    calendar_files: &[Source],
) -> Result<Ruleset, Vec<Diag>> {
    let mut c = Compiler {
        errors: Vec::new(),
        positions: NameTable::default(),
        meetings: NameTable::default(),
        documents: NameTable::default(),
        units: NameTable::default(),
        vocab: Vec::new(),
        calendar_files,
    };
    let rs = c.ruleset(ast, source);
    if c.errors.is_empty() {
        Ok(rs)
    } else {
        Err(c.errors.into_iter().map(|d| d.in_source(source)).collect())
    }
}

struct Compiler<'f> {
    errors: Vec<Diag>,
    positions: NameTable,
    meetings: NameTable,
    documents: NameTable,
    units: NameTable,
    /// 行为: the verbs the ruleset declares.
    vocab: Vec<&'static str>,
    /// Supplement files from outside the ruleset (`--calendar-file`).
    calendar_files: &'f [Source],
}

/// Built-in document kind for meeting minutes.
pub const MINUTES: &str = "纪要";

impl Compiler<'_> {
    fn duplicate(&mut self, what: &str, name: &Name, first: Span) {
        self.errors.push(
            Diag::error(
                code::NAME_DUPLICATE,
                name.span,
                format!("{what}“{}”重复声明", name.node),
            )
            .label("又声明了一次")
            .related(first, "第一次声明在这里")
            .help(format!("删去重复的声明，或改用另一个{what}名称")),
        );
    }

    fn ruleset(&mut self, ast: &ast::Ruleset, source: &Source) -> Ruleset {
        // Declarations first, so articles may use names declared later.
        let mut verb_spans: BTreeMap<&str, Span> = BTreeMap::new();
        for v in &ast.verb_decls {
            if Verb::from_word(&v.node).is_some() {
                self.errors.push(
                    Diag::error(
                        code::NAME_DUPLICATE,
                        v.span,
                        format!("“{}”是内置动词", v.node),
                    )
                    .label("不必声明")
                    .help("“行为”只声明内置动词之外的行为，如 行为 督查、送达、公布"),
                );
            } else if let Some(first) = verb_spans.get(v.node.as_str()) {
                let first = *first;
                self.duplicate("行为", v, first);
            } else {
                verb_spans.insert(&v.node, v.span);
                self.vocab.push(ast::intern(&v.node));
            }
        }
        for p in &ast.positions {
            for n in &p.names {
                // 职务 X 属于 Y after X was declared only adds a parent.
                if let Err(first) = self.positions.insert(&n.node, n.span)
                    && p.parents.is_empty()
                {
                    let s = self.positions.spans.get(first).copied().unwrap_or_default();
                    self.duplicate("职务", n, s);
                }
            }
        }
        for u in &ast.units {
            // 单位 X 属于 Y after X was declared only adds a class.
            let classes_only = ast
                .unit_parents
                .iter()
                .any(|(n, _)| n.span.start == u.span.start && n.node == u.node);
            if let Err(first) = self.units.insert(&u.node, u.span)
                && !classes_only
            {
                let s = self.units.spans.get(first).copied().unwrap_or_default();
                self.duplicate("单位", u, s);
            }
        }
        let all_meetings: Vec<&ast::MeetingDecl> = ast
            .meetings
            .iter()
            .chain(ast.articles.iter().flat_map(|a| a.meetings.iter()))
            .collect();
        let mut meeting_decls: Vec<&ast::MeetingDecl> = Vec::new();
        for m in &all_meetings {
            match self.meetings.insert(&m.name.node, m.name.span) {
                Ok(_) => meeting_decls.push(m),
                Err(first) => {
                    // A meeting may be declared once at top level and once in
                    // an article (to attach rules there), but facts only once.
                    let has_facts = !m.members.is_empty() || m.title.is_some();
                    let first_decl = meeting_decls.get(first);
                    let first_has_facts =
                        first_decl.is_some_and(|f| !f.members.is_empty() || f.title.is_some());
                    if has_facts && first_has_facts {
                        let s = self.meetings.spans.get(first).copied().unwrap_or_default();
                        self.duplicate("会议", &m.name, s);
                    }
                }
            }
        }
        for d in &ast.documents {
            if d.name.node == MINUTES {
                self.errors.push(
                    Diag::error(code::NAME_DUPLICATE, d.name.span, "“纪要”是内置的公文种类")
                        .label("不必声明")
                        .help("会议纪要直接写作“纪要”，用“依据 会议种类”说明是哪类会议的纪要"),
                );
                continue;
            }
            if let Err(first) = self.documents.insert(&d.name.node, d.name.span) {
                let s = self.documents.spans.get(first).copied().unwrap_or_default();
                self.duplicate("公文", &d.name, s);
            }
        }
        let _ = self.documents.insert(MINUTES, Span::default());

        // Position hierarchy (属于), checked for unknown parents and cycles.
        let mut position_parents = vec![Vec::new(); self.positions.len()];
        for p in &ast.positions {
            let parents: Vec<usize> = p
                .parents
                .iter()
                .filter_map(|n| self.position_id(n))
                .collect();
            for n in &p.names {
                if let Some(id) = self.positions.get(&n.node)
                    && let Some(slot) = position_parents.get_mut(id)
                {
                    slot.extend(parents.iter().copied());
                }
            }
        }
        let (position_ancestors, too_large) = ancestors(&position_parents);
        if let Some(id) = too_large {
            let span = self.positions.spans.get(id).copied().unwrap_or_default();
            self.errors
                .push(hierarchy_too_large("职务", self.positions.name(id), span));
        }
        for (id, anc) in position_ancestors.iter().enumerate() {
            if anc.contains(&id) {
                let span = self.positions.spans.get(id).copied().unwrap_or_default();
                self.errors.push(
                    Diag::error(
                        code::NAME_KIND,
                        span,
                        format!("职务“{}”的“属于”关系成环", self.positions.name(id)),
                    )
                    .label("沿“属于”最终又回到自身")
                    .help("“属于”表示上下位关系（常务副县长 属于 副县长），不能互相属于"),
                );
            }
        }

        let meetings = self.meeting_kinds(&meeting_decls);
        let documents = self.document_kinds(ast);

        // Calendar.
        let calendar = self.calendar(ast, source);
        if let (Some(from), Some(until)) = (&ast.effective, &ast.repealed)
            && until.node <= from.node
        {
            self.errors.push(
                Diag::error(
                    code::RULESET_PERIOD,
                    until.span,
                    format!("废止日期 {} 不晚于施行日期 {}", until.node, from.node),
                )
                .label("规则集从未生效")
                .related(from.span, "施行日期")
                .help("“废止”是不再适用的第一天，须晚于“施行”"),
            );
        }

        // Articles and rules.
        let mut articles: Vec<Article> = Vec::new();
        let mut rules: Vec<CompiledRule> = Vec::new();
        let mut seen: BTreeMap<u32, Span> = BTreeMap::new();
        for a in &ast.articles {
            let n = a.number.value;
            if let Some(first) = seen.get(&n) {
                self.errors.push(
                    Diag::error(
                        code::ARTICLE_DUPLICATE,
                        a.number.span,
                        format!("第{}条重复", a.number.spelling),
                    )
                    .label("这个条号已经用过")
                    .related(*first, "第一次出现在这里")
                    .help("每条只写一次；同一条的多句原文和多条规则写在同一个“条”里"),
                );
                continue;
            }
            seen.insert(n, a.number.span);
            if let Some(q) = a.quotes.iter().find(|q| q.node.trim().is_empty()) {
                self.errors.push(
                    Diag::error(
                        code::ARTICLE_NO_QUOTE,
                        q.span,
                        format!("{}的原文为空", display_article(a)),
                    )
                    .label("引号里没有文字")
                    .help("原文须逐字引用规则文本"),
                );
            }
            if a.quotes.is_empty() {
                self.errors.push(
                    Diag::error(
                        code::ARTICLE_NO_QUOTE,
                        a.number.span,
                        format!("{}没有原文", display_article(a)),
                    )
                    .label("缺少“原文”")
                    .help("每条须以 原文 \"…\" 逐字引用规则文本，结论才能追溯到条文"),
                );
            }
            let article_index = articles.len();
            let mut rule_ids = Vec::new();
            // Rules from a 会议 block read "会议 常务会议 { 频次 … }".
            let article_rules = a.rules.iter().map(|r| (r, None)).chain(
                a.meetings
                    .iter()
                    .flat_map(|m| m.rules.iter().map(move |r| (r, Some(&m.name.node)))),
            );
            for (r, meeting) in article_rules {
                let exempt_to: Vec<TargetSpec> = r
                    .exempt_to
                    .iter()
                    .filter_map(|n| self.addressee(n))
                    .collect();
                if let Some(kind) = self.rule(r) {
                    let id = rules.len();
                    rule_ids.push(id);
                    rules.push(CompiledRule {
                        id,
                        article: article_index,
                        quote: r
                            .quote
                            .and_then(|q| a.quotes.get(q))
                            .map(|q| Arc::from(q.node.as_str())),
                        text: match meeting {
                            Some(m) => {
                                Arc::from(format!("会议 {m} {{ {} }}", source.slice(r.span)))
                            }
                            None => Arc::from(source.slice(r.span)),
                        },
                        span: r.span,
                        defeasible: r.defeasible.as_ref().map(|d| d.node.clone()),
                        exceptions: r.exceptions.iter().map(|e| e.node.clone()).collect(),
                        exempt_to,
                        approvers: r.approvers.iter().filter_map(|a| self.actor(a)).collect(),
                        own_deadline: r.own_deadline.is_some(),
                        special_only: r.special_only.is_some(),
                        texts: Arc::default(),
                        kind,
                        general: None,
                    });
                }
            }
            articles.push(Article {
                number: n,
                display: Arc::from(display_article(a)),
                quotes: a.quotes.iter().map(|q| q.node.clone()).collect(),
                quote_spans: a.quotes.iter().map(|q| q.span).collect(),
                rules: rule_ids,
                span: a.span,
            });
        }
        for m in &ast.meetings {
            if let Some(r) = m.rules.first() {
                self.errors.push(
                    Diag::error(code::RULE_OUTSIDE_ARTICLE, r.span, "会议的召集、主持、频次等规则须写在条内")
                        .label("这条规则不属于任何一条")
                        .help(format!(
                            "把“会议 {} {{ … }}”移到规定它的条里，结论才能指向该条；条外只写 组成、列席、名称",
                            m.name.node
                        )),
                );
            }
        }

        // What findings show of each rule, shared by all of them.
        for r in &mut rules {
            r.general = general_trigger(&r.kind, &documents);
            r.texts = Arc::new(RuleTexts {
                article_display: articles
                    .get(r.article)
                    .map_or_else(|| Arc::from(""), |a| a.display.clone()),
                quote: r.quote.clone(),
                text: r.text.clone(),
                span: r.span,
            });
        }
        let mut by_verb: BTreeMap<Verb, Vec<usize>> = BTreeMap::new();
        for r in &rules {
            for v in r.kind.trigger_verbs() {
                let list = by_verb.entry(v).or_default();
                if !list.contains(&r.id) {
                    list.push(r.id);
                }
            }
        }

        // 视同 (one act) and 区分 (two acts) declarations.
        let mut acts = |distinct: bool| -> Vec<(Vec<Verb>, Vec<usize>)> {
            ast.same_acts
                .iter()
                .filter(|s| s.distinct == distinct)
                .map(|s| {
                    (
                        s.verbs.iter().map(|v| v.node).collect(),
                        s.kinds.iter().filter_map(|k| self.document_id(k)).collect(),
                    )
                })
                .collect()
        };
        let (same_acts, distinct_acts) = (acts(false), acts(true));
        Ruleset {
            name: ast.name.node.clone(),
            source: source.clone(),
            enacted_by: ast.enacted_by.as_ref().map(|n| n.node.clone()),
            effective: ast.effective.as_ref().map(|d| d.node),
            repealed: ast.repealed.as_ref().map(|d| d.node),
            area_leaders: ast
                .area_leaders
                .iter()
                .filter_map(|n| self.position_id(n))
                .collect(),
            act_tags: ast.act_tags.clone(),
            same_acts,
            distinct_acts,
            verbs: self.vocab.clone(),
            calendar,
            positions: self.positions.clone(),
            position_ancestors,
            units: self.units.names.iter().cloned().collect(),
            unit_ancestors: self.unit_ancestors(ast),
            unit_names: self.units.clone(),
            meetings,
            meeting_names: self.meetings.clone(),
            documents,
            document_names: self.documents.clone(),
            articles,
            rules,
            by_verb,
        }
    }

    /// 单位 X 属于 Y: each unit's classes, transitively; unknown classes and
    /// cycles are errors.
    fn unit_ancestors(&mut self, ast: &ast::Ruleset) -> BTreeMap<String, BTreeSet<String>> {
        let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (unit, ps) in &ast.unit_parents {
            for p in ps {
                if self.units.get(&p.node).is_none() {
                    let e = unknown(
                        "单位",
                        p,
                        self.units.names.iter().map(String::as_str),
                        "先用“单位 …”声明这一类单位（如 单位 县政府部门），再写 属于",
                    );
                    self.errors.push(e);
                    continue;
                }
                parents
                    .entry(unit.node.clone())
                    .or_default()
                    .push(p.node.clone());
            }
        }
        let mut out = BTreeMap::new();
        let mut total = 0usize;
        for (unit, _) in &ast.unit_parents {
            if out.contains_key(&unit.node) {
                continue;
            }
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let mut todo: Vec<String> = parents.get(&unit.node).cloned().unwrap_or_default();
            while let Some(p) = todo.pop() {
                if p == unit.node {
                    self.errors.push(cycle("单位", &unit.node, unit.span));
                    break;
                }
                if seen.insert(p.clone()) {
                    total += 1;
                    if total > MAX_HIERARCHY_PAIRS {
                        self.errors
                            .push(hierarchy_too_large("单位", &unit.node, unit.span));
                        return BTreeMap::new();
                    }
                    if let Some(ps) = parents.get(&p) {
                        todo.extend(ps.iter().cloned());
                    }
                }
            }
            out.insert(unit.node.clone(), seen);
        }
        out
    }

    /// The ruleset's calendar: the embedded one, shared, or a copy with
    /// the supplement files added (built here, once).
    fn calendar(&mut self, ast: &ast::Ruleset, source: &Source) -> Arc<Calendar> {
        let id = self.calendar_id(ast);
        let base = match Calendar::shared(id) {
            Ok(c) => c,
            // Reported by calendar_id.
            Err(_) => return Arc::new(Calendar::empty(id)),
        };
        let mut files: Vec<Source> = Vec::new();
        for f in &ast.calendar_files {
            // Relative to the ruleset's own directory, wherever guize runs.
            let dir = Path::new(&*source.name).parent().unwrap_or(Path::new(""));
            match crate::calendar::read_file(&dir.join(&f.node)) {
                Ok(s) => files.push(s),
                // Unreadable: point at the path in the ruleset. (Bad bytes
                // point into the file itself.)
                Err(mut d) if d.file.is_none() => {
                    d.span = f.span;
                    d.label = "补充文件".to_owned();
                    d.help = format!("{}；路径相对于规则集文件所在的目录", d.help);
                    self.errors.push(d);
                }
                Err(d) => self.errors.push(d),
            }
        }
        files.extend(self.calendar_files.iter().cloned());
        if files.is_empty() {
            return base;
        }
        match base.with_files(&files) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                self.errors.extend(e);
                base
            }
        }
    }

    fn calendar_id(&mut self, ast: &ast::Ruleset) -> CalendarId {
        let joined: String = ast
            .calendars
            .iter()
            .map(|n| n.node.as_str())
            .collect::<Vec<_>>()
            .join("+");
        if ast.calendars.is_empty() {
            self.errors.push(
                Diag::error(code::CALENDAR_UNKNOWN, ast.name.span, "规则集没有指定日历")
                    .label("缺少“日历”")
                    .help("加一行：日历 中国法定节假日（新疆的规则集写 日历 中国法定节假日+新疆）"),
            );
            return CalendarId::National;
        }
        let span = Span::new(
            ast.calendars.first().map_or(0, |n| n.span.start),
            ast.calendars.last().map_or(0, |n| n.span.end),
        );
        match CalendarId::from_name(&joined) {
            Some(id) => {
                if let Err(e) = Calendar::get(id) {
                    self.errors.push(
                        Diag::error(code::CALENDAR_DATA, span, e.to_string())
                            .label("内置日历无法加载")
                            .help("这是 guize 自身的缺陷，请报告"),
                    );
                }
                id
            }
            None => {
                let name = Name { node: joined, span };
                self.errors.push(
                    unknown(
                        "日历",
                        &name,
                        CalendarId::ALL_NAMES.iter().copied(),
                        "可用的日历：中国法定节假日、中国法定节假日+新疆",
                    )
                    .with_code(code::CALENDAR_UNKNOWN),
                );
                CalendarId::National
            }
        }
    }

    fn position_id(&mut self, n: &Name) -> Option<usize> {
        resolve(
            &mut self.errors,
            &self.positions,
            "职务",
            n,
            "先用“职务 …”声明它",
        )
    }

    fn meeting_id(&mut self, n: &Name) -> Option<usize> {
        resolve(
            &mut self.errors,
            &self.meetings,
            "会议种类",
            n,
            "先用“会议 …”声明它",
        )
    }

    fn document_id(&mut self, n: &Name) -> Option<usize> {
        resolve(
            &mut self.errors,
            &self.documents,
            "公文种类",
            n,
            "先用“公文 …”声明它",
        )
    }

    fn meeting_kinds(&mut self, decls: &[&ast::MeetingDecl]) -> Vec<MeetingKind> {
        let mut parents = vec![Vec::new(); self.meetings.len()];
        let mut kinds: Vec<MeetingKind> = self
            .meetings
            .names
            .iter()
            .map(|n| MeetingKind {
                name: n.clone(),
                title: None,
                members: Vec::new(),
                attendees: Vec::new(),
                ancestors: BTreeSet::new(),
            })
            .collect();
        for m in decls {
            let Some(id) = self.meetings.get(&m.name.node) else {
                continue;
            };
            let members: Vec<usize> = m
                .members
                .iter()
                .filter_map(|n| self.position_id(n))
                .collect();
            let attendees: Vec<usize> = m
                .attendees
                .iter()
                .filter_map(|n| self.position_id(n))
                .collect();
            let parent = m.parent.as_ref().and_then(|p| self.meeting_id(p));
            if let Some(k) = kinds.get_mut(id) {
                k.members = members;
                k.attendees = attendees;
                k.title = m.title.as_ref().map(|t| t.node.clone());
            }
            if let (Some(p), Some(slot)) = (parent, parents.get_mut(id)) {
                slot.push(p);
            }
        }
        let (all, too_large) = ancestors(&parents);
        if let Some(id) = too_large {
            let span = self.meetings.spans.get(id).copied().unwrap_or_default();
            let name = kinds.get(id).map(|k| k.name.clone()).unwrap_or_default();
            self.errors.push(hierarchy_too_large("会议", &name, span));
        }
        for (id, (k, anc)) in kinds.iter_mut().zip(all).enumerate() {
            if anc.contains(&id) {
                let span = self.meetings.spans.get(id).copied().unwrap_or_default();
                self.errors.push(cycle("会议", &k.name, span));
            }
            k.ancestors = anc;
        }
        kinds
    }

    fn document_kinds(&mut self, ast: &ast::Ruleset) -> Vec<DocumentKind> {
        let mut parents = vec![Vec::new(); self.documents.len()];
        for d in &ast.documents {
            let Some(id) = self.documents.get(&d.name.node) else {
                continue;
            };
            if let Some(p) = &d.parent {
                match self.documents.get(&p.node) {
                    Some(pid) => {
                        if let Some(slot) = parents.get_mut(id) {
                            slot.push(pid)
                        }
                    }
                    None => {
                        let e = unknown(
                            "公文种类",
                            p,
                            self.documents.names.iter().map(String::as_str),
                            "先用“公文 …”声明它",
                        );
                        self.errors.push(e);
                    }
                }
            }
        }
        let (anc, too_large) = ancestors(&parents);
        if let Some(id) = too_large {
            let span = self.documents.spans.get(id).copied().unwrap_or_default();
            let name = self.documents.name(id).to_string();
            self.errors.push(hierarchy_too_large("公文", &name, span));
        }
        for (id, a) in anc.iter().enumerate() {
            if a.contains(&id) {
                let span = self.documents.spans.get(id).copied().unwrap_or_default();
                let name = self.documents.name(id).to_string();
                self.errors.push(cycle("公文", &name, span));
            }
        }
        self.documents
            .names
            .iter()
            .zip(anc)
            .map(|(n, ancestors)| {
                let decl = ast.documents.iter().find(|d| &d.name.node == n);
                DocumentKind {
                    name: n.clone(),
                    ancestors,
                    flags: decl
                        .map(|d| d.flags.iter().map(|f| f.node.clone()).collect())
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    // ───────── rules ─────────

    fn rule(&mut self, r: &ast::Rule) -> Option<RuleKind> {
        let modality = r.modality.node;
        if modality == Modality::May {
            // 可: a permission. Its names are still resolved, so a typo in a
            // permission is an error like anywhere else.
            let mut probe = r.clone();
            probe.modality.node = Modality::Must;
            if let RuleBody::Prohibition { pattern } = &probe.body {
                self.pattern(pattern)?;
            } else {
                let errors = self.errors.len();
                let _ = self.rule(&probe);
                if self.errors.len() > errors {
                    return None;
                }
            }
            return Some(RuleKind::Permission(PermissionRule));
        }
        if let Some(at) = r.special_only
            && (r.defeasible.is_none() || !r.approvers.is_empty())
        {
            let (label, help) = if r.defeasible.is_none() {
                (
                    "只有“原则上”“一般”规则才有可以认可的特殊情况",
                    "写作：原则上 除 特殊情况 外 须 召开 全州性会议 每年 不超过 1 次 按 单位",
                )
            } else {
                (
                    "“除 经 X 批准 外”已规定只认可批准，两者不能同时成立",
                    "只认可特殊情况就删去“除 经 … 批准 外”；只认可某人批准就删去“除 特殊情况 外”",
                )
            };
            self.errors.push(
                Diag::error(code::RULE_INVALID, at, "“除 特殊情况 外”用错了地方")
                    .label(label)
                    .help(help),
            );
            return None;
        }
        if let Some(at) = r.own_deadline
            && !matches!(&r.body, RuleBody::Response { within: Some(d), .. } if d.amount.value > 0)
        {
            self.errors.push(
                Diag::error(
                    code::RULE_INVALID,
                    at,
                    "“除 另有时限 外”只能用于有天数的响应规则",
                )
                .label("这条规则没有可被替代的期限")
                .help("写作：一般 除 另有时限 外 应当 在 征求意见 后 7个工作日内 回复"),
            );
            return None;
        }
        let kind = match &r.body {
            RuleBody::Response {
                trigger,
                within,
                response,
                either_side,
            } => {
                self.need_obligation(r, "在 … 后 … 内")?;
                RuleKind::Response(ResponseRule {
                    trigger: self.pattern(trigger)?,
                    within: match within {
                        Some(d) => Some(self.duration(d)?),
                        None => None,
                    },
                    response: self.pattern(response)?,
                    either_side: *either_side,
                })
            }
            RuleBody::Precedence {
                trigger,
                lookback,
                lead,
                precedent,
            } => {
                self.need_obligation(r, "在 … 前 …")?;
                let lead = match lead {
                    ast::Lead::None | ast::Lead::Beforehand(_) => None,
                    ast::Lead::AtLeast(d) => Some(self.duration(d)?),
                };
                let (trigger, precedent) = (self.pattern(trigger)?, self.pattern(precedent)?);
                // 前 N日内, when written, bounds every precedent alike.
                let (lookback, named_lookback) = match lookback {
                    Some(d) => {
                        let d = self.duration(d)?;
                        (d, d)
                    }
                    None if Pattern::personal_precedent(&trigger, &precedent) => {
                        (DEFAULT_LOOKBACK, DEFAULT_NAMED_LOOKBACK)
                    }
                    None => (DEFAULT_DOCUMENT_LOOKBACK, DEFAULT_DOCUMENT_LOOKBACK),
                };
                RuleKind::Precedence(PrecedenceRule {
                    trigger,
                    lead,
                    lookback,
                    named_lookback,
                    precedent,
                })
            }
            RuleBody::Authority {
                actors,
                actions,
                filters,
            } => {
                self.need_obligation(r, "由 … ")?;
                for a in actions {
                    if let ast::Action::Do(v) = a.node
                        && let Err(e) = words::check_declared(
                            &self.vocab,
                            &ast::Spanned {
                                node: v,
                                span: a.span,
                            },
                        )
                    {
                        self.errors.push(e);
                        return None;
                    }
                }
                let actors = actors.iter().filter_map(|a| self.actor(a)).collect();
                let verbs: Vec<Verb> = actions
                    .iter()
                    .map(|a| match a.node {
                        ast::Action::Convene | ast::Action::Chair => Verb::Convene,
                        ast::Action::Do(v) => v,
                    })
                    .collect();
                let scope = self.filters(filters, &verbs)?;
                RuleKind::Authority(AuthorityRule {
                    actors,
                    actions: actions.iter().map(|a| a.node).collect(),
                    scope,
                })
            }
            RuleBody::Frequency {
                pattern,
                period,
                count,
                group,
                ..
            } => {
                let (min, max) = match (modality, count.node) {
                    (Modality::Must, ast::CountRange::Between(a, b)) => (a, Some(b)),
                    (Modality::Must, ast::CountRange::AtLeast(a)) => (a, None),
                    (Modality::Must, ast::CountRange::AtMost(b)) => (0, Some(b)),
                    (Modality::Must, ast::CountRange::MoreThan(a)) => (a.saturating_add(1), None),
                    (Modality::Must, ast::CountRange::Exactly(a)) => (a, Some(a)),
                    // 不得 … 每年 超过 1 次 = at most 1.
                    (Modality::MustNot, ast::CountRange::MoreThan(b))
                    | (Modality::MustNot, ast::CountRange::Exactly(b)) => (0, Some(b)),
                    (Modality::MustNot | Modality::May, _) => {
                        self.errors.push(
                            Diag::error(
                                code::RULE_INVALID,
                                count.span,
                                "“不得”的频次规则只能写“超过 N 次”",
                            )
                            .label("这里的次数与“不得”连用意思不明")
                            .help(
                                "写作“不得 召开 … 每年 超过 1 次”，或改用“须 … 每年 不超过 1 次”",
                            ),
                        );
                        return None;
                    }
                };
                if let Some(max) = max
                    && min > max
                {
                    self.errors.push(
                        Diag::error(
                            code::RULE_INVALID,
                            count.span,
                            format!("次数下限 {min} 大于上限 {max}"),
                        )
                        .label("次数范围为空")
                        .help("写作“1 至 2 次”，小数在前"),
                    );
                    return None;
                }
                RuleKind::Frequency(FrequencyRule {
                    pattern: self.pattern(pattern)?,
                    period: period.node,
                    min,
                    max,
                    group: group.as_ref().map(|g| g.node),
                })
            }
            RuleBody::Quorum {
                meetings,
                comparison,
                fraction,
                ..
            } => {
                self.need_obligation(r, "出席人数")?;
                let (num, den) = fraction.node;
                if den == 0 || num > den {
                    self.errors.push(
                        Diag::error(code::UNIT_INVALID, fraction.span, "比例须在 0 到 1 之间")
                            .label("分母为零或分子大于分母")
                            .help("写作“一半”“三分之二”或“2/3”"),
                    );
                    return None;
                }
                RuleKind::Quorum(QuorumRule {
                    meetings: self.kind_closure_meetings(meetings)?,
                    strict: comparison.node == ast::Comparison::MoreThan,
                    num,
                    den,
                })
            }
            RuleBody::Prohibition { pattern } => {
                match modality {
                    Modality::MustNot | Modality::May => {}
                    // 须 召开 常务会议 出席 办公室主任: every such meeting has a
                    // holder present — checked as the ban on one without.
                    Modality::Must
                        if !pattern.filters.present.is_empty()
                            || pattern.filters.schedule.is_some() =>
                    {
                        let mut p = self.pattern(pattern)?;
                        p.scope.missing = std::mem::take(&mut p.scope.present);
                        // 须 召开 党组会议 于 每月第3个星期四: the breach is a
                        // meeting on another day.
                        if let Some(s) = &mut p.scope.schedule {
                            s.off = true;
                        }
                        return Some(RuleKind::Prohibition(ProhibitionRule { pattern: p }));
                    }
                    Modality::Must => {
                        self.errors.push(
                            Diag::error(code::RULE_INVALID, r.modality.span, "“须”后缺少可检查的要求")
                                .label("只写了事件，没有期限、先后、权限或频次")
                                .help("写作“须 在 X 后 7个工作日内 Y”“须 由 县长 签发 …”等；禁止性规定用“不得”"),
                        );
                        return None;
                    }
                }
                RuleKind::Prohibition(ProhibitionRule {
                    pattern: self.pattern(pattern)?,
                })
            }
        };
        Some(kind)
    }

    fn need_obligation(&mut self, r: &ast::Rule, form: &str) -> Option<()> {
        match r.modality.node {
            Modality::Must => Some(()),
            Modality::May => None,
            Modality::MustNot => {
                self.errors.push(
                    Diag::error(code::RULE_INVALID, r.modality.span, format!("“不得”不能与“{form}”连用"))
                        .label("这里应为“须”或“应当”")
                        .help("“不得”只用于禁止某类事件（不得 召开 常务会议 情形 风景名胜区）或限制次数（不得 召开 全县性会议 每年 超过 1 次）"),
                );
                None
            }
        }
    }

    fn duration(&mut self, d: &ast::Duration) -> Option<Deadline> {
        let same_day = matches!(d.amount.spelling.as_str(), "当日" | "同日");
        if d.amount.value == 0 && !same_day {
            self.errors.push(
                Diag::error(code::UNIT_INVALID, d.span, "期限不能为零")
                    .label("这里的天数为 0")
                    .help("写作“7个工作日内”“30日内”"),
            );
            return None;
        }
        if d.amount.value > 3660 {
            self.errors.push(
                Diag::error(
                    code::UNIT_INVALID,
                    d.amount.span,
                    format!("期限 {} 过长", d.amount.spelling),
                )
                .label("超过十年")
                .help("检查数字是否写错"),
            );
            return None;
        }
        Some(Deadline {
            amount: d.amount.value,
            unit: d.unit,
        })
    }

    /// 于 每月第N个星期X, on meetings only.
    fn schedule(&mut self, s: &ast::Schedule, verbs: &[Verb]) -> Option<MonthlyDays> {
        if !verbs.iter().all(|v| matches!(v, Verb::Convene)) {
            self.errors.push(
                Diag::error(
                    code::RULE_INVALID,
                    s.span,
                    "“于 每月第N个星期X”只能限定召开会议",
                )
                .label("这里的事件不是会议")
                .help("写作：原则上 须 召开 党组会议 于 每月第3个星期四"),
            );
            return None;
        }
        // The grammar's weekday words, read back with the one table (星期天 =
        // 星期日).
        let weekday = (0..7u8)
            .filter_map(|d| chrono::Weekday::try_from(d).ok())
            .find(|w| weekday_word(*w) == s.weekday.node)
            .unwrap_or(chrono::Weekday::Sun);
        let mut ordinals = Vec::new();
        for n in &s.ordinals {
            if !(1..=5).contains(&n.value) {
                self.errors.push(
                    Diag::error(
                        code::UNIT_INVALID,
                        n.span,
                        format!("每月没有第{}个{}", n.spelling, s.weekday.node),
                    )
                    .label("应为 1 至 5")
                    .help("写作：每月第1个和第3个星期四"),
                );
                return None;
            }
            ordinals.push(n.value);
        }
        Some(MonthlyDays {
            ordinals,
            weekday,
            off: false,
        })
    }

    fn actor(&mut self, a: &ast::ActorSpec) -> Option<Actor> {
        Some(match a {
            ast::ActorSpec::Position(n) => match self.units.get(&n.node) {
                Some(_) if self.positions.get(&n.node).is_none() => Actor::Unit(n.node.clone()),
                _ => Actor::Position(self.position_id(n)?),
            },
            ast::ActorSpec::Delegated {
                principal,
                delegate,
                away,
            } => Actor::Delegated {
                principal: self.position_id(principal)?,
                delegate: self.position_id(delegate)?,
                away: away.as_ref().map(|w| Away::from_word(&w.node)),
            },
            ast::ActorSpec::Role(r) => Actor::Role(r.node),
        })
    }

    fn kind_closure_meetings(&mut self, names: &[Name]) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        for n in names {
            out.push(self.meeting_id(n)?);
        }
        Some(out)
    }

    /// Resolve kind names against meeting kinds (for 召开/召集/主持/缺席) or
    /// document kinds (for document verbs), with the right did-you-mean.
    /// A position or unit named as an addressee (向 X, 除 向 X 外).
    fn addressee(&mut self, n: &ast::Name) -> Option<TargetSpec> {
        if let Some(id) = self.positions.get(&n.node) {
            Some(TargetSpec::Position(id))
        } else if self.units.get(&n.node).is_some() {
            Some(TargetSpec::Unit(n.node.clone()))
        } else {
            let cands: Vec<String> = self
                .positions
                .names
                .iter()
                .chain(self.units.names.iter())
                .cloned()
                .collect();
            let e = unknown(
                "职务或单位",
                n,
                cands.iter().map(String::as_str),
                "用“职务 …”或“单位 …”声明它",
            );
            self.errors.push(e);
            None
        }
    }

    fn filters(&mut self, f: &ast::Filters, verbs: &[Verb]) -> Option<Scope> {
        let meeting_verbs = verbs
            .iter()
            .all(|v| matches!(v, Verb::Convene | Verb::Absent));
        let mut scope = Scope::default();
        for k in &f.kinds {
            let declared = verbs.iter().all(|v| matches!(v, Verb::Declared(_)));
            if meeting_verbs {
                scope.meeting_kinds.push(self.meeting_id(k)?);
            } else if let Some(id) = self.documents.get(&k.node) {
                scope.document_kinds.push(id);
            } else if declared && self.meetings.get(&k.node).is_some() {
                // 列席 常务会议, 送达 … 依据: a declared verb may be about a meeting.
                scope.meeting_kinds.push(self.meeting_id(k)?);
            } else if verbs.iter().all(|v| v.is_trip()) {
                // 外出 has no kinds; a name here is a misplaced word.
                self.errors.push(
                    Diag::error(code::NAME_KIND, k.span, format!("“{}”不能限定外出", k.node))
                        .label("外出事件没有种类")
                        .help("外出用“离县”“情形 …”限定"),
                );
                return None;
            } else {
                let e = unknown(
                    "公文种类",
                    k,
                    self.documents.names.iter().map(String::as_str),
                    "先用“公文 …”声明它（会议纪要写“纪要”）",
                );
                self.errors.push(e);
                return None;
            }
        }
        for b in &f.basis {
            scope.basis_meeting_kinds.push(self.meeting_id(b)?);
        }
        for t in &f.targets {
            scope.targets.push(match t {
                ast::Target::Role(r) => TargetSpec::Role(r.node),
                ast::Target::Name(n) => self.addressee(n)?,
                ast::Target::Attending(n) => TargetSpec::Attending(self.position_id(n)?),
            });
        }
        if let Some((who, word)) = &f.away {
            scope.away = Some((self.position_id(who)?, word.node != "外出"));
        }
        scope.targets_any = f.targets_any;
        scope.tags = f.tags.iter().map(|t| t.node.clone()).collect();
        scope.leaves_county = f.leaves_county;
        scope.several_areas = f.several_areas.is_some();
        scope.decided = f.decided;
        scope.leader_absent = f.leader_absent;
        for n in &f.present {
            if !verbs.iter().all(|v| matches!(v, Verb::Convene)) {
                self.errors.push(
                    Diag::error(code::RULE_INVALID, n.span, "“出席”只能限定召开会议")
                        .label("这里的事件不是会议")
                        .help("写作：不得 召开 部门工作会议 出席 县政府领导"),
                );
                return None;
            }
            scope.present.push(self.position_id(n)?);
        }
        if let Some(sch) = &f.schedule {
            scope.schedule = Some(self.schedule(sch, verbs)?);
        }
        Some(scope)
    }

    fn pattern(&mut self, p: &ast::EventPattern) -> Option<Pattern> {
        let p = match words::pattern(&self.vocab, p) {
            Ok(p) => p,
            Err(e) => {
                self.errors.push(e);
                return None;
            }
        };
        for v in &p.verbs {
            if let Err(e) = words::check_declared(&self.vocab, v) {
                self.errors.push(e);
                return None;
            }
        }
        let verbs: Vec<Verb> = p.verbs.iter().map(|v| v.node).collect();
        let scope = self.filters(&p.filters, &verbs)?;
        let mut actors = Vec::new();
        for a in &p.actor {
            actors.push(self.actor(a)?);
        }
        Some(Pattern {
            verbs,
            actors,
            scope,
        })
    }
}

/// A declared name's id, or an unknown-name error (with did-you-mean).
fn resolve(
    errors: &mut Vec<Diag>,
    table: &NameTable,
    what: &str,
    n: &Name,
    help: &str,
) -> Option<usize> {
    let id = table.get(&n.node);
    if id.is_none() {
        errors.push(unknown(
            what,
            n,
            table.names.iter().map(String::as_str),
            help,
        ));
    }
    id
}

/// The display form of an article number, as the source numbers it:
/// 第二十二条 stays; 条 二十二 shows as 第二十二条 too (same spelling).
fn display_article(a: &ast::Article) -> String {
    format!("第{}条", a.number.spelling)
}

/// Transitive closure of a parent relation: for each node, every node
/// reachable through parents (a node is its own ancestor only in a cycle).
/// The most (kind, ancestor) pairs one 属于 hierarchy may hold: a real
/// ruleset has a few hundred; a 5,000-deep chain would hold 12.5 million
/// (half a gigabyte). Past it the hierarchy is refused with
/// `guize::name::hierarchy_too_large`.
pub const MAX_HIERARCHY_PAIRS: usize = 100_000;

/// Every kind's ancestors (transitively), or `Err(id)`: the closure would
/// exceed [`MAX_HIERARCHY_PAIRS`], first at kind `id`. On error the sets
/// are all empty, so nothing built on them grows either.
fn ancestors(parents: &[Vec<usize>]) -> (Vec<BTreeSet<usize>>, Option<usize>) {
    let mut out = Vec::with_capacity(parents.len());
    let mut total = 0usize;
    for start in 0..parents.len() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = parents.get(start).cloned().unwrap_or_default();
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                total += 1;
                if total > MAX_HIERARCHY_PAIRS {
                    return (vec![BTreeSet::new(); parents.len()], Some(start));
                }
                if let Some(ps) = parents.get(n) {
                    stack.extend(ps.iter().copied());
                }
            }
        }
        out.push(seen);
    }
    (out, None)
}

/// `guize::name::hierarchy_too_large`: the 属于 relations of one kind of
/// name reach too far.
fn hierarchy_too_large(what: &str, name: &str, span: Span) -> Diag {
    Diag::error(
        code::NAME_HIERARCHY,
        span,
        format!("{what}的“属于”层级过深过广（展开后超过 {MAX_HIERARCHY_PAIRS} 对上下位关系）"),
    )
    .label(format!("展开到“{name}”时超出上限"))
    .help("“属于”只写直接的上级（常务副县长 属于 副县长），层级不宜过深；请拆分或精简这些声明")
}

/// `guize::name::wrong_kind` for a 属于 cycle.
fn cycle(what: &str, name: &str, span: Span) -> Diag {
    Diag::error(
        code::NAME_KIND,
        span,
        format!("{what}“{name}”的“属于”关系成环"),
    )
    .label("沿“属于”最终又回到自身")
    .help("“属于”表示上下位关系（规范性文件 属于 县政府文件），不能互相属于")
}

/// Working days / calendar days, as a rule states them.
pub fn unit_word(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::WorkingDay => "个工作日",
        TimeUnit::Day => "日",
    }
}

/// The rule over the collective names (`公文 规范性文件 { 统称 }`) above
/// the kinds its trigger names ([`GeneralTrigger`]); None when there are
/// none. Only collective names leave the kind open: a document recorded by
/// an ordinary kind with kinds below it (县政府文件 above 县政府规范性文件)
/// is of that kind and no other. Meetings have no collective names yet.
fn general_trigger(kind: &RuleKind, documents: &[DocumentKind]) -> Option<Box<GeneralTrigger>> {
    let ancestors = |k: usize| documents.get(k).map(|d| &d.ancestors);
    let mut wide = kind.clone();
    let scope = wide.trigger_scope_mut()?;
    let wanted = scope.document_kinds.clone();
    // A kind below one the rule names is named too.
    let named = |k: usize| {
        wanted
            .iter()
            .any(|w| *w == k || ancestors(k).is_some_and(|a| a.contains(w)))
    };
    let mut above: Vec<usize> = Vec::new();
    for a in wanted.iter().filter_map(|w| ancestors(*w)).flatten() {
        let collective = documents.get(*a).is_some_and(DocumentKind::collective);
        if collective && !named(*a) && !above.contains(a) {
            above.push(*a);
        }
    }
    if above.is_empty() {
        return None;
    }
    let names = |kinds: &[usize]| -> Arc<str> {
        let names: Vec<&str> = kinds
            .iter()
            .filter_map(|k| documents.get(*k).map(|d| d.name.as_str()))
            .collect();
        Arc::from(names.join("、"))
    };
    let unsure = KindUnsure {
        recorded: names(&above),
        wanted: names(&wanted),
        if_applies: Verdict::Violated,
    };
    scope.document_kinds = above.clone();
    scope.kinds_exact = true;
    // What answers or precedes it about the same document (a review, a
    // reply) is recorded by the same collective name: accepted with it.
    if let Some(answer) = wide.answer_scope_mut()
        && answer.document_kinds.iter().any(|k| wanted.contains(k))
    {
        answer.document_kinds.extend(above);
    }
    Some(Box::new(GeneralTrigger {
        kind: wide,
        unsure: Arc::new(unsure),
    }))
}
