"""An editor's narrative Markdown as blocks of a 公文: paragraphs, sub-headings and tables.

The Markdown is rendered exactly as for the site (:func:`sitegen.site.markup.render_markdown`:
Python-Markdown with tables, raw HTML off, sanitised), then the HTML is read with
:class:`html.parser.HTMLParser`:

- paragraphs, list items and quoted paragraphs become paragraphs; a numbered list's items are
  numbered as a 公文 numbers them in the text (1. 2., nested （1） （2）), bullets lose the bullet;
- ``#``/``##`` become sub-headings one level below the section, ``###`` two levels, deeper three;
  a number the editor typed in front (一、 （一） 1. （1）) is dropped, as the document numbers them;
- **bold** stays bold; a link keeps its text only; images are dropped (a 公文 has none);
- a table becomes a :class:`~sitegen.office.document.FigureTable` with its cells as written.

The text is expected to be one the site's build has checked (size and nesting limits, raw HTML), with
its figure placeholders (``{{ events }}``) filled in (:func:`sitegen.site.markup.fill_placeholders`).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from ..site.markup import render_markdown
from .document import Block, FigureTable, Paragraph, Run, Subheading

BREAK = "\u2028"
"""Stands for ``<br>`` while whitespace is normalised; a line break in the document."""
_PARAGRAPHS = {"p", "li", "pre", "dt", "dd", "blockquote"}
_HEADINGS = {"h1": 1, "h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
_NUMERAL = "[一二三四五六七八九十]+"
_TYPED_NUMBER = re.compile(rf"^\s*(?:{_NUMERAL}、|[（(]{_NUMERAL}[）)]|\d+[.．、](?!\d)|[（(]\d+[）)])\s*")


def narrative_blocks(markdown_text: str) -> tuple[Block, ...]:
    """The blocks of a narrative written in Markdown (placeholders already filled in)."""
    return html_blocks(render_markdown(markdown_text))


def html_blocks(html: str) -> tuple[Block, ...]:
    """The blocks of a narrative as the site rendered it (:func:`sitegen.site.markup.render_text`'s HTML)."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return tuple(parser.blocks)


class _BlockParser(HTMLParser):
    """Collects blocks from the HTML of a narrative; see the module's description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.chars: list[tuple[str, bool]] = []  # the current paragraph, character by character, with boldness
        self.heading = 0  # the sub-heading level being read, 0 in a paragraph
        self.prefix = ""  # a list item's number, waiting for the item's text
        self.bold = 0
        self.lists: list[list[int]] = []  # per open list: [1 if numbered else 0, items so far]
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("strong", "b"):
            self.bold += 1
        elif tag == "br":
            self.chars.append((BREAK, False))
        elif tag in ("ol", "ul"):
            self.flush()
            self.lists.append([int(tag == "ol"), 0])
        elif tag == "li":
            self.flush()
            self._number_item()
        elif tag in _HEADINGS:
            self.flush()
            self.heading = _HEADINGS[tag]
        elif tag == "p" and self.prefix and not self._text():
            pass  # the paragraph inside a loose list item carries the item's number
        elif tag in _PARAGRAPHS or tag == "hr":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("th", "td") and self.table is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("strong", "b"):
            self.bold = max(self.bold - 1, 0)
        elif tag in ("ol", "ul"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag in _PARAGRAPHS or tag in _HEADINGS:
            self.flush()
        elif tag in ("th", "td") and self.table is not None and self.cell is not None:
            if self.table:
                self.table[-1].append(_clean("".join(self.cell)))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._add_table(self.table)
            self.table = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.table is None:
            self.chars.extend((c, self.bold > 0) for c in data)

    def flush(self) -> None:
        """End the paragraph or sub-heading being read (nothing if it has no text)."""
        runs = _runs(_normalise(self.chars))
        self.chars = []
        text = "".join(run.text for run in runs)
        if text and self.heading:
            self.blocks.append(Subheading(_TYPED_NUMBER.sub("", text) or text, self.heading))
        elif text:
            prefix = (Run(self.prefix),) if self.prefix else ()
            self.blocks.append(Paragraph(prefix + runs))
        if text:
            self.prefix = ""
        self.heading = 0

    def _number_item(self) -> None:
        if not self.lists or not self.lists[-1][0]:
            return
        self.lists[-1][1] += 1
        n = self.lists[-1][1]
        numbered_depth = sum(numbered for numbered, _ in self.lists)
        self.prefix = f"{n}." if numbered_depth == 1 else f"（{n}）"

    def _text(self) -> str:
        return "".join(c for c, _ in self.chars).strip()

    def _add_table(self, rows: list[list[str]]) -> None:
        rows = [row for row in rows if row]
        if not rows:
            return
        width = len(rows[0])
        body = tuple(tuple((row + [""] * width)[:width]) for row in rows[1:])
        self.blocks.append(FigureTable("", tuple(rows[0]), body))


def _is_wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _normalise(chars: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Whitespace as a reader expects it: a line break of the source between two Chinese characters
    vanishes, other runs of spaces become one space, none at either end or around a ``<br>``."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(chars):
        c, bold = chars[i]
        if not c.isspace() or c == BREAK:
            out.append((c, bold))
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j][0].isspace() and chars[j][0] != BREAK:
            j += 1
        before = out[-1][0] if out else BREAK
        after = chars[j][0] if j < len(chars) else BREAK
        newline = any(ch == "\n" for ch, _ in chars[i:j])
        if BREAK not in (before, after) and not (newline and _is_wide(before) and _is_wide(after)):
            out.append((" ", bold))
        i = j
    return out


def _runs(chars: list[tuple[str, bool]]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for c, bold in chars:
        c = "\n" if c == BREAK else c
        if runs and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + c, bold)
        else:
            runs.append(Run(c, bold))
    return tuple(runs)


def _clean(text: str) -> str:
    return " ".join(text.split())
