"""The topics of a journal: each tag's page, its entries and those of its sub-topics, and its name.

A topic is named as ``topics:`` in publog.yaml names it; else by the most used spelling that has a
capital letter (someone chose that case); else by the most used spelling read as words in sentence
case (``data-visualisation`` -> "Data visualisation"), as the names a journal declares are written.
Its key, and so its URL, is the tag's slug whatever its name."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..settings.config import Config
from .model import Entry, Topic

_SEPARATORS = re.compile(r"[-_]+")


def topics(entries: list[Entry], names: dict[str, Counter[str]], config: Config) -> tuple[Topic, ...]:
    """Every topic with entries, and every configured topic above one: a topic map's inner nodes.
    ``names`` counts the spellings each topic key was tagged with."""
    members: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        for key in entry.topics:
            members[key].append(entry.path)
    shown = set(members)
    for key in list(members):
        parent = config.topics[key].parent if key in config.topics else ""
        while parent and parent not in shown:  # config validation rules out circles
            shown.add(parent)
            parent = config.topics[parent].parent if parent in config.topics else ""
    children: dict[str, list[str]] = defaultdict(list)
    for key in shown:
        setting = config.topics.get(key)
        if setting and setting.parent in shown:
            children[setting.parent].append(key)
    order = {e.path: n for n, e in enumerate(entries)}

    def below(key: str) -> set[str]:
        """A topic's entries and those of its sub-topics: a broad topic gathers what is under it."""
        return set(members.get(key, ())).union(*(below(k) for k in children[key]))

    found = []
    for key in shown:
        setting = config.topics.get(key)
        found.append(
            Topic(
                key=key,
                name=setting.name if setting and setting.name else topic_name(key, names.get(key, Counter())),
                description=setting.description if setting else "",
                url=f"/topics/{key}/",
                entries=tuple(sorted(below(key), key=order.__getitem__)),
                goal=setting.goal if setting else "",
                parent=setting.parent if setting and setting.parent in shown else None,
                children=tuple(sorted(children[key])),
            )
        )
    return tuple(sorted(found, key=lambda t: (t.name.casefold(), t.key)))


def topic_name(key: str, spellings: Counter[str]) -> str:
    """The name of a topic that publog.yaml does not name, from the ways its tag was written."""
    cased = Counter({tag: n for tag, n in spellings.items() if tag != tag.lower()})
    # The most used spelling wins; ties go to the alphabetically first, so builds are stable.
    used = min((cased or spellings).items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings else key
    if cased:
        return used
    if not any(c.isspace() for c in used):  # a tag written as a slug: its hyphens stand for spaces
        used = " ".join(_SEPARATORS.sub(" ", used).split()) or used
    return used[:1].upper() + used[1:]
