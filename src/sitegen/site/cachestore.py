"""The build cache's storage: one SQLite database (standard library) in the cache folder.

Why one database and not a file per entry: on the M benchmark site (about 3,500 entries, 11 MB of parsed
sources) writing every entry took 0.04 s in one SQLite transaction against 0.12 s for the 803 source entries
alone as files (write to a temporary file, then rename), reading was the same (5–7 ms), and pruning is one
``DELETE`` instead of a scan of thousands of files.

Every entry is checked before it is trusted, so a damaged cache costs time, never a wrong page:

- a row holds the SHA-256 of its key and payload; a payload that does not match (truncated, random bytes, a
  row copied under another key) is a miss, and is written again;
- a payload is unpickled by :class:`_Unpickler`, which builds only sitegen's own classes and a few standard
  value types; anything else (another program's pickle) is a miss; so is a value of the wrong type;
- a database that SQLite cannot read (not a database, malformed) is deleted and made again, once;
- a database of another schema (:data:`SCHEMA`) is emptied.

Pickle is used only for sitegen's own objects in sitegen's own cache folder, and only through that
restricted unpickler; treat the folder as you treat the code (CI: restore it only from this repository's own
cache, never from a fork's).

Writes are atomic: the entries found in a build are written at the end of each of its stages, and whenever they
reach :data:`FLUSH_BYTES`, each time in one transaction, so a killed build leaves the database as it was or with
whole entries of its own. Two builds at once share the database (WAL journal, a few seconds' wait for the
lock); a build that cannot write simply does not add its entries. The cache is bounded: an entry not used in
the last :data:`KEEP_BUILDS` builds is deleted, and the least recently used go while the payloads exceed
:data:`MAX_BYTES` (but never the last build's).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

SCHEMA = 3
"""The layout of the database; a database of another schema is emptied."""
FILE_NAME = "cache.sqlite3"
KEEP_BUILDS = 10
"""An entry not used in this many builds is deleted."""
MAX_BYTES = 256 * 2**20
"""Payload bytes kept at most; the least recently used entries go first."""
FLUSH_BYTES = 64 * 2**20
"""New entries are written once they hold this much, not all at the end of a stage: a city site's pages and
office files would otherwise wait in memory beside the site (hundreds of MB)."""
BUSY_MS = 5000
"""How long a build waits for another one's write lock before giving up writing its entries."""
COMPRESS_FROM = 4096
"""Payloads of this many bytes or more are deflated (zlib level 1), unless they are ZIPs (office files)."""
ZIP = b"PK\x03\x04"

T = TypeVar("T")

_SAFE_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "str", "bytes", "int", "float", "bool"})
_SAFE_MODULES = frozenset({"pathlib", "datetime", "decimal", "collections", "copyreg", "types"})
_SAFE_NAMES = {
    "collections": frozenset({"OrderedDict", "defaultdict", "Counter"}),
    "copyreg": frozenset({"_reconstructor"}),
    "types": frozenset({"MappingProxyType"}),
}


class _Unpickler(pickle.Unpickler):
    """Builds sitegen's own classes, pydantic's and plain values; refuses any other global (a function to call)."""

    def find_class(self, module: str, name: str) -> object:
        top = module.partition(".")[0]
        allowed = (
            top in ("sitegen", "pydantic", "pydantic_core")
            or (module == "builtins" and name in _SAFE_BUILTINS)
            or (module in _SAFE_MODULES and name in _SAFE_NAMES.get(module, frozenset({name})))
        )
        if not allowed or name.startswith("__") or "." in name:
            raise pickle.UnpicklingError(f"not a sitegen cache value: {module}.{name}")
        return super().find_class(module, name)


def _checksum(key: bytes, payload: bytes) -> bytes:
    return hashlib.sha256(key + b"\0" + payload).digest()


def _packed(pickled: bytes, compress: bool = True) -> bytes:
    """A payload: the pickle, deflated when it is large and ``compress`` (Markdown, chart options: a fourth of
    their size)."""
    if len(pickled) < COMPRESS_FROM or not compress:
        return b"P" + pickled
    return b"Z" + zlib.compress(pickled, 1)


def _unpacked(payload: bytes) -> bytes:
    kind, body = payload[:1], payload[1:]
    if kind == b"Z":
        return zlib.decompress(body)
    if kind == b"P":
        return body
    raise ValueError("not a payload of this cache")


def _decode(key: bytes, payload: object, checksum: object, kind: type[T]) -> T | None:
    """The value of a row, or None when it is not exactly what was written for ``key``."""
    if not isinstance(payload, bytes) or not isinstance(checksum, bytes) or _checksum(key, payload) != checksum:
        return None
    collecting = gc.isenabled()
    gc.disable()  # rebuilding thousands of objects would run the cycle collector over the whole heap, often
    try:
        value = _Unpickler(io.BytesIO(_unpacked(payload))).load()
    except Exception:  # any failure to rebuild the value makes it a miss
        return None
    finally:
        if collecting:
            gc.enable()
    return value if isinstance(value, kind) else None


@dataclass
class Counts:
    """What the cache did in one build (for ``build -v`` and the tests)."""

    hits: int = 0
    misses: int = 0
    bad: int = 0
    """Entries found damaged, of a wrong type or unreadable (each also counted as a miss)."""
    written: int = 0

    def summary(self) -> str:
        damaged = f", {self.bad} damaged (computed again)" if self.bad else ""
        return f"{self.hits} reused, {self.misses} computed{damaged}, {self.written} added"


@dataclass(frozen=True)
class _Zip:
    """An office file waiting to be written: its own bytes, not a copy."""

    data: bytes


@dataclass
class Store:
    """The database in ``folder``, opened on first use. Never raises: a cache that fails is a cache that misses."""

    folder: Path
    counts: Counts = field(default_factory=Counts)
    problem: str = ""
    """Why the cache could not be used (empty when it could)."""
    _db: sqlite3.Connection | None = None
    _opened: bool = False
    _pid: int = field(default_factory=os.getpid)
    """The process the store belongs to: a worker forked from it neither reads nor writes (SQLite forbids using
    a connection across ``fork``)."""
    _pending: dict[bytes, bytes | _Zip] = field(default_factory=dict)
    _pending_bytes: int = 0
    _used: set[bytes] = field(default_factory=set)
    _build: int | None = None
    """The number of the build writing (a build writes at the end of each of its stages: one number for all)."""

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def get(self, key: bytes, kind: type[T]) -> T | None:
        """The value stored under ``key`` if it is intact and a ``kind``; else None (a miss)."""
        pending = self._pending.get(key)
        if isinstance(pending, _Zip):  # computed earlier in this build (not counted: it was counted then)
            return pending.data if isinstance(pending.data, kind) else None
        if pending is not None:
            return _decode(key, pending, _checksum(key, pending), kind)
        db = self._connection()
        row = None
        if db is not None:
            try:
                row = db.execute("SELECT payload, checksum FROM entries WHERE key = ?", (key,)).fetchone()
            except sqlite3.DatabaseError as exc:
                self._broken(exc)
        value = _decode(key, row[0], row[1], kind) if row else None
        if value is None:
            self.counts.misses += 1
            self.counts.bad += row is not None
            return None
        self.counts.hits += 1
        self._used.add(key)
        return value

    def put(self, key: bytes, value: object) -> None:
        """Keep ``value`` under ``key``; written with the others by :meth:`close`, or when they are many."""
        if isinstance(value, bytes) and value.startswith(ZIP):  # an office file: deflated already, and immutable
            self._pending[key] = _Zip(value)  # packed when written, not copied while it waits
            self._added(len(value))
            return
        with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending[key] = packed = _packed(pickled)  # else computed again
            self._added(len(packed))

    def _added(self, size: int) -> None:
        """Count a new entry's bytes; write the new entries when they reach :data:`FLUSH_BYTES`."""
        self._pending_bytes += size
        if self._pending_bytes >= FLUSH_BYTES and (db := self._connection()) is not None:
            self._written(db)

    def _written(self, db: sqlite3.Connection) -> None:
        try:
            self._write(db)
        except sqlite3.DatabaseError as exc:
            self._broken(exc)
        self._pending.clear()
        self._used.clear()
        self._pending_bytes = 0

    def new_build(self) -> None:
        """A build begins (:func:`sitegen.site.pipeline.build`): what it writes and uses counts as one more build
        for :data:`KEEP_BUILDS`, however many times it writes."""
        self._build = None

    def close(self) -> None:
        """Write the new entries, mark the used ones, prune; then close the database (in its own process)."""
        if os.getpid() != self._pid:
            self._db = None  # the parent's connection: never used or closed here
        db = self._connection() if (self._pending or self._used) else None
        if db is not None:
            self._written(db)
        self._pending.clear()
        self._used.clear()
        self._pending_bytes = 0
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = False  # the next build opens it again

    def _write(self, db: sqlite3.Connection) -> None:
        with db:  # one transaction: all of it or nothing
            db.execute("BEGIN IMMEDIATE")
            if self._build is None:
                db.execute("UPDATE meta SET builds = builds + 1")
            (build,) = db.execute("SELECT builds FROM meta").fetchone()
            build = self._build or build
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", self._rows(build))
            db.executemany("UPDATE entries SET used = ? WHERE key = ?", [(build, k) for k in self._used])
            db.execute("DELETE FROM entries WHERE used <= ?", (build - KEEP_BUILDS,))
            self._shrink(db, build)
        self._build = build
        self.counts.written += len(self._pending)

    def _rows(self, build: int) -> Iterator[tuple[bytes, bytes, bytes, int, int]]:
        """The pending entries as rows, each packed only as it is written."""
        for key, pending in self._pending.items():
            payload = pending
            if isinstance(pending, _Zip):
                payload = _packed(pickle.dumps(pending.data, protocol=pickle.HIGHEST_PROTOCOL), compress=False)
            yield key, payload, _checksum(key, payload), len(payload), build

    @staticmethod
    def _shrink(db: sqlite3.Connection, build: int) -> None:
        """The least recently used go while the payloads exceed :data:`MAX_BYTES`; never this build's (a build
        larger than the bound keeps it all: its next build is warm)."""
        (total,) = db.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()
        if total <= MAX_BYTES:
            return
        kept = 0
        for used, size in db.execute("SELECT used, SUM(size) FROM entries GROUP BY used ORDER BY used DESC"):
            kept += size
            if kept > MAX_BYTES and used < build:
                db.execute("DELETE FROM entries WHERE used <= ?", (used,))
                return

    # ----------------------------------------------------------------------- opening

    def _connection(self) -> sqlite3.Connection | None:
        if os.getpid() != self._pid:
            return None
        if not self._opened:
            self._opened = True
            self._db = self._open(retry=True)
        return self._db

    def _open(self, *, retry: bool) -> sqlite3.Connection | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            self.problem = str(exc)
            return None
        try:
            _prepare(db)
            return db
        except sqlite3.DatabaseError as exc:  # not a database, malformed, locked too long
            db.close()
            if retry and not isinstance(exc, sqlite3.OperationalError):
                self._remove()
                self.problem = f"made again: {exc}"
                return self._open(retry=False)
            self.problem = str(exc)
            return None

    def _broken(self, exc: sqlite3.DatabaseError) -> None:
        """The database failed mid-build: stop using it; a damaged one is made again by the next build."""
        self.problem = str(exc)
        if self._db is not None:
            self._db.close()
            self._db = None
        if not isinstance(exc, sqlite3.OperationalError):  # locked or busy is not damage
            self._remove()

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")


def _prepare(db: sqlite3.Connection) -> None:
    """The tables, in WAL mode; a database of another schema is emptied first."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    if _current(db):
        return
    with db:
        db.execute("BEGIN IMMEDIATE")
        if not _current(db):  # another build may have just made it
            db.execute("DROP TABLE IF EXISTS entries")
            db.execute("DROP TABLE IF EXISTS meta")
            db.execute(
                "CREATE TABLE entries (key BLOB PRIMARY KEY, payload BLOB NOT NULL, checksum BLOB NOT NULL, "
                "size INTEGER NOT NULL, used INTEGER NOT NULL)"
            )
            db.execute("CREATE INDEX entries_used ON entries (used)")
            db.execute("CREATE TABLE meta (builds INTEGER NOT NULL)")
            db.execute("INSERT INTO meta VALUES (0)")
            db.execute(f"PRAGMA user_version = {SCHEMA}")


def _current(db: sqlite3.Connection) -> bool:
    """The database has this schema's tables (reading them shows damage here rather than mid-build)."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version != SCHEMA or tables != {"entries", "meta"}:
        return False
    return db.execute("SELECT builds FROM meta").fetchone() is not None
