"""Values as office editors write them: numbers, qualified figures, dates, bilingual text.

Every parser accepts the forms people really type (``12,000``, ``1.2万``, ``1000余``,
``2018.12.4``, ``2018年12月4日``) with their exact meaning, and rejects everything else
with a message that shows the fix. Numbers are never guessed: ``1000余`` is "more than
1000", kept as such, and is never added into a sum as if it were exact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

Number = int | float
Qualifier = Literal["exact", "more_than", "at_least", "about"]


def problem(zh: str, en: str) -> PydanticCustomError:
    """A validation error whose message is written for editors, in both languages."""
    return PydanticCustomError("sitegen", "{en}", {"zh": zh, "en": en})


def messages(exc: Exception) -> tuple[str, str]:
    """The (Chinese, English) message of an error raised by :func:`problem`."""
    ctx = getattr(exc, "context", None) or {}
    return ctx.get("zh", str(exc)), ctx.get("en", str(exc))


class Frozen(BaseModel):
    """Base of every content model: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)


# --------------------------------------------------------------------------- full-width


def _reject_fullwidth(text: str) -> None:
    normal = unicodedata.normalize("NFKC", text)
    if normal != text and any(unicodedata.east_asian_width(c) == "F" for c in text):
        wide = "".join(sorted({c for c in text if unicodedata.east_asian_width(c) == "F"}))
        raise problem(
            f"“{text}”里有全角字符“{wide}”（中文输入法输入的数字或符号）。请改为半角：{normal}",
            f'"{text}" contains full-width characters "{wide}" (typed with a Chinese input method). '
            f"Type them half-width: {normal}",
        )


# --------------------------------------------------------------------------- text


class Text(Frozen):
    """Text in Chinese and, once translated, English. A missing ``en`` is normal."""

    zh: str
    en: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        if not self.zh:
            raise problem("中文内容不能为空。", "The Chinese text cannot be empty.")
        return self

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or ``None`` when not translated."""
        return self.zh if lang == "zh" else self.en


def _text_input(raw: Any) -> Any:
    if isinstance(raw, str):
        return {"zh": raw}
    if isinstance(raw, list):
        raise problem(
            "这里应是一段文字（或 zh:/en: 两行），不是列表。",
            "This must be a piece of text (or zh:/en: lines), not a list.",
        )
    if isinstance(raw, dict) and raw.get("en") == "":
        return {**raw, "en": None}
    return raw


_TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string", "description": "中文 (Chinese only; English not translated yet)"},
        {
            "type": "object",
            "properties": {"zh": {"type": "string"}, "en": {"type": ["string", "null"]}},
            "required": ["zh"],
            "additionalProperties": False,
        },
    ]
}
TextField = Annotated[Text, BeforeValidator(_text_input), WithJsonSchema(_TEXT_SCHEMA)]
"""A bilingual field: a plain string (Chinese) or ``{zh: …, en: …}``."""


# --------------------------------------------------------------------------- numbers

_PREFIX = {
    "约": "about", "大约": "about", "近": "about", "~": "about", "≈": "about",
    "超过": "more_than", "逾": "more_than", "多于": "more_than", "大于": "more_than", ">": "more_than",
    "不少于": "at_least", "不低于": "at_least", "至少": "at_least", ">=": "at_least", "≥": "at_least",
}  # fmt: skip
_SUFFIX = {
    "余": "more_than", "多": "more_than", "+": "more_than",
    "以上": "at_least", "左右": "about",
}  # fmt: skip
_MULTIPLIER = {"万": 10_000, "亿": 100_000_000, "千": 1_000}
_UNITS = [
    "万元",
    "元",
    "人次",
    "人",
    "场次",
    "场",
    "次",
    "份",
    "册",
    "本",
    "条",
    "期",
    "分",
    "%",
    "个",
    "小时",
    "学时",
    "课时",
    "篇",
    "项",
    "家",
    "所",
    "处",
    "块",
    "张",
    "套",
    "幅",
    "件",
    "名",
    "位",
    "起",
    "天",
    "次数",
]
_NUMBER = re.compile(
    r"^(?P<pre>" + "|".join(sorted(map(re.escape, _PREFIX), key=len, reverse=True)) + r")?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<post1>余|多)?(?P<mult>[万亿千])?"
    r"(?P<post2>" + "|".join(sorted(map(re.escape, _SUFFIX), key=len, reverse=True)) + r")?"
    r"(?P<unit>" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")?$"
)
_REDACTED = re.compile(r"^[\d,.]*[xX×*＊][\dxX×*＊,.]*(?:[万亿千]|万元|元)?$")

NUMBER_HELP_ZH = "可以写 1200、12,000、1.2万、1000余（一千多）、96以上（至少96）、约300。"
NUMBER_HELP_EN = (
    "Write it like 1200, 12,000, 1.2万, 1000余 (more than 1000), 96以上 (at least 96) or 约300 (about 300)."
)


MAX_FIGURE = Decimal(10) ** 15
"""No reported figure is larger (10¹⁵ 元 is several times China's GDP)."""


def parse_number(text: str) -> tuple[Number, Qualifier]:
    """Parse an editor's number into (value, qualifier), or raise a bilingual error."""
    s = re.sub(r"\s+", "", text)
    _reject_fullwidth(s)
    if s.startswith("-") or s.startswith("负"):
        raise problem(f"“{text}”是负数，这里不能为负。", f'"{text}" is negative; this value cannot be negative.')
    m = _NUMBER.match(s)
    if not m:
        if re.fullmatch(r"[\d,]+", s):
            raise problem(
                f"“{text}”里的逗号位置不对：千位分隔应每三位一个，例如 12,000。也可以不写逗号：12000。",
                f'The commas in "{text}" are misplaced: thousands separators go every three digits, '
                "as in 12,000. You can also leave them out: 12000.",
            )
        raise problem(f"“{text}”不是一个数字。{NUMBER_HELP_ZH}", f'"{text}" is not a number. {NUMBER_HELP_EN}')
    try:
        value = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise problem(f"“{text}”不是一个数字。", f'"{text}" is not a number.') from None
    if m["mult"]:
        value *= _MULTIPLIER[m["mult"]]
    if m["unit"] == "万元":
        value *= 10_000
    if value > MAX_FIGURE:  # beyond any real figure, and beyond what charts and formats can hold
        raise problem(f"“{text}”太大了，请检查是否多写了数字。", f'"{text}" is too large; check for extra digits.')
    found = [_PREFIX.get(m["pre"] or ""), _SUFFIX.get(m["post1"] or ""), _SUFFIX.get(m["post2"] or "")]
    qualifiers = [q for q in found if q]
    if len(qualifiers) > 1:
        raise problem(
            f"“{text}”里同时有两种限定词，只保留一种（例如“1000余”或“约1000”）。",
            f'"{text}" has two qualifiers at once; keep one (such as 1000余 or 约1000).',
        )
    qualifier: Qualifier = qualifiers[0] if qualifiers else "exact"  # type: ignore[assignment]
    number: Number = int(value) if value == value.to_integral_value() else float(value)
    return number, qualifier


class Quantity(Frozen):
    """A reported figure with its qualifier, or the record that the source hid or garbled it."""

    value: Number | None = None
    """The number; ``None`` when the source value is redacted or unreadable."""
    qualifier: Qualifier = "exact"
    """``exact``; ``more_than`` (余, 多); ``at_least`` (以上, 不少于); ``about`` (约, 左右)."""
    redacted: str | None = None
    """The source text when the value is redacted in the source (``20xx``, ``xxxx``)."""
    unreadable: str | None = None
    """The source text when the value is garbled in the source ("1 10,000 yuan")."""
    text: str | None = None
    """The figure exactly as the editor wrote it."""
    note: TextField | None = None
    """What the reader should know about this figure (its source, its span, why it is unreadable)."""

    @model_validator(mode="after")
    def _one_form(self) -> Quantity:
        forms = [x is not None for x in (self.value, self.redacted, self.unreadable)]
        if sum(forms) != 1:
            raise problem(
                "请只填写 value（数值）、redacted（原文被隐去）、unreadable（原文无法辨认）三者之一。",
                "Give exactly one of value (the number), redacted (hidden in the source) or unreadable "
                "(garbled in the source).",
            )
        if self.value is not None and self.value < 0:
            raise problem("数值不能为负。", "The value cannot be negative.")
        return self

    @classmethod
    def of(cls, value: Number, qualifier: Qualifier = "exact") -> Quantity:
        """A computed figure (no validation: the value comes from validated figures)."""
        return cls.model_construct(value=value, qualifier=qualifier)

    @property
    def known(self) -> bool:
        """True when there is a number (exact or qualified)."""
        return self.value is not None

    @property
    def exact(self) -> bool:
        return self.value is not None and self.qualifier == "exact"

    def __add__(self, other: Quantity) -> Quantity:
        """Sum two figures honestly: any inexact or missing part makes the sum inexact."""
        result = Quantity.sum((self, other))
        assert result is not None
        return result

    @classmethod
    def sum(cls, values: Iterable[Quantity | None]) -> Quantity | None:
        """The honest total of ``values`` (``None`` entries skipped; nothing at all gives ``None``).

        Exact + exact is exact. Any "about" part makes the total "about"; otherwise any "more than"
        part makes it "more than"; an "at least" part, or a part the source hid or garbled (which
        counts as at least zero), makes it "at least".
        """
        total: Number = 0
        seen = False
        kinds: set[str] = set()
        for q in values:
            if q is None:
                continue
            seen = True
            if q.value is None:
                kinds.add("missing")
            else:
                total += q.value
                if q.qualifier != "exact":
                    kinds.add(q.qualifier)
        if not seen:
            return None
        for qualifier in ("about", "more_than"):
            if qualifier in kinds:
                return cls.of(total, qualifier)  # type: ignore[arg-type]
        return cls.of(total, "at_least" if kinds else "exact")


def _quantity_input(whole: bool) -> Any:
    def convert(raw: Any) -> Any:
        if isinstance(raw, bool):
            raise problem(f"“{raw}”不是数字。", f'"{raw}" is not a number.')
        if isinstance(raw, int | float):
            return {"value": raw}
        if isinstance(raw, str):
            return _parse_quantity_text(raw, whole)
        if isinstance(raw, dict) and isinstance(raw.get("value"), str):
            value, qualifier = parse_number(raw["value"])
            _check_whole(value, raw["value"], whole)
            merged = {**raw, "value": value}
            if qualifier != "exact":
                merged.setdefault("qualifier", qualifier)
            return merged
        return raw

    return convert


def _parse_quantity_text(raw: str, whole: bool) -> dict[str, Any]:
    s = raw.strip()
    if _REDACTED.match(s):
        return {"redacted": s}
    value, qualifier = parse_number(s)
    _check_whole(value, raw, whole)
    return {"value": value, "qualifier": qualifier, "text": s}


def _check_whole(value: Number, raw: str, whole: bool) -> None:
    if whole and not isinstance(value, int):
        raise problem(
            f"“{raw}”应是整数（场次、人数、份数不能有小数）。",
            f'"{raw}" must be a whole number (counts of events, people or copies have no decimals).',
        )


_QUANTITY_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "description": "1200, 12,000, 1.2万, 1000余, 96以上, 约300, xxxx (redacted)"},
        {
            "type": "object",
            "properties": {
                "value": {"type": ["number", "string"]},
                "qualifier": {"enum": ["exact", "more_than", "at_least", "about"]},
                "redacted": {"type": "string"},
                "unreadable": {"type": "string"},
                "note": _TEXT_SCHEMA,
            },
            "additionalProperties": False,
        },
    ]
}

Count = Annotated[Quantity, BeforeValidator(_quantity_input(whole=True)), WithJsonSchema(_QUANTITY_SCHEMA)]
"""A whole-number figure: events, people, copies."""
Amount = Annotated[Quantity, BeforeValidator(_quantity_input(whole=False)), WithJsonSchema(_QUANTITY_SCHEMA)]
"""A figure that may have decimals: money in 元, hours, scores, percentages."""


def _plain_number(whole: bool) -> Any:
    def convert(raw: Any) -> Any:
        if isinstance(raw, str):
            value, qualifier = parse_number(raw)
            if qualifier != "exact":
                raise problem(
                    f"“{raw}”这里需要一个确切的数字，不能带“余、以上、约”等限定词。",
                    f'"{raw}" must be an exact number here, without 余, 以上, 约 or similar.',
                )
            _check_whole(value, raw, whole)
            return value
        return raw

    return convert


Int = Annotated[int, BeforeValidator(_plain_number(whole=True)), WithJsonSchema({"type": ["integer", "string"]})]
"""An exact whole number written any way editors write one (``12,000``, ``1.2万``)."""


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
    _reject_fullwidth(s)
    for form in _DATE_FORMS:
        if m := form.match(s):
            return _make_date(int(m["y"]), int(m["m"]), int(m["d"]), text)
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


def _make_date(year: int, month: int, day: int, text: str) -> date:
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
    _reject_fullwidth(clock)
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
