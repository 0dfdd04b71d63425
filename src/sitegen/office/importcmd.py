"""``sitegen import xlsx FILE --unit UNIT --year YEAR``: an office's event and training lists into its year file.

The workbook is read and checked first (every problem at once, at its cell); then the year file is
written: a new one from the ``new year`` template, or, when it exists, only with ``--replace`` (its
lists replaced by the workbook's) or ``--merge`` (the entries not already there, by date and title,
added at the end of each list), keeping every comment. A report says what was added, changed and kept.
Nothing is written outside the unit's folder under ``content/``, which must exist.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from ..content import safefs
from ..content.loader import load_content
from ..content.model import YearRecord
from ..content.scaffold import FIRST_YEAR, LAST_YEAR
from ..content.sourcetext import read_source
from ..content.validation import validate_document
from ..content.values import check_slug, messages
from ..content.yamlsource import SourceText, parse_yaml
from ..errors import ContentError, ContentErrors, UsageError, display_path
from .columns import SHEET_TITLES, ListKind
from .mapping import read_mapping
from .names import Registries
from .xlsx_import import Entry, Imported, read_lists
from .yearfile import ListText, checked, entry_lines, find_list, new_year_text, with_list, write_atomic


@dataclass
class Outcome:
    """What writing the entries does to one list of the year file."""

    kind: ListKind
    added: list[Entry] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    changed: list[tuple[Entry, list[str]]] = field(default_factory=list)
    same: int = 0


def run(args: argparse.Namespace) -> int:
    """Run ``import xlsx``; returns the exit code (UsageError, ContentErrors raised for ``cli.main``)."""
    content: Path = args.content
    unit, year = _unit(args.unit), _year(args.year)
    folder = content / "units" / unit
    _check_folder(content, folder, unit)
    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"找不到要导入的文件“{source}”。", f'The file to import, "{source}", does not exist.')
    path = folder / f"{year}.yaml"
    mode = _mode(path, args)
    registries = Registries.load(content)
    mapping = read_mapping(args.mapping) if args.mapping else None
    imported = read_lists(source, registries, year, kind=args.kind, sheet=args.sheet, mapping=mapping)
    plan = _new_text(path, content, unit, year, imported, mode, source.name)
    if plan.changed and not args.dry_run:
        _write_checked(path, content, plan, source, args.today)
    if not args.quiet:
        _report(source, path, mode, imported, plan, args.dry_run)
    return 0


def _write_checked(path: Path, content: Path, plan: Plan, source: Path, today: date | None) -> None:
    """Write the year file, then load the whole site as ``check`` does: an error in an imported entry undoes it.

    The checks across files (an observance day before it was first held, an id used twice) see the new
    entries only here; such an error is shown at the entry's row of the workbook. Other problems, in this
    file's own entries or in other files, are not the import's and are left to ``check``.
    """
    before = path.read_bytes() if path.exists() else None
    write_atomic(path, plan.text)
    try:
        load_content(content, today=today)
    except ContentErrors as exc:
        shown, rows = display_path(path), _rows_of(path, plan)
        ours = [e for e in exc.sorted() if e.path == shown and e.severity == "error" and e.line in rows]
        if not ours:
            return
        if before is None:
            path.unlink()
            note = f"导入的条目没有通过网站检查，没有写入 {shown}。 / They fail the checks; {shown} was not written."
        else:
            write_atomic(path, before.decode("utf-8"))
            note = f"导入的条目没有通过网站检查，{shown} 已恢复原样。 / They fail the checks; {shown} was restored."
        print(note, file=sys.stderr)
        raise ContentErrors([_at_row(e, rows[e.line], source) for e in ours]) from None


def _rows_of(path: Path, plan: Plan) -> dict[int, Entry]:
    """The imported entry each line of the new text belongs to."""
    doc = parse_yaml(SourceText(path, plan.text))
    out = {}
    for marks in (doc.value_marks, doc.key_marks):
        for loc, (line, _) in marks.items():
            if len(loc) > 1 and loc[0] in plan.origins and isinstance(loc[1], int):
                origins = plan.origins[loc[0]]
                if loc[1] < len(origins) and origins[loc[1]] is not None:
                    out[line] = origins[loc[1]]
    return out


def _at_row(error: ContentError, entry: Entry, source: Path) -> ContentError:
    return ContentError(f"{display_path(source)}!{entry.where}", 0, 0, error.zh, error.en)


def _unit(value: str) -> str:
    try:
        return check_slug(value)
    except PydanticCustomError as exc:
        raise UsageError(*messages(exc)) from None


def _year(value: int) -> int:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise UsageError(
            f"{value} 不是有效的年份（应为 {FIRST_YEAR}–{LAST_YEAR} 之间的四位数）。",
            f"{value} is not a valid year (a four-digit year from {FIRST_YEAR} to {LAST_YEAR}).",
        )
    return value


def _check_folder(content: Path, folder: Path, unit: str) -> None:
    """The unit's folder must exist inside ``content`` (never created, never reached through a link out)."""
    if not folder.is_dir() or safefs.refusal(folder, content) is not None:
        raise UsageError(
            f"找不到单位文件夹“{display_path(folder)}”。请检查 --unit（单位编号）和 -c（内容文件夹），"
            f"或先用“new unit {unit}”建立这个单位。",
            f'There is no unit folder "{display_path(folder)}". Check --unit (the unit id) and -c (the content '
            f'folder), or create the unit first with "new unit {unit}".',
        )


def _mode(path: Path, args: argparse.Namespace) -> str:
    if os.path.islink(path) or (os.path.lexists(path) and not path.is_file()):
        raise UsageError(
            f"“{display_path(path)}”不是普通文件（可能是链接），不能写入。",
            f'"{display_path(path)}" is not a regular file (perhaps a link); it is not written.',
        )
    if not path.exists():
        return "new"
    if args.replace or args.merge:
        return "replace" if args.replace else "merge"
    raise UsageError(
        f"年度文件“{display_path(path)}”已经存在，没有改动。用 --merge 把表格里新的条目加进去（保留原有内容和注释），"
        "或用 --replace 以表格为准替换其中的宣传活动或学法培训列表。",
        f'The year file "{display_path(path)}" exists and was left as it is. Use --merge to add the workbook\'s new '
        "entries (keeping what is there, comments included), or --replace to replace its lists with the workbook's.",
    )


def _existing(path: Path, content: Path) -> tuple[str, dict[str, Any], YearRecord]:
    """The year file's text, data and record; ContentErrors (its own problems) if it does not load."""
    source = read_source(path, content)
    doc = parse_yaml(source)
    errors: list[ContentError] = []
    record, _ = validate_document(YearRecord, doc, errors)
    if errors or record is None:
        raise ContentErrors(errors)
    return source.text, doc.data if isinstance(doc.data, dict) else {}, record


@dataclass
class Plan:
    """What the import does to the year file."""

    text: str
    outcomes: list[Outcome]
    changed: bool
    """The text differs from the file's (a new file always does)."""
    origins: dict[ListKind, list[Entry | None]]
    """For each item of a list written, the workbook entry it comes from (None: the file's own)."""


def _new_text(path: Path, content: Path, unit: str, year: int, imported: Imported, mode: str, source_name: str) -> Plan:
    """The year file's new text, what it does to each list, and where each item comes from."""
    if mode == "new":
        text, data, record = new_year_text(unit, year, source_name), {}, YearRecord()
    else:
        text, data, record = _existing(path, content)
    original = None if mode == "new" else text
    outcomes, expected, origins = [], {}, {}
    for kind, entries in imported.lists.items():
        found = find_list(path, text, kind)
        outcome, kept = _compare(kind, entries, list(getattr(record, kind)), merge=mode == "merge")
        outcomes.append(outcome)
        old = list(data.get(kind) or [])
        if mode != "merge":
            items, expected[kind] = _replaced(found, entries, kept, old)
            origins[kind] = list(entries)
        elif outcome.added:
            items, expected[kind] = _extended(found, outcome.added, old)
            origins[kind] = [*([None] * len(old)), *outcome.added]
        else:
            continue
        text = with_list(text, found, items)
    checked(path, text, expected)
    return Plan(text, outcomes, text != original, origins)


def _replaced(found: ListText, entries: list[Entry], kept: list[int | None], old: list[Any]) -> tuple[list, list]:
    """The items of a replaced list: an entry the file has as it is keeps its lines (and comments)."""
    reuse = [None if found.flow else index for index in kept]
    pairs = list(zip(entries, reuse, strict=True))
    items = [found.items[i] if i is not None else entry_lines(found.key, e.data, found.indent) for e, i in pairs]
    return items, [old[i] if i is not None else e.data for e, i in pairs]


def _extended(found: ListText, added: list[Entry], old: list[Any]) -> tuple[list, list]:
    """The items of a list with ``added`` at its end."""
    if found.flow:
        raise UsageError(
            f"{found.key} 写成了方括号 [ … ] 的形式，无法在后面追加。请改为每项一行（以“- ”开头），或用 --replace。",
            f"{found.key} is written in brackets [ … ]; entries cannot be added to it. Write one item per line "
            '(starting with "- "), or use --replace.',
        )
    items = [*found.items, *(entry_lines(found.key, e.data, found.indent) for e in added)]
    return items, [*old, *(e.data for e in added)]


def _compare(kind: ListKind, entries: list[Entry], old: list[Any], *, merge: bool) -> tuple[Outcome, list[int | None]]:
    """Entries matched by date and title with the file's: added, changed (the fields), removed, the same;
    and for each entry, the index of the file's entry it is the same as."""
    outcome, kept = Outcome(kind), []
    by_key = {(e.date, e.title.zh): (i, e) for i, e in enumerate(old)}
    for entry in entries:
        index, match = by_key.pop((entry.model.date, entry.model.title.zh), (None, None))
        kept.append(None)
        if match is None:
            outcome.added.append(entry)
        elif differ := _differences(match, entry.model):
            outcome.changed.append((entry, differ))
        else:
            outcome.same += 1
            kept[-1] = index
    outcome.removed = [] if merge else [e for _, e in by_key.values()]
    return outcome, kept


def _differences(old: Any, new: Any) -> list[str]:
    """The fields in which two entries differ in meaning (a figure written 12,000 or 12000 is the same)."""
    a, b = _meaning(old.model_dump()), _meaning(new.model_dump())
    return [name for name in type(new).model_fields if a.get(name) != b.get(name)]


def _meaning(value: Any) -> Any:
    if isinstance(value, dict):
        figure = "qualifier" in value
        return {k: _meaning(v) for k, v in value.items() if not (figure and k == "text")}
    if isinstance(value, list):
        return [_meaning(v) for v in value]
    return value


def _report(source: Path, path: Path, mode: str, imported: Imported, plan: Plan, dry_run: bool) -> None:
    state = {"new": "新文件 / new file", "replace": "替换 / replace", "merge": "合并 / merge"}[mode]
    print(f"{display_path(source)} → {display_path(path)}（{state}）")
    for line in [*imported.notes, *(line for o in plan.outcomes for line in _outcome_lines(o, mode))]:
        print(line)
    if not plan.changed:
        print("年度文件已与表格一致，没有改动。 / The year file already holds the workbook's entries; nothing changed.")
    elif dry_run:
        print("（--dry-run：没有写入文件） / (--dry-run: nothing written)")


def _outcome_lines(o: Outcome, mode: str) -> list[str]:
    what, english = SHEET_TITLES[o.kind], o.kind
    if mode == "new":
        lines = [f"{what}：新增 {len(o.added)} 条 / {english}: {len(o.added)} added"]
    elif mode == "merge":
        lines = [
            f"{what}：新增 {len(o.added)} 条，已有 {o.same + len(o.changed)} 条未改动 / "
            f"{english}: {len(o.added)} added, {o.same + len(o.changed)} already there and left as they are"
        ]
    else:
        lines = [
            f"{what}：新增 {len(o.added)} 条，删除 {len(o.removed)} 条，修改 {len(o.changed)} 条，不变 {o.same} 条 / "
            f"{english}: {len(o.added)} added, {len(o.removed)} removed, {len(o.changed)} changed, {o.same} unchanged"
        ]
    lines += [f"  + {_label(e.model)}  ({e.where})" for e in o.added]
    lines += [f"  - {_label(m)}" for m in o.removed]
    for entry, names in o.changed:
        verb = "与表格不同（未修改；用 --replace 采用表格的） / differs (kept; --replace takes the workbook's)"
        lines.append(f"  ~ {_label(entry.model)}: {', '.join(names)}" + (f"  {verb}" if mode == "merge" else ""))
    return lines


def _label(model: Any) -> str:
    return f"{model.date.isoformat()} {model.title.zh}"
