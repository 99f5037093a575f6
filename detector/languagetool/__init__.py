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

The package: :mod:`.provision` (release, locations, install, Java) and :mod:`.server` (the JVM
process, health, the shared server); every public name is importable from here.
"""

from __future__ import annotations

from .provision import (
    DEFAULT_JVM_MEM,
    JAR_NAME,
    LT_VERSION,
    MAVEN_ARTIFACT,
    MAVEN_COORDS,
    MAVEN_GROUP,
    MAVEN_ZIP_SHA256,
    MAVEN_ZIP_SIZE,
    MIN_JAVA,
    SERVER_CLASS,
    ProvisionError,
    cache_root,
    install,
    install_dir,
    is_installed,
    jar_path,
    java_version,
    lt_home,
    port_file,
    safe_extract,
)
from .server import (
    LocalServer,
    ServerInfo,
    discover_server,
    forget_server,
    health,
    install_exit_hooks,
    jvm_mem,
    launch,
    record_server,
    server_threads,
    server_version,
    shared_server,
    shutdown,
)

__all__ = [
    "DEFAULT_JVM_MEM", "JAR_NAME", "LT_VERSION", "MAVEN_ARTIFACT", "MAVEN_COORDS", "MAVEN_GROUP",
    "MAVEN_ZIP_SHA256", "MAVEN_ZIP_SIZE", "MIN_JAVA", "SERVER_CLASS", "LocalServer", "ProvisionError",
    "ServerInfo", "cache_root", "discover_server", "forget_server", "health", "install", "install_dir",
    "install_exit_hooks", "is_installed", "jar_path", "java_version", "jvm_mem", "launch", "lt_home",
    "port_file", "record_server", "safe_extract", "server_threads", "server_version", "shared_server",
    "shutdown",
]
