"""Rendering pages, feeds and the sitemap with Jinja2 (autoescaped everywhere).

Links between pages and to assets are relative, so the site works under any sub-path;
canonical URLs, hreflang alternates, the sitemap and the feeds use the absolute base URL.
Asset file names carry a hash of their content.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from ..content.indicators import BY_ID, GROUPS, INDICATORS
from ..content.model import Content, Text
from ..content.safefs import read_bytes
from ..content.siteimages import configured, site_image_files
from ..content.yamlsource import decode_source
from ..errors import ContentError, ContentErrors, display_path, make_error
from .columns import meta as column_meta
from .i18n import LOCALES
from .marking import is_chinese, mark_chinese, marked, zh_span
from .pages import Page, news_title
from .search import column as search_column
from .theme import theme_dir

HTML_LANG = {"zh": "zh-CN", "en": "en"}
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


MAX_ASSET_BYTES = 20 * 1024 * 1024
"""The largest asset or template file read."""


@dataclass(frozen=True)
class Asset:
    """A static file with a content-hashed name."""

    name: str
    """Logical name used in templates: ``site.css``."""
    path: str
    """Output path: ``assets/site.3f2a1b9c0d.css``."""
    data: bytes


def hashed_asset(name: str, data: bytes, folder: str = "assets") -> Asset:
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return Asset(name, f"{folder}/{stem}.{digest}.{ext}" if dot else f"{folder}/{name}.{digest}", data)


def site_images(content: Content, have: dict[str, Asset]) -> dict[str, Asset]:
    """The images site.yaml names (``emblem``, ``dzjg``) as hashed assets, but those ``have`` holds already.

    Raises :class:`ContentErrors` for an image that cannot be read (the loader has reported why).
    """
    missing = [name for name, *_ in configured(content.site) if name not in have]
    files = site_image_files(content.site, content.root) if missing else {}
    return {name: replace(hashed_asset(*files[name]), name=name) for name in missing}


@functools.lru_cache(maxsize=65536)
def relative(from_route: str, target: str) -> str:
    """A link from the page at ``from_route`` to ``target`` (both relative to the site root)."""
    base = from_route if from_route.endswith("/") else posixpath.dirname(from_route) + "/"
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    # A valid URI: non-ASCII names (media/files/2023-统计表.xlsx) percent-encoded, as every client can send them.
    return "./" if rel == "./" or rel == "." else quote(rel, safe="/#?&=%:@!$'()*+,;~-._")


class TemplateLoader(jinja2.BaseLoader):
    """Templates under one folder, read through :func:`sitegen.content.safefs.read_bytes`: a template that is a
    link out of the folder, a FIFO or a device is a :class:`ContentErrors`, never read."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        text = template_text(path, self.folder)
        mtime = _mtime(path)
        return text, os.path.normpath(path), lambda: _mtime(path) == mtime


def search_path(templates: Path) -> tuple[Path, ...]:
    """Where templates and assets are looked up, first match wins: the site's own folder, then the theme.

    A site's ``templates/`` overrides the bundled theme file by file (as MkDocs' ``custom_dir``):
    a site that changes only ``base.html`` keeps every other template and asset of the theme.
    """
    theme = theme_dir()
    folders = [Path(templates)]
    if not _same_folder(folders[0], theme):
        folders.append(theme)
    return tuple(folders)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


class ThemeLoader(jinja2.BaseLoader):
    """The first of ``folders`` that has a template; a name in none of them says where it looked."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        self.loaders = [TemplateLoader(folder) for folder in folders]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        for loader in self.loaders:
            try:
                return loader.get_source(environment, template)
            except jinja2.TemplateNotFound:
                continue
        where = " and ".join(display_path(loader.folder) for loader in self.loaders)
        raise jinja2.TemplateNotFound(template, f'template "{template}" not found; looked in {where}')


def template_text(path: Path, templates: Path) -> str:
    """The text of a template file inside ``templates``; raises :class:`ContentErrors`."""
    return decode_source(path, read_bytes(path, templates, MAX_TEMPLATE_BYTES)).text


def _source_text(path: Path, folders: tuple[Path, ...]) -> str | None:
    """The text of a template file from whichever search folder holds it, for an error's source line."""
    for folder in folders:
        try:
            return template_text(path, folder)
        except ContentErrors:
            continue
    return None


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


_NONCHARACTERS = "".join(chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF))
_FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + _NONCHARACTERS + "]"
)
"""Characters that are parse errors in HTML or not allowed in XML 1.0: controls, surrogates, noncharacters."""


def printable(value: object) -> object:
    """Jinja's ``finalize``: every ``{{ … }}`` output without characters that make a page or feed invalid."""
    if not isinstance(value, str) or value.isprintable() or not _FORBIDDEN_CHARS.search(value):
        return value  # (each forbidden character is one Python does not count as printable: a quicker test)
    cleaned = _FORBIDDEN_CHARS.sub("", value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja2 environment: autoescape on, undefined names are errors."""
    env = jinja2.Environment(
        loader=ThemeLoader(search_path(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=printable,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters["marked"] = marked
    env.tests["chinese"] = is_chinese
    return env


def template_error(exc: jinja2.TemplateError, templates: Path) -> ContentError:
    """A template problem as a located error (file, line) instead of a traceback."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", 0) or 0
    tb = exc.__traceback__
    while tb is not None:  # runtime errors: Jinja puts the template's frames in the traceback
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    path = Path(name) if Path(name).is_absolute() else templates / name
    if isinstance(exc, jinja2.TemplateNotFound):
        where = "、".join(display_path(folder) for folder in search_path(templates))
        zh = f"找不到模板“{exc.name}”：在 {where} 中都没有这个文件。请检查文件名，或从默认主题复制该文件。"
        en = f'Template "{exc.name}" not found in {where}. Check the name, or copy the file from the theme.'
        return make_error(path, 0, 0, zh, en)
    text = _source_text(path, search_path(templates))
    return make_error(
        path, line, 0, f"模板错误：{exc.message or exc}", f"Template error: {exc.message or exc}", text=text
    )


@dataclass(frozen=True)
class Renderer:
    """Renders pages of one site with one set of templates and assets."""

    content: Content
    env: jinja2.Environment
    assets: dict[str, Asset]
    """The theme's CSS/JS and ECharts; the site's own images (:func:`site_images`) join them here."""
    base_url: str
    templates: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "assets", {**site_images(self.content, self.assets), **self.assets})

    def absolute(self, path: str) -> str:
        return self.base_url + path

    def page(self, page: Page) -> bytes:
        """One page as UTF-8 HTML."""
        loc = LOCALES[page.lang]
        if page.route == "404.html":  # served at any address: links must not be relative
            base_path = urlsplit(self.base_url).path
            url: Callable[[str], str] = lambda target: base_path + target  # noqa: E731
        else:
            url = lambda target: relative(page.route, target)  # noqa: E731

        def tr(value: Text | None) -> Markup:
            """A bilingual field; untranslated English shows the Chinese, marked as such."""
            if value is None:
                return Markup("")
            text = value.get(page.lang)
            if text is not None:
                return mark_chinese(text, page.lang)
            return zh_span(value.zh, untranslated=True) if page.lang == "en" else escape(value.zh)

        def label(key: str) -> str:
            """An interface label followed by the page language's colon: 来源： / Source: ."""
            return loc.t(key) + loc.t("colon")

        def norm(rule: Any) -> Markup:
            """A stated minimum (:class:`~sitegen.content.model.Norm`): 每年不少于2次 / at least 2 meetings a year."""
            amount = escape(loc.quantity(rule.minimum))
            if rule.unit is not None:
                amount += (Markup(" ") if page.lang == "en" else Markup("")) + tr(rule.unit)
            return Markup(escape(loc.t("norm_" + rule.per))).format(n=amount)

        context: dict[str, Any] = {
            "page": page,
            "site": self.content.site,
            "content": self.content,
            "loc": loc,
            "t": loc.t,
            "lang": page.lang,
            "html_lang": HTML_LANG[page.lang],
            "url": url,
            "asset": lambda name: url(self.assets[name].path),
            "tr": tr,
            "label": label,
            "norm": norm,
            "q": lambda value, key=None: loc.value(value, key) if key in BY_ID else loc.quantity(value, key),
            "indicators": INDICATORS,
            "groups": GROUPS,
            "absolute": self.absolute,
            "news_title": lambda item: news_title(item, page.lang),
            "search_column": search_column(page),
            "column_meta": column_meta(self.content, page),
            **page.data,
        }
        try:
            html = self.env.get_template(page.template).render(context)
        except jinja2.TemplateError as exc:
            raise ContentErrors([template_error(exc, self.templates)]) from None
        return html.encode("utf-8")

    def simple(self, template: str, **context: Any) -> bytes:
        """A non-page file (feed, sitemap, robots.txt, 404) rendered from a template."""
        try:
            text = self.env.get_template(template).render(
                site=self.content.site, content=self.content, absolute=self.absolute, **context
            )
        except jinja2.TemplateError as exc:
            raise ContentErrors([template_error(exc, self.templates)]) from None
        return text.encode("utf-8")
