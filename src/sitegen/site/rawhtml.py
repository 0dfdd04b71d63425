"""Raw HTML in a narrative or news text: a content error at its line, since it would show as typed.

Raw HTML is switched off in :mod:`sitegen.site.markup`, so an editor's ``<br>`` or ``<b>`` reaches the
public page as the characters typed, and so does an HTML comment, which an editor may have meant as
a hidden note (``<!-- 备注：原文此处不清 -->``): on a government page that is a confidentiality risk.

What counts as HTML is what a CommonMark renderer such as VS Code's preview would take for it: a tag
(``<name attr=…>``, ``</name>``), a comment, a ``<?…?>`` or ``<!…>`` declaration. ``<`` inside code
(a code span or an indented code block) is code and stays: which candidates are inside code is left
to Python-Markdown itself, by rendering the text once more with each candidate's ``<`` replaced by a
marker of its own (one private-use character, so that nothing moves) and looking where the markers
come out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from ..content.model import Markdown
from ..errors import ContentError
from .mdlimits import error_at

_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_CANDIDATE = re.compile(
    r"(?:(?P<comment><!--)"
    rf"|<(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>"
    r"|</(?P<end>[A-Za-z][A-Za-z0-9-]*)\s*>"
    r"|<\?[A-Za-z]|<!\[CDATA\[|<![A-Za-z])"
)
"""An HTML comment, a tag, or the start of a declaration (``<?xml``, ``<!DOCTYPE``, CDATA) on one line."""
_MARKERS = 0xF0000
"""Candidate ``n`` is marked by ``chr(_MARKERS + n)``, a private-use character (plane 15 holds 65,534)."""
_MARKER = re.compile("[\U000f0000-\U000ffffd]")
_MARKER_COUNT = 0xFFFFE - _MARKERS
_CODE = {"code", "pre"}
MAX_REPORTED = 20
"""Lines with raw HTML reported per text; the rest show once these are fixed."""

_HINTS = {
    "br": ("用空行分段", "a blank line between paragraphs instead of <br>"),
    "p": ("用空行分段", "a blank line between paragraphs instead of <p>"),
    "b": ("用 **粗体** 表示强调", "**bold** instead of <b>"),
    "strong": ("用 **粗体** 表示强调", "**bold** instead of <strong>"),
    "i": ("用 *斜体*", "*italics* instead of <i>"),
    "em": ("用 *斜体*", "*italics* instead of <em>"),
    "a": ("链接写成 [文字](网址)", "[text](address) for a link"),
    "img": ("图片写成 ![说明](图片路径)", "![description](path) for an image"),
    "": ("用空行分段、用 **粗体** 表示强调", "a blank line instead of <br>, **bold** instead of <b>"),
}
"""Markdown for the tags editors use most, and (``""``) for any other."""


def raw_html(text: Markdown, render: Callable[[str], str]) -> list[ContentError]:
    """An error at the first raw HTML of each line of ``text`` that is not code (``render``: Markdown to HTML)."""
    lines = text.text.split("\n")
    found = [(index, m) for index, line in enumerate(lines) for m in _CANDIDATE.finditer(line)]
    if not found:
        return []
    del found[_MARKER_COUNT:]  # more than fit in 100,000 characters (mdlimits.MAX_CHARS)
    try:
        shown = _shown_as_text(render(_marked(lines, found)))
    except RecursionError:  # reported by the page's own rendering
        return []
    errors: list[ContentError] = []
    for number, (index, match) in enumerate(found):
        if number in shown and len(errors) < MAX_REPORTED and not _reported(errors, text, index):
            errors.append(_error(text, index, lines[index], match))
    return errors


def _marked(lines: list[str], found: list[tuple[int, re.Match[str]]]) -> str:
    """The text with the ``<`` of each candidate replaced by its marker (markers typed in the text are not)."""
    marked = [_MARKER.sub("\ufffd", line) for line in lines]
    for number, (index, match) in enumerate(found):
        line = marked[index]
        marked[index] = line[: match.start()] + chr(_MARKERS + number) + line[match.start() + 1 :]
    return "\n".join(marked)


def _shown_as_text(html: str) -> set[int]:
    """Numbers of the markers in ``html`` that are text of the page, outside code."""
    shown: set[int] = set()
    depth = 0

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            nonlocal depth
            if tag in _CODE:
                depth += 1

        def handle_endtag(self, tag: str) -> None:
            nonlocal depth
            if tag in _CODE and depth:
                depth -= 1

        def handle_data(self, data: str) -> None:
            if not depth:
                shown.update(ord(m[0]) - _MARKERS for m in _MARKER.finditer(data))

    reader = Reader(convert_charrefs=True)
    reader.feed(html)
    reader.close()
    return shown


def _reported(errors: list[ContentError], text: Markdown, index: int) -> bool:
    return bool(errors) and errors[-1].line == text.line + index


def _error(text: Markdown, index: int, line: str, match: re.Match[str]) -> ContentError:
    column = match.start() + 1
    if match["comment"]:
        return error_at(
            text,
            index,
            column,
            line,
            "HTML 注释会原样显示在公开页面上，请删除。备注请记在别处，不要写在正文里。",
            "An HTML comment would appear on the public page as typed; delete it. Keep notes somewhere "
            "else, not in the text.",
        )
    tag = (match["tag"] or match["end"] or "").lower()
    typed = match[0] if len(match[0]) <= 30 else match[0][:29] + "…"
    hint_zh, hint_en = _HINTS.get(tag, _HINTS[""])
    return error_at(
        text,
        index,
        column,
        line,
        f"正文里不能使用 HTML 标签“{typed}”，它会原样显示在公开页面上。请改用 Markdown 的写法，例如{hint_zh}。",
        f'HTML such as "{typed}" cannot be used in the text: it would appear on the public page as typed. '
        f"Use Markdown instead, for example {hint_en}.",
    )
