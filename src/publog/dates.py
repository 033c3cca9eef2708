"""The one date parser: front matter values and file names -> dates and instants."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from typing import Any

DateValue = dt.date | dt.datetime

_FORMS = "2024-05-01, 2024-05-01 09:30 or 2024-05-01T09:30:00+02:00"
_ORDINAL = re.compile(r"(\d{4})-(\d{3})")
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_ ]|$)")


def parse_date(value: Any) -> tuple[DateValue | None, str | None]:
    """A front matter date -> (date or datetime, None), or (None, what is wrong)."""
    if isinstance(value, dt.datetime | dt.date):
        return value, None
    if not isinstance(value, str):
        return None, f"{value!r} is not a date; write it as {_FORMS}"
    text = value.strip()
    ordinal = _ORDINAL.fullmatch(text)
    if ordinal:  # ISO 8601 ordinal date, 2024-122
        year, day = map(int, ordinal.groups())
        if 1 <= day <= (366 if calendar.isleap(year) else 365):
            return dt.date(year, 1, 1) + dt.timedelta(days=day - 1), None
    if text.endswith("z"):
        text = text[:-1] + "Z"  # RFC 3339 allows either case
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text), None
        return dt.datetime.fromisoformat(text), None
    except ValueError:
        return None, f"{value!r} is not a valid date; write it as {_FORMS}"


def date_from_name(stem: str) -> dt.date | None:
    """The date of a `YYYY-MM-DD-slug` file name, if it starts with a valid one."""
    match = _NAME_DATE.match(stem)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def instant(value: DateValue, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A date or datetime as an aware datetime; naive ones are in the journal's timezone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    offset = value.utcoffset()
    if offset is not None and offset.seconds % 60:
        # Local mean time before time zones (Berlin before 1893: +00:53:28): no feed or page
        # format can write an offset with seconds, so such instants are written in UTC; on the first
        # day there is, where UTC is still the year 0, with the offset's seconds left out.
        try:
            value = value.astimezone(dt.timezone.utc)
        except OverflowError:
            value = value.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset // dt.timedelta(minutes=1))))
    # Pages allow at most milliseconds.
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def shifted(day: dt.date, delta: dt.timedelta) -> dt.date:
    """``day + delta``, or the first or last day there is when that would be past it: a window of
    weeks that would begin before the year 1 begins on its first day."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.min if delta < dt.timedelta(0) else dt.date.max


def iso(value: dt.datetime) -> str:
    """An instant as pages and feeds write it: to the second, or to the millisecond if it has them."""
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
