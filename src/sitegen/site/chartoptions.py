"""A chart's ECharts options, built with pyecharts and made deterministic, described in our words and checked.

pyecharts builds the options once for each shape of chart (:func:`_skeleton`: the series' kinds, stacks and
axes, the number of categories, which labels are empty), with tokens for the words; each chart's words are put
in after. Building every chart through pyecharts was half the time of planning a site's pages. The options
are kept in the build cache by the spec (:func:`options_json`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any

from pyecharts import options as opts
from pyecharts.charts import Bar, Line

from ..content.values import Quantity
from . import buildcache
from .chartspec import ChartSpec, Series, safe_json
from .legend import grid_bottom, legend


def _number(q: Quantity | None) -> int | float | None:
    """What the chart plots: the number (qualified or not), or null for no data."""
    return None if q is None else q.value


def options_json(spec: ChartSpec, cid: str, description: str) -> str:
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


def _exposed(options: dict[str, Any], tokens: frozenset[str]) -> list[str]:
    """The tokens in ``options`` outside the content keys (which :func:`_check_clean` does not look into)."""
    return [text for _, text in _outside_content(options, "options") if text in tokens]


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
    for path, text in _outside_content(options, "options"):
        if any(f in text for f in _FORBIDDEN):
            raise RuntimeError(f"pyecharts produced an unexpected value at {path}: {text!r}")


def _outside_content(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in ``node`` outside the content keys (labels come from content and may say anything), with
    its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in _CONTENT_KEYS:
                yield from _outside_content(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _outside_content(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node
