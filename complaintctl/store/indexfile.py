"""Where a store's index lives, and opening it for writing: `.complaintctl/index.sqlite3` in the store;
when that cannot be written (a read-only share, a reviewer's checkout, a full disk, an immutable folder),
a file in the user's cache directory named after the store's path; when there is no cache either, memory.
So the commands that only read work on a store they cannot write (`index.py` owns what is in the file)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from complaintctl.base.errors import environment_key
from complaintctl.store.directory import Store

Connect = Callable[[Path | str], sqlite3.Connection]  # opens (and if need be creates) an index database


def fallback_index_path(store: Store, name: str) -> Path | None:
    """The index file `name` of a store whose `.complaintctl/` cannot be written: in the user's cache
    directory, under a name made from the store's path (None when the cache is off)."""
    from complaintctl.base.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    return folder / "indexes" / fallback_key(store.root) / name


def fallback_key(root: Path) -> str:
    """The name of a store's folder of indexes in the user's cache directory, made from its path."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]


def open_at(path: Path, connect: Connect) -> sqlite3.Connection:
    """The index at `path`, opened for writing; an OSError or sqlite3.OperationalError when the machine
    will not have it written there."""
    try:
        connection = connect(path)
        connection.execute("SELECT count(*) FROM records").fetchone()
    except sqlite3.DatabaseError as error:
        if environment_key(error) is not None:
            raise
        # Not a database any more (a crash, a copy gone wrong): it is only a cache.
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        connection = connect(path)
    try:
        # An index SQLite opened read-only (its file or folder not writable) says so only at the first
        # write; find out now, while another place can still be chosen.
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("COMMIT")
    except BaseException:
        connection.close()
        raise
    return connection


def open_writable(store: Store, path: Path, connect: Connect) -> sqlite3.Connection:
    """The index at `path` (in the store), else in the user's cache, else in memory."""
    for place in (path, fallback_index_path(store, path.name)):
        if place is None:
            continue
        try:
            if not place.is_relative_to(store.root):  # the user's own cache: nobody else's to write
                place.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            return open_at(place, connect)
        except (OSError, sqlite3.OperationalError) as error:
            if environment_key(error) is None:
                raise
    return connect(":memory:")
