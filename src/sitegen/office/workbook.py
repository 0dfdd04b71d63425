"""Deterministic XLSX workbooks: the writer behind every Excel file sitegen makes.

A workbook is a list of :class:`Sheet` descriptions; :func:`write_workbook` turns it into bytes that
are the same on every run: document properties fixed (created and modified on the date the caller
gives, author ``sitegen``), ZIP members in a fixed order with a fixed timestamp and the same
compression. Every sheet has bold header rows that stay in view (frozen panes), a filter on its
header, the header repeated on every printed page, and column widths from the display width of the
text (a Chinese character is two columns wide).

Every value passes :func:`safe_cell`. An XLSX string cell is never evaluated, but a text starting with
``=``, ``+``, ``-`` or ``@`` becomes a formula as soon as someone edits the cell and presses Enter, or
saves the sheet as CSV and opens it again (OWASP "CSV injection"); Chinese Excel and WPS also take the
full-width ``＝＋－＠`` typed with an input method, and a leading tab or carriage return hides them.
Such a text gets a leading apostrophe, Excel's own "this is text" mark, so that no text cell starts
with a formula character; :func:`unescape_text` takes it off again when sitegen reads the sheet back.
Numbers stay numbers, negative ones too.

Usage (the statistics workbook, one sheet per group of indicators)::

    sheet = Sheet(
        "宣传活动",
        ["单位", "年份", "数值", "原文", "限定", "时段"],
        rows,                                   # [["新洲区委办公室", 2023, 1000, "1000余", "more_than", None], …]
        groups=[["", "", "参与人数", "参与人数", "参与人数", "参与人数"]],  # a two-row header, merged
        caption="2021—2025年普法工作数字",
        formats={2: "#,##0"},
        freeze_columns=2,
    )
    data = write_workbook([sheet], created=date(2025, 12, 31))   # bytes, the same on every run
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .docxpack import deterministic_zip

CellValue = str | int | float | Decimal | date | datetime | bool | None
"""What a cell may hold: text, a number, a date (shown as yyyy-mm-dd), a truth value or nothing."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet read a text as a formula (full-width ones: Chinese IMEs)."""
QUOTE = "'"
MAX_TEXT = 32_767
"""Excel's limit on the characters of one cell."""
MIN_WIDTH, MAX_WIDTH = 6, 60
"""Column widths (in widths of the digit 0): narrower columns hide their header, wider ones wrap."""
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
_FORBIDDEN_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a caption line (optional), header rows, data rows and notes below them."""

    title: str
    """The sheet's tab name (at most 31 characters; ``[]:*?/\\`` become ``_``)."""
    head: Sequence[str]
    """The header row: one name per column."""
    rows: Sequence[Sequence[CellValue]]
    """The data, one sequence per row, in the order of ``head`` (shorter rows are padded)."""
    groups: Sequence[Sequence[str]] = ()
    """Header rows above ``head`` (a two-level header); equal neighbours in a row are merged, "" is empty."""
    caption: str | None = None
    """A title line above the header, merged across the columns (e.g. 2023年度普法宣传活动)."""
    notes: Sequence[str] = ()
    """Lines below the data after one empty row (sources, caveats)."""
    formats: Mapping[int, str] = field(default_factory=dict)
    """Number formats by column index (0-based), e.g. ``{3: "#,##0"}``; dates default to yyyy-mm-dd."""
    widths: Mapping[int, float] = field(default_factory=dict)
    """Column widths by index, where the computed width does not suit."""
    freeze_columns: int = 0
    """Leading columns that stay in view when scrolling sideways."""

    @property
    def head_rows(self) -> int:
        """How many rows the caption and the header take (the frozen part)."""
        return (1 if self.caption else 0) + len(self.groups) + 1


def safe_cell(value: CellValue) -> CellValue:
    """``value`` as it may go into a cell: text neutralised (see the module docstring), numbers unchanged.

    Characters that XML cannot hold become U+FFFD. Raises ``ValueError`` for a number Excel cannot store
    (NaN, infinity) and for a text longer than Excel's limit of 32,767 characters.
    """
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if len(text) >= MAX_TEXT:
            raise ValueError(f"text of {len(text)} characters is over Excel's limit of {MAX_TEXT}")
        return QUOTE + text if text.lstrip(QUOTE).startswith(FORMULA_STARTS) else text
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"Excel cannot store the number {value}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Excel cannot store the number {value}")
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def unescape_text(text: str) -> str:
    """The text :func:`safe_cell` was given: one leading apostrophe before a formula character removed."""
    if text.startswith(QUOTE) and text.lstrip(QUOTE).startswith(FORMULA_STARTS):
        return text[1:]
    return text


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width view: two for each wide (Chinese) character, else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def write_workbook(sheets: Sequence[Sheet], *, created: date, title: str | None = None) -> bytes:
    """The XLSX file of ``sheets``, byte for byte the same for the same arguments.

    ``created`` is the document's created and modified date (take it from the content, never from the clock).
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    raw = io.BytesIO()
    book = xlsxwriter.Workbook(raw, _OPTIONS)
    stamp = datetime(created.year, created.month, created.day)
    book.set_properties({"author": "sitegen", "created": stamp, **({"title": title} if title else {})})
    formats = _Formats(book)
    seen: set[str] = set()
    for sheet in sheets:
        _fill(book.add_worksheet(_title(sheet.title, seen)), sheet, formats)
    book.close()
    return deterministic_zip(raw.getvalue(), when=(max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0))


_CENTRED = {"align": "center", "valign": "vcenter", "text_wrap": True}
_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
"""No temporary files; a text is written as a text, whatever it looks like (see :func:`_put`)."""


class _Formats:
    """The cell formats of one workbook, each made once: XlsxWriter numbers them in the order they are made."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.caption = book.add_format({"bold": True, "font_size": 14})
        self.head = book.add_format({"bold": True, "pattern": 1, "bg_color": "#DDEBF7", **_CENTRED})
        self._data: dict[tuple[str | None, bool], Format | None] = {(None, False): None}

    def data(self, number_format: str | None, wrap: bool) -> Format | None:
        """A data cell's format: its number format, and wrapped at the top in a column too wide to show."""
        key = (number_format, wrap)
        if key not in self._data:
            spec = {"num_format": number_format} if number_format else {}
            self._data[key] = self.book.add_format({**spec, **({"text_wrap": True, "valign": "top"} if wrap else {})})
        return self._data[key]


def _title(wanted: str, seen: set[str]) -> str:
    base = (wanted.translate(_FORBIDDEN_TITLE).strip("'") or "Sheet")[:31]
    name, number = base, 2
    while name.casefold() in seen:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    seen.add(name.casefold())
    return name


def _fill(ws: Worksheet, sheet: Sheet, formats: _Formats) -> None:
    columns = max([len(sheet.head), *(len(r) for r in sheet.groups), *(len(r) for r in sheet.rows), 1])
    row = top = 1 if sheet.caption else 0  # XlsxWriter counts rows and columns from 0
    if sheet.caption and columns > 1:
        _merge(ws, (0, 0, 0, columns - 1), sheet.caption, formats.caption)
    elif sheet.caption:
        _put(ws, 0, 0, sheet.caption, formats.caption)
    for group in sheet.groups:
        _head_row(ws, row, group, formats.head, merge=True)
        row += 1
    _head_row(ws, row, sheet.head, formats.head, merge=False)
    head_row = row
    if sheet.groups:
        _span_ungrouped(ws, sheet, top, head_row, formats.head)
    widths, wrapped = _widths(sheet, columns)
    for values in sheet.rows:
        row += 1
        for col, value in enumerate(values):
            value = safe_cell(value)
            wrap = col in wrapped and isinstance(value, str)
            _write(ws, row, col, value, formats.data(sheet.formats.get(col, _date_format(value)), wrap))
    if sheet.notes:
        row += 1
        for note in sheet.notes:
            row += 1
            _put(ws, row, 0, note, None)
    ws.freeze_panes(head_row + 1, sheet.freeze_columns)
    ws.autofilter(head_row, 0, head_row + len(sheet.rows), max(len(sheet.head), 1) - 1)
    ws.repeat_rows(top, head_row)
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)


def _date_format(value: CellValue) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    return DATE_FORMAT if isinstance(value, date) else None


def _merge(ws: Worksheet, cells: tuple[int, int, int, int], name: str, style: Format) -> None:
    """A header or caption over ``cells`` (first row, first column, last row, last column), merged."""
    ws.merge_range(*cells, safe_cell(name) if name else None, style)


def _put(ws: Worksheet, row: int, col: int, value: CellValue, style: Format | None) -> None:
    _write(ws, row, col, safe_cell(value), style)


def _write(ws: Worksheet, row: int, col: int, value: CellValue, style: Format | None) -> None:
    """One cell of a value :func:`safe_cell` gave, by its kind: a text is always a string cell, never a formula
    or a link, whatever it starts with."""
    if isinstance(value, str) and value:
        ws.write_string(row, col, value, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, style)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, style)
    else:
        ws.write_blank(row, col, None, style)


def _head_row(ws: Worksheet, row: int, names: Sequence[str], style: Format, *, merge: bool) -> None:
    for col, name in enumerate(names):
        _put(ws, row, col, name or None, style)
    for start, end in _runs(names) if merge else ():
        _merge(ws, (row, start, row, end), names[start], style)


def _runs(names: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based columns of each run of two or more equal, non-empty names."""
    runs, col = [], 0
    while col < len(names):
        end = col
        while names[col] and end + 1 < len(names) and names[end + 1] == names[col]:
            end += 1
        if end > col:
            runs.append((col, end))
        col = end + 1
    return runs


def _span_ungrouped(ws: Worksheet, sheet: Sheet, top: int, head_row: int, style: Format) -> None:
    """A column with nothing above its name in the group rows: its name fills the whole header height."""
    for index, name in enumerate(sheet.head):
        if any(index < len(g) and g[index] for g in sheet.groups):
            continue
        _merge(ws, (top, index, head_row, index), name, style)


def _widths(sheet: Sheet, columns: int) -> tuple[list[float], set[int]]:
    """Each column's width, from its widest text as shown; and the columns whose texts wrap, being wider."""
    widths, wrapped = [], set()
    for index in range(columns):
        texts = [sheet.head[index] if index < len(sheet.head) else ""]
        texts += [_shown(r[index]) for r in sheet.rows if index < len(r)]
        widest = max((display_width(line) for text in texts for line in text.split("\n")), default=0)
        widths.append(sheet.widths.get(index, min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)))
        if widest + 2 > MAX_WIDTH and index not in sheet.widths:
            wrapped.add(index)
    return widths, wrapped


def _shown(value: CellValue) -> str:
    """About what Excel shows for ``value`` (for the column width)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "FALSE" if not value else "TRUE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return f"{value:,}"
    return str(safe_cell(value))
