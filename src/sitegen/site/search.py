"""Site search (站内搜索): a Pagefind index of the built pages, made at build time, served by the site itself.

:func:`index_site` hands the rendered pages that are worth finding (articles, unit, year, report and
overview pages: :data:`INDEXED`) to Pagefind's extended build (``pagefind[extended]`` from PyPI, which
segments Chinese) through its Python API and returns the bundle as files under ``pagefind/``, to be
written with the rest of the site. Pagefind makes one index per language from ``<html lang>``:
``zh-CN`` pages go to a ``zh-cn`` index (segmented), English pages to an ``en`` index (stemmed), and the
search page of each language searches its own. Only ``data-pagefind-body`` (the ``<main>`` of those
pages, ``templates/base.html``) is indexed, without the breadcrumb and notices (:data:`EXCLUDED`);
``data-pagefind-meta`` gives each result its column and date.

How the pages reach Pagefind: they are written to a temporary folder and indexed with one
``add_directory`` call. The API's in-memory ``add_html_file`` takes one round trip per page, and its
client reads each answer after a fixed 0.1 s pause (pagefind 1.5.2, ``PagefindService._wait_for_responses``):
6.3 s for the 62 pages of the example, against 0.45 s for the whole folder.

The index is deterministic: Pagefind names its files by content hashes and sorts the pages itself (the same
bytes whatever order they are written in). The one exception, the order of the languages in
``pagefind-entry.json`` (a Rust hash map's order, different in every run), is made canonical here by
sorting them. Pagefind's ready-made interfaces (``pagefind-ui.js`` and the others, :data:`UNUSED`) are not
kept: the search page has its own small script (``assets/search.js``). Pagefind compiles WebAssembly, in its
web worker (which obeys the policy sent with its own script, none from a static server) or, without a worker,
on the page: so the search pages, and only they, add ``'wasm-unsafe-eval'`` to their Content-Security-Policy
(``templates/search.html``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from functools import partial
from pathlib import Path

from ..content.identitymemo import IdentityMemo
from ..errors import SitegenError
from . import deferred
from .buildcache import completed
from .i18n import LOCALES
from .pages import Page
from .spool import Subset

BUNDLE = "pagefind/"
"""Where the index is written, below the site root (``pagefind/pagefind.js`` …)."""
ENTRY = BUNDLE + "pagefind-entry.json"

INDEXED: dict[str, str] = {
    "article.html": "news",
    "report.html": "reports",
    "year.html": "search_column_year",
    "unit.html": "units",
    "overview.html": "overview",
}
"""Templates whose pages search finds, and the interface string (:mod:`sitegen.site.i18n`) naming their column."""

EXCLUDED = (".breadcrumb", ".notice", ".meta", ".csv")
"""Parts of ``<main>`` that are not indexed: the breadcrumb, the notices every page repeats, an article's date and
source line (results show the date by themselves), download links."""

UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
"""Pagefind's own interfaces and highlighter, which the site does not load."""

TIMEOUT_S = 120.0
"""Longest wait for one answer of the Pagefind process (per thousand pages), so that a crashed one is reported."""


class SearchError(SitegenError):
    """Pagefind is missing or failed: the site cannot get its search index."""


def column(page: Page) -> str | None:
    """The column shown with this page in search results (普法动态 / Law-Popularization News), or ``None`` if it
    is not indexed."""
    key = INDEXED.get(page.template)
    return LOCALES[page.lang].t(key) if key else None


def indexed(pages: Iterable[Page]) -> list[str]:
    """The output paths of the pages to index, sorted."""
    return sorted(page.output for page in pages if column(page))


def sources(pages: Iterable[Page], files: Mapping[str, bytes]) -> Pages:
    """The HTML of the pages to index, by output path, sorted; read from ``files`` when asked for."""
    return Subset(files, indexed(pages))


Pages = Mapping[str, bytes]
"""HTML files to index, by output path."""
Indexer = Callable[[Sequence[Pages]], list[dict[str, bytes]]]
"""Makes the index of each of some groups of pages (:func:`index_languages`)."""
Keep = Callable[[Sequence[Pages], Indexer], list[dict[str, bytes]]]
"""Gives each group's index, kept or made with the indexer (:meth:`sitegen.site.buildcache.BuildCache.search_index`)."""


def index_site(pages: Iterable[Page], files: Mapping[str, bytes], keep: Keep | None = None) -> dict[str, bytes]:
    """The search index of the rendered ``pages`` (their HTML in ``files``), as files under :data:`BUNDLE`.

    Raises :class:`SearchError` when Pagefind cannot be run or fails."""
    return index_sources(sources(pages, files), keep)


def index_sources(html: Pages, keep: Keep | None = None) -> dict[str, bytes]:
    """The search index of these HTML files (output path → bytes); empty when there are none.

    Each language's index is made by a Pagefind of its own, at the same time (Pagefind's indexes of two
    languages share nothing but its scripts; their entry files are merged): on two cores an edit's reindex
    of the M benchmark site took half the time. ``keep`` may give a language's index kept for the same pages."""
    if not html:
        return {}
    parts = languages(html)
    return merged(keep(parts, index_languages) if keep else index_languages(parts))


def languages(html: Pages) -> list[Pages]:
    """``html`` by language (the first folder of its path: ``zh/``, ``en/``), in order of the languages."""
    found: dict[str, list[str]] = {}
    for name in html:
        found.setdefault(name.partition("/")[0], []).append(name)
    return [Subset(html, found[lang]) for lang in sorted(found)]


def index_languages(parts: Sequence[Pages]) -> list[dict[str, bytes]]:
    """Each group's index (:func:`bundle`), over a Pagefind process a group at once."""
    if len(parts) <= 1:
        return [_index(part) for part in parts]
    with concurrent.futures.ThreadPoolExecutor(len(parts), thread_name_prefix="sitegen-index") as pool:
        return list(pool.map(_index, parts))


def _index(html: Pages) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as tmp:
        for name, data in html.items():
            path = Path(tmp, *name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        found = _run(tmp, TIMEOUT_S * (1 + len(html) // 1000))
    return bundle(found)


def merged(indexes: Iterable[Mapping[str, bytes]]) -> dict[str, bytes]:
    """One bundle of the indexes of several languages: their files, and one entry file listing every language.
    Raises :class:`SearchError` if their scripts differ (never expected: one Pagefind made them)."""
    files: dict[str, bytes] = {}
    entries = []
    for index in indexes:
        for name, data in index.items():
            if name == ENTRY:
                entries.append(json.loads(data))
            elif files.setdefault(name, data) != data:
                raise SearchError(f"站内搜索索引的文件 {name} 不一致。", f"The search index's file {name} differs.")
    if entries:
        entry = {**entries[0], "languages": {k: v for e in entries for k, v in e.get("languages", {}).items()}}
        files[ENTRY] = canonical_entry(json.dumps(entry).encode("utf-8"))
    return dict(sorted(files.items()))


def bundle(found: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Pagefind's files as the site's: under :data:`BUNDLE`, without :data:`UNUSED`, the entry file canonical."""
    files = {}
    for name, data in sorted(found):
        if name.startswith(UNUSED):
            continue
        files[BUNDLE + name] = canonical_entry(data) if name == "pagefind-entry.json" else data
    return files


def canonical_entry(data: bytes) -> bytes:
    """``pagefind-entry.json`` with its languages in sorted order (Pagefind writes them in a random one)."""
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def replace_index(files: Mapping[str, bytes], index: Mapping[str, bytes]) -> MutableMapping[str, bytes]:
    """``files`` with the search index ``index`` in place of the one they hold (deferred files stay deferred)."""
    kept = deferred.copy(files)
    for name in [name for name in kept if name.startswith(BUNDLE)]:
        del kept[name]
    kept.update(index)
    return kept


def _run(folder: str, timeout: float) -> list[tuple[str, bytes]]:
    """Pagefind's files for the pages in ``folder``: one index per language, made by its Python API."""
    try:
        from pagefind.index import IndexConfig
        from pagefind.service import PagefindService, get_executable
    except ImportError:
        PagefindService, get_executable = None, lambda: None
    if PagefindService is None or get_executable() is None:
        raise SearchError(
            '没有安装 Pagefind（pip install "pagefind[extended]" 可以安装），没有它就无法生成站内搜索索引。',
            'Pagefind is not installed (pip install "pagefind[extended]" installs it); '
            "the site search index cannot be made without it.",
        )

    async def index() -> list[tuple[str, bytes]]:
        async with PagefindService() as service:
            config = IndexConfig(exclude_selectors=list(EXCLUDED))
            pagefind = await asyncio.wait_for(service.create_index(config), timeout)
            await asyncio.wait_for(pagefind.add_directory(folder), timeout)
            # Written to disk, not returned by get_files(): a large site's index in one answer overruns the
            # client's 2 MiB line limit (asyncio LimitOverrunError, measured on the 711-page benchmark site).
            out = os.path.join(folder, ".pagefind-out")
            await asyncio.wait_for(pagefind.write_files(output_path=out), timeout)
            await _written(out, timeout)
        return [
            (os.path.relpath(os.path.join(root, name), out).replace(os.sep, "/"), _read(os.path.join(root, name)))
            for root, _dirs, names in os.walk(out)
            for name in names
        ]

    try:  # in a thread of its own: the caller may be running an event loop (Playwright, Jupyter …)
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="sitegen-search") as pool:
            return pool.submit(lambda: asyncio.run(index())).result()
    except Exception as exc:  # Pagefind reports its own failures as a plain Exception
        raise SearchError(
            f"生成站内搜索索引失败（Pagefind：{exc or type(exc).__name__}）。",
            f"The site search index could not be made (Pagefind: {exc or type(exc).__name__}).",
        ) from None


async def _written(out: str, timeout: float) -> None:
    """Wait until Pagefind's files are on disk: it may answer WriteFiles before its writers have finished
    (seen as an empty pagefind-entry.json). Done when the entry file reads as JSON and no file changed size
    for 0.1 s."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: list[tuple[str, int]] = []
    while True:
        sizes = sorted(
            (os.path.join(r, n), os.path.getsize(os.path.join(r, n))) for r, _, ns in os.walk(out) for n in ns
        )
        entry = os.path.join(out, "pagefind-entry.json")
        try:
            ready = os.path.exists(entry) and bool(json.loads(_read(entry))) and sizes == last
        except ValueError:
            ready = False
        if ready:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("Pagefind did not finish writing its files")
        last = sizes
        await asyncio.sleep(0.1)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class SearchMemo:
    """The index of the pages last indexed, kept while their HTML is the same (``serve``'s rebuilds).

    With ``defer``, pages that changed keep the index they had until :meth:`catch_up` (``serve`` calls it
    once the saves pause): a rebuild then costs milliseconds, not Pagefind's half second. The first index is
    made at once, so that the first site shown is whole."""

    def __init__(self, *, defer: bool = False) -> None:
        self.defer = defer
        self._key: bytes | None = None
        self._index: dict[str, bytes] = {}
        self._pending: tuple[bytes, dict[str, bytes]] | None = None
        self._shape: list[tuple[str, str]] = []
        self._indexed: list[str] = []
        self._languages: dict[bytes, dict[str, bytes]] = {}

    def __call__(self, pages: Iterable[Page], files: Mapping[str, bytes]) -> dict[str, bytes]:
        pages = list(pages)
        shape = [(p.output, p.template) for p in pages]
        if shape != self._shape:  # which pages are indexed, in order: the same while the pages are
            self._shape, self._indexed = shape, indexed(pages)
        html = {name: files[name] for name in self._indexed}
        key = _digest(html)
        self._pending = None
        if key != self._key:
            if self.defer and self._key is not None:
                self._pending = (key, html)
            else:
                self._index, self._key = index_sources(html, self._by_language), key
        return self._index

    def _by_language(self, parts: Sequence[Pages], index: Indexer) -> list[dict[str, bytes]]:
        """Each language's index, made again only for a language whose pages changed (a Chinese narrative
        edited: the Chinese index)."""
        keys = [_digest(part) for part in parts]
        made = completed([self._languages.get(key) for key in keys], parts, index)
        self._languages = dict(zip(keys, made, strict=True))
        return made

    @property
    def pending(self) -> bool:
        """Whether the pages changed since the index was made (only with ``defer``)."""
        return self._pending is not None

    def catch_up(self) -> dict[str, bytes] | None:
        """The index of the pages of the last build, if it was deferred; else ``None``."""
        if self._pending is None:
            return None
        (key, html), self._pending = self._pending, None  # failed, it is tried again after the next change
        self._index, self._key = index_sources(html, self._by_language), key
        return self._index


def _digest(html: Mapping[str, bytes]) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for name, data in html.items():
        h.update(name.encode() + b"\0" + _DIGESTS.get(data, None, partial(_page_digest, data)))
    return h.digest()


def _page_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


_DIGESTS: IdentityMemo[bytes] = IdentityMemo(65536)
"""Each page's digest by its HTML object: ``serve`` reuses the HTML of unchanged pages (a 300-unit site's
indexed pages are 100 MB to hash at each rebuild)."""
