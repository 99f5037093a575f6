"""Smoke test for scripts/evaluate_detectors.py on a tiny slice of the BBC test split."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "evaluate_detectors.py"


def _load():
    spec = importlib.util.spec_from_file_location("evaluate_detectors", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up
    spec.loader.exec_module(mod)
    return mod


def _data_dir() -> Path:
    env = os.environ.get("DETECTOR_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def test_operators_on_synthetic_article():
    """The injection operators produce the promised spans (no shared data needed)."""
    ev = _load()
    item = ev.Item(
        "x",
        "Council backs bridge plan",
        [
            "Council leaders said on Tuesday that the new bridge would open in the spring, two years later "
            "than planned, after a long dispute with the builder over rising costs.",
            "The project has cost more than £40m and was delayed by flooding. The builder reported a loss of "
            "£3m last year, and officials said the final bill could rise further.",
            "Residents have complained about noise from the site at night. A spokesman for the firm said the "
            "work was needed to meet the deadline and apologised for the disruption to local families.",
        ],
    )
    ctx = {"gazetteer": {"Blair": {"Tony Blair"}}, "counter": __import__("collections").Counter()}
    rng = random.Random(1)
    for fam, op in ev.OPERATORS.items():
        for _ in range(8):
            inj = op(item, rng, ctx)
            assert inj is not None and inj.family == fam
            s, e = inj.span
            assert 0 <= s <= e <= len(inj.text)
            assert inj.text != item.body
            if inj.op not in ("truncate",):
                assert e > s


def test_misspell_is_near_miss():
    ev = _load()
    rng = random.Random(3)
    for name in ("Blinken", "Gallant", "Macron", "Scholz", "Netanyahu"):
        bad = ev.misspell(name, rng)
        assert bad != name and bad[0] == name[0] and abs(len(bad) - len(name)) <= 1


@pytest.mark.shared
def test_evaluate_smoke(tmp_path):
    data = _data_dir()
    if not (data / "clean" / "bbc_news.jsonl").exists():
        pytest.skip(f"shared data not available at {data}")
    ev = _load()
    out = tmp_path / "eval.json"
    rc = ev.main(["--data", str(data), "--limit", "6", "--json", str(out)])
    assert rc == 0
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["n_articles"] == 6
    assert set(res["recall"]) == set(ev.INJECTED_FAMILIES)
    for r in res["recall"].values():
        assert r["n"] > 0
        assert 0.0 <= r["recall"] <= 1.0
    assert "broken-sentence" in res["false_per_1k"]


def test_missing_data_is_an_error(tmp_path, capsys):
    ev = _load()
    assert ev.main(["--data", str(tmp_path), "--limit", "1"]) == 2
    assert "not found" in capsys.readouterr().err


def test_mt_layout_keeps_subheadings_apart():
    """The dataset builder lays WMT segments out as paragraphs of 1-3 segments; a subheading (a
    short segment without closing punctuation) must stand alone, or it reads as a sentence cut off
    (BRK005) in a clean reference. No shared data needed."""
    spec = importlib.util.spec_from_file_location("build_dataset", REPO / "scripts" / "build_dataset.py")
    bd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bd)
    segs = ["Council backs bridge plan", "Leaders met on Tuesday.", "The vote was close.", "Costs keep rising",
            "The bill rose by a third.", "Officials said more was needed.", "Work resumes in May.", "What comes next"]
    from detector.families import sentences

    for seed in range(30):
        out = bd.mt_layout("\n".join(segs), f"g{seed}")
        paras = out.split("\n\n")
        assert " ".join(p.replace("\n", " ") for p in paras) == " ".join(segs)  # nothing lost or reordered
        assert "Costs keep rising" in paras and "What comes next" in paras
        assert not [f for f in sentences.detect(out) if f.code == "BRK005"]


def test_unseen_ceiling_reads_aiksaurus_and_dictd(tmp_path):
    """The ceiling diagnostic's readers of the Debian thesaurus and dictionary indexes, on files
    written here in their formats (no Debian package or shared data needed)."""
    spec = importlib.util.spec_from_file_location("diagnose_unseen_ceiling", REPO / "scripts" / "diagnose_unseen_ceiling.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    import struct

    # words.dat: NUL-terminated word, big-endian uint16 meaning ids, 0xFFFF
    words = [("energy", [0]), ("vitality", [0, 1]), ("vigour", [1]), ("ab:initio", [2])]
    raw = b"".join(w.encode() + b"\0" + b"".join(struct.pack(">H", m) for m in ms) + b"\xff\xff" for w, ms in words)
    (tmp_path / "words.dat").write_bytes(raw)
    # meanings.dat: uint16 word ids of each meaning, 0xFFFF
    meanings = [[0, 1], [1, 2], [3]]
    (tmp_path / "meanings.dat").write_bytes(b"".join(b"".join(struct.pack(">H", i) for i in g) + b"\xff\xff" for g in meanings))
    links = mod.aiksaurus_links(tmp_path)
    assert links["energy"] == {"vitality"}
    assert links["vitality"] == {"energy", "vigour"}
    assert links["ab initio"] == set()  # ':' joins the words of a phrase
    assert mod.aiksaurus_links(tmp_path / "missing") == {}
    (tmp_path / "gcide.index").write_text("neural network\tAB\tC\nenergy\tD\tE\nDeep Learning\tF\tG\n", encoding="utf-8")
    assert mod.dictd_phrases(tmp_path) == {"neural network", "deep learning"}


def test_unseen_ceiling_rejects_malformed_aiksaurus_data(tmp_path):
    """Truncated or binary thesaurus files give a ValueError naming the file, not a hang."""
    spec = importlib.util.spec_from_file_location("diagnose_unseen_ceiling", REPO / "scripts" / "diagnose_unseen_ceiling.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for words, meanings in ((b"\x00\xff" * 10, b""), (b"energy\x00\x00\x00", b""), (b"energy", b""),
                            (b"energy\x00\x00\x00\xff\xff", b"\x00\x00")):
        (tmp_path / "words.dat").write_bytes(words)
        (tmp_path / "meanings.dat").write_bytes(meanings)
        with pytest.raises(ValueError, match="dat"):
            mod.aiksaurus_links(tmp_path)
    (tmp_path / "words.dat").write_bytes(b"")  # empty files: nothing to link
    (tmp_path / "meanings.dat").write_bytes(b"")
    assert mod.aiksaurus_links(tmp_path) == {}


def test_scripts_refuse_a_shared_folder_that_does_not_exist(tmp_path):
    """An explicit --shared path is never silently replaced by the default one."""
    import subprocess

    for script in ("diagnose_unseen_ceiling.py", "measure_spinning.py"):
        p = subprocess.run([sys.executable, str(REPO / "scripts" / script), "--shared", str(tmp_path / "nope")],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode != 0 and "nope" in p.stderr and "Traceback" not in p.stderr
