"""Imported entries written into a year file, as an editor would have typed them.

A new year file starts from the template of ``sitegen new year`` (:data:`sitegen.content.scaffold.YEAR_TEMPLATE`,
with its bilingual comments); in an existing one the ``events:`` or ``trainings:`` list is replaced or
extended by editing the text, never by dumping the data again, so every comment of the file stays.
Each entry is written in the example's style (``title:`` with ``zh:``/``en:``, ``audience: [public]``),
and the new text is read back with the content loader's own parser and model before it is written:
it must give exactly the data that was imported, and validate.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.emitter import Emitter

from ..content.model import YearRecord
from ..content.scaffold import YEAR_TEMPLATE
from ..content.validation import validate_document
from ..content.yamlsource import SourceText, parse_yaml
from ..errors import ContentError, ContentErrors
from ..site.theme import command
from .columns import MODELS, ListKind

_NULLS = {"", "~", "null", "Null", "NULL"}
_EMPTY_VALUE = re.compile(r"^\s*(?:\[\s*\]|~|null)?\s*(?P<comment>#.*)?$")
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


# --------------------------------------------------------------------------- YAML text


def scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar that reads back as exactly ``text``: plain where it may be, else double-quoted.

    Like the example files, a text opening with a Chinese quotation mark (“3·15”…) is quoted too.
    """
    if text and text == text.strip() and text not in _NULLS and not text.startswith(("“", "‘")):
        analysis = Emitter(io.StringIO(), allow_unicode=True).analyze_scalar(text)
        plain = analysis.allow_flow_plain if flow else analysis.allow_block_plain
        if plain and not analysis.multiline:
            return text
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)  # what YAML would read as line ends or refuse


def entry_lines(kind: ListKind, data: dict[str, Any], indent: str = "  ") -> list[str]:
    """The lines of one list entry, its fields in the model's order."""
    lines: list[str] = []
    for name in MODELS[kind].model_fields:
        if name not in data:
            continue
        lead = f"{indent}- " if not lines else f"{indent}  "
        lines += _field(lead, name, data[name], indent + "    ")
    return lines


def _field(lead: str, name: str, value: Any, inner: str) -> list[str]:
    if isinstance(value, str):
        return [f"{lead}{name}: {scalar(value)}"]
    if isinstance(value, dict):
        return [f"{lead}{name}:", *(f"{inner}{k}: {scalar(v)}" for k, v in value.items() if v is not None)]
    if all(isinstance(v, str) for v in value):
        return [f"{lead}{name}: [{', '.join(scalar(v, flow=True) for v in value)}]"]
    out = [f"{lead}{name}:"]
    for item in value:
        if isinstance(item, str):
            out.append(f"{inner}- {scalar(item)}")
        else:
            pairs = [(k, v) for k, v in item.items() if v is not None]
            out += [f"{inner}{'- ' if i == 0 else '  '}{k}: {scalar(v)}" for i, (k, v) in enumerate(pairs)]
    return out


# --------------------------------------------------------------------------- editing a year file


def new_year_text(unit: str, year: int, source_name: str) -> str:
    """The text of ``sitegen new year`` with a line saying where the entries come from."""
    text = YEAR_TEMPLATE.format(unit=unit, year=year, next_year=year + 1, command=command())
    note = f"# 宣传活动和学法培训导入自“{source_name}”（{command()} import xlsx） / imported from “{source_name}”"
    head, sep, rest = text.partition("\n\n")
    return head + "\n" + note + sep + rest


@dataclass
class ListText:
    """Where a top-level list (``events:``) is in a file's text, item by item."""

    key: str
    start: int | None
    """The index of the ``key:`` line; None when the file has no such list."""
    end: int
    """The index after the list's last line (comments and blank lines after it not included)."""
    head: str
    """The ``key:`` line to write, its comment kept."""
    items: list[list[str]]
    """The lines of each item, each with the comment lines just above it."""
    indent: str
    """The indentation of the items' ``- ``."""
    flow: bool
    """The list is written in brackets with something in them (``[a, b]``): its items are not lines."""


def find_list(path: Path, text: str, key: ListKind) -> ListText:
    """The list ``key`` of ``text`` (the file at ``path``), located with the content loader's parser."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{key}:(\s|$)", line)), None)
    if start is None:
        return ListText(key, None, len(lines), f"{key}:", [], "  ", False)
    end = _block_end(lines, start)
    value = _EMPTY_VALUE.match(lines[start][len(key) + 1 :])
    comment = value["comment"] if value and value["comment"] else ""
    head = f"{key}:" + (f"   {comment}" if comment else "")
    doc = parse_yaml(SourceText(path, text))
    found = doc.data.get(key) if isinstance(doc.data, dict) else None
    count = len(found) if isinstance(found, list) else 0
    firsts = [doc.value_marks[(key, i)][0] - 1 for i in range(count)]
    indent = _item_indent(lines[start + 1 : end])
    if value is None or any(first <= start for first in firsts):
        return ListText(key, start, end, head, [], indent, True)
    begins = [_comments_above(lines, first, start) for first in firsts]
    items = [lines[b:e] for b, e in zip(begins, [*begins[1:], end][: len(begins)], strict=True)]
    return ListText(key, start, end, head, items, indent, False)


def with_list(text: str, found: ListText, items: Sequence[Sequence[str]]) -> str:
    """``text`` with the list ``found`` holding ``items`` (line blocks), everything else as it was."""
    block = [line for item in items for line in item]
    lines = text.split("\n")
    if found.start is None:
        return text.rstrip("\n") + "\n\n" + "\n".join([f"{found.key}:", *block]) + "\n"
    return "\n".join([*lines[: found.start], found.head, *block, *lines[found.end :]])


def _block_end(lines: list[str], start: int) -> int:
    """The index after the last line of the top-level value starting on line ``start`` (comments after it excluded)."""
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "-")) or line.startswith(("---", "...")):
            break
        last = index
    return last + 1


def _item_indent(block: list[str]) -> str:
    for line in block:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            return line[: len(line) - len(stripped)]
    return "  "


def _comments_above(lines: list[str], first: int, stop: int) -> int:
    """The index of the first of the comment lines right above line ``first`` (below line ``stop``)."""
    while first - 1 > stop and not lines[first].lstrip().startswith("-"):  # "-" alone on the line above
        first -= 1
    while first - 1 > stop and lines[first - 1].lstrip().startswith("#"):
        first -= 1
    return first


# --------------------------------------------------------------------------- checking and writing


def checked(path: Path, text: str, expected: dict[ListKind, list[dict[str, Any]]]) -> YearRecord:
    """Read ``text`` as the loader reads ``path``; it must hold ``expected`` and validate (ContentErrors if not)."""
    doc = parse_yaml(SourceText(path, text))
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, entries in expected.items():
        if data.get(key) != entries:  # a bug of the writer, never the editor's
            raise RuntimeError(f"the {key} written to {path} do not read back as imported")
    errors: list[ContentError] = []
    record, _ = validate_document(YearRecord, doc, errors)
    if errors or record is None:
        raise ContentErrors(errors)
    return record


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, LF) to ``path`` through a temporary file beside it, replaced in one step."""
    mode = os.stat(path).st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
