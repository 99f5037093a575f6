"""The README's examples are real: its commands print what it shows, its TOML is a valid
configuration, its library snippet runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from detector import config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHARED = ROOT.parent / "shared"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _run(cmdline: str) -> str:
    args = cmdline.split()
    assert args[0] == "detector"
    exe = Path(sys.executable).with_name("detector")
    r = subprocess.run([str(exe), *args[1:]], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def _examples():
    out = []
    for block in _blocks("text"):
        lines = block.rstrip("\n").split("\n")
        if lines and lines[0].startswith("$ detector "):
            out.append((lines[0][2:], lines[1:]))
    return out


def test_readme_has_command_examples():
    assert len(_examples()) >= 2


@pytest.mark.parametrize("cmd,shown", _examples(), ids=lambda x: x if isinstance(x, str) else "")
def test_readme_command_prints_what_it_shows(cmd, shown):
    if "../shared" in cmd and not SHARED.is_dir():
        pytest.skip(f"needs {SHARED}")
    got = _run(cmd).rstrip("\n").split("\n")
    # the README may elide a path prefix with "…" and show a subset of the lines, in order
    pats = [re.escape(s).replace("…", ".*") for s in shown]
    it = iter(got)
    for pat in pats:
        assert any(re.fullmatch(pat, line) for line in it), f"README line not printed: {pat}\n{got}"


def test_readme_configuration_example_is_valid(tmp_path):
    tomls = _blocks("toml")
    assert tomls
    for text in tomls:
        (tmp_path / "names.txt").write_text("Antony Blinken\n")
        (tmp_path / "pyproject.toml").write_text(text)
        settings = config.load_config(tmp_path / "pyproject.toml")
        assert settings  # every key known, every value valid


def test_readme_library_snippet_runs():
    [snippet] = [b for b in _blocks("python") if "import detector" in b]
    code = 'text = "He said the the talks failed in London on Monday."\n' + snippet.replace('grammar="auto"', 'grammar="off"')
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "REP001" in r.stdout
