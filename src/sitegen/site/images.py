"""Pictures in news: checked, resized for the page with Pillow, the original linked.

``![替代文字](images/board.jpg "图注")`` in a news text names a JPEG, PNG or WebP file by a path relative to
the Markdown file (as every Markdown preview shows it: ``news/images/board.jpg`` for a news item), or else
relative to the content folder (``static/board.png``); either way it must stay inside the content folder,
and it is read through :mod:`sitegen.content.safefs`. The alternative text is required: a picture without
one says nothing to a reader who cannot see it (GB/T 37668, WCAG 1.1.1). An image alone in its paragraph
becomes a ``<figure>`` with the Markdown title as its ``<figcaption>`` (:mod:`sitegen.site.markup`).

Each picture is published three times under ``media/`` (:func:`sitegen.content.attachments.published_path`):
the original as committed, linked from the picture; a copy at most :data:`PAGE_WIDTH` pixels wide for the
page, with ``width``, ``height`` and ``loading="lazy"``; a :data:`THUMB_WIDTH` copy for the home page's
图片新闻. The copies keep the original's type, are turned upright by their EXIF orientation, carry no metadata
but the colour profile, and are the same bytes on every build (Pillow's encoders are deterministic for the
same settings; the build cache keeps them by the original's hash).
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from ..content.attachments import IMAGE_TYPES, picture_problem, published_path, read_checked
from ..content.model import Markdown
from ..errors import ContentError, ContentErrors
from . import buildcache
from .mdlimits import error_at
from .opendata import File

PAGE_WIDTH = 960
"""The widest copy an article shows (the text column is narrower; 960 is sharp on most screens)."""
THUMB_WIDTH = 480
"""The copy for 图片新闻 on the home page."""
MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""A picture in news is at most 20 MB."""
"""And at most 40 megapixels (8000 × 5000): more is a decompression bomb or a scan to be reduced first."""
RECIPE = 1
"""Bump when the encoding settings change: cached copies made with others are then not used."""
MAX_REPORTED = 20

_IMG = re.compile(r"<(/?)(a|img)\b([^>]*)>")
"""Links and images in sanitised HTML (nh3 escapes every ``<`` and ``>`` of text and attribute values)."""


@dataclass(frozen=True)
class Copy:
    """A resized, re-encoded copy of a picture."""

    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A picture of the content folder as published: the original and the page's copy."""

    source: str
    """Its path relative to the content folder."""
    original: str
    """Where the original is published (from the site root)."""
    page: str
    """Where the page's copy is published."""
    width: int
    height: int
    files: tuple[File, ...]


@dataclass(frozen=True)
class Placed:
    """A news text's HTML with its pictures in place, and the files they need."""

    html: str
    files: tuple[File, ...] = ()


# --------------------------------------------------------------------------- reading and resizing


def read_image(root: Path, relative: str) -> bytes:
    """The checked bytes of the picture ``relative`` to the content folder; raises :class:`ContentErrors`."""
    kind = IMAGE_TYPES[PurePosixPath(relative).suffix.lower()]
    return read_checked(root, relative, MAX_IMAGE_BYTES, lambda data: picture_problem(data, kind))


def resized(data: bytes, width: int) -> Copy:
    """``data`` (a checked picture) upright, at most ``width`` pixels wide, re-encoded without metadata."""
    cache = buildcache.current()
    key = cache.key("image", hashlib.sha256(data).hexdigest(), width, RECIPE, _pillow()) if cache else None
    if cache and isinstance(kept := cache.get(key, tuple), tuple) and len(kept) == 3:
        return Copy(*kept)
    copy = _resize(data, width)
    if cache:
        cache.put(key, (copy.data, copy.width, copy.height))
    return copy


def _pillow() -> str:
    import PIL

    return PIL.__version__


def _resize(data: bytes, width: int) -> Copy:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        kind, icc = opened.format, opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)  # a copy, turned upright
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    grey = image.mode in ("1", "L", "LA", "I", "I;16")
    colour = "RGBA" if alpha else "L" if grey and kind == "PNG" else "RGB"
    image = image.convert(("L" if grey else "RGB") if kind == "JPEG" else colour)
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
    image.info = {}  # no EXIF, XMP, comments or text chunks: only the colour profile is kept
    out = io.BytesIO()
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, **options)
    elif kind == "PNG":
        image.save(out, "PNG", compress_level=9, **options)
    else:
        image.save(out, "WEBP", quality=85, method=4, **options)
    return Copy(out.getvalue(), image.width, image.height)


def picture(root: Path, relative: str, *, thumb: bool = False) -> Picture:
    """The picture ``relative`` to the content folder as published; raises :class:`ContentErrors`."""
    data = read_image(root, relative)
    width = THUMB_WIDTH if thumb else PAGE_WIDTH
    copy = resized(data, width)
    original, page = published_path(relative), published_path(relative, f".{width}")
    files = (File(page, copy.data),) if thumb else (File(original, data), File(page, copy.data))
    return Picture(relative, original, page, copy.width, copy.height, files)


# --------------------------------------------------------------------------- pictures in a news text


def link(from_route: str, target: str) -> str:
    """A relative, percent-encoded address from the page at ``from_route`` to ``target`` (from the site root)."""
    return quote(posixpath.relpath(target, from_route.rstrip("/") or "."), safe="/-._~")


def place(html: str, text: Markdown, root: Path, route: str, label: str, errors: list[ContentError] | None) -> Placed:
    """``html`` (the sanitised rendering of ``text``) with each picture checked, resized and linked to its original.

    ``label`` is said after the picture in its link (“查看原图” / “full-size picture”). Problems go to ``errors``
    (None: not reported here, as for a Chinese text that the English page shows), and the HTML is then empty."""
    found: list[ContentError] = []
    files: dict[str, File] = {}
    out: list[str] = []
    depth, last = 0, 0
    for match in _IMG.finditer(html):
        out.append(html[last : match.start()])
        last = match.end()
        if match[2] == "a":
            depth = max(0, depth + (-1 if match[1] else 1))
            out.append(match[0])
            continue
        attrs = attributes(match[0])
        shown = _picture(attrs, text, root, found)
        if shown is None:
            continue
        files.update((f.path, f) for f in shown.files)
        img = (
            f'<img src="{link(route, shown.page)}" alt="{escape(attrs.get("alt", ""))}" width="{shown.width}" '
            f'height="{shown.height}" loading="lazy" decoding="async"'
            + (f' title="{escape(attrs["title"])}"' if attrs.get("title") else "")
            + ">"
        )
        if not depth:
            img = (
                f'<a class="picture-original" href="{link(route, shown.original)}">{img}'
                f'<span class="visually-hidden" data-pagefind-ignore>{escape(label)}</span></a>'
            )
        out.append(img)
    out.append(html[last:])
    if errors is not None:
        errors += [e for e in found[:MAX_REPORTED] if e not in errors]
    if found:
        return Placed("")
    return Placed("".join(out), tuple(files[p] for p in sorted(files)))


def attributes(tag: str) -> dict[str, str]:
    found: dict[str, str] = {}

    class Tag(HTMLParser):
        def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update((k, v or "") for k, v in attrs)

    parser = Tag(convert_charrefs=True)
    parser.feed(tag)
    parser.close()
    return found


def _picture(attrs: dict[str, str], text: Markdown, root: Path, errors: list[ContentError]) -> Picture | None:
    src = attrs.get("src", "")
    index, column = _where(text, src)
    lines = text.text.split("\n")

    def fail(zh: str, en: str, at: int = column) -> None:
        errors.append(error_at(text, index, at, lines[index] if lines else "", zh, en))

    if not attrs.get("alt", "").strip():
        bang = lines[index].rfind("![", 0, max(column - 1, 0)) if lines else -1
        fail(
            "图片缺少替代文字：请在 ![ ] 的方括号里写明图片的内容，例如 ![宪法宣传展板](images/board.jpg)，"
            "供看不见图片的读者使用。",
            "The picture has no alternative text: say what it shows between the brackets of ![ ], e.g. "
            "![Constitution display boards](images/board.jpg), for readers who cannot see it.",
            at=bang + 1 if bang >= 0 else column,
        )
    relative = resolve(src, text, root)
    if isinstance(relative, tuple):
        fail(*relative)
        return None
    try:
        return picture(root, relative)
    except ContentErrors as exc:
        for e in exc.errors:
            fail(f"图片“{src}”不能使用：{e.zh}", f'The picture "{src}" cannot be used: {e.en}')
        return None


def resolve(src: str, text: Markdown, root: Path) -> str | tuple[str, str]:
    """The content-relative path of the picture ``src`` in ``text``, or why there is none (zh, en)."""
    value = unquote(src.strip())
    if not value or "\\" in value or value.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return (
            f"图片地址“{src}”无效：请写图片文件相对于本文件的路径，例如 images/board.jpg。",
            f'The picture address "{src}" is not valid: write the path of the picture file from this file, '
            "e.g. images/board.jpg.",
        )
    if PurePosixPath(value).suffix.lower() not in IMAGE_TYPES:
        return (
            f"“{src}”不是可用的图片类型：文中图片请用 JPEG、PNG 或 WebP 文件（.jpg、.png、.webp）。",
            f'"{src}" is not a picture type the site publishes: use JPEG, PNG or WebP files (.jpg, .png, .webp).',
        )
    here = os.path.relpath(Path(text.path).parent, root) if text.path else "."
    tried = []
    for base in (here, "."):
        candidate = posixpath.normpath(posixpath.join(Path(base).as_posix(), value))
        if candidate.startswith("../") or candidate == "..":
            continue
        tried.append(candidate)
        if os.path.lexists(Path(root) / candidate):
            return candidate
    if not tried:
        return (
            f"图片“{src}”在 content 文件夹之外，不能使用。请把图片放进 content 文件夹（如 news/images/）。",
            f'The picture "{src}" is outside the content folder. Put it in the content folder (e.g. news/images/).',
        )
    where = "、".join(dict.fromkeys(tried))
    return (
        f"找不到图片文件“{src}”（找过 content 文件夹中的 {where}）。请检查文件名和路径。",
        f'The picture file "{src}" does not exist (looked for {", ".join(dict.fromkeys(tried))} in the content '
        "folder). Check the name and the path.",
    )


def _where(text: Markdown, src: str) -> tuple[int, int]:
    """Line index and column where the address ``src`` is written in ``text``: after ``](``, ``](<`` or ``]:`` of
    an image or its reference first, then anywhere, then at the first ``![``; else the first line."""
    lines = text.text.split("\n")
    typed = [s for s in dict.fromkeys((src, quote(src, safe="/:"))) if s]
    needles = [(f"{before}{s}", len(before)) for s in typed for before in ("](", "](<", "]: ")]
    for needle, skip in [*needles, *((s, 0) for s in typed), ("![", 0)]:
        for index, line in enumerate(lines):
            at = line.find(needle)
            if at >= 0:
                return index, at + skip + 1
    return 0, 0
