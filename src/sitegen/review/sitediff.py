"""What a change does to the site: content files, figures, events, trainings, news,
translation coverage and the pages of the built site.

:func:`compare` takes two :class:`Side` objects (a revision's content files, loaded content and
built files) and returns a :class:`SiteDiff`; :mod:`sitegen.review.diffreport` writes it as Markdown for
the pull request. Events, trainings and news items are matched across the two sides by
:mod:`sitegen.review.itemdiff`; content files renamed with few edits show as renamed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..content.indicators import INDICATORS as REGISTRY
from ..content.model import Content
from ..content.translations import Coverage, Missing, coverage
from ..content.values import Quantity
from ..errors import ContentError
from ..site.figures import SiteFigures, compute
from .itemdiff import ItemChange, compare_items

INDICATORS: tuple[str, ...] = tuple(i.id for i in REGISTRY)
"""The figures compared, in the order pages show them."""

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
    events, trainings, news = compare_items(old, new)
    return SiteDiff(
        base=base,
        head=head,
        figures=tuple(figure_changes(old, new)),
        events=events,
        trainings=trainings,
        news=news,
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
    """Indicators whose value differs, per unit and year, then per unit and period total (by the registry's rules)."""
    figures_before, figures_after = (compute(old) if old else None), (compute(new) if new else None)
    before = figures_before.years if figures_before else {}
    after = figures_after.years if figures_after else {}
    for unit, year in sorted(set(before) | set(after)):
        a, b = before.get((unit, year)), after.get((unit, year))
        for name in INDICATORS:
            va, vb = a.figure(name) if a else None, b.figure(name) if b else None
            if _key(va) != _key(vb):
                yield FigureChange(unit, str(year), name, va, vb)
    totals_before, totals_after = _period_totals(figures_before), _period_totals(figures_after)
    for unit, period in sorted(set(totals_before) | set(totals_after)):
        a, b = totals_before.get((unit, period), {}), totals_after.get((unit, period), {})
        for name in INDICATORS:
            va, vb = a.get(name), b.get(name)
            if _key(va) != _key(vb):
                yield FigureChange(unit, period, name, va, vb)


def _period_totals(figures: SiteFigures | None) -> dict[tuple[str, str], dict[str, Quantity]]:
    if figures is None:
        return {}
    found = {(u, p): f.totals() for u, periods in figures.units.items() for p, f in periods.items()}
    return {k: v for k, v in found.items() if v}


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
