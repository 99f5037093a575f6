"""Training: candidate estimators, grouped cross-validation, the verdict thresholds, the prior
shift, and :func:`train` (fit, save the skops bundle and its model card)."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..compiled import shift_p
from ..model import MODEL_FORMAT, save_model
from ..scoring import Evidence, Thresholds
from .data import Dataset, compute_evidence
from .evaluate import metrics, permutation_top_features, top_features

# The verdict operating point, for a mostly-clean feed: on the out-of-fold predictions of the
# clean (label 0) training rows, weighted as in training, at most REJECT_CLEAN_SHARE of clean copy
# is rejected and at most FLAG_CLEAN_SHARE is flagged (review or reject). The product targets are
# 3 % and 10 % on copy the model never saw; the cuts are placed well inside them because copy
# unlike the training data scores lower than out-of-fold training rows do.
REJECT_CLEAN_SHARE = 0.01
FLAG_CLEAN_SHARE = 0.05
# The share of unreliable copy the reliability is calibrated to (a syndicated feed is mostly
# clean); the training data is about two-thirds unreliable. Applied as a log-odds shift after
# calibration, so it changes the numbers, not the ranking or the verdicts.
PRIOR_UNRELIABLE = 0.2


# "additive": gradient boosting in which every tree splits on one feature (a generalised additive
# model with monotone shape functions: glass-box, each feature's part of the score is exact).
ESTIMATORS = ("logreg", "additive", "hgb")


def _base_estimator(kind: str, seed: int, names=None):
    """``names`` (feature names) switch on monotonic constraints for gradient boosting: every
    finding-derived feature may only push towards *unreliable* (``features.monotonic_constraints``)."""
    if kind == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=0.5, max_iter=5000, class_weight="balanced")
    from sklearn.ensemble import HistGradientBoostingClassifier

    cst = None
    if names is not None:
        from ..features import monotonic_constraints

        cst = monotonic_constraints(names)
    common = dict(monotonic_cst=cst, min_samples_leaf=20, l2_regularization=1.0, class_weight="balanced",
                  random_state=seed)
    if kind == "additive":  # one feature per tree: more, smaller trees to fit the shape functions
        return HistGradientBoostingClassifier(
            interaction_cst="no_interactions", max_iter=600, learning_rate=0.15, max_leaf_nodes=8, **common
        )
    return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.08, max_leaf_nodes=15, **common)


def _pre_steps(kind: str) -> list:
    if kind == "logreg":
        from sklearn.preprocessing import StandardScaler

        from ..features import SignedLog1p

        return [("log", SignedLog1p()), ("scale", StandardScaler())]
    return []


def _splits(y, groups, n_splits: int, seed: int):
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(y)
    n_groups = len(set(groups))
    k = min(n_splits, int(min(np.bincount(y, minlength=2))), n_groups)
    if k < 2:
        raise ValueError("need at least 2 reliable and 2 unreliable examples (in different groups) to train")
    return list(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))


def _calibrated(kind: str, y, groups, seed: int, method: str, folds: int = 5, names=None):
    from sklearn.calibration import CalibratedClassifierCV

    cv = _splits(y, groups, folds, seed)
    # ensemble=False: one estimator fitted on all rows, calibrated on cross-validated predictions,
    # so the score stays one additive sum and its reasons are exact (detector.explain)
    return CalibratedClassifierCV(_base_estimator(kind, seed, names), method=method, cv=cv, ensemble=False)


def _fit_matrix_model(kind: str, X, y, groups, seed: int, method: str, folds: int = 5, names=None, w=None):
    """Fit [pre-steps ->] calibrated classifier on a feature matrix; returns the fitted steps."""
    from sklearn.pipeline import Pipeline

    steps = _pre_steps(kind) + [("clf", _calibrated(kind, y, groups, seed, method, folds, names))]
    pipe = Pipeline(steps)
    if w is None:
        pipe.fit(X, y)
    else:
        pipe.fit(X, y, clf__sample_weight=w)
    return pipe


def cross_validate(
    kind: str, X, y, groups, seed: int, method: str, calibrated: bool = True, names=None, w=None,
    on_fold: Callable[[int, int], None] | None = None,
):
    """Out-of-fold P(unreliable), group-aware (StratifiedGroupKFold). ``on_fold(done, total)``
    is called before the first fold and after each one (progress only)."""
    import numpy as np
    from sklearn.pipeline import Pipeline

    y = np.asarray(y)
    groups = np.asarray(groups)
    oof = np.zeros(len(y))
    splits = _splits(y, list(groups), 5, seed)
    if on_fold:
        on_fold(0, len(splits))
    for fold, (tr, te) in enumerate(splits, 1):
        wt = None if w is None else w[tr]
        if calibrated:
            pipe = _fit_matrix_model(kind, X[tr], y[tr], list(groups[tr]), seed, method, folds=3, names=names, w=wt)
        else:
            pipe = Pipeline(_pre_steps(kind) + [("clf", _base_estimator(kind, seed, names))])
            pipe.fit(X[tr], y[tr], **({} if wt is None else {"clf__sample_weight": wt}))
        oof[te] = pipe.predict_proba(X[te])[:, 1]
        if on_fold:
            on_fold(fold, len(splits))
    return oof


def _weighted_quantile(v, w, q: float) -> float:
    import numpy as np

    v = np.asarray(v, dtype=float)
    w = np.ones_like(v) if w is None else np.asarray(w, dtype=float)
    o = np.argsort(v)
    c = np.cumsum(w[o]) / w.sum()
    return float(v[o][min(len(v) - 1, int(np.searchsorted(c, q)))])


def choose_thresholds(y, p_unreliable, weights=None) -> Thresholds:
    """Verdict thresholds on reliability r = 1 - p from out-of-fold predictions, at the operating
    point for a mostly-clean feed: ``reject`` = the ``REJECT_CLEAN_SHARE`` (weighted) quantile of
    the clean rows' r, ``ok`` = their ``FLAG_CLEAN_SHARE`` quantile (so at most 1 % of clean copy
    is rejected and 5 % flagged on the training distribution). Rounded down to 0.001; ``ok`` is
    at least ``reject`` + 0.01 so the review band is never empty."""
    import numpy as np

    y = np.asarray(y)
    r = 1.0 - np.asarray(p_unreliable, dtype=float)
    clean = y == 0
    if not clean.any():
        return Thresholds()
    w = None if weights is None else np.asarray(weights, dtype=float)[clean]
    reject = math.floor(_weighted_quantile(r[clean], w, REJECT_CLEAN_SHARE) * 1000) / 1000
    ok = math.floor(_weighted_quantile(r[clean], w, FLAG_CLEAN_SHARE) * 1000) / 1000
    reject = min(max(reject, 0.001), 0.98)
    ok = min(max(ok, reject + 0.01), 0.99)
    return Thresholds(ok=round(ok, 3), reject=round(reject, 3))


def prior_shift(y, weights=None, prior: float = PRIOR_UNRELIABLE) -> float:
    """Log-odds (of *reliable*) to add to a model calibrated on data with this label mix so that its
    probabilities correspond to a share ``prior`` of unreliable copy."""
    import numpy as np

    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    train = float((w * y).sum() / w.sum())
    train = min(max(train, 1e-6), 1 - 1e-6)
    return math.log((1 - prior) / prior) - math.log((1 - train) / train)


def _versions() -> dict:
    import numpy
    import sklearn
    import skops

    from .. import __version__ as detector_version

    return {
        "python": sys.version.split()[0],
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "skops": skops.__version__,
        "detector": detector_version,
    }


def _sha256(path: str) -> str:
    from ..io import file_sha256

    return file_sha256(path)


def train(
    ds: Dataset,
    out: str | os.PathLike,
    *,
    grammar: bool = False,
    estimator: str = "auto",
    calibration: str = "sigmoid",
    seed: int = 0,
    name: str | None = None,
    evidence: list[Evidence] | None = None,
    progress: Callable[[int], None] | None = None,
    log: Callable[[str], None] = lambda s: None,
    prior: float = PRIOR_UNRELIABLE,
    phase: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Train, cross-validate, choose thresholds, save ``out`` (skops) and ``out.card.json``.

    ``phase(label, done, total)``: progress of the steps after the features (each candidate's
    cross-validation fold by fold, the calibrated cross-validation, the final fit); progress only.

    ``prior``: the share of unreliable copy the reliabilities are calibrated to (see
    :data:`PRIOR_UNRELIABLE`).

    Returns the model card (a dict) including out-of-fold metrics (``card["cv"]``).
    """
    import time

    import numpy as np
    from sklearn.pipeline import Pipeline

    from ..features import EvidenceVectorizer

    t0 = time.time()
    if evidence is None:
        evidence = compute_evidence(ds.texts, grammar="auto" if grammar else "off", progress=progress)
    y = np.asarray(ds.labels, dtype=int)
    groups = list(ds.groups)
    w = None if ds.weights is None else np.asarray(ds.weights, dtype=float)
    vec = EvidenceVectorizer(grammar=grammar).fit(evidence)
    X = vec.transform(evidence)
    names = [str(n) for n in vec.get_feature_names_out()]
    log(f"features: {X.shape[1]} for {X.shape[0]} articles ({time.time() - t0:.1f}s)")

    kinds = list(ESTIMATORS) if estimator == "auto" else [estimator]
    candidates = {}
    from sklearn.metrics import brier_score_loss, roc_auc_score

    for kind in kinds:
        oof_raw = cross_validate(kind, X, y, groups, seed, calibration, calibrated=False, names=names, w=w,
                                 on_fold=phase and (lambda d, t, k=kind: phase(f"cross-validating {k}", d, t)))
        candidates[kind] = {
            "cv_roc_auc": float(roc_auc_score(y, oof_raw)),
            "cv_brier_uncalibrated": float(brier_score_loss(y, oof_raw)),
        }
        log(f"cv {kind}: ROC-AUC {candidates[kind]['cv_roc_auc']:.4f}")
    # prefer the simpler, glass-box models unless free-form boosting is clearly better
    penalty = {"hgb": 0.005, "additive": 0.0, "logreg": 0.0}
    best = max(kinds, key=lambda k: candidates[k]["cv_roc_auc"] - penalty.get(k, 0.0))
    shift = prior_shift(y, w, prior)
    oof = shift_p(cross_validate(best, X, y, groups, seed, calibration, calibrated=True, names=names, w=w,
                                 on_fold=phase and (lambda d, t: phase(f"calibrating {best}", d, t))), shift)
    thresholds = choose_thresholds(y, oof, w)
    cv_metrics = metrics(y, oof, thresholds, ds.sources)
    log(f"chose {best}; calibrated out-of-fold ROC-AUC {cv_metrics['roc_auc']:.4f}; thresholds {thresholds}")

    if phase:
        phase(f"fitting the final {best} model", 0, 0)
    final = _fit_matrix_model(best, X, y, groups, seed, calibration, names=names, w=w)
    pipe = Pipeline([("features", vec)] + list(final.steps))
    out = Path(out)
    model_name = name or out.stem
    # a typical clean article: the per-feature median of the clean rows (what reasons compare with)
    clean = y == 0
    typical = np.median(X[clean], axis=0) if clean.any() else np.zeros(X.shape[1])
    bundle = {
        "format": MODEL_FORMAT,
        "name": model_name,
        "pipeline": pipe,
        "thresholds": [thresholds.ok, thresholds.reject],
        "grammar": bool(grammar),
        "estimator": best,
        "feature_names": [str(n) for n in vec.get_feature_names_out()],
        "prior_shift": float(shift),
        "prior_unreliable": float(prior),
        "typical": [float(v) for v in typical],
    }
    typical_r = 1.0 - float(shift_p(final.predict_proba(typical[None, :])[:, 1], shift)[0])
    log(f"typical clean article: reliability {typical_r:.3f} (ok >= {thresholds.ok})")
    save_model(bundle, out)
    counts: dict[str, dict[str, int]] = {}
    for s, lab in zip(ds.sources, ds.labels, strict=False):
        c = counts.setdefault(s, {"reliable": 0, "unreliable": 0})
        c["unreliable" if lab else "reliable"] += 1
    card = {
        "name": model_name,
        "format": MODEL_FORMAT,
        "file": out.name,
        "task": "P(unreliable) for a news article's text; reliability = 1 - P(unreliable)",
        "estimator": {
            "chosen": best,
            "params": {k: repr(v) for k, v in _base_estimator(best, seed, names).get_params().items()},
            "calibration": f"CalibratedClassifierCV(method={calibration!r}, ensemble=False, "
            "cv=StratifiedGroupKFold(5) by group)",
            "prior": f"reliability calibrated to {prior:.0%} unreliable copy (log-odds shift {shift:+.3f})",
            "preprocessing": [s for s, _ in final.steps if s != "clf"],
            "candidates": candidates,
            "selection": "highest out-of-fold ROC-AUC (uncalibrated, StratifiedGroupKFold(5) by group); "
            "free-form hgb must beat the additive models by 0.005",
        },
        "grammar": bool(grammar),
        "features": bundle["feature_names"],
        "thresholds": {
            "ok": thresholds.ok,
            "reject": thresholds.reject,
            "rule": f"on out-of-fold calibrated predictions of the clean rows (weighted): reject = the cut "
            f"{REJECT_CLEAN_SHARE:.0%} of clean copy falls below, ok = the cut {FLAG_CLEAN_SHARE:.0%} falls below",
            "typical_clean_reliability": round(typical_r, 4),
        },
        "data": {
            "path": str(ds.path),
            "sha256": _sha256(ds.path) if ds.path and Path(ds.path).is_file() else None,
            "n": int(len(y)),
            "n_unreliable": int(y.sum()),
            "skipped_rows": len(ds.problems),
            "per_source": counts,
        },
        "cv": cv_metrics,
        "top_features": top_features(bundle) or permutation_top_features(bundle, y=y, X=X, seed=seed),
        "seed": seed,
        "versions": _versions(),
        "train_seconds": round(time.time() - t0, 1),
    }
    card_path = out.with_name(out.stem + ".card.json")
    from ..io import atomic_write

    atomic_write(card_path, json.dumps(card, indent=2) + "\n")
    card["_bundle"] = bundle
    return card
