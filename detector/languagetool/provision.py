"""Provisioning LanguageTool: the pinned release, where it lives, installing it (from the local
Maven repository or Maven Central with a checked SHA-256, else language-tool-python's own
download) with safe, atomic extraction, and the Java check. See :mod:`detector.languagetool`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..io import file_sha256 as _sha256

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
    from ..cache import cache_dir

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


