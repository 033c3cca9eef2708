"""An entry's Markdown body -> HTML, plus what the journal needs to know of it.

The HTML depends on the entry's own text only, so it can be cached by the
file's hash: links to other entries and to files next to entries are written
as placeholders (``publog-entry:PATH``, ``publog-file:PATH``) that the render
stage turns into URLs once the journal knows where everything lives.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Sequence
from urllib.parse import quote, unquote, urlsplit

from .load import Source

if TYPE_CHECKING:  # markdown-it loads only when something is rendered: a rebuild with no change needs none
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

ENTRY_LINK = "publog-entry:"
FILE_LINK = "publog-file:"
WIKI_LINK = "publog-wiki:"  # [[target]]: resolved by name once the journal knows every entry
ENTRY_SUFFIXES = (".md", ".markdown", ".mdown")
# Bump when the HTML this module writes changes, so cached HTML is not reused.
VERSION = "6"

_SUMMARY_CHARS = 240


@dataclass(frozen=True)
class Reference:
    """A link from an entry's body to another entry or to a file of the journal."""

    target: str  # journal-relative posix path, "/..." for a path from the root, or a wiki link's target
    line: int
    to_entry: bool
    wiki: bool = False
    context: str = ""  # the sentence around a link to an entry, for the target's backlinks


@dataclass(frozen=True)
class Rendered:
    html: str
    references: tuple[Reference, ...]
    summary: str
    words: int


def render(source: Source) -> Rendered:
    md = _renderer()
    env: dict[str, Any] = {"publog_source": source, "publog_refs": []}
    tokens = md.parse(source.body, env)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html,
        references=tuple(env["publog_refs"]),
        summary=_summary(tokens),
        words=len(source.body.split()),
    )


@functools.cache
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = (
        MarkdownIt("commonmark", {"highlight": _highlight})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin, label=True)  # a checkbox needs a label to be accessible
        .use(anchors_plugin, min_level=2, max_level=6)
    )
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.core.ruler.push("publog_links", _links_rule)
    for rule in ("fence", "code_block"):
        md.add_render_rule(rule, _focusable(md.renderer.rules[rule]))
    return md


def _focusable(render: Any) -> Any:
    """Code blocks scroll sideways, and a scrolling region must be reachable by keyboard."""

    def rule(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        return str(render(tokens, idx, options, env)).replace("<pre>", '<pre tabindex="0">', 1)

    return rule


def _wikilink(state: StateInline, silent: bool) -> bool:
    """[[target]], [[target|text]], [[target#Heading]] as Obsidian writes them.

    An inline rule, so code spans and code blocks keep their brackets. The target
    is resolved by name in the journal stage; here it becomes a placeholder.
    """
    src, start = state.src, state.pos
    if not src.startswith("[[", start):
        return False
    end = src.find("]]", start + 2)
    inner = src[start + 2 : end] if end > 0 else ""
    if not inner.strip() or "\n" in inner or "[" in inner or "]" in inner:
        return False
    if not silent:
        target, _, label = inner.partition("|")
        target, _, heading = target.partition("#")
        target = " ".join(target.split())
        named = not label.strip()  # the text is the target's name, which a private target must not show
        if named:
            label = target + (f" › {heading.strip()}" if heading.strip() else "") if target else heading.strip()
        fragment = "#" + _heading_id(heading) if heading.strip() else ""
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": (WIKI_LINK + quote(target) if target else "") + fragment}
        if named and target:
            token.attrs["data-publog-named"] = ""
        token.markup = "wikilink"
        text = state.push("text", "", 0)
        text.content = label.strip()
        if named and target:
            text.meta["publog_name_of"] = target
        state.push("link_close", "a", -1)
    state.pos = end + 2
    return True


def _heading_id(heading: str) -> str:
    """The id the anchors plugin gives a heading of this text."""
    from mdit_py_plugins.anchors.index import slugify

    return str(slugify(heading.strip()))


def _links_rule(state: StateCore) -> None:
    """Turn relative links into placeholders and record them as references."""
    source: Source = state.env["publog_source"]
    refs: list[Reference] = state.env["publog_refs"]
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = source.body_line + (block.map[0] if block.map else 0)
        text: list[str] = []
        to_entries: list[tuple[int, Reference]] = []  # (position in the block's text, link)
        for token in _walk(block.children):
            if token.type in ("softbreak", "hardbreak"):
                line += 1  # the link's own line, not its paragraph's first
                text.append(" ")
                continue
            if token.type in ("text", "code_inline"):
                text.append(_plain(token))
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is None:
                continue
            href = str(token.attrGet(attr) or "")
            if token.markup == "wikilink":
                if href.startswith(WIKI_LINK):
                    target = unquote(href[len(WIKI_LINK) :].split("#", 1)[0])
                    to_entries.append((len("".join(text)), Reference(target, line, True, wiki=True)))
                continue
            rewritten = _placeholder(href, source.path, line, refs)
            if rewritten is not None:
                token.attrSet(attr, rewritten)
                if refs[-1].to_entry:
                    to_entries.append((len("".join(text)), refs.pop()))
        if to_entries:
            whole = "".join(text)
            refs.extend(replace(ref, context=_sentence(whole, at)) for at, ref in to_entries)


_SENTENCE_END = re.compile(r"[.!?…](?=\s)")
_CONTEXT_CHARS = 280


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` around position ``at``, cut to a readable length."""
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
    start = starts[-1] if starts else 0
    found = _SENTENCE_END.search(text, at)
    end = found.end() if found else len(text)
    sentence = " ".join(text[start:end].split())
    if len(sentence) > _CONTEXT_CHARS:
        sentence = sentence[:_CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def _walk(tokens: Sequence[Token]) -> Any:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _placeholder(href: str, path: str, line: int, refs: list[Reference]) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith("//"):
        return None
    target = unquote(parts.path)
    to_entry = target.lower().endswith(ENTRY_SUFFIXES)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if target.startswith("/"):
        target = "/" + posixpath.normpath(target).lstrip("/")
        if not to_entry:
            # A path of the site such as /about/: it needs the base path, nothing else.
            return FILE_LINK + quote(target) + fragment
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    refs.append(Reference(target, line, to_entry))
    return (ENTRY_LINK if to_entry else FILE_LINK) + quote(target) + fragment


# Marks a wiki link's text that is its target's name: "\ue000target\ue002text\ue001". The journal
# stage, which knows whether the target is private, turns it back into the text or hides it.
NAME_START, NAME_SEP, NAME_END = "\ue000", "\ue002", "\ue001"


def _plain(token: Token) -> str:
    target = token.meta.get("publog_name_of") if token.meta else None
    return f"{NAME_START}{target}{NAME_SEP}{token.content}{NAME_END}" if target else token.content


def _summary(tokens: Sequence[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            children = tokens[index + 1].children or []
            text = "".join(
                " " if c.type in ("softbreak", "hardbreak") else _plain(c)
                for c in _walk(children)
                if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            text = re.sub(r"\s+", " ", text).strip()
            if not text:
                continue
            if len(text) > _SUMMARY_CHARS:
                text = text[:_SUMMARY_CHARS]
                if text.rfind(NAME_START) > text.rfind(NAME_END):
                    text = text[: text.rfind(NAME_START)]  # never half a marked name
                text = text.rsplit(" ", 1)[0].rstrip(",;:.") + "…"
            return text
    return ""


@functools.lru_cache(maxsize=2048)
def _highlight_cached(code: str, lang: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    return str(highlight(code, lexer, HtmlFormatter(nowrap=True)))


def _highlight(code: str, lang: str, attrs: str) -> str:
    """Pygments at build time; an unknown language falls back to plain escaped code."""
    return _highlight_cached(code, lang.lower()) if lang else ""
