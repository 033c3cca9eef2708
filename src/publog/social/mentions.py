"""Responses from other sites -> what each page shows under it; and how a reader can respond.

The journal's ``mentions/`` folder holds JSON files in the jf2 format that hosted
Webmention receivers export, as webmention.io's API returns it::

    {"type": "feed", "children": [{"type": "entry", "wm-id": 9, "wm-property": "in-reply-to",
      "wm-target": "https://example.org/2024/joins/", "url": "https://them.example/r/1",
      "published": "2024-05-02T10:00:00+00:00", "author": {"name": "Ana", "url": ..., "photo": ...},
      "content": {"html": "<p>Nice</p>", "text": "Nice"}}]}

Everything in those files comes from strangers. Only http(s) URLs survive, text is
cut to a length, reply HTML goes through nh3 (links get rel="nofollow ugc"), and a
file that is malformed or hostile is a warning naming the file, never a broken page.

``publog mentions pull`` (see ``pull``) fetches new responses from the receiver's
jf2 API into ``mentions/received-YEAR.json``, one file per year of receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import nh3

from . import fetch
from ..problems import Problem, error, warning

if TYPE_CHECKING:  # config and community import from this module
    from .community import Member
    from ..settings.config import Config

MENTIONS_DIR = "mentions"
TOKEN_VARIABLE = "PUBLOG_MENTIONS_TOKEN"  # the receiver's API token: never in publog.yaml, which is published
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NAME = 100  # characters of a name or title
MAX_URL = 2048
MAX_HTML = 20_000  # characters of a reply's HTML, before sanitising
MAX_TEXT = 5_000
MAX_WARNINGS = 20  # per file: a hostile file must not bury the author's own problems
PULLED = re.compile(r"received-(\d{4}|undated)\.json")

DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template",
                         "noscript", "textarea", "select"}
_PROPERTIES = {"in-reply-to": "replies", "like-of": "likes", "repost-of": "reposts",
               "bookmark-of": "bookmarks", "mention-of": "mentions", "rsvp": "mentions"}
# Controls go, line breaks become spaces; bidirectional overrides and isolates go too, as
# they can make a name display as something else.
_INVISIBLE: dict[int, str | None] = {**dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]),
                                     **dict.fromkeys(range(0x09, 0x0E), " ")}


@dataclass(frozen=True)
class Allowed:
    """What one kind of other people's HTML may keep. Whatever it allows, scripts, styles, frames
    and embedded objects go with what they hold, and comments, event handlers and URLs of other
    schemes (javascript:, data: ...) go too."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]  # by tag, "*" for every tag
    schemes: frozenset[str] = frozenset({"http", "https"})  # of the URLs of links and images
    relative: bool = False  # links without a scheme kept as written; else made absolute against a base, or removed
    rel: str | None = "nofollow ugc"  # of every link
    styles: frozenset[str] = frozenset()  # CSS properties a style attribute may set
    forced: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # attributes every such tag gets
    longest: int | None = MAX_HTML  # characters, before sanitising


# A reply keeps text formatting and links, never images (no hot-linking).
REPLIES = Allowed(frozenset({"a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "ins", "li", "ol",
                             "p", "pre", "q", "s", "small", "strong", "sub", "sup", "ul"}),
                  {"a": frozenset({"href", "title"}), "abbr": frozenset({"title"})})


@dataclass(frozen=True)
class Person:
    """Who responded: a name (may be ""), a link to them, and their avatar's URL when photos are on."""

    name: str
    url: str = ""
    photo: str = ""


@dataclass(frozen=True)
class Reply:
    """A reply or mention: who wrote it, when, where the original is, and its sanitised HTML."""

    author: Person
    published: dt.datetime | None  # in UTC; None when the receiver knew no usable date
    url: str  # the original, on the responder's site
    content: str  # safe HTML, "" for a bare mention
    name: str = ""  # the title of the post that mentions the entry, if it has one


@dataclass(frozen=True)
class Responses:
    """Everything other sites said about one page of the site."""

    target: str  # site path, e.g. /2024/joins/
    likes: tuple[Person, ...] = ()
    reposts: tuple[Person, ...] = ()
    bookmarks: tuple[Person, ...] = ()
    replies: tuple[Reply, ...] = ()  # oldest first
    mentions: tuple[Reply, ...] = ()  # oldest first
    digest: str = ""  # changes whenever anything shown changes; a page's fingerprint includes it

    @property
    def count(self) -> int:
        return len(self.likes) + len(self.reposts) + len(self.bookmarks) + len(self.replies) + len(self.mentions)


@dataclass(frozen=True)
class Mentions:
    """The responses of every page that has some, by site path."""

    targets: Mapping[str, Responses] = field(default_factory=dict)

    def get(self, path: str) -> Responses:
        """The page's responses; an empty Responses (its digest empty) when it has none."""
        return self.targets.get(path) or Responses(path)

    def digest(self, path: str) -> str:
        return self.get(path).digest


# --- reading mentions/ -------------------------------------------------------------------------


def load(folder: Path, base_url: str, photos: bool = False) -> tuple[Mentions, list[Problem]]:
    """Every *.json below ``folder`` in sorted order, as Responses by the site path they target.

    Promises: a response is counted once, even when several files hold it (same wm-id,
    or same url, target and kind: the first one read wins); only responses to pages of
    ``base_url`` are kept (others give a warning); private ones (wm-private) never are;
    avatars are kept only when ``photos`` is true. A file that cannot be used is a
    warning naming it, and its responses are left out: nothing in it can stop a build.
    """
    if not folder.is_dir():
        return Mentions(), []
    problems: list[Problem] = []
    seen: set[tuple[str, ...]] = set()
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    real = os.path.realpath(folder)
    for path in sorted(folder.rglob("*.json")):
        relative = path.relative_to(folder)
        shown = f"{folder.name}/{relative.as_posix()}"
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if not os.path.realpath(path).startswith(real + os.sep):
            problems.append(warning(shown, 1, "is a link to a file outside the mentions folder; it is left out"))
            continue
        items, text, problem = read_feed(path, shown)
        if problem:
            problems.append(problem)
            continue
        bad = []
        for number, raw in enumerate(items, 1):
            wrong = _place(raw, base_url, photos, seen, found)
            if wrong:
                bad.append((raw, f"response {number}{_id_of(raw)}: {wrong}"))
        problems += [warning(shown, _line_of(raw, text), message) for raw, message in bad[:MAX_WARNINGS]]
        if len(bad) > MAX_WARNINGS:
            more = len(bad) - MAX_WARNINGS
            problems.append(warning(shown, 1, f"{more} more responses with problems; they are left out or shown in part"))
    return Mentions({path: _finished(path, kinds) for path, kinds in sorted(found.items())}), problems


def read_feed(path: Path, shown: str) -> tuple[list[Any], str, Problem | None]:
    """A jf2 file's list of responses (a feed, a bare list, or one entry) and its text; or why not."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return [], "", warning(shown, 1, f"is larger than {MAX_FILE_BYTES // 2**20} MB, so it is left out; split it into smaller files")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return [], "", warning(shown, 1, f"cannot be read ({exc.strerror or exc}); it is left out")
    if len(data) > MAX_FILE_BYTES:
        return [], "", warning(shown, 1, f"is larger than {MAX_FILE_BYTES // 2**20} MB, so it is left out; split it into smaller files")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], "", warning(shown, line, "is not UTF-8 text, so it is left out; save it as UTF-8")
    items, why, line = parse_feed(text)
    return items, text, warning(shown, line, f"{why}; the file is left out") if why else None


def parse_feed(text: str) -> tuple[list[Any], str, int]:
    """The responses of a jf2 document, or ([], why it is not one, line)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], f"is not valid JSON: {exc.msg}", exc.lineno
    except RecursionError:
        return [], "is nested too deeply to be a jf2 feed", 1
    except ValueError as exc:  # a number of thousands of digits
        return [], f"is not usable JSON: {exc}", 1
    if isinstance(doc, list):
        return doc, "", 1
    if isinstance(doc, dict) and isinstance(doc.get("children"), list):
        return doc["children"], "", 1
    if isinstance(doc, dict) and doc.get("type") == "entry":
        return [doc], "", 1
    return [], "is not a jf2 feed: expected {\"type\": \"feed\", \"children\": [...]} or a list of responses", 1


def _place(raw: Any, base_url: str, photos: bool, seen: set[tuple[str, ...]],
           found: dict[str, dict[str, list[Any]]]) -> str:
    """File one response under its target; what was wrong with it ("" when nothing)."""
    if not isinstance(raw, dict):
        return f"should be an object, not {_kind_of(raw)}; it is left out"
    if raw.get("wm-private") is True:
        return ""
    dropped: list[str] = []
    prop = raw.get("wm-property")
    if prop is None:
        prop = next((p for p in _PROPERTIES if p in raw), "mention-of")
    elif not isinstance(prop, str) or prop not in _PROPERTIES:
        dropped.append("wm-property (unknown; shown as a mention)")
        prop = "mention-of"
    target_url = _target(raw, prop)
    if not target_url:
        return "has no wm-target with an http(s) URL; it is left out"
    target = site_path(target_url, base_url)
    if target is None:
        return f"is for {target_url[:120]}, which is not a page of this site ({base_url}); it is left out"
    url = web_url(raw.get("url")) or web_url(raw.get("wm-source"))
    if raw.get("url") not in (None, "") and not web_url(raw.get("url")):
        dropped.append("url (not an http(s) URL)")
    keys: list[tuple[str, ...]] = [("url", url, target, prop)] if url else []
    if isinstance(raw.get("wm-id"), (int, str)) and not isinstance(raw.get("wm-id"), bool):
        keys.append(("id", str(raw["wm-id"])))
    if any(key in seen for key in keys):
        return ""
    seen.update(keys)
    author = _person(raw.get("author"), url, photos, dropped)
    when = instant_of(raw.get("published")) or instant_of(raw.get("wm-received"))
    kind = _PROPERTIES[prop]
    if kind in ("replies", "mentions"):
        content = _content(raw.get("content"), url, dropped)
        title = raw.get("name")
        name = one_line(title, MAX_NAME) if isinstance(title, str) else ""
        if name and content and _plain(content).startswith(name.rstrip("…")):
            name = ""  # jf2 of a note repeats its text as its name
        found[target][kind].append((when, url, Reply(author, when, url, content, name)))
    else:
        found[target][kind].append((when, url, author))
    return ("ignored " + ", ".join(dropped)) if dropped else ""


def _target(raw: Mapping[str, Any], prop: str) -> str:
    """The URL a response is for: its wm-target, or else the value of its property (like-of ...)."""
    return web_url(raw.get("wm-target")) or web_url(raw.get(prop))


def _finished(path: str, kinds: Mapping[str, list[Any]]) -> Responses:
    def ordered(kind: str) -> tuple[Any, ...]:
        # Undated responses go last; the URL breaks ties so that every build orders alike.
        never = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
        return tuple(item for _, _, item in sorted(kinds.get(kind, []), key=lambda t: (t[0] or never, t[1])))

    fields_ = {kind: ordered(kind) for kind in ("likes", "reposts", "bookmarks", "replies", "mentions")}
    digest = hashlib.blake2b(repr((path, sorted(fields_.items()))).encode(), digest_size=12).hexdigest()
    return Responses(path, digest=digest, **fields_)


def site_path(url: str, base_url: str) -> str | None:
    """The site path a URL of this site points to (/2024/joins/), or None for another site.

    Either scheme counts (receivers record what the sender wrote); query and fragment
    are ignored; /x and /x/index.html mean /x/.
    """
    base, target = urlsplit(base_url), urlsplit(url)
    try:
        same = (target.scheme in ("http", "https") and (target.hostname or "") == (base.hostname or "")
                and _port(target.port) == _port(base.port))
    except ValueError:  # a port that is no number
        return None
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    path = unquote(target.path or "/")
    if not same or not (path + "/").startswith(base_path):
        return None
    path = "/" + path[len(base_path):]
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    last = path.rsplit("/", 1)[1]
    return path + "/" if last and "." not in last else path


def _port(port: int | None) -> int | None:
    return None if port in (80, 443) else port  # a default port, whichever the scheme


def _person(raw: Any, fallback_url: str, photos: bool, dropped: list[str]) -> Person:
    if raw is None:
        return Person(_host(fallback_url), fallback_url)
    if not isinstance(raw, dict):
        dropped.append(f"author (should be an object, not {_kind_of(raw)})")
        return Person(_host(fallback_url), fallback_url)
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        dropped.append(f"author.name (not text but {_kind_of(name)})")
        name = None
    url, photo = web_url(raw.get("url")), web_url(raw.get("photo"))
    for key, value in (("url", url), ("photo", photo)):
        if raw.get(key) not in (None, "") and not value:
            dropped.append(f"author.{key} (not an http(s) URL)")
    link = url or fallback_url
    return Person(one_line(name, MAX_NAME) if name else _host(link), link, photo if photos else "")


def _content(raw: Any, base: str, dropped: list[str]) -> str:
    if raw is None or raw == "":
        return ""
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict):
        dropped.append(f"content (should be an object with html and text, not {_kind_of(raw)})")
        return ""
    markup, text = raw.get("html"), raw.get("text", raw.get("value"))
    if isinstance(markup, str) and markup.strip():
        return sanitise(markup, base)
    if isinstance(text, str) and text.strip():
        text = text.strip()
        if len(text) > MAX_TEXT:
            text = _cut(text, MAX_TEXT)
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if markup is not None or text is not None:
        dropped.append("content (html and text should be text)")
    return ""


def sanitise(markup: str, base: str = "", allowed: Allowed = REPLIES) -> str:
    """HTML other people wrote, safe to show: what ``allowed`` keeps and nothing that runs.

    A reply (the default) keeps formatting and http(s) links only, marked nofollow ugc, and
    its relative links are made absolute against ``base`` (the reply's URL), or removed without one.
    """
    if allowed.longest is not None and len(markup) > allowed.longest:
        markup = markup[:allowed.longest] + "…"  # the sanitiser closes whatever the cut left open
    relative: Any = "pass_through" if allowed.relative else ("rewrite_with_base", base) if base else "deny"
    # Math goes with its content unless allowed (a member's entry keeps the MathML publog wrote).
    return str(nh3.clean(markup, tags=set(allowed.tags), clean_content_tags=DROPPED_WITH_CONTENT - allowed.tags,
                         attributes={tag: set(names) for tag, names in allowed.attributes.items()},
                         link_rel=allowed.rel, url_schemes=set(allowed.schemes), strip_comments=True,
                         url_relative=relative, filter_style_properties=set(allowed.styles) or None,
                         set_tag_attribute_values={tag: dict(values) for tag, values in allowed.forced.items()} or None)).strip()


def web_url(value: Any) -> str:
    """An absolute http(s) URL without spaces or controls, or "" for anything else."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return ""
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, say: not a URL anyone can follow
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s\x00-\x1f\x7f\"'<>\\]", url):
        return ""
    return url


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def one_line(text: str, limit: int) -> str:
    """One line of display text: no controls or direction overrides, at most ``limit`` characters."""
    text = " ".join(text.translate(_INVISIBLE).split())
    return _cut(text, limit) if len(text) > limit else text


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a space, with an ellipsis."""
    head = text[: limit - 1]
    if " " in head[limit // 2:]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


def instant_of(value: Any) -> dt.datetime | None:
    """An ISO 8601 date as an aware UTC datetime (naive ones taken as UTC); None for anything else.

    Years outside 1970-9000 are refused: no response is that old, and a date at the edge
    of what datetime holds breaks whoever converts it to another time zone.
    """
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
        when = (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        return None
    return when if 1970 <= when.year <= 9000 else None


def _kind_of(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")


def _id_of(raw: Any) -> str:
    wm_id = raw.get("wm-id") if isinstance(raw, dict) else None
    return f" (wm-id {str(wm_id)[:40]})" if isinstance(wm_id, (int, str)) and not isinstance(wm_id, bool) else ""


def _line_of(raw: Any, text: str) -> int:
    """The line where a response's wm-id is written, so the author can find it; else 1."""
    wm_id = raw.get("wm-id") if isinstance(raw, dict) else None
    if not isinstance(wm_id, (int, str)) or isinstance(wm_id, bool) or len(str(wm_id)) > 40:
        return 1
    match = re.search(r'"wm-id"\s*:\s*"?' + re.escape(str(wm_id)) + r'(?![\w.])', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


# --- pulling from the receiver ------------------------------------------------------------------


@dataclass(frozen=True)
class Pulled:
    """What a pull did: responses new to the journal, files written, or why it wrote nothing."""

    added: int = 0
    total: int = 0  # responses in the pulled files afterwards
    written: tuple[str, ...] = ()  # journal-relative files
    skipped: int = 0  # private, or for another site
    failure: str = ""


PER_PAGE = 100
_HEADERS = {"Accept": "application/jf2+json, application/json", "User-Agent": "publog"}
MAX_PAGES = 200  # a receiver that never stops paging must not keep a pull going for ever


def pull(root: Path, config: Config, token: str = "", timeout: float = 30.0) -> Pulled:
    """Fetch new responses from ``config.mentions`` into ``root/mentions/received-YEAR.json``.

    Promises: nothing is written unless every answer was valid jf2; each file is
    replaced whole (temporary file, then rename), so no file is ever half written;
    what the folder held stays, merged with what is new by wm-id (or url, target and
    kind); only what is newer than the highest wm-id held is asked for (``since_id``,
    which webmention.io understands; a receiver that ignores it answers with
    everything, which merges all the same). ``token`` is sent as the ``token``
    parameter, as webmention.io expects it.
    """
    if not config.mentions:
        return Pulled(failure="publog.yaml has no 'mentions' setting; add your receiver's jf2 API, e.g. "
                              "'mentions: https://webmention.io/api/mentions.jf2?domain=example.org'")
    folder = root / MENTIONS_DIR
    held, why = _held(folder)
    if why:
        return Pulled(failure=why)
    ids = [int(str(i)) for i in (item.get("wm-id") for item in held.values()) if _numeric(i)]
    merged = dict(held)
    skipped = added = 0
    host = urlsplit(config.mentions).hostname or config.mentions
    for page in range(MAX_PAGES):
        params = {"per-page": str(PER_PAGE), "page": str(page)}
        if ids:
            params["since_id"] = str(max(ids))
        if token:
            params["token"] = token
        try:
            answer = fetch.get(_with_query(config.mentions, params), _HEADERS, timeout, MAX_FILE_BYTES)
        except fetch.Refused as refused:
            return Pulled(failure=_why(refused, host, timeout))
        if answer.status != 200:  # a 304 to a request that asked nothing of the kind
            return Pulled(failure=f"{host} answered HTTP 304 Not Modified; nothing was written; try again later")
        items, why = _answer(answer.body)
        if why:
            return Pulled(failure=f"{host} answered with something that is not a jf2 feed ({why}); nothing was written")
        fresh = 0
        for item in items:
            prop = item.get("wm-property")
            target = _target(item, prop if isinstance(prop, str) else "")
            if item.get("wm-private") is True or site_path(target, config.base_url) is None:
                skipped += 1
                continue
            key = _key(item)
            if key not in merged:
                added += 1
                fresh += 1
            elif merged[key] != item:
                fresh += 1
            merged[key] = item
        if len(items) < PER_PAGE or not fresh:
            break
    try:
        written = _write(folder, merged, held)
    except OSError as exc:
        return Pulled(failure=f"cannot write to {MENTIONS_DIR}/ ({exc.strerror or exc}); "
                              "each file there is whole, as before or as pulled; free some space or fix its permissions")
    return Pulled(added, len(merged), tuple(f"{MENTIONS_DIR}/{name}" for name in written), skipped)


def _why(refused: fetch.Refused, host: str, timeout: float) -> str:
    """What went wrong with a request, for the person who ran the pull; nothing was written."""
    megabytes = MAX_FILE_BYTES // 2**20
    if refused.why == "declared-too-large":
        return f"{host} sent {refused.size // 2**20} MB, more than the {megabytes} MB publog accepts; nothing was written"
    if refused.why == "too-large":
        return f"{host} sent more than the {megabytes} MB publog accepts; nothing was written"
    if refused.why in ("no-answer", "slow-body"):
        return f"{host} did not answer within {timeout:g} s; nothing was written; try again later or raise --timeout"
    if refused.why == "http":
        hint = f"set {TOKEN_VARIABLE} to your API token" if refused.code in (401, 403) else "try again later"
        return f"{host} answered HTTP {refused.code} {refused.detail}; nothing was written; {hint}"
    if refused.why == "redirect":
        return f"{refused.host} redirected to a URL that is not http(s); nothing was written"
    if refused.why == "unreachable":
        return (f"cannot reach {host} ({refused.detail}); nothing was written; "
                "check that you are online and that 'mentions' in publog.yaml is right")
    if refused.why == "bad-url":
        return f"cannot reach {host} ({refused.detail}); nothing was written; check 'mentions' in publog.yaml"
    return f"the connection to {host} broke off ({refused.detail}); nothing was written; try again"


def _answer(body: bytes) -> tuple[list[dict[str, Any]], str]:
    """The responses of a receiver's answer that can be stored, or why the answer is unusable."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "not UTF-8"
    doc: Any
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], f"invalid JSON at line {exc.lineno}: {exc.msg}"
    except (RecursionError, ValueError):
        return [], "JSON nested too deeply or with absurd numbers"
    if not isinstance(doc, dict) or not isinstance(doc.get("children"), list):
        return [], "no 'children' list"
    # Only what publog reads is kept, as flat values: the folder holds usable data, however
    # deep or large what the receiver sent; responses that could never be shown are dropped.
    kept = [_stored(item) for item in doc["children"] if isinstance(item, dict)]
    return [item for item in kept if _key(item)[1]], ""


_STORED = ("type", "wm-id", "wm-property", "wm-target", "wm-source", "wm-received", "wm-private", "url",
           "published", "name", *_PROPERTIES)
_STORED_PARTS = {"author": ("type", "name", "url", "photo"), "content": ("html", "text", "value")}


def _stored(item: Mapping[str, Any]) -> dict[str, Any]:
    flat = (str, int, float, bool, type(None))
    kept = {key: item[key] for key in _STORED if key in item and isinstance(item[key], flat)}
    for key, parts in _STORED_PARTS.items():
        value = item.get(key)
        if isinstance(value, dict):
            kept[key] = {part: value[part] for part in parts if part in value and isinstance(value[part], flat)}
        elif isinstance(value, str):
            kept[key] = value
    return kept


def _key(item: Mapping[str, Any]) -> tuple[str, str]:
    wm_id = item.get("wm-id")
    if _numeric(wm_id) or (isinstance(wm_id, str) and wm_id):
        return ("id", str(wm_id))
    url = web_url(item.get("url")) or web_url(item.get("wm-source"))
    return ("url", f"{url} {item.get('wm-target')} {item.get('wm-property')}" if url else "")


def _numeric(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit() and len(value) < 20)


def _held(folder: Path) -> tuple[dict[tuple[str, str], dict[str, Any]], str]:
    """The responses earlier pulls wrote, by key; or why they cannot be merged with safely."""
    held: dict[tuple[str, str], dict[str, Any]] = {}
    if not folder.is_dir():
        return held, ""
    for path in sorted(p for p in folder.iterdir() if PULLED.fullmatch(p.name)):
        shown = f"{MENTIONS_DIR}/{path.name}"
        items, _, problem = read_feed(path, shown)
        if problem:
            return {}, f"{problem}; fix or move that file before pulling, so nothing in it is lost"
        for item in items:
            if isinstance(item, dict) and _key(item)[1]:
                held[_key(item)] = item
    return held, ""


def _year(item: Mapping[str, Any]) -> str:
    when = instant_of(item.get("wm-received")) or instant_of(item.get("published"))
    return f"{when.year:04d}" if when else "undated"


def _write(folder: Path, merged: Mapping[tuple[str, str], dict[str, Any]],
           held: Mapping[tuple[str, str], dict[str, Any]]) -> list[str]:
    """Write each year's file whose responses changed; return their names."""
    years: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in merged.values():
        years[_year(item)].append(item)
    changed = {_year(item) for key, item in merged.items() if held.get(key) != item}
    written = []
    # Oldest year first: receivers number responses as they arrive, so if a pull stops
    # half-way, the highest wm-id on disk is never above one that was not written.
    for year in sorted(changed):
        items = sorted(years[year], key=lambda i: (str(i.get("wm-received") or ""), _sort_id(i), str(i.get("url"))))
        feed = {"type": "feed", "name": "Webmentions", "children": items}
        name = f"received-{year}.json"
        write_whole(folder / name, (json.dumps(feed, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode())
        written.append(name)
    return written


def _sort_id(item: Mapping[str, Any]) -> tuple[int, str]:
    wm_id = item.get("wm-id")
    return (int(str(wm_id)), "") if _numeric(wm_id) else (0, str(wm_id))


def write_whole(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, 0o644)  # mkstemp makes it private to us; it is the journal's file like any other
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _with_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode(query + list(params.items()))))


# --- how to respond ------------------------------------------------------------------------------


def respond_link(entry_title: str, entry_url: str, config: Config, discuss: Any = None,
                 writer: Member | None = None) -> tuple[str, str] | None:
    """(link text, URL) of the way to respond to an entry, or None when there is none.

    In order: the entry's own ``discuss:`` URL (http(s) only); the ``respond`` pattern
    of publog.yaml with {url} and {title} filled in, URL-encoded; a mailto: link to the
    author's email with "Re: <title>" as its subject. ``entry_url`` is absolute. On a
    community site, an entry one member wrote (``writer``) takes those two from their own
    journal's settings when it gives either.
    """
    own = web_url(discuss)
    if own:
        return "Discuss this entry", own
    respond, email = (writer.respond, writer.email) if writer and (writer.respond or writer.email) else (config.respond, config.author.email)
    if respond:
        filled = respond.replace("{url}", quote(entry_url, safe="")).replace("{title}", quote(entry_title, safe=""))
        return ("Reply by email", filled) if filled.startswith("mailto:") else ("Discuss this entry", filled)
    if email:
        return "Reply by email", f"mailto:{quote(email, safe='@')}?subject={quote('Re: ' + entry_title, safe='')}"
    return None


def link_problems(entries: Iterable[Any]) -> list[Problem]:
    """An error for each entry whose ``discuss:`` or ``syndication:`` is no http(s) URL: they
    become links on its page and in its feed items, where a javascript: URL would run."""
    problems = []
    for entry in entries:
        discuss = entry.extra.get("discuss")
        if discuss is not None and not web_url(discuss):
            problems.append(error(entry.path, entry.lines.get("discuss", 1), "'discuss' must be the http(s) URL of a "
                                  f"discussion of this entry, such as a forum thread, not {str(discuss)[:80]!r}"))
        copies = entry.extra.get("syndication")
        listed = copies if isinstance(copies, list) else [] if copies is None else [copies]
        wrong = [u for u in listed if not web_url(u)]
        if wrong:
            problems.append(error(entry.path, entry.lines.get("syndication", 1), "'syndication' must list the http(s) URLs "
                                  f"where this entry was also published, such as https://social.example/@you/1, not {str(wrong[0])[:80]!r}"))
    return problems
