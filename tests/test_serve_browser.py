"""``serve`` end to end in headless Chromium: the page connects to livereload under its own strict
Content-Security-Policy, reloads by itself on a save, shows a mistake over the page in its
language, and comes back by itself when the file is fixed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import chromium, import_or_skip
from conftest import ROOT
from livepreview import Preview, edit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

sync_playwright = import_or_skip("playwright.sync_api").sync_playwright

YEAR_PAGE = "units/xinzhou-office/2023/"
NARRATIVE = "content/units/xinzhou-office/2023.zh.md"
YEAR = "content/units/xinzhou-office/2023.yaml"
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
CONNECTED = "() => window.LiveReload && window.LiveReload.connector.protocol === 7"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


class Tab:
    """A page that records console errors, CSP violations and requests to other hosts."""

    def __init__(self, browser: Browser, origin: str) -> None:
        context = browser.new_context()
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        self.origin = origin
        self.page: Page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        host = origin.split("/pufa/")[0] + "/"
        self.page.on("request", lambda r: r.url.startswith(host) or self.problems.append("foreign: " + r.url))

    def open(self, path: str) -> Page:
        self.page.goto(self.origin + path)
        self.page.wait_for_function(CONNECTED)  # livereload.js loaded and shook hands over the websocket
        return self.page

    def reloaded(self, change) -> None:
        """Run ``change`` and wait until the page has reloaded by itself and reconnected."""
        self.page.evaluate("window.__before = 1")
        change()
        self.page.wait_for_function("() => window.__before === undefined")
        self.page.wait_for_function(CONNECTED)

    def csp(self) -> list[str]:
        return self.page.evaluate("window.__csp")


def test_save_reload_mistake_and_fix_in_chromium(browser: Browser, site: Path) -> None:
    with Preview(site / "content", site / "templates") as preview:
        zh, en = Tab(browser, preview.url), Tab(browser, preview.url)
        page = zh.open("zh/" + YEAR_PAGE)
        en.open("en/" + YEAR_PAGE)

        zh.reloaded(lambda: edit(site / NARRATIVE, "2023年是", "【浏览器中可见】2023年是"))
        assert "【浏览器中可见】" in page.inner_text("main")

        zh.reloaded(lambda: edit(site / YEAR, "    participants: 44", "    partcipants: 44"))
        box = page.locator("#sitegen-problems")
        assert box.is_visible() and box.bounding_box()["y"] == 0  # over the page, at the top
        text = box.inner_text()
        assert "2023.yaml:" in text and "partcipants" in text and "未知字段" in text and "^" in text
        en.page.wait_for_selector("#sitegen-problems")
        assert "Unknown field" in en.page.inner_text("#sitegen-problems")
        assert "【浏览器中可见】" in page.inner_text("main")  # the last good page stays readable below

        zh.reloaded(lambda: edit(site / YEAR, "    partcipants: 44", "    participants: 44"))
        assert page.locator("#sitegen-problems").count() == 0
        en.page.wait_for_function("!document.querySelector('#sitegen-problems')")

        for tab in (zh, en):
            assert tab.csp() == [], tab.csp()  # script-src/connect-src 'self' allow the script and the socket
            assert tab.problems == [], tab.problems
