"""`complaintctl check`: every problem of every record, as `path:line: message`.

Each rule is a small function of one record (or, for duplicate ids, of all of them) that returns problems;
none stops at the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from complaintctl.base.errors import (
    ComplaintctlError,
    InvalidData,
    NotFound,
    Problem,
    ProblemsFound,
    UsageError,
)
from complaintctl.base.messages import t
from complaintctl.core import engine
from complaintctl.policy.model import BUILTIN_EVENT_FIELDS, BUILTIN_EVENTS, Policy
from complaintctl.records import ids, intake, yamlio
from complaintctl.records.record import ENVELOPE, Record
from complaintctl.store.directory import COMPLAINTS_DIR, Store
from complaintctl.worktime.times import parse_stored_instant


def check_store(store: Store, paths: Sequence[Path] | None = None) -> tuple[list[Problem], int]:
    """All problems in the store (or in the records among `paths`), and how many records were read."""
    problems: list[Problem] = []
    if store.settings.people is None:
        problems.append(Problem("complaintctl.yaml", 0, "warning: " + t("check.no_people")))
    seen: dict[str, str] = {}
    count = 0
    for path in store.record_paths() if paths is None else _records_among(store, paths):
        count += 1
        shown = store.display_path(path)
        try:
            record = Record.read(path, shown)
        except ProblemsFound as error:
            problems.extend(_conflict_regions(path, shown, error.problems))
            continue
        except InvalidData as error:
            problems.append(_as_problem(shown, error))
            continue
        except OSError as error:
            problems.append(Problem(shown, 0, t("record.unreadable", problem=error.strerror or error)))
            continue
        found = check_record(store, record, shown)
        problems.extend(found)
        if record.id in seen:
            problems.append(Problem(shown, record.line_of("id"),
                                    t("check.duplicate_id", id=record.id, other=seen[record.id])))
        else:
            seen[record.id] = shown
    return problems, count


def _records_among(store: Store, paths: Sequence[Path]) -> Iterator[Path]:
    """The record files among `paths` (relative to the working directory, as git and the pre-commit
    framework pass them); other files of the store (settings, evidence) are not records and skipped."""
    root = store.root.resolve()
    records = root / COMPLAINTS_DIR
    for given in dict.fromkeys(Path(p).resolve() for p in paths):
        if not given.is_relative_to(root):
            raise UsageError(t("git.check_outside", path=given, store=store.root))
        if given.is_dir() and given.is_relative_to(records):  # a year or a month
            found = sorted(given.rglob("*.yaml"))
        elif given.is_relative_to(records) and given.suffix == ".yaml":
            if not given.is_file():
                raise NotFound(t("attach.missing", path=given))
            found = [given]
        else:
            continue
        for path in found:
            if not path.name.startswith("."):
                yield store.root / path.relative_to(root)


_MARKER_PROBLEM = "unresolved git conflict marker"  # yamlio's message for each marker line


def _conflict_regions(path: Path, shown: str, problems: list[Problem]) -> list[Problem]:
    """One problem per conflict region, at its `<<<<<<<` line, saying how to resolve it (yamlio
    reports every marker line)."""
    if not any(p.message == _MARKER_PROBLEM for p in problems):
        return problems
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [p for p in problems if p.message != _MARKER_PROBLEM]
    for problem in problems:
        if problem.message == _MARKER_PROBLEM and 0 < problem.line <= len(lines) \
                and lines[problem.line - 1].startswith("<<<<<<<"):
            kept.append(Problem(shown, problem.line, t("git.check_conflict", id=path.stem)))
    return kept


def problems_of_file(store: Store, path: Path) -> list[Problem]:
    """Why one record file cannot be read or replayed, as `path:line: message` problems (none: it reads
    and replays). What every command that reads many records reports for a record it leaves out."""
    from complaintctl.store.projection import view_of_stored

    shown = store.display_path(path)
    try:
        view_of_stored(store, Record.read(path, shown))
    except ProblemsFound as error:
        return _conflict_regions(path, shown, error.problems)
    except ComplaintctlError as error:
        return [_as_problem(shown, error)]
    except OSError as error:
        return [Problem(shown, 0, t("record.unreadable", problem=error.strerror or error))]
    return []


def _as_problem(shown: str, error: ComplaintctlError) -> Problem:
    text = str(error)
    prefix = f"{shown}:"
    if text.startswith(prefix):
        line_text, _, message = text[len(prefix):].partition(": ")
        if line_text.isdigit():
            return Problem(shown, int(line_text), message)
        return Problem(shown, 0, text[len(prefix):].strip())  # the message names the file already
    return Problem(shown, 0, text)


def check_record(store: Store, record: Record, shown: str) -> list[Problem]:
    problems = [*check_intake(store, record, shown), *check_id_path(store, record, shown)]
    history_problems = list(check_history(store.policy, record, shown))
    problems.extend(history_problems)
    if not problems:
        problems.extend(check_replay(store, record, shown))
    return problems


def check_intake(store: Store, record: Record, shown: str) -> Iterator[Problem]:
    doc = record.doc
    for key in doc:
        if key != "history" and key not in intake.ORDER:
            yield Problem(shown, record.line_of(key), t("intake.unknown", field=key,
                                                         known=", ".join(intake.ORDER)))
        elif key in intake.NESTED:
            value = doc[key]
            if not isinstance(value, dict):
                yield Problem(shown, record.line_of(key), f"{key}: expected a mapping")
                continue
            for sub in value:
                if sub not in intake.NESTED[key]:
                    yield Problem(shown, record.line_of(key, sub),
                                  t("intake.unknown", field=f"{key}.{sub}",
                                    known=", ".join(intake.NESTED[key])))
    for key in intake.ALWAYS:
        if doc.get(key) in (None, ""):
            yield Problem(shown, 1, t("intake.missing", field=key, policy=store.policy.policy))
    for key in intake.INSTANTS:
        if doc.get(key) not in (None, "") and _instant(doc[key]) is None:
            yield Problem(shown, record.line_of(key), t("check.bad_instant", field=key, value=str(doc[key])))
    policy = store.policy
    if doc.get("policy") not in (None, "", policy.policy):
        yield Problem(shown, record.line_of("policy"),
                      t("check.policy_mismatch", record=doc.get("policy"), store=policy.policy))
    for key in intake.CODED:
        items = policy.labels(key)
        if doc.get(key) not in (None, "") and str(doc[key]) not in {item.code for item in items}:
            yield Problem(shown, record.line_of(key),
                          t("field.choice", field=key, value=str(doc[key]),
                            allowed=", ".join(item.code for item in items)))
    flat_missing = [name for name in policy.intake.required if _lookup(doc, name) in (None, "")]
    excused = _excused(store, record, shown)
    for name in flat_missing:
        if name not in excused:
            yield Problem(shown, record.line_of(name.split(".")[0]),
                          t("intake.missing", field=name, policy=policy.policy))
    yield from (problem for problem in excused.values() if problem is not None)


def _excused(store: Store, record: Record, shown: str) -> dict[str, Problem | None]:
    """The required fields the intake's `missing` names (an e-mail gives no category): each with a
    warning while no event has supplied it yet (`act ID edit FIELD=VALUE`), else None."""
    listed = record.doc.get("missing")
    if listed in (None, ""):
        return {}
    names = [str(name) for name in listed] if isinstance(listed, list) else [str(listed)]
    history = [event for event in record.doc.get("history") or () if isinstance(event, dict)]
    excused: dict[str, Problem | None] = {}
    for name in names:
        if not any(event.get(name) not in (None, "") for event in history):
            excused[name] = Problem(shown, record.line_of("missing"), "warning: " + t(
                "intake.to_complete", id=record.id, field=name))
        else:
            excused[name] = None
    return excused


def check_id_path(store: Store, record: Record, shown: str) -> Iterator[Problem]:
    complaint_id = record.id
    if not ids.is_id(complaint_id):
        yield Problem(shown, record.line_of("id"), t("id.malformed", value=complaint_id))
        return
    expected = store.record_path(complaint_id)
    if expected.resolve() != record.path.resolve():
        yield Problem(shown, record.line_of("id"),
                      t("check.id_path", id=complaint_id, expected=store.display_path(expected)))


def check_history(policy: Policy, record: Record, shown: str) -> Iterator[Problem]:
    history = record.doc.get("history")
    if not isinstance(history, list) or not history:
        yield Problem(shown, record.line_of("history"), t("check.first_event"))
        return
    received = _instant(record.doc.get("received_at"))
    before: datetime | None = None
    for index, event in enumerate(history):
        if not isinstance(event, dict):
            yield Problem(shown, record.line_of("history", index), "history: each event is a mapping")
            continue
        for key in ENVELOPE:
            if event.get(key) in (None, ""):
                yield Problem(shown, record.line_of("history", index), f"history: event without {key}")
        action = str(event.get("action", ""))
        if index == 0 and action != "log":
            yield Problem(shown, record.line_of("history", 0, "action"), t("check.first_event"))
        at = _instant(event.get("at"))
        if event.get("at") not in (None, "") and at is None:
            yield Problem(shown, record.line_of("history", index, "at"),
                          t("check.bad_instant", field="at", value=str(event.get("at"))))
        if at is not None:
            if before is not None and at < before:
                yield Problem(shown, record.line_of("history", index, "at"),
                              t("check.event_order", at=event["at"], before=before.isoformat()))
            if received is not None and at < received:
                yield Problem(shown, record.line_of("history", index, "at"),
                              t("check.event_before_received", at=event["at"], received=received.isoformat()))
            before = at
        yield from _check_event_fields(policy, record, shown, index, event, action)


def _check_event_fields(policy: Policy, record: Record, shown: str, index: int, event: dict[str, Any],
                        action: str) -> Iterator[Problem]:
    own = [key for key in event if key not in ENVELOPE and key != "recorded_at"]
    if action == "edit":
        return
    if action in BUILTIN_EVENTS:
        allowed: tuple[str, ...] = BUILTIN_EVENT_FIELDS.get(action, ())
    elif policy.has_action(action):
        allowed = tuple(policy.action(action).fields)
        for name, spec in policy.action(action).fields.items():
            if spec.required and event.get(name) in (None, ""):
                yield Problem(shown, record.line_of("history", index),
                              t("field.missing", action=action, field=name))
    else:
        possible = ", ".join(a.name for a in policy.actions)
        yield Problem(shown, record.line_of("history", index, "action"),
                      t("action.unknown", policy=policy.policy, action=action, possible=possible))
        return
    for key in own:
        if key not in allowed:
            yield Problem(shown, record.line_of("history", index, key),
                          t("field.unknown", action=action, field=key, known=", ".join(allowed) or t("none")))


def check_replay(store: Store, record: Record, shown: str) -> Iterator[Problem]:
    """Replay the history and find steps the policy never allowed (an impossible history)."""
    policy = store.policy
    try:
        view = engine.replay(policy, store.calendar, record.intake, record.history[:1])
    except (KeyError, ValueError) as error:
        yield Problem(shown, record.line_of("history", 0), str(error))
        return
    for index, event in enumerate(record.history[1:], start=1):
        action = str(event["action"])
        if action not in BUILTIN_EVENTS:
            spec = policy.action(action)
            if not spec.allowed_in(view.status, policy.final_states):
                label = policy.state(view.status).text("en")
                yield Problem(shown, record.line_of("history", index, "action"),
                              f"impossible history: {action} is not allowed when the complaint is {label} "
                              f"({view.status})")
                return
        try:
            engine.apply_event(view, store.calendar, event)
        except (KeyError, ValueError) as error:
            yield Problem(shown, record.line_of("history", index), str(error))
            return


def _instant(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_stored_instant(value)
    except ValueError:
        return None


def _lookup(doc: Any, dotted: str) -> Any:
    node = doc
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return yamlio.to_plain(node) if node is not None else None
