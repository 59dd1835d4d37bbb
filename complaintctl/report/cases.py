"""One complaint as it stood at a cutoff instant, read from its digest (never from its file).

A report describes each period as it stood at its end (or now, for a period not yet over): events after
the cutoff are not counted, so a report on a past period says the same whenever it is run again.
Most complaints had their last event before the cutoff; for them the digest's derived values are the
answer. For the others the digest's events up to the cutoff are folded onto its intake, as the engine
folds them (latest value wins; an action's `clears` forget; `to`/`department` of an action or an edit
assign).

Instants are compared as POSIX seconds (the digest's `report` facts): the cutoff is a number, and so is
every instant a report compares with it, except the events' own times, parsed only for the few
complaints that changed after the cutoff.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from complaintctl.core.digest import Digest, clock_pattern, clocks_of, event_facts_of
from complaintctl.core.reportrules import SATISFACTION_FIELD, SATISFIED, EventFacts, Rules, event_facts
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import parse_stored_instant

#: The groupings a report offers, each read from the complaint as of the cutoff.
GROUPINGS = ("category", "department", "owner", "channel", "cause", "location", "severity")
_ASSIGNING = ("to", "department", "coordinator")


def seconds(text: str) -> float:
    return parse_stored_instant(text).timestamp()


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
    facts = digest["report"]
    if facts["received"] >= cutoff:
        return None
    interesting = not rules.interesting.isdisjoint(digest["actions"])
    counted: EventFacts | None = None
    if facts["last"] < cutoff:
        case = _from_derived(digest, facts)
        if interesting:
            counted = event_facts_of(digest)
    else:
        before: list[Mapping[str, Any]] = []
        for event in digest["events"]:
            if seconds(str(event["at"])) >= cutoff:
                break  # events are in time order (check enforces it)
            before.append(event)
        case = _folded(digest, facts, before, rules, calendar)
        if interesting:
            counted = event_facts(rules, before)
    if cutoff > facts["settled"]:
        case.clock_key, case.breached = facts["pattern"], facts["breached"]
    else:
        verdicts = [(name, breach is not None and breach < cutoff)
                    for name, (started, breach) in clocks_of(facts).items() if started < cutoff]
        case.clock_key = clock_pattern(verdicts)
        case.breached = any(breached for _, breached in verdicts)
    case.success = case.closed is not None and case.satisfaction in SATISFIED
    if counted is not None:
        _from_events(case, counted, cutoff)
    return case


def needs_detail(digest: Digest, cutoffs: Sequence[float]) -> bool:
    """Whether `case_at` will read the digest's detail (its intake and events) at any of the cutoffs:
    for a complaint that changed after a cutoff it was received before."""
    facts = digest["report"]
    return any(facts["received"] < cutoff <= facts["last"] for cutoff in cutoffs)


#: Groupings read from the digest's derived state rather than its values.
DERIVED = frozenset({"department", "owner"})


def group_key(digest: Digest, case: Case | None, grouping: str) -> Any:
    """The value a complaint is grouped by: folded to the cutoff, or the digest's own."""
    if case is not None and case.keys is not None:
        return case.keys[grouping]
    return digest[grouping] if grouping in DERIVED else digest["values"].get(grouping)


def _from_derived(digest: Digest, facts: Mapping[str, Any]) -> Case:
    satisfaction = digest["values"].get(SATISFACTION_FIELD)
    return Case(id=digest["id"], received=facts["received"], closed=facts["closed"],
                handling_seconds=facts["handling_seconds"], keys=None,
                satisfaction=None if satisfaction is None else str(satisfaction),
                reopenings=digest["reopenings"], rejections=digest["rejections"])


def _folded(digest: Digest, facts: Mapping[str, Any], events: list[Mapping[str, Any]], rules: Rules,
            calendar: Calendar) -> Case:
    """Replay the short fields of the events before the cutoff onto the intake, as the engine does."""
    values: dict[str, Any] = dict(digest["intake"])
    owner: str | None = None
    department: str | None = None
    closed_at: str | None = None
    reopenings = rejections = 0
    for event in events:
        name = str(event["action"])
        own = {key: value for key, value in event.items() if key not in ("at", "by", "action")}
        policy_action = rules.is_policy_action(name)
        if name == "escalate":
            if "severity" in own:
                values["severity"] = own["severity"]
            continue
        if not policy_action and name != "edit":
            continue  # log, note, attach, extend describe nothing a report groups by
        for cleared in rules.clears.get(name, ()):
            values.pop(cleared, None)
        if own.get("to"):
            owner = str(own["to"])
        if own.get("department"):
            department = str(own["department"])
        values.update({key: value for key, value in own.items()
                       if key not in _ASSIGNING or not policy_action})
        if name in rules.rejections:
            rejections += 1
        elif name in rules.reopenings:
            reopenings += 1
            closed_at = None
        target = rules.targets.get(name)
        if target is not None and target in rules.final_states and closed_at is None:
            closed_at = str(event["at"])
    closed = None if closed_at is None else seconds(closed_at)
    if closed is None:
        handling = None
    elif closed == facts["closed"]:
        handling = facts["handling_seconds"]
    else:  # closed then, reopened since (a policy that reopens a closed complaint)
        handling = calendar.working_seconds(parse_stored_instant(digest["received_at"]),
                                            parse_stored_instant(closed_at or ""))
    satisfaction = values.get(SATISFACTION_FIELD)
    return Case(id=digest["id"], received=facts["received"], closed=closed, handling_seconds=handling,
                keys={"category": values.get("category"), "department": department, "owner": owner,
                      "channel": values.get("channel"), "cause": values.get("cause"),
                      "location": values.get("location"), "severity": values.get("severity")},
                satisfaction=None if satisfaction is None else str(satisfaction),
                reopenings=reopenings, rejections=rejections)


def _from_events(case: Case, facts: EventFacts, cutoff: float) -> None:
    """Escalations, costs and corrective actions."""
    case.eventful = True
    case.escalated = facts.escalated
    case.costs = facts.costs
    case.corrective = facts.corrective
    case.overdue = facts.overdue_at(cutoff)
