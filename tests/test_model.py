"""Training, evaluation, skops loading (trusted types), the embedded default model and the CLI."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

import numpy as np
import pytest

from detector import model as M
from detector import training as T

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# Our own sentences (written for these tests).
SENTENCES = [
    "The harbour authority said the new ferry terminal would open in the spring.",
    "Local traders expect more visitors once the works are finished.",
    "A spokesman for the council declined to comment on the final cost.",
    "The project was delayed last year by a shortage of steel.",
    "Engineers have tested the pontoons in rough weather since January.",
    "Bus routes around the quay will change for two weeks.",
    "The mayor thanked residents for their patience during the works.",
    "Ticket prices will stay the same until the end of the summer.",
    "Fishermen had asked for a separate berth and were given one.",
    "The old terminal building will become a museum of local history.",
    "Officials said the harbour handled a record number of passengers.",
    "A new cycle path will link the terminal with the railway station.",
    "Critics said the consultation had been too short.",
    "The opening ceremony is planned for the first weekend of April.",
]


def clean_text(rng: random.Random) -> str:
    s = rng.sample(SENTENCES, 9)
    return "Ferry terminal to open\n\n" + "\n\n".join(" ".join(s[i : i + 3]) for i in range(0, 9, 3))


def corrupt(text: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return text + "\n\nShare this post\n\n" + text
    if kind == 1:
        words = text.split(" ")
        for _ in range(4):
            j = rng.randrange(3, len(words) - 3)
            words[j : j + 2] = words[j : j + 2] * 3
        return " ".join(words)
    paras = text.split("\n\n")
    return "\n\n".join(paras + ["Skip to main content", "Read more: Other story", "Advertisement"] + paras[1:3])


def make_rows(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        t = clean_text(rng)
        if i % 2:
            rows.append({"text": corrupt(t, rng), "label": "unreliable", "source": "toy/bad", "group": f"g{i}"})
        else:
            rows.append({"text": t, "label": "reliable", "source": "toy/clean", "group": f"g{i}"})
    return rows


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    d = tmp_path_factory.mktemp("toy")
    data = write_jsonl(d / "train.jsonl", make_rows(60))
    out = d / "toy.skops"
    card = T.train(T.read_dataset(data), out, estimator="logreg", seed=1)
    return {"dir": d, "data": data, "model": out, "card": card}


def test_read_dataset_reports_malformed_rows(tmp_path):
    (tmp_path / "a.txt").write_text("Text from a file.", encoding="utf-8")
    p = tmp_path / "d.jsonl"
    p.write_text(
        '{"text": "ok one", "label": "reliable"}\n'
        "not json\n"
        '{"text": "bad label", "label": "maybe"}\n'
        "\n"
        '{"path": "a.txt", "label": 1}\n'
        '{"label": 0}\n'
        '{"text": "x", "label": "UNRELIABLE", "group": "G", "weight": 0.7}\n'
        '{"text": "y", "label": 0, "weight": "heavy"}\n',
        encoding="utf-8",
    )
    ds = T.read_dataset(p)
    assert ds.labels == [0, 1, 1]
    assert ds.weights == [1.0, 1.0, 0.7]
    assert ds.texts[1] == "Text from a file."
    assert ds.groups[2] == "G"
    assert [x.split(":")[0] for x in ds.problems] == ["line 2", "line 3", "line 6", "line 8"]
    assert any("tiny" in w or "only 3" in w for w in T.data_warnings(ds))


def test_read_csv(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('text,label\n"Hello, world.",0\nSecond,unreliable\nThird,2\n', encoding="utf-8")
    ds = T.read_dataset(p)
    assert ds.labels == [0, 1] and ds.texts[0] == "Hello, world."
    assert ds.problems and ds.problems[0].startswith("line 4")


def test_train_writes_model_and_card(toy):
    card = toy["card"]
    assert toy["model"].exists()
    saved = json.loads(toy["model"].with_name("toy.card.json").read_text())
    assert saved["estimator"]["chosen"] == "logreg"
    assert saved["features"] and saved["versions"]["scikit-learn"]
    assert card["cv"]["roc_auc"] > 0.9
    assert 0.0 < saved["thresholds"]["reject"] <= saved["thresholds"]["ok"] < 1.0


def test_train_with_sample_weights(tmp_path):
    rows = make_rows(40, seed=7)
    soft = dict(rows[1], label=0, weight=0.3)
    rows[1]["weight"] = 0.7
    data = write_jsonl(tmp_path / "w.jsonl", rows + [soft])
    ds = T.read_dataset(data)
    assert ds.weights is not None and sorted(set(ds.weights)) == [0.3, 0.7, 1.0]
    card = T.train(ds, tmp_path / "w.skops", estimator="logreg", seed=0)
    assert card["data"]["n"] == 41


def test_model_scorer_interface(toy):
    from detector import api

    scorer = api.load_scorer(str(toy["model"]), grammar_available=False)
    assert scorer.name == "toy"
    rng = random.Random(5)
    good = clean_text(rng)
    bad = good + "\n\nShare this post\n\n" + good
    reps = api.score([good, bad], grammar="off", scorer=scorer)
    assert reps[0].reliability > reps[1].reliability
    assert reps[0].model == "toy" and reps[1].verdict in ("review", "reject")


@pytest.mark.parametrize("kind", ["logreg", "hgb"])
def test_compiled_copy_matches_pipeline(toy, tmp_path, kind):
    from detector import api

    ds = T.read_dataset(toy["data"])
    out = tmp_path / f"{kind}.skops"
    card = T.train(ds, out, estimator=kind, seed=2)
    assert M.compile_bundle(card["_bundle"], out.with_suffix(".npz"))
    rows = make_rows(12, seed=9)
    _, ev = api.analyse([r["text"] for r in rows], grammar="off")
    a = M.ModelScorer(M.load_model(out)).p_unreliable(ev)
    b = M.CompiledScorer(out.with_suffix(".npz")).p_unreliable(ev)
    np.testing.assert_allclose(a, b, atol=1e-9)


class Sneaky:  # a custom, untrusted type
    def __init__(self):
        self.payload = "not a model"


def test_untrusted_types_are_refused(toy, tmp_path):
    import skops.io as sio
    from sklearn.pipeline import Pipeline

    bundle = M.load_model(toy["model"])
    evil = dict(bundle, pipeline=Pipeline([("features", bundle["pipeline"][0]), ("evil", Sneaky())]))
    path = tmp_path / "evil.skops"
    sio.dump(evil, str(path))
    with pytest.raises(M.UntrustedModelError, match="untrusted types: .*Sneaky"):
        M.load_model(path)
    from detector import api

    with pytest.raises(M.UntrustedModelError):
        api.load_scorer(str(path))
    notzip = tmp_path / "x.skops"
    notzip.write_text("hello")
    with pytest.raises(M.ModelFormatError):
        M.load_model(notzip)
    with pytest.raises(M.ModelError, match="not found"):
        M.load_model(tmp_path / "missing.skops")


def test_cli_train_and_evaluate(toy, tmp_path):
    from typer.testing import CliRunner

    from detector.cli import app

    runner = CliRunner()
    out = tmp_path / "cli.skops"
    r = runner.invoke(app, ["train", str(toy["data"]), "--model", str(out), "--estimator", "logreg", "-q"])
    assert r.exit_code == 0, r.output
    assert "ROC-AUC" in r.output and "per source" in r.output and out.exists()
    test = write_jsonl(tmp_path / "test.jsonl", make_rows(30, seed=4))
    png = tmp_path / "p.png"
    r = runner.invoke(app, ["evaluate", str(test), "--model", str(out), "--json", "--plot", str(png), "-q"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert res["roc_auc"] > 0.9 and set(res["per_source"]) == {"toy/bad", "toy/clean"}
    assert res["top_features"] and png.stat().st_size > 1000
    r = runner.invoke(app, ["evaluate", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2


DEFAULT = M.RESOURCES / f"{M.DEFAULT_NOGRAMMAR}.skops"


@pytest.mark.skipif(not DEFAULT.exists(), reason="embedded default model not built")
def test_default_model_is_used_and_compiled_copy_matches():
    from detector import api

    scorer = M.load_scorer(None, grammar_available=False)
    assert scorer.name == M.DEFAULT_NOGRAMMAR
    if not (M.RESOURCES / f"{M.DEFAULT_GRAMMAR}.skops").exists():
        assert M.load_scorer(None, grammar_available=True).name == M.DEFAULT_NOGRAMMAR
    rows = make_rows(8, seed=3)
    _, ev = api.analyse([r["text"] for r in rows], grammar="off")
    full = M.ModelScorer(M.load_model(DEFAULT)).p_unreliable(ev)
    if DEFAULT.with_suffix(".npz").exists():
        np.testing.assert_allclose(M.CompiledScorer(DEFAULT.with_suffix(".npz")).p_unreliable(ev), full, atol=1e-9)
    card = json.loads(DEFAULT.with_name(f"{M.DEFAULT_NOGRAMMAR}.card.json").read_text())
    assert card["name"] == M.DEFAULT_NOGRAMMAR


def test_changed_feature_tree_walk_equals_a_full_walk():
    """The reasons' one-feature-changed evaluation walks again only the trees whose path splits
    on the changed feature: its decision values must be exactly those of walking every tree."""
    from detector import compiled

    scorer = M.load_scorer(None, grammar_available=False)
    arr = getattr(scorer, "model", None)
    if not isinstance(arr, compiled.ArrayModel) or arr.meta["kind"] == "logreg":
        pytest.skip("default model is not compiled trees")
    a = arr.arrays
    rng = np.random.default_rng(7)
    n_feat = len(arr.feature_names)
    # rows around the split thresholds, so that changing one feature often changes leaves
    thr = a["t0_thr"][~a["t0_leaf"]]
    X = rng.choice(thr, size=(40, n_feat)) + rng.normal(0, 1e-3, size=(40, n_feat))
    r = np.repeat(np.arange(40), 6)
    c = rng.integers(0, n_feat, size=r.size)
    Xc = X[r].copy()
    Xc[np.arange(r.size), c] = rng.choice(thr, size=r.size)
    for i in range(int(arr.meta["n_classifiers"])):
        fast = compiled._trees_decision_changed(X, Xc, r, c, a, i)
        full = compiled._trees_decision(Xc, a, i)
        assert np.array_equal(fast, full)
        assert not np.array_equal(full, compiled._trees_decision(X[r], a, i))  # the change mattered


@pytest.fixture(scope="module")
def seed_reliability():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    if not DEFAULT.exists():
        pytest.skip("embedded default model not built")
    from detector import api
    from detector.io import iter_inputs

    arts = list(iter_inputs([str(p) for p in sorted(SEEDS.glob("*.txt"))]))
    return {Path(r.path).name[:3]: r.reliability for r in api.score(arts, grammar="off")}


@pytest.mark.shared
def test_seed_ranking_001_highest_003_lowest(seed_reliability):
    rel = seed_reliability
    assert rel["001"] == max(rel.values()), rel
    assert rel["003"] == min(rel.values()), rel
    assert rel["004"] < rel["001"], rel


@pytest.mark.shared
def test_seed_004_below_002(seed_reliability):
    # 002's only defects are page furniture (one repeated caption, a teaser block); 004's text has
    # a misspelt name and a truncated sentence. Duplicate blocks enter as a character fraction.
    assert seed_reliability["004"] < seed_reliability["002"], seed_reliability


@pytest.mark.shared
def test_seed_full_ordering(seed_reliability):
    rel = seed_reliability
    assert rel["001"] == max(rel.values()), rel
    assert rel["003"] == min(rel.values()), rel
    assert rel["004"] < min(rel["001"], rel["002"]), rel


GRAMMAR = M.RESOURCES / f"{M.DEFAULT_GRAMMAR}.skops"


@pytest.mark.skipif(not GRAMMAR.exists(), reason="grammar variant not built")
def test_grammar_variant_compiled_copy_matches():
    from detector.scoring import Evidence

    bundle = M.load_model(GRAMMAR)
    assert bundle["grammar"] is True and bundle["name"] == M.DEFAULT_GRAMMAR
    rows = make_rows(6, seed=11)
    from detector import api

    _, ev = api.analyse([r["text"] for r in rows], grammar="off")
    ev = [Evidence(e.findings, dict(e.stats, lt_GRAMMAR_per100w=1.0 * i), "ok") for i, e in enumerate(ev)]
    full = M.ModelScorer(bundle).p_unreliable(ev)
    np.testing.assert_allclose(M.CompiledScorer(GRAMMAR.with_suffix(".npz")).p_unreliable(ev), full, atol=1e-9)
    assert M.load_scorer(None, grammar_available=True).name == M.DEFAULT_GRAMMAR


def test_metrics_per_source_auc_against_the_corpus_reliable_rows():
    import numpy as np

    y = np.array([0, 0, 0, 1, 1, 1, 1, 0, 1])
    p = np.array([0.1, 0.2, 0.6, 0.9, 0.7, 0.15, 0.5, 0.3, 0.8])
    src = ["a/clean"] * 3 + ["a/op1"] * 2 + ["a/op2"] * 2 + ["b/ref", "b/mt"]
    res = T.metrics(y, p, M.Thresholds(ok=0.5, reject=0.3), sources=src)
    per = res["per_source"]
    assert per["a/op1"]["roc_auc"] is None
    assert per["a/op1"]["roc_auc_vs_reliable"] == pytest.approx(1.0)  # both above every clean row
    # op2: 0.15 beats only 0.1 of the clean rows (1 of 3), 0.5 beats 0.1 and 0.2 (2 of 3)
    assert per["a/op2"]["roc_auc_vs_reliable"] == pytest.approx(3 / 6)
    assert per["b/mt"]["roc_auc_vs_reliable"] == pytest.approx(1.0)  # only its own corpus's rows
    assert per["a/clean"]["roc_auc_vs_reliable"] is None


@functools.cache
def _ceiling_script():
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "scripts" / "diagnose_feature_ceiling.py"
    spec = importlib.util.spec_from_file_location("diagnose_feature_ceiling", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ceiling(path: Path, capsys, *extra: str) -> tuple[int, dict | str]:
    rc = _ceiling_script().main([str(path), "--seeds", "2", *extra])
    out = capsys.readouterr()
    return rc, (json.loads(out.out) if rc == 0 and "--json" in extra else out.out + out.err)


def test_feature_ceiling_diagnostic(tmp_path, capsys):
    """scripts/diagnose_feature_ceiling.py: separable toy data gives a high within-file CV AUC,
    the same texts with shuffled labels give chance, and a malformed row is an error (exit 2)."""
    rows = make_rows(80, seed=3)
    rc, res = _ceiling(write_jsonl(tmp_path / "toy.jsonl", rows), capsys, "--json")
    assert rc == 0 and res["rows"] == 80 and res["unreliable"] == 40
    for kind in T.ESTIMATORS:
        assert res["estimators"][kind]["all"] > 0.9
        assert res["estimators"][kind]["toy"] == res["estimators"][kind]["all"]  # one source prefix
    assert res["best_single_features"] and res["best_single_features"][0][0] > 0.9

    labels = [r["label"] for r in rows]
    random.Random(5).shuffle(labels)
    shuffled = [dict(r, label=lab) for r, lab in zip(rows, labels, strict=True)]
    rc, res = _ceiling(write_jsonl(tmp_path / "shuffled.jsonl", shuffled), capsys, "--json")
    assert rc == 0
    assert all(res["estimators"][kind]["all"] < 0.8 for kind in T.ESTIMATORS)

    rc, msg = _ceiling(write_jsonl(tmp_path / "bad.jsonl", rows[:6] + [{"text": "x", "label": "maybe"}]), capsys)
    assert rc == 2 and "line 7" in msg
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    for name, expected in (("empty.jsonl", "no labelled rows"), ("missing.jsonl", "No such file")):
        rc, msg = _ceiling(tmp_path / name, capsys)
        assert rc == 2 and msg.count("\n") == 1 and name in msg and expected in msg
    rc, msg = _ceiling(write_jsonl(tmp_path / "two.jsonl", rows[:2]), capsys)
    assert rc == 2 and "need at least 2 reliable and 2 unreliable" in msg
