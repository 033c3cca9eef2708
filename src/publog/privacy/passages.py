"""Private passages inside a public entry, removed before anything renders them.

    <!-- private -->only for me<!-- /private -->      (inline, or around whole blocks)
    ::: private                                       (a fenced block, as in markdown-it's containers)
    only for me
    :::

(Obsidian's %% comments %% are dropped with the rest of its syntax, in markdown/vault.py.)
A passage runs from its opening mark to its closing mark, whatever lies between:
paragraphs, lists, quotes, headings, code blocks, tables. One without its closing
mark runs to the end of the entry: an unclosed private mark must hide too much
rather than too little. Marks nest, and are read whatever their case and spacing
(``<!--PRIVATE-->``, ``<!-- / private -->``); a closing mark with nothing open
hides nothing, and no mark is ever shown. Marks in code are code.

Two readings of the same rules: ``plugin`` drops passages from markdown-it's
tokens as a body renders; ``passages``, ``blanked`` and ``removed`` find them in
raw text (a whole entry file, a front matter field) for the checks of what is
published and for the fields no Markdown renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..markdown.vault import code_span_bounds, hidden_block, hidden_text, record

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

_MARK = re.compile(r"<!--\s*(/?)\s*private\s*-->", re.I)
_COMMENT = "%%"  # Obsidian's comment, which opens and closes alike
_MARK_OR_COMMENT = re.compile(_COMMENT + "|" + _MARK.pattern, re.I)
# A fenced private block's lines, as markdown-it's containers read them (in a list item or quote too).
_PREFIX = r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?"
_BLOCK_OPEN = re.compile(_PREFIX + r"(:{3,})[ \t]*private(?:[ \t].*)?$", re.I)
_BLOCK_CLOSE = re.compile(r"^[ \t>]*(:{3,})[ \t]*$")
_FENCE = re.compile(_PREFIX + r"(`{3,}|~{3,})")


@dataclass
class _Passage:
    """Where a reading of an entry is: inside how many marks and private blocks, and what it hid."""

    marks: int = 0  # private marks open; nested ones count, so the outer closing mark ends the passage
    blocks: list[int] = field(default_factory=list)  # the colons of each ::: private block open
    forever: bool = False  # a private block without its closing line: hidden to the end
    pieces: list[str] = field(default_factory=list)  # the text hidden since the passage opened, a block a piece
    hidden: list[str] = field(default_factory=list)  # the text of each passage ended

    @property
    def hiding(self) -> bool:
        return bool(self.marks or self.blocks or self.forever)

    def mark(self, closing: bool) -> None:
        self.marks = max(0, self.marks - 1) if closing else self.marks + 1
        self.end()

    def block(self) -> None:
        """What is hidden next is in another block than what was hidden before."""
        if self.pieces and self.pieces[-1]:
            self.pieces.append("")

    def hide(self, text: str) -> None:
        """Hide ``text``, in the block being read."""
        if self.pieces:
            self.pieces[-1] += text
        else:
            self.pieces.append(text)

    def end(self) -> None:
        """Close the passage being read, if nothing holds it open any more."""
        if self.pieces and not self.hiding:
            if text := hidden_text(self.pieces):
                self.hidden.append(text)
            self.pieces = []

    def shown(self, text: str) -> str:
        """The parts of ``text`` (raw HTML) outside passages, marks read on the way and never shown."""
        kept, pos = [], 0
        for found in _MARK.finditer(text):
            (self.hide if self.hiding else kept.append)(text[pos : found.start()])
            self.mark(bool(found.group(1)))
            pos = found.end()
        (self.hide if self.hiding else kept.append)(text[pos:])
        return "".join(kept)


# --- in markdown-it's tokens -----------------------------------------------------------------------------


def plugin(md: MarkdownIt) -> None:
    from mdit_py_plugins.container import container_plugin

    container_plugin(md, "private", validate=_names_private)
    md.core.ruler.after("inline", "publog_private", _drop)


def _names_private(params: str, *_: Any) -> bool:
    words = params.split(None, 1)
    return bool(words) and words[0].lower() == "private"


def _drop(state: StateCore) -> None:
    """Drop what passages hold, tracking marks through every token (a passage may open in a
    paragraph's text and close in a later block's), then the blocks a passage left empty."""
    if "<!--" not in state.src and ":::" not in state.src:  # as most entries: nothing to look at
        return
    lines = state.src.split("\n")
    passage = _Passage()
    notes: dict[Any, bool] = {}  # footnote id -> whether a reference to it is shown
    kept: list[Any] = []
    for index, token in enumerate(state.tokens):
        if token.type == "container_private_open":
            if _block_closed_by_mark(token, lines):
                passage.blocks.append(0)
            else:
                passage.forever = True
            continue
        if token.type == "container_private_close":
            if passage.blocks:
                passage.blocks.pop()
                passage.end()
            continue
        if token.type == "html_block" and _MARK.search(token.content):
            passage.block()
            token.content = passage.shown(token.content)
            if token.content.strip():
                kept.append(token)
            continue
        shown = not passage.hiding
        if token.type == "inline" and token.children:
            if _next_cell(state.tokens, index):
                passage.hide(" | ")  # a row is read as one block, as leaks reads a table's line
            else:
                passage.block()
            token.children = _inline(token.children, passage, notes)
            if not any(_visible(child) for child in token.children):
                continue
            shown = True
        # Blocks' opening and closing tokens stay, so what holds a passage's end keeps its start.
        if shown or token.nesting != 0:
            kept.append(token)
        elif token.type != "inline":
            passage.block()
            passage.hide(hidden_block(token))
    state.tokens = _without_empty_blocks(kept)
    passage.forever, passage.marks, passage.blocks = False, 0, []  # what runs to the end of the entry ends there
    passage.end()
    record(state.env, passage.hidden + _drop_notes(state.env, notes))


def _next_cell(tokens: list[Any], index: int) -> bool:
    """Whether the inline token at ``index`` is a table cell's after the first of its row."""
    return index >= 2 and tokens[index - 1].type in ("td_open", "th_open") and tokens[index - 2].type in ("td_close", "th_close")


def _block_closed_by_mark(token: Any, lines: list[str]) -> bool:
    """Whether a ::: private block ends at its own closing line, not at the end of the list item,
    quote or entry around it, which markdown-it takes for its end."""
    end = token.map[1] if token.map else len(lines)
    return end < len(lines) and _BLOCK_CLOSE.match(lines[end]) is not None


def _inline(children: list[Any], passage: _Passage, notes: dict[Any, bool]) -> list[Any]:
    """An inline token's children outside passages; emphasis and links cut by a mark lose their tags."""
    kept, cut = [], False
    for child in children:
        if child.type == "html_inline" and _MARK.search(child.content):
            child.content = passage.shown(child.content)
            cut = True
            if child.content.strip():
                kept.append(child)
            continue
        shown = not passage.hiding
        if child.type == "footnote_ref":
            key = child.meta.get("id")
            notes[key] = notes.get(key, False) or shown
        if child.children:  # an image's alt text, where a mark may be too
            child.children = _inline(child.children, passage, notes)
        elif not shown:
            passage.hide("\n" if child.type in ("softbreak", "hardbreak") else child.content)
        if shown:
            kept.append(child)
        else:
            cut = True
    if not cut:
        return kept
    kept = _balanced(kept)
    if kept and kept[0].type == "text":  # a paragraph's text begins and ends with no space, as markdown-it makes it
        kept[0].content = kept[0].content.lstrip()
    if kept and kept[-1].type == "text":
        kept[-1].content = kept[-1].content.rstrip()
    return kept


def _balanced(children: list[Any]) -> list[Any]:
    """``children`` without the opening or closing tags whose other half was private."""
    kept: list[Any] = []
    opened: list[int] = []
    for child in children:
        if child.nesting == 1:
            opened.append(len(kept))
        elif child.nesting == -1:
            if not opened or kept[opened[-1]].tag != child.tag:
                continue
            opened.pop()
        kept.append(child)
    for index in reversed(opened):
        del kept[index]
    return kept


def _visible(token: Any) -> bool:
    return not (token.type in ("softbreak", "hardbreak") or (token.type == "text" and not token.content.strip()))


_CELLS = ("thead_", "tbody_", "tr_", "th_", "td_")  # a table's cells go only with the whole table


def _without_empty_blocks(tokens: list[Any]) -> list[Any]:
    """A paragraph, list item, quote, heading or table whose whole content was private goes too,
    rather than showing empty."""
    gone: set[int] = set()
    opened: list[list[Any]] = []  # [index of the opening token, whether it holds anything]
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            opened.append([index, False])
        elif token.nesting == -1 and opened:
            start, holds = opened.pop()
            if holds and opened:
                opened[-1][1] = True
            elif not holds and not token.type.startswith(_CELLS):
                gone.update(range(start, index + 1))
        elif token.nesting == 0 and opened and (token.type != "inline" or token.children):
            opened[-1][1] = True
    return [token for index, token in enumerate(tokens) if index not in gone] if gone else tokens


def _drop_notes(env: Any, notes: dict[Any, bool]) -> list[str]:
    """A footnote referred to only from passages goes: an inline one's text is the passage's, and is returned."""
    listed = env.get("footnotes", {}).get("list", {}) if isinstance(env, dict) else {}
    dropped = []
    for key, shown in notes.items():
        if not shown and (note := listed.pop(key, None)):
            dropped.append(str(note.get("content", "")))
    return [text for text in dropped if text.strip()]


# --- in raw text ----------------------------------------------------------------------------------------


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage of ``text``, its marks included; stray closing marks too.

    Read line by line: fenced code and code spans hold no marks, ``::: private`` opens a
    block at the start of a line, ``%%`` opens and closes a comment, and a mark anywhere else.
    """
    spans: list[tuple[int, int]] = []
    passage, comment, fence = _Passage(), False, ""
    start = -1  # where the passage being read began

    def hide(at: int) -> None:
        nonlocal start
        if start < 0:
            start = at

    def show(at: int) -> None:
        nonlocal start
        if start >= 0 and not (passage.hiding or comment):
            spans.append((start, at))
            start = -1

    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif (block := _BLOCK_OPEN.match(line)) is not None:
            hide(offset)
            passage.blocks.append(len(block.group(1)))
        elif (close := _BLOCK_CLOSE.match(line)) is not None and passage.blocks and len(close.group(1)) >= passage.blocks[-1]:
            passage.blocks.pop()
            show(end)
        else:
            code = list(code_span_bounds(line))
            for found in _MARK_OR_COMMENT.finditer(line):
                if any(a <= found.start() < b for a, b in code):
                    continue
                at = offset + found.start()
                if found.group(0) == _COMMENT:
                    comment = not comment
                    hide(at)
                    show(offset + found.end())
                elif not comment:
                    hide(at)
                    passage.mark(bool(found.group(1)))
                    show(offset + found.end())
        offset = end + 1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


def _holds_marks(text: str) -> bool:
    return "<!--" in text or ":::" in text or _COMMENT in text


_MARKERS = re.compile(_MARK.pattern + r"|" + _BLOCK_OPEN.pattern + r"|^[ \t>]*:{3,}[ \t]*$|%%", re.I | re.M)


def passages(text: str) -> list[str]:
    """The private passages of an entry's text, without the marks around them."""
    if not _holds_marks(text):  # as most entries: a search costs more
        return []
    found = (_MARKERS.sub("", text[a:b]).strip() for a, b in _spans(text))
    return [passage for passage in found if passage]


def blanked(text: str) -> str:
    """The text with its private passages blanked out, lines kept, for the checks of what is published."""
    if not _holds_marks(text):
        return text
    parts, pos = [], 0
    for a, b in _spans(text):
        parts += [text[pos:a], re.sub(r"[^\n]", " ", text[a:b])]
        pos = b
    return "".join(parts) + text[pos:]


def removed(text: str) -> str:
    """A field's text (a title, a summary) without its private passages, one space where one was cut."""
    if not _holds_marks(text):
        return text
    parts, pos = [], 0
    for a, b in _spans(text):
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    kept = parts[0]
    for part in parts[1:]:
        if kept[-1:].isspace() and part[:1].isspace():
            part = part.lstrip(" \t")
        kept += part
    return kept


def marks(text: str) -> str:
    """Only the marks of ``text``, for a line taken out of an entry (its title) whose marks must
    still open or close what they did."""
    if not _holds_marks(text):
        return ""
    code = list(code_span_bounds(text))
    return " ".join(m.group(0) for m in _MARK_OR_COMMENT.finditer(text)
                    if not any(a <= m.start() < b for a, b in code))
