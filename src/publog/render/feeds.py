"""Feeds of the newest entries: RSS 2.0 and Atom (with feedgen), JSON Feed 1.1.

Byte-identical between builds of the same journal: every date feedgen would
stamp with "now" is set to the newest entry's date instead.

An entry is in the feeds of the journal, its kind and each of its topics, in three formats: its
HTML is escaped once a format (``contents``), and each feed is written around marks that the
escaped HTML then takes the place of.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import secrets
from typing import Any, Callable, Mapping, Sequence

from ..site.pages import Card
from ..urls import Urls

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


# An item's topics as categories, as many as a reader shows: an entry with a thousand tags would
# otherwise put a thousand elements in each of a thousand topic feeds.
MAX_CATEGORIES = 20


FORMATS = ("rss", "atom", "json")


def contents(html: str) -> dict[str, bytes] | None:
    """An item's HTML as each format writes it (see _escaped); None for an item without any."""
    return {fmt: _escaped(fmt, html) for fmt in FORMATS} if html else None


def _escaped(fmt: str, html: str) -> bytes:
    """`html` as the feed format writes an item's content: a JSON string, Atom's escaped text, RSS's CDATA
    section; lxml writes the XML ones, as it writes the rest of the feed (and refuses what it would refuse there)."""
    if fmt == "json":
        return json.dumps(html, ensure_ascii=False).encode("utf-8")
    from lxml import etree

    element = etree.Element("c")
    element.text = etree.CDATA(html) if fmt == "rss" else html
    return bytes(etree.tostring(element, encoding="UTF-8"))[len(b"<c>") : -len(b"</c>")]


# Where an item's content goes until the feed is written: unique to this process, so that no text of an
# entry can be taken for one.
_MARK = f"publog-content-{secrets.token_hex(8)}-"


def _placed(feed: bytes, fmt: str, contents: list[bytes]) -> bytes:
    """``feed`` with each mark in place of its item's content: a whole JSON string, an RSS CDATA section."""
    mark = re.escape(_MARK.encode())
    around = {"json": (rb'"', rb'"'), "rss": (rb"<!\[CDATA\[", rb"\]\]>"), "atom": (b"", b"")}[fmt]
    pattern = re.compile(around[0] + mark + rb"(\d+)" + around[1])
    return pattern.sub(lambda m: contents[int(m.group(1))], feed)


def render(fmt: str, context: Mapping[str, Any], urls: Urls,
           content_of: Callable[[Card], Mapping[str, bytes] | None]) -> bytes:
    """A feed of ``context``'s entries; ``content_of``: an item's ``contents``."""
    site = context["site"]
    entries: list[Card] = context["entries"]
    channel = context["channel"]  # a topic, a kind ... or None for the whole journal
    title = f"{site['title']}: {channel['name']}" if channel else site["title"]
    home = urls.absolute(channel["path"]) if channel else urls.base_url
    description = (channel and channel["description"]) or site["description"] or title
    newest = max((c.updated or c.date for c in entries), default=_EPOCH)
    made = [content_of(card) for card in entries]
    escaped = [item[fmt] if item else b"" for item in made]
    marks = [f"{_MARK}{n}" if item else "" for n, item in enumerate(made)]
    if fmt == "json":
        return _placed(_json_feed(site, title, home, description, context["self_url"], entries, marks), fmt, escaped)

    from feedgen.feed import FeedGenerator  # heavy; only builds that write feeds pay for it

    fg = FeedGenerator()
    fg.id(home)
    fg.title(title)
    fg.subtitle(description)
    author = site["author"]
    fg.author({"name": author.name or site["title"], **({"email": author.email} if author.email else {})})
    # RSS takes the last link as the channel's: the self link must come first.
    fg.link(href=context["self_url"], rel="self")
    fg.link(href=home, rel="alternate")
    fg.language(site["language"])
    fg.generator("publog")
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for card, mark in zip(entries, marks):
        fe = fg.add_entry(order="append")
        fe.id(card.id)
        fe.guid(card.id, permalink=False)
        fe.title(card.title)
        fe.link(href=card.absolute_url, rel="alternate")
        fe.published(card.date)
        fe.updated(card.updated or card.date)
        if card.summary:
            # RSS descriptions are HTML by convention; Atom summaries here are plain text.
            if fmt == "rss":
                fe.description(html.escape(card.summary, quote=False))
            else:
                fe.summary(card.summary)
        fe.content(mark, type="CDATA" if fmt == "rss" else "html")
        if card.topics:  # one call: feedgen re-scans its list on each one
            fe.category([{"term": t.text, "label": t.text} for t in card.topics[:MAX_CATEGORIES]])
        for written_by in _authors(card, author):
            fe.author(written_by)
    if fmt == "atom":
        return _placed(bytes(fg.atom_str(pretty=True)), fmt, escaped)
    # feedgen writes the year with strftime's %Y, which gives "1" for year 1; readers take a short
    # year for a two-digit one (feedparser reads 2001), so years below 1000 are written with four digits.
    rss = _SHORT_YEAR.sub(lambda m: m.group(1) + m.group(2).zfill(4) + b" ", bytes(fg.rss_str(pretty=True)))
    return _placed(rss, fmt, escaped)


_SHORT_YEAR = re.compile(rb"(<(?:pubDate|lastBuildDate)>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} )(\d{1,3}) ")


def _json_feed(
    site: Mapping[str, Any], title: str, home: str, description: str, self_url: str,
    entries: list[Card], contents: list[str],
) -> bytes:
    author = site["author"]
    authors = [{"name": author.name or site["title"], **({"url": author.url} if author.url else {})}]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": self_url,
        "description": description,
        "language": site["language"],
        "authors": authors,
        "items": [
            {
                "id": card.id,
                "url": card.absolute_url,
                "title": card.title,
                "content_html": content,
                **({"summary": card.summary} if card.summary else {}),
                "date_published": card.date_iso,
                "date_modified": card.updated_iso or card.date_iso,
                "tags": [t.text for t in card.topics[:MAX_CATEGORIES]],
                "authors": [{"name": a["name"]} for a in _authors(card, author)] if getattr(card, "authors", ()) else authors,
            }
            for card, content in zip(entries, contents)
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _authors(card: Any, author: Any) -> list[dict[str, str]]:
    """Who wrote an item: on a community site its members, else the journal's author."""
    members = getattr(card, "authors", ())  # a week's digest has none
    if members:
        return [{"name": member.text} for member in members]
    if not author.name:  # the feed names its title as its author
        return []
    return [{"name": author.name, **({"email": author.email} if author.email else {})}]


def opml(title: str, groups: Sequence[tuple[str, Sequence[tuple[str, str, str, str]]]]) -> bytes:
    """An OPML 2.0 subscription list: one outline per group, one per feed (text, xmlUrl, htmlUrl, description)."""
    from xml.etree import ElementTree as ET

    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for name, feeds in groups:
        if not feeds:
            continue
        group = ET.SubElement(body, "outline", text=name, title=name)
        for text, feed, site, description in feeds:
            item = ET.SubElement(group, "outline", type="rss", text=text, title=text, xmlUrl=feed)
            if site:
                item.set("htmlUrl", site)
            if description:
                item.set("description", description)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
