"""A year's events and trainings as the workbook an office keeps: the counterpart of ``sitegen import xlsx``.

Two sheets, 宣传活动 and 学法培训, with the Chinese headers of :mod:`sitegen.office.columns` (日期,
活动名称, 类别/节日, 活动形式, 参与人数, 发放资料, 地点, 备注 …); English texts, ids and session
counts get their columns only where the content has them. Observances, campaigns and kinds are
written by their Chinese names, exact figures as numbers and qualified ones as written (350余, 约3000).
Importing the workbook again gives the same entries; not kept are a figure's ``note``, thousands
separators in exact figures (``12,000`` comes back as ``12000``) and ``{unreadable: …}`` values, which
come back as an error to correct.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..content.quantity import Quantity
from .columns import COLUMNS, SHEET_TITLES, TARGET_GROUPS, TRAINING_KINDS, Column, ListKind
from .names import Registries
from .workbook import CellValue, Sheet, write_workbook

if TYPE_CHECKING:
    from ..content.model import Content, Event, Training, YearRecord

NOTES: dict[ListKind, str] = {
    "events": "注：人数和份数写确数（120）或带限定词（300余、约3000、1.2万）；类别/节日写纪念日或专项活动的名称，"
    "活动形式写 observances.yaml 中的名称；对象写社会公众、国家工作人员、青少年。",
    "trainings": "注：类型写中心组学法、法治讲座、培训、考试、自学或会议；学时写每人的学时；合格率写百分数（100）。",
}
"""The note under each sheet, for whoever fills it in."""
LIST_SEPARATOR = "、"
_WRITTEN = {"more_than": "{}余", "at_least": "{}以上", "about": "约{}"}


def events_workbook(content: Content, unit_id: str, year: int) -> bytes:
    """The XLSX file of ``unit_id``'s events and trainings in ``year`` (KeyError if the site has no such year)."""
    unit = content.unit(unit_id)
    if unit is None or year not in unit.years:
        raise KeyError(f"{unit_id} has no year {year}")
    record = unit.years[year].record
    sheets = year_sheets(Registries.of(content), record, year, unit.info.name.zh)
    return write_workbook(sheets, created=last_date(record, year), title=f"{unit.info.name.zh} {year}")


def year_sheets(registries: Registries, record: YearRecord, year: int, unit_name: str = "") -> list[Sheet]:
    """The 宣传活动 and 学法培训 sheets of ``record``."""
    return [
        list_sheet("events", record.events, registries, year, unit_name),
        list_sheet("trainings", record.trainings, registries, year, unit_name),
    ]


def list_sheet(
    kind: ListKind, entries: Sequence[Event | Training], registries: Registries, year: int, unit_name: str = ""
) -> Sheet:
    """One list as a sheet: a caption, the header, one row per entry and the note."""
    columns = [c for c in COLUMNS[kind] if not c.optional or any(_value(kind, c, e, registries) for e in entries)]
    rows = [tuple(_value(kind, c, e, registries) for c in columns) for e in entries]
    title = SHEET_TITLES[kind]
    caption = f"{unit_name}{year}年{title}" if unit_name else f"{year}年{title}"
    formats = {i: "0" for i, c in enumerate(columns) if c.value == "count"}
    return Sheet(title, [c.header for c in columns], rows, caption=caption, notes=[NOTES[kind]], formats=formats)


def last_date(record: YearRecord, year: int) -> date:
    """The latest date of the year's entries (the workbook's date), else 1 January."""
    return max((e.date for e in (*record.events, *record.trainings)), default=date(year, 1, 1))


def quantity_cell(q: Quantity | None) -> CellValue:
    """A figure as a cell: an exact one as a number, any other (or one with its measure word) as written (350余)."""
    if q is None:
        return None
    if q.value is not None and q.qualifier == "exact" and not getattr(q, "unit", None):
        return q.value
    if q.text or q.redacted or q.unreadable:
        return q.text or q.redacted or q.unreadable
    return _WRITTEN[q.qualifier].format(q.value)


def _value(kind: ListKind, column: Column, entry: Any, registries: Registries) -> CellValue:
    name, _, lang = column.field.partition(".")
    if name == "category":
        refs = [("observance", entry.observance), ("campaign", entry.campaign)]
        return LIST_SEPARATOR.join(registries.name(s, r, entry.date.year) for s, r in refs if r) or None
    if kind == "events" and name == "kind":
        return registries.name("kind", entry.kind, entry.date.year) if entry.kind else None
    if name == "kind":
        return TRAINING_KINDS[entry.kind][0]
    if name == "audience":
        return LIST_SEPARATOR.join(TARGET_GROUPS[g][0] for g in entry.audience) or None
    if name == "media":
        texts = [(m.en or "") if lang else m.zh for m in entry.media]
        return LIST_SEPARATOR.join(texts) if any(texts) else None
    value = getattr(entry, name)
    if column.value in ("count", "amount", "percent"):
        if name == "sessions" and value == Quantity(value=1):
            return None  # the default: left empty, read back as the default
        return quantity_cell(value)
    if hasattr(value, "zh"):  # a bilingual text
        return value.en if lang else value.zh
    return value
