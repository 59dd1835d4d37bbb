"""One complaint record: the intake written once, then an append-only history of events.

The record keeps the round-trip YAML document, so comments a person wrote survive every save and an
appended event is the only change a diff shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from complaintctl import yamlio

# The fixed order of intake keys (README "Record format"). `source` is where an imported complaint came
# from (README "Reports, export and import"): the key that keeps a re-import from duplicating it.
INTAKE_ORDER: tuple[str, ...] = (
    "id", "policy", "office", "received_at", "channel", "complainant", "subject", "description",
    "category", "severity", "risk", "demands", "reference", "location", "service", "amount", "source",
)
NESTED_FIELDS: dict[str, tuple[str, ...]] = {
    "complainant": ("name", "phone", "email", "contact"),
    "service": ("item", "staff", "time"),
}
ENVELOPE = ("at", "by", "action")
INTAKE_FIELD_NAMES: tuple[str, ...] = tuple(
    f"{key}.{sub}" if key in NESTED_FIELDS else key
    for key in INTAKE_ORDER
    for sub in (NESTED_FIELDS.get(key) or ("",))
)


def flatten_intake(intake: Mapping[str, Any]) -> dict[str, Any]:
    """{'complainant': {'name': ..}} → {'complainant.name': ..}."""
    flat: dict[str, Any] = {}
    for key, value in intake.items():
        if key in NESTED_FIELDS and isinstance(value, Mapping):
            for sub, sub_value in value.items():
                flat[f"{key}.{sub}"] = sub_value
        elif key != "history":
            flat[key] = value
    return flat


def nest_intake(flat: Mapping[str, Any]) -> dict[str, Any]:
    """{'complainant.name': ..} → {'complainant': {'name': ..}}: canonical key order, empties dropped."""
    nested: dict[str, Any] = {}
    for key in INTAKE_ORDER:
        if key in NESTED_FIELDS:
            inner = {sub: flat[f"{key}.{sub}"] for sub in NESTED_FIELDS[key]
                     if flat.get(f"{key}.{sub}") not in (None, "")}
            if isinstance(flat.get(key), Mapping):
                inner = {**dict(flat[key]), **inner}
            if inner:
                nested[key] = {sub: inner[sub] for sub in NESTED_FIELDS[key] if sub in inner}
        elif flat.get(key) not in (None, ""):
            nested[key] = flat[key]
    return nested


@dataclass
class Record:
    path: Path
    doc: CommentedMap

    @classmethod
    def parse(cls, text: str, path: Path, display_path: str | None = None) -> Record:
        return cls(path, yamlio.load(text, display_path or str(path)))

    @classmethod
    def read(cls, path: Path, display_path: str | None = None) -> Record:
        return cls.parse(path.read_text(encoding="utf-8"), path, display_path)

    @classmethod
    def new(cls, path: Path, intake: Mapping[str, Any], log_event: Mapping[str, Any]) -> Record:
        doc = CommentedMap()
        for key, value in nest_intake(intake).items():
            doc[key] = value
        doc["history"] = CommentedSeq([yamlio.new_event(log_event)])
        # Build through text once, so a new record and a reloaded one are the same document.
        return cls(path, yamlio.load(yamlio.dump(doc), str(path)))

    @property
    def id(self) -> str:
        return str(self.doc.get("id", ""))

    @property
    def intake(self) -> dict[str, Any]:
        plain = yamlio.to_plain(self.doc)
        plain.pop("history", None)
        return dict(plain)

    @property
    def history(self) -> list[dict[str, Any]]:
        events = self.doc.get("history") or []
        return [dict(yamlio.to_plain(event)) for event in events]

    def append(self, event: Mapping[str, Any]) -> None:
        history = self.doc.get("history")
        if not isinstance(history, CommentedSeq):
            history = CommentedSeq()
            self.doc["history"] = history
        history.append(yamlio.new_event(event))

    def text(self) -> str:
        return yamlio.dump(self.doc)

    def line_of(self, *path: str | int) -> int:
        return yamlio.line_of(self.doc, path)
