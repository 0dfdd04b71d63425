"""``serve``'s build thread: watch, wait for quiet, rebuild, hand the result over, report.

The loop (MkDocs' shape, see STYLE.md): poll the folders every :data:`POLL_S` (less often on a tree that
takes long to list); after a change, poll the folders that changed every :data:`POLL_S` until :data:`QUIET_S`
pass without another change there (an editor's save is often several writes), then build. A save anywhere
else meanwhile, or during the build, is seen by the next poll of the whole tree and builds again: no save is
lost, and none is merged away except into a build that already includes it. Where the file system sends
change notifications (:mod:`sitegen.preview.notices`), one wakes the loop at once to poll the folder it names:
a save is seen within a millisecond, not at the next poll of the whole tree (on 9,300 files, every 250 ms).

Each build ends in a :class:`Snapshot` given to ``publish`` (the server shows it and reloads
every browser) and in one report on the terminal.

The site search index is made with the first build only: Pagefind takes about half a second, a rebuild of
the pages milliseconds. A rebuild keeps the index of the pages before it; once the folders have been quiet
for :data:`SEARCH_AFTER_S`, :meth:`LiveBuilder.index_now` indexes the pages shown and hands the site to
``refresh``, which shows it without reloading the browsers (the search page reads the index afresh).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..content.drafts import PREVIEW, Unpublished
from ..errors import ContentError, ContentErrors, SitegenError, display_path, format_text, make_error
from ..site.buildcache import BuildCache
from ..site.search import BUNDLE
from ..site.writer import write_site
from .incremental import Rebuild, SiteBuilder
from .notices import Notices
from .watcher import Watcher

POLL_S = 0.05
QUIET_S = 0.1
"""How long the folders of a save must stay quiet before it is built; one poll (:data:`POLL_S`) where the file
system notifies changes: a later write of the same save then wakes the wait at once and starts it again."""
SEARCH_AFTER_S = 0.5
"""After a build, the search index is made again once the folders have been quiet this long."""
RETRIES = 3
"""Attempts when a file cannot be read (an editor or a virus scanner may hold it for a moment on Windows)."""


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows: the last good site, and the problems of the last build."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    """The last good site (empty until there is one)."""
    base_path: str = "/"
    """The path of ``base_url`` (``/pufa/``): the site is served below it."""
    problems: tuple[ContentError, ...] = ()
    """Why the last build failed; empty when it succeeded."""
    reason: str = ""
    """What changed (sent with the reload message)."""
    old_bases: tuple[str, ...] = ()
    """Base paths of earlier builds (requests there are redirected)."""
    generation: int = 1
    """Counts the builds (from 1: livereload.js does not send a 0): pages carry it, so that a browser
    can tell it missed one."""
    retired: Mapping[str, bytes] = field(default_factory=dict)
    """The files of the search index shown before this one, still served below ``pagefind/``: a search page
    that read the older index's entry file goes on to ask for its chunks (named by their content, so an old
    name never means a new file), and would meet a 404 the moment the index caught up."""

    def succeeded_by(self, files: Mapping[str, bytes]) -> Mapping[str, bytes]:
        """The :attr:`retired` files of a snapshot showing ``files`` after this one."""
        old = {n: self.files[n] for n in self.files if n.startswith(BUNDLE) and n not in files}
        return old if old else self.retired


def base_path(base_url: str) -> str:
    """``https://x.gov.cn/pufa/`` → ``/pufa/``."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class LiveBuilder:
    """Builds ``content`` with ``templates`` in a thread (:meth:`start`): at once, then on every change."""

    def __init__(
        self,
        content: Path,
        templates: Path,
        *,
        publish: Callable[[Snapshot], None],
        stale: Callable[[], None],
        out: Callable[[str], None],
        output: Path | None = None,
        today: date | None = None,
        unpublished: Unpublished = PREVIEW,
        refresh: Callable[[Snapshot], None] | None = None,
        cache: BuildCache | None = None,
    ) -> None:
        self.builder = SiteBuilder(
            content, templates, today, unpublished, defer_search=True, defer_office=True, cache=cache
        )
        self.watcher = Watcher([content, templates])  # before the first build: it sees changes during it
        self.notices = Notices([content, templates])
        self.publish = publish
        self.refresh = refresh or publish
        """Shows a snapshot whose search index caught up, without reloading the browsers."""
        self.stale = stale
        self.out = out
        self.output = output
        self.snapshot = Snapshot()
        self._warnings: tuple[ContentError, ...] | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sitegen-build", daemon=True)

    def start(self) -> None:
        self.notices.start()
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; a build in progress is abandoned with the process (the thread is a daemon)."""
        self._stop.set()
        self.notices.close()
        if self._thread.is_alive():
            self._thread.join(1.0)

    # ----------------------------------------------------------------- the loop

    def _loop(self) -> None:
        self.build_now()
        while (changed := self._next_change()) is not None:
            self.build_now(changed)

    def _next_change(self) -> set[Path] | None:
        """The files changed, once the folders have been quiet for QUIET_S; None when stopped."""
        changed: set[Path] = set()
        quiet = idle = 0.0
        interval = POLL_S
        whole = time.monotonic() + interval  # when the whole tree is polled next, notified or not
        settle = POLL_S if self.notices.working else QUIET_S  # a write meanwhile is notified at once
        while not self._stop.is_set():
            notified = self.notices.wait(interval)
            if self._stop.is_set():
                break
            hinted = self.notices.take()
            if changed or (hinted and time.monotonic() < whole):  # a save's folders: a few system calls
                found = self.watcher.poll_near(changed | hinted)
            else:
                found = self.watcher.poll()
                whole = time.monotonic() + max(POLL_S, 5 * self.watcher.seconds)  # a huge tree, less often
            if found:
                if not changed:
                    self.stale()
                changed |= found
                quiet = 0.0
            elif notified:
                pass  # woken early by a notice of nothing the watcher counts (a folder's, an ignored file's)
            elif changed:
                quiet += interval  # counted in polls, not by the clock: two quiet polls are 100 ms
                if quiet >= settle:
                    return changed
            else:
                idle += interval
                if idle >= SEARCH_AFTER_S and self.builder.search_pending:
                    self.index_now()  # a save meanwhile is seen by the next poll
                    self.builder.collect()
            # once a save is seen, only its folders are polled until they are quiet
            interval = POLL_S if changed else max(0.0, whole - time.monotonic())
        return None

    # ----------------------------------------------------------------- one build

    def build_now(self, changed: Collection[Path] = ()) -> Snapshot:
        """Build, publish the snapshot and report on the terminal."""
        reason = _describe(changed)
        if changed:
            self.out(f"{_clock()} {reason} changed, rebuilding ...")
        try:
            result = self._build(changed or None)  # the first build looks at everything
        except ContentErrors as exc:
            snapshot = replace(self.snapshot, problems=tuple(exc.sorted()))
            self._report_problems(snapshot.problems)
        except SitegenError as exc:  # e.g. ECharts could not be fetched: said in words, in the browser too
            problem = make_error(self.builder.content_dir, 0, 0, exc.zh, exc.en)
            snapshot = replace(self.snapshot, problems=(problem,))
            self._report_problems(snapshot.problems)
        except Exception as exc:  # a bug: the traceback is for developers, the browser says something broke
            self.out(traceback.format_exc())
            snapshot = replace(self.snapshot, problems=(_internal(exc),))
        else:
            new_base = base_path(result.base_url)
            old = self.snapshot.base_path
            shown = bool(self.snapshot.files or self.snapshot.problems)  # the browser may be there
            olds = self.snapshot.old_bases + ((old,) if shown and old != new_base else ())
            retired = self.snapshot.succeeded_by(result.files)
            snapshot = Snapshot(result.files, new_base, old_bases=olds, retired=retired)
            self._report(result, first=not self.snapshot.files)
        self.snapshot = snapshot = replace(snapshot, reason=reason, generation=self.snapshot.generation + 1)
        if self._stop.is_set():
            return snapshot  # Ctrl-C during the build: the event loop is gone
        self.publish(snapshot)
        if self.output is not None and not snapshot.problems:
            self._write(snapshot)
        return snapshot

    def index_now(self) -> Snapshot:
        """Make the search index of the pages shown (if a build kept an older one) and show it with ``refresh``."""
        try:
            files = self.builder.index()
        except SitegenError as exc:  # the preview keeps the older index; tried again after the next change
            self.out(f"{_clock()} {exc}")
            return self.snapshot
        if files is None or self._stop.is_set():
            return self.snapshot
        self.snapshot = replace(self.snapshot, files=files, retired=self.snapshot.succeeded_by(files))
        self.refresh(self.snapshot)
        if self.output is not None and not self.snapshot.problems:
            self._write(self.snapshot)
        return self.snapshot

    def _build(self, changed: Collection[Path] | None) -> Rebuild:
        for attempt in range(RETRIES):
            try:
                return self.builder.build(changed)
            except OSError as exc:
                if attempt == RETRIES - 1:
                    raise ContentErrors([_unreadable(exc)]) from None
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def _write(self, snapshot: Snapshot) -> None:
        assert self.output is not None
        folders = {"content": self.builder.content_dir, "templates": self.builder.templates}
        try:
            stats = write_site(dict(snapshot.files), self.output, **folders)
        except (OSError, ContentErrors) as exc:  # refused (UnsafeOutput) or a fault (WriteFault): said in words
            self.out(f"{_clock()} could not write {display_path(self.output)}:\n{exc}")
            return
        if stats.note:
            self.out(stats.note)

    # ----------------------------------------------------------------- the terminal

    def _report(self, result: Rebuild, *, first: bool) -> None:
        ms = round(result.seconds * 1000)
        if first:
            self.out(f"{_clock()} built {result.pages} pages in {ms} ms")
        else:
            others = len(result.changed) + len(result.removed) - result.changed_pages
            extra = f" and {others} other file(s)" if others else ""
            self.out(f"{_clock()} rebuilt in {ms} ms: {result.changed_pages} page(s){extra} changed")
        if result.warnings != self._warnings:
            for warning in result.warnings:
                self.out(format_text(warning) + "\n")
            if result.warnings:
                self.out(f"{len(result.warnings)} 个警告 / {len(result.warnings)} warning(s)")
            self._warnings = result.warnings

    def _report_problems(self, problems: tuple[ContentError, ...]) -> None:
        for problem in problems:
            self.out(format_text(problem) + "\n")
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        self.out(
            f"{_clock()} {errors} 个错误，{warnings} 个警告：浏览器中显示，改正并保存后自动刷新。\n"
            f"{_clock()} {errors} error(s), {warnings} warning(s): shown in the browser until fixed."
        )


def _describe(changed: Collection[Path]) -> str:
    names = sorted(display_path(p) for p in changed)
    if len(names) <= 2:
        return ", ".join(names)
    return f"{names[0]} and {len(names) - 1} more files"


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def _unreadable(exc: OSError) -> ContentError:
    where = display_path(exc.filename) if exc.filename else "content"
    reason = exc.strerror or str(exc)
    return ContentError(where, 0, 0, f"无法读取这个文件（{reason}）。", f"The file could not be read ({reason}).")


def _internal(exc: Exception) -> ContentError:
    text = f"{type(exc).__name__}: {exc}"
    zh = f"sitegen 内部错误（详见终端）：{text}"
    return ContentError("sitegen", 0, 0, zh, f"Internal error in sitegen (see the terminal): {text}")
