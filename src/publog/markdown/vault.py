"""Obsidian's Markdown, as markdown-it rules: callouts, ==highlights==, %% comments %% and #tags.

Callouts are also GitHub's alerts (``> [!NOTE]``), so they work in every journal,
as do the others: each is syntax plain CommonMark leaves as text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import quote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

TAG_LINK = "publog-entry:"  # a #tag links to its topic; the journal stage knows the topic's page
TAG_KEY = "#"  # a tag's key among an entry's links: "#sql"


def plugin(md: MarkdownIt) -> None:
    """Add the rules: comments first, so nothing inside one is ever seen by another rule."""
    md.core.ruler.after("block", "publog_comments", comments)
    md.core.ruler.after("publog_comments", "publog_callouts", callouts)
    md.inline.ruler.before("emphasis", "publog_mark", _mark)
    md.inline.ruler2.before("emphasis", "publog_mark", _mark_pairs)
    md.inline.ruler.after("publog_mark", "publog_tag", _tag)
    # After every rule that drops text (a private passage, privacy/passages.py), before text_join merges a tag's text away.
    md.core.ruler.before("text_join", "publog_tags", tags)


# --- comments ----------------------------------------------------------------------------------------

COMMENT = "%%"
# Jekyll's {% comment %} and kramdown's {::comment}: never published either. Group "end" is set on a closing mark.
_LIQUID_COMMENT = re.compile(r"{%-?\s*(?P<end>end)?comment\s*-?%}|{:(?::|(?P<close>/))comment}")


def code_span_bounds(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each backtick code span of inline ``text``, as CommonMark finds them."""
    pos = 0
    while True:
        start = text.find("`", pos)
        if start < 0:
            return
        run = start
        while run < len(text) and text[run] == "`":
            run += 1
        ticks = text[start:run]
        close = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(text, run)
        if close is None:
            pos = run  # no closing run: the backticks are text
            continue
        yield start, close.end()
        pos = close.end()


def outside_code(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the parts of inline ``text`` outside code spans."""
    pos = 0
    for start, end in code_span_bounds(text):
        yield pos, start
        pos = end
    yield pos, len(text)


def _without_comments(text: str, open_: str, hiding: list[str], hidden: list[str]) -> tuple[str, str]:
    """``text`` without its comments, and the mark of a comment still open at its end ('' for none).

    What a %% comment holds goes to ``hiding`` (the comment being read, a block a piece), and each
    comment ended to ``hidden``. A Liquid comment is the author's word to Jekyll, often a draft of
    what is published elsewhere: like ``private.passages``, the final scan does not watch it."""
    kept: list[str] = []
    pos = 0
    while True:
        if open_:
            close = _mark_at(text, pos, open_)
            if open_ == COMMENT:
                hiding.append(text[pos : close[0] if close else len(text)])
                if close is not None:
                    _ended(hiding, hidden)
            if close is None:
                return "".join(kept), open_
            pos, open_ = close[1], ""
            continue
        found = None
        for a, b in outside_code(text[pos:]):
            found = _comment_opening(text, pos + a, pos + b)
            if found is not None:
                break
        if found is None:
            kept.append(text[pos:])
            return "".join(kept), ""
        start, end, open_ = found
        kept.append(text[pos:start])
        pos = end


def _comment_opening(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The first comment opening in text[start:end]: (where, after it, its kind)."""
    marks = []
    percent = text.find(COMMENT, start, end)
    if percent >= 0:
        marks.append((percent, percent + len(COMMENT), COMMENT))
    liquid = _LIQUID_COMMENT.search(text, start, end)
    while liquid and (liquid.group("end") or liquid.group("close")):
        liquid = _LIQUID_COMMENT.search(text, liquid.end(), end)
    if liquid:
        marks.append((liquid.start(), liquid.end(), "liquid"))
    return min(marks) if marks else None


def _mark_at(text: str, pos: int, kind: str) -> tuple[int, int] | None:
    """Where the comment opened by ``kind`` closes in ``text`` from ``pos``."""
    if kind == COMMENT:
        found = text.find(COMMENT, pos)
        return (found, found + len(COMMENT)) if found >= 0 else None
    liquid = _LIQUID_COMMENT.search(text, pos)
    while liquid and not (liquid.group("end") or liquid.group("close")):
        liquid = _LIQUID_COMMENT.search(text, liquid.end())
    return (liquid.start(), liquid.end()) if liquid else None


def comments(state: StateCore) -> None:
    """Drop %% comments %% (and Liquid's {% comment %}), within a paragraph or across blocks, never in code.

    A core rule between block and inline parsing: blocks are known (so code blocks keep
    their %%), their text is not parsed yet. Blocks wholly inside a comment go; so do
    the containers (list items, quotes) a comment left empty.
    """
    tokens = state.tokens
    open_ = ""
    gone: set[int] = set()
    hiding: list[str] = []
    hidden: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "inline":
            if open_ or COMMENT in token.content or "comment" in token.content:
                before, was_open = token.content, open_
                token.content, open_ = _without_comments(before, open_, hiding, hidden)
                if was_open:
                    token.content = token.content.lstrip()  # a block's text starts where the comment ended
                if open_:
                    token.content = token.content.rstrip()
                if token.content != before and not token.content.strip():
                    gone.add(index)
        elif open_ and token.nesting == 0:
            gone.add(index)  # a code block, rule or HTML block inside a comment
            if open_ == COMMENT:
                hiding.append(hidden_block(token))
    _ended(hiding, hidden)  # a comment left open runs to the end of the entry
    record(state.env, hidden)
    if gone:
        drop_emptied(state, gone)


def drop_emptied(state: StateCore, gone: set[int]) -> None:
    """Take off the tokens ``gone`` and every container they leave empty (a list item, a quote)."""
    tokens = state.tokens
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(index)
        elif token.nesting == -1 and stack:
            start = stack.pop()
            inside = range(start + 1, index)
            if len(inside) and all(i in gone for i in inside):
                gone.update((start, index))
    state.tokens = [t for i, t in enumerate(tokens) if i not in gone]


# --- what the page does not show --------------------------------------------------------------------
# The final scan watches for what the token passes hid (%% comments here, private passages in privacy/passages.py):
# exactly what the renderer left out, so code that looks like a comment is not watched, nor is it hidden.

HIDDEN = "publog_hidden"  # markdown-it's env key: the text of each passage hidden


def hidden_text(blocks: list[str]) -> str:
    """One passage's text from the blocks a token pass hid, as Markdown for ``leaks.private_snippets``."""
    return "\n\n".join(text.strip("\n") for text in blocks if text.strip())


def hidden_block(token: Any) -> str:
    """A hidden block token's text: code stays fenced, so it is read as code."""
    if token.type in ("fence", "code_block"):
        return f"```\n{token.content}```"
    return str(token.content or "")


def _ended(hiding: list[str], hidden: list[str]) -> None:
    if text := hidden_text(hiding):
        hidden.append(text)
    hiding.clear()


def record(env: Any, passages: list[str]) -> None:
    """Add what a token pass hid to what ``markdown.render`` reports."""
    if passages and isinstance(env, dict):
        env.setdefault(HIDDEN, []).extend(passages)


# --- callouts -----------------------------------------------------------------------------------------

_CALLOUT = re.compile(r"^\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*(.*)$")


def callouts(state: StateCore) -> None:
    """> [!tip] Title: a callout (Obsidian) or alert (GitHub); with + or - after it, one that folds.

    A folding callout is a <details> element, so it opens and closes without JavaScript.
    """
    from markdown_it.token import Token

    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not (token.type == "blockquote_open" and index + 2 < len(tokens)
                and tokens[index + 1].type == "paragraph_open" and tokens[index + 2].type == "inline"):
            index += 1
            continue
        inline = tokens[index + 2]
        first, _, rest = inline.content.partition("\n")
        found = _CALLOUT.match(first)
        if not found:
            index += 1
            continue
        kind, fold, title = found.group(1).lower(), found.group(2), found.group(3).strip()
        close = _quote_end(tokens, index)
        folds = bool(fold)
        token.tag = tokens[close].tag = "details" if folds else "div"
        token.attrs = {"class": f"callout callout-{kind}", "data-callout": kind}
        if fold == "+":
            token.attrs["open"] = ""
        if not folds:
            token.attrs["role"] = "note"
        heading_tag = "summary" if folds else "p"
        opening = Token("callout_title_open", heading_tag, 1, attrs={"class": "callout-title"}, block=True, map=inline.map)
        text = Token("inline", "", 0, content=title or kind.replace("-", " ").capitalize(), map=inline.map, children=[])
        closing = Token("callout_title_close", heading_tag, -1, block=True)
        if rest.strip():
            inline.content = rest
            tokens[index + 1 : index + 1] = [opening, text, closing]
        else:
            tokens[index + 1 : index + 4] = [opening, text, closing]  # the paragraph held only the title line
        index += 1


def _quote_end(tokens: list[Any], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index].type == "blockquote_open":
            depth += 1
        elif tokens[index].type == "blockquote_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1


# --- ==highlights== ------------------------------------------------------------------------------------
# markdown-it-mark's rules, ported: == delimiters paired like ~~ ones, then turned into <mark>.


def _mark(state: StateInline, silent: bool) -> bool:
    from markdown_it.rules_inline.state_inline import Delimiter

    if silent or state.src[state.pos] != "=":
        return False
    scanned = state.scanDelims(state.pos, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        state.push("text", "", 0).content = "="
        length -= 1
    for _ in range(0, length, 2):
        state.push("text", "", 0).content = "=="
        if scanned.can_open or scanned.can_close:
            state.delimiters.append(Delimiter(marker=ord("="), length=0, token=len(state.tokens) - 1, end=-1,
                                              open=scanned.can_open, close=scanned.can_close))
    state.pos += scanned.length
    return True


def _mark_pairs(state: StateInline) -> None:
    _pair(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair(state, meta["delimiters"])


def _pair(state: StateInline, delimiters: list[Any]) -> None:
    lone = []
    for start in delimiters:
        if start.marker != ord("=") or start.end == -1:
            continue
        end = delimiters[start.end]
        for at, kind, nesting in ((start.token, "mark_open", 1), (end.token, "mark_close", -1)):
            token = state.tokens[at]
            token.type, token.tag, token.nesting, token.markup, token.content = kind, "mark", nesting, "==", ""
        if state.tokens[end.token - 1].type == "text" and state.tokens[end.token - 1].content == "=":
            lone.append(end.token - 1)
    # An odd run (===) left one '=' before the closing pair: move it after the closing tags.
    while lone:
        at = lone.pop()
        after = at + 1
        while after < len(state.tokens) and state.tokens[after].type == "mark_close":
            after += 1
        after -= 1
        if at != after:
            state.tokens[at], state.tokens[after] = state.tokens[after], state.tokens[at]


# --- #tags ---------------------------------------------------------------------------------------------

# Obsidian's tags: letters, digits, _, - and / (nested tags), with at least one that is no digit.
_TAG = re.compile(r"#([\w/-]+)")


def _tag(state: StateInline, silent: bool) -> bool:
    """#tag, after a space or at the start of a line: one of the entry's topics, linked to its page."""
    src, pos = state.src, state.pos
    if src[pos] != "#" or (pos > 0 and not src[pos - 1].isspace() and src[pos - 1] not in "(["):
        return False
    found = _TAG.match(src, pos)
    if not found:
        return False
    tag = found.group(1).rstrip("/-")
    if not any(c.isalpha() for c in tag):
        return False  # "#1", "#2024": numbers, not tags
    if not silent:
        state.env["publog_tagged"] = True
        if state.linkLevel > 0:  # inside a link's text: no link in a link
            text = state.push("text", "", 0)
        else:
            link = state.push("link_open", "a", 1)
            link.attrs = {"href": TAG_LINK + quote(TAG_KEY + tag), "class": "tag"}
            link.markup = "tag"
            text = state.push("text", "", 0)
            state.push("link_close", "a", -1)
        text.content = "#" + tag
        text.meta["publog_tag"] = tag
    state.pos = pos + 1 + len(tag)
    return True


def tags(state: StateCore) -> None:
    """The entry's #tags, in order, from what is left of its text once everything is parsed."""
    if not state.env.get("publog_tagged"):
        return
    found = state.env.setdefault("publog_tags", [])
    stack = [token for token in reversed(state.tokens) if token.type == "inline"]
    while stack:
        token = stack.pop()
        if token.type == "text" and token.meta and "publog_tag" in token.meta:
            found.append(token.meta["publog_tag"])
        stack.extend(reversed(token.children or ()))
