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
from ..errors import ContentError
from . import figures as fig
from . import opendata
from .i18n import LOCALES, Locale
from .markup import render_text
from .pagetypes import (  # noqa: F401 (offered here)
    Crumb,
    Page,
    Plan,
    PlanMemo,
    RenderedText,
    home_crumb,
    narrative,
    pick,
    plan_now,
    route,
)
from .plots import site_charts
from .unitpages import resolver, unit_index, unit_pages  # noqa: F401 (offered here)

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
    kinds (its figures are computed from those); an article on its news item. ``memo`` may
    reuse them when those are unchanged. The other pages are cheap and always planned.
    """
    pages: list[Page] = []
    badges = badges or {}
    shared = (content.periods, content.observances, content.campaigns, content.kinds)
    for lang in LANGUAGES:
        loc = LOCALES[lang]
        pages.append(_home(content, figures, loc, badges))
        pages.extend(_news_lists(content, loc, badges))
        for item in content.news:
            badge = badges.get(item.id)
            plan_article = partial(_article_pages, content, item, loc, badge)
            pages += memo(("article", item.id, lang), (item, badge), plan_article, errors)
        pages.append(unit_index(content, loc))
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
        pages.append(opendata.page(content, figures, loc, with_files=lang == LANGUAGES[0]))
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
            "badges": _badges_of(content.news[:6], badges),
            "units": content.units,
            "overviews": [p for p in content.periods if site_figures.site[p.id].has_years]
            if len(content.units) > 1
            else [],
        },
        charts=charts,
    )


def _news_lists(content: Content, loc: Locale, badges: Mapping[str, Badge]) -> Iterator[Page]:
    items = content.news
    count = max(1, -(-len(items) // NEWS_PER_PAGE))
    for number in range(1, count + 1):
        path = route(loc.lang, "news") if number == 1 else route(loc.lang, "news", "page", number)
        crumbs = (home_crumb(loc), Crumb(loc.t("news"), None if number == 1 else route(loc.lang, "news")))
        shown = items[(number - 1) * NEWS_PER_PAGE : number * NEWS_PER_PAGE]
        yield Page(
            route=path,
            lang=loc.lang,
            template="news_list.html",
            title=loc.t("news") + ("" if number == 1 else " · " + loc.t("page", n=number)),
            crumbs=crumbs,
            data={
                "items": shown,
                "badges": _badges_of(shown, badges),
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


def _article_pages(
    content: Content, item: NewsItem, loc: Locale, badge: Badge | None, errors: list[ContentError]
) -> list[Page]:
    return [_article(content, item, loc, badge, errors)]


def _article(content: Content, item: NewsItem, loc: Locale, badge: Badge | None, errors: list[ContentError]) -> Page:
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
            home_crumb(loc),
            Crumb(loc.t("news"), route(loc.lang, "news")),
            Crumb(news_title(item, loc.lang)),
        ),
        data={"item": item, "body": body, "badge": badge},
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
            "units": content.units,
            "columns": [i for i in HEADLINE if figures.total(i.id) is not None],
        },
        charts=site_charts(content, figures, loc, name=f"overview/{period.id}"),
        sample=figures.sample,
    )


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
    mine = [p for p in pages if p.lang == loc.lang]
    return Page(
        route=route(loc.lang, "sitemap"),
        lang=loc.lang,
        template="sitemap.html",
        title=loc.t("sitemap"),
        crumbs=(home_crumb(loc), Crumb(loc.t("sitemap"))),
        data={"pages": mine},
    )
