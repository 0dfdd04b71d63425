"""Rendering a cold build's pages over several processes, byte-identical to one process.

Rendering a page is pure given the content, the assets, the templates and the base URL, so worker
processes each build their own :class:`~sitegen.site.render.Renderer` once (the pool's initializer)
and render contiguous chunks of pages; the parent takes the chunks back in page order. A chunk
stops at its first template error and returns that error as data, so the parent raises the error of
the first failing page in page order: what a one-process build raises.

Workers start with ``fork`` where the system has it and this process runs no other thread (they
inherit the planned pages: nothing is pickled). Only builds of at least :data:`THRESHOLD` pages on
more than one CPU that can fork use workers, unless ``jobs`` (``sitegen build -j N``) or
``SITEGEN_JOBS`` says how many (``1``: one process). Asked for where it cannot fork (Windows), workers
start with ``spawn``, the content and pages pickled to each: byte-identical too, but on a few cores
slower than one process for the sites we measured, so never chosen by itself.
"""

from __future__ import annotations

import gc
import itertools
import math
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from ..content.model import Content
from ..errors import ContentError, ContentErrors
from .pages import Page
from .render import Asset, Renderer, environment

THRESHOLD = 200
"""Fewer pages than this render in one process: starting workers would cost more than it saves."""
CHUNKS_PER_JOB = 6
"""Chunks per worker: small enough to balance uneven pages, large enough to keep messages few."""
MAX_CHUNK = 100
"""Items in a chunk at most: a chunk's results wait in memory until the parent takes them."""
AHEAD = 2
"""Chunks per worker submitted ahead of the one the parent takes: the workers never wait for work, and never
run far ahead of a parent that writes what it takes (a city site's pages piled up: 300 MB)."""
JOBS_VARIABLE = "SITEGEN_JOBS"
T = TypeVar("T")
R = TypeVar("R")

Chunk = tuple[list[bytes], list[ContentError] | None]
"""What a worker returns for a chunk: the HTML of its pages up to the first failing one, and that page's errors."""


def cpu_count() -> int:
    """The CPUs this process may use (its affinity mask where the system tells it)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counter is not None:
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def requested_jobs(jobs: int | None, environ: Mapping[str, str] = os.environ) -> int | None:
    """``jobs`` if given, else ``SITEGEN_JOBS`` if it is a positive whole number, else None (decide by size)."""
    if jobs is not None:
        return max(1, jobs)
    text = environ.get(JOBS_VARIABLE, "").strip()
    return max(1, int(text)) if text.isascii() and text.isdigit() else None


def jobs_for(pages: int, jobs: int | None = None, environ: Mapping[str, str] = os.environ) -> int:
    """How many processes render ``pages`` pages: as asked, else every CPU for a large build, else one."""
    asked = requested_jobs(jobs, environ)
    if asked is None:
        asked = cpu_count() if pages >= THRESHOLD and start_method() == "fork" else 1
    return max(1, min(asked, pages))


def start_method() -> str:
    """``fork`` where the system has it and no other thread runs (forking those can deadlock), else ``spawn``."""
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    return "fork" if can_fork and threading.active_count() == 1 else "spawn"


def chunks(count: int, jobs: int) -> list[range]:
    """``range(count)`` cut into contiguous chunks, a few per job."""
    size = max(1, min(math.ceil(count / (jobs * CHUNKS_PER_JOB)), MAX_CHUNK))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


class _Worker:
    """What one worker process keeps between chunks: its renderer and the pages."""

    renderer: Renderer
    pages: Sequence[Page]


_worker = _Worker()
"""Set by :func:`_start` in each worker process; never used in the parent."""


def _start(content: Content, assets: dict[str, Asset], templates: Path, base_url: str, pages: Sequence[Page]) -> None:
    """The pool's initializer: build this worker's renderer once. Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.renderer = Renderer(content, environment(templates), assets, base_url, templates)
    _worker.pages = pages


def _render_chunk(indices: range) -> Chunk:
    """Render pages ``indices`` in order, stopping at the first that raises ContentErrors."""
    htmls: list[bytes] = []
    for index in indices:
        try:
            htmls.append(_worker.renderer.page(_worker.pages[index]))
        except ContentErrors as exc:
            return htmls, list(exc.errors)
    return htmls, None


def mapped(function: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> Iterator[R]:
    """``function`` of each item, in order: in this process when ``jobs`` is 1 (or there is one item), else over
    ``jobs`` worker processes (forked where :func:`start_method` allows, each item and result pickled), in chunks
    of at most :data:`MAX_CHUNK` items, :data:`AHEAD` a worker ahead of the results taken.

    The workers start here, not when the results are first read: a progress bar wrapped around the results
    starts a thread (tqdm's monitor), and with a second thread running the pool could no longer fork."""
    if jobs <= 1 or len(items) < 2:
        return map(function, items)
    method = start_method()
    context = multiprocessing.get_context(method)
    jobs = min(jobs, len(items))
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_ignore_interrupts)
    work = (pool.submit(_apply, function, [items[i] for i in part]) for part in chunks(len(items), jobs))
    try:
        parts = _ahead(work, jobs, method == "fork")
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    return _draining(pool, (result for part in parts for result in part))


def _apply(function: Callable[[T], R], items: list[T]) -> list[R]:
    return [function(item) for item in items]


def _ahead(work: Iterator[Future[R]], jobs: int, forking: bool) -> Iterator[R]:
    """The result of each chunk of ``work`` in order: :data:`AHEAD` a worker submitted now (the first submit
    forks the workers), the next one as each is taken."""
    with _frozen(forking):
        submitted = deque(itertools.islice(work, jobs * AHEAD))
    return _taken(submitted, work)


def _taken(submitted: deque[Future[R]], work: Iterator[Future[R]]) -> Iterator[R]:
    """The result of each chunk in order, the next chunk submitted as each is taken."""
    while submitted:
        result = submitted.popleft().result()
        submitted.extend(itertools.islice(work, 1))
        yield result


def _draining(pool: ProcessPoolExecutor, results: Iterator[R]) -> Iterator[R]:
    try:
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """A worker's start: Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Callable[..., Any], tuple[dict[Any, Any]]]:
    """Pickle a read-only mapping as the mapping it shows (``mappingproxy`` itself cannot be pickled)."""
    return _proxy, (dict(proxy),)


def _pool(renderer: Renderer, pages: Sequence[Page], jobs: int, method: str) -> ProcessPoolExecutor:
    if method != "fork":  # spawn pickles the initializer's arguments; Content holds a read-only mapping
        ForkingPickler.register(MappingProxyType, _reduce_proxy)
    args = (renderer.content, renderer.assets, renderer.templates, renderer.base_url, pages)
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=args)


@contextmanager
def rendered(
    pages: Sequence[Page],
    renderer: Renderer,
    render_page: Callable[[Page], bytes],
    jobs: int = 1,
    method: str | None = None,
) -> Iterator[Iterator[bytes]]:
    """The HTML of each page, in page order: from ``render_page`` in this process when ``jobs`` is 1, else
    from ``jobs`` worker processes rendering with ``renderer``'s inputs (started on entering, stopped on exit).
    Raises ContentErrors for the first page that has them, as one process would."""
    if jobs <= 1 or len(pages) < 2:
        yield (render_page(page) for page in pages)
        return
    method = method or start_method()
    pool = _pool(renderer, pages, jobs, method)
    try:
        work = (pool.submit(_render_chunk, indices) for indices in chunks(len(pages), jobs))
        yield _in_order(_ahead(work, jobs, method == "fork"))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _frozen(forking: bool) -> Iterator[None]:
    """While workers fork: the parent's objects out of the collector's reach, so a worker's collections do not
    write to (and copy) every page of the inherited heap; collected as before once the workers run."""
    if forking:
        gc.freeze()
    try:
        yield
    finally:
        if forking:
            gc.unfreeze()


def _in_order(chunk_results: Iterator[Chunk]) -> Iterator[bytes]:
    for htmls, errors in chunk_results:
        yield from htmls
        if errors is not None:
            raise ContentErrors(errors) from None
