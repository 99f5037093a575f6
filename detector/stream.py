"""Streaming scoring: article by article, memory bounded by a window, on every core.

:func:`score_stream` takes a *re-readable* source of articles (a callable returning a fresh
iterator each time) and yields one :class:`detector.api.Report` per article, in input order:

1. first pass: read every article once and analyse it, in a process pool of ``jobs`` workers
   (``jobs=1``: in this process), a chunk of articles per task: its language, its own evidence
   (per-document families, statistics) and its part of the batch index (:mod:`detector.batch`:
   name spellings for NAM003 / the batch evidence on NAM001, and, with grammar on, the
   capitalised words for the batch corroboration of NAM004). Each article's record (evidence,
   never text) goes to a temporary spill file in input order
   (:class:`detector.stream_work.Spill`); only the merged index stays in memory.
2. second pass: read the articles again, ``window`` at a time, with their records; the few
   articles whose names the merged index can say something about are analysed for their batch
   name findings (:func:`detector.batch.may_have_name_findings`), LanguageTool checks the
   window's English texts in a thread of this process (one server, its concurrent requests
   sized by ``DETECTOR_LT_WORKERS``) while the previous window is scored and yielded.

A Dask partition (:mod:`detector.dask`) runs the first pass on its own articles
(:func:`first_pass_records`) and the second with the index reduced from all partitions
(``index=``) and its own records (``records=``).

The results are identical to :func:`detector.api.score` over the whole input as one batch, for
any ``jobs`` and ``window``: every per-article computation is deterministic and the batch
evidence comes from the merged index of the whole input. The one exception: the default model
is chosen per window (the grammar variant when LanguageTool checked every judged article of
the window), where one batch chooses once for all its articles; the two differ only when
LanguageTool fails on some articles and not others.

The evidence cache (:mod:`detector.evidence_cache`) is read and written by this process only
(the workers compute, never touch it; a cached article is not analysed again); several
processes writing it at once is safe (sqlite, WAL, ``BEGIN IMMEDIATE`` with a busy timeout; see
``tests/test_stream.py``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

from . import analysis, api, batch, evidence_cache, settings
from .article import Article, as_article
from .findings import Finding, locate
from .scoring import Evidence
from .selection import Selection
from .stream_work import (
    Spill,
    analyse_one,
    evaluate_window,
    first_pass_chunk,
    init_worker,
    text_check,
    warm_up,
)
from .text import Document, scrub_surrogates

DEFAULT_WINDOW = 256  # articles analysed together (per pool round and LanguageTool batch)


def default_jobs() -> int:
    """``--jobs`` default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- the engine ----------------------------------------------------------------------------------
class _Runner:
    """Runs chunks of work either in a process pool or lazily in this process."""

    def __init__(self, jobs: int):
        self.jobs = max(1, int(jobs))
        self.pool: ProcessPoolExecutor | None = None

    def ensure_pool(self) -> None:
        """Start the worker processes (once there is work for more than one: a handful of
        articles is analysed in this process, without the cost of starting workers)."""
        if self.jobs > 1 and self.pool is None:
            from . import gazetteer

            warm_up()  # loaded once here, shared with the forked workers
            ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
            self.pool = ProcessPoolExecutor(
                self.jobs, mp_context=ctx, initializer=init_worker,
                initargs=(list(gazetteer._user_paths), settings.snapshot()),
            )
            # the workers are forked on the first task; with the objects loaded so far frozen, their
            # garbage collector never walks (and so never copies) the pages they share with this process
            gc.collect()
            gc.freeze()
            try:
                self.pool.submit(int).result()
            finally:
                gc.unfreeze()

    def submit(self, fn, *args) -> Future:
        if self.pool is not None:
            return self.pool.submit(fn, *args)
        f: Future = Future()
        f._thunk = (fn, args)  # computed when collected (keeps the in-process order lazy)
        return f

    def to_pool(self, f: Future) -> Future:
        """``f`` itself, or, for work queued in this process before the pool started and not yet
        done, the same work submitted to the pool (this process has the reports to write)."""
        thunk = getattr(f, "_thunk", None)
        if self.pool is None or thunk is None or f.done():
            return f
        return self.pool.submit(thunk[0], *thunk[1])

    @staticmethod
    def result(f: Future):
        thunk = getattr(f, "_thunk", None)
        if thunk is not None and not f.done():
            fn, args = thunk
            f.set_result(fn(*args))
        return f.result()

    def chunks(self, n: int) -> int:
        """Chunk size for ``n`` items: a few chunks per worker, so the pool stays busy."""
        return max(1, -(-n // (self.jobs * 2)))

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self.pool = None


def first_pass(
    source: Callable[[], Iterable[Article | str]],
    *,
    runner: _Runner,
    caps: bool,
    store,
    fp,
    chunk: int = 64,
    analysed: Callable[[int], None] | None = None,
) -> tuple[batch.BatchIndex, Spill]:
    """First pass: every article analysed once (:func:`detector.stream_work.first_pass_chunk`,
    ``chunk`` articles a task); returns the merged batch index of the English articles and
    the :class:`~detector.stream_work.Spill` of their records, each
    ``(text_check, language, own, hint, plain_stats)``. The evidence cache is looked up before a
    chunk is analysed (a hit is not analysed again) and written with what the chunk computed."""
    pending: list[tuple] = []
    merged = batch.BatchIndex()
    spill = Spill()
    buf: list[str] = []

    def drain() -> None:
        fut, keys, cached, checks = pending.pop(0)
        ix, records = runner.result(fut)
        merged.absorb(ix)
        new, rows = [], []
        for k, c, chk, (lang, own, hint, plain) in zip(keys or [None] * len(cached), cached, checks, records, strict=True):
            if lang.english:
                if c is not None:
                    own = c
                elif store is not None:
                    new.append((k, *own))
            rows.append((chk, lang, own, hint, plain))
        if new:
            store.store(new)
        spill.write(rows)
        if analysed is not None:
            analysed(len(rows))

    def flush() -> None:
        if buf:
            texts = list(buf)
            buf.clear()
            keys = [evidence_cache.make_key(fp, t) for t in texts] if store is not None else None
            cached = store.lookup(keys) if store is not None else [None] * len(texts)
            items = [(t, c is None) for t, c in zip(texts, cached, strict=True)]
            fut = runner.submit(first_pass_chunk, items, caps)
            pending.append((fut, keys, cached, [text_check(t) for t in texts]))
        while len(pending) > 2 * runner.jobs:  # bounded: only a few chunks in flight
            drain()

    try:
        for x in source():
            buf.append(x.text if isinstance(x, Article) else x)
            if len(buf) >= chunk:
                if pending and runner.pool is None and runner.jobs > 1:  # a second chunk: work for the workers
                    runner.ensure_pool()
                    pending[:] = [(runner.to_pool(p[0]), *p[1:]) for p in pending]
                flush()
        flush()
        while pending:
            drain()
    except BaseException:
        spill.close()
        raise
    return merged, spill


def first_pass_records(texts: list[str], *, caps: bool, cache: bool | None = None) -> tuple[batch.BatchIndex, bytes]:
    """The first pass over ``texts`` in this process (a Dask partition): their merged batch
    index and their records (what :func:`score_stream` reads as ``records``), pickled and
    zlib-compressed (a few hundred bytes an article) to be held until the index of the whole
    input is known."""
    store = evidence_cache.open_cache(cache)
    fp = evidence_cache.fingerprint() if store is not None else None
    index, spill = first_pass(lambda: texts, runner=_Runner(1), caps=caps, store=store, fp=fp,
                                      chunk=DEFAULT_WINDOW)
    try:
        rows = list(spill)
    finally:
        spill.close()
    return index, zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack_records(blob: bytes) -> list:
    """The records :func:`first_pass_records` packed."""
    return pickle.loads(zlib.decompress(blob))


def score_stream(
    source: Callable[[], Iterable[Article | str]],
    *,
    grammar: api.GrammarOption = "auto",
    languagetool_url: str | None = None,
    model: str | None = None,
    scorer=None,
    cache: bool | None = None,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    extend_select: Iterable[str] | str | None = None,
    min_severity: str | None = None,
    thresholds: tuple[float, float] | None = None,
    jobs: int | None = None,
    window: int = DEFAULT_WINDOW,
    progress: Callable[[int], None] | None = None,
    index: batch.BatchIndex | None = None,
    analysed: Callable[[int], None] | None = None,
    records: Iterable | None = None,
) -> Iterator[api.Report]:
    """Reports for the articles of ``source()``, in order, as they are done (see the module
    docstring). ``source`` is called twice: the first pass analyses every article and builds
    the batch index, the second reads the articles again for their reports. ``index``: the
    merged :class:`detector.batch.BatchIndex` of a larger batch these articles belong to (e.g. a
    Dask reduction), used instead of theirs; with ``records`` too (:func:`first_pass_records` of
    the same articles, in order) there is no first pass. ``jobs``: worker processes (None:
    :func:`default_jobs`; 1: in this process). ``progress(n)``: n more reports done;
    ``analysed(n)``: n more articles through the first pass. Other arguments as for
    :func:`detector.api.score`."""
    cutoffs = api.parse_thresholds(thresholds)
    selection = Selection.build(select, ignore, extend_select, min_severity)
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    window = max(1, int(window))
    grammar_on = not (grammar == "off" or grammar is None or grammar is False)
    runner = _Runner(jobs)
    # without grammar the model's evaluation is most of the second pass: the workers of the first
    # pass evaluate the windows (in input order, jobs at a time) while this process writes the
    # reports. With grammar, LanguageTool's checks are; a caller's scorer object stays here.
    score_in_pool = not grammar_on and jobs > 1 and scorer is None
    grammar_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detector-grammar")
    state = {"checker": None, "status": "off", "opened": False}
    scorers: dict[bool, object] = {}
    spill: Spill | None = None
    cancelled = True
    try:
        store = evidence_cache.open_cache(cache)
        fp = evidence_cache.fingerprint() if store is not None else None
        if records is None:
            own_index, spill = first_pass(
                source, runner=runner, caps=grammar_on, store=store, fp=fp, chunk=runner.chunks(window),
                analysed=analysed,
            )
            if not score_in_pool:
                runner.close()  # the second pass analyses nothing but a few articles' batch name findings
            index = own_index if index is None else index
            spilled = iter(spill)
        elif index is None:
            raise ValueError("records need the batch index they are to be read against (index=)")
        else:
            spilled = iter(records)

        def from_spill(arts: list[Article]) -> list:
            """The window's first-pass records, with the batch name findings of the articles the
            merged index can give some (an article the first pass did not read is analysed now)."""
            out = []
            for a in arts:
                rec = next(spilled, None)
                if rec is None or rec[0] != text_check(a.text):
                    # the input changed between the readings: this article, not in the index, is
                    # analysed now, without batch evidence
                    out.append(analyse_one(a.text))
                    continue
                _chk, lang, own, hint, plain = rec
                found: list[Finding] = []
                if lang.english and batch.may_have_name_findings(hint, index):
                    found = batch.name_findings(Document(scrub_surrogates(a.text)), index)
                out.append((lang, own, found, plain))
            return out

        def collect(arts: list[Article]):
            results = from_spill(arts)
            texts = [scrub_surrogates(a.text) for a in arts]
            judged = [i for i, (lang, *_rest) in enumerate(results) if lang.english]
            own = {i: results[i][1] for i in judged}
            pending = None
            if judged and grammar_on:
                if not state["opened"]:
                    state["checker"], state["status"] = analysis.open_grammar(grammar, languagetool_url)
                    state["opened"] = True
                    chk = state["checker"]
                    if chk is not None and hasattr(chk, "batch_corroboration") and index.caps is not None:
                        chk.batch_corroboration = False  # corroborated below, against the whole input
                chk = state["checker"]
                if chk is not None:
                    pending = grammar_pool.submit(chk.check_many, [texts[i] for i in judged])
            return arts, texts, results, judged, own, pending

        def finish(collected) -> tuple:
            """The window's evidence, and its evaluation by the model queued (``score_in_pool``)
            or left to :func:`emit`."""
            arts, texts, results, judged, own, pending = collected
            grammar_results = pending.result() if pending is not None else None
            chk = state["checker"]
            evidence = []
            langs = []
            for lang, _own, _found, plain in results:
                langs.append(lang)
                if not lang.english:
                    evidence.append(Evidence(findings=[], stats=plain, grammar="skipped"))
                    continue
                evidence.append(None)
            for k, i in enumerate(judged):
                lang, _o, batch_found, _p = results[i]
                own_found, stats = own[i]
                stats = dict(stats)
                found: list[Finding] = [*batch_found, *own_found]
                status = state["status"] if grammar_on else "off"
                if grammar_results is not None:
                    res = grammar_results[k]
                    if res.error:
                        status = "unavailable"
                    else:
                        if chk is not None and not getattr(chk, "batch_corroboration", True):
                            batch.corroborate(texts[i], res, index)
                        found.extend(res.findings)
                        stats.update(res.rates)
                found = analysis.outside_foreign(found, lang) + analysis.foreign_findings(texts[i], lang)
                if selection is not None:
                    found = selection.apply(found)
                evidence[i] = Evidence(findings=locate(texts[i], analysis.dedupe(found)), stats=stats, grammar=status)
            use = scorer
            evaluating = None
            if use is None and judged:
                grammar_ok = all(evidence[i].grammar == "ok" for i in judged)
                if grammar_ok not in scorers:
                    scorers[grammar_ok] = api.load_scorer(model, grammar_available=grammar_ok)
                use = scorers[grammar_ok]
                if score_in_pool:
                    evaluating = runner.submit(
                        evaluate_window, [evidence[i] for i in judged], model, grammar_ok, cutoffs
                    )
            return arts, evidence, langs, use, evaluating

        def emit(finished) -> list[api.Report]:
            arts, evidence, langs, use, evaluating = finished
            evaluated = runner.result(evaluating) if evaluating is not None else None
            reports = api.build_reports(
                arts, evidence, langs, scorer=use, model=model, cutoffs=cutoffs, evaluated=evaluated
            )
            if progress is not None:
                progress(len(reports))
            return reports

        prev = None  # the collected window whose LanguageTool checks run while the next is read
        buf: list[Article] = []
        counter = 0

        def windows():
            nonlocal counter
            for x in source():
                counter += 1
                buf.append(as_article(x, name=f"<text {counter}>"))
                if len(buf) >= window:
                    yield list(buf)
                    buf.clear()
            if buf:
                yield list(buf)
                buf.clear()

        # windows whose evaluation is queued in the pool, emitted in order (none kept otherwise)
        queued: deque = deque()
        depth = runner.jobs if score_in_pool else 0
        for arts in windows():
            collected = collect(arts)
            if prev is not None:
                queued.append(finish(prev))
                while len(queued) > depth:
                    yield from emit(queued.popleft())
            prev = collected
        if prev is not None:
            queued.append(finish(prev))
        while queued:
            yield from emit(queued.popleft())
        cancelled = False
    finally:
        chk = state["checker"]
        if cancelled and chk is not None and hasattr(chk, "cancel"):
            chk.cancel()
        if chk is not None and hasattr(chk, "batch_corroboration"):
            chk.batch_corroboration = True
        grammar_pool.shutdown(wait=not cancelled, cancel_futures=cancelled)
        runner.close(cancel=cancelled)
        if spill is not None:
            spill.close()
