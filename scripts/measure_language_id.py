"""Measure language identification (detector/language.py) on shared data: the English stop-word
test alone, py3langid alone, and the combination detector uses, at article and paragraph level.

    .venv/bin/python scripts/measure_language_id.py [--shared ../shared/data] [--n 300]

English: the BBC test split and wmt21_en_news (clean articles), WMT reference translations.
Other languages: the WMT source documents (cs, de, fi, lv, ru, tr, is, ja, uk) and the WMT15/16
source sentences (cs, de, fi, ro, ru, tr) for paragraph-sized text. Prints accuracy tables and the
stop-word share distributions behind the thresholds; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detector import language  # noqa: E402


def _jsonl(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load(shared: Path, n: int, seed: int = 0):
    rng = random.Random(seed)
    docs_en, docs_xx, paras_en, paras_xx = [], [], [], []
    bbc = [d for d in _jsonl(shared / "clean/bbc_news.jsonl") if d.get("split") == "test"]
    wmt_en = list(_jsonl(shared / "clean/wmt21_en_news.jsonl"))
    for d in rng.sample(bbc, min(n, len(bbc))) + wmt_en:
        docs_en.append(("clean-en", d["title"] + "\n\n" + "\n\n".join(d["paragraphs"])))
        paras_en.extend(("clean-en", p) for p in d["paragraphs"])
    for f in ("wmt17_toen_pseudodocs.jsonl", "wmt21_isen_jaen_ruen.jsonl", "wmt22_uken.jsonl"):
        refs = [d for d in _jsonl(shared / "mt" / f) if d["kind"] == "reference" and d.get("source_text")]
        by_lp = defaultdict(list)
        for d in refs:
            by_lp[d["lp"]].append(d)
        for lp, ds in by_lp.items():
            for d in rng.sample(ds, min(40, len(ds))):
                docs_en.append(("wmt-ref", d["text"]))
                docs_xx.append((lp.split("-")[0], d["source_text"]))
    for d in _jsonl(shared / "mt/wmt15_16_daseg_segments.jsonl"):
        if rng.random() < 0.4:
            paras_xx.append((d["lp"].split("-")[0], d["source_text"]))
            paras_en.append(("mt-out-en", d["text"]))
    return docs_en, docs_xx, paras_en, paras_xx


def stopword_is_en(text: str) -> bool:
    return language.stopword_share(text) >= language.LanguageSettings().english_stopword_share


def langid_lang(text: str) -> str:
    lang, _ = language.langid(text)
    return "en" if lang in language.ENGLISH_LIKE else lang


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    ap.add_argument("--n", type=int, default=300, help="BBC test articles (default 300)")
    args = ap.parse_args(argv)
    docs_en, docs_xx, paras_en, paras_xx = load(Path(args.shared), args.n)
    long_enough = lambda rows: [(k, t) for k, t in rows if language.long_enough(t)]  # noqa: E731
    paras_en, paras_xx = long_enough(paras_en), long_enough(paras_xx)

    print(
        f"articles: {len(docs_en)} English, {len(docs_xx)} other; paragraphs (>= {language.LanguageSettings().min_letters} "
        f"letters): {len(paras_en)} English, {len(paras_xx)} other\n"
    )

    # stop-word share distribution
    for label, rows in (("English paragraphs", paras_en), ("foreign paragraphs", paras_xx)):
        shares = sorted(language.stopword_share(t) for _, t in rows)
        q = lambda p: shares[min(len(shares) - 1, int(p * len(shares)))]  # noqa: E731,B023
        print(
            f"stop-word share, {label}: min {shares[0]:.3f}  1% {q(0.01):.3f}  5% {q(0.05):.3f}  "
            f"median {statistics.median(shares):.3f}  95% {q(0.95):.3f}  99% {q(0.99):.3f}  max {shares[-1]:.3f}"
        )
    print()

    def table(title, rows_en, rows_xx, judge):
        t0 = time.perf_counter()
        en_ok = sum(1 for _, t in rows_en if judge(t) == "en")
        xx = Counter()
        xx_ok = Counter()
        for k, t in rows_xx:
            xx[k] += 1
            xx_ok[k] += judge(t) != "en"
        dt = time.perf_counter() - t0
        per = "  ".join(f"{k} {xx_ok[k]}/{xx[k]}" for k in sorted(xx))
        print(
            f"{title}: English kept {en_ok}/{len(rows_en)} ({en_ok / max(1, len(rows_en)):.1%}); "
            f"foreign caught {sum(xx_ok.values())}/{len(rows_xx)} ({sum(xx_ok.values()) / max(1, len(rows_xx)):.1%})"
            f" [{per}]  {dt:.1f}s"
        )

    language.langid("warm up the model")
    print("ARTICLES")
    table("  stop-word share", docs_en, docs_xx, lambda t: "en" if stopword_is_en(t) else "xx")
    table("  py3langid (whole text)", docs_en, docs_xx, langid_lang)
    table("  detector (language.analyse)", docs_en, docs_xx, lambda t: language.analyse(t).main)
    wrong = Counter()
    for k, t in docs_xx:
        m = language.analyse(t).main
        if m != k:
            wrong[(k, m)] += 1
    print(f"  foreign articles named wrongly (true, said): {dict(wrong) or 'none'}")
    print("PARAGRAPHS")
    table("  stop-word share", paras_en, paras_xx, lambda t: "en" if stopword_is_en(t) else "xx")
    table("  py3langid", paras_en, paras_xx, langid_lang)

    def para_judge(t):
        lang, conf = language.identify(t)
        return lang if lang == "en" or conf >= language.LanguageSettings().paragraph_confidence else "en"

    table("  detector (identify + paragraph_confidence)", paras_en, paras_xx, para_judge)
    fp = [(t, language.identify(t)) for _, t in paras_en if para_judge(t) != "en"]
    for t, r in fp[:8]:
        print(f"    English paragraph called {r}: {t[:100]!r}")
    needs_model = sum(
        1
        for _, t in docs_en
        if any(
            language.long_enough(t[s:e]) and language.stopword_share(t[s:e]) < language.LanguageSettings().english_stopword_share
            for s, e in language.blocks(t)
        )
    )
    print(
        f"English articles that need the identifier's model (a paragraph below the stop-word share): "
        f"{needs_model}/{len(docs_en)}"
    )
    flagged = sum(1 for _, t in docs_en if language.analyse(t).foreign)
    print(f"English articles with a paragraph set aside as foreign: {flagged}/{len(docs_en)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
