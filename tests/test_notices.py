"""serve's watcher is woken by the file system's change notifications, and polls alone where there are none.

The polls are the truth (:mod:`sitegen.preview.watcher`); a notification (:mod:`sitegen.preview.notices`) only
says where to poll at once, so that a save on a large site is built without waiting for the next poll of the
whole tree.
"""

from __future__ import annotations

import queue
import shutil
import time
from pathlib import Path

import pytest

from sitegen.preview import notices as notices_module
from sitegen.preview.livebuild import LiveBuilder, Snapshot
from sitegen.preview.notices import Notices

ROOT = Path(__file__).resolve().parents[1]
YEAR = "units/xinzhou-office/2023.yaml"
PAGE = "zh/units/xinzhou-office/2023/index.html"


def test_a_save_is_notified_at_once_and_reading_is_not(tmp_path: Path) -> None:
    (tmp_path / "units").mkdir()
    kept = tmp_path / "units" / "a.yaml"
    kept.write_text("a: 1\n", encoding="utf-8")
    notices = Notices([tmp_path, tmp_path / "not-there-yet"])
    notices.start()
    try:
        assert notices.working
        kept.read_bytes()  # the build reads every file: that is no change
        assert not notices.wait(0.3)
        kept.write_text("a: 2\n", encoding="utf-8")
        assert notices.wait(5)
        time.sleep(0.05)
        assert kept in notices.take()
        assert notices.take() == set()  # taken once
        (tmp_path / "units" / "b").mkdir()
        assert notices.wait(5) and tmp_path / "units" / "b" in notices.take()
    finally:
        notices.close()
    assert not notices.working


def _site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def _live(content: Path) -> tuple[LiveBuilder, queue.Queue[Snapshot]]:
    published: queue.Queue[Snapshot] = queue.Queue()
    live = LiveBuilder(
        content,
        ROOT / "templates",
        publish=published.put,
        refresh=lambda s: None,
        stale=lambda: None,
        out=lambda m: None,
    )
    return live, published


def _edit(content: Path, participants: int) -> None:
    path = content / YEAR
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("participants: 44", f"participants: {participants}", 1), encoding="utf-8")


def test_a_notified_save_is_built_without_waiting_for_the_whole_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _site(tmp_path)
    live, published = _live(content)
    whole = live.watcher.poll

    def slow_tree() -> set[Path]:  # as if listing the tree took a minute: the next whole poll in five
        found = whole()
        live.watcher.seconds = 60.0
        return found

    monkeypatch.setattr(live.watcher, "poll", slow_tree)
    live.start()
    try:
        first = published.get(timeout=300)
        assert not first.problems and "4321" not in first.files[PAGE].decode("utf-8")
        assert live.notices.working
        time.sleep(0.5)  # the first whole poll after the build has been made
        _edit(content, 4321)
        snapshot = published.get(timeout=60)
        assert "4321" in snapshot.files[PAGE].decode("utf-8")
    finally:
        live.stop()


def test_without_notifications_the_polls_see_the_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notices_module, "_observe", lambda roots, note: None)  # a network drive, say
    content = _site(tmp_path)
    live, published = _live(content)
    live.start()
    try:
        assert not published.get(timeout=300).problems
        assert not live.notices.working
        _edit(content, 4322)
        snapshot = published.get(timeout=60)
        assert "4322" in snapshot.files[PAGE].decode("utf-8")
    finally:
        live.stop()
