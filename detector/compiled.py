"""A trained model as plain arrays, evaluated with numpy alone (no scikit-learn import).

:func:`compile_arrays` turns a fitted pipeline (logistic regression or gradient-boosted trees
inside ``CalibratedClassifierCV``; imports scikit-learn) into ``(meta, arrays)``;
:func:`compile_bundle` writes them as the ``.npz`` beside a model file; :class:`ArrayModel`
evaluates them: P(unreliable) and the exact per-feature parts of the log-odds that
:mod:`detector.explain` turns into reasons. Used by :mod:`detector.model` (scoring) and
:mod:`detector.training` (writing the compiled copy).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from .scoring import Evidence, Thresholds


def shift_p(p_unreliable, shift: float):
    """P(unreliable) after adding ``shift`` to the log-odds of reliable."""
    import numpy as np

    p = np.clip(np.asarray(p_unreliable, dtype=float), 1e-12, 1 - 1e-12)
    return 1.0 / (1.0 + np.exp(np.log((1 - p) / p) + shift))


class ArrayModel:
    """Evaluates a compiled model (plain arrays; numpy only): P(unreliable) and the exact
    per-feature parts of the log-odds that :mod:`detector.explain` turns into reasons."""

    def __init__(self, meta: dict, arrays: dict):
        self.meta = meta
        self.arrays = arrays
        self.feature_names = meta["feature_names"]
        self.shift = float(meta.get("prior_shift", 0.0))
        typ = meta.get("typical")
        self.typical = None if typ is None else [float(v) for v in typ]

    def _transform(self, X):
        from .features import signed_log1p

        a = self.arrays
        if self.meta.get("log"):
            X = signed_log1p(X)
        if "scale_mean" in a:
            X = (X - a["scale_mean"]) / a["scale_scale"]
        return X

    def matrix(self, evidence: Sequence[Evidence]):
        from .features import evidence_matrix

        return evidence_matrix(list(evidence), self.feature_names)

    def p_from_matrix(self, X):
        a = self.arrays
        Z = self._transform(X)
        if self.meta["kind"] == "logreg":
            return self._p_of(lambda i: Z @ a["coef"][i] + a["intercept"][i], Z.shape[0])
        return self._p_of(lambda i: _trees_decision(Z, a, i), Z.shape[0])

    def _p_of(self, decision, n: int):
        """P(unreliable) of ``n`` rows from ``decision(i)``, the raw decision function of
        classifier ``i`` on them: calibrated, averaged over the classifiers, prior-shifted."""
        import numpy as np

        a = self.arrays
        probs = np.zeros(n)
        k = int(self.meta["n_classifiers"])
        for i in range(k):
            f = decision(i)
            if self.meta["calibration"] == "sigmoid":
                p = 1.0 / (1.0 + np.exp(a["cal_a"][i] * f + a["cal_b"][i]))
            else:  # isotonic
                p = np.interp(f, a[f"iso_x{i}"], a[f"iso_y{i}"])
            probs += p
        p = probs / k
        return shift_p(p, self.shift) if self.shift else p

    def parts(self, X):
        """Per-feature parts of the log-odds of *reliable* (n x features). Exact (they and a
        constant sum to the log-odds) for one sigmoid-calibrated classifier; with several
        calibrated copies (older models) their mean; with isotonic calibration the raw
        decision-function parts, sign-flipped (right direction, not log-odds)."""
        import numpy as np

        a = self.arrays
        Z = self._transform(X)
        k = int(self.meta["n_classifiers"])
        out = np.zeros(Z.shape)
        for i in range(k):
            if self.meta["kind"] == "logreg":
                raw = Z * a["coef"][i][None, :]
            else:
                raw = _trees_parts(Z, a, i)
            scale = float(a["cal_a"][i]) if self.meta["calibration"] == "sigmoid" else -1.0
            out += scale * raw  # log-odds(reliable) = a*f + b: a < 0 turns "unreliable" parts around
        return out / k

    def explain(self, evidence: Sequence[Evidence], thresholds: Thresholds):
        """Reasons (``detector.explain.pick_reasons``) for each article."""
        if not evidence:
            return []
        return self.explain_matrix(self.matrix(evidence), thresholds)[1]

    def explain_matrix(self, X, thresholds: Thresholds):
        """``(P(unreliable), reasons)`` of the rows of a feature matrix: the probabilities are
        :meth:`p_from_matrix`'s, computed once for both (the reasons need them)."""
        import numpy as np

        from .explain import pick_reasons

        P = self.parts(X)
        typical = np.asarray(self.typical if self.typical is not None else np.zeros(X.shape[1]))[None, :]
        ref = self.parts(typical)[0]
        p = self.p_from_matrix(X)
        r = 1.0 - p
        alone = self._alone_effects(X, typical[0], p, P) if self.typical is not None else None
        out = []
        for i in range(X.shape[0]):
            effects = P[i] - ref
            flagged = thresholds.verdict(float(r[i])) != "ok"
            out.append(pick_reasons(self.feature_names, X[i], typical[0] if self.typical is not None else None,
                                    effects, flagged=flagged, alone=None if alone is None else alone[i]))
        return p, out

    def _alone_effects(self, X, typical, p, parts):
        """(n x features): log-odds(reliable) of the article minus that of the same article with
        one feature set to its typical value (0 where the value is typical). Only where the
        feature has a part: a feature no split on the article's paths looks at cannot change the
        score by itself. All rows of the batch in a few evaluations."""
        import numpy as np

        rows, cols = np.nonzero((np.abs(X - typical[None, :]) > 1e-12) & (parts != 0))
        out = np.zeros(X.shape)
        if rows.size == 0:
            return out

        def logodds(q):
            q = np.clip(q, 1e-15, 1 - 1e-15)
            return np.log((1 - q) / q)

        base = logodds(p)
        # trees on the raw features (no log or scaling): only the trees whose path for the row
        # splits on the changed feature are walked again, the others keep the row's leaf (the
        # same leaves, so the same sums as walking every tree: see _trees_decision_changed)
        a = self.arrays
        raw = self.meta["kind"] != "logreg" and not self.meta.get("log") and "scale_mean" not in a
        step = 4096  # rows per evaluation: memory stays bounded however large the batch
        for k in range(0, rows.size, step):
            r, c = rows[k : k + step], cols[k : k + step]
            Xc = X[r].copy()
            Xc[np.arange(r.size), c] = typical[c]
            if raw:
                pc = self._p_of(lambda i: _trees_decision_changed(X, Xc, r, c, a, i), r.size)  # noqa: B023
            else:
                pc = self.p_from_matrix(Xc)
            out[r, c] = base[r] - logodds(pc)
        return out


def _walk_trees(X, a: dict, i: int, step=None):
    """Send every row down every tree of classifier ``i`` at once (flat arrays); returns the leaf
    index per (row, tree). ``step(rows, node, next_node, live)`` is called at every level."""
    import numpy as np

    roots = a[f"t{i}_roots"]
    idx = np.broadcast_to(roots, (X.shape[0], roots.size)).copy()
    rows = np.broadcast_to(np.arange(X.shape[0])[:, None], idx.shape)
    return _descend(X, rows, idx, a, i, step)


def _descend(X, rows, idx, a: dict, i: int, step=None):
    """Walk each start node ``idx`` down its tree to a leaf, splitting on row ``rows`` of ``X``."""
    import numpy as np

    feat, thr = a[f"t{i}_feat"], a[f"t{i}_thr"]
    left, right, leaf = a[f"t{i}_left"], a[f"t{i}_right"], a[f"t{i}_leaf"]
    for _ in range(int(a[f"t{i}_depth"]) + 1):
        is_leaf = leaf[idx]
        if is_leaf.all():
            break
        go_left = X[rows, feat[idx]] <= thr[idx]
        nxt = np.where(is_leaf, idx, np.where(go_left, left[idx], right[idx]))
        if step is not None:
            step(rows, idx, nxt, ~is_leaf)
        idx = nxt
    return idx


def _trees_decision(X, a: dict, i: int):
    """Raw decision function of gradient-boosted trees stored as flat arrays (all trees at once)."""
    return a[f"t{i}_value"][_walk_trees(X, a, i)].sum(axis=1) + a[f"t{i}_base"]


def _trees_decision_changed(X, Xc, r, c, a: dict, i: int):
    """:func:`_trees_decision` of ``Xc``, where row ``j`` is ``X[r[j]]`` with only feature
    ``c[j]`` changed. A tree whose path for ``X[r[j]]`` never splits on ``c[j]`` ends in the same
    leaf for both rows, so each distinct row of ``X`` is walked once (recording the features its
    paths split on) and only the other (row, tree) pairs are walked again on ``Xc``: the same leaf
    array as walking ``Xc`` whole, hence the same sums."""
    import numpy as np

    feat = a[f"t{i}_feat"]
    ur, pos = np.unique(r, return_inverse=True)
    changed = np.zeros((r.size, a[f"t{i}_roots"].size), dtype=bool)  # (pair, tree)
    col = c[:, None]

    def record(rows, node, nxt, live):  # at each level: does the split use the pair's feature?
        changed[...] |= np.where(live, feat[node], -1)[pos] == col

    leaves = _walk_trees(X[ur], a, i, record)[pos]
    pr, pt = np.nonzero(changed)
    if pr.size:
        leaves[pr, pt] = _descend(Xc, pr, a[f"t{i}_roots"][pt], a, i)
    return a[f"t{i}_value"][leaves].sum(axis=1) + a[f"t{i}_base"]


def _trees_parts(X, a: dict, i: int):
    """Per-feature parts of the trees' raw decision function (Saabas decomposition): along each
    row's path, the change of the node mean (count-weighted mean of the leaf values below it) at
    a split goes to the split feature. Sum over features + root means + base = decision."""
    import numpy as np

    feat, leaf = a[f"t{i}_feat"], a[f"t{i}_leaf"]
    mean = a.get(f"t{i}_mean")
    if mean is None:  # compiled before node means were stored: leaf values only
        mean = np.where(leaf, a[f"t{i}_value"], 0.0)
    parts = np.zeros(X.shape)

    def step(rows, node, nxt, live):
        np.add.at(parts, (rows[live], feat[node][live]), (mean[nxt] - mean[node])[live])

    _walk_trees(X, a, i, step)
    return parts


def _node_means(nodes):
    """Count-weighted mean of the leaf values under each node (a leaf: its value)."""
    import numpy as np

    n = len(nodes)
    mean = np.zeros(n)
    cnt = nodes["count"].astype(np.float64)
    order = []
    stack = [0]
    while stack:  # pre-order, then evaluated in reverse (children before parents)
        k = stack.pop()
        order.append(k)
        if not nodes["is_leaf"][k]:
            stack.extend((int(nodes["left"][k]), int(nodes["right"][k])))
    for k in reversed(order):
        if nodes["is_leaf"][k]:
            mean[k] = float(nodes["value"][k])
        else:
            lft, rgt = int(nodes["left"][k]), int(nodes["right"][k])
            cl, cr = max(cnt[lft], 1e-12), max(cnt[rgt], 1e-12)
            mean[k] = (cl * mean[lft] + cr * mean[rgt]) / (cl + cr)
    return mean


def _flatten_hgb(est, i: int) -> dict:
    import numpy as np

    feat, thr, left, right, leaf, value, mean, roots = [], [], [], [], [], [], [], []
    depth = 0
    off = 0
    for stage in est._predictors:
        nodes = stage[0].nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        roots.append(off)
        feat.append(nodes["feature_idx"].astype(np.int64))
        thr.append(nodes["num_threshold"].astype(np.float64))
        left.append(nodes["left"].astype(np.int64) + off)
        right.append(nodes["right"].astype(np.int64) + off)
        leaf.append(nodes["is_leaf"].astype(bool))
        value.append(nodes["value"].astype(np.float64))
        mean.append(_node_means(nodes))
        depth = max(depth, int(nodes["depth"].max()))
        off += len(nodes)
    return {
        f"t{i}_feat": np.concatenate(feat),
        f"t{i}_thr": np.concatenate(thr),
        f"t{i}_left": np.concatenate(left),
        f"t{i}_right": np.concatenate(right),
        f"t{i}_leaf": np.concatenate(leaf),
        f"t{i}_value": np.concatenate(value),
        f"t{i}_mean": np.concatenate(mean),
        f"t{i}_roots": np.array(roots, dtype=np.int64),
        f"t{i}_depth": np.array(depth),
        f"t{i}_base": np.array(float(np.ravel(est._baseline_prediction)[0])),
    }


def compile_arrays(bundle: dict) -> tuple[dict, dict] | None:
    """(meta, arrays) of the numpy-only copy of a bundle (logistic regression or gradient boosting
    inside CalibratedClassifierCV); None if the pipeline has another shape."""
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    pipe = bundle["pipeline"]
    steps = dict(pipe.named_steps)
    clf = steps.get("clf")
    if not isinstance(clf, CalibratedClassifierCV):
        return None
    coefs, intercepts, cal_a, cal_b, iso = [], [], [], [], {}
    method = clf.method
    if method not in ("sigmoid", "isotonic"):
        return None
    kind = None
    for i, cc in enumerate(clf.calibrated_classifiers_):
        est = cc.estimator
        if isinstance(est, LogisticRegression):
            kind = "logreg"
            coefs.append(est.coef_[0])
            intercepts.append(est.intercept_[0])
        elif isinstance(est, HistGradientBoostingClassifier):
            kind = "hgb"
            try:
                iso.update(_flatten_hgb(est, i))
            except ValueError:
                return None
        else:
            return None
        cal = cc.calibrators[0]
        if method == "sigmoid":
            cal_a.append(cal.a_)
            cal_b.append(cal.b_)
        else:
            iso[f"iso_x{i}"] = np.asarray(cal.X_thresholds_, dtype=float)
            iso[f"iso_y{i}"] = np.asarray(cal.y_thresholds_, dtype=float)
    arrays = {"coef": np.array(coefs), "intercept": np.array(intercepts)} if kind == "logreg" else {}
    if method == "sigmoid":
        arrays.update(cal_a=np.array(cal_a), cal_b=np.array(cal_b))
    arrays.update(iso)
    if "scale" in steps:
        arrays.update(scale_mean=steps["scale"].mean_, scale_scale=steps["scale"].scale_)
    meta = {
        "name": bundle["name"],
        "thresholds": list(bundle["thresholds"]),
        "grammar": bool(bundle.get("grammar")),
        "feature_names": [str(n) for n in steps["features"].get_feature_names_out()],
        "log": "log" in steps,
        "calibration": method,
        "kind": kind,
        "n_classifiers": len(clf.calibrated_classifiers_),
        "prior_shift": float(bundle.get("prior_shift", 0.0) or 0.0),
        "typical": bundle.get("typical"),
    }
    return meta, arrays


def compile_bundle(bundle: dict, out: str | os.PathLike) -> bool:
    """Write the numpy-only copy of a bundle (see :func:`compile_arrays`); False if the pipeline
    has another shape."""
    import numpy as np

    c = compile_arrays(bundle)
    if c is None:
        return False
    meta, arrays = c
    np.savez_compressed(out, meta=np.array(json.dumps(meta)), **arrays)
    return True
