"""The contribution calendar: a year of entries per day as an inline SVG grid."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from publog.learning import calendar

D = dt.date.fromisoformat
SVG = "{http://www.w3.org/2000/svg}"


def cells(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(SVG + "rect"))


def test_cadence_calendar_counts_levels_and_tooltips() -> None:
    counts = calendar.day_counts(days for days in [D("2026-03-12")] * 3 + [D("2026-03-01"), D("2025-03-10")])
    counts[D("2026-02-02")] = 7
    counts[D("2024-01-01")] = 4  # before the grid: ignored
    grid = calendar.contributions(counts, D("2026-03-12"))
    svg = calendar.svg(grid)
    rects = cells(svg)
    titles = {r.find(SVG + "title").text: r.get("class") for r in rects}  # type: ignore[union-attr]
    assert titles["3 entries on 12 March 2026"] == "cal-l3"
    assert titles["1 entry on 1 March 2026"] == "cal-l1"
    assert titles["7 entries on 2 February 2026"] == "cal-l4"
    assert titles["1 entry on 10 March 2025"] == "cal-l1"  # the first cell: the Monday of 53 weeks back
    assert titles["No entries on 11 March 2026"] == "cal-l0"
    assert len(rects) == 53 * 7 - 3  # Friday to Sunday of this week are not drawn
    assert sum(r.get("class") != "cal-l0" for r in rects) == 4
    assert grid.total == 3 + 1 + 1 + 7 and grid.start == D("2025-03-10")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("class") == "publog-calendar"
    assert root.get("aria-label") == "12 entries from 10 March 2025 to 12 March 2026"
    assert root.find(SVG + "title").text == root.get("aria-label")  # type: ignore[union-attr]
    assert "script" not in svg.lower()


@pytest.mark.parametrize("end", ["2026-03-15", "2026-03-09", "2026-12-31", "2027-01-03", "2020-12-31", "2024-02-29"])
def test_cadence_calendar_grid_is_53_weeks_of_7_days_at_most(end: str) -> None:
    grid = calendar.contributions({}, D(end))
    assert len(grid.weeks) == 53
    assert all(len(week) == 7 for week in grid.weeks[:-1]) and 1 <= len(grid.weeks[-1]) <= 7
    assert grid.weeks[-1][-1].date == D(end)
    assert all(week[0].date.weekday() == 0 for week in grid.weeks)
    flat = [day.date for week in grid.weeks for day in week]
    assert flat == [grid.start + dt.timedelta(days=n) for n in range(len(flat))]  # every day once, in order
    rects = cells(calendar.svg(grid))
    assert len(rects) == len(flat) <= 53 * 7
    # Each cell sits in its weekday's row: one y per weekday.
    assert len({r.get("y") for r in rects}) == 7


def test_cadence_calendar_is_deterministic_and_small() -> None:
    busy = {D("2025-03-01") + dt.timedelta(days=n): n % 9 for n in range(400)}
    first = calendar.svg(calendar.contributions(busy, D("2026-03-12")))
    second = calendar.svg(calendar.contributions(dict(reversed(list(busy.items()))), D("2026-03-12")))
    assert first == second
    assert len(first.encode()) < 45_000
    classes = {r.get("class") for r in cells(first)}
    assert classes == {f"cal-l{n}" for n in range(5)}


def test_cadence_calendar_levels() -> None:
    assert [calendar.level(n) for n in range(8)] == [0, 1, 2, 3, 3, 4, 4, 4]


def test_cadence_calendar_month_labels_and_text_alternative() -> None:
    counts = {D("2026-01-01"): 2, D("2026-01-20"): 1, D("2025-12-31"): 1}
    grid = calendar.contributions(counts, D("2026-03-12"))
    months = [(m.name, m.entries, m.days, m.first, m.last) for m in grid.months]
    assert months[0] == ("March 2025", 0, 0, D("2025-03-10"), D("2025-03-31"))
    assert ("December 2025", 1, 1, D("2025-12-01"), D("2025-12-31")) in months
    assert ("January 2026", 3, 2, D("2026-01-01"), D("2026-01-31")) in months
    assert months[-1] == ("March 2026", 0, 0, D("2026-03-01"), D("2026-03-12"))
    assert len(months) == 13
    labels = [t.text for t in ET.fromstring(calendar.svg(grid)).iter(SVG + "text") if t.get("class") == "cal-month"]
    assert labels == ["Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    # Labels never overlap: at least three columns apart.
    xs = [float(t.get("x") or 0) for t in ET.fromstring(calendar.svg(grid)).iter(SVG + "text") if t.get("class") == "cal-month"]
    assert all(b - a >= 3 * 13 for a, b in zip(xs, xs[1:]))


def test_cadence_calendar_first_month_label_left_out_when_crowded() -> None:
    # The grid starts on 20 April 2026 and May in its second column: "Apr" would overlap "May".
    grid = calendar.contributions({}, D("2027-04-21"))
    assert grid.start == D("2026-04-20")
    labels = [t.text for t in ET.fromstring(calendar.svg(grid)).iter(SVG + "text") if t.get("class") == "cal-month"]
    assert labels[0] == "May"


def test_cadence_calendar_label_is_escaped() -> None:
    svg = calendar.svg(calendar.contributions({}, D("2026-03-12")), label='Maya\'s "year" & more <3')
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'Maya\'s "year" & more <3'
