"""Deriving a complaint's state by replaying its history through its policy.

Pure: no files, no clock. The history is the truth; status, owner, department, counts, every clock's
runs and due times, and the timeline of what a report reads at any cutoff (`Moment`) come from
`replay`, the one derivation every view of a complaint reads. `prepare` checks a new event against the
policy (state, role, fields, conditions) before the shell appends it.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from complaintctl.base.errors import Refused, UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.core.compiled import ActionPlan, ClockPlan, CompiledPolicy, compiled, converted_limit
from complaintctl.core.reportrules import SATISFACTION_FIELD, EventFold
from complaintctl.policy import facts
from complaintctl.policy.fields import coerce
from complaintctl.policy.model import BUILTIN_EVENTS, Action, Policy
from complaintctl.records import intake
from complaintctl.records.record import ENVELOPE, flatten_intake
from complaintctl.worktime.arithmetic import Calendar, Limit
from complaintctl.worktime.times import parse_stored_instant

RECEIVED = "received"  # the pseudo-event at the intake instant that clocks may start on
WALL_CLOCK_FORMS = ("minutes", "hours", "calendar_days")
# Events whose fields describe the complaint (latest value wins); escalate only carries a severity.
_NOT_FACTS = {"log": (), "note": (), "attach": (), "escalate": ("severity",), "extend": ()}
_BUILTIN = frozenset(BUILTIN_EVENTS)
_NOT_OWN = frozenset(ENVELOPE) | {"recorded_at"}  # an event's keys that are not its own fields
_NOT_VALUES = _NOT_OWN | {"to", "department", "coordinator"}  # nor values, in an action


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
        if name == "departments":
            return len(self.departments)
        if name in ("owner", "department", "coordinator", "status"):
            return getattr(self, name)
        return self.value(name)

    def current_runs(self) -> list[ClockRun]:
        """The latest run of each clock, in policy order."""
        return [runs[-1] for runs in self.clocks.values() if runs]


def replay(policy: Policy, calendar: Calendar, intake: Mapping[str, Any],
           history: list[dict[str, Any]]) -> View:
    """The view after every event of the history. The history is trusted to be well formed: `check`
    reports histories that are not, and actions refuse to write one."""
    flat = flatten_intake(intake)
    received_at = parse_stored_instant(flat["received_at"])
    view = View(policy=policy, status=policy.initial, intake=flat, received_at=received_at,
                cycle_counts=_counter(), total_counts=_counter(),
                clocks={clock.name: [] for clock in policy.clocks})
    plan = compiled(policy)
    view.event_at[RECEIVED] = [received_at]
    _run_clocks(view, plan, calendar, RECEIVED, received_at)
    timeline = view.timeline
    timeline.append(_moment(view, received_at.timestamp()))
    for event in history:
        at = _apply(view, plan, calendar, event)
        moment = _moment(view, at.timestamp())
        if moment[1:] != timeline[-1][1:]:
            timeline.append(moment)
    return view


def _moment(view: View, at: float) -> Moment:
    values, intake = view.values, view.intake
    groups = tuple(values[name] if name in values else intake.get(name) for name in GROUP_VALUES)
    satisfaction = values[SATISFACTION_FIELD] if SATISFACTION_FIELD in values else intake.get(
        SATISFACTION_FIELD)
    closed = view.closed_at
    return Moment(at, view.status, view.owner, view.department, groups,
                  None if satisfaction is None else str(satisfaction),
                  None if closed is None else closed.timestamp(), view.rejections, view.reopenings,
                  None if view.fold is None else view.fold.facts().as_tuple())


def moment_at(timeline: list[Moment], cutoff: float) -> Moment | None:
    """The moment in force just before `cutoff` (events at the cutoff itself are after it); None when
    the complaint was received at or after it."""
    from bisect import bisect_left

    found = bisect_left(timeline, cutoff, key=lambda moment: moment[0]) - 1
    return timeline[found] if found >= 0 else None


def apply_event(view: View, calendar: Calendar, event: Mapping[str, Any]) -> None:
    """Advance the view by one event."""
    _apply(view, compiled(view.policy), calendar, event)


def _apply(view: View, plan: CompiledPolicy, calendar: Calendar, event: Mapping[str, Any]) -> datetime:
    name = event["action"]
    if type(name) is not str:
        name = str(name)
    text = event["at"]
    at = datetime.fromisoformat(text) if type(text) is str else parse_stored_instant(text)
    if at.tzinfo is None:
        at = parse_stored_instant(text)  # raises, as for any instant without an offset
    action: ActionPlan | None = None
    if name not in _BUILTIN:
        action = plan.actions.get(name)
        if action is None:
            view.policy.action(name)  # raises NotFound, as for any unknown action

    # The event's own fields (all but at, by, action, recorded_at) set values; an action's assignment
    # fields set the owner, department and coordinator instead.
    values = view.values
    counts = view.total_counts
    counts[name] = counts.get(name, 0) + 1  # what `+= 1` does, without Counter.__missing__
    if action is not None:
        for cleared in action.clears:
            values.pop(cleared, None)
        if "to" in event or "department" in event or "coordinator" in event:
            _take_assignment(view, event)
        for key, value in event.items():
            if key not in _NOT_VALUES:
                values[key] = value
        if action.restarts:
            view.cycle_counts = _counter()
        counts = view.cycle_counts
        counts[name] = counts.get(name, 0) + 1
        if action.rejection:
            view.rejections += 1
        elif action.reopening:
            view.reopenings += 1
            view.closed_at = None
        if action.to:
            view.status = action.to
    else:
        kept = _NOT_FACTS.get(name)
        if kept is None:  # edit
            _take_assignment(view, event)
            for key, value in event.items():
                if key not in _NOT_OWN:
                    values[key] = value
        else:
            for key in kept:
                if key in event:
                    values[key] = event[key]
        if name == "extend":
            _extend(view, event, at)
    if name in plan.by_event:
        view.event_at.setdefault(name, []).append(at)
        _run_clocks(view, plan, calendar, name, at,
                    restarting=action is not None and action.restarts)
    if action is not None or name == "edit":
        # A person's assessment moves limits; the sweep's raised severity does not (it would move the
        # due time of the very breach it reports).
        if plan.varying:
            _follow_limits(view, plan, calendar, at)
        if plan.conditional:
            _bring_in(view, plan, calendar)
    if plan.pausing:
        _follow_pauses(view, plan, calendar, at)
    if view.status in plan.final_states:
        if view.closed_at is None:
            view.closed_at = at
        for runs in view.clocks.values():
            if runs and runs[-1].stopped_at is None:
                _stop(runs[-1], calendar, at, None)
    if name in plan.interesting:
        if view.fold is None:
            view.fold = EventFold(plan.rules)
        view.fold.add(event)
    view.last_at = at
    return at


def _counter() -> Counter[str]:
    """An empty Counter, without Counter.__init__ (Python code that only calls update() with nothing)."""
    counter: Counter[str] = Counter.__new__(Counter)
    return counter


def _take_assignment(view: View, own: Mapping[str, Any]) -> None:
    if own.get("to"):
        view.owner = str(own["to"])
    if own.get("department"):
        view.department = str(own["department"])
        if view.department not in view.departments:
            view.departments.append(view.department)
    if own.get("coordinator"):
        view.coordinator = str(own["coordinator"])


def _run_clocks(view: View, plan: CompiledPolicy, calendar: Calendar, event_name: str, at: datetime, *,
                restarting: bool = False) -> None:
    """Stop the runs this event stops, start the runs it starts. A clock that is running when one of its
    start events comes keeps its run, unless the event begins a new cycle (a reopening): then the old
    run ends and a new one starts, so a reopened complaint gets fresh limits."""
    final = view.status in plan.final_states
    for clock, starts, stops in plan.by_event.get(event_name, ()):
        runs = view.clocks[clock.name]
        if runs:
            current = runs[-1]
            if current.stopped_at is None:
                if stops:
                    _stop(current, calendar, at, event_name)
                elif restarting and starts:
                    _stop(current, calendar, at, None)
                else:
                    continue  # still running: it keeps its run
        if starts and not final:
            if clock.applies and not facts.all_compiled(clock.applies, view.fact):
                continue
            limit = _choose(clock, view.fact) if clock.limits else clock.fixed or converted_limit(clock.limit)
            runs.append(ClockRun(clock.name, at, event_name, limit, calendar.add(at, limit)))


def _follow_limits(view: View, plan: CompiledPolicy, calendar: Calendar, at: datetime) -> None:
    """A limit that depends on the complaint (severity, category) follows it while the clock runs: a
    complaint assessed as urgent after receipt gets the urgent limit, counted from the same start.

    A reclassification takes effect when it is recorded (DOMAIN.md, "A fact that changes a limit is
    changed by a rule"): a run already past its due time then stays breached, whatever limit the new
    facts would have given it."""
    for clock in plan.varying:
        runs = view.clocks[clock.name]
        if not runs or runs[-1].stopped_at is not None:
            continue
        run = runs[-1]
        if run.extensions or run.pauses or run.paused_since is not None:
            continue  # a moved due time is a decision on the record; it is not recomputed
        if at > run.due:
            continue  # breached before the change: a reclassification cannot cure it
        limit = _choose(clock, view.fact)
        if limit is not run.limit and limit != run.limit:
            run.limit = limit
            run.due = calendar.add(run.started_at, limit)


def _bring_in(view: View, plan: CompiledPolicy, calendar: Calendar) -> None:
    """A clock that applies only to some complaints (tourism's extension notice, for a complex one) and
    did not apply when its start event came starts when a reclassification makes it apply, counted from
    that start event, as the document counts it (a complaint found complex on day 3 still owes its
    notice within 10 working days of receipt). A stop event that came since its start stops it then (a
    complaint registered at once met its registration limit). Not once closed."""
    if view.status in plan.final_states:
        return
    for clock in plan.conditional:
        runs = view.clocks[clock.name]
        if runs:
            continue
        started = [(view.event_at[name][-1], name) for name in clock.start if name in view.event_at]
        if not started or not facts.all_compiled(clock.applies, view.fact):
            continue
        start_at, start_event = max(started)
        limit = _choose(clock, view.fact) if clock.limits else clock.fixed or converted_limit(clock.limit)
        run = ClockRun(clock.name, start_at, start_event, limit, calendar.add(start_at, limit))
        stops = [(moment, name) for name in clock.stop for moment in view.event_at.get(name, ())
                 if moment >= start_at]
        if stops:
            stopped_at, stop_event = min(stops)
            _stop(run, calendar, stopped_at, stop_event)
        runs.append(run)


def _choose(clock: ClockPlan, lookup: facts.FactLookup) -> Limit:
    for when, limit in clock.limits:
        if facts.all_compiled(when, lookup):
            return converted_limit(limit)
    return clock.fixed or converted_limit(clock.limit)


def _stop(run: ClockRun, calendar: Calendar, at: datetime, event_name: str | None) -> None:
    if run.paused_since is not None:
        _resume(run, calendar, at)
    run.stopped_at = at
    run.stop_event = event_name


def _follow_pauses(view: View, plan: CompiledPolicy, calendar: Calendar, at: datetime) -> None:
    for clock in plan.pausing:
        runs = view.clocks[clock.name]
        if not runs or runs[-1].stopped_at is not None:
            continue
        run = runs[-1]
        waiting = view.status in clock.pause_in
        if waiting and run.paused_since is None:
            run.paused_since = at
        elif not waiting and run.paused_since is not None:
            _resume(run, calendar, at)


def _resume(run: ClockRun, calendar: Calendar, at: datetime) -> None:
    """Move the due time on by the time the clock stood still, measured as the limit measures time."""
    paused_since = run.paused_since
    assert paused_since is not None
    run.paused_since = None
    run.pauses.append((paused_since, at))
    if paused_since >= run.due:
        return  # it had already breached when the wait began: a pause cannot undo that
    if run.limit.form in WALL_CLOCK_FORMS:
        run.due = run.due + (at - paused_since)
    else:
        remaining = calendar.working_seconds(paused_since, run.due)
        run.due = calendar.add(at, Limit("working_hours", remaining / 3600))


def _extend(view: View, event: Mapping[str, Any], at: datetime) -> None:
    name = str(event.get("clock", ""))
    runs = view.clocks.get(name)
    if not runs or not runs[-1].running:
        return
    run = runs[-1]
    new_due = parse_stored_instant(event["due"])
    run.extensions.append(Extension(at=at, previous_due=run.due, due=new_due,
                                    reason=str(event.get("reason", "")), by=str(event.get("by", ""))))
    run.due = new_due


# -- checking a new event before it is written ----------------------------------------------------

@dataclass(frozen=True)
class Actor:
    name: str
    roles: frozenset[str]
    known: bool  # False when the store has no people list: anyone may act


def possible_actions(view: View, actor: Actor | None = None) -> list[Action]:
    """The policy's actions allowed in the current state (and to this actor, when given)."""
    allowed = []
    for action in view.policy.actions_from(view.status):
        if actor is not None and actor.known and action.roles and not (actor.roles & set(action.roles)):
            continue
        allowed.append(action)
    return allowed


def prepare(view: View, calendar: Calendar, complaint_id: str, action_name: str,
            fields: Mapping[str, Any], actor: Actor) -> dict[str, Any]:
    """The event's own fields, coerced and checked; raises Refused or UsageError with the reason."""
    policy = view.policy
    language = current_language()
    if action_name == "extend":
        return _prepare_extension(view, complaint_id, fields)
    if action_name in BUILTIN_EVENTS:
        return dict(fields)
    if not policy.has_action(action_name):
        possible = ", ".join(a.name for a in possible_actions(view)) or t("none")
        raise UsageError(t("action.unknown", policy=policy.policy, action=action_name, possible=possible))
    action = policy.action(action_name)
    if not action.allowed_in(view.status, policy.final_states):
        state_label = policy.state(view.status).text(language)
        if view.final and "*" in action.from_ and len(action.from_) == 1:
            raise Refused(t("action.final", id=complaint_id, state=state_label))
        allowed = ", ".join(policy.state(s).text(language) if s != "*" else "*" for s in action.from_)
        raise Refused(t("action.wrong_state", id=complaint_id, action=action_name, state=state_label,
                        allowed=allowed))
    if actor.known and action.roles and not (actor.roles & set(action.roles)):
        raise Refused(t("action.role", person=actor.name, action=action_name,
                        roles=" / ".join(action.roles), theirs=", ".join(sorted(actor.roles)) or t("none")))
    event = coerce_fields(action, fields)
    after = copy.deepcopy(view)
    apply_event(after, calendar, {"at": (view.last_at or view.received_at).isoformat(),
                                  "by": actor.name, "action": action_name, **event})

    def lookup(name: str) -> Any:
        return after.fact(name, event, actor.roles)

    for requirement in action.requires:
        if facts.all_hold(requirement.when, lookup) and not facts.all_hold(requirement.need, lookup):
            raise Refused(f"{complaint_id}: {requirement.message.text(language)}")
    return event


def _prepare_extension(view: View, complaint_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """An extension names a running clock the policy lets `extend` move, a later due time, a reason."""
    unknown = [name for name in fields if name not in ("clock", "due", "reason")]
    if unknown:
        raise UsageError(t("field.unknown", action="extend", field=unknown[0], known="clock, due, reason"))
    for name in ("clock", "due", "reason"):
        if fields.get(name) in (None, ""):
            raise UsageError(t("field.missing", action="extend", field=name))
    name = str(fields["clock"])
    extendable = [clock.name for clock in view.policy.clocks if clock.extend_with == "extend"]
    if name not in extendable:
        raise Refused(t("extend.not_extendable", id=complaint_id, clock=name,
                        clocks=", ".join(extendable) or t("none")))
    runs = view.clocks.get(name) or []
    if not runs or not runs[-1].running:
        raise Refused(t("extend.not_running", id=complaint_id, clock=name))
    due = parse_stored_instant(fields["due"])
    if due <= runs[-1].due:
        raise Refused(t("extend.not_later", id=complaint_id, clock=name, due=runs[-1].due.isoformat()))
    return {"clock": name, "due": str(fields["due"]), "reason": str(fields["reason"]).strip()}


def coerce_fields(action: Action, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields in the order the policy lists them, each of its declared type."""
    unknown = [name for name in fields if name not in action.fields]
    if unknown:
        raise UsageError(t("field.unknown", action=action.name, field=unknown[0],
                           known=", ".join(action.fields) or t("none")))
    event: dict[str, Any] = {}
    for name, spec in action.fields.items():
        value = fields.get(name)
        if value in (None, ""):
            if spec.required:
                raise UsageError(t("field.missing", action=action.name, field=name))
            continue
        event[name] = coerce(name, spec, value)
    return event

