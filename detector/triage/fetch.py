"""Safe HTTP fetching for triage: address checks, redirect/size/time caps.

Every hop of a fetch is checked before a connection is made:

- only ``http``/``https`` URLs;
- the host name is resolved and *every* resolved address must be a public (global unicast)
  address unless ``allow_private`` is set (loopback, private, link-local, shared, reserved,
  multicast and unspecified addresses are refused);
- the connection is then made to the checked address itself (the request URL carries the IP,
  the ``Host`` header and TLS SNI/certificate check carry the name), so a second DNS answer
  cannot swap in another address (DNS rebinding);
- redirects are followed by hand, at most ``max_redirects`` times, each hop checked again;
- the body is streamed and abandoned past ``max_bytes`` (``Content-Length`` is checked first),
  and the whole fetch must finish within ``total_timeout`` seconds.

Environment proxies are ignored (``trust_env=False``): a proxy would bypass the address check.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from .. import __version__

REDIRECT_CODES = {301, 302, 303, 307, 308}
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)


class FetchError(Exception):
    """A fetch failed; the message is one line saying why."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    allow_private: bool = False
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    timeout: float = 10.0  # connect / read / write, per operation
    total_timeout: float = 30.0  # the whole fetch, redirects included
    user_agent: str = f"detector-triage/{__version__}"


@dataclass(slots=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int
    content_type: str
    charset: str | None
    content: bytes

    def text(self) -> str:
        """The body decoded as a browser would: BOM, then the HTTP charset, then (HTML) the
        ``<meta charset>`` declaration, then UTF-8 if valid, then detection (charset-normalizer);
        undecodable bytes become U+FFFD."""
        from ..io import decode_html, detect_charset, html_codec

        if self.content_type in HTML_TYPES:
            text = decode_html(self.content, self.url, declared=self.charset)
            if isinstance(text, str):
                return text
        for bom, codec in (("\ufeff".encode("utf-8"), "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if self.content.startswith(bom):
                return self.content[len(bom) :].decode(codec, "replace")
        codec = html_codec(self.charset)
        if codec is None:
            try:
                return self.content.decode("utf-8")
            except UnicodeDecodeError:
                codec = detect_charset(self.content) or "utf-8"
        return self.content.decode(codec, "replace")


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` may not be fetched from by default (None if it is a public address)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_problem(ip.ipv4_mapped)
    for attr, label in (
        ("is_loopback", "loopback"),
        ("is_private", "private"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return label
    if not ip.is_global:
        return "non-public"
    return None


def resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"cannot resolve host {host!r}: {getattr(e, 'strerror', None) or e}") from None
    out: list[str] = []
    for info in infos:
        addr = info[4][0].split("%", 1)[0]  # drop an IPv6 zone id
        if addr not in out:
            out.append(addr)
    if not out:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    return out


def _content_type(resp: httpx.Response) -> tuple[str, str | None]:
    raw = resp.headers.get("content-type", "")
    mime = raw.split(";", 1)[0].strip().lower()
    m = re.search(r"charset\s*=\s*\"?([^\";\s]+)", raw, re.IGNORECASE)
    return mime, (m.group(1) if m else None)


class Fetcher:
    """A reusable, thread-safe safe fetcher. Use as a context manager or call :meth:`close`."""

    def __init__(self, policy: FetchPolicy | None = None, *, resolver=resolve):
        self.policy = policy or FetchPolicy()
        self._resolve = resolver
        p = self.policy
        self._client = httpx.Client(
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(p.timeout),
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "identity"},
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=0),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- checks ---------------------------------------------------------------------------------
    def check_url(self, url: str) -> tuple[httpx.URL, list[str]]:
        """Parse and vet one hop; return the URL and the addresses that may be connected to."""
        try:
            u = httpx.URL(url)
        except Exception as e:  # httpx.InvalidURL and friends
            raise FetchError(f"invalid URL ({e})") from None
        if u.scheme not in ("http", "https"):
            raise FetchError(f"refused: unsupported URL scheme {u.scheme or '(none)'!r} (only http/https)")
        if not u.host:
            raise FetchError("invalid URL (no host)")
        port = u.port or (443 if u.scheme == "https" else 80)
        addrs = self._resolve(u.host, port)
        if not self.policy.allow_private:
            for a in addrs:
                problem = address_problem(ipaddress.ip_address(a))
                if problem:
                    raise FetchError(
                        f"refused: {u.host} resolves to {a}, a {problem} address "
                        "(pass --allow-private to fetch from private networks)"
                    )
        return u, addrs

    # -- fetching -------------------------------------------------------------------------------
    def get(
        self, url: str, *, accept: tuple[str, ...] | None = None, max_bytes: int | None = None
    ) -> FetchResult:
        """GET ``url`` under the policy. ``accept``: allowed MIME types (None: any)."""
        p = self.policy
        limit = max_bytes or p.max_bytes
        deadline = time.monotonic() + p.total_timeout
        current = url
        for _hop in range(p.max_redirects + 1):
            u, addrs = self.check_url(current)
            resp_info = self._get_pinned(u, addrs, limit, deadline)
            if isinstance(resp_info, str):  # a redirect target
                current = urljoin(str(u), resp_info)
                continue
            status, mime, charset, body = resp_info
            if accept is not None and mime and mime not in accept:
                raise FetchError(f"unexpected content type {mime!r} (expected {', '.join(accept)})")
            return FetchResult(url=str(u), status=status, content_type=mime, charset=charset, content=body)
        raise FetchError(f"too many redirects (more than {p.max_redirects})")

    def _get_pinned(self, u: httpx.URL, addrs: list[str], limit: int, deadline: float):
        last_error: Exception | None = None
        for addr in addrs:
            pinned = u.copy_with(host=addr)
            host_header = u.netloc.decode("ascii", "ignore").rsplit("@", 1)[-1]
            request = self._client.build_request(
                "GET",
                pinned,
                headers={"Host": host_header},
                extensions={"sni_hostname": u.host} if u.scheme == "https" else {},
            )
            try:
                return self._send(request, limit, deadline)
            except FetchError:
                raise
            except httpx.ConnectError as e:  # try the next address
                last_error = e
                continue
            except httpx.TimeoutException:
                raise FetchError(f"timed out connecting to or reading from {u.host}") from None
            except httpx.HTTPError as e:
                raise FetchError(f"{type(e).__name__}: {e}") from None
        detail = str(last_error) or type(last_error).__name__
        raise FetchError(f"connection failed ({detail})")

    def _send(self, request: httpx.Request, limit: int, deadline: float):
        resp = self._client.send(request, stream=True)
        try:
            if resp.status_code in REDIRECT_CODES:
                loc = resp.headers.get("location")
                if not loc:
                    raise FetchError(f"HTTP {resp.status_code} redirect without a Location header")
                return loc
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"too large ({int(declared)} bytes > {limit} byte limit)")
            chunks, total = [], 0
            for chunk in resp.iter_bytes():
                total += len(chunk)
                if total > limit:
                    raise FetchError(f"too large (more than {limit} bytes)")
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {self.policy.total_timeout:g} s")
                chunks.append(chunk)
            mime, charset = _content_type(resp)
            return resp.status_code, mime, charset, b"".join(chunks)
        finally:
            resp.close()
