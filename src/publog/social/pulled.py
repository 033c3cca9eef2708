"""The files of ``pulled/``, one per feed, -> the items of "from the network"; and back.

``publog pull`` writes these files (see ``pull``); ``publog build`` reads only them (see
``load``): builds never go online, and the same folder always builds the same pages.

``pulled/`` sits beside ``mentions/`` because it is the same kind of thing: data other
sites gave the journal, which the author may commit so that every checkout builds the
same site, and which no build can recreate. It is not a cache: a build cache can be
thrown away, this cannot, as a feed only ever shows its latest items.

A file, written by publog only, sorted and indented so that a diff shows what changed::

    {
     "etag": "\\"5e1f\\"",                    # the answer's validators, sent back next time
     "format": 1,
     "id": "ana",
     "items": [{"author": "Ana", "content": "<p>safe HTML</p>", "id": "the feed's own id",
                "link": "https://ana.example/p/1", "published": "2024-05-02T10:00:00Z",
                "summary": "plain text", "title": "A title"}],     # newest first
     "last_error": {"reason": "answered HTTP 500 Internal Server Error", "since": "..."},  # or null
     "last_modified": "Thu, 02 May 2024 10:00:00 GMT",
     "last_success": "2024-05-02T11:00:00Z",  # the last pull that changed this file
     "name": "Ana Ferreira", "site": "https://ana.example/", "title": "Ana's notes",
     "url": "https://ana.example/feed.xml"
    }

Every field is checked again whenever a file is read, as a file may have been edited by
hand: only http(s) links, text cut to a length and cleaned of controls, HTML sanitised.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urljoin

from . import untrusted
from ..problems import Problem, warning

PULLED_DIR = "pulled"
FORMAT = 1
MAX_TITLE = 300  # characters
MAX_SUMMARY = 500
MAX_ID = untrusted.MAX_URL  # characters of an item's id: a link may be one
MAX_FILE_BYTES = 32 * 2**20  # of a file in pulled/, when a build reads it
MAX_WARNINGS = 20  # per file
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")  # what network.yaml's slugs look like: safe as a file name
_VALIDATOR = re.compile(r"[\x20-\x7e]{1,256}")  # an ETag or date that can go back into a request header
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FeedSource:
    """A feed to pull: whose it is (``id`` names its file in pulled/), and where it is."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class PulledItem:
    """One item of a feed as a build may show it: every field checked, its HTML safe."""

    source: str  # the FeedSource's id
    source_name: str
    source_site: str  # the feed's own link to its site, "" when it has none that is http(s)
    id: str  # the feed's own id (guid, atom:id), else its link
    title: str  # plain text, one line
    link: str  # http(s), or ""
    published: dt.datetime | None  # in UTC; None when the feed gave no usable date
    summary: str  # plain text, one line, at most MAX_SUMMARY characters
    content: str  # safe HTML: formatting and links (rel="nofollow ugc"), no images or scripts
    author: str  # a name, never an email address; "" when the item names nobody


@dataclass(frozen=True)
class Failure:
    """Why the last pull of a feed failed, and since when it fails that way."""

    reason: str
    since: dt.datetime


@dataclass(frozen=True)
class PulledFeed:
    """What pulled/<id>.json holds."""

    id: str
    url: str
    name: str
    site: str = ""
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    last_success: dt.datetime | None = None
    last_error: Failure | None = None
    items: tuple[PulledItem, ...] = ()  # newest first


def load(root: Path) -> tuple[tuple[PulledItem, ...], list[Problem]]:
    """Every item of every file in ``root/pulled/``, newest first, the same for the same files.

    Promises: nothing is fetched; every field is checked again and HTML sanitised again,
    as the files may have been edited by hand; a file or item that cannot be used is a
    warning naming the file (and the line, for JSON errors), never an exception.
    """
    folder = root / PULLED_DIR
    if not folder.is_dir():
        return (), []
    items: list[PulledItem] = []
    problems: list[Problem] = []
    real = os.path.realpath(folder)
    for path in sorted(folder.glob("*.json")):
        shown = f"{PULLED_DIR}/{path.name}"
        if path.name.startswith(".") or not path.is_file():
            continue  # temporary files of a pull under way
        if not os.path.realpath(path).startswith(real + os.sep):
            problems.append(warning(shown, 1, f"is a link to a file outside the {PULLED_DIR} folder; it is left out"))
            continue
        if not SOURCE_ID.fullmatch(path.stem):
            problems.append(warning(shown, 1, "is not named after an id of network.yaml, so publog did not write it; it is left out"))
            continue
        state, found = read_state(path, path.stem)
        problems += found
        if state is not None:
            items += state.items
    return tuple(sorted(items, key=newest_first)), problems


def read_state(path: Path, source_id: str) -> tuple[PulledFeed | None, list[Problem]]:
    """A file of pulled/ and the problems of what it holds; None (and a warning) when it cannot be used."""
    shown = f"{PULLED_DIR}/{path.name}"
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [warning(shown, 1, f"cannot be read ({exc.strerror or exc}); its items are left out")]
    again = "; its items are left out until `publog pull` writes it anew (or delete it)"
    if len(data) > MAX_FILE_BYTES:
        return None, [warning(shown, 1, f"is larger than {size_text(MAX_FILE_BYTES)}{again}")]
    try:
        text = data.decode("utf-8")
        doc = json.loads(text)
    except UnicodeDecodeError as exc:
        return None, [warning(shown, data[: exc.start].count(b"\n") + 1, f"is not UTF-8 text{again}")]
    except json.JSONDecodeError as exc:
        return None, [warning(shown, exc.lineno, f"is not valid JSON ({exc.msg}){again}")]
    except (RecursionError, ValueError):
        return None, [warning(shown, 1, f"is not JSON publog wrote (nested too deeply, or absurd numbers){again}")]
    if not isinstance(doc, dict) or not isinstance(doc.get("items", []), list):
        return None, [warning(shown, 1, f"is not a file of pulled items (an object with an 'items' list){again}")]
    if isinstance(doc.get("format"), int) and doc["format"] > FORMAT:
        return None, [warning(shown, 1, f"was written by a newer publog (format {doc['format']}); update publog to read it")]
    name = untrusted.one_line(_string(doc, "name"), untrusted.MAX_NAME) or source_id
    site = web_link(doc.get("site"))
    items: dict[str, PulledItem] = {}
    bad: list[Problem] = []
    for number, raw in enumerate(doc.get("items", []), 1):
        item = checked_item(raw, source_id, name, site)
        if item is None:
            bad.append(warning(shown, _item_line(raw, text), f"item {number} has no usable 'id' (text of at most {MAX_ID} "
                                                            "characters); it is left out"))
        elif item.id not in items:
            items[item.id] = item
    if len(bad) > MAX_WARNINGS:
        bad = bad[:MAX_WARNINGS] + [warning(shown, 1, f"{len(bad) - MAX_WARNINGS} more items without a usable id are left out")]
    error = doc.get("last_error")
    failure = None
    if isinstance(error, dict) and isinstance(error.get("reason"), str):
        failure = Failure(error["reason"][:1000], _instant(error.get("since")) or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    state = PulledFeed(source_id, web_link(doc.get("url")), name, site, untrusted.one_line(_string(doc, "title"), MAX_TITLE),
                  validator(doc.get("etag") if isinstance(doc.get("etag"), str) else None),
                  validator(doc.get("last_modified") if isinstance(doc.get("last_modified"), str) else None),
                  _instant(doc.get("last_success")), failure,
                  tuple(sorted(items.values(), key=newest_first)))
    return state, bad


def checked_item(raw: Any, source: str, source_name: str, site: str) -> PulledItem | None:
    """A stored item as a build may show it, whoever wrote it; None when it has no usable id."""
    if not isinstance(raw, dict):
        return None
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not item_id.strip() or len(item_id.strip()) > MAX_ID or CONTROL.search(item_id):
        return None
    link = web_link(raw.get("link"))
    content = raw.get("content")
    return PulledItem(
        source, source_name, site, item_id.strip(), untrusted.one_line(_string(raw, "title")[: MAX_TITLE * 4], MAX_TITLE), link,
        _instant(raw.get("published")), untrusted.one_line(_string(raw, "summary")[: MAX_SUMMARY * 4], MAX_SUMMARY),
        sanitised(content, link) if isinstance(content, str) else "",
        untrusted.one_line(_string(raw, "author")[: untrusted.MAX_NAME * 4], untrusted.MAX_NAME),
    )


def to_json(state: PulledFeed) -> bytes:
    """The bytes of pulled/<id>.json: keys sorted, items newest first, so equal states are equal bytes."""
    doc = {
        "format": FORMAT, "id": state.id, "url": state.url, "name": state.name, "site": state.site,
        "title": state.title, "etag": state.etag, "last_modified": state.last_modified,
        "last_success": instant_text(state.last_success),
        "last_error": {"reason": state.last_error.reason, "since": instant_text(state.last_error.since)}
        if state.last_error else None,
        "items": stored_items(state.items),
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def stored_items(items: Iterable[PulledItem]) -> list[dict[str, str | None]]:
    """Items as a file holds them: without their source, which the file is about."""
    return [{"id": i.id, "title": i.title, "link": i.link, "published": instant_text(i.published),
             "summary": i.summary, "content": i.content, "author": i.author} for i in items]


def newest_first(item: PulledItem) -> tuple[bool, float, str, str]:
    return feed_order(item.published, item.source, item.id)


def feed_order(published: dt.datetime | None, source: str, item_id: str) -> tuple[bool, float, str, str]:
    # Undated items last; the source and the id break ties, so that every pull and build orders alike.
    return (published is None, -published.timestamp() if published else 0.0, source, item_id)


def sanitised(markup: str, base: str) -> str:
    try:
        return untrusted.sanitise(markup, base)
    except ValueError:  # a base nh3 cannot parse: relative links go instead
        return untrusted.sanitise(markup)


def web_link(value: Any) -> str:
    """An absolute http(s) URL, or ""; mentions' check, which raises on some malformed hosts."""
    try:
        return untrusted.web_url(value)
    except ValueError:  # e.g. "http://[::1", an IPv6 host left open
        return ""


def joined(base: str, value: Any) -> str:
    """``value`` made absolute against ``base``, if it is then an http(s) URL; else ""."""
    if not isinstance(value, str) or not value.strip() or len(value) > untrusted.MAX_URL:
        return ""
    try:
        return web_link(urljoin(base, value.strip()))
    except ValueError:
        return ""


def _string(doc: Mapping[str, Any], key: str) -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else ""


def _instant(value: Any) -> dt.datetime | None:
    when = untrusted.instant_of(value)
    return when.replace(microsecond=0) if when else None


def instant_text(when: dt.datetime | None) -> str | None:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def validator(value: str | None) -> str:
    return value if value and _VALIDATOR.fullmatch(value) else ""


def _item_line(raw: Any, text: str) -> int:
    """The line where an item's id is written in a file, so the author can find it; else 1."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(item_id, str):
        return 1
    at = text.find('"id": ' + json.dumps(item_id, ensure_ascii=False))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def size_text(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 and n % 2**20 == 0 else f"{n:,} bytes"
