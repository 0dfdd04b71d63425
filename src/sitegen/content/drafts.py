"""Drafts and scheduled news items: what ``build`` leaves out, ``serve`` shows marked and ``check`` lists.

A news item is unpublished while its front matter says ``draft: true`` (a draft) or its date is after the
day of the build (``--today``, default: the computer's date), when it is scheduled. ``build`` leaves both
out unless ``--drafts`` / ``--future`` says otherwise: they are taken out of the content before any page is
planned, so no page, list, feed, sitemap or "latest news" links to them. ``serve`` shows them with a badge
(草稿 / Draft, 定时发布 / Scheduled); ``check`` lists each at its line, as a warning; the stale-column check
counts only published items. Only news items are scheduled: year files and events record what happened.

A static site publishes a scheduled item only when it is built again on or after its date: a site with
scheduled items needs a build that day (a daily CI run, for example).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ..errors import ContentError, make_error
from .model import Content, NewsItem


@dataclass(frozen=True)
class Unpublished:
    """Which unpublished news items a build shows: drafts (``--drafts``), items dated later (``--future``)."""

    drafts: bool = False
    future: bool = False


PUBLISHED_ONLY = Unpublished()
"""``build`` and ``check``: only what is published."""
PREVIEW = Unpublished(drafts=True, future=True)
"""``serve``: everything, the unpublished marked."""


@dataclass(frozen=True)
class Badge:
    """Why an item a build shows is not published yet: a draft, dated after the build (``scheduled``), or both."""

    draft: bool
    scheduled: date | None


def badge(item: NewsItem, today: date) -> Badge | None:
    """The badge of an unpublished item on ``today``; ``None`` for a published one."""
    scheduled = item.meta.date.day if item.meta.date.day > today else None
    return Badge(item.meta.draft, scheduled) if item.meta.draft or scheduled else None


def is_published(item: NewsItem, today: date) -> bool:
    """True when a build on ``today`` publishes ``item``: not a draft, not dated later."""
    return badge(item, today) is None


def select(content: Content, today: date, shown: Unpublished = PUBLISHED_ONLY) -> tuple[Content, dict[str, Badge]]:
    """``content`` with only the news items a build on ``today`` shows, and the badge of each unpublished one shown."""
    kept, badges = [], {}
    for item in content.news:
        found = badge(item, today)
        if found is not None and ((found.draft and not shown.drafts) or (found.scheduled and not shown.future)):
            continue
        kept.append(item)
        if found is not None:
            badges[item.id] = found
    if len(kept) == len(content.news):
        return content, badges
    return replace(content, news=tuple(kept)), badges


def listing(content: Content, today: date) -> list[ContentError]:
    """Every unpublished item, as a warning at its ``draft`` or ``date`` line (``check``)."""
    found = []
    for item in content.news:
        state = badge(item, today)
        if state is None:
            continue
        if state.draft:
            found.append(
                _at(
                    content,
                    item,
                    "draft",
                    "草稿（draft: true）：构建时不发布（除非加 --drafts），预览（serve）中标为“草稿”。"
                    "可以发布时，删去 draft 这一行。",
                    "A draft (draft: true): build leaves it out (unless --drafts), serve shows it marked Draft. "
                    "Delete the draft line when it may be published.",
                )
            )
        if state.scheduled:
            day = state.scheduled.isoformat()
            found.append(
                _at(
                    content,
                    item,
                    "date",
                    f"定时发布：日期 {day} 晚于构建日期 {today.isoformat()}，在 {day} 当天或之后构建时才会发布"
                    "（静态网站要在那天重新构建，例如每天定时运行的 CI）。",
                    f"Scheduled: its date {day} is after the day of the build ({today.isoformat()}); the first build "
                    f"on or after {day} publishes it (the site must be built again that day, e.g. by a daily CI run).",
                )
            )
    return found


def _at(content: Content, item: NewsItem, key: str, zh: str, en: str) -> ContentError:
    doc = content.documents.get(item.path)
    error = doc.error((key,), zh, en) if doc is not None else make_error(item.path, 1, 0, zh, en)
    error.severity = "warning"
    return error
