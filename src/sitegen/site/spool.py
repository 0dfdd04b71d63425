"""The files of a build that writes, kept on disk until they are written: a city site's pages and office files
(400 MB) would otherwise wait in memory, all of them, from the first page rendered to the last file written.

A :class:`Spool` is the mapping of output paths to bytes that the render, search and write stages pass on;
once its larger values are more than :data:`MEMORY`, they are written to a temporary folder, and read back
when they are asked for (by the search index, the writer, the no-op check); the writer links them into the
new output. After the write, :meth:`Spool.written` points it at the output folder, which holds the same
bytes, and deletes the temporary folder; :meth:`Spool.close` deletes it when the build fails. The folder is
in the system's temporary folder (``TMPDIR``, ``TEMP``): where that is in memory (a ``tmpfs`` ``/tmp``), set
``TMPDIR`` to a folder on disk to have the memory back.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path

SMALL = 4096
"""Values up to this size stay in memory: a file of its own would cost more than it saves."""
MEMORY = 64 * 2**20
"""The larger values stay in memory up to this much in all; past it they are written to disk. A site of
hundreds of pages never needs the disk (the M benchmark site's files are 38 MB), a city site's does."""


class Spool(MutableMapping[str, bytes]):
    """Output paths to bytes, the larger values on disk once they are many (see the module)."""

    def __init__(self) -> None:
        self._values: dict[str, bytes | Path] = {}
        self._held = 0
        """The bytes of the larger values in memory."""
        self._folder: Path | None = None
        self._count = 0
        self._closed = False

    @classmethod
    def on_disk(cls, paths: Mapping[str, Path]) -> Spool:
        """The files already in these paths (never written to, never deleted): kept files to link into an output."""
        spool = cls()
        spool._values.update(paths)
        spool._closed = True
        return spool

    def __setitem__(self, name: str, data: bytes) -> None:
        self._forget(name)
        self._values[name] = data
        if len(data) > SMALL:
            self._held += len(data)
            if self._held > MEMORY and not self._closed:
                self._spill()

    def _spill(self) -> None:
        """Write every larger value in memory to the folder. Where the disk refuses (full, not writable), they
        stay in memory, and so do the values after them: the build goes on, and its writer says what is wrong
        with the disk in words."""
        try:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="sitegen-spool-"))
            for name, value in self._values.items():
                if isinstance(value, bytes) and len(value) > SMALL:
                    self._count += 1
                    path = self._folder / str(self._count)
                    path.write_bytes(value)
                    self._values[name] = path
        except OSError:
            self._closed = True
        self._held = 0

    def _forget(self, name: str) -> None:
        value = self._values.pop(name, None)
        if isinstance(value, bytes) and len(value) > SMALL:
            self._held -= len(value)

    def __getitem__(self, name: str) -> bytes:
        value = self._values[name]
        return value.read_bytes() if isinstance(value, Path) else value

    def __delitem__(self, name: str) -> None:
        if name not in self._values:
            raise KeyError(name)
        self._forget(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def path(self, name: str) -> Path | None:
        """The file that holds the value of ``name``, if it is on disk (never to be written to)."""
        value = self._values[name]
        return value if isinstance(value, Path) else None

    def written(self, output: Path) -> None:
        """The files are now in ``output`` (its writer wrote exactly these): read them there from now on."""
        for name, value in self._values.items():
            if isinstance(value, Path):
                self._values[name] = output / name
        self.close()

    def close(self) -> None:
        """Delete the temporary folder (the values still there are gone); values set from now on stay in memory."""
        self._closed = True
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __del__(self) -> None:
        if getattr(self, "_folder", None) is not None:
            self.close()


class Subset(Mapping[str, bytes]):
    """Some of ``files``, by name in the order given, each read from them when asked for: the search index
    reads a spooled build's pages one at a time."""

    def __init__(self, files: Mapping[str, bytes], names: Iterable[str]) -> None:
        self._files = files
        self._names = dict.fromkeys(names)

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return self._files[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
