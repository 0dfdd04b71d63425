"""The output a write replaced is kept in the build cache and taken back as the next write's staging folder
(:mod:`sitegen.site.spare`): every output is byte for byte a fresh build's, files that did not change keep their
inode and time, and a spare that is not exactly what sitegen left (a link out of it, strays) is never trusted."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from conftest import YEAR_FILE, event, make_site
from sitegen.review.sitecheck import read_tree
from sitegen.site import keptfiles, spare, theme
from sitegen.site.buildcache import BuildCache
from sitegen.site.outputguard import MARKER
from sitegen.site.pipeline import build

TODAY = date(2025, 12, 1)


def written(content: Path, output: Path, cache: Path | None):  # -> BuildResult
    return build(content, output, templates=theme.theme_dir(), today=TODAY, cache=BuildCache(cache) if cache else None)


def fresh(content: Path, tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    written(content, folder, None)
    return read_tree(folder)


def spares(cache: Path) -> list[Path]:
    folder = cache / keptfiles.SPARES
    return sorted(folder.iterdir()) if folder.is_dir() else []


def titled(content: Path, title: str) -> None:
    (content / YEAR_FILE).write_text(event(title=title), encoding="utf-8")


def test_each_write_changes_only_what_changed_in_the_spare(tmp_path: Path) -> None:
    content, output, cache = make_site(tmp_path), tmp_path / "output", tmp_path / "cache"
    written(content, output, cache)
    assert spares(cache) == []  # nothing was replaced
    for number, title in enumerate(["宪法宣传周", "民法典宣讲", "宪法宣传周"]):
        before = {p: p.stat() for p in output.rglob("*") if p.is_file()}
        titled(content, title)
        result = written(content, output, cache)
        assert read_tree(output) == result.files == fresh(content, tmp_path)
        assert len(spares(cache)) == 1 and (spares(cache)[0] / MARKER).is_file()
        stats = result.stats
        assert stats is not None and 0 < stats.written < stats.unchanged, stats
        same = [p for p, old in before.items() if p.exists() and p.stat().st_ino == old.st_ino]
        assert len(same) >= stats.unchanged, number  # the unchanged files are the very files they were
        assert all(p.stat().st_mtime_ns == before[p].st_mtime_ns for p in same)


def test_a_spare_with_a_link_out_of_it_is_deleted_not_followed(tmp_path: Path) -> None:
    content, output, cache = make_site(tmp_path), tmp_path / "output", tmp_path / "cache"
    written(content, output, cache)
    titled(content, "宪法宣传周")
    written(content, output, cache)
    kept = spares(cache)[0]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me")
    victim = next(p for p in kept.iterdir() if p.is_dir())
    os.rename(victim, tmp_path / "moved")
    victim.symlink_to(outside, target_is_directory=True)
    titled(content, "民法典宣讲")
    written(content, output, cache)
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    assert (outside / "precious.txt").read_text() == "keep me"
    assert read_tree(output) == fresh(content, tmp_path)
    assert not any(p.is_symlink() for p in spares(cache)[0].rglob("*"))


@pytest.mark.parametrize("stray", ["file", "folder", "file-for-folder"])
def test_strays_in_a_spare_do_not_reach_the_output(stray: str, tmp_path: Path) -> None:
    content, output, cache = make_site(tmp_path), tmp_path / "output", tmp_path / "cache"
    written(content, output, cache)
    titled(content, "宪法宣传周")
    written(content, output, cache)
    kept = spares(cache)[0]
    if stray == "file":
        (kept / "zh" / "stray.html").write_text("not ours")
    elif stray == "folder":
        (kept / "zh" / "stray" / "deep").mkdir(parents=True)
    else:  # a file where the site has a folder: the folder must be made
        folder = next(p for p in (kept / "zh").iterdir() if p.is_dir())
        for path in sorted(folder.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        folder.rmdir()
        folder.write_text("in the way")
    titled(content, "民法典宣讲")
    written(content, output, cache)
    assert read_tree(output) == fresh(content, tmp_path)


def test_a_spare_file_edited_in_place_is_replaced(tmp_path: Path) -> None:
    """The spare's files are links shared with the output and the kept files: a page changed in one is changed
    in all; the writer compares bytes, never trusts a link."""
    content, output, cache = make_site(tmp_path), tmp_path / "output", tmp_path / "cache"
    written(content, output, cache)
    titled(content, "宪法宣传周")
    written(content, output, cache)
    page = next(
        p for p in sorted(spares(cache)[0].rglob("*.html")) if (output / p.relative_to(spares(cache)[0])).samefile(p)
    )
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    titled(content, "民法典宣讲")
    written(content, output, cache)
    assert read_tree(output) == fresh(content, tmp_path)


def test_without_a_cache_the_replaced_output_is_deleted(tmp_path: Path) -> None:
    content, output = make_site(tmp_path), tmp_path / "output"
    written(content, output, None)
    titled(content, "宪法宣传周")
    written(content, output, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]
    assert read_tree(output) == fresh(content, tmp_path)


def test_only_the_last_spares_are_kept(tmp_path: Path) -> None:
    content, cache = make_site(tmp_path), tmp_path / "cache"
    for number in range(keptfiles.KEEP_SPARES + 2):
        output = tmp_path / f"output-{number}"
        written(content, output, cache)
        titled(content, f"宪法宣传{number}")
        written(content, output, cache)
    assert len(spares(cache)) == keptfiles.KEEP_SPARES


def test_take_refuses_what_a_write_does_not_leave(tmp_path: Path) -> None:
    unmarked = tmp_path / "unmarked"
    (unmarked / "zh").mkdir(parents=True)
    assert spare.take(unmarked, tmp_path / "staging") is None and not unmarked.exists()
    marked = tmp_path / "marked"
    (marked / "zh").mkdir(parents=True)
    (marked / MARKER).write_text("")
    (marked / "zh" / "index.html").write_text("x")
    found = spare.take(marked, tmp_path / "staging")
    assert found == {"zh/index.html": (tmp_path / "staging" / "zh" / "index.html").stat().st_ino}
    assert spare.take(None, tmp_path / "other") is None
