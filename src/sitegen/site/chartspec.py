"""What a chart shows, in one language (:class:`ChartSpec`, :class:`Series`), and the JSON that carries its
options into a page (:func:`safe_json`): shared by :mod:`sitegen.site.charts` and
:mod:`sitegen.site.chartoptions`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from ..content.values import Quantity


@dataclass(frozen=True)
class Series:
    name: str
    """Label in the page's language."""
    values: tuple[Quantity | None, ...]
    """One per category; ``None`` = no data."""
    kind: Literal["bar", "line"] = "bar"
    stack: str | None = None
    """Series with the same stack are stacked."""
    axis: int = 0
    """0 = left y axis, 1 = right y axis."""
    key: str | None = None
    """The series id in the options (e.g. ``occasion:constitution-day``): what the series stands for."""
    colour: str | None = None
    """``#RRGGBB``; ``None`` leaves it to ECharts' palette."""
    members: tuple[str, ...] = ()
    """Names of what this series groups ("Other"): the table and CSV header list them."""


@dataclass(frozen=True)
class ChartSpec:
    name: str
    """Stable name, e.g. ``xinzhou-office/bawu/events``; the id derives from it."""
    lang: str
    """``zh`` or ``en``."""
    title: str
    categories: tuple[str, ...]
    """x-axis labels, e.g. ``("2021", …, "2025")``."""
    series: tuple[Series, ...]
    axis_names: tuple[str, ...]
    """y-axis name(s), e.g. ``("场",)`` or ``("sessions", "person-times")``."""
    summary: str
    """One sentence in the page's language, written by the caller."""
    category_label: str
    """Header of the first table column, e.g. ``年份`` / ``Year``."""


def safe_json(value: object) -> str:
    """Compact, key-sorted JSON that is safe inside HTML ``<script>`` and JavaScript source.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no ``</script>`` or
    ``<!--`` can appear); U+2028 and U+2029 become ``\\u2028``, ``\\u2029`` (line terminators
    in older JavaScript). These characters can only occur inside JSON strings, where the
    escapes mean the same characters, so ``json.loads`` gives back exactly ``value``.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
