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

``publog mentions pull`` (see ``receiver``) fetches new responses from the receiver's
jf2 API into ``mentions/received-YEAR.json``, one file per year of receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import quote, unquote, urlsplit

from ..problems import Problem, error, warning
# Allowed is not used here: community still imports it from this module.
from .untrusted import MAX_NAME, Allowed, cut, instant_of, one_line, sanitise, web_url  # noqa: F401

if TYPE_CHECKING:  # config and community import from this module
    from .community import Member
    from ..settings.config import Config

MENTIONS_DIR = "mentions"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT = 5_000
MAX_WARNINGS = 20  # per file: a hostile file must not bury the author's own problems
PULLED = re.compile(r"received-(\d{4}|undated)\.json")

PROPERTIES = {"in-reply-to": "replies", "like-of": "likes", "repost-of": "reposts",
              "bookmark-of": "bookmarks", "mention-of": "mentions", "rsvp": "mentions"}


@dataclass(frozen=True)
class Responder:
    """Who responded: a name (may be ""), a link to them, and their avatar's URL when photos are on."""

    name: str
    url: str = ""
    photo: str = ""


@dataclass(frozen=True)
class Reply:
    """A reply or mention: who wrote it, when, where the original is, and its sanitised HTML."""

    author: Responder
    published: dt.datetime | None  # in UTC; None when the receiver knew no usable date
    url: str  # the original, on the responder's site
    content: str  # safe HTML, "" for a bare mention
    name: str = ""  # the title of the post that mentions the entry, if it has one


@dataclass(frozen=True)
class Responses:
    """Everything other sites said about one page of the site."""

    target: str  # site path, e.g. /2024/joins/
    likes: tuple[Responder, ...] = ()
    reposts: tuple[Responder, ...] = ()
    bookmarks: tuple[Responder, ...] = ()
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
        problems += [warning(shown, _response_line(raw, text), message) for raw, message in bad[:MAX_WARNINGS]]
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
        prop = next((p for p in PROPERTIES if p in raw), "mention-of")
    elif not isinstance(prop, str) or prop not in PROPERTIES:
        dropped.append("wm-property (unknown; shown as a mention)")
        prop = "mention-of"
    target_url = target_of(raw, prop)
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
    author = _responder(raw.get("author"), url, photos, dropped)
    when = instant_of(raw.get("published")) or instant_of(raw.get("wm-received"))
    kind = PROPERTIES[prop]
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


def target_of(raw: Mapping[str, Any], prop: str) -> str:
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


def _responder(raw: Any, fallback_url: str, photos: bool, dropped: list[str]) -> Responder:
    if raw is None:
        return Responder(_host(fallback_url), fallback_url)
    if not isinstance(raw, dict):
        dropped.append(f"author (should be an object, not {_kind_of(raw)})")
        return Responder(_host(fallback_url), fallback_url)
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        dropped.append(f"author.name (not text but {_kind_of(name)})")
        name = None
    url, photo = web_url(raw.get("url")), web_url(raw.get("photo"))
    for key, value in (("url", url), ("photo", photo)):
        if raw.get(key) not in (None, "") and not value:
            dropped.append(f"author.{key} (not an http(s) URL)")
    link = url or fallback_url
    return Responder(one_line(name, MAX_NAME) if name else _host(link), link, photo if photos else "")


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
            text = cut(text, MAX_TEXT)
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if markup is not None or text is not None:
        dropped.append("content (html and text should be text)")
    return ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


def _kind_of(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")


def _id_of(raw: Any) -> str:
    wm_id = raw.get("wm-id") if isinstance(raw, dict) else None
    return f" (wm-id {str(wm_id)[:40]})" if isinstance(wm_id, (int, str)) and not isinstance(wm_id, bool) else ""


def _response_line(raw: Any, text: str) -> int:
    """The line where a response's wm-id is written, so the author can find it; else 1."""
    wm_id = raw.get("wm-id") if isinstance(raw, dict) else None
    if not isinstance(wm_id, (int, str)) or isinstance(wm_id, bool) or len(str(wm_id)) > 40:
        return 1
    match = re.search(r'"wm-id"\s*:\s*"?' + re.escape(str(wm_id)) + r'(?![\w.])', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


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
