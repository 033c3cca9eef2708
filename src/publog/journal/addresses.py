"""Every entry's own address: a folder's README beside its index, notes of one name dated apart,
URLs taken twice reported, and feed ids made distinct."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import replace
from urllib.parse import quote

from .. import urls
from ..problems import Problem, error, warning
from ..records import replaced
from ..settings.config import Config
from ..social import community
from .model import Entry


def feed_id(journal_id: str, host: str, day: dt.date, name: str) -> str:
    """A feed item's id, which never changes when the entry is edited: a tag URI of the site's host, the
    day and the name; with a journal_id, a UUID made from it, the day and the name, which survives a move
    of the site to another domain."""
    if journal_id:
        return "urn:uuid:" + str(uuid.uuid5(uuid.UUID(journal_id), f"{day.isoformat()}:{name}"))
    return f"tag:{host},{day.isoformat()}:{name}"


def distinct_ids(entries: list[Entry]) -> list[Entry]:
    """Entries whose feed ids are all different. Notes of one name and date in two folders (a vault's
    Go/Proposal.md and Rust/Proposal.md) would share one, and feed readers would show only one of them:
    all but the first by path take their path into the id. The first keeps the id it always had, so
    no reader sees it again."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        by_id[e.id].append(e.path)
    again = {path for paths in by_id.values() if len(paths) > 1 for path in sorted(paths)[1:]}
    if not again:
        return entries
    return [replace(e, id=_with_path(e.id, posixpath.splitext(e.path)[0])) if e.path in again else e for e in entries]


def _with_path(shared: str, path: str) -> str:
    if shared.startswith("urn:uuid:"):
        return "urn:uuid:" + str(uuid.uuid5(uuid.UUID(shared.removeprefix("urn:uuid:")), path))
    return shared.rsplit(":", 1)[0] + ":" + quote(path)


def _publogs(file: str, entry: Entry, community_site: bool) -> bool:
    """Whether an output file belongs to the member pages of a community site, except to an entry below the
    pages of a member who wrote it. (Any other page publog writes itself gives way to an entry: pages.set_aside.)"""
    return community_site and (file.startswith(community.NEW_URL[1:]) or file.startswith(community.MEMBERS_URL[1:]) and not any(
        entry.url.startswith(f"{community.MEMBERS_URL}{a}/") for a in entry.authors))


def apart(placed: list[tuple[Entry, int]], config: Config) -> tuple[list[tuple[Entry, int]], list[Problem]]:
    """Entries of publog's own journal whose URLs its dated pattern made the same, dated on different days
    (two notes named alike in one year): the earliest keeps the URL, each later one gets its date in its
    slug, with a warning. An old site's URLs (another generator's layout) are never changed."""
    pattern = config.permalink
    if config.layout.imported or config.layout.permalinks or not re.search(r"\{slug\}[^/{}]*/?$", pattern) or not (
            {"year", "month", "day"} & set(re.findall(r"{(\w+)}", pattern))):
        return placed, []
    claims: dict[str, list[int]] = defaultdict(list)
    for n, (entry, _) in enumerate(placed):
        if "permalink" not in entry.lines:
            claims[entry.url].append(n)
    problems: list[Problem] = []
    result = list(placed)
    for url, indexes in claims.items():
        if len(indexes) < 2:
            continue
        ordered = sorted(indexes, key=lambda n: (placed[n][0].date, placed[n][0].path))
        first = placed[ordered[0]][0]
        days = [placed[n][0].date.date() for n in ordered]
        if len(set(days)) != len(days):
            continue  # two of one day: nothing tells them apart, which collisions reports
        for n in ordered[1:]:
            entry, line = placed[n]
            moved = urls.suffixed(url, f"-{entry.date:%Y-%m-%d}")
            result[n] = (replaced(entry, url=moved, aliases=tuple(a for a in entry.aliases if a != moved)), line)
            problems.append(warning(entry.path, line, f"{url} is also the URL of {first.path}, dated earlier; this entry "
                                    f"is published at {moved}: give it another 'slug' to choose its URL"))
    return result, problems


def readmes(placed: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
    """A folder's README is the folder's page, as GitHub shows it, unless the folder also has an index
    (Quartz's, Hugo's and Jekyll's folder page): then the index is the folder's page and the README keeps
    its own name in its URL (/go/README/), as those tools publish it."""
    def named(entry: Entry) -> str:
        return posixpath.splitext(posixpath.basename(entry.path))[0]
    indexed = {(posixpath.dirname(e.path), e.url) for e, _ in placed
               if named(e).casefold() in ("index", "_index") and e.url.endswith("/")}
    if not indexed:
        return placed
    return [(replaced(e, url=e.url + named(e) + "/"), line)
            if named(e).casefold() == "readme" and "permalink" not in e.lines and "slug" not in e.lines
            and (posixpath.dirname(e.path), e.url) in indexed else (e, line) for e, line in placed]


def collisions(placed: list[tuple[Entry, int]], community_site: bool = False) -> list[Problem]:
    """Every URL an entry takes (its own and its old addresses) must be in the site and taken once."""
    problems = []
    claims: dict[str, list[tuple[Entry, int, str]]] = defaultdict(list)  # output file -> (entry, line, URL)
    for entry, line in placed:
        alias_line = entry.lines.get("aliases", entry.lines.get("redirect_from", 1))
        fix = "its 'permalink'" if "permalink" in entry.lines else "the slug"
        for url, at, change in [(entry.url, line, fix)] + [(a, alias_line, "the alias") for a in entry.aliases]:
            if urls.escapes(url):
                problems.append(error(entry.path, at, f"URL {url} would be outside the site; change {change}"))
            else:
                # Case-insensitive file systems (macOS, Windows) would merge URLs differing only in case.
                claims[unicodedata.normalize("NFC", urls.output_file(url)).casefold()].append((entry, at, url))
    for key, claimants in sorted(claims.items()):
        if len(claimants) > 1:
            aliased = any(url != e.url for e, _, url in claimants)
            for entry, line, url in claimants:
                others = ", ".join(e.path for e, _, _ in claimants if e is not entry) or "this entry"
                cased = [u for e, _, u in claimants if e is not entry and u != url]
                if cased and not aliased:
                    problems.append(error(entry.path, line, f"{url} and {cased[0]} ({others}) differ only in case, so they "
                                          "are one page on macOS, Windows and many hosts; rename one of the files or "
                                          "folders, or give one of them another 'slug'"))
                elif aliased:
                    problems.append(error(entry.path, line, f"{url} is also an address of {others} (its URL or an alias); "
                                          "remove the alias, or give one of them another 'slug'"))
                else:
                    problems.append(error(entry.path, line, f"{url} is also the URL of {others}; give one of them another 'slug'"))
        elif _publogs(key, claimants[0][0], community_site):
            entry, line, url = claimants[0]
            problems.append(error(entry.path, line, f"{url} is a page publog writes itself; change "
                                  + ("the slug" if url == entry.url and "permalink" not in entry.lines else
                                     "its 'permalink'" if url == entry.url else "the alias")))
    return problems
