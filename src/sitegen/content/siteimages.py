"""The site's own images, named in ``site.yaml``: the organ's emblem and the 党政机关网站标识.

Both are files inside the content folder, written relative to it (``emblem: static/emblem.svg``), read
through :mod:`sitegen.content.safefs` like every content file: PNG, JPEG or SVG, at most
:data:`MAX_IMAGE_BYTES`. An SVG is served from the site itself, where a script in it would run as the
site's own: it may hold no script, event handler, ``foreignObject``, DOCTYPE, or reference to another
file or host. The build copies them into ``assets/`` with a content hash in the name, like the theme's
CSS (:func:`sitegen.site.render.site_images`).

The 标识 is the issuer's image, downloaded once and kept with the content (its script is a third-party
request and stays out); it links to the verification address the issuer gave the office, which must be an
``https://`` address on ``conac.cn`` (``https://bszs.conac.cn/sitename?method=show&id=…``): a mark that
links anywhere else verifies nothing.

A value still to be filled in (``待填写``, ``TODO``) reads as "not given": the page shows no image, and
:mod:`sitegen.content.placeholders` reports it like every placeholder.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, WithJsonSchema

from ..errors import ContentError, ContentErrors, make_error
from .attachments import IMAGE_NOUN, content_path, picture_problem, read_checked
from .bilingual import problem

if TYPE_CHECKING:
    from .sitefiles import SiteConfig
    from .yamlsource import Loc, YamlDocument

IMAGE_TYPES: dict[str, str] = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}
"""The file types an image of site.yaml may have, by extension."""
MAX_IMAGE_BYTES = 512 * 1024
"""An emblem or a 标识 is a small picture: 512 KB at most."""
MAX_PIXELS = 4096
"""Neither side of a PNG or JPEG may be larger than this."""
VERIFY_HOST = "conac.cn"
"""The issuer of the 党政机关网站标识: its verification address is on this host or one below it."""

_SAFE_HREF = re.compile(r"^(#|data:image/(png|jpeg|gif|webp)[;,])", re.IGNORECASE)
_UNSAFE_TAGS = {"script", "foreignobject", "iframe", "embed", "object"}
_CSS_URL = re.compile(r"url\(\s*(?!['\"]?#)|@import", re.IGNORECASE)
_NAMES = {
    "emblem": ("徽标图片", "The emblem image"),
    "dzjg": ("党政机关网站标识图片", "The government website mark image"),
}


def _placeholder(raw: object) -> bool:
    from .placeholders import is_marked  # placeholders imports the model, which imports this module

    return isinstance(raw, str) and is_marked(raw)


def _image_path(raw: Any) -> Any:
    """``static/emblem.svg``: a relative path inside the content folder, of an image type we publish."""
    if raw is None or _placeholder(raw):
        return None
    return content_path(raw, IMAGE_TYPES, "static/emblem.svg", IMAGE_NOUN)


def _verify_url(raw: Any) -> Any:
    """The 标识's verification address: ``https://`` on conac.cn."""
    if raw is None or _placeholder(raw):
        return None
    if not isinstance(raw, str):
        return raw
    value = raw.strip()
    parts = urlsplit(value)
    host = (parts.hostname or "").lower().rstrip(".")
    if any(ch.isspace() for ch in value) or parts.scheme.lower() != "https" or parts.username or parts.password:
        raise problem(
            f"“{value}”不是完整的 https:// 网址。请填写标识发放机构提供的验证地址，"
            "例如 https://bszs.conac.cn/sitename?method=show&id=…",
            f'"{value}" is not a complete https:// address. Give the verification address the issuer gave you, '
            "e.g. https://bszs.conac.cn/sitename?method=show&id=…",
        )
    if host != VERIFY_HOST and not host.endswith("." + VERIFY_HOST):
        raise problem(
            f"“{host}”不是标识的发放机构：党政机关网站标识的验证地址在 {VERIFY_HOST} 上"
            "（如 https://bszs.conac.cn/…），链接到别处的标识不能证明任何事情。",
            f'"{host}" is not the issuer of the mark: the verification address of the government website mark is '
            f"on {VERIFY_HOST} (https://bszs.conac.cn/…); a mark linking anywhere else verifies nothing.",
        )
    return value


ImagePath = Annotated[
    str | None,
    BeforeValidator(_image_path),
    WithJsonSchema({"type": "string", "description": "static/emblem.svg (PNG, JPEG or SVG in the content folder)"}),
]
"""An image file inside the content folder, relative to it; ``None`` while still to be filled in."""
VerifyUrl = Annotated[
    str | None,
    BeforeValidator(_verify_url),
    WithJsonSchema({"type": "string", "description": "https://bszs.conac.cn/sitename?method=show&id=…"}),
]
"""The 党政机关网站标识's verification address (https, on conac.cn)."""


# --------------------------------------------------------------------------- the files


def configured(site: SiteConfig) -> Iterator[tuple[str, str, Loc]]:
    """``(name, path, where in site.yaml)`` of each image site.yaml names: ``emblem`` and ``dzjg``."""
    if site.emblem:
        yield "emblem", site.emblem, ("emblem",)
    if site.dzjg is not None and site.dzjg.image:
        yield "dzjg", site.dzjg.image, ("dzjg", "image")


def read_image(root: Path, relative: str) -> bytes:
    """The checked bytes of the image ``relative`` to the content folder ``root`` (an SVG with LF line ends).

    Raises :class:`ContentErrors` located at the file: missing, unreadable, too large or not the image it says.
    """
    kind = IMAGE_TYPES[PurePosixPath(relative).suffix.lower()]

    def problem_of(data: bytes) -> tuple[str, str] | None:
        return _svg_problem(data) if kind == "SVG" else picture_problem(data, kind, max_side=MAX_PIXELS)

    data = read_checked(root, relative, MAX_IMAGE_BYTES, problem_of)
    return data.replace(b"\r\n", b"\n") if kind == "SVG" else data  # the same bytes from a CRLF checkout


def site_image_files(site: SiteConfig, root: Path) -> dict[str, tuple[str, bytes]]:
    """``name → (file name, bytes)`` of every image site.yaml names; raises :class:`ContentErrors`."""
    return {name: (PurePosixPath(rel).name, read_image(root, rel)) for name, rel, _ in configured(site)}


def check(site: SiteConfig, root: Path, docs: Mapping[Path, YamlDocument]) -> list[ContentError]:
    """Each image of site.yaml that cannot be published, as an error at its line in site.yaml."""
    errors = []
    doc = docs.get(Path(root) / "site.yaml")
    for name, relative, loc in configured(site):
        try:
            read_image(root, relative)
        except ContentErrors as exc:
            for found in exc.errors:
                zh, en = _NAMES[name]
                zh, en = f"{zh}“{relative}”不能使用：{found.zh}", f'{en} "{relative}" cannot be used: {found.en}'
                errors.append(doc.error(loc, zh, en) if doc else make_error(Path(root) / "site.yaml", 0, 0, zh, en))
    return errors


def _svg_problem(data: bytes) -> tuple[str, str] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "SVG 文件应以 UTF-8 编码保存。", "An SVG file must be saved as UTF-8."
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        return "SVG 文件中不能有 DOCTYPE 或 ENTITY 声明。", "An SVG file must not hold a DOCTYPE or ENTITY declaration."
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return f"SVG 文件格式有误：{exc}", f"The SVG file is not well-formed XML: {exc}"
    if _local(root.tag) != "svg":
        return (
            "文件不是 SVG 图片（最外层应是 <svg>）。",
            "The file is not an SVG image (its outermost element must be <svg>).",
        )
    for element in root.iter():
        unsafe = _unsafe(element)
        if unsafe:
            return (
                f"SVG 中不能有 {unsafe}：它会在本网站内运行或从别处加载内容。"
                "请用只含图形的 SVG（可在绘图软件中另存为“纯 SVG”）。",
                f"The SVG holds {unsafe}, which would run inside the site or load something from elsewhere. "
                "Use an SVG of shapes only (save it as plain SVG from the drawing program).",
            )
    return None


def _local(name: str) -> str:
    return name.rpartition("}")[2] if isinstance(name, str) else ""


def _unsafe(element: ET.Element) -> str | None:
    """What in ``element`` an image must not hold (a script, an event handler, a link out), else None."""
    tag = _local(element.tag)
    if tag.lower() in _UNSAFE_TAGS:
        return f"<{tag}>"
    if tag == "style" and _CSS_URL.search(element.text or ""):
        return "<style> url()/@import"
    for name, value in element.attrib.items():
        attr = _local(name)
        if attr.lower().startswith("on"):
            return f"{attr}="
        if attr == "href" and not _SAFE_HREF.match(value.strip()):
            return f'href="{value[:40]}"'
        if attr == "style" and _CSS_URL.search(value):
            return "style url()"
    return None
