"""What each content file and unit folder gave the loader, kept between ``serve``'s builds (:class:`LoadCache`).

A file is reused while its bytes are the same: the stat (mtime, ctime, size, inode) spares re-reading, but a
file modified within :data:`RACY_NS` of being read is compared by content (git's "racy clean" rule), so an edit
that keeps size and timestamp is still seen. A unit folder is reused whole while ``serve``'s watcher saw nothing
in it change (:meth:`LoadCache.tell`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from ..content.loader import FileResult
from ..content.safefs import read_bytes
from ..content.yamlsource import MAX_FILE_BYTES
from ..errors import ContentErrors

RACY_NS = 2_000_000_000
"""A file whose mtime is this close to when it was read is checked by content (FAT has 2 s mtimes)."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Generations(Generic[K, V]):
    """A dict that forgets what a complete pass did not use: read with :meth:`get`, write with
    :meth:`put`, and call :meth:`finish` after a pass that visited everything it needs."""

    def __init__(self) -> None:
        self._old: dict[K, V] = {}
        self._new: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        found = self._new.get(key)
        return found if found is not None else self._old.get(key)

    def put(self, key: K, value: V) -> None:
        self._new[key] = value

    def finish(self) -> None:
        self._old, self._new = self._new, {}

    def clear(self) -> None:
        self._old, self._new = {}, {}


# --------------------------------------------------------------------------- 1. content files


@dataclass(frozen=True)
class _Read:
    stat: tuple[int, ...]
    """mtime, ctime (ns), size, inode when the file was read (ctime changes on any write on POSIX)."""
    digest: bytes
    read_ns: int
    """Wall-clock time just before the bytes were read."""
    result: FileResult

    def trusted(self, stat: tuple[int, ...]) -> bool:
        """Same stat, and the file was already old when read: a later write would change the mtime."""
        return stat == self.stat and stat[0] < self.read_ns - RACY_NS


@dataclass(frozen=True)
class _Folder:
    result: FileResult
    files: tuple[tuple[Path, Hashable], ...]
    """The files read for it (their entries are kept with it)."""


class LoadCache:
    """What each content file gave the loader (:class:`sitegen.content.loader.FileCache`), while unchanged; and
    what each unit folder gave, while serve's watcher saw nothing in it change (:meth:`tell`).

    Files are compared by content only as :func:`sitegen.content.safefs.read_bytes` allows, inside ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._reads: Generations[tuple[Path, Hashable], _Read] = Generations()
        self._folders: Generations[tuple[Path, Hashable], _Folder] = Generations()
        self._changed: set[str] | None = None
        """What changed since the last load ended, as far as the watcher saw; None: anything may have."""
        self._reading: list[list[tuple[Path, Hashable]]] = []
        self.parsed = 0
        """Files parsed and validated again by the last load (the others were reused)."""

    def tell(self, changed: Iterable[Path] | None) -> None:
        """Before a load: the files and folders changed since the previous one (``serve``'s watcher), or None when
        that is not known. A folder in which nothing changed is then reused without listing it or looking at its
        files (on a 300-unit site, 9,300 files took a third of a rebuild's loading)."""
        if changed is None or self._changed is None:
            self._changed = None
        else:
            self._changed |= {str(p) for p in changed}

    def get(self, path: Path, kind: Hashable, read: Callable[[], FileResult]) -> FileResult:
        """``read()``, or what it gave for ``(path, kind)`` while the file's bytes were the same."""
        key = (path, kind)
        if self._reading:
            self._reading[-1].append(key)
        kept = self._reads.get(key)
        try:
            st = os.stat(path)
            stat = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            if kept is not None and kept.trusted(stat):
                self._reads.put(key, kept)
                return kept.result
            now = time.time_ns()
            digest = hashlib.blake2b(read_bytes(path, self.root, MAX_FILE_BYTES), digest_size=20).digest()
        except (OSError, ContentErrors):
            return read()  # gone, unreadable or refused: the reader reports it, nothing is kept
        if kept is None or kept.digest != digest:
            self.parsed += 1
            kept = _Read(stat, digest, now, read())
        self._reads.put(key, _Read(stat, digest, now, kept.result))
        return kept.result

    def folder(self, path: Path, kind: Hashable, read: Callable[[], FileResult]) -> FileResult:
        """``read()``, or what it gave for ``(path, kind)`` if the watcher saw nothing in the folder change since.
        A folder holding a link is always read (what the link shows changes where the watcher sees it elsewhere)."""
        key = (path, kind)
        kept = self._folders.get(key)
        if kept is not None and self._quiet(path):
            self._folders.put(key, kept)
            for file in kept.files:  # still known when the folder changes
                if (entry := self._reads.get(file)) is not None:
                    self._reads.put(file, entry)
            return kept.result
        self._reading.append([])
        try:
            result = read()
        finally:
            files = tuple(self._reading.pop())
        if self._reading:
            self._reading[-1].extend(files)
        if not _linked(path, [p for p, _ in files]):
            self._folders.put(key, _Folder(result, files))
        return result

    def _quiet(self, folder: Path) -> bool:
        if self._changed is None:
            return False
        name = str(folder)
        inside = os.path.join(name, "")
        return not any(p == name or p.startswith(inside) for p in self._changed)

    def finish(self) -> None:
        """A load completed (or failed: what it did not get to is forgotten): forget files it did not read
        (deleted or renamed); from now on, only what the watcher tells has changed."""
        self._reads.finish()
        self._folders.finish()
        self._changed = set()


def _linked(folder: Path, files: list[Path]) -> bool:
    """Whether ``folder``, or a file or folder on the way to one of ``files``, is a symbolic link."""
    seen = {folder}
    for path in files:
        while path not in seen and folder in path.parents:
            seen.add(path)
            path = path.parent
    return any(os.path.islink(p) for p in seen)
