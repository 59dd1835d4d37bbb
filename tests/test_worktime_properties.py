"""Properties of the working-time arithmetic, for random instants and limits (hypothesis)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from complaintctl.worktime.arithmetic import Calendar, Limit

CALENDARS = {
    "cn": Calendar(),
    "cn-breaks": Calendar(
        breaks=[(time(12), time(13, 30))],
        days_off=[date(2026, 11, 23), date(2025, 12, 31)],
        extra_working_days=[date(2026, 11, 22)],
        short_days={date(2026, 12, 31): time(15), date(2026, 2, 13): time(11)},
    ),
    "de": Calendar(timezone="Europe/Berlin", country="DE", language="en"),
}
LO = datetime(2015, 1, 1, tzinfo=UTC)
SPAN = int((datetime(2028, 1, 1, tzinfo=UTC) - LO).total_seconds())
SETTINGS = settings(max_examples=400, deadline=None)

calendars = st.sampled_from(sorted(CALENDARS))
seconds = st.integers(0, SPAN)  # whole seconds: the arithmetic is then exact
micros = st.integers(0, 999_999)


def instant(cal: Calendar, s: int, us: int = 0) -> datetime:
    return (LO + timedelta(seconds=s, microseconds=us)).astimezone(cal.tz)


def in_working_time(cal: Calendar, t: datetime) -> bool:
    info = cal.day(t.date())
    wall = t.time().replace(tzinfo=None)
    return info.working and any(a <= wall <= b for a, b in info.periods)


@SETTINGS
@given(calendars, seconds, st.integers(1, 400 * 4))
def test_working_hours_due_lies_in_working_time_and_nothing_is_lost(
    name: str, s: int, quarters: int
) -> None:
    cal = CALENDARS[name]
    start, limit = instant(cal, s), Limit("working_hours", quarters / 4)
    due = cal.add(start, limit)
    assert due > start
    assert in_working_time(cal, due)
    assert cal.working_seconds(start, due) == quarters * 900
    # a moment earlier, the limit is not used up yet
    assert cal.working_seconds(start, due - timedelta(seconds=1)) < quarters * 900


@SETTINGS
@given(calendars, seconds, micros, st.floats(0.001, 30, allow_nan=False))
def test_fractional_amounts_to_the_microsecond(name: str, s: int, us: int, amount: float) -> None:
    cal = CALENDARS[name]
    start = instant(cal, s, us)
    hours = Limit("working_hours", amount)
    due = cal.add(start, hours)
    assert in_working_time(cal, due)
    assert math.isclose(cal.working_seconds(start, due), cal.limit_seconds(hours), abs_tol=2e-6)
    # N + f working days: f x the standard day from the close of the N-th working day (or from the
    # start when N = 0), cut at the close of working day N + 1 (only ever a short day does that)
    whole, frac = int(amount), amount - int(amount)
    due = cal.add(start, Limit("working_days", amount))
    if frac == 0:
        assert due == cal.add(start, Limit("working_days", whole))
        return
    assert in_working_time(cal, due)
    base = cal.add(start, Limit("working_days", whole)) if whole else start
    cap = cal.add(start, Limit("working_days", whole + 1))
    got, want = cal.working_seconds(base, due), frac * cal.limit_seconds(Limit("working_days", 1))
    assert due <= cap
    if due < cap:
        assert math.isclose(got, want, abs_tol=2e-6)
    else:
        assert got <= want + 2e-6


def test_the_cap_bites_only_on_short_days() -> None:
    # without short days a fraction of a day always fits before the next whole day
    cal = CALENDARS["cn"]
    start = datetime(2026, 2, 12, 17, 59, tzinfo=cal.tz)
    for amount in (0.999, 1.999, 6.999):
        due = cal.add(start, Limit("working_days", amount))
        base = cal.add(start, Limit("working_days", int(amount))) if amount > 1 else start
        assert math.isclose(cal.working_seconds(base, due), (amount % 1) * 9 * 3600, abs_tol=1e-3)


@SETTINGS
@given(calendars, seconds, seconds, seconds)
def test_working_seconds_is_additive(name: str, a: int, b: int, c: int) -> None:
    cal = CALENDARS[name]
    t0, t1, t2 = (instant(cal, x) for x in sorted((a, b, c)))
    whole = cal.working_seconds(t0, t2)
    assert whole == cal.working_seconds(t0, t1) + cal.working_seconds(t1, t2)
    assert whole >= 0


FORMS = {
    "minutes": st.integers(0, 60 * 24 * 10),
    "hours": st.integers(0, 24 * 60),
    "working_hours": st.integers(0, 200 * 4).map(lambda q: q / 4),
    # whole and fractional days together: quarters, plus a few amounts just under a whole day
    "working_days": st.one_of(
        st.integers(0, 60 * 4).map(lambda q: q / 4),
        st.integers(0, 60).map(lambda n: n + 0.999),
    ),
    "calendar_days": st.integers(0, 400),
}


@SETTINGS
@given(calendars, st.sampled_from(sorted(FORMS)), st.data())
def test_due_never_decreases_when_start_or_limit_grows(
    name: str, kind: str, data: st.DataObject
) -> None:
    cal = CALENDARS[name]
    form = kind
    a1, a2 = sorted((data.draw(FORMS[kind]), data.draw(FORMS[kind])))
    s1, s2 = sorted((data.draw(seconds), data.draw(seconds)))
    if data.draw(st.booleans()):  # close starts find the edges (period ends, midnight)
        s2 = s1 + data.draw(st.integers(0, 3600 * 30))
    t1, t2 = instant(cal, s1), instant(cal, s2)
    assert cal.add(t1, Limit(form, a1)) <= cal.add(t2, Limit(form, a1))
    assert cal.add(t1, Limit(form, a1)) <= cal.add(t1, Limit(form, a2))
    assert cal.add(t1, Limit(form, a1)) >= t1


@settings(max_examples=100, deadline=None)
@given(calendars, seconds, st.sampled_from(sorted(FORMS)), st.data())
def test_explain_agrees_with_add(name: str, s: int, kind: str, data: st.DataObject) -> None:
    cal = CALENDARS[name]
    form = kind
    limit = Limit(form, data.draw(FORMS[kind]) % 40)
    start = instant(cal, s)
    ex = cal.explain(start, limit)
    assert ex.due == cal.add(start, limit)
    assert ex.steps[0].date == start.date() and ex.steps[-1].date == ex.due.date()
    assert [x.date for x in ex.steps] == [
        start.date() + timedelta(days=n) for n in range(len(ex.steps))
    ]
    counted = sum(x.seconds for x in ex.steps)
    if form in ("minutes", "hours", "working_hours"):
        assert math.isclose(counted, cal.limit_seconds(limit), abs_tol=1e-6)
    elif form == "working_days" and limit.amount < 1:
        assert math.isclose(counted, cal.working_seconds(start, ex.due), abs_tol=1e-6)
    elif form == "working_days":  # every working day after the start day, whole, then the fraction
        next_day = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=cal.tz)
        assert math.isclose(counted, cal.working_seconds(next_day, ex.due), abs_tol=1e-6)
    if limit.whole_days:
        assert sum(x.counted for x in ex.steps) == limit.amount


def test_zone_of_start_does_not_matter() -> None:
    cal = CALENDARS["cn"]
    t = datetime(2026, 9, 30, 17, tzinfo=ZoneInfo("Asia/Shanghai"))
    for tz in ("UTC", "America/New_York", "Asia/Kolkata"):
        assert cal.add(t.astimezone(ZoneInfo(tz)), Limit("working_days", 7)) == cal.add(
            t, Limit("working_days", 7)
        )
