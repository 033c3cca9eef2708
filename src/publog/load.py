"""One entry file's bytes -> Source: checked front matter, title, body, key lines.

Pure: no file system access, so the result can be cached by the bytes' hash.
The front matter is split here rather than with python-frontmatter, which
silently takes an unclosed block, a YAML list or text after a BOM for "no
front matter" and loses the line numbers every error message needs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from . import yamltext
from .dates import parse_date
from .problems import Problem, error

# Keys publog reads; any other key is kept in Source.extra for templates.
KNOWN_KEYS = ("title", "date", "updated", "tags", "kind", "summary", "draft", "slug", "id", "private", "published")

_SLUG = re.compile(r"^[\w][\w.~-]*$")
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Source:
    """What an entry file says, checked but not yet placed in a journal."""

    path: str
    title: str
    body: str
    body_line: int
    date: dt.date | dt.datetime | None = None
    updated: dt.date | dt.datetime | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    summary: str | None = None
    draft: bool = False
    private: bool = False  # never published, whatever the build's options
    slug: str | None = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes -> text with LF line endings, or the problem that stops it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _wide(data):
        return None, [error(path, 1, "is UTF-16 (or UTF-32) text; re-save the file as UTF-8")]
    if b"\x00" in data:
        line = _line_at(data, data.index(b"\x00"))
        return None, [error(path, line, "contains NUL bytes; is this a binary file? Move it out of the entries folder")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        return None, [
            error(path, line, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8")
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        code = f"U+{ord(control.group()):04X}"
        return None, [error(path, line, f"contains the invisible control character {code}; delete it (feeds cannot carry it)")]
    return text, []


# Characters XML 1.0 cannot carry, so no feed could hold an entry containing them.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FIELD_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # YAML escapes can write NUL too


def _wide(data: bytes) -> bool:
    """UTF-16 or UTF-32 without a byte order mark: every other (or every fourth) byte is NUL."""
    sample = data[:400]
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) // 3 or sample[0::2].count(0) > len(sample) // 3)


def _line_at(data: bytes, offset: int) -> int:
    """The line of a byte offset, whatever the line endings (LF, CRLF or CR alone)."""
    head = data[:offset]
    return head.count(b"\n") + head.replace(b"\r\n", b"").count(b"\r") + 1


def parse(path: str, text: str) -> tuple[Source | None, list[Problem]]:
    """Split and check the front matter of an entry's text."""
    meta: dict[str, Any] = {}
    lines: dict[str, int] = {}
    body, body_line = text, 1
    if text.startswith("---") and text.split("\n", 1)[0].rstrip() == "---":
        all_lines = text.split("\n")
        end = next((i for i in range(1, len(all_lines)) if all_lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            return None, [error(path, 1, "the front matter opened here is never closed; add a '---' line after it")]
        doc, problems = yamltext.load("\n".join(all_lines[1:end]), path, first_line=2)
        if doc is None:
            return None, problems
        if doc.value is not None and not isinstance(doc.value, dict):
            kind = "a list" if isinstance(doc.value, list) else "a single value"
            return None, [error(path, 2, f"front matter must be 'key: value' lines, not {kind}")]
        meta, lines = doc.value or {}, doc.key_lines
        for key, text in doc.written.items():
            if key in _TEXT_KEYS and isinstance(text, str):
                meta[key] = text
            elif key in ("date", "updated") and isinstance(text, str) and text.isdigit() and len(text) == 8:
                meta[key] = text  # the ISO basic form, 20240501, which YAML reads as a number
            elif key == "tags" and isinstance(text, list) and isinstance(meta.get(key), list):
                meta[key] = [t if t is not None else v for t, v in zip(text, meta[key])]
        body, body_line = "\n".join(all_lines[end + 1 :]), end + 2
    return _check(path, meta, lines, body, body_line)


_TEXT_KEYS = ("title", "summary", "slug", "id", "kind")


def _check(
    path: str, meta: dict[str, Any], lines: dict[str, int], body: str, body_line: int
) -> tuple[Source | None, list[Problem]]:
    problems: list[Problem] = []

    def line(key: str) -> int:
        return lines.get(key, 1)

    def text_field(key: str) -> str | None:
        value = meta.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            problems.append(error(path, line(key), f"'{key}' must be text, not {value!r}; put it in quotes"))
            return None
        if _FIELD_CONTROL.search(value):
            problems.append(error(path, line(key), f"'{key}' contains an invisible control character; delete it"))
            return None
        return value

    title = text_field("title")
    title_line = line("title")
    title_failed = bool(problems)
    if title is not None:
        title = title.strip()
        body = _drop_heading(body, title)
    if not title and not title_failed:
        heading = _first_heading(body)
        if heading is None:
            where = "is empty" if "title" in meta else "is missing"
            problems.append(
                error(path, title_line, f"the title {where}; add 'title: ...' to the front matter or a '# Title' line")
            )
        else:
            title, index = heading
            body_lines = body.split("\n")
            del body_lines[index]
            body = "\n".join(body_lines)
            lines = {**lines, "title": body_line + index}

    dates: dict[str, Any] = {}
    for key in ("date", "updated"):
        if meta.get(key) is not None:
            value, wrong = parse_date(meta[key])
            if wrong:
                problems.append(error(path, line(key), f"'{key}': {wrong}"))
            dates[key] = value

    tags: tuple[str, ...] = ()
    raw_tags = meta.get("tags")
    if isinstance(raw_tags, str):
        raw_tags = [t for t in raw_tags.split(",") if t.strip()]
    if raw_tags is not None:
        if not isinstance(raw_tags, list) or not all(
            isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in raw_tags
        ):
            problems.append(
                error(path, line("tags"), f"'tags' must be a list such as [python, sql], not {raw_tags!r}")
            )
        elif any(_FIELD_CONTROL.search(str(t)) for t in raw_tags):
            problems.append(error(path, line("tags"), "a tag contains an invisible control character; delete it"))
        else:
            tags = tuple(str(t).strip() for t in raw_tags)

    flags = {}
    for key, default in (("draft", False), ("private", False), ("published", True)):
        value = meta.get(key, default)
        if not isinstance(value, bool):
            problems.append(error(path, line(key), f"'{key}' must be true or false, not {value!r}"))
        flags[key] = value
    draft = flags["draft"] is True or flags["published"] is False  # Jekyll's way of saying draft
    private = flags["private"] is True

    slug = text_field("slug")
    if slug is not None:
        slug = unicodedata.normalize("NFC", slug)  # macOS tools write 'é' as 'e' + a combining accent
    if slug is not None and (not _SLUG.match(slug) or ".." in slug):
        problems.append(
            error(path, line("slug"), f"slug {slug!r} is not usable in a URL; use letters, digits and dashes only")
        )
        slug = None
    elif slug is not None and len(slug.encode()) > 200:
        problems.append(error(path, line("slug"), "the slug is too long for a file name; keep it under 100 letters"))
        slug = None

    kind, summary, entry_id = text_field("kind"), text_field("summary"), text_field("id")
    if problems or not title:
        return None, problems
    return (
        Source(
            path=path,
            title=title,
            body=body,
            body_line=body_line,
            date=dates.get("date"),
            updated=dates.get("updated"),
            tags=tags,
            kind=kind.strip() if kind else None,
            summary=summary.strip() if summary else None,
            draft=draft,
            private=private,
            slug=slug,
            id=entry_id,
            extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
            lines=lines,
        ),
        [],
    )


def _heading_lines(body: str) -> Any:
    """Yield (index, line) for body lines outside fenced code."""
    fence = None
    for index, text in enumerate(body.split("\n")):
        match = _FENCE.match(text)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
        else:
            yield index, text


def _first_heading(body: str) -> tuple[str, int] | None:
    for index, text in _heading_lines(body):
        match = _H1.match(text)
        if match and match.group(1).strip():
            return match.group(1).strip(), index
    return None


def _drop_heading(body: str, title: str) -> str:
    """Drop a leading '# Title' that repeats the front matter title (Obsidian habit)."""
    stripped = body.lstrip("\n")
    first = stripped.split("\n", 1)[0]
    match = _H1.match(first)
    if match and match.group(1).strip() == title:
        skipped = len(body) - len(stripped)
        return "\n" * (body[:skipped].count("\n") + 1) + stripped[len(first) + 1 :]
    return body
