"""Writing the output folder: atomically, and without touching files that did not change.

The new site is assembled in a staging folder beside ``output/``: files whose bytes are
unchanged are hard-linked from the old output (so their modification times stay and an
rsync publishes only what changed), the others linked from the build cache's kept files
(:mod:`sitegen.site.keptfiles`) where it has the same bytes, else written fresh. Only when everything
is in place is the staging folder swapped in, in one step on Linux (``renameat2`` with
``RENAME_EXCHANGE``): at every instant ``output/`` is the whole previous build or the whole
new one. Elsewhere two renames leave a moment without ``output/`` (:data:`NOT_ATOMIC`).

Before anything is touched, :func:`~sitegen.site.outputguard.check_output` refuses a folder that
is not sitegen's to replace; errors of the operating system become a
:class:`~sitegen.site.outputguard.WriteFault` in plain words, with nothing left behind.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import shutil
import stat
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..errors import ContentError, ContentErrors, make_error
from . import spare
from .outputguard import MARKER, MARKER_BYTES, check_leftover, check_output, fault
from .spool import Spool

RENAME_EXCHANGE = 2
AT_FDCWD = -100
SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "arm64": 276, "riscv64": 276, "i686": 353, "armv7l": 382}
"""The ``renameat2`` system call's number, for a libc without the wrapper (glibc < 2.28)."""
UNSUPPORTED = (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP)
NOT_ATOMIC = (
    "警告：此系统不能一步交换文件夹，替换输出文件夹时它会有一瞬间不存在（此刻读取它的网站服务器可能找不到页面）。\n"
    "warning: this system cannot swap folders in one step: while the output folder is replaced it is missing "
    "for a moment (a web server reading it then may find no pages)."
)


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    note: str = ""
    """A warning to show (the swap was not atomic), or empty."""


def check_paths(files: Mapping[str, bytes], output: Path) -> None:
    """Refuse paths that would escape the output folder (Pelican-style guard)."""
    bad: list[ContentError] = []
    for name in files:
        if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name or name == MARKER:
            bad.append(make_error(output, 0, 0, f"输出路径不安全：{name}", f"Unsafe output path refused: {name}"))
    if bad:
        raise ContentErrors(bad)


Find = Callable[[bytes], str | None]
"""A file with these bytes, or None."""


@dataclass(frozen=True)
class Earlier:
    """What a write may take from earlier builds (:func:`sitegen.site.keptfiles.earlier`)."""

    find: Find
    """A file with these bytes, or None (the writer compares them before it links it)."""
    spare: Path
    """Where the folder a write replaces is kept, and taken back by the next write (:mod:`sitegen.site.spare`)."""


def write_site(
    files: Mapping[str, bytes],
    output: Path,
    *,
    content: Path | None = None,
    templates: Path | None = None,
    earlier: Earlier | None = None,
) -> WriteStats:
    """Replace ``output`` by exactly ``files`` (path → bytes) and the marker, atomically.

    ``content`` and ``templates``, when given, are folders the output must not overlap. With ``earlier``, a file
    not in the previous output is linked from a file with the same bytes where there is one, and the replaced
    output is kept as the next write's staging folder.
    Raises :class:`~sitegen.site.outputguard.UnsafeOutput` (nothing touched) or
    :class:`~sitegen.site.outputguard.WriteFault` (the previous output intact).
    """
    output = check_output(output, content=content, templates=templates)
    check_paths(files, output)
    staging, old = beside(output)
    for leftover in (staging, old):
        check_leftover(leftover)
    try:
        if os.path.ismount(output):
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(output))
        if old.is_dir() and not output.exists():
            os.rename(old, output)  # interrupted between the two renames of a non-atomic swap: put it back
        for leftover in (staging, old):
            remove(leftover)  # an earlier build was interrupted
        present = spare.take(earlier.spare, staging) if earlier and output.is_dir() else None
        written, unchanged = _fill(staging, output, files, earlier.find if earlier else None, present)
        removed = _count_removed(output, files)
        note = _swap(staging, output, old, earlier.spare if earlier else None)
    except OSError as exc:
        remove(staging, ignore_errors=True)
        raise fault(exc, output, size=sum(map(len, files.values()))) from None
    except BaseException:
        remove(staging, ignore_errors=True)
        raise
    return WriteStats(written, unchanged, removed, note)


def remove(folder: Path, *, ignore_errors: bool = False) -> None:
    """Delete an output or staging folder, its marker last: interrupted, what is left is still marked."""
    if not folder.is_dir():
        return
    try:
        for entry in os.scandir(folder):
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        if not ignore_errors:
            raise


def beside(output: Path) -> tuple[Path, Path]:
    """The staging folder and the previous output's folder a write keeps beside ``output`` while it runs."""
    staging, old = (output.with_name(f".{output.name}.{what}") for what in ("staging", "old"))
    return staging, old


def interrupted(output: Path) -> bool:
    """True when a write to ``output`` was interrupted and left its folders beside it (the next write cleans up)."""
    return any(os.path.lexists(folder) for folder in beside(output))


def _fill(
    staging: Path, output: Path, files: Mapping[str, bytes], find: Find | None, present: Mapping[str, int] | None
) -> tuple[int, int]:
    """Write the marker (first: it makes a leftover staging folder recognisable) and ``files``, over
    :data:`WRITERS` threads: creating a file waits on the file system (a city site has 55,000). ``present``: the
    files already in ``staging``, a spare taken back (:func:`sitegen.site.spare.take`), by name and inode."""
    if present is None:
        staging.mkdir(parents=True)
        _put(str(staging), str(output), MARKER, {MARKER: MARKER_BYTES})
    else:
        spare.tidy(staging, present, files)
    there = spare.folders(present or {})
    for folder in sorted({name.rpartition("/")[0] for name in files} - {""} - there):
        (staging / folder).mkdir(parents=True, exist_ok=True)
    names = sorted(files)
    chunks = [names[start : start + CHUNK] for start in range(0, len(names), CHUNK)]
    put = partial(_put_all, str(staging), str(output), files, find, present or {})
    with ThreadPoolExecutor(WRITERS, thread_name_prefix="sitegen-write") as pool:
        kept = sum(pool.map(put, chunks))
    return len(names) - kept, kept


WRITERS = 8
"""Threads creating the output's files (the system calls run outside the GIL)."""
CHUNK = 64
"""Files a thread writes at a time: a future for each file cost more than linking it."""


def _put_all(
    staging: str,
    output: str,
    files: Mapping[str, bytes],
    find: Find | None,
    present: Mapping[str, int],
    names: list[str],
) -> int:
    """:func:`_put` each of ``names``; how many were unchanged."""
    return sum(_put(staging, output, name, files, find, present) for name in names)


def _put(
    staging: str,
    output: str,
    name: str,
    files: Mapping[str, bytes],
    find: Find | None = None,
    present: Mapping[str, int] | None = None,
) -> bool:
    """Put ``name`` into ``staging`` as the previous output's file when its bytes are the same (True: already
    there when ``staging`` is a spare holding that very file, else linked), else (False) as a link to its file
    in a :class:`~sitegen.site.spool.Spool` or to the file ``find`` gives with the same bytes, or a new file."""
    target, previous = os.path.join(staging, name), os.path.join(output, name)
    try:
        found = os.lstat(previous)
        size, inode = (found.st_size, found.st_ino) if stat.S_ISREG(found.st_mode) else (None, None)
    except OSError:
        size = inode = None
    data = files[name] if size is not None else None
    same = data is not None and size == len(data) and _same(previous, data)
    if present and name in present:
        if same and present[name] == inode:
            return True
        os.unlink(target)  # a link shared with an earlier output and the kept files: replaced, never written into
    if same and _link(previous, target):
        return True
    spooled = files.path(name) if isinstance(files, Spool) else None
    if spooled is not None and _link(spooled, target):
        return False
    data = files[name] if data is None else data
    other = find(data) if find is not None else None
    if other is None or not (_same(other, data) and _link(other, target)):
        Path(target).write_bytes(data)
    return False


def _swap(staging: Path, output: Path, old: Path, kept: Path | None) -> str:
    """Put ``staging`` in the place of ``output``; the old output is moved to ``kept`` (:func:`sitegen.site.spare.keep`)
    or deleted. Returns a warning or ""."""
    if not output.exists():
        os.rename(staging, output)
        return ""
    if exchange(staging, output):
        if not spare.keep(staging, kept):  # now the old output
            remove(staging, ignore_errors=True)
        return ""
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except OSError:
        os.rename(old, output)
        raise
    if not spare.keep(old, kept):
        remove(old, ignore_errors=True)
    return NOT_ATOMIC


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not available."""
    call = _renameat2()
    if call is None:
        return False
    if call(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _renameat2():  # -> a callable (olddirfd, oldpath, newdirfd, newpath, flags) -> int, or None
    """libc's ``renameat2``, or the raw system call where libc lacks it; None off Linux."""
    if sys.platform != "linux":
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    args = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    wrapper = getattr(libc, "renameat2", None)
    if wrapper is not None:
        wrapper.argtypes, wrapper.restype = args, ctypes.c_int
        return wrapper
    number = SYS_RENAMEAT2.get(platform.machine())
    syscall = getattr(libc, "syscall", None)
    if number is None or syscall is None:
        return None
    syscall.argtypes, syscall.restype = (ctypes.c_long, *args), ctypes.c_long
    return lambda *call_args: syscall(number, *call_args)


def _same(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _link(source: str | Path, target: str | Path) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:
        try:
            shutil.copy2(source, target)  # keeps the modification time
            return True
        except OSError:
            return False


def _count_removed(output: Path, files: Mapping[str, bytes]) -> int:
    if not output.is_dir():
        return 0
    existing = set()
    for folder, _dirs, names in os.walk(output):
        rel = os.path.relpath(folder, output).replace(os.sep, "/")
        existing.update(names if rel == "." else (f"{rel}/{name}" for name in names))
    return len(existing - set(files) - {MARKER})
