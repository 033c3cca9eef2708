"""Entry kinds: what a learning log, a case study, a failure, a question and a TIL are made of.

A kind declares its fields; an entry of that kind is checked against them and
its values normalised here, so templates get periods, sources and lists ready
to show. Journals may add kinds, or replace these, in publog.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Mapping

from ..read.dates import parse_date, shifted

FIELD_TYPES = ("text", "texts", "date", "period", "sources", "url", "status", "answer", "number", "any")
SOURCE_TYPES = ("book", "podcast", "talk", "article", "course", "video", "paper", "newsletter", "other")
STATUSES = ("open", "answered")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    # What a missing value means, so that a folder written for another tool builds:
    # "open" for a question's status, "week" for the week up to the entry's date.
    default: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    plural: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    template: str = "entry.html"
    body: str = ""  # the skeleton `publog new --kind` writes


def shared(kind: Kind) -> Kind:
    """``kind`` as a community site describes it: a built-in kind's own description in the first person
    plural; a description publog.yaml gives is kept."""
    plural = _DESCRIBED_BY_MANY.get(kind.name)
    if plural is None or kind.description != BUILTIN[kind.name].description:
        return kind
    return replace(kind, description=plural)


def _f(name: str, label: str, type: str = "text", default: str | None = None) -> Field:  # noqa: A002
    return Field(name, label, type, False, default)


BUILTIN: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "log", "Learning log", "Learning logs", "What I read, heard and watched, and what I took from it.",
            (_f("period", "Period", "period", default="week"), _f("sources", "Sources", "sources"),
             _f("takeaways", "Key takeaways", "texts")),
            body="## What I did\n\n## What stuck\n\n## Next week\n",
        ),
        Kind(
            "case-study", "Case study", "Case studies", "Something I tried at work: what worked, what didn't, and the numbers.",
            (_f("context", "Context"), _f("tried", "What I tried"), _f("worked", "What worked"),
             _f("didnt", "What didn't"), _f("outcome", "Outcome"), _f("differently", "What I'd do differently")),
            body="## Context\n\n## What I tried\n\n## What worked\n\n## What didn't\n\n## Outcome\n",
        ),
        Kind(
            "failure", "Failure", "Failures", "Things that went wrong, and what they taught me.",
            (_f("what_happened", "What happened"), _f("why", "Why"), _f("learned", "What I learned")),
            body="## What happened\n\n## Why\n\n## What I learned\n",
        ),
        Kind(
            "question", "Question", "Questions", "Open problems I would love readers' help with.",
            (_f("status", "Status", "status", default="open"), _f("answer", "Answer", "answer")),
            body="## The problem\n\n## What I have tried so far\n\n## How you can help\n",
        ),
        Kind("til", "TIL", "TILs", "Today I learned: short notes."),
    )
}


# The built-in kinds' descriptions on a community site, where many write.
_DESCRIBED_BY_MANY = {
    "log": "What we read, heard and watched, and what we took from it.",
    "case-study": "Something one of us tried at work: what worked, what didn't, and the numbers.",
    "failure": "Things that went wrong, and what they taught us.",
    "question": "Open problems we would love readers' help with.",
}


def check(
    kind: Kind, meta: Mapping[str, Any], lines: Mapping[str, int], date: dt.date
) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
    """An entry's values for ``kind``'s fields, normalised; or (line, message, severity) for each problem.

    A required field written but left empty (as `publog new` writes it) is still to be filled in: a
    warning, and the page shows the entry without it; one not written at all is an error."""
    values: dict[str, Any] = {}
    problems: list[tuple[int, str, str]] = []
    for field in kind.fields:
        line = lines.get(field.name, lines.get("kind", 1))
        raw = meta.get(field.name)
        if raw is None or raw == "" or raw == []:
            if field.default == "open":
                values[field.name] = "open"
            elif field.default == "week":
                values[field.name] = {"start": shifted(date, dt.timedelta(days=-6)), "end": date}
            elif field.required and field.name in meta:
                problems.append((line, f"'{field.name}' is still to be filled in for a {kind.label.lower()} entry; "
                                       f"{_HOW[field.type]}", "warning"))
            elif field.required:
                problems.append((line, f"'{field.name}' is required for a {kind.label.lower()} entry; {_HOW[field.type]}",
                                 "error"))
            continue
        value, wrong = normalise(field.type, raw)
        if wrong:
            problems.append((line, f"'{field.name}' {wrong}", "error"))
        else:
            values[field.name] = value
    if kind.name == "question" and values.get("status") == "answered" and "answer" not in values:
        line = lines.get("status", 1)
        problems.append((line, "an answered question needs 'answer': the file of the entry that answers it, or a URL", "error"))
    return values, problems


_HOW = {
    "text": "write a sentence or two",
    "texts": "write a list of short sentences",
    "date": "write a date such as 2024-05-01",
    "period": "write 'period: {start: 2024-05-06, end: 2024-05-12}'",
    "sources": "list them as '- {type: book, title: ..., author: ..., url: ...}'",
    "url": "write an https:// address",
    "status": "write 'open' or 'answered'",
    "answer": "write the file of the answering entry, or a URL",
    "number": "write a number",
    "any": "give it a value",
}


def normalise(type_: str, raw: Any) -> tuple[Any, str | None]:
    """A front matter value as the field type wants it, or what is wrong with it."""
    if type_ in ("text", "answer"):
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            return str(raw).strip(), None
        return None, f"must be text, not {raw!r}"
    if type_ == "texts":
        if isinstance(raw, str):
            raw = [raw]
        if isinstance(raw, list) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in raw):
            return tuple(str(x).strip() for x in raw), None
        return None, f"must be a list of short texts, not {raw!r}"
    if type_ == "date":
        value, wrong = parse_date(raw)
        return value, wrong
    if type_ == "period":
        return _period(raw)
    if type_ == "sources":
        return _sources(raw)
    if type_ == "url":
        if isinstance(raw, str) and raw.startswith(("https://", "http://")):
            return raw, None
        return None, f"must be an http(s) URL, not {raw!r}"
    if type_ == "status":
        if raw in STATUSES:
            return raw, None
        return None, f"must be 'open' or 'answered', not {raw!r}"
    if type_ == "number":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw, None
        return None, f"must be a number, not {raw!r}"
    return raw, None


def _period(raw: Any) -> tuple[Any, str | None]:
    how = "must be '{start: 2024-05-06, end: 2024-05-12}'"
    if not isinstance(raw, dict) or set(raw) != {"start", "end"}:
        return None, f"{how}, not {raw!r}"
    start, bad_start = parse_date(raw["start"])
    end, bad_end = parse_date(raw["end"])
    if bad_start or bad_end or start is None or end is None:
        return None, f"{how}: {bad_start or bad_end}"
    start, end = _day(start), _day(end)
    if end < start:
        return None, f"ends ({end}) before it starts ({start})"
    return {"start": start, "end": end}, None


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _sources(raw: Any) -> tuple[Any, str | None]:
    if not isinstance(raw, list):
        raw = [raw]
    sources = []
    for item in raw:
        if isinstance(item, str) and item.strip():
            item = {"title": item}
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            return None, f"must be a list of sources, each with a 'title' (and type, author, url), not {item!r}"
        unknown = set(item) - {"type", "title", "author", "url"}
        if unknown:
            return None, f"has a source with unknown keys {sorted(unknown)}; use type, title, author and url"
        kind = item.get("type", "other")
        if kind not in SOURCE_TYPES:
            return None, f"has a source of type {kind!r}; use one of {', '.join(SOURCE_TYPES)}"
        url = item.get("url", "")
        if url and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            return None, f"has a source whose url is not an http(s) URL: {url!r}"
        author = item.get("author", "")
        sources.append({"type": kind, "title": item["title"].strip(), "author": str(author or "").strip(), "url": url or ""})
    return tuple(sources), None


def from_config(name: str, raw: Any, builtin: Kind | None) -> tuple[Kind | None, str | None]:
    """A kind declared in publog.yaml, or what is wrong with the declaration."""
    if not isinstance(raw, dict):
        return None, f"kind '{name}' must be a mapping with label, required, optional and template"
    unknown = set(raw) - {"label", "plural", "description", "required", "optional", "template"}
    if unknown:
        return None, f"kind '{name}': unknown keys {sorted(unknown)}; use label, plural, description, required, optional, template"
    fields: list[Field] = []
    for required, key in ((True, "required"), (False, "optional")):
        declared = raw.get(key) or []
        if isinstance(declared, list):
            declared = {str(n): "text" for n in declared}
        if not isinstance(declared, dict):
            return None, f"kind '{name}': '{key}' must be a list of field names, or a mapping of field name to type"
        for field_name, type_ in declared.items():
            if type_ not in FIELD_TYPES:
                return None, f"kind '{name}': field '{field_name}' has type {type_!r}; use one of {', '.join(FIELD_TYPES)}"
            fields.append(Field(str(field_name), str(field_name).replace("_", " ").capitalize(), type_, required))
    for key in ("label", "plural", "description", "template"):
        if key in raw and not isinstance(raw[key], str):
            return None, f"kind '{name}': '{key}' must be text"
    label = raw.get("label") or (builtin.label if builtin else name.replace("-", " ").capitalize())
    return Kind(
        name=name,
        label=label,
        plural=raw.get("plural") or (builtin.plural if builtin and "label" not in raw else label + "s"),
        description=raw.get("description", builtin.description if builtin else ""),
        fields=tuple(fields) if ("required" in raw or "optional" in raw or not builtin) else builtin.fields,
        template=raw.get("template", builtin.template if builtin else "entry.html"),
        body=builtin.body if builtin else "",
    ), None
