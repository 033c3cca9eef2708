"""An entry's Markdown body -> HTML, plus what the journal needs to know of it.

The HTML depends on the entry's own text only, so it can be cached by the
file's hash: links to other entries and to files next to entries are written
as placeholders (``publog-entry:PATH``, ``publog-file:PATH``) that the render
stage turns into URLs once the journal knows where everything lives. A note
embedded with ``![[note]]`` is a placeholder too (see markdown/embeds.py): its HTML is
the other note's, known only once the journal knows what is published.

Obsidian's syntax (callouts, highlights, comments, #tags) is in markdown/vault.py; what
Hugo and Jekyll leave in a body (shortcodes, Liquid) in markdown/generators.py.
"""

from __future__ import annotations

import functools
import html as html_mod
import posixpath
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Sequence
from urllib.parse import quote, unquote, urlsplit

from . import generators, highlights, math, vault
from ..privacy import passages as private
from .known_tags import REF_LINK
from .syntax import Notice
from ..read.load import Source
from ..problems import Problem

if TYPE_CHECKING:  # markdown-it loads only when something is rendered: a rebuild with no change needs none
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

ENTRY_LINK = "publog-entry:"
FILE_LINK = "publog-file:"
WIKI_LINK = "publog-wiki:"  # [[target]]: resolved by name once the journal knows every entry
from ..read.load import ENTRY_SUFFIXES  # noqa: E402  (which files are entries is read/'s to say)
# Bump when the HTML this module writes changes, so cached HTML is not reused.
VERSION = "19"
EMBED_ATTR = "data-publog-embed"  # on the placeholder of a note embedded with ![[note]]
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico")
AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".ogg", ".flac", ".3gp")
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogv", ".mov", ".mkv")

_SUMMARY_CHARS = 240


@dataclass(frozen=True)
class Reference:
    """A link from an entry's body to another entry or to a file of the journal."""

    target: str  # journal-relative posix path, "/..." for a path from the root, or a wiki link's target
    line: int
    to_entry: bool
    wiki: bool = False
    context: str = ""  # the sentence around a link to an entry, for the target's backlinks
    embed: bool = False  # ![[note]]: the note's text is shown here


@dataclass(frozen=True)
class Rendered:
    html: str
    references: tuple[Reference, ...]
    summary: str
    words: int
    tags: tuple[str, ...] = ()  # inline #tags, as written, in order
    notices: tuple[Notice, ...] = ()  # what only the old generator could run (see markdown/generators.py)
    problems: tuple[Problem, ...] = ()  # warnings: math that cannot be shown as MathML (markdown/math.py)
    # The text of each passage the page leaves out (%% comments, private passages), as Markdown: what the
    # final scan watches for, read from the tokens, so code that looks like a comment is neither.
    hidden: tuple[str, ...] = ()


def render(source: Source, syntax: generators.Syntax = generators.Syntax()) -> Rendered:
    """``source``'s body as HTML; ``syntax`` says what the journal's old generator ran in a body."""
    md = _renderer()
    env: dict[str, Any] = {"publog_source": source, "publog_refs": [], "publog_tags": [], "publog_notices": [],
                           "publog_syntax": syntax}
    tokens = md.parse(source.body, env)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html,
        references=tuple(env["publog_refs"]),
        summary=_summary(tokens),
        words=len(private.blanked(source.body).split()),  # a private passage's length is private too
        tags=tuple(dict.fromkeys(env["publog_tags"])),
        notices=tuple(env["publog_notices"]),
        problems=tuple(env.get("publog_math_problems", ())),
        hidden=tuple(env.get(vault.HIDDEN, ())),
    )


@functools.cache
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = (
        MarkdownIt("commonmark", {"highlight": highlights.pygments_html})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin, label=True)  # a checkbox needs a label to be accessible
        .use(anchors_plugin, min_level=2, max_level=6)
    )
    math.plugin(md)  # first, so nothing else reads inside a formula
    vault.plugin(md)
    generators.plugin(md)
    private.plugin(md)
    md.block.ruler.before("table", "publog_table_wikilinks", _table_wikilinks, {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.core.ruler.push("publog_embeds", _embeds_rule)
    md.core.ruler.push("publog_links", _links_rule)
    md.core.ruler.push("publog_table_pipes", _table_pipes)
    for rule in ("fence", "code_block"):
        md.add_render_rule(rule, _focusable(md.renderer.rules[rule]))
    md.add_render_rule("table_open", _focusable_table)
    md.add_render_rule("publog_embed", _render_embed)
    md.add_render_rule("publog_media", _render_media)
    return md


def _focusable(render: Any) -> Any:
    """Code blocks scroll sideways, and a scrolling region must be reachable by keyboard."""

    def rule(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        return str(render(tokens, idx, options, env)).replace("<pre>", '<pre tabindex="0">', 1)

    return rule


def _focusable_table(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """A wide table scrolls sideways on a phone, so it too must be reachable by keyboard."""
    tokens[idx].attrSet("tabindex", "0")
    return str(self.renderToken(tokens, idx, options, env))


# A pipe inside a wiki link in a table row: [[note|text]] is one cell, as Obsidian and Quartz read it.
# One character for one, so that no line offset markdown-it keeps (a blockquote's among them) moves.
WIKI_PIPE = "\ufdd0"
_WIKI_IN_ROW = re.compile(r"!?\[\[[^\[\]\n]*\]\]")
_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*")


def _table_wikilinks(state: Any, start: int, end: int, silent: bool) -> bool:
    """Before the table rule reads a table's rows, the pipes of its wiki links stop splitting cells.

    Never a block of its own: the table rule that follows parses the rows.
    """
    if start + 1 >= end:
        return False
    line = state.src[state.bMarks[start + 1] + state.tShift[start + 1] : state.eMarks[start + 1]]
    if "-" not in line or not _DELIMITER_ROW.fullmatch(line):
        return False
    src, row = state.src, start
    while row < end and not state.isEmpty(row):
        begin, finish = state.bMarks[row], state.eMarks[row]
        text = src[begin:finish]
        if "|" not in text:
            break  # a row has cells; a line without one (a code fence) is no row
        if "[[" in text:
            text = _WIKI_IN_ROW.sub(lambda link: re.sub(r"(?<!\\)\|", WIKI_PIPE, link.group()), text)
            src = src[:begin] + text + src[finish:]
        row += 1
    if src is not state.src:
        state.src = src
        state.env["publog_wiki_pipes"] = True
    return False


def _table_pipes(state: StateCore) -> None:
    """A wiki link pipe no wiki link took (one in a code span) is shown as written."""
    if not state.env.get("publog_wiki_pipes"):
        return
    for token in generators._all(state.tokens):
        if WIKI_PIPE in token.content:
            token.content = token.content.replace(WIKI_PIPE, "|")


def _wikilink(state: StateInline, silent: bool) -> bool:
    """[[target]], [[target|text]], [[target#Heading]] as Obsidian writes them; and ![[embeds]].

    An inline rule, so code spans and code blocks keep their brackets. The target
    is resolved by name in the journal stage; here it becomes a placeholder.
    """
    src, start = state.src, state.pos
    embed = src.startswith("![[", start)
    if embed:
        start += 1
    elif not src.startswith("[[", start):
        return False
    end = src.find("]]", start + 2)
    # In a table a pipe is written \| (Obsidian's advice) or not at all (see _table_wikilinks).
    inner = (src[start + 2 : end] if end > 0 else "").replace(WIKI_PIPE, "|").replace("\\|", "|")
    if not inner.strip() or "\n" in inner or "[" in inner or "]" in inner:
        return False
    if not embed and src.startswith("(", end + 2):
        return False  # [[text]](url): a Markdown link whose text is in brackets, as Jekyll and GitHub read it
    if embed and not silent and _embed_file(state, inner):
        state.pos = end + 2
        return True
    if not silent:
        target, _, label = inner.partition("|")
        target, _, heading = target.partition("#")
        target = target.strip()  # spaces kept: Obsidian finds the note named exactly so first
        named = not label.strip()  # the text is the target's name, which a private target must not show
        if named:
            label = target + (f" › {heading.strip()}" if heading.strip() else "") if target else heading.strip()
        fragment = "#" + _heading_id(heading) if heading.strip() else ""
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": (WIKI_LINK + quote(target) if target else "") + fragment}
        if named and target:
            token.attrs["data-publog-named"] = ""
        token.markup = "wikilink"
        if embed and target:
            token.meta["embed"] = heading.strip()  # "" for the whole note
            state.env["publog_embeds"] = True
        text = state.push("text", "", 0)
        text.content = label.strip()
        if named and target:
            text.meta["publog_name_of"] = target
        state.push("link_close", "a", -1)
    state.pos = end + 2
    return True


def _embed_file(state: StateInline, inner: str) -> bool:
    """![[image.png]], ![[image.png|300]], ![[talk.mp3]]: a file shown in place. False if no such file."""
    target, _, label = inner.partition("|")
    target = " ".join(target.split("#", 1)[0].split())
    suffix = posixpath.splitext(target)[1].lower()
    if suffix not in IMAGE_SUFFIXES + AUDIO_SUFFIXES + VIDEO_SUFFIXES:
        return False
    src = WIKI_LINK + quote(target)
    if suffix in IMAGE_SUFFIXES:
        size = re.fullmatch(r"\s*(\d+)(?:x(\d+))?\s*", label)
        alt = "" if size else label.strip()
        token = state.push("image", "img", 0)
        token.attrs = {"src": src, "alt": ""}
        if size:
            token.attrs["width"] = size.group(1)
            if size.group(2):
                token.attrs["height"] = size.group(2)
        from markdown_it.token import Token

        token.children = [Token("text", "", 0, content=alt)] if alt else []  # the renderer reads alt from these
        token.content = alt
    else:
        token = state.push("publog_media", "audio" if suffix in AUDIO_SUFFIXES else "video", 0)
        token.attrs = {"src": src}
    token.markup = "wikiembed"
    return True


def _embeds_rule(state: StateCore) -> None:
    """![[note]] in a paragraph shows the note there (see markdown/embeds.py), as Obsidian does.

    A paragraph of nothing but embeds becomes their placeholders. An embed in a sentence stays a
    link to the note, and the note follows the paragraph: its blocks cannot go inside one.
    """
    if not state.env.get("publog_embeds"):
        return  # most entries embed nothing: no need to look at every paragraph
    source: Source = state.env["publog_source"]
    tokens = state.tokens
    for index in range(len(tokens) - 2, 0, -1):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 1].type != "paragraph_open":
            continue
        children = inline.children or []  # flat: emphasis and links are open and close tokens
        found = [n for n, c in enumerate(children) if c.type == "link_open" and "embed" in c.meta]
        if not found:
            continue
        placeholders = [_embed_placeholder(children[n], children[n + 1].content, inline.map) for n in found]
        rest = [c for c in children if not (c.type in ("softbreak", "hardbreak") or c.type == "text" and not c.content.strip())]
        if len(rest) > 3 * len(found):
            for n in found:
                children[n].meta["publog_shown"] = True  # its reference is an embed's (see _links_rule)
            tokens[index + 2 : index + 2] = placeholders
            continue
        for n in found:
            href = str(children[n].attrGet("href") or "")
            line = source.body_line + (inline.map[0] if inline.map else 0)
            line += sum(c.type in ("softbreak", "hardbreak") for c in children[:n])
            state.env["publog_refs"].append(Reference(unquote(href[len(WIKI_LINK) :].split("#", 1)[0]), line, True,
                                                      wiki=True, embed=True))
        tokens[index - 1 : index + 2] = placeholders


def _embed_placeholder(link: Token, text: str, lines: list[int] | None) -> Token:
    from markdown_it.token import Token

    placeholder = Token("publog_embed", "div", 0, block=True, map=lines)
    placeholder.meta = {"href": str(link.attrGet("href") or ""), "named": link.attrGet("data-publog-named") is not None,
                        "text": text}
    return placeholder


def _render_embed(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """The placeholder of an embedded note: a link to it, until the render stage puts the note there."""
    meta = tokens[idx].meta
    href = html_mod.escape(meta["href"])
    named = ' data-publog-named=""' if meta["named"] else ""
    key = href[len(WIKI_LINK) :]
    return (f'<div class="embed" {EMBED_ATTR}="{key}"><p><a href="{href}"{named}>'
            f"{html_mod.escape(meta['text'], quote=False)}</a></p></div>\n")


def _render_media(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return f'<{token.tag} controls src="{html_mod.escape(str(token.attrGet("src")))}"></{token.tag}>'


def _heading_id(heading: str) -> str:
    """The id the anchors plugin gives a heading of this text."""
    from mdit_py_plugins.anchors.index import slugify

    return str(slugify(heading.strip()))


def _links_rule(state: StateCore) -> None:
    """Turn relative links into placeholders and record them as references."""
    source: Source = state.env["publog_source"]
    refs: list[Reference] = state.env["publog_refs"]
    for block in state.tokens:
        if block.type == "html_block":
            block.content = _html_links(block.content, source, source.body_line + (block.map[0] if block.map else 0), refs)
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
            if token.type in ("text", "code_inline", math.INLINE, math.INLINE_DOUBLE):
                text.append(_token_text(token))
            elif token.type == "html_inline":
                token.content = _html_links(token.content, source, line, refs)
            attr = "href" if token.type == "link_open" else "src" if token.type in ("image", "publog_media") else None
            if attr is None or token.markup == "tag":
                continue
            href = str(token.attrGet(attr) or "")
            if token.markup in ("wikilink", "wikiembed"):
                if href.startswith(WIKI_LINK):
                    target = unquote(href[len(WIKI_LINK) :].split("#", 1)[0])
                    reference = Reference(target, line, token.markup == "wikilink", wiki=True,
                                          embed="publog_shown" in token.meta)
                    to_entries.append((len("".join(text)), reference))
                continue
            if href.startswith(REF_LINK):  # Hugo's ref and Jekyll's post_url name an entry as a wiki link does
                target, hash_, fragment = unquote(href[len(REF_LINK) :]).partition("#")
                token.attrSet(attr, WIKI_LINK + quote(target) + hash_ + fragment)
                to_entries.append((len("".join(text)), Reference(target, line, True, wiki=True)))
                continue
            known = len(refs)
            rewritten = _placeholder(href, source.path, line, refs)
            if rewritten is not None:
                token.attrSet(attr, rewritten)
                if len(refs) > known and refs[-1].to_entry:  # a link to a tag's page records no reference
                    to_entries.append((len("".join(text)), refs.pop()))
        if to_entries:
            whole = "".join(text)
            refs.extend(replace(ref, context=_sentence(whole, at)) for at, ref in to_entries)


# An address in raw HTML (<img src="chart.png">, <a href="{% post_url x %}">): resolved as a Markdown link's.
_HTML_LINK = re.compile(r"""(\s(?:src|href)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.I)


def _html_links(written: str, source: Source, line: int, refs: list[Reference]) -> str:
    """Raw HTML with its relative addresses as placeholders, each recorded as a reference."""
    if "src" not in written and "href" not in written:
        return written

    def one(match: re.Match[str]) -> str:
        value = html_mod.unescape(match.group(2) if match.group(2) is not None else match.group(3))
        at = line + written.count("\n", 0, match.start())
        if value.startswith(REF_LINK):
            target = unquote(value[len(REF_LINK) :]).partition("#")[0]
            refs.append(Reference(target, at, True, wiki=True))
            return f'{match.group(1)}"{WIKI_LINK}{value[len(REF_LINK):]}"'
        rewritten = _placeholder(value, source.path, at, refs)
        return match.group(0) if rewritten is None else f'{match.group(1)}"{html_mod.escape(rewritten)}"'

    return _HTML_LINK.sub(one, written)


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


# Pelican's links: {filename}/x.md to a source file, {static}/x.png to a file, {tag}sql to a tag's page.
_PELICAN = re.compile(r"^(?:\{(\w+)\}|\|(\w+)\|)")
_PELICAN_FILES = ("filename", "static", "attach")


def _placeholder(href: str, path: str, line: int, refs: list[Reference]) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith("//"):
        return None
    target = unquote(parts.path)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    pelican = _PELICAN.match(target)
    if pelican:
        kind, rest = pelican.group(1) or pelican.group(2), target[pelican.end() :]
        if kind in ("tag", "category"):
            from ..urls import slugify

            return FILE_LINK + quote(f"/topics/{slugify(rest)}/") + fragment
        if kind not in _PELICAN_FILES:
            return FILE_LINK + "/" + fragment  # {index}, {author}: publog has the home page
        target = rest  # with a leading slash from the content folder, else from the file, as below
    to_entry = target.lower().endswith(ENTRY_SUFFIXES)
    if target.startswith("/"):
        # normpath drops a trailing slash, which a site path such as /about/ needs on hosts that do not redirect
        target = "/" + posixpath.normpath(target).lstrip("/") + ("/" if target.endswith("/") and target.strip("/") else "")
        if not to_entry:
            # A path of the site such as /about/, or a file of the journal (/images/chart.png) that
            # the journal stage copies when it exists; either way it needs the base path, nothing else.
            refs.append(Reference(target, line, False))
            return FILE_LINK + quote(target) + fragment
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    refs.append(Reference(target, line, to_entry))
    return (ENTRY_LINK if to_entry else FILE_LINK) + quote(target) + fragment


# Marks a wiki link's text that is its target's name: "\ue000target\ue002text\ue001". The journal
# stage, which knows whether the target is private, turns it back into the text or hides it.
NAME_START, NAME_SEP, NAME_END = "\ue000", "\ue002", "\ue001"


def _token_text(token: Token) -> str:
    """A token's text as summaries and backlink sentences show it: a code span keeps its backticks, so
    that `![[Home]]` written as code is shown as code (see render's code_spans), never as a link's syntax."""
    if token.type == "code_inline":
        fence = "`" * (max((len(r) for r in re.findall("`+", token.content)), default=0) + 1)
        pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
        return f"{fence}{pad}{token.content}{pad}{fence}"
    target = token.meta.get("publog_name_of") if token.meta else None
    return f"{NAME_START}{target}{NAME_SEP}{token.content}{NAME_END}" if target else token.content


def _summary(tokens: Sequence[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            children = tokens[index + 1].children or []
            text = "".join(
                " " if c.type in ("softbreak", "hardbreak") else _token_text(c)
                for c in _walk(children)
                if c.type in ("text", "code_inline", "softbreak", "hardbreak", math.INLINE, math.INLINE_DOUBLE)
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
