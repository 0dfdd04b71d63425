"""Where the fields editors fill in are shown: every field appears on a public page, or is declared here.

Figures follow the registry of indicators (:mod:`sitegen.content.indicators`); this module says, for
the other fields, which are internal (and why), which name something defined elsewhere (an event's
``observance: constitution-day`` shows as that observance's name) and which are shown as a label
(``audience: youth`` as 青少年 / young people). ``tests/test_field_coverage.py`` walks every field
of every content file of the example site and of a site made by ``sitegen init``, and checks that
each one either appears on a page in both languages or is covered by a rule here.

Patterns are ``<file kind>:<dotted path>``, with ``[]`` for any list item and ``*`` for any text
(:func:`fnmatch.fnmatchcase`). File kinds: ``site``, ``observances``, ``periods``, ``unit``,
``year``, ``period`` and ``news`` (a news item's front matter).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

INTERNAL: dict[str, str] = {
    "*:sample": "marks sample data: shown as the sample notice on the record's pages, not as a value",
    "*:draft": "keeps an item off the published site until it is ready",
    "*.note": "an editors' note on a figure (its source, why it is unreadable)",
    "*.note.*": "an editors' note on a figure",
    "*.qualifier": "shown in the figure's form (1000余, 96以上, 约300)",
    "*.text": "the figure as the editor wrote it; the page shows it as parsed",
    "*.unreadable": "a garbled source value: the page says 原文无法辨认 / illegible in source instead",
    "*.redacted": "a value hidden in the source: the page says 原文隐去 / redacted in source instead",
    "*.unit": "the measure word the source used: shown with the figure (1000余册)",
    "site:base_url": "the address the pages are built for: in links, the sitemap and feeds",
    "site:languages.[]": "which languages the site is built in",
    "site:news_stale_days": "when check warns that the news column has gone quiet",
    "site:column.type": "the ColumnType meta tag of the government-site conventions",
    "site:columns.[].id": "the column's address (zh/<id>/): shown as its list, feed and breadcrumb",
    "site:column.id": "the column's address (zh/<id>/): shown as its list, feed and breadcrumb",
    "site:columns.[].by_unit": "gives the column a sub-column per unit (its lists and breadcrumbs show it)",
    "site:column.by_unit": "gives the column a sub-column per unit (its lists and breadcrumbs show it)",
    "news:column": "the column the item is listed in: shown by that list and the item's breadcrumb",
    "observances:*.id": "the id that events and period records refer to",
    "observances:observances.[].date": "the day it falls on: used to date and classify events",
    "observances:observances.[].start": "when it starts each year: used to classify events",
    "observances:observances.[].end": "when it ends each year: used to classify events",
    "observances:observances.[].month": "the month it covers: used to classify events",
    "observances:observances.[].since": "the first year it was held: used to count ordinals",
    "observances:observances.[].first_year": "the first year it was held: used to count ordinals",
    "observances:observances.[].names.[].from": "the year a name came into force: pages show the name in force",
    "observances:observances.[].names.[].zh": "a name in force from its year: shown on the pages of events then",
    "observances:observances.[].names.[].en": "a name in force from its year: shown on the pages of events then",
    "observances:observances.[].names.[].first_year": "the year counted from for ordinals",
    "observances:campaigns.[].start": "when the campaign ran: used to classify events",
    "observances:campaigns.[].end": "when the campaign ran: used to classify events",
    "observances:kinds.[].internal": "classifies events of the kind as internal work, not publicity",
    "observances:kinds.[].online": "classifies events of the kind as online publicity (online reach)",
    "periods:periods.[].id": "the period's address and the id that records refer to",
    "periods:periods.[].start": "the period's years: shown as its span and its years",
    "periods:periods.[].end": "the period's years: shown as its span and its years",
    "periods:periods.[].status": "overrides the status that follows from the date",
    "unit:order": "the unit's place in lists",
    "site:emblem": "an image file: shown as the masthead's picture, published under a hashed name",
    "site:dzjg.image": "an image file: shown as the 党政机关网站标识, published under a hashed name",
    "year:events.[].id": "an event's stable id (for review), not shown",
    "news:unit": "the unit an item concerns: used for filtering, not shown as text",
    "news:period": "the period an item concerns: used for filtering, not shown as text",
    "news:attachments.[].file": "a file: listed under the article by its title, type and size, linked for download",
    "news:image.file": "a picture: shown (resized) in the home page's 图片新闻, with its alt text",
}
"""Fields that are not shown as typed, with the reason."""

REFERENCES: dict[str, str] = {
    "year:events.[].observance": "observances",
    "year:events.[].campaign": "campaigns",
    "year:events.[].kind": "kinds",
    "period:observances.[]": "observances",
    "period:campaigns.[]": "campaigns",
}
"""Fields that name something defined in ``observances.yaml``: the page shows its name."""

LABELS: dict[str, str] = {
    "year:events.[].audience.[]": "target_{}",
    "year:trainings.[].kind": "training_{}",
    "period:norms.[].per": "norm_{}",
    "year:funding.budgeted": "budgeted",
}
"""Fields shown as an interface label (a key of ``sitegen.site.i18n.STRINGS``, ``{}`` the value)."""


def _match(rules: dict[str, str], kind: str, path: str) -> str | None:
    """The rule for ``kind:path`` (or ``*`` patterns that match it), if any."""
    full = f"{kind}:{path}"
    for pattern, value in rules.items():
        glob = pattern.replace("[]", "[[][]]")  # a list step, not a character class
        if fnmatchcase(full, glob) or fnmatchcase(path, glob.removeprefix("*:")):
            return value
    return None


def internal(kind: str, path: str) -> str | None:
    """Why the field at ``path`` of a ``kind`` file is not shown, or ``None`` when it must be shown."""
    return _match(INTERNAL, kind, path)


def reference(kind: str, path: str) -> str | None:
    """What the field names (``observances``, ``campaigns``, ``kinds``), if it is a reference."""
    return _match(REFERENCES, kind, path)


def label(kind: str, path: str) -> str | None:
    """The interface label the field is shown as, if it is one."""
    return _match(LABELS, kind, path)
