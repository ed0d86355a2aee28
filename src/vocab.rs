//! 词表: the names a ruleset gives scenarios and logs to record with —
//! positions, units, meeting and document kinds, the verbs it adds — and
//! every 情形 its rules read, with the articles that read it. Blind
//! writers (r15) guessed the 情形 only article comments named: a 情形 left
//! out warns of nothing, so the recorder needs the list.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::Serialize;

use crate::compile::ir::Ruleset;

/// A declared name and the names it 属于 (all of them, nearest first is
/// not kept: the declaration order of the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Declared {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub belongs_to: Vec<String>,
}

/// A 情形 some rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagUse {
    pub name: String,
    /// The articles whose rules read it, in article order (第二十条 …).
    pub articles: Vec<String>,
    /// Declared `不沿用`: it stays on the event that records it.
    pub act_only: bool,
}

/// What a recorder may write, as the ruleset declares and reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    pub ruleset: String,
    pub positions: Vec<Declared>,
    pub units: Vec<Declared>,
    pub meetings: Vec<Declared>,
    pub documents: Vec<Declared>,
    /// Verbs the ruleset adds to the built-in ones (行为 …).
    pub verbs: Vec<String>,
    pub tags: Vec<TagUse>,
}

pub fn vocabulary(rs: &Ruleset) -> Vocabulary {
    let positions = rs
        .positions
        .names
        .iter()
        .enumerate()
        .map(|(id, name)| Declared {
            name: name.clone(),
            belongs_to: rs
                .position_ancestors
                .get(id)
                .into_iter()
                .flatten()
                .map(|a| rs.position_name(*a).to_string())
                .collect(),
        })
        .collect();
    let units = rs
        .unit_names
        .names
        .iter()
        .map(|name| Declared {
            name: name.clone(),
            belongs_to: rs
                .unit_ancestors
                .get(name)
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
        })
        .collect();
    // Kinds name what they 属于 by index into their own table.
    let kinds = |table: Vec<(&String, &std::collections::BTreeSet<usize>)>| -> Vec<Declared> {
        table
            .iter()
            .map(|(name, ancestors)| Declared {
                name: (*name).clone(),
                belongs_to: ancestors
                    .iter()
                    .filter_map(|a| table.get(*a).map(|x| x.0.clone()))
                    .collect(),
            })
            .collect()
    };
    let meetings = kinds(
        rs.meetings
            .iter()
            .map(|m| (&m.name, &m.ancestors))
            .collect(),
    );
    let documents = kinds(
        rs.documents
            .iter()
            .map(|d| (&d.name, &d.ancestors))
            .collect(),
    );
    // 情形 → the articles reading it (by article index, so in order).
    let mut read: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for r in &rs.rules {
        let facts = r.kind.pattern().lint_facts();
        let scopes = facts.patterns.iter().map(|p| &p.scope).chain(facts.scope);
        let tags = r
            .exceptions
            .iter()
            .map(String::as_str)
            .chain(scopes.flat_map(|s| s.tags.iter().map(|t| &**t)));
        for t in tags {
            let arts = read.entry(t).or_default();
            if !arts.contains(&r.article) {
                arts.push(r.article);
            }
        }
    }
    let mut read: Vec<(&str, Vec<usize>)> = read.into_iter().collect();
    for (_, arts) in &mut read {
        arts.sort_unstable();
    }
    // In the order of the text: by the first article reading each.
    read.sort_by(|a, b| (a.1.first(), a.0).cmp(&(b.1.first(), b.0)));
    let tags = read
        .into_iter()
        .map(|(name, arts)| TagUse {
            name: name.to_string(),
            articles: arts
                .iter()
                .filter_map(|a| rs.articles.get(*a).map(|x| x.display.to_string()))
                .collect(),
            act_only: rs.act_tags.iter().any(|x| x.node == name),
        })
        .collect();
    Vocabulary {
        ruleset: rs.name.clone(),
        positions,
        units,
        meetings,
        documents,
        verbs: rs.verbs.iter().map(|v| v.to_string()).collect(),
        tags,
    }
}

fn declared(out: &mut String, title: &str, items: &[Declared]) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "{title}：")?;
    for d in items {
        if d.belongs_to.is_empty() {
            writeln!(out, "  {}", d.name)?;
        } else {
            writeln!(out, "  {}（属于 {}）", d.name, d.belongs_to.join("、"))?;
        }
    }
    Ok(())
}

impl Vocabulary {
    /// The list for people: one section per kind of name.
    pub fn human(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_human(&mut out);
        out
    }

    fn write_human(&self, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "规则集“{}”的记录用词（情景与审计日志按此记录；名称须一字不差）",
            self.ruleset
        )?;
        declared(out, "职务", &self.positions)?;
        declared(out, "单位", &self.units)?;
        declared(out, "会议种类", &self.meetings)?;
        declared(out, "公文种类", &self.documents)?;
        if !self.verbs.is_empty() {
            writeln!(out, "另加的行为：{}", self.verbs.join("、"))?;
        }
        if self.tags.is_empty() {
            writeln!(out, "情形：没有规则读取情形")?;
        } else {
            writeln!(
                out,
                "情形（规则读取的；记作 情形 X，写在它所说的那个事件上）："
            )?;
            for t in &self.tags {
                let only = if t.act_only {
                    "；只属记明它的那次行为，不沿用到同一公文之后的事件"
                } else {
                    ""
                };
                writeln!(out, "  {} — {}{only}", t.name, t.articles.join("、"))?;
            }
        }
        Ok(())
    }
}
