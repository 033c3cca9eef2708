"""The last check of every file a build writes, before the new site is swapped in.

The earlier stages keep private things out by construction; this is the belt to
their braces. Each rendered file is scanned (in the render workers, as it is
made) for never-publish terms, passages of private entries, secrets, and GPS
metadata in images. One finding fails the build and the old site stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from . import images, leaks
from .problems import Problem, error


@dataclass(frozen=True)
class Guard:
    terms: leaks.Terms = field(default_factory=lambda: leaks.compile_terms(()))
    private: tuple[str, ...] = ()  # passages of private entries (leaks.private_snippets)
    allowlisted: frozenset[str] = frozenset()  # secrets the author allowlisted in an entry

    def check(self, file: str, data: bytes, repeats: bool = False) -> list[Problem]:
        """Problems for one written file. ``repeats``: a page that only repeats text checked elsewhere
        (entries' text as it was read, the templates on the home page), so its costly secret scan is skipped."""
        found = list(leaks.scan_output(data, file, self.terms, self.private, self.allowlisted, secrets=not repeats))
        if images.is_image(data) and images.has_location(data):
            found.append("GPS location metadata")
        return [error(file, 1, f"the built site would publish {what}; nothing was written. Remove it from the entry, "
                               "template or file that puts it there") for what in found]
