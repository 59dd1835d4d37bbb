"""The one write path: every change to a complaint record goes through `append` (events added to a record)
or `create` (a new record) — a person's action (log, act, note, attach, edit, extend), the sweep's
escalations and notice receipts, an import's rows — or, for `archive` alone, `rewrite` (a record
replaced as a whole once its retention has passed).

`append` takes the record's lock (parallel actions on one complaint queue on it; one held longer than
`store.LOCK_TIMEOUT` gives `LockTimeout`, exit 75), reads the record again under it, lets the caller
build the new events against that latest history, refuses them with the first problem the one validation
(`core.validate`) finds, writes the record atomically, and commits it to git when asked (with the
store's git lock held from the write to the commit, so two actions at once never share a commit).

Times. `now` is the command's current time (`--now`, else the real clock); `real_now` is the real
clock, read once by the command line and passed down (None: `now` is the real clock). Nothing is written
while `now` is later than the real clock by more than `validate.FUTURE_TOLERANCE`: a future `--now` is
for read-only views and tests. An event the person did not date (no `--at`) is dated `now`, or, when a
process that started later wrote first, at the last event: it queued behind it. An event dated with
`--at` never goes before the last event a person entered; it may go before the sweep's escalations and
notice receipts recorded meanwhile (a late entry): it is appended to the file, and replay takes it at
the time it happened (`engine.in_time_order`), so an escalation it shows unfounded is withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from complaintctl.base.errors import EnvironmentFailure, InvalidData, Problem, Refused, UsageError
from complaintctl.base.messages import t
from complaintctl.core import engine, validate
from complaintctl.core.validate import FUTURE_TOLERANCE
from complaintctl.git import repo as gitrepo
from complaintctl.records.record import Record
from complaintctl.store.check import validation_rules
from complaintctl.store.directory import Store
from complaintctl.store.projection import view_of, view_of_stored
from complaintctl.worktime.times import format_instant

#: Makes the events to append from the record and its view as they are under the lock ([]: nothing).
Build = Callable[[Record, engine.View], list[dict[str, Any]]]


@dataclass(frozen=True)
class Commit:
    """Who commits a write, as which action; `wanted` is `--commit` (the settings' `auto_commit: true`
    commits every write that carries a Commit)."""

    person: str
    action: str
    wanted: bool = False


@dataclass
class Written:
    record: Record
    view: engine.View
    events: list[dict[str, Any]] = field(default_factory=list)
    commit: str | None = None  # the short hash of the commit made
    not_committed: bool = False  # a commit was asked for, but the store is not in a git repository


rules = validation_rules  # what validating this store's records needs: policy, calendar, people, clock


def require_real_time(store: Store, now: datetime, real_now: datetime | None) -> None:
    """Refuse to write anything while `now` is in the future of the real clock."""
    if real_now is not None and now > real_now + FUTURE_TOLERANCE:
        raise UsageError(t("time.future_now", now=format_instant(now, store.tz),
                           real=format_instant(real_now, store.tz)))


def event_time(store: Store, complaint_id: str, view: engine.View, wanted: datetime, *, given: bool,
               now: datetime, real_now: datetime | None) -> datetime:
    """The instant of a new event: `wanted` (its `--at` when `given`, else now), checked against the
    history as it is under the lock."""
    option = "--at" if given else "--now"
    if wanted < view.received_at:
        raise UsageError(t("time.before_received", field=option, value=format_instant(wanted, store.tz),
                           received=format_instant(view.received_at, store.tz)))
    last = view.last_at
    if last is None or wanted >= last:
        return wanted
    if given and wanted >= (view.last_person_at or view.received_at):
        return wanted  # a late entry: done before the sweep's events since, never before a person's
    if given:
        raise UsageError(t("time.before_last_person", field=option, value=format_instant(wanted, store.tz),
                           last=format_instant(view.last_person_at or view.received_at, store.tz)))
    if real_now is not None and now != real_now:
        raise UsageError(t("time.before_last", field=option, value=format_instant(wanted, store.tz),
                           last=format_instant(last, store.tz)))
    clock = real_now if real_now is not None else now
    if last > clock + FUTURE_TOLERANCE:
        raise Refused(t("time.last_in_future", id=complaint_id, last=format_instant(last, store.tz),
                        real=format_instant(clock, store.tz)))
    return last  # an action that started first and waited for the lock: it comes right after


def append(store: Store, complaint_id: str, build: Build, *, now: datetime, real_now: datetime | None = None,
           commit: Commit | None = None) -> Written:
    """Append what `build` makes of the latest history to a record; see the module docstring."""
    require_real_time(store, now, real_now)
    with _git_lock(store, commit) as committing:
        with store.lock(complaint_id):
            record = store.read(complaint_id)
            view = view_of_stored(store, record)
            first = len(record.history)
            events = build(record, view)
            written = Written(record, view, events)
            if not events:
                return written
            checking = rules(store, real_now)
            _refuse(validate.appended_problems(checking, view, events, first=first, complaint_id=record.id,
                                               history=record.history, intake=record.intake))
            for event in events:
                record.append(event)
            text = record.text()
            _refuse(validate.size_problems(checking, _size(text), record.id))
            store.write(record, text)
        if committing and commit is not None:
            _commit(store, written, commit)
    return written


def create(store: Store, received: datetime, intake: Mapping[str, Any], log_event: Mapping[str, Any], *,
           now: datetime, real_now: datetime | None = None, commit: Commit | None = None,
           later: Sequence[Mapping[str, Any]] = ()) -> Written:
    """Register a new record under a fresh id, validated as a whole before it is written; `later`:
    events after the log event, written with it (an import's row: the record appears whole or not at
    all, so a kill never leaves half a row's history that a second import would take as imported)."""
    require_real_time(store, now, real_now)
    checking = rules(store, real_now)

    def check(record: Record, text: str) -> None:
        _refuse(validate.record_problems(checking, record.intake, record.history, size=_size(text)))

    with _git_lock(store, commit) as committing:
        record = store.allocate(received, intake, log_event, check=check, later=later)
        written = Written(record, view_of(store, record), record.history)
        if committing and commit is not None:
            _commit(store, written, commit)
    return written


#: Makes a record's replacement from the record and its view under the lock: its intake (nested, as the
#: record has it) and its whole history; None leaves the record as it is.
Rewrite = Callable[[Record, engine.View], tuple[dict[str, Any], list[dict[str, Any]]] | None]


def rewrite(store: Store, complaint_id: str, make: Rewrite, *, now: datetime,
            real_now: datetime | None = None) -> Written:
    """Replace a record as a whole: only `archive` does, when a policy's retention has passed and the
    complainant's personal data is replaced (README "Retention"). Under the record's lock, from the
    record as it is then; the result is validated as a whole record, and read back before it counts
    as written. Committing is the caller's (one commit for every record it rewrote)."""
    require_real_time(store, now, real_now)
    with store.lock(complaint_id):
        record = store.read(complaint_id)
        view = view_of_stored(store, record)
        made = make(record, view)
        if made is None:
            return Written(record, view)
        intake, history = made
        replaced = Record.rewritten(record.path, intake, history)
        text = replaced.text()
        checking = rules(store, real_now)
        _refuse(validate.record_problems(checking, replaced.intake, replaced.history, size=_size(text)))
        if Record.parse(text, record.path).history != history:  # never write what cannot be read back
            raise InvalidData(t("archive.not_read_back", id=complaint_id))
        store.write(replaced, text)
    return Written(replaced, view_of(store, replaced), history)


def commit_paths(store: Store, paths: Iterable[Path], person: str, subject: str, action: str, *,
                 body: str = "", complaint_id: str | None = None, lock: bool = True) -> str:
    """Commit exactly `paths` as `person` (the sweep's one commit of every record it wrote, and each
    action's own); returns the commit's short hash. Raises `gitrepo.NotARepository`, `GitFailed`."""
    return gitrepo.commit(store, paths, person, subject, action, body=body, complaint_id=complaint_id,
                          lock=lock)


def _refuse(problems: list[Problem]) -> None:
    refused = validate.refusals(problems)
    if refused:
        raise Refused(refused[0].message)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))  # a lone surrogate is reported, not raised here


@contextmanager
def _git_lock(store: Store, commit: Commit | None) -> Iterator[bool]:
    if commit is None or not (commit.wanted or store.settings.auto_commit):
        yield False
        return
    with store.store_lock(gitrepo.GIT_LOCK):
        yield True


def _commit(store: Store, written: Written, commit: Commit) -> None:
    record = written.record
    event = written.events[-1]
    paths = [record.path]
    for item in (e for e in written.events if e.get("action") == "attach"):
        paths += [store.root / str(entry["path"]) for entry in item.get("files") or ()]
    subject = gitrepo.action_subject(commit.action, record.id, event, record.intake)
    try:
        written.commit = commit_paths(store, paths, commit.person, subject, commit.action,
                                      complaint_id=record.id, lock=False)
    except gitrepo.NotARepository:
        written.not_committed = True
    except gitrepo.GitFailed as error:
        raise InvalidData(t("git.commit_failed", id=record.id, problem=error)) from error
    except EnvironmentFailure as error:  # still the machine's doing (exit 74); the action stands
        raise EnvironmentFailure(t("git.commit_failed", id=record.id, problem=error)) from error
