"""Triage polish: the table names the reasons that lowered each score, items show their titles,
and the best copy of a near-duplicate group is the cleanest one."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_triage_support import ensure_repetition_detector, use_rule_scorer
from typer.testing import CliRunner

from detector.cli import app
from detector.triage.render import lowered_by, render_csv, render_json, render_table, short_reason
from detector.triage.run import BEST_COPY_CLOSE, Row, TriageResult, best_copy
from detector.triage.sources import first_line_title

runner = CliRunner()


@pytest.fixture(autouse=True)
def _deterministic_scoring(monkeypatch):
    ensure_repetition_detector(monkeypatch)
    use_rule_scorer(monkeypatch)


def _reason(feature: str, value: float, effect: float) -> dict:
    return {"feature": feature, "message": f"{feature} is {value}", "value": value, "typical": 0.0,
            "effect": effect}


def _finding(family: str) -> dict:
    return {"family": family, "code": "X", "severity": "warning", "start": 0, "end": 1, "message": "m"}


def _row(key: str, rel: float | None, *, reasons=None, counts=None, findings=(), rank=1, title=None) -> Row:
    report = {"reliability": rel, "verdict": "review", "counts": counts or {},
              "findings": [_finding(f) for f in findings]}
    if reasons is not None:
        report["reasons"] = reasons
    return Row(key=key, status="scored", report=report, rank=rank, title=title, text="x")


# ------------------------------------------------------------------------------ reasons in the table


def test_table_shows_the_reasons_that_lowered_the_score_not_the_largest_counts():
    # false name counts dominate by number; the duplicated block is what lowered the score
    row = _row(
        "a.txt", 0.31,
        counts={"name": 9, "fluency": 6, "repetition": 4, "duplicate-block": 1},
        reasons=[
            _reason("fam:name_per1kw", 12.0, 0.05),
            _reason("frac:duplicate-block", 0.3, -1.4),
            _reason("stat:flu_mt_share", 0.5, -0.4),
            _reason("fam:fluency_per1kw", 8.0, -0.1),
        ],
    )
    res = TriageResult(source="feed", kind="files", rows=[row], config="c")
    table = render_table(res, width=200, color=False)
    assert "lowered by" in table
    assert "duplicate-block 30 %, mt share 50 %" in table
    assert "name 9" not in table and "fluency" not in table  # only the top two lowering reasons
    assert lowered_by(row) == "duplicate-block 30 %, mt share 50 %"
    rec = next(csv.DictReader(io.StringIO(render_csv(res))))
    assert rec["lowered_by"] == "duplicate-block 30 %; mt share 50 %"
    assert [r["feature"] for r in json.loads(render_json(res))[0]["reasons"]][:2] == [
        "fam:name_per1kw", "frac:duplicate-block"]


def test_reason_short_forms():
    assert short_reason(_reason("fam:name_per1kw", 4.2, -1)) == "name 4.2/1kw"
    assert short_reason(_reason("code:NAM004_per1kw", 3.0, -1)) == "NAM004 3/1kw"
    assert short_reason(_reason("count:boilerplate", 2.0, -1)) == "boilerplate x2"
    assert short_reason(_reason("any:broken-sentence", 1.0, -1)) == "broken-sentence"
    assert short_reason(_reason("lt:GRAMMAR", 1.5, -1)) == "LT grammar 1.5/100w"
    long = {"feature": "language", "message": "the text is " + "very " * 20 + "odd", "effect": -1}
    assert len(short_reason(long)) == 40


def test_no_lowering_reason_shows_a_dash_and_an_old_report_falls_back_to_counts():
    ok = _row("ok.txt", 0.9, reasons=[_reason("stat:flu_mt_share", 0.1, 0.3)], counts={"name": 1})
    assert lowered_by(ok) == "-"
    old = _row("old.txt", 0.4, counts={"repetition": 3, "name": 1})  # state from before reasons
    assert lowered_by(old) == "repetition 3, name 1"


# ------------------------------------------------------------------------------ titles


def test_first_line_title():
    assert first_line_title("Council approves bridge\n\nThe council voted.") == "Council approves bridge"
    assert first_line_title("The council voted on Tuesday.\nIt was close.") is None  # a sentence
    assert first_line_title("Only one line here") is None
    assert first_line_title("x" * 200 + "\n\nbody") is None


BODY = ("The harbour festival returned this weekend after a two-year break, drawing thousands of "
        "visitors to the waterfront. Organisers said attendance exceeded their expectations.")


def test_items_show_titles_in_every_output(tmp_path):
    d = tmp_path / "feed"
    d.mkdir()
    (d / "a.txt").write_text(f"Harbour festival returns\n\n{BODY}\n", encoding="utf-8")
    (d / "b.html").write_text(
        f"<html><head><title>Bridge vote delayed again</title></head><body><article><p>{BODY}</p>"
        "<p>The council said it would publish its decision next month.</p></article></body></html>",
        encoding="utf-8",
    )
    (d / "c.txt").write_text(f"{BODY}\n\nA second paragraph follows here.\n", encoding="utf-8")  # no headline
    recs = tmp_path / "recs.jsonl"
    recs.write_text(json.dumps({"id": "r1", "title": "Museum opens new wing", "text": BODY}) + "\n")

    def run(source, *args):
        r = runner.invoke(app, ["triage", str(source), "--no-state", "--no-grammar", "-q", *args],
                          catch_exceptions=False)
        assert r.exit_code == 0, r.stdout
        return r.stdout

    titles = {r["key"]: r["title"] for r in json.loads(run(d, "-f", "json"))}
    assert titles == {"a.txt": "Harbour festival returns", "b.html": "Bridge vote delayed again", "c.txt": None}
    rows = list(csv.DictReader(io.StringIO(run(d, "-f", "csv"))))
    assert {r["key"]: r["title"] for r in rows}["a.txt"] == "Harbour festival returns"
    table = run(d)
    assert "Harbour festival returns" in table and "Bridge vote delayed again" in table
    assert "a.txt" not in table and "c.txt" in table  # the file name only where no title is known
    html = tmp_path / "r.html"
    run(d, "-f", "json", "--html", str(html))
    page = html.read_text(encoding="utf-8")
    assert "Harbour festival returns" in page and "Bridge vote delayed again" in page
    assert json.loads(run(recs, "-f", "json"))[0]["title"] == "Museum opens new wing"


# ------------------------------------------------------------------------------ best copy


def test_best_copy_prefers_the_copy_without_page_furniture_when_reliability_is_close():
    furnished = _row("a", 0.80, findings=["boilerplate", "duplicate-block", "name"], rank=2)
    clean = _row("b", 0.80 - BEST_COPY_CLOSE + 0.01, findings=["name"], rank=1)
    assert best_copy([furnished, clean]) is clean
    assert best_copy([clean, furnished]) is clean


def test_best_copy_is_the_most_reliable_when_the_gap_is_not_close():
    furnished = _row("a", 0.90, findings=["boilerplate"], rank=2)
    clean = _row("b", 0.90 - BEST_COPY_CLOSE - 0.02, rank=1)
    assert best_copy([furnished, clean]) is furnished


def test_best_copy_ties_and_unjudged_copies():
    a = _row("a", 0.70, findings=["name", "name"], rank=1)
    b = _row("b", 0.72, findings=["name"], rank=2)
    assert best_copy([a, b]) is b  # same furniture (none): the most reliable
    unjudged = _row("u", None, rank=3)
    assert best_copy([unjudged, a]) is a
    assert best_copy([unjudged]) is unjudged
