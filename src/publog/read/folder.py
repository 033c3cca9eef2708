"""The entries folder -> one Compiled per entry file: loaded, checked, Markdown rendered.

This is where a build spends most of its time, so it is the stage that is
cached (by the file's path and bytes) and spread over a process pool.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import signal
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from . import files as files_mod, ignores, load
from ..markdown import generators, body as markdown
from ..privacy import leaks, passages as private
from ..markdown.generators import Notice
from ..markdown.body import Reference
from .load import ENTRY_SUFFIXES
from ..problems import Problem, error, warning

# Below this many files to render, starting worker processes costs more than it saves.
POOL_THRESHOLD = 48
_SKIP_DIRS = {"node_modules", "__pycache__"}


@dataclass(frozen=True)
class Compiled:
    """What one entry file says, and what its Markdown refers to; its HTML is cached by digest."""

    path: str
    digest: str
    source: load.Source | None  # None when the file has errors; body emptied to save memory
    problems: tuple[Problem, ...] = ()
    references: tuple[Reference, ...] = ()
    summary: str = ""
    words: int = 0
    tags: tuple[str, ...] = ()  # inline #tags of its body
    notices: tuple[Notice, ...] = ()  # what only another generator could run (markdown/generators.py)
    # What it would publish that must not be: (line, what), found with the never-publish list `scanned_with`
    leaks: tuple[tuple[int, str], ...] = ()
    allowlisted: tuple[str, ...] = ()  # fingerprints of secrets the author allowlisted in it
    private: tuple[str, ...] = ()  # passages of its private parts (privacy/passages.py), which no page may show
    scanned_with: str = ""


@dataclass(frozen=True)
class Found:
    entries: dict[str, tuple[int, int]]  # journal-relative path -> (mtime_ns, size)
    files: frozenset[str]  # every other file below the entries folder
    outside: tuple[str, ...] = ()  # links to files outside the journal, left out
    irregular: tuple[str, ...] = ()  # named pipes, sockets and devices, never opened
    left_out: tuple[Problem, ...] = ()  # what the folder's generator's rules left out (read/ignores.py), said once a rule


def inside(path: str, folder: str) -> bool:
    """Whether ``path``, followed through any links, is in ``folder`` (both real paths)."""
    real = os.path.realpath(path)
    return real == folder or real.startswith(folder + os.sep)


def discover(root: Path, entries_dir: Path, skip: Iterable[str], rules: ignores.Rules | None = None) -> Found:
    """Every entry file below ``entries_dir``, leaving out hidden folders, the folders whose real paths
    are ``skip`` (resolved by the caller, which looks through many folders in a community), and what the
    rules of the generator ``root`` was written for leave out (by default, read from ``root``)."""
    skipped = set(skip)
    rules = ignores.of(root) if rules is None else rules
    left: dict[ignores.Hit, list[str]] = {}
    journal = os.path.realpath(root)
    entries: dict[str, tuple[int, int]] = {}
    files: set[str] = set()
    outside: list[str] = []
    irregular: list[str] = []
    base = os.path.relpath(entries_dir, root)
    # Folders are walked by hand with scandir: os.walk and relpath per file cost more than the stats.
    pending = [(str(entries_dir), "" if base == "." else Path(base).as_posix() + "/")]
    while pending:
        folder, prefix = pending.pop()
        try:
            listing = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # vanished or unreadable while we walked: what is left is built
        for item in listing:
            name = item.name
            if name.startswith("."):
                continue
            try:
                if item.is_dir(follow_symlinks=False):
                    if name not in _SKIP_DIRS and os.path.realpath(item.path) not in skipped:
                        hit = rules.hit(prefix + name, True)
                        if hit is None:
                            pending.append((item.path, f"{prefix}{name}/"))
                        elif hit.file:  # counted for the warning only when an author wrote the rule
                            left.setdefault(hit, []).extend(_files_below(item.path, prefix + name))
                    continue
                hit = rules.hit(prefix + name, False)
                if hit is not None:
                    left.setdefault(hit, []).append(prefix + name)
                    continue
                if item.is_symlink() and not inside(item.path, journal):
                    outside.append(prefix + name)  # never publish what a link drags in from elsewhere
                    continue
                if not item.is_file():
                    if files_mod.irregular(item.path):
                        irregular.append(prefix + name)
                    continue
                if name.lower().endswith(ENTRY_SUFFIXES):
                    st = item.stat()
                    entries[prefix + name] = (st.st_mtime_ns, st.st_size)
                else:
                    files.add(prefix + name)
            except OSError:
                continue
    return Found(dict(sorted(entries.items())), frozenset(files), tuple(sorted(outside)), tuple(sorted(irregular)),
                 rules.problems + tuple(ignores.report(left)))


def _files_below(folder: str, prefix: str) -> list[str]:
    """The files a walk would have found below a folder left out, for counting them."""
    found = []
    for here, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".") and f not in _SKIP_DIRS]
        relative = os.path.relpath(here, folder)
        base = prefix if relative == "." else f"{prefix}/{Path(relative).as_posix()}"
        found += [f"{base}/{name}" for name in names if not name.startswith(".")]
    return found


def digest(path: str, data: bytes) -> str:
    return hashlib.blake2b(path.encode() + b"\0" + data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Scan:
    """What every entry's text is checked for as it is read: secrets always, and the never-publish list;
    and how its front matter is read (load.Reading)."""

    terms: leaks.Terms = field(default_factory=leaks.Terms)
    reading: load.Reading = field(default_factory=load.Reading)
    syntax: generators.Syntax = field(default_factory=generators.Syntax)  # what the old generator ran in a body

    @property
    def key(self) -> str:
        """Changes with the list, the secret detectors or the reading, so a cached entry is checked again."""
        return hashlib.blake2b(repr((self.terms.items, leaks.DETECTORS_VERSION, self.reading, self.syntax)).encode(),
                               digest_size=8).hexdigest()


def compile_file(root: Path, path: str, scan: Scan = Scan()) -> tuple[Compiled, str | None]:
    """Read, check and render one entry: what it says, and its HTML when it has no errors."""
    try:
        data = files_mod.read_bytes(root / path)
    except files_mod.NotRegular:  # made a named pipe since the entries folder was looked through
        return Compiled(path, "", None, (warning(path, 1, files_mod.NOT_REGULAR),)), None
    except OSError as exc:
        return Compiled(path, "", None, (error(path, 1, f"cannot be read ({exc.strerror}); check its permissions"),)), None
    return compile_bytes(path, data, scan)


def compile_bytes(path: str, data: bytes, scan: Scan = Scan()) -> tuple[Compiled, str | None]:
    key = digest(path, data)
    text, problems = load.decode(path, data)
    if text is None:
        return Compiled(path, key, None, tuple(problems)), None
    source, more = load.parse(path, text, scan.reading)
    problems += more  # decoding's warnings too
    if source is None:
        return Compiled(path, key, None, tuple(problems)), None
    if scan.syntax.generator == "hugo" and ignores.never_rendered(source.extra):
        source = replace(source, publish=False)  # Hugo writes no page of it: left out as publish: false is
    rendered = markdown.render(source, scan.syntax)
    published = private.blanked(text)  # a private passage may hold anything: checked for leaking, not for secrets
    compiled = Compiled(
        path=path,
        digest=key,
        source=replace(source, body=""),
        problems=tuple(problems) + rendered.problems + _weak_secrets(path, published),  # warnings only: an entry with errors has no source
        references=rendered.references,
        summary=rendered.summary,
        words=rendered.words,
        tags=rendered.tags,
        notices=rendered.notices,
        leaks=tuple((leak.line, leak.what) for leak in sorted(set(leaks.find_secrets(published) + leaks.find_terms(published, scan.terms)
                                                                  + leaks.rendered_secrets(rendered.html, text)))),
        # A private entry is private whole: the final scan watches for any of it (privacy/guard.py); a public one, what
        # its page leaves out.
        private=tuple(p for passage in ([text] if source.private else rendered.hidden)
                      for p in leaks.private_snippets(passage, public="" if source.private else published)),
        allowlisted=tuple(sorted(leaks.allowlisted_secrets(text))) if "allowlist" in text else (),
        scanned_with=scan.key,
    )
    return compiled, rendered.html


def _weak_secrets(path: str, published: str) -> tuple[Problem, ...]:
    return tuple(warning(path, leak.line, f"may publish {leak.what}; if it is a real one, remove it, or add the comment "
                                          "'pragma: allowlist secret' on its line") for leak in leaks.find_weak_secrets(published))


def _compile_chunk(root: Path, paths: list[str], scan: Scan = Scan()) -> list[tuple[Compiled, str | None]]:
    return [compile_file(root, p, scan) for p in paths]


def compile_all(root: Path, paths: list[str], jobs: int, scan: Scan = Scan()) -> list[tuple[Compiled, str | None]]:
    """Compile ``paths``, over ``jobs`` processes when there are enough of them."""
    if jobs <= 1 or len(paths) < POOL_THRESHOLD or not hasattr(os, "fork"):  # workers are forked
        return _compile_chunk(root, paths, scan)
    # Many small chunks keep both workers busy to the end; fork shares the loaded modules.
    size = max(8, min(64, len(paths) // (jobs * 8)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    context = multiprocessing.get_context("fork")
    # Ctrl-C reaches the workers too: this process stops the build, and they say nothing.
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
        results = pool.map(_compile_chunk, [root] * len(chunks), chunks, [scan] * len(chunks))
        return [c for chunk in results for c in chunk]


def fallback_dates(paths: list[str], found: Found, planted: dict[str, dt.datetime], zone: dt.tzinfo) -> dict[str, dt.datetime]:
    """Dates for entries with none in front matter or file name: first git commit (``planted``), else mtime."""
    dates = dict(planted)
    for path in paths:
        if path not in dates:
            dates[path] = dt.datetime.fromtimestamp(found.entries[path][0] / 1e9, zone).replace(microsecond=0)
    return dates


def git_dates(root: Path, paths: Iterable[str], folder: str = "") -> tuple[dict[str, dt.datetime], dict[str, dt.datetime]]:
    """When each of ``paths`` was planted (its first commit) and last tended (its last commit, when later).

    One ``git log`` of the whole ``folder`` (from ``root``), not one per file: a journal of thousands
    of entries pays for one process."""
    wanted = set(paths)
    if not wanted or git_dir(root) is None:
        return {}, {}
    try:
        out = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), "log", "--format=@@%ct", "--name-only",
             "--no-renames", "--relative", "--", folder or "."],
            capture_output=True, check=True, timeout=60,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return {}, {}
    first: dict[str, dt.datetime] = {}
    last: dict[str, dt.datetime] = {}
    when = None
    # Newest commit first: the first date seen for a file is its last commit, the last seen its first.
    for line in out.splitlines():
        if line.startswith("@@") and line[2:].isdigit():
            try:
                when = dt.datetime.fromtimestamp(int(line[2:]), dt.timezone.utc)
            except (ValueError, OverflowError, OSError):  # a commit made with a date no calendar holds
                when = None
        elif line in wanted and when is not None:
            last.setdefault(line, when)
            first[line] = when
    return first, {path: when for path, when in last.items() if when > first[path]}


def git_dir(root: Path) -> Path | None:
    """The git folder of the repository ``root`` is in, if any: found without starting git."""
    for folder in (root, *root.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or a submodule: "gitdir: <where>"
            text = _first_line(dot)
            return (folder / text.removeprefix("gitdir:").strip()) if text.startswith("gitdir:") else None
    return None


def _first_line(path: Path) -> str:
    try:
        return files_mod.read_bytes(path).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def git_state(root: Path) -> list[Path]:
    """The files a commit, a checkout or a reset rewrites: whether git's dates may have changed."""
    found = git_dir(root)
    if found is None:
        return []
    common = _first_line(found / "commondir")  # a worktree's branches are the main repository's
    refs = found / common if common else found
    ref = _first_line(found / "HEAD").removeprefix("ref:").strip()
    return [found / "HEAD", refs / "packed-refs", *([refs / ref] if ref.startswith("refs/") else [])]
