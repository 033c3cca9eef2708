"""Code blocks other generators write as tags: Jekyll's ``{% highlight %}``, Hugo's highlight shortcode.

``{% highlight python linenos %}`` ... ``{% endhighlight %}`` and ``{{< highlight go >}}`` ...
``{{< /highlight >}}`` are fenced code blocks to their generators, so they are to publog: a block
rule claims their lines before any other rule reads them, and a ``# comment`` inside stays
code. A theme's own shortcode whose template calls ``highlight`` (read from the site's
``layouts/shortcodes/``, see generators.syntax_of) is one too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

_LIQUID = re.compile(r"{%-?\s*highlight\s+(?P<args>[^%]*?)\s*-?%}")
_SHORTCODE = re.compile(r"{{(?P<delim>[<%])\s*(?P<name>[\w.-]+)(?P<args>(?:\s[^>%]*?)?)\s*[>%]}}")
_QUOTED = re.compile(r"""^(["'])(.*)\1$""")


def plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "publog_highlight", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]})


def _opening(line: str, highlighting: dict[str, str]) -> tuple[re.Pattern[str], str, int] | None:
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
    opened = _opening(first, dict(syntax.highlighting) if syntax is not None else {})
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
