"""Input handling and the CLI contract: formats, bad input, exit codes, atomic output."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from detector.article import Article
from detector.io import InputError, atomic_write, iter_inputs, parse_bytes

CLEAN = (
    "Council approves new bus routes\n\n"
    "The city council voted on Tuesday to approve three new bus routes linking the northern suburbs "
    "with the central station. Officials said the routes would start running in the spring.\n\n"
    "The transport committee said passenger numbers had risen by eight percent over the past year, "
    "and that the new services would ease crowding on existing lines.\n"
)
GARBLED = (
    "Minister visits port\n\n"
    "The minister said the the plan would go ahead. The minister said the the port would reopen, "
    "the port would reopen, the port would reopen soon.\n"
)


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("detector")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "detector.cli", *args]
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(cmd, input=stdin, capture_output=True, env=e, timeout=120)


def load(specs, **kw):
    return list(iter_inputs(specs, **kw))


# --------------------------------------------------------------------------- loading


def test_text_file_is_loaded_verbatim(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(CLEAN.replace("\n", "\r\n").encode())
    [art] = load([str(p)])
    assert isinstance(art, Article)
    assert art.text == CLEAN.replace("\n", "\r\n")
    assert art.name == str(p)


def test_utf8_bom_is_tolerated(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + CLEAN.encode())
    [art] = load([str(p)])
    assert art.text == CLEAN


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\n\t ", "empty"),
        ("binary.txt", bytes(range(256)) * 10, "binary"),
        ("latin1.txt", "Caf\u00e9 society".encode("latin-1"), "invalid UTF-8"),
        ("page.txt", b"<!DOCTYPE html><html><body><p>Hello there world</p></body></html>", "HTML"),
        ("numbers.txt", b"12 34 56\n78", "no words"),
    ],
)
def test_bad_text_inputs_get_one_line_errors(tmp_path, name, data, needle):
    p = tmp_path / name
    p.write_bytes(data)
    [err] = load([str(p)])
    assert isinstance(err, InputError)
    assert err.name == str(p)
    assert needle in err.message
    assert "\n" not in str(err)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse 50 MB
    [err] = load([str(p)])
    assert isinstance(err, InputError) and "too large" in err.message


def test_directory_is_walked_recursively_and_notes_unsupported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(CLEAN)
    (tmp_path / "sub" / "b.txt").write_text(GARBLED)
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text(CLEAN)
    notes = []
    res = load([str(tmp_path)], notes=notes)
    assert sorted(Path(a.name).name for a in res) == ["a.txt", "b.txt"]
    assert len(notes) == 1 and "image.png" in notes[0]


def test_directory_without_text_is_an_error(tmp_path):
    (tmp_path / "x.png").write_bytes(b"\x89PNG")
    [err] = load([str(tmp_path)])
    assert isinstance(err, InputError) and "no .txt" in err.message


def test_glob_and_missing(tmp_path):
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_text(CLEAN)
    res = load([str(tmp_path / "f*.txt"), str(tmp_path / "nope*.txt"), str(tmp_path / "missing.txt")])
    assert [type(r).__name__ for r in res] == ["Article"] * 3 + ["InputError"] * 2


def test_json_and_jsonl_records(tmp_path):
    j = tmp_path / "one.json"
    j.write_text(json.dumps({"id": "x1", "title": "T", "url": "http://e/x", "text": CLEAN, "lang": "en"}))
    jl = tmp_path / "many.jsonl"
    jl.write_text(
        json.dumps({"id": "a", "text": CLEAN})
        + "\n\n"
        + "{not json\n"
        + json.dumps({"id": "c", "body": "no text field"})
        + "\n"
        + json.dumps({"text": GARBLED})
        + "\n"
    )
    res = load([str(j), str(jl)])
    a0 = res[0]
    assert a0.id == "x1" and a0.title == "T" and a0.url == "http://e/x" and a0.meta == {"lang": "en"}
    assert a0.name == f"{j}#x1"
    kinds = [type(r).__name__ for r in res[1:]]
    assert kinds == ["Article", "InputError", "InputError", "Article"]
    assert res[2].name == f"{jl}:3"  # malformed line named by its line number
    assert res[4].name == f"{jl}:5"


def _same(results):
    return [(type(r).__name__, r.name, getattr(r, "text", None), getattr(r, "message", None)) for r in results]


def test_jsonl_file_is_streamed_a_line_at_a_time(tmp_path, monkeypatch):
    """A JSONL file is read line by line: no whole-file read and no whole-file size limit, and
    the records and errors are those of parse_bytes over the same bytes; an undecodable line is
    that line's error, the lines around it are read."""
    from detector.io import records

    lines = [
        codecs_bom + json.dumps({"id": "a", "text": CLEAN}).encode(),
        b"",
        json.dumps({"text": GARBLED + " \u2028 inside"}, ensure_ascii=False).encode() + b"\r",
        '{"text": "caf\u00e9 \u00e9"}'.encode("latin-1"),  # not UTF-8: this line only
        "\u00a0".encode(),  # blank once decoded
        b"{not json",
        json.dumps({"id": "z", "text": CLEAN.replace("bus", "tram")}).encode(),  # no final newline
    ]
    data = b"\n".join(lines)
    p = tmp_path / "feed.jsonl"
    p.write_bytes(data)
    monkeypatch.setattr(records, "DEFAULT_MAX_FILE_BYTES", 100)  # a JSON collection's limit only
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole"))
    res = load([str(p)])
    assert _same(res) == _same(parse_bytes(data, str(p), "jsonl"))
    assert [type(r).__name__ for r in res] == ["Article", "Article", "InputError", "InputError", "Article"]
    assert res[2].name == f"{p}:4" and "invalid UTF-8" in res[2].message
    assert res[0].id == "a" and "\u2028 inside" in res[1].text and res[4].id == "z"


def test_jsonl_overlong_line_is_its_own_error(tmp_path):
    from detector.io import records

    limit = records.max_line_bytes(1000)
    p = tmp_path / "long.jsonl"
    p.write_bytes(
        json.dumps({"text": "x " * limit}).encode() + b"\n" + json.dumps({"id": "after", "text": CLEAN}).encode() + b"\n"
    )
    err, art = load([str(p)], max_bytes=1000)
    assert isinstance(err, InputError) and err.name == f"{p}:1" and "line too long" in err.message
    assert isinstance(art, Article) and art.id == "after"


def test_jsonl_empty_and_binary_files(tmp_path):
    for name, data, needle in (("blank.jsonl", b" \n\n \n", "empty"), ("bin.jsonl", bytes(range(256)) * 40, "binary"),
                               ("nbsp.jsonl", "\u00a0\n".encode(), "no JSON lines")):
        p = tmp_path / name
        p.write_bytes(data)
        [err] = load([str(p)])
        assert isinstance(err, InputError) and err.name == str(p) and needle in err.message, (name, err)
        assert _same([err]) == _same(parse_bytes(data, str(p), "jsonl"))


codecs_bom = b"\xef\xbb\xbf"


def test_html_extracts_main_text_and_keeps_title(tmp_path):
    body = "".join(f"<p>{para}</p>" for para in CLEAN.split("\n\n")[1:])
    html = (
        "<html><head><title>Council approves new bus routes</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Council approves new bus routes</h1>{body}</article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_text(html)
    [art] = load([str(p)])
    assert isinstance(art, Article)
    assert art.title == "Council approves new bus routes"
    assert art.text.startswith("Council approves new bus routes\n\n")
    assert "three new bus routes" in art.text
    assert "All rights reserved" not in art.text


def test_stdin_sniffing():
    [a] = list(parse_bytes(CLEAN.encode(), "<stdin>", "auto"))
    assert isinstance(a, Article)
    recs = list(parse_bytes((json.dumps({"text": CLEAN}) + "\n" + json.dumps({"text": GARBLED})).encode(), "<stdin>", "auto"))
    assert len(recs) == 2 and all(isinstance(r, Article) for r in recs)


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "r.json"
    atomic_write(target, "one")
    atomic_write(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.json"]


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(CLEAN)
    bad = tmp_path / "bad.txt"
    bad.write_text(GARBLED)
    return good, bad


def test_cli_score_jsonl_schema(files):
    good, bad = files
    r = run_cli("score", str(good), str(bad), "--format", "jsonl", "--no-grammar")
    assert r.returncode == 0, r.stderr.decode()
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [row["path"] for row in rows] == [str(good), str(bad)]
    for row in rows:
        assert {"path", "reliability", "verdict", "findings", "stats"} <= set(row)
        assert 0.0 <= row["reliability"] <= 1.0
        assert row["verdict"] in ("ok", "review", "reject")
        assert row["grammar"] == "off"
        for f in row["findings"]:
            assert set(f) == {"family", "code", "start", "end", "line", "column", "message", "suggestion", "severity"}
    text = bad.read_text()
    rep = [f for f in rows[1]["findings"] if f["family"] == "repetition"]
    assert rep, "garbled text should have repetition findings"
    assert all(text[f["start"] : f["end"]] for f in rep)
    assert rows[0]["reliability"] > rows[1]["reliability"]


def test_cli_check_prints_ruff_style_lines(files):
    _, bad = files
    r = run_cli("check", str(bad), "--no-grammar")
    assert r.returncode == 1  # warnings found (check --fail-on defaults to warning)
    lines = r.stdout.decode().splitlines()
    assert lines
    import re

    for line in lines:
        assert re.match(rf"^{re.escape(str(bad))}:\d+:\d+: [A-Z]+[A-Z0-9_]* .+", line), line


def test_cli_csv_and_json_and_output_file(files, tmp_path):
    good, bad = files
    out = tmp_path / "res.csv"
    r = run_cli("score", str(good), str(bad), "-f", "csv", "-o", str(out), "--no-grammar")
    assert r.returncode == 0 and r.stdout == b""
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [row["path"] for row in rows] == [str(good), str(bad)]
    r = run_cli("score", str(good), "-f", "json", "--no-grammar")
    assert json.loads(r.stdout)[0]["path"] == str(good)


def test_cli_bad_inputs_exit_3_and_others_still_scored(files, tmp_path):
    good, bad = files
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("r\u00e9sum\u00e9 of the day".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    nodir = tmp_path / "emptydir"
    nodir.mkdir()
    r = run_cli(
        "score", str(empty), str(good), str(binary), str(latin), str(huge), str(nodir), str(bad),
        "-f", "jsonl", "--no-grammar",
    )
    assert r.returncode == 3
    err_lines = r.stderr.decode().strip().splitlines()
    for p in (empty, binary, latin, huge, nodir):
        assert sum(line.startswith(f"{p}: error:") for line in err_lines) == 1, (p, err_lines)
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [row["path"] for row in rows] == [str(good), str(bad)]


def test_cli_stdin(files):
    r = run_cli("score", "-", "-f", "jsonl", "--no-grammar", stdin=CLEAN.encode())
    assert r.returncode == 0
    assert json.loads(r.stdout)["path"] == "<stdin>"


def test_cli_fail_on_reject(tmp_path):
    p = tmp_path / "awful.txt"
    loop = "the port would reopen, " * 30
    p.write_text("Port news\n\nThe the minister said " + loop + "soon.\n\n" + "Share this post\n\nComment this post\n")
    r = run_cli("score", str(p), "--fail-on", "reject", "-f", "jsonl", "--no-grammar")
    row = json.loads(r.stdout)
    assert (r.returncode == 1) == (row["verdict"] == "reject")
    assert row["verdict"] != "ok"
    r2 = run_cli("score", str(p), "-f", "jsonl", "--no-grammar")
    assert r2.returncode == 0


def test_cli_usage_errors_exit_2(files):
    good, _ = files
    assert run_cli("score", str(good), "--format", "xml").returncode == 2
    assert run_cli("score").returncode == 2
    assert run_cli("nonsense-command").returncode == 2


def test_library_api_check_and_score():
    import detector

    fs = detector.check(GARBLED, grammar="off")
    assert fs and all(isinstance(f, detector.Finding) for f in fs)
    assert any(f.code == "REP001" and GARBLED[f.start : f.end].lower().startswith("the") for f in fs)
    reports = detector.score([CLEAN, detector.Article(GARBLED, name="g")], grammar="off")
    assert reports[1].path == "g"
    assert reports[0].reliability > reports[1].reliability
    assert reports[0].to_dict()["stats"]["words"] > 20


def test_cli_bad_model_file_is_a_usage_error(files, tmp_path):
    good, _ = files
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a zip at all")
    for args in (["score", str(good)], ["triage", str(good.parent), "--no-state"]):
        r = run_cli(*args, "--model", str(junk), "--no-grammar")
        assert r.returncode == 2, (args, r.stderr)
        err = r.stderr.decode().strip().splitlines()
        assert len(err) == 1 and "--model" in err[0] and "Traceback" not in r.stderr.decode()
    r = run_cli("score", str(good), "--model", str(tmp_path / "missing.skops"), "--no-grammar")
    assert r.returncode == 2 and "not found" in r.stderr.decode()


def test_jsonl_record_with_an_unpaired_surrogate_is_one_error(tmp_path):
    # "\ud83d" alone is a broken JSON escape (half an emoji): json.loads accepts it, UTF-8 cannot
    # encode it. That record is reported by line; the rest of the file is scored.
    p = tmp_path / "feed.jsonl"
    p.write_text('{"text": "Talks \\ud83d failed today."}\n' + json.dumps({"text": CLEAN}) + "\n")
    r = run_cli("score", str(p), "--no-grammar", "--format", "jsonl", env={"DETECTOR_EVIDENCE_CACHE": "off"})
    assert r.returncode == 3
    err = r.stderr.decode().strip().splitlines()
    assert err == [f"{p}:1: error: not valid Unicode: unpaired surrogate \\ud83d (a broken JSON escape)"]
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [x["path"] for x in rows] == [f"{p}:2"]


def test_library_scores_text_with_an_unpaired_surrogate():
    from detector import api

    text = "Officials said the the talks \ud83d failed on Monday.\n\nThey will meet again next week."
    [rep] = api.score([text], grammar="off", cache=False)
    rep2 = [f for f in rep.findings if f.code == "REP001"]
    assert rep2 and text[rep2[0].start : rep2[0].end].lower().split()[0] == "the"
    assert 0.0 <= rep.reliability <= 1.0
