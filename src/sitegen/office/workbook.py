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

import copy
import io
import math
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

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
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
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
    book = Workbook()
    book.remove(book.active)
    stamp = datetime(created.year, created.month, created.day)
    book.properties.creator = "sitegen"
    book.properties.lastModifiedBy = None
    book.properties.created = book.properties.modified = stamp
    book.properties.title = title
    seen: set[str] = set()
    for sheet in sheets:
        _fill(book.create_sheet(_title(sheet.title, seen)), sheet)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:  # deflated once, by deterministic_zip
        ExcelWriter(book, archive).write_data()  # not book.save(): that stamps "modified" with the clock
    return deterministic_zip(raw.getvalue(), when=(max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0))


def _title(wanted: str, seen: set[str]) -> str:
    base = (wanted.translate(_FORBIDDEN_TITLE).strip("'") or "Sheet")[:31]
    name, number = base, 2
    while name.casefold() in seen:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    seen.add(name.casefold())
    return name


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    columns = max([len(sheet.head), *(len(r) for r in sheet.groups), *(len(r) for r in sheet.rows), 1])
    row = 1
    if sheet.caption:
        _put(ws, 1, 1, sheet.caption).font = Font(bold=True, size=14)
        if columns > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
        row = 2
    for group in sheet.groups:
        _head_row(ws, row, group, merge=True)
        row += 1
    _head_row(ws, row, sheet.head, merge=False)
    head_row = row
    if sheet.groups:
        _span_ungrouped(ws, sheet, head_row - len(sheet.groups), head_row)
    for values in sheet.rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = _put(ws, row, col, value)
            if isinstance(value, date):
                cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            if (fmt := sheet.formats.get(col - 1)) is not None:
                cell.number_format = fmt
    if sheet.notes:
        row += 1
        for note in sheet.notes:
            row += 1
            _put(ws, row, 1, note)
    ws.freeze_panes = ws.cell(head_row + 1, sheet.freeze_columns + 1).coordinate
    last = get_column_letter(max(len(sheet.head), 1))
    ws.auto_filter.ref = f"A{head_row}:{last}{head_row + len(sheet.rows)}"
    ws.print_title_rows = f"{head_row - len(sheet.groups)}:{head_row}"
    _widths(ws, sheet, columns)


def _put(ws: Worksheet, row: int, col: int, value: CellValue) -> Cell:
    cell = ws.cell(row, col)
    cell.value = safe_cell(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never "f": openpyxl would take a text starting with = for a formula
    return cell


def _head_row(ws: Worksheet, row: int, names: Sequence[str], *, merge: bool) -> None:
    _head_style([_put(ws, row, col, name or None) for col, name in enumerate(names, start=1)])
    for start, end in _runs(names) if merge else ():
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)


def _head_style(cells: Sequence[Cell]) -> None:
    """The header's font, fill and alignment on unstyled ``cells``: set on the first, copied to the others
    (openpyxl hashes each style object to find its number in the workbook: a third of writing a small one)."""
    for cell in cells[:1]:
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN
    for cell in cells[1:]:
        cell._style = copy.copy(cells[0]._style)


def _runs(names: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) 1-based columns of each run of two or more equal, non-empty names."""
    runs, col = [], 0
    while col < len(names):
        end = col
        while names[col] and end + 1 < len(names) and names[end + 1] == names[col]:
            end += 1
        if end > col:
            runs.append((col + 1, end + 1))
        col = end + 1
    return runs


def _span_ungrouped(ws: Worksheet, sheet: Sheet, top: int, head_row: int) -> None:
    """A column with nothing above its name in the group rows: its name fills the whole header height."""
    for index, name in enumerate(sheet.head):
        if any(index < len(g) and g[index] for g in sheet.groups):
            continue
        _head_style([_put(ws, top, index + 1, name)])
        ws.merge_cells(start_row=top, start_column=index + 1, end_row=head_row, end_column=index + 1)


def _widths(ws: Worksheet, sheet: Sheet, columns: int) -> None:
    for index in range(columns):
        texts = [sheet.head[index] if index < len(sheet.head) else ""]
        texts += [_shown(r[index]) for r in sheet.rows if index < len(r)]
        widest = max((display_width(line) for text in texts for line in text.split("\n")), default=0)
        width = sheet.widths.get(index, min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
        ws.column_dimensions[get_column_letter(index + 1)].width = width
        if widest + 2 > MAX_WIDTH and index not in sheet.widths:
            for row in ws.iter_rows(min_row=sheet.head_rows + 1, min_col=index + 1, max_col=index + 1):
                if isinstance(row[0].value, str):
                    row[0].alignment = _WRAP


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
