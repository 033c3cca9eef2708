"""Journal -> the pages and files of the site, each with a fingerprint of what it shows.

A page's fingerprint covers everything its output depends on: the theme, the
settings, and the views of the entries it shows. Templates receive only those
views, so a page whose fingerprint did not change would render to the same
bytes and is not rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import operator
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any, Callable, Mapping, NamedTuple, Sequence
from html import escape
from urllib.parse import urlsplit
import unicodedata

from markupsafe import Markup

from ..social import community, network
from ..learning import consistency, maps
from ..privacy import images
from . import linkmap
from ..social.community import MEMBER_SOURCE
from ..settings.config import Config
from ..read.dates import iso
from ..journal.model import Entry, Journal
from ..social.mentions import Mentions, Responses, respond_link
from ..social.network import Person
from ..problems import Problem, warning
from ..settings.kinds import Kind
from ..urls import Urls, output_file, slugify

# Kinds of page the render stage knows how to make.
TEMPLATE = "template"
FEED = "feed"
COPY = "copy"
TEXT = "text"


BLOGROLL = "/.well-known/recommendations.opml"  # where blogroll discovery tools look first


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


class Listed(NamedTuple):
    """An entry as the archive lists it: what its teaser key covers and no more, so that the archive's
    fingerprint (of those keys) says when it changes; cards of every entry cost a tenth of a second."""

    title: str
    url: str
    date: dt.datetime
    date_iso: str
    date_text: str
    kind: Mapping[str, str] | None  # name, label, url


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


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, how it is made, from what."""

    file: str  # relative to the output folder
    url: str  # site path
    kind: str  # TEMPLATE, FEED, COPY or TEXT
    name: str  # template name, feed format, or source file for COPY
    make: Callable[[], Mapping[str, Any]]  # the context, built only when the page is rendered
    fingerprint: str
    lastmod: str = ""  # for the sitemap
    repeats: bool = False  # a list page or feed: only entries' text, which their own pages hold too
    inputs: tuple[Any, ...] = ()  # what the fingerprint is the hash of (see plan_again)
    author: str = ""  # the author's file it is made of (an entry, a static file); "" for a page publog writes itself

    @property
    def context(self) -> Mapping[str, Any]:
        return self.make()


def _hash(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class _Cards:
    """Cards of the entries, made only for the pages that are rendered.

    A card's fingerprint is known without making it: everything an entry shows
    comes from its file (named by its digest) and the settings, except its date
    (which may come from git), its URL, where its links lead and its topics' names.
    """

    def __init__(self, journal: Journal, urls: Urls, before: _Cards | None = None):
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
        self.teaser_key: dict[str, str] = {}  # what a mention of it shows: pages name entries by these in their fingerprints
        self.changed: dict[str, str] = {}  # when it last changed: the sitemap's lastmod of the pages that show it
        self._made: dict[str, Card] = {}
        self._before: dict[str, Card] = {}
        same = before is not None and before.urls == urls and before.config == journal.config
        # An entry that is the very object it was (journal.assemble_again keeps those) has the same keys,
        # while its topics have the same names.
        kept = before.entries if before is not None and same and before.topic_links == self.topic_links else {}
        for e in journal.entries:
            if before is not None and kept.get(e.path) is e:
                self.fingerprint[e.path], self.teaser_key[e.path] = before.fingerprint[e.path], before.teaser_key[e.path]
                self.changed[e.path] = before.changed[e.path]
            else:
                self.fingerprint[e.path], self.teaser_key[e.path] = self._fingerprint(e), _teaser_key(e)
                self.changed[e.path] = (e.updated or e.date).date().isoformat()
        if before is not None and same:
            self._before = {card.fingerprint: card for card in [*before._before.values(), *before._made.values()]
                            if self.fingerprint.get(card.path) == card.fingerprint}  # only those still shown

    def _fingerprint(self, e: Entry) -> str:
        return _hash(e.digest, e.url, e.date, e.links, e.answer, tuple(self.topic_links[k].text for k in e.topics),
                     e.embeds, e.authors)

    def __call__(self, entry: Entry) -> Card:
        card = self._made.get(entry.path)
        if card is None:
            entry = self.entries[entry.path]  # the latest version of it (see update)
            fingerprint = self.fingerprint[entry.path]
            card = self._before.get(fingerprint)
            if card is None or card.path != entry.path:
                writer = self.members.get(entry.authors[0]) if len(entry.authors) == 1 else None
                card = _card(entry, self.urls, self.topic_links, self.member_links, self.config, fingerprint, writer)
            self._made[entry.path] = card
        return card

    def update(self, entries: Sequence[Entry]) -> dict[str, str]:
        """Take new versions of some entries, whose text only changed; their cards' old fingerprints -> the new ones."""
        swap = {}
        for entry in entries:
            self.entries[entry.path] = entry  # its teaser key is the same: a mention shows none of its text
            self._made.pop(entry.path, None)
            new = self._fingerprint(entry)
            swap[self.fingerprint[entry.path]] = new
            self.fingerprint[entry.path] = new
        return swap

    def lastmod(self, entries: Sequence[Entry]) -> str:
        """The sitemap's lastmod of a page that shows ``entries``."""
        return max([self.changed[e.path] for e in entries], default="")

    def many(self, entries: Sequence[Entry]) -> list[Card]:
        return [self(e) for e in entries]

    def of(self, entries: Sequence[Entry]) -> list[str]:
        return [self.fingerprint[e.path] for e in entries]


def _teaser_key(e: Entry) -> str:
    return _hash(e.url, e.title, e.date, e.kind)


@dataclass(frozen=True)
class Planned:
    """A plan and what it was made from: what a long-running process (publog serve) keeps so that,
    after an edit of nothing but the text of entries, the next plan need not be made again."""

    journal: Journal
    inputs: tuple[Any, ...]  # every argument of plan but the journal
    pages: list[Page]
    cards: _Cards
    shown: dict[str, list[int]] | None = None  # a card's fingerprint -> the pages whose fingerprint holds it
    views: dict[str, TopicView] = field(default_factory=dict)  # by topic key


class TopicView(NamedTuple):
    """What a topic's pages show besides its entries' cards, made from ``made_of`` (compared by identity:
    journal.assemble_again keeps the objects that did not change): kept for the next plan."""

    made_of: tuple[Any, ...]
    view: dict[str, Any]
    digest: str | None  # the hash of what every list page of the topic shows besides its cards, once known


def plan(journal: Journal, theme_digest: str, statics: Sequence[tuple[str, str, str]],
         people: Sequence[Person] = (), credited: Mapping[str, Sequence[str]] | None = None,
         responses: Mentions | None = None, revisions: Mapping[str, Sequence[Any]] | None = None,
         pulled: Sequence[Any] = ()) -> list[Page]:
    """Every file the site is made of.

    ``statics`` are (output file, source path, content stamp) of files to copy; ``people`` the
    author's learning network and ``credited`` the entries that credit each of them.
    """
    return _plan(journal, theme_digest, statics, people, credited, responses, revisions, pulled)[0]


def plan_again(last: Planned | None, journal: Journal, *inputs: Any) -> tuple[list[Page], Planned]:
    """``plan(journal, *inputs)``, made from the last plan when only the text of some entries changed
    (``journal.assemble_again`` then gives the last journal with their new digests and word counts).

    The text of an entry shows only in its card, so the pages whose fingerprint holds the
    card's fingerprint get a new one and make their card anew; every other page is the same.
    """
    # Only the files to copy (``statics``: a new search index, in publog serve) changed: they are the last pages.
    if last is not None and last.inputs != inputs and _without_statics(last.inputs) == _without_statics(inputs):
        kept = [page for page in last.pages if page.kind != COPY]
        last = replace(last, inputs=inputs, pages=kept + _copies(inputs[_STATICS]))
    changed = _text_changes(last.journal, journal) if last is not None and last.inputs == inputs else None
    if last is None or changed is None:
        pages, cards, views = _plan(journal, *inputs, before=last)
        return pages, Planned(journal, inputs, pages, cards, views=views)
    if not changed:
        return last.pages, last
    # Which pages show which card: found once, on the first edit, then kept up to date.
    shown = last.shown if last.shown is not None else _shown(last.pages, set(last.cards.fingerprint.values()))
    swap = last.cards.update(changed)  # the kept pages make cards from the new entries from now on
    pages = list(last.pages)
    for n in sorted({n for old in swap for n in shown.get(old, ())}):
        parts = _swapped(pages[n].inputs, swap)
        pages[n] = replace(pages[n], inputs=parts, fingerprint=_hash(*parts))
    shown = dict(shown)
    for old, new in swap.items():
        shown[new] = shown.pop(old, [])
    return pages, Planned(journal, inputs, pages, last.cards, shown, last.views)


_STATICS = 1  # where plan's ``statics`` is among its arguments after the journal


def _without_statics(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    return inputs[:_STATICS] + inputs[_STATICS + 1:]


def indexed(planned: Planned) -> Planned:
    """``planned`` with its index of which page shows which card, which plan_again otherwise makes on the
    first edit after a plan made from scratch: a process with time to spare makes it beforehand."""
    if planned.shown is not None:
        return planned
    return replace(planned, shown=_shown(planned.pages, set(planned.cards.fingerprint.values())))


def _shown(pages: Sequence[Page], fingerprints: set[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}

    def visit(value: Any, n: int) -> None:
        if isinstance(value, str):
            if value in fingerprints:
                found.setdefault(value, []).append(n)
        elif type(value) is list or type(value) is tuple:
            for item in value:
                visit(item, n)

    for n, page in enumerate(pages):
        visit(page.inputs, n)
    return found


def _text_changes(old: Journal, new: Journal) -> list[Entry] | None:
    """The entries of ``new`` that differ from ``old``'s in their digest and word count only;
    None when anything else differs."""
    if old is new:
        return []
    if len(old.entries) != len(new.entries) or replace(old, entries=()) != replace(new, entries=()):
        return None
    changed = []
    for before, after in zip(old.entries, new.entries):
        if before is after:
            continue
        if before.path != after.path or replace(before, digest=after.digest, words=after.words) != after:
            return None
        changed.append(after)
    return changed


def _swapped(value: Any, swap: Mapping[str, str]) -> Any:
    """``value`` with the strings of ``swap`` replaced, in lists and tuples at any depth; the very
    same object when none is there (card fingerprints are in lists and tuples, never in dicts)."""
    if isinstance(value, str):
        return swap.get(value, value)
    if type(value) is list or type(value) is tuple:
        items = [_swapped(v, swap) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            return type(value)(items)
    return value


def _plan(journal: Journal, theme_digest: str, statics: Sequence[tuple[str, str, str]],
          people: Sequence[Person] = (), credited: Mapping[str, Sequence[str]] | None = None,
          responses: Mentions | None = None, revisions: Mapping[str, Sequence[Any]] | None = None,
          pulled: Sequence[Any] = (), *, before: Planned | None = None) -> tuple[list[Page], _Cards, dict[str, TopicView]]:
    config = journal.config
    urls = Urls(config.base_url)
    credited = credited or {}
    site = _site(config, urls, bool(journal.series), any(p.feed for p in people),
                 any(not e.draft for e in journal.entries), any(consistency.stage_of(e) for e in journal.entries))
    site["network_latest_url"] = urls.page("/network/latest/") if pulled else None
    base = _hash(theme_digest, config.digest(), site)
    cards = _Cards(journal, urls, before.cards if before is not None else None)
    entries = list(journal.entries)
    by_path = {e.path: e for e in entries}
    newest_change = cards.lastmod(entries)  # of the pages that list every entry
    feeds = _feed_links(urls)

    pages: list[Page] = []

    def add(url: str, template: str, make: Callable[[], dict[str, Any]], *inputs: Any, kind: str = TEMPLATE,
            lastmod: str = "", repeats: bool = False, author: str = "") -> None:
        def context() -> dict[str, Any]:
            made = {"site": site, **make()}
            if "page" in made:
                made["page"] = {**made["page"], "url": urls.page(url), "canonical": urls.absolute(url)}
            return made

        parts = (base, template, url, *inputs)
        pages.append(Page(output_file(url), url, kind, template, context, _hash(*parts), lastmod, repeats or kind == FEED, parts,
                          author))

    def collection(path: str, template: str, view: dict[str, Any], members: list[Entry], title: str, description: str,
                   shared: str | None = None) -> str:
        """Paginated list pages and RSS and Atom feeds of some of the entries; the hash of what every list page
        shows besides its entries (``shared``, when this view was hashed before) is returned."""
        channel = {"name": view["name"], "description": description, "path": path}
        links = [Link(f"{view['name']} (RSS)", urls.page(path + "feed.xml")),
                 Link(f"{view['name']} (Atom)", urls.page(path + "atom.xml"))] + feeds
        view = {**view, "count": len(members), "url": urls.page(path), "feed_url": urls.page(path + "feed.xml"),
                "atom_url": urls.page(path + "atom.xml")}
        shared = _paginated(add, urls, cards, members, config.per_page, path, template,
                            lambda n: _page_meta(title, description, links, "website", n), {"collection": view}, shared)
        newest = members[: config.feed_items]
        for fmt, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
            add(path + name, fmt,
                lambda n=newest, f=path + name: {"entries": cards.many(n), "channel": channel, "self_url": urls.absolute(f)},
                cards.of(newest), channel, kind=FEED)
        return shared

    series_of = {path: series for series in journal.series for path in series.entries}
    credited_paths = {key: set(paths) for key, paths in credited.items()}

    def teaser(path: str) -> dict[str, Any]:
        """An entry named on another entry's page: only what such a mention shows."""
        e = by_path[path]
        kind = config.kinds.get(e.kind) if e.kind else None
        return {"title": e.title, "url": urls.page(e.url), "date_iso": iso(e.date), "date_text": _date_text(e.date),
                "kind": kind.label if kind else ""}

    def source_view(source: Mapping[str, str]) -> dict[str, Any]:
        return {**source, "library_url": urls.page("/library/") + "#" + source_key(source)}

    teaser_key = cards.teaser_key

    def teaser_inputs(paths: Sequence[str]) -> list[str]:
        return [teaser_key[p] for p in paths]

    for index, entry in enumerate(entries):
        newer = entries[index - 1] if index > 0 else None
        older = entries[index + 1] if index + 1 < len(entries) else None
        kind = config.kinds.get(entry.kind) if entry.kind else None
        series = series_of.get(entry.path)
        via = [(p.id, p.name) for p in people if entry.path in credited_paths.get(p.id, ())]
        add(
            entry.url, kind.template if kind else "entry.html",
            lambda e=entry, nw=newer, od=older, sr=series, v=via: {
                "page": _page_meta(e.title, e.summary, feeds, "article"), "entry": cards(e),
                "newer": nw and cards(nw), "older": od and cards(od),
                "backlinks": [{**teaser(p), "context": c} for p, c in e.backlinks],
                "related": [teaser(p) for p in e.related],
                "series": sr and _series_view(sr, e.path, teaser, urls),
                "credits": [{"name": name, "url": urls.page("/network/") + "#" + key} for key, name in v],
                "responses": _responses_view(responses.get(e.url)) if responses else None,
                "link_map": linkmap.around(e, by_path, teaser),
                "links_out": [teaser(p) for p in e.outlinks],
                "history": [{"date_iso": iso(r.when), "date_text": _date_text(r.when), "message": r.message, "commit": r.commit}
                            for r in (revisions or {}).get(e.path, ())],
            },
            cards.fingerprint[entry.path], newer and cards.fingerprint[newer.path], older and cards.fingerprint[older.path],
            teaser_inputs([p for p, _ in entry.backlinks]), [c for _, c in entry.backlinks], teaser_inputs(entry.related),
            teaser_inputs(entry.outlinks),
            series and (series.name, teaser_inputs(series.entries)), via, responses and responses.digest(entry.url), (revisions or {}).get(entry.path),
            lastmod=cards.lastmod([entry]), author=entry.path,
        )

    for series in journal.series:
        members = [by_path[p] for p in series.entries]
        add(series.url, "series.html",
            lambda sr=series, m=members: {
                "page": _page_meta(sr.name, f"A series of {len(m)} entries of {config.title}", feeds, "website"),
                "series": {"name": sr.name, "url": urls.page(sr.url)}, "entries": cards.many(m)},
            series.name, cards.of(members), lastmod=cards.lastmod(members))
    series_index = [{"name": sr.name, "url": urls.page(sr.url), "count": len(sr.entries),
                     "first": teaser(sr.entries[0]), "latest": teaser(sr.entries[-1])} for sr in journal.series]
    if journal.series:
        add("/series/", "series-index.html",
            lambda: {"page": _page_meta("Series", f"Entries of {config.title} that are read in order", feeds, "website"),
                     "series": series_index},
            [(sr.name, teaser_inputs(sr.entries)) for sr in journal.series], lastmod=newest_change)

    streak = consistency.streak(journal)
    if not any(e.url == "/" for e in entries):  # an entry whose permalink is / is the home page; the archive lists all
        _paginated(add, urls, cards, entries, config.per_page, "/", "index.html",
                   lambda n: _page_meta(config.title, config.description, feeds, "website", n), {"streak": streak})

    topics_by_key = {t.key: t for t in journal.topics}
    views: dict[str, TopicView] = {}
    views_before = before.views if before is not None else {}
    for topic in journal.topics:
        members = [by_path[p] for p in topic.entries]
        parent, children = topics_by_key.get(topic.parent or ""), [topics_by_key[k] for k in topic.children]
        # What the view is made of, and nothing else: it is kept while these are the very same objects.
        made_of = (topic, parent, *children, config, *members)
        kept = views_before.get(topic.key)
        if kept is None or len(kept.made_of) != len(made_of) or not all(map(operator.is_, kept.made_of, made_of)):
            learning = maps.topic_map(topic, parent, children, members, config.kinds, urls, teaser, source_view)
            kept = TopicView(made_of, {"key": topic.key, "name": topic.name, "description": topic.description, "map": learning,
                                       "link_map": linkmap.within(topic.name, members, teaser),
                                       "writers": _writers(members, config, cards.member_links)}, None)
        digest = collection(topic.url, "topic.html", kept.view, members, topic.name,
                            topic.description or f"Entries about {topic.name}", kept.digest)
        views[topic.key] = kept if kept.digest == digest else kept._replace(digest=digest)
    weeks = consistency.digests(journal)
    as_member = network.members_among(people, config.members)  # people of the network who are members here
    if config.members:
        _community(add, collection, config, entries, cards, teaser, people, as_member, pulled, feeds)
        if weeks:
            _new_this_week(add, weeks[0], journal, cards, teaser, pulled, feeds)
    tree = maps.topic_tree(journal, urls)
    add("/topics/", "topics.html",
        lambda: {"page": _page_meta("Topics", f"Every topic of {config.title}", feeds, "website"), "topics": tree},
        tree, lastmod=newest_change)
    now = {**maps.now(journal, urls, teaser, source_view), "streak": streak,
           "calendar": consistency.contribution_calendar(journal)}
    add("/now/", "now.html",
        lambda: {"page": _page_meta("Now", f"What the members of {config.title} are learning these weeks" if config.members
                                    else f"What {config.author.name} is learning these weeks", feeds, "website"), "now": now},
        now, lastmod=cards.lastmod(entries[:1]))

    kinds = []
    for kind in config.kinds.values():
        members = [e for e in entries if e.kind == kind.name]
        if members:
            collection(f"/kinds/{kind.name}/", "kind.html",
                       {"key": kind.name, "name": kind.plural, "description": kind.description},
                       members, kind.plural, kind.description or f"Every {kind.label.lower()} of {config.title}")
            kinds.append({"name": kind.name, "label": kind.label, "plural": kind.plural, "url": urls.page(f"/kinds/{kind.name}/"),
                          "description": kind.description, "count": len(members)})
    add("/kinds/", "kinds.html",
        lambda: {"page": _page_meta("Kinds of entries", f"Entries of {config.title} by kind", feeds, "website"), "kinds": kinds},
        kinds, lastmod=newest_change)

    open_questions = [e for e in entries if maps.is_open_question(e)]
    collection("/help-wanted/", "help-wanted.html",
               {"key": "help-wanted", "name": "Help wanted", "description": f"Open questions {'we' if config.members else 'I'} would love your help with."},
               open_questions, "Help wanted", f"Open questions of {config.title}: can you help?")

    library = _library(entries)
    add("/library/", "library.html",
        lambda: {"page": _page_meta("Library", f"Every book, talk, podcast and article {config.title} learned from", feeds, "website"),
                 "sources": [{**s, "entries": cards.many(s["entries"])} for s in library]},
        [(s["id"], s["type"], s["title"], s["author"], s["url"], cards.of(s["entries"])) for s in library],
        lastmod=newest_change)

    def archived(e: Entry) -> Listed:
        kind = config.kinds.get(e.kind) if e.kind else None
        return Listed(e.title, urls.page(e.url), e.date, iso(e.date), _date_text(e.date), _kind_view(kind, urls))

    add("/archive/", "archive.html",
        lambda: {"page": _page_meta("Archive", f"Every entry of {config.title}, by month", feeds, "website"),
                 "years": _archive([archived(e) for e in entries])},
        # What the archive shows of each entry, not the whole entry: editing a body does not touch it.
        teaser_inputs([e.path for e in entries]), lastmod=newest_change)
    # Showing up: digests by ISO week, growth stages, recently tended.
    host = urls.host

    def week_item(week: Any) -> dict[str, Any]:
        """What the weeks page shows of a week, which its feed item shows too."""
        members = week.entries
        return {"title": f"{consistency.week_title(week)}: {len(members)} {'entry' if len(members) == 1 else 'entries'}",
                "url": urls.page(week.url), "date_iso": iso(members[0].date), "summary": ", ".join(e.title for e in members)}

    def week_digest(week: Any) -> Digest:
        members = week.entries
        return Digest(
            id=f"tag:{host},{week.monday.isoformat()}:week-{week.slug}", absolute_url=urls.absolute(week.url),
            date=members[0].date, updated=None, updated_iso="",
            content_html="<ul>" + "".join(
                f'<li><a href="{escape(urls.absolute(e.url))}">{escape(e.title)}</a>'
                + (f"<br>{escape(e.summary)}" if e.summary else "") + "</li>" for e in members) + "</ul>",
            inputs=(week.slug, [(e.url, e.title, e.summary, e.date) for e in members]), **week_item(week),
        )

    shown_weeks = []
    for week in weeks:
        members = list(week.entries)
        title = consistency.week_title(week)
        add(week.url, "week.html",
            lambda w=week, m=members, t=title: {
                "page": _page_meta(t, f"What {'we' if config.members else 'I'} wrote from {consistency.week_span(w)}", feeds, "website"),
                "week": {"title": t, "span": consistency.week_span(w), "url": urls.page(w.url)}, "entries": cards.many(m)},
            cards.of(members), lastmod=cards.lastmod(members))
        shown_weeks.append(week_item(week))
    if weeks:
        add("/weeks/", "weeks.html",
            lambda: {"page": _page_meta("Weeks", f"{config.title}, one week at a time", feeds, "website"), "weeks": shown_weeks,
                     "feed_url": urls.page("/weeks/feed.xml"), "atom_url": urls.page("/weeks/atom.xml")},
            shown_weeks, lastmod=cards.lastmod(entries[:1]))
        digest_channel = {"name": "Weekly digest", "description": f"One item a week: what {config.title} added that week",
                          "path": "/weeks/"}
        newest_weeks = [week_digest(w) for w in weeks[: config.feed_items]]  # a feed item holds every entry's summary
        for fmt, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
            add("/weeks/" + name, fmt,
                lambda f="/weeks/" + name: {"entries": newest_weeks, "channel": digest_channel, "self_url": urls.absolute(f)},
                [c.inputs for c in newest_weeks], kind=FEED)

    stages = consistency.by_stage(entries, teaser)
    if stages:
        add("/stages/", "stages.html",
            lambda: {"page": _page_meta("Growth stages", f"Entries of {config.title} by how grown they are", feeds, "website"),
                     "stages": stages},
            stages, lastmod=newest_change)
    tended = sorted((e for e in entries if e.updated), key=lambda e: (-e.updated.timestamp(), e.path))  # type: ignore[union-attr]
    if tended:
        collection("/tended/", "tended.html",
                   {"key": "tended", "name": "Recently tended", "description": "Entries as they grow, the last updated first."},
                   tended, "Recently tended", f"Entries of {config.title} as they grow: each time one is updated")

    if site["search_url"]:
        add("/search/", "search.html",
            lambda: {"page": _page_meta("Search", f"Find an entry of {config.title} by its words", feeds, "website")})
    add("/404.html", "404.html",
        lambda: {"page": _page_meta("Page not found", "This page does not exist.", feeds, "website")})

    newest = entries[: config.feed_items]
    for fmt, url in (("rss", "/feed.xml"), ("atom", "/atom.xml"), ("json", "/feed.json")):
        add(url, fmt, lambda u=url: {"entries": cards.many(newest), "channel": None, "self_url": urls.absolute(u)},
            cards.of(newest), kind=FEED)

    if people:
        groups = _network(people, credited, topics_by_key, teaser, urls, as_member, cards.member_links)
        add("/network/", "network.html",
            lambda: {"page": _page_meta("Network", f"The people and publications {_learners(config)} from", feeds, "website"),
                     "groups": groups, "blogroll_url": site["blogroll_url"]},
            groups)
        if any(p.feed for p in people):
            outlines = [(g["name"], [(p["name"], p["feed"], p["site"], p["why"]) for p in g["people"] if p["feed"]])
                        for g in groups]
            add(BLOGROLL, "opml", lambda: {"title": f"{config.title if config.members else config.author.name}'s learning network",
                                           "groups": outlines},
                outlines, kind=TEXT)
    if pulled:  # from the wider network: what `publog pull` stored, newest first
        newest_pulled = list(pulled[:50])
        shown_pulled = [_pulled_view(i) for i in newest_pulled]
        add("/network/latest/", "network-latest.html",
            lambda: {"page": _page_meta("From the network", f"What the people {_learners(config)} from wrote lately",
                                        feeds, "website"),
                     "items": shown_pulled, "feed_url": urls.page("/network/latest/feed.xml")},
            shown_pulled)
        pulled_items = [Digest(
            id=i.id, title=f"{i.source_name}: {i.title}" if i.title else i.source_name, url=i.link, absolute_url=i.link,
            date=i.published, date_iso=iso(i.published), updated=None, updated_iso="", summary=i.summary,
            content_html=i.content + (f'<p>From <a href="{escape(i.source_site or i.link)}">{escape(i.source_name)}</a></p>'),
            inputs=(i.id, i.title, i.link, i.published, i.summary, i.content),
        ) for i in newest_pulled if i.published and i.link][: config.feed_items]
        pulled_channel = {"name": "From the network", "description": f"The latest from the people {config.title} learns from",
                          "path": "/network/latest/"}
        for fmt, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
            add("/network/latest/" + name, fmt,
                lambda f="/network/latest/" + name: {"entries": pulled_items, "channel": pulled_channel, "self_url": urls.absolute(f)},
                [c.inputs for c in pulled_items], kind=FEED)

    own = [("Everything", [(config.title, urls.absolute("/feed.xml"), urls.absolute("/"), config.description)]),
           ("Topics", [(t.name, urls.absolute(t.url + "feed.xml"), urls.absolute(t.url), t.description) for t in journal.topics]),
           ("Kinds", [(k["plural"], urls.absolute(f"/kinds/{k['name']}/feed.xml"), urls.absolute(f"/kinds/{k['name']}/"), k["description"])
                      for k in kinds])]
    add("/feeds.opml", "opml", lambda: {"title": f"Feeds of {config.title}", "groups": own}, own, kind=TEXT)

    for entry in entries:  # an entry's old addresses (Hugo's aliases, Jekyll's redirect_from) lead to it
        for alias in entry.aliases:
            add(alias, "redirect", lambda e=entry: {"url": urls.absolute(e.url), "title": e.title},
                entry.url, entry.title, kind=TEXT, author=entry.path)

    listed = sorted({p.url: p.lastmod for p in pages if p.kind == TEMPLATE and p.url != "/404.html"}.items())
    sitemap = [(urls.absolute(u), m) for u, m in listed]
    add("/sitemap.xml", "sitemap", lambda: {"urls": sitemap}, listed, kind=TEXT)
    add("/robots.txt", "robots", lambda: {"sitemap": urls.absolute("/sitemap.xml")}, kind=TEXT)

    return pages + _copies(statics), cards, views


def _copies(statics: Sequence[tuple[str, str, str]]) -> list[Page]:
    return [Page(file, "/" + file, COPY, source, dict, _hash(source, stamp, images.VERSION), author=source)
            for file, source, stamp in statics]


def set_aside(pages: list[Page], journal: Journal) -> tuple[list[Page], list[Problem]]:
    """``pages`` without those publog writes itself where the author's own page or file is: the author's
    content wins (a Jekyll post below /archive/, a Hugo page at /topics/, a static robots.txt), with a warning
    at the author's file; a static file is named by its absolute path, which the caller shows from the journal.

    One file on case-insensitive hosts is one place; a publog page is set aside also where an author's
    file needs its name as a folder, or sits in a folder publog would need as a file.
    """
    taken: dict[str, Page] = {}
    folders: dict[str, Page] = {}
    for page in pages:
        if page.author:
            key = _place_key(page.file)
            taken.setdefault(key, page)
            parts = key.split("/")
            for n in range(1, len(parts)):
                folders.setdefault("/".join(parts[:n]), page)
    if not taken:
        return pages, []
    by_path = {e.path: e for e in journal.entries}
    kept: list[Page] = []
    problems: list[Problem] = []
    for page in pages:
        key = _place_key(page.file)
        parts = key.split("/")
        winner = None if page.author else taken.get(key) or folders.get(key) or next(
            (taken[f] for f in ("/".join(parts[:n]) for n in range(1, len(parts))) if f in taken), None)
        if winner is None:
            kept.append(page)
            continue
        entry = by_path.get(winner.author)
        if entry is None:
            problems.append(warning(winner.author, 1, f"takes {page.url}, a page publog writes itself; "
                                    "this file is published there and publog's own page is left out"))
        else:
            line = entry.lines.get("permalink", entry.lines.get("slug", 1)) if winner.url == entry.url else entry.lines.get(
                "aliases", entry.lines.get("redirect_from", 1))
            problems.append(warning(entry.path, line, f"{winner.url} takes {page.url}, a page publog writes itself; "
                                    "this entry is published there and publog's own page is left out"))
    return kept, problems


def _place_key(file: str) -> str:
    """One file on macOS and Windows: names differing in case or in Unicode normalisation."""
    return unicodedata.normalize("NFC", file).casefold()


def _site(config: Config, urls: Urls, has_series: bool, has_blogroll: bool, has_weeks: bool, has_stages: bool) -> dict[str, Any]:
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language,
        "base_url": config.base_url,
        "home_url": urls.page("/"),
        "topics_url": urls.page("/topics/"),
        "archive_url": urls.page("/archive/"),
        "kinds_url": urls.page("/kinds/"),
        "help_wanted_url": urls.page("/help-wanted/"),
        "library_url": urls.page("/library/"),
        "now_url": urls.page("/now/"),
        "search_url": urls.page("/search/") if config.search and has_weeks else None,  # has_weeks: something to find
        "network_url": urls.page("/network/") if has_blogroll else None,
        "blogroll_url": urls.page(BLOGROLL) if has_blogroll else None,
        "feeds_opml_url": urls.page("/feeds.opml"),
        "weeks_url": urls.page("/weeks/") if has_weeks else None,
        "stages_url": urls.page("/stages/") if has_stages else None,
        "tended_url": urls.page("/tended/"),
        "webmention": config.webmention,
        "author_links": [_profile(u) for u in config.author.links],
        "series_url": urls.page("/series/") if has_series else None,
        "members_url": urls.page(community.MEMBERS_URL) if config.members else None,
        "new_url": urls.page(community.NEW_URL) if config.members and has_weeks else None,
        "feed_url": urls.page("/feed.xml"),
        "static_url": urls.page("/static/"),
    }


def _card(entry: Entry, urls: Urls, topic_links: Mapping[str, Link], member_links: Mapping[str, Link], config: Config,
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
        date_text=_date_text(entry.date),
        updated=updated,
        updated_iso=iso(updated) if updated else "",
        updated_text=_date_text(updated) if updated else "",
        summary=entry.summary,
        kind=_kind_view(kind, urls),
        topics=tuple(topic_links[k] for k in entry.topics),
        words=entry.words,
        reading_minutes=max(1, math.ceil(entry.words / 230)),
        draft=entry.draft,
        extra=entry.extra,
        digest=entry.digest,
        links=entry.links,
        fields=_field_views(entry, kind, answer, sources),
        fields_by_name=dict(entry.fields),
        sources=sources,
        answer_url=answer,
        respond=Link(*respond) if respond else None,
        stage=(lambda st: Link(st, urls.page("/stages/") + "#stage-" + st) if st else None)(consistency.stage_of(entry)),
        syndication=tuple(Link(urlsplit(u).hostname or u, u) for u in syndication
                          if isinstance(u, str) and u.startswith(("https://", "http://"))),
    )
    return Card(**fields, fingerprint=fingerprint, embeds=entry.embeds, authors=tuple(member_links[a] for a in entry.authors))


def _kind_view(kind: Kind | None, urls: Urls) -> dict[str, str] | None:
    return {"name": kind.name, "label": kind.label, "url": urls.page(f"/kinds/{kind.name}/")} if kind else None


def _writers(entries: Sequence[Entry], config: Config, member_links: Mapping[str, Link]) -> list[dict[str, Any]]:
    """On a community site: who writes about a topic, the most entries first."""
    counts = Counter(author for entry in entries for author in entry.authors)
    return [{"name": m.name, "url": member_links[m.id].url, "count": counts[m.id]}
            for m in sorted(config.members, key=lambda m: (-counts[m.id], m.name.casefold())) if m.id in counts]


def _responses_view(found: Responses) -> dict[str, Any] | None:
    """What other sites said about an entry, ready to show; the reply HTML is sanitised already."""
    if not found.count:
        return None

    def reply(r: Any) -> dict[str, Any]:
        return {"author": r.author, "url": r.url, "name": r.name, "content": Markup(r.content),
                "date_iso": iso(r.published) if r.published else "", "date_text": _date_text(r.published) if r.published else ""}

    return {"likes": found.likes, "reposts": found.reposts, "bookmarks": found.bookmarks,
            "replies": [reply(r) for r in found.replies], "mentions": [reply(r) for r in found.mentions]}


def _profile(url: str) -> Link:
    """A link to someone's profile or site, shown as its host and path: social.example.com/@maya."""
    parts = urlsplit(url)
    return Link((parts.hostname or "") + parts.path.rstrip("/"), url)


def _learners(config: Config) -> str:
    """Who learns, in the site's voice: its author, or a community's members."""
    return f"the members of {config.title} learn" if config.members else f"{config.author.name} learns"


def _pulled_view(item: Any) -> dict[str, Any]:
    return {"title": item.title or item.link, "url": item.link, "source": item.source_name, "site": item.source_site,
            "summary": item.summary, "author": item.author, "date_iso": iso(item.published) if item.published else "",
            "date_text": _date_text(item.published) if item.published else ""}


def _community(add: Callable[..., None], collection: Callable[..., str], config: Config, entries: Sequence[Entry],
               cards: _Cards, teaser: Callable[[str], dict[str, Any]], people: Sequence[Person],
               as_member: Mapping[str, str], pulled: Sequence[Any], feeds: list[Link]) -> None:
    """A community's pages: one for each member, with their feeds, and the members page.

    A member's page shows what they wrote, who of the community they follow and who follows
    them (from the members' network.yaml files), and the latest of what they publish elsewhere.
    """
    links = cards.member_links
    written: dict[str, list[Entry]] = {m.id: [] for m in config.members}
    for entry in entries:
        for author in entry.authors:
            written[author].append(entry)
    follows: dict[str, list[str]] = {m.id: [] for m in config.members}
    followed_by: dict[str, list[str]] = {m.id: [] for m in config.members}
    for person in people:
        whom = as_member.get(person.id)
        for follower, _ in person.followers if whom else ():
            if follower != whom:
                follows[follower].append(whom)  # type: ignore[arg-type]
                followed_by[whom].append(follower)  # type: ignore[index]
    elsewhere: dict[str, list[Any]] = {}
    for item in pulled:  # newest first
        if item.source.startswith(MEMBER_SOURCE):
            elsewhere.setdefault(item.source[len(MEMBER_SOURCE):], []).append(item)
    people_view = [{"id": m.id, "name": m.name, "bio": m.bio, "links": [_profile(u) for u in m.links], "url": links[m.id].url,
                    "count": len(written[m.id]), "latest": teaser(written[m.id][0].path) if written[m.id] else None,
                    "follows": [links[i] for i in follows[m.id]], "followed_by": [links[i] for i in followed_by[m.id]],
                    "feed": m.feed, "elsewhere": [_pulled_view(i) for i in elsewhere.get(m.id, [])[:5]]}
                   for m in config.members]
    for member, view in zip(config.members, people_view):
        # the bio is in the member's h-card, below the list's lead: not said twice
        collection(member.url, "member.html", {"key": member.id, "name": member.name, "description": "", "member": view},
                   written[member.id], member.name, member.bio or f"Entries by {member.name} in {config.title}")
    add(community.MEMBERS_URL, "members.html",
        lambda: {"page": _page_meta("Members", f"The people who learn together in {config.title}", feeds, "website"),
                 "members": people_view},
        people_view, lastmod=cards.lastmod(entries))


def _new_this_week(add: Callable[..., None], week: Any, journal: Journal, cards: _Cards,
                   teaser: Callable[[str], dict[str, Any]], pulled: Sequence[Any], feeds: list[Link]) -> None:
    """A community's latest week at a glance: its entries, the questions it opened, the members who
    wrote for the first time, the topics it started, what the network published. The week is that of
    the newest entry, not of the clock, so the same journal builds the same page."""
    config = journal.config
    in_week = list(week.entries)
    paths = {e.path for e in in_week}
    first_by: dict[str, Entry] = {}
    for entry in journal.entries:  # newest first: the last seen is a member's first entry
        if not entry.draft:
            for author in entry.authors:
                first_by[author] = entry
    newcomers = [{"member": cards.member_links[m.id], "entry": teaser(first_by[m.id].path)}
                 for m in config.members if m.id in first_by and first_by[m.id].path in paths]
    started = [{"name": t.name, "url": cards.topic_links[t.key].url, "count": len(t.entries)}
               for t in journal.topics if t.entries and t.entries[-1] in paths]
    questions = [teaser(e.path) for e in in_week if maps.is_open_question(e)]
    zone = config.zone
    elsewhere = [_pulled_view(i) for i in pulled
                 if i.published and week.monday <= i.published.astimezone(zone).date() <= week.sunday][:20]
    view = {"span": consistency.week_span(week), "week_url": cards.urls.page(week.url), "count": len(in_week),
            "newcomers": newcomers, "topics": started, "questions": questions, "pulled": elsewhere}
    add(community.NEW_URL, "new.html",
        lambda: {"page": _page_meta("New this week", f"What the members of {config.title} added from {view['span']}", feeds,
                                    "website"), "new": view, "entries": cards.many(in_week)},
        view, cards.of(in_week), lastmod=cards.lastmod(in_week))


def _network(people: Sequence[Person], credited: Mapping[str, Sequence[str]], topics: Mapping[str, Any],
             teaser: Callable[[str], dict[str, Any]], urls: Urls, as_member: Mapping[str, str],
             member_links: Mapping[str, Link]) -> list[dict[str, Any]]:
    """People grouped by their first topic (each appears once, so each feed is subscribed to once);
    on a community site, with the members who follow each, and their page when they are members too."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for person in people:
        first = next((t for t in person.topics if t in topics), None)
        view = {"id": person.id, "name": person.name, "site": person.site, "feed": person.feed, "why": person.why,
                "since": person.since,
                "topics": [{"name": topics[t].name, "url": urls.page(topics[t].url)} for t in person.topics if t in topics],
                "entries": [teaser(p) for p in credited.get(person.id, ())],
                "member": member_links[as_member[person.id]] if person.id in as_member else None,
                "followers": [{"name": member_links[m].text, "url": member_links[m].url, "why": why}
                              for m, why in person.followers]}
        groups.setdefault(first or "", []).append(view)
    ordered = sorted((k for k in groups if k), key=lambda k: (topics[k].name.casefold(), k))
    result = [{"name": topics[k].name, "url": urls.page(topics[k].url), "people": groups[k]} for k in ordered]
    if "" in groups:
        result.append({"name": "More", "url": None, "people": groups[""]})
    return result


def _series_view(series: Any, current: str, teaser: Callable[[str], dict[str, Any]], urls: Urls) -> dict[str, Any]:
    """A series as an entry of it shows it: the table of contents and the way on."""
    place = series.entries.index(current)
    toc = [{**teaser(p), "current": p == current} for p in series.entries]
    return {
        "name": series.name, "url": urls.page(series.url), "entries": toc, "number": place + 1, "total": len(toc),
        "previous": toc[place - 1] if place > 0 else None,
        "next": toc[place + 1] if place + 1 < len(toc) else None,
    }


def _date_text(when: dt.date) -> str:
    return f"{when.day} {when:%B %Y}"


def _period_text(start: dt.date, end: dt.date) -> str:
    if start == end:
        return _date_text(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{_date_text(start)} – {_date_text(end)}"


def _field_views(
    entry: Entry, kind: Kind | None, answer: str | None, sources: tuple[Mapping[str, str], ...]
) -> tuple[Mapping[str, Any], ...]:
    views = []
    for name, value in entry.fields.items():
        kind_field = next((f for f in kind.fields if f.name == name), None) if kind else None
        label = kind_field.label if kind_field else name
        type_ = kind_field.type if kind_field else "any"
        if type_ == "period":
            text = _period_text(value["start"], value["end"])
        elif type_ == "date":
            text = _date_text(value)
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


def _library(entries: list[Entry]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for card in reversed(entries):  # oldest first, so the first citation names the source
        for source in card.sources:
            key = source_key(source)
            item = found.setdefault(key, {**source, "id": key, "entries": []})
            if not item["url"] and source["url"]:
                item["url"] = source["url"]
            if not item["entries"] or item["entries"][-1] is not card:  # cited twice by one entry
                item["entries"].append(card)
    for item in found.values():
        item["entries"].reverse()  # newest first, like every list of the site
    return sorted(found.values(), key=lambda s: (s["type"], s["title"].casefold(), s["id"]))


def _page_meta(title: str, description: str, feeds: list[Link], og_type: str, number: int = 1) -> dict[str, Any]:
    return {"title": title, "description": description, "og_type": og_type, "feeds": feeds, "number": number}


def _feed_links(urls: Urls) -> list[Link]:
    return [Link("RSS", urls.page("/feed.xml")), Link("Atom", urls.page("/atom.xml")),
            Link("JSON Feed", urls.page("/feed.json"))]


def _paginated(add: Any, urls: Urls, cards: _Cards, entries: list[Entry], per_page: int, first: str, template: str,
               meta: Any, extra: dict[str, Any], shared: str | None = None) -> str:
    """The list pages of ``entries``; ``shared``: the hash of ``extra``, when known. Returns that hash."""
    if shared is None:
        shared = _hash(extra)  # what every page of the list shows (a topic's map ...): hashed once, not per page
    total = max(1, math.ceil(len(entries) / per_page))

    def url(n: int) -> str:
        return first if n == 1 else f"{first}page/{n}/"

    for n in range(1, total + 1):
        shown = entries[(n - 1) * per_page : n * per_page]
        pagination = {
            "number": n,
            "total": total,
            "newer_url": urls.page(url(n - 1)) if n > 1 else None,
            "older_url": urls.page(url(n + 1)) if n < total else None,
            "pages": [
                {"number": i, "url": urls.page(url(i)) if i else "", "current": i == n}
                for i in _window(n, total)
            ],
        }
        add(url(n), template,
            lambda n=n, s=shown, p=pagination: {"page": meta(n), "entries": cards.many(s), "pagination": p, **extra},
            cards.of(shown), pagination, shared, lastmod=cards.lastmod(shown), repeats=True)
    return shared


def _window(current: int, total: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last and a few around the current; 0 marks a gap.

    Linking every page would make each list page grow with the journal (and the
    whole site quadratically), so far pages are reached by steps, as on most sites.
    """
    shown = sorted({1, total, *range(max(1, current - around), min(total, current + around) + 1)})
    window: list[int] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(0)
        window.append(number)
    return window


def _archive(items: list[Listed]) -> list[dict[str, Any]]:
    years = []
    for year, in_year in groupby(items, key=lambda c: c.date.year):
        months = [
            {"name": f"{month_cards[0].date:%B}", "entries": month_cards}
            for _, group in groupby(in_year, key=lambda c: c.date.month)
            for month_cards in [list(group)]
        ]
        years.append({"year": year, "months": months, "count": sum(len(m["entries"]) for m in months)})
    return years
