"""A note's title when its front matter gives none: a heading of its own, else its file name.

GitHub and Obsidian show a note under its file name, and a heading at its top is what its
author calls it; so an entry with no title takes its first `# Heading`, else a heading of
any level at its top (`## Heading`, or a line underlined with `===` or `---`), else its
file name. Headings are read as CommonMark reads them: `#Title` with no space is no
heading (GitHub shows it as text, Obsidian as a tag), so such a note is titled by its
file name, as both show it.

A private passage or a %% comment never titles a note.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..privacy import passages as private_mod

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MATH = {"$$": "$$", "\\[": "\\]"}  # a formula's opening alone on its line, and its closing (markdown/math.py)
# Lines that open a block of their own: what comes after them is no paragraph a heading underlines.
_BLOCK = re.compile(r"^ {0,3}(?:[>|<]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$)")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_WIKI = re.compile(r"!?\[\[([^\]|\n]+?)(?:\|([^\]\n]+))?\]\]")


@dataclass(frozen=True)
class Heading:
    """A heading of an entry's body: its text, level, and the body lines it takes up."""

    text: str
    level: int
    first: int  # index of its first body line
    last: int  # index of its last body line (a setext heading's underline)


def file_title(path: str) -> str:
    """A note's title as Obsidian and GitHub show it: its file name (a page bundle's: its folder's name)."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    if stem in ("index", "_index") and "/" in path:
        stem = posixpath.basename(posixpath.dirname(path))
    return stem.strip() or stem


def headings(body: str) -> Iterator[Heading]:
    """The body's headings outside code, in order, private passages left out of their text."""
    written = body.split("\n")
    seen = private_mod.blanked(body).split("\n")
    fence: str | None = None
    formula: str | None = None  # the closing of the formula being read, whose lines are no heading
    paragraph: list[int] = []  # the lines of the paragraph being read, if a setext underline may end it
    in_block = False  # inside a list item or quote, whose text no underline makes a heading
    for index, text in enumerate(seen):
        if formula:
            formula = None if text.rstrip().endswith(formula) else formula
            continue
        match = _FENCE.match(text)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence, paragraph, in_block = match.group(1), [], False
            continue
        if text.strip() in _MATH and not text.startswith("    "):
            formula, paragraph, in_block = _MATH[text.strip()], [], False
            continue
        if not text.strip():
            paragraph, in_block = [], False
            continue
        underline = _UNDERLINE.match(text)
        if underline and paragraph:
            words = " ".join(private_mod.removed(written[i]).strip() for i in paragraph).strip()
            if words:
                yield Heading(words, 1 if underline.group(1)[0] == "=" else 2, paragraph[0], index)
            paragraph = []
            continue
        atx = _ATX.match(text)
        if atx:
            found = _ATX.match(private_mod.removed(written[index])) if text != written[index] else atx
            if found and found.group(2).strip():
                yield Heading(found.group(2).strip(), len(atx.group(1)), index, index)
            paragraph, in_block = [], False
        elif _BLOCK.match(text):
            paragraph, in_block = [], True
        elif not paragraph and text.startswith("    "):
            continue  # indented code
        elif not in_block:
            paragraph.append(index)


def title_heading(body: str) -> Heading | None:
    """The heading that titles a note: its first of level 1, else one of any level at its top (a
    heading further down heads a section, as in an Obsidian note titled by its file name)."""
    lines = body.split("\n")
    top = None
    for heading in headings(body):
        if heading.level == 1:
            return heading
        if top is None and not any(line.strip() for line in lines[: heading.first]):
            top = heading
    return top


def plain(text: str) -> str:
    """A heading's text as a title: links and wiki links as the words they show."""
    if "[" not in text:
        return text
    text = _WIKI.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    return _LINK.sub(lambda m: m.group(1), text).strip() or text


def without(body: str, heading: Heading) -> str:
    """``body`` without the heading taken for its title, when the heading is its top (or a level-1
    heading, which the page's own title replaces); private marks on its lines stay, as they open or
    close passages of the lines around it."""
    lines = body.split("\n")
    if heading.level > 1 and any(line.strip() for line in lines[: heading.first]):
        return body
    kept = [m for m in (private_mod.marks(line) for line in lines[heading.first : heading.last + 1]) if m]
    # Blank lines where the heading was, so every later line keeps its number for the problems that name it.
    kept += [""] * (heading.last + 1 - heading.first - len(kept))
    return "\n".join(lines[: heading.first] + kept + lines[heading.last + 1 :])


def drop_repeated(body: str, title: str) -> str:
    """Drop a leading '# Title' that repeats the front matter title (Obsidian habit)."""
    stripped = body.lstrip("\n")
    first = stripped.split("\n", 1)[0]
    match = _ATX.match(private_mod.removed(first))
    if match and len(match.group(1)) == 1 and match.group(2).strip() == title:
        skipped = len(body) - len(stripped)
        return "\n" * body[:skipped].count("\n") + private_mod.marks(first) + "\n" + stripped[len(first) + 1 :]
    return body
