#!/usr/bin/env python3
"""How far can detector's features separate the classes of ONE labelled file, if a model were
trained on that very file? A diagnostic, never a model-selection step.

It computes the no-grammar feature vector of every row (``detector.features``), then runs grouped
5-fold cross-validation *within the file* (``detector.training.cross_validate``: the same
StratifiedGroupKFold by ``group``, the same two estimators ``detector train`` chooses from, no
calibration) over several seeds, and prints the mean out-of-fold ROC-AUC overall and per source
prefix (e.g. ``wmt21-is-en``), plus the single features that separate best.

Run on a held-out file, the figure is an *in-distribution ceiling* for the feature set: the
shipped model, trained on other data, cannot be expected to beat a model fitted (out of fold) on
the held-out distribution itself. If the ceiling is below a target, the target needs new signal,
not a different training recipe. Nothing here is saved or fed back into the default models::

    .venv/bin/python scripts/build_dataset.py --split test --only mt
    .venv/bin/python scripts/diagnose_feature_ceiling.py build/dataset-test-mt.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from detector import training as T  # noqa: E402
from detector.features import evidence_matrix, feature_names  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="labelled JSONL/CSV (as for `detector train`), with a `group` column")
    ap.add_argument("--seeds", type=int, default=5, help="CV repetitions with different fold seeds")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    import numpy as np
    from sklearn.metrics import roc_auc_score

    try:
        ds = T.read_dataset(args.data)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        print(f"error: {args.data}: {e}", file=sys.stderr)
        return 2
    if ds.problems:  # a diagnostic on silently thinned data would mislead: refuse instead
        for e in ds.problems:
            print(f"error: {args.data}: {e}", file=sys.stderr)
        return 2
    if not ds.labels:
        print(f"error: {args.data}: no labelled rows", file=sys.stderr)
        return 2
    sources = np.array([str(s or "").split("/")[0] for s in ds.sources])
    names = feature_names(False)
    X = evidence_matrix(T.compute_evidence(ds.texts, grammar="off"), names)
    y = np.asarray(ds.labels)
    groups = list(ds.groups)
    w = None if ds.weights is None else np.asarray(ds.weights, dtype=float)  # soft labels, as in training

    out: dict = {"rows": len(y), "unreliable": int(y.sum()), "seeds": args.seeds, "estimators": {}}
    for kind in T.ESTIMATORS:
        per: dict[str, list[float]] = {}
        for seed in range(args.seeds):
            try:
                p = T.cross_validate(
                    kind,
                    X,
                    y,
                    groups,
                    seed,
                    "sigmoid",
                    calibrated=False,
                    names=names if kind == "hgb" else None,
                    w=w,
                )
            except ValueError as e:  # too few rows or groups of a class for grouped folds
                print(f"error: {args.data}: {e}", file=sys.stderr)
                return 2
            per.setdefault("all", []).append(roc_auc_score(y, p, sample_weight=w))
            for s in sorted(set(sources) - {""}):
                m = sources == s
                if len(set(y[m])) == 2:
                    per.setdefault(s, []).append(
                        roc_auc_score(y[m], p[m], sample_weight=None if w is None else w[m])
                    )
        out["estimators"][kind] = {k: round(float(np.mean(v)), 3) for k, v in per.items()}
    single = []
    for j, n in enumerate(names):
        if X[:, j].std() > 0:
            a = roc_auc_score(y, X[:, j])
            single.append((round(max(a, 1 - a), 3), n))
    out["best_single_features"] = sorted(single, reverse=True)[:8]

    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(
        f"{args.data}: {out['rows']} rows, {out['unreliable']} unreliable; grouped 5-fold CV within the file, "
        f"mean of {args.seeds} seeds"
    )
    for kind, figs in out["estimators"].items():
        print(f"  {kind:7s} " + "  ".join(f"{k} {v:.3f}" for k, v in figs.items()))
    print(
        "  best single features (ROC-AUC either direction): "
        + ", ".join(f"{n} {a:.3f}" for a, n in out["best_single_features"])
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
