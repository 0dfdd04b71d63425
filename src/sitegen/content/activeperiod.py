"""Where the periods stand on the date of the build (``--today``, default: the computer's date).

A period whose status is not written in ``periods.yaml`` is planned before its first year, active
during its years and closed after them (:func:`sitegen.content.sitefiles.on_date`); a written status
overrides that. Only the statuses, and so the active period shown on the home page, depend on the date.
The warnings here, located in ``periods.yaml``, say when no period is active on that date and when a
unit that reports in the active period has no file for the current year.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ..errors import ContentError
from .integrity import Docs
from .integrity import _at as at
from .model import Content, Period
from .sitefiles import on_date as periods_on
from .yamlsource import Loc


def dated(content: Content, today: date) -> Content:
    """``content`` with every period's status on ``today`` (a written status stays)."""
    return replace(content, periods=periods_on(content.periods, today))


def on_date(content: Content, docs: Docs, today: date) -> list[ContentError]:
    """Warnings about ``today`` (periods dated by :func:`dated`): no active period, or this year's file missing."""
    path = content.root / "periods.yaml"
    active = next(((i, p) for i, p in enumerate(content.periods) if p.status == "active"), None)
    if active is None:
        return [_no_active_period(content.periods, docs, path, today)]
    index, period = active
    if today.year not in period.years:
        return []
    return [
        _year_missing(docs, path, ("periods", index), unit.id, period, today.year)
        for unit in content.units
        if today.year not in unit.years
        and (period.id in unit.periods or any(year in period.years for year in unit.years))
    ]


def _no_active_period(periods: tuple[Period, ...], docs: Docs, path: Path, today: date) -> ContentError:
    holding = next((i for i, p in enumerate(periods) if today.year in p.years), None)
    if holding is None:
        return at(
            docs,
            path,
            ("periods",),
            f"{today} 不在任何规划期内：periods.yaml 中没有包含 {today.year} 年的规划期。请添加下一个规划期。",
            f"No period is active on {today}: no period of periods.yaml holds {today.year}. Add the next period.",
            warning=True,
        )
    period = periods[holding]
    return at(
        docs,
        path,
        ("periods", holding, "status"),
        f"{today} 没有正在实施的规划期：“{period.id}”（{period.start}—{period.end}）包含这一天，但 status 写的是 "
        f"{period.status}。如果它已开始实施，请删去 status 这一行（状态随日期而定）或改为 active。",
        f'No period is active on {today}: "{period.id}" ({period.start}-{period.end}) holds it, but its status says '
        f"{period.status}. If it has begun, delete the status line (it then follows the date) or write active.",
        warning=True,
    )


def _year_missing(docs: Docs, path: Path, loc: Loc, unit: str, period: Period, year: int) -> ContentError:
    file = f"units/{unit}/{year}.yaml"
    return at(
        docs,
        path,
        loc,
        f"单位“{unit}”在正在实施的规划期“{period.id}”中有数据，但还没有本年的数据文件 {file}。"
        f"可用 python build.py new year {unit} {year} 创建。",
        f'The unit "{unit}" reports in the active period "{period.id}" but has no file for this year, {file}. '
        f"Start it with: python build.py new year {unit} {year}",
        warning=True,
    )
