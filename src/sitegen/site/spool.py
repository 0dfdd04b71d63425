"""The files of a build that writes, kept on disk until they are written: a city site's pages and office files
(400 MB) would otherwise wait in memory, all of them, from the first page rendered to the last file written.

A :class:`Spool` is the mapping of output paths to bytes that the render, search and write stages pass on; a
value is written to a temporary folder when it is set, and read back when it is asked for (by the search index,
the writer, the no-op check). After the write, :meth:`Spool.written` points it at the output folder, which
holds the same bytes, and deletes the temporary folder; :meth:`Spool.close` deletes it when the build fails.
The folder is in the system's temporary folder (``TMPDIR``, ``TEMP``): where that is in memory (a ``tmpfs``
``/tmp``), set ``TMPDIR`` to a folder on disk to have the memory back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path, PurePosixPath

SMALL = 4096
"""Values up to this size stay in memory: a file of its own would cost more than it saves."""


class Spool(MutableMapping[str, bytes]):
    """Output paths to bytes, the larger values on disk (see the module)."""

    def __init__(self) -> None:
        self._folder: Path | None = Path(tempfile.mkdtemp(prefix="sitegen-spool-"))
        self._values: dict[str, bytes | Path] = {}
        self._count = 0

    def __setitem__(self, name: str, data: bytes) -> None:
        if len(data) <= SMALL or self._folder is None:
            self._values[name] = data
            return
        self._count += 1
        path = self._folder / str(self._count)
        path.write_bytes(data)
        self._values[name] = path

    def __getitem__(self, name: str) -> bytes:
        value = self._values[name]
        return value.read_bytes() if isinstance(value, Path) else value

    def __delitem__(self, name: str) -> None:
        del self._values[name]

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
                self._values[name] = output.joinpath(*PurePosixPath(name).parts)
        self.close()

    def close(self) -> None:
        """Delete the temporary folder (the values still there are gone)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __del__(self) -> None:
        if getattr(self, "_folder", None) is not None and os.path.isdir(self._folder):
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
