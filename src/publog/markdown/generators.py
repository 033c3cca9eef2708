"""What other generators leave in an entry's body: Hugo shortcodes, Liquid tags, template calls.

They run as their generator would run them. The ones that only make links (Hugo's ``ref``
and ``relref``, Jekyll's ``post_url`` and ``link``, ``{{ site.baseurl }}``) become plain
links, Hugo's ``figure`` an image, a video embed a link to the video (no third party's
frame on the page), a table of contents one of the entry's headings; highlight blocks
are code (markdown/highlights.py). What only the old generator could run is taken off the page,
the text inside a paired one kept, and noted as a Notice that the journal stage turns
into a warning. That happens only in a journal written for that generator (a `Syntax`):
elsewhere, as on GitHub, such text is shown as it is written, but for a paragraph of one embed
tag (``{% youtube ID %}``, written for dev.to or a Jekyll plugin), which becomes its link. Pelican runs Liquid tags only
through its liquid_tags plugin, and only the tags pelicanconf.py enables; ``include_code``
becomes the code it names (markdown/highlights.py), a notebook a link to it, as publog renders none.

Like Hugo and Jekyll, which run them before reading the Markdown, these are
found in any paragraph, heading or HTML block; in code they are left alone, except
for the escapes that only exist to show them (``{{</* x */>}}``, ``{% raw %}``).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..read import files
from . import highlights, kramdown
from . import vault
from .known_tags import EMBEDS, GENERATORS, REF_LINK, embed, known, pelican_tag, tag_args
from .syntax import Notice, Syntax
from .vault import outside_code

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

RAW_BRACE = "\ue010"  # a brace inside {% raw %}: shown as written, never read as a tag


def syntax_of(root: Path, generator: str) -> Syntax:
    """The Syntax of a journal written for ``generator``: for Hugo, which of its shortcodes highlight code;
    for Pelican, which Liquid tags its plugins run."""
    if generator == "pelican":
        return _pelican_syntax(root)
    if generator != "hugo":
        return Syntax(generator)
    found: dict[str, str] = {}
    for folder in ("layouts", *(f"themes/{t.name}/layouts" for t in _folders(root / "themes"))):
        for kind in ("shortcodes", "_shortcodes"):
            for template in sorted(_files(root / folder / kind)):
                try:
                    text = files.read_text(template)
                except (OSError, UnicodeDecodeError):
                    continue
                call = _HIGHLIGHT_CALL.search(text)
                if call and template.stem not in found:
                    fixed = call.group("lang") or ""
                    found[template.stem] = "" if fixed.startswith("$") or fixed.startswith(".") else fixed.strip("\"'")
    return Syntax(generator, tuple(sorted(found.items())))


# Liquid tags of Pelican's plugins: liquid_tags.NAME, or pelican-ipynb's (ipynb.liquid) notebook tag.
_LIQUID_PLUGINS = ("img", "video", "youtube", "vimeo", "include_code", "notebook", "literal", "audio", "b64img",
                   "diag", "flickr", "generic", "giphy", "gram", "graphviz", "soundcloud", "spotify", "speakerdeck")
_STAMPED = 2000  # files of CODE_DIR looked at for its stamp: more would slow every build of a big folder


def _pelican_syntax(root: Path) -> Syntax:
    from ..read.configs import python_settings as _python_settings  # Pelican's settings, read never run

    settings, _, _ = _python_settings(root / "pelicanconf.py", "pelicanconf.py")
    plugins = settings.get("PLUGINS")
    tags: set[str] = set()
    for plugin in plugins if isinstance(plugins, (list, tuple)) else ():
        parts = plugin.split(".") if isinstance(plugin, str) else []
        if "liquid_tags" in parts:
            named = parts[parts.index("liquid_tags") + 1 :]
            listed = settings.get("LIQUID_TAGS")  # the packaged plugin: PLUGINS = ['liquid_tags'], tags listed apart
            if named:
                tags.add(named[0])
            elif isinstance(listed, (list, tuple)):
                tags.update(t for t in listed if isinstance(t, str))
            else:
                tags.update(_LIQUID_PLUGINS)
        elif parts[-2:] == ["ipynb", "liquid"] or parts[-2:] == ["pelican_jupyter", "liquid"]:
            tags.add("notebook")
    if not tags:
        return Syntax("pelican")
    content = settings.get("PATH", "content")
    content = content.strip("/") or "." if isinstance(content, str) and content.strip() else "content"
    code_dir, notebook_dir = settings.get("CODE_DIR", "code"), settings.get("NOTEBOOK_DIR", "notebooks")
    code_dir = code_dir.strip("/") if isinstance(code_dir, str) and code_dir.strip("/") else "code"
    notebook_dir = notebook_dir.strip("/") if isinstance(notebook_dir, str) and notebook_dir.strip("/") else "notebooks"
    folder = root / content
    stamp = _stamp(folder / code_dir) if "include_code" in tags else ""
    return Syntax("pelican", liquid_tags=tuple(sorted(tags)), root=str(root), content=str(folder), code_dir=code_dir,
                  notebook_dir=notebook_dir, code_stamp=stamp)


def _stamp(folder: Path) -> str:
    found = []
    for place, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            try:
                stat = os.stat(os.path.join(place, name))
            except OSError:
                continue
            found.append((os.path.relpath(os.path.join(place, name), folder), stat.st_size, stat.st_mtime_ns))
            if len(found) >= _STAMPED:
                break
        if len(found) >= _STAMPED:
            break
    return hashlib.blake2b(repr(found).encode(), digest_size=8).hexdigest()


# `{{ highlight CODE "rust" ... }}` or `{{ highlight $code $lang ... }}` in a shortcode's template.
_HIGHLIGHT_CALL = re.compile(r"""\b(?:transform\.)?[Hh]ighlight\s+(?:\([^)]*\)|\S+)\s+(?P<lang>"[^"]*"|\S+)""")


def _folders(path: Path) -> list[Path]:
    try:
        return [p for p in path.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []


def _files(path: Path) -> list[Path]:
    try:
        return [p for p in path.iterdir() if p.suffix == ".html" and p.is_file() and not p.is_symlink()]
    except OSError:
        return []


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("normalize", "publog_generator_text", prepare)
    highlights.plugin(md)
    md.core.ruler.after("publog_comments", "publog_generators", rewrite)
    kramdown.plugin(md)
    md.core.ruler.push("publog_raw_braces", restore)


_SHORTCODE = re.compile(r"{{([<%])(/\*)?\s*(/?)\s*([\w.-]+)(.*?)\s*(\*/)?\s*([>%])}}", re.S)
_LIQUID_TAG = re.compile(r"{%-?\s*(\w+)(.*?)-?%}", re.S)
_OUTPUT = re.compile(r"{{-?(?![<%])\s*(.*?)\s*-?}}", re.S)
_BASE_URL = re.compile(r"^site\.(baseurl|url)(\s*\|\s*append\s*:\s*site\.baseurl)?$")
_FILTERED = re.compile(r"""^(["'])(.*?)\1\s*\|\s*(relative_url|absolute_url|prepend\s*:\s*site\.baseurl)$""")
_ESCAPED = re.compile(r"{{([<%])/\*(.*?)\*/([>%])}}", re.S)
_RAW = re.compile(r"{%-?\s*(end)?raw\s*-?%}")
_RAW_REGION = re.compile(r"{%-?\s*raw\s*-?%}(.*?)(?:{%-?\s*endraw\s*-?%}|\Z)", re.S)
_MULTILINE_TAG = re.compile(r"{{[<%](?:(?!}}).)*?\n.*?[>%]}}|{%(?:(?!%}).)*?\n.*?%}", re.S)
_INLINE_HIGHLIGHT = re.compile(r"{%-?\s*highlight\s+[^%\s][^%]*?-?%}(.*?){%-?\s*endhighlight\s*-?%}", re.S)
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")

# Tags that open a block of Liquid whose closing tag is `end` + the name, and the ones in between.
_LIQUID_INNER = ("else", "elsif", "when", "empty")


def prepare(state: StateCore) -> None:
    """What the generator does to the text before any Markdown is read, line numbers kept.

    ``{% raw %}`` and ``{% endraw %}`` go wherever they are (on a fence's line too: Liquid
    runs first), their braces kept from being read as tags; a tag written over several
    lines becomes one line, so that no line of it (``>}}``) reads as Markdown.
    """
    syntax: Syntax = state.env.get("publog_syntax") or Syntax()
    src = state.src
    if "raw" in src and "{%" in src:
        src = _RAW_REGION.sub(lambda m: m.group(1).replace("{", RAW_BRACE), src)
    if (syntax.runs("shortcode") or syntax.runs("liquid")) and "\n" in src and ("{{" in src or "{%" in src):
        src = _one_line_tags(src)
    state.src = src


def _one_line_tags(src: str) -> str:
    """Tags over several lines on one line each, the lines they took kept as blank lines after them."""
    lines = src.split("\n")
    out: list[str] = []
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        mark = _FENCE.match(line)
        if fence:
            if mark and mark.group(1)[0] == fence[0] and len(mark.group(1)) >= len(fence):
                fence = ""
        elif mark:
            fence = mark.group(1)
        elif "{{" in line or "{%" in line:
            rest = "\n".join(lines[index : index + 40])  # a tag's arguments never run longer
            found = _MULTILINE_TAG.search(rest)
            if found and found.start() < len(line):
                taken = found.group(0).count("\n")
                joined = rest[: found.start()] + " ".join(found.group(0).split()) + rest[found.end():].split("\n", 1)[0]
                out.append(joined)
                out.extend([""] * taken)
                index += taken + 1
                continue
        out.append(line)
        index += 1
    return "\n".join(out)


def restore(state: StateCore) -> None:
    """Braces kept from {% raw %} back as they were written."""
    if RAW_BRACE not in state.src:
        return
    for token in _all(state.tokens):
        if RAW_BRACE in token.content:
            token.content = token.content.replace(RAW_BRACE, "{")
        for name, value in (token.attrs or {}).items():
            if isinstance(value, str) and RAW_BRACE in value:
                token.attrs[name] = value.replace(RAW_BRACE, "{")


def _all(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        found.append(token)
        if token.children:
            found.extend(_all(token.children))
    return found


def rewrite(state: StateCore) -> None:
    """Map what can be mapped in every paragraph, heading and HTML block; take off or note the rest."""
    source = state.env.get("publog_source")
    syntax: Syntax = state.env.get("publog_syntax") or Syntax()
    first = source.body_line if source is not None else 1
    notices: list[Notice] = state.env.setdefault("publog_notices", [])
    gone: set[int] = set()
    for index, token in enumerate(state.tokens):
        if token.type in ("inline", "html_block") and "{" in token.content:
            line = first + (token.map[0] if token.map else 0)
            before = token.content
            token.content = _rewrite(before, line, notices, syntax, state.src, html=token.type == "html_block")
            if kramdown.TOC_MARK in token.content and token.content.strip() != kramdown.TOC_MARK:
                token.content = token.content.replace(kramdown.TOC_MARK, "")  # a table of contents is a block of its own
            if token.content != before and not token.content.strip():
                gone.add(index)
            elif token.content != before and token.type == "inline":
                token.content = token.content.strip("\n")
        elif token.type in ("fence", "code_block") and "{" in token.content:
            token.content = _RAW.sub("", _ESCAPED.sub(r"{{\1\2\3}}", token.content))
    if gone:
        kramdown.drop(state, gone)


def _rewrite(text: str, line: int, notices: list[Notice], syntax: Syntax, document: str, html: bool = False) -> str:
    if "`" in text and not html and (syntax.runs("shortcode") or syntax.runs("liquid")):
        text = _across_code(text, line, notices, syntax, document)
    parts: list[str] = []
    pos = 0
    for start, end in ((0, len(text)),) if html else outside_code(text):
        parts.append(text[pos:start])
        parts.append(_map_tags(text[start:end], line + text.count("\n", 0, start), notices, syntax, document, html))
        pos = end
    return "".join(parts)


def _across_code(text: str, line: int, notices: list[Notice], syntax: Syntax, document: str) -> str:
    """Tags whose arguments hold a code span (a caption with `code`): the generator ran them before any
    Markdown was read, so the backticks are theirs. A tag that starts inside a code span is code."""
    spans = list(vault.code_span_bounds(text))
    for found in reversed(list(_SHORTCODE.finditer(text)) + list(_LIQUID_TAG.finditer(text))):
        if "`" in found.group(0) and not any(a <= found.start() < b for a, b in spans):
            at = line + text.count("\n", 0, found.start())
            text = text[: found.start()] + _map_tags(found.group(0), at, notices, syntax, document, False) + text[found.end() :]
    return text


def _map_tags(text: str, line: int, notices: list[Notice], syntax: Syntax, document: str, html: bool) -> str:
    """Text outside code, with shortcodes, Liquid tags and template calls mapped, taken off or noted."""
    if "{" not in text:
        return text

    def at(match: re.Match[str]) -> int:
        return line + text.count("\n", 0, match.start())

    def note(match: re.Match[str], kind: str, name: str = "", closing: str = "") -> str:
        """Shown as written where its generator is not the journal's; elsewhere taken off, with a warning."""
        if not syntax.runs(kind):
            if syntax.shows(kind):
                notices.append(Notice(at(match), kind, _shortened(match.group(0))))
            return match.group(0)
        if closing or name in _LIQUID_INNER:
            return ""  # the opening tag's warning names it
        paired = bool(name) and _tag_closed(document, kind, name)
        notices.append(Notice(at(match), kind, _shortened(match.group(0)), "unwrapped" if paired else "removed"))
        return ""

    def shortcode(match: re.Match[str]) -> str:
        opener, escaped, closing, name, args, _, closer = match.groups()
        if escaped:
            # Shown, never run; the backslash keeps "<name" from reading as an HTML tag.
            return "{{" + ("\\<" if opener == "<" else opener) + " " + (closing + name + args).strip() + " " + closer + "}}"
        values = tag_args(args)
        # ref and figure were always mapped; the rest only where Hugo would have run them.
        runs = syntax.runs("shortcode") or name in ("ref", "relref", "figure")
        mapped = None if closing or not runs else known(name, values, html)
        if mapped is not None:
            return mapped
        if not syntax.runs("shortcode"):
            return match.group(0)  # shown as written: the journal is not Hugo's
        return note(match, "shortcode", name, closing)

    def liquid(match: re.Match[str]) -> str:
        name, args = match.group(1), match.group(2).strip()
        if syntax.generator == "pelican" and syntax.runs("liquid") and name in syntax.liquid_tags:
            mapped, did = pelican_tag(name, args, syntax, html)
            if did:
                notices.append(Notice(at(match), "liquid", _shortened(match.group(0)), did))
            if mapped is not None:
                return mapped
        if syntax.generator == "pelican":
            return note(match, "liquid", name, name[3:] if name.startswith("end") and len(name) > 3 else "")
        if name == "post_url" and args:
            return REF_LINK + quote(args.split()[0])
        if name == "link" and args:
            return "/" + args.split()[0].strip("'\"").lstrip("/")
        if name in ("raw", "endraw"):
            return ""
        if name in EMBEDS and (syntax.runs("liquid") or syntax.generator not in GENERATORS and text.strip() == match.group(0)):
            # A paragraph of one embed tag in a folder of no generator's was written for one (dev.to's
            # and Jekyll plugins' youtube, twitter, embed): the link it embeds, not the tag.
            mapped = embed(name, tag_args(args), html)
            if mapped is not None:
                return mapped
        if name == "toc" and syntax.runs("liquid") and not html:
            return kramdown.TOC_MARK
        closing = name[3:] if name.startswith("end") and len(name) > 3 else ""
        return note(match, "liquid", name, closing)

    def output(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if _BASE_URL.match(inner):
            return ""  # links were written from the site's root: publog adds its own base path
        filtered = _FILTERED.match(inner)
        if filtered:
            return filtered.group(2)
        return note(match, "template")

    text = _SHORTCODE.sub(shortcode, text)
    if "highlight" in text and not html:
        text = _INLINE_HIGHLIGHT.sub(lambda m: _code_span(m.group(1)), text)
    text = _LIQUID_TAG.sub(liquid, text) if "{%" in text else text
    return _OUTPUT.sub(output, text) if "{{" in text else text


def _code_span(code: str) -> str:
    """``code`` as a code span: a highlight block inside a sentence."""
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    return f"{ticks} {code.strip()} {ticks}"


def _shortened(written: str) -> str:
    written = " ".join(written.split())
    return written if len(written) <= 60 else written[:57] + "..."


def _tag_closed(document: str, kind: str, name: str) -> bool:
    """Whether the body closes the tag ``name`` somewhere: a paired tag, whose inner text is kept."""
    if kind == "shortcode":
        return re.search(r"{{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]}}", document) is not None
    return re.search(r"{%-?\s*end" + re.escape(name) + r"\s*-?%}", document) is not None


