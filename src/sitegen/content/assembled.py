"""The assembled content: every validated file of a site in one immutable :class:`Content`.

The classes of the content files themselves (``SiteConfig``, ``YearRecord`` …) are in
:mod:`sitegen.content.model`, which also offers these under their usual names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..errors import ContentError
    from .model import (
        Campaign,
        EventKind,
        NewsMeta,
        NewsTranslationMeta,
        Observance,
        Period,
        PeriodRecord,
        SiteConfig,
        UnitInfo,
        YearRecord,
    )
    from .yamlsource import YamlDocument


@dataclass(frozen=True)
class Markdown:
    """Markdown text and where it starts in its file (for placeholder errors)."""

    text: str
    path: Path
    line: int


@dataclass(frozen=True)
class Narrative:
    """A narrative in each language that has one."""

    zh: Markdown | None = None
    en: Markdown | None = None

    def get(self, lang: str) -> Markdown | None:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class UnitYear:
    year: int
    record: YearRecord
    narrative: Narrative
    path: Path


@dataclass(frozen=True)
class UnitPeriod:
    period: str
    record: PeriodRecord
    sections: dict[str, Narrative]
    path: Path


@dataclass(frozen=True)
class Unit:
    id: str
    info: UnitInfo
    years: dict[int, UnitYear] = field(default_factory=dict)
    periods: dict[str, UnitPeriod] = field(default_factory=dict)


@dataclass(frozen=True)
class NewsItem:
    id: str
    meta: NewsMeta
    body_zh: Markdown
    translation: NewsTranslationMeta | None
    body_en: Markdown | None
    path: Path


@dataclass(frozen=True)
class Content:
    """The whole validated site: what every later stage works from."""

    root: Path
    site: SiteConfig
    periods: tuple[Period, ...]
    observances: tuple[Observance, ...]
    campaigns: tuple[Campaign, ...]
    kinds: tuple[EventKind, ...]
    units: tuple[Unit, ...]
    news: tuple[NewsItem, ...]
    warnings: tuple[ContentError, ...] = ()
    """Problems that do not stop a build (a stale news column, a missing footer fact)."""
    documents: Mapping[Path, YamlDocument] = field(default_factory=dict, repr=False, compare=False)
    """The parsed YAML of every file (front matter too), with the line of every value: later
    checks use it to point at the exact line a problem comes from."""

    def period(self, period_id: str) -> Period | None:
        return next((p for p in self.periods if p.id == period_id), None)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def for_pages(self) -> Content:
        """This content with only the positions its pages report problems at: the news items' front matter (an
        article's files and pictures are checked when it is planned). The others' were for the checks made while
        loading; on a 300-unit site they were a third of a build's memory."""
        news = {item.path for item in self.news}
        return replace(self, documents={path: doc for path, doc in self.documents.items() if path in news})

    @property
    def current_period(self) -> Period | None:
        """The active period, else the latest closed one."""
        active = [p for p in self.periods if p.status == "active"]
        closed = [p for p in self.periods if p.status == "closed"]
        return (active or closed or [None])[-1]  # type: ignore[list-item]
