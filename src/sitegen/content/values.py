"""Values as office editors write them: numbers, qualified figures, dates, bilingual text.

Every parser accepts the forms people really type (``12,000``, ``1.2万``, ``1000余``,
``2018.12.4``, ``2018年12月4日``) with their exact meaning, and rejects everything else
with a message that shows the fix. Figures are in :mod:`~sitegen.content.quantity`, bilingual
text and the editors' errors in :mod:`~sitegen.content.bilingual`; both are offered here too.
This module holds dates, times and ids.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from .bilingual import Frozen, Text, TextField, messages, problem, reject_fullwidth  # noqa: F401 (offered here)
from .quantity import (  # noqa: F401 (offered here)
    MAX_FIGURE,
    NUMBER_HELP_EN,
    NUMBER_HELP_ZH,
    Amount,
    Count,
    Int,
    Number,
    Qualifier,
    Quantity,
    parse_number,
)

# --------------------------------------------------------------------------- dates

_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
)
_TIME_FORMS = (
    re.compile(r"^(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2}))?$"),
    re.compile(r"^(?P<h>\d{1,2})[时点](?P<min>\d{1,2})分?$"),
)
DATE_HELP_ZH = "日期请写成 年-月-日，例如 2018-12-04（也可写 2018.12.4 或 2018年12月4日）。"
DATE_HELP_EN = "Write dates as year-month-day, e.g. 2018-12-04 (2018.12.4 and 2018年12月4日 also work)."


def parse_date(text: str) -> date:
    """Parse ``2018-12-04``, ``2018.12.4``, ``2018/12/4`` or ``2018年12月4日``."""
    s = re.sub(r"\s+", "", text)
    reject_fullwidth(s)
    for form in _DATE_FORMS:
        if m := form.match(s):
            return make_date(int(m["y"]), int(m["m"]), int(m["d"]), text)
    if re.fullmatch(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}", s):
        raise problem(
            f"“{text}”的年份应写在最前面。{DATE_HELP_ZH}",
            f'In "{text}" the year must come first. {DATE_HELP_EN}',
        )
    if re.fullmatch(r"\d{4}([-./]\d{1,2}|年\d{1,2}月?)", s):
        raise problem(
            f"“{text}”缺少“日”。{DATE_HELP_ZH}",
            f'"{text}" has no day. {DATE_HELP_EN}',
        )
    raise problem(f"“{text}”不是有效的日期。{DATE_HELP_ZH}", f'"{text}" is not a date. {DATE_HELP_EN}')


def make_date(year: int, month: int, day: int, text: str) -> date:
    """The date, or a bilingual error naming ``text`` (a year outside 1900–2100, no such month or day)."""
    if not 1900 <= year <= 2100:
        raise problem(f"“{text}”的年份 {year} 不合理。", f'"{text}": the year {year} is not plausible.')
    if not 1 <= month <= 12:
        raise problem(f"“{text}”的月份 {month} 不存在。", f'"{text}": there is no month {month}.')
    try:
        return date(year, month, day)
    except ValueError:
        raise problem(
            f"“{text}”：{year}年{month}月没有{day}日。",
            f'"{text}": {date(year, month, 1):%B} {year} has no day {day}.',
        ) from None


def parse_datetime(text: str) -> tuple[date, time | None]:
    """Parse a date with an optional time: ``2021-07-26 09:33`` or ``2021年7月26日 9时33分``."""
    s = text.strip()
    parts = re.split(r"[\sT]+", s, maxsplit=1)
    if len(parts) == 1 and (m := re.match(r"^(.*日)(\d.*)$", s)):
        parts = [m[1], m[2]]
    day = parse_date(parts[0])
    if len(parts) == 1:
        return day, None
    clock = parts[1].strip()
    reject_fullwidth(clock)
    for form in _TIME_FORMS:
        if m := form.match(clock):
            hour, minute = int(m["h"]), int(m["min"])
            if hour < 24 and minute < 60:
                return day, time(hour, minute)
    raise problem(
        f"“{text}”的时间部分“{clock}”无效，请写成 时:分，例如 2021-07-26 09:33。",
        f'The time "{clock}" in "{text}" is not valid; write hours:minutes, e.g. 2021-07-26 09:33.',
    )


def _date_input(raw: Any) -> Any:
    if isinstance(raw, str):
        return parse_date(raw)
    if isinstance(raw, datetime):
        return raw.date()
    return raw


Date = Annotated[
    date,
    BeforeValidator(_date_input),
    WithJsonSchema({"type": "string", "description": "2018-12-04, 2018.12.4 or 2018年12月4日"}),
]


class Timestamp(Frozen):
    """A publication date with an optional time of day (发布时间)."""

    day: date
    clock: time | None = None

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.clock:%H:%M}" if self.clock else self.day.isoformat()


def _timestamp_input(raw: Any) -> Any:
    if isinstance(raw, str):
        day, clock = parse_datetime(raw)
        return {"day": day, "clock": clock}
    if isinstance(raw, datetime):
        return {"day": raw.date(), "clock": raw.time().replace(second=0, microsecond=0)}
    if isinstance(raw, date):
        return {"day": raw}
    return raw


TimestampField = Annotated[
    Timestamp,
    BeforeValidator(_timestamp_input),
    WithJsonSchema({"type": "string", "description": "2021-07-26 09:33 (the time may be left out)"}),
]


# --------------------------------------------------------------------------- identifiers

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def check_slug(raw: Any) -> Any:
    """Ids become URLs: lowercase ASCII letters, digits and hyphens."""
    if isinstance(raw, str) and not _SLUG.match(raw):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", raw.strip().lower()).strip("-") or "example-id"
        raise problem(
            f"编号“{raw}”只能用小写英文字母、数字和连字符“-”（它会出现在网址里），例如：{suggestion}",
            f'The id "{raw}" may use only lowercase letters, digits and hyphens (it becomes part of '
            f"a web address), e.g. {suggestion}",
        )
    return raw


Slug = Annotated[str, BeforeValidator(check_slug), WithJsonSchema({"type": "string", "pattern": _SLUG.pattern})]


def one_or_many(raw: Any) -> Any:
    """Let a list field be written as a single value."""
    return [raw] if isinstance(raw, str | dict) else raw
