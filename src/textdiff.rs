//! A unified diff of two texts, line by line — what `guize fmt --check`
//! shows for a file that would change.

use std::fmt::Write as _;

/// Lines of context around each change.
const CONTEXT: usize = 2;
/// Above this many line pairs in the changed middle, the middle is shown as
/// removed and added whole rather than aligned (bounded memory).
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Same,
    Del,
    Add,
}

/// `--- a/NAME` / `+++ b/NAME` and `@@` hunks; empty when the texts agree.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = align(&a, &b);
    if ops.iter().all(|(op, _, _)| *op == Op::Same) {
        return String::new();
    }
    let mut out = format!("--- {name}\n+++ {name}（格式化后）\n");
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, (op, _, _))| *op != Op::Same)
        .map(|(i, _)| i)
        .collect();
    // Group changes whose contexts touch into hunks.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let (from, to) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(ops.len()));
        match hunks.last_mut() {
            Some((_, end)) if from <= *end => *end = to,
            _ => hunks.push((from, to)),
        }
    }
    for (from, to) in hunks {
        let slice = ops.get(from..to).unwrap_or(&[]);
        let first = slice.first().map_or((0, 0), |(_, x, y)| (*x, *y));
        let na = slice.iter().filter(|(op, _, _)| *op != Op::Add).count();
        let nb = slice.iter().filter(|(op, _, _)| *op != Op::Del).count();
        let _ = writeln!(out, "@@ -{},{na} +{},{nb} @@", first.0 + 1, first.1 + 1);
        for (op, x, y) in slice {
            let (mark, line) = match op {
                Op::Same => (' ', a.get(*x)),
                Op::Del => ('-', a.get(*x)),
                Op::Add => ('+', b.get(*y)),
            };
            let _ = writeln!(out, "{mark}{}", line.copied().unwrap_or(""));
        }
    }
    out
}

/// The edit script: (op, index in a, index in b) per line.
fn align(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a
        .iter()
        .skip(pre)
        .rev()
        .zip(b.iter().skip(pre).rev())
        .take_while(|(x, y)| x == y)
        .count();
    let ma: Vec<&str> = a
        .iter()
        .skip(pre)
        .take(a.len() - pre - suf)
        .copied()
        .collect();
    let mb: Vec<&str> = b
        .iter()
        .skip(pre)
        .take(b.len() - pre - suf)
        .copied()
        .collect();
    let mut ops: Vec<(Op, usize, usize)> = (0..pre).map(|i| (Op::Same, i, i)).collect();
    if ma.len().saturating_mul(mb.len()) <= MAX_CELLS {
        // Longest common subsequence over the middle: t(i, j) = the LCS of
        // ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut t = vec![0u32; (ma.len() + 1) * w];
        let get = |t: &[u32], i: usize, j: usize| t.get(i * w + j).copied().unwrap_or(0);
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                let v = if ma.get(i) == mb.get(j) {
                    get(&t, i + 1, j + 1) + 1
                } else {
                    get(&t, i + 1, j).max(get(&t, i, j + 1))
                };
                if let Some(cell) = t.get_mut(i * w + j) {
                    *cell = v;
                }
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma.get(i) == mb.get(j) {
                ops.push((Op::Same, pre + i, pre + j));
                i += 1;
                j += 1;
            } else if i < ma.len() && (j == mb.len() || get(&t, i + 1, j) >= get(&t, i, j + 1)) {
                // Deletions before additions, as diff shows them.
                ops.push((Op::Del, pre + i, pre + j));
                i += 1;
            } else {
                ops.push((Op::Add, pre + i, pre + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..ma.len()).map(|i| (Op::Del, pre + i, pre)));
        ops.extend((0..mb.len()).map(|j| (Op::Add, pre + ma.len(), pre + j)));
    }
    ops.extend((0..suf).map(|k| (Op::Same, a.len() - suf + k, b.len() - suf + k)));
    ops
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_with_context() {
        let d = unified("f.guize", "a\nb\nc\nd\ne\n", "a\nb\nC\nd\ne\n");
        assert_eq!(
            d,
            "--- f.guize\n+++ f.guize（格式化后）\n@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\n d\n e\n"
        );
    }

    #[test]
    fn same_texts_give_nothing() {
        assert_eq!(unified("f", "x\ny\n", "x\ny\n"), "");
    }

    #[test]
    fn inserted_line() {
        let d = unified("f", "a\nb\n", "a\nx\nb\n");
        assert!(d.contains("@@ -1,2 +1,3 @@\n a\n+x\n b\n"), "{d}");
    }
}
