"""Explaining deadlines: how each due time was reached, and which ones an uncommitted change moves."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from complaintctl.base.errors import ComplaintctlError, InvalidData, NotFound, UsageError
from complaintctl.base.messages import CATALOGUE, current_language, t
from complaintctl.core import engine
from complaintctl.policy import facts
from complaintctl.policy.model import Clock, Fact, Policy
from complaintctl.records.record import Record
from complaintctl.store.directory import Store
from complaintctl.store.projection import view_of_stored
from complaintctl.worktime.arithmetic import Calendar, ExplainStep, Limit
from complaintctl.worktime.times import describe_duration, format_instant


def explain_complaint(store: Store, complaint_id: str, clock_name: str | None, now: datetime
                      ) -> Iterator[str]:
    record = store.read(complaint_id)
    view = view_of_stored(store, record)
    language = current_language()
    names = [clock.name for clock in store.policy.clocks]
    if clock_name is not None and clock_name not in names:
        raise NotFound(t("explain.no_clock", policy=store.policy.policy, clock=clock_name,
                         clocks=", ".join(names)))
    yield f"{complaint_id}: {t('label.status')} {view.policy.state(view.status).text(language)}"
    for name in names if clock_name is None else [clock_name]:
        clock = store.policy.clock(name)
        runs = view.clocks.get(name, [])
        yield ""
        yield f"{clock.text(language)} ({name}, {clock.clause or '-'})"
        if not runs:
            yield "  " + _not_started(view, clock)
            continue
        for number, run in enumerate(runs, start=1):
            yield from _explain_run(store.calendar, run, number, len(runs), now, store)


def _not_started(view: engine.View, clock: Clock) -> str:
    """Why a clock has no run: its start event has not come, or it came and the clock does not apply to
    this complaint (its `applies` conditions, each with the value it read), or the complaint was closed."""
    if not any(name in view.event_at for name in clock.start):
        return t("explain.not_started", starts=t("explain.or").join(clock.start))
    failing = [test for test in clock.applies if not facts.holds(test, view.fact)]
    if failing:
        return t("explain.not_applying", conditions="; ".join(
            t("explain.condition_now", condition=_condition(view.policy, test),
              value=_shown(view.policy, test.fact, view.fact(test.fact))) for test in failing))
    return t("explain.not_started_final")


_CODED = ("category", "severity", "channel", "risk")


def _condition(policy: Policy, test: Fact) -> str:
    """A condition as a person reads it, in the store's language: the field's label, the codes' labels."""
    kind, value = test.test
    key = f"export.column.{test.fact}"
    values = [_shown(policy, test.fact, item) for item in value] if isinstance(value, tuple) else value
    return facts.describe({"fact": t(key) if key in CATALOGUE else test.fact, kind: values})


def _shown(policy: Policy, fact: str, value: object) -> str:
    if value in (None, ""):
        return t("none")
    if fact in _CODED:
        for item in policy.labels(fact):
            if item.code == str(value):
                return item.text(current_language()) or item.code
    return str(value)


def _explain_run(calendar: Calendar, run: engine.ClockRun, number: int, count: int, now: datetime,
                 store: Store) -> Iterator[str]:
    tz = calendar.tz
    prefix = "  " + (t("explain.run", number=number, count=count) if count > 1 else "")
    yield prefix + t("explain.started", at=format_instant(run.started_at, tz), event=run.start_event,
                     limit=run.limit)
    explanation = calendar.explain(run.started_at, run.limit)
    weekdays = t("explain.weekdays").split()
    for step in explanation.steps:
        day = f"{step.date.isoformat()} {weekdays[step.date.weekday()]}"
        yield f"    {day}  {_step_note(step)}"
    adjusted = bool(run.pauses or run.extensions or run.paused_since is not None)
    by_limit = "explain.due_by_limit_alone" if adjusted else "explain.due_by_limit"
    yield "    " + t(by_limit, due=format_instant(explanation.due, tz))
    yield from _adjustments(calendar, run, explanation.due)
    provisional = " *" if calendar.is_provisional(run.due.astimezone(tz).date()) else ""
    state = run.state(now)
    yield "  " + t("explain.due", due=format_instant(run.due, tz), mark=provisional,
                   state=t("clock." + state))
    if run.stopped_at is not None:
        yield "  " + t("explain.stopped", at=format_instant(run.stopped_at, tz),
                       event=run.stop_event or t("explain.final_state"))
    if provisional:
        yield f"  * {t('label.provisional')}"


def _step_note(step: ExplainStep) -> str:
    """What a day gave to the limit. The calendar's own notes are English; a skipped day is told
    from its reason, so it reads in the current language."""
    if step.counted:
        return t("explain.counted", duration=describe_duration(step.seconds), note=step.note)
    if step.reason is not None and step.note == f"skipped: {step.reason}":
        reason_key = "explain.reason." + step.reason.replace(" ", "_")
        reason = t(reason_key) if reason_key in CATALOGUE else step.reason
        return t("explain.skipped", reason=reason)
    return step.note


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
            key = "explain.extended_because" if change.reason else "explain.extended"
            yield "    " + t(key, at=format_instant(change.at, tz), person=change.by,
                             before=format_instant(change.previous_due, tz),
                             after=format_instant(change.due, tz), reason=change.reason)
            due = change.due
            continue
        assert isinstance(change, tuple)
        paused, resumed = change
        span = "    " + t("explain.paused", paused=format_instant(paused, tz),
                          resumed=format_instant(resumed, tz))
        if paused >= due:
            yield t("explain.paused_when_overdue", span=span)
            continue
        if wall:
            left = _left(calendar, run, paused, due)
            moved = due + (resumed - paused)
        else:
            seconds = calendar.working_seconds(paused, due)
            left = _working(seconds)
            moved = calendar.add(resumed, Limit("working_hours", seconds / 3600))
        yield t("explain.paused_left", span=span, left=left)
        yield "      " + t("explain.due_moved", before=format_instant(due, tz),
                             after=format_instant(moved, tz))
        due = moved
    if run.paused_since is not None:
        since = format_instant(run.paused_since, tz)
        if run.paused_since >= due:
            yield "    " + t("explain.paused_since_overdue", since=since)
        else:
            left = _left(calendar, run, run.paused_since, due)
            yield "    " + t("explain.paused_since", since=since, left=left)


def _left(calendar: Calendar, run: engine.ClockRun, since: datetime, due: datetime) -> str:
    if run.limit.form in engine.WALL_CLOCK_FORMS:
        return describe_duration((due - since).total_seconds())
    return _working(calendar.working_seconds(since, due))


def _working(seconds: float) -> str:
    minutes = round(seconds / 60)
    return t("explain.working_time", hours=minutes // 60, minutes=minutes % 60)


# -- what a change to the settings or the policy moves ---------------------------------------------

def _git_show(root: Path, path: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{path}"], capture_output=True,
                              text=True, encoding="utf-8", check=False)
    except OSError as error:  # no git binary
        raise UsageError(t("explain.needs_git", error=error)) from error
    return done.stdout if done.returncode == 0 else None


def committed_rules(store: Store) -> tuple[Policy, Calendar]:
    """The policy and calendar as of the last commit."""
    from pydantic import ValidationError

    from complaintctl.policy.loader import load_policy, parse_policy, resolve_policy
    from complaintctl.records import yamlio
    from complaintctl.store.settings import SETTINGS_FILE, StoreSettings

    text = _git_show(store.root, SETTINGS_FILE)
    if text is None:
        raise UsageError(t("explain.not_committed"))
    try:
        old = StoreSettings.model_validate(yamlio.load_plain(text, f"HEAD:{SETTINGS_FILE}"))
    except ValidationError as error:
        raise InvalidData(t("settings.invalid", path=f"HEAD:{SETTINGS_FILE}", problem=error)) from error
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
        raise InvalidData(t("settings.invalid", path=f"HEAD:{SETTINGS_FILE}", problem=error)) from error
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
            new_view = view_of_stored(store, record)
            if new_view.final:
                continue
            old_view = engine.replay(old_policy, old_calendar, record.intake, record.history)
        except (ComplaintctlError, ValueError, KeyError) as error:
            unreadable += 1
            yield t("explain.cannot_compare", path=store.display_path(path), error=error)
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
                yield t("explain.new_clock", id=record.id, clock=run.clock, due=format_instant(run.due, tz))
                continue
            shift = (run.due - before).total_seconds()
            sign = "+" if shift > 0 else "-"
            yield t("explain.moved", id=record.id, clock=run.clock, before=format_instant(before, tz),
                    after=format_instant(run.due, tz), shift=f"{sign}{describe_duration(shift)}")
        for clock, before in old_dues.items():
            if not any(r.running for r in new_view.clocks.get(clock, [])):
                moved += 1
                yield t("explain.no_longer_runs", id=record.id, clock=clock,
                        before=format_instant(before, tz))
    yield t("explain.moved_count", count=moved) if moved else t("explain.none_moved")
    if unreadable:
        yield t("explain.unreadable", count=unreadable)
