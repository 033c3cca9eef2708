"""The passages of a private entry to look for in the output: ``private_snippets(text, public)``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .reading import INLINE_TAG, OTHER_TAG, WORD, folded_words


# A passage of a private entry is looked for when it has this many words and
# characters: long enough that no public page says it by chance.
MIN_PASSAGE_WORDS = 10
MIN_PASSAGE_CHARS = 50

_FENCE = re.compile(r"^\s*(```|~~~)")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\|)")

# what a reader does not see of a line: heading marks, list markers and numbers, task boxes, quote marks
_LINE_MARKUP = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?)?")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def private_snippets(text: str, public: str = "") -> tuple[str, ...]:
    """Passages of the private entry body `text` (Markdown) to look for in the output: words joined by spaces.

    A passage is a sentence of a block (paragraph, list item, heading, code
    block), a run of short sentences, or a chunk of about a dozen words of a long
    sentence, with at least MIN_PASSAGE_WORDS words and MIN_PASSAGE_CHARS
    characters: a copied sentence or a summary cut short is found, common short
    phrases ("thanks for reading") are not looked for. What is left of a block
    after its last long passage is looked for with the words before it, so a copy
    of a block's end is found too. A shorter passage is looked for only when it is
    `_distinctive`. A passage the public text of the same entry (`public`) says
    as well is not looked for: it is published anyway. Link targets and markup
    are left out, as a reader never sees them."""
    passages: list[str] = []
    for block in _blocks(text):
        words_of_block: list[str] = []
        pending: list[str] = []  # a run of short sentences, a passage once long enough
        for sentence in _SENTENCE_END.split(block):
            words = WORD.findall(sentence)
            words_of_block += words
            if _long_enough(words):
                passages.extend(" ".join(chunk) for chunk in _chunks(words) if _long_enough(chunk))
                pending = []
            else:
                pending += words
                if _long_enough(pending):
                    passages.append(" ".join(pending))
                    pending = []
        if pending and len(words_of_block) > len(pending):  # the block's end, with the words before it
            passages.append(" ".join(words_of_block[-max(MIN_PASSAGE_WORDS, len(pending)) :]))
        if pending and _distinctive(pending):
            passages.append(" ".join(pending))
    if public and passages:
        said = f" {' '.join(folded_words(public))} "
        passages = [p for p in passages if f" {' '.join(folded_words(p))} " not in said]
    return tuple(dict.fromkeys(passages))


# A shorter private passage ("95k, zq3f9a0b1c") is looked for when one of its words is
# a token no one writes by chance: letters and digits mixed, at least SHORT_TOKEN
# characters long, and either MIXED_TOKEN long or switching between letters and
# digits twice (a password, an account or order number, an id). Plain words, numbers
# (years, counts) and a name with a version or a number with a unit (python3, sha256,
# 1080p, 95k) are not enough: a short private heading or list item of a private
# entry would then fail every public page that happens to share it, for nothing.
SHORT_TOKEN = 6
MIXED_TOKEN = 12
_SWITCHES = re.compile(r"(?:[a-z]+\d+[a-z]|\d+[a-z]+\d)", re.I)


def _distinctive(words: list[str]) -> bool:
    return any(
        len(w) >= SHORT_TOKEN and w.isascii() and not w.isdigit() and not w.isalpha()
        and (len(w) >= MIXED_TOKEN or _SWITCHES.search(w) is not None)
        for w in words
    )


def _long_enough(words: list[str]) -> bool:
    return len(words) >= MIN_PASSAGE_WORDS and sum(map(len, words)) + len(words) - 1 >= MIN_PASSAGE_CHARS


def _chunks(words: list[str], size: int = 12) -> list[list[str]]:
    """`words` in runs of `size`, a tail too short to stand alone joining the run before it."""
    chunks = [words[start : start + size] for start in range(0, len(words), size)]
    if len(chunks) > 1 and len(chunks[-1]) < MIN_PASSAGE_WORDS:
        tail = chunks.pop()
        chunks[-1] += tail
    return chunks


def _blocks(text: str) -> Iterator[str]:
    """The blocks of Markdown `text` as the text a reader sees: paragraphs, list items, headings, code blocks."""
    block: list[str] = []
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            yield " ".join(block)
            block, in_code = [], not in_code
            continue
        if not in_code:
            if not line.strip() or _BLOCK_START.match(line) or _REFERENCE.match(line):
                yield " ".join(block)
                block = []
            if _REFERENCE.match(line):
                continue
            line = _LINE_MARKUP.sub("", line, count=1)
            line = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", _WIKI_LINK.sub(r"\1", _AUTOLINK.sub(r"\1", line)))
            line = html.unescape(OTHER_TAG.sub(" ", INLINE_TAG.sub("", line)))
        block.append(line)
    yield " ".join(block)
