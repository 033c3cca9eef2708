"""`publog status`: how the journal is doing against its cadence, and what is waiting.

``summarise`` is a pure function of each entry's ``Facts`` (dates, kind, topics,
stage, status, draft), the cadence, the timezone and "now"; ``show`` and
``to_json`` present its ``Status``. Streak semantics are those of ``cadence``.

Readings chosen here:

- Published: not a draft and dated at or before now. Entries dated later are
  "scheduled": listed, never counted.
- Open question: an entry whose kind has a status field (the built-in
  ``question``) and whose status is ``open``.
- Still growing: ``stage: seedling`` in front matter, or a free ``status:`` of
  "in progress" (also written in-progress or in_progress) on an entry whose
  kind has no status field of its own (a question's status can only be open or
  answered, and an open question is listed as such).
- Long ago: a growing entry is listed when its last update (``updated``, else
  its date) is ``STALE_AFTER_DAYS`` days or more before today.
- Recent: entries per kind and per topic in the last ``RECENT_PERIODS`` periods
  of the cadence, today's period included.

For tests and scripts, `publog status --today 2026-03-12` (left out of --help)
shows the status as of the last instant of that day in the journal's timezone.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .cadence import Period, Streaks, local_day, period, period_index, streaks
from .calendar import long_date
from ..journal.model import Entry, Journal
from ..settings.kinds import Kind

STALE_AFTER_DAYS = 90
RECENT_PERIODS = {"daily": 7, "weekly": 4, "biweekly": 4, "monthly": 3}
IN_PROGRESS = frozenset({"in progress", "in-progress", "in_progress"})
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Facts:
    """What the status needs to know of one entry, and nothing more, so it can be fingerprinted."""

    path: str
    title: str
    url: str
    date: dt.datetime
    updated: dt.datetime | None
    kind: str | None
    topics: tuple[str, ...]
    stage: str | None  # front matter 'stage', lower case
    status: str | None  # its kind's status field if it has one, else front matter 'status'; lower case
    asks: bool  # its kind has a status field: a question
    draft: bool


def facts(entry: Entry, kinds: Mapping[str, Kind]) -> Facts:
    """An entry's ``Facts``; ``kinds`` tells which kinds have a status field."""
    kind = kinds.get(entry.kind) if entry.kind else None
    asks = kind is not None and any(f.type == "status" for f in kind.fields)
    status = entry.fields.get("status") if asks else entry.extra.get("status")
    stage = entry.extra.get("stage")
    return Facts(
        path=entry.path, title=entry.title, url=entry.url, date=entry.date, updated=entry.updated,
        kind=entry.kind, topics=entry.topics,
        stage=stage.strip().lower() if isinstance(stage, str) else None,
        status=" ".join(status.split()).lower() if isinstance(status, str) else None,
        asks=asks, draft=entry.draft,
    )


@dataclass(frozen=True)
class Listed:
    """An entry as a line of the status: ``day`` is its date in the journal's timezone."""

    path: str
    title: str
    url: str
    day: dt.date


@dataclass(frozen=True)
class Stale:
    path: str
    title: str
    url: str
    tended: dt.date  # day of its last update, or of its date
    days: int  # since then
    why: str  # "seedling" or "in progress"


@dataclass(frozen=True)
class Tally:
    """Entries of one kind (or topic) in each recent period, oldest first."""

    key: str | None  # kind name or topic key; None: entries with no kind
    name: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Recent:
    periods: tuple[Period, ...]  # oldest first; the last one holds today
    entries: tuple[int, ...]  # published entries in each
    kinds: tuple[Tally, ...]  # most entries first
    topics: tuple[Tally, ...]


@dataclass(frozen=True)
class Status:
    title: str
    timezone: str
    now: dt.datetime
    published: int
    streaks: Streaks
    recent: Recent
    drafts: tuple[Listed, ...]  # oldest first: waiting longest
    open_questions: tuple[Listed, ...]  # oldest first
    stale: tuple[Stale, ...]  # untended longest first
    scheduled: tuple[Listed, ...]  # soonest first
    stale_after: int = STALE_AFTER_DAYS

    @property
    def today(self) -> dt.date:
        return self.streaks.today

    @property
    def cadence(self) -> str:
        return self.streaks.cadence


def end_of_day(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The last instant of ``day`` in ``zone``: "now" for a status as of that day."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=zone)


def of_journal(journal: Journal, now: dt.datetime) -> Status:
    """The status of an assembled journal (built with drafts and future entries) at ``now``."""
    config = journal.config
    return summarise(
        [facts(e, config.kinds) for e in journal.entries], config.cadence, config.zone, now,
        kind_names={name: kind.label for name, kind in config.kinds.items()},
        topic_names={t.key: t.name for t in journal.topics}, title=config.title,
    )


def summarise(
    entries: Iterable[Facts], cadence: str, zone: zoneinfo.ZoneInfo, now: dt.datetime,
    kind_names: Mapping[str, str] | None = None, topic_names: Mapping[str, str] | None = None, title: str = "",
) -> Status:
    """Everything `publog status` shows, as of ``now``; see the module's docstring for the readings."""
    today = local_day(now, zone)
    every = sorted(entries, key=lambda f: (f.date, f.path))
    published = [f for f in every if not f.draft and f.date <= now]

    def listed(f: Facts) -> Listed:
        return Listed(f.path, f.title, f.url, local_day(f.date, zone))

    stale = []
    for f in published:
        why = "seedling" if f.stage == "seedling" else "in progress" if not f.asks and f.status in IN_PROGRESS else None
        tended = local_day(f.updated or f.date, zone)
        if why and (today - tended).days >= STALE_AFTER_DAYS:
            stale.append(Stale(f.path, f.title, f.url, tended, (today - tended).days, why))
    return Status(
        title=title,
        timezone=zone.key,
        now=now,
        published=len(published),
        streaks=streaks((local_day(f.date, zone) for f in published), cadence, today),
        recent=_recent(published, cadence, zone, today, kind_names or {}, topic_names or {}),
        drafts=tuple(listed(f) for f in every if f.draft),
        open_questions=tuple(listed(f) for f in published if f.asks and f.status == "open"),
        stale=tuple(sorted(stale, key=lambda s: (s.tended, s.path))),
        scheduled=tuple(listed(f) for f in every if not f.draft and f.date > now),
    )


def _recent(
    published: list[Facts], cadence: str, zone: zoneinfo.ZoneInfo, today: dt.date,
    kind_names: Mapping[str, str], topic_names: Mapping[str, str],
) -> Recent:
    last = period_index(today, cadence)
    first = last - RECENT_PERIODS[cadence] + 1
    width = last - first + 1
    entries = [0] * width
    kinds: dict[str | None, list[int]] = {}
    topics: dict[str, list[int]] = {}
    for f in published:
        n = period_index(local_day(f.date, zone), cadence) - first
        if not 0 <= n < width:
            continue
        entries[n] += 1
        kinds.setdefault(f.kind, [0] * width)[n] += 1
        for key in f.topics:
            topics.setdefault(key, [0] * width)[n] += 1

    def tallies(found: Mapping[Any, list[int]], names: Mapping[str, str], blank: str) -> tuple[Tally, ...]:
        made = [Tally(key, names.get(key, key) if key else blank, tuple(counts)) for key, counts in found.items()]
        return tuple(sorted(made, key=lambda t: (-t.total, t.key is None, t.name.casefold(), t.key or "")))

    return Recent(
        periods=tuple(period(i, cadence) for i in range(first, last + 1)),
        entries=tuple(entries),
        kinds=tallies(kinds, kind_names, "(no kind)"),
        topics=tallies(topics, topic_names, ""),
    )


def due_sentence(s: Streaks) -> str:
    """What the author needs to do next, and by when, in one sentence."""
    when = _when(s.due_by, s.days_left)
    unit = s.this_period.unit
    this = "today" if s.cadence == "daily" else f"this {unit} ({s.this_period.label})"
    if s.met:
        return (f"{this[0].upper()}{this[1:]} has an entry: the streak is {_many(s.current, unit)}. "
                f"Next entry due in {s.due.label}, by {when}.")
    if s.current:
        return (f"No entry yet {this}: the streak of {_many(s.current, unit)} is still alive. "
                f"Next entry due by {when} to keep it.")
    return f"No entry {this} or the {unit} before: no current streak. Next entry due by {when} to start one."


def _when(day: dt.date, days_left: int) -> str:
    left = "today" if days_left == 0 else "tomorrow" if days_left == 1 else f"in {days_left} days"
    return f"{_WEEKDAYS[day.weekday()]} {long_date(day)} ({left})"


def _many(n: int, one: str, more: str = "") -> str:
    return f"{n} {one}" if n == 1 else f"{n} {more or one + 's'}"


def _ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def show(status: Status, console: Console) -> None:
    """Print the status for a person: tables and colour on a terminal; plain text
    otherwise, one line per fact (no wrapping at an assumed width, no escape codes,
    no trailing spaces), so that it reads well in a file, a pipe or a diff."""
    if console.is_terminal:
        _render(status, console, fancy=True)
        return
    wide = Console(file=io.StringIO(), width=10_000, color_system=None, highlight=False, emoji=False)
    with wide.capture() as captured:
        _render(status, wide, fancy=False)
    console.print(Text("\n".join(line.rstrip() for line in captured.get().splitlines())), soft_wrap=True)


def _render(status: Status, console: Console, fancy: bool) -> None:
    s = status.streaks
    unit = s.this_period.unit
    console.print(Text.assemble((status.title or "Journal", "bold"),
                                f" — status on {_WEEKDAYS[status.today.weekday()]} {long_date(status.today)} ({status.timezone})"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold" if fancy else None)
    facts.add_column()
    scheduled = f" ({len(status.scheduled)} scheduled)" if status.scheduled else ""
    facts.add_row("Published", _many(status.published, "entry", "entries") + scheduled)
    facts.add_row("Cadence", f"{status.cadence} (goal: an entry every {unit})")
    colour = "green" if s.met else "yellow" if s.current else "red"
    current = Text(_many(s.current, unit), style=colour if fancy else "")
    if s.current_from is not None:
        current.append(f" (since {s.current_from.label})")
    facts.add_row("Current streak", current)
    longest = _many(s.longest, unit)
    if s.longest_from is not None and s.longest_to is not None:
        longest += f" ({s.longest_from.label} to {s.longest_to.label})"
    facts.add_row("Longest streak", longest)
    if s.last_entry is not None and s.days_since_last is not None:
        facts.add_row("Last entry", f"{long_date(s.last_entry)}, {_ago(s.days_since_last)}")
    else:
        facts.add_row("Last entry", "none yet")
    facts.add_row("Next entry", due_sentence(s))
    console.print(facts)
    _recent_tables(status.recent, console, fancy)
    for heading, items in (("Drafts waiting", status.drafts), ("Open questions", status.open_questions),
                           ("Scheduled", status.scheduled)):
        _section(console, fancy, heading, [(long_date(i.day), i.title, i.path) for i in items])
    _section(console, fancy,
             f"Seedlings and work in progress not updated for {status.stale_after} days or more",
             [(f"{long_date(i.tended)} ({i.days} days)", f"{i.title} [{i.why}]", i.path) for i in status.stale])


def _recent_tables(recent: Recent, console: Console, fancy: bool) -> None:
    first, last = recent.periods[0], recent.periods[-1]
    window = f"last {len(recent.periods)} {first.unit}s ({long_date(first.start)} to {long_date(last.end)})"
    for name, tallies in (("Kind", recent.kinds), ("Topic", recent.topics)):
        console.print()
        # A heading of its own, not the table's title, which would wrap at the table's width.
        console.print(Text.assemble((f"{name}s, {window}", "bold" if fancy else ""), "" if tallies else ": no entries"))
        if not tallies:
            continue
        table = Table(box=box.SIMPLE_HEAD if fancy else None, show_edge=False, pad_edge=False)
        table.add_column(name)
        for p in recent.periods:
            table.add_column(_short(p), justify="right")
        table.add_column("total", justify="right", style="bold" if fancy else None)
        for tally in tallies:
            table.add_row(Text(tally.name), *map(str, tally.counts), str(tally.total))
        if name == "Kind":
            table.add_row("all entries", *map(str, recent.entries), str(sum(recent.entries)),
                          style="dim" if fancy else None)
        console.print(table)


def _short(p: Period) -> str:
    if p.cadence == "daily":
        return f"{p.start.day} {long_date(p.start).split()[1][:3]}"
    if p.cadence == "monthly":
        return f"{long_date(p.start).split()[1][:3]}"
    return p.label.split("-", 1)[1]


def _section(console: Console, fancy: bool, heading: str, rows: list[tuple[str, str, str]]) -> None:
    console.print()
    console.print(Text.assemble((heading, "bold" if fancy else ""), f" ({len(rows)})" if rows else ": none"))
    for day, title, path in rows:
        console.print(Text.assemble("  ", day, "  ", title, "  ", (path, "dim" if fancy else "")), soft_wrap=True)


def _period(p: Period | None) -> dict[str, str] | None:
    return None if p is None else {"label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()}


def _listed(items: Iterable[Listed]) -> list[dict[str, str]]:
    return [{"path": i.path, "title": i.title, "url": i.url, "date": i.day.isoformat()} for i in items]


def to_json(status: Status) -> dict[str, Any]:
    """Every figure of the status as JSON-ready values: dates as ISO 8601 text."""
    s, recent = status.streaks, status.recent
    return {
        "title": status.title,
        "timezone": status.timezone,
        "today": status.today.isoformat(),
        "now": status.now.isoformat(),
        "cadence": status.cadence,
        "published": status.published,
        "last_entry": s.last_entry.isoformat() if s.last_entry else None,
        "days_since_last": s.days_since_last,
        "streak": {
            "current": s.current,
            "current_from": _period(s.current_from),
            "longest": s.longest,
            "longest_from": _period(s.longest_from),
            "longest_to": _period(s.longest_to),
            "alive": s.alive,
            "at_risk": s.at_risk,
            "this_period": {**(_period(s.this_period) or {}), "has_entry": s.met},
            "next_due": {"period": _period(s.due), "by": s.due_by.isoformat(), "days_left": s.days_left},
            "message": due_sentence(s),
        },
        "recent": {
            "periods": [{**(_period(p) or {}), "entries": n} for p, n in zip(recent.periods, recent.entries)],
            "kinds": [{"kind": t.key, "name": t.name, "counts": list(t.counts), "total": t.total} for t in recent.kinds],
            "topics": [{"topic": t.key, "name": t.name, "counts": list(t.counts), "total": t.total} for t in recent.topics],
        },
        "drafts": _listed(status.drafts),
        "open_questions": _listed(status.open_questions),
        "stale": {
            "after_days": status.stale_after,
            "entries": [{"path": i.path, "title": i.title, "url": i.url, "updated": i.tended.isoformat(),
                         "days": i.days, "why": i.why} for i in status.stale],
        },
        "scheduled": _listed(status.scheduled),
    }
