"""An entry page's headings, each a link to itself.

Made from the body's HTML as its page is rendered, not by the Markdown stage: that HTML is the
feeds' too, where a link in every heading would be noise. The Markdown stage gives each heading of
the entry's own text an id (mdit_py_plugins' anchors); a note embedded with ``![[note]]`` loses its
headings' ids (markdown/embeds.py), so they are not linked here.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)


def linked(body: str) -> str:
    """``body`` with each heading that has an id made a link to itself, so a reader can copy the
    address of a section; a heading that holds a link already keeps its text as it is (links do not nest)."""

    def link(match: re.Match[str]) -> str:
        level, anchor, inner = match.groups()
        if "<a" in inner:
            return match.group(0)
        return f'<h{level} id="{anchor}"><a class="self" href="#{anchor}">{inner}</a></h{level}>'

    return _HEADING.sub(link, body)
