"""The search index: Pagefind's files for the published entries, in parts, each made only when what it indexes changed.

Pagefind has no incremental mode, so the index is made in parts: each entry belongs to one
part, chosen by its file's path, so that editing, adding or removing an entry makes one
part again, never the whole index. The search page merges the parts (Pagefind's
``mergeIndex``), which share the first part's script and WebAssembly: each other part costs
a reader two small files on the first search. Each part is kept in the build cache under a
fingerprint of what it indexes and copied into the site like a static file; the parts an
edit left alone are reused. The same journal gives the same parts, byte for byte, however
it got there. Only published entries go in (never drafts), and only their own text (title,
summary, body).
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..journal.model import Entry, Journal
from ..markdown.highlights import unhighlighted
from ..problems import Problem, warning
from ..urls import Urls, output_file
from ..read import files as files_mod

VERSION = "4"  # of what an index holds: a new one remakes every kept part
PART_SIZE = 128  # entries in a part, about: what an edit makes again
MOST_PARTS = 32  # each part costs a reader two small fetches on the first search
# The files of a part other than the first: its index proper (the script, WebAssembly and UI are the first's).
_PART_FILES = re.compile(r"^(pagefind-entry\.json|[^/]+\.pf_meta|(fragment|index|filter)/.+)$")
FOLDER = "pagefind/"  # of the site, where the index's files are
PARTS_FILE = "parts.json"  # in the first part: the folders of the others, which the search page merges


def _pagefind() -> Path | None:
    """Pagefind's program, looked for as pagefind.service.get_executable looks, without importing that module:
    it imports asyncio, which a build that indexes one part waited for. A package installed without its program
    (or a folder of its name) is passed over, never a reason to fail the build."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return Path(importlib.import_module(package).get_executable())
        except (ImportError, AttributeError, OSError):
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


def _count(indexed: int) -> int:
    """How many parts an index of ``indexed`` entries has: a power of two, so it changes only as the journal doubles."""
    parts = 1
    while parts < MOST_PARTS and indexed > parts * PART_SIZE:
        parts *= 2
    return parts


def _part_of(entry: Entry, parts: int) -> int:
    return _number(entry.path) % parts


@lru_cache(maxsize=1 << 16)  # the same paths from build to build of a long-running process
def _number(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=4).digest(), "big")


def plan(journal: Journal) -> list[tuple[str, list[Entry]]]:
    """Each part's folder name and entries: the name is a fingerprint of everything the part holds."""
    indexed = _indexed(journal)
    if not indexed:
        return []
    parts = _count(len(indexed))
    while True:  # fewer parts where one would be empty: Pagefind makes no index of nothing
        members: list[list[Entry]] = [[] for _ in range(parts)]
        for entry in indexed:
            members[_part_of(entry, parts)].append(entry)
        if parts == 1 or all(members):
            break
        parts //= 2
    planned = []
    for number, entries in enumerate(members):
        h = hashlib.blake2b(digest_size=12)
        # The index holds the pages' paths, never the site's host: publog serve (at localhost, on any port)
        # uses the parts a build for the site's own address made, where both are at the same path.
        h.update(f"{VERSION}:{journal.config.language}:{urlsplit(journal.config.base_url).path}:{parts}:{number}".encode())
        for e in entries:
            h.update(_described(e))
        planned.append((f"{parts}-{number}-{h.hexdigest()}", entries))
    if len(_DESCRIBED) > 2 * len(indexed) + 64:  # many edited away
        _DESCRIBED.clear()
    return planned


# What of an entry its part's fingerprint covers, by path, with the entry it was made from: a long-running
# process plans the index again after each edit, when all entries but the edited one are the very same objects.
_DESCRIBED: dict[str, tuple[Entry, bytes]] = {}


def _described(e: Entry) -> bytes:
    known = _DESCRIBED.get(e.path)
    if known is not None and known[0] is e:
        return known[1]
    described = repr((e.path, e.url, e.title, e.summary, e.digest, e.kind, e.topics, e.date, e.links)).encode()
    _DESCRIBED[e.path] = (e, described)
    return described


def index(journal: Journal, body_html: Callable[[str], str], folder: Path,
          wait: Callable[[], None] | None = None) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """Pagefind's files for the journal, its parts made in (or reused from) ``folder``.

    Returns (site file, source path, stamp) of each, as the site's static files are given to
    the pages stage, and a warning if Pagefind cannot run. ``wait``: the index is made in the
    background (publog serve); it is called every few pages and returns once the work that
    comes first (a build) is done, and Pagefind runs at a lower priority.
    """
    indexing = start(journal, body_html, folder, wait)
    try:
        return indexing.finish()
    finally:
        indexing.close()


def start(journal: Journal, body_html: Callable[[str], str], folder: Path,
          wait: Callable[[], None] | None = None) -> Indexing:
    """``index``, begun: the first missing parts' Pagefind runs are started, and ``finish`` makes the rest
    and waits for them. A build renders its pages meanwhile: Pagefind reads a part on a core of its own
    (a one-line edit makes one part again, and a part of long posts keeps Pagefind busy a while)."""
    planned = plan(journal)
    if not planned:
        return Indexing(folder, [], {}, [])  # nothing to find: no index, and no search page (see pages.plan)
    # Each kept part is walked once a build: its files are both checked for links and given to the site.
    listed = {name: _files(folder / name) for name, _ in planned if (folder / name / "done").is_file()}
    problems = [_refusal()] if None in listed.values() else []
    for name, files in listed.items():
        if files is None:
            files_mod.remove(folder / name)
    names = [name for name, _ in planned]
    missing = [(name, entries) for name, entries in planned if not (folder / name / "done").is_file()]
    if not missing:
        return Indexing(folder, names, listed, problems)
    executable = _pagefind()
    if executable is None:
        return Indexing(folder, [], {}, [warning("publog.yaml", 1, "search is on but Pagefind is not installed (pip install "
                                                 "'pagefind[bin]'); the site is built without search, or set 'search: false'")])
    runs = _Runs(journal, missing, len(planned), body_html, folder, executable, wait)
    indexing = Indexing(folder, names, listed, problems, runs)
    try:
        runs.start(block=False)
    except (OSError, subprocess.SubprocessError) as exc:
        indexing.failed(exc)
    except BaseException:  # the cache replaced under it, Ctrl-C: the runs begun are stopped, not left behind
        indexing.close()
        raise
    return indexing


class Indexing:
    """An index being made: what ``finish`` gives, once the Pagefind runs still under way have ended."""

    def __init__(self, folder: Path, names: list[str], listed: dict[str, list[tuple[str, str, str]] | None],
                 problems: list[Problem], runs: _Runs | None = None) -> None:
        self.folder, self.names, self.listed, self.problems, self.runs = folder, names, listed, problems, runs

    @property
    def beside_pages(self) -> bool:
        """Whether the pages are best rendered while Pagefind makes the parts left: a part or two, as after
        an edit. A whole index (a cold build) is best made first: its thousands of files are then copied
        by every process that renders pages, and the parts' runs use the cores meanwhile."""
        return self.runs is not None and len(self.runs.missing) <= (os.cpu_count() or 1)

    def failed(self, exc: OSError | subprocess.SubprocessError) -> None:
        """Pagefind could not make a part: the site is built without search."""
        if self.runs is not None:
            self.runs.close()
            for name, _ in self.runs.missing:
                files_mod.remove(self.folder / f"{name}.tmp")
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.problems = [*self.problems, warning("publog.yaml", 1, f"the search index could not be made ({why}); "
                                                                  "the site is built without search")]
        self.names, self.runs = [], None

    def finish(self) -> tuple[list[tuple[str, str, str]], list[Problem]]:
        if self.runs is not None:
            try:
                self.runs.finish()
            except (OSError, subprocess.SubprocessError) as exc:
                self.failed(exc)
            finally:
                self.close()
        if not self.names:
            return [], self.problems
        kept = set(self.names)
        for other in self.folder.iterdir():  # the parts of this index are kept, no other
            if other.name not in kept:
                files_mod.remove(other)
        return _site_files(self.folder, self.names, self.listed) or [], self.problems

    def close(self) -> None:
        """No Pagefind run outlives the build, which may have stopped before ``finish``."""
        if self.runs is not None:
            self.runs.close()


def refused(journal: Journal, folder: Path) -> list[Problem]:
    """A warning when a kept part of the journal's index holds a link or a special file: it is never used,
    and `index` deletes it and makes it again (`publog check` says so and leaves it)."""
    for name, _ in plan(journal):
        if (folder / name / "done").is_file() and _files(folder / name) is None:
            return [_refusal()]
    return []


def _refusal() -> Problem:
    return warning(".publog-cache", 1, "the kept search index holds a link or a special file, which publog never "
                                       "follows or publishes; a build deletes it and makes the index again")


def ready(journal: Journal, folder: Path) -> list[tuple[str, str, str]] | None:
    """The files of the journal's index if every part is made already (and holds no link), else None."""
    names = [name for name, _ in plan(journal)]
    if not all((folder / name / "done").is_file() for name in names):
        return None
    return _site_files(folder, names)


def latest(folder: Path) -> list[tuple[str, str, str]]:
    """The newest made index, part by part, whatever it holds: what `publog serve` shows while the next is made."""
    made = [d for d in folder.glob("*-*-*") if (d / "done").is_file()] if folder.is_dir() else []
    if not made:
        return []
    newest = max(made, key=lambda d: (d / "done").stat().st_mtime_ns)
    parts = newest.name.split("-")[0]
    chosen: dict[str, Path] = {}
    for d in sorted(made, key=lambda d: (d / "done").stat().st_mtime_ns):
        count, number, _ = d.name.split("-", 2)
        if count == parts:
            chosen[number] = d
    if len(chosen) != int(parts):
        return []
    return _site_files(folder, [chosen[str(n)].name for n in range(int(parts))]) or []


def _site_files(folder: Path, names: list[str], listed: dict[str, list[tuple[str, str, str]] | None] | None = None
                ) -> list[tuple[str, str, str]] | None:
    """The site files of an index's parts: the first at pagefind/, part N's index at pagefind/part-N/;
    ``listed``: the parts' files as just walked (a part made since is walked here)."""
    found = []
    for number, name in enumerate(names):
        files = (listed or {}).get(name) or _files(folder / name)
        if files is None:
            return None
        for relative, path, stamp in files:
            inner = relative.removeprefix(FOLDER)
            if number == 0:
                found.append((relative, path, stamp))
            elif _PART_FILES.match(inner):
                found.append((f"{FOLDER}part-{number}/{inner}", path, stamp))
    return sorted(found)


def _files(made: Path) -> list[tuple[str, str, str]] | None:
    """The regular files of a part; None when it, or anything in it, is a link or a special file.

    The cache may come with a cloned repository: a link in a kept index could point anywhere
    (~/.ssh/...), and what is listed here is copied into the site, so nothing is followed."""
    found: list[tuple[str, str, str]] = []
    top = str(made)
    pending = [top]
    while pending:
        here = pending.pop()
        try:
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                return None
            items = list(os.scandir(here))
        except OSError:
            return None
        for item in items:
            # The kind of file as the folder lists it: no system call per file, where most of a rebuild went.
            if item.is_dir(follow_symlinks=False):
                pending.append(item.path)
            elif not item.is_file(follow_symlinks=False):
                return None
            elif here != top:  # the index proper is below pagefind/; "done" is publog's
                found.append((item.path[len(top) + 1:].replace(os.sep, "/"), item.path, made.name))
    return sorted(found)


def _indexed(journal: Journal) -> list[Entry]:
    """Drafts are never indexed, not even in a --drafts preview: an index is easily copied around."""
    return [e for e in journal.entries if not e.draft]


class _Runs:
    """The missing parts: one Pagefind process per part, as many at once as there are cores, each started
    as soon as its part's pages are written (in this thread, which reads the cache)."""

    def __init__(self, journal: Journal, missing: list[tuple[str, list[Entry]]], parts: int,
                 body_html: Callable[[str], str], folder: Path, executable: Path,
                 wait: Callable[[], None] | None) -> None:
        self.journal, self.missing, self.parts, self.body_html = journal, missing, parts, body_html
        self.folder, self.executable, self.wait = folder, executable, wait
        self.todo = list(missing)
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.language = journal.config.language.split("-")[0] or "en"
        self.nice = shutil.which("nice") if wait is not None else None
        # Thousands of small files, read once and deleted: in memory where the system offers it.
        memory = Path("/dev/shm")
        where = memory if os.access(memory, os.W_OK) else folder
        _remove_orphans(where)
        self.pages: Path | None = Path(tempfile.mkdtemp(prefix=f"{_PAGES}{os.getpid()}-", dir=where))

    def start(self, block: bool) -> None:
        """Start the runs of the parts left while a core is free; ``block``: every one, waiting for cores."""
        while self.todo and self.pages is not None:
            if len(self.running) >= (os.cpu_count() or 1):
                if not block:
                    return
                self.running = _reap(self.running, self.folder, self.parts)
                continue
            name, entries = self.todo.pop(0)
            files_mod.remove(self.folder / f"{name}.tmp")
            site = self.pages / name
            _write_pages(self.journal, entries, self.body_html, site, self.language, self.wait)  # while Pagefind reads the last
            if self.wait is not None:
                self.wait()
            self.running.append((name, subprocess.Popen(
                [*([self.nice, "-n", "10"] if self.nice else []), str(self.executable), "--site", str(site),
                 "--output-path", str(self.folder / f"{name}.tmp" / "pagefind"), "--force-language", self.language,
                 "--silent"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))

    def finish(self) -> None:
        self.start(block=True)
        while self.running:
            self.running = _reap(self.running, self.folder, self.parts)

    def close(self) -> None:
        for name, process in self.running:  # a part failed, its pages could not be written, or the build stopped
            process.kill()
            process.wait()
            files_mod.remove(self.folder / f"{name}.tmp")  # what it had written of its part
        self.running, self.todo = [], []
        if self.pages is not None:
            shutil.rmtree(self.pages, ignore_errors=True)
            self.pages = None


_PAGES = "publog-search-"  # the folder of a build's part pages, then its process's number


def _remove_orphans(where: Path) -> None:
    """The part pages' folders of builds that were killed before they could delete them: this user's, of a
    process that is gone. A live process's, or another user's, is left alone."""
    try:
        items = list(os.scandir(where))
    except OSError:
        return
    for item in items:
        pid, dash, _ = item.name.removeprefix(_PAGES).partition("-")
        # This version's names only: an earlier one's random suffix may be all digits, and a cloned cache's odd.
        if not item.name.startswith(_PAGES) or not dash or not (pid.isascii() and pid.isdigit() and len(pid) <= 9):
            continue
        try:
            if not item.is_dir(follow_symlinks=False) or item.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(item.path, ignore_errors=True)  # never through a link: rmtree refuses one
        except OSError:
            continue


def _reap(running: list[tuple[str, subprocess.Popen[bytes]]], folder: Path, parts: int
          ) -> list[tuple[str, subprocess.Popen[bytes]]]:
    """Wait for one Pagefind run to end and keep its part; the ones still running."""
    while True:
        for at, (name, process) in enumerate(running):
            if process.poll() is not None:
                _, errors = process.communicate()
                if process.returncode != 0:  # _make stops the others
                    raise subprocess.CalledProcessError(process.returncode, "pagefind", stderr=errors)
                staging = folder / f"{name}.tmp"
                if name.split("-")[1] == "0":
                    others = [f"part-{n}" for n in range(1, parts)]
                    (staging / "pagefind" / PARTS_FILE).write_text(json.dumps(others), encoding="utf-8")
                (staging / "done").write_text(name)
                staging.rename(folder / name)
                return running[:at] + running[at + 1:]
        time.sleep(0.005)


def _write_pages(journal: Journal, entries: list[Entry], body_html: Callable[[str], str], site: Path, language: str,
                 wait: Callable[[], None] | None) -> None:
    """One small page per entry: its own text only, at the file that serves its URL."""
    from .templates import resolve_links  # with Jinja2, which a build that renders nothing never loads

    urls = Urls(journal.config.base_url)
    for n, entry in enumerate(entries):
        if wait is not None and n % 32 == 0:
            wait()
        # At the file that serves the URL: a folder named x.html (for an old site's /x.html) is no page to
        # Pagefind, which retried reading it and left the entry out. A page at another kind of address
        # (an entry that took /feed.xml) is indexed as a folder's page, as Pagefind reads only HTML files.
        served = output_file(urls.page(entry.url))
        file = site / (served if served.endswith((".html", ".htm")) else served + "/index.html")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(
            f'<!doctype html><html lang="{language}"><head><title>{html.escape(entry.title)}</title></head><body>'
            f'<main data-pagefind-body data-pagefind-meta="date:{entry.date.date().isoformat()}">'
            f"<h1>{html.escape(entry.title)}</h1><p>{html.escape(entry.summary)}</p>"
            f"{_tex_for_math(unhighlighted(resolve_links(body_html(entry.digest), entry.links, urls)))}</main></body></html>",
            encoding="utf-8",
        )


_MATH = re.compile(r"<math\b[^<]*(?:<(?!/math>)[^<]*)*</math>")  # as <math\b.*?</math> with DOTALL finds it
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)


def _tex_for_math(body: str) -> str:
    """A formula as the TeX its author wrote: its MathML's symbols, one element each, are words no reader
    searches for, and made long posts cost Pagefind twice as much."""
    if "<math" not in body:
        return body
    return _MATH.sub(lambda m: f" {found.group(1)} " if (found := _TEX.search(m.group(0))) else " ", body)
