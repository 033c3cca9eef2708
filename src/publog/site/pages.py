"""Journal -> the pages and files of the site, each with a fingerprint of what it shows.

The page families (families/) each declare their pages with the inputs a page's view is
made of; a page's fingerprint is the hash of those inputs and of what every page shows (the
theme, the settings, the site's links), so a page whose fingerprint did not change would
render to the same bytes and is not rendered again. A long-running process keeps the last
plan (``Planned``) and, after an edit of nothing but the text of entries, only swaps the
card fingerprints of the pages that show them (``plan_again``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Mapping, Sequence

from ..journal.model import Entry, Journal
from ..privacy import images
from ..render.social_cards import SocialCards
from ..social.mentions import Mentions
from ..social.network import Person
from ..urls import Urls, output_file
from .cards import Card, Cards, hash_of
from .families import FAMILIES, site_files
from .families.topics import TopicView, topic_views
from .inputs import Inputs, site_links
from .page import COPY, DRAWN, FEED, TEMPLATE, TEXT, Env, Page, feed_links, page_of
from .set_aside import set_aside

__all__ = ["COPY", "DRAWN", "FEED", "TEMPLATE", "TEXT", "Card", "Page", "Planned", "copies", "indexed", "output_file", "plan", "plan_again",
           "set_aside"]


@dataclass(frozen=True)
class Planned:
    """A plan and what it was made from: what a long-running process (publog serve) keeps so that,
    after an edit of nothing but the text of entries, the next plan need not be made again."""

    journal: Journal
    inputs: tuple[Any, ...]  # every argument of plan but the journal
    pages: list[Page]
    cards: Cards
    shown: dict[str, list[int]] | None = None  # a card's fingerprint -> the pages whose fingerprint holds it
    views: dict[str, TopicView] = field(default_factory=dict)  # by topic key


def plan(journal: Journal, theme_digest: str, statics: Sequence[tuple[str, str, str]],
         people: Sequence[Person] = (), credited: Mapping[str, Sequence[str]] | None = None,
         responses: Mentions | None = None, revisions: Mapping[str, Sequence[Any]] | None = None,
         pulled: Sequence[Any] = (), social: SocialCards = SocialCards()) -> list[Page]:
    """Every file the site is made of.

    ``statics`` are (output file, source path, content stamp) of files to copy; ``people`` the
    author's learning network and ``credited`` the entries that credit each of them; ``social``
    the social card of each page (render/social_cards.py), whose drawn cards are pages of their own.
    """
    return _plan(journal, theme_digest, statics, people, credited, responses, revisions, pulled, social)[0]


def plan_again(last: Planned | None, journal: Journal, *inputs: Any) -> tuple[list[Page], Planned]:
    """``plan(journal, *inputs)``, made from the last plan when only the text of some entries changed
    (``journal.assemble_again`` then gives the last journal with their new digests and word counts).

    The text of an entry shows only in its card, so the pages whose fingerprint holds the
    card's fingerprint get a new one and make their card anew; every other page is the same.
    """
    # Only the files to copy (``statics``: a new search index, in publog serve) changed: they are the last pages.
    if last is not None and last.inputs != inputs and _without_statics(last.inputs) == _without_statics(inputs):
        kept = [page for page in last.pages if page.kind != COPY]
        last = replace(last, inputs=inputs, pages=kept + copies(inputs[_STATICS]))
    changed = _text_changes(last.journal, journal) if last is not None and last.inputs == inputs else None
    if last is None or changed is None:
        pages, cards, views = _plan(journal, *inputs, before=last)
        return pages, Planned(journal, inputs, pages, cards, views=views)
    if not changed:
        return last.pages, last
    # Which pages show which card: found once, on the first edit, then kept up to date.
    shown = last.shown if last.shown is not None else _shown(last.pages, set(last.cards.fingerprint.values()))
    swap = last.cards.update(changed)  # the kept pages make cards from the new entries from now on
    pages = list(last.pages)
    for n in sorted({n for old in swap for n in shown.get(old, ())}):
        parts = _swapped(pages[n].inputs, swap)
        pages[n] = replace(pages[n], inputs=parts, fingerprint=hash_of(*parts))
    shown = dict(shown)
    for old, new in swap.items():
        shown[new] = shown.pop(old, [])
    return pages, Planned(journal, inputs, pages, last.cards, shown, last.views)


_STATICS = 1  # where plan's ``statics`` is among its arguments after the journal


def _without_statics(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    return inputs[:_STATICS] + inputs[_STATICS + 1:]


def indexed(planned: Planned) -> Planned:
    """``planned`` with its index of which page shows which card, which plan_again otherwise makes on the
    first edit after a plan made from scratch: a process with time to spare makes it beforehand."""
    if planned.shown is not None:
        return planned
    return replace(planned, shown=_shown(planned.pages, set(planned.cards.fingerprint.values())))


def _shown(pages: Sequence[Page], fingerprints: set[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}

    def visit(value: Any, n: int) -> None:
        if isinstance(value, str):
            if value in fingerprints:
                found.setdefault(value, []).append(n)
        elif type(value) is list or type(value) is tuple:
            for item in value:
                visit(item, n)

    for n, page in enumerate(pages):
        visit(page.inputs, n)
    return found


def _text_changes(old: Journal, new: Journal) -> list[Entry] | None:
    """The entries of ``new`` that differ from ``old``'s in their digest and word count only;
    None when anything else differs."""
    if old is new:
        return []
    if len(old.entries) != len(new.entries) or replace(old, entries=()) != replace(new, entries=()):
        return None
    changed = []
    for before, after in zip(old.entries, new.entries):
        if before is after:
            continue
        if before.path != after.path or replace(before, digest=after.digest, words=after.words) != after:
            return None
        changed.append(after)
    return changed


def _swapped(value: Any, swap: Mapping[str, str]) -> Any:
    """``value`` with the strings of ``swap`` replaced, in lists and tuples at any depth; the very
    same object when none is there (card fingerprints are in lists and tuples, never in dicts)."""
    if isinstance(value, str):
        return swap.get(value, value)
    if type(value) is list or type(value) is tuple:
        items = [_swapped(v, swap) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            return type(value)(items)
    return value


def _plan(journal: Journal, theme_digest: str, statics: Sequence[tuple[str, str, str]],
          people: Sequence[Person] = (), credited: Mapping[str, Sequence[str]] | None = None,
          responses: Mentions | None = None, revisions: Mapping[str, Sequence[Any]] | None = None,
          pulled: Sequence[Any] = (), social: SocialCards = SocialCards(), *,
          before: Planned | None = None) -> tuple[list[Page], Cards, dict[str, TopicView]]:
    config = journal.config
    urls = Urls(config.base_url)
    site = {**site_links(config, urls, journal, people, pulled), "card": social.site}
    base = hash_of(theme_digest, config.digest(), site)  # what every page shows: every fingerprint starts with it
    cards = Cards(journal, urls, before.cards if before is not None else None)
    env = Env(site, config, urls, feed_links(urls), cards)
    inputs = Inputs(journal, env, people, credited or {}, responses, revisions or {}, pulled, {}, social)
    views = topic_views(inputs, before.views if before is not None else {})
    inputs = replace(inputs, views=views)
    pages = [page_of(draft, env, base) for family in FAMILIES for draft in family(inputs)]
    pages += [page_of(draft, env, base) for draft in site_files.crawlers(inputs, pages)]
    pages += [_drawn(file) for file, _ in social.drawn]
    return pages + copies(statics), cards, views  # the copies last: plan_again replaces them alone


def copies(statics: Sequence[tuple[str, str, str]]) -> list[Page]:
    """The pages that copy files into the site: (output file, source path, content stamp) each."""
    return [_copy(*static) for static in statics]


@lru_cache(maxsize=1 << 16)
def _drawn(file: str) -> Page:
    """A drawn card's page: its file is named by the fingerprint of what it shows, and names its row in the cache."""
    return Page(file, "/" + file, DRAWN, file, hash_of(DRAWN, file))


# A long-running process plans the same files (the search index's, the cards) build after build.
@lru_cache(maxsize=1 << 16)
def _copy(file: str, source: str, stamp: str) -> Page:
    return Page(file, "/" + file, COPY, source, hash_of(source, stamp, images.VERSION), author=source)
