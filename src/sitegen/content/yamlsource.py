"""Reading YAML and Markdown front matter safely, remembering where every value came from.

The reader is built on libyaml's event stream (never on PyYAML's constructors), so no tag
can run code, anchors and aliases are refused (no alias bombs), nesting depth and file size
are bounded, and duplicate keys are errors. Every scalar is kept as the text the editor
typed: the content model decides what it means (``no`` stays the word "no" in a title).

Problems come out as :class:`~sitegen.errors.ContentError` with file, line and column,
in words an office editor understands; the common mistakes of people typing YAML in a
Chinese input method (full-width colons and spaces, tabs, GBK files) get their own message.
"""

from __future__ import annotations

import io
import pickle
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import ContentError, ContentErrors
from .sourcetext import MAX_FILE_BYTES, SourceText, decode_source, read_source  # noqa: F401 (offered here)
from .yamlhints import block_scalar_lines, explain_syntax_error, hidden_breaks, line_mistakes, without_hidden_breaks

MAX_DEPTH = 64
MAX_NODES = 200_000

Loc = tuple[str | int, ...]
Mark = tuple[int, int]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}
_ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_DISCARDED = "\0duplicate"
"""Stands for a repeated key whose value is read but not kept (libyaml refuses NUL: no real key is this)."""
_KEY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*:(?:[ \t]|$)")


class _PlainUnpickler(pickle.Unpickler):
    """Reads tuples, dicts, strings and numbers, and nothing that needs a class (the marks hold nothing else)."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"not a YAML position: {module}.{name}")


@dataclass
class YamlDocument:
    """Parsed YAML data with the position of every value and mapping key."""

    source: SourceText
    data: Any
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    block_lines: set[int] = field(default_factory=set)
    """Lines that belong to block scalars (``|`` / ``>``), exempt from line lints."""
    written: Any = None
    """When ``data`` is only the valid part of the file (:mod:`sitegen.content.salvage`): the data as written."""

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (the build cache) with the marks packed apart, unpacked only when asked for: a warm build
        reads every file's data, and the marks of the few with a problem (M site: 0.23 → 0.10 s)."""
        state = dict(self.__dict__)
        if "value_marks" in state:
            marks = (state.pop("value_marks"), state.pop("key_marks"))
            state["_marks"] = pickle.dumps(marks, protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:  # only for what the instance lacks: its marks, when still packed
        packed = self.__dict__.pop("_marks", None) if name in ("value_marks", "key_marks") else None
        if packed is None:
            raise AttributeError(name)
        value, key = _PlainUnpickler(io.BytesIO(packed)).load()
        self.__dict__.update(value_marks=value, key_marks=key)
        return self.__dict__[name]

    @property
    def as_written(self) -> Any:
        """The data as the file says, even where some of it did not validate."""
        return self.data if self.written is None else self.written

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Best known (line, column) for ``loc``: the key, the value or the nearest parent."""
        loc = tuple(loc)
        while True:
            if key and loc in self.key_marks:
                return self.key_marks[loc]
            if loc in self.value_marks:
                return self.value_marks[loc]
            if loc in self.key_marks:
                return self.key_marks[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def error(self, loc: Loc, zh: str, en: str, *, key: bool = False, **kw: Any) -> ContentError:
        """An error located at the value (or the key) found at ``loc``."""
        line, col = self.mark(loc, key=key)
        return self.source.error(line, col, zh, en, **kw)


def line_lints(source: SourceText, skip: set[int], upto: int | None = None) -> list[ContentError]:
    """Mistakes that YAML reports badly or not at all, found line by line (see :mod:`yamlhints`)."""
    return [source.error(*found) for found in line_mistakes(source.text, skip, upto)]


# --------------------------------------------------------------------------- parsing


def parse_yaml(source: SourceText) -> YamlDocument:
    """Parse ``source`` into plain data (dicts, lists, strings, ``None``) with positions.

    Raises :class:`ContentErrors` listing every problem found; warnings alone are not raised.
    """
    doc, problems = parse_yaml_partial(source)
    if doc is None or any(p.severity == "error" for p in problems):
        raise ContentErrors(problems)
    return doc


def parse_yaml_partial(source: SourceText) -> tuple[YamlDocument | None, list[ContentError]]:
    """Parse ``source``; the document and every problem found in it.

    The document is ``None`` when its data cannot be trusted: YAML stopped at a syntax error, or a
    line has a typing mistake that changes what it means (:mod:`yamlhints`). A repeated key is an
    error but leaves the data clear (the first value is kept), so the document is returned with it.
    Line mistakes are reported on every line, after a syntax error too. An invisible line end
    (U+0085, U+2028, U+2029) is read as a space and reported as a warning on its line.
    """
    builder = _Builder(source)
    warnings = [source.error(*found, severity="warning") for found in hidden_breaks(source.text)]
    try:
        builder.run()
    except _Stop as stop:
        at = stop.error.line - source.line_offset
        after = {n for n in block_scalar_lines(source.text, 1) if n > at}
        lints = line_lints(source, builder.doc.block_lines | after)
        explained = {e.line for e in lints}
        errors = [*builder.errors, *lints]
        if not {stop.error.line, stop.error.line - 1} & explained:
            errors.append(stop.error)
        return None, [*errors, *warnings]
    lints = line_lints(source, builder.doc.block_lines)
    return (None if lints else builder.doc), [*builder.errors, *lints, *warnings]


class _Stop(Exception):
    def __init__(self, error: ContentError):
        self.error = error


class _Builder:
    """Turns libyaml events into data, with an explicit stack (no recursion)."""

    def __init__(self, source: SourceText):
        self.source = source
        self.text = without_hidden_breaks(source.text)
        """What libyaml reads: the same offsets, lines and columns as the file (see :mod:`yamlhints`)."""
        self.doc = YamlDocument(source, None)
        self.nodes = 0
        self.documents = 0
        self.errors: list[ContentError] = []
        """Problems after which reading goes on (a repeated key)."""

    def fail(self, mark: Any, zh: str, en: str) -> _Stop:
        return _Stop(self.source.error(mark.line + 1, mark.column + 1, zh, en))

    def run(self) -> None:
        # Each stack entry: [container, loc, pending_key, pending_key_mark]
        stack: list[list[Any]] = []
        try:
            events = yaml.parse(self.text, Loader=_Loader)
            for event in events:
                self._event(event, stack)
        except yaml.MarkedYAMLError as exc:
            raise _Stop(self._syntax_error(exc)) from None
        except yaml.reader.ReaderError as exc:  # control characters and the like
            raise _Stop(self._reader_error(exc)) from None

    def _reader_error(self, exc: yaml.reader.ReaderError) -> ContentError:
        text = self.text
        pos = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8, not characters
            pos = len(text.encode("utf-8")[: max(pos, 0)].decode("utf-8", "ignore"))
        pos = min(max(pos, 0), len(text))
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return self.source.error(
            line,
            column,
            f"文件里有不允许的特殊字符 U+{code:04X}（可能是从别处复制来的不可见字符）。请删除它。",
            f"The file contains a character YAML does not allow, U+{code:04X} (often an invisible "
            "character copied from elsewhere). Delete it.",
        )

    def _event(self, event: Any, stack: list[list[Any]]) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(
                    event.start_mark,
                    "一个文件只能有一个 YAML 文档，这里出现了第二个“---”。请删除它或把内容拆到另一个文件。",
                    'A file may hold only one YAML document; this "---" starts a second one. '
                    "Remove it or move the rest to another file.",
                )
            return
        if isinstance(event, yaml.AliasEvent):
            raise self.fail(
                event.start_mark,
                f"不支持锚点和别名（“*{event.anchor}”）。请把内容直接写出来。",
                f'Anchors and aliases ("*{event.anchor}") are not supported; write the value out in full.',
            )
        if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._check_node(event, len(stack))
        if isinstance(event, yaml.ScalarEvent):
            self._check_quote(event)
            self._add(stack, self._scalar(event), event.start_mark)
            if event.style in ("|", ">"):
                # content lines after the indicator (end_mark is on the line after the block)
                self.doc.block_lines.update(range(event.start_mark.line + 2, event.end_mark.line + 1))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            loc = self._add(stack, container, event.start_mark)
            stack.append([container, loc, None, None])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()

    def _check_node(self, event: Any, depth: int) -> None:
        self.nodes += 1
        if depth >= MAX_DEPTH:
            raise self.fail(
                event.start_mark,
                f"嵌套层次太深（超过 {MAX_DEPTH} 层）。",
                f"The data is nested too deeply (more than {MAX_DEPTH} levels).",
            )
        if self.nodes > MAX_NODES:
            raise self.fail(
                event.start_mark,
                f"文件里的数据项太多（超过 {MAX_NODES} 个），请拆分为多个文件。",
                f"The file holds too many values (more than {MAX_NODES}); split it into several files.",
            )
        if event.anchor is not None:
            raise self.fail(
                event.start_mark,
                f"不支持锚点和别名（“&{event.anchor}”）。请删除“&{event.anchor}”，把内容直接写出来。",
                f'Anchors and aliases ("&{event.anchor}") are not supported; remove it and write values out in full.',
            )
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS and tag != "!":
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(
                event.start_mark,
                f"不允许使用标签“{tag}”。请删除以“!”开头的标签。",
                f'The tag "{tag}" is not allowed. Remove the tag that starts with "!".',
            )

    def _check_quote(self, event: Any) -> None:
        """A quoted value that runs on over lines that look like ``name: value``: its quote was not closed
        where it should be (YAML reads on to the next quote, often lines later). Point where it opened."""
        start, end = event.start_mark.line, event.end_mark.line
        if event.style not in ('"', "'") or end == start:
            return
        lines = self.source.text.split("\n")[start + 1 : end + 1]
        if any(_KEY_LINE.match(line) for line in lines):
            last = end + 1 + self.source.line_offset
            raise self.fail(
                event.start_mark,
                f"引号没有配对：这里的引号开始了一段文字，但本行没有结束的引号（下一个引号在第 {last} 行）。"
                "请在文字末尾补上同样的引号。",
                f"A quote is not closed: the quote that opens here has no closing quote on this line "
                f"(the next quote is on line {last}). Add the closing quote at the end of the text.",
            )

    def _scalar(self, event: Any) -> str | None:
        plain = event.style in ("", None) and event.implicit[0]
        if plain and event.value in _NULLS and event.tag is None:
            return None
        return event.value

    def _add(self, stack: list[list[Any]], value: Any, mark: Any) -> Loc:
        position = (mark.line + 1, mark.column + 1)
        if not stack:
            self.doc.data = value
            self.doc.value_marks[()] = position
            return ()
        frame = stack[-1]
        container, loc = frame[0], frame[1]
        if isinstance(container, list):
            child = (*loc, len(container))
            container.append(value)
            self.doc.value_marks[child] = position
            return child
        if frame[2] is None and frame[3] is None:  # this is a key
            self._key(frame, value, mark)
            return loc
        key = frame[2]
        frame[2] = frame[3] = None
        child = (*loc, key)
        if key == _DISCARDED:
            return child
        container[key] = value
        self.doc.value_marks[child] = position
        return child

    def _key(self, frame: list[Any], key: Any, mark: Any) -> None:
        container, loc = frame[0], frame[1]
        if not isinstance(key, str):
            raise self.fail(
                mark,
                "键（冒号前的名称）必须是简单的文字，不能是列表或映射。",
                "A key (the name before the colon) must be plain text, not a list or a mapping.",
            )
        if key in container:
            first = self.doc.key_marks[(*loc, key)][0] + self.source.line_offset
            self.errors.append(
                self.fail(
                    mark,
                    f"键“{key}”重复出现（第 {first} 行已经有了）。同一层里每个键只能写一次，请删除或合并其中一个。",
                    f'The key "{key}" appears twice (it is already on line {first}). '
                    "Each key may appear once at the same level; remove or merge one of them.",
                ).error
            )
            frame[2], frame[3] = _DISCARDED, mark  # its value is read, and left out
            return
        frame[2] = key
        frame[3] = mark
        self.doc.key_marks[(*loc, key)] = (mark.line + 1, mark.column + 1)
        container[key] = None  # placeholder keeps order and detects duplicates

    def _syntax_error(self, exc: yaml.MarkedYAMLError) -> ContentError:
        problem = exc.problem or ""
        context = exc.context or ""
        # An unclosed quote or bracket is reported where YAML gave up; point where it opened.
        opened = "quoted scalar" in context or "flow" in context
        mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        zh, en = explain_syntax_error(problem, context)
        return self.source.error(line, col, zh, en)


# --------------------------------------------------------------------------- front matter


@dataclass
class MarkdownSource:
    """A Markdown file split into its front matter (if any) and body."""

    source: SourceText
    meta: YamlDocument | None
    body: str
    body_line: int
    """1-based file line where the body starts."""
    warnings: list[ContentError] = field(default_factory=list)
    """Warnings about the front matter (:func:`parse_yaml_partial`)."""


def split_front_matter(source: SourceText) -> MarkdownSource:
    """Split ``---``-delimited YAML front matter from a Markdown body."""
    text = source.text
    if not (text.startswith("---\n") or text == "---"):
        return MarkdownSource(source, None, text, 1)
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            meta_text = "\n".join(lines[1:index])
            meta_source = SourceText(source.path, meta_text, line_offset=1)
            meta, problems = parse_yaml_partial(meta_source)
            if meta is None or any(p.severity == "error" for p in problems):
                raise ContentErrors(problems)
            if meta.data is not None and not isinstance(meta.data, dict):
                raise ContentErrors(
                    [
                        meta_source.error(
                            1,
                            1,
                            "文件开头“---”之间的元数据应是“名称: 值”的形式。",
                            'The front matter between the "---" lines must be "name: value" lines.',
                        )
                    ]
                )
            body = "\n".join(lines[index + 1 :])
            return MarkdownSource(source, meta, body, index + 2, problems)
    raise ContentErrors(
        [
            source.error(
                1,
                1,
                "文件开头的“---”元数据没有结束：请在元数据后面另起一行写“---”。",
                'The front matter opened by "---" on the first line is never closed: add a line with "---" after it.',
            )
        ]
    )
