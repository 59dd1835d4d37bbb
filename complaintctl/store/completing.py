"""The names a person can complete on a TAB: the complaints of a store (and a complaint's state), read from
the index without refreshing it and without reading a record, so that a TAB stays well under a third of a
second at 100,000 complaints.

The index (`index.py`) is opened read-only; the ids of the month folders a typed id names are added from
the folders' listings, so a complaint logged since the index was last refreshed completes too. With no
index at all (a fresh clone before its first `list`) the folders are listed instead.

Short handles (issue 20, `handles.py`) are offered first, by `names_for`, beside the full ids.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from complaintctl.base.errors import UsageError
from complaintctl.records import ids
from complaintctl.store.directory import COMPLAINTS_DIR, STATE_DIR

INDEX_NAME = "index.sqlite3"  # index.INDEX_FILE, named here so that completion imports no index code
#: More candidates than this are offered one id segment at a time (`MT-2611`, then `MT-261120-`, ...).
MANY = 60


def _index_paths(root: Path) -> list[Path]:
    from complaintctl.base.cache import cache_dir
    from complaintctl.store.indexfile import fallback_key

    paths = [root / STATE_DIR / INDEX_NAME]
    folder = cache_dir()
    if folder is not None:
        paths.append(folder / "indexes" / fallback_key(root) / INDEX_NAME)
    return paths


def _open_index(root: Path) -> sqlite3.Connection | None:
    for path in _index_paths(root):
        if not path.is_file():
            continue
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
            connection.execute("SELECT path FROM records LIMIT 1").fetchall()
            return connection
        except sqlite3.Error:
            continue
    return None


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _month_of(typed: str) -> tuple[str, str] | None:
    """('2026', '11') when `typed` names its month (`MT-2611...`), else None."""
    office, _, rest = typed.partition("-")
    if office and len(rest) >= 4 and rest[:4].isdigit():
        return f"20{rest[:2]}", rest[2:4]
    return None


def _months(root: Path) -> list[tuple[str, str]]:
    base = root / COMPLAINTS_DIR
    found: list[tuple[str, str]] = []
    try:
        for year in os.scandir(base):
            if year.is_dir() and year.name.isdigit():
                found.extend((year.name, month.name) for month in os.scandir(year.path)
                             if month.is_dir() and month.name.isdigit())
    except OSError:
        return []
    return sorted(found)


def _listed(root: Path, year: str, month: str) -> list[str]:
    try:
        with os.scandir(root / COMPLAINTS_DIR / year / month) as entries:
            return [entry.name[:-5] for entry in entries
                    if entry.name.endswith(".yaml") and not entry.name.startswith(".")]
    except OSError:
        return []


def _in_month(connection: sqlite3.Connection | None, root: Path, year: str, month: str, typed: str
              ) -> list[str]:
    """The ids of one month beginning with `typed`: the index's (a range of its key: no row is read),
    and the folder's, for what was logged since the index was refreshed."""
    found = [name for name in _listed(root, year, month) if name.startswith(typed)]
    if connection is not None:
        low = f"{COMPLAINTS_DIR}/{year}/{month}/{typed}"
        rows = connection.execute("SELECT path FROM records WHERE path >= ? AND path < ?",
                                  (low, low + "\uffff"))
        found.extend(_stem(path) for (path,) in rows)
    return found


def _month_heads(connection: sqlite3.Connection | None, root: Path, office: str) -> list[str]:
    """`MT-2611` for each month folder: the office of its first complaint (the index's), else the store's."""
    heads = []
    for year, month in _months(root):
        head = office
        if connection is not None:
            low = f"{COMPLAINTS_DIR}/{year}/{month}/"
            row = connection.execute("SELECT path FROM records WHERE path > ? AND path < ? ORDER BY path "
                                     "LIMIT 1", (low, low + "\uffff")).fetchone()
            head = _stem(row[0]).partition("-")[0] if row is not None else office
        heads.append(f"{head}-{year[2:]}{month}")
    return heads


def _by_tail(connection: sqlite3.Connection | None, root: Path, typed: str) -> list[str]:
    """The ids `typed` is a tail or a whole part of (`K7QF-3`), as `Store.resolve` reads a query."""
    try:
        query = ids.normalise_query(typed)
    except UsageError:  # a query `resolve` would refuse completes to nothing
        return []
    if connection is not None:
        rows = connection.execute("SELECT path FROM records WHERE path LIKE ?", (f"%{query}%.yaml",))
        known = [_stem(path) for (path,) in rows]
    else:
        known = [name for year, month in _months(root) for name in _listed(root, year, month)]
    return ids.match_query(query, sorted(set(known)))


def complaint_ids(root: Path, typed: str, office: str = "") -> list[str]:
    """The full ids of the store that begin with `typed` (any case), or, when none does, those it is a
    tail of; in id order. An id that does not name its month yet (`MT-26`) gives the months' heads
    (`MT-2611`), which the next TAB opens."""
    wanted = typed.upper()
    connection = _open_index(root)
    try:
        month = _month_of(wanted)
        if month is not None:
            found = sorted(set(_in_month(connection, root, *month, wanted)))
        else:
            found = [head for head in _month_heads(connection, root, office) if head.startswith(wanted)]
        if found or not wanted:
            return found
        return _by_tail(connection, root, wanted)
    except sqlite3.Error:
        return []
    finally:
        if connection is not None:
            connection.close()


def names_for(root: Path, typed: str, office: str = "") -> list[str]:
    """What completes a complaint argument: the short handles beginning with `typed` (when it can be the
    start of one), then the full ids matching it, offered a segment at a time when there are many
    (`office`: the store's, for the months the index does not know)."""
    return [*_handles(root, typed), *_ids_for(root, typed, office)]


def _handle_items(root: Path, typed: str) -> list[tuple[str, str]]:
    """(handle, id) of the complaints whose handle begins with `typed` (`store.handles.listing`, which
    reads the index as it is); none when `typed` cannot begin a handle or when so many do that the person
    had better type more."""
    query = ids.handle_typed(typed)
    if not query or len(query) > ids.HANDLE_MAX or any(char not in ids.CROCKFORD for char in query):
        return []
    from complaintctl.store import handles
    from complaintctl.store.directory import Store

    found = handles.listing(Store.open(root), typed, limit=MANY + 1)
    return [] if len(found) > MANY else [(item.handle, item.id) for item in found]


def _handles(root: Path, typed: str) -> list[str]:
    return [handle for handle, _ in _handle_items(root, typed)]


def handle_named(root: Path, typed: str) -> str | None:
    """The id of the complaint whose whole handle is `typed`, as the index knows it (None: no such handle
    there, and the caller resolves `typed` as commands do, folders included)."""
    found = [complaint_id for handle, complaint_id in _handle_items(root, typed)
             if handle == typed.strip().lower()]
    return found[0] if len(found) == 1 else None


def _ids_for(root: Path, typed: str, office: str) -> list[str]:
    matching = complaint_ids(root, typed, office)
    if len(matching) <= MANY:
        return matching
    if all(name.startswith(typed.upper()) for name in matching):
        return sorted({_next_segment(name, len(typed)) for name in matching})
    return []  # a tail that many ids share (`K7QF-3`, every day): the person types more of it


def _next_segment(name: str, start: int) -> str:
    """`name` up to and including the first `-` after `start` characters (all of it when there is none)."""
    cut = name.find("-", max(start, 1))
    return name if cut < 0 else name[:cut + 1]


def status_of(root: Path, complaint_id: str) -> str | None:
    """The state the index holds for one complaint (as the engine derived it), None when it is unknown."""
    connection = _open_index(root)
    if connection is None:
        return None
    try:
        year_month = ids.month_of(complaint_id) if ids.is_id(complaint_id) else None
        found = None
        if year_month is not None:
            path = f"{COMPLAINTS_DIR}/{year_month[0]}/{year_month[1]}/{complaint_id}.yaml"
            found = connection.execute("SELECT status FROM records WHERE path = ?", (path,)).fetchone()
        if found is None:
            found = connection.execute("SELECT status FROM records WHERE id = ?", (complaint_id,)).fetchone()
        return str(found[0]) if found is not None and found[0] else None
    except sqlite3.Error:
        return None
    finally:
        connection.close()
