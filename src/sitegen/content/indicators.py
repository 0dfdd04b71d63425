"""The registry of indicators: every figure sitegen reports, in one place.

Each :class:`Indicator` says its id, its name and measure word in Chinese and English, how it
aggregates over the years of a period and over units, which group it belongs to and, for a figure
computed from a year's events, trainings or funding, how it is computed. Everything else reads
:data:`INDICATORS`: the ``figures:``/``totals:`` fields of the model and their JSON Schema
descriptions (:func:`figures_fields`), the figure computation (:mod:`sitegen.site.figures`), cards,
tables and charts, the report, year and unit templates, ``diff``, the narrative placeholders
(``{{ events }}``) and the README's list of them (a test keeps it in step). Adding an indicator is
one entry.

Events and trainings are classified, not lumped: an event kind marked ``internal`` in
``observances.yaml`` (a work meeting) is internal work, not a 宣传活动; an ``online`` kind counts its
participants as online reach, apart from the people present; exams and self-study are study figures of
their own, not trainings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from .bilingual import Text
from .quantity import Amount, Count, Quantity

if TYPE_CHECKING:  # the model imports this module
    from .model import Event, Training, YearRecord
    from .sitefiles import EventKind

Aggregation = Literal["sum", "max", "latest", "mean", "none"]
"""How values combine: add up; the largest; the most recent; the average; not at all (shown per year only)."""

Group = Literal["leadership", "publicity", "media", "materials", "study", "funding", "assessment"]


@dataclass(frozen=True)
class GroupInfo:
    zh: str
    en: str
    section: str
    """The five-year report's section (DOMAIN.md) where the group's figures appear."""


GROUPS: dict[str, GroupInfo] = {
    "leadership": GroupInfo("组织领导", "Leadership", "leadership"),
    "publicity": GroupInfo("宣传活动", "Publicity events", "publicity"),
    "media": GroupInfo("媒体宣传", "Media", "publicity"),
    "materials": GroupInfo("宣传资料", "Publicity materials", "publicity"),
    "study": GroupInfo("学法培训", "Study and training", "study"),
    "funding": GroupInfo("经费保障", "Funding", "funding"),
    "assessment": GroupInfo("考核评估", "Assessment", "assessment"),
}
"""Indicator groups in the order pages show them."""

Classes = Mapping[str, "EventKind"]
"""Event kinds by id: which are internal work and which are online."""
Compute = Callable[["YearRecord", Classes], Quantity | None]


@dataclass(frozen=True)
class Indicator:
    """One figure: its names, measure word, aggregation rules and group."""

    id: str
    zh: str
    en: str
    measure: tuple[str, str]
    """The measure word (量词) in Chinese and English: ``("场", "events")``."""
    group: str
    over_years: Aggregation = "sum"
    over_units: Aggregation = "sum"
    whole: bool = True
    """Counts are whole numbers; money, scores and percentages may have decimals."""
    headline: bool = False
    """One of the key figures on the home page, the unit page and the overview table."""
    compute: Compute | None = None
    """How a year's value follows from its record; ``None``: only as reported under ``figures:``."""
    help_zh: str = ""
    help_en: str = ""

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def description(self) -> str:
        """The JSON Schema description of the field (what VS Code shows while staff type)."""
        how = {"sum": "逐年相加", "max": "取最大值", "latest": "取最近一年", "mean": "取平均", "none": "不汇总"}
        text = f"{self.zh}（{self.measure[0]}）/ {self.en} ({self.measure[1]}). 多年汇总 / over years: "
        text += f"{how[self.over_years]} ({self.over_years})."
        return text + (f" {self.help_zh} / {self.help_en}" if self.help_zh else "")


# --------------------------------------------------------------------------- classification

STUDY_KINDS = frozenset({"central-group-study", "lecture", "training", "meeting"})
"""Training kinds counted as 学法培训 (exams and self-study are counted apart)."""


def is_internal(event: Event, kinds: Classes) -> bool:
    """True for internal work (a work meeting), which is not a publicity event."""
    kind = kinds.get(event.kind) if event.kind else None
    return bool(kind and kind.internal)


def is_online(event: Event, kinds: Classes) -> bool:
    """True for online publicity, whose participants are readers reached, not people present."""
    kind = kinds.get(event.kind) if event.kind else None
    return bool(kind and kind.online)


def publicity_events(record: YearRecord, kinds: Classes) -> list[Event]:
    """The year's publicity events (internal work left out)."""
    return [e for e in record.events if not is_internal(e, kinds)]


def _count(items: Sequence[object]) -> Quantity | None:
    return Quantity.of(len(items)) if items else None


def _trainings(record: YearRecord, *kinds: str) -> list[Training]:
    return [t for t in record.trainings if t.kind in kinds]


def _mean(values: Iterable[Quantity | None]) -> Quantity | None:
    return aggregate("mean", list(values))


def _events(record: YearRecord, kinds: Classes) -> Quantity | None:
    return _count(publicity_events(record, kinds))


def _onsite(record: YearRecord, kinds: Classes) -> Quantity | None:
    return Quantity.sum(e.participants for e in publicity_events(record, kinds) if not is_online(e, kinds))


def _online(record: YearRecord, kinds: Classes) -> Quantity | None:
    return Quantity.sum(e.participants for e in record.events if is_online(e, kinds))


def _meetings(record: YearRecord, kinds: Classes) -> Quantity | None:
    return _count([e for e in record.events if is_internal(e, kinds)])


def _materials(record: YearRecord, kinds: Classes) -> Quantity | None:
    return Quantity.sum(e.materials for e in record.events)


def _sum_of(field: str, training_kinds: frozenset[str], record: YearRecord, kinds: Classes) -> Quantity | None:
    return Quantity.sum(getattr(t, field) for t in _trainings(record, *training_kinds))


def _sessions(*training_kinds: str) -> Compute:
    return partial(_sum_of, "sessions", frozenset(training_kinds))  # a partial, not a lambda: pages are pickled


def _attendance(*training_kinds: str) -> Compute:
    return partial(_sum_of, "participants", frozenset(training_kinds))


def _exam_mean(field: str, record: YearRecord, kinds: Classes) -> Quantity | None:
    return _mean(getattr(t, field) for t in _trainings(record, "exam"))


def _exam(field: str) -> Compute:
    return partial(_exam_mean, field)


def _spent(record: YearRecord, kinds: Classes) -> Quantity | None:
    return Quantity.sum(item.amount for item in record.funding.items) if record.funding else None


def _budget(record: YearRecord, kinds: Classes) -> Quantity | None:
    return record.funding.budget if record.funding else None


# --------------------------------------------------------------------------- the registry

_I = Indicator
INDICATORS: tuple[Indicator, ...] = (
    _I("regular_meetings", "领导小组会议", "Leading-group meetings", ("次", "meetings"), "leadership"),
    _I("work_meetings", "普法工作会议", "Work meetings", ("次", "meetings"), "leadership", compute=_meetings,
       help_zh="活动形式为内部工作（如会议部署）的条目，不计入宣传活动",
       help_en="events of an internal kind (work meetings); not counted as publicity events"),
    _I("events", "宣传活动", "Publicity events", ("场", "events"), "publicity", headline=True, compute=_events,
       help_zh="不含内部工作会议", help_en="internal work meetings not included"),
    _I("participants", "现场参与", "People present", ("人次", "attendances"), "publicity", headline=True,
       compute=_onsite, help_zh="线下活动的参加人次，不含网络阅读量",
       help_en="attendance at on-site events; online reach is counted apart"),
    _I("online_reach", "网络宣传覆盖", "Online reach", ("人次", "views"), "media", headline=True, compute=_online,
       help_zh="网络宣传的阅读、观看人次", help_en="readers and viewers of online publicity"),
    _I("media_channels", "媒体渠道", "Media channels", ("个", "channels"), "media", over_years="max",
       over_units="none", help_zh="同一渠道每年都用，多年取最大值而不相加",
       help_en="the same channels serve every year: the largest yearly count, never a sum"),
    _I("media_posts", "媒体推送", "Media posts", ("条", "posts"), "media"),
    _I("materials_distributed", "发放宣传资料", "Materials handed out", ("份", "copies"), "materials",
       headline=True, compute=_materials),
    _I("books_purchased", "购买普法图书", "Law books bought", ("册", "copies"), "materials"),
    _I("books_distributed", "发放普法图书", "Law books handed out", ("册", "copies"), "materials"),
    _I("banners", "悬挂横幅", "Banners put up", ("条", "banners"), "materials"),
    _I("blackboard_issues", "出版板报", "Blackboard issues", ("期", "issues"), "materials"),
    _I("trainings", "学法培训", "Study and training sessions", ("次", "sessions"), "study", headline=True,
       compute=_sessions(*sorted(STUDY_KINDS)), help_zh="中心组学法、讲座、培训和学法会议；不含考试和自学",
       help_en="central-group study, lectures, trainings and study meetings; exams and self-study apart"),
    _I("people_trained", "培训人次", "Training attendance", ("人次", "attendances"), "study", headline=True,
       compute=_attendance(*sorted(STUDY_KINDS))),
    _I("central_group_sessions", "中心组学法", "Central-group study sessions", ("次", "sessions"), "study",
       compute=_sessions("central-group-study")),
    _I("lectures", "法治讲座", "Lectures on the law", ("次", "lectures"), "study", compute=_sessions("lecture")),
    _I("exams", "学法考试", "Law exams", ("次", "exams"), "study", compute=_sessions("exam")),
    _I("self_study", "网上自学", "Online self-study", ("人次", "participants"), "study",
       compute=_attendance("self-study")),
    _I("funding", "普法经费", "Funding spent", ("元", "yuan"), "funding", whole=False, headline=True,
       compute=_spent, help_zh="按年度经费明细相加", help_en="the sum of the year's funding items"),
    _I("budget", "预算经费", "Funding budgeted", ("元", "yuan"), "funding", whole=False, compute=_budget),
    _I("exam_average_score", "考试人均得分", "Average exam score", ("分", "points"), "assessment",
       over_years="mean", over_units="mean", whole=False, compute=_exam("average_score")),
    _I("exam_pass_rate", "考试合格率", "Exam pass rate", ("%", "%"), "assessment", over_years="mean",
       over_units="mean", whole=False, compute=_exam("pass_rate")),
    _I("study_hours_completion", "学时完成率", "Study hours completed", ("%", "%"), "assessment",
       over_years="mean", over_units="mean", whole=False,
       help_zh="完成规定学法学时的人员比例", help_en="share of staff who completed the required study hours"),
    _I("incidents", "失泄密等事故", "Incidents", ("起", "incidents"), "assessment",
       help_zh="如失泄密事故；0 也要填写", help_en="such as leaks of secrets; write 0 as well"),
)  # fmt: skip
"""Every indicator, in the order pages list them within a group."""

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}
HEADLINE: tuple[Indicator, ...] = tuple(i for i in INDICATORS if i.headline)


def in_group(group: str) -> tuple[Indicator, ...]:
    return tuple(i for i in INDICATORS if i.group == group)


def year_value(indicator: Indicator, record: YearRecord, kinds: Classes) -> Quantity | None:
    """A year's value of ``indicator``: computed from the record where the registry says how, else as reported."""
    computed = indicator.compute(record, kinds) if indicator.compute else None
    return computed if computed is not None else getattr(record.figures, indicator.id)


def by_group(values: Mapping[str, Quantity]) -> list[tuple[str, list[tuple[Indicator, Quantity]]]]:
    """``values`` (indicator id → value) in the registry's order, by group: ``[(group, [(indicator, value)])]``."""
    out = []
    for group in GROUPS:
        items = [(i, values[i.id]) for i in in_group(group) if i.id in values]
        if items:
            out.append((group, items))
    return out


def figures_fields() -> dict[str, Any]:
    """The fields of the model's ``Figures`` (one per indicator), for :func:`pydantic.create_model`."""
    from pydantic import Field

    return {
        i.id: ((Count if i.whole else Amount) | None, Field(default=None, description=i.description()))
        for i in INDICATORS
    }


# --------------------------------------------------------------------------- aggregation


def aggregate(rule: Aggregation, values: Sequence[Quantity | None]) -> Quantity | None:
    """Combine ``values`` (in year or unit order) by ``rule``; ``None`` entries are no data."""
    present = [v for v in values if v is not None]
    if not present or rule == "none":
        return None
    if rule == "sum":
        return Quantity.sum(present)
    if rule == "latest":
        return present[-1]
    known = [v for v in present if v.value is not None]
    if not known:
        return present[-1]
    if rule == "max":
        return max(known, key=lambda v: (v.value, v.qualifier == "exact"))
    total = Quantity.sum(known)
    assert total is not None and total.value is not None
    mean = round(total.value / len(known), 1)
    return Quantity.of(int(mean) if float(mean).is_integer() else mean, total.qualifier, unit=total.unit)


def span_text(years: Sequence[int]) -> Text:
    """``2021—2023年`` / ``2021-2023``, or ``2021—2022、2024年`` for a figure that covers only these years."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    zh = "、".join(f"{r[0]}—{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) + "年"
    en = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return Text(zh=zh, en=en)
