"""The example article with a picture and attachments, and the home page with 图片新闻, in headless Chromium:
no WCAG 2.1 AA violations (axe-core) in either language, 【字体：大 中 小】 changes the text size, nothing dead
shows without JavaScript, 打印 prints and the article prints cleanly, every picture and attachment loads.

Screenshots of the home page and the article at 375 and 1280 px wide, in both languages, are saved under
tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import ROOT, build_site, chromium, import_or_skip, serve

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Page

    Opener = Callable[..., Page]

Axe = import_or_skip("axe_playwright_python.sync_playwright").Axe

ARTICLE = "news/2023-12-04-constitution-day/"
ARTIFACTS = ROOT / "tests" / "artifacts"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build_site(tmp_path_factory.mktemp("articles") / "output")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def opened(browser: Browser, origin: str) -> Iterator[Opener]:
    """``opened(path, width=…, javascript=…)``: a page of the site in a fresh context, every picture loaded
    (lazy ones too: the page is scrolled through), with no failed request or script error."""
    contexts = []

    def open_page(path: str, *, width: int = 1280, javascript: bool = True) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        problems: list[str] = []
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        response = page.goto(origin + path)
        assert response and response.status == 200, path
        for _ in range(0, page.evaluate("document.documentElement.scrollHeight") + 900, 600):
            page.mouse.wheel(0, 600)
        page.wait_for_load_state("networkidle")
        page.wait_for_function("[...document.images].every((i) => i.complete)")
        page.evaluate("window.scrollTo(0, 0)")
        assert problems == []
        return page

    yield open_page
    for context in contexts:
        context.close()


def body_font_size(page: Page) -> float:
    return float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["", ARTICLE])
def test_no_wcag_21_aa_violations(opened: Opener, lang: str, path: str) -> None:
    page = opened(f"{lang}/{path}")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pictures_and_attachments_load(opened: Opener, lang: str) -> None:
    page = opened(f"{lang}/{ARTICLE}")
    sizes = page.eval_on_selector_all(".body img", "els => els.map((i) => [i.naturalWidth, i.width, i.alt])")
    assert sizes and all(natural == 960 and alt for natural, _, alt in sizes), sizes
    links = page.eval_on_selector_all(".picture-original, .attachments a[download]", "els => els.map((a) => a.href)")
    assert len(links) == 3
    for href in links:
        response = page.request.get(href)
        assert response.status == 200 and len(response.body()) > 1000, href
    home = opened(f"{lang}/")
    assert home.eval_on_selector_all(".pictures img", "els => els.map((i) => i.naturalWidth)") == [480]


def test_the_article_font_buttons_change_the_text_size(opened: Opener) -> None:
    page = opened("zh/" + ARTICLE)
    medium = body_font_size(page)
    assert page.is_visible(".article-tools")
    page.click('.article-tools [data-size="large"]')
    assert body_font_size(page) > medium
    pressed = page.eval_on_selector_all('[data-size="large"]', "els => els.map((b) => b.getAttribute('aria-pressed'))")
    assert pressed == ["true", "true"]  # the masthead's buttons say so too
    page.click('.article-tools [data-size="small"]')
    assert body_font_size(page) < medium
    page.context.add_init_script("window.print = function () { window.__printed = true; };")
    page.reload()
    page.click(".article-tools [data-print]")
    assert page.evaluate("window.__printed") is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_javascript_nothing_dead_shows(opened: Opener, lang: str) -> None:
    page = opened(f"{lang}/{ARTICLE}", javascript=False)
    assert not page.is_visible(".article-tools") and not page.is_visible("[data-print]")
    visible = page.eval_on_selector_all(
        "button",
        "els => els.filter((b) => b.offsetParent !== null).map((b) => [b.type, !!b.form, b.textContent.trim()])",
    )
    assert all(kind == "submit" and in_form for kind, in_form, _ in visible), visible  # the search form's button
    dead = page.eval_on_selector_all("a", "els => els.filter((a) => !a.getAttribute('href')).map((a) => a.outerHTML)")
    assert dead == []
    assert page.is_visible(".body figure img") and page.is_visible(".attachments")


def test_the_article_prints_cleanly(opened: Opener) -> None:
    page = opened("zh/" + ARTICLE)
    page.emulate_media(media="print")
    for hidden in (".article-tools", ".mainnav", ".masthead .tools", ".breadcrumb", ".footer-contact", ".article-nav"):
        assert not page.is_visible(hidden), hidden
    for shown in (".article h1", ".article .meta", ".body figure img", ".attachments", ".footer-organ"):
        assert page.is_visible(shown), shown
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "article-zh.pdf").write_bytes(pdf)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name, path", [("home", ""), ("article", ARTICLE)])
def test_screenshots_fit_the_width(opened: Opener, name: str, path: str, lang: str, width: int) -> None:
    page = opened(f"{lang}/{path}", width=width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    shot = Path(ARTIFACTS / f"{name}-{lang}-{width}.png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
