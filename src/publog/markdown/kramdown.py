"""Kramdown's conventions, which are Jekyll's: attribute lists, a table of contents, extensions.

``{: .class #id key="value"}`` on the line after a block gives that block attributes (on a line
of its own, the block after it); ``{: ...}`` right after an image or a span, the span. publog
gives a block its id and classes; everything else (``style``, ``on*`` handlers, any other
attribute) is taken off, never shown and never applied. ``# Heading {#id .class}`` names a
heading's id. A list ending in ``{:toc}`` is a table of contents of the entry's headings, as
is Hugo's ``{{< toc >}}``. Extensions such as ``{::options ... /}`` are settings of kramdown's
own and go; ``{::comment}`` is a comment, taken out with the others (markdown/vault.py).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from . import vault

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

TOC_MARK = "\ue011toc\ue011"  # where a table of contents goes: a paragraph of its own
TOC = "publog_toc"

_VALUE = r"""(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+)"""
_ITEM = rf"""(?:[#.][\w-]+|[\w:-]+={_VALUE}|toc)"""
_IAL = re.compile(rf"""\{{:\s*((?:{_ITEM}\s*)*)\}}""")
_BLOCK_IAL = re.compile(rf"""(?:^|\n)[ \t]*\{{:\s*((?:{_ITEM}\s*)*)\}}[ \t]*$""")
_LINE_IAL = re.compile(rf"""^[ \t]*\{{:\s*((?:{_ITEM}\s*)*)\}}[ \t]*(?:\n|$)""", re.M)
_HEADING_IAL = re.compile(r"""\s*\{:?\s*((?:[#.][\w-]+\s*)+)\}\s*$""")
_EXTENSION = re.compile(r"\{::(?!comment)\w+[^}\n]*?/?\}|\{:/(?!comment)\w*\}")
_PART = re.compile(rf"""([#.])([\w-]+)|([\w:-]+)=({_VALUE})|\btoc\b""")


def plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "publog_span_html", _span_html)
    md.core.ruler.after("publog_generators", "publog_kramdown", attributes)
    md.add_render_rule(TOC, _render_toc)


# Tags kramdown reads as part of a paragraph; CommonMark starts an HTML block at a line opening with one.
_SPAN_TAG = re.compile(r"<(?:br|span|a|img|em|strong|b|i|u|s|sup|sub|small|code|kbd|abbr|mark|q|cite|del|ins)\b[^>]*/?>",
                       re.I)


def _span_html(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """In a Jekyll journal, a line opening with a span's tag (``<br />``, ``<span>``) starts a paragraph,
    as kramdown reads it, so the Markdown after it (an image, an attribute list) is read."""
    syntax = state.env.get("publog_syntax")
    if syntax is None or syntax.generator != "jekyll" or state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not _SPAN_TAG.match(state.src, begin, state.eMarks[start]) or silent:
        return False
    from markdown_it.rules_block.paragraph import paragraph

    return bool(paragraph(state, start, end, silent))


def attributes(state: StateCore) -> None:
    """Apply or take off every attribute list, before the inline text is read."""
    tokens = state.tokens
    if not any(t.content and ("{" in t.content or TOC_MARK in t.content) for t in tokens):
        return
    tocs: list[tuple[int, int]] = []  # (first, last) token of what becomes a table of contents
    gone: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type == "html_block" and "{:" in token.content:
            token.content = _EXTENSION.sub("", token.content)
            continue
        if token.type != "inline":
            continue
        if token.content.strip() == TOC_MARK and tokens[index - 1].type == "paragraph_open":
            tocs.append((index - 1, index + 1))
            continue
        if "{" not in token.content:
            continue
        text = _EXTENSION.sub("", token.content) if "{:" in token.content else token.content
        opening = tokens[index - 1] if index else None
        if opening is not None and opening.type == "heading_open":
            heading = _HEADING_IAL.search(text)
            if heading:
                _apply(opening, heading.group(1))
                text = text[: heading.start()]
        block = _BLOCK_IAL.search(text)
        if block and opening is not None:
            text = text[: block.start()]
            within = _in_list(tokens, index)
            last = within is not None and not any(t.type == "inline" for t in tokens[index + 1 : within[1]])
            if re.search(r"\btoc\b", block.group(1)) and within is not None:
                tocs.append(within)
            elif last and within is not None:
                _apply(tokens[within[0]], block.group(1))  # after a list's last line: the list's
            elif not text.strip():
                after = _next_block(tokens, index + 2)
                if after is not None:
                    _apply(tokens[after], block.group(1))
            else:
                _apply(opening, block.group(1))
        if "{:" in text and opening is not None:
            # kramdown ends a paragraph at a line of attributes: they are the lines' above it.
            for line in _LINE_IAL.finditer(text):
                _apply(opening, line.group(1))
            text = _LINE_IAL.sub("", text)
        if "{:" in text:
            text = _IAL.sub("", text)  # a span's attributes: mostly style, which publog never applies
        if text != token.content:
            token.content = text.strip("\n") if text.strip() else ""
            if not token.content:
                gone.add(index)
    for start, end in sorted(set(tocs), reverse=True):
        tokens[start : end + 1] = [_toc_token(tokens[start])]
        gone = {g if g < start else g - (end - start) for g in gone if not start <= g <= end}
    if gone:
        drop(state, gone)


def drop(state: StateCore, gone: set[int]) -> None:
    """Take off the blocks whose inline tokens are ``gone``, and containers left empty by it."""
    tokens = state.tokens
    gone = set(gone)
    for index in list(gone):
        if index and tokens[index - 1].nesting == 1 and index + 1 < len(tokens) and tokens[index + 1].nesting == -1:
            gone.update((index - 1, index + 1))
    vault.drop_emptied(state, gone)


def _toc_token(where: Token) -> Token:
    from markdown_it.token import Token

    token = Token(TOC, "nav", 0, block=True, map=where.map)
    classes = [c for c in str(where.attrGet("class") or "").split() if c]
    token.attrs = {"class": " ".join(["toc", *classes])}
    return token


def _in_list(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """(opening, closing) of the list the inline token at ``index`` is the last text of."""
    depth = 0
    for start in range(index - 1, -1, -1):
        token = tokens[start]
        if token.nesting == -1:
            depth += 1
        elif token.nesting == 1:
            if depth:
                depth -= 1
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                end = _matching_close(tokens, start)
                return (start, end) if end is not None else None
    return None


def _matching_close(tokens: list[Token], start: int) -> int | None:
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return None


def _next_block(tokens: list[Token], index: int) -> int | None:
    """The block that starts right after the one closing at ``index``, for an attribute list on its own line."""
    if index < len(tokens) and tokens[index].nesting >= 0 and tokens[index].block:
        return index
    return None


def _apply(token: Token, written: str) -> None:
    """A block's id and classes from an attribute list; nothing else it says is applied."""
    for mark, name, key, value in _PART.findall(written):
        if mark == "#":
            token.attrSet("id", name)
        elif (mark == "." and name) or key == "class":
            classes = name.split() if mark else value.strip("\"'").split()
            safe = [c for c in classes if re.fullmatch(r"[\w-]+", c)]
            old = str(token.attrGet("class") or "").split()
            if safe:
                token.attrSet("class", " ".join(dict.fromkeys(old + safe)))
        elif key == "id" and re.fullmatch(r"[\w-]+", value.strip("\"'")):
            token.attrSet("id", value.strip("\"'"))


def _render_toc(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """The entry's headings that have an id, as nested lists of links."""
    found: list[tuple[int, str, str]] = []
    for index, token in enumerate(tokens):
        anchor = token.attrGet("id") if token.type == "heading_open" else None
        if anchor and index + 1 < len(tokens):
            text = "".join(c.content for c in tokens[index + 1].children or () if c.type in ("text", "code_inline"))
            found.append((int(token.tag[1]), str(anchor), text))
    if not found:
        return ""
    parts: list[str] = []
    levels: list[int] = []
    for level, anchor, text in found:
        while levels and level < levels[-1]:
            parts.append("</li></ul>")
            levels.pop()
        if levels and level == levels[-1]:
            parts.append("</li>")
        else:
            parts.append("<ul>")
            levels.append(level)
        parts.append(f'<li><a href="#{html.escape(anchor)}">{html.escape(text, quote=False)}</a>')
    parts.append("</li></ul>" * len(levels))
    attrs = html.escape(str(tokens[idx].attrGet("class") or "toc"))
    return f'<nav class="{attrs}">{"".join(parts)}</nav>\n'
