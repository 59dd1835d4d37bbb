"""`list`: filtering and summarising complaints from their briefs (see `brief.py`), never replaying.

A summary here is what `list --format json` prints per complaint: `show --json` adds the intake, the
history and the actions possible now, which need the record itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from complaintctl.base.messages import current_language
from complaintctl.core.brief import Brief
from complaintctl.store.directory import Store
from complaintctl.store.handles import handles_of
from complaintctl.worktime.times import format_instant

if TYPE_CHECKING:
    from complaintctl.store.index import Index


@dataclass(frozen=True)
class Filters:
    status: str | None = None  # a state, or "open" / "closed"
    owner: str | None = None
    department: str | None = None
    category: str | None = None
    channel: str | None = None
    overdue: bool = False
    due_before: datetime | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None


def _instant(store: Store, epoch: float) -> str:
    return format_instant(datetime.fromtimestamp(epoch, UTC), store.tz)


def deadlines(store: Store, brief: Brief, now: datetime) -> list[dict[str, Any]]:
    """Each clock's latest run: name, label, due (ISO 8601), state, seconds left (negative: late). The
    one deadline view: `list` reads it from the index's brief, `show` from the brief of its replay."""
    language = current_language()
    policy = store.policy
    moment = now.timestamp()
    rows = []
    for run in brief.runs:
        due = datetime.fromtimestamp(run.due, UTC)
        rows.append({
            "name": run.clock,
            "label": policy.clock(run.clock).text(language),
            "due": format_instant(due, store.tz),
            "state": run.state(moment),
            "started_at": _instant(store, run.started),
            "limit": str(run.limit),
            "seconds_left": int(run.due - (run.stopped if run.stopped is not None else moment)),
            "provisional": store.calendar.is_provisional(due.astimezone(store.tz).date()),
            "extended": run.extended,
            "open": run.stopped is None,
        })
    return rows


def _conditions(store: Store, filters: Filters, now: datetime) -> tuple[list[str], list[Any]]:
    """The filters (all but `text`) as SQL conditions on the index's columns."""
    where: list[str] = []
    params: list[Any] = []
    status = filters.status
    if status == "open":
        where.append("final = 0")
    elif status == "closed":
        where.append("final = 1")
    elif status is not None:
        where.append("status = ?")
        params.append(status)
    for column, value in (("owner", filters.owner), ("department", filters.department),
                          ("category", filters.category), ("channel", filters.channel)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    # A complaint is overdue, or due before a time, exactly when its earliest counting due time is.
    if filters.overdue:
        where.append("next_due < ?")
        params.append(now.timestamp())
    if filters.due_before:
        where.append("next_due < ?")
        params.append(filters.due_before.timestamp())
    if filters.since:
        where.append("received_at >= ?")
        params.append(filters.since.timestamp())
    if filters.until:
        where.append("received_at < ?")
        params.append(filters.until.timestamp())
    return where, params


def select(store: Store, index: Index, filters: Filters, now: datetime, *,
           full: bool = False) -> list[dict[str, Any]]:
    """The rows of the complaints passing the filters, nearest deadline first; with `full` (JSON) each
    with its deadlines."""
    where, params = _conditions(store, filters, now)
    needle = filters.text.lower() if filters.text else None
    language = current_language()
    labels = {state.name: state.text(language) for state in store.policy.states}
    moment = now.timestamp()
    rows = []
    listed = index.listed(where, params, with_brief=full)
    if needle is not None:
        listed = [found for found in listed
                  if needle in (store.root / found.path).read_text(encoding="utf-8").lower()]
    handles = handles_of(index, [found.id for found in listed])
    for found in listed:
        path, complaint_id, status, owner, department, category, channel, subject = found[:8]
        received, next_due = found.received, found.next_due
        shown: dict[str, Any] = {
            "handle": handles[complaint_id], "id": complaint_id, "path": path, "status": status,
            "status_label": labels.get(status, status),
            "owner": owner, "department": department, "category": category, "channel": channel,
            "subject": subject, "received_at": _instant(store, received),
            "next_due": None if next_due is None else _instant(store, next_due),
            "overdue": next_due is not None and next_due < moment,
        }
        brief = found.brief
        if brief is not None:
            shown.update(severity=brief.values.get("severity"), coordinator=brief.coordinator,
                         departments=list(brief.departments), rejections=brief.rejections,
                         reopenings=brief.reopenings, deadlines=deadlines(store, brief, now))
        rows.append(shown)
    return rows
