//! Declarations typed at the prompt (职务, 会议, 条 …), held as parsed
//! items: a ruleset's text is never edited. They are read as a ruleset block
//! of their own after the file's text — so their spans, and diagnostics
//! about them, point at what was typed — and their items are added to the
//! file's ruleset before it is compiled again.

use crate::compile::ir::Ruleset;
use crate::diag::{Diag, Source, code};
use crate::syntax::{self, ast};

/// The declarations typed for one ruleset, in order.
#[derive(Debug, Clone)]
pub struct TypedDeclarations {
    /// The ruleset they belong to.
    pub ruleset: String,
    /// The ruleset's source as loaded, without them.
    pub file: Source,
    /// Each declaration as typed.
    pub texts: Vec<String>,
}

/// Title of the block the typed declarations are read in; the block is
/// found by its place after the file, never by this name.
const TYPED_BLOCK_TITLE: &str = "交互输入";

impl TypedDeclarations {
    pub fn new(ruleset: &Ruleset) -> TypedDeclarations {
        TypedDeclarations {
            ruleset: ruleset.name.clone(),
            file: ruleset.source.clone(),
            texts: Vec::new(),
        }
    }

    /// The file's ruleset with these declarations and `next` added,
    /// compiled; `next` is not kept (see [`Self::push`]).
    pub fn compile_with(
        &self,
        next: &str,
        calendar_files: &[Source],
    ) -> Result<Ruleset, Vec<Diag>> {
        let file_text: &str = &self.file.text;
        let mut text = String::with_capacity(file_text.len() + 64);
        text.push_str(file_text);
        let block_start = text.len();
        text.push_str("\n// 交互环境中输入的声明\n规则集 ");
        text.push_str(TYPED_BLOCK_TITLE);
        text.push_str(" {\n");
        for t in self.texts.iter().map(String::as_str).chain([next]) {
            text.push_str("  ");
            text.push_str(t);
            text.push('\n');
        }
        text.push_str("}\n");
        let source = Source::new(self.file.name.to_string(), text);
        let file = syntax::parse(&source)?;
        let mut rulesets = file.rulesets.into_iter();
        let base = rulesets
            .by_ref()
            .find(|r| r.name.node == self.ruleset && r.span.start < block_start);
        let typed = rulesets.find(|r| r.span.start >= block_start);
        let (Some(mut base), Some(typed)) = (base, typed) else {
            return Err(vec![
                Diag::error(
                    code::RULESET_MISSING,
                    Default::default(),
                    format!("在 {} 中找不到规则集“{}”", self.file.name, self.ruleset),
                )
                .help("用 :reload 重新载入规则集文件"),
            ]);
        };
        add_items(&mut base, typed, &source)?;
        crate::compile::compile_ruleset_with(&base, &source, calendar_files)
    }

    /// Keep `text` (after [`Self::compile_with`] accepted it).
    pub fn push(&mut self, text: &str) {
        self.texts.push(text.to_string());
    }
}

/// Add the typed block's items to the file's ruleset, as if written at the
/// end of its block: lists grow; a statement that may be written once
/// (制定, 施行, 废止, 日历) and is already there is `guize::syntax::duplicate_statement`.
fn add_items(
    base: &mut ast::Ruleset,
    typed: ast::Ruleset,
    source: &Source,
) -> Result<(), Vec<Diag>> {
    // Every field named, so a new one cannot be dropped here unnoticed.
    let ast::Ruleset {
        name: _,
        enacted_by,
        enacted_by_quoting,
        effective,
        repealed,
        calendars,
        area_leaders,
        act_tags,
        same_acts,
        unit_parents,
        verb_decls,
        calendar_files,
        positions,
        units,
        meetings,
        documents,
        articles,
        statements,
        span: _,
    } = typed;
    let mut errors = Vec::new();
    // Statement indices point past the ruleset's own items (taken before
    // the lists grow).
    let statements: Vec<ast::Statement> = statements.iter().map(|s| s.after(base)).collect();
    if base.enacted_by.is_none() {
        base.enacted_by_quoting = enacted_by_quoting;
    }
    once(
        &mut base.enacted_by,
        enacted_by,
        |n| n.span,
        "制定",
        &mut errors,
    );
    once(
        &mut base.effective,
        effective,
        |d| d.span,
        "施行",
        &mut errors,
    );
    once(
        &mut base.repealed,
        repealed,
        |d| d.span,
        "废止",
        &mut errors,
    );
    if let Some(first) = calendars.first() {
        match base.calendars.first() {
            Some(old) => errors.push(duplicate("日历", first.span, old.span)),
            None => {
                base.calendars = calendars;
                base.calendar_files = calendar_files;
            }
        }
    }
    base.area_leaders.extend(area_leaders);
    base.act_tags.extend(act_tags);
    base.same_acts.extend(same_acts);
    base.unit_parents.extend(unit_parents);
    base.verb_decls.extend(verb_decls);
    base.positions.extend(positions);
    base.units.extend(units);
    base.meetings.extend(meetings);
    base.documents.extend(documents);
    base.articles.extend(articles);
    base.statements.extend(statements);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into_iter().map(|d| d.in_source(source)).collect())
    }
}

/// A once-only statement: taken when the ruleset has none, else an error.
fn once<T>(
    slot: &mut Option<T>,
    typed: Option<T>,
    span: impl Fn(&T) -> ast::Span,
    keyword: &str,
    errors: &mut Vec<Diag>,
) {
    let Some(value) = typed else { return };
    match slot {
        Some(old) => errors.push(duplicate(keyword, span(&value), span(old))),
        None => *slot = Some(value),
    }
}

fn duplicate(keyword: &str, at: ast::Span, first: ast::Span) -> Diag {
    Diag::error(code::SYNTAX_DUPLICATE, at, format!("“{keyword}”写了两次"))
        .label("又写了一次")
        .related(first, "规则集中已有")
        .help(format!(
            "“{keyword}”只能写一次：要改动它，请编辑规则集文件后 :reload"
        ))
}
