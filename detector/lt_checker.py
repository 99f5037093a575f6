"""The LanguageTool client: checks texts against a LanguageTool server, with the on-disk cache
first and concurrent chunked requests after.

:class:`LanguageToolChecker` talks to a server given by URL, or to the process's shared local
server (:func:`detector.languagetool.shared_server`, started on the first cache miss and
restarted if it dies); :func:`open_checker` is the entry point :mod:`detector.api` uses. What a
LanguageTool answer *means* -- configuration, categories, offsets, chunks, findings and rates --
is the pure part, in :mod:`detector.families.grammar`; the server itself (install, launch,
process-global state) is :mod:`detector.languagetool`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from . import grammar_cache
from . import languagetool as lt
from .families.grammar import (
    FIX_STEPS,
    GrammarResult,
    GrammarUnavailable,
    LTConfig,
    corroborate_batch,
    load_config,
    normalise_match,
    split_chunks,
    to_result,
    utf16_to_codepoint_map,
)
from .grammar_cache import make_key
from .languagetool import LT_VERSION, health, shared_server

_launch = lt.launch


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
                raise GrammarUnavailable(f"{msg}; {FIX_STEPS}") from e
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


# -- entry point used by detector.api -------------------------------------------------------------
def _unavailable(mode: str, reason: str):
    if mode == "require":
        raise GrammarUnavailable(f"{reason}; {FIX_STEPS}")
    return None, "unavailable"


def open_checker(mode: str = "auto", url: str | None = None):
    """(checker, "ok"), or (None, "unavailable") in auto mode when LanguageTool cannot be had.

    Cheap: never starts the JVM (that happens on the first cache miss)."""
    import shutil

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
