"""All compiled entries -> Journal: what is published, where, in which order, under which topics.

Pure: the read stage hands in everything that needed the file system.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, NamedTuple, Sequence, TypeVar
from urllib.parse import quote

from ..social import community
from ..read import conventions
from ..settings import kinds as kinds_mod
from .. import urls
from ..settings.config import Config
from ..read.dates import date_from_name, instant
from ..markdown.embeds import MAX_DEPTH, Embed
from ..problems import Problem, error, warning
from ..markdown.body import NAME_END, NAME_SEP, NAME_START
from ..read.folder import Compiled
from ..markdown.vault import TAG_KEY

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    future: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


@dataclass(frozen=True)
class Entry:
    """A published entry, placed in the site."""

    path: str
    url: str  # site path, e.g. /2024/my-first-week/
    title: str
    date: dt.datetime
    updated: dt.datetime | None
    topics: tuple[str, ...]  # topic keys
    kind: str | None
    summary: str
    draft: bool
    words: int
    digest: str  # of the file's bytes: names its rendered HTML in the cache
    id: str
    extra: Mapping[str, Any]
    # Placeholder targets of this entry's links (see markdown/body.py) -> site paths; None: not published.
    links: tuple[tuple[str, str | None], ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)  # its kind's fields, checked and normalised
    sources: tuple[Mapping[str, str], ...] = ()  # books, talks ... it cites
    answer: str | None = None  # for answered questions: a site path or an absolute URL
    lines: Mapping[str, int] = field(default_factory=dict)  # front matter key -> line, for problems
    outlinks: tuple[str, ...] = ()  # paths of the published entries it links to
    backlinks: tuple[tuple[str, str], ...] = ()  # (path, sentence around the link) of entries linking here
    series: str | None = None  # key of its series
    series_order: float | None = None
    related: tuple[str, ...] = ()  # paths of entries a reader of this one may want next
    aliases: tuple[str, ...] = ()  # old site paths that redirect here (Hugo's aliases, Jekyll's redirect_from)
    embeds: tuple[Embed, ...] = ()  # the notes it shows with ![[note]]
    authors: tuple[str, ...] = ()  # ids of the community members who wrote it (social/community.py); () on a journal of one


@dataclass(frozen=True)
class Topic:
    key: str
    name: str
    description: str
    url: str
    entries: tuple[str, ...]  # entry paths, newest first
    goal: str = ""
    parent: str | None = None  # key of the broader topic
    children: tuple[str, ...] = ()  # keys of its sub-topics that have a page


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    url: str
    entries: tuple[str, ...]  # entry paths in reading order


@dataclass(frozen=True)
class Asset:
    """A file next to the entries that a published entry shows or links to."""

    source: str  # journal-relative path
    url: str


@dataclass(frozen=True)
class Journal:
    config: Config
    entries: tuple[Entry, ...]  # newest first
    topics: tuple[Topic, ...]  # by name
    assets: tuple[Asset, ...]
    next_change: dt.datetime | None = None  # when the next entry dated in the future comes out
    series: tuple[Series, ...] = ()  # by name

    @property
    def by_path(self) -> dict[str, Entry]:
        return {e.path: e for e in self.entries}


class Placing(NamedTuple):
    """What placing one entry file found, before any entry is linked to another: a pure function of the
    file's compiled record and the settings, kept by a long-running process for its next journal."""

    item: Compiled
    entry: Entry | None  # None: not published
    line: int  # of its slug or permalink, for URL collisions
    problems: tuple[Problem, ...]
    names: tuple[tuple[str, str], ...]  # (topic key, the tag as written)
    hidden: bool = False  # never published: private, or not chosen by publish: in publog.yaml
    unchosen: bool = False  # of those, left out on purpose: links to it are expected
    upcoming: dt.datetime | None = None  # dated after the build's clock: placed once that time has come


def assemble(
    compiled: list[Compiled],
    config: Config,
    options: Options,
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
    place = functools.partial(_place, config=config, options=options, entries_dir=entries_dir, homes=homes,
                              fallback_dates=fallback_dates, fallback_updated=fallback_updated or {},
                              host=urls.Urls(config.base_url).host)
    kept = placed_before or {}
    placings: dict[str, Placing] = {}
    for item in compiled:
        if item.source is None:
            continue
        found = kept.get(item.path)
        # An entry that was to come out later is placed again: its time may have come.
        placing = found if found is not None and found.item is item and found.upcoming is None else place(item)
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

    placed, more = _apart(_readmes(placed), config)
    problems += more
    entries = _distinct_ids(sorted((e for e, _ in placed), key=lambda e: (-e.date.timestamp(), e.path)))
    topics = _topics(entries, names, config)
    problems += _collisions(placed, bool(config.members))
    entries, assets, more = _links(compiled, entries, entries_dir, files, hidden, unchosen, layout, homes)
    problems += more
    entries, more = _answers(entries, {c.source.path for c in compiled if c.source}, entries_dir)
    problems += more
    all_series = _series(entries)
    entries = _related(entries, before.entries if before is not None else ())
    journal = Journal(config, tuple(entries), topics, assets, min(upcoming, default=None), all_series)
    return journal, problems, placings


def _distinct_ids(entries: list[Entry]) -> list[Entry]:
    """Entries whose feed ids are all different. Notes of one name and date in two folders (a vault's
    Go/Proposal.md and Rust/Proposal.md) would share one, and feed readers would show only one of them:
    all but the first by path take their path into the id. The first keeps the id it always had, so
    no reader sees it again."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        by_id[e.id].append(e.path)
    again = {path for paths in by_id.values() if len(paths) > 1 for path in sorted(paths)[1:]}
    if not again:
        return entries
    return [replace(e, id=e.id.rsplit(":", 1)[0] + ":" + quote(posixpath.splitext(e.path)[0])) if e.path in again else e
            for e in entries]


def _place(item: Compiled, config: Config, options: Options, entries_dir: str, homes: community.Homes,
           fallback_dates: Mapping[str, dt.datetime], fallback_updated: Mapping[str, dt.datetime], host: str) -> Placing:
    """Where one entry file goes, if it is published, and what is wrong with it."""
    layout, zone = config.layout, config.zone
    source = item.source
    assert source is not None
    problems: list[Problem] = []
    home = homes(source.path)
    where = conventions.place(source.path, home.prefix[:-1] if home else entries_dir)
    problems += conventions.notices(source.path, item.notices, layout)
    if source.untitled and not layout.imported and (entries_dir or source.untitled == "is all private"):
        # A journal of publog's own is told (a plain folder is titled as GitHub shows it); a title all
        # private must not become its file name, which may say the same.
        if source.untitled == "is all private":
            problems.append(error(source.path, source.lines.get("title", 1), f"the title {source.untitled}; "
                                  "add 'title: ...' to the front matter or a '# Title' line"))
            return Placing(item, None, 1, tuple(problems), ())
        problems.append(warning(source.path, source.lines.get("title", 1), f"the title {source.untitled}, so publog "
                                f"used the file name '{source.title}'; add 'title: ...' to the front matter or a '# Title' line"))
    source = _with(source, title=conventions.title(source, layout), draft=conventions.is_draft(source, layout, where))
    stem = posixpath.splitext(posixpath.basename(source.path))[0]
    raw_date = source.date or date_from_name(stem)
    date = instant(raw_date, zone) if raw_date else fallback_dates.get(source.path)
    if date is None:  # only when the file vanished between reading and dating it
        return Placing(item, None, 1, tuple(problems), ())
    if conventions.is_hidden(source, config, where):
        return Placing(item, None, 1, tuple(problems), (), hidden=True, unchosen=conventions.not_chosen(source, config, where))
    if source.draft and not options.drafts:
        return Placing(item, None, 1, tuple(problems), ())
    if date > options.now and not options.future:
        return Placing(item, None, 1, tuple(problems), (), upcoming=date)
    written, rooted, done, wrong = urls.written_slug(source.slug)
    if wrong:
        problems.append(error(source.path, source.lines.get("slug", 1), done))
        return Placing(item, None, 1, tuple(problems), ())
    if done:
        problems.append(warning(source.path, source.lines.get("slug", 1), done))
    if written != source.slug:
        source = _with(source, slug=written)
    slug = _slug(source.slug, source.title, where, stem)
    if not slug:
        problems.append(error(source.path, source.lines.get("title", 1), "no URL can be made from this file name or title; add 'slug: some-words'"))
        return Placing(item, None, 1, tuple(problems), ())
    found = conventions.categories(source, layout, where)
    if source.permalink is not None or rooted is not None:
        url = urls.site_path(source.permalink) if source.permalink is not None else str(rooted)
    else:
        pattern = conventions.pattern(where, layout, home.permalink if home else config.permalink)
        parts = conventions.url_parts(source, layout, where, found) if urls.needs_parts(pattern) else {}
        if "{file}" in pattern:
            parts["file"] = urls.file_part(where.relative, source.slug)
        url = urls.permalink(pattern, date, slug, **parts)
    if home:  # a member's own space: another member's entries never move it
        url = community.MEMBERS_URL + home.member + url
        authors: tuple[str, ...] = (home.member,)
    elif config.members:
        authors, more = community.authors(source.extra.get("author"), config.members, source.path, source.lines.get("author", 1))
        problems += more
    else:
        authors = ()
    keys: list[str] = []
    names: list[tuple[str, str]] = []
    for tag in conventions.topics(source, item.tags, config, found):
        key = urls.slugify(tag)
        if not key:
            problems.append(error(source.path, source.lines.get("tags", 1), f"tag {tag!r} has no letters or digits; remove or rename it"))
        elif key not in keys:
            keys.append(key)
            names.append((key, tag))
    fields, sources = _kind_fields(source, date.date(), config, problems)
    series, order = _series_of(source, problems)
    updated = instant(source.updated, zone) if source.updated else fallback_updated.get(source.path)
    entry = Entry(
        path=source.path,
        url=url,
        title=source.title,
        date=date,
        updated=updated,
        topics=tuple(keys),
        kind=source.kind,
        summary=source.summary or item.summary,
        draft=source.draft,
        words=item.words,
        digest=item.digest,
        id=source.id or f"tag:{host},{date:%Y-%m-%d}:" + (f"members/{home.member}/" if home else "") + quote(_strip_date(stem)),
        extra=source.extra,
        fields=fields,
        sources=sources,
        lines=source.lines,
        series=series,
        series_order=order,
        aliases=conventions.redirects(source, layout, where, url),
        authors=authors,
    )
    return Placing(item, entry, source.lines.get("permalink" if source.permalink is not None else "slug", 1),
                   tuple(problems), tuple(names))


def _slug(written: str | None, title: str, where: conventions.Place, stem: str) -> str:
    """The slug of an entry: its own, else from its file name, else from its title; a name that only
    emoji or signs make (which slugify() drops) is kept as it is written, so that such names never share one."""
    name = _strip_date(where.name if where.index else stem)
    return written or urls.slugify(name) or urls.slugify(title) or urls.fallback_slug(name) or urls.fallback_slug(title)


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


def assemble_again(last: Assembled | None, compiled: list[Compiled], config: Config, options: Options,
                   *context: Any) -> tuple[Journal, list[Problem], Assembled]:
    """``assemble``, reusing the last journal when only the text of entries changed; ``context`` is
    the rest of assemble's arguments.

    An entry whose front matter, links, summary, tags and problems are what they were
    is placed where it was, links and is linked as before, and is related to the same
    entries: only its digest (which names its HTML) and its word count change.
    """
    inputs = (config, options.drafts, options.future, *context)
    by_path = {c.path: c for c in compiled}
    again = _reused(last, inputs, options.now, by_path) if last is not None else None
    placings: Mapping[str, Placing]
    if again is None:
        # With the same settings and a later clock, a file whose record is the very same is placed as it was.
        same = last is not None and last.inputs == inputs and options.now >= last.now
        journal, problems, placings = assemble(compiled, config, options, *context, before=last.journal if last else None,
                                               placed_before=last.placings if last is not None and same else None)
        if last is not None:
            journal = _kept(journal, last.journal, placings, last.placings)
    else:
        journal, problems = again
        placings = last.placings if last is not None else {}
    return journal, problems, Assembled(inputs, options.now, by_path, journal, tuple(problems), placings)


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
    entries = tuple(_with(e, digest=changed[e.path].digest, words=changed[e.path].words) if e.path in changed else e
                    for e in last.journal.entries)
    return replace(last.journal, entries=entries), list(last.problems)


def _series_of(source: Any, problems: list[Problem]) -> tuple[str | None, float | None]:
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


def _series(entries: list[Entry]) -> tuple[Series, ...]:
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


_RELATED = 4
_TOPIC_NEIGHBOURS = 6  # entries either side in a topic's timeline that are candidates


def _related(entries: list[Entry], before: Sequence[Entry] = ()) -> list[Entry]:
    """A few entries to read next, by shared links first and shared topics second; deterministic.

    Comparing every pair would cost N² on a large journal, so the candidates are an
    entry's links (both ways) and its nearest neighbours in time within each topic.
    Where every entry is where it was in ``before`` (the last journal's entries), with the same
    links, an entry's related entries are kept unless it shares a topic with an entry whose
    topics changed, or links with one: its candidates and their scores are all as they were.
    That is every entry after most edits, and most after a change of tags (a tenth of a
    second at N=4000).
    """
    position = {e.path: n for n, e in enumerate(entries)}
    linked: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for target in entry.outlinks:
            linked[entry.path].add(target)
            linked[target].add(entry.path)
    kept = _related_kept(entries, before, linked)
    if len(kept) == len(entries):
        return [e if e.related == kept[e.path] else _with(e, related=kept[e.path]) for e in entries]
    timelines: dict[str, list[str]] = defaultdict(list)
    for entry in entries:  # newest first
        for key in entry.topics:
            timelines[key].append(entry.path)
    place = {(key, path): n for key, paths in timelines.items() for n, path in enumerate(paths)}
    # Topics as bits of an int: the shared topics of two entries are one AND and a bit count, with no set made.
    bit = {key: 1 << n for n, key in enumerate(timelines)}
    topics_of = {e.path: sum(bit[k] for k in set(e.topics)) for e in entries}
    result = []
    for entry in entries:
        me, here = entry.path, position[entry.path]
        related = kept.get(me)
        if related is None:
            links = linked.get(me, set())
            candidates = set(links)
            for key in entry.topics:
                line, n = timelines[key], place[(key, me)]
                candidates.update(line[max(0, n - _TOPIC_NEIGHBOURS) : n + _TOPIC_NEIGHBOURS + 1])
            candidates.discard(me)
            mine = topics_of[me]
            scored = sorted((-(3 * (p in links) + (mine & topics_of[p]).bit_count()), abs(position[p] - here), p)
                            for p in candidates)
            related = tuple(p for _, _, p in scored[:_RELATED])
        result.append(_with(entry, related=related) if related != entry.related else entry)
    return result


def _related_kept(entries: list[Entry], before: Sequence[Entry], linked: Mapping[str, set[str]]) -> dict[str, tuple[str, ...]]:
    """The related entries of ``before`` that hold still, by path (see _related)."""
    if len(before) != len(entries) or any(a.path != b.path or a.outlinks != b.outlinks for a, b in zip(entries, before)):
        return {}
    moved = [(a, b) for a, b in zip(entries, before) if a.topics != b.topics]
    touched = {key for a, b in moved for key in (*a.topics, *b.topics)}
    near = {a.path for a, _ in moved} | {p for a, _ in moved for p in linked.get(a.path, ())}
    return {b.path: b.related for a, b in zip(entries, before) if a.path not in near and touched.isdisjoint(a.topics)}


def _with(item: T, **changes: Any) -> T:
    """dataclasses.replace without running __init__ over every field again: done for every entry, it showed."""
    new = object.__new__(type(item))
    new.__dict__.update(item.__dict__)
    new.__dict__.update(changes)
    return new


def _kind_fields(
    source: Any, day: dt.date, config: Config, problems: list[Problem]
) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """Check an entry against its kind; gather the sources it cites."""
    values: dict[str, Any] = {}
    if source.kind:
        kind = config.kinds.get(source.kind)
        line = source.lines.get("kind", 1)
        if kind is None:
            known = ", ".join(sorted(config.kinds))
            problems.append(error(source.path, line, f"unknown kind {source.kind!r}; known kinds: {known} (or define it under 'kinds:' in publog.yaml)"))
        else:
            values, wrong = kinds_mod.check(kind, source.extra, source.lines, day)
            problems.extend(error(source.path, n, message) for n, message in wrong)
    cited = values.get("sources")
    if cited is None and "sources" in source.extra:
        cited, bad = kinds_mod.normalise("sources", source.extra["sources"])
        if bad:
            problems.append(error(source.path, source.lines.get("sources", 1), f"'sources' {bad}"))
    return values, tuple(cited or ())


def _answers(entries: list[Entry], sources: set[str], entries_dir: str) -> tuple[list[Entry], list[Problem]]:
    """Point each answered question to the entry (or URL) that answers it."""
    published = {e.path: e for e in entries}
    prefix = entries_dir + "/" if entries_dir else ""
    problems = []
    result = []
    for entry in entries:
        answer = entry.fields.get("answer")
        if not answer:
            result.append(entry)
            continue
        if answer.startswith(("https://", "http://")):
            result.append(replace(entry, answer=answer))
            continue
        target = answer.split("#", 1)[0]
        candidates = [posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), target)),
                      posixpath.normpath(prefix + target.lstrip("/"))]
        found = next((c for c in candidates if c in published), None)
        if found is None:
            unpublished = any(c in sources for c in candidates)
            why = "is not published (a draft, or dated in the future)" if unpublished else "is no entry"
            problems.append(error(entry.path, entry.lines.get("answer", 1), f"'answer': {answer} {why}; give the answering entry's file (relative to this one) or a URL"))
            result.append(entry)
        else:
            result.append(replace(entry, answer=published[found].url))
    return result, problems


def _strip_date(stem: str) -> str:
    return stem[11:] if date_from_name(stem) else stem


def _topics(entries: list[Entry], names: dict[str, Counter[str]], config: Config) -> tuple[Topic, ...]:
    """Every topic with entries, and every configured topic above one: a topic map's inner nodes."""
    members: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        for key in entry.topics:
            members[key].append(entry.path)
    shown = set(members)
    for key in list(members):
        parent = config.topics[key].parent if key in config.topics else ""
        while parent and parent not in shown:  # config validation rules out circles
            shown.add(parent)
            parent = config.topics[parent].parent if parent in config.topics else ""
    children: dict[str, list[str]] = defaultdict(list)
    for key in shown:
        setting = config.topics.get(key)
        if setting and setting.parent in shown:
            children[setting.parent].append(key)
    order = {e.path: n for n, e in enumerate(entries)}

    def below(key: str) -> set[str]:
        """A topic's entries and those of its sub-topics: a broad topic gathers what is under it."""
        return set(members.get(key, ())).union(*(below(k) for k in children[key]))

    topics = []
    for key in shown:
        setting = config.topics.get(key)
        # The most used spelling wins; ties go to the alphabetically first, so builds are stable.
        used = min(names[key].items(), key=lambda kv: (-kv[1], kv[0]))[0] if names.get(key) else key
        topics.append(
            Topic(
                key=key,
                name=setting.name if setting and setting.name else used,
                description=setting.description if setting else "",
                url=f"/topics/{key}/",
                entries=tuple(sorted(below(key), key=order.__getitem__)),
                goal=setting.goal if setting else "",
                parent=setting.parent if setting and setting.parent in shown else None,
                children=tuple(sorted(children[key])),
            )
        )
    return tuple(sorted(topics, key=lambda t: (t.name.casefold(), t.key)))


def _publogs(file: str, entry: Entry, community_site: bool) -> bool:
    """Whether an output file belongs to the member pages of a community site, except to an entry below the
    pages of a member who wrote it. (Any other page publog writes itself gives way to an entry: pages.set_aside.)"""
    return community_site and (file.startswith(community.NEW_URL[1:]) or file.startswith(community.MEMBERS_URL[1:]) and not any(
        entry.url.startswith(f"{community.MEMBERS_URL}{a}/") for a in entry.authors))


def _apart(placed: list[tuple[Entry, int]], config: Config) -> tuple[list[tuple[Entry, int]], list[Problem]]:
    """Entries of publog's own journal whose URLs its dated pattern made the same, dated on different days
    (two notes named alike in one year): the earliest keeps the URL, each later one gets its date in its
    slug, with a warning. An old site's URLs (another generator's layout) are never changed."""
    pattern = config.permalink
    if config.layout.imported or config.layout.permalinks or not re.search(r"\{slug\}[^/{}]*/?$", pattern) or not (
            {"year", "month", "day"} & set(re.findall(r"{(\w+)}", pattern))):
        return placed, []
    claims: dict[str, list[int]] = defaultdict(list)
    for n, (entry, _) in enumerate(placed):
        if "permalink" not in entry.lines:
            claims[entry.url].append(n)
    problems: list[Problem] = []
    result = list(placed)
    for url, indexes in claims.items():
        if len(indexes) < 2:
            continue
        ordered = sorted(indexes, key=lambda n: (placed[n][0].date, placed[n][0].path))
        first = placed[ordered[0]][0]
        days = [placed[n][0].date.date() for n in ordered]
        if len(set(days)) != len(days):
            continue  # two of one day: nothing tells them apart, which _collisions reports
        for n in ordered[1:]:
            entry, line = placed[n]
            moved = urls.suffixed(url, f"-{entry.date:%Y-%m-%d}")
            result[n] = (_with(entry, url=moved, aliases=tuple(a for a in entry.aliases if a != moved)), line)
            problems.append(warning(entry.path, line, f"{url} is also the URL of {first.path}, dated earlier; this entry "
                                    f"is published at {moved}: give it another 'slug' to choose its URL"))
    return result, problems


def _readmes(placed: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
    """A folder's README is the folder's page, as GitHub shows it, unless the folder also has an index
    (Quartz's, Hugo's and Jekyll's folder page): then the index is the folder's page and the README keeps
    its own name in its URL (/go/README/), as those tools publish it."""
    def named(entry: Entry) -> str:
        return posixpath.splitext(posixpath.basename(entry.path))[0]
    indexed = {(posixpath.dirname(e.path), e.url) for e, _ in placed
               if named(e).casefold() in ("index", "_index") and e.url.endswith("/")}
    if not indexed:
        return placed
    return [(_with(e, url=e.url + named(e) + "/"), line)
            if named(e).casefold() == "readme" and "permalink" not in e.lines and "slug" not in e.lines
            and (posixpath.dirname(e.path), e.url) in indexed else (e, line) for e, line in placed]


def _collisions(placed: list[tuple[Entry, int]], community_site: bool = False) -> list[Problem]:
    """Every URL an entry takes (its own and its old addresses) must be in the site and taken once."""
    problems = []
    claims: dict[str, list[tuple[Entry, int, str]]] = defaultdict(list)  # output file -> (entry, line, URL)
    for entry, line in placed:
        alias_line = entry.lines.get("aliases", entry.lines.get("redirect_from", 1))
        fix = "its 'permalink'" if "permalink" in entry.lines else "the slug"
        for url, at, change in [(entry.url, line, fix)] + [(a, alias_line, "the alias") for a in entry.aliases]:
            if urls.escapes(url):
                problems.append(error(entry.path, at, f"URL {url} would be outside the site; change {change}"))
            else:
                # Case-insensitive file systems (macOS, Windows) would merge URLs differing only in case.
                claims[unicodedata.normalize("NFC", urls.output_file(url)).casefold()].append((entry, at, url))
    for key, claimants in sorted(claims.items()):
        if len(claimants) > 1:
            aliased = any(url != e.url for e, _, url in claimants)
            for entry, line, url in claimants:
                others = ", ".join(e.path for e, _, _ in claimants if e is not entry) or "this entry"
                cased = [u for e, _, u in claimants if e is not entry and u != url]
                if cased and not aliased:
                    problems.append(error(entry.path, line, f"{url} and {cased[0]} ({others}) differ only in case, so they "
                                          "are one page on macOS, Windows and many hosts; rename one of the files or "
                                          "folders, or give one of them another 'slug'"))
                elif aliased:
                    problems.append(error(entry.path, line, f"{url} is also an address of {others} (its URL or an alias); "
                                          "remove the alias, or give one of them another 'slug'"))
                else:
                    problems.append(error(entry.path, line, f"{url} is also the URL of {others}; give one of them another 'slug'"))
        elif _publogs(key, claimants[0][0], community_site):
            entry, line, url = claimants[0]
            problems.append(error(entry.path, line, f"{url} is a page publog writes itself; change "
                                  + ("the slug" if url == entry.url and "permalink" not in entry.lines else
                                     "its 'permalink'" if url == entry.url else "the alias")))
    return problems


def _links(
    compiled: list[Compiled], entries: list[Entry], entries_dir: str, files: frozenset[str],
    hidden: set[str], unchosen: set[str], layout: Any, homes: community.Homes,
) -> tuple[list[Entry], tuple[Asset, ...], list[Problem]]:
    """Resolve each published entry's links to entries and files; report the broken ones.

    Also gathers backlinks: which published entries link to which, and with what sentence.
    Drafts link out like any entry but never count as a backlink. ``hidden`` entries (private,
    or not chosen by publish:) are linked to as private ones: as plain text, without their name;
    links to the ``unchosen`` ones, left out on purpose, are no warning.
    """
    published = {e.path: e for e in entries}
    all_sources = {c.source.path for c in compiled if c.source}
    names = _WikiNames(compiled, entries_dir, layout)
    by_name = _Files(files, entries_dir)
    resolved: dict[str, tuple[tuple[str, str | None], ...]] = {}
    outlinks: dict[str, list[str]] = {}
    backlinks: dict[str, dict[str, str]] = defaultdict(dict)
    embedded: dict[str, dict[str, str]] = defaultdict(dict)  # entry -> its embeds' targets -> their paths
    summaries: dict[str, str] = {}
    assets: dict[str, Asset] = {}
    problems: list[Problem] = []
    prefix = entries_dir + "/" if entries_dir else ""
    for item in compiled:
        if item.source is None or item.source.path not in published or not (item.references or item.tags):
            continue
        path = item.source.path
        links: dict[str, str | None] = {}
        targets: list[str] = []
        for tag in item.tags:  # a #tag leads to its topic's page, when it is a topic of the journal
            key = urls.slugify(tag)
            links[TAG_KEY + tag] = f"/topics/{key}/" if key in published[path].topics else None
        for ref in item.references:
            if ref.wiki:
                key = WIKI_KEY + ref.target
                links[key] = None
                target, problem = names.find(ref.target, path, ref.line) if ref.to_entry else ("", None)
                if target and problem is not None:
                    problems.append(problem)  # Obsidian's choice among several, which publog made too
                elif problem is not None or not ref.to_entry:
                    # ![[image.png]], [[report.pdf]]: a file, found anywhere in the journal as Obsidian finds it.
                    file = by_name.find(ref.target, path)
                    if file is not None:
                        links[key] = assets.setdefault(file, Asset(file, _asset_url(file, prefix, homes))).url
                    else:
                        problems.append(problem or warning(path, ref.line, f"![[{ref.target}]] matches no file of the journal; fix the name or add the file"))
                    continue
            elif ref.to_entry:
                links[ref.target] = None
                target = _entry_target(ref.target, prefix, all_sources)
                if target not in all_sources:
                    problems.append(warning(path, ref.line, f"links to {ref.target}, which is no entry; fix the path (it is relative to this file)"))
                    continue
            else:
                file = _file_target(ref.target, prefix, files)
                if file is not None:
                    links[ref.target] = assets.setdefault(file, Asset(file, _asset_url(file, prefix, homes))).url
                elif not ref.target.startswith("/"):  # a path from the root may be a page of the site (/about/)
                    links[ref.target] = None
                    problems.append(warning(path, ref.line, f"{ref.target} is not a file in the entries folder; fix the path (it is relative to this file)"))
                continue
            if target in hidden:
                links[WIKI_KEY + ref.target if ref.wiki else ref.target] = PRIVATE
            if target not in published:
                if target not in unchosen:
                    shown = f"[[{ref.target}]]" if ref.wiki else target
                    problems.append(warning(path, ref.line, f"links to {shown}, which is not published (a draft, private or dated in the future); the link shows as plain text"))
                continue
            links[WIKI_KEY + ref.target if ref.wiki else ref.target] = published[target].url
            if ref.embed:
                embedded[path].setdefault(ref.target, target)
            if target != path:
                targets.append(target)
                if not published[path].draft:
                    backlinks[target].setdefault(path, ref.context)
        resolved[path] = tuple(sorted(links.items()))
        outlinks[path] = list(dict.fromkeys(targets))
        if NAME_START in published[path].summary:
            summaries[path] = _unmark(published[path].summary, path, names, hidden)
    for target, sources in backlinks.items():
        for source, context in sources.items():
            if NAME_START in context:
                sources[source] = _unmark(context, source, names, hidden)
    order = {e.path: n for n, e in enumerate(entries)}  # newest first
    entries = [
        replace(e, links=resolved.get(e.path, e.links), outlinks=tuple(outlinks.get(e.path, ())),
                summary=summaries.get(e.path, _unmark(e.summary, e.path, names, hidden)),
                backlinks=tuple(sorted(backlinks[e.path].items(), key=lambda b: order[b[0]])) if e.path in backlinks else ())
        if e.path in resolved or e.path in backlinks or NAME_START in e.summary else e  # most entries link nowhere
        for e in entries
    ]
    return _embeds(entries, embedded), tuple(sorted(assets.values(), key=lambda a: a.source)), problems


def _embeds(entries: list[Entry], embedded: Mapping[str, Mapping[str, str]]) -> list[Entry]:
    """Give each entry the published notes it embeds, each with its own embeds, never one already shown."""
    by_path = {e.path: e for e in entries}

    def tree(path: str, shown: tuple[str, ...]) -> tuple[Embed, ...]:
        if len(shown) > MAX_DEPTH:
            return ()
        found = []
        for written, target in embedded.get(path, {}).items():
            if target in shown:
                continue  # a note embedding itself, or two embedding each other: shown once
            note = by_path[target]
            found.append(Embed(written, note.title, note.digest, note.links, tree(target, shown + (target,))))
        return tuple(found)

    return [replace(e, embeds=tree(e.path, (e.path,))) if e.path in embedded else e for e in entries]


def _asset_url(file: str, prefix: str, homes: community.Homes) -> str:
    """Where a file an entry shows is published: a member's files below their pages, as their entries are."""
    home = homes(file)
    if home:
        return community.MEMBERS_URL + home.member + "/" + file[len(home.prefix):]
    return "/" + (file[len(prefix) :] if file.startswith(prefix) else file)


def _file_target(target: str, prefix: str, files: frozenset[str]) -> str | None:
    """The journal file a link names: relative to the linking entry, or from the journal root or entries folder."""
    if not target.startswith("/"):
        return target if target in files else None
    found = [target.lstrip("/"), posixpath.normpath(prefix + target.lstrip("/"))]
    return next((f for f in found if f in files), None)


class _Files:
    """The files of the journal by name, as Obsidian finds ![[image.png]]: by path, else by file name anywhere."""

    def __init__(self, files: frozenset[str], entries_dir: str):
        self.files = files
        self.prefix = entries_dir + "/" if entries_dir else ""
        self.names: dict[str, list[str]] = defaultdict(list)
        for file in files:
            self.names[posixpath.basename(file).casefold()].append(file)

    def find(self, target: str, source: str) -> str | None:
        name = target.strip().lstrip("/")
        if not name or posixpath.basename(name).casefold() not in self.names:
            return None
        for candidate in (self.prefix + name, posixpath.normpath(posixpath.join(posixpath.dirname(source), name))):
            if candidate in self.files:
                return candidate
        if "/" in name:
            return next((f for f in sorted(self.names[posixpath.basename(name).casefold()]) if f.endswith("/" + name)), None)
        found = sorted(self.names[name.casefold()])
        here = posixpath.dirname(source)
        # The one beside the note, else the one nearest the vault's root, as Obsidian's shortest path does.
        return next((f for f in found if posixpath.dirname(f) == here), None) or min(found, key=lambda f: (f.count("/"), f))


_MARKED = re.compile(f"{NAME_START}([^{NAME_SEP}]*){NAME_SEP}([^{NAME_END}]*){NAME_END}")


def _unmark(text: str, path: str, names: "_WikiNames", private: set[str]) -> str:
    """Text with the names of wiki link targets (see markdown.NAME_START) shown, unless the target is private."""
    if NAME_START not in text:
        return text

    def show(match: re.Match[str]) -> str:
        target, _ = names.find(match.group(1), path, 0)
        return "a private note" if target in private else match.group(2)

    return _MARKED.sub(show, text)


WIKI_KEY = "[["  # wiki link targets are kept apart from paths in an entry's links
PRIVATE = ""  # where a link to a private entry leads: nowhere, and its name is not shown


class _WikiNames:
    """Every name a wiki link may use for an entry, published or not, so that a link's meaning
    does not change when a draft comes out.

    Names are tried in Obsidian's order of preference: a path, a file name, a slug, a title, an
    alias (Obsidian's aliases: property); the first kind of name that matches decides, and of two
    entries it matches there, Obsidian's choice is made (see find). A page bundle (folder/index.md)
    is also named by its folder.
    """

    def __init__(self, compiled: list[Compiled], entries_dir: str, layout: Any = None):
        self.prefix = entries_dir + "/" if entries_dir else ""
        self.compiled, self.entries_dir, self.layout = compiled, entries_dir, layout

    @functools.cached_property
    def tiers(self) -> list[tuple[dict[str, list[str]], dict[str, list[str]]]]:
        """Made on the first wiki link: most journals have none. Each kind of name is kept as written
        (but for case) and with its spaces folded: the name as written is tried first, as Obsidian does."""
        compiled, entries_dir, layout = self.compiled, self.entries_dir, self.layout
        tiers: list[tuple[dict[str, list[str]], dict[str, list[str]]]] = [(defaultdict(list), defaultdict(list)) for _ in range(5)]
        paths, stems, slugs, titles, aliases = tiers

        def add(tier: tuple[dict[str, list[str]], dict[str, list[str]]], name: str, path: str) -> None:
            tier[0][_exact(name)].append(path)
            tier[1][_fold(name)].append(path)

        for item in compiled:
            source = item.source
            if source is None:
                continue
            where = conventions.place(source.path, entries_dir)
            add(paths, posixpath.splitext(where.relative)[0], source.path)
            stem = posixpath.splitext(posixpath.basename(source.path))[0]
            add(stems, stem, source.path)
            if where.index and where.name:
                add(paths, posixpath.join(where.folder, where.name), source.path)
                add(stems, where.name, source.path)
            slug = _slug(urls.written_slug(source.slug)[0], source.title, where, stem)
            if slug:
                add(slugs, slug, source.path)
            add(titles, source.title, source.path)
            for name in conventions.other_names(source, layout) if layout is not None else ():
                add(aliases, name, source.path)
        return tiers

    def find(self, target: str, source: str, line: int) -> tuple[str, Problem | None]:
        """The entry a wiki link names, as Obsidian finds it: the name as written, then with its spaces folded;
        of several, the one in the linking note's folder, else the one nearest the root. Where Obsidian
        would still have to choose, the first by path, with a warning."""
        name = (target[:-3] if target.lower().endswith(".md") else target).lstrip("/")
        here = posixpath.dirname(source[len(self.prefix):] if source.startswith(self.prefix) else source)
        beside = posixpath.normpath(posixpath.join(here, name)) if here and "/" in name else None
        # A name slugify() would strip of emoji or signs is no slug: [[🟨 X]] must not find '🟦 X'.
        slugged = urls.slugify(name) if all(c.isascii() or unicodedata.category(c)[0] in "LNZP" for c in name) else None
        paths, stems, slugs, titles, aliases = self.tiers
        for tier, keys in ((paths, (name, beside)), (stems, (name,)), (slugs, (name, slugged)), (titles, (name,)),
                           (aliases, (name,))):
            for index, form in ((tier[0], _exact), (tier[1], _fold)):
                found = sorted({p for k in keys if k for p in index.get(form(k), ())})
                if found:
                    return self._choose(found, target, source, line)
        return "", warning(source, line, f"[[{target}]] matches no entry's file name, slug or title; fix the link or write the entry")

    def _choose(self, found: list[str], target: str, source: str, line: int) -> tuple[str, Problem | None]:
        if len(found) == 1:
            return found[0], None
        folder = posixpath.dirname(source)
        nearest = [p for p in found if posixpath.dirname(p) == folder] or found
        depth = min(p.count("/") for p in nearest)
        nearest = [p for p in nearest if p.count("/") == depth]
        if len(nearest) == 1:
            return nearest[0], None
        forms = ", ".join(f"[[{posixpath.splitext(p[len(self.prefix):])[0]}]] for {p}" for p in nearest)
        return nearest[0], warning(source, line, f"[[{target}]] could mean {len(nearest)} entries; publog links "
                                   f"{nearest[0]}, as Obsidian would; to choose, write {forms}")


def _exact(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _fold(name: str) -> str:
    return " ".join(_exact(name).split())


def _entry_target(target: str, prefix: str, sources: set[str]) -> str:
    """A link by path (/x.md) may be written from the journal root or from the entries folder."""
    if not target.startswith("/"):
        return target
    from_root = target.lstrip("/")
    if from_root in sources or not prefix:
        return from_root
    return posixpath.normpath(prefix + from_root)

