//! Name tables and did-you-mean suggestions.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::diag::{Diag, code};
use crate::syntax::ast::{Name, Span};

/// Names of one kind (positions, meeting kinds, …) → dense ids.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    pub names: Vec<String>,
    pub spans: Vec<Span>,
    /// Looked up for every name of every record an audit reads: Fx, not
    /// SipHash (never iterated, so the order does not matter).
    index: crate::check::FxMap<String, usize>,
    /// The names again, shared with findings that cite them.
    shared: Vec<Arc<str>>,
    /// Did-you-mean index, built on the first lookup in a large table and
    /// kept up to date by `insert` after that.
    near: OnceLock<NearIndex>,
}

impl NameTable {
    /// Insert; on a duplicate returns the id of the first declaration.
    pub fn insert(&mut self, name: &str, span: Span) -> Result<usize, usize> {
        if let Some(&id) = self.index.get(name) {
            return Err(id);
        }
        let id = self.names.len();
        self.names.push(name.to_string());
        self.shared.push(Arc::from(name));
        self.spans.push(span);
        self.index.insert(name.to_string(), id);
        if let Some(ix) = self.near.get_mut() {
            ix.add(name, id);
        }
        Ok(id)
    }

    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn name(&self, id: usize) -> &str {
        self.names.get(id).map_or("?", String::as_str)
    }

    /// The name, shared (for findings).
    pub fn shared_name(&self, id: usize) -> Arc<str> {
        self.shared
            .get(id)
            .cloned()
            .unwrap_or_else(|| Arc::from("?"))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The names worth scoring as suggestions for `wanted` (by
    /// [`suggest`]): all of them in a table of up to [`INDEX_FROM`];
    /// in a larger one (a log declaring 10⁵ people) only those one edit
    /// away — a character added, dropped or replaced, found through an
    /// index of the names with one character deleted — at most
    /// [`INDEX_CANDIDATES`] of them. An unknown name then costs a few
    /// hash lookups, not a comparison with every name.
    pub fn near(&self, wanted: &str) -> Vec<&str> {
        if self.names.len() <= INDEX_FROM {
            return self.names.iter().map(String::as_str).collect();
        }
        let ix = self.near.get_or_init(|| {
            let mut ix = NearIndex::default();
            for (id, n) in self.names.iter().enumerate() {
                ix.add(n, id);
            }
            ix
        });
        let mut ids: Vec<usize> = Vec::new();
        deletions(wanted, |h| {
            for id in ix.ids(h) {
                if ids.len() < INDEX_CANDIDATES {
                    ids.push(id);
                }
            }
        });
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.names.get(id).map(String::as_str))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A [`NameTable`] larger than this answers did-you-mean from its index.
pub const INDEX_FROM: usize = 500;

/// At most this many names are proposed by the index for one lookup.
pub const INDEX_CANDIDATES: usize = 256;

/// Names are indexed by their first this many characters.
const INDEX_CHARS: usize = 24;

/// Every name under a hash of itself and of each of its forms with one
/// character deleted: two names one edit apart share a key. Hash
/// collisions only propose a name that [`suggest`] then scores.
#[derive(Debug, Clone, Default)]
struct NearIndex {
    keys: HashMap<u64, Ids>,
}

/// The ids under one key: almost always one.
#[derive(Debug, Clone)]
enum Ids {
    One(usize),
    Many(Vec<usize>),
}

impl NearIndex {
    fn add(&mut self, name: &str, id: usize) {
        deletions(name, |h| match self.keys.get_mut(&h) {
            None => {
                self.keys.insert(h, Ids::One(id));
            }
            Some(Ids::One(x)) if *x == id => {}
            Some(Ids::One(x)) => {
                let first = *x;
                self.keys.insert(h, Ids::Many(vec![first, id]));
            }
            Some(Ids::Many(v)) => {
                if v.last() != Some(&id) {
                    v.push(id);
                }
            }
        });
    }

    fn ids(&self, h: u64) -> impl Iterator<Item = usize> + '_ {
        let (one, many) = match self.keys.get(&h) {
            None => (None, &[][..]),
            Some(Ids::One(x)) => (Some(*x), &[][..]),
            Some(Ids::Many(v)) => (None, v.as_slice()),
        };
        one.into_iter().chain(many.iter().copied())
    }
}

/// Calls `f` with the hash of `name` (its first [`INDEX_CHARS`]
/// characters) and of each form of it with one character deleted.
fn deletions(name: &str, mut f: impl FnMut(u64)) {
    let chars: Vec<char> = name.chars().take(INDEX_CHARS).collect();
    let hash = |skip: Option<usize>| {
        // FNV-1a over the characters kept.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (i, c) in chars.iter().enumerate() {
            if Some(i) != skip {
                h ^= u64::from(u32::from(*c));
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    };
    f(hash(None));
    for i in 0..chars.len() {
        f(hash(Some(i)));
    }
}

/// Beyond this many candidates (a log declaring 10⁵ people), only those
/// with the wanted name's first character are compared.
const SUGGEST_ALL_UP_TO: usize = 5_000;

/// The closest candidates to `wanted`, best first (at most 3). Cheap tests
/// come first, so that a large table costs a scan, not an edit distance
/// per name: a candidate sharing no character with `wanted`, or whose
/// length differs too much, cannot reach the threshold.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let chars: Vec<char> = wanted.chars().collect();
    let first = chars.first().copied();
    let iter = candidates.into_iter();
    let large = iter.size_hint().0 > SUGGEST_ALL_UP_TO;
    let mut scored: Vec<(f64, &str)> = iter
        .filter(|c| !large || c.chars().next() == first)
        .filter(|c| {
            let n = c.chars().count();
            let (lo, hi) = (n.min(chars.len()), n.max(chars.len()));
            // normalized_levenshtein ≥ 0.34 needs the lengths close, and
            // either score needs a character in common.
            (c.contains(wanted) || wanted.contains(*c) || (hi - lo) * 100 <= hi * 66)
                && c.chars().any(|x| chars.contains(&x))
        })
        .filter_map(|c| {
            let score = strsim::normalized_levenshtein(wanted, c).max(
                if c.contains(wanted) || wanted.contains(c) {
                    0.6
                } else {
                    0.0
                },
            );
            (score >= 0.34).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// The names in a set worth scoring as suggestions for `wanted`: all in a
/// set of up to [`INDEX_FROM`]; in a larger one (a log declaring 10⁵
/// units), at most [`INDEX_CANDIDATES`] of those sharing its first
/// character (consecutive in the set's order).
pub fn near_in_set<'a>(wanted: &str, set: &'a std::collections::BTreeSet<String>) -> Vec<&'a str> {
    if set.len() <= INDEX_FROM {
        return set.iter().map(String::as_str).collect();
    }
    let Some(first) = wanted.chars().next() else {
        return Vec::new();
    };
    set.range(first.to_string()..)
        .take_while(|n| n.starts_with(first))
        .take(INDEX_CANDIDATES)
        .map(String::as_str)
        .collect()
}

/// `guize::name::unknown` with did-you-mean help.
pub fn unknown<'a>(
    what: &str,
    name: &Name,
    candidates: impl IntoIterator<Item = &'a str>,
    how_to_declare: &str,
) -> Diag {
    let wanted = name.node.as_str();
    let near = suggest(wanted, candidates);
    let mut help = match near.as_slice() {
        [] => how_to_declare.to_string(),
        [one] => format!("是否指“{one}”？"),
        many => format!(
            "是否指{}？",
            many.iter()
                .map(|n| format!("“{n}”"))
                .collect::<Vec<_>>()
                .join("或")
        ),
    };
    // 向县长 written without a space is read as one name.
    for prefix in ["向", "由", "经", "在"] {
        if let Some(rest) = wanted.strip_prefix(prefix)
            && !rest.is_empty()
            && help.contains(&format!("“{rest}”"))
        {
            help = format!("“{prefix}”与“{rest}”之间请加空格：{prefix} {rest}");
        }
    }
    Diag::error(
        code::NAME_UNKNOWN,
        name.span,
        format!("未知的{what}“{wanted}”"),
    )
    .label(format!("没有声明这个{what}"))
    .help(help)
}

/// Titles as events hold them: each distinct title ([`title_key`]) stored
/// once and shared, so that the events, the index and the audit's maps
/// about one document hold one allocation, and compare it by pointer
/// first (issue #13: a log names most documents two to seven times). The
/// 情形 and 领域 events name are shared the same way ([`Titles::word`]).
#[derive(Debug, Default)]
pub struct Titles(
    std::collections::HashSet<Arc<str>, std::hash::BuildHasherDefault<crate::check::FxHasher>>,
);

impl Titles {
    /// The shared title for `raw` as written.
    pub fn get(&mut self, raw: &str) -> Arc<str> {
        self.word(&title_key_cow(raw))
    }

    /// A word held by many events (a 情形, a 领域) shared as written.
    pub fn word(&mut self, raw: &str) -> Arc<str> {
        if let Some(t) = self.0.get(raw) {
            return t.clone();
        }
        let t: Arc<str> = Arc::from(raw);
        self.0.insert(t.clone());
        t
    }

    /// Forget the titles nothing else holds any more (the audit's events
    /// about them have left): the table stays as large as the buffer.
    pub fn prune(&mut self) {
        self.0.retain(|t| Arc::strong_count(t) > 1);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A document or meeting title as compared: full- and half-width
/// punctuation and digits made one (（） and (), 〔〕 and [], ２ and 2), spaces
/// dropped. `“关于（2023）…”` and `"关于(2023) …"` are one document.
pub fn title_key(title: &str) -> String {
    title_key_cow(title).into_owned()
}

/// [`title_key`], borrowing the title when it holds nothing to change.
fn title_key_cow(title: &str) -> std::borrow::Cow<'_, str> {
    // Most titles hold nothing to change: no byte that could start white
    // space, an ASCII sign above or a full-width form (U+FFxx) says so.
    let suspect = |b: u8| {
        b <= b' '
            || matches!(
                b,
                b'(' | b')' | b'[' | b']' | b',' | b':' | b';' | b'!' | b'?' | 0xC2 | 0xE1
                    ..=0xE3 | 0xEF
            )
    };
    if !title.bytes().fold(false, |any, b| any | suspect(b)) {
        return std::borrow::Cow::Borrowed(title);
    }
    title
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            '[' => '〔',
            ']' => '〕',
            ',' => '，',
            ':' => '：',
            ';' => '；',
            '!' => '！',
            '?' => '？',
            // Full-width digits and Latin letters: their ASCII forms.
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn title_keys() {
        use super::title_key;
        assert_eq!(
            title_key("关于（2023）第１号 文件"),
            "关于（2023）第1号文件"
        );
        assert_eq!(title_key("关于(2023)[3]号"), "关于（2023）〔3〕号");
        assert_eq!(title_key("件64"), "件64");
        assert_eq!(title_key("a\u{3000}b\u{a0}c"), "abc");
        assert_eq!(title_key("ＡＢｃ"), "ABc");
    }

    #[test]
    fn suggests_nearest() {
        let c = ["县长", "副县长", "常务副县长", "党组书记"];
        assert_eq!(suggest("付县长", c).first(), Some(&"副县长"));
        assert_eq!(suggest("常务付县长", c).first(), Some(&"常务副县长"));
        assert!(suggest("财政局", c).is_empty());
    }

    #[test]
    fn titles_are_shared_keyed_and_pruned() {
        use super::Titles;
        use std::sync::Arc;
        let mut t = Titles::default();
        // Written two ways, one title: the same allocation.
        let a = t.get("关于(2023)第１号");
        let b = t.get("关于（2023）第1号");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "关于（2023）第1号");
        // A word is shared as written (no title key).
        let w = t.word("重大事项");
        assert!(Arc::ptr_eq(&w, &t.word("重大事项")));
        let other = t.get("另一件");
        assert_eq!(t.len(), 3);
        // Nothing but the table holds 另一件 once it is dropped: pruned.
        drop(other);
        t.prune();
        assert_eq!(t.len(), 2);
        drop((a, b, w));
        t.prune();
        assert!(t.is_empty());
    }
}
