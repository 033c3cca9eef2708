"""What the site shows of showing up: the streak, the contribution calendar, weekly digests,
growth stages.

Measured up to the newest entry rather than the clock, so the same journal always
builds the same pages; `publog status` is where "today" counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping, Sequence

from markupsafe import Markup

from . import cadence, calendar
from ..journal.model import Entry, Journal
from ..read.dates import iso
from ..problems import Problem, error

STAGES = ("seedling", "budding", "evergreen")
STAGE_LABELS = {"seedling": "Seedling", "budding": "Budding", "evergreen": "Evergreen"}


def stage_of(entry: Entry) -> str | None:
    stage = entry.extra.get("stage")
    return stage.strip().lower() if isinstance(stage, str) and stage.strip().lower() in STAGES else None


def stage_problems(entries: Sequence[Entry]) -> list[Problem]:
    return [
        error(e.path, e.lines.get("stage", 1), f"'stage' must be one of {', '.join(STAGES)}, not {e.extra['stage']!r}")
        for e in entries if "stage" in e.extra and stage_of(e) is None
    ]


def _days(journal: Journal) -> list[dt.date]:
    zone = journal.config.zone
    return [cadence.local_day(e.date, zone) for e in journal.entries if not e.draft]


def streak(journal: Journal) -> dict[str, Any] | None:
    """The streak as of the newest entry: how many periods in a row met the cadence."""
    days = _days(journal)
    if not days:
        return None
    found = cadence.streaks(days, journal.config.cadence, max(days))
    unit = found.this_period.unit
    return {"current": found.current, "longest": found.longest, "unit": unit, "cadence": journal.config.cadence,
            "text": f"{found.current} {unit}{'' if found.current == 1 else 's'} in a row with an entry"
                    f" (longest: {found.longest})"}


def contribution_calendar(journal: Journal) -> dict[str, Any] | None:
    """The last twelve months of entries, ending with the newest: an SVG and its text alternative."""
    days = _days(journal)
    if not days:
        return None
    grid = calendar.contributions(calendar.day_counts(days), max(days))
    return {"svg": Markup(calendar.svg(grid)), "label": grid.label,
            "months": [{"name": m.name, "entries": m.entries, "days": m.days} for m in grid.months]}


def digests(journal: Journal) -> list[cadence.Week[Entry]]:
    """A week per ISO week with entries, newest first; drafts are never in a digest."""
    return cadence.weeks([e for e in journal.entries if not e.draft], journal.config.zone)


def week_title(week: cadence.Week[Any]) -> str:
    return f"Week {week.week} of {week.year}"


def week_span(week: cadence.Week[Any]) -> str:
    return f"{calendar.long_date(week.monday)} to {calendar.long_date(week.sunday)}"


def by_stage(entries: Sequence[Entry], teaser: Callable[[str], Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Entries grouped by growth stage, the most recently tended first in each."""
    groups = []
    for stage in STAGES:
        members = sorted((e for e in entries if stage_of(e) == stage), key=lambda e: (-(e.updated or e.date).timestamp(), e.path))
        if members:
            groups.append({"stage": stage, "label": STAGE_LABELS[stage],
                           "entries": [{**teaser(e.path), "tended": calendar.long_date((e.updated or e.date).date())}
                                       for e in members]})
    return groups


def recently_tended(entries: Sequence[Entry], teaser: Callable[[str], Mapping[str, Any]], count: int) -> list[dict[str, Any]]:
    """The ``count`` entries last tended (updated, else written) most recently, with their stage and summary:
    what a digital garden's entrance shows first."""
    tended = sorted(entries, key=lambda e: (-(e.updated or e.date).timestamp(), e.path))[:count]
    return [{**teaser(e.path), "stage": stage_of(e), "summary": e.summary, "tended_iso": iso(e.updated or e.date),
             "tended_text": calendar.long_date((e.updated or e.date).date())} for e in tended]
