"""The chart legend: a plain legend that wraps, with the room below the plot computed from its entries.

ECharts' ``scroll`` legend hides entries behind page buttons; this one shows every name in full,
wrapping a long name onto more lines, and the grid leaves room for its rows.
``templates/assets/charts.js`` repeats :func:`legend_height` with the real text widths at the
chart's real width, since a phone's chart is narrower than :data:`NOMINAL_WIDTH`.
"""

from __future__ import annotations

from typing import Any

LEGEND: dict[str, int] = {
    "itemWidth": 25,
    "itemHeight": 14,
    "itemGap": 10,
    "padding": 5,
    "left": 16,
    "right": 16,
    "bottom": 0,
}
"""The legend's layout (px), below the plot; ``templates/assets/charts.js`` reads it to fit the legend."""
TEXT_WIDTH = 240
"""px: charts.js gives a legend name wider than this that width, and it wraps onto more lines (never cut)."""
LINE_HEIGHT = 16
LEGEND_TEXT: dict[str, Any] = {"fontSize": 12, "lineHeight": LINE_HEIGHT}
NOMINAL_WIDTH = 640
"""The chart width (px) the grid's room for the legend is computed for; charts.js redoes it for the real width."""
_TEXT_GAP = 5  # ECharts: between a legend item's symbol and its text


def legend(base: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """A plain legend that wraps onto as many rows as it needs, naming every series in full."""
    kept = {k: v for k, v in base.items() if k in ("show", "selectedMode")}
    return {**kept, **LEGEND, "data": names, "type": "plain", "textStyle": dict(LEGEND_TEXT)}


def _text_px(text: str) -> int:
    """Estimated width of ``text`` at 12 px: wide (CJK) characters 12 px, others 7 px."""
    return sum(12 if ord(ch) >= 0x2E80 else 7 for ch in text)


def legend_height(names: list[str], width: int = NOMINAL_WIDTH) -> int:
    """The legend's height (px) at ``width``: its items packed into rows as ECharts lays them out."""
    room = width - LEGEND["left"] - LEGEND["right"] - 2 * LEGEND["padding"]
    text_width, line = TEXT_WIDTH, LINE_HEIGHT
    height, x, row = 0, 0, 0
    for name in names:
        text = _text_px(name)
        item_w = LEGEND["itemWidth"] + _TEXT_GAP + min(text, text_width)
        lines = 1 if text <= text_width else -(-text * 6 // (5 * text_width))  # as charts.js: words break early
        item_h = max(LEGEND["itemHeight"], line * lines)
        if x and x + item_w > room:  # wrap
            height, x, row = height + row + LEGEND["itemGap"], 0, 0
        x, row = x + item_w + LEGEND["itemGap"], max(row, item_h)
    return height + row + 2 * LEGEND["padding"]


def grid_bottom(names: list[str]) -> int:
    """Room below the plot for the legend (the axis labels are inside the grid: ``containLabel``)."""
    return legend_height(names) + 8
