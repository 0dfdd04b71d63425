"""The XLSX writer: openpyxl reads back what Excel will show, no text becomes a formula, the bytes never vary."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import ROOT
from sitegen.office.workbook import FORMULA_STARTS, Sheet, display_width, safe_cell, unescape_text, write_workbook

HOSTILE = [
    '=HYPERLINK("http://example.com","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=cmd|' /C calc'!A0",
    "\r=1",
    "＝1+1",
    "＋86",
    "－5",
    "＠A1",
    "'=already quoted",
]
SHEET = Sheet(
    "统计表",
    ["单位", "年份", "参与人数", "原文", "说明"],
    [
        ["中共武汉市新洲区委办公室", 2023, 1000, "1000余", None],
        ["district office", 2024, Decimal("12.5"), "约12.5", date(2024, 12, 4)],
        *[["注入", 2025, -7, text, None] for text in HOSTILE],
    ],
    groups=[["", "", "参与人数", "参与人数", ""]],
    caption="2023—2025年普法数字",
    notes=["注：示例数据。"],
)


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_a_text_that_a_spreadsheet_would_take_for_a_formula_gets_an_apostrophe() -> None:
    for text in HOSTILE:
        safe = safe_cell(text)
        assert isinstance(safe, str) and not safe.startswith(FORMULA_STARTS), text
        assert safe == "'" + text
        assert unescape_text(safe) == text
    assert safe_cell("国家宪法日") == "国家宪法日" and safe_cell("a=b") == "a=b"
    assert safe_cell(-5) == -5 and safe_cell(-2.5) == -2.5 and safe_cell(Decimal("3")) == 3
    assert safe_cell("bad\x00char") == "bad\ufffdchar"
    with pytest.raises(ValueError):
        safe_cell(float("nan"))
    with pytest.raises(ValueError):
        safe_cell("x" * 40_000)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_unescaping_gives_back_every_text(text: str) -> None:
    safe = safe_cell(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert unescape_text(safe) == text


def test_openpyxl_reads_back_headers_frozen_panes_widths_and_properties() -> None:
    book = _book(write_workbook([SHEET], created=date(2025, 12, 31), title="普法数字"))
    ws = book["统计表"]
    assert ws["A1"].value == "2023—2025年普法数字" and "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(2, c).value for c in range(1, 6)] == ["单位", "年份", "参与人数", None, "说明"]
    assert [ws.cell(3, c).value for c in range(3, 5)] == ["参与人数", "原文"]
    assert {"C2:D2", "A2:A3", "B2:B3", "E2:E3"} <= {str(r) for r in ws.merged_cells.ranges}  # a two-row header
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$2:$3" and ws.auto_filter.ref.startswith("A3:E")
    head = [ws.cell(r, c) for r in (2, 3) for c in range(1, 6) if ws.cell(r, c).value is not None]
    assert len(head) == 6 and all(cell.font.b for cell in head)
    # stored as Excel stores a width: with the 5 pixels of padding around its 7-pixel digits; Excel shows 26
    widths = {letter: round((dim.width * 7 - 5) / 7, 1) for letter, dim in ws.column_dimensions.items()}
    assert widths["A"] == display_width("中共武汉市新洲区委办公室") + 2 == 26  # 12 Chinese characters count double
    assert widths["B"] == 7  # "年份" (4) is narrower than the years as Excel shows them (2,023: 5), plus 2
    assert widths["E"] == len("2024-12-04") + 2
    assert ws["A4"].value == "中共武汉市新洲区委办公室" and ws["C4"].value == 1000 and ws["C5"].value == 12.5
    assert isinstance(ws["E5"].value, datetime) and ws["E5"].number_format == "yyyy-mm-dd"
    assert ws["A" + str(ws.max_row)].value == "注：示例数据。"
    props = book.properties
    assert props.created == props.modified == datetime(2025, 12, 31) and props.creator == "sitegen"
    assert props.title == "普法数字"


def test_no_cell_of_the_workbook_starts_a_formula() -> None:
    data = write_workbook([SHEET], created=date(2025, 1, 1))
    ws = _book(data)["统计表"]
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    numbers = [cell.value for cell in cells if cell.data_type == "n" and isinstance(cell.value, int | float)]
    assert -7 in numbers  # a negative number stays a number
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_the_same_sheets_give_the_same_bytes_in_another_process_time_zone_and_locale() -> None:
    data = write_workbook([SHEET], created=date(2025, 12, 31))
    assert data == write_workbook([SHEET], created=date(2025, 12, 31))
    script = (
        "import sys; from datetime import date; sys.path.insert(0, 'tests'); sys.path.insert(0, 'src');"
        "from test_workbook import SHEET; from sitegen.office.workbook import write_workbook;"
        "sys.stdout.buffer.write(write_workbook([SHEET], created=date(2025, 12, 31)))"
    )
    env = {**os.environ, "TZ": "America/Los_Angeles", "LC_ALL": "C", "PYTHONHASHSEED": "7"}
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, env=env, check=True).stdout
    assert other == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(2025, 12, 31, 0, 0, 0)} and {i.create_system for i in infos} == {3}
    assert write_workbook([SHEET], created=date(2026, 1, 1)) != data  # the date is the document's


def test_sheet_titles_are_made_valid_and_unique() -> None:
    sheets = [Sheet("a/b:c", ["x"], [[1]]), Sheet("A/B:C", ["x"], [[2]]), Sheet("x" * 40, ["x"], [[3]])]
    book = _book(write_workbook(sheets, created=date(2025, 1, 1)))
    assert book.sheetnames == ["a_b_c", "A_B_C (2)", "x" * 31]
    with pytest.raises(ValueError):
        write_workbook([], created=date(2025, 1, 1))
