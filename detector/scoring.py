"""Scorers turn the evidence for a document into a reliability in [0, 1] and a verdict.

Interface (what :func:`detector.api.score` relies on)::

    scorer.name: str
    scorer.thresholds: Thresholds          # verdict cut-offs on reliability
    scorer.reliability(evidence: list[Evidence]) -> list[float]

:class:`RuleScorer` is the transparent interim rule (documented in the README);
the trained classifier (``detector.model``) implements the same interface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .findings import Finding

SEVERITY_WEIGHT = {"info": 0.25, "warning": 1.0, "error": 2.0}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``reliability >= ok`` -> ok; ``>= reject`` -> review; below -> reject."""

    ok: float = 0.6
    reject: float = 0.3

    def verdict(self, reliability: float) -> str:
        if reliability >= self.ok:
            return "ok"
        if reliability >= self.reject:
            return "review"
        return "reject"


@dataclass(frozen=True, slots=True)
class Reason:
    """One contribution that moved the score, in words.

    ``feature``: the model feature (or ``language``/``rule`` for non-model reasons);
    ``message``: plain words with the article's value and the typical value on clean copy;
    ``value`` / ``typical``: those two numbers (``typical`` may be None);
    ``effect``: the change this feature made to the score in log-odds of "reliable"
    (negative = lowered reliability), exact for the model that produced it.
    """

    feature: str
    message: str
    value: float | None = None
    typical: float | None = None
    effect: float = 0.0

    def to_dict(self) -> dict:
        return {
            "feature": self.feature,
            "message": self.message,
            "value": self.value,
            "typical": self.typical,
            "effect": round(float(self.effect), 4),
        }


@dataclass(slots=True)
class Evidence:
    """Everything known about one article before scoring: findings and document statistics."""

    findings: list[Finding]
    stats: dict[str, float] = field(default_factory=dict)
    grammar: str = "off"  # "ok" | "unavailable" | "off"


# Weight of one finding (per 1,000 words) in the interim rule, by family.
RULE_WEIGHTS = {
    "repetition": 0.9,
    "duplicate-block": 0.5,
    "name": 1.0,
    "broken-sentence": 0.8,
    "boilerplate": 0.25,
    "fluency": 0.8,
    "grammar": 0.25,
    "spelling": 0.1,
}


# Extra burden (per 1,000 words) for an article whose text is entirely duplicated.
DUPLICATE_COVERAGE_WEIGHT = 12.0


class RuleScorer:
    """Interim rule: ``reliability = exp(-k * sum_f w_family * s_severity / words * 1000)``.

    Each finding contributes its family weight (``RULE_WEIGHTS``) times its severity weight
    (``SEVERITY_WEIGHT``); the sum is divided by the article length in thousands of words
    (floored at 0.3 so a three-line snippet is not judged on one hit) and mapped through a
    decaying exponential with ``k = 0.08``. With no findings the reliability is 1.0; about
    six weighted findings per 1,000 words give the 0.6 "review" boundary. Duplicated text adds
    ``DUPLICATE_COVERAGE_WEIGHT`` x (share of characters inside duplicate-block findings) per
    1,000 words, so a whole article pasted twice lands in "review".
    """

    name = "rule-v1"
    k = 0.08

    def __init__(self, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds()

    def reliability(self, evidence: list[Evidence]) -> list[float]:
        out = []
        for ev in evidence:
            kwords = max(0.3, ev.stats.get("words", 0) / 1000.0)
            burden = sum(
                RULE_WEIGHTS.get(f.family, 0.5) * SEVERITY_WEIGHT.get(f.severity, 1.0) for f in ev.findings
            )
            # duplicated text weighs by how much of the article it is, not by how many blocks
            chars = max(1.0, ev.stats.get("chars", 1.0))
            dup = sum(f.end - f.start for f in ev.findings if f.family == "duplicate-block") / chars
            burden += DUPLICATE_COVERAGE_WEIGHT * min(1.0, dup) * kwords
            out.append(round(math.exp(-self.k * burden / kwords), 4))
        return out
