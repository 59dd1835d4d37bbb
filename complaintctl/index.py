"""The digests of a store's complaints, for list, sweep and report.

`digests(store, active_between=(start, end))` gives the digest of every complaint that was open at
some moment of [start, end): received before `end` and not closed before `start`. That is every
complaint received, closed or still open in a period, which is what a report over it needs.
"""

from __future__ import annotations

from datetime import datetime

from complaintctl import digest as digest_module
from complaintctl import operations
from complaintctl.digest import Digest
from complaintctl.store import Store


def _active(item: Digest, start: datetime, end: datetime) -> bool:
    received = digest_module.instant(item["received_at"])
    closed = digest_module.instant(item["closed_at"])
    return received is not None and received < end and (closed is None or closed >= start)


def digests(store: Store, *, active_between: tuple[datetime, datetime] | None = None) -> list[Digest]:
    """Every complaint's digest (or those active in the window), in path order."""
    found = []
    for record, view in operations.load_all(store):
        item = digest_module.digest_of(view, store.calendar, record.history)
        item["path"] = store.display_path(record.path)
        if active_between is None or _active(item, *active_between):
            found.append(item)
    return found
