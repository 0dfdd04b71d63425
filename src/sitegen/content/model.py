"""The content model: what a 普法 office's YAML and Markdown files say, as immutable objects.

One class per kind of content file (``SiteConfig`` for ``site.yaml``, ``YearRecord`` for
``units/<unit>/<year>.yaml`` …) and :class:`Content`, the whole validated site, which
every later stage receives (:mod:`sitegen.content.assembled`, offered here too); the site's settings
and registries are in :mod:`sitegen.content.sitefiles`, offered here too. Field docstrings
double as the JSON Schema descriptions that VS Code shows while staff type.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, create_model, model_validator

from .assembled import Content, Markdown, Narrative, NewsItem, Unit, UnitPeriod, UnitYear  # noqa: F401 (offered here)
from .attachments import Attachment, NewsImage
from .bilingual import Frozen, Text, TextField, problem  # noqa: F401 (offered here)
from .indicators import figures_fields
from .quantity import Amount, Count, Int, Quantity
from .sitefiles import (  # noqa: F401 (offered here)
    LANGUAGES,
    Campaign,
    Column,
    Contact,
    EventKind,
    Lang,
    Link,
    Milestone,
    Observance,
    ObservancesFile,
    Period,
    PeriodsFile,
    SiteConfig,
    base_url,
)
from .values import Date, Slug, TimestampField, one_or_many

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

TextList = Annotated[list[TextField], BeforeValidator(one_or_many)]
SlugList = Annotated[list[Slug], BeforeValidator(one_or_many)]


# --------------------------------------------------------------------------- units


class UnitInfo(Frozen):
    """``units/<unit>/unit.yaml``: an office whose work the site reports."""

    name: TextField
    short_name: TextField | None = None
    parent: TextField | None = None
    """The organ it belongs to, e.g. 中共武汉市新洲区委."""
    order: Int = 100
    """Sort order in lists (smaller first)."""
    group: Slug | None = None
    """Id of its group in site.yaml (groups:), e.g. party-organs (党委部门) or a district."""
    sample: bool = False
    """True for a made-up unit: its page then says it shows sample data."""


Figures = create_model(  # one field per indicator of the registry, described there
    "Figures",
    __base__=Frozen,
    __doc__="Reported figures (for a year or a whole period), one per indicator (see content/indicators.py).",
    **figures_fields(),
)


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
    """True for made-up figures: the year's page (and every summary using them) then says so."""
    published: TimestampField | None = None
    """When the year's page was published (发布时间), e.g. 2024-01-15 10:00."""
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
    """True for made-up facts: the period's summary report then says it shows sample data."""
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
    """The unit it concerns, if any (in a column with sub-columns per unit, it is listed under that unit too)."""
    period: Slug | None = None
    column: Slug | None = None
    """Id of its column (栏目) in site.yaml; by default the first (普法动态)."""
    summary: str | None = None
    sample: bool = False
    """True for a made-up news item: its page then says so. Real items leave it out."""
    draft: bool = False
    """True while the item is being written: build leaves it out (unless --drafts), serve shows it marked 草稿.
    An item dated after the day of the build is scheduled: it is published by the first build on or after its date."""
    author: TextField | None = None
    """作者, shown in the article's header."""
    editor: TextField | None = None
    """责任编辑 (the editor responsible), shown in the article's header."""
    reviewer: TextField | None = None
    """审核 (who reviewed it before publishing, 三审三校), shown in the article's header."""
    attachments: list[Attachment] = []
    """附件: files listed under the article with their type and size (PDF, DOC, DOCX, XLS, XLSX, OFD)."""
    image: NewsImage | None = None
    """The picture for 图片新闻 on the home page; by default the first picture of the text."""


class NewsTranslationMeta(Frozen):
    """Front matter of ``news/<id>.en.md``: the English title (and optionally more)."""

    title: str
    source: str | None = None
    summary: str | None = None


class NarrativeMeta(Frozen):
    """Optional front matter of a narrative Markdown file."""

    title: str | None = None
