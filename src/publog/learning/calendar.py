"""A contribution calendar: a year of entries per day as a grid, drawn as inline SVG.

The grid has 53 columns, one per ISO week (Monday at the top, Sunday at the
bottom); the last column holds the ``end`` day and no cell is drawn after it, so
it shows 365 to 371 days. It is a pure function of the entries per day and the
end day: no JavaScript, no clock, the same bytes for the same inputs.

Styling: the ``<svg>`` has the class ``publog-calendar``; each day is a
``<rect class="cal-lN">`` with N from 0 (no entry) to 4 (see ``level``),
inside a ``<g>`` per week (all of them: ``.publog-calendar rect``); month
names are ``<text class="cal-month">`` and weekday names
``<text class="cal-weekday">``. The SVG's own ``<style>`` gives the levels
default colours (``FILLS``) with zero specificity, so any rule of a theme,
such as ``.publog-calendar .cal-l4 { fill: purple }``, overrides them.

The SVG is an image to assistive technology (role="img" with a label); the
``months`` of a ``Calendar`` are its text alternative, to show beside it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping
from html import escape

from ..read.dates import shifted

WEEKS = 53
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")
# Level N is for days with at least LEVELS[N] entries; fixed, so a day's colour never
# depends on the busiest day of the year and the output changes only where counts do.
LEVELS = (0, 1, 2, 3, 5)
FILLS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")  # defaults a theme may override

# Default colours with zero specificity (:where), so that any rule of a theme wins
# whatever its order; one rule per level rather than a fill on each of ~370 cells.
_STYLE = "<style>" + "".join(f":where(.publog-calendar .cal-l{n}){{fill:{c}}}" for n, c in enumerate(FILLS)) + "</style>"

_CELL, _GAP = 10, 3
_STEP = _CELL + _GAP
_LEFT, _TOP = 30, 16  # room for weekday and month names


@dataclass(frozen=True)
class Day:
    date: dt.date
    count: int
    level: int  # 0 to 4

    @property
    def text(self) -> str:
        """'3 entries on 12 March 2026', as the cell's tooltip says."""
        many = "No entries" if self.count == 0 else "1 entry" if self.count == 1 else f"{self.count} entries"
        return f"{many} on {long_date(self.date)}"


@dataclass(frozen=True)
class Month:
    """The part of one calendar month that the grid shows: the text alternative's rows."""

    year: int
    month: int
    first: dt.date  # first and last day of the month inside the grid
    last: dt.date
    entries: int
    days: int  # days with at least one entry

    @property
    def name(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class Calendar:
    """Entries per day over the 53 ISO weeks that end with the week of ``end``."""

    start: dt.date  # a Monday
    end: dt.date
    weeks: tuple[tuple[Day, ...], ...]  # WEEKS columns, each Monday first; the last may be shorter
    months: tuple[Month, ...]  # oldest first, each month the grid touches, empty ones too

    @property
    def total(self) -> int:
        return sum(m.entries for m in self.months)

    @property
    def label(self) -> str:
        """'42 entries from 10 March 2025 to 12 March 2026', the image's accessible name."""
        many = "1 entry" if self.total == 1 else f"{self.total} entries"
        return f"{many} from {long_date(self.start)} to {long_date(self.end)}"


def long_date(day: dt.date) -> str:
    """12 March 2026: the same in every locale, unlike strftime's %B."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def level(count: int) -> int:
    """0 for no entry, 1 for one, 2 for two, 3 for three or four, 4 for five or more."""
    return max(n for n, least in enumerate(LEVELS) if count >= least)


def day_counts(days: Iterable[dt.date]) -> dict[dt.date, int]:
    """Entries per day, from the local day of each entry (repeats counted)."""
    return dict(Counter(days))


def contributions(counts: Mapping[dt.date, int], end: dt.date) -> Calendar:
    """The grid of the 53 ISO weeks ending with the week of ``end``; days after
    ``end`` are left out, counts outside the grid ignored."""
    start = shifted(end, -dt.timedelta(days=end.weekday(), weeks=WEEKS - 1))
    columns = []
    for week in range(WEEKS):
        monday = start + dt.timedelta(weeks=week)
        days = (monday + dt.timedelta(days=n) for n in range(min(7, (end - monday).days + 1)))  # none after end
        columns.append(tuple(Day(d, counts.get(d, 0), level(counts.get(d, 0))) for d in days if d <= end))
    return Calendar(start, end, tuple(columns), _months([d for column in columns for d in column]))


def _months(days: list[Day]) -> tuple[Month, ...]:
    groups: dict[tuple[int, int], list[Day]] = {}
    for day in days:
        groups.setdefault((day.date.year, day.date.month), []).append(day)
    return tuple(
        Month(year, month, group[0].date, group[-1].date, sum(d.count for d in group), sum(1 for d in group if d.count))
        for (year, month), group in sorted(groups.items())
    )


def svg(calendar: Calendar, label: str | None = None) -> str:
    """The calendar as one ``<svg>`` element for inline use in HTML (or as a .svg file):
    at most 371 cells, each with a ``<title>`` tooltip; ``label`` replaces the
    accessible name (``Calendar.label``). Deterministic; about 40 KB."""
    name = label if label is not None else calendar.label
    width = _LEFT + WEEKS * _STEP - _GAP
    height = _TOP + 7 * _STEP - _GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="publog-calendar" role="img" aria-label="{escape(name)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="9">',
        f"<title>{escape(name, quote=False)}</title>",
        _STYLE,
    ]
    for row, weekday in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(f'<text class="cal-weekday" x="0" y="{_TOP + row * _STEP + _CELL - 1}">{weekday}</text>')
    parts += _month_labels(calendar)
    for column, week in enumerate(calendar.weeks):
        # A group per week, so that each of the ~370 cells need not repeat its x.
        parts.append(f'<g transform="translate({_LEFT + column * _STEP} {_TOP})">')
        parts += (
            f'<rect class="cal-l{day.level}" y="{day.date.weekday() * _STEP}" width="{_CELL}" height="{_CELL}">'
            f"<title>{day.text}</title></rect>"
            for day in week
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _month_labels(calendar: Calendar) -> list[str]:
    """A month's short name above the column holding its first day; the first column is
    named too when the next name is far enough away not to overlap it."""
    named = [
        (column, next(d.date for d in week if d.date.day == 1))
        for column, week in enumerate(calendar.weeks)
        if any(d.date.day == 1 for d in week)
    ]
    if not named or named[0][0] >= 3:
        named.insert(0, (0, calendar.weeks[0][0].date))
    return [
        f'<text class="cal-month" x="{_LEFT + column * _STEP}" y="{_TOP - 5}">{MONTH_NAMES[day.month - 1][:3]}</text>'
        for column, day in named
    ]
