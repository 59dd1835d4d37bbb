"""Finding what changed in a store since the index last saw it: every record folder's listing (names,
sizes, times) compared with the one kept, then file by file in the folders that differ; optionally in a
forked process (`Check`) while a command reads what the index held."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from pathlib import Path

from complaintctl.store.derive import UNSEEN
from complaintctl.store.directory import COMPLAINTS_DIR, Store


def scan(store: Store, *, stat: bool = True) -> dict[str, list[tuple[str, int, int]]]:
    """Each month folder (relative to the store) → (name, size, mtime_ns) of each record file in it;
    without `stat`, (name, -1, -1): for an empty index, which reads every file anyway."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    base = store.root / COMPLAINTS_DIR
    if not base.is_dir():
        return found
    for year in _dirs(base):
        for month in _dirs(year):
            with os.scandir(month) as entries:
                records = [entry for entry in entries
                           if entry.name[-5:] == ".yaml" and entry.name[0] != "." and entry.is_file()]
            # (DirEntry caches its stat: the second call costs no system call)
            found[f"{COMPLAINTS_DIR}/{year.name}/{month.name}/"] = [
                (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns) for entry in records
            ] if stat else [(entry.name, *UNSEEN) for entry in records]
    return found


def folder_of(moment: datetime) -> str:
    """The month folder of the records received at `moment` (in the store's zone), as `ids.month_of`."""
    return f"{COMPLAINTS_DIR}/{moment.year:04d}/{moment.month:02d}/"


def as_read(folder: str, files: list[tuple[str, int, int]], read: dict[str, tuple[int, int]]
             ) -> list[tuple[str, int, int]]:
    """A folder's files with the (size, mtime) each had when read (where it was): what the next scan
    sees if none changed since. (Built with map and zip: a fresh clone's build does this 100,000 times.)"""
    names = list(map(itemgetter(0), files))
    scanned = map(itemgetter(1, 2), files)
    stats: list[tuple[int, int]] = list(map(read.get, map(folder.__add__, names), scanned))
    return list(zip(names, map(itemgetter(0), stats), map(itemgetter(1), stats), strict=True))


def listing_of(files: list[tuple[str, int, int]]) -> str:
    """A folder's files as one short text: equal texts mean no file in it was added, removed or changed.
    (A hash of their repr, made in C: the repr itself, kept for 100,000 files, was 5 MB to write and to
    read back.)"""
    return hashlib.blake2b(repr(files).encode(), digest_size=20).hexdigest()


def _dirs(path: Path) -> Iterable[Path]:
    with os.scandir(path) as entries:
        return sorted(Path(entry.path) for entry in entries
                      if entry.is_dir() and not entry.name.startswith("."))


@dataclass
class Changes:
    """What a scan of the store's files found against the folder listings the index keeps."""

    scan_started_ns: int
    records: int
    changed: dict[str, list[tuple[str, int, int]]]  # folder → its files, for each folder that differs
    vanished: list[str]  # folders the index knows that are gone


def changes_of(store: Store, known: dict[str, str], *, stat: bool = True) -> Changes:
    """Scan the store's files and compare each folder with its known listing (see `scan` for `stat`)."""
    scan_started_ns = time.time_ns()
    folders = scan(store, stat=stat)
    return Changes(scan_started_ns=scan_started_ns, records=sum(len(files) for files in folders.values()),
                   changed={folder: files for folder, files in folders.items()
                            if known.get(folder) != listing_of(files)},
                   vanished=[folder for folder in known if folder not in folders])


class Check:
    """`changes_of` in a forked process, its result read back through a pipe."""

    def __init__(self, store: Store, known: dict[str, str]) -> None:
        import pickle

        reading, writing = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: scan, answer, and leave without running any of the parent's exit code
            code = 1
            try:
                os.close(reading)
                with os.fdopen(writing, "wb") as answer:
                    answer.write(pickle.dumps(changes_of(store, known)))
                code = 0
            finally:
                os._exit(code)
        os.close(writing)
        self.reading = reading

    def result(self) -> Changes | None:
        """The child's answer; None when it failed (the caller scans itself)."""
        import pickle

        with os.fdopen(self.reading, "rb") as answer:
            data = answer.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return None
        changes = pickle.loads(data)
        return changes if isinstance(changes, Changes) else None

    def cancel(self) -> None:
        import signal

        os.close(self.reading)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
