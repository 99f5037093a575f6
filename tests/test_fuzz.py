"""Property-based fuzzing (hypothesis) of the input readers and the library API.

Properties: no exception escapes; each input gets exactly one result (an Article or a one-line
InputError; one per non-blank JSONL line, one per JSON-list element); finding spans lie inside
the text; JSON output parses.

The default run is small (a few dozen examples per property, well under a minute). The larger
run: ``DETECTOR_FUZZ=1 pytest tests/test_fuzz.py`` or ``pytest -m fuzz tests/test_fuzz.py``
(``DETECTOR_FUZZ=N`` sets the examples per property, default 500).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detector
from detector.article import Article
from detector.io import InputError, iter_inputs, parse_bytes

SMALL = 25
LARGE = int(os.environ.get("DETECTOR_FUZZ") or 0) or 500
COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

# ---------------------------------------------------------------------------------- strategies

WORDS = ["the", "minister", "said", "Blair", "Tony", "council", "port", "reopen", "\u0645\u0631\u062d\u0628\u0627",
         "\u05e9\u05dc\u05d5\u05dd", "caf\u00e9", "na\u00efve", "\u6771\u4eac", "Gr\u00fc\u00dfe", "O'Neill", "U.S."]
ODD = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069", "\u2028", "\u2029",
       "\u0085", "\x0b", "\x0c", "\x1c", "\r", "\r\n", "\t", "\u00a0", "\u3000", "\ufffd", "\U0001f600", "\u0301",
       "\ud800", "<p>", "</p>", "&amp;", "\"", "\u201c", "\u201d", ". ", "! ", "\n\n", "\n", "  "]


def texty() -> st.SearchStrategy[str]:
    """Text that looks like prose often enough to reach the detectors, with hostile pieces."""
    piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=12))
    return st.lists(piece, max_size=80).map(lambda xs: " ".join(xs))


SENTENCES = [
    "The minister said the the plan would go ahead.",
    "Tony Blair met Gordon Brown in London on Tuesday.",
    "Tony Blaire said the port would reopen, the port would reopen soon.",
    "Share this article",
    "The council voted to approve three new bus routes",
    "officials said. the routes would start in spring.",
    "Read more: Other story",
    "He passes tops the list of candidates for the job.",
]


def english() -> st.SearchStrategy[str]:
    """News-like English (so the detectors fire) with hostile characters spliced in."""
    part = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODD), st.sampled_from(WORDS))
    return st.lists(part, min_size=1, max_size=40).map(
        lambda xs: "".join(x + (" " if i % 3 else "\n\n") for i, x in enumerate(xs))
    )


def prose() -> st.SearchStrategy[str]:
    return st.one_of(english(), texty(), st.text(max_size=300))


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
json_values = st.recursive(
    json_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=6), kids, max_size=4)),
    max_leaves=12,
)
records = st.one_of(
    st.fixed_dictionaries({"text": prose()}, optional={"id": json_scalars, "title": json_scalars, "url": json_scalars,
                                                        "meta": json_values}),
    json_values,
)


def jsonl_lines() -> st.SearchStrategy[list[str]]:
    good = records.map(lambda r: json.dumps(r, ensure_ascii=False))
    bad = st.one_of(
        st.text(max_size=40).filter(lambda s: "\n" not in s),
        st.just('{"text": "x", "n": ' + "9" * 5000 + "}"),
        st.integers(min_value=1, max_value=5000).map(lambda n: "[" * n),
        st.just('{"text": "\\ud800 broken escape"}'),
    )
    return st.lists(st.one_of(good, bad), max_size=8)


hostile_bytes = st.one_of(
    st.binary(max_size=400),
    prose().map(lambda s: s.encode("utf-8", "surrogatepass")),
    prose().map(lambda s: s.encode("utf-16", "surrogatepass")),
    prose().map(lambda s: s.encode("cp1252", "replace")),
    st.tuples(prose(), st.sampled_from(["iso-8859-1", "windows-1252", "shift_jis", "utf-8", "bogus-charset"])).map(
        lambda t: (f'<html><head><meta charset="{t[1]}"><title>T</title></head><body><p>{t[0]}</p>'
                   f"<p>{t[0]}</p></body></html>").encode("utf-8", "surrogatepass")
    ),
    jsonl_lines().map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
)

# ---------------------------------------------------------------------------------- properties


def _one_line_errors(results) -> None:
    for r in results:
        assert isinstance(r, (Article, InputError)), r
        if isinstance(r, InputError):
            assert r.message and "\n" not in r.message and "\r" not in r.message


def prop_parse_bytes(data: bytes, kind: str) -> None:
    results = list(parse_bytes(data, "in", kind, max_bytes=100_000))
    _one_line_errors(results)
    assert results, "every input gets a result"
    if kind in ("text", "html"):
        assert len(results) == 1
    for r in results:
        if isinstance(r, Article):
            assert r.text.strip()


def prop_jsonl_one_result_per_line(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    results = list(parse_bytes(data, "f.jsonl", "jsonl", max_bytes=100_000))
    _one_line_errors(results)

    def blank(raw: bytes) -> bool:  # a line that cannot be decoded is not blank: it is an error
        try:
            return not raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            return False

    nonblank = [i for i, ln in enumerate(data.split(b"\n"), 1) if not blank(ln)]
    if len(results) == 1 and isinstance(results[0], InputError) and results[0].name == "f.jsonl":
        return  # the file as a whole is refused (binary, empty): one error for the one input
    if not nonblank:
        assert len(results) == 1 and isinstance(results[0], InputError)
        return
    assert len(results) == len(nonblank)
    for r, lineno in zip(results, nonblank, strict=True):
        # a record with an "id" is named file#id, any other by its line number
        assert r.name == f"f.jsonl:{lineno}" or r.name.startswith("f.jsonl#"), (r.name, lineno)


def prop_files_in_a_directory(tmp: Path, blobs: list[tuple[str, bytes]]) -> None:
    d = tmp / f"d{abs(hash(tuple(blobs))) % 10**12}"
    d.mkdir()
    paths = []
    for i, (ext, data) in enumerate(blobs):
        p = d / f"f{i:03d}{ext}"
        p.write_bytes(data)
        paths.append(p)
    results = list(iter_inputs([str(p) for p in paths], max_bytes=100_000))
    _one_line_errors(results)
    for p in paths:
        mine = [r for r in results if r.name == str(p) or r.name.startswith((f"{p}#", f"{p}:"))]
        assert mine, f"{p} lost"
        if p.suffix in (".txt", ".html"):
            assert len(mine) == 1


def _check_report(rep, text: str) -> None:
    for f in rep.findings:
        assert 0 <= f.start <= f.end <= len(text), (f.code, f.start, f.end, len(text))
    d = rep.to_dict()
    # strict JSON (no NaN/Infinity, which json.dumps would otherwise write and other parsers refuse)
    assert json.loads(json.dumps(d, ensure_ascii=False, allow_nan=False))["path"] == rep.path


def prop_library_score(texts: list[str]) -> None:
    reports = detector.score(texts, grammar="off", cache=False)
    assert len(reports) == len(texts)
    for rep, t in zip(reports, texts, strict=True):
        _check_report(rep, t)
        assert rep.reliability is None or 0.0 <= rep.reliability <= 1.0


def prop_library_check(text: str) -> None:
    findings = detector.check(text, grammar="off", cache=False)
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        json.dumps(f.to_dict(), ensure_ascii=False)


# ---------------------------------------------------------------------------------- small and large runs

KINDS = st.sampled_from(["auto", "text", "html", "json", "jsonl"])
FILES = st.lists(
    st.tuples(st.sampled_from([".txt", ".html", ".json", ".jsonl", ".md", ".xyz"]), hostile_bytes), min_size=1, max_size=6
)


def _fuzz_gate(request) -> None:
    if not os.environ.get("DETECTOR_FUZZ") and "fuzz" not in (request.config.getoption("-m") or ""):
        pytest.skip("the large fuzz run: DETECTOR_FUZZ=1 or -m fuzz")


small = settings(max_examples=SMALL, **COMMON)
large = settings(max_examples=LARGE, **COMMON)


@small
@given(data=hostile_bytes, kind=KINDS)
def test_parse_bytes_never_raises(data, kind):
    prop_parse_bytes(data, kind)


@small
@given(lines=jsonl_lines())
def test_jsonl_gives_one_result_per_nonblank_line(lines):
    prop_jsonl_one_result_per_line(lines)


@settings(max_examples=SMALL // 2, **COMMON)
@given(blobs=FILES)
def test_every_file_gets_a_result(tmp_path_factory, blobs):
    prop_files_in_a_directory(tmp_path_factory.mktemp("fz"), blobs)


@small
@given(texts=st.lists(prose(), min_size=1, max_size=4))
def test_library_score_spans_and_json(texts):
    prop_library_score(texts)


@small
@given(text=prose())
def test_library_check_spans(text):
    prop_library_check(text)


# the larger run (skipped unless DETECTOR_FUZZ is set or -m fuzz selects it)


@pytest.mark.fuzz
@large
@given(data=hostile_bytes, kind=KINDS)
def test_parse_bytes_never_raises_large(request, data, kind):
    _fuzz_gate(request)
    prop_parse_bytes(data, kind)


@pytest.mark.fuzz
@large
@given(lines=jsonl_lines())
def test_jsonl_gives_one_result_per_nonblank_line_large(request, lines):
    _fuzz_gate(request)
    prop_jsonl_one_result_per_line(lines)


@pytest.mark.fuzz
@settings(max_examples=LARGE // 4, **COMMON)
@given(blobs=FILES)
def test_every_file_gets_a_result_large(request, tmp_path_factory, blobs):
    _fuzz_gate(request)
    prop_files_in_a_directory(tmp_path_factory.mktemp("fz"), blobs)


@pytest.mark.fuzz
@large
@given(texts=st.lists(prose(), min_size=1, max_size=8))
def test_library_score_spans_and_json_large(request, texts):
    _fuzz_gate(request)
    prop_library_score(texts)


@pytest.mark.fuzz
@large
@given(text=prose())
def test_library_check_spans_large(request, text):
    _fuzz_gate(request)
    prop_library_check(text)
