"""An entry's revisions, from git, for entries that ask for them with `history: true`.

Digital gardens show how a note grew; git already knows. Only entries that ask
are looked up (one `git log` each), so a journal that does not use it pays nothing.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .journal import Entry
from .problems import Problem, warning


@dataclass(frozen=True)
class Revision:
    when: dt.datetime
    message: str
    commit: str  # abbreviated hash


def wanted(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.extra.get("history") is True]


def revisions(root: Path, entries: Iterable[Entry]) -> tuple[dict[str, tuple[Revision, ...]], list[Problem]]:
    """Newest first, for each entry that says `history: true`; a warning when git cannot tell."""
    found: dict[str, tuple[Revision, ...]] = {}
    problems: list[Problem] = []
    for entry in wanted(entries):
        try:
            out = subprocess.run(
                ["git", "-C", str(root), "log", "--follow", "--format=%h%x00%cI%x00%s", "--", entry.path],
                capture_output=True, check=True, timeout=60, text=True, encoding="utf-8", errors="replace",
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        rows = [line.split("\0", 2) for line in out.splitlines() if line.count("\0") == 2]
        if not rows:
            problems.append(warning(entry.path, entry.lines.get("history", 1),
                                    "'history: true' needs the journal to be a git repository with this file committed; "
                                    "commit it, or remove the key"))
            continue
        found[entry.path] = tuple(Revision(dt.datetime.fromisoformat(when), message.strip(), commit)
                                  for commit, when, message in rows)
    return found, problems
