"""``serve``: the site in a browser, rebuilt and reloaded on every save, problems shown on the page.

Three parts, two threads:

- The **event loop** (main thread, tornado): serves the last good site from memory under its base
  path, with the livereload script and, while the last build failed, the problems injected into
  every HTML page (:mod:`sitegen.preview.overlay`); speaks the livereload protocol on ``/livereload`` and
  serves livereload's own client script at ``/livereload.js``.
- The **build thread** (:class:`LiveBuilder`): polls the content and templates every 50 ms
  (:mod:`sitegen.preview.watcher`), waits for 100 ms without changes, rebuilds incrementally
  (:mod:`sitegen.preview.incremental`) and hands the result to the loop (``IOLoop.add_callback``), which
  sends every connected browser a reload. A save during a build is seen by the next poll and
  builds again. There is no minimum time between reloads.
- The terminal gets one report per build: what changed and how long it took, or the problems in
  the same format as ``check``.

Who may see it (the ``Host`` and ``Origin`` checks, connection limits, security headers):
:mod:`sitegen.preview.previewguard`.

Why not ``livereload.Server``: its watcher polls every 800 ms, it drops a reload that comes within
3 s of the previous one, it builds on the event loop (a slow build blocks every request), injects
its script only when ``</head>`` is in the first chunk, and keeps its browsers in class-level
state. Only its client script is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import importlib.util
import json
import socket
import threading
import webbrowser
from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import tornado.netutil
import tornado.web
import tornado.websocket
from tornado.ioloop import IOLoop

from ..content.drafts import PREVIEW, Unpublished
from ..errors import ContentError, UsageError, display_path
from ..site.buildcache import BuildCache
from .livebuild import LiveBuilder, Snapshot
from .overlay import CSS_PATH, OVERLAY_CSS, decorate, error_page, reload_script
from .previewguard import (
    BUSY_TEXT,
    CROSS_ORIGIN,
    IDLE_S,
    MAX_SOCKETS,
    SEARCH_WORKER,
    SEARCH_WORKER_CSP,
    CappedHTTPServer,
    GuardedHandler,
    Hosts,
    arrival_address,
    page_policy,
)

WAIT_S = 60.0
"""How long a request waits for a build in progress (it then gets the last good site)."""

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
"""Explicit, because Windows' registry often maps ``.js`` to ``text/plain``."""


@dataclass(frozen=True)
class Response:
    """An answer of the preview server."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def respond(snapshot: Snapshot, raw_path: str, port: int) -> Response:
    """What the preview answers for the (still percent-encoded) request path."""
    script = reload_script(port, snapshot.generation)
    if not snapshot.files:
        lang = "en" if "/en/" in raw_path else "zh"
        if snapshot.problems:
            return Response(500, error_page(script, snapshot.problems, lang))
        return Response(503, error_page(script, (BUILDING,), lang))
    files = ChainMap(snapshot.files, snapshot.retired) if snapshot.retired else snapshot.files
    kind, value = locate(files, snapshot.base_path, snapshot.old_bases, raw_path)
    if kind == "redirect":
        return Response(302, location=value)
    if kind == "file":
        body = files[value]
        content_type = TYPES.get(Path(value).suffix.lower(), "application/octet-stream")
        if value.endswith(".html"):
            body = decorate(body, script, snapshot.problems)
        return Response(200, body, content_type)
    return Response(404, decorate(snapshot.files.get("404.html", b"Not found"), script, snapshot.problems))


BUILDING = ContentError("content", 0, 0, "正在生成网站，请稍候……", "Building the site, one moment...")


def locate(files: Mapping[str, bytes], base: str, old_bases: tuple[str, ...], raw_path: str) -> tuple[str, str]:
    """``("file", name)``, ``("redirect", url)`` or ``("missing", "")`` for a request path.

    Only names of the built site can be served; ``.``/``..`` segments (also percent-encoded),
    backslashes and malformed encodings are refused, whatever the files hold.
    """
    if raw_path + "/" == base or raw_path == "/":
        return ("redirect", base) if base != "/" else ("file", "index.html")
    for old in old_bases:  # site.yaml's base_url changed while a browser was open
        if old != base and raw_path.startswith(old):
            return "redirect", base + raw_path[len(old) :]
    if not raw_path.startswith(base):
        return "missing", ""
    try:
        rest = unquote(raw_path[len(base) :], errors="strict")
    except UnicodeDecodeError:
        return "missing", ""
    if any(part in (".", "..") for part in rest.split("/")) or "\\" in rest or "\0" in rest or rest.startswith("/"):
        return "missing", ""
    if rest == "" or rest.endswith("/"):
        name = rest + "index.html"
        return ("file", name) if name in files else ("missing", "")
    if rest in files:
        return "file", rest
    if rest + "/index.html" in files:
        return "redirect", raw_path + "/"
    return "missing", ""


class Hub:
    """What the request handlers share, used on the event loop only: the snapshot and the browsers."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.sockets: set[ReloadSocket] = set()
        """The browsers that said hello: they get the reloads."""
        self.connected: set[ReloadSocket] = set()
        """Every open livereload socket (at most :data:`~sitegen.preview.previewguard.MAX_SOCKETS`)."""
        self.fresh = asyncio.Event()
        """Clear while a change is being built: requests then wait for the build."""

    def stale(self) -> None:
        """A change was seen: requests wait for its build."""
        self.fresh.clear()

    def publish(self, snapshot: Snapshot) -> None:
        """Show ``snapshot`` from now on and tell every browser to reload."""
        self.snapshot = snapshot
        self.fresh.set()
        for browser in list(self.sockets):
            browser.reload(snapshot.reason)

    def refresh(self, snapshot: Snapshot) -> None:
        """Show ``snapshot`` from now on, the same pages with their search index caught up: no reload."""
        self.snapshot = snapshot

    async def current(self) -> Snapshot:
        """The snapshot to answer with, once the build in progress (if any) is done."""
        if not self.fresh.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.fresh.wait(), WAIT_S)
        return self.snapshot


class SiteHandler(GuardedHandler):
    """The site, from memory."""

    def initialize(self, hub: Hub, port: int) -> None:
        self.hub = hub
        self.port = port

    async def get(self) -> None:
        await self._answer(with_body=True)

    async def head(self) -> None:
        await self._answer(with_body=False)

    async def _answer(self, *, with_body: bool) -> None:
        response = respond(await self.hub.current(), self.request.path, self.port)
        self.set_status(response.status)
        if response.location:
            self.redirect(response.location, status=response.status)
            return
        self.set_header("Content-Type", response.content_type)
        self.set_header("Content-Length", str(len(response.body)))
        if response.content_type.startswith("text/html"):
            self.set_header("Content-Security-Policy", page_policy(response.body))
        elif self.request.path.endswith(SEARCH_WORKER):
            self.set_header("Content-Security-Policy", SEARCH_WORKER_CSP)
        if with_body:
            self.write(response.body)


class ReloadSocket(GuardedHandler, tornado.websocket.WebSocketHandler):
    """The livereload protocol: the browser says ``hello``, we answer ``hello``, later ``reload``.

    Only from pages of the preview (:meth:`check_origin`), at most :data:`MAX_SOCKETS` at a time.
    """

    HELLO = json.dumps(
        {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"], "serverName": "sitegen"}
    )

    def initialize(self, hub: Hub) -> None:
        self.hub = hub

    def refusal(self) -> tuple[int, bytes] | None:
        origin = self.request.headers.get("Origin")
        if refused := super().refusal():
            return refused
        if origin is not None and not self.check_origin(origin):  # also when tornado deems it same-origin
            return 403, CROSS_ORIGIN
        return (503, BUSY_TEXT) if len(self.hub.connected) >= MAX_SOCKETS else None

    def check_origin(self, origin: str) -> bool:
        """Only pages whose host the preview answers to."""
        return self.settings["hosts"].allows_origin(origin, arrival_address(self.request))

    def open(self, *args: str, **kwargs: str) -> None:
        self.hub.connected.add(self)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
            command = data.get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.send(self.HELLO)
            self.hub.sockets.add(self)
            page_generation = data.get("snipver")  # see overlay.reload_script
            if isinstance(page_generation, int) and page_generation < self.hub.snapshot.generation:
                self.reload("")  # the page was served before the last build: it missed a reload

    def reload(self, path: str) -> None:
        """Tell the browser to reload: the whole page even for CSS, whose names carry a hash of it."""
        self.send(json.dumps({"command": "reload", "path": path, "liveCSS": False, "liveImg": False}))

    def on_close(self) -> None:
        self.hub.sockets.discard(self)
        self.hub.connected.discard(self)

    def send(self, message: str) -> None:
        try:
            self.write_message(message).add_done_callback(lambda sent: sent.exception())
        except tornado.websocket.WebSocketClosedError:
            self.hub.sockets.discard(self)


class FixedHandler(GuardedHandler):
    """A fixed file: livereload's client script, the overlay's stylesheet."""

    def initialize(self, body: bytes, content_type: str) -> None:
        self.body = body
        self.content_type = content_type

    def get(self) -> None:
        self.set_header("Content-Type", self.content_type)
        self.write(self.body)


def livereload_script() -> bytes:
    """The browser client that ships inside the livereload package (found without importing it:
    importing ``livereload`` would set a Windows event-loop policy that defers Ctrl-C)."""
    spec = importlib.util.find_spec("livereload")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the livereload package is not installed")
    return (Path(next(iter(spec.submodule_search_locations))) / "vendors" / "livereload.js").read_bytes()


def application(hub: Hub, port: int, hosts: Hosts) -> tornado.web.Application:
    """The preview's routes: livereload's socket and script, the overlay's stylesheet, the site."""
    return tornado.web.Application(
        [
            (r"/livereload", ReloadSocket, {"hub": hub}),
            (r"/livereload\.js", FixedHandler, {"body": livereload_script(), "content_type": TYPES[".js"]}),
            (CSS_PATH, FixedHandler, {"body": OVERLAY_CSS.encode(), "content_type": TYPES[".css"]}),
            (r"/.*", SiteHandler, {"hub": hub, "port": port}),
        ],
        hosts=hosts,
        websocket_ping_interval=IDLE_S / 2,  # a tab that vanished without closing its socket is noticed
    )


# --------------------------------------------------------------------------- the command


@dataclass(frozen=True)
class Options:
    """``serve``'s command-line options."""

    content: Path
    templates: Path
    host: str = "127.0.0.1"
    port: int = 8000
    """0 picks a free port (the address is printed)."""
    open_browser: bool = False
    output: Path | None = None
    """Also write every good build there (only the files whose bytes changed); by default nothing is written."""
    today: date | None = None
    """``--today``: the date the periods' status follows (default: the computer's date)."""
    unpublished: Unpublished = PREVIEW
    """Which drafts and scheduled news items the preview shows, marked (``--no-drafts``, ``--no-future``)."""
    cache: BuildCache | None = None
    """The build cache (none with ``--no-cache``)."""
    out: Callable[[str], None] = field(default=lambda text: print(text, flush=True))


class CannotListen(UsageError):
    """The address is taken or not allowed: a usage error (exit 2), in Chinese and English."""


def serve(options: Options) -> int:
    """Run the preview until Ctrl-C; returns the exit code. Raises :class:`CannotListen`."""
    try:
        sockets = tornado.netutil.bind_sockets(options.port, address=options.host)
    except OSError as exc:
        raise CannotListen(*_listen_problem(options.host, options.port, exc)) from None
    options.out(f"sitegen serve: building {display_path(options.content)} ...")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: asyncio cancels _run, which stops the build thread
        asyncio.run(_run(options, sockets))
    options.out("sitegen serve: stopped / 已停止")
    return 0


async def _run(options: Options, sockets: list[socket.socket]) -> None:
    port = sockets[0].getsockname()[1]
    hub = Hub()
    hosts = Hosts.for_listening(options.host)
    server = CappedHTTPServer(application(hub, port, hosts))
    server.add_sockets(sockets)
    loop = IOLoop.current()
    announced = False

    def show(snapshot: Snapshot) -> None:
        """On the loop: publish a build; after the first, say where the site is."""
        nonlocal announced
        hub.publish(snapshot)
        if not announced:
            announced = True
            url = _url(options.host, port, snapshot.base_path)
            options.out(f"sitegen serve: {url}  (Ctrl-C stops / 按 Ctrl-C 停止)")
            if hosts.arrival_address and hosts.names:  # listening on every address: how colleagues open it
                shared = _url(min(sorted(hosts.names), key=len), port, snapshot.base_path)
                options.out(f"sitegen serve: on the network / 局域网内: {shared}")
            if options.open_browser:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    builder = LiveBuilder(
        options.content,
        options.templates,
        publish=lambda snapshot: loop.add_callback(show, snapshot),
        refresh=lambda snapshot: loop.add_callback(hub.refresh, snapshot),
        stale=lambda: loop.add_callback(hub.stale),
        out=options.out,
        output=options.output,
        today=options.today,
        unpublished=options.unpublished,
        cache=options.cache,
    )
    builder.start()  # builds at once (requests wait for it), then on every change
    try:
        await asyncio.Event().wait()  # until Ctrl-C cancels this task
    finally:
        builder.stop()
        server.stop()


def _listen_problem(host: str, port: int, exc: OSError) -> tuple[str, str]:
    """Why ``host:port`` cannot be listened on, in Chinese and English."""
    if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):
        return (
            f"端口 {port} 已被占用（也许另一个 serve 还在运行）。请关闭那个程序，或换一个端口：--port {port + 1}",
            f"Port {port} on {host} is already in use (perhaps by another serve). "
            f"Stop that program or choose another port: --port {port + 1}",
        )
    reason = exc.strerror or str(exc)
    return f"无法在 {host}:{port} 上监听：{reason}", f"Cannot listen on {host}:{port}: {reason}"


def _url(host: str, port: int, path: str) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}{path}"
