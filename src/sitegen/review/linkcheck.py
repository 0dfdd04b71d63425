"""Checking the files of a built site: links, anchors, language switches, referenced files, markup.

Works on the files of a build (``path → bytes``), as a visitor's browser would meet them:

- every link and ``#anchor`` leads somewhere, in both languages, and the language switch
  leads to the same page in the other language; every page exists in both languages;
- every file a page loads (script, stylesheet, image) or links to (CSV) exists;
- ids are unique and ``aria-labelledby``/``for`` refer to ids on the page;
- the HTML parses without errors by the HTML5 algorithm browsers use (html5lib), and
  feeds and the sitemap are well-formed XML.

A broken link written in a Markdown text is reported at its line in that file; anything
else at its line in the built page, named ``output/<page>``.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import html5lib
from html5lib.constants import E as HTML5_MESSAGES

from ..content.model import Content, Markdown
from ..errors import ContentError, display_path, make_error

Files = Mapping[str, bytes]
SITE_LABEL = "output"
"""How built files are named in messages: ``output/zh/news/index.html``."""

_IDREF_ATTRS = ("aria-labelledby", "aria-describedby", "aria-controls", "for")
_CSS_URL = re.compile(rb"""url\(\s*['"]?([^'")]+)""")


# --------------------------------------------------------------------------- links and anchors


@dataclass(frozen=True)
class Ref:
    """A reference in a built file: a link, a script, an image, a redirect."""

    page: str
    """The file it is in, relative to the site root."""
    line: int
    column: int
    value: str
    is_asset: bool = False
    """Loaded by the browser (``src``, a stylesheet): a missing one breaks the page."""
    lang_switch: bool = False


@dataclass
class ParsedPage:
    """What link checking needs from one HTML page."""

    refs: list[Ref] = field(default_factory=list)
    ids: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    idrefs: list[tuple[str, str, int, int]] = field(default_factory=list)
    """(attribute, id, line, column) of ``aria-labelledby``, ``for`` …"""


class _Collector(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.found.ids.setdefault(values["id"], []).append((line, offset + 1))
        switch = tag == "a" and "lang-switch" in values.get("class", "").split()
        stylesheet = tag == "link" and "stylesheet" in values.get("rel", "").lower().split()
        for attr in ("href", "src"):
            if values.get(attr, "").strip():
                asset = attr == "src" or stylesheet
                self.found.refs.append(Ref(self.page, line, offset + 1, values[attr].strip(), asset, switch))
        refresh = re.search(r"url=(.+)$", values.get("content", ""), re.I)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh" and refresh:
            self.found.refs.append(Ref(self.page, line, offset + 1, refresh[1].strip().strip("'\"")))
        for attr in _IDREF_ATTRS:
            for ident in values.get(attr, "").split():
                self.found.idrefs.append((attr, ident, line, offset + 1))


def parse_page(page: str, data: bytes) -> ParsedPage:
    """The references, ids and id references of one HTML page."""
    collector = _Collector(page)
    collector.feed(data.decode("utf-8", errors="replace"))
    collector.close()
    return collector.found


def resolve(page: str, value: str, base_url: str) -> tuple[str, str] | None:
    """The site file that ``value`` on ``page`` leads to, and its fragment.

    ``None`` for another site or a ``mailto:``; the file is ``""`` when the reference leaves the
    site. Absolute addresses under ``base_url`` and paths under its path count as the site's own.
    """
    base_path = urlsplit(base_url).path or "/"
    if value.startswith(base_url):
        value = base_path + value[len(base_url) :]
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return page, unquote(parts.fragment)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return "", parts.fragment
        joined = path[len(base_path) :]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return "", parts.fragment
    if normal == "." or path.endswith("/"):
        normal = "index.html" if normal == "." else normal + "/index.html"
    return normal, unquote(parts.fragment)


def counterpart(page: str) -> str | None:
    """The same page in the other language (``zh/x/index.html`` ↔ ``en/x/index.html``)."""
    lang, _, rest = page.partition("/")
    other = {"zh": "en", "en": "zh"}.get(lang)
    return f"{other}/{rest}" if other and rest else None


def check_links(content: Content, files: Files, label: str = SITE_LABEL) -> list[ContentError]:
    """Links, anchors, language switches, referenced files and id references of every page."""
    pages = {name: parse_page(name, data) for name, data in sorted(files.items()) if name.endswith(".html")}
    base_url = content.site.base_url
    findings: list[tuple[Ref, tuple[str, str]]] = []
    for ref in _all_refs(pages, files, base_url):
        problem = _ref_problem(ref, files, pages, base_url)
        if problem is not None:
            findings.append((ref, problem))
    errors = _located(findings, content, files, label)
    for name, parsed in pages.items():
        errors.extend(_id_problems(name, parsed, files, label))
        other = counterpart(name)
        if other and other not in files:
            errors.append(
                page_error(
                    files,
                    label,
                    name,
                    1,
                    0,
                    f"这个页面没有{_LANG_ZH[other[:2]]}版本（{other}），语言切换会落空。",
                    f"This page has no {_LANG_EN[other[:2]]} version ({other}): the language switch leads nowhere.",
                )
            )
    return errors


_LANG_ZH = {"zh": "中文", "en": "英文"}
_LANG_EN = {"zh": "Chinese", "en": "English"}


def _all_refs(pages: dict[str, ParsedPage], files: Files, base_url: str) -> Iterator[Ref]:
    for parsed in pages.values():
        yield from parsed.refs
    for name, data in sorted(files.items()):
        if name.endswith(".xml"):
            yield from _xml_refs(name, data, base_url)
        elif name.endswith(".css"):
            for match in _CSS_URL.finditer(data):
                line = data.count(b"\n", 0, match.start()) + 1
                value = match[1].decode("utf-8", errors="replace").strip()
                if not value.startswith("data:"):
                    yield Ref(name, line, 0, value, is_asset=True)


def _xml_refs(name: str, data: bytes, base_url: str) -> Iterator[Ref]:
    """Addresses of the site's own pages in a feed or sitemap (``<loc>``, ``href``)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return  # reported by check_markup
    for element in root.iter():
        for value in (element.get("href"), element.text if element.tag.endswith("}loc") else None):
            if value and value.strip().startswith(base_url):
                yield Ref(name, 0, 0, value.strip())


def _ref_problem(ref: Ref, files: Files, pages: dict[str, ParsedPage], base_url: str) -> tuple[str, str] | None:
    resolved = resolve(ref.page, ref.value, base_url)
    if resolved is None:
        return None
    target, fragment = resolved
    if target and target not in files and f"{target}/index.html" in files:
        target += "/index.html"  # a folder without the trailing slash: servers redirect
    if not target:
        return (f"链接“{ref.value}”超出了网站的范围。", f'The link "{ref.value}" points outside the site.')
    shown = target.removesuffix("index.html")
    if target not in files:
        if ref.is_asset or not target.endswith((".html", ".xml")):
            return (
                f"引用的文件“{ref.value}”不存在（{target}）。",
                f'The referenced file "{ref.value}" does not exist ({target}).',
            )
        return (
            f"链接“{ref.value}”指向的页面不存在（{shown}）。",
            f'The link "{ref.value}" leads to a page that does not exist ({shown}).',
        )
    expected = counterpart(ref.page) if ref.lang_switch else None
    if expected and target != expected:
        return (
            f"语言切换链接“{ref.value}”没有指向本页的另一语言版本（应为 {expected.removesuffix('index.html')}，"
            f"实为 {shown}）。",
            f'The language switch "{ref.value}" does not lead to this page in the other language '
            f"(expected {expected.removesuffix('index.html')}, found {shown}).",
        )
    if fragment and target in pages and fragment not in pages[target].ids:
        if ref.value.startswith("#"):
            return (f"本页没有锚点“#{fragment}”。", f'There is no anchor "#{fragment}" on this page.')
        return (
            f"链接“{ref.value}”中的锚点“#{fragment}”在 {shown} 中不存在。",
            f'The anchor "#{fragment}" of the link "{ref.value}" does not exist in {shown}.',
        )
    return None


def _id_problems(name: str, parsed: ParsedPage, files: Files, label: str) -> Iterator[ContentError]:
    for ident, places in sorted(parsed.ids.items()):
        for line, column in places[1:]:
            yield page_error(
                files,
                label,
                name,
                line,
                column,
                f"id“{ident}”在本页出现了不止一次，链接到“#{ident}”会跳到第一个。",
                f'The id "{ident}" appears more than once on this page; a link to "#{ident}" jumps to the first.',
            )
    for attr, ident, line, column in parsed.idrefs:
        if ident not in parsed.ids:
            yield page_error(
                files,
                label,
                name,
                line,
                column,
                f"{attr} 引用的 id“{ident}”在本页不存在。",
                f'{attr} refers to the id "{ident}", which is not on this page.',
            )


def page_error(files: Files, label: str, page: str, line: int, column: int, zh: str, en: str) -> ContentError:
    """An error at ``line`` of the built file ``page`` (shown as ``label/page``)."""
    text = files[page].decode("utf-8", errors="replace") if page in files else None
    return make_error(f"{label}/{page}", line, column, zh, en, text=text)


def _located(
    findings: list[tuple[Ref, tuple[str, str]]], content: Content, files: Files, label: str
) -> list[ContentError]:
    """One error per place: the Markdown line a link was written on, else the built page."""
    texts = _markdown_texts(content) if findings else []
    grouped: dict[tuple[str, int, int, str, str, str], list[str]] = {}
    for ref, (zh, en) in findings:
        source = _find_in_markdown(texts, ref.value)
        key = (*source, zh, en) if source else (f"{label}/{ref.page}", ref.line, ref.column, "", zh, en)
        grouped.setdefault(key, {})[ref.page] = None
    errors = []
    for (path, line, column, source_line, zh, en), found_on in grouped.items():
        pages = list(found_on)
        if source_line:  # found in the content: say on which built pages it shows
            shown = ", ".join(p.removesuffix("index.html") for p in pages[:3]) + (" …" if len(pages) > 3 else "")
            error = make_error(path, line, column, f"{zh}（见于 {shown}）", f"{en} (on {shown})")
            error.source_line = source_line
        else:
            error = page_error(files, label, path.removeprefix(label + "/"), line, column, zh, en)
        errors.append(error)
    return errors


def _markdown_texts(content: Content) -> list[Markdown]:
    texts: list[Markdown | None] = []
    for item in content.news:
        texts += [item.body_zh, item.body_en]
    for unit in content.units:
        for unit_year in unit.years.values():
            texts += [unit_year.narrative.zh, unit_year.narrative.en]
        for unit_period in unit.periods.values():
            for narrative in unit_period.sections.values():
                texts += [narrative.zh, narrative.en]
    return [t for t in texts if t is not None]


def _find_in_markdown(texts: list[Markdown], value: str) -> tuple[str, int, int, str] | None:
    """Where ``value`` is written as a link target in a Markdown text: ``](value``, ``<value>``, ``]: value``."""
    for md in texts:
        for index, line in enumerate(md.text.split("\n")):
            for before in ("](", "<", "]: "):
                column = line.find(before + value)
                if column >= 0:
                    return display_path(md.path), md.line + index, column + len(before) + 1, line
    return None


# --------------------------------------------------------------------------- markup


def check_markup(files: Files, label: str = SITE_LABEL) -> list[ContentError]:
    """HTML parse errors (as browsers parse it) and XML that is not well-formed."""
    errors: list[ContentError] = []
    for name, data in sorted(files.items()):
        if name.endswith(".html"):
            parser = html5lib.HTMLParser(namespaceHTMLElements=False)
            parser.parse(data, transport_encoding="utf-8")
            for (line, column), code, data_vars in parser.errors:
                message = HTML5_MESSAGES.get(code, code) % (data_vars or {})
                zh, en = f"HTML 解析错误（{code}）：{message}", f"HTML parse error: {message}"
                errors.append(page_error(files, label, name, line, column, zh, en))
        elif name.endswith(".xml"):
            try:
                ET.fromstring(data)
            except ET.ParseError as exc:
                line, column = exc.position
                zh, en = f"XML 格式错误：{exc}", f"The XML is not well-formed: {exc}"
                errors.append(page_error(files, label, name, line, column + 1, zh, en))
    return errors
