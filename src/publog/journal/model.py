"""What the journal stage hands on: entries placed in the site, topics, series, the files they show.

Plain frozen values; everything after this stage (pages, feeds, learning, social) reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..markdown.embeds import Embed
from ..settings.config import Config


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
