"""The classifier's named feature vector, and the scikit-learn transformers that compute it.

Every feature is a *rate* (length-normalised), so articles of any length are comparable and
the model cannot learn article length or layout as a shortcut. Names and meaning:

============================  =================================================================
``fam:<family>_per1kw``       findings of that family per 1,000 words (repetition,
                              duplicate-block, name, broken-sentence, boilerplate, fluency;
                              + grammar, spelling in the grammar variant)
``code:<CODE>_per1kw``        findings with that code per 1,000 words (every code in
                              ``findings.CODES``; NAM004 only in the grammar variant)
``sev:<severity>_per1kw``     findings of severity info / warning / error per 1,000 words
``any:<family>``              1 when the family has at least one finding, else 0
``count:families``            number of families with at least one finding (breadth of evidence)
``stat:<key>``                a document statistic from ``families.STATS``: readability
                              (Flesch, FK grade, Fog, SMOG, Coleman-Liau, ARI, Dale-Chall, words per
                              sentence, syllables/letters per word, polysyllable and difficult-word
                              shares), Gopher repetition fractions (``families.docstats``) and
                              fluency statistics (``families.fluency``: unseen reference bigrams,
                              OOV share, tortured phrases, article share, windowed TTR)
``lt:<CATEGORY>``             LanguageTool matches of that category per 100 words
                              (``lt_<CATEGORY>_per100w`` stats; grammar variant only)
============================  =================================================================

Words are floored at 100 in the denominators so that one hit in a three-line snippet does not
look like a flood. Missing statistics are 0.

The pure functions (:func:`feature_names`, :func:`evidence_matrix`, :func:`signed_log1p`) need
only numpy, so the default model can score without importing scikit-learn (cold start). The
scikit-learn transformers :class:`EvidenceVectorizer` and :class:`SignedLog1p` are created on first
access (module ``__getattr__``), which keeps ``import detector.features`` cheap while letting
skops find them as ``detector.features.EvidenceVectorizer``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .families import docstats as _docstats
from .families import fluency as _fluency
from .families import readability as _readability
from .findings import CODES, FAMILIES

if TYPE_CHECKING:  # pragma: no cover
    from .scoring import Evidence

GRAMMAR_FAMILIES = ("grammar", "spelling")
GRAMMAR_CODES = ("NAM004",)
SEVERITIES = ("info", "warning", "error")

READABILITY_KEYS = tuple(_readability.CLIP)
DOCSTAT_KEYS = _docstats.KEYS
FLUENCY_KEYS = _fluency.STAT_KEYS
STAT_KEYS = READABILITY_KEYS + DOCSTAT_KEYS + FLUENCY_KEYS

# LanguageTool categories (ids) that get a feature in the grammar variant even when unseen.
LT_CATEGORIES = (
    "TYPOS",
    "GRAMMAR",
    "PUNCTUATION",
    "TYPOGRAPHY",
    "CASING",
    "STYLE",
    "REDUNDANCY",
    "CONFUSED_WORDS",
    "COLLOCATIONS",
    "SEMANTICS",
    "MISC",
    "COMPOUNDING",
    "NONSTANDARD_PHRASES",
    "REPETITIONS",
    "REPETITIONS_STYLE",
    "BRITISH_ENGLISH",
    "AMERICAN_ENGLISH",
    "PLAIN_ENGLISH",
)
WORD_FLOOR = 100.0


def families_for(grammar: bool) -> list[str]:
    return [f for f in FAMILIES if grammar or f not in GRAMMAR_FAMILIES]


def codes_for(grammar: bool) -> list[str]:
    return [c for c, (fam, _) in CODES.items() if (grammar or (fam not in GRAMMAR_FAMILIES and c not in GRAMMAR_CODES))]


def feature_names(grammar: bool = False, lt_categories: Sequence[str] = LT_CATEGORIES) -> list[str]:
    fams = families_for(grammar)
    names = [f"fam:{f}_per1kw" for f in fams]
    names += [f"code:{c}_per1kw" for c in codes_for(grammar)]
    names += [f"sev:{s}_per1kw" for s in SEVERITIES]
    names += [f"any:{f}" for f in fams]
    names += ["count:families"]
    names += [f"stat:{k}" for k in STAT_KEYS]
    if grammar:
        names += [f"lt:{c}" for c in lt_categories]
    return names


def evidence_matrix(evidence: Sequence[Evidence], names: Sequence[str]):
    """The feature matrix (``len(evidence) x len(names)``, float64) for these feature names."""
    import numpy as np

    index = {n: j for j, n in enumerate(names)}
    X = np.zeros((len(evidence), len(names)), dtype=np.float64)
    for i, ev in enumerate(evidence):
        stats = ev.stats or {}
        kw = max(float(stats.get("words", 0.0)), WORD_FLOOR) / 1000.0
        row = X[i]
        for f in ev.findings:
            j = index.get(f"fam:{f.family}_per1kw")
            if j is None:  # a family this model does not use (e.g. grammar in a no-grammar model)
                continue
            row[j] += 1.0 / kw
            j = index.get(f"code:{f.code}_per1kw")
            if j is not None:
                row[j] += 1.0 / kw
            j = index.get(f"sev:{f.severity}_per1kw")
            if j is not None:
                row[j] += 1.0 / kw
            j = index.get(f"any:{f.family}")
            if j is not None:
                row[j] = 1.0
        j = index.get("count:families")
        if j is not None:
            row[j] = float(sum(row[index[f"any:{fam}"]] for fam in FAMILIES if f"any:{fam}" in index))
        for j, n in enumerate(names):
            if n.startswith("stat:"):
                row[j] = float(stats.get(n[5:], 0.0) or 0.0)
            elif n.startswith("lt:"):
                row[j] = float(stats.get(f"lt_{n[3:]}_per100w", 0.0) or 0.0)
    np.nan_to_num(X, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return X


def signed_log1p(X):
    import numpy as np

    X = np.asarray(X, dtype=np.float64)
    return np.sign(X) * np.log1p(np.abs(X))


# --------------------------------------------------------------------------------------------
# scikit-learn transformers, built lazily
# --------------------------------------------------------------------------------------------
_CLASSES: dict[str, type] = {}


def _build_classes() -> dict[str, type]:
    if _CLASSES:
        return _CLASSES
    import numpy as np
    from sklearn.base import BaseEstimator, TransformerMixin

    class EvidenceVectorizer(TransformerMixin, BaseEstimator):
        """First pipeline step: a list of :class:`detector.scoring.Evidence` -> named matrix.

        ``grammar=False`` ignores grammar/spelling findings, NAM004 and LanguageTool rates, so the
        no-grammar model sees the same features whether or not LanguageTool ran. With
        ``grammar=True`` the LanguageTool categories are ``LT_CATEGORIES`` plus any other
        ``lt_<CATEGORY>_per100w`` key seen during ``fit``.
        """

        def __init__(self, grammar: bool = False):
            self.grammar = grammar

        def fit(self, X, y=None):
            cats = list(LT_CATEGORIES)
            if self.grammar:
                seen = set()
                for ev in X:
                    for k in (ev.stats or {}):
                        if k.startswith("lt_") and k.endswith("_per100w"):
                            seen.add(k[3:-8])
                cats += sorted(seen - set(cats))
            self.feature_names_out_ = np.array(feature_names(self.grammar, cats), dtype=object)
            self.n_features_out_ = len(self.feature_names_out_)
            return self

        def transform(self, X):
            return evidence_matrix(list(X), list(self.feature_names_out_))

        def get_feature_names_out(self, input_features=None):
            return np.asarray(self.feature_names_out_, dtype=object)

    class SignedLog1p(TransformerMixin, BaseEstimator):
        """``sign(x) * log1p(|x|)`` on every column: tames heavy-tailed densities for linear models."""

        def fit(self, X, y=None):
            self.n_features_in_ = np.asarray(X).shape[1]
            return self

        def transform(self, X):
            return signed_log1p(X)

        def get_feature_names_out(self, input_features=None):
            return np.asarray(input_features, dtype=object) if input_features is not None else None

    for cls in (EvidenceVectorizer, SignedLog1p):
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
        _CLASSES[cls.__name__] = cls
    return _CLASSES


def __getattr__(name: str):
    if name in ("EvidenceVectorizer", "SignedLog1p"):
        return _build_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
