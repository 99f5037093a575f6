"""Streaming scoring: article by article, memory bounded by a window, on every core.

:func:`score_stream` takes a *re-readable* source of articles (a callable returning a fresh
iterator each time) and yields one :class:`detector.api.Report` per article, in input order:

1. first pass: read every article once and build the batch index (:mod:`detector.batch`: name
   spellings for NAM003 / the batch evidence on NAM001, and, with grammar on, the capitalised
   words for the batch corroboration of NAM004). Only the index is kept, never the texts (once
   the names family offers its index; see the fallback in :mod:`detector.batch`).
2. second pass: read the articles again, ``window`` at a time; each article's own evidence
   (language, per-document families, statistics) and its batch evidence are computed in a
   process pool of ``jobs`` workers (``jobs=1``: in this process), LanguageTool checks the
   window's English texts in a thread of this process (one server, its concurrent requests
   sized by ``DETECTOR_LT_WORKERS``), and the window is scored and yielded while the pool
   already works on the next window.

The results are identical to :func:`detector.api.score` over the whole input as one batch, for
any ``jobs`` and ``window``: every per-article computation is deterministic and the batch
evidence comes from the merged index of the whole input. The one exception: the default model
is chosen per window (the grammar variant when LanguageTool checked every judged article of
the window), where one batch chooses once for all its articles; the two differ only when
LanguageTool fails on some articles and not others.

The evidence cache (:mod:`detector.evidence_cache`) is read and written by this process only
(the workers compute, never touch it); several processes writing it at once is safe (sqlite,
WAL, ``BEGIN IMMEDIATE`` with a busy timeout; see ``tests/test_stream.py``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

from . import analysis, api, batch, evidence_cache, families, language, memo, settings
from .article import Article, as_article
from .findings import Finding, locate
from .scoring import Evidence
from .selection import Selection
from .text import Document, scrub_surrogates

DEFAULT_WINDOW = 256  # articles analysed together (per pool round and LanguageTool batch)


def default_jobs() -> int:
    """``--jobs`` default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- per-article work (runs in the workers, or in this process with jobs=1) --------------------
_WORKER_INDEX: dict[str, batch.BatchIndex] = {}
_FAMILIES = None


def _families():
    global _FAMILIES
    if _FAMILIES is None:
        _FAMILIES = (
            [families.load(n) for n in families.PER_DOCUMENT],
            [families.load(n) for n in families.STATS],
        )
    return _FAMILIES


def _index_of(ref) -> batch.BatchIndex:
    """The batch index: the object itself, or a path to its pickle (loaded once per worker)."""
    if isinstance(ref, batch.BatchIndex):
        return ref
    ix = _WORKER_INDEX.get(ref)
    if ix is None:
        _WORKER_INDEX.clear()
        with open(ref, "rb") as fh:
            ix = _WORKER_INDEX[ref] = pickle.load(fh)
    return ix


def analyse_one(text: str, need_own: bool, index: batch.BatchIndex | None):
    """One article's own and batch evidence: ``(language, own, batch_findings, plain_stats)``.
    ``own`` is ``(findings, stats)`` of the per-document families (None when not English or not
    ``need_own``, e.g. a cache hit); ``plain_stats``: the document statistics of a text that is
    not English (not judged)."""
    doc = Document(scrub_surrogates(text))
    lang = language.analyse(doc)  # the Document keeps its lines and paragraphs for the families
    if not lang.english:
        return lang, None, [], analysis.document_stats(doc)
    per_doc, stat_mods = _families()
    own = analysis.document_evidence(doc, per_doc, stat_mods) if need_own else None
    found = batch.name_findings(doc, index) if index is not None else []
    return lang, own, found, None


def _analyse_chunk(index_ref, items: list[tuple[str, bool]]) -> list:
    index = _index_of(index_ref) if index_ref is not None else None
    with analysis.gc_paused():
        out = [analyse_one(t, need, index) for t, need in items]
    trim_memos(len(items))
    return out


def index_texts(texts: list[str], caps: bool) -> batch.BatchIndex:
    """First pass over some texts: the merged index of the English ones."""
    out = batch.BatchIndex()
    for t in texts:
        doc = Document(scrub_surrogates(t))
        if language.analyse(doc).english:
            out.absorb(batch.index_doc(doc, caps=caps))
    trim_memos(len(texts))
    return out


# The families memoise pure functions of words and n-grams in bounded LRU tables (up to 2**19
# entries each); full, they hold a few hundred MB. Emptied every TRIM_EVERY articles (results
# unchanged), so memory is bounded rather than growing with how much text a process has seen.
# 64 rather than 256: peak RSS for 2,225 BBC articles 460 -> 357 MiB (1.26x the 200-article
# run instead of 1.6x), wall time within noise (32.4 vs 31.2 s, one run each). Loaders
# (maxsize 1), unbounded caches and the few memos made with memo.kept_lru_cache (costly entries,
# bounded by LRU eviction) are left alone.
TRIM_EVERY = 64
MEMO_MIN_SIZE = 4096
_since_trim = 0


def trim_memos(n: int) -> None:
    """Count ``n`` more articles; every :data:`TRIM_EVERY`, empty the detector modules' large
    bounded memo tables (``functools.lru_cache`` with ``maxsize >= MEMO_MIN_SIZE``)."""
    global _since_trim
    _since_trim += n
    if _since_trim < TRIM_EVERY:
        return
    _since_trim = 0
    for name, mod in list(sys.modules.items()):
        if not name.startswith("detector.") or mod is None:
            continue
        for obj in list(vars(mod).values()):
            info = getattr(obj, "cache_info", None)
            if info is None or not callable(info) or not hasattr(obj, "cache_clear"):
                continue
            if getattr(obj, "kept", False):  # memo.kept_lru_cache: bounded by LRU eviction
                continue
            try:
                size = info().maxsize
            except TypeError:
                continue
            if size is not None and size >= MEMO_MIN_SIZE:
                obj.cache_clear()
    memo.trim(everything=True)  # the plain-dict memos (detector.memo.bounded_cache)


def _init_worker(user_names: list[str], rule_settings: dict) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    settings.activate(rule_settings)  # the caller's rule settings (detector.settings)
    if user_names:
        from . import gazetteer

        gazetteer.set_user_gazetteer(user_names)
    _families()


def _warm_up() -> None:
    """Load what the families and language identification load lazily (models, gazetteer), so
    forked workers share it instead of each loading its own."""
    per_doc, stat_mods = _families()
    doc = Document("Warm-up text\n\nThe minister, John Smith, said on Monday that the plan would go ahead.")
    language.analyse(doc.text)
    analysis.document_evidence(doc, per_doc, stat_mods)


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

            _warm_up()  # loaded once here, shared with the forked workers
            ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
            self.pool = ProcessPoolExecutor(
                self.jobs, mp_context=ctx, initializer=_init_worker,
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


def build_index(
    source: Callable[[], Iterable[Article | str]], *, runner: _Runner, caps: bool, chunk: int = 64
) -> tuple[batch.BatchIndex, int]:
    """First pass: the merged batch index of the source's English articles, and the
    number of articles."""
    pending: list[Future] = []
    merged = batch.BatchIndex()
    buf: list[str] = []

    def flush():
        if buf:
            pending.append(runner.submit(index_texts, list(buf), caps))
            buf.clear()
        while len(pending) > 2 * runner.jobs:  # bounded: only a few chunks in flight
            merged.absorb(runner.result(pending.pop(0)))

    count = 0
    for x in source():
        count += 1
        buf.append(x.text if isinstance(x, Article) else x)
        if len(buf) >= chunk:
            if pending:  # a second chunk: enough work for the workers
                runner.ensure_pool()
            flush()
    flush()
    for f in pending:
        merged.absorb(runner.result(f))
    return merged, count


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
) -> Iterator[api.Report]:
    """Reports for the articles of ``source()``, in order, as they are done (see the module
    docstring). ``source`` is called twice (first pass: the batch index; second: the analysis),
    unless ``index`` (the merged :class:`detector.batch.BatchIndex` of the same input) is given.
    ``jobs``: worker processes (None: :func:`default_jobs`; 1: in this process). Other
    arguments as for :func:`detector.api.score`."""
    cutoffs = api.parse_thresholds(thresholds)
    selection = Selection.build(select, ignore, extend_select, min_severity)
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    window = max(1, int(window))
    grammar_on = not (grammar == "off" or grammar is None or grammar is False)
    runner = _Runner(jobs)
    index_path = None
    grammar_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detector-grammar")
    state = {"checker": None, "status": "off", "opened": False}
    scorers: dict[bool, object] = {}
    cancelled = True
    try:
        if index is None:
            index, count = build_index(source, runner=runner, caps=grammar_on, chunk=runner.chunks(window))
        else:
            count = None
        if count is None or count >= 2 * jobs:
            runner.ensure_pool()
        index_ref: object = index
        if runner.pool is not None:  # the workers read the index once, from a file
            fd, index_path = tempfile.mkstemp(prefix="detector-index-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            index_ref = index_path
        store = evidence_cache.open_cache(cache)
        fp = evidence_cache.fingerprint() if store is not None else None

        def start(arts: list[Article]):
            keys = [evidence_cache.make_key(fp, a.text) for a in arts] if store is not None else None
            cached = store.lookup(keys) if store is not None else [None] * len(arts)
            items = [(a.text, c is None) for a, c in zip(arts, cached, strict=True)]
            size = runner.chunks(len(items))
            futs = [runner.submit(_analyse_chunk, index_ref, items[i : i + size]) for i in range(0, len(items), size)]
            return arts, keys, cached, futs

        def collect(started):
            arts, keys, cached, futs = started
            results = [r for f in futs for r in runner.result(f)]
            texts = [scrub_surrogates(a.text) for a in arts]
            judged = [i for i, (lang, *_rest) in enumerate(results) if lang.english]
            own = {}
            new = []
            for i in judged:
                got = cached[i] if cached[i] is not None else results[i][1]
                own[i] = got
                if cached[i] is None and store is not None:
                    new.append((keys[i], *got))
            if new:
                store.store(new)
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

        def finish(collected) -> list[api.Report]:
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
            if use is None and judged:
                grammar_ok = all(evidence[i].grammar == "ok" for i in judged)
                if grammar_ok not in scorers:
                    scorers[grammar_ok] = api.load_scorer(model, grammar_available=grammar_ok)
                use = scorers[grammar_ok]
            reports = api.build_reports(arts, evidence, langs, scorer=use, model=model, cutoffs=cutoffs)
            if progress is not None:
                progress(len(reports))
            return reports

        prev = None  # the collected window whose LanguageTool checks run while the next is analysed
        started = None
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

        for arts in windows():
            nxt = start(arts)
            if started is not None:
                collected = collect(started)
                if prev is not None:
                    yield from finish(prev)
                prev = collected
            started = nxt
        if started is not None:
            if prev is not None and not grammar_on:
                # the workers still analyse the last window: score the one before meanwhile (with
                # grammar on, the last window's LanguageTool checks are queued first)
                yield from finish(prev)
                prev = None
            collected = collect(started)
            if prev is not None:
                yield from finish(prev)
            prev = collected
        if prev is not None:
            yield from finish(prev)
        cancelled = False
    finally:
        chk = state["checker"]
        if cancelled and chk is not None and hasattr(chk, "cancel"):
            chk.cancel()
        if chk is not None and hasattr(chk, "batch_corroboration"):
            chk.batch_corroboration = True
        grammar_pool.shutdown(wait=not cancelled, cancel_futures=cancelled)
        runner.close(cancel=cancelled)
        if index_path is not None:
            try:
                os.unlink(index_path)
            except OSError:
                pass
