"""Open deadlines as iCalendar to-dos: one file a person subscribes to (Outlook, Thunderbird, a phone),
or a vdir of one `.ics` per deadline (todoman, khal, vdirsyncer).

The deadlines are those `list --format json` computes (`listing.select` on the index): nothing here
derives a due time. The `icalendar` library writes RFC 5545 (line folding, text escaping, UTC times).
A to-do's UID is `<complaint id>-<clock>-<start of the run, UTC>@complaintctl`: the same run keeps its
UID across runs and extensions (its DUE moves), a new run of the clock (a reopening) gets a new one, and
a run that stops (met, breached and done, closed) is no longer written, so it disappears.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from complaintctl import __version__
from complaintctl.app import listing
from complaintctl.base.fsutil import atomic_write
from complaintctl.base.messages import t
from complaintctl.store.directory import Store
from complaintctl.worktime.times import parse_stored_instant

UID_DOMAIN = "@complaintctl"
PRODID = f"-//complaintctl//complaintctl {__version__}//EN"


@dataclass(frozen=True)
class Deadline:
    uid: str
    complaint_id: str
    subject: str
    clock: str
    label: str
    due: datetime
    due_text: str  # as `show --json` gives it: ISO 8601 in the store's time zone
    state: str
    owner: str | None
    status_label: str


def open_deadlines(store: Store, now: datetime, person: str | None = None) -> list[Deadline]:
    """Every running or paused clock of every open complaint (of `person`, when named), nearest first."""
    from complaintctl.store import index

    filters = listing.Filters(status="open", owner=person)
    rows = index.read_settled(store, lambda opened: listing.select(store, opened, filters, now, full=True),
                              digests=False)
    found = []
    for row in rows:
        for clock in row["deadlines"]:
            if clock["open"]:
                found.append(_deadline(row, clock))
    found.sort(key=lambda item: (item.due, item.uid))
    return found


def _deadline(row: dict[str, Any], clock: dict[str, Any]) -> Deadline:
    started = parse_stored_instant(clock["started_at"]).astimezone(UTC)
    uid = f"{row['id']}-{clock['name']}-{started:%Y%m%dT%H%M%SZ}{UID_DOMAIN}"
    return Deadline(uid=uid, complaint_id=row["id"], subject=row["subject"] or "", clock=clock["name"],
                    label=clock["label"], due=parse_stored_instant(clock["due"]), due_text=clock["due"],
                    state=clock["state"], owner=row["owner"], status_label=row["status_label"])


def _todo(deadline: Deadline, stamp: datetime) -> Any:
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", deadline.uid)
    todo.add("dtstamp", stamp.astimezone(UTC))
    todo.add("summary", t("calendar.summary", id=deadline.complaint_id, clock=deadline.label,
                          subject=deadline.subject))
    todo.add("due", deadline.due.astimezone(UTC))
    todo.add("status", "NEEDS-ACTION")
    todo.add("priority", 1 if deadline.state == "breached" else 5)
    todo.add("description", "\n".join([
        t("calendar.complaint", id=deadline.complaint_id, subject=deadline.subject),
        t("calendar.clock", clock=deadline.label, state=t(f"clock.{deadline.state}")),
        t("calendar.due", due=deadline.due_text),
        t("calendar.status", status=deadline.status_label),
        t("calendar.owner", owner=deadline.owner or t("calendar.nobody")),
        t("calendar.show", id=deadline.complaint_id),
    ]))
    return todo


def _calendar(name: str, todos: Iterable[Any]) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for todo in todos:
        calendar.add_component(todo)
    return calendar


def calendar_name(store: Store, person: str | None) -> str:
    office = store.settings.office
    return t("calendar.name_person", person=person, office=office) if person \
        else t("calendar.name", office=office)


def render(store: Store, deadlines: list[Deadline], now: datetime, person: str | None = None) -> str:
    """One iCalendar file holding every deadline."""
    calendar = _calendar(calendar_name(store, person), (_todo(item, now) for item in deadlines))
    return str(calendar.to_ical().decode("utf-8"))


def write_file(store: Store, path: Path, deadlines: list[Deadline], now: datetime,
               person: str | None = None) -> None:
    atomic_write(path, render(store, deadlines, now, person))


def write_vdir(store: Store, folder: Path, deadlines: list[Deadline], now: datetime,
               person: str | None = None) -> tuple[int, int]:
    """One `<uid>.ics` per deadline, rewritten only when more than its time stamp changed (so a sync
    sends nothing when nothing moved); the files of deadlines no longer open are removed, and files
    complaintctl did not write are left alone. Returns (written, removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = calendar_name(store, person)
    wanted: set[str] = set()
    written = 0
    for deadline in deadlines:
        filename = deadline.uid + ".ics"
        wanted.add(filename)
        text = str(_calendar(name, [_todo(deadline, now)]).to_ical().decode("utf-8"))
        path = folder / filename
        try:
            old = path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            old = None
        if old is None or _without_stamp(old) != _without_stamp(text):
            atomic_write(path, text)
            written += 1
    removed = 0
    with os.scandir(folder) as entries:
        ours = [entry.name for entry in entries if entry.name.endswith(UID_DOMAIN + ".ics")]
    for filename in ours:
        if filename not in wanted:
            (folder / filename).unlink(missing_ok=True)
            removed += 1
    return written, removed


def _without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("DTSTAMP"))
