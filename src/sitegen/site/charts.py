"""Charts: ECharts options built with pyecharts, serialised safely, with a table, CSV and text.

A :class:`ChartSpec` (what to show, in one language) becomes a :class:`RenderedChart`:

- ``options_json``: the ECharts option object, built with pyecharts and then cleaned so it is
  deterministic (no random ids, no animation) and carries our own accessible description
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
import functools
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pyecharts import options as opts
from pyecharts.charts import Bar, Line

from ..content.values import Quantity
from . import buildcache
from .legend import grid_bottom, legend

Formatter = Callable[[Quantity | None], str]


@dataclass(frozen=True)
class Series:
    name: str
    """Label in the page's language."""
    values: tuple[Quantity | None, ...]
    """One per category; ``None`` = no data."""
    kind: Literal["bar", "line"] = "bar"
    stack: str | None = None
    """Series with the same stack are stacked."""
    axis: int = 0
    """0 = left y axis, 1 = right y axis."""
    key: str | None = None
    """The series id in the options (e.g. ``occasion:constitution-day``): what the series stands for."""
    colour: str | None = None
    """``#RRGGBB``; ``None`` leaves it to ECharts' palette."""
    members: tuple[str, ...] = ()
    """Names of what this series groups ("Other"): the table and CSV header list them."""


@dataclass(frozen=True)
class ChartSpec:
    name: str
    """Stable name, e.g. ``xinzhou-office/bawu/events``; the id derives from it."""
    lang: str
    """``zh`` or ``en``."""
    title: str
    categories: tuple[str, ...]
    """x-axis labels, e.g. ``("2021", …, "2025")``."""
    series: tuple[Series, ...]
    axis_names: tuple[str, ...]
    """y-axis name(s), e.g. ``("场",)`` or ``("sessions", "person-times")``."""
    summary: str
    """One sentence in the page's language, written by the caller."""
    category_label: str
    """Header of the first table column, e.g. ``年份`` / ``Year``."""


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


def safe_json(value: object) -> str:
    """Compact, key-sorted JSON that is safe inside HTML ``<script>`` and JavaScript source.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no ``</script>`` or
    ``<!--`` can appear); U+2028 and U+2029 become ``\\u2028``, ``\\u2029`` (line terminators
    in older JavaScript). These characters can only occur inside JSON strings, where the
    escapes mean the same characters, so ``json.loads`` gives back exactly ``value``.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


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
        options_json=_options_json(spec, cid, description),
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


# --------------------------------------------------------------------------- options


def _number(q: Quantity | None) -> int | float | None:
    """What the chart plots: the number (qualified or not), or null for no data."""
    return None if q is None else q.value


def _options_json(spec: ChartSpec, cid: str, description: str) -> str:
    """:func:`safe_json` of the options, kept in the build cache by the spec (``cid`` and ``description`` derive
    from it): the options must follow from the spec alone."""
    cache = buildcache.current()
    if cache is None:
        return safe_json(_options(spec, cid, description))
    return cache.memo(cache.key("chart", spec), str, lambda: safe_json(_options(spec, cid, description)))


def _options(spec: ChartSpec, cid: str, description: str) -> dict[str, Any]:
    """The spec's options: pyecharts' options for its shape, with its words put in (:func:`_skeleton`)."""
    words = _words(spec, cid)
    skeleton, exposed = _skeleton(_shape(spec, words))
    for token in exposed:  # a word pyecharts put outside the content keys is checked like pyecharts' own values
        if any(f in str(words[token]) for f in _FORBIDDEN):
            raise RuntimeError(f"pyecharts produced an unexpected value: {words[token]!r}")
    return _tidy(_filled(skeleton, words), spec, description)


def _words(spec: ChartSpec, cid: str) -> dict[str, Any]:
    """Each non-empty word of the spec (title, categories, axis and series names, id) by a token of its place."""
    places = {"id": cid, "title": spec.title}
    places |= {f"category{i}": c for i, c in enumerate(spec.categories)}
    places |= {f"axis{i}": a for i, a in enumerate(spec.axis_names)}
    places |= {f"series{i}": s.name for i, s in enumerate(spec.series)}
    return {f"\ue000{place}\ue000": word for place, word in places.items() if word != ""}


def _shape(spec: ChartSpec, words: dict[str, Any]) -> tuple[object, ...]:
    """What pyecharts' options depend on besides the words: the series' kinds, stacks and axes, and which places
    have a word (pyecharts drops an empty string)."""
    return (
        len(spec.categories),
        len(spec.axis_names),
        tuple((s.kind, s.stack, s.axis) for s in spec.series),
        frozenset(words),
    )


@functools.lru_cache(maxsize=256)
def _skeleton(shape: tuple[object, ...]) -> tuple[str, frozenset[str]]:
    """pyecharts' options for ``shape`` (JSON) with tokens for the words, without animation and checked, and the tokens
    it put outside the content keys: a page's dozens of charts have a few shapes, and pyecharts took half the
    time of planning them."""
    categories, axes, series, present = shape
    word = {token.strip("\ue000"): token for token in present}.get
    spec = ChartSpec(
        name="",
        lang="zh",
        title=word("title", ""),
        categories=tuple(word(f"category{i}", "") for i in range(categories)),
        series=tuple(
            Series(word(f"series{i}", ""), (None,) * categories, kind, stack, axis)
            for i, (kind, stack, axis) in enumerate(series)
        ),
        axis_names=tuple(word(f"axis{i}", "") for i in range(axes)),
        summary="",
        category_label="",
    )
    options = _pyecharts_options(spec, word("id", ""))
    _strip_animation(options)
    _check_clean(options)
    return json.dumps(options, ensure_ascii=False), frozenset(_exposed(options, present))


def _exposed(node: Any, tokens: frozenset[str], key: str = "") -> list[str]:
    """The tokens in ``node`` outside the content keys (which :func:`_check_clean` does not look into)."""
    if key in _CONTENT_KEYS:
        return []
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in _exposed(v, tokens, k)]
    if isinstance(node, list):
        return [t for v in node for t in _exposed(v, tokens)]
    return [node] if isinstance(node, str) and node in tokens else []


_TOKEN = re.compile('"\ue000[a-z]+[0-9]*\ue000"')


def _filled(skeleton: str, words: dict[str, Any]) -> Any:
    """The options of ``skeleton`` (JSON) with each token replaced by its word."""
    return json.loads(_TOKEN.sub(lambda m: json.dumps(words[m.group()[1:-1]], ensure_ascii=False), skeleton))


def _pyecharts_options(spec: ChartSpec, cid: str) -> dict[str, Any]:
    no_label = opts.LabelOpts(is_show=False)

    def init() -> opts.InitOpts:  # fresh each time: pyecharts' default arguments are shared objects
        return opts.InitOpts(
            chart_id=cid,
            renderer="svg",
            animation_opts=opts.AnimationOpts(animation=False),
            aria_opts=opts.AriaOpts(is_enable=False),
        )

    categories = list(spec.categories)
    bar = Bar(init_opts=init()).add_xaxis(categories)
    line = Line(init_opts=init()).add_xaxis(categories)
    for s in spec.series:
        data = [_number(q) for q in s.values]
        if s.kind == "bar":
            bar.add_yaxis(s.name, data, stack=s.stack, yaxis_index=s.axis, label_opts=no_label)
        else:
            line.add_yaxis(s.name, data, stack=s.stack, yaxis_index=s.axis, label_opts=no_label, is_connect_nones=False)
    if len(spec.axis_names) > 1:
        bar.extend_axis(
            yaxis=opts.AxisOpts(
                type_="value",
                name=spec.axis_names[1],
                position="right",
                splitline_opts=opts.SplitLineOpts(is_show=False),  # one grid, the left axis's
            )
        )
    bar.set_global_opts(
        title_opts=opts.TitleOpts(title=spec.title),
        legend_opts=opts.LegendOpts(),
        tooltip_opts=opts.TooltipOpts(trigger="axis", axis_pointer_type="shadow"),
        xaxis_opts=opts.AxisOpts(type_="category", splitline_opts=opts.SplitLineOpts(is_show=False)),
        yaxis_opts=opts.AxisOpts(type_="value", name=spec.axis_names[0], position="left"),
    )
    if any(s.kind == "line" for s in spec.series):
        bar.overlap(line)
    return json.loads(bar.dump_options())


def _tidy(options: dict[str, Any], spec: ChartSpec, description: str) -> dict[str, Any]:
    """Make pyecharts' options (animation stripped) deterministic, ordered as the spec, and described in our words."""
    # pyecharts puts bar series first and overlapped line series after, and gives line data
    # as [category, value] pairs; restore the spec's order and plain values (numbers or null).
    by_name = {s["name"]: s for s in options["series"]}
    options["series"] = []
    for s in spec.series:
        series = by_name[s.name]
        series["data"] = [_number(q) for q in s.values]
        series["animation"] = False
        if s.kind == "line":
            series["z"] = 3  # pyecharts draws lines at z 0, behind the bars; draw them on top
        _identify(series, s)
        options["series"].append(series)
    names = [s.name for s in spec.series]
    options["legend"] = [legend(options["legend"][0], names)]
    options["grid"] = [{"containLabel": True, "left": 16, "right": 16, "top": 64, "bottom": grid_bottom(names)}]
    options["animation"] = False
    # Our description, never pyecharts' Chinese templates ("这是一个关于…的图表").
    options["aria"] = {"enabled": True, "label": {"enabled": True, "description": description}}
    return options


def _identify(series: dict[str, Any], spec: Series) -> None:
    """The series' id and colour, when the spec gives them."""
    if spec.key is not None:
        series["id"] = spec.key
    if spec.colour is not None:
        series["itemStyle"] = {**series.get("itemStyle", {}), "color": spec.colour}
        if spec.kind == "line":
            series["lineStyle"] = {**series.get("lineStyle", {}), "color": spec.colour}


def _strip_animation(node: Any) -> None:
    """``animation: false`` wherever pyecharts set it; drop its durations and easings.

    Also drops ``hoverAnimation``, which ECharts 6 reports as deprecated in the console.
    """
    if isinstance(node, dict):
        for key in [k for k in node if k.startswith("animation") or k == "hoverAnimation"]:
            if key == "animation":
                node[key] = False
            else:
                del node[key]
        for value in node.values():
            _strip_animation(value)
    elif isinstance(node, list):
        for value in node:
            _strip_animation(value)


_FORBIDDEN = ("--x_x--0_0--", "pyecharts.org", "://")
"""JavaScript-function placeholders and any URL (pyecharts' CDN) must not reach a page."""
_CONTENT_KEYS = frozenset({"name", "text", "data", "description"})


def _check_clean(options: dict[str, Any]) -> None:
    """Fail if pyecharts put a URL or a JavaScript placeholder into the options."""

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in _CONTENT_KEYS:  # labels come from content and may say anything
                    walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        elif isinstance(node, str) and any(f in node for f in _FORBIDDEN):
            raise RuntimeError(f"pyecharts produced an unexpected value at {path}: {node!r}")

    walk(options, "options")


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
