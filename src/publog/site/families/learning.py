"""Showing up: what is being learned now, the entries of each ISO week with the weekly digest feed,
and the entries by growth stage."""

from __future__ import annotations

from html import escape
from typing import Any, Iterator, Sequence

from ...learning import cadence, consistency, maps
from ...journal.addresses import feed_id
from ...journal.model import Entry
from ...read.dates import iso
from ..cards import Digest
from ..inputs import Inputs
from ..page import FEED, Draft, Env, Shared, page_meta, titled
from .collections import digest_of, items_feed


def now(inputs: Inputs) -> Iterator[Draft]:
    config = inputs.config
    shown = {**maps.now(inputs.journal, inputs.env.urls, inputs.teaser, inputs.source_view), "streak": inputs.streak,
             "calendar": consistency.contribution_calendar(inputs.journal)}
    yield Draft("/now/", "now.html", titled,
                ("Now", f"What the members of {config.title} are learning these weeks" if config.members
                 else f"What {config.author.name} is learning these weeks" if config.author.name
                 else "What I am learning these weeks", {"now": shown}),
                lastmod=inputs.env.cards.lastmod(inputs.entries[:1]))


def weeks(inputs: Inputs) -> Iterator[Draft]:
    """A page of each week's entries, the weeks, and their digest feeds: an item a week."""
    config, urls, cards = inputs.config, inputs.env.urls, inputs.env.cards
    for week in inputs.weeks:
        members = list(week.entries)
        yield Draft(week.url, "week.html", _week_page,
                    (consistency.week_title(week), consistency.week_span(week), urls.page(week.url), cards.of(members)),
                    lastmod=cards.lastmod(members))
    if not inputs.weeks:
        return
    shown = [_week_item(inputs, week) for week in inputs.weeks]
    yield Draft("/weeks/", "weeks.html", titled,
                ("Weeks", f"{config.title}, one week at a time",
                 {"weeks": shown, "feed_url": urls.page("/weeks/feed.xml"), "atom_url": urls.page("/weeks/atom.xml")}),
                lastmod=cards.lastmod(inputs.entries[:1]))
    channel = {"name": "Weekly digest", "description": f"One item a week: what {config.title} added that week",
               "path": "/weeks/"}
    newest = [_week_digest(inputs, w) for w in inputs.weeks[: config.feed_items]]  # an item holds every entry's summary
    items = Shared(newest, digest_of(newest))
    for fmt, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
        yield Draft("/weeks/" + name, fmt, items_feed, (items, channel, urls.absolute("/weeks/" + name)), kind=FEED)


def _week_page(env: Env, title: str, span: str, url: str, shown: Sequence[str]) -> dict[str, Any]:
    return {"page": page_meta(title, f"What {'we' if env.config.members else 'I'} wrote from {span}", env.feeds, "website"),
            "week": {"title": title, "span": span, "url": url}, "entries": env.cards.shown(shown)}


def _week_item(inputs: Inputs, week: cadence.Week[Entry]) -> dict[str, Any]:
    """What the weeks page shows of a week, which its feed item shows too."""
    members = week.entries
    return {"title": f"{consistency.week_title(week)}: {len(members)} {'entry' if len(members) == 1 else 'entries'}",
            "url": inputs.env.urls.page(week.url), "date_iso": iso(members[0].date),
            "summary": ", ".join(e.title for e in members)}


def _week_digest(inputs: Inputs, week: cadence.Week[Entry]) -> Digest:
    urls, members = inputs.env.urls, week.entries
    return Digest(
        id=feed_id(inputs.config.journal_id, urls.host, week.monday, f"week-{week.slug}"), absolute_url=urls.absolute(week.url),
        date=members[0].date, updated=None, updated_iso="",
        content_html="<ul>" + "".join(
            f'<li><a href="{escape(urls.absolute(e.url))}">{escape(e.title)}</a>'
            + (f"<br>{escape(e.summary)}" if e.summary else "") + "</li>" for e in members) + "</ul>",
        inputs=(week.slug, [(e.url, e.title, e.summary, e.date) for e in members]), **_week_item(inputs, week),
    )


def stages(inputs: Inputs) -> Iterator[Draft]:
    """Entries by growth stage: seedling, budding, evergreen."""
    found = consistency.by_stage(inputs.entries, inputs.teaser)
    if found:
        yield Draft("/stages/", "stages.html", titled,
                    ("Growth stages", f"Entries of {inputs.config.title} by how grown they are", {"stages": found}),
                    lastmod=inputs.newest_change)
