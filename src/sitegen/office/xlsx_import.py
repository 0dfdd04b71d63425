"""An office's event or training list, kept in Excel or WPS, read into year-file entries.

The sheets are found by name (宣传活动, 学法培训 …) or chosen with ``--sheet``/``--kind``; in each, the
header row (:mod:`~sitegen.office.xlsx_read`), then every row below it: blank rows, totals (合计) and
notes (注：…) are passed over, each cell is read deliberately (:mod:`~sitegen.office.cells`), names
of observances, campaigns and kinds become ids (:mod:`~sitegen.office.names`), and each entry is
validated by the same model as a hand-written YAML file (``Event``, ``Training``), its errors shown
at the cell they come from. Every problem of the workbook is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from ..content.bilingual import problem
from ..content.model import Event, Training
from ..content.values import messages
from .cells import date_of, figure_of, items_of, text_of
from .columns import (
    COLUMNS,
    MODELS,
    REQUIRED,
    SHEET_TITLES,
    ListKind,
    column,
    normal_header,
    target_groups,
    training_kind,
)
from .names import SLOT_NAMES, Registries, Slot
from .xlsx_read import Grid, Header, Problems, find_header, open_workbook, settle_twins

BILINGUAL = ("title", "location", "description", "speaker")
_SUMMARY = re.compile(r"^(合计|总计|小计|共计|累计|注[:：]|说明[:：]|备注[:：]|填表|制表|审核|填报|联系人|联系电话)")
_EN_ITEMS = re.compile(r"[、;；\n]")


@dataclass(frozen=True)
class Entry:
    """One imported entry: its data as a YAML file holds it, the validated model, and where it came from."""

    data: dict[str, Any]
    model: Event | Training
    where: str
    """Its row, as the cell of its date: ``宣传活动!A7``."""


@dataclass
class Imported:
    """What a workbook gave: the entries of each list it has, and lines for the report."""

    lists: dict[ListKind, list[Entry]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Bilingual report lines (``中文 / English``)."""


def read_lists(
    path: Path,
    registries: Registries,
    year: int,
    *,
    kind: ListKind | None = None,
    sheet: str | None = None,
    mapping: dict[ListKind, dict[str, str]] | None = None,
) -> Imported:
    """The event and training lists of the workbook at ``path``; WorkbookErrors with every problem."""
    problems = Problems(path)
    book = open_workbook(path, problems)
    imported = Imported()
    if book is not None:
        for index, ws, list_kind in _chosen(book, kind, sheet, problems):
            grid = Grid.of(ws, index, book.epoch)
            reader = _SheetReader(grid, list_kind, year, registries, problems)
            entries = reader.read((mapping or {}).get(list_kind))
            imported.notes += reader.notes
            if entries:
                imported.lists.setdefault(list_kind, []).extend(entries)
        if not imported.lists and not problems.failed():
            problems.add(
                "工作簿里没有可导入的行：没有填写任何宣传活动或学法培训。",
                "The workbook has nothing to import: no event or training is filled in.",
            )
    problems.raise_if_failed()
    return imported


def _kind_of(title: str) -> ListKind | None:
    name = normal_header(title)
    if any(word in name for word in ("培训", "学法", "学习", "training")):
        return "trainings"
    if any(word in name for word in ("活动", "宣传", "event")):
        return "events"
    return None


def _chosen(book: Any, kind: ListKind | None, sheet: str | None, problems: Problems) -> list[tuple[int, Any, ListKind]]:
    """The sheets to read and the list each holds."""
    sheets = [(i, ws) for i, ws in enumerate(book.worksheets)]
    if sheet is not None:
        found = [(i, ws) for i, ws in sheets if normal_header(ws.title) == normal_header(sheet)]
        if not found:
            names = "、".join(ws.title for _, ws in sheets)
            problems.add(
                f"工作簿里没有名为“{sheet}”的工作表。现有的工作表：{names}。",
                f'The workbook has no sheet named "{sheet}". Its sheets: {names}.',
            )
            return []
        return [(found[0][0], found[0][1], kind or _kind_of(sheet) or "events")]
    filled = [(i, ws) for i, ws in sheets if ws.sheet_state == "visible" and _has_values(ws)]
    named = [(i, ws, k) for i, ws in filled if (k := _kind_of(ws.title)) and (kind is None or k == kind)]
    if named:
        return named
    return [(filled[0][0], filled[0][1], kind or "events")] if filled else []


def _has_values(ws: Any) -> bool:
    return any(cell.value is not None for cell in ws._cells.values())


class _SheetReader:
    """Reads the rows of one sheet into entries, reporting each problem at its cell."""

    def __init__(self, grid: Grid, kind: ListKind, year: int, registries: Registries, problems: Problems):
        self.grid, self.kind, self.year, self.registries, self.problems = grid, kind, year, registries, problems
        self.notes: list[str] = []
        self.header: Header | None = None

    def read(self, mapping: dict[str, str] | None) -> list[Entry]:
        header = find_header(self.grid, self.kind, mapping, self.problems)
        if header is None:
            return []
        settle_twins(self.grid, header, self.problems)
        self.header = header
        if not self._has_required():
            return []
        entries, skipped, seen = [], [], {}
        for row in (r for r in self.grid.rows() if r > header.bottom):
            if all(self.grid.value(row, col) is None for col in header.fields.values()):
                continue  # nothing in the columns imported: a blank or numbered-only row
            if self._summary(row):
                skipped.append(str(row))
                continue
            entry = self._entry(row)
            if entry is not None and self._unique(entry, row, seen):
                entries.append(entry)
        self._note(len(entries), skipped)
        return entries

    def _has_required(self) -> bool:
        header = self.header
        missing = [column(self.kind, f).header for f in REQUIRED[self.kind] if f not in header.fields]
        if missing:
            found = "、".join(header.names.values())
            self.problems.add(
                f"表头行（第 {header.top} 行）里找不到“{'”“'.join(missing)}”列。这一行的表头：{found}。"
                "请改正表头，或用 --mapping 文件说明哪一列是它。",
                f'The header row (row {header.top}) has no column "{", ".join(missing)}". Its headers: {found}. '
                "Correct the header, or say which column it is in a --mapping file.",
                self.grid,
                header.top,
                1,
            )
        return not missing

    def _summary(self, row: int) -> bool:
        """A totals or notes row (合计, 注：…), passed over."""
        first = next((v for c in range(1, self.grid.width + 1) if (v := self.grid.value(row, c)) is not None), None)
        return isinstance(first, str) and bool(_SUMMARY.match(first.strip()))

    def _entry(self, row: int) -> Entry | None:
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for col in COLUMNS[self.kind]:
            if col.field in self.header.fields:
                value = self._cell(row, col.field, self._reader(col.value), failed)
                if value not in (None, "", []):
                    values[col.field] = value
        data = self._data(row, values, failed)
        if data is None:
            return None
        try:
            model = MODELS[self.kind].model_validate(data)
        except ValidationError as exc:
            self._explain(row, exc, failed)
            return None
        date_column = get_column_letter(self.header.fields["date"])
        return None if failed else Entry(data, model, f"{self.grid.name}!{date_column}{row}")

    def _reader(self, kind: str) -> Callable[[Any], Any]:
        epoch = self.grid.epoch
        return {
            "date": lambda c: date_of(c, self.year, epoch).isoformat(),
            "count": figure_of,
            "amount": figure_of,
            "percent": lambda c: figure_of(c, percent=True),
            "category": lambda c: self._refs(text_of(c)),
            "audience": lambda c: target_groups(text_of(c)),
            "texts": text_of,
            "training": lambda c: training_kind(text_of(c)),
        }.get(kind, text_of)

    def _cell(self, row: int, name: str, read: Callable[[Any], Any], failed: set[str]) -> Any:
        col = self.header.fields[name]
        if self.grid.value(row, col) is None:
            return None
        rng = self.grid.merges.get((row, col))
        at_row, at_col = (rng.min_row, rng.min_col) if rng else (row, col)
        try:
            if rng and rng.max_row > rng.min_row and column(self.kind, name).value in ("count", "amount", "percent"):
                raise _merged_figure(self.header.names[col], rng)
            return read(self.grid.cell(row, col))
        except ValueError as exc:  # the editors' error (PydanticCustomError)
            failed.add(name.split(".")[0])
            self.problems.add(*messages(exc), self.grid, at_row, at_col)  # once for a merged cell's rows
            return None

    def _refs(self, text: str) -> list[tuple[Slot, str]]:
        found, unknown = self.registries.resolve(text)
        if unknown:
            raise _unknown_category(unknown[0], self.registries)
        return found

    def _data(self, row: int, values: dict[str, Any], failed: set[str]) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        for name, value in values.items():
            base, _, lang = name.partition(".")
            if base in BILINGUAL:
                if not lang:
                    english = values.get(f"{base}.en")
                    data[base] = {"zh": value, "en": english} if english else value
                elif base not in values:
                    data[base] = {"zh": "", "en": value}
            elif base in ("category", "kind") and self.kind == "events":
                if not self._slots(row, name, value, data, failed):
                    return None
            elif base == "media" and not lang:
                data["media"] = self._media(row, value, values.get("media.en"), failed)
            elif not lang:
                data[name] = value
        return data

    def _slots(self, row: int, name: str, refs: list[tuple[Slot, str]], data: dict[str, Any], failed: set[str]) -> bool:
        for slot, ref in refs:
            if data.get(slot, ref) != ref:
                zh_slot, en_slot = SLOT_NAMES[slot]
                first = self.registries.name(slot, data[slot], self.year)
                second = self.registries.name(slot, ref, self.year)
                self.problems.add(
                    f"一个活动只能有一个{zh_slot}，这一行却有“{first}”和“{second}”。请只保留一个，另一个可以写进备注。",
                    f'An event has one of the {en_slot} at most; this row has "{first}" and "{second}". '
                    "Keep one; the other can go into the remarks.",
                    self.grid,
                    row,
                    self.header.fields[name],
                )
                failed.add(name)
                return False
            data[slot] = ref
        return True

    def _media(self, row: int, zh_text: str, en_text: str | None, failed: set[str]) -> list[Any]:
        zh = items_of(zh_text)
        en = [part.strip() for part in _EN_ITEMS.split(en_text)] if en_text else []
        if en and len(en) != len(zh):
            self.problems.add(
                f"英文的宣传平台有 {len(en)} 项，中文的有 {len(zh)} 项，请用“、”分隔，一一对应（没有英文的项留空）。",
                f"There are {len(en)} media names in English but {len(zh)} in Chinese; separate them with 、 in the "
                "same order (leave an item empty where there is no English).",
                self.grid,
                row,
                self.header.fields["media.en"],
            )
            failed.add("media")
            return zh
        return [{"zh": z, "en": e} if e else z for z, e in zip(zh, en or [""] * len(zh), strict=True)]

    def _explain(self, row: int, exc: ValidationError, failed: set[str]) -> None:
        for err in exc.errors(include_url=False):
            loc = [str(part) for part in err["loc"] if isinstance(part, str)]
            base = loc[0] if loc else "category"
            classified = base in ("observance", "campaign", "kind", "category") and self.kind == "events"
            if base in failed or (classified and failed & {"category", "kind"}):
                continue
            col = self._column_of(base, loc)
            name = self.header.names.get(col, base)
            zh, en = _model_message(err, name)
            self.problems.add(zh, en, self.grid, row, col)

    def _column_of(self, base: str, loc: list[str]) -> int:
        fields = self.header.fields
        candidates = [f"{base}.en" if loc[1:2] == ["en"] else base, base, f"{base}.en"]
        if base in ("observance", "campaign", "kind", "category"):
            candidates = ["category", "kind"] if self.kind == "events" else ["kind"]
        return next((fields[c] for c in candidates if c in fields), fields.get("date", 1))

    def _unique(self, entry: Entry, row: int, seen: dict[tuple[str, str], int]) -> bool:
        key = (entry.model.date.isoformat(), entry.model.title.zh)
        if key in seen:
            self.problems.add(
                f"这一行和第 {seen[key]} 行的日期和名称都相同（重复了？）。如果确是两次活动，请在名称上加以区分。",
                f"This row has the same date and title as row {seen[key]} (a duplicate?). If they are two events, "
                "make their titles different.",
                self.grid,
                row,
                self.header.fields["title"],
            )
            return False
        seen[key] = row
        return True

    def _note(self, count: int, skipped: list[str]) -> None:
        name = self.grid.name
        what = "" if name == SHEET_TITLES[self.kind] else f"（{SHEET_TITLES[self.kind]}）"
        self.notes.append(
            f"工作表“{name}”{what}：表头在第 {self.header.top} 行，读取 {count} 条 / "
            f'sheet "{name}" ({self.kind}): header on row {self.header.top}, {count} read'
        )
        if skipped:
            rows = "、".join(skipped)
            self.notes.append(f"  跳过第 {rows} 行（合计或注释） / rows {rows} passed over (totals or notes)")
        if self.header.unknown:
            listing = "、".join(f"{get_column_letter(c)}“{text}”" for c, text in self.header.unknown)
            self.notes.append(f"  未导入的列：{listing} / columns not imported: {listing}")


def _merged_figure(name: str, rng: Any) -> ValueError:
    rows = rng.max_row - rng.min_row + 1
    return problem(
        f"“{name}”的单元格 {rng.coord} 合并了 {rows} 行，无法知道每一行各是多少。请取消合并，每行填写自己的数。",
        f'The "{name}" cell {rng.coord} is merged over {rows} rows; how much belongs to each row cannot be told. '
        "Unmerge it and give each row its own figure.",
    )


def _unknown_category(word: str, registries: Registries) -> ValueError:
    near = registries.nearest(word)
    hint_zh, hint_en = (f"是否想写“{near}”？", f'Did you mean "{near}"? ') if near else ("", "")
    known = {slot: "、".join(registries.known(slot)) or "—" for slot in SLOT_NAMES}
    return problem(
        f"不认识的类别“{word}”。{hint_zh}已登记的纪念日：{known['observance']}；专项活动：{known['campaign']}；"
        f"活动形式：{known['kind']}。新的名称请先登记在 observances.yaml 里。",
        f'Unknown category "{word}". {hint_en}Observance days: {known["observance"]}; campaigns: '
        f"{known['campaign']}; event kinds: {known['kind']}. Register a new one in observances.yaml first.",
    )


def _model_message(err: Any, name: str) -> tuple[str, str]:
    """The editors' words for one error of the content model, about the column headed ``name``."""
    ctx = err.get("ctx") or {}
    if err["type"] == "sitegen":
        return ctx["zh"], ctx["en"]
    if err["type"] == "missing":
        return (f"“{name}”是必填项，这一行没有填写。", f'"{name}" is required, and this row leaves it empty.')
    value = err.get("input")
    return (
        f"“{name}”的值“{value}”不正确：{err.get('msg', '')}",
        f'The value "{value}" in "{name}" is not valid: {err.get("msg", "")}',
    )
