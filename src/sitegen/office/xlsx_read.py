"""Opening an office's workbook deliberately: what the file really is, each sheet as a grid of cells with
merged cells read from their top-left cell, and where the header is.

Every problem is located as ``FILE.xlsx!Sheet1!C7`` (the file, the sheet, the cell, as Excel names
them) and collected by :class:`Problems`; :class:`WorkbookErrors` reports them all at once, in the
order of the workbook (sheet, row, column).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import ContentError, ContentErrors, Severity, display_path
from .columns import ListKind, fields, match_header

MAX_BYTES = 20 * 1024 * 1024
"""The largest workbook read (an event list is some kilobytes)."""
MAX_UNPACKED = 200 * 1024 * 1024
"""The most its parts may hold unpacked (a ZIP bomb stops here)."""
HEADER_SCAN = 30
"""The header row is looked for in the first rows with something in them."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_TEXT_ENCODINGS = ((b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"", "utf-8", "UTF-8"), (b"", "gb18030", "GBK"))
_OTHER_ZIPS = {
    "word/": ("Word 文档（.docx）", "a Word document (.docx)"),
    "ppt/": ("PowerPoint 演示文稿（.pptx）", "a PowerPoint presentation (.pptx)"),
    "content.xml": ("OpenDocument 表格（如 LibreOffice 保存的 .ods）", "an OpenDocument spreadsheet (.ods)"),
    "": ("ZIP 压缩包", "a ZIP archive"),  # anything else
}
SAVE_AS_ZH = "请用 Excel 或 WPS 打开它，选择“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”，再导入新文件。"
SAVE_AS_EN = (
    'Open it in Excel or WPS, choose "File → Save As", type "Excel Workbook (*.xlsx)", and import the new file.'
)


class WorkbookErrors(ContentErrors):
    """Problems located in a workbook, kept in the workbook's order (a sort by path would put C10 before C7)."""

    def sorted(self) -> list[ContentError]:
        return list(self.errors)


@dataclass
class Problems:
    """Every problem found in one workbook, each at its file, sheet and cell."""

    file: Path
    found: list[tuple[tuple[int, int, int], ContentError]] = field(default_factory=list)

    def add(
        self, zh: str, en: str, grid: Grid | None = None, row: int = 0, col: int = 0, severity: Severity = "error"
    ) -> None:
        """A problem in the file, a sheet (``row`` 0) or a cell; the same problem at the same place only once."""
        where = display_path(self.file)
        if grid is not None:
            where += f"!{grid.name}" + (f"!{get_column_letter(col or 1)}{row}" if row else "")
        if any(e.path == where and e.zh == zh for _, e in self.found):
            return
        key = (grid.index + 1 if grid else 0, row, col)
        self.found.append((key, ContentError(where, 0, 0, zh, en, severity=severity)))

    @property
    def errors(self) -> list[ContentError]:
        return [e for _, e in sorted(self.found, key=lambda f: f[0])]

    def failed(self) -> bool:
        return any(e.severity == "error" for _, e in self.found)

    def raise_if_failed(self) -> None:
        if self.failed():
            raise WorkbookErrors(self.errors)


# --------------------------------------------------------------------------- the file


def open_workbook(path: Path, problems: Problems) -> Workbook | None:
    """The workbook at ``path``, or ``None`` with the reason in ``problems`` (not a workbook, too large …)."""
    with open(path, "rb") as f:  # the caller checked it is a regular file
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        problems.add(
            f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MB），不像是一份活动清单。",
            f"The file is too large (over {MAX_BYTES // 1024 // 1024} MB) for a list of events.",
        )
        return None
    if not raw.startswith(b"PK"):
        problems.add(*_not_a_zip(raw))
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        problems.add(
            f"文件损坏：它以 ZIP 开头，但无法读取（可能没有下载或复制完整）。{SAVE_AS_ZH}",
            f"The file is damaged: it starts like a ZIP archive but cannot be read (perhaps not fully "
            f"downloaded or copied). {SAVE_AS_EN}",
        )
        return None
    if "xl/workbook.xml" not in names:
        problems.add(*_other_zip(names))
        return None
    if unpacked > MAX_UNPACKED:
        problems.add(
            f"工作簿解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，不像是一份活动清单。",
            f"The workbook unpacks to over {MAX_UNPACKED // 1024 // 1024} MB, too much for a list of events.",
        )
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            return load_workbook(io.BytesIO(raw), read_only=False, data_only=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        problems.add(
            f"无法读取这个工作簿（{type(exc).__name__}）。{SAVE_AS_ZH}",
            f"This workbook cannot be read ({type(exc).__name__}: {exc}). {SAVE_AS_EN}",
        )
        return None


def _not_a_zip(raw: bytes) -> tuple[str, str]:
    """Why ``raw`` (not a ZIP archive) is not an XLSX workbook, and how to make one of it."""
    if not raw.strip():
        return "文件是空的。", "The file is empty."
    if raw.startswith(_OLE):
        if _ENCRYPTED in raw:
            return (
                "这个工作簿设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码（“文件 → 信息 → 保护工作簿”），"
                "保存后再导入。",
                "The workbook is protected by a password and cannot be read. Remove the password in Excel or WPS "
                '("File → Info → Protect Workbook"), save it and import it again.',
            )
        return (
            f"这是旧版的 Excel 97-2003 工作簿（.xls）或 WPS 表格文件（.et），不是 .xlsx。{SAVE_AS_ZH}",
            f"This is an old Excel 97-2003 workbook (.xls) or a WPS spreadsheet (.et), not an .xlsx file. {SAVE_AS_EN}",
        )
    text, encoding = _as_text(raw)
    if text is None:
        return (
            f"这不是 Excel 工作簿（.xlsx），也不是文字表格，无法识别。{SAVE_AS_ZH}",
            f"This is not an Excel workbook (.xlsx) nor a text table; its format is unknown. {SAVE_AS_EN}",
        )
    start = text.lstrip()[:2000].lower()
    if start.startswith("<"):
        return (
            f"这是网页（HTML）或 XML 格式的表格，只是扩展名是 .xlsx（一些系统导出的“Excel”是这种格式）。{SAVE_AS_ZH}",
            f'This is a table in HTML or XML with an .xlsx name (some systems export "Excel" files like '
            f"this). {SAVE_AS_EN}",
        )
    first = text.lstrip().split("\n", 1)[0].strip()[:80]
    return (
        f"这不是 Excel 工作簿，而是 {encoding} 编码的 CSV 文字表格（第一行：{first}），只是扩展名改成了 .xlsx。"
        f"{SAVE_AS_ZH}",
        f"This is not an Excel workbook but CSV text in {encoding} (first line: {first}) with an .xlsx name. "
        f"{SAVE_AS_EN}",
    )


def _as_text(raw: bytes) -> tuple[str | None, str]:
    for prefix, encoding, name in _TEXT_ENCODINGS:
        if raw.startswith(prefix):
            try:
                text = raw[len(prefix) :].decode(encoding)
            except UnicodeDecodeError:
                continue
            if all(ch.isprintable() or ch in "\r\n\t" for ch in text[:4000]):
                return text, name
    return None, ""


def _other_zip(names: set[str]) -> tuple[str, str]:
    what_zh, what_en = next(what for part, what in _OTHER_ZIPS.items() if any(n.startswith(part) for n in names))
    return (
        f"这是{what_zh}，不是 Excel 工作簿（.xlsx）。{SAVE_AS_ZH}",
        f"This is {what_en}, not an Excel workbook (.xlsx). {SAVE_AS_EN}",
    )


# --------------------------------------------------------------------------- sheets as grids


@dataclass
class Grid:
    """One worksheet's cells, merged cells resolved to their top-left cell."""

    name: str
    index: int
    cells: dict[tuple[int, int], Any]
    """Every cell the sheet stores, by (row, column)."""
    merges: dict[tuple[int, int], Any]
    """The merged range each merged cell belongs to (its top-left cell included)."""
    epoch: datetime
    """The workbook's date system (1900, or 1904 for old Mac workbooks)."""

    @classmethod
    def of(cls, ws: Worksheet, index: int, epoch: datetime) -> Grid:
        merges = {}
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    merges[(row, col)] = rng
        cells = dict(ws._cells)  # the stored cells only: ws.iter_rows would create every empty one
        return cls(ws.title, index, cells, merges, epoch)

    def cell(self, row: int, col: int) -> Any:
        """The cell whose value shows at (row, col): a merged range's top-left cell, else the cell."""
        rng = self.merges.get((row, col))
        return self.cells.get((rng.min_row, rng.min_col) if rng else (row, col))

    def value(self, row: int, col: int) -> Any:
        cell = self.cell(row, col)
        value = cell.value if cell is not None else None
        return None if isinstance(value, str) and not value.strip() else value

    def rows(self) -> list[int]:
        """The rows that hold something, in order."""
        return sorted({r for (r, c) in self.cells if self.value(r, c) is not None})

    @property
    def width(self) -> int:
        return max((c for _, c in self.cells), default=0)


# --------------------------------------------------------------------------- the header


@dataclass
class Header:
    """Where a sheet's header is and which column holds which field."""

    top: int
    bottom: int
    """The last header row (a header may take two rows, with merged cells)."""
    fields: dict[str, int]
    """Field → column (1-based)."""
    unknown: list[tuple[int, str]]
    """Columns not imported: (column, header)."""
    names: dict[int, str] = field(default_factory=dict)
    """The header of each column, as written."""
    twins: dict[str, list[int]] = field(default_factory=dict)
    """Fields that more than one column names (settled by :func:`settle_twins`)."""


def find_header(grid: Grid, kind: ListKind, mapping: dict[str, str] | None, problems: Problems) -> Header | None:
    """The header of ``grid``: the row among the first that names the most known fields."""
    best: Header | None = None
    for row in grid.rows()[:HEADER_SCAN]:
        found = _read_header(grid, row, kind, mapping)
        known = set(found.fields)
        if ({"date", "title"} & known) and len(known) >= 2 and (best is None or len(known) > len(best.fields)):
            best = found
    if best is None:
        problems.add(
            f"工作表“{grid.name}”的前 {HEADER_SCAN} 行里找不到表头（如“日期”“活动名称”）。"
            "请检查表头，或用 --mapping 文件说明各列的意思。",
            f"No header row (naming the date, the title and other columns) in the first {HEADER_SCAN} rows of the "
            f'sheet "{grid.name}". Check the header, or explain the columns in a --mapping file.',
            grid,
        )
        return None
    return best


def _read_header(grid: Grid, row: int, kind: ListKind, mapping: dict[str, str] | None) -> Header:
    bottom = row
    for col in range(1, grid.width + 1):
        rng = grid.merges.get((row, col))
        if rng is not None and rng.min_row == row:
            bottom = max(bottom, min(rng.max_row, row + 3))
    columns: dict[str, list[int]] = {}
    unknown, names = [], {}
    for col in range(1, grid.width + 1):
        texts = []
        for r in range(row, bottom + 1):
            value = grid.value(r, col)
            if value is not None and str(value).strip() not in texts:
                texts.append(str(value).strip())
        if not texts:
            continue
        names[col] = "/".join(texts)
        candidates = ["".join(texts), texts[-1]] if len(texts) > 1 else texts
        found = next((f for f in (match_header(t, kind, mapping) for t in candidates) if f), None)
        if found is None or found not in (*fields(kind), "ignore"):
            unknown.append((col, names[col]))
        elif found != "ignore":
            columns.setdefault(found, []).append(col)
    twins = {name: cols for name, cols in columns.items() if len(cols) > 1}
    return Header(row, bottom, {name: cols[0] for name, cols in columns.items()}, unknown, names, twins)


def settle_twins(grid: Grid, header: Header, problems: Problems) -> None:
    """Two columns for one field: keep the one with data; both with data is an error at the header."""
    for name, cols in header.twins.items():
        filled = [c for c in cols if any(grid.value(r, c) is not None for r in grid.rows() if r > header.bottom)]
        if len(filled) <= 1:
            header.fields[name] = (filled or cols)[0]
            continue
        first, second = filled[0], filled[1]
        rng = grid.merges.get((header.top, first))
        text = str(grid.value(header.top, first))
        if rng is not None and rng.min_col <= second <= rng.max_col:
            problems.add(
                f"表头“{text}”是合并单元格（{rng.coord}），下面的几列都有数据，无法知道哪一列是“{text}”。"
                "请取消合并，每列写一个表头。",
                f'The header "{text}" is a merged cell ({rng.coord}) over several columns that all hold data; '
                f'which of them is "{text}" cannot be told. Unmerge it and give each column its own header.',
                grid,
                header.top,
                rng.min_col,
            )
        else:
            other = get_column_letter(first)
            problems.add(
                f"这一列和 {other} 列表示同一项（“{grid.value(header.top, second)}”和“{text}”），两列都有数据。"
                "请删除或改名其中一列，或用 --mapping 文件说明。",
                f'This column and column {other} mean the same ("{grid.value(header.top, second)}" and "{text}") '
                "and both hold data. Delete or rename one of them, or explain them in a --mapping file.",
                grid,
                header.top,
                second,
            )
        header.fields.pop(name, None)
