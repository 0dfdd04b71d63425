"""Charts: ECharts options built with pyecharts, serialised safely, with a table, CSV and text.

A :class:`ChartSpec` (what to show, in one language) becomes a :class:`RenderedChart`:

- ``options_json``: the ECharts option object, built with pyecharts (:mod:`sitegen.site.chartoptions`)
  and cleaned so it is deterministic (no random ids, no animation) and carries our own accessible description
  (pyecharts' ``aria`` templates are Chinese whatever the page's language). It is serialised by
  :func:`safe_json`, which escapes ``<``, ``>``, ``&``, U+2028 and U+2029, so the text can sit
  inside ``<script type="application/json">`` whatever the labels contain.
- ``table``: the same figures as formatted text, so a chart is readable without JavaScript,
  by screen readers and on paper. Qualified figures ("1000余") keep their qualifier there; the
  chart plots their number.
- ``csv``: the table for spreadsheets: exact figures as plain numbers, everything else as text.
- ``description``: the title and the caller's one-sentence summary.

The page draws the chart with ``templates/assets/charts.js``; nothing here refers to a CDN.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..content.values import Quantity
from .chartoptions import options_json
from .chartspec import ChartSpec, Series, safe_json  # noqa: F401 (offered here)

Formatter = Callable[[Quantity | None], str]


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """Formatted cells; the first cell of a row is the category."""


@dataclass(frozen=True)
class RenderedChart:
    id: str
    """``chart-`` + slug of the name + 8 hex digits of its SHA-1: deterministic, a valid HTML id."""
    options_json: str
    """The ECharts option object, serialised by :func:`safe_json`."""
    table: Table
    csv: str
    """Header row and one row per category, RFC 4180 quoting, ``\\r\\n`` line ends, no BOM."""
    description: str
    """Accessible description: title and summary."""
    name: str = ""
    """The spec's stable name (``xinzhou-office/bawu/events``); templates find a chart by its last part."""


# --------------------------------------------------------------------------- public


def chart_id(name: str) -> str:
    """``chart-<slug>-<8 hex>``: readable, stable across runs, distinct for distinct names."""
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48].strip("-")
    return f"chart-{slug}-{digest}" if slug else f"chart-{digest}"


def render_chart(spec: ChartSpec, fmt: Formatter) -> RenderedChart:
    """Options, table, CSV and description of ``spec``; ``fmt`` formats a value for people."""
    _check(spec)
    cid = chart_id(spec.name)
    description = describe(spec)
    table = Table(
        caption=spec.title,
        head=(spec.category_label, *(header(spec, s) for s in spec.series)),
        rows=tuple((category, *(fmt(s.values[i]) for s in spec.series)) for i, category in enumerate(spec.categories)),
    )
    return RenderedChart(
        id=cid,
        options_json=options_json(spec, cid, description),
        table=table,
        csv=_csv(spec, fmt),
        description=description,
        name=spec.name,
    )


def header(spec: ChartSpec, series: Series) -> str:
    """A series' column header: its name, and the members it groups (``其他（甲、乙）`` / ``Other (a, b)``)."""
    if not series.members:
        return series.name
    if spec.lang == "zh":
        return f"{series.name}（{'、'.join(series.members)}）"
    return f"{series.name} ({', '.join(series.members)})"


def describe(spec: ChartSpec) -> str:
    """The accessible description: ``title：summary`` (zh) or ``title: summary`` (en)."""
    title, summary = spec.title.strip(), spec.summary.strip()
    if not title:
        return summary
    if not summary:
        return title
    if title[-1] in "。：！？.:!?":
        return f"{title}{summary}" if spec.lang == "zh" else f"{title} {summary}"
    return f"{title}：{summary}" if spec.lang == "zh" else f"{title}: {summary}"


# --------------------------------------------------------------------------- checks


def _check(spec: ChartSpec) -> None:
    """Programming mistakes in a spec fail loudly here, not as a silently wrong chart."""
    problems = []
    if not spec.name:
        problems.append("name is empty")
    if spec.lang not in ("zh", "en"):
        problems.append(f"lang must be 'zh' or 'en', not {spec.lang!r}")
    if not 1 <= len(spec.axis_names) <= 2:
        problems.append(f"axis_names must name one or two y axes, not {len(spec.axis_names)}")
    names = [s.name for s in spec.series]
    if len(set(names)) != len(names):
        problems.append(f"series names must differ (the legend and table use them): {names}")
    keys = [s.key for s in spec.series if s.key is not None]
    if len(set(keys)) != len(keys):
        problems.append(f"series keys must differ: {keys}")
    colours = [s.colour for s in spec.series if s.colour is not None]
    if len(set(colours)) != len(colours):
        problems.append(f"series colours must differ (a reader tells series apart by them): {colours}")
    for s in spec.series:
        if len(s.values) != len(spec.categories):
            problems.append(f"series {s.name!r} has {len(s.values)} values for {len(spec.categories)} categories")
        if s.kind not in ("bar", "line"):
            problems.append(f"series {s.name!r}: kind must be 'bar' or 'line', not {s.kind!r}")
        if s.axis not in (0, 1) or s.axis >= len(spec.axis_names):
            problems.append(f"series {s.name!r}: axis {s.axis} has no name in axis_names {spec.axis_names}")
    if problems:
        raise ValueError(f"chart {spec.name!r}: " + "; ".join(problems))


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: int | float) -> str:
    """A number as a spreadsheet reads it: no grouping, no exponent."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _text_cell(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP: CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(q: Quantity | None, fmt: Formatter) -> str:
    if q is None:
        return ""  # no data: an empty cell, as spreadsheets expect
    if q.exact:
        return _plain(q.value)  # type: ignore[arg-type]  # exact implies a value
    return _text_cell(fmt(q))  # qualified ("1000+"), redacted or unreadable: as people read it


def _csv(spec: ChartSpec, fmt: Formatter) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_text_cell(spec.category_label), *(_text_cell(header(spec, s)) for s in spec.series)])
    for i, category in enumerate(spec.categories):
        writer.writerow([_text_cell(category), *(_csv_cell(s.values[i], fmt) for s in spec.series)])
    return out.getvalue()
