#!/usr/bin/env python
"""Seeded fuzz run of ``detector score`` through the command line.

Generates N hostile input files (binary, invalid UTF-8, other encodings, huge and deeply nested
JSON, JSONL with raw U+2028/U+2029/U+0085 inside strings and bad lines between good ones, RTL and
zero-width text, long lines, runs of repeated names, empty files, HTML in other charsets, HTML
saved as .txt, ...), scores them in batches with

    detector score --no-grammar --no-cache --format jsonl FILE...

and counts what the project promises never happens:

- tracebacks on stderr;
- lost inputs: a file (or a JSONL line) with neither an output row nor a ``NAME: error:`` line;
- duplicated rows (one input reported twice);
- exit codes other than 0 and 3;
- output lines that are not strict JSON (NaN/Infinity included).

By default long lines are capped at ~200 KB and name runs at 300 words, so the run finishes in
minutes; ``--huge`` adds the pathological sizes (10 MB and 4.9 MB lines, a 4.8 MB word, 15,000
repeated names) that the scaling work addresses.

    .venv/bin/python scripts/fuzz_cli.py --n 10000 --batch 200 --seed 13
    .venv/bin/python scripts/fuzz_cli.py --n 1000 --keep /tmp/fz    # keep the files to look at

Exit status: 0 when every count is zero, 1 otherwise. ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------------
# generators (each returns (extension, bytes, jsonl line ids or None))

SENTENCES = [
    "The city council voted on Tuesday to approve three new bus routes.",
    "Officials said the routes would start running in the spring.",
    "Tony Blair met Gordon Brown in London to discuss the budget.",
    "The minister said the the plan would go ahead despite the protests.",
    "Passenger numbers had risen by eight percent over the past year.",
    "Share this article",
    "Read more: Other story",
    "Engineers tested the new pontoons in rough weather since January.",
    "He passes tops the list of candidates. for the job.",
    "The harbour authority said the terminal would open in April.",
]
RTL = ["\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
       "\u202eevil\u202c", "\u2067isolate\u2069"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"]
NAMES = ["Blair", "Tony Blair", "Obama", "Angela Merkel", "Merkle", "Blaire"]


def article(rng: random.Random, n: int | None = None) -> str:
    n = n or rng.randint(3, 25)
    paras, cur = [], []
    for _ in range(n):
        cur.append(rng.choice(SENTENCES))
        if rng.random() < 0.3:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return rng.choice(["Headline of the day", "Council news", "Port reopens"]) + "\n\n" + "\n\n".join(paras) + "\n"


def sprinkle(rng: random.Random, text: str, pieces: list[str], k: int) -> str:
    chars = list(text)
    for _ in range(k):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(pieces))
    return "".join(chars)


def g_plain(rng, huge):
    return rng.choice([".txt", ".md", ".text"]), article(rng).encode(), None


def g_rtl_zero_width(rng, huge):
    t = sprinkle(rng, article(rng), RTL + ZERO_WIDTH, rng.randint(1, 60))
    return ".txt", t.encode("utf-8"), None


def g_long_line(rng, huge):
    size = rng.choice([10_000_000, 4_900_000, 1_000_000]) if huge and rng.random() < 0.3 else rng.randint(20_000, 200_000)
    words = " ".join(rng.choice(SENTENCES) for _ in range(size // 60 + 1))[:size]
    return ".txt", words.encode(), None


def g_long_word(rng, huge):
    size = 4_800_000 if huge and rng.random() < 0.3 else rng.randint(10_000, 200_000)
    return ".txt", (article(rng) + "x" * size + "\n").encode(), None


def g_repeated_names(rng, huge):
    n = rng.choice([1_600, 15_000]) if huge and rng.random() < 0.3 else rng.randint(20, 300)
    name = rng.choice(NAMES)
    return ".txt", (article(rng, 3) + (name + " ") * n + "\n").encode(), None


def g_empty(rng, huge):
    return rng.choice([".txt", ".html", ".json", ".jsonl"]), rng.choice([b"", b"   \n\t\n", b"\n" * 50, b"\xef\xbb\xbf"]), None


def g_binary(rng, huge):
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 5000)))
    return rng.choice([".txt", ".html", ".json", ".jsonl", ".md"]), data, None


def g_invalid_utf8(rng, huge):
    b = bytearray(article(rng).encode())
    for _ in range(rng.randint(1, 5)):
        b[rng.randrange(len(b))] = rng.choice([0x80, 0xC3, 0xFF, 0xFE, 0xE2])
    return ".txt", bytes(b), None


def g_other_encoding_txt(rng, huge):
    t = article(rng).replace("council", "caf\u00e9 council").replace("said", "said \u201cna\u00efve\u201d")
    enc = rng.choice(["cp1252", "latin-1", "utf-16", "utf-32"])
    return ".txt", t.encode(enc, "replace"), None


def g_html_charset(rng, huge):
    enc, label, body = rng.choice(
        [
            ("cp1252", "ISO-8859-1", "The caf\u00e9 reopened with a \u201cna\u00efve\u201d menu, its owner said."),
            ("cp1252", "windows-1252", "The caf\u00e9 reopened with a \u201cna\u00efve\u201d menu, its owner said."),
            ("shift_jis", "Shift_JIS", "The station opened. \u6771\u4eac\u306e\u65b0\u3057\u3044\u99c5\u304c\u958b\u696d\u3057\u307e\u3057\u305f\u3002"),
            ("utf-8", "utf-8", "The caf\u00e9 reopened with a \u201cna\u00efve\u201d menu, its owner said."),
            ("cp1252", "bogus-charset", "The caf\u00e9 reopened, its owner said."),
            ("cp1252", "utf-16", "The caf\u00e9 reopened, its owner said."),
        ]
    )
    meta = rng.choice(
        [f'<meta charset="{label}">', f'<meta http-equiv="Content-Type" content="text/html; charset={label}">', ""]
    )
    paras = "".join(f"<p>{body} {rng.choice(SENTENCES)}</p>" for _ in range(rng.randint(1, 8)))
    page = f"<!DOCTYPE html><html><head>{meta}<title>Harbour news</title></head><body><article><h1>Harbour news</h1>{paras}</article></body></html>"
    data = page.encode(enc, "replace")
    if rng.random() < 0.3:
        data = codecs.BOM_UTF8 + page.encode("utf-8")
    return rng.choice([".html", ".htm"]), data, None


def g_html_in_txt(rng, huge):
    return ".txt", f"<html><head><title>x</title></head><body><p>{article(rng)}</p><div>a</div></body></html>".encode(), None


def g_broken_html(rng, huge):
    t = article(rng)
    junk = rng.choice(["<p><b><i>", "<<<>>>", "<!--", "<script>while(1){}</script>", "&#xD800;", "&#0;", "<![CDATA["])
    return ".html", f"<html><body>{junk}<p>{t}{junk}</p>".encode(), None


def g_json_bad(rng, huge):
    kind = rng.choice(["bigint", "deep", "deep_obj", "truncated", "not_object", "empty_list", "nan", "surrogate"])
    t = json.dumps(article(rng))
    data = {
        "bigint": '{"text": ' + t + ', "n": ' + "9" * rng.randint(4301, 20000) + "}",
        "deep": "[" * rng.choice([10_000, 100_000, 1_000_000]),
        "deep_obj": '{"a":' * rng.randint(1_000, 100_000) + "1" + "}" * 10,
        "truncated": '{"text": ' + t[: len(t) // 2],
        "not_object": "[1, 2, 3]",
        "empty_list": "[]",
        "nan": '{"text": ' + t + ', "score": NaN, "x": Infinity}',
        "surrogate": '{"text": "bad \\ud800 escape ' + t[1:-1] + '"}',
    }[kind]
    return ".json", data.encode(), None


def g_json_good(rng, huge):
    if rng.random() < 0.5:
        return ".json", json.dumps({"id": "only", "text": article(rng), "title": "T"}).encode(), None
    recs = [{"id": f"r{i}", "text": article(rng)} for i in range(rng.randint(1, 6))]
    return ".json", json.dumps(recs, ensure_ascii=rng.random() < 0.5).encode(), None


def g_jsonl(rng, huge):
    """JSONL: valid records (some holding raw line separators) with bad lines among them.
    The checker maps rows and errors back to lines by `:LINE` and `#L<line>` ids."""
    lines = []
    for _ in range(rng.randint(1, 12)):
        r = rng.random()
        lineno = len(lines) + 1
        if r < 0.45:
            text = sprinkle(rng, article(rng, 4), SEPARATORS, rng.randint(1, 6))
            rec = {"id": f"L{lineno}", "text": text}
            if rng.random() < 0.3:
                rec.pop("id")
            lines.append(json.dumps(rec, ensure_ascii=False))
        elif r < 0.55:
            lines.append('{"text": "x", "n": ' + "9" * 5000 + "}")
        elif r < 0.62:
            lines.append("[" * rng.choice([2_000, 50_000]))
        elif r < 0.70:
            lines.append("{not json")
        elif r < 0.76:
            lines.append("")
        elif r < 0.82:
            lines.append('{"no_text": 1}')
        elif r < 0.88:
            lines.append('"just a string"')
        else:
            lines.append(json.dumps({"id": f"L{lineno}", "text": "\u2028".join(SENTENCES[:3])}, ensure_ascii=False))
    data = ("\r\n" if rng.random() < 0.1 else "\n").join(lines)
    if rng.random() < 0.5:
        data += "\n"
    return rng.choice([".jsonl", ".ndjson"]), data.encode("utf-8"), None


def g_random_unicode(rng, huge):
    cps = []
    for _ in range(rng.randint(1, 3000)):
        c = rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x2FFF), rng.randint(0x3000, 0xFFFD),
                        rng.randint(0x10000, 0x10FFFF), 0x0A, 0x20])
        if 0xD800 <= c <= 0xDFFF:
            c = 0xFFFD
        cps.append(chr(c))
    return ".txt", "".join(cps).encode("utf-8", "replace"), None


def g_no_words(rng, huge):
    return ".txt", ("12345 67.89 -- !!! ??? " * rng.randint(1, 200)).encode(), None


def g_line_endings(rng, huge):
    t = article(rng).replace("\n", rng.choice(["\r\n", "\r", "\u2028", "\x0c"]))
    return ".txt", t.encode(), None


def g_control_chars(rng, huge):
    t = sprinkle(rng, article(rng), ["\x01", "\x07", "\x1b", "\x7f", "\x00"], rng.randint(1, 10))
    return ".txt", t.encode(), None


GENERATORS = [
    (g_plain, 10), (g_rtl_zero_width, 8), (g_long_line, 3), (g_long_word, 2), (g_repeated_names, 5),
    (g_empty, 4), (g_binary, 6), (g_invalid_utf8, 5), (g_other_encoding_txt, 4), (g_html_charset, 8),
    (g_html_in_txt, 2), (g_broken_html, 3), (g_json_bad, 6), (g_json_good, 5), (g_jsonl, 10),
    (g_random_unicode, 6), (g_no_words, 2), (g_line_endings, 4), (g_control_chars, 3),
]


# --------------------------------------------------------------------------------------------
# the run


@dataclass
class Figures:
    inputs: int = 0
    calls: int = 0
    rows: int = 0
    error_lines: int = 0
    tracebacks: int = 0
    lost_inputs: int = 0
    lost_jsonl_lines: int = 0
    duplicated_rows: int = 0
    bad_json_rows: int = 0
    bad_exit_codes: int = 0
    exit_codes: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    slowest_call_s: float = 0.0
    examples: list = field(default_factory=list)

    def problems(self) -> int:
        return (self.tracebacks + self.lost_inputs + self.lost_jsonl_lines + self.duplicated_rows
                + self.bad_json_rows + self.bad_exit_codes)


ERR_RE = re.compile(r"^(.*?): error: ")


def _strict(s: str):
    def bad(c):
        raise ValueError(f"non-standard JSON constant {c}")

    return json.loads(s, parse_constant=bad)


def _owner(name: str, paths: set[str]) -> tuple[str | None, str]:
    """The input file a row/error name refers to and the rest (``#id``/``:line``)."""
    if name in paths:
        return name, ""
    for sep in ("#", ":"):
        head = name
        while sep in head:
            head = head.rsplit(sep, 1)[0]
            if head in paths:
                return head, name[len(head):]
    return None, ""


def run_batch(exe: list[str], files: list[tuple[Path, str]], env: dict, timeout: float, fig: Figures) -> None:
    paths = {str(p) for p, _ in files}
    kind_of = {str(p): k for p, k in files}
    t0 = time.monotonic()
    try:
        r = subprocess.run(
            [*exe, "score", "--no-grammar", "--no-cache", "--format", "jsonl", *sorted(paths)],
            capture_output=True, env=env, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        fig.bad_exit_codes += 1
        fig.exit_codes["timeout"] += 1
        fig.lost_inputs += len(paths)
        fig.examples.append(f"call timed out after {timeout:.0f}s: {sorted(paths)[:3]}...")
        return
    dt = time.monotonic() - t0
    fig.calls += 1
    fig.slowest_call_s = max(fig.slowest_call_s, dt)
    fig.exit_codes[r.returncode] += 1
    if r.returncode not in (0, 3):
        fig.bad_exit_codes += 1
        fig.examples.append(f"exit {r.returncode}: {r.stderr.decode(errors='replace')[-300:]!r}")
    err = r.stderr.decode("utf-8", "replace")
    if "Traceback" in err:
        fig.tracebacks += err.count("Traceback")
        fig.examples.append("traceback: " + err[err.index("Traceback"):][-400:])
    seen: Counter = Counter()
    per_file: dict[str, set[str]] = {p: set() for p in paths}
    out = r.stdout.decode("utf-8", "replace")
    if any(ch in out for ch in "\u2028\u2029\x85"):
        fig.examples.append("raw U+2028/U+2029/U+0085 in the JSONL output (str.splitlines() readers break)")
        fig.bad_json_rows += 1
    for line in out.split("\n"):  # JSONL is split on "\n" only
        if not line.strip():
            continue
        try:
            row = _strict(line)
        except ValueError as e:
            fig.bad_json_rows += 1
            fig.examples.append(f"not strict JSON: {e}: {line[:200]!r}")
            continue
        fig.rows += 1
        seen[row.get("path")] += 1
        owner, rest = _owner(str(row.get("path")), paths)
        if owner:
            per_file[owner].add(rest or "<file>")
    for name, n in seen.items():
        if n > 1:
            fig.duplicated_rows += n - 1
            fig.examples.append(f"row {name!r} appears {n} times")
    for line in err.splitlines():
        m = ERR_RE.match(line)
        if not m:
            continue
        fig.error_lines += 1
        owner, rest = _owner(m.group(1), paths)
        if owner:
            per_file[owner].add(rest or "<file>")
    for p in sorted(paths):
        got = per_file[p]
        if not got:
            fig.lost_inputs += 1
            fig.examples.append(f"lost: {p} ({kind_of[p]})")
            continue
        if kind_of[p] == "g_jsonl" and "<file>" not in got:
            # every non-blank line must be a row (named :line or #id) or an error (named :line)
            data = Path(p).read_bytes().decode("utf-8", "replace")
            for lineno, ln in enumerate(data.split("\n"), 1):
                if not ln.strip():
                    continue
                if f":{lineno}" not in got and f"#L{lineno}" not in got:
                    fig.lost_jsonl_lines += 1
                    fig.examples.append(f"lost line: {p}:{lineno}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="inputs to generate (default 10,000)")
    ap.add_argument("--batch", type=int, default=200, help="files per detector call (default 200)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--huge", action="store_true", help="add 10 MB / 4.9 MB lines, a 4.8 MB word, 15k repeated names")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed per call")
    ap.add_argument("--keep", help="write the files here and keep them (default: a temp dir, removed)")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--detector", help="the detector executable (default: next to this Python)")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="detector-fuzz-"))
    root.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="detector-fuzz-cache-"))
    env = dict(os.environ, DETECTOR_CACHE_DIR=str(cache), DETECTOR_EVIDENCE_CACHE="off", DETECTOR_LT_CACHE="off")
    exe_path = Path(args.detector) if args.detector else Path(sys.executable).with_name("detector")
    exe = [str(exe_path)] if exe_path.exists() else [sys.executable, "-m", "detector.cli"]
    gens, weights = zip(*GENERATORS, strict=True)

    fig = Figures()
    t_start = time.monotonic()
    try:
        for start in range(0, args.n, args.batch):
            d = root / f"batch{start // args.batch:03d}"
            d.mkdir(exist_ok=True)
            files = []
            for i in range(start, min(start + args.batch, args.n)):
                gen = rng.choices(gens, weights)[0]
                ext, data, _ = gen(rng, args.huge)
                p = d / f"{i:05d}_{gen.__name__[2:]}{ext}"
                p.write_bytes(data)
                files.append((p, gen.__name__))
                fig.kinds[gen.__name__[2:]] += 1
            fig.inputs += len(files)
            run_batch(exe, files, env, args.timeout, fig)
            print(
                f"[{fig.inputs}/{args.n}] calls {fig.calls} rows {fig.rows} errors {fig.error_lines} "
                f"tracebacks {fig.tracebacks} lost {fig.lost_inputs}+{fig.lost_jsonl_lines} dup {fig.duplicated_rows} "
                f"bad-exit {fig.bad_exit_codes} ({time.monotonic() - t_start:.0f}s)",
                file=sys.stderr, flush=True,
            )
            if not args.keep:
                shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    fig.seconds = round(time.monotonic() - t_start, 1)
    out = {
        "command": " ".join(["scripts/fuzz_cli.py", *(argv if argv is not None else sys.argv[1:])]),
        "seed": args.seed, "huge": args.huge, "inputs": fig.inputs, "calls": fig.calls, "rows": fig.rows,
        "error_lines": fig.error_lines, "tracebacks": fig.tracebacks, "lost_inputs": fig.lost_inputs,
        "lost_jsonl_lines": fig.lost_jsonl_lines, "duplicated_rows": fig.duplicated_rows,
        "non_strict_json_rows": fig.bad_json_rows, "exit_codes": {str(k): v for k, v in fig.exit_codes.items()},
        "bad_exit_codes": fig.bad_exit_codes, "seconds": fig.seconds, "slowest_call_s": round(fig.slowest_call_s, 1),
        "kinds": dict(sorted(fig.kinds.items())), "examples": fig.examples[:30],
    }
    text = json.dumps(out, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0 if fig.problems() == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
