"""Issue 13 (model side): the skops allow-list is an explicit set of exact type names, a crafted
model using only numpy/scikit-learn names runs nothing, and a bad row of a training/evaluation
data file is that row's error (by line number), never the whole command's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from detector import model as M
from detector import training as T

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_model import make_rows, write_jsonl  # noqa: E402  (our own toy data)

DEFAULT = M.RESOURCES / f"{M.DEFAULT_NOGRAMMAR}.skops"
CLEAN = (
    "Council approves new bus routes\n\nThe city council voted on Tuesday to approve three new bus "
    "routes linking the northern suburbs with the central station.\n"
)


def run_cli(*args: str, timeout: int = 600):
    exe = Path(sys.executable).with_name("detector")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "detector.cli", *args]
    # one OpenMP thread: gradient boosting with a thread per core crawls on a shared, busy machine
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)


# --------------------------------------------------------------------------- the allow-list


@pytest.fixture(scope="module")
def own_models(tmp_path_factory):
    """Every kind of pipeline `detector train` can produce: each estimator of T.ESTIMATORS
    (logistic regression behind SignedLog1p -> StandardScaler, gradient boosting, ...), each with
    sigmoid and isotonic calibration, assembled as train() assembles them (features ->
    _fit_matrix_model's steps), plus one model made by train() itself and the shipped models."""
    from sklearn.pipeline import Pipeline
    from threadpoolctl import threadpool_limits

    from detector.features import EvidenceVectorizer

    with threadpool_limits(limits=1):
        return _own_models(tmp_path_factory, Pipeline, EvidenceVectorizer)


def _own_models(tmp_path_factory, Pipeline, EvidenceVectorizer):  # noqa: N803
    d = tmp_path_factory.mktemp("own")
    ds = T.read_dataset(write_jsonl(d / "t.jsonl", make_rows(40, seed=3)))
    evidence = T.compute_evidence(ds.texts)
    out = {}
    path = d / "trained-logreg.skops"
    T.train(ds, path, estimator="logreg", evidence=evidence, seed=1)
    out["train-logreg"] = path
    vec = EvidenceVectorizer(grammar=False).fit(evidence)
    X = vec.transform(evidence)
    names = [str(n) for n in vec.get_feature_names_out()]
    for kind in T.ESTIMATORS:
        for cal in ("sigmoid", "isotonic"):
            final = T.fit._fit_matrix_model(kind, X, ds.labels, ds.groups, 1, cal, folds=3, names=names)
            bundle = {"format": M.MODEL_FORMAT, "name": f"{kind}-{cal}", "thresholds": [0.6, 0.3],
                      "pipeline": Pipeline([("features", vec)] + list(final.steps)), "grammar": False,
                      "estimator": kind, "feature_names": names}
            path = d / f"{kind}-{cal}.skops"
            M.save_model(bundle, path)
            out[f"{kind}-{cal}"] = path
    for p in sorted(M.RESOURCES.glob("*.skops")):
        out[p.name] = p
    return out


def test_allow_list_is_exact_names_and_covers_every_own_pipeline(own_models):
    """Fails when one of the project's own pipelines holds a type missing from TRUSTED_TYPES:
    a new type must be added to the list deliberately (and one no pipeline uses, removed)."""
    import skops.io as sio

    assert not hasattr(M, "TRUSTED_PREFIXES")
    assert all(isinstance(t, str) and not t.endswith(".") and "*" not in t for t in M.TRUSTED_TYPES)
    seen: set[str] = set()
    for label, path in own_models.items():
        types = set(sio.get_untrusted_types(file=str(path)))
        assert types <= M.TRUSTED_TYPES, (label, sorted(types - M.TRUSTED_TYPES))
        assert M.untrusted_types(path) == []
        seen |= types
        assert M.load_model(path)["pipeline"] is not None
    assert seen == set(M.TRUSTED_TYPES), f"unused allow-list entries: {sorted(set(M.TRUSTED_TYPES) - seen)}"
    assert {"logreg-sigmoid", "hgb-sigmoid", "train-logreg"} <= set(own_models)


def craft(src: Path, dst: Path, module: str, func: str, args: list) -> None:
    """Copy the skops model ``src`` to ``dst``, replacing the bundle's ``name`` value with a
    node that makes skops call ``module.func(*args)`` while loading (ConstructorFromReduceNode)."""
    ids = iter(range(10**15, 10**15 + 1000))

    def node(v):
        if isinstance(v, str):
            return {"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
                    "content": json.dumps(v), "is_json": True, "__id__": next(ids)}
        if isinstance(v, dict):
            return {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
                    "content": {k: node(x) for k, x in v.items()},
                    "key_types": {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
                                  "content": [{"__class__": "str", "__module__": "builtins",
                                               "__loader__": "TypeNode", "__id__": next(ids)} for _ in v],
                                  "__id__": next(ids)},
                    "__id__": next(ids)}
        raise TypeError(v)

    with zipfile.ZipFile(src) as z:
        files = {n: z.read(n) for n in z.namelist()}
    schema = json.loads(files["schema.json"])
    assert "name" in schema["content"]
    schema["content"]["name"] = {
        "__class__": func, "__module__": module, "__loader__": "ConstructorFromReduceNode",
        "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                    "content": [node(a) for a in args], "__id__": next(ids)},
        "__id__": next(ids),
    }
    files["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)


PAYLOADS = {
    # scikit-learn's test helper runs its argument as a Python script in a subprocess
    "sklearn": ("sklearn.utils._testing", "assert_run_python_script_without_output", "source"),
    # numpy's test helper exec()s its argument
    "numpy": ("numpy.testing._private.utils", "runstring", "exec"),
}


@pytest.mark.skipif(not DEFAULT.exists(), reason="embedded default model not built")
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_crafted_model_with_only_numpy_sklearn_names_is_refused_and_runs_nothing(tmp_path, payload):
    module, func, how = PAYLOADS[payload]
    marker = tmp_path / "pwned"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    evil = tmp_path / "evil.skops"
    craft(DEFAULT, evil, module, func, [code] if how == "source" else [code, {}])
    art = tmp_path / "a.txt"
    art.write_text(CLEAN)

    r = run_cli("score", "--model", str(evil), str(art), "--no-grammar", "-f", "jsonl")
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert err.strip().count("\n") == 0 and err.startswith("error: --model:") and f"{module}.{func}" in err
    assert r.stdout == b""
    assert not marker.exists(), "the crafted model ran code"

    with pytest.raises(M.UntrustedModelError, match=func):
        M.load_model(evil)
    assert not marker.exists()


def test_model_file_that_is_too_deep_to_audit_is_one_line(tmp_path):
    evil = tmp_path / "deep.skops"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("schema.json", '{"content": ' * 100_000 + "1" + "}" * 100_000)
    with pytest.raises(M.ModelFormatError):
        M.load_model(evil)
    art = tmp_path / "a.txt"
    art.write_text(CLEAN)
    r = run_cli("score", "--model", str(evil), str(art), "--no-grammar")
    assert r.returncode == 2 and r.stderr.decode().strip().count("\n") == 0 and b"Traceback" not in r.stderr


# --------------------------------------------------------------------------- data files

SEP_TEXT = "The ferry\u2028terminal opened\u2029on Monday\u0085after repairs to the harbour wall."


def bad_dataset(tmp_path: Path) -> Path:
    rows = make_rows(24, seed=5)
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, '{"text": "x", "label": 1, "n": ' + "9" * 5000 + "}")  # line 4
    lines.insert(7, "[" * 1_000_000)  # line 8
    lines.insert(10, '{"text": "caf\xe9", "label": 0}')  # line 11: invalid UTF-8 (written as latin-1 below)
    lines.insert(12, json.dumps({"text": SEP_TEXT, "label": "reliable", "group": "sep"}, ensure_ascii=False))
    p = tmp_path / "data.jsonl"
    p.write_bytes(b"".join((ln.encode("latin-1") if i == 10 else ln.encode("utf-8")) + b"\n"
                           for i, ln in enumerate(lines)))
    return p


def test_read_dataset_bad_rows_are_their_own_problems_and_separators_stay_inside(tmp_path):
    p = bad_dataset(tmp_path)
    ds = T.read_dataset(p)
    assert [x.split(":")[0] for x in ds.problems] == ["line 4", "line 8", "line 11"]
    assert "4,300 digits" in ds.problems[0] and "nested too deeply" in ds.problems[1]
    assert "UTF-8" in ds.problems[2]
    assert len(ds.texts) == 25 and SEP_TEXT in ds.texts
    assert len(ds.texts) == len(ds.labels) == len(ds.sources) == len(ds.groups)


def test_read_csv_bad_rows(tmp_path):
    p = tmp_path / "d.csv"
    p.write_bytes(
        b'text,label\n"Hello, world.",0\n"caf\xe9 row",1\nSecond,unreliable\n"line\xe2\x80\xa8sep",1\n'
    )
    ds = T.read_dataset(p)
    assert ds.texts == ["Hello, world.", "Second", "line\u2028sep"]
    assert [x.split(":")[0] for x in ds.problems] == ["line 3"]


def test_cli_train_and_evaluate_skip_bad_rows_loudly_and_exit_3(tmp_path):
    data = bad_dataset(tmp_path)
    out = tmp_path / "m.skops"
    r = run_cli("train", str(data), "--model", str(out), "--estimator", "logreg", "-q")
    err = r.stderr.decode()
    assert r.returncode == 3, err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ": error: " in ln]
    assert [ln.split(": error: ")[0] for ln in lines] == [f"{data}:4", f"{data}:8", f"{data}:11"]
    assert all("row skipped" in ln for ln in lines)
    assert out.exists()
    card = json.loads(out.with_name("m.card.json").read_text())
    assert card["data"]["skipped_rows"] == 3 and card["data"]["n"] == 25
    r = run_cli("evaluate", str(data), "--model", str(out), "--json", "-q")
    assert r.returncode == 3, r.stderr.decode()
    assert json.loads(r.stdout)["n"] == 25
    assert len([ln for ln in r.stderr.decode().splitlines() if ": error: " in ln]) == 3


def test_cli_train_clean_data_still_exits_0(tmp_path):
    data = write_jsonl(tmp_path / "ok.jsonl", make_rows(24, seed=6))
    r = run_cli("train", str(data), "--model", str(tmp_path / "ok.skops"), "--estimator", "logreg", "-q")
    assert r.returncode == 0, r.stderr.decode()
    assert os.path.exists(tmp_path / "ok.card.json")
