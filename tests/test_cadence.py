"""Periods, streaks and ISO weeks: the calendar arithmetic behind `publog status` and the week pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest

from publog.learning.cadence import CADENCES, period, period_index, period_of, streaks, week_url, weeks

D = dt.date.fromisoformat


def days(*texts: str) -> list[dt.date]:
    return [D(t) for t in texts]


@pytest.mark.parametrize(
    "day, cadence, label, start, end",
    [
        ("2026-03-12", "daily", "2026-03-12", "2026-03-12", "2026-03-12"),
        ("2026-03-12", "weekly", "2026-W11", "2026-03-09", "2026-03-15"),
        ("2026-12-31", "weekly", "2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-01-03", "weekly", "2026-W53", "2026-12-28", "2027-01-03"),
        ("2020-12-31", "weekly", "2020-W53", "2020-12-28", "2021-01-03"),
        ("2025-12-29", "weekly", "2026-W01", "2025-12-29", "2026-01-04"),
        ("2001-01-01", "biweekly", "2001-W01/02", "2001-01-01", "2001-01-14"),
        ("2000-12-31", "biweekly", "2000-W51/52", "2000-12-18", "2000-12-31"),
        ("2026-01-05", "biweekly", "2026-W01/02", "2025-12-29", "2026-01-11"),
        ("2027-01-04", "biweekly", "2026-W53/2027-W01", "2026-12-28", "2027-01-10"),
        ("2024-02-29", "monthly", "2024-02", "2024-02-01", "2024-02-29"),
        ("2026-12-31", "monthly", "2026-12", "2026-12-01", "2026-12-31"),
    ],
)
def test_cadence_periods(day: str, cadence: str, label: str, start: str, end: str) -> None:
    found = period_of(D(day), cadence)
    assert (found.label, found.start, found.end) == (label, D(start), D(end))


@pytest.mark.parametrize("cadence", CADENCES)
def test_cadence_periods_follow_each_other_without_gaps(cadence: str) -> None:
    day = D("2019-11-01")
    while day < D("2028-03-01"):
        here = period_of(day, cadence)
        after = period(here.index + 1, cadence)
        assert after.start == here.end + dt.timedelta(days=1)
        assert period_index(here.start, cadence) == period_index(here.end, cadence) == here.index
        assert here.start <= day <= here.end
        day += dt.timedelta(days=5)


def test_cadence_biweekly_pairs_never_depend_on_the_entries() -> None:
    # The anchor is fixed: a pair starting on 2026-12-28 does so whatever came before.
    alone = streaks(days("2027-01-09"), "biweekly", D("2027-01-09"))
    assert alone.this_period.start == D("2026-12-28")
    many = streaks(days("2001-01-02", "2013-06-06", "2027-01-09"), "biweekly", D("2027-01-09"))
    assert many.this_period == alone.this_period


def test_cadence_unknown_cadence_is_a_bug() -> None:
    with pytest.raises(ValueError, match="daily, weekly, biweekly, monthly"):
        period_of(D("2026-01-01"), "yearly")


def test_cadence_weekly_streak_runs_through_iso_week_53_and_the_new_year() -> None:
    found = streaks(days("2026-12-21", "2026-12-31", "2027-01-06"), "weekly", D("2027-01-06"))
    assert (found.current, found.longest, found.met) == (3, 3, True)
    assert found.current_from is not None and found.current_from.label == "2026-W52"
    assert found.due.label == "2027-W02" and found.due_by == D("2027-01-17")

    # 2020 has 53 ISO weeks too; a week with no entry (2020-W52) breaks the run.
    found = streaks(days("2020-12-16", "2021-01-02", "2021-01-04"), "weekly", D("2021-01-04"))
    assert (found.current, found.longest) == (2, 2)
    assert found.current_from is not None and found.current_from.label == "2020-W53"


def test_cadence_streak_alive_until_the_end_of_the_period() -> None:
    entries = days("2026-02-02", "2026-02-09", "2026-02-16")  # three Mondays: W06, W07, W08
    wednesday = streaks(entries, "weekly", D("2026-02-25"))  # W09, no entry yet
    assert (wednesday.current, wednesday.met, wednesday.alive, wednesday.at_risk) == (3, False, True, True)
    assert wednesday.due_by == D("2026-03-01") and wednesday.days_left == 4
    assert wednesday.days_since_last == 9

    sunday = streaks(entries, "weekly", D("2026-03-01"))
    assert sunday.days_left == 0 and sunday.current == 3

    next_monday = streaks(entries, "weekly", D("2026-03-02"))  # W09 passed without an entry
    assert (next_monday.current, next_monday.alive, next_monday.longest) == (0, False, 3)
    assert next_monday.current_from is None
    assert next_monday.due_by == D("2026-03-08")


def test_cadence_broken_streaks_and_the_longest_run() -> None:
    entries = days("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-05", "2026-01-06", "2026-01-06")
    found = streaks(entries, "daily", D("2026-01-07"))
    assert (found.current, found.longest, found.met) == (2, 3, False)
    assert found.longest_from is not None and found.longest_to is not None
    assert (found.longest_from.start, found.longest_to.start) == (D("2026-01-01"), D("2026-01-03"))
    assert found.due_by == D("2026-01-07") and found.days_left == 0


def test_cadence_longest_of_equal_runs_is_the_most_recent() -> None:
    found = streaks(days("2026-01-15", "2026-02-15", "2026-05-15", "2026-06-15"), "monthly", D("2026-09-01"))
    assert found.longest == 2 and found.longest_from is not None and found.longest_from.label == "2026-05"


def test_cadence_monthly_and_biweekly_across_the_year_boundary() -> None:
    monthly = streaks(days("2025-11-30", "2025-12-01", "2026-01-31"), "monthly", D("2026-02-03"))
    assert (monthly.current, monthly.at_risk, monthly.due_by) == (3, True, D("2026-02-28"))

    # Pairs 2026-W51/52, 2026-W53/2027-W01, 2027-W02/03.
    biweekly = streaks(days("2026-12-14", "2027-01-10", "2027-01-11"), "biweekly", D("2027-01-20"))
    assert (biweekly.current, biweekly.met) == (3, True)
    assert biweekly.due.label == "2027-W04/05" and biweekly.due_by == D("2027-02-07")


def test_cadence_days_after_today_do_not_count() -> None:
    found = streaks(days("2026-03-02", "2026-03-20"), "weekly", D("2026-03-12"))
    assert found.last_entry == D("2026-03-02") and found.current == 1 and found.at_risk  # W11 has none yet


def test_cadence_no_entries_at_all() -> None:
    found = streaks([], "weekly", D("2026-03-12"))
    assert (found.current, found.longest, found.last_entry, found.days_since_last) == (0, 0, None, None)
    assert found.longest_from is None and found.due_by == D("2026-03-15")


@dataclass(frozen=True)
class Note:
    name: str
    date: dt.datetime


def test_cadence_weeks_group_by_iso_week_in_the_journal_timezone() -> None:
    utc = dt.timezone.utc
    notes = [
        Note("new year's eve", dt.datetime(2026, 12, 31, 12, tzinfo=utc)),  # 2026-W53
        Note("sunday night", dt.datetime(2027, 1, 3, 23, 30, tzinfo=utc)),  # 2027-W01 in Berlin, W53 in UTC
        Note("week one", dt.datetime(2027, 1, 5, 9, tzinfo=utc)),
        Note("2020 too", dt.datetime(2021, 1, 1, 9, tzinfo=utc)),  # 2020-W53
        Note("first of 2026", dt.datetime(2025, 12, 30, 9, tzinfo=utc)),  # 2026-W01
    ]
    found = weeks(notes, zoneinfo.ZoneInfo("Europe/Berlin"))
    assert [(w.year, w.week) for w in found] == [(2027, 1), (2026, 53), (2026, 1), (2020, 53)]  # newest first
    first = found[0]
    assert [n.name for n in first.entries] == ["week one", "sunday night"]  # newest first
    assert (first.monday, first.sunday) == (D("2027-01-04"), D("2027-01-10"))
    assert found[1].monday == D("2026-12-28") and found[1].sunday == D("2027-01-03")
    assert found[2].monday == D("2025-12-29")
    assert found[1].slug == "2026-w53" and found[1].url == "/weeks/2026-w53/"
    assert week_url(2026, 5) == "/weeks/2026-w05/"

    in_utc = weeks(notes, zoneinfo.ZoneInfo("UTC"))
    assert [n.name for n in in_utc[1].entries] == ["sunday night", "new year's eve"]


def test_cadence_weeks_of_nothing() -> None:
    assert weeks([], zoneinfo.ZoneInfo("UTC")) == []
