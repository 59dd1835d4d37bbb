"""The overdue sweep: what cron runs. Pure of the terminal and of the clock (`now` is a parameter).

For every open complaint, its digest from the index (closed complaints cost nothing; a record changed
since the last command is re-derived first) gives the *current* run of each clock, which is looked
at if it is still running (not stopped, not paused):

* past its due time → level `breach`;
* else past its warning point → level `warning`. The warning point is `warn_at` of the run's span
  from its start to its (possibly paused or extended) due time, measured as the limit measures time:
  working seconds for working forms, wall time for `minutes`, `hours` and `calendar_days`.

A breach `import` found already (`record_historical`: `historical: true`) has its key recorded, so it
is never escalated, and no notice is ever owed for it.

Runs that ended, and earlier runs of a clock, are never escalated: a complaint reopened long after it
closed starts new runs and brings no old breaches with it.

**Idempotency.** An escalation's key is (complaint, clock, the run's due time, level). The sweep
appends one `escalate` event (`clock`, `due`, `level`, `to`, optional `severity`) for a key that has
none in the history yet; a later sweep finds it and records nothing. An extension gives the run a new
due time, so a breach after it is a new key. Once a run has breached, its warning is never recorded.
All writes happen under the store-wide lock `sweep` (two sweeps run one after the other; the second
waits a bounded time, then fails with LockTimeout, exit 75) and each record is re-read and written
under its own lock through the write path (`app.write`, which validates an escalation as any event), so
an action typed at the same moment is never lost. A `now` later than the real clock writes and mails
nothing (only `--dry-run` may look ahead).

**Notices.** The record is the outbox, so what was mailed travels with git and no event is ever
rewritten. The mail for an escalation is sent *before* its event is written, and the event carries
`notified: [people mailed]`. When mail cannot go (server down, or outside working hours for a policy
whose `notices.working_hours_only` holds and a clock counted in working time), the event is written
without them. A later sweep mails the people of the current key who are in `to`, have an address and
appear in no `notified` list of that key, then appends a second `escalate` event with the same key and
`notified: [those now mailed]`: an append-only receipt, so a re-run never mails twice and two clones'
histories merge as two appended blocks. Pending notices are retried only while their run is still
the current running run of the clock (a stale notice about a met deadline is dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from complaintctl.app import write
from complaintctl.base.errors import ComplaintctlError, InvalidData, LockTimeout, Problem
from complaintctl.base.messages import t
from complaintctl.core import engine
from complaintctl.core.brief import Brief, Escalated, brief_of
from complaintctl.policy.model import Policy
from complaintctl.records.record import Record
from complaintctl.store import index
from complaintctl.store.directory import Store
from complaintctl.worktime.times import format_instant, parse_stored_instant

DAY_AND_NIGHT = ("minutes", "hours")  # limit forms whose notices never wait for working hours
SWEEP_LOCK = "sweep"
DEFAULT_BY = "sweep"


@dataclass
class Escalation:
    """One (complaint, clock, due, level): recorded now, or recorded earlier with notices pending."""

    id: str
    path: str
    subject: str
    clock: str
    level: str
    due: datetime
    started_at: datetime
    limit_form: str
    to: list[str]
    owner: str | None
    severity: str | None = None  # the raised severity, when this escalation raises it
    new: bool = True  # False: recorded by an earlier sweep, only its notice is pending
    notify: list[str] = field(default_factory=list)  # people still to be mailed about it
    notified: list[str] = field(default_factory=list)  # people mailed by this sweep

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.id, self.clock, format_instant(self.due), self.level)

    def late_seconds(self, now: datetime) -> int:
        return int((now - self.due).total_seconds())

    def as_dict(self, store: Store, now: datetime, labels: Mapping[str, str]) -> dict[str, Any]:
        return {
            "id": self.id, "path": self.path, "subject": self.subject, "clock": self.clock,
            "clock_label": labels.get(self.clock, self.clock), "level": self.level,
            "due": format_instant(self.due, store.tz), "late_seconds": self.late_seconds(now),
            "to": list(self.to), "owner": self.owner, "severity": self.severity, "new": self.new,
            "notified": list(self.notified),
        }


@dataclass
class NoticeResult:
    person: str
    email: str | None
    items: list[Escalation]
    sent: bool = False
    error: str | None = None


@dataclass
class SweepResult:
    now: datetime
    scanned: int = 0
    open: int = 0
    recorded: list[Escalation] = field(default_factory=list)
    pending: list[Escalation] = field(default_factory=list)  # earlier escalations whose notice is due
    notices: list[NoticeResult] = field(default_factory=list)
    deferred: list[Escalation] = field(default_factory=list)  # notices waiting for working hours
    overdue: list[tuple[str, str]] = field(default_factory=list)  # (id, clock) breached and running
    skipped: list[str] = field(default_factory=list)  # records with events after `now`
    unreadable: list[Problem] = field(default_factory=list)  # records left out: they do not load
    written: list[Path] = field(default_factory=list)
    commit: str | None = None
    commit_error: ComplaintctlError | None = None  # the records are written, the commit failed
    dry_run: bool = False
    resumes: datetime | None = None  # when working time resumes and the deferred notices go

    def deferred_to(self, store: Store) -> dict[str, list[Escalation]]:
        """The people whose notices wait for working hours (with an address), and about what."""
        people: dict[str, list[Escalation]] = {}
        for item in self.deferred:
            for name in item.notify:
                if _email(store, name):
                    people.setdefault(name, []).append(item)
        return people

    @property
    def failures(self) -> list[NoticeResult]:
        return [notice for notice in self.notices if not notice.sent]

    @property
    def quiet(self) -> bool:
        return not self.recorded and not self.notices


# A mailer takes {person: (email, [escalations])} and returns {person: error or None}.
Mailer = Callable[[Mapping[str, tuple[str, list[Escalation]]]], Mapping[str, str | None]]


# -- evaluating one complaint -------------------------------------------------------------------

def holders(store: Store, role: str | None) -> list[str]:
    """The people holding a role; the role itself when nobody does (or the store has no people)."""
    if not role:
        return []
    people = [person.name for person in store.settings.people or () if role in person.roles]
    return people or [role]


def _resolve(store: Store, names: Iterable[str]) -> list[str]:
    found: list[str] = []
    for name in names:
        if store.settings.person(name) is not None:
            found.append(name)
        else:
            found.extend(holders(store, name))
    return found


def _recipients(store: Store, owner: str | None, clock_name: str, level: str) -> list[str]:
    clock = store.policy.clock(clock_name)
    breach = clock.on_breach
    role = breach.escalate_to if breach else None
    if level == "warning":
        people = [owner] if owner else holders(store, role)
    else:
        people = [*holders(store, role), *_resolve(store, breach.notify if breach else ())]
        if not people and owner:
            people = [owner]
    return list(dict.fromkeys(people))


def _raised_severity(policy: Policy, current: Any, clock_name: str) -> str | None:
    breach = policy.clock(clock_name).on_breach
    target = breach.raise_severity if breach else None
    if not target:
        return None
    order = [item.code for item in policy.severities]
    if current == target:
        return None
    if current in order and target in order and order.index(current) >= order.index(target):
        return None
    return target


@dataclass
class _Recorded:
    """What the history holds of one escalation key: who was mailed, the severity it raised, and whether
    it is a historical breach (`import` found it breached: no notice is ever owed)."""

    notified: set[str] = field(default_factory=set)
    severity: str | None = None
    historical: bool = False


def _recorded(escalations: Iterable[Escalated]) -> dict[tuple[str, float, str], _Recorded]:
    """(clock, due as epoch seconds, level) of every escalate event → what the history holds of it."""
    found: dict[tuple[str, float, str], _Recorded] = {}
    for escalated in escalations:
        try:
            moment = parse_stored_instant(escalated.due).timestamp()
        except (TypeError, ValueError):
            continue
        entry = found.setdefault((escalated.clock, moment, escalated.level), _Recorded())
        entry.notified.update(escalated.notified)
        entry.severity = entry.severity or escalated.severity
        entry.historical = entry.historical or escalated.historical
    return found


def evaluate(store: Store, brief: Brief, now: datetime) -> tuple[list[Escalation], list[tuple[str, str]]]:
    """What is due on one complaint at `now`: new escalations and earlier ones with notices pending
    (those with `new=False`), and the clocks that are overdue."""
    policy = store.policy
    recorded = _recorded(brief.escalations)
    found: list[Escalation] = []
    overdue: list[tuple[str, str]] = []
    complaint_id, values, owner = brief.id, brief.values, brief.owner
    moment = now.timestamp()
    for run in brief.running():
        clock_name, due = run.clock, run.due
        if moment > due:
            level = "breach"
            overdue.append((complaint_id, clock_name))
        elif run.warn is not None and moment >= run.warn:
            level = "warning"
        else:
            continue
        known = recorded.get((clock_name, due, level))
        to = _recipients(store, owner, clock_name, level)
        escalation = Escalation(
            id=complaint_id, path=brief.path, subject=str(values.get("subject") or ""), clock=clock_name,
            level=level, due=datetime.fromtimestamp(due, store.tz),
            started_at=datetime.fromtimestamp(run.started, store.tz), limit_form=run.form, to=to,
            owner=owner, new=known is None)
        if known is None:
            if level == "breach":
                escalation.severity = _raised_severity(policy, values.get("severity"), clock_name)
        else:
            escalation.severity = known.severity  # a notice sent late says all the first one would
        if known is None or not known.historical:
            mailed = known.notified if known is not None else set()
            escalation.notify = [name for name in to if _email(store, name) and name not in mailed]
        if escalation.new or escalation.notify:
            found.append(escalation)
    return found, overdue


def _email(store: Store, name: str) -> str | None:
    person = store.settings.person(name)
    return person.email if person is not None and person.email else None


def in_working_time(store: Store, now: datetime) -> bool:
    return store.calendar.working_seconds(now, now + timedelta(seconds=1)) > 0


def may_notify_now(store: Store, escalation: Escalation, now: datetime) -> bool:
    if not store.policy.notices.working_hours_only or escalation.limit_form in DAY_AND_NIGHT:
        return True
    return in_working_time(store, now)


# -- the sweep ----------------------------------------------------------------------------------

def sweep(store: Store, now: datetime, *, dry_run: bool = False, mailer: Mailer | None = None,
          lock_timeout: float = 60.0, by: str = DEFAULT_BY, commit: bool = False,
          real_now: datetime | None = None) -> SweepResult:
    """Evaluate every open complaint at `now`, mail, record; see the module docstring. A `now` later than
    the real clock (`real_now`) only previews: refused unless `dry_run`, before anything is mailed."""
    result = SweepResult(now=now, dry_run=dry_run)
    if dry_run:
        _scan(store, now, result)
        return result
    write.require_real_time(store, now, real_now)
    lock = store.store_lock(SWEEP_LOCK, timeout=lock_timeout)
    try:
        lock.acquire()
    except LockTimeout as error:
        raise LockTimeout(t("sweep.locked", seconds=f"{lock_timeout:g}",
                            path=store.display_path(lock.path))) from error
    try:
        work = _scan(store, now, result)
        mailed = _mail(store, now, work, result, mailer) if mailer is not None else {}
        for complaint_id in work:
            _record(store, complaint_id, now, by, mailed, result, real_now)
        if (commit or store.settings.auto_commit) and result.written:
            try:
                result.commit = git_commit(store, result, by)
            except ComplaintctlError as error:  # what was recorded stands, and is reported first
                result.commit_error = error
    finally:
        lock.release()
    return result


def _scan(store: Store, now: datetime, result: SweepResult) -> dict[str, list[Escalation]]:
    moment = now.timestamp()
    Evaluated = tuple[Brief, tuple[list[Escalation], list[tuple[str, str]]] | None]

    def read(opened: index.Index) -> tuple[int, int, list[Evaluated], list[Problem]]:
        # Only the complaints with a warning or a due time already passed have anything to sweep; one
        # with an event recorded after `now` is skipped.
        evaluated: list[Evaluated] = [
            (brief, None if brief.last is not None and brief.last > moment
             else evaluate(store, brief, now)) for brief in opened.briefs(alert_before=moment)]
        return opened.files(), opened.count(open_only=True), evaluated, opened.skipped()

    result.scanned, result.open, evaluated, result.unreadable = index.read_settled(store, read, digests=False)
    work: dict[str, list[Escalation]] = {}
    for brief, outcome in evaluated:
        if outcome is None:
            result.skipped.append(brief.id)
            continue
        found, overdue = outcome
        result.overdue.extend(overdue)
        if found:
            work[brief.id] = found
            if result.dry_run:
                result.recorded.extend(escalation for escalation in found if escalation.new)
                result.pending.extend(escalation for escalation in found if not escalation.new)
    return work


def _mail(store: Store, now: datetime, work: Mapping[str, list[Escalation]], result: SweepResult,
          mailer: Mailer) -> dict[tuple[str, str, str, str], list[str]]:
    """Send one digest per person; returns key → the people whose digest went out."""
    digests: dict[str, tuple[str, list[Escalation]]] = {}
    for items in work.values():
        for item in items:
            if not item.notify:
                continue
            if not may_notify_now(store, item, now):
                result.deferred.append(item)
                result.resumes = store.calendar.resumes(now)
                continue
            for name in item.notify:
                email = _email(store, name)
                if email:
                    digests.setdefault(name, (email, []))[1].append(item)
    if not digests:
        return {}
    outcome = mailer(digests)
    mailed: dict[tuple[str, str, str, str], list[str]] = {}
    for name, (email, items) in digests.items():
        error = outcome.get(name, "not sent")
        result.notices.append(NoticeResult(name, email, items, sent=error is None, error=error))
        if error is None:
            for item in items:
                mailed.setdefault(item.key, []).append(name)
    return mailed


def _record(store: Store, complaint_id: str, now: datetime, by: str,
            mailed: Mapping[tuple[str, str, str, str], list[str]], result: SweepResult,
            real_now: datetime | None = None) -> None:
    """Evaluate the record again as it is under its lock, and append what is still due (the write path)."""
    chosen: list[Escalation] = []

    def build(record: Record, view: engine.View) -> list[dict[str, Any]]:
        chosen.clear()
        if view.final or (view.last_at is not None and view.last_at > now):
            return []
        brief = brief_of(view, store.calendar, record.history, store.display_path(record.path))
        found, _ = evaluate(store, brief, now)
        events: list[dict[str, Any]] = []
        for item in found:
            item.notified = [name for name in item.notify if name in mailed.get(item.key, ())]
            if not item.new and not item.notified:
                continue
            event: dict[str, Any] = {
                "at": format_instant(now, store.tz), "by": by, "action": "escalate", "clock": item.clock,
                "due": format_instant(item.due, store.tz), "level": item.level,
            }
            if item.to:
                event["to"] = list(item.to)
            if item.severity and item.new:  # a receipt does not raise it again
                event["severity"] = item.severity
            if item.notified:
                event["notified"] = list(item.notified)
            events.append(event)
            chosen.append(item)
        return events

    written = write.append(store, complaint_id, build, now=now, real_now=real_now)
    if written.events:
        for item in chosen:
            (result.recorded if item.new else result.pending).append(item)
        result.written.append(written.record.path)


# -- history brought in -------------------------------------------------------------------------

def record_historical(store: Store, complaint_id: str, now: datetime, *, by: str = "import",
                      real_now: datetime | None = None) -> list[Escalation]:
    """What `import` does once a complaint is in: each clock already breached at `now` gets one
    `escalate` event (level `breach`) marked `historical: true`. It is the same key the sweep would
    record, so no sweep escalates it, and no notice is ever owed for it (`evaluate`); reports count the
    breach (as they count every breached clock) but not as an escalation. Only what falls due after the
    import is swept, when it falls due. Nothing for a closed complaint."""
    chosen: list[Escalation] = []

    def build(record: Record, view: engine.View) -> list[dict[str, Any]]:
        chosen.clear()
        if view.final:
            return []
        brief = brief_of(view, store.calendar, record.history, store.display_path(record.path))
        found, _ = evaluate(store, brief, now)
        chosen.extend(item for item in found if item.new and item.level == "breach")
        return [{"at": format_instant(now, store.tz), "by": by, "action": "escalate", "clock": item.clock,
                 "due": format_instant(item.due, store.tz), "level": "breach", "historical": True}
                for item in chosen]

    write.append(store, complaint_id, build, now=now, real_now=real_now)
    return chosen


# -- git ----------------------------------------------------------------------------------------

def commit_message(store: Store, result: SweepResult) -> str:
    new = result.recorded
    breaches = sum(1 for item in new if item.level == "breach")
    warnings = len(new) - breaches
    head = (f"sweep {format_instant(result.now, store.tz)}: {breaches} breach(es), {warnings} warning(s)"
            + (f", {len(result.pending)} notice(s) sent late" if result.pending else ""))
    lines = [head, ""]
    for item in [*new, *result.pending]:
        what = item.level if item.new else f"{item.level} notice"
        extra = f", severity → {item.severity}" if item.severity and item.new else ""
        mailed = f", mailed {', '.join(item.notified)}" if item.notified else ""
        lines.append(f"- {item.id} {item.clock} {what} (due {format_instant(item.due, store.tz)}) "
                     f"→ {', '.join(item.to) or '-'}{extra}{mailed}")
    return "\n".join(lines) + "\n"


def git_commit(store: Store, result: SweepResult, by: str = DEFAULT_BY) -> str:
    """Commit exactly the records this sweep wrote, as `by`; returns the new commit's short hash."""
    from complaintctl.git import repo as gitrepo

    subject, _, body = commit_message(store, result).partition("\n")
    try:
        return write.commit_paths(store, result.written, by, subject, "sweep", body=body)
    except gitrepo.NotARepository as error:
        raise InvalidData(t("sweep.not_git", path=store.root)) from error
    except gitrepo.GitFailed as error:
        raise InvalidData(t("sweep.git_failed", problem=error)) from error
