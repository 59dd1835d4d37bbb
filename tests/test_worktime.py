"""Working-time arithmetic (DOMAIN.md, "Time"): each limit form, China and other calendars."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaintctl.worktime.arithmetic import LIMIT_FORMS, Calendar, Limit, OfficialYear

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CAL = Calendar()


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, tz: ZoneInfo = SH) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=tz)


def due(start: datetime, form: str, amount: float, cal: Calendar = CAL) -> datetime:
    return cal.add(start, Limit(form, amount))


# -- Limit -----------------------------------------------------------------------------------------


def test_limit_mapping_round_trip_and_text() -> None:
    assert LIMIT_FORMS == ("minutes", "hours", "working_hours", "working_days", "calendar_days")
    lim = Limit.from_mapping({"working_days": 3})
    assert lim == Limit("working_days", 3)
    assert lim.to_mapping() == {"working_days": 3}
    assert Limit.from_mapping({"working_days": 0.5}).to_mapping() == {"working_days": 0.5}
    assert str(lim) == "3 working days"
    assert str(Limit("minutes", 10)) == "10 minutes"
    assert str(Limit("working_days", 0.5)) == "0.5 working days"
    assert str(Limit("working_days", 1)) == "1 working day"
    assert str(Limit("calendar_days", 30)) == "30 calendar days"


@pytest.mark.parametrize(
    "bad, message",
    [
        ({}, "one of"),
        ({"working_days": 1, "hours": 2}, "one of"),
        ({"weeks": 1}, "unknown limit form"),
        ({"hours": -1}, ">= 0"),
        ({"hours": "2"}, "expected a number"),
        ({"hours": True}, "expected a number"),
        ({"hours": float("nan")}, ">= 0"),
        ({"calendar_days": 1.5}, "whole number"),
    ],
)
def test_limit_rejects_bad_mappings(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Limit.from_mapping(bad)


# -- the worked examples -----------------------------------------------------------------------


def test_worked_examples() -> None:
    start = at(2026, 9, 30, 17)
    assert due(start, "working_days", 7).isoformat() == "2026-10-15T18:00:00+08:00"
    assert due(start, "working_days", 3).isoformat() == "2026-10-10T18:00:00+08:00"  # Sat, 调休
    half = due(at(2026, 11, 20, 16), "working_days", 0.5)
    assert half.isoformat() == "2026-11-23T11:30:00+08:00"


# -- each form from each kind of start ----------------------------------------------------------

# before, inside and after hours on a Friday; a weekend day, a holiday, a make-up day
STARTS = {
    "before": at(2026, 11, 20, 7, 30),
    "inside": at(2026, 11, 20, 10, 15),
    "after": at(2026, 11, 20, 19, 0),
    "weekend": at(2026, 11, 21, 11, 0),
    "holiday": at(2026, 10, 2, 11, 0),
    "makeup": at(2026, 10, 10, 10, 0),  # Saturday make-up working day
}

EXPECTED = {
    # minutes / hours: wall clock
    ("minutes", 10): {k: v + timedelta(minutes=10) for k, v in STARTS.items()},
    ("hours", 24): {k: v + timedelta(hours=24) for k, v in STARTS.items()},
    ("working_hours", 2): {
        "before": at(2026, 11, 20, 11),
        "inside": at(2026, 11, 20, 12, 15),
        "after": at(2026, 11, 23, 11),
        "weekend": at(2026, 11, 23, 11),
        "holiday": at(2026, 10, 8, 11),
        "makeup": at(2026, 10, 10, 12),
    },
    ("working_days", 1): {
        "before": at(2026, 11, 23, 18),
        "inside": at(2026, 11, 23, 18),
        "after": at(2026, 11, 23, 18),
        "weekend": at(2026, 11, 23, 18),
        "holiday": at(2026, 10, 8, 18),
        "makeup": at(2026, 10, 12, 18),
    },
    ("working_days", 0.5): {
        "before": at(2026, 11, 20, 13, 30),
        "inside": at(2026, 11, 20, 14, 45),
        "after": at(2026, 11, 23, 13, 30),
        "weekend": at(2026, 11, 23, 13, 30),
        "holiday": at(2026, 10, 8, 13, 30),
        "makeup": at(2026, 10, 10, 14, 30),
    },
    ("calendar_days", 1): {
        "before": at(2026, 11, 22),
        "inside": at(2026, 11, 22),
        "after": at(2026, 11, 22),
        "weekend": at(2026, 11, 23),
        "holiday": at(2026, 10, 4),
        "makeup": at(2026, 10, 12),
    },
}


@pytest.mark.parametrize("form, amount", list(EXPECTED))
@pytest.mark.parametrize("label", list(STARTS))
def test_each_form_from_each_start(form: str, amount: float, label: str) -> None:
    got = due(STARTS[label], form, amount)
    assert got == EXPECTED[(form, amount)][label]
    assert got.tzinfo == SH


def test_results_are_in_the_store_zone_whatever_the_start_zone() -> None:
    start_utc = at(2026, 9, 30, 9, tz=ZoneInfo("UTC"))  # 17:00 in Shanghai
    got = due(start_utc, "working_days", 7)
    assert got.isoformat() == "2026-10-15T18:00:00+08:00"
    assert got.tzinfo == SH


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        CAL.add(datetime(2026, 1, 5, 9), Limit("hours", 1))


def test_working_hours_ending_exactly_at_close_stays_at_close() -> None:
    assert due(at(2026, 11, 20, 16), "working_hours", 2) == at(2026, 11, 20, 18)
    assert due(at(2026, 11, 20, 9), "working_hours", 9) == at(2026, 11, 20, 18)
    assert due(at(2026, 11, 20, 9), "working_days", 1.0) == at(2026, 11, 23, 18)


def test_zero_limits() -> None:
    start = at(2026, 11, 20, 10)
    assert due(start, "minutes", 0) == start
    assert due(start, "working_hours", 0) == start
    assert due(at(2026, 11, 21, 10), "working_hours", 0) == at(2026, 11, 23, 9)  # next period
    assert due(at(2026, 11, 20, 18), "working_hours", 0) == at(2026, 11, 20, 18)  # end of one
    assert due(start, "calendar_days", 0) == at(2026, 11, 21)


def test_start_day_never_counts_even_at_opening() -> None:
    assert due(at(2026, 11, 23, 8, 59), "working_days", 1) == at(2026, 11, 24, 18)
    assert due(at(2026, 11, 23, 9, 0), "working_days", 1) == at(2026, 11, 24, 18)


def test_across_year_end_and_spring_festival() -> None:
    # 2026-12-31 Thu; Jan 1-3 2027 off (元旦, weekend). 2027 is provisional but still computed.
    assert due(at(2026, 12, 31, 17), "working_days", 1) == at(2027, 1, 4, 18)
    assert due(at(2026, 12, 31, 17), "working_hours", 3) == at(2027, 1, 4, 11)
    assert CAL.working_seconds(at(2026, 12, 31, 17), at(2027, 1, 4, 11)) == 3 * 3600
    # Spring Festival 2026: Feb 15-23 off, Sat Feb 14 and Sat Feb 28 are make-up working days
    assert due(at(2026, 2, 13, 12), "working_days", 1) == at(2026, 2, 14, 18)
    assert due(at(2026, 2, 14, 12), "working_days", 1) == at(2026, 2, 24, 18)
    assert due(at(2026, 2, 13, 12), "calendar_days", 10) == at(2026, 2, 24)


def test_long_limits_cross_several_years() -> None:
    start = at(2025, 6, 1, 10)
    end = due(start, "working_days", 600)
    assert end.year == 2027
    assert CAL.working_seconds(start, end) == 600 * 9 * 3600 + 0  # start day (Sunday) gives nothing


def test_working_seconds() -> None:
    assert CAL.working_seconds(at(2026, 11, 20, 16), at(2026, 11, 23, 11, 30)) == 4.5 * 3600
    assert CAL.working_seconds(at(2026, 11, 23, 11), at(2026, 11, 20, 16)) == 0
    assert CAL.working_seconds(at(2026, 9, 30, 0), at(2026, 10, 9)) == 18 * 3600  # Sep 30, Oct 8


# -- settings: breaks, short days, closures, extra days, official years --------------------------


def test_breaks() -> None:
    cal = Calendar(breaks=[(time(12), time(13))])
    assert cal.add(at(2026, 11, 20, 11), Limit("working_hours", 2)) == at(2026, 11, 20, 14)
    # a working-hours limit used up exactly at the start of the break ends there
    assert cal.add(at(2026, 11, 20, 11), Limit("working_hours", 1)) == at(2026, 11, 20, 12)
    # start in the break: counting begins at 13:00
    assert cal.add(at(2026, 11, 20, 12, 30), Limit("working_hours", 1)) == at(2026, 11, 20, 14)
    # half a standard day is half of 8 hours
    assert cal.add(at(2026, 11, 23, 9), Limit("working_days", 0.5)) == at(2026, 11, 23, 14)
    assert cal.working_seconds(at(2026, 11, 23, 9), at(2026, 11, 23, 14)) == 4 * 3600
    assert cal.day(date(2026, 11, 23)).periods == ((time(9), time(12)), (time(13), time(18)))


def test_short_days_close_early() -> None:
    cal = Calendar(short_days={date(2026, 12, 31): time(15)})
    assert cal.add(at(2026, 12, 30, 10), Limit("working_days", 1)) == at(2026, 12, 31, 15)
    assert cal.add(at(2026, 12, 31, 14), Limit("working_hours", 2)) == at(2027, 1, 4, 10)
    info = cal.day(date(2026, 12, 31))
    assert info.working and info.reason == "short day" and info.periods == ((time(9), time(15)),)
    # a fractional working day is still measured against the standard day
    assert cal.add(at(2026, 12, 31, 12), Limit("working_days", 0.5)) == at(2027, 1, 4, 10, 30)


def test_days_off_and_extra_working_days() -> None:
    cal = Calendar(days_off=[date(2026, 11, 23)], extra_working_days=[date(2026, 11, 22)])
    assert cal.day(date(2026, 11, 23)).reason == "company closure"
    assert not cal.is_working_day(date(2026, 11, 23))
    assert cal.day(date(2026, 11, 22)).reason == "extra working day"
    assert cal.add(at(2026, 11, 20, 16), Limit("working_days", 1)) == at(2026, 11, 22, 18)
    assert cal.add(at(2026, 11, 20, 16), Limit("working_days", 2)) == at(2026, 11, 24, 18)
    # a day off wins over everything, even a make-up working day
    cal2 = Calendar(days_off=[date(2026, 10, 10)])
    assert cal2.add(at(2026, 9, 30, 17), Limit("working_days", 3)) == at(2026, 10, 12, 18)


def test_official_year_replaces_the_package() -> None:
    official = {
        2027: OfficialYear(
            holidays={date(2027, 1, 1): "元旦", date(2027, 1, 4): "元旦"},
            working_days=frozenset({date(2027, 1, 9)}),
        )
    }
    cal = Calendar(official=official)
    assert not cal.is_provisional(date(2027, 6, 1))
    assert CAL.is_provisional(date(2027, 6, 1))
    assert not CAL.is_provisional(date(2026, 6, 1))
    assert cal.day(date(2027, 1, 4)).reason == "元旦"
    assert cal.day(date(2027, 1, 9)).reason == "make-up working day"
    # the package's own 2027 guesses (e.g. Spring Festival) are gone in that year
    assert cal.is_working_day(date(2027, 2, 8))
    assert not CAL.is_working_day(date(2027, 2, 8))
    assert cal.add(at(2026, 12, 31, 10), Limit("working_days", 1)) == at(2027, 1, 5, 18)


def test_from_settings_like_the_readme() -> None:
    cal = Calendar.from_settings(
        {
            "country": "CN",
            "subdivision": None,
            "working_hours": ["09:00", "18:00"],
            "breaks": [["12:00", "13:00"]],
            "days_off": [date(2026, 12, 30)],
            "extra_working_days": [],
            "short_days": {"2026-12-31": "15:00"},
            "official": {
                2027: {"holidays": {"2027-01-01": "元旦"}, "working_days": ["2027-02-07"]}
            },
        },
        timezone="Asia/Shanghai",
    )
    assert cal.day(date(2026, 12, 30)).reason == "company closure"
    assert cal.day(date(2026, 12, 31)).periods == ((time(9), time(12)), (time(13), time(15)))
    assert cal.day(date(2027, 2, 7)).reason == "make-up working day"
    assert not cal.is_provisional(date(2027, 3, 1))
    assert Calendar.from_settings(None).fingerprint() == Calendar().fingerprint()


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"working_hours": ["9", "18:00"]}, "HH:MM"),
        ({"working_hours": [540, 1080]}, "HH:MM"),
        ({"working_hours": ["18:00", "09:00"]}, "after the start"),
        ({"breaks": "12:00-13:00"}, "breaks"),
        ({"days_off": ["2026-13-01"]}, "YYYY-MM-DD"),
        ({"short_days": {"2026-12-31": "08:00"}}, "before any work"),
        ({"official": {2027: {"holidays": {"2026-12-31": "x"}}}}, "not in 2027"),
        ({"official": {"next": {}}}, "not a year"),
        ({"official": {2027: {"holiday": {}}}}, "unknown key"),
        ({"countri": "CN"}, "unknown key"),
        ({"country": "XX"}, "calendar"),
    ],
)
def test_from_settings_rejects_bad_input(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Calendar.from_settings(settings).day(date(2026, 1, 5))


def test_bad_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Calendar(timezone="Mars/Olympus")


def test_fingerprint_is_stable_and_sees_every_setting() -> None:
    assert Calendar().fingerprint() == Calendar().fingerprint()
    others = [
        Calendar(timezone="UTC"),
        Calendar(breaks=[(time(12), time(13))]),
        Calendar(days_off=[date(2026, 1, 5)]),
        Calendar(extra_working_days=[date(2026, 1, 4)]),
        Calendar(short_days={date(2026, 1, 5): time(15)}),
        Calendar(official={2027: OfficialYear()}),
        Calendar(working_hours=(time(8), time(17))),
        Calendar(language="en"),
    ]
    prints = {c.fingerprint() for c in others} | {Calendar().fingerprint()}
    assert len(prints) == len(others) + 1


# -- day info and explain --------------------------------------------------------------------------


def test_day_reasons_and_language() -> None:
    assert CAL.day(date(2026, 10, 1)).reason == "国庆节"
    assert CAL.day(date(2026, 11, 21)).reason == "weekend"
    assert CAL.day(date(2026, 10, 10)).reason == "make-up working day"
    assert CAL.day(date(2026, 11, 20)).reason is None
    assert Calendar(language="en").day(date(2026, 10, 1)).reason == "National Day"


def test_explain_names_every_day() -> None:
    cal = Calendar(days_off=[date(2026, 10, 9)])
    ex = cal.explain(at(2026, 9, 30, 17), Limit("working_days", 3))
    assert ex.due == cal.add(ex.start, ex.limit) == at(2026, 10, 12, 18)
    assert [s.date for s in ex.steps] == [date(2026, 9, 30) + timedelta(n) for n in range(13)]
    by_date = {s.date: s for s in ex.steps}
    assert not by_date[date(2026, 9, 30)].counted and "start day" in by_date[date(2026, 9, 30)].note
    assert by_date[date(2026, 10, 1)].reason == "国庆节" and not by_date[date(2026, 10, 1)].counted
    assert by_date[date(2026, 10, 4)].reason == "weekend"
    assert by_date[date(2026, 10, 9)].reason == "company closure"
    makeup = by_date[date(2026, 10, 10)]
    assert makeup.counted and makeup.reason == "make-up working day" and makeup.seconds == 9 * 3600
    assert [s.date for s in ex.steps if s.counted] == [
        date(2026, 10, 8),
        date(2026, 10, 10),
        date(2026, 10, 12),
    ]


@pytest.mark.parametrize(
    "form, amount",
    [("minutes", 90), ("hours", 30), ("working_hours", 12), ("working_days", 1.5),
     ("working_days", 4), ("calendar_days", 3)],
)  # fmt: skip
def test_explain_due_matches_add_and_seconds_add_up(form: str, amount: float) -> None:
    start = at(2026, 9, 30, 15, 20)
    limit = Limit(form, amount)
    ex = CAL.explain(start, limit)
    assert ex.due == CAL.add(start, limit)
    assert ex.steps[0].date == date(2026, 9, 30) and ex.steps[-1].date == ex.due.date()
    if form in ("minutes", "hours", "working_hours"):
        assert sum(s.seconds for s in ex.steps) == CAL.limit_seconds(limit)
    if form == "working_days" and amount == 1.5:
        # Thu Oct 8 whole (9 h), then 4.5 h of Fri Oct 9
        assert [(s.date, s.seconds) for s in ex.steps if s.counted] == [
            (date(2026, 10, 8), 9 * 3600),
            (date(2026, 10, 9), 4.5 * 3600),
        ]
        assert ex.steps[-1].note.startswith("fraction 0.5 x 9h00: counted 4h30")


# -- DST: working periods are local wall times ---------------------------------------------------


def test_dst_europe_berlin() -> None:
    cal = Calendar(timezone="Europe/Berlin", country="DE", language="en")
    # spring forward on Sunday 2026-03-29: Friday 17:00 + 2 working hours = Monday 10:00 CEST
    got = cal.add(at(2026, 3, 27, 17, tz=BERLIN), Limit("working_hours", 2))
    assert got.isoformat() == "2026-03-30T10:00:00+02:00"
    got = cal.add(at(2026, 3, 27, 17, tz=BERLIN), Limit("working_days", 1))
    assert got.isoformat() == "2026-03-30T18:00:00+02:00"
    # wall-clock hours are absolute: Saturday 12:00 CET + 24 h = Sunday 13:00 CEST
    got = cal.add(at(2026, 3, 28, 12, tz=BERLIN), Limit("hours", 24))
    assert got.isoformat() == "2026-03-29T13:00:00+02:00"
    # calendar days end at local midnight
    got = cal.add(at(2026, 3, 28, 12, tz=BERLIN), Limit("calendar_days", 1))
    assert got.isoformat() == "2026-03-30T00:00:00+02:00"
    # fall back on Sunday 2026-10-25
    got = cal.add(at(2026, 10, 23, 17, tz=BERLIN), Limit("working_hours", 2))
    assert got.isoformat() == "2026-10-26T10:00:00+01:00"
    got = cal.add(at(2026, 10, 24, 12, tz=BERLIN), Limit("hours", 24))
    assert got.isoformat() == "2026-10-25T11:00:00+01:00"
    assert cal.working_seconds(at(2026, 3, 27, 9, tz=BERLIN), at(2026, 3, 30, 18, tz=BERLIN)) == (
        18 * 3600
    )
    assert cal.day(date(2026, 4, 3)).reason == "Good Friday"
    assert not cal.is_provisional(date(2030, 1, 1))


def test_holidays_is_imported_lazily() -> None:
    code = (
        "import sys, complaintctl.worktime.arithmetic as w; assert 'holidays' not in sys.modules; "
        "w.Calendar(); assert 'holidays' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fractional_working_days_whole_part_by_the_day_rule_then_hours() -> None:
    # N + f working days: the close of the N-th working day after the start day (for N = 0 the start
    # itself), then f x the standard day (9 h) as working hours from there.
    monday = at(2026, 11, 23, 9)
    assert due(monday, "working_days", 0.5) == at(2026, 11, 23, 13, 30)
    assert due(monday, "working_days", 1) == at(2026, 11, 24, 18)
    assert due(monday, "working_days", 1.5) == at(2026, 11, 25, 13, 30)  # Tue 18:00 + 4.5 h
    assert due(monday, "working_days", 2) == at(2026, 11, 25, 18)
    # over the National Day holiday: close of Thu Oct 8, then 4.5 h of Fri Oct 9
    assert due(at(2026, 9, 30, 17), "working_days", 1.5) == at(2026, 10, 9, 13, 30)
    # DOMAIN.md's example is unchanged
    assert due(at(2026, 11, 20, 16), "working_days", 0.5) == at(2026, 11, 23, 11, 30)


def test_a_fraction_never_ends_after_the_next_whole_day() -> None:
    # the next working day is a short day (2 h): the fraction stops at its close
    cal = Calendar(short_days={date(2026, 11, 24): time(11)})
    friday = at(2026, 11, 20, 17)
    assert due(friday, "working_days", 1.9, cal) == due(friday, "working_days", 2, cal) == at(
        2026, 11, 24, 11
    )
    assert due(friday, "working_days", 1.1, cal) == at(2026, 11, 24, 9, 54)  # 0.9 h, uncut
    # N = 0: 8.1 h from Fri 17:00 would run past Mon, a short day closing at 11:00
    cal = Calendar(short_days={date(2026, 11, 23): time(11)})
    assert due(friday, "working_days", 0.9, cal) == due(friday, "working_days", 1, cal) == at(
        2026, 11, 23, 11
    )
    assert cal.working_seconds(friday, at(2026, 11, 23, 11)) == 3 * 3600  # less than 0.9 x 9 h
    ex = cal.explain(friday, Limit("working_days", 0.9))
    assert "cut short at the close of working day 1" in ex.steps[-1].note
