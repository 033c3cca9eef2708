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
from typing import Any, Mapping, NamedTuple, Sequence

from .config import Config
from .journal import Entry, Journal
from .kinds import Kind
from .urls import Urls, output_file, slugify

# Kinds of page the render stage knows how to make.
TEMPLATE = "template"
FEED = "feed"
COPY = "copy"
TEXT = "text"


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
    links: tuple[tuple[str, str | None], ...]  # placeholder target -> site path (see render.py)
    fields: tuple[Mapping[str, Any], ...]  # the kind's fields, ready to show: name, label, type, value, text
    fields_by_name: Mapping[str, Any]
    sources: tuple[Mapping[str, str], ...]  # type, title, author, url, library_url
    answer_url: str | None
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
    cards = [_card(e, urls, topic_links, config.kinds) for e in journal.entries]
    by_path = {c.path: c for c in cards}
    feeds = _feed_links(urls)

    pages: list[Page] = []

    def add(url: str, template: str, context: dict[str, Any], *inputs: Any, kind: str = TEMPLATE) -> None:
        context = {"site": site, **context}
        if "page" in context:
            context["page"] = {**context["page"], "url": urls.page(url), "canonical": urls.absolute(url)}
        pages.append(Page(output_file(url), url, kind, template, context, _hash(base, template, url, *inputs)))

    def collection(path: str, template: str, view: dict[str, Any], members: list[Card], title: str, description: str) -> None:
        """Paginated list pages and RSS and Atom feeds of some of the entries."""
        channel = {"name": view["name"], "description": description, "path": path}
        links = [Link(f"{view['name']} (RSS)", urls.page(path + "feed.xml")),
                 Link(f"{view['name']} (Atom)", urls.page(path + "atom.xml"))] + feeds
        view = {**view, "count": len(members), "url": urls.page(path), "feed_url": urls.page(path + "feed.xml"),
                "atom_url": urls.page(path + "atom.xml")}
        _paginated(add, urls, members, config.per_page, path, template,
                   lambda n: _page_meta(title, description, links, "website", n), {"collection": view})
        newest = members[: config.feed_items]
        for fmt, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
            add(path + name, fmt, {"entries": newest, "channel": channel, "self_url": urls.absolute(path + name)},
                [c.fingerprint for c in newest], channel, kind=FEED)

    for index, card in enumerate(cards):
        newer = cards[index - 1] if index > 0 else None
        older = cards[index + 1] if index + 1 < len(cards) else None
        kind = config.kinds.get(card.kind["name"]) if card.kind else None
        add(
            journal.entries[index].url, kind.template if kind else "entry.html",
            {"page": _page_meta(card.title, card.summary, feeds, "article"), "entry": card, "newer": newer, "older": older},
            card.fingerprint, newer and newer.fingerprint, older and older.fingerprint,
        )

    _paginated(add, urls, cards, config.per_page, "/", "index.html",
               lambda n: _page_meta(config.title, config.description, feeds, "website", n), {})

    for topic in journal.topics:
        collection(topic.url, "topic.html", {"key": topic.key, "name": topic.name, "description": topic.description},
                   [by_path[p] for p in topic.entries], topic.name, topic.description or f"Entries about {topic.name}")
    topics = [{"name": t.name, "description": t.description, "url": urls.page(t.url), "count": len(t.entries)}
              for t in journal.topics]
    add("/topics/", "topics.html",
        {"page": _page_meta("Topics", f"Every topic of {config.title}", feeds, "website"), "topics": topics}, topics)

    kinds = []
    for kind in config.kinds.values():
        members = [c for c in cards if c.kind and c.kind["name"] == kind.name]
        if members:
            collection(f"/kinds/{kind.name}/", "kind.html",
                       {"key": kind.name, "name": kind.plural, "description": kind.description},
                       members, kind.plural, kind.description or f"Every {kind.label.lower()} of {config.title}")
            kinds.append({"name": kind.name, "label": kind.label, "plural": kind.plural, "url": urls.page(f"/kinds/{kind.name}/"),
                          "description": kind.description, "count": len(members)})
    add("/kinds/", "kinds.html",
        {"page": _page_meta("Kinds of entries", f"Entries of {config.title} by kind", feeds, "website"), "kinds": kinds}, kinds)

    open_questions = [c for c in cards if c.kind and c.kind["name"] == "question" and c.fields_by_name.get("status") == "open"]
    collection("/help-wanted/", "help-wanted.html",
               {"key": "help-wanted", "name": "Help wanted", "description": "Open questions I would love your help with."},
               open_questions, "Help wanted", f"Open questions of {config.title}: can you help?")

    library = _library(cards)
    add("/library/", "library.html",
        {"page": _page_meta("Library", f"Every book, talk, podcast and article {config.title} learned from", feeds, "website"),
         "sources": library},
        [(s["id"], s["type"], s["title"], s["author"], s["url"], [c.fingerprint for c in s["entries"]]) for s in library])

    years = _archive(cards)
    add("/archive/", "archive.html",
        {"page": _page_meta("Archive", f"Every entry of {config.title}, by month", feeds, "website"),
         "years": years}, [c.fingerprint for c in cards])
    add("/404.html", "404.html",
        {"page": _page_meta("Page not found", "This page does not exist.", feeds, "website")})

    newest = cards[: config.feed_items]
    for fmt, url in (("rss", "/feed.xml"), ("atom", "/atom.xml"), ("json", "/feed.json")):
        add(url, fmt, {"entries": newest, "channel": None, "self_url": urls.absolute(url)},
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
        "kinds_url": urls.page("/kinds/"),
        "help_wanted_url": urls.page("/help-wanted/"),
        "library_url": urls.page("/library/"),
        "feed_url": urls.page("/feed.xml"),
        "static_url": urls.page("/static/"),
    }


def _card(entry: Entry, urls: Urls, topic_links: Mapping[str, Link], kinds: Mapping[str, Kind]) -> Card:
    updated = entry.updated
    kind = kinds.get(entry.kind) if entry.kind else None
    answer = entry.answer and (entry.answer if "://" in entry.answer else urls.page(entry.answer))
    sources = tuple({**s, "library_url": urls.page("/library/") + "#" + source_key(s)} for s in entry.sources)
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
        kind={"name": kind.name, "label": kind.label, "url": urls.page(f"/kinds/{kind.name}/")} if kind else None,
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
    )
    # repr of tuples, dicts and dates is fast C code; named tuples (Link) go in as plain ones.
    fingerprint = _hash(*(tuple(map(tuple, v)) if k == "topics" else v for k, v in fields.items()))
    return Card(**fields, fingerprint=fingerprint)


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


def _library(cards: list[Card]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for card in reversed(cards):  # oldest first, so the first citation names the source
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
            "pages": [
                {"number": i, "url": urls.page(url(i)) if i else "", "current": i == n}
                for i in _window(n, total)
            ],
        }
        add(url(n), template, {"page": meta(n), "entries": shown, "pagination": pagination, **extra},
            [c.fingerprint for c in shown], pagination, extra)


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
