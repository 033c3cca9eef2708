"""An entry -> a post announcing it, ready to paste into Mastodon, Bluesky, LinkedIn or X.

A post is the title, the summary, the entry's URL and its topics as hashtags, each
in its own paragraph. When it is too long for the platform, hashtags go first (the
last one first), then the summary is shortened at a word boundary with "…", then
the title; the URL is never touched and no word is ever cut in half (unless the
first word of the title alone is too long, which leaves nothing else to do).

How each platform counts, and so how ``measure`` counts for it:

=========  =====  ===========================================================================
platform   limit  what counts
=========  =====  ===========================================================================
mastodon   500    grapheme clusters; every http(s) URL counts 23, however long (the
                  server's StatusLengthValidator); 500 is the default of mastodon.social
                  and most servers
x          280    "weighted" code points after NFC (twitter-text v3): U+0000-U+10FF and
                  a few punctuation ranges count 1, everything else (CJK, emoji) 2;
                  every URL counts 23 (t.co), bare domains such as example.org too
bluesky    300    grapheme clusters, URLs as written; also at most 3000 bytes of UTF-8
                  (app.bsky.feed.post's maxGraphemes and maxLength)
linkedin   3000   characters as the browser counts them (UTF-16 code units), URLs as written
=========  =====  ===========================================================================

``measure`` never counts less than the platform: grapheme clusters are counted
without the merges that need Unicode's tables (Hangul syllables, emoji ZWJ
sequences, spacing marks), which can only make a count larger; on X, © and ® count
2 as emoji may; and a word that a platform might take for a link (it holds "://"
or a dot before a letter, as in "e.g." or "Node.js") counts its own length plus 23
for each. So a post that fits here fits there.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .. import urls
from ..journal.model import Entry, Journal

DEFAULT_PLATFORM = "mastodon"
URL_WEIGHT = 23  # what Mastodon and X count for any link
_SEPARATOR = "\n\n"


def _code_units(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _graphemes(text: str) -> int:
    """Grapheme clusters, counted so that the result is never below Unicode's extended clusters.

    Only the merges that always hold are made: a combining mark, ZWJ or emoji skin tone
    joins the character before it, unless that is a control or a space.
    """
    count = 0
    before = ""
    for ch in text:
        joins = before and _extends(ch) and unicodedata.category(before)[0] not in "CZ"
        if not joins:
            count += 1
        before = ch
    return count


def _extends(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me") or ch == "\u200d" or "\U0001f3fb" <= ch <= "\U0001f3ff"


_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_EMOJI_LOOKALIKES = frozenset("\u00a9\u00ae")  # light by range, yet emoji: counted 2


def _x_weight(text: str) -> int:
    return sum(
        1 if ch not in _X_EMOJI_LOOKALIKES and any(lo <= ord(ch) <= hi for lo, hi in _X_LIGHT) else 2
        for ch in text
    )


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    limit: int
    count: Callable[[str], int]  # text without links
    url_weight: int | None  # what a link counts; None: as written
    max_bytes: int | None = None  # of UTF-8, when the platform has that limit too
    normalise: bool = False  # counts after NFC


PLATFORMS: dict[str, Platform] = {
    "mastodon": Platform("mastodon", "Mastodon", 500, _graphemes, URL_WEIGHT),
    "bluesky": Platform("bluesky", "Bluesky", 300, _graphemes, None, max_bytes=3000),
    "linkedin": Platform("linkedin", "LinkedIn", 3000, _code_units, None),
    "x": Platform("x", "X", 280, _x_weight, URL_WEIGHT, normalise=True),
}

# A whole word that every platform takes for exactly one link: ASCII, ending as a URL ends.
_LINK = re.compile(r"https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9/_.~%#?=&+:@!$*,;-]*)?(?<=[A-Za-z0-9/_#=~-])")
_LINKISH = re.compile(r"://|\.(?=[^\W_])")


def measure(text: str, platform: str) -> int:
    """The length of ``text`` as ``platform`` counts it, or more (never less)."""
    rules = PLATFORMS[platform]
    if rules.normalise:
        text = unicodedata.normalize("NFC", text)
    if rules.url_weight is None:
        return rules.count(text)
    total = 0
    for word in re.findall(r"\S+|\s+", text):
        if _LINK.fullmatch(word):
            total += rules.url_weight
        else:
            total += rules.count(word) + rules.url_weight * len(_LINKISH.findall(word))
    return total


def fits(text: str, platform: str) -> bool:
    rules = PLATFORMS[platform]
    return measure(text, platform) <= rules.limit and (rules.max_bytes is None or len(text.encode()) <= rules.max_bytes)


@dataclass(frozen=True)
class Post:
    platform: str
    text: str
    length: int  # as measure() counts it
    limit: int

    @property
    def fits(self) -> bool:
        return fits(self.text, self.platform)


def compose(title: str, summary: str, url: str, tags: Sequence[str] = (), platform: str = DEFAULT_PLATFORM) -> Post:
    """A post of title, summary, URL and hashtags that fits ``platform``, cut as the module says.

    Promises: ``url`` appears whole, on a line of its own; every word shown is a whole
    word of the input; the title is shown (shortened if it must be) unless the URL alone
    fills the post. ``Post.fits`` is false only when even the URL alone is too long.
    """
    title, summary = " ".join(title.split()), " ".join(summary.split())
    if summary.casefold() in (title.casefold(), title.casefold() + "."):
        summary = ""
    tags = list(tags)

    def post(title: str, summary: str, tags: Sequence[str]) -> str:
        return _SEPARATOR.join(part for part in (title, summary, url, " ".join(tags)) if part)

    def ok(text: str) -> bool:
        return fits(text, platform)

    while tags and not ok(post(title, summary, tags)):
        tags.pop()
    if not ok(post(title, summary, tags)):
        words = summary.split()
        keep = _most(lambda n: ok(post(title, _shorten(words, n), ())), len(words) - 1)
        summary = _shorten(words, keep)
    if not ok(post(title, summary, tags)):
        words = title.split()
        keep = _most(lambda n: ok(post(_shorten(words, n), "", ())), len(words) - 1)
        title = _shorten(words, keep) if keep else _chop(words[0] if words else "", lambda t: ok(post(t, "", ())))
    text = post(title, summary, tags)
    return Post(platform, text, measure(text, platform), PLATFORMS[platform].limit)


def _most(ok: Callable[[int], bool], most: int) -> int:
    """The largest n in 1..most with ok(n), ok being monotone; 0 when there is none."""
    low, high = 0, max(most, 0)
    while low < high:
        middle = (low + high + 1) // 2
        if ok(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _shorten(words: Sequence[str], keep: int) -> str:
    if keep <= 0:
        return ""
    if keep >= len(words):
        return " ".join(words)
    return " ".join(words[:keep]).rstrip(",;:") + "…"


def _chop(word: str, ok: Callable[[str], bool]) -> str:
    """The longest start of one word, with "…", that is ok; never splitting a character from its marks."""
    starts = [i for i in range(1, len(word)) if not _extends(word[i])]
    keep = _most(lambda n: ok(word[: starts[n - 1]] + "…"), len(starts))
    return word[: starts[keep - 1]] + "…" if keep else ""


_SPELLED = (("+", " Plus "), ("#", " Sharp "), ("&", " And "))


def hashtag(name: str) -> str | None:
    """A topic's name as a hashtag every platform links: 'machine learning' -> '#MachineLearning',
    'C++' -> '#CPlusPlus'; None when it has no letter."""
    for sign, word in _SPELLED:
        name = name.replace(sign, word)
    words: list[str] = []
    current = ""
    for ch in unicodedata.normalize("NFC", name):
        if ch.isalnum() or (current and unicodedata.category(ch)[0] == "M"):
            current += ch
        else:
            words.append(current)
            current = ""
    words.append(current)
    tag = "".join(w[0].upper() + w[1:] for w in words if w)
    return "#" + tag if any(ch.isalpha() for ch in tag) else None


def hashtags(names: Iterable[str]) -> list[str]:
    """The hashtags of some topic names, without repeats (ignoring case)."""
    found: dict[str, str] = {}
    for name in names:
        tag = hashtag(name)
        if tag:
            found.setdefault(tag.casefold(), tag)
    return list(found.values())


def for_entry(entry: Entry, journal: Journal, platform: str = DEFAULT_PLATFORM) -> Post:
    """The post announcing a published entry on ``platform``."""
    names = {topic.key: topic.name for topic in journal.topics}
    url = urls.Urls(journal.config.base_url).absolute(entry.url)
    return compose(entry.title, entry.summary, url, hashtags(names.get(k, k) for k in entry.topics), platform)


def find(journal: Journal, wanted: str, root: Path, here: Path) -> tuple[Entry | None, str]:
    """The published entry that ``wanted`` names, or (None, why none).

    ``wanted`` is an entry's file, relative to the journal or to ``here``, or its file
    name alone, or its slug (the last part of its URL, or its file name without date
    and extension).
    """
    published = journal.by_path
    candidates = [posixpath.normpath(wanted.replace("\\", "/"))]
    try:
        candidates.append((here / wanted).resolve().relative_to(root.resolve()).as_posix())
    except (ValueError, OSError):
        pass
    for path in candidates:
        if path in published:
            return published[path], ""
    slug = wanted.strip("/").casefold()
    matches = [e for e in journal.entries if slug in (_last(e.url), _stem(e.path), posixpath.basename(e.path).casefold())]
    if len(matches) == 1:
        return matches[0], ""
    if matches:
        return None, f"{wanted} could be {', '.join(e.path for e in matches)}; give the file instead"
    if any((base / wanted).is_file() for base in (root, here)):
        return None, f"{wanted} is not published (a draft, private, or dated in the future); only published entries can be shared"
    return None, f"no published entry has the file or slug {wanted}"


def _last(url: str) -> str:
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return posixpath.splitext(name)[0].casefold() if name.endswith(".html") else name.casefold()


def _stem(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return (stem[11:] if re.match(r"\d{4}-\d{2}-\d{2}-", stem) else stem).casefold()
