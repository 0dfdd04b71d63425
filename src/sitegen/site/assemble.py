"""A planned site's output files, in memory: each page's HTML and the files it brings (chart CSVs, open data,
office files), the assets, the sitemap and feeds (the render step of :mod:`sitegen.site.pipeline`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass

from .. import console
from ..content.model import Content
from ..office import downloads as office_files
from . import columns, opendata, parallel
from .deferred import DeferredFiles
from .pagetypes import Page, RenderedPage
from .render import Renderer


@dataclass(frozen=True)
class PageFiles:
    """The files a page brings besides its HTML."""

    data: dict[str, bytes]
    """Its charts' CSVs and its open-data files (from the site root), by path."""
    office: tuple[tuple[str, office_files.Download], ...]
    """Its office files (written beside it), by path."""


def page_files(page: Page) -> PageFiles:
    """:class:`PageFiles` of ``page``."""
    if isinstance(page, RenderedPage):
        return PageFiles(page.files, ())
    data = {page.route + chart.id + ".csv": chart.csv.encode("utf-8-sig") for chart in page.charts}
    office = []
    for download in page.downloads:
        if isinstance(download, opendata.File):
            data[download.path] = download.data
        else:
            office.append((download.path(page.route), download))
    return PageFiles(data, tuple(office))


def site_files(
    content: Content,
    pages: list[Page],
    renderer: Renderer,
    render_page: Callable[[Page], bytes],
    *,
    progress: bool = False,
    jobs: int = 1,
    defer_office: bool = False,
    extras: Callable[[Page], PageFiles] = page_files,
    into: MutableMapping[str, bytes] | None = None,
) -> MutableMapping[str, bytes]:
    """The output files: pages (HTML from ``render_page``, or from ``jobs`` processes rendering as ``renderer``),
    chart CSVs, office files and assets (:func:`simple_files` are the sitemap and feeds). With ``defer_office``
    (``serve``), the office files are written when first read
    (:class:`sitegen.site.deferred.DeferredFiles`). A :class:`RenderedPage` (from the build cache) brings its HTML
    and files. ``extras`` gives each page's other files (:func:`page_files`,
    or what it gave for the same page). ``into``: where the files go (a :class:`~sitegen.site.spool.Spool`),
    else a dict."""
    files: MutableMapping[str, bytes] = DeferredFiles() if defer_office else into if into is not None else {}
    if not defer_office:  # first, each as it is written: none waits in memory for its page's turn
        files.update(_office_files(pages, progress, jobs))
    to_render = [page for page in pages if not isinstance(page, RenderedPage)]
    with parallel.rendered(to_render, renderer, render_page, jobs) as rendered:
        htmls = _in_order(pages, rendered)
        for page, html in zip(pages, console.progress(htmls, len(pages), "sitegen", progress), strict=True):
            if page.output in files:
                raise ValueError(f"two pages write {page.output}")  # a bug in page planning, not content
            files[page.output] = html
            beside = extras(page)
            if isinstance(files, DeferredFiles):
                files.add(beside.data, beside.office)
            else:
                files.update(beside.data)  # and the office files, written above
    files.update({asset.path: asset.data for asset in renderer.assets.values()})
    return files


def _in_order(pages: list[Page], rendered: Iterator[bytes]) -> Iterator[bytes]:
    """The HTML of each page: a :class:`RenderedPage`'s own, the next of ``rendered`` for the others."""
    for page in pages:
        yield page.html if isinstance(page, RenderedPage) else next(rendered)


def simple_files(content: Content, pages: list[Page], render: Callable[..., bytes]) -> dict[str, bytes]:
    """Sitemap, robots.txt, the root's redirect and the feeds, each rendered by ``render`` (``renderer.simple``)."""
    files: dict[str, bytes] = {}
    html_pages = [p for p in pages if p.template != "sitemap.html"] + [p for p in pages if p.template == "sitemap.html"]
    files["sitemap.xml"] = render("sitemap.xml", pages=[p.listed for p in html_pages])
    files["robots.txt"] = render("robots.txt")
    files["index.html"] = render("redirect.html", target="zh/")
    for lang in content.site.languages:
        files[f"{lang}/feed.xml"] = render("feed.xml", lang=lang, items=content.news[:50], column=None)
        for column in content.site.columns:  # each column's own feed
            items = columns.items_of(content, column)[:50]
            files[f"{lang}/{column.id}/feed.xml"] = render("feed.xml", lang=lang, items=items, column=column)
    return files


def _office_files(pages: list[Page], progress: bool, jobs: int) -> Iterator[tuple[str, bytes]]:
    """The pages' office files (:mod:`sitegen.office.downloads`) by path, in page order, written over ``jobs``
    processes: on the benchmark's M site they were most of a cold build."""
    wanted = [(d.path(p.route), d) for p in pages for d in p.downloads if not isinstance(d, opendata.File)]

    def bar(items: Iterable[bytes], total: int) -> Iterable[bytes]:
        return console.progress(items, total, "Word/Excel", progress, unit="个")

    data = office_files.rendered([d for _, d in wanted], jobs, bar, remember=False)  # only serve keeps them
    return zip((name for name, _ in wanted), data, strict=True)
