"""![[note]]: another note's text shown inside an entry.

A note's HTML is cached by its own file's hash, so an embed is a placeholder
there (see markdown/body.py). The journal stage decides what each placeholder shows,
as an Embed: only a published note, never a private or unpublished one, and
never a note already being shown (a note that embeds itself, or two that embed
each other). The render stage puts the notes' HTML in with expand().
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import quote, unquote

from .body import EMBED_ATTR, WIKI_LINK

MAX_DEPTH = 4  # embeds within embeds, as deep as a reader can follow


@dataclass(frozen=True)
class Embed:
    """What one ![[target]] of an entry shows: a published note, with its own links and embeds resolved."""

    target: str  # as written in the embedding note, the placeholder's key
    title: str
    digest: str  # names the embedded note's HTML in the cache
    links: tuple[tuple[str, str | None], ...]  # the embedded note's links, as Entry.links
    embeds: tuple["Embed", ...] = ()  # the embedded note's own embeds


_PLACEHOLDER = re.compile(r'<div class="embed" ' + EMBED_ATTR + r'="([^"#]*)(#[^"]*)?">.*?</div>\n?', re.S)
_HEADING = re.compile(r"<h([1-6])[^>]*>")
_HEADING_ID = re.compile(r'<h([1-6]) id="[^"]*"')


def expand(body: str, embeds: Iterable[Embed], note_html: Callable[[str], str],
           resolve: Callable[[str, tuple[tuple[str, str | None], ...]], str]) -> str:
    """``body`` with each embed placeholder replaced by the note it shows, or by nothing.

    ``note_html`` gives a note's cached HTML by digest; ``resolve`` turns its link placeholders
    into URLs with the note's own links. The embedding note's placeholders are left for the caller.
    """
    if EMBED_ATTR not in body:
        return body
    shown = {e.target: e for e in embeds}

    def replace(match: re.Match[str]) -> str:
        target, fragment = unquote(match.group(1)), match.group(2) or ""
        embed = shown.get(target)
        if embed is None:
            return ""  # unpublished, private, missing or already shown: nothing, not even its name
        inner = resolve(expand(note_html(embed.digest), embed.embeds, note_html, resolve), embed.links)
        if fragment:
            inner = section(inner, fragment[1:])
            if not inner:
                return ""
        inner = _HEADING_ID.sub(r"<h\1", inner)  # the embedding page has its own headings: ids stay unique
        # The link is a placeholder of the embedding note: its own links know where the note is.
        link = f'<a href="{WIKI_LINK}{quote(target)}{html.escape(fragment)}">{html.escape(embed.title)}</a>'
        return f'<div class="embed">\n<p class="embed-source">{link}</p>\n{inner}</div>\n'

    return _PLACEHOLDER.sub(replace, body)


def section(body: str, heading_id: str) -> str:
    """The part of ``body`` from the heading with this id to the next heading of its level or above."""
    start = re.search(r'<h([1-6])[^>]*\bid="' + re.escape(heading_id) + '"', body)
    if start is None:
        return ""
    level = int(start.group(1))
    for following in _HEADING.finditer(body, start.end()):
        if int(following.group(1)) <= level:
            return body[start.start() : following.start()]
    return body[start.start() :]
