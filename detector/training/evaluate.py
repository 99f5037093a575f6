"""Evaluation: metrics (ROC-AUC, PR-AUC, Brier, confusion at the verdicts, per source), feature
importances, the false-alarm cost of the clean rows, plots."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..model import ModelScorer, default_model_path, load_model
from ..scoring import Evidence, Thresholds
from .data import Dataset, compute_evidence


def metrics(y, p_unreliable, thresholds: Thresholds, sources: Sequence[str] | None = None) -> dict:
    """ROC-AUC, PR-AUC (unreliable = positive), Brier, confusion at the verdicts, per source."""
    import numpy as np
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    y = np.asarray(y, dtype=int)
    p = np.asarray(p_unreliable, dtype=float)
    r = 1.0 - p
    verdicts = np.array([thresholds.verdict(x) for x in r])
    both = len(set(y.tolist())) == 2
    out = {
        "n": int(len(y)),
        "n_unreliable": int(y.sum()),
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
        "pr_auc": float(average_precision_score(y, p)) if both else None,
        "brier": float(brier_score_loss(y, p)) if len(y) else None,
        "thresholds": {"ok": thresholds.ok, "reject": thresholds.reject},
        "confusion": {
            lab: {v: int(((y == i) & (verdicts == v)).sum()) for v in ("ok", "review", "reject")}
            for i, lab in ((0, "reliable"), (1, "unreliable"))
        },
    }
    if len(y):
        pred_bad = verdicts != "ok"
        out["accuracy_at_ok"] = float((pred_bad == (y == 1)).mean())
    if sources is not None:
        src = np.asarray(list(sources))
        corpus = np.array([x.split("/", 1)[0] for x in src.tolist()])
        per = {}
        for s in sorted(set(src.tolist())):
            m = src == s
            ys, ps = y[m], p[m]
            # an all-unreliable source (one corruption operator) against every reliable row of
            # its corpus: how well that kind of damage alone is separated from clean copy
            vs = None
            if ys.size and (ys == 1).all():
                neg = (corpus == s.split("/", 1)[0]) & (y == 0)
                if neg.any():
                    vs = float(roc_auc_score(np.r_[np.zeros(int(neg.sum())), ys], np.r_[p[neg], ps]))
            per[s] = {
                "n": int(m.sum()),
                "unreliable_share": float(ys.mean()),
                "mean_reliability": float((1 - ps).mean()),
                "ok": int((verdicts[m] == "ok").sum()),
                "review": int((verdicts[m] == "review").sum()),
                "reject": int((verdicts[m] == "reject").sum()),
                "roc_auc": float(roc_auc_score(ys, ps)) if len(set(ys.tolist())) == 2 else None,
                "roc_auc_vs_reliable": vs,
            }
        out["per_source"] = per
        per_corpus = {}
        for c in sorted(set(corpus.tolist())):
            m = corpus == c
            if len(set(y[m].tolist())) == 2 and len(set(src[m].tolist())) > 1:
                per_corpus[c] = {"n": int(m.sum()), "roc_auc": float(roc_auc_score(y[m], p[m]))}
        out["per_corpus"] = per_corpus
    return out


def top_features(bundle: dict, k: int = 12) -> list[dict]:
    """Mean standardised logistic coefficients (positive = pushes towards unreliable) or, for
    gradient boosting, the model's split-gain importances are not exposed, so permutation
    importance is used by :func:`evaluate` instead."""
    import numpy as np

    pipe = bundle["pipeline"]
    names = [str(n) for n in pipe.named_steps["features"].get_feature_names_out()]
    clf = pipe.named_steps["clf"]
    coefs = []
    for cc in getattr(clf, "calibrated_classifiers_", []):
        est = cc.estimator
        if hasattr(est, "coef_"):
            coefs.append(est.coef_[0])
    if not coefs:
        return []
    c = np.mean(coefs, axis=0)
    order = np.argsort(-np.abs(c))[:k]
    return [{"feature": names[i], "weight": float(c[i])} for i in order]


def permutation_top_features(bundle: dict, evidence=None, y=None, k: int = 12, seed: int = 0, X=None,
                             max_rows: int = 800) -> list[dict]:
    """Permutation importance (ROC-AUC drop) on at most ``max_rows`` rows (seeded subsample)."""
    import numpy as np
    from sklearn.inspection import permutation_importance

    pipe = bundle["pipeline"]
    feat = pipe.named_steps["features"]
    if X is None:
        X = feat.transform(evidence)
    y = np.asarray(y)
    if len(set(y.tolist())) < 2:
        return []
    if len(y) > max_rows:
        idx = np.random.default_rng(seed).choice(len(y), max_rows, replace=False)
        X, y = X[idx], y[idx]
        if len(set(y.tolist())) < 2:
            return []
    res = permutation_importance(pipe[1:], X, y, scoring="roc_auc", n_repeats=3, random_state=seed, n_jobs=1)
    names = [str(n) for n in feat.get_feature_names_out()]
    order = np.argsort(-res.importances_mean)[:k]
    return [{"feature": names[i], "auc_drop": float(res.importances_mean[i])} for i in order]


def evaluate(
    ds: Dataset,
    model: str | os.PathLike | None = None,
    *,
    grammar: bool | None = None,
    evidence: list[Evidence] | None = None,
    progress: Callable[[int], None] | None = None,
    seed: int = 0,
) -> dict:
    """Metrics of a model (default: the embedded one) on a labelled dataset."""
    path = Path(model) if model is not None else default_model_path(bool(grammar))
    bundle = load_model(path)
    use_grammar = bundle.get("grammar", False) if grammar is None else grammar
    if evidence is None:
        evidence = compute_evidence(ds.texts, grammar="auto" if use_grammar else "off", progress=progress)
    scorer = ModelScorer(bundle)
    p = scorer.p_unreliable(evidence)
    res = metrics(ds.labels, p, scorer.thresholds, ds.sources)
    res["false_alarms"] = false_alarms(evidence, ds.labels, 1.0 - p, scorer, ds.sources)
    res["model"] = scorer.name
    res["model_path"] = str(path)
    res["data"] = str(ds.path)
    tf = top_features(bundle)
    if not tf:
        tf = permutation_top_features(bundle, evidence, ds.labels, seed=seed)
    res["top_features"] = tf
    res["_p"] = [float(x) for x in p]
    return res


def false_alarms(evidence: Sequence[Evidence], labels, reliability, scorer, sources=None) -> dict:
    """What the reliable (label 0) rows cost an editor: the share flagged ``review``/``reject``,
    the share rejected, flagged rows with neither findings nor reasons (must be 0), and findings
    per 1,000 words by family and by code — overall and per source."""
    import numpy as np

    y = np.asarray(labels, dtype=int)
    r = np.asarray(reliability, dtype=float)
    idx = [i for i in range(len(y)) if y[i] == 0]
    explain = getattr(scorer, "explain", None)
    reasons = explain([evidence[i] for i in idx]) if explain and idx else [[] for _ in idx]

    def summary(rows: list[int]) -> dict:
        pos = {i: k for k, i in enumerate(idx)}
        verdicts = [scorer.thresholds.verdict(float(r[i])) for i in rows]
        words = sum(float((evidence[i].stats or {}).get("words", 0.0)) for i in rows)
        fam: dict[str, int] = {}
        code: dict[str, int] = {}
        for i in rows:
            for f in evidence[i].findings:
                fam[f.family] = fam.get(f.family, 0) + 1
                code[f.code] = code.get(f.code, 0) + 1
        per = 1000.0 / words if words else 0.0
        silent = sum(1 for i, v in zip(rows, verdicts, strict=True)
                     if v != "ok" and not evidence[i].findings and not reasons[pos[i]])
        n = len(rows)
        return {
            "n": n,
            "words": int(words),
            "flagged_share": sum(v != "ok" for v in verdicts) / n if n else None,
            "rejected_share": sum(v == "reject" for v in verdicts) / n if n else None,
            "flagged_without_evidence": silent,
            "findings_per_1000w": round(sum(fam.values()) * per, 3),
            "by_family_per_1000w": {k: round(v * per, 3) for k, v in sorted(fam.items())},
            "by_code_per_1000w": {k: round(v * per, 3) for k, v in sorted(code.items(), key=lambda kv: -kv[1])},
        }

    out = summary(idx)
    if sources is not None:
        src = list(sources)
        out["per_source"] = {s: summary([i for i in idx if src[i] == s]) for s in sorted({src[i] for i in idx})}
    return out


def plot(res: dict, labels: Sequence[int], out: str | os.PathLike) -> None:
    """ROC and calibration curves (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import roc_curve

    y = np.asarray(labels)
    p = np.asarray(res["_p"])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4.5))
    if len(set(y.tolist())) == 2:
        fpr, tpr, _ = roc_curve(y, p)
        a1.plot(fpr, tpr, label=f"ROC-AUC {res['roc_auc']:.3f}")
        nb = max(2, min(10, len(y) // 20))
        frac, mean = calibration_curve(y, p, n_bins=nb, strategy="quantile")
        a2.plot(mean, frac, "o-", label=f"Brier {res['brier']:.3f}")
    a1.plot([0, 1], [0, 1], "k:", lw=1)
    a1.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (unreliable = positive)")
    a1.legend(loc="lower right")
    a2.plot([0, 1], [0, 1], "k:", lw=1)
    a2.set(xlabel="predicted P(unreliable)", ylabel="observed share unreliable", title="Calibration")
    a2.legend(loc="upper left")
    fig.suptitle(f"{res.get('model', '')} on {Path(str(res.get('data', ''))).name} (n={res['n']})")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def fmt(x) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"
