"""Code highlighting: Pygments at build time, and the code blocks other generators write as tags,
Jekyll's ``{% highlight %}`` and Hugo's highlight shortcode.

``{% highlight python linenos %}`` ... ``{% endhighlight %}`` and ``{{< highlight go >}}`` ...
``{{< /highlight >}}`` are fenced code blocks to their generators, so they are to publog: a block
rule claims their lines before any other rule reads them, and a ``# comment`` inside stays
code. A theme's own shortcode whose template calls ``highlight`` (read from the site's
``layouts/shortcodes/``, see generators.syntax_of) is one too. So is Pelican's
``{% include_code FILE [lang:LANG] [TITLE] %}`` where its liquid_tags plugin is on: the file's
code under its title, as the plugin shows it.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from .syntax import Notice, included_code

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

_LIQUID = re.compile(r"{%-?\s*highlight\s+(?P<args>[^%]*?)\s*-?%}")
_SHORTCODE = re.compile(r"{{(?P<delim>[<%])\s*(?P<name>[\w.-]+)(?P<args>(?:\s[^>%]*?)?)\s*[>%]}}")
_QUOTED = re.compile(r"""^(["'])(.*)\1$""")
_INCLUDE = re.compile(r"{%-?\s*include_code\s+(?P<args>[^%]*?)\s*-?%}\s*$")


def plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "publog_highlight", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]})


def _highlight_opening(line: str, highlighting: dict[str, str]) -> tuple[re.Pattern[str], str, int] | None:
    """(the closing tag, the language, where the opening tag ends) when ``line`` opens a highlight block."""
    found = _LIQUID.match(line)
    if found:
        words = found.group("args").split()
        language = _QUOTED.sub(r"\2", words[0]) if words else ""
        return re.compile(r"{%-?\s*endhighlight\s*-?%}"), language, found.end()
    found = _SHORTCODE.match(line)
    if not found:
        return None
    name = found.group("name")
    if name != "highlight" and name not in highlighting:
        return None
    words = found.group("args").split()
    language = highlighting.get(name) or (_QUOTED.sub(r"\2", words[0]) if words else "")
    closing = re.compile(r"{{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]}}")
    return closing, language, found.end()


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    first = state.src[begin : state.eMarks[start]]
    if not first.startswith("{"):
        return False
    syntax = state.env.get("publog_syntax")
    if syntax is not None and "include_code" in syntax.liquid_tags and _INCLUDE.match(first):
        return _included(state, start, first, silent)
    opened = _highlight_opening(first, dict(syntax.highlighting) if syntax is not None else {})
    if opened is None:
        return False
    closing, language, after = opened
    rest = first[after:]
    # The closing tag may end the opening line, a line of its own, or the last line of code.
    last, tail = start, closing.search(rest)
    if tail is None:
        last = start + 1
        while last < end:
            tail = closing.search(state.src, state.bMarks[last], state.eMarks[last])
            if tail is not None:
                break
            last += 1
        if tail is None:
            return False  # no closing tag: the generator would fail; publog leaves the text as it is
    if silent:
        return True
    indent = state.sCount[start]
    if last == start:
        code = rest[: tail.start()].strip() + "\n"
    else:
        lines = [rest.strip() + "\n"] if rest.strip() else []
        lines.append(state.getLines(start + 1, last, indent, True))
        before = state.src[state.bMarks[last] : tail.start()]
        if before.strip():
            lines.append(before[min(len(before) - len(before.lstrip()), indent) :].rstrip() + "\n")
        code = "".join(lines)
    token = state.push("fence", "code", 0)
    token.info = language
    token.content = code
    token.markup = "```"
    token.map = [start, last + 1]
    state.line = last + 1
    return True


def _included(state: StateBlock, start: int, line: str, silent: bool) -> bool:
    """``{% include_code %}`` on a line of its own: the file's code under its title, or a warning."""
    if silent:
        return True
    found = _INCLUDE.match(line)
    assert found is not None
    words = found.group("args").split()
    name = words[0] if words else ""
    language = next((w[5:] for w in words[1:2] if w.startswith("lang:")), "")
    title = " ".join(w for w in words[1:] if not w.startswith("lang:") and not (w.startswith(":") and w.endswith(":")))
    title = _QUOTED.sub(r"\2", title) or name.rsplit("/", 1)[-1]
    code, why = included_code(state.env["publog_syntax"], name) if name else (None, "no_code")
    state.line = start + 1
    if code is None:
        source = state.env.get("publog_source")
        at = (source.body_line if source is not None else 1) + start
        shown = " ".join(line.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        state.env.setdefault("publog_notices", []).append(Notice(at, "liquid", shown, why))
        return True
    opening = state.push("html_block", "", 0)
    opening.content = f'<figure class="code">\n<figcaption>{_escaped(title)}</figcaption>\n'
    opening.map = [start, start + 1]
    token = state.push("fence", "code", 0)
    token.info = language
    token.content = code if code.endswith("\n") or not code else code + "\n"
    token.markup = "```"
    token.map = [start, start + 1]
    closing = state.push("html_block", "", 0)
    closing.content = "</figure>\n"
    return True


def _escaped(text: str) -> str:
    # A brace is written as an entity so that no later rule reads the title as a tag.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("{", "&#123;")


@functools.lru_cache(maxsize=2048)
def _highlight_cached(code: str, lang: str) -> str:
    from pygments import highlight

    found = _lexer(lang)
    return "" if found is None else str(highlight(code, found[0], found[1]))


@functools.lru_cache(maxsize=256)
def _lexer(lang: str) -> Any:
    """The lexer and formatter of a language, or None: Pygments looks a name up through every lexer it
    knows (a fifth of a millisecond), which showed in journals with a code block in most entries."""
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang), HtmlFormatter(nowrap=True)
    except ClassNotFound:
        return None


def ready(lang: str) -> None:
    """Make the highlighter of ``lang`` before its first code block, which would otherwise wait while its rules compile."""
    _lexer(lang.lower())


def pygments_html(code: str, lang: str, attrs: str) -> str:
    """Pygments at build time; an unknown language falls back to plain escaped code."""
    return _highlight_cached(code, lang.lower()) if lang else ""


# A block to its first </pre>, as <pre\b.*?</pre> with DOTALL finds it, without trying </pre> at every character after it.
_CODE = re.compile(r"<pre\b[^<]*(?:<(?!/pre>)[^<]*)*</pre>")
_TOKEN = re.compile(r"<span\b[^>]*>|</span>")


def unhighlighted(html: str) -> str:
    """``html`` with its code blocks' highlighting taken out, their text kept: for readers that have none of
    the site's style sheet (feed readers) or read only the words (the search index), to which the spans
    only weigh, most of all in long entries with code."""
    if "<pre" not in html:
        return html
    return _CODE.sub(lambda block: _TOKEN.sub("", block.group(0)), html)
