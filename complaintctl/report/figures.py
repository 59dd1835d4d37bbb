"""The figures of a report: counts, rates, handling times, satisfaction, costs, corrective actions.

`build(digests, period=…)` computes the figures of the period and of the one before, overall and per
group, in one pass over the digests for each (`make_report` fetches them from the index). Every
definition is in README "Reports, export and import"; the figures are a flat, ordered mapping
(`Figures.flat()`), so that the change against the previous period, the JSON, the CSV and the tables
all come from one place.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from complaintctl.base.errors import Problem
from complaintctl.core.digest import Digest
from complaintctl.core.reportrules import SATISFACTION_SCORES, SATISFIED, Rules
from complaintctl.report.cases import Case, case_at, group_key
from complaintctl.report.periods import Period
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.arithmetic import Limit as WorkLimit

BASES = ("received", "closed")
NO_GROUP = ""  # the group of complaints without a value (no cause yet, not assigned)
Value = int | float | None


@dataclass
class Figures:
    """The figures of one population (a period, or one group of it)."""

    complaints: int = 0  # the population: received (or closed) in the period
    received: int = 0
    closed: int = 0
    open_at_end: int = 0
    timed: int = 0
    on_time: int = 0
    # which clocks timed a complaint and which it breached (digest.clock_pattern) → how many: most
    # complaints share a few patterns, so a complaint adds one count however many clocks it has
    clock_patterns: Counter[str] = field(default_factory=Counter)
    handling_days: list[float] = field(default_factory=list)
    satisfaction: Counter[str] = field(default_factory=Counter)
    finished: int = 0
    successes: int = 0
    repeats: int = 0
    escalated: int = 0
    reopened: int = 0
    reopenings: int = 0
    rejections: int = 0
    costs_by_kind: dict[str, float] = field(default_factory=dict)
    costs_by_payer: dict[str, float] = field(default_factory=dict)
    corrective: Counter[str] = field(default_factory=Counter)

    def flat(self, clock_order: Sequence[str] = (), answer_order: Sequence[str] = (),
             repeats: bool = True) -> dict[str, Value]:
        """Every figure under its key (README "Reports"), in the order reports show them. Without
        `repeats` (the policy sets no repeat window) the repeat figures are unknown, not zero."""
        rated = sum(self.satisfaction.values())
        scored = [(SATISFACTION_SCORES[code], n) for code, n in self.satisfaction.items()
                  if code in SATISFACTION_SCORES]
        scored_count = sum(n for _, n in scored)
        out: dict[str, Value] = {
            "complaints": self.complaints, "received": self.received, "closed": self.closed,
            "open_at_end": self.open_at_end, "timed": self.timed, "on_time": self.on_time,
            "on_time_rate": _rate(self.on_time, self.timed),
        }
        clocks = self.clocks()
        for clock in _ordered(clocks, clock_order):
            timed, on_time = clocks[clock]
            out[f"clock.{clock}.timed"] = timed
            out[f"clock.{clock}.on_time"] = on_time
            out[f"clock.{clock}.rate"] = _rate(on_time, timed)
        out.update({
            "handled": len(self.handling_days),
            "handling_days_median": _round(percentile(self.handling_days, 0.5)),
            "handling_days_p90": _round(percentile(self.handling_days, 0.9)),
            "rated": rated,
            "satisfaction_mean": (_round(sum(s * n for s, n in scored) / scored_count, 2)
                                  if scored_count else None),
            "satisfaction_rate": _rate(sum(n for code, n in self.satisfaction.items() if code in SATISFIED),
                                       rated),
        })
        for code in _ordered(self.satisfaction, answer_order):
            out[f"satisfaction.{code}"] = self.satisfaction[code]
        out.update({
            "finished": self.finished, "successes": self.successes,
            "success_rate": _rate(self.successes, self.finished),
            "repeats": self.repeats if repeats else None,
            "repeat_rate": _rate(self.repeats, self.complaints) if repeats else None,
            "escalated": self.escalated, "escalation_rate": _rate(self.escalated, self.complaints),
            "reopened": self.reopened, "reopenings": self.reopenings, "rejections": self.rejections,
            "costs.total": _round(sum(self.costs_by_kind.values()), 2),
        })
        for kind in sorted(self.costs_by_kind):
            out[f"costs.kind.{kind}"] = _round(self.costs_by_kind[kind], 2)
        for payer in sorted(self.costs_by_payer):
            out[f"costs.borne_by.{payer}"] = _round(self.costs_by_payer[payer], 2)
        for state in ("recorded", "open", "overdue", "done", "verified"):
            out[f"corrective.{state}"] = self.corrective[state]
        return out

    def clocks(self) -> dict[str, list[int]]:
        """Clock → [complaints it timed, complaints on time by it]."""
        found: dict[str, list[int]] = {}
        for pattern, count in self.clock_patterns.items():
            for part in pattern.split("\n"):
                pair = found.setdefault(part[1:], [0, 0])
                pair[0] += count
                pair[1] += 0 if part[0] == "!" else count
        return found

    @classmethod
    def merged(cls, parts: Iterable[Figures]) -> Figures:
        """The figures of the union of disjoint populations (the groups of one grouping)."""
        total = cls()
        for part in parts:
            for name in ("complaints", "received", "closed", "open_at_end", "timed", "on_time", "finished",
                         "successes", "repeats", "escalated", "reopened", "reopenings", "rejections"):
                setattr(total, name, getattr(total, name) + getattr(part, name))
            total.clock_patterns.update(part.clock_patterns)
            total.handling_days.extend(part.handling_days)
            total.satisfaction.update(part.satisfaction)
            total.corrective.update(part.corrective)
            for mine, theirs in ((total.costs_by_kind, part.costs_by_kind),
                                 (total.costs_by_payer, part.costs_by_payer)):
                for key, amount in theirs.items():
                    mine[key] = mine.get(key, 0.0) + amount
        return total


def _ordered(found: Iterable[str], order: Sequence[str]) -> list[str]:
    known = [name for name in order if name in found]
    return known + sorted(name for name in found if name not in order)


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def percentile(values: Sequence[float], share: float) -> float | None:
    """Linear interpolation between the closest ranks (Excel's PERCENTILE.INC, numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def change(current: Value, previous: Value) -> Value:
    """The change against the previous period: a difference (rates in fractions, so ×100 is points)."""
    if current is None or previous is None:
        return None
    difference = current - previous
    return round(difference, 4) if isinstance(difference, float) else difference


# -- building --------------------------------------------------------------------------------------

@dataclass
class Section:
    """One period's figures: overall and by group."""

    period: Period
    cutoff: datetime
    overall: Figures
    groups: dict[str, dict[str, Figures]]  # grouping → group key → figures
    weekly: list[tuple[date, int]]


@dataclass
class Report:
    policy: str
    basis: str
    groupings: list[str]
    current: Section
    previous: Section
    generated_at: datetime
    clock_order: list[str]
    answer_order: list[str]
    rules: Rules
    repeat_window: WorkLimit | None
    # the records left out because they do not load, each as `path:line: message`
    skipped: list[Problem] = field(default_factory=list)


class _Context:
    """What every complaint's figures need from the store, computed once."""

    def __init__(self, calendar: Calendar, rules: Rules) -> None:
        self.calendar = calendar
        self.rules = rules
        self.day_seconds = calendar.limit_seconds(WorkLimit("working_days", 1))


def build(digests: list[Digest], *, period: Period, basis: str, groupings: Sequence[str], now: datetime,
          calendar: Calendar, rules: Rules, repeat_window: WorkLimit | None,
          known: Sequence[Section | None] = (None, None)) -> Report:
    """The report from the digests of every complaint active from `reach_of` of each period to be
    computed to its end; `known` holds the sections (current, previous) already computed, if any."""
    previous = period.previous()
    context = _Context(calendar, rules)
    computed = computed_groupings(groupings)
    missing = [each for each, section in zip((period, previous), known, strict=True) if section is None]
    repeats = _repeat_index(digests, calendar, repeat_window, period.tz) if missing else set()
    sections = [section or _section(digests, each, basis, computed, now, context, repeats)
                for each, section in zip((period, previous), known, strict=True)]
    return Report(policy=rules.policy.policy, basis=basis, groupings=list(groupings), current=sections[0],
                  previous=sections[1], generated_at=now,
                  clock_order=[clock.name for clock in rules.policy.clocks],
                  answer_order=_answers(rules), rules=rules, repeat_window=repeat_window)


def computed_groupings(groupings: Sequence[str]) -> list[str]:
    """The groupings a section keeps: those asked for, and counts by category always (every format
    draws them as a bar chart)."""
    return list(dict.fromkeys([*groupings, "category"]))


def _answers(rules: Rules) -> list[str]:
    order: list[str] = []
    for spec in rules.policy.field_specs("satisfaction"):
        order.extend(value.code for value in spec.values or () if value.code not in order)
    return order


def reach_of(period: Period, repeat_window: WorkLimit | None) -> datetime:
    """How far back the digests of one period's section must reach: its start, and before it a repeat
    window's worth (generously: any window fits in three times its days plus a month of holidays)."""
    first = period.first
    if repeat_window is not None:
        per_day = {"minutes": 24 * 60, "hours": 24, "working_hours": 3}.get(repeat_window.form, 1)
        days = math.ceil(repeat_window.amount / per_day)
        first = first - relativedelta(days=3 * days + 31)
    start = datetime.combine(first, datetime.min.time(), tzinfo=period.tz)
    return datetime.fromtimestamp(start.timestamp(), period.tz)


def cutoff_of(end: datetime, now: datetime) -> datetime:
    """The end of the period, or just after now when the period is not over (records keep seconds)."""
    return min(end, now.replace(microsecond=0) + timedelta(seconds=1))


def _section(digests: list[Digest], period: Period, basis: str, groupings: Sequence[str], now: datetime,
             context: _Context, repeats: set[str]) -> Section:
    """One period's figures. Every complaint is in exactly one group of each grouping, so the overall
    figures are the category groups' merged: each complaint is added once per grouping, not once more."""
    start, end = period.start.timestamp(), period.end.timestamp()
    cutoff_at = cutoff_of(period.end, now)
    cutoff = cutoff_at.timestamp()
    groups: dict[str, dict[str, Figures]] = {name: defaultdict(Figures) for name in groupings}
    targets = [(name, groups[name]) for name in groupings]
    weeks = period.weeks()
    # local midnight of each Monday as POSIX seconds: a week is found by bisection, right across DST
    week_starts = [_midnight(monday, period.tz) for monday in weeks]
    weekly = [0] * len(weeks)
    rules, calendar, day_seconds = context.rules, context.calendar, context.day_seconds
    by_received = basis == "received"
    for digest in digests:
        facts = digest.report
        received = facts.received
        if received >= end:
            continue
        closed = facts.closed
        if closed is not None and closed < start:
            continue  # closed before the period: nothing of it is in this report
        case: Case | None = None
        if facts.last < cutoff:
            # Nothing happened to it after the cutoff: the digest's closing time holds.
            in_period, closed_in, open_at_end = received >= start, closed is not None, closed is None
        else:
            case = case_at(digest, cutoff, rules, calendar)
            if case is None:
                continue
            in_period = case.received >= start
            closed_in = case.closed is not None and case.closed >= start
            open_at_end = case.closed is None
            if not (in_period or closed_in or open_at_end):
                continue
        member: Case | None = None  # the complaint, when it is one of the population
        if in_period if by_received else closed_in:
            member = case = case or case_at(digest, cutoff, rules, calendar)
            assert member is not None
            member.repeat = member.id in repeats
            if member.handling_seconds is not None:
                member.handling_days = member.handling_seconds / day_seconds
        for name, found in targets:
            key = group_key(digest, case, name)
            figures = found[NO_GROUP if key is None or key == "" else str(key)]
            figures.received += in_period
            figures.closed += closed_in
            figures.open_at_end += open_at_end
            if member is not None:
                _add(figures, member)
        if in_period:
            weekly[bisect_right(week_starts, received) - 1] += 1
    overall = Figures.merged(groups["category"].values())
    return Section(period=period, cutoff=cutoff_at, overall=overall,
                   groups={name: dict(found) for name, found in groups.items()},
                   weekly=list(zip(weeks, weekly, strict=True)))


def _midnight(day: date, tz: Any) -> float:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz).timestamp()


def _add(figures: Figures, case: Case) -> None:
    """What one complaint of the population adds to a population's figures."""
    figures.complaints += 1
    if case.clock_key:
        figures.timed += 1
        figures.on_time += not case.breached
        figures.clock_patterns[case.clock_key] += 1
    if case.closed is not None:
        if case.handling_days is not None:
            figures.handling_days.append(case.handling_days)
        figures.finished += 1
        figures.successes += case.success
    if case.satisfaction is not None:
        figures.satisfaction[case.satisfaction] += 1
    figures.repeats += case.repeat
    if case.reopenings:
        figures.reopened += 1
        figures.reopenings += case.reopenings
    figures.rejections += case.rejections
    if case.eventful:
        figures.escalated += case.escalated
        for kind, payer, amount in case.costs:
            figures.costs_by_kind[kind] = figures.costs_by_kind.get(kind, 0.0) + amount
            figures.costs_by_payer[payer] = figures.costs_by_payer.get(payer, 0.0) + amount
        for state in case.corrective:
            figures.corrective["recorded"] += 1
            figures.corrective[state] += 1
        figures.corrective["overdue"] += case.overdue


# -- repeat complaints -----------------------------------------------------------------------------

def _repeat_index(digests: list[Digest], calendar: Calendar, window: WorkLimit | None, tz: Any) -> set[str]:
    """The ids of complaints received within the window after an earlier complaint of the same
    complainant (same phone or same e-mail). The window runs from the earlier complaint's receipt,
    measured by the store's calendar as the policy's limit says."""
    if window is None:
        return set()
    by_contact: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for digest in digests:
        facts = digest.report
        for key in facts.contacts:
            by_contact[key].append((facts.received, digest.id))
    repeats: set[str] = set()
    for items in by_contact.values():
        if len(items) < 2:
            continue
        items.sort()
        for (before, _), (after, complaint_id) in itertools.pairwise(items):
            if after <= calendar.add(datetime.fromtimestamp(before, tz), window).timestamp():
                repeats.add(complaint_id)
    return repeats
