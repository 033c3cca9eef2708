"""A community's pages: one for each member, with their feeds, the members page, and what is
new this week."""

from __future__ import annotations

from typing import Any, Iterator

from ...journal.model import Entry
from ...learning import consistency, maps
from ...social import community
from ...social.community import MEMBER_SOURCE
from ..inputs import Inputs, profile
from ..page import Draft, Env, page_meta, titled
from .collections import collection
from .network import pulled_view


def members(inputs: Inputs) -> Iterator[Draft]:
    """A page for each member and the members page.

    A member's page shows what they wrote, who of the community they follow and who follows
    them (from the members' network.yaml files), and the latest of what they publish elsewhere.
    """
    config = inputs.config
    if not config.members:
        return
    written: dict[str, list[Entry]] = {m.id: [] for m in config.members}
    for entry in inputs.entries:
        for author in entry.authors:
            written[author].append(entry)
    people_view = _people_view(inputs, written)
    for member, view in zip(config.members, people_view):
        # the bio is in the member's h-card, below the list's lead: not said twice
        yield from collection(inputs, member.url, "member.html",
                              {"key": member.id, "name": member.name, "description": "", "member": view},
                              written[member.id], member.name, member.bio or f"Entries by {member.name} in {config.title}")
    yield Draft(community.MEMBERS_URL, "members.html", titled,
                ("Members", f"The people who learn together in {config.title}", {"members": people_view}),
                lastmod=inputs.newest_change)


def _people_view(inputs: Inputs, written: dict[str, list[Entry]]) -> list[dict[str, Any]]:
    config, links, teaser = inputs.config, inputs.env.cards.member_links, inputs.teaser
    follows: dict[str, list[str]] = {m.id: [] for m in config.members}
    followed_by: dict[str, list[str]] = {m.id: [] for m in config.members}
    for person in inputs.people:
        whom = inputs.as_member.get(person.id)
        for follower, _ in person.followers if whom else ():
            if follower != whom:
                follows[follower].append(whom)  # type: ignore[arg-type]
                followed_by[whom].append(follower)  # type: ignore[index]
    elsewhere: dict[str, list[Any]] = {}
    for item in inputs.pulled:  # newest first
        if item.source.startswith(MEMBER_SOURCE):
            elsewhere.setdefault(item.source[len(MEMBER_SOURCE):], []).append(item)
    return [{"id": m.id, "name": m.name, "bio": m.bio, "links": [profile(u) for u in m.links], "url": links[m.id].url,
             "count": len(written[m.id]), "latest": teaser(written[m.id][0].path) if written[m.id] else None,
             "follows": [links[i] for i in follows[m.id]], "followed_by": [links[i] for i in followed_by[m.id]],
             "feed": m.feed, "elsewhere": [pulled_view(i) for i in elsewhere.get(m.id, [])[:5]]}
            for m in config.members]


def new_this_week(inputs: Inputs) -> Iterator[Draft]:
    """A community's latest week at a glance: its entries, the questions it opened, the members who
    wrote for the first time, the topics it started, what the network published. The week is that of
    the newest entry, not of the clock, so the same journal builds the same page."""
    config, cards, teaser = inputs.config, inputs.env.cards, inputs.teaser
    if not config.members or not inputs.weeks:
        return
    week = inputs.weeks[0]
    in_week = list(week.entries)
    paths = {e.path for e in in_week}
    first_by: dict[str, Entry] = {}
    for entry in inputs.entries:  # newest first: the last seen is a member's first entry
        if not entry.draft:
            for author in entry.authors:
                first_by[author] = entry
    newcomers = [{"member": cards.member_links[m.id], "entry": teaser(first_by[m.id].path)}
                 for m in config.members if m.id in first_by and first_by[m.id].path in paths]
    started = [{"name": t.name, "url": cards.topic_links[t.key].url, "count": len(t.entries)}
               for t in inputs.journal.topics if t.entries and t.entries[-1] in paths]
    questions = [teaser(e.path) for e in in_week if maps.is_open_question(e)]
    elsewhere = [pulled_view(i) for i in inputs.pulled
                 if i.published and week.monday <= i.published.astimezone(config.zone).date() <= week.sunday][:20]
    view = {"span": consistency.week_span(week), "week_url": cards.urls.page(week.url), "count": len(in_week),
            "newcomers": newcomers, "topics": started, "questions": questions, "pulled": elsewhere}
    yield Draft(community.NEW_URL, "new.html", _new_page, (view, cards.of(in_week)), lastmod=cards.lastmod(in_week))


def _new_page(env: Env, view: dict[str, Any], shown: list[str]) -> dict[str, Any]:
    return {"page": page_meta("New this week", f"What the members of {env.config.title} added from {view['span']}",
                              env.feeds, "website"), "new": view, "entries": env.cards.shown(shown)}
