"""A complaint's digest: what `report` (and `import`'s duplicate check) need of its projection, taken
from the one replay (`engine.replay`); `list` and the sweep read the smaller brief (`brief.py`).

The digest is small: the report decodes one for every complaint of a period, tens of thousands. It
carries the complaint as it stands now, the facts a report compares with a cutoff as POSIX seconds
(`report_facts`), what the events say to a report (escalated, costs, corrective actions:
`reportrules.EventFacts`, folded by the engine), and the replay's timeline (`engine.Moment`): the
complaint as it stood at any earlier instant, found by bisection. So a report never reads a record
file: the index keeps the digest, and a complaint that changed after a report's cutoff is read off
its timeline.

Pure. Instants are ISO 8601 strings with their offset, as in the record, or POSIX seconds where a
report compares them. The values a report groups by are kept whole, however long.

Bump `VERSION` whenever the shape or the meaning of a digest changes: the index then re-derives
every record.
"""

from __future__ import annotations

import json
import marshal
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from complaintctl.core import engine
from complaintctl.core.reportrules import EventFacts
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import format_instant

VERSION = 10
#: The values a digest keeps whole: what a report groups by, the satisfaction it counts, the import key.
DIGEST_VALUES = (*engine.GROUP_VALUES, "satisfaction", "source")



class ReportFacts(NamedTuple):
    """What a report compares with a period's end, as POSIX seconds (see `report_facts`)."""

    received: float
    closed: float | None
    last: float
    handling_seconds: float | None
    clocks: dict[str, list[float | None]] | str  # per clock [first start, first breach]; JSON in the index
    settled: float
    pattern: str
    breached: bool
    contacts: list[str]


class Digest(NamedTuple):
    """A complaint's digest: its projection as a report reads it."""

    id: str
    status: str
    final: bool
    received_at: str | None
    owner: str | None
    department: str | None
    values: dict[str, Any]  # DIGEST_VALUES, whole
    actions: frozenset[str]  # every action its history holds
    rejections: int
    reopenings: int
    report: ReportFacts
    event_facts: str | None  # EventFacts of the whole history, as JSON (None: nothing a report counts)
    timeline: tuple[tuple[Any, ...], ...] | bytes  # engine.Moment tuples; marshal bytes in the index
    path: str = ""


def _instant(moment: datetime | None) -> str | None:
    return None if moment is None else format_instant(moment)


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


#: A phone number `archive` (and `export --redact`) replaced by its pseudonym (`columns.Redactor.phone`).
_PSEUDONYM = re.compile(r"T-[A-Z2-7]{8}")


def contact_keys(values: Mapping[str, Any]) -> list[str]:
    """Who complained, as the report's repeat-complaint rate matches complainants: the phone number's
    digits (without a +86 or 86 prefix) and the e-mail address in lower case."""
    keys = []
    phone = values.get("complainant.phone")
    if isinstance(phone, str) and _PSEUDONYM.fullmatch(phone):  # `archive` replaced it: the same phone,
        keys.append("tel:" + phone)                               # the same pseudonym
    elif phone not in (None, ""):
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


def report_facts(view: engine.View, calendar: Calendar) -> ReportFacts:
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
    return ReportFacts(
        received=view.received_at.timestamp(),
        closed=_ts(closed),
        last=last,
        handling_seconds=None if closed is None else calendar.working_seconds(view.received_at, closed),
        clocks=clocks,
        settled=settled,
        pattern=clock_pattern([(name, breach is not None) for name, (_, breach) in clocks.items()]),
        breached=any(breach is not None for _, breach in clocks.values()),
        contacts=contact_keys({**view.intake, **view.values}),
    )


def digest_of(view: engine.View, calendar: Calendar, path: str = "") -> Digest:
    """The digest of a complaint whose history replayed to `view` (with its timeline)."""
    if not view.timeline:
        raise ValueError("a digest needs the replay's timeline")
    values = dict(view.intake)
    values.update(view.values)
    counted = None if view.fold is None else view.fold.facts()
    return Digest(
        id=str(view.intake.get("id", "")),
        status=view.status,
        final=view.final,
        received_at=_instant(view.received_at),
        owner=view.owner,
        department=view.department,
        values={key: values[key] for key in DIGEST_VALUES if key in values and _scalar(values[key])},
        actions=frozenset(view.total_counts),
        rejections=view.rejections,
        reopenings=view.reopenings,
        report=report_facts(view, calendar),
        event_facts=None if counted is None else _event_facts_json(counted),
        timeline=tuple(tuple(moment) for moment in view.timeline),
        path=path,
    )


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | bool | int | float)


def _event_facts_json(facts: EventFacts) -> str:
    return to_json([int(facts.escalated), facts.costs, facts.corrective, facts.open_dues])


def event_facts_of(digest: Digest) -> EventFacts:
    """The digest's `EventFacts` over its whole history (empty for a complaint with no action a report
    counts)."""
    text = digest.event_facts
    if text is None:
        return EventFacts()
    escalated, costs, corrective, open_dues = json.loads(text)
    return EventFacts(escalated=bool(escalated), costs=[tuple(cost) for cost in costs], corrective=corrective,
                      open_dues=open_dues)


# -- the digest as the index keeps it --------------------------------------------------------------
# A flat tuple of numbers and strings rather than nested JSON: a report reads tens of thousands of
# digests, and the index keeps the tuple as marshal, which loads several times faster than JSON decodes
# (or than SQLite hands back one column per field).

def as_row(digest: Digest) -> tuple[Any, ...]:
    """The digest as a flat tuple of numbers and strings, its path last. Values that are all text (or
    missing) get a place each; any other (a number, a list) keeps the values as JSON instead, so that
    they come back as they were."""
    facts = digest.report
    values = digest.values
    plain = all(isinstance(value, str) for value in values.values())
    return (digest.id, digest.status, int(digest.final), digest.received_at, digest.owner,
            digest.department, *(values.get(key) if plain else None for key in DIGEST_VALUES),
            None if plain else to_json(values), " ".join(sorted(digest.actions)), digest.rejections,
            digest.reopenings, facts.received, facts.closed, facts.last,
            facts.handling_seconds, to_json(facts.clocks), facts.settled, facts.pattern,
            int(facts.breached), "\n".join(facts.contacts), digest.event_facts,
            marshal.dumps(digest.timeline), digest.path)


def from_row(row: Sequence[Any], shared: dict[Any, Any]) -> Digest:
    """The digest of `as_row`'s values. Its timeline stays marshal bytes until `timeline_of` needs it
    (only for a complaint that changed after a report's cutoff), its clock facts JSON text until
    `clocks_of` needs them (only for a complaint whose clocks were still running at a report's cutoff).
    `shared` keeps one copy of the texts that many complaints share (states, people, codes, clock
    patterns): tens of thousands of digests stay small."""
    (complaint_id, status, final, received_at, owner, department, *rest) = row
    count = len(DIGEST_VALUES)
    columns, values_json = rest[:count], rest[count]
    (actions, rejections, reopenings, received, closed, last, handling, clocks, settled, pattern, breached,
     contacts, counted, timeline, path) = rest[count + 1:]
    one = shared.setdefault
    if values_json is None:
        values = {key: one(value, value) for key, value in zip(DIGEST_VALUES, columns, strict=True)
                  if value is not None}
    else:
        values = json.loads(values_json)
    names = shared.get(actions)
    if names is None:
        names = shared[actions] = frozenset(actions.split())
    return Digest(complaint_id, one(status, status), bool(final), received_at, one(owner, owner),
                  one(department, department), values, names, rejections, reopenings,
                  ReportFacts(received, closed, last, handling, clocks, settled, one(pattern, pattern),
                              bool(breached), contacts.split("\n") if contacts else []),
                  counted, timeline, path)


def timeline_of(digest: Digest) -> list[engine.Moment]:
    """The digest's timeline, as derived or as the index keeps it."""
    timeline = digest.timeline
    if isinstance(timeline, bytes):
        timeline = marshal.loads(timeline)
    return [engine.Moment._make(moment) for moment in timeline]


def clocks_of(facts: ReportFacts) -> dict[str, Any]:
    """The per-clock facts of a digest's `report` facts, as text from the index or as derived."""
    clocks = facts.clocks
    return json.loads(clocks) if isinstance(clocks, str) else dict(clocks)


def to_json(value: Any) -> str:
    """Compact JSON, Chinese kept as is: how the index stores derived values."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
