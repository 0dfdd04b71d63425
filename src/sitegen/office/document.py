"""The input of :func:`sitegen.office.gongwen.write_docx`: a document described neutrally, already computed.

Every text is in the document's language and every figure already formatted (``1000余册``). Headings
carry no numbers: :func:`heading_label` numbers them by depth (GB/T 9704-2012 7.3.3).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

MAX_LEVEL = 4
"""GB/T 9704 7.3.3 names four levels of structure: 一、 （一） 1. （1）."""


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph's text; ``bold`` for **emphasis**."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (左空二字, justified)."""

    runs: tuple[Run, ...]

    @classmethod
    def plain(cls, text: str) -> Paragraph:
        return cls((Run(text),))

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section's text; ``level`` 1 is the level just below the section's own."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class FigureTable:
    """Figures as a table: a header row and rows of strings, printed exactly as given."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    """A line under the table (e.g. where a figure comes from); empty for none."""

    def __post_init__(self) -> None:
        if not self.head:
            raise ValueError("a FigureTable needs a header row")
        for row in self.rows:
            if len(row) != len(self.head):
                raise ValueError(f"row {row!r} has {len(row)} cells; the header has {len(self.head)}")


Block = Paragraph | Subheading | FigureTable


@dataclass(frozen=True)
class Section:
    """A numbered section: its heading (without the number), its blocks, then its subsections."""

    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class GongwenDocument:
    """A whole document: title, sections, 发文机关署名 and 成文日期; ``preamble`` comes before section 一."""

    title: str
    sections: tuple[Section, ...]
    signature: str
    date: datetime.date
    lang: Literal["zh", "en"] = "zh"
    preamble: tuple[Block, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {self.lang!r}")


def heading_label(lang: str, path: tuple[int, ...]) -> str:
    """The number of a heading at ``path`` (counts from the top level): ``（二）``, ``1.2``."""
    if lang == "en":
        return ".".join(map(str, path)) + ("." if len(path) == 1 else "")
    n = path[-1]
    return {1: f"{chinese_numeral(n)}、", 2: f"（{chinese_numeral(n)}）", 3: f"{n}.", 4: f"（{n}）"}[len(path)]


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never go further)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(f"a heading number must be between 1 and 99, not {n}")
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else digits[tens] + "十") + (digits[ones] if ones else "")
