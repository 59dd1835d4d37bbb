"""A complaint's brief: the little that `list` and `sweep` read of its projection, taken from the one
replay (`engine.replay`).

Pure. Smaller than the digest (`digest.py`, what a report needs), because `list --status open` and the
sweep read the brief of every open complaint on every run: instants are epoch seconds (no parsing), and
only the latest run of each clock and the sweep's own escalations are kept. The index stores a brief as
plain tuples (`as_plain`), which marshal loads fast, and reads it back typed (`from_plain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from complaintctl.core import engine
from complaintctl.records import intake
from complaintctl.worktime.arithmetic import Calendar, Limit

#: The values a brief keeps (what `list` shows and filters by, and the sweep's subject and severity): the
#: intake fields the table marks listed (`records.intake`), as events last set them.
VALUES = intake.LISTED


class Run(NamedTuple):
    """The latest run of one clock, instants as POSIX seconds."""

    clock: str
    started: float
    due: float
    warn: float | None  # when its warning falls due, while it runs
    stopped: float | None
    stop_event: str | None
    paused: float | None  # waiting on the complainant since
    form: str  # the limit's form and amount
    amount: float
    extended: bool

    def state(self, now: float) -> str:
        """running, met, breached, paused or stopped: what `engine.ClockRun.state` says of the run."""
        if self.stopped is not None:
            if self.stopped > self.due:
                return "breached"
            return "stopped" if self.stop_event is None else "met"
        if self.paused is not None:
            return "paused"
        return "breached" if now > self.due else "running"

    @property
    def limit(self) -> Limit:
        return Limit(self.form, self.amount)

    @property
    def counting(self) -> bool:
        """Neither stopped nor paused."""
        return self.stopped is None and self.paused is None


class Escalated(NamedTuple):
    """An escalation the sweep recorded: its clock, the due time as recorded, level, who was told, the
    severity it raised (a notice sent later says so too), and whether it is historical (`import` found
    the clock breached already: counted, never notified)."""

    clock: str
    due: str
    level: str
    notified: tuple[str, ...]
    severity: str | None = None
    historical: bool = False


class Brief(NamedTuple):
    id: str
    status: str
    final: bool
    received: float
    closed: float | None
    last: float | None
    owner: str | None
    department: str | None
    coordinator: str | None
    departments: tuple[str, ...]
    rejections: int
    reopenings: int
    values: dict[str, Any]  # VALUES that are set
    runs: tuple[Run, ...]  # in policy order
    escalations: tuple[Escalated, ...]
    path: str = ""

    def as_plain(self) -> tuple[Any, ...]:
        """Plain tuples, dicts, numbers and strings: what marshal stores."""
        return (*self[:13], tuple(map(tuple, self.runs)), tuple(map(tuple, self.escalations)), self.path)

    @classmethod
    def from_plain(cls, plain: Sequence[Any]) -> Brief:
        return cls._make((*plain[:13], tuple(Run._make(run) for run in plain[13]),
                          tuple(Escalated._make(each) for each in plain[14]), plain[15]))

    def running(self) -> list[Run]:
        """The runs still counting: not stopped, not paused."""
        return [run for run in self.runs if run.counting]


def _epoch(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def warning_instant(calendar: Calendar, run: engine.ClockRun, warn_at: float) -> datetime:
    """When a run's warning falls due: `warn_at` of its span, measured as its limit measures time."""
    if run.limit.form in engine.WALL_CLOCK_FORMS:
        return run.started_at + (run.due - run.started_at) * warn_at
    span = calendar.working_seconds(run.started_at, run.due)
    return calendar.add(run.started_at, Limit("working_hours", span * warn_at / 3600))


def _run(calendar: Calendar, run: engine.ClockRun, warn_at: float) -> Run:
    warn = warning_instant(calendar, run, warn_at) if run.running and run.paused_since is None else None
    return Run(run.clock, run.started_at.timestamp(), run.due.timestamp(), _epoch(warn),
               _epoch(run.stopped_at), run.stop_event, _epoch(run.paused_since), run.limit.form,
               run.limit.amount, bool(run.extensions))


def _escalations(history: Sequence[Mapping[str, Any]]) -> tuple[Escalated, ...]:
    found = []
    for event in history:
        if event.get("action") != "escalate":
            continue
        notified = event.get("notified") or []
        people = notified if isinstance(notified, list) else [notified]
        severity = event.get("severity")
        found.append(Escalated(str(event.get("clock", "")), str(event.get("due", "")),
                               str(event.get("level", "")), tuple(str(name) for name in people),
                               None if severity in (None, "") else str(severity),
                               event.get("historical") is True))
    return tuple(found)


def brief_of(view: engine.View, calendar: Calendar, history: Sequence[Mapping[str, Any]],
             path: str = "") -> Brief:
    runs = []
    for clock in view.policy.clocks:
        clock_runs = view.clocks.get(clock.name)
        if clock_runs:
            runs.append(_run(calendar, clock_runs[-1], clock.warn_at))
    values = {name: view.value(name) for name in VALUES}
    return Brief(
        id=str(view.intake.get("id", "")),
        status=view.status,
        final=view.final,
        received=view.received_at.timestamp(),
        closed=_epoch(view.closed_at),
        last=_epoch(view.last_at),
        owner=view.owner,
        department=view.department,
        coordinator=view.coordinator,
        departments=tuple(view.departments),
        rejections=view.rejections,
        reopenings=view.reopenings,
        values={key: value for key, value in values.items() if value is not None},
        runs=tuple(runs),
        escalations=_escalations(history),
        path=path,
    )
