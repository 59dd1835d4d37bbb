"""A stored record's view: its history replayed through the store's policy and calendar. The one place
a command turns a record read from disk into what the engine says of it; a record that does not replay is
an error naming its file."""

from __future__ import annotations

from complaintctl.base.errors import InvalidData, NotFound
from complaintctl.base.messages import t
from complaintctl.core import engine
from complaintctl.records.record import Record
from complaintctl.store.directory import Store


def view_of(store: Store, record: Record) -> engine.View:
    return engine.replay(store.policy, store.calendar, record.intake, record.history)


# What replaying a record edited by hand into nonsense raises (`history: 5`, `at: yesterday`, ...).
_BROKEN_RECORD = (KeyError, ValueError, TypeError, AttributeError, NotFound)


def view_of_stored(store: Store, record: Record) -> engine.View:
    """The view of a record read from disk; a record that does not replay (or has no history, not even
    its `log` event, as the index judges it too) is an error naming its file."""
    try:
        if not isinstance(record.history, list) or not record.history:
            raise ValueError("no history")
        return view_of(store, record)
    except _BROKEN_RECORD as error:
        shown = store.display_path(record.path)
        raise InvalidData(t("record.broken", path=shown, problem=error)) from error
