"""Verdict cut-offs set per project (configuration file) or per call (library), used everywhere."""

from __future__ import annotations

import json

import pytest
from test_cli_linter import run_cli
from test_io_cli import CLEAN

import detector
from detector import config


def test_library_thresholds_override_the_models_and_reach_verdicts_and_reports():
    base = detector.score([CLEAN], grammar="off", cache=False)[0]
    assert base.verdict == "ok"
    # a cut above the article's reliability turns the same score into a reject
    hi = min(0.999, base.reliability + 0.0005)
    strict = detector.score([CLEAN], grammar="off", cache=False, thresholds=(hi + 0.0004, hi))[0]
    assert strict.reliability == base.reliability
    assert strict.verdict == "reject"
    assert strict.thresholds == {"ok": pytest.approx(hi + 0.0004), "reject": pytest.approx(hi)}
    assert any(r.effect < 0 for r in strict.reasons) or strict.findings  # a flagged report says why


@pytest.mark.parametrize("bad", [(0.3, 0.5), (0.5, 0.0), (1.5, 0.2)])
def test_library_refuses_inconsistent_thresholds(bad):
    with pytest.raises(ValueError):
        detector.score([CLEAN], grammar="off", cache=False, thresholds=bad)


def test_config_file_sets_the_cutoffs_for_score(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN)
    r = run_cli("score", str(tmp_path / "a.txt"), "--no-grammar", "-f", "json")
    assert r.returncode == 0, r.stderr
    base = json.loads(r.stdout)[0]
    (tmp_path / "detector.toml").write_text("ok-threshold = 0.9999\nreject-threshold = 0.9998\n")
    r = run_cli("score", str(tmp_path / "a.txt"), "--no-grammar", "-f", "json", "--fail-on", "reject")
    rep = json.loads(r.stdout)[0]
    assert rep["thresholds"] == {"ok": 0.9999, "reject": 0.9998}
    assert rep["reliability"] == base["reliability"] and rep["verdict"] == "reject"
    assert r.returncode == 1
    r = run_cli("config", str(tmp_path))
    assert r.returncode == 0 and b"ok-threshold" in r.stdout and b"0.9999" in r.stdout


@pytest.mark.parametrize(
    "text,msg",
    [
        ("ok-threshold = 0.5\n", "go together"),
        ("ok-threshold = 0.4\nreject-threshold = 0.6\n", "must be below"),
        ("ok-threshold = 1.5\nreject-threshold = 0.2\n", "(0, 1]"),
        ('ok-threshold = "high"\nreject-threshold = 0.2\n', "(0, 1]"),
    ],
)
def test_bad_thresholds_in_a_config_file_are_usage_errors(tmp_path, text, msg):
    (tmp_path / "detector.toml").write_text(text)
    with pytest.raises(config.ConfigError, match=msg.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]")):
        config.resolve({}, config=str(tmp_path / "detector.toml"))
    (tmp_path / "a.txt").write_text(CLEAN)
    r = run_cli("score", str(tmp_path / "a.txt"), "--no-grammar")
    assert r.returncode == 2


def test_binary_or_empty_configuration_files(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN)
    (tmp_path / "detector.toml").write_bytes(b"\xff\xfe\x00binary")
    r = run_cli("score", str(tmp_path / "a.txt"), "--no-grammar")
    assert r.returncode == 2 and b"Traceback" not in r.stderr and b"not UTF-8" in r.stderr
    (tmp_path / "detector.toml").write_bytes(b"")
    assert run_cli("score", str(tmp_path / "a.txt"), "--no-grammar").returncode == 0
    # a binary pyproject.toml that may not be ours is passed over, never a traceback
    (tmp_path / "detector.toml").unlink()
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.detector]\n\xfd\xfe")
    r = run_cli("score", str(tmp_path / "a.txt"), "--no-grammar")
    assert r.returncode == 0 and b"Traceback" not in r.stderr
