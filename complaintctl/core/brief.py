"""A complaint's brief: the little that `list` and `sweep` read, derived once from its history.

Pure. Smaller than the digest (`digest.py`, what a report needs), because `list --status open` and the
sweep read the brief of every open complaint on every run: instants are epoch seconds (no parsing), and
only the latest run of each clock and the sweep's own escalations are kept.

A run is a list: [clock, started, due, warn, stopped, stop_event, paused_since, limit_form, limit_amount,
extended]; an escalation: [clock, due (ISO 8601, as recorded), level, [people notified]].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from complaintctl.core import engine
from complaintctl.worktime.arithmetic import Calendar, Limit

Brief = dict[str, Any]
VALUES = ("subject", "category", "channel", "severity")

CLOCK, STARTED, DUE, WARN, STOPPED, STOP_EVENT, PAUSED, FORM, AMOUNT, EXTENDED = range(10)


def _epoch(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def warning_instant(calendar: Calendar, run: engine.ClockRun, warn_at: float) -> datetime:
    """When a run's warning falls due: `warn_at` of its span, measured as its limit measures time."""
    if run.limit.form in engine.WALL_CLOCK_FORMS:
        return run.started_at + (run.due - run.started_at) * warn_at
    span = calendar.working_seconds(run.started_at, run.due)
    return calendar.add(run.started_at, Limit("working_hours", span * warn_at / 3600))


def _run(calendar: Calendar, run: engine.ClockRun, warn_at: float) -> list[Any]:
    warn = warning_instant(calendar, run, warn_at) if run.running and run.paused_since is None else None
    return [run.clock, _epoch(run.started_at), _epoch(run.due), _epoch(warn), _epoch(run.stopped_at),
            run.stop_event, _epoch(run.paused_since), run.limit.form, run.limit.amount, bool(run.extensions)]


def _escalations(history: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    found = []
    for event in history:
        if event.get("action") != "escalate":
            continue
        notified = event.get("notified") or []
        found.append([str(event.get("clock", "")), str(event.get("due", "")), str(event.get("level", "")),
                      [str(name) for name in (notified if isinstance(notified, list) else [notified])]])
    return found


def brief_of(view: engine.View, calendar: Calendar, history: Sequence[Mapping[str, Any]]) -> Brief:
    policy = view.policy
    runs = []
    for clock in policy.clocks:
        clock_runs = view.clocks.get(clock.name)
        if clock_runs:
            runs.append(_run(calendar, clock_runs[-1], clock.warn_at))
    values = {name: view.value(name) for name in VALUES}
    return {
        "id": str(view.intake.get("id", "")),
        "status": view.status,
        "final": view.final,
        "received": view.received_at.timestamp(),
        "closed": _epoch(view.closed_at),
        "last": _epoch(view.last_at),
        "owner": view.owner,
        "department": view.department,
        "coordinator": view.coordinator,
        "departments": list(view.departments),
        "rejections": view.rejections,
        "reopenings": view.reopenings,
        "values": {key: value for key, value in values.items() if value is not None},
        "runs": runs,
        "escalations": _escalations(history),
    }


def running(brief: Brief) -> list[list[Any]]:
    """The runs still counting: not stopped, not paused."""
    return [run for run in brief["runs"] if run[STOPPED] is None and run[PAUSED] is None]
