"""Safe YAML for front matter and publog.yaml: line numbers kept, aliases refused.

PyYAML's safe loader neither executes tags nor expands aliases while loading,
but an alias bomb ("billion laughs") still explodes later, whenever the value
is walked (printed, hashed, handed to a template). So any node reached twice
is refused. Duplicate keys, which YAML silently collapses, are refused too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem, error



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


def load(text: str, path: str, first_line: int = 1) -> tuple[YamlText | None, list[Problem]]:
    """Load YAML ``text`` found at ``first_line`` of ``path``.

    Returns the document (``None`` for an empty one is given as value ``None``)
    or the problems that keep it from loading, each with its file line.
    """
    loader = _Loader(text)
    try:
        deep = _too_deep(text)
        if deep is not None:
            return None, [error(path, deep + first_line, f"YAML nested more than {MAX_DEPTH} levels deep; flatten it")]
        node = loader.get_single_node()
        if node is None:
            return YamlText(None), []
        problems = _check(node, text, path, first_line)
        if problems:
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
            key_lines.setdefault(str(key.value), key.start_mark.line + first_line)
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
    return YamlText(value, key_lines, written, tuple(items)), []


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


def _check(root: yaml.Node, text: str, path: str, first_line: int) -> list[Problem]:
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
            keys: dict[str, int] = {}
            children: list[tuple[yaml.Node, int]] = []
            for key, value in node.value:
                key_line = key.start_mark.line
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        problems.append(
                            error(
                                path,
                                key_line + first_line,
                                f"'{key.value}' is given twice (first on line "
                                f"{keys[key.value] + first_line}); keep one",
                            )
                        )
                    keys.setdefault(key.value, key_line)
                else:
                    children.append((key, key_line))
                children.append((value, key_line))
            stack.extend(reversed(children))  # document order, so the alias is the one reported
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(item, item.start_mark.line) for item in node.value]))
    return problems
