"""What a person may do next on one complaint: the steps its policy allows now (read off the engine's view
and its role guard, `engine.possible_actions`), each with the fields it takes; `act ID` with no action
prints them, and completion offers their names and field names."""

from __future__ import annotations

from dataclasses import dataclass

from complaintctl.base.errors import Refused
from complaintctl.base.messages import current_language
from complaintctl.core import engine
from complaintctl.policy.model import Action, FieldSpec
from complaintctl.store.directory import Store
from complaintctl.store.projection import view_of_stored


@dataclass(frozen=True)
class FieldNeed:
    """One field of a step: its name, its label in the store's language, its type, whether it must be
    given, and the choices (code, label) of a choice field."""

    name: str
    label: str
    kind: str
    required: bool
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Step:
    """A step: its name, label, fields, and the conditions its policy sets on it (in words)."""

    name: str
    label: str
    fields: tuple[FieldNeed, ...]
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Possible:
    """The complaint's id, its state's label, and the steps possible now."""

    complaint_id: str
    state: str
    steps: tuple[Step, ...]


def field_needs(action: Action, language: str) -> tuple[FieldNeed, ...]:
    return tuple(_need(name, spec, language) for name, spec in action.fields.items())


def _need(name: str, spec: FieldSpec, language: str) -> FieldNeed:
    choices = tuple((item.code, item.text(language)) for item in spec.values or ())
    return FieldNeed(name, spec.text(language), spec.type, spec.required, choices)


def possible_steps(store: Store, query: str, person: str | None = None) -> Possible:
    """The steps the complaint's policy allows in its state now, to `person` when the store lists people
    (a person it does not list sees every step: the write path would refuse them all the same)."""
    from complaintctl.app.operations import actor

    complaint_id = store.resolve(query)
    view = view_of_stored(store, store.read(complaint_id))
    who: engine.Actor | None = None
    if person is not None:
        try:
            who = actor(store, person)
        except Refused:
            who = None
    language = current_language()
    steps = tuple(Step(action.name, action.text(language), field_needs(action, language),
                       tuple(requirement.message.text(language) for requirement in action.requires))
                  for action in engine.possible_actions(view, who))
    return Possible(complaint_id, view.policy.state(view.status).text(language), steps)
