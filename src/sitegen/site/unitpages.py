"""A unit's pages: its page, one page per year, and one five-year summary report per period.

Their figures come from :mod:`sitegen.site.figures` by the registry's rules; a report section renders its
facts (leading group, systems, laws, media, charts, the group's indicators) with or without a narrative.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ..content.identitymemo import IdentityMemo
from ..content.indicators import BY_ID, GROUPS, HEADLINE, by_group
from ..content.model import REPORT_SECTIONS, Content, Period, Unit
from ..content.observances import event_rows
from ..errors import ContentError
from ..office import downloads
from . import columns
from . import figures as fig
from .charts import RenderedChart
from .grouppages import grouped_units
from .i18n import Locale
from .pagetypes import Crumb, Page, RenderedText, home_crumb, pick, route, unit_ref, unit_refs
from .plots import period_charts, year_charts


def _unit_crumbs(loc: Locale, unit: Unit) -> tuple[Crumb, ...]:
    return (
        home_crumb(loc),
        Crumb(loc.t("units"), route(loc.lang, "units")),
        Crumb(loc.text(unit.info.name), route(loc.lang, "units", unit.id)),
    )


def unit_index(content: Content, loc: Locale) -> Page:
    return Page(
        route=route(loc.lang, "units"),
        lang=loc.lang,
        template="units.html",
        title=loc.t("units"),
        crumbs=(home_crumb(loc), Crumb(loc.t("units"))),
        data={
            "units": unit_refs(content.units),
            "grouped": grouped_units(content),
            "periods": {u.id: fig.periods_with_data(content, u) for u in content.units},
        },
    )


def unit_pages(
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
        data={
            "unit": unit_ref(unit),
            "periods": periods,
            "summaries": summaries,
            "period_figures": {p.id: by_group(summaries[p.id].totals()) for p in periods},
        },
        sample=unit.info.sample,
    )
    for unit_year in unit.years.values():
        yield _year_page(content, figures, unit, unit_year.year, loc, errors)
    for period in periods:
        yield _report_page(content, figures, unit, period, loc, errors)


def resolver(figures: fig.PeriodFigures | None, year: fig.YearFigures | None, loc: Locale):
    """Placeholder lookup: ``{{ name }}`` (an indicator id) on this page, ``{{ 2023.name }}`` for a year."""

    def resolve(name: str) -> str | None:
        if "." in name:
            year_text, _, key = name.partition(".")
            if figures is None or not year_text.isdigit() or key not in BY_ID:
                return None
            years = {y.year: y for y in figures.years if y}
            target = years.get(int(year_text))
            return loc.value(target.figure(key), key) if target else None
        if name not in BY_ID:
            return None
        if year is not None:
            return loc.value(year.figure(name), name)
        return loc.value(figures.total(name), name) if figures else None

    return resolve


def _year_page(
    content: Content, site_figures: fig.SiteFigures, unit: Unit, year: int, loc: Locale, errors: list[ContentError]
) -> Page:
    unit_year = unit.years[year]
    figures = site_figures.years[unit.id, year]
    period = next((p for p in content.periods if year in p.years), None)
    text = year_narrative(content, site_figures, unit, year, loc, errors)
    crumbs, column = columns.unit_crumbs(content, unit, loc, str(year) + ("年" if loc.lang == "zh" else ""))
    published = unit_year.record.published
    return Page(
        route=route(loc.lang, "units", unit.id, year),
        lang=loc.lang,
        template="year.html",
        title=_year_title(unit, year, loc),
        crumbs=crumbs,
        column=column,
        subcolumn=f"units/{unit.id}" if column else None,
        published=str(published) if published else None,
        source=loc.text(unit.info.name),
        data={
            "unit": unit_ref(unit),
            "year": year,
            "record": unit_year.record,
            "event_rows": event_rows(content.observances, unit_year.record.events, loc.lang),
            "kinds": {k.id: k for k in content.kinds},
            "figures": figures,
            "headline": [(i, figures.figure(i.id)) for i in HEADLINE if figures.figure(i.id) is not None],
            "more_figures": by_group({k: v for k, v in figures.values.items() if not BY_ID[k].headline}),
            "narrative": text,
            "period": period,
            "prev_year": max((y for y in unit.years if y < year), default=None),
            "next_year": min((y for y in unit.years if y > year), default=None),
        },
        charts=year_charts(content, unit, year, unit_year.record, loc),
        translated=text is None or text.translated,
        sample=unit_year.record.sample,
        downloads=downloads.year_downloads(content, unit, year, site_figures, loc.lang, text.html if text else None)
        if content.site.office_files == "all"
        else (),
    )


def _report_page(
    content: Content,
    site_figures: fig.SiteFigures,
    unit: Unit,
    period: Period,
    loc: Locale,
    errors: list[ContentError],
) -> Page:
    figures = site_figures.unit(unit.id, period.id)
    record = unit.periods.get(period.id)
    sections = report_narratives(unit, period, figures, loc, errors)
    charts = period_charts(content, f"{unit.id}/{period.id}", figures, loc) if figures.has_years else ()
    facts = report_facts(record.record if record else None, figures, charts)
    crumbs, column = columns.unit_crumbs(content, unit, loc, loc.text(period.name))
    return Page(
        route=route(loc.lang, "units", unit.id, period.id),
        lang=loc.lang,
        template="report.html",
        title=_report_title(unit, period, loc),
        crumbs=crumbs,
        column=column,
        subcolumn=f"units/{unit.id}" if column else None,
        data={
            "unit": unit_ref(unit),
            "period": period,
            "figures": figures,
            "record": record.record if record else None,
            "sections": sections,
            "section_keys": [k for k in REPORT_SECTIONS if k in sections or k in facts],
            "section_figures": facts,
            "headline": [(i, figures.total(i.id)) for i in HEADLINE if figures.total(i.id) is not None],
            "observance_names": {o.id: o.name_in(period.end) for o in content.observances},
            "campaign_names": {c.id: c.name for c in content.campaigns},
            "based_on": record.record.source if record else None,
        },
        charts=charts,
        translated=all(s is None or s.translated for s in sections.values()),
        published=str(record.record.published) if record and record.record.published else None,
        source=loc.text(unit.info.name),
        sample=(record.record.sample if record else False) or figures.sample,
        downloads=downloads.report_downloads(content, unit, period, site_figures, loc.lang, html_of(sections))
        if content.site.office_files != "none"
        else (),
    )


def year_narrative(
    content: Content, site_figures: fig.SiteFigures, unit: Unit, year: int, loc: Locale, errors: list[ContentError]
) -> RenderedText | None:
    """The year's narrative in the page's language (Chinese where not translated), rendered."""
    period = next((p for p in content.periods if year in p.years), None)
    period_figures = site_figures.unit(unit.id, period.id) if period else None
    resolve = resolver(period_figures, site_figures.years[unit.id, year], loc)
    return pick(unit.years[year].narrative, loc, resolve, errors)


def report_narratives(
    unit: Unit, period: Period, figures: fig.PeriodFigures, loc: Locale, errors: list[ContentError]
) -> dict[str, RenderedText | None]:
    """The report's narrative sections in the page's language (Chinese where not translated), rendered."""
    unit_period = unit.periods.get(period.id)
    if unit_period is None:
        return {}
    resolve = resolver(figures, None, loc)
    return {
        key: pick(unit_period.sections[key], loc, resolve, errors)
        for key in REPORT_SECTIONS
        if key in unit_period.sections
    }


def html_of(sections: dict[str, RenderedText | None]) -> dict[str, str]:
    """Each rendered section's HTML (what the office documents are made from)."""
    return {key: text.html for key, text in sections.items() if text is not None}


def _year_title(unit: Unit, year: int, loc: Locale) -> str:
    return f"{loc.text(unit.info.name)} · {year}" + ("年" if loc.lang == "zh" else "")


def _report_title(unit: Unit, period: Period, loc: Locale) -> str:
    return f"{loc.text(unit.info.name)} · {loc.text(period.name)}" + (
        loc.t("period_report") if loc.lang == "zh" else ""
    )


def publications(content: Content, unit: Unit, loc: Locale) -> tuple[columns.Publication, ...]:
    """The unit's report and year pages, newest first, for its sub-column's list (kept by the unit: every unit's
    list is made at every rebuild of ``serve``)."""
    return _PUBLICATIONS.get(unit, loc.lang, partial(_publications, content, unit, loc), content.periods)


_PUBLICATIONS: IdentityMemo[tuple[columns.Publication, ...]] = IdentityMemo(4096)


def _publications(content: Content, unit: Unit, loc: Locale) -> tuple[columns.Publication, ...]:
    found = [
        columns.Publication(
            route(loc.lang, "units", unit.id, period.id),
            _report_title(unit, period, loc),
            str(unit.periods[period.id].record.published)
            if period.id in unit.periods and unit.periods[period.id].record.published
            else None,
        )
        for period in fig.periods_with_data(content, unit)
    ]
    found += [
        columns.Publication(
            route(loc.lang, "units", unit.id, year),
            _year_title(unit, year, loc),
            str(unit_year.record.published) if unit_year.record.published else None,
        )
        for year, unit_year in unit.years.items()
    ]
    return tuple(sorted(found, key=lambda p: (p.published or "", p.route), reverse=True))


def report_facts(record: Any, figures: fig.PeriodFigures, charts: tuple[RenderedChart, ...]) -> dict[str, list]:
    """Per report section, the indicator groups with values over the period (``[(group, [(indicator, value)])]``);
    a section with facts of its own (leading group, systems, laws, media, charts) gets an entry too, so it
    renders with or without a narrative file."""
    facts: dict[str, list] = {}
    for group, items in by_group(figures.totals()):
        facts.setdefault(GROUPS[group].section, []).append((group, items))
    own = {
        "leadership": bool(record and record.leading_group),
        "systems": bool(record and (record.systems or record.norms)),
        "study": bool(record and record.laws_studied),
        "publicity": bool(record and (record.media or record.observances or record.campaigns)),
    }
    roles = {c.name.rsplit("/", 1)[-1] for c in charts}
    own["publicity"] = own["publicity"] or bool(roles & {"events", "kind"})
    own["study"] = own["study"] or "trainings" in roles
    own["funding"] = "funding" in roles
    for section, present in own.items():
        if present:
            facts.setdefault(section, [])
    return facts
