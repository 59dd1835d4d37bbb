"""Differential test: our China calendar against the independent `chinese_calendar` package.

Every day of 2015-2026 must agree on "is this a working day" (public holidays, weekends and the
State Council's make-up working days, 调休). No exceptions are listed: when the two disagree, the
fix goes into the calendar (an `official` override citing its source), not into this test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from complaintctl.worktime.arithmetic import Calendar

chinese_calendar = pytest.importorskip("chinese_calendar")


def test_every_day_2015_to_2026_agrees_with_chinese_calendar() -> None:
    cal = Calendar()
    differences = []
    d = date(2015, 1, 1)
    while d <= date(2026, 12, 31):
        ours, theirs = cal.is_working_day(d), bool(chinese_calendar.is_workday(d))
        if ours != theirs:
            differences.append(f"{d} ours={ours} chinese_calendar={theirs} ({cal.day(d).reason})")
        d += timedelta(days=1)
    assert differences == []
    assert not any(cal.is_provisional(date(y, 6, 1)) for y in range(2015, 2027))


def test_make_up_days_are_named() -> None:
    cal = Calendar()
    d = date(2015, 1, 1)
    while d <= date(2026, 12, 31):
        if d.weekday() >= 5 and chinese_calendar.is_workday(d):
            assert cal.day(d).reason == "make-up working day", d
        d += timedelta(days=1)
