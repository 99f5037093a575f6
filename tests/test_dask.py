"""detector.dask on a real LocalCluster of 2 worker processes: output identical to the
single-process CLI, including NAM003 between articles in different partitions."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed", reason="Dask is not installed (pip install 'detector[dask]')")
pd = pytest.importorskip("pandas", reason="pandas is not installed (pip install 'detector[dask]')")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import detector.dask as detector_dask  # noqa: E402
from detector.cli import app  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from shared_data import bbc_texts  # noqa: E402
from test_stream import nam003_articles, seed_texts  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


def cli_rows(tmp_path: Path, texts: list[str], *extra: str) -> list[dict]:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)),
                   encoding="utf-8")
    res = CliRunner().invoke(app, ["score", "--no-grammar", "--isolated", "--no-cache", "-q", "-f", "jsonl",
                                   *extra, str(src)])
    assert res.exit_code == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def same(row, want: dict) -> bool:
    rel = None if math.isnan(row.reliability) else row.reliability
    return (
        rel == want["reliability"]
        and row.verdict == want["verdict"]
        and json.loads(row.findings) == want["findings"]
        and json.loads(row.reasons) == want["reasons"]
        and row.grammar == want["grammar"]
        and row.model == want["model"]
    )


@pytest.mark.shared
@pytest.mark.slow
def test_dask_dataframe_equals_single_process_cli(client, tmp_path):
    pair = nam003_articles()
    # the minority spelling in the first partition, the majority spelling in the last one
    texts = [pair[0], *seed_texts(), *bbc_texts("test", 200), *pair[1:]]
    want = cli_rows(tmp_path, texts, "-j", "1")
    assert "NAM003" in {f["code"] for f in want[0]["findings"]}
    ddf = dd.from_pandas(pd.DataFrame({"text": texts, "n": range(len(texts))}), npartitions=4)
    assert ddf.npartitions == 4
    first = ddf.get_partition(0).compute()
    last = ddf.get_partition(3).compute()
    assert 0 in first["n"].values and len(texts) - 1 in last["n"].values and 0 not in last["n"].values
    out = detector_dask.score(ddf, text_column="text").compute()
    assert list(out.index) == list(range(len(texts)))  # the dataframe's own index, in order
    assert all(same(row, w) for row, w in zip(out.itertuples(), want, strict=True))


def test_dask_bag_of_str_and_of_dicts(client, tmp_path):
    texts = [*nam003_articles(), "Ein kurzer deutscher Text über das Wetter, der nicht bewertet wird, weil er "
             "nicht englisch ist. Es regnet seit Tagen in der Stadt."]
    want = cli_rows(tmp_path, texts, "-j", "1")
    for bag in (db.from_sequence(texts, npartitions=3),
                db.from_sequence([{"body": t} for t in texts], npartitions=2)):
        out = detector_dask.score(bag, text_column="body").compute()
        assert all(same(row, w) for row, w in zip(out.itertuples(), want, strict=True))
    assert want[-1]["verdict"] == "unsupported"


def test_cli_dask_local_cluster_equals_jobs_1(tmp_path):
    texts = nam003_articles()
    want = cli_rows(tmp_path, texts, "-j", "1")
    got = cli_rows(tmp_path, texts, "--dask", "local:2", "--window", "2")
    assert got == want


def test_cli_dask_bad_address_is_a_usage_error(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(nam003_articles()[0], encoding="utf-8")
    res = CliRunner().invoke(app, ["score", "--no-grammar", "--isolated", "--dask", "local:x", str(p)])
    assert res.exit_code == 2
    assert res.stderr.startswith("error: --dask:") and len(res.stderr.splitlines()) == 1
