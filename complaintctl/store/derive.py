"""Deriving a record's index row: reading its file (one open for its bytes, size and time), replaying it
through the engine into its brief and digest, or, for a closed record of a fresh clone, reading its
state off its text (`quickstate`); many records over every core in forked workers."""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from complaintctl.base.errors import ComplaintctlError
from complaintctl.core import digest as digest_module
from complaintctl.core.brief import Brief
from complaintctl.core.digest import Digest
from complaintctl.core.quickstate import Plan, closed_of
from complaintctl.store.directory import Store

PARALLEL_FROM = 2_000  # below this many records to derive, one process is faster than starting more


def intake_and_history(text: str, display: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The record as plain data, read by the fast reader of the canonical format, else (a hand edit it
    is not sure of) by the full YAML loader; ValueError when it has no history."""
    from complaintctl.records.fastread import parse_record

    plain = parse_record(text)
    if plain is None:
        from complaintctl.records import yamlio

        plain = yamlio.load_plain(text, display)
    history = plain.get("history")
    if not isinstance(history, list):
        raise ValueError("no history")
    return {key: value for key, value in plain.items() if key != "history"}, history


def derive(store: Store, relative: str, text: str, digest: bool = True
           ) -> tuple[Digest | None, Brief | None, str | None]:
    """The digest (None without `digest`) and the brief of one record's text, or the reason it has none
    (it is broken)."""
    from complaintctl.core import engine
    from complaintctl.core.brief import brief_of

    try:
        intake, history = intake_and_history(text, relative)
        view = engine.replay(store.policy, store.calendar, intake, history, timeline=digest)
        item = digest_module.digest_of(view, store.calendar, relative) if digest else None
        brief = brief_of(view, store.calendar, history, relative)
    except (ComplaintctlError, KeyError, ValueError, TypeError, AttributeError) as error:
        return None, None, str(error)
    return item, brief, None


class Row(NamedTuple):
    """A record's row, replayed (or broken: `error` set, the rest empty)."""

    path: str
    size: int
    mtime_ns: int
    id: str | None
    final: int | None
    received_at: float | None
    closed_at: float | None
    status: str | None
    owner: str | None
    department: str | None
    category: str | None
    channel: str | None
    subject: str | None
    next_due: float | None
    next_alert: float | None
    brief: bytes | None  # Brief.as_plain(), marshal
    error: str | None
    has_digest: int
    pending: int  # 2: replayed for `list` and the sweep, its digest not derived yet
    digest: bytes | None  # digest.as_row but the path, marshal


class Pending(NamedTuple):
    """A closed record read off its text (`quickstate`), replayed when a command needs more of it. It
    binds only what it has: binding the empty columns took three times as long."""

    path: str
    size: int
    mtime_ns: int
    id: str
    received_at: float
    closed_at: float
    status: str


class Gone(NamedTuple):
    """A file that went between the scan and its reading (a pull, a merge): its row is dropped."""

    path: str
    size: int = -1
    mtime_ns: int = -1


AnyRow = Row | Pending | Gone
UNSEEN = (-1, -1)  # the (size, mtime) of a file not stat'ed, or gone: it matches no row
INSERT_PENDING = ("INSERT OR REPLACE INTO records (path, size, mtime_ns, id, received_at, closed_at, "
                   "status, final, has_digest, pending) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, 1)")
INSERT = "INSERT OR REPLACE INTO records ({}) VALUES ({})".format(
    ", ".join(Row._fields), ", ".join("?" * len(Row._fields)))


def read_with_stat(path: str) -> tuple[bytes, int, int]:
    """A file's bytes with the size and modification time of that same file, from one open.

    `os.open`/`os.read` rather than `open()`: a fresh clone reads every record, and the file object
    costs as much again as the reading itself."""
    handle = os.open(path, os.O_RDONLY)
    try:
        stat = os.fstat(handle)
        data = os.read(handle, stat.st_size + 1)
        if len(data) > stat.st_size:  # it grew since the stat: read to the end (its time is racy anyway)
            while more := os.read(handle, 1 << 16):
                data += more
    finally:
        os.close(handle)
    return data, stat.st_size, stat.st_mtime_ns


def _broken_row(relative: str, size: int, mtime_ns: int, error: str) -> Row:
    return Row(relative, size, mtime_ns, None, None, None, None, None, None, None, None, None, None, None,
               None, None, error, 0, 0, None)


def _row(store: Store, relative: str, quick: Plan | None = None, digest: bool = True) -> AnyRow:
    """The index row of one record, with the size and time of the file as it was read; with `quick`, a
    pending row (path, size, mtime, id, received, closed, status) when its text shows it closed; without
    `digest`, a row whose digest waits until a report needs it (pending 2)."""
    try:
        data, size, mtime_ns = read_with_stat(f"{store.root}/{relative}")
    except FileNotFoundError:
        return Gone(relative)
    except OSError as error:
        return _broken_row(relative, -1, 0, str(error))  # size -1 matches no file: read again next time
    if quick is not None:
        closed = closed_of(data, quick)
        if closed is not None:
            return Pending(relative, size, mtime_ns, closed.id, closed.received, closed.closed, closed.status)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _broken_row(relative, size, mtime_ns, str(error))
    item, brief, error_text = derive(store, relative, text, digest)
    if brief is None:
        return _broken_row(relative, size, mtime_ns, str(error_text))
    closed_at = brief.closed if brief.final else None
    counting = brief.running()
    next_due = min((run.due for run in counting), default=None)
    next_alert = min((run.warn if run.warn is not None else run.due for run in counting), default=None)
    values = brief.values
    # has_digest, pending, digest: marshal, as a report reads tens of thousands of digests and marshal
    # hands them back several times faster than SQLite does thirty columns (or JSON decodes them)
    stored = (0, 2, None) if item is None else (1, 0, marshal.dumps(digest_module.as_row(item)[:-1]))
    return Row(relative, size, mtime_ns, brief.id, int(brief.final), brief.received, closed_at,
               brief.status, brief.owner, brief.department, _column(values.get("category")),
               _column(values.get("channel")), _column(values.get("subject")), next_due, next_alert,
               marshal.dumps(brief.as_plain()), None, *stored)


def _column(value: object) -> str | None:
    """A value as the index's text column holds it: a record edited by hand may hold a list or a mapping
    where a code belongs (`check` reports it); the column keeps no such value rather than failing."""
    if value is None or isinstance(value, list | dict):
        return None
    return str(value)


# Set in the parent before forking, so that workers share its loaded policy and calendar.
_WORKER_STORE: Store | None = None
_WORKER_QUICK: Plan | None = None
_WORKER_DIGEST = True
_WORKER_FULL_FROM = "\uffff"


def _rows(store: Store, work: Sequence[str], quick: Plan | None, digest: bool, full_from: str
          ) -> list[AnyRow]:
    return [_row(store, relative, quick if relative < full_from else None, digest) for relative in work]


def _derive_chunk(work: Sequence[str]) -> list[AnyRow]:
    assert _WORKER_STORE is not None
    return _rows(_WORKER_STORE, work, _WORKER_QUICK, _WORKER_DIGEST, _WORKER_FULL_FROM)


def derive_all(store: Store, work: list[str], quick: Plan | None = None, digest: bool = True,
                full_from: str = "\uffff") -> Iterator[list[AnyRow]]:
    """Rows (see `_row`) for every record path of `work`, in chunks, over every core when there are many;
    `quick` applies to the paths before `full_from`."""
    workers = min(os.cpu_count() or 1, 8)
    if len(work) < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
        yield _rows(store, work, quick, digest, full_from)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_STORE, _WORKER_QUICK, _WORKER_DIGEST, _WORKER_FULL_FROM
    _ = store.policy, store.calendar  # loaded once, then shared by every forked worker
    _WORKER_STORE, _WORKER_QUICK, _WORKER_DIGEST, _WORKER_FULL_FROM = store, quick, digest, full_from
    size = max(200, len(work) // (workers * 32))  # small chunks: the open records cluster in recent months
    chunks = [work[start:start + size] for start in range(0, len(work), size)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_derive_chunk, chunks)
    finally:
        _WORKER_STORE = _WORKER_QUICK = None
        _WORKER_DIGEST, _WORKER_FULL_FROM = True, "\uffff"
