"""Checking parsed YAML against the content model, with messages for editors.

Pydantic does the checking; this module turns each of its errors into a
:class:`~sitegen.errors.ContentError` at the exact line and column of the value (or key)
at fault, in plain Chinese and English, with "did you mean …?" for typos.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ContentError, make_error
from .salvage import salvage
from .yamlsource import Loc, YamlDocument

M = TypeVar("M", bound=BaseModel)


def validate_document(model: type[M], doc: YamlDocument, errors: list[ContentError]) -> tuple[M | None, YamlDocument]:
    """Validate ``doc`` as ``model``. On failure add located errors and return what is valid of it
    (:func:`sitegen.content.salvage.salvage`: for the checks across files), with its document."""
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        errors.append(
            doc.error(
                (),
                "文件内容应是“名称: 值”形式的若干行。",
                'The file must consist of "name: value" lines.',
            )
        )
        return None, doc
    try:
        return model.model_validate(data), doc
    except ValidationError as exc:
        errors.extend(explain(model, doc, exc))
        return salvage(model, doc, exc)


def explain(model: type[BaseModel], doc: YamlDocument, exc: ValidationError) -> list[ContentError]:
    """One located, bilingual error per pydantic error."""
    out = []
    seen = set()
    errors = exc.errors(include_url=False)
    misspelt = _misspelt(model, errors)
    for err in errors:
        if err["type"] == "missing" and tuple(err["loc"]) in misspelt:
            continue  # "Unknown field "nmae". Did you mean "name"?" says it already
        at = (err.get("ctx") or {}).get("at")  # a model's own error about one of its fields
        loc = data_loc(doc.data, (*err["loc"], at) if at else err["loc"])
        zh, en, at_key = _message(model, err, loc)
        key = (loc, zh)
        if key in seen:
            continue
        seen.add(key)
        if err["type"] == "missing" and not loc and doc.source.line_offset:
            out.append(_missing_in_front_matter(doc, _field_label(err["loc"])))
        else:
            out.append(doc.error(loc, zh, en, key=at_key))
    return out


def _misspelt(model: type[BaseModel], errors: list[Any]) -> set[tuple[Any, ...]]:
    """The places of missing fields that an unknown field beside them is a misspelling of."""
    found = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent, name = tuple(err["loc"][:-1]), str(err["loc"][-1])
            close = difflib.get_close_matches(name, fields_at(model, parent), n=1, cutoff=0.6)
            if close:
                found.add((*parent, close[0]))
    return found


def _missing_in_front_matter(doc: YamlDocument, name: str) -> ContentError:
    """A field missing from a Markdown file's front matter: shown at its opening ``---`` (line 1)."""
    dated = re.match(r"\d{4}-\d{2}-\d{2}", doc.source.path.name)
    example = f"{name}: {dated[0]}" if name == "date" and dated else f"{name}: …"
    return make_error(
        doc.source.path,
        1,
        1,
        f"文件开头“---”之间的元数据缺少必填项“{name}”。请在两行“---”之间加上一行“{example}”。",
        f'The front matter (between the "---" lines at the top) has no "{name}". '
        f'Add a line "{example}" between the "---" lines.',
        text="---",
    )


def data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The part of pydantic's ``loc`` that names real places in the data."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            out.append(part)
            current = current[part]
    return tuple(out)


def _field_label(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc if isinstance(p, str) and not p.startswith(("function-", "json-"))]
    if not names:
        return "?"
    if names[-1] in ("zh", "en") and len(names) > 1:
        return f"{names[-2]}.{names[-1]}"  # title.zh reads better than zh
    return names[-1]


def _message(model: type[BaseModel], err: Any, loc: Loc) -> tuple[str, str, bool]:
    kind = err["type"]
    raw_loc = err["loc"]
    name = _field_label(raw_loc)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "sitegen":
        return ctx["zh"], ctx["en"], False
    if kind == "missing":
        return (
            f"缺少必填项“{name}”。请加上一行“{name}: …”。",
            f'The required field "{name}" is missing. Add a line "{name}: …".',
            False,
        )
    if kind == "extra_forbidden":
        allowed = fields_at(model, raw_loc[:-1])
        return (*_unknown_field(name, allowed), True)
    if value is None:
        return (
            f"“{name}”后面没有填写内容。",
            f'No value is given for "{name}".',
            False,
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip(" '")]
        hint = _did_you_mean(str(value), options)
        return (
            f"“{value}”不是可选的值。{hint[0]}可选：{'、'.join(options)}。",
            f'"{value}" is not one of the allowed values. {hint[1]}Allowed: {", ".join(options)}.',
            False,
        )
    return (*_type_message(kind, name, value, err.get("msg", "")), False)


def _type_message(kind: str, name: str, value: Any, msg: str) -> tuple[str, str]:
    found_zh, found_en = _describe(value)
    if kind in ("string_type", "str_type"):
        return (
            f"“{name}”应是一段文字，这里却是{found_zh}。",
            f'"{name}" must be a piece of text, but here it is {found_en}.',
        )
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return (
            f"“{name}”下面应是“名称: 值”形式的若干行（缩进），这里却是{found_zh}。",
            f'"{name}" must hold indented "name: value" lines, but here it is {found_en}.',
        )
    if kind in ("list_type", "tuple_type"):
        return (
            f"“{name}”应是一个列表：每一项另起一行，以“- ”开头。这里却是{found_zh}。",
            f'"{name}" must be a list, each item on its own line starting with "- "; here it is {found_en}.',
        )
    if kind in ("bool_parsing", "bool_type"):
        return (
            f"“{name}”只能填 true（是）或 false（否），不能是“{value}”。",
            f'"{name}" must be true or false, not "{value}".',
        )
    if kind in ("too_short",):
        return (f"“{name}”至少需要一项。", f'"{name}" needs at least one item.')
    return (f"“{name}”的值“{value}”不正确：{msg}", f'The value "{value}" of "{name}" is not valid: {msg}')


def _describe(value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        return "若干“名称: 值”的行", 'a block of "name: value" lines'
    if isinstance(value, list):
        return "一个列表", "a list"
    return f"“{value}”", f'"{value}"'


def _unknown_field(name: str, allowed: list[str]) -> tuple[str, str]:
    hint_zh, hint_en = _did_you_mean(name, allowed)
    listing = "、".join(allowed)
    return (
        f"未知字段“{name}”。{hint_zh}" + (f"这里可用的字段：{listing}。" if not hint_zh and allowed else ""),
        (
            f'Unknown field "{name}". {hint_en}'
            + (f"Fields allowed here: {', '.join(allowed)}." if not hint_en and allowed else "")
        ).strip(),
    )


def _did_you_mean(word: str, options: list[str]) -> tuple[str, str]:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        close = [o for o in options if o.lower() == word.lower()]
    if close:
        return f"是否想写“{close[0]}”？", f'Did you mean "{close[0]}"? '
    return "", ""


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model`` (for suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        target = _model_in(current)
        if target is None or part not in target.model_fields:
            continue
        current = target.model_fields[part].annotation
    target = _model_in(current)
    return list(target.model_fields) if target else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (through Optional, list, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, tuple, typing.Union, types.UnionType) or origin is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
