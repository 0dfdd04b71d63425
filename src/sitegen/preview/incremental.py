"""Rebuilding the site after a change, at a cost in proportion to the change (``serve``).

:class:`SiteBuilder` runs :func:`sitegen.site.pipeline.build` (load, figures, plan, render) in memory,
with three caches passed in as its ``reuse`` (:class:`Caches`). Each keeps a result together with
everything that result is computed from, and reuses it only when all of that is equal, so a rebuild
gives byte for byte the files of a clean build (``tests/test_incremental.py`` checks this against
builds in a fresh process):

1. :class:`~sitegen.preview.loadcache.LoadCache`: what reading one content file gave (its model, its
   problems, its parsed YAML), kept while the file's bytes are the same; and a unit folder's, while the
   watcher saw nothing in it change.
2. :class:`PlanMemo`: a unit's pages (figures, charts, narratives) kept while the unit, the
   periods and the category names are equal; a group's while its units' figures are; an article while
   its news item is equal.
3. :class:`PageRenders`: a page's HTML kept while its :class:`~sitegen.site.pages.Page` is equal and so
   is everything a template reads besides its page (:func:`shared_inputs`): site settings,
   periods, category names, the units' names, asset names and the templates' bytes.

The caches only ever save work: whatever they hold, a value is reused only for equal inputs.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from ..content.drafts import PREVIEW, Unpublished
from ..content.identitymemo import keeping
from ..errors import ContentError
from ..office.downloads import Download
from ..site import deferred, pipeline
from ..site.assemble import PageFiles, page_files
from ..site.buildcache import BuildCache
from ..site.opendata import File
from ..site.pagecache import shared_inputs, templates_digest
from ..site.pages import Page, Plan
from ..site.pipeline import Stage
from ..site.render import Renderer, environment, search_path
from ..site.search import SearchMemo, replace_index
from .loadcache import Generations, LoadCache

# --------------------------------------------------------------------------- 2. page plans


@dataclass(frozen=True)
class _Planned:
    inputs: object
    pages: list[Page]
    errors: tuple[ContentError, ...]


class PlanMemo:
    """Pages planned for a slot (:class:`sitegen.site.pages.PlanMemo`), reused while their inputs are equal."""

    def __init__(self) -> None:
        self._slots: Generations[Hashable, _Planned] = Generations()
        self.planned = 0
        """Pages planned again by the last plan (the others were reused)."""

    def __call__(self, slot: Hashable, inputs: object, plan: Plan, errors: list[ContentError]) -> list[Page]:
        kept = self._slots.get(slot)
        if kept is None or kept.inputs != inputs:
            found: list[ContentError] = []
            pages = list(plan(found))
            self.planned += len(pages)
            kept = _Planned(inputs, pages, tuple(found))
        self._slots.put(slot, kept)
        errors.extend(kept.errors)
        return kept.pages

    def finish(self) -> None:
        self._slots.finish()


# --------------------------------------------------------------------------- 3. rendered pages


class PageRenders:
    """The HTML of each page, reused while the page and :func:`shared_inputs` are equal; likewise the feeds and
    sitemap, while their template's context is equal."""

    def __init__(self) -> None:
        self._html: Generations[str, tuple[Page, bytes]] = Generations()
        self._simple: Generations[tuple[str, str], tuple[dict[str, Any], bytes]] = Generations()
        self._shared: object = None
        self.rendered = 0
        """Pages rendered again by the last build (the others were reused)."""

    def using(self, shared: object, render: Callable[[Page], bytes]) -> Callable[[Page], bytes]:
        """A page renderer for one build that reuses the HTML of equal pages."""
        if shared != self._shared:
            self._html.clear()
            self._simple.clear()
            self._shared = shared

        def page(p: Page) -> bytes:
            output = p.output
            kept = self._html.get(output)
            if kept is None or (kept[0] is not p and kept[0] != p and _shown(kept[0]) != _shown(p)):
                self.rendered += 1
                kept = (p, render(p))
            self._html.put(output, kept)
            return kept[1]

        return page

    def simple_using(self, render: Callable[..., bytes]) -> Callable[..., bytes]:
        """A renderer of feeds and sitemaps for one build (after :meth:`using`) that reuses equal renders."""

        def simple(template: str, **context: Any) -> bytes:
            key = (
                template,
                repr(sorted((k, getattr(v, "id", v)) for k, v in context.items() if not isinstance(v, list))),
            )
            kept = self._simple.get(key)
            if kept is None or kept[0] != context:
                kept = (context, render(template, **context))
            self._simple.put(key, kept)
            return kept[1]

        return simple

    def finish(self) -> None:
        self._html.finish()
        self._simple.finish()


def _shown(page: Page) -> Page:
    """``page`` as its template shows it: a page links its downloads by name, it never shows their contents (the
    open-data page brings every dataset and the statistics workbook: one edit changed it, and rendering it took a
    tenth of a rebuild of a 300-unit site)."""
    if not page.downloads:
        return page
    return replace(page, downloads=tuple(_named(d) for d in page.downloads))


def _named(download: File | Download) -> File | Download:
    return File(download.path, b"") if isinstance(download, File) else replace(download, document=())


# --------------------------------------------------------------------------- the builder


@dataclass(frozen=True)
class Rebuild:
    """A successful build: the whole site in memory and what changed since the previous one."""

    files: Mapping[str, bytes]
    base_url: str
    changed: tuple[str, ...]
    """Output files added or whose bytes changed since the previous successful build."""
    removed: tuple[str, ...]
    pages: int
    rendered: int
    """Pages whose HTML was rendered (not reused)."""
    parsed: int
    """Content files parsed again (not reused)."""
    seconds: float
    warnings: tuple[ContentError, ...] = field(default_factory=tuple)
    timings: tuple[tuple[str, float], ...] = ()
    """Seconds per stage, as :attr:`sitegen.site.pipeline.BuildResult.timings`."""

    @property
    def changed_pages(self) -> int:
        return sum(name.endswith(".html") for name in (*self.changed, *self.removed))


class Caches:
    """The three caches, the search index and the Jinja environment, as one :class:`sitegen.site.pipeline.Reuse`."""

    def __init__(self, content_dir: Path, *, defer_search: bool = False, defer_office: bool = False) -> None:
        self.defer_office = defer_office
        """Office files are written when first read (:mod:`sitegen.site.deferred`)."""
        self.files = LoadCache(content_dir)
        self.plans = PlanMemo()
        self.renders = PageRenders()
        self._beside: Generations[str, tuple[Page, PageFiles]] = Generations()
        """Each page's other files (:func:`sitegen.site.assemble.page_files`), while the plan hands the same page."""
        self.search_index = SearchMemo(defer=defer_search)
        """The search index, kept while the pages it indexes are the same (with ``defer_search``, until caught up)."""
        self._env: tuple[bytes, jinja2.Environment] | None = None

    def start(self) -> None:
        """A build begins: count from zero what it parses, plans and renders again."""
        self.files.parsed = self.plans.planned = self.renders.rendered = 0

    def environment(self, templates: Path) -> jinja2.Environment:
        """The Jinja environment, new when any template's bytes changed (compiled templates are kept)."""
        digest = b"".join(templates_digest(folder) for folder in search_path(templates))
        if self._env is None or self._env[0] != digest:
            self._env = (digest, environment(templates))
        return self._env[1]

    def pages(self, renderer: Renderer) -> Callable[[Page], bytes]:
        """``renderer.page``, reusing the HTML of equal pages while :func:`shared_inputs` are equal."""
        assert self._env is not None and self._env[1] is renderer.env, "environment() gave the renderer's"
        return self.renders.using(shared_inputs(renderer.content, renderer.assets, self._env[0]), renderer.page)

    def simple(self, renderer: Renderer) -> Callable[..., bytes]:
        """``renderer.simple``, reusing what it gave for the same template and an equal context."""
        return self.renders.simple_using(renderer.simple)

    def page_files(self, page: Page) -> PageFiles:
        """:func:`sitegen.site.assemble.page_files`, kept for the same page (encoding 40,000 chart CSVs took a
        tenth of a rebuild of a 300-unit site)."""
        kept = self._beside.get(page.output)
        if kept is None or kept[0] is not page:
            kept = (page, page_files(page))
        self._beside.put(page.output, kept)
        return kept[1]

    def search(self, pages: list[Page], files: Mapping[str, bytes]) -> Mapping[str, bytes]:
        """The search index of ``pages``, made again only when their HTML changed (or kept, if deferred)."""
        return self.search_index(pages, files)

    def finish(self, stage: Stage) -> None:
        """The stage is over: its cache forgets what it did not use."""
        {"load": self.files, "plan": self.plans, "render": self.renders}[stage].finish()
        if stage == "render":
            self._beside.finish()


class SiteBuilder:
    """Builds the site again and again, reusing what did not change. Not thread-safe: one builder per thread.

    :meth:`build` raises :class:`~sitegen.errors.ContentErrors` for content and template problems
    (the caches are kept, so the fix rebuilds quickly) and ``OSError`` when a file vanished mid-build.
    """

    def __init__(
        self,
        content_dir: Path,
        templates: Path,
        today: date | None = None,
        unpublished: Unpublished = PREVIEW,
        *,
        defer_search: bool = False,
        defer_office: bool = False,
        cache: BuildCache | None = None,
    ) -> None:
        self.content_dir = Path(content_dir)
        self.cache = cache
        """The build cache (``.sitegen-cache/build``): the first build and changed files read from it."""
        self.today = today
        self.unpublished = unpublished
        """Drafts and scheduled news items are shown, marked, unless ``serve --no-drafts`` / ``--no-future``."""
        self.templates = Path(templates)
        self.caches = Caches(self.content_dir, defer_search=defer_search, defer_office=defer_office)
        """With ``defer_search`` (``serve``), a build keeps the search index it had; :meth:`index` catches up.
        With ``defer_office`` (``serve``), the office files are written when first read."""
        self._files: Mapping[str, bytes] = {}
        self._tokens: tuple[Mapping[str, bytes], Mapping[str, object]] = (self._files, {})
        """The last build's files and their :func:`sitegen.site.deferred.tokens` (what the next one compares with)."""

    def build(self, changed: Collection[Path] | None = None) -> Rebuild:
        """Build the whole site in memory with :func:`sitegen.site.pipeline.build`, reusing what did not change.

        ``changed``: every file and folder changed since the previous build, when a watcher knows
        (:class:`sitegen.preview.watcher.Watcher`, whose polls see every change); unit folders outside it are then
        reused as they are. ``None``: any file may have changed."""
        self.caches.start()
        self.caches.files.tell(changed)
        nowhere = Path(os.devnull)  # built in memory only
        try:
            with keeping():  # the identity memos serve the builds after
                result = pipeline.build(
                    self.content_dir,
                    nowhere,
                    templates=self.templates,
                    write=False,
                    reuse=self.caches,
                    today=self.today,
                    unpublished=self.unpublished,
                    cache=self.cache,
                    translations=False,
                )
        finally:
            gc.freeze()  # the caches live on: a full collection of a 300-unit site's took 1.7 s of every other rebuild
        before = self._tokens[1] if self._tokens[0] is self._files else deferred.tokens(self._files)
        after = deferred.tokens(result.files)
        self._files, self._tokens = result.files, (result.files, after)
        return Rebuild(
            files=result.files,
            base_url=result.base_url,
            changed=deferred.changed(before, after),
            removed=tuple(sorted(before.keys() - after.keys())),
            pages=result.pages,
            rendered=self.caches.renders.rendered,
            parsed=self.caches.files.parsed,
            seconds=dict(result.timings)["total"],
            warnings=result.warnings,
            timings=result.timings,
        )

    def collect(self) -> None:
        """Collect the garbage cycles the builds left (at idle: the builds keep what they made out of the
        collector, :func:`gc.freeze`), then keep the caches out of it again."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @property
    def search_pending(self) -> bool:
        """Whether the last build kept a search index of earlier pages (``defer_search``)."""
        return self.caches.search_index.pending

    def index(self) -> Mapping[str, bytes] | None:
        """The last build's files with the search index of its own pages, if it was deferred; else ``None``.

        Raises :class:`~sitegen.site.search.SearchError` when Pagefind fails (tried again after the next change)."""
        with keeping():  # the pages' digests, as the builds keep them
            index = self.caches.search_index.catch_up()
        if index is None:
            return None
        self._files = replace_index(self._files, index)
        return self._files
