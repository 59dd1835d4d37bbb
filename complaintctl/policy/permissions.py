"""Who may change what a limit depends on: the policy's rules for changing the facts (`changes`), for
extending a clock (a clock's `extension`) and for acting on a closed complaint (an action's
`after_closing`), and the checks that a policy states them (DOMAIN.md, "Decisions on what the rules let
people do").

The fields that need a rule are derived from the policy itself, never listed by hand: every intake field a
person may type (and so `edit`) that a clock reads (its `applies`, its `limits`), a guard reads (an
action's `requires`), or a report groups by among the policy's own codes (category, severity, channel).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from complaintctl.policy.model import Fact, Policy, memo
from complaintctl.records import intake

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """A problem of a policy: the YAML node path of the offending value (keys as written in YAML, list
    indexes as ints), which the loader turns into `file:line: message`, and the message."""

    loc: Loc
    message: str

#: What an `edit` may change of the intake: what a person types.
_TYPED = frozenset(field.key for field in intake.TYPED)
#: What a report groups by that the policy codes itself (its categories, severities, channels).
_REPORTED = tuple(field.key for field in intake.FIELDS if field.grouped and field.kind == "code")


def reclassifiable(policy: Policy) -> dict[str, tuple[str, ...]]:
    """Each intake field whose change moves a limit, a guard or a report, with what reads it
    ("clock handling", "action close", "report"), in the order of the intake table."""
    readers: dict[str, list[str]] = {}

    def read(facts: tuple[Fact, ...], reader: str) -> None:
        for fact in facts:
            if fact.fact in _TYPED and reader not in readers.setdefault(fact.fact, []):
                readers[fact.fact].append(reader)

    for clock in policy.clocks:
        read(clock.applies, f"clock {clock.name}")
        for variant in clock.limits:
            read(variant.when, f"clock {clock.name}")
    for action in policy.actions:
        for requirement in action.requires:
            read(requirement.when + requirement.need, f"action {action.name}")
    for key in _REPORTED:
        readers.setdefault(key, []).append("report")
    return {key: tuple(readers[key]) for key in intake.KEYS if key in readers}


def reclassifiable_fields(policy: Policy) -> frozenset[str]:
    """The fields of `reclassifiable`, worked out once per policy object."""
    return memo(policy, "reclassifiable", lambda p: frozenset(reclassifiable(p)))


# -- checks of a policy (run with the others of `checks.ALL_CHECKS`) --------------------------------

def check_changes(policy: Policy) -> list[Issue]:
    """Every reclassifiable field names the roles that may change it; each rule names a known field,
    known roles and known states, once."""
    issues: list[Issue] = []
    roles = {role.code for role in policy.roles}
    states = {state.name for state in policy.states}
    seen: set[str] = set()
    for i, change in enumerate(policy.changes):
        at: Loc = ("changes", i)
        if change.field not in _TYPED:
            issues.append(Issue((*at, "field"), f"changes: {change.field!r} is not an intake field a person "
                                                 f"may edit ({', '.join(sorted(_TYPED))})"))
        if change.field in seen:
            issues.append(Issue((*at, "field"), f"changes: a second rule for {change.field!r}"))
        seen.add(change.field)
        issues += [Issue((*at, "roles", j), f"changes of {change.field!r}: unknown role {role!r}")
                   for j, role in enumerate(change.roles) if role not in roles]
        issues += [Issue((*at, "from", j), f"changes of {change.field!r}: unknown state {state!r}")
                   for j, state in enumerate(change.from_) if state != "*" and state not in states]
    for field, readers in reclassifiable(policy).items():
        if field not in seen:
            issues.append(Issue(("changes",) if policy.changes else ("policy",),
                                f"{field!r} is read by {', '.join(readers)}: `changes` must name the roles "
                                f"that may change it"))
    return issues


def check_extensions(policy: Policy) -> list[Issue]:
    """A clock that `extend` may move says who may extend it (`extension`), with known roles; a clock
    that cannot be extended has no `extension`."""
    roles = {role.code for role in policy.roles}
    issues: list[Issue] = []
    for i, clock in enumerate(policy.clocks):
        rule = clock.extension
        if clock.extend_with is not None and rule is None:
            issues.append(Issue(("clocks", i, "extend_with"), f"clock {clock.name!r}: `extension` must name "
                                                              f"the roles that may extend it"))
        if rule is None:
            continue
        if clock.extend_with is None:
            issues.append(Issue(("clocks", i, "extension"), f"clock {clock.name!r}: an `extension` without "
                                                            f"`extend_with: extend`"))
        issues += [Issue(("clocks", i, "extension", "roles", j),
                         f"clock {clock.name!r}: extension by unknown role {role!r}")
                   for j, role in enumerate(rule.roles) if role not in roles]
    return issues


def check_after_closing(policy: Policy) -> list[Issue]:
    """An action allowed after closing names final states, and leaves the complaint there: it is no
    reopening."""
    finals = policy.final_states
    issues: list[Issue] = []
    for i, action in enumerate(policy.actions):
        if action.after_closing and action.counts_as:
            issues.append(Issue(("actions", i, "after_closing"), f"action {action.name!r}: a "
                                f"{action.counts_as} cannot be an action after closing"))
        issues += [Issue(("actions", i, "after_closing", j),
                         f"action {action.name!r}: after_closing names {state!r}, which is not a final state")
                   for j, state in enumerate(action.after_closing) if state not in finals]
    return issues


def extension_fact_lists(policy: Policy) -> Iterator[tuple[Loc, tuple[Fact, ...]]]:
    """The conditions of each clock's extension, for the checks of conditions."""
    for i, clock in enumerate(policy.clocks):
        if clock.extension is not None:
            yield ("clocks", i, "extension", "when"), clock.extension.when
