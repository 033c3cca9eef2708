"""The final scan of a written file: never-publish terms, secrets and passages of private entries.

``scan_output(data, name, terms, private=(), allowlisted=frozenset()) -> tuple[str, ...]``
checks one written file (HTML page, XML feed, JSON, gzip-compressed Pagefind index),
looking through escaping and markup; ``find_in_output`` gives the same findings with what
to look for to find where each came from, and ``locate`` finds it in a source.
"""

from __future__ import annotations

import functools
import json
import re
import zlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from .found import Finding
from .reading import WORD, folded_words, page_text, text_bytes
from .secrets import secret_fingerprint, secret_hits, secret_line
from .terms import Terms, find_terms, may_occur

MAX_UNCOMPRESSED = 64 * 1024 * 1024
BINARY_SUFFIXES = (
    *(".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff", ".heic"),
    *(".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".zip", ".mp3", ".mp4", ".m4a", ".webm"),
    *(".ogg", ".wav", ".wasm", ".br", ".zst"),
)


# How far from its key word a passage is looked for: room for the passage and its markup.
_NEAR = 4096

# ASCII letters and digits lowered, anything else a space: the words of a page, cheaply.
_ASCII_WORDS = bytes(c | 32 if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


def scan_output(
    data: bytes,
    name: str,
    terms: Terms,
    private: Sequence[str] = (),
    allowlisted: Collection[str] = frozenset(),
    secrets: bool = True,
) -> tuple[str, ...]:
    """What must not be published in the written file `name` with content `data`, as descriptions
    ("the never-publish term 'Acme'", "an AWS access key", "private passage 3"); () if clean.

    `data` may be gzip-compressed (decompressed up to MAX_UNCOMPRESSED; a larger or
    broken one is reported, as it cannot be checked), and text in any Unicode encoding
    (UTF-16 or UTF-32, with or without a byte order mark). Images, fonts and other binary
    files are skipped: their metadata is another module's job. Terms and passages are
    looked for after undoing markup, HTML/XML escaping (as often as it was applied:
    a feed escapes a page's HTML once more) and JSON strings, attribute values included. `private` are passages of
    private entries (see `private_snippets`), found whatever the whitespace, case,
    markup or escaping between their words, and named by their index in `private`.
    A secret is not reported when a pragma covers its line or its fingerprint is in
    `allowlisted` (see `allowlisted_secrets`); `secrets=False` skips them (for files that only repeat
    text checked elsewhere). A word split inside by markup
    (``Ac<em>me</em>``) or spelled with character references is not found."""
    return tuple(dict.fromkeys(f.what for f in find_in_output(data, name, terms, private, allowlisted, secrets)))


def find_in_output(
    data: bytes,
    name: str,
    terms: Terms,
    private: Sequence[str] = (),
    allowlisted: Collection[str] = frozenset(),
    secrets: bool = True,
) -> tuple[Finding, ...]:
    """`scan_output`'s findings, each with what to look for in the file it came from."""
    if name.lower().endswith(BINARY_SUFFIXES):
        return ()
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data)
        except zlib.error:
            return (Finding("a gzip file that cannot be decompressed, so cannot be checked"),)
        except OverflowError:
            return (Finding(f"a gzip file larger than {MAX_UNCOMPRESSED >> 20} MB uncompressed, too large to check"),)
    if data.startswith(b"pagefind_dcd"):
        data = data[len(b"pagefind_dcd") :]
        if data.startswith(b"\0asm"):
            return ()
    else:
        utf8 = text_bytes(data)
        if utf8 is None:
            return ()
        data = utf8
    if not (secrets or terms.items or private):  # nothing to look for: a feed of a journal with no terms
        return ()
    text: str | None = None  # decoded only where needed: a site's feeds are most of its bytes
    if _JSON_START.match(data):
        text = data.decode("utf-8", errors="replace")
        strings = _json_strings(text)
        if strings is not None:
            text, data = strings, strings.encode("utf-8", "surrogatepass")
    found: dict[str, Finding] = {}
    for hit in secret_hits(data, markup=True) if secrets else ():
        if hit.strong and not hit.allowlisted and not all(secret_fingerprint(hit.detector, v) in allowlisted for v in hit.values):
            known = found.get(hit.detector.what)
            found[hit.detector.what] = Finding(hit.detector.what, values=(known.values if known else ()) + hit.values)
    if terms.items:
        text = data.decode("utf-8", errors="replace") if text is None else text
        if may_occur(terms, text, data):
            found.update((f.what, f) for f in _term_findings(page_text(text), terms))
    if private:
        passages = _passages(tuple(private))
        candidates = _maybe_private(data, passages)
        if candidates:
            found.update((f"private passage {n}", Finding(f"private passage {n}", passage=n))
                         for n in _private_found(data, candidates, passages))
    return tuple(found.values())


def find_in_name(name: str, terms: Terms) -> tuple[Finding, ...]:
    """The never-publish terms and secrets in the path `name` of a written file (its folders too)."""
    found = list(_term_findings(name, terms))
    hits = secret_hits(name.encode("utf-8", "surrogatepass"), markup=False)
    found += [Finding(hit.detector.what, values=hit.values) for hit in hits if hit.strong]
    return tuple(found)


def _term_findings(text: str, terms: Terms) -> Iterator[Finding]:
    items = {f"the never-publish term '{item}'": item for item in terms.items}
    for what in dict.fromkeys(leak.what for leak in find_terms(text, terms)):
        yield Finding(what, term=items[what])


def locate(text: str, finding: Finding, private: Sequence[str] = ()) -> int | None:
    """The line of `text` (a source file) where `finding` is, or None when it is not there."""
    if finding.term:
        leaks = find_terms(text, Terms((finding.term,)))
        return leaks[0].line if leaks else None
    if finding.values:
        return secret_line(text, finding.what, finding.values)
    if 0 <= finding.passage < len(private):
        words = WORD.findall(private[finding.passage])
        key = max(words, key=len) if words else ""
        pos = text.lower().find(key.lower()) if key else -1
        return text.count("\n", 0, pos) + 1 if pos >= 0 else None
    return None


def _gunzip(data: bytes) -> bytes:
    """The concatenated members of gzip `data`; OverflowError past MAX_UNCOMPRESSED."""
    out: list[bytes] = []
    size = 0
    while data[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        out.append(inflater.decompress(data, MAX_UNCOMPRESSED - size + 1))
        size += len(out[-1])
        if size > MAX_UNCOMPRESSED or inflater.unconsumed_tail:
            raise OverflowError(size)
        if not inflater.eof:
            raise zlib.error("truncated gzip data")
        data = inflater.unused_data
    return b"".join(out)


_JSON_START = re.compile(rb"\s*[{\[]")  # an object or an array: what _json_strings reads


def _json_strings(text: str) -> str | None:
    """The strings (keys and values) of `text`, one a line, if it is a JSON document; else None."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    strings: list[str] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            strings.append(item)
        elif isinstance(item, dict):
            strings.extend(item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return "\n".join(strings)


@dataclass(frozen=True)
class _Passages:
    by_key: dict[bytes, tuple[int, ...]]  # each passage under its longest ASCII word, lowered
    ascii_words: tuple[frozenset[bytes], ...]  # each passage's ASCII words, lowered
    keyless: tuple[int, ...]  # passages with no ASCII word: always compared
    words: tuple[str, ...]  # each passage's folded words, " w1 w2 … " ("" for none)
    keys: tuple[bytes | None, ...]  # each passage's key (None: keyless)
    heads: tuple[str | None, ...]  # each passage's first three folded words (None for a shorter one)


@functools.lru_cache(maxsize=8)
def _passages(private: tuple[str, ...]) -> _Passages:
    by_key: dict[bytes, list[int]] = {}
    ascii_words: list[frozenset[bytes]] = []
    keys: list[bytes | None] = []
    keyless: list[int] = []
    for number, passage in enumerate(private):
        found = [w.lower().encode() for w in WORD.findall(passage) if w.isascii()]
        key = max(found, key=len) if found else None
        ascii_words.append(frozenset(found))
        keys.append(key)
        if key is not None:
            by_key.setdefault(key, []).append(number)
        elif passage.strip():
            keyless.append(number)
    words = tuple(f" {' '.join(w)} " if (w := folded_words(p)) else "" for p in private)
    heads = tuple(" ".join(w.split()[:3]) if len(w.split()) >= 3 else None for w in words)
    by_key_tuples = {key: tuple(numbers) for key, numbers in by_key.items()}
    return _Passages(by_key_tuples, tuple(ascii_words), tuple(keyless), words, tuple(keys), heads)


def _maybe_private(data: bytes, passages: _Passages) -> list[int]:
    """The passages whose every ASCII word is a word of `data`, and those with none:
    a page without one of a passage's words cannot contain the passage."""
    page: set[bytes] | None = None
    if len(passages.by_key) <= 16:  # a few substring searches beat splitting the page into words
        lowered = data.lower()
        keys = [key for key in passages.by_key if key in lowered]
    else:
        page = set(data.translate(_ASCII_WORDS).split())
        keys = list(passages.by_key.keys() & page)
    candidates = [n for key in keys for n in passages.by_key[key]]
    if candidates:
        page = set(data.translate(_ASCII_WORDS).split()) if page is None else page
        candidates = [n for n in candidates if passages.ascii_words[n] <= page]
    return sorted(candidates + list(passages.keyless))


def _private_found(data: bytes, candidates: list[int], passages: _Passages) -> list[int]:
    """The candidate passages that `data`, read as a reader sees it, contains; each is looked
    for within _NEAR bytes of its key word, or in the whole file when that is cheaper."""
    lowered = data.lower()
    whole = (0, len(data))
    near: dict[bytes, list[tuple[int, int]]] = {}
    read: dict[tuple[int, int], tuple[str, frozenset[str] | None]] = {}  # words, and first-three-words set
    found = []
    for number in candidates:
        key = passages.keys[number]
        if key is not None and key not in near:
            # with many passages, or once the stretches read add up to the file, reading the
            # whole file once is cheaper
            many = len(candidates) > 32 or sum(b - a for a, b in read) > len(data)
            near[key] = [whole] if many else _near(lowered, key)
        for span in [whole] if key is None else near[key]:
            if span not in read:
                words = folded_words(page_text(data[span[0] : span[1]].decode("utf-8", errors="replace")))
                # many passages to compare: a set of three-word starts rules most out at once
                heads = frozenset(" ".join(words[i : i + 3]) for i in range(len(words))) if len(candidates) > 32 else None
                read[span] = (f" {' '.join(words)} ", heads)
            text, heads = read[span]
            head = passages.heads[number]
            if (heads is None or head is None or head in heads) and passages.words[number] and passages.words[number] in text:
                found.append(number)
                break
    return found


def _near(lowered: bytes, key: bytes) -> list[tuple[int, int]]:
    """The stretches of `lowered` within _NEAR bytes of `key`, merged; the whole of it when they
    would cover more than half of it."""
    spans: list[tuple[int, int]] = []
    pos = lowered.find(key)
    while pos >= 0:
        start, stop = max(0, pos - _NEAR), min(len(lowered), pos + len(key) + _NEAR)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], stop)
        else:
            spans.append((start, stop))
        pos = lowered.find(key, pos + len(key))
    if sum(stop - start for start, stop in spans) > len(lowered) // 2:
        return [(0, len(lowered))]
    return spans
