"""Helpers for testing ``serve`` from outside, as a browser and an editor would (also used by the benchmark).

- ``Preview(content, templates)``: ``build.py serve --port 0`` in a subprocess; ``url`` is the site's
  address, ``wait_for(text)`` reads its terminal output, ``interrupt()`` sends Ctrl-C.
- ``ReloadClient(port)``: a livereload client over tornado's websocket client (no extra dependency):
  the ``hello`` handshake of livereload.js, then every ``reload`` message with the time it arrived.
- ``get(url)``: status, headers and body, without following redirects or normalising ``..``.
- ``ask(port, target, host=...)``: the same with any ``Host`` header (or none); ``raw(port, data)``:
  bytes sent as they are on a fresh connection, the answer read until the server closes it.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from tornado.websocket import WebSocketClientConnection, websocket_connect

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = "http://livereload.com/protocols/official-7"


class Preview:
    """The real server in a subprocess, on a free loopback port."""

    def __init__(self, content: Path, templates: Path, *args: str, timeout: float = 120) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONWARNINGS="always::DeprecationWarning")
        command = [sys.executable, "build.py", "serve", "--content", str(content), "--templates", str(templates)]
        self.proc = subprocess.Popen(
            [*command, "--port", "0", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_for(r"sitegen serve: (http://\S+)", timeout)
        self.url = re.search(r"http://\S+", line)[0]
        self.port = urlsplit(self.url).port

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, pattern: str, timeout: float = 30) -> str:
        """The next line of output matching ``pattern`` (a regular expression)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"serve exited ({self.proc.poll()}):\n{self.text}")
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s:\n{self.text}")

    @property
    def text(self) -> str:
        return "".join(self.output)

    def interrupt(self, timeout: float = 15) -> int:
        """Ctrl-C; the exit code."""
        self.proc.send_signal(signal.CTRL_C_EVENT if os.name == "nt" else signal.SIGINT)
        return self.proc.wait(timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc.stdout:
            self.proc.stdout.close()

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReloadClient:
    """A livereload client in a thread of its own; ``reloads`` holds (perf_counter time, message)."""

    def __init__(self, port: int, timeout: float = 10, **hello: object) -> None:
        self.hello = hello
        """Extra fields of the ``hello`` message (livereload.js sends ``snipver`` from its address)."""
        self.reloads: queue.Queue[tuple[float, dict]] = queue.Queue()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self._ws: WebSocketClientConnection = asyncio.run_coroutine_threadsafe(
            self._connect(f"ws://127.0.0.1:{port}/livereload"), self._loop
        ).result(timeout)

    async def _connect(self, url: str) -> WebSocketClientConnection:
        ws = await websocket_connect(url)
        await ws.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL], **self.hello}))
        hello = json.loads(await ws.read_message())
        assert hello["command"] == "hello" and PROTOCOL in hello["protocols"], hello
        self._listener = asyncio.ensure_future(self._listen(ws))
        return ws

    async def _listen(self, ws: WebSocketClientConnection) -> None:
        while (message := await ws.read_message()) is not None:
            data = json.loads(message)
            if data.get("command") == "reload":
                self.reloads.put((time.perf_counter(), data))

    def next_reload(self, timeout: float = 10) -> tuple[float, dict]:
        """The next reload message and when it arrived; fails after ``timeout`` seconds."""
        try:
            return self.reloads.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no reload within {timeout} s") from None

    def quiet(self, seconds: float) -> bool:
        """True when no reload arrives for ``seconds``."""
        try:
            self.reloads.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._ws.close)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def __enter__(self) -> ReloadClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request, sent exactly as written (no redirects followed, no ``..`` resolved)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in a UTF-8 file, in place (as Notepad saves)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


def ask(
    port: int, target: str, host: str | None = "127.0.0.1", headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One request to 127.0.0.1:``port`` with ``Host: host`` (none when ``None``) and ``headers``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def raw(port: int, data: bytes, timeout: float = 30, limit: int = 1 << 20) -> bytes:
    """Send ``data`` on a new connection to 127.0.0.1:``port``; what comes back until it closes (or ``limit``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(data)
        answer = b""
        while len(answer) < limit and (chunk := conn.recv(65536)):
            answer += chunk
        return answer
