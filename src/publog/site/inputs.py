"""What every page family plans from: the journal, the other inputs of a build, and indexes derived
from them once (the weeks, the kinds with entries, the network's members ...)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Mapping, Sequence
from urllib.parse import urlsplit

from ..journal.model import Entry, Journal
from ..learning import cadence, consistency
from ..settings.config import Config
from ..settings.kinds import Kind
from ..social import community, network
from ..social.mentions import Mentions
from ..social.network import Person
from ..render.social_cards import SocialCards
from ..urls import Urls
from .cards import Link, source_key
from .page import BLOGROLL, Env

if TYPE_CHECKING:
    from .families.topics import TopicView


@dataclass(frozen=True)
class Inputs:
    """A plan's inputs; ``views``: the topics' views (see families/topics.py), made before the families;
    ``social``: each page's social card."""

    journal: Journal
    env: Env
    people: Sequence[Person]
    credited: Mapping[str, Sequence[str]]
    responses: Mentions | None
    revisions: Mapping[str, Sequence[Any]]
    pulled: Sequence[Any]
    views: Mapping[str, TopicView]
    social: SocialCards = SocialCards()

    @property
    def config(self) -> Config:
        return self.journal.config

    @cached_property
    def entries(self) -> list[Entry]:
        return list(self.journal.entries)

    @cached_property
    def by_path(self) -> dict[str, Entry]:
        return {e.path: e for e in self.journal.entries}

    @cached_property
    def newest_change(self) -> str:
        """The sitemap's lastmod of the pages that list every entry."""
        return self.env.cards.lastmod(self.entries)

    @cached_property
    def weeks(self) -> list[cadence.Week[Entry]]:
        return consistency.digests(self.journal)

    @cached_property
    def streak(self) -> dict[str, Any] | None:
        return consistency.streak(self.journal)

    @cached_property
    def as_member(self) -> dict[str, str]:
        """People of the network who are members here."""
        return network.members_among(self.people, self.config.members)

    @cached_property
    def kinds(self) -> list[tuple[Kind, list[Entry]]]:
        """The kinds that have entries, with their entries."""
        found = [(kind, [e for e in self.entries if e.kind == kind.name]) for kind in self.config.kinds.values()]
        return [(kind, members) for kind, members in found if members]

    def teaser(self, path: str) -> dict[str, Any]:
        """An entry named on another entry's page: only what such a mention shows."""
        return self.env.cards.teasers[path].view()

    def source_view(self, source: Mapping[str, str]) -> dict[str, Any]:
        return {**source, "library_url": self.env.urls.page("/library/") + "#" + source_key(source)}


def site_links(config: Config, urls: Urls, journal: Journal, people: Sequence[Person], pulled: Sequence[Any]) -> dict[str, Any]:
    """What every page shows of the site: its name, its author, and the links of its navigation."""
    has_series, has_blogroll = bool(journal.series), any(p.feed for p in people)
    has_weeks = any(not e.draft for e in journal.entries)
    has_stages = any(consistency.stage_of(e) for e in journal.entries)
    # Lists an imported blog would show empty: only where some entry has a kind, or asks a question.
    has_kinds = any(e.kind in config.kinds for e in journal.entries)
    has_questions = any(e.kind == "question" for e in journal.entries)
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language,
        "base_url": config.base_url,
        "home_url": urls.page("/"),
        "topics_url": urls.page("/topics/"),
        "archive_url": urls.page("/archive/"),
        "kinds_url": urls.page("/kinds/") if has_kinds else None,  # lists.kinds
        "help_wanted_url": urls.page("/help-wanted/") if has_questions else None,  # lists.help_wanted
        "library_url": urls.page("/library/"),
        "now_url": urls.page("/now/"),
        "search_url": urls.page("/search/") if config.search and has_weeks else None,  # has_weeks: something to find
        "network_url": urls.page("/network/") if has_blogroll else None,
        "blogroll_url": urls.page(BLOGROLL) if has_blogroll else None,
        "feeds_opml_url": urls.page("/feeds.opml"),
        "weeks_url": urls.page("/weeks/") if has_weeks else None,
        "stages_url": urls.page("/stages/") if has_stages else None,
        "tended_url": urls.page("/tended/") if any(e.updated for e in journal.entries) else None,  # lists.tended
        "webmention": config.webmention,
        "author_links": [profile(u) for u in config.author.links],
        "series_url": urls.page("/series/") if has_series else None,
        "members_url": urls.page(community.MEMBERS_URL) if config.members else None,
        "new_url": urls.page(community.NEW_URL) if config.members and has_weeks else None,
        "feed_url": urls.page("/feed.xml"),
        "static_url": urls.page("/static/"),
        "network_latest_url": urls.page("/network/latest/") if pulled else None,
    }


def profile(url: str) -> Link:
    """A link to someone's profile or site, shown as its host and path: social.example.com/@maya."""
    parts = urlsplit(url)
    return Link((parts.hostname or "") + parts.path.rstrip("/"), url)
