"""publog.yaml -> Config: every option declared once, with its type and default."""

from __future__ import annotations

import hashlib
import os
import re
import zoneinfo
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from ..learning import cadence as cadence_mod
from ..read import files
from ..read.dates import known_zone
from . import kinds as kinds_mod
from ..read import layouts
from . import yamltext
from .people import Author, Member, parse_members
from ..social.untrusted import web_url
from ..problems import Problem, error
from ..urls import pattern_problem, slugify

CONFIG_FILE = "publog.yaml"


@dataclass(frozen=True)
class TopicSetting:
    name: str = ""
    description: str = ""
    goal: str = ""  # what the author wants to be able to do
    parent: str = ""  # the key of a broader topic: discovery under product


@dataclass(frozen=True)
class Config:
    """A journal's settings. Every field has a default; publog.yaml overrides them."""

    title: str = "My learning journal"
    description: str = "What I am learning, in public."
    author: Author = field(default_factory=Author)
    base_url: str = "http://localhost:8000/"
    # Feed ids made from this (`publog init` writes one) survive a move to another domain; without it they
    # are made from base_url's host, as they always were, so no reader sees a journal's entries again.
    journal_id: str = ""
    language: str = "en"
    timezone: str = "UTC"
    entries: str = "entries"
    output: str = "_site"
    permalink: str = "/{year}/{slug}/"
    per_page: int = 10
    feed_items: int = 20
    toc_words: int = 1200  # an entry of this many words or more (and three headings) lists its headings; 0: none
    theme: str = "default"
    search: bool = True  # a Pagefind index and a search page
    social_cards: bool = True  # og:image on every page: an entry's first image, else a card drawn at build time
    never_publish: tuple[str, ...] = ()  # privacy.never_publish: words, phrases or /regexes/ no page may contain
    # Responses from other sites (see social/mentions.py):
    webmention: str = ""  # the Webmention endpoint pages advertise, e.g. https://webmention.io/example.org/webmention
    mentions: str = ""  # the receiver's jf2 API `publog mentions pull` reads; its token is never here
    mention_photos: bool = False  # show responders' avatars, loaded from their sites; off: names and links only
    respond: str = ""  # where readers respond: a URL with {url} and {title}; default a mailto: to the author
    cadence: str = cadence_mod.DEFAULT_CADENCE  # the author's goal: an entry every day, week, two weeks or month
    topics: dict[str, TopicSetting] = field(default_factory=dict)
    kinds: dict[str, kinds_mod.Kind] = field(default_factory=lambda: dict(kinds_mod.BUILTIN))
    # A folder written for another generator, or an Obsidian vault (see read/layouts/): found unless named here.
    layout: layouts.Layout = field(default_factory=layouts.Layout)
    publish: layouts.Publish = field(default_factory=layouts.Publish)  # which notes of a vault go out
    topics_from: tuple[str, ...] = layouts.TOPIC_SOURCES  # which front matter lists become topics
    members: tuple[Member, ...] = ()  # a community site's members (see social/community.py)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def digest(self) -> str:
        """A fingerprint of every setting, for caches and page fingerprints."""
        return hashlib.blake2b(repr(sorted(asdict(self).items())).encode(), digest_size=12).hexdigest()


PERMALINK_FIELDS = ("year", "month", "day", "slug")

_Check = Callable[[Any], "str | None"]


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "text"


def _positive_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "a whole number above 0"


def _words(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "a whole number of words, or 0 for none"


def _timezone(value: Any) -> str | None:
    if not isinstance(value, str):
        return "a timezone name such as Europe/Berlin or UTC"
    if not known_zone(value):
        return "a timezone name such as Europe/Berlin or UTC (this one is unknown)"
    return None


def _base_url(value: Any) -> str | None:
    if isinstance(value, str) and re.match(r"^https?://[^/\s]+(/[^\s]*)?$", value):
        return None
    return "an absolute http(s) URL such as https://example.org/ or https://example.org/notes/"


def _uuid(value: Any) -> str | None:
    import uuid

    if value == "":
        return None  # none: ids from base_url's host
    try:
        uuid.UUID(str(value))
    except ValueError:
        return "a UUID such as 1b4e28ba-2fa1-41d2-883f-0016d3cca427 (publog init writes one)"
    return None if isinstance(value, str) else "a UUID in quotes"


def _permalink(value: Any) -> str | None:
    return pattern_problem(value)  # urls.py knows every field a pattern may use


def _folder(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "a folder name relative to the journal"
    parts = Path(value).parts
    if Path(value).is_absolute() or ".." in parts:
        return "a folder inside the journal (no absolute path, no '..')"
    return None


def _output(value: Any) -> str | None:
    if not isinstance(value, str):
        return "text"
    normal = os.path.normpath(value) if value.strip() else "."
    if normal == "." or all(part == ".." for part in Path(normal).parts):
        return "a folder that does not hold the journal, such as _site or ../public"
    return None


def _theme(value: Any) -> str | None:
    if not isinstance(value, str):
        return "text"
    if not value.strip():
        return "the name of a built-in theme or a folder inside the journal"
    if Path(value).is_absolute() or ".." in Path(value).parts:
        return "a built-in theme or a folder inside the journal (no absolute path, no '..')"
    return None


def _cadence(value: Any) -> str | None:
    return None if value in cadence_mod.CADENCES else "one of " + ", ".join(cadence_mod.CADENCES)


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _web_url(value: Any) -> str | None:
    return None if value == "" or web_url(value) == value else "an absolute http(s) URL, or empty"


def _mentions_api(value: Any) -> str | None:
    wrong = _web_url(value)
    if wrong:
        return wrong + ", such as https://webmention.io/api/mentions.jf2?domain=example.org"
    if re.search(r"[?&](token|access_token)=", value):
        return "the API's URL without its token (publog.yaml is published): set PUBLOG_MENTIONS_TOKEN instead"
    return None


def _respond(value: Any) -> str | None:
    hint = "an http(s) or mailto: URL where readers respond, with {url} and {title} for the entry's, e.g. https://forum.example.org/new?link={url}"
    if value == "":
        return None
    if not isinstance(value, str) or not re.match(r"^(https?://[^/\s]+(/\S*)?|mailto:\S+)$", value):
        return hint
    if re.search(r"[{}]", value.replace("{url}", "").replace("{title}", "")):
        return hint + " (no other {...})"
    return None


_CHECKS: dict[str, _Check] = {
    "title": _text,
    "description": _text,
    "base_url": _base_url,
    "language": _text,
    "timezone": _timezone,
    "entries": _folder,
    "output": _output,
    "permalink": _permalink,
    "per_page": _positive_int,
    "feed_items": _positive_int,
    "toc_words": _words,
    "theme": _theme,
    "search": lambda v: None if isinstance(v, bool) else "true or false",
    "social_cards": _flag,
    "webmention": _web_url,
    "mentions": _mentions_api,
    "mention_photos": _flag,
    "respond": _respond,
    "cadence": _cadence,
    "journal_id": _uuid,
}


def load(root: Path) -> tuple[Config, list[Problem]]:
    """Read ``root/publog.yaml`` if there is one; report every bad key with its line.

    A folder written for another generator (or an Obsidian vault) gets that generator's
    folders and URLs, where publog.yaml does not say otherwise (see read/layouts/).
    """
    config, problems = _load(root)
    return layouts.settle(root, config, problems, CONFIG_FILE)


def _load(root: Path) -> tuple[Config, list[Problem]]:
    path = root / CONFIG_FILE
    if not os.path.lexists(path):
        return Config(), []
    try:
        text = files.read_text(path, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return Config(), [error(CONFIG_FILE, 1, "publog.yaml is not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return Config(), [error(CONFIG_FILE, 1, _unreadable(path, exc))]
    doc, problems = yamltext.load(text, CONFIG_FILE)
    if doc is None:
        return Config(), problems
    if doc.value is None:
        return Config(), []
    if not isinstance(doc.value, dict):
        return Config(), [error(CONFIG_FILE, 1, "publog.yaml must be a mapping of 'key: value' lines")]
    return parse(doc.value, doc.key_lines)


def _unreadable(path: Path, exc: OSError) -> str:
    """Why publog.yaml cannot be read, and what to do about it: its settings (a never-publish list
    among them) must not be left out unseen."""
    found = files.kind(path)
    if found == "folder":
        return "is a folder; publog's settings are a file of 'key: value' lines: move the folder away"
    if found == "missing":
        return "is a link to a file that does not exist; point it at your settings or replace it with them"
    if isinstance(exc, files.NotRegular) or found == "other":
        return "is not a regular file (a named pipe, socket or device); replace it with a file of settings"
    return f"cannot be read ({exc.strerror or exc}); check its permissions"


def parse(data: dict[str, Any], lines: dict[str, int]) -> tuple[Config, list[Problem]]:
    problems: list[Problem] = []
    known = {f.name for f in fields(Config)} - {"never_publish"} | {"privacy"}  # never_publish is written under privacy:
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if key not in known:
            problems.append(
                error(CONFIG_FILE, line, f"unknown setting '{key}'; known settings: {', '.join(sorted(known))}")
            )
        elif key == "author":
            author, more = _author(value, line)
            problems += more
            values[key] = author
        elif key == "kinds":
            found, more = _kinds(value, line)
            problems += more
            values[key] = found
        elif key in layouts.SETTINGS:
            values[key], more = layouts.setting(key, value, line, CONFIG_FILE)
            problems += more
        elif key == "privacy":
            values["never_publish"], more = _privacy(value, line)
            problems += more
        elif key == "members":
            values[key], more = parse_members(value, line, CONFIG_FILE)
            problems += more
        elif key == "topics":
            topics, more = _topics(value, line)
            problems += more
            values[key] = topics
        else:
            wrong = _CHECKS[key](value)
            if wrong:
                problems.append(error(CONFIG_FILE, line, f"'{key}' must be {wrong}, not {value!r}"))
            else:
                values[key] = value
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    if values.get("members"):  # many write here: the built-in kinds are described as theirs, not one person's
        values["kinds"] = {name: kinds_mod.shared(kind) for name, kind in values.get("kinds", kinds_mod.BUILTIN).items()}
    return Config(**values), problems


def _author(value: Any, line: int) -> tuple[Author, list[Problem]]:
    if isinstance(value, str):
        return Author(name=value), []
    if not isinstance(value, dict):
        return Author(), [error(CONFIG_FILE, line, "'author' must be a name, or a mapping of name, email and url")]
    problems = []
    known = {f.name for f in fields(Author)}
    for key, item in value.items():
        if key not in known:
            problems.append(error(CONFIG_FILE, line, f"unknown author setting '{key}'; use name, email, url or links"))
        elif key == "links":
            if not isinstance(item, list) or not all(web_url(u) == u for u in item):
                problems.append(error(CONFIG_FILE, line, "'author.links' must be a list of http(s) URLs of your profiles elsewhere, such as [https://mastodon.social/@you]"))
        elif not isinstance(item, str):
            problems.append(error(CONFIG_FILE, line, f"'author.{key}' must be text, not {item!r}"))
        elif key == "url" and item and web_url(item) != item:
            # the home page links it as rel="me", and feeds as the author's: a javascript: URL would run
            problems.append(error(CONFIG_FILE, line, f"'author.url' must be the http(s) URL of your site or profile, such as https://example.org/, not {item!r}"))
    if problems:
        return Author(), problems
    return Author(**{**value, "links": tuple(value.get("links", ()))}), []


def _privacy(value: Any, line: int) -> tuple[tuple[str, ...], list[Problem]]:
    """privacy: {never_publish: [Acme, /project \\w+/]}: checked here so a bad pattern is found before a build."""
    from ..privacy.leaks import compile_terms

    hint = "'privacy' takes 'never_publish:', a list of words, phrases or /regular expressions/ that must never be published"
    if not isinstance(value, dict) or set(value) - {"never_publish"}:
        return (), [error(CONFIG_FILE, line, hint)]
    items = value.get("never_publish") or []
    if not isinstance(items, list) or not all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
        return (), [error(CONFIG_FILE, line, hint)]
    items = [str(i) for i in items]
    try:
        compile_terms(items)
    except ValueError as exc:
        return (), [error(CONFIG_FILE, line, f"'privacy.never_publish': {exc}")]
    return tuple(items), []


def _topics(value: Any, line: int) -> tuple[dict[str, TopicSetting], list[Problem]]:
    hint = "'topics' maps a topic to its name, description, goal and parent, e.g. 'sql: {name: SQL, parent: data}'"
    if not isinstance(value, dict):
        return {}, [error(CONFIG_FILE, line, hint)]
    topics: dict[str, TopicSetting] = {}
    problems = []
    allowed = [f.name for f in fields(TopicSetting)]
    for key, item in value.items():
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not all(k in allowed and isinstance(v, str) for k, v in item.items()):
            problems.append(error(CONFIG_FILE, line, f"topic '{key}': {hint}"))
            continue
        topics[slugify(str(key)) or str(key)] = TopicSetting(**{**item, "parent": slugify(item.get("parent", ""))})
    for key, topic in topics.items():
        seen = [key]
        parent = topic.parent
        while parent and parent not in seen:
            if parent not in topics:
                known = ", ".join(sorted(topics))
                problems.append(error(CONFIG_FILE, line, f"topic '{key}': its parent '{parent}' is not a topic here; add it under 'topics:' or use one of {known}"))
                break
            seen.append(parent)
            parent = topics[parent].parent
        else:
            if parent:
                problems.append(error(CONFIG_FILE, line, f"topic '{key}': parents go round in a circle ({' > '.join(seen + [parent])}); one of them must have none"))
    return topics, problems


def _kinds(value: Any, line: int) -> tuple[dict[str, kinds_mod.Kind], list[Problem]]:
    found = dict(kinds_mod.BUILTIN)
    if not isinstance(value, dict):
        return found, [error(CONFIG_FILE, line, "'kinds' maps a kind's name to its label, required and optional fields")]
    problems = []
    for name, raw in value.items():
        kind, wrong = kinds_mod.from_config(str(name), raw, kinds_mod.BUILTIN.get(str(name)))
        if wrong or kind is None:
            problems.append(error(CONFIG_FILE, line, wrong or f"kind '{name}' is not valid"))
        else:
            found[kind.name] = kind
    return found, problems
