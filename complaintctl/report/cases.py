"""One complaint as it stood at a cutoff instant, read from its digest (never from its file).

A report describes each period as it stood at its end (or now, for a period not yet over): events after
the cutoff are not counted, so a report on a past period says the same whenever it is run again.
Most complaints had their last event before the cutoff; for them the digest's derived values are the
answer. For the others the replay's timeline (`engine.Moment`, kept in the digest) says how the
complaint stood just before the cutoff, found by bisection: the same derivation, cut at that instant.

Instants are compared as POSIX seconds (the digest's `report` facts): the cutoff is a number, and so is
every instant a report compares with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from complaintctl.core.digest import (
    Digest,
    ReportFacts,
    clock_pattern,
    clocks_of,
    event_facts_of,
    timeline_of,
)
from complaintctl.core.engine import GROUP_VALUES, Moment, moment_at
from complaintctl.core.reportrules import SATISFACTION_FIELD, SATISFIED, EventFacts, Rules
from complaintctl.records import intake
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import parse_stored_instant

#: The groupings a report offers, each read from the complaint as of the cutoff: the intake fields
#: (`records.intake`), then what the history gives.
GROUPINGS = (*intake.GROUPED, "department", "owner", "cause")


@dataclass(slots=True)
class Case:
    id: str
    received: float
    closed: float | None
    handling_seconds: float | None
    # the values a report groups by, when they are not the digest's own (events after the cutoff)
    keys: dict[str, Any] | None
    satisfaction: str | None
    reopenings: int
    rejections: int
    # which clocks had started by the cutoff and which of them had breached (digest.clock_pattern)
    clock_key: str = ""
    breached: bool = False
    success: bool = False
    # set by the report for the complaints of its population
    repeat: bool = False
    handling_days: float | None = None
    # from the events of the few actions that matter (costs, corrective actions, escalations)
    eventful: bool = False
    escalated: bool = False
    costs: list[tuple[str, str, float]] = field(default_factory=list)
    corrective: list[str] = field(default_factory=list)  # open | done | verified, one per action
    overdue: int = 0  # open corrective actions past their due time at the cutoff


def case_at(digest: Digest, cutoff: float, rules: Rules, calendar: Calendar) -> Case | None:
    """The complaint as of the cutoff; None when it was received at or after it."""
    facts = digest.report
    if facts.received >= cutoff:
        return None
    interesting = not rules.interesting.isdisjoint(digest.actions)
    counted: EventFacts | None = None
    if facts.last < cutoff:
        case = _from_derived(digest, facts)
        if interesting:
            counted = event_facts_of(digest)
    else:
        moment = moment_at(timeline_of(digest), cutoff)
        assert moment is not None  # received before the cutoff: the timeline starts at receipt
        case = _as_it_stood(digest, facts, moment, calendar)
        if moment.facts is not None:
            counted = EventFacts.from_tuple(moment.facts)
    if cutoff > facts.settled:
        case.clock_key, case.breached = facts.pattern, facts.breached
    else:
        verdicts = [(name, breach is not None and breach < cutoff)
                    for name, (started, breach) in clocks_of(facts).items() if started < cutoff]
        case.clock_key = clock_pattern(verdicts)
        case.breached = any(breached for _, breached in verdicts)
    case.success = case.closed is not None and case.satisfaction in SATISFIED
    if counted is not None:
        _from_events(case, counted, cutoff)
    return case


#: Groupings read from the digest's derived state rather than its values.
DERIVED = frozenset({"department", "owner"})


def group_key(digest: Digest, case: Case | None, grouping: str) -> Any:
    """The value a complaint is grouped by: folded to the cutoff, or the digest's own."""
    if case is not None and case.keys is not None:
        return case.keys[grouping]
    return getattr(digest, grouping) if grouping in DERIVED else digest.values.get(grouping)


def _from_derived(digest: Digest, facts: ReportFacts) -> Case:
    satisfaction = digest.values.get(SATISFACTION_FIELD)
    return Case(id=digest.id, received=facts.received, closed=facts.closed,
                handling_seconds=facts.handling_seconds, keys=None,
                satisfaction=None if satisfaction is None else str(satisfaction),
                reopenings=digest.reopenings, rejections=digest.rejections)


def _as_it_stood(digest: Digest, facts: ReportFacts, moment: Moment, calendar: Calendar) -> Case:
    """The complaint as the timeline's moment says it stood."""
    closed = moment.closed
    if closed is None:
        handling = None
    elif closed == facts.closed:
        handling = facts.handling_seconds
    else:  # closed then, reopened since (a policy that reopens a closed complaint)
        received_at = parse_stored_instant(digest.received_at)
        handling = calendar.working_seconds(received_at, datetime.fromtimestamp(closed, received_at.tzinfo))
    keys = dict(zip(GROUP_VALUES, moment.groups, strict=True))
    keys["department"], keys["owner"] = moment.department, moment.owner
    return Case(id=digest.id, received=facts.received, closed=closed, handling_seconds=handling,
                keys=keys, satisfaction=moment.satisfaction, reopenings=moment.reopenings,
                rejections=moment.rejections)


def _from_events(case: Case, facts: EventFacts, cutoff: float) -> None:
    """Escalations, costs and corrective actions."""
    case.eventful = True
    case.escalated = facts.escalated
    case.costs = facts.costs
    case.corrective = facts.corrective
    case.overdue = facts.overdue_at(cutoff)
