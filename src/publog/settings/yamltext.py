"""Safe YAML for front matter and publog.yaml: line numbers kept, aliases refused.

PyYAML's safe loader neither executes tags nor expands aliases while loading,
but an alias bomb ("billion laughs") still explodes later, whenever the value
is walked (printed, hashed, handed to a template). So any node reached twice
is refused. Duplicate keys, which YAML silently collapses, are refused too, unless
the caller reads front matter as Hugo and Jekyll do (the last one wins, with a warning).

Front matter that is not valid YAML at all can be read line by line (recover()), as
Obsidian still shows a note whose properties it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..problems import Problem, error, errors_in, warning



class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, leaving dates as text for publog's one date parser."""


# A class attribute shared by every loader: copy it before changing it.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}

_HINTS = {
    "mapping values are not allowed": "put a value that contains ': ' in quotes",
    "found undefined tag handle": "remove the '!' tag; only plain YAML values are allowed",
    "could not determine a constructor for the tag": "remove the '!' tag; only plain YAML values are allowed",
}


@dataclass(frozen=True)
class YamlText:
    """A loaded YAML document and the file line of each top-level key."""

    value: Any
    key_lines: dict[str, int] = field(default_factory=dict)
    # The text of top-level plain scalars YAML read as numbers (title: 3.10), and of such list items
    # (tags: [3.10]), for fields that are text: '3.10' must not become '3.1'.
    written: dict[str, Any] = field(default_factory=dict)
    # For a top-level list: the line of each item ("-" key) and of each key of an item that is a mapping.
    item_lines: tuple[dict[str, int], ...] = ()


def load(text: str, path: str, first_line: int = 1, last_wins: bool = False,
         guarded: Collection[str] = ()) -> tuple[YamlText | None, list[Problem]]:
    """Load YAML ``text`` found at ``first_line`` of ``path``.

    Returns the document (``None`` for an empty one is given as value ``None``)
    or the problems that keep it from loading, each with its file line. With
    ``last_wins``, a key given twice takes its last value with a warning, except
    a top-level key of ``guarded`` given two different values, which stays an error.
    """
    loader = _Loader(text)
    try:
        deep = _too_deep(text)
        if deep is not None:
            return None, [error(path, deep + first_line, f"YAML nested more than {MAX_DEPTH} levels deep; flatten it")]
        node = loader.get_single_node()
        if node is None:
            return YamlText(None), []
        problems = _check(node, text, path, first_line, last_wins, guarded)
        if errors_in(problems):
            return None, problems
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_marked_problem(exc, text, path, first_line)]
    except yaml.YAMLError as exc:  # unmarked errors: reader errors on control characters
        return None, [error(path, first_line, f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [error(path, first_line, "YAML nested too deeply; flatten it")]
    finally:
        loader.dispose()
    key_lines: dict[str, int] = {}
    written: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        for key, item in node.value:
            key_lines[str(key.value)] = key.start_mark.line + first_line  # the last of a key given twice: the one read
            written.pop(str(key.value), None)
            if _number(item):
                written[str(key.value)] = item.value
            elif isinstance(item, yaml.SequenceNode):
                written[str(key.value)] = [i.value if _number(i) else None for i in item.value]
    items: list[dict[str, int]] = []
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            lines = {"-": item.start_mark.line + first_line}
            if isinstance(item, yaml.MappingNode):
                for key, _ in item.value:
                    lines.setdefault(str(key.value), key.start_mark.line + first_line)
            items.append(lines)
    return YamlText(value, key_lines, written, tuple(items)), problems


def _number(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag.endswith((":int", ":float"))


MAX_DEPTH = 100


def _too_deep(text: str) -> int | None:
    """The 0-based line where nesting passes MAX_DEPTH, if it does.

    PyYAML builds nodes recursively, and its C loader crashes the whole process
    on a few thousand levels, so depth is checked on the event stream first,
    which is flat; only for text that could nest that deep at all.
    """
    if text.count("[") + text.count("{") + text.count(":") + text.count("- ") <= MAX_DEPTH:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return int(event.start_mark.line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _marked_problem(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Problem:
    what = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in what and exc.context_mark is not None:
        mark = exc.context_mark  # an unclosed quote or bracket: where it opens is where to fix it
    index = mark.line if mark is not None else 0
    hint = next((h for key, h in _HINTS.items() if key in what), "check the YAML syntax")
    if "\t" in (text.split("\n")[index : index + 1] or [""])[0]:
        hint = "indent YAML with spaces, not tabs"
    line = index + first_line
    return error(path, line, f"invalid YAML: {what}; {hint}")


def _alias_line(text: str, fallback: int) -> int:
    """The 0-based line of the first alias; scanned only once one is known to be there."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return int(event.start_mark.line)
    return fallback


def _check(root: yaml.Node, text: str, path: str, first_line: int, last_wins: bool = False,
           guarded: Collection[str] = ()) -> list[Problem]:
    """Refuse aliases (a node reached twice) and duplicate keys, walking iteratively."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, root.start_mark.line)]
    while stack:
        node, line = stack.pop()
        if id(node) in seen:
            message = "YAML aliases (*name) are not allowed; write the value out"
            return [error(path, _alias_line(text, line) + first_line, message)]
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, tuple[int, yaml.Node]] = {}
            children: list[tuple[yaml.Node, int]] = []
            for key, value in node.value:
                key_line = key.start_mark.line
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        first, before = keys[key.value]
                        where = f"'{key.value}' is given twice (first on line {first + first_line})"
                        differ = node is root and key.value in guarded and _written(before, text) != _written(value, text)
                        if last_wins and not differ:
                            problems.append(warning(path, key_line + first_line, f"{where}; publog took this one, "
                                                    "as Hugo and Jekyll do; keep one"))
                        else:
                            problems.append(error(path, key_line + first_line, f"{where}; keep one"))
                    keys.setdefault(key.value, (key_line, value))
                else:
                    children.append((key, key_line))
                children.append((value, key_line))
            stack.extend(reversed(children))  # document order, so the alias is the one reported
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(item, item.start_mark.line) for item in node.value]))
    return problems


def _written(node: yaml.Node, text: str) -> str:
    return text[node.start_mark.index : node.end_mark.index].strip()


# --- reading what can be read of YAML that is not valid ------------------------------------------------

_KEY_LINE = re.compile(r"^([^\s:#\-'\"\[{?][^:]*?):(?:[ \t]+(.*?))?[ \t]*$")  # key: value, value as written
_NOT_TEXT = tuple("[{\"'|>&*!%")  # flow collections, quotes, block scalars, anchors, aliases, tags


def recover(text: str, path: str, first_line: int, problem: Problem,
            guarded: Collection[str] = ()) -> tuple[YamlText | None, list[Problem]]:
    """What can be read of ``text``, whose loading failed with ``problem``: each top-level key with
    the lines under it, as YAML if it reads alone, else a ``key: value`` line's value as text, else
    the list items under it that read alone.

    Returns the document and a warning naming what was left out; or None and the problem when a
    line left out names a key of ``guarded`` (whether a note is published must never be guessed),
    or a part fails for another reason than its syntax (an alias).
    """
    lines = text.split("\n")
    starts = [i for i, written in enumerate(lines)
              if written[:1].strip() and not written.startswith(("#", "-"))]
    read = YamlText({}, {}, {})
    left_out = [i for i in range(starts[0] if starts else len(lines)) if lines[i].strip()]
    problems: list[Problem] = []
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        part, more = load("\n".join(lines[start:end]), path, first_line + start, last_wins=True, guarded=guarded)
        if part is None and any(not p.message.startswith("invalid YAML") for p in more):
            return None, [problem] if problem.message.startswith("invalid YAML") else more
        if part is not None and isinstance(part.value, dict):
            problems += more
        else:
            found, dropped = _by_line(lines, start, end, path, first_line, guarded)
            left_out += dropped
            part = YamlText(found, dict.fromkeys(found, first_line + start)) if found else None
        for key, item in (part.value.items() if part is not None else ()):
            if key in read.value:
                where = f"'{key}' is given twice (first on line {read.key_lines[key]})"
                if key in guarded and read.value[key] != item:
                    return None, [error(path, part.key_lines[key], f"{where}; keep one")]
                problems.append(warning(path, part.key_lines[key], f"{where}; publog took this one, "
                                        "as Hugo and Jekyll do; keep one"))
                read.written.pop(key, None)
            read.value[key], read.key_lines[key] = item, part.key_lines[key]
            if key in part.written:
                read.written[key] = part.written[key]
    left_out = [i for i in left_out if not lines[i].lstrip().startswith("#")]
    named = re.compile(r"^[\s\-]*[\"']?(?:" + "|".join(map(re.escape, guarded)) + r")[\"']?\s*:", re.IGNORECASE)
    if guarded and any(named.match(lines[i]) for i in left_out):
        return None, [problem]
    what = f"{problem.message}; publog read the rest, as Obsidian shows the note"
    if left_out:
        numbers = ", ".join(str(i + first_line) for i in left_out[:5]) + (", ..." if len(left_out) > 5 else "")
        what = f"{what}, and left out line{'s' if len(left_out) > 1 else ''} {numbers}"
    return read, [warning(problem.path, problem.line, what), *problems]


def _by_line(lines: list[str], start: int, end: int, path: str, first_line: int,
             guarded: Collection[str]) -> tuple[dict[str, Any], list[int]]:
    """One top-level key whose lines do not read as YAML: its value as text, or its list items that
    read alone; and the indexes of the lines left out."""
    found = _as_text(lines[start])
    rest = [i for i in range(start + 1, end) if lines[i].strip()]
    if found is None:
        return {}, [start, *rest]
    key, value = next(iter(found.items()))
    if value is not None or not rest:
        return found, rest
    items: list[Any] = []
    left_out: list[int] = []
    for i in rest:
        item, _ = load(lines[i].strip(), path, first_line + i, guarded=guarded) if lines[i].lstrip().startswith("-") else (None, [])
        if item is not None and isinstance(item.value, list):
            items += item.value
        else:
            left_out.append(i)
    return {key: items or None}, left_out


def _as_text(line: str) -> dict[str, Any] | None:
    """A ``key: value`` line whose value YAML cannot read (it holds ': ', or starts with '@'): the value as
    written. None for a value that is meant as YAML (a list, a quote) but broken."""
    match = _KEY_LINE.match(line)
    if not match:
        return None
    value = (match.group(2) or "").strip()
    if value.startswith(_NOT_TEXT):
        return None
    return {match.group(1).strip(): value or None}
