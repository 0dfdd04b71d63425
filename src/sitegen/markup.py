"""Narrative Markdown to safe HTML, with figures filled in from the data.

Narratives may refer to computed figures as ``{{ name }}`` (this page's figure) or
``{{ 2023.name }}`` (one year's), so that text and data cannot drift apart. An unknown
name is a content error at the exact line. The HTML is sanitised with nh3: raw HTML,
scripts, event-handler attributes and ``javascript:``/``data:`` links never reach a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown as md
import nh3

from .errors import ContentError, make_error
from .model import Markdown

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

Resolver = Callable[[str], str | None]
"""Maps a placeholder name to its formatted value, or ``None`` when unknown."""


def fill_placeholders(text: Markdown, resolve: Resolver, errors: list[ContentError]) -> str:
    """Replace ``{{ name }}`` by figures; unknown names are reported at their line."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        value = resolve(name)
        if value is None:
            before = text.text[: match.start()]
            line = text.line + before.count("\n")
            column = match.start() - (before.rfind("\n") + 1) + 1
            errors.append(
                make_error(
                    text.path,
                    line,
                    column,
                    f"正文里的“{{{{ {name} }}}}”不是已知的数据名称。可用的例如：{{{{ events }}}}、{{{{ funding }}}}、"
                    f"{{{{ 2023.audience }}}}。",
                    f'"{{{{ {name} }}}}" in the text is not a known figure. Known ones include {{{{ events }}}}, '
                    "{{ funding }} and {{ 2023.audience }}.",
                    text=_file_text(text),
                )
            )
            return match.group(0)
        return value

    return PLACEHOLDER.sub(substitute, text.text)


def _file_text(text: Markdown) -> str:
    try:
        return text.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except OSError:
        return ""


def render_markdown(source: str) -> str:
    """Markdown to sanitised HTML."""
    html = md.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)  # the page title is the only h1
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
