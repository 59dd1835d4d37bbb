"""`list`: filtering and summarising complaints from their digests (see `digest.py`), never replaying.

A summary here is what `list --format json` prints per complaint: `show --json` adds the history and
the actions possible now, which need the record itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from complaintctl.digest import Digest, current_runs, instant
from complaintctl.messages import current_language
from complaintctl.record import nest_intake
from complaintctl.store import Store
from complaintctl.times import format_instant, parse_stored_instant
from complaintctl.worktime import Limit

_FAR = "9999-12-31T00:00:00+00:00"


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


def run_state(run: Mapping[str, Any], now: datetime) -> str:
    """running, met, breached, paused or stopped; as engine.ClockRun.state does."""
    due = parse_stored_instant(run["due"])
    stopped = instant(run["stopped_at"])
    if stopped is not None:
        if stopped > due:
            return "breached"
        return "stopped" if run["stop_event"] is None else "met"
    if run["paused_since"] is not None:
        return "paused"
    return "breached" if now > due else "running"


def deadlines(store: Store, item: Digest, now: datetime) -> list[dict[str, Any]]:
    """Each clock's latest run, as `operations.deadlines` gives them for a replayed view."""
    language = current_language()
    policy = store.policy
    rows = []
    for run in current_runs(item):
        due = parse_stored_instant(run["due"])
        stopped = instant(run["stopped_at"])
        reference = stopped or now
        limit = run["limit"]
        rows.append({
            "name": run["clock"],
            "label": policy.clock(run["clock"]).text(language),
            "due": format_instant(due, store.tz),
            "state": run_state(run, now),
            "started_at": format_instant(parse_stored_instant(run["started_at"]), store.tz),
            "limit": str(Limit(limit["form"], limit["amount"])),
            "seconds_left": int((due - reference).total_seconds()),
            "provisional": store.calendar.is_provisional(due.astimezone(store.tz).date()),
            "extended": run["extended"],
            "open": stopped is None,
        })
    return rows


def summary(store: Store, item: Digest, now: datetime) -> dict[str, Any]:
    rows = deadlines(store, item, now)
    open_dues = [row["due"] for row in rows if row["open"] and row["state"] != "paused"]
    values = item["values"]
    return {
        "id": item["id"],
        "path": item["path"],
        "status": item["status"],
        "status_label": store.policy.state(item["status"]).text(current_language()),
        "owner": item["owner"],
        "department": item["department"],
        "coordinator": item["coordinator"],
        "departments": item["departments"],
        "severity": values.get("severity"),
        "intake": nest_intake(values),
        "deadlines": rows,
        "overdue": any(row["open"] and row["state"] == "breached" for row in rows),
        "rejections": item["rejections"],
        "reopenings": item["reopenings"],
        "next_due": min(open_dues, key=datetime.fromisoformat) if open_dues else None,
    }


def _running_dues(item: Digest) -> list[datetime]:
    return [parse_stored_instant(run["due"]) for run in current_runs(item)
            if run["stopped_at"] is None and run["paused_since"] is None]


def matches(store: Store, item: Digest, filters: Filters, now: datetime) -> bool:
    """Whether a complaint passes every filter but `text` (which needs the file; see `select`)."""
    status = filters.status
    if status == "open" and item["final"] or status == "closed" and not item["final"]:
        return False
    if status not in (None, "open", "closed") and item["status"] != status:
        return False
    if filters.owner and item["owner"] != filters.owner:
        return False
    if filters.department and item["department"] != filters.department:
        return False
    values = item["values"]
    if filters.category and values.get("category") != filters.category:
        return False
    if filters.channel and values.get("channel") != filters.channel:
        return False
    dues = _running_dues(item)
    if filters.overdue and not any(now > due for due in dues):
        return False
    if filters.due_before and not any(due < filters.due_before for due in dues):
        return False
    received = parse_stored_instant(item["received_at"])
    return not (filters.since and received < filters.since or filters.until and received >= filters.until)


def select(store: Store, items: list[Digest], filters: Filters, now: datetime) -> list[dict[str, Any]]:
    """The summaries of the complaints passing the filters, nearest deadline first."""
    rows = []
    needle = filters.text.lower() if filters.text else None
    for item in items:
        if not matches(store, item, filters, now):
            continue
        if needle is not None:
            text = (store.root / item["path"]).read_text(encoding="utf-8")
            if needle not in text.lower():
                continue
        rows.append(summary(store, item, now))
    rows.sort(key=lambda row: (datetime.fromisoformat(row["next_due"] or _FAR), row["id"]))
    return rows
