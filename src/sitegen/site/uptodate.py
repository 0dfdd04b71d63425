"""A build with nothing to do: every input as it was for the build that wrote ``output/``, which is unchanged.

``sitegen build`` keeps, in the build cache, what each good build wrote (the SHA-256 of every file) and what it
reported (warnings, translations, the unpublished items left out), under a key over *all* its inputs:

- :func:`~sitegen.site.buildcache.version_key` (sitegen's code and the libraries' versions);
- every entry under the content folder, the template folders (the site's and the theme) and the ECharts
  download, by name, kind and bytes (a link by its target, a file that cannot be read by its error);
- the build's arguments that change its output (:data:`ARGUMENTS`: base URL, date, unpublished items shown), the
  paths of the folders and the working directory (messages show paths relative to it).

When a build's key is that of a kept one and the output folder holds exactly the files it wrote, byte for byte
(every file read and hashed, none missing or extra) and no interrupted write left its folders beside it, the
build returns that result and touches nothing: this is
how a no-op rebuild takes a fraction of a second. When the output folder is missing or different but the files
that build wrote are still kept in the cache (:mod:`sitegen.site.keptfiles`, each checked against its digest),
they are linked into a new output, written as every build's is (:func:`~sitegen.site.writer.write_site`): a CI
job with a restored cache gets its site without building it. Anything else builds as usual, from the other
entries.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import keptfiles
from .buildcache import BuildCache
from .outputguard import MARKER, WriteFault
from .spool import Spool
from .writer import WriteStats, interrupted, write_site

ARGUMENTS = frozenset({"base_url", "today", "unpublished", "translations"})
"""The arguments of :func:`sitegen.site.pipeline.build` in the key; the others do not change what it writes or
reports (``translations``: whether the result counts them; ``tests/test_buildcache.py`` keeps the two lists
together)."""
NOT_OUTPUT = frozenset({"content_dir", "output_dir", "templates", "write", "progress", "reuse", "jobs", "cache"})
"""The other arguments: folders (in the key by their content and path), and how the build runs."""


@dataclass(frozen=True)
class Written:
    """What a good build wrote and reported (its result without the files' bytes)."""

    digests: dict[str, bytes]
    result: Any
    """The :class:`~sitegen.site.pipeline.BuildResult`, ``files`` emptied."""


def inputs_key(cache: BuildCache, folders: list[Path], arguments: dict[str, object]) -> bytes | None:
    """The key of a build reading ``folders`` (content, templates, theme, the ECharts download) with ``arguments``."""
    h = hashlib.sha256()
    for folder in folders:
        h.update(f"\0folder {os.path.abspath(folder)}\0".encode())
        _tree(Path(folder), h)
    return cache.key("built", os.getcwd(), sorted(arguments.items()), h.hexdigest())


def _tree(folder: Path, h: Any) -> None:
    """Every entry under ``folder``: name and kind; a file's bytes, a link's target (never followed)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        h.update(f"unlistable {exc.errno}\0".encode())
        return
    for entry in entries:
        h.update(entry.name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
            h.update(f"{stat.S_IFMT(mode)}\0".encode())
            if stat.S_ISLNK(mode):
                h.update(os.readlink(entry.path).encode("utf-8", "surrogateescape") + b"\0")
            elif stat.S_ISDIR(mode):
                _tree(Path(entry.path), h)
                h.update(b"\0end\0")
            elif stat.S_ISREG(mode):
                h.update(hashlib.sha256(Path(entry.path).read_bytes()).digest())
        except OSError as exc:  # gone or unreadable: the build itself reports it
            h.update(f"unreadable {exc.errno}\0".encode())


def kept(cache: BuildCache, key: bytes | None) -> Written | None:
    """What the build with inputs ``key`` wrote and reported, if the cache keeps it."""
    found = cache.get(key, Written)
    return found if found is not None and isinstance(found.digests, dict) else None


def unchanged(cache: BuildCache, kept: Written, output: Path) -> Any | None:
    """``kept``'s result if ``output`` holds exactly what that build wrote (files read back), else None."""
    if interrupted(output):
        return None  # an interrupted write left folders beside the output: the build cleans them up
    files = _read(output, set(kept.digests))
    if files is None or any(hashlib.sha256(data).digest() != kept.digests[name] for name, data in files.items()):
        return None
    keptfiles.used(cache, kept.digests.values())
    stats = WriteStats(written=0, unchanged=len(files), removed=0)
    return replace(kept.result, files=files, stats=stats)


def restored(cache: BuildCache, kept: Written, output: Path) -> Any | None:
    """``kept``'s result once its kept files are written to ``output``; None if one is missing or damaged, or
    the write failed (the build then runs, and reports a fault of the disk in its own words)."""
    paths = keptfiles.found(cache, kept.digests)
    if paths is None:
        return None
    files = Spool.on_disk(paths)
    try:
        stats = write_site(files, output, earlier=keptfiles.earlier(cache, output))
    except WriteFault:
        return None
    files.written(output)
    return replace(kept.result, files=files, stats=stats)


def remember(cache: BuildCache, key: bytes | None, result: Any, output: Path) -> None:
    """Keep what ``result`` wrote to ``output`` and reported, for the next build with the same inputs."""
    digests = {name: hashlib.sha256(data).digest() for name, data in result.files.items()}
    cache.put(key, Written(digests, replace(result, files={}, stats=None)))
    keptfiles.keep(cache, Path(output), digests)


def _read(output: Path, names: set[str]) -> dict[str, bytes] | None:
    """Every file under ``output`` (not the marker) when they are exactly ``names``, regular files all; else None."""
    found: dict[str, bytes] = {}
    if not (output / MARKER).is_file():
        return None
    for folder, dirs, files in os.walk(output):
        rel = Path(folder).relative_to(output).as_posix()
        for name in files:
            path = os.path.join(folder, name)
            key = name if rel == "." else f"{rel}/{name}"
            if key == MARKER:
                continue
            if key not in names or not stat.S_ISREG(os.lstat(path).st_mode):
                return None
            found[key] = Path(path).read_bytes()
        if any(os.path.islink(os.path.join(folder, d)) for d in dirs):
            return None
    return found if len(found) == len(names) else None
