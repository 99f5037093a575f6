#!/usr/bin/env python3
"""Throughput of `detector score` (no grammar) against datatrove's quality filters, same run.

Scores the BBC articles (title + body, all 2,225 by default) in one process with
``detector.api.score(grammar="off")`` and runs datatrove's GopherRepetitionFilter,
GopherQualityFilter, C4QualityFilter and FineWebQualityFilter on the same documents, chained as
a datatrove pipeline would (a dropped document skips later filters), and also each filter on
every document. Each measurement is repeated ``--repeat`` times; medians and the ratio are
printed, and the same articles through the whole command (``detector score FILE.jsonl -j 1``,
start-up, both streaming passes and JSONL in and out). Also measures the cold start of ``detector score one.txt --no-grammar`` against a bare
``python -c pass`` baseline.

``--baseline-src DIR`` (a checkout of the baseline, e.g. ``git worktree add /tmp/base main`` or
``git archive main | tar -x -C /tmp/base``) also measures that tree in the same run, interleaved
with this one: the cold start, and the throughput of ``api.score`` on the same articles (both
trees in a fresh subprocess each time, the baseline's package first on ``PYTHONPATH``), and
prints this tree's time as a ratio of the baseline's (< 1: faster).

    .venv/bin/pip install -e '.[bench]'   # datatrove (+ spacy, its English word tokenizer)
    .venv/bin/python scripts/benchmark.py [--limit N] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_data(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("DETECTOR_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def load_bbc(data: Path, limit: int | None) -> list[tuple[str, str]]:
    out = []
    with open(data / "clean" / "bbc_news.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append((d["id"], d["title"] + "\n\n" + "\n\n".join(d["paragraphs"])))
            if limit and len(out) >= limit:
                break
    return out


def time_detector(docs, cache_path: Path | None = None) -> float:
    """Wall time of one ``api.score`` over ``docs``: without the per-article evidence cache (the
    detectors' own cost, what datatrove is compared with), or with an empty cache file at
    ``cache_path`` (the default CLI path on new texts: detectors plus cache writes)."""
    from detector import api
    from detector.article import Article

    arts = [Article(text=t, name=i) for i, t in docs]
    if cache_path is not None:
        os.environ["DETECTOR_EVIDENCE_CACHE"] = str(cache_path)
    t0 = time.perf_counter()
    api.score(arts, grammar="off", cache=cache_path is not None)
    return time.perf_counter() - t0


def make_filters():
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    return [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(), FineWebQualityFilter()]


def time_datatrove(docs, chained: bool) -> float:
    from datatrove.data import Document
    from datatrove.pipeline.filters.base_filter import get_filter_result

    filters = make_filters()
    dt_docs = [Document(text=t, id=i) for i, t in docs]
    for f in filters:  # warm tokenizer/model loading outside the timed region
        f.filter(dt_docs[0])
    t0 = time.perf_counter()
    for d in dt_docs:
        for f in filters:
            keep, _ = get_filter_result(f.filter(d))
            if chained and not keep:
                break
    return time.perf_counter() - t0


def _env(src: Path | None, **extra: str) -> dict:
    """The environment of a subprocess running this tree (``src`` None) or the tree at ``src``."""
    env = dict(os.environ, **extra)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    return env


_SCORE_CHILD = """
import json, os, sys, time
from detector import api
from detector.article import Article
docs = json.load(open(sys.argv[1], encoding="utf-8"))
arts = [Article(text=t, name=i) for i, t in docs]
api.score(arts[:5], grammar="off", cache=False)  # warm-up: lazy imports, gazetteer, lexicons
t0 = time.perf_counter()
api.score(arts, grammar="off", cache=False)
print(time.perf_counter() - t0)
"""


def throughput_vs_baseline(docs, baseline: Path, repeat: int) -> tuple[float, float]:
    """Median ``api.score`` seconds over ``docs`` (no grammar, no cache) of this tree and of the
    baseline tree, each in a fresh subprocess, runs interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.json"
        path.write_text(json.dumps(docs), encoding="utf-8")
        mine, base = [], []
        for _ in range(repeat):
            for src, out in ((None, mine), (baseline, base)):
                # cwd: not a source tree (``python -c`` puts the working directory first on
                # sys.path, which would shadow the baseline's PYTHONPATH when run from a checkout)
                r = subprocess.run(
                    [sys.executable, "-c", _SCORE_CHILD, str(path)],
                    check=True, capture_output=True, text=True, env=_env(src, DETECTOR_EVIDENCE_CACHE="off"),
                    cwd=tmp,
                )  # fmt: skip
                out.append(float(r.stdout.strip().splitlines()[-1]))
    return statistics.median(mine), statistics.median(base)


def time_cli(docs, repeat: int) -> float:
    """Median wall seconds of the whole command a user runs on these articles, one process:
    ``detector score FILE.jsonl --no-grammar --no-cache -j 1 -f jsonl -o OUT`` (start-up, both
    passes of the streaming engine, reading and writing JSONL)."""
    exe = Path(sys.executable).with_name("detector")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for i, t in docs:
                fh.write(json.dumps({"id": i, "text": t}) + "\n")
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(
                [str(exe), "score", str(src), "--no-grammar", "--no-cache", "--isolated", "-q", "-j", "1",
                 "-f", "jsonl", "-o", str(Path(tmp) / "out.jsonl")],
                check=True, capture_output=True, env=_env(None, OMP_NUM_THREADS="1"), cwd=tmp,
            )  # fmt: skip
            runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def cold_start(repeat: int, baseline: Path | None = None) -> tuple[float, float, float | None]:
    """A new text each time: the evidence cache is a fresh file per run (a miss, then a write).
    Returns the medians of bare Python, this tree, and the baseline tree (None without one)."""
    exe = Path(sys.executable).with_name("detector")
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "one.txt"
        p.write_text(
            "Officials said on Monday that talks would resume next week.\n\n"
            "The minister told reporters the government remained committed to the plan.\n",
            encoding="utf-8",
        )
        base, det, old = [], [], []
        for k in range(repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            base.append(time.perf_counter() - t0)
            for src, out in ((None, det), (baseline, old)) if baseline is not None else ((None, det),):
                env = _env(src, DETECTOR_EVIDENCE_CACHE=str(Path(tmp) / f"ev-{k}-{src is None}.sqlite3"))
                t0 = time.perf_counter()
                subprocess.run(
                    [str(exe), "score", str(p), "--no-grammar", "-q"], check=True, capture_output=True, env=env
                )
                out.append(time.perf_counter() - t0)
    return statistics.median(base), statistics.median(det), statistics.median(old) if old else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="shared data folder (default ../shared/data or $DETECTOR_SHARED_DATA)")
    ap.add_argument("--limit", type=int, default=None, help="number of BBC articles (default: all 2,225)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--baseline-src", type=Path, help="source tree of a baseline to compare with, same run")
    ap.add_argument("--skip-throughput", action="store_true", help="only the cold start (and the baseline)")
    args = ap.parse_args()
    if args.baseline_src is not None and not (args.baseline_src / "detector" / "__init__.py").is_file():
        print(f"error: {args.baseline_src}/detector/__init__.py not found (--baseline-src)", file=sys.stderr)
        return 2

    data = shared_data(args.data)
    if not (data / "clean" / "bbc_news.jsonl").exists():
        print(f"error: {data}/clean/bbc_news.jsonl not found (pass --data)", file=sys.stderr)
        return 2
    docs = load_bbc(data, args.limit)
    n = len(docs)
    words = sum(len(t.split()) for _, t in docs)
    print(f"documents: {n}  words: {words:,}  repeats: {args.repeat} (medians reported)")

    res: dict = {"documents": n}
    if args.baseline_src is not None and not args.skip_throughput:
        mine, old = throughput_vs_baseline(docs, args.baseline_src, args.repeat)
        res.update(score_s=mine, baseline_score_s=old, score_ratio_vs_baseline=mine / old)
        print(f"api.score, this tree vs baseline:    {mine:.2f} s vs {old:.2f} s  ratio {mine / old:.3f} (subprocesses)")
    if args.skip_throughput:
        args.skip_datatrove = True
        return _cold(args, res)
    # warm-up: lazy imports, gazetteer and lexicon loading are start-up costs, measured separately
    t0 = time.perf_counter()
    time_detector(docs[:5])
    warm = time.perf_counter() - t0
    det = statistics.median(time_detector(docs) for _ in range(args.repeat))
    res.update(detector_s=det, detector_docs_per_s=n / det, detector_warmup_s=warm)
    print(f"detector score (no grammar)          {n / det:8.1f} docs/s   ({det:.2f} s; warm-up {warm:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = statistics.median(time_detector(docs, Path(tmp) / f"ev-{r}.sqlite3") for r in range(args.repeat))
    res.update(detector_empty_cache_docs_per_s=n / fresh)
    print(f"  ... writing an empty evidence cache {n / fresh:8.1f} docs/s   ({fresh:.2f} s; the CLI default on new texts)")
    cli = time_cli(docs, args.repeat)
    res.update(cli_s=cli, cli_docs_per_s=n / cli)
    print(f"  ... the whole CLI (-j 1, JSONL)    {n / cli:8.1f} docs/s   ({cli:.2f} s; start-up included, no cache)")

    if not args.skip_datatrove:
        try:
            chained = statistics.median(time_datatrove(docs, True) for _ in range(args.repeat))
            every = statistics.median(time_datatrove(docs, False) for _ in range(args.repeat))
        except ImportError as e:
            print(f"datatrove not installed ({e}); pip install -e '.[bench]'", file=sys.stderr)
            return 2
        res.update(
            datatrove_chained_docs_per_s=n / chained,
            datatrove_all_docs_per_s=n / every,
            ratio_vs_chained=chained / det,
            ratio_vs_all=every / det,
        )
        print(f"datatrove 4 filters, chained         {n / chained:8.1f} docs/s   ({chained:.2f} s)")
        print(f"datatrove 4 filters, every doc       {n / every:8.1f} docs/s   ({every:.2f} s)")
        print(f"speed-up of detector vs datatrove:   {chained / det:.2f}x (chained), {every / det:.2f}x (every filter)")
        res.update(cli_ratio_vs_chained=chained / cli)
        print(f"  ... the whole CLI (-j 1) vs chained: {chained / cli:.2f}x")

    return _cold(args, res)


def _cold(args, res: dict) -> int:
    base, cold, old = cold_start(max(3, args.repeat), args.baseline_src)
    res.update(cold_start_s=cold, python_startup_s=base)
    print(f"cold `detector score one.txt --no-grammar`: {cold:.3f} s (median; bare `python -c pass`: {base:.3f} s)")
    if old is not None:
        res.update(baseline_cold_start_s=old, cold_ratio_vs_baseline=cold / old)
        print(f"  ... baseline tree: {old:.3f} s; ratio {cold / old:.3f} (this tree / baseline, same run)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
