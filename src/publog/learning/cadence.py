"""Showing up regularly: calendar periods, streaks of periods with an entry, and ISO weeks.

Everything here is a pure function of days (``datetime.date`` in the journal's
timezone), a cadence and "today", so a caller can fingerprint its inputs.

Periods, for each cadence:

- daily: calendar days.
- weekly: ISO 8601 weeks, Monday to Sunday. A week belongs to the ISO year of
  its Thursday, so 2026-W53 (28 December 2026 to 3 January 2027) exists, and
  29 December 2025 is in 2026-W01.
- biweekly: consecutive pairs of ISO weeks counted from a fixed anchor, the
  Monday of ISO week 1 of 2001 (1 January 2001). Every pair starts on a Monday
  an even number of weeks after the anchor, whatever the journal holds, so a
  pair never shifts as the journal grows; pairs run across ISO years freely
  (2026-W53 and 2027-W01 make one pair).
- monthly: calendar months.

Streaks: a period "meets the cadence" when at least one published entry is
dated in it. The longest streak is the longest run of consecutive periods that
meet it, over the whole history. The current streak counts back from the
period holding today: if today's period has an entry already, the run ends
there; if it has none yet but the previous period had one, the streak is still
alive (the author has until the last day of this period) and the run ends at
the previous period; otherwise it is 0.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Generic, Iterable, Protocol, TypeVar

CADENCES = ("daily", "weekly", "biweekly", "monthly")
DEFAULT_CADENCE = "weekly"
# A Monday starting ISO week 1 of its year: biweekly pairs are counted from it, forever.
BIWEEKLY_ANCHOR = dt.date(2001, 1, 1)

_UNIT = {"daily": "day", "weekly": "week", "biweekly": "fortnight", "monthly": "month"}


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period of a cadence: from ``start`` to ``end``, both days included.

    ``index`` numbers the periods of a cadence so that consecutive periods differ by 1.
    """

    cadence: str
    index: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """2026-03-12, 2026-W05, 2026-W05/06 (2026-W53/2027-W01 across years), 2026-03."""
        if self.cadence == "daily":
            return self.start.isoformat()
        if self.cadence == "monthly":
            return f"{self.start:%Y-%m}"
        first = self.start.isocalendar()
        if self.cadence == "weekly":
            return f"{first.year}-W{first.week:02d}"
        second = (self.start + dt.timedelta(weeks=1)).isocalendar()
        tail = f"{second.week:02d}" if second.year == first.year else f"{second.year}-W{second.week:02d}"
        return f"{first.year}-W{first.week:02d}/{tail}"

    @property
    def unit(self) -> str:
        """What one period is called in a sentence: day, week, fortnight, month."""
        return _UNIT[self.cadence]


def _check(cadence: str) -> None:
    if cadence not in CADENCES:
        raise ValueError(f"unknown cadence {cadence!r}; use one of {', '.join(CADENCES)}")


def period_index(day: dt.date, cadence: str) -> int:
    """The number of the period of ``cadence`` holding ``day``; the next period's is one more."""
    _check(cadence)
    if cadence == "daily":
        return day.toordinal()
    if cadence == "monthly":
        return day.year * 12 + day.month - 1
    monday = day - dt.timedelta(days=day.weekday())
    weeks = (monday - BIWEEKLY_ANCHOR).days // 7
    return weeks if cadence == "weekly" else weeks // 2


def period(index: int, cadence: str) -> Period:
    """The period of ``cadence`` numbered ``index`` (the inverse of ``period_index``)."""
    _check(cadence)
    if cadence == "daily":
        day = dt.date.fromordinal(min(index, dt.date.max.toordinal()))
        return Period(cadence, index, day, day)
    if cadence == "monthly":
        year, month = divmod(index, 12)
        if year > dt.MAXYEAR:
            return Period(cadence, index, dt.date.max, dt.date.max)
        start = dt.date(year, month + 1, 1)
        if year == dt.MAXYEAR and month == 11:
            return Period(cadence, index, start, dt.date.max)
        following = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
        return Period(cadence, index, start, following - dt.timedelta(days=1))
    weeks = 1 if cadence == "weekly" else 2
    try:
        start = BIWEEKLY_ANCHOR + dt.timedelta(weeks=index * weeks)
    except OverflowError:  # the period after the last one of year 9999: the calendar's last day stands in
        return Period(cadence, index, dt.date.max, dt.date.max)
    try:
        end = start + dt.timedelta(weeks=weeks, days=-1)
    except OverflowError:  # the last week of year 9999 ends after the calendar does
        end = dt.date.max
    return Period(cadence, index, start, end)


def period_of(day: dt.date, cadence: str) -> Period:
    """The period of ``cadence`` that holds ``day``."""
    return period(period_index(day, cadence), cadence)


def local_day(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    """The calendar day of ``moment`` in ``zone``; at the very ends of the calendar, the day as written."""
    try:
        return moment.astimezone(zone).date()
    except OverflowError:
        return moment.date()


@dataclass(frozen=True)
class Streaks:
    """How regularly the author has shown up, as of ``today``; see the module's docstring.

    ``due`` is the period in which the next entry is needed to keep the current
    streak (or to start one): this period if it has no entry yet, else the next one.
    ``due_by`` is its last day.
    """

    cadence: str
    today: dt.date
    this_period: Period
    met: bool  # this period has an entry already
    current: int
    current_from: Period | None  # first period of the current streak
    longest: int
    longest_from: Period | None  # the most recent longest run, first and last period
    longest_to: Period | None
    last_entry: dt.date | None
    due: Period

    @property
    def alive(self) -> bool:
        return self.current > 0

    @property
    def at_risk(self) -> bool:
        """The streak goes on only if an entry comes before this period ends."""
        return self.current > 0 and not self.met

    @property
    def days_since_last(self) -> int | None:
        return None if self.last_entry is None else (self.today - self.last_entry).days

    @property
    def due_by(self) -> dt.date:
        return self.due.end

    @property
    def days_left(self) -> int:
        """Days after today until ``due_by``: 0 when the entry is due today."""
        return (self.due.end - self.today).days


def streaks(days: Iterable[dt.date], cadence: str, today: dt.date) -> Streaks:
    """The streaks of ``cadence`` made by entries on ``days`` (local days of published
    entries, in any order, repeats allowed); days after ``today`` are ignored."""
    seen = sorted({d for d in days if d <= today})
    indices = sorted({period_index(d, cadence) for d in seen})
    here = period_index(today, cadence)
    filled = set(indices)

    longest, longest_end, run, previous = 0, None, 0, None
    for index in indices:
        run = run + 1 if previous is not None and index == previous + 1 else 1
        if run >= longest:  # ">=": of equal runs, the most recent one
            longest, longest_end = run, index
        previous = index

    met = here in filled
    end = here if met else here - 1
    current = 0
    while end - current in filled:
        current += 1
    return Streaks(
        cadence=cadence,
        today=today,
        this_period=period(here, cadence),
        met=met,
        current=current,
        current_from=period(end - current + 1, cadence) if current else None,
        longest=longest,
        longest_from=period(longest_end - longest + 1, cadence) if longest_end is not None else None,
        longest_to=period(longest_end, cadence) if longest_end is not None else None,
        last_entry=seen[-1] if seen else None,
        due=period(here + 1 if met else here, cadence),
    )


class Dated(Protocol):
    @property
    def date(self) -> dt.datetime: ...


D = TypeVar("D", bound=Dated)


@dataclass(frozen=True)
class Week(Generic[D]):
    """The entries of one ISO week, for a weekly digest page."""

    year: int  # the ISO year, which differs from the calendar year around 1 January
    week: int  # 1 to 53
    monday: dt.date
    sunday: dt.date
    entries: tuple[D, ...]  # newest first

    @property
    def slug(self) -> str:
        """2026-w05: lower case, zero-padded, so week pages sort by name."""
        return f"{self.year}-w{self.week:02d}"

    @property
    def url(self) -> str:
        return week_url(self.year, self.week)


def week_url(year: int, week: int) -> str:
    """The site path of an ISO week's digest page, such as /weeks/2026-w05/."""
    return f"/weeks/{year}-w{week:02d}/"


def weeks(entries: Iterable[D], zone: zoneinfo.ZoneInfo) -> list[Week[D]]:
    """``entries`` grouped by the ISO week of their date in ``zone``: newest week first,
    only weeks that have entries, each week's entries newest first (equal dates keep
    the order they came in)."""
    groups: dict[tuple[int, int], list[D]] = {}
    for item in sorted(entries, key=lambda e: e.date, reverse=True):
        iso = local_day(item.date, zone).isocalendar()
        groups.setdefault((iso.year, iso.week), []).append(item)
    found = []
    for (year, number), members in sorted(groups.items(), reverse=True):
        monday = dt.date.fromisocalendar(year, number, 1)
        sunday = monday + dt.timedelta(days=6) if monday < dt.date.max - dt.timedelta(days=6) else dt.date.max
        found.append(Week(year, number, monday, sunday, tuple(members)))
    return found
