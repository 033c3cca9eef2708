"""What a build makes besides its pages, kept in the build cache: the search index's parts (render/search.py),
copied into the site, and the social cards (render/social_cards.py), rows of its database."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Callable, Mapping

from . import pool
from ..journal.model import Journal
from ..problems import Problem
from ..read.folder import Compiled
from ..render import search as search_mod
from ..render import social_cards
from .cache import Cache
from .options import Options
from .session import Session


def search_files(journal: Journal, session: Session, options: Options, held: ExitStack
                 ) -> tuple[list[tuple[str, str, str]], Journal | None, search_mod.Indexing | None, list[Problem]]:
    """The search index's files; the journal whose index is still to be made (search_later); the index
    being made, whose files ``finish`` gives; and problems."""
    store = session.cache
    # Without a cache, the index is made in a folder of this build's own.
    folder = store.dir / "search" if store.usable else Path(held.enter_context(tempfile.TemporaryDirectory()))
    ready = search_mod.ready(journal, folder) if options.search_later or options.check_only else None
    if ready is not None:
        return ready, None, None, []
    if options.check_only:  # a check makes no index: Pagefind's own problems are warnings
        return search_mod.latest(folder), None, None, search_mod.refused(journal, folder)
    if options.search_later:  # the pages first, with the last index; the caller makes the new one
        return search_mod.latest(folder), journal, None, []
    indexing = search_mod.start(journal, store.html, folder)
    held.callback(indexing.close)  # no Pagefind run outlives a build that stops before the index is made
    return [], None, indexing, []


def card_files(journal: Journal, compiled: Mapping[str, Compiled], copied: list[tuple[str, str, str]],
               session: Session, options: Options, held: ExitStack) -> tuple[social_cards.SocialCards, Callable[[str], bytes]]:
    """Each page's social card, and what gives a drawn card's PNG by its site file: the cache, where the cards
    are kept and those missing drawn."""
    store = session.cache
    known = session.first_images
    if len(known) > 2 * len(journal.entries) + 64:  # many edited away
        known.clear()

    def first_of(digest: str) -> tuple[str, str] | None:
        """A body's first image, found once a process: a long-running one reads no unchanged body again."""
        if digest not in known:
            known[digest] = social_cards.first_image(store.html(digest))
        return known[digest]

    firsts = social_cards.firsts(journal, {p: c.references for p, c in compiled.items()}, first_of)
    cards = social_cards.plan(journal, copied, firsts, social_cards.image_size)
    kept = store.card_names() if store.usable else set()
    todo = [(file, text) for file, text in cards.drawn if file not in kept]
    into = store
    if not store.writable:  # a check beside a kept process, a cache refused or damaged again: a cache of the build's own
        into = Cache(Path(held.enter_context(tempfile.TemporaryDirectory())))
        into.prepare()
    if todo:
        pool.render(todo, partial(_draw_into, into), pool.jobs(options.jobs))
    if store.writable:
        store.forget_cards(kept - {file for file, _ in cards.drawn})
    drawn = {file for file, _ in todo}
    if into is store or not drawn:
        return cards, store.card
    return cards, lambda file: into.card(file) if file in drawn else store.card(file)


def _draw_into(store: Cache, todo: list[tuple[str, social_cards.CardText]]) -> list[str]:
    store.add_cards(social_cards.draw(todo))
    return [file for file, _ in todo]
