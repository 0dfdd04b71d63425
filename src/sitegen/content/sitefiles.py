"""``site.yaml``, ``periods.yaml`` and ``observances.yaml``: the site's settings and the registries
(plan periods, observance days, campaigns, event kinds) that the other content files refer to by id.

Part of the content model (:mod:`sitegen.content.model`, which offers these too).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from .bilingual import Frozen, Text, TextField, problem, problem_at
from .quantity import Int
from .values import Date, Slug

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")


def base_url(raw: str) -> str:
    """The one check of a published address, from ``site.yaml`` or ``--base-url``: complete, ends in ``/``.

    Raises the editors' error (:func:`~sitegen.content.bilingual.problem`) for ``owner.github.io/repo`` and the like.
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


Url = Annotated[str, BeforeValidator(_url)]


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
