"""Site search (站内搜索) on the built example, served by a real nginx under a sub-path (/pufa/), in headless
Chromium: a Chinese query finds the Chinese pages that hold the word, an English query the English ones,
each result with its title, column and date; nothing is requested from another host and the
Content-Security-Policy is never violated. Without JavaScript the search page says that search needs it.
The index (Pagefind) is byte-identical over builds, ``serve`` catches it up after a change, and the site
checker accepts it.

Screenshots of the search page are written to tests/artifacts/screenshots/ (with those of tests/test_browser.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from browser import NGINX, ROOT, build_site, chromium, free_port, import_or_skip, nginx, require
from livepreview import Preview, ReloadClient, get
from sitegen.content.loader import load_content
from sitegen.preview.devserver import respond
from sitegen.preview.incremental import SiteBuilder
from sitegen.preview.livebuild import LiveBuilder
from sitegen.review.linkcheck import check_links, check_markup
from sitegen.site import search
from sitegen.site.buildcache import BuildCache
from sitegen.site.pipeline import build, collect_assets, render_site
from test_browser import WCAG, Watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

Axe = import_or_skip("axe_playwright_python.sync_playwright").Axe

MAIN = re.compile(r"<main\b([^>]*)>(.*?)</main>", re.S)
TAG = re.compile(r"<[^>]+>")
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
BREADCRUMB = re.compile(r'<nav class="breadcrumb".*?</nav>', re.S)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example built for http://127.0.0.1:PORT/pufa/ and served there by nginx: (folder, URL)."""
    require(NGINX)
    port = free_port()
    out = build_site(tmp_path_factory.mktemp("site") / "output", f"http://127.0.0.1:{port}/pufa/")
    with nginx(out, tmp_path_factory.mktemp("nginx"), port) as url:
        yield out, url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def watched(browser: Browser, served: tuple[Path, str]) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield Watched(context, served[1])
    context.close()


def text(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", html)).split())


def indexed_pages(out: Path, lang: str) -> dict[str, tuple[str, str, str]]:
    """Every page of ``lang`` the index holds (its <main> is data-pagefind-body): path → (column, title, text)."""
    pages = {}
    for path in sorted((out / lang).rglob("index.html")):
        main = MAIN.search(path.read_text(encoding="utf-8"))
        if main and "data-pagefind-body" in main[1]:
            column = unescape(re.search(r'data-column="([^"]*)"', main[1])[1])
            body = BREADCRUMB.sub("", main[2])
            pages[path.parent.relative_to(out).as_posix() + "/"] = (column, text(H1.search(body)[1]), text(body))
    return pages


def published(out: Path, page: str) -> str | None:
    found = re.search(r'<meta name="PubDate" content="([^"]+)"', (out / page / "index.html").read_text("utf-8"))
    return found[1] if found else None


def search_for(watched: Watched, lang: str, query: str) -> tuple[Page, list[dict[str, str]]]:
    """Open the search page of ``lang`` with ``?q=query``; the results as the page lists them."""
    page = watched.open(f"{lang}/search/?q={quote(query)}")
    page.wait_for_selector("#search-form[data-searched]")
    return page, listed(page)


def listed(page: Page) -> list[dict[str, str]]:
    """The results the search page lists: link, title, column and date."""
    return page.eval_on_selector_all(
        ".search-result",
        """items => items.map(li => ({
            href: li.querySelector("h2 a").href,
            title: li.querySelector("h2 a").textContent,
            column: (li.querySelector(".search-column") || {}).textContent || "",
            date: (li.querySelector(".search-date time") || {}).textContent || "",
        }))""",
    )


def check_results(watched: Watched, out: Path, lang: str, query: str, word: str, label: str) -> list[str]:
    """Search, then compare with the built pages: every result is a page of ``lang`` holding ``word``, with its
    column and date; returns the results' paths."""
    page, results = search_for(watched, lang, query)
    pages = indexed_pages(out, lang)
    found = [r["href"].removeprefix(watched.origin) for r in results]
    assert found and len(found) == len(set(found)), results
    assert page.text_content("#search-status").count(str(len(found))) == 1  # "found N results"
    for result, path in zip(results, found, strict=True):
        assert path in pages, (path, sorted(pages))  # a page of this language, under the sub-path
        column, _, body = pages[path]
        assert word.lower() in body.lower(), path
        assert result["title"].strip() and result["column"] == label + column
        assert result["date"] == (published(out, path) or ""), path
    assert watched.foreign_requests() == []
    assert watched.csp_violations() == []
    assert watched.problems == []
    return found


def test_a_chinese_query_finds_the_chinese_constitution_news_and_reports(watched: Watched, served) -> None:
    out, _ = served
    found = check_results(watched, out, "zh", "宪法", "宪法", "栏目：")
    titled = [p for p, (_, title, _) in indexed_pages(out, "zh").items() if "/news/" in p and "宪法" in title]
    assert len(titled) >= 4 and set(titled) <= set(found)  # every article about the Constitution
    assert any(re.fullmatch(r"zh/units/[^/]+/(bawu|qiwu|liuwu)/", p) for p in found), found  # and a report
    assert all(p.startswith("zh/") for p in found)


def test_chinese_is_segmented_a_word_inside_a_sentence_is_found(watched: Watched, served) -> None:
    """民法典 stands inside longer runs of characters (民法典宣传月, 学习宣传民法典); no spaces mark it. The query
    is segmented too: a page with 民法 (民法总则) is found as well, after those with the whole word."""
    out, _ = served
    found = check_results(watched, out, "zh", "民法典", "民法", "栏目：")
    assert "zh/news/2021-05-19-civil-code-month/" in found and "zh/news/2025-05-21-civil-code-month/" in found


def test_an_english_query_finds_the_english_pages(watched: Watched, served) -> None:
    out, _ = served
    found = check_results(watched, out, "en", "Constitution", "constitution", "Column: ")
    assert all(p.startswith("en/") for p in found)
    assert "en/news/2023-12-04-constitution-day/" in found and "en/news/2021-12-07-constitution-week/" in found
    assert any(re.fullmatch(r"en/units/[^/]+/(bawu|qiwu|liuwu)/", p) for p in found), found


def test_a_result_leads_to_its_page_and_nothing_found_is_said(watched: Watched) -> None:
    page, results = search_for(watched, "zh", "宪法")
    with page.expect_navigation() as navigation:
        page.click(".search-result h2 a")
    assert navigation.value.status == 200 and page.url == results[0]["href"]
    page.wait_for_load_state("networkidle")  # its icon too, before the next page
    page, results = search_for(watched, "en", "qwxzzvy")
    assert results == [] and "qwxzzvy" in page.text_content("#search-status")
    assert page.is_visible("#search-sitemap a")
    assert watched.problems == [] and watched.csp_violations() == []


def test_the_search_box_of_every_page_leads_to_the_search(watched: Watched) -> None:
    for start, query in [("zh/news/2021-07-26-qiwu-summary/", "宪法"), ("en/units/", "Constitution")]:
        page = watched.open(start)
        page.fill("#site-search-q", query)
        with page.expect_navigation():
            page.press("#site-search-q", "Enter")
        page.wait_for_selector("#search-form[data-searched]")
        assert page.url.startswith(watched.origin + start[:2] + "/search/?q=")
        assert page.input_value("#search-q") == query and page.locator(".search-result").count() > 0
    assert watched.foreign_requests() == [] and watched.problems == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_javascript_the_search_page_says_it_needs_it(browser: Browser, served, lang: str) -> None:
    out, url = served
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.goto(url + f"{lang}/search/?q=x").status == 200
        notice = page.locator(".search-nojs")
        assert notice.is_visible() and "JavaScript" in notice.text_content()
        sitemap = notice.locator("a")
        assert sitemap.get_attribute("href") == "../sitemap/" and (out / lang / "sitemap/index.html").exists()
        assert page.locator("#site-search-q").count() == 0  # the page's own box only
        page = context.new_page()
        page.goto(url + f"{lang}/news/")  # elsewhere the box says so too, and leads to the page that explains
        assert page.get_attribute("form.site-search", "action") == "../search/"
        assert page.is_visible(".site-search-nojs") and "JavaScript" in page.text_content(".site-search-nojs")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_wcag_21_aa_violations_on_the_search_page(watched: Watched, lang: str) -> None:
    results = Axe().run(watched.open(f"{lang}/search/"), options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    page, _ = search_for(watched, lang, "宪法" if lang == "zh" else "Constitution")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def test_without_a_web_worker_search_runs_on_the_page_under_its_policy(watched: Watched, served) -> None:
    """Pagefind compiles its WebAssembly in a worker; without one (old browsers), on the page itself, which is why
    the search pages, and only they, allow 'wasm-unsafe-eval'."""
    watched.page.context.add_init_script("Object.defineProperty(window, 'Worker', {value: undefined})")
    found = check_results(watched, served[0], "zh", "宪法", "宪法", "栏目：")
    assert len(found) >= 4 and not [url for url in watched.requests if url.endswith("pagefind-worker.js")]


# --------------------------------------------------------------------------- the built files


def policies(out: Path) -> dict[str, str]:
    found = {}
    for path in sorted(out.rglob("*.html")):
        meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', path.read_text("utf-8"))
        if meta:
            found[path.relative_to(out).as_posix()] = meta[1]
    return found


def test_only_the_search_pages_may_compile_webassembly(served) -> None:
    widened = {page for page, policy in policies(served[0]).items() if "wasm-unsafe-eval" in policy}
    assert widened == {"zh/search/index.html", "en/search/index.html"}
    for page, policy in policies(served[0]).items():
        rest = policy.replace(" 'wasm-unsafe-eval'", "")
        assert "script-src 'self';" in rest and "unsafe-inline" not in rest and "unsafe-eval" not in rest, page


def test_the_index_holds_both_languages_and_only_what_the_site_uses(served) -> None:
    out = served[0]
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_bytes())
    assert list(entry["languages"]) == ["en", "zh-cn"]  # sorted: Pagefind writes them in a random order
    for lang, key in (("en", "en"), ("zh", "zh-cn")):
        assert entry["languages"][key]["page_count"] == len(indexed_pages(out, lang)) >= 20
    names = {p.name for p in (out / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", "fragment", "index"} <= names
    assert not [n for n in names if n.startswith(search.UNUSED)]


def test_the_index_is_byte_identical_over_builds(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")  # one set of sources for both builds
    trees = []
    for name in ("first", "second"):
        build(tmp_path / "content", tmp_path / name, templates=ROOT / "templates")
        index = tmp_path / name / "pagefind"
        trees.append({p.relative_to(index): p.read_bytes() for p in sorted(index.rglob("*")) if p.is_file()})
    first, second = trees
    assert len(first) > 20 and sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def _example_pages() -> dict[str, bytes]:
    content = load_content(ROOT / "content")
    assets = collect_assets(ROOT / "templates")
    pages, files = render_site(content, ROOT / "templates", content.site.base_url, assets)
    return search.sources(pages, files)


def test_each_languages_index_made_apart_is_the_index_of_all_pages_in_one() -> None:
    """The languages are indexed by a Pagefind each, at once; merged, they are byte for byte what one Pagefind
    makes of every page."""
    html = _example_pages()
    assert [sorted({name[:3] for name in part}) for part in search.languages(html)] == [["en/"], ["zh/"]]
    assert search.index_sources(html) == search._index(html)


def test_only_the_language_whose_pages_changed_is_indexed_again(tmp_path: Path, monkeypatch) -> None:
    """By the build cache (``sitegen build``) and by serve's memo: a Chinese page edited, the Chinese index."""
    html = _example_pages()
    made: list[list[str]] = []
    index = search._index

    def counting(part):  # type: ignore[no-untyped-def]
        made.append(sorted({name[:3] for name in part}))
        return index(part)

    monkeypatch.setattr(search, "_index", counting)
    name = next(n for n in html if n.startswith("zh/"))
    edited = {**html, name: html[name].replace(b"</main>", "<p>新增一句话</p></main>".encode(), 1)}
    for keep in (BuildCache(tmp_path / "cache").search_index, search.SearchMemo()._by_language):
        search.index_sources(html, keep)
        made.clear()
        again = search.index_sources(edited, keep)
        assert made == [["zh/"]]
        assert again == index(edited)  # the English index kept is the one all pages make


def test_the_languages_of_the_entry_file_are_sorted() -> None:
    raw = b'{"version":"1.5.2","languages":{"zh-cn":{"page_count":2},"en":{"page_count":3}},"include_characters":[]}'
    assert search.canonical_entry(raw) == raw.replace(
        b'"zh-cn":{"page_count":2},"en":{"page_count":3}', b'"en":{"page_count":3},"zh-cn":{"page_count":2}'
    )


def test_the_site_checker_accepts_the_search_page_and_the_index(served) -> None:
    out = served[0]
    content = load_content(ROOT / "content")
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    mine = [e for e in check_links(content, files) + check_markup(files) if "search" in e.path or "pagefind" in e.path]
    assert mine == []


def test_pagefind_missing_or_failing_is_said_in_words_and_the_output_is_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("pagefind.service.get_executable", lambda: None)
    with pytest.raises(search.SearchError) as missing:
        search.index_sources({"zh/x/index.html": b"<html lang='zh-CN'><main data-pagefind-body>x</main></html>"})
    assert "没有安装 Pagefind" in missing.value.zh and "Pagefind is not installed" in missing.value.en
    monkeypatch.undo()
    out = tmp_path / "output"
    build_site(out)
    before = sorted((p.relative_to(out).as_posix(), p.stat().st_mtime_ns) for p in out.rglob("*"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-program")}
    # --no-cache: an earlier test's build may have left this very index in the cache, and Pagefind is not asked
    command = [sys.executable, "-m", "sitegen.cli", "build", "-c", str(ROOT / "content"), "-o", str(out), "--no-cache"]
    done = subprocess.run([*command, "--templates", str(ROOT / "templates")], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "生成站内搜索索引失败" in done.stderr and "The site search index could not be made" in done.stderr
    assert sorted((p.relative_to(out).as_posix(), p.stat().st_mtime_ns) for p in out.rglob("*")) == before


# --------------------------------------------------------------------------- serve


def test_serve_keeps_the_index_until_it_catches_up_and_then_matches_a_clean_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    builder = SiteBuilder(tmp_path / "content", ROOT / "templates", defer_search=True)
    caught_up = dict(builder.build().files)  # the first index at once
    assert [n for n in caught_up if n.startswith(search.BUNDLE)] and not builder.search_pending
    assert builder.index() is None  # nothing to catch up
    article = tmp_path / "content/news/2021-07-26-qiwu-summary.zh.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n示范搜索词卓越。\n", encoding="utf-8")
    again = builder.build()
    assert (
        builder.search_pending
        and again.files["pagefind/pagefind-entry.json"] == caught_up["pagefind/pagefind-entry.json"]
    )  # the old index, at once
    files = dict(builder.index() or {})
    clean = SiteBuilder(tmp_path / "content", ROOT / "templates").build().files
    index = {name: data for name, data in files.items() if name.startswith(search.BUNDLE)}
    assert index == {name: data for name, data in clean.items() if name.startswith(search.BUNDLE)}
    assert index != {name: data for name, data in caught_up.items() if name.startswith(search.BUNDLE)}
    assert files == dict(clean)


def test_a_search_begun_with_the_older_index_finishes_after_it_caught_up(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shown: list = []
    live = LiveBuilder(
        tmp_path / "content", ROOT / "templates", publish=shown.append, stale=lambda: None, out=lambda _: None
    )
    first = live.build_now()
    article = tmp_path / "content/news/2021-07-26-qiwu-summary.zh.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n示范搜索词卓越。\n", encoding="utf-8")
    live.build_now({article})
    caught_up = live.index_now()
    gone = sorted(n for n in first.files if n.startswith(search.BUNDLE) and n not in caught_up.files)
    assert [n for n in gone if n.endswith(".pf_index")], "the new word changes a chunk of the zh index"
    for name in gone:  # the chunks a search page that read the older entry file asks for next
        answer = respond(caught_up, caught_up.base_path + name, 0)
        assert (answer.status, answer.body) == (200, first.files[name]), name
    assert (
        respond(caught_up, caught_up.base_path + "pagefind/pagefind-entry.json", 0).body
        == (caught_up.files["pagefind/pagefind-entry.json"])
    )  # the entry file is the new one
    assert respond(caught_up, caught_up.base_path + "zh/no-such-page/", 0).status == 404


def test_search_works_in_serve_and_catches_up_after_a_save_without_a_reload(browser: Browser, tmp_path: Path) -> None:
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    with Preview(tmp_path / "content", tmp_path / "templates") as preview, ReloadClient(preview.port) as reloads:
        assert get(preview.url + "pagefind/pagefind-entry.json")[0] == 200  # the first index with the first build
        status, headers, _ = get(preview.url + "pagefind/pagefind-worker.js")
        assert status == 200 and "script-src 'self' 'wasm-unsafe-eval'" in headers["content-security-policy"]
        context = browser.new_context()
        context.set_default_timeout(15_000)
        watched = Watched(context, preview.url)
        try:
            _, results = search_for(watched, "zh", "宪法")
            assert len(results) >= 4 and watched.csp_violations() == [] and watched.problems == []
            watched.page.goto("about:blank")  # a preview tab would reload itself meanwhile
            article = tmp_path / "content/news/2021-07-26-qiwu-summary.zh.md"
            article.write_text(article.read_text(encoding="utf-8") + "\n\n示范搜索词卓越。\n", encoding="utf-8")
            reloads.next_reload()  # the pages at once ...
            page = watched.page

            def found_new_word() -> bool:
                page.goto(preview.url + "zh/search/?q=" + quote("卓越"))
                page.wait_for_selector("#search-form[data-searched]")
                return [r["href"] for r in listed(page)] == [preview.url + "zh/news/2021-07-26-qiwu-summary/"]

            wait_until(found_new_word)  # ... the search index after them,
            assert reloads.quiet(1.0)  # shown without another reload
            assert watched.csp_violations() == [] and watched.problems == []
        finally:
            context.close()


def wait_until(condition, timeout: float = 30) -> None:
    """Until ``condition()`` holds; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s"
        time.sleep(0.2)
