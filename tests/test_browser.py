"""The built site in a real browser (system Chromium through Playwright): it loads cleanly, draws its
charts, switches language, size and contrast, prints, obeys its own Content-Security-Policy, and
passes axe-core's WCAG 2.1 A/AA rules in both languages.

Screenshots for a person to look at are written to tests/artifacts/screenshots/ (git-ignored; CI can keep them).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import build_site, chromium, import_or_skip, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

sync_playwright = import_or_skip("playwright.sync_api").sync_playwright
PlaywrightTimeout = import_or_skip("playwright.sync_api").TimeoutError
Axe = import_or_skip("axe_playwright_python.sync_playwright").Axe

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
BAWU = "units/xinzhou-office/bawu/"
YEAR = "units/xinzhou-office/2023/"
ARTICLE = "news/2021-07-26-qiwu-summary/"
CLEAN_PAGES = ["zh/", "en/", "zh/" + BAWU, "zh/" + YEAR, "zh/units/xinzhou-office/qiwu/", "zh/news/", "zh/" + ARTICLE]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Collects Content-Security-Policy violations the page reports (before any script of the page runs).
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + where);
});
"""

# The lowest contrast ratio of the text drawn in the charts against what is behind it (WCAG 1.4.3).
CHART_TEXT_CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = (c) => {
    const v = rgb(c).map((x) => x / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (rgb(c)[3] !== 0) return c;
    }
    return "rgb(255, 255, 255)";
  };
  let worst = 21;
  for (const text of document.querySelectorAll(".chart svg text")) {
    const [a, b] = [lum(getComputedStyle(text).fill), lum(background(text.closest(".chart")))];
    worst = Math.min(worst, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
  }
  return worst;
}"""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="module")
def origin(output: Path) -> Iterator[str]:
    with serve(output) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


class Watched:
    """A fresh page (own context: empty localStorage) recording everything a test may object to."""

    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.problems: list[str] = []
        context.add_init_script(CSP_LISTENER)
        self.page = page = context.new_page()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("console", self._console)

    def _failed(self, request) -> None:
        # The icon is fetched after the load event; going on to the next page cancels it (not a failure).
        if "favicon" in request.url and "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message: ConsoleMessage) -> None:
        # The site declares its own icon, so the browser never asks for /favicon.ico: no exception here.
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def open(self, path: str) -> Page:
        response = self.page.goto(self.origin + path)
        assert response and response.status == 200, path
        self.page.wait_for_function("!document.querySelector('.chart:not([data-rendered])')")  # charts drawn
        return self.page

    def csp_violations(self) -> list[str]:
        return sorted(set(self.page.evaluate("window.__csp")))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin)]


@pytest.fixture
def watched(browser: Browser, origin: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)  # fail fast: every page here loads in well under a second
    yield Watched(context, origin)
    context.close()


def chart_pages(output: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(output).as_posix() + "/"
        for p in output.glob("*/**/index.html")
        if 'class="chart"' in p.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("path", CLEAN_PAGES)
def test_page_loads_without_errors_failures_or_foreign_requests(watched: Watched, path: str) -> None:
    watched.open(path)
    watched.page.wait_for_load_state("networkidle")
    assert watched.problems == []
    assert watched.foreign_requests() == []
    assert watched.requests[0] == watched.origin + path


def test_every_chart_on_every_page_draws(watched: Watched, output: Path) -> None:
    pages = chart_pages(output)
    assert len(pages) >= 10 and "zh/" in pages and "en/" + BAWU in pages
    for path in pages:
        page = watched.open(path)
        charts = page.eval_on_selector_all(
            ".chart[data-chart]",
            """els => els.map(el => ({
                id: el.dataset.chart,
                rendered: el.dataset.rendered,
                marks: el.querySelectorAll("svg path, svg rect:not(:first-child)").length,
            }))""",
        )
        assert charts, path
        for chart in charts:
            assert chart["rendered"] == "true" and chart["marks"] > 0, (path, chart)
    assert watched.problems == []


@pytest.mark.parametrize("path", ["zh/", "en/", "zh/" + BAWU, "en/" + YEAR, "zh/" + ARTICLE, "en/news/"])
def test_language_switch_leads_to_the_counterpart(watched: Watched, path: str) -> None:
    page = watched.open(path)
    with page.expect_navigation() as navigation:
        page.click("a.lang-switch")
    assert navigation.value.status == 200
    other = {"zh": "en", "en": "zh"}[path[:2]]
    assert page.url == watched.origin + other + path[2:]
    assert page.get_attribute("html", "lang") == {"zh": "zh-CN", "en": "en"}[other]


def font_size(page: Page) -> float:
    return float(page.evaluate("getComputedStyle(document.documentElement).fontSize").removesuffix("px"))


def test_text_size_changes_and_is_remembered(watched: Watched) -> None:
    page = watched.open("zh/")
    medium = font_size(page)
    page.click('[data-size="large"]')
    large = font_size(page)
    assert large > medium
    assert page.get_attribute('[data-size="large"]', "aria-pressed") == "true"
    page = watched.open("zh/" + ARTICLE)
    assert font_size(page) == large
    assert "size-large" in page.get_attribute("html", "class")
    page.click('[data-size="small"]')
    assert font_size(page) < medium
    page = watched.open("en/")
    assert font_size(page) < medium


def test_high_contrast_toggles_and_is_remembered(watched: Watched) -> None:
    background = "getComputedStyle(document.body).backgroundColor"
    page = watched.open("zh/")
    normal = page.evaluate(background)
    page.click("[data-contrast]")
    assert "contrast" in page.get_attribute("html", "class").split()
    assert page.get_attribute("[data-contrast]", "aria-pressed") == "true"
    dark = page.evaluate(background)
    assert dark != normal
    page = watched.open("en/" + BAWU)
    assert "contrast" in page.get_attribute("html", "class").split()
    assert page.evaluate(background) == dark
    page.click("[data-contrast]")
    assert page.evaluate(background) == normal
    page = watched.open("zh/")
    assert "contrast" not in page.get_attribute("html", "class").split()


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_fit_the_screen_width(watched: Watched, width: int) -> None:
    """No sideways scrolling of the page: wide tables scroll inside their own box."""
    watched.page.set_viewport_size({"width": width, "height": 900})
    for path in ["zh/", "en/", "zh/" + BAWU, "en/" + BAWU, "en/" + YEAR, "en/overview/bawu/", "en/" + ARTICLE]:
        page = watched.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path


def test_chart_text_is_readable_in_normal_and_high_contrast(watched: Watched) -> None:
    page = watched.open("en/" + BAWU)
    assert page.evaluate(CHART_TEXT_CONTRAST) >= 4.5
    page.click("[data-contrast]")
    assert page.evaluate(CHART_TEXT_CONTRAST) >= 4.5


def test_print_button_prints(watched: Watched) -> None:
    watched.page.add_init_script("window.print = function () { window.__printed = true; };")
    page = watched.open("zh/" + BAWU)
    page.click("[data-print]")
    assert page.evaluate("window.__printed") is True


def test_report_prints_to_a_multi_page_a4_pdf(watched: Watched) -> None:
    page = watched.open("zh/" + BAWU)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) > 1  # page objects, not the /Pages tree
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "zh-bawu.pdf").write_bytes(pdf)
    page.emulate_media(media="print")
    assert not page.is_visible(".tools") and not page.is_visible(".mainnav")
    measure = "els => els.map(el => [el.clientHeight, +el.querySelector('svg').getAttribute('height')])"
    redrawn = f"() => ({measure})([...document.querySelectorAll('.chart[data-chart]')]).every(([a, b]) => a === b)"
    with contextlib.suppress(PlaywrightTimeout):  # the media change reaches charts.js as an event, a moment later
        page.wait_for_function(redrawn, timeout=5000)
    sizes = page.eval_on_selector_all(".chart[data-chart]", measure)  # redrawn for the paper, not the screen
    assert sizes and all(chart == svg for chart, svg in sizes), sizes


@pytest.mark.parametrize("path", ["zh/", "en/" + BAWU, "zh/" + YEAR, "zh/overview/bawu/"])
def test_charts_obey_the_content_security_policy(watched: Watched, path: str) -> None:
    """No violation while the charts draw, show their tooltips (hover) and redraw (resize)."""
    page = watched.open(path)
    for chart in page.query_selector_all(".chart[data-chart]"):
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        elements = chart.eval_on_selector_all("*", "els => els.length")
        for x in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * 0.6)
            page.wait_for_timeout(50)
        assert chart.eval_on_selector_all("*", "els => els.length") > elements  # a tooltip shows
    page.set_viewport_size({"width": 480, "height": 900})
    page.wait_for_timeout(300)  # charts.js redraws 150 ms after the last resize
    assert watched.csp_violations() == []
    assert [p for p in watched.problems if "Content Security Policy" in p] == []


@pytest.mark.parametrize("name, path", [("zh-home", "zh/"), ("en-bawu", "en/" + BAWU), ("zh-2023", "zh/" + YEAR)])
def test_screenshots_for_a_person_to_look_at(watched: Watched, name: str, path: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}.png"
    watched.open(path).screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "path",
    ["", BAWU, YEAR, ARTICLE, "news/", "notices/", "news/units/xinzhou-office/", "groups/party-organs/", "data/"],
)
def test_no_wcag_21_aa_violations(watched: Watched, lang: str, path: str) -> None:
    results = Axe().run(watched.open(f"{lang}/{path}"), options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["zh/", "en/" + BAWU])
def test_no_wcag_21_aa_violations_in_high_contrast(watched: Watched, path: str) -> None:
    page = watched.open(path)
    page.click("[data-contrast]")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
