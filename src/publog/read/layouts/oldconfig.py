"""What an old generator's own files say (OldConfig), and the pieces every generator's reading shares:
the old site's title, URL and author, and its permalink patterns in publog's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ... import urls
from ...settings.people import Author
from ..dates import known_zone
from ...problems import Problem
from .layout import Layout


@dataclass(frozen=True)
class OldConfig:
    """What a generator's config says of its folder, for settle() to fill the Config with."""

    layout: Layout
    entries: str | None = None  # the entries folder, '.' for the journal itself
    permalink: str | None = None  # the journal-wide pattern
    settings: tuple[tuple[str, Any], ...] = ()  # title, base_url ... from the old config
    problems: tuple[Problem, ...] = ()


def site_settings(title: Any = None, description: Any = None, base_url: Any = None, language: Any = None,
                   timezone: Any = None, author: Any = None) -> tuple[tuple[str, Any], ...]:
    """The old site's own settings that publog has too, when they are usable as they are."""
    found: list[tuple[str, Any]] = list(_author(author))
    for key, value in (("title", title), ("description", description), ("language", language)):
        if isinstance(value, str) and value.strip():
            found.append((key, value.strip()))
    if isinstance(base_url, str) and re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        found.append(("base_url", base_url if base_url.endswith("/") else base_url + "/"))
    if isinstance(timezone, str) and known_zone(timezone):
        found.append(("timezone", timezone))
    return tuple(found)


def _author(value: Any) -> tuple[tuple[str, Any], ...]:
    """The author an old config names: a name, or a mapping with one (Jekyll's, Hugo's, Eleventy's data).

    Only the name and a web address are taken: an email address is published (as where replies go) only
    when publog.yaml gives it.
    """
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict):
        name, url = value.get("name"), value.get("url") or value.get("uri")
    else:
        name, url = value, None
    if not isinstance(name, str) or not name.strip():
        return ()
    web = url if isinstance(url, str) and re.match(r"^https?://[^/\s]+(/\S*)?$", url) else ""
    return (("author", Author(name=name.strip(), url=web)),)


def translate(pattern: str, token: str, fields: dict[str, str]) -> tuple[str, str]:
    """An old generator's permalink pattern in publog's fields; and the first token publog has none for."""
    unknown: list[str] = []

    def field(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g is not None)
        if name in fields:
            return fields[name]
        unknown.append(match.group(0))
        return match.group(0)

    translated = re.sub(token, field, pattern)
    translated = "/" + translated.lstrip("/")
    if not unknown and urls.pattern_problem(translated):
        unknown.append(pattern)
    return translated, unknown[0] if unknown else ""
