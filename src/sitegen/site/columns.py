"""Columns (栏目) as data: each column's paged list and feed, sub-columns per unit, and the column path of pages.

``site.yaml`` lists the columns (普法动态, 通知公告, 以案释法 …); a news item names its column (by default the
first). A column with ``by_unit: true`` has a sub-column per unit, as in 主页 > 普法动态 > 新洲区: its list
holds the unit's news items and links to the unit's five-year summaries and year pages, which belong to it.
Every page in a column carries the column (and sub-column) it sits in, so its breadcrumb and its inspection
meta tags (ColumnName, ColumnDescription, ColumnKeywords, ColumnType) say the same. An article keeps its
address (``news/<id>/``) whatever its column, so moving an item between columns breaks no link.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from ..content.drafts import Badge
from ..content.model import Column, Content, NewsItem, Unit
from ..content.sitefiles import Group
from ..errors import ContentError
from .i18n import Locale
from .pagetypes import Crumb, Page, PlanMemo, home_crumb, plan_now, route

PER_PAGE = 10


def items_of(content: Content, column: Column) -> list[NewsItem]:
    """The news items of ``column``, newest first (an item without a column is in the first)."""
    first = content.site.columns[0].id
    return [item for item in content.news if (item.meta.column or first) == column.id]


def unit_name(unit: Unit, loc: Locale) -> str:
    return loc.text(unit.info.short_name or unit.info.name)


def column_crumbs(loc: Locale, column: Column, unit: Unit | None, here: bool) -> tuple[Crumb, ...]:
    """首页 > column [> unit]; the last one without a link when the page is that list itself (``here``)."""
    crumbs = [home_crumb(loc), Crumb(loc.text(column.name), route(loc.lang, column.id))]
    if unit is not None and column.by_unit:
        crumbs.append(Crumb(unit_name(unit, loc), route(loc.lang, column.id, "units", unit.id)))  # its sub-column
    if here:
        crumbs[-1] = Crumb(crumbs[-1].label)
    return tuple(crumbs)


def article_crumbs(
    content: Content, item: NewsItem, loc: Locale, title: str
) -> tuple[tuple[Crumb, ...], str, str | None]:
    """An article's breadcrumb, column id and sub-column (its unit, in a column with sub-columns)."""
    column = content.site.column_of(item.meta.column)
    unit = _unit(content, item.meta.unit) if column.by_unit else None
    crumbs = (*column_crumbs(loc, column, unit, here=False), Crumb(title))
    return crumbs, column.id, f"units/{unit.id}" if unit else None


def unit_crumbs(content: Content, unit: Unit, loc: Locale, title: str) -> tuple[tuple[Crumb, ...], str | None]:
    """A report or year page's breadcrumb (首页 > 普法动态 > 新洲区委办公室 > 2023年) and its column id."""
    column = content.site.unit_column
    if column is None:
        units = Crumb(loc.t("units"), route(loc.lang, "units"))
        return (
            home_crumb(loc),
            units,
            Crumb(unit_name(unit, loc), route(loc.lang, "units", unit.id)),
            Crumb(title),
        ), None
    return (*column_crumbs(loc, column, unit, here=False), Crumb(title)), column.id


def neighbours(content: Content) -> dict[str, tuple[NewsItem | None, NewsItem | None]]:
    """For each news item, 上一篇 / 下一篇 within its column: the one listed before it (newer) and after it (older)."""
    found: dict[str, tuple[NewsItem | None, NewsItem | None]] = {}
    for column in content.site.columns:
        items = items_of(content, column)
        for index, item in enumerate(items):
            found[item.id] = (items[index - 1] if index else None, items[index + 1] if index + 1 < len(items) else None)
    return found


@dataclass(frozen=True)
class Publication:
    """A unit's report or year page, listed in its sub-column."""

    route: str
    title: str
    published: str | None


def list_pages(
    content: Content,
    loc: Locale,
    badges: Mapping[str, Badge],
    publications: Mapping[str, Sequence[Publication]],
    memo: PlanMemo = plan_now,
) -> Iterator[Page]:
    """Every column's paged list, and each unit's sub-column in a column that has them (planned through
    ``memo``: a unit's list depends on the unit, its news items and publications, and the filter links)."""
    for column in content.site.columns:
        items = items_of(content, column)
        links = filters(content, loc)
        yield from _paged(loc, column, None, items, badges, (), links)
        if column.by_unit:
            for unit in content.units:
                mine = [item for item in items if item.meta.unit == unit.id]
                theirs = publications.get(unit.id, ())
                plan = partial(_unit_list, loc, column, unit, mine, badges, theirs, links)
                shown = {i.id: badges[i.id] for i in mine if i.id in badges}
                inputs = (column, unit, mine, shown, tuple(theirs), links)
                yield from memo(("list", column.id, unit.id, loc.lang), inputs, plan, [])  # (lists find no errors)
            for group in content.site.groups:
                members = {u.id for u in content.units if u.info.group == group.id}
                if members:
                    theirs = [item for item in items if item.meta.unit in members]
                    yield from _paged(loc, column, group, theirs, badges, (), links)


def _unit_list(
    loc: Locale,
    column: Column,
    unit: Unit,
    items: list[NewsItem],
    badges: Mapping[str, Badge],
    publications: Sequence[Publication],
    filter_links: list,
    errors: list[ContentError],
) -> Iterator[Page]:
    return _paged(loc, column, unit, items, badges, publications, filter_links)


def _paged(
    loc: Locale,
    column: Column,
    unit: Unit | Group | None,
    items: list[NewsItem],
    badges: Mapping[str, Badge],
    publications: Sequence[Publication],
    filter_links: list,
) -> Iterator[Page]:
    """The paged list of ``column``, or of its sub-column of a unit or a group of units."""
    parts = _parts(column, unit)
    filters_for = filter_links if column.by_unit else []
    count = max(1, -(-len(items) // PER_PAGE))
    name = _name(unit, loc) if unit else loc.text(column.name)
    for number in range(1, count + 1):
        path = route(loc.lang, *parts) if number == 1 else route(loc.lang, *parts, "page", number)
        shown = items[(number - 1) * PER_PAGE : number * PER_PAGE]
        base = _crumbs(loc, column, unit)
        crumbs = base if number == 1 else (*base[:-1], Crumb(base[-1].label, route(loc.lang, *parts)))
        yield Page(
            route=path,
            lang=loc.lang,
            template="news_list.html",
            title=name + ("" if number == 1 else " · " + loc.t("page", n=number)),
            crumbs=crumbs,
            data={
                "items": shown,
                "badges": {i.id: badges[i.id] for i in shown if i.id in badges},
                "number": number,
                "count": count,
                "prev": _page_route(loc, parts, number - 1) if number > 1 else None,
                "next": _page_route(loc, parts, number + 1) if number < count else None,
                "publications": publications if number == 1 else (),
                "filters": filters_for,
                "feed": route(loc.lang, column.id) + "feed.xml" if unit is None else None,
            },
            column=column.id,
            subcolumn=None if unit is None else "/".join(parts[1:]),
        )


def _parts(column: Column, sub: Unit | Group | None) -> tuple[str, ...]:
    if sub is None:
        return (column.id,)
    return (column.id, "groups" if isinstance(sub, Group) else "units", sub.id)


def _name(sub: Unit | Group, loc: Locale) -> str:
    return loc.text(sub.name) if isinstance(sub, Group) else unit_name(sub, loc)


def _crumbs(loc: Locale, column: Column, sub: Unit | Group | None) -> tuple[Crumb, ...]:
    if not isinstance(sub, Group):
        return column_crumbs(loc, column, sub, here=True)
    return (home_crumb(loc), Crumb(loc.text(column.name), route(loc.lang, column.id)), Crumb(loc.text(sub.name)))


def filters(content: Content, loc: Locale) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The sub-columns to filter a column's list by: ``[(kind, label, [(name, route)])]`` for units and groups."""
    column = content.site.unit_column
    if column is None:
        return []
    out = [
        (
            "units",
            loc.t("by_unit"),
            [(unit_name(u, loc), route(loc.lang, column.id, "units", u.id)) for u in content.units],
        )
    ]
    groups = [g for g in content.site.groups if any(u.info.group == g.id for u in content.units)]
    if groups:
        out.append(
            (
                "groups",
                loc.t("by_group"),
                [(loc.text(g.name), route(loc.lang, column.id, "groups", g.id)) for g in groups],
            )
        )
    return out


def _page_route(loc: Locale, parts: tuple[str, ...], number: int) -> str:
    return route(loc.lang, *parts) if number == 1 else route(loc.lang, *parts, "page", number)


def _unit(content: Content, unit_id: str | None) -> Unit | None:
    return next((u for u in content.units if u.id == unit_id), None) if unit_id else None


def meta(content: Content, page: Page) -> dict[str, str] | None:
    """The page's column meta tags (Chinese, as the inspection reads them), or ``None`` outside every column."""
    if page.column is None:
        return None
    column = content.site.column_of(page.column)
    kind, _, sub = (page.subcolumn or "").partition("/")
    unit = _unit(content, sub) if kind == "units" else None
    group = next((g for g in content.site.groups if g.id == sub), None) if kind == "groups" else None
    name = group.name.zh if group else (unit.info.short_name or unit.info.name).zh if unit else column.name.zh
    found = {"ColumnName": name, "ColumnType": column.type}
    if column.description:
        found["ColumnDescription"] = column.description.zh
    if column.keywords:
        found["ColumnKeywords"] = column.keywords.zh
    return found
