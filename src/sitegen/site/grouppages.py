"""Groups of units (a district's 党委部门, 政府部门, 法院, 街道 …): a page per group with its units and charts.

Groups are data: ``site.yaml`` lists them (``groups: [{id, name}]``) and a unit names its own
(``group: party-organs`` in ``unit.yaml``). A group's figures combine its units' by the registry's
``over_units`` rules (:func:`sitegen.site.figures.compute` keeps them in ``SiteFigures.groups``); its page
shows, for every period with data, a table of its units and the group's total, and the period charts
across its units. The overview of a period lists the units group by group with each group's total.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..content.indicators import HEADLINE
from ..content.model import Content, Unit
from ..content.sitefiles import Group
from . import figures as fig
from .i18n import Locale
from .pagetypes import Crumb, Page, UnitRef, home_crumb, route, unit_refs
from .plots import site_charts


def units_of(content: Content, group: Group) -> list[Unit]:
    """The group's units, in the site's order."""
    return [u for u in content.units if u.info.group == group.id]


def grouped_units(content: Content) -> list[tuple[Group | None, tuple[UnitRef, ...]]]:
    """The units group by group, in the order of ``site.yaml``; units of no group last (group ``None``)."""
    out = [(g, unit_refs(units_of(content, g))) for g in content.site.groups]
    out = [(g, units) for g, units in out if units]
    rest = unit_refs(u for u in content.units if u.info.group is None)
    return out + ([(None, rest)] if rest else [])


def group_inputs(content: Content, figures: fig.SiteFigures, group: Group) -> tuple[object, ...]:
    """What :func:`group_page` reads besides the periods and categories (``serve`` plans the page again only
    when they changed: a group's figures objects are kept while its units' are)."""
    units = units_of(content, group)
    return (
        group,
        unit_refs(units),
        tuple(tuple(u.periods) for u in units),
        tuple(figures.groups.get(group.id, {}).values()),
        tuple(tuple(figures.units[u.id].values()) for u in units),
    )


def group_page(content: Content, figures: fig.SiteFigures, group: Group, loc: Locale) -> Iterator[Page]:
    """The group's page, if it has units."""
    units = units_of(content, group)
    if not units:
        return
    mine = figures.groups[group.id]
    periods = [p for p in content.periods if mine[p.id].has_years or _reported(units, p.id)]
    charts = tuple(
        chart
        for p in periods
        if figures.groups[group.id][p.id].has_years
        for chart in site_charts(content, figures.groups[group.id][p.id], loc, name=f"groups/{group.id}/{p.id}")
    )
    yield Page(
        route=route(loc.lang, "groups", group.id),
        lang=loc.lang,
        template="group.html",
        title=loc.text(group.name),
        crumbs=(home_crumb(loc), Crumb(loc.t("units"), route(loc.lang, "units")), Crumb(loc.text(group.name))),
        data={
            "group": group,
            "units": unit_refs(units),
            "periods": periods,
            "per_unit": {(u.id, p.id): figures.unit(u.id, p.id) for u in units for p in periods},
            "totals": {p.id: figures.groups[group.id][p.id] for p in periods},
            "columns": {p.id: [i for i in HEADLINE if mine[p.id].total(i.id) is not None] for p in periods},
        },
        charts=charts,
        sample=all(u.info.sample for u in units),
    )


def _reported(units: list[Unit], period_id: str) -> bool:
    return any(period_id in u.periods for u in units)
