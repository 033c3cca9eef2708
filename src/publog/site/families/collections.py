"""Lists of entries: paginated list pages, and a collection (a topic, a kind, a member ...) as its
list pages with an RSS, an Atom and a JSON feed. Shared by the families that list entries."""

from __future__ import annotations

import math
from typing import Any, Iterator, Mapping, Sequence

from ...journal.model import Entry
from ..cards import Digest, Link
from ..inputs import Inputs
from ..page import FEED, FEED_FORMATS, Draft, Env, Shared, page_meta


def collection(inputs: Inputs, path: str, template: str, view: Mapping[str, Any], members: list[Entry], title: str,
               description: str, shared: Shared | None = None) -> Iterator[Draft]:
    """Paginated list pages and RSS, Atom and JSON feeds of some of the entries; ``shared``: what every list page
    shows besides its entries (see collection_extra), when made before."""
    urls, cards = inputs.env.urls, inputs.env.cards
    channel = {"name": view["name"], "description": description, "path": path}
    links = [Link(f"{view['name']} ({label})", urls.page(path + name)) for _, name, label in FEED_FORMATS] + inputs.env.feeds
    extra = shared or collection_extra(inputs, path, view, members)
    yield from paginated(inputs, members, path, template, (title, description, links), extra)
    newest = cards.of(members[: inputs.config.feed_items])
    for fmt, name, _ in FEED_FORMATS:
        yield Draft(path + name, fmt, entries_feed, (newest, channel, urls.absolute(path + name)), kind=FEED)


def collection_extra(inputs: Inputs, path: str, view: Mapping[str, Any], members: Sequence[Entry]) -> Shared:
    """What every list page of a collection shows besides its entries."""
    urls = inputs.env.urls
    return Shared({"collection": {**view, "count": len(members), "url": urls.page(path), "feed_url": urls.page(path + "feed.xml"),
                                  "atom_url": urls.page(path + "atom.xml"), "json_url": urls.page(path + "feed.json")}})


def entries_feed(env: Env, shown: Sequence[str], channel: Mapping[str, str] | None, self_url: str) -> dict[str, Any]:
    """A feed of the cards of ``shown``."""
    return {"entries": env.cards.shown(shown), "channel": channel, "self_url": self_url}


def digest_of(items: Sequence[Digest]) -> str:
    """The hash of what feed items are made of: their content is made from it."""
    return Shared([c.inputs for c in items]).digest


def items_feed(env: Env, items: Shared, channel: Mapping[str, str], self_url: str) -> dict[str, Any]:
    """A feed of items of its own (Digest), not of cards."""
    return {"entries": items.value, "channel": channel, "self_url": self_url}


def paginated(inputs: Inputs, entries: list[Entry], first: str, template: str, meta: tuple[str, str, list[Link]],
              extra: Shared) -> Iterator[Draft]:
    """The list pages of ``entries``; ``meta``: their title, description and feed links."""
    urls, cards, per_page = inputs.env.urls, inputs.env.cards, inputs.config.per_page
    total = max(1, math.ceil(len(entries) / per_page))

    def url(n: int) -> str:
        return first if n == 1 else f"{first}page/{n}/"

    for n in range(1, total + 1):
        shown = entries[(n - 1) * per_page : n * per_page]
        pagination = {
            "number": n,
            "total": total,
            "newer_url": urls.page(url(n - 1)) if n > 1 else None,
            "older_url": urls.page(url(n + 1)) if n < total else None,
            "pages": [
                {"number": i, "url": urls.page(url(i)) if i else "", "current": i == n}
                for i in _window(n, total)
            ],
        }
        yield Draft(url(n), template, _list_page, (meta, cards.of(shown), pagination, extra),
                    lastmod=cards.lastmod(shown), repeats=True)


def _list_page(env: Env, meta: tuple[str, str, list[Link]], shown: Sequence[str], pagination: Mapping[str, Any],
               extra: Shared) -> dict[str, Any]:
    return {"page": page_meta(*meta, "website", pagination["number"]), "entries": env.cards.shown(shown),
            "pagination": pagination, **extra.value}


def _window(current: int, total: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last and a few around the current; 0 marks a gap.

    Linking every page would make each list page grow with the journal (and the
    whole site quadratically), so far pages are reached by steps, as on most sites.
    """
    shown = sorted({1, total, *range(max(1, current - around), min(total, current + around) + 1)})
    window: list[int] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(0)
        window.append(number)
    return window
