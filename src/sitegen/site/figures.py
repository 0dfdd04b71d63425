"""Figures computed from the content: per unit and year, per unit and period, site-wide.

Sums use :class:`~sitegen.content.values.Quantity` addition, so a total that includes ``1000余``
is itself "more than", never a false exact number. Reported figures (a year's or a
period's ``figures``/``totals``) are kept apart from computed ones and shown as reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..content.model import Content, Event, Figures, Period, Unit, YearRecord
from ..content.values import Quantity


def total(values: Iterable[Quantity | None]) -> Quantity | None:
    """The honest sum of the figures given (``None`` entries skipped; none at all → None)."""
    return Quantity.sum(values)


NONE = "_none"
"""The category of an event on no observance or campaign (among kinds: of no kind); no registry id has ``_``."""


def category(event: Event) -> str:
    """What an event is charted under by occasion: its observance, else its campaign, else :data:`NONE`."""
    return event.observance or event.campaign or NONE


def kind(event: Event) -> str:
    """What an event is charted under by form: its kind, else :data:`NONE`."""
    return event.kind or NONE


@dataclass(frozen=True)
class YearFigures:
    """One unit's figures for one year, computed from its events, trainings and funding."""

    year: int
    events: int
    events_by_category: dict[str, int]
    events_by_kind: dict[str, int]
    audience: Quantity | None
    materials: Quantity | None
    training_sessions: Quantity | None
    people_trained: Quantity | None
    central_group_sessions: Quantity | None
    funding: Quantity | None
    reported: Figures
    sample: bool

    def figure(self, name: str) -> Quantity | None:
        """A figure by name: computed first, else as reported for the year."""
        computed = {
            "events": Quantity.of(self.events) if self.events else None,
            "audience": self.audience,
            "materials_distributed": self.materials,
            "trainings": self.training_sessions,
            "people_trained": self.people_trained,
            "central_group_sessions": self.central_group_sessions,
            "funding": self.funding,
        }.get(name)
        return computed if computed is not None else getattr(self.reported, name, None)


def year_figures(year: int, record: YearRecord) -> YearFigures:
    """Compute one year's figures from its record."""
    trainings = record.trainings
    funding = record.funding
    spent = total(item.amount for item in funding.items) if funding else None
    return YearFigures(
        year=year,
        events=len(record.events),
        events_by_category=dict(sorted(Counter(category(e) for e in record.events).items())),
        events_by_kind=dict(sorted(Counter(kind(e) for e in record.events).items())),
        audience=total(e.participants for e in record.events),
        materials=total(e.materials for e in record.events),
        training_sessions=total(t.sessions for t in trainings),
        people_trained=total(t.participants for t in trainings),
        central_group_sessions=total(t.sessions for t in trainings if t.kind == "central-group-study"),
        funding=spent if spent is not None else (funding.budget if funding else None) or record.figures.funding,
        reported=record.figures,
        sample=record.sample,
    )


@dataclass(frozen=True)
class PeriodFigures:
    """Figures over a plan period: one entry per year of the period, and totals."""

    period: Period
    years: tuple[YearFigures | None, ...]
    """One per year of the period, ``None`` for a year without data."""
    reported: Figures = field(default_factory=Figures)
    """Totals as reported for the whole period (a five-year summary's own figures)."""

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
        """Computed total over the years, else the reported period total."""
        computed = total(self.series(name)) if self.has_years else None
        return computed if computed is not None else getattr(self.reported, name, None)

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
        return any(y.sample for y in self.years if y)


def unit_period(unit: Unit, period: Period) -> PeriodFigures:
    """A unit's figures over ``period``."""
    years = tuple(year_figures(y, unit.years[y].record) if y in unit.years else None for y in period.years)
    record = unit.periods.get(period.id)
    return PeriodFigures(period, years, record.record.totals if record else Figures())


def site_period(content: Content, period: Period, per_unit: list[PeriodFigures] | None = None) -> PeriodFigures:
    """All units together over ``period`` (for the home page and the site-wide overview)."""
    per_unit = per_unit if per_unit is not None else [unit_period(u, period) for u in content.units]
    merged = []
    for index, year in enumerate(period.years):
        found = [p.years[index] for p in per_unit if p.years[index] is not None]
        merged.append(_merge(year, found) if found else None)
    return PeriodFigures(period, tuple(merged))


@dataclass(frozen=True)
class SiteFigures:
    """Every figure of the site, computed once per build and shared by all pages."""

    units: dict[str, dict[str, PeriodFigures]]
    """Unit id → period id → that unit's figures over the period."""
    site: dict[str, PeriodFigures]
    """Period id → all units together."""
    years: dict[tuple[str, int], YearFigures]
    """(unit id, year) → that unit's figures for the year."""

    def unit(self, unit_id: str, period_id: str) -> PeriodFigures:
        return self.units[unit_id][period_id]


def compute(content: Content) -> SiteFigures:
    """Compute the figures of every unit, year and period."""
    units = {u.id: {p.id: unit_period(u, p) for p in content.periods} for u in content.units}
    site = {p.id: site_period(content, p, [units[u.id][p.id] for u in content.units]) for p in content.periods}
    years = {(u.id, y.year): y for u in content.units for p in units[u.id].values() for y in p.years if y is not None}
    for unit in content.units:  # years outside every period
        for year, unit_year in unit.years.items():
            years.setdefault((unit.id, year), year_figures(year, unit_year.record))
    return SiteFigures(units, site, years)


def _merge(year: int, figures: list[YearFigures]) -> YearFigures:
    by_category: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for f in figures:
        by_category.update(f.events_by_category)
        by_kind.update(f.events_by_kind)
    return YearFigures(
        year=year,
        events=sum(f.events for f in figures),
        events_by_category=dict(sorted(by_category.items())),
        events_by_kind=dict(sorted(by_kind.items())),
        audience=total(f.audience for f in figures),
        materials=total(f.materials for f in figures),
        training_sessions=total(f.training_sessions for f in figures),
        people_trained=total(f.people_trained for f in figures),
        central_group_sessions=total(f.central_group_sessions for f in figures),
        funding=total(f.funding for f in figures),
        reported=Figures(),
        sample=any(f.sample for f in figures),
    )


def periods_with_data(content: Content, unit: Unit) -> list[Period]:
    """The periods for which ``unit`` has yearly data or a period record, in order."""
    return [p for p in content.periods if p.id in unit.periods or any(y in unit.years for y in p.years)]
