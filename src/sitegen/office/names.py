"""Observance days, campaigns and event kinds by name: ids to Chinese names for the export, and back.

A list kept in Excel names an event's occasion as people say it (国家宪法日, 第十个国家宪法日,
“3·15”国际消费者权益日, 法律咨询); the YAML refers to it by id (``constitution-day``). Every name an
entry of ``observances.yaml`` has (Chinese, English, the names it had in earlier years) and its id are
known, and a cell may hold several (民法典宣传月、进社区).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import ContentErrors

if TYPE_CHECKING:
    from ..content.model import Campaign, Content, EventKind, Observance

Slot = Literal["observance", "campaign", "kind"]
SLOTS: tuple[Slot, ...] = ("observance", "campaign", "kind")
SLOT_NAMES: dict[Slot, tuple[str, str]] = {
    "observance": ("纪念日", "observance days"),
    "campaign": ("专项活动", "campaigns"),
    "kind": ("活动形式", "event kinds"),
}
_QUOTES = re.compile(r"[\s“”‘’\"'「」『』《》〈〉]+")
_DECORATION = re.compile(r"^(?:\d{4}年度?)?(?:第[零〇一二三四五六七八九十百千\d]+[个届次]?)?(?:\d{1,2}[·.\-]\d{1,2})?")
_SEPARATORS = re.compile(r"[、，,；;/|\n]+")


def normal_name(text: str) -> str:
    """A name as compared: full-width forms half-width, no spaces or quote marks, no case."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class Registries:
    """The observances, campaigns and event kinds of ``observances.yaml``."""

    observances: tuple[Observance, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    kinds: tuple[EventKind, ...] = ()

    @classmethod
    def of(cls, content: Content) -> Registries:
        """The registries of a loaded site."""
        return cls(content.observances, content.campaigns, content.kinds)

    @classmethod
    def load(cls, root: Path) -> Registries:
        """Read ``root/observances.yaml`` alone (an empty registry when there is none); ContentErrors if it is wrong."""
        from ..content.fileloader import Loader
        from ..content.model import ObservancesFile

        path = Path(root) / "observances.yaml"
        if not Loader.has(path):
            return cls()
        loader = Loader(Path(root))
        found = loader.yaml(path, ObservancesFile, allow_empty=True)
        if any(e.severity == "error" for e in loader.errors):
            raise ContentErrors(loader.errors)
        return cls(tuple(found.observances), tuple(found.campaigns), tuple(found.kinds)) if found else cls()

    def name(self, slot: Slot, ref: str, year: int) -> str:
        """The Chinese name of ``ref`` (an observance: the name in force in ``year``); the id if unknown."""
        if slot == "observance":
            found = next((o for o in self.observances if o.id == ref), None)
            return found.name_in(year).zh if found else ref
        entries = self.campaigns if slot == "campaign" else self.kinds
        entry = next((e for e in entries if e.id == ref), None)
        return entry.name.zh if entry else ref

    @cached_property
    def index(self) -> dict[str, tuple[Slot, str]]:
        """Every known name and id, normalised, with what it names."""
        out: dict[str, tuple[Slot, str]] = {}
        for observance in self.observances:
            texts = [observance.id, *(t for n in (observance.name, *observance.names) if n for t in (n.zh, n.en))]
            for text in texts:
                if text:
                    out.setdefault(normal_name(text), ("observance", observance.id))
        for slot, entries in (("campaign", self.campaigns), ("kind", self.kinds)):
            for entry in entries:
                for text in (entry.id, entry.name.zh, entry.name.en):
                    if text:
                        out.setdefault(normal_name(text), (slot, entry.id))  # type: ignore[arg-type]
        return out

    def known(self, slot: Slot) -> list[str]:
        """The Chinese names of the ``slot`` entries (for messages)."""
        if slot == "observance":
            return [o.name.zh for o in self.observances if o.name]
        return [e.name.zh for e in (self.campaigns if slot == "campaign" else self.kinds)]

    def resolve(self, text: str) -> tuple[list[tuple[Slot, str]], list[str]]:
        """What the names in ``text`` refer to, and the parts that name nothing known."""
        index = self.index
        if (whole := _lookup(index, text)) is not None:
            return [whole], []
        parts = [p for p in _SEPARATORS.split(text) if p.strip()]
        found: list[tuple[Slot, str]] = []
        unknown: list[str] = []
        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):  # the longest run: a name may hold 、 (防控疫情、法治同行)
                if (hit := _lookup(index, "、".join(parts[start:end]))) is not None:
                    found.append(hit)
                    start = end
                    break
            else:
                unknown.append(parts[start].strip())
                start += 1
        return found, unknown

    def nearest(self, word: str) -> str | None:
        """The known Chinese name closest to ``word``, if one is close."""
        names = [n for slot in SLOTS for n in self.known(slot)]
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.5)
        return close[0] if close else None


def _lookup(index: dict[str, tuple[Slot, str]], text: str) -> tuple[Slot, str] | None:
    key = normal_name(text)
    if not key:
        return None
    return index.get(key) or index.get(_DECORATION.sub("", key))
