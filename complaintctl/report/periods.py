"""Report periods: a month, a quarter, a year or any span, in the store's time zone, and the one before.

A period is [start, end): from local midnight of its first day to local midnight after its last day.
This is calendar arithmetic (relativedelta on dates), not working time: the store's Calendar counts
deadlines, a period only says which days a report covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from dateutil.relativedelta import MO, relativedelta

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t
from complaintctl.worktime.times import format_instant, parse_instant

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year or span
    first: date  # the first day
    after: date  # the day after the last day
    tz: tzinfo

    @property
    def start(self) -> datetime:
        return _midnight(self.first, self.tz)

    @property
    def end(self) -> datetime:
        return _midnight(self.after, self.tz)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year}"
        last = self.after + relativedelta(days=-1)
        return f"{self.first.isoformat()}..{last.isoformat()}"

    def previous(self) -> Period:
        """The period of the same kind just before: the previous month, quarter or year, or a span of
        as many days ending where this one starts."""
        if self.kind == "month":
            step = relativedelta(months=1)
        elif self.kind == "quarter":
            step = relativedelta(months=3)
        elif self.kind == "year":
            step = relativedelta(years=1)
        else:
            step = relativedelta(days=(self.after - self.first).days)
        return Period(self.kind, self.first - step, self.first, self.tz)

    def weeks(self) -> list[date]:
        """The Mondays starting each week that overlaps the period (for the weekly counts)."""
        monday = self.first + relativedelta(weekday=MO(-1))
        found = []
        while monday < self.after:
            found.append(monday)
            monday = monday + relativedelta(weeks=1)
        return found

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "kind": self.kind, "start": format_instant(self.start),
                "end": format_instant(self.end)}


def _midnight(day: date, tz: tzinfo) -> datetime:
    # Through the timestamp, as the calendar does: a midnight that does not exist (DST) is normalised.
    local = datetime.combine(day, time(0), tzinfo=tz)
    return datetime.fromtimestamp(local.timestamp(), tz)


def parse_period(text: str, tz: tzinfo) -> Period:
    """`2026-11`, `2026-Q3` (or `2026Q3`), `2026`."""
    raw = text.strip()
    if match := _MONTH.match(raw):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise UsageError(t("report.bad_period", value=text))
        first = date(year, month, 1)
        return Period("month", first, first + relativedelta(months=1), tz)
    if match := _QUARTER.match(raw):
        first = date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
        return Period("quarter", first, first + relativedelta(months=3), tz)
    if match := _YEAR.match(raw):
        first = date(int(match[1]), 1, 1)
        return Period("year", first, first + relativedelta(years=1), tz)
    raise UsageError(t("report.bad_period", value=text))


def span(since: str | None, until: str | None, tz: tzinfo, now: datetime) -> Period:
    """`--since DAY --until DAY`: whole days, `until` excluded (like `list --until`); a missing `since`
    is an error, a missing `until` means up to and including today."""
    if since is None:
        raise UsageError(t("report.no_period"))
    first = parse_instant(since, tz, now, field="--since").astimezone(tz).date()
    if until is None:
        after = now.astimezone(tz).date() + relativedelta(days=1)
    else:
        after = parse_instant(until, tz, now, field="--until").astimezone(tz).date()
    if after <= first:
        raise UsageError(t("report.empty_span", since=first.isoformat(), until=after.isoformat()))
    return Period("span", first, after, tz)


def choose(period: str | None, since: str | None, until: str | None, tz: tzinfo, now: datetime) -> Period:
    """The period the options name: `--period`, or `--since`/`--until`; not both."""
    if period is not None and (since is not None or until is not None):
        raise UsageError(t("report.period_and_span"))
    if period is not None:
        return parse_period(period, tz)
    return span(since, until, tz, now)
