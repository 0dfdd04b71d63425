"""Figures as office editors write them: ``12,000``, ``1.2万``, ``1000余``, ``约300``, ``20xx``.

Each is parsed with its exact meaning into a :class:`Quantity` and never guessed: ``1000余`` is
"more than 1000", kept as such, and a sum that includes it is "more than" too (:meth:`Quantity.sum`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, WithJsonSchema, model_validator

from .bilingual import TEXT_SCHEMA, Frozen, Text, TextField, problem, reject_fullwidth

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
    value, qualifier, _ = parse_figure(text)
    return value, qualifier


def parse_figure(text: str) -> tuple[Number, Qualifier, str | None]:
    """Parse an editor's figure into (value, qualifier, measure word as written: ``册``, ``人`` or None)."""
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
    unit = "元" if m["unit"] == "万元" else m["unit"]
    return number, qualifier, unit


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
    unit: str | None = None
    """The measure word the source used (``1000余册`` → 册), kept instead of the indicator's usual one."""
    span: TextField | None = None
    """When the figure covers less than the period: ``自20xx年以来`` / ``since 20xx``, ``2019—2020年``."""
    note: TextField | None = None
    """The editors' note on this figure (its source, why it is unreadable): internal, never on a page."""
    mixed: bool = False
    """Computed only: a total of exact and approximate parts (the page says it is partly estimated)."""

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
        if self.mixed:
            raise problem(
                "mixed 由网站计算（合计里既有确数又有约数时），不能手工填写。",
                "mixed is computed by the site (for a total of exact and approximate parts); do not write it.",
            )
        return self

    @classmethod
    def of(
        cls, value: Number, qualifier: Qualifier = "exact", *, unit: str | None = None, mixed: bool = False
    ) -> Quantity:
        """A computed figure (no validation: the value comes from validated figures). The model is frozen, so
        equal figures are one object (charts ask for tens of thousands of small counts)."""
        if cls is Quantity and type(value) is int:  # not floats: 0.0 and -0.0 are equal, and print apart
            return _counted(value, qualifier, unit, mixed)
        return cls.model_construct(value=value, qualifier=qualifier, unit=unit, mixed=mixed)

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
        counts as at least zero), makes it "at least". A total of exact and inexact parts is
        ``mixed``; it keeps the parts' measure word when they all share one.
        """
        parts = [q for q in values if q is not None]
        if not parts:
            return None
        total: Number = sum(q.value for q in parts if q.value is not None)
        kinds = {"missing" if q.value is None else q.qualifier for q in parts}
        inexact = kinds - {"exact"}
        mixed = any(q.mixed for q in parts) or ("exact" in kinds and bool(inexact))
        units = {q.unit for q in parts}
        unit = units.pop() if len(units) == 1 else None
        qualifier: Qualifier = "exact"
        for candidate in ("about", "more_than", "at_least"):
            if candidate in inexact or (candidate == "at_least" and inexact):
                qualifier = candidate  # type: ignore[assignment]
                break
        return cls.of(total, qualifier, unit=unit, mixed=mixed)

    def with_span(self, span: Text | None) -> Quantity:
        """The same figure, covering only ``span`` (years of a period)."""
        return self.model_copy(update={"span": span})


def _quantity_input(whole: bool) -> Any:
    def convert(raw: Any) -> Any:
        if isinstance(raw, bool):
            raise problem(f"“{raw}”不是数字。", f'"{raw}" is not a number.')
        if isinstance(raw, int | float):
            return {"value": raw}
        if isinstance(raw, str):
            return _parse_quantity_text(raw, whole)
        if isinstance(raw, dict) and isinstance(raw.get("value"), str):
            value, qualifier, unit = parse_figure(raw["value"])
            _check_whole(value, raw["value"], whole)
            merged = {**raw, "value": value, "text": raw.get("text", raw["value"].strip())}
            if qualifier != "exact":
                merged.setdefault("qualifier", qualifier)
            if unit:
                merged.setdefault("unit", unit)
            return merged
        return raw

    return convert


def _parse_quantity_text(raw: str, whole: bool) -> dict[str, Any]:
    s = raw.strip()
    if _REDACTED.match(s):
        return {"redacted": s}
    value, qualifier, unit = parse_figure(s)
    _check_whole(value, raw, whole)
    return {"value": value, "qualifier": qualifier, "text": s, **({"unit": unit} if unit else {})}


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
                "unit": {"type": "string", "description": "量词，如 册、人 / measure word as the source wrote it"},
                "span": TEXT_SCHEMA,
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


@functools.lru_cache(maxsize=4096)
def _counted(value: int, qualifier: Qualifier, unit: str | None, mixed: bool) -> Quantity:
    return Quantity.model_construct(value=value, qualifier=qualifier, unit=unit, mixed=mixed)
