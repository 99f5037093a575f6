"""The local LanguageTool server: one JVM per process on a loopback port (:class:`LocalServer`,
:func:`shared_server`, :func:`launch`, :func:`shutdown`), its health and version checks, exit
hooks that stop it with us, and the port file of a server kept running by ``detector
languagetool serve`` (:func:`discover_server`). See :mod:`detector.languagetool`."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .provision import (
    DEFAULT_JVM_MEM,
    LT_VERSION,
    SERVER_CLASS,
    ProvisionError,
    is_installed,
    jar_path,
    lt_home,
    port_file,
)


# -- server ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pdeathsig_hook():
    """A pre-exec hook asking Linux to SIGTERM the JVM when its parent dies (PR_SET_PDEATHSIG).

    libc and prctl are resolved here, in the parent, so the child only makes the call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    sig = int(signal.SIGTERM)

    def hook() -> None:  # runs in the child between fork and exec
        prctl(1, sig, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG

    return hook


def jvm_mem() -> str:
    mem = os.environ.get("DETECTOR_LT_JVM_MEM", DEFAULT_JVM_MEM).strip()
    if not re.fullmatch(r"\d+[kKmMgG]?", mem):
        raise ProvisionError(f"DETECTOR_LT_JVM_MEM={mem!r} is not a JVM size like 1g or 768m")
    return mem


def server_threads() -> int:
    return int(os.environ.get("DETECTOR_LT_THREADS") or max(2, os.cpu_count() or 2))


def health(url: str, timeout: float = 2.0) -> bool:
    """True when a LanguageTool server answers at ``url`` (``http://host:port``)."""
    import httpx

    try:
        r = httpx.get(url.rstrip("/") + "/v2/healthcheck", timeout=timeout)
        return r.status_code == 200
    except httpx.HTTPError:
        return False


def server_version(url: str, timeout: float = 5.0) -> str | None:
    import httpx

    try:
        r = httpx.post(
            url.rstrip("/") + "/v2/check", data={"text": "x", "language": "en-US"}, timeout=timeout
        )
        return r.json().get("software", {}).get("version")
    except (httpx.HTTPError, ValueError):
        return None


_LIVE: set[LocalServer] = set()
_LIVE_LOCK = threading.Lock()
_HOOKS_INSTALLED = False


def _shutdown_all() -> None:
    with _LIVE_LOCK:
        servers = list(_LIVE)
    for s in servers:
        s.stop()


def _install_exit_hooks() -> None:
    """atexit + SIGTERM/SIGHUP -> normal exit (so atexit runs and the JVM is killed)."""
    global _HOOKS_INSTALLED
    if _HOOKS_INSTALLED:
        return
    _HOOKS_INSTALLED = True
    atexit.register(_shutdown_all)
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is None:
            continue
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, _exit_on_signal)


def install_exit_hooks() -> None:
    """Install the exit hooks now (from the main thread; idempotent). Safe to call early."""
    with contextlib.suppress(Exception):
        _install_exit_hooks()


def _exit_on_signal(signum, frame):  # noqa: ARG001
    _shutdown_all()
    sys.exit(128 + signum)


@dataclass
class ServerInfo:
    url: str
    pid: int | None
    version: str


class LocalServer:
    """One LanguageTool JVM on a loopback port, owned by this process."""

    def __init__(self, *, mem: str | None = None, threads: int | None = None, port: int | None = None):
        self.mem = mem or jvm_mem()
        self.threads = threads or server_threads()
        self.fixed_port = port
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self._lock = threading.Lock()
        self._config_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _write_config(self) -> Path:
        # Server options (LanguageTool's --config properties file).
        cfg = {
            "maxCheckThreads": self.threads,
            "maxTextLength": 1_000_000,
            "maxWorkQueueSize": 1000,
            "cacheSize": 0,  # detector keeps its own on-disk cache
            "pipelineCaching": "true",
            "maxPipelinePoolSize": 4 * self.threads,
        }
        fd, name = tempfile.mkstemp(prefix="detector-lt-", suffix=".properties")
        with os.fdopen(fd, "w") as f:
            for k, v in cfg.items():
                f.write(f"{k}={v}\n")
        return Path(name)

    def command(self, port: int) -> list[str]:
        java = shutil.which("java")
        if not java:
            raise ProvisionError("Java not found")
        if not is_installed():
            raise ProvisionError(f"LanguageTool {LT_VERSION} is not installed in {lt_home()}")
        if self._config_path is None:
            self._config_path = self._write_config()
        return [
            java, f"-Xmx{self.mem}", "-XX:+UseSerialGC", "-Xss2m", "-Djava.awt.headless=true",
            "-cp", str(jar_path()), SERVER_CLASS,
            "--port", str(port), "--config", str(self._config_path),
        ]  # fmt: skip

    def start(self, timeout: float | None = None) -> None:
        """Start (or restart) the JVM and wait until it answers its health check."""
        timeout = timeout or float(os.environ.get("DETECTOR_LT_START_TIMEOUT", "90"))
        with self._lock:
            if self.alive() and health(self.url):
                return
            self._kill()
            _install_exit_hooks()
            last = None
            for _attempt in range(3):
                port = self.fixed_port or _free_port()
                cmd = self.command(port)
                kwargs = {}
                hook = _pdeathsig_hook()
                if hook is not None:
                    kwargs["preexec_fn"] = hook
                self.proc = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs
                )
                self.port = port
                with _LIVE_LOCK:
                    _LIVE.add(self)
                self.starts += 1
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    if self.proc.poll() is not None:
                        err = (
                            (self.proc.stderr.read() or b"").decode(errors="replace")
                            if self.proc.stderr
                            else ""
                        )
                        last = f"LanguageTool server exited with code {self.proc.returncode}: {err.strip()[-400:]}"
                        break
                    if health(self.url, timeout=1.0):
                        # stderr is no longer needed; stop buffering it so the JVM never blocks.
                        threading.Thread(target=_drain, args=(self.proc.stderr,), daemon=True).start()
                        self._warm_up()
                        return
                    time.sleep(0.2)
                else:
                    last = f"LanguageTool server did not answer within {timeout:.0f} s"
                self._kill()
            raise ProvisionError(last or "LanguageTool server could not be started")

    def _warm_up(self) -> None:
        """The first check loads dictionaries and models (seconds); do it as part of starting."""
        import httpx

        if os.environ.get("DETECTOR_LT_WARMUP", "1") == "0":
            return
        lang = os.environ.get("DETECTOR_LT_LANGUAGE") or "en-US"
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                self.url + "/v2/check", data={"text": "He go to school.", "language": lang}, timeout=120
            )

    def _kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc.stderr:
            with contextlib.suppress(OSError):
                proc.stderr.close()

    def stop(self) -> None:
        with self._lock:
            self._kill()
            with _LIVE_LOCK:
                _LIVE.discard(self)
            if self._config_path is not None:
                with contextlib.suppress(OSError):
                    self._config_path.unlink()
                self._config_path = None

    def rss_kib(self) -> int | None:
        """Resident memory of the JVM (VmRSS from /proc), in KiB."""
        if not self.alive():
            return None
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None


def _drain(stream) -> None:
    if stream is None:
        return
    with contextlib.suppress(Exception):
        while stream.read(65536):
            pass


# -- a shared server recorded in a port file (`detector languagetool serve`) -----------------
def record_server(url: str, pid: int) -> None:
    path = port_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"url": url, "pid": pid, "version": LT_VERSION}))
    os.replace(tmp, path)


def forget_server(pid: int) -> None:
    path = port_file()
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text()).get("pid") == pid:
            path.unlink()


def discover_server() -> str | None:
    """URL of a healthy server started by ``detector languagetool serve``, if any."""
    path = port_file()
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    url, pid = info.get("url"), info.get("pid")
    if not url or info.get("version") != LT_VERSION:
        return None
    if pid:
        try:
            os.kill(int(pid), 0)
        except (OSError, ValueError):
            return None
    return url if health(url, timeout=1.0) else None


# -- the process's shared local server ------------------------------------------------------------
# One local server per process, started on the first cache miss of a checker
# (:class:`detector.lt_checker.LanguageToolChecker` with no URL) and stopped at exit.
_SERVER: LocalServer | None = None
_SERVER_LOCK = threading.Lock()
_LAUNCHER = None  # a one-thread ThreadPoolExecutor, created on the first launch


def shared_server() -> LocalServer:
    """The process's one local LanguageTool server object (not started until needed)."""
    global _SERVER
    with _SERVER_LOCK:
        if _SERVER is None:
            _SERVER = LocalServer()
        return _SERVER


def launch(server: LocalServer) -> None:
    """Start the JVM from one long-lived thread, so Linux's parent-death signal (tied to the
    thread that forked) only fires when the process ends."""
    global _LAUNCHER
    with _SERVER_LOCK:
        if _LAUNCHER is None:
            from concurrent.futures import ThreadPoolExecutor

            _LAUNCHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lt-launcher")
    _LAUNCHER.submit(server.start).result()


def shutdown() -> None:
    """Stop the shared local server now (it is also stopped at exit)."""
    if _SERVER is not None:
        _SERVER.stop()
