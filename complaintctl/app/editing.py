"""The form `edit ID` opens in $EDITOR: the fields an `edit` event may correct (`rules.EDITABLE`: what a
person typed into the intake, and the assignment), each under its label in the store's language, their
current values read off the engine's view; and what a saved form changed, which `operations.act` records
as one `edit` event through the one write path (nothing changed: nothing recorded)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.core import engine
from complaintctl.core.rules import ASSIGNMENT, EDITABLE
from complaintctl.policy.fields import intake_value
from complaintctl.records import intake as intake_fields
from complaintctl.records import yamlio
from complaintctl.store.directory import Store

#: The assignment's labels (the intake's are the ledger's column headings).
_ASSIGNMENT_HEADINGS = {"to": "export.column.owner", "department": "export.column.department",
                        "coordinator": "export.column.coordinator"}


def current_values(view: engine.View) -> dict[str, Any]:
    """Every editable field's value now, as the view holds it (an earlier edit included)."""
    values: dict[str, Any] = {}
    for key in EDITABLE:
        if key in ASSIGNMENT:
            values[key] = view.owner if key == "to" else getattr(view, key)
        else:
            values[key] = view.value(key)
    return values


def _label(key: str) -> str:
    field = intake_fields.BY_KEY.get(key)
    return t(field.heading if field is not None else _ASSIGNMENT_HEADINGS[key])


def _shown(store: Store, key: str, value: Any) -> Any:
    """A code as its label in the store's language (the form reads either back)."""
    field = intake_fields.BY_KEY.get(key)
    if value in (None, "") or field is None or field.kind != "code":
        return "" if value is None else value
    for label in store.policy.labels(key):
        if label.code == value:
            return label.text(current_language())
    return value


def form(store: Store, complaint_id: str, view: engine.View) -> str:
    """The text the editor opens: a comment saying how, then each field under its label."""
    language = current_language()
    parts = [t("edit.form_head", id=complaint_id), ""]
    used = {*intake_fields.ALWAYS, *store.policy.intake.required, *store.policy.intake.optional, *ASSIGNMENT}
    for key, value in current_values(view).items():
        if key not in used and value in (None, ""):
            continue  # a field this policy does not ask for
        field = intake_fields.BY_KEY.get(key)
        note = _label(key)
        if field is not None and field.kind == "code":
            note += ": " + " / ".join(label.text(language) for label in store.policy.labels(key))
        parts.append(f"# {note}")
        parts.append(yamlio.dump({key: _shown(store, key, value)}).rstrip("\n"))
    return "\n".join(parts) + "\n"


def read_form(text: str) -> dict[str, Any]:
    """The fields of a saved form; UsageError naming what is wrong."""
    data = yamlio.load_plain(text, "edit") if text.strip() else {}
    if not isinstance(data, dict):
        raise UsageError(t("edit.bad_line", line=1, text=text.strip().splitlines()[0]))
    unknown = [str(key) for key in data if key not in EDITABLE]
    if unknown:
        line = next((number for number, content in enumerate(text.splitlines(), 1)
                     if content.startswith(f"{unknown[0]}:")), 1)
        raise UsageError(t("edit.unknown_field", line=line, field=unknown[0]))
    return {str(key): value for key, value in data.items()}


def changes(store: Store, view: engine.View, edited: Mapping[str, Any]) -> dict[str, Any]:
    """What the saved form changes: each field given a value other than the one it has (a label is
    read as its code, an amount as a number); an emptied field clears nothing."""
    now = current_values(view)
    changed: dict[str, Any] = {}
    for key, value in edited.items():
        if value in (None, ""):
            continue
        typed = value
        if key in intake_fields.BY_KEY and intake_fields.BY_KEY[key].origin == "person":
            typed = intake_value(store.policy, key, value)
        elif isinstance(value, str):
            typed = value.strip()
        if typed != now.get(key) and str(typed) != str(now.get(key) if now.get(key) is not None else ""):
            changed[key] = typed
    return changed
