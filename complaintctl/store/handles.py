"""Handles: the short names a person types for a complaint (`k7m2`), shown in `list`'s first column and
accepted wherever an id is; finding a complaint by a handle or a part of its id (`resolve`), and the
handles of a store for shell completion (`listing`).

A complaint's handle is the shortest prefix, HANDLE_MIN to HANDLE_MAX characters, of its code
(`ids.handle_code`, a hash of its id) that no other complaint's code starts with, shown in lower case.
It comes from the id alone, so every record has one, old ones too, and all clones of a store agree on
it. As the store grows a handle may take a character more (as git's short hashes do); a shorter one
written down before then names several complaints, and a command given it lists them rather than guess.
Rarely (a few complaints in 100,000) two codes share HANDLE_MAX characters: each of those complaints then
takes HANDLE_MAX characters of a further code of its id (`handle_code(id, 1)`, ...) that no code starts
with, so no handle is ever longer than HANDLE_MAX.

The index keeps the codes sorted (an SQL index over `handle_code(id)`, `index.py`), so a handle's
complaint, or a complaint's handle, is found by a lookup or two, at 100,000 complaints too. `resolve`
does not refresh the index (that reads every file's size and time); it lists the record folders' names
instead, for the complaints the index has not seen yet and those gone since.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from complaintctl.base.errors import Ambiguous, UnknownId
from complaintctl.base.messages import t
from complaintctl.records import ids
from complaintctl.records.ids import HANDLE_MAX, HANDLE_MIN, handle_code
from complaintctl.store.directory import COMPLAINTS_DIR, Store
from complaintctl.store.index import Index

# From this many complaints at once, one pass over every code (0.25 s at 100,000) is cheaper than two
# lookups each (13 µs).
_ALL_CODES_FROM = 15_000
_CODE = "handle_code(id)"  # the indexed expression: a query must spell it so for SQLite to use the index
_AFTER_LAST = "~"  # sorts after every Crockford character: `code < prefix + _AFTER_LAST` ends a range


class Handle(NamedTuple):
    """A complaint as completion offers it."""

    handle: str
    id: str
    subject: str | None


def shown(code: str) -> str:
    """How a handle is printed: lower case, apart from ids and clone tags."""
    return code.lower()


def _common(first: str, second: str | None) -> int:
    if second is None:
        return 0
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def _from_neighbours(code: str, before: str | None, after: str | None) -> str | None:
    """The handle of a code between its neighbours in sorted order; None when it shares HANDLE_MAX
    characters with one of them."""
    needed = max(_common(code, before), _common(code, after)) + 1
    return code[:max(needed, HANDLE_MIN)] if needed <= HANDLE_MAX else None


def _any_code_starts(index: Index, prefix: str) -> bool:
    return index.connection.execute(
        f"SELECT 1 FROM records WHERE {_CODE} >= ? AND {_CODE} < ? LIMIT 1",
        (prefix, prefix + _AFTER_LAST)).fetchone() is not None


def _fallback(index: Index, complaint_id: str) -> str:
    """The handle of a complaint whose code shares HANDLE_MAX characters with another's: HANDLE_MAX
    characters of its first further code that no complaint's code starts with."""
    attempt = 1
    while True:
        candidate = handle_code(complaint_id, attempt)[:HANDLE_MAX]
        if not _any_code_starts(index, candidate):
            return candidate
        attempt += 1


def _one(index: Index, complaint_id: str) -> str:
    code = handle_code(complaint_id)
    execute = index.connection.execute
    before = execute(f"SELECT {_CODE} FROM records WHERE {_CODE} < ? ORDER BY {_CODE} DESC LIMIT 1",
                     (code,)).fetchone()
    # The first code from this one on that is not this complaint's own row: another complaint with the
    # very same code (or the same id in a second file) counts.
    after = None
    own_skipped = False
    for other_code, other_id in execute(
            f"SELECT {_CODE}, id FROM records WHERE {_CODE} >= ? ORDER BY {_CODE} LIMIT 2", (code,)):
        if other_id == complaint_id and not own_skipped:
            own_skipped = True
            continue
        after = (other_code,)
        break
    found = _from_neighbours(code, None if before is None else before[0], None if after is None else after[0])
    return found if found is not None else _fallback(index, complaint_id)


def _covering(index: Index, sql: str, params: Sequence[object] = ()) -> list[tuple[str, ...]]:
    """Rows of a query that names the handle index (`INDEXED BY records_handle`: read off the index,
    no function called), or of the same query without that hint while the index is being rebuilt."""
    try:
        return index.connection.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # no such index: a fresh build drops it until it is done
        return index.connection.execute(sql.replace(" INDEXED BY records_handle", ""), params).fetchall()


def _all_codes(index: Index) -> list[tuple[str, str]]:
    """(code, id) of every complaint the index knows, in code order."""
    return [(str(code), str(complaint_id)) for code, complaint_id in _covering(
        index, f"SELECT {_CODE}, id FROM records INDEXED BY records_handle WHERE {_CODE} IS NOT NULL "
        f"ORDER BY {_CODE}")]


def _shared(first: str, second: str) -> int:
    """How many leading characters two codes share, counted only as far as a handle's length needs."""
    if first[:HANDLE_MIN - 1] != second[:HANDLE_MIN - 1]:
        return 0
    for position in range(HANDLE_MIN - 1, HANDLE_MAX):
        if first[position] != second[position]:
            return position
    return HANDLE_MAX


def _every_handle(index: Index) -> dict[str, str]:
    """id → handle (upper case) of every complaint the index knows: one pass over the sorted codes."""
    codes = _all_codes(index)
    shared = [0, *(_shared(a[0], b[0]) for a, b in zip(codes, codes[1:], strict=False)), 0]
    handles: dict[str, str] = {}
    for position, (code, complaint_id) in enumerate(codes):
        needed = max(shared[position], shared[position + 1]) + 1
        handles[complaint_id] = (code[:max(needed, HANDLE_MIN)] if needed <= HANDLE_MAX
                                 else _fallback(index, complaint_id))
    return handles


def handles_of(index: Index, complaint_ids: Sequence[str]) -> dict[str, str]:
    """id → handle, as shown (lower case), of each of these complaints, among all the index knows."""
    if len(complaint_ids) >= _ALL_CODES_FROM:
        every = _every_handle(index)
        return {complaint_id: shown(every.get(complaint_id) or _one(index, complaint_id))
                for complaint_id in complaint_ids}
    return {complaint_id: shown(_one(index, complaint_id)) for complaint_id in complaint_ids}


def matching(index: Index, query: str) -> list[str]:
    """The ids whose handle a typed text names: those whose code starts with it; a further code's
    handle (see the module's docstring) is checked only when that finds no single complaint."""
    code = ids.as_handle_query(query)
    if code is None:
        return []
    found = [str(complaint_id) for (complaint_id,) in index.connection.execute(
        f"SELECT DISTINCT id FROM records WHERE {_CODE} >= ? AND {_CODE} < ? ORDER BY id",
        (code, code + _AFTER_LAST))]
    if len(found) == 1 or len(code) != HANDLE_MAX:
        return found
    codes = _all_codes(index)
    crowded = {complaint_id for position, (current, complaint_id) in enumerate(codes)
               for neighbour in (codes[position - 1][0] if position else None,
                                 codes[position + 1][0] if position + 1 < len(codes) else None)
               if _common(current, neighbour) >= HANDLE_MAX}
    further = [complaint_id for complaint_id in sorted(crowded) if _fallback(index, complaint_id) == code]
    return further or found


def _on_disk(store: Store) -> set[str]:
    """The id of every record file, from the folders' names alone (no file is opened or stat'ed)."""
    base = store.root / COMPLAINTS_DIR
    found: set[str] = set()
    try:
        years = [entry.path for entry in os.scandir(base) if entry.is_dir() and entry.name[0] != "."]
    except FileNotFoundError:
        return found
    for year in years:
        with os.scandir(year) as months:
            folders = [entry.path for entry in months if entry.is_dir() and entry.name[0] != "."]
        for folder in folders:
            found.update(name[:-5] for name in os.listdir(folder) if name[-5:] == ".yaml" and name[0] != ".")
    return found


def _indexed(index: Index) -> set[str]:
    return {str(complaint_id) for (complaint_id,) in _covering(
        index, "SELECT id FROM records INDEXED BY records_handle WHERE id IS NOT NULL")}


def _by_id_parts(index: Index, query: str, unindexed: Iterable[str]) -> list[str]:
    """The ids that a query names as an id would (`ids.match_query`), among those the index knows and
    those it does not know yet."""
    rows = _covering(index, "SELECT DISTINCT id FROM records INDEXED BY records_handle "
                            "WHERE id LIKE ? OR id LIKE ? OR id LIKE ?",
                     (f"{query}%", f"%{query}", f"%-{query}-%"))
    return ids.match_query(query, [*(str(complaint_id) for (complaint_id,) in rows), *unindexed])


def _candidates(store: Store, index: Index, query: str) -> list[str]:
    """The complaints a query names, among the record files there are now: the index (not refreshed:
    a refresh reads every file's size and time, seconds at 100,000) for the many it knows, the folders'
    names for those it has not seen yet (pulled, merged or logged since) and for those gone since."""
    on_disk = _on_disk(store)
    unindexed = on_disk - _indexed(index)
    by_parts = [found for found in _by_id_parts(index, query, unindexed) if found in on_disk]
    if query in by_parts:  # a whole id is never ambiguous
        return [query]
    code = ids.as_handle_query(query)
    by_handle = [] if code is None else [found for found in matching(index, query) if found in on_disk]
    if code is not None:
        by_handle += sorted(found for found in unindexed if handle_code(found).startswith(code))
    # A handle typed whole names its complaint, though it also spells a part of other ids (a clone tag
    # or a date shared by hundreds: asked as a part, those are ambiguous anyway).
    if (len(by_handle) == 1 and by_parts and by_handle[0] not in by_parts
            and ids.handle_typed(handles_of(index, by_handle)[by_handle[0]]) == code):
        return by_handle
    return list(dict.fromkeys([*by_handle, *by_parts]))


def resolve(store: Store, query: str) -> str:
    """The id a typed text names: a whole id, a handle, a unique prefix or tail of an id, or whole parts
    of one (`K7QF-3`); UnknownId when nothing matches, Ambiguous (listing handles and ids) when several."""
    wanted = ids.normalise_query(query)
    if ids.is_id(wanted) and store.record_path(wanted).is_file():
        return wanted
    with Index(store) as index:
        found = _candidates(store, index, wanted)
        handles = handles_of(index, found[:10]) if len(found) > 1 else {}
    if not found:
        raise UnknownId(t("id.unknown", value=query))
    if len(found) > 1:
        listed = ", ".join(f"{handles[complaint_id]} {complaint_id}" for complaint_id in found[:10])
        raise Ambiguous(t("id.ambiguous", value=query, count=len(found),
                          candidates=listed + (" …" if len(found) > 10 else "")))
    return found[0]


def handle_of(store: Store, complaint_id: str) -> str:
    """A complaint's handle as shown, among the complaints the index knows (without refreshing it: what
    `show` and `log` print; `list` refreshes first)."""
    with Index(store) as index:
        return shown(_one(index, complaint_id))


def listing(store: Store, prefix: str = "", *, open_only: bool = False, limit: int = 200) -> list[Handle]:
    """The complaints whose handle starts with `prefix` (all without one), with handle, id and subject, in
    handle order, at most `limit`; only the open ones if asked: what shell completion offers.

    It reads the index as it is, without refreshing it (a TAB must answer at once): a complaint pulled
    since the last command that refreshed the index is not offered yet, though typed it is found."""
    typed = ids.handle_typed(prefix)
    if not all(char in ids.CROCKFORD for char in typed):
        return []
    where = "final = 0 AND " if open_only else ""
    with Index(store) as index:
        rows = index.connection.execute(
            f"SELECT id, subject FROM records WHERE {where}{_CODE} >= ? AND {_CODE} < ? "
            f"ORDER BY {_CODE} LIMIT ?", (typed, typed + _AFTER_LAST, limit))
        found = [(str(complaint_id), subject) for complaint_id, subject in rows]
        handles = handles_of(index, [complaint_id for complaint_id, _ in found])
    return [Handle(handles[complaint_id], complaint_id, subject) for complaint_id, subject in found]
