"""What other generators leave in an entry's body: Hugo shortcodes, Liquid tags, template calls.

The ones that only make links (Hugo's ``ref`` and ``relref``, Jekyll's ``post_url``
and ``link``, ``{{ site.baseurl }}``) become plain links, and Hugo's ``figure`` an
image. Whatever else the old generator would have run is left as written and
noted as a Notice: the journal stage, which knows where the journal came from,
turns the notices into warnings for `publog check`.

Like Hugo and Jekyll, which run them before reading the Markdown, these are
found in any paragraph or heading; in code they are left alone, except for the
escapes that only exist to show them (``{{</* x */>}}``, ``{% raw %}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from .vault import outside_code

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

REF_LINK = "publog-ref:"  # a link to an entry by name or path, resolved like a wiki link


@dataclass(frozen=True)
class Notice:
    """Something in a body that only the old generator could run."""

    line: int
    syntax: str  # "shortcode" (Hugo), "liquid" ({% tag %}) or "template" ({{ value }})
    text: str  # as written, cut short


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("publog_comments", "publog_generators", rewrite)


_SHORTCODE = re.compile(r"{{([<%])(/\*)?\s*(/?)\s*([\w.-]+)(.*?)\s*(\*/)?\s*([>%])}}", re.S)
_LIQUID_TAG = re.compile(r"{%-?\s*(\w+)(.*?)-?%}", re.S)
_OUTPUT = re.compile(r"{{-?(?![<%])\s*(.*?)\s*-?}}", re.S)
_ARG = re.compile(r"""(?:(\w+)\s*=\s*)?("[^"]*"|'[^']*'|[^\s"']+)""")
_BASE_URL = re.compile(r"^site\.(baseurl|url)(\s*\|\s*append\s*:\s*site\.baseurl)?$")
_FILTERED = re.compile(r"""^(["'])(.*?)\1\s*\|\s*(relative_url|absolute_url|prepend\s*:\s*site\.baseurl)$""")
_ESCAPED = re.compile(r"{{([<%])/\*(.*?)\*/([>%])}}", re.S)
_RAW = re.compile(r"{%-?\s*(end)?raw\s*-?%}")


def rewrite(state: StateCore) -> None:
    """Map what can be mapped in every paragraph and heading; note the rest."""
    source = state.env.get("publog_source")
    first = source.body_line if source is not None else 1
    notices: list[Notice] = state.env.setdefault("publog_notices", [])
    for token in state.tokens:
        if token.type == "inline" and "{" in token.content:
            line = first + (token.map[0] if token.map else 0)
            token.content = _rewrite(token.content, line, notices)
        elif token.type in ("fence", "code_block") and "{" in token.content:
            token.content = _RAW.sub("", _ESCAPED.sub(r"{{\1\2\3}}", token.content))


def _rewrite(text: str, line: int, notices: list[Notice]) -> str:
    parts: list[str] = []
    pos = 0
    for start, end in outside_code(text):
        parts.append(text[pos:start])
        parts.append(_plain(text[start:end], line + text.count("\n", 0, start), notices))
        pos = end
    return "".join(parts)


def _plain(text: str, line: int, notices: list[Notice]) -> str:
    """Text outside code, with shortcodes, Liquid tags and template calls mapped or noted."""
    if "{" not in text:
        return text

    def at(match: re.Match[str]) -> int:
        return line + text.count("\n", 0, match.start())

    def note(match: re.Match[str], syntax: str) -> str:
        written = " ".join(match.group(0).split())
        notices.append(Notice(at(match), syntax, written if len(written) <= 60 else written[:57] + "..."))
        return match.group(0)

    def shortcode(match: re.Match[str]) -> str:
        opener, escaped, closing, name, args, _, closer = match.groups()
        if escaped:
            # Shown, never run; the backslash keeps "<name" from reading as an HTML tag.
            return "{{" + ("\\<" if opener == "<" else opener) + " " + (closing + name + args).strip() + " " + closer + "}}"
        values = _args(args)
        if not closing and name in ("ref", "relref") and values:
            return REF_LINK + quote(values.get("path") or values.get("0", ""))
        if not closing and name == "figure" and "src" in values:
            return _figure(values)
        return note(match, "shortcode")

    def liquid(match: re.Match[str]) -> str:
        name, args = match.group(1), match.group(2).strip()
        if name == "post_url" and args:
            return REF_LINK + quote(args.split()[0])
        if name == "link" and args:
            return "/" + args.split()[0].strip("'\"").lstrip("/")
        if name in ("raw", "endraw"):
            return ""
        return note(match, "liquid")

    def output(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if _BASE_URL.match(inner):
            return ""  # links were written from the site's root: publog adds its own base path
        filtered = _FILTERED.match(inner)
        if filtered:
            return filtered.group(2)
        return note(match, "template")

    text = _SHORTCODE.sub(shortcode, text)
    text = _LIQUID_TAG.sub(liquid, text) if "{%" in text else text
    return _OUTPUT.sub(output, text) if "{{" in text else text


def _args(written: str) -> dict[str, str]:
    """A shortcode's arguments: named ones by name, the others by position ('0', '1' ...)."""
    found: dict[str, str] = {}
    position = 0
    for name, value in _ARG.findall(written):
        value = value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1 else value
        if name:
            found[name] = value
        else:
            found[str(position)] = value
            position += 1
    return found


def _figure(values: dict[str, str]) -> str:
    """Hugo's figure shortcode as a Markdown image (its caption becomes the text, if it has no alt)."""
    alt = values.get("alt") or values.get("caption") or values.get("title") or ""
    title = values.get("title", "")
    src = values["src"]
    destination = f"<{src}>" if " " in src else src
    titled = ' "' + title.replace('"', "&quot;") + '"' if title else ""
    return "![" + alt.replace("[", "\\[").replace("]", "\\]") + "](" + destination + titled + ")"
