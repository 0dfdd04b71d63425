"""Hints for the YAML mistakes of people typing in a Chinese input method.

libyaml's messages ("mapping values are not allowed here") mean little to an office editor, and some
mistakes (a full-width colon after a key) are not even syntax errors. These functions find such
mistakes line by line and put libyaml's errors into plain Chinese and English.
"""

from __future__ import annotations

import re

_FULLWIDTH_COLON_KEY = re.compile(r"^[ \t\u3000]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t\u3000]*：")
_MISSING_SPACE_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][\w-]*):(?=[^\s/:])")
_ODD_SPACE_INDENT = re.compile(r"^[ \t\u3000\u00a0]*(?:-[ \t\u3000\u00a0]*)?")
"""The indentation (and a list item's dash) of a line, with the spaces that are not ASCII spaces."""
_ODD_SPACE_AFTER_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][\w-]*):([\u3000\u00a0])")
_BLOCK_START = re.compile(r"^(?P<lead> *)(?P<dashes>(?:- +)*)(?P<key>[^#'\"\s-][^#]*?:[ ]+)?[|>][-+0-9]*[ ]*(?:#.*)?$")
_TAB_INDENT = re.compile(r"^ *\t")
_FULLWIDTH_DASH_ITEM = re.compile(r"^[ ]*([－—–])[ \u3000]")
_FULLWIDTH_HASH = re.compile(r"^[ ]*(＃)")
_HIDDEN_BREAKS = {
    "\x85": ("下一行符（U+0085）", "next-line character (U+0085, NEL)"),
    "\u2028": ("行分隔符（U+2028）", "line separator (U+2028)"),
    "\u2029": ("段分隔符（U+2029）", "paragraph separator (U+2029)"),
}
"""Characters that YAML counts as line ends but editors show as nothing (or as a space)."""
_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")


def without_hidden_breaks(text: str) -> str:
    """``text`` with each U+0085, U+2028 and U+2029 as a space, read as an editor shows it.

    libyaml ends a line at each of them: a comment would end there and its rest be read as data,
    and every position after them would point lines too far down. One space for one character keeps
    every offset, line and column of the file.
    """
    return _HIDDEN_BREAK.sub(" ", text) if _HIDDEN_BREAK.search(text) else text


def hidden_breaks(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, zh, en) for the first hidden line end on each line (see :func:`without_hidden_breaks`)."""
    found = []
    if not _HIDDEN_BREAK.search(text):
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        m = _HIDDEN_BREAK.search(line)
        if m:
            name_zh, name_en = _HIDDEN_BREAKS[m.group(0)]
            found.append(
                (
                    number,
                    m.start() + 1,
                    f"这里有一个看不见的{name_zh}，常见于从 Word 或网页复制的文字，已当作空格读取。请删除它。",
                    f"There is an invisible {name_en} here, often pasted from Word or a web page; "
                    "it is read as a space. Delete it.",
                )
            )
    return found


def line_mistakes(text: str, skip: set[int], upto: int | None = None) -> list[tuple[int, int, str, str]]:
    """(line, column, zh, en) for each line with a typing mistake; lines in ``skip`` are exempt."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if upto is not None and number > upto:
            break
        if number in skip:
            continue
        mistake = _lint_line(line)
        if mistake:
            column, zh, en = mistake
            found.append((number, column, zh, en))
    return found


def _lint_line(line: str) -> tuple[int, str, str] | None:
    if m := _FULLWIDTH_COLON_KEY.match(line):
        col = line.index("：") + 1
        return (
            col,
            f"“{m.group(1)}”后面是全角冒号“：”，YAML 需要半角冒号。请把“：”改成英文冒号“:”并在后面加一个空格。",
            f'"{m.group(1)}" is followed by a full-width colon "：" (U+FF1A); YAML needs the ASCII '
            'colon. Type ":" followed by a space instead.',
        )
    if m := _TAB_INDENT.match(line):
        return (
            m.end(),
            "行首缩进用了 Tab 制表符，YAML 只允许空格缩进。请把 Tab 换成空格（每级两个空格）。",
            "A tab is used for indentation; YAML allows only spaces. Replace the tab with spaces (two per level).",
        )
    if odd := _odd_space(line):
        return odd
    if m := _FULLWIDTH_DASH_ITEM.match(line):
        return (
            m.start(1) + 1,
            f"列表项以全角符号“{m.group(1)}”开头，YAML 需要半角减号。请改为“- ”（减号加空格）。",
            f'The list item starts with "{m.group(1)}"; YAML needs an ASCII hyphen. Type "- " '
            "(hyphen and space) instead.",
        )
    if m := _FULLWIDTH_HASH.match(line):
        return (
            m.start(1) + 1,
            "注释以全角“＃”开头，YAML 需要半角“#”。",
            'The comment starts with a full-width "＃"; YAML needs the ASCII "#".',
        )
    if m := _ODD_SPACE_AFTER_COLON.match(line):
        name_zh, name_en = _SPACE_NAMES[m.group(2)]
        return (
            m.start(2) + 1,
            f"“{m.group(1)}:”的冒号后面是{name_zh}，YAML 需要普通的半角空格。请删除它，重新输入一个空格。",
            f'The colon of "{m.group(1)}:" is followed by {name_en}; YAML needs an ordinary space. '
            "Delete it and type a normal space.",
        )
    if m := _MISSING_SPACE_KEY.match(line):
        return (
            m.end(),
            f"“{m.group(1)}:”的冒号后面缺少空格。请在冒号后加一个空格。",
            f'There is no space after the colon of "{m.group(1)}:". Add a space after the colon.',
        )
    return None


_SPACE_NAMES = {
    "\u3000": ("全角空格（中文输入法的空格）", "a full-width space (U+3000, from a Chinese input method)"),
    "\u00a0": (
        "不换行空格（U+00A0，常见于从 Word 或网页复制的文字）",
        "a non-breaking space (U+00A0, pasted from Word or a web page)",
    ),
}


def _odd_space(line: str) -> tuple[int, str, str] | None:
    """A full-width or non-breaking space in the indentation (or after a list item's dash)."""
    indent = _ODD_SPACE_INDENT.match(line).group(0)
    found = [i for i, ch in enumerate(indent) if ch in _SPACE_NAMES]
    if not found:
        return None
    ch = indent[found[0]]
    if ch == "\u3000":
        return (
            found[0] + 1,
            "行首缩进里有全角空格（中文输入法的空格），YAML 只认半角空格。请删除它，改用半角空格。",
            "The indentation contains a full-width space (U+3000, from a Chinese input method); "
            "YAML only accepts ASCII spaces. Delete it and type normal spaces.",
        )
    return (
        found[0] + 1,
        "行首缩进里有不换行空格（U+00A0，常见于从 Word 或网页复制的文字），YAML 只认普通空格。"
        "请删除行首的空白，重新用空格键缩进。",
        "The indentation contains a non-breaking space (U+00A0, often pasted from Word or a web page); "
        "YAML only accepts ordinary spaces. Delete the indentation and type it again with the space bar.",
    )


def block_scalar_lines(text: str, start: int) -> set[int]:
    """Lines (1-based) from ``start`` on that look like the content of a ``|`` or ``>`` block.

    Used after a syntax error, where libyaml has not told us where the blocks are: a line ending in
    ``|`` or ``>`` starts one, and the lines indented deeper than it (or blank) belong to it.
    """
    lines = text.split("\n")
    found: set[int] = set()
    number = start
    while number <= len(lines):
        m = _BLOCK_START.match(lines[number - 1])
        number += 1
        if not m:
            continue
        indent = len(m["lead"]) + (len(m["dashes"]) if m["key"] else max(len(m["dashes"]) - 2, 0))
        while number <= len(lines):
            line = lines[number - 1]
            if line.strip() and len(line) - len(line.lstrip(" \t\u3000\u00a0")) <= indent:
                break
            found.add(number)
            number += 1
    return found


def explain_syntax_error(problem: str, context: str) -> tuple[str, str]:
    """Plain words for libyaml's syntax errors."""
    if "mapping values are not allowed" in problem:
        return (
            "这里不应出现冒号。如果文字本身含有“: ”，请把整个值用英文引号括起来；否则检查上一行的缩进。",
            'A colon is not allowed here. If the text itself contains ": ", put the whole value in '
            "quotes; otherwise check the indentation of the line above.",
        )
    if "could not find expected ':'" in problem:
        return (
            "这一行应写成“名称: 值”（英文冒号，后跟一个空格）。",
            'This line should read "name: value" (an ASCII colon followed by a space).',
        )
    if "tab" in problem.lower() or "'\\t'" in problem:
        return (
            "行首缩进用了 Tab 制表符，YAML 只允许空格缩进。请把 Tab 换成空格。",
            "A tab is used for indentation; YAML allows only spaces. Replace it with spaces.",
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return (
            "缩进没有对齐：这一行的缩进和上面同级的行不一致。",
            "The indentation does not line up: this line is indented differently from the lines "
            "at the same level above it.",
        )
    if "did not find expected '-' indicator" in problem:
        return (
            "列表缩进没有对齐：每一项都应以同样缩进的“- ”开头。",
            'The list is not aligned: every item must start with "- " at the same indentation.',
        )
    if "quoted scalar" in context:
        return (
            "引号没有配对：这里的引号开始了一段文字，但直到文件（或“---”之间的元数据）结尾都没有结束的引号。"
            "请在文字末尾补上同样的引号。",
            "A quote is not closed: the quote that opens here never ends (YAML read on to the end of the file "
            "or front matter). Add the closing quote at the end of the text.",
        )
    if "end of stream" in problem:
        return (
            "引号没有配对：值以引号开始，但没有结束的引号。",
            "A quote is not closed: the value starts with a quote that never ends.",
        )
    if "flow" in context or "expected ',' or" in problem:
        return (
            "方括号 [ ] 或花括号 { } 没有配对，或其中缺少逗号。",
            "A bracket [ ] or brace { } is not closed, or a comma is missing inside it.",
        )
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "?"
        return (
            f"字符“{char}”不能出现在值的开头。请把整个值用英文引号括起来。",
            f'The character "{char}" cannot start a value. Put the whole value in quotes.',
        )
    return (f"YAML 格式错误：{problem}", f"YAML syntax error: {problem}")
