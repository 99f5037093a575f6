"""`detector triage`: feeds over a real local HTTP server, ranking, state, resumption, safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_triage_support import (
    XML_BOMB,
    LocalServer,
    Site,
    Story,
    cli_main_wrapper,
    closed_port,
    default_stories,
    ensure_repetition_detector,
    publish,
    use_rule_scorer,
)
from typer.testing import CliRunner

from detector.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _deterministic_scoring(monkeypatch):
    ensure_repetition_detector(monkeypatch)
    use_rule_scorer(monkeypatch)


@pytest.fixture
def site():
    s = Site()
    with LocalServer(s) as srv:
        s.base = srv.base
        publish(s, srv.base, default_stories())
        yield s


def triage(*args: str):
    return runner.invoke(app, ["triage", *args, "--no-grammar", "--quiet"], catch_exceptions=False)


def rows_of(result) -> list[dict]:
    return json.loads(result.stdout)


def by_slug(rows: list[dict]) -> dict[str, dict]:
    return {r["key"].removeprefix("courier-"): r for r in rows}


def db_rows(state: Path) -> list[tuple]:
    with sqlite3.connect(state) as db:
        return db.execute("SELECT key, scored_at, run_id, content_hash FROM items ORDER BY key").fetchall()


# ---------------------------------------------------------------------------------------------
# Feed over HTTP: fetch, rank, group, state


def test_feed_over_http_is_fetched_ranked_and_grouped(site, tmp_path):
    state = tmp_path / "state.sqlite3"
    html = tmp_path / "report.html"
    res = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json", "--html", str(html)
    )
    assert res.exit_code == 0, res.stderr
    rows = rows_of(res)
    assert len(rows) == 6
    assert [r["rank"] for r in rows] == list(range(1, 7))
    rel = [r["reliability"] for r in rows]
    assert rel == sorted(rel), "ranked least reliable first"
    assert rows[0]["key"] == "courier-garbled"
    assert rows[0]["counts"]["repetition"] >= 5
    assert all(r["status"] == "scored" and r["reason"] == "new" for r in rows)
    # every page was fetched once (entries carry only a one-sentence summary)
    assert site.page_hits() == 6

    # the fetched text is the article's main text, not the summary, minus page furniture
    with sqlite3.connect(state) as db:
        text = db.execute("SELECT text FROM items WHERE key='courier-library'").fetchone()[0]
    assert "children's readings" in text  # from the page body, not in the feed summary
    assert "Tomas Vey" in text
    assert "Subscribe to our newsletter" not in text and "Sport" not in text

    # the three copies of the harbour story form one group whose best copy is the cleanest
    s = by_slug(rows)
    group = {k for k, r in s.items() if r["cluster"] is not None}
    assert group == {"harbour", "harbour-copy", "harbour-spun"}
    assert len({s[k]["cluster"] for k in group}) == 1
    best = [k for k in group if s[k]["best_in_cluster"]]
    assert len(best) == 1
    assert s[best[0]]["reliability"] == max(s[k]["reliability"] for k in group)
    assert best == ["harbour"]  # the clean original, not the copy with furniture or the spun one
    assert s["library"]["cluster"] is None and s["garbled"]["cluster"] is None
    assert html.exists() and "<mark" in html.read_text()


def test_second_run_scores_nothing_and_fetches_nothing(site, tmp_path):
    state = tmp_path / "state.sqlite3"
    first = triage(f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json")
    assert first.exit_code == 0
    before = db_rows(state)
    hits = site.page_hits()

    second = triage(f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json")
    assert second.exit_code == 0
    rows = rows_of(second)
    assert [r["status"] for r in rows] == ["cached"] * 6  # 0 rescored
    assert site.page_hits() == hits  # unchanged entries are not even fetched again
    assert db_rows(state) == before
    assert [r["key"] for r in rows] == [r["key"] for r in rows_of(first)]  # same ranking
    assert [r["reliability"] for r in rows] == [r["reliability"] for r in rows_of(first)]

    # --refetch fetches again but the unchanged texts are still not rescored
    third = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json", "--refetch"
    )
    assert [r["status"] for r in rows_of(third)] == ["cached"] * 6
    assert site.page_hits() == 2 * hits

    # --rescore forces everything
    forced = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json", "--rescore"
    )
    assert {r["status"] for r in rows_of(forced)} == {"scored"}
    assert {r["reason"] for r in rows_of(forced)} == {"rescore"}
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 6
        runs = db.execute(
            "SELECT scored, cached, errors, finished_at IS NOT NULL FROM runs ORDER BY id"
        ).fetchall()
    assert runs == [(6, 0, 0, 1), (0, 6, 0, 1), (0, 6, 0, 1), (6, 0, 0, 1)]


def test_changed_and_new_items_are_the_only_ones_scored(site, tmp_path):
    state = tmp_path / "state.sqlite3"
    assert triage(f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-q").exit_code == 0
    stories = default_stories()
    stories[1].body = stories[1].body.replace("four hundred", "five hundred")  # library page edited
    stories[1].summary = "Updated: a new public library opened in the old wool mill."
    stories.append(
        Story(
            "ferry-fares",
            "Ferry fares frozen",
            "Fares on the Keel ferry will stay the same next year. "
            "The harbour authority said it would review them again in the spring.",
            stories[-1].published,
        )
    )
    publish(site, site.base, stories)
    res = triage(f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json")
    s = by_slug(rows_of(res))
    assert s["library"]["status"] == "scored" and s["library"]["reason"] == "changed"
    assert s["ferry-fares"]["status"] == "scored" and s["ferry-fares"]["reason"] == "new"
    assert sum(r["status"] == "scored" for r in s.values()) == 2
    assert sum(r["status"] == "cached" for r in s.values()) == 5


def test_loopback_fetch_refused_without_allow_private(site, tmp_path):
    # the feed itself at 127.0.0.1
    res = triage(f"{site.base}/feed.xml", "--state", str(tmp_path / "s.db"))
    assert res.exit_code == 3
    assert "refused" in res.stderr and "127.0.0.1" in res.stderr and "--allow-private" in res.stderr
    assert site.hits.get("/feed.xml") is None  # no connection was made

    # a local feed file whose pages are on 127.0.0.1: every item refused, each reported
    feed = tmp_path / "feed.xml"
    feed.write_text(site.routes["/feed.xml"][2].decode())
    res = triage(str(feed), "--state", str(tmp_path / "s.db"), "-f", "json")
    assert res.exit_code == 3
    rows = rows_of(res)
    assert len(rows) == 6 and {r["status"] for r in rows} == {"error"}
    assert all("loopback" in r["error"] for r in rows)
    err_lines = [ln for ln in res.stderr.splitlines() if ": error: " in ln]
    assert len(err_lines) == 6
    assert all(ln.startswith(f"{site.base}/news/") for ln in err_lines)
    assert site.page_hits() == 0


def test_unreachable_item_is_reported_and_the_rest_still_ranked(site, tmp_path):
    dead = f"http://127.0.0.1:{closed_port()}/news/gone.html"
    extra = (
        f"<item><title>Gone</title><link>{dead}</link><guid>courier-gone</guid>"
        "<description>A story whose page cannot be reached.</description></item>"
        f"<item><title>Missing</title><link>{site.base}/news/missing.html</link><guid>courier-missing</guid>"
        "<description>A story whose page is a 404.</description></item>"
    )
    publish(site, site.base, default_stories(), extra)
    state = tmp_path / "s.db"
    html = tmp_path / "r.html"
    res = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json", "--html", str(html)
    )
    assert res.exit_code == 3
    errs = [ln for ln in res.stderr.splitlines() if ": error: " in ln]
    assert any(ln.startswith(dead + ": error: ") and "connection failed" in ln for ln in errs)
    assert any(ln.startswith(f"{site.base}/news/missing.html: error: HTTP 404") for ln in errs)
    rows = rows_of(res)
    assert len(rows) == 8
    assert [r["status"] for r in rows[-2:]] == ["error", "error"]  # errors listed after the ranking
    assert sum(r["status"] == "scored" for r in rows) == 6
    page = html.read_text()
    assert 'data-status="error"' in page and "HTTP 404" in page
    # the failed items are retried next time, the others come from state
    res2 = triage(f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json")
    assert res2.exit_code == 3
    assert sorted(r["status"] for r in rows_of(res2)) == ["cached"] * 6 + ["error"] * 2


def test_text_csv_jsonl_outputs_and_fail_on(site, tmp_path):
    state = str(tmp_path / "s.db")
    res = triage(f"{site.base}/feed.xml", "--allow-private", "--state", state)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert any("Council approves Brennmoor bridge" in ln for ln in lines)
    first_data = next(ln for ln in lines if ln.strip().startswith("│ 1 "))
    assert "reject" in first_data or "review" in first_data
    out = tmp_path / "out.csv"
    res = triage(f"{site.base}/feed.xml", "--allow-private", "--state", state, "-f", "csv", "-o", str(out))
    assert res.exit_code == 0 and res.stdout == ""
    csv_lines = out.read_text().splitlines()
    assert csv_lines[0].startswith("rank,reliability,verdict,status,cluster")
    assert len(csv_lines) == 7 and csv_lines[1].split(",")[0] == "1"
    res = triage(f"{site.base}/feed.xml", "--allow-private", "--state", state, "-f", "jsonl")
    assert [json.loads(ln)["rank"] for ln in res.stdout.splitlines()] == [1, 2, 3, 4, 5, 6]
    res = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", state, "--fail-on", "reject", "-f", "json"
    )
    worst = rows_of(res)[0]["verdict"]
    assert res.exit_code == (1 if worst == "reject" else 0)
    res = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", state, "--fail-on", "review", "-f", "json"
    )
    assert res.exit_code == 1  # the garbled item is at least "review"


def test_since_and_max_items(site, tmp_path):
    state = str(tmp_path / "s.db")
    res = triage(
        f"{site.base}/feed.xml",
        "--allow-private",
        "--state",
        state,
        "-f",
        "json",
        "--since",
        "2026-11-20T11:00:00Z",
    )
    keys = {r["key"] for r in rows_of(res)}
    assert keys == {"courier-harbour-copy", "courier-harbour-spun", "courier-orchard"}
    res = runner.invoke(
        app,
        [
            "triage",
            f"{site.base}/feed.xml",
            "--allow-private",
            "--state",
            state,
            "-f",
            "json",
            "--max-items",
            "2",
            "--no-grammar",
        ],
    )
    assert len(rows_of(res)) == 2
    assert "--max-items" in res.stderr
    bad = triage(f"{site.base}/feed.xml", "--since", "last tuesday")
    assert bad.exit_code == 2


# ---------------------------------------------------------------------------------------------
# Resumption


def test_run_interrupted_after_k_items_resumes_without_loss_or_double_count(site, tmp_path, monkeypatch):
    from detector import api

    state = tmp_path / "s.db"
    real = api.score
    calls = {"n": 0}

    def failing(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:  # batches of 2: the first 4 items are committed, then the run dies
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(api, "score", failing)
    res = runner.invoke(
        app,
        [
            "triage",
            f"{site.base}/feed.xml",
            "--allow-private",
            "--state",
            str(state),
            "--batch-size",
            "2",
            "--no-grammar",
            "-q",
        ],
    )
    assert res.exit_code == 130
    assert "run again to resume" in res.stderr
    committed = db_rows(state)
    assert len(committed) == 4
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT finished_at FROM runs").fetchall() == [(None,)]

    monkeypatch.setattr(api, "score", real)
    res = triage(
        f"{site.base}/feed.xml", "--allow-private", "--state", str(state), "-f", "json", "--batch-size", "2"
    )
    assert res.exit_code == 0
    rows = rows_of(res)
    assert len(rows) == 6 and len({r["key"] for r in rows}) == 6
    first_k = {k for k, *_ in committed}
    assert {r["key"] for r in rows if r["status"] == "cached"} == first_k
    assert {r["key"] for r in rows if r["status"] == "scored"} == {r["key"] for r in rows} - first_k
    after = db_rows(state)
    assert len(after) == 6
    assert [row for row in after if row[0] in first_k] == committed  # untouched


@pytest.mark.slow
def test_sigkilled_subprocess_resumes(site, tmp_path):
    """A real kill -9 midway: committed batches survive, the rest is scored on the next run."""
    state = tmp_path / "s.db"
    args = [
        "triage",
        f"{site.base}/feed.xml",
        "--allow-private",
        "--state",
        str(state),
        "--batch-size",
        "1",
        "--no-grammar",
        "-q",
        "-f",
        "json",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    proc = subprocess.Popen(
        [sys.executable, "-c", cli_main_wrapper(slow_seconds=0.7), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        n = 0
        while time.monotonic() < deadline:
            if state.exists():
                try:
                    with sqlite3.connect(state, timeout=5) as db:
                        n = db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
                except sqlite3.OperationalError:
                    n = 0
            if n >= 2 or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    committed = db_rows(state)
    k = len(committed)
    assert 2 <= k < 6

    proc2 = subprocess.run(
        [sys.executable, "-c", cli_main_wrapper(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc2.returncode == 0, proc2.stderr
    rows = json.loads(proc2.stdout)
    assert len(rows) == 6 and len({r["key"] for r in rows}) == 6
    assert sum(r["status"] == "cached" for r in rows) == k
    assert sum(r["status"] == "scored" for r in rows) == 6 - k
    after = db_rows(state)
    assert len(after) == 6
    first = {row[0] for row in committed}
    assert [row for row in after if row[0] in first] == committed


# ---------------------------------------------------------------------------------------------
# Other sources


def test_xml_bomb_feed_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(XML_BOMB)
    t0 = time.monotonic()
    res = triage(str(bomb), "--state", str(tmp_path / "s.db"))
    assert res.exit_code == 3
    assert "refused" in res.stderr and "entities" in res.stderr
    assert time.monotonic() - t0 < 10


def test_xml_bomb_served_over_http_is_refused(tmp_path):
    s = Site()
    with LocalServer(s) as srv:
        s.add("/bomb.xml", XML_BOMB, "application/rss+xml")
        res = triage(f"{srv.base}/bomb.xml", "--allow-private", "--state", str(tmp_path / "s.db"))
    assert res.exit_code == 3 and "XML bomb" in res.stderr


def test_jsonl_source_with_text_and_url_records(site, tmp_path):
    stories = default_stories()
    recs = [
        {"id": "r1", "title": stories[0].title, "text": stories[0].body, "published": "2026-11-20T08:00:00Z"},
        {"id": "r2", "title": stories[2].title, "text": stories[2].body},
        {"id": "r3", "url": f"{site.base}/news/library.html"},
        {"id": "r4"},
    ]
    f = tmp_path / "articles.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs) + "{not json\n")
    res = triage(str(f), "--allow-private", "--state", str(tmp_path / "s.db"), "-f", "json")
    assert res.exit_code == 3
    rows = rows_of(res)
    s = {r["key"]: r for r in rows}
    assert s["r2"]["rank"] == 1
    assert s["r3"]["status"] == "scored" and site.hits.get("/news/library.html") == 1
    assert s["r4"]["status"] == "error"
    assert sum(r["status"] == "error" for r in rows) == 2


def test_directory_source(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    for st in default_stories()[:3]:
        (d / f"{st.slug}.txt").write_text(f"{st.title}\n\n{st.body}\n")
    (d / "empty.txt").write_text("   \n")
    res = triage(str(d), "--state", str(tmp_path / "s.db"), "-f", "json")
    assert res.exit_code == 3
    rows = rows_of(res)
    assert rows[0]["key"] == "garbled.txt"
    assert rows[-1]["key"] == "empty.txt" and rows[-1]["status"] == "error"
    res = triage(str(d), "--state", str(tmp_path / "s.db"), "-f", "json")
    assert sorted(r["status"] for r in rows_of(res)) == ["cached"] * 3 + ["error"]


def test_missing_source_is_an_input_error(tmp_path):
    res = triage(str(tmp_path / "nope.xml"), "--state", str(tmp_path / "s.db"))
    assert res.exit_code == 3 and "no such file" in res.stderr


# ---------------------------------------------------------------------------------------------
# Fetch safety units


@pytest.mark.parametrize(
    "ip,blocked",
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("240.0.0.1", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_address_policy(ip, blocked):
    import ipaddress

    from detector.triage.fetch import address_problem

    assert (address_problem(ipaddress.ip_address(ip)) is not None) == blocked


def test_hostname_resolving_to_loopback_is_refused():
    from detector.triage.fetch import Fetcher, FetchError, FetchPolicy

    with Fetcher(FetchPolicy()) as f, pytest.raises(FetchError, match="loopback"):
        f.get("http://localhost:9/")
    # a name that resolves to a public and a private address is refused as a whole
    with Fetcher(FetchPolicy(), resolver=lambda h, p: ["93.184.216.34", "10.0.0.7"]) as f:
        with pytest.raises(FetchError, match="10.0.0.7, a private address"):
            f.get("http://mixed.example/")
    with Fetcher(FetchPolicy()) as f, pytest.raises(FetchError, match="scheme"):
        f.get("file:///etc/passwd")


def test_redirects_are_rechecked_and_capped_and_size_is_capped():
    from detector.triage.fetch import Fetcher, FetchError, FetchPolicy

    s = Site()
    with LocalServer(s) as srv:
        s.add("/page", "<html><body><p>hello</p></body></html>")
        s.add("/to-page", "", status=302, Location="/page")
        s.add("/to-other-host", "", status=302, Location=f"http://localhost:{srv.port}/page")
        s.add("/loop", "", status=302, Location="/loop")
        s.add("/big", "x" * 200_000)
        ok = Fetcher(FetchPolicy(allow_private=True))
        assert ok.get(f"{srv.base}/to-page").content.startswith(b"<html>")
        assert ok.get(f"{srv.base}/to-page").url == f"{srv.base}/page"
        with pytest.raises(FetchError, match="too many redirects"):
            ok.get(f"{srv.base}/loop")
        with pytest.raises(FetchError, match="too large"):
            ok.get(f"{srv.base}/big", max_bytes=100_000)
        ok.close()

        # the first hop (an IP literal) is allowed by the resolver policy, the redirect target
        # (another name) resolves to a refused address: the second hop is refused, never fetched
        def resolver(host, port):
            return ["127.0.0.1"] if host == "127.0.0.1" else ["10.9.9.9"]

        class OnlyLoopback(Fetcher):
            def check_url(self, url):
                u, addrs = super().check_url(url)
                if addrs != ["127.0.0.1"]:
                    raise FetchError(f"refused: {u.host} resolves to {addrs[0]}, a private address")
                return u, addrs

        with OnlyLoopback(FetchPolicy(allow_private=True), resolver=resolver) as f:
            before = s.hits.get("/page", 0)
            with pytest.raises(FetchError, match="10.9.9.9"):
                f.get(f"{srv.base}/to-other-host")
            assert s.hits.get("/page", 0) == before


def test_every_redirect_hop_runs_the_address_check(monkeypatch):
    """With the default policy, a redirect from an allowed host to a private one is refused."""
    from detector.triage import fetch

    s = Site()
    with LocalServer(s) as srv:
        s.add("/hop", "", status=302, Location="http://internal.example/admin")
        s.add("/admin", "secret")
        # pretend 127.0.0.1 is public for this test; internal.example resolves to 127.0.0.1 too,
        # but under a name, and the check refuses anything a name resolves to in 127/8
        real = fetch.address_problem
        monkeypatch.setattr(fetch, "address_problem", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
        resolver = lambda h, p: ["127.0.0.2"] if h == "internal.example" else fetch.resolve(h, p)  # noqa: E731
        with fetch.Fetcher(fetch.FetchPolicy(), resolver=resolver) as f:
            with pytest.raises(
                fetch.FetchError, match=r"internal\.example resolves to 127\.0\.0\.2, a loopback"
            ):
                f.get(f"{srv.base}/hop")
        assert s.hits.get("/hop") == 1 and "/admin" not in s.hits


# ---------------------------------------------------------------------------------------------
# Clustering and HTML units


def test_clusters_group_copies_not_neighbours():
    from test_triage_support import GARBLED, HARBOUR, HARBOUR_SPUN, HARBOUR_SYNDICATED_EXTRA, LIBRARY, ORCHARD

    from detector.triage.cluster import clusters

    labels = clusters([HARBOUR, LIBRARY, HARBOUR + HARBOUR_SYNDICATED_EXTRA, HARBOUR_SPUN, ORCHARD, GARBLED])
    assert labels[0] == labels[2] == labels[3]
    assert len({labels[0], labels[1], labels[4], labels[5]}) == 4


def test_html_escapes_untrusted_text_and_loads_nothing():
    from detector.findings import Finding, locate
    from detector.triage.report_html import render_html
    from detector.triage.run import Row, TriageResult

    text = 'Title </script><script>alert(1)</script>\n\nHe said "<img src=x onerror=alert(2)>" & left the the room.'
    i = text.index("the the") + 4
    fs = locate(text, [Finding("repetition", "REP001", i, i + 3, 'doubled "<b>"', "<i>x</i>")])
    row = Row(
        key="k<1>",
        status="scored",
        url="javascript:alert(3)",
        title="<script>alert(4)</script>",
        text=text,
        report={
            "reliability": 0.2,
            "verdict": "reject",
            "counts": {"repetition": 1},
            "findings": [f.to_dict() for f in fs],
        },
    )
    row.rank = 1
    page = render_html(TriageResult(source="feed<x>.xml", kind="feed", rows=[row], config="c"))
    assert page.count("<script") == 1  # only the report's own script
    assert "<img" not in page and "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'title="REP001 doubled &quot;&lt;b&gt;&quot; → &lt;i&gt;x&lt;/i&gt;"' in page
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page
    for needle in ("src=", "<link", "@import", "url("):
        assert needle not in page.replace("&lt;img src=x", "")


def test_highlight_overlapping_and_point_findings():
    from detector.findings import Finding
    from detector.triage.report_html import highlight

    text = "abcdefghij"
    out = highlight(
        text,
        [
            Finding("name", "NAM001", 2, 6, "m1"),
            Finding("repetition", "REP001", 4, 8, "m2"),
            Finding("broken-sentence", "BRK005", 10, 10, "end"),
        ],
    )
    assert out.startswith("ab<mark")
    assert 'data-f="0" title="NAM001 m1">cd</mark>' in out
    assert 'data-f="0 1" title="NAM001 m1\nREP001 m2">ef</mark>' in out
    assert 'data-f="1" title="REP001 m2">gh</mark>ij' in out
    assert out.endswith('class="f fam-broken-sentence point" data-f="2" title="BRK005 end"></mark>')
    import re

    assert re.sub(r"<[^>]+>", "", out) == text


# ---------------------------------------------------------------------------------------------
# Cross-item names across batches and runs


NAME_STORY = (
    "Union leader {n} said on {day} that talks with the harbour authority would resume next week. "
    "{n} added that crews were ready to return to the boats. Officials met {n} twice in November."
)


def test_names_judged_across_the_whole_feed_in_chunks_and_across_runs(tmp_path):
    """Scored one item per transaction (--batch-size 1), or added in a later run, a minority
    spelling is still judged against every other item of the feed (NAM003)."""
    d = tmp_path / "stories"
    d.mkdir()
    for i, day in enumerate(("Monday", "Tuesday", "Wednesday")):
        (d / f"majority-{i}.txt").write_text(NAME_STORY.format(n="Laura Lindqvist", day=day))
    (d / "minority-0.txt").write_text(NAME_STORY.format(n="Laura Lindquist", day="Thursday"))
    state = str(tmp_path / "s.db")

    def name_findings(row):
        return [(f["code"], f["suggestion"]) for f in row["findings"] if f["family"] == "name"]

    res = triage(str(d), "--state", state, "-f", "json", "--batch-size", "1")
    rows = {r["key"]: r for r in rows_of(res)}
    assert ("NAM003", "Laura Lindqvist") in name_findings(rows["minority-0.txt"])
    assert all(not name_findings(rows[f"majority-{i}.txt"]) for i in range(3))

    (d / "minority-1.txt").write_text(NAME_STORY.format(n="Laura Lindquist", day="Friday"))
    res = triage(str(d), "--state", state, "-f", "json")
    rows = {r["key"]: r for r in rows_of(res)}
    assert rows["minority-1.txt"]["status"] == "scored"
    assert sum(r["status"] == "cached" for r in rows.values()) == 4
    assert ("NAM003", "Laura Lindqvist") in name_findings(rows["minority-1.txt"])


def test_a_detector_crash_on_one_item_is_reported_not_fatal(site, tmp_path, monkeypatch):
    from detector import families

    rep = families.load("repetition")
    real = rep.detect

    def crashy(doc):
        text = doc if isinstance(doc, str) else doc.text
        if "wool mill" in text:
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(rep, "detect", crashy)
    res = triage(f"{site.base}/feed.xml", "--allow-private", "--state", str(tmp_path / "s.db"), "-f", "json")
    assert res.exit_code == 3
    rows = by_slug(rows_of(res))
    assert rows["library"]["status"] == "error"
    assert rows["library"]["error"] == "scoring failed: RuntimeError: boom"
    assert f"{site.base}/news/library.html: error: scoring failed" in res.stderr
    assert sum(r["status"] == "scored" for r in rows.values()) == 5
