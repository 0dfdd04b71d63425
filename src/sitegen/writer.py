"""Writing the output folder: atomically, and without touching files that did not change.

The new site is assembled in a staging folder beside ``output/``: files whose bytes are
unchanged are hard-linked from the old output (so their modification times stay and an
rsync publishes only what changed), the others are written fresh. Only when everything
is in place is the staging folder swapped in. A failed or interrupted build therefore
leaves the previous ``output/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ContentError, ContentErrors, make_error


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def check_paths(files: dict[str, bytes], output: Path) -> None:
    """Refuse paths that would escape the output folder (Pelican-style guard)."""
    bad: list[ContentError] = []
    for name in files:
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or not name or "\\" in name:
            bad.append(make_error(output, 0, 0, f"输出路径不安全：{name}", f"Unsafe output path refused: {name}"))
    if bad:
        raise ContentErrors(bad)


def write_site(files: dict[str, bytes], output: Path) -> WriteStats:
    """Replace ``output`` by exactly ``files`` (path → bytes), atomically."""
    output = output.resolve()
    check_paths(files, output)
    staging = output.with_name(f".{output.name}.staging")
    old = output.with_name(f".{output.name}.old")
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    written = unchanged = 0
    try:
        for name in sorted(files):
            data = files[name]
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = output / name
            if _same(previous, data) and _link(previous, target):
                unchanged += 1
                continue
            target.write_bytes(data)
            written += 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    removed = _count_removed(output, files)
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old, ignore_errors=True)
    return WriteStats(written, unchanged, removed)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:
        try:
            shutil.copy2(source, target)  # keeps the modification time
            return True
        except OSError:
            return False


def _count_removed(output: Path, files: dict[str, bytes]) -> int:
    if not output.is_dir():
        return 0
    existing = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    return len(existing - set(files))
