"""Social cards: the picture a link to a page shows on Mastodon, LinkedIn, Slack (og:image, twitter:image).

An entry's card is the first image of its body that the site publishes (a PNG, JPEG, GIF or
WebP file: sites that show cards ignore SVG); else a picture drawn at build time (card_image.py)
of its title, kind and first topic and the journal's title. Every other page shows the site's
card: the journal's title, its author and its address. A draft never gets a card of its own, not even in a
--drafts preview: its pages show the site's card.

The drawn cards are kept in the build cache's database (run/cache.py), each named by a fingerprint of
what it shows, and written into the site as pages of their own: an edit draws only the card of
the entry whose title, kind or first topic changed, and a card no entry shows is deleted from
the cache and, as every file the plan no longer lists, from the site.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping, NamedTuple, Sequence
from urllib.parse import unquote, urlsplit

from ..journal.model import Entry, Journal
from ..journal.links import WIKI_KEY
from ..markdown.body import FILE_LINK, WIKI_LINK, Reference
from ..urls import Urls
from . import card_image
from .card_image import CardText

SITE_FOLDER = "cards"  # of the site
# What sites that show cards show: by the file's name, as the static files are served.
SHOWN_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'\s(src|alt)="([^"]*)"', re.I)
_PLACEHOLDER = re.compile("^(" + re.escape(FILE_LINK) + "|" + re.escape(WIKI_LINK) + ")([^#]*)")


class SocialImage(NamedTuple):
    """A page's og:image, as its <head> names it."""

    url: str  # absolute
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class SocialCards:
    """Each page's card: ``entries`` by entry path, ``site`` for every other page; ``drawn``: the cards to draw."""

    entries: Mapping[str, SocialImage] = field(default_factory=dict)
    site: SocialImage | None = None
    drawn: tuple[tuple[str, CardText], ...] = ()  # (site file, what it shows)


def fingerprint(text: CardText) -> str:
    """What names a drawn card: its text and what draws it (Pillow and FreeType draw text differently from
    version to version, and a kept card must be the one this build would draw)."""
    h = hashlib.blake2b(digest_size=12)
    h.update(repr((card_image.VERSION, card_image.drawn_by(), tuple(text))).encode())
    return h.hexdigest()


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def firsts(journal: Journal, references: Mapping[str, Sequence[Reference]],
           first_of: Callable[[str], tuple[str, str] | None]) -> dict[str, tuple[str, str]]:
    """The first image of each entry that has one, ``first_of`` its body's by digest (see first_image);
    only the bodies of entries that refer to an image file are looked at."""
    found: dict[str, tuple[str, str]] = {}
    for entry in journal.entries if journal.config.social_cards else ():
        if entry.draft or not any(_shown(r.target) for r in references.get(entry.path, ())):
            continue
        first = first_of(entry.digest)
        if first is not None:
            found[entry.path] = first
    return found


def _shown(target: str) -> bool:
    return os.path.splitext(target)[1].lower() in SHOWN_SUFFIXES


def first_image(body: str) -> tuple[str, str] | None:
    """The key in an entry's links of the first image of its body that is a file of the journal in a format
    sites show, and its alt text."""
    for tag in _IMG.finditer(_COMMENT.sub("", body)):  # an image its author commented out is not the page's picture
        found = dict((name.lower(), value) for name, value in _ATTRIBUTE.findall(tag.group(0)))
        placeholder = _PLACEHOLDER.match(found.get("src", ""))
        if placeholder is None or not _shown(unquote(placeholder.group(2))):
            continue  # an image of another site (not the site's to publish as its card), or an SVG
        target = unquote(placeholder.group(2))
        key = WIKI_KEY + target if placeholder.group(1) == WIKI_LINK else target
        return key, html.unescape(found.get("alt", ""))
    return None


def plan(journal: Journal, statics: Sequence[tuple[str, str, str]], firsts: Mapping[str, tuple[str, str]],
         size_of: Callable[[str], tuple[int, int] | None]) -> SocialCards:
    """Each page's card. ``firsts``: the first image of an entry's body (see first_image) by entry path;
    ``size_of``: an image file's size, None when it is no image it can read."""
    config = journal.config
    if not config.social_cards:
        return SocialCards()
    urls = Urls(config.base_url)
    copied = {file: source for file, source, _ in statics}
    topics = {t.key: t.name for t in journal.topics}
    address = urlsplit(config.base_url)
    site_text = CardText(config.author.name, config.title, (address.netloc + address.path).rstrip("/"))
    site_file = _file(site_text)
    site = SocialImage(urls.absolute("/" + site_file), card_image.WIDTH, card_image.HEIGHT,
                       f"{config.title}: {config.description}" if config.description else config.title)
    drawn = {site_file: site_text}
    entries: dict[str, SocialImage] = {}
    for entry in journal.entries:
        if entry.draft:
            continue
        own = _own(entry, firsts.get(entry.path), copied, urls, size_of)
        if own is not None:
            entries[entry.path] = own
            continue
        kind = config.kinds.get(entry.kind) if entry.kind else None
        above = (kind.label if kind else "", topics.get(entry.topics[0], "") if entry.topics else "")
        text = CardText(" · ".join(part for part in above if part), entry.title, config.title)
        file = _file(text)
        drawn[file] = text
        entries[entry.path] = SocialImage(urls.absolute("/" + file), card_image.WIDTH, card_image.HEIGHT, entry.title)
    return SocialCards(entries, site, tuple(sorted(drawn.items())))


# An entry's card is named again on every build of a long-running process: by its text, once.
@lru_cache(maxsize=1 << 15)
def _file(text: CardText) -> str:
    return f"{SITE_FOLDER}/{fingerprint(text)}.png"


def _own(entry: Entry, first: tuple[str, str] | None, copied: Mapping[str, str], urls: Urls,
         size_of: Callable[[str], tuple[int, int] | None]) -> SocialImage | None:
    """The entry's first image as its card, when the site publishes that file and sites show its format."""
    if first is None:
        return None
    key, alt = first
    path = dict(entry.links).get(key) or (key if key.startswith("/") else None)
    if path is None:
        return None  # not published: an image of a private note, or no file at all
    source = copied.get(path.lstrip("/"))
    size = size_of(source) if source and _shown(path) else None
    if size is None:
        return None
    return SocialImage(urls.absolute(path), size[0], size[1], alt or entry.title)


def image_size(source: str) -> tuple[int, int] | None:
    """The width and height of an image file, read from its header; None when it is none Pillow reads."""
    from PIL import Image, UnidentifiedImageError

    try:
        # Only the header is read, so a large scan is no bomb: Pillow's warning of one would print a line of its own.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                return image.size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def draw(todo: list[tuple[str, CardText]]) -> list[tuple[str, bytes]]:
    """Each card of ``todo`` (site file, what it shows) drawn: (site file, PNG)."""
    return [(file, card_image.draw(text)) for file, text in todo]
