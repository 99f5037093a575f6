"""The linter conventions of the CLI: --version, check formats (SARIF, GitHub), --fail-on,
--select/--ignore, configuration files, progress on stderr."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import detector
from detector import api
from detector.config import ConfigError, find_config, load_config, resolve
from detector.findings import CODES, SEVERITIES
from detector.selection import Selection, SelectionError


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("detector")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "detector.cli", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120, cwd=cwd)

GARBLED = (
    "Minister visits port\n\n"
    "The minister said the the plan would go ahead. The minister said the the port would reopen, "
    "the port would reopen, the port would reopen soon.\n\n"
    "Leave a Reply\n"
)
CLEAN = (
    "Council approves new bus routes\n\n"
    "The city council voted on Tuesday to approve three new bus routes linking the northern suburbs "
    "with the central station. Officials said the routes would start running in the spring.\n"
)


@pytest.fixture
def bad(tmp_path) -> Path:
    p = tmp_path / "bad.txt"
    p.write_text(GARBLED, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------- --version


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    r = run_cli(flag)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert out.startswith(f"detector {detector.__version__}\n")
    assert "default-nogrammar-v1" in out
    assert re.search(r"^LanguageTool: ", out, re.M)
    assert re.search(r"^fluency loops: (compiled|pure Python \(.+\))$", out, re.M)


def test_version_is_cheap():
    """No scikit-learn, no JVM: --version imports only light modules."""
    code = (
        "import sys\nfrom detector.cli import app\n"
        "try:\n    app(['--version'])\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "heavy = [m for m in ('sklearn', 'skops', 'language_tool_python') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in r.stdout, r.stdout + r.stderr


# ------------------------------------------------------------------------------- check --format


def _check(*args):
    return run_cli("check", "--no-grammar", "--isolated", *args)


def test_check_json_and_jsonl_carry_path(bad):
    r = _check("--format", "json", str(bad))
    rows = json.loads(r.stdout)
    assert rows and all(d["path"] == str(bad) and d["code"] in CODES for d in rows)
    r2 = _check("--format", "jsonl", str(bad))
    lines = r2.stdout.decode().splitlines()
    assert [json.loads(x) for x in lines] == rows


def _assert_sarif(doc: dict) -> None:
    """The structure SARIF 2.1.0's schema requires (and what GitHub code scanning reads)."""
    assert doc["version"] == "2.1.0"
    assert isinstance(doc["$schema"], str) and doc["$schema"].startswith("https://")
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "detector" and driver["version"] == detector.__version__
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for rule in driver["rules"]:
        assert isinstance(rule["shortDescription"]["text"], str) and rule["shortDescription"]["text"]
    for res in run["results"]:
        assert res["ruleId"] in rule_ids
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("none", "note", "warning", "error")
        assert isinstance(res["message"]["text"], str) and res["message"]["text"]
        for loc in res["locations"]:
            phys = loc["physicalLocation"]
            assert isinstance(phys["artifactLocation"]["uri"], str)
            region = phys["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1
            assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])


def test_check_sarif(bad):
    r = _check("--format", "sarif", str(bad))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    _assert_sarif(doc)
    results = doc["runs"][0]["results"]
    assert {"REP001", "BOI002"} <= {x["ruleId"] for x in results}
    rep = next(x for x in results if x["ruleId"] == "REP001")
    assert rep["level"] == "warning"
    assert rep["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(bad)
    rules = {x["id"]: x for x in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["REP001"]["shortDescription"]["text"] == CODES["REP001"][1]


def test_sarif_columns_are_utf16_code_units():
    text = "Emoji 😀 here: the the end.\n"
    [report] = api.score([detector.Article(text, name="e.txt")], grammar="off", cache=False)
    from detector.output import render_sarif

    doc = json.loads(render_sarif([report], tool_version="x"))
    rep = next(x for x in doc["runs"][0]["results"] if x["ruleId"] == "REP001")
    region = rep["locations"][0]["physicalLocation"]["region"]
    f = next(f for f in report.findings if f.code == "REP001")
    assert region["startColumn"] == f.column + 1  # the emoji is 1 code point, 2 UTF-16 units
    assert region["endColumn"] - region["startColumn"] == f.end - f.start  # exclusive end, ASCII span


def test_sarif_with_languagetool_rule_ids():
    from detector.article import Article
    from detector.findings import Finding
    from detector.output import render_sarif

    rep = api.Report(
        article=Article("A sentense.\n", name="a.txt"),
        findings=[Finding("spelling", "MORFOLOGIK_RULE_EN_US", 2, 10, "Possible spelling mistake", line=1, column=3)],
        stats={}, reliability=0.5, verdict="review",
    )
    doc = json.loads(render_sarif([rep], tool_version=detector.__version__))
    _assert_sarif(doc)
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "MORFOLOGIK_RULE_EN_US"


def test_check_github_annotations(bad):
    r = _check("--format", "github", str(bad))
    lines = r.stdout.decode().splitlines()
    assert lines
    pat = re.compile(
        r"^::(notice|warning|error) file=([^,:]+),line=(\d+),col=(\d+),endLine=\d+,endColumn=\d+,"
        r"title=[A-Z0-9_]+::[^\r\n]+$"
    )
    for line in lines:
        m = pat.match(line)
        assert m, line
        assert int(m.group(3)) >= 1 and int(m.group(4)) >= 1


def test_github_escaping():
    from detector.article import Article
    from detector.findings import Finding
    from detector.output import render_github

    rep = api.Report(
        article=Article("x\n", name="dir,a:b%.txt"),
        findings=[Finding("boilerplate", "BOI002", 0, 1, "100% bad\r\nline", line=1, column=1)],
        stats={}, reliability=0.5, verdict="review",
    )
    out = render_github([rep])
    assert out == (
        "::warning file=dir%2Ca%3Ab%25.txt,line=1,col=1,endLine=1,endColumn=2,title=BOI002::100%25 bad%0D%0Aline\n"
    )


# ------------------------------------------------------------------------------- exit codes


def test_check_exit_codes(tmp_path, bad):
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    assert _check(str(clean)).returncode == 0
    assert _check(str(bad)).returncode == 1  # default --fail-on warning
    assert _check("--exit-zero", str(bad)).returncode == 0
    assert _check("--fail-on", "error", str(bad)).returncode == 0  # only warnings there
    assert _check("--fail-on", "info", str(bad)).returncode == 1
    # precedence: an unreadable input (3) wins over findings (1); a usage error (2) over both
    missing = str(tmp_path / "nope.txt")
    assert _check(str(bad), missing).returncode == 3
    assert _check("--fail-on", "bogus", str(bad), missing).returncode == 2
    assert _check("--select", "XYZ9", str(bad), missing).returncode == 2


# ------------------------------------------------------------------------------- selection


def test_selection_matching():
    from detector.findings import Finding

    def f(code, family, sev="warning"):
        return Finding(family, code, 0, 1, "m", severity=sev)

    nam1, brk4, boi2 = f("NAM001", "name"), f("BRK004", "broken-sentence"), f("BOI002", "boilerplate", "info")
    lt = f("MORFOLOGIK_RULE_EN_US", "spelling")
    sel = Selection.build(select=["NAM", "BRK004"])
    assert [x.code for x in sel.apply([nam1, brk4, boi2, lt])] == ["NAM001", "BRK004"]
    assert Selection.build(ignore="boilerplate,MORFOLOGIK_RULE_EN_US").apply([nam1, boi2, lt]) == [nam1]
    assert Selection.build(ignore="spelling").apply([lt, nam1]) == [nam1]
    # more specific wins: ignore the family, extend-select one code back
    assert Selection.build(ignore="name", extend_select="NAM001").apply([nam1, f("NAM002", "name")]) == [nam1]
    assert Selection.build(min_severity="warning").apply([nam1, boi2]) == [nam1]
    assert Selection.build(select="nam").select == ("NAM",)  # case-insensitive codes


@pytest.mark.parametrize("bad_value", ["FOO", "NAM9", "names", "warning", "REP0011"])
def test_unknown_selector_names_the_value(bad_value):
    with pytest.raises(SelectionError, match=re.escape(repr(bad_value))):
        Selection.build(select=[bad_value])


def test_api_filters_before_scoring():
    """Ignored findings are neither reported nor scored."""
    [full] = api.score([GARBLED], grammar="off", cache=False)
    [less] = api.score([GARBLED], grammar="off", cache=False, ignore=["repetition", "boilerplate"])
    assert any(f.family == "repetition" for f in full.findings)
    assert not any(f.family in ("repetition", "boilerplate") for f in less.findings)
    assert less.reliability > full.reliability
    assert [f.code for f in api.check(GARBLED, grammar="off", cache=False, select="REP001")] == ["REP001", "REP001"]
    with pytest.raises(ValueError):
        api.check(GARBLED, grammar="off", select="NOPE")


def test_cli_select_ignore(bad):
    r = _check("--select", "REP", str(bad))
    codes = {line.split()[1] for line in r.stdout.decode().splitlines()}
    assert codes and all(c.startswith("REP") for c in codes)
    r = _check("--ignore", "REP", "--ignore", "BOI002", str(bad))
    assert "REP0" not in r.stdout.decode() and "BOI002" not in r.stdout.decode()
    r = _check("--select", "MORFOLOGIK_RULE_EN_US", str(bad))  # accepted, nothing matches here
    assert r.returncode == 0 and r.stdout == b""
    r = _check("--ignore", "BOGUS1", str(bad))
    assert r.returncode == 2 and b"--ignore" in r.stderr and b"'BOGUS1'" in r.stderr
    r = run_cli("score", "--no-grammar", "--isolated", "-f", "json", "--min-severity", "warning", str(bad))
    [rep] = json.loads(r.stdout)
    assert rep["findings"] and all(f["severity"] != "info" for f in rep["findings"])


# ------------------------------------------------------------------------------- config files


def test_config_found_in_parent_folder_and_cli_overrides(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.detector]\nignore = ["REP"]\ncheck-fail-on = "error"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    art = sub / "x.txt"
    art.write_text(GARBLED, encoding="utf-8")
    r = run_cli("check", "--no-grammar", str(art))
    out = r.stdout.decode()
    assert "REP0" not in out and "BOI002" in out
    assert r.returncode == 0  # check-fail-on = "error" from the file
    r = run_cli("check", "--no-grammar", "--ignore", "BOI", str(art))  # CLI replaces the file's ignore
    assert "REP001" in r.stdout.decode() and "BOI002" not in r.stdout.decode()
    r = run_cli("check", "--no-grammar", "--isolated", str(art))
    assert "REP001" in r.stdout.decode() and r.returncode == 1
    # a detector.toml nearer the input wins over the pyproject.toml above it
    (sub / "detector.toml").write_text('select = ["BOI"]\n')
    r = run_cli("check", "--no-grammar", str(art))
    assert {line.split()[1][:3] for line in r.stdout.decode().splitlines()} == {"BOI"}
    # --config names the file explicitly
    other = tmp_path / "other.toml"
    other.write_text('select = ["REP001"]\n')
    r = run_cli("check", "--no-grammar", "--config", str(other), str(art))
    assert {line.split()[1] for line in r.stdout.decode().splitlines()} == {"REP001"}


def test_pyproject_without_our_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.detector]\nmin-severity = "warning"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(inner) == tmp_path / "pyproject.toml"
    assert find_config(inner / "file.txt") == tmp_path / "pyproject.toml"


def test_unknown_key_is_a_usage_error(tmp_path, bad):
    cfg = tmp_path / "detector.toml"
    cfg.write_text('ignore = ["REP"]\nfail_on = "reject"\n')
    r = run_cli("check", "--no-grammar", str(bad))
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "fail_on" in err and str(cfg) in err and "Traceback" not in err
    cfg.write_text('grammar = "sometimes"\n')
    with pytest.raises(ConfigError, match="grammar"):
        load_config(cfg)
    cfg.write_text('select = ["NOPE"]\n')
    with pytest.raises(ConfigError, match="NOPE"):
        load_config(cfg)
    cfg.write_text("select = [\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(cfg)


def test_config_names_relative_to_file_and_sources(tmp_path):
    (tmp_path / "names.txt").write_text("Antony Blinken\n")
    cfg = tmp_path / "detector.toml"
    cfg.write_text('names = ["names.txt"]\ngrammar = "off"\nfail-on = "review"\nmax-bytes = 1000\n')
    s = resolve({"fail-on": "reject"}, inputs=[str(tmp_path)])
    assert s["names"] == [str(tmp_path / "names.txt")]
    assert s.sources["names"] == str(cfg) and s.sources["grammar"] == str(cfg)
    assert s["fail-on"] == "reject" and s.sources["fail-on"] == "command line"
    assert s.sources["select"] == "default" and s["max-bytes"] == 1000
    assert resolve({}, inputs=[str(tmp_path)], isolated=True)["grammar"] == "auto"


def test_config_command(tmp_path):
    cfg = tmp_path / "detector.toml"
    cfg.write_text('ignore = ["NAM"]\n')
    r = run_cli("config", str(tmp_path))
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert f"# configuration file: {cfg}" in out
    assert f'ignore = ["NAM"]  # {cfg}' in out
    assert 'check-fail-on = "warning"  # default' in out
    r = run_cli("config", "--isolated", str(tmp_path))
    assert "# configuration file: none" in r.stdout.decode()


def test_config_max_bytes_applies(tmp_path, bad):
    (tmp_path / "detector.toml").write_text("max-bytes = 10\n")
    r = run_cli("check", "--no-grammar", str(bad))
    assert r.returncode == 3  # too big for the configured limit
    r = run_cli("check", "--no-grammar", "--max-bytes", "100000", str(bad))
    assert r.returncode == 1


def test_severities_in_order():
    assert SEVERITIES == ("info", "warning", "error")


# ------------------------------------------------------------------------------- progress


def _run_with_pty_stderr(args: list[str], stdout_path: Path) -> tuple[int, str]:
    """Run the CLI with stdout redirected to a file and stderr on a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    exe = Path(sys.executable).with_name("detector")
    env = dict(os.environ, COLUMNS="100", TERM="xterm")
    with open(stdout_path, "wb") as out:
        proc = subprocess.Popen([str(exe), *args], stdout=out, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    rc = proc.wait(timeout=120)
    os.close(master)
    return rc, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_on_stderr_terminal_when_stdout_is_redirected(tmp_path):
    files = []
    for i in range(6):
        p = tmp_path / f"a{i}.txt"
        p.write_text(GARBLED.replace("port", f"port {i}"), encoding="utf-8")
        files.append(str(p))
    out = tmp_path / "out.jsonl"
    rc, err = _run_with_pty_stderr(["score", "--no-grammar", "--isolated", "-f", "jsonl", *files], out)
    assert rc == 0
    assert "scoring" in err
    assert len(out.read_text().splitlines()) == 6  # stdout got only the results
    rc, err = _run_with_pty_stderr(["score", "--no-grammar", "--isolated", "-q", "-f", "jsonl", *files], out)
    assert "scoring" not in err


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    files = []
    for i in range(3):
        p = tmp_path / f"a{i}.txt"
        p.write_text(CLEAN, encoding="utf-8")
        files.append(str(p))
    r = run_cli("score", "--no-grammar", "--isolated", *files)
    assert r.returncode == 0 and r.stderr == b""


def _toy_training_rows(n: int = 16) -> str:
    """A tiny labelled set (JSONL): clean copy, and the same copy carrying page furniture twice."""
    sentences = [
        "The council met on Monday to discuss the budget.",
        "Residents raised concerns about parking near the school.",
        "The mayor said a decision would be made next month.",
        "A new library branch will open in the autumn.",
        "Local traders welcomed the plan to extend opening hours.",
        "Volunteers cleaned the beach on Saturday morning.",
        "The bus company announced a new timetable.",
        "Funding for the project comes from a regional grant.",
    ]
    rows = []
    for i in range(n):
        text = "Town news\n\n" + " ".join(sentences[(i + k) % len(sentences)] for k in range(5))
        if i % 2:
            text += "\n\nShare this post\n\nSkip to main content\n\n" + text
        rows.append({"text": text, "label": "unreliable" if i % 2 else "reliable", "group": f"g{i}"})
    return "".join(json.dumps(r) + "\n" for r in rows)


def _triage_dir(tmp_path: Path) -> Path:
    d = tmp_path / "feed"
    d.mkdir()
    for i in range(4):
        (d / f"a{i}.txt").write_text((GARBLED if i % 2 else CLEAN).replace("port", f"port {i}"), encoding="utf-8")
    return d


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_triage_progress_shows_each_phase_on_a_terminal_stderr(tmp_path):
    d = _triage_dir(tmp_path)
    out = tmp_path / "out.json"
    rc, err = _run_with_pty_stderr(["triage", str(d), "--no-state", "--no-grammar", "-f", "json"], out)
    assert rc == 0, err
    assert "reading" in err and "scoring" in err and "4/4" in err  # not stuck at the fetch/read phase
    assert len(json.loads(out.read_text())) == 4  # stdout got only the results
    rc, err = _run_with_pty_stderr(["triage", str(d), "--no-state", "--no-grammar", "-q", "-f", "json"], out)
    assert rc == 0 and "scoring" not in err and "reading" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_train_progress_reports_cross_validation_on_a_terminal_stderr(tmp_path):
    data = tmp_path / "toy.jsonl"
    data.write_text(_toy_training_rows(), encoding="utf-8")
    out = tmp_path / "card.json"
    args = ["train", str(data), "--model", str(tmp_path / "m.skops"), "--estimator", "logreg", "--json"]
    rc, err = _run_with_pty_stderr(args, out)
    assert rc == 0, err
    assert "features" in err and "cross-validating logreg" in err and "calibrating logreg" in err
    assert "fitting the final logreg model" in err
    assert json.loads(out.read_text())["estimator"]["chosen"] == "logreg"
    rc, err = _run_with_pty_stderr([*args, "-q"], out)
    assert rc == 0 and "cross-validating" not in err and "features" not in err


def test_triage_and_train_write_nothing_on_stderr_when_it_is_not_a_terminal(tmp_path):
    r = run_cli("triage", str(_triage_dir(tmp_path)), "--no-state", "--no-grammar", "-f", "json")
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    data = tmp_path / "toy.jsonl"
    data.write_text(_toy_training_rows(), encoding="utf-8")
    r = run_cli("train", str(data), "--model", str(tmp_path / "m.skops"), "--estimator", "logreg", "--json", "-q")
    assert r.returncode == 0 and r.stderr == b"", r.stderr


# ------------------------------------------------------------------------------- help


def _help(command: str, columns: int) -> str:
    r = subprocess.run(
        [str(Path(sys.executable).with_name("detector")), command, "--help"],
        capture_output=True, timeout=60, env=dict(os.environ, COLUMNS=str(columns), TERM="dumb"),
    )
    assert r.returncode == 0
    return r.stdout.decode()


@pytest.mark.parametrize(("command", "option"), [("score", "--select"), ("check", "--select"),
                                                 ("triage", "--dup-threshold")])
def test_help_fits_80_columns(command, option):
    out = _help(command, 80)
    assert option in out
    assert "…" not in out  # nothing cut mid-word
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("columns", [80, 120])
def test_triage_help_has_no_stray_line_break(columns):
    """Each paragraph of the description is wrapped by the terminal width only: no line of it
    ends far short of the width while its paragraph goes on (the old "could not" / "be read")."""
    out = _help("triage", columns)
    desc = out.split("╭")[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", desc) if p.strip() and "Usage:" not in p]
    assert len(paragraphs) == 3
    for para in paragraphs:
        lines = [ln.strip() for ln in para.splitlines()]
        for ln, nxt in zip(lines, lines[1:], strict=False):
            # the next line's first word would have fitted on this one: a hard break, not a wrap
            assert len(ln) + 1 + len(nxt.split()[0]) > columns - 4, (ln, nxt)
    assert "$DETECTOR_TRIAGE_STATE" in out


def test_mistyped_option_names_the_right_one(bad):
    r = _check("--formt", "json", str(bad))
    assert r.returncode == 2 and b"--format" in r.stderr


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.mark.shared
def test_check_github_annotations_on_the_seeds():
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"seed articles not found at {SEEDS}")
    r = run_cli("check", "--no-grammar", "--isolated", "--format", "github", *map(str, seeds))
    assert r.returncode == 1, r.stderr  # the seeds have warnings
    lines = r.stdout.decode().splitlines()
    assert len(lines) >= 10
    pat = re.compile(r"::(notice|warning|error) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[A-Z0-9_]+::.+")
    assert all(pat.fullmatch(line) for line in lines), [x for x in lines if not pat.fullmatch(x)][:3]
    assert {ln.split("file=")[1].split(",")[0] for ln in lines} <= {str(s) for s in seeds}
