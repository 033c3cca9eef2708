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
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Mapping, Sequence

from .config import Config
from .journal import Entry, Journal, Topic
from .urls import Urls, output_file

# Kinds of page the render stage knows how to make.
TEMPLATE = "template"
FEED = "feed"
COPY = "copy"
TEXT = "text"


@dataclass(frozen=True)
class Link:
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
    kind: str | None
    topics: tuple[Link, ...]
    words: int
    reading_minutes: int
    draft: bool
    extra: Mapping[str, Any]
    digest: str  # of the body's source; the HTML is named by it
    links: tuple[tuple[str, str | None], ...]  # placeholder target -> site path (see render.py)
    fingerprint: str = field(default="", compare=False)


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, how it is made, from what."""

    file: str  # relative to the output folder
    url: str  # site path
    kind: str  # TEMPLATE, FEED, COPY or TEXT
    name: str  # template name, feed format, or source file for COPY
    context: Mapping[str, Any]
    fingerprint: str


def _hash(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def plan(journal: Journal, theme_digest: str, statics: Sequence[tuple[str, str, str]]) -> list[Page]:
    """Every file the site is made of.

    ``statics`` are (output file, source path, content stamp) of files to copy.
    """
    config = journal.config
    urls = Urls(config.base_url)
    site = _site(config, urls)
    base = _hash(theme_digest, config.digest())
    topic_links = {t.key: Link(t.name, urls.page(t.url)) for t in journal.topics}
    cards = [_card(e, urls, topic_links) for e in journal.entries]
    by_path = {c.path: c for c in cards}
    feeds = _feed_links(urls, None)

    pages: list[Page] = []

    def add(url: str, template: str, context: dict[str, Any], *inputs: Any, kind: str = TEMPLATE) -> None:
        context = {"site": site, **context}
        if "page" in context:
            context["page"] = {**context["page"], "url": urls.page(url), "canonical": urls.absolute(url)}
        pages.append(Page(output_file(url), url, kind, template, context, _hash(base, template, url, *inputs)))

    for index, card in enumerate(cards):
        newer = cards[index - 1] if index > 0 else None
        older = cards[index + 1] if index + 1 < len(cards) else None
        page = _page_meta(card.title, card.summary, feeds, "article")
        add(
            journal.entries[index].url, "entry.html",
            {"page": page, "entry": card, "newer": newer, "older": older},
            card.fingerprint, newer and newer.fingerprint, older and older.fingerprint,
        )

    _paginated(add, urls, cards, config.per_page, "/", "index.html",
               lambda n: _page_meta(config.title, config.description, feeds, "website", n), {})
    for topic in journal.topics:
        members = [by_path[p] for p in topic.entries]
        topic_feeds = _feed_links(urls, topic)
        add_topic = {"topic": _topic_view(topic, urls, len(members))}
        _paginated(add, urls, members, config.per_page, topic.url, "topic.html",
                   lambda n, t=topic, f=topic_feeds: _page_meta(
                       t.name, t.description or f"Entries about {t.name}", f, "website", n),
                   add_topic)
        for fmt, url in (("rss", "feed.xml"), ("atom", "atom.xml")):
            newest = members[: config.feed_items]
            add(topic.url + url, fmt, {"entries": newest, "topic": add_topic["topic"], "self_url": urls.absolute(topic.url + url)},
                [c.fingerprint for c in newest], kind=FEED)

    topics = [_topic_view(t, urls, len(t.entries)) for t in journal.topics]
    add("/topics/", "topics.html",
        {"page": _page_meta("Topics", f"Every topic of {config.title}", feeds, "website"),
         "topics": topics}, topics)

    years = _archive(cards)
    add("/archive/", "archive.html",
        {"page": _page_meta("Archive", f"Every entry of {config.title}, by month", feeds, "website"),
         "years": years}, [c.fingerprint for c in cards])
    add("/404.html", "404.html",
        {"page": _page_meta("Page not found", "This page does not exist.", feeds, "website")})

    newest = cards[: config.feed_items]
    for fmt, url in (("rss", "/feed.xml"), ("atom", "/atom.xml"), ("json", "/feed.json")):
        add(url, fmt, {"entries": newest, "topic": None, "self_url": urls.absolute(url)},
            [c.fingerprint for c in newest], kind=FEED)

    listed = [(p.url, _lastmod(p)) for p in pages if p.kind == TEMPLATE and p.url != "/404.html"]
    add("/sitemap.xml", "sitemap", {"urls": [(urls.absolute(u), m) for u, m in sorted(listed)]}, listed, kind=TEXT)
    add("/robots.txt", "robots", {"sitemap": urls.absolute("/sitemap.xml")}, kind=TEXT)

    for file, source, stamp in statics:
        pages.append(Page(file, "/" + file, COPY, source, {}, _hash(source, stamp)))
    return pages


def _site(config: Config, urls: Urls) -> dict[str, Any]:
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language,
        "base_url": config.base_url,
        "home_url": urls.page("/"),
        "topics_url": urls.page("/topics/"),
        "archive_url": urls.page("/archive/"),
        "feed_url": urls.page("/feed.xml"),
        "static_url": urls.page("/static/"),
    }


def _card(entry: Entry, urls: Urls, topic_links: Mapping[str, Link]) -> Card:
    updated = entry.updated
    fields: dict[str, Any] = dict(
        path=entry.path,
        title=entry.title,
        url=urls.page(entry.url),
        absolute_url=urls.absolute(entry.url),
        id=entry.id,
        date=entry.date,
        date_iso=entry.date.isoformat(),
        date_text=_date_text(entry.date),
        updated=updated,
        updated_iso=updated.isoformat() if updated else "",
        updated_text=_date_text(updated) if updated else "",
        summary=entry.summary,
        kind=entry.kind,
        topics=tuple(topic_links[k] for k in entry.topics),
        words=entry.words,
        reading_minutes=max(1, math.ceil(entry.words / 230)),
        draft=entry.draft,
        extra=entry.extra,
        digest=entry.digest,
        links=entry.links,
    )
    return Card(**fields, fingerprint=_hash(*fields.items()))


def _date_text(when: dt.datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _page_meta(title: str, description: str, feeds: list[Link], og_type: str, number: int = 1) -> dict[str, Any]:
    return {"title": title, "description": description, "og_type": og_type, "feeds": feeds, "number": number}


def _feed_links(urls: Urls, topic: Topic | None) -> list[Link]:
    links = [Link("RSS", urls.page("/feed.xml")), Link("Atom", urls.page("/atom.xml")), Link("JSON Feed", urls.page("/feed.json"))]
    if topic is not None:
        links = [Link(f"{topic.name} (RSS)", urls.page(topic.url + "feed.xml")),
                 Link(f"{topic.name} (Atom)", urls.page(topic.url + "atom.xml"))] + links
    return links


def _topic_view(topic: Topic, urls: Urls, count: int) -> dict[str, Any]:
    return {"key": topic.key, "path": topic.url, "name": topic.name, "description": topic.description, "url": urls.page(topic.url),
            "count": count, "feed_url": urls.page(topic.url + "feed.xml"), "atom_url": urls.page(topic.url + "atom.xml")}


def _paginated(add: Any, urls: Urls, cards: list[Card], per_page: int, first: str, template: str,
               meta: Any, extra: dict[str, Any]) -> None:
    total = max(1, math.ceil(len(cards) / per_page))

    def url(n: int) -> str:
        return first if n == 1 else f"{first}page/{n}/"

    for n in range(1, total + 1):
        shown = cards[(n - 1) * per_page : n * per_page]
        pagination = {
            "number": n,
            "total": total,
            "newer_url": urls.page(url(n - 1)) if n > 1 else None,
            "older_url": urls.page(url(n + 1)) if n < total else None,
            "pages": [Link(str(i), urls.page(url(i))) for i in range(1, total + 1)],
        }
        add(url(n), template, {"page": meta(n), "entries": shown, "pagination": pagination, **extra},
            [c.fingerprint for c in shown], pagination, extra)


def _archive(cards: list[Card]) -> list[dict[str, Any]]:
    years = []
    for year, in_year in groupby(cards, key=lambda c: c.date.year):
        months = [
            {"name": f"{month_cards[0].date:%B}", "entries": month_cards}
            for _, group in groupby(in_year, key=lambda c: c.date.month)
            for month_cards in [list(group)]
        ]
        years.append({"year": year, "months": months, "count": sum(len(m["entries"]) for m in months)})
    return years


def _lastmod(page: Page) -> str:
    entry = page.context.get("entry")
    if entry is not None:
        return (entry.updated or entry.date).date().isoformat()
    shown = page.context.get("entries") or []
    return max(((c.updated or c.date).date().isoformat() for c in shown), default="")
