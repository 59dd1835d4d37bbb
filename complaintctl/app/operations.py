"""What the commands do, without the terminal: log, act, attach, and the views that show and list read.

Every function takes the current time as a parameter (and the real clock, `real_now`, which the command
line reads once). Every write goes through `app.write`: under the complaint's lock, against its latest
history, validated, atomic, committed when asked; so concurrent actions all land, one after the other.
"""

from __future__ import annotations

import errno
import getpass
import os
import stat
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaintctl.app import listing
from complaintctl.base.errors import NotFound, Refused, UsageError
from complaintctl.base.fsutil import copy_file_atomic
from complaintctl.base.messages import current_language, t
from complaintctl.core import engine
from complaintctl.core.brief import brief_of
from complaintctl.policy.fields import intake_value
from complaintctl.records import ids
from complaintctl.records import intake as intake_fields
from complaintctl.records.record import Record, flatten_intake
from complaintctl.store.directory import EVIDENCE_DIR, Store
from complaintctl.worktime.times import format_instant, parse_instant, parse_stored_instant

if TYPE_CHECKING:  # the write path (validation, git) is imported by the commands that write, not by show
    from complaintctl.app import write


@dataclass
class Outcome:
    record: Record
    view: engine.View
    commit: str | None = None  # the commit made of the change (`--commit`, `auto_commit`)
    not_committed: bool = False  # a commit was asked for, but the store is not in a git repository

    @classmethod
    def of(cls, written: write.Written) -> Outcome:
        return cls(written.record, written.view, written.commit, written.not_committed)


def default_person(environ: Mapping[str, str], cwd: Path) -> str:
    """COMPLAINTCTL_USER, else git's user.name, else the login name."""
    if environ.get("COMPLAINTCTL_USER"):
        return environ["COMPLAINTCTL_USER"]
    try:
        found = subprocess.run(["git", "config", "user.name"], cwd=cwd, capture_output=True, text=True,
                               timeout=5, check=False)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def actor(store: Store, name: str) -> engine.Actor:
    people = store.settings.people
    if people is None:
        return engine.Actor(name=name, roles=frozenset(), known=False)
    if store.settings.person(name) is None:
        raise Refused(t("action.unknown_person", person=name, path=store.root / "complaintctl.yaml"))
    return engine.Actor(name=name, roles=store.settings.roles_of(name), known=True)


def when(store: Store, at: str | None, now: datetime) -> tuple[datetime, bool]:
    """The instant an event happened (`--at`, else now), and whether it was given."""
    if at is None:
        return now, False
    instant = parse_instant(at, store.tz, now, field="--at")
    if instant > now:
        raise UsageError(t("time.future", field="--at", value=format_instant(instant, store.tz),
                           now=format_instant(now, store.tz)))
    return instant, True


def _envelope(store: Store, at: datetime, by: str, action: str, own: Mapping[str, Any],
              backdated: bool, now: datetime) -> dict[str, Any]:
    event: dict[str, Any] = {"at": format_instant(at, store.tz), "by": by, "action": action, **own}
    if backdated and format_instant(at) != format_instant(now):
        event["recorded_at"] = format_instant(now, store.tz)
    return event


# -- log ----------------------------------------------------------------------------------------

def log(store: Store, fields: Mapping[str, Any], *, by: str, now: datetime, at: str | None = None,
        received: str | None = None, real_now: datetime | None = None, commit: bool | None = None,
        later: Sequence[Mapping[str, Any]] = ()) -> Outcome:
    """Register a new complaint. `fields` are intake fields, flat (`complainant.name`) or nested.
    `later`: events that follow the log event in the same write (an import's row, each made by
    `dated_event`), validated with the whole record."""
    from complaintctl.app import write

    policy = store.policy
    person = actor(store, by)
    registered_at, backdated = when(store, at, now)
    received_at = (parse_instant(received, store.tz, now, field="--received") if received
                   else registered_at)
    if received_at > now:
        raise UsageError(t("time.future", field="--received", value=format_instant(received_at, store.tz),
                           now=format_instant(now, store.tz)))
    ids.require_filable(received_at.astimezone(store.tz).year, "--received" if received else "--at",
                        received or at or format_instant(received_at, store.tz))
    if received_at > registered_at:
        raise UsageError(t("time.before_received", field="--at",
                           value=format_instant(registered_at, store.tz),
                           received=format_instant(received_at, store.tz)))
    intake = validate_intake(store, flatten_intake(fields))
    intake.update(policy=policy.policy, office=store.settings.office,
                  received_at=format_instant(received_at, store.tz))
    log_event = _envelope(store, registered_at, person.name, "log", {}, backdated, now)
    return Outcome.of(write.create(store, received_at, intake, log_event, now=now, real_now=real_now,
                                   commit=_commit(person.name, "log", commit), later=later))


def _commit(person: str, action: str, wanted: bool | None) -> write.Commit | None:
    """None: the caller never commits (an import); else commit when wanted or the settings say so."""
    from complaintctl.app import write

    return None if wanted is None else write.Commit(person, action, wanted)


#: Keys a document given to `log --from` may not set: the tool's own (the id, the policy, the history) and
#: the import's `source`, which `import` alone writes, so a web form cannot pre-empt a ledger row.
RESERVED_FROM = ("history", *(field.key for field in intake_fields.FIELDS if field.origin != "person"))


def intake_from_document(document: Mapping[Any, Any], shown: str) -> dict[str, Any]:
    """The flat intake fields of a YAML or JSON mapping (`log --from`): every key an intake field a
    person fills, nested only as `complainant:` and `service:` are, every value a single one (text, a
    number, yes/no); anything else is refused, never dropped or stored as Python's repr."""
    known = [field.key for field in intake_fields.TYPED]
    flat: dict[str, Any] = {}
    for key, value in document.items():
        name = str(key)
        if name in RESERVED_FROM:
            raise UsageError(t("intake.reserved", source=shown, field=name))
        if name in intake_fields.NESTED and isinstance(value, Mapping):
            flat.update({f"{name}.{sub}": sub_value for sub, sub_value in value.items()})
        else:
            flat[name] = value
    for name, value in flat.items():
        if name not in known:
            raise UsageError(t("intake.unknown", field=name, known=", ".join(known)))
        if isinstance(value, Mapping | list | tuple | set):
            raise UsageError(t("intake.not_scalar", source=shown, field=name))
    return flat


def validate_intake(store: Store, flat: Mapping[str, Any]) -> dict[str, Any]:
    """The intake as the policy wants it: known fields only, codes checked, required ones present."""
    policy = store.policy
    known = intake_fields.WRITABLE
    intake: dict[str, Any] = {}
    for name, value in flat.items():
        if name not in known:
            raise UsageError(t("intake.unknown", field=name, known=", ".join(known)))
        if value in (None, ""):
            continue
        intake[name] = _intake_value(store, name, value)
    if "severity" not in intake and policy.severities:
        intake["severity"] = policy.severities[0].code
    excused = set(intake.get("missing") or ())  # to be completed later (an e-mail has no category)
    missing = [name for name in missing_intake(store, intake) if name not in excused]
    if missing:
        raise UsageError(t("intake.missing_many", policy=policy.policy, fields=", ".join(missing)))
    return intake


def missing_intake(store: Store, intake: Mapping[str, Any]) -> list[str]:
    """The fields the policy requires (and those every record has) that a person must still give."""
    required = [*intake_fields.ALWAYS, *store.policy.intake.required]
    return [name for name in dict.fromkeys(required) if name not in intake_fields.AUTOMATIC
            and intake.get(name) in (None, "")]


def _intake_value(store: Store, name: str, value: Any) -> Any:
    return intake_value(store.policy, name, value)


# -- acting on a complaint ------------------------------------------------------------------------

def act(store: Store, query: str, action: str, fields: Mapping[str, Any], *, by: str, now: datetime,
        at: str | None = None, real_now: datetime | None = None, commit: bool | None = None) -> Outcome:
    """Take one step of the policy (or a built-in event) on a complaint, against its latest history."""
    from complaintctl.app import write

    complaint_id = store.resolve(query)
    person = actor(store, by)
    wanted, given = when(store, at, now)
    typed = typed_fields(store, action, fields, now)

    def build(record: Record, view: engine.View) -> list[dict[str, Any]]:
        instant = write.event_time(store, complaint_id, view, wanted, given=given, now=now, real_now=real_now)
        own = engine.prepare(view, store.calendar, complaint_id, action, typed, person)
        return [_envelope(store, instant, person.name, action, own, given, now)]

    return Outcome.of(write.append(store, complaint_id, build, now=now, real_now=real_now,
                                   commit=_commit(person.name, action, commit)))


def typed_fields(store: Store, action: str, fields: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """An action's fields as `act` takes them: times in the store's zone, an edit's codes and numbers."""
    return _normalise_edit(store, action, _normalise_times(store, action, fields, now))


def dated_event(store: Store, view: engine.View, complaint_id: str, action: str, fields: Mapping[str, Any],
                *, by: str, at: str, now: datetime) -> dict[str, Any]:
    """The event `act --at AT` appends to the history `view` shows, made as `act` makes it (an import
    builds each row's later events with it, to write them with the log event in one write)."""
    person = actor(store, by)
    instant, given = when(store, at, now)
    own = engine.prepare(view, store.calendar, complaint_id, action, typed_fields(store, action, fields, now),
                         person)
    return _envelope(store, instant, person.name, action, own, given, now)


def _normalise_edit(store: Store, action: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """An edit's intake fields as `log` takes them: codes for labels, numbers for amounts."""
    if action != "edit":
        return dict(fields)
    typed = {field.key for field in intake_fields.TYPED}
    return {name: _intake_value(store, name, value) if name in typed and value not in (None, "")
            else value for name, value in fields.items()}


def _normalise_times(store: Store, action: str, fields: Mapping[str, Any], now: datetime
                     ) -> dict[str, Any]:
    if action == "extend":
        kinds = {"due": "datetime"}
    elif store.policy.has_action(action):
        kinds = {name: spec.type for name, spec in store.policy.action(action).fields.items()}
    else:
        return dict(fields)
    result = dict(fields)
    for name, value in fields.items():
        if kinds.get(name) == "datetime" and value not in (None, ""):
            result[name] = format_instant(parse_instant(str(value), store.tz, now, field=name), store.tz)
    return result


def note(store: Store, query: str, text: str, *, by: str, now: datetime, at: str | None = None,
         real_now: datetime | None = None, commit: bool | None = None) -> Outcome:
    if not text.strip():
        raise UsageError(t("field.missing", action="note", field="text"))
    return act(store, query, "note", {"text": text}, by=by, now=now, at=at, real_now=real_now, commit=commit)


def attach(store: Store, query: str, files: list[Path], *, by: str, now: datetime,
           at: str | None = None, real_now: datetime | None = None, commit: bool | None = None) -> Outcome:
    """Copy evidence beside the record, and record each file's path, size and SHA-256."""
    from complaintctl.app import write

    complaint_id = store.resolve(query)
    for source in files:
        _require_regular_file(source)
    when(store, at, now)  # a bad --at or --now is refused before anything is copied
    write.require_real_time(store, now, real_now)
    folder = store.root / EVIDENCE_DIR / complaint_id
    # `evidence` or `evidence/<id>` made a link elsewhere would have the copy written outside the store.
    inside = os.path.join(os.path.realpath(store.root), EVIDENCE_DIR, complaint_id)
    if os.path.realpath(folder) != inside:
        raise Refused(t("attach.outside", path=store.display_path(folder), target=os.path.realpath(folder)))
    entries = []
    copied: list[Path] = []
    try:
        for source in files:
            target = folder / _free_name(folder, source.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                size, digest = copy_file_atomic(source, target)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.EINVAL) and str(error.filename) == str(source):
                    _require_regular_file(source)  # replaced since the check: say what it is now
                raise
            copied.append(target)
            entries.append({"path": store.display_path(target), "size": size, "sha256": digest})
        return act(store, complaint_id, "attach", {"files": entries}, by=by, now=now, at=at,
                   real_now=real_now, commit=commit)
    except BaseException:
        # The event was not written: leave no evidence file that no record points to.
        for target in copied:
            target.unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise


def _require_regular_file(source: Path) -> None:
    """Evidence is a regular file, named as itself: a symbolic link is not followed (it could lend
    any file of the machine), a directory or a device is not a file."""
    try:
        mode = os.lstat(source).st_mode
    except FileNotFoundError:
        raise NotFound(t("attach.missing", path=source)) from None
    if stat.S_ISLNK(mode):
        raise UsageError(t("attach.symlink", path=source))
    if not stat.S_ISREG(mode):
        raise UsageError(t("attach.not_regular", path=source))


def _free_name(folder: Path, name: str) -> str:
    safe = Path(name).name.lstrip(".") or "file"
    candidate, number = safe, 1
    while (folder / candidate).exists():
        number += 1
        stem, dot, suffix = safe.partition(".")
        candidate = f"{stem}-{number}{dot}{suffix}"
    return candidate


# -- reading -------------------------------------------------------------------------------------

def deadlines(store: Store, view: engine.View, now: datetime) -> list[dict[str, Any]]:
    """Each clock's latest run, as `list` shows it (`listing.deadlines`, from the view's brief)."""
    return listing.deadlines(store, brief_of(view, store.calendar, ()), now)


def summary(store: Store, record: Record, view: engine.View, now: datetime) -> dict[str, Any]:
    """What `show --json` prints and `list` filters on."""

    from complaintctl.store.handles import handle_of

    rows = deadlines(store, view, now)
    language = current_language()
    checked = engine.blocked_actions(view, store.calendar)
    return {
        "id": record.id,
        "handle": handle_of(store, record.id),
        "path": store.display_path(record.path),
        "status": view.status,
        "status_label": view.policy.state(view.status).text(language),
        "owner": view.owner,
        "department": view.department,
        "coordinator": view.coordinator,
        "departments": list(view.departments),
        "severity": view.value("severity"),
        "intake": record.intake,
        # required fields the intake could not give (`missing`) and no event has supplied since
        "to_complete": [str(name) for name in record.intake.get("missing") or ()
                        if view.value(str(name)) in (None, "")],
        "deadlines": rows,
        "overdue": any(row["open"] and row["state"] == "breached" for row in rows),
        "rejections": view.rejections,
        "reopenings": view.reopenings,
        "history": record.history,
        # the sweep's escalations a late entry showed unfounded: kept in the file, shown as withdrawn
        "withdrawn_escalations": withdrawn_escalations(record.history, view),
        # what the write path would take now, and what it would refuse with its reason (same guards)
        "possible_actions": [action.name for action, reason in checked if reason is None],
        "blocked_actions": [{"action": action.name, "reason": reason} for action, reason in checked
                            if reason is not None],
    }


def withdrawn_escalations(history: list[dict[str, Any]], view: engine.View) -> list[int]:
    """The indexes in the file of the escalations the view withdrew (matched by their instant and clock)."""
    if not view.withdrawn:
        return []
    left = list(view.withdrawn)
    found = []
    for index, event in enumerate(history):
        if event.get("action") != "escalate":
            continue
        try:
            key = (parse_stored_instant(event["at"]), str(event.get("clock", "")))
        except (KeyError, ValueError, TypeError):
            continue
        if key in left:
            left.remove(key)
            found.append(index)
    return found


def cwd() -> Path:
    return Path(os.getcwd())
