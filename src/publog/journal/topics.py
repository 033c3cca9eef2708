"""The topics of a journal: each tag's page, its entries and those of its sub-topics, and its name.

A topic is named as ``topics:`` in publog.yaml names it; else by the most used spelling that has a
capital letter (someone chose that case); else by the most used spelling read as words in sentence
case (``data-visualisation`` -> "Data visualisation"), as the names a journal declares are written,
with each word the entries' titles write with inner capitals written so (``sql`` -> "SQL").
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

    written = _written(entries)
    found = []
    for key in shown:
        setting = config.topics.get(key)
        found.append(
            Topic(
                key=key,
                name=setting.name if setting and setting.name else topic_name(key, names.get(key, Counter()), written),
                description=setting.description if setting else "",
                url=f"/topics/{key}/",
                entries=tuple(sorted(below(key), key=order.__getitem__)),
                goal=setting.goal if setting else "",
                parent=setting.parent if setting and setting.parent in shown else None,
                children=tuple(sorted(children[key])),
            )
        )
    return tuple(sorted(found, key=lambda t: (t.name.casefold(), t.key)))


def topic_name(key: str, spellings: Counter[str], written: dict[str, str] | None = None) -> str:
    """The name of a topic that publog.yaml does not name, from the ways its tag was written, and
    ``written``: how the journal's titles write a word that is not plain lower case (SQL, JavaScript)."""
    cased = Counter({tag: n for tag, n in spellings.items() if tag != tag.lower()})
    # The most used spelling wins; ties go to the alphabetically first, so builds are stable.
    used = min((cased or spellings).items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings else key
    if cased:
        return used
    if not any(c.isspace() for c in used):  # a tag written as a slug: its hyphens stand for spaces
        used = " ".join(_SEPARATORS.sub(" ", used).split()) or used
    used = " ".join((written or {}).get(word, word) for word in used.split(" "))
    return used[:1].upper() + used[1:]


_WORD = re.compile(r"\w[\w+#.]*\w|\w")


def _written(entries: list[Entry]) -> dict[str, str]:
    """Words the entries' titles write with a capital past their first letter (SQL, JavaScript, iOS), by
    their lower case: a tag written `sql` is the journal's SQL, not Sql. The most used spelling wins."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        for word in _WORD.findall(entry.title):
            if len(word) > 1 and word != word.lower():  # Python counts against one shouted PYTHON
                seen[word.lower()][word] += 1
    # The most used; a tie goes to the plainer (Python before PYTHON), then to the first in code point order.
    chosen = {lower: min(found.items(), key=lambda kv: (-kv[1], kv[0][1:] != kv[0][1:].lower(), kv[0]))[0]
              for lower, found in seen.items()}
    return {lower: word for lower, word in chosen.items() if word[1:] != word[1:].lower()}
