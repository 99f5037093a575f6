"""LanguageTool provisioning (safe, verified, atomic) and server lifecycle (no orphaned JVMs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from conftest import require_languagetool

from detector import languagetool as lt


def _require_lt():
    require_languagetool()


# -- provisioning ----------------------------------------------------------------------------
def _zip(path: Path, entries: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            z.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("bad", ["../evil.txt", "LanguageTool-6.8/../../evil.txt", "/abs/evil.txt"])
def test_safe_extract_refuses_path_traversal(tmp_path, bad):
    z = _zip(tmp_path / "bad.zip", {"LanguageTool-6.8/ok.txt": b"ok", bad: b"evil"})
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(lt.ProvisionError):
        lt.safe_extract(z, dest)
    assert not (tmp_path / "evil.txt").exists()
    assert not any(dest.rglob("*"))  # checked before anything is written


def test_safe_extract_refuses_symlinks(tmp_path):
    z = _zip(tmp_path / "link.zip", {"LanguageTool-6.8/ok.txt": b"ok"}, symlink="LanguageTool-6.8/link")
    with pytest.raises(lt.ProvisionError, match="symlink"):
        lt.safe_extract(z, tmp_path)


def test_checksum_mismatch_is_refused_and_nothing_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_LT_HOME", str(tmp_path / "home"))
    z = _zip(tmp_path / "fake.zip", {"LanguageTool-6.8/languagetool-server.jar": b"not a jar"})
    with pytest.raises(lt.ProvisionError, match="checksum"):
        lt.provision._install_from_zip(z, lt.LT_VERSION, log=lambda m: None)
    assert not lt.is_installed()


def test_install_layout_matches_language_tool_python(monkeypatch):
    """language-tool-python 3.4 finds our install when LTP_PATH points at lt_home()."""
    _require_lt()
    monkeypatch.setenv("LTP_PATH", str(lt.lt_home()))
    from language_tool_python.download_lt import LocalLanguageTool

    assert LocalLanguageTool.from_version_name(lt.LT_VERSION).get_jar_path() == lt.jar_path()
    assert lt.install(log=lambda m: None) == lt.install_dir()  # idempotent, no re-download


def test_jvm_memory_option(monkeypatch):
    monkeypatch.setenv("DETECTOR_LT_JVM_MEM", "768m")
    assert lt.jvm_mem() == "768m"
    monkeypatch.setenv("DETECTOR_LT_JVM_MEM", "lots")
    with pytest.raises(lt.ProvisionError):
        lt.jvm_mem()


# -- lifecycle: no orphaned Java processes ---------------------------------------------------
CHILD = textwrap.dedent(
    """
    import sys, time
    from detector import languagetool as lt
    srv = lt.shared_server()
    lt.launch(srv)
    print(srv.pid, flush=True)
    if sys.argv[1] == "wait":
        time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "State:\tZ" not in f.read()
    except OSError:
        return False


def _wait_gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


# the JVM started the way `detector score` starts it: by api.analyse, whose grammar check runs in
# a worker thread while the other families run (signal hooks must still come from the main thread)
CHILD_API = textwrap.dedent(
    """
    import os, sys, threading, time
    from detector import api
    from detector import languagetool as lt
    api.analyse(["He go to school every day."], grammar="require", cache=False)
    srv = lt.shared_server()
    print(srv.pid, flush=True)
    time.sleep(600)
    """
)


@pytest.mark.languagetool
def test_no_orphaned_jvm_when_started_from_the_grammar_worker_thread(tmp_path):
    _require_lt()
    env = dict(os.environ, DETECTOR_LT_WARMUP="0", DETECTOR_LT_CACHE=str(tmp_path / "lt.sqlite3"))
    p = subprocess.Popen([sys.executable, "-c", CHILD_API], stdout=subprocess.PIPE, text=True, env=env)
    jvm = 0
    try:
        jvm = int(p.stdout.readline())
        assert _alive(jvm)
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=30) == 128 + signal.SIGTERM  # our hook ran: clean shutdown, not a kill
        assert _wait_gone(jvm), f"LanguageTool JVM {jvm} outlived its parent"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        if jvm and _alive(jvm):
            os.kill(jvm, signal.SIGKILL)


@pytest.mark.languagetool
@pytest.mark.parametrize("how", ["exit", "sigterm", "sigkill"])
def test_no_orphaned_jvm(how):
    _require_lt()
    env = dict(os.environ, DETECTOR_LT_WARMUP="0")
    p = subprocess.Popen(
        [sys.executable, "-c", CHILD, "exit" if how == "exit" else "wait"],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    jvm = 0
    try:
        jvm = int(p.stdout.readline())
        assert _alive(jvm)
        if how == "sigterm":
            p.send_signal(signal.SIGTERM)
        elif how == "sigkill":
            p.kill()  # Python gets no chance to clean up: the parent-death signal must do it
        p.wait(timeout=30)
        assert _wait_gone(jvm), f"LanguageTool JVM {jvm} outlived its parent ({how})"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        if jvm and _alive(jvm):  # never leave one behind, even when the test fails
            os.kill(jvm, signal.SIGKILL)
