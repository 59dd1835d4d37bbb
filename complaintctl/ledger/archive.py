"""`complaintctl archive`: the end of a record's retention (README "Retention").

A policy keeps every record whole for `archive: {years: N}` after the complaint closed (service 8.2.2
"投诉处理结果归档应至少保存5年"); an open complaint is kept whole for ever. Once that time has passed,
`archive` replaces the complainant's personal data — name, phone, e-mail, other contact, and their
mentions in every free text of the intake and the history — by the pseudonyms `export --redact` gives
(`columns.Redactor`, the same key), and writes `archived_at`. What statistics read stays as it was:
codes, times, amounts, the staff's names and every event, so a report gives the same figures before
and after. Each record is replaced through the write path (`write.rewrite`: under its lock, validated
as a whole, read back before it counts), and every record archived in one run is one git commit.

Nothing younger than its retention is touched: a record named on the command line that is open, too
young or already archived is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from complaintctl.app import write
from complaintctl.base.errors import ComplaintctlError, Problem, Refused, UsageError
from complaintctl.base.messages import t
from complaintctl.core import engine
from complaintctl.ledger.columns import Redactor
from complaintctl.records.record import Record, flatten_intake, nest_intake
from complaintctl.store.directory import Store
from complaintctl.store.projection import view_of_stored
from complaintctl.store.retention import archived, expired, kept_until, retention_years
from complaintctl.worktime.times import format_instant


@dataclass(frozen=True)
class Archived:
    """A record past its retention: archived now, or (a dry run) to be."""

    id: str
    path: Path
    closed_at: datetime
    until: datetime


@dataclass
class ArchiveResult:
    years: int
    records: list[Archived] = field(default_factory=list)
    left_out: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    commit: str | None = None
    not_git: bool = False
    commit_error: str | None = None


def archive(store: Store, now: datetime, *, ids: Sequence[str] = (), dry_run: bool = False,
            commit: bool = False, by: str = "archive", real_now: datetime | None = None) -> ArchiveResult:
    """Replace the personal data of the records past their retention at `now` (of those named by `ids`,
    each of which must be; else of every one in the store); see the module docstring."""
    years = retention_years(store.policy)
    if years is None:
        raise UsageError(t("archive.no_retention", policy=store.policy.policy))
    if not dry_run:
        write.require_real_time(store, now, real_now)
    result = ArchiveResult(years=years, dry_run=dry_run)
    # two runs at once would both find the same records; a dry run writes nothing, not even a lock
    with nullcontext() if dry_run else store.store_lock("archive"):
        due = [_named(store, cid, now) for cid in ids] if ids else _every(store, now, result)
        if dry_run or not due:
            result.records = due
            return result
        redactor = Redactor.for_store(store)
        for item in due:
            written = write.rewrite(store, item.id,
                                    lambda record, view: _redacted(store, redactor, record, view, now),
                                    now=now, real_now=real_now)
            if written.events:
                result.records.append(item)
        if result.records and (commit or store.settings.auto_commit):
            _commit(store, result, by)
    return result


def _named(store: Store, complaint_id: str, now: datetime) -> Archived:
    record = store.read(complaint_id)
    view = view_of_stored(store, record)
    _refuse_unless_due(store, record, view, now)
    assert view.closed_at is not None
    until = kept_until(store.policy, view)
    assert until is not None
    return Archived(record.id, record.path, view.closed_at, until)


def _every(store: Store, now: datetime, result: ArchiveResult) -> list[Archived]:
    found = []
    for path in store.record_paths():
        shown = store.display_path(path)
        try:
            record = Record.read(path, shown)
            until = expired(store, record, now)
            if until is None:
                continue
            closed_at = view_of_stored(store, record).closed_at
        except (ComplaintctlError, OSError) as error:
            result.left_out.append(Problem(shown, 0, str(error)))
            continue
        assert closed_at is not None
        found.append(Archived(record.id, path, closed_at, until))
    return found


def _refuse_unless_due(store: Store, record: Record, view: engine.View, now: datetime) -> None:
    """Refuse a record that is open, within its retention, or archived already."""
    if archived(record):
        raise Refused(t("archive.already", id=record.id, at=record.intake.get("archived_at")))
    until = kept_until(store.policy, view)
    if until is None or view.closed_at is None:
        raise Refused(t("archive.open", id=record.id))
    if until > now:
        raise Refused(t("archive.too_young", id=record.id, until=format_instant(until, store.tz),
                        years=retention_years(store.policy), closed=format_instant(view.closed_at, store.tz)))


def _redacted(store: Store, redactor: Redactor, record: Record, view: engine.View, now: datetime
              ) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The record with the complainant's personal data replaced; None (left as it is) when, as it is
    under its lock, it is no longer due (reopened since the scan)."""
    try:
        _refuse_unless_due(store, record, view, now)
    except Refused:
        return None
    flat, history = redactor.complainant(flatten_intake(record.intake), record.history)
    flat["archived_at"] = format_instant(now, store.tz)
    return nest_intake(flat), history


def _commit(store: Store, result: ArchiveResult, by: str) -> None:
    from complaintctl.git import repo as gitrepo

    subject = t("archive.commit_subject", count=len(result.records))
    body = "\n".join(f"- {item.id}" for item in result.records) + "\n"
    try:
        result.commit = write.commit_paths(store, [item.path for item in result.records], by, subject,
                                           "archive", body=body)
    except gitrepo.NotARepository:
        result.not_git = True
    except gitrepo.GitFailed as error:
        result.commit_error = str(error)
