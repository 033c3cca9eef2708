"""Where the author's own pages and files win over those publog writes itself."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..journal.model import Journal
from ..problems import Problem, warning
from .page import Page


def set_aside(pages: list[Page], journal: Journal) -> tuple[list[Page], list[Problem]]:
    """``pages`` without those publog writes itself where the author's own page or file is: the author's
    content wins (a Jekyll post below /archive/, a Hugo page at /topics/, a static robots.txt), with a warning
    at the author's file; a static file is named by its absolute path, which the caller shows from the journal.

    One file on case-insensitive hosts is one place; a publog page is set aside also where an author's
    file needs its name as a folder, or sits in a folder publog would need as a file.
    """
    taken: dict[str, Page] = {}
    folders: dict[str, Page] = {}
    for page in pages:
        if page.author:
            key = place_key(page.file)
            taken.setdefault(key, page)
            at = key.find("/")
            while at != -1:
                folders.setdefault(key[:at], page)
                at = key.find("/", at + 1)
    if not taken:
        return pages, []
    by_path = {e.path: e for e in journal.entries}
    kept: list[Page] = []
    problems: list[Problem] = []
    for page in pages:
        winner = None if page.author else _winner(place_key(page.file), taken, folders)
        if winner is None:
            kept.append(page)
            continue
        entry = by_path.get(winner.author)
        if entry is None:
            problems.append(warning(winner.author, 1, f"takes {page.url}, a page publog writes itself; "
                                    "this file is published there and publog's own page is left out"))
        else:
            line = entry.lines.get("permalink", entry.lines.get("slug", 1)) if winner.url == entry.url else entry.lines.get(
                "aliases", entry.lines.get("redirect_from", 1))
            problems.append(warning(entry.path, line, f"{winner.url} takes {page.url}, a page publog writes itself; "
                                    "this entry is published there and publog's own page is left out"))
    return kept, problems


def _winner(key: str, taken: dict[str, Page], folders: dict[str, Page]) -> Page | None:
    """The author's file at ``key``, or at a folder ``key`` is in, or in the folder ``key`` names."""
    found = taken.get(key) or folders.get(key)
    at = key.find("/")
    while found is None and at != -1:
        found = taken.get(key[:at])
        at = key.find("/", at + 1)
    return found


# The same files from build to build of a long-running process: each name is made a key once.
@lru_cache(maxsize=1 << 17)
def place_key(file: str) -> str:
    """One file on macOS and Windows: names differing in case or in Unicode normalisation."""
    return unicodedata.normalize("NFC", file).casefold()
