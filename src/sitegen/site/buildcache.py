"""Fast repeat builds: what a build computed, kept by content hash in the cache folder between commands.

The folder is ``.sitegen-cache/build/`` (``$SITEGEN_CACHE_DIR/build`` when that is set), git-ignored, and kept
between CI runs like the ECharts download beside it. Five kinds of entries (and what other stages keep), each
under the SHA-256 of :func:`version_key` and everything its value is computed from:

1. **yaml**: a YAML file parsed with the position of every value (:mod:`sitegen.content.yamlsource`, the
   slowest part of loading), and its warnings, by the decoded text and the path (as given and as shown in
   messages). A file whose parse found an error is never stored, so its errors are found again, in the same
   words at the same place, by every build; validation always runs (on the M site, pydantic validates the 303
   files in 0.18 s, less than unpickling the validated models takes: 0.32 s).
2. **markdown**: a narrative's HTML, by its text and the value each ``{{ placeholder }}`` in it resolves to
   (caching the text before resolution would save nothing: each text is converted once per page anyway, and
   a figure changed by Markdown, ``1,000+`` at a line's start, could not be put back safely). Stored only when
   the text had no problem.
3. **chart**: a chart's ECharts options, by a canonical encoding of its :class:`~sitegen.site.charts.ChartSpec`.
4. **search**: the Pagefind index of each language of ``sitegen build``, by the paths and bytes of its pages.
5. **built**: what a build wrote and reported, by all its inputs (:mod:`sitegen.site.uptodate`): a no-op rebuild,
   and, with the files themselves kept beside the database (:mod:`sitegen.site.keptfiles`), an output folder
   written again without a build.

Other stages keep their own with :meth:`BuildCache.memo` (:mod:`sitegen.office.downloads`: the Word and Excel files).

The version key holds sitegen's version, a hash of the package's own source files, :data:`SCHEMA`, Python's
version and the versions of the libraries the values come from, so a cache written by any other version (or
a changed checkout) never matches and is pruned. A value is reused only for equal inputs, and checked when it
is read (:mod:`sitegen.site.cachestore`): a warm build writes the bytes of a cold one.

A cache is active during one build (:func:`session`); the Markdown and chart stages find it with
:func:`current`, so that the page planning between the pipeline and them needs no parameter for it.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from importlib import metadata
from pathlib import Path, PurePath
from typing import TypeVar

from pydantic import BaseModel

from .. import __version__
from ..content.sourcetext import SourceText
from ..content.yamlsource import YamlDocument, parse_yaml_partial
from ..errors import ContentError, display_path
from . import theme
from .cachestore import Counts, Store
from .vendor import CACHE_ENV

SCHEMA = 1
"""Bump when an entry's meaning changes without a change to the package's source (never needed so far)."""
LIBRARIES = (
    *("Jinja2", "MarkupSafe", "PyYAML", "Markdown", "pyecharts", "pydantic", "pydantic_core", "nh3", "html5lib"),
    *("python-docx", "openpyxl", "XlsxWriter", "Pillow", "pagefind", "pagefind_bin_extended"),
)
"""Whose versions are part of the key: the values and pages come from them."""

T = TypeVar("T")
P = TypeVar("P")
Files = dict[str, bytes]


def cache_folder() -> Path:
    """``$SITEGEN_CACHE_DIR/build``, else ``.sitegen-cache/build`` in sitegen's checkout when run from it, else in
    the working directory (the site folder), beside the ECharts download (:func:`sitegen.site.vendor.default_cache`)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser() / "build"
    return (theme.checkout() or Path.cwd()) / ".sitegen-cache" / "build"


def package_key() -> bytes:
    """What every key starts with: versions of sitegen, its source files, Python and the libraries."""
    h = hashlib.sha256(f"sitegen {__version__} schema {SCHEMA}\0{sys.version}\0".encode())
    for name in LIBRARIES:
        try:
            h.update(f"{name} {metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -\0".encode())
    for path in sorted(theme.PACKAGE.rglob("*.py")):
        h.update(path.relative_to(theme.PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.digest()


def completed(found: Sequence[T | None], parts: Sequence[P], compute: Callable[[Sequence[P]], list[T]]) -> list[T]:
    """``found`` with each missing value (None) computed: ``compute`` is given all their ``parts`` at once."""
    missing = [i for i, value in enumerate(found) if value is None]
    made = dict(zip(missing, compute([parts[i] for i in missing]) if missing else [], strict=True))
    return [made[i] if value is None else value for i, value in enumerate(found)]


def _pages_digest(html: Mapping[str, bytes]) -> str:
    h = hashlib.sha256()
    for name, data in html.items():
        h.update(name.encode("utf-8", "surrogatepass") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


_LOADED = package_key()
"""The key of the sources as they were when sitegen was imported (the code that runs), not as they are now."""


def version_key() -> bytes:
    """:func:`package_key` of the running code."""
    return _LOADED


def canonical_key(kind: str, *parts: object) -> bytes | None:
    """The SHA-256 of ``parts`` in their canonical JSON (as cache keys are made), without a cache; None if a
    part has no canonical form."""
    try:
        text = json.dumps([kind, *parts], default=_encode, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _encode(value: object) -> object:
    """JSON for what :func:`json.dumps` does not know: each value tagged with its type, equal exactly when the
    values are. Raises TypeError for a value it does not know (then nothing is cached)."""
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if isinstance(value, BaseModel):
        return [name, value.__dict__]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # a field outside equality is a memo
        return [name, [getattr(value, f.name) for f in dataclasses.fields(value) if f.compare]]
    if isinstance(value, type):
        return ["type", f"{value.__module__}.{value.__qualname__}"]
    if isinstance(value, (set, frozenset)):
        return [name, sorted(json.dumps(v, default=_encode, ensure_ascii=False) for v in value)]
    if isinstance(value, (PurePath, date, datetime, time, Decimal, bytes, enum.Enum)):
        return [name, repr(value)]
    raise TypeError(f"no canonical form for {name}")


class BuildCache:
    """The persistent cache of one cache folder (``sitegen build`` opens :func:`cache_folder`'s)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else cache_folder()
        self.store = Store(self.folder)

    @property
    def counts(self) -> Counts:
        """Hits, misses and damaged entries since this cache was made."""
        return self.store.counts

    def new_build(self) -> None:
        """A build begins: entries it uses are kept as used by one more build (:data:`cachestore.KEEP_BUILDS`)."""
        self.store.new_build()

    def key(self, kind: str, *parts: object) -> bytes | None:
        """The key of an entry of ``kind`` computed from ``parts``; None if a part has no canonical form."""
        try:
            text = json.dumps([kind, *parts], default=_encode, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return None
        return hashlib.sha256(version_key() + text.encode("utf-8", "surrogatepass")).digest()

    def get(self, key: bytes | None, kind: type[T]) -> T | None:
        """The ``kind`` value kept under ``key``, or None."""
        return None if key is None else self.store.get(key, kind)

    def put(self, key: bytes | None, value: object) -> None:
        if key is not None:
            self.store.put(key, value)

    def memo(self, key: bytes | None, kind: type[T], compute: Callable[[], T]) -> T:
        """The value kept under ``key``, else ``compute()``, kept."""
        found = self.get(key, kind)
        if found is None:
            found = compute()
            self.put(key, found)
        return found

    def search_index(
        self, parts: Sequence[Mapping[str, bytes]], index: Callable[[Sequence[Mapping[str, bytes]]], list[Files]]
    ) -> list[Files]:
        """``index(parts)`` (the site search index of each language's pages), each kept by its pages' paths and
        bytes: only the languages whose pages changed are indexed again (at once, by ``index``)."""
        keys = [self.key("search", _pages_digest(part)) for part in parts]
        found = [self.get(key, dict) for key in keys]
        made = completed(found, parts, index)
        for key, before, now in zip(keys, found, made, strict=True):
            if before is None:
                self.put(key, now)
        return made

    def parse_yaml(self, source: SourceText) -> tuple[YamlDocument | None, list[ContentError]]:
        """:func:`~sitegen.content.yamlsource.parse_yaml_partial`, kept by the text and the path (in its messages)
        while it finds no error (:class:`~sitegen.content.fileloader.YamlCache`)."""
        key = self.key("yaml", str(source.path), display_path(source.path), source.line_offset, source.text)
        found = self.get(key, tuple)
        if found is not None and len(found) == 2 and isinstance(found[0], YamlDocument):
            return found[0], list(found[1])
        doc, problems = parse_yaml_partial(source)
        if doc is not None and not any(p.severity == "error" for p in problems):
            self.put(key, (doc, tuple(problems)))
        return doc, problems


_ACTIVE: ContextVar[BuildCache | None] = ContextVar("sitegen_build_cache", default=None)
"""The cache of the build running in this thread (set by :func:`session` only)."""


def current() -> BuildCache | None:
    """The cache of the build in progress, or None (no cache, or ``--no-cache``)."""
    return _ACTIVE.get()


@contextmanager
def session(cache: BuildCache | None) -> Iterator[BuildCache | None]:
    """Make ``cache`` the current one for a build; at the end, write what the build added and prune.

    Nothing happens for ``None``, nor inside a session of the same cache (that one writes at its end)."""
    if cache is None or current() is cache:
        yield cache
        return
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)
        cache.store.close()
