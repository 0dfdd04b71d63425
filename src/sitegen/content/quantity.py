"""Figures as office editors write them: ``12,000``, ``1.2万``, ``1000余``, ``约300``, ``20xx``.

Each is parsed with its exact meaning into a :class:`Quantity` and never guessed: ``1000余`` is
"more than 1000", kept as such, and a sum that includes it is "more than" too (:meth:`Quantity.sum`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, WithJsonSchema, model_validator

from .bilingual import TEXT_SCHEMA, Frozen, TextField, problem, reject_fullwidth

Number = int | float
Qualifier = Literal["exact", "more_than", "at_least", "about"]

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
    reject_fullwidth(s)
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
                "note": TEXT_SCHEMA,
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
