"""Chart options are deterministic, safe inside HTML, and come with a table, CSV and description."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.content.values import Quantity
from sitegen.site.charts import ChartSpec, RenderedChart, Series, Table, chart_id, render_chart, safe_json

ROOT = Path(__file__).resolve().parents[1]
EVIL = "</script><script>alert(1)</script>"
HTML_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")  # valid in HTML, CSS selectors and file names


def q(value: float, qualifier: str = "exact") -> Quantity:
    return Quantity(value=value, qualifier=qualifier)


def fmt(x: Quantity | None) -> str:
    """A simple formatter, as a caller would pass: thousands separators, "+" for "more than"."""
    if x is None:
        return "—"
    if x.value is None:
        return f"[{x.redacted or x.unreadable}]"
    text = f"{x.value:,}"
    return {"exact": text, "more_than": text + "+", "at_least": "≥" + text, "about": "~" + text}[x.qualifier]


YEARS = ("2021", "2022", "2023", "2024", "2025")


def spec(**changes) -> ChartSpec:
    base = dict(
        name="xinzhou-office/bawu/trainings",
        lang="en",
        title="Study and training",
        categories=YEARS,
        series=(
            Series("Sessions", (q(3), q(12000), None, q(1000, "more_than"), Quantity(redacted="xx"))),
            Series("People trained", (q(120), q(130.5), q(90), None, q(10, "about")), kind="line", axis=1),
        ),
        axis_names=("sessions", "person-times"),
        summary="From 2021-2025 there were more than 13,003 sessions.",
        category_label="Year",
    )
    base.update(changes)
    return ChartSpec(**base)


def options(chart: RenderedChart) -> dict:
    return json.loads(chart.options_json)


# --------------------------------------------------------------------------- ids


def test_id_is_stable_and_derived_from_the_name() -> None:
    a = render_chart(spec(), fmt)
    b = render_chart(spec(title="Another title", summary="Other words."), fmt)
    assert a.id == b.id == chart_id("xinzhou-office/bawu/trainings")
    digest = hashlib.sha1(b"xinzhou-office/bawu/trainings").hexdigest()[:8]
    assert a.id == f"chart-xinzhou-office-bawu-trainings-{digest}"
    assert render_chart(spec(name="xinzhou-office/bawu/funding"), fmt).id != a.id


@pytest.mark.parametrize(
    "name",
    [
        "xinzhou-office/bawu/events",
        "Xinzhou Office/BAWU/events",
        "新洲区委办/八五普法/活动",
        "a" * 300,
        "--/--",
        "1/2/3",
    ],
)
def test_ids_are_valid_html_ids(name: str) -> None:
    cid = chart_id(name)
    assert HTML_ID.match(cid), cid
    assert len(cid) <= 6 + 48 + 1 + 8
    assert chart_id(name) == cid


def test_different_names_give_different_ids() -> None:
    names = ["a/b", "a-b", "A/B", "a b", "新洲/活动", "新洲/培训", "site/bawu/events", "site/qiwu/events"]
    ids = [chart_id(n) for n in names]
    assert len(set(ids)) == len(ids)


# --------------------------------------------------------------------------- table and CSV


def test_table_shows_formatted_values_with_qualifiers() -> None:
    chart = render_chart(spec(), fmt)
    assert chart.table == Table(
        caption="Study and training",
        head=("Year", "Sessions", "People trained"),
        rows=(
            ("2021", "3", "120"),
            ("2022", "12,000", "130.5"),
            ("2023", "—", "90"),
            ("2024", "1,000+", "—"),
            ("2025", "[xx]", "~10"),
        ),
    )


def test_none_is_passed_to_the_callers_formatter() -> None:
    seen: list[Quantity | None] = []

    def recording(x: Quantity | None) -> str:
        seen.append(x)
        return "n/a" if x is None else str(x.value)

    chart = render_chart(spec(), recording)
    assert seen.count(None) == 2
    assert chart.table.rows[2][1] == "n/a" and chart.table.rows[3][2] == "n/a"


def test_csv_has_plain_numbers_for_exact_values_and_text_otherwise() -> None:
    chart = render_chart(spec(), fmt)
    assert chart.csv == (
        "Year,Sessions,People trained\r\n"
        "2021,3,120\r\n"
        "2022,12000,130.5\r\n"
        "2023,,90\r\n"
        '2024,"1,000+",\r\n'
        "2025,[xx],~10\r\n"
    )
    assert not chart.csv.startswith("\ufeff")


def test_csv_quoting_follows_rfc_4180() -> None:
    tricky = 'Lectures, "open" days\nand more'
    chart = render_chart(
        spec(series=(Series(tricky, tuple(q(i) for i in range(5))),), axis_names=("sessions",)),
        fmt,
    )
    assert chart.csv.startswith('Year,"Lectures, ""open"" days\nand more"\r\n')
    rows = list(csv.reader(io.StringIO(chart.csv, newline="")))
    assert rows[0] == ["Year", tricky]
    assert rows[1:] == [[y, str(i)] for i, y in enumerate(YEARS)]


def test_csv_text_cannot_become_a_spreadsheet_formula() -> None:
    chart = render_chart(
        spec(
            categories=('=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "2025"),
            series=(Series("=cmd|' /C calc'!A0", (q(1), q(2), q(3), q(4), q(5, "about"))),),
            axis_names=("sessions",),
        ),
        fmt,
    )
    rows = list(csv.reader(io.StringIO(chart.csv, newline="")))
    assert rows[0][1] == "'=cmd|' /C calc'!A0"
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("x")', "'+1", "'-1", "'@SUM(A1)", "2025"]
    assert rows[5][1] == "~5"
    # the table (HTML, escaped by the template) shows the text exactly
    assert chart.table.rows[0][0] == '=HYPERLINK("x")'


# --------------------------------------------------------------------------- options


def test_options_plot_numbers_and_null() -> None:
    opts = options(render_chart(spec(), fmt))
    assert [s["name"] for s in opts["series"]] == ["Sessions", "People trained"]
    assert opts["series"][0]["data"] == [3, 12000, None, 1000, None]  # qualified: its number; redacted: a gap
    assert opts["series"][1]["data"] == [120, 130.5, 90, None, 10]
    assert opts["xAxis"][0]["data"] == list(YEARS)
    assert opts["xAxis"][0]["type"] == "category"
    assert opts["title"][0]["text"] == "Study and training"
    assert opts["legend"][0]["data"] == ["Sessions", "People trained"]
    assert opts["tooltip"]["trigger"] == "axis"


def test_series_keep_the_specs_order() -> None:
    s = spec(
        series=(
            Series("line first", tuple(q(1) for _ in YEARS), kind="line"),
            Series("bar", tuple(q(2) for _ in YEARS)),
            Series("line again", tuple(q(3) for _ in YEARS), kind="line"),
        ),
        axis_names=("x",),
    )
    opts = options(render_chart(s, fmt))
    assert [(x["name"], x["type"]) for x in opts["series"]] == [
        ("line first", "line"),
        ("bar", "bar"),
        ("line again", "line"),
    ]
    assert opts["legend"][0]["data"] == ["line first", "bar", "line again"]
    assert all(x["data"] in ([1] * 5, [2] * 5, [3] * 5) for x in opts["series"])  # no [category, value] pairs


def test_stacked_series_share_their_stack() -> None:
    s = spec(
        series=(
            Series("宪法日", tuple(q(1) for _ in YEARS), stack="events"),
            Series("民法典", tuple(q(2) for _ in YEARS), stack="events"),
            Series("alone", tuple(q(3) for _ in YEARS)),
        ),
        axis_names=("场",),
        lang="zh",
    )
    opts = options(render_chart(s, fmt))
    assert [x.get("stack") for x in opts["series"]] == ["events", "events", None]


def test_second_axis_only_when_a_series_uses_it() -> None:
    two = options(render_chart(spec(), fmt))
    assert [a["name"] for a in two["yAxis"]] == ["sessions", "person-times"]
    assert [a.get("position") for a in two["yAxis"]] == ["left", "right"]
    assert [s["yAxisIndex"] for s in two["series"]] == [0, 1]
    one = options(render_chart(spec(series=spec().series[:1], axis_names=("sessions",)), fmt))
    assert [a["name"] for a in one["yAxis"]] == ["sessions"]


def test_bad_specs_fail_loudly() -> None:
    with pytest.raises(ValueError, match="4 values for 5 categories"):
        render_chart(spec(series=(Series("x", (q(1),) * 4),), axis_names=("a",)), fmt)
    with pytest.raises(ValueError, match="axis 1 has no name"):
        render_chart(spec(axis_names=("sessions",)), fmt)
    with pytest.raises(ValueError, match="lang"):
        render_chart(spec(lang="fr"), fmt)
    with pytest.raises(ValueError, match="series names must differ"):
        render_chart(spec(series=(spec().series[0], spec().series[0])), fmt)


# --------------------------------------------------------------------------- accessibility


PYECHARTS_ARIA_DEFAULTS = ("图表", "这是一个", "图表类型是", "其数据是", "的数据是", "它由", "个图表系列组成")


def test_aria_description_is_ours_in_english() -> None:
    chart = render_chart(spec(), fmt)
    assert chart.description == "Study and training: From 2021-2025 there were more than 13,003 sessions."
    opts = options(chart)
    assert opts["aria"] == {"enabled": True, "label": {"enabled": True, "description": chart.description}}
    for default in PYECHARTS_ARIA_DEFAULTS:
        assert default not in chart.options_json
    assert not re.search(r"[\u4e00-\u9fff]", chart.options_json)  # nothing Chinese on an English chart


def test_aria_description_in_chinese() -> None:
    chart = render_chart(
        spec(
            lang="zh",
            title="学法培训",
            summary="2021—2025年共举办学法培训1000余场。",
            axis_names=("场", "人次"),
        ),
        fmt,
    )
    assert chart.description == "学法培训：2021—2025年共举办学法培训1000余场。"
    assert options(chart)["aria"]["label"]["description"] == chart.description


def test_no_animation_cdn_or_placeholders() -> None:
    chart = render_chart(spec(), fmt)
    opts = options(chart)
    assert opts["animation"] is False

    def walk(node, path=""):
        if isinstance(node, dict):
            for k, v in node.items():
                assert not (k.startswith("animation") and k != "animation"), path + k
                assert k != "hoverAnimation", path + k
                if k == "animation":
                    assert v is False, path + k
                walk(v, f"{path}{k}.")
        elif isinstance(node, list):
            for v in node:
                walk(v, path)

    walk(opts)
    for bad in ("http", "//", "pyecharts", "assets", "--x_x--", "function"):
        assert bad not in chart.options_json
    assert chart.id not in chart.options_json  # the id lives in the page, not in the options


# --------------------------------------------------------------------------- safety


def test_script_breakout_and_line_separators_are_escaped() -> None:
    nasty = EVIL + "\u2028\u2029 & <!-- -->"
    s = spec(
        title=nasty,
        summary="s" + nasty,
        categories=(nasty, *YEARS[1:]),
        series=(Series(nasty, (q(1),) * 5), Series("b" + nasty, (q(2),) * 5, kind="line", axis=1)),
        axis_names=("a" + nasty, "z" + nasty),
    )
    chart = render_chart(s, fmt)
    for ch in ("<", ">", "&", "\u2028", "\u2029"):
        assert ch not in chart.options_json
    assert "\\u003c/script\\u003e" in chart.options_json
    opts = options(chart)
    assert opts["title"][0]["text"] == nasty
    assert opts["xAxis"][0]["data"][0] == nasty
    assert [x["name"] for x in opts["series"]] == [nasty, "b" + nasty]
    assert opts["legend"][0]["data"] == [nasty, "b" + nasty]
    assert [a["name"] for a in opts["yAxis"]] == ["a" + nasty, "z" + nasty]
    assert opts["aria"]["label"]["description"] == chart.description
    assert nasty in chart.description


def test_safe_json() -> None:
    value = {"b": ["</script>", "a&b", "\u2028\u2029"], "a": 1.5, "c": None, "d": "中文"}
    text = safe_json(value)
    assert text == ('{"a":1.5,"b":["\\u003c/script\\u003e","a\\u0026b","\\u2028\\u2029"],"c":null,"d":"中文"}')
    assert json.loads(text) == value
    with pytest.raises(ValueError):
        safe_json(float("nan"))


# --------------------------------------------------------------------------- determinism

SNIPPET = """
import json, sys
sys.path.insert(0, {src!r})
sys.path.insert(0, {tests!r})
from test_charts import spec, fmt
from sitegen.site.charts import render_chart
c = render_chart(spec(), fmt)
sys.stdout.buffer.write(json.dumps([c.id, c.options_json, c.csv, c.description]).encode())
"""


def test_output_is_byte_identical_across_processes_and_hash_seeds() -> None:
    code = SNIPPET.format(src=str(ROOT / "src"), tests=str(ROOT / "tests"))
    outputs = []
    for seed in ("0", "1", "4242", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=120, check=True)
        outputs.append(proc.stdout)
    assert len(set(outputs)) == 1
    here = render_chart(spec(), fmt)
    assert json.loads(outputs[0]) == [here.id, here.options_json, here.csv, here.description]


def test_same_spec_twice_in_one_process() -> None:
    assert render_chart(spec(), fmt) == render_chart(spec(), fmt)


# --------------------------------------------------------------------------- in JavaScript

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")
CHARTS_JS = ROOT / "templates" / "assets" / "charts.js"

# A minimal page for charts.js: two charts, a fake ECharts that records what it is asked to do.
HARNESS = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const listeners = {};
const calls = [];
function element(id, dataset) {
  const attrs = {};
  return { id, dataset, clientHeight: 300, clientWidth: 600, textContent: "", attrs, style: {},
           setAttribute(k, v) { attrs[k] = String(v); } };
}
const charts = input.ids.map((id) => element(id, { chart: id }));
const scripts = {};
input.ids.forEach((id, i) => { scripts[id + "-options"] = { textContent: input.options[i] }; });
global.document = {
  readyState: "loading",
  documentElement: { lang: input.lang },
  addEventListener(type, fn) { listeners[type] = fn; },
  querySelectorAll(sel) { calls.push(["query", sel]); return charts; },
  getElementById(id) { return scripts[id] || null; },
  createElement(tag) { return { getContext() { return null; } }; },  // no canvas: charts.js estimates
};
global.window = {
  addEventListener(type, fn) { listeners["window:" + type] = fn; },
  console,
};
if (input.withEcharts) {
  window.echarts = { init(el, theme, opts) {
    calls.push(["init", el.id, theme, opts]);
    return {
      setOption(o) { calls.push(["setOption", el.id, o]); },
      resize() { calls.push(["resize", el.id]); },
    };
  } };
}
require(input.script);
calls.push(["loaded"]);
listeners.DOMContentLoaded && listeners.DOMContentLoaded();
if (listeners["window:resize"]) { listeners["window:resize"](); listeners["window:resize"](); }
setTimeout(() => {
  process.stdout.write(JSON.stringify({ calls, attrs: charts.map((c) => c.attrs),
                                        resize: Boolean(listeners["window:resize"]),
                                        minHeights: charts.map((c) => c.style.minHeight) }));
}, 400);
"""


def run_charts_js(lang: str, with_echarts: bool) -> dict:
    a = render_chart(spec(), fmt)
    b = render_chart(spec(name="other", lang="zh", title=EVIL), fmt)
    payload = {
        "script": str(CHARTS_JS),
        "lang": lang,
        "withEcharts": with_echarts,
        "ids": [a.id, b.id],
        "options": [a.options_json, b.options_json],
    }
    proc = subprocess.run(
        [NODE, "-e", HARNESS],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


@needs_node
def test_charts_js_draws_every_chart_with_svg_and_the_pages_locale() -> None:
    result = run_charts_js("en", with_echarts=True)
    inits = [c for c in result["calls"] if c[0] == "init"]
    assert [c[3] for c in inits] == [{"renderer": "svg", "locale": "EN"}] * 2
    assert result["calls"].index(["loaded"]) < result["calls"].index(inits[0])  # waits for DOMContentLoaded
    set_options = [c for c in result["calls"] if c[0] == "setOption"]
    assert set_options[0][2] == json.loads(render_chart(spec(), fmt).options_json)
    fit = set_options[1][2]  # then the legend fitted to the chart's width: every name, room below the plot
    assert fit["legend"][0]["data"] == set_options[0][2]["legend"][0]["data"] and fit["grid"][0]["bottom"] > 0
    assert set_options[2][2]["title"][0]["text"] == EVIL  # parsed as data, never as markup
    assert all(h.endswith("px") and float(h[:-2]) > 160 for h in result["minHeights"])
    assert result["attrs"] == [{"data-rendered": "true"}] * 2
    resizes = [c for c in result["calls"] if c[0] == "resize"]
    assert len(resizes) == 2  # two resize events in quick succession: one redraw per chart
    zh = run_charts_js("zh-CN", with_echarts=True)
    assert {c[3]["locale"] for c in zh["calls"] if c[0] == "init"} == {"ZH"}


@needs_node
def test_charts_js_does_nothing_without_echarts() -> None:
    result = run_charts_js("en", with_echarts=False)
    assert not [c for c in result["calls"] if c[0] in ("init", "setOption")]
    assert result["attrs"] == [{}, {}]
    assert result["resize"] is False


def test_charts_js_makes_no_requests() -> None:
    source = CHARTS_JS.read_text(encoding="utf-8")
    for bad in (
        "http",
        "//cdn",
        "fetch(",
        "XMLHttpRequest",
        "import ",
        "eval(",
        "innerHTML",
        "document.write",
    ):
        assert bad not in source, bad


SSR = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const problems = [];
for (const level of ["warn", "error"]) { console[level] = (...args) => problems.push(args.join(" ")); }
const echarts = require(input.script);
const out = input.charts.map(([options, locale]) => {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 800, height: 400, locale });
  chart.setOption(JSON.parse(options));
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
});
process.stdout.write(JSON.stringify({ svgs: out, problems }));
"""


@needs_node
def test_real_echarts_draws_the_options() -> None:
    from sitegen.site.vendor import VendorError, ensure_echarts

    try:
        script = ensure_echarts().script  # the same cache the build uses
    except VendorError:
        if os.environ.get("CI"):
            raise
        pytest.skip("ECharts could not be obtained here (no npm and no cache)")
    en = render_chart(spec(), fmt)
    zh = render_chart(spec(lang="zh", title=EVIL, categories=("2021年", *YEARS[1:])), fmt)
    payload = {"script": str(script), "charts": [[en.options_json, "EN"], [zh.options_json, "ZH"]]}
    proc = subprocess.run(
        [NODE, "-e", SSR], input=json.dumps(payload), capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(proc.stdout)
    assert result["problems"] == []
    svg_en, svg_zh = result["svgs"]
    for text in ("Study and training", "Sessions", "People trained", "2025", "sessions", "person-times"):
        assert text in svg_en
    assert svg_en.count("<path") > 5  # bars and a line were drawn
    assert "&lt;/script&gt;" in svg_zh and "</script>" not in svg_zh  # ECharts escapes text in SVG
    assert "2021年" in svg_zh


SHAPES = [
    {},
    {"title": ""},  # pyecharts drops an empty string: a shape of its own
    {"axis_names": ("sessions",), "series": (Series("A", (q(1),) * 5, stack="s"), Series("B", (q(2),) * 5, stack="s"))},
    {
        "categories": ("一月", "", "三月"),
        "series": (Series("线", (q(1), None, q(3)), kind="line"),),
        "axis_names": ("",),
    },
    {"title": "http://example.org/ title", "series": (Series("--x_x--0_0-- www", (q(1),) * 5),), "axis_names": ("x",)},
]


@pytest.mark.parametrize("changes", SHAPES)
def test_options_from_a_shape_are_pyecharts_options_for_the_spec(changes):
    """Options are made once per shape with tokens for the words (title, categories, names) and the words put
    in after: they must be what pyecharts gives for the spec itself, whatever the words."""
    from sitegen.site import chartoptions

    s = spec(**changes)
    if "--x_x--0_0--" not in s.series[0].name:  # pyecharts cuts its placeholder out of any string (broken JSON)
        direct = chartoptions._pyecharts_options(s, chart_id(s.name))
        chartoptions._strip_animation(direct)
        assert chartoptions._options(s, chart_id(s.name), "d") == chartoptions._tidy(direct, s, "d")
    options = json.loads(render_chart(s, fmt).options_json)
    assert [x["name"] for x in options["series"]] == [x.name for x in s.series]
    assert options["xAxis"][0]["data"] == list(s.categories)


def test_charts_of_one_shape_keep_their_own_words():
    first, second = spec(), spec(title="Other", categories=("a", "b", "c", "d", "e"))
    second = spec(
        title="Other",
        categories=("a", "b", "c", "d", "e"),
        series=tuple(Series(x.name + "!", x.values, x.kind, x.stack, x.axis) for x in first.series),
    )
    a, b = (json.loads(render_chart(s, fmt).options_json) for s in (first, second))
    assert a["title"][0]["text"] == "Study and training" and b["title"][0]["text"] == "Other"
    assert a["xAxis"][0]["data"] == list(YEARS) and b["xAxis"][0]["data"] == list("abcde")
    assert [x["name"] for x in b["series"]] == ["Sessions!", "People trained!"]
    assert a == json.loads(render_chart(first, fmt).options_json)  # the shared skeleton was not changed
