"""The feeds of the network -> ``pulled/<id>.json``; those files -> the items of "from the network".

``publog pull`` fetches the feed of every person in network.yaml who has one, all at
once, and keeps what it read in the journal's ``pulled/`` folder, one file per person.
``publog build`` reads only that folder (see ``load``): builds never go online, and the
same folder always builds the same pages.

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

Everything in a feed comes from strangers: only http(s) links survive, text is cut to a
length and cleaned of controls, HTML goes through the sanitiser of replies (see
``mentions.sanitise``), and a feed that declares XML entities is refused, as a few
kilobytes of them expand to gigabytes. A feed that fails keeps its last good items.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import html
import io
import json
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence
from urllib.parse import urljoin

import nh3

from .. import __version__
from . import community, fetch, mentions
from .community import Member
from .network import Person
from ..problems import Problem, warning

PULLED_DIR = "pulled"
FORMAT = 1
MAX_BYTES = 5 * 2**20  # of a feed as sent
MAX_ITEMS = 50  # per feed: the newest
MAX_TITLE = 300  # characters
MAX_SUMMARY = 500
MAX_ID = mentions.MAX_URL  # characters of an item's id: a link may be one
MAX_FILE_BYTES = 32 * 2**20  # of a file in pulled/, when a build reads it
MAX_WARNINGS = 20  # per file
USER_AGENT = f"publog/{__version__} (feed reader)"
_ACCEPT = "application/atom+xml, application/rss+xml, application/feed+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")  # what network.yaml's slugs look like: safe as a file name
_VALIDATOR = re.compile(r"[\x20-\x7e]{1,256}")  # an ETag or date that can go back into a request header
_ENTITY = b"<!ENTITY"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A date this far ahead is a mistake or a trick to stay at the top of the page: it is no date.
_FUTURE = dt.timedelta(days=2)

Status = Literal["updated", "unchanged", "failed"]


@dataclass(frozen=True)
class Source:
    """A feed to pull: whose it is (``id`` names its file in pulled/), and where it is."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class PulledItem:
    """One item of a feed as a build may show it: every field checked, its HTML safe."""

    source: str  # the Source's id
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
class State:
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


@dataclass(frozen=True)
class Parsed:
    """What a feed document gave: its items, newest first; or why it cannot be used."""

    items: tuple[PulledItem, ...] = ()
    site: str = ""
    title: str = ""
    failure: str = ""  # "" when the document is usable
    note: str = ""  # what was wrong with a document that was used all the same


@dataclass(frozen=True)
class Outcome:
    """What a pull did with one feed."""

    source: Source
    status: Status
    items: int  # the items pulled/ holds for the feed afterwards
    reason: str = ""  # why it failed
    note: str = ""  # what was odd about a feed that was read all the same

    def lines(self) -> list[str]:
        """What the person who ran the pull should read about this feed: ``URL: reason`` lines."""
        if self.status == "failed":
            kept = f"; its {_count(self.items, 'earlier item')} kept" if self.items else ""
            return [f"{self.source.url}: {self.reason}{kept}"]
        return [f"{self.source.url}: {self.note}"] if self.note else []


@dataclass(frozen=True)
class PullReport:
    """What a pull did with every feed, in the order they were given."""

    outcomes: tuple[Outcome, ...] = ()

    def count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def items(self) -> int:
        return sum(o.items for o in self.outcomes)

    @property
    def nothing_pulled(self) -> bool:
        """True when there were feeds and every one failed: offline, or the folder cannot be written."""
        return bool(self.outcomes) and self.count("failed") == len(self.outcomes)

    def lines(self) -> list[str]:
        return [line for outcome in self.outcomes for line in outcome.lines()]

    def summary(self) -> str:
        """One line, e.g. "12 feeds: 10 updated, 1 unchanged, 1 failed; 143 items"."""
        return (f"{_count(len(self.outcomes), 'feed')}: {self.count('updated')} updated, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed; {_count(self.items, 'item')}")


def sources(people: Iterable[Person], members: Iterable[Member] = ()) -> tuple[Source, ...]:
    """The feeds of network.yaml's people who have one, in the file's order; then those of a
    community's members who publish elsewhere, whose files' names no id of network.yaml can take."""
    return (tuple(Source(p.id, p.name, p.feed) for p in people if p.feed)
            + tuple(Source(community.MEMBER_SOURCE + m.id, m.name, m.feed) for m in members if m.feed))


# --- pulling ------------------------------------------------------------------------------------


def pull(root: Path, feeds: Sequence[Source], timeout: float = 20, workers: int = 16,
         max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS, now: dt.datetime | None = None) -> PullReport:
    """Fetch every feed at once into ``root/pulled/<id>.json``; never raises for what a feed does.

    Promises, for each feed: a conditional GET (its stored ETag and Last-Modified); no
    wait longer than ``timeout`` seconds for the connection or any read, and the body read
    within ``timeout`` seconds (give or take one read); a body refused past ``max_bytes``;
    the ``max_items`` newest items kept, every field checked and its HTML
    sanitised; its file replaced whole (temporary file, then rename), and only when
    what it holds changed. A feed that fails, whatever the reason, keeps its items and
    records only why (``last_error``); it never stops the other feeds. ``now`` (UTC,
    default: the clock) dates what the files record.
    """
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    seen: set[str] = set()
    refused: dict[int, Outcome] = {}
    for number, source in enumerate(feeds):
        why = _source_problem(source, seen)
        seen.add(source.id)
        if why:
            refused[number] = Outcome(source, "failed", 0, why)
    todo = [(n, s) for n, s in enumerate(feeds) if n not in refused]
    done: dict[int, Outcome] = dict(refused)
    if todo:
        executor = ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo))), thread_name_prefix="publog-pull")
        try:
            futures = {n: executor.submit(_pull_one, root, s, timeout, max_bytes, max_items, now) for n, s in todo}
            done.update({n: future.result() for n, future in futures.items()})
        finally:
            # On Ctrl-C, feeds not started are dropped; those being read end within their timeout,
            # each writing its file whole or not at all.
            executor.shutdown(wait=True, cancel_futures=True)
    return PullReport(tuple(done[n] for n in range(len(feeds))))


def _source_problem(source: Source, seen: set[str]) -> str:
    if not _SOURCE_ID.fullmatch(source.id):
        return f"'{source.id}' cannot name a file; use an id of lowercase letters, digits and dashes in network.yaml"
    if source.id in seen:
        return f"another feed has the id '{source.id}' already; give one of them another 'id' in network.yaml"
    if not _url(source.url):
        return "is not an http(s) URL"
    return ""


def _pull_one(root: Path, source: Source, timeout: float, max_bytes: int, max_items: int, now: dt.datetime) -> Outcome:
    path = root / PULLED_DIR / f"{source.id}.json"
    source = replace(source, name=mentions.one_line(source.name, mentions.MAX_NAME))  # as load will show it
    old, problems = read_state(path, source.id)
    unreadable = bool(problems) and old is None and path.exists()
    # Validators belong to the URL they came from: a feed that moved is asked afresh.
    same = old is not None and old.url == source.url
    try:
        answer = _fetch(source.url, old.etag if old and same else "", old.last_modified if old and same else "",
                        timeout, max_bytes)
    except fetch.Refused as refused:
        return _failed(path, source, old, _reason(refused, timeout, max_bytes), now, unreadable)
    note = ""
    if answer.status == 304:
        if old is None or not same:
            return _failed(path, source, old, "answered 304 Not Modified to a request that asked nothing of the kind", now, unreadable)
        new = replace(old, name=source.name, last_error=None,
                      items=tuple(replace(i, source_name=source.name) for i in old.items))
    else:
        try:
            parsed = parse(answer.body, answer.url, source, content_type=answer.content_type, now=now, max_items=max_items)
        except Exception as exc:  # feedparser is third-party code fed hostile bytes; one feed must not stop the rest
            parsed = Parsed(failure=f"could not be read ({exc.__class__.__name__}: {str(exc)[:200]})")
        if parsed.failure:
            return _failed(path, source, old, parsed.failure, now, unreadable)
        note = parsed.note
        new = State(source.id, source.url, source.name, parsed.site, parsed.title, answer.etag, answer.last_modified,
                    old.last_success if old else None, None, parsed.items)
    status: Status = "unchanged" if old is not None and _stored(old.items) == _stored(new.items) else "updated"
    if old is None or replace(old, last_success=None) != replace(new, last_success=None):
        new = replace(new, last_success=now)
    try:
        _write(path, new)
    except OSError as exc:
        return Outcome(source, "failed", len(old.items) if old else 0,
                       f"cannot write {PULLED_DIR}/{path.name} ({exc.strerror or exc}); free some space or fix its permissions")
    return Outcome(source, status, len(new.items), note=note)


def _failed(path: Path, source: Source, old: State | None, reason: str, now: dt.datetime, unreadable: bool) -> Outcome:
    """Record why a feed failed, changing nothing else; a file publog cannot read is left as it is."""
    if unreadable:
        return Outcome(source, "failed", 0, f"{reason} ({PULLED_DIR}/{path.name} cannot be read either; delete it)")
    state = old or State(source.id, source.url, source.name)
    since = old.last_error.since if old and old.last_error and old.last_error.reason == reason else now
    try:
        _write(path, replace(state, last_error=Failure(reason, since)))
    except OSError as exc:
        reason += f" (and {PULLED_DIR}/{path.name} cannot be written: {exc.strerror or exc})"
    return Outcome(source, "failed", len(state.items), reason)


def _write(path: Path, state: State) -> None:
    """Replace the file whole with ``state``, unless it holds exactly that already."""
    data = to_json(state)
    try:
        if path.read_bytes() == data:
            return
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o644  # the temporary file is private (0600); this one is data to commit and share
    mentions.write_whole(path, data)
    os.chmod(path, mode)


# --- fetching -----------------------------------------------------------------------------------


def _fetch(url: str, etag: str, modified: str, timeout: float, max_bytes: int) -> fetch.Answer:
    """The answer to a conditional GET, its validators only those that can go back into a request."""
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    if _VALIDATOR.fullmatch(etag):
        headers["If-None-Match"] = etag
    if _VALIDATOR.fullmatch(modified):
        headers["If-Modified-Since"] = modified
    answer = fetch.get(url, headers, timeout, max_bytes)
    return replace(answer, etag=_validator(answer.etag), last_modified=_validator(answer.last_modified))


def _reason(refused: fetch.Refused, timeout: float, max_bytes: int) -> str:
    """Why a feed could not be fetched, completing "URL: ..."."""
    reasons = {
        "declared-too-large": f"is {_size(refused.size)}, more than the {_size(max_bytes)} publog reads of a feed",
        "too-large": f"sent more than the {_size(max_bytes)} publog reads of a feed",
        "slow-body": f"did not finish sending within {timeout:g} s",
        "no-answer": f"did not answer within {timeout:g} s",
        "http": f"answered HTTP {refused.code} {refused.detail}",
        "redirect": "redirects to a URL that is not http(s)",
        "unreachable": f"cannot be reached ({refused.detail})",
        "bad-url": f"is not a URL publog can fetch ({refused.detail})",
        "broke-off": f"the connection broke off ({refused.detail})",
    }
    return reasons[refused.why]


def _validator(value: str | None) -> str:
    return value if value and _VALIDATOR.fullmatch(value) else ""


# --- reading a feed -----------------------------------------------------------------------------


def parse(body: bytes, url: str, source: Source, *, content_type: str = "", now: dt.datetime,
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
    site = _joined(url, feed.get("link"))
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
    newest = sorted(found.items(), key=lambda kv: _order(kv[1][2], source.id, kv[0]))
    kept = (_entry(entry, item_id, link, when, url, source, site) for item_id, (entry, link, when) in newest[:max_items])
    items = tuple(sorted((item for item in kept if item is not None), key=_newest_first))
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
    link = _joined(base, entry.get("link"))
    own = entry.get("id")
    item_id = own.strip() if isinstance(own, str) else ""
    if not item_id or len(item_id) > MAX_ID or _CONTROL.search(item_id):
        item_id = link  # an id no one could write down is no id
    return item_id, link


def _entry(entry: Mapping[str, Any], item_id: str, link: str, published: dt.datetime | None, base: str,
           source: Source, site: str) -> PulledItem | None:
    """One feedparser entry as an item, its fields checked as a build checks them."""
    parts = [p for p in entry.get("content") or [] if isinstance(p, Mapping) and isinstance(p.get("value"), str)
             and p["value"].strip()]
    summary = entry.get("summary_detail") if isinstance(entry.get("summary_detail"), Mapping) else None
    shown = parts[0] if parts else summary
    markup, summary_html = _html(shown) if shown else "", _html(summary) if summary else ""
    # Relative links in HTML are relative to the xml:base feedparser records, when the feed has
    # one; else to the item's page (feeds are often served from another host, a feed service).
    html_base = (_joined(base, shown.get("base")) if shown else "") or link or site
    author = entry.get("author_detail") or {}
    name = author.get("name") if isinstance(author, Mapping) else None
    if not isinstance(name, str) and isinstance(entry.get("author"), str) and "@" not in entry["author"]:
        name = entry["author"]
    raw = {"id": item_id, "title": _text(entry.get("title_detail") or entry.get("title"), MAX_TITLE), "link": link,
           "published": _instant_text(published), "summary": _plain(summary_html or markup, MAX_SUMMARY),
           "content": _fixed_html(markup, html_base or base), "author": name if isinstance(name, str) else ""}
    # Through the same checks as a file read by a build, so that what is stored is what is shown.
    return _item(raw, source.id, source.name, site)


def _html(detail: Mapping[str, Any]) -> str:
    """A feedparser text construct as HTML: plain text escaped, HTML as it is."""
    value = detail.get("value")
    if not isinstance(value, str):
        return ""
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return value
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", value[:mentions.MAX_HTML]) if p.strip())


def _text(detail: Any, limit: int) -> str:
    """A feedparser text construct (or a bare string) as one line of plain text."""
    if isinstance(detail, str):
        return mentions.one_line(detail[: limit * 4], limit)
    if not isinstance(detail, Mapping) or not isinstance(detail.get("value"), str):
        return ""
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return _plain(detail["value"], limit)
    return mentions.one_line(detail["value"][: limit * 4], limit)


def _plain(markup: str, limit: int) -> str:
    """The text of HTML, scripts and styles left out, as one line of at most ``limit`` characters."""
    if not markup:
        return ""
    # A space before every tag, so that "a</p><p>b" reads "a b" rather than "ab".
    text = nh3.clean(markup[: mentions.MAX_HTML].replace("<", " <"), tags=set(), strip_comments=True,
                     clean_content_tags=mentions.DROPPED_WITH_CONTENT)
    return mentions.one_line(html.unescape(text), limit)


def _sanitised(markup: str, base: str) -> str:
    try:
        return mentions.sanitise(markup, base)
    except ValueError:  # a base nh3 cannot parse: relative links go instead
        return mentions.sanitise(markup)


def _fixed_html(markup: str, base: str) -> str:
    """Sanitised HTML that sanitising again leaves as it is.

    ``mentions.sanitise`` cuts what is longer than MAX_HTML, and its output can be longer
    than its input (links gain rel="nofollow ugc"); cut until the output fits, or every
    build would cut a long post again, and every pull would find it changed.
    """
    limit = len(markup)
    while True:
        safe = _sanitised(markup if limit >= len(markup) else markup[:limit] + "…", base)
        if len(safe) <= mentions.MAX_HTML:
            return safe
        limit = min(limit, mentions.MAX_HTML) * 3 // 4


def _when(parsed: Any, now: dt.datetime) -> dt.datetime | None:
    """feedparser's UTC struct_time as an aware datetime; None for dates that cannot be right."""
    try:
        when = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return when if 1970 <= when.year <= 9000 and when <= now + _FUTURE else None


def _newest_first(item: PulledItem) -> tuple[bool, float, str, str]:
    return _order(item.published, item.source, item.id)


def _order(published: dt.datetime | None, source: str, item_id: str) -> tuple[bool, float, str, str]:
    # Undated items last; the source and the id break ties, so that every pull and build orders alike.
    return (published is None, -published.timestamp() if published else 0.0, source, item_id)


# --- the files of pulled/ -----------------------------------------------------------------------


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
        if not _SOURCE_ID.fullmatch(path.stem):
            problems.append(warning(shown, 1, "is not named after an id of network.yaml, so publog did not write it; it is left out"))
            continue
        state, found = read_state(path, path.stem)
        problems += found
        if state is not None:
            items += state.items
    return tuple(sorted(items, key=_newest_first)), problems


def read_state(path: Path, source_id: str) -> tuple[State | None, list[Problem]]:
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
        return None, [warning(shown, 1, f"is larger than {_size(MAX_FILE_BYTES)}{again}")]
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
    name = mentions.one_line(_string(doc, "name"), mentions.MAX_NAME) or source_id
    site = _url(doc.get("site"))
    items: dict[str, PulledItem] = {}
    bad: list[Problem] = []
    for number, raw in enumerate(doc.get("items", []), 1):
        item = _item(raw, source_id, name, site)
        if item is None:
            bad.append(warning(shown, _line_of(raw, text), f"item {number} has no usable 'id' (text of at most {MAX_ID} "
                                                            "characters); it is left out"))
        elif item.id not in items:
            items[item.id] = item
    if len(bad) > MAX_WARNINGS:
        bad = bad[:MAX_WARNINGS] + [warning(shown, 1, f"{len(bad) - MAX_WARNINGS} more items without a usable id are left out")]
    error = doc.get("last_error")
    failure = None
    if isinstance(error, dict) and isinstance(error.get("reason"), str):
        failure = Failure(error["reason"][:1000], _instant(error.get("since")) or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    state = State(source_id, _url(doc.get("url")), name, site, mentions.one_line(_string(doc, "title"), MAX_TITLE),
                  _validator(doc.get("etag") if isinstance(doc.get("etag"), str) else None),
                  _validator(doc.get("last_modified") if isinstance(doc.get("last_modified"), str) else None),
                  _instant(doc.get("last_success")), failure,
                  tuple(sorted(items.values(), key=_newest_first)))
    return state, bad


def _item(raw: Any, source: str, source_name: str, site: str) -> PulledItem | None:
    """A stored item as a build may show it, whoever wrote it; None when it has no usable id."""
    if not isinstance(raw, dict):
        return None
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not item_id.strip() or len(item_id.strip()) > MAX_ID or _CONTROL.search(item_id):
        return None
    link = _url(raw.get("link"))
    content = raw.get("content")
    return PulledItem(
        source, source_name, site, item_id.strip(), mentions.one_line(_string(raw, "title")[: MAX_TITLE * 4], MAX_TITLE), link,
        _instant(raw.get("published")), mentions.one_line(_string(raw, "summary")[: MAX_SUMMARY * 4], MAX_SUMMARY),
        _sanitised(content, link) if isinstance(content, str) else "",
        mentions.one_line(_string(raw, "author")[: mentions.MAX_NAME * 4], mentions.MAX_NAME),
    )


def to_json(state: State) -> bytes:
    """The bytes of pulled/<id>.json: keys sorted, items newest first, so equal states are equal bytes."""
    doc = {
        "format": FORMAT, "id": state.id, "url": state.url, "name": state.name, "site": state.site,
        "title": state.title, "etag": state.etag, "last_modified": state.last_modified,
        "last_success": _instant_text(state.last_success),
        "last_error": {"reason": state.last_error.reason, "since": _instant_text(state.last_error.since)}
        if state.last_error else None,
        "items": _stored(state.items),
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _stored(items: Iterable[PulledItem]) -> list[dict[str, str | None]]:
    """Items as a file holds them: without their source, which the file is about."""
    return [{"id": i.id, "title": i.title, "link": i.link, "published": _instant_text(i.published),
             "summary": i.summary, "content": i.content, "author": i.author} for i in items]


# --- small helpers ------------------------------------------------------------------------------


def _url(value: Any) -> str:
    """An absolute http(s) URL, or ""; mentions' check, which raises on some malformed hosts."""
    try:
        return mentions.web_url(value)
    except ValueError:  # e.g. "http://[::1", an IPv6 host left open
        return ""


def _joined(base: str, value: Any) -> str:
    """``value`` made absolute against ``base``, if it is then an http(s) URL; else ""."""
    if not isinstance(value, str) or not value.strip() or len(value) > mentions.MAX_URL:
        return ""
    try:
        return _url(urljoin(base, value.strip()))
    except ValueError:
        return ""


def _string(doc: Mapping[str, Any], key: str) -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else ""


def _instant(value: Any) -> dt.datetime | None:
    when = mentions.instant_of(value)
    return when.replace(microsecond=0) if when else None


def _instant_text(when: dt.datetime | None) -> str | None:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def _line_of(raw: Any, text: str) -> int:
    """The line where an item's id is written in a file, so the author can find it; else 1."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(item_id, str):
        return 1
    at = text.find('"id": ' + json.dumps(item_id, ensure_ascii=False))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 and n % 2**20 == 0 else f"{n:,} bytes"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
