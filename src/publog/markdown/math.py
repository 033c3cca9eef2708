"""TeX math in a body -> MathML at build time, so a page shows its math with no script.

Where math starts and ends follows the dollar-math rules of GitHub and Obsidian:
``$x$`` inline, ``$$...$$`` on lines of their own for display; an opening ``$``
is not followed by a space, a closing one not preceded by a space nor followed
by a digit, so "it costs $5 and $10" stays text. kramdown (Jekyll) writes inline
math as ``$$...$$`` inside a sentence, which is inline here too. MathJax's
``\\(...\\)`` and ``\\[...\\]`` are math as well, and so are ``\\\\(...\\\\)``, which a
Markdown page escapes once so that MathJax sees ``\\(``. Inside math nothing is
Markdown: no emphasis, no escapes, so ``x_i ... x_j`` and a ``\\\\`` at a line's
end reach the converter as written. Code spans and code blocks keep their dollars.

The MathML carries its TeX in an ``<annotation encoding="application/x-tex">``,
which a reader without MathML (some feed readers) falls back to. TeX that cannot
be converted is shown as written, as code, with a warning naming its line.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..problems import Problem, warning

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

INLINE = "math_inline"  # written in a sentence: $x$, $$x$$ (kramdown), \(x\)
INLINE_DOUBLE = "math_inline_double"  # $$...$$ inside a paragraph: displayed when its $$ stand on lines of their own
BLOCK = "math_block"  # $$ or \[ starting a block

# What MathJax, the converter these journals were written for, accepts and math-core does not know.
_MACROS = {
    "substack": r"\begin{subarray}{c}#1\end{subarray}",
    "tag": r"\qquad(\text{#1})",
    **{size: "" for size in ("tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large",
                             "LARGE", "huge", "Huge")},
}
# MathJax shows an underscore or an ampersand in \text{...} as written; TeX wants them escaped.
_TEXT_ESCAPES = re.compile(r"(\\(?:text|textrm|textit|textbf|mbox)\s*\{)([^{}]*[_&][^{}]*)\}")
_OFFSET = re.compile(r"^(\d+):\s*")


def plugin(md: MarkdownIt) -> None:
    from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar

    md.inline.ruler.before("escape", "publog_math", _not_by_digits(math_inline_dollar(allow_space=False,
                                                                                      allow_double=True)))
    md.inline.ruler.before("escape", "publog_math_parens", _parens)
    # A formula opening on a line of its own ends the sentence above it, as in Obsidian and MathJax, so
    # a line of "=" or "-" inside it is never read as that sentence's heading underline.
    md.block.ruler.before("fence", "publog_math_block",
                          _interrupts("$$", _one_block(math_block_dollar(False, None, True))), {"alt": ["paragraph"]})
    md.block.ruler.before("fence", "publog_math_brackets", _interrupts("\\[", _brackets), {"alt": ["paragraph"]})
    md.core.ruler.after("inline", "publog_math", convert)
    for kind in (INLINE, INLINE_DOUBLE, BLOCK):
        md.add_render_rule(kind, _render)


def _interrupts(opening: str, rule: Callable[[StateBlock, int, int, bool], bool]
                ) -> Callable[[StateBlock, int, int, bool], bool]:
    """Inside a paragraph only an opening alone on its line starts a block: kramdown's ``$$x$$`` at a
    line's start is inline math in its sentence."""

    def block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not silent:
            return rule(state, start, end, silent)
        # Asked whether the line ends a paragraph (state.parentType cannot tell: a failed setext heading
        # leaves it "paragraph").
        line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
        if line.strip() != opening or opening == "$$" and _left_open(state, start):
            return False
        # dollarmath's rule pushes its token even when only asked whether a block starts here
        tokens, line_at = len(state.tokens), state.line
        found = rule(state, start, end, silent)
        del state.tokens[tokens:]
        state.line = line_at
        return found

    return block


_CODE_SPAN = re.compile(r"(`+).*?\1")


def _left_open(state: StateBlock, start: int) -> bool:
    """Whether the paragraph above ``start`` opened a $$ formula it has not closed ("implies $$" at a
    line's end): the $$ alone on the next lines closes it, as Obsidian and Quartz pair them."""
    line, count = start - 1, 0
    while line >= 0 and not state.isEmpty(line):
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        count += _CODE_SPAN.sub("", text).count("$$")
        line -= 1
    return count % 2 == 1


def _one_block(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable[[StateBlock, int, int, bool], bool]:
    """``$$a$$ and $$b$$`` on one line is a sentence with two formulas, not one formula from a to b."""

    def block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]].strip()
        if line.startswith("$$") and line.endswith("$$") and "$$" in line[2:-2]:
            return False
        return rule(state, start, end, silent)

    return block


def _not_by_digits(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """No digit just before the opening $ nor just after the closing one: "3$ and $4" is money; nor is
    "$$$" an opening, nor does a formula reach into a code span.

    (dollarmath's own check reads the paragraph's last character for a $ at its start.)
    """

    def dollars(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if start > 0 and (state.src[start - 1].isdigit() or state.src[start - 1] == "$"):
            return False
        if not rule(state, True):
            return False
        end, state.pos = state.pos, start
        if state.src[end : end + 1].isdigit() or state.src.startswith("$$$", start):
            return False
        if "`" in state.src[start:end]:
            return False  # a code span's backtick: "($$$) and `echo $$`" is money and a shell's pid
        return rule(state, silent)

    return dollars


def _parens(state: StateInline, silent: bool) -> bool:
    r"""\(x\) as MathJax reads it, and \\(x\\), which Markdown turns into \(x\) for MathJax."""
    src, pos = state.src, state.pos
    if src.startswith("\\(", pos):
        opening, closing = "\\(", "\\)"
    elif src.startswith("\\\\(", pos):
        opening, closing = "\\\\(", "\\\\)"
    else:
        return False
    start = pos + len(opening)
    end = src.find(closing, start)
    if end < 0 or not src[start:end].strip() or "\n\n" in src[start:end]:
        return False
    if not silent:
        token = state.push(INLINE, "math", 0)
        token.content = src[start:end]
        token.markup = opening
    state.pos = end + len(closing)
    return True


def _brackets(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    r"""\[ ... \] starting a block, as MathJax shows it. Inside a sentence \[1\] stays an escaped bracket."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # an indented code block
    first = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("\\[", first):
        return False
    line, parts = start, []
    text = state.src[first + 2 : state.eMarks[start]]
    while True:
        stripped = text.rstrip()
        if stripped.endswith("\\]"):
            parts.append(stripped[:-2])
            break
        parts.append(text)
        line += 1
        if line >= end or state.isEmpty(line):
            return False
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    content = "\n".join(parts)
    if "\\[" in content or "\\]" in content or not content.strip():
        return False  # "\[1\] ... see \[2\]": escaped brackets in prose
    if not silent:
        token = state.push(BLOCK, "math", 0)
        token.block = True
        token.content = content
        token.markup = "\\["
        token.map = [start, line + 1]
    state.line = line + 1
    return True


def convert(state: StateCore) -> None:
    """Every formula of the body as MathML, kept in its token; a warning for each that cannot be."""
    source = state.env.get("publog_source")
    first = source.body_line if source is not None else 1
    problems: list[Problem] = state.env.setdefault("publog_math_problems", [])
    for block in state.tokens:
        if block.type == "html_block" and ("$$" in block.content or "\\" in block.content):
            block.content = _in_html(block.content, first + (block.map[0] if block.map else 0), source, problems)
        elif block.type == BLOCK:
            _convert(block, True, first + (block.map[0] if block.map else 0), source, problems)
        elif block.type == "inline" and block.children and "math" in {c.tag for c in block.children}:
            line = first + (block.map[0] if block.map else 0)
            for token in block.children:
                if token.type in (INLINE, INLINE_DOUBLE):
                    display = token.type == INLINE_DOUBLE and _on_own_lines(token.content)
                    _convert(token, display, line, source, problems)
                if token.type in ("softbreak", "hardbreak"):
                    line += 1
                elif token.type in (INLINE, INLINE_DOUBLE, "html_inline"):
                    line += token.content.count("\n")


# The pieces of raw HTML that are no text: comments, declarations, tags.
_HTML_PIECE = re.compile(r"<!--.*?(?:-->|$)|<![^>]*>|<\?.*?(?:\?>|$)|<(/?)([A-Za-z][\w-]*)[^>]*>", re.S)
# Elements whose text MathJax leaves alone.
_NOT_MATH = frozenset({"code", "pre", "script", "style", "textarea", "kbd", "samp", "math", "svg"})
# MathJax's own delimiters, as it finds them in a page's text: $$ and \[ displayed, \( in a sentence.
_HTML_MATH = re.compile(r"(?<![$\\])\$\$(?!\$)(.+?)(?<![\\$])\$\$(?!\$)|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.S)


def _in_html(content: str, line: int, source: Any, problems: list[Problem]) -> str:
    """Math in the text of raw HTML as MathML: kramdown leaves an HTML block alone and MathJax, in the
    reader's browser, renders its math; the tags, entities and code around it stay as written."""
    out: list[str] = []
    inside: list[str] = []  # the open elements whose text is never math
    pos = 0
    for piece in [*_HTML_PIECE.finditer(content), None]:
        text = content[pos : piece.start() if piece else len(content)]
        out.append(_html_text(text, line + content[:pos].count("\n"), source, problems) if not inside else text)
        if piece is None:
            break
        out.append(piece.group(0))
        pos = piece.end()
        name = (piece.group(2) or "").lower()
        if name in _NOT_MATH and not piece.group(0).endswith("/>"):
            if not piece.group(1):
                inside.append(name)
            elif name in inside:
                del inside[len(inside) - 1 - inside[::-1].index(name) :]
    return "".join(out)


def _html_text(text: str, line: int, source: Any, problems: list[Problem]) -> str:
    if "$$" not in text and "\\" not in text:
        return text
    out: list[str] = []
    pos = 0
    for found in _HTML_MATH.finditer(text):
        tex = found.group(1) or found.group(2) or found.group(3)
        if not tex.strip():
            continue
        token = _Formula(html.unescape(tex), "$$" if found.group(1) else "\\[" if found.group(2) else "\\(")
        _convert(token, found.group(3) is None, line + text[: found.start()].count("\n"), source, problems)
        out.append(text[pos : found.start()])
        out.append(_render(None, [token], 0, None, None))
        pos = found.end()
    out.append(text[pos:])
    return "".join(out)


class _Formula:
    """What _convert and _render read of a token, for a formula in raw HTML."""

    type = INLINE
    block = False

    def __init__(self, content: str, markup: str) -> None:
        self.content, self.markup, self.meta = content, markup, {}


def _on_own_lines(tex: str) -> bool:
    """$$ on a line of its own, inside a paragraph: GitHub shows it displayed, as a block's would be."""
    return tex.startswith("\n") or tex.rstrip(" \t").endswith("\n")


def _convert(token: Token, display: bool, line: int, source: Any, problems: list[Problem]) -> None:
    result, failure = mathml(token.content.strip(), display)
    token.meta["display"] = display
    if failure is None:
        token.meta["mathml"] = result
        return
    offset, reason = failure
    at = line + (1 if token.type == BLOCK and token.markup == "$$" and token.content.startswith("\n") else 0)
    at += token.content.strip()[:offset].count("\n")
    written = " ".join(token.content.split())
    written = written if len(written) <= 50 else written[:47] + "..."
    if source is not None:
        problems.append(warning(source.path, at, f"the math {written} cannot be shown as MathML ({reason}), so it "
                                "shows as TeX; correct the TeX, or put it in backticks to show it as code"))


@functools.lru_cache(maxsize=8192)
def mathml(tex: str, display: bool) -> tuple[str, tuple[int, str] | None]:
    """MathML for ``tex`` and None; or "" and (where in ``tex``, why) it cannot be converted."""
    from math_core import LatexError

    try:
        converted = _converter().convert_with_local_state(_TEXT_ESCAPES.sub(_escape_in_text, tex),
                                                          displaystyle=display)
    except LatexError as exc:
        message = " ".join(str(exc).split())
        found = _OFFSET.match(message)
        offset = len(tex.encode()[: int(found.group(1))].decode(errors="ignore")) if found else 0
        return "", (offset, message[found.end() if found else 0 :].rstrip("."))
    return _valid_html(converted), None


def _escape_in_text(match: re.Match[str]) -> str:
    return match.group(1) + re.sub(r"(?<!\\)([_&])", r"\\\1", match.group(2)) + "}"


@functools.cache
def _converter() -> Any:
    from math_core import LatexToMathML

    return LatexToMathML(annotation=True, fancy_error=False, allow_unreliable_rendering=True, macros=_MACROS)


_TAG = re.compile(r"<(/?)([a-z]+)([^>]*?)(/?)>")
_STYLE_ATTR = re.compile(r'\s(displaystyle|scriptlevel)="[^"]*"')


def _valid_html(mathml: str) -> str:
    """MathML Core puts displaystyle and scriptlevel on any element; HTML's MathML allows them on <mstyle>
    (and displaystyle on <mtable>), so the Nu checker would reject the page: an <mrow> with them becomes
    an <mstyle>, which lays out the same, and any other element is wrapped in one."""
    if "displaystyle=" not in mathml and "scriptlevel=" not in mathml:
        return mathml
    out: list[str] = []
    closing: list[str] = []  # per open element, what its end tag becomes
    pos = 0
    for tag in _TAG.finditer(mathml):
        end, name, attrs, empty = tag.groups()
        out.append(mathml[pos : tag.start()])
        pos = tag.end()
        if end:
            out.append(closing.pop() if closing else tag.group(0))
            continue
        moved = [a for a in _STYLE_ATTR.finditer(attrs)
                 if name not in ("math", "mstyle") and not (name == "mtable" and a.group(1) == "displaystyle")]
        if not moved:
            out.append(tag.group(0))
            if not empty:
                closing.append(f"</{name}>")
            continue
        if name == "mrow":
            out.append(f"<mstyle{attrs}{empty}>")
            if not empty:
                closing.append("</mstyle>")
            continue
        names = {m.group(1) for m in moved}
        kept = _STYLE_ATTR.sub(lambda a, names=names: "" if a.group(1) in names else a.group(0), attrs)
        out.append(f"<mstyle{''.join(m.group(0) for m in moved)}><{name}{kept}{empty}>")
        if empty:
            out.append("</mstyle>")
        else:
            closing.append(f"</{name}></mstyle>")
    out.append(mathml[pos:])
    return "".join(out)


LONG_INLINE = 40  # characters of TeX: shorter formulas fit a phone's column and stay plain text in their line


def _render(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    display = token.meta.get("display", token.type == BLOCK)
    converted = token.meta.get("mathml")
    if converted:
        if not display:
            if len(token.content) < LONG_INLINE:
                return str(converted)
            # A formula in a sentence cannot wrap: a long one scrolls in its place on a phone, by keyboard too.
            return f'<span class="math-inline" tabindex="0">{converted}</span>'
        # A wide formula scrolls sideways on a phone, so it must be reachable by keyboard.
        tag = "div" if token.type == BLOCK else "span"
        return f'<{tag} class="math-display" tabindex="0">{converted}</{tag}>' + ("\n" if token.block else "")
    closing = {"\\(": "\\)", "\\\\(": "\\\\)", "\\[": "\\]"}.get(token.markup, token.markup)
    written = html.escape(f"{token.markup}{token.content}{closing}", quote=False)
    if token.type == BLOCK:
        return f'<pre class="tex" tabindex="0"><code>{written}</code></pre>\n'
    return f'<code class="tex">{written}</code>'
