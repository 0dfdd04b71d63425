"""The build cache (``.sitegen-cache/build``) only ever saves time: a warm build writes the bytes of a cold one.

Each test builds a copy of the example (narratives with placeholders, charts, news) or a small generated
site, cold (no cache) and warm (a cache filled by earlier builds), and compares every file. The cache is
damaged on purpose (truncated or random payloads, a value of the wrong type, a pickle that would run a
function, a half-written or overwritten database, a build killed while writing, a cache of another version or
schema) and must be noticed and written again; a content file made wrong must give, warm, the errors it
gives cold; two builds at once must leave the cache whole; ``--no-cache`` must neither read nor write it.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import pickle
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sitegen.errors import ContentErrors
from sitegen.review.sitecheck import read_tree
from sitegen.site import buildcache, cachestore, keptfiles, theme, vendor
from sitegen.site.buildcache import BuildCache
from sitegen.site.cachestore import FILE_NAME, KEEP_BUILDS, Store
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 12, 1)
YEAR_FILE = "units/xinzhou-office/2023.yaml"
NARRATIVE = "units/xinzhou-office/2023.zh.md"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the example content, to edit, and beside it one of the theme (:func:`templates`)."""
    shutil.copytree(theme.theme_dir(), tmp_path / "templates")
    return shutil.copytree(ROOT / "content", tmp_path / "content")


def templates(content: Path) -> Path:
    """The theme as it was when the test began: every build of a test renders with the same templates."""
    return content.parent / "templates"


def files_of(content: Path, cache: BuildCache | None, output: Path | None = None) -> dict[str, bytes]:
    """Every file of the site: written to ``output`` and read back, or in memory."""
    folder, write = output or Path("unused"), output is not None
    result = build(content, folder, templates=templates(content), write=write, today=TODAY, cache=cache)
    return read_tree(output) if output is not None else result.files


def located(content: Path, cache: BuildCache | None) -> list[tuple[object, ...]]:
    """The problems a build of ``content`` stops at, as everything an editor sees of them."""
    with pytest.raises(ContentErrors) as raised:
        files_of(content, cache)
    return [(e.path, e.line, e.column, e.severity, e.zh, e.en, e.source_line) for e in raised.value.sorted()]


def database(cache: BuildCache) -> sqlite3.Connection:
    return sqlite3.connect(cache.folder / FILE_NAME, isolation_level=None)


def keys(cache: BuildCache) -> set[bytes]:
    with database(cache) as db:
        return {key for (key,) in db.execute("SELECT key FROM entries")}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- warm = cold


def test_a_warm_build_writes_every_byte_of_a_cold_one(content: Path, tmp_path: Path) -> None:
    cold = files_of(content, None, tmp_path / "cold")
    filling = BuildCache(tmp_path / "cache")
    assert files_of(content, filling, tmp_path / "first") == cold
    assert filling.counts.written == filling.counts.misses > 0 and filling.counts.hits == 0
    shutil.rmtree(tmp_path / "cache" / keptfiles.FOLDER)  # else the written files are linked back: no build
    warm = BuildCache(tmp_path / "cache")
    assert files_of(content, warm, tmp_path / "warm") == cold
    assert warm.counts.misses == 0  # (it records again what it wrote, for the next no-op rebuild)
    assert 0 < warm.counts.hits < filling.counts.misses  # the units' pages come rendered: not their parts
    assert len(cold) > 100


def test_each_kind_of_entry_is_reused(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed YAML, converted Markdown and chart options all come from the cache when warm."""
    files_of(content, BuildCache(tmp_path / "cache"))
    asked: dict[str, int] = {}
    key = BuildCache.key

    def counting(self: BuildCache, kind: str, *parts: object) -> bytes | None:
        asked[kind] = asked.get(kind, 0) + 1
        return key(self, kind, *parts)

    monkeypatch.setattr(BuildCache, "key", counting)
    computed = []
    monkeypatch.setattr(buildcache, "parse_yaml_partial", lambda *a: computed.append(a))
    monkeypatch.setattr("sitegen.site.markup.render_markdown", lambda *a: computed.append(a))
    monkeypatch.setattr("sitegen.site.chartoptions._options", lambda *a: computed.append(a))
    warm = BuildCache(tmp_path / "cache")
    files_of(content, warm)
    assert computed == [] and warm.counts.misses == 0
    assert asked.keys() >= {"yaml", "markdown", "chart", "search"} and min(asked.values()) > 0


def test_a_changed_source_is_computed_again(content: Path, tmp_path: Path) -> None:
    """A figure edited changes the parsed file, the narrative's {{ participants }} and the charts."""
    cache = BuildCache(tmp_path / "cache")
    before = files_of(content, cache)
    edit(content / YEAR_FILE, "participants: 44", "participants: 45")
    edit(content / NARRATIVE, "2023年是", "二〇二三年是")
    cold = files_of(content, None)
    warm = BuildCache(tmp_path / "cache")
    assert files_of(content, warm) == cold != before
    assert warm.counts.misses > 0 and warm.counts.hits > 0


# --------------------------------------------------------------------------- damaged entries


def _truncated(key: bytes, payload: bytes, checksum: bytes) -> tuple[bytes, bytes]:
    return payload[: len(payload) // 2], checksum


def _random(key: bytes, payload: bytes, checksum: bytes) -> tuple[bytes, bytes]:
    return random.Random(key).randbytes(len(payload)), checksum


def _random_with_checksum(key: bytes, payload: bytes, checksum: bytes) -> tuple[bytes, bytes]:
    junk = random.Random(key).randbytes(len(payload))
    return junk, cachestore._checksum(key, junk)


def _wrong_type(key: bytes, payload: bytes, checksum: bytes) -> tuple[bytes, bytes]:
    other = cachestore._packed(pickle.dumps(12345))  # intact, of the wrong type
    return other, cachestore._checksum(key, other)


@pytest.mark.parametrize("damage", [_truncated, _random, _random_with_checksum, _wrong_type])
def test_a_damaged_entry_is_a_miss_and_is_written_again(damage, content: Path, tmp_path: Path) -> None:
    cold = files_of(content, None)
    files_of(content, BuildCache(tmp_path / "cache"))
    cache = BuildCache(tmp_path / "cache")
    with database(cache) as db:
        rows = db.execute("SELECT key, payload, checksum FROM entries").fetchall()
        damaged = [(*damage(*row), row[0]) for row in rows]
        db.executemany("UPDATE entries SET payload = ?, checksum = ? WHERE key = ?", damaged)
    assert files_of(content, cache) == cold
    assert cache.counts.bad == cache.counts.misses == cache.counts.written == len(rows)  # each damaged row once
    again = BuildCache(tmp_path / "cache")
    assert files_of(content, again) == cold and again.counts.bad == again.counts.misses == 0


def test_a_pickle_that_would_call_a_function_is_refused(content: Path, tmp_path: Path) -> None:
    marker = tmp_path / "still-here"
    marker.write_text("x")

    class Remove:
        def __reduce__(self) -> tuple[object, ...]:
            return os.remove, (str(marker),)

    cold = files_of(content, None)
    files_of(content, BuildCache(tmp_path / "cache"))
    cache = BuildCache(tmp_path / "cache")
    payload = cachestore._packed(pickle.dumps(Remove()))  # well formed: the unpickler must refuse it
    with database(cache) as db:
        db.executemany(
            "UPDATE entries SET payload = ?, checksum = ? WHERE key = ?",
            [(payload, cachestore._checksum(key, payload), key) for key in keys(cache)],
        )
    assert files_of(content, cache) == cold
    assert marker.exists() and cache.counts.bad > 0
    with pytest.raises(pickle.UnpicklingError):  # refused by the unpickler, not by the payload's form
        cachestore._Unpickler(io.BytesIO(cachestore._unpacked(payload))).load()


@pytest.mark.parametrize("how", ["overwritten", "half"])
def test_a_damaged_database_is_made_again(how: str, content: Path, tmp_path: Path) -> None:
    cold = files_of(content, None)
    cache = BuildCache(tmp_path / "cache")
    files_of(content, cache)
    path = cache.folder / FILE_NAME
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        path.with_name(FILE_NAME + suffix).unlink(missing_ok=True)
    path.write_bytes(random.Random(1).randbytes(len(data)) if how == "overwritten" else data[: len(data) // 2])
    damaged = BuildCache(tmp_path / "cache")
    assert files_of(content, damaged) == cold
    assert damaged.store.problem  # said why it could not read it
    again = BuildCache(tmp_path / "cache")
    assert files_of(content, again) == cold
    again_warm = BuildCache(tmp_path / "cache")
    assert files_of(content, again_warm) == cold and again_warm.counts.misses == 0


KILLED_CHILD = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.site import cachestore
def dying(self, db):  # the write of a build, killed halfway through its transaction
    db.execute("BEGIN IMMEDIATE")
    rows = [(k, b"junk", b"x", 4, 1) for k in self._pending]
    db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
    os.kill(os.getpid(), signal.SIGKILL)
cachestore.Store._write = dying
from sitegen.site.buildcache import BuildCache
from sitegen.site.pipeline import build
import datetime
build(Path(sys.argv[2]), Path("unused"), templates=Path(sys.argv[3]), write=False, today=datetime.date(2025, 12, 1),
      cache=BuildCache(Path(sys.argv[4])))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this system")
def test_a_build_killed_while_writing_leaves_the_cache_as_it_was(content: Path, tmp_path: Path) -> None:
    cold = files_of(content, None)
    cache = BuildCache(tmp_path / "cache")
    files_of(content, cache)
    before = keys(cache)
    edit(content / YEAR_FILE, "participants: 44", "participants: 45")  # new entries to write
    edit(content / NARRATIVE, "2023年是", "二〇二三年是")
    args = [str(ROOT / "src"), str(content), str(templates(content)), str(cache.folder)]
    proc = subprocess.run([sys.executable, "-c", KILLED_CHILD, *args], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert keys(cache) == before
    with database(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    edit(content / YEAR_FILE, "participants: 45", "participants: 44")
    edit(content / NARRATIVE, "二〇二三年是", "2023年是")
    warm = BuildCache(tmp_path / "cache")
    assert files_of(content, warm) == cold and warm.counts.bad == warm.counts.misses == 0


# --------------------------------------------------------------------------- other versions


def test_a_cache_of_another_version_is_not_used(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = files_of(content, None)
    monkeypatch.setattr(buildcache, "version_key", lambda: b"sitegen 0.0.1 of another day")
    files_of(content, BuildCache(tmp_path / "cache"))
    monkeypatch.undo()
    ours = BuildCache(tmp_path / "cache")
    assert files_of(content, ours) == cold
    assert ours.counts.hits == 0 and ours.counts.written > 0  # its entries stay until pruned


def test_the_version_key_follows_the_package_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = shutil.copytree(theme.PACKAGE, tmp_path / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(theme, "PACKAGE", package)
    first = buildcache.package_key()
    assert buildcache.package_key() == first
    with (package / "site" / "markup.py").open("a", encoding="utf-8") as f:
        f.write("\n# a change\n")
    assert buildcache.package_key() != first


def test_a_database_of_another_schema_is_emptied(content: Path, tmp_path: Path) -> None:
    cold = files_of(content, None)
    cache = BuildCache(tmp_path / "cache")
    files_of(content, cache)
    with database(cache) as db:
        db.execute(f"PRAGMA user_version = {cachestore.SCHEMA + 1}")
        db.execute("UPDATE entries SET payload = X'00'")  # another layout: nothing in it may be read
    other = BuildCache(tmp_path / "cache")
    assert files_of(content, other) == cold and other.counts.hits == other.counts.bad == 0


# --------------------------------------------------------------------------- errors are never cached


@pytest.mark.parametrize(
    "old, new",
    [
        ("participants: 44", "participants: 很多"),  # parses, does not validate
        ("    participants: 44", "    participants：44"),  # a full-width colon: the parse finds it
        ("    participants: 44", "\tparticipants: 44"),  # a tab
    ],
)
def test_a_wrong_file_gives_the_same_errors_warm_as_cold(old: str, new: str, content: Path, tmp_path: Path) -> None:
    files_of(content, BuildCache(tmp_path / "cache"))  # the cache holds the good file
    edit(content / YEAR_FILE, old, new)
    cold = located(content, None)
    assert any(p[0].endswith(YEAR_FILE) and p[3] == "error" for p in cold)
    assert located(content, BuildCache(tmp_path / "cache")) == cold
    assert located(content, BuildCache(tmp_path / "cache")) == cold  # the wrong file was not kept as good


def test_a_narrative_made_wrong_gives_the_same_errors_warm_as_cold(content: Path, tmp_path: Path) -> None:
    files_of(content, BuildCache(tmp_path / "cache"))
    edit(content / NARRATIVE, "{{ events }}", "{{ evnets }}")
    cold = located(content, None)
    assert any("evnets" in p[5] for p in cold)
    for _ in range(2):
        assert located(content, BuildCache(tmp_path / "cache")) == cold


# --------------------------------------------------------------------------- two builds at once

BUILD_CHILD = """
import datetime, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.site.buildcache import BuildCache
from sitegen.site.pipeline import build
cache = BuildCache(Path(sys.argv[4]))
build(Path(sys.argv[2]), Path(sys.argv[5]), templates=Path(sys.argv[3]), today=datetime.date(2025, 12, 1), cache=cache)
print(json.dumps(cache.counts.__dict__))
"""


def test_two_builds_at_once_share_the_cache(content: Path, tmp_path: Path) -> None:
    cold = files_of(content, None)
    folder = tmp_path / "cache"
    for round_ in ("cold", "warm"):
        outputs = [tmp_path / f"{round_}-{n}" for n in range(2)]
        args = [str(ROOT / "src"), str(content), str(templates(content)), str(folder)]
        procs = [
            subprocess.Popen([sys.executable, "-c", BUILD_CHILD, *args, str(out)], stdout=subprocess.PIPE, text=True)
            for out in outputs
        ]
        counts = [json.loads(proc.communicate(timeout=300)[0]) for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0]
        assert all(read_tree(out) == cold for out in outputs)
        assert all(c["bad"] == 0 for c in counts)
        with sqlite3.connect(folder / FILE_NAME) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert all(c["hits"] > 0 for c in counts)  # the warm round read what the cold one wrote
    assert files_of(content, BuildCache(folder)) == cold


# --------------------------------------------------------------------------- bounded


def test_entries_not_used_in_the_last_builds_are_pruned(tmp_path: Path) -> None:
    def stored() -> set[bytes]:
        with sqlite3.connect(tmp_path / FILE_NAME) as db:
            return {key for (key,) in db.execute("SELECT key FROM entries")}

    store = Store(tmp_path)
    store.put(b"old", "used by the first build only")
    store.put(b"new", "used by every build")
    store.close()
    for _ in range(KEEP_BUILDS - 1):
        store.new_build()
        assert store.get(b"new", str) == "used by every build"
        store.close()
        store.close()  # nothing used: not written
        store.put(b"more", "another stage of the same build")
        store.close()  # a build writes at the end of each stage: still one build
        store.new_build()  # a build that used nothing does not count
        store.close()
    assert stored() == {b"old", b"new", b"more"}  # used in the last KEEP_BUILDS builds
    store.new_build()
    assert store.get(b"new", str) is not None
    store.close()
    assert stored() == {b"new", b"more"}


def test_the_cache_stays_under_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cachestore, "MAX_BYTES", 10_000)
    store = Store(tmp_path)
    for n in range(20):
        store.new_build()
        store.put(f"entry {n}".encode(), bytes(3000))
        store.close()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        (total,) = db.execute("SELECT SUM(size) FROM entries").fetchone()
    assert 0 < total <= 10_000
    assert store.get(b"entry 19", bytes) == bytes(3000) and store.get(b"entry 0", bytes) is None


def test_a_build_larger_than_the_cache_keeps_all_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its stages each write; none deletes what an earlier stage of the same build wrote (a 300-unit site's
    cache was emptied by its own build, and the next build was cold)."""
    monkeypatch.setattr(cachestore, "MAX_BYTES", 10_000)
    store = Store(tmp_path)
    store.put(b"before", bytes(3000))
    store.close()
    store.new_build()
    for stage in range(5):
        store.put(f"stage {stage}".encode(), bytes(3000))
        store.close()
    assert all(store.get(f"stage {stage}".encode(), bytes) for stage in range(5))
    assert store.get(b"before", bytes) is None  # an earlier build's goes first


# --------------------------------------------------------------------------- the command line


def _cli(*args: str, content: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, vendor.CACHE_ENV: str(cache), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, str(ROOT / "build.py"), *args, "-c", str(content)]
    command += ["--templates", str(templates(content)), "--today", "2025-12-01"]
    run = {"cwd": content.parent, "env": env, "capture_output": True, "text": True, "encoding": "utf-8"}
    return subprocess.run(command, **run, timeout=600)


def test_the_command_line_uses_the_cache_unless_told_not_to(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    echarts = vendor.ensure_echarts().directory
    shutil.copytree(echarts, cache / echarts.name)  # $SITEGEN_CACHE_DIR holds the ECharts download too
    plain = ["build", "-v"]
    proc = _cli(*plain, "-o", str(tmp_path / "none"), "--no-cache", content=content, cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert not (cache / "build").exists() and f"cache {cache / 'build'}" not in proc.stderr
    proc = _cli("check", content=content, cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (cache / "build" / FILE_NAME).is_file()  # check fills it too
    proc = _cli(*plain, "-o", str(tmp_path / "first"), content=content, cache=cache)
    assert proc.returncode == 0, proc.stderr
    proc = _cli(*plain, "-o", str(tmp_path / "warm"), content=content, cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert f"cache {cache / 'build'}: " in proc.stderr and " 0 computed" in proc.stderr
    assert read_tree(tmp_path / "warm") == read_tree(tmp_path / "none") == read_tree(tmp_path / "first")
    proc = _cli("check", "--determinism", content=content, cache=cache)  # warm, against a cold one
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- nothing to do


def _written(content: Path, output: Path, cache: BuildCache | None, **options: object):  # -> BuildResult
    return build(content, output, templates=templates(content), today=TODAY, cache=cache, **options)


def test_a_rebuild_with_nothing_changed_touches_nothing(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = _written(content, output, BuildCache(tmp_path / "cache"))
    stamps = {p: p.stat().st_mtime_ns for p in output.rglob("*")}
    again = _written(content, output, BuildCache(tmp_path / "cache"))
    assert [name for name, _ in again.timings] == ["inputs", "total"]  # nothing loaded, rendered or written
    assert again.stats is not None and (again.stats.written, again.stats.removed) == (0, 0)
    assert again.files == first.files == read_tree(output)
    assert (again.warnings, again.translation, again.pages) == (first.warnings, first.translation, first.pages)
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*")} == stamps


@pytest.mark.parametrize("change", ["edited", "content", "template", "argument"])
def test_any_change_of_inputs_builds_again(change: str, content: Path, tmp_path: Path) -> None:
    """A changed input builds; so does a hand-edited output file: edited in place, it edited its kept twin (the
    same file, linked), which no longer matches its digest."""
    output = tmp_path / "output"
    _written(content, output, BuildCache(tmp_path / "cache"))
    page = output / "zh" / "index.html"
    options: dict[str, object] = {}
    if change == "edited":
        page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>hand-edited</p></main>"))
    elif change == "content":
        edit(content / NARRATIVE, "2023年是", "二〇二三年是")
    elif change == "template":
        edit(templates(content) / "base.html", "</footer>", "<!-- changed --></footer>")
    else:
        options["base_url"] = "https://www.example.gov.cn/other/"
    again = _written(content, output, BuildCache(tmp_path / "cache"), **options)
    assert "load" in dict(again.timings)
    fresh = _written(content, tmp_path / "fresh", None, **options)
    assert read_tree(output) == read_tree(tmp_path / "fresh") == fresh.files


@pytest.mark.parametrize("change", ["deleted", "added", "replaced", "gone"])
def test_a_changed_or_missing_output_is_written_again_from_the_kept_files(
    change: str, content: Path, tmp_path: Path
) -> None:
    """Inputs as they were, the output not: the files that build wrote, kept in the cache, are linked back,
    nothing is built, and the output is what a fresh build writes."""
    output = tmp_path / "output"
    first = _written(content, output, BuildCache(tmp_path / "cache"))
    page = output / "zh" / "index.html"
    if change == "deleted":
        page.unlink()
    elif change == "added":
        (output / "zh" / "stray.html").write_text("not ours")
    elif change == "replaced":  # a new file in its place (not the kept file edited)
        data = page.read_bytes()
        page.unlink()
        page.write_bytes(data.replace(b"</main>", b"<p>hand-edited</p></main>"))
    else:
        shutil.rmtree(output)
    again = _written(content, output, BuildCache(tmp_path / "cache"))
    assert [name for name, _ in again.timings] == ["inputs", "write", "total"]
    assert read_tree(output) == again.files == first.files == files_of(content, None)
    assert (again.warnings, again.translation, again.pages) == (first.warnings, first.translation, first.pages)
    assert again.stats is not None and again.stats.removed == (change == "added")


@pytest.mark.parametrize("damage", ["edited", "deleted"])
def test_a_damaged_kept_file_is_noticed_and_the_site_built(damage: str, content: Path, tmp_path: Path) -> None:
    output, kept = tmp_path / "output", tmp_path / "cache" / keptfiles.FOLDER
    _written(content, output, BuildCache(tmp_path / "cache"))
    shutil.rmtree(output)
    victim = next(p for p in sorted(kept.iterdir()) if p.name != keptfiles.LEDGER)
    if damage == "edited":
        victim.write_bytes(victim.read_bytes() + b" ")
    else:
        victim.unlink()
    again = _written(content, output, BuildCache(tmp_path / "cache"))
    assert "load" in dict(again.timings)
    assert read_tree(output) == files_of(content, None)
    assert hashlib.sha256(victim.read_bytes()).hexdigest() == victim.name  # kept again, whole
    shutil.rmtree(output)
    assert "load" not in dict(_written(content, output, BuildCache(tmp_path / "cache")).timings)


def test_kept_files_are_links_and_go_once_no_recent_build_has_them(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keptfiles, "KEEP_BUILDS", 2)
    output, kept = tmp_path / "output", tmp_path / "cache" / keptfiles.FOLDER
    page = output / "zh" / "index.html"

    def digests(result) -> set[str]:
        return {hashlib.sha256(data).hexdigest() for data in result.files.values()}

    builds = [digests(_written(content, output, BuildCache(tmp_path / "cache")))]
    assert page.stat().st_nlink == 2 and (kept / hashlib.sha256(page.read_bytes()).hexdigest()).is_file()
    assert {p.name for p in kept.iterdir()} - {keptfiles.LEDGER} == builds[0]
    for mark in ("甲", "乙", "丙"):  # three more builds, each with other pages of the edited unit
        edit(content / NARRATIVE, "2023年是", f"{mark}2023年是")
        builds.append(digests(_written(content, output, BuildCache(tmp_path / "cache"))))
    assert {p.name for p in kept.iterdir()} - {keptfiles.LEDGER} == builds[-1] | builds[-2]
    assert builds[0] - builds[-1] - builds[-2]  # the first build's own pages, gone


def test_a_new_output_of_a_changed_site_links_the_files_kept_with_the_same_bytes(content: Path, tmp_path: Path) -> None:
    """A CI job: its cache restored, no output, one file changed. The pages that did not change are linked from
    the kept files, not written; a kept file damaged in place is noticed and the page written."""
    output, kept = tmp_path / "output", tmp_path / "cache" / keptfiles.FOLDER
    _written(content, output, BuildCache(tmp_path / "cache"))
    damaged = kept / hashlib.sha256((output / "404.html").read_bytes()).hexdigest()  # the same in the next build
    shutil.rmtree(output)
    damaged.write_bytes(damaged.read_bytes().replace(b"</main>", b"<p>damaged</p></main>"))
    before = {p.stat().st_ino for p in kept.iterdir()}
    edit(content / NARRATIVE, "2023年是", "二〇二三年是")
    again = _written(content, output, BuildCache(tmp_path / "cache"))
    assert "load" in dict(again.timings)
    assert read_tree(output) == files_of(content, None)
    linked = [p for p in output.rglob("*") if p.is_file() and p.stat().st_ino in before]
    assert len(linked) > len(again.files) // 2  # most pages did not change
    assert b"damaged" not in b"".join(p.read_bytes() for p in output.rglob("*.html"))
    assert not (output / "404.html").samefile(damaged)


def test_the_kept_files_of_older_builds_go_past_their_size(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keptfiles, "MAX_BYTES", 1)  # only the newest build's, however large
    output, kept = tmp_path / "output", tmp_path / "cache" / keptfiles.FOLDER
    _written(content, output, BuildCache(tmp_path / "cache"))
    edit(content / NARRATIVE, "2023年是", "甲2023年是")
    last = _written(content, output, BuildCache(tmp_path / "cache"))
    expected = {hashlib.sha256(data).hexdigest() for data in last.files.values()}
    assert {p.name for p in kept.iterdir()} - {keptfiles.LEDGER} == expected


def test_no_files_are_kept_where_they_cannot_be_linked(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache on another file system than the output: keeping would cost a copy of every file."""

    def cross_device(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(keptfiles.os, "link", cross_device)
    output = tmp_path / "output"
    _written(content, output, BuildCache(tmp_path / "cache"))
    assert not [p for p in (tmp_path / "cache" / keptfiles.FOLDER).iterdir() if p.name != keptfiles.LEDGER]
    shutil.rmtree(output)
    assert "load" in dict(_written(content, output, BuildCache(tmp_path / "cache")).timings)
    assert read_tree(output) == files_of(content, None)


@pytest.mark.parametrize("what", ["staging", "old"])
def test_an_interrupted_write_is_cleaned_up_even_when_nothing_changed(what: str, content: Path, tmp_path: Path) -> None:
    """A build killed while writing leaves a folder beside the output; the next build removes it, although the
    output itself is still what the kept build wrote (the no-op shortcut does not apply then: the output is
    written again)."""
    output = tmp_path / "output"
    _written(content, output, BuildCache(tmp_path / "cache"))
    leftover = tmp_path / f".output.{what}"
    shutil.copytree(output, leftover)  # as a killed write leaves it: our marker in it
    again = _written(content, output, BuildCache(tmp_path / "cache"))
    assert "write" in dict(again.timings) and not leftover.exists()
    assert read_tree(output) == again.files


def test_every_argument_of_a_build_is_in_the_key_or_known_not_to_change_the_output() -> None:
    import inspect

    from sitegen.site import uptodate

    arguments = set(inspect.signature(build).parameters)
    assert arguments == uptodate.ARGUMENTS | uptodate.NOT_OUTPUT, "add a new argument to uptodate.ARGUMENTS"


def test_serve_builds_from_the_cache(content: Path, tmp_path: Path) -> None:
    from sitegen.preview.incremental import SiteBuilder

    plain = SiteBuilder(content, templates(content), TODAY).build().files
    SiteBuilder(content, templates(content), TODAY, cache=BuildCache(tmp_path / "cache")).build()
    warm = BuildCache(tmp_path / "cache")
    assert SiteBuilder(content, templates(content), TODAY, cache=warm).build().files == plain
    assert warm.counts.hits > 0 and warm.counts.misses == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_worker_leaves_the_parents_database_alone(tmp_path: Path) -> None:
    """Render workers are forked while a build's cache is open: they must not use its SQLite connection."""
    store = Store(tmp_path)
    store.put(b"kept", "by the parent")
    store.close()
    assert store.get(b"kept", str) == "by the parent"  # the parent's connection is open now
    child = os.fork()
    if child == 0:  # the worker: sees no cache, and closing it must not close the parent's connection
        code = 0 if store.get(b"kept", str) is None else 3
        store.put(b"child", "never written")
        store.close()
        os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    store.put(b"after", "the worker ended")
    store.close()
    again = Store(tmp_path)
    assert (again.get(b"kept", str), again.get(b"after", str), again.get(b"child", str)) == (
        "by the parent",
        "the worker ended",
        None,
    )


def test_office_files_are_kept_as_they_are_and_other_large_values_deflated(tmp_path: Path) -> None:
    """An office file is a ZIP, deflated already: deflating it again cost a city site's clean build more than it
    saved. Large Markdown and chart options are deflated; both read back as they were put."""
    cache = BuildCache(tmp_path / "cache")
    office = b"PK\x03\x04" + random.Random(1).randbytes(20_000)
    text = "宪法宣传周" * 2_000
    cache.put(cache.key("office", "a"), office)
    cache.put(cache.key("markdown", "b"), text)
    pending = cache.store._pending
    assert pending[cache.key("office", "a")].data is office  # not copied until it is written
    assert pending[cache.key("markdown", "b")][:1] == b"Z"
    assert cache.get(cache.key("office", "a"), bytes) == office and cache.get(cache.key("markdown", "b"), str) == text
    cache.store.close()
    with database(cache) as db:
        payloads = dict(db.execute("SELECT key, payload FROM entries"))
    assert payloads[cache.key("office", "a")][:1] == b"P" and payloads[cache.key("markdown", "b")][:1] == b"Z"
    again = BuildCache(tmp_path / "cache")
    assert again.get(cache.key("office", "a"), bytes) == office and again.get(cache.key("markdown", "b"), str) == text
