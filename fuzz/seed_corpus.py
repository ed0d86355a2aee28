#!/usr/bin/env python3
"""Seed fuzz/corpus/<target>/ from the shipped .guize files.

Run once (from anywhere) to rebuild the seeds; `cargo fuzz cmin` then keeps
only the inputs that add coverage. Seeds are capped at MAX_LEN bytes (the
-max_len run.sh passes), so big rulesets are cut into one small ruleset per
article (header declarations + that article) and test files into single
scenarios.
"""
import hashlib
import os
import re
import sys

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
MAX_LEN = {"fmt": 8192, "parse_compile": 8192, "fragment": 4096, "date_expr": 256, "check": 4096, "audit": 4096}


def guize_files():
    for d in ["examples", "rulesets", "tests"]:
        for dirpath, _, names in os.walk(os.path.join(ROOT, d)):
            for n in sorted(names):
                if n.endswith(".guize"):
                    yield os.path.join(dirpath, n)


def blocks(text, opener):
    """Top-level blocks starting with `opener` at column 0, brace-matched."""
    out = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if lines[i].startswith(opener):
            depth, j, buf = 0, i, []
            while j < len(lines):
                buf.append(lines[j])
                depth += lines[j].count("{") + lines[j].count("｛")
                depth -= lines[j].count("}") + lines[j].count("｝")
                j += 1
                if depth <= 0 and "{" in "".join(buf):
                    break
            out.append("".join(buf))
            i = j
        else:
            i += 1
    return out


ARTICLE = re.compile(r"^  (条\s|第\S+条)")


def split_ruleset(block):
    """One small ruleset per article: the declarations plus that article."""
    lines = block.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if ARTICLE.match(l)]
    if not starts:
        return [block]
    header = "".join(lines[: starts[0]])
    out = []
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines) - 1
        out.append(header + "".join(lines[s:end]) + "}\n")
    return out


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_LEN[target]:
        return
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    for path in guize_files():
        with open(path, "rb") as f:
            raw = f.read()
        write("parse_compile", raw)  # small files whole (bad-input, demo)
        write("fmt", raw)  # small files whole (bad-input, demo)
        try:
            text = raw.decode()
        except UnicodeDecodeError:
            continue
        for rs in blocks(text, "规则集"):
            for piece in split_ruleset(rs):
                write("parse_compile", piece)
                write("fmt", piece)
        for sc in blocks(text, "情景"):
            write("parse_compile", sc)
            write("fmt", sc)
            # Scenario statements as typed at the REPL prompt.
            body = [l.strip() for l in sc.splitlines()[1:-1]]
            body = [l for l in body if l and not l.startswith("依据")]
            write("fragment", "\n".join(body) + "\n:check\n:why 五十七\n")
    repl = os.path.join(ROOT, "tests", "golden", "repl")
    for n in sorted(os.listdir(repl)):
        if n.endswith(".txt"):
            with open(os.path.join(repl, n)) as f:
                lines = [l for l in f.read().splitlines() if not l.startswith("@@")]
            write("fragment", "\n".join(lines) + "\n")
    for expr in [
        "2023-09-25 +7工作日", "2023-09-25 +7个工作日", "2023-09-25", "2023-10-07",
        "2023年10月1日 -3天", "2023/9/25 +七个工作日", "2023.9.25 +30日",
        "2024-02-29 +1日", "2019-12-31 +1工作日", "2026-12-31 +5工作日",
        "２０２３-09-25 ＋７工作日", "2023-09-25 －一百零五天", "2023-04-20 +1工作日",
        "2023-02-30", "2023-09-25 +7", " 2023-09-25 + 二十二 工作日 ",
        "2023-10-09 -3工作日", "2023年10月9日 －五个工作日", "2022-01-04 -2工作日",
    ]:
        for cal in (b"\x00", b"\x01"):
            write("date_expr", cal + expr.encode())
    # The check target reads bytes as choices: a few fixed patterns to start.
    for k in range(16):
        write("check", bytes((i * (k + 7) + k) % 256 for i in range(64 + 32 * k)))
    # audit: mode byte (0 raw log, 1 structured, 2 JSON scenario), four
    # option bytes (look-back, 及时 days, chunk days, citations), then data.
    logs = [os.path.join(ROOT, "examples", "qianan-2023-09.events.jsonl")]
    bad = os.path.join(ROOT, "tests", "bad-input")
    logs += [os.path.join(bad, n) for n in sorted(os.listdir(bad)) if n.endswith(".jsonl")]
    for path in logs:
        with open(path, "rb") as f:
            log = f.read()
        write("audit", b"\x00\x1f\x1f\x0e\x03" + log[:4000])
        write("audit", b"\x00\x02\x01\x01\x01" + log[:4000])
    for dirpath, _, names in os.walk(os.path.join(ROOT, "tests")):
        for n in sorted(names):
            if n.endswith(".scenario.json"):
                with open(os.path.join(dirpath, n), "rb") as f:
                    write("audit", b"\x02\x00\x00\x00\x00" + f.read())
    for k in range(8):
        write("audit", bytes([1, 5, 5, k, 2]) + bytes((i * (k + 3)) % 256 for i in range(512)))


if __name__ == "__main__":
    sys.exit(main())
