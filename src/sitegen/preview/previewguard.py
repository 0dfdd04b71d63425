"""What keeps ``serve``'s preview to the people it is for.

- **Host check** (against DNS rebinding: a page on ``evil.example`` whose name is made to point at
  127.0.0.1 would otherwise read the unpublished preview): a request is answered only when its
  ``Host`` names the loopback (``127.0.0.1`` and the rest of 127/8, ``localhost``, ``[::1]``), the
  ``--host`` given, or, when ``--host`` is ``0.0.0.0``/``::`` (shared on the office network), this
  computer's name (``name``, ``name.local``) or the address the request arrived at; with or without
  the port, in any case. Anything else gets a 403 with a short zh/en text.
- **Origin check** for the livereload socket: the same rule applied to the host of ``Origin``; a
  socket without ``Origin`` (not a browser) is allowed.
- **Limits**: at most :data:`MAX_CONNECTIONS` open connections (websockets included, each beyond
  gets a 503 and is closed), at most :data:`MAX_SOCKETS` livereload sockets, idle connections
  closed after :data:`IDLE_S`.
- **Headers** on every answer: the Content-Security-Policy of the page (the one its
  ``<meta http-equiv>`` carries, :data:`CSP` for everything else, :data:`SEARCH_WORKER_CSP` for the
  site search's worker), ``nosniff``, ``no-referrer``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import socket
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

import tornado.http1connection
import tornado.httpserver
import tornado.httputil
import tornado.iostream
import tornado.web

MAX_CONNECTIONS = 128
"""Open TCP connections, websockets included (a browser opens at most 6 per host, plus one socket per tab)."""
MAX_SOCKETS = 64
"""Open livereload sockets: one per preview tab."""
IDLE_S = 60.0
"""A connection that sends nothing for this long is closed (browsers open a new one when they need it)."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
"""The policy of the default theme's pages (``templates/base.html``), sent with what has no policy of its own."""

SEARCH_WORKER = "/pagefind/pagefind-worker.js"
"""The site search's web worker (:mod:`sitegen.site.search`): a worker obeys the policy sent with its script."""
SEARCH_WORKER_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
""":data:`CSP` with WebAssembly allowed, which Pagefind's worker compiles; for that one script only."""

HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Content-Security-Policy": CSP}

LOOPBACK_NAMES = frozenset({"localhost"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})

FORBIDDEN = (
    "403 禁止访问：本预览只回应本机的地址（127.0.0.1、localhost）。"
    "要让同一网络的同事也能看到，请用 --host 0.0.0.0 启动 serve。\n"
    "403 Forbidden: this preview answers only the addresses of this computer (127.0.0.1, localhost). "
    "To let colleagues on your network see it, start serve with --host 0.0.0.0.\n"
).encode()
CROSS_ORIGIN = (
    "403 拒绝：这个连接来自别的网站的页面。\n403 Refused: this connection comes from a page of another site.\n"
).encode()
BUSY_TEXT = (
    "503 服务器繁忙：与预览的连接太多，请关闭一些预览标签页后再试。\n"
    "503 Busy: too many open connections to the preview; close some preview tabs and try again.\n"
).encode()
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"X-Content-Type-Options: nosniff\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BUSY_TEXT), BUSY_TEXT)
)

_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::[0-9]{1,5})?")
_META_CSP = re.compile(rb"<meta\s[^>]*http-equiv=[\"']?content-security-policy[\"'\s>][^>]*>", re.IGNORECASE)
_CONTENT = re.compile(rb"\bcontent=(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)


def canonical(name: str) -> str:
    """A host name lower-cased without a final dot, an address in its standard form (IPv4-mapped as IPv4)."""
    name = name.strip().lower().removeprefix("[").removesuffix("]").removesuffix(".")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return str(mapped or address)


def host_name(value: str) -> str | None:
    """The host of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), canonical; ``None`` if malformed."""
    match = _HOST.fullmatch(value.strip().lower())
    if not match:
        return None
    if match["ip6"]:
        try:
            ipaddress.IPv6Address(match["ip6"])
        except ValueError:
            return None
    return canonical(match["ip6"] or match["name"]) or None


def _is_loopback(name: str) -> bool:
    if name in LOOPBACK_NAMES:
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(name).is_loopback
    return False


@dataclass(frozen=True)
class Hosts:
    """The host names the preview answers to."""

    names: frozenset[str]
    """Besides the loopback: ``--host``, and this computer's names when it listens on every address."""
    arrival_address: bool = False
    """Also the address a request arrived at (when listening on every address)."""

    @classmethod
    def for_listening(cls, host: str, machine_name: str | None = None) -> Hosts:
        """The names for ``--host host``; ``machine_name`` defaults to this computer's (``socket.gethostname``)."""
        if canonical(host) not in WILDCARDS:
            return cls(frozenset({canonical(host)}))
        full = canonical(machine_name if machine_name is not None else socket.gethostname())
        short = full.split(".")[0]
        return cls(frozenset(name for name in (full, short, short + ".local") if name), arrival_address=True)

    def allows(self, host: str | None, arrived_at: str | None = None) -> bool:
        """Whether to answer a request whose ``Host`` header is ``host`` (a missing one is a non-browser client's)."""
        if host is None:
            return True
        name = host_name(host)
        if name is None:
            return False
        if _is_loopback(name) or name in self.names:
            return True
        return self.arrival_address and arrived_at is not None and name == canonical(arrived_at)

    def allows_origin(self, origin: str, arrived_at: str | None = None) -> bool:
        """Whether a websocket from a page at ``origin`` (``scheme://host[:port]``) may connect."""
        try:
            parts = urlsplit(origin.strip())
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            return False
        return self.allows(parts.netloc, arrived_at)


def page_policy(html: bytes) -> str:
    """The Content-Security-Policy a page's ``<meta http-equiv>`` carries, else :data:`CSP`."""
    meta = _META_CSP.search(html[:8192])
    content = _CONTENT.search(meta[0]) if meta else None
    if not content:
        return CSP
    policy = " ".join(unescape((content[1] or content[2] or b"").decode("utf-8", "replace")).split())
    return policy if policy and policy.isascii() else CSP


def arrival_address(request: tornado.httputil.HTTPServerRequest) -> str | None:
    """The local address the request's connection came in on."""
    connection = request.connection
    if not isinstance(connection, tornado.http1connection.HTTP1Connection):
        return None
    with contextlib.suppress(OSError, AttributeError, IndexError):
        return str(connection.stream.socket.getsockname()[0])
    return None


class GuardedHandler(tornado.web.RequestHandler):
    """Security headers on every answer; 403 for a ``Host`` that is not the preview's.

    Reads the :class:`Hosts` from the application setting ``hosts``.
    """

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        for name, value in HEADERS.items():
            self.set_header(name, value)

    def prepare(self) -> None:
        if refused := self.refusal():
            self.refuse(*refused)

    def refusal(self) -> tuple[int, bytes] | None:
        """The status and text to refuse this request with, or ``None`` to answer it."""
        hosts: Hosts = self.settings["hosts"]
        if not hosts.allows(self.request.headers.get("Host"), arrival_address(self.request)):
            return 403, FORBIDDEN
        return None

    def refuse(self, status: int, text: bytes) -> None:
        """Answer ``status`` with a short plain text and nothing of the site."""
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text)


class CappedHTTPServer(tornado.httpserver.HTTPServer):
    """An HTTP server that holds at most ``max_connections`` connections; the next ones get a 503."""

    def initialize(self, *args: object, max_connections: int = MAX_CONNECTIONS, **kwargs: object) -> None:
        kwargs.setdefault("idle_connection_timeout", IDLE_S)
        kwargs.setdefault("max_header_size", 64 * 1024)
        kwargs.setdefault("max_body_size", 64 * 1024)  # the preview takes no uploads
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self.streams: set[tornado.iostream.IOStream] = set()

    def handle_stream(self, stream: tornado.iostream.IOStream, address: tuple) -> None:
        self.streams = {open_ for open_ in self.streams if not open_.closed()}
        if len(self.streams) >= self.max_connections:
            _busy(stream)
            return
        self.streams.add(stream)
        super().handle_stream(stream, address)


def _busy(stream: tornado.iostream.IOStream) -> None:
    def close(sent: asyncio.Future[None]) -> None:
        if not sent.cancelled():
            sent.exception()  # retrieved: a client that is gone already is no error
        stream.close()

    try:
        stream.write(BUSY).add_done_callback(close)
    except tornado.iostream.StreamClosedError:
        stream.close()
