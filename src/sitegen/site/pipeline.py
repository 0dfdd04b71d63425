"""The build, as a readable recipe: load → figures → pages (with charts) → render → write."""

from __future__ import annotations

import functools
import gc
import os
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal, ParamSpec, Protocol, TypeVar

import jinja2

from ..content import drafts
from ..content.fileloader import FileCache
from ..content.loader import load_content
from ..content.model import Content
from ..content.model import base_url as check_base_url
from ..content.safefs import read_bytes
from ..content.translations import Coverage, coverage
from ..errors import ContentError, ContentErrors
from . import buildcache, keptfiles, parallel, uptodate, vendor
from .assemble import PageFiles, page_files, simple_files, site_files
from .buildcache import BuildCache
from .figures import compute as compute_figures
from .pagecache import PageCache
from .pages import Page, PlanMemo, plan_now, plan_pages
from .pagetypes import RenderedPage
from .render import MAX_ASSET_BYTES, Asset, Renderer, environment, hashed_asset, search_path
from .search import index_site
from .spool import Spool
from .writer import WriteStats, write_site

ASSET_FILES = ("site.css", "site.js", "charts.js", "search.js", "favicon.svg")
P = ParamSpec("P")
R = TypeVar("R")
NOT_FOUND = Page(route="404.html", lang="zh", template="404.html", title="页面不存在 / Page not found", crumbs=())


@dataclass(frozen=True)
class BuildResult:
    """What a build did."""

    pages: int
    files: MutableMapping[str, bytes]
    stats: WriteStats | None = None
    warnings: tuple[ContentError, ...] = field(default_factory=tuple)
    translation: Coverage | None = None
    timings: tuple[tuple[str, float], ...] = ()
    """Seconds per stage (load, assets, render, search, write), for ``build -v``."""
    base_url: str = ""
    """The site's address the pages were built for (``--base-url`` or ``site.yaml``)."""
    left_out: tuple[str, ...] = ()
    """Ids of the unpublished news items left out: drafts and items dated later (:mod:`sitegen.content.drafts`)."""

    def summary(self) -> str:
        text = f"built {self.pages} pages ({len(self.files)} files)"
        if self.stats:
            text += f": {self.stats.written} written, {self.stats.unchanged} unchanged, {self.stats.removed} removed"
        return text + f"; {len(self.warnings)} warning(s)"


Stage = Literal["load", "plan", "render"]


class Reuse(Protocol):
    """What a repeated build may keep from the builds before (``serve``: :class:`sitegen.preview.incremental.Caches`).

    Whatever it keeps, each hook gives what a clean build computes. ``finish(stage)`` is called when that
    stage is over, done or failed: its cache may then forget what the stage did not use.
    """

    @property
    def files(self) -> FileCache | None:
        """The loader's cache: what each content file gave while its bytes are the same."""
        ...

    @property
    def plans(self) -> PlanMemo:
        """Pages planned before, reused while their inputs are equal."""
        ...

    def environment(self, templates: Path) -> jinja2.Environment:
        """The Jinja environment for ``templates`` (one kept while the templates' bytes are the same)."""
        ...

    def pages(self, renderer: Renderer) -> Callable[[Page], bytes]:
        """``renderer.page``, or what it gave for an equal page with equal shared inputs."""
        ...

    def simple(self, renderer: Renderer) -> Callable[..., bytes]:
        """``renderer.simple`` (feeds, sitemap, robots.txt), or what it gave for the same template and an equal
        context with equal shared inputs."""
        ...

    def page_files(self, page: Page) -> PageFiles:
        """:func:`page_files`, or what it gave for the same page."""
        ...

    def search(self, pages: list[Page], files: Mapping[str, bytes]) -> Mapping[str, bytes]:
        """The search index of the rendered pages (:func:`sitegen.site.search.index_site`), or one kept for the
        same pages; ``serve`` keeps the previous one until the saves pause (:class:`sitegen.site.search.SearchMemo`)."""
        ...

    def finish(self, stage: Stage) -> None: ...

    @property
    def defer_office(self) -> bool:
        """Whether office files are written only when read (``serve``: :mod:`sitegen.site.deferred`)."""
        ...


@dataclass(frozen=True)
class Fresh:
    """Reuses nothing: a clean build (``build``, ``check``, ``diff``)."""

    files: FileCache | None = None
    plans: PlanMemo = plan_now
    defer_office: bool = False

    def environment(self, templates: Path) -> jinja2.Environment:
        return environment(templates)

    def pages(self, renderer: Renderer) -> Callable[[Page], bytes]:
        return renderer.page

    def simple(self, renderer: Renderer) -> Callable[..., bytes]:
        return renderer.simple

    def page_files(self, page: Page) -> PageFiles:
        return page_files(page)

    def search(self, pages: list[Page], files: Mapping[str, bytes]) -> Mapping[str, bytes]:
        cache = buildcache.current()  # sitegen build: kept by the indexed pages' HTML
        return index_site(pages, files, cache.search_index if cache else None)

    def finish(self, stage: Stage) -> None:
        pass


@contextmanager
def finishing(reuse: Reuse, stage: Stage) -> Iterator[None]:
    """Run a stage, then tell ``reuse`` it is over (also when it failed)."""
    try:
        yield
    finally:
        reuse.finish(stage)


class Stopwatch:
    """Seconds between laps, for ``-v``."""

    def __init__(self) -> None:
        self._start = self._last = time.perf_counter()
        self._laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self._laps.append((name, now - self._last))
        self._last = now

    def laps(self) -> tuple[tuple[str, float], ...]:
        return (*self._laps, ("total", self._last - self._start))


def collect_assets(templates: Path, cache: Path | None = None) -> dict[str, Asset]:
    """The site's CSS/JS (each from ``templates`` if it has it, else the theme) and the vendored ECharts, with
    content-hashed names. Raises :class:`ContentErrors` for an asset that is too large or a link out of its folder."""
    assets: dict[str, Asset] = {}
    errors: list[ContentError] = []
    folders = search_path(templates)
    for name in ASSET_FILES:
        folder = next((f for f in folders if os.path.lexists(f / "assets" / name)), folders[-1])
        try:
            data = read_bytes(folder / "assets" / name, folder, MAX_ASSET_BYTES)
            assets[name] = hashed_asset(name, data.replace(b"\r\n", b"\n"))  # the same bytes from a CRLF checkout
        except ContentErrors as exc:
            errors += exc.errors
    if errors:
        raise ContentErrors(errors)
    echarts = vendor.ensure_echarts(cache or vendor.DEFAULT_CACHE)
    assets["echarts.js"] = hashed_asset("echarts.min.js", echarts.script.read_bytes(), "assets/vendor")
    for name, path in (("echarts-LICENSE", echarts.license), ("echarts-NOTICE", echarts.notice)):
        assets[name] = Asset(name, f"assets/vendor/{name}.txt", path.read_bytes())
    return assets


def render_site(
    content: Content,
    templates: Path,
    base_url: str,
    assets: dict[str, Asset],
    *,
    progress: bool = False,
    reuse: Reuse | None = None,
    jobs: int | None = None,
    badges: Mapping[str, drafts.Badge] | None = None,
    cache: BuildCache | None = None,
    into: MutableMapping[str, bytes] | None = None,
) -> tuple[list[Page], MutableMapping[str, bytes]]:
    """Every output file of the site, in memory (or ``into``: a :class:`Spool`). Raises ContentErrors for
    content/template problems.

    A clean build renders over ``jobs`` processes (default: :func:`sitegen.site.parallel.jobs_for`); one
    with ``reuse`` caches renders in this process, whose caches they are. ``badges`` mark the unpublished
    news items that ``content`` still holds (:func:`sitegen.content.drafts.select`). ``cache`` keeps Markdown and
    chart options between builds (:mod:`sitegen.site.buildcache`)."""
    reuse = reuse or Fresh()
    renderer = Renderer(content, reuse.environment(templates), assets, base_url, templates)
    kept = PageCache.for_build(cache, renderer) if isinstance(reuse, Fresh) else None
    with finishing(reuse, "plan"), buildcache.session(cache):
        pages = plan_site(content, kept.plans if kept else reuse.plans, badges)
    settle()
    to_render = sum(not isinstance(page, RenderedPage) for page in pages)
    workers = parallel.jobs_for(to_render, jobs) if isinstance(reuse, Fresh) else 1
    with finishing(reuse, "render"), buildcache.session(cache):  # office files are kept by the cache too
        render_page, later = reuse.pages(renderer), reuse.defer_office
        files = site_files(
            content,
            pages,
            renderer,
            render_page,
            progress=progress,
            jobs=workers,
            defer_office=later,
            extras=reuse.page_files,
            into=into,
        )
        files.update(simple_files(content, pages, reuse.simple(renderer)))
        files["404.html"] = render_page(NOT_FOUND)
        if kept is not None:
            kept.keep(files)
    return pages, files


@contextmanager
def spooling(active: bool) -> Iterator[Spool | None]:
    """A :class:`Spool` for the files of a build that writes them (deleted if the build fails), else None."""
    if not active:
        yield None
        return
    spool = Spool()
    try:
        yield spool
    except BaseException:
        spool.close()
        raise


def plan_site(
    content: Content, memo: PlanMemo = plan_now, badges: Mapping[str, drafts.Badge] | None = None
) -> list[Page]:
    """Figures and every page with its charts; raises ContentErrors for placeholder problems."""
    errors: list[ContentError] = []
    pages = plan_pages(content, compute_figures(content), errors, memo, badges or {})
    if errors:
        raise ContentErrors(errors)
    return pages


def settle() -> None:
    """What the build made so far lives until it ends: the cyclic collector stops scanning it (:func:`gc.freeze`).
    A full collection of a 300-unit site's heap took 1.7 s, and forked workers then leave the pages' memory shared.
    :func:`build` gives it back to the collector when it ends."""
    gc.freeze()


def _settling(function: Callable[P, R]) -> Callable[P, R]:
    """``function``, the collector given back what :func:`settle` kept from it when it returns or raises."""

    @functools.wraps(function)
    def settling(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            gc.unfreeze()

    return settling


@_settling
def build(
    content_dir: Path,
    output_dir: Path,
    *,
    templates: Path,
    base_url: str | None = None,
    write: bool = True,
    progress: bool = False,
    reuse: Reuse | None = None,
    jobs: int | None = None,
    today: date | None = None,
    unpublished: drafts.Unpublished = drafts.PUBLISHED_ONLY,
    cache: BuildCache | None = None,
    translations: bool = True,
) -> BuildResult:
    """Build the site from ``content_dir`` into ``output_dir`` (only in memory unless ``write``).

    Raises :class:`~sitegen.errors.ContentErrors` when the content or a template has problems;
    the previous output is then left untouched. ``progress`` shows a progress line on a terminal
    when rendering takes more than two seconds. ``reuse`` keeps work from earlier builds (``serve``).
    ``jobs`` processes render the pages (default: ``SITEGEN_JOBS``, else every CPU for a large site).
    ``today`` (``--today``, default: the computer's date) gives the periods' status where it is not written,
    and which news items are scheduled: those dated later and drafts are left out unless ``unpublished`` shows them.
    ``cache`` (``build``, ``check`` and ``serve`` pass one unless ``--no-cache``) keeps parsed files, Markdown and
    chart options between builds, by content hash (:mod:`sitegen.site.buildcache`), and lets a build whose
    inputs and output are unchanged return at once (:mod:`sitegen.site.uptodate`). ``translations``: count the
    English translations (:attr:`BuildResult.translation`; ``serve`` does not report them).
    """
    reuse = reuse or Fresh()
    clock = Stopwatch()
    day = today or date.today()
    if cache is not None:
        cache.new_build()
    arguments = {"base_url": base_url, "today": day, "unpublished": unpublished, "translations": translations}
    inputs = _inputs(cache, content_dir, templates, write, **arguments)
    if inputs is not None and (done := _unchanged(cache, inputs, output_dir, clock)) is not None:
        return done
    # 1. Load and validate every content file (all problems at once, with file:line).
    with finishing(reuse, "load"), buildcache.session(cache):
        loaded = load_content(content_dir, reuse.files, day, parsed=cache)
    # Drafts and items dated after the build are left out before any page, list or feed is planned.
    content, badges = drafts.select(loaded, day, unpublished)
    left_out = tuple(sorted({item.id for item in loaded.news} - {item.id for item in content.news}))
    content = content.for_pages()  # the positions of the values in the unit files go: their checks are done
    del loaded
    settle()
    if base_url:
        site = content.site.model_copy(update={"base_url": check_base_url(base_url)})
        content = replace(content, site=site)
    clock.lap("load")
    # 2. Assets: our CSS/JS and the pinned, verified ECharts, with content-hashed names.
    assets = collect_assets(templates)
    clock.lap("assets")
    # 3. Pages (figures and charts computed per page), feeds and sitemap: on disk until written, if written.
    with spooling(write and isinstance(reuse, Fresh)) as spool:
        pages, files = render_site(
            content,
            templates,
            content.site.base_url,
            assets,
            progress=progress,
            reuse=reuse,
            jobs=jobs,
            badges=badges,
            cache=cache,
            into=spool,
        )
        clock.lap("render")
        # 4. The site search index (Pagefind, one index per language) of the rendered pages, with the other files.
        with buildcache.session(cache):
            files.update(reuse.search(pages, files))
        clock.lap("search")
        # 5. Write atomically, leaving unchanged files untouched.
        earlier = keptfiles.earlier(cache, output_dir) if cache is not None else None
        stats = write_site(files, output_dir, earlier=earlier) if write else None
        if spool is not None:
            spool.written(output_dir)
    clock.lap("write")
    result = BuildResult(
        pages=len(pages) + 1,
        files=files,
        stats=stats,
        warnings=content.warnings,
        translation=coverage(content) if translations else None,
        timings=clock.laps(),
        base_url=content.site.base_url,
        left_out=left_out,
    )
    if inputs is not None:
        with buildcache.session(cache):
            uptodate.remember(cache, inputs, result, output_dir)
    return result


def _inputs(cache: BuildCache | None, content: Path, templates: Path, write: bool, **arguments: object) -> bytes | None:
    """The key of everything a build that writes reads (:func:`sitegen.site.uptodate.inputs_key`); None without
    a cache."""
    if cache is None or not write:
        return None
    echarts = vendor.DEFAULT_CACHE / f"echarts-{vendor.ECHARTS_VERSION}"  # as it is: the build obtains it if need be
    return uptodate.inputs_key(cache, [content, *search_path(templates), echarts], arguments)


def _unchanged(cache: BuildCache, inputs: bytes, output: Path, clock: Stopwatch) -> BuildResult | None:
    """The result of the build with these inputs if ``output`` is still exactly what it wrote, or once the files it
    wrote, kept in the cache, are written there again (:mod:`sitegen.site.uptodate`)."""
    with buildcache.session(cache):
        kept = uptodate.kept(cache, inputs)
        done = kept and uptodate.unchanged(cache, kept, output)
        clock.lap("inputs")  # hashed, and the output compared
        if kept and done is None and (done := uptodate.restored(cache, kept, output)) is not None:
            clock.lap("write")
    return None if done is None else replace(done, timings=clock.laps())
