"""A topic's list pages and feeds, with its learning map, its links and its writers; and the topics.

What a topic's pages show besides its entries is made once per plan, or kept from the last plan
while what it is made of is the very same (see TopicView)."""

from __future__ import annotations

import operator
from collections import Counter
from typing import Any, Iterator, Mapping, NamedTuple, Sequence

from ...journal.model import Entry
from ...learning import maps
from ...settings.config import Config
from .. import linkmap
from ..cards import Link
from ..inputs import Inputs
from ..page import Draft, Shared, titled
from .collections import collection, collection_extra


class TopicView(NamedTuple):
    """What a topic's pages show besides its entries' cards, made from ``made_of`` (compared by identity:
    journal.assemble_again keeps the objects that did not change): kept for the next plan."""

    made_of: tuple[Any, ...]
    view: dict[str, Any]
    shared: Shared  # what every list page of the topic shows besides its cards


def topic_views(inputs: Inputs, before: Mapping[str, TopicView]) -> dict[str, TopicView]:
    """Each topic's view, by key: those of ``before`` whose topic, entries and settings are the same objects."""
    journal, config, cards = inputs.journal, inputs.config, inputs.env.cards
    topics_by_key = {t.key: t for t in journal.topics}
    views: dict[str, TopicView] = {}
    for topic in journal.topics:
        members = [inputs.by_path[p] for p in topic.entries]
        parent, children = topics_by_key.get(topic.parent or ""), [topics_by_key[k] for k in topic.children]
        # What the view is made of, and nothing else: it is kept while these are the very same objects.
        made_of = (topic, parent, *children, config, *members)
        kept = before.get(topic.key)
        if kept is None or len(kept.made_of) != len(made_of) or not all(map(operator.is_, kept.made_of, made_of)):
            learning = maps.topic_map(topic, parent, children, members, config.kinds, inputs.env.urls, inputs.teaser,
                                      inputs.source_view)
            view = {"key": topic.key, "name": topic.name, "description": topic.description, "map": learning,
                    "link_map": linkmap.within(topic.name, members, inputs.teaser),
                    "writers": _writers(members, config, cards.member_links)}
            kept = TopicView(made_of, view, collection_extra(inputs, topic.url, view, members))
        views[topic.key] = kept
    return views


def topic_lists(inputs: Inputs) -> Iterator[Draft]:
    for topic in inputs.journal.topics:
        kept = inputs.views[topic.key]
        yield from collection(inputs, topic.url, "topic.html", kept.view, [inputs.by_path[p] for p in topic.entries],
                              topic.name, topic.description or f"Entries about {topic.name}", kept.shared)


def topic_index(inputs: Inputs) -> Iterator[Draft]:
    """Every topic, as a tree."""
    yield Draft("/topics/", "topics.html", titled,
                ("Topics", f"Every topic of {inputs.config.title}", {"topics": maps.topic_tree(inputs.journal, inputs.env.urls)}),
                lastmod=inputs.newest_change)


def _writers(entries: Sequence[Entry], config: Config, member_links: Mapping[str, Link]) -> list[dict[str, Any]]:
    """On a community site: who writes about a topic, the most entries first."""
    counts = Counter(author for entry in entries for author in entry.authors)
    return [{"name": m.name, "url": member_links[m.id].url, "count": counts[m.id]}
            for m in sorted(config.members, key=lambda m: (-counts[m.id], m.name.casefold())) if m.id in counts]
