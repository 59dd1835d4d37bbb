"""Explaining deadlines: how each due time was reached, and which ones an uncommitted change moves."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from complaintctl import engine
from complaintctl.errors import ComplaintctlError, InvalidData, NotFound, UsageError
from complaintctl.messages import current_language, t
from complaintctl.operations import view_of
from complaintctl.policy.model import Policy
from complaintctl.record import Record
from complaintctl.store import Store
from complaintctl.times import describe_duration, format_instant
from complaintctl.worktime import Calendar, Limit

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
            yield f"    {day}  counted {describe_duration(step.seconds)}: {step.note}"
        else:
            yield f"    {day}  {step.note}"
    adjusted = bool(run.pauses or run.extensions or run.paused_since is not None)
    by_limit = " by the limit alone" if adjusted else ""
    yield f"    → due {format_instant(explanation.due, tz)}{by_limit}"
    yield from _adjustments(calendar, run, explanation.due)
    provisional = " *" if calendar.is_provisional(run.due.astimezone(tz).date()) else ""
    state = run.state(now)
    yield f"  due {format_instant(run.due, tz)}{provisional}: {t('clock.' + state)}"
    if run.stopped_at is not None:
        yield f"  stopped {format_instant(run.stopped_at, tz)} by {run.stop_event or 'a final state'}"
    if provisional:
        yield f"  * {t('label.provisional')}"


def _adjustments(calendar: Calendar, run: engine.ClockRun, due: datetime) -> Iterator[str]:
    """The pauses and extensions of a run in the order they moved its due time, as the engine moves
    it: an extension sets the new due time; a pause, when it ends, carries the time that was left when
    it began (working time, or wall-clock time for wall-clock limits) over from the resume."""
    tz = calendar.tz
    wall = run.limit.form in engine.WALL_CLOCK_FORMS
    changes: list[tuple[datetime, int, object]] = [(ext.at, 0, ext) for ext in run.extensions]
    changes += [(resumed, 1, (paused, resumed)) for paused, resumed in run.pauses]
    for _, _, change in sorted(changes, key=lambda c: (c[0], c[1])):
        if isinstance(change, engine.Extension):
            yield (f"    extended {format_instant(change.at, tz)} by {change.by}: "
                   f"{format_instant(change.previous_due, tz)} → {format_instant(change.due, tz)}"
                   f"{f' ({change.reason})' if change.reason else ''}")
            due = change.due
            continue
        assert isinstance(change, tuple)
        paused, resumed = change
        span = (f"    paused {format_instant(paused, tz)} → {format_instant(resumed, tz)} "
                "(waiting on the complainant)")
        if paused >= due:
            yield f"{span}: it was already overdue when the wait began, so the due time stays"
            continue
        if wall:
            left = _left(calendar, run, paused, due)
            moved = due + (resumed - paused)
        else:
            seconds = calendar.working_seconds(paused, due)
            left = _working(seconds)
            moved = calendar.add(resumed, Limit("working_hours", seconds / 3600))
        yield f"{span}: {left} left then, counted again from the resume"
        yield f"      due {format_instant(due, tz)} → {format_instant(moved, tz)}"
        due = moved
    if run.paused_since is not None:
        since = format_instant(run.paused_since, tz)
        if run.paused_since >= due:
            yield f"    paused since {since} (waiting on the complainant); it was already overdue then"
        else:
            left = _left(calendar, run, run.paused_since, due)
            yield (f"    paused since {since} (waiting on the complainant): {left} left, "
                   "counted again from the resume")


def _left(calendar: Calendar, run: engine.ClockRun, since: datetime, due: datetime) -> str:
    if run.limit.form in engine.WALL_CLOCK_FORMS:
        return describe_duration((due - since).total_seconds())
    return _working(calendar.working_seconds(since, due))


def _working(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d} of working time"


# -- what a change to the settings or the policy moves ---------------------------------------------

def _git_show(root: Path, path: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{path}"], capture_output=True,
                              text=True, encoding="utf-8", check=False)
    except OSError as error:  # no git binary
        raise UsageError(f"explain --changes needs git: {error}") from error
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
    try:
        calendar = Calendar.from_settings(old.calendar, old.timezone)
    except ValueError as error:
        raise InvalidData(f"HEAD:{SETTINGS_FILE}: {error}") from error
    return policy, calendar


def deadline_changes(store: Store, now: datetime) -> Iterator[str]:
    """Each running clock of an open complaint whose due time differs between the committed rules
    (settings and policy at HEAD) and the rules in the working tree, and by how much."""
    old_policy, old_calendar = committed_rules(store)
    tz = store.tz
    moved = unreadable = 0
    for path in store.record_paths():
        try:
            record = Record.read(path, store.display_path(path))
            new_view = view_of(store, record)
            if new_view.final:
                continue
            old_view = engine.replay(old_policy, old_calendar, record.intake, record.history)
        except (ComplaintctlError, ValueError, KeyError) as error:
            unreadable += 1
            yield f"{store.display_path(path)}: cannot compare ({error})"
            continue
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
            if not any(r.running for r in new_view.clocks.get(clock, [])):
                moved += 1
                yield f"{record.id}  {clock}: no longer runs (was due {format_instant(before, tz)})"
    yield (f"{moved} deadline(s) of open complaints move" if moved
           else "no deadline of an open complaint moves")
    if unreadable:
        yield f"{unreadable} record(s) could not be compared"
