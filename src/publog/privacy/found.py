"""What the privacy checks find, as values.

``Leak(line, what)`` is something in a source, at a 1-based line; ``Finding`` is
something in a written file. Each holds a phrase for an error message, never a
secret's value or a private passage: error output may be pasted in public.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Leak:
    """Something on `line` (1-based) that must not be published, as a phrase for an error message."""

    line: int
    what: str


@dataclass(frozen=True)
class Finding:
    """What the final scan found in a file, and what to look for to find where it came from:
    a never-publish term's item, a secret's values, or the index of a private passage."""

    what: str
    term: str = ""
    values: tuple[str, ...] = ()
    passage: int = -1
