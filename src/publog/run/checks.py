"""What a build checks of its plan before it writes: pages that would clash or leave the site, and
what the final scan of every written byte looks for (the guard)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..journal import assemble as journal_mod
from ..journal.model import Entry
from ..privacy import guard as guard_mod
from ..privacy import leaks as leaks_mod
from ..problems import Problem, error, warning
from ..read import folder as read
from ..settings import config as config_mod
from ..settings.kinds import Kind
from ..site import pages as pages_mod
from ..site.set_aside import place_key
from ..social import network as network_mod


def shown(path: Path, root: Path) -> str:
    """A path as problems name it: relative to the journal when it is in it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def clashes(plan: list[pages_mod.Page], root: Path) -> list[Problem]:
    """Pages that would be written outside the site, or to a file another page uses."""
    seen: dict[str, pages_mod.Page] = {}
    problems = []
    for page in plan:
        if ".." in page.file.split("/") or page.file.startswith("/"):  # never: every path is made inside the site
            problems.append(error(shown(Path(page.name), root) if page.kind == pages_mod.COPY else page.url, 1,
                                  f"would be written outside the site ({page.file}); rename it"))
            continue
        key = place_key(page.file)
        if key in seen:
            what = shown(Path(page.name), root) if page.kind == pages_mod.COPY else page.url
            problems.append(error(what, 1, f"would be written to {page.file}, which {seen[key].url} uses already; rename one of them"))
        else:
            seen[key] = page
    return problems


def guard(config: config_mod.Config, compiled: list[read.Compiled], journal: journal_mod.Journal,
          plan: list[pages_mod.Page], root: Path) -> guard_mod.Guard:
    """What the final scan looks for: the never-publish terms and the passages of private entries and parts;
    and where a finding is looked for again: the file a page is made from, or every file pages are made from."""
    published = {e.path for e in journal.entries}
    allowlisted = frozenset(f for c in compiled if c.path in published for f in c.allowlisted)
    origins = {p: c.path for c in compiled for p in c.private}
    copied = {p.file: p.name for p in plan if p.kind == pages_mod.COPY}
    sources = {file: e.path for e in journal.entries if (file := pages_mod.output_file(e.url)) not in copied}
    sources.update((p.file, network_mod.NETWORK_FILE) for p in plan if p.name in ("network.html", "opml"))
    copied = {file: name for file, name in copied.items() if file not in sources}
    candidates = (*(e.path for e in journal.entries), network_mod.NETWORK_FILE, guard_mod.SETTINGS_FILE)
    return guard_mod.Guard(leaks_mod.compile_terms(config.never_publish), tuple(origins), allowlisted, tuple(origins.values()),
                           _Sources(sources, copied, root), candidates, str(root))


class _Sources(Mapping[str, str]):
    """Written file -> the journal file it is made from. A copied file's name is worked out only when a
    finding needs it: resolving the path of every copied file (thousands, with the search index's) took
    longer than rendering the pages a one-line edit changes."""

    def __init__(self, made: dict[str, str], copied: dict[str, str], root: Path) -> None:
        self._made, self._copied, self._root = made, copied, root

    def __getitem__(self, file: str) -> str:
        if file in self._made:
            return self._made[file]
        return shown(Path(self._copied[file]), self._root)

    def __iter__(self) -> Iterator[str]:
        return iter({**self._copied, **self._made})

    def __len__(self) -> int:
        return len(self._made) + len(self._copied)


def unwritten(entries: Sequence[Entry], compiled: Mapping[str, read.Compiled], kinds: Mapping[str, Kind]) -> list[Problem]:
    """Entries that would be published with nothing to read: ``publog new`` writes front matter only.
    For a journal of publog's own; an imported folder's empty notes are its own tool's to judge, and a
    kind's fields are what its entries show (a blank one is a warning of its own)."""
    problems = []
    for entry in entries:
        item = compiled.get(entry.path)
        kind = kinds.get(entry.kind or "")
        if item is not None and item.source is not None and entry.words == 0 and not entry.draft \
                and not (kind and kind.fields):
            problems.append(warning(entry.path, item.source.body_line, "has no text yet: write it below the front "
                                                                       "matter, or set 'draft: true' until it is ready"))
    return problems
