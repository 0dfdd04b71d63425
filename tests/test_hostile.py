"""Hostile input (``tests/hostile.py``) in every text field: the site shows it as text, nothing runs.

One build puts every payload in every field; its files are then checked statically (HTML through
html5lib, XML through xml.etree, CSV through csv) and every page is loaded in Chromium with a trap
on ``window`` (``__pwned``, ``alert`` …), a Content-Security-Policy listener and every request
routed, so that a payload that runs, loads something from another host or trips the CSP is seen.
Payloads that must not build at all (raw HTML and remote images in Markdown, ``{{ … }}`` in
Markdown, non-web URLs, YAML tags) are refused as content errors with file and line.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

import html5lib
import pytest

from browser import chromium, serve
from conftest import ROOT, make_site, problems
from hostile import (
    FORMULAS,
    MARKDOWN_PAYLOADS,
    NEWS_GROUP,
    PAYLOADS,
    RAW_HTML,
    REFUSED_FIELDS,
    REFUSED_IN_NEWS,
    REFUSED_MARKDOWN,
    SEP,
    TEMPLATES,
    groups,
    hostile_site,
    markdown_body,
    yaml_str,
)
from sitegen.errors import ContentErrors
from sitegen.site.markup import ALLOWED_TAGS
from sitegen.site.pipeline import build

ATOM = "{http://www.w3.org/2005/Atom}"
TEMPLATE_TAGS = frozenset(
    m.lower()
    for f in (ROOT / "templates").rglob("*.html")
    for m in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", f.read_text())
)
ALLOWED_ELEMENTS = TEMPLATE_TAGS | ALLOWED_TAGS
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "background", "xlink:href", "ping"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def shown(payload: str) -> str:
    """A payload as a text field keeps it: stripped, line ends as an HTML or XML parser gives them."""
    return payload.strip().replace("\r\n", "\n").replace("\r", "\n")


def csv_shown(payload: str) -> str:
    text = payload.strip()
    return "'" + text if text.startswith(FORMULA_START) else text


def parts(texts: Iterable[str]) -> set[str]:
    """The payloads of texts that join several (``hostile.SEP``), each as a field would keep it."""
    return {part.strip() for text in texts for part in text.replace("\r", "\n").split(SEP)}


def chart_labels() -> list[str]:
    """Observance, campaign and kind names as the charts show them (stripped, all distinct)."""
    return [p.strip() for p in PAYLOADS]


# --------------------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    content = hostile_site(tmp_path_factory.mktemp("hostile"))
    return build(content, content.parent / "output", templates=ROOT / "templates", write=False).files


@pytest.fixture(scope="module")
def trees(files: dict[str, bytes]) -> dict[str, object]:
    """Every HTML file parsed by html5lib (parse errors fail here)."""
    parsed = {}
    for name, data in sorted(files.items()):
        if name.endswith(".html"):
            parser = html5lib.HTMLParser(namespaceHTMLElements=False)
            parsed[name] = parser.parse(data)
            assert not parser.errors, (name, parser.errors[:5])
    return parsed


def test_the_corpus_is_large_and_every_payload_is_distinct() -> None:
    assert len(PAYLOADS) >= 60 and len(MARKDOWN_PAYLOADS) >= 60 and len(RAW_HTML) >= 40
    assert len(set(chart_labels())) == len(PAYLOADS)


def test_every_payload_reaches_the_build(files: dict[str, bytes]) -> None:
    pages = [n for n in files if n.endswith(".html")]
    assert len(pages) > len(PAYLOADS)  # unit pages and articles in two languages
    assert f"zh/news/n{len(groups(PAYLOADS, NEWS_GROUP)) - 1:03d}/index.html" in files


# --------------------------------------------------------------------------- HTML, statically


def text_of(element) -> str:
    return "".join(element.itertext())


def clean_url(value: str) -> str:
    """A URL as a browser reads its scheme: no whitespace or controls anywhere, any case, %-decoded."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value)
    return unquote(squeezed).lower()


def site_script(element, name: str) -> bool:
    """One of the site's own scripts: a file under assets/, or a chart's JSON data."""
    if element.get("src") is not None:
        return re.fullmatch(r"(/pufa/|(\.\./)*)assets/[\w./-]+\.js", element.get("src")) is not None and not text_of(
            element
        )
    return element.get("type") == "application/json" and (element.get("id") or "").endswith("-options")


def problems_in(name: str, tree) -> Iterator[str]:
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        if el.tag not in ALLOWED_ELEMENTS:
            yield f"element <{el.tag}>"
        if el.tag == "script" and not site_script(el, name):
            yield f"script {dict(el.attrib)} {text_of(el)[:80]!r}"
        if el.tag == "meta" and el.get("http-equiv", "").lower() == "refresh" and name != "index.html":
            yield f"meta refresh {el.get('content')!r}"
        for attr, value in el.attrib.items():
            if attr.lower().startswith("on") or attr.lower() in ("style", "srcdoc", "formaction"):
                yield f"<{el.tag} {attr}={value!r}>"
            if attr.lower() in URL_ATTRIBUTES and clean_url(value).startswith(BAD_SCHEMES):
                yield f"<{el.tag} {attr}={value!r}>"
            if el.tag == "img" and attr == "src" and re.match(r"^\s*([a-z][a-z0-9+.-]*:|[\\/]{2})", value, re.I):
                yield f"remote image {value!r}"


def test_pages_have_no_scripts_handlers_styles_or_script_urls(trees: dict[str, object]) -> None:
    found = [f"{name}: {p}" for name, tree in trees.items() for p in problems_in(name, tree)]
    assert found == [], "\n".join(found[:40])


def test_no_template_syntax_is_evaluated(files: dict[str, bytes], trees: dict[str, object]) -> None:
    assert not [n for n, data in files.items() if b"1787569" in data]  # {{ 1337*1337 }}
    names = parts(text_of(a) for a in trees["zh/units/index.html"].iter("a"))
    for payload in TEMPLATES:
        assert shown(payload) in names, payload


def test_text_fields_show_every_payload_as_text(trees: dict[str, object]) -> None:
    expected = {shown(p) for p in PAYLOADS}
    units = parts(text_of(a) for a in trees["en/units/index.html"].iter("a"))
    year_page = trees["zh/units/demo/2021/index.html"]
    titles = {text_of(span) for span in year_page.iter("span") if span.get("class") == "title"}
    footer = trees["en/index.html"].find(".//nav[@class='friendly']")
    links = {text_of(a) for a in footer.iter("a")}
    news = parts(text_of(a) for page, tree in trees.items() if "/news/" in page for a in tree.iter("a"))
    for where, seen in (("unit names", units), ("event titles", titles), ("friendly links", links), ("news", news)):
        assert expected - seen == set(), where


def chart_options(tree) -> dict[str, dict]:
    """Chart id → its options, read back from the page's JSON data elements."""
    charts = [el.get("data-chart") for el in tree.iter("div") if el.get("class") == "chart"]
    data = {el.get("id"): el for el in tree.iter("script") if el.get("type") == "application/json"}
    assert sorted(c + "-options" for c in charts) == sorted(data)  # nothing broke out of, or into, the data
    return {key.removesuffix("-options"): json.loads(text_of(el)) for key, el in data.items()}


def family_chart(tree, family: str) -> tuple[dict, str]:
    """The options of the page's chart stacked by ``family`` (``occasion``/``kind``) and the header
    of its "Other" column (which names what "Other" holds; empty if nothing is grouped)."""
    (cid, options), *more = [
        (cid, o)
        for cid, o in chart_options(tree).items()
        if any(s.get("id", "").startswith(family + ":") and ":_" not in s["id"] for s in o["series"])
    ]
    assert not more
    (block,) = [el for el in tree.iter("figure") if el.get("id") == cid + "-block"]
    head = [text_of(th) for th in block.iter("th") if th.get("scope") == "col"]
    return options, head[-1] if options["series"][-1]["id"].endswith(":_other") else ""


def assert_every_label_charted(options: dict, other: str) -> None:
    names = [s["name"] for s in options["series"]]
    assert options["legend"][0]["data"] == names and len(set(names)) == len(names)
    missing = [label for label in chart_labels() if not any(label in n for n in names) and shown(label) not in other]
    assert missing == []


@pytest.mark.parametrize("year", [2021, 2022, 2023])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_labels_parse_back_to_the_payloads(trees: dict[str, object], lang: str, year: int) -> None:
    """Each name is a series (legend) or listed in the table as one that "Other" holds."""
    tree = trees[f"{lang}/units/demo/{year}/index.html"]
    assert_every_label_charted(*family_chart(tree, "kind" if year == 2023 else "occasion"))


def test_period_charts_hold_every_label_once(trees: dict[str, object]) -> None:
    for page in ("zh/index.html", "en/units/demo/bawu/index.html"):
        for family in ("occasion", "kind"):
            assert_every_label_charted(*family_chart(trees[page], family))


# --------------------------------------------------------------------------- feeds, sitemap, CSV


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feeds_are_well_formed_and_keep_the_text(files: dict[str, bytes], lang: str) -> None:
    feed = ET.fromstring(files[f"{lang}/feed.xml"])
    entries = [(e.findtext(ATOM + "title"), e.findtext(ATOM + "summary")) for e in feed.iter(ATOM + "entry")]
    assert len(entries) == 50  # the newest 50 items, each with its payload as title and summary
    assert all(title == summary for title, summary in entries)
    assert parts(title for title, _ in entries) <= {shown(p) for p in PAYLOADS}
    assert {el.tag.removeprefix(ATOM) for el in feed.iter()} <= {
        "feed", "title", "id", "link", "updated", "author", "name", "entry", "published", "summary",
    }  # fmt: skip
    assert b"<?xml-stylesheet" not in files[f"{lang}/feed.xml"] and b"<!DOCTYPE" not in files[f"{lang}/feed.xml"]


def test_sitemap_is_well_formed(files: dict[str, bytes]) -> None:
    sitemap = ET.fromstring(files["sitemap.xml"])
    locs = [el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("https://www.example.gov.cn/pufa/") for loc in locs)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_cells_never_start_like_a_formula(files: dict[str, bytes]) -> None:
    tables = {n: csv_rows(data) for n, data in files.items() if n.endswith(".csv")}
    assert len(tables) >= 6
    bad = [(n, c) for n, rows in tables.items() for row in rows for c in row if c.startswith(FORMULA_START)]
    assert [(n, c) for n, c in bad if not is_number(c)] == []


def test_csv_headers_keep_the_names_behind_a_quote(files: dict[str, bytes]) -> None:
    name = next(n for n in files if n.startswith("zh/units/demo/2021/") and n.endswith(".csv") and "-events-" in n)
    *header, other = csv_rows(files[name])[0]  # more names than colours: the last column, 其他（…）, lists the rest
    assert other.startswith("其他（") and len(header) > 10
    assert [p for p in PAYLOADS if csv_shown(p) not in header[1:] and shown(p) not in other] == []
    assert all(h.startswith("'") for h in header if h.lstrip("'").startswith(("=", "+", "-", "@")))
    # a formula listed inside 其他（…） cannot run: the cell starts with 其他
    assert all(csv_shown(p) in header[1:] or shown(p) in other for p in FORMULAS)


# --------------------------------------------------------------------------- in a browser

TRAP = """
(() => {
  let count = 0;
  const hit = () => { count += 1; };
  const fixed = (value) => ({ value, writable: false, configurable: false });
  Object.defineProperty(window, "__pwned", fixed(hit));
  for (const name of ["alert", "confirm", "prompt", "print"]) Object.defineProperty(window, name, fixed(hit));
  Object.defineProperty(window, "__hits", { get: () => count });
  const csp = [];
  Object.defineProperty(window, "__csp", { get: () => csp.slice() });
  document.addEventListener("securitypolicyviolation", (e) => csp.push(e.violatedDirective + " " + e.blockedURI));
})();
"""
"""Installed before any script of a page: counts calls of ``__pwned`` and the dialogs, and CSP violations."""


@pytest.fixture(scope="module")
def origin(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-output")
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    with serve(folder) as url:
        yield url


class Visit:
    """One browser page that walks the site, recording what no page may do."""

    def __init__(self, context, origin: str) -> None:
        self.origin = origin
        self.findings: list[str] = []
        context.add_init_script(TRAP)
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("pageerror", lambda e: self.findings.append(f"{self.page.url}: uncaught {e}"))
        self.page.on("dialog", lambda d: self.findings.append(f"{self.page.url}: dialog {d.message!r}"))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.origin):
            route.continue_()
        else:
            self.findings.append(f"{self.page.url}: request to {url}")
            route.abort()

    def open(self, name: str) -> None:
        page = self.page
        page.goto(self.origin + name.removesuffix("index.html"))
        if name == "index.html":  # the redirect to zh/
            page.wait_for_url(self.origin + "zh/")
        if page.locator(".chart").count():
            page.wait_for_function("!document.querySelector('.chart:not([data-rendered])')")
            for chart in page.locator(".chart").all():  # tooltips show the labels
                chart.hover()
        hits, csp = page.evaluate("[window.__hits, window.__csp]")
        if hits or csp:
            self.findings.append(f"{name}: {hits} script call(s), CSP violations {csp}")


def test_no_page_runs_a_payload_loads_from_another_host_or_violates_the_csp(
    files: dict[str, bytes], origin: str
) -> None:
    pages = sorted(n for n in files if n.endswith(".html"))
    with chromium() as browser:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        visit = Visit(context, origin)
        for name in pages:
            visit.open(name)
        context.close()
    assert visit.findings == [], "\n".join(visit.findings[:40])


def test_the_trap_sees_a_payload_that_runs(tmp_path: Path) -> None:
    """The browser test can fail: a page that does run one payload is caught."""
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><title>x</title><img src=x onerror=__pwned()><script>alert(1)</script>"
        '<img src="http://evil.example/x.png">',
        encoding="utf-8",
    )
    with serve(tmp_path) as url, chromium() as browser:
        context = browser.new_context()
        visit = Visit(context, url)
        visit.open("bad.html")
        context.close()
    assert any("2 script call(s)" in f for f in visit.findings), visit.findings
    assert any("request to http://evil.example/x.png" in f for f in visit.findings), visit.findings


# --------------------------------------------------------------------------- refused


def build_errors(content: Path) -> list:
    with pytest.raises(ContentErrors) as caught:
        build(content, content.parent / "output", templates=ROOT / "templates", write=False)
    return caught.value.sorted()


def located(errors: list, file: str, lines: range) -> list:
    return [e for e in errors if e.path.endswith("content/" + file) and e.line in lines]


@pytest.mark.parametrize("where", ["units/demo/2021.zh.md", "news/n000.zh.md"])
@pytest.mark.parametrize("payload", REFUSED_MARKDOWN)
def test_markdown_that_must_not_build_is_a_located_error(tmp_path: Path, payload: str, where: str) -> None:
    head = "---\ntitle: t\ndate: 2024-01-01\nsource: s\n---\n" if where.startswith("news/") else ""
    first = head.count("\n") + 3  # markdown_body: a paragraph, a blank line, then the payload
    errors = build_errors(make_site(tmp_path, {where: head + markdown_body([payload])}))
    assert located(errors, where, range(first, first + payload.count("\n") + 1)), [str(e) for e in errors]


@pytest.mark.parametrize("payload", REFUSED_IN_NEWS)
def test_a_news_picture_that_is_no_file_of_the_site_is_a_located_error(tmp_path: Path, payload: str) -> None:
    where, head = "news/n000.zh.md", "---\ntitle: t\ndate: 2024-01-01\nsource: s\n---\n"
    first = head.count("\n") + 3
    errors = build_errors(make_site(tmp_path, {where: head + markdown_body([payload])}))
    assert located(errors, where, range(first, first + 1)), [str(e) for e in errors]


RAW_HTML_CHUNKS = groups(RAW_HTML, 20)
"""At most 20 lines with raw HTML are reported per file (``rawhtml.MAX_REPORTED``)."""


@pytest.mark.parametrize("chunk", range(len(RAW_HTML_CHUNKS)))
@pytest.mark.parametrize("where", ["units/demo/2021.zh.md", "news/n000.zh.md"])
def test_raw_html_in_markdown_is_an_error_at_the_line_of_each_payload(tmp_path: Path, where: str, chunk: int) -> None:
    head = "---\ntitle: t\ndate: 2024-01-01\nsource: s\n---\n" if where.startswith("news/") else ""
    payloads = RAW_HTML_CHUNKS[chunk]
    errors = build_errors(make_site(tmp_path, {where: head + markdown_body(payloads)}))
    line, missed = head.count("\n") + 3, []
    for payload in payloads:
        lines = range(line, line + payload.count("\n") + 1)
        if not [e for e in located(errors, where, lines) if "Markdown" in e.en or "HTML comment" in e.en]:
            missed.append(payload)
        line = lines.stop + 1  # markdown_body: a blank line after each payload
    assert missed == [], [str(e) for e in errors]


def refused_files(field: str, value: str) -> tuple[dict[str, str], str, int]:
    """(files, the file that is wrong, the line of the value)."""
    site = "name: 某网站\norganizer: 某单位\n"
    if field == "friendly link url":
        return (
            {
                "site.yaml": site
                + f"base_url: https://www.example.gov.cn/\nfriendly_links:\n  - name: x\n    url: {yaml_str(value)}\n"
            },
            "site.yaml",
            6,
        )
    if field == "base_url":
        return {"site.yaml": site + f"base_url: {yaml_str(value)}\n"}, "site.yaml", 3
    year = "events:\n  - date: 2021-12-04\n    observance: constitution-day\n    title: " + value + "\n"
    return {"units/demo/2021.yaml": year}, "units/demo/2021.yaml", 4


@pytest.mark.parametrize(("field", "value"), REFUSED_FIELDS)
def test_fields_that_must_not_take_a_value_refuse_it_at_its_line(tmp_path: Path, field: str, value: str) -> None:
    files, wrong, line = refused_files(field, value)
    found = problems(make_site(tmp_path, files))
    assert located(found, wrong, range(line, line + 1)), [str(e) for e in found]


def test_markdown_payloads_are_not_refused(tmp_path: Path) -> None:
    """The build group really builds: every Markdown payload in one narrative is accepted."""
    content = make_site(tmp_path, {"units/demo/2021.zh.md": markdown_body(MARKDOWN_PAYLOADS)})
    assert build(content, tmp_path / "output", templates=ROOT / "templates", write=False).pages > 0
