"""The pages of the site: which exist, at which address, with which data, in each language.

:func:`plan_pages` turns the validated content into a list of :class:`Page` objects;
rendering them to HTML is :mod:`sitegen.site.render`'s job. Every page exists in Chinese and
English at the same path under ``zh/`` and ``en/``, so the language switch always lands
on the counterpart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import partial

from ..content.drafts import Badge
from ..content.indicators import HEADLINE
from ..content.model import LANGUAGES, Content, Lang, NewsItem, Period
from ..content.sitefiles import Group
from ..errors import ContentError
from . import articlemedia, columns, images, opendata
from . import figures as fig
from .grouppages import group_inputs, group_page, grouped_units
from .i18n import LOCALES, Locale
from .markup import render_text
from .pagetypes import (  # noqa: F401 (offered here)
    Crumb,
    Listed,
    Page,
    Plan,
    PlanMemo,
    RenderedText,
    home_crumb,
    narrative,
    pick,
    plan_now,
    route,
    unit_refs,
)
from .plots import site_charts
from .unitpages import publications, resolver, unit_index, unit_pages  # noqa: F401 (offered here)

NEWS_PER_PAGE = 10


def plan_pages(
    content: Content,
    figures: fig.SiteFigures,
    errors: list[ContentError],
    memo: PlanMemo = plan_now,
    badges: Mapping[str, Badge] | None = None,
) -> list[Page]:
    """Every page of the site, in both languages. Placeholder errors go to ``errors``.

    ``badges`` mark the news items ``content`` holds that are not published yet (drafts, scheduled items
    shown by ``serve``), on their articles and in the lists.

    A unit's pages depend on the unit, the periods and the names of observances, campaigns and
    kinds (its figures are computed from those); an article on its news item and its unit; a unit's news list
    on the unit and its items; a group's page on its units' figures. ``memo`` may reuse them when those are
    unchanged. The other pages read every unit or item, and are always planned.
    """
    pages: list[Page] = []
    badges = badges or {}
    site = content.site
    shared = (
        content.periods,
        content.observances,
        content.campaigns,
        content.kinds,
        tuple(site.columns),
        site.office_files,
    )
    around = columns.neighbours(content)
    infos = {u.id: u.info for u in content.units}
    data = opendata.datasets(content, figures)
    for lang in LANGUAGES:
        loc = LOCALES[lang]
        pages.append(_home(content, figures, loc, badges))
        listed = {u.id: publications(content, u, loc) for u in content.units}
        pages.extend(columns.list_pages(content, loc, badges, listed, memo))
        for item in content.news:
            badge = badges.get(item.id)
            plan_article = partial(_article_pages, content, item, loc, badge, around[item.id])
            unit = infos.get(item.meta.unit)  # its breadcrumb names the unit, in a column by unit
            inputs = (item, badge, around[item.id], tuple(site.columns), unit, articlemedia.depends(content.root, item))
            pages += memo(("article", item.id, lang), inputs, plan_article, errors)
        pages.append(unit_index(content, loc))
        for group in site.groups:
            plan = partial(_group_page, content, figures, group, loc)
            pages += memo(("group", group.id, lang), (group_inputs(content, figures, group), *shared), plan, errors)
        for unit in content.units:
            plan = partial(unit_pages, content, figures, unit, loc)
            pages += memo(("unit", unit.id, lang), (unit, *shared), plan, errors)
        if len(content.units) > 1:
            pages.extend(
                _overview(content, figures, period, loc)
                for period in content.periods
                if figures.site[period.id].has_years
            )
        pages.append(_search(loc))
        pages.append(opendata.page(content, data, loc, with_files=lang == LANGUAGES[0]))
        pages.append(_sitemap(content, loc, pages))
    return pages


def home_period(content: Content, site_figures: fig.SiteFigures) -> Period | None:
    """The period the home page shows: the active one, or, while it has no data yet, the latest before it that has."""
    period = content.current_period
    if period is None or site_figures.site[period.id].has_years:
        return period
    earlier = [p for p in content.periods if p.start < period.start and site_figures.site[p.id].has_years]
    return max(earlier, key=lambda p: p.start, default=period)


def _badges_of(items: Iterable[NewsItem], badges: Mapping[str, Badge]) -> dict[str, Badge]:
    """The badges of the unpublished ones among ``items`` (for a list of news)."""
    return {item.id: badges[item.id] for item in items if item.id in badges}


def _home(content: Content, site_figures: fig.SiteFigures, loc: Locale, badges: Mapping[str, Badge]) -> Page:
    period = home_period(content, site_figures)
    figures = site_figures.site[period.id] if period else None
    charts = site_charts(content, figures, loc) if figures and figures.has_years else ()
    latest = [(c, columns.items_of(content, c)[:6]) for c in content.site.columns]
    latest = [(c, items) for c, items in latest if items]
    pictures, thumbs = articlemedia.picture_news(content, loc.lang)
    return Page(
        route=route(loc.lang),
        lang=loc.lang,
        template="home.html",
        title=loc.text(content.site.name),
        crumbs=(Crumb(loc.t("home")),),
        data={
            "period": period,
            "current": content.current_period,
            "figures": figures,
            "headline": [(i, figures.total(i.id)) for i in HEADLINE if figures and figures.total(i.id) is not None],
            "latest": content.news[:6],
            "column_items": latest,
            "pictures": pictures,
            "badges": _badges_of([i for _, items in latest for i in items], badges),
            "units": unit_refs(content.units),
            "overviews": [p for p in content.periods if site_figures.site[p.id].has_years]
            if len(content.units) > 1
            else [],
        },
        charts=charts,
        downloads=tuple(thumbs),
    )


def news_title(item: NewsItem, lang: Lang) -> str:
    return item.translation.title if lang == "en" and item.translation else item.meta.title


Around = tuple[NewsItem | None, NewsItem | None]
"""An article's neighbours in its column: the newer (上一篇) and the older (下一篇)."""


def _article_pages(
    content: Content, item: NewsItem, loc: Locale, badge: Badge | None, around: Around, errors: list[ContentError]
) -> list[Page]:
    return [_article(content, item, loc, badge, around, errors)]


def _article(
    content: Content, item: NewsItem, loc: Locale, badge: Badge | None, around: Around, errors: list[ContentError]
) -> Page:
    translated = loc.lang == "zh" or item.body_en is not None
    body_source = item.body_en if loc.lang == "en" and item.body_en else item.body_zh
    html = render_text(body_source, lambda _: None, errors)
    label = LOCALES["zh" if body_source is item.body_zh else "en"].t("original_picture")
    here = route(loc.lang, "news", item.id)
    placed = images.place(html, body_source, content.root, here, label, errors if translated else None)  # zh text: once
    body = RenderedText(placed.html, translated)
    zh = loc.lang == "zh"  # attachments: the Chinese page reports their problems and brings the files
    attached, files = articlemedia.attachments(content, item, errors if zh else None, with_files=zh)
    if zh:
        articlemedia.check_image(content, item, errors)
    source = item.translation.source if loc.lang == "en" and item.translation and item.translation.source else None
    crumbs, column, subcolumn = columns.article_crumbs(content, item, loc, news_title(item, loc.lang))
    newer, older = around
    return Page(
        route=route(loc.lang, "news", item.id),
        lang=loc.lang,
        template="article.html",
        title=news_title(item, loc.lang),
        crumbs=crumbs,
        column=column,
        subcolumn=subcolumn,
        data={"item": item, "body": body, "badge": badge, "newer": newer, "older": older, "attachments": attached},
        downloads=(*placed.files, *files),
        translated=translated,
        published=str(item.meta.date),
        source=source or loc.text(item.meta.source),
        sample=item.meta.sample,
    )


# --------------------------------------------------------------------------- units


def _overview(content: Content, site_figures: fig.SiteFigures, period: Period, loc: Locale) -> Page:
    figures = site_figures.site[period.id]
    per_unit = {u.id: site_figures.unit(u.id, period.id) for u in content.units}
    return Page(
        route=route(loc.lang, "overview", period.id),
        lang=loc.lang,
        template="overview.html",
        title=f"{loc.t('overview')} · {loc.text(period.name)}",
        crumbs=(home_crumb(loc), Crumb(loc.t("overview")), Crumb(loc.text(period.name))),
        data={
            "period": period,
            "figures": figures,
            "per_unit": per_unit,
            "units": unit_refs(content.units),
            "columns": [i for i in HEADLINE if figures.total(i.id) is not None],
            "grouped": grouped_units(content),
            "group_totals": {g: periods[period.id] for g, periods in site_figures.groups.items()},
        },
        charts=site_charts(content, figures, loc, name=f"overview/{period.id}"),
        sample=figures.sample,
    )


def _group_page(
    content: Content, figures: fig.SiteFigures, group: Group, loc: Locale, errors: list[ContentError]
) -> Iterator[Page]:
    return group_page(content, figures, group, loc)


def _search(loc: Locale) -> Page:
    """The site search page (站内搜索), which searches the pages of its language (:mod:`sitegen.site.search`)."""
    return Page(
        route=route(loc.lang, "search"),
        lang=loc.lang,
        template="search.html",
        title=loc.t("search"),
        crumbs=(home_crumb(loc), Crumb(loc.t("search"))),
    )


def _sitemap(content: Content, loc: Locale, pages: list[Page]) -> Page:
    mine = [p.listed for p in pages if p.lang == loc.lang]
    return Page(
        route=route(loc.lang, "sitemap"),
        lang=loc.lang,
        template="sitemap.html",
        title=loc.t("sitemap"),
        crumbs=(home_crumb(loc), Crumb(loc.t("sitemap"))),
        data={"pages": mine},
    )
