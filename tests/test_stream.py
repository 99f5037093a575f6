"""Streaming scoring (detector.stream, the CLI's --jobs/--window): identical to one batch, rows in
input order, memory bounded by the window; the evidence cache with several writers."""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector import api, batch, evidence_cache, stream
from detector.cli import app
from detector.findings import Finding

sys.path.insert(0, str(Path(__file__).parent))
from shared_data import SEEDS, bbc_texts  # noqa: E402

MAJORITY, MINORITY = "Harriet Pembleton", "Harriet Pembelton"


def council_article(name: str, topic: str, i: int) -> str:
    """A self-written article naming ``name`` once (NAM003 fixtures: three articles spell the
    name one way, one another way)."""
    return (
        f"Council approves new {topic} plan\n\n"
        f"The council voted on Tuesday to approve a new plan for {topic} in the district, after months of "
        f"debate. {name}, who chairs the planning committee, said the decision would help families across "
        f"the area. Opponents argued that the costs had not been explained, and asked for a review before "
        f"work begins next spring.\n\n"
        f"Local residents will be able to comment on the details at a public meeting next month, officials "
        f"said. The plan is expected to cost about {i + 2} million pounds over five years."
    )


def nam003_articles() -> list[str]:
    """The minority spelling first, the majority spread after it (so with small windows or
    partitions, the NAM003 pair is never analysed together)."""
    return [
        council_article(MINORITY, "housing", 0),
        council_article(MAJORITY, "parks", 1),
        council_article(MAJORITY, "libraries", 2),
        council_article(MAJORITY, "bus routes", 3),
    ]


def need_shared_names() -> None:
    """NAM003 on the fixtures needs the shared name lists (to know the given name)."""
    from detector import gazetteer

    if gazetteer.shared_names_dir() is None:
        pytest.skip("NAM003 on these fixtures needs the shared name lists (../shared/data/names)")


def seed_texts() -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def digest(reports) -> list[dict]:
    return [
        {
            "reliability": r.reliability,
            "verdict": r.verdict,
            "findings": [f.to_dict() for f in r.findings],
            "reasons": [x.to_dict() for x in r.reasons],
            "stats": r.stats,
        }
        for r in reports
    ]


def _mixed_corpus() -> list[str]:
    texts = nam003_articles()
    # the NAM003 pair far apart: minority first, majority at the end
    return [texts[0], *seed_texts(), *bbc_texts("test", 200), *texts[1:], "Ein deutscher Text über das Wetter in "
            "Berlin, der nicht englisch ist und deshalb nicht bewertet wird. Es regnet seit Tagen, und die "
            "Menschen bleiben zu Hause."]


@pytest.mark.shared
def test_stream_equals_one_batch_any_window_and_jobs():
    texts = _mixed_corpus()
    want = digest(api.score(texts, grammar="off", cache=False))
    assert any(f["code"] == "NAM003" for f in want[0]["findings"])  # the pair is 206 articles apart
    assert want[-1]["findings"] == [] and want[-1]["reliability"] is None  # not English
    for jobs, window in ((1, 17), (2, 50)):
        got = digest(stream.score_stream(lambda: texts, grammar="off", cache=False, jobs=jobs, window=window))
        assert got == want, (jobs, window)


def test_stream_reads_a_window_at_a_time():
    """The second pass has read at most a few windows when the first report comes out."""
    need_shared_names()
    texts = nam003_articles() * 10
    consumed = []

    def source():
        n = 0
        for t in texts:
            n += 1
            consumed.append(n)
            yield t

    it = stream.score_stream(source, grammar="off", cache=False, jobs=1, window=4)
    first = next(it)
    assert first.findings and first.findings[0].code == "NAM003"
    second_pass = consumed[len(texts):]  # the first pass read everything once
    assert len(second_pass) <= 3 * 4 < len(texts)
    rest = list(it)
    assert len(rest) == len(texts) - 1


def test_stream_with_workers_reads_a_few_windows_at_a_time():
    """With --jobs 2 and no grammar the workers evaluate the model for the queued windows, in
    order: the second pass reads at most ``jobs + 2`` windows ahead of the first report, and
    every report is the one-batch report."""
    need_shared_names()
    texts = nam003_articles() * 10
    consumed = []

    def source():
        for t in texts:
            consumed.append(t)
            yield t

    want = digest(api.score(texts, grammar="off", cache=False))
    it = stream.score_stream(source, grammar="off", cache=False, jobs=2, window=4)
    first = next(it)
    second_pass = consumed[len(texts):]
    assert len(second_pass) <= (2 + 2) * 4 < len(texts)
    assert digest([first, *it]) == want


class _LocalScorer:
    """A caller's scorer that cannot be pickled (a lambda): it must be used in this process."""

    name = "local"

    def __init__(self):
        from detector.scoring import Thresholds

        self.thresholds = Thresholds()
        self.rule = lambda ev: 1.0 / (1 + len(ev.findings))

    def reliability(self, evidence):
        return [self.rule(ev) for ev in evidence]


def test_a_callers_scorer_is_used_in_this_process_with_workers():
    texts = [council_article(f"Alice Brook{i}", "parks", 3) for i in range(40)] + ["the the cat sat on the mat. " * 5]
    got = list(stream.score_stream(lambda: texts, grammar="off", cache=False, jobs=2, window=8, scorer=_LocalScorer()))
    assert [r.model for r in got] == ["local"] * len(texts)
    assert [r.reliability for r in got] == [1.0 / (1 + len(r.findings)) for r in got]
    assert got[-1].reliability < 1.0


@pytest.mark.languagetool
def test_stream_with_grammar_equals_one_batch(lt_checker):
    texts = [*seed_texts(), *nam003_articles()]
    want = digest(api.score(texts, grammar=lt_checker, cache=False))
    got = digest(stream.score_stream(lambda: texts, grammar=lt_checker, cache=False, jobs=2, window=3))
    assert got == want
    assert lt_checker.batch_corroboration  # restored after the stream


def test_batch_index_merge_is_associative_and_matches_detect_batch():
    from detector.families import names
    from detector.text import Document

    texts = nam003_articles() + [council_article("Tom Hardwick", "roads", 9)]
    docs = [Document(t) for t in texts]
    parts = [batch.index_doc(d, caps=True) for d in docs]
    left = batch.merge_all(parts)
    right = parts[0].merge(parts[1].merge(parts[2].merge(parts[3].merge(parts[4]))))
    a, b = left, right
    want = names.detect_batch([Document(t) for t in texts])
    assert [batch.name_findings(d, a) for d in docs] == want == [batch.name_findings(d, b) for d in docs]
    assert left.caps == right.caps and left.caps["Pembleton"] == 3 and left.caps_docs == 5


def _write_inputs(tmp_path: Path, texts: list[str]) -> list[str]:
    paths = []
    for i, t in enumerate(texts):
        p = tmp_path / f"a{i:03d}.txt"
        p.write_text(t, encoding="utf-8")
        paths.append(str(p))
    return paths


def test_cli_jobs_identical_output_and_bad_input(tmp_path):
    texts = [*nam003_articles(), *seed_texts()]
    paths = _write_inputs(tmp_path, texts)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00\x01")
    args = ["score", "--no-grammar", "--isolated", "--no-cache", "-f", "jsonl"]
    runner = CliRunner()
    one = runner.invoke(app, [*args, "-j", "1", paths[0], str(bad), *paths[1:]])
    two = runner.invoke(app, [*args, "-j", "2", "--window", "3", paths[0], str(bad), *paths[1:]])
    assert one.exit_code == two.exit_code == 3
    assert one.stdout == two.stdout
    rows = [json.loads(line) for line in one.stdout.splitlines()]
    assert [r["path"] for r in rows] == paths  # input order, the bad input left out
    assert "NAM003" in {f["code"] for f in rows[0]["findings"]}
    for res in (one, two):
        errs = [line for line in res.stderr.splitlines() if "bad.txt" in line]
        assert len(errs) == 1  # one line, said once although the inputs are read twice


def test_cli_csv_and_check_stream_formats(tmp_path):
    need_shared_names()
    paths = _write_inputs(tmp_path, nam003_articles())
    runner = CliRunner()
    csv_one = runner.invoke(app, ["score", "--no-grammar", "--isolated", "-f", "csv", "-j", "1", *paths])
    csv_two = runner.invoke(app, ["score", "--no-grammar", "--isolated", "-f", "csv", "-j", "2", "--window", "1",
                                  *paths])
    assert csv_one.exit_code == csv_two.exit_code == 0
    assert csv_one.stdout == csv_two.stdout and csv_one.stdout.count("\n") == 5
    out = tmp_path / "out.txt"
    chk = runner.invoke(app, ["check", "--no-grammar", "--isolated", "--window", "1", "-o", str(out), *paths])
    assert chk.exit_code == 1  # NAM003 is a warning
    assert f"{paths[0]}:" in out.read_text() and "NAM003" in out.read_text()


def test_cli_stdin_is_spooled_for_both_passes():
    need_shared_names()
    lines = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(nam003_articles()))
    res = CliRunner().invoke(app, ["score", "--no-grammar", "--isolated", "-f", "jsonl", "-j", "1", "-"],
                             input=lines)
    assert res.exit_code == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 4 and "NAM003" in {f["code"] for f in rows[0]["findings"]}


# -- the evidence cache with several writers -----------------------------------------------------
def _writer(path: str, start: int, n: int, barrier) -> None:
    cache = evidence_cache.EvidenceCache(path, "gen")
    barrier.wait()
    for k in range(start, start + n, 10):
        items = [(f"key{j}", [Finding("repetition", "REP001", j, j + 1, f"m{j}")], {"words": float(j)})
                 for j in range(k, min(k + 10, start + n))]
        cache.store(items)


def test_evidence_cache_safe_with_several_writer_processes(tmp_path):
    path = str(tmp_path / "ev.sqlite3")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    # overlapping ranges: the same keys written by two processes at once
    procs = [ctx.Process(target=_writer, args=(path, w * 150, 300, barrier)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    cache = evidence_cache.EvidenceCache(path, "gen")
    got = cache.lookup([f"key{j}" for j in range(750)])
    assert all(e is not None for e in got)
    for j, (found, stats) in enumerate(got):
        assert found[0].start == j and found[0].message == f"m{j}" and stats == {"words": float(j)}


def test_stream_uses_and_fills_the_evidence_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_EVIDENCE_CACHE", str(tmp_path / "ev.sqlite3"))
    texts = nam003_articles()
    first = digest(stream.score_stream(lambda: texts, grammar="off", jobs=2, window=2))
    store = evidence_cache.open_cache()
    hits = store.hits
    second = digest(stream.score_stream(lambda: texts, grammar="off", jobs=2, window=2))
    assert second == first
    assert store.hits - hits == len(texts)


def test_jobs_default_is_the_usable_cores():
    import os

    want = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert stream.default_jobs() == want >= 1


def test_merge_all_folds_in_place_without_touching_its_parts():
    import copy

    from detector.families import names
    from detector.text import Document

    texts = nam003_articles() + [council_article("Tom Hardwick", "roads", 9)]
    parts = [batch.index_doc(Document(t)) for t in texts]
    before = [copy.deepcopy(p.names) for p in parts]
    folded = batch.merge_all(parts)
    assert [p.names for p in parts] == before  # no part changed by the in-place fold
    whole = names.NameIndex()
    for p in parts:
        whole = whole.merge(p.names)
    assert folded.names == whole and list(folded.names.spellings) == list(whole.spellings)
    assert folded.names.docs == len(texts) == folded.name_docs
    # the first part's index is shared until a second one arrives; absorbing then copies it
    one = batch.merge_all(parts[:1])
    assert one.names is parts[0].names
    one.absorb(parts[1]).absorb(parts[2])
    assert parts[0].names == before[0] and parts[1].names == before[1]
    assert one.names.docs == 3


# -- the first pass: one analysis per article --------------------------------------------------
def test_batch_hint_skips_only_articles_without_batch_name_findings():
    """The second pass analyses an article's names again only when its first-pass hint says the
    merged index may give it batch findings: never skipped when it has some."""
    need_shared_names()
    from detector.text import Document

    texts = [
        *nam003_articles(),
        council_article("Tom Hardwick", "roads", 9),
        council_article("Anthony Blinken", "trade", 4),  # NAM001 (-> Antony Blinken) ...
        council_article("Antony Blinken", "ports", 5),  # ... confirmed by another article's spelling
    ]
    docs = [Document(t) for t in texts]
    parts = [batch.index_and_hint(d, caps=False) for d in docs]
    merged = batch.merge_all(ix for ix, _hint in parts)
    found = [batch.name_findings(Document(t), merged) for t in texts]
    may = [batch.may_have_name_findings(hint, merged) for _ix, hint in parts]
    assert all(m for m, f in zip(may, found, strict=True) if f)
    assert found[0] and found[5]  # NAM003 on the minority spelling, NAM001 confirmed
    assert {f.code for f in found[0]} == {"NAM003"} and {f.code for f in found[5]} == {"NAM001"}
    assert not all(may)  # and some articles are not analysed again
    lone = batch.index_and_hint(docs[0])  # a batch of one article: nothing to say
    assert not batch.may_have_name_findings(lone[1], lone[0])


def test_stream_reports_first_pass_progress_before_the_first_report():
    texts = [council_article(f"Person {i}", "roads", i) for i in range(7)]
    seen: list[int] = []
    it = stream.score_stream(lambda: texts, grammar="off", cache=False, jobs=1, window=2, analysed=seen.append)
    first = next(it)
    assert sum(seen) == len(texts) and len(seen) > 1  # chunk by chunk, all before the first report
    assert len([first, *it]) == len(texts)


def test_stream_input_changed_between_readings_is_still_scored():
    """Every article of the second reading gets its report: one the first pass did not read
    (changed or added since) is analysed then, never given another article's evidence."""
    first = [council_article("Tom Hardwick", "roads", 1), council_article("Mary Clark", "parks", 2)]
    changed = "Weather\n\nIt rained all day in the city and the the streets were flooded, officials said on Monday."
    second = [first[0], changed, council_article("Ann Lee", "schools", 3)]
    readings = iter([first, second])
    got = list(stream.score_stream(lambda: list(next(readings)), grammar="off", cache=False, jobs=1, window=2))
    want = api.score(second, grammar="off", cache=False)
    assert len(got) == 3
    assert digest(got) == digest(want)
    assert "REP001" in {f.code for f in got[1].findings}


def test_stream_with_the_index_of_a_larger_batch():
    """``index=`` from the whole batch (a Dask reduction), a part of it streamed: the part gets
    the batch evidence; records come from its own first pass unless given with ``records=``."""
    need_shared_names()
    texts = nam003_articles()
    whole, spill = stream.first_pass(lambda: texts, runner=stream._Runner(1), caps=False, store=None, fp=None)
    spill.close()
    want = digest(api.score(texts, grammar="off", cache=False))[:1]
    got = digest(stream.score_stream(lambda: texts[:1], grammar="off", cache=False, jobs=1, index=whole))
    assert got == want and "NAM003" in {f["code"] for f in got[0]["findings"]}
    _ix, packed = stream.first_pass_records(texts[:1], caps=False, cache=False)
    again = stream.score_stream(lambda: texts[:1], grammar="off", cache=False, jobs=1, index=whole,
                                records=stream.unpack_records(packed))
    assert digest(again) == want
    alone = digest(stream.score_stream(lambda: texts[:1], grammar="off", cache=False, jobs=1))
    assert "NAM003" not in {f["code"] for f in alone[0]["findings"]}  # its own index: no batch evidence
    with pytest.raises(ValueError, match="index"):
        list(stream.score_stream(lambda: texts[:1], grammar="off", cache=False, records=[]))
