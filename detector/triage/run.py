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
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from .. import __version__
from ..article import Article
from ..findings import Finding
from . import cluster as cluster_mod
from .fetch import Fetcher, FetchError, FetchPolicy
from .sources import Item, fetch_article, load_source
from .state import State, Stored, now_iso

DEFAULT_MAX_ITEMS = 200
DEFAULT_BATCH_SIZE = 25


@dataclass(slots=True)
class Row:
    """One triaged item, as reported."""

    key: str
    status: str  # "scored" (this run) | "cached" (from state) | "error"
    url: str | None = None
    title: str | None = None
    published: str | None = None
    reason: str | None = None  # why it was scored: new | changed | rescore | config
    error: str | None = None
    text: str | None = None
    report: dict | None = None
    scored_at: str | None = None
    rank: int = 0
    cluster: int | None = None  # 1-based id of its near-duplicate group (None: no duplicates)
    cluster_size: int = 1
    best_in_cluster: bool = False

    @property
    def reliability(self) -> float | None:
        if self.report is None or self.report.get("reliability") is None:  # error, or not judged
            return None
        return float(self.report["reliability"])

    @property
    def verdict(self) -> str | None:
        return None if self.report is None else self.report.get("verdict")

    @property
    def label(self) -> str:
        return self.url or self.key

    @property
    def findings(self) -> list[Finding]:
        if not self.report:
            return []
        return [Finding.from_dict(d) for d in self.report.get("findings", [])]

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
        r = self.report or {}
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


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scoring_config(
    model: str | None, grammar: str, names: list[str] | None = None, *, scorer_name: str | None = None
) -> str:
    """A string that changes whenever a stored score would no longer be comparable."""
    from .. import api
    from ..io import file_sha256

    parts = [f"detector {__version__}", f"grammar {grammar}"]
    if model:
        try:
            parts.append(f"model {model} sha256:{file_sha256(model)[:16]}")
        except OSError:
            parts.append(f"model {model}")
    else:
        try:
            name = scorer_name or api.load_scorer(None, grammar_available=grammar != "off").name
            parts.append(f"model {name}")
        except Exception as e:  # a broken default model is reported by scoring itself
            parts.append(f"model ? ({type(e).__name__})")
        try:  # a retrained default model keeps its name: fingerprint the installed file
            from .. import model as model_mod

            p = model_mod.default_model_path(grammar != "off")
            for f in (p.with_suffix(".npz"), p):
                if f.exists():
                    parts.append(f"sha256:{file_sha256(f)[:16]}")
                    break
        except Exception:  # no model module / resources: the rule scorer's name says it all
            pass
    for n in names or []:
        try:
            parts.append(f"names sha256:{file_sha256(n)[:16]}")
        except OSError:
            parts.append(f"names {n}")
    return "; ".join(parts)


def _supports_context() -> bool:
    return _score_accepts("context")


def _score_accepts(name: str) -> bool:
    from .. import api

    try:
        params = inspect.signature(api.score).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


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
    return sum(1 for f in (row.report or {}).get("findings", []) if f.get("family") in PAGE_FURNITURE)


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
            len((m.report or {}).get("findings", [])),
            m.published or "~",
            m.rank,
        ),
    )


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
    from ..families import grammar as grammar_family

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

        # de-duplicate keys (first listing wins), then --since, then --max-items
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

        # Without grammar the scorer does not depend on the batch: load it once, not per chunk.
        # (With grammar, api.score picks the model variant by whether LanguageTool ran.)
        scorer = api.load_scorer(model, grammar_available=False) if grammar == "off" else None
        config = scoring_config(model, grammar, names, scorer_name=scorer.name if scorer else None)
        run_id = state.start_run(source_id) if state else None
        rows: list[Row] = [
            Row(
                key=it.key,
                status="pending",
                url=it.url,
                title=it.title,
                published=it.published.isoformat() if it.published else None,
            )
            for it in items
        ]
        stored: list[Stored | None] = [state.get(source_id, it.key) if state else None for it in items]

        def cached(i: int, s: Stored) -> None:
            r = rows[i]
            r.status, r.text, r.report, r.scored_at = "cached", s.text, s.report, s.scored_at
            r.title = r.title or s.title

        def fail(i: int, msg: str) -> None:
            rows[i].status, rows[i].error = "error", msg
            if on_error:
                on_error(rows[i])

        # 1. listing errors and listing-level cache hits (no fetch)
        to_fetch: list[int] = []
        articles: dict[int, Article] = {}
        for i, it in enumerate(items):
            s = stored[i]
            if it.error:
                fail(i, it.error)
            elif s and not rescore and not refetch and s.fingerprint == it.fingerprint and s.config == config:
                cached(i, s)
            elif it.needs_fetch:
                to_fetch.append(i)
            else:
                articles[i] = it.article

        # 2. fetch pages (in parallel, results kept in listing order)
        if to_fetch:
            done = 0
            if progress:
                progress("fetching", 0, len(to_fetch))

            def work(i: int):
                try:
                    return i, fetch_article(items[i], fetcher, max_bytes=policy.max_bytes), None
                except FetchError as e:
                    return i, None, str(e)
                except Exception as e:  # extraction bugs etc.: report, never drop
                    return i, None, f"{type(e).__name__}: {e}"

            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                for i, art, err in pool.map(work, to_fetch):
                    done += 1
                    if progress:
                        progress("fetching", done, len(to_fetch))
                    if err:
                        fail(i, err)
                    else:
                        articles[i] = art

    # 3. text-level cache hits; the rest is to be scored
    to_score: list[int] = []
    for i in sorted(articles):
        art, s, it = articles[i], stored[i], items[i]
        art.id = art.id or it.key
        art.url = art.url or it.url
        art.title = art.title or it.title
        if s and not rescore and s.content_hash == _sha(art.text) and s.config == config:
            cached(i, s)
            if state and s.fingerprint != it.fingerprint:
                state.touch_fingerprint(source_id, it.key, it.fingerprint)
            continue
        rows[i].reason = (
            "rescore"
            if (rescore and s)
            else "new"
            if s is None
            else ("config" if s.config != config else "changed")
        )
        rows[i].text = art.text
        to_score.append(i)

    # 4. score in chunks, each with the rest of the run as name context; commit per chunk
    if to_score:
        use_context = _supports_context()
        if not use_context:
            batch_size = len(to_score)  # one batch: names are judged across it
        known_texts = {i: rows[i].text for i in range(len(rows)) if rows[i].status == "cached"}
        score_texts = {i: articles[i].text for i in to_score}
        done = 0
        if progress:
            progress("scoring", 0, len(to_score))
        per_article = progress is not None and _score_accepts("progress")
        for start in range(0, len(to_score), max(1, batch_size)):
            chunk = to_score[start : start + max(1, batch_size)]
            kwargs = dict(grammar=grammar, languagetool_url=languagetool_url, model=model)
            if per_article:  # a chunk is one api.score call: count its articles as they finish
                kwargs["progress"] = _chunk_progress(progress, done, len(chunk), len(to_score))
            if scorer is not None:
                kwargs["scorer"] = scorer
            if use_context:
                in_chunk = set(chunk)
                kwargs["context"] = [
                    t for j, t in {**known_texts, **score_texts}.items() if j not in in_chunk
                ]
            try:
                reports = api.score([articles[i] for i in chunk], **kwargs)
            except grammar_family.GrammarUnavailable:
                raise
            except Exception as e:  # a detector bug on one text must not sink the feed
                reports = []
                for i in chunk:  # isolate the culprit(s); the rest are scored with the same context
                    try:
                        reports.append(api.score([articles[i]], **kwargs)[0])
                    except grammar_family.GrammarUnavailable:
                        raise
                    except Exception as e1:
                        reports.append(None)
                        fail(i, f"scoring failed: {type(e1).__name__}: {e1}")
                if all(r is None for r in reports) and len(chunk) > 1:
                    note(f"scoring failed for a whole batch ({type(e).__name__}: {e})")
            when = now_iso()
            batch_rows: list[Stored] = []
            for i, rep in zip(chunk, reports, strict=True):
                if rep is None:
                    continue
                d = rep.to_dict()
                r = rows[i]
                r.status, r.report, r.scored_at = "scored", d, when
                batch_rows.append(
                    Stored(
                        source=source_id,
                        key=items[i].key,
                        url=r.url,
                        title=r.title,
                        published=r.published,
                        fingerprint=items[i].fingerprint,
                        content_hash=_sha(articles[i].text),
                        config=config,
                        model=rep.model,
                        # the state column is NOT NULL: a text not judged (verdict "unsupported",
                        # not English) is stored as -1; its report JSON keeps reliability null
                        reliability=-1.0 if rep.reliability is None else rep.reliability,
                        verdict=rep.verdict,
                        report=d,
                        text=articles[i].text,
                        scored_at=when,
                        run_id=run_id,
                    )
                )
            if state:
                state.upsert_many(batch_rows)
            done += len(chunk)
            if progress:
                progress("scoring", done, len(to_score))

    # 5. group near-duplicates, rank least reliable first; then the texts not judged (verdict
    # "unsupported": not English), never among the reliable ones; errors last
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
