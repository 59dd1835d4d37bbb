"""One complaint as it stood at a cutoff instant, read from its digest (never from its file).

A report describes each period as it stood at its end (or now, for a period not yet over): events after
the cutoff are not counted, so a report on a past period says the same whenever it is run again.
Most complaints had their last event before the cutoff; for them the digest's derived values are the
answer. For the others the digest's events up to the cutoff are folded onto its intake, as the engine
folds them (latest value wins; an action's `clears` forget; `to`/`department` of an action or an edit
assign).

Instants are compared as text when they carry the cutoff's UTC offset (ISO 8601 of one length and one
offset sorts as time does): parsing every instant of 30,000 digests would cost more than the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from complaintctl.digest import Digest
from complaintctl.report.rules import SATISFACTION_FIELD, Rules, costs_of
from complaintctl.times import format_instant, parse_stored_instant

#: The groupings a report offers, each read from the complaint as of the cutoff.
GROUPINGS = ("category", "department", "owner", "channel", "cause", "location", "severity")
_ASSIGNING = ("to", "department", "coordinator")


class Cutoff:
    """An instant that ISO 8601 texts are compared with, as text whenever the offsets agree."""

    def __init__(self, instant: datetime, tz: Any) -> None:
        self.instant = instant
        self.text = format_instant(instant, tz)
        self._suffix = self.text[19:]
        self._length = len(self.text)

    def after(self, text: str) -> bool:
        """Whether the instant `text` is at or after the cutoff (it does not count)."""
        if len(text) == self._length and text.endswith(self._suffix):
            return text >= self.text
        return parse_stored_instant(text) >= self.instant


def cutoff_of(end: datetime, now: datetime, tz: Any) -> Cutoff:
    """The end of the period, or just after now when the period is not over (records keep seconds)."""
    just_after_now = now.replace(microsecond=0) + timedelta(seconds=1)
    return Cutoff(min(end, just_after_now), tz)


def earlier(a: str, b: str) -> bool:
    """a < b for two instants as stored (text when the offsets agree)."""
    if len(a) == len(b) and a[19:] == b[19:]:
        return a < b
    return parse_stored_instant(a) < parse_stored_instant(b)


@dataclass(slots=True)
class Case:
    id: str
    received_at: str
    closed_at: str | None
    keys: dict[str, str | None]
    # clock → whether any of its runs started before the cutoff breached by then
    clocks: dict[str, bool] = field(default_factory=dict)
    satisfaction: str | None = None
    escalated: bool = False
    reopenings: int = 0
    rejections: int = 0
    costs: list[tuple[str, str, float]] = field(default_factory=list)
    # corrective actions: (due or None, state: open | done | verified)
    corrective: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def breached(self) -> bool:
        return any(self.clocks.values())


def case_at(digest: Digest, cutoff: Cutoff, rules: Rules) -> Case | None:
    """The complaint as of the cutoff; None when it was received at or after it."""
    received = digest["received_at"]
    if received is None or cutoff.after(received):
        return None
    events: list[Mapping[str, Any]] = digest["events"]
    last = digest.get("last_at")
    if last is None or not cutoff.after(last):
        case = _from_derived(digest)
        counted = events
    else:
        counted = []
        for event in events:
            if cutoff.after(str(event["at"])):
                break  # events are in time order (check enforces it)
            counted.append(event)
        case = _folded(digest, counted, rules)
    case.clocks = _clocks(digest["runs"], cutoff)
    _from_events(case, counted, rules, cutoff)
    return case


def _from_derived(digest: Digest) -> Case:
    values = digest["values"]
    case = Case(id=digest["id"], received_at=digest["received_at"], closed_at=digest.get("closed_at"),
                keys=_keys(values, digest.get("owner"), digest.get("department")))
    satisfaction = values.get(SATISFACTION_FIELD)
    case.satisfaction = None if satisfaction is None else str(satisfaction)
    case.reopenings = int(digest.get("reopenings") or 0)
    case.rejections = int(digest.get("rejections") or 0)
    return case


def _folded(digest: Digest, events: list[Mapping[str, Any]], rules: Rules) -> Case:
    """Replay the short fields of the events before the cutoff onto the intake, as the engine does."""
    values: dict[str, Any] = dict(digest.get("intake") or digest["values"])
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
    case = Case(id=digest["id"], received_at=digest["received_at"], closed_at=closed_at,
                keys=_keys(values, owner, department))
    satisfaction = values.get(SATISFACTION_FIELD)
    case.satisfaction = None if satisfaction is None else str(satisfaction)
    case.reopenings, case.rejections = reopenings, rejections
    return case


def _keys(values: Mapping[str, Any], owner: str | None, department: str | None) -> dict[str, str | None]:
    def text(name: str) -> str | None:
        value = values.get(name)
        return None if value in (None, "") else str(value)

    return {"category": text("category"), "department": department, "owner": owner,
            "channel": text("channel"), "cause": text("cause"), "location": text("location"),
            "severity": text("severity")}


def _clocks(runs: list[Mapping[str, Any]], cutoff: Cutoff) -> dict[str, bool]:
    """Clock → breached, over the runs started before the cutoff (README "Reports": on time).

    A run stopped before the cutoff breached when it stopped after its due time; a run still going at
    the cutoff breached when its due time had passed, unless it was paused (waiting on the
    complainant) since before its due time."""
    verdict: dict[str, bool] = {}
    for run in runs:
        started = run["started_at"]
        if cutoff.after(started):
            continue
        due = run["due"]
        stopped = run.get("stopped_at")
        if stopped is not None and not cutoff.after(stopped):
            breached = earlier(due, stopped)
        else:
            paused = run.get("paused_since")
            if paused is not None and not cutoff.after(paused) and not earlier(due, paused):
                breached = False
            else:
                breached = not cutoff.after(due)
        verdict[run["clock"]] = verdict.get(run["clock"], False) or breached
    return verdict


def _from_events(case: Case, events: list[Mapping[str, Any]], rules: Rules, cutoff: Cutoff) -> None:
    """Escalations, costs and corrective actions: from the events before the cutoff."""
    interesting = rules.interesting
    mine = [event for event in events if event["action"] in interesting]
    if not mine:
        return
    case.escalated = any(rules.is_escalation(event) for event in mine)
    case.costs = costs_of(rules, mine)
    pending: list[str | None] = []
    for event in mine:
        name = event["action"]
        if name in rules.corrective:
            due = event.get("due")
            pending.append(None if due in (None, "") else str(due))
        elif name in rules.verifying and pending:
            # A check covers every corrective action recorded before it that was still open.
            state = "verified" if event.get("effective") is True else "done"
            case.corrective.extend((due, state) for due in pending)
            pending = []
    case.corrective.extend((due, "open") for due in pending)
