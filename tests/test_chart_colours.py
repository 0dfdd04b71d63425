"""Charts a reader can trust: one colour per category everywhere, none shared within a chart,
occasions (observances, campaigns) and event kinds charted apart, "Other" saying what it holds,
legends never truncated."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest

from browser import build_site, chromium, serve
from conftest import ROOT, make_site
from sitegen.site.legend import grid_bottom
from sitegen.site.palette import PALETTE
from sitegen.site.pipeline import build

OPTIONS = re.compile(rb'<script type="application/json" id="([^"]+)-options">(.*?)</script>', re.S)


def charts_of(files: dict[str, bytes]) -> Iterator[tuple[str, str, dict]]:
    """(page, chart id, options) of every chart on every page."""
    for name, data in sorted(files.items()):
        if name.endswith(".html"):
            for cid, text in OPTIONS.findall(data):
                yield name, cid.decode(), json.loads(text)


def family(series: dict) -> str:
    return series.get("id", "").partition(":")[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("colours") / "output"
    return build(ROOT / "content", out, templates=ROOT / "templates", write=False).files


@pytest.fixture(scope="module")
def charts(files: dict[str, bytes]) -> list[tuple[str, str, dict]]:
    found = list(charts_of(files))
    assert len(found) > 40  # every page's charts, both languages
    return found


def test_no_two_series_of_a_chart_share_a_colour(charts: list[tuple[str, str, dict]]) -> None:
    for page, cid, options in charts:
        colours = [s["itemStyle"]["color"] for s in options["series"]]
        assert len(set(colours)) == len(colours), (page, cid)


def test_a_category_has_one_colour_on_every_chart_and_page(charts: list[tuple[str, str, dict]]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for _, _, options in charts:
        for s in options["series"]:
            seen[s["id"]].add(s["itemStyle"]["color"])
    assert {key for key, colours in seen.items() if len(colours) > 1} == set()
    assert {"occasion:constitution-day", "occasion:national-security-day", "kind:lecture"} <= set(seen)
    # the April day and the June day of issue 9, once sharing a colour
    assert seen["occasion:national-security-day"] != seen["occasion:anti-drug-day"]


def test_occasions_and_kinds_are_charted_apart(charts: list[tuple[str, str, dict]]) -> None:
    stacked = 0
    for page, cid, options in charts:
        families = {family(s) for s in options["series"]}
        assert not {"occasion", "kind"} <= families, (page, cid)
        stacked += bool(families & {"occasion", "kind"})
    assert stacked >= 8
    home = [o for page, _, o in charts if page == "zh/index.html"]
    assert [sorted({family(s) for s in o["series"]}) for o in home] == [
        ["occasion"],
        ["people_trained", "trainings"],
        ["cumulative", "funding"],
        ["kind"],
    ]
    names = {s["name"] for s in home[0]["series"]}
    assert "其他日常活动" in names and "法治讲座" not in names  # events on no observance or campaign


def test_legends_are_plain_and_never_truncated(charts: list[tuple[str, str, dict]]) -> None:
    for page, cid, options in charts:
        (legend,) = options["legend"]
        names = [s["name"] for s in options["series"]]
        assert legend["type"] == "plain" and legend["data"] == names, (page, cid)
        assert not {k for k in legend if "formatter" in k.lower() or k.startswith("page")}, (page, cid)
        assert legend.get("textStyle", {}).get("overflow") in (None, "break"), (page, cid)
        assert options["grid"][0]["bottom"] == grid_bottom(names), (page, cid)


def test_room_for_the_legend_grows_with_its_entries() -> None:
    few, many = grid_bottom(["国家宪法日"]), grid_bottom([f"纪念日名称{i}" for i in range(30)])
    assert many > few + 4 * 24
    assert grid_bottom(["x" * 200]) > grid_bottom(["x" * 20])  # a long name wraps onto more lines


# --------------------------------------------------------------------------- more categories than colours

CAMPAIGNS = 25


def crowded_site(tmp_path: Path) -> Path:
    """A site with more campaigns and kinds than the palette has colours, campaign i having i+1 events."""
    campaigns = "".join(f"\n  - id: c{i:02d}\n    name: 专项活动{i:02d}" for i in range(CAMPAIGNS))
    kinds = "".join(f"\n  - id: k{i:02d}\n    name: 形式{i:02d}" for i in range(CAMPAIGNS))
    events = "".join(
        f"\n  - date: 2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}\n    title: 活动"
        f"\n    campaign: c{i:02d}\n    kind: k{i:02d}"
        for i in range(CAMPAIGNS)
        for n in range(i + 1)
    )
    observances = "observances:\n  - id: constitution-day\n    name: 国家宪法日\n    date: 12-04\n"
    return make_site(
        tmp_path,
        {
            "observances.yaml": f"{observances}campaigns:{campaigns}\nkinds:{kinds}\n",
            "units/demo/2021.yaml": f"events:{events}\n",
        },
    )


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    content = crowded_site(tmp_path_factory.mktemp("crowded"))
    return build(content, content.parent / "output", templates=ROOT / "templates", write=False).files


@pytest.mark.parametrize("page", ["zh/units/demo/bawu/index.html", "zh/units/demo/2021/index.html"])
@pytest.mark.parametrize("kind", ["occasion", "kind"])
def test_a_crowded_chart_groups_the_smallest_into_other_and_says_so(
    crowded: dict[str, bytes], page: str, kind: str
) -> None:
    (cid, options), *_ = [(c, o) for p, c, o in charts_of(crowded) if p == page and family(o["series"][0]) == kind]
    series = options["series"]
    assert len(series) <= len(PALETTE) + 1 and series[-1]["id"] == f"{kind}:_other" and series[-1]["name"] == "其他"
    assert len({s["itemStyle"]["color"] for s in series}) == len(series)
    tree = html5lib.HTMLParser(namespaceHTMLElements=False).parse(crowded[page])
    (block,) = [el for el in tree.iter("figure") if el.get("id") == cid + "-block"]
    head = ["".join(th.itertext()) for th in block.iter("th") if th.get("scope") == "col"]
    table = crowded[page.replace("index.html", cid + ".csv")].decode("utf-8-sig")
    (csv_head, *rows) = list(csv.reader(io.StringIO(table)))
    assert head == csv_head
    other = re.fullmatch(r"其他（(.*)）", head[-1])
    assert other, head[-1]
    members = other.group(1).split("、")
    label = "专项活动" if kind == "occasion" else "形式"
    shown = [n for n in head[1:-1] if n.startswith(label)]
    assert sorted(shown + members) == [f"{label}{i:02d}" for i in range(CAMPAIGNS)]  # every category, once
    # the smallest are grouped: each grouped one has fewer events than the one keeping its colour
    assert max(int(m[-2:]) for m in members) < CAMPAIGNS - 1
    expected = sum(int(m[-2:]) + 1 for m in members)
    assert sum(int(r[-1] or 0) for r in rows) == sum(v or 0 for v in series[-1]["data"]) == expected


# --------------------------------------------------------------------------- in Chromium

LEGEND_TEXTS = """(el) => {
  const box = el.querySelector('svg').getBoundingClientRect();
  return [...el.querySelectorAll('svg text')].map((t) => {
    const b = t.getBoundingClientRect();
    return [t.textContent, b.left >= box.left - 1 && b.right <= box.right + 1 && b.top >= box.top - 1
            && b.bottom <= box.bottom + 1];
  });
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_events_legend_is_fully_visible(tmp_path: Path, width: int) -> None:
    output = build_site(tmp_path / "output")
    with serve(output) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url + "en/units/xinzhou-office/bawu/")
        page.wait_for_function("!document.querySelector('.chart:not([data-rendered])')")
        chart = page.query_selector(".chart[data-chart*='-events-']")
        names = json.loads(page.text_content(f"#{chart.get_attribute('data-chart')}-options"))["legend"][0]["data"]
        texts = chart.evaluate(LEGEND_TEXTS)
        page.close()
    assert [t for t, inside in texts if not inside] == []  # nothing drawn outside the chart
    assert not [t for t, _ in texts if "…" in t or "..." in t]
    drawn = "".join(t for t, _ in texts).replace(" ", "")
    assert len(names) >= 10
    for name in names:  # each name in full, maybe broken onto lines
        assert name.replace(" ", "") in drawn, name
