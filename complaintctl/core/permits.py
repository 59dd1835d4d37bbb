"""The policy's permissions as the one validation applies them to an event, against the complaint as it
stood when the event came: a change of a fact a clock, guard or report reads (an `edit` of a
reclassifiable field, by the roles and in the states the policy's `changes` name), and an extension of a
clock (by the roles, for the complaints and at most as far as the clock's `extension` says).

Completing a value the intake could not give (a mail's missing category) is no change: only a value that
was set and is replaced needs the rule. The roles are checked where the store lists people (None: it
lists nobody, anyone may act, as for actions). Each function yields the findings of `core.rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from complaintctl.base.messages import current_language, t
from complaintctl.core.compiled import converted_limit
from complaintctl.core.rules import OWN_EXCLUDED, Finding, Where, instant_of
from complaintctl.core.view import View
from complaintctl.policy import facts
from complaintctl.policy.model import Fact, Policy
from complaintctl.policy.permissions import reclassifiable_fields
from complaintctl.records import intake
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import format_instant


def change_findings(view: View, event: Mapping[str, Any], roles: frozenset[str] | None, where: Where
                    ) -> Iterator[Finding]:
    """An `edit` that replaces a reclassifiable value: by a role its rule names, in a state it allows."""
    policy = view.policy
    watched = reclassifiable_fields(policy)
    language = current_language()
    for key, value in event.items():
        if key in OWN_EXCLUDED or key not in watched:
            continue
        current = view.value(key)
        if current in (None, "") or str(current) == str(value):
            continue  # completing the intake, or no change
        rule = policy.change_rule(key)
        if rule is None:
            continue  # `policy check` refuses such a policy; an unchecked one says nothing
        clause = rule.clause or t("rule.no_clause")
        field = field_label(key)
        if not rule.allowed_in(view.status, policy.final_states):
            allowed = ", ".join(policy.label("state", s, language) if s != "*" else "*" for s in rule.from_)
            yield (*where, key), t("change.state", field=field, clause=clause, allowed=allowed,
                                   state=policy.label("state", view.status, language))
        if roles is not None and not roles & set(rule.roles):
            yield (*where, "by"), t("change.role", person=str(event.get("by", "")), field=field,
                                    clause=clause, roles=role_labels(policy, rule.roles),
                                    theirs=role_labels(policy, sorted(roles)) or t("none"))


def extension_findings(view: View, calendar: Calendar, event: Mapping[str, Any], roles: frozenset[str] | None,
                       where: Where) -> Iterator[Finding]:
    """An `extend` by a role the clock's rule names, of a complaint its conditions hold for, no later
    than its longest extension from the run's start."""
    policy = view.policy
    name = str(event.get("clock", ""))
    clock = next((item for item in policy.clocks if item.name == name), None)
    if clock is None or clock.extension is None:
        return
    rule = clock.extension
    language = current_language()
    label = policy.label("clock", name, language)
    clause = rule.clause or clock.clause or t("rule.no_clause")
    if roles is not None and not roles & set(rule.roles):
        yield (*where, "by"), t("extend.role", person=str(event.get("by", "")), clock=label, clause=clause,
                                roles=role_labels(policy, rule.roles),
                                theirs=role_labels(policy, sorted(roles)) or t("none"))
    if rule.when and not facts.all_hold(rule.when, view.fact):
        yield (*where, "clock"), t("extend.not_allowed", clock=label, clause=clause,
                                   conditions=conditions_text(policy, rule.when))
    runs = view.clocks.get(name) or []
    due = instant_of(event.get("due"))
    if rule.at_most is not None and runs and due is not None:
        latest = calendar.add(runs[-1].started_at, converted_limit(rule.at_most))
        if due > latest:
            limit = t(f"limit.{rule.at_most.unit}", amount=f"{rule.at_most.amount:g}")
            yield (*where, "due"), t("extend.too_long", clock=label, clause=clause, limit=limit,
                                     latest=format_instant(latest, due.tzinfo))


def field_label(key: str) -> str:
    """An intake field as a person reads it (its ledger heading), in the current language."""
    return t(f"export.column.{key}") if key in intake.BY_KEY else key


def role_labels(policy: Policy, codes: Any) -> str:
    language = current_language()
    return " / ".join(policy.label("role", str(code), language) for code in codes)


def conditions_text(policy: Policy, conditions: tuple[Fact, ...]) -> str:
    """`severity: complex` / `投诉等级:复杂投诉`: each condition with the labels of its values."""
    language = current_language()
    parts = []
    for condition in conditions:
        test, value = condition.test
        values = value if isinstance(value, tuple) else (value,)
        kind = condition.fact if condition.fact in intake.CODED else None
        shown = " / ".join(policy.label(kind, str(item), language) if kind else str(item)  # type: ignore[arg-type]
                           for item in values)
        key = "rule.condition_not" if test == "not_in" else "rule.condition"
        parts.append(t(key, field=field_label(condition.fact), values=shown))
    return t("rule.and").join(parts)
