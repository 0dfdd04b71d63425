"""Translation coverage: which texts have no English yet, and where they live.

A missing translation is normal (the English site shows the Chinese, marked), so this is
a report, not an error; ``check --strict`` makes it one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import UnionType
from typing import Annotated, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..errors import display_path
from .identitymemo import IdentityMemo
from .model import Content, Narrative, UnitPeriod, UnitYear
from .values import Text


@dataclass(frozen=True)
class Missing:
    """One text without English."""

    path: str
    """File, as shown to editors."""
    field: str
    """Where in the file, e.g. ``events[3].title``, or ``(text)`` for a Markdown body."""
    zh: str


@dataclass(frozen=True)
class Coverage:
    total: int
    missing: tuple[Missing, ...]

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def summary(self) -> str:
        return (
            f"英文翻译覆盖率 {self.percent:.0f}%（{self.translated}/{self.total}），缺 {len(self.missing)} 处 / "
            f"English translation coverage {self.percent:.0f}% ({self.translated}/{self.total}), "
            f"{len(self.missing)} missing"
        )


def _texts(value: object, where: str) -> Iterator[tuple[str, Text]]:
    if isinstance(value, Text):
        yield where, value
    elif isinstance(value, BaseModel):
        fields = value.__dict__  # getattr with a default asks pydantic's __getattr__ first: half of the count
        derived = fields.get("derived_texts", ())  # e.g. an observance's newest name, filled in from names
        for name in _text_fields(type(value)):
            if name not in derived:
                yield from _texts(fields[name], f"{where}.{name}" if where else name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose type may hold a :class:`Text` (the others are not walked: a figure's nine
    fields, a date, a number), in their order."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold_text(info.annotation, {model}))


def _may_hold_text(annotation: object, within: set[type]) -> bool:
    """Whether a value of this type may be or hold a :class:`Text` where :func:`_texts` looks (models, lists and
    tuples); True for a type it cannot tell."""
    if isinstance(annotation, type) and get_origin(annotation) is None:
        if issubclass(annotation, Text):
            return True
        if issubclass(annotation, BaseModel):
            if annotation in within:
                return True  # a model inside itself: as walked
            return any(_may_hold_text(i.annotation, within | {annotation}) for i in annotation.model_fields.values())
        return annotation in (object, list, tuple)  # str, int, date, dict …: never walked into
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold_text(get_args(annotation)[0], within)
    if origin is Literal:
        return False
    if origin in (Union, UnionType) or (isinstance(origin, type) and issubclass(origin, Sequence)):
        return any(_may_hold_text(a, within) for a in get_args(annotation) if a is not ...)
    return origin not in (dict, frozenset, set)  # an alias, a forward reference, Any: walked


def _entries(model: BaseModel, shown: str) -> tuple[tuple[str, str, str, bool], ...]:
    """The texts of ``model`` (from the file shown as ``shown``) as coverage entries (kept for the same,
    frozen, model: ``serve``'s rebuilds count every unchanged file again)."""

    def walk() -> tuple[tuple[str, str, str, bool], ...]:
        return tuple((shown, where, text.zh, text.en is not None) for where, text in _texts(model, ""))

    return _ENTRIES.get(model, shown, walk)


_ENTRIES: IdentityMemo[tuple[tuple[str, str, str, bool], ...]] = IdentityMemo()


def _narrative(narrative: Narrative, path: Path) -> Iterator[tuple[str, str, bool]]:
    if narrative.zh is not None:
        en_path = path.with_name(path.name.replace(".zh.md", ".en.md"))
        yield (
            display_path(en_path),
            narrative.zh.text.strip().split("\n", 1)[0][:60],
            narrative.en is not None,
        )


def _year_entries(unit_year: UnitYear) -> tuple[tuple[str, str, str, bool], ...]:
    entries = list(_entries(unit_year.record, display_path(unit_year.path)))
    for path, zh, done in _narrative(unit_year.narrative, unit_year.path.with_suffix(".zh.md")):
        entries.append((path, "(text)", zh, done))
    return tuple(entries)


def _period_entries(unit_period: UnitPeriod) -> tuple[tuple[str, str, str, bool], ...]:
    entries = list(_entries(unit_period.record, display_path(unit_period.path)))
    folder = unit_period.path.with_suffix("")
    for key, narrative in unit_period.sections.items():
        for path, zh, done in _narrative(narrative, folder / f"{key}.zh.md"):
            entries.append((path, "(text)", zh, done))
    return tuple(entries)


_UNIT_FILES: IdentityMemo[tuple[tuple[str, str, str, bool], ...]] = IdentityMemo(65536)
"""A unit's year or period entries by its record: ``serve`` hands the same one while its files are unchanged."""


def coverage(content: Content) -> Coverage:
    """Count every bilingual text of the content and list those without English."""
    entries: list[tuple[str, str, str, bool]] = []  # path, field, zh, translated

    def add_model(model: BaseModel, path: Path) -> None:
        entries.extend(_entries(model, display_path(path)))

    root = content.root
    add_model(content.site, root / "site.yaml")
    for period in content.periods:
        add_model(period, root / "periods.yaml")
    for item in (*content.observances, *content.campaigns, *content.kinds):
        add_model(item, root / "observances.yaml")
    for unit in content.units:
        add_model(unit.info, root / "units" / unit.id / "unit.yaml")
        for unit_year in unit.years.values():
            inputs = (unit_year.narrative, unit_year.path)  # the UnitYear is made anew, its parts are kept
            entries.extend(_UNIT_FILES.get(unit_year.record, None, partial(_year_entries, unit_year), inputs))
        for unit_period in unit.periods.values():
            inputs = (unit_period.sections, unit_period.path)
            entries.extend(_UNIT_FILES.get(unit_period.record, None, partial(_period_entries, unit_period), inputs))
    for item in content.news:
        en_path = item.path.with_name(f"{item.id}.en.md")
        entries.append((display_path(en_path), "(text)", item.meta.title, item.translation is not None))
    missing = tuple(Missing(p, f, zh) for p, f, zh, done in entries if not done)
    return Coverage(len(entries), missing)
