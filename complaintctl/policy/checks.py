"""Checks of a validated policy that relate one of its parts to another.

Each check is a small pure function `Policy -> list[Issue]`; an Issue carries the YAML node path of
the offending value (keys as written in YAML, e.g. "from"; list indexes as ints), so the loader can
turn it into `file:line: message`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from complaintctl.policy.model import (
    BUILTIN_EVENT_FIELDS,
    BUILTIN_EVENTS,
    DERIVED_FACTS,
    INTAKE_FIELDS,
    REQUIRED_ACTIONS,
    Action,
    Bilingual,
    Fact,
    Policy,
)
from complaintctl.policy.permissions import Issue as Issue
from complaintctl.policy.permissions import Loc as Loc
from complaintctl.policy.permissions import (
    check_after_closing,
    check_changes,
    check_extensions,
    extension_fact_lists,
)

_SINGULAR = {"categories": "category", "severities": "severity", "channels": "channel",
             "risks": "risk", "roles": "role"}  # fmt: skip


def check_unknown_states(policy: Policy) -> list[Issue]:
    names = {state.name for state in policy.states}
    issues: list[Issue] = []
    if policy.initial not in names:
        issues.append(Issue(("initial",), f"initial state {policy.initial!r} is not a state"))
    for i, action in enumerate(policy.actions):
        for j, state in enumerate(action.from_):
            if state != "*" and state not in names:
                issues.append(
                    Issue(
                        ("actions", i, "from", j),
                        f"action {action.name!r}: unknown state {state!r} in from",
                    )
                )
        if action.to is not None and action.to not in names:
            issues.append(
                Issue(
                    ("actions", i, "to"),
                    f"action {action.name!r}: unknown state {action.to!r} in to",
                )
            )
    for i, clock in enumerate(policy.clocks):
        for j, state in enumerate(clock.pause_in):
            if state not in names:
                issues.append(
                    Issue(
                        ("clocks", i, "pause_in", j),
                        f"clock {clock.name!r}: unknown state {state!r} in pause_in",
                    )
                )
    return issues


def _edges(policy: Policy) -> dict[str, set[str]]:
    """state -> states one action away."""
    finals = policy.final_states
    edges: dict[str, set[str]] = {state.name: set() for state in policy.states}
    for state in edges:
        for action in policy.actions:
            target = action.target(state, finals)
            if action.allowed_in(state, finals) and target in edges:
                edges[state].add(target)
    return edges


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def check_unreachable_states(policy: Policy) -> list[Issue]:
    names = {state.name for state in policy.states}
    if policy.initial not in names:
        return []  # reported by check_unknown_states
    reached = _closure({policy.initial}, _edges(policy))
    return [
        Issue(("states", i), f"state {state.name!r} cannot be reached from {policy.initial!r}")
        for i, state in enumerate(policy.states)
        if state.name not in reached
    ]


def check_dead_ends(policy: Policy) -> list[Issue]:
    """Non-final states from which no sequence of actions reaches a final state."""
    finals = policy.final_states
    if not finals:
        return [Issue(("states",), "no state is final")]
    edges = _edges(policy)
    reverse: dict[str, set[str]] = {name: set() for name in edges}
    for src, targets in edges.items():
        for dst in targets:
            reverse[dst].add(src)
    can_finish = _closure(set(finals), reverse)
    return [
        Issue(("states", i), f"state {state.name!r} has no way to a final state")
        for i, state in enumerate(policy.states)
        if state.name not in can_finish
    ]


def check_clock_events(policy: Policy) -> list[Issue]:
    """start/stop name `received`, a built-in event (`log`, `extend`, ...) or an action; a clock
    has a start, and a stop event that can happen (an action allowed in some reachable state)."""
    events = {"received", *BUILTIN_EVENTS} | {action.name for action in policy.actions}
    possible = _possible_events(policy)
    issues: list[Issue] = []
    for i, clock in enumerate(policy.clocks):
        for key, names in (("start", clock.start), ("stop", clock.stop)):
            if not names:
                what = "nothing starts it" if key == "start" else "nothing stops it"
                message = f"clock {clock.name!r}: {what} ({key} is empty)"
                issues.append(Issue(("clocks", i), message))
            for j, name in enumerate(names):
                if name not in events:
                    issues.append(
                        Issue(
                            ("clocks", i, key, j),
                            f"clock {clock.name!r}: unknown event {name!r} in {key}",
                        )
                    )
        if clock.stop and not any(name in possible for name in clock.stop):
            why = (
                "no stop event can happen"
                if any(n in events for n in clock.stop)
                else "its stop events are unknown"
            )
            message = f"clock {clock.name!r}: nothing stops it ({why})"
            issues.append(Issue(("clocks", i, "stop"), message))
    return issues


def _possible_events(policy: Policy) -> set[str]:
    """Events that can happen: `received`, built-ins, actions allowed in some reachable state."""
    names = {state.name for state in policy.states}
    reached = _closure({policy.initial}, _edges(policy)) if policy.initial in names else names
    finals = policy.final_states
    actions = {action.name for action in policy.actions
               if any(action.allowed_in(state, finals) for state in reached)}  # fmt: skip
    return {"received", *BUILTIN_EVENTS} | actions


# -- conditions ------------------------------------------------------------------------------------

_NUMERIC = {"departments", "amount"}


def _fact_lists(policy: Policy) -> Iterator[tuple[Loc, tuple[Fact, ...], Action | None]]:
    """Every list of facts in the policy, with its path and the action it guards (if any)."""
    for i, action in enumerate(policy.actions):
        for j, req in enumerate(action.requires):
            yield ("actions", i, "requires", j, "when"), req.when, action
            yield ("actions", i, "requires", j, "need"), req.need, action
    for i, clock in enumerate(policy.clocks):
        yield ("clocks", i, "applies"), clock.applies, None
        for j, variant in enumerate(clock.limits):
            yield ("clocks", i, "limits", j, "when"), variant.when, None
    for loc, facts in extension_fact_lists(policy):
        yield loc, facts, None


def _event_fields(policy: Policy) -> set[str]:
    fields = {name for action in policy.actions for name in action.fields}
    return fields | {name for names in BUILTIN_EVENT_FIELDS.values() for name in names}


def _known_values(policy: Policy, fact: str, action: Action | None) -> set[str] | None:
    """The values a fact can take when they are a closed set, else None."""
    intake = {"category": policy.categories, "severity": policy.severities,
              "channel": policy.channels, "risk": policy.risks}  # fmt: skip
    name = fact.removeprefix("event.")
    if fact == "role":
        return {role.code for role in policy.roles}
    if fact == "status":
        return {state.name for state in policy.states}
    if fact.startswith("event.") and action is not None:
        specs = [action.fields[name]] if name in action.fields else []
    else:
        specs = policy.field_specs(name)
    if name in intake:
        values = {label.code for label in intake[name]}
        for spec in specs:
            values |= {label.code for label in spec.values or ()}
        return values
    if specs and all(spec.type == "choice" for spec in specs):
        return {label.code for spec in specs for label in spec.values or ()}
    return None


def _fact_problem(policy: Policy, fact: str, action: Action | None) -> str | None:
    if fact.startswith(("count.", "done.")):
        name = fact.split(".", 1)[1]
        if name in BUILTIN_EVENTS or policy.has_action(name):
            return None
        return f"unknown action {name!r} in fact {fact!r}"
    if fact.startswith("event."):
        name = fact.removeprefix("event.")
        known = _event_fields(policy) if action is None else set(action.fields)
        if name in known:
            return None
        where = f"of action {action.name!r}" if action else "of any action"
        return f"unknown event field {name!r} in fact {fact!r} (not a field {where})"
    if fact in INTAKE_FIELDS or fact in DERIVED_FACTS or fact == "role":
        return None
    if fact in _event_fields(policy):
        return None
    return f"unknown fact {fact!r}"


def _is_numeric(policy: Policy, fact: str, action: Action | None) -> bool:
    name = fact.removeprefix("event.")
    if fact.startswith(("count.", "done.")) or fact in _NUMERIC:
        return True
    specs = [action.fields[name]] if action and name in action.fields else policy.field_specs(name)
    return bool(specs) and all(spec.type in ("number", "money") for spec in specs)


def check_conditions(policy: Policy) -> list[Issue]:
    """Facts name known fields, roles, actions (count.X) and values; numeric tests on numbers."""
    issues: list[Issue] = []
    for loc, facts, action in _fact_lists(policy):
        for k, fact in enumerate(facts):
            at = (*loc, k)
            problem = _fact_problem(policy, fact.fact, action)
            if problem:
                issues.append(Issue((*at, "fact"), problem))
                continue
            test, value = fact.test
            if test in ("at_least", "at_most") and not _is_numeric(policy, fact.fact, action):
                issues.append(Issue((*at, test), f"{test} on {fact.fact!r}, which is not a number"))
                continue
            known = _known_values(policy, fact.fact, action)
            if known is None or test not in ("in", "not_in", "equals"):
                continue
            values = value if test in ("in", "not_in") else (value,)
            for n, item in enumerate(values):
                if str(item) not in known:
                    where = (*at, test, n) if test in ("in", "not_in") else (*at, test)
                    what = {"role": "role", "status": "state"}.get(fact.fact)
                    message = (
                        f"unknown {what} {item!r}" if what else f"unknown value {item!r} for {fact.fact!r}"
                    )
                    issues.append(Issue(where, message))
    return issues


# -- names, roles, labels, intake ------------------------------------------------------------------


def check_duplicates(policy: Policy) -> list[Issue]:
    """Names of states, actions and clocks; codes of each coded list and of each choice field."""
    issues: list[Issue] = []

    def dupes(loc: Loc, names: list[str], what: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                issues.append(Issue((*loc, i), "duplicate " + what.replace("{}", repr(name), 1)))
            seen.add(name)

    dupes(("states",), [s.name for s in policy.states], "state {}")
    dupes(("actions",), [a.name for a in policy.actions], "action {}")
    dupes(("clocks",), [c.name for c in policy.clocks], "clock {}")
    for key, what in _SINGULAR.items():
        dupes((key,), [label.code for label in getattr(policy, key)], what + " {}")
    for i, action in enumerate(policy.actions):
        for name, spec in action.fields.items():
            values = [v.code for v in spec.values or ()]
            dupes(("actions", i, "fields", name, "values"), values, "value {} of field " + repr(name))
    dupes(("intake", "required"), list(policy.intake.required), "intake field {}")
    dupes(("intake", "optional"), list(policy.intake.optional), "intake field {}")
    return issues


def check_required_actions(policy: Policy) -> list[Issue]:
    issues = [
        Issue(("actions",), f"missing required action {name!r}")
        for name in REQUIRED_ACTIONS
        if not policy.has_action(name)
    ]
    issues += [
        Issue(("actions", i, "name"), f"action {action.name!r} is a built-in event name")
        for i, action in enumerate(policy.actions)
        if action.name in BUILTIN_EVENTS
    ]
    return issues


def check_roles(policy: Policy) -> list[Issue]:
    """Roles named by actions and by on_breach exist; raise_severity names a severity."""
    roles = {role.code for role in policy.roles}
    severities = {label.code for label in policy.severities}
    issues: list[Issue] = []
    for i, action in enumerate(policy.actions):
        for j, role in enumerate(action.roles or ()):
            if role not in roles:
                issues.append(
                    Issue(("actions", i, "roles", j), f"action {action.name!r}: unknown role {role!r}")
                )
    for i, clock in enumerate(policy.clocks):
        breach = clock.on_breach
        if breach is None:
            continue
        at: Loc = ("clocks", i, "on_breach")
        if breach.escalate_to is not None and breach.escalate_to not in roles:
            issues.append(
                Issue(
                    (*at, "escalate_to"),
                    f"clock {clock.name!r}: escalate_to names unknown role {breach.escalate_to!r}",
                )
            )
        if breach.raise_severity is not None and breach.raise_severity not in severities:
            issues.append(
                Issue(
                    (*at, "raise_severity"),
                    f"clock {clock.name!r}: raise_severity names unknown severity {breach.raise_severity!r}",
                )
            )
        for j, name in enumerate(breach.notify):
            if name not in roles and name not in ("owner", "coordinator", "complainant"):
                issues.append(
                    Issue(
                        (*at, "notify", j),
                        f"clock {clock.name!r}: notify names unknown role {name!r}",
                    )
                )
    return issues


def check_restart_on(policy: Policy) -> list[Issue]:
    """A clock restarts on a change of the assignment (owner, department, coordinator) or of a value."""
    issues = []
    for i, clock in enumerate(policy.clocks):
        for j, name in enumerate(clock.restart_on):
            if name not in ("owner", "department", "coordinator") and _fact_problem(policy, name, None):
                issues.append(Issue(("clocks", i, "restart_on", j),
                                    f"clock {clock.name!r}: restart_on names {name!r}, not a value"))
    return issues


def check_extend_with(policy: Policy) -> list[Issue]:
    return [
        Issue(
            ("clocks", i, "extend_with"),
            f"clock {clock.name!r}: extend_with must be 'extend', not {clock.extend_with!r}",
        )
        for i, clock in enumerate(policy.clocks)
        if clock.extend_with is not None and clock.extend_with != "extend"
    ]


def check_clears(policy: Policy) -> list[Issue]:
    """An action may only clear fields that some event sets."""
    known = _event_fields(policy)
    return [
        Issue(("actions", i, "clears", j), f"action {action.name!r} clears unknown field {name!r}")
        for i, action in enumerate(policy.actions)
        for j, name in enumerate(action.clears)
        if name not in known
    ]


def _labelled(policy: Policy) -> Iterator[tuple[Loc, str, Bilingual]]:
    yield ("title",), "title", policy.title
    for key, what in _SINGULAR.items():
        for i, label in enumerate(getattr(policy, key)):
            yield (key, i), f"{what} {label.code!r}", label
    for i, state in enumerate(policy.states):
        yield ("states", i), f"state {state.name!r}", state
    for i, action in enumerate(policy.actions):
        yield ("actions", i), f"action {action.name!r}", action
        for j, req in enumerate(action.requires):
            yield (
                ("actions", i, "requires", j, "message"),
                f"action {action.name!r}: message of requirement {j + 1}",
                req.message,
            )
        for name, spec in action.fields.items():
            for k, value in enumerate(spec.values or ()):
                yield (
                    ("actions", i, "fields", name, "values", k),
                    f"action {action.name!r}: value {value.code!r} of field {name!r}",
                    value,
                )
    for i, clock in enumerate(policy.clocks):
        yield ("clocks", i), f"clock {clock.name!r}", clock


def check_labels(policy: Policy) -> list[Issue]:
    issues: list[Issue] = []
    for loc, what, item in _labelled(policy):
        missing = [lang for lang in ("en", "zh") if not getattr(item, lang).strip()]
        if missing:
            issues.append(Issue(loc, f"{what} has no {' or '.join(missing)} label"))
    return issues


def check_intake(policy: Policy) -> list[Issue]:
    issues: list[Issue] = []
    for key in ("required", "optional"):
        for i, name in enumerate(getattr(policy.intake, key)):
            if name not in INTAKE_FIELDS:
                issues.append(Issue(("intake", key, i), f"unknown intake field {name!r}"))
    required = set(policy.intake.required)
    for i, name in enumerate(policy.intake.optional):
        if name in required:
            issues.append(
                Issue(
                    ("intake", "optional", i),
                    f"intake field {name!r} is both required and optional",
                )
            )
    return issues


ALL_CHECKS: tuple[Callable[[Policy], list[Issue]], ...] = (
    check_unknown_states,
    check_unreachable_states,
    check_dead_ends,
    check_clock_events,
    check_conditions,
    check_duplicates,
    check_required_actions,
    check_roles,
    check_extend_with,
    check_restart_on,
    check_clears,
    check_labels,
    check_intake,
    check_changes,
    check_extensions,
    check_after_closing,
)


def run_checks(policy: Policy) -> list[Issue]:
    return [issue for check in ALL_CHECKS for issue in check(policy)]
