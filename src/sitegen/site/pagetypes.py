"""What every page is made of: its address, language, template, breadcrumb and data (:class:`Page`).

Shared by the page planners (:mod:`sitegen.site.pages` for the site, :mod:`sitegen.site.unitpages`
for each unit's pages) and offered by :mod:`sitegen.site.pages` too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..content.model import Lang, Markdown, Narrative, Unit, UnitInfo
from ..errors import ContentError
from .charts import RenderedChart
from .i18n import Locale
from .markup import render_text


@dataclass(frozen=True)
class Crumb:
    label: str
    route: str | None = None


@dataclass(frozen=True)
class Listed:
    """A page as the sitemaps list it (its address, language, title and date): the same while those are, so
    ``serve`` renders the sitemaps again only when a page came, went or was renamed."""

    route: str
    lang: str
    title: str
    published: str | None = None


@dataclass(frozen=True)
class Page:
    """One HTML page to render."""

    route: str
    """Address below the site root, ending in ``/`` (``zh/units/x/2021/``)."""
    lang: Lang
    template: str
    title: str
    crumbs: tuple[Crumb, ...]
    data: dict[str, Any] = field(default_factory=dict)
    charts: tuple[RenderedChart, ...] = ()
    translated: bool = True
    """False when an English page shows Chinese text that is not translated yet."""
    column: str | None = None
    """The id of the column (栏目) the page sits in (its breadcrumb and ColumnName follow it), if any."""
    subcolumn: str | None = None
    """The sub-column the page sits in, in a column with sub-columns: ``units/<unit>`` or ``groups/<group>``."""
    published: str | None = None
    source: str | None = None
    sample: bool = False
    downloads: tuple[Any, ...] = ()
    """Office files written beside the page (:class:`sitegen.office.downloads.Download`)."""

    def chart(self, role: str) -> RenderedChart | None:
        """The page's chart whose name ends in ``/role`` (``events``, ``kind``, ``trainings``, ``funding``)."""
        return next((c for c in self.charts if c.name.rsplit("/", 1)[-1] == role), None)

    @functools.cached_property
    def output(self) -> str:
        """The file the page is written to (its route, ``index.html`` for a folder)."""
        return self.route + "index.html" if self.route.endswith("/") else self.route

    @functools.cached_property
    def listed(self) -> Listed:
        """The page as the sitemaps list it (kept with the page: ``serve`` hands the same pages to its rebuilds)."""
        return Listed(self.route, self.lang, self.title, self.published)

    @property
    def alternate(self) -> str:
        """The same page in the other language."""
        other = "en" if self.lang == "zh" else "zh"
        return other + self.route[2:]


@dataclass(frozen=True)
class RenderedPage(Page):
    """A page taken rendered from the build cache (:mod:`sitegen.site.pagecache`): its HTML and the files it
    brings, without the data they were made from (``data``, ``charts`` and ``downloads`` are empty)."""

    html: bytes = b""
    files: dict[str, bytes] = field(default_factory=dict)
    """Its chart CSVs, open-data and office files, by path (:class:`sitegen.site.assemble.PageFiles`)."""


@dataclass(frozen=True)
class UnitRef:
    """A unit as a page shows it: its id, its ``unit.yaml`` and the years it reported.

    Pages carry this, not the :class:`~sitegen.content.model.Unit` with every record and narrative: ``serve``
    renders a page again only when its data changed, and a whole unit changes with any of its files (a
    narrative edit re-rendered the unit's 36 pages and the lists of all units, a third of a rebuild on 300 units)."""

    id: str
    info: UnitInfo
    years: tuple[int, ...]


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(unit.id, unit.info, tuple(unit.years))


def unit_refs(units: Iterable[Unit]) -> tuple[UnitRef, ...]:
    return tuple(unit_ref(u) for u in units)


@dataclass(frozen=True)
class RenderedText:
    """A narrative block ready for a template."""

    html: str
    translated: bool


def route(lang: Lang, *parts: str | int) -> str:
    """``route("zh", "units", "x")`` → ``zh/units/x/``."""
    return "/".join([lang, *map(str, parts)]) + "/"


Plan = Callable[[list[ContentError]], Iterable[Page]]
"""Plans some pages, reporting placeholder errors to the list it is given."""


class PlanMemo(Protocol):
    """Reuses pages planned before when their inputs are equal (``serve``'s rebuilds).

    ``slot`` names a group of pages (``("unit", "x", "zh")``), ``inputs`` is everything they are
    computed from. :class:`sitegen.preview.incremental.PlanMemo` is the implementation.
    """

    def __call__(self, slot: Hashable, inputs: object, plan: Plan, errors: list[ContentError]) -> list[Page]: ...


def plan_now(slot: Hashable, inputs: object, plan: Plan, errors: list[ContentError]) -> list[Page]:
    """No memo: plan every time (a normal build)."""
    return list(plan(errors))


def home_crumb(loc: Locale) -> Crumb:
    return Crumb(loc.t("home"), route(loc.lang))


def narrative(
    text: Markdown | None, fallback: Markdown | None, resolve, errors: list[ContentError]
) -> RenderedText | None:
    """Render a narrative in the page's language, falling back to Chinese."""
    chosen = text or fallback
    if chosen is None:
        return None
    return RenderedText(render_text(chosen, resolve, errors), text is not None)


def pick(narr: Narrative, loc: Locale, resolve, errors: list[ContentError]) -> RenderedText | None:
    if loc.lang == "zh":
        return narrative(narr.zh, None, resolve, errors)
    return narrative(narr.en, narr.zh, resolve, errors)


# --------------------------------------------------------------------------- home and news
