"""The page model: one file of the site, and how a page family declares one.

A family declares a page by its template, its URL, its inputs and a view: a plain
function of the shared ``Env`` and those inputs alone. The page's fingerprint is the
hash of the same inputs (and of the ``Env``), so what a page shows cannot depend on
something its fingerprint misses, and a page whose fingerprint did not change would
render to the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, NamedTuple

from ..settings.config import Config
from ..urls import Urls, output_file
from .cards import Cards, Link, hash_of

# Kinds of page the render stage knows how to make.
TEMPLATE = "template"
FEED = "feed"
COPY = "copy"
TEXT = "text"
DRAWN = "drawn"  # a social card publog drew, kept in the build cache (render/social_cards.py)

BLOGROLL = "/.well-known/recommendations.opml"  # where blogroll discovery tools look first

# A page's inputs begin with these, then what its family declared: (base, template, url, *inputs).
_HEAD = 3


@dataclass(frozen=True)
class Env:
    """What every page's view may use besides its inputs: all of it is covered by the hash every
    fingerprint starts with (the theme, the settings, the site's links), and the cards, which a view
    asks for only by the fingerprints its inputs hold."""

    site: Mapping[str, Any]
    config: Config
    urls: Urls
    feeds: list[Link]
    cards: Cards


View = Callable[..., Mapping[str, Any]]  # view(env, *inputs) -> the context


class Draft(NamedTuple):
    """A page as a family declares it."""

    url: str
    template: str
    view: View  # a module-level function: it sees nothing but the Env and ``inputs``
    inputs: tuple[Any, ...]
    kind: str = TEMPLATE
    lastmod: str = ""  # for the sitemap
    repeats: bool = False
    author: str = ""


def _nothing(env: Env | None) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, how it is made, from what."""

    file: str  # relative to the output folder
    url: str  # site path
    kind: str  # TEMPLATE, FEED, COPY, TEXT or DRAWN
    name: str  # template name, feed format, source file for COPY, or the drawn card's file in the cache
    fingerprint: str
    lastmod: str = ""  # for the sitemap
    repeats: bool = False  # a list page or feed: only entries' text, which their own pages hold too
    inputs: tuple[Any, ...] = ()  # what the fingerprint is the hash of: (base, template, url, *what the view is given)
    author: str = ""  # the author's file it is made of (an entry, a static file); "" for a page publog writes itself
    view: View = _nothing
    env: Env | None = None

    @property
    def context(self) -> Mapping[str, Any]:
        """Made only when the page is rendered, from the inputs its fingerprint hashes."""
        if self.env is None:
            return self.view(None)
        made = {"site": self.env.site, **self.view(self.env, *self.inputs[_HEAD:])}
        if "page" in made:
            made["page"] = {**made["page"], "url": self.env.urls.page(self.url), "canonical": self.env.urls.absolute(self.url)}
        return made


def page_of(draft: Draft, env: Env, base: str) -> Page:
    """The page ``draft`` declares; ``base`` is the hash of the Env's settings and theme."""
    view = draft.view
    if getattr(view, "__closure__", None) or getattr(view, "__defaults__", None):
        raise TypeError(f"the view of {draft.url} keeps values of its own: pass them as its inputs")
    parts = (base, draft.template, draft.url, *draft.inputs)
    return Page(output_file(draft.url), draft.url, draft.kind, draft.template, hash_of(*parts), draft.lastmod,
                draft.repeats or draft.kind == FEED, parts, draft.author, view, env)


class Shared:
    """A value that many pages show (a topic's map, a feed's items), named in their inputs by its hash:
    hashed once, not once per page. ``digest``, when given, is the hash of what the value is made of."""

    __slots__ = ("value", "digest")

    def __init__(self, value: Any, digest: str | None = None):
        self.value = value
        self.digest = digest if digest is not None else hash_of(value)

    def __repr__(self) -> str:
        return f"Shared({self.digest!r})"


def titled(env: Env, title: str, description: str, shown: Mapping[str, Any]) -> dict[str, Any]:
    """The view of a page that shows ``shown`` under a title of its own."""
    return {"page": page_meta(title, description, env.feeds, "website"), **shown}


def outline(env: Env, title: str, groups: Any) -> dict[str, Any]:
    """The view of an OPML file: groups of (name, feed, site, description)."""
    return {"title": title, "groups": groups}


def page_meta(title: str, description: str, feeds: list[Link], og_type: str, number: int = 1) -> dict[str, Any]:
    return {"title": title, "description": description, "og_type": og_type, "feeds": feeds, "number": number}


# The feeds of a list of entries, each as (format, file name, what readers call it).
FEED_FORMATS = (("rss", "feed.xml", "RSS"), ("atom", "atom.xml", "Atom"), ("json", "feed.json", "JSON Feed"))


def feed_links(urls: Urls) -> list[Link]:
    return [Link(label, urls.page("/" + name)) for _, name, label in FEED_FORMATS]
