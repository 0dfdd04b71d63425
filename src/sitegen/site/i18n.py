"""Interface strings and number/date formats for Chinese and English pages.

Numbers keep their qualifier: ``1000余`` / ``1,000+``, ``96以上`` / ``≥ 96``, ``约300`` /
``about 300``; a value the source hid or garbled says so instead of showing a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..content.indicators import BY_ID, GROUPS
from ..content.model import Lang
from ..content.values import Number, Quantity, Text, Timestamp
from .strings import STRINGS

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

UNITS: dict[str, tuple[str, str]] = {
    "yuan": ("元", "yuan"),
    "person_times": ("人次", "attendances"),
    "events": ("场", "events"),
    "sessions": ("次", "sessions"),
    "copies": ("份", "copies"),
    "volumes": ("册", "volumes"),
    "banners": ("条", "banners"),
    "issues": ("期", "issues"),
    "channels": ("个", "channels"),
    "posts": ("条", "posts"),
    "points": ("分", "points"),
    "percent": ("%", "%"),
    "incidents": ("起", "incidents"),
    "hours": ("学时", "hours"),
    "people": ("人", "people"),
}

MEASURES_EN: dict[str, str] = {
    "人": "people",
    "人次": "attendances",
    "册": "copies",
    "本": "copies",
    "份": "copies",
    "场": "events",
    "场次": "events",
    "次": "times",
    "期": "issues",
    "条": "items",
    "个": "items",
    "篇": "articles",
    "起": "incidents",
    "分": "points",
    "%": "%",
    "学时": "hours",
    "小时": "hours",
    "元": "yuan",
}
"""English for a measure word the source wrote itself (``1000余册`` → copies, ``30人`` → people)."""

_SINGULAR = {"people": "person", "copies": "copy", "%": "%"}

SECTION_TITLES: dict[str, tuple[str, str]] = {
    "overview": ("总体情况", "Overview"),
    "leadership": ("组织领导", "Leadership"),
    "systems": ("制度建设", "Working systems"),
    "funding": ("经费保障", "Funding"),
    "responsibility": ("普法责任制", "Responsibility system"),
    "study": ("学法用法", "Study and application of law by officials"),
    "publicity": ("宣传活动", "Publicity"),
    "culture": ("法治文化阵地", "Legal-culture sites"),
    "assessment": ("考核评估", "Assessment"),
    "integration": ("服务大局", "Serving the overall work"),
    "problems": ("问题与下一步", "Problems and next steps"),
}


@dataclass(frozen=True)
class Locale:
    """Everything language-dependent that a page needs."""

    lang: Lang

    def t(self, key: str, **kw: object) -> str:
        """The interface string ``key``."""
        zh, en = STRINGS[key]
        text = zh if self.lang == "zh" else en
        return text.format(**kw) if kw else text

    def unit(self, key: str) -> str:
        zh, en = UNITS[key]
        return zh if self.lang == "zh" else en

    def figure(self, key: str) -> str:
        """The name of an indicator (``events`` → 宣传活动 / Publicity events)."""
        return BY_ID[key].name(self.lang)

    def group(self, key: str) -> str:
        """The name of an indicator group (``study`` → 学法培训 / Study and training)."""
        info = GROUPS[key]
        return info.zh if self.lang == "zh" else info.en

    def value(self, q: Quantity | None, key: str) -> str:
        """Indicator ``key``'s value as offices write it: its own measure word, 约/余 rounded, its span.

        ``1000余册`` keeps 册 where the indicator counts 份; ``约86262`` people reads ``约8.6万人次`` /
        ``about 86,000 attendances``; a figure covering part of the period adds it: ``12期（自20xx年以来）``.
        """
        if q is None or q.value is None:
            return self.quantity(q)
        measure = BY_ID[key].measure
        zh_word = q.unit or measure[0]
        en_word = measure[1] if zh_word == measure[0] else MEASURES_EN.get(zh_word, measure[1])
        if zh_word == "元":
            text = self.money(q)
        else:
            body = self._rounded(q)
            word = zh_word if self.lang == "zh" else _singular(en_word, q)
            text = self._qualified(body, q.qualifier, None, word)
        if q.span is not None:
            span = self.text(q.span)
            text += f"（{span}）" if self.lang == "zh" else f" ({span})"
        return text

    def _rounded(self, q: Quantity) -> str:
        """约 and 余 figures of 10,000 and more as offices write them: 约8.6万 / about 86,000."""
        assert q.value is not None
        if q.qualifier not in ("about", "more_than") or q.value < 10_000:
            return self.number(q.value)
        if self.lang == "zh":
            wan = q.value / 10_000
            wan = round(wan, 1) if q.qualifier == "about" else int(wan * 10) / 10
            return f"{wan:.1f}".removesuffix(".0") + "万"
        step = 1000
        rounded = round(q.value / step) * step if q.qualifier == "about" else int(q.value // step) * step
        return self.number(rounded)

    def section(self, key: str) -> str:
        zh, en = SECTION_TITLES[key]
        return zh if self.lang == "zh" else en

    def text(self, value: Text | None) -> str:
        """A bilingual field in this language, falling back to Chinese."""
        if value is None:
            return ""
        return value.get(self.lang) or value.zh

    def translated(self, value: Text | None) -> bool:
        return value is None or value.get(self.lang) is not None

    def number(self, value: Number) -> str:
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        else:
            text = f"{int(value):,}"
        return text if self.lang == "en" else text.replace(",", "")

    def quantity(self, q: Quantity | None, unit: str | None = None) -> str:
        """A figure with its qualifier (and unit), e.g. ``1000余册`` / ``1,000+ volumes``."""
        if q is None:
            return self.t("no_data")
        if q.redacted is not None:
            return self.t("redacted")
        if q.unreadable is not None:
            return self.t("unreadable")
        assert q.value is not None
        if unit == "yuan":
            return self.money(q)
        return self._qualified(self.number(q.value), q.qualifier, unit)

    def money(self, q: Quantity) -> str:
        """Money: ``1.1万元`` / ``CNY 11,000``."""
        assert q.value is not None
        if self.lang == "zh":
            if q.value >= 10_000:
                wan = round(q.value / 10_000, 2)
                body = (f"{wan:.2f}".rstrip("0").rstrip(".")) + "万"
            else:
                body = self.number(q.value)
            return self._qualified(body, q.qualifier, "yuan")
        return self._qualified("CNY " + self.number(q.value), q.qualifier, None)

    def _qualified(self, body: str, qualifier: str, unit: str | None, word: str | None = None) -> str:
        unit_text = word if word is not None else (self.unit(unit) if unit else "")
        if self.lang == "zh":
            forms = {"exact": f"{body}{unit_text}", "more_than": f"{body}余{unit_text}"}
            forms["at_least"] = f"{body}{unit_text}以上"
            forms["about"] = f"约{body}{unit_text}"
        else:
            sep = " " if unit_text and unit_text != "%" else ""
            tail = f"{sep}{unit_text}"
            forms = {"exact": f"{body}{tail}", "more_than": f"{body}+{tail}"}
            forms["at_least"] = f"≥ {body}{tail}"
            forms["about"] = f"about {body}{tail}"
        return forms[qualifier]

    def date(self, day: date) -> str:
        """``2021年7月26日`` / ``26 July 2021``."""
        if self.lang == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"

    def timestamp(self, stamp: Timestamp) -> str:
        """发布时间 as government sites print it: ``2021-07-26 09:33``."""
        return str(stamp)


def _singular(word: str, q: Quantity) -> str:
    if q.value == 1 and q.qualifier == "exact":
        return _SINGULAR.get(word, word.removesuffix("s"))
    return word


LOCALES: dict[str, Locale] = {"zh": Locale("zh"), "en": Locale("en")}
