"""The registry of indicators: aggregation rules (golden values on small sites), honest totals, one source of names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_site
from sitegen.content.indicators import BY_ID, GROUPS, INDICATORS, aggregate, span_text
from sitegen.content.loader import load_content
from sitegen.content.model import Figures
from sitegen.content.quantity import Count, Quantity
from sitegen.content.schema import render
from sitegen.site.figures import compute
from sitegen.site.i18n import LOCALES

ROOT = Path(__file__).resolve().parents[1]
ZH, EN = LOCALES["zh"], LOCALES["en"]


def q(value: float, qualifier: str = "exact") -> Quantity:
    return Quantity.of(value, qualifier)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("rule", "values", "value", "qualifier"),
    [
        ("sum", [q(5), q(6), q(7)], 18, "exact"),
        ("sum", [q(5), q(300, "more_than"), None], 305, "more_than"),
        ("sum", [q(5), q(3000, "about")], 3005, "about"),
        ("max", [q(5), q(6), q(6), q(5)], 6, "exact"),
        ("max", [q(96, "at_least"), q(95)], 96, "at_least"),
        ("latest", [q(5), q(7), None], 7, "exact"),
        ("mean", [q(96.9), q(95.1)], 96, "exact"),
        ("mean", [q(96, "at_least"), q(98)], 97, "at_least"),
    ],
)
def test_aggregation_rules(rule: str, values: list, value: float, qualifier: str) -> None:
    result = aggregate(rule, values)  # type: ignore[arg-type]
    assert result is not None and (result.value, result.qualifier) == (value, qualifier)


def test_none_is_not_aggregated_and_no_data_is_none() -> None:
    assert aggregate("none", [q(5), q(6)]) is None
    assert aggregate("sum", [None, None]) is None


def test_a_total_of_exact_and_approximate_parts_says_so() -> None:
    total = Quantity.sum([q(28562), q(57700, "about")])
    assert total is not None and total.mixed and total.qualifier == "about"
    assert not Quantity.sum([q(1), q(2)]).mixed  # type: ignore[union-attr]


def test_approximate_figures_are_rounded_as_offices_write_them() -> None:
    assert ZH.value(q(86262, "about"), "participants") == "约8.6万人次"
    assert EN.value(q(86262, "about"), "participants") == "about 86,000 attendances"
    assert ZH.value(q(28562, "more_than"), "participants") == "2.8万余人次"
    assert ZH.value(q(86262), "participants") == "86262人次"  # exact figures are never rounded
    assert ZH.value(q(3000, "about"), "online_reach") == "约3000人次"


def test_a_value_keeps_the_measure_word_the_source_used() -> None:
    copies = Count.__metadata__  # noqa: F841 (the annotated type is what editors' values go through)
    figures = Figures.model_validate({"materials_distributed": "1000余册", "people_trained": "30人"})
    assert ZH.value(figures.materials_distributed, "materials_distributed") == "1000余册"
    assert EN.value(figures.materials_distributed, "materials_distributed") == "1,000+ copies"
    assert ZH.value(figures.people_trained, "people_trained") == "30人"
    assert EN.value(figures.people_trained, "people_trained") == "30 people"
    assert (
        ZH.value(Figures.model_validate({"materials_distributed": 800}).materials_distributed, "materials_distributed")
        == "800份"
    )


def test_a_span_is_shown_with_its_value() -> None:
    figures = Figures.model_validate(
        {"blackboard_issues": {"value": 12, "span": {"zh": "自20xx年以来", "en": "since 20xx"}}}
    )
    assert ZH.value(figures.blackboard_issues, "blackboard_issues") == "12期（自20xx年以来）"
    assert EN.value(figures.blackboard_issues, "blackboard_issues") == "12 issues (since 20xx)"
    assert span_text([2021, 2022, 2024]).zh == "2021—2022、2024年"


# --------------------------------------------------------------------------- on small sites

YEAR = """\
events:
  - date: {year}-04-15
    title: 国家安全教育日宣传
    kind: exhibition
    participants: {present}
  - date: {year}-04-16
    title: 网络宣传
    kind: online
    participants: 约{online}
  - date: {year}-05-01
    title: 工作部署会
    kind: meeting
    participants: 40
trainings:
  - date: {year}-03-01
    kind: lecture
    title: 讲座
    participants: 50
  - date: {year}-12-01
    kind: exam
    title: 考试
    participants: 50
    average_score: {score}
figures:
  media_channels: {channels}
"""
KINDS = """\
kinds:
  - id: exhibition
    name: 展览展板
  - id: online
    name: 网络宣传
    online: true
  - id: meeting
    name: 会议部署
    internal: true
"""


def small_site(tmp_path: Path, units: dict[str, dict[int, dict]]) -> Path:
    root = make_site(tmp_path, {"observances.yaml": KINDS, "units/demo/2021.yaml": None, "units/demo/unit.yaml": None})
    for unit, years in units.items():
        folder = root / "units" / unit
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "unit.yaml").write_text(f"name: {unit}单位\n", encoding="utf-8")
        for year, values in years.items():
            (folder / f"{year}.yaml").write_text(YEAR.format(year=year, **values), encoding="utf-8")
    return root


def test_golden_totals_over_years_and_units(tmp_path: Path) -> None:
    root = small_site(
        tmp_path,
        {
            "a": {
                2021: dict(present=100, online=2000, score=96, channels=5),
                2022: dict(present=120, online=3000, score=98, channels=6),
            },
            "b": {2021: dict(present=80, online=1000, score=90, channels=4)},
        },
    )
    content = load_content(root)
    figures = compute(content)
    period = next(p for p in content.periods if 2021 in p.years)
    a = figures.unit("a", period.id)
    assert a.total("events").value == 4  # the work meetings are internal work, not publicity events
    assert a.total("work_meetings").value == 2
    assert (a.total("participants").value, a.total("participants").qualifier) == (220, "exact")  # present only
    assert (a.total("online_reach").value, a.total("online_reach").qualifier) == (5000, "about")
    assert a.total("trainings").value == 2 and a.total("exams").value == 2  # exams are not trainings
    assert a.total("people_trained").value == 100
    assert a.total("media_channels").value == 6  # max over years, never 5 + 6
    assert a.total("exam_average_score").value == 97  # mean
    assert a.total("events").span is not None  # two of five years: the total says which
    site = figures.site[period.id]
    assert site.total("events").value == 6
    assert site.total("online_reach").value == 6000
    assert site.total("media_channels") is None  # not aggregated over units
    assert site.total("exam_average_score").value == pytest.approx(93.5)  # mean of the units' means


def test_a_reported_period_total_is_shown_as_reported(tmp_path: Path) -> None:
    root = small_site(tmp_path, {"a": {2021: dict(present=100, online=2000, score=96, channels=5)}})
    period = next(p for p in load_content(root).periods if 2021 in p.years)
    (root / "units" / "a" / f"{period.id}.yaml").write_text("totals:\n  exam_average_score: 95以上\n", encoding="utf-8")
    total = compute(load_content(root)).unit("a", period.id).total("exam_average_score")
    assert (total.value, total.qualifier) == (95, "at_least")


# --------------------------------------------------------------------------- one place


def test_every_indicator_is_complete() -> None:
    measures = {"场", "次", "人", "人次", "册", "份", "条", "期", "个", "元", "分", "%", "起"}
    for indicator in INDICATORS:
        assert indicator.group in GROUPS
        assert indicator.measure[0] in measures, indicator.id
        assert indicator.zh and indicator.en and indicator.measure[1]
    assert set(Figures.model_fields) == set(BY_ID)


def test_schema_descriptions_come_from_the_registry() -> None:
    schema = render("year")
    for indicator in INDICATORS:
        assert indicator.zh in schema and indicator.en in schema


def test_readme_lists_every_placeholder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"<!-- indicators -->(.*?)<!-- /indicators -->", readme, re.S)
    assert listed, "README.md: the list of indicators between <!-- indicators --> markers is missing"
    assert re.findall(r"`(\w+)`", listed.group(1)) == [i.id for i in INDICATORS]


def test_a_reported_figure_that_disagrees_with_the_records_is_a_warning(tmp_path: Path) -> None:
    root = small_site(tmp_path, {"a": {2021: dict(present=100, online=2000, score=96, channels=5)}})
    year = root / "units" / "a" / "2021.yaml"
    year.write_text(year.read_text(encoding="utf-8") + "  events: 9\n", encoding="utf-8")
    period = next(p for p in load_content(root).periods if 2021 in p.years)
    (root / "units" / "a" / f"{period.id}.yaml").write_text("totals:\n  participants: 150\n", encoding="utf-8")
    warnings = [w for w in load_content(root).warnings if "add up" in w.en]
    assert sorted((Path(w.path).name, w.line) for w in warnings) == [("2021.yaml", 26), (f"{period.id}.yaml", 2)]
    year_warning = next(w for w in warnings if w.path.endswith("2021.yaml"))
    assert "says 9" in year_warning.en and "add up to 2" in year_warning.en
