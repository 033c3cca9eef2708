"""Text as a reader sees it: what the checks compare, whatever the markup, escaping or encoding.

Tags inside a run of text vanish and other tags separate words; character
references are undone as often as they were applied (a feed escapes a page's HTML
once more); words are case-folded as the regex engine's IGNORECASE folds them;
text in any Unicode encoding is read as UTF-8; a YAML file's comments, which no
page shows, are blanked.
"""

from __future__ import annotations

import html
import re


def fold(text: str) -> str:
    # Case folding agrees with IGNORECASE for every character but dotted and
    # dotless i, which the regex engine equates with i.
    if "\u0130" in text or "\u0131" in text:
        text = text.replace("\u0130", "i").replace("\u0131", "i")
    return text.casefold()


# Tags inside a run of text (a highlighted token, a link, emphasis) vanish; any
# other tag separates words. Comments stay: a pragma lives in one.
_INLINE = "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var|wbr"
INLINE_TAG = re.compile(rf"</?(?:{_INLINE})(?=[\s/>])[^<>]*>")

# For secrets, a span (the class of a highlighted token) and bare inline tags vanish;
# a link keeps its URL in place.
_BARE_TAG = re.compile(rf"<span(?=[\s>])[^<>]*>|</?(?:{_INLINE})>")
OTHER_TAG = re.compile(r"<(?:/?[A-Za-z][^<>]*|![A-Za-z][^<>]*|\?[^<>]*)>")
_TAG_WITH_VALUES = re.compile(r"<[A-Za-z][^<>]*=[^<>]*>")
_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
WORD = re.compile(r"[^\W_]+")

# Byte order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def text_bytes(data: bytes) -> bytes | None:
    """`data` as UTF-8 when it is text in a Unicode encoding (by its byte order mark, or for
    UTF-16 and UTF-32 without one by where its zero bytes are); None for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return data[len(bom) :]
            return _reencoded(data[len(bom) :], encoding)
    head = data[:8192]
    if b"\0" not in head:
        return data
    # Text of mostly ASCII letters in UTF-16 or UTF-32 has a zero byte in the same places of each unit.
    for encoding, unit, zeros in (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)),
                                  ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,))):
        sample = head[: len(head) - len(head) % unit]
        if sample and all(sample[i::unit].count(0) * 2 > len(sample) // unit for i in zeros):
            found = _reencoded(data, encoding)
            if found is not None:
                return found
    return None


def _reencoded(data: bytes, encoding: str) -> bytes | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\0" in text[:8192]:
        return None
    return text.encode("utf-8", "surrogatepass")


def unmarked(text: str) -> str:
    """`text` with highlighting and emphasis tags gone and character references undone, as often
    as it was escaped (a feed escapes the page's HTML once more); other tags, so attributes such
    as a link's URL, stay where they were, and so do comments."""
    for _ in range(3):
        if "<" not in text and "&" not in text:
            break
        unmarked = html.unescape(_BARE_TAG.sub("", text))
        if unmarked == text:
            break
        text = unmarked
    return text


def page_text(text: str) -> str:
    """`text` without markup or escaping, keeping its lines, followed by its attribute values one a line."""
    values: list[str] = []
    for _ in range(3):  # a page, the escaped HTML inside a feed, and once more
        if "<" not in text and "&" not in text:
            break
        if "<![CDATA[" in text:
            text = text.replace("<![CDATA[", "").replace("]]>", "")
        if "=" in text:
            values.extend(a or b for tag in _TAG_WITH_VALUES.findall(text) for a, b in _VALUE.findall(tag))
        plain = html.unescape(OTHER_TAG.sub(" ", INLINE_TAG.sub("", text)))
        if plain == text:
            break
        text = plain
    joined = "\n".join(values)
    return f"{text}\n{html.unescape(joined) if '&' in joined else joined}"


def folded_words(text: str) -> list[str]:
    """The words a reader sees in `text`, case-folded: what passages are compared by."""
    return WORD.findall(fold(text))


_YAML_COMMENT = re.compile(r"""(?:^|(?<=[ \t]))#.*$""")
_YAML_BLOCK = re.compile(r"(?:^|[:\s-])[|>][-+0-9]*\s*$")
_YAML_QUOTED = re.compile(r"'(?:[^']|'')*'" + r'|"(?:[^"\\]|\\.)*"')


def yaml_published(text: str) -> str:
    """The YAML `text` (publog.yaml, network.yaml) with its comments blanked, lines kept: no page shows
    a comment, so a term or token in one is not published. A comment holding an allowlist pragma stays,
    for the line it speaks for."""
    lines = text.split("\n")
    block: int | None = None  # the indent of the key of a block scalar (|, >) being read: its lines are text
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            continue
        block = None
        # a # inside quotes is text; the first one after a space outside them starts a comment
        masked = _YAML_QUOTED.sub(lambda m: "x" * len(m.group(0)), line) if "#" in line else line
        found = _YAML_COMMENT.search(masked)
        if found and "allowlist" not in line[found.start():]:
            lines[number] = line = line[: found.start()]
        if _YAML_BLOCK.search(line):
            block = indent
    return "\n".join(lines)
