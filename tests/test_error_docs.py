"""docs/errors.md lists every message the code can emit, and nothing it no longer emits.

How a message is found, without a registry of error codes (a stable code per error, like
``E-YAML-TAB``, would touch every raise in the code base): every message is written in the code as a
Chinese text followed by its English text, as two adjacent arguments of a call (``make_error(path,
line, col, zh, en)``, ``problem(zh, en)``, ``loader.fail(path, zh, en)`` …) or the two items of a
returned pair (``return zh, en``). :func:`messages` walks the syntax tree of ``src/sitegen`` and
collects each such pair whose English has two words or more, with the parts filled in
at run time (``{value}``) replaced by ``{}``.

A message's key is the longest fixed part of its English text (:func:`key`): ``There is no {} "{}"
(they are defined in {}). {}`` has the key ``they are defined in``. docs/errors.md gives each
message a heading ``#### `key` ``; the test compares the two sets both ways, and its failure says
which key to add to the document or to remove from it.

Left out: the labels of pages and charts (``i18n.py``), the review report (``diffreport.py``), the
questions of ``init`` (``init.py``) and the preview's "building…" notice (``devserver.py``), which
are text, not problems; and tables of names filled into messages (pairs inside a dict, a list or a
longer tuple, such as ``("命名管道（FIFO）", "a named pipe (FIFO)")``, and the few names passed
as arguments, :data:`FILLED_IN`).
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "sitegen"
DOC = ROOT / "docs" / "errors.md"
NOT_MESSAGES = {"i18n.py", "strings.py", "indicators.py", "diffreport.py", "init.py", "devserver.py"}
FILLED_IN = {"event kind", "the value", "a list", 'a block of "name: value" lines', "a file", "an image"}
"""Names passed into a message, not messages: ``_unknown_ref(…, "活动形式", "event kind", …)``."""

_CJK = re.compile(r"[\u3400-\u9fff]")
_HEADING = re.compile(r"^#### `(.+)`\s*$", re.MULTILINE)

Fragments = list[str | None]
"""The fixed parts of a string expression; ``None`` for a part filled in at run time."""


def fragments(node: ast.AST) -> Fragments | None:
    """The fixed parts of a string expression, or ``None`` if ``node`` is not one."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return [v.value if isinstance(v, ast.Constant) else None for v in node.values]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = fragments(node.left), fragments(node.right)
        if left is None and right is None:
            return None
        return (left or [None]) + (right or [None])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strip":
        return fragments(node.func.value)
    return None


def text(parts: Fragments) -> str:
    return "".join("{}" if p is None else p for p in parts)


def key(parts: Fragments) -> str:
    """The longest fixed part of an English message, spaces collapsed, punctuation at the ends removed."""
    fixed, current = [], ""
    for part in parts:
        if part is None:
            fixed.append(current)
            current = ""
        else:
            current += part
    fixed.append(current)
    longest = max((" ".join(f.split()) for f in fixed), key=len)
    return longest.strip(" \"'.,:;?!()[]")


def _pairs(tree: ast.AST) -> list[tuple[ast.AST, ast.AST, int]]:
    """Adjacent (zh, en) candidates: arguments of calls, items of a tuple, and ``zh = …`` then ``en = …``."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            items = node.args
        elif isinstance(node, ast.Tuple):
            if isinstance(parents.get(node), (ast.Dict, ast.Tuple, ast.List, ast.Set)):
                continue  # a table of names filled into messages
            items = node.elts
        else:
            items = _assigned_pair(node)
        found += [(a, b, getattr(node, "lineno", a.lineno)) for a, b in itertools.pairwise(items)]
    return found


def _assigned_pair(node: ast.AST) -> list[ast.AST]:
    """``[zh_value, en_value]`` for ``zh = …`` (``zh += …``) then ``en = …`` statements in ``node``'s body."""
    out: list[ast.AST] = []
    for field in ("body", "orelse"):
        body = getattr(node, field, None)
        pending = None
        for statement in body if isinstance(body, list) else []:
            target = getattr(statement, "targets", [getattr(statement, "target", None)])[0]
            name = target.id if isinstance(target, ast.Name) else ""
            if isinstance(statement, ast.Assign) and name.endswith("zh"):
                pending = statement.value
            elif isinstance(statement, ast.Assign) and name.endswith("en") and pending is not None:
                out += [pending, statement.value]
                pending = None
            elif not (isinstance(statement, ast.AugAssign) and name.endswith("zh")):
                pending = None
    return out


def messages() -> dict[str, tuple[str, str, str]]:
    """key → (where, Chinese, English) of every message in the code (the first place it is written)."""
    out: dict[str, tuple[str, str, str]] = {}
    for path in sorted(SOURCES.rglob("*.py")):
        if path.name in NOT_MESSAGES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for zh_node, en_node, line in _pairs(tree):
            zh, en = fragments(zh_node), fragments(en_node)
            if zh is None or en is None or not _CJK.search(text(zh)) or _CJK.search(text(en)):
                continue
            if len(re.findall(r"[A-Za-z]+", text(en))) < 2 or not key(en) or key(en) in FILLED_IN:
                continue
            where = f"{path.relative_to(SOURCES).as_posix()}:{line}"
            out.setdefault(key(en), (where, text(zh), text(en)))
    return out


def documented() -> list[str]:
    return _HEADING.findall(DOC.read_text(encoding="utf-8"))


def test_the_collector_finds_messages_of_every_kind():
    found = messages()
    assert "they are defined in" in found  # an f-string passed on through a helper
    assert "Each key may appear once at the same level; remove or merge one of them" in found  # yamlsource
    assert "Close programs using it (a browser, Explorer, an antivirus" in found  # zh = …; zh += …; en = …
    assert "is a folder; a file is expected" in found  # safefs
    assert "Unknown field" in found  # built by concatenation and .strip()
    assert "a named pipe (FIFO)" not in found  # a table of names
    assert len(found) > 100


def test_the_names_left_out_are_still_in_the_code():
    everywhere = " ".join(path.read_text(encoding="utf-8") for path in SOURCES.rglob("*.py"))
    assert all(name in everywhere for name in FILLED_IN)


def test_every_message_is_documented():
    missing = {k: v for k, v in messages().items() if k not in set(documented())}
    listing = "\n".join(f"  #### `{k}`   ({where}: {en})" for k, (where, _, en) in sorted(missing.items()))
    assert not missing, f"docs/errors.md does not document these messages; add a heading for each:\n{listing}"


def test_the_doc_lists_only_messages_the_code_emits():
    stale = sorted(set(documented()) - set(messages()))
    assert not stale, "docs/errors.md documents messages the code no longer emits; remove them:\n" + "\n".join(
        f"  #### `{k}`" for k in stale
    )


def test_each_message_is_documented_once_with_an_example_and_a_fix():
    headings = documented()
    assert len(headings) == len(set(headings)), [h for h in headings if headings.count(h) > 1]
    sections = re.split(r"^#### ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    for section in sections:
        title = section.split("\n", 1)[0]
        assert "例 / Example" in section or "例 / When" in section, title
        assert "改 / Fix" in section, title
