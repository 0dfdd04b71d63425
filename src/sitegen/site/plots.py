"""Which charts a page shows, built from computed figures (the drawing is :mod:`sitegen.site.charts`).

Per unit and period, and site-wide: (1) publicity events per year stacked by observance
day / campaign / kind, (2) training sessions (bars) and people trained (line), (3) funding
per year (bars) with the cumulative total (line). Per year: events by month.
"""

from __future__ import annotations

from collections import Counter

from ..content.model import Content, Unit, YearRecord
from ..content.values import Quantity
from .charts import ChartSpec, RenderedChart, Series, render_chart
from .figures import PeriodFigures, category, total
from .i18n import MONTHS_EN, Locale

UNIT_OF: dict[str, str] = {
    "events": "events",
    "audience": "person_times",
    "materials_distributed": "copies",
    "trainings": "sessions",
    "people_trained": "person_times",
    "central_group_sessions": "sessions",
    "lectures": "sessions",
    "regular_meetings": "sessions",
    "funding": "yuan",
    "books_purchased": "volumes",
    "books_distributed": "volumes",
    "banners": "banners",
    "blackboard_issues": "issues",
    "media_channels": "channels",
    "media_posts": "posts",
    "exam_average_score": "points",
    "exam_pass_rate": "percent",
    "study_hours_completion": "percent",
    "incidents": "incidents",
}
"""Figure name → the unit it is counted in (also the names placeholders may use)."""


def category_names(content: Content, loc: Locale) -> dict[str, str]:
    """Display names of observances, campaigns and event kinds in ``loc``'s language."""
    names = {"other": "其他" if loc.lang == "zh" else "Other"}
    for item in (*content.kinds, *content.campaigns, *content.observances):
        names[item.id] = loc.text(item.name)
    return names


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
        name=f"{name}/{key}",
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
    """Publicity events per year, stacked by observance day, campaign or kind."""
    labels = series_labels(figures.categories, category_names(content, loc))
    series = tuple(
        Series(
            label,
            tuple(Quantity.of(y.events_by_category.get(cat, 0)) if y else None for y in figures.years),
            stack="events",
        )
        for cat, label in zip(figures.categories, labels, strict=True)
    )
    total_events = total(figures.series("events"))
    busiest = max((y for y in figures.years if y), key=lambda y: y.events)
    if loc.lang == "zh":
        summary = (
            f"{_span(figures, loc)}共开展宣传活动{loc.quantity(total_events, 'events')}，"
            f"其中{busiest.year}年最多（{busiest.events}场）。"
        )
    else:
        summary = (
            f"From {_span(figures, loc)} there were {loc.quantity(total_events, 'events')}; "
            f"the most, {busiest.events}, in {busiest.year}."
        )
    return _per_year(name, "events", figures, loc, series, (loc.unit("events"),), summary, loc.quantity)


def trainings_chart(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> RenderedChart:
    """Training sessions per year (bars) and people trained (line, right axis)."""
    sessions = total(figures.series("trainings"))
    people = total(figures.series("people_trained"))
    if loc.lang == "zh":
        summary = (
            f"{_span(figures, loc)}共举办学法培训{loc.quantity(sessions, 'sessions')}，"
            f"培训{loc.quantity(people, 'person_times')}。"
        )
    else:
        summary = (
            f"From {_span(figures, loc)} there were {loc.quantity(sessions, 'sessions')} of study and "
            f"training, reaching {loc.quantity(people, 'person_times')}."
        )
    series = (
        Series(loc.t("sessions"), figures.series("trainings")),
        Series(loc.t("people_trained"), figures.series("people_trained"), kind="line", axis=1),
    )
    axes = (loc.unit("sessions"), loc.unit("person_times"))
    # Two units in one table: the column headers name them, the cells are plain figures.
    return _per_year(name, "trainings", figures, loc, series, axes, summary, loc.quantity)


def funding_chart(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> RenderedChart:
    """Funding per year (bars) with the cumulative total over the period (line)."""
    overall = total(figures.series("funding"))
    summary = (
        f"{_span(figures, loc)}普法经费累计{loc.quantity(overall, 'yuan')}。"
        if loc.lang == "zh"
        else f"Funding over {_span(figures, loc)} totals {loc.quantity(overall, 'yuan')}."
    )
    series = (
        Series(loc.t("funding"), figures.series("funding")),
        Series(loc.t("cumulative"), figures.cumulative("funding"), kind="line"),
    )
    return _per_year(name, "funding", figures, loc, series, (loc.unit("yuan"),), summary, _fmt(loc, "yuan"))


def period_charts(content: Content, name: str, figures: PeriodFigures, loc: Locale) -> tuple[RenderedChart, ...]:
    """The three period charts for one unit."""
    return (
        events_chart(content, name, figures, loc),
        trainings_chart(content, name, figures, loc),
        funding_chart(content, name, figures, loc),
    )


def site_charts(
    content: Content, figures: PeriodFigures, loc: Locale, name: str | None = None
) -> tuple[RenderedChart, ...]:
    """The three period charts for all units together (``name`` defaults to ``site/<period>``)."""
    return period_charts(content, name or f"site/{figures.period.id}", figures, loc)


def year_chart(content: Content, unit: Unit, year: int, record: YearRecord, loc: Locale) -> RenderedChart:
    """Events of one year by month, stacked by category."""
    counts = Counter((category(e), e.date.month) for e in record.events)
    per_month = Counter(e.date.month for e in record.events)
    cats = sorted({cat for cat, _ in counts})
    months = range(1, 13)
    labels = series_labels(cats, category_names(content, loc))
    series = tuple(
        Series(label, tuple(Quantity.of(counts[cat, m]) for m in months), stack="events")
        for cat, label in zip(cats, labels, strict=True)
    )
    busiest = max(months, key=lambda m: per_month[m])
    count = per_month[busiest]
    if loc.lang == "zh":
        labels = tuple(f"{m}月" for m in months)
        summary = f"{year}年共开展宣传活动{len(record.events)}场，{busiest}月最多（{count}场）。"
    else:
        labels = tuple(m[:3] for m in MONTHS_EN)
        summary = (
            f"In {year} there were {len(record.events)} publicity events; the most, {count}, in {labels[busiest - 1]}."
        )
    spec = ChartSpec(
        name=f"{unit.id}/{year}/events-by-month",
        lang=loc.lang,
        title=loc.t("events") + (" · 按月" if loc.lang == "zh" else " by month"),
        categories=labels,
        series=series,
        axis_names=(loc.unit("events"),),
        summary=summary,
        category_label="月份" if loc.lang == "zh" else "Month",
    )
    return render_chart(spec, loc.quantity)  # counts; the axis and caption name the unit
