"""Triage of a feed built (at test time, in a temporary directory) from the five seed articles in
../shared/seeds: all items are scored as one batch, 003 comes out least reliable, and the
misspelled "Anthony Blinken" in 003 and 004 is flagged with "Antony Blinken"."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")), reason=f"seed articles not found at {SEEDS}"
)


def seed_feed(tmp_path: Path) -> Path:
    """An RSS file whose entries carry each seed's full text as content:encoded HTML."""
    items = []
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    for i, p in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = p.read_text(encoding="utf-8")
        title, _, body = text.strip().partition("\n")
        paras = [b.strip() for b in body.split("\n\n") if b.strip()]
        html = "".join("<p>" + "<br>".join(escape(ln) for ln in para.split("\n")) + "</p>" for para in paras)
        items.append(
            f'<item><title>{escape(title.strip())}</title><guid isPermaLink="false">{escape(p.stem[:3])}</guid>'
            f"<pubDate>{format_datetime(t0 + timedelta(hours=i))}</pubDate>"
            f"<description>{escape(paras[0][:200] if paras else title)}</description>"
            f"<content:encoded>{escape(html)}</content:encoded></item>"
        )
    feed = tmp_path / "seeds.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Seeds</title><link>http://example.invalid/</link><description>seed articles</description>"
        + "".join(items)
        + "</channel></rss>\n",
        encoding="utf-8",
    )
    return feed


@contextmanager
def count_score_calls():
    """Record (items scored, context texts) for every detector.api.score call made inside."""
    from detector import api

    calls: list[tuple[int, int]] = []
    real = api.score

    def spy(items, **kw):
        items = list(items)
        calls.append((len(items), len(list(kw.get("context", ())))))
        return real(items, **kw)

    api.score = spy
    try:
        yield calls
    finally:
        api.score = real


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from detector.triage import State, triage

    tmp = tmp_path_factory.mktemp("seeds")
    with count_score_calls() as calls, State(tmp / "state.sqlite3") as st:
        res = triage(str(seed_feed(tmp)), state=st, grammar="off")
    return res, calls


def test_all_seed_items_scored_as_one_batch(result):
    res, calls = result
    assert len(res.rows) == 5 and {r.status for r in res.rows} == {"scored"}
    assert calls == [(5, 0)]  # one api.score call over the whole feed


def test_003_is_least_reliable(result):
    res, _ = result
    rel = {r.key: r.reliability for r in res.rows}
    assert min(rel, key=rel.get) == "003", rel
    assert res.rows[0].key == "003"  # top of the least-reliable-first ranking


@pytest.mark.parametrize("seed", ["003", "004"])
def test_anthony_blinken_flagged_with_the_batch_spelling(result, seed):
    row = next(r for r in result[0].rows if r.key == seed)
    assert "Anthony Blinken" in row.text
    hits = [
        f
        for f in row.findings
        if f.family == "name" and row.text[f.start : f.end] in "Anthony Blinken" and f.end > f.start
    ]
    assert hits, f"no name finding on 'Anthony Blinken' in {seed}: {[f.code for f in row.findings]}"
    assert any(f.suggestion and "Antony Blinken" in f.suggestion for f in hits)
    # the spelling is also learned from the rest of the batch (001 uses "Antony Blinken")
    assert any("other article in this batch spells it 'Antony Blinken'" in f.message for f in hits)


def test_new_item_scored_alone_still_judged_against_the_known_items(tmp_path):
    """004 arrives after the others were scored: only 004 is scored, with the four known texts
    passed as name context, and its "Anthony Blinken" is still flagged."""
    from detector.triage import State, triage

    feed = seed_feed(tmp_path)
    full = feed.read_text(encoding="utf-8")
    start = full.index("<item>", full.index('<guid isPermaLink="false">004') - 200)
    end = full.index("</item>", start) + len("</item>")
    feed.write_text(full[:start] + full[end:], encoding="utf-8")
    with count_score_calls() as calls, State(tmp_path / "state.sqlite3") as st:
        first = triage(str(feed), state=st, grammar="off")
        feed.write_text(full, encoding="utf-8")
        second = triage(str(feed), state=st, grammar="off")
    assert len(first.rows) == 4 and calls[0] == (4, 0)
    assert calls[1:] == [(1, 4)]
    assert sorted(r.status for r in second.rows) == ["cached"] * 4 + ["scored"]
    row = next(r for r in second.rows if r.key == "004")
    assert row.status == "scored"
    hits = [f for f in row.findings if f.family == "name" and row.text[f.start : f.end] in "Anthony Blinken"]
    assert any(f.suggestion and "Antony Blinken" in f.suggestion for f in hits)
