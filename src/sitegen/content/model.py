"""The content model: what a 普法 office's YAML and Markdown files say, as immutable objects.

One class per kind of content file (``SiteConfig`` for ``site.yaml``, ``YearRecord`` for
``units/<unit>/<year>.yaml`` …) and :class:`Content`, the whole validated site, which
every later stage receives (:mod:`sitegen.content.assembled`, offered here too). Field docstrings
double as the JSON Schema descriptions that VS Code shows while staff type.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .assembled import Content, Markdown, Narrative, NewsItem, Unit, UnitPeriod, UnitYear  # noqa: F401 (offered here)
from .values import (
    Amount,
    Count,
    Date,
    Frozen,
    Int,
    Quantity,
    Slug,
    Text,
    TextField,
    TimestampField,
    one_or_many,
    problem,
)

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")

TargetGroup = Literal["public", "functionaries", "youth"]
"""The three target groups fixed by the 法治宣传教育法: society at large, state functionaries, youth."""

TrainingKind = Literal["central-group-study", "lecture", "training", "exam", "self-study", "meeting"]
"""Forms of study by officials: 中心组学法, 法治讲座, 培训, 考试, 自学, 会议."""

REPORT_SECTIONS: tuple[str, ...] = (
    "overview",
    "leadership",
    "systems",
    "funding",
    "responsibility",
    "study",
    "publicity",
    "culture",
    "assessment",
    "integration",
    "problems",
)
"""Sections of a five-year summary, in the usual order (see DOMAIN.md)."""


def base_url(raw: str) -> str:
    """The one check of a published address, from ``site.yaml`` or ``--base-url``: complete, ends in ``/``.

    Raises the editors' error (:func:`~sitegen.content.values.problem`) for ``owner.github.io/repo`` and the like.
    """
    _url(raw)
    value = raw.strip()
    return value if value.endswith("/") else value + "/"


def _url(raw: object) -> object:
    if isinstance(raw, str) and not re.match(r"^https?://[^\s/$.?#][^\s]*$", raw.strip()):
        raise problem(
            f"“{raw}”不是完整的网址，应以 http:// 或 https:// 开头。",
            f'"{raw}" is not a complete web address; it must start with http:// or https://.',
        )
    return raw


def problem_at(field_name: str, zh: str, en: str) -> PydanticCustomError:
    """A model's own error (:func:`~sitegen.content.values.problem`), shown at the line of ``field_name``."""
    return PydanticCustomError("sitegen", "{en}", {"zh": zh, "en": en, "at": field_name})


Url = Annotated[str, BeforeValidator(_url)]
TextList = Annotated[list[TextField], BeforeValidator(one_or_many)]
SlugList = Annotated[list[Slug], BeforeValidator(one_or_many)]


# --------------------------------------------------------------------------- site.yaml


class Link(Frozen):
    """A friendly link (友情链接)."""

    name: TextField
    url: Url


class Contact(Frozen):
    """联系我们: how the public reaches the organiser."""

    phone: str | None = None
    email: str | None = None
    address: TextField | None = None
    postcode: str | None = None


class Column(Frozen):
    """The site column (栏目) these pages belong to, for the inspection meta tags."""

    name: TextField = Text(zh="普法动态", en="Law-Popularization News")
    description: TextField | None = None
    keywords: TextField | None = None
    type: str = "普法动态"


class SiteConfig(Frozen):
    """``site.yaml``: the site's names, address and the facts its footer must show."""

    name: TextField
    """Site name (网站名称)."""
    organizer: TextField
    """主办单位: the organ that runs the site."""
    base_url: Url
    """The published address, e.g. https://www.example.gov.cn/pufa/ (a sub-path is fine)."""
    languages: list[Lang] = ["zh", "en"]
    """Languages, Chinese first."""
    site_id_code: str | None = None
    """网站标识码 (10 characters, from the national government-website registry)."""
    icp: str | None = None
    """ICP备案号, e.g. 鄂ICP备12345678号-1 (linked to beian.miit.gov.cn)."""
    police_record: str | None = None
    """公安机关备案号, e.g. 鄂公网安备42011702000123号 (linked to beian.mps.gov.cn)."""
    contact: Contact = Contact()
    column: Column = Column()
    friendly_links: list[Link] = []
    news_stale_days: Int = 14
    """Warn when the newest news item is older than this many days (inspections check ~14)."""
    sample: bool = False
    """True for example content: every page then says it shows sample data."""

    @field_validator("base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return base_url(value)

    @field_validator("languages")
    @classmethod
    def _chinese_first(cls, value: list[Lang]) -> list[Lang]:
        if not value or value[0] != "zh" or len(set(value)) != len(value):
            raise problem(
                "languages 的第一项必须是 zh（中文为准），且不能重复，例如 [zh, en]。",
                "languages must start with zh (the Chinese version prevails) without repeats, e.g. [zh, en].",
            )
        return value


# --------------------------------------------------------------------------- registries


class Milestone(Frozen):
    year: Int
    name: TextField


class Period(Frozen):
    """A five-year plan period (六五 … 九五)."""

    id: Slug
    """Short id used in file names and addresses, e.g. bawu."""
    name: TextField
    """e.g. 八五普法 / Eighth Five-Year Law-Popularization Plan (2021-2025)."""
    start: Int
    end: Int
    status: Literal["planned", "active", "closed"]
    milestones: list[Milestone] = []

    @model_validator(mode="after")
    def _years(self) -> Period:
        if self.end < self.start:
            raise problem_at(
                "end",
                f"结束年份 {self.end} 早于开始年份 {self.start}。",
                f"The end year {self.end} is before the start year {self.start}.",
            )
        return self

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)


class PeriodsFile(Frozen):
    """``periods.yaml``."""

    periods: list[Period] = Field(min_length=1)


_MONTH_DAY = re.compile(r"^(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])$")


def _month_day(raw: object) -> object:
    if isinstance(raw, str) and not _MONTH_DAY.match(raw.strip()):
        raise problem(
            f"“{raw}”应写成 月-日，例如 12-04。",
            f'"{raw}" must be month-day, e.g. 12-04.',
        )
    return raw


MonthDay = Annotated[str, BeforeValidator(_month_day)]


class Observance(Frozen):
    """A recurring observance day, week or month (国家宪法日, 全民国家安全教育日 …)."""

    id: Slug
    name: TextField
    date: MonthDay | None = None
    """The day, month-day: 12-04."""
    start: MonthDay | None = None
    """First day of an observance week or month, month-day."""
    end: MonthDay | None = None
    month: Int | None = None
    """For observances held some time in a month (网络安全宣传周: 9)."""
    since: Int | None = None
    """First year it was held."""

    @model_validator(mode="after")
    def _when(self) -> Observance:
        forms = [
            self.date is not None,
            self.start is not None or self.end is not None,
            self.month is not None,
        ]
        if sum(forms) != 1 or (forms[1] and (self.start is None or self.end is None)):
            raise problem(
                "请用以下一种方式写日期：date（某一天，如 12-04）；start 和 end（一段时间）；month（某个月，如 9）。",
                "Say when it is in one way: date (one day, e.g. 12-04); start and end (a span); or month (e.g. 9).",
            )
        if self.month is not None and not 1 <= self.month <= 12:
            raise problem(f"月份 {self.month} 不存在。", f"There is no month {self.month}.")
        return self


class Campaign(Frozen):
    """A one-off or yearly campaign (专项活动), such as 2020's 防控疫情、法治同行."""

    id: Slug
    name: TextField
    start: Date | None = None
    end: Date | None = None

    @model_validator(mode="after")
    def _order(self) -> Campaign:
        if self.start and self.end and self.end < self.start:
            raise problem_at(
                "end",
                f"结束日期 {self.end} 早于开始日期 {self.start}。",
                f"The end date {self.end} is before the start date {self.start}.",
            )
        return self


class EventKind(Frozen):
    """A form of publicity event (讲座, 展览, 咨询, 发放资料 …)."""

    id: Slug
    name: TextField


class ObservancesFile(Frozen):
    """``observances.yaml``: observance days, campaigns and event kinds."""

    observances: list[Observance] = []
    campaigns: list[Campaign] = []
    kinds: list[EventKind] = []


# --------------------------------------------------------------------------- units


class UnitInfo(Frozen):
    """``units/<unit>/unit.yaml``: an office whose work the site reports."""

    name: TextField
    short_name: TextField | None = None
    parent: TextField | None = None
    """The organ it belongs to, e.g. 中共武汉市新洲区委."""
    order: Int = 100
    """Sort order in lists (smaller first)."""
    sample: bool = False


class Figures(Frozen):
    """Reported figures (for a year or a whole period). Every one may carry a qualifier."""

    funding: Amount | None = None
    """Funding in 元."""
    events: Count | None = None
    """Publicity events held (场)."""
    audience: Count | None = None
    """People reached by events (人次)."""
    trainings: Count | None = None
    """Trainings and lectures held (次)."""
    people_trained: Count | None = None
    """People trained (人次)."""
    lectures: Count | None = None
    central_group_sessions: Count | None = None
    """Central-group study sessions (中心组学法, 次)."""
    regular_meetings: Count | None = None
    """Leading-group meetings (次)."""
    materials_distributed: Count | None = None
    """Publicity materials handed out (份/册)."""
    books_purchased: Count | None = None
    books_distributed: Count | None = None
    banners: Count | None = None
    """Banners hung (条)."""
    blackboard_issues: Count | None = None
    """Blackboard or bulletin-board issues (期)."""
    media_channels: Count | None = None
    media_posts: Count | None = None
    exam_average_score: Amount | None = None
    exam_pass_rate: Amount | None = None
    """Percent."""
    study_hours_completion: Amount | None = None
    """Percent of staff who completed the required study hours."""
    incidents: Count | None = None
    """Incidents such as leaks of secrets (起)."""


class Event(Frozen):
    """A publicity event (宣传活动)."""

    id: Slug | None = None
    """Optional id; by default derived from the date and the order in the file."""
    date: Date
    title: TextField
    observance: Slug | None = None
    """Id of an observance day from observances.yaml."""
    campaign: Slug | None = None
    """Id of a campaign from observances.yaml."""
    kind: Slug | None = None
    """Id of an event kind from observances.yaml."""
    audience: Annotated[list[TargetGroup], BeforeValidator(one_or_many)] = []
    """Target groups: public, functionaries, youth."""
    participants: Count | None = None
    """People reached (人次)."""
    materials: Count | None = None
    """Materials handed out (份)."""
    media: TextList = []
    """Media channels used (新洲发布, 区电视台 …), each optionally with its English name."""
    location: TextField | None = None
    description: TextField | None = None

    @model_validator(mode="after")
    def _classified(self) -> Event:
        if not (self.observance or self.campaign or self.kind):
            raise problem(
                "请至少填写 observance（纪念日）、campaign（专项活动）或 kind（活动形式）之一。",
                "Give at least one of observance (an observance day), campaign or kind (the form of the event).",
            )
        return self


class Training(Frozen):
    """Study and training by officials: central-group study, lectures, trainings, exams."""

    date: Date
    kind: TrainingKind
    title: TextField
    sessions: Count = Quantity(value=1)
    participants: Count | None = None
    """People attending (人次)."""
    hours: Amount | None = None
    """Study hours per participant."""
    average_score: Amount | None = None
    pass_rate: Amount | None = None
    """Percent."""
    speaker: TextField | None = None


class FundingItem(Frozen):
    title: TextField
    amount: Amount
    """元."""


class Funding(Frozen):
    """The year's 普法 funding (经费保障)."""

    budgeted: bool = True
    """Included in the budget (纳入财政预算)."""
    budget: Amount | None = None
    """Budgeted amount in 元."""
    items: list[FundingItem] = []
    """What was spent, item by item, in 元."""


class YearRecord(Frozen):
    """``units/<unit>/<year>.yaml``: one unit's activity in one year."""

    sample: bool = False
    """True for illustrative data: pages then say so."""
    events: list[Event] = []
    trainings: list[Training] = []
    funding: Funding | None = None
    figures: Figures = Figures()
    """Figures reported for the year beyond what events and trainings add up to."""


class LeadingGroup(Frozen):
    """The leading group for the period's 普法 work (普法领导小组)."""

    head: TextField
    """Who heads it, e.g. 办公室主任汪刚."""
    members: TextField | None = None
    established: Int | None = None
    adjusted: Annotated[list[Int], BeforeValidator(one_or_many)] = []
    """Years the group was changed."""
    staff: TextField | None = None
    """Who does the daily work (专兼职工作人员)."""


class Norm(Frozen):
    """A stated minimum (每年不少于2次): a rule, not a count."""

    title: TextField
    """What the rule is about, e.g. 中心组学法."""
    minimum: Count
    per: Literal["year", "quarter", "month", "period"] = "year"
    unit: TextField | None = None
    """e.g. 次 / sessions."""


class System(Frozen):
    """A working system (制度) set up for the period."""

    name: TextField
    description: TextField | None = None


class PeriodRecord(Frozen):
    """``units/<unit>/<period>.yaml``: facts for a whole plan period (a five-year summary)."""

    sample: bool = False
    source: TextField | None = None
    """Where the facts come from, e.g. the published summary."""
    published: TimestampField | None = None
    """When the summary was published (发布时间)."""
    leading_group: LeadingGroup | None = None
    systems: list[System] = []
    norms: list[Norm] = []
    totals: Figures = Figures()
    """Figures for the whole period as reported (not per year)."""
    laws_studied: TextList = []
    """Laws that were the focus of study."""
    media: TextList = []
    """Media channels used over the period."""
    observances: SlugList = []
    """Observance days the unit marked during the period."""
    campaigns: SlugList = []


class NewsMeta(Frozen):
    """Front matter of ``news/<id>.zh.md``: a 普法动态 item."""

    title: str
    date: TimestampField
    """发布时间: 2021-07-26 09:33."""
    source: TextField
    """来源, e.g. 新洲区委办公室."""
    unit: Slug | None = None
    """The unit it concerns, if any."""
    period: Slug | None = None
    summary: str | None = None
    sample: bool = False


class NewsTranslationMeta(Frozen):
    """Front matter of ``news/<id>.en.md``: the English title (and optionally more)."""

    title: str
    source: str | None = None
    summary: str | None = None


class NarrativeMeta(Frozen):
    """Optional front matter of a narrative Markdown file."""

    title: str | None = None
