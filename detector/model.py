"""The trained reliability classifier at scoring time: loading a model file and scoring with it.

Training, cross-validation, thresholds, evaluation and plots are in :mod:`detector.training`
(which imports this module, never the reverse); the numpy-only evaluation of a compiled model
is in :mod:`detector.compiled`.

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
import os
from collections.abc import Sequence
from pathlib import Path

from .compiled import ArrayModel, compile_arrays, compile_bundle, shift_p
from .scoring import Evidence, Thresholds

__all__ = [
    "DEFAULT_GRAMMAR", "DEFAULT_NOGRAMMAR", "MODEL_FORMAT", "RESOURCES", "TRUSTED_TYPES", "ArrayModel",
    "CompiledScorer", "ModelError", "ModelFormatError", "ModelScorer", "UntrustedModelError",
    "compile_arrays", "compile_bundle", "default_model_path", "load_model", "load_scorer",
    "save_model", "shift_p", "untrusted_types",
]

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


class ModelScorer:
    """A scorer backed by a scikit-learn pipeline from a skops file."""

    def __init__(self, bundle: dict, name: str | None = None):
        self.bundle = bundle
        self.pipeline = bundle["pipeline"]
        self.name = name or str(bundle.get("name") or "model")
        self.thresholds = _thresholds(bundle)
        self.grammar = bool(bundle.get("grammar", False))
        self.shift = float(bundle.get("prior_shift", 0.0) or 0.0)
        self._compiled: ArrayModel | None | bool = False

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
            self._compiled = None if c is None else ArrayModel(*c)
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
        self.model = ArrayModel(meta, arrays)
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

    def reliability_and_reasons(self, evidence: list[Evidence]) -> tuple[list[float], list]:
        """:meth:`reliability` and :meth:`explain` from one feature matrix and one evaluation of
        the model (the same numbers as the two calls)."""
        if not evidence:
            return [], []
        p, reasons = self.model.explain_matrix(self.model.matrix(evidence), self.thresholds)
        return [round(1.0 - float(x), 4) for x in p], reasons


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
