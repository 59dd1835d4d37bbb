"""The day table behind the working-time arithmetic of `complaintctl.worktime.arithmetic`.

`DayRules` decides, day by day, whether a date is a working day and why (weekend, a public holiday
from the `holidays` package, a State Council make-up working day, a company closure, …) and builds,
lazily and once per year, a `YearTable`: the day infos plus flat arrays of the working periods as
absolute instants (epoch seconds), their running totals and the close of every working day. The
arithmetic in `worktime` only bisects these arrays. `holidays` is imported on first use, not at
module import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

Period = tuple[time, time]

_LANGUAGES = {"zh": "zh_CN", "en": "en_US"}


@dataclass(frozen=True)
class OfficialYear:
    """A whole year's official schedule: its public holidays and its make-up working days (调休)."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    working_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class DayInfo:
    date: date
    working: bool
    # why: "weekend", a holiday's name, "company closure", "make-up working day", …
    reason: str | None
    periods: tuple[Period, ...]  # local wall-clock working periods; () on a day off
    provisional: bool  # the year's schedule is only estimated


@dataclass
class YearTable:
    year: int
    first_ord: int  # date(year, 1, 1).toordinal()
    days: list[DayInfo]
    ps: list[float]  # start of each working period (epoch seconds), in order
    pe: list[float]  # its end
    cum: list[float]  # cum[i]: working seconds of the year before period i; len(ps) + 1 items
    day_periods: list[tuple[int, int]]  # per day of the year: index range of its periods in ps/pe
    work_ords: list[int]  # ordinals of the working days, in order
    close: list[float]  # close of working hours (epoch seconds) of each of those days

    @property
    def total(self) -> float:
        return self.cum[-1]


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _time(s: int) -> time:
    return time(s // 3600, s % 3600 // 60, s % 60)


def subtract_breaks(
    hours: Period, breaks: tuple[Period, ...], close: time | None = None
) -> tuple[Period, ...]:
    """The working periods of a day: `hours` minus `breaks`, cut at `close` (a short day)."""
    start, end = _seconds(hours[0]), _seconds(hours[1])
    if close is not None:
        end = min(end, _seconds(close))
    pieces = [(start, end)] if end > start else []
    for b0, b1 in sorted((_seconds(a), _seconds(b)) for a, b in breaks):
        out = []
        for p0, p1 in pieces:
            if b1 <= p0 or b0 >= p1:
                out.append((p0, p1))
                continue
            if b0 > p0:
                out.append((p0, b0))
            if b1 < p1:
                out.append((b1, p1))
        pieces = out
    return tuple((_time(a), _time(b)) for a, b in pieces)


class DayRules:
    """Whether each day works, and the per-year tables (built on first use, then cached)."""

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        country: str,
        subdivision: str | None,
        language: str,
        periods: tuple[Period, ...],
        days_off: frozenset[date],
        extra_working_days: frozenset[date],
        short_periods: Mapping[date, tuple[Period, ...]],
        official: Mapping[int, OfficialYear],
    ) -> None:
        self.tz = tz
        self.country = country
        self.subdivision = subdivision
        self.language = language
        self.periods = periods
        self.days_off = days_off
        self.extra_working_days = extra_working_days
        self.short_periods = short_periods
        self.official = official
        self._holidays: Any = None
        # the last year with a published schedule (CN: 调休)
        self._last_schedule_year: int | None = None
        self._tables: dict[int, YearTable] = {}

    # -- the holidays package ------------------------------------------------------------------
    def _package(self) -> Any:
        if self._holidays is None:
            import holidays  # lazily: importing it costs start-up time

            try:
                probe = holidays.country_holidays(self.country, subdiv=self.subdivision)
                supported = getattr(probe, "supported_languages", ())
                lang = _LANGUAGES.get(self.language, self.language)
                self._holidays = holidays.country_holidays(
                    self.country,
                    subdiv=self.subdivision,
                    # never None: the package would then guess from the process locale
                    language=lang if lang in supported else probe.default_language,
                )
            except (NotImplementedError, KeyError, ValueError) as e:
                raise ValueError(
                    f"calendar: country {self.country!r} / subdivision {self.subdivision!r}"
                    f" is not known to the holidays package ({e})"
                ) from None
            # A country whose holidays move weekends around (China's 调休) publishes its schedule
            # year by year; the package knows it up to the last year with substituted days.
            special = getattr(self._holidays, "special_public_holidays", {}) or {}
            years = [y for y, rows in special.items() if any(len(r) >= 4 for r in _rows(rows))]
            self._last_schedule_year = max(years) if years else None
        return self._holidays

    def is_provisional(self, year: int) -> bool:
        if year in self.official:
            return False
        h = self._package()
        if self._last_schedule_year is not None and year > self._last_schedule_year:
            return True
        self._load_package_year(year)
        # lunar dates beyond the package's tables are labelled "%s (estimated)" in its language
        marker = (
            str(h.tr(getattr(h, "estimated_label", "") or "")).replace("%s", "").strip(" ()（）")
        )
        return bool(marker) and any(d.year == year and marker in n for d, n in h.items())

    def _load_package_year(self, year: int) -> None:
        h = self._package()
        # a year's make-up days may be listed with the next year's schedule (e.g. late December)
        for y in (year, year + 1):
            _ = date(y, 1, 1) in h  # membership populates the year (the package's `expand`)

    def _schedule(self, year: int) -> tuple[dict[date, str], set[date], set[int]]:
        """(holidays, make-up working days, weekend weekdays) of one year."""
        h = self._package()
        weekend = set(getattr(h, "weekend", {5, 6}))
        if year in self.official:
            o = self.official[year]
            return dict(o.holidays), set(o.working_days), weekend
        self._load_package_year(year)
        hols = {d: str(n) for d, n in h.items() if d.year == year}
        makeup = {d for d in getattr(h, "weekend_workdays", set()) if d.year == year}
        return hols, makeup, weekend

    # -- the table -----------------------------------------------------------------------------
    def table(self, year: int) -> YearTable:
        t = self._tables.get(year)
        if t is None:
            from complaintctl.base.cache import remember

            # Building a year imports the holidays package and walks 365 days: tens of milliseconds
            # that every command would pay; the per-user cache keeps the tables by their inputs.
            t = self._tables[year] = remember("year", [self.identity(), str(year)], lambda: self._build(year),
                                              modules=("workcalendar.py",))
        return t

    def identity(self) -> str:
        """Every input of the tables, canonically: the settings and the holidays package installed."""
        official = sorted((year, sorted(o.holidays.items()), sorted(o.working_days))
                          for year, o in self.official.items())
        parts = [self.tz.key, self.country, self.subdivision, self.language, self.periods,
                 sorted(self.days_off), sorted(self.extra_working_days), sorted(self.short_periods.items()),
                 official, _holidays_package()]
        return repr(parts)

    def _build(self, year: int) -> YearTable:
        if not 1 <= year <= 9998:
            raise ValueError(f"year {year} is out of range")
        hols, makeup, weekend = self._schedule(year)
        provisional = self.is_provisional(year)
        first = date(year, 1, 1)
        days: list[DayInfo] = []
        ps: list[float] = []
        pe: list[float] = []
        cum: list[float] = [0.0]
        day_periods: list[tuple[int, int]] = []
        work_ords: list[int] = []
        close: list[float] = []
        tz = self.tz
        d = first
        while d.year == year:
            working, reason = self._decide(d, hols, makeup, weekend)
            periods: tuple[Period, ...] = ()
            if working:
                periods = self.short_periods.get(d, self.periods)
                if d in self.short_periods:
                    reason = f"{reason}, short day" if reason else "short day"
            lo = len(ps)
            for a, b in periods:
                t0 = datetime.combine(d, a, tzinfo=tz).timestamp()
                t1 = datetime.combine(d, b, tzinfo=tz).timestamp()
                if t1 > t0:
                    ps.append(t0)
                    pe.append(t1)
                    cum.append(cum[-1] + (t1 - t0))
            if len(ps) > lo:
                work_ords.append(d.toordinal())
                close.append(pe[-1])
            day_periods.append((lo, len(ps)))
            days.append(DayInfo(d, working, reason, periods, provisional))
            d += timedelta(days=1)
        return YearTable(year, first.toordinal(), days, ps, pe, cum, day_periods, work_ords, close)

    def _decide(
        self, d: date, hols: dict[date, str], makeup: set[date], weekend: set[int]
    ) -> tuple[bool, str | None]:
        if d in self.days_off:
            return False, "company closure"
        if d in hols:
            name = hols[d]
            if d in self.extra_working_days:
                return True, "extra working day"
            return False, name
        if d.weekday() in weekend:
            if d in makeup:
                return True, "make-up working day"
            if d in self.extra_working_days:
                return True, "extra working day"
            return False, "weekend"
        return True, None


def _holidays_package() -> str:
    """Which holidays package is installed, without importing it (that costs tens of milliseconds)."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return "none"
    origin = Path(spec.origin)
    stat = origin.stat()
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"


# -- settings parsing (the `calendar:` section of complaintctl.yaml) ----------------------------


def parse_time(value: Any, what: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            h, m = value.strip().split(":")
            return time(int(h), int(m))
        except ValueError:
            pass
    raise ValueError(f"{what}: expected a time 'HH:MM' (quoted), got {value!r}")


def parse_date(value: Any, what: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{what}: expected a date YYYY-MM-DD, got {value!r}")


def parse_span(value: Any, what: str) -> Period:
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return parse_time(value[0], what), parse_time(value[1], what)
    raise ValueError(f"{what}: expected ['HH:MM', 'HH:MM'], got {value!r}")


def parse_dates(value: Any, what: str) -> list[date]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{what}: expected a list of dates, got {value!r}")
    return [parse_date(v, what) for v in value]


def official_year(year: int, value: Any) -> OfficialYear:
    what = f"calendar.official.{year}"
    if isinstance(value, OfficialYear):
        o = value
    elif isinstance(value, Mapping):
        unknown = set(value) - {"holidays", "working_days"}
        if unknown:
            raise ValueError(f"{what}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        hols = value.get("holidays") or {}
        if not isinstance(hols, Mapping):
            raise ValueError(f"{what}.holidays: expected {{date: name}}, got {hols!r}")
        o = OfficialYear(
            {parse_date(d, f"{what}.holidays"): str(n) for d, n in hols.items()},
            frozenset(parse_dates(value.get("working_days"), f"{what}.working_days")),
        )
    else:
        raise ValueError(f"{what}: expected {{holidays: {{date: name}}, working_days: [dates]}}")
    for d in [*o.holidays, *o.working_days]:
        if d.year != year:
            raise ValueError(f"{what}: {d.isoformat()} is not in {year}")
    return o


def _rows(rows: Any) -> list[tuple[Any, ...]]:
    """`special_public_holidays` values are one tuple or a tuple of tuples."""
    if rows and isinstance(rows, tuple) and not isinstance(rows[0], tuple):
        return [rows]
    return list(rows or ())


def check_number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what}: expected a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what}: expected a number >= 0, got {value!r}")
    return value
