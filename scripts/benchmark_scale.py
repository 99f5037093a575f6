#!/usr/bin/env python3
"""Scale benchmark: streaming memory, --jobs throughput and Dask, ratios from one run.

Runs ``detector score --no-grammar --no-cache -q -f jsonl`` as a child process (output to a
file, compared byte for byte) on the BBC articles of ``../shared/data/clean/bbc_news.jsonl``
(title + blank line + paragraphs joined by blank lines, written at run time to a temporary
JSONL file; no third-party text is stored in the repository) and prints:

- peak memory (max RSS of the child, ``resource.getrusage(RUSAGE_CHILDREN)`` read by a fresh
  wrapper process per run) for the first ``--small`` (200) articles and for all of them (2,225)
  with ``--jobs 1``, and the ratio (streaming: bounded by the window, not the input); and for
  all of them written ``--times`` (3) times over in one file (0: skipped), against all of them;
- docs/s with ``--jobs 1`` and ``--jobs N`` (``--jobs-n``, default 2) on all articles, the
  ratio, and whether the outputs are identical; with each run's CPU seconds (the whole process
  tree: the wall-time ratio can only approach N when N cores are free, and the CPU ratio shows
  the cost of the workers) and the 1-minute load average at its end;
- docs/s with ``--dask local:N`` (a Dask LocalCluster of N worker processes, started by the
  command, startup included) against ``--jobs N``, and whether the output is identical
  (skipped when Dask is not installed).

``--repeat R`` runs the ``--jobs 1`` and ``--jobs N`` commands R times each, alternating, and
reports the medians (the ratio is of the medians; the shared machine's load moves single runs by
several per cent).

    OMP_NUM_THREADS=1 .venv/bin/python scripts/benchmark_scale.py [--small 200] [--limit 0]
        [--jobs-n 2] [--window 256] [--times 3] [--repeat 1] [--no-dask] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBC = Path(os.environ.get("DETECTOR_SHARED_DATA") or ROOT.parent / "shared" / "data") / "clean" / "bbc_news.jsonl"
DETECTOR = Path(sys.executable).with_name("detector")

# run one command, report its wall time and its max RSS (KiB) as JSON on stdout
_WRAPPER = r"""
import json, resource, subprocess, sys, time
cmd, out = json.loads(sys.argv[1]), sys.argv[2]
t = time.perf_counter()
with open(out, "wb") as fh:
    rc = subprocess.run(cmd, stdout=fh).returncode
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": wall, "maxrss_kib": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime}))
"""


def articles(limit: int) -> list[str]:
    out = []
    with open(BBC, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append(f"{row['title']}\n\n" + "\n\n".join(row["paragraphs"]))
            if limit and len(out) >= limit:
                break
    return out


def write_jsonl(path: Path, texts: list[str]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": str(i), "text": t}) + "\n")


def run(args: list[str], out: Path) -> dict:
    cmd = [str(DETECTOR), "score", "--no-grammar", "--no-cache", "--isolated", "-q", "-f", "jsonl", *args]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    res = subprocess.run([sys.executable, "-c", _WRAPPER, json.dumps(cmd), str(out)], env=env,
                         capture_output=True, text=True, check=True)
    got = json.loads(res.stdout.strip().splitlines()[-1])
    if got["rc"] != 0:
        raise SystemExit(f"command failed ({got['rc']}): {' '.join(cmd)}\n{res.stderr}")
    got["cmd"] = "detector " + " ".join(cmd[1:])
    got["load"] = os.getloadavg()[0]  # 1-minute load average when the run ended (shared machine)
    return got


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: r["wall"])[(len(runs) - 1) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--limit", type=int, default=0, help="use at most this many articles (0: all)")
    ap.add_argument("--jobs-n", type=int, default=2)
    ap.add_argument("--window", type=int, default=256)
    ap.add_argument("--times", type=int, default=3, help="also the peak memory of the articles this many times over")
    ap.add_argument("--repeat", type=int, default=1, help="runs of --jobs 1 and --jobs N each (medians)")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    if not BBC.is_file():
        raise SystemExit(f"BBC clean news not found at {BBC}")
    texts = articles(a.limit)
    n = len(texts)
    results: dict = {"articles": n, "small": a.small, "window": a.window, "jobs_n": a.jobs_n}
    with tempfile.TemporaryDirectory(prefix="detector-bench-") as tmp:
        tmp = Path(tmp)
        small, full = tmp / "small.jsonl", tmp / "full.jsonl"
        write_jsonl(small, texts[: a.small])
        write_jsonl(full, texts)
        win = ["--window", str(a.window)]
        print(f"{n} BBC articles ({sum(map(len, texts)) / 1e6:.1f} MB of text), grammar off, window {a.window}")

        mem_small = run(["-j", "1", *win, str(small)], tmp / "small.out")
        one = run(["-j", "1", *win, str(full)], tmp / "one.out")
        results["memory"] = {
            "small_mib": mem_small["maxrss_kib"] / 1024, "full_mib": one["maxrss_kib"] / 1024,
            "ratio": one["maxrss_kib"] / mem_small["maxrss_kib"],
            "cmd_small": mem_small["cmd"], "cmd_full": one["cmd"],
        }
        m = results["memory"]
        print(f"peak memory (max RSS), --jobs 1: {a.small} articles {m['small_mib']:.0f} MiB, "
              f"{n} articles {m['full_mib']:.0f} MiB; ratio {m['ratio']:.2f}x")
        if a.times > 1:
            big = tmp / "times.jsonl"
            write_jsonl(big, texts * a.times)
            many_times = run(["-j", "1", *win, str(big)], tmp / "times.out")
            big.unlink()
            m.update(times=a.times, times_mib=many_times["maxrss_kib"] / 1024,
                     times_ratio=many_times["maxrss_kib"] / one["maxrss_kib"])
            print(f"  the {n} articles {a.times} times over ({n * a.times} articles): {m['times_mib']:.0f} MiB; "
                  f"{m['times_ratio']:.2f}x of {n}")

        ones, manys, same = [one], [], True
        for r in range(max(1, a.repeat)):  # alternating, so both see the same spells of load
            if r:
                ones.append(run(["-j", "1", *win, str(full)], tmp / "one.out"))
            manys.append(run(["-j", str(a.jobs_n), *win, str(full)], tmp / "many.out"))
            same = same and (tmp / "one.out").read_bytes() == (tmp / "many.out").read_bytes()
        one, many = _median_run(ones), _median_run(manys)
        results["jobs"] = {
            "jobs1_docs_per_s": n / one["wall"], f"jobs{a.jobs_n}_docs_per_s": n / many["wall"],
            "ratio": one["wall"] / many["wall"], "identical": same, "cmd": many["cmd"],
        }
        j = results["jobs"]
        j.update(jobs1_cpu_s=one["cpu"], jobsn_cpu_s=many["cpu"], load_jobs1=one["load"], load_jobsn=many["load"],
                 repeat=len(ones), ratios_by_pair=[o["wall"] / m["wall"] for o, m in zip(ones, manys, strict=True)])
        med = f" (medians of {len(ones)} alternating runs; pairs: " + ", ".join(
            f"{x:.2f}x" for x in j["ratios_by_pair"]) + ")" if len(ones) > 1 else ""
        print(f"--jobs 1: {j['jobs1_docs_per_s']:.1f} docs/s; --jobs {a.jobs_n}: "
              f"{n / many['wall']:.1f} docs/s; ratio {j['ratio']:.2f}x; identical output: {same}{med}")
        print(f"  CPU seconds: --jobs 1 {one['cpu']:.1f}, --jobs {a.jobs_n} {many['cpu']:.1f} "
              f"({many['cpu'] / one['cpu']:.2f}x); load average at the end: {one['load']:.1f}, {many['load']:.1f} "
              f"(on {os.cpu_count()} cores)")

        if not a.no_dask:
            try:
                import distributed  # noqa: F401
            except ImportError:
                print("Dask: skipped (pip install 'detector[dask]')")
            else:
                dk = run(["--dask", f"local:{a.jobs_n}", *win, str(full)], tmp / "dask.out")
                same_d = (tmp / "one.out").read_bytes() == (tmp / "dask.out").read_bytes()
                results["dask"] = {
                    "docs_per_s": n / dk["wall"], "vs_jobs": many["wall"] / dk["wall"], "identical": same_d,
                    "cmd": dk["cmd"],
                }
                d = results["dask"]
                d["load"] = dk["load"]
                print(f"--dask local:{a.jobs_n} (cluster start-up included): {d['docs_per_s']:.1f} docs/s; "
                      f"{d['vs_jobs']:.2f}x --jobs {a.jobs_n}; identical output: {same_d}; load {dk['load']:.1f}")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
