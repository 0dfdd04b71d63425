"""The pages of the site: which exist, at which address, with which data, in each language.

:func:`plan_pages` turns the validated content into a list of :class:`Page` objects;
rendering them to HTML is :mod:`sitegen.site.render`'s job. Every page exists in Chinese and
English at the same path under ``zh/`` and ``en/``, so the language switch always lands
on the counterpart.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from ..content.model import LANGUAGES, REPORT_SECTIONS, Content, Lang, Markdown, Narrative, NewsItem, Period, Unit
from ..content.observances import event_rows
from ..errors import ContentError
from . import figures as fig
from .charts import RenderedChart
from .i18n import LOCALES, Locale
from .markup import render_text
from .plots import period_charts, site_charts, year_charts

NEWS_PER_PAGE = 10


@dataclass(frozen=True)
class Crumb:
    label: str
    route: str | None = None


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
    column: str = "news"
    published: str | None = None
    source: str | None = None
    sample: bool = False

    @property
    def output(self) -> str:
        return self.route + "index.html" if self.route.endswith("/") else self.route

    @property
    def alternate(self) -> str:
        """The same page in the other language."""
        other = "en" if self.lang == "zh" else "zh"
        return other + self.route[2:]


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


def plan_pages(
    content: Content, figures: fig.SiteFigures, errors: list[ContentError], memo: PlanMemo = plan_now
) -> list[Page]:
    """Every page of the site, in both languages. Placeholder errors go to ``errors``.

    A unit's pages depend on the unit, the periods and the names of observances, campaigns and
    kinds (its figures are computed from those); an article on its news item. ``memo`` may
    reuse them when those are unchanged. The other pages are cheap and always planned.
    """
    pages: list[Page] = []
    shared = (content.periods, content.observances, content.campaigns, content.kinds)
    for lang in LANGUAGES:
        loc = LOCALES[lang]
        pages.append(_home(content, figures, loc))
        pages.extend(_news_lists(content, loc))
        for item in content.news:
            pages += memo(("article", item.id, lang), item, partial(_article_pages, content, item, loc), errors)
        pages.append(_unit_index(content, loc))
        for unit in content.units:
            plan = partial(_unit_pages, content, figures, unit, loc)
            pages += memo(("unit", unit.id, lang), (unit, *shared), plan, errors)
        if len(content.units) > 1:
            pages.extend(
                _overview(content, figures, period, loc)
                for period in content.periods
                if figures.site[period.id].has_years
            )
        pages.append(_sitemap(content, loc, pages))
    return pages


def _home_crumb(loc: Locale) -> Crumb:
    return Crumb(loc.t("home"), route(loc.lang))


def narrative(
    text: Markdown | None, fallback: Markdown | None, resolve, errors: list[ContentError]
) -> RenderedText | None:
    """Render a narrative in the page's language, falling back to Chinese."""
    chosen = text or fallback
    if chosen is None:
        return None
    return RenderedText(render_text(chosen, resolve, errors), text is not None)


def _pick(narr: Narrative, loc: Locale, resolve, errors: list[ContentError]) -> RenderedText | None:
    if loc.lang == "zh":
        return narrative(narr.zh, None, resolve, errors)
    return narrative(narr.en, narr.zh, resolve, errors)


# --------------------------------------------------------------------------- home and news


def home_period(content: Content, site_figures: fig.SiteFigures) -> Period | None:
    """The period the home page shows: the active one, or, while it has no data yet, the latest before it that has."""
    period = content.current_period
    if period is None or site_figures.site[period.id].has_years:
        return period
    earlier = [p for p in content.periods if p.start < period.start and site_figures.site[p.id].has_years]
    return max(earlier, key=lambda p: p.start, default=period)


def _home(content: Content, site_figures: fig.SiteFigures, loc: Locale) -> Page:
    period = home_period(content, site_figures)
    figures = site_figures.site[period.id] if period else None
    charts = site_charts(content, figures, loc) if figures and figures.has_years else ()
    return Page(
        route=route(loc.lang),
        lang=loc.lang,
        template="home.html",
        title=loc.text(content.site.name),
        crumbs=(Crumb(loc.t("home")),),
        data={
            "period": period,
            "figures": figures,
            "latest": content.news[:6],
            "units": content.units,
            "overviews": [p for p in content.periods if site_figures.site[p.id].has_years]
            if len(content.units) > 1
            else [],
        },
        charts=charts,
    )


def _news_lists(content: Content, loc: Locale) -> Iterator[Page]:
    items = content.news
    count = max(1, -(-len(items) // NEWS_PER_PAGE))
    for number in range(1, count + 1):
        path = route(loc.lang, "news") if number == 1 else route(loc.lang, "news", "page", number)
        crumbs = (_home_crumb(loc), Crumb(loc.t("news"), None if number == 1 else route(loc.lang, "news")))
        yield Page(
            route=path,
            lang=loc.lang,
            template="news_list.html",
            title=loc.t("news") + ("" if number == 1 else " · " + loc.t("page", n=number)),
            crumbs=crumbs,
            data={
                "items": items[(number - 1) * NEWS_PER_PAGE : number * NEWS_PER_PAGE],
                "number": number,
                "count": count,
                "prev": None
                if number == 1
                else (route(loc.lang, "news") if number == 2 else route(loc.lang, "news", "page", number - 1)),
                "next": route(loc.lang, "news", "page", number + 1) if number < count else None,
            },
        )


def news_title(item: NewsItem, lang: Lang) -> str:
    return item.translation.title if lang == "en" and item.translation else item.meta.title


def _article_pages(content: Content, item: NewsItem, loc: Locale, errors: list[ContentError]) -> list[Page]:
    return [_article(content, item, loc, errors)]


def _article(content: Content, item: NewsItem, loc: Locale, errors: list[ContentError]) -> Page:
    translated = loc.lang == "zh" or item.body_en is not None
    body_source = item.body_en if loc.lang == "en" and item.body_en else item.body_zh
    body = RenderedText(render_text(body_source, lambda _: None, errors), translated)
    source = item.translation.source if loc.lang == "en" and item.translation and item.translation.source else None
    return Page(
        route=route(loc.lang, "news", item.id),
        lang=loc.lang,
        template="article.html",
        title=news_title(item, loc.lang),
        crumbs=(
            _home_crumb(loc),
            Crumb(loc.t("news"), route(loc.lang, "news")),
            Crumb(news_title(item, loc.lang)),
        ),
        data={"item": item, "body": body},
        translated=translated,
        published=str(item.meta.date),
        source=source or loc.text(item.meta.source),
        sample=item.meta.sample,
    )


# --------------------------------------------------------------------------- units


def _unit_crumbs(loc: Locale, unit: Unit) -> tuple[Crumb, ...]:
    return (
        _home_crumb(loc),
        Crumb(loc.t("units"), route(loc.lang, "units")),
        Crumb(loc.text(unit.info.name), route(loc.lang, "units", unit.id)),
    )


def _unit_index(content: Content, loc: Locale) -> Page:
    return Page(
        route=route(loc.lang, "units"),
        lang=loc.lang,
        template="units.html",
        title=loc.t("units"),
        crumbs=(_home_crumb(loc), Crumb(loc.t("units"))),
        data={
            "units": content.units,
            "periods": {u.id: fig.periods_with_data(content, u) for u in content.units},
        },
    )


def _unit_pages(
    content: Content, figures: fig.SiteFigures, unit: Unit, loc: Locale, errors: list[ContentError]
) -> Iterator[Page]:
    periods = fig.periods_with_data(content, unit)
    summaries = {p.id: figures.unit(unit.id, p.id) for p in periods}
    yield Page(
        route=route(loc.lang, "units", unit.id),
        lang=loc.lang,
        template="unit.html",
        title=loc.text(unit.info.name),
        crumbs=(*_unit_crumbs(loc, unit)[:-1], Crumb(loc.text(unit.info.name))),
        data={"unit": unit, "periods": periods, "summaries": summaries},
        sample=unit.info.sample,
    )
    for unit_year in unit.years.values():
        yield _year_page(content, figures, unit, unit_year.year, loc, errors)
    for period in periods:
        yield _report_page(content, unit, period, summaries[period.id], loc, errors)


def resolver(figures: fig.PeriodFigures | None, year: fig.YearFigures | None, loc: Locale):
    """Placeholder lookup: ``{{ name }}`` on this page, ``{{ 2023.name }}`` for a year."""
    from .plots import UNIT_OF

    def resolve(name: str) -> str | None:
        if "." in name:
            year_text, _, key = name.partition(".")
            if figures is None or not year_text.isdigit() or key not in UNIT_OF:
                return None
            years = {y.year: y for y in figures.years if y}
            target = years.get(int(year_text))
            return loc.quantity(target.figure(key), UNIT_OF[key]) if target else None
        if name not in UNIT_OF:
            return None
        if year is not None:
            return loc.quantity(year.figure(name), UNIT_OF[name])
        return loc.quantity(figures.total(name), UNIT_OF[name]) if figures else None

    return resolve


def _year_page(
    content: Content, site_figures: fig.SiteFigures, unit: Unit, year: int, loc: Locale, errors: list[ContentError]
) -> Page:
    unit_year = unit.years[year]
    figures = site_figures.years[unit.id, year]
    period = next((p for p in content.periods if year in p.years), None)
    period_figures = site_figures.unit(unit.id, period.id) if period else None
    text = _pick(unit_year.narrative, loc, resolver(period_figures, figures, loc), errors)
    return Page(
        route=route(loc.lang, "units", unit.id, year),
        lang=loc.lang,
        template="year.html",
        title=f"{loc.text(unit.info.name)} · {year}" + ("年" if loc.lang == "zh" else ""),
        crumbs=(*_unit_crumbs(loc, unit), Crumb(str(year) + ("年" if loc.lang == "zh" else ""))),
        data={
            "unit": unit,
            "year": year,
            "record": unit_year.record,
            "event_rows": event_rows(content.observances, unit_year.record.events, loc.lang),
            "figures": figures,
            "narrative": text,
            "period": period,
            "prev_year": max((y for y in unit.years if y < year), default=None),
            "next_year": min((y for y in unit.years if y > year), default=None),
        },
        charts=year_charts(content, unit, year, unit_year.record, loc),
        translated=text is None or text.translated,
        sample=unit_year.record.sample,
    )


def _report_page(
    content: Content,
    unit: Unit,
    period: Period,
    figures: fig.PeriodFigures,
    loc: Locale,
    errors: list[ContentError],
) -> Page:
    record = unit.periods.get(period.id)
    resolve = resolver(figures, None, loc)
    sections = {}
    if record:
        for key in REPORT_SECTIONS:
            if key in record.sections:
                sections[key] = _pick(record.sections[key], loc, resolve, errors)
    charts = period_charts(content, f"{unit.id}/{period.id}", figures, loc) if figures.has_years else ()
    return Page(
        route=route(loc.lang, "units", unit.id, period.id),
        lang=loc.lang,
        template="report.html",
        title=f"{loc.text(unit.info.name)} · {loc.text(period.name)}"
        + (loc.t("period_report") if loc.lang == "zh" else ""),
        crumbs=(*_unit_crumbs(loc, unit), Crumb(loc.text(period.name))),
        data={
            "unit": unit,
            "period": period,
            "figures": figures,
            "record": record.record if record else None,
            "sections": sections,
            "section_keys": [k for k in REPORT_SECTIONS if k in sections],
        },
        charts=charts,
        translated=all(s is None or s.translated for s in sections.values()),
        published=str(record.record.published) if record and record.record.published else None,
        source=loc.text(record.record.source) if record and record.record.source else None,
        sample=(record.record.sample if record else False) or figures.sample,
    )


def _overview(content: Content, site_figures: fig.SiteFigures, period: Period, loc: Locale) -> Page:
    figures = site_figures.site[period.id]
    per_unit = {u.id: site_figures.unit(u.id, period.id) for u in content.units}
    return Page(
        route=route(loc.lang, "overview", period.id),
        lang=loc.lang,
        template="overview.html",
        title=f"{loc.t('overview')} · {loc.text(period.name)}",
        crumbs=(_home_crumb(loc), Crumb(loc.t("overview")), Crumb(loc.text(period.name))),
        data={"period": period, "figures": figures, "per_unit": per_unit, "units": content.units},
        charts=site_charts(content, figures, loc, name=f"overview/{period.id}"),
        sample=figures.sample,
    )


def _sitemap(content: Content, loc: Locale, pages: list[Page]) -> Page:
    mine = [p for p in pages if p.lang == loc.lang]
    return Page(
        route=route(loc.lang, "sitemap"),
        lang=loc.lang,
        template="sitemap.html",
        title=loc.t("sitemap"),
        crumbs=(_home_crumb(loc), Crumb(loc.t("sitemap"))),
        data={"pages": mine},
    )
