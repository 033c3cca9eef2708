"""A fetched RSS or Atom document -> the newest items of a feed, each field checked.

Everything in a feed comes from strangers: only http(s) links survive, text is cut to a
length and cleaned of controls, HTML goes through the sanitiser of replies (see
``untrusted.sanitise``), and a feed that declares XML entities is refused, as a few
kilobytes of them expand to gigabytes. Items go through the same checks as a file of
``pulled/`` read by a build, so that what is stored is what is shown.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from typing import Any, Mapping

import nh3

from . import untrusted
from .pulled import (CONTROL, MAX_ID, MAX_SUMMARY, MAX_TITLE, FeedSource, PulledItem, checked_item, feed_order,
                     instant_text, joined, newest_first, sanitised)

MAX_ITEMS = 50  # per feed: the newest
_ENTITY = b"<!ENTITY"
# A date this far ahead is a mistake or a trick to stay at the top of the page: it is no date.
_FUTURE = dt.timedelta(days=2)


@dataclass(frozen=True)
class Parsed:
    """What a feed document gave: its items, newest first; or why it cannot be used."""

    items: tuple[PulledItem, ...] = ()
    site: str = ""
    title: str = ""
    failure: str = ""  # "" when the document is usable
    note: str = ""  # what was wrong with a document that was used all the same


def parse(body: bytes, url: str, source: FeedSource, *, content_type: str = "", now: dt.datetime,
          max_items: int = MAX_ITEMS) -> Parsed:
    """The ``max_items`` newest items of an RSS or Atom document fetched from ``url``, or why not.

    A document that is not well-formed XML is read leniently, as feed readers do (most
    such feeds merely use an HTML entity or a wrong encoding), and gives a ``note``; it
    fails only when nothing could be read from it. Items without an id or link of their
    own are left out; of items with the same id the first counts.
    """
    # No content-location: feedparser would resolve ids against it as if they were links, and
    # an item's id must stay the source's own ("42" stays "42"). Links are made absolute below
    # (see _entry for the base of links in HTML).
    # feedparser takes a twentieth of a second to load; only publog pull needs it, never a build.
    import feedparser  # type: ignore[import-untyped]
    from feedparser.encodings import convert_to_utf8  # type: ignore[import-untyped]

    headers = {"content-type": content_type or "application/xml"}
    # feedparser keeps entity declarations whose value holds no '&', and its lenient parser
    # expands them: 50 kB declared once and used 20,000 times is a gigabyte. Feeds have no
    # use for them, so a feed that has one is refused; feedparser's own conversion of the
    # bytes is searched, so no encoding can hide one.
    if _ENTITY in convert_to_utf8(headers, body, {}):
        return Parsed(failure="declares XML entities (<!ENTITY>), which can expand to gigabytes; publog does not read such feeds")
    # Bytes, not a string: feedparser takes a string for a URL or a file name to open.
    doc = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    problem = _xml_problem(doc.get("bozo_exception"), _declared(body)) if doc.get("bozo") else ""
    if not doc.entries:
        head = body[:1024].lower()
        if not doc.get("version") and (b"<html" in head or b"<!doctype html" in head):
            return Parsed(failure="is a web page, not an RSS or Atom feed; is 'feed' in network.yaml the feed's own URL?")
        if problem:
            return Parsed(failure=f"is not a feed publog can read ({problem})")
        if not doc.get("version"):
            return Parsed(failure="is not an RSS or Atom feed")
    feed = doc.get("feed", {})
    site = joined(url, feed.get("link"))
    # Which items to keep is decided first, on what is cheap to read (id, link, date), so that
    # a feed of 50,000 items costs the sanitiser max_items of them.
    found: dict[str, tuple[Mapping[str, Any], str, dt.datetime | None]] = {}
    for entry in doc.entries:
        item_id, link = _identity(entry, url)
        if item_id and item_id not in found:
            found[item_id] = (entry, link, _when(entry.get("published_parsed") or entry.get("updated_parsed"), now))
    if doc.entries and not found and problem:
        return Parsed(failure=f"is not a feed publog can read ({problem})")
    if doc.entries and not found:
        return Parsed(failure="its one item has no id and no http(s) link" if len(doc.entries) == 1
                      else f"none of its {len(doc.entries)} items has an id or an http(s) link")
    newest = sorted(found.items(), key=lambda kv: feed_order(kv[1][2], source.id, kv[0]))
    kept = (_entry(entry, item_id, link, when, url, source, site) for item_id, (entry, link, when) in newest[:max_items])
    items = tuple(sorted((item for item in kept if item is not None), key=newest_first))
    title = _text(feed.get("title_detail") or feed.get("title"), MAX_TITLE)
    return Parsed(items, site, title, note=f"was read leniently: {problem}" if problem else "")


def _xml_problem(exc: Any, declared: bool) -> str:
    """What feedparser found wrong, for a person: a line for XML errors; "" for what does not matter."""
    if exc is None:
        return ""
    if hasattr(exc, "getLineNumber") and hasattr(exc, "getMessage"):
        # feedparser puts a line with an XML declaration above a document that has none.
        line = max(1, int(exc.getLineNumber() or 1) - (0 if declared else 1))
        return f"XML error at line {line}: {str(exc.getMessage())[:200]}"
    name = exc.__class__.__name__
    if name in ("CharacterEncodingOverride", "NonXMLContentType"):
        return ""  # a server's wrong Content-Type: the document was read all the same
    return f"{name}: {str(exc)[:200]}"


def _declared(body: bytes) -> bool:
    """Whether a document starts with an XML declaration, in whichever Unicode encoding."""
    boms = ((codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
            (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF8, "utf-8"))
    for bom, codec in boms:  # UTF-32's before UTF-16's, whose little-endian mark begins UTF-32's
        if body.startswith(bom):
            return body[len(bom): len(bom) + 40].decode(codec, "ignore").startswith("<?xml")
    return body[:40].replace(b"\x00", b"").startswith(b"<?xml")


def _identity(entry: Mapping[str, Any], base: str) -> tuple[str, str]:
    """An entry's id (its own, else its link; "" when it has neither) and its http(s) link."""
    link = joined(base, entry.get("link"))
    own = entry.get("id")
    item_id = own.strip() if isinstance(own, str) else ""
    if not item_id or len(item_id) > MAX_ID or CONTROL.search(item_id):
        item_id = link  # an id no one could write down is no id
    return item_id, link


def _entry(entry: Mapping[str, Any], item_id: str, link: str, published: dt.datetime | None, base: str,
           source: FeedSource, site: str) -> PulledItem | None:
    """One feedparser entry as an item, its fields checked as a build checks them."""
    parts = [p for p in entry.get("content") or [] if isinstance(p, Mapping) and isinstance(p.get("value"), str)
             and p["value"].strip()]
    summary = entry.get("summary_detail") if isinstance(entry.get("summary_detail"), Mapping) else None
    shown = parts[0] if parts else summary
    markup, summary_html = _html(shown) if shown else "", _html(summary) if summary else ""
    # Relative links in HTML are relative to the xml:base feedparser records, when the feed has
    # one; else to the item's page (feeds are often served from another host, a feed service).
    html_base = (joined(base, shown.get("base")) if shown else "") or link or site
    author = entry.get("author_detail") or {}
    name = author.get("name") if isinstance(author, Mapping) else None
    if not isinstance(name, str) and isinstance(entry.get("author"), str) and "@" not in entry["author"]:
        name = entry["author"]
    raw = {"id": item_id, "title": _text(entry.get("title_detail") or entry.get("title"), MAX_TITLE), "link": link,
           "published": instant_text(published), "summary": _plain(summary_html or markup, MAX_SUMMARY),
           "content": _fixed_html(markup, html_base or base), "author": name if isinstance(name, str) else ""}
    # Through the same checks as a file read by a build, so that what is stored is what is shown.
    return checked_item(raw, source.id, source.name, site)


def _html(detail: Mapping[str, Any]) -> str:
    """A feedparser text construct as HTML: plain text escaped, HTML as it is."""
    value = detail.get("value")
    if not isinstance(value, str):
        return ""
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return value
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", value[:untrusted.MAX_HTML]) if p.strip())


def _text(detail: Any, limit: int) -> str:
    """A feedparser text construct (or a bare string) as one line of plain text."""
    if isinstance(detail, str):
        return untrusted.one_line(detail[: limit * 4], limit)
    if not isinstance(detail, Mapping) or not isinstance(detail.get("value"), str):
        return ""
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return _plain(detail["value"], limit)
    return untrusted.one_line(detail["value"][: limit * 4], limit)


def _plain(markup: str, limit: int) -> str:
    """The text of HTML, scripts and styles left out, as one line of at most ``limit`` characters."""
    if not markup:
        return ""
    # A space before every tag, so that "a</p><p>b" reads "a b" rather than "ab".
    text = nh3.clean(markup[: untrusted.MAX_HTML].replace("<", " <"), tags=set(), strip_comments=True,
                     clean_content_tags=untrusted.DROPPED_WITH_CONTENT)
    return untrusted.one_line(html.unescape(text), limit)


def _fixed_html(markup: str, base: str) -> str:
    """Sanitised HTML that sanitising again leaves as it is.

    ``untrusted.sanitise`` cuts what is longer than MAX_HTML, and its output can be longer
    than its input (links gain rel="nofollow ugc"); cut until the output fits, or every
    build would cut a long post again, and every pull would find it changed.
    """
    limit = len(markup)
    while True:
        safe = sanitised(markup if limit >= len(markup) else markup[:limit] + "…", base)
        if len(safe) <= untrusted.MAX_HTML:
            return safe
        limit = min(limit, untrusted.MAX_HTML) * 3 // 4


def _when(parsed: Any, now: dt.datetime) -> dt.datetime | None:
    """feedparser's UTC struct_time as an aware datetime; None for dates that cannot be right."""
    try:
        when = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return when if 1970 <= when.year <= 9000 and when <= now + _FUTURE else None
