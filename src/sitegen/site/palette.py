"""Colours of chart categories: the same on every chart and page, never two alike in one chart.

Events are charted in two families that never share a chart: by *occasion* (observance days and
campaigns, plus "other days" for events on neither) and by *kind* (lecture, exhibition …, plus
"kind not given"). A category's colour comes from its place in the site's registry
(``observances.yaml``: observances, then campaigns; or kinds), so it depends on nothing but the
registry: every chart and page, and every rebuild, shows it alike.

The palette is Tableau 20 without its greys: the nine strong hues first, then their light
companions, so neighbours in the registry differ in hue and the second nine differ from the first
in lightness as well (which readers with a colour-vision deficiency still see). The greys are kept
for "other days / kind not given" (dark) and "Other" (light). A family larger than the palette
wraps around; in a chart where two categories would share a colour, the smaller one joins "Other",
whose members the chart's table names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.model import Content
from .figures import NONE
from .i18n import Locale

PALETTE: tuple[str, ...] = (
    "#4E79A7",  # blue
    "#F28E2B",  # orange
    "#59A14F",  # green
    "#E15759",  # red
    "#B6992D",  # olive
    "#499894",  # teal
    "#B07AA1",  # purple
    "#D37295",  # pink
    "#9D7660",  # brown
    "#A0CBE8",  # light blue
    "#FFBE7D",  # light orange
    "#8CD17D",  # light green
    "#FF9D9A",  # light red
    "#F1CE63",  # light olive
    "#86BCB6",  # light teal
    "#D4A6C8",  # light purple
    "#FABFD2",  # light pink
    "#D7B5A6",  # light brown
)
"""Colours of registered categories, in registry order (Tableau 20, greys set apart)."""
NONE_COLOUR = "#79706E"
"""Events on no observance or campaign ("other days"), or of no kind."""
OTHER = "_other"
"""The series that groups categories sharing a colour with a larger one in the same chart."""
OTHER_COLOUR = "#BAB0AC"


@dataclass(frozen=True)
class Family:
    """One way of charting events: its registry (in order) and display names in one language."""

    key: str
    """``occasion`` or ``kind``: the prefix of series ids, e.g. ``occasion:constitution-day``."""
    ids: tuple[str, ...]
    names: Mapping[str, str]

    def colour(self, cat: str) -> str:
        """The colour of ``cat`` wherever it is charted."""
        if cat == NONE:
            return NONE_COLOUR
        if cat == OTHER:
            return OTHER_COLOUR
        return PALETTE[self.slot(cat)]

    def slot(self, cat: str) -> int:
        """Where ``cat`` sits in the palette: its registry place (ids not registered: after them, by id)."""
        index = self.ids.index(cat) if cat in self.ids else len(self.ids) + sum(map(ord, cat))
        return index % len(PALETTE)

    def series_id(self, cat: str) -> str:
        return f"{self.key}:{cat}"

    def order(self, cat: str) -> tuple[int, int, str]:
        """Registry order, then unregistered ids, then "other days", then "Other"."""
        if cat in self.ids:
            return (0, self.ids.index(cat), "")
        return ({NONE: 2, OTHER: 3}.get(cat, 1), 0, cat)


def occasions(content: Content, loc: Locale) -> Family:
    """Observances and campaigns, with "other days" for events on neither."""
    items = (*content.observances, *content.campaigns)
    names = {item.id: loc.text(item.name) for item in items}
    return Family("occasion", tuple(item.id for item in items), {**names, **_extra(loc, "other_days")})


def kinds(content: Content, loc: Locale) -> Family:
    """Event kinds, with "kind not given" for events of none."""
    names = {item.id: loc.text(item.name) for item in content.kinds}
    return Family("kind", tuple(item.id for item in content.kinds), {**names, **_extra(loc, "no_kind")})


def _extra(loc: Locale, none_label: str) -> dict[str, str]:
    return {NONE: loc.t(none_label), OTHER: loc.t("other")}


def grouped(family: Family, totals: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """The categories a chart shows in order (``OTHER`` last if any), and those "Other" holds.

    Of the categories in ``totals`` that would share a colour, the one with the most events keeps
    it (a tie: the first in the registry); the others join "Other".
    """
    present = sorted((c for c, n in totals.items() if n), key=family.order)
    keeper: dict[int, str] = {}
    for cat in sorted((c for c in present if c != NONE), key=lambda c: (-totals[c], family.order(c))):
        keeper.setdefault(family.slot(cat), cat)
    kept = set(keeper.values())
    members = [c for c in present if c != NONE and c not in kept]
    shown = [c for c in present if c == NONE or c in kept]
    return ([*shown, OTHER] if members else shown), members
