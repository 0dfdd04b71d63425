"""Helpers for the end-to-end tests: the example site built, served over loopback, seen by real programs.

- ``require(binary)``, ``import_or_skip(module)``: Chromium, nginx, Playwright, axe. Without them a
  test is skipped locally, but fails when the environment variable ``CI`` is set: CI must run it.
- ``build_site(out, base_url)``: the example site, built into ``out``.
- ``serve(folder)``: a Python HTTP server on 127.0.0.1 (ephemeral port) for ``folder``; yields its URL.
- ``nginx(folder, workdir, port)``: a real nginx serving ``folder`` at ``/pufa/``; yields its URL and
  always stops it.
- ``launch_chromium(playwright)``: the system's Chromium, headless and quiet (no downloads).
"""

from __future__ import annotations

import functools
import importlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
NGINX = "/usr/sbin/nginx"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


def on_ci() -> bool:
    return bool(os.environ.get("CI"))


def require(binary: str) -> str:
    """The path of ``binary`` (or of its name on PATH); skip if it is missing, but fail on CI."""
    found = binary if os.access(binary, os.X_OK) else shutil.which(Path(binary).name)
    if found:
        return found
    if on_ci():
        pytest.fail(f"{binary} is missing: on CI the end-to-end tests must run", pytrace=False)
    pytest.skip(f"{binary} is not installed (on CI this test always runs)")


def import_or_skip(module: str):  # -> the module
    """Import ``module``; skip if it is missing, but on CI let the ImportError fail the run."""
    return importlib.import_module(module) if on_ci() else pytest.importorskip(module)


def build_site(out: Path, base_url: str | None = None) -> Path:
    build(ROOT / "content", out, templates=ROOT / "templates", base_url=base_url)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 in a thread; yields ``http://127.0.0.1:PORT/``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


NGINX_CONF = """\
{user}daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html; text/css css; application/javascript js; application/xml xml;
        text/plain txt; text/csv csv; image/svg+xml svg; image/png png;
    }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/css application/javascript application/xml text/plain text/csv;
    access_log {work}/access.log;
    server {{
        listen 127.0.0.1:{port};
        location /pufa/ {{ alias {folder}/; }}
        error_page 404 /pufa/404.html;
    }}
}}
"""


@contextmanager
def nginx(folder: Path, work: Path, port: int) -> Iterator[str]:
    """Run nginx serving ``folder`` at ``/pufa/`` on 127.0.0.1:``port``; yields the site's URL."""
    binary = require(NGINX)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the (private) tmp folder
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, work=work, port=port, folder=folder.resolve()), encoding="utf-8")
    proc = subprocess.Popen(
        [binary, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, proc, work / "error.log")
        yield f"http://127.0.0.1:{port}/pufa/"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stderr:
            proc.stderr.close()


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"nginx exited with {proc.returncode}:\n{err}\n{text}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within {timeout} s")


def launch_chromium(playwright):  # -> playwright.sync_api.Browser
    return playwright.chromium.launch(executable_path=require(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def chromium() -> Iterator:  # -> playwright.sync_api.Browser
    """Debian's Chromium driven by Playwright, closed afterwards (required on CI)."""
    require(CHROMIUM)
    sync_playwright = import_or_skip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()
