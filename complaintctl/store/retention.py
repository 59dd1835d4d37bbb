"""How long a complaint's record is kept before its personal data may be replaced: the policy's
`archive: {years: N}` counted from closing (service 8.2.2 "投诉处理结果归档应至少保存5年"; README
"Retention"). An open complaint is kept for ever; a reopened one counts from its last closing.

`check` lists the records past their retention that `archive` has not yet done; `archive` refuses any
other record.
"""

from __future__ import annotations

from datetime import datetime

from complaintctl.core import engine
from complaintctl.policy.model import Policy
from complaintctl.records.record import Record
from complaintctl.store.directory import Store
from complaintctl.store.projection import view_of_stored
from complaintctl.worktime.arithmetic import years_after
from complaintctl.worktime.times import parse_stored_instant


def retention_years(policy: Policy) -> int | None:
    """The policy's retention in years; None: the policy names none, and records are kept for ever."""
    return None if policy.archive is None else policy.archive.years


def kept_until(policy: Policy, view: engine.View) -> datetime | None:
    """When a complaint's retention ends; None while it is open, or when the policy names none."""
    years = retention_years(policy)
    if years is None or not view.final or view.closed_at is None:
        return None
    return years_after(view.closed_at, years)


def archived(record: Record) -> bool:
    """Whether `archive` has replaced the record's personal data already."""
    return record.intake.get("archived_at") not in (None, "")


def expired(store: Store, record: Record, now: datetime) -> datetime | None:
    """When the retention of a record not yet archived ended, if it has by `now`; else None. A record
    received less than the retention ago is not replayed: it cannot have closed long enough ago."""
    years = retention_years(store.policy)
    if years is None or archived(record):
        return None
    try:
        received = parse_stored_instant(str(record.intake.get("received_at")))
    except (TypeError, ValueError):
        return None
    if years_after(received, years) > now:
        return None
    until = kept_until(store.policy, view_of_stored(store, record))
    return until if until is not None and until <= now else None
