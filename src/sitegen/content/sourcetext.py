"""Content files as text: bounded reading, UTF-8 decoding with the usual Windows encodings explained,
and :class:`SourceText`, which turns a line and column into a located :class:`~sitegen.errors.ContentError`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, ContentErrors, make_error
from .safefs import read_bytes

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class SourceText:
    """A decoded file: its text with ``\\n`` line ends, and where it lives."""

    path: Path
    text: str
    line_offset: int = 0
    """Lines before this text in the file (front matter starts on line 2)."""

    def error(self, line: int, column: int, zh: str, en: str, **kw: Any) -> ContentError:
        """An error at ``line`` (1-based, within this text) and ``column``."""
        full = self.line_offset + line if line else 0
        lines = self.text.split("\n")
        err = make_error(self.path, full, column, zh, en, **kw)
        if 0 < line <= len(lines):
            err.source_line = lines[line - 1]
        return err


def read_source(path: Path, root: Path) -> SourceText:
    """Read a content file under ``root`` as UTF-8 text; a BOM and CRLF line ends are accepted silently.

    The file must be a regular file inside ``root`` of at most :data:`MAX_FILE_BYTES` (:func:`safefs.read_bytes`).
    """
    return decode_source(path, read_bytes(path, root, MAX_FILE_BYTES))


def decode_source(path: Path, raw: bytes) -> SourceText:
    """Decode bytes as UTF-8, explaining the usual Windows encodings when that fails."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentErrors(
            [
                make_error(
                    path,
                    0,
                    0,
                    "文件以 UTF-16（记事本中的“Unicode”）编码保存。请用“另存为”，编码选择“UTF-8”后保存。",
                    'The file is saved as UTF-16 ("Unicode" in Notepad). Use "Save As" and choose the '
                    '"UTF-8" encoding.',
                )
            ]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentErrors([_encoding_error(path, raw, exc)]) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, text)


def _encoding_error(path: Path, raw: bytes, exc: UnicodeDecodeError) -> ContentError:
    line = raw.count(b"\n", 0, exc.start) + 1
    start = raw.rfind(b"\n", 0, exc.start) + 1
    column = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
    try:
        raw.decode("gb18030")
        looks_gbk = True
    except UnicodeDecodeError:
        looks_gbk = False
    bad = raw[start:].split(b"\n", 1)[0].decode("gb18030" if looks_gbk else "utf-8", "replace")
    if looks_gbk:
        zh = "文件不是 UTF-8 编码，看起来是 GBK/GB2312（记事本中的“ANSI”）。请用“另存为”，编码选择“UTF-8”后保存。"
        en = (
            'The file is not UTF-8; it looks like GBK/GB2312 ("ANSI" in Notepad). '
            'Use "Save As" and choose the "UTF-8" encoding.'
        )
    else:
        zh = "文件不是 UTF-8 编码，含有无法识别的字节。请用“另存为”，编码选择“UTF-8”后保存。"
        en = 'The file is not UTF-8 and contains unreadable bytes. Use "Save As" and choose "UTF-8".'
    err = make_error(path, line, column, zh, en)
    err.source_line = bad
    return err
