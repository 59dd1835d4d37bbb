"""One compiled policy: what the engine, the index and the report look up in a policy, worked out once
per policy object (`compiled(policy)`), so that each lookup costs a dict access instead of a scan of
the policy. A policy is a frozen model, so nothing here goes stale.

It holds the replay's plan (each action's effects, the clocks each event starts or stops, the clocks
whose limits vary or pause), the report's rules (`reportrules.Rules`: costs, corrective actions,
escalations) that the engine folds while replaying, and the quick scan's plan (`quickstate.Plan`) with
which the index reads closed records off their text.
"""

from __future__ import annotations

import contextlib

from complaintctl.core.quickstate import Plan as ScanPlan
from complaintctl.core.reportrules import Rules
from complaintctl.policy import facts
from complaintctl.policy.model import Action, Clock, Policy, memo
from complaintctl.policy.model import Limit as PolicyLimit
from complaintctl.worktime.arithmetic import Limit


def _plain_value(fact: str) -> bool:
    """Whether a fact name is one of the complaint's values (set by intake, edits and action fields)."""
    return not (fact in ("role", "status", "owner", "department", "coordinator", "departments")
                or fact.startswith(("event.", "count.", "done.")))


def compiled(policy: Policy) -> CompiledPolicy:
    """The compiled form of a policy, made once per policy object."""
    return memo(policy, "compiled", CompiledPolicy)


_LIMITS: dict[tuple[str, type, float], Limit] = {}


def converted_limit(limit: PolicyLimit) -> Limit:
    """The policy's limit as the calendar counts it (one shared, immutable Limit per form and amount;
    the amount's type is kept, so `3` and `3.0` stay what the policy wrote)."""
    key = (limit.unit, type(limit.amount), limit.amount)
    converted = _LIMITS.get(key)
    if converted is None:
        converted = Limit.from_mapping(limit.as_mapping())
        if len(_LIMITS) < 10_000:
            _LIMITS[key] = converted
    return converted


class ClockPlan:
    """A clock with its event names as sets and its limit variants unpacked."""

    __slots__ = ("applies", "fixed", "limit", "limits", "name", "pause_in", "restart_on", "start", "stop")

    def __init__(self, clock: Clock) -> None:
        self.name = clock.name
        # the limit when no variant applies, converted once (if it is not valid, at each start, which
        # then raises as it always did)
        self.fixed: Limit | None = None
        with contextlib.suppress(ValueError):
            self.fixed = converted_limit(clock.limit)
        self.start = frozenset(clock.start)
        self.stop = frozenset(clock.stop)
        self.applies = tuple(facts.compiled(test) for test in clock.applies)
        self.limit = clock.limit
        self.limits = tuple((tuple(facts.compiled(test) for test in variant.when), variant.limit)
                            for variant in clock.limits)
        self.pause_in = frozenset(clock.pause_in)
        self.restart_on = frozenset(clock.restart_on)


class ActionPlan:
    """What replay reads of an action, as plain attributes."""

    __slots__ = ("after_closing", "clears", "rejection", "reopening", "restarts", "to")

    def __init__(self, action: Action) -> None:
        self.clears = action.clears
        self.restarts = action.restarts
        self.rejection = action.counts_as == "rejection"
        self.reopening = action.counts_as == "reopening"
        self.to = action.to
        self.after_closing = frozenset(action.after_closing)


class CompiledPolicy:
    """Lookups replay makes for every event, so that they cost a dict access instead of a scan of the
    policy. A policy is a frozen model, so what is worked out here never goes stale."""

    def __init__(self, policy: Policy) -> None:
        self.final_states = policy.final_states
        self.actions: dict[str, ActionPlan] = {}
        for action in policy.actions:
            if action.name not in self.actions:  # the first wins, as in Policy.action
                self.actions[action.name] = ActionPlan(action)
        clocks = [ClockPlan(clock) for clock in policy.clocks]
        # per event, the clocks it starts or stops (and which), in policy order: the order runs start in
        self.by_event: dict[str, tuple[tuple[ClockPlan, bool, bool], ...]] = {}
        for name in sorted({name for clock in clocks for name in clock.start | clock.stop}):
            self.by_event[name] = tuple((c, name in c.start, name in c.stop) for c in clocks
                                        if name in c.start or name in c.stop)
        self.varying = tuple(clock for clock in clocks if clock.limits)
        self.pausing = tuple(clock for clock in clocks if clock.pause_in)
        # the values whose change by a start event restarts a clock for the one who now has it (四.3)
        self.restart_facts = tuple(sorted({name for clock in clocks for name in clock.restart_on}))
        # clocks that apply only to some complaints: a reclassification may bring one in; the values
        # their conditions read (None: a condition reads more than values, so every step may)
        self.conditional = tuple(clock for clock in clocks if clock.applies)
        read = {test.fact for clock in policy.clocks for test in clock.applies}
        self.conditional_on: frozenset[str] | None = (
            frozenset(read) if all(_plain_value(name) for name in read) else None)
        # what a report counts from the events (costs, corrective actions, escalations): the same
        # compiled rules the report reads
        self.rules = Rules.for_policy(policy)
        self.interesting = self.rules.interesting
        self.scan = ScanPlan.of(policy)
        #: the actions that lead into a final state (close, reject, ...)
        self.closing = frozenset(name for name, plan in self.actions.items()
                                 if plan.to is not None and plan.to in policy.final_states)
