"""Never-publish terms: the ``privacy.never_publish`` list of publog.yaml, compiled and looked for.

``compile_terms(items) -> Terms`` compiles the list (ValueError for a bad item);
``find_terms(text, terms) -> tuple[Leak, ...]`` finds its items, case-insensitively
on word boundaries. A term is named in messages, since the author wrote it in their
own configuration.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .found import Leak
from .reading import WORD, fold


@dataclass(frozen=True)
class Terms:
    """A never-publish list made by `compile_terms`; hashable and picklable, as it holds only the items."""

    items: tuple[str, ...] = ()


# A match may not start or end between two word characters; an item's edge that
# is not a word character (C++, .NET) needs no boundary on that side.
_EDGE = r"(?:(?<!\w)|(?!\w))"

# Characters the regex engine's IGNORECASE equates with an ASCII letter although
# they are not ASCII (the Kelvin sign K, long s, dotted and dotless i).
_EXOTIC = "\u212a\u017f\u0130\u0131"


@dataclass(frozen=True)
class _Term:
    item: str
    pattern: re.Pattern[str]
    bare: re.Pattern[str] | None  # a regex item without the edges: a cheap first look
    needles: tuple[str, ...]  # a plain item's folded letters and digits, all in any text it is in
    ascii_needles: tuple[bytes, ...] | None  # the same lowered, when they are ASCII


def compile_terms(items: Sequence[str]) -> Terms:
    """The never-publish list `items` as Terms.

    A plain item is a word or phrase (a run of whitespace inside it matches any
    run of whitespace, line breaks included); an item written ``/regex/`` is a
    Python regular expression. Matching is case-insensitive and on word
    boundaries. Raises ValueError naming the item for an empty item, an invalid
    regular expression or one that matches empty text."""
    cleaned = tuple(dict.fromkeys(item.strip() for item in items))
    _terms(cleaned)
    return Terms(cleaned)


@functools.cache
def _terms(items: tuple[str, ...]) -> tuple[_Term, ...]:
    terms = []
    for item in items:
        if not item:
            raise ValueError("a never-publish term is empty: remove it or write the word to look for")
        if len(item) > 2 and item.startswith("/") and item.endswith("/"):
            try:
                bare = re.compile(item[1:-1], re.IGNORECASE)
            except re.error as err:
                where = f" at character {err.pos + 1}" if err.pos is not None else ""
                raise ValueError(f"never-publish pattern {item} is not a valid regular expression: {err.msg}{where}") from None
            if bare.fullmatch(""):
                raise ValueError(f"never-publish pattern {item} matches empty text, so it would match everywhere")
            try:
                pattern = re.compile(f"{_EDGE}(?:{item[1:-1]}){_EDGE}", re.IGNORECASE)
            except re.error as err:  # what only goes wrong inside a group, such as global flags: (?x)
                raise ValueError(f"never-publish pattern {item} cannot be used inside a larger pattern: {err.msg}") from None
            terms.append(_Term(item, pattern, bare, (), None))
        else:
            words = unicodedata.normalize("NFC", item).split()
            # the letters and digits of the item, which escaping never touches (O'Reilly is O&#39;Reilly
            # in a page), longest first as the longest is likely the rarest
            needles = tuple(sorted(set(WORD.findall(fold(" ".join(words)))), key=len, reverse=True))
            ascii_needles = tuple(n.encode() for n in needles) if all(w.isascii() for w in words) else None
            phrase = r"\s+".join(map(re.escape, words))
            pattern = re.compile(f"{_EDGE}(?:{phrase}){_EDGE}", re.IGNORECASE)
            terms.append(_Term(item, pattern, None, needles, ascii_needles))
    return tuple(terms)


def find_terms(text: str, terms: Terms) -> tuple[Leak, ...]:
    """Each line of `text` (1-based) where an item of `terms` starts, once per line and item, in order.

    A plain item absent from the text costs a substring search; a regex item a regex search."""
    compiled = _terms(terms.items)
    found: set[Leak] = set()
    present = tuple(_maybe_present(compiled, text, None))
    if present and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for term in present:
        line_no, counted = 1, 0
        for match in term.pattern.finditer(text):
            if match.end() > match.start():
                line_no += text.count("\n", counted, match.start())
                counted = match.start()
                found.add(Leak(line_no, f"the never-publish term '{term.item}'"))
    return tuple(sorted(found))


def may_occur(terms: Terms, text: str, data: bytes) -> bool:
    """Whether an item of `terms` may occur in `text` (`data`: its UTF-8 bytes); never False when one does."""
    return any(True for _ in _maybe_present(_terms(terms.items), text, data))


def _maybe_present(terms: tuple[_Term, ...], text: str, data: bytes | None) -> Iterator[_Term]:
    """The `terms` that may occur in `text` once in NFC (`data`: its UTF-8 bytes, if at hand).

    Never leaves one out: only NFC can make an ASCII letter of something else,
    and only of the Kelvin sign, which sends the text down the folding path."""
    lowered: bytes | None = None
    folded: str | None = None
    nfc: str | None = None
    exotic = not text.isascii() and any(c in text for c in _EXOTIC)
    for term in terms:
        if term.bare is not None:
            nfc = _nfc(text) if nfc is None else nfc
            present = term.bare.search(nfc) is not None
        elif term.ascii_needles is not None and not exotic:
            # ASCII bytes lowered are ASCII text folded, and far cheaper to make
            if lowered is None:
                lowered = (text.encode("utf-8", "surrogatepass") if data is None else data).lower()
            present = all(needle in lowered for needle in term.ascii_needles)
        else:
            nfc = _nfc(text) if nfc is None else nfc
            folded = fold(nfc) if folded is None else folded
            present = all(needle in folded for needle in term.needles)
        if present:
            yield term


def _nfc(text: str) -> str:
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
