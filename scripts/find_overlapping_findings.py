"""List overlapping findings of different codes (the candidates for detector/merge.py's rules).

    .venv/bin/python scripts/find_overlapping_findings.py [--shared ../shared] [--n 100] [--raw]

Runs ``detector.check`` with grammar on (LanguageTool must be available) over ``--n`` articles of
the BBC test split (title + blank line + paragraphs) and the seeds, and counts, for every pair
of codes, the findings that overlap: same span, one inside the other, or a partial overlap.
``--raw`` switches the merge rules off first, to see what they act on. ``--garbled`` applies the
training set's corruptions (scripts/build_dataset.py: repeats and loops, broken sentences, page
furniture, duplicated paragraphs; one per article, in turn) to the BBC articles first, so the
pairs that only garbled copy produces show up too. Prints a table and up to
``--examples`` examples per pair; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detector  # noqa: E402
from detector import merge  # noqa: E402


def _code(f) -> str:
    return f.code


def texts(shared: Path, n: int, seed: int = 0) -> list[tuple[str, str]]:
    rows = []
    with open(shared / "data/clean/bbc_news.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("split") == "test":
                rows.append(d)
    rng = random.Random(seed)
    out = [
        (d["id"], d["title"] + "\n\n" + "\n\n".join(d["paragraphs"]))
        for d in rng.sample(rows, min(n, len(rows)))
    ]
    for p in sorted((shared / "seeds").glob("*.txt")):
        out.append((p.name, p.read_text(encoding="utf-8")))
    return out


def garble(items: list[tuple[str, str]], seed: int = 0) -> list[tuple[str, str]]:
    import importlib.util

    path = Path(__file__).resolve().parent / "build_dataset.py"
    spec = importlib.util.spec_from_file_location("build_dataset", path)
    bd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bd)
    rng = random.Random(seed)
    titles = [t.split("\n", 1)[0] for _, t in items]
    ops = [bd.op_repeat, bd.op_broken, bd.op_boilerplate, bd.op_duplicate]
    out = []
    for k, (name, text) in enumerate(items):
        op = ops[k % len(ops)]
        out.append((f"{name}+{op.__name__}", op(text, rng, other_titles=titles)))
    return out


def relation(a, b) -> str:
    if (a.start, a.end) == (b.start, b.end):
        return "same span"
    if a.start <= b.start and b.end <= a.end:
        return "1st contains 2nd"
    if b.start <= a.start and a.end <= b.end:
        return "2nd contains 1st"
    return "partial"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--raw", action="store_true", help="switch the merge rules off")
    ap.add_argument("--garbled", action="store_true", help="corrupt the BBC articles first")
    args = ap.parse_args(argv)
    if args.raw:
        merge.MERGE_RULES = ()
    items = texts(Path(args.shared), args.n)
    if args.garbled:
        items = garble([it for it in items if not it[0].endswith(".txt")])
    results = detector.check([t for _, t in items], grammar="require")
    pairs: Counter = Counter()
    rel: dict = defaultdict(Counter)
    examples: dict = defaultdict(list)
    per_code: Counter = Counter()
    for (name, text), fs in zip(items, results, strict=True):
        per_code.update(f.code for f in fs)
        for i, a in enumerate(fs):
            for b in fs[i + 1 :]:
                if b.start >= a.end and b.start > a.start:
                    break  # sorted by start: nothing later overlaps a
                if a.code == b.code or not (a.start < b.end and b.start < a.end or a.start == b.start):
                    continue
                x, y = sorted((a, b), key=_code)
                key = (x.code, y.code)
                pairs[key] += 1
                rel[key][relation(x, y)] += 1
                if len(examples[key]) < args.examples:
                    examples[key].append(
                        f"{name}: {text[x.start : x.end][:50]!r} / {text[y.start : y.end][:50]!r}"
                    )
    print(f"{len(items)} texts, {sum(per_code.values())} findings; overlapping pairs of different codes:\n")
    print(f"{'code A':<28} {'code B':<28} {'pairs':>5}  relation (A vs B)")
    for (x, y), k in pairs.most_common():
        rels = ", ".join(f"{r} {c}" for r, c in rel[(x, y)].most_common())
        print(f"{x:<28} {y:<28} {k:>5}  {rels}")
        for e in examples[(x, y)]:
            print(f"{'':<8}{e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
