"""Series: entries that say ``series: Learning SQL`` read in order, by ``series_order`` then date."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .. import urls
from ..problems import Problem, error
from .model import Entry, Series


def series_of(source: Any, problems: list[Problem]) -> tuple[str | None, float | None]:
    """An entry's series name and its place in it, as its front matter says; a problem for each wrong one."""
    name, order = source.extra.get("series"), source.extra.get("series_order")
    if name is None:
        return None, None
    if not isinstance(name, str) or not urls.slugify(name):
        problems.append(error(source.path, source.lines.get("series", 1), "'series' should be the series' name, such as 'Learning SQL'"))
        return None, None
    if order is not None and (isinstance(order, bool) or not isinstance(order, (int, float))):
        problems.append(error(source.path, source.lines.get("series_order", 1), "'series_order' should be a number: this entry's place in its series (1, 2, 3 ...)"))
        order = None
    return name, order


def all_series(entries: list[Entry]) -> tuple[Series, ...]:
    """Entries sharing a series name, in reading order: by series_order, then date."""
    members: dict[str, list[Entry]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        if entry.series:
            key = urls.slugify(entry.series)
            members[key].append(entry)
            spellings[key][entry.series] += 1
    found = []
    for key, group in members.items():
        group.sort(key=lambda e: (e.series_order is None, e.series_order or 0, e.date, e.path))
        name = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        found.append(Series(key, name, f"/series/{key}/", tuple(e.path for e in group)))
    return tuple(sorted(found, key=lambda s: (s.name.casefold(), s.key)))
