"""``sitegen import xlsx``: office lists kept in Excel or WPS become year-file entries, every mistake at its cell.

Workbooks are made with openpyxl in each test (real files) and imported through the real command line,
in a subprocess or in-process; what was written is read back with the content loader.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

from conftest import ROOT, make_site
from sitegen.cli import main
from sitegen.content.loader import load_content
from sitegen.content.values import messages
from sitegen.errors import ContentErrors
from sitegen.office.cells import date_of, figure_of
from sitegen.office.events_sheet import events_workbook
from sitegen.office.names import Registries
from sitegen.office.workbook import FORMULA_STARTS
from sitegen.office.xlsx_import import read_lists

UNIT = "xinzhou-office"
LINE = re.compile(r"^(?P<file>[^\s!]+)(?:!(?P<sheet>[^!\s]+))?(?:!(?P<cell>[A-Z]+\d+))?: error: (?P<zh>.*)$")


@pytest.fixture(scope="module")
def example():
    """The example site as it is now."""
    return load_content(ROOT / "content")


def copy_example(tmp_path: Path, name: str, *drop: str) -> Path:
    """A copy of the example's content folder without the files ``drop`` (relative to the unit folder)."""
    content = tmp_path / name / "content"
    shutil.copytree(ROOT / "content", content)
    for rel in drop:
        (content / "units" / UNIT / rel).unlink()
    return content


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``build.py import xlsx …`` in a subprocess."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "import", "xlsx", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def problems(text: str) -> dict[tuple[str | None, str | None], str]:
    """(sheet, cell) → "中文 / English" of every error printed."""
    lines = text.splitlines()
    found = {}
    for index, line in enumerate(lines):
        if m := LINE.match(line):
            found[(m["sheet"], m["cell"])] = m["zh"] + " / " + lines[index + 1].strip()
    return found


def same_fields(got, expected) -> None:
    """Two lists of entries equal, compared field by field (so that a failure names the field)."""
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        for name in type(b).model_fields:
            assert getattr(a, name) == getattr(b, name), (b.date, b.title.zh, name)


# --------------------------------------------------------------------------- round trip


def test_an_exported_year_imported_again_gives_the_same_entries_and_a_stable_text(example, tmp_path: Path) -> None:
    original = example.unit(UNIT).years[2023].record
    exported = events_workbook(example, UNIT, 2023)
    book = tmp_path / "2023活动.xlsx"
    book.write_bytes(exported)
    first, second = copy_example(tmp_path, "a", "2023.yaml"), copy_example(tmp_path, "b", "2023.yaml")
    for content in (first, second):
        proc = cli(str(book), "--unit", UNIT, "--year", "2023", "-c", str(content))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert f"events: {len(original.events)} added" in proc.stdout, proc.stdout
    loaded = load_content(first)
    record = loaded.unit(UNIT).years[2023].record
    same_fields(record.events, original.events)
    same_fields(record.trainings, original.trainings)
    text = (first / "units" / UNIT / "2023.yaml").read_bytes()
    assert text == (second / "units" / UNIT / "2023.yaml").read_bytes()
    assert b"\r" not in text and text.endswith(b"\n") and text.startswith(f"# {UNIT} 单位 2023 年度".encode())
    assert events_workbook(loaded, UNIT, 2023) == exported  # and out again, byte for byte


def test_the_export_has_the_offices_headers_and_reads_back_with_openpyxl(example) -> None:
    book = load_workbook(io.BytesIO(events_workbook(example, UNIT, 2023)))
    assert book.sheetnames == ["宣传活动", "学法培训"]
    events, trainings = book["宣传活动"], book["学法培训"]
    head = [c.value for c in events[2]]
    assert head[:8] == ["日期", "活动名称", "活动名称（英文）", "类别/节日", "活动形式", "对象", "参与人数", "发放资料"]
    assert {"地点", "备注"} <= set(head) and "编号" not in head  # no event of 2023 has an id
    assert [c.value for c in trainings[2]][:5] == ["日期", "培训名称", "培训名称（英文）", "类型", "参加人数"]
    assert events.freeze_panes == "A3" and trainings.freeze_panes == "A3"
    first = example.unit(UNIT).years[2023].record.events[0]
    assert events["A3"].value == datetime(first.date.year, first.date.month, first.date.day)
    names = {c.value for c in events["D"][2:]} | {c.value for c in events["E"][2:]}
    assert "国家宪法日" in names and "法律咨询" in names  # ids written as the Chinese names
    counts = [c.value for c in events["G"][2:] if c.value is not None]
    assert any(isinstance(v, int) for v in counts) and any(isinstance(v, str) and "约" in v for v in counts)
    assert events.column_dimensions["B"].width > 30  # long Chinese titles


# --------------------------------------------------------------------------- mistakes


def _event(day, title, **kw):
    """A row of the mistakes sheet: 日期 活动名称 类别/节日 活动形式 对象 参与人数 发放资料 地点 备注."""
    cells = [day, title, kw.get("c", "国家宪法日"), kw.get("k", "法律咨询"), kw.get("a", "社会公众"), kw.get("p", 100)]
    return [*cells, None, kw["m"]] if "m" in kw else cells


MISTAKES = {  # row → (the row's cells, the cell at fault or None, a phrase of its message)
    3: (_event("2021-01-05", "文字人数", p="若干"), "F3", "is not a number"),
    4: (_event("2021.13.4", "月份错误"), "A4", "there is no month 13"),
    5: (_event("2021-03-08", "未知类别", c="妇女节"), "C5", "国家宪法日"),
    6: (_event("2021-03-09", None), "B6", "is required"),
    7: (_event(date(2022, 3, 1), "年份不对"), "A7", "is not in 2021"),
    8: (_event("2021-03-11", "全角数字", p="１２０"), "F8", "full-width"),
    9: (_event("2021-03-12", "万字可以", p="1.2万"), None, ""),
    10: (_event("2021-03-13", "公式", m="=SUM(F3:F9)"), "H10", "formula"),
    11: (_event("2021-03-14", "负数", p=-5), "F11", "negative"),
    12: (_event("2021-03-15", "小数人数", p=12.5), "F12", "whole number"),
    13: (_event(44300, "序列号日期"), None, ""),
    14: (_event(2021.12, "数字日期"), "A14", "not a date"),
    15: (_event("2021-03-18", "错误值", m="#DIV/0!"), "H15", "error value #DIV/0!"),
    16: (_event("2021-03-19", "逻辑值", p=True), "F16", "truth value TRUE"),
    17: (_event("2021-03-20", "未知对象", a="老人"), "E17", "Unknown target group"),
    18: (_event("4/12/2021", "日在前"), "A18", "the year must come first"),
    19: (_event("2021-03-22", "两个限定词", p="约300余"), "F19", "two qualifiers"),
    20: (_event("2021-03-23", "合并人数一", p=300), "F20", "merged over 2 rows"),
    21: (_event("2021-03-24", "合并人数二", p=None), None, ""),  # its cell is F20's merge: reported there
    22: (_event("2021-03-25", "两个纪念日", c="国家宪法日、国际禁毒日"), "C22", "observance days at most"),
    23: (_event("2021-03-26", "逗号错位", m="1,20"), "H23", "commas"),
    24: (_event("2021年5月19日至21日", "一段时间"), "A24", "span of days"),
    25: (_event("2021-03-28", "日期当数字", p=datetime(2021, 1, 2)), "F25", "holds a date"),
    26: (_event("2021-03-29", "没有类别", c=None, k=None), "C26", "Give at least one of observance"),
    27: (_event("2021-03-12", "万字可以"), "B27", "same date and title as row 9"),
    28: (_event("5月19日", "只有月日"), None, ""),
    29: (_event(None, "没有日期"), "A29", "is required"),
    30: (["合计", None, None, None, None, "=SUM(F3:F29)"], None, ""),
    31: (_event("2021-04-01", "未知形式", k="座谈会"), "D31", 'Unknown category "座谈会"'),
    32: (_event("13月5日", "十三月"), "A32", "there is no month 13"),
    33: (_event(" ", "空白日期", p=" "), "A33", "is required"),
}
MISTAKE_HEAD = ["日期", "活动名称", "类别/节日", "活动形式", "对象", "参与人数", "地点", "发放资料", "备注"]


def mistakes_workbook(path: Path) -> None:
    """Twenty-odd typical mistakes in one workbook, two sheets."""
    book = Workbook()
    ws = book.active
    ws.title = "宣传活动"
    ws.append(["2021年普法宣传活动登记表"])
    ws.merge_cells("A1:I1")
    ws.append(MISTAKE_HEAD)
    for row in sorted(MISTAKES):
        ws.append(MISTAKES[row][0])
    ws.merge_cells("F20:F21")
    study = book.create_sheet("学法培训")
    study.append(["日期", "培训名称", "类型", "学时", "参加人数", None, "合格率"])
    study.merge_cells("E1:F1")  # a merged header over two columns that both hold numbers
    study.append(["2021-05-01", "专题讲座", "讲座", 2, 30, 31, 0.969])
    study["G2"].number_format = "0.0%"
    study.append(["2021-05-02", "座谈", "座谈", 2, 30, None, 1])
    book.save(path)


def test_a_workbook_with_twenty_typical_mistakes_answers_each_at_its_cell(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"observances.yaml": (ROOT / "content" / "observances.yaml").read_text("utf-8")})
    (content / "units" / "demo" / "2021.yaml").unlink()
    book = tmp_path / "活动登记.xlsx"
    mistakes_workbook(book)
    proc = cli(str(book), "--unit", "demo", "--year", "2021", "-c", str(content))
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    found = problems(proc.stdout)
    expected = {("宣传活动", cell): phrase for _, cell, phrase in MISTAKES.values() if cell}
    expected |= {("学法培训", "E1"): "merged cell (E1:F1)", ("学法培训", "C3"): 'Unknown kind of training "座谈"'}
    assert set(found) == set(expected), sorted(set(found) ^ set(expected))
    for where, phrase in expected.items():
        assert phrase in found[where], (where, found[where])
        assert re.search(r"[\u4e00-\u9fff]", found[where].split(" / ")[0]), where  # Chinese first
    files = {LINE.match(line)["file"] for line in proc.stdout.splitlines() if LINE.match(line)}
    assert len(files) == 1 and files.pop().endswith("活动登记.xlsx")
    assert f"{len(expected)} error(s)" in proc.stderr
    assert not (content / "units" / "demo" / "2021.yaml").exists()  # nothing written
    sheets = [sheet for sheet, _ in found]
    rows = [int(cell[1:]) for sheet, cell in found if sheet == "宣传活动"]
    assert sheets == sorted(sheets, key=["宣传活动", "学法培训"].index) and rows == sorted(rows)  # the sheet's order


@pytest.mark.parametrize(
    ("data", "phrases"),
    [
        ("日期,活动名称,参与人数\n2021-12-04,宪法宣传,120\n".encode("gbk"), ("GBK", "CSV", "日期,活动名称")),
        ("\ufeff日期,活动名称\n2021-12-04,宪法宣传\n".encode(), ("UTF-8", "CSV", "Save As")),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook".ljust(64, b"\0"), ("97-2003", ".xls", ".et")),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le"), ("password",)),
        ("<html><body><table><tr><td>日期</td></tr></table></body></html>".encode(), ("HTML",)),
        (b"", ("empty",)),
        (b"PK\x03\x04broken", ("damaged",)),
    ],
)
def test_a_file_that_is_not_a_workbook_says_what_it_is(tmp_path: Path, data: bytes, phrases: tuple[str, ...]) -> None:
    path = tmp_path / "活动.xlsx"
    path.write_bytes(data)
    with pytest.raises(ContentErrors) as caught:
        read_lists(path, Registries(), 2021)
    (error,) = caught.value.errors
    assert error.path.endswith("活动.xlsx") and "!" not in error.path and error.line == 0
    assert all(p in error.zh + error.en for p in phrases), (error.zh, error.en)
    assert re.search(r"[\u4e00-\u9fff]", error.zh)


def test_a_word_document_renamed_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "活动.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ContentErrors) as caught:
        read_lists(path, Registries(), 2021)
    assert "Word document" in caught.value.errors[0].en


def test_a_gbk_csv_saved_as_xlsx_through_the_command_line(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    path = tmp_path / "2022活动.xlsx"
    path.write_bytes("日期,活动名称\n2022-12-04,宪法宣传\n".encode("gbk"))
    proc = cli(str(path), "--unit", "demo", "--year", "2022", "-c", str(content))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert re.search(r"2022活动\.xlsx: error: .*GBK.*CSV", proc.stdout), proc.stdout
    assert not (content / "units" / "demo" / "2022.yaml").exists()


# --------------------------------------------------------------------------- an existing year file


def _changed_2022(example, path: Path) -> tuple[str, int]:
    """The example's 2022 as a workbook, one count changed and one event added; (the changed title, new count)."""
    book = load_workbook(io.BytesIO(events_workbook(example, UNIT, 2022)))
    ws = book["宣传活动"]
    head = [c.value for c in ws[2]]
    col = {name: head.index(name) + 1 for name in ("日期", "活动名称", "类别/节日", "活动形式", "对象", "参与人数")}
    changed = ws.cell(3, col["活动名称"]).value
    count = ws.cell(3, col["参与人数"]).value
    new = count + 1 if isinstance(count, int) else 7
    ws.cell(3, col["参与人数"]).value = new
    ws.insert_rows(ws.max_row - 1)  # above the blank row and the note
    row = ws.max_row - 2
    values = ["2022-12-30", "年末新增的法律咨询", "国家宪法日", "法律咨询", "社会公众", "1000余"]
    for name, value in zip(col, values, strict=True):
        ws.cell(row, col[name]).value = value
    book.save(path)
    return changed, new


def test_an_existing_year_file_is_left_alone_without_merge_or_replace(example, tmp_path: Path) -> None:
    content = copy_example(tmp_path, "site")
    book = tmp_path / "2022.xlsx"
    book.write_bytes(events_workbook(example, UNIT, 2022))
    year = content / "units" / UNIT / "2022.yaml"
    before = year.read_bytes()
    proc = cli(str(book), "--unit", UNIT, "--year", "2022", "-c", str(content))
    assert proc.returncode == 2 and "--merge" in proc.stderr and "--replace" in proc.stderr, proc.stderr
    assert "已经存在" in proc.stderr and year.read_bytes() == before
    both = cli(str(book), "--unit", UNIT, "--year", "2022", "-c", str(content), "--merge", "--replace")
    assert both.returncode == 2 and year.read_bytes() == before


def test_merge_adds_only_new_entries_and_keeps_every_line_and_comment(example, tmp_path: Path, capsys) -> None:
    content = copy_example(tmp_path, "site")
    year = content / "units" / UNIT / "2022.yaml"
    before = year.read_text(encoding="utf-8")
    book = tmp_path / "2022.xlsx"
    changed, new_count = _changed_2022(example, book)
    args = ["import", "xlsx", str(book), "--unit", UNIT, "--year", "2022", "-c", str(content), "--merge"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "events: 1 added" in out and changed in out and "differs" in out, out
    after = year.read_text(encoding="utf-8")
    added = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith(("-", "+"))]
    assert not [line for line in added if line.startswith("-")]  # nothing of the file is lost, comments included
    assert "+     title: 年末新增的法律咨询" in added and "+     participants: 1000余" in added
    record = load_content(content).unit(UNIT).years[2022].record
    last = record.events[-1]
    assert last.title.zh == "年末新增的法律咨询" and last.participants.qualifier == "more_than"
    first = next(e for e in record.events if e.title.zh == changed)
    assert first.participants.value != new_count  # --merge never changes what is there
    assert main(args) == 0 and "nothing changed" in capsys.readouterr().out
    assert year.read_text(encoding="utf-8") == after  # a second merge finds nothing to add


def test_replace_takes_the_workbook_and_keeps_the_lines_of_unchanged_entries(example, tmp_path: Path, capsys) -> None:
    content = copy_example(tmp_path, "site")
    year = content / "units" / UNIT / "2022.yaml"
    before = year.read_text(encoding="utf-8")
    book = tmp_path / "2022.xlsx"
    changed, new_count = _changed_2022(example, book)
    assert main(["import", "xlsx", str(book), "--unit", UNIT, "--year", "2022", "-c", str(content), "--replace"]) == 0
    out = capsys.readouterr().out
    assert "1 added, 0 removed, 1 changed" in out and f"~ {example.unit(UNIT).years[2022].record.events[0].date}" in out
    after = year.read_text(encoding="utf-8")
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith(("-", "+"))]
    assert len([line for line in diff if line.startswith("-")]) == 1, diff  # the count, and nothing else
    assert f"+     participants: {new_count}" in diff
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert all(line in after.splitlines() for line in comments)  # comments inside the list too
    record = load_content(content).unit(UNIT).years[2022].record
    assert next(e for e in record.events if e.title.zh == changed).participants.value == new_count


# --------------------------------------------------------------------------- lists as offices keep them


def test_an_office_list_with_its_own_headers_merged_cells_and_text_dates(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["某区委办公室2022年普法宣传活动统计表"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(["序号", "时间", "活动内容", "节日", "形式", "参加人数", "发放资料", None, "说明", "经费"])
    ws.append([None, None, None, None, None, None, "份数", "种类", None, None])
    for col in "ABCDEFIJ":  # a two-row header: every header merged down, 发放资料 over its two sub-columns
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("G3:H3")
    rows = [
        [1, "2022.5.19", "宪法进社区", "国家宪法日", "讲座", "1.2万", 300, "折页", "红旗社区", 500],
        [2, "2022年5月20日", "宪法知识讲座", "国家宪法日", "讲座", "300余", None, None, None, None],
        [],
        [3, "2022/5/21（星期六）", "宪法宣传展板", "国家宪法日", "讲座", "约3000", "1,200", None, None, None],
        [4, "5月22日", "宪法进校园一", "国家宪法日", "讲座", 120, None, None, None, None],
        [5, None, "宪法进校园二", "国家宪法日", "讲座", 130, None, None, None, None],
        [6, 44734, "序列号日期", "第九个国家宪法日", "讲座", 50.0, None, None, None, None],
        ["合计", None, None, None, None, "=SUM(F5:F12)", None, None, None, None],
        ["注：参加人数为现场人数。"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("B9:B10")  # one date for two rows
    path = tmp_path / "活动统计.xlsx"
    book.save(path)
    assert main(["import", "xlsx", str(path), "--unit", "demo", "--year", "2022", "-c", str(content), "-q"]) == 0
    events = load_content(content).unit("demo").years[2022].record.events
    titles = ["宪法进社区", "宪法知识讲座", "宪法宣传展板", "宪法进校园一", "宪法进校园二", "序列号日期"]
    assert [e.title.zh for e in events] == titles
    assert [e.date for e in events] == [
        date(2022, 5, 19),
        date(2022, 5, 20),
        date(2022, 5, 21),
        date(2022, 5, 22),
        date(2022, 5, 22),
        from_excel(44734).date(),
    ]
    assert {e.observance for e in events} == {"constitution-day"} and {e.kind for e in events} == {"lecture"}
    first, second, third = events[:3]
    assert (first.participants.value, first.participants.text) == (12000, "1.2万")
    assert (second.participants.value, second.participants.qualifier) == (300, "more_than")
    assert (third.participants.value, third.participants.qualifier, third.materials.value) == (3000, "about", 1200)
    assert first.materials.value == 300 and first.description.zh == "红旗社区"
    assert events[5].participants.value == 50


def test_the_report_names_the_header_row_the_columns_left_out_and_the_rows_passed_over(tmp_path: Path, capsys) -> None:
    content = make_site(tmp_path)
    book = Workbook()
    ws = book.active
    ws.append(["日期", "名称", "纪念日", "人数", "负责人"])
    ws.append(["2022-12-04", "宪法日咨询", "国家宪法日", 100, "张三"])
    ws.append(["合计", None, None, 100, None])
    path = tmp_path / "list.xlsx"
    book.save(path)
    assert main(["import", "xlsx", str(path), "--unit", "demo", "--year", "2022", "-c", str(content), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "header on row 1, 1 read" in out and "E“负责人”" in out and "rows 3 passed over" in out
    assert "--dry-run" in out and not (content / "units" / "demo" / "2022.yaml").exists()


def test_a_mapping_file_names_headers_sitegen_does_not_know(tmp_path: Path, capsys) -> None:
    content = make_site(tmp_path)
    book = Workbook()
    ws = book.active
    ws.title = "学法培训"
    ws.append(["开课日", "课程", "学习方式", "到课人数", "课酬"])
    ws.append(["2022-03-01", "民法典专题", "讲座", 40, 800])
    path = tmp_path / "study.xlsx"
    book.save(path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("开课日: date\n到课人数: participants\n课酬: ignore\ntrainings:\n  课程: title\n", "utf-8")
    args = ["import", "xlsx", str(path), "--unit", "demo", "--year", "2022", "-c", str(content)]
    assert main([*args, "--mapping", str(mapping), "-q"]) == 0
    (training,) = load_content(content).unit("demo").years[2022].record.trainings
    assert (training.title.zh, training.kind, training.participants.value) == ("民法典专题", "lecture", 40)
    mapping.write_text("开课日: date\n到课人数: particpants\n", "utf-8")
    assert main([*args, "--mapping", str(mapping), "--replace"]) == 1
    err = capsys.readouterr().out
    assert re.search(r"mapping\.yaml:2:\d+: error: .*particpants", err) and "participants" in err


def test_text_that_would_be_a_formula_is_neutralised_and_comes_back(tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://example.com","点我")'
    year = (
        "events:\n  - date: 2021-12-04\n"
        f"    title: {json.dumps(hostile, ensure_ascii=False)}\n"
        '    observance: constitution-day\n    participants: 120\n    location: "+86 咨询台"\n'
        '    description: "@所有人"\n'
    )
    content = make_site(tmp_path, {"units/demo/2021.yaml": year})
    site = load_content(content)
    data = events_workbook(site, "demo", 2021)
    ws = load_workbook(io.BytesIO(data))["宣传活动"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)] and "'" + hostile in texts
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    (content / "units" / "demo" / "2021.yaml").unlink()
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    assert main(["import", "xlsx", str(path), "--unit", "demo", "--year", "2021", "-c", str(content), "-q"]) == 0
    (event,) = load_content(content).unit("demo").years[2021].record.events
    assert (event.title.zh, event.location.zh, event.description.zh) == (hostile, "+86 咨询台", "@所有人")


def test_nothing_is_written_outside_an_existing_unit_folder(tmp_path: Path, capsys) -> None:
    content = make_site(tmp_path)
    path = tmp_path / "list.xlsx"
    mistakes_workbook(path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for unit in ("no-such-unit", "../outside", "Demo"):
        assert main(["import", "xlsx", str(path), "--unit", unit, "--year", "2021", "-c", str(content)]) == 2
    assert (
        main(["import", "xlsx", str(tmp_path / "missing.xlsx"), "--unit", "demo", "--year", "2021", "-c", str(content)])
        == 2
    )
    assert main(["import", "xlsx", str(path), "--unit", "demo", "--year", "1900", "-c", str(content)]) == 2
    outside = tmp_path / "outside"
    outside.mkdir()
    (content / "units" / "linked").symlink_to(outside, target_is_directory=True)  # a unit folder leading out
    (content / "units" / "demo" / "2022.yaml").symlink_to(outside / "2022.yaml")  # a year file leading out
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["import", "xlsx", str(path), "--unit", "linked", "--year", "2021", "-c", str(content)]) == 2
    assert main(["import", "xlsx", str(path), "--unit", "demo", "--year", "2022", "-c", str(content)]) == 2
    err = capsys.readouterr().err
    assert "no unit folder" in err and "lowercase letters" in err and "does not exist" in err and "valid year" in err
    assert "not a regular file" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before and not any(outside.iterdir())


def test_an_entry_failing_a_check_across_files_is_shown_at_its_row_and_nothing_is_kept(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"observances.yaml": (ROOT / "content" / "observances.yaml").read_text("utf-8")})
    book = Workbook()
    ws = book.active
    ws.title = "宣传活动"
    ws.append(["日期", "活动名称", "类别/节日", "参与人数"])
    ws.append(["2015-12-04", "宪法日宣传", "国家宪法日", 100])
    ws.append(["2015-04-15", "国家安全教育日宣传", "全民国家安全教育日", 100])  # first held in 2016
    path = tmp_path / "2015.xlsx"
    book.save(path)
    proc = cli(str(path), "--unit", "demo", "--year", "2015", "-c", str(content))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert set(problems(proc.stdout)) == {("宣传活动", "A3")} and "counted from 2016" in proc.stdout
    assert "was not written" in proc.stderr and not (content / "units" / "demo" / "2015.yaml").exists()


# --------------------------------------------------------------------------- cells


def _cell(value, number_format: str | None = None):
    """A real openpyxl cell holding ``value``."""
    cell = Workbook().active["B2"]
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2023, 5, 19, 9, 30), date(2023, 5, 19)),
        (date(2023, 5, 19), date(2023, 5, 19)),
        (45065, date(2023, 5, 19)),  # the serial number Excel stores
        (45065.75, date(2023, 5, 19)),  # with a time of day
        ("2023.5.19", date(2023, 5, 19)),
        ("2023/5/19", date(2023, 5, 19)),
        ("2023-05-19 09:30", date(2023, 5, 19)),
        ("2023年5月19日", date(2023, 5, 19)),
        ("2023年5月19日（星期五）", date(2023, 5, 19)),
        ("5月19日", date(2023, 5, 19)),
        ("5.19", date(2023, 5, 19)),
        ("2023.13.4", "there is no month 13"),
        ("2023-13-4", "there is no month 13"),
        ("2023-02-30", "has no day 30"),
        ("2月30日", "has no day 30"),
        ("２０２３年５月１９日", "full-width"),
        ("19/5/2023", "the year must come first"),
        ("2023.5.19-5.21", "span of days"),
        ("5月19日至21日", "span of days"),
        ("2023年5月", "has no day"),
        (2023, "only the year"),
        (5.19, 'the number "5.19"'),
        (2022.5, 'the number "2022.5"'),
        (datetime(2022, 12, 31), "is not in 2023"),
        (44926, "is not in 2023"),  # 2022-12-31
        ("下周三", "is not a date"),
        (True, "is not a date"),
        ("=TODAY()", "formula"),
        ("#VALUE!", "error value"),
    ],
)
def test_dates_are_read_as_excel_stores_them(value, expected) -> None:
    if isinstance(expected, date):
        assert date_of(_cell(value), 2023, WINDOWS_EPOCH) == expected
        return
    with pytest.raises(ValueError) as caught:
        date_of(_cell(value), 2023, WINDOWS_EPOCH)
    zh, en = messages(caught.value)
    assert expected in en and re.search(r"[\u4e00-\u9fff]", zh), (en, zh)


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (120, None, "120"),
        (120.0, None, "120"),
        (96.9, None, "96.9"),
        (0.1 + 0.2, None, "0.30000000000000004"),  # what the cell holds: never rounded away silently
        (0.969, "0.0%", "96.9"),  # a percentage-formatted cell, in a percent column
        (1, "0%", "100"),
        ("1.2万", None, "1.2万"),
        ("  300余 ", None, "300余"),
        ("'-5", None, "-5"),  # the export's apostrophe taken off again
    ],
)
def test_figures_are_read_as_written(value, fmt, expected) -> None:
    assert figure_of(_cell(value, fmt), percent=True) == expected


def test_a_date_where_a_figure_belongs_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError) as caught:
        figure_of(_cell(datetime(2023, 1, 2)))
    assert "General" in messages(caught.value)[1]
    assert figure_of(_cell(0.969, "0.0%")) == "0.969"  # a percentage format counts in percent columns only


def test_every_example_year_exported_and_imported_with_replace_changes_nothing(example, tmp_path: Path, capsys) -> None:
    content = copy_example(tmp_path, "site")
    years = [y for y in example.unit(UNIT).years if (content / "units" / UNIT / f"{y}.yaml").exists()]
    assert len(years) >= 3
    for year in years:
        path = content / "units" / UNIT / f"{year}.yaml"
        before = path.read_bytes()
        book = tmp_path / f"{year}.xlsx"
        book.write_bytes(events_workbook(example, UNIT, year))
        args = ["import", "xlsx", str(book), "--unit", UNIT, "--year", str(year), "-c", str(content), "--replace"]
        assert main(args) == 0
        assert "nothing changed" in capsys.readouterr().out, year
        assert path.read_bytes() == before, year
