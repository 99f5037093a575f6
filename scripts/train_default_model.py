#!/usr/bin/env python3
"""Rebuild the embedded default model(s) in detector/resources/ — one reproducible command::

    .venv/bin/python scripts/train_default_model.py            # no-grammar model (+ grammar model
                                                               #  if LanguageTool is available)
    .venv/bin/python scripts/train_default_model.py --no-grammar-variant

Steps (seeded; shared data read from --shared / $DETECTOR_SHARED_DATA / ../shared/data):

1. fluency resources: hashed unigrams/bigrams of the 'ref' half of the BBC train split
   (``resources/bbc_ngrams.npz``), the hashed broad English vocabulary (``resources/broad_vocab.npz``,
   from wordfreq when installed: ``pip install -e '.[train]'``), the hashed tortured-phrase lexicon
   (``resources/tortured_phrases.npz``) and the MT sentence model trained on the 'ref' half of the
   training WMT corpora (``resources/mt_sentences.npz``, ``scripts/build_fluency_model.py``). No
   third-party text is written into the package.
2. ``scripts/build_dataset.py --split train`` -> build/dataset-train.jsonl (outside git).
3. ``detector.training.train`` -> resources/default-nogrammar-v1.skops (+ .card.json), estimator
   chosen by group-aware CV, thresholds from out-of-fold predictions; then the numpy-only
   compiled copy (.npz) used on the cold-start path.
4. If LanguageTool is available (and not --no-grammar-variant): the same with grammar features
   on a subsample of at most --grammar-max rows -> resources/default-grammar-v1.*.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import build_dataset  # noqa: E402
import build_fluency_model  # noqa: E402

from detector import model as M  # noqa: E402
from detector import training as T  # noqa: E402
from detector.families import collocation, fluency, fluency_lm, lexicon, spin, tortured  # noqa: E402


def log(s: str) -> None:
    print(s, flush=True)


def cached_evidence(ds, dataset_path: str):
    """No-grammar evidence for the dataset, cached in build/ by (dataset, detector source and
    resources) hash."""
    import hashlib
    import pickle

    h = hashlib.sha256(Path(dataset_path).read_bytes())
    for p in sorted((REPO / "detector").rglob("*.py")):
        h.update(p.read_bytes())
    # the resources the detectors read (not the trained classifiers)
    for p in (fluency_lm.MT_MODEL_FILE, lexicon.NGRAM_FILE, tortured.TORTURED_FILE, collocation.COLLOCATION_FILE,
              spin.SPIN_TABLE_FILE):
        h.update(p.read_bytes() if p.exists() else b"-")
    cache = REPO / "build" / f"evidence-{h.hexdigest()[:16]}.pkl"
    if cache.exists():
        log(f"evidence from cache {cache.name}")
        return pickle.loads(cache.read_bytes())
    t = time.time()
    evidence = T.compute_evidence(ds.texts, grammar="off")
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(pickle.dumps(evidence))
    log(f"evidence for {len(evidence)} articles in {time.time() - t:.0f}s")
    return evidence


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dataset", default=str(REPO / "build" / "dataset-train.jsonl"))
    ap.add_argument("--skip-resources", action="store_true", help="keep the existing fluency resources")
    ap.add_argument("--skip-dataset", action="store_true", help="reuse an existing --dataset file")
    ap.add_argument("--no-grammar-variant", action="store_true")
    ap.add_argument("--grammar-only", action="store_true", help="train only the grammar variant")
    ap.add_argument("--grammar-max", type=int, default=5000)
    ap.add_argument("--estimator", default="auto")
    args = ap.parse_args(argv)
    shared = build_dataset.shared_dir(args.shared)
    res = M.RESOURCES
    res.mkdir(exist_ok=True)

    if not args.skip_resources:
        ref = build_dataset.load_bbc(shared, "train", part="ref")
        n = fluency.build_reference([build_dataset.bbc_text(r) for r in ref])
        log(f"reference n-grams from {len(ref)} BBC train articles: {n}")
        k = tortured.build_tortured_lexicon(shared / "spinning" / "tortured_phrases_train.jsonl")
        log(f"tortured-phrase lexicon: {k} hashed phrases")
        try:  # the broad English vocabulary (hashed wordfreq list): `pip install -e '.[train]'`
            log(f"broad vocabulary: {fluency.build_broad_vocabulary()} hashed words")
        except ImportError:
            log("wordfreq not installed: keeping resources/broad_vocab.npz as it is")
        try:  # thesaurus (Debian mythes-en-us) + symspellpy's bigram counts: `pip install -e '.[train]'`
            log(f"swapped-collocation model: {collocation.build_collocations()}")
        except (ImportError, FileNotFoundError) as exc:
            log(f"keeping resources/collocations.npz as it is ({exc})")
        try:  # what a spinner writes for each word, for the spinning statistic (Debian mythes-en-us)
            log(f"spinner synonym table: {spin.build_spin_table()} entries")
        except FileNotFoundError as exc:
            log(f"keeping resources/spin_synonyms.npz as it is ({exc})")
        build_fluency_model.main(["--shared", str(shared), "--seed", str(args.seed)])
        lexicon._reference.cache_clear()
        tortured._lexicon.cache_clear()
        collocation._resources.cache_clear()
        spin._table.cache_clear()
        spin._candidates.cache_clear()
        spin._compound_candidates.cache_clear()
        fluency_lm._mt_model.cache_clear()
    if not args.skip_dataset:
        build_dataset.main(["--split", "train", "--shared", str(shared), "--seed", str(args.seed),
                            "--out", args.dataset])
    ds = T.read_dataset(args.dataset)
    evidence = cached_evidence(ds, args.dataset)

    if not args.grammar_only:
        t = time.time()
        out = res / f"{M.DEFAULT_NOGRAMMAR}.skops"
        card = T.train(ds, out, grammar=False, estimator=args.estimator, seed=args.seed,
                       name=M.DEFAULT_NOGRAMMAR, log=log, evidence=evidence)
        ok = M.compile_bundle(card["_bundle"], out.with_suffix(".npz"))
        if not ok:
            out.with_suffix(".npz").unlink(missing_ok=True)
        log(f"{out.name}: cv ROC-AUC {card['cv']['roc_auc']:.4f}, compiled={ok}, {time.time() - t:.0f}s")

    if not args.no_grammar_variant:
        from detector.lt_checker import open_checker

        checker, status = open_checker("auto")
        if checker is None:
            log(f"LanguageTool {status}: not training the grammar variant (scoring falls back to no-grammar)")
            return 0
        rng = random.Random(args.seed)
        idx = list(range(len(ds.texts)))
        if len(idx) > args.grammar_max:
            idx = sorted(rng.sample(idx, args.grammar_max))
        sub = T.Dataset([ds.texts[i] for i in idx], [ds.labels[i] for i in idx],
                        [ds.sources[i] for i in idx], [ds.groups[i] for i in idx], [], ds.path,
                        None if ds.weights is None else [ds.weights[i] for i in idx])
        t = time.time()
        out = res / f"{M.DEFAULT_GRAMMAR}.skops"
        card = T.train(sub, out, grammar=True, estimator=args.estimator, seed=args.seed,
                       name=M.DEFAULT_GRAMMAR, log=log)
        ok = M.compile_bundle(card["_bundle"], out.with_suffix(".npz"))
        if not ok:
            out.with_suffix(".npz").unlink(missing_ok=True)
        log(f"{out.name}: cv ROC-AUC {card['cv']['roc_auc']:.4f}, compiled={ok}, {time.time() - t:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
