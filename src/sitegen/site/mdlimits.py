"""Limits on narrative Markdown, checked by one cheap pass before Python-Markdown sees the text.

Python-Markdown is pure Python and cannot be interrupted, and some inputs make it slow or deep:
each ``[`` that is never closed is scanned to the end of its paragraph (quadratic), every inline
element rebuilds its paragraph's text (quadratic in the paragraph's length), and nested quotes,
lists and indentation recurse once per level (``- - - - …`` on one line ends in RecursionError).
The pass here bounds exactly those quantities, so that rendering one file takes at most a few
seconds and a little memory; the limits are far above anything a 普法 narrative needs.

A *paragraph* here is what Python-Markdown parses as one block: the lines between two blank lines
(blank meaning empty or only spaces and tabs, as Python-Markdown itself treats them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..content.model import Markdown
from ..errors import ContentError, make_error

MAX_CHARS = 100_000
"""Characters in one Markdown file (about 50 printed pages of Chinese)."""
MAX_DEPTH = 16
"""Nesting of quotes (``>``), list markers and indentation (4 spaces a level) on one line."""
MAX_BLOCK_CHARS = 20_000
"""Characters in one paragraph, a table or a list without blank lines."""
MAX_WORK = 200_000_000
"""Bound on :func:`block_work` summed over a file: about two seconds of Python-Markdown."""
BRACKET_WEIGHT = 30
SPECIALS_PER_UNIT = 16
INLINE_SPECIALS = "\\`*_&<"

_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_INDENT = re.compile(r"[ \t]*")


def check_limits(text: Markdown) -> list[ContentError]:
    """The limits ``text`` goes beyond, each kind once, at the line where it does (empty when within them).

    Every check is linear in the text, so they all run: the editor sees every kind of problem at once."""
    lines = text.text[:MAX_CHARS].split("\n")  # beyond that, the size is the problem
    return [*_size(text, lines), *_depths(text, lines), *_blocks(text, lines)]


def error_at(text: Markdown, index: int, column: int, line: str, zh: str, en: str) -> ContentError:
    """An error at line ``index`` (0-based) of ``text``, showing ``line``, its text."""
    error = make_error(text.path, text.line + index, column, zh, en)
    error.source_line = line
    return error


def _size(text: Markdown, lines: list[str]) -> list[ContentError]:
    if len(text.text) <= MAX_CHARS:
        return []
    index = len(lines) - 1  # the line holding the first character too many
    return [
        error_at(
            text,
            index,
            0,
            lines[index],
            f"正文太长（{len(text.text):,} 个字符，上限 {MAX_CHARS:,}），从这一行起超出上限。请把内容拆分为几篇。",
            f"The text is too long ({len(text.text):,} characters, the limit is {MAX_CHARS:,}); it goes "
            "beyond the limit from this line. Split it into several texts.",
        )
    ]


def line_depth(line: str) -> tuple[int, int]:
    """Nesting depth of ``line`` (quote and list markers, plus indentation in levels of 4 spaces)
    and the 1-based column where the nesting ends. Stops counting past :data:`MAX_DEPTH`."""
    markers = width = pos = 0
    while markers + width // 4 <= MAX_DEPTH:
        match = _MARKER.match(line, pos)
        if not match:
            break
        markers += 1
        width += _width(match.group(0))
        pos = match.end()
    indent = _INDENT.match(line, pos)
    width += _width(indent.group(0)) if indent else 0
    return markers + width // 4, pos + 1


def _width(prefix: str) -> int:
    return prefix.count(" ") + 4 * prefix.count("\t")


def _depths(text: Markdown, lines: list[str]) -> Iterator[ContentError]:
    for index, line in enumerate(lines):
        depth, column = line_depth(line)
        if depth > MAX_DEPTH:
            yield error_at(
                text,
                index,
                column,
                line,
                f"这一行嵌套太深（引用“>”、列表符号和缩进超过 {MAX_DEPTH} 层）。请减少行首的“>”、“-”和空格。",
                f'This line is nested too deeply (quotes ">", list markers and indentation, more than '
                f'{MAX_DEPTH} levels). Remove some of the ">", "-" and spaces at the start of the line.',
            )
            return


def _blocks(text: Markdown, lines: list[str]) -> Iterator[ContentError]:
    """Paragraph length (the first paragraph too long) and the work of the whole file."""
    work = heaviest = heaviest_start = 0
    for start, end in paragraphs(lines):
        block = "\n".join(lines[start:end])
        if len(block) > MAX_BLOCK_CHARS:
            yield error_at(
                text,
                start,
                0,
                lines[start],
                f"从这一行开始的段落太长（{len(block):,} 个字符，上限 {MAX_BLOCK_CHARS:,}，中间没有空行）。"
                "请用空行把它分成几段。",
                f"The paragraph starting on this line is too long ({len(block):,} characters without a blank "
                f"line, the limit is {MAX_BLOCK_CHARS:,}). Split it into several paragraphs with blank lines.",
            )
            return
        cost = block_work(block, end - start)
        work += cost
        if cost > heaviest:
            heaviest, heaviest_start = cost, start
    if work > MAX_WORK:
        yield error_at(
            text,
            heaviest_start,
            0,
            lines[heaviest_start],
            "正文太复杂，处理起来太慢：段落太长，行数、链接和图片（方括号“[”）或“*”“_”“`”“\\”等符号太多。"
            "最复杂的是从这一行开始的段落。请用空行把长段落分成几段，或把正文拆成几篇。",
            "The text is too complex to be processed in reasonable time: paragraphs are too long, with too many "
            'lines, links and images (square brackets "[") or symbols such as "*", "_", "`" and "\\". The most '
            "complex paragraph starts on this line. Split long paragraphs with blank lines, or split the text "
            "into several texts.",
        )


def paragraphs(lines: list[str]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` line indexes of each run of non-blank lines (blank: only spaces and tabs)."""
    start = None
    for index, line in enumerate(lines):
        if line.strip(" \t"):
            start = index if start is None else start
        elif start is not None:
            yield start, index
            start = None
    if start is not None:
        yield start, len(lines)


def block_work(block: str, lines: int) -> int:
    """An upper bound of Python-Markdown's work on one paragraph, in units of about 20 ns.

    Splitting a paragraph at each line (headings, list items, rules) copies the rest of it, every
    ``[`` is scanned by several patterns up to its ``]`` or the paragraph's end, and every inline
    element (escapes, code, emphasis, entities, autolinks) rebuilds the paragraph's text.
    """
    specials = sum(block.count(c) for c in INLINE_SPECIALS)
    return len(block) * (lines + BRACKET_WEIGHT * block.count("[") + specials // SPECIALS_PER_UNIT)


def _nth(line: str, char: str, n: int) -> int:
    """1-based column of the ``n``-th ``char`` in ``line``."""
    pos = -1
    for _ in range(n):
        pos = line.find(char, pos + 1)
    return pos + 1
