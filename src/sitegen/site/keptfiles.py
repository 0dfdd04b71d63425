"""The files a build wrote, kept in the build cache by content hash: an output folder made again in a moment.

After a good build, :func:`keep` links each file of the output folder into ``files/`` in the cache folder,
named by its SHA-256: a hard link, so nothing is copied and no space is used while the output exists. A build
whose inputs are those of a kept build but whose output folder is gone or different (a CI job that restored
its cache, a second output folder) links them back (:func:`sitegen.site.uptodate.restored`): on a virtual disk
creating a file took a millisecond, linking one a twentieth of that (the M site's 4,868 files: 4.2 s against
0.24 s).

Nothing here is trusted blindly: :func:`found` reads and hashes every file before it is used, and one that does
not match (an output file edited in place edits its kept twin) is deleted, and the build runs as usual.
:data:`LEDGER` lists the digests of the last :data:`KEEP_BUILDS` builds; a kept file in none of them is
deleted, and so are those of the older ones past :data:`MAX_BYTES`. Where the cache and the output are on
different file systems, links fail and nothing is kept.

:func:`earlier` gives the writer what it may take from earlier builds: these files, and the output folder the
last write replaced (:mod:`sitegen.site.spare`, in ``spare/``, the last :data:`KEEP_SPARES` output folders').
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from .buildcache import BuildCache
from .writer import Earlier

FOLDER = "files"
"""The kept files' folder, in the cache folder."""
LEDGER = "ledger"
"""The digests of the files of the last builds: per build, a 4-byte count and that many 32-byte digests."""
KEEP_BUILDS = 10
"""Files in none of this many last builds are deleted."""
MAX_BYTES = 256 * 2**20
"""The older builds' files go while they hold more (a CI cache saved after every run stays bounded): space on disk
only once the output no longer has them."""
DIGEST = 32
SPARES = "spare"
"""The spares' folder in the cache folder: for each output folder, the output its last write replaced."""
KEEP_SPARES = 3
"""Output folders whose replaced output is kept (a spare of an output that is gone holds a whole site)."""


def keep(cache: BuildCache, output: Path, digests: Mapping[str, bytes]) -> None:
    """Link the files of ``output`` (name → SHA-256, as written) into the cache, those not there yet; then
    record the build and delete the files no recent build has."""
    folder = cache.folder / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        there = set(os.listdir(folder))
    except OSError:
        return
    for name, digest in digests.items():
        blob = digest.hex()
        if blob in there:
            continue
        try:
            os.link(output / name, folder / blob)
        except FileExistsError:
            pass
        except OSError:
            return  # another file system, or no links there: keeping costs a copy, more than it saves
        there.add(blob)
    _prune(folder, used(cache, digests.values()), there)


def found(cache: BuildCache, digests: Mapping[str, bytes]) -> dict[str, Path] | None:
    """Each file's kept copy (name → path), every one read and checked against its digest; None if one is
    missing or does not match (that one is deleted)."""
    folder, paths, checked = cache.folder / FOLDER, {}, {}
    for name, digest in digests.items():
        path = checked.get(digest)
        if path is None:
            path = folder / digest.hex()
            try:
                good = hashlib.sha256(path.read_bytes()).digest() == digest
            except OSError:
                return None
            if not good:
                path.unlink(missing_ok=True)
                return None
            checked[digest] = path
        paths[name] = path
    used(cache, digests.values())
    return paths


def earlier(cache: BuildCache, output: Path) -> Earlier:
    """What a write of ``output`` may take from earlier builds: the kept files, by their bytes' SHA-256 (a new
    output folder of a site that changed a little is linked more than written), and the folder its last write
    replaced (:mod:`sitegen.site.spare`), in ``spare/`` in the cache folder."""
    folder = cache.folder / FOLDER
    try:
        there = set(os.listdir(folder))
    except OSError:
        there = set()

    def find(data: bytes) -> str | None:
        name = hashlib.sha256(data).hexdigest()
        return os.path.join(folder, name) if name in there else None

    where = hashlib.sha256(os.fsencode(os.path.abspath(output))).hexdigest()[:32]
    _prune_spares(cache.folder / SPARES, keep=where)
    return Earlier(find, cache.folder / SPARES / where)


def _prune_spares(folder: Path, keep: str) -> None:
    """Delete all but the :data:`KEEP_SPARES` spares last used (with ``keep``): a spare of an output that is
    gone would hold a whole site."""
    try:
        spares = sorted(os.scandir(folder), key=lambda e: e.stat(follow_symlinks=False).st_mtime, reverse=True)
    except OSError:
        return
    for entry in [e for e in spares if e.name != keep][KEEP_SPARES - 1 :]:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def used(cache: BuildCache, digests: Iterable[bytes]) -> list[set[bytes]]:
    """Record a build's files in the ledger (unless it is the last one recorded); the builds recorded."""
    path = cache.folder / FOLDER / LEDGER
    builds, now = _read(path), set(digests)
    if builds and builds[-1] == now:
        return builds
    builds = [*builds, now][-KEEP_BUILDS:]
    temporary = path.with_name(f"{LEDGER}.{os.getpid()}")
    try:
        temporary.write_bytes(b"".join(len(b).to_bytes(4, "big") + b"".join(sorted(b)) for b in builds))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
    return builds


def _read(path: Path) -> list[set[bytes]]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    builds, at = [], 0
    while at + 4 <= len(data):
        count = int.from_bytes(data[at : at + 4], "big")
        at += 4
        if at + count * DIGEST > len(data):
            return []  # damaged: start again (the files then go once no build names them)
        builds.append({data[i : i + DIGEST] for i in range(at, at + count * DIGEST, DIGEST)})
        at += count * DIGEST
    return builds


def _prune(folder: Path, builds: list[set[bytes]], there: set[str]) -> None:
    """Delete the kept files of no recent build: the builds newest first while their files hold at most
    :data:`MAX_BYTES` (the newest one always, however large)."""
    wanted, held = {LEDGER}, 0
    for build in reversed(builds):
        new = {digest.hex() for digest in build} - wanted
        size = sum(_size(folder / name) for name in new & there)
        if held and held + size > MAX_BYTES:
            break
        wanted |= new
        held += size
    for name in there - wanted:
        if not name.startswith(f"{LEDGER}."):
            (folder / name).unlink(missing_ok=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
