#!/usr/bin/env python3
"""Benchmark detector's LanguageTool integration on N BBC test articles, in one run:

1. ``detector.api.score(texts)`` with grammar, on an empty cache (wall time);
2. LanguageTool alone: the same texts POSTed straight to ``/v2/check`` of the same server with
   the same parameters (whole texts; concurrently with as many connections as detector uses,
   and once sequentially for reference);
3. the cached re-run of ``detector.api.score`` (same texts, warm caches: LanguageTool results
   and per-article evidence; each repeat starts with both caches empty).

Each measurement is repeated ``--repeat`` times (medians printed). The server is started and
warmed up first, and one untimed LanguageTool pass warms its JIT, so no side pays start-up;
the scorer (trained model) is loaded once up front and passed to every ``api.score`` call.

    .venv/bin/python scripts/benchmark_languagetool.py [--n 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clean" / "bbc_news.jsonl"


def load_texts(path: Path, n: int) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("split") == "test":
                texts.append("\n\n".join(d["paragraphs"]))
                if len(texts) >= n:
                    break
    return texts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of articles (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions per measurement (default 3)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)

    texts = load_texts(args.data, args.n)
    if not texts:
        print(f"no test articles in {args.data}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="detector-bench-"))
    os.environ.pop("DETECTOR_LT_URL", None)

    import httpx

    from detector import api
    from detector import languagetool as lt
    from detector.lt_checker import LanguageToolChecker, open_checker

    checker, status = open_checker("require")
    srv = lt.shared_server()
    t0 = time.perf_counter()
    lt.launch(srv)
    start_s = time.perf_counter() - t0
    url = checker._ensure()
    workers = checker.config.workers
    chars = sum(map(len, texts))
    print(f"{len(texts)} BBC test articles, {chars:,} chars; LanguageTool {checker.version} at {url} "
          f"(pid {srv.pid}, -Xmx{srv.mem}, {srv.threads} server threads); detector sends {workers} concurrent "
          f"requests, chunks of ~{checker.config.chunk_chars} chars")  # fmt: skip
    print(f"JVM start + warm-up: {start_s:.1f} s (not included below)")

    client = httpx.Client(timeout=300, limits=httpx.Limits(max_connections=2 * workers))

    def post(text: str) -> int:
        r = client.post(url + "/v2/check", data=checker._tool._create_params(text))
        r.raise_for_status()
        return len(r.json()["matches"])

    def lt_direct(concurrent: bool) -> float:
        t = time.perf_counter()
        if concurrent:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(post, texts))
        else:
            for x in texts:
                post(x)
        return time.perf_counter() - t

    lt_direct(True)  # untimed: JIT warm-up for everyone
    # the scorer (trained model) is loaded once, outside the timings, for every run alike
    scorer_on = api.load_scorer(grammar_available=True)
    scorer_off = api.load_scorer(grammar_available=False)

    # time the grammar stage inside api.score too (LanguageToolChecker.check_many)
    stage: list[float] = []
    orig_check_many = LanguageToolChecker.check_many

    def timed_check_many(self, batch):
        t = time.perf_counter()
        try:
            return orig_check_many(self, batch)
        finally:
            stage.append(time.perf_counter() - t)

    LanguageToolChecker.check_many = timed_check_many
    stage_first, stage_cached = [], []

    lt_times, det_times, cached_times = [], [], []
    for r in range(args.repeat):
        lt_times.append(lt_direct(True))
        os.environ["DETECTOR_LT_CACHE"] = str(tmp / f"cache-{r}.sqlite3")  # empty caches
        os.environ["DETECTOR_EVIDENCE_CACHE"] = str(tmp / f"evidence-{r}.sqlite3")
        t = time.perf_counter()
        reps = api.score(texts, grammar="require", scorer=scorer_on)
        det_times.append(time.perf_counter() - t)
        stage_first.append(stage[-1])
        assert all(rep.grammar == "ok" for rep in reps)
        for _ in range(3):
            t = time.perf_counter()
            reps2 = api.score(texts, grammar="require", scorer=scorer_on)
            cached_times.append(time.perf_counter() - t)
            stage_cached.append(stage[-1])
        assert [x.findings for x in reps2] == [x.findings for x in reps]
        print(f"  run {r + 1}: LanguageTool direct {lt_times[-1]:.2f} s, detector score {det_times[-1]:.2f} s, "
              f"cached re-run {min(cached_times[-3:]):.3f}-{max(cached_times[-3:]):.3f} s")  # fmt: skip
    seq = lt_direct(False)
    grammar_only_off = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        api.score(texts, grammar="off", scorer=scorer_off, cache=False)
        grammar_only_off.append(time.perf_counter() - t)

    lt_m, det_m, cached_m = (statistics.median(x) for x in (lt_times, det_times, cached_times))
    print()
    print(f"LanguageTool alone (direct POST /v2/check, {workers} concurrent): median {lt_m:.2f} s  "
          f"({len(texts) / lt_m:.1f} articles/s)")  # fmt: skip
    print(f"LanguageTool alone (direct POST, sequential, once):               {seq:.2f} s")
    print(f"detector score, grammar on, empty cache:                          median {det_m:.2f} s")
    print(f"detector score, grammar on, cached re-run:                        median {cached_m:.3f} s")
    print(
        f"detector score, grammar off, no cache (other families only):      median {statistics.median(grammar_only_off):.3f} s"
    )
    print(f"ratio detector / LanguageTool (concurrent):  {det_m / lt_m:.3f}   (target <= 1.15)")
    print(f"ratio detector / LanguageTool (sequential):  {det_m / seq:.3f}")
    print(f"speed-up of cached re-run (whole score):     {det_m / cached_m:.1f}x  (target >= 20x)")
    print(f"cached re-run per article:                   {1000 * cached_m / len(texts):.2f} ms "
          f"(grammar off, no cache: {1000 * statistics.median(grammar_only_off) / len(texts):.2f} ms)")  # fmt: skip
    sf, sc = statistics.median(stage_first), statistics.median(stage_cached)
    print(f"grammar stage alone (check_many): first median {sf:.2f} s, cached median {sc * 1000:.1f} ms "
          f"-> speed-up {sf / sc:.0f}x")  # fmt: skip
    rss = srv.rss_kib()
    print(
        f"LanguageTool server RSS after the runs:      {rss / 1024:.0f} MiB (VmRSS, pid {srv.pid})"
        if rss
        else ""
    )
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
