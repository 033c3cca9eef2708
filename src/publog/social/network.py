"""network.yaml -> the people and publications the author learns from, and who is credited where.

```yaml
- name: Teresa Torres          # required
  id: teresa                   # how entries credit them (via: [teresa]); default: a slug of the name
  site: https://www.producttalk.org/
  feed: https://www.producttalk.org/feed/
  topics: [product-management] # topics of this journal
  why: Taught me to interview customers every week.
  since: 2026-04
```
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..read import files
from ..settings import yamltext
from ..privacy import leaks as leaks_mod
from .community import Folder, Member, relative
from ..journal.model import Entry
from ..problems import Problem, error
from ..urls import slugify

NETWORK_FILE = "network.yaml"
_KEYS = ("name", "id", "site", "feed", "topics", "why", "since")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    site: str = ""
    feed: str = ""
    topics: tuple[str, ...] = ()  # topic keys
    why: str = ""
    since: str = ""
    line: int = 1
    file: str = NETWORK_FILE  # where they are listed, as problems name it
    followers: tuple[tuple[str, str], ...] = ()  # on a community site: (member id, why) of each member who follows them


def read(root: Path) -> bytes:
    """The file's bytes ('' when there is none), so a build can tell whether it changed."""
    try:
        return files.read_bytes(root / NETWORK_FILE)
    except OSError:
        return b""


def parse(data: bytes, file: str = NETWORK_FILE) -> tuple[tuple[Person, ...], list[Problem]]:
    """The people of network.yaml, or the problems of each one that is not usable, with its line;
    ``file`` is how problems name the file (a member's, on a community site)."""
    if not data.strip():
        return (), []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (), [error(file, 1, "is not UTF-8 text; save it as UTF-8")]
    doc, problems = yamltext.load(text, file)
    if doc is None or doc.value is None:
        return (), problems
    if not isinstance(doc.value, list):
        return (), [error(file, 1, "must be a list of people, each starting with '- name: ...'")]
    people: list[Person] = []
    seen: dict[str, int] = {}
    for item, lines in zip(doc.value, doc.item_lines):
        person, wrong = _person(item, lines, file)
        problems += wrong
        if person is None:
            continue
        if person.id in seen:
            problems.append(error(file, person.line, f"'{person.id}' is listed twice (also at line {seen[person.id]}); give one of them another 'id'"))
            continue
        seen[person.id] = person.line
        people.append(person)
    return tuple(people), problems


def _person(item: Any, lines: Mapping[str, int], file: str) -> tuple[Person | None, list[Problem]]:
    line = lines["-"]
    if not isinstance(item, dict):
        return None, [error(file, line, "each person is a mapping such as '- name: Ada Lovelace'")]
    problems = []
    for key in item:
        if key not in _KEYS:
            problems.append(error(file, lines.get(str(key), line), f"unknown key '{key}'; use {', '.join(_KEYS)}"))
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(error(file, lines.get("name", line), "every person needs a 'name'"))
    texts = {}
    for key in ("id", "site", "feed", "why", "since"):
        value = item.get(key, "")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("since", "id"):
            value = str(value)
        if not isinstance(value, str):
            problems.append(error(file, lines.get(key, line), f"'{key}' should be text, not {value!r}"))
            value = ""
        texts[key] = value.strip()
    for key in ("site", "feed"):
        if texts[key] and not texts[key].startswith(("https://", "http://")):
            problems.append(error(file, lines.get(key, line), f"'{key}' must be an http(s) URL such as https://example.org/{'feed.xml' if key == 'feed' else ''}, not {texts[key]!r}"))
    topics = item.get("topics", [])
    if isinstance(topics, str):
        topics = [topics]
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        problems.append(error(file, lines.get("topics", line), "'topics' should be a list such as [sql, python]"))
        topics = []
    if problems:
        return None, problems
    person_id = slugify(texts["id"] or name)
    if not person_id:
        return None, [error(file, lines.get("id", line), "no id can be made from this name; add 'id: some-letters'")]
    return Person(person_id, name.strip(), texts["site"], texts["feed"], tuple(slugify(t) for t in topics),
                  texts["why"], texts["since"], line, file), []


def gather(own_bytes: bytes, root: Path, folders: Sequence[Folder]) -> tuple[tuple[Person, ...], list[Problem]]:
    """The learning network a site shows: the people of network.yaml (``own_bytes``) and, on a community
    site, those of every member's folder, each person once (by id) with the members who follow them."""
    own, problems = parse(own_bytes)
    theirs = []
    for folder in folders:
        people, more = parse(read(folder.root), relative(folder.root, root) + NETWORK_FILE)
        problems += more
        theirs.append((folder.member, people))
    return union(own, theirs), problems


def leaks(own_bytes: bytes, root: Path, folders: Sequence[Folder], terms: leaks_mod.Terms) -> list[Problem]:
    """The secrets and never-publish terms of network.yaml (``own_bytes``) and of each member's, at
    their lines: every key of a person is shown on the network page or in the blogroll."""
    listed = [(NETWORK_FILE, own_bytes)] + [(relative(f.root, root) + NETWORK_FILE, read(f.root)) for f in folders]
    problems = []
    for file, data in listed:
        text = leaks_mod.yaml_published(data.decode("utf-8-sig", "replace"))  # comments are never shown
        for leak in sorted(set(leaks_mod.find_secrets(text) + leaks_mod.find_terms(text, terms))):
            problems.append(error(file, leak.line, f"would publish {leak.what}; remove it, or (for a false alarm, "
                                                   "secrets only) add the comment '# pragma: allowlist secret' on its line"))
    return problems


def union(own: Sequence[Person], theirs: Sequence[tuple[str, Sequence[Person]]]) -> tuple[Person, ...]:
    """The community's people first, then each member's in turn; a person several members follow is
    listed once, with what the first to list them knew, every topic given, and every follower's why.

    A person the community lists itself keeps the site and feed it gives, or none: a member's file
    (which another person writes) does not give the community's listing a feed that `publog pull`
    would fetch under that name."""
    merged: dict[str, Person] = {p.id: p for p in own}
    ours = set(merged)
    for member, people in theirs:
        for p in people:
            known = merged.get(p.id)
            if known is None:
                merged[p.id] = replace(p, why="", followers=((member, p.why),))
            elif member not in (m for m, _ in known.followers):
                site, feed = ("", "") if p.id in ours else (p.site, p.feed)
                merged[p.id] = replace(known, site=known.site or site, feed=known.feed or feed,
                                       topics=tuple(dict.fromkeys(known.topics + p.topics)), since=known.since or p.since,
                                       followers=known.followers + ((member, p.why),))
    return tuple(merged.values())


def members_among(people: Iterable[Person], members: Iterable[Member]) -> dict[str, str]:
    """Person id -> member id, for the people of a network who are members of the community:
    listed by their name, or by a site or feed the member gives among their links."""
    def bare(url: str) -> str:
        return url.split("://", 1)[-1].rstrip("/").casefold()

    found = {}
    members = list(members)
    for person in people:
        for member in members:
            if (person.name.casefold() == member.name.casefold()
                    or {bare(u) for u in (person.site, person.feed) if u} & {bare(u) for u in member.links}):
                found[person.id] = member.id
                break
    return found


def credits(people: Iterable[Person], entries: Iterable[Entry]) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """Who each entry credits: the ids in its `via:` and the network's people among its sources' authors.

    Returns person id -> entry paths (newest first, as the entries come) and the problems of `via:` values.
    """
    by_id = {p.id: p for p in people}
    by_name = {p.name.casefold(): p.id for p in people}
    credited: dict[str, list[str]] = defaultdict(list)
    problems = []
    for entry in entries:
        via = entry.extra.get("via", [])
        if isinstance(via, str):
            via = [via]
        ids: list[str] = []
        line = entry.lines.get("via", 1)
        if not isinstance(via, list):
            problems.append(error(entry.path, line, "'via' should be a list of ids from network.yaml, such as [ada]"))
            via = []
        for item in via:
            key = slugify(str(item))
            if key in by_id:
                ids.append(key)
            else:
                known = ", ".join(sorted(by_id)) or "none yet"
                problems.append(error(entry.path, line, f"'via': {item!r} is nobody in network.yaml (known: {known}); add them there or fix the id"))
        for source in entry.sources:
            found = by_name.get(str(source.get("author", "")).casefold())
            if found:
                ids.append(found)
        for key in dict.fromkeys(ids):
            credited[key].append(entry.path)
    return {k: tuple(v) for k, v in credited.items()}, problems
