"""The files of a build that writes wait on disk, not in memory (:mod:`sitegen.site.spool`): the bytes written
are those of a build in memory, the temporary folder goes when the build ends, written or failed; the build
cache writes its new entries as they grow, not all at the end of a stage."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

from sitegen.errors import ContentErrors
from sitegen.review.sitecheck import read_tree
from sitegen.site import cachestore, spool, theme
from sitegen.site.buildcache import BuildCache
from sitegen.site.pipeline import build
from sitegen.site.spool import SMALL, Spool

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 12, 1)


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder for this test alone (the spools of parallel tests are not counted), and a
    spool that writes every larger value to disk as a city site's does."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(spool, "MEMORY", 0)
    return folder


def spools(folder: Path) -> list[Path]:
    return sorted(folder.glob("sitegen-spool-*"))


def test_large_values_wait_on_disk_and_small_ones_in_memory(temporary: Path, tmp_path: Path) -> None:
    spool = Spool()
    large, small = b"x" * (SMALL + 1), b"y" * SMALL
    spool["zh/index.html"], spool["robots.txt"] = large, small
    spool["zh/index.html"] = large + b"!"  # set again: the new bytes
    (folder,) = spools(temporary)
    assert sorted(p.read_bytes() for p in folder.iterdir()) == [large, large + b"!"]
    assert dict(spool) == {"zh/index.html": large + b"!", "robots.txt": small} and len(spool) == 2
    del spool["robots.txt"]
    assert list(spool) == ["zh/index.html"] and "robots.txt" not in spool
    output = tmp_path / "output"
    (output / "zh").mkdir(parents=True)
    (output / "zh" / "index.html").write_bytes(large + b"!")
    spool.written(output)  # read from the output from now on
    assert spools(temporary) == [] and spool["zh/index.html"] == large + b"!"
    again = Spool()
    again["a.html"] = large
    again.close()
    assert spools(temporary) == []


def test_values_stay_in_memory_while_they_are_few(temporary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "MEMORY", 3 * SMALL)
    files = Spool()
    files["a.html"] = files["b.html"] = b"x" * (SMALL + 1)
    files["a.html"] = b"y" * (SMALL + 1)  # set again: counted once
    assert spools(temporary) == [] and files.path("a.html") is None
    files["c.html"] = b"z" * (SMALL + 1)  # over the bound: all three go to disk
    assert all(files.path(f"{name}.html") is not None for name in "abc")
    (folder,) = spools(temporary)
    assert len(list(folder.iterdir())) == 3 and dict(files)["a.html"] == b"y" * (SMALL + 1)
    files.close()


def test_a_build_that_writes_writes_the_bytes_of_one_in_memory(temporary: Path, tmp_path: Path) -> None:
    in_memory = build(ROOT / "content", Path("unused"), templates=theme.theme_dir(), write=False, today=TODAY)
    written = build(ROOT / "content", tmp_path / "out", templates=theme.theme_dir(), today=TODAY)
    assert isinstance(written.files, Spool) and spools(temporary) == []
    assert dict(written.files) == dict(in_memory.files) == read_tree(tmp_path / "out")


def test_a_build_that_fails_leaves_no_spool(temporary: Path, tmp_path: Path) -> None:
    templates = shutil.copytree(theme.theme_dir(), tmp_path / "templates")
    page = templates / "base.html"  # every page: an undefined name is an error while rendering
    page.write_text(page.read_text(encoding="utf-8") + "{{ no_such_name }}", encoding="utf-8")
    with pytest.raises(ContentErrors):
        build(ROOT / "content", tmp_path / "out", templates=templates, today=TODAY)
    assert spools(temporary) == [] and not (tmp_path / "out").exists()


def test_a_full_disk_keeps_the_files_in_memory(temporary: Path, tmp_path: Path, monkeypatch) -> None:
    """The temporary folder's disk full: the build still writes every file (the output's own disk is told of by
    the writer, as before)."""
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if any(part.startswith("sitegen-spool-") for part in self.parts):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    written = build(ROOT / "content", tmp_path / "out", templates=theme.theme_dir(), today=TODAY)
    in_memory = build(ROOT / "content", Path("unused"), templates=theme.theme_dir(), write=False, today=TODAY)
    assert dict(written.files) == dict(in_memory.files) == read_tree(tmp_path / "out")
    assert spools(temporary) == []


def test_the_cache_writes_its_new_entries_as_they_grow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cachestore, "FLUSH_BYTES", 1000)
    store = cachestore.Store(tmp_path / "cache")
    store.put(b"a" * 32, b"PK\x03\x04" + bytes(600))  # an office file
    store.put(b"b" * 32, b"PK\x03\x04" + bytes(600))  # together over the bound: both written now
    store.put(b"c" * 32, "a value")  # waits for the end of the stage
    seen = cachestore.Store(tmp_path / "cache")
    assert seen.get(b"a" * 32, bytes) == b"PK\x03\x04" + bytes(600) and seen.get(b"c" * 32, str) is None
    seen.close()
    store.close()
    last = cachestore.Store(tmp_path / "cache")
    assert last.get(b"c" * 32, str) == "a value" and last.get(b"b" * 32, bytes) is not None
    last.close()


def test_a_build_with_a_cache_writes_what_it_writes_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries written in the middle of the render stage are read back by the next build like the others."""
    monkeypatch.setattr(cachestore, "FLUSH_BYTES", 50_000)
    cold = build(ROOT / "content", tmp_path / "cold", templates=theme.theme_dir(), today=TODAY, cache=None)
    cache = BuildCache(tmp_path / "cache")
    build(ROOT / "content", tmp_path / "filling", templates=theme.theme_dir(), today=TODAY, cache=cache)
    warm = BuildCache(tmp_path / "cache")
    again = build(ROOT / "content", tmp_path / "warm", templates=theme.theme_dir(), today=TODAY, cache=warm)
    assert dict(again.files) == dict(cold.files) and warm.counts.misses == 0 and warm.counts.hits > 0
