"""grammar / spelling families: matches from a real LanguageTool server.

Contract used by :mod:`detector.api`:

- ``open_checker(mode, url=None) -> (checker | None, status)`` where ``mode`` is ``"auto"``
  (use LanguageTool if it can be had, else ``(None, "unavailable")``) or ``"require"`` (raise
  :class:`GrammarUnavailable` with the steps to fix it).
- ``checker.check_many(texts) -> list[GrammarResult]``.

Where LanguageTool comes from, in order: ``url`` / ``--languagetool-url`` / ``$DETECTOR_LT_URL``;
a server kept running by ``detector languagetool serve`` (found through its port file); else
a local JVM (:class:`detector.languagetool.LocalServer`) that is started lazily, only when some
text is not already in the on-disk cache (:mod:`detector.grammar_cache`), shared by every
checker of the process, restarted if it dies mid-batch and killed at exit. Requests are built by
language-tool-python (``LanguageTool(remote_server=...)``: language validation and the
``/v2/check`` parameters) and sent over one pooled HTTP client, concurrently, one request per
chunk (long articles are split at paragraph breaks into ~``chunk_chars`` pieces).

Findings:

- family ``spelling`` for spelling rules (category TYPOS / MULTITOKEN_SPELLING, MORFOLOGIK
  rules), family ``grammar`` for everything else; code = the LanguageTool rule id; the first
  three replacements, joined by " | ", as the suggestion;
- a spelling hit on a capitalised word becomes ``name``/``NAM004`` (a misspelt name, warning)
  only with corroboration: another spelling in the article or batch, a typing slip of a known
  word, a slip of a prominent person's surname (:func:`detector.families.names.unknown_word_evidence`,
  :func:`corroborate_batch`); otherwise an ``info`` note of family ``note`` that no model counts,
  emitted only with ``DETECTOR_NAM004_NOTES=1``; nothing for words of the user's names files
  (``--names``/``$DETECTOR_NAMES``). :func:`detector.api._dedupe` drops NAM004 where a specific
  name finding covers the span;
- spelling hits that only say a word is the British/American variant are dropped.

Spans are offsets into the original text: LanguageTool counts UTF-16 code units, which are
converted back to Python code points (astral characters such as emoji count 2 in Java, 1 here).

Statistics (``GrammarResult.rates``, stable keys): ``lt_<CATEGORY>_per100w`` for every category
in :data:`CATEGORIES` (matches of other categories count in ``lt_OTHER_per100w``) and
``lt_total_per100w``. Rates count every LanguageTool match, including those reported as NAM004.

Configuration (environment, or a TOML file named by ``$DETECTOR_LT_CONFIG`` with the same keys
in lower case without the prefix: ``language``, ``disabled_rules``, ``disabled_categories``,
``chunk_chars``, ``timeout``, ``workers``):

- ``DETECTOR_LT_LANGUAGE`` (default ``en-US``);
- ``DETECTOR_LT_DISABLED_RULES``: comma list replacing :data:`DEFAULT_DISABLED_RULES`
  (``+RULE_A,RULE_B`` adds to the default instead; empty string disables none);
- ``DETECTOR_LT_DISABLED_CATEGORIES`` (default :data:`DEFAULT_DISABLED_CATEGORIES`, same syntax);
- ``DETECTOR_LT_CHUNK_CHARS`` (default 4000), ``DETECTOR_LT_TIMEOUT`` seconds per request
  (default 120), ``DETECTOR_LT_WORKERS`` concurrent requests (default: CPU count, at least 2);
- server options (memory cap, threads, install location): see :mod:`detector.languagetool`;
- cache location: see :mod:`detector.grammar_cache`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..findings import Finding

FAMILY = "grammar"

# Fixed list so feature vectors are stable (LanguageTool 6.8 English category ids).
CATEGORIES = (
    "GRAMMAR",
    "TYPOS",
    "CONFUSED_WORDS",
    "REPETITIONS",
    "REPETITIONS_STYLE",
    "REDUNDANCY",
    "PUNCTUATION",
    "STYLE",
    "CASING",
    "MISC",
    "TYPOGRAPHY",
    "SEMANTICS",
    "COLLOCATIONS",
    "COMPOUNDING",
    "NONSTANDARD_PHRASES",
    "MULTITOKEN_SPELLING",
    "PROPER_NOUNS",
)
RATE_KEYS = tuple(f"lt_{c}_per100w" for c in CATEGORIES) + ("lt_OTHER_per100w", "lt_total_per100w")

# Noisy on edited news text, or double-counting another detector family. Measured on BBC test
# articles with LanguageTool 6.8: the comma rules and unpaired quotes (multi-paragraph quotes
# legitimately leave a quote open) fire on clean copy; sentence-start case and unpaired quotes
# are covered by BRK001/BRK004; whitespace/quote/dash typography is extraction noise.
DEFAULT_DISABLED_RULES = (
    "WHITESPACE_RULE",
    "CONSECUTIVE_SPACES",
    "EN_QUOTES",
    "DASH_RULE",
    "HYPHEN_TO_EN",
    "UPPERCASE_SENTENCE_START",
    "EN_UNPAIRED_QUOTES",
    "EN_UNPAIRED_BRACKETS",
    "COMMA_COMPOUND_SENTENCE",
    "COMMA_COMPOUND_SENTENCE_2",
    "SENT_START_CONJUNCTIVE_LINKING_ADVERB_COMMA",
    "PUNCTUATION_PARAGRAPH_END",
)
# Locale preferences are not garbling (en-US checking of British copy).
DEFAULT_DISABLED_CATEGORIES = ("BRITISH_ENGLISH", "AMERICAN_ENGLISH")

SPELLING_CATEGORIES = frozenset({"TYPOS", "MULTITOKEN_SPELLING"})
_VARIANT_RE = re.compile(r"\bis (British|American|Canadian|Australian|New Zealand|South African) English\b")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_FIX_STEPS = (
    "to fix: install Java 17+ (e.g. `apt-get install openjdk-17-jre-headless`), then run "
    "`detector languagetool install` (or `make languagetool`); or pass --languagetool-url URL "
    "(env DETECTOR_LT_URL) of a running LanguageTool server; `detector languagetool status` "
    "shows what is missing"
)


class GrammarUnavailable(RuntimeError):
    """LanguageTool cannot be had; the message says how to fix it."""


@dataclass(slots=True)
class GrammarResult:
    findings: list[Finding] = field(default_factory=list)
    rates: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    # capitalised words LanguageTool does not know and nothing in the article corroborates as a
    # misspelling, as (start, end): the batch may still (see :func:`corroborate_batch`)
    unknown_names: list[tuple[int, int]] = field(default_factory=list)


# -- configuration ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LTConfig:
    language: str = "en-US"
    disabled_rules: tuple[str, ...] = DEFAULT_DISABLED_RULES
    disabled_categories: tuple[str, ...] = DEFAULT_DISABLED_CATEGORIES
    chunk_chars: int = 4000
    timeout: float = 120.0
    workers: int = 2

    def fingerprint(self) -> str:
        """What changes LanguageTool's answer for a text (part of the cache key)."""
        d = {
            "language": self.language,
            "disabled_rules": sorted(self.disabled_rules),
            "disabled_categories": sorted(self.disabled_categories),
            "chunk_chars": self.chunk_chars,
        }
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _list_setting(value, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if isinstance(value, (list, tuple)):
        return tuple(sorted({str(v).strip() for v in value if str(v).strip()}))
    value = str(value).strip()
    extra = value.startswith("+")
    items = {v.strip() for v in value.lstrip("+").split(",") if v.strip()}
    return tuple(sorted(items | set(default))) if extra else tuple(sorted(items))


def load_config() -> LTConfig:
    file_cfg: dict = {}
    path = os.environ.get("DETECTOR_LT_CONFIG")
    if path:
        import tomllib

        with open(path, "rb") as f:
            file_cfg = tomllib.load(f)

    def get(name: str):
        env = os.environ.get(f"DETECTOR_LT_{name.upper()}")
        return env if env is not None else file_cfg.get(name)

    workers = get("workers")
    return LTConfig(
        language=str(get("language") or "en-US"),
        disabled_rules=_list_setting(get("disabled_rules"), DEFAULT_DISABLED_RULES),
        disabled_categories=_list_setting(get("disabled_categories"), DEFAULT_DISABLED_CATEGORIES),
        chunk_chars=int(get("chunk_chars") or 4000),
        timeout=float(get("timeout") or 120),
        workers=int(workers) if workers else max(2, os.cpu_count() or 2),
    )


# -- offsets and chunks ----------------------------------------------------------------------
def utf16_to_codepoint_map(text: str) -> list[int] | None:
    """Map UTF-16 offsets (Java/LanguageTool) to code point offsets; None if they coincide."""
    if not _ASTRAL_RE.search(text):
        return None
    m: list[int] = []
    for i, ch in enumerate(text):
        m.append(i)
        if ord(ch) > 0xFFFF:
            m.append(i)  # the low surrogate maps to the same character
    m.append(len(text))
    return m


def map_span(m: list[int] | None, offset: int, length: int) -> tuple[int, int]:
    if m is None:
        return offset, offset + length
    last = len(m) - 1
    s16, e16 = min(max(offset, 0), last), min(max(offset + length, 0), last)
    start, end = m[s16], m[e16]
    if e16 > 0 and m[e16] == m[e16 - 1] and e16 < last:  # end inside a surrogate pair: round up
        end += 1
    return start, max(end, start)


_PARA_BREAK_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK_RE = re.compile(r"\n\s*")


def split_chunks(text: str, size: int) -> list[tuple[int, int]]:
    """(start, end) pieces covering ``text``, cut after paragraph breaks (line breaks for very
    long paragraphs), each about ``size`` characters or less where the text allows."""
    if len(text) <= size or size <= 0:
        return [(0, len(text))]
    cuts = [m.end() for m in _PARA_BREAK_RE.finditer(text)]
    pieces: list[tuple[int, int]] = []
    start = 0
    bounds = [*cuts, len(text)]
    prev = 0
    for b in bounds:
        if b - start > size and prev > start:
            pieces.append((start, prev))
            start = prev
        prev = b
    pieces.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in pieces:  # a single over-long paragraph: cut at line breaks inside it
        if e - s <= 2 * size:
            out.append((s, e))
            continue
        sub_start, prev = s, s
        for m in _LINE_BREAK_RE.finditer(text, s, e):
            b = m.end()
            if b - sub_start > size and prev > sub_start:
                out.append((sub_start, prev))
                sub_start = prev
            prev = b
        out.append((sub_start, e))
    return [(s, e) for s, e in out if e > s] or [(0, len(text))]


# -- matches -> findings / rates -------------------------------------------------------------
def normalise_match(m: dict, chunk_text: str, base: int, umap: list[int] | None) -> list | None:
    """A LanguageTool JSON match as ``[rule, category, issue_type, start, end, message, repl]``
    with offsets in code points of the whole text; None for dropped matches."""
    rule = m.get("rule") or {}
    rid = rule.get("id", "")
    cat = (rule.get("category") or {}).get("id", "")
    msg = m.get("message", "")
    if (cat in SPELLING_CATEGORIES or rid.startswith("MORFOLOGIK")) and _VARIANT_RE.search(msg):
        return None
    start, end = map_span(umap, int(m.get("offset", 0)), int(m.get("length", 0)))
    repl = [r.get("value", "") for r in (m.get("replacements") or [])[:3]]
    return [rid, cat, rule.get("issueType", ""), base + start, base + end, msg, repl]


def _is_spelling(rid: str, cat: str) -> bool:
    return cat in SPELLING_CATEGORIES or rid.startswith(("MORFOLOGIK_RULE", "HUNSPELL"))


def _nam004(text: str, start: int, end: int, evidence: tuple[str, str]) -> Finding:
    word = text[start:end]
    reason, good = evidence
    return Finding(
        "name",
        "NAM004",
        start,
        end,
        f"'{word}' is not in LanguageTool's dictionary and {reason}: a misspelling of '{good}'?",
        good,
        "warning",
    )


def _nam004_note(text: str, start: int, end: int, suggestion: str | None) -> Finding:
    """The opt-in note (family ``note``: no model counts it, so it never moves a score)."""
    return Finding(
        "note",
        "NAM004",
        start,
        end,
        f"'{text[start:end]}' is not in LanguageTool's dictionary (a name? nothing suggests a misspelling)",
        suggestion,
        "info",
    )


def to_result(text: str, matches: list[list]) -> GrammarResult:
    """Findings and rates of one text from its LanguageTool matches.

    A spelling match on a capitalised word is a name question, decided by
    :func:`detector.families.names.unknown_word_evidence`: a ``name``/``NAM004`` warning when
    something corroborates a misspelling, nothing when the user's names files list the word,
    else an ``info`` note in family ``note`` -- only with ``DETECTOR_NAM004_NOTES=1``."""
    from . import names

    findings = []
    unknown: list[tuple[int, int]] = []
    notes = names.nam004_notes_enabled()
    index = None
    counts = dict.fromkeys(CATEGORIES, 0)
    other = 0
    for rid, cat, issue, start, end, msg, repl in matches:
        if cat in counts:
            counts[cat] += 1
        else:
            other += 1
        spelling = _is_spelling(rid, cat)
        word = text[start:end]
        severity = "warning" if issue in ("grammar", "misspelling", "duplication") else "info"
        suggestion = " | ".join(r for r in repl if r) or None
        if spelling and word[:1].isupper():
            if index is None:
                index = names.SpellingIndex(names.capitalised_counts(text))
            ev = names.unknown_word_evidence(text, start, end, index)
            if isinstance(ev, tuple):
                findings.append(_nam004(text, start, end, ev))
            elif ev is None:
                unknown.append((start, end))
                if notes:
                    findings.append(_nam004_note(text, start, end, suggestion))
        else:
            findings.append(
                Finding("spelling" if spelling else "grammar", rid, start, end, msg, suggestion, severity)
            )
    words = max(1, sum(1 for _ in _WORD_RE.finditer(text)))
    rates = {f"lt_{c}_per100w": 100.0 * n / words for c, n in counts.items()}
    rates["lt_OTHER_per100w"] = 100.0 * other / words
    rates["lt_total_per100w"] = 100.0 * len(matches) / words
    return GrammarResult(findings=findings, rates=rates, unknown_names=unknown)


def corroborate_batch(texts: list[str], results: list[GrammarResult | None]) -> None:
    """Upgrade (in place) an uncorroborated unknown capitalised word to a NAM004 warning when
    other articles of the batch agree on another spelling of it
    (:func:`detector.families.names.batch_variant`)."""
    from collections import Counter

    from . import names

    if len(texts) < 2 or not any(r is not None and r.unknown_names for r in results):
        return
    own = [names.capitalised_counts(t) for t in texts]
    doc_freq: Counter = Counter()
    for c in own:
        doc_freq.update(c.keys())
    batch = names.SpellingIndex(doc_freq)
    for t, r, c in zip(texts, results, own, strict=True):
        if r is None or not r.unknown_names:
            continue
        keep = []
        for s, e in r.unknown_names:
            word = names._CLITIC_RE.sub("", t[s:e])
            v = names.batch_variant(word, batch, c)
            if v is None:
                keep.append((s, e))
                continue
            r.findings = [f for f in r.findings if not (f.family == "note" and f.start == s and f.end == e)]
            r.findings.append(_nam004(t, s, e, (f"{v[1]} other articles of this batch spell it '{v[0]}'", v[0])))
        r.unknown_names = keep


# -- the shared local server -----------------------------------------------------------------
_SERVER = None
_SERVER_LOCK = threading.Lock()
_LAUNCHER: ThreadPoolExecutor | None = None


def shared_server():
    """The process's one local LanguageTool server object (not started until needed)."""
    global _SERVER
    with _SERVER_LOCK:
        if _SERVER is None:
            from ..languagetool import LocalServer

            _SERVER = LocalServer()
        return _SERVER


def _launch(server) -> None:
    """Start the JVM from one long-lived thread, so Linux's parent-death signal (tied to the
    thread that forked) only fires when the process ends."""
    global _LAUNCHER
    with _SERVER_LOCK:
        if _LAUNCHER is None:
            _LAUNCHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lt-launcher")
    _LAUNCHER.submit(server.start).result()


def shutdown() -> None:
    """Stop the local server now (it is also stopped at exit)."""
    if _SERVER is not None:
        _SERVER.stop()


class _Cancelled(Exception):
    """The check was cancelled (see :meth:`LanguageToolChecker.cancel`)."""


class _ServerGone(RuntimeError):
    pass


class LanguageToolChecker:
    """Checks texts with LanguageTool: on-disk cache first, then concurrent chunked requests.

    ``url``: an existing server (never restarted by us); None: the shared local server.
    ``on_result(index, result)`` is called (in the calling thread) as each text completes.
    """

    max_restarts = 2
    # hook for detector.batch: False when the caller corroborates unknown names against the whole
    # input's index instead of the texts of one check_many call (streaming windows, Dask partitions)
    batch_corroboration = True

    def __init__(
        self,
        url: str | None = None,
        *,
        config: LTConfig | None = None,
        cache=None,
        require: bool = False,
        on_result: Callable[[int, GrammarResult], None] | None = None,
    ):
        from .. import grammar_cache
        from ..languagetool import LT_VERSION

        self.remote_url = url.rstrip("/") if url else None
        self.config = config or load_config()
        self.cache = cache if cache is not None else grammar_cache.GrammarCache(grammar_cache.default_path())
        self.require = require
        self.on_result = on_result
        self.version = LT_VERSION
        self.requests = 0  # HTTP check requests sent (tests use it to prove cache hits)
        self._tool = None
        self._tool_url = None
        self._client = None
        self._lock = threading.Lock()
        self._cancel = threading.Event()

    # -- server access ----------------------------------------------------------------------
    @property
    def server(self):
        return None if self.remote_url else shared_server()

    def _base_url(self) -> str:
        if self.remote_url:
            return self.remote_url
        srv = shared_server()
        if not srv.alive():
            _launch(srv)
        return srv.url

    def _ensure(self) -> str:
        """Base URL of a live server, starting the local one if needed; builds the request
        parameters through language-tool-python once per server URL."""
        import httpx

        url = self._base_url()
        with self._lock:
            if self._tool is None or self._tool_url != url:
                import language_tool_python

                tool = language_tool_python.LanguageTool(self.config.language, remote_server=url + "/")
                tool.disabled_rules = set(self.config.disabled_rules)
                tool.disabled_categories = set(self.config.disabled_categories)
                self._tool, self._tool_url = tool, url
            if self._client is None:
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.config.timeout, connect=5.0),
                    limits=httpx.Limits(max_connections=max(4, 2 * self.config.workers)),
                )
        return url

    def _check_chunk(self, url: str, text: str) -> list[dict]:
        import httpx

        if self._cancel.is_set():
            raise _Cancelled("cancelled")
        params = self._tool._create_params(text)
        try:
            r = self._client.post(url + "/v2/check", data=params)
        except (httpx.TransportError, OSError) as e:
            raise _ServerGone(f"{type(e).__name__}: {e}") from e
        if r.status_code >= 500 or r.status_code in (408, 429, 503):
            raise _ServerGone(f"HTTP {r.status_code}: {r.text[:200]}")
        r.raise_for_status()
        with self._lock:
            self.requests += 1
        return r.json().get("matches", [])

    # -- public -----------------------------------------------------------------------------
    def cache_key(self, text: str) -> str:
        from ..grammar_cache import make_key

        return make_key(self.version, self.config.fingerprint(), text)

    def check(self, text: str) -> GrammarResult:
        return self.check_many([text])[0]

    def cancel(self) -> None:
        """Stop the running (or next) :meth:`check_many` soon: chunks not yet sent are not sent
        and their texts get an error result (nothing is cached for them). Used when the caller
        is interrupted (Ctrl-C) while LanguageTool works through a large batch."""
        self._cancel.set()

    def check_many(self, texts: list[str]) -> list[GrammarResult]:
        try:
            return self._check_many(texts)
        finally:
            self._cancel.clear()

    def _check_many(self, texts: list[str]) -> list[GrammarResult]:
        texts = list(texts)
        results: list[GrammarResult | None] = [None] * len(texts)
        keys = [self.cache_key(t) for t in texts]
        cached = self.cache.get_many(keys)
        todo: list[int] = []
        for i, (t, k) in enumerate(zip(texts, keys, strict=True)):
            if k in cached:
                results[i] = to_result(t, cached[k])
                if self.on_result:
                    self.on_result(i, results[i])
            elif not t.strip():
                results[i] = to_result(t, [])
            else:
                todo.append(i)
        if todo:
            try:
                self._check_uncached(texts, keys, todo, results)
            finally:
                self.close()
        if self.batch_corroboration:
            corroborate_batch(texts, results)
        return [r if r is not None else GrammarResult(error="not checked") for r in results]

    def _check_uncached(self, texts, keys, todo, results) -> None:
        try:
            url = self._ensure()
        except Exception as e:  # noqa: BLE001 - ProvisionError, HTTP errors, language-tool-python errors
            msg = f"LanguageTool could not be started: {e}"
            if self.require:
                raise GrammarUnavailable(f"{msg}; {_FIX_STEPS}") from e
            for i in todo:
                results[i] = GrammarResult(error=msg)
            return

        # every (doc, chunk) job; a doc completes when all its chunks have answers
        jobs: dict[tuple[int, int], tuple[int, int]] = {}
        pending_chunks: dict[int, int] = {}
        answers: dict[int, dict[int, list]] = {}
        for i in todo:
            spans = split_chunks(texts[i], self.config.chunk_chars)
            pending_chunks[i] = len(spans)
            answers[i] = {}
            for c, span in enumerate(spans):
                jobs[(i, c)] = span
        restarts = 0
        remaining = list(jobs)
        with ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="lt-check") as pool:
            while remaining:
                futs = {
                    pool.submit(self._check_chunk, url, texts[i][s:e]): (i, c)
                    for (i, c) in remaining
                    for s, e in [jobs[(i, c)]]
                }
                failed: list[tuple[int, int]] = []
                last_error = ""
                not_done = set(futs)
                while not_done:
                    done, not_done = wait(not_done, return_when=FIRST_COMPLETED)
                    for fut in done:
                        i, c = futs[fut]
                        try:
                            raw = fut.result()
                        except _ServerGone as e:
                            failed.append((i, c))
                            last_error = str(e)
                            continue
                        except Exception as e:  # noqa: BLE001 - a bad answer for this text: not retried
                            results[i] = GrammarResult(error=f"LanguageTool failed: {type(e).__name__}: {e}")
                            continue
                        if results[i] is not None:  # another chunk of this text already failed
                            continue
                        s, e_ = jobs[(i, c)]
                        chunk = texts[i][s:e_]
                        umap = utf16_to_codepoint_map(chunk)
                        norm = [x for x in (normalise_match(m, chunk, s, umap) for m in raw) if x is not None]
                        answers[i][c] = norm
                        if len(answers[i]) == pending_chunks[i]:
                            matches = [m for cc in sorted(answers[i]) for m in answers[i][cc]]
                            matches.sort(key=lambda m: (m[3], m[4], m[0]))
                            self.cache.put(keys[i], matches)
                            results[i] = to_result(texts[i], matches)
                            if self.on_result:
                                self.on_result(i, results[i])
                remaining = [(i, c) for i, c in failed if results[i] is None]
                if not remaining:
                    break
                # Something failed: restart our own server if it died, then retry what is left.
                if self.remote_url or restarts >= self.max_restarts:
                    break
                restarts += 1
                try:
                    srv = shared_server()
                    from ..languagetool import health

                    if not (srv.alive() and health(srv.url)):
                        srv.stop()
                    url = self._ensure()
                except Exception as e:  # noqa: BLE001
                    last_error = f"restart failed: {e}"
                    break
        for i, _c in remaining:
            if results[i] is None:
                results[i] = GrammarResult(error=f"LanguageTool failed: {last_error}")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


# -- entry point used by detector.api --------------------------------------------------------
def _unavailable(mode: str, reason: str):
    if mode == "require":
        raise GrammarUnavailable(f"{reason}; {_FIX_STEPS}")
    return None, "unavailable"


def open_checker(mode: str = "auto", url: str | None = None):
    """(checker, "ok"), or (None, "unavailable") in auto mode when LanguageTool cannot be had.

    Cheap: never starts the JVM (that happens on the first cache miss)."""
    import shutil

    from .. import languagetool as lt

    if url:
        if not lt.health(url, timeout=5.0):
            return _unavailable(mode, f"no LanguageTool server answers at {url}")
        return LanguageToolChecker(url, require=mode == "require"), "ok"
    found = lt.discover_server()
    if found:
        return LanguageToolChecker(found, require=mode == "require"), "ok"
    if not shutil.which("java"):
        return _unavailable(mode, "Java is not installed (LanguageTool needs Java 17+)")
    if not lt.is_installed():
        return _unavailable(mode, f"LanguageTool {lt.LT_VERSION} is not installed in {lt.lt_home()}")
    # a local server may be started later, possibly from a worker thread (api.analyse checks
    # grammar while the other families run): the SIGTERM/SIGHUP hooks that kill the JVM can only
    # be installed from the main thread, so install them now
    lt.install_exit_hooks()
    return LanguageToolChecker(None, require=mode == "require"), "ok"
