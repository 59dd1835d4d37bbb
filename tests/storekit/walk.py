"""Walking one complaint through any policy with the engine, as an office would: the history of a
generated record (benchmarks/make_store.py).

The walk starts from `engine.replay` of the intake, logs the complaint, then repeatedly takes one of
`engine.possible_actions`: forward steps (to a state listed later in the policy) are likely, sends-back
and reopenings rare, steps that stay in the state likelier when they stop a running clock. Each action's
fields are filled by type from the policy (choices, texts from the policy's phrase banks in
tests/storekit/data/, money, people, dates, files) and checked by `engine.prepare`; when a guard refuses,
another actor or other values are tried, then the actions that can lift the refusal (those the refused
action's conditions count or read), then other actions. `engine.apply_event` advances the view.

Times: the next event comes some working hours later on the store's calendar (China's working days),
sooner when a running clock would otherwise breach, and now and then late or out of hours, so some
clocks breach. A closed complaint walks to a final state within 12 events; an open one stops earlier.

`engine.prepare` deep-copies the view (policy included), about 1 ms a call. Its verdict depends only on
the state, on what the policy's conditions read of the complaint (counts, values or just whether they
are set, the number of departments) and on what they read of the step (its fields, the actor's roles),
so it is remembered under exactly those (`Walker.memo`): the engine is asked once per distinct case,
a few hundred times per store, not once per event. Likewise the walk learns, from the closed walks so
far, how many events a complaint still needs from what its conditions see (`Walker.still`), so that
notes and detours leave room to close within 12 events.
"""

from __future__ import annotations

import random
from collections import deque
from datetime import datetime, timedelta
from typing import Any

from complaintctl.base.errors import Refused, UsageError
from complaintctl.base.messages import current_language
from complaintctl.core import engine
from complaintctl.policy import facts
from complaintctl.policy.model import Action, Fact, Policy
from complaintctl.records.intake import KEYS as INTAKE_KEYS
from complaintctl.store.directory import Store
from complaintctl.worktime.arithmetic import Limit
from complaintctl.worktime.times import format_instant
from storekit.data import PolicyData, weighted

MAX_EVENTS = 12
MIN_EVENTS = 3
LATE_SHARE = 0.10  # steps taken without regard to the deadline they stop
OUT_OF_HOURS_SHARE = 0.03
NOTE_SHARE = 0.07
ATTEMPTS = 3  # actors and field values tried per action before trying another action
FORWARD, SIDE, BACK = 1, 0, -1  # to a state listed later, the same state, an earlier one
ACCEPTED, OTHERWISE = -2, -1  # what `prepare` said, besides the index of the condition that refused


class WalkFailed(Exception):
    """This walk did not reach where it had to (the caller draws again)."""


class Walker:
    def __init__(self, store: Store, data: PolicyData, rng: random.Random) -> None:
        self.policy: Policy = store.policy
        self.calendar = store.calendar
        self.tz = store.tz
        self.data = data
        self.rng = rng
        policy = self.policy
        self.order = {state.name: index for index, state in enumerate(policy.states)}
        self.finals = policy.final_states  # a property that builds a new set on every call
        self.dist = _distances(policy, policy.final_states)
        closing = {policy.target(policy.action("close"), state.name) for state in policy.states
                   if policy.action("close").allowed_in(state.name, policy.final_states)}
        self.dist_closed = _distances(policy, frozenset(closing))  # to the close action's end
        self.enablers = _enablers(policy)
        self.value_facts, self.set_facts = _guard_facts(policy)
        self.intake_facts = sorted(name for name in self.value_facts | self.set_facts
                                   if name in INTAKE_KEYS)
        derived = [name for name in sorted(self.value_facts | self.set_facts)
                   if name != "role" and not name.startswith("event.")]
        self.view_values = [name for name in derived if name in self.value_facts]
        self.view_presence = [name for name in derived if name not in self.value_facts]
        self.reads_role = "role" in self.value_facts | self.set_facts
        self.actors = {name: engine.Actor(name, frozenset(roles), True) for name, roles, _ in data.people}
        self.eligible = {action.name: [actor for actor in self.actors.values()
                                       if not action.roles or actor.roles & set(action.roles)]
                         for action in policy.actions}
        self.stops = {clock.name: frozenset(clock.stop) for clock in policy.clocks}
        self.extendable = frozenset(c.name for c in policy.clocks if c.extend_with == "extend")
        # who may extend each clock and for which complaints (the clock's `extension`, 五.2)
        self.extenders = {c.name: [a for a in self.actors.values() if a.roles & set(c.extension.roles)]
                          for c in policy.clocks if c.extension is not None}
        self.extend_when = {c.name: c.extension.when for c in policy.clocks if c.extension is not None}
        self.memo: dict[tuple[Any, ...], int] = {}
        self.menus: dict[tuple[str, Any], list[tuple[str, str, int, float, frozenset[str], int]]] = {}
        self.prepared = 0  # calls of engine.prepare for policy actions (memo misses)
        # The fewest events a closed walk has taken to end from what its conditions saw: the state
        # machine's shortest path does not count the steps that conditions ask for (a visit, a review).
        self.still: dict[tuple[Any, ...], int] = {}

    # -- one complaint ------------------------------------------------------------------------------
    def walk(self, intake: dict[str, Any], received: datetime, *, closed: bool, now: datetime,
             context: dict[str, Any]) -> list[dict[str, Any]]:
        """The events of one history; raises WalkFailed when this draw cannot be used."""
        rng = self.rng
        view = engine.replay(self.policy, self.calendar, intake, [])
        intake_key = tuple(_hashable(intake.get(name)) for name in self.intake_facts)
        target = MAX_EVENTS if closed else rng.randint(MIN_EVENTS, MAX_EVENTS - 1)
        channel = str(intake["channel"])
        roles = self.data.loggers.get(channel) or self.data.loggers["*"]
        logger = rng.choice([a for a in self.actors.values() if a.roles & set(roles)])
        at = self._time(view, "log", received, final=False)
        events = [{"at": format_instant(at, self.tz), "by": logger.name, "action": "log"}]
        engine.apply_event(view, self.calendar, events[0])
        involved = [logger.name]
        passed: list[tuple[tuple[Any, ...], int]] = []  # what the conditions saw, after how many events
        while not view.final and len(events) < target:
            seen = self._seen(view, intake_key)
            passed.append((seen, len(events)))
            room = MAX_EVENTS - len(events) - max(self.dist[view.status], self.still.get(seen, 0))
            if room > 3 and rng.random() < NOTE_SHARE:
                step = self._builtin(view, "note", {"text": self._text("note", "text", context)}, involved)
            else:
                step = self._step(view, seen, context, involved, closed=closed, events=len(events),
                                  tight=closed and room <= 2)
            if step is None:
                break
            event = step
            at = self._time(view, str(event["action"]), at, final=self._is_final(view, event))
            if not closed and at > now:
                break
            event = {"at": format_instant(at, self.tz), **event}
            self._set_dates(event, at)
            engine.apply_event(view, self.calendar, event)
            events.append(event)
            if event["by"] not in involved:
                involved.append(str(event["by"]))
        if closed and not view.final:
            raise WalkFailed("did not reach a final state", events)
        if len(events) < MIN_EVENTS or (not closed and view.final):
            raise WalkFailed("too short", events)
        if closed:
            for seen, done in passed:
                self.still[seen] = min(self.still.get(seen, MAX_EVENTS), len(events) - done)
        return events

    # -- choosing the next step ---------------------------------------------------------------------
    def _step(self, view: engine.View, seen: tuple[Any, ...], context: dict[str, Any],
              involved: list[str], *, closed: bool, events: int, tight: bool) -> dict[str, Any] | None:
        rng = self.rng
        runs = [run for run in view.current_runs() if run.running and run.paused_since is None]
        running = {run.clock for run in runs}
        weights: dict[str, float] = {}
        for name, target, kind, factor, stopped_by, need in self._menu(view):
            if closed and events + need > MAX_EVENTS:
                continue  # a closed complaint must still reach a final state within MAX_EVENTS
            if target in self.finals and not closed:
                continue
            if kind == SIDE:  # a step on the side: likely when it stops a running clock
                again = 0.2 ** view.cycle_counts[name]  # seldom twice
                spontaneous = 0.4 * factor * again * (0.05 if tight else 1.0)
                weight = 6.0 if running & stopped_by and factor else spontaneous
            else:
                weight = (10.0 if kind == FORWARD else 0.6) * factor
            if weight > 0:
                weights[name] = weight
        extendable = [run for run in runs if run.clock in self.extendable and not run.extensions
                      and self.extenders.get(run.clock)
                      and facts.all_hold(self.extend_when.get(run.clock, ()), view.fact)]
        if extendable:
            stops_clock = any("extend" in self.stops[clock] for clock in running)
            weights["extend"] = 8.0 if stops_clock else 0.05
        order = sorted(weights, key=lambda item: rng.random() ** (1.0 / weights[item]), reverse=True)
        queue = deque(order)
        while queue:
            item = queue.popleft()
            if item == "extend":
                run = extendable[0]
                due = self.calendar.add(run.due, Limit("working_days", rng.choice((3, 5, 7, 10))))
                fields = {"clock": run.clock, "due": format_instant(due, self.tz),
                          "reason": self._text("extend", "reason", context)}
                extenders = self.extenders[run.clock]
                known = [actor.name for actor in extenders if actor.name in involved]
                return self._builtin(view, "extend", fields, known or [self.rng.choice(extenders).name])
            taken, helpers = self._try(view, self.policy.action(item), seen, context, involved)
            if taken is not None:
                return taken
            lifting = [other for other in queue if other in helpers]
            for other in lifting:  # try what can lift the refusal first
                queue.remove(other)
            queue.extendleft(reversed(lifting))
        return None

    def _menu(self, view: engine.View) -> list[tuple[str, str, int, float, frozenset[str], int]]:
        """The actions of the view's state, for its category: (name, target state, FORWARD, SIDE or
        BACK, weight factor, the clocks it stops, the fewest events it takes to reach a final state,
        or for a step back, to go round again and close: not only to end some other way)."""
        category = view.value("category")
        key = (view.status, category)
        menu = self.menus.get(key)
        if menu is None:
            menu = []
            here = self.order[view.status]
            for action in engine.possible_actions(view):
                target = self.policy.target(action, view.status)
                there = self.order[target]
                kind = FORWARD if there > here else SIDE if target == view.status else BACK
                factor = self.data.action_weights.get(f"{action.name}@{category}",
                                                      self.data.action_weights.get(action.name, 1.0))
                stopped_by = frozenset(c for c, stops in self.stops.items() if action.name in stops)
                need = 1 + self.dist[target]
                if kind == BACK:
                    need = max(need, 2 + self.dist_closed.get(target, MAX_EVENTS))
                menu.append((action.name, target, kind, factor, stopped_by, need))
            self.menus[key] = menu
        return menu

    def _try(self, view: engine.View, action: Action, seen: tuple[Any, ...], context: dict[str, Any],
             involved: list[str]) -> tuple[dict[str, Any] | None, set[str]]:
        """The event for the first actor and values the policy accepts; else None and the actions that
        could lift the conditions that refused it."""
        candidates = self.eligible[action.name]
        helpers: set[str] = set()
        if not candidates:
            return None, helpers
        for attempt in range(ATTEMPTS):
            actor = self._actor(view, candidates, involved, attempt)
            fields = self._fields(view, action, context, attempt)
            key = (seen, self._abstract(view, action, fields, actor))
            verdict = self.memo.get(key)
            if verdict is None:
                self.prepared += 1
                verdict = self._prepare(view, action, fields, actor)
                self.memo[key] = verdict
            if verdict == ACCEPTED:
                own = engine.coerce_fields(action, fields)
                return {"by": actor.name, "action": action.name, **own}, helpers
            if verdict >= 0:  # what can make the unmet needs of the condition that refused it hold
                for fact, names in self.enablers[action.name][verdict]:
                    if not facts.holds(fact, view.fact):
                        helpers |= names
        return None, helpers

    def _prepare(self, view: engine.View, action: Action, fields: dict[str, Any], actor: engine.Actor
                 ) -> int:
        """ACCEPTED, the index of the condition that refused the step, or OTHERWISE."""
        try:
            engine.prepare(view, self.calendar, "X", action.name, fields, actor)
        except Refused as refusal:
            language = current_language()
            for index, requirement in enumerate(action.requires):
                if str(refusal).endswith(": " + requirement.message.text(language)):
                    return index
            return OTHERWISE
        except UsageError:
            return OTHERWISE
        return ACCEPTED

    def _builtin(self, view: engine.View, name: str, fields: dict[str, Any], involved: list[str]
                 ) -> dict[str, Any] | None:
        actor = self.actors[self._someone(view, involved)]
        if name == "extend" and actor not in self.extenders[str(fields["clock"])]:
            actor = self.actors[self.rng.choice(involved)]
        try:
            own = engine.prepare(view, self.calendar, "X", name, fields, actor)
        except (Refused, UsageError):
            return None
        return {"by": actor.name, "action": name, **own}

    def _someone(self, view: engine.View, involved: list[str]) -> str:
        if view.owner in self.actors and self.rng.random() < 0.5:
            return str(view.owner)
        return self.rng.choice(involved)

    def _actor(self, view: engine.View, candidates: list[engine.Actor], involved: list[str],
               attempt: int) -> engine.Actor:
        rng = self.rng
        if attempt == 0:
            for name in (*(view.value(f) for f in self.data.prefer_fields), view.owner):
                actor = self.actors.get(str(name)) if name else None
                if actor in candidates and rng.random() < 0.85:
                    return actor
            known = [a for a in candidates if a.name in involved]
            if known and rng.random() < 0.7:
                return rng.choice(known)
        return rng.choice(candidates)

    # -- field values -------------------------------------------------------------------------------
    def _fields(self, view: engine.View, action: Action, context: dict[str, Any], attempt: int
                ) -> dict[str, Any]:
        data, rng = self.data, self.rng
        fields: dict[str, Any] = {}
        department = None
        if "department" in action.fields and ("to" in action.fields or action.fields["department"].required):
            fixed = data.texts.get(f"{action.name}.department")  # e.g. a transfer to QA names QA
            department = rng.choice(fixed) if fixed else self._department(view, context)
            if action.fields["department"].required or rng.random() < 0.8 or attempt:
                fields["department"] = department
        for name, spec in action.fields.items():
            if name in fields or (name == "department" and department is not None):
                continue
            share = data.lookup(data.optional_share, action.name, name) or 0.35
            if not spec.required and not attempt and rng.random() >= share:
                continue
            if spec.type == "choice":
                category = view.value("category")
                weights = (data.choices.get(f"{action.name}.{name}@{category}")
                           or data.lookup(data.choices, action.name, name))
                codes = [item.code for item in spec.values or ()]
                fields[name] = weighted(rng, weights) if weights else rng.choice(codes)
            elif spec.type == "bool":
                share = data.lookup(data.choices, action.name, name) or {True: 0.85, False: 0.15}
                fields[name] = True if attempt == 1 else weighted(rng, share)
            elif spec.type in ("money", "number"):
                fields[name] = (rng.random() < 0.5 and context.get("amount")) or rng.choice(data.amounts)
            elif spec.type == "person":
                fields[name] = self._person(view, action, name, department or view.department)
            elif spec.type == "datetime":  # a due date: set once the event's time is known
                fields[name] = format_instant(view.last_at or view.received_at, self.tz)
            elif spec.type == "files":
                names = self._text(action.name, name, context).split("、")
                fields[name] = names
            else:  # text; a bank may depend on a choice made above (`visit.notes@unsatisfied`)
                keys = [f"{action.name}.{name}@{v}" for v in (*fields.values(), view.value("category"))
                        if isinstance(v, str)]
                bank = next((data.texts[key] for key in keys if key in data.texts), None)
                where = view.department or department or context["home_department"]
                fields[name] = self._text(action.name, name, {**context, "department": where}, bank)
        return fields

    def _department(self, view: engine.View, context: dict[str, Any]) -> str:
        departments = list(self.data.departments)
        if view.department is None:
            return str(context["home_department"])
        if self.rng.random() < 0.6:
            return self.rng.choice([d for d in departments if d != view.department] or departments)
        return view.department

    def _person(self, view: engine.View, action: Action, name: str, department: str | None) -> str:
        data, rng = self.data, self.rng
        roles = set(data.lookup(data.person_roles, action.name, name) or ())
        people = [p for p, r, _ in data.people if not roles or roles & set(r)]
        if department and name == "to":
            staff = [p for p in data.departments.get(department, ()) if p in people]
            if staff:
                people = staff
        if name == "to" and view.owner in people and len(people) > 1 and rng.random() < 0.7:
            people = [p for p in people if p != view.owner]
        return rng.choice(people)

    def _text(self, action: str, name: str, context: dict[str, Any], bank: tuple[str, ...] | None = None
              ) -> str:
        bank = bank or (self.data.notes if action == "note" else self.data.text_for(action, name))
        if not bank:
            raise KeyError(f"{self.data.policy}: no phrases for {action}.{name}")
        text = self.rng.choice(bank).format(**context)
        if not text.strip():
            raise ValueError(f"{self.data.policy}: an empty text for {action}.{name}")
        return text

    def _seen(self, view: engine.View, intake_key: tuple[Any, ...]) -> tuple[Any, ...]:
        """What the policy's conditions can read of the complaint before a step: the state, the
        intake values they name, each other fact they name (its value, or only whether it is set)."""
        return (view.status, intake_key,
                *(_hashable(view.fact(name)) for name in self.view_values),
                *(facts.is_set(view.fact(name)) for name in self.view_presence))

    def _abstract(self, view: engine.View, action: Action, fields: dict[str, Any], actor: engine.Actor
                  ) -> tuple[Any, ...]:
        """What `prepare` can see of a step: the action, the actor's roles if a condition reads them,
        and of each field what the conditions read (its value, or whether it is set, or whether its
        department is a new one)."""
        parts: list[Any] = [action.name, actor.roles if self.reads_role else None]
        for name, value in fields.items():
            if name in self.value_facts or f"event.{name}" in self.value_facts:
                parts.append((name, _hashable(value)))
            elif name in self.set_facts or f"event.{name}" in self.set_facts:
                parts.append((name, facts.is_set(value)))
            elif name == "department":
                known = view.departments
                parts.append((name, known.index(value) if value in known else len(known)))
        return tuple(parts)

    # -- times --------------------------------------------------------------------------------------
    def _is_final(self, view: engine.View, event: dict[str, Any]) -> bool:
        name = str(event["action"])
        if not self.policy.has_action(name):
            return False
        return self.policy.target(self.policy.action(name), view.status) in self.finals

    def _time(self, view: engine.View, name: str, previous: datetime, *, final: bool) -> datetime:
        """When the next step happens: after `previous`, usually in working hours and in time for the
        clock it stops (or the earliest one running), sometimes late."""
        rng = self.rng
        runs = [run for run in view.current_runs() if run.running and run.paused_since is None]
        natural = self._later(previous, soon=name == "log")
        stopping = [run.due for run in runs if final or name in self.stops[run.clock]]
        if rng.random() < LATE_SHARE:
            if stopping and rng.random() < 0.5:
                natural = max(natural, min(stopping) + timedelta(minutes=rng.randint(5, 900)))
            return natural
        due = min(stopping, default=None)
        if due is not None and natural > due >= previous:
            return self._between(previous, due, rng.uniform(0.3, 1.0))
        soonest = min((run.due for run in runs), default=None)
        if soonest is not None and natural > soonest > previous:
            return self._between(previous, soonest, rng.uniform(0.1, 0.5))
        return natural

    def _between(self, start: datetime, end: datetime, share: float) -> datetime:
        """The moment `share` of the way from start to end, counted in working time when there is any
        between them (so it falls in working hours), else in wall-clock time."""
        working = self.calendar.working_seconds(start, end)
        if working >= 60:
            moment = self.calendar.add(start, Limit("working_hours", working * share / 3600))
            return _whole(min(moment, end))
        return _whole(start + (end - start) * share)

    def _set_dates(self, event: dict[str, Any], at: datetime) -> None:
        """Date fields (the due date of a measure) a few working days after the event."""
        name = str(event["action"])
        if not self.policy.has_action(name):
            return
        for field_name, spec in self.policy.action(name).fields.items():
            if spec.type == "datetime" and field_name in event:
                days = self.rng.choice((3, 5, 7, 10, 15, 20, 30))
                due = self.calendar.add(at, Limit("working_days", days))
                event[field_name] = format_instant(due, self.tz)

    def _later(self, previous: datetime, *, soon: bool = False) -> datetime:
        rng = self.rng
        if rng.random() < OUT_OF_HOURS_SHARE:  # an evening or a weekend on duty
            return _whole(previous + timedelta(minutes=rng.randint(20, 300), seconds=rng.randint(0, 59)))
        # typing in what came in: median half a working hour; other steps: median e ≈ 2.7 working hours
        hours = min(rng.lognormvariate(-0.7, 1.0), 6.0) if soon else min(rng.lognormvariate(1.0, 1.2), 45.0)
        moment = self.calendar.add(previous, Limit("working_hours", hours))
        return _whole(moment + timedelta(seconds=rng.randint(0, 59)))


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value


def _whole(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _distances(policy: Policy, ends: frozenset[str]) -> dict[str, int]:
    """Fewest steps from each state to one of `ends`, by the state machine alone (conditions ignored)."""
    dist = {state: 0 for state in ends}
    changed = True
    while changed:
        changed = False
        for state in policy.states:
            for action in policy.actions_from(state.name):
                target = policy.target(action, state.name)
                if target in dist and dist[target] + 1 < dist.get(state.name, 1 << 30):
                    dist[state.name] = dist[target] + 1
                    changed = True
    return dist


def _guard_facts(policy: Policy) -> tuple[set[str], set[str]]:
    """Facts the policy's conditions on actions read: by value, and only whether they are set."""
    by_value: set[str] = set()
    by_presence: set[str] = set()
    for action in policy.actions:
        for requirement in action.requires:
            for fact in (*requirement.when, *requirement.need):
                (by_presence if fact.test[0] == "set" else by_value).add(fact.fact)
    return by_value, by_presence - by_value


def _enablers(policy: Policy) -> dict[str, list[list[tuple[Fact, set[str]]]]]:
    """For each condition of each action, each fact it needs with the actions that change it: the one
    a `count.X` counts, those with a field it names, those that clear a value it tests (a reopening)."""
    found: dict[str, list[list[tuple[Fact, set[str]]]]] = {}
    for action in policy.actions:
        found[action.name] = []
        for requirement in action.requires:
            needs = []
            for fact in requirement.need:
                names: set[str] = set()
                if fact.fact.startswith(("count.", "done.")):
                    names.add(fact.fact.split(".", 1)[1])
                else:
                    names.update(other.name for other in policy.actions if fact.fact in other.fields)
                    if fact.test[0] != "set":
                        names.update(other.name for other in policy.actions if fact.fact in other.clears)
                names.discard(action.name)
                needs.append((fact, names))
            found[action.name].append(needs)
    return found
