"""Working-time arithmetic: the one place where time limits become due instants (DOMAIN.md, "Time").

    cal = Calendar()                          # China, 09:00-18:00, Asia/Shanghai
    cal.add(start, Limit("working_days", 3))  # the close of the 3rd working day after start's day
    cal.working_seconds(start, end)           # working time between two instants
    cal.explain(start, limit)                 # day by day: what counted and what was skipped

Forms: `minutes` and `hours` are wall-clock (absolute) time; `working_hours` counts only time inside
the working periods of working days; `working_days: N` ends at the close of the N-th working day
after the start day (the start day never counts); `calendar_days: N` ends at 00:00 local of day N+1
after the start day. The day table lives in `complaintctl.worktime.calendar`.

A fractional `working_days: N + f` (0 < f < 1) takes the whole part by the day rule (the close of the
N-th working day after the start day; for N = 0 the start itself), then counts f x a standard day's
working time as working hours from there, but never past the close of the (N+1)-th working day: so
the due time never decreases when the limit grows, even when that next day is a short day. Without a
short day in the way the cap never bites, and for N = 0 the working time from the start to the due
time is exactly f x the standard day (0.5 from Fri 16:00 -> Mon 11:30).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import isleap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from complaintctl.worktime.calendar import (
    DayInfo,
    DayRules,
    OfficialYear,
    YearTable,
    check_number,
    official_year,
    parse_date,
    parse_dates,
    parse_span,
    parse_time,
    subtract_breaks,
)

__all__ = [
    "LIMIT_FORMS",
    "Calendar",
    "DayInfo",
    "ExplainStep",
    "Explanation",
    "Limit",
    "OfficialYear",
]

LIMIT_FORMS = ("minutes", "hours", "working_hours", "working_days", "calendar_days")

_UNITS = {
    "minutes": ("minute", "minutes"),
    "hours": ("hour", "hours"),
    "working_hours": ("working hour", "working hours"),
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
}


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


@dataclass(frozen=True)
class Limit:
    form: str  # one of LIMIT_FORMS
    amount: float  # >= 0

    def __post_init__(self) -> None:
        if self.form not in LIMIT_FORMS:
            raise ValueError(
                f"unknown limit form {self.form!r}; expected one of {', '.join(LIMIT_FORMS)}"
            )
        check_number(self.amount, f"limit {self.form}")
        if self.form == "calendar_days" and not float(self.amount).is_integer():
            raise ValueError(f"limit calendar_days: expected a whole number, got {self.amount!r}")

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> Limit:
        if not isinstance(m, Mapping) or len(m) != 1:
            raise ValueError(
                f"a limit is one of {', '.join(LIMIT_FORMS)} with a number,"
                f" e.g. {{working_days: 3}}; got {m!r}"
            )
        ((form, amount),) = m.items()
        return cls(str(form), amount)

    def to_mapping(self) -> dict[str, int | float]:
        return {self.form: _num(self.amount)}

    def __str__(self) -> str:
        one, many = _UNITS[self.form]
        return f"{_num(self.amount)} {one if self.amount == 1 else many}"

    @property
    def whole_days(self) -> bool:
        return self.form == "working_days" and float(self.amount).is_integer() and self.amount > 0


@dataclass(frozen=True)
class ExplainStep:
    date: date
    counted: bool  # the day gave time to the limit
    reason: str | None  # why it is (not) a working day: "weekend", a holiday's name, …
    seconds: float  # the time it gave
    note: str


@dataclass(frozen=True)
class Explanation:
    start: datetime
    limit: Limit
    due: datetime
    steps: list[ExplainStep] = field(default_factory=list)


_SETTINGS_KEYS = (
    "country", "subdivision", "working_hours", "breaks", "days_off", "extra_working_days",
    "short_days", "official", "language",
)  # fmt: skip


class Calendar:
    """A store's working calendar and the arithmetic of limits on it."""

    def __init__(
        self,
        *,
        timezone: str = "Asia/Shanghai",
        country: str = "CN",
        subdivision: str | None = None,
        working_hours: tuple[time, time] = (time(9), time(18)),
        breaks: Sequence[tuple[time, time]] = (),
        days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        short_days: Mapping[date, time] | None = None,
        official: Mapping[int, OfficialYear] | None = None,
        language: str = "zh",
    ) -> None:
        try:
            self.tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {timezone!r}") from e
        if working_hours[1] <= working_hours[0]:
            raise ValueError("working_hours: the end must be after the start")
        short_days = dict(short_days or {})
        off, extra, breaks = frozenset(days_off), frozenset(extra_working_days), tuple(breaks)
        official = {int(y): official_year(int(y), o) for y, o in (official or {}).items()}
        self._settings: dict[str, Any] = {
            "timezone": timezone, "country": country, "subdivision": subdivision,
            "language": language, "working_hours": working_hours, "breaks": breaks,
            "days_off": sorted(off), "extra_working_days": sorted(extra),
            "short_days": sorted(short_days.items()),
            "official": sorted((y, sorted(o.holidays.items()), sorted(o.working_days))
                               for y, o in official.items()),
        }  # fmt: skip
        periods = subtract_breaks(working_hours, breaks)
        if not periods:
            raise ValueError("breaks: they leave no working time in the day")
        self._standard = float(sum(_secs(b) - _secs(a) for a, b in periods))
        short_periods = {}
        for d, close in short_days.items():
            short_periods[d] = subtract_breaks(working_hours, breaks, close)
            if not short_periods[d]:
                raise ValueError(
                    f"short_days: {d.isoformat()} closes at {close:%H:%M}, before any work"
                )
        # due instants of whole working days, by (the start's local day, N): they depend on nothing else
        self._whole_days: dict[tuple[int, int], datetime] = {}
        self._rules = DayRules(
            tz=self.tz,
            country=country,
            subdivision=subdivision,
            language=language,
            periods=periods,
            days_off=off,
            extra_working_days=extra,
            short_periods=short_periods,
            official=official,
        )

    @classmethod
    def from_settings(
        cls,
        calendar: Mapping[str, Any] | None,
        timezone: str = "Asia/Shanghai",
        language: str = "zh",
    ) -> Calendar:
        """A calendar from the `calendar:` section of complaintctl.yaml (README: Store settings)."""
        c: Mapping[str, Any] = calendar or {}
        if not isinstance(c, Mapping):
            raise ValueError(f"calendar: expected a mapping, got {c!r}")
        unknown = [str(k) for k in c if k not in _SETTINGS_KEYS]
        if unknown:
            raise ValueError(
                f"calendar: unknown key(s) {', '.join(unknown)}; known: {', '.join(_SETTINGS_KEYS)}"
            )
        kw: dict[str, Any] = {"timezone": timezone, "language": c.get("language") or language}
        if c.get("country") is not None:
            kw["country"] = str(c["country"])
        if c.get("subdivision") is not None:
            kw["subdivision"] = str(c["subdivision"])
        if c.get("working_hours") is not None:
            kw["working_hours"] = parse_span(c["working_hours"], "calendar.working_hours")
        breaks = c.get("breaks") or []
        if isinstance(breaks, str) or not isinstance(breaks, Sequence):
            raise ValueError(
                f"calendar.breaks: expected a list of ['HH:MM', 'HH:MM'], got {breaks!r}"
            )
        kw["breaks"] = [parse_span(b, "calendar.breaks") for b in breaks]
        kw["days_off"] = parse_dates(c.get("days_off"), "calendar.days_off")
        kw["extra_working_days"] = parse_dates(
            c.get("extra_working_days"), "calendar.extra_working_days"
        )
        short = c.get("short_days") or {}
        if not isinstance(short, Mapping):
            raise ValueError(f"calendar.short_days: expected {{date: 'HH:MM'}}, got {short!r}")
        kw["short_days"] = {
            parse_date(d, "calendar.short_days"): parse_time(t, "calendar.short_days")
            for d, t in short.items()
        }
        official = c.get("official") or {}
        if not isinstance(official, Mapping):
            raise ValueError("calendar.official: expected {year: {holidays, working_days}}")
        off: dict[int, OfficialYear] = {}
        for y, o in official.items():
            try:
                year = int(y)
            except (TypeError, ValueError):
                raise ValueError(f"calendar.official: {y!r} is not a year") from None
            off[year] = official_year(year, o)
        kw["official"] = off
        try:
            return cls(**kw)
        except KeyError as e:  # holidays: unknown country or subdivision
            raise ValueError(f"calendar: {e}") from None

    def fingerprint(self) -> str:
        """A stable hash of every setting and of the holidays package installed (for caches)."""
        import hashlib
        import json

        blob = json.dumps([self._settings, self._rules.identity()], default=str, ensure_ascii=False,
                          sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    # -- days ----------------------------------------------------------------------------------
    def _table(self, year: int) -> YearTable:
        return self._rules.table(year)

    def day(self, d: date) -> DayInfo:
        t = self._table(d.year)
        return t.days[d.toordinal() - t.first_ord]

    def is_working_day(self, d: date) -> bool:
        return self.day(d).working

    def is_provisional(self, d: date) -> bool:
        return self.day(d).provisional

    # -- arithmetic ----------------------------------------------------------------------------
    def limit_seconds(self, limit: Limit) -> float:
        """The limit as seconds: wall clock, or working time (a working day = a standard day).

        What `add` counts for `working_hours` and `working_days` below 1; whole working days follow
        the day rule instead (see the module docstring)."""
        f, a = limit.form, float(limit.amount)
        if f == "minutes":
            return a * 60
        if f in ("hours", "working_hours"):
            return a * 3600
        if f == "working_days":
            return a * self._standard
        return a * 86400

    def add(self, start: datetime, limit: Limit) -> datetime:
        f = limit.form
        tz = self.tz
        if f == "working_days" and start.utcoffset() is not None:
            n = int(limit.amount)
            if n == limit.amount and n > 0:
                return self._whole_days_due(start.astimezone(tz).toordinal(), n)
        ts = _timestamp(start)
        if f == "minutes" or f == "hours":
            return datetime.fromtimestamp(ts + self.limit_seconds(limit), tz)
        local = datetime.fromtimestamp(ts, tz)
        if f == "calendar_days":
            d = local.date() + timedelta(days=int(limit.amount) + 1)
            # via the timestamp: a midnight that does not exist (DST) is normalised
            return datetime.fromtimestamp(datetime.combine(d, time(0), tzinfo=tz).timestamp(), tz)
        if f == "working_days":
            return datetime.fromtimestamp(self._working_days(ts, local, float(limit.amount))[0], tz)
        return datetime.fromtimestamp(
            self._add_working(ts, local.year, self.limit_seconds(limit)), tz
        )

    def _whole_days_due(self, ordinal: int, n: int) -> datetime:
        """The close of the n-th working day after the day `ordinal` (n >= 1), remembered: the
        commonest limit, and one that a store's complaints started on the same day all share."""
        key = (ordinal, n)
        due = self._whole_days.get(key)
        if due is None:
            if len(self._whole_days) >= 100_000:
                self._whole_days.clear()
            due = self._whole_days[key] = datetime.fromtimestamp(self._nth_close(ordinal, n)[0], self.tz)
        return due

    def _working_days(self, ts: float, local: datetime, amount: float) -> tuple[float, float, bool]:
        """(due, base, capped) of `working_days: amount` from ts: base is where the fraction starts
        (the close of the whole part's last day, or ts), capped whether the cap at the close of the
        next working day cut the fraction short."""
        n = int(amount)
        frac = amount - n
        ordinal = local.toordinal()
        if n > 0:
            base, year = self._nth_close(ordinal, n)
            if frac == 0:
                return base, base, False
        else:
            base, year = ts, local.year
        due = self._add_working(base, year, frac * self._standard)
        if frac > 0:
            cap = self._nth_close(ordinal, n + 1)[0]
            if cap < due:
                return cap, base, True
        return due, base, False

    def _nth_close(self, ordinal: int, n: int) -> tuple[float, int]:
        """(the close of the n-th working day after the day `ordinal`, that day's year); n >= 1."""
        year = date.fromordinal(ordinal).year
        t = self._table(year)
        i = bisect_right(t.work_ords, ordinal)
        while i + n > len(t.work_ords):
            n -= len(t.work_ords) - i
            year += 1
            t = self._table(year)
            i = 0
        return t.close[i + n - 1], year

    @staticmethod
    def _position(t: YearTable, ts: float) -> tuple[int, float]:
        """(the last period starting at or before ts, working seconds of the year before ts)."""
        i = bisect_right(t.ps, ts) - 1
        if i >= 0 and ts < t.pe[i]:
            return i, t.cum[i] + (ts - t.ps[i])
        return i, t.cum[i + 1]

    def _add_working(self, ts: float, year: int, secs: float) -> float:
        t = self._table(year)
        i, c = self._position(t, ts)
        if secs <= 0:
            if i >= 0 and ts <= t.pe[i]:
                return ts  # in working time, or at the end of a period
            while i + 1 >= len(t.ps):  # the next working period begins the clock
                t, i = self._table(t.year + 1), -1
            return t.ps[i + 1]
        target = c + secs
        while target > t.total:
            target -= t.total
            t = self._table(t.year + 1)
        j = bisect_left(t.cum, target, 1)
        return t.ps[j - 1] + (target - t.cum[j - 1])

    def resumes(self, moment: datetime) -> datetime:
        """`moment` when it is working time, else when working time next begins (deferred notices go)."""
        if self.working_seconds(moment, moment + timedelta(seconds=1)) > 0:
            return moment
        return self.add(moment, Limit("working_hours", 1 / 3600)) - timedelta(seconds=1)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time between two instants (0 if end <= start)."""
        ts0, ts1 = _timestamp(start), _timestamp(end)
        if ts1 <= ts0:
            return 0.0
        y0 = datetime.fromtimestamp(ts0, self.tz).year
        y1 = datetime.fromtimestamp(ts1, self.tz).year
        t0, t1 = self._table(y0), self._table(y1)
        total = self._position(t1, ts1)[1] - self._position(t0, ts0)[1]
        for y in range(y0, y1):
            total += self._table(y).total
        return total

    # -- explain -------------------------------------------------------------------------------
    def explain(self, start: datetime, limit: Limit) -> Explanation:
        """Every day from the start day to the due day: what it gave to the limit, or why not."""
        ts0 = _timestamp(start)
        local = datetime.fromtimestamp(ts0, self.tz)
        due = self.add(start, limit)
        ts1 = due.timestamp()
        form, amount = limit.form, float(limit.amount)
        whole = int(amount) if form == "working_days" else 0
        base, capped = ts0, False
        if form == "working_days":
            _, base, capped = self._working_days(ts0, local, amount)
        # the days up to `last_rule_day` follow the day rule; after it, the fraction counts as hours
        last_rule_day = datetime.fromtimestamp(base, self.tz).date() if whole else None
        fraction_note = ""
        if form == "working_days" and not amount.is_integer():
            part = amount - whole
            fraction_note = f"fraction {_num(round(part, 6))} x {_hm(self._standard)}: "
        d = local.date()
        last = due.date()
        steps: list[ExplainStep] = []
        wall = form in ("minutes", "hours")
        while d <= last:
            info = self.day(d)
            day0 = datetime.combine(d, time(0), tzinfo=self.tz).timestamp()
            day1 = datetime.combine(d + timedelta(days=1), time(0), tzinfo=self.tz).timestamp()
            hours = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in info.periods)
            kind = _kind(info)  # " (day off: 国庆节)", " (make-up working day)", or ""
            if wall:
                secs = max(0.0, min(ts1, day1) - max(ts0, day0))
                steps.append(ExplainStep(d, secs > 0, info.reason, secs, f"wall clock{kind}"))
            elif form == "calendar_days" or (last_rule_day is not None and d <= last_rule_day):
                unit = "calendar day" if form == "calendar_days" else "working day"
                if not steps:
                    note = f"start day, not counted{kind}"
                    steps.append(ExplainStep(d, False, info.reason, 0.0, note))
                elif form == "calendar_days" and ts1 <= day0:
                    note = "due at 00:00, the end of the day before"
                    steps.append(ExplainStep(d, False, info.reason, 0.0, note))
                elif form == "calendar_days":
                    n = sum(1 for s in steps if s.counted) + 1
                    steps.append(
                        ExplainStep(d, True, info.reason, day1 - day0, f"{unit} {n}{kind}")
                    )
                elif info.working:
                    n = sum(1 for s in steps if s.counted) + 1
                    secs = self._day_seconds(d, day0, day1)
                    steps.append(
                        ExplainStep(d, True, info.reason, secs, f"{unit} {n}, {hours}{kind}")
                    )
                else:
                    steps.append(ExplainStep(d, False, info.reason, 0.0, f"skipped: {info.reason}"))
            else:
                secs = self._day_seconds(d, max(ts0, base, day0), min(ts1, day1))
                if secs > 0:
                    note = f"{fraction_note}counted {_hm(secs)} of {hours}{kind}"
                    if capped and d == last:
                        note += (
                            f"; cut short at the close of working day {whole + 1},"
                            " as a fraction never ends after the next whole day"
                        )
                elif info.working:
                    note = f"working day, nothing counted in {hours}{kind}"
                else:
                    note = f"skipped: {info.reason}"
                steps.append(ExplainStep(d, secs > 0, info.reason, secs, note))
            d += timedelta(days=1)
        return Explanation(start, limit, due, steps)

    def _day_seconds(self, d: date, a: float, b: float) -> float:
        """Working seconds of day d inside the instants [a, b]."""
        t = self._table(d.year)
        lo, hi = t.day_periods[d.toordinal() - t.first_ord]
        return sum((max(0.0, min(b, t.pe[k]) - max(a, t.ps[k])) for k in range(lo, hi)), 0.0)


def _kind(info: DayInfo) -> str:
    """What kind of day it is, as a suffix of a note; nothing for an ordinary working day."""
    if info.working:
        return f" ({info.reason})" if info.reason else ""
    return f" (day off: {info.reason})"


def _hm(secs: float) -> str:
    m = round(secs / 60)
    return f"{m // 60}h{m % 60:02d}"


def _secs(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _timestamp(dt: datetime) -> float:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{dt.isoformat()} has no time zone; instants must carry their UTC offset")
    return dt.timestamp()



def years_after(moment: datetime, years: int) -> datetime:
    """The same local date and time `years` later (a 29 February falls on the 28th): how long records
    are kept (a policy's `archive: {years: N}`, counted from closing)."""
    year = moment.year + years
    leap_day = moment.month == 2 and moment.day == 29 and not isleap(year)
    return moment.replace(year=year, day=28 if leap_day else moment.day)
