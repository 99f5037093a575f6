#!/usr/bin/env python3
"""False alarms on clean copy the models never trained on — the figure an editor feels.

    .venv/bin/python scripts/measure_false_alarms.py                 # both model variants
    .venv/bin/python scripts/measure_false_alarms.py --no-grammar    # only the no-grammar model
    .venv/bin/python scripts/measure_false_alarms.py --json out.json

Corpora (read from --shared / $DETECTOR_SHARED_DATA / ../shared/data; nothing is copied):

- ``wmt21-news-measure``: the *measurement part* of ``clean/wmt21_en_news.jsonl`` — the outlets
  with ``sha1("wmt21-news:" + outlet) % 3 != 0`` (45 articles, 17 outlets; see
  ``scripts/build_dataset.py: news_part``). Clean modern English-original news, 2020-21, never used
  for training, model choice or thresholds.
- ``bbc-test``: every de-duplicated BBC **test**-split article as published (2004-05; a close
  relative of the training data, reported for comparison).

Each corpus is scored as one batch (as ``detector score DIR`` would), with the default model of
each variant: grammar off (no-grammar model) and, when LanguageTool is available, grammar on
(grammar model). Printed per corpus and variant: articles, share flagged (``review`` or
``reject``), share rejected, flagged articles with neither findings nor reasons (must be 0), and
findings per 1,000 words by family. Exit 1 if a target is missed (rejected <= 3 %, flagged <=
10 %, no flagged article without evidence, name findings <= 0.3 per 1,000 words with grammar on).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import build_dataset  # noqa: E402

TARGET_REJECT = 0.03
TARGET_FLAG = 0.10
TARGET_NAME_PER1KW = 0.3


def corpora(shared: Path, limit: int = 0) -> dict[str, list]:
    from detector import Article

    news = [Article(r["text"], name=r["id"]) for r in build_dataset.load_news(shared, "measure")]
    bbc = [Article(build_dataset.bbc_text(r), name=str(r["id"])) for r in build_dataset.load_bbc(shared, "test")]
    out = {"wmt21-news-measure": news, "bbc-test": bbc}
    if limit:
        out = {k: v[:limit] for k, v in out.items()}
    return out


def measure(articles, grammar: str) -> dict:
    import detector
    from detector.findings import FAMILIES

    t = time.time()
    reports = detector.score(articles, grammar=grammar, cache=False)
    judged = [r for r in reports if r.reliability is not None]
    words = sum(float(r.stats.get("words", 0.0)) for r in judged)
    per = 1000.0 / words if words else 0.0
    fam = {f: 0 for f in FAMILIES}
    for r in judged:
        for f in r.findings:
            fam[f.family] = fam.get(f.family, 0) + 1
    flagged = [r for r in judged if r.verdict != "ok"]
    return {
        "n": len(reports),
        "judged": len(judged),
        "model": judged[0].model if judged else "",
        "grammar": sorted({r.grammar for r in reports}),
        "words": int(words),
        "flagged_share": len(flagged) / len(judged) if judged else 0.0,
        "rejected_share": sum(r.verdict == "reject" for r in judged) / len(judged) if judged else 0.0,
        "flagged_without_evidence": sum(1 for r in flagged if not r.findings and not r.reasons),
        "findings_per_1000w": round(sum(fam.values()) * per, 3),
        "by_family_per_1000w": {k: round(v * per, 3) for k, v in fam.items()},
        "flagged": [{"id": r.path, "reliability": r.reliability, "verdict": r.verdict,
                     "reasons": [x.message for x in r.reasons[:2]]} for r in flagged],
        "seconds": round(time.time() - t, 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared")
    ap.add_argument("--no-grammar", action="store_true", help="only the no-grammar variant")
    ap.add_argument("--limit", type=int, default=0, help="at most N articles per corpus (quick runs)")
    ap.add_argument("--json", help="also write the results as JSON")
    args = ap.parse_args(argv)
    shared = build_dataset.shared_dir(args.shared)
    if not (shared / "clean").is_dir():
        print(f"measure_false_alarms: error: no shared data at {shared}", file=sys.stderr)
        return 2
    variants = [("no-grammar", "off")]
    if not args.no_grammar:
        from detector.lt_checker import open_checker

        checker, status = open_checker("auto")
        if checker is None:
            print(f"LanguageTool {status}: grammar variant not measured", file=sys.stderr)
        else:
            variants.append(("grammar", checker))
    results = {}
    for cname, arts in corpora(shared, args.limit).items():
        for vname, mode in variants:
            results[f"{cname} / {vname}"] = measure(arts, mode)
    fams = list(next(iter(results.values()))["by_family_per_1000w"])
    short = {"duplicate-block": "dup", "broken-sentence": "broken", "boilerplate": "boiler",
             "repetition": "rep", "foreign-language": "foreign"}
    print("| corpus / model | articles | flagged | rejected | flagged w/o evidence | findings /1kw | "
          + " | ".join(short.get(f, f) for f in fams) + " |")
    print("|---|---|---|---|---|---|" + "---|" * len(fams))
    failed = []
    for k, r in results.items():
        print(f"| {k} | {r['judged']} | {r['flagged_share']:.1%} | {r['rejected_share']:.1%} | "
              f"{r['flagged_without_evidence']} | {r['findings_per_1000w']:.2f} | "
              + " | ".join(f"{r['by_family_per_1000w'][f]:.2f}" for f in fams) + " |")
        if r["rejected_share"] > TARGET_REJECT or r["flagged_share"] > TARGET_FLAG:
            failed.append(f"{k}: flagged {r['flagged_share']:.1%}, rejected {r['rejected_share']:.1%}")
        if r["flagged_without_evidence"]:
            failed.append(f"{k}: {r['flagged_without_evidence']} flagged without findings or reasons")
        if k.endswith("/ grammar") and r["by_family_per_1000w"].get("name", 0) > TARGET_NAME_PER1KW:
            failed.append(f"{k}: {r['by_family_per_1000w']['name']:.2f} name findings per 1,000 words")
    for k, r in results.items():
        for f in r["flagged"]:
            print(f"  flagged in {k}: {f['id']} {f['reliability']:.3f} {f['verdict']}: {'; '.join(f['reasons'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for f in failed:
        print(f"target missed: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
