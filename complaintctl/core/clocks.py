"""A complaint's clocks as its replay runs them: starting and stopping runs at their events, limits
that follow a reclassification (never curing a breach), clocks a reclassification brings in, pauses
while the complaint waits on the complainant, and extensions. Called by `engine` for each event."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from complaintctl.core.compiled import ClockPlan, CompiledPolicy, converted_limit
from complaintctl.core.view import WALL_CLOCK_FORMS, ClockRun, Extension, View
from complaintctl.policy import facts
from complaintctl.worktime.arithmetic import Calendar, Limit
from complaintctl.worktime.times import parse_stored_instant


def run_clocks(view: View, plan: CompiledPolicy, calendar: Calendar, event_name: str, at: datetime, *,
                restarting: bool = False, changed: frozenset[str] = frozenset()) -> None:
    """Stop the runs this event stops, start the runs it starts. A clock that is running when one of its
    start events comes keeps its run, unless the event begins a new cycle (a reopening) or changes a
    value the clock restarts on (`changed`: tourism's re-assignment to another department, 四.3): then
    the old run ends where it stands (breached stays breached) and a new one starts."""
    final = view.status in plan.final_states
    for clock, starts, stops in plan.by_event.get(event_name, ()):
        runs = view.clocks[clock.name]
        if runs:
            current = runs[-1]
            if current.stopped_at is None:
                if stops:
                    stop(current, calendar, at, event_name)
                elif starts and (restarting or not clock.restart_on.isdisjoint(changed)):
                    stop(current, calendar, at, None)
                else:
                    continue  # still running: it keeps its run
        if starts and not final:
            if clock.applies and not facts.all_compiled(clock.applies, view.fact):
                continue
            limit = limit_now(clock, view)
            runs.append(ClockRun(clock.name, at, event_name, limit, calendar.add(at, limit)))


def follow_limits(view: View, plan: CompiledPolicy, calendar: Calendar, at: datetime) -> None:
    """A limit that depends on the complaint (severity, category) follows it while the clock runs: a
    complaint assessed as urgent after receipt gets the urgent limit, counted from the same start.

    A reclassification takes effect when it is recorded (DOMAIN.md, "A fact that changes a limit is
    changed by a rule"): a run already past its due time then stays breached, whatever limit the new
    facts would have given it, and a new limit already spent by then is due at the change."""
    for clock in plan.varying:
        runs = view.clocks[clock.name]
        if not runs or runs[-1].stopped_at is not None:
            continue
        run = runs[-1]
        if run.extensions or run.pauses or run.paused_since is not None:
            continue  # a moved due time is a decision on the record; it is not recomputed
        if at > run.due:
            continue  # breached before the change: a reclassification cannot cure it
        limit = choose_limit(clock, view.fact)
        if limit is not run.limit and limit != run.limit:
            run.limit = limit
            # nor can it make a breach that predates it: a shorter limit already spent when the change
            # is recorded (a late assessment as major) is due at the change
            run.due = max(calendar.add(run.started_at, limit), at)


def bring_in(view: View, plan: CompiledPolicy, calendar: Calendar) -> None:
    """A clock that applies only to some complaints (tourism's extension notice, for a complex one) and
    did not apply when its start event came starts when a reclassification makes it apply, counted from
    that start event, as the document counts it (a complaint found complex on day 3 still owes its
    notice within 10 working days of receipt). A stop event that came since its start stops it then (a
    complaint registered at once met its registration limit). Not once closed."""
    if view.status in plan.final_states:
        return
    for clock in plan.conditional:
        runs = view.clocks[clock.name]
        if runs:
            continue
        started = [(view.event_at[name][-1], name) for name in clock.start if name in view.event_at]
        if not started or not facts.all_compiled(clock.applies, view.fact):
            continue
        start_at, start_event = max(started)
        limit = limit_now(clock, view)
        run = ClockRun(clock.name, start_at, start_event, limit, calendar.add(start_at, limit))
        stops = [(moment, name) for name in clock.stop for moment in view.event_at.get(name, ())
                 if moment >= start_at]
        if stops:
            stopped_at, stop_event = min(stops)
            stop(run, calendar, stopped_at, stop_event)
        runs.append(run)


def limit_now(clock: ClockPlan, view: View) -> Limit:
    """The clock's limit for the complaint as it stands: the first variant whose conditions hold."""
    return choose_limit(clock, view.fact) if clock.limits else clock.fixed or converted_limit(clock.limit)


def choose_limit(clock: ClockPlan, lookup: facts.FactLookup) -> Limit:
    for when, limit in clock.limits:
        if facts.all_compiled(when, lookup):
            return converted_limit(limit)
    return clock.fixed or converted_limit(clock.limit)


def stop(run: ClockRun, calendar: Calendar, at: datetime, event_name: str | None) -> None:
    if run.paused_since is not None:
        resume(run, calendar, at)
    run.stopped_at = at
    run.stop_event = event_name


def follow_pauses(view: View, plan: CompiledPolicy, calendar: Calendar, at: datetime) -> None:
    for clock in plan.pausing:
        runs = view.clocks[clock.name]
        if not runs or runs[-1].stopped_at is not None:
            continue
        run = runs[-1]
        waiting = view.status in clock.pause_in
        if waiting and run.paused_since is None:
            run.paused_since = at
        elif not waiting and run.paused_since is not None:
            resume(run, calendar, at)


def resume(run: ClockRun, calendar: Calendar, at: datetime) -> None:
    """Move the due time on by the time the clock stood still, measured as the limit measures time."""
    paused_since = run.paused_since
    assert paused_since is not None
    run.paused_since = None
    run.pauses.append((paused_since, at))
    if paused_since >= run.due:
        return  # it had already breached when the wait began: a pause cannot undo that
    if run.limit.form in WALL_CLOCK_FORMS:
        run.due = run.due + (at - paused_since)
    else:
        remaining = calendar.working_seconds(paused_since, run.due)
        run.due = calendar.add(at, Limit("working_hours", remaining / 3600))


def extend(view: View, event: Mapping[str, Any], at: datetime) -> None:
    name = str(event.get("clock", ""))
    runs = view.clocks.get(name)
    if not runs or not runs[-1].running:
        return
    run = runs[-1]
    new_due = parse_stored_instant(event["due"])
    run.extensions.append(Extension(at=at, previous_due=run.due, due=new_due,
                                    reason=str(event.get("reason", "")), by=str(event.get("by", ""))))
    run.due = new_due
