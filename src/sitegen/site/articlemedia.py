"""What an article brings besides its text: attachments (附件) listed with type and size, and the picture the
home page's 图片新闻 shows for it.

The files themselves are :class:`sitegen.site.opendata.File` downloads of the pages (written from the site
root by :func:`sitegen.site.assemble.site_files`), under ``media/`` (:mod:`sitegen.content.attachments`).
A file's problems are reported once, by the Chinese page, at the line of the front matter that names it.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..content.attachments import (
    ATTACHMENT_TYPES,
    MIME_TYPES,
    at_field,
    published_path,
    read_attachment,
    size_text,
)
from ..content.model import Content, Lang, Markdown, NewsItem, Text
from ..errors import ContentError, ContentErrors
from . import images
from .markup import render_text
from .opendata import File

PICTURE_NEWS = 4
"""Pictures the home page shows in 图片新闻."""
LOOK_BACK = 30
"""Latest items looked at for them."""

_NAMED = re.compile(r"[^\s()<>\[\]\"'`]+\.(?:jpe?g|png|webp)\b", re.IGNORECASE)
"""Anything in a text that may name a picture file (for :func:`depends`; over-matching costs nothing)."""


@dataclass(frozen=True)
class Listed:
    """One attachment as the article lists it."""

    title: Text
    href: str
    """Where the file is published, from the site root."""
    name: str
    """The office's own file name (the link's ``download``)."""
    kind: str
    mime: str
    size: str
    """``1.2 MB``."""


@dataclass(frozen=True)
class PictureNews:
    """One picture of the home page's 图片新闻: a news item and its thumbnail."""

    item: NewsItem
    src: str
    """The thumbnail, from the site root."""
    width: int
    height: int
    alt: str


def attachments(
    content: Content, item: NewsItem, errors: list[ContentError] | None, *, with_files: bool
) -> tuple[list[Listed], list[File]]:
    """The item's attachments that can be published, and (``with_files``) their files; problems go to ``errors``
    (None: not reported here)."""
    doc = content.documents.get(item.path)
    listed, files = [], []
    for index, attachment in enumerate(item.meta.attachments):
        try:
            data = read_attachment(content.root, attachment.file)
        except ContentErrors as exc:
            if errors is not None:
                errors += at_field(doc, ("attachments", index, "file"), item.path, attachment.file, exc)
            continue
        name = PurePosixPath(attachment.file).name
        kind = ATTACHMENT_TYPES[PurePosixPath(name).suffix.lower()]
        stem = PurePosixPath(name).stem
        title = attachment.title or Text(zh=stem, en=stem)
        href = published_path(attachment.file)
        listed.append(Listed(title, href, name, kind, MIME_TYPES[kind], size_text(len(data))))
        if with_files:
            files.append(File(href, data))
    return listed, files


def check_image(content: Content, item: NewsItem, errors: list[ContentError]) -> None:
    """Report a front-matter ``image:`` that cannot be published, at its line."""
    image = item.meta.image
    if image is None:
        return
    try:
        images.read_image(content.root, image.file)
    except ContentErrors as exc:
        errors += at_field(content.documents.get(item.path), ("image", "file"), item.path, image.file, exc)


def picture_news(content: Content, lang: Lang) -> tuple[list[PictureNews], list[File]]:
    """The home page's 图片新闻: the latest items with a picture (front matter ``image:``, else the first of the
    text), at most :data:`PICTURE_NEWS`. A picture that cannot be used is left out (its article reports it)."""
    shown: list[PictureNews] = []
    files: dict[str, File] = {}
    for item in content.news[:LOOK_BACK]:
        found = _picture_of(content, item, lang)
        if found is None:
            continue
        relative, alt = found
        try:
            thumb = images.picture(content.root, relative, thumb=True)
        except ContentErrors:
            continue
        files.update((f.path, f) for f in thumb.files)
        shown.append(PictureNews(item, thumb.page, thumb.width, thumb.height, alt))
        if len(shown) == PICTURE_NEWS:
            break
    return shown, [files[path] for path in sorted(files)]


def _picture_of(content: Content, item: NewsItem, lang: Lang) -> tuple[str, str] | None:
    """``(path in the content folder, alt text in lang or Chinese)`` of the item's picture, if it has one."""
    if item.meta.image is not None:
        alt = item.meta.image.alt
        return item.meta.image.file, alt.get(lang) or alt.zh
    text = item.body_en if lang == "en" and item.body_en is not None else item.body_zh
    if "![" not in text.text:
        return None
    html = render_text(text, lambda _: None, [])
    for match in re.finditer(r"<img\b[^>]*>", html):
        attrs = images.attributes(match[0])
        relative = images.resolve(attrs.get("src", ""), text, content.root)
        if isinstance(relative, str) and attrs.get("alt", "").strip():
            return relative, attrs["alt"]
    return None


# --------------------------------------------------------------------------- serve's memo


def depends(root: Path, item: NewsItem) -> tuple[tuple[str, int, int], ...]:
    """``(path, mtime, size)`` of each file the item's pages may read besides its Markdown (attachments,
    pictures): with the item, all its article depends on, so that ``serve`` plans it again when one changes."""
    named = {a.file for a in item.meta.attachments}
    if item.meta.image is not None:
        named.add(item.meta.image.file)
    for text in (item.body_zh, item.body_en):
        if text is not None and "![" in text.text:
            named.update(_candidates(text, root))
    stamps = []
    for relative in sorted(named):
        try:
            st = os.stat(Path(root) / relative)
        except OSError:
            continue
        stamps.append((relative, st.st_mtime_ns, st.st_size))
    return tuple(stamps)


def _candidates(text: Markdown, root: Path) -> set[str]:
    here = Path(os.path.relpath(Path(text.path).parent, root)).as_posix()
    found = set()
    for match in _NAMED.finditer(text.text):
        for base in (here, "."):
            path = posixpath.normpath(posixpath.join(base, match[0]))
            if not path.startswith(".."):
                found.add(path)
    return found
