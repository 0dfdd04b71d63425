"""The output a write replaced, kept as the next write's staging folder: only what changed is written again.

A write assembles the new output in a staging folder (:mod:`sitegen.site.writer`), and from scratch that means
creating every folder and linking every unchanged file: on a virtual disk, the M site's 900 folders and 4,868
links took about a second, the L site's 9,000 and 55,000 far longer. Once a write has swapped its staging
folder in, the folder it replaced holds the previous build, its files linked with the new output's wherever
they did not change. :func:`keep` moves that folder into the build cache instead of deleting it; the next write
of the same output takes it back (:func:`take`) as its staging folder, where most files are already in place.
There the writer only replaces what changed (a file is never written into: it is a link shared with an output
and the cache's kept files) and removes what the site no longer has (:func:`tidy`).

A spare is used only when it is exactly what sitegen left there: under a marked folder, regular files and
folders and nothing else. A symbolic link could lead the writer out of its folder, so a spare holding one is
deleted, as is one that cannot be moved (another file system).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from .outputguard import MARKER


def take(spare: Path | None, staging: Path) -> dict[str, int] | None:
    """Move ``spare`` to ``staging`` (which must not exist); its files (not the marker) by name, with their
    inode numbers. None when there is no spare to use (one that is not sitegen's alone is deleted)."""
    if spare is None or not os.path.isdir(spare) or os.path.islink(spare):
        return None
    files = _files(spare)
    if files is not None:
        try:
            os.rename(spare, staging)
            return files
        except OSError:
            pass
    shutil.rmtree(spare, ignore_errors=True)
    return None


def _files(root: Path) -> dict[str, int] | None:
    """Every file under ``root`` by its ``/``-separated name, with its inode number; None if ``root`` has no
    marker or holds anything but regular files and folders."""
    try:
        if not stat.S_ISREG(os.lstat(root / MARKER).st_mode):
            return None
        found: dict[str, int] = {}
        folders = [""]
        while folders:
            folder = folders.pop()
            with os.scandir(os.path.join(root, folder)) as entries:
                for entry in entries:
                    name = f"{folder}/{entry.name}" if folder else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(name)
                    elif entry.is_file(follow_symlinks=False):
                        found[name] = entry.inode()
                    else:
                        return None  # a link, a device, a socket: not what a write leaves
    except OSError:
        return None
    found.pop(MARKER, None)
    return found


def tidy(staging: Path, present: Mapping[str, int], files: Iterable[str]) -> None:
    """Remove from ``staging`` the files of ``present`` that are not in ``files``, then the folders that hold
    none of ``files`` (before the new files are put in: a file may become a folder, or a folder a file)."""
    names = set(files)
    for name in present.keys() - names:
        os.unlink(staging / name)
    wanted = folders(names)
    for folder in sorted(folders(present) - wanted, key=lambda f: f.count("/"), reverse=True):
        os.rmdir(staging / folder)


def folders(names: Iterable[str]) -> set[str]:
    """Every folder that holds one of ``names``, at any depth."""
    found: set[str] = set()
    for name in names:
        folder = name.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def keep(replaced: Path, spare: Path | None) -> bool:
    """Move the folder a write replaced to ``spare``, for the next write (True); False where there is no spare
    or it cannot be moved there (the caller deletes it)."""
    if spare is None:
        return False
    try:
        if os.path.lexists(spare):
            shutil.rmtree(spare)
        spare.parent.mkdir(parents=True, exist_ok=True)
        os.rename(replaced, spare)
        os.utime(spare)  # when it was kept: the spares last kept are the ones kept (keptfiles.KEEP_SPARES)
        return True
    except OSError:
        return False
