"""The statistics as Excel: one sheet per group of indicators, one row per unit and year (and period total).

Each indicator takes four columns under its name: the value as a number where it is exact (a number cell
that sums in Excel), the value as written (``1000余册``), its qualifier (确数 exact, 余 more than, 以上 at
least, 约 about) and its span when it covers less than the period. Period rows carry the period's value
by the registry's rules (a reported total as reported). Rows and headers are bilingual, so one workbook
serves both languages; :func:`sitegen.office.workbook.write_workbook` makes the file (frozen header rows,
widths that fit Chinese, no cell that starts like a formula, the same bytes on every run).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from functools import partial

from ..content.identitymemo import IdentityMemo
from ..content.indicators import GROUPS, Indicator, in_group
from ..content.model import Content, Period, Unit
from ..content.quantity import Quantity
from ..site.figures import PeriodFigures, SiteFigures, YearFigures, periods_with_data
from ..site.i18n import LOCALES
from .workbook import CellValue, Sheet, write_workbook

ZH, EN = LOCALES["zh"], LOCALES["en"]
QUALIFIERS = {"exact": "确数 exact", "more_than": "余 more than", "at_least": "以上 at least", "about": "约 about"}
PARTS = ("数值 value", "原文 as written", "限定 qualifier", "时段 span")
KEYS = ("单位 Unit", "单位代码 id", "年度 Year")


def cells(q: Quantity | None, key: str) -> tuple[CellValue, ...]:
    """The four cells of one figure: exact number (else empty), as written, qualifier, span."""
    if q is None:
        return (None, None, None, None)
    number = q.value if q.exact else None
    written = ZH.value(q if q.span is None else q.model_copy(update={"span": None}), key)
    span = q.span.zh + (f" / {q.span.en}" if q.span.en else "") if q.span else None
    return (number, written, QUALIFIERS[q.qualifier] if q.value is not None else None, span)


def _blocks(
    units: Sequence[Unit],
    periods: Sequence[Period],
    figures: SiteFigures,
    indicators: Sequence[Indicator],
    year: int | None = None,
) -> list[tuple[tuple[CellValue, ...], ...]]:
    """The rows of each unit and period (:func:`_period_rows`), in order."""
    blocks = []
    ids = tuple(i.id for i in indicators)
    for unit in units:
        name = ZH.text(unit.info.name)
        for period in periods:
            summary = figures.units[unit.id][period.id]
            label = f"{period.name.zh}合计 / {EN.text(period.name)} total"
            make = partial(_period_rows, (name, unit.id), label, summary, indicators, year)
            blocks.append(_ROWS.get(summary, (name, unit.id, label, ids, year), make))
    return blocks


def _period_rows(
    unit: tuple[str, str], label: str, summary: PeriodFigures, indicators: Sequence[Indicator], year: int | None
) -> tuple[tuple[CellValue, ...], ...]:
    """A unit's rows (its name and id first) for one period: a row per year (or only ``year``), then the period's
    total labelled ``label`` (without ``year``); kept by the identity of the figures (``serve``'s rebuilds keep
    those of unchanged units)."""
    years = [y for y in summary.years if y is not None and year in (None, y.year)]
    rows = [(*unit, y.year, *_values(y, indicators)) for y in years]
    if year is None:
        rows.append((*unit, label, *_values(summary, indicators)))
    return tuple(rows)


_ROWS: IdentityMemo[tuple[tuple[CellValue, ...], ...]] = IdentityMemo(65536)


def _values(source: YearFigures | PeriodFigures, indicators: Sequence[Indicator]) -> tuple[CellValue, ...]:
    """The cells of ``indicators``, kept by the identity of the figures (``serve``'s rebuilds keep those of
    unchanged units: the statistics of a 300-unit site were written again at each one)."""
    return _CELLS.get(source, tuple(i.id for i in indicators), partial(_cells, source, indicators))


def _cells(source: YearFigures | PeriodFigures, indicators: Iterable[Indicator]) -> tuple[CellValue, ...]:
    out: list[CellValue] = []
    for indicator in indicators:
        value = source.figure(indicator.id) if isinstance(source, YearFigures) else source.total(indicator.id)
        out += cells(value, indicator.id)
    return tuple(out)


_CELLS: IdentityMemo[tuple[CellValue, ...]] = IdentityMemo(65536)


def sheets(
    content: Content,
    figures: SiteFigures,
    units: Sequence[Unit] | None = None,
    periods: Sequence[Period] | None = None,
    *,
    year: int | None = None,
) -> list[Sheet]:
    """The statistics sheets for ``units`` (default: all) over ``periods`` (default: those with data);
    with ``year``, only that year's rows."""
    units = list(units if units is not None else content.units)
    chosen = periods or [p for p in content.periods if any(p in periods_with_data(content, u) for u in units)]
    which = (tuple(u.id for u in units), tuple(p.id for p in chosen), year)
    shown = tuple((u.info.name, p, figures.units[u.id][p.id]) for u in units for p in chosen)
    return list(_SHEETS.get(_SHEETS, which, partial(_sheets, units, chosen, figures, year), shown))


_SHEETS: IdentityMemo[tuple[Sheet, ...]] = IdentityMemo(16384)
"""The sheets, kept while every unit's figures are the same or equal (``serve``: the site's statistics workbook
at each rebuild, 0.05 s on 300 units)."""


def _sheets(units: list[Unit], chosen: list[Period], figures: SiteFigures, year: int | None) -> tuple[Sheet, ...]:
    out = []
    for group, info in GROUPS.items():
        indicators = in_group(group)
        blocks = _blocks(units, chosen, figures, indicators, year)
        count = len(indicators)
        kept = tuple(sorted(set().union(*(_USED.get(b, count, partial(_used, b, count)) for b in blocks))))
        if not kept:
            continue
        used = [indicators[n] for n in kept]
        rows = [row for b in blocks for row in _KEPT.get(b, kept, partial(_kept, b, kept))]
        head = [*KEYS, *(part for _ in used for part in PARTS)]
        names = [""] * len(KEYS) + [f"{i.zh}（{i.measure[0]}）/ {i.en}" for i in used for _ in PARTS]
        formats = {len(KEYS) + 4 * n: "#,##0.##" for n in range(len(used))}
        out.append(Sheet(f"{info.zh} {info.en}", head, rows, groups=[names], formats=formats, freeze_columns=len(KEYS)))
    return tuple(out)


def _used(rows: tuple[tuple[CellValue, ...], ...], count: int) -> frozenset[int]:
    """The indicators (by position) that have a value as written in any of ``rows``."""
    return frozenset(n for n in range(count) if any(r[3 + 4 * n + 1] is not None for r in rows))


def _kept(rows: tuple[tuple[CellValue, ...], ...], kept: tuple[int, ...]) -> list[list[CellValue]]:
    """``rows`` with the key cells and the four cells of each indicator in ``kept``."""
    return [[*r[:3], *(cell for n in kept for cell in r[3 + 4 * n : 7 + 4 * n])] for r in rows]


_USED: IdentityMemo[frozenset[int]] = IdentityMemo(65536)
_KEPT: IdentityMemo[list[list[CellValue]]] = IdentityMemo(65536)
"""Both kept by the identity of a unit's rows (:data:`_ROWS`): one unit's edit makes the sheets again, not the rows of
the others (0.06 s a rebuild on 300 units)."""


def workbook(
    content: Content,
    figures: SiteFigures,
    units: Sequence[Unit] | None = None,
    periods: Sequence[Period] | None = None,
    created: datetime.date | None = None,
) -> bytes:
    """The statistics workbook as bytes (``created`` defaults to the end of the last year with data)."""
    years = [y for (_, y) in figures.years]
    day = created or datetime.date(max(years) if years else 2000, 12, 31)
    return write_workbook(sheets_or_empty(content, figures, units, periods), created=day)


def sheets_or_empty(
    content: Content, figures: SiteFigures, units: Sequence[Unit] | None = None, periods: Sequence[Period] | None = None
) -> list[Sheet]:
    """:func:`sheets`, or one empty sheet with the key columns while there is no data (a new site)."""
    return sheets(content, figures, units, periods) or [Sheet("数据 Data", list(KEYS), [])]
