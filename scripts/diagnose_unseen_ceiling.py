#!/usr/bin/env python3
"""How many tortured phrases no list contains *could* any detector built from installable English
resources catch? An upper bound for issue #14's unseen-phrase figures, never a model-selection step.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/diagnose_unseen_ceiling.py
    OMP_NUM_THREADS=1 .venv/bin/python scripts/diagnose_unseen_ceiling.py --json out.json

The phrases are the ones ``scripts/measure_unseen_phrases.py`` injects (same seeded halves, same
filter). Two mechanisms are bounded, each as generously as the resources allow:

1. **Synonym swap back to an established phrase** (how ``FLU004`` works, and the only way to name
   the expected term). A phrase is *catchable* when, for some adjacent word pair of it, (a) every
   word that differs from the aligned word of its expected term is linked to it by a synonym
   source, and (b) the expected pair is in a phrase inventory. The count ignores every context
   test and every false-alarm guard a real detector needs, so a detector can only do worse.
   Sources, cumulatively:

   - *shipped*: the MyThes thesaurus (``mythes-en-us``, synonyms and similar/related/generic
     terms, both directions); ``symspellpy``'s 242k bigrams, MyThes's two-word entries and any
     pocketsphinx-LM bigram with positive association (``log P(b|a) > log P(b)``);
   - *+ Debian*: the Aiksaurus thesaurus (``libaiksaurus-1.2-data``, Moby-derived) and the
     multi-word headwords of GCIDE (``dict-gcide``) and FOLDOC (``dict-foldoc``), when installed;
   - *+ half A* (half B only): the word swaps (tortured word -> expected word) and the expected
     terms' word pairs of half A (what "build everything from one half" allows).

2. **Rarity alone**: the phrase holds an adjacent pair of lower-case, in-vocabulary content words
   that the LM has no bigram for (``log P(b|a) - log P(b) < 0`` and ``log P(b|a) < -12``). Reported
   with the rate of such pairs per 1,000 words of clean copy (the BBC train split's model half and
   the train part of the clean modern news), the price of flagging on rarity.

It also prints the document-level bound the phrase ceiling implies when only findings separate:
with ``k`` of the 3 injected phrases catchable an article is caught at best if ``k > 0``; an
article with none is at best a coin toss, so ROC-AUC <= 0.5 + 0.5 * P(k > 0).
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import build_dataset  # noqa: E402
import measure_unseen_phrases as mup  # noqa: E402

AIKSAURUS = Path("/usr/share/aiksaurus")
DICTD = Path("/usr/share/dictd")


def _ids(raw: bytes, i: int, name: Path) -> tuple[list[int], int]:
    """The big-endian uint16 ids from offset ``i`` up to the 0xFFFF that ends the record, and the
    offset after it."""
    ids = []
    while True:
        if i + 2 > len(raw):
            raise ValueError(f"{name}: malformed Aiksaurus data (a record without its end mark)")
        chunk = raw[i : i + 2]
        i += 2
        if chunk == b"\xff\xff":
            return ids, i
        ids.append(int.from_bytes(chunk, "big"))


def aiksaurus_links(root: Path = AIKSAURUS) -> dict[str, set[str]]:
    """word -> words sharing an Aiksaurus meaning (``words.dat``: NUL-terminated word, then its
    meaning ids; ``meanings.dat``: the word ids of each meaning; ids are big-endian uint16, each
    record ends with 0xFFFF). ValueError, naming the file, on malformed data."""
    wpath, mpath = root / "words.dat", root / "meanings.dat"
    if not (wpath.exists() and mpath.exists()):
        return {}
    raw, words, i = wpath.read_bytes(), [], 0
    while i < len(raw):
        j = raw.find(b"\0", i)
        if j < 0:
            raise ValueError(f"{wpath}: malformed Aiksaurus data (a word without its end)")
        words.append(raw[i:j].decode("latin-1").replace(":", " ").lower())
        _, i = _ids(raw, j + 1, wpath)  # the word's meaning ids (not needed here)
    raw, out, i = mpath.read_bytes(), collections.defaultdict(set), 0
    while i < len(raw):
        ids, i = _ids(raw, i, mpath)
        group = [words[k] for k in ids if k < len(words)]
        for a in group:
            out[a].update(b for b in group if b != a)
    return out


def dictd_phrases(root: Path = DICTD) -> set[str]:
    """Multi-word headwords of the GCIDE and FOLDOC dictd indexes (lower case)."""
    out: set[str] = set()
    for name in ("gcide", "foldoc"):
        p = root / f"{name}.index"
        if p.exists():
            with open(p, encoding="utf-8", errors="replace") as fh:
                out.update(h for h in (line.split("\t")[0].lower() for line in fh) if " " in h)
    return out


def _aligned(phrase: str, expected: str):
    pw, ew = phrase.lower().split(), mup.normalise_expected(expected).split()
    return (pw, ew) if len(pw) == len(ew) else (None, None)


def half_a_sources(rows: list[dict]) -> tuple[dict[str, set[str]], set[str]]:
    links, pairs = collections.defaultdict(set), set()
    for r in rows:
        e = mup.normalise_expected(r.get("expected")).split()
        pairs.update(f"{x} {y}" for x, y in zip(e, e[1:], strict=False))
        pw, ew = _aligned(" ".join((r.get("phrase") or "").split()), r.get("expected") or "")
        for a, b in zip(pw or (), ew or (), strict=True):
            if a != b:
                links[a].add(b)
    return links, pairs


def run(shared: Path, seed: int) -> dict:
    from detector.families import collocation as C

    syn, compounds = C.read_thesaurus()
    inventory = {p for p, _ in C.symspell_bigrams()} | compounds
    aik, heads = aiksaurus_links(), dictd_phrases()
    halves = mup.load_halves(shared, seed)
    learned, learned_pairs = half_a_sources(halves["A"])

    def lm_pair(x: str, y: str) -> bool:
        s = C._pair_scores(x, y)
        return s is not None and s[1] > 0.0

    levels = {
        "shipped": (
            lambda o, n: n in syn.get(o, ()),
            lambda pair, term: pair in inventory or lm_pair(*pair.split()),
        ),
    }
    levels["+ debian"] = (
        lambda o, n: levels["shipped"][0](o, n) or n in aik.get(o, ()),
        lambda pair, term: levels["shipped"][1](pair, term) or pair in heads or term in heads,
    )
    levels["+ half A"] = (
        lambda o, n: levels["+ debian"][0](o, n) or n in learned.get(o, ()),
        lambda pair, term: levels["+ debian"][1](pair, term) or pair in learned_pairs,
    )
    out: dict = {
        "seed": seed,
        "debian_sources": {"aiksaurus_words": len(aik), "dictd_multiword_headwords": len(heads)},
    }
    for half in ("A", "B"):
        phrases = mup.injectable(halves[half])
        res: dict = {"phrases": len(phrases)}
        for name, (linked, known) in levels.items():
            if half == "A" and name == "+ half A":
                continue  # in-sample: half A's own swaps and terms
            flags = []
            for ph, exp in phrases:
                pw, ew = _aligned(ph, exp)
                ok = False
                for i in range(len(pw) - 1 if pw else 0):
                    a, b, x, y = pw[i], pw[i + 1], ew[i], ew[i + 1]
                    if (a, b) == (x, y):
                        continue
                    if all(o == n or linked(o, n) for o, n in ((a, x), (b, y))) and known(
                        f"{x} {y}", " ".join(ew)
                    ):
                        ok = True
                        break
                flags.append(ok)
            share = sum(flags) / len(flags) if flags else 0.0
            caught = 1.0 - (1.0 - share) ** 3  # 3 phrases per article, drawn independently
            res[name] = {
                "phrase_ceiling": round(share, 3),
                "doc_auc_ceiling_findings_only": round(0.5 + 0.5 * caught, 3),
            }
        res["rarity_recall"] = round(
            sum(_has_rare_pair(ph.lower().split()) for ph, _ in phrases) / max(len(phrases), 1), 3
        )
        out[f"half_{half}"] = res
    out["rarity_pairs_per1000w_clean"] = _rarity_rates(shared)
    return out


def _content(w: str) -> bool:
    from detector.families import collocation as C

    return len(w) >= C.MIN_LEN and w not in C.STOP and w.isalpha() and w.islower() and w.isascii()


def _rare(a: str, b: str) -> bool:
    from detector.families import collocation as C

    if not (_content(a) and _content(b)):
        return False
    s = C._pair_scores(a, b)
    return s is not None and s[1] < 0.0 and s[0] < -12.0 and not C.established(a, b)


def _has_rare_pair(words: list[str]) -> bool:
    return any(_rare(a, b) for a, b in zip(words, words[1:], strict=False))


def _rarity_rates(shared: Path) -> dict[str, float]:
    from detector.text import as_document

    rows = [
        r
        for r in build_dataset.load_bbc(shared, "train")
        if build_dataset.bbc_part(r["dup_group"]) == "model"
    ]
    random.Random(0).shuffle(rows)
    corpora = {
        "bbc_train_300": [build_dataset.bbc_text(r) for r in rows[:300]],
        "modern_news_train_part": [r["text"] for r in build_dataset.load_news(shared, "train")],
    }
    out = {}
    for name, texts in corpora.items():
        hits = words = 0
        for t in texts:
            doc = as_document(t)
            for spans in doc.sentence_words:
                words += len(spans)
                for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
                    gap = doc.text[e1:s2]
                    hits += gap.isspace() and "\n" not in gap and _rare(doc.text[s1:e1], doc.text[s2:e2])
        out[name] = round(1000.0 * hits / max(words, 1), 2)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--json", help="also write the results as JSON")
    args = ap.parse_args(argv)
    shared = build_dataset.shared_dir(args.shared)
    if not (shared / "spinning").is_dir():
        print(f"diagnose_unseen_ceiling: error: no shared data at {shared}", file=sys.stderr)
        return 2
    try:
        r = run(shared, args.seed)
    except (OSError, ValueError) as e:
        print(f"diagnose_unseen_ceiling: error: {e}", file=sys.stderr)
        return 2
    src = r["debian_sources"]
    print(
        f"seed {r['seed']}; Debian sources found: Aiksaurus {src['aiksaurus_words']} words, "
        f"GCIDE+FOLDOC {src['dictd_multiword_headwords']} multi-word headwords"
    )
    for half in ("A", "B"):
        h = r[f"half_{half}"]
        print(f"half {half} ({h['phrases']} injectable phrases):")
        for name in (n for n in ("shipped", "+ debian", "+ half A") if n in h):
            print(
                f"  swap-back ceiling, {name:9s}: phrases {h[name]['phrase_ceiling']:.3f} "
                f"(target recall {mup.TARGET_RECALL}); document ROC-AUC from findings <= "
                f"{h[name]['doc_auc_ceiling_findings_only']:.3f} (target {mup.TARGET_AUC})"
            )
        print(f"  rarity alone (an LM-unseen content pair): phrases {h['rarity_recall']:.3f}")
    print(
        f"rarity pairs per 1,000 words of clean copy: {r['rarity_pairs_per1000w_clean']} "
        f"(FLU target {mup.TARGET_FLU_PER1KW})"
    )
    if args.json:
        build_dataset.write_json(args.json, r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
