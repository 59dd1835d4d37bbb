"""A complaint's digest: what `list`, `sweep` and `report` need, derived once from its history.

Pure: the digest is a JSON-ready dict computed from a record's history and its replayed view, so that
the index (`index.py`) can keep it and those commands never replay a record that has not changed.
Instants are ISO 8601 strings with their offset, as in the record. Long free text (descriptions,
opinions) stays in the file: the digest keeps values up to `SHORT` characters, which covers every
code, name, phone number, amount and place that a filter, a sweep or a report groups by, and always
keeps the subject and the complainant's contact (lists and reports show them).

Bump `VERSION` whenever the shape or the meaning of a digest changes: the index then re-derives
every record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from complaintctl import engine
from complaintctl.record import ENVELOPE
from complaintctl.times import format_instant, parse_stored_instant
from complaintctl.worktime import Calendar, Limit

VERSION = 2
SHORT = 40
# `source` is the import key (re-importing a ledger skips what is already in); `borne_by` is who bore a
# cost (the report sums costs by it): both must survive whole, however long.
KEPT_WHOLE = frozenset({"subject", "complainant.name", "complainant.phone", "complainant.email", "source",
                        "borne_by"})

Digest = dict[str, Any]


def _instant(moment: datetime | None) -> str | None:
    return None if moment is None else format_instant(moment)


def short_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The scalar values worth keeping: codes, names, amounts; not long text, lists or mappings."""
    kept: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or isinstance(value, bool | int | float) or (
                isinstance(value, str) and (len(value) <= SHORT or key in KEPT_WHOLE)):
            kept[key] = value
    return kept


def warning_instant(calendar: Calendar, run: engine.ClockRun, warn_at: float) -> datetime:
    """When a run's warning falls due: `warn_at` of its span, measured as its limit measures time."""
    if run.limit.form in engine.WALL_CLOCK_FORMS:
        return run.started_at + (run.due - run.started_at) * warn_at
    span = calendar.working_seconds(run.started_at, run.due)
    return calendar.add(run.started_at, Limit("working_hours", span * warn_at / 3600))


def _run(calendar: Calendar, run: engine.ClockRun, warn_at: float) -> dict[str, Any]:
    return {
        "clock": run.clock,
        "started_at": _instant(run.started_at),
        "start_event": run.start_event,
        "limit": {"form": run.limit.form, "amount": run.limit.amount},
        "due": _instant(run.due),
        "warn_at": _instant(warning_instant(calendar, run, warn_at)) if run.running else None,
        "stopped_at": _instant(run.stopped_at),
        "stop_event": run.stop_event,
        "paused_since": _instant(run.paused_since),
        "extended": bool(run.extensions),
    }


def _event(event: Mapping[str, Any]) -> dict[str, Any]:
    head = {key: str(event.get(key, "")) for key in ENVELOPE}
    own = {key: value for key, value in event.items() if key not in ENVELOPE and key != "recorded_at"}
    return {**head, **short_values(own)}


def digest_of(view: engine.View, calendar: Calendar, history: Sequence[Mapping[str, Any]]) -> Digest:
    """The digest of a complaint whose history replayed to `view`."""
    policy = view.policy
    values = dict(view.intake)
    values.update(view.values)
    runs: list[dict[str, Any]] = []
    for clock in policy.clocks:
        runs.extend(_run(calendar, run, clock.warn_at) for run in view.clocks.get(clock.name, []))
    return {
        "version": VERSION,
        "id": str(view.intake.get("id", "")),
        "policy": policy.policy,
        "status": view.status,
        "final": view.final,
        "received_at": _instant(view.received_at),
        "closed_at": _instant(view.closed_at),
        "last_at": _instant(view.last_at),
        "owner": view.owner,
        "department": view.department,
        "departments": list(view.departments),
        "coordinator": view.coordinator,
        "values": short_values(values),
        # The intake alone: a report as of the end of a past period folds the events up to then onto
        # it (`values` already holds the latest event values, which may be later than that).
        "intake": short_values(view.intake),
        "counts": dict(view.total_counts),
        "rejections": view.rejections,
        "reopenings": view.reopenings,
        "runs": runs,
        "events": [_event(event) for event in history],
    }


def current_runs(digest: Digest) -> list[dict[str, Any]]:
    """The latest run of each clock, in policy order (runs are stored clock by clock)."""
    latest: dict[str, dict[str, Any]] = {}
    for run in digest["runs"]:
        latest[run["clock"]] = run
    return list(latest.values())


def instant(text: str | None) -> datetime | None:
    return None if text is None else parse_stored_instant(text)
