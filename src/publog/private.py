"""Private passages inside a public entry, removed before anything renders them.

    <!-- private -->only for me<!-- /private -->      (inline, or around whole blocks)
    ::: private                                       (a fenced block, as in markdown-it's containers)
    only for me
    :::

(Obsidian's %% comments %% are handled with the rest of its syntax, in vault.py.)
A passage without its closing mark runs to the end of the entry: an unclosed
private mark must hide too much rather than too little.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

_OPEN = re.compile(r"^<!--\s*private\s*-->$", re.I)
_CLOSE = re.compile(r"^<!--\s*/private\s*-->$", re.I)
_MARK = re.compile(r"<!--\s*/?private\s*-->", re.I)
_OPEN_ANYWHERE = re.compile(r"<!--\s*private\s*-->", re.I)
_CLOSE_ANYWHERE = re.compile(r"<!--\s*/private\s*-->", re.I)
_INLINE_PASSAGE = re.compile(r"<!--\s*private\s*-->.*?<!--\s*/private\s*-->", re.I | re.S)
# The same passages in raw text, for the checks that read an entry's file (leaks.py, guard.py).
_REGIONS = re.compile(
    r"<!--\s*private\s*-->.*?(?:<!--\s*/private\s*-->|\Z)"
    r"|^[ \t]*:::[ \t]*private[ \t]*\n.*?(?:^[ \t]*:::[ \t]*$|\Z)"
    r"|%%.*?(?:%%|\Z)",
    re.I | re.S | re.M,
)


def plugin(md: MarkdownIt) -> None:
    from mdit_py_plugins.container import container_plugin

    container_plugin(md, "private")
    md.core.ruler.after("inline", "publog_private", _drop)


def _drop(state: StateCore) -> None:
    kept: list[Any] = []
    hiding = 0  # depth of ::: private containers, or 1 inside an HTML-comment passage
    comment = False
    for token in state.tokens:
        if token.type == "container_private_open":
            hiding += 1
            continue
        if token.type == "container_private_close":
            hiding -= 1
            continue
        if token.type == "html_block" and _MARK.search(token.content):
            # A block of raw HTML that opens or closes a passage, or holds a whole one on its line.
            content = token.content
            if comment:
                closing = _CLOSE_ANYWHERE.search(content)
                if not closing:
                    continue
                comment, content = False, content[closing.end():]
            content = _INLINE_PASSAGE.sub("", content)
            opening = _OPEN_ANYWHERE.search(content)
            if opening:
                comment, content = True, content[: opening.start()]
            if not hiding and content.strip():
                token.content = content
                kept.append(token)
            continue
        if hiding or comment:
            continue
        if token.type == "inline" and token.children:
            token.children = _drop_inline(token.children)
        kept.append(token)
    state.tokens = _without_empty_containers(kept)


def _drop_inline(children: list[Any]) -> list[Any]:
    kept, hiding = [], False
    for child in children:
        if child.type == "html_inline" and _OPEN.match(child.content.strip()):
            hiding = True
        elif child.type == "html_inline" and _CLOSE.match(child.content.strip()):
            hiding = False
        elif not hiding:
            kept.append(child)
    return kept


def _without_empty_containers(tokens: list[Any]) -> list[Any]:
    """A list item or quote whose whole content was private goes too, rather than showing empty."""
    result = list(tokens)
    changed = True
    while changed:
        changed = False
        for i in range(len(result) - 1):
            if result[i].nesting == 1 and result[i + 1].nesting == -1 and result[i + 1].tag == result[i].tag \
                    and result[i].type not in ("paragraph_open",):
                del result[i : i + 2]
                changed = True
                break
    return result


_MARKERS = re.compile(r"<!--\s*/?private\s*-->|^[ \t]*:::[ \t]*(?:private)?[ \t]*$|%%", re.I | re.M)


def passages(text: str) -> list[str]:
    """The private passages of an entry's text, without the marks around them."""
    if "<!--" not in text and ":::" not in text and "%%" not in text:  # as most entries: a search costs more
        return []
    return [_MARKERS.sub("", m.group(0)).strip() for m in _REGIONS.finditer(text)]


def blanked(text: str) -> str:
    """The text with its private passages blanked out, lines kept, for the checks of what is published."""
    return _REGIONS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
