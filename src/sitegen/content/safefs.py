"""Reading files without ever leaving their folder (the content folder, or the templates folder).

Content comes from pull requests, so a file in it may be a symbolic link to ``/proc/self/environ``,
``/etc/passwd`` or ``/dev/zero``, or a FIFO that blocks whoever opens it. Every read of content and
templates goes through :func:`read_bytes` and every listing through :func:`listdir`:

- a symbolic link whose target leaves the folder, a dangling link, a link loop, a device file,
  a FIFO or a socket is a :class:`~sitegen.errors.ContentError` naming the path, and is never opened;
- a link that stays inside the folder is followed: what it shows is content of the same folder,
  published anyway, and git keeps links as links (a shared text linked from two units is legitimate);
- the file that is opened is the resolved path, with ``O_NOFOLLOW`` and ``O_NONBLOCK`` (where the
  system has them), checked again with ``fstat`` to be a regular file, and read up to ``limit + 1``
  bytes at most, whatever ``stat`` said its size was (``/proc`` files say 0).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import ContentError, ContentErrors, make_error

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024
_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "套接字（socket）", "a socket"),
    (stat.S_ISCHR, "设备文件", "a device file"),
    (stat.S_ISBLK, "设备文件", "a device file"),
)


def _error(path: Path, zh: str, en: str) -> ContentError:
    return make_error(path, 0, 0, zh, en)


def _inside(real: str, real_root: str) -> bool:
    try:
        return os.path.commonpath([real, real_root]) == real_root
    except ValueError:  # another drive on Windows
        return False


def _folder_name(root: Path) -> str:
    return Path(os.path.abspath(root)).name or str(root)


def _link_target(path: Path, real: str) -> str:
    try:
        return os.readlink(path)
    except OSError:  # not a link itself: a folder above it is
        return real


def _special(path: Path, mode: int) -> ContentError | None:
    """The error for a device, FIFO or socket; None for a regular file or a folder."""
    for test, zh, en in _KINDS:
        if test(mode):
            return _error(
                path,
                f"“{path.name}”是{zh}，不是普通文件，不会读取。请删除它，或换成普通文件。",
                f'"{path.name}" is {en}, not a regular file; it is not read. Delete it or put a regular file there.',
            )
    return None


def _vet(path: Path, root: Path) -> tuple[str, os.stat_result]:
    """The resolved path of ``path`` and its stat, or raise :class:`ContentErrors` saying why it must not be read."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not _inside(real, real_root):
        folder = _folder_name(root)
        target = _link_target(path, real)
        raise ContentErrors(
            [
                _error(
                    path,
                    f"“{path.name}”是指向“{folder}”文件夹之外（{target}）的符号链接，不会读取。请换成文件本身。",
                    f'"{path.name}" is a symbolic link to outside the {folder} folder ({target}); it is not read. '
                    "Put the file itself there.",
                )
            ]
        )
    try:
        st = os.stat(real)
    except OSError as exc:
        raise ContentErrors([_unreadable(path, exc)]) from None
    special = _special(path, st.st_mode)
    if special is not None:
        raise ContentErrors([special])
    return real, st


def _unreadable(path: Path, exc: OSError) -> ContentError:
    if os.path.islink(path) and not os.path.exists(path):
        target = _link_target(path, "")
        return _error(
            path,
            f"“{path.name}”是符号链接，但它指向的“{target}”不存在（或链接指向自己）。请删除它，或换成文件本身。",
            f'"{path.name}" is a symbolic link to "{target}", which does not exist (or the link loops). '
            "Delete it or put the file itself there.",
        )
    reason = exc.strerror or str(exc)
    return _error(path, f"无法读取“{path.name}”：{reason}。", f'"{path.name}" cannot be read: {reason}.')


def refusal(path: Path, root: Path) -> ContentError | None:
    """Why ``path`` must not be read or entered (see the module docstring); None when it may be."""
    try:
        _vet(Path(path), Path(root))
    except ContentErrors as exc:
        return exc.errors[0]
    return None


def too_large(path: Path, size: int, limit: int) -> ContentError:
    """The error for a file over ``limit`` bytes (``size`` is as much as is known of its size)."""
    mb, most = size / 1024 / 1024, limit / 1024 / 1024
    return _error(
        path,
        f"文件太大（{mb:.1f} MB 以上，上限 {most:g} MB），请拆分为多个文件。",
        f"The file is too large ({mb:.1f} MB or more, the limit is {most:g} MB); split it into several files.",
    )


def read_bytes(path: Path, root: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` inside ``root``, at most ``limit`` of them.

    Raises :class:`ContentErrors` (never ``OSError``) for a missing or unreadable file, a folder, a link
    out of ``root``, a dangling link, a device, FIFO or socket, and a file over ``limit`` bytes.
    """
    path = Path(path)
    real, st = _vet(path, Path(root))
    if stat.S_ISDIR(st.st_mode):
        raise ContentErrors(
            [_error(path, f"“{path.name}”是文件夹，这里应是文件。", f'"{path.name}" is a folder; a file is expected.')]
        )
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise ContentErrors([_unreadable(path, exc)]) from None
    try:
        data = _read_regular(path, fd, limit)
    finally:
        os.close(fd)
    return data


def _read_regular(path: Path, fd: int, limit: int) -> bytes:
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode):  # swapped since it was looked at
        raise ContentErrors([_special(path, opened.st_mode) or _error(path, "不是普通文件。", "Not a regular file.")])
    if opened.st_size > limit:
        raise ContentErrors([too_large(path, opened.st_size, limit)])
    chunks: list[bytes] = []
    left = limit + 1
    try:
        while left > 0 and (chunk := os.read(fd, min(left, _CHUNK))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ContentErrors([_unreadable(path, exc)]) from None
    data = b"".join(chunks)
    if len(data) > limit:
        raise ContentErrors([too_large(path, len(data), limit)])
    return data


def listdir(
    folder: Path, root: Path, skip: Callable[[Path], bool] = lambda path: False
) -> tuple[list[Path], dict[Path, ContentError]]:
    """The entries of ``folder`` (sorted, without those ``skip`` names) that may be read or entered,
    and why each other one may not. A folder that itself must not be entered lists nothing."""
    folder = Path(folder)
    refused: dict[Path, ContentError] = {}
    if os.path.realpath(folder) != os.path.realpath(root) and (error := refusal(folder, root)) is not None:
        return [], {folder: error}
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return [], {folder: _unreadable(folder, exc)}
    found: list[Path] = []
    for entry in entries:
        path = folder / entry.name
        if skip(path):
            continue
        # A regular file needs no more look; links, special files and folders (a Windows junction is
        # a folder that is no symlink) are resolved and checked.
        plain = not entry.is_symlink() and entry.is_file(follow_symlinks=False)
        error = None if plain else refusal(path, root)
        if error is None:
            found.append(path)
        else:
            refused[path] = error
    return found, refused


def walk_files(
    folder: Path, root: Path, skip: Callable[[Path], bool] = lambda path: False
) -> tuple[list[Path], list[ContentError]]:
    """Every file under ``folder`` (sorted), as :func:`listdir` allows them; links to folders are not
    entered (one inside ``root`` shows files that are listed where they really are), so no loop."""
    files: list[Path] = []
    errors: list[ContentError] = []
    pending = [Path(folder)]
    while pending:
        found, refused = listdir(pending.pop(), root, skip)
        errors += refused.values()
        for path in found:
            if path.is_symlink() and path.is_dir():
                continue
            (pending if path.is_dir() else files).append(path)
    return sorted(files), errors
