"""A site's files in memory, with the office files made only when first read (``serve``).

An editor previewing a change looks at pages; the Word and Excel files beside them are opened now and then.
Writing them at every rebuild cost most of ``serve``'s time on a large site (a 300-unit site: 10,000 files,
140 s at start and again for every document a change touched), so ``serve`` builds with
:class:`DeferredFiles`: the office files are held as their :class:`~sitegen.office.downloads.Download`
descriptions, written (and kept) when the preview serves one, and compared by description between builds.
The bytes are those a clean build writes: the same writer, the same documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping

from ..office import downloads as office_files
from ..office.downloads import Download


class DeferredFiles(MutableMapping[str, bytes]):
    """Output files by path; those given to :meth:`defer` are written on first read."""

    def __init__(self, files: Mapping[str, bytes] | None = None) -> None:
        self._data: dict[str, bytes] = dict(files or {})
        self._later: dict[str, Download] = {}

    def defer(self, name: str, download: Download) -> None:
        """``name`` holds the file of ``download``, written when first read."""
        self._data.pop(name, None)
        self._later[name] = download

    def add(self, data: Mapping[str, bytes], later: Iterable[tuple[str, Download]]) -> None:
        """Set each file of ``data`` and :meth:`defer` each of ``later`` (a page's: :func:`dict.update`'s speed)."""
        self._data.update(data)
        if self._later and not self._later.keys().isdisjoint(data):
            for name in data.keys() & self._later.keys():
                del self._later[name]
        for name, download in later:  # :meth:`defer`, without a call per file
            self._data.pop(name, None)
            self._later[name] = download

    def token(self, name: str) -> object:
        """What tells whether ``name`` changed between two builds without writing it: its bytes, or its
        description while it is not written (equal descriptions give equal files)."""
        later = self._later.get(name)
        return later if later is not None else self._data.get(name)

    def tokens(self) -> dict[str, object]:
        """:meth:`token` of every file, by name."""
        return {**self._data, **self._later}

    def copy(self) -> DeferredFiles:
        other = DeferredFiles(self._data)
        other._later = dict(self._later)
        return other

    def __getitem__(self, name: str) -> bytes:
        data = self._data.get(name)
        if data is not None:
            return data
        data = self._data[name] = office_files.render(self._later[name])  # KeyError for a name the site lacks
        return data

    def __setitem__(self, name: str, data: bytes) -> None:
        self._later.pop(name, None)
        self._data[name] = data

    def __delitem__(self, name: str) -> None:
        found = self._data.pop(name, None) is not None
        if self._later.pop(name, None) is None and not found:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:  # without writing the file (Mapping's would read it)
        return name in self._data or name in self._later

    def __iter__(self) -> Iterator[str]:
        yield from self._data
        yield from (name for name in self._later if name not in self._data)

    def __len__(self) -> int:
        return len(self._data) + sum(name not in self._data for name in self._later)


def token(files: Mapping[str, bytes], name: str) -> object:
    """:meth:`DeferredFiles.token` for any mapping of files (a plain one: the bytes)."""
    return files.token(name) if isinstance(files, DeferredFiles) else files.get(name)


def copy(files: Mapping[str, bytes]) -> MutableMapping[str, bytes]:
    """A copy of ``files`` that defers what they defer."""
    return files.copy() if isinstance(files, DeferredFiles) else dict(files)


def changed(old: Mapping[str, object], new: Mapping[str, object]) -> tuple[str, ...]:
    """The files added or changed between two builds, by the :func:`tokens` of their files, sorted; none written
    to tell."""
    return tuple(sorted(name for name, now in new.items() if (was := old.get(name)) is not now and was != now))


def tokens(files: Mapping[str, bytes]) -> Mapping[str, object]:
    """:meth:`DeferredFiles.token` of every file of ``files``, by name."""
    return files.tokens() if isinstance(files, DeferredFiles) else files
