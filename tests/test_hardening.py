"""Issue 13 (I/O side): one bad input never kills a batch, JSONL is split on "\\n" only, HTML is
decoded as a browser decodes it, ``--encoding``, output files honour the umask, CSV columns are
unique. Every fixture is written by the test itself."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_io_cli import CLEAN

from detector.article import Article
from detector.io import InputError, atomic_write, iter_inputs, parse_bytes

OTHER = (
    "Library reopens after repairs\n\n"
    "The central library reopened on Monday after six months of repairs to its roof. Staff said "
    "the reading room had been repainted and the children's section moved to the ground floor.\n"
)

BIG_INT_JSON = '{"text": "' + CLEAN.replace("\n", "\\n") + '", "n": ' + "9" * 5000 + "}"
DEEP_JSON = "[" * 1_000_000


def run_cli(*args: str, stdin: bytes | None = None, umask: int | None = None, timeout: int = 180):
    exe = Path(sys.executable).with_name("detector")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "detector.cli", *args]
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, preexec_fn=pre)


def error_lines(r) -> list[str]:
    return [ln for ln in r.stderr.decode().splitlines() if ": error: " in ln]


@pytest.fixture()
def batch(tmp_path):
    """Two good files with a bad JSON file (a 5,000-digit integer, 1,000,000 nested arrays) on
    each side, plus a JSONL file mixing both kinds of bad line with a good record."""
    good1 = tmp_path / "a_good.txt"
    good1.write_text(CLEAN, encoding="utf-8")
    big = tmp_path / "b_bigint.json"
    big.write_text(BIG_INT_JSON, encoding="utf-8")
    deep = tmp_path / "c_deep.json"
    deep.write_text(DEEP_JSON, encoding="utf-8")
    mixed = tmp_path / "d_mixed.jsonl"
    mixed.write_text(
        BIG_INT_JSON + "\n" + json.dumps({"id": "ok", "text": OTHER}) + "\n" + "[" * 100_000 + "\n",
        encoding="utf-8",
    )
    good2 = tmp_path / "e_good.txt"
    good2.write_text(OTHER, encoding="utf-8")
    return {"good1": good1, "big": big, "deep": deep, "mixed": mixed, "good2": good2}


# --------------------------------------------------------------------------- 1. failure boundary


def test_library_reader_turns_huge_int_and_deep_nesting_into_one_error_each(batch):
    res = list(iter_inputs([str(p) for p in batch.values()]))
    arts = [r for r in res if isinstance(r, Article)]
    errs = [r for r in res if isinstance(r, InputError)]
    assert [a.name for a in arts] == [str(batch["good1"]), f"{batch['mixed']}#ok", str(batch["good2"])]
    assert sorted(e.name for e in errs) == sorted(
        [str(batch["big"]), str(batch["deep"]), f"{batch['mixed']}:1", f"{batch['mixed']}:3"]
    )
    assert all("\n" not in e.message for e in errs)
    assert any("4,300 digits" in e.message for e in errs) and any("nested too deeply" in e.message for e in errs)


def test_parse_bytes_never_raises_on_stdin_json(tmp_path):
    for data in (BIG_INT_JSON.encode(), DEEP_JSON.encode(), b'{"text": ' * 50_000):
        [err] = list(parse_bytes(data, "<stdin>", "auto"))
        assert isinstance(err, InputError) and err.name == "<stdin>"


@pytest.mark.parametrize("command", ["score", "check"])
def test_cli_bad_json_files_are_errors_and_the_batch_survives(batch, command):
    fmt = ["-f", "jsonl"] if command == "score" else []
    r = run_cli(command, *(str(p) for p in batch.values()), "--no-grammar", *fmt)
    err = r.stderr.decode()
    assert r.returncode == 3, err
    assert "Traceback" not in err
    lines = error_lines(r)
    for name in (batch["big"], batch["deep"], f"{batch['mixed']}:1", f"{batch['mixed']}:3"):
        assert sum(ln.startswith(f"{name}: error: ") for ln in lines) == 1, (name, lines)
    assert len(lines) == 4
    if command == "score":
        rows = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
        assert [row["path"] for row in rows] == [str(batch["good1"]), f"{batch['mixed']}#ok", str(batch["good2"])]


def test_any_exception_while_reading_one_record_or_file_stays_with_it(tmp_path, monkeypatch):
    """The boundary catches whatever is raised (not a list of known exceptions): a reader bug
    on one record, or on one file, is that input's one-line error; the rest is still read."""
    import detector.io.records as dio  # the readers look these names up in their own module

    real = dio.record_to_article

    def flaky(rec, name, where, max_bytes):
        if isinstance(rec, dict) and rec.get("id") == "boom":
            raise KeyError("unexpected\nbug")
        return real(rec, name, where, max_bytes)

    monkeypatch.setattr(dio, "record_to_article", flaky)
    p = tmp_path / "list.json"
    p.write_text(json.dumps([{"text": CLEAN}, {"id": "boom", "text": "x"}, {"text": OTHER}]), encoding="utf-8")
    q = tmp_path / "lines.jsonl"
    q.write_text(json.dumps({"id": "boom", "text": CLEAN}) + "\n" + json.dumps({"text": OTHER}) + "\n")
    res = list(iter_inputs([str(p), str(q)]))
    assert [type(r).__name__ for r in res] == ["Article", "InputError", "Article", "InputError", "Article"]
    assert res[1].name == f"{p}#1" and res[3].name == f"{q}:1"
    assert "KeyError" in res[1].message and "\n" not in res[1].message

    def broken_html(html, name, url=None):
        raise MemoryError

    monkeypatch.setattr(dio, "html_to_article", broken_html)
    h = tmp_path / "page.html"
    h.write_text("<html><body><p>" + CLEAN + "</p></body></html>")
    t = tmp_path / "t.txt"
    t.write_text(CLEAN)
    res = list(iter_inputs([str(h), str(t)]))
    assert isinstance(res[0], InputError) and res[0].name == str(h) and "out of memory" in res[0].message
    assert isinstance(res[1], Article)


# --------------------------------------------------------------------------- 2. JSONL line separators

SEPARATORS = "\u2028\u2029\u0085\x1c\x1d\x1e\x0b\x0c"


def jsonl_with_separators() -> tuple[bytes, list[str]]:
    texts = [
        CLEAN.replace("three new", f"three{SEPARATORS}new"),
        OTHER.replace("Staff said", "Staff\u2028said"),
        "Short note\u2029second paragraph about the harbour works and the ferry.\u0085end",
    ]
    raw = "".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    assert "\u2028" in raw and "\u0085" in raw  # raw, not \\u-escaped
    return raw.encode("utf-8"), texts


def test_jsonl_records_with_raw_unicode_line_separators_are_read_intact(tmp_path):
    data, texts = jsonl_with_separators()
    p = tmp_path / "sep.jsonl"
    p.write_bytes(data)
    res = list(iter_inputs([str(p)]))
    assert all(isinstance(r, Article) for r in res), res
    assert [r.text for r in res] == texts
    assert [r.name for r in res] == [f"{p}#0", f"{p}#1", f"{p}#2"]
    # the sniffed path (standard input) too
    assert [r.text for r in parse_bytes(data, "<stdin>", "auto")] == texts


def test_triage_jsonl_source_keeps_records_with_raw_line_separators(tmp_path):
    from detector.triage.fetch import Fetcher
    from detector.triage.sources import load_source

    data, texts = jsonl_with_separators()
    p = tmp_path / "sep.jsonl"
    p.write_bytes(data)
    with Fetcher() as f:
        _, kind, items = load_source(str(p), f, max_bytes=5_000_000)
    assert kind == "records"
    assert [i.error for i in items] == [None, None, None]
    assert [i.article.text for i in items] == texts


# --------------------------------------------------------------------------- 1. triage boundary


def triage_cli(*args: str):
    return run_cli("triage", *args, "--no-grammar", "--no-state", "-q", "-f", "jsonl")


def test_triage_jsonl_source_with_huge_int_and_deep_lines(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(
        json.dumps({"id": "a", "text": CLEAN}) + "\n" + BIG_INT_JSON + "\n" + "[" * 1_000_000 + "\n"
        + json.dumps({"id": "b", "text": OTHER}) + "\n",
        encoding="utf-8",
    )
    r = triage_cli(str(p))
    err = r.stderr.decode()
    assert r.returncode == 3, err
    assert "Traceback" not in err
    rows = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    assert sorted(row["key"] for row in rows if row["status"] == "scored") == ["a", "b"]
    assert sorted(row["key"] for row in rows if row["status"] == "error") == [f"{p}:2", f"{p}:3"]
    assert len(error_lines(r)) == 2


@pytest.mark.parametrize("body", [BIG_INT_JSON, DEEP_JSON], ids=["bigint", "deep"])
def test_triage_json_source_that_cannot_be_parsed_is_one_line_exit_3(tmp_path, body):
    p = tmp_path / "feed.json"
    p.write_text(body, encoding="utf-8")
    r = triage_cli(str(p))
    err = r.stderr.decode()
    assert r.returncode == 3 and "Traceback" not in err
    assert err.strip().count("\n") == 0 and str(p) in err and "invalid JSON" in err


def test_triage_directory_with_bad_json_files(batch, tmp_path):
    d = batch["good1"].parent
    r = triage_cli(str(d))
    err = r.stderr.decode()
    assert r.returncode == 3 and "Traceback" not in err, err
    rows = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    assert sum(row["status"] == "scored" for row in rows) == 3
    assert sum(row["status"] == "error" for row in rows) == 4


# --------------------------------------------------------------------------- 3. HTML encodings

TITLE = "Harbour caf\u00e9 reopens"
BODY_LATIN = (
    "The caf\u00e9 on the harbour front reopened on Saturday after a long winter of repairs. "
    "Its owner said the \u201cnew\u201d menu was a na\u00efve attempt to please everyone, and laughed. "
    "Fishermen and tourists queued along the quay for coffee and pastries from early morning."
)
BODY_JA = (
    "The new station in the city centre opened on Monday morning with a small ceremony for residents. "
    "\u6771\u4eac\u306e\u65b0\u3057\u3044\u99c5\u304c\u958b\u696d\u3057\u307e\u3057\u305f\u3002 "
    "Officials said trains would run every ten minutes during the day and every twenty at night."
)


def html_page(title: str, body: str, meta: str) -> str:
    paras = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{paras}</article></body></html>\n"
    )


META_FORMS = {
    "meta-charset": '<meta charset="{}">',
    "http-equiv": '<meta http-equiv="Content-Type" content="text/html; charset={}">',
}
CASES = {
    "iso-8859-1": ("ISO-8859-1", "cp1252", TITLE, BODY_LATIN),  # a browser reads ISO-8859-1 as cp1252
    "windows-1252": ("windows-1252", "cp1252", TITLE, BODY_LATIN),
    "shift_jis": ("Shift_JIS", "shift_jis", "\u99c5\u304c\u958b\u696d Station opens", BODY_JA),
}


@pytest.mark.parametrize("form", sorted(META_FORMS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_html_declaring_its_charset_in_meta_is_read_with_the_right_characters(tmp_path, case, form):
    label, codec, title, body = CASES[case]
    raw = html_page(title, body, META_FORMS[form].format(label)).encode(codec)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is not UTF-8
    p = tmp_path / f"{case}.html"
    p.write_bytes(raw)
    [art] = list(iter_inputs([str(p)]))
    assert isinstance(art, Article), art
    assert art.title == title
    assert body in art.text
    if case != "shift_jis":
        assert "\u201cnew\u201d" in art.text and "na\u00efve" in art.text and "caf\u00e9" in art.text
    # and through the CLI: read, not refused
    r = run_cli("score", str(p), "--no-grammar", "-f", "jsonl")
    assert r.returncode == 0, r.stderr.decode()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_utf8_bom_wins_over_the_meta_declaration(tmp_path, case):
    label, _codec, title, body = CASES[case]
    raw = b"\xef\xbb\xbf" + html_page(title, body, META_FORMS["meta-charset"].format(label)).encode("utf-8")
    p = tmp_path / f"bom-{case}.html"
    p.write_bytes(raw)
    [art] = list(iter_inputs([str(p)]))
    assert isinstance(art, Article), art
    assert art.title == title and body in art.text
    assert "\u00c3" not in art.text and "\ufffd" not in art.text  # no mojibake from reading as the meta label


def test_utf16_bom_html_is_read():
    from detector.io import decode_html

    raw = "\ufeff".encode("utf-16-le") + html_page(TITLE, BODY_LATIN, "").encode("utf-16-le")
    text = decode_html(raw, "x.html")
    assert isinstance(text, str) and BODY_LATIN in text


def test_html_without_declaration_is_detected():
    from detector.io import decode_html

    raw = html_page(TITLE, BODY_LATIN * 3, "").encode("cp1252")
    text = decode_html(raw, "x.html")
    assert isinstance(text, str) and "na\u00efve" in text and "\u201cnew\u201d" in text


def test_fetched_page_uses_the_http_charset(tmp_path):
    from test_triage_support import LocalServer, Site

    from detector.triage.fetch import Fetcher, FetchPolicy
    from detector.triage.sources import Item, fetch_article

    site = Site()
    page = html_page(TITLE, BODY_LATIN, "").encode("cp1252")
    site.add("/a.html", page, "text/html; charset=windows-1252")
    site.add("/b.html", page, "text/html; charset=ISO-8859-1")
    with LocalServer(site) as srv, Fetcher(FetchPolicy(allow_private=True)) as f:
        for path in ("/a.html", "/b.html"):
            art = fetch_article(Item(key=path, url=srv.base + path), f, max_bytes=1_000_000)
            assert BODY_LATIN in art.text, path


# --------------------------------------------------------------------------- 3. --encoding


def test_txt_is_strict_utf8_unless_encoding_is_named(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes(BODY_LATIN.encode("cp1252"))
    [err] = list(iter_inputs([str(p)]))
    assert isinstance(err, InputError) and "invalid UTF-8" in err.message and "--encoding" in err.message
    [art] = list(iter_inputs([str(p)], encoding="cp1252"))
    assert isinstance(art, Article) and art.text == BODY_LATIN
    r = run_cli("score", str(p), "--no-grammar", "-f", "jsonl")
    assert r.returncode == 3
    r = run_cli("score", str(p), "--no-grammar", "-f", "jsonl", "--encoding", "windows-1252")
    assert r.returncode == 0, r.stderr.decode()
    r = run_cli("check", str(p), "--no-grammar", "--encoding", "cp1252")
    assert r.returncode == 0, r.stderr.decode()


@pytest.mark.parametrize("command", ["score", "check", "triage"])
@pytest.mark.parametrize("name", ["no-such-codec", "base64"])
def test_unknown_encoding_is_a_usage_error(tmp_path, command, name):
    p = tmp_path / "a.txt"
    p.write_text(CLEAN)
    extra = ["--no-state"] if command == "triage" else []
    r = run_cli(command, str(p), "--no-grammar", "--encoding", name, *extra)
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert err.count("\n") == 0 and "--encoding" in err and "Traceback" not in err


def test_triage_directory_honours_encoding(tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    (d / "latin.txt").write_bytes((TITLE + "\n\n" + BODY_LATIN).encode("cp1252"))
    r = triage_cli(str(d))
    assert r.returncode == 3
    r = triage_cli(str(d), "--encoding", "cp1252")
    assert r.returncode == 0, r.stderr.decode()
    [row] = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    assert row["status"] == "scored"


# --------------------------------------------------------------------------- 5. umask


def test_atomic_write_gives_the_mode_open_would(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "x.txt", "hello")
        with open(tmp_path / "y.txt", "w") as f:
            f.write("hello")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == stat.S_IMODE((tmp_path / "y.txt").stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt", "y.txt"]


def test_trained_model_and_card_are_written_atomically_with_the_umask(tmp_path):
    from test_model import make_rows, write_jsonl

    from detector import model as M
    from detector import training as T

    data = write_jsonl(tmp_path / "d.jsonl", make_rows(40, seed=3))
    out = tmp_path / "m" / "toy.skops"
    old = os.umask(0o022)
    try:
        T.train(T.read_dataset(data), out, estimator="logreg", seed=1)
    finally:
        os.umask(old)
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.parent.iterdir()}
    assert files == {"toy.skops": 0o644, "toy.card.json": 0o644}  # no temp file left behind
    assert M.load_model(out)["name"] == "toy"


def test_triage_jsonl_escapes_raw_line_separators(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(CLEAN.replace(". ", ".\u2028 ", 1) + "\n\nLast words\u2029 here.\n")
    r = run_cli("triage", str(src), "--no-grammar", "--no-state", "-q", "-f", "jsonl")
    assert r.returncode == 0, r.stderr.decode()
    out = r.stdout.decode()
    assert "\u2028" not in out and "\u2029" not in out
    rows = [json.loads(x) for x in out.splitlines()]  # splitlines() would cut at a raw U+2028
    assert len(rows) == 1


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o002, 0o664)])
def test_cli_output_files_respect_the_umask(tmp_path, umask, mode):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(CLEAN)
    out = tmp_path / "out"
    r = run_cli("score", str(src), "--no-grammar", "-f", "csv", "-o", str(out / "s.csv"), umask=umask)
    assert r.returncode == 0, r.stderr.decode()
    r = run_cli("check", str(src), "--no-grammar", "-o", str(out / "c.txt"), umask=umask)
    assert r.returncode == 0, r.stderr.decode()
    r = run_cli(
        "triage", str(src), "--no-grammar", "--no-state", "-q", "-f", "json", "-o", str(out / "t.json"),
        "--html", str(out / "t.html"), umask=umask,
    )
    assert r.returncode == 0, r.stderr.decode()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {"s.csv": mode, "c.txt": mode, "t.json": mode, "t.html": mode}


@pytest.mark.parametrize("where", ["a folder", "under a file", "under a missing root"])
def test_an_output_that_cannot_be_written_is_one_line_exit_2(tmp_path, where):
    """-o / --html / --model into a folder, under a regular file or under /proc: one line naming
    the option and the path, exit 2, no traceback, nothing left behind; train refuses it before
    fitting anything."""
    from test_model import make_rows, write_jsonl

    src = tmp_path / "a.txt"
    src.write_text(CLEAN)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    bad = {"a folder": str(tmp_path), "under a file": str(blocker / "out.x"),
           "under a missing root": "/proc/detector-no-such-dir/out.x"}[where]
    data = str(write_jsonl(tmp_path / "d.jsonl", make_rows(40, seed=3)))
    runs = [
        ("--output", run_cli("score", str(src), "--no-grammar", "-q", "-f", "jsonl", "-o", bad)),
        ("--output", run_cli("check", str(src), "--no-grammar", "-q", "-o", bad)),
        ("--output", run_cli("triage", str(src), "--no-grammar", "--no-state", "-q", "-f", "json", "-o", bad)),
        ("--html", run_cli("triage", str(src), "--no-grammar", "--no-state", "-q", "--html", bad)),
        ("--model", run_cli("train", data, "-q", "--estimator", "logreg", "-m", bad)),
    ]
    for option, r in runs:
        err = r.stderr.decode()
        assert r.returncode == 2, (option, err)
        assert "Traceback" not in err
        lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
        assert lines == [ln for ln in err.splitlines() if ln.strip()][-1:]  # the last line, the only error
        assert lines[0].startswith(f"error: cannot write {option} {bad}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "blocker", "d.jsonl"]


def test_a_reader_closing_stdout_early_is_a_quiet_exit(tmp_path):
    """`detector score ... | head -c 100`: exit 1 (click's convention for a closed pipe), no
    traceback and no error line."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(80):  # well over a pipe buffer of JSONL
        (src / f"a{i:02d}.txt").write_text(CLEAN.replace("said", f"said on day {i}", 1))
    exe = Path(sys.executable).with_name("detector")
    cmd = [str(exe), "score", str(src), "--no-grammar", "--isolated", "--no-cache", "-q", "-f", "jsonl", "-j", "1"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.read(100)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(180) == 1
    assert "Traceback" not in err and "error" not in err


# --------------------------------------------------------------------------- 6. CSV columns


def test_score_csv_columns_are_unique_and_none_is_lost(tmp_path):
    from detector.findings import FAMILIES

    a = tmp_path / "a.txt"
    a.write_text(CLEAN)
    r = run_cli("score", str(a), "--no-grammar", "-f", "csv")
    assert r.returncode == 0
    header = next(csv.reader(io.StringIO(r.stdout.decode())))
    assert len(header) == len(set(header))
    [row] = list(csv.DictReader(io.StringIO(r.stdout.decode())))
    assert len(row) == len(header)
    assert row["grammar_status"] == "off"
    assert row["grammar"] == "0"  # the grammar family's finding count, like every family column
    assert set(FAMILIES) <= set(row)


def test_jsonl_output_is_one_line_per_row_for_any_line_splitter(tmp_path):
    """Raw U+2028/U+2029/U+0085 from the text (in messages, suggestions, titles) are escaped in
    the JSONL output, so even str.splitlines() readers see one record per line."""
    p = tmp_path / "sep.jsonl"
    p.write_bytes(jsonl_with_separators()[0])
    r = run_cli("score", str(p), "--no-grammar", "-f", "jsonl")
    assert r.returncode == 0, r.stderr.decode()
    out = r.stdout.decode()
    rows = [json.loads(ln) for ln in out.splitlines()]
    assert len(rows) == 3 and [row["path"] for row in rows] == [f"{p}#0", f"{p}#1", f"{p}#2"]
