"""The index: every complaint's digest, kept in SQLite under the store's ignored `.complaintctl/`.

A derived cache, never committed: deleting it loses nothing (`complaintctl index --rebuild`).

* Each row is keyed by the record's path, size and modification time; `refresh` stats every record
  file and re-derives the ones whose key changed, whatever changed them (an editor, `git pull`, a
  merge), and drops the rows of files that are gone.
* A file modified within `RACY_SECONDS` of the refresh could change again within the same timestamp
  tick without its size changing, so its row is stored as "re-read next time" (git's racy-clean rule).
* The whole index is keyed by the policy file, the calendar settings (with the holidays package),
  the digest format and complaintctl's version: a change to any of them re-derives every record, so
  a policy change moves the derived deadlines.
* Two processes refreshing at once are safe: SQLite serialises the writers (WAL journal, busy
  timeout) and both write the same rows. An index that SQLite cannot open is deleted and rebuilt.
* A fresh clone derives every record, over several processes when there are many, each file's size and
  time taken from the open that reads it. With that many records to derive, a closed complaint whose
  text says so (`quickstate.py`) is kept as a *pending* row (id, state, receipt and closing instants)
  and replayed when a command first needs more of it: `list` of anything but open complaints, a report's
  period, `import`. `list --status open` and the sweep never replay it; when they build the index, the
  open complaints' digests wait too (pending 2), and so do the indexes only reports read.
* A report reads only digests: a complaint that changed after a report's cutoff is read off the
  timeline its digest carries (`engine.Moment`), never from its file again.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from complaintctl import __version__
from complaintctl.base.errors import ComplaintctlError, Problem
from complaintctl.core import digest as digest_module
from complaintctl.core.brief import Brief
from complaintctl.core.compiled import compiled
from complaintctl.core.digest import Digest
from complaintctl.store.derive import INSERT, INSERT_PENDING, AnyRow, Gone, Pending, Row, derive_all
from complaintctl.store.directory import Store
from complaintctl.store.scan import Changes, Check, as_read, changes_of, folder_of, listing_of

INDEX_FILE = "index.sqlite3"
SCHEMA = 16  # PRAGMA user_version: an index of another schema is dropped and rebuilt
RACY_SECONDS = 2.0
PENDING_FROM = 2_000  # from this many records to derive, closed ones are read off their text, replayed later
BUSY_TIMEOUT_SECONDS = 60.0
T = TypeVar("T")
_CHUNK = 500  # host parameters per `IN (...)` query, well under SQLite's limit

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    id TEXT,
    final INTEGER,
    received_at REAL,
    closed_at REAL,
    status TEXT,
    owner TEXT,
    department TEXT,
    category TEXT,
    channel TEXT,
    subject TEXT,
    next_due REAL,     -- the earliest due time of a clock still counting (not stopped, not paused)
    next_alert REAL,   -- the earliest moment the sweep has something to do: a warning or a due time
    brief BLOB,        -- the brief (brief.py), marshal: the sweep reads thousands
    error TEXT,
    has_digest INTEGER NOT NULL,
    pending INTEGER NOT NULL,  -- 1: a closed complaint not replayed yet (quickstate.py): brief, digest NULL;
                               -- 2: replayed for `list` and the sweep, its digest not derived yet
    digest BLOB        -- the digest: marshal of digest.as_row but the path
);
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, listing TEXT NOT NULL);  -- `listing_of`
-- values computed from many records, kept with a fingerprint of those records (report/keeping.py)
CREATE TABLE IF NOT EXISTS kept (name TEXT PRIMARY KEY, inputs TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_open ON records (final, received_at);
CREATE INDEX IF NOT EXISTS records_broken ON records (path) WHERE error IS NOT NULL;
"""
# What reports (and lists of closed complaints) read. A fresh build for `list` or the sweep leaves them
# to the first command that needs them (`_report_indexes`): building them is a tenth of that build.
_REPORT_INDEXES = ("records_received", "records_pending")
_REPORT_INDEXES_SQL = """
-- covering: a fingerprint of the records of a time window (`fingerprint`) reads only this index
CREATE INDEX IF NOT EXISTS records_received ON records (received_at, closed_at, path, size, mtime_ns);
CREATE INDEX IF NOT EXISTS records_pending ON records (received_at) WHERE pending > 0;
"""
# Built once after a fresh build fills the table (records_broken, nearly empty, is kept up to date).
_SECONDARY = ("records_open", *_REPORT_INDEXES)


@dataclass
class Refresh:
    """What one refresh did."""

    records: int = 0
    derived: int = 0
    removed: int = 0
    rebuilt: bool = False
    seconds: float = 0.0


# -- the index file --------------------------------------------------------------------------------

def key_of(store: Store) -> str:
    """What every digest depends on besides its own file."""
    from complaintctl.policy.files import resolve_policy

    policy_bytes = resolve_policy(store.settings.policy, base_dir=store.root).read_bytes()
    parts = [str(SCHEMA), str(digest_module.VERSION), __version__, str(marshal.version),
             hashlib.sha256(policy_bytes).hexdigest(), store.calendar.fingerprint()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def index_path(store: Store) -> Path:
    return store.state_dir / INDEX_FILE


def _connect(path: Path | str) -> sqlite3.Connection:
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    # Rows hold digests of one to three kilobytes: at the default 4 KB page, most pages held one row and
    # left the rest empty (40 % of a fresh build's file). Takes effect only when the file is made.
    connection.execute("PRAGMA page_size=16384")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA cache_size=-65536")  # 64 MB: a fresh clone's build keeps its B-trees in memory
    if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
        connection.executescript(
            "BEGIN IMMEDIATE; DROP TABLE IF EXISTS records; DROP TABLE IF EXISTS folders; "
            f"DROP TABLE IF EXISTS meta; {_SCHEMA_SQL} {_REPORT_INDEXES_SQL} PRAGMA user_version = {SCHEMA}; "
            "COMMIT;")
    return connection


def _open(store: Store) -> sqlite3.Connection:
    """The store's index, where it can be written (`indexfile`: in the store, else the user's cache)."""
    from complaintctl.store.indexfile import open_writable

    return open_writable(store, index_path(store), _connect)


class Listed(NamedTuple):
    """A complaint as `list` reads it from the index's columns."""

    path: str
    id: str
    status: str
    owner: str | None
    department: str | None
    category: str | None
    channel: str | None
    subject: str | None
    received: float
    next_due: float | None
    brief: Brief | None = None


class Index:
    """An open index; `refresh` before reading."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.connection = _open(store)
        self.last_refresh = Refresh()
        self._report_indexes_built = False

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def refresh(self, *, rebuild: bool = False, pending: bool = True, digests: bool = True) -> Refresh:
        """Re-derive the records whose file changed; drop those whose file is gone.

        A folder whose listing (names, sizes, times) is what it was costs one comparison; only the
        folders that differ are compared file by file. With many to derive, closed complaints wait until
        needed (see `quickstate.py`), and, without `digests`, so do the open ones' digests; with
        `pending=False` every record is derived in full."""
        started = time.monotonic()
        rebuilt = self._check_key(rebuild)
        return self._apply(self._changes(self._known_folders()), started, rebuilt, pending, digests)

    def _changes(self, known: dict[str, str]) -> Changes:
        # An empty index reads every file, and takes each one's size and time as it reads it.
        return changes_of(self.store, known, stat=bool(known) or not self._empty())

    def _check_key(self, rebuild: bool = False) -> bool:
        """Empty the index when what every digest depends on changed (or when asked); whether it did."""
        key = key_of(self.store)
        if not rebuild and self._meta("key") == key:
            return False
        self.connection.executescript(
            "BEGIN IMMEDIATE; DELETE FROM records; DELETE FROM folders; DELETE FROM kept; COMMIT;")
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
        return True

    def _known_folders(self) -> dict[str, str]:
        return dict(self.connection.execute("SELECT path, listing FROM folders"))

    def _apply(self, changes: Changes, started: float, rebuilt: bool, pending: bool = True,
               digests: bool = True, needed_from: datetime | None = None) -> Refresh:
        """Bring the rows of the folders that changed up to date with their files; the records received
        from `needed_from` on are derived in full (their reader needs them all)."""
        report = Refresh(records=changes.records, rebuilt=rebuilt)
        connection = self.connection
        work: list[str] = []
        gone: list[str] = []
        for folder in [*changes.changed, *changes.vanished]:
            known = {path: (size, mtime) for path, size, mtime in connection.execute(
                "SELECT path, size, mtime_ns FROM records WHERE path >= ? AND path < ?",
                (folder, folder + "\uffff"))}
            here = {folder + name: (size, mtime) for name, size, mtime in changes.changed.get(folder, [])}
            work += [path for path, stat in here.items() if known.get(path) != stat]
            gone += [path for path in known if path not in here]
        racy_from = changes.scan_started_ns - int(RACY_SECONDS * 1e9)
        # Many records to derive (a fresh clone, a big pull): the closed ones wait until needed.
        quick = compiled(self.store.policy).scan if pending and len(work) >= PENDING_FROM else None
        digest = digests or quick is None
        # Filling an empty table, the secondary indexes are built once at the end: cheaper than keeping
        # them up to date row by row.
        bulk = self._empty() and len(work) >= PENDING_FROM
        if bulk:
            connection.executescript("".join(f"DROP INDEX IF EXISTS {name};" for name in _SECONDARY))
            self._report_indexes_built = False
        read: dict[str, tuple[int, int]] = {}  # path → (size, mtime) of the file as it was read
        full_from = "\uffff" if needed_from is None else folder_of(needed_from.astimezone(self.store.tz))
        for rows in derive_all(self.store, work, quick, digest, full_from):
            rows = self._write(rows, racy_from)
            read.update(zip(map(itemgetter(0), rows), map(itemgetter(1, 2), rows), strict=True))
        if bulk:
            connection.executescript(_SCHEMA_SQL + (_REPORT_INDEXES_SQL if digest else ""))
        if changes.changed or changes.vanished:
            listings = {folder: as_read(folder, files, read) for folder, files in changes.changed.items()}
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("DELETE FROM records WHERE path = ?", [(path,) for path in gone])
            connection.executemany("DELETE FROM folders WHERE path = ?",
                                   [(folder,) for folder in changes.vanished])
            # A folder holding a racy file (or one that could not be read) keeps no listing, so that it is
            # compared file by file next time.
            settled = {folder for folder, files in listings.items()
                       if min(map(itemgetter(1), files), default=0) >= 0
                       and max(map(itemgetter(2), files), default=0) < racy_from}
            connection.executemany("INSERT OR REPLACE INTO folders VALUES (?, ?)",
                                   [(folder, listing_of(listings[folder])) for folder in settled])
            connection.executemany("DELETE FROM folders WHERE path = ?",
                                   [(folder,) for folder in changes.changed if folder not in settled])
            connection.execute("COMMIT")
        report.derived, report.removed = len(work), len(gone)
        report.seconds = time.monotonic() - started
        self.last_refresh = report
        return report

    def _report_indexes(self) -> None:
        """Build the report's indexes if a fresh build for `list` or the sweep left them out."""
        if self._report_indexes_built:
            return
        names = {name for (name,) in self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        if not names.issuperset(_REPORT_INDEXES):
            self.connection.executescript(_REPORT_INDEXES_SQL)
        self._report_indexes_built = True

    def _empty(self) -> bool:
        return not self.connection.execute("SELECT 1 FROM records LIMIT 1").fetchall()

    def _write(self, rows: list[AnyRow], racy_from: int) -> list[AnyRow]:
        """Store rows of `derive`: full ones, pending ones, and drop those of files gone; the rows as
        stored.

        A file modified at or after `racy_from` could change again within its timestamp's tick without
        its size changing: its row gets size -1, which matches no file, so it is read again next time."""
        rows = [row if row.mtime_ns < racy_from else row._replace(size=-1) for row in rows]
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.executemany("DELETE FROM records WHERE path = ?",
                                    [row[:1] for row in rows if type(row) is Gone])
        self.connection.executemany(INSERT, [row for row in rows if type(row) is Row])
        self.connection.executemany(INSERT_PENDING, [row for row in rows if type(row) is Pending])
        self.connection.execute("COMMIT")
        return rows

    def complete(self, where: str = "1", params: Sequence[Any] = (), *, digests: bool = True) -> int:
        """Derive in full the pending rows matching an SQL condition (closed complaints read off their
        text, `quickstate.py`; without `digests`, only those); how many there were."""
        self._report_indexes()
        racy_from = time.time_ns() - int(RACY_SECONDS * 1e9)
        work = [str(path) for (path,) in self.connection.execute(
            f"SELECT path FROM records WHERE pending {'> 0' if digests else '= 1'} AND ({where})", params)]
        # Each row gets the (size, mtime) of the file it is replayed from: had the file changed since the
        # refresh, the folder's listing differs next time and the row matches the file.
        for rows in derive_all(self.store, work):
            self._write(rows, racy_from)
        return len(work)

    def fingerprint(self, *, received_before: float, active_from: float) -> str:
        """A fingerprint of the records received before an instant and not closed before another: their
        paths, sizes and modification times, as the last refresh saw them."""
        self._report_indexes()
        rows = self.connection.execute(
            "SELECT path, size, mtime_ns FROM records INDEXED BY records_received WHERE received_at < ? "
            "AND (closed_at IS NULL OR closed_at >= ?)", (received_before, active_from)).fetchall()
        rows.sort()
        return hashlib.sha256(repr(rows).encode()).hexdigest()

    def kept(self, name: str, inputs: str) -> str | None:
        """The value kept under `name` if it was computed from `inputs` (a fingerprint)."""
        row = self.connection.execute("SELECT value FROM kept WHERE name = ? AND inputs = ?",
                                      (name, inputs)).fetchone()
        return None if row is None else str(row[0])

    def keep(self, name: str, inputs: str, value: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO kept VALUES (?, ?, ?)", (name, inputs, value))

    def broken(self) -> list[tuple[str, str]]:
        rows = self.connection.execute(
            "SELECT path, error FROM records INDEXED BY records_broken WHERE error IS NOT NULL ORDER BY path")
        return [(str(path), str(error)) for path, error in rows]

    def skipped(self) -> list[Problem]:
        """Why each record the index could not derive is left out, as `path:line: message` (what every
        command that reads many records reports before going on with the rest)."""
        from complaintctl.store.check import problems_of_file

        found: list[Problem] = []
        for relative, error in self.broken():
            found += problems_of_file(self.store, self.store.root / relative) or [Problem(relative, 0, error)]
        return found

    def briefs(self, *, alert_before: float) -> list[Brief]:
        """The briefs (see `brief.py`) of the open complaints with a warning or a due time before
        `alert_before`: what the sweep has to look at."""
        loads, typed = marshal.loads, Brief.from_plain
        return [typed(loads(brief)) for (brief,) in self.connection.execute(
            "SELECT brief FROM records WHERE brief IS NOT NULL AND final = 0 AND next_alert <= ? "
            "ORDER BY path", (alert_before,))]

    def files(self) -> int:
        """How many record files the index knows, broken ones included."""
        return int(self.connection.execute("SELECT count(*) FROM records").fetchone()[0])

    def count(self, *, open_only: bool = False) -> int:
        where = "(brief IS NOT NULL OR pending = 1)" + (" AND final = 0" if open_only else "")
        return int(self.connection.execute(f"SELECT count(*) FROM records WHERE {where}").fetchone()[0])

    def listed(self, where: Sequence[str], params: Sequence[Any], *, with_brief: bool = False
               ) -> list[Listed]:
        """The complaints matching SQL conditions on the `Listed` columns, nearest deadline first; with
        `with_brief`, each with its brief."""
        if "final = 0" not in where:
            self.complete(digests=False)
        columns = "path, id, status, owner, department, category, channel, subject, received_at, next_due"
        if with_brief:
            columns += ", brief"
        conditions = " AND ".join(["brief IS NOT NULL", *where])
        rows = self.connection.execute(
            f"SELECT {columns} FROM records WHERE {conditions} ORDER BY next_due IS NULL, next_due, id",
            params)
        if with_brief:
            loads, typed = marshal.loads, Brief.from_plain
            return [Listed._make((*row[:-1], typed(loads(row[-1])))) for row in rows]
        return [Listed._make((*row, None)) for row in rows]

    def digests(self, *, open_only: bool = False,
                active_between: tuple[datetime, datetime] | None = None) -> list[Digest]:
        """The digests (see `digest.py`) of every complaint, of the open ones, or of those active at some
        moment of [start, end)."""
        clauses, params = [], []
        if open_only:
            clauses.append("final = 0")
        if active_between is not None:
            start, end = active_between
            clauses.append("received_at < ? AND (closed_at IS NULL OR closed_at >= ?)")
            params += [end.timestamp(), start.timestamp()]
        if not open_only:
            self.complete(" AND ".join(clauses) or "1", params)
        clauses.append("has_digest = 1")
        from_row, shared, loads = digest_module.from_row, dict[Any, Any](), marshal.loads
        return [from_row((*loads(digest), path), shared) for digest, path in self.connection.execute(
            f"SELECT digest, path FROM records WHERE {' AND '.join(clauses)} ORDER BY path", params)]


def open_index(store: Store) -> Index:
    """The store's index, refreshed."""
    index = Index(store)
    try:
        index.refresh()
    except BaseException:
        index.close()
        raise
    return index


def read_settled(store: Store, read: Callable[[Index], T], *, digests: bool = True,
                 needed_from: datetime | None = None) -> T:
    """`read(index)` on the store's index brought up to date with the store's files. For a reader that
    needs no digests, new records' digests may wait (see `Index.refresh`); for one that needs the digest
    of every complaint received from `needed_from` on, those are derived in full at once.

    Checking every file is a good part of a warm command's time and seldom finds a change. Where a
    second core can take it, it runs in a forked process while `read` runs on what the index held; when
    it found a change, the index takes it in and `read` runs again. What `read` may write meanwhile
    (completed pending rows, kept values) is keyed by the file sizes and times it came from, so
    nothing it wrote outlives a change."""
    index = Index(store)
    checking: Check | None = None
    try:
        started = time.monotonic()
        rebuilt = index._check_key()
        known = index._known_folders()
        if rebuilt or not known or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            index._apply(index._changes(known), started, rebuilt, digests=digests, needed_from=needed_from)
            return read(index)
        checking = Check(store, known)
        failure: ComplaintctlError | None = None
        try:
            value = read(index)
        except ComplaintctlError as error:  # perhaps a record broken in the index but mended since
            failure = error
        changes = checking.result() or changes_of(store, known)
        checking = None
        index._apply(changes, started, rebuilt=False, digests=digests, needed_from=needed_from)
        if changes.changed or changes.vanished:
            return read(index)
        if failure is not None:
            raise failure
        return value
    finally:
        if checking is not None:
            checking.cancel()
        index.close()


def digests(store: Store, *, open_only: bool = False,
            active_between: tuple[datetime, datetime] | None = None) -> list[Digest]:
    """The digest of every complaint (only the open ones; or those active at some moment of
    [start, end): received before `end` and not closed before `start`), in path order."""
    with open_index(store) as index:
        return index.digests(open_only=open_only, active_between=active_between)

