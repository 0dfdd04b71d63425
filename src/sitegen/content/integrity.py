"""Checks across files: references resolve, dates fall in their year, ids are unique.

Each file on its own may be valid and the whole still wrong: an event dated in another
year, an observance id that does not exist, two periods that overlap. These checks run on
what loaded (:class:`Parts`), complete or not, and point back to the exact YAML value.

A file whose own errors are reported never causes errors elsewhere: an id written in a file that
failed validation still exists for references, and references into a file that could not be read
at all are not checked (:class:`Registry`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

from ..errors import ContentError, make_error
from .identitymemo import IdentityMemo
from .model import Campaign, Content, EventKind, NewsItem, Observance, Period, SiteConfig, UnitPeriod, UnitYear
from .yamlsource import Loc, YamlDocument

Docs = dict[Path, YamlDocument]


@dataclass(frozen=True)
class Registry:
    """The ids that references to one kind of thing may name."""

    ids: tuple[str, ...] | None
    """Every id written in the file that defines them, valid or not; ``None`` when that file could not
    be read at all: references are then accepted (its own error is what the editor must fix)."""

    @classmethod
    def written(cls, doc: YamlDocument | None, key: str) -> Registry:
        """The ids of the items under ``key`` in ``doc`` as written (``None``: no document)."""
        if doc is None:
            return cls(None)
        data = doc.as_written
        items = data.get(key) if isinstance(data, dict) else None
        items = items if isinstance(items, list) else []
        return cls(tuple(i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)))

    def lacks(self, ref: str) -> bool:
        return self.ids is not None and ref not in self.ids

    @property
    def options(self) -> tuple[str, ...]:
        return self.ids or ()


@dataclass(frozen=True)
class Parts:
    """What loaded, complete or not: every file that validated, and the valid part of those that did not."""

    root: Path
    site: SiteConfig | None
    periods: tuple[Period, ...]
    """The periods that validated."""
    periods_complete: bool
    """periods.yaml validated as a whole (else a year outside every period may belong to a broken one)."""
    observances: tuple[Observance, ...]
    campaigns: tuple[Campaign, ...]
    kinds: tuple[EventKind, ...]
    years: tuple[UnitYear, ...]
    unit_periods: tuple[UnitPeriod, ...]
    news: tuple[NewsItem, ...]
    period_ids: Registry
    observance_ids: Registry
    campaign_ids: Registry
    kind_ids: Registry
    unit_ids: Registry

    def period(self, period_id: str) -> Period | None:
        return next((p for p in self.periods if p.id == period_id), None)


def check(content: Parts, docs: Docs) -> list[ContentError]:
    """Every cross-file problem in ``content``; warnings have ``severity='warning'``."""
    return [
        *_periods(content, docs),
        *_registries(content, docs),
        *(e for unit_year in content.years for e in _year_kept(content, unit_year, docs)),
        *(e for unit_period in content.unit_periods for e in _unit_period(content, unit_period, docs)),
        *_news(content, docs),
        *(_site(content.root, content.site, docs) if content.site else ()),
    ]


def _at(docs: Docs, path: Path, loc: Loc, zh: str, en: str, *, warning: bool = False) -> ContentError:
    severity = "warning" if warning else "error"
    doc = docs.get(path)
    if doc is None:
        return make_error(path, 0, 0, zh, en, severity=severity)
    err = doc.error(loc, zh, en)
    err.severity = severity
    return err


def _suggest(word: str, options: Iterable[str]) -> tuple[str, str]:
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    if close:
        return f"是否想写“{close[0]}”？", f'Did you mean "{close[0]}"?'
    if options:
        return "可用的有：" + "、".join(options) + "。", "Known ids: " + ", ".join(options) + "."
    return "", ""


def _unknown_ref(
    docs: Docs, path: Path, loc: Loc, what_zh: str, what_en: str, ref: str, options: Iterable[str], where: str
) -> ContentError:
    hint_zh, hint_en = _suggest(ref, options)
    return _at(
        docs,
        path,
        loc,
        f"找不到{what_zh}“{ref}”（应在 {where} 中定义）。{hint_zh}",
        f'There is no {what_en} "{ref}" (they are defined in {where}). {hint_en}',
    )


def _duplicates(ids: list[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            yield index, value
        seen.add(value)


def _periods(content: Parts, docs: Docs) -> Iterator[ContentError]:
    path = content.root / "periods.yaml"
    periods = content.periods
    for index, pid in _duplicates([p.id for p in periods]):
        yield _at(
            docs,
            path,
            ("periods", index, "id"),
            f"规划期编号“{pid}”重复。",
            f'The period id "{pid}" is used twice.',
        )
    ordered = sorted(enumerate(periods), key=lambda ip: ip[1].start)
    for (_, a), (index, b) in pairwise(ordered):
        if b.start <= a.end:
            yield _at(
                docs,
                path,
                ("periods", index, "start"),
                f"规划期“{b.id}”（{b.start}—{b.end}）与“{a.id}”（{a.start}—{a.end}）的年份重叠。",
                f'The period "{b.id}" ({b.start}-{b.end}) overlaps "{a.id}" ({a.start}-{a.end}).',
            )
    active = [i for i, p in enumerate(periods) if p.status == "active"]
    for index in active[1:]:
        yield _at(
            docs,
            path,
            ("periods", index, "status"),
            "只能有一个规划期的状态是 active（正在实施）。",
            "Only one period can have the status active.",
        )


def _registries(content: Parts, docs: Docs) -> Iterator[ContentError]:
    path = content.root / "observances.yaml"
    for key, items in (
        ("observances", content.observances),
        ("campaigns", content.campaigns),
        ("kinds", content.kinds),
    ):
        for index, dup in _duplicates([item.id for item in items]):
            yield _at(docs, path, (key, index, "id"), f"编号“{dup}”重复。", f'The id "{dup}" is used twice.')
    for index, observance in enumerate(content.observances):
        yield from _name_history(observance, docs, path, ("observances", index, "names"))


def _name_history(observance: Observance, docs: Docs, path: Path, loc: Loc) -> Iterator[ContentError]:
    """The names of an observance follow each other: each ``from`` later than the one before."""
    for index, (before, name) in enumerate(pairwise(observance.names), start=1):
        if name.from_ == before.from_:
            yield _at(
                docs,
                path,
                (*loc, index, "from"),
                f"“{before.zh}”和“{name.zh}”都从 {name.from_} 年起使用：同一年只能有一个名称。",
                f'"{before.en or before.zh}" and "{name.en or name.zh}" both start in {name.from_}: '
                "only one name can be in force in a year.",
            )
        elif name.from_ < before.from_:
            yield _at(
                docs,
                path,
                (*loc, index, "from"),
                f"names 应按年份从早到晚排列：“{name.zh}”（{name.from_}）写在了“{before.zh}”（{before.from_}）之后。",
                f'names must be in order, oldest first: "{name.en or name.zh}" ({name.from_}) comes after '
                f'"{before.en or before.zh}" ({before.from_}).',
            )


def _unit_period(content: Parts, unit_period: UnitPeriod, docs: Docs) -> Iterator[ContentError]:
    period = content.period(unit_period.period)
    record, path = unit_period.record, unit_period.path
    for key, known in (("observances", content.observance_ids), ("campaigns", content.campaign_ids)):
        for index, ref in enumerate(getattr(record, key)):
            if known.lacks(ref):
                yield _unknown_ref(docs, path, (key, index), "编号", "id", ref, known.options, "observances.yaml")
    group = record.leading_group
    if group and period:
        for index, year in enumerate(group.adjusted):
            if year not in period.years:
                yield _at(
                    docs,
                    path,
                    ("leading_group", "adjusted", index),
                    f"调整年份 {year} 不在{period.name.zh}（{period.start}—{period.end}）期间。",
                    f"The year {year} is outside the period {period.start}-{period.end}.",
                )


_YEARS: IdentityMemo[tuple[ContentError, ...]] = IdentityMemo(65536)


def _year_kept(content: Parts, unit_year: UnitYear, docs: Docs) -> tuple[ContentError, ...]:
    """:func:`_year`'s findings, kept by the year's record while the registries it checks against are equal
    (``serve`` hands the same record while the file is unchanged: 3,000 year files took 0.1 s a rebuild)."""
    inputs = (
        docs.get(unit_year.path),
        content.periods,
        content.periods_complete,
        content.observances,
        content.observance_ids,
        content.campaign_ids,
        content.kind_ids,
    )
    where = (unit_year.year, unit_year.path)
    return _YEARS.get(unit_year.record, where, lambda: tuple(_year(content, unit_year, docs)), inputs)


def _year(content: Parts, unit_year: UnitYear, docs: Docs) -> Iterator[ContentError]:
    year, record, path = unit_year.year, unit_year.record, unit_year.path
    if content.periods_complete and not any(year in p.years for p in content.periods):
        yield _at(
            docs,
            path,
            (),
            f"{year} 年不属于 periods.yaml 中的任何规划期。",
            f"The year {year} is not in any period of periods.yaml.",
            warning=True,
        )
    observances = {o.id: o for o in content.observances}
    known, campaigns, kinds = content.observance_ids, content.campaign_ids, content.kind_ids
    for index, event in enumerate(record.events):
        loc = ("events", index)
        if event.date.year != year:
            yield _at(
                docs,
                path,
                (*loc, "date"),
                f"日期 {event.date} 不在本文件的年份 {year} 内（文件名 {path.name} 决定年份）。",
                f"The date {event.date} is not in {year}, the year of this file ({path.name}).",
            )
        if event.observance and known.lacks(event.observance):
            yield _unknown_ref(
                docs,
                path,
                (*loc, "observance"),
                "纪念日",
                "observance",
                event.observance,
                known.options,
                "observances.yaml",
            )
        elif event.observance in observances:
            yield from _too_early(observances[event.observance], event.date, docs, path, loc)
        if event.campaign and campaigns.lacks(event.campaign):
            yield _unknown_ref(
                docs,
                path,
                (*loc, "campaign"),
                "专项活动",
                "campaign",
                event.campaign,
                campaigns.options,
                "observances.yaml",
            )
        if event.kind and kinds.lacks(event.kind):
            yield _unknown_ref(
                docs, path, (*loc, "kind"), "活动形式", "event kind", event.kind, kinds.options, "observances.yaml"
            )
    explicit = [(i, e.id) for i, e in enumerate(record.events) if e.id]
    for pos, dup in _duplicates([eid for _, eid in explicit]):
        yield _at(
            docs,
            path,
            ("events", explicit[pos][0], "id"),
            f"活动编号“{dup}”重复。",
            f'The event id "{dup}" is used twice.',
        )
    for index, training in enumerate(record.trainings):
        if training.date.year != year:
            yield _at(
                docs,
                path,
                ("trainings", index, "date"),
                f"日期 {training.date} 不在本文件的年份 {year} 内。",
                f"The date {training.date} is not in {year}, the year of this file.",
            )


def _too_early(observance: Observance, day: date, docs: Docs, path: Path, loc: Loc) -> Iterator[ContentError]:
    """An event before its observance was first held: an error when its ordinal would be asked for."""
    base = observance.ordinal_base(day.year)
    if base is not None and day.year < base:
        yield _at(
            docs,
            path,
            (*loc, "date"),
            f"“{observance.id}”从 {base} 年起才有“第几个”的序数，日期 {day} 早于此，应是日期或纪念日写错了。",
            f'"{observance.id}" is counted from {base} (its ordinal); the date {day} is before that, so the date '
            "or the observance is wrong.",
        )
        return
    since = observance.first_held
    if since and day.year < since:
        yield _at(
            docs,
            path,
            (*loc, "observance"),
            f"“{observance.id}”从 {since} 年才开始设立，早于此的日期 {day} 可能有误。",
            f'"{observance.id}" exists only since {since}; the date {day} may be wrong.',
            warning=True,
        )


def _news(content: Parts, docs: Docs) -> Iterator[ContentError]:
    units, periods = content.unit_ids, content.period_ids
    for item in content.news:
        unit, period = item.meta.unit, item.meta.period
        if unit and units.lacks(unit):
            yield _unknown_ref(docs, item.path, ("unit",), "单位", "unit", unit, units.options, "content/units/")
        if period and periods.lacks(period):
            yield _unknown_ref(
                docs, item.path, ("period",), "规划期", "period", period, periods.options, "periods.yaml"
            )
        columns = [c.id for c in content.site.columns] if content.site else []
        if item.meta.column and content.site and item.meta.column not in columns:
            where = "site.yaml (columns)"
            yield _unknown_ref(docs, item.path, ("column",), "栏目", "column", item.meta.column, columns, where)


def _site(root: Path, site: SiteConfig, docs: Docs) -> Iterator[ContentError]:
    path = root / "site.yaml"
    required = (
        ("site_id_code", "网站标识码"),
        ("icp", "ICP备案号"),
        ("police_record", "公安机关备案号"),
    )
    for key, label in required:
        if not getattr(site, key):
            yield _at(
                docs,
                path,
                (),
                f"site.yaml 未填写 {key}（{label}）。政府网站页脚必须显示它，正式发布前请补上。",
                f"site.yaml has no {key} ({label}); a government site's footer must show it. Add it before publishing.",
                warning=True,
            )
    code = site.site_id_code
    if code and not (len(code) == 10 and code.isalnum()):
        yield _at(
            docs,
            path,
            ("site_id_code",),
            f"网站标识码“{code}”应是 10 位字母或数字。",
            f'The site id code "{code}" must be 10 letters or digits.',
        )


def unit_groups(content: Content, docs: Docs) -> Iterator[ContentError]:
    """A unit's ``group`` must be one of the groups of ``site.yaml``; group ids must not repeat."""
    known = [g.id for g in content.site.groups]
    for index, group_id in _duplicates(known):
        yield _at(
            docs,
            content.root / "site.yaml",
            ("groups", index, "id"),
            f"编号“{group_id}”重复。",
            f'The id "{group_id}" is used twice.',
        )
    for unit in content.units:
        if unit.info.group and unit.info.group not in known:
            path = content.root / "units" / unit.id / "unit.yaml"
            yield _unknown_ref(docs, path, ("group",), "分组", "group", unit.info.group, known, "site.yaml (groups)")
