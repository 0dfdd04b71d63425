"""Narrative Markdown to safe HTML, with figures filled in from the data.

Narratives may refer to computed figures as ``{{ name }}`` (this page's figure) or
``{{ 2023.name }}`` (one year's), so that text and data cannot drift apart. An unknown
name is a content error at the exact line.

Before Python-Markdown sees a text, :func:`sitegen.site.mdlimits.check_limits` bounds its size and
nesting, so that no file takes more than a few seconds. Raw HTML is not Markdown's business here:
it is switched off, and since ``<b>`` or an HTML comment would show as typed, each is a content error
(:mod:`sitegen.site.rawhtml`); the HTML is sanitised with nh3 all the same, so
scripts, event-handler attributes and ``javascript:``/``data:`` links never reach a page. Links to
other sites get ``rel="noopener noreferrer"``; an image from another host is a content error, as a
page must never make the reader's browser ask another host for anything.
"""

from __future__ import annotations

import bisect
import html as html_lib
import itertools
import re
from collections.abc import Callable
from functools import partial
from html.parser import HTMLParser
from xml.etree import ElementTree

import markdown as md
import nh3
from markdown.treeprocessors import Treeprocessor

from ..content.identitymemo import IdentityMemo
from ..content.model import Markdown
from ..errors import ContentError
from . import buildcache
from .mdlimits import check_limits, error_at
from .rawhtml import raw_html

PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
"""``{{ name }}``; the name is stripped in Python (``\\s*`` on both sides of a lazy group backtracks)."""
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_REPORTED = 20
"""Unknown placeholders, or remote images, reported per file; the rest show once these are fixed."""

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_HOST = re.compile(r"\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?[/\\]*([^/\\?#\s]+)")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these at either end

Resolver = Callable[[str], str | None]
"""Maps a placeholder name to its formatted value, or ``None`` when unknown."""


def render_text(text: Markdown, resolve: Resolver, errors: list[ContentError]) -> str:
    """A narrative as sanitised HTML; every problem in it goes to ``errors`` (then the HTML is empty).

    With a build cache, a text without problems is converted once for each set of placeholder values: what this
    function gives must follow from the text and those values alone (the key); what reads files or depends on
    the page belongs to its callers. In one process it is kept by the text's identity too (``serve`` hands the same
    text while its file is unchanged)."""
    values = _values(text.text, resolve)
    html, problems = _RENDERED.get(text, tuple(values), partial(_converted, text, resolve, values))
    errors += [p for p in problems if p not in errors]  # a Chinese text standing in for English renders twice
    return "" if problems else html


def _converted(
    text: Markdown, resolve: Resolver, values: list[tuple[str, str | None]]
) -> tuple[str, list[ContentError]]:
    cache = buildcache.current()
    key = cache.key("markdown", text.text, values) if cache else None
    if cache and (kept := cache.get(key, str)) is not None:
        return kept, []
    problems = check_limits(text)
    html = ""
    if not problems:
        html = _render_guarded(text, fill_placeholders(text, resolve, problems), problems)
        problems += remote_images(text, html)
        problems += raw_html(text, render_markdown)
    if cache and not problems:
        cache.put(key, html)
    return html, problems


_RENDERED: IdentityMemo[tuple[str, list[ContentError]]] = IdentityMemo(16384)


def _values(text: str, resolve: Resolver) -> list[tuple[str, str | None]]:
    """Each placeholder's name and value (None: unknown), in order: with the text, all its HTML depends on."""
    return [(name, resolve(name)) for name in (m.group(1).strip() for m in PLACEHOLDER.finditer(text))]


def fill_placeholders(text: Markdown, resolve: Resolver, errors: list[ContentError]) -> str:
    """Replace ``{{ name }}`` by figures; unknown names are reported at their line."""
    lines = _Lines(text)
    reported = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal reported
        name = match.group(1).strip()
        value = resolve(name)
        if value is None and reported < MAX_REPORTED:
            reported += 1
            index, column = lines.locate(match.start())
            errors.append(
                lines.error(
                    index,
                    column,
                    f"正文里的“{{{{ {name} }}}}”不是已知的数据名称。可用的例如：{{{{ events }}}}、{{{{ funding }}}}、"
                    f"{{{{ 2023.audience }}}}。",
                    f'"{{{{ {name} }}}}" in the text is not a known figure. Known ones include {{{{ events }}}}, '
                    "{{ funding }} and {{ 2023.audience }}.",
                )
            )
        return match.group(0) if value is None else value

    errors += malformed_placeholders(lines)
    return PLACEHOLDER.sub(substitute, text.text)


_BRACES = re.compile(r"[{｛]\s*[{｛]|[}｝]\s*[}｝]")
"""What is left of a placeholder typed wrongly: full-width braces (a Chinese input method) or a half pair."""


def malformed_placeholders(lines: _Lines) -> list[ContentError]:
    """An error at each ``｛｛ events ｝｝``, ``{{ events`` or ``events }}``: it would reach the page as typed."""
    errors = []
    for index, line in enumerate(lines.lines):
        rest = PLACEHOLDER.sub(lambda m: " " * len(m[0]), line)  # keep the columns of what is left
        found = _BRACES.search(rest)
        if found and len(errors) < MAX_REPORTED:
            errors.append(
                lines.error(
                    index,
                    found.start() + 1,
                    "这里的数据占位符写得不完整或用了全角括号。请写成英文半角的 {{ 名称 }}，例如 {{ events }}。",
                    "This figure placeholder is incomplete or uses full-width braces. Write it with half-width "
                    "braces as {{ name }}, for example {{ events }}.",
                )
            )
    return errors


def render_markdown(source: str) -> str:
    """Markdown to sanitised HTML (raw HTML in ``source`` is shown as text). May raise RecursionError."""
    converter = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.treeprocessors.register(_Figures(converter), "figures", 15)  # after the inline patterns (20)
    html = converter.convert(source)
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)  # the page title is the only h1
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


class _Figures(Treeprocessor):
    """An image alone in its paragraph becomes a ``<figure>``, its Markdown title (``"图注"``) the ``<figcaption>``
    (news pictures: :mod:`sitegen.site.images`)."""

    def run(self, root: ElementTree.Element) -> None:
        for p in list(root.iter("p")):
            if len(p) == 1 and p[0].tag == "img" and not (p.text or "").strip() and not (p[0].tail or "").strip():
                p.tag, p.text, p[0].tail = "figure", None, None
                title = p[0].attrib.pop("title", "")
                if title.strip():
                    ElementTree.SubElement(p, "figcaption").text = title


def is_remote(url: str) -> bool:
    """Whether a browser would fetch ``url`` from another host (any scheme, or ``//host``)."""
    url = _URL_NOISE.sub("", url).strip(_C0_AND_SPACE)
    return bool(_SCHEME.match(url)) or url[:2].replace("\\", "/") == "//"


def remote_images(text: Markdown, html: str) -> list[ContentError]:
    """An error for each image in ``html`` (rendered from ``text``) that another host would serve."""
    lines = _Lines(text)
    errors = []
    for src in dict.fromkeys(src for src in _image_sources(html) if is_remote(src)):
        if len(errors) == MAX_REPORTED:
            break
        index, column = _find(lines.lines, src)
        errors.append(
            lines.error(
                index,
                column,
                f"图片“{src}”来自别的网站。只能使用本网站自己的图片文件：请把图片放进网站的文件夹，并写相对路径。",
                f'The image "{src}" comes from another site; only the site\'s own files may be used for images. '
                "Put the image in the site's folder and refer to it by a relative path.",
            )
        )
    return errors


def _render_guarded(text: Markdown, source: str, errors: list[ContentError]) -> str:
    try:
        return render_markdown(source)
    except RecursionError:
        errors.append(
            error_at(
                text,
                0,
                0,
                text.text.split("\n", 1)[0],
                "正文的结构嵌套太深，无法处理。请减少引用“>”、列表和链接的层层嵌套。",
                'The text is nested too deeply to be processed. Reduce the nesting of quotes ">", lists and links.',
            )
        )
        return ""


def _find(lines: list[str], src: str) -> tuple[int, int]:
    """Line index and column where ``src`` (as it came out of Markdown) is written; (0, 0) when unknown.

    The address is looked for as typed, then with HTML entities decoded (``&#47;``), then its host
    alone (Markdown escapes), then the first image (``![``) is taken."""
    host = _HOST.match(src)
    for needle in (src, host.group(1) if host else ""):
        for index, line in enumerate(lines if needle else ()):
            at = line.find(needle)
            if at >= 0 or needle in html_lib.unescape(line):
                return index, at + 1
    return next(((i, line.find("![") + 1) for i, line in enumerate(lines) if "![" in line), (0, 0))


def _image_sources(html: str) -> list[str]:
    found: list[str] = []

    class Images(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(value or "" for name, value in attrs if name == "src")

    parser = Images(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return found


class _Lines:
    """Offsets in a Markdown text turned into file lines, and errors showing those lines."""

    def __init__(self, text: Markdown) -> None:
        self.text = text
        self.lines = text.text.split("\n")
        self.starts = list(itertools.accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))

    def locate(self, offset: int) -> tuple[int, int]:
        """0-based line index within the text and 1-based column of ``offset``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index, offset - self.starts[index] + 1

    def error(self, index: int, column: int, zh: str, en: str) -> ContentError:
        """An error at line ``index`` of the text, with that line shown."""
        return error_at(self.text, index, column, self.lines[index], zh, en)
