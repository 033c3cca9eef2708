"""Placing one entry file: whether this build publishes it, its URL, its id, topics, kind and series.

A pure function of the file's compiled record and the settings, before any entry is linked to another.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple
from urllib.parse import quote

from .. import urls
from ..problems import Problem, error, warning
from ..read import conventions
from ..read.dates import date_from_name, instant, strip_date
from ..read.folder import Compiled
from ..read.layouts import Layout
from ..read.load import Source
from ..records import replaced
from ..settings import kinds as kinds_mod
from ..settings.config import Config
from ..social import community
from .addresses import feed_id
from .model import Entry
from .series import series_of


@dataclass(frozen=True)
class Publishing:
    """Which entries a build publishes: drafts or not, and those dated after ``now`` or not."""

    drafts: bool = False
    future: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


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


def place(item: Compiled, config: Config, publishing: Publishing, entries_dir: str, homes: community.Homes,
          fallback_dates: Mapping[str, dt.datetime], fallback_updated: Mapping[str, dt.datetime], host: str) -> Placing:
    """Where one entry file goes, if it is published, and what is wrong with it."""
    layout = config.layout
    source = item.source
    assert source is not None
    problems: list[Problem] = []
    home = homes(source.path)
    where = conventions.place(source.path, home.prefix[:-1] if home else entries_dir)
    problems += conventions.notices(source.path, item.notices, layout)
    untitled = _untitled(source, layout, entries_dir)
    if untitled is not None:
        problems.append(untitled)
        if untitled.severity == "error":
            return Placing(item, None, 1, tuple(problems), ())
    source = replaced(source, title=conventions.title(source, layout), draft=conventions.is_draft(source, layout, where))
    stem = posixpath.splitext(posixpath.basename(source.path))[0]
    raw_date = source.date or date_from_name(stem)
    date = instant(raw_date, config.zone) if raw_date else fallback_dates.get(source.path)
    if date is None:  # only when the file vanished between reading and dating it
        return Placing(item, None, 1, tuple(problems), ())
    left_out = _left_out(item, source, date, config, publishing, where, problems)
    if left_out is not None:
        return left_out
    written, rooted, done, wrong = urls.written_slug(source.slug)
    if wrong:
        problems.append(error(source.path, source.lines.get("slug", 1), done))
        return Placing(item, None, 1, tuple(problems), ())
    if done:
        problems.append(warning(source.path, source.lines.get("slug", 1), done))
    if written != source.slug:
        source = replaced(source, slug=written)
    slug = entry_slug(source.slug, source.title, where, stem)
    if not slug:
        problems.append(error(source.path, source.lines.get("title", 1), "no URL can be made from this file name or title; add 'slug: some-words'"))
        return Placing(item, None, 1, tuple(problems), ())
    found = conventions.categories(source, layout, where)
    url = _url(source, config, where, home, date, slug, rooted, found)
    authors = _authors_of(source, config, home, problems)
    keys, names = _topic_keys(source, item.tags, config, found, problems)
    fields, sources = _kind_fields(source, date.date(), config, problems)
    series, order = series_of(source, problems)
    entry = Entry(
        path=source.path,
        url=url,
        title=source.title,
        date=date,
        updated=tended(instant(source.updated, config.zone) if source.updated else None, date,
                       fallback_updated.get(source.path), config.zone, publishing.now),
        topics=keys,
        kind=source.kind,
        summary=source.summary or item.summary,
        draft=source.draft,
        words=item.words,
        digest=item.digest,
        id=source.id or feed_id(config.journal_id, host, date.date(), (f"members/{home.member}/" if home else "")
                                + quote(strip_date(stem))),
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
                   tuple(problems), names)


def tended(written: dt.datetime | None, date: dt.datetime, last_commit: dt.datetime | None,
           zone: dt.tzinfo, now: dt.datetime) -> dt.datetime | None:
    """When an entry was last tended: its last commit, when that is on a later day than its ``updated:``
    (else its date) says; else as its ``updated:`` says. A commit on the day it was written or updated
    (the same change, committed) is no update of its own, nor one dated after the build's clock (a
    commit's date is whatever the machine that made it said)."""
    if last_commit is None or last_commit > now:
        return written
    if last_commit.astimezone(zone).date() > (written or date).astimezone(zone).date():
        return last_commit.astimezone(zone)
    return written


def entry_slug(written: str | None, title: str, where: conventions.Place, stem: str) -> str:
    """The slug of an entry: its own, else from its file name, else from its title; a name that only
    emoji or signs make (which slugify() drops) is kept as it is written, so that such names never share one."""
    name = strip_date(where.name if where.index else stem)
    return written or urls.slugify(name) or urls.slugify(title) or urls.fallback_slug(name) or urls.fallback_slug(title)


def _untitled(source: Source, layout: Layout, entries_dir: str) -> Problem | None:
    """What to say of an entry without a title: an error when its title is all private, which must not
    become its file name (which may say the same). A journal of publog's own is told; a plain folder is
    titled as GitHub shows it, and another generator's folder as that generator titles it."""
    if not source.untitled or layout.imported or not (entries_dir or source.untitled == "is all private"):
        return None
    if source.untitled == "is all private":
        return error(source.path, source.lines.get("title", 1), f"the title {source.untitled}; "
                     "add 'title: ...' to the front matter or a '# Title' line")
    return warning(source.path, source.lines.get("title", 1), f"the title {source.untitled}, so publog "
                   f"used the file name '{source.title}'; add 'title: ...' to the front matter or a '# Title' line")


def _left_out(item: Compiled, source: Source, date: dt.datetime, config: Config, publishing: Publishing,
              where: conventions.Place, problems: list[Problem]) -> Placing | None:
    """How an entry this build does not publish was placed: private or not chosen, a draft, or one to come."""
    if conventions.is_hidden(source, config, where):
        return Placing(item, None, 1, tuple(problems), (), hidden=True, unchosen=conventions.not_chosen(source, config, where))
    if source.draft and not publishing.drafts:
        return Placing(item, None, 1, tuple(problems), ())
    if date > publishing.now and not publishing.future:
        return Placing(item, None, 1, tuple(problems), (), upcoming=date)
    return None


def _url(source: Source, config: Config, where: conventions.Place, home: community.Folder | None, date: dt.datetime,
         slug: str, rooted: str | None, found: tuple[str, ...]) -> str:
    """An entry's site path: its permalink, else its folder's pattern (or its member's) filled in."""
    if source.permalink is not None or rooted is not None:
        url = urls.site_path(source.permalink) if source.permalink is not None else str(rooted)
    else:
        pattern = conventions.pattern(where, config.layout, home.permalink if home else config.permalink)
        parts = conventions.url_parts(source, config.layout, where, found) if urls.needs_parts(pattern) else {}
        if "{file}" in pattern:
            parts["file"] = urls.file_part(where.relative, source.slug)
        url = urls.permalink(pattern, date, slug, **parts)
    if home:  # a member's own space: another member's entries never move it
        url = community.MEMBERS_URL + home.member + url
    return url


def _authors_of(source: Source, config: Config, home: community.Folder | None, problems: list[Problem]) -> tuple[str, ...]:
    """The community members who wrote an entry: the member whose space it is in, else its 'author'."""
    if home:
        return (home.member,)
    if config.members:
        authors, more = community.authors(source.extra.get("author"), config.members, source.path, source.lines.get("author", 1))
        problems += more
        return authors
    return ()


def _topic_keys(source: Source, tags: tuple[str, ...], config: Config, found: tuple[str, ...],
                problems: list[Problem]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """An entry's topic keys, and each with the tag as it was written."""
    keys: list[str] = []
    names: list[tuple[str, str]] = []
    for tag in conventions.topics(source, tags, config, found):
        key = urls.slugify(tag)
        if not key:
            problems.append(error(source.path, source.lines.get("tags", 1), f"tag {tag!r} has no letters or digits; remove or rename it"))
        elif key not in keys:
            keys.append(key)
            names.append((key, tag))
    return tuple(keys), tuple(names)


def _kind_fields(
    source: Source, day: dt.date, config: Config, problems: list[Problem]
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
            problems.extend(Problem(source.path, n, message, severity) for n, message, severity in wrong)
    cited = values.get("sources")
    if cited is None and "sources" in source.extra:
        cited, bad = kinds_mod.normalise("sources", source.extra["sources"])
        if bad:
            problems.append(error(source.path, source.lines.get("sources", 1), f"'sources' {bad}"))
    return values, tuple(cited or ())
