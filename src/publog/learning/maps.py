"""What the learning views show: a topic as a map of what was learned, and the /now/ page.

Pure functions of the journal, computed before rendering so their values can be
part of the pages' fingerprints.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Callable, Mapping, Sequence

from ..journal.model import Entry, Journal, Topic
from ..settings.kinds import Kind
from ..urls import Urls

Teaser = Callable[[str], Mapping[str, Any]]

NOW_WEEKS = 6  # "these weeks": the weeks up to the newest entry
_TIMELINE_MONTHS = 24


def is_open_question(entry: Entry) -> bool:
    return entry.kind == "question" and entry.fields.get("status") == "open"


def topic_map(topic: Topic, parent: Topic | None, children: Sequence[Topic], entries: Sequence[Entry],
              kinds: Mapping[str, Kind], urls: Urls, teaser: Teaser,
              source_view: Callable[[Mapping[str, str]], Mapping[str, Any]]) -> dict[str, Any]:
    """A topic page's summary: its goal, span, kinds, open questions, sources, sub-topics and timeline.

    Made only of its arguments (``entries``: the topic's, newest first; ``teaser`` is asked about those
    only), so that a long-running process can keep it while they are the same (pages.TopicView).
    """
    counts = Counter(e.kind for e in entries if e.kind)
    sources: dict[str, Mapping[str, Any]] = {}
    for entry in reversed(entries):
        for source in entry.sources:
            view = source_view(source)
            sources.setdefault(str(view["library_url"]), view)
    return {
        "goal": topic.goal,
        "started": teaser(entries[-1].path) if entries else None,
        "latest": teaser(entries[0].path) if entries else None,
        "kinds": [{"label": kinds[k].plural if k in kinds else k, "count": n, "url": urls.page(f"/kinds/{k}/")}
                  for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
        "open_questions": [teaser(e.path) for e in entries if is_open_question(e)],
        "sources": sorted(sources.values(), key=lambda s: (str(s["title"]).casefold(), str(s["library_url"]))),
        "parent": {"name": parent.name, "url": urls.page(parent.url)} if parent else None,
        "children": [{"name": child.name, "url": urls.page(child.url), "count": len(child.entries)} for child in children],
        "timeline": timeline([e.date for e in entries]),
    }


def timeline(dates: Sequence[dt.datetime]) -> list[dict[str, Any]]:
    """Entries per month, every month from the first to the last (the most recent two years)."""
    if not dates:
        return []
    per_month = Counter((d.year, d.month) for d in dates)
    last = max(per_month)
    first = max(min(per_month), _months_before(last, _TIMELINE_MONTHS - 1))
    months = []
    year, month = first
    while (year, month) <= last:
        months.append({"label": dt.date(year, month, 1).strftime("%b %Y"), "count": per_month[(year, month)]})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    most = max(m["count"] for m in months)
    return [{**m, "share": round(100 * m["count"] / most)} for m in months]


def _months_before(month: tuple[int, int], n: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 - n
    return index // 12, index % 12 + 1


def topic_tree(journal: Journal, urls: Urls) -> list[dict[str, Any]]:
    """Topics as nested lists: each top-level topic with its sub-topics below it."""
    by_key = {t.key: t for t in journal.topics}

    def node(topic: Topic) -> dict[str, Any]:
        return {"name": topic.name, "description": topic.description, "goal": topic.goal, "url": urls.page(topic.url),
                "count": len(topic.entries), "children": [node(by_key[k]) for k in topic.children]}

    return [node(t) for t in journal.topics if t.parent is None]


def now(journal: Journal, urls: Urls, teaser: Teaser,
        source_view: Callable[[Mapping[str, str]], Mapping[str, Any]]) -> dict[str, Any]:
    """What the author is learning these weeks: measured from the newest entry, not the clock,
    so the same journal always builds the same page."""
    entries = list(journal.entries)
    if not entries:
        return {"since": None, "topics": [], "open_questions": [], "sources": [], "entries": []}
    # Measured back from the newest entry, never by subtracting from its date: before the year 1 there is none.
    recent = [e for e in entries if entries[0].date - e.date < dt.timedelta(weeks=NOW_WEEKS)]
    by_key = {t.key: t for t in journal.topics}
    activity = Counter(k for e in recent for k in e.topics)
    sources: dict[str, Mapping[str, Any]] = {}
    for entry in recent:
        if entry.kind == "log":
            for source in entry.sources:
                view = source_view(source)
                sources.setdefault(str(view["library_url"]), view)
    return {
        "since": teaser(recent[-1].path)["date_text"],
        "weeks": NOW_WEEKS,
        "topics": [{"name": by_key[k].name, "url": urls.page(by_key[k].url), "count": n, "goal": by_key[k].goal}
                   for k, n in sorted(activity.items(), key=lambda kv: (-kv[1], by_key[kv[0]].name.casefold()))[:5]],
        "open_questions": [teaser(e.path) for e in entries if is_open_question(e)][:10],
        "sources": list(sources.values()),
        "entries": [teaser(e.path) for e in recent][:10],
    }
