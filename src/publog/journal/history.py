"""An entry's revisions, from git, for entries that ask for them with `history: true`.

Digital gardens show how a note grew; git already knows. Only entries that ask
are looked up (one `git log` each, and one for the commits that touched an entry
not published), so a journal that does not use it pays nothing.

A commit's subject is published, so it is kept out where it could say what is not:
the subject of a commit that touched a private, draft or future entry, or that names
one's title or file, is left out (the revision stays, without it). Every other subject
is checked for secrets and never-publish terms like an entry's text.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Protocol

from ..privacy import leaks
from .model import Entry
from ..problems import Problem, error, warning


@dataclass(frozen=True)
class Revision:
    when: dt.datetime
    message: str
    commit: str  # abbreviated hash


class Unpublished(Protocol):
    """An entry this build does not publish: its file and its title."""

    @property
    def path(self) -> str: ...

    @property
    def title(self) -> str: ...


def wanted(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.extra.get("history") is True]


def revisions(root: Path, entries: Iterable[Entry], hidden: Iterable[Unpublished] = (),
              terms: leaks.Terms = leaks.Terms()) -> tuple[dict[str, tuple[Revision, ...]], list[Problem]]:
    """Newest first, for each entry that says `history: true`; a warning when git cannot tell. ``hidden``
    are the entries not published, whose commits' subjects are left out; an error for each other
    subject holding a secret or one of ``terms``."""
    found: dict[str, tuple[Revision, ...]] = {}
    problems: list[Problem] = []
    asking = wanted(entries)
    if not asking:
        return found, problems
    hidden = list(hidden)
    touching = _commits(root, [h.path for h in hidden]) if hidden else set()
    naming = _naming(hidden)
    for entry in asking:
        rows = [line.split("\0", 3) for line in _log(root, entry.path).splitlines() if line.count("\0") == 3]
        if not rows:
            problems.append(warning(entry.path, entry.lines.get("history", 1),
                                    "'history: true' needs the journal to be a git repository with this file committed; "
                                    "commit it, or remove the key"))
            continue
        kept = []
        for full, commit, when, message in rows:
            message = message.strip()
            if full in touching or (naming is not None and naming.search(message)):
                message = ""
            for leak in sorted(set(leaks.find_secrets(message) + leaks.find_terms(message, terms))):
                problems.append(error(entry.path, entry.lines.get("history", 1),
                                      f"the message of commit {commit}, which 'history: true' shows, would publish "
                                      f"{leak.what}; reword the commit (git rebase -i) or remove 'history: true'"))
            kept.append(Revision(dt.datetime.fromisoformat(when), message, commit))
        found[entry.path] = tuple(kept)
    return found, problems


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
            capture_output=True, check=True, timeout=60, text=True, encoding="utf-8", errors="replace",
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _log(root: Path, path: str) -> str:
    return _git(root, "log", "--follow", "--format=%H%x00%h%x00%cI%x00%s", "--", path)


def _commits(root: Path, paths: list[str]) -> set[str]:
    """The commits that touched any of ``paths``."""
    return set(_git(root, "log", "--format=%H", "--", *paths).split())


def _naming(hidden: list[Unpublished]) -> re.Pattern[str] | None:
    """What a subject naming an unpublished entry holds: its title, file name or file stem, as words."""
    names = {h.title.strip() for h in hidden} | {PurePosixPath(h.path).name for h in hidden}
    names |= {stem for h in hidden if len(stem := PurePosixPath(h.path).stem) >= 4}
    words = ["\\s+".join(map(re.escape, name.split())) for name in names if name.strip()]
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
