"""The learning network: the people and publications learned from, as a page and a blogroll,
and the latest of what they published, as a page and a feed."""

from __future__ import annotations

from html import escape
from typing import Any, Callable, Iterator, Mapping, Sequence

from ...read.dates import iso
from ...social.network import Person
from ...urls import Urls
from ..cards import Digest, Link, date_text
from ..inputs import Inputs
from ..page import BLOGROLL, FEED, TEXT, Draft, Shared, outline, titled
from .collections import digest_of, items_feed


def network(inputs: Inputs) -> Iterator[Draft]:
    """The people grouped by topic, and their feeds as an OPML blogroll."""
    config, people = inputs.config, inputs.people
    if not people:
        return
    groups = _groups(people, inputs.credited, {t.key: t for t in inputs.journal.topics}, inputs.teaser, inputs.env.urls,
                     inputs.as_member, inputs.env.cards.member_links)
    yield Draft("/network/", "network.html", titled,
                ("Network", f"The people and publications {_learners(inputs)} from",
                 {"groups": groups, "blogroll_url": inputs.env.site["blogroll_url"]}))
    if any(p.feed for p in people):
        outlines = [(g["name"], [(p["name"], p["feed"], p["site"], p["why"]) for p in g["people"] if p["feed"]])
                    for g in groups]
        yield Draft(BLOGROLL, "opml", outline,
                    (f"{config.title if config.members else config.author.name or config.title}'s learning network", outlines), kind=TEXT)


def latest(inputs: Inputs) -> Iterator[Draft]:
    """From the wider network: what `publog pull` stored, newest first."""
    config, urls = inputs.config, inputs.env.urls
    if not inputs.pulled:
        return
    newest = list(inputs.pulled[:50])
    yield Draft("/network/latest/", "network-latest.html", titled,
                ("From the network", f"What the people {_learners(inputs)} from wrote lately",
                 {"items": [pulled_view(i) for i in newest], "feed_url": urls.page("/network/latest/feed.xml")}))
    items = [Digest(
        id=i.id, title=f"{i.source_name}: {i.title}" if i.title else i.source_name, url=i.link, absolute_url=i.link,
        date=i.published, date_iso=iso(i.published), updated=None, updated_iso="", summary=i.summary,
        content_html=i.content + (f'<p>From <a href="{escape(i.source_site or i.link)}">{escape(i.source_name)}</a></p>'),
        inputs=(i.id, i.title, i.link, i.published, i.summary, i.content),
    ) for i in newest if i.published and i.link][: config.feed_items]
    channel = {"name": "From the network", "description": f"The latest from the people {config.title} learns from",
               "path": "/network/latest/"}
    shared = Shared(items, digest_of(items))
    for fmt, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
        yield Draft("/network/latest/" + name, fmt, items_feed, (shared, channel, urls.absolute("/network/latest/" + name)),
                    kind=FEED)


def pulled_view(item: Any) -> dict[str, Any]:
    """An item another site published, as a page shows it."""
    return {"title": item.title or item.link, "url": item.link, "source": item.source_name, "site": item.source_site,
            "summary": item.summary, "author": item.author, "date_iso": iso(item.published) if item.published else "",
            "date_text": date_text(item.published) if item.published else ""}


def _learners(inputs: Inputs) -> str:
    """Who learns, in the site's voice: its author, or a community's members."""
    config = inputs.config
    if config.members:
        return f"the members of {config.title} learn"
    return f"{config.author.name} learns" if config.author.name else "I learn"


def _groups(people: Sequence[Person], credited: Mapping[str, Sequence[str]], topics: Mapping[str, Any],
            teaser: Callable[[str], dict[str, Any]], urls: Urls, as_member: Mapping[str, str],
            member_links: Mapping[str, Link]) -> list[dict[str, Any]]:
    """People grouped by their first topic (each appears once, so each feed is subscribed to once);
    on a community site, with the members who follow each, and their page when they are members too."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for person in people:
        first = next((t for t in person.topics if t in topics), None)
        view = {"id": person.id, "name": person.name, "site": person.site, "feed": person.feed, "why": person.why,
                "since": person.since,
                "topics": [{"name": topics[t].name, "url": urls.page(topics[t].url)} for t in person.topics if t in topics],
                "entries": [teaser(p) for p in credited.get(person.id, ())],
                "member": member_links[as_member[person.id]] if person.id in as_member else None,
                "followers": [{"name": member_links[m].text, "url": member_links[m].url, "why": why}
                              for m, why in person.followers]}
        groups.setdefault(first or "", []).append(view)
    ordered = sorted((k for k in groups if k), key=lambda k: (topics[k].name.casefold(), k))
    result = [{"name": topics[k].name, "url": urls.page(topics[k].url), "people": groups[k]} for k in ordered]
    if "" in groups:
        result.append({"name": "More", "url": None, "people": groups[""]})
    return result
