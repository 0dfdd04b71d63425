"""Files a news item brings: its attachments (附件) and the picture it shows in the home page's 图片新闻.

Front matter names them by a path relative to the content folder, like site.yaml's emblem::

    attachments:
      - file: files/2023-统计表.xlsx
        title: {zh: 2023年普法工作统计表, en: 2023 law-popularization statistics}
    image:
      file: news/images/2023-12-04-board.png
      alt: {zh: 机关大院里的宪法宣传展板, en: Constitution display boards in the office compound}

An attachment is a PDF, DOC, DOCX, XLS, XLSX or OFD file of at most :data:`MAX_ATTACHMENT_BYTES`, read
through :mod:`sitegen.content.safefs` (no link out of the folder, no device or FIFO), whose bytes must be
what its extension says (:func:`sniff`): ``%PDF-``; an OLE2 compound file holding a ``WordDocument`` (DOC) or
``Workbook`` (XLS) stream; a ZIP whose ``[Content_Types].xml`` declares a Word document or an Excel workbook
without macros (DOCX, XLSX); a ZIP holding ``OFD.xml`` (OFD, GB/T 33190). A file that is something else
renamed would reach readers under a false type, so it is refused.

Both are published under :func:`published_path`: ``media/`` and the file's path in the content folder, each
name kept as the office wrote it where it is safe in an address and otherwise made safe, with a short hash of
the original path so that two files never share a name (``files/2023 统计表#1.xlsx`` becomes
``media/files/2023-统计表-1-3f2a1b9c.xlsx``). One copy serves both languages and every article that names the
file; the link's ``download`` attribute keeps the office's own file name.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from ..errors import ContentError, ContentErrors, make_error
from .bilingual import Frozen, TextField, problem
from .safefs import read_bytes

ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "PDF",
    ".doc": "DOC",
    ".docx": "DOCX",
    ".xls": "XLS",
    ".xlsx": "XLSX",
    ".ofd": "OFD",
}
"""The file types an attachment may have, by extension."""
MIME_TYPES: dict[str, str] = {
    "PDF": "application/pdf",
    "DOC": "application/msword",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "XLS": "application/vnd.ms-excel",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "OFD": "application/ofd",
}
IMAGE_TYPES: dict[str, str] = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
"""The file types of pictures in news (front matter ``image:`` and images in the text), by extension."""
MAX_PICTURE_PIXELS = 40_000_000
"""A picture has at most 40 megapixels (8000×5000): more is a decompression bomb or a camera original."""
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
"""An attachment is at most 50 MB: larger files belong on a file server, not in git."""
MEDIA_FOLDER = "media"
"""Where the site publishes the files of news items (attachments, pictures), below its root."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = {"DOC": ("WordDocument",), "XLS": ("Workbook", "Book")}
_ZIP_MAIN = {
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_MAX_PART = 1024 * 1024
"""``[Content_Types].xml`` or ``OFD.xml`` larger than this (unpacked) is not an office file's."""
IMAGE_NOUN = ("图片", "an image")
"""What a picture is called in :func:`content_path`'s messages."""
_SAFE_CHAR = re.compile(r"[\w.-]")


def content_path(raw: Any, types: dict[str, str], example: str, noun: tuple[str, str] = ("文件", "a file")) -> Any:
    """A path relative to the content folder, ``/`` between names, of one of ``types`` (by extension): the
    validator of every file a content file names (attachments, pictures, the site's emblem and mark). ``noun``
    names what it is in the messages (``("图片", "an image")``)."""
    if not isinstance(raw, str):
        return raw
    value = raw.strip()
    if "://" in value or value.startswith("//"):
        raise problem(
            f"“{value}”是网址：文件必须放在网站的 content 文件夹中（网站不从其他网站加载任何内容），写成相对路径，"
            f"例如 {example}。",
            f'"{value}" is a web address: the file must be in the content folder (the site loads nothing from other '
            f"hosts), written as a path relative to it, e.g. {example}.",
        )
    parts = PurePosixPath(value)
    if "\\" in value or parts.is_absolute() or ".." in parts.parts or re.match(r"^[A-Za-z]:", value) or not value:
        raise problem(
            f"“{value}”应是相对于 content 文件夹的路径，用 / 分隔，不能用“..”走出该文件夹，例如 {example}。",
            f'"{value}" must be a path relative to the content folder, with / between names and no ".." leading '
            f"out of it, e.g. {example}.",
        )
    if parts.suffix.lower() not in types:
        kinds = "、".join(dict.fromkeys(types.values()))
        raise problem(
            f"“{value}”不是可用的{noun[0]}类型：只能用 {kinds}（{'、'.join(types)}）。",
            f'"{value}" is not {noun[1]} type the site publishes here: use {kinds.replace("、", ", ")} '
            f"({', '.join(types)}).",
        )
    return parts.as_posix()


AttachmentPath = Annotated[
    str,
    BeforeValidator(lambda raw: content_path(raw, ATTACHMENT_TYPES, "files/2023-统计表.xlsx")),
    WithJsonSchema({"type": "string", "description": "files/2023-统计表.xlsx (PDF, DOC(X), XLS(X) or OFD)"}),
]
ImagePath = Annotated[
    str,
    BeforeValidator(lambda raw: content_path(raw, IMAGE_TYPES, "news/images/2023-12-04.jpg", IMAGE_NOUN)),
    WithJsonSchema({"type": "string", "description": "news/images/2023-12-04.jpg (JPEG, PNG or WebP)"}),
]


class Attachment(Frozen):
    """A file listed under the article (附件), with its type and size."""

    file: AttachmentPath
    """The file, relative to the content folder: files/2023-统计表.xlsx (PDF, DOC, DOCX, XLS, XLSX or OFD)."""
    title: TextField | None = None
    """What the list shows, e.g. 2023年普法工作统计表; by default the file's name."""


class NewsImage(Frozen):
    """The item's picture for 图片新闻 on the home page (by default the first image of the text)."""

    file: ImagePath
    """The picture, relative to the content folder: news/images/2023-12-04.jpg (JPEG, PNG or WebP)."""
    alt: TextField
    """What the picture shows, for readers who cannot see it (替代文字), in Chinese and English."""


# --------------------------------------------------------------------------- the files


_REASONS = {
    "pdf": ("它不以 %PDF- 开头", "it does not start with %PDF-"),
    "ole": ("它不是 OLE 复合文档（旧版 Office 格式）", "it is not an OLE compound file (the old Office format)"),
    "DOC": ("文档里没有 WordDocument 数据流", "it holds no WordDocument stream"),
    "XLS": ("文档里没有 Workbook 数据流", "it holds no Workbook stream"),
    "zip": ("它不是 ZIP 压缩包格式", "it is not a ZIP package"),
    "damaged": ("ZIP 压缩包已损坏", "the ZIP package is damaged"),
    "OFD": ("包里没有 OFD.xml", "the package holds no OFD.xml"),
    "macros": ("它含有宏（请另存为不含宏的文件）", "it holds macros (save it without them)"),
    "types": ("[Content_Types].xml 没有声明相应的文档类型", "its [Content_Types].xml does not declare that type"),
}
"""Why a file is not the type its extension says, by what was looked at."""


def sniff(data: bytes, kind: str) -> tuple[str, str] | None:
    """Why ``data`` is not a ``kind`` file (:data:`ATTACHMENT_TYPES`), or None when it is."""
    reason = _mismatch(data, kind)
    if reason is None:
        return None
    zh, en = _REASONS[reason]
    return (
        f"文件内容不是扩展名所说的 {kind} 文件：{zh}。请用原始文件，或改正扩展名。",
        f"The file is not the {kind} file its extension says: {en}. Use the original file or correct the extension.",
    )


def _mismatch(data: bytes, kind: str) -> str | None:
    """The key of :data:`_REASONS` saying why ``data`` is not a ``kind`` file, or None."""
    if kind == "PDF":
        return None if b"%PDF-" in data[:1024] else "pdf"
    if kind in _OLE_STREAMS:
        if not data.startswith(_OLE):
            return "ole"
        return None if any(name.encode("utf-16-le") in data for name in _OLE_STREAMS[kind]) else kind
    if not data.startswith(b"PK\x03\x04"):
        return "zip"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if kind == "OFD":
                part = _part(package, "OFD.xml")
                return None if part is not None and b"OFD" in part else "OFD"
            types = _part(package, "[Content_Types].xml") or b""
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return "damaged"
    if _ZIP_MAIN[kind].encode() not in types:
        return "macros" if b"macroEnabled" in types else "types"
    return None


def _part(package: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    return package.read(info) if info.file_size <= _MAX_PART else None


def read_checked(root: Path, relative: str, limit: int, check: Callable[[bytes], tuple[str, str] | None]) -> bytes:
    """The bytes of the file ``relative`` to the content folder ``root`` if ``check`` finds no problem in them
    (attachments, pictures and the site's own images are all read this way).

    Raises :class:`ContentErrors` located at the file: missing, refused (:mod:`safefs`), larger than ``limit``
    bytes, or ``check``'s problem."""
    path = Path(root) / relative
    if not os.path.lexists(path):
        raise ContentErrors([make_error(path, 0, 0, "文件不存在。", "The file does not exist.")])
    data = read_bytes(path, root, limit)
    found = check(data)
    if found is not None:
        raise ContentErrors([make_error(path, 0, 0, *found)])
    return data


def read_attachment(root: Path, relative: str) -> bytes:
    """The checked bytes of the attachment ``relative`` to the content folder ``root``."""
    kind = ATTACHMENT_TYPES[PurePosixPath(relative).suffix.lower()]
    return read_checked(root, relative, MAX_ATTACHMENT_BYTES, lambda data: sniff(data, kind))


def at_field(doc: Any, loc: tuple[str | int, ...], path: Path, relative: str, exc: ContentErrors) -> list[ContentError]:
    """The errors of the file ``relative`` (named at ``loc`` of the front matter ``doc``), located at that line."""
    errors = []
    for found in exc.errors:
        zh, en = f"文件“{relative}”不能使用：{found.zh}", f'The file "{relative}" cannot be used: {found.en}'
        errors.append(doc.error(loc, zh, en) if doc is not None else make_error(path, 0, 0, zh, en))
    return errors


# --------------------------------------------------------------------------- names on the site


def safe_name(name: str) -> str:
    """``name`` where every character is safe in an address (letters of any script, digits, ``.``, ``-``, ``_``)."""
    name = unicodedata.normalize("NFC", name)
    kept = "".join(c if _SAFE_CHAR.match(c) else "-" for c in name)
    kept = re.sub(r"-{2,}", "-", kept).strip("-")
    return kept.lstrip(".") or "file"


def published_path(relative: str, suffix: str = "") -> str:
    """Where the site publishes the content file ``relative`` (``suffix`` before the extension: ``.960``)."""
    parts = PurePosixPath(relative).parts
    safe = [safe_name(p) for p in parts]
    if safe != list(parts):
        digest = hashlib.sha256(relative.encode("utf-8")).hexdigest()[:8]
        stem, dot, ext = safe[-1].rpartition(".")
        safe[-1] = f"{stem}-{digest}.{ext}" if dot and stem else f"{safe[-1]}-{digest}"
    stem, dot, ext = safe[-1].rpartition(".")
    safe[-1] = f"{stem}{suffix}.{ext}" if dot and stem else safe[-1] + suffix
    return "/".join([MEDIA_FOLDER, *safe])


def size_text(size: int) -> str:
    """A file size as people read it: ``812 B``, ``12.3 KB``, ``1.2 MB`` (``1.2 MB`` in both languages)."""
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024  # type: ignore[assignment]
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


def picture_problem(data: bytes, kind: str, max_side: int | None = None) -> tuple[str, str] | None:
    """Why ``data`` cannot be published as a ``kind`` picture (PNG, JPEG, WEBP), or None: damaged, another type
    than its extension says, more than :data:`MAX_PICTURE_PIXELS`, or (with ``max_side``) too wide or too high."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                found, (w, h) = image.format, image.size
                if w * h > MAX_PICTURE_PIXELS:
                    raise Image.DecompressionBombError(f"{w}x{h}")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        mega = MAX_PICTURE_PIXELS // 1_000_000
        return (
            f"图片像素太多（上限 {mega} 百万像素，如 8000×5000）。请缩小后再用。",
            f"The picture has too many pixels (at most {mega} megapixels, such as 8000×5000). Make it smaller.",
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return (
            f"文件不是有效的 {kind} 图片（可能已损坏）。",
            f"The file is not a valid {kind} image (it may be damaged).",
        )
    if found != kind:
        return (
            f"文件内容是 {found} 图片，与扩展名不符（应为 {kind}）。请改正扩展名。",
            f"The file holds a {found} image, not the {kind} its extension says. Correct the extension.",
        )
    if max_side is not None and max(w, h) > max_side:
        return (
            f"图片太大（{w}×{h} 像素，每边最多 {max_side}）。请缩小后再用。",
            f"The image is too large ({w}×{h} pixels, at most {max_side} a side). Make it smaller.",
        )
    return None
