"""The file system's change notifications, as hints of where ``serve``'s watcher should look first.

:class:`~sitegen.preview.watcher.Watcher` polls, and its polls are the truth: notifications are lost on
network drives and virtual machines' shared folders, and they do not come at all for a root created
after ``serve`` started. On a large site a poll of the whole tree takes tens of milliseconds, so it runs
every few hundred; a notification (inotify, ReadDirectoryChangesW, FSEvents, through ``watchdog``, the
library MkDocs' ``serve`` uses) says within a millisecond which folder to poll at once. Where
notifications do not work, nothing changes: the next poll sees the save.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

try:
    from watchdog import events
    from watchdog.observers import Observer
except ImportError:  # a platform without it: polling alone
    events = None  # type: ignore[assignment]

WANTED = (
    *("FileCreatedEvent", "FileModifiedEvent", "FileDeletedEvent", "FileMovedEvent", "FileClosedEvent"),
    *("DirCreatedEvent", "DirDeletedEvent", "DirMovedEvent"),
)
"""What a save or a new, moved or deleted file or folder gives; not opening or reading (the build reads every file)."""


class Notices:
    """Paths the file system said changed under ``roots`` (those there when it starts), kept until :meth:`take`."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = tuple(roots)
        self._paths: set[str] = set()
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._observer: object | None = None

    def start(self) -> None:
        """Ask the file system for notifications (nothing happens where it cannot give them)."""
        if self._observer is None:
            self._observer = _observe([str(r) for r in self.roots if os.path.isdir(r)], self._note)

    @property
    def working(self) -> bool:
        """Whether notifications are on (started, and the roots could be watched)."""
        return self._observer is not None

    def _note(self, *paths: str) -> None:
        with self._lock:
            self._paths.update(paths)
        self._arrived.set()

    def wait(self, timeout: float) -> bool:
        """Wait until a notification arrives (True) or ``timeout`` seconds pass (False)."""
        return self._arrived.wait(timeout)

    def take(self) -> set[Path]:
        """The paths notified since the last call."""
        with self._lock:
            paths, self._paths = self._paths, set()
            self._arrived.clear()
        return {Path(p) for p in paths}

    def wake(self) -> None:
        """End a :meth:`wait` now (``serve`` stops)."""
        self._arrived.set()

    def close(self) -> None:
        self.wake()
        if self._observer is not None:
            self._observer.stop()  # type: ignore[attr-defined]
            self._observer = None


def _observe(roots: list[str], note) -> object | None:
    """A started observer calling ``note(path, …)`` for every wanted event under ``roots``; None if none can run."""
    if events is None or not roots:
        return None

    class Handler(events.FileSystemEventHandler):
        def on_any_event(self, event: events.FileSystemEvent) -> None:
            note(*(os.fsdecode(p) for p in (event.src_path, event.dest_path) if p))

    wanted = [getattr(events, name) for name in WANTED]
    observer = Observer()
    observer.daemon = True
    try:
        for root in roots:
            observer.schedule(Handler(), root, recursive=True, event_filter=wanted)
        observer.start()
    except (OSError, RuntimeError):  # e.g. inotify's limit of watches reached: polling alone
        observer.stop()
        return None
    return observer
