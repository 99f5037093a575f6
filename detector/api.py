"""Library API: :func:`check` and :func:`score`.

    >>> import detector
    >>> [f.code for f in detector.check("He said the the talks failed.", grammar="off")]
    ['REP001']

The CLI is a thin layer over these two functions.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import batch, language
from .analysis import (
    GrammarOption,
    Progress,
    dedupe,
    document_stats,
    foreign_findings,
    open_grammar,
    outside_foreign,
    own_evidence,
)
from .article import Article, as_article
from .findings import FAMILIES, Finding, locate
from .language import LanguageResult
from .scoring import Evidence, Reason, RuleScorer, Thresholds
from .selection import Selection
from .text import Document, scrub_surrogates


@dataclass(slots=True)
class Report:
    """The scored result for one article."""

    article: Article
    findings: list[Finding]
    stats: dict[str, float]
    # None when the text was not judged (verdict "unsupported": not English)
    reliability: float | None
    verdict: str  # "ok" | "review" | "reject" | "unsupported"
    grammar: str = "off"  # "ok" | "unavailable" | "off" | "skipped" (not judged)
    model: str = ""
    extra: dict = field(default_factory=dict)
    # the contributions that moved the score most, in words (see scoring.Reason)
    reasons: list[Reason] = field(default_factory=list)
    # main language of the text (ISO 639-1, e.g. "en", "de"); see detector.language
    language: str = "en"
    # the verdict cut-offs of the model that scored it (None: not judged); the one definition the
    # text, JSON, CSV, HTML and triage outputs all follow
    thresholds: dict | None = None

    @property
    def path(self) -> str:
        return self.article.name

    def counts(self) -> dict[str, int]:
        c = {fam: 0 for fam in FAMILIES}
        for f in self.findings:
            c[f.family] = c.get(f.family, 0) + 1
        return c

    def to_dict(self) -> dict:
        d = {
            "path": self.path,
            "reliability": self.reliability,
            "verdict": self.verdict,
            "language": self.language,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
            "reasons": [r.to_dict() for r in self.reasons],
            "thresholds": self.thresholds,
            "stats": self.stats,
            "grammar": self.grammar,
            "model": self.model,
        }
        for k in ("id", "title", "url"):
            v = getattr(self.article, k)
            if v is not None:
                d[k] = v
        d.update(self.extra)
        return d


UNSUPPORTED = "unsupported"  # the verdict for a text detector does not judge (not English)


def analyse(
    items: Sequence[str | Article],
    *,
    grammar: GrammarOption = "auto",
    languagetool_url: str | None = None,
    progress: Callable[[int], None] | None = None,
    context: Iterable[str | Article] = (),
    cache: bool | None = None,
) -> tuple[list[Article], list[Evidence]]:
    """Run every detector family (and LanguageTool, if available) on a batch of articles.

    ``context``: further texts of the same batch that are not analysed themselves but take part
    in the cross-article name evidence (used by ``triage`` to score only new items of a feed).
    ``cache``: use the per-article evidence cache (:mod:`detector.evidence_cache`); None follows
    ``$DETECTOR_EVIDENCE_CACHE`` (on unless it says ``off``). Grammar has its own cache.

    A text whose main language is not English (:mod:`detector.language`) is not analysed: its
    evidence has no findings and grammar status ``skipped``. In an English text, paragraphs in
    another language get an LNG001 note and no English-rule findings.
    """
    articles, evidence, _ = _analyse(
        items, grammar=grammar, languagetool_url=languagetool_url, progress=progress, context=context, cache=cache
    )
    return articles, evidence


def _analyse(
    items: Sequence[str | Article],
    *,
    grammar: GrammarOption,
    languagetool_url: str | None,
    progress: Callable[[int], None] | None,
    context: Iterable[str | Article],
    cache: bool | None,
    selection: Selection | None = None,
) -> tuple[list[Article], list[Evidence], list[LanguageResult]]:
    """:func:`analyse`, plus each article's languages. ``selection``: only the findings it keeps
    are reported (and scored); they are chosen before de-duplication, as if the others never ran."""
    articles = [as_article(x, name=f"<text {i + 1}>") for i, x in enumerate(items)]
    # detectors and LanguageTool see unpaired surrogates as U+FFFD (same offsets); findings still
    # index the caller's text
    all_docs = [Document(scrub_surrogates(a.text)) for a in articles]
    langs = [language.analyse(d) for d in all_docs]  # the Documents keep their lines and paragraphs
    # only English texts are judged; the others are skipped by every family and by LanguageTool
    judged = [i for i, lang in enumerate(langs) if lang.english]
    if progress is not None and len(judged) < len(all_docs):
        progress(len(all_docs) - len(judged))
    docs = [all_docs[i] for i in judged]
    checker, gstatus = open_grammar(grammar, languagetool_url) if docs else (None, "off")
    grammar_results = None
    # the progress bar counts an article when its own evidence *and* its grammar result are in
    reports_grammar = checker is not None and hasattr(checker, "on_result")
    tracker = Progress(progress, len(docs), 2 if reports_grammar else 1)
    if reports_grammar:
        previous_hook = checker.on_result

        def hook(i, result):  # runs in the grammar thread
            tracker.queue.put(i)
            if previous_hook:
                previous_hook(i, result)

        checker.on_result = hook
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="detector-grammar") as pool:
            # LanguageTool checks (mostly waiting on its HTTP server) run while the other families do
            pending = pool.submit(checker.check_many, [d.text for d in docs]) if checker is not None else None
            try:
                own = own_evidence([articles[i] for i in judged], docs, cache, tracker.own_done)
                if pending is not None:
                    grammar_results = tracker.wait(pending)
            except BaseException:  # e.g. Ctrl-C: do not wait for LanguageTool to finish the batch
                if pending is not None and hasattr(checker, "cancel"):
                    checker.cancel()
                raise
    finally:
        if reports_grammar:
            checker.on_result = previous_hook
    tracker.finish()

    ctx_docs = [Document(scrub_surrogates(as_article(x).text)) for x in context]
    # context texts in another language would only add foreign names to the batch evidence
    ctx_docs = [d for d in ctx_docs if language.analyse(d).english]
    # the cross-article name evidence: the batch's merged name index (detector.batch)
    index = batch.merge_all(batch.index_doc(d) for d in docs + ctx_docs)
    batch_names = [batch.name_findings(d, index) for d in docs]

    evidence: list[Evidence] = [
        Evidence(findings=[], stats=document_stats(d), grammar="skipped") for d in all_docs
    ]
    for k, doc in enumerate(docs):
        i = judged[k]
        # batch findings first: where one re-issues a per-article finding with batch evidence
        # (same code and span), de-duplication keeps the batch version
        own_found, stats = own[k]
        found: list[Finding] = [*batch_names[k], *own_found]
        status = gstatus
        if grammar_results is not None:
            res = grammar_results[k]
            if res.error:
                status = "unavailable"
            else:
                found.extend(res.findings)
                stats.update(res.rates)
        found = outside_foreign(found, langs[i]) + foreign_findings(doc.text, langs[i])
        if selection is not None:
            found = selection.apply(found)
        evidence[i] = Evidence(findings=locate(doc.text, dedupe(found)), stats=stats, grammar=status)
    return articles, evidence, langs


def check(
    text_or_article: str | Article | Sequence[str | Article],
    *,
    grammar: GrammarOption = "auto",
    languagetool_url: str | None = None,
    cache: bool | None = None,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    extend_select: Iterable[str] | str | None = None,
    min_severity: str | None = None,
) -> list[Finding] | list[list[Finding]]:
    """Findings for one text/Article (a list of Findings), or for a batch (a list of lists).
    ``cache``: see :func:`analyse`.
    ``select``/``ignore``/``extend_select``/``min_severity``: which findings to report, by code,
    code prefix, family or LanguageTool rule id (:mod:`detector.selection`; a bad value raises
    :class:`detector.selection.SelectionError`, a ValueError)."""
    selection = Selection.build(select, ignore, extend_select, min_severity)
    single = isinstance(text_or_article, (str, Article))
    items = [text_or_article] if single else list(text_or_article)
    _, evidence, _ = _analyse(
        items, grammar=grammar, languagetool_url=languagetool_url, progress=None, context=(), cache=cache,
        selection=selection,
    )
    return evidence[0].findings if single else [e.findings for e in evidence]


def load_scorer(model: str | None = None, *, grammar_available: bool = True):
    """The scorer used by :func:`score`: the trained model when one is installed, else the rule."""
    try:
        from . import model as model_mod
    except ImportError:
        return RuleScorer()
    return model_mod.load_scorer(model, grammar_available=grammar_available)


def score(
    items: Iterable[str | Article],
    *,
    grammar: GrammarOption = "auto",
    languagetool_url: str | None = None,
    model: str | None = None,
    scorer=None,
    progress: Callable[[int], None] | None = None,
    context: Iterable[str | Article] = (),
    cache: bool | None = None,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    extend_select: Iterable[str] | str | None = None,
    min_severity: str | None = None,
    thresholds: tuple[float, float] | None = None,
) -> list[Report]:
    """Score a batch of articles (one batch: cross-article name consistency applies; ``context``
    adds texts that count for name consistency without being scored; ``cache``: see
    :func:`analyse`).
    ``select``/``ignore``/``extend_select``/``min_severity``: which findings to report, by code,
    code prefix, family or LanguageTool rule id (:mod:`detector.selection`; a bad value raises
    :class:`detector.selection.SelectionError`, a ValueError). Findings left out are also left out of the score.
    ``thresholds``: ``(ok, reject)`` verdict cut-offs instead of the model's own (0 < reject < ok <= 1;
    a ValueError otherwise); the reports, verdicts and reasons all follow them."""
    cutoffs = parse_thresholds(thresholds)
    selection = Selection.build(select, ignore, extend_select, min_severity)
    items = list(items)
    articles, evidence, langs = _analyse(
        items,
        grammar=grammar,
        languagetool_url=languagetool_url,
        progress=progress,
        context=context,
        cache=cache,
        selection=selection,
    )
    if not articles:
        return []
    return build_reports(articles, evidence, langs, scorer=scorer, model=model, cutoffs=cutoffs)


def parse_thresholds(thresholds: tuple[float, float] | None) -> Thresholds | None:
    """``score``'s ``thresholds`` argument as verdict cut-offs (a ValueError when out of order)."""
    if thresholds is None:
        return None
    ok_cut, reject_cut = (float(x) for x in thresholds)
    if not 0.0 < reject_cut < ok_cut <= 1.0:
        raise ValueError(f"thresholds: need 0 < reject < ok <= 1, got ok={ok_cut}, reject={reject_cut}")
    return Thresholds(ok=ok_cut, reject=reject_cut)


def with_cutoffs(scorer, cutoffs: Thresholds | None):
    """``scorer`` with the verdict cut-offs ``cutoffs`` (a copy: the caller's scorer keeps its
    own), or ``scorer`` itself when ``cutoffs`` is None."""
    if cutoffs is None:
        return scorer
    scorer = copy.copy(scorer)
    scorer.thresholds = cutoffs
    return scorer


def evaluate(scorer, evidence: list[Evidence]) -> tuple[list[float], list | None]:
    """``(reliabilities, reasons or None)`` of judged articles' evidence: one evaluation of the
    default models (``reliability_and_reasons``), else ``reliability`` and ``explain``."""
    both = getattr(scorer, "reliability_and_reasons", None)
    if both is not None:
        return both(evidence)
    return scorer.reliability(evidence), scorer.explain(evidence) if hasattr(scorer, "explain") else None


def build_reports(
    articles: list[Article], evidence: list[Evidence], langs: list[LanguageResult], *, scorer=None,
    model: str | None = None, cutoffs: Thresholds | None = None, evaluated: tuple | None = None,
) -> list[Report]:
    """Score analysed articles (the tail of :func:`score`; also used per window by
    :mod:`detector.stream` and per partition by :mod:`detector.dask`). ``scorer`` None: the
    default for ``model``, the grammar variant when every judged article's grammar is ``ok``.
    ``evaluated``: :func:`evaluate` of the judged articles' evidence with this scorer and these
    cut-offs, when it was computed elsewhere (a worker process)."""
    judged = [i for i, lang in enumerate(langs) if lang.english]
    rel: list[float | None] = [None] * len(articles)
    reasons: list[list[Reason]] = [[] for _ in articles]
    if judged:
        grammar_ok = all(evidence[i].grammar == "ok" for i in judged)
        if scorer is None:
            scorer = load_scorer(model, grammar_available=grammar_ok)
        scorer = with_cutoffs(scorer, cutoffs)
        scores, why = evaluated if evaluated is not None else evaluate(scorer, [evidence[i] for i in judged])
        for i, r in zip(judged, scores, strict=True):
            rel[i] = float(r)
        # the contributions that moved each score most, exact for the model (detector.explain)
        if why is not None:
            for i, rs in zip(judged, why, strict=True):
                reasons[i] = list(rs)
    reports = []
    for a, ev, r, lang, why in zip(articles, evidence, rel, langs, reasons, strict=True):
        if r is None:
            reports.append(_unsupported_report(a, ev, lang))
            continue
        reports.append(
            Report(
                article=a,
                findings=ev.findings,
                stats=ev.stats,
                reliability=r,
                verdict=scorer.thresholds.verdict(r),
                grammar=ev.grammar,
                model=scorer.name,
                language=lang.main,
                reasons=why,
                thresholds={"ok": scorer.thresholds.ok, "reject": scorer.thresholds.reject},
            )
        )
    return reports


def _unsupported_report(article: Article, ev: Evidence, lang: LanguageResult) -> Report:
    """The report for a text that is not judged: no reliability, no findings, one reason."""
    name = language.language_name(lang.main)
    reason = Reason(
        feature="language",
        message=f"the text is {name} ({lang.main}), not English; detector only judges English",
        value=lang.confidence,
        typical=None,
        effect=0.0,
    )
    return Report(
        article=article,
        findings=[],
        stats=ev.stats,
        reliability=None,
        verdict=UNSUPPORTED,
        grammar=ev.grammar,
        model="",
        reasons=[reason],
        language=lang.main,
    )
