"""Senior mode (长者模式) and the narrow-screen layout of the built example, in headless Chromium, served by a
real nginx under a sub-path (/pufa/).

Senior mode (the 2021 适老化 rules) works with JavaScript off: the checkbox in the header switches it, and
then the text is at least 18 px, every text colour is at least 7:1 against what is behind it, and nothing
moves; with JavaScript the choice is remembered and applied before the page is first drawn, and the text
size buttons still work. Every page type fits a 375 px screen without sideways scrolling of the page, in
both languages and in senior mode; wide tables scroll in their own box. Screenshots of home, the news
column, an article and search at 375 and 1280 px go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from browser import NGINX, build_site, chromium, free_port, import_or_skip, nginx, require
from test_browser import CHART_TEXT_CONTRAST, SHOTS, WCAG, Watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

Axe = import_or_skip("axe_playwright_python.sync_playwright").Axe

ARTICLE = "news/2021-07-26-qiwu-summary/"
PAGES = {
    "home": "",
    "news": "news/",
    "article": ARTICLE,
    "units": "units/",
    "unit": "units/xinzhou-office/",
    "year": "units/xinzhou-office/2023/",
    "report": "units/xinzhou-office/bawu/",
    "overview": "overview/bawu/",
    "sitemap": "sitemap/",
    "search": "search/?q=",
}
"""Every kind of page of the example site, below ``zh/`` or ``en/`` (the 404 page is tested by itself)."""
QUERY = {"zh": "宪法", "en": "Constitution"}

# Every visible piece of text outside the charts: its font size and its contrast with what is behind it.
TEXTS = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = (c) => {
    const v = rgb(c).slice(0, 3).map((x) => x / 255)
      .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (rgb(c)[3] !== 0) return c;
    }
    return "rgb(255, 255, 255)";
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest("svg, script, noscript, .chart, .visually-hidden")) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    const style = getComputedStyle(el);
    const [a, b] = [lum(style.color), lum(background(el))];
    found.push({
      text: node.textContent.trim().slice(0, 30),
      tag: el.tagName.toLowerCase() + (el.className ? "." + el.className : ""),
      size: parseFloat(style.fontSize),
      contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    });
  }
  return found;
}"""

MOVING = """() => [...document.querySelectorAll("*")].flatMap((el) => [el, ...["::before", "::after"]].map((pseudo) => {
  const style = pseudo === el ? getComputedStyle(el) : getComputedStyle(el, pseudo);
  const moves = style.animationName !== "none" || style.transitionDuration.split(",").some((d) => parseFloat(d) > 0);
  return moves ? el.tagName + (pseudo === el ? "" : pseudo) : null;
})).filter(Boolean)"""

# The root font size at the first frame the browser draws (before it, the page is not painted).
FIRST_FRAME = """
requestAnimationFrame(() => {
  window.__firstFrame = getComputedStyle(document.documentElement).fontSize;
});
"""


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


def new_context(browser: Browser, *, javascript: bool = True, width: int = 1280) -> BrowserContext:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def watched(browser: Browser, served: tuple[Path, str]) -> Iterator[Watched]:
    context = new_context(browser)
    yield Watched(context, served[1])
    context.close()


@pytest.fixture
def no_script(browser: Browser, served: tuple[Path, str]) -> Iterator[tuple[Page, str]]:
    """A page with JavaScript off, and the site's URL."""
    context = new_context(browser, javascript=False)
    yield context.new_page(), served[1]
    context.close()


def path_of(kind: str, lang: str) -> str:
    path = f"{lang}/{PAGES[kind]}"
    return path + quote(QUERY[lang]) if kind == "search" else path


def open_page(watched: Watched, path: str) -> Page:
    page = watched.open(path)
    if "/search/" in path:
        page.wait_for_selector("#search-form[data-searched]")
    return page


def root_px(page: Page) -> float:
    return float(page.evaluate("getComputedStyle(document.documentElement).fontSize").removesuffix("px"))


def assert_senior(page: Page, where: str) -> None:
    """Text of at least 18 px (outside the charts), at least 7:1, lines spaced at least 1.8, nothing moving."""
    texts = page.evaluate(TEXTS)
    assert len(texts) > 20, where
    assert [t for t in texts if t["size"] < 18] == [], where
    assert [t for t in texts if t["contrast"] < 7] == [], where
    paragraphs = page.eval_on_selector_all(
        "main p", "els => els.map(p => [parseFloat(getComputedStyle(p).fontSize), getComputedStyle(p).lineHeight])"
    )
    assert paragraphs, where
    for size, height in paragraphs:
        assert size >= 18 and float(height.removesuffix("px")) >= 1.8 * size, (where, size, height)
    assert page.evaluate(MOVING) == [], where
    assert page.evaluate(CHART_TEXT_CONTRAST) >= 7, where  # the charts' labels too (their size is ECharts')


# --------------------------------------------------------------------------- senior mode


@pytest.mark.parametrize("kind", ["home", "article", "report", "search"])
def test_senior_mode_works_without_javascript(no_script: tuple[Page, str], kind: str) -> None:
    page, url = no_script
    path = path_of(kind, "zh" if kind != "report" else "en")
    assert page.goto(url + path).status == 200
    assert root_px(page) == 18  # the normal size
    assert page.get_attribute('footer a[href="#senior"]', "href") == "#senior"  # the footer's entry leads here
    page.click("label.senior-switch")  # no script: the checkbox alone switches the page
    assert page.is_checked("#senior") and root_px(page) >= 20
    assert_senior(page, path)
    page.click("label.senior-switch")
    assert root_px(page) == 18


def test_senior_mode_is_remembered_and_drawn_so_from_the_first_frame(watched: Watched) -> None:
    watched.page.context.add_init_script(FIRST_FRAME)
    page = watched.open("zh/")
    assert page.evaluate("window.__firstFrame") == "18px" and not page.is_checked("#senior")
    page.click("label.senior-switch")
    assert "senior" in page.get_attribute("html", "class").split() and root_px(page) == 20
    for path in ("en/" + ARTICLE, "zh/units/xinzhou-office/bawu/", "en/search/?q=law"):
        page = open_page(watched, path)
        assert page.evaluate("window.__firstFrame") == "20px", path  # no flash of the normal size
        assert page.is_checked("#senior")
        assert_senior(page, path)
    page.click("label.senior-switch")
    page = watched.open("zh/")
    assert page.evaluate("window.__firstFrame") == "18px" and not page.is_checked("#senior")
    assert watched.problems == [] and watched.csp_violations() == []


def test_text_size_buttons_work_in_senior_mode_and_never_go_below_18_px(watched: Watched) -> None:
    page = watched.open("zh/" + ARTICLE)
    page.click("label.senior-switch")
    senior = root_px(page)
    page.click('[data-size="large"]')
    assert root_px(page) > senior
    assert_senior(page, "large")
    page.click('[data-size="small"]')
    assert root_px(page) == senior >= 18
    page.click("label.senior-switch")
    assert root_px(page) < 18  # small, out of senior mode
    page.click('[data-size="medium"]')
    assert root_px(page) == 18


def test_nothing_moves_when_the_reader_asks_for_reduced_motion(watched: Watched) -> None:
    watched.page.emulate_media(reduced_motion="reduce")
    for kind in ("home", "report", "search"):
        page = open_page(watched, path_of(kind, "zh"))
        assert page.evaluate(MOVING) == [], kind


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["home", "article", "report"])
def test_no_wcag_21_aa_violations_in_senior_mode(watched: Watched, lang: str, kind: str) -> None:
    page = open_page(watched, path_of(kind, lang))
    page.click("label.senior-switch")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


# --------------------------------------------------------------------------- narrow screens


def fits(page: Page) -> list[str]:
    """What is wider than the window: the document, or a chart or header item sticking out of it."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          const scrolled = document.documentElement.scrollWidth;
          const out = scrolled > width ? ["document " + scrolled] : [];
          const parts = ".chart, .masthead a, .masthead button, .masthead input, .mainnav a, main h1";
          for (const el of document.querySelectorAll(parts)) {
            const box = el.getBoundingClientRect();
            const outside = box.right > width + 0.5 || box.left < -0.5;
            if (box.width && outside) out.push(el.className || el.textContent.trim());
          }
          return out;
        }"""
    )


@pytest.mark.parametrize("mode", ["normal", "senior", "no script"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_type_fits_a_375_px_screen(browser: Browser, served, lang: str, mode: str) -> None:
    context = new_context(browser, width=375, javascript=mode != "no script")
    if mode == "senior":
        context.add_init_script("localStorage.setItem('sitegen-senior', 'on')")
    watched = Watched(context, served[1])
    try:
        for kind in PAGES:
            path = path_of(kind, lang)
            if mode == "no script":  # nothing is drawn or searched: the page as it comes
                assert watched.page.goto(watched.origin + path).status == 200, path
                page = watched.page
            else:
                page = open_page(watched, path)
            assert page.evaluate("window.innerWidth") == 375
            assert ("senior" in (page.get_attribute("html", "class") or "")) == (mode == "senior")
            assert fits(page) == [], kind
        response = watched.page.goto(served[1] + f"{lang}/no-such-page/")
        assert response.status == 404 and fits(watched.page) == []
        assert watched.foreign_requests() == []
    finally:
        context.close()


def test_wide_tables_scroll_in_their_own_box(browser: Browser, served) -> None:
    context = new_context(browser, width=375)
    context.add_init_script("localStorage.setItem('sitegen-senior', 'on')")
    watched = Watched(context, served[1])
    try:
        page = watched.open("zh/units/xinzhou-office/bawu/")
        boxes = page.eval_on_selector_all(
            ".table-scroll",
            """els => els.map(el => ({wide: el.scrollWidth > el.clientWidth, overflow: getComputedStyle(el).overflowX,
                                      right: el.getBoundingClientRect().right, focusable: el.tabIndex >= 0}))""",
        )
        wide = [box for box in boxes if box["wide"]]
        assert wide, boxes  # senior-mode text at 375 px: some tables are wider than the screen ...
        assert all(box["overflow"] == "auto" and box["right"] <= 375.5 and box["focusable"] for box in wide)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # ... and the page is not
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", ["home", "news", "article", "search"])
def test_screenshots_for_a_person_to_look_at(watched: Watched, kind: str, width: int) -> None:
    watched.page.set_viewport_size({"width": width, "height": 900})
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        shot = SHOTS / f"{kind}-{lang}-{width}.png"
        open_page(watched, path_of(kind, lang)).screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
    page = watched.page
    page.click("label.senior-switch")
    shot = SHOTS / f"{kind}-zh-{width}-senior.png"
    open_page(watched, path_of(kind, "zh")).screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert watched.problems == []
