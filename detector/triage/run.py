"""The triage pipeline: source -> items -> (fetch) -> score new/changed items -> rank -> group.

Incremental runs: an item whose listing fingerprint *and* scoring configuration match the state
is reported from the state without being fetched or scored again; an item that is fetched and
whose text hash matches the state is reported from the state too. Only new or changed items
are scored (``rescore=True`` scores everything).

Batch semantics: items to score are scored in chunks of ``batch_size``; every chunk is scored
with all other texts of this run (already known and still to score) passed to
:func:`detector.api.score` as ``context``, so cross-article name consistency is judged over the
whole feed while each chunk is committed to the state as soon as it is scored (a run killed
midway keeps every finished chunk). Reports taken from the state are not re-judged against
newer items (the trade-off: a name that only later becomes the minority spelling is flagged
in items scored from then on; ``--rescore`` re-judges everything).

The run is a sequence of named phases over one :class:`_Run` (the items, their rows and what the
state holds for them): :func:`select_items` (de-duplicate keys, ``--since``, ``--max-items``),
:func:`reuse_listed` (listing errors; items unchanged in the listing come from the state),
:func:`fetch_pages` (in parallel), :func:`reuse_unchanged` (fetched text unchanged: from the
state), :func:`score_items` (in chunks, committed per chunk) and :func:`rank_and_group`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from ..article import Article
from . import cluster as cluster_mod
from .fetch import Fetcher, FetchError, FetchPolicy
from .rows import BEST_COPY_CLOSE, PAGE_FURNITURE, ItemReport, Row, TriageResult, best_copy, furniture_count
from .sources import Item, fetch_article, load_source
from .state import State, Stored, content_hash, now_iso, scoring_config

__all__ = [
    "BEST_COPY_CLOSE", "DEFAULT_BATCH_SIZE", "DEFAULT_MAX_ITEMS", "PAGE_FURNITURE", "ItemReport", "Row",
    "TriageResult", "best_copy", "furniture_count", "scoring_config", "select_items", "triage",
]

DEFAULT_MAX_ITEMS = 200
DEFAULT_BATCH_SIZE = 25


def _chunk_progress(
    progress: Callable[[str, int, int], None], base: int, size: int, total: int
) -> Callable[[int], None]:
    """api.score's per-article callback for one chunk, as "scoring" progress over the whole run
    (never past the chunk's end, even when a failed chunk is scored again article by article)."""
    seen = 0

    def advance(n: int) -> None:
        nonlocal seen
        seen = min(size, seen + n)
        progress("scoring", base + seen, total)

    return advance


@dataclass
class _Run:
    """What the phases of one run share: the selected items, their rows (listing order), what
    the state holds for each, and the articles to score."""

    source_id: str
    items: list[Item]
    rows: list[Row]
    stored: list[Stored | None]
    config: str
    run_id: int | None
    state: State | None
    rescore: bool
    refetch: bool
    on_error: Callable[[Row], None] | None
    progress: Callable[[str, int, int], None] | None
    note: Callable[[str], None]
    articles: dict[int, Article] = field(default_factory=dict)  # item index -> article to score
    to_fetch: list[int] = field(default_factory=list)
    to_score: list[int] = field(default_factory=list)

    def cached(self, i: int, s: Stored) -> None:
        r = self.rows[i]
        r.status, r.text, r.report, r.scored_at = "cached", s.text, ItemReport.from_dict(s.report), s.scored_at
        r.title = r.title or s.title

    def fail(self, i: int, msg: str) -> None:
        self.rows[i].status, self.rows[i].error = "error", msg
        if self.on_error:
            self.on_error(self.rows[i])

    def phase(self, name: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(name, done, total)


def select_items(items: list[Item], source: str, since: datetime | None, max_items: int,
                 note: Callable[[str], None]) -> list[Item]:
    """Select: de-duplicate keys (the first listing wins), then ``--since``, then ``--max-items``."""
    seen: set[str] = set()
    unique: list[Item] = []
    for it in items:
        if it.key in seen:
            note(f"{source}: item {it.key!r} listed more than once; kept the first")
            continue
        seen.add(it.key)
        unique.append(it)
    items = unique
    if since is not None:
        before = len(items)
        undated = sum(1 for it in items if it.published is None)
        items = [it for it in items if it.published is None or it.published >= since]
        if before - len(items):
            note(f"--since: skipped {before - len(items)} item(s) published before {since.isoformat()}")
        if undated:
            note(f"--since: {undated} item(s) carry no date and were kept")
    if len(items) > max_items:
        note(f"--max-items: {len(items)} items in the source; triaging the first {max_items}")
        items = items[:max_items]
    return items


def reuse_listed(run: _Run) -> None:
    """Reuse before fetching: listing errors fail their row; an item whose listing fingerprint and
    scoring configuration match the state is reported from it; the rest is to fetch or to score."""
    for i, it in enumerate(run.items):
        s = run.stored[i]
        if it.error:
            run.fail(i, it.error)
        elif (s and not run.rescore and not run.refetch and s.fingerprint == it.fingerprint
              and s.config == run.config):
            run.cached(i, s)
        elif it.needs_fetch:
            run.to_fetch.append(i)
        else:
            run.articles[i] = it.article


def fetch_pages(run: _Run, fetcher: Fetcher, max_bytes: int, jobs: int) -> None:
    """Fetch: the pages of the items that need one, in parallel; results kept in listing order."""
    if not run.to_fetch:
        return
    total = len(run.to_fetch)
    run.phase("fetching", 0, total)

    def work(i: int):
        try:
            return i, fetch_article(run.items[i], fetcher, max_bytes=max_bytes), None
        except FetchError as e:
            return i, None, str(e)
        except Exception as e:  # extraction bugs etc.: report, never drop
            return i, None, f"{type(e).__name__}: {e}"

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for done, (i, art, err) in enumerate(pool.map(work, run.to_fetch), 1):
            run.phase("fetching", done, total)
            if err:
                run.fail(i, err)
            else:
                run.articles[i] = art


def reuse_unchanged(run: _Run) -> None:
    """Reuse after fetching: a text whose hash and configuration match the state is reported from
    it (its new listing fingerprint is recorded); every other text is to score, with the reason."""
    for i in sorted(run.articles):
        art, s, it = run.articles[i], run.stored[i], run.items[i]
        art.id = art.id or it.key
        art.url = art.url or it.url
        art.title = art.title or it.title
        if s and not run.rescore and s.content_hash == content_hash(art.text) and s.config == run.config:
            run.cached(i, s)
            if run.state and s.fingerprint != it.fingerprint:
                run.state.touch_fingerprint(run.source_id, it.key, it.fingerprint)
            continue
        run.rows[i].reason = (
            "rescore" if (run.rescore and s) else "new" if s is None else ("config" if s.config != run.config else "changed")
        )
        run.rows[i].text = art.text
        run.to_score.append(i)


def _score_chunk(run: _Run, chunk: list[int], kwargs: dict) -> list:
    """api.score on one chunk; when that fails, article by article (the culprits fail their row,
    the rest is scored with the same context). GrammarUnavailable ends the run."""
    from .. import api
    from ..families import grammar as grammar_family

    try:
        return api.score([run.articles[i] for i in chunk], **kwargs)
    except grammar_family.GrammarUnavailable:
        raise
    except Exception as e:  # a detector bug on one text must not sink the feed
        reports = []
        for i in chunk:
            try:
                reports.append(api.score([run.articles[i]], **kwargs)[0])
            except grammar_family.GrammarUnavailable:
                raise
            except Exception as e1:
                reports.append(None)
                run.fail(i, f"scoring failed: {type(e1).__name__}: {e1}")
        if all(r is None for r in reports) and len(chunk) > 1:
            run.note(f"scoring failed for a whole batch ({type(e).__name__}: {e})")
        return reports


def score_items(run: _Run, *, batch_size: int, grammar: str, languagetool_url: str | None,
                model: str | None, scorer) -> None:
    """Score: in chunks of ``batch_size``, each with the rest of the run's texts as name context;
    each chunk is committed to the state as soon as it is scored."""
    if not run.to_score:
        return
    total = len(run.to_score)
    known_texts = {i: r.text for i, r in enumerate(run.rows) if r.status == "cached"}
    score_texts = {i: run.articles[i].text for i in run.to_score}
    all_texts = {**known_texts, **score_texts}
    done = 0
    run.phase("scoring", 0, total)
    step = max(1, batch_size)
    for start in range(0, total, step):
        chunk = run.to_score[start : start + step]
        in_chunk = set(chunk)
        kwargs = dict(grammar=grammar, languagetool_url=languagetool_url, model=model,
                      context=[t for j, t in all_texts.items() if j not in in_chunk])
        if run.progress:  # a chunk is one api.score call: count its articles as they finish
            kwargs["progress"] = _chunk_progress(run.progress, done, len(chunk), total)
        if scorer is not None:
            kwargs["scorer"] = scorer
        reports = _score_chunk(run, chunk, kwargs)
        when = now_iso()
        batch_rows: list[Stored] = []
        for i, rep in zip(chunk, reports, strict=True):
            if rep is None:
                continue
            r = run.rows[i]
            r.status, r.report, r.scored_at = "scored", ItemReport.from_report(rep), when
            if run.state:
                batch_rows.append(_stored(run, i, rep, r, when))
        if run.state:
            run.state.upsert_many(batch_rows)
        done += len(chunk)
        run.phase("scoring", done, total)


def _stored(run: _Run, i: int, rep, row: Row, when: str) -> Stored:
    """The state record of an item scored now (its report written as a dict here)."""
    text = run.articles[i].text
    return Stored(
        source=run.source_id,
        key=run.items[i].key,
        url=row.url,
        title=row.title,
        published=row.published,
        fingerprint=run.items[i].fingerprint,
        content_hash=content_hash(text),
        config=run.config,
        model=rep.model,
        # the state column is NOT NULL: a text not judged (verdict "unsupported", not English)
        # is stored as -1; its report JSON keeps reliability null
        reliability=-1.0 if rep.reliability is None else rep.reliability,
        verdict=rep.verdict,
        report=row.report.to_dict(),
        text=text,
        scored_at=when,
        run_id=run.run_id,
    )


def rank_and_group(rows: list[Row], dup_threshold: float) -> list[Row]:
    """Rank least reliable first; then the texts not judged (verdict "unsupported": not English),
    never among the reliable ones; errors last. Group near-duplicates (1-based ids in rank order)
    and mark the best copy of each group."""
    with_text = [r for r in rows if r.status in ("scored", "cached") and r.text]
    labels = cluster_mod.clusters([r.text for r in with_text], dup_threshold)
    groups: dict[int, list[Row]] = {}
    for r, lab in zip(with_text, labels, strict=False):
        groups.setdefault(lab, []).append(r)
    done_rows = [r for r in rows if r.status in ("scored", "cached")]
    ok = sorted((r for r in done_rows if r.reliability is not None), key=lambda r: (r.reliability, r.label))
    unjudged = sorted((r for r in done_rows if r.reliability is None), key=lambda r: r.label)
    ranked = ok + unjudged + [r for r in rows if r.status == "error"]
    for n, r in enumerate(ranked, 1):
        r.rank = n
    cid = 0
    for members in sorted((g for g in groups.values() if len(g) > 1), key=lambda g: min(m.rank for m in g)):
        cid += 1
        best = best_copy(members)
        for m in members:
            m.cluster, m.cluster_size, m.best_in_cluster = cid, len(members), m is best
    return ranked


def triage(
    source: str,
    *,
    state: State | None,
    grammar: str = "off",
    languagetool_url: str | None = None,
    model: str | None = None,
    names: list[str] | None = None,
    rescore: bool = False,
    refetch: bool = False,
    since: datetime | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
    policy: FetchPolicy | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dup_threshold: float = cluster_mod.DEFAULT_THRESHOLD,
    jobs: int = 4,
    on_error: Callable[[Row], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    encoding: str | None = None,
) -> TriageResult:
    """Triage ``source``; see the module docstring. Raises ``SourceError`` if the source as a
    whole is unreadable. ``progress(phase, done, total)`` reports the phases in turn: "reading"
    (total 0: not known), "fetching" and "scoring" (one article at a time).
    ``encoding``: codec of plain-text files of a directory source (default strict UTF-8)."""
    from .. import api

    policy = policy or FetchPolicy()
    notes: list[str] = []

    def note(msg: str) -> None:
        notes.append(msg)
        if on_note:
            on_note(msg)

    with Fetcher(policy) as fetcher:
        if progress:
            progress("reading", 0, 0)
        source_id, kind, items = load_source(source, fetcher, max_bytes=policy.max_bytes, encoding=encoding)
        items = select_items(items, source, since, max_items, note)
        # Without grammar the scorer does not depend on the batch: load it once, not per chunk.
        # (With grammar, api.score picks the model variant by whether LanguageTool ran.)
        scorer = api.load_scorer(model, grammar_available=False) if grammar == "off" else None
        config = scoring_config(model, grammar, names, scorer_name=scorer.name if scorer else None)
        run_id = state.start_run(source_id) if state else None
        run = _Run(
            source_id=source_id,
            items=items,
            rows=[
                Row(key=it.key, status="pending", url=it.url, title=it.title,
                    published=it.published.isoformat() if it.published else None)
                for it in items
            ],
            stored=[state.get(source_id, it.key) if state else None for it in items],
            config=config, run_id=run_id, state=state, rescore=rescore, refetch=refetch,
            on_error=on_error, progress=progress, note=note,
        )
        reuse_listed(run)
        fetch_pages(run, fetcher, policy.max_bytes, jobs)
    reuse_unchanged(run)
    score_items(run, batch_size=batch_size, grammar=grammar, languagetool_url=languagetool_url,
                model=model, scorer=scorer)
    ranked = rank_and_group(run.rows, dup_threshold)

    result = TriageResult(source=source, kind=kind, rows=ranked, config=config, run_id=run_id, notes=notes)
    if state and run_id is not None:
        state.finish_run(
            run_id,
            items=len(ranked),
            scored=result.count("scored"),
            cached=result.count("cached"),
            errors=result.count("error"),
        )
    return result
