"""Checks across files: references resolve, dates fall in their year, ids are unique.

Each file on its own may be valid and the whole still wrong: an event dated in another
year, an observance id that does not exist, two periods that overlap. These checks run on
the assembled :class:`~sitegen.model.Content` and point back to the exact YAML value.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path

from .errors import ContentError, make_error
from .model import Content, Unit, UnitYear
from .yamlsource import Loc, YamlDocument

Docs = dict[Path, YamlDocument]


def check(content: Content, docs: Docs) -> list[ContentError]:
    """Every cross-file problem in ``content``; warnings have ``severity='warning'``."""
    return [
        *_periods(content, docs),
        *_registries(content, docs),
        *(e for unit in content.units for e in _unit(content, unit, docs)),
        *_news(content, docs),
        *_site(content, docs),
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


def _periods(content: Content, docs: Docs) -> Iterator[ContentError]:
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


def _registries(content: Content, docs: Docs) -> Iterator[ContentError]:
    path = content.root / "observances.yaml"
    for key, items in (
        ("observances", content.observances),
        ("campaigns", content.campaigns),
        ("kinds", content.kinds),
    ):
        for index, dup in _duplicates([item.id for item in items]):
            yield _at(docs, path, (key, index, "id"), f"编号“{dup}”重复。", f'The id "{dup}" is used twice.')


def _unit(content: Content, unit: Unit, docs: Docs) -> Iterator[ContentError]:
    for unit_year in unit.years.values():
        yield from _year(content, unit_year, docs)
    for unit_period in unit.periods.values():
        period = content.period(unit_period.period)
        record, path = unit_period.record, unit_period.path
        registry = {
            "observances": [o.id for o in content.observances],
            "campaigns": [c.id for c in content.campaigns],
        }
        for key, known in registry.items():
            for index, ref in enumerate(getattr(record, key)):
                if ref not in known:
                    yield _unknown_ref(docs, path, (key, index), "编号", "id", ref, known, "observances.yaml")
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


def _year(content: Content, unit_year: UnitYear, docs: Docs) -> Iterator[ContentError]:
    year, record, path = unit_year.year, unit_year.record, unit_year.path
    if not any(year in p.years for p in content.periods):
        yield _at(
            docs,
            path,
            (),
            f"{year} 年不属于 periods.yaml 中的任何规划期。",
            f"The year {year} is not in any period of periods.yaml.",
            warning=True,
        )
    observances = {o.id: o for o in content.observances}
    campaigns = [c.id for c in content.campaigns]
    kinds = [k.id for k in content.kinds]
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
        if event.observance and event.observance not in observances:
            yield _unknown_ref(
                docs,
                path,
                (*loc, "observance"),
                "纪念日",
                "observance",
                event.observance,
                observances,
                "observances.yaml",
            )
        elif event.observance:
            since = observances[event.observance].since
            if since and event.date.year < since:
                yield _at(
                    docs,
                    path,
                    (*loc, "observance"),
                    f"“{event.observance}”从 {since} 年才开始设立，早于此的日期 {event.date} 可能有误。",
                    f'"{event.observance}" exists only since {since}; the date {event.date} may be wrong.',
                    warning=True,
                )
        if event.campaign and event.campaign not in campaigns:
            yield _unknown_ref(
                docs,
                path,
                (*loc, "campaign"),
                "专项活动",
                "campaign",
                event.campaign,
                campaigns,
                "observances.yaml",
            )
        if event.kind and event.kind not in kinds:
            yield _unknown_ref(
                docs, path, (*loc, "kind"), "活动形式", "event kind", event.kind, kinds, "observances.yaml"
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


def _news(content: Content, docs: Docs) -> Iterator[ContentError]:
    units = [u.id for u in content.units]
    periods = [p.id for p in content.periods]
    for item in content.news:
        if item.meta.unit and item.meta.unit not in units:
            yield _unknown_ref(docs, item.path, ("unit",), "单位", "unit", item.meta.unit, units, "content/units/")
        if item.meta.period and item.meta.period not in periods:
            yield _unknown_ref(
                docs, item.path, ("period",), "规划期", "period", item.meta.period, periods, "periods.yaml"
            )


def _site(content: Content, docs: Docs) -> Iterator[ContentError]:
    path = content.root / "site.yaml"
    site = content.site
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
