"""What a change does to the site: content files, figures, events, trainings, news,
translation coverage and the pages of the built site.

:func:`compare` takes two :class:`Side` objects (a revision's content files, loaded content and
built files) and returns a :class:`SiteDiff`; :mod:`sitegen.review.diffreport` writes it as Markdown for
the pull request. Items are matched across the two sides by id, else by date and title, else by
title or date alone, so an edited title, a moved event or a renamed news file shows as one change
instead of a removal and an addition; content files renamed with few edits show as renamed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..content.model import Content
from ..content.translations import Coverage, Missing, coverage
from ..content.values import Quantity
from ..errors import ContentError
from ..site.figures import compute
from ..site.i18n import FIGURE_LABELS

INDICATORS: tuple[str, ...] = tuple(FIGURE_LABELS)
"""The figures compared, in the order pages show them."""

ChangeKind = Literal["added", "removed", "changed", "moved"]
Failure = Literal["", "content", "site"]


@dataclass(frozen=True)
class Side:
    """One revision of the site: its content and built files, or why they could not be had."""

    label: str
    """How the report names it: ``origin/main (1a2b3c4)`` or ``working tree``."""
    content: Content | None = None
    files: dict[str, bytes] | None = None
    """The built site: path → bytes."""
    sources: dict[str, bytes] = field(default_factory=dict)
    """The content files, by path relative to the content folder."""
    problem: str = ""
    """Why the content could not be loaded or the site built (empty when it could)."""
    note: str = ""
    """Something the reader should know about how it was built."""
    failed: Failure = ""
    """``content``: its content has errors, so nothing of it but its files is compared;
    ``site``: its content loaded but the site could not be built, so its pages are not compared."""
    errors: tuple[ContentError, ...] = ()
    """The problems that stopped it, located as ``check`` prints them."""

    @property
    def content_known(self) -> bool:
        """Its content was loaded, or the revision has none: its figures and items can be compared."""
        return self.failed != "content"


@dataclass(frozen=True)
class FigureChange:
    """One indicator of one unit in one year (or a period's reported total) that changed."""

    unit: str
    when: str
    """``2023``, or a period id for a five-year summary's reported totals."""
    indicator: str
    old: Quantity | None
    new: Quantity | None


@dataclass(frozen=True)
class ItemChange:
    """An event, training or news item added, removed, changed or moved."""

    kind: ChangeKind
    date: str
    title: str
    where: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileChanges:
    """Files added, removed, changed or renamed between two revisions."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    """(old path, new path): the same file, maybe edited a little."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.renamed)


@dataclass(frozen=True)
class SiteDiff:
    """Everything a reviewer should see about a change."""

    base: Side
    head: Side
    figures: tuple[FigureChange, ...] = ()
    events: tuple[ItemChange, ...] = ()
    trainings: tuple[ItemChange, ...] = ()
    news: tuple[ItemChange, ...] = ()
    coverage: tuple[Coverage | None, Coverage | None] = (None, None)
    newly_untranslated: tuple[Missing, ...] = ()
    sources: FileChanges = field(default_factory=FileChanges)
    """The content files."""
    pages: FileChanges = field(default_factory=FileChanges)
    other_files: FileChanges = field(default_factory=FileChanges)

    @property
    def content_compared(self) -> bool:
        """Both sides' content is known, so figures, items and translations were compared."""
        return self.base.content_known and self.head.content_known

    @property
    def content_changed(self) -> bool:
        """True when any content file differs (and so, possibly, what is computed from it)."""
        return bool(self.sources or self.figures or self.events or self.trainings or self.news)


def compare(base: Side, head: Side) -> SiteDiff:
    """Compare two revisions of the site.

    A side that could not be loaded is compared with nothing: no figure or item of the other
    side is reported as added or removed because of it, and no page because a build failed.
    """
    cov = (coverage(base.content) if base.content else None, coverage(head.content) if head.content else None)
    pages, others = compare_builds(base.files, head.files)
    sources = compare_sources(base.sources, head.sources)
    if not (base.content_known and head.content_known):
        return SiteDiff(base=base, head=head, coverage=cov, sources=sources, pages=pages, other_files=others)
    old, new = base.content, head.content
    return SiteDiff(
        base=base,
        head=head,
        figures=tuple(figure_changes(old, new)),
        events=tuple(match_items(_events(old), _events(new))),
        trainings=tuple(match_items(_trainings(old), _trainings(new))),
        news=tuple(match_items(_news(old), _news(new))),
        coverage=cov,
        newly_untranslated=_newly_untranslated(old, new, *cov),
        sources=sources,
        pages=pages,
        other_files=others,
    )


# --------------------------------------------------------------------------- figures


def _key(q: Quantity | None) -> tuple[Any, ...] | None:
    """What a figure says, whatever the spelling (``1,200`` and ``1200`` are the same)."""
    return None if q is None else (q.value, q.qualifier if q.value is not None else None, q.redacted, q.unreadable)


def figure_changes(old: Content | None, new: Content | None) -> Iterator[FigureChange]:
    """Indicators whose value differs, per unit and year, then per unit and period total."""
    before = compute(old).years if old else {}
    after = compute(new).years if new else {}
    for unit, year in sorted(set(before) | set(after)):
        a, b = before.get((unit, year)), after.get((unit, year))
        for name in INDICATORS:
            va, vb = a.figure(name) if a else None, b.figure(name) if b else None
            if _key(va) != _key(vb):
                yield FigureChange(unit, str(year), name, va, vb)
    totals_before, totals_after = _period_totals(old), _period_totals(new)
    for unit, period in sorted(set(totals_before) | set(totals_after)):
        a, b = totals_before.get((unit, period)), totals_after.get((unit, period))
        for name in INDICATORS:
            va, vb = getattr(a, name, None), getattr(b, name, None)
            if _key(va) != _key(vb):
                yield FigureChange(unit, period, name, va, vb)


def _period_totals(content: Content | None) -> dict[tuple[str, str], Any]:
    if content is None:
        return {}
    return {(u.id, p.period): p.record.totals for u in content.units for p in u.periods.values()}


def percent_change(old: Quantity | None, new: Quantity | None) -> str:
    """``+8.3%``, ``-50%``; ``new``/``removed`` when a side has no figure; ``""`` when not computable."""
    if old is None or old.value is None:
        return "新增 new" if new is not None else ""
    if new is None or new.value is None:
        return "删除 removed" if new is None else ""
    if old.value == 0:
        return ""
    change = (new.value - old.value) / old.value * 100
    text = f"{change:+.1f}".rstrip("0").rstrip(".") + "%"
    return text if old.exact and new.exact else "≈" + text


# --------------------------------------------------------------------------- events, trainings, news


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


# --------------------------------------------------------------------------- translations and pages


def _relative(content: Content, shown: str) -> str:
    try:
        return Path(shown).resolve().relative_to(content.root.resolve()).as_posix()
    except ValueError:
        return shown


def _newly_untranslated(
    old: Content | None, new: Content | None, before: Coverage | None, after: Coverage | None
) -> tuple[Missing, ...]:
    if new is None or after is None:
        return ()
    known = {(_relative(old, m.path), m.field, m.zh) for m in before.missing} if old and before else set()
    found = (Missing(_relative(new, m.path), m.field, m.zh) for m in after.missing)
    return tuple(m for m in found if (m.path, m.field, m.zh) not in known)


def _changes(old: dict[str, bytes], new: dict[str, bytes]) -> FileChanges:
    return FileChanges(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
        changed=tuple(sorted(k for k in old.keys() & new.keys() if old[k] != new[k])),
    )


def compare_builds(old: dict[str, bytes] | None, new: dict[str, bytes] | None) -> tuple[FileChanges, FileChanges]:
    """HTML pages, then all other files, added, removed and changed between two builds."""
    if old is None or new is None:
        return FileChanges(), FileChanges()
    pages = _changes(
        {k: v for k, v in old.items() if k.endswith(".html")}, {k: v for k, v in new.items() if k.endswith(".html")}
    )
    others = _changes(
        {k: v for k, v in old.items() if not k.endswith(".html")},
        {k: v for k, v in new.items() if not k.endswith(".html")},
    )
    return pages, others


RENAME_SIMILARITY = 0.5
"""How alike a removed and an added file must be to count as one file renamed (as ``git diff -M``)."""


MAX_RENAME_PAIRS = 2_500
"""Beyond this many (removed × added) pairs only identical files are detected as renamed."""


def compare_sources(old: dict[str, bytes], new: dict[str, bytes]) -> FileChanges:
    """Content files added, removed, changed and renamed (the same or similar text under a new name)."""
    plain = _changes(old, new)
    added, removed = list(plain.added), list(plain.removed)
    renamed = []
    by_bytes = {new[path]: path for path in reversed(added)}
    for gone in list(removed):  # identical files first: cheap, and right however many
        came = by_bytes.pop(old[gone], None)
        if came is not None and came in added:
            renamed.append((gone, came))
            removed.remove(gone)
            added.remove(came)
    if len(removed) * len(added) <= MAX_RENAME_PAIRS:
        scored = sorted(
            (-_similarity(old[gone], new[came]), gone, came)
            for gone in removed
            for came in added
            if Path(gone).suffixes == Path(came).suffixes
        )
        for score, gone, came in scored:  # the most alike pairs first
            if -score >= RENAME_SIMILARITY and gone in removed and came in added:
                renamed.append((gone, came))
                removed.remove(gone)
                added.remove(came)
    return FileChanges(tuple(added), tuple(removed), plain.changed, tuple(sorted(renamed)))


def _similarity(a: bytes, b: bytes) -> float:
    if max(len(a), len(b)) > 200_000:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a.decode("utf-8", "replace"), b.decode("utf-8", "replace"))
    return matcher.ratio() if matcher.quick_ratio() >= RENAME_SIMILARITY else 0.0
