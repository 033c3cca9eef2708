"""The people a journal names in publog.yaml: its author and, on a community site, its members.

Plain values below everything that reads them: the settings, the old generators' configs
(read/layouts/, which find an author there) and the community (social/community.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..social.untrusted import web_url
from ..problems import Problem, error

MEMBERS_URL = "/members/"
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Author:
    name: str = ""  # none given (an imported folder may name none): pages show no byline, feeds the title
    email: str = ""
    url: str = ""
    links: tuple[str, ...] = ()  # profiles elsewhere (Mastodon, GitHub ...): rel="me" links on the home page


@dataclass(frozen=True)
class Member:
    id: str  # a slug: their pages are /members/ID/
    name: str
    bio: str = ""
    links: tuple[str, ...] = ()  # their profiles and sites elsewhere: rel="me" on their page
    journal: str = ""  # their folder, relative to the community's; "" when they write in its entries folder
    feed: str = ""  # where they publish elsewhere: `publog pull` reads it, their page shows the latest
    trusted: bool = False  # their entries keep their raw HTML (scripts, styles, frames); else it is sanitised
    # How readers reply to what they alone wrote, from their own journal's settings (merged): its
    # 'respond' pattern and its author's email; "" where it says neither, and readers reply to the community.
    respond: str = ""
    email: str = ""

    @property
    def url(self) -> str:
        return f"{MEMBERS_URL}{self.id}/"


def parse_members(value: Any, line: int, file: str) -> tuple[tuple[Member, ...], list[Problem]]:
    """publog.yaml's ``members:``: a list of {id, name, bio, links, journal, feed, trusted}."""
    hint = ("'members' is a list of the community's members, each with 'id' (letters, digits, - and _), 'name', "
            "and optionally 'bio', 'links' (a list of URLs), 'journal' (their folder), 'feed' (of what they publish elsewhere) "
            "and 'trusted' (true keeps the raw HTML of their entries)")
    if not isinstance(value, list):
        return (), [error(file, line, hint)]
    members: list[Member] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, item in enumerate(value, 1):
        where = f"member {n}" + (f" ({item.get('id')})" if isinstance(item, dict) and isinstance(item.get("id"), str) else "")
        if not isinstance(item, dict) or set(item) - {"id", "name", "bio", "links", "journal", "feed", "trusted"}:
            problems.append(error(file, line, f"{where}: {hint}"))
            continue
        member_id, name, bio, journal, feed = (item.get(k, "") for k in ("id", "name", "bio", "journal", "feed"))
        links, trusted = item.get("links", []), item.get("trusted", False)
        wrong = (
            "needs an 'id' of lowercase letters, digits, - and _ (it names their pages: /members/ID/)"
            if not isinstance(member_id, str) or not _ID.fullmatch(member_id) else
            f"has the id '{member_id}' of another member; give each member their own" if member_id in seen else
            "needs a 'name'" if not isinstance(name, str) or not name.strip() else
            "'bio' must be text" if not isinstance(bio, str) else
            "'links' must be a list of http(s) URLs" if not isinstance(links, list)
            or not all(web_url(u) == u for u in links) else
            "'journal' must be a folder's path, relative to this one" if not isinstance(journal, str) else
            "'feed' must be the http(s) URL of an RSS or Atom feed" if not isinstance(feed, str)
            or (feed and web_url(feed) != feed) else
            "'trusted' must be true or false" if not isinstance(trusted, bool) else ""
        )
        if wrong:
            problems.append(error(file, line, f"{where} {wrong}"))
            continue
        seen.add(member_id)
        members.append(Member(member_id, name.strip(), bio.strip(), tuple(links), journal.strip(), feed.strip(), trusted))
    return tuple(members), problems
