"""The policy language as data: one frozen record per block of README "Policy format".

These are the runtime form of a policy (`complaintctl.base.plain`): what the engine and the commands use and
what the per-user cache holds, loaded without importing pydantic. The pydantic models of
`complaintctl.policy.schema` validate a policy file (same class names, same fields); the loader converts
the validated model to these records. Constructing one directly (`Label(code=...)`) or
`Policy.model_validate(data)` validates through the schema too.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from complaintctl.base.errors import NotFound
from complaintctl.base.plain import Frozen
from complaintctl.records.intake import POLICY_KEYS

Language = Literal["en", "zh"]

#: Intake keys a policy may name (README "Record format"); dotted for nested ones.
INTAKE_FIELDS: tuple[str, ...] = POLICY_KEYS
#: Values derived by replaying the history.
DERIVED_FACTS: tuple[str, ...] = ("owner", "department", "coordinator", "departments", "status")
#: Events every policy allows in every state; a policy may not declare actions with these names.
BUILTIN_EVENTS: tuple[str, ...] = ("log", "note", "attach", "edit", "escalate", "extend")
#: The own fields of the built-in events (facts may name them: latest value wins).
BUILTIN_EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "log": (),
    "note": ("text",),
    "attach": ("files",),
    "edit": (),
    "escalate": ("clock", "due", "level", "to", "severity", "notified", "historical"),
    "extend": ("clock", "due", "reason"),
}
#: Actions every policy must declare.
REQUIRED_ACTIONS: tuple[str, ...] = ("assign", "close", "reopen")
LIMIT_UNITS: tuple[str, ...] = (
    "minutes",
    "hours",
    "working_hours",
    "working_days",
    "calendar_days",
)
FIELD_TYPES: tuple[str, ...] = (
    "text", "number", "money", "person", "datetime", "bool", "choice", "files",
)  # fmt: skip
#: Kinds accepted by `Policy.label`.
LabelKind = Literal["category", "severity", "channel", "risk", "role", "state", "action", "clock"]

Scalar = str | int | float | bool
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


_TESTS = {"in": "in_", "not_in": "not_in", "equals": "equals", "set": "set_",
          "at_least": "at_least", "at_most": "at_most"}  # fmt: skip


class _Record(Frozen):
    __slots__ = ()
    _schema_module: ClassVar[str] = "complaintctl.policy.schema"


class Bilingual(_Record):
    """Text in both languages. Both are checked to be present by `checks.check_labels`."""

    __slots__ = ("en", "zh")
    en: str
    zh: str

    def text(self, language: str) -> str:
        """The text in `language` ("zh" or "en"), falling back to the other one when it is empty."""
        first, second = (self.zh, self.en) if language == "zh" else (self.en, self.zh)
        return first or second


class Label(Bilingual):
    """A code with bilingual labels: categories, severities, channels, risks, roles, choices."""

    __slots__ = ("code", "clause")
    code: str
    clause: str | None


class Source(_Record):
    __slots__ = ("seed", "title")
    seed: str
    title: str


class Intake(_Record):
    __slots__ = ("required", "optional")
    required: tuple[str, ...]
    optional: tuple[str, ...]


class State(Bilingual):
    __slots__ = ("name", "final", "waits_on_complainant", "clause")
    name: str
    final: bool
    waits_on_complainant: bool
    clause: str | None


class Fact(_Record):
    """One condition: a fact name and exactly one test."""

    __slots__ = ("fact", "in_", "not_in", "equals", "set_", "at_least", "at_most")
    fact: str
    in_: tuple[Scalar, ...] | None
    not_in: tuple[Scalar, ...] | None
    equals: Scalar | None
    set_: bool | None
    at_least: int | float | None
    at_most: int | float | None

    @property
    def test(self) -> tuple[str, Any]:
        """The test as (name as written in YAML, value), e.g. ("in", ("phone", "email"))."""
        for name, attr in _TESTS.items():
            value = getattr(self, attr)
            if value is not None:
                return name, value
        raise AssertionError("validated facts have one test")  # pragma: no cover


class Requirement(_Record):
    """`need` must hold whenever `when` holds (an empty `when` always holds)."""

    __slots__ = ("when", "need", "message", "clause")
    when: tuple[Fact, ...]
    need: tuple[Fact, ...]
    message: Bilingual
    clause: str | None


class FieldSpec(Bilingual):
    __slots__ = ("type", "required", "values", "clause")
    type: Literal["text", "number", "money", "person", "datetime", "bool", "choice", "files"]
    required: bool
    values: tuple[Label, ...] | None
    clause: str | None


class Action(Bilingual):
    __slots__ = ("name", "clause", "from_", "to", "roles", "fields", "requires", "counts_as", "restarts",
                 "clears", "after_closing")
    name: str
    clause: str | None
    from_: tuple[str, ...]
    to: str | None
    roles: tuple[str, ...] | None
    fields: dict[str, FieldSpec]
    requires: tuple[Requirement, ...]
    counts_as: Literal["rejection", "reopening"] | None
    restarts: bool
    # Values that no longer hold once this action is taken (a new cycle asks the customer again).
    clears: tuple[str, ...]
    # The final states in which it may also be taken, leaving the complaint there (checking a corrective
    # action after closing): it does not reopen the complaint.
    after_closing: tuple[str, ...]

    def allowed_in(self, state: str, final_states: frozenset[str]) -> bool:
        if state in final_states:
            return state in self.from_ or state in self.after_closing
        return state in self.from_ or "*" in self.from_

    def target(self, state: str, final_states: frozenset[str]) -> str:
        """The state after taking this action in `state`: an action after closing leaves it closed."""
        if state in self.after_closing and state in final_states:
            return state
        return self.to or state


class Limit(_Record):
    """A time limit: one of LIMIT_UNITS and an amount >= 0; in YAML `{working_days: 3}`."""

    __slots__ = ("unit", "amount")
    unit: Literal["minutes", "hours", "working_hours", "working_days", "calendar_days"]
    amount: int | float

    @classmethod
    def of(cls, unit: str, amount: int | float) -> Limit:
        """`Limit.of("working_days", 3)`: the same as YAML `{working_days: 3}`."""
        return cls.model_validate({unit: amount})

    def as_mapping(self) -> dict[str, int | float]:
        return {self.unit: self.amount}

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit.replace('_', ' ')}"


class LimitVariant(_Record):
    __slots__ = ("when", "limit", "clause")
    when: tuple[Fact, ...]
    limit: Limit
    clause: str | None


class OnBreach(_Record):
    __slots__ = ("escalate_to", "raise_severity", "notify")
    escalate_to: str | None
    raise_severity: str | None
    notify: tuple[str, ...]


class ExtensionRule(_Record):
    """Who may extend a clock (`extend`), for which complaints, and by how much at most."""

    __slots__ = ("roles", "when", "at_most", "clause")
    roles: tuple[str, ...]
    when: tuple[Fact, ...]
    at_most: Limit | None
    clause: str | None


class Change(_Record):
    """Who may change an intake field a clock, guard or report reads (an `edit`), and in which states."""

    __slots__ = ("field", "roles", "from_", "clause")
    field: str
    roles: tuple[str, ...]
    from_: tuple[str, ...]
    clause: str | None

    def allowed_in(self, state: str, final_states: frozenset[str]) -> bool:
        return state in self.from_ or ("*" in self.from_ and state not in final_states)


class Clock(Bilingual):
    __slots__ = ("name", "clause", "start", "stop", "limit", "limits", "applies", "pause_in", "warn_at",
                 "on_breach", "extend_with", "extension", "restart_on")
    name: str
    clause: str | None
    start: tuple[str, ...]
    stop: tuple[str, ...]
    limit: Limit
    limits: tuple[LimitVariant, ...]
    applies: tuple[Fact, ...]
    pause_in: tuple[str, ...]
    warn_at: float
    on_breach: OnBreach | None
    extend_with: str | None
    extension: ExtensionRule | None
    # Values (department, owner) whose change by one of the clock's start events ends the running run
    # and starts a new one for whoever receives the complaint (tourism 四.3).
    restart_on: tuple[str, ...]


class Notices(_Record):
    """When the sweep may send its notices. With `working_hours_only` (the default) mail about a clock
    counted in working time waits for the store's working hours; a clock running day and night (a
    `minutes` or `hours` limit) notifies at once."""

    __slots__ = ("working_hours_only",)
    working_hours_only: bool


class Report(_Record):
    __slots__ = ("repeat_window",)
    repeat_window: Limit | None


class Archive(_Record):
    __slots__ = ("years",)
    years: int


class Policy(_Record):
    __slots__ = ("policy", "title", "source", "intake", "categories", "severities", "channels", "risks",
                 "roles", "states", "initial", "actions", "clocks", "changes", "report", "notices", "archive",
                 "_source", "_sha256", "__weakref__")
    policy: str
    title: Bilingual
    source: Source | None
    intake: Intake
    categories: tuple[Label, ...]
    severities: tuple[Label, ...]
    channels: tuple[Label, ...]
    risks: tuple[Label, ...]
    roles: tuple[Label, ...]
    states: tuple[State, ...]
    initial: str
    actions: tuple[Action, ...]
    clocks: tuple[Clock, ...]
    changes: tuple[Change, ...]
    report: Report
    notices: Notices
    archive: Archive | None

    # Set by the loader: where the policy came from and the sha256 of its bytes.
    _source: Path | None
    _sha256: str
    _private: ClassVar[tuple[str, ...]] = ("_source", "_sha256")
    _private_defaults: ClassVar[tuple[Any, ...]] = (None, "")

    def state(self, name: str) -> State:
        for state in self.states:
            if state.name == name:
                return state
        raise NotFound(f"policy {self.policy} has no state {name!r}")

    def action(self, name: str) -> Action:
        for action in self.actions:
            if action.name == name:
                return action
        raise NotFound(f"policy {self.policy} has no action {name!r}")

    def clock(self, name: str) -> Clock:
        for clock in self.clocks:
            if clock.name == name:
                return clock
        raise NotFound(f"policy {self.policy} has no clock {name!r}")

    def has_action(self, name: str) -> bool:
        return any(action.name == name for action in self.actions)

    @property
    def final_states(self) -> frozenset[str]:
        return memo(self, "final_states", _final_states)

    def actions_from(self, state: str) -> tuple[Action, ...]:
        """Actions that may be taken in `state` ('*' covers every non-final state)."""
        finals = self.final_states
        return tuple(action for action in self.actions if action.allowed_in(state, finals))

    def target(self, action: Action, state: str) -> str:
        """The state after taking `action` in `state`."""
        return action.target(state, self.final_states)

    def change_rule(self, field: str) -> Change | None:
        """Who may change an intake field, and when (`changes`); None when the policy says nothing."""
        for change in self.changes:
            if change.field == field:
                return change
        return None

    def codes(self, kind: LabelKind) -> tuple[str, ...]:
        """The codes (or names) of one kind of labelled item, in policy order."""
        return tuple(code for code, _ in self._labelled(kind))

    def label(self, kind: LabelKind, code: str, language: str) -> str:
        """The zh or en label of a category, severity, channel, risk, role, state, action or clock;
        the code itself when the policy does not know it (an old record under a newer policy)."""
        for known, item in self._labelled(kind):
            if known == code:
                return item.text(language) or code
        return code

    def _labelled(self, kind: LabelKind) -> list[tuple[str, Bilingual]]:
        if kind == "state":
            return [(s.name, s) for s in self.states]
        if kind == "action":
            return [(a.name, a) for a in self.actions]
        if kind == "clock":
            return [(c.name, c) for c in self.clocks]
        return [(item.code, item) for item in self.labels(kind)]

    def labels(self, kind: str) -> tuple[Label, ...]:
        """The labelled codes of one kind: category, severity, channel, risk (the intake fields of kind
        code take one of them) or role."""
        items: dict[str, tuple[Label, ...]] = {
            "category": self.categories, "severity": self.severities, "channel": self.channels,
            "risk": self.risks, "role": self.roles,
        }  # fmt: skip
        return items[kind]

    def field_specs(self, name: str) -> list[FieldSpec]:
        """Every declaration of an event field called `name`, across actions."""
        return [action.fields[name] for action in self.actions if name in action.fields]


# -- values derived from a policy, worked out once per policy object ----------------------------------

T = TypeVar("T")

# By id of the policy object, with a weak reference that tells a live policy from a new one at a
# reused address. Not private attributes: pydantic compares those in `==` (a policy that has been
# used would differ from a fresh one) and reads them slowly. A policy is frozen, so nothing derived
# from one goes stale.
_MEMO: dict[int, tuple[weakref.ref[Policy], dict[str, Any]]] = {}


def memo(policy: Policy, name: str, compute: Callable[[Policy], T]) -> T:
    """`compute(policy)`, computed once per policy object and name."""
    key = id(policy)
    entry = _MEMO.get(key)
    if entry is None or entry[0]() is not policy:
        table = _MEMO

        def forget(ref: weakref.ref[Policy]) -> None:
            if table.get(key, (None,))[0] is ref:
                del table[key]

        entry = _MEMO[key] = (weakref.ref(policy, forget), {})
    values = entry[1]
    if name not in values:
        values[name] = compute(policy)
    value: T = values[name]
    return value


def _final_states(policy: Policy) -> frozenset[str]:
    return frozenset(state.name for state in policy.states if state.final)
