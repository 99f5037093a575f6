"""grammar/spelling families against a REAL LanguageTool server (no mocks).

Tests marked ``languagetool`` need Java and the pinned LanguageTool (`detector languagetool
install`). They skip when it is missing, except with DETECTOR_REQUIRE_LT=1 (set by `make test`,
hence CI), where they fail instead. The local server is started once for the whole session
(it is process-wide) and stopped at exit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from detector import grammar_cache
from detector import languagetool as lt
from detector.families import grammar as g
from detector.lt_checker import LanguageToolChecker, open_checker

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CLOSED_URL = "http://127.0.0.1:9"  # discard port on loopback: nothing listens


def _lt_missing() -> str | None:
    if lt.java_version() is None:
        return "Java not found"
    if not lt.is_installed():
        return f"LanguageTool {lt.LT_VERSION} not installed in {lt.lt_home()} (run `detector languagetool install`)"
    return None


@pytest.fixture(scope="session")
def lt_server():
    """The process-wide local LanguageTool server, started once per test session."""
    missing = _lt_missing()
    if missing:
        if os.environ.get("DETECTOR_REQUIRE_LT") == "1":
            pytest.fail(f"LanguageTool required (DETECTOR_REQUIRE_LT=1) but unavailable: {missing}")
        pytest.skip(missing)
    srv = lt.shared_server()
    lt.launch(srv)
    yield srv
    # left running for other test modules; killed at interpreter exit


def fresh_checker(tmp_path=None, **cfg) -> LanguageToolChecker:
    """A checker on the shared local server with its own (or no) cache."""
    config = g.load_config()
    if cfg:
        from dataclasses import replace

        config = replace(config, **cfg)
    cache = grammar_cache.GrammarCache(tmp_path / "cache.sqlite3" if tmp_path else None)
    return LanguageToolChecker(None, config=config, cache=cache)


def spans(text, result, family=None):
    return [(f.code, text[f.start : f.end]) for f in result.findings if family is None or f.family == family]


# -- pure helpers (no LanguageTool needed) ---------------------------------------------------
def test_utf16_mapping_handles_astral_characters():
    text = "a😀b𝔘c"
    m = g.utf16_to_codepoint_map(text)
    # UTF-16: a=0, 😀=1-2, b=3, 𝔘=4-5, c=6
    assert g.map_span(m, 3, 1) == (2, 3) and text[2:3] == "b"
    assert g.map_span(m, 6, 1) == (4, 5) and text[4:5] == "c"
    assert g.map_span(m, 1, 2) == (1, 2)
    assert g.utf16_to_codepoint_map("plain é text") is None


def test_split_chunks_covers_text_at_paragraph_breaks():
    paras = [f"Paragraph {i} " + "word " * 40 for i in range(30)]
    text = "\n\n".join(paras)
    chunks = g.split_chunks(text, 1000)
    assert len(chunks) > 3
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)
    for (_s1, e1), (s2, _) in zip(chunks, chunks[1:], strict=False):
        assert e1 == s2 and text[s2 - 2 : s2] == "\n\n"
    assert all(e - s <= 1000 for s, e in chunks)


def test_rates_have_a_fixed_key_set():
    r = g.to_result("No errors here at all.", [])
    assert tuple(r.rates) == g.RATE_KEYS
    assert r.rates["lt_total_per100w"] == 0.0


def test_disabled_rules_configurable(monkeypatch):
    monkeypatch.setenv("DETECTOR_LT_DISABLED_RULES", "+FOO_RULE")
    cfg = g.load_config()
    assert "FOO_RULE" in cfg.disabled_rules and "WHITESPACE_RULE" in cfg.disabled_rules
    monkeypatch.setenv("DETECTOR_LT_DISABLED_RULES", "")
    assert g.load_config().disabled_rules == ()
    assert g.load_config().fingerprint() != g.LTConfig().fingerprint()


# -- unavailable (no LanguageTool needed) ----------------------------------------------------
def test_unreachable_url_auto_is_unavailable():
    assert open_checker("auto", url=CLOSED_URL) == (None, "unavailable")


def test_unreachable_url_require_raises_with_steps():
    with pytest.raises(g.GrammarUnavailable) as e:
        open_checker("require", url=CLOSED_URL)
    msg = str(e.value)
    assert "Java 17" in msg and "detector languagetool install" in msg and "--languagetool-url" in msg


def run_cli(*args, env=None, cwd=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "detector.cli", *args],
        capture_output=True,
        text=True,
        env=e,
        cwd=cwd,
        timeout=600,
    )


def test_cli_unreachable_url_notes_once_and_continues(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("He go to school every day.\n")
    b.write_text("The cat sat on the mat.\n")
    r = run_cli("score", str(a), str(b), "--format", "jsonl", "--languagetool-url", CLOSED_URL)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("LanguageTool unavailable") == 1, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(rows) == 2 and all(row["grammar"] == "unavailable" for row in rows)


def test_cli_unreachable_url_require_exits_4_with_steps(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("He go to school every day.\n")
    r = run_cli("score", str(a), "--require-grammar", env={"DETECTOR_LT_URL": CLOSED_URL})
    assert r.returncode == 4, (r.returncode, r.stderr)
    assert "detector languagetool install" in r.stderr and "Java 17" in r.stderr


# -- against the real server -----------------------------------------------------------------


@pytest.mark.languagetool
def test_known_errors_and_clean_sentence(lt_server):
    ch = fresh_checker()
    texts = ["He go to school every day.", "She bought a apple.", "The cat sat on the mat."]
    r1, r2, r3 = ch.check_many(texts)
    assert not (r1.error or r2.error or r3.error)
    assert ("HE_VERB_AGR", "go") in spans(texts[0], r1, "grammar")
    assert [f.suggestion for f in r1.findings if f.code == "HE_VERB_AGR"] == ["goes | went"]
    assert ("EN_A_VS_AN", "a") in spans(texts[1], r2, "grammar")
    assert r3.findings == []
    assert r1.rates["lt_GRAMMAR_per100w"] > 0 and r2.rates["lt_MISC_per100w"] > 0
    assert r3.rates["lt_total_per100w"] == 0


@pytest.mark.languagetool
def test_spelling_lowercase_vs_capitalised_name(lt_server):
    text = "The comittee met Jonathan Smiht yesterday."
    (r,) = fresh_checker().check_many([text])
    got = spans(text, r)
    assert any(fam_code == "MORFOLOGIK_RULE_EN_US" and w == "comittee" for fam_code, w in got)
    assert [f.family for f in r.findings if text[f.start : f.end] == "comittee"] == ["spelling"]
    # unknown capitalised words are name misspellings when corroborated: here typing slips of
    # known words (issue 12: otherwise at most an opt-in note)
    names = [text[f.start : f.end] for f in r.findings if f.code == "NAM004"]
    assert any("Smiht" in n for n in names) and all(
        f.family == "name" and f.severity == "warning" for f in r.findings if f.code == "NAM004"
    )


@pytest.mark.languagetool
def test_offsets_with_astral_characters(lt_server):
    text = "😀😀 He go to school. 𝔘𝔫𝔦 said 🎉 she bought a apple 😀. Teh end."
    (r,) = fresh_checker().check_many([text])
    got = spans(text, r)
    assert ("HE_VERB_AGR", "go") in got
    assert ("EN_A_VS_AN", "a") in got
    assert text[[f for f in r.findings if f.code == "EN_A_VS_AN"][0].start - 7 :].startswith("bought")


@pytest.mark.languagetool
def test_chunked_long_text_offsets_map_back(lt_server):
    paras = [
        f"Paragraph {i} 🎉 begins here. He go to school every day. She bought a apple." for i in range(40)
    ]
    text = "\n\n".join(paras)
    ch = fresh_checker(chunk_chars=400)
    assert len(g.split_chunks(text, 400)) > 5
    (r,) = ch.check_many([text])
    assert ch.requests > 5  # really sent as several chunks
    go = [f for f in r.findings if f.code == "HE_VERB_AGR"]
    an = [f for f in r.findings if f.code == "EN_A_VS_AN"]
    assert len(go) == 40 and len(an) == 40
    assert all(text[f.start : f.end] == "go" for f in go)
    assert all(text[f.start : f.end] == "a" for f in an)
    # the same text in one piece gives the same spans
    (whole,) = fresh_checker(chunk_chars=10**6).check_many([text])
    assert sorted((f.code, f.start, f.end) for f in whole.findings if f.family == "grammar") == sorted(
        (f.code, f.start, f.end) for f in r.findings if f.family == "grammar"
    )


@pytest.mark.languagetool
def test_cache_hit_does_not_contact_server(lt_server, tmp_path):
    text = "He go to school every day, said the comittee."
    ch = fresh_checker(tmp_path)
    (first,) = ch.check_many([text])
    assert ch.requests == 1
    # same cache, and a server URL where nothing listens: must come from the cache
    ch2 = LanguageToolChecker(
        CLOSED_URL, config=ch.config, cache=grammar_cache.GrammarCache(tmp_path / "cache.sqlite3")
    )
    (second,) = ch2.check_many([text])
    assert ch2.requests == 0 and second.error is None
    assert second.findings == first.findings and second.rates == first.rates
    # a different rule configuration misses
    ch3 = fresh_checker(tmp_path, disabled_rules=("HE_VERB_AGR",))
    (third,) = ch3.check_many([text])
    assert ch3.requests == 1 and not any(f.code == "HE_VERB_AGR" for f in third.findings)


@pytest.mark.languagetool
def test_server_killed_mid_batch_is_restarted(lt_server):
    texts = [f"Report {i}: he go to school every day and she bought a apple." for i in range(16)]
    srv = lt.shared_server()
    starts_before = srv.starts
    killed = []

    def kill_after_first(i, result):
        if not killed:
            killed.append(srv.pid)
            os.kill(srv.pid, signal.SIGKILL)

    ch = fresh_checker()
    ch.on_result = kill_after_first
    results = ch.check_many(texts)
    assert killed, "the callback never ran"
    assert srv.starts == starts_before + 1 and srv.alive() and srv.pid != killed[0]
    assert all(r.error is None for r in results), [r.error for r in results]
    for t, r in zip(texts, results, strict=True):
        assert ("HE_VERB_AGR", "go") in spans(t, r), t


@pytest.mark.languagetool
def test_api_score_status_ok_and_rates(lt_server, tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_LT_CACHE", str(tmp_path / "c.sqlite3"))
    from detector import api

    (rep,) = api.score(["He go to school every day. The comittee met on Monday."], grammar="auto")
    assert rep.grammar == "ok"
    fams = {f.family for f in rep.findings}
    assert {"grammar", "spelling"} <= fams
    assert set(g.RATE_KEYS) <= set(rep.stats)


@pytest.mark.languagetool
@pytest.mark.shared
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")
def test_cli_score_seeds_jsonl_has_grammar(lt_server, tmp_path):
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    # use the session's server (the --languagetool-url path) and an empty cache
    r = run_cli(
        "score", *files, "--format", "jsonl", "--require-grammar",
        env={"DETECTOR_LT_URL": lt_server.url, "DETECTOR_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(rows) == len(files)
    assert all(row["grammar"] == "ok" for row in rows)
    assert sum(row["counts"]["grammar"] + row["counts"]["spelling"] for row in rows) > 0
    # seed 003's misspelt names are found (NAM001 covers LanguageTool's unknown words there)
    assert any(f["code"] == "NAM001" for row in rows for f in row["findings"])
    assert all(f["severity"] == "warning" for row in rows for f in row["findings"] if f["code"] == "NAM004")
    for row in rows:
        assert set(g.RATE_KEYS) <= set(row["stats"])
    assert (tmp_path / "grammar-cache.sqlite3").exists()


@pytest.mark.languagetool
def test_server_that_cannot_be_restarted_marks_remaining_docs_unavailable(lt_server, tmp_path):
    """A server given by URL is never restarted by us: if it dies mid-batch, the documents not
    yet checked get an error (api reports them "unavailable"), the rest keep their findings.
    (Runs last: it kills the shared server, which later users restart lazily.)"""
    from detector import api

    texts = [f"Story {i}: he go to school every day." for i in range(12)]
    done = []

    def kill_after_first(i, result):
        if not done:
            done.append(i)
            os.kill(lt_server.pid, signal.SIGKILL)

    ch = LanguageToolChecker(
        lt_server.url, config=g.load_config(), cache=grammar_cache.GrammarCache(tmp_path / "c.sqlite3")
    )
    ch.on_result = kill_after_first
    reps = api.score(texts, grammar=ch)
    statuses = [r.grammar for r in reps]
    assert statuses[done[0]] == "ok"
    assert "unavailable" in statuses
    for t, r in zip(texts, reps, strict=True):
        if r.grammar == "ok":
            assert any(f.code == "HE_VERB_AGR" and t[f.start : f.end] == "go" for f in r.findings)
    lt_server.stop()  # reap the killed process; the next user starts a fresh one


@pytest.mark.languagetool
def test_progress_waits_for_each_articles_grammar(lt_server, tmp_path):
    """The progress bar counts an article only once LanguageTool has answered for it too (the
    other families finish long before LanguageTool does); every article is counted once."""
    import threading

    from detector import api

    ch = fresh_checker(tmp_path)
    reported: list[int] = []
    main = threading.get_ident()
    ch.on_result = lambda i, res: reported.append(i)  # the caller's own hook still runs
    texts = [f"He go to school every day number {k}. She bought a apple." for k in range(12)]
    seen: list[tuple[int, int, bool]] = []

    def progress(n):
        seen.append((n, len(reported), threading.get_ident() == main))

    _, evidence = api.analyse(texts, grammar=ch, progress=progress)
    assert all(e.grammar == "ok" for e in evidence)
    assert sorted(reported) == list(range(len(texts)))
    assert sum(n for n, _, _ in seen) == len(texts)
    total = 0
    for n, grammar_done, in_caller_thread in seen:
        total += n
        assert total <= grammar_done, seen  # never ahead of LanguageTool
        assert in_caller_thread
    assert ch.on_result is not None and ch.on_result.__name__ == "<lambda>"  # hook restored


@pytest.mark.languagetool
def test_cancel_stops_unsent_requests_and_is_not_cached(lt_server, tmp_path):
    ch = fresh_checker(tmp_path)
    texts = ["He go to school every day.", "She bought a apple."]
    ch.cancel()  # before the run starts: applies to it
    res = ch.check_many(texts)
    assert ch.requests == 0
    assert all(r.error and "cancelled" in r.error for r in res)
    # the cancellation is over; nothing was cached, so the next run asks the server
    res = ch.check_many(texts)
    assert ch.requests == 2 and all(r.error is None for r in res)
    assert any(f.code == "HE_VERB_AGR" for f in res[0].findings)


def test_interrupted_analyse_cancels_the_grammar_check(monkeypatch):
    """Ctrl-C while the other families run must not wait for LanguageTool's whole batch: the
    checker (running in api.analyse's worker thread) is told to cancel."""
    import threading

    from detector import api
    from detector.families import repetition

    started, cancelled = threading.Event(), threading.Event()

    class SlowChecker:  # a stand-in for a LanguageTool batch that takes long until cancelled
        def check_many(self, texts):
            started.set()
            cancelled.wait(30)
            return [g.GrammarResult(error="cancelled") for _ in texts]

        def cancel(self):
            cancelled.set()

    def interrupted(doc):
        started.wait(5)
        raise KeyboardInterrupt

    monkeypatch.setattr(repetition, "detect", interrupted)
    with pytest.raises(KeyboardInterrupt):
        api.analyse(["Officials said the talks failed."], grammar=SlowChecker(), cache=False)
    assert cancelled.is_set()
