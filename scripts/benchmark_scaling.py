#!/usr/bin/env python3
"""Scaling of the detector families with the size of one article (grammar off).

For each size (1 KB to 5 MB by default) one article of realistic news text is built, and the
script times, in this process and on the same text:

- segmentation (``Document`` lines, paragraphs, sentences, words),
- every per-document family's ``detect`` and every statistics module's ``stats``,
- the cross-article name check (``names.detect_batch`` on the article plus a short second one),
- the whole pipeline, ``detector.score([text], grammar="off", cache=False)`` (families, model
  features and scoring: what ``detector score --no-grammar --no-cache`` does per article),
- a *baseline* in the same run: one pass of the word regex over the text (the cheapest linear
  thing a detector can do), so the figures can be read relative to this machine's speed.

It prints seconds and seconds per MB (medians of ``--repeat`` runs) and the ratio of the cost
per MB at the largest size to that at 10 KB: a ratio near 1 means linear. Then the
pathological inputs (one huge line, one huge word, thousands of repeated capitalised words,
text without spaces, punctuation, a sentence without a full stop, one word per line) are
timed the same way, end to end.

Realistic text: BBC articles (title + paragraphs, as ``scripts/build_dataset.py`` lays them
out) read at run time from ``../shared/data/clean/bbc_news.jsonl`` (``$DETECTOR_SHARED_DATA``),
concatenated as paragraphs of one long article; without the shared data, the project's own
``data/examples`` articles (``--source examples``). No third-party text is stored in the repo.

    .venv/bin/python scripts/benchmark_scaling.py [--sizes 1K,10K,100K,1M,5M] [--repeat 3]
        [--patho-size 5M] [--no-patho] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1_000_000


def parse_size(s: str) -> int:
    s = s.strip().upper()
    mult = {"K": 1_000, "M": MB}.get(s[-1:], 1)
    return int(float(s.rstrip("KM")) * mult)


def shared_data() -> Path:
    env = os.environ.get("DETECTOR_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def source_articles(source: str) -> list[str]:
    bbc = shared_data() / "clean" / "bbc_news.jsonl"
    if source == "bbc" or (source == "auto" and bbc.exists()):
        out = []
        with open(bbc, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                out.append(r["title"].strip() + "\n\n" + "\n\n".join(p.strip() for p in r["paragraphs"]))
        return out
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "examples").glob("*.txt"))]


def realistic(articles: list[str], size: int) -> str:
    """About ``size`` characters of news text: whole articles, then a cut at a word boundary."""
    parts, n = [], 0
    i = 0
    while n < size:
        a = articles[i % len(articles)]
        parts.append(a)
        n += len(a) + 2
        i += 1
    text = "\n\n".join(parts)
    if len(text) > size:
        cut = text.rfind(" ", 0, size)
        text = text[: cut if cut > 0 else size]
    return text


def pathological(articles: list[str], size: int) -> dict[str, str]:
    """The hostile inputs of issue 13, each about ``size`` characters."""
    base = realistic(articles, size)
    rng = random.Random(13)
    caps = ["Blair", "Tony", "Gordon", "Brown", "Mr", "Al-Thani", "de", "Smith", "Anthony", "Blinken"]
    words = base.split()
    return {
        "one huge line (no newlines)": " ".join(words),
        "one huge word (no spaces, letters)": ("reliability" * (size // 11 + 1))[:size],
        '"Blair " * N': "Blair " * (size // 6),
        '"Tony Blair " * N': "Tony Blair " * (size // 11),
        "mixed capitalised names": " ".join(rng.choice(caps) for _ in range(size // 6)),
        "every word capitalised": " ".join(w[:1].upper() + w[1:] for w in words),
        "text without spaces": "".join(words)[:size],
        "run of punctuation": ("!?.,;:-—()\"'…" * (size // 13 + 1))[:size],
        "one sentence, no full stop": " ".join(w.strip(".!?") for w in words),
        "one word per line": "\n".join(words),
    }


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def time_parts(text: str, repeat: int) -> dict[str, float]:
    """Median seconds of each part (fresh Document each run, so nothing is reused)."""
    from detector import families, score
    from detector.text import WORD_RE, Document

    per_doc = {n: families.load(n) for n in families.PER_DOCUMENT}
    stat_mods = {n: families.load(n) for n in families.STATS}
    names = families.load("names")
    other = Document("A second article. Tony Blair met Gordon Brown in London on Monday.")
    rows: dict[str, list[float]] = {}

    def add(key, dt):
        rows.setdefault(key, []).append(dt)

    for _ in range(repeat):
        t0 = time.perf_counter()
        len(WORD_RE.findall(text))
        add("baseline (word regex)", time.perf_counter() - t0)
        doc = Document(text)
        t0 = time.perf_counter()
        doc.lines, doc.paragraphs, doc.sentences, doc.words  # noqa: B018
        add("segmentation", time.perf_counter() - t0)
        for n, mod in per_doc.items():
            t0 = time.perf_counter()
            mod.detect(doc)
            add(n, time.perf_counter() - t0)
        for n, mod in stat_mods.items():
            t0 = time.perf_counter()
            mod.stats(doc)
            add(f"{n} stats", time.perf_counter() - t0)
        t0 = time.perf_counter()
        names.detect_batch([doc, other])
        add("names batch", time.perf_counter() - t0)
        t0 = time.perf_counter()
        score([text], grammar="off", cache=False)
        add("TOTAL score()", time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in rows.items()}


def warm_up() -> None:
    """Load models, gazetteer and lexicons once, so no size pays for them."""
    from detector import score

    for p in sorted((ROOT / "data" / "examples").glob("*.txt")):
        score([p.read_text(encoding="utf-8")], grammar="off", cache=False)


def fmt_size(n: int) -> str:
    return f"{n / MB:g} MB" if n >= MB else f"{n / 1000:g} KB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1K,10K,100K,1M,5M")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--patho-size", default="5M", help="size of each pathological input")
    ap.add_argument("--patho-repeat", type=int, default=None, help="runs per pathological input (default --repeat)")
    ap.add_argument("--no-patho", action="store_true")
    ap.add_argument("--source", choices=("auto", "bbc", "examples"), default="auto")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)

    articles = source_articles(args.source)
    warm_up()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    result: dict = {"sizes": {}, "pathological": {}}
    print(f"realistic text ({'BBC, shared data' if len(articles) > 100 else 'data/examples'}), "
          f"grammar off, median of {args.repeat}")  # fmt: skip
    table = {}
    for size in sizes:
        text = realistic(articles, size)
        parts = time_parts(text, args.repeat)
        table[size] = (len(text), parts)
        result["sizes"][str(size)] = {"chars": len(text), "seconds": parts}
        tot = parts["TOTAL score()"]
        print(f"  {fmt_size(size):>7}: total {tot:7.3f} s  {tot / (len(text) / MB):7.2f} s/MB", flush=True)
    keys = list(next(iter(table.values()))[1])
    print("\nseconds per MB by part (median):")
    print(f"  {'part':24}" + "".join(f"{fmt_size(s):>10}" for s in sizes))
    for k in keys:
        print(f"  {k:24}" + "".join(f"{table[s][1][k] / (table[s][0] / MB):10.3f}" for s in sizes))
    ref = next((s for s in sizes if s == 10_000), sizes[0])
    big = sizes[-1]
    per_mb = {s: table[s][1]["TOTAL score()"] / (table[s][0] / MB) for s in sizes}
    ratio = per_mb[big] / per_mb[ref]
    fam_ratio = {
        k: (table[big][1][k] / table[big][0]) / max(1e-12, table[ref][1][k] / table[ref][0])
        for k in keys
    }
    result["ratio_total"] = ratio
    result["ratio_by_part"] = fam_ratio
    print(f"\ncost per MB, {fmt_size(big)} / {fmt_size(ref)}: {ratio:.2f} (total score())")
    worst = max(fam_ratio.items(), key=lambda kv: kv[1])
    print(f"largest per-part ratio: {worst[0]} {worst[1]:.2f}")

    if not args.no_patho:
        psize = parse_size(args.patho_size)
        prep = args.patho_repeat or args.repeat
        print(f"\npathological inputs, {fmt_size(psize)} each, grammar off, median of {prep}: score() end to")
        print("end, and every family run on the text whatever its language (score() may stop early on")
        print("text it finds is not English), with the slowest part:")
        for name, text in pathological(articles, psize).items():
            parts = time_parts(text, prep)
            tot = parts.pop("TOTAL score()")
            fams = sum(v for k, v in parts.items() if not k.startswith("baseline"))
            slow = max((kv for kv in parts.items() if not kv[0].startswith("baseline")), key=lambda kv: kv[1])
            result["pathological"][name] = {"chars": len(text), "score": tot, "families": fams, "parts": parts}
            print(f"  {name:36} {len(text) / MB:5.2f} MB  score() {tot:6.2f} s  families {fams:6.2f} s  "
                  f"(slowest: {slow[0]} {slow[1]:.2f} s)", flush=True)  # fmt: skip
        worst = max(result["pathological"].items(), key=lambda kv: max(kv[1]["score"], kv[1]["families"]))
        w = max(worst[1]["score"], worst[1]["families"])
        print(f"worst pathological input: {worst[0]} {w:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
