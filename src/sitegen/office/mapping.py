"""``--mapping FILE``: which field the headers of an office's own list stand for.

A YAML file of ``header: field`` lines, for all lists or per list::

    活动主题: title          # for every list
    受众人次: participants
    经费: ignore             # a column not to import
    trainings:               # for the training list only
      课程: title

Fields are the YAML names (``date``, ``title``, ``title.en``, ``participants`` …; ``category`` for a
column naming observances, campaigns or kinds); ``ignore`` leaves a column out. A wrong field is
reported at its line with the fields allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.sourcetext import decode_source
from ..content.yamlsource import YamlDocument, parse_yaml
from ..errors import ContentError, ContentErrors, UsageError, make_error
from .columns import COLUMNS, ListKind, fields, normal_header

MAX_BYTES = 1024 * 1024
KINDS: tuple[ListKind, ...] = ("events", "trainings")


def read_mapping(path: Path) -> dict[ListKind, dict[str, str]]:
    """The mapping file at ``path``: for each list, normalised header → field. ContentErrors for mistakes."""
    if not path.is_file():
        raise UsageError(f"找不到对照表文件“{path}”。", f'The mapping file "{path}" does not exist.')
    with open(path, "rb") as f:
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ContentErrors([make_error(path, 0, 0, "对照表文件太大。", "The mapping file is too large.")])
    doc = parse_yaml(decode_source(path, raw))
    errors: list[ContentError] = []
    out: dict[ListKind, dict[str, str]] = {kind: {} for kind in KINDS}
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        errors.append(doc.error((), *_NOT_PAIRS))
        raise ContentErrors(errors)
    for key, value in data.items():
        if key in KINDS and isinstance(value, dict):
            for header, name in value.items():
                _add(doc, (key, header), header, name, (key,), out, errors)  # type: ignore[arg-type]
        else:
            _add(doc, (key,), key, value, KINDS, out, errors)
    if errors:
        raise ContentErrors(errors)
    return out


_NOT_PAIRS = (
    "对照表应是“表头: 字段”形式的若干行，例如“活动主题: title”。",
    'The mapping must consist of "header: field" lines, such as "Theme: title".',
)


def _add(
    doc: YamlDocument,
    loc: tuple[str, ...],
    header: str,
    name: Any,
    kinds: tuple[ListKind, ...],
    out: dict[ListKind, dict[str, str]],
    errors: list[ContentError],
) -> None:
    allowed = sorted({f for kind in kinds for f in fields(kind)} | {"ignore"})
    if not isinstance(name, str) or name not in allowed:
        errors.append(
            doc.error(
                loc,
                f"“{header}”对应的字段“{name}”不存在。可用的字段：{'、'.join(allowed)}。",
                f'The field "{name}" given for "{header}" does not exist. Fields: {", ".join(allowed)}.',
            )
        )
        return
    for kind in kinds:
        if name == "ignore" or any(c.field == name for c in COLUMNS[kind]):
            out[kind][normal_header(header)] = name
