"""The site as deployed: a real nginx serves it under a sub-path (/pufa/) and nothing it links to is missing."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from browser import NGINX, build_site, free_port, nginx, require


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example site built for http://127.0.0.1:PORT/pufa/, served there by nginx: (folder, URL)."""
    require(NGINX)
    port = free_port()
    out = build_site(tmp_path_factory.mktemp("site") / "output", f"http://127.0.0.1:{port}/pufa/")
    with nginx(out, tmp_path_factory.mktemp("nginx"), port) as url:
        yield out, url


@pytest.fixture
def site(output: tuple[Path, str]) -> str:
    return output[1]


def fetch(url: str) -> tuple[int, str, bytes]:
    """GET ``url`` (following redirects): status, content type and body, also for 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


class Refs(HTMLParser):
    """Every href/src of a page, and the target of a meta refresh."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.refs += [v for k, v in attrs if k in ("href", "src") and v]
        refresh = re.search(r"url=(\S+)", values.get("content") or "") if values.get("http-equiv") else None
        if refresh:
            self.refs.append(refresh.group(1))


def references(content_type: str, body: bytes) -> list[str]:
    text = body.decode("utf-8-sig", errors="replace")
    if content_type.startswith("text/html"):
        parser = Refs()
        parser.feed(text)
        return parser.refs
    if "xml" in content_type:  # sitemap <loc>, Atom <link href>
        return [a or b for a, b in re.findall(r'<loc>([^<]+)</loc>|href="([^"]+)"', text)]
    if content_type.startswith("text/css"):
        return re.findall(r"url\(['\"]?([^'\")]+)", text)
    if content_type.startswith("text/plain"):  # robots.txt
        return re.findall(r"^Sitemap: (\S+)", text, re.M)
    return []


def crawl(start: list[str], prefix: str, limit: int = 2000) -> dict[str, int]:
    """Fetch every URL under ``prefix`` reachable from ``start``; status by URL."""
    seen: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        status, content_type, body = fetch(url)
        seen[url] = status
        for ref in references(content_type, body):
            target = urldefrag(urljoin(url, ref.strip())).url
            if target.startswith(prefix) and target not in seen:
                queue.append(target)
    assert len(seen) < limit, "the crawl did not end"
    return seen


def test_every_page_is_linked_and_no_link_under_the_sub_path_is_broken(output: tuple[Path, str]) -> None:
    out, site = output
    seen = crawl([site, site + "zh/", site + "en/"], site)
    assert sorted(f"{status} {url}" for url, status in seen.items() if status >= 400) == []
    paths = {urlsplit(url).path.removeprefix("/pufa/") for url in seen}
    pages = {p.relative_to(out).parent.as_posix() + "/" for p in out.rglob("index.html")}
    assert {p.removeprefix("./") for p in pages} <= paths  # every page of both languages, by links alone
    assert {"zh/feed.xml", "en/feed.xml"} <= paths
    assert any(p.endswith(".csv") for p in paths) and any(p.startswith("assets/vendor/echarts.min.") for p in paths)


def test_sitemap_robots_and_feeds_point_at_pages_that_exist(site: str) -> None:
    seen = crawl([site + "robots.txt", site + "sitemap.xml", site + "zh/feed.xml", site + "en/feed.xml"], site)
    assert sorted(f"{status} {url}" for url, status in seen.items() if status >= 400) == []
    locations = references("application/xml", fetch(site + "sitemap.xml")[2])
    assert len(locations) > 50 and all(url.startswith(site) for url in locations)  # built for this address


def test_a_missing_page_gets_the_sites_404_page(site: str) -> None:
    status, content_type, body = fetch(site + "does-not-exist")
    assert status == 404
    assert content_type.startswith("text/html")
    text = body.decode("utf-8")
    assert "页面不存在" in text and "Page not found" in text
    for ref in references(content_type, body):  # its links are absolute: they work from any address
        target = urljoin(site + "does-not-exist/deeper/", ref)
        if target.startswith(site) and not ref.startswith("#"):
            assert fetch(target)[0] == 200, ref


def test_the_sub_path_root_serves_the_redirect_index(site: str) -> None:
    status, content_type, body = fetch(site)
    assert status == 200 and content_type.startswith("text/html")
    text = body.decode("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=zh/">' in text
    assert fetch(urljoin(site, "zh/"))[0] == 200


def test_a_folder_without_its_slash_is_redirected(site: str) -> None:
    with urllib.request.urlopen(site + "zh/news", timeout=10) as response:
        assert response.status == 200
        assert response.url == site + "zh/news/"
