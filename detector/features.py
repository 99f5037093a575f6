"""The classifier's named feature vector, and the scikit-learn transformers that compute it.

Every feature is a *rate* (length-normalised), so articles of any length are comparable and
the model cannot learn article length or layout as a shortcut (one deliberate exception:
``count:boilerplate``). Names and meaning:

============================  =================================================================
``fam:<family>_per1kw``       findings of that family per 1,000 words (repetition,
                              duplicate-block, name, broken-sentence, boilerplate, fluency;
                              + grammar, spelling in the grammar variant)
``code:<CODE>_per1kw``        findings with that code per 1,000 words (every code in
                              ``findings.CODES``; NAM004 only in the grammar variant)
``sev:<severity>_per1kw``     findings of severity info / warning / error per 1,000 words
``any:<family>``              1 when the family has at least one finding, else 0 (text families
                              only: not duplicate-block or boilerplate, see below)
``count:text_families``       number of *text* families (all but duplicate-block and boilerplate)
                              with at least one finding (breadth of evidence about the wording)
``count:boilerplate``         number of boilerplate findings (not a rate: one or two furniture
                              lines are normal on any page, however long; three or more point
                              to inserted material whatever the article's length)
``frac:<family>``             share of the article's characters covered by that family's findings
                              (union of spans / ``chars``) for the page-level families
                              duplicate-block and boilerplate, and for repetition. A caption
                              repeated once covers ~1%; an article pasted twice ~50%.
``stat:<key>``                a document statistic from ``families.STATS``: Gopher repetition
                              fractions (``families.docstats``) and fluency statistics
                              (``families.fluency``: language-model and MT-sentence-model
                              statistics, tortured phrases, untranslated words, lower-case
                              sentence starts, tokenised spacing). Not the ``DOMAIN_STATS``
                              (readability, style, BBC-reference n-gram shares): they are
                              reported, but measure resemblance to the training domain
``lt:<CATEGORY>``             LanguageTool matches of that category per 100 words
                              (``lt_<CATEGORY>_per100w`` stats; grammar variant only)
============================  =================================================================

Duplicate-block findings enter ONLY as ``frac:duplicate-block`` (no counts, no presence flag, and
not in the ``sev:`` rates, since a finding whose ``fam:`` column a model lacks is skipped):
one repeated caption is one DUP001 finding, exactly like a whole article pasted twice (DUP002),
so a count or flag made the two equally damning. Boilerplate has its count rate and fraction
but no presence flag (light page furniture is normal on clean pages). The older names
(``any:duplicate-block``, ``count:families``, ``code:DUP00x_per1kw``, ...) are still computed by
:func:`evidence_matrix` so models trained with them keep working.

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
from .families import grammar as _grammar
from .families import readability as _readability
from .findings import CODES, FAMILIES, SEVERITIES

if TYPE_CHECKING:  # pragma: no cover
    from .scoring import Evidence

GRAMMAR_FAMILIES = ("grammar", "spelling")
GRAMMAR_CODES = ("NAM004",)
# page-level families: evidence about the page (furniture, repeated blocks), not the wording
PAGE_FAMILIES = ("duplicate-block", "boilerplate")
FRAC_FAMILIES = ("duplicate-block", "boilerplate", "repetition")

READABILITY_KEYS = tuple(_readability.CLIP)
DOCSTAT_KEYS = _docstats.KEYS
FLUENCY_KEYS = _fluency.STAT_KEYS
# Statistics that are reported but NOT given to newly trained classifiers, because their value
# says how much an article resembles the training domain (BBC 2004-05) rather than whether its
# text is damaged: shares of words and word pairs unseen in the BBC reference n-grams, and style
# measures (readability, vocabulary variety, article share, sentence-length spread) whose "clean"
# range is one outlet's house style. Measured: without them clean modern copy is flagged far
# less often at the same synthetic/MT ROC-AUC (README, "The reliability model").
DOMAIN_STATS = frozenset(
    {
        "flu_unseen_bigram_share",
        "flu_unseen_known_bigram_share",
        "flu_unseen_frequent_bigram_share",
        "flu_oov_share",
        "flu_ttr_window",
        "flu_article_share",
        "flu_sentence_length_cv",
    }
    | set(READABILITY_KEYS)
)
STAT_KEYS = tuple(k for k in READABILITY_KEYS + DOCSTAT_KEYS + FLUENCY_KEYS if k not in DOMAIN_STATS)

# LanguageTool categories (ids) that get a feature in the grammar variant even when unseen
# (defined with the grammar family's rates: :data:`detector.families.grammar.LT_CATEGORY_TABLE`).
LT_CATEGORIES = _grammar.COLUMN_CATEGORIES
WORD_FLOOR = 100.0


# Families that never enter a model: a paragraph in another language (LNG001) is set aside, not
# evidence about the English text, and the training data has none. A finding of a family that
# has no ``fam:`` column is skipped entirely by :func:`evidence_matrix` (also in the ``sev:`` rates).
NON_MODEL_FAMILIES = ("foreign-language", "note")


def families_for(grammar: bool) -> list[str]:
    return [f for f in FAMILIES if (grammar or f not in GRAMMAR_FAMILIES) and f not in NON_MODEL_FAMILIES]


def codes_for(grammar: bool) -> list[str]:
    return [
        c
        for c, (fam, _) in CODES.items()
        if (grammar or (fam not in GRAMMAR_FAMILIES and c not in GRAMMAR_CODES)) and fam not in NON_MODEL_FAMILIES
    ]


def feature_names(grammar: bool = False, lt_categories: Sequence[str] = LT_CATEGORIES) -> list[str]:
    fams = families_for(grammar)
    names = [f"fam:{f}_per1kw" for f in fams if f != "duplicate-block"]
    names += [f"code:{c}_per1kw" for c in codes_for(grammar) if CODES[c][0] != "duplicate-block"]
    names += [f"sev:{s}_per1kw" for s in SEVERITIES]
    names += [f"any:{f}" for f in fams if f not in PAGE_FAMILIES]
    names += ["count:text_families", "count:boilerplate"]
    names += [f"frac:{f}" for f in FRAC_FAMILIES]
    names += [f"stat:{k}" for k in STAT_KEYS]
    if grammar:
        names += [f"lt:{c}" for c in lt_categories]
    return names


def evidence_matrix(evidence: Sequence[Evidence], names: Sequence[str]):
    """The feature matrix (``len(evidence) x len(names)``, float64) for these feature names."""
    import numpy as np

    index = {n: j for j, n in enumerate(names)}
    # the families a model has a column for (count:text_families counts those), once per matrix
    allowed = {n[4:] for n in names if n.startswith("any:")} | {
        n[4:-7] for n in names if n.startswith("fam:") and n.endswith("_per1kw")
    }
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
        present = {f.family for f in ev.findings}
        j = index.get("count:families")
        if j is not None:
            row[j] = float(sum(row[index[f"any:{fam}"]] for fam in FAMILIES if f"any:{fam}" in index))
        j = index.get("count:text_families")
        if j is not None:
            row[j] = float(len((present & allowed) - set(PAGE_FAMILIES)))
        j = index.get("count:boilerplate")
        if j is not None:
            row[j] = float(sum(1 for f in ev.findings if f.family == "boilerplate"))
        for fam in FRAC_FAMILIES:
            j = index.get(f"frac:{fam}")
            if j is not None:
                row[j] = span_fraction(ev, fam)
        for j, n in enumerate(names):
            if n.startswith("stat:"):
                row[j] = float(stats.get(n[5:], 0.0) or 0.0)
            elif n.startswith("lt:"):
                row[j] = float(stats.get(f"lt_{n[3:]}_per100w", 0.0) or 0.0)
    np.nan_to_num(X, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return X


def span_fraction(ev: Evidence, family: str) -> float:
    """Share of the text's characters covered by the union of this family's finding spans."""
    spans = sorted((f.start, f.end) for f in ev.findings if f.family == family and f.end > f.start)
    if not spans:
        return 0.0
    chars = float((ev.stats or {}).get("chars", 0.0) or 0.0)
    if chars <= 0:  # length unknown
        return 0.0
    covered, cur_s, cur_e = 0, spans[0][0], spans[0][1]
    for s, e in spans[1:]:
        if s > cur_e:
            covered += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    covered += cur_e - cur_s
    return min(1.0, covered / chars)


def monotonic_constraints(names: Sequence[str]) -> list[int]:
    """+1 (more evidence never raises reliability) for every finding-derived feature; 0 for the
    document statistics and LanguageTool-free stats, whose direction is learnt."""
    evidence = ("fam:", "code:", "sev:", "any:", "count:", "frac:", "lt:")
    # rates of detector evidence kept as statistics: synonym swaps (FLU004, the spinning ratio)
    evidence += ("stat:flu_swap_",)
    return [1 if str(n).startswith(evidence) else 0 for n in names]


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
                    for k in ev.stats or {}:
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
