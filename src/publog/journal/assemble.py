"""All compiled entries -> Journal: what is published, where, in which order, under which topics.

The steps, each in its own module: placing each file (place.py), giving every entry its own
address (addresses.py), topics, linking (links.py), series and related entries. Pure: the read
stage hands in everything that needed the file system. ``assemble_again`` is what a long-running
process calls, to reuse the journal it assembled last.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from .. import urls
from ..markdown.embeds import Embed
from ..problems import Problem
from ..read import conventions
from ..read.folder import Compiled
from ..records import replaced
from ..settings.config import Config
from ..social import community
from . import addresses
from .links import answers, links
from .model import Entry, Journal
from .place import Placing, Publishing, place
from .related import related as _related
from .series import all_series
from .topics import topics as topics_of

Options = Publishing  # the name the build and its tests call it by


def assemble(
    compiled: list[Compiled],
    config: Config,
    publishing: Publishing,
    entries_dir: str,
    files: frozenset[str],
    fallback_dates: Mapping[str, dt.datetime],
    fallback_updated: Mapping[str, dt.datetime] | None = None,
    members: Sequence[community.Folder] = (),
    *,
    before: Journal | None = None,
    placed_before: Mapping[str, Placing] | None = None,
) -> tuple[Journal, list[Problem], dict[str, Placing]]:
    """Place every publishable entry; report what cannot be placed; and say how each file was placed.

    ``entries_dir`` is the journal-relative entries folder ('' for the root),
    ``files`` the other files below it, ``fallback_dates`` the git or
    modification dates of entries whose date is neither in front matter nor name,
    ``members`` the folders of a community's members; ``before``, the last journal
    assembled in this process, whose work is reused where its inputs are the same, and
    ``placed_before`` how its files were placed, with the same settings and an earlier clock:
    the placings of the very same records are kept.
    """
    layout = config.layout
    # Files the old generator made no page of (Jekyll's includes, a vault's templates) are no entries at all.
    compiled = [c for c in compiled if conventions.takes(c.path, c.source, layout, entries_dir)]
    problems: list[Problem] = [p for c in compiled for p in c.problems]
    placed: list[tuple[Entry, int]] = []
    upcoming: list[dt.datetime] = []
    names: dict[str, Counter[str]] = defaultdict(Counter)
    hidden: set[str] = set()
    unchosen: set[str] = set()
    homes = community.Homes(members)
    placing_of = functools.partial(place, config=config, publishing=publishing, entries_dir=entries_dir, homes=homes,
                                   fallback_dates=fallback_dates, fallback_updated=fallback_updated or {},
                                   host=urls.Urls(config.base_url).host)
    kept = placed_before or {}
    placings: dict[str, Placing] = {}
    for item in compiled:
        if item.source is None:
            continue
        found = kept.get(item.path)
        # An entry that was to come out later is placed again: its time may have come.
        placing = found if found is not None and found.item is item and found.upcoming is None else placing_of(item)
        placings[item.path] = placing
        problems += placing.problems
        if placing.hidden:
            hidden.add(item.source.path)
        if placing.unchosen:
            unchosen.add(item.source.path)
        if placing.upcoming is not None:
            upcoming.append(placing.upcoming)
        for key, tag in placing.names:
            names[key][tag] += 1
        if placing.entry is not None:
            placed.append((placing.entry, placing.line))

    placed, more = addresses.apart(addresses.readmes(placed), config)
    problems += more
    entries = addresses.distinct_ids(sorted((e for e, _ in placed), key=lambda e: (-e.date.timestamp(), e.path)))
    topics = topics_of(entries, names, config)
    problems += addresses.collisions(placed, bool(config.members))
    entries, assets, more = links(compiled, entries, entries_dir, files, hidden, unchosen, layout, homes)
    problems += more
    entries, more = answers(entries, {c.source.path for c in compiled if c.source}, entries_dir)
    problems += more
    series = all_series(entries)
    entries = _related(entries, before.entries if before is not None else ())
    journal = Journal(config, tuple(entries), topics, assets, min(upcoming, default=None), series)
    return journal, problems, placings


@dataclass(frozen=True)
class Assembled:
    """A journal as ``assemble`` made it, with everything it was made from: what a long-running
    process (``publog serve``) keeps so that the next build need not place every entry again."""

    inputs: tuple[Any, ...]  # every argument but the entries and the clock
    now: dt.datetime
    compiled: Mapping[str, Compiled]  # by path, in the order given
    journal: Journal
    problems: tuple[Problem, ...]
    placings: Mapping[str, Placing] = field(default_factory=dict)  # how each file was placed, by path


def assemble_again(last: Assembled | None, compiled: list[Compiled], config: Config, publishing: Publishing,
                   *context: Any) -> tuple[Journal, list[Problem], Assembled]:
    """``assemble``, reusing the last journal when only the text of entries changed; ``context`` is
    the rest of assemble's arguments.

    An entry whose front matter, links, summary, tags and problems are what they were
    is placed where it was, links and is linked as before, and is related to the same
    entries: only its digest (which names its HTML) and its word count change.
    """
    inputs = (config, publishing.drafts, publishing.future, *context)
    by_path = {c.path: c for c in compiled}
    again = _reused(last, inputs, publishing.now, by_path) if last is not None else None
    placings: Mapping[str, Placing]
    if again is None:
        # With the same settings and a later clock, a file whose record is the very same is placed as it was.
        same = last is not None and last.inputs == inputs and publishing.now >= last.now
        journal, problems, placings = assemble(compiled, config, publishing, *context, before=last.journal if last else None,
                                               placed_before=last.placings if last is not None and same else None)
        if last is not None:
            journal = _kept(journal, last.journal, placings, last.placings)
    else:
        journal, problems = again
        placings = last.placings if last is not None else {}
    return journal, problems, Assembled(inputs, publishing.now, by_path, journal, tuple(problems), placings)


def _kept(new: Journal, old: Journal, placings: Mapping[str, Placing], placed_before: Mapping[str, Placing]) -> Journal:
    """``new``, holding ``old``'s very objects where nothing of them changed: the plan of a long-running
    process then tells what did not change by identity, which costs nothing, instead of comparing again.

    An entry is kept only if its file was placed as before (the very same placing: its dates, front matter
    and kind fields are the very values they were) and what linking found for it is equal (paths and
    sentences, whose equality is exact): equality alone would take a date in another time zone, or a
    field's ``true`` for its ``1``, for the same.
    """
    if old.config != new.config:
        return new
    entries_before = {e.path: e for e in old.entries}
    topics_before = {t.key: t for t in old.topics}
    entries = tuple(o if (o := entries_before.get(e.path)) is not None and (p := placings.get(e.path)) is not None
                    and p is placed_before.get(e.path) and o == e else e for e in new.entries)
    topics = tuple(k if (k := topics_before.get(t.key)) is not None and k == t else t for t in new.topics)
    return replace(new, config=old.config,
                   entries=old.entries if len(entries) == len(old.entries) and all(map(operator.is_, entries, old.entries)) else entries,
                   topics=old.topics if len(topics) == len(old.topics) and all(map(operator.is_, topics, old.topics)) else topics)


def _reused(last: Assembled, inputs: tuple[Any, ...], now: dt.datetime,
            by_path: Mapping[str, Compiled]) -> tuple[Journal, list[Problem]] | None:
    coming = last.journal.next_change
    if (list(by_path) != list(last.compiled) or now < last.now or (coming is not None and now >= coming)
            or last.inputs != inputs):
        return None
    changed = {}
    for path, item in by_path.items():
        before = last.compiled[path]
        if item is before or item.digest == before.digest:
            continue
        if (item.source != before.source or item.references != before.references or item.summary != before.summary
                or item.tags != before.tags or item.problems != before.problems or item.notices != before.notices):
            return None
        changed[path] = item
    if not changed:
        return last.journal, list(last.problems)
    old = {last.compiled[p].digest for p in changed}

    def embeds(found: Sequence[Embed]) -> bool:
        return any(e.digest in old or embeds(e.embeds) for e in found)

    if any(embeds(e.embeds) for e in last.journal.entries):  # another entry shows one of them: its page changes too
        return None
    entries = tuple(replaced(e, digest=changed[e.path].digest, words=changed[e.path].words) if e.path in changed else e
                    for e in last.journal.entries)
    return replace(last.journal, entries=entries), list(last.problems)
