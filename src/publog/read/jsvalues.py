"""Plain values read from the JavaScript and TypeScript files other generators keep their settings in.

quartz.config.ts, Eleventy's data files (site.js, posts.11tydata.js) and their like are code:
publog never runs them. It reads the object literal they export the way JSON is read, and
keeps only the values written out as they are (strings, numbers, true/false/null, arrays
and objects of those); anything computed (process.env.X, a function call, a spread) is left
out, and the rest of the object is still read. Also here: the glob patterns those tools take
(Quartz's ignorePatterns), as regular expressions.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)
  | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<punct>[{}\[\]():,])
  | (?P<other>.)
""", re.S | re.X)
_CLOSE = {"{": "}", "[": "]", "(": ")"}
_LITERALS = {"true": True, "false": False, "null": None}
_UNKNOWN = object()  # a value that is computed, not written out
_NESTING = 64  # deeper than any real settings file; deeper input is not read


def exported(text: str) -> dict[str, Any]:
    """The object a module exports (`module.exports = {...}`, `export default {...}`), or {}."""
    found = re.search(r"(?:module\.exports\s*=|export\s+default)\s*(?=\{)", text)
    return object_at(text, found.end()) if found else {}


def object_at(text: str, start: int) -> dict[str, Any]:
    """The object literal that opens at ``start`` (a '{'), its computed values left out; {} if there is none."""
    tokens = [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(text, start) if m.lastgroup != "space"]
    if not tokens or tokens[0][1] != "{":
        return {}
    value = _Reader(tokens).value(0)
    return value if isinstance(value, dict) else {}


def find_object(text: str, key: str) -> tuple[dict[str, Any], int]:
    """The object literal given as ``key: {...}`` anywhere in ``text``, and the line it opens on (0 if none)."""
    found = re.search(rf"(?<![\w$]){re.escape(key)}\s*:\s*(?=\{{)", text)
    if not found:
        return {}, 0
    return object_at(text, found.end()), text.count("\n", 0, found.start()) + 1


def line_of(text: str, key: str) -> int:
    """The line where ``key:`` is first given, or 1."""
    found = re.search(rf"(?<![\w$])[\"']?{re.escape(key)}[\"']?\s*:", text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


class _Reader:
    def __init__(self, tokens: list[tuple[str, str, int]]):
        self.tokens, self.at = tokens, 0

    def _peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def value(self, depth: int) -> Any:
        if self.at >= len(self.tokens) or depth > _NESTING:
            return _UNKNOWN
        kind, text, _ = self.tokens[self.at]
        if text == "{":
            value: Any = self._object(depth)
        elif text == "[":
            value = self._array(depth)
        elif kind == "string":
            self.at += 1
            value = _string(text)
        elif kind == "number":
            self.at += 1
            value = float(text) if any(c in text for c in ".eE") else int(text)
        elif kind == "name" and text in _LITERALS:
            self.at += 1
            value = _LITERALS[text]
        else:
            value = _UNKNOWN
        if self._peek() not in (",", "}", "]", ""):
            self._skip()  # `"a" + b`, `f(x)`, `x.y`: computed
            return _UNKNOWN
        return value

    def _object(self, depth: int) -> dict[str, Any]:
        self.at += 1
        found: dict[str, Any] = {}
        while self.at < len(self.tokens) and self._peek() != "}":
            before = self.at
            kind, text, _ = self.tokens[self.at]
            if kind in ("name", "string", "number") and self.at + 1 < len(self.tokens) and self.tokens[self.at + 1][1] == ":":
                self.at += 2
                value = self.value(depth + 1)
                if value is not _UNKNOWN:
                    found[_string(text) if kind == "string" else text] = value
            else:
                self._skip()  # shorthand, spread, method or computed key
            if self._peek() == ",":
                self.at += 1
            if self.at == before:
                self.at += 1  # a stray ']' or ')': never read twice
        self.at += 1
        return found

    def _array(self, depth: int) -> list[Any]:
        self.at += 1
        found: list[Any] = []
        while self.at < len(self.tokens) and self._peek() != "]":
            before = self.at
            value = self.value(depth + 1)
            if value is not _UNKNOWN:
                found.append(value)
            if self._peek() == ",":
                self.at += 1
            elif self._peek() != "]":
                self._skip()
            if self.at == before:
                self.at += 1  # a stray '}' or ')': never read twice
        self.at += 1
        return found

    def _skip(self) -> None:
        """On to the next ',' or the closing bracket of the object or array this value is in."""
        opened: list[str] = []
        while self.at < len(self.tokens):
            text = self.tokens[self.at][1]
            if text in _CLOSE:
                opened.append(_CLOSE[text])
            elif opened and text == opened[-1]:
                opened.pop()
            elif not opened and text in (",", "}", "]"):
                return
            self.at += 1


def _string(token: str) -> str:
    if token[0] == '"':
        try:
            return str(json.loads(token))
        except ValueError:
            pass
    escapes = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), token[1:-1], flags=re.S)


# --- glob patterns ------------------------------------------------------------------------------------


def glob_regex(pattern: str, ignore_case: bool = False) -> re.Pattern[str] | None:
    """A fast-glob pattern (*, **, ?, [...], {a,b}) as a regex of a whole relative path; None for one it cannot read
    (extglobs such as !(x), and negations)."""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if not pattern or pattern.startswith("!") or re.search(r"[!@?*+]\(", pattern):
        return None
    out, i = [], 0
    braces = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                return None
            inner = pattern[i + 1 : end]
            inner = "^" + inner[1:] if inner[0] in "!^" else inner
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        elif c == "{":
            braces += 1
            out.append("(?:")
        elif c == "}" and braces:
            braces -= 1
            out.append(")")
        elif c == "," and braces:
            out.append("|")
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 1
        else:
            out.append(re.escape(c))
        i += 1
    if braces:
        return None
    try:
        return re.compile("".join(out), re.I if ignore_case else 0)
    except re.error:
        return None
