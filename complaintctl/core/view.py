"""What a replay says of a complaint: its `View` (status, owner, department, values, counts, every clock's
runs, the timeline of `Moment`s a report reads at any cutoff) and the runs of its clocks. Data and the
lookups conditions make of it; `engine.replay` fills it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from complaintctl.core.reportrules import EventFold
from complaintctl.policy.model import Policy
from complaintctl.records import intake
from complaintctl.worktime.arithmetic import Limit

WALL_CLOCK_FORMS = ("minutes", "hours", "calendar_days")


@dataclass
class Extension:
    at: datetime
    previous_due: datetime
    due: datetime
    reason: str
    by: str


@dataclass
class ClockRun:
    """One run of a clock: from a start event to a stop event (or a final state)."""

    clock: str
    started_at: datetime
    start_event: str
    limit: Limit
    due: datetime
    stopped_at: datetime | None = None
    stop_event: str | None = None
    paused_since: datetime | None = None
    pauses: list[tuple[datetime, datetime]] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    def state(self, now: datetime) -> str:
        """running, met, breached, paused or stopped (ended by a final state before its due time)."""
        if self.stopped_at is not None:
            if self.stopped_at > self.due:
                return "breached"
            return "stopped" if self.stop_event is None else "met"
        if self.paused_since is not None:
            return "paused"
        return "breached" if now > self.due else "running"


#: The values a report groups by, in the order a `Moment` keeps them (with owner and department): the
#: intake table's grouped fields, and the cause an action records.
GROUP_VALUES = (*intake.GROUPED, "cause")


class Moment(NamedTuple):
    """What a report reads of a complaint from one instant on, until the next moment: the timeline of a
    replay holds one at receipt and one after each event that changed any of it. Instants are POSIX
    seconds; `facts` is `EventFacts.as_tuple()` (None before any event a report counts)."""

    at: float
    status: str
    owner: str | None
    department: str | None
    groups: tuple[Any, ...]  # GROUP_VALUES, as they stood
    satisfaction: str | None
    closed: float | None
    rejections: int
    reopenings: int
    facts: tuple[Any, ...] | None


@dataclass
class View:
    """What the history says now."""

    policy: Policy
    status: str
    intake: dict[str, Any]
    received_at: datetime
    values: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None
    department: str | None = None
    coordinator: str | None = None
    departments: list[str] = field(default_factory=list)
    cycle_counts: Counter[str] = field(default_factory=Counter)
    total_counts: Counter[str] = field(default_factory=Counter)
    rejections: int = 0
    reopenings: int = 0
    clocks: dict[str, list[ClockRun]] = field(default_factory=dict)
    last_at: datetime | None = None
    closed_at: datetime | None = None
    timeline: list[Moment] = field(default_factory=list)
    fold: EventFold | None = None  # what a report counts from the events, once one of them came
    # when each event that starts or stops a clock came, in order (RECEIVED: the intake instant)
    event_at: dict[str, list[datetime]] = field(default_factory=dict)
    # the latest event a person entered (not the sweep's): a late entry may not go before it
    last_person_at: datetime | None = None
    # the sweep's escalations a late entry showed unfounded: (when, clock), kept in the file, withdrawn
    withdrawn: list[tuple[datetime, str]] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.status in self.policy.final_states

    def value(self, name: str) -> Any:
        """A field's current value: set by the latest event that carried it, else the intake."""
        if name in self.values:
            return self.values[name]
        return self.intake.get(name)

    def fact(self, name: str, event: Mapping[str, Any] | None = None,
             roles: frozenset[str] = frozenset()) -> Any:
        if name == "role":
            return roles
        if name.startswith("event."):
            return (event or {}).get(name[len("event."):])
        if name.startswith("count."):
            return self.cycle_counts[name[len("count."):]]
        if name.startswith("done."):  # taken at least once, in any cycle (a required step)
            return self.total_counts[name[len("done."):]]
        if name == "departments":
            return len(self.departments)
        if name in ("owner", "department", "coordinator", "status"):
            return getattr(self, name)
        return self.value(name)

    def current_runs(self) -> list[ClockRun]:
        """The latest run of each clock, in policy order."""
        return [runs[-1] for runs in self.clocks.values() if runs]
