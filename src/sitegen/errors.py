"""Every error sitegen tells an editor, in one hierarchy, and how located problems are formatted.

:class:`SitegenError` is the root: what is wrong in Chinese and English and the exit code
(1 for content problems and faults, 2 for wrong usage). ``cli.main`` catches it once and prints
it, never a traceback. A :class:`ContentError` carries where one problem is (file, line, column,
the offending line); stages collect them and raise :class:`ContentErrors` once, so an editor
sees every problem of a build at once. Other modules subclass these (``UnsafeOutput``,
``WriteFault``, ``VendorError``, ``CannotListen``) for what they need to tell apart.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

Severity = Literal["error", "warning"]
EXIT_CONTENT, EXIT_USAGE = 1, 2
"""Exit codes: content problems or a fault; wrong usage (including a folder that must not be written)."""


class SitegenError(Exception):
    """The root of every error sitegen reports: what is wrong in Chinese and English, and the exit code."""

    exit_code: ClassVar[int] = EXIT_CONTENT

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh = zh
        self.en = en

    def __str__(self) -> str:
        return f"{self.zh}\n{self.en}"


class UsageError(SitegenError):
    """The command was used wrongly (not a git repository, an unknown revision, a port taken): exit 2."""

    exit_code = EXIT_USAGE


@dataclass
class ContentError(Exception):
    """One problem in the content, located as precisely as we can."""

    path: str
    """File path, relative to the working directory where possible, with ``/`` separators."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    column: int
    """1-based column; 0 when unknown."""
    zh: str
    """The message in Chinese."""
    en: str
    """The message in English."""
    source_line: str = ""
    """The offending line of the file, if known."""
    severity: Severity = "error"

    def __str__(self) -> str:
        return format_text(self)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.en)


@dataclass
class ContentErrors(SitegenError):
    """All problems found by a stage, each located; raised once, at the end of the stage (exit 1)."""

    errors: list[ContentError] = field(default_factory=list)

    @property  # type: ignore[override]
    def zh(self) -> str:
        return "\n".join(e.zh for e in self.sorted())

    @property  # type: ignore[override]
    def en(self) -> str:
        return "\n".join(e.en for e in self.sorted())

    def __str__(self) -> str:
        return "\n".join(format_text(e) for e in self.sorted())

    def sorted(self) -> list[ContentError]:
        return sorted(self.errors, key=ContentError.sort_key)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as an editor should see it: relative to the working directory if inside it."""
    p = Path(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        return p.as_posix()
    return Path(rel).as_posix() if not rel.startswith("..") else p.as_posix()


def make_error(
    path: str | os.PathLike[str],
    line: int,
    column: int,
    zh: str,
    en: str,
    *,
    text: str | None = None,
    severity: Severity = "error",
) -> ContentError:
    """Build a :class:`ContentError`, taking the offending line from ``text`` when given."""
    source_line = ""
    if text is not None and line > 0:
        lines = text.split("\n")
        if line <= len(lines):
            source_line = lines[line - 1].rstrip("\r")
    return ContentError(display_path(path), line, column, zh, en, source_line, severity)


def format_text(error: ContentError, *, colour: bool = False) -> str:
    """``path:LINE:COL: error: 中文 / English`` then the offending line with a caret (severity in colour)."""
    from .console import paint

    where = error.path
    if error.line:
        where += f":{error.line}"
        if error.column:
            where += f":{error.column}"
    out = [f"{where}: {paint(error.severity, error.severity, colour)}: {error.zh}", f"    {error.en}"]
    if error.source_line:
        shown, column = _window(error.source_line, error.column)
        gutter = f"{error.line:>5} | "
        out.append(gutter + shown)
        if column:
            # Full-width characters take two cells in a terminal; line the caret up with them.
            prefix = shown[: column - 1]
            width = sum(2 if _is_wide(ch) else 1 for ch in prefix)
            out.append(" " * (len(gutter) - 2) + "| " + " " * width + "^")
    return "\n".join(out)


def format_github(error: ContentError) -> str:
    """A GitHub Actions workflow command, shown on the pull request's changed line."""
    props = [f"file={_gh_escape_property(error.path)}"]
    if error.line:
        props.append(f"line={error.line}")
    if error.column:
        props.append(f"col={error.column}")
    message = _gh_escape_data(f"{error.zh} / {error.en}")
    return f"::{error.severity} {','.join(props)}::{message}"


def format_json(errors: Iterable[ContentError]) -> str:
    """All problems as a JSON document (a list of objects), for editors and tools."""
    return json.dumps([asdict(e) for e in errors], ensure_ascii=False, indent=2)


GITLAB_SEVERITY: dict[str, str] = {"error": "major", "warning": "minor"}
"""How GitLab's Code Quality report grades our severities."""


def format_gitlab(errors: Iterable[ContentError]) -> str:
    """All problems as a GitLab Code Quality report (a JSON array), shown on the merge request.

    The fingerprint is the SHA-1 of path, line and English message: the same problem keeps its
    fingerprint from one pipeline to the next, so GitLab can tell new problems from old ones.
    """
    issues = [
        {
            "description": f"{e.zh} / {e.en}",
            "check_name": f"sitegen-{e.severity}",
            "fingerprint": hashlib.sha1(f"{e.path}\0{e.line}\0{e.en}".encode(), usedforsecurity=False).hexdigest(),
            "severity": GITLAB_SEVERITY[e.severity],
            "location": {"path": e.path, "lines": {"begin": max(e.line, 1)}},
        }
        for e in errors
    ]
    return json.dumps(issues, ensure_ascii=False, indent=2)


def _window(line: str, column: int, width: int = 100) -> tuple[str, int]:
    """At most ``width`` characters of ``line`` around ``column`` (1-based)."""
    if len(line) <= width:
        return line, column
    start = max(0, min(column - 1 - width // 2, len(line) - width)) if column else 0
    shown = ("…" if start else "") + line[start : start + width] + ("…" if start + width < len(line) else "")
    return shown, (column - start + (1 if start else 0)) if column else 0


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def _gh_escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")
