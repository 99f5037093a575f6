"""LanguageTool provisioning and local server lifecycle.

Provisioning (:func:`install`) puts the pinned LanguageTool standalone release where
language-tool-python 3.4 expects it: ``$LTP_PATH/LanguageTool-<ver>/languagetool-server.jar``,
with ``$LTP_PATH`` = :func:`lt_home` (``user_cache_dir("detector")/languagetool``, or
``$DETECTOR_LT_HOME``). The archive comes from Maven Central
(``org.languagetool:languagetool-standalone:<ver>:zip``, via ``mvn``; taken straight from the
local Maven repository when it is already there) and its SHA-256 is checked against the value
pinned below; without Maven, language-tool-python's own (checksum-verified) download is used.
Extraction is safe (no absolute paths, ``..`` or links) and atomic (a temporary directory
renamed into place).

The server (:class:`LocalServer`) is one JVM per process (:func:`shared_server`, the process's
one instance; :func:`launch`, :func:`shutdown`), started lazily by the LanguageTool client
(:mod:`detector.lt_checker`) on the first cache miss: ``java -Xmx<mem> -cp languagetool-server.jar
org.languagetool.server.HTTPServer --port P --config <file>`` (language-tool-python's own
server command cannot take JVM options, so we start the process and talk to it as a
``remote_server``). It is health-checked, restarted on demand, and killed at exit (atexit,
SIGTERM/SIGHUP handlers, and on Linux ``PR_SET_PDEATHSIG`` so the JVM dies with us even if
Python is killed). ``detector languagetool serve`` keeps one running across invocations and
records it in a port file that :func:`discover_server` finds.

Environment:
  DETECTOR_LT_HOME         where LanguageTool is installed (default user cache dir)
  DETECTOR_LT_JVM_MEM      JVM heap cap, e.g. 1g, 768m (default 1g)
  DETECTOR_LT_THREADS      LanguageTool server check threads (default: CPU count)
  DETECTOR_LT_START_TIMEOUT seconds to wait for the JVM to come up (default 90)
  DETECTOR_LT_WARMUP       0 = skip the warm-up check made when the server starts
  DETECTOR_CACHE_DIR       root of detector's cache (default platformdirs user_cache_dir)
"""

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
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .io import file_sha256 as _sha256

LT_VERSION = "6.8"
MAVEN_GROUP = "org.languagetool"
MAVEN_ARTIFACT = "languagetool-standalone"
MAVEN_COORDS = f"{MAVEN_GROUP}:{MAVEN_ARTIFACT}:{LT_VERSION}:zip"
# Maven Central's languagetool-standalone-6.8.zip (not the languagetool.org zip, which differs).
MAVEN_ZIP_SHA256 = "f04aecf37e35ef17d44b336da9668a5a3a871edd14bd83a766a7e110b9ebcd21"
MAVEN_ZIP_SIZE = 258_509_167
JAR_NAME = "languagetool-server.jar"
MIN_JAVA = 17
DEFAULT_JVM_MEM = "1g"
SERVER_CLASS = "org.languagetool.server.HTTPServer"


class ProvisionError(RuntimeError):
    """LanguageTool could not be installed or started."""


# -- locations -------------------------------------------------------------------------------
def cache_root() -> Path:
    from .cache import cache_dir

    return cache_dir()


def lt_home() -> Path:
    """``$LTP_PATH`` for language-tool-python: the folder holding ``LanguageTool-<ver>/``."""
    env = os.environ.get("DETECTOR_LT_HOME")
    return Path(env) if env else cache_root() / "languagetool"


def install_dir(version: str = LT_VERSION) -> Path:
    return lt_home() / f"LanguageTool-{version}"


def jar_path(version: str = LT_VERSION) -> Path:
    return install_dir(version) / JAR_NAME


def is_installed(version: str = LT_VERSION) -> bool:
    return jar_path(version).is_file()


def port_file() -> Path:
    return cache_root() / "languagetool-server.json"


# -- java ------------------------------------------------------------------------------------
def java_version() -> tuple[int, str] | None:
    """(major version, first line of ``java -version``), or None when there is no Java."""
    java = shutil.which("java")
    if not java:
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (out.stderr or out.stdout or "").strip()
    m = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not m:
        return None
    major = int(m.group(1))
    if major == 1 and m.group(2):  # "1.8.0" style
        major = int(m.group(2))
    return major, text.splitlines()[0]


# -- provisioning ----------------------------------------------------------------------------


def _m2_candidates() -> list[Path]:
    rel = Path(*MAVEN_GROUP.split("."), MAVEN_ARTIFACT, LT_VERSION, f"{MAVEN_ARTIFACT}-{LT_VERSION}.zip")
    roots = []
    if os.environ.get("MAVEN_REPO_LOCAL"):
        roots.append(Path(os.environ["MAVEN_REPO_LOCAL"]))
    roots.append(Path.home() / ".m2" / "repository")
    return [r / rel for r in roots]


def _fetch_maven_zip(workdir: Path, log) -> Path:
    """The pinned zip from the local Maven repository, or fetched from Maven Central by mvn."""
    for cand in _m2_candidates():
        if cand.is_file() and cand.stat().st_size == MAVEN_ZIP_SIZE:
            log(f"using {cand} from the local Maven repository")
            return cand
    mvn = shutil.which("mvn")
    if not mvn:
        raise ProvisionError("Maven (mvn) not found")
    log(f"fetching {MAVEN_COORDS} from Maven Central with mvn ...")
    cmd = [
        mvn, "-q", "-B", "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy",
        f"-Dartifact={MAVEN_COORDS}", f"-DoutputDirectory={workdir}", "-Dmdep.overWriteReleases=true",
    ]  # fmt: skip
    if os.environ.get("MAVEN_REPO_LOCAL"):
        cmd.append(f"-Dmaven.repo.local={os.environ['MAVEN_REPO_LOCAL']}")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    out = workdir / f"{MAVEN_ARTIFACT}-{LT_VERSION}.zip"
    if proc.returncode != 0 or not out.is_file():
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise ProvisionError("mvn could not fetch LanguageTool: " + " / ".join(tail))
    return out


def safe_extract(zip_path: Path, dest: Path) -> None:
    """Extract ``zip_path`` into ``dest``, refusing absolute paths, ``..`` and symlinks."""
    dest = dest.resolve()
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            name = info.filename
            parts = Path(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise ProvisionError(f"unsafe path in archive: {name!r}")
            mode = (info.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise ProvisionError(f"symlink in archive: {name!r}")
            target = (dest / name).resolve()
            if target != dest and dest not in target.parents:
                raise ProvisionError(f"unsafe path in archive: {name!r}")
        z.extractall(dest)


def _install_from_zip(zip_path: Path, version: str, log) -> Path:
    size = zip_path.stat().st_size
    digest = _sha256(zip_path)
    if digest != MAVEN_ZIP_SHA256:
        raise ProvisionError(
            f"checksum mismatch for {zip_path}: sha256 {digest} ({size} bytes), expected {MAVEN_ZIP_SHA256}"
        )
    log(f"sha256 verified ({size:,} bytes); extracting ...")
    home = lt_home()
    home.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".extract-", dir=home))
    try:
        safe_extract(zip_path, tmp)
        src = tmp / f"LanguageTool-{version}"
        if not (src / JAR_NAME).is_file():
            raise ProvisionError(f"archive has no LanguageTool-{version}/{JAR_NAME}")
        final = install_dir(version)
        if final.exists():  # a broken earlier install (no jar): move it aside first
            shutil.rmtree(final)
        os.replace(src, final)
        return final
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _install_via_ltp(version: str, log) -> Path:
    """language-tool-python's own verified download into our folder (needs languagetool.org)."""
    log("Maven unavailable; using language-tool-python's download ...")
    os.environ["LTP_PATH"] = str(lt_home())
    lt_home().mkdir(parents=True, exist_ok=True)
    from language_tool_python.download_lt import LocalLanguageTool

    try:
        LocalLanguageTool.from_version_name(version).download()
    except Exception as e:  # noqa: BLE001 - any failure means "could not provision"
        raise ProvisionError(f"language-tool-python download failed: {e}") from e
    if not is_installed(version):
        raise ProvisionError("language-tool-python download did not produce the server jar")
    return install_dir(version)


def install(*, force: bool = False, log=None) -> Path:
    """Install the pinned LanguageTool (idempotent); return its directory."""
    log = log or (lambda msg: None)
    if is_installed() and not force:
        log(f"LanguageTool {LT_VERSION} already installed at {install_dir()}")
        return install_dir()
    if force and install_dir().exists():
        shutil.rmtree(install_dir())
    maven_error = None
    home = lt_home()
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".mvn-", dir=home) as work:
        try:
            zip_path = _fetch_maven_zip(Path(work), log)
        except ProvisionError as e:
            maven_error = e
        else:
            return _install_from_zip(zip_path, LT_VERSION, log)
    log(f"note: {maven_error}")
    return _install_via_ltp(LT_VERSION, log)


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
