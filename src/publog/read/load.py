"""One entry file's bytes -> Source: checked front matter, title, body, key lines.

Pure: no file system access, so the result can be cached by the bytes' hash.
The front matter is split here rather than with python-frontmatter, which
silently takes an unclosed block, a YAML list or text after a BOM for "no
front matter" and loses the line numbers every error message needs.

Files written for other generators load as they are: YAML between ``---``
lines, TOML between ``+++`` lines (Hugo), or Pelican's ``Key: value`` header;
their keys for the same things (``categories``, ``description``, ``lastmod``,
``permalink``, ``aliases`` ...) are mapped onto publog's here, once.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from ..privacy import passages as private_mod
from . import titles
from ..settings import yamltext
from .dates import FileDate, entry_date, parse_date
from ..problems import Problem, error, errors_in, warning

ENTRY_SUFFIXES = (".md", ".markdown", ".mdown")  # the files that are entries
# Keys publog reads; any other key is kept in Source.extra for templates.
KNOWN_KEYS = ("title", "date", "updated", "tags", "kind", "summary", "draft", "slug", "id", "private", "published",
              "categories", "category", "description", "permalink", "aliases", "redirect_from", "publish",
              "lastmod", "last_modified_at", "modified", "created", "publishdate")
# Other generators' names for publog's keys, in order of preference.
UPDATED_KEYS = ("updated", "lastmod", "last_modified_at", "modified")
DATE_KEYS = ("date", "publishdate", "created")  # Hugo's publishDate, Obsidian's created
PELICAN_STATUS = ("draft", "published", "hidden")  # Pelican's Status:, not the status of a question




@dataclass(frozen=True)
class Source:
    """What an entry file says, checked but not yet placed in a journal."""

    path: str
    title: str
    body: str
    body_line: int
    date: dt.date | dt.datetime | FileDate | None = None
    updated: dt.date | dt.datetime | FileDate | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    summary: str | None = None
    draft: bool = False
    private: bool = False  # never published, whatever the build's options
    slug: str | None = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    categories: tuple[str, ...] = ()  # Jekyll, Hugo and Pelican categories: topics unless the journal says not
    permalink: str | None = None  # the exact site path it had on its old site (url:, permalink:), as written
    aliases: tuple[str, ...] = ()  # other names (Obsidian) or old site paths (Hugo) of the entry
    redirect_from: tuple[str, ...] = ()  # old site paths (Jekyll)
    publish: bool | None = None  # Obsidian Publish's flag; None when the file does not say
    untitled: str = ""  # why the title is the file's name: "is missing" or "is empty"; "" when it is not
    front_matter: bool = False  # whether the file has a front matter block (Jekyll renders only those)


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
        # Hugo and Obsidian pass them through; no feed can carry them, and no reader sees them.
        line = text.count("\n", 0, control.start()) + 1
        return _CONTROL.sub("", text), [warning(path, line, f"{_invisible(text)}; publog left {_them(text)} out")]
    return text, []


# Characters XML 1.0 cannot carry (and DEL), so no feed could hold an entry containing them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # YAML escapes can write NUL too


def _invisible(text: str) -> str:
    found = _CONTROL.findall(text)
    codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
    return f"contains {len(found)} invisible control character{'s' if len(found) > 1 else ''} ({codes})"


def _them(text: str) -> str:
    return "them" if len(_CONTROL.findall(text)) > 1 else "it"


def _without_control(path: str, meta: dict[str, Any], lines: dict[str, int]) -> tuple[dict[str, Any], list[Problem]]:
    """Front matter without the control characters its YAML escapes wrote ("\\x07"), each field warned."""
    problems: list[Problem] = []

    def clean(value: Any) -> tuple[Any, str]:
        if isinstance(value, str):
            return (_CONTROL.sub("", value), value) if _CONTROL.search(value) else (value, "")
        if isinstance(value, list):
            pairs = [clean(v) for v in value]
            return [v for v, _ in pairs], "".join(w for _, w in pairs)
        if isinstance(value, dict):
            pairs = {k: clean(v) for k, v in value.items()}
            return {k: v for k, (v, _) in pairs.items()}, "".join(w for _, w in pairs.values())
        return value, ""

    cleaned = {}
    for key, value in meta.items():
        cleaned[key], dropped = clean(value)
        if dropped:
            problems.append(warning(path, lines.get(key, 1), f"'{key}' {_invisible(dropped)}; publog left {_them(dropped)} out"))
    return cleaned, problems


def _wide(data: bytes) -> bool:
    """UTF-16 or UTF-32 without a byte order mark: every other (or every fourth) byte is NUL."""
    sample = data[:400]
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) // 3 or sample[0::2].count(0) > len(sample) // 3)


def _line_at(data: bytes, offset: int) -> int:
    """The line of a byte offset, whatever the line endings (LF, CRLF or CR alone)."""
    head = data[:offset]
    return head.count(b"\n") + head.replace(b"\r\n", b"").count(b"\r") + 1


@dataclass(frozen=True)
class Reading:
    """How the tool a folder was written for reads front matter, which parse() follows (conventions.reading)."""

    recover: bool = False  # YAML that is not valid: what can be read, with a warning (Obsidian, Jekyll, a plain folder)
    lenient: bool = False  # a key given twice: the last, as Hugo and Jekyll take it; a title list: joined, as Quartz
    word_tags: bool = False  # 'tags: a b' is two tags (Jekyll, Obsidian), not one


# Whether a note is published: never guessed from front matter that does not read.
_DECIDING = ("private", "draft", "published", "publish", "status")


def parse(path: str, text: str, reading: Reading = Reading()) -> tuple[Source | None, list[Problem]]:
    """Split and check the front matter of an entry's text."""
    meta: dict[str, Any] = {}
    lines: dict[str, int] = {}
    body, body_line = text, 1
    if text.startswith("---") and text.split("\n", 1)[0].rstrip() == "---":
        all_lines = text.split("\n")
        end = next((i for i in range(1, len(all_lines)) if all_lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            return None, [error(path, 1, "the front matter opened here is never closed; add a '---' line after it")]
        block = "\n".join(all_lines[1:end])
        doc, problems = yamltext.load(block, path, first_line=2, last_wins=reading.lenient, guarded=_DECIDING)
        if doc is None and reading.recover and len(problems) == 1 and problems[0].message.startswith("invalid YAML"):
            doc, problems = yamltext.recover(block, path, 2, problems[0], _DECIDING)
        if doc is None:
            return None, problems
        if doc.value is not None and not isinstance(doc.value, dict):
            kind = "a list" if isinstance(doc.value, list) else "a single value"
            if not reading.recover:
                return None, [error(path, 2, f"front matter must be 'key: value' lines, not {kind}")]
            problems.append(warning(path, 2, f"front matter must be 'key: value' lines, not {kind}; "
                                    "publog read the note as having no properties, as Obsidian shows it"))
            doc = yamltext.YamlText(None)
        meta, lines = doc.value or {}, doc.key_lines
        for key, text in doc.written.items():
            if key in _TEXT_KEYS and isinstance(text, str):
                meta[key] = text
            elif key in ("date", "updated") and isinstance(text, str) and text.isdigit() and len(text) == 8:
                meta[key] = text  # the ISO basic form, 20240501, which YAML reads as a number
            elif key == "tags" and isinstance(text, list) and isinstance(meta.get(key), list):
                meta[key] = [t if t is not None else v for t, v in zip(text, meta[key])]
        body, body_line = "\n".join(all_lines[end + 1 :]), end + 2
        source, more = _check(path, meta, lines, body, body_line, True, reading)
        return source, problems + more
    if text.startswith("+++") and text.split("\n", 1)[0].rstrip() == "+++":
        return _toml(path, text, reading)
    header = _pelican_header(text)
    if header is not None:
        meta, lines, body_line = header
        return _check(path, meta, lines, "\n".join(text.split("\n")[body_line - 1 :]), body_line, True, reading)
    return _check(path, meta, lines, body, body_line, False, reading)


_TOML_KEY = re.compile(r'^\s*("[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*=')
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _toml(path: str, text: str, reading: Reading) -> tuple[Source | None, list[Problem]]:
    """Hugo's TOML front matter, between +++ lines."""
    all_lines = text.split("\n")
    end = next((i for i in range(1, len(all_lines)) if all_lines[i].rstrip() == "+++"), None)
    if end is None:
        return None, [error(path, 1, "the TOML front matter opened here is never closed; add a '+++' line after it")]
    block = all_lines[1:end]
    try:
        meta = tomllib.loads("\n".join(block))
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) + 1 if found else 1
        what = _TOML_LINE.sub("", str(exc)).strip()
        return None, [error(path, line, f"invalid TOML: {what}; check the front matter's syntax")]
    lines: dict[str, int] = {}
    for index, written in enumerate(block):
        if written.lstrip().startswith("["):
            break  # a [table]: the keys after it are not top-level keys
        key = _TOML_KEY.match(written)
        if key:
            lines.setdefault(key.group(1).strip("\"'"), index + 2)
    return _check(path, meta, lines, "\n".join(all_lines[end + 1 :]), end + 2, True, reading)


# Python-Markdown's meta extension, which Pelican reads: "Key: value" lines, more lines indented by 4.
_META = re.compile(r"^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_META_MORE = re.compile(r"^ {4,}(.*)$")


def _pelican_header(text: str) -> tuple[dict[str, Any], dict[str, int], int] | None:
    """A Pelican ``Key: value`` header with a title, up to the first blank line; None if there is none.

    Only a header with a Title counts (Pelican requires one), so a note that starts
    "Note: ..." stays a note.
    """
    meta: dict[str, Any] = {}
    lines: dict[str, int] = {}
    key = ""
    for index, written in enumerate(text.split("\n")):
        if not written.strip():
            break
        match = _META.match(written)
        more = _META_MORE.match(written)
        if match and not match.group(1).isdigit():
            key = match.group(1).lower()
            if key in meta:
                return None
            meta[key], lines[key] = match.group(2).strip(), index + 1
        elif more and key:
            meta[key] = f"{meta[key]} {more.group(1).strip()}".strip()
        else:
            return None
    else:
        index += 1  # the header runs to the end of the file
    if "title" not in meta:
        return None
    status = str(meta.get("status", "")).lower()
    if status in PELICAN_STATUS:
        meta["status"] = status
    return meta, lines, index + 2


_TEXT_KEYS = ("title", "summary", "slug", "id", "kind")
_WORDS = re.compile(r"[,\s]+")


class _Front:
    """The front matter being checked: its values and their lines, and the problems found so far."""

    def __init__(self, path: str, meta: dict[str, Any], lines: dict[str, int], reading: Reading):
        self.path, self.meta, self.lines, self.reading = path, meta, lines, reading
        self.problems: list[Problem] = []
        self.taken: set[str] = set()  # keys read beyond KNOWN_KEYS, which are no extra for templates

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def text(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problems.append(error(self.path, self.line(key), f"'{key}' must be text, not {value!r}; put it in quotes"))
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts, or one text of several: tags, categories."""
        raw = self.meta.get(key)
        if isinstance(raw, str):
            # Jekyll's 'tags: a b' and 'categories: jekyll update' are two of each; Obsidian splits tags alike.
            words = (key == "tags" and self.reading.word_tags) or (key == "categories" and "," not in raw)
            raw = _WORDS.split(raw) if words else raw.split(",")
        if raw is None:
            return ()
        if isinstance(raw, list):
            raw = [t for t in raw if t is not None and (not isinstance(t, str) or t.strip())]  # an empty '- ' item
        if not isinstance(raw, list) or not all(isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in raw):
            self.problems.append(error(self.path, self.line(key), f"'{key}' must be a list such as [python, sql], not {raw!r}"))
            return ()
        # Obsidian writes tags with or without their '#'.
        return tuple(t[1:] if t.startswith("#") and len(t) > 1 else t for t in (str(t).strip() for t in raw))


def _check(
    path: str, meta: dict[str, Any], lines: dict[str, int], body: str, body_line: int, front_matter: bool,
    reading: Reading,
) -> tuple[Source | None, list[Problem]]:
    lines = dict(lines)
    meta = _lowered(meta, lines)
    meta, problems = _without_control(path, meta, lines)
    hidden_title = _private_text(meta.get("title"))
    front = _Front(path, _published(meta), lines, reading)
    front.problems += problems
    title, body, untitled = _title(front, body, body_line, hidden_title)
    found: dict[str, Any] = {}
    for check in _FIELDS:
        found.update(check(front))
    if errors_in(front.problems) or not title:
        return None, front.problems
    extra = {k: v for k, v in front.meta.items()
             if (k not in KNOWN_KEYS or (k == "published" and isinstance(v, str))) and k not in front.taken
             and not _mapped_status(k, v)}
    return Source(path=path, title=title, body=body, body_line=body_line, extra=extra, lines=front.lines,
                  untitled=untitled, front_matter=front_matter, **found), front.problems


def _title(front: _Front, body: str, body_line: int, hidden: bool) -> tuple[str | None, str, str]:
    """The title, the body without a heading that repeats it or stands for it, and why the title is the
    file's name ("" when it is not)."""
    meta = front.meta
    if front.reading.lenient and isinstance(meta.get("title"), list) and meta["title"] and all(
            isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in meta["title"]):
        # A web clipper's title list: Quartz shows it as text; one copy of each item reads better than two.
        meta["title"] = ", ".join(dict.fromkeys(str(t).strip() for t in meta["title"]))
        front.problems.append(warning(front.path, front.line("title"), f"'title' is a list; publog joined it into "
                                      f"{meta['title']!r}; write one title"))
    title = front.text("title")
    if title is not None:
        title = title.strip()
        body = titles.drop_repeated(body, title)
    if title or errors_in(front.problems):
        return title, body, ""
    heading = titles.title_heading(body)
    if heading is None:
        # Obsidian titles a note by its file name; whether that is an error is the journal's call.
        untitled = "is empty" if "title" in meta else "is all private" if hidden else "is missing"
        return titles.file_title(front.path), body, untitled
    front.lines["title"] = body_line + heading.first
    return titles.plain(heading.text), titles.without(body, heading), ""


def _dates(front: _Front) -> dict[str, Any]:
    dates: dict[str, Any] = {}
    for name, keys in (("date", DATE_KEYS), ("updated", UPDATED_KEYS)):
        key = next((k for k in keys if front.meta.get(k) is not None), None)
        if key is not None:
            # A FileDate (Eleventy's 'Last Modified', or a date no tool reads) is settled by the build.
            dates[name] = entry_date(front.meta[key], key)
            front.lines.setdefault(name, front.line(key))
    return dates


def _topics(front: _Front) -> dict[str, Any]:
    return {"tags": front.texts("tags"), "categories": front.texts("categories") + front.texts("category")}


def _flags(front: _Front) -> dict[str, Any]:
    flags = {}
    for key, default in (("draft", False), ("private", False), ("published", True), ("publish", None)):
        value = front.meta.get(key, default)
        if key == "published" and isinstance(value, str) and not parse_date(value)[1]:
            value = default  # a web clipper's date property (published: 2025-07-21), not Jekyll's flag
        elif not isinstance(value, bool) and value is not default:
            front.problems.append(error(front.path, front.line(key), f"'{key}' must be true or false, not {value!r}"))
        flags[key] = value
    # Jekyll's published: false and Pelican's Status: draft say draft too.
    return {"draft": flags["draft"] is True or flags["published"] is False or front.meta.get("status") == "draft",
            "private": flags["private"] is True,
            "publish": flags["publish"] if isinstance(flags["publish"], bool) else None}


def _addresses(front: _Front) -> dict[str, Any]:
    """The exact site path it had on its old site, and its other names and old paths."""
    found: dict[str, Any] = {"permalink": None}
    for key in ("permalink", "url"):
        value = front.meta.get(key)
        if value is False and key == "permalink":
            found["publish"] = False  # Eleventy's permalink: false writes no page
        elif isinstance(value, str) and value.strip() and "://" not in value and not value.startswith("mailto:"):
            if key == "url" and not value.startswith("/"):
                continue  # a plain url: is often where the entry's subject lives, not a path of the site
            if "{{" in value or "{%" in value:
                front.problems.append(warning(front.path, front.line(key), f"'{key}' is a template publog does not run "
                                              f"({value.strip()}); the entry gets publog's URL, so write the old URL out to keep it"))
                continue
            found["permalink"] = value.strip()
            front.taken.add(key)
            front.lines.setdefault("permalink", front.line(key))
            break
    return {**found, "aliases": front.texts("aliases"), "redirect_from": front.texts("redirect_from")}


def _slug(front: _Front) -> dict[str, Any]:
    slug = front.text("slug")
    if slug is not None:
        slug = unicodedata.normalize("NFC", slug)  # macOS tools write 'é' as 'e' + a combining accent
    if slug is not None and len(slug.encode()) > 200:  # one not usable in a URL as written is made usable later (urls.written_slug)
        front.problems.append(error(front.path, front.line("slug"), "the slug is too long for a file name; keep it under 100 letters"))
        slug = None
    return {"slug": slug}


def _texts(front: _Front) -> dict[str, Any]:
    kind, summary, entry_id = front.text("kind"), front.text("summary"), front.text("id")
    if summary is None:
        summary = front.text("description")
    return {"kind": kind.strip() if kind else None, "summary": summary.strip() if summary else None, "id": entry_id}


# Each reads its fields of Source from the front matter, in the order their problems are reported.
_FIELDS: tuple[Callable[[_Front], dict[str, Any]], ...] = (_dates, _topics, _flags, _addresses, _slug, _texts)


_GONE = object()  # a field whose whole text was private: as if it were not there


def _published(value: Any) -> Any:
    """A front matter value without its private passages (privacy/passages.py), in every text it holds: any
    field may reach a page or feed (title, summary, series, a kind's fields, a template's extra)."""
    if isinstance(value, str):
        if not value.strip():
            return value
        kept = private_mod.removed(value)
        return kept if kept is value or kept.strip() else _GONE
    if isinstance(value, list):
        return [v for v in map(_published, value) if v is not _GONE]
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _published(v)) for k, v in value.items()) if v is not _GONE}
    return value


def _private_text(value: Any) -> bool:
    return isinstance(value, str) and _published(value) is _GONE


def _mapped_status(key: str, value: Any) -> bool:
    return key == "status" and value in PELICAN_STATUS


# Keys other generators spell in camel case or capitals: Hugo's publishDate, Pelican's Title.
_FOLDED = {k.replace("_", ""): k for k in KNOWN_KEYS + ("url", "status")}


def _lowered(meta: dict[str, Any], lines: dict[str, int]) -> dict[str, Any]:
    """Keys that differ from publog's only in case (publishDate, Title) under publog's spelling; lines follow."""
    renamed: dict[str, Any] = {}
    for key, value in meta.items():
        name = str(key)
        folded = _FOLDED.get(name.lower()) if name not in _FOLDED.values() else None
        if folded and folded != name and folded not in meta:
            renamed[folded] = value
            if name in lines:
                lines[folded] = lines[name]
        else:
            renamed[name] = value
    return renamed
