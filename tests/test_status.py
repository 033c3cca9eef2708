"""`publog status`: streaks against the cadence, what is waiting, and the figures for scripts."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from rich.console import Console

from conftest import entry

Files = dict[str, str | bytes]


def config(cadence: str = "weekly", timezone: str = "UTC", title: str = "Test journal") -> str:
    return f"title: {title}\ntimezone: {timezone}\ncadence: {cadence}\n"


def on(*dates: str, **meta: str) -> Files:
    """One entry on each date, named after it."""
    return {f"entries/{d[:10]}-n{n}.md": entry(f"Entry {n} of {d[:10]}", d, **meta) for n, d in enumerate(dates)}


@pytest.fixture
def status(journal: Callable[..., Path], publog: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """status(files, today) -> the --json figures; fails on a non-zero exit."""

    def run(files: Files, today: str, name: str = "journal") -> dict[str, Any]:
        root = journal(files, name)
        result = publog("status", root, "--json", "--today", today)
        assert result.code == 0, result.err
        found: dict[str, Any] = json.loads(result.out)
        return found

    return run


def test_status_weekly_streak_across_iso_week_53_and_the_new_year(status) -> None:
    found = status({"publog.yaml": config(), **on("2026-12-21", "2026-12-31", "2027-01-06")}, "2027-01-08")
    streak = found["streak"]
    assert (found["published"], streak["current"], streak["longest"]) == (3, 3, 3)
    assert streak["current_from"]["label"] == "2026-W52"
    assert streak["this_period"] == {"label": "2027-W01", "start": "2027-01-04", "end": "2027-01-10", "has_entry": True}
    assert streak["next_due"] == {"period": {"label": "2027-W02", "start": "2027-01-11", "end": "2027-01-17"},
                                  "by": "2027-01-17", "days_left": 9}
    assert (found["last_entry"], found["days_since_last"]) == ("2027-01-06", 2)


def test_status_weekly_streak_in_2020_which_has_53_iso_weeks(status) -> None:
    found = status({"publog.yaml": config(), **on("2020-12-24", "2020-12-28", "2021-01-04", "2021-01-11")}, "2021-01-13")
    assert found["streak"]["current"] == 4
    assert found["streak"]["current_from"]["label"] == "2020-W52"


def test_status_broken_streak_still_alive_before_the_period_ends(status, publog, journal) -> None:
    # 2026-W01 (29 December 2025) to W03, nothing in W04, then W05 and W06; today is in W07.
    files = {"publog.yaml": config(), **on("2025-12-29", "2026-01-07", "2026-01-18", "2026-01-26", "2026-02-08")}
    found = status(files, "2026-02-11")
    streak = found["streak"]
    assert (streak["current"], streak["longest"], streak["alive"], streak["at_risk"]) == (2, 3, True, True)
    assert (streak["longest_from"]["label"], streak["longest_to"]["label"]) == ("2026-W01", "2026-W03")
    assert streak["this_period"]["has_entry"] is False
    assert streak["next_due"]["by"] == "2026-02-15" and streak["next_due"]["days_left"] == 4
    assert found["days_since_last"] == 3
    assert "still alive" in streak["message"] and "Sunday 15 February 2026 (in 4 days)" in streak["message"]

    text = publog("status", journal(files, "again"), "--today", "2026-02-11").out
    assert "No entry yet this week (2026-W07): the streak of 2 weeks is still alive." in text
    assert "Next entry due by Sunday 15 February 2026 (in 4 days) to keep it." in text


def test_status_streak_over_when_a_whole_period_passed(status) -> None:
    found = status({"publog.yaml": config(), **on("2026-01-26", "2026-02-02")}, "2026-02-16")
    streak = found["streak"]
    assert (streak["current"], streak["alive"], streak["longest"], streak["current_from"]) == (0, False, 2, None)
    assert streak["next_due"]["by"] == "2026-02-22"
    assert "to start one" in streak["message"]


def test_status_daily_cadence_across_the_year_end(status) -> None:
    files = {"publog.yaml": config("daily"), **on("2025-12-29", "2025-12-30", "2025-12-31", "2026-01-01")}
    found = status(files, "2026-01-02")
    streak = found["streak"]
    assert (streak["current"], streak["at_risk"], streak["next_due"]["by"], streak["next_due"]["days_left"]) == (
        4, True, "2026-01-02", 0)
    assert "(today)" in streak["message"]
    met = status({**files, **on("2026-01-02T08:00:00")}, "2026-01-02", "met")
    assert (met["streak"]["current"], met["streak"]["next_due"]["by"]) == (5, "2026-01-03")


def test_status_biweekly_pairs_from_the_fixed_anchor(status) -> None:
    # Pairs 2026-W51/52, 2026-W53/2027-W01, 2027-W02/03: one entry in each.
    found = status({"publog.yaml": config("biweekly"), **on("2026-12-14", "2027-01-10", "2027-01-11")}, "2027-01-25")
    streak = found["streak"]
    assert streak["this_period"]["label"] == "2027-W04/05"
    assert streak["current_from"]["label"] == "2026-W51/52"
    assert (streak["current"], streak["at_risk"], streak["next_due"]["by"]) == (3, True, "2027-02-07")


def test_status_monthly_streak_across_the_year_boundary(status) -> None:
    found = status({"publog.yaml": config("monthly"), **on("2025-11-30", "2025-12-01", "2026-01-31")}, "2026-02-03")
    streak = found["streak"]
    assert (streak["current"], streak["this_period"]["label"], streak["next_due"]["by"]) == (3, "2026-02", "2026-02-28")


def test_status_default_cadence_is_weekly(status) -> None:
    assert status(on("2026-03-02"), "2026-03-04")["cadence"] == "weekly"


def test_status_periods_are_in_the_journal_timezone(status) -> None:
    # 23:30 on a Sunday in UTC is already Monday in Berlin: the next ISO week.
    files = {"publog.yaml": config("weekly", "Europe/Berlin"), **on("2026-03-08T23:30:00+00:00", "2026-03-16T10:00:00")}
    found = status(files, "2026-03-17")
    assert found["streak"]["current"] == 2
    assert found["recent"]["periods"][-2]["entries"] == 1
    in_utc = status({**files, "publog.yaml": config("weekly", "UTC")}, "2026-03-17", "utc")
    assert in_utc["streak"]["current"] == 1


def test_status_future_entries_are_scheduled_not_published(status) -> None:
    files = {"publog.yaml": config(), **on("2026-03-02", "2026-03-20"),
             "entries/later-today.md": entry("Later today", "2026-03-12T18:00:00")}
    found = status(files, "2026-03-11")
    assert found["published"] == 1
    assert [s["date"] for s in found["scheduled"]] == ["2026-03-12", "2026-03-20"]  # soonest first
    assert found["last_entry"] == "2026-03-02" and found["streak"]["this_period"]["has_entry"] is False
    assert sum(p["entries"] for p in found["recent"]["periods"]) == 1
    # As of the end of the 12th, the entry of 18:00 that day is out.
    assert status(files, "2026-03-12", "next day")["published"] == 2


def test_status_drafts_open_questions_and_stale_seedlings(status) -> None:
    files: Files = {
        "publog.yaml": config(),
        "entries/2026-03-01-draft.md": entry("A draft", "2026-03-01", draft="true"),
        "entries/2026-03-10-draft-question.md": entry("A draft question", "2026-03-10", draft="true", kind="question"),
        "entries/2025-11-01-open.md": entry("Still wondering", "2025-11-01", kind="question", status="open"),
        "entries/2025-11-02-by-default.md": entry("Open by default", "2025-11-02", kind="question"),
        "entries/2025-11-03-answered.md": entry("Solved", "2025-11-03", kind="question", status="answered",
                                                answer="https://example.org/answer"),
        # today is 2026-03-12: 90 days back is 2025-12-12.
        "entries/2025-06-01-old-seedling.md": entry("Old seedling", "2025-06-01", stage="seedling"),
        "entries/2025-12-12-ninety.md": entry("Ninety days", "2025-12-12", stage="Seedling"),
        "entries/2025-12-13-eighty-nine.md": entry("Eighty-nine days", "2025-12-13", stage="seedling"),
        "entries/2025-05-01-tended.md": entry("Tended", "2025-05-01", stage="seedling", updated="2026-02-01"),
        "entries/2025-05-02-budding.md": entry("Budding", "2025-05-02", stage="budding"),
        "entries/2025-07-01-in-progress.md": entry("A case in progress", "2025-07-01", kind="case-study",
                                                   status="in progress"),
        "entries/2025-07-02-future-seedling.md": entry("Not yet", "2026-04-01", stage="seedling"),
    }
    found = status(files, "2026-03-12")
    assert [d["title"] for d in found["drafts"]] == ["A draft", "A draft question"]
    assert [q["title"] for q in found["open_questions"]] == ["Still wondering", "Open by default"]
    stale = found["stale"]
    assert stale["after_days"] == 90
    assert [(s["title"], s["days"], s["why"]) for s in stale["entries"]] == [
        ("Old seedling", 284, "seedling"), ("A case in progress", 254, "in progress"), ("Ninety days", 90, "seedling"),
    ]
    assert found["open_questions"][0]["url"].endswith("/")


def test_status_counts_per_kind_and_topic_in_the_last_periods(status) -> None:
    files: Files = {
        "publog.yaml": config() + "topics:\n  sql: {name: SQL}\n",
        "entries/2026-02-10-old.md": entry("Too old", "2026-02-10", kind="til", tags="[sql]"),  # W07
        "entries/2026-02-16-a.md": entry("A", "2026-02-16", kind="til", tags="[sql, python]"),  # W08
        "entries/2026-03-03-b.md": entry("B", "2026-03-03", kind="til", tags="[sql]"),  # W10
        "entries/2026-03-04-c.md": entry("C", "2026-03-04", kind="failure", tags="[python]"),
        "entries/2026-03-09-d.md": entry("D", "2026-03-09", tags="[sql]"),  # W11, no kind
        "entries/2026-03-10-draft.md": entry("Draft", "2026-03-10", kind="til", draft="true", tags="[sql]"),
    }
    recent = status(files, "2026-03-12")["recent"]
    assert [(p["label"], p["entries"]) for p in recent["periods"]] == [
        ("2026-W08", 1), ("2026-W09", 0), ("2026-W10", 2), ("2026-W11", 1)]
    assert recent["kinds"] == [
        {"kind": "til", "name": "TIL", "counts": [1, 0, 1, 0], "total": 2},
        {"kind": "failure", "name": "Failure", "counts": [0, 0, 1, 0], "total": 1},
        {"kind": None, "name": "(no kind)", "counts": [0, 0, 0, 1], "total": 1},
    ]
    assert recent["topics"] == [
        {"topic": "sql", "name": "SQL", "counts": [1, 0, 1, 1], "total": 3},
        {"topic": "python", "name": "Python", "counts": [1, 0, 1, 0], "total": 2},
    ]
    monthly = status({**files, "publog.yaml": config("monthly")}, "2026-03-12", "monthly")["recent"]
    assert [(p["label"], p["entries"]) for p in monthly["periods"]] == [("2026-01", 0), ("2026-02", 2), ("2026-03", 3)]


def test_status_json_is_complete(status) -> None:
    found = status({"publog.yaml": config(), **on("2026-03-02")}, "2026-03-12")
    assert set(found) == {"title", "timezone", "today", "now", "cadence", "published", "last_entry", "days_since_last",
                          "streak", "recent", "drafts", "open_questions", "stale", "scheduled"}
    assert set(found["streak"]) == {"current", "current_from", "longest", "longest_from", "longest_to", "alive",
                                    "at_risk", "this_period", "next_due", "message"}
    assert (found["title"], found["timezone"], found["today"]) == ("Test journal", "UTC", "2026-03-12")
    assert found["now"].startswith("2026-03-12T23:59:59")


def test_status_empty_journal(status) -> None:
    found = status({"publog.yaml": config(), "entries/.keep": ""}, "2026-03-12")
    assert (found["published"], found["last_entry"], found["days_since_last"]) == (0, None, None)
    assert found["streak"]["current"] == found["streak"]["longest"] == 0


def test_status_plain_text_when_not_a_terminal(journal, publog, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    root = journal({
        "publog.yaml": config(title="'[bold]Not markup[/bold]'"),
        **on("2026-03-02", "2026-03-10", kind="til", tags="[sql]"),
        "entries/2025-01-01-seed.md": entry("An old [seedling]", "2025-01-01", stage="seedling"),
        "entries/2026-03-11-draft.md": entry('"Draft :smile:"', "2026-03-11", draft="true"),
    })
    result = publog("status", root, "--today", "2026-03-12")
    assert result.code == 0 and result.err == "", result.err
    out = result.out
    assert "\x1b" not in out and "─" not in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert "[bold]Not markup[/bold] — status on Thursday 12 March 2026 (UTC)" in out
    for line in ("Published       3 entries", "Cadence         weekly (goal: an entry every week)",
                 "Current streak  2 weeks (since 2026-W10)", "Last entry      10 March 2026, 2 days ago",
                 "Next entry      This week (2026-W11) has an entry: the streak is 2 weeks. "
                 "Next entry due in 2026-W12, by Sunday 22 March 2026 (in 10 days).",
                 "Kinds, last 4 weeks (16 February 2026 to 15 March 2026)",
                 "  11 March 2026  Draft :smile:  entries/2026-03-11-draft.md",
                 "Seedlings and work in progress not updated for 90 days or more (1)",
                 "  1 January 2025 (435 days)  An old [seedling] [seedling]  entries/2025-01-01-seed.md",
                 "Open questions: none"):
        assert line in out.splitlines(), line
    assert "TIL" in out and "Sql" in out


def test_status_colours_on_a_terminal(journal) -> None:
    from publog.run.build import Options, build
    from publog.learning.status import end_of_day, of_journal, show

    root = journal({"publog.yaml": config(), **on("2026-03-02")})
    built = build(root, Options(check_only=True, drafts=True, future=True))
    assert built.journal is not None
    found = of_journal(built.journal, end_of_day(dt.date(2026, 3, 12), built.journal.config.zone))
    screen = io.StringIO()
    show(found, Console(file=screen, force_terminal=True, color_system="standard", width=100))
    assert "\x1b[" in screen.getvalue() and "Current streak" in screen.getvalue()


def test_status_invalid_cadence_is_a_config_error(journal, publog) -> None:
    root = journal({"publog.yaml": "title: T\ncadence: fortnightly\n", **on("2026-03-02")})
    result = publog("status", root)
    assert result.code == 1
    assert ("publog.yaml:2: 'cadence' must be one of daily, weekly, biweekly, monthly, not 'fortnightly'"
            in result.problems)
    assert publog("check", root).code == 1


def test_status_shows_problems_like_check_and_still_reports(journal, publog) -> None:
    root = journal({"publog.yaml": config(), **on("2026-03-02"),
                    "entries/2026-03-03-odd.md": entry("Odd", "2026-03-03", kind="poem")})
    result = publog("status", root, "--json", "--today", "2026-03-12")
    assert result.code == 0
    assert any(p.startswith("entries/2026-03-03-odd.md:4: unknown kind 'poem'") for p in result.problems)
    assert json.loads(result.out)["published"] == 2
    assert result.problems == publog("check", root).problems


def test_status_usage_errors(journal, publog, tmp_path: Path) -> None:
    assert publog("status", tmp_path / "missing").code == 2
    bad = publog("status", journal(on("2026-03-02")), "--today", "12/03/2026")
    assert bad.code == 2 and "is not a date" in bad.err
