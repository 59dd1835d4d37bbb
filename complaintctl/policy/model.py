"""The policy language as data: frozen pydantic models, one per block of README "Policy format".

Only the *shape* is validated here (types, unknown keys, one test per fact, the form of a limit).
Rules that relate one part of a policy to another (unknown states, unreachable states, unknown
roles, ...) live in `checks.py`, so that every problem is reported with its own line.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from complaintctl.errors import NotFound

Language = Literal["en", "zh"]

#: Intake keys of a record (README "Record format"); dotted for nested ones.
INTAKE_FIELDS: tuple[str, ...] = (
    "id", "policy", "office", "received_at", "channel",
    "complainant.name", "complainant.phone", "complainant.email", "complainant.contact",
    "subject", "description", "category", "severity", "risk", "demands", "reference", "location",
    "service.item", "service.staff", "service.time", "amount",
)  # fmt: skip
#: Intake keys every record has whatever the policy says.
ALWAYS_PRESENT: tuple[str, ...] = ("id", "policy", "office", "received_at", "channel")
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
    "escalate": ("clock", "due", "level", "to", "severity", "notified"),
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


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Bilingual(_Frozen):
    """Text in both languages. Both are checked to be present by `checks.check_labels`."""

    en: str = ""
    zh: str = ""

    def text(self, language: str) -> str:
        """The text in `language` ("zh" or "en"), falling back to the other one when it is empty."""
        first, second = (self.zh, self.en) if language == "zh" else (self.en, self.zh)
        return first or second


class Label(Bilingual):
    """A code with bilingual labels: categories, severities, channels, risks, roles, choices."""

    code: str = Field(min_length=1)
    clause: str | None = None


class Source(_Frozen):
    seed: str
    title: str


class Intake(_Frozen):
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


class State(Bilingual):
    name: str = Field(min_length=1)
    final: bool = False
    waits_on_complainant: bool = False
    clause: str | None = None


class Fact(_Frozen):
    """One condition: a fact name and exactly one test."""

    fact: str = Field(min_length=1)
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    not_in: tuple[Scalar, ...] | None = None
    equals: Scalar | None = None
    set_: bool | None = Field(default=None, alias="set")
    at_least: int | float | None = None
    at_most: int | float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Fact:
        tests = [name for name in _TESTS if getattr(self, _TESTS[name]) is not None]
        if len(tests) != 1:
            found = ", ".join(tests) if tests else "none"
            raise ValueError(f"a fact needs exactly one test of {', '.join(_TESTS)} (found {found})")
        return self

    @property
    def test(self) -> tuple[str, Any]:
        """The test as (name as written in YAML, value), e.g. ("in", ("phone", "email"))."""
        for name, attr in _TESTS.items():
            value = getattr(self, attr)
            if value is not None:
                return name, value
        raise AssertionError("validated facts have one test")  # pragma: no cover


_TESTS = {"in": "in_", "not_in": "not_in", "equals": "equals", "set": "set_",
          "at_least": "at_least", "at_most": "at_most"}  # fmt: skip


class Requirement(_Frozen):
    """`need` must hold whenever `when` holds (an empty `when` always holds)."""

    when: tuple[Fact, ...] = ()
    need: tuple[Fact, ...] = Field(min_length=1)
    message: Bilingual
    clause: str | None = None


class FieldSpec(Bilingual):
    type: Literal["text", "number", "money", "person", "datetime", "bool", "choice", "files"]
    required: bool = False
    values: tuple[Label, ...] | None = None
    clause: str | None = None

    @model_validator(mode="after")
    def _values_for_choice(self) -> FieldSpec:
        if self.type == "choice" and not self.values:
            raise ValueError("a choice field needs `values`")
        if self.type != "choice" and self.values is not None:
            raise ValueError(f"only a choice field has `values` (this one is {self.type})")
        return self


class Action(Bilingual):
    name: str = Field(min_length=1)
    clause: str | None = None
    from_: tuple[str, ...] = Field(alias="from", min_length=1)
    to: str | None = None
    roles: tuple[str, ...] | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    requires: tuple[Requirement, ...] = ()
    counts_as: Literal["rejection", "reopening"] | None = None
    restarts: bool = False
    # Values that no longer hold once this action is taken (a new cycle asks the customer again).
    clears: tuple[str, ...] = ()

    @field_validator("from_", mode="before")
    @classmethod
    def _one_state(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def allowed_in(self, state: str, final_states: frozenset[str]) -> bool:
        return state in self.from_ or ("*" in self.from_ and state not in final_states)


class Limit(_Frozen):
    """A time limit: one of LIMIT_UNITS and an amount >= 0; in YAML `{working_days: 3}`."""

    unit: Literal["minutes", "hours", "working_hours", "working_days", "calendar_days"]
    amount: int | float = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _from_mapping(cls, value: Any) -> Any:
        if isinstance(value, Limit):
            return value
        units = ", ".join(LIMIT_UNITS)
        if not isinstance(value, dict) or len(value) != 1:
            raise ValueError(f"a limit is a mapping with exactly one of {units}")
        ((unit, amount),) = value.items()
        if unit not in LIMIT_UNITS:
            raise ValueError(f"unknown limit unit {unit!r} (one of {units})")
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0:
            raise ValueError(f"a limit's {unit} must be a number >= 0, not {amount!r}")
        if unit == "calendar_days" and not float(amount).is_integer():
            raise ValueError(f"calendar_days must be a whole number, not {amount!r}")
        return {"unit": unit, "amount": amount}

    @classmethod
    def of(cls, unit: str, amount: int | float) -> Limit:
        """`Limit.of("working_days", 3)`: the same as YAML `{working_days: 3}`."""
        return cls.model_validate({unit: amount})

    def as_mapping(self) -> dict[str, int | float]:
        return {self.unit: self.amount}

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit.replace('_', ' ')}"


class LimitVariant(_Frozen):
    when: tuple[Fact, ...] = Field(min_length=1)
    limit: Limit
    clause: str | None = None


class OnBreach(_Frozen):
    escalate_to: str | None = None
    raise_severity: str | None = None
    notify: tuple[str, ...] = ()

    @field_validator("notify", mode="before")
    @classmethod
    def _one_name(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Clock(Bilingual):
    name: str = Field(min_length=1)
    clause: str | None = None
    start: tuple[str, ...] = ()
    stop: tuple[str, ...] = ()
    limit: Limit
    limits: tuple[LimitVariant, ...] = ()
    applies: tuple[Fact, ...] = ()
    pause_in: tuple[str, ...] = ()
    warn_at: float = Field(default=0.8, gt=0, le=1)
    on_breach: OnBreach | None = None
    extend_with: str | None = None


class Notices(_Frozen):
    """When the sweep may send its notices. With `working_hours_only` (the default) mail about a clock
    counted in working time waits for the store's working hours; a clock running day and night (a
    `minutes` or `hours` limit) notifies at once."""

    working_hours_only: bool = True


class Report(_Frozen):
    repeat_window: Limit | None = None


class Archive(_Frozen):
    years: int = Field(ge=0)


class Policy(_Frozen):
    policy: str = Field(pattern=_NAME.pattern)
    title: Bilingual
    source: Source | None = None
    intake: Intake = Intake()
    categories: tuple[Label, ...] = Field(min_length=1)
    severities: tuple[Label, ...] = Field(min_length=1)
    channels: tuple[Label, ...] = Field(min_length=1)
    risks: tuple[Label, ...] = ()
    roles: tuple[Label, ...] = ()
    states: tuple[State, ...] = Field(min_length=1)
    initial: str
    actions: tuple[Action, ...] = Field(min_length=1)
    clocks: tuple[Clock, ...] = ()
    report: Report = Report()
    notices: Notices = Notices()
    archive: Archive | None = None

    # Set by the loader: where the policy came from and the sha256 of its bytes.
    _source: Path | None = PrivateAttr(default=None)
    _sha256: str = PrivateAttr(default="")

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
        return action.to or state

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
        items: tuple[Label, ...] = {
            "category": self.categories, "severity": self.severities, "channel": self.channels,
            "risk": self.risks, "role": self.roles,
        }[kind]  # fmt: skip
        return [(item.code, item) for item in items]

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
