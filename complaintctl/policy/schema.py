"""The policy language's shape as frozen pydantic models, one per block of README "Policy format".

The source of truth for what a policy file may say: only the *shape* is validated here (types, unknown
keys, one test per fact, the form of a limit). Rules that relate one part of a policy to another
(unknown states, unreachable states, unknown roles, ...) live in `checks.py`, so that every problem is
reported with its own line.

The commands never use these models: the loader converts a validated policy to its runtime form
(`complaintctl.policy.model`, same class names, same fields, and the methods), which loads from the cache
without importing pydantic. Each class here must have its runtime twin (`tests/test_runtime_forms.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from complaintctl.policy.model import _NAME, _TESTS, LIMIT_UNITS

Scalar = str | int | float | bool


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Bilingual(_Frozen):
    """Text in both languages. Both are checked to be present by `checks.check_labels`."""

    en: str = ""
    zh: str = ""


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
    # The final states in which it may also be taken, leaving the complaint there (checking a corrective
    # action after closing): it does not reopen the complaint.
    after_closing: tuple[str, ...] = ()

    @field_validator("from_", "after_closing", mode="before")
    @classmethod
    def _one_state(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


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


class ExtensionRule(_Frozen):
    """Who may extend a clock (`extend`), for which complaints, and by how much at most."""

    roles: tuple[str, ...] = Field(min_length=1)
    when: tuple[Fact, ...] = ()
    at_most: Limit | None = None
    clause: str | None = None


class Change(_Frozen):
    """Who may change an intake field a clock, guard or report reads (an `edit`), and in which states."""

    field: str = Field(min_length=1)
    roles: tuple[str, ...] = Field(min_length=1)
    from_: tuple[str, ...] = Field(default=("*",), alias="from", min_length=1)
    clause: str | None = None

    @field_validator("from_", mode="before")
    @classmethod
    def _one_state(cls, value: Any) -> Any:
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
    extension: ExtensionRule | None = None
    restart_on: tuple[str, ...] = ()


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
    changes: tuple[Change, ...] = ()
    report: Report = Report()
    notices: Notices = Notices()
    archive: Archive | None = None

    # Set by the loader: where the policy came from and the sha256 of its bytes.
    _source: Path | None = PrivateAttr(default=None)
    _sha256: str = PrivateAttr(default="")
