"""Figures computed from the content, by the registry's rules: per unit and year, per unit and period, site-wide.

A year's value of an indicator is computed from its record (events, trainings, funding) where the
registry says how, else taken as reported under ``figures:``. Over a period, values combine by the
indicator's ``over_years`` rule, and a figure the unit reported for the whole period (``totals:``)
is shown as reported. Across units they combine by ``over_units``. Sums use
:meth:`~sitegen.content.values.Quantity.sum`, so a total that includes ``1000余`` is "more than",
never a false exact number, and a total that covers fewer years than the period carries its span.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..content.identitymemo import IdentityMemo
from ..content.indicators import BY_ID, INDICATORS, Classes, aggregate, publicity_events, span_text, year_value
from ..content.model import Content, Event, Figures, Period, Unit, YearRecord
from ..content.values import Quantity

NONE = "_none"
"""The category of an event on no observance or campaign (among kinds: of no kind); no registry id has ``_``."""


def total(values) -> Quantity | None:
    """The honest sum of the figures given (``None`` entries skipped; none at all → None)."""
    return Quantity.sum(values)


def category(event: Event) -> str:
    """What an event is charted under by occasion: its observance, else its campaign, else :data:`NONE`."""
    return event.observance or event.campaign or NONE


def kind(event: Event) -> str:
    """What an event is charted under by form: its kind, else :data:`NONE`."""
    return event.kind or NONE


@dataclass(frozen=True)
class YearFigures:
    """One unit's (or all units') figures for one year, by indicator id."""

    year: int
    values: Mapping[str, Quantity]
    """Indicator id → the year's value (computed, else reported); absent ids have no data."""
    events_by_category: dict[str, int]
    """Publicity events by occasion (observance or campaign)."""
    events_by_kind: dict[str, int]
    """Publicity events by kind."""
    sample: bool

    def figure(self, name: str) -> Quantity | None:
        """The value of indicator ``name`` for the year."""
        return self.values.get(name)

    @property
    def events(self) -> int:
        """How many publicity events the year had."""
        value = self.values.get("events")
        return int(value.value) if value and value.value is not None else 0


def year_figures(year: int, record: YearRecord, kinds: Classes) -> YearFigures:
    """Compute one year's figures from its record."""
    values: dict[str, Quantity] = {}
    for indicator in INDICATORS:
        value = year_value(indicator, record, kinds)
        if value is not None:
            values[indicator.id] = value
    events = publicity_events(record, kinds)
    return YearFigures(
        year=year,
        values=values,
        events_by_category=dict(sorted(Counter(category(e) for e in events).items())),
        events_by_kind=dict(sorted(Counter(kind(e) for e in events).items())),
        sample=record.sample,
    )


@dataclass(frozen=True)
class PeriodFigures:
    """Figures over a plan period: one entry per year of the period, and totals by the registry's rules."""

    period: Period
    years: tuple[YearFigures | None, ...]
    """One per year of the period, ``None`` for a year without data."""
    reported: Figures = field(default_factory=Figures)
    """Totals as reported for the whole period (a five-year summary's own figures)."""
    units: tuple[PeriodFigures, ...] = ()
    """For all units together: each unit's figures (totals then combine by ``over_units``)."""
    _totals: dict[str, Quantity | None] = field(default_factory=dict, compare=False, repr=False)
    """Each total once computed (the site's totals combine every unit's: pages ask for them again and again)."""

    @property
    def has_years(self) -> bool:
        return any(y is not None for y in self.years)

    @property
    def categories(self) -> tuple[str, ...]:
        found = {c for y in self.years if y for c in y.events_by_category}
        return tuple(sorted(found))

    def series(self, name: str) -> tuple[Quantity | None, ...]:
        return tuple(y.figure(name) if y else None for y in self.years)

    def total(self, name: str) -> Quantity | None:
        """The period's value of indicator ``name``: as reported for the period, else combined over its years."""
        if name not in self._totals:
            self._totals[name] = self._total(name)
        return self._totals[name]

    def _total(self, name: str) -> Quantity | None:
        indicator = BY_ID[name]
        if self.units:
            return aggregate(indicator.over_units, [u.total(name) for u in self.units])
        reported = getattr(self.reported, name)
        if reported is not None:
            return reported
        series = self.series(name)
        value = aggregate(indicator.over_years, series)
        covered = [y for y, v in zip(self.period.years, series, strict=True) if v is not None]
        if value is None or len(covered) == len(self.period.years) or indicator.over_years == "latest":
            return value
        return value.with_span(span_text(covered))

    def totals(self) -> dict[str, Quantity]:
        """Every indicator with a value over the period."""
        found = {i.id: self.total(i.id) for i in INDICATORS}
        return {k: v for k, v in found.items() if v is not None}

    def cumulative(self, name: str) -> tuple[Quantity | None, ...]:
        running: Quantity | None = None
        out = []
        for value in self.series(name):
            if value is not None:
                running = value if running is None else running + value
            out.append(running if value is not None else None)
        return tuple(out)

    @property
    def sample(self) -> bool:
        return any(y.sample for y in self.years if y) or any(u.sample for u in self.units)


def kinds_of(content: Content) -> Classes:
    """The event kinds by id (what classifies events as internal or online)."""
    return {k.id: k for k in content.kinds}


def unit_period(
    unit: Unit, period: Period, kinds: Classes, year: Callable[[int, YearRecord], YearFigures] | None = None
) -> PeriodFigures:
    """A unit's figures over ``period`` (``year``: :func:`year_figures` for these kinds, or a memo of it)."""
    make = year or (lambda y, record: year_figures(y, record, kinds))
    years = tuple(make(y, unit.years[y].record) if y in unit.years else None for y in period.years)
    record = unit.periods.get(period.id)
    return PeriodFigures(period, years, record.record.totals if record else Figures())


def site_period(period: Period, per_unit: list[PeriodFigures]) -> PeriodFigures:
    """All units together over ``period`` (home page, overview): per year and in total by ``over_units``."""
    merged = []
    for index, year in enumerate(period.years):
        found = [p.years[index] for p in per_unit if p.years[index] is not None]
        merged.append(_merge(year, found) if found else None)
    return PeriodFigures(period, tuple(merged), units=tuple(per_unit))


def _merge(year: int, figures: list[YearFigures]) -> YearFigures:
    by_category: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for f in figures:
        by_category.update(f.events_by_category)
        by_kind.update(f.events_by_kind)
    values = {i.id: aggregate(i.over_units, [f.figure(i.id) for f in figures]) for i in INDICATORS}
    return YearFigures(
        year=year,
        values={k: v for k, v in values.items() if v is not None},
        events_by_category=dict(sorted(by_category.items())),
        events_by_kind=dict(sorted(by_kind.items())),
        sample=any(f.sample for f in figures),
    )


@dataclass(frozen=True)
class SiteFigures:
    """Every figure of the site, computed once per build and shared by all pages."""

    units: dict[str, dict[str, PeriodFigures]]
    """Unit id → period id → that unit's figures over the period."""
    site: dict[str, PeriodFigures]
    """Period id → all units together."""
    years: dict[tuple[str, int], YearFigures]
    """(unit id, year) → that unit's figures for the year."""
    groups: dict[str, dict[str, PeriodFigures]] = field(default_factory=dict)
    """Group id → period id → the group's units together."""

    def unit(self, unit_id: str, period_id: str) -> PeriodFigures:
        return self.units[unit_id][period_id]


def compute(content: Content) -> SiteFigures:
    """Compute the figures of every unit, year and period.

    Each result is kept by the identity of the records it is computed from (``serve`` hands the same ones to
    every rebuild while their files are unchanged) and reused while its other inputs are equal: the figures of a
    300-unit site took a second of each rebuild, and the same objects let later stages reuse their work too."""
    memo = _Memo(kinds_of(content))
    units = {u.id: {p.id: memo.unit_period(u, p) for p in content.periods} for u in content.units}
    site = {p.id: memo.site_period(p, None, [units[u.id][p.id] for u in content.units]) for p in content.periods}
    years = {(u.id, y.year): y for u in content.units for p in units[u.id].values() for y in p.years if y is not None}
    for unit in content.units:  # years outside every period
        for year, unit_year in unit.years.items():
            if (unit.id, year) not in years:
                years[unit.id, year] = memo.year(year, unit_year.record)
    groups = {
        g.id: {
            p.id: memo.site_period(p, g.id, [units[u.id][p.id] for u in content.units if u.info.group == g.id])
            for p in content.periods
        }
        for g in content.site.groups
    }
    return SiteFigures(units, site, years, groups)


_YEARS: IdentityMemo[YearFigures] = IdentityMemo(65536)
_PERIODS: IdentityMemo[PeriodFigures] = IdentityMemo(65536)


class _Memo:
    """:func:`compute`'s kept results, for one set of event kinds."""

    def __init__(self, kinds: Classes) -> None:
        self.kinds = kinds
        self._same_kinds = tuple(kinds.items())
        """What a kept result is compared by (the same kind objects compare at once)."""

    def year(self, year: int, record: YearRecord) -> YearFigures:
        return _YEARS.get(record, year, lambda: year_figures(year, record, self.kinds), self._same_kinds)

    def unit_period(self, unit: Unit, period: Period) -> PeriodFigures:
        """:func:`unit_period` from the unit's records of the period's years and its record of the period."""
        years = tuple(unit.years[y].record if y in unit.years else None for y in period.years)
        record = unit.periods.get(period.id)
        inputs = (period, years, record.record.totals if record else None, self._same_kinds)  # the period is new
        compute = lambda: unit_period(unit, period, self.kinds, self.year)  # noqa: E731
        return _PERIODS.get(unit.info, ("unit", unit.id, period.id), compute, inputs)

    def site_period(self, period: Period, group: str | None, per_unit: list[PeriodFigures]) -> PeriodFigures:
        inputs = (period, tuple(per_unit))
        return _PERIODS.get(_PERIODS, ("units", group, period.id), lambda: site_period(period, per_unit), inputs)


def periods_with_data(content: Content, unit: Unit) -> list[Period]:
    """The periods for which ``unit`` has yearly data or a period record, in order."""
    return [p for p in content.periods if p.id in unit.periods or any(y in unit.years for y in p.years)]
