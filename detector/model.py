"""The trained reliability classifier: loading, scoring, training and evaluation.

Scorer interface (see :mod:`detector.scoring`): ``.name``, ``.thresholds``,
``.reliability(evidence) -> list[float]`` with reliability = P(reliable) = 1 - P(unreliable)
(label 1 = unreliable).

Model files
-----------
A model is a skops file holding a dict ``{"format", "name", "pipeline", "thresholds",
"grammar", "feature_names", "estimator"}``; ``pipeline`` is a scikit-learn ``Pipeline``
(``EvidenceVectorizer`` -> [``SignedLog1p`` -> ``StandardScaler``] -> ``CalibratedClassifierCV``)
whose ``predict_proba`` takes a list of :class:`~detector.scoring.Evidence`. Loading trusts
only the exact type names in :data:`TRUSTED_TYPES` (the types the project's own pipelines
contain beyond what skops itself trusts: containers, numpy arrays, vetted scikit-learn
estimators) and refuses a file holding any other type, before any object is built, with
:class:`UntrustedModelError` naming the types. Never a prefix: ``sklearn.*``/``numpy.*`` hold
functions that run code when a crafted file calls them.

The embedded default models live in ``detector/resources/``: ``default-nogrammar-v1.skops``
(used when LanguageTool did not run) and, when it was trained, ``default-grammar-v1.skops``. Each
has a ``.card.json`` model card and a ``.npz`` "compiled" copy (the same coefficients and
calibration maps as plain arrays) that :class:`CompiledScorer` evaluates with numpy alone, so
``detector score`` does not import scikit-learn (about 1 s) on a cold start. A test checks the
compiled copy against the skops pipeline.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .scoring import Evidence, Thresholds

RESOURCES = Path(__file__).resolve().parent / "resources"
MODEL_FORMAT = "detector-model/1"
DEFAULT_NOGRAMMAR = "default-nogrammar-v1"
DEFAULT_GRAMMAR = "default-grammar-v1"
# Exact names, checked against skops.io.get_untrusted_types(); tests/test_model_safety.py fails
# when a pipeline `detector train` can produce holds a type missing here (add it deliberately).
TRUSTED_TYPES = frozenset(
    {
        "detector.features.EvidenceVectorizer",
        "detector.features.SignedLog1p",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    }
)
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
LABELS = {"0": 0, "1": 1, "reliable": 0, "unreliable": 1}


class ModelError(ValueError):
    """A model file cannot be used (missing, not a model, or untrusted)."""


class UntrustedModelError(ModelError):
    """A model file contains types outside the trusted allow-list."""


class ModelFormatError(ModelError):
    """A file is not a detector model."""


# --------------------------------------------------------------------------------------------
# loading and scoring
# --------------------------------------------------------------------------------------------
def untrusted_types(path: str | os.PathLike) -> list[str]:
    """Types in the skops file that skops does not trust by default and we do not allow."""
    from skops.io import get_untrusted_types

    return sorted(t for t in get_untrusted_types(file=str(path)) if t not in TRUSTED_TYPES)


def load_model(path: str | os.PathLike) -> dict:
    """Load a model bundle from a skops file, refusing untrusted types."""
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    try:  # reads the schema only: nothing is built
        all_untrusted = sio.get_untrusted_types(file=str(path))
    except Exception as e:  # not a zip / not skops / a schema too deep or malformed to audit
        raise ModelFormatError(f"{path}: not a skops model file ({type(e).__name__}: {e})") from None
    bad = sorted(t for t in all_untrusted if t not in TRUSTED_TYPES)
    if bad:
        raise UntrustedModelError(
            f"{path}: refusing to load a model containing untrusted types: {', '.join(bad)} "
            "(only the types of detector's own pipelines are allowed)"
        )
    try:  # skops audits the tree again against exactly these names before building anything
        obj = sio.load(str(path), trusted=sorted(all_untrusted))
    except Exception as e:
        raise ModelFormatError(f"{path}: cannot load the model ({type(e).__name__}: {e})") from None
    if isinstance(obj, dict) and obj.get("format") == MODEL_FORMAT:
        return obj
    if hasattr(obj, "predict_proba"):  # a bare pipeline: wrap it with defaults
        return {
            "format": MODEL_FORMAT,
            "name": path.stem,
            "pipeline": obj,
            "thresholds": [Thresholds().ok, Thresholds().reject],
            "grammar": False,
            "estimator": type(obj).__name__,
        }
    raise ModelFormatError(f"{path}: not a detector model (no '{MODEL_FORMAT}' bundle)")


def save_model(bundle: dict, path: str | os.PathLike) -> None:
    import skops.io as sio

    from .io import atomic_write

    # serialised in memory, then written atomically with the user's umask (a unique temp file)
    atomic_write(path, sio.dumps(bundle))


def _thresholds(bundle: dict) -> Thresholds:
    ok, reject = bundle.get("thresholds") or (Thresholds().ok, Thresholds().reject)
    return Thresholds(ok=float(ok), reject=float(reject))


class _ArrayModel:
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
        import numpy as np

        a = self.arrays
        Z = self._transform(X)
        probs = np.zeros(Z.shape[0])
        k = int(self.meta["n_classifiers"])
        for i in range(k):
            if self.meta["kind"] == "logreg":
                f = Z @ a["coef"][i] + a["intercept"][i]
            else:
                f = _trees_decision(Z, a, i)
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
        import numpy as np

        from .explain import pick_reasons

        if not evidence:
            return []
        X = self.matrix(evidence)
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
        return out

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
        step = 4096  # rows per evaluation: memory stays bounded however large the batch
        for k in range(0, rows.size, step):
            r, c = rows[k : k + step], cols[k : k + step]
            Xc = X[r].copy()
            Xc[np.arange(r.size), c] = typical[c]
            out[r, c] = base[r] - logodds(self.p_from_matrix(Xc))
        return out


class ModelScorer:
    """A scorer backed by a scikit-learn pipeline from a skops file."""

    def __init__(self, bundle: dict, name: str | None = None):
        self.bundle = bundle
        self.pipeline = bundle["pipeline"]
        self.name = name or str(bundle.get("name") or "model")
        self.thresholds = _thresholds(bundle)
        self.grammar = bool(bundle.get("grammar", False))
        self.shift = float(bundle.get("prior_shift", 0.0) or 0.0)
        self._compiled: _ArrayModel | None | bool = False

    def p_unreliable(self, evidence: Sequence[Evidence]):
        p = self.pipeline.predict_proba(list(evidence))[:, 1]
        return shift_p(p, self.shift) if self.shift else p

    def reliability(self, evidence: list[Evidence]) -> list[float]:
        if not evidence:
            return []
        if self.grammar and any(ev.grammar != "ok" for ev in evidence):
            import warnings

            warnings.warn(
                f"model {self.name} was trained with LanguageTool features but grammar did not run; "
                "its scores are biased towards 'reliable' (train a --no-grammar model for this case)",
                stacklevel=2,
            )
        return [round(1.0 - float(p), 4) for p in self.p_unreliable(evidence)]

    def explain(self, evidence: list[Evidence]):
        """Reasons per article, from the same model compiled to arrays (exact parts); empty lists
        for a pipeline of another shape."""
        if self._compiled is False:
            c = compile_arrays(self.bundle)
            self._compiled = None if c is None else _ArrayModel(*c)
        if self._compiled is None:
            return [[] for _ in evidence]
        return self._compiled.explain(evidence, self.thresholds)


class CompiledScorer:
    """The same model evaluated from plain arrays (numpy only; no scikit-learn import)."""

    def __init__(self, npz_path: str | os.PathLike):
        import numpy as np

        with np.load(npz_path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            arrays = {k: z[k] for k in z.files if k != "meta"}
        self.model = _ArrayModel(meta, arrays)
        self.arrays = arrays
        self.meta = meta
        self.name = meta["name"]
        self.thresholds = Thresholds(ok=meta["thresholds"][0], reject=meta["thresholds"][1])
        self.grammar = bool(meta.get("grammar", False))
        self.feature_names = meta["feature_names"]

    def p_unreliable(self, evidence: Sequence[Evidence]):
        return self.model.p_from_matrix(self.model.matrix(evidence))

    def reliability(self, evidence: list[Evidence]) -> list[float]:
        if not evidence:
            return []
        return [round(1.0 - float(p), 4) for p in self.p_unreliable(evidence)]

    def explain(self, evidence: list[Evidence]):
        return self.model.explain(evidence, self.thresholds)


def _walk_trees(X, a: dict, i: int, step=None):
    """Send every row down every tree of classifier ``i`` at once (flat arrays); returns the leaf
    index per (row, tree). ``step(rows, node, next_node, live)`` is called at every level."""
    import numpy as np

    feat, thr = a[f"t{i}_feat"], a[f"t{i}_thr"]
    left, right, leaf = a[f"t{i}_left"], a[f"t{i}_right"], a[f"t{i}_leaf"]
    roots = a[f"t{i}_roots"]
    idx = np.broadcast_to(roots, (X.shape[0], roots.size)).copy()
    rows = np.broadcast_to(np.arange(X.shape[0])[:, None], idx.shape)
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


def default_model_path(grammar_available: bool) -> Path:
    if grammar_available and (RESOURCES / f"{DEFAULT_GRAMMAR}.skops").exists():
        return RESOURCES / f"{DEFAULT_GRAMMAR}.skops"
    return RESOURCES / f"{DEFAULT_NOGRAMMAR}.skops"


def load_scorer(model: str | os.PathLike | None = None, *, grammar_available: bool = True):
    """The scorer for ``detector score``: ``model`` (a .skops file) if given, else the embedded
    default — the grammar variant when LanguageTool ran and that variant is installed, otherwise
    the no-grammar variant (its name, e.g. ``default-nogrammar-v1``, is reported)."""
    if model is not None:
        bundle = load_model(model)
        return ModelScorer(bundle)
    path = default_model_path(grammar_available)
    compiled = path.with_suffix(".npz")
    if compiled.exists():
        return CompiledScorer(compiled)
    if path.exists():
        return ModelScorer(load_model(path))
    from .scoring import RuleScorer

    return RuleScorer()


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------
@dataclass
class Dataset:
    texts: list[str]
    labels: list[int]
    sources: list[str]
    groups: list[str]
    problems: list[str]
    path: str = ""
    weights: list[float] | None = None  # optional per-row sample weights ('weight' field)


def parse_label(value) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if value in (0, 1) else None
    if isinstance(value, str):
        return LABELS.get(value.strip().lower())
    return None


def read_dataset(path: str | os.PathLike) -> Dataset:
    """Read labelled JSONL or CSV: ``text`` (or ``path``, relative to the data file) and
    ``label`` in {reliable, unreliable, 0, 1}; optional ``source``, ``group`` and ``weight``
    (a positive sample weight; e.g. a soft label is two rows of one text with weights p, 1-p). Malformed rows
    are skipped and reported with their line numbers in ``Dataset.problems`` (``"line N: why"``).

    Each row is read behind its own failure boundary: whatever one row raises (invalid UTF-8, a
    number of more than 4,300 digits, nesting too deep, a CSV field over the size limit, ...) is
    that row's problem and the other rows are still read. JSONL is split on ``\\n`` only (raw
    U+2028/U+2029/U+0085 inside JSON strings stay in their record). Only a file that cannot be
    opened, or a CSV without a usable header, raises (OSError / ValueError)."""
    import csv
    import io as _io

    from .io import failure_reason, json_problem

    path = Path(path)
    base = path.parent
    texts, labels, sources, groups, problems, weights = [], [], [], [], [], []

    def add(lineno: int, row) -> None:
        if not isinstance(row, dict):
            problems.append(f"line {lineno}: not an object")
            return
        label = parse_label(row.get("label"))
        if label is None:
            problems.append(f"line {lineno}: label {row.get('label')!r} is not one of reliable, unreliable, 0, 1")
            return
        text = row.get("text")
        if not text and row.get("path"):
            p = Path(str(row["path"]))
            p = p if p.is_absolute() else base / p
            try:
                text = p.read_text(encoding="utf-8", errors="replace")
            except OSError as e:
                problems.append(f"line {lineno}: cannot read {p}: {e.strerror or e}")
                return
        if not isinstance(text, str) or not text.strip():
            problems.append(f"line {lineno}: no 'text' (or readable 'path')")
            return
        weight = row.get("weight")
        if weight in (None, ""):
            weight = 1.0
        try:
            weight = float(weight)
            if not weight > 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"line {lineno}: weight {row.get('weight')!r} is not a positive number")
            return
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            problems.append(f"line {lineno}: invalid UTF-8 (or an unpaired surrogate) in the text")
            return
        source, group = str(row.get("source") or "user"), str(row.get("group") or f"row{lineno}")
        weights.append(weight)
        texts.append(text)
        labels.append(label)
        sources.append(source)
        groups.append(group)

    def add_safely(lineno: int, row) -> None:
        try:
            add(lineno, row)
        except Exception as e:  # the per-row failure boundary
            problems.append(f"line {lineno}: {failure_reason(e)}")

    data = path.read_bytes()
    if path.suffix.lower() == ".csv":
        # undecodable bytes become lone surrogates, reported by add() for the row holding them
        reader = csv.DictReader(_io.StringIO(data.decode("utf-8-sig", "surrogateescape"), newline=""))
        try:
            fieldnames = reader.fieldnames
        except csv.Error as e:
            raise ValueError(f"{path}: CSV header unreadable ({e})") from None
        if not fieldnames or "label" not in fieldnames:
            raise ValueError(f"{path}: CSV needs a header with 'label' and 'text' or 'path'")
        while True:
            before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                problems.append(f"line {reader.line_num}: malformed CSV ({e})")
                if reader.line_num == before:
                    break
                continue
            add_safely(reader.line_num, row)
    else:
        for lineno, raw in enumerate(data.split(b"\n"), 1):
            if lineno == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append(f"line {lineno}: invalid UTF-8 at byte {e.start} of the line")
                continue
            try:
                row = json.loads(line)
            except Exception as e:  # JSONDecodeError, ValueError (huge int), RecursionError (deep)
                msg = f"invalid JSON ({e.msg})" if isinstance(e, json.JSONDecodeError) else json_problem(e)
                problems.append(f"line {lineno}: {msg}")
                continue
            add_safely(lineno, row)
    has_w = any(w != 1.0 for w in weights)
    return Dataset(texts, labels, sources, groups, problems, str(path), weights if has_w else None)


def data_warnings(ds: Dataset) -> list[str]:
    out = []
    n = len(ds.labels)
    if n < 50:
        out.append(f"only {n} usable examples: the model and its metrics will be unreliable (aim for 200+)")
    if n:
        pos = sum(ds.labels)
        share = min(pos, n - pos) / n
        if share < 0.1:
            out.append(
                f"very unbalanced data: {pos} unreliable vs {n - pos} reliable "
                f"(minority share {share:.0%}); probabilities are calibrated to this mix"
            )
    return out


def compute_evidence(
    texts: Sequence[str], *, grammar: str = "off", progress: Callable[[int], None] | None = None
) -> list[Evidence]:
    """Evidence for each text via :func:`detector.api.analyse`, one article per batch (so
    cross-article name evidence does not link unrelated training texts)."""
    from . import api

    checker = "off"
    if grammar != "off":
        from .families import grammar as grammar_family

        checker, status = grammar_family.open_checker(grammar)
        if checker is None:
            raise RuntimeError(f"LanguageTool is {status}; train without grammar (--no-grammar)")
    out = []
    for t in texts:
        _, ev = api.analyse([t], grammar=checker)
        out.extend(ev)
        if progress:
            progress(1)
    return out


# --------------------------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------------------------
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
        from .features import monotonic_constraints

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

        from .features import SignedLog1p

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


def shift_p(p_unreliable, shift: float):
    """P(unreliable) after adding ``shift`` to the log-odds of reliable."""
    import numpy as np

    p = np.clip(np.asarray(p_unreliable, dtype=float), 1e-12, 1 - 1e-12)
    return 1.0 / (1.0 + np.exp(np.log((1 - p) / p) + shift))


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


def _versions() -> dict:
    import numpy
    import sklearn
    import skops

    from . import __version__ as detector_version

    return {
        "python": sys.version.split()[0],
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "skops": skops.__version__,
        "detector": detector_version,
    }


def _sha256(path: str) -> str:
    from .io import file_sha256

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

    from .features import EvidenceVectorizer

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
    from .io import atomic_write

    atomic_write(card_path, json.dumps(card, indent=2) + "\n")
    card["_bundle"] = bundle
    return card


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
