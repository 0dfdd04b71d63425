"""Observance days (``observances.yaml``): when they are held, the name in force in each year, and ordinals.

An observance may change its name over time: 4 December was 全国法制宣传日 from 2001 to 2013 and is
国家宪法日 since 2014. Each page shows the name in force on the event's date (:meth:`Observance.name_on`);
charts, which group events by id, show the newest (:attr:`Observance.name`). Ordinals ("第八个国家宪法日",
"the 8th National Constitution Day") are computed from the ``first_year`` the editor gives, never typed.

Part of the content model (:mod:`sitegen.content.sitefiles` and :mod:`sitegen.content.model` offer it too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import BeforeValidator, Field, model_validator

from .bilingual import Frozen, Text, TextField, problem, problem_at
from .quantity import Int
from .values import Slug

if TYPE_CHECKING:
    from .model import Event

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
_GROUP_UNITS = ("", "万", "亿", "万亿")


# --------------------------------------------------------------------------- numerals and ordinals


def _group(n: int) -> str:
    """1 … 9999 in Chinese numerals, with 零 for the zeros between digits (1010 → 一千零一十)."""
    out: list[str] = []
    gap = False
    for power, unit in _SMALL_UNITS:
        digit = n // power % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(_DIGITS[digit] + unit)
    return "".join(out)


def chinese_numeral(n: int) -> str:
    """``n`` (0 … 10¹⁶ − 1) in Chinese numerals: 12 → 十二, 101 → 一百零一, 10001 → 一万零一."""
    if not 0 <= n < 10**16:
        raise ValueError(f"no Chinese numeral for {n}")
    if n == 0:
        return "零"
    groups = [n // 10 ** (4 * i) % 10000 for i in range(len(_GROUP_UNITS))]
    out = ""
    gap = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _group(group) + _GROUP_UNITS[index]
        gap = False
    return out[1:] if out.startswith("一十") else out


def ordinal_zh(n: int) -> str:
    """第十二个 (for ``n`` ≥ 1)."""
    if n < 1:
        raise ValueError(f"no ordinal for {n}")
    return f"第{chinese_numeral(n)}个"


def ordinal_en(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th (for ``n`` ≥ 1)."""
    if n < 1:
        raise ValueError(f"no ordinal for {n}")
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- the model

_MONTH_DAY = re.compile(r"^(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])$")


def _month_day(raw: object) -> object:
    if isinstance(raw, str) and not _MONTH_DAY.match(raw.strip()):
        raise problem(
            f"“{raw}”应写成 月-日，例如 12-04。",
            f'"{raw}" must be month-day, e.g. 12-04.',
        )
    return raw


MonthDay = Annotated[str, BeforeValidator(_month_day)]


class ObservanceName(Text):
    """One name of an observance and the year it came into force: ``{from: 2014, zh: 国家宪法日, en: …}``."""

    from_: Int = Field(alias="from")
    """The first year this name is used."""
    first_year: Int | None = None
    """The year its ordinal counts from (the first 国家宪法日: 2014); none: no ordinal is shown."""

    @model_validator(mode="after")
    def _ordinal_from(self) -> ObservanceName:
        if self.first_year is not None and self.first_year > self.from_:
            raise problem_at(
                "first_year",
                f"first_year {self.first_year} 晚于名称启用的年份 {self.from_}：{self.from_} 年起的活动将没有序数"
                f"（“第几个”）。请改正其中一个。",
                f"first_year {self.first_year} is after {self.from_}, the year this name is used from: events from "
                f"{self.from_} would have no ordinal. Correct one of them.",
            )
        return self


class Observance(Frozen):
    """A recurring observance day, week or month (国家宪法日, 全民国家安全教育日 …)."""

    id: Slug
    name: TextField | None = None
    """Its name, if it never changed; with ``names``, the newest of them (filled in)."""
    names: list[ObservanceName] = []
    """Its names over time, oldest first, each with the year it came into force (``from``)."""
    date: MonthDay | None = None
    """The day, month-day: 12-04."""
    start: MonthDay | None = None
    """First day of an observance week or month, month-day."""
    end: MonthDay | None = None
    month: Int | None = None
    """For observances held some time in a month (网络安全宣传周: 9)."""
    since: Int | None = None
    """First year it was held (with ``names``: the ``from`` of the first, which is the default)."""
    first_year: Int | None = None
    """The year ordinals count from (国际禁毒日: 1988, so 2021 is the 34th); none: no ordinal is shown."""

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

    @model_validator(mode="after")
    def _named(self) -> Observance:
        if (self.name is None) == (not self.names):
            raise problem(
                "请写 name（一直使用的名称）或 names（名称的变化，每项写 from 年份），二者只写一个。",
                "Give either name (a name that never changed) or names (its names over time, each with from), "
                "not both and not neither.",
            )
        if self.names:
            newest = max(self.names, key=lambda n: n.from_)
            object.__setattr__(self, "name", Text(zh=newest.zh, en=newest.en))  # frozen: set once, here
            object.__setattr__(self, "derived_texts", ("name",))  # counted once, in names, for translations
        self._check_first_held()
        return self

    def _check_first_held(self) -> None:
        first_from = min((n.from_ for n in self.names), default=None)
        if first_from is not None and self.since is not None and self.since != first_from:
            raise problem_at(
                "since",
                f"since {self.since} 与第一个名称的 from {first_from} 不一致。写了 names 时可以省略 since。",
                f"since {self.since} differs from {first_from}, the from of the first name. "
                "With names, since can be left out.",
            )
        fallback = [n.from_ for n in self.names if n.first_year is None] or ([self.since] if self.since else [])
        if self.first_year is not None and fallback and self.first_year > min(fallback):
            raise problem_at(
                "first_year",
                f"first_year {self.first_year} 晚于设立年份 {min(fallback)}：此前的活动将没有序数（“第几个”）。",
                f"first_year {self.first_year} is after {min(fallback)}, the first year it was held: events "
                "before it would have no ordinal.",
            )

    @property
    def first_held(self) -> int | None:
        """The first year it was held: ``since``, else the first name's ``from``, else ``first_year``."""
        first_from = min((n.from_ for n in self.names), default=None)
        return self.since or first_from or self.first_year

    def name_in(self, year: int) -> Text:
        """The name in force in ``year`` (before the first name: the first)."""
        if not self.names:
            assert self.name is not None
            return self.name
        ordered = sorted(self.names, key=lambda n: n.from_)
        return next((n for n in reversed(ordered) if n.from_ <= year), ordered[0])

    def name_on(self, day: date | int, lang: str) -> str:
        """The name in force on ``day`` (a date or a year) in ``lang``, falling back to Chinese."""
        name = self.name_in(day if isinstance(day, int) else day.year)
        return name.get(lang) or name.zh

    def ordinal_base(self, year: int) -> int | None:
        """The year the ordinal of ``year``'s name counts from, or ``None`` when it has no ordinal."""
        name = self.name_in(year)
        own = name.first_year if isinstance(name, ObservanceName) else None
        return own if own is not None else self.first_year

    def ordinal(self, year: int) -> int | None:
        """Which time it is held in ``year`` (2021 → 8 for 国家宪法日); ``None``: no ordinal, or before the first."""
        base = self.ordinal_base(year)
        return year - base + 1 if base is not None and year >= base else None

    def caption(self, day: date, lang: str) -> str:
        """The name on ``day`` with its ordinal: 第八个国家宪法日 / the 8th National Constitution Day."""
        name = self.name_in(day.year)
        number = self.ordinal(day.year)
        if lang == "en" and name.en:
            return f"the {ordinal_en(number)} {name.en}" if number else name.en
        return f"{ordinal_zh(number)}{name.zh}" if number else name.zh


def event_rows(observances: Iterable[Observance], events: Iterable[Event], lang: str) -> list[tuple[Event, str | None]]:
    """Events by date, each with its observance as named on its date (第八个国家宪法日), if it has one."""
    by_id = {o.id: o for o in observances}
    rows: list[tuple[Event, str | None]] = []
    for event in sorted(events, key=lambda e: e.date):
        observance = by_id.get(event.observance or "")
        rows.append((event, observance.caption(event.date, lang) if observance else None))
    return rows
