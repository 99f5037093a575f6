"""Run detector on a Dask cluster: ``detector.dask.score(ddf, text_column="text")``.

Needs the optional extra: ``pip install 'detector[dask]'`` (``dask[dataframe,distributed]``).

    >>> import dask.dataframe as dd, detector.dask
    >>> ddf = dd.read_parquet("s3://bucket/news/*.parquet")          # doctest: +SKIP
    >>> out = detector.dask.score(ddf, text_column="text", grammar="off")  # doctest: +SKIP
    >>> out.to_parquet("s3://bucket/scored/")                         # doctest: +SKIP

The cross-article name evidence (NAM003, the batch evidence on NAM001) and, with grammar on,
the batch corroboration of NAM004 are a two-pass aggregation done as a Dask reduction: each
partition is analysed once on the workers (:func:`detector.stream.first_pass_records`: its
index of name spellings -- :mod:`detector.batch`; counts, not texts -- and its articles'
evidence, packed), the indexes are merged pairwise in a tree, and the merged index is handed to
every partition's scoring task with the partition's evidence. The result equals ``detector score`` over the same texts as one batch, whatever the
partitioning.

Each worker process runs the families in its own process (one task per partition, analysed
``window`` texts at a time) and, with grammar on, starts or reuses its machine's LanguageTool
server (or uses ``languagetool_url``). The evidence cache is off on the workers by default
(``cache=True``: each worker machine's own cache file).

On an existing cluster pass its client's scheduler (``dask.distributed.Client("tcp://host:8786")``
before calling :func:`score`, or ``detector score --dask tcp://host:8786``); clusters on HPC
batch systems come from ``dask-jobqueue`` (``SLURMCluster`` ...), on Kubernetes from
``dask-kubernetes``; ``--dask local:N`` starts a ``LocalCluster`` of N worker processes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from . import api, batch
from .article import Article

COLUMNS = ("reliability", "verdict", "language", "grammar", "model", "reasons", "findings")


class DaskUnavailable(RuntimeError):
    """Dask is not installed, or the cluster cannot be reached."""


def _require():
    try:
        import dask  # noqa: F401
        import dask.bag  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as e:
        raise DaskUnavailable(f"Dask is not installed ({e.name}); pip install 'detector[dask]'") from None


# -- tasks (run on the workers) ------------------------------------------------------------------
def _setup(env: tuple) -> None:
    """Re-create the caller's set-up on a worker: ``env`` is ``(user name files, rule settings
    snapshot)`` (see :func:`_environment`)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from . import gazetteer, settings

    user_names, rule_settings = env
    if tuple(gazetteer._user_paths) != tuple(user_names):
        gazetteer.set_user_gazetteer(list(user_names))
    settings.activate(rule_settings)


def _environment() -> tuple:
    """What a worker needs of the caller's set-up: the --names files and the rule settings."""
    from . import gazetteer, settings

    return tuple(gazetteer._user_paths), settings.snapshot()


def _texts(part, text_column: str | None) -> list[str]:
    """The texts of one partition (a pandas Series/DataFrame or a list of str/Article/dict)."""
    if hasattr(part, "columns"):
        part = part[text_column]
    if hasattr(part, "tolist"):
        part = part.tolist()
    out = []
    for x in part:
        if isinstance(x, Article):
            out.append(x.text)
        elif isinstance(x, dict):
            out.append(x[text_column or "text"])
        else:
            out.append(x if isinstance(x, str) else "" if x is None else str(x))
    return out


def _partition_first(part, text_column, caps: bool, cache, env) -> tuple[batch.BatchIndex, bytes]:
    """The first pass over one partition: its batch index and its articles' records (packed)."""
    from .stream import first_pass_records

    _setup(env)
    return first_pass_records(_texts(part, text_column), caps=caps, cache=cache)


def _index_of(first: tuple) -> batch.BatchIndex:
    return first[0]


def _merge(a: batch.BatchIndex, b: batch.BatchIndex) -> batch.BatchIndex:
    return a.merge(b)


def _partition_reports(part, first, index, text_column, options: dict, env, window: int) -> list[api.Report]:
    """One partition's reports: its first-pass records read against the merged index."""
    from .stream import score_stream, unpack_records

    _setup(env)
    items = part if isinstance(part, list) and part and isinstance(part[0], Article) else _texts(part, text_column)
    return list(score_stream(lambda: items, index=index, records=unpack_records(first[1]), jobs=1, window=window,
                             **options))


def _row(r: api.Report) -> dict:
    return {
        "reliability": float("nan") if r.reliability is None else r.reliability,
        "verdict": r.verdict,
        "language": r.language,
        "grammar": r.grammar,
        "model": r.model,
        "reasons": json.dumps([x.to_dict() for x in r.reasons], ensure_ascii=False),
        "findings": json.dumps([f.to_dict() for f in r.findings], ensure_ascii=False),
    }


def _partition_frame(part, first, index, text_column, options, env, window):
    import pandas as pd

    reports = _partition_reports(part, first, index, text_column, options, env, window)
    frame = pd.DataFrame([_row(r) for r in reports], columns=list(COLUMNS))
    if isinstance(part, (pd.DataFrame, pd.Series)) and len(part.index) == len(frame):
        frame.index = part.index
    return frame


def _meta():
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c == "reliability" else "object") for c in COLUMNS}
    )


def _tree_reduce(items, merge):
    """Merge delayed indexes pairwise, level by level (depth log2 of the partitions)."""
    from dask import delayed

    level = list(items)
    if not level:
        return delayed(batch.BatchIndex)()
    while len(level) > 1:
        nxt = [delayed(merge)(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def _plan(parts, text_column, *, grammar, options, window):
    """``(delayed first passes, delayed merged index, env, options)`` for delayed partitions: each
    partition is analysed once (its first pass: index and packed records, held by the cluster
    until the merged index is known), the indexes are merged as a tree reduction."""
    from dask import delayed

    env = _environment()
    caps = not (grammar == "off" or grammar is None or grammar is False)
    firsts = [delayed(_partition_first)(p, text_column, caps, options.get("cache"), env) for p in parts]
    index = _tree_reduce([delayed(_index_of)(f) for f in firsts], _merge)
    opts = dict(options, grammar=grammar)
    return firsts, index, env, opts


def score(
    data,
    text_column: str = "text",
    *,
    grammar: str = "off",
    languagetool_url: str | None = None,
    model: str | None = None,
    cache: bool = False,
    select=None,
    ignore=None,
    extend_select=None,
    min_severity: str | None = None,
    thresholds: tuple[float, float] | None = None,
    window: int = 256,
):
    """Score the texts of a ``dask.dataframe`` (column ``text_column``; a Series is used as it is)
    or a ``dask.bag`` (of str, or of dicts with ``text_column``) as one batch. Returns a lazy
    ``dask.dataframe`` with columns ``reliability`` (NaN: not judged), ``verdict``, ``language``,
    ``grammar``, ``model``, ``reasons`` and ``findings`` (both JSON lists, as in ``detector score
    --format jsonl``), one row per text in input order (a dataframe keeps its index).
    ``grammar``: ``"off"`` (default), ``"auto"`` or ``"require"``, on each worker; other
    arguments as for :func:`detector.api.score`."""
    _require()
    import dask.bag as db
    import dask.dataframe as dd
    from dask import delayed

    options = dict(
        languagetool_url=languagetool_url, model=model, cache=cache, select=select, ignore=ignore,
        extend_select=extend_select, min_severity=min_severity, thresholds=thresholds,
    )
    api.parse_thresholds(thresholds)  # a bad value fails here, not on the workers
    if isinstance(data, db.Bag):
        parts = data.to_delayed()
        column = text_column
    elif isinstance(data, (dd.DataFrame, dd.Series)):
        column = text_column if isinstance(data, dd.DataFrame) else None
        parts = (data[[text_column]] if column else data).to_delayed()
    else:
        raise TypeError(f"expected a dask DataFrame, Series or Bag, got {type(data).__name__}")
    firsts, index, env, opts = _plan(parts, column, grammar=grammar, options=options, window=window)
    frames = [delayed(_partition_frame)(p, f, index, column, opts, env, window) for p, f in zip(parts, firsts, strict=True)]
    return dd.from_delayed(frames, meta=_meta(), verify_meta=False)


# -- the CLI's --dask ----------------------------------------------------------------------------
def client_for(address: str):
    """A ``distributed.Client`` for ``--dask``: ``local:N`` starts a LocalCluster of N worker
    processes (one thread each); anything else is a scheduler address."""
    _require()
    from distributed import Client, LocalCluster

    if address.startswith("local"):
        n = address.partition(":")[2] or str(os.cpu_count() or 1)
        if not n.isdigit() or int(n) < 1:
            raise DaskUnavailable(f"local:N needs a number of workers, got {address!r}")
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        cluster = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=":0")
        return Client(cluster), cluster
    try:
        return Client(address, timeout="20s"), None
    except (OSError, TimeoutError, ValueError) as e:
        raise DaskUnavailable(f"cannot connect to the Dask scheduler at {address}: {e}") from None


def score_cli(inputs, *, address: str, window: int = 256, grammar="auto", languagetool_url=None, model=None,
              scorer=None, select=None, ignore=None, min_severity=None, thresholds=None) -> Iterator[api.Report]:
    """``detector score/check --dask``: the inputs (read here, in the client) scored on the cluster
    in partitions of ``window`` articles; reports in input order, each partition as it is done.
    ``scorer`` (a user ``--model``) is loaded by each worker from ``model``."""
    _require()
    client, cluster = client_for(address)
    return _score_cli(client, cluster, inputs, window=window, options=dict(
        grammar=grammar, languagetool_url=languagetool_url, model=model, cache=False, select=select,
        ignore=ignore, min_severity=min_severity, thresholds=thresholds))


def _score_cli(client, cluster, inputs, *, window: int, options: dict) -> Iterator[api.Report]:
    from dask import delayed

    try:
        articles = list(inputs())
        if not articles:
            return
        grammar = options.pop("grammar")
        parts = [delayed(articles[i : i + window], traverse=False) for i in range(0, len(articles), window)]
        firsts, index, env, opts = _plan(parts, None, grammar=grammar, options=options, window=window)
        futures = client.compute(
            [delayed(_partition_reports)(p, f, index, None, opts, env, window) for p, f in zip(parts, firsts, strict=True)]
        )
        for f in futures:
            yield from f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
