"""An entry page's headings: each a link to itself, and on a long entry a table of contents.

Both are made from the body's HTML as its page is rendered, not by the Markdown stage: that HTML is
the feeds' too, where a link in every heading would be noise. The Markdown stage gives each heading
of the entry's own text an id (mdit_py_plugins' anchors); a note embedded with ``![[note]]`` loses
its headings' ids (markdown/embeds.py), so they are neither linked nor listed here.
"""

from __future__ import annotations

import html as html_mod
import re
from dataclasses import dataclass

FEWEST = 3  # a table of contents of one or two headings says less than the headings themselves

_HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Section:
    """A section of an entry as its table of contents lists it: its heading, and the sections within it."""

    id: str
    text: str
    level: int
    children: tuple[Section, ...] = ()


def linked(body: str) -> str:
    """``body`` with each heading that has an id made a link to itself, so a reader can copy the
    address of a section; a heading that holds a link already keeps its text as it is (links do not nest)."""

    def link(match: re.Match[str]) -> str:
        level, anchor, inner = match.groups()
        if "<a" in inner:
            return match.group(0)
        return f'<h{level} id="{anchor}"><a class="self" href="#{anchor}">{inner}</a></h{level}>'

    return _HEADING.sub(link, body)


_OWN_TOC = '<nav class="toc'  # as markdown/kramdown.py renders an author's table of contents


def contents(body: str) -> tuple[Section, ...]:
    """The headings of ``body`` that have ids, nested by level; none when it has fewer than FEWEST, or a
    table of contents of its own (kramdown's {:toc}, Hugo's toc shortcode, Liquid's {% toc %})."""
    if _OWN_TOC in body:
        return ()
    found = [(int(level), anchor, " ".join(html_mod.unescape(_TAG.sub("", inner)).split()))
             for level, anchor, inner in _HEADING.findall(body)]
    found = [heading for heading in found if heading[2]]  # a heading of an image alone names no section
    if len(found) < FEWEST:
        return ()
    return _nested(found)


def _nested(found: list[tuple[int, str, str]]) -> tuple[Section, ...]:
    """A flat list of (level, id, text) as a tree: each heading holds the deeper ones that follow it."""
    top: list[Section] = []
    index = 0
    while index < len(found):
        level, anchor, text = found[index]
        end = index + 1
        while end < len(found) and found[end][0] > level:
            end += 1
        top.append(Section(anchor, text, level, _nested(found[index + 1:end])))
        index = end
    return tuple(top)
