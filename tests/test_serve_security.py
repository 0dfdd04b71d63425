"""``serve`` answers only its own host: the real server in a subprocess, raw HTTP and websocket
handshakes on 127.0.0.1.

What an editor is promised: a web page they visit cannot read the unpublished preview (DNS
rebinding, a foreign ``Origin`` on the livereload socket), a flood of connections is refused
rather than served, and no address reaches a file outside the built site.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from livepreview import Preview, ask, raw
from sitegen.preview.previewguard import (
    BUSY_TEXT,
    CSP,
    MAX_CONNECTIONS,
    MAX_SOCKETS,
    Hosts,
    canonical,
    host_name,
    page_policy,
)
from test_serve import copy_site, start

SITE_MARKERS = (b"<html", b"livereload", "普法".encode(), b"pufa")
"""Any of these in a refusal would be site content."""
ROUTES = ("/pufa/zh/", "/pufa/", "/", "/livereload.js", "/__sitegen__/overlay.css", "/pufa/zh/no-such-page/")
KEY = "dGhlIHNhbXBsZSBub25jZQ=="


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(tmp_path_factory.mktemp("serve-security"))


@pytest.fixture(scope="module")
def shared(shared_site: Path) -> Iterator[Preview]:
    """A server for tests that only read (and close every connection they open)."""
    with start(shared_site) as preview:
        yield preview


@pytest.fixture
def crowded(tmp_path: Path) -> Iterator[Preview]:
    """A server of its own, for a test that fills it with connections."""
    with start(copy_site(tmp_path)) as preview:
        yield preview


def handshake(port: int, origin: str | None = None, host: str | None = None) -> tuple[int, bytes, socket.socket]:
    """A websocket opening handshake on ``/livereload``: the status, the head and body read, the open socket."""
    lines = [
        "GET /livereload HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{port}'}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {KEY}",
        "Sec-WebSocket-Version: 13",
        *([f"Origin: {origin}"] if origin is not None else []),
    ]
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < 65536 and (chunk := conn.recv(4096)):
        answer += chunk
    head = answer.split(b"\r\n", 1)[0]
    assert head.startswith(b"HTTP/1.1 "), answer
    status = int(head.split()[1])
    if status != 101:  # a refusal: read its short body too
        length = int(re.search(rb"(?i)content-length: *(\d+)", answer)[1])
        while len(answer.split(b"\r\n\r\n", 1)[1]) < length and (chunk := conn.recv(4096)):
            answer += chunk
    return status, answer, conn


def eventually(check: Callable[[], bool], tries: int = 200, pause: float = 0.05) -> bool:
    """Whether ``check()`` becomes true within ``tries`` attempts (the server notices a close asynchronously)."""
    for _ in range(tries):
        try:
            if check():
                return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(pause)
    return False


def assert_refusal(status: int, headers: dict[str, str], body: bytes) -> None:
    """403 with the short text (or tornado's own empty 400 for a malformed ``Host``), nothing of the site."""
    assert status in (400, 403), (status, body)
    assert "location" not in headers and not any(marker in body.lower() for marker in SITE_MARKERS), body
    if status == 403:
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert "禁止访问".encode() in body and b"Forbidden" in body
    else:
        assert body == b""


# --------------------------------------------------------------------------- Host


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "EVIL.example",
        "127.0.0.1.evil.example",
        "localhost.evil.example:{port}",
        "localhost:{port}@evil.example",
        "[::1].evil.example",
        "[::1",
        "::1",
        "",
        "127.0.0.1, evil.example",
        "evil.example\t",
    ],
)
def test_a_foreign_host_gets_403_and_nothing_of_the_site(shared: Preview, host: str) -> None:
    for route in ROUTES:
        assert_refusal(*ask(shared.port, route, host=host.format(port=shared.port)))
    status, _, body = ask(shared.port, "/pufa/zh/", host="evil.example", method="HEAD")
    assert status == 403 and body == b""


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.1:{port}",
        "localhost",
        "LocalHost:{port}",
        "localhost.:{port}",
        "[::1]",
        "[::1]:{port}",
        "[0:0:0:0:0:0:0:1]:{port}",
        "127.0.0.2:{port}",
    ],
)
def test_loopback_hosts_get_the_site(shared: Preview, host: str) -> None:
    status, headers, body = ask(shared.port, "/pufa/zh/", host=host.format(port=shared.port))
    assert status == 200 and b"/livereload.js" in body
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_an_http_10_client_without_host_gets_the_site(shared: Preview) -> None:
    """Not a browser (browsers always send ``Host``), so no rebinding; HTTP/1.1 without it is tornado's 400."""
    answer = raw(shared.port, b"GET /pufa/zh/ HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ") and b"/livereload.js" in answer


def test_the_given_host_name_is_answered_and_only_then(shared: Preview, shared_site: Path) -> None:
    name = socket.gethostname()
    try:
        loopback = canonical(socket.gethostbyname(name)).startswith("127.")
    except OSError:
        loopback = False
    if not loopback or host_name(name) in (None, "localhost"):
        pytest.skip("this computer's name does not resolve to a loopback address")
    assert ask(shared.port, "/pufa/zh/", host=f"{name}:{shared.port}")[0] == 403  # not given: refused
    with start(shared_site, "--host", name) as named:
        assert named.url.startswith(f"http://{name}:")
        for host in (name, f"{name.upper()}:{named.port}"):
            assert ask(named.port, "/pufa/zh/", host=host)[0] == 200
        assert ask(named.port, "/pufa/zh/", host=f"{name}.local")[0] == 403  # only listening everywhere adds it
        assert ask(named.port, "/pufa/zh/", host="evil.example")[0] == 403


# --------------------------------------------------------------------------- the livereload socket


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://evil.example:{port}",
        "https://127.0.0.1.evil.example",
        "http://localhost.evil.example:{port}",
        "null",
        "file://",
        "http://user@127.0.0.1:{port}",
    ],
)
def test_a_websocket_from_a_foreign_origin_is_refused(shared: Preview, origin: str) -> None:
    status, answer, conn = handshake(shared.port, origin.format(port=shared.port))
    conn.close()
    assert status == 403 and b"Refused" in answer and b"sec-websocket-accept" not in answer.lower()


def test_a_rebound_name_cannot_open_the_websocket_either(shared: Preview) -> None:
    """Origin and Host agree (tornado alone would accept that), but the host is not the preview's."""
    status, answer, conn = handshake(shared.port, "http://evil.example:80", host="evil.example:80")
    conn.close()
    assert status == 403 and b"sec-websocket-accept" not in answer.lower()


@pytest.mark.parametrize("origin", ["http://127.0.0.1:{port}", "http://localhost:{port}", "http://[::1]:{port}", None])
def test_a_websocket_from_the_preview_itself_is_accepted(shared: Preview, origin: str | None) -> None:
    status, answer, conn = handshake(shared.port, origin and origin.format(port=shared.port))
    conn.close()
    assert status == 101 and b"sec-websocket-accept" in answer.lower()


def test_websockets_beyond_the_cap_are_refused(crowded: Preview) -> None:
    held: list[socket.socket] = []
    origin = f"http://127.0.0.1:{crowded.port}"
    try:
        for _ in range(MAX_SOCKETS):
            status, _, conn = handshake(crowded.port, origin)
            held.append(conn)
            assert status == 101
        status, answer, conn = handshake(crowded.port, origin)
        conn.close()
        assert status == 503 and BUSY_TEXT in answer
        held.pop().close()
        assert eventually(lambda: _opens(crowded.port, origin, held)), "a freed place is never given again"
    finally:
        for conn in held:
            conn.close()


def _opens(port: int, origin: str, held: list[socket.socket]) -> bool:
    status, _, conn = handshake(port, origin)
    held.append(conn)
    return status == 101


# --------------------------------------------------------------------------- HTTP connections


def test_connections_beyond_the_cap_are_refused(crowded: Preview) -> None:
    held: list[http.client.HTTPConnection] = []
    try:
        for _ in range(MAX_CONNECTIONS):  # each kept open (keep-alive) after one answer, so surely counted
            conn = http.client.HTTPConnection("127.0.0.1", crowded.port, timeout=10)
            held.append(conn)
            conn.request("GET", "/__sitegen__/overlay.css")
            response = conn.getresponse()
            assert response.status == 200 and response.read()
        answer = raw(crowded.port, b"", timeout=10)  # refused at once, before any request is read
        assert answer.startswith(b"HTTP/1.1 503 ") and answer.endswith(BUSY_TEXT), answer
        held.pop().close()
        assert eventually(lambda: ask(crowded.port, "/pufa/zh/")[0] == 200), "a freed place is never given again"
    finally:
        for conn in held:
            conn.close()


# --------------------------------------------------------------------------- paths outside the site


TRAVERSALS = [
    "/pufa/../secret.txt",
    "/pufa/zh/../../secret.txt",
    "/pufa/%2e%2e/secret.txt",
    "/pufa/.%2E/.%2e/secret.txt",
    "/pufa/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/pufa/..%5c..%5csecret.txt",
    "/pufa/zh\\..\\..\\secret.txt",
    "/pufa/%00",
    "/pufa/zh/index.html%00.txt",
    "/pufa//etc/passwd",
    "/pufa/%2fetc%2fpasswd",
    "/pufa/{secret}",
    "/pufa//{secret}",
    "/pufa/%2F{secret}",
    "/pufa/C:%5cWindows%5cwin.ini",
    "/pufa/C:/Windows/win.ini",
    "/pufa/%c0%ae%c0%ae/secret.txt",
    "/pufa/%252e%252e/secret.txt",
    "/pufa/content/secret.txt",
    "http://127.0.0.1/pufa/../secret.txt",
    "/{secret}",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_paths_outside_the_site_are_not_found(shared: Preview, shared_site: Path, target: str) -> None:
    secret = shared_site / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    (shared_site / "content" / "secret.txt").write_text("SECRET", encoding="utf-8")
    status, _, body = ask(shared.port, target.format(secret=secret.as_posix().lstrip("/")))
    assert status == 404 and b"SECRET" not in body


@pytest.mark.parametrize("target", [b"/pufa/\x00", b"/pufa/zh/\x00/../../secret.txt", b"/pufa/\xc0\xae\xc0\xae/x"])
def test_raw_bytes_in_the_path_are_not_served(shared: Preview, shared_site: Path, target: bytes) -> None:
    (shared_site / "secret.txt").write_text("SECRET", encoding="utf-8")
    answer = raw(shared.port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert re.match(rb"HTTP/1\.1 (400|404) ", answer) and b"SECRET" not in answer, answer[:200]


# --------------------------------------------------------------------------- headers


def test_every_answer_carries_the_security_headers(shared: Preview) -> None:
    status, headers, body = ask(shared.port, "/pufa/zh/")
    assert status == 200
    meta = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]+)"', body)[1].decode()
    assert headers["content-security-policy"] == meta == CSP  # the page's own policy, also as a header
    for route in ROUTES:
        status, headers, _ = ask(shared.port, route)
        assert headers["x-content-type-options"] == "nosniff", route
        assert headers["referrer-policy"] == "no-referrer", route
        assert "script-src 'self'" in headers["content-security-policy"], route
        assert "unsafe-inline" not in headers["content-security-policy"], route


def test_a_page_with_its_own_policy_gets_it_as_a_header(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    base = site / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("img-src 'self' data:", "img-src 'self'"), "utf-8")
    with start(site) as preview:
        status, headers, _ = ask(preview.port, "/pufa/zh/")
        assert status == 200 and "img-src 'self';" in headers["content-security-policy"]
        assert ask(preview.port, "/livereload.js")[1]["content-security-policy"] == CSP


# --------------------------------------------------------------------------- the rule itself


def test_host_names_are_read_strictly() -> None:
    assert host_name("LocalHost:8000") == "localhost"
    assert host_name("[::1]:8000") == host_name("[0:0:0:0:0:0:0:1]") == "::1"
    assert host_name("[::ffff:192.168.1.5]") == "192.168.1.5"
    assert host_name("pc.local.") == "pc.local"
    for bad in ("", "::1", "[::1", "[zz::1]", "a:b:c", "host:port", "a@b", "a b", "例子.中国", "x:123456"):
        assert host_name(bad) is None, bad


def test_listening_on_every_address_adds_this_computers_names_and_addresses() -> None:
    hosts = Hosts.for_listening("0.0.0.0", machine_name="Office-PC.corp.example")
    for host in ("office-pc", "OFFICE-PC:8000", "office-pc.local", "office-pc.corp.example.", "localhost"):
        assert hosts.allows(host, "192.168.1.5"), host
    assert hosts.allows("192.168.1.5:8000", "192.168.1.5")
    assert hosts.allows("192.168.1.5", "::ffff:192.168.1.5")  # a dual-stack socket's view of an IPv4 client
    assert hosts.allows("[fd00::2]:8000", "fd00::2")
    assert not hosts.allows("192.168.1.6", "192.168.1.5")  # only the address the request came in on
    assert not hosts.allows("evil.example", "192.168.1.5")
    assert not hosts.allows("office-pc.evil.example", "192.168.1.5")
    assert Hosts.for_listening("::", machine_name="pc").names == {"pc", "pc.local"}


def test_a_given_address_is_the_only_one_besides_the_loopback() -> None:
    hosts = Hosts.for_listening("192.168.1.5")
    assert hosts.allows("192.168.1.5:8000") and hosts.allows("127.0.0.1") and hosts.allows("[::1]:1")
    assert not hosts.allows("pc", "192.168.1.5") and not hosts.allows("192.168.1.6", "192.168.1.6")
    assert Hosts.for_listening("FE80::1").allows("[fe80::1]:8000")


def test_origins_pass_the_same_rule() -> None:
    hosts = Hosts.for_listening("127.0.0.1")
    assert hosts.allows_origin("http://127.0.0.1:8000") and hosts.allows_origin("http://localhost:8000")
    for bad in ("null", "http://evil.example", "ws://127.0.0.1:8000", "http://a@127.0.0.1", "http://[::1", ""):
        assert not hosts.allows_origin(bad), bad


def test_the_policy_is_read_from_the_page() -> None:
    assert page_policy(b"<html><head><title>x</title></head></html>") == CSP
    page = b"<head><meta http-equiv='Content-Security-Policy' content=\"default-src 'none';\n img-src 'self'\">"
    assert page_policy(page) == "default-src 'none'; img-src 'self'"
    assert page_policy(b'<meta content="default-src &#39;self&#39;" http-equiv="content-security-policy">') == (
        "default-src 'self'"
    )
    assert page_policy(b'<meta http-equiv="Content-Security-Policy" content="">') == CSP
