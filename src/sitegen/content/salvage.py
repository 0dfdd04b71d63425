"""The valid part of a file that did not validate, so that the checks across files still see it.

A year file with one bad event still holds nine good ones: their references to observance days,
their dates and ids must be checked in the same run, not after the editor fixes the first mistake.
:func:`salvage` leaves out every list item (or top-level field) that pydantic found fault with and
validates the rest; the document it returns has its positions renumbered to match, so that a later
error in the valid part still points at the right line. Nothing salvaged is ever published: the file's
own errors stop the build.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .yamlsource import Loc, YamlDocument

M = TypeVar("M", bound=BaseModel)

MAX_ROUNDS = 8
"""A parent's own check runs only once its parts are valid: each round can find one level more."""

IndexMaps = dict[Loc, dict[int, int]]
"""For each list (at its position as written): old index → new index of the items kept."""


def salvage(model: type[M], doc: YamlDocument, exc: ValidationError) -> tuple[M | None, YamlDocument]:
    """``model`` validated from what is left of ``doc`` without the parts at fault, and its document.

    ``(None, doc)`` when the fault is in the file as a whole (a required top-level field missing).
    """
    current = doc
    for _ in range(MAX_ROUNDS):
        cuts = {_cut(current.data, err["loc"]) for err in exc.errors(include_url=False)}
        if () in cuts:
            return None, doc
        current = _pruned(current, cuts)
        try:
            value = model.model_validate(current.data)
        except ValidationError as again:
            exc = again
            continue
        current.written = doc.as_written
        return value, current
    return None, doc


def _cut(data: Any, loc: tuple[Any, ...]) -> Loc:
    """What to leave out for an error at ``loc``: the innermost list item, else the top-level field."""
    real: list[str | int] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            real.append(part)
            current = current[part]
    items = [i for i, part in enumerate(real) if isinstance(part, int)]
    if items:
        return tuple(real[: items[-1] + 1])
    return tuple(real[:1])


def _pruned(doc: YamlDocument, cuts: set[Loc]) -> YamlDocument:
    maps: IndexMaps = {}
    data = _prune(doc.data, cuts, (), maps)
    out = YamlDocument(doc.source, data, block_lines=doc.block_lines)
    for marks, new in ((doc.value_marks, out.value_marks), (doc.key_marks, out.key_marks)):
        for loc, mark in marks.items():
            moved = _moved(loc, cuts, maps)
            if moved is not None:
                new[moved] = mark
    return out


def _prune(value: Any, cuts: set[Loc], loc: Loc, maps: IndexMaps) -> Any:
    """``value`` without the parts in ``cuts`` (nesting is bounded by the YAML reader's depth limit)."""
    if isinstance(value, dict):
        return {k: _prune(v, cuts, (*loc, k), maps) for k, v in value.items() if (*loc, k) not in cuts}
    if isinstance(value, list):
        kept, index = [], {}
        for i, item in enumerate(value):
            if (*loc, i) not in cuts:
                index[i] = len(kept)
                kept.append(_prune(item, cuts, (*loc, i), maps))
        maps[loc] = index
        return kept
    return value


def _moved(loc: Loc, cuts: set[Loc], maps: IndexMaps) -> Loc | None:
    """Where ``loc`` is after pruning, or ``None`` if it was left out."""
    written: list[str | int] = []
    moved: list[str | int] = []
    for part in loc:
        here = tuple(written)
        written.append(part)
        if tuple(written) in cuts:
            return None
        if isinstance(part, int) and here in maps:
            if part not in maps[here]:
                return None
            moved.append(maps[here][part])
        else:
            moved.append(part)
    return tuple(moved)
