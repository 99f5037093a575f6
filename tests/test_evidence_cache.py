"""The per-article evidence cache (detector/evidence_cache.py) and its use by detector.api."""

from __future__ import annotations

import math
import sqlite3

import pytest

from detector import api, evidence_cache
from detector import gazetteer as gz
from detector.families import boilerplate, fluency, readability, repetition
from detector.findings import Finding

TEXTS = [
    "He said the the talks failed. Share this article.\n\nThe minister left on Monday. "
    "The minister left on Monday.",
    "Mayor Margaret Brankovitz opened the bridge on Monday. Officials praised the new crossing.",
    "",
]


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "evidence.sqlite3"
    monkeypatch.setenv("DETECTOR_EVIDENCE_CACHE", str(path))
    monkeypatch.setattr(evidence_cache, "_caches", {})  # a fresh process-wide instance per test
    yield path
    for c in evidence_cache._caches.values():
        c.close()


@pytest.fixture
def calls(monkeypatch):
    """Count calls of a per-document detect() and of two stats() functions."""
    counts = {"repetition": 0, "boilerplate": 0, "readability": 0, "fluency": 0}

    def spy(mod, fn, key):
        orig = getattr(mod, fn)

        def wrapped(*a, **kw):
            counts[key] += 1
            return orig(*a, **kw)

        monkeypatch.setattr(mod, fn, wrapped)

    spy(repetition, "detect", "repetition")
    spy(boilerplate, "detect", "boilerplate")
    spy(readability, "stats", "readability")
    spy(fluency, "stats", "fluency")
    return counts


def _evidence(texts, **kw):
    return api.analyse(texts, grammar="off", **kw)[1]


def test_second_run_is_served_from_the_cache(cache_file, calls):
    fresh = _evidence(TEXTS, cache=False)
    assert calls["repetition"] == len(TEXTS)
    first = _evidence(TEXTS)
    assert calls["repetition"] == 2 * len(TEXTS)
    second = _evidence(TEXTS)
    assert calls == {k: 2 * len(TEXTS) for k in calls}  # nothing recomputed
    assert [e.findings for e in second] == [e.findings for e in first] == [e.findings for e in fresh]
    assert [e.stats for e in second] == [e.stats for e in first] == [e.stats for e in fresh]
    assert [list(e.stats) for e in second] == [list(e.stats) for e in fresh]  # same key order
    assert any(f.code == "REP001" for f in second[0].findings)
    reports = api.score(TEXTS, grammar="off")
    assert calls["repetition"] == 2 * len(TEXTS)
    assert [r.findings for r in reports] == [e.findings for e in fresh]


def test_changed_text_misses_and_off_disables(cache_file, calls, monkeypatch):
    _evidence(TEXTS)
    _evidence([TEXTS[0] + " One more sentence."])
    assert calls["repetition"] == len(TEXTS) + 1
    monkeypatch.setenv("DETECTOR_EVIDENCE_CACHE", "off")
    _evidence(TEXTS)
    assert calls["repetition"] == 2 * len(TEXTS) + 1
    monkeypatch.setenv("DETECTOR_EVIDENCE_CACHE", str(cache_file))
    _evidence(TEXTS, cache=False)
    assert calls["repetition"] == 3 * len(TEXTS) + 1
    _evidence(TEXTS)
    assert calls["repetition"] == 3 * len(TEXTS) + 1


@pytest.mark.parametrize("kind", ["corrupt", "directory", "unwritable-parent"])
def test_broken_cache_degrades_to_computing(tmp_path, monkeypatch, calls, kind):
    if kind == "corrupt":
        path = tmp_path / "c.sqlite3"
        path.write_bytes(b"this is not a database" * 100)
    elif kind == "directory":
        path = tmp_path / "adir"
        path.mkdir()
    else:
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "c.sqlite3"  # parent is a file: cannot be created
    monkeypatch.setenv("DETECTOR_EVIDENCE_CACHE", str(path))
    monkeypatch.setattr(evidence_cache, "_caches", {})
    want = [e.findings for e in _evidence(TEXTS, cache=False)]
    for _ in range(2):
        assert [e.findings for e in _evidence(TEXTS)] == want
    assert calls["repetition"] == 3 * len(TEXTS)


def test_undecodable_entry_is_a_miss(cache_file, calls):
    _evidence(TEXTS[:1])
    with sqlite3.connect(cache_file) as conn:
        conn.execute("UPDATE evidence SET value = '[1, 2'")
    got = _evidence(TEXTS[:1])
    assert calls["repetition"] == 2
    assert got[0].findings == _evidence(TEXTS[:1], cache=False)[0].findings


def test_user_gazetteer_changes_the_key(tmp_path, cache_file, calls, monkeypatch):
    monkeypatch.delenv("DETECTOR_NAMES", raising=False)
    people = tmp_path / "people.txt"
    people.write_text("Zbigniew Quarrington\n", encoding="utf-8")
    text = "Councillor Zbigniew Quarington opened the fair on Saturday."
    before = evidence_cache.fingerprint()
    try:
        assert _evidence([text])[0].findings == []
        gz.set_user_gazetteer([str(people)])
        assert evidence_cache.fingerprint() != before
        got = _evidence([text])[0].findings
        assert calls["repetition"] == 2  # a miss: recomputed with the user gazetteer
        assert [(f.code, f.suggestion) for f in got] == [("NAM001", "Zbigniew Quarrington")]
    finally:
        gz.set_user_gazetteer([])
    assert evidence_cache.fingerprint() == before
    assert _evidence([text])[0].findings == []
    assert calls["repetition"] == 2  # hit again: back to the first configuration


def test_batch_names_are_computed_when_every_article_is_cached(cache_file, calls):
    texts = [
        "Mayor Margaret Brankovitz opened the bridge on Monday.",
        "The council, led by Margaret Brankovitz, approved the budget.",
        "Margaret Brankovitz said the plan was sound.",
        "Opposition members criticised Margaret Brankowitz over the delay.",
    ]
    first = _evidence(texts)
    second = _evidence(texts)
    assert calls["repetition"] == len(texts)  # all hits the second time
    assert [e.findings for e in second] == [e.findings for e in first]
    assert [(f.code, f.suggestion) for f in second[3].findings] == [("NAM003", "Margaret Brankovitz")]
    # the same article alone has no batch evidence, cached or not
    assert _evidence(texts[3:])[0].findings == []


def test_values_round_trip_exactly(tmp_path):
    findings = [
        Finding("repetition", "REP001", 8, 15, "the same word twice", "the", "warning"),
        Finding("name", "NAM002", 0, 5, "two spellings: “Zoë” 🙂 \ud800", None, "error", 2, 7),
    ]
    stats = {"a": 0.1 + 0.2, "b": 1e-300, "c": -0.0, "d": 3.0, "inf": math.inf, "nan": math.nan}
    value = evidence_cache.encode(findings, stats)
    got_f, got_s = evidence_cache.decode(value)
    assert got_f == findings
    assert list(got_s) == list(stats)
    assert all(got_s[k] == stats[k] for k in stats if k != "nan") and math.isnan(got_s["nan"])
    assert math.copysign(1, got_s["c"]) == -1
    assert evidence_cache.encode(findings, {"x": object()}) is None
    cache = evidence_cache.EvidenceCache(tmp_path / "c.sqlite3")
    cache.put_many([("k", value)])  # storable as is (a lone surrogate would not be as UTF-8 text)
    [(stored_f, stored_s)] = cache.lookup(["k"])
    assert stored_f == findings and stored_s["a"] == stats["a"] and math.isnan(stored_s["nan"])
    cache.close()
    assert evidence_cache.decode("not json") is None


def test_put_many_stores_a_large_batch_and_prunes_old_generations(tmp_path):
    path = tmp_path / "c.sqlite3"
    old = evidence_cache.EvidenceCache(path, generation="old")
    old.put_many([(f"k{i}", "[[],{}]") for i in range(2000)])
    assert len(old.get_many([f"k{i}" for i in range(2000)])) == 2000
    old.close()
    new = evidence_cache.EvidenceCache(path, generation="new")
    assert len(new.get_many(["k1", "k2"])) == 2  # readable until the first write
    new.put_many([("n1", "[[],{}]")])
    assert new.get_many(["k1", "n1"]) == {"n1": "[[],{}]"}
    assert new.lookup(["n1", "k1"]) == [([], {}), None]
    assert (new.hits, new.misses) == (1, 1)
    new.close()


def test_model_files_are_not_in_the_fingerprint():
    assert evidence_cache._is_model_file("default-grammar-v1.skops")
    assert evidence_cache._is_model_file("default-nogrammar-v1.npz")
    assert evidence_cache._is_model_file("default-grammar-v1.card.json")
    assert not evidence_cache._is_model_file("bbc_ngrams.npz")
    assert not evidence_cache._is_model_file("officials.txt")


def test_cli_no_cache_recomputes(tmp_path, cache_file, calls):
    from typer.testing import CliRunner

    from detector.cli import app

    article = tmp_path / "a.txt"
    article.write_text(TEXTS[0], encoding="utf-8")
    runs = [
        CliRunner().invoke(app, ["score", "--no-grammar", "-q", "-f", "json", *extra, str(article)])
        for extra in ([], [], ["--no-cache"])
    ]
    assert [r.exit_code for r in runs] == [0, 0, 0], runs[0].output
    assert calls["repetition"] == 2  # first run and the --no-cache run; the second was a hit
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    res = CliRunner().invoke(app, ["check", "--no-grammar", "--no-cache", str(article)])
    assert res.exit_code == 1 and "REP001" in res.stdout  # 1: a warning was found
    assert calls["repetition"] == 3


def test_progress_counts_every_article_once(cache_file):
    for _ in range(2):  # all misses, then all hits
        ticks: list[int] = []
        api.analyse(TEXTS, grammar="off", progress=ticks.append)
        assert sum(ticks) == len(TEXTS)
    ticks = []
    api.analyse([*TEXTS, "A new text."], grammar="off", progress=ticks.append)
    assert sum(ticks) == len(TEXTS) + 1


@pytest.mark.parametrize("changed", ["families/spin.py", "families/_kernels.pyx", "families/_kernels.abi3.so"])
def test_sources_and_the_built_kernel_are_in_the_fingerprint(tmp_path, monkeypatch, changed):
    # a rebuilt kernel (or its source) invalidates the evidence, as an edited .py file does
    for rel in ("__init__.py", "families/spin.py", "families/_kernels.pyx", "families/_kernels.abi3.so", "resources/x.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("v1")
    monkeypatch.setattr(evidence_cache, "PACKAGE", tmp_path)
    evidence_cache.code_fingerprint.cache_clear()
    try:
        before = evidence_cache.code_fingerprint()
        (tmp_path / "families" / "_kernels.c").write_text("generated, not part of it")
        evidence_cache.code_fingerprint.cache_clear()
        assert evidence_cache.code_fingerprint() == before
        (tmp_path / changed).write_text("version 2")
        evidence_cache.code_fingerprint.cache_clear()
        assert evidence_cache.code_fingerprint() != before
    finally:
        evidence_cache.code_fingerprint.cache_clear()
