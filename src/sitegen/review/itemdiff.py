"""Events, trainings and news items of two revisions, matched and compared.

Items are matched across the two sides by id, else by date and title, else by title or date
alone, so an edited title, a moved event or a renamed news file shows as one change instead of a
removal and an addition (:func:`match_items`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ..content.model import Content

ChangeKind = Literal["added", "removed", "changed", "moved"]


@dataclass(frozen=True)
class ItemChange:
    """An event, training or news item added, removed, changed or moved."""

    kind: ChangeKind
    date: str
    title: str
    where: str
    details: tuple[str, ...] = ()


ItemChanges = tuple[tuple[ItemChange, ...], tuple[ItemChange, ...], tuple[ItemChange, ...]]
"""Events, trainings and news items that changed."""


def compare_items(old: Content | None, new: Content | None) -> ItemChanges:
    """The events, trainings and news items added, removed, changed or moved from ``old`` to ``new``."""

    def changes(items: Callable[[Content | None], list[Item]]) -> tuple[ItemChange, ...]:
        return tuple(match_items(items(old), items(new)))

    return changes(_events), changes(_trainings), changes(_news)


@dataclass(frozen=True)
class Item:
    """An event, training or news item, as matched and compared across revisions."""

    where: str
    """The file it belongs to, as the report names it: ``xinzhou-office 2023``, ``news``."""
    ident: str | None
    date: str
    title: str
    fields: dict[str, Any]
    """What is compared: field name → a plain value (``model_dump``)."""


def _events(content: Content | None) -> list[Item]:
    if content is None:
        return []
    return [
        Item(f"{u.id} {y.year}", e.id, e.date.isoformat(), e.title.zh, e.model_dump(mode="json", exclude_none=True))
        for u in content.units
        for y in u.years.values()
        for e in y.record.events
    ]


def _trainings(content: Content | None) -> list[Item]:
    if content is None:
        return []
    return [
        Item(f"{u.id} {y.year}", None, t.date.isoformat(), t.title.zh, t.model_dump(mode="json", exclude_none=True))
        for u in content.units
        for y in u.years.values()
        for t in y.record.trainings
    ]


BODY_FIELDS = ("text_zh", "text_en")
"""News fields compared without showing their (long) values."""


def _news(content: Content | None) -> list[Item]:
    if content is None:
        return []
    items = []
    for n in content.news:
        fields = n.meta.model_dump(mode="json", exclude_none=True)
        fields["title_en"] = n.translation.title if n.translation else None
        fields["text_zh"] = n.body_zh.text.strip()
        fields["text_en"] = n.body_en.text.strip() if n.body_en else None
        items.append(Item("news", n.id, str(n.meta.date), n.meta.title, fields))
    return items


_PASSES: tuple[Callable[[Item], Hashable | None], ...] = (
    lambda i: (i.where, i.ident) if i.ident else None,  # the same id
    lambda i: (i.where, i.date, i.title),  # the same item, edited
    lambda i: (i.date, i.title),  # moved to another unit or year, or a renamed news file
    lambda i: (i.where, i.title),  # its date changed
    lambda i: (i.where, i.date),  # its title changed
)


def match_items(old: list[Item], new: list[Item]) -> Iterator[ItemChange]:
    """Pair items of two revisions and say what happened to each."""
    left, right = list(old), list(new)
    pairs: list[tuple[Item, Item]] = []
    for key in _PASSES:
        index: dict[Hashable, list[int]] = {}
        for position, item in enumerate(right):
            k = key(item)
            if k is not None:
                index.setdefault(k, []).append(position)
        taken: set[int] = set()
        unmatched = []
        for item in left:
            k = key(item)
            candidates = [p for p in index.get(k, ()) if p not in taken] if k is not None else []
            if candidates:
                taken.add(candidates[0])
                pairs.append((item, right[candidates[0]]))
            else:
                unmatched.append(item)
        left, right = unmatched, [item for p, item in enumerate(right) if p not in taken]
    changes = [_pair_change(a, b) for a, b in pairs]
    changes += [ItemChange("added", i.date, i.title, i.where) for i in right]
    changes += [ItemChange("removed", i.date, i.title, i.where) for i in left]
    order = {"added": 0, "removed": 1, "changed": 2, "moved": 3}
    yield from sorted((c for c in changes if c is not None), key=lambda c: (order[c.kind], c.where, c.date, c.title))


def _pair_change(a: Item, b: Item) -> ItemChange | None:
    details = []
    if a.where != b.where:
        details.append(f"{a.where} → {b.where}")
    if a.ident != b.ident and a.ident and b.ident:
        details.append(f"id: {a.ident} → {b.ident}")
    for name in sorted(set(a.fields) | set(b.fields)):
        va, vb = a.fields.get(name), b.fields.get(name)
        if va == vb or name == "id":
            continue
        if name in BODY_FIELDS:
            details.append(f"{name}: 已修改 edited" if va and vb else f"{name}: {_short(va)} → {_short(vb)}")
        else:
            details.append(f"{name}: {_short(va)} → {_short(vb)}")
    if not details:
        return None
    kind: ChangeKind = "moved" if a.where != b.where or (a.ident != b.ident and a.ident and b.ident) else "changed"
    return ItemChange(kind, b.date, b.title, b.where, tuple(details))


def _short(value: Any, limit: int = 60) -> str:
    """A field value in a few words: a bilingual text as its Chinese, a figure as its number."""
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, dict) and "zh" in value:
        text = str(value["zh"]) + (" / " + str(value["en"]) if value.get("en") else "")
    elif isinstance(value, dict) and ("value" in value or "redacted" in value or "unreadable" in value):
        text = str(value.get("text") or value.get("value") or value.get("redacted") or value.get("unreadable"))
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {_short(v, limit)}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(_short(v, limit) for v in value)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
