"""What a triage run reports: one :class:`Row` per item, each scored item's :class:`ItemReport`,
the :class:`TriageResult`, and the choice of the best copy of a near-duplicate group.

Reports stay objects until they are written: an item scored in this run keeps the
:class:`detector.api.Report` it was scored into (its findings are the same objects); an item
reported from the state is read from the state's report JSON once. Only writing (the state,
``--format json``/``jsonl``/``csv``, the HTML page) turns a report into a dict, with
:meth:`ItemReport.to_dict` — which returns exactly what the state holds or what
``Report.to_dict()`` gives, so outputs and the state do not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..findings import Finding
from .state import now_iso

if TYPE_CHECKING:  # the api is imported by run.py only when a triage runs
    from ..api import Report


@dataclass(slots=True)
class ItemReport:
    """A scored item's report. ``reasons`` are display dicts (``feature``, ``message``,
    ``effect``, ...), ``None`` for a report stored by a version that had no reasons."""

    reliability: float | None  # None: not judged (verdict "unsupported")
    verdict: str | None
    findings: list[Finding]
    counts: dict[str, int]
    reasons: list[dict] | None
    language: str | None
    grammar: str | None
    model: str | None
    _written: Report | dict = field(repr=False)

    @classmethod
    def from_report(cls, rep: Report) -> ItemReport:
        return cls(
            reliability=None if rep.reliability is None else float(rep.reliability),
            verdict=rep.verdict,
            findings=list(rep.findings),
            counts=rep.counts(),
            reasons=[r.to_dict() for r in rep.reasons],
            language=rep.language,
            grammar=rep.grammar,
            model=rep.model,
            _written=rep,
        )

    @classmethod
    def from_dict(cls, d: dict) -> ItemReport:
        """A report as the state stores it (``Report.to_dict()`` of the version that scored it)."""
        rel = d.get("reliability")
        # a state written before reasons existed has no "reasons" key (None here); null is no reasons
        reasons = [r for r in (d["reasons"] or []) if isinstance(r, dict)] if "reasons" in d else None
        return cls(
            reliability=None if rel is None else float(rel),
            verdict=d.get("verdict"),
            findings=[Finding.from_dict(f) for f in d.get("findings", [])],
            counts=dict(d.get("counts") or {}),
            reasons=reasons,
            language=d.get("language"),
            grammar=d.get("grammar"),
            model=d.get("model"),
            _written=d,
        )

    def to_dict(self) -> dict:
        """The report as written: what the state holds (a new dict each call)."""
        w = self._written
        return dict(w) if isinstance(w, dict) else w.to_dict()


@dataclass(slots=True)
class Row:
    """One triaged item, as reported. ``report``: an :class:`ItemReport` (a dict given here, as
    the state stores it, is read into one)."""

    key: str
    status: str  # "scored" (this run) | "cached" (from state) | "error"
    url: str | None = None
    title: str | None = None
    published: str | None = None
    reason: str | None = None  # why it was scored: new | changed | rescore | config
    error: str | None = None
    text: str | None = None
    report: ItemReport | None = None
    scored_at: str | None = None
    rank: int = 0
    cluster: int | None = None  # 1-based id of its near-duplicate group (None: no duplicates)
    cluster_size: int = 1
    best_in_cluster: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.report, dict):
            self.report = ItemReport.from_dict(self.report)

    @property
    def reliability(self) -> float | None:
        return None if self.report is None else self.report.reliability  # None: error, or not judged

    @property
    def verdict(self) -> str | None:
        return None if self.report is None else self.report.verdict

    @property
    def label(self) -> str:
        return self.url or self.key

    @property
    def findings(self) -> list[Finding]:
        return [] if self.report is None else self.report.findings

    def to_dict(self) -> dict:
        d = {
            "rank": self.rank,
            "key": self.key,
            "status": self.status,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "reliability": self.reliability,
            "verdict": self.verdict,
            "cluster": self.cluster,
            "cluster_size": self.cluster_size,
            "best_in_cluster": self.best_in_cluster,
        }
        if self.status == "error":
            d["error"] = self.error
            return d
        r = self.report.to_dict() if self.report is not None else {}
        d.update(
            reason=self.reason,
            scored_at=self.scored_at,
            model=r.get("model"),
            grammar=r.get("grammar"),
            counts=r.get("counts", {}),
            findings=r.get("findings", []),
            reasons=r.get("reasons", []),
            thresholds=r.get("thresholds"),
            stats=r.get("stats", {}),
        )
        return d


@dataclass(slots=True)
class TriageResult:
    source: str
    kind: str
    rows: list[Row]
    config: str
    run_id: int | None = None
    notes: list[str] = field(default_factory=list)
    generated: str = field(default_factory=now_iso)

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.status == "error"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def clusters(self) -> dict[int, list[Row]]:
        out: dict[int, list[Row]] = {}
        for r in self.rows:
            if r.cluster is not None:
                out.setdefault(r.cluster, []).append(r)
        return out


# Two copies whose reliabilities differ by at most this much are equally reliable when the best
# copy of a near-duplicate group is chosen. Copies of one story differ by a few sentences, and such
# differences move the calibrated reliability by a few hundredths either way; 0.05 is a fifth of
# the review band of the default models (reject < ~0.29, ok >= ~0.6), so it never prefers a
# copy of a worse verdict band by much, yet a copy still carrying page furniture (whose extra
# lines may barely move the score) does not win on noise.
BEST_COPY_CLOSE = 0.05
PAGE_FURNITURE = ("boilerplate", "duplicate-block")


def furniture_count(row: Row) -> int:
    """Page-furniture findings of an item: boilerplate and duplicate-block."""
    return sum(1 for f in row.findings if f.family in PAGE_FURNITURE)


def best_copy(members: list[Row]) -> Row:
    """The cleanest copy of a near-duplicate group: among the judged copies within
    :data:`BEST_COPY_CLOSE` of the most reliable one, the one with the fewest page-furniture
    findings; then the most reliable; then fewest findings; then earliest published; then rank.
    Copies not judged (no reliability) are chosen only when no copy was judged."""
    judged = [m for m in members if m.reliability is not None]
    pool = members
    if judged:
        top = max(m.reliability for m in judged)
        pool = [m for m in judged if m.reliability >= top - BEST_COPY_CLOSE - 1e-12]
    return min(
        pool,
        key=lambda m: (
            furniture_count(m),
            -(m.reliability if m.reliability is not None else -1.0),
            len(m.findings),
            m.published or "~",
            m.rank,
        ),
    )
