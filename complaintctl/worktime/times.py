"""Reading and writing instants. The current time is always passed in; nothing here reads the clock
except `system_now`, which only the CLI calls."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t

_RELATIVE = re.compile(r"^(?P<day>today|yesterday|now)(?:\s+(?P<clock>\d{1,2}:\d{2}(?::\d{2})?))?$")
_AGO = re.compile(r"^-(?P<n>\d+)(?P<unit>[mhd])$")
_CLOCK_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def system_now() -> datetime:
    return datetime.now(UTC)


def format_instant(instant: datetime, tz: tzinfo | None = None) -> str:
    """ISO 8601 to the second, with the offset: the one way instants are written to records."""
    if tz is not None:
        instant = instant.astimezone(tz)
    return instant.replace(microsecond=0).isoformat()


def parse_instant(text: str, tz: tzinfo, now: datetime, *, field: str = "time") -> datetime:
    """Parse ISO 8601 or a usual human form; a time without an offset is in the store's zone.

    Accepted besides ISO 8601: `now`, `today 09:14`, `yesterday 18:00`, `09:14` (today), `-30m`, `-2h`,
    `-1d`, and what python-dateutil understands (`2026-11-20 16:00`, `Nov 20 2026 4pm`).
    """
    raw = str(text).strip()
    lowered = raw.lower()
    local_now = now.astimezone(tz)
    try:
        if match := _RELATIVE.match(lowered):
            day = local_now.date() - timedelta(days=1 if match["day"] == "yesterday" else 0)
            if match["day"] == "now" and not match["clock"]:
                return now
            clock = _parse_clock(match["clock"] or "00:00")
            return datetime.combine(day, clock, tzinfo=tz)
        if match := _AGO.match(lowered):
            unit = {"m": "minutes", "h": "hours", "d": "days"}[match["unit"]]
            return now - timedelta(**{unit: int(match["n"])})
        if _CLOCK_ONLY.match(lowered):
            return datetime.combine(local_now.date(), _parse_clock(lowered), tzinfo=tz)
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            from dateutil import parser as dateparser

            parsed = dateparser.parse(raw, default=local_now.replace(hour=0, minute=0, second=0,
                                                                     microsecond=0, tzinfo=None))
    except (ValueError, OverflowError) as error:
        raise UsageError(t("time.unreadable", field=field, value=raw)) from error
    if parsed.tzinfo is None:
        parsed = _localize(parsed, tz)
    return parsed


def parse_stored_instant(text: object) -> datetime:
    """An instant as written in a record: ISO 8601 with an offset. ValueError otherwise."""
    value = datetime.fromisoformat(str(text))
    if value.tzinfo is None:
        raise ValueError("no UTC offset")
    return value


def _parse_clock(text: str) -> time:
    hour, minute, *second = (int(part) for part in text.split(":"))
    return time(hour, minute, second[0] if second else 0)


def _localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach the store's zone to a wall time; in a DST gap or fold, take the first reading."""
    return naive.replace(tzinfo=tz, fold=0)


def describe_duration(seconds: float) -> str:
    """`2d 3h`, `45m`: compact, for tables."""
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m"
