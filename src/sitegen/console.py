"""What the terminal gets: colour and a progress line only where a person watches a terminal.

Colour follows the common conventions: never when ``NO_COLOR`` is set or the stream is not a
terminal, always when ``FORCE_COLOR`` is set. The progress line (tqdm) appears only on a terminal,
outside CI, and only once a build has run for two seconds; it goes to standard error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

_SGR = {"error": "1;31", "warning": "1;33", "ok": "1;32", "dim": "2"}


def wants_colour(stream: TextIO) -> bool:
    """True when ``stream`` is a terminal that should get ANSI colours."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb" or not _isatty(stream):
        return False
    return os.name != "nt" or bool(os.environ.get("WT_SESSION") or os.environ.get("ANSICON"))


def paint(text: str, style: str, enabled: bool) -> str:
    """``text`` in the colour of ``style`` (error, warning, ok, dim) when ``enabled``."""
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m" if enabled else text


def wants_progress(stream: TextIO = sys.stderr) -> bool:
    """True on an interactive terminal outside CI."""
    return _isatty(stream) and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def progress(
    items: Iterable[T], total: int, label: str, enabled: bool, delay: float = 2.0, unit: str = "页"
) -> Iterator[T]:
    """``items``, with a progress line on standard error after ``delay`` seconds when ``enabled``."""
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=label, unit=unit, delay=delay, leave=False, file=sys.stderr)


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
