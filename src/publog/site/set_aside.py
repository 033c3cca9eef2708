"""Where the author's own pages and files win over those publog writes itself."""

from __future__ import annotations

import unicodedata

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
            parts = key.split("/")
            for n in range(1, len(parts)):
                folders.setdefault("/".join(parts[:n]), page)
    if not taken:
        return pages, []
    by_path = {e.path: e for e in journal.entries}
    kept: list[Page] = []
    problems: list[Problem] = []
    for page in pages:
        key = place_key(page.file)
        parts = key.split("/")
        winner = None if page.author else taken.get(key) or folders.get(key) or next(
            (taken[f] for f in ("/".join(parts[:n]) for n in range(1, len(parts))) if f in taken), None)
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


def place_key(file: str) -> str:
    """One file on macOS and Windows: names differing in case or in Unicode normalisation."""
    return unicodedata.normalize("NFC", file).casefold()

