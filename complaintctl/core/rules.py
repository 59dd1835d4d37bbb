"""The small rules a complaint record's values must keep, each a pure function returning its findings.

A finding is `(where, message)`: `where` is the path of the value in the record (`("description",)`,
`("history", 3, "text")`), which `core.validate` turns into a line of the file, and the message is the
one line a person reads. The rules know the policy and nothing of files or clocks; `core.validate`
applies them to a whole record (for `check`) or to the events about to be appended (the write path).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from complaintctl.base.messages import t
from complaintctl.policy.model import BUILTIN_EVENT_FIELDS, Action, FieldSpec, Policy
from complaintctl.records import intake as intake_fields
from complaintctl.worktime.times import parse_stored_instant

Where = tuple[str | int, ...]
Finding = tuple[Where, str]

#: C0 controls but tab and newline, DEL, C1 controls: what terminals and spreadsheets act on or refuse.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Surrogates are never text: one alone is a byte of another encoding smuggled in (surrogateescape).
_SURROGATE = "\ud800-\udfff"
_UNWRITABLE = re.compile(f"[{_CONTROL}{_SURROGATE}]")
_IS_SURROGATE = re.compile(f"[{_SURROGATE}]")

ASSIGNMENT = ("to", "department", "coordinator")
#: How a problem that does not stop a write (nor fail `check`) begins.
WARNING = "warning: "
#: What `edit` may correct: what a person typed into the intake, and the assignment.
EDITABLE = (*(field.key for field in intake_fields.TYPED), *ASSIGNMENT)
LEVELS = ("warning", "breach")
OWN_EXCLUDED = frozenset({"at", "by", "action", "recorded_at"})


def dotted(where: Where) -> str:
    """`('history', 3, 'files', 0, 'path')` → `files.0.path`: a field's name as a person reads it."""
    parts = list(where[2:] if where[:1] == ("history",) and len(where) > 2 else where)
    return ".".join(str(part) for part in parts)


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


# -- text ----------------------------------------------------------------------------------------

def text_findings(value: Any, where: Where) -> Iterator[Finding]:
    """Every string in `value` (keys too) is text that reads back: valid UTF-8 (no lone surrogate) and
    free of control characters other than newline and tab."""
    kind = type(value)
    if kind is str:
        found = _UNWRITABLE.search(value)
        if found is not None:
            yield where, _text_message(found.group(), where)
    elif kind is dict:
        for key, item in value.items():
            bad_key = _UNWRITABLE.search(key) if type(key) is str else None
            if bad_key is not None:
                yield where, _text_message(bad_key.group(), (*where, key))
            yield from text_findings(item, (*where, key))
    elif kind is list:
        for index, item in enumerate(value):
            yield from text_findings(item, (*where, index))


def _text_message(char: str, where: Where) -> str:
    key = "validate.surrogate" if _IS_SURROGATE.match(char) else "validate.control"
    return t(key, field=dotted(where) or "?", char=_codepoint(char))


def size_findings(size: int, limit: int, complaint_id: str) -> Iterator[Finding]:
    """A record never grows past what the readers read (`yamlres.MAX_BYTES`)."""
    if size > limit:
        yield (), t("validate.too_big", id=complaint_id or "ID", size=f"{size / 1048576:.1f}",
                    limit=f"{limit / 1048576:g}")


def instant_of(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_stored_instant(value)
    except (TypeError, ValueError):
        return None


# -- values of a field ---------------------------------------------------------------------------

def field_findings(name: str, spec: FieldSpec, value: Any, where: Where) -> Iterator[Finding]:
    """A stored value is what `policy.fields.coerce` makes of what a person types: of the field's type,
    a choice by its code."""
    kind = spec.type
    if kind in ("number", "money"):
        if type(value) not in (int, float):
            yield where, t("field.number", field=name, value=value)
    elif kind == "bool":
        if type(value) is not bool:
            yield where, t("field.bool", field=name, value=value)
    elif kind == "choice":
        codes = [str(item.code) for item in spec.values or ()]
        if not isinstance(value, str) or value not in codes:
            yield where, t("field.choice", field=name, value=value, allowed=", ".join(codes))
    elif kind == "files":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            yield where, t("validate.type", field=name, value=value, kind=kind)
    elif kind == "datetime":
        if instant_of(value) is None:
            yield where, t("check.bad_instant", field=name, value=str(value))
    elif not isinstance(value, str):
        yield where, t("validate.type", field=name, value=value, kind=kind)


def coded_value_findings(policy: Policy, name: str, value: Any, where: Where) -> Iterator[Finding]:
    """An intake value (or an `edit` of one) by its kind (`records.intake`): a code of the policy's
    lists, a number for money."""
    field = intake_fields.BY_KEY.get(name)
    if field is None or value in (None, ""):
        return
    if field.kind == "code":
        codes = [str(item.code) for item in policy.labels(name)]
        if str(value) not in codes:
            yield where, t("field.choice", field=name, value=str(value), allowed=", ".join(codes))
    elif field.kind == "money" and type(value) not in (int, float):
        yield where, t("field.number", field=name, value=value)


# -- the intake ----------------------------------------------------------------------------------

def intake_findings(policy: Policy, intake: Mapping[str, Any]) -> Iterator[Finding]:
    """Known keys, nested where the format nests, the fields every record and the policy need, codes."""
    for key, value in intake.items():
        if key == "history":
            continue
        if key not in intake_fields.ORDER:
            yield (key,), t("intake.unknown", field=key, known=", ".join(intake_fields.ORDER))
        elif key in intake_fields.NESTED:
            if not isinstance(value, dict):
                yield (key,), t("check.expected_mapping", field=key)
                continue
            for sub in value:
                if sub not in intake_fields.NESTED[key]:
                    yield (key, sub), t("intake.unknown", field=f"{key}.{sub}",
                                        known=", ".join(intake_fields.NESTED[key]))
    for key in intake_fields.ALWAYS:
        if _lookup(intake, key) in (None, ""):
            yield (), t("intake.missing", field=key, policy=policy.policy)
    for key in intake_fields.INSTANTS:
        value = _lookup(intake, key)
        if value not in (None, "") and instant_of(value) is None:
            yield (key,), t("check.bad_instant", field=key, value=str(value))
    if intake.get("policy") not in (None, "", policy.policy):
        yield ("policy",), t("check.policy_mismatch", record=intake.get("policy"), store=policy.policy)
    for field in intake_fields.FIELDS:
        where = tuple(field.key.split("."))
        yield from coded_value_findings(policy, field.key, _lookup(intake, field.key), where)
    excused = _to_complete(intake)
    for name in policy.intake.required:
        if _lookup(intake, name) in (None, "") and name not in excused:
            yield (name.split(".")[0],), t("intake.missing", field=name, policy=policy.policy)
    yield from text_findings(dict(intake), ())


def _to_complete(intake: Mapping[str, Any]) -> list[str]:
    """The required fields the intake could not give (its `missing`: an e-mail gives no category)."""
    listed = intake.get("missing")
    if listed in (None, ""):
        return []
    return [str(name) for name in listed] if isinstance(listed, list) else [str(listed)]


def to_complete_findings(intake: Mapping[str, Any], history: Any) -> Iterator[Finding]:
    """A warning (not an error: the write path writes on) for each field still to complete, while no
    event has supplied it (`act ID edit FIELD=VALUE`)."""
    events = [event for event in history if isinstance(event, dict)] if isinstance(history, list) else []
    for name in _to_complete(intake):
        if not any(event.get(name) not in (None, "") for event in events):
            yield ("missing",), WARNING + t("intake.to_complete", id=intake.get("id", ""), field=name)


def _lookup(intake: Mapping[str, Any], dotted_name: str) -> Any:
    node: Any = intake
    for part in dotted_name.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


# -- an event's own fields -----------------------------------------------------------------------

def own_fields(event: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key not in OWN_EXCLUDED}


def action_field_findings(action: Action, event: Mapping[str, Any], where: Where) -> Iterator[Finding]:
    """A policy step: only its declared fields, the required ones present, each of its type."""
    own = own_fields(event)
    for key in own:
        if key not in action.fields:
            yield (*where, key), t("field.unknown", action=action.name, field=key,
                                   known=", ".join(action.fields) or t("none"))
    for name, spec in action.fields.items():
        value = own.get(name)
        if value in (None, ""):
            if spec.required:
                yield where, t("field.missing", action=action.name, field=name)
            continue
        yield from field_findings(name, spec, value, (*where, name))


def builtin_field_findings(policy: Policy, action: str, event: Mapping[str, Any], where: Where
                           ) -> Iterator[Finding]:
    """The built-in events: a note has text, an attachment its files, an edit names intake fields, an
    escalation and an extension name a clock of the policy and a due time."""
    own = own_fields(event)
    allowed = EDITABLE if action == "edit" else BUILTIN_EVENT_FIELDS.get(action, ())
    for key in own:
        if key not in allowed:
            yield (*where, key), t("field.unknown", action=action, field=key,
                                   known=", ".join(allowed) or t("none"))
    if action == "note":
        text = own.get("text")
        if not isinstance(text, str) or not text.strip():
            yield where, t("field.missing", action="note", field="text")
    elif action == "attach":
        yield from _files_findings(own.get("files"), (*where, "files"))
    elif action == "edit":
        for key, value in own.items():
            yield from coded_value_findings(policy, key, value, (*where, key))
    elif action in ("escalate", "extend"):
        yield from _clock_event_findings(policy, action, own, where)


def _files_findings(files: Any, where: Where) -> Iterator[Finding]:
    good = isinstance(files, list) and bool(files) and all(
        isinstance(item, dict) and isinstance(item.get("path"), str) and item["path"]
        and type(item.get("size")) is int and isinstance(item.get("sha256"), str) for item in files)
    if not good:
        yield where, t("validate.files")


def _clock_event_findings(policy: Policy, action: str, own: Mapping[str, Any], where: Where
                          ) -> Iterator[Finding]:
    required = ("clock", "due", "level") if action == "escalate" else ("clock", "due", "reason")
    for name in required:
        if own.get(name) in (None, ""):
            yield where, t("field.missing", action=action, field=name)
    clocks = [clock.name for clock in policy.clocks]
    if own.get("clock") not in (None, "") and own["clock"] not in clocks:
        yield (*where, "clock"), t("field.choice", field="clock", value=own["clock"],
                                   allowed=", ".join(clocks))
    if own.get("due") not in (None, "") and instant_of(own["due"]) is None:
        yield (*where, "due"), t("check.bad_instant", field="due", value=str(own["due"]))
    if action == "extend":
        if own.get("reason") not in (None, "") and not isinstance(own["reason"], str):
            yield (*where, "reason"), t("validate.type", field="reason", value=own["reason"], kind="text")
        return
    if own.get("level") not in (None, "") and own["level"] not in LEVELS:
        yield (*where, "level"), t("field.choice", field="level", value=own["level"],
                                   allowed=", ".join(LEVELS))
    severities = [str(item.code) for item in policy.severities]
    if own.get("severity") not in (None, "") and own["severity"] not in severities:
        yield (*where, "severity"), t("field.choice", field="severity", value=own["severity"],
                                      allowed=", ".join(severities))
    if own.get("historical") not in (None, True):  # `import` marks a breach it found: true, or absent
        yield (*where, "historical"), t("validate.type", field="historical", value=own["historical"],
                                        kind="true")
    for name in ("to", "notified"):  # the sweep writes lists; one name alone is read as a list of it
        value = own.get(name)
        if value is not None and not isinstance(value, str) and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)):
            yield (*where, name), t("validate.type", field=name, value=value, kind=t("validate.names"))
