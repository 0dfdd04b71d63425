"""Issue 13, part 3: faults told in words, and an output that is always whole.

Real faults where the machine allows them: a small tmpfs for a full disk, the same remounted
read-only, and a tmpfs mounted on the output folder itself (skipped only where ``mount`` is not
permitted and ``CI`` is not "true"). Tests run as root, so permissions cannot be taken away
for real: permission denied, a folder in use and a file system without ``RENAME_EXCHANGE``
are simulated by making the OS call raise the real ``OSError`` with its errno.

The swap is tested with ``kill -9``: 20 builds killed at random moments while a thread reads
the output; the output is always there, and always the old or the new complete build.
"""

from __future__ import annotations

import ctypes
import errno
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, YEAR_FILE, event, make_site
from sitegen import cli
from sitegen.preview.livebuild import LiveBuilder
from sitegen.site import writer
from sitegen.site.outputguard import MARKER

TEMPLATES = ROOT / "templates"
Mount = Callable[..., Path]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the marker too), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(content: Path, output: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``build`` through the real command line; returns the exit code and everything it printed."""
    code = cli.main(["build", "--content", str(content), "--output", str(output), "--templates", str(TEMPLATES)])
    said = capsys.readouterr()
    return code, said.out + said.err


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two content folders whose sites differ in every page that shows the event."""
    monkeypatch.chdir(tmp_path)
    first = make_site(tmp_path / "a")
    second = make_site(tmp_path / "b", {YEAR_FILE: event(title="宪法宣传周")})
    return first, second


@pytest.fixture
def tmpfs() -> Iterator[Mount]:
    """``tmpfs(folder, size)`` mounts a fresh tmpfs there; all are unmounted at the end."""
    mounted: list[Path] = []

    def mount(folder: Path, size: str = "4m", *options: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        command = ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(folder)]
        done = subprocess.run(command, capture_output=True, text=True) if shutil.which("mount") else None
        if done is None or done.returncode != 0:
            reason = f"cannot mount a tmpfs here: {done.stderr.strip() if done else 'no mount command'}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=True)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` up, then free ``leave`` bytes."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with filler.open("r+b") as f:
        f.truncate(max(0, filler.stat().st_size - leave))


def told(said: str, *phrases: str) -> None:
    assert "Traceback" not in said, said
    assert "上一次的输出保持不变" in said and "The previous output is unchanged" in said, said
    for phrase in phrases:
        assert phrase in said, (phrase, said)


def no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith((".staging", ".old"))] == []


# --------------------------------------------------------------------------- real faults


def test_a_full_disk_is_told_and_the_previous_output_stays(sites, tmpfs: Mount, tmp_path: Path, capsys) -> None:
    disk = tmpfs(tmp_path / "disk", "4m")
    output = disk / "site"
    assert build(sites[0], output, capsys)[0] == 0
    before = tree(output)
    fill(disk, leave=16 * 1024)  # room for a few pages, not for the changed site
    code, said = build(sites[1], output, capsys)
    assert code == 1
    told(said, "磁盘已满", "The disk is full", "Free some space")
    assert tree(output) == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "site"]


def test_a_full_disk_on_the_first_build_leaves_nothing(sites, tmpfs: Mount, tmp_path: Path, capsys) -> None:
    disk = tmpfs(tmp_path / "disk", "256k")
    code, said = build(sites[0], disk / "site", capsys)
    assert code == 1
    told(said, "The disk is full")
    assert list(disk.iterdir()) == []


def test_a_read_only_file_system_is_told(sites, tmpfs: Mount, tmp_path: Path, capsys) -> None:
    disk = tmpfs(tmp_path / "disk", "4m")
    output = disk / "site"
    assert build(sites[0], output, capsys)[0] == 0
    before = tree(output)
    remount_read_only(disk)
    code, said = build(sites[1], output, capsys)
    assert code == 1
    told(said, "只读", "read-only file system", "--output")
    assert tree(output) == before
    assert [p.name for p in disk.iterdir()] == ["site"]


def test_schema_on_a_read_only_disk_is_told_in_words(sites, tmpfs: Mount, tmp_path: Path, capsys) -> None:
    disk = tmpfs(tmp_path / "disk", "1m")
    remount_read_only(disk)
    assert cli.main(["schema", "--content", str(sites[0]), "--output", str(disk / "schemas")]) == 1
    said = capsys.readouterr()
    assert "read-only file system" in said.out + said.err and "Traceback" not in said.out + said.err


def test_an_output_folder_that_is_a_mount_point_is_told(sites, tmpfs: Mount, tmp_path: Path, capsys) -> None:
    output = tmpfs(tmp_path / "site", "4m")
    code, said = build(sites[0], output, capsys)
    assert code == 1
    told(said, "挂载点", "mount point", "--output")
    assert list(output.iterdir()) == []
    no_leftovers(tmp_path)


def test_the_kernel_refusing_to_swap_a_mount_point_is_told(
    sites, tmpfs: Mount, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the check beforehand, the real ``renameat2`` on a mount point fails (EBUSY or EXDEV)."""
    assert build(sites[0], tmp_path / "first", capsys)[0] == 0
    output = tmpfs(tmp_path / "site", "4m")
    for name, data in tree(tmp_path / "first").items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)
    before = tree(output)
    monkeypatch.setattr(writer.os.path, "ismount", lambda path: False)
    code, said = build(sites[1], output, capsys)
    assert code == 1
    told(said, "mount point")
    assert tree(output) == before
    no_leftovers(tmp_path)


# --------------------------------------------------------------------------- simulated faults (root ignores chmod)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM])
def test_permission_denied_is_told(sites, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    output = tmp_path / "site"
    assert build(sites[0], output, capsys)[0] == 0
    before = tree(output)
    real = Path.write_bytes

    def denied(self: Path, data: bytes) -> int:
        if ".site.staging" in self.parts and self.suffix == ".html":  # a page that changed
            raise PermissionError(code, os.strerror(code), str(self))
        return real(self, data)

    real_link = os.link

    def link_denied(source: str | Path, target: str | Path) -> None:
        if ".site.staging" in Path(target).parts and Path(target).suffix == ".html":
            raise PermissionError(code, os.strerror(code), str(target))
        real_link(source, target)

    real_copy = shutil.copy2

    def copy_denied(source: str | Path, target: str | Path) -> object:  # where a link fails
        if ".site.staging" in Path(target).parts and Path(target).suffix == ".html":
            raise PermissionError(code, os.strerror(code), str(target))
        return real_copy(source, target)

    monkeypatch.setattr(Path, "write_bytes", denied)
    monkeypatch.setattr(os, "link", link_denied)  # a page from the build's spool, or kept by the cache
    monkeypatch.setattr(shutil, "copy2", copy_denied)
    result, said = build(sites[1], output, capsys)
    assert result == 1
    told(said, "没有权限", "Permission denied", ".html")  # the page it was writing or linking
    assert tree(output) == before
    no_leftovers(tmp_path)


def test_a_folder_in_use_is_told(sites, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "site"
    assert build(sites[0], output, capsys)[0] == 0
    before = tree(output)

    def busy(a: Path, b: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(a), None, str(b))

    monkeypatch.setattr(writer, "exchange", busy)
    code, said = build(sites[1], output, capsys)
    assert code == 1
    told(said, "正被占用", "in use", "Close programs")
    assert tree(output) == before
    no_leftovers(tmp_path)


def unsupported(*args: object) -> int:
    """``renameat2`` of a file system without RENAME_EXCHANGE."""
    ctypes.set_errno(errno.EINVAL)
    return -1


def test_without_an_atomic_swap_the_build_warns_and_completes(
    sites, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, expected = tmp_path / "site", tmp_path / "expected"
    assert build(sites[1], expected, capsys)[0] == 0
    assert build(sites[0], output, capsys)[0] == 0
    monkeypatch.setattr(writer, "_renameat2", lambda: unsupported)
    code, said = build(sites[1], output, capsys)
    assert code == 0
    assert "cannot swap folders in one step" in said and "一瞬间不存在" in said
    assert tree(output) == tree(expected)
    no_leftovers(tmp_path)


def test_without_an_atomic_swap_a_failed_rename_puts_the_old_output_back(
    sites, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "site"
    assert build(sites[0], output, capsys)[0] == 0
    before = tree(output)
    monkeypatch.setattr(writer, "_renameat2", lambda: None)  # not Linux
    real = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        if Path(src).name == ".site.staging":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(src), None, str(dst))
        real(src, dst)

    monkeypatch.setattr(writer.os, "rename", rename)
    code, said = build(sites[1], output, capsys)
    assert code == 1
    told(said, "Permission denied")
    assert tree(output) == before
    no_leftovers(tmp_path)


def test_serve_reports_a_fault_and_keeps_running(sites, tmpfs: Mount, tmp_path: Path) -> None:
    disk = tmpfs(tmp_path / "disk", "256k")
    said: list[str] = []
    live = LiveBuilder(sites[0], TEMPLATES, publish=print, stale=print, out=said.append, output=disk / "site")
    shown = live.build_now()
    assert shown.files and not shown.problems  # the preview still shows the site
    assert any("The disk is full" in line for line in said), said
    assert list(disk.iterdir()) == []


# --------------------------------------------------------------------------- the swap


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("RENAME_EXCHANGE is Linux's")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("from a")
    (b / "y").write_text("from b")
    assert writer.exchange(a, b)
    assert [p.name for p in a.iterdir()] == ["y"] and [p.name for p in b.iterdir()] == ["x"]


def test_the_next_build_cleans_what_an_interrupted_one_left(sites, tmp_path: Path, capsys) -> None:
    output = tmp_path / "site"
    assert build(sites[0], output, capsys)[0] == 0
    for leftover in (tmp_path / ".site.staging", tmp_path / ".site.old"):
        shutil.copytree(output, leftover)
        shutil.rmtree(leftover / "zh")  # half written, or half deleted
    assert build(sites[1], output, capsys)[0] == 0
    no_leftovers(tmp_path)
    assert (output / MARKER).is_file()


def test_an_output_moved_aside_by_an_interrupted_swap_is_put_back(sites, tmp_path: Path, capsys) -> None:
    """Killed between the two renames of the non-atomic swap: the next build starts from the old output."""
    output = tmp_path / "site"
    assert build(sites[0], output, capsys)[0] == 0
    os.rename(output, tmp_path / ".site.old")
    code, said = build(sites[0], output, capsys)
    assert code == 0 and "0 written" in said  # every file linked from the old output, none lost
    no_leftovers(tmp_path)


class Reader(threading.Thread):
    """Reads the output as a web server would, until stopped; records every moment it was not whole."""

    def __init__(self, output: Path) -> None:
        super().__init__(daemon=True)
        self.output, self.reads, self.missing = output, 0, []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for name in ("index.html", "zh/index.html", "404.html"):
                if not (self.output / name).is_file():
                    self.missing.append(name)
            self.reads += 1


def test_kill_9_at_random_moments_never_leaves_a_broken_output(sites, tmp_path: Path, capsys) -> None:
    output = tmp_path / "site"
    assert build(sites[1], tmp_path / "scratch", capsys)[0] == 0
    started = time.monotonic()
    assert start_build(sites[0], output).wait() == 0
    seconds = time.monotonic() - started  # to pick moments in a build, not to judge it
    complete = [tree(output), tree(tmp_path / "scratch")]
    rng = random.Random()
    reader = Reader(output)
    reader.start()
    current = 0
    try:
        for attempt in range(20):
            before = tmp_path.stat().st_mtime_ns
            proc = start_build(sites[1 - current], output)
            if attempt % 2:  # anywhere in the build (or just after it)
                time.sleep(rng.uniform(0, 1.2 * seconds))
            else:  # while it writes and swaps: the folder beside the output changes first
                while proc.poll() is None and tmp_path.stat().st_mtime_ns == before:
                    time.sleep(0.0005)
                time.sleep(rng.uniform(0, 0.04))
            proc.kill()
            proc.wait()
            found = tree(output)
            assert found in complete, f"kill {attempt}: the output is neither build"
            current = complete.index(found)
    finally:
        reader.stop.set()
        reader.join()
    assert reader.reads > 0 and reader.missing == []
    assert start_build(sites[0], output).wait() == 0  # cleans what the kills left
    assert tree(output) == complete[0]
    no_leftovers(tmp_path)


def start_build(content: Path, output: Path) -> subprocess.Popen[bytes]:
    """``build`` in a real subprocess (Python, imports and all)."""
    command = [sys.executable, "-m", "sitegen.cli", "build", "--content", str(content), "--output", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    quiet = subprocess.DEVNULL
    return subprocess.Popen([*command, "--templates", str(TEMPLATES)], env=env, stdout=quiet, stderr=quiet)
