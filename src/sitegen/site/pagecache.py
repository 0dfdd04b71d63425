"""Rendered pages kept between builds: ``sitegen build`` with a warm cache renders only what changed.

Pages are planned in slots, each from stated inputs (:class:`~sitegen.site.pagetypes.PlanMemo`: a unit's pages in
one language from the unit, the periods and the category names; an article from its news item; a unit's news list
from its items; a group's page from its units' figures), and a page's HTML depends only on the page and
:func:`shared_inputs`. So :class:`PageCache` keeps, under the hash of a slot's name, its inputs and the shared
inputs, what the build needs of the slot's pages once they are rendered
(:class:`~sitegen.site.pagetypes.RenderedPage`): each page's address, title and breadcrumb, its HTML, its chart CSVs
and open-data files, and the document keys of its office files (whose bytes :mod:`sitegen.office.downloads` keeps).
A later build whose slot has equal inputs takes the rendered pages instead of planning and rendering them. The home
page, the columns' lists, the overviews and the sitemaps are planned and rendered every time: they read every unit
or news item.

``serve`` keeps its own pages in memory (:mod:`sitegen.preview.incremental`, by the same :func:`shared_inputs`).

What a template reads of ``content`` must be in :func:`shared_inputs`: the theme reads only the units' ids and
names (a test keeps it to that). A site whose own templates read more of it (:func:`reads_only_unit_names`)
renders every page: what its pages depend on is not known.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.loader import is_ignored
from ..content.model import Content
from ..content.safefs import read_bytes, walk_files
from ..errors import ContentError, ContentErrors
from ..office import downloads as office_files
from . import buildcache
from .assemble import page_files
from .pagetypes import Page, Plan, RenderedPage
from .render import MAX_ASSET_BYTES, Asset, Renderer, search_path
from .theme import theme_dir

MAX_SLOT_BYTES = 8 * 2**20
"""A slot whose files (an article's pictures) are larger than this is not kept: it would crowd out the rest."""
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
_JINJA = re.compile(r"{[{%#](.*?)[}%#]}", re.DOTALL)
_CONTENT = re.compile(r"\bcontent\b")
_UNITS_LOOP = re.compile(r"{%-?\s*for (\w+) in content\.units\s*-?%}(.*?){%-?\s*endfor", re.DOTALL)


def shared_inputs(content: Content, assets: Mapping[str, Asset], templates: bytes) -> tuple[object, ...]:
    """What a page's HTML depends on besides its Page: the templates (by digest), asset names, and
    what templates read from ``content`` (``base.html`` lists the units by id and name; a test
    keeps templates to that). Settings, periods and category names are added for safety."""
    units = tuple((u.id, u.info) for u in content.units)
    asset_paths = tuple(sorted((name, asset.path) for name, asset in assets.items()))
    return (templates, asset_paths, content.site, content.periods, content.observances, content.campaigns, units)


def templates_digest(folder: Path) -> bytes:
    """A digest of every file under ``folder`` (names and bytes), read as :mod:`sitegen.content.safefs` allows:
    a file that must not be read counts by its name only (rendering reports it if it is used)."""
    h = hashlib.blake2b(digest_size=20)
    files, refused = walk_files(folder, folder, is_ignored)
    for path in files:
        try:
            data = read_bytes(path, folder, MAX_ASSET_BYTES)
        except ContentErrors:
            data = b"\0refused"
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + data + b"\0")
    for error in refused:
        h.update(error.path.encode() + b"\0refused\0")
    return h.digest()


def reads_only_unit_names(text: str) -> bool:
    """Whether a template reads nothing of ``content`` but the units' ids and names (``for u in content.units``
    reading ``u.id`` and ``u.info``, or ``content.units|length``): what :func:`shared_inputs` holds."""
    code = " ".join(_JINJA.findall(text))
    loops = _UNITS_LOOP.findall(text)
    uses = len(_CONTENT.findall(code))
    allowed = len(loops) + len(re.findall(r"\bcontent\.units\s*\|\s*length\b", code))
    if uses > allowed:
        return False
    return all(set(re.findall(rf"\b{name}\.(\w+)", body)) <= {"id", "info"} for name, body in loops)


def _own_templates_known(templates: Path) -> bool:
    """Whether every template of the site's own folder (not the theme's) passes :func:`reads_only_unit_names`."""
    for folder in search_path(templates):
        if folder == theme_dir():
            continue
        files, _ = walk_files(folder, folder, is_ignored)
        for path in files:
            if path.suffix.lower() in TEMPLATE_SUFFIXES:
                try:
                    text = read_bytes(path, folder, MAX_ASSET_BYTES).decode("utf-8", "replace")
                except ContentErrors:
                    return False
                if not reads_only_unit_names(text):
                    return False
    return True


class PageCache:
    """The slots' rendered pages kept in ``cache`` for one build (see the module): :meth:`plans` is the build's
    :class:`~sitegen.site.pagetypes.PlanMemo`, :meth:`keep` stores the slots planned again once rendered."""

    def __init__(self, cache: buildcache.BuildCache, shared: bytes) -> None:
        self._cache = cache
        self._shared = shared.hex()
        self._parts: dict[int, tuple[object, str | None]] = {}
        """Each input's canonical hash by its identity (a unit's inputs serve its two languages)."""
        self._planned: dict[bytes, list[Page]] = {}
        self.reused = 0
        """Pages taken rendered from the cache."""

    @classmethod
    def for_build(cls, cache: buildcache.BuildCache | None, renderer: Renderer) -> PageCache | None:
        """The page cache of a build that renders with ``renderer``; None without a cache, or when the site's own
        templates read what :func:`shared_inputs` does not hold."""
        if cache is None or not _own_templates_known(renderer.templates):
            return None
        digest = b"".join(templates_digest(folder) for folder in search_path(renderer.templates))
        shared = buildcache.canonical_key("shared", shared_inputs(renderer.content, renderer.assets, digest))
        if shared is None:
            return None
        return cls(cache, hashlib.sha256(shared + renderer.base_url.encode("utf-8", "surrogatepass")).digest())

    def plans(self, slot: Hashable, inputs: object, plan: Plan, errors: list[ContentError]) -> list[Page]:
        """The slot's pages as kept rendered for equal inputs, else planned now (and kept by :meth:`keep`)."""
        key = self._key(slot, inputs)
        found = self._found(key)
        if found is not None:
            self.reused += len(found)
            return found
        problems: list[ContentError] = []
        pages = list(plan(problems))
        errors.extend(problems)
        if key is not None and not problems:
            self._planned[key] = pages
        return pages

    def keep(self, files: Mapping[str, bytes]) -> None:
        """Store the slots planned in this build, their pages rendered in ``files``."""
        for key, pages in self._planned.items():
            kept = [_rendered(page, files) for page in pages]
            if all(k is not None for k in kept) and sum(_size(k) for k in kept) <= MAX_SLOT_BYTES:
                self._cache.put(key, tuple(kept))
        self._planned.clear()

    def _key(self, slot: Hashable, inputs: object) -> bytes | None:
        parts = inputs if isinstance(inputs, tuple) else (inputs,)
        hashes = [self._part(part) for part in parts]
        if None in hashes:
            return None
        return self._cache.key("pages", slot, hashes, self._shared)

    def _part(self, part: object) -> str | None:
        known = self._parts.get(id(part))
        if known is None or known[0] is not part:
            key = buildcache.canonical_key("input", part)
            known = self._parts[id(part)] = (part, key.hex() if key else None)
        return known[1]

    def _found(self, key: bytes | None) -> list[Page] | None:
        kept = self._cache.get(key, tuple)
        if not kept or not all(isinstance(k, _Kept) for k in kept):
            return None
        pages = [k.page(office_files.kept) for k in kept]
        return None if None in pages else pages  # an office file no longer kept: planned again


@dataclass(frozen=True)
class _Kept:
    """A rendered page as the cache keeps it: the page with its files but the office ones, and those as
    (path, document key)."""

    rendered: RenderedPage
    office: tuple[tuple[str, bytes], ...]

    def page(self, office: Callable[[bytes], bytes | None]) -> RenderedPage | None:
        """The page with its office files' bytes (``office``: a document key → its bytes, or None)."""
        if not self.office:
            return self.rendered
        found = {path: office(key) for path, key in self.office}
        if None in found.values():
            return None
        return replace(self.rendered, files={**self.rendered.files, **found})


_PAGE_FIELDS = ("route", "lang", "template", "title", "crumbs", "translated", "column", "subcolumn")
_PAGE_FIELDS += ("published", "source", "sample")
"""What a rendered page keeps of its :class:`~sitegen.site.pagetypes.Page` (what the build reads after rendering)."""


def _rendered(page: Page, files: Mapping[str, bytes]) -> _Kept | None:
    """What the cache keeps of ``page`` rendered in ``files``; None when an office file has no document key."""
    beside = page_files(page)
    office = [(path, office_files.document_key(download)) for path, download in beside.office]
    if any(key is None for _, key in office):
        return None
    fields = {name: getattr(page, name) for name in _PAGE_FIELDS}
    rendered = RenderedPage(**fields, html=files[page.output], files=dict(beside.data))
    return _Kept(rendered, tuple(office))  # type: ignore[arg-type]


def _size(kept: _Kept) -> int:
    return len(kept.rendered.html) + sum(map(len, kept.rendered.files.values()))
