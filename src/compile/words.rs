//! Patterns and events written without a built-in verb: a run of bare word
//! groups (`督查 县教育局`, `县政府办公室 送达 会议材料`). Chinese has no
//! spaces to tell a verb from a name, and a declared verb (`行为 督查`) is not
//! a keyword of the grammar, so only the ruleset's vocabulary says which group
//! is the verb. The group before it is the actor, the groups after it the
//! kinds. Everything here turns such a run into the ordinary form.

use std::borrow::Cow;

use crate::diag::{Diag, code};
use crate::syntax::ast::{self, ActorSpec, EventPattern, Name, Span, Spanned, Verb};

use super::names::suggest;

/// The verbs a ruleset declares (`行为 …`), interned (a few: a slice).
pub type Vocabulary = [&'static str];

fn declared(vocab: &Vocabulary, n: &Name) -> bool {
    vocab.contains(&n.node.as_str())
}

/// The error for a word where a verb must be: neither built in nor declared.
pub fn unknown_verb(vocab: &Vocabulary, n: &Name) -> Diag {
    let builtin = Verb::ALL.iter().map(|(_, w)| *w);
    let near = suggest(&n.node, builtin.chain(vocab.iter().copied()));
    // 委托 and 收回 are records of their own, not event verbs (a reviewer
    // wrote {"event": {"verb": "委托", …}} and was told to declare it).
    let delegation = matches!(n.node.as_str(), "委托" | "收回");
    let help = match near.first() {
        _ if delegation => "委托与收回委托不是事件：情景写 2023-10-08 王某 委托 李某 代行 主持 常务会议（收回：王某 收回 委托 李某）；审计日志写 {\"delegation\": {\"date\": …, \"from\": \"王某\", \"to\": \"李某\", …}}（收回：{\"revocation\": {…}}）".to_string(),
        Some(w) => format!(
            "是否指“{w}”？若“{}”是本规则集要用的行为，先在规则集里声明：行为 {}",
            n.node, n.node
        ),
        None => format!(
            "内置动词有 召开、签发、印发、报送、请假、出差 等；“{}”若是本规则集要用的行为，先在规则集里声明：行为 {}（使用时前后留空格）",
            n.node, n.node
        ),
    };
    Diag::error(
        code::NAME_VERB,
        n.span,
        format!("“{}”不是动词：既非内置，也未用“行为”声明", n.node),
    )
    .label("这里需要一个动词")
    .help(help)
}

/// Is `n` close to a built-in or declared verb (a typo, `召看` for 召开)?
fn near_a_verb(vocab: &Vocabulary, n: &Name) -> bool {
    let builtin = Verb::ALL.iter().map(|(_, w)| *w);
    !suggest(&n.node, builtin.chain(vocab.iter().copied())).is_empty()
}

/// The word to blame when no group is a verb: the first of `order` that
/// looks like a mistyped verb (so `召看 常务会议` blames 召看, not the kind
/// after it), else the first of `order`.
fn likely_verb<'n>(vocab: &Vocabulary, order: &[Option<&'n Name>]) -> Option<&'n Name> {
    order
        .iter()
        .flatten()
        .copied()
        .find(|n| near_a_verb(vocab, n))
        .or_else(|| order.iter().flatten().copied().next())
}

/// A pattern with its word groups assigned (unchanged when it has none).
pub fn pattern<'p>(vocab: &Vocabulary, p: &'p EventPattern) -> Result<Cow<'p, EventPattern>, Diag> {
    if p.words.is_empty() {
        return Ok(Cow::Borrowed(p));
    }
    let at = p
        .words
        .iter()
        .position(|g| !g.is_empty() && g.iter().all(|n| declared(vocab, n)));
    let Some(at) = at else {
        // Most likely the verb: the only group, else the second (after the
        // actor) — unless another group is a mistyped verb.
        let guess = p
            .words
            .get(usize::from(p.words.len() > 1 && p.actor.is_empty()))
            .and_then(|g| g.iter().find(|n| !declared(vocab, n)));
        let first = p.words.first().and_then(|g| g.first());
        let others: Vec<Option<&Name>> = p.words.iter().flatten().map(Some).collect();
        let order: Vec<Option<&Name>> = [guess, first].into_iter().chain(others).collect();
        return Err(match likely_verb(vocab, &order) {
            Some(n) => unknown_verb(vocab, n),
            None => no_verb(p.span),
        });
    };
    let mut out = p.clone();
    out.words.clear();
    let before = p.words.get(..at).unwrap_or_default();
    match before {
        [] => {}
        [actor] if p.actor.is_empty() => {
            out.actor = actor.iter().cloned().map(ActorSpec::Position).collect();
        }
        [.., extra] => {
            let n = extra.first().cloned().unwrap_or_default();
            return Err(
                Diag::error(code::NAME_VERB, n.span, format!("动词前多了“{}”", n.node))
                    .label("行为人只能有一个（多个写作 A、B）")
                    .help("写法：[行为人] [向 对象] 动词 [种类]；种类写在动词之后"),
            );
        }
    }
    out.verbs = p
        .words
        .get(at)
        .map(|g| {
            g.iter()
                .map(|n| Spanned {
                    node: Verb::Declared(ast::intern(&n.node)),
                    span: n.span,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut kinds: Vec<Name> = p.words.iter().skip(at + 1).flatten().cloned().collect();
    kinds.append(&mut out.filters.kinds);
    out.filters.kinds = kinds;
    Ok(Cow::Owned(out))
}

/// An event with its word groups assigned (unchanged when it has none).
pub fn event<'e>(vocab: &Vocabulary, e: &'e ast::Event) -> Result<Cow<'e, ast::Event>, Diag> {
    if e.words.is_empty() {
        return Ok(Cow::Borrowed(e));
    }
    let single = |g: &[Name]| -> Result<Name, Diag> {
        match g {
            [one] => Ok(one.clone()),
            [_, second, ..] => Err(Diag::error(
                code::SCENARIO_EVENT,
                second.span,
                "事件里的行为人、种类各只能写一个",
            )
            .label("多出的名称")
            .help(
                "一个事件：日期 [行为人] [向 对象] 动词 [种类] [\"标题\"] …；多个对象写在“向”之后",
            )),
            [] => Err(no_verb(e.span)),
        }
    };
    let at = e
        .words
        .iter()
        .position(|g| matches!(g.as_slice(), [n] if declared(vocab, n)));
    let Some(at) = at else {
        // Most likely the verb: the second group (after the actor), else the
        // only one — unless another group is a mistyped verb.
        let guess = e
            .words
            .get(usize::from(e.words.len() > 1))
            .or(e.words.first())
            .and_then(|g| g.first());
        let others: Vec<Option<&Name>> = e.words.iter().flatten().map(Some).collect();
        let order: Vec<Option<&Name>> = std::iter::once(guess).chain(others).collect();
        return Err(match likely_verb(vocab, &order) {
            Some(n) => unknown_verb(vocab, n),
            None => no_verb(e.span),
        });
    };
    let mut out = e.clone();
    out.words.clear();
    let verb = single(e.words.get(at).map(Vec::as_slice).unwrap_or_default())?;
    out.verb = Spanned {
        node: Verb::Declared(ast::intern(&verb.node)),
        span: verb.span,
    };
    match e.words.get(..at).unwrap_or_default() {
        [] => {}
        [actor] => out.actor = Some(single(actor)?),
        [.., extra] => return Err(extra_word(extra, "动词前", "行为人只能有一个")),
    }
    match e.words.get(at + 1..).unwrap_or_default() {
        [] => {}
        [kind] => out.kind = Some(single(kind)?),
        [_, extra, ..] => return Err(extra_word(extra, "动词后", "种类只能写一个")),
    }
    Ok(Cow::Owned(out))
}

/// A word group an event has no room for (a second actor or kind).
fn extra_word(group: &[Name], place: &str, label: &str) -> Diag {
    let n = group.first().cloned().unwrap_or_default();
    Diag::error(
        code::SCENARIO_EVENT,
        n.span,
        format!("{place}多了“{}”", n.node),
    )
    .label(label)
    .help("一个事件：日期 [行为人] [向 对象] 动词 [种类] [\"标题\"] …")
}

/// Every declared verb used outside word groups (`由 X 督查`, JSON events,
/// audit records) must be declared.
pub fn check_declared(vocab: &Vocabulary, v: &Spanned<Verb>) -> Result<(), Diag> {
    match v.node {
        Verb::Declared(w) if !vocab.contains(&w) => Err(unknown_verb(
            vocab,
            &Name {
                node: w.to_string(),
                span: v.span,
            },
        )),
        _ => Ok(()),
    }
}

/// A word run with no name in it cannot happen (the grammar needs one);
/// answered as a missing verb rather than trusted.
fn no_verb(span: Span) -> Diag {
    Diag::error(code::NAME_VERB, span, "这里需要一个动词")
        .label("没有找到动词")
        .help("写法：[行为人] [向 对象] 动词 [种类]")
}
