"""Cards: an entry as lists, neighbours and feeds show it, and teasers: an entry as another page names it.

A card's fingerprint is the key under which its rendering is reused; pages hold the
fingerprints of the cards they show, and make the cards from those only when rendered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Sequence
from urllib.parse import urlsplit

from ..learning import consistency
from ..social import community
from ..settings.config import Config
from ..read.dates import iso
from ..journal.model import Entry, Journal
from ..social.mentions import respond_link
from ..settings.kinds import Kind
from ..urls import Urls, slugify


def hash_of(*parts: Any) -> str:
    """The fingerprint of ``parts``: what a page, a card or a shared view is named by."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class Link(NamedTuple):
    text: str
    url: str


@dataclass(frozen=True)
class Card:
    """An entry as lists, neighbours and feeds show it: everything but its body."""

    path: str
    title: str
    url: str  # with the site's base path
    absolute_url: str
    id: str
    date: dt.datetime
    date_iso: str
    date_text: str
    updated: dt.datetime | None
    updated_iso: str
    updated_text: str
    summary: str
    kind: Mapping[str, str] | None  # name, label, url
    topics: tuple[Link, ...]
    words: int
    reading_minutes: int
    toc: bool  # whether its page lists its headings: it has publog.yaml's toc_words or more
    draft: bool
    extra: Mapping[str, Any]
    digest: str  # of the body's source; the HTML is named by it
    links: tuple[tuple[str, str | None], ...]  # placeholder target -> site path (see render/templates.py)
    fields: tuple[Mapping[str, Any], ...]  # the kind's fields, ready to show: name, label, type, value, text
    fields_by_name: Mapping[str, Any]
    sources: tuple[Mapping[str, str], ...]  # type, title, author, url, library_url
    answer_url: str | None
    respond: Link | None  # how a reader responds: the entry's discuss: URL, publog.yaml's pattern, or email
    syndication: tuple[Link, ...]  # where else it was published (host, URL)
    stage: Link | None  # seedling, budding or evergreen, and where the stages are listed
    fingerprint: str  # of what the entry shows: the key under which its rendering is reused
    embeds: tuple[Any, ...] = ()  # the notes it shows with ![[note]] (embeds.Embed), put in by the render stage
    authors: tuple[Link, ...] = ()  # on a community site: the members who wrote it, and their pages


class Teaser(NamedTuple):
    """An entry named on another page: only what such a mention shows, so that a page's
    fingerprint holding it changes when that does, and not when the entry's text does."""

    title: str
    url: str  # with the site's base path
    date_iso: str
    date_text: str
    kind: str  # the kind's label, or ""

    __repr__ = tuple.__repr__  # what a fingerprint hashes: the fields, written by C, not by Python, thousands a plan

    def view(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(frozen=True)
class Digest:
    """A week's entries as one feed item: what a feed needs of a card, and its own content."""

    id: str
    title: str
    url: str
    absolute_url: str
    date: dt.datetime
    date_iso: str
    updated: dt.datetime | None
    updated_iso: str
    summary: str
    content_html: str
    inputs: Any  # what the item shows, for the feed's fingerprint
    topics: tuple[Link, ...] = ()
    respond: Link | None = None


class Cards:
    """Cards of the entries, made only for the pages that are rendered.

    A card's fingerprint is known without making it: everything an entry shows
    comes from its file (named by its digest) and the settings, except its dates
    (which may come from git), its URL, where its links lead and its topics' names.
    """

    def __init__(self, journal: Journal, urls: Urls, before: Cards | None = None):
        """``before``: the cards of the last plan in this process, whose cards of the same fingerprint are
        these (when the settings are the same): made once, not for every plan after a change of front matter."""
        self.urls = urls
        self.config = journal.config
        self.kinds = journal.config.kinds
        self.topic_links = {t.key: Link(t.name, urls.page(t.url)) for t in journal.topics}
        self.member_links = {m.id: Link(m.name, urls.page(m.url)) for m in journal.config.members}
        self.entries = {e.path: e for e in journal.entries}
        self.members = {m.id: m for m in journal.config.members}
        self.fingerprint: dict[str, str] = {}
        self.teasers: dict[str, Teaser] = {}  # what a mention of it shows
        self.changed: dict[str, str] = {}  # when it last changed: the sitemap's lastmod of the pages that show it
        self._made: dict[str, Card] = {}
        self._before: dict[str, Card] = {}
        same = before is not None and before.urls == urls and before.config == journal.config
        # An entry that is the very object it was (journal.assemble_again keeps those) has the same keys,
        # while its topics have the same names.
        kept = before.entries if before is not None and same and before.topic_links == self.topic_links else {}
        for e in journal.entries:
            if before is not None and kept.get(e.path) is e:
                self.fingerprint[e.path], self.teasers[e.path] = before.fingerprint[e.path], before.teasers[e.path]
                self.changed[e.path] = before.changed[e.path]
            else:
                self.fingerprint[e.path], self.teasers[e.path] = self._fingerprint(e), self._teaser(e)
                self.changed[e.path] = (e.updated or e.date).date().isoformat()
        self._paths = {fingerprint: path for path, fingerprint in self.fingerprint.items()}
        if before is not None and same:
            self._before = {card.fingerprint: card for card in [*before._before.values(), *before._made.values()]
                            if self.fingerprint.get(card.path) == card.fingerprint}  # only those still shown

    def _teaser(self, e: Entry) -> Teaser:
        kind = self.kinds.get(e.kind) if e.kind else None
        return Teaser(e.title, self.urls.page(e.url), iso(e.date), date_text(e.date), kind.label if kind else "")

    def _fingerprint(self, e: Entry) -> str:
        return hash_of(e.digest, e.url, e.date, e.updated, e.links, e.answer, tuple(self.topic_links[k].text for k in e.topics),
                     e.embeds, e.authors)

    def __call__(self, entry: Entry) -> Card:
        card = self._made.get(entry.path)
        if card is None:
            entry = self.entries[entry.path]  # the latest version of it (see update)
            fingerprint = self.fingerprint[entry.path]
            card = self._before.get(fingerprint)
            if card is None or card.path != entry.path:
                writer = self.members.get(entry.authors[0]) if len(entry.authors) == 1 else None
                card = make_card(entry, self.urls, self.topic_links, self.member_links, self.config, fingerprint, writer)
            self._made[entry.path] = card
        return card

    def update(self, entries: Sequence[Entry]) -> dict[str, str]:
        """Take new versions of some entries, whose text only changed; their cards' old fingerprints -> the new ones."""
        swap = {}
        for entry in entries:
            self.entries[entry.path] = entry  # its teaser is the same: a mention shows none of its text
            self._made.pop(entry.path, None)
            new = self._fingerprint(entry)
            swap[self.fingerprint[entry.path]] = new
            self._paths.pop(self.fingerprint[entry.path], None)
            self.fingerprint[entry.path] = new
            self._paths[new] = entry.path
        return swap

    def lastmod(self, entries: Sequence[Entry]) -> str:
        """The sitemap's lastmod of a page that shows ``entries``."""
        return max([self.changed[e.path] for e in entries], default="")

    def many(self, entries: Sequence[Entry]) -> list[Card]:
        return [self(e) for e in entries]

    def of(self, entries: Sequence[Entry]) -> list[str]:
        """The fingerprints of the cards of ``entries``: what a page showing them holds in its inputs."""
        return [self.fingerprint[e.path] for e in entries]

    def card(self, fingerprint: str) -> Card:
        """The card of that fingerprint (one of the entries' latest)."""
        return self(self.entries[self._paths[fingerprint]])

    def shown(self, fingerprints: Sequence[str]) -> list[Card]:
        return [self.card(f) for f in fingerprints]

    def teasers_of(self, paths: Sequence[str]) -> tuple[Teaser, ...]:
        return tuple(self.teasers[p] for p in paths)


def make_card(entry: Entry, urls: Urls, topic_links: Mapping[str, Link], member_links: Mapping[str, Link], config: Config,
          fingerprint: str, writer: community.Member | None = None) -> Card:
    """``writer``: on a community site, the member who alone wrote it."""
    updated = entry.updated
    kind = config.kinds.get(entry.kind) if entry.kind else None
    respond = respond_link(entry.title, urls.absolute(entry.url), config, entry.extra.get("discuss"), writer)
    syndication = entry.extra.get("syndication") or ()
    syndication = [syndication] if isinstance(syndication, str) else syndication if isinstance(syndication, list) else []
    answer = entry.answer and (entry.answer if "://" in entry.answer else urls.page(entry.answer))
    sources = tuple({**s, "library_url": urls.page("/library/") + "#" + source_key(s)} for s in entry.sources)
    fields: dict[str, Any] = dict(
        path=entry.path,
        title=entry.title,
        url=urls.page(entry.url),
        absolute_url=urls.absolute(entry.url),
        id=entry.id,
        date=entry.date,
        date_iso=iso(entry.date),
        date_text=date_text(entry.date),
        updated=updated,
        updated_iso=iso(updated) if updated else "",
        updated_text=date_text(updated) if updated else "",
        summary=entry.summary,
        kind=kind_view(kind, urls),
        topics=tuple(topic_links[k] for k in entry.topics),
        words=entry.words,
        reading_minutes=max(1, math.ceil(entry.words / 230)),
        toc=0 < config.toc_words <= entry.words,
        draft=entry.draft,
        extra=entry.extra,
        digest=entry.digest,
        links=entry.links,
        fields=field_views(entry, kind, answer, sources),
        fields_by_name=dict(entry.fields),
        sources=sources,
        answer_url=answer,
        respond=Link(*respond) if respond else None,
        stage=(lambda st: Link(st, urls.page("/stages/") + "#stage-" + st) if st else None)(consistency.stage_of(entry)),
        syndication=tuple(Link(urlsplit(u).hostname or u, u) for u in syndication
                          if isinstance(u, str) and u.startswith(("https://", "http://"))),
    )
    return Card(**fields, fingerprint=fingerprint, embeds=entry.embeds, authors=tuple(member_links[a] for a in entry.authors))


def kind_view(kind: Kind | None, urls: Urls) -> dict[str, str] | None:
    return {"name": kind.name, "label": kind.label, "url": urls.page(f"/kinds/{kind.name}/")} if kind else None


def date_text(when: dt.date) -> str:
    return f"{when.day} {when:%B %Y}"


def period_text(start: dt.date, end: dt.date) -> str:
    if start == end:
        return date_text(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{date_text(start)} – {date_text(end)}"


def field_views(
    entry: Entry, kind: Kind | None, answer: str | None, sources: tuple[Mapping[str, str], ...]
) -> tuple[Mapping[str, Any], ...]:
    views = []
    for name, value in entry.fields.items():
        kind_field = next((f for f in kind.fields if f.name == name), None) if kind else None
        label = kind_field.label if kind_field else name
        type_ = kind_field.type if kind_field else "any"
        if type_ == "period":
            text = period_text(value["start"], value["end"])
        elif type_ == "date":
            text = date_text(value)
        elif type_ == "answer":
            value, text = answer, "the answer"
        elif type_ == "sources":
            value, text = sources, ""
        elif type_ == "texts":
            text = ""
        else:
            text = str(value)
        views.append({"name": name, "label": label, "type": type_, "value": value, "text": text})
    return tuple(views)


def source_key(source: Mapping[str, str]) -> str:
    """One id per book, talk or article, however often and wherever it is cited."""
    return slugify(f"{source['title']} {source.get('author', '')}") or "source"

