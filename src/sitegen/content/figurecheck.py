"""Warnings where a reported figure disagrees with what the records add up to (``check`` and ``build`` print them).

A year's ``figures:`` may repeat an indicator that its events, trainings or funding already give; the
page shows the computed value, so a different reported value would be silently dropped. A period's
``totals:`` is shown as reported, so a summed indicator whose exact total differs from the exact sum of
the year files is worth a look before the office signs it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path

from ..errors import ContentError
from .identitymemo import IdentityMemo
from .indicators import INDICATORS, Classes, aggregate, year_value
from .model import Content, YearRecord
from .quantity import Quantity
from .yamlsource import YamlDocument


def check(content: Content, docs: Mapping[Path, YamlDocument]) -> list[ContentError]:
    """Every disagreement between reported and computed figures, as warnings at the reported value."""
    return [*_years(content, docs), *_periods(content, docs)]


def _years(content: Content, docs: Mapping[Path, YamlDocument]) -> Iterator[ContentError]:
    kinds = {k.id: k for k in content.kinds}
    same_kinds = tuple(kinds.items())
    for unit in content.units:
        for unit_year in unit.years.values():
            doc, record = docs.get(unit_year.path), unit_year.record
            if doc is not None:  # kept by the record: serve's rebuilds hand the same one while its file is unchanged
                yield from _FOUND.get(record, None, partial(_year, doc, record, kinds), (doc, same_kinds))


_FOUND: IdentityMemo[tuple[ContentError, ...]] = IdentityMemo(65536)


def _year(doc: YamlDocument, record: YearRecord, kinds: Classes) -> tuple[ContentError, ...]:
    return tuple(_disagreements(doc, record, kinds))


def _disagreements(doc: YamlDocument, record: YearRecord, kinds: Classes) -> Iterator[ContentError]:
    for indicator in INDICATORS:
        reported = getattr(record.figures, indicator.id)
        computed = indicator.compute(record, kinds) if indicator.compute else None
        if reported is None or computed is None or _same(reported, computed):
            continue
        zh = (
            f"figures 中的 {indicator.id}（{indicator.zh}）是 {_text(reported)}，但按本年的记录算出是 "
            f"{_text(computed)}；页面显示算出的值。请删去这一项，或改正记录。"
        )
        en = (
            f"figures.{indicator.id} ({indicator.en}) says {_text(reported)}, but this year's records add up "
            f"to {_text(computed)}; pages show the computed value. Remove the line or correct the records."
        )
        yield _warning(doc, ("figures", indicator.id), zh, en)


def _periods(content: Content, docs: Mapping[Path, YamlDocument]) -> Iterator[ContentError]:
    kinds = {k.id: k for k in content.kinds}
    periods = {p.id: p for p in content.periods}
    for unit in content.units:
        for unit_period in unit.periods.values():
            doc, period = docs.get(unit_period.path), periods.get(unit_period.period)
            if doc is None or period is None:
                continue
            records = [unit.years[y].record for y in period.years if y in unit.years]
            for indicator in INDICATORS:
                reported = getattr(unit_period.record.totals, indicator.id)
                if reported is None or not records or indicator.over_years != "sum":
                    continue
                summed = aggregate("sum", [year_value(indicator, r, kinds) for r in records])
                if summed is None or not (summed.exact and reported.exact) or summed.value == reported.value:
                    continue
                zh = (
                    f"totals 中的 {indicator.id}（{indicator.zh}）是 {_text(reported)}，各年度文件相加是 "
                    f"{_text(summed)}；页面显示 totals 的值。请核对。"
                )
                en = (
                    f"totals.{indicator.id} ({indicator.en}) says {_text(reported)}, but the year files add up to "
                    f"{_text(summed)}; pages show the value in totals. Check which is right."
                )
                yield _warning(doc, ("totals", indicator.id), zh, en)


def _same(a: Quantity, b: Quantity) -> bool:
    return (a.value, a.qualifier) == (b.value, b.qualifier)


def _text(q: Quantity) -> str:
    if q.value is None:
        return q.redacted or q.unreadable or "?"
    marks = {"exact": "{}", "more_than": "{}余", "at_least": "{}以上", "about": "约{}"}
    return marks[q.qualifier].format(q.value)


def _warning(doc: YamlDocument, loc: tuple[str, ...], zh: str, en: str) -> ContentError:
    error = doc.error(loc, zh, en)
    error.severity = "warning"
    return error
