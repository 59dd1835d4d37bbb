"""A complaint's digest: what `report` (and `import`'s duplicate check) need, derived once from its
history; `list` and the sweep read the smaller brief (`brief.py`).

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
from complaintctl.times import format_instant
from complaintctl.worktime import Calendar

VERSION = 6
SHORT = 40
# `source` is the import key (re-importing a ledger skips what is already in); `borne_by` is who bore a
# cost (the report sums costs by it): both must survive whole, however long.
KEPT_WHOLE = frozenset({"subject", "complainant.name", "complainant.phone", "complainant.email", "source",
                        "borne_by"})

Digest = dict[str, Any]


def _instant(moment: datetime | None) -> str | None:
    return None if moment is None else format_instant(moment)


def short_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values worth keeping: codes, names, amounts and short lists of them (who was notified);
    not long text or mappings."""
    kept: dict[str, Any] = {}
    for key, value in values.items():
        if _short(value) or isinstance(value, str) and key in KEPT_WHOLE:
            kept[key] = value
        elif isinstance(value, list) and len(value) <= SHORT and all(_short(each) for each in value):
            kept[key] = list(value)
    return kept


def _short(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float) or isinstance(value, str) and len(
        value) <= SHORT


def _ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def breach_at(run: engine.ClockRun) -> datetime | None:
    """When the run breached or will breach if nothing stops it: its due time; None when it met it
    (stopped in time) or is paused, waiting on the complainant, since before it."""
    if run.stopped_at is not None:
        return run.due if run.stopped_at > run.due else None
    if run.paused_since is not None and run.paused_since < run.due:
        return None
    return run.due


def contact_keys(values: Mapping[str, Any]) -> list[str]:
    """Who complained, as the report's repeat-complaint rate matches complainants: the phone number's
    digits (without a +86 or 86 prefix) and the e-mail address in lower case."""
    keys = []
    phone = values.get("complainant.phone")
    if phone not in (None, ""):
        digits = "".join(ch for ch in str(phone) if ch.isdigit())
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        if digits:
            keys.append("tel:" + digits)
    email = values.get("complainant.email")
    if email not in (None, ""):
        keys.append("mail:" + str(email).strip().lower())
    return keys


def clock_pattern(verdicts: Sequence[tuple[str, bool]]) -> str:
    """(clock, breached) pairs as one string, `+name` on time and `!name` breached, one per line: what
    a report counts complaints by (most complaints share a handful of patterns)."""
    return "\n".join(("!" if breached else "+") + name for name, breached in verdicts)


def report_facts(view: engine.View, calendar: Calendar) -> dict[str, Any]:
    """What `report` compares with a period's end, as POSIX seconds: comparing numbers is what lets a
    report over a year of complaints run in a fraction of a second. Per clock: when its first run
    started and when any run first breached (None: never), so whether it had breached by any instant
    is one comparison; from `settled` on (the last event, or a later due time still to come) that
    answer no longer changes, and `pattern` and `breached` hold it. The handling time is the working
    time from receipt to closing; the contacts are the complainant's phone and e-mail, normalised."""
    clocks: dict[str, list[float | None]] = {}
    for name, runs in view.clocks.items():
        if not runs:
            continue
        breaches = [moment for moment in map(breach_at, runs) if moment is not None]
        clocks[name] = [min(run.started_at for run in runs).timestamp(),
                        min(breaches).timestamp() if breaches else None]
    closed = view.closed_at
    last = _ts(view.last_at) or view.received_at.timestamp()
    settled = max([last, *(breach for _, breach in clocks.values() if breach is not None)])
    return {
        "received": view.received_at.timestamp(),
        "closed": _ts(closed),
        "last": last,
        "handling_seconds": None if closed is None else calendar.working_seconds(view.received_at, closed),
        "clocks": clocks,
        "settled": settled,
        "pattern": clock_pattern([(name, breach is not None) for name, (_, breach) in clocks.items()]),
        "breached": any(breach is not None for _, breach in clocks.values()),
        "contacts": contact_keys({**view.intake, **view.values}),
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
        "events": [_event(event) for event in history],
        "report": report_facts(view, calendar),
    }
