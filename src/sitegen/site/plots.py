"""Which charts a page shows, built from computed figures (the drawing is :mod:`sitegen.site.charts`).

Per unit and period, and site-wide: (1) publicity events per year stacked by occasion
(observance day or campaign, "other days" for neither), (2) training sessions (bars) and people
trained (line), (3) funding per year (bars) with the cumulative total (line), (4) events per year
stacked by kind. Per year: events by month, by occasion and by kind. Occasions and kinds are
never stacked together; their colours come from :mod:`sitegen.site.palette`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import partial

from ..content.identitymemo import IdentityMemo
from ..content.indicators import publicity_events
from ..content.model import Content, Unit, YearRecord
from ..content.values import Quantity
from .charts import ChartSpec, RenderedChart, Series, render_chart
from .figures import PeriodFigures, category, kind, kinds_of, total
from .i18n import MONTHS_EN, Locale
from .palette import OTHER, PALETTE, Family, grouped, kinds, occasions


def series_labels(cats: list[str] | tuple[str, ...], names: dict[str, str]) -> list[str]:
    """Legend labels of category series, all distinct (a chart needs that): a name that two
    categories share gets its id, e.g. ``宪法宣传 (lecture)``; a clash left after that a number."""
    shown = [names.get(cat, cat) for cat in cats]
    twice = {label for label, n in Counter(shown).items() if n > 1}
    labels: list[str] = []
    for label, cat in zip(shown, cats, strict=True):
        candidate = f"{label} ({cat})" if label in twice else label
        unique, n = candidate, 2
        while unique in labels:
            unique, n = f"{candidate} ({n})", n + 1
        labels.append(unique)
    return labels


def stacked(family: Family, counts: Sequence[Mapping[str, int] | None]) -> tuple[Series, ...]:
    """One stacked bar series per category of ``family`` found in ``counts`` (one mapping per x value,
    ``None`` = no data), each in its colour; categories that would share a colour go into "Other"."""
    overall: Counter[str] = Counter()
    for found in counts:
        overall.update(found or {})
    shown, members = grouped(family, overall)
    held = set(members)
    labels = series_labels(shown, family.names)

    def value(found: Mapping[str, int] | None, cat: str) -> Quantity | None:
        if found is None:
            return None
        return Quantity.of(sum(n for c, n in found.items() if c in held) if cat == OTHER else found.get(cat, 0))

    return tuple(
        Series(
            label,
            tuple(value(found, cat) for found in counts),
            stack="events",
            key=family.series_id(cat),
            colour=family.colour(cat),
            members=tuple(family.names.get(m, m) for m in members) if cat == OTHER else (),
        )
        for cat, label in zip(shown, labels, strict=True)
    )


def _span(figures: PeriodFigures, loc: Locale) -> str:
    p = figures.period
    return f"{p.start}—{p.end}年" if loc.lang == "zh" else f"{p.start}-{p.end}"


def _fmt(loc: Locale, unit: str):
    return lambda q: loc.quantity(q, unit)


def _per_year(
    name: str,
    key: str,
    figures: PeriodFigures,
    loc: Locale,
    series: tuple[Series, ...],
    axes: tuple[str, ...],
    summary: str,
    fmt,
) -> RenderedChart:
    """A chart with one category per year of the period."""
    spec = ChartSpec(
        name=f"{name}/{key.removeprefix('events_by_')}",  # events_by_kind: .../kind
        lang=loc.lang,
        title=loc.t(key),
        categories=tuple(str(y) for y in figures.period.years),
        series=series,
        axis_names=axes,
        summary=summary,
        category_label=loc.t("year"),
    )
    return render_chart(spec, fmt)


def events_chart(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> RenderedChart:
    """Publicity events per year, stacked by observance day or campaign ("other days": neither)."""
    series = stacked(occasions(content, loc), [y.events_by_category if y else None for y in figures.years])
    total_events = total(figures.series("events"))
    busiest = max((y for y in figures.years if y), key=lambda y: y.events)
    if loc.lang == "zh":
        summary = (
            f"{_span(figures, loc)}共开展宣传活动{loc.value(total_events, 'events')}，"
            f"其中{busiest.year}年最多（{busiest.events}场）。"
        )
    else:
        summary = (
            f"From {_span(figures, loc)} there were {loc.value(total_events, 'events')}; "
            f"the most, {busiest.events}, in {busiest.year}."
        )
    return _per_year(name, "events", figures, loc, series, (loc.unit("events"),), summary, loc.quantity)


def trainings_chart(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> RenderedChart:
    """Training sessions per year (bars) and people trained (line, right axis)."""
    sessions = total(figures.series("trainings"))
    people = total(figures.series("people_trained"))
    if loc.lang == "zh":
        summary = (
            f"{_span(figures, loc)}共举办学法培训{loc.value(sessions, 'trainings')}，"
            f"培训{loc.value(people, 'people_trained')}。"
        )
    else:
        summary = (
            f"From {_span(figures, loc)} there were {loc.value(sessions, 'trainings')} of study and "
            f"training, with {loc.value(people, 'people_trained')}."
        )
    series = (
        Series(loc.t("sessions"), figures.series("trainings"), key="trainings", colour=PALETTE[0]),
        Series(
            loc.t("people_trained"),
            figures.series("people_trained"),
            kind="line",
            axis=1,
            key="people_trained",
            colour=PALETTE[1],
        ),
    )
    axes = (loc.unit("sessions"), loc.unit("person_times"))
    # Two units in one table: the column headers name them, the cells are plain figures.
    return _per_year(name, "trainings", figures, loc, series, axes, summary, loc.quantity)


def funding_chart(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> RenderedChart:
    """Funding per year (bars) with the cumulative total over the period (line)."""
    overall = total(figures.series("funding"))
    summary = (
        f"{_span(figures, loc)}普法经费累计{loc.value(overall, 'funding')}。"
        if loc.lang == "zh"
        else f"Funding over {_span(figures, loc)} totals {loc.value(overall, 'funding')}."
    )
    series = (
        Series(loc.t("funding"), figures.series("funding"), key="funding", colour=PALETTE[2]),
        Series(loc.t("cumulative"), figures.cumulative("funding"), kind="line", key="cumulative", colour=PALETTE[1]),
    )
    return _per_year(name, "funding", figures, loc, series, (loc.unit("yuan"),), summary, _fmt(loc, "yuan"))


def _most(family: Family, counts: Mapping[str, int], loc: Locale) -> str:
    """``法治讲座（12场）`` / ``Lecture on the law (12)``: the category with the most events."""
    cat = min(counts, key=lambda c: (-counts[c], family.order(c)))
    name = family.names.get(cat, cat)
    return f"{name}（{counts[cat]}场）" if loc.lang == "zh" else f"{name} ({counts[cat]})"


def _kinds_summary(family: Family, counts: Mapping[str, int], when: str, loc: Locale) -> str:
    if not counts:
        return f"{when}没有宣传活动。" if loc.lang == "zh" else f"There were no publicity events in {when}."
    if loc.lang == "zh":
        return f"{when}的宣传活动按形式以{_most(family, counts, loc)}最多。"
    return f"By kind, the most publicity events in {when} were {_most(family, counts, loc)}."


def kinds_chart(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> RenderedChart:
    """Publicity events per year, stacked by kind (a chart apart from the occasions)."""
    family = kinds(content, loc)
    counts = [y.events_by_kind if y else None for y in figures.years]
    overall = Counter[str]()
    for found in counts:
        overall.update(found or {})
    summary = _kinds_summary(family, overall, _span(figures, loc), loc)
    return _per_year(
        name, "events_by_kind", figures, loc, stacked(family, counts), (loc.unit("events"),), summary, loc.quantity
    )


def period_charts(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> tuple[RenderedChart, ...]:
    """The period charts for one unit: events by occasion, trainings, funding, events by kind."""
    return (
        events_chart(content, name, figures, loc),
        trainings_chart(content, name, figures, loc),
        funding_chart(content, name, figures, loc),
        kinds_chart(content, name, figures, loc),
    )


def site_charts(
    content: Content, figures: PeriodFigures, loc: Locale, name: str | None = None
) -> tuple[RenderedChart, ...]:
    """The period charts for all units together (``name`` defaults to ``site/<period>``)."""
    return period_charts(content, name or f"site/{figures.period.id}", figures, loc)


def _months(loc: Locale) -> tuple[str, ...]:
    return tuple(f"{m}月" for m in range(1, 13)) if loc.lang == "zh" else tuple(m[:3] for m in MONTHS_EN)


def _by_month(record: YearRecord, of) -> list[dict[str, int]]:
    """Per month, the events of ``record`` counted by ``of(event)``."""
    counts = Counter((of(e), e.date.month) for e in record.events)
    return [{cat: n for (cat, m), n in sorted(counts.items()) if m == month} for month in range(1, 13)]


def _month_spec(name: str, title: str, series: tuple[Series, ...], summary: str, loc: Locale) -> ChartSpec:
    return ChartSpec(
        name=name,
        lang=loc.lang,
        title=title,
        categories=_months(loc),
        series=series,
        axis_names=(loc.unit("events"),),
        summary=summary,
        category_label="月份" if loc.lang == "zh" else "Month",
    )


def year_chart(content: Content, unit: Unit, year: int, record: YearRecord, loc: Locale) -> RenderedChart:
    """Events of one year by month, stacked by observance day or campaign."""
    series = stacked(occasions(content, loc), _by_month(record, category))
    per_month = Counter(e.date.month for e in record.events)
    busiest = max(range(1, 13), key=lambda m: per_month[m])
    count = per_month[busiest]
    if loc.lang == "zh":
        summary = f"{year}年共开展宣传活动{len(record.events)}场，{busiest}月最多（{count}场）。"
    else:
        month = _months(loc)[busiest - 1]
        summary = f"In {year} there were {len(record.events)} publicity events; the most, {count}, in {month}."
    title = loc.t("events") + (" · 按月" if loc.lang == "zh" else " by month")
    spec = _month_spec(f"{unit.id}/{year}/events-by-month", title, series, summary, loc)
    return render_chart(spec, loc.quantity)  # counts; the axis and caption name the unit


def year_kinds_chart(content: Content, unit: Unit, year: int, record: YearRecord, loc: Locale) -> RenderedChart:
    """Events of one year by month, stacked by kind."""
    family = kinds(content, loc)
    series = stacked(family, _by_month(record, kind))
    when = f"{year}年" if loc.lang == "zh" else str(year)
    summary = _kinds_summary(family, Counter(kind(e) for e in record.events), when, loc)
    title = loc.t("events_by_kind") + (" · 按月" if loc.lang == "zh" else ", per month")
    spec = _month_spec(f"{unit.id}/{year}/kinds-by-month", title, series, summary, loc)
    return render_chart(spec, loc.quantity)


def year_charts(content: Content, unit: Unit, year: int, record: YearRecord, loc: Locale) -> tuple[RenderedChart, ...]:
    """A year's charts of its publicity events (internal work left out; none without any): by occasion, then kind.
    Kept by the record's identity (``serve``: a unit's edit plans all its pages again, most years unchanged)."""
    make = partial(_year_charts, content, unit, year, record, loc)
    return _YEAR_CHARTS.get(
        record, (unit.id, year, loc.lang), make, (content.observances, content.campaigns, content.kinds)
    )


_YEAR_CHARTS: IdentityMemo[tuple[RenderedChart, ...]] = IdentityMemo(16384)


def _year_charts(content: Content, unit: Unit, year: int, record: YearRecord, loc: Locale) -> tuple[RenderedChart, ...]:
    record = record.model_copy(update={"events": publicity_events(record, kinds_of(content))})
    if not record.events:
        return ()
    return (year_chart(content, unit, year, record, loc), year_kinds_chart(content, unit, year, record, loc))
