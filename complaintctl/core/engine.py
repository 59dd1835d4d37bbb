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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from complaintctl.base.errors import Refused, UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.core import clocks
from complaintctl.core.compiled import ActionPlan, CompiledPolicy, compiled
from complaintctl.core.reportrules import SATISFACTION_FIELD, EventFold
from complaintctl.core.view import GROUP_VALUES, WALL_CLOCK_FORMS, ClockRun, Extension, Moment, View
from complaintctl.policy import facts
from complaintctl.policy.fields import coerce
from complaintctl.policy.model import BUILTIN_EVENTS, Action, Policy
from complaintctl.records.record import ENVELOPE, flatten_intake
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import parse_stored_instant

__all__ = ["AUTOMATIC", "GROUP_VALUES", "RECEIVED", "WALL_CLOCK_FORMS", "Actor", "ClockRun", "Extension",
           "Moment", "View", "apply_event", "blocked_actions", "coerce_fields", "founded", "in_time_order",
           "moment_at", "possible_actions", "prepare", "replay"]

RECEIVED = "received"  # the pseudo-event at the intake instant that clocks may start on
#: Events nobody typed: the sweep's escalations and their notice receipts. An action done earlier may be
#: entered after them (a late entry, `--at`); never before a person's event.
AUTOMATIC = frozenset({"escalate"})
# Events whose fields describe the complaint (latest value wins); escalate only carries a severity.
_NOT_FACTS = {"log": (), "note": (), "attach": (), "escalate": ("severity",), "extend": ()}
_BUILTIN = frozenset(BUILTIN_EVENTS)
# Events that change nothing a report reads (the timeline skips them): registering, notes, files,
# an extension (it moves a due time only).
_INERT = frozenset({"log", "note", "attach", "extend"})
_NOT_OWN = frozenset(ENVELOPE) | {"recorded_at"}  # an event's keys that are not its own fields
_NOT_VALUES = _NOT_OWN | {"to", "department", "coordinator"}  # nor values, in an action


def replay(policy: Policy, calendar: Calendar, intake: Mapping[str, Any],
           history: list[dict[str, Any]], *, timeline: bool = True) -> View:
    """The view after every event of the history. The history is trusted to be well formed: `check`
    reports histories that are not, and actions refuse to write one. Without `timeline`, the view's
    timeline is left empty (what `list` and the sweep derive has no use for it; a digest needs it)."""
    flat = flatten_intake(intake)
    received_at = parse_stored_instant(flat["received_at"])
    view = View(policy=policy, status=policy.initial, intake=flat, received_at=received_at,
                cycle_counts=_counter(), total_counts=_counter(),
                clocks={clock.name: [] for clock in policy.clocks})
    plan = compiled(policy)
    history = in_time_order(history)
    view.event_at[RECEIVED] = [received_at]
    clocks.run_clocks(view, plan, calendar, RECEIVED, received_at)
    if not timeline:
        for event in history:
            _apply(view, plan, calendar, event)
        return view
    moments = view.timeline
    last = _standing(view)
    moments.append(Moment(received_at.timestamp(), *last))
    for event in history:
        at = _apply(view, plan, calendar, event)
        if event["action"] in _INERT:
            continue
        standing = _standing(view)
        if standing != last:
            moments.append(Moment(at.timestamp(), *standing))
            last = standing
    return view


def in_time_order(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events in the order they happened. The file keeps the order they were entered (a late entry
    is appended, so a git diff of a record only ever adds lines at its end); replay orders them by the
    time of the act, the entry order breaking ties. Only a late entry carries `recorded_at` (when it was
    typed in), so a history without one is already in time order and is returned as it is."""
    if not any(isinstance(event, dict) and "recorded_at" in event for event in history):
        return history
    return sorted(history, key=lambda event: parse_stored_instant(event["at"]))


def founded(view: View, clock: str, at: datetime) -> bool:
    """Whether an escalation of `clock` at `at` stands: the clock's latest run had breached by then.
    One that a late entry shows unfounded (the act came in time) is withdrawn, never deleted."""
    runs = view.clocks.get(clock)
    if not runs:
        return False
    run = runs[-1]
    if run.stopped_at is not None:
        return run.stopped_at > run.due
    if run.paused_since is not None:
        return run.paused_since > run.due
    return at > run.due


def _standing(view: View) -> tuple[Any, ...]:
    """How the complaint stands, as a `Moment` holds it (all but its instant)."""
    values, intake = view.values, view.intake
    get = intake.get
    groups = tuple([values[name] if name in values else get(name) for name in GROUP_VALUES])
    satisfaction = values[SATISFACTION_FIELD] if SATISFACTION_FIELD in values else get(SATISFACTION_FIELD)
    closed = view.closed_at
    return (view.status, view.owner, view.department, groups,
            None if satisfaction is None else str(satisfaction),
            None if closed is None else closed.timestamp(), view.rejections, view.reopenings,
            None if view.fold is None else view.fold.snapshot())


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
    before = None
    if plan.restart_facts and name in plan.by_event:
        before = [view.fact(fact) for fact in plan.restart_facts]
    counts = view.total_counts
    counts[name] = counts.get(name, 0) + 1  # what `+= 1` does, without Counter.__missing__
    if name == "escalate" and not founded(view, str(event.get("clock", "")), at):
        # withdrawn: still an event of the file, but it raises nothing and a report does not count it
        view.withdrawn.append((at, str(event.get("clock", ""))))
        view.last_at = at if view.last_at is None or at > view.last_at else view.last_at
        return at
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
        if action.to and view.status not in action.after_closing:
            view.status = action.to  # an action after closing leaves the complaint closed
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
            clocks.extend(view, event, at)
    if name in plan.by_event:
        view.event_at.setdefault(name, []).append(at)
        changed = frozenset() if before is None else frozenset(
            fact for fact, old in zip(plan.restart_facts, before, strict=True)
            if old not in (None, "") and view.fact(fact) != old)
        clocks.run_clocks(view, plan, calendar, name, at,
                          restarting=action is not None and action.restarts, changed=changed)
    by_person = action is not None or name == "edit"
    if by_person and plan.varying:
        # A person's assessment moves limits; the sweep's raised severity does not (it would move the
        # due time of the very breach it reports).
        clocks.follow_limits(view, plan, calendar, at)
    if plan.conditional and (
            (by_person if plan.conditional_on is None else not plan.conditional_on.isdisjoint(event))
            or action is not None and action.clears):
        # whatever changed a value a conditional clock reads (an edit, an action's field, the sweep's
        # raised severity) may bring that clock in
        clocks.bring_in(view, plan, calendar)
    if plan.pausing:
        clocks.follow_pauses(view, plan, calendar, at)
    if view.status in plan.final_states:
        if view.closed_at is None:
            view.closed_at = at
        for runs in view.clocks.values():
            if runs and runs[-1].stopped_at is None:
                clocks.stop(runs[-1], calendar, at, None)
    if name in plan.interesting:
        if view.fold is None:
            view.fold = EventFold(plan.rules)
        view.fold.add(event)
    view.last_at = at
    if name not in AUTOMATIC:
        view.last_person_at = at
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
    role_refusal = _role_refusal(action, actor)
    if role_refusal is not None:
        raise Refused(role_refusal)
    event = coerce_fields(action, fields)
    unmet = _unmet(view, calendar, action, event, actor, judge_fields=True)
    if unmet is not None:
        raise Refused(f"{complaint_id}: {unmet}")
    return event


def _role_refusal(action: Action, actor: Actor) -> str | None:
    if actor.known and action.roles and not (actor.roles & set(action.roles)):
        return t("action.role", person=actor.name, action=action.name, roles=" / ".join(action.roles),
                 theirs=", ".join(sorted(actor.roles)) or t("none"))
    return None


def _unmet(view: View, calendar: Calendar, action: Action, event: Mapping[str, Any], actor: Actor, *,
           judge_fields: bool) -> str | None:
    """The message of the first of the action's conditions (`requires`) that would not hold once the
    step is taken, read of the complaint after it and of the step itself. Without `judge_fields`, a
    condition that reads the step's own fields (`event.X`) is left to when they are typed."""
    if not action.requires:
        return None  # nothing to check against the view after it (a copy is most of the cost)
    after = copy.deepcopy(view)
    apply_event(after, calendar, {"at": (view.last_at or view.received_at).isoformat(),
                                  "by": actor.name, "action": action.name, **event})

    def lookup(name: str) -> Any:
        return after.fact(name, event, actor.roles)

    for requirement in action.requires:
        if not judge_fields and any(test.fact.startswith("event.") or test.fact == "role"
                                    for test in (*requirement.when, *requirement.need)):
            continue
        if facts.all_hold(requirement.when, lookup) and not facts.all_hold(requirement.need, lookup):
            return requirement.message.text(current_language())
    return None


def blocked_actions(view: View, calendar: Calendar, actor: Actor | None = None
                    ) -> list[tuple[Action, str | None]]:
    """The policy's actions the complaint's state allows, each with why the write path would refuse
    it now (None: it would take it): the actor's roles, then the action's conditions, by the very
    checks `prepare` makes. A condition on the step's own fields is judged when they are typed."""
    found: list[tuple[Action, str | None]] = []
    for action in view.policy.actions_from(view.status):
        reason = None if actor is None else _role_refusal(action, actor)
        if reason is None:
            reason = _unmet(view, calendar, action, {}, actor or Actor("", frozenset(), False),
                            judge_fields=False)
        found.append((action, reason))
    return found


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

