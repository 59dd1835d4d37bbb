"""Explaining deadlines: how each due time was reached, and which ones an uncommitted change moves."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from complaintctl import engine
from complaintctl.errors import InvalidData, NotFound, UsageError
from complaintctl.messages import current_language, t
from complaintctl.operations import view_of
from complaintctl.policy.model import Policy
from complaintctl.store import Store
from complaintctl.times import describe_duration, format_instant
from complaintctl.worktime import Calendar

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def explain_complaint(store: Store, complaint_id: str, clock_name: str | None, now: datetime
                      ) -> Iterator[str]:
    record = store.read(complaint_id)
    view = view_of(store, record)
    language = current_language()
    names = [clock.name for clock in store.policy.clocks]
    if clock_name is not None and clock_name not in names:
        raise NotFound(f"{store.policy.policy} has no clock {clock_name!r}; its clocks: {', '.join(names)}")
    yield f"{complaint_id}: {t('label.status')} {view.policy.state(view.status).text(language)}"
    for name in names if clock_name is None else [clock_name]:
        clock = store.policy.clock(name)
        runs = view.clocks.get(name, [])
        yield ""
        yield f"{clock.text(language)} ({name}, {clock.clause or '-'})"
        if not runs:
            yield "  " + _not_started(clock.start)
            continue
        for number, run in enumerate(runs, start=1):
            yield from _explain_run(store.calendar, run, number, len(runs), now, store)


def _not_started(start: tuple[str, ...]) -> str:
    return f"not started: it starts at {' or '.join(start)}, which has not happened (or it does not apply)"


def _explain_run(calendar: Calendar, run: engine.ClockRun, number: int, count: int, now: datetime,
                 store: Store) -> Iterator[str]:
    tz = calendar.tz
    prefix = f"  run {number} of {count}: " if count > 1 else "  "
    yield f"{prefix}started {format_instant(run.started_at, tz)} by {run.start_event}; limit {run.limit}"
    explanation = calendar.explain(run.started_at, run.limit)
    for step in explanation.steps:
        day = f"{step.date.isoformat()} {_WEEKDAYS[step.date.weekday()]}"
        if step.counted:
            given = describe_duration(step.seconds) if step.seconds else ""
            reason = f" ({step.reason})" if step.reason else ""
            yield f"    {day}  counted {given}{reason}{'  ' + step.note if step.note else ''}".rstrip()
        else:
            yield f"    {day}  skipped: {step.reason or step.note}"
    due = explanation.due
    yield f"    → due {format_instant(due, tz)}"
    for paused_from, paused_to in run.pauses:
        yield (f"    paused {format_instant(paused_from, tz)} → {format_instant(paused_to, tz)} "
               "(waiting on the complainant): the time left then was added from the resume")
    if run.paused_since is not None:
        yield f"    paused since {format_instant(run.paused_since, tz)} (waiting on the complainant)"
    for extension in run.extensions:
        yield (f"    extended {format_instant(extension.at, tz)} by {extension.by}: "
               f"{format_instant(extension.previous_due, tz)} → {format_instant(extension.due, tz)} "
               f"({extension.reason})")
    provisional = " *" if calendar.is_provisional(run.due.astimezone(tz).date()) else ""
    state = run.state(now)
    yield f"  due {format_instant(run.due, tz)}{provisional}: {t('clock.' + state)}"
    if run.stopped_at is not None:
        yield f"  stopped {format_instant(run.stopped_at, tz)} by {run.stop_event or 'a final state'}"
    if provisional:
        yield f"  * {t('label.provisional')}"


# -- what a change to the settings or the policy moves ---------------------------------------------

def _git_show(root: Path, path: str) -> str | None:
    done = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{path}"], capture_output=True,
                          text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def committed_rules(store: Store) -> tuple[Policy, Calendar]:
    """The policy and calendar as of the last commit."""
    from pydantic import ValidationError

    from complaintctl import yamlio
    from complaintctl.policy.loader import load_policy, parse_policy, resolve_policy
    from complaintctl.settings import SETTINGS_FILE, StoreSettings

    text = _git_show(store.root, SETTINGS_FILE)
    if text is None:
        raise UsageError("explain --changes: the store is not in git, or complaintctl.yaml is not committed")
    try:
        old = StoreSettings.model_validate(yamlio.load_plain(text, f"HEAD:{SETTINGS_FILE}"))
    except ValidationError as error:
        raise InvalidData(f"HEAD:{SETTINGS_FILE}: {error}") from error
    policy_path = resolve_policy(old.policy, base_dir=store.root)
    try:
        relative = policy_path.resolve().relative_to(store.root.resolve())
    except ValueError:
        relative = None
    committed_policy = _git_show(store.root, str(relative)) if relative is not None else None
    if committed_policy is not None:
        policy = parse_policy(committed_policy, f"HEAD:{relative}")
    else:
        policy = load_policy(old.policy, base_dir=store.root)
    calendar = Calendar.from_settings(old.calendar, old.timezone)
    return policy, calendar


def deadline_changes(store: Store, now: datetime) -> Iterator[str]:
    old_policy, old_calendar = committed_rules(store)
    tz = store.tz
    moved = 0
    for path in store.record_paths():
        from complaintctl.record import Record

        record = Record.read(path, store.display_path(path))
        new_view = view_of(store, record)
        if new_view.final:
            continue
        old_view = engine.replay(old_policy, old_calendar, record.intake, record.history)
        old_dues = {run.clock: run.due for run in old_view.current_runs() if run.running}
        for run in new_view.current_runs():
            if not run.running:
                continue
            before = old_dues.get(run.clock)
            if before == run.due:
                continue
            moved += 1
            if before is None:
                yield f"{record.id}  {run.clock}: new clock, due {format_instant(run.due, tz)}"
                continue
            shift = (run.due - before).total_seconds()
            sign = "+" if shift > 0 else "-"
            yield (f"{record.id}  {run.clock}: {format_instant(before, tz)} → {format_instant(run.due, tz)} "
                   f"({sign}{describe_duration(shift)})")
        for clock, before in old_dues.items():
            if clock not in new_view.clocks or not any(r.running for r in new_view.clocks[clock]):
                moved += 1
                yield f"{record.id}  {clock}: no longer runs (was due {format_instant(before, tz)})"
    yield f"{moved} deadline(s) of open complaints move" if moved else "no deadline of an open complaint moves"
