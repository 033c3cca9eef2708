"""What strangers send, made safe to show: http(s) URLs only, text on one line and cut to a
length, HTML through a sanitiser, dates in a sane range.

Responses (mentions), pulled feeds and a community's members all come from other people's
sites; they pass through these same checks, so that one rule holds wherever such text is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

import nh3

MAX_NAME = 100  # characters of a name or title
MAX_URL = 2048
MAX_HTML = 20_000  # characters of a reply's HTML, before sanitising

DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template",
                         "noscript", "textarea", "select"}
# Controls go, line breaks become spaces; bidirectional overrides and isolates go too, as
# they can make a name display as something else.
_INVISIBLE: dict[int, str | None] = {**dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]),
                                     **dict.fromkeys(range(0x09, 0x0E), " ")}


@dataclass(frozen=True)
class Allowed:
    """What one kind of other people's HTML may keep. Whatever it allows, scripts, styles, frames
    and embedded objects go with what they hold, and comments, event handlers and URLs of other
    schemes (javascript:, data: ...) go too."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]  # by tag, "*" for every tag
    schemes: frozenset[str] = frozenset({"http", "https"})  # of the URLs of links and images
    relative: bool = False  # links without a scheme kept as written; else made absolute against a base, or removed
    rel: str | None = "nofollow ugc"  # of every link
    styles: frozenset[str] = frozenset()  # CSS properties a style attribute may set
    forced: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # attributes every such tag gets
    longest: int | None = MAX_HTML  # characters, before sanitising


# A reply keeps text formatting and links, never images (no hot-linking).
REPLIES = Allowed(frozenset({"a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "ins", "li", "ol",
                             "p", "pre", "q", "s", "small", "strong", "sub", "sup", "ul"}),
                  {"a": frozenset({"href", "title"}), "abbr": frozenset({"title"})})


def sanitise(markup: str, base: str = "", allowed: Allowed = REPLIES) -> str:
    """HTML other people wrote, safe to show: what ``allowed`` keeps and nothing that runs.

    A reply (the default) keeps formatting and http(s) links only, marked nofollow ugc, and
    its relative links are made absolute against ``base`` (the reply's URL), or removed without one.
    """
    if allowed.longest is not None and len(markup) > allowed.longest:
        markup = markup[:allowed.longest] + "…"  # the sanitiser closes whatever the cut left open
    relative: Any = "pass_through" if allowed.relative else ("rewrite_with_base", base) if base else "deny"
    # Math goes with its content unless allowed (a member's entry keeps the MathML publog wrote).
    return str(nh3.clean(markup, tags=set(allowed.tags), clean_content_tags=DROPPED_WITH_CONTENT - allowed.tags,
                         attributes={tag: set(names) for tag, names in allowed.attributes.items()},
                         link_rel=allowed.rel, url_schemes=set(allowed.schemes), strip_comments=True,
                         url_relative=relative, filter_style_properties=set(allowed.styles) or None,
                         set_tag_attribute_values={tag: dict(values) for tag, values in allowed.forced.items()} or None)).strip()


def web_url(value: Any) -> str:
    """An absolute http(s) URL without spaces or controls, or "" for anything else."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return ""
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, say: not a URL anyone can follow
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s\x00-\x1f\x7f\"'<>\\]", url):
        return ""
    return url


def one_line(text: str, limit: int) -> str:
    """One line of display text: no controls or direction overrides, at most ``limit`` characters."""
    text = " ".join(text.translate(_INVISIBLE).split())
    return cut(text, limit) if len(text) > limit else text


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a space, with an ellipsis."""
    head = text[: limit - 1]
    if " " in head[limit // 2:]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"


def instant_of(value: Any) -> dt.datetime | None:
    """An ISO 8601 date as an aware UTC datetime (naive ones taken as UTC); None for anything else.

    Years outside 1970-9000 are refused: no response is that old, and a date at the edge
    of what datetime holds breaks whoever converts it to another time zone.
    """
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
        when = (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        return None
    return when if 1970 <= when.year <= 9000 else None


