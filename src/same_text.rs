//! The same sentence in two rulesets is encoded the same way. Several
//! jurisdictions copy one model text (巩留 copies 伊犁州, 克州 shares much of
//! it): where two rulesets quote the same sentence — the same once the
//! jurisdiction's own words are made one (州→县, 州长→县长, 办公厅→办公室,
//! 人民政府→政府 …)
//! and its numbers equal — the rules tied to it must mean the same (as
//! `guize diff` compares rules), unless one of the two articles says why in a
//! comment holding “编码不同”.

use crate::compile::ir::{Article, Ruleset};
use crate::diag::Diag;

/// A pair of articles quoting the same sentence with different rules.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// Index of the ruleset and of the article in it, each side.
    pub a: (usize, usize),
    pub b: (usize, usize),
    pub quote: String,
    pub rules_a: Vec<String>,
    pub rules_b: Vec<String>,
}

/// Every pair of quotes in two different rulesets that are the same
/// sentence: (count of pairs, those whose rules differ with no reason).
pub fn compare(rulesets: &[&Ruleset]) -> (usize, Vec<Disagreement>) {
    let quotes: Vec<Vec<(usize, &str, String)>> = rulesets
        .iter()
        .map(|rs| {
            rs.articles
                .iter()
                .enumerate()
                .flat_map(|(i, a)| a.quotes.iter().map(move |q| (i, q.as_str(), same_words(q))))
                .filter(|(_, _, n)| n.chars().count() >= 12)
                .collect()
        })
        .collect();
    let mut pairs = 0;
    let mut out = Vec::new();
    for (x, rx) in rulesets.iter().enumerate() {
        for (y, ry) in rulesets.iter().enumerate().skip(x + 1) {
            for (ia, qa, na) in quotes.get(x).into_iter().flatten() {
                for (ib, qb, nb) in quotes.get(y).into_iter().flatten() {
                    if !same_sentence(na, nb) {
                        continue;
                    }
                    pairs += 1;
                    let (ra, rb) = (meanings(rx, qa), meanings(ry, qb));
                    if ra != rb
                        && !says_why(rx, rx.articles.get(*ia))
                        && !says_why(ry, ry.articles.get(*ib))
                    {
                        out.push(Disagreement {
                            a: (x, *ia),
                            b: (y, *ib),
                            quote: qa.to_string(),
                            rules_a: ra,
                            rules_b: rb,
                        });
                    }
                }
            }
        }
    }
    (pairs, out)
}

/// Lint warnings, one per disagreement, in the first ruleset's source.
pub fn lint(rulesets: &[&Ruleset]) -> Vec<Diag> {
    let (_, found) = compare(rulesets);
    found
        .iter()
        .filter_map(|d| {
            let (ra, rb) = (rulesets.get(d.a.0)?, rulesets.get(d.b.0)?);
            let (aa, ab) = (ra.articles.get(d.a.1)?, rb.articles.get(d.b.1)?);
            // At the sentence itself (its 原文 line), not the whole article.
            let at = aa
                .quotes
                .iter()
                .position(|q| *q == d.quote)
                .and_then(|i| aa.quote_spans.get(i).copied())
                .unwrap_or(aa.span);
            Some(
                Diag::error(
                    crate::lint::code::SAME_TEXT,
                    at,
                    format!(
                        "{}与《{}》{}引用同一句原文，规则却不同：“{}”",
                        aa.display, rb.name, ab.display, d.quote
                    ),
                )
                .label("同一句原文")
                .help(format!(
                    "两处应按同一读法编码；若确有理由不同，在其中一条内加注释“// 编码不同：理由”。本条：{}；对方：{}",
                    rules_text(&d.rules_a),
                    rules_text(&d.rules_b)
                ))
                .warning()
                .in_source(&ra.source),
            )
        })
        .collect()
}

/// Jurisdiction words made one, punctuation and spaces dropped.
pub fn same_words(s: &str) -> String {
    let mut t = s.to_string();
    for (a, b) in [
        ("伊犁哈萨克自治州", "县"),
        ("克孜勒苏柯尔克孜自治州", "县"),
        ("自治州", "县"),
        ("巩留县", "县"),
        ("乾安县", "县"),
        ("瓜州县", "县"),
        ("办公厅", "办公室"),
        // 县人民政府 and 县政府 name one body.
        ("人民政府", "政府"),
        ("州", "县"),
        ("厅局", "部门"),
    ] {
        t = t.replace(a, b);
    }
    t.chars()
        .filter(|c| !c.is_whitespace() && !"，。、；：“”\"（）()「」,.;:".contains(*c))
        .collect()
}

/// The same sentence: nearly the same characters and the same numbers (a
/// sentence that differs in a number is a different rule).
fn same_sentence(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) * 10 > la.max(lb) || numbers(a) != numbers(b) {
        return false;
    }
    strsim::normalized_levenshtein(a, b) >= 0.9
}

fn numbers(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || "一二两三四五六七八九十百".contains(*c))
        .collect()
}

/// The rules of one side as the help shows them; none: 未编码.
fn rules_text(rules: &[String]) -> String {
    if rules.is_empty() {
        "（未编码）".to_string()
    } else {
        rules.join(" | ")
    }
}

/// What the rules tied to `quote` mean (pattern, kinds, actors, deadline
/// …, as `guize diff` compares them), jurisdiction words made one.
fn meanings(rs: &Ruleset, quote: &str) -> Vec<String> {
    let mut v: Vec<String> = rs
        .rules
        .iter()
        .filter(|r| r.quote.as_deref() == Some(quote))
        .map(|r| {
            // Each field made one across jurisdictions, then joined with a
            // separator same_words would drop (the help reads them apart).
            let fields: Vec<String> = crate::diff::summary(rs, r)
                .into_iter()
                .map(|(k, v)| same_words(&format!("{k}={v}")))
                .collect();
            fields.join("，")
        })
        .collect();
    v.sort();
    v
}

fn says_why(rs: &Ruleset, a: Option<&Article>) -> bool {
    a.is_some_and(|a| rs.source.slice(a.span).contains("编码不同"))
}
