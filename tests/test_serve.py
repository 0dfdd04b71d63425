"""``serve`` tested from outside: the real server in a subprocess, an HTTP client and a livereload
client (the protocol livereload.js speaks), on a copy of the example site.

What an editor is promised: every save reaches the browser, a mistake shows on every page with
its file, line and column until it is fixed, and the preview is safe to leave running.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT
from livepreview import Preview, ReloadClient, edit, get
from sitegen.content.loader import load_content
from sitegen.errors import ContentError, ContentErrors, format_text
from sitegen.preview.devserver import livereload_script, locate
from sitegen.site.pipeline import build

SCRIPT = rb'<script src="/livereload\.js\?port=%d&amp;snipver=\d+"></script></head>'
YEAR = "content/units/xinzhou-office/2023.yaml"
NARRATIVE = "content/units/xinzhou-office/2023.zh.md"
YEAR_PAGE = "zh/units/xinzhou-office/2023/"


def copy_site(target: Path) -> Path:
    """The example content and templates, copied to ``target``."""
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def start(site: Path, *args: str) -> Preview:
    return Preview(site / "content", site / "templates", *args)


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def shared(shared_site: Path) -> Iterator[Preview]:
    """A server for tests that only read."""
    with start(shared_site) as preview:
        yield preview


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path)


@pytest.fixture
def preview(site: Path) -> Iterator[Preview]:
    """A server of its own, for a test that edits the site."""
    with start(site) as preview:
        yield preview


@pytest.fixture
def browser(preview: Preview) -> Iterator[ReloadClient]:
    with ReloadClient(preview.port) as client:
        yield client


def page(preview: Preview, route: str) -> str:
    status, _, body = get(preview.url + route)
    assert status == 200, (route, status)
    return body.decode("utf-8")


# --------------------------------------------------------------------------- serving


def test_every_page_is_served_under_the_base_path_with_the_reload_script(shared: Preview, shared_site: Path) -> None:
    assert shared.url == f"http://127.0.0.1:{shared.port}/pufa/"
    built = build(shared_site / "content", shared_site / "unused", templates=shared_site / "templates", write=False)
    assert sum(name.endswith(".html") for name in built.files) > 50
    for name, data in built.files.items():
        route = name.removesuffix("index.html") if name.endswith("/index.html") else name
        status, headers, body = get(shared.url + quote(route))  # media names may be Chinese: sent percent-encoded
        assert status == 200, name
        if name.endswith(".html"):
            assert headers["content-type"] == "text/html; charset=utf-8"
            assert body.count(b"/livereload.js") == 1, name
            assert re.sub(SCRIPT % shared.port, b"</head>", body) == data, name
        else:
            assert body == data, name  # CSS, JS, CSV, XML untouched
    assert headers["cache-control"] == "no-store"


def test_addresses_without_a_page(shared: Preview) -> None:
    origin = f"http://127.0.0.1:{shared.port}"
    status, headers, _ = get(origin + "/")
    assert (status, headers["location"]) == (302, "/pufa/")
    assert get(origin + "/pufa")[1]["location"] == "/pufa/"
    status, headers, _ = get(shared.url + "zh/units")
    assert (status, headers["location"]) == (302, "/pufa/zh/units/")
    status, headers, body = get(shared.url + "zh/no-such-page/")
    assert status == 404 and re.search(SCRIPT % shared.port, body) and "页面不存在".encode() in body
    status, headers, body = get(shared.url + "zh/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    status, headers, body = get(origin + "/livereload.js?port=1")
    assert status == 200 and body == livereload_script() and headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    "path",
    [
        "/pufa/../secret.txt",
        "/pufa/../../secret.txt",
        "/pufa/%2e%2e/secret.txt",
        "/pufa/%2E%2E%2Fsecret.txt",
        "/pufa/zh/%2e%2e/%2e%2e/secret.txt",
        "/pufa/..%5csecret.txt",
        "/pufa/%252e%252e/secret.txt",
        "/pufa/%c0%ae%c0%ae/secret.txt",
        "/pufa/zh/./index.html",
        "/%2e%2e/secret.txt",
        "/secret.txt",
        "//etc/passwd",
        "/pufa/%00",
    ],
)
def test_paths_outside_the_site_are_not_found(shared: Preview, shared_site: Path, path: str) -> None:
    (shared_site / "secret.txt").write_text("SECRET", encoding="utf-8")
    (shared_site / "content" / "secret.txt").write_text("SECRET", encoding="utf-8")
    status, _, body = get(f"http://127.0.0.1:{shared.port}{path}")
    assert status == 404 and b"SECRET" not in body


def test_locate_serves_only_names_of_the_site() -> None:
    files = {"index.html": b"", "zh/index.html": b"", "zh/a.css": b""}
    assert locate(files, "/pufa/", (), "/pufa/zh/") == ("file", "zh/index.html")
    assert locate(files, "/pufa/", (), "/pufa/zh/a.css") == ("file", "zh/a.css")
    assert locate(files, "/pufa/", (), "/pufa/zh/%2e%2e/zh/a.css") == ("missing", "")
    assert locate(files, "/pufa/", ("/old/",), "/old/zh/") == ("redirect", "/pufa/zh/")
    assert locate(files, "/", (), "/") == ("file", "index.html")


def test_listens_on_loopback_only_by_default(shared: Preview) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
            address = probe.getsockname()[0]
        except OSError:
            address = "127.0.0.1"
    if address.startswith("127."):
        pytest.skip("this machine has no address but loopback")
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((address, shared.port)) != 0, f"serve answers on {address}"


# --------------------------------------------------------------------------- every save shows up


def test_two_saves_one_second_apart_both_reload(preview: Preview, browser: ReloadClient, site: Path) -> None:
    edit(site / NARRATIVE, "2023年是", "【第一次保存】2023年是")
    browser.next_reload()
    assert "【第一次保存】" in page(preview, YEAR_PAGE)
    time.sleep(1)
    edit(site / NARRATIVE, "【第一次保存】", "【第二次保存】")
    _, message = browser.next_reload()
    assert message["command"] == "reload" and message["path"].endswith("2023.zh.md")
    assert "【第二次保存】" in page(preview, YEAR_PAGE)
    assert browser.quiet(0.5)


def test_a_save_during_a_build_is_not_lost(preview: Preview, browser: ReloadClient, site: Path) -> None:
    edit(site / "templates/base.html", "<body>", "<body>\n<!-- template edited -->")  # every page: a long build
    preview.wait_for(r"base\.html changed, rebuilding")
    edit(site / NARRATIVE, "2023年是", "【构建期间保存】2023年是")
    browser.next_reload()
    preview.wait_for(r"2023\.zh\.md changed, rebuilding")  # seen after that build, and built again
    browser.next_reload()
    body = page(preview, YEAR_PAGE)
    assert "【构建期间保存】" in body and "<!-- template edited -->" in body


def test_a_page_that_missed_a_reload_while_loading_gets_one(preview: Preview, site: Path) -> None:
    generation = int(re.search(rb"snipver=(\d+)", get(preview.url + YEAR_PAGE)[2])[1])
    edit(site / NARRATIVE, "2023年是", "【错过】2023年是")
    preview.wait_for(r"rebuilt in")
    with ReloadClient(preview.port, snipver=generation) as late:  # page from before, socket after the build
        late.next_reload(timeout=2)
    with ReloadClient(preview.port, snipver=generation + 1) as current:
        assert current.quiet(0.5)


def test_an_editor_that_saves_a_temporary_file_and_renames_it(
    preview: Preview, browser: ReloadClient, site: Path
) -> None:
    target = site / NARRATIVE
    before = target.stat()
    text = target.read_text(encoding="utf-8").replace("2023年是", "2023年乃", 1)  # same length in bytes
    temporary = target.with_name("2023.zh.md~tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.utime(temporary, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with the old time stamp
    os.replace(temporary, target)
    browser.next_reload()
    assert "2023年乃" in page(preview, YEAR_PAGE)


def test_output_folder_gets_only_changed_files(site: Path) -> None:
    output = site / "output"
    with start(site, "--output", str(output)) as preview, ReloadClient(preview.port) as browser:
        deadline = time.monotonic() + 30
        while not (output / "404.html").exists():  # written after the first build is published
            assert time.monotonic() < deadline
            time.sleep(0.05)
        before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
        time.sleep(0.05)
        edit(site / NARRATIVE, "2023年是", "【写入】2023年是")
        browser.next_reload()
        deadline = time.monotonic() + 10
        while "【写入】" not in (output / YEAR_PAGE / "index.html").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        touched = {p.relative_to(output).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert touched - {YEAR_PAGE + "xinzhou-office-2023.docx"} == {YEAR_PAGE + "index.html"}  # and its Word file
    assert b"livereload" not in (output / YEAR_PAGE / "index.html").read_bytes()  # deployable as built


# --------------------------------------------------------------------------- mistakes show in the browser


def expected_problems(content: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_content(content)
    return caught.value.sorted()


def test_a_content_error_shows_on_every_page_until_fixed(preview: Preview, browser: ReloadClient, site: Path) -> None:
    original = (site / YEAR).read_text(encoding="utf-8")
    edit(site / YEAR, "    participants: 44", "    partcipants: 44")
    browser.next_reload()
    problems = expected_problems(site / "content")
    problem = next(p for p in problems if "partcipants" in p.en)
    where = f"{problem.path}:{problem.line}:{problem.column}".encode()
    for route, message in (("zh/", problem.zh), ("en/news/", problem.en), (YEAR_PAGE, problem.zh), ("zh/nope/", "")):
        status, _, body = get(preview.url + route)
        assert status == (404 if "nope" in route else 200)
        assert b'id="sitegen-problems"' in body and where in body, route
        assert html.escape(message).encode() in body, route
        assert html.escape(problem.source_line).encode() in body and b"^" in body
    assert html.escape(problem.zh).encode() not in get(preview.url + "en/")[2]  # English pages: English
    assert preview.text.count(format_text(problem).splitlines()[0]) == 1  # once in the terminal
    assert "Traceback" not in preview.text
    (site / YEAR).write_text(original, encoding="utf-8", newline="")
    browser.next_reload()
    assert b"sitegen-problems" not in get(preview.url + YEAR_PAGE)[2]
    preview.wait_for(r"rebuilt in \d+ ms")


def test_a_template_error_shows_its_file_and_line(preview: Preview, browser: ReloadClient, site: Path) -> None:
    edit(site / "templates/year.html", "{% block main %}", "{% block main %}\n{{ no_such_name }}")
    browser.next_reload()
    body = page(preview, YEAR_PAGE)
    assert "sitegen-problems" in body and "year.html:" in body and "no_such_name" in body
    edit(site / "templates/year.html", "\n{{ no_such_name }}", "")
    browser.next_reload()
    assert "sitegen-problems" not in page(preview, YEAR_PAGE)
    assert "Traceback" not in preview.text


def test_a_site_that_never_built_shows_the_problems_everywhere(site: Path) -> None:
    edit(site / "content/site.yaml", "name:", "name：")
    with start(site) as preview, ReloadClient(preview.port) as browser:
        for path in ("/", "/pufa/zh/", "/anything/en/x.css"):
            status, _, body = get(f"http://127.0.0.1:{preview.port}{path}")
            assert status == 500 and b'id="sitegen-problems"' in body and b"site.yaml:" in body, path
            assert b"/livereload.js?port=" in body
        edit(site / "content/site.yaml", "name：", "name:")
        browser.next_reload()
        status, headers, _ = get(preview.url + "zh/")  # where the error page was, before base_url was known
        assert (status, headers["location"]) == (302, "/pufa/zh/")
        assert b"sitegen-problems" not in get(f"http://127.0.0.1:{preview.port}/pufa/zh/")[2]


# --------------------------------------------------------------------------- safe to leave running


def test_ctrl_c_stops_cleanly_without_warnings(preview: Preview, browser: ReloadClient) -> None:
    if os.name == "nt":
        pytest.skip("Ctrl-C cannot be sent to one process on Windows")
    assert preview.interrupt() == 0
    assert "stopped" in preview.text
    assert "Traceback" not in preview.text and "Warning" not in preview.text, preview.text


def test_a_port_in_use_is_explained(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "build.py", "serve", "--content", str(site / "content"), "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        )
    assert proc.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in proc.stderr and "已被占用" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
