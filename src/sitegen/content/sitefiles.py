"""``site.yaml``, ``periods.yaml`` and ``observances.yaml``: the site's settings and the registries
(plan periods, observance days, campaigns, event kinds) that the other content files refer to by id.

Part of the content model (:mod:`sitegen.content.model`, which offers these too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from .bilingual import Frozen, Text, TextField, problem, problem_at
from .observances import MonthDay, Observance, ObservanceName  # noqa: F401 (offered here)
from .quantity import Int
from .siteimages import ImagePath, VerifyUrl
from .values import Date, Slug

Lang = Literal["zh", "en"]
Status = Literal["planned", "active", "closed"]
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


class SiteMark(Frozen):
    """党政机关网站标识: the mark the issuer (conac.cn) gives a registered government site, shown in the footer."""

    image: ImagePath
    """The mark's image as downloaded from the issuer, in the content folder, e.g. static/dzjg.png."""
    url: VerifyUrl
    """The verification address the issuer gave the office: https://bszs.conac.cn/sitename?method=show&id=…"""


class Column(Frozen):
    """A column (栏目) of the site: its own paged list, feed and inspection meta tags (ColumnName …)."""

    id: Slug = "news"
    """Its address: zh/<id>/ (the first column is usually news: 普法动态)."""
    name: TextField = Text(zh="普法动态", en="Law-Popularization News")
    description: TextField | None = None
    keywords: TextField | None = None
    type: str = "普法动态"
    """ColumnType, e.g. 普法动态, 通知公告, 以案释法."""
    by_unit: bool = False
    """True: a sub-column per unit (普法动态 > 新洲区委办公室) holding the unit's items, reports and year pages."""


class Group(Frozen):
    """A group of units (a district, or a kind: 党委部门, 政府部门, 法院, 街道 …), with a page of its own."""

    id: Slug
    """Its address (zh/groups/<id>/) and the id units name in unit.yaml (group:)."""
    name: TextField


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
    operator: TextField | None = None
    """承办单位: the office that runs the site for the organizer, where that is another office."""
    emblem: ImagePath = None
    """The organizer's emblem or logo for the masthead: a PNG, JPEG or SVG file in the content folder,
    e.g. static/emblem.svg."""
    dzjg: SiteMark | None = None
    """党政机关网站标识: the issuer's image (downloaded into the content folder) and the verification address."""
    contact: Contact = Contact()
    columns: list[Column] = [Column(by_unit=True)]
    """The columns, first the main one; news items name theirs (``column: notices``), else the first."""
    column: Column | None = None
    """One column only (the form before columns): read as ``columns: [<it>]`` with a sub-column per unit."""
    friendly_links: list[Link] = []
    groups: list[Group] = []
    """Groups of units, in the order pages list them; a unit names its group in unit.yaml."""
    office_files: Literal["all", "reports", "none"] = "all"
    """Which pages link a 公文 Word document and an Excel file of their figures, written by the build: all
    report and year pages, the five-year reports only (a site of hundreds of units builds faster), or none."""
    news_stale_days: Int = 14
    """Warn when the newest news item is older than this many days (inspections check ~14)."""
    sample: bool = False
    """True for a demonstration site: `check --publish` refuses it; only records marked `sample: true` show the
    sample notice."""

    @field_validator("base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return base_url(value)

    @model_validator(mode="after")
    def _one_column_form(self) -> SiteConfig:
        if self.column is not None:
            if "columns" in self.model_fields_set:
                raise problem(
                    "column 和 columns 只写一个：columns 是栏目列表，column 是只有一个栏目时的旧写法。",
                    "Write column or columns, not both: columns lists the columns; column is the older "
                    "one-column form.",
                )
            object.__setattr__(self, "columns", [self.column.model_copy(update={"by_unit": True})])  # frozen: here
        ids = [c.id for c in self.columns]
        if not ids or len(set(ids)) != len(ids):
            raise problem_at(
                "columns",
                "columns 至少要有一个栏目，且栏目 id 不能重复。",
                "columns needs at least one column, and no two columns may share an id.",
            )
        reserved = {"units", "overview", "sitemap", "search", "data", "groups", "page"} & set(ids)
        if reserved:
            word = "、".join(sorted(reserved))
            raise problem_at(
                "columns",
                f"栏目 id 不能用 {word}：这些地址已用于网站的其他页面。",
                f"A column id cannot be {word.replace('、', ', ')}: the site uses those addresses for other pages.",
            )
        return self

    def column_of(self, column_id: str | None) -> Column:
        """The column with ``column_id`` (``None``: the first)."""
        return next((c for c in self.columns if c.id == column_id), self.columns[0])

    @property
    def unit_column(self) -> Column | None:
        """The column with a sub-column per unit (reports and year pages belong to it), if any."""
        return next((c for c in self.columns if c.by_unit), None)

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
    status: Status | None = None
    """Leave it out: it follows from the date of the build (``--today``). Written, it overrides that."""
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

    def status_on(self, day: date) -> Status:
        """The status written, else the one ``day`` gives: planned before the start year, closed after the end."""
        if self.status is not None:
            return self.status
        return "planned" if day.year < self.start else "closed" if day.year > self.end else "active"


def on_date(periods: Iterable[Period], day: date) -> tuple[Period, ...]:
    """The periods with their status on ``day``: a written status stays, the others follow from ``day``.

    A period written ``active`` is the only active one: a period whose years hold ``day`` is then
    ``planned`` if it starts later than the written one, else ``closed``.
    """
    periods = tuple(periods)
    written = next((p for p in periods if p.status == "active"), None)
    dated = []
    for period in periods:
        status = period.status_on(day)
        if written is not None and period.status is None and status == "active":
            status = "planned" if period.start > written.start else "closed"
        dated.append(period.model_copy(update={"status": status}))
    return tuple(dated)


class PeriodsFile(Frozen):
    """``periods.yaml``."""

    periods: list[Period] = Field(min_length=1)


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
    internal: bool = False
    """True for internal work (会议部署): such entries are work meetings, not counted as 宣传活动."""
    online: bool = False
    """True for online publicity: participants are readers reached (网络宣传覆盖), not people present."""


class ObservancesFile(Frozen):
    """``observances.yaml``: observance days, campaigns and event kinds."""

    observances: list[Observance] = []
    campaigns: list[Campaign] = []
    kinds: list[EventKind] = []
