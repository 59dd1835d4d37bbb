"""`list`: filtering and summarising complaints from their briefs (see `brief.py`), never replaying.

A summary here is what `list --format json` prints per complaint: `show --json` adds the intake, the
history and the actions possible now, which need the record itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from complaintctl.brief import (
    AMOUNT,
    CLOCK,
    DUE,
    EXTENDED,
    FORM,
    PAUSED,
    STARTED,
    STOP_EVENT,
    STOPPED,
    Brief,
    running,
)
from complaintctl.messages import current_language
from complaintctl.store import Store
from complaintctl.times import format_instant
from complaintctl.worktime import Limit

_FAR = float("inf")


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


def run_state(run: list[Any], now: float) -> str:
    """running, met, breached, paused or stopped; as engine.ClockRun.state does."""
    stopped = run[STOPPED]
    if stopped is not None:
        if stopped > run[DUE]:
            return "breached"
        return "stopped" if run[STOP_EVENT] is None else "met"
    if run[PAUSED] is not None:
        return "paused"
    return "breached" if now > run[DUE] else "running"


def _instant(store: Store, epoch: float) -> str:
    return format_instant(datetime.fromtimestamp(epoch, UTC), store.tz)


def deadlines(store: Store, brief: Brief, now: datetime) -> list[dict[str, Any]]:
    """Each clock's latest run, as `operations.deadlines` gives them for a replayed view."""
    language = current_language()
    policy = store.policy
    moment = now.timestamp()
    rows = []
    for run in brief["runs"]:
        due = datetime.fromtimestamp(run[DUE], UTC)
        rows.append({
            "name": run[CLOCK],
            "label": policy.clock(run[CLOCK]).text(language),
            "due": format_instant(due, store.tz),
            "state": run_state(run, moment),
            "started_at": _instant(store, run[STARTED]),
            "limit": str(Limit(run[FORM], run[AMOUNT])),
            "seconds_left": int(run[DUE] - (run[STOPPED] if run[STOPPED] is not None else moment)),
            "provisional": store.calendar.is_provisional(due.astimezone(store.tz).date()),
            "extended": run[EXTENDED],
            "open": run[STOPPED] is None,
        })
    return rows


def _next_due(brief: Brief) -> float:
    return min((run[DUE] for run in running(brief)), default=_FAR)


def _overdue(brief: Brief, now: float) -> bool:
    return any(now > run[DUE] for run in running(brief))


def row(store: Store, brief: Brief, now: datetime, *, full: bool) -> dict[str, Any]:
    """What the table and CSV show of a complaint; with `full`, its deadlines too (JSON)."""
    values = brief["values"]
    next_due = _next_due(brief)
    shown: dict[str, Any] = {
        "id": brief["id"],
        "path": brief["path"],
        "status": brief["status"],
        "status_label": store.policy.state(brief["status"]).text(current_language()),
        "owner": brief["owner"],
        "department": brief["department"],
        "category": values.get("category"),
        "channel": values.get("channel"),
        "severity": values.get("severity"),
        "subject": values.get("subject"),
        "received_at": _instant(store, brief["received"]),
        "next_due": None if next_due == _FAR else _instant(store, next_due),
        "overdue": _overdue(brief, now.timestamp()),
    }
    if full:
        shown.update(coordinator=brief["coordinator"], departments=brief["departments"],
                     rejections=brief["rejections"], reopenings=brief["reopenings"],
                     deadlines=deadlines(store, brief, now))
    return shown


def matches(brief: Brief, filters: Filters, now: datetime) -> bool:
    """Whether a complaint passes every filter but `text` (which needs the file; see `select`)."""
    status = filters.status
    if status == "open" and brief["final"] or status == "closed" and not brief["final"]:
        return False
    if status not in (None, "open", "closed") and brief["status"] != status:
        return False
    if filters.owner and brief["owner"] != filters.owner:
        return False
    if filters.department and brief["department"] != filters.department:
        return False
    values = brief["values"]
    if filters.category and values.get("category") != filters.category:
        return False
    if filters.channel and values.get("channel") != filters.channel:
        return False
    if filters.overdue and not _overdue(brief, now.timestamp()):
        return False
    if filters.due_before and not any(run[DUE] < filters.due_before.timestamp() for run in running(brief)):
        return False
    received = brief["received"]
    return not (filters.since and received < filters.since.timestamp()
                or filters.until and received >= filters.until.timestamp())


def select(store: Store, briefs: list[Brief], filters: Filters, now: datetime, *,
           full: bool = False) -> list[dict[str, Any]]:
    """The rows of the complaints passing the filters, nearest deadline first."""
    needle = filters.text.lower() if filters.text else None
    chosen = []
    for brief in briefs:
        if not matches(brief, filters, now):
            continue
        if needle is not None:
            text = (store.root / brief["path"]).read_text(encoding="utf-8")
            if needle not in text.lower():
                continue
        chosen.append(brief)
    chosen.sort(key=lambda brief: (_next_due(brief), brief["id"]))
    return [row(store, brief, now, full=full) for brief in chosen]
