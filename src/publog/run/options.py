"""What a build is asked to do (Options, a plain value), what its caller follows it by (Hooks), and
what it reports (Result)."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..journal import assemble as journal_mod
from ..problems import Problem

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    """What to build: a plain value, the same for every caller; a kept process is asked with it."""

    out: Path | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    # Run every step of a build, rendering the pages a build would render, and write nothing: `publog check`
    # finds what `publog build` finds.
    check_only: bool = False
    # With check_only: stop once the journal is assembled, for commands that report on it (status, share).
    journal_only: bool = False
    # With check_only: stop once the site is planned, for a kept process readying itself for the next build.
    plan_only: bool = False
    jobs: int = 0  # 0: one per core
    now: dt.datetime | None = None
    base_url: str | None = None  # instead of the configured one (publog serve)
    search_later: bool = False  # build with the last search index; Result.search_pending says if it is out of date
    # The caller builds only after its watcher saw a change (publog serve): no check for an unchanged
    # journal, and no record of this build's inputs for one.
    watched: bool = False


@dataclass(frozen=True)
class Hooks:
    """How the caller of a build follows it while it runs."""

    # Held while the output folder changes, so a server never reads a half-moved site.
    lock: AbstractContextManager[Any] = field(default_factory=nullcontext)
    progress: Progress | None = None  # told (stage, done, total) as a long build goes
    # Told once a new site is in place, before the build saves its cache: publog serve reloads browsers then.
    swapped: Callable[[], None] | None = None
    # Given the folder of the site a build replaced, where no kept previous site can be made of it: a caller
    # with time between builds (a kept process) deletes it then. None: deleted before the build ends.
    replaced: Callable[[Path], None] | None = None
    # Given the result of a build that wrote its site, before the build saves its cache (which only makes the
    # next build quicker): the kept build process answers its caller then.
    finished: Callable[[Result], None] | None = None


@dataclass(frozen=True)
class Result:
    """What a build reports: its problems, sorted, and its figures."""

    problems: list[Problem]
    out: Path | None = None
    entries: int = 0
    pages: int = 0
    rendered: int = 0
    written: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    journal: journal_mod.Journal | None = None  # set by check-only runs, for commands that report on it
    search_pending: journal_mod.Journal | None = None  # whose search index is still to be made (search_later)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)
