"""The ledger (台账): one row per complaint, the columns of the metro seed's ledger (登记一: id, name,
contact, time, location, content, time accepted, handling department, progress, result) and then every
field of the record, its derived state, and its history as JSON so that `import` can rebuild it.

`rows(store)` reads every record file (the ledger needs long text, which digests do not keep);
`Redactor` replaces names, phone numbers and e-mail addresses with stable pseudonyms; `labelled`
turns codes into the store language's labels for people reading the file in Excel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from complaintctl.base.errors import ComplaintctlError, Problem
from complaintctl.base.fsutil import atomic_write
from complaintctl.base.messages import CATALOGUE
from complaintctl.core import engine
from complaintctl.core.compiled import compiled
from complaintctl.core.reportrules import Rules
from complaintctl.policy.model import LabelKind, Policy
from complaintctl.records import intake
from complaintctl.records.record import Record, flatten_intake
from complaintctl.store import projection
from complaintctl.store.directory import Store
from complaintctl.worktime.times import format_instant


@dataclass(frozen=True)
class Column:
    """A ledger column: a field key, headed in the store's language (messages `export.column.KEY`; an
    intake field's heading is the one `records.intake` names)."""

    key: str

    @property
    def heading(self) -> str:
        field = intake.BY_KEY.get(self.key)
        return field.heading if field is not None else f"export.column.{self.key}"

    @property
    def en(self) -> str:
        return CATALOGUE[self.heading][0]

    @property
    def zh(self) -> str:
        return CATALOGUE[self.heading][1]

    def header(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


#: The metro ledger (登记一), in its order: intake fields and what the history gives.
METRO_LEDGER = ("id", "complainant.name", "complainant.phone", "complainant.email", "complainant.contact",
                "received_at", "location", "subject", "description", "registered_at", "department", "status",
                "result")
#: What the history gives besides (the ledger's own columns after the intake a person types).
DERIVED = ("owner", "coordinator", "registered_by", "closed_at", "cause", "satisfaction", "rejections",
           "reopenings", "costs")
#: Intake fields: what `import` registers.
INTAKE_KEYS = tuple(field.key for field in intake.TYPED)
COLUMNS: tuple[Column, ...] = tuple(Column(key) for key in (
    *METRO_LEDGER,
    # the rest of the record: what a person typed, what the history gives, what the tool set
    *(key for key in INTAKE_KEYS if key not in METRO_LEDGER),
    *DERIVED,
    *(key for key in intake.KEYS if key not in METRO_LEDGER and key not in INTAKE_KEYS),
    "history",
))
KEYS = tuple(column.key for column in COLUMNS)
#: Columns holding a policy code that a reader wants as its label.
CODED = (*intake.CODED, "status", "cause", "satisfaction")
#: Event fields whose latest value is the ledger's "result" (处理结果), whatever the policy calls it.
RESULT_FIELDS = ("result", "answer", "solution", "done", "finding", "explanation")


def row_of(store: Store, record: Record, view: engine.View, rules: Rules) -> dict[str, Any]:
    """The ledger row of one complaint: codes and numbers as they are in the record."""
    flat = flatten_intake(record.intake)
    history = record.history
    result = None
    for event in history:
        for name in RESULT_FIELDS:
            if event.get(name) not in (None, ""):
                result = event[name]
    costs = [] if view.fold is None else view.fold.facts().costs
    row: dict[str, Any] = {key: None for key in KEYS}
    row.update({key: flat.get(key) for key in intake.KEYS})
    if isinstance(row.get("missing"), list):  # the fields still to complete, as a cell: `a, b`
        row["missing"] = ", ".join(map(str, row["missing"])) or None
    row.update({
        "id": record.id,
        "registered_at": history[0].get("at") if history else None,
        "registered_by": history[0].get("by") if history else None,
        "department": view.department,
        "status": view.status,
        "result": result,
        "owner": view.owner,
        "coordinator": view.coordinator,
        "closed_at": None if view.closed_at is None else format_instant(view.closed_at, store.tz),
        "cause": view.values.get("cause"),
        "satisfaction": view.values.get("satisfaction"),
        "rejections": view.rejections,
        "reopenings": view.reopenings,
        "costs": round(sum(amount for _, _, amount in costs), 2) if costs else None,
        "history": history,
    })
    return row


def rows(store: Store, redactor: Redactor | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The ledger: every complaint in id order within each month, read from its file; and why each
    record that does not load was left out."""
    from complaintctl.records.record import Record
    from complaintctl.store.check import problems_of_file

    rules = compiled(store.policy).rules
    found = []
    left_out: list[Problem] = []
    for path in store.record_paths():
        try:
            record = Record.read(path, store.display_path(path))
            view = projection.view_of_stored(store, record)
        except (ComplaintctlError, OSError) as error:
            left_out += problems_of_file(store, path) or [Problem(store.display_path(path), 0, str(error))]
            continue
        row = row_of(store, record, view, rules)
        found.append(redactor.row(row, store.policy) if redactor is not None else row)
    return found, left_out


def labelled(row: Mapping[str, Any], policy: Policy, language: str) -> dict[str, Any]:
    """The row as people read it: labels for codes (import reads labels back as codes)."""
    out = dict(row)
    for key in intake.CODED:
        if out.get(key) not in (None, ""):
            out[key] = policy.label(cast("LabelKind", key), str(out[key]), language)
    if out.get("status") not in (None, ""):
        out["status"] = policy.label("state", str(out["status"]), language)
    rules = compiled(policy).rules
    for key in ("cause", "satisfaction"):
        if out.get(key) not in (None, ""):
            out[key] = rules.choice_label(key, str(out[key]), language)
    return out


# -- redaction -------------------------------------------------------------------------------------

KEY_FILE = "redact.key"
_PHONE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![\d])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: Columns holding a person's name: the intake's people, then the history's.
PERSON_COLUMNS = (*(field.key for field in intake.FIELDS if field.redaction == "person"), "owner",
                  "coordinator", "registered_by")
#: Columns of free text, in which names, phone numbers and e-mail addresses are replaced.
TEXT_COLUMNS = (*(field.key for field in intake.FIELDS if field.redaction == "text"), "result")
#: Event fields holding a person's name in text fields (person-typed fields are found in the policy).
PERSON_TEXT_FIELDS = ("to", "coordinator", "at_fault_person", "action_owner", "step_owner", "tracker",
                      "handlers", "staff")


class Redactor:
    """Stable pseudonyms: HMAC-SHA256 of the value under a secret key drawn once per clone and kept in
    the git-ignored `.complaintctl/redact.key`. The same name, phone or e-mail gets the same pseudonym
    in every export from that clone (so counts by person still add up), and nobody without the key can
    test a guess against it."""

    def __init__(self, key: bytes, store_people: Iterable[str] = ()) -> None:
        self._key = key
        self._people = sorted({name for name in store_people if len(name) >= 2}, key=len, reverse=True)

    @classmethod
    def for_store(cls, store: Store) -> Redactor:
        path = store.state_dir / KEY_FILE
        try:
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (FileNotFoundError, ValueError):
            key = b""
        if len(key) < 16:
            key = secrets.token_bytes(32)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, key.hex() + "\n")
        people = [person.name for person in store.settings.people or ()]
        return cls(key, people)

    def _tag(self, kind: str, value: str) -> str:
        mac = hmac.new(self._key, f"{kind}\0{value}".encode(), hashlib.sha256).digest()
        return base64.b32encode(mac[:5]).decode("ascii")  # 8 characters, 40 bits

    def person(self, name: str) -> str:
        return f"P-{self._tag('person', name.strip())}"

    def phone(self, phone: str) -> str:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return f"T-{self._tag('phone', digits)}"

    def email(self, email: str) -> str:
        return f"{self._tag('email', email.strip().lower()).lower()}@redacted.invalid"

    def contact(self, contact: str) -> str:
        return f"C-{self._tag('contact', contact.strip())}"

    def text(self, text: str, names: list[str]) -> str:
        """Free text with every known name, any phone number and any e-mail address replaced."""
        for name in names:
            if name in text:
                text = text.replace(name, self.person(name))
        text = _EMAIL.sub(lambda match: self.email(match.group(0)), text)
        return _PHONE.sub(lambda match: self.phone(match.group(0)), text)

    def row(self, row: Mapping[str, Any], policy: Policy) -> dict[str, Any]:
        out = dict(row)
        person_fields = {name for action in policy.actions for name, spec in action.fields.items()
                         if spec.type == "person"} | set(PERSON_TEXT_FIELDS)
        history: list[dict[str, Any]] = [dict(event) for event in row.get("history") or ()]
        names = {str(out[key]) for key in PERSON_COLUMNS if out.get(key) not in (None, "")}
        for event in history:
            names.add(str(event.get("by", "")))
            names.update(str(event[key]) for key in person_fields if isinstance(event.get(key), str))
        known = sorted({name for name in names if len(name) >= 2} | set(self._people), key=len, reverse=True)
        for key in PERSON_COLUMNS:
            if out.get(key) not in (None, ""):
                out[key] = self.person(str(out[key]))
        contacts = {"phone": self.phone, "email": self.email, "contact": self.contact}
        for field in intake.FIELDS:
            pseudonym = contacts.get(field.redaction or "")
            if pseudonym is not None and out.get(field.key) not in (None, ""):
                out[field.key] = pseudonym(str(out[field.key]))
        for key in TEXT_COLUMNS:
            if isinstance(out.get(key), str):
                out[key] = self.text(out[key], known)
        for event in history:
            for key, value in list(event.items()):
                if key in ("at", "recorded_at", "action"):
                    continue
                if key == "by" or key in person_fields and isinstance(value, str):
                    event[key] = self.person(str(value))
                elif key == "notified" and isinstance(value, list):
                    event[key] = [self.person(str(item)) for item in value]
                elif isinstance(value, str):
                    event[key] = self.text(value, known)
        out["history"] = history
        return out

    def complainant(self, intake_flat: Mapping[str, Any], history: Iterable[Mapping[str, Any]]
                    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A record with the complainant's personal data replaced (what `archive` keeps once the
        retention has passed): the intake's person and contact fields by their pseudonyms, and in every
        free text (the intake's and each event's) the complainant's name, contact, and any phone number
        and e-mail address. The staff's names stay (who did what is what reports count by), and so do
        codes, times and amounts. The pseudonyms are `export --redact`'s: a complainant who complained
        twice still matches himself."""
        out = dict(intake_flat)
        names = [str(out[key]) for key in PERSON_COLUMNS if key.startswith("complainant.")
                 and out.get(key) not in (None, "")]
        contact = out.get("complainant.contact")
        if contact not in (None, ""):
            names.append(str(contact))
        known = sorted({name for name in names if len(name) >= 2}, key=len, reverse=True)
        contacts = {"phone": self.phone, "email": self.email, "contact": self.contact, "person": self.person}
        for field in intake.FIELDS:
            value = out.get(field.key)
            if value in (None, "") or not field.key.startswith("complainant."):
                continue
            pseudonym = contacts.get(field.redaction or "")
            if pseudonym is not None:
                out[field.key] = pseudonym(str(value))
        for key in TEXT_COLUMNS:
            if isinstance(out.get(key), str):
                out[key] = self.text(out[key], known)
        # what is not free text: the envelope, the sweep's fields, and attached files (their paths and
        # hashes name the evidence kept beside the record, which `archive` leaves as it is)
        kept = ("at", "recorded_at", "action", "by", "clock", "due", "level", "to", "notified", "severity",
                "historical", "files")
        events = [{key: value if key in kept else self._free_text(value, known)
                   for key, value in event.items()} for event in history]
        return out, events

    def _free_text(self, value: Any, names: list[str]) -> Any:
        if isinstance(value, str):
            return self.text(value, names)
        if isinstance(value, list):
            return [self._free_text(item, names) for item in value]
        if isinstance(value, dict):
            return {key: self._free_text(item, names) for key, item in value.items()}
        return value
