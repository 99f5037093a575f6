#!/usr/bin/env python3
"""Throughput of `detector score` (no grammar) against datatrove's quality filters, same run.

Scores the BBC articles (title + body, all 2,225 by default) in one process with
``detector.api.score(grammar="off")`` and runs datatrove's GopherRepetitionFilter,
GopherQualityFilter, C4QualityFilter and FineWebQualityFilter on the same documents, chained as
a datatrove pipeline would (a dropped document skips later filters), and also each filter on
every document. Each measurement is repeated ``--repeat`` times; medians and the ratio are
printed. Also measures the cold start of ``detector score one.txt --no-grammar`` against a bare
``python -c pass`` baseline. ``--cold-baseline DIR`` also times, interleaved in the same run, the
cold start of another checkout's ``detector`` package (e.g. ``git archive main detector | tar -x
-C /tmp/base``) against this one, both as ``python -m detector.cli`` with ``PYTHONPATH`` set, and
prints the ratio; ``--cold-only`` skips the throughput part.

    .venv/bin/pip install -e '.[bench]'   # datatrove (+ spacy, its English word tokenizer)
    .venv/bin/python scripts/benchmark.py [--limit N] [--repeat 3] [--json out.json]
    .venv/bin/python scripts/benchmark.py --cold-only --cold-baseline /tmp/base --repeat 15
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


def cold_start(repeat: int) -> tuple[float, float]:
    """A new text each time: the evidence cache is a fresh file per run (a miss, then a write)."""
    exe = Path(sys.executable).with_name("detector")
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "one.txt"
        p.write_text(
            "Officials said on Monday that talks would resume next week.\n\n"
            "The minister told reporters the government remained committed to the plan.\n",
            encoding="utf-8",
        )
        base, det = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            base.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            env = dict(os.environ, DETECTOR_EVIDENCE_CACHE=str(Path(tmp) / f"ev-{len(det)}.sqlite3"))
            subprocess.run(
                [str(exe), "score", str(p), "--no-grammar", "-q"], check=True, capture_output=True, env=env
            )
            det.append(time.perf_counter() - t0)
    return statistics.median(base), statistics.median(det)


def cold_compare(baseline: Path, repeat: int) -> tuple[float, float]:
    """Median cold start of ``score one.txt --no-grammar`` for this checkout and for ``baseline``
    (a folder holding a ``detector`` package), runs interleaved so both see the same machine load."""
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "one.txt"
        p.write_text(
            "Officials said on Monday that talks would resume next week.\n\n"
            "The minister told reporters the government remained committed to the plan.\n",
            encoding="utf-8",
        )
        times: dict[str, list[float]] = {"this": [], "baseline": []}
        for r in range(repeat):
            for label, path in (("this", ROOT), ("baseline", baseline))[:: 1 if r % 2 else -1]:
                env = dict(os.environ, PYTHONPATH=str(path),
                           DETECTOR_EVIDENCE_CACHE=str(Path(tmp) / f"ev-{label}-{r}.sqlite3"))
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "detector.cli", "score", str(p), "--no-grammar", "-q"],
                               check=True, capture_output=True, env=env, cwd=tmp)
                times[label].append(time.perf_counter() - t0)
    return statistics.median(times["this"]), statistics.median(times["baseline"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="shared data folder (default ../shared/data or $DETECTOR_SHARED_DATA)")
    ap.add_argument("--limit", type=int, default=None, help="number of BBC articles (default: all 2,225)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--cold-baseline", type=Path, help="another checkout's folder holding `detector/`: "
                    "compare cold starts with it (same run, interleaved)")
    ap.add_argument("--cold-only", action="store_true", help="only the cold-start measurements")
    args = ap.parse_args()
    if args.cold_only:
        return cold_main(args)

    data = shared_data(args.data)
    if not (data / "clean" / "bbc_news.jsonl").exists():
        print(f"error: {data}/clean/bbc_news.jsonl not found (pass --data)", file=sys.stderr)
        return 2
    docs = load_bbc(data, args.limit)
    n = len(docs)
    words = sum(len(t.split()) for _, t in docs)
    print(f"documents: {n}  words: {words:,}  repeats: {args.repeat} (medians reported)")

    # warm-up: lazy imports, gazetteer and lexicon loading are start-up costs, measured separately
    t0 = time.perf_counter()
    time_detector(docs[:5])
    warm = time.perf_counter() - t0
    det = statistics.median(time_detector(docs) for _ in range(args.repeat))
    res = {"documents": n, "detector_s": det, "detector_docs_per_s": n / det, "detector_warmup_s": warm}
    print(f"detector score (no grammar)          {n / det:8.1f} docs/s   ({det:.2f} s; warm-up {warm:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = statistics.median(time_detector(docs, Path(tmp) / f"ev-{r}.sqlite3") for r in range(args.repeat))
    res.update(detector_empty_cache_docs_per_s=n / fresh)
    print(f"  ... writing an empty evidence cache {n / fresh:8.1f} docs/s   ({fresh:.2f} s; the CLI default on new texts)")

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

    return cold_main(args, res)


def cold_main(args, res: dict | None = None) -> int:
    res = {} if res is None else res
    base, cold = cold_start(max(3, args.repeat))
    res.update(cold_start_s=cold, python_startup_s=base)
    print(f"cold `detector score one.txt --no-grammar`: {cold:.3f} s (median; bare `python -c pass`: {base:.3f} s)")
    if args.cold_baseline is not None:
        if not (args.cold_baseline / "detector" / "__init__.py").is_file():
            print(f"error: {args.cold_baseline}/detector/__init__.py not found", file=sys.stderr)
            return 2
        this, other = cold_compare(args.cold_baseline, max(3, args.repeat))
        res.update(cold_start_module_s=this, cold_start_baseline_s=other, cold_start_ratio=this / other)
        print(f"cold `python -m detector.cli score one.txt --no-grammar`: this {this:.3f} s, "
              f"baseline {other:.3f} s (medians, interleaved): ratio {this / other:.3f}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
