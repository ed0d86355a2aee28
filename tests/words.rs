//! One table per keyword class: every quoted CJK keyword of the grammar is
//! in a table of `syntax::words`, and every word of those tables is a
//! keyword of the grammar.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use guize::syntax::words;

/// The string literals of a pest grammar, outside `//` comments (`"//"`
/// inside a literal is no comment).
fn literals(grammar: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = grammar.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut lit = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            lit.push(c);
                            lit.extend(chars.next());
                        }
                        '"' => break,
                        _ => lit.push(c),
                    }
                }
                out.push(lit);
            }
            // A character literal such as '"' or '0'..'9'.
            '\'' => {
                let mut prev = '\'';
                for c in chars.by_ref() {
                    if c == '\'' && prev != '\\' {
                        break;
                    }
                    prev = c;
                }
            }
            _ => {}
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{4DBF}').contains(&c)
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || c == '〇'
}

fn grammar_literals() -> BTreeSet<String> {
    let grammar =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/guize.pest"))
            .unwrap();
    literals(&grammar).into_iter().collect()
}

fn grammar_keywords() -> BTreeSet<String> {
    grammar_literals()
        .into_iter()
        .filter(|l| l.chars().any(is_cjk))
        .collect()
}

#[test]
fn every_grammar_keyword_is_in_a_table_and_back() {
    let grammar = grammar_keywords();
    assert!(
        grammar.len() > 150,
        "grammar literals not found: {grammar:?}"
    );
    let table: BTreeSet<String> = words::every_word()
        .into_iter()
        .map(|(_, w)| w.to_string())
        .collect();
    let missing: Vec<&String> = grammar.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "grammar keywords in no table of syntax::words: {missing:?}"
    );
    // Tables may hold signs too (the range words - and ～): each must be a
    // literal of the grammar as well.
    let all = grammar_literals();
    let extra: Vec<(&str, &str)> = words::every_word()
        .into_iter()
        .filter(|(_, w)| !all.contains(*w))
        .collect();
    assert!(
        extra.is_empty(),
        "words in syntax::words that the grammar does not have: {extra:?}"
    );
}

/// Tables that map words to meanings hold each word once.
#[test]
fn each_meaning_table_holds_a_word_once() {
    let tables: Vec<(&str, Vec<&str>)> = vec![
        ("VERBS", words::VERBS.iter().map(|(_, w)| *w).collect()),
        (
            "MODALITY",
            words::MODALITY.iter().map(|(_, w)| *w).collect(),
        ),
        ("COUNT", words::COUNT.iter().map(|(_, w)| *w).collect()),
        ("ROLE", words::ROLE.iter().map(|(_, w)| *w).collect()),
        ("PERIOD", words::PERIOD.iter().map(|(_, w)| *w).collect()),
        ("WEEKDAY", words::WEEKDAY.iter().map(|(_, w)| *w).collect()),
        ("SEPARATOR_WORDS", words::SEPARATOR_WORDS.to_vec()),
    ];
    for (name, ws) in tables {
        let set: BTreeSet<&str> = ws.iter().copied().collect();
        assert_eq!(set.len(), ws.len(), "{name} holds a word twice");
    }
}

#[test]
fn the_literal_reader_skips_comments_and_char_literals() {
    let g = "a = { \"甲\" ~ '\"'..'\"' } // \"乙\"\nb = { \"//\" ~ \"丙\" }";
    assert_eq!(literals(g), vec!["甲", "//", "丙"]);
}
